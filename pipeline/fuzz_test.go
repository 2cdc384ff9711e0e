package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/shopspring/decimal"
)

// bytesReader hands out fuzz bytes, then zeros.
type bytesReader struct {
	b []byte
	i int
}

func (r *bytesReader) next() int {
	if r.i >= len(r.b) {
		return 0
	}
	r.i++
	return int(r.b[r.i-1])
}

func (r *bytesReader) more() bool { return r.i < len(r.b) }

// randomSpec builds a deal pipeline from fuzz bytes: 1 to 5 open stages,
// 1 or 2 won and lost stages, backward moves or not, a random set of
// reopen moves, sometimes an amount gate on an open stage, and, when it
// reports custom, a random set of moves in place of the default ones
// (which may leave a stage unreachable or a dead end). A spec with the
// default moves is valid.
func randomSpec(r *bytesReader) (spec pipeline.Spec, custom bool) {
	spec = pipeline.Spec{Name: "fuzz", Backward: r.next()&1 == 1}
	nOpen, nWon, nLost := 1+r.next()%5, 1+r.next()%2, 1+r.next()%2
	order := 0
	add := func(prefix string, n int, kind pipeline.StageKind) []pipeline.DealStage {
		var keys []pipeline.DealStage
		for i := range n {
			order += 1 + r.next()%3
			key := pipeline.DealStage(fmt.Sprintf("%s%d", prefix, i))
			st := pipeline.StageSpec{Key: key, Order: order, Kind: kind}
			if kind == pipeline.KindOpen {
				st.Probability = decimal.New(int64(r.next()%101), -2)
			}
			spec.Stages = append(spec.Stages, st)
			keys = append(keys, key)
		}
		return keys
	}
	opens := add("open", nOpen, pipeline.KindOpen)
	closed := append(add("won", nWon, pipeline.KindWon), add("lost", nLost, pipeline.KindLost)...)
	for _, from := range closed {
		for _, to := range opens {
			if r.next()%3 == 0 {
				spec.Reopen = append(spec.Reopen, pipeline.Move{From: from, To: to})
			}
		}
	}
	if g := r.next(); g%3 == 0 {
		i := (g / 3) % len(opens)
		spec.Stages[i].Gates = []pipeline.Gate{pipeline.RequireAmount()}
	}
	if custom = r.next()%4 == 0; custom {
		spec.Moves = []pipeline.Move{}
		for _, from := range opens {
			for _, to := range append(opens, closed...) {
				if from != to && r.next()%2 == 0 {
					spec.Moves = append(spec.Moves, pipeline.Move{From: from, To: to})
				}
			}
		}
	}
	return spec, custom
}

// commandScenario returns the scenario a command fuzzer drives. Without
// outbox it is [pipelinetest.NewScenario]'s: an engine on a MemStore that
// hands its events to the Recorder. With outbox the engine runs on an
// OutboxMemStore, which keeps every command's events in the command's
// transaction, and the Recorder, still the Publisher, must get none of
// them, since all the fuzzers' records live in that one store; the
// scenario's Store is then the OutboxMemStore's MemStore. The eventLog
// reads the events from where they go.
func commandScenario(t *testing.T, outbox bool, opts *pipeline.Options) (*pipelinetest.Scenario, *eventLog) {
	t.Helper()
	if !outbox {
		s := pipelinetest.NewScenario(t, opts)
		return s, &eventLog{all: s.Events.Events}
	}
	store := pipelinetest.NewOutboxMemStore()
	s := &pipelinetest.Scenario{Store: &store.MemStore, Clock: pipelinetest.NewClock(), Events: &pipelinetest.Recorder{}}
	var o pipeline.Options
	if opts != nil {
		o = *opts
	}
	o.Clock, o.Publisher = s.Clock, s.Events
	e, err := pipeline.NewEngine(store, store, &o)
	if err != nil {
		t.Fatal(err)
	}
	s.Engine = e
	return s, &eventLog{all: func() []sp.Event {
		if got := s.Events.Types(); len(got) > 0 {
			t.Fatalf("the Publisher got events the outbox should have kept: %v", got)
		}
		return store.Events()
	}}
}

// eventLog follows the events of a command fuzzer's engine, published or
// kept in an outbox.
type eventLog struct {
	all  func() []sp.Event // the events so far, in order
	n    int               // how many of them added has returned
	last string            // the ID of the last of them
	ids  map[string]bool
}

// added returns the events added since its last call, after checking that
// the earlier ones are still there, that each new one passes
// [sp.Event.Validate] and is about subject, and that its ID is new.
func (l *eventLog) added(t *testing.T, subject string) []sp.Event {
	t.Helper()
	all := l.all()
	if len(all) < l.n || l.n > 0 && all[l.n-1].ID != l.last {
		t.Fatalf("the events so far changed: %d, now %d", l.n, len(all))
	}
	if l.ids == nil {
		l.ids = map[string]bool{}
	}
	added := all[l.n:]
	for _, ev := range added {
		if err := ev.Validate(); err != nil {
			t.Fatalf("event %s %s: %v", ev.ID, ev.Type, err)
		}
		if ev.Subject != subject {
			t.Fatalf("event %s %s is about %q, not %q", ev.ID, ev.Type, ev.Subject, subject)
		}
		if l.ids[ev.ID] {
			t.Fatalf("event %s %s: the ID is taken", ev.ID, ev.Type)
		}
		l.ids[ev.ID] = true
	}
	l.n = len(all)
	if l.n > 0 {
		l.last = all[l.n-1].ID
	}
	return added
}

// FuzzDealCommands drives a deal through random commands on a random
// pipeline (default or custom moves, gates, reopen moves), mostly by its
// owner, on a store that is an outbox or not (see commandScenario): every
// error wraps a sentinel; a refusal changes nothing and emits nothing; a
// change moves the version by exactly one and emits exactly one event,
// valid, about the deal and with an ID of its own; a keyed replay changes
// nothing and emits nothing; the history agrees with the stage; every
// move taken is one the pipeline has, and a closed stage is left only by
// reopening; and the deal keeps the invariants of checkDeal.
func FuzzDealCommands(f *testing.F) {
	seeds := [][]byte{
		{1, 3, 1, 1, 10, 20, 30, 40, 1, 1, 1, 1, 1, 1, 2, 0, 3, 1, 7, 2, 5, 3, 0, 4, 1, 2, 9},
		{0, 4, 0, 0, 50, 50, 50, 50, 50, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		[]byte("a longer seed that drives many commands through a random pipeline"),
		// Three open stages, a gate on open1, reopen from won0 and lost0 to open0:
		// the gate refuses a deal without an amount, then the deal is won,
		// delivered, followed up, reopened, lost, reopened (keyed, twice),
		// refused to bob, assigned, and an activity logged.
		{0, 2, 0, 0, 0, 10, 0, 50, 0, 80, 0, 0, 0, 1, 1, 0, 1, 1, 3, 1, 1,
			7, 2, 0, 1, 7, 3, 0, 1, 5, 6, 2, 4, 8, 4, 9, 4, 4, 5, 1, 12, 3, 8, 4, 35, 4, 35, 0, 22, 11, 1, 10, 2},
		// Custom moves: open0 → open1, won1, lost0; open1 → open0, won0; reopen
		// lost0 → open0.
		{1, 1, 1, 0, 0, 20, 0, 60, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1,
			0, 1, 0, 0, 2, 1, 4, 5, 3, 1, 4, 5, 0, 2, 0, 1, 2, 3},
	}
	for _, outbox := range []bool{false, true} { // each seed on both stores
		for _, seed := range seeds {
			f.Add(seed, outbox)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, outbox bool) {
		ctx := context.Background()
		r := &bytesReader{b: data}
		spec, custom := randomSpec(r)
		def, err := pipeline.NewDefinition(spec)
		if err != nil {
			if custom && errors.Is(err, sp.ErrInvalid) {
				return // random moves that leave a stage unreachable or a dead end
			}
			t.Fatalf("a random spec with default moves must be valid: %v", err)
		}
		m := def.Machine()
		stages := []pipeline.DealStage{}
		for st := range def.Stages() {
			stages = append(stages, st.Key)
		}
		s, log := commandScenario(t, outbox, &pipeline.Options{Pipelines: []*pipeline.Definition{def}})
		d := pipelinetest.NewDeal("d1")
		d.Pipeline = "fuzz"
		if r.next()%4 == 0 {
			d.Lines, d.Amount = nil, sp.Money{}
		}
		prev, err := s.Engine.OpenDeal(ctx, system, d, nil)
		if err != nil {
			t.Fatalf("OpenDeal: %v", err)
		}
		checkDeal(t, def, prev)
		if got := log.added(t, "d1"); len(got) != 1 {
			t.Fatalf("OpenDeal emitted %d events", len(got))
		}
		actors := []sp.Actor{ann, bob, system}
		for step := 0; r.more() && step < 200; step++ {
			op, arg := r.next()%12, r.next()
			stage := stages[arg%len(stages)]
			by := ann // the owner acts, but now and then another rep or the system
			if arg%11 == 0 {
				by = actors[arg%len(actors)]
			}
			var opts *pipeline.CommandOptions
			if arg%7 == 0 {
				opts = &pipeline.CommandOptions{IdempotencyKey: fmt.Sprintf("k%d", arg%3)}
			}
			reopen := false
			var cerr error
			switch op {
			case 0, 1:
				_, cerr = s.Engine.Advance(ctx, by, "d1", stage, opts)
			case 2, 3:
				if arg%3 == 0 { // close in a chosen stage, not the first won or lost one
					o := pipeline.CommandOptions{Stage: stage}
					if opts != nil {
						o.IdempotencyKey = opts.IdempotencyKey
					}
					opts = &o
				}
				if op == 2 {
					_, cerr = s.Engine.Win(ctx, by, "d1", opts)
				} else {
					_, cerr = s.Engine.Lose(ctx, by, "d1", pipeline.LossReason{Category: pipeline.LossTiming, Detail: "later"}, opts)
				}
			case 4:
				reopen = true
				_, cerr = s.Engine.ReopenDeal(ctx, by, "d1", stage, opts)
			case 5:
				_, cerr = s.Engine.OverrideProbability(ctx, by, "d1", decimal.New(int64(arg%120), -2), opts)
			case 6:
				_, cerr = s.Engine.ResetProbability(ctx, by, "d1", opts)
			case 7:
				t := pipeline.Terms{}
				if arg%2 == 1 {
					t.Lines = []pipeline.Line{{Product: "widget", Quantity: int64(arg % 5), UnitPrice: pipelinetest.EUR("9.99")}}
				}
				_, cerr = s.Engine.SetTerms(ctx, by, "d1", t, opts)
			case 8:
				_, cerr = s.Engine.Deliver(ctx, by, "d1", opts)
			case 9:
				_, cerr = s.Engine.FollowUp(ctx, by, "d1", nil, opts)
			case 10:
				a := pipeline.Activity{ID: fmt.Sprintf("a%d", arg%4), Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}
				_, cerr = s.Engine.LogDealActivity(ctx, by, "d1", a, opts)
			case 11:
				_, cerr = s.Engine.AssignDeal(ctx, by, "d1", []sp.RepID{pipelinetest.RepAnn, pipelinetest.RepBob}[arg%2], opts)
			}
			if cerr != nil && !errors.Is(cerr, sp.ErrInvalidTransition) && !errors.Is(cerr, sp.ErrInvalid) &&
				!errors.Is(cerr, sp.ErrForbidden) && !errors.Is(cerr, sp.ErrDuplicate) {
				t.Fatalf("step %d op %d: unexpected error %v", step, op, cerr)
			}
			cur, err := s.Engine.GetDeal(ctx, "d1")
			if err != nil {
				t.Fatal(err)
			}
			checkDeal(t, def, cur)
			events := log.added(t, "d1")
			switch {
			case cerr != nil && errors.Is(cerr, pipeline.ErrKeyReused):
				fallthrough
			case cerr != nil:
				if !sameJSON(prev, cur) || len(events) != 0 {
					t.Fatalf("step %d op %d: a refused command changed the deal or emitted %d events: %v", step, op, len(events), cerr)
				}
			case cur.Version == prev.Version:
				// A replay of a keyed command: nothing applied again.
				if opts == nil || !sameJSON(prev, cur) {
					t.Fatalf("step %d op %d: success without a new version", step, op)
				}
				if len(events) != 0 {
					t.Fatalf("step %d op %d: a keyed replay emitted %d events", step, op, len(events))
				}
			default:
				if cur.Version != prev.Version+1 {
					t.Fatalf("step %d op %d: version %d after %d; want +1", step, op, cur.Version, prev.Version)
				}
				if len(events) != 1 {
					t.Fatalf("step %d op %d: a change emitted %d events; want 1", step, op, len(events))
				}
				if grew := len(cur.History) - len(prev.History); grew < 0 || grew > 1 {
					t.Fatalf("step %d: history went from %d to %d entries", step, len(prev.History), len(cur.History))
				} else if grew == 1 {
					tr := cur.History[len(cur.History)-1]
					if tr.From != prev.Stage {
						t.Fatalf("step %d: transition from %s, but the deal was in %s", step, tr.From, prev.Stage)
					}
					if k, _ := def.Kind(prev.Stage); (k != pipeline.KindOpen) != reopen {
						t.Fatalf("step %d op %d: left the %s stage %s with reopen %v", step, op, k, prev.Stage, reopen)
					}
					if !m.Allows(tr.From, tr.To, reopen) {
						t.Fatalf("step %d op %d: moved %s → %s, which the pipeline does not allow", step, op, tr.From, tr.To)
					}
				}
			}
			prev = cur
		}
	})
}

// checkDeal asserts the invariants of a stored deal.
func checkDeal(t *testing.T, def *pipeline.Definition, d pipeline.Deal) {
	t.Helper()
	if err := pipeline.CheckHistory(d.Stage, d.History); err != nil {
		t.Fatalf("history disagrees with the stage: %v", err)
	}
	kind, ok := def.Kind(d.Stage)
	if !ok {
		t.Fatalf("stage %s is not in the pipeline", d.Stage)
	}
	def0, _ := def.Probability(d.Stage)
	switch {
	case kind == pipeline.KindWon && !d.Probability.Equal(decimal.NewFromInt(1)):
		t.Fatalf("won with probability %s", d.Probability)
	case kind == pipeline.KindLost && !d.Probability.IsZero():
		t.Fatalf("lost with probability %s", d.Probability)
	case kind != pipeline.KindOpen && d.Overridden:
		t.Fatalf("closed with an override")
	case kind == pipeline.KindOpen && !d.Overridden && !d.Probability.Equal(def0):
		t.Fatalf("open without override at %s, default %s", d.Probability, def0)
	case (kind == pipeline.KindOpen) != d.Closed.IsZero():
		t.Fatalf("stage %s with close time %v", d.Stage, d.Closed)
	case kind == pipeline.KindWon && d.Amount.Sign() <= 0:
		t.Fatalf("won without a positive amount")
	case kind == pipeline.KindLost && d.Loss == nil:
		t.Fatalf("lost without a reason")
	case kind != pipeline.KindWon && d.Service != nil:
		t.Fatalf("after-sale part on a deal not won")
	}
	if len(d.Lines) > 0 {
		total, err := pipeline.LinesTotal(d.Lines)
		if err != nil || !total.Equal(d.Amount) {
			t.Fatalf("amount %s, lines total %s (%v)", d.Amount, total, err)
		}
	}
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// FuzzMachine builds machines from random specs, valid or not, with
// random gates, move guards and hooks, and fires random moves on the valid
// ones: nothing panics; a move succeeds exactly when the machine has it
// and its guards pass; a refused move changes nothing, runs no hook, and
// names the guard that refused; a move runs the exit hooks of its source,
// then the enter hooks of its target, once each; and the history always
// agrees with the stage.
func FuzzMachine(f *testing.F) {
	f.Add([]byte{3, 0, 1, 1, 2, 2, 0, 0, 1, 1, 0, 2, 1, 0})
	f.Add([]byte{5, 1, 0, 1, 1, 0, 1, 2, 3, 4, 0, 2, 4, 1, 3, 2, 2})
	// s0 → s1 (guarded), s1 gated, s1 → s2 (terminal) → s0 (reopen), s0 → s2;
	// moves refused by the guard, taken, reopened, refused by the gate.
	f.Add([]byte{2, 1, 0, 1, 2, 0, 0, 4, 0, 1, 1, 0, 1, 2, 1, 1, 2, 0, 0, 1, 0, 2, 1, 1,
		1, 1, 1, 1, 2, 1, 0, 0, 1, 1, 1, 1, 2, 1})
	errGate := errors.New("refused by the fuzz guard")
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r := &bytesReader{b: data}
		n := 1 + r.next()%6
		spec := svcSpec{Name: "fuzz", Initial: "s0"}
		var hooks []string // the hooks run, as "exit s1" or "enter s2"
		hook := func(what string) pipeline.Hook[pipeline.ServiceStage, *pipeline.Service] {
			return func(rec *pipeline.Service, _ pipeline.Transition[pipeline.ServiceStage]) {
				hooks = append(hooks, what+" "+string(rec.Stage))
			}
		}
		// A gate of stage i refuses a record whose history length is a
		// multiple of gateMod[i]; a guarded move refuses at odd minutes.
		gateMod := make([]int, n)
		for i := range n {
			st := svcStage{Stage: pipeline.ServiceStage(fmt.Sprintf("s%d", i)), Terminal: r.next()%3 == 0,
				OnExit:  []pipeline.Hook[pipeline.ServiceStage, *pipeline.Service]{hook("exit")},
				OnEnter: []pipeline.Hook[pipeline.ServiceStage, *pipeline.Service]{hook("enter")}}
			if g := r.next() % 4; g > 1 {
				gateMod[i] = g
				st.Guards = []pipeline.Guard[pipeline.ServiceStage, *pipeline.Service]{{Name: fmt.Sprintf("gate%d", i),
					Check: func(_ context.Context, rec *pipeline.Service, _ pipeline.Transition[pipeline.ServiceStage]) error {
						if len(rec.History)%g == 0 {
							return errGate
						}
						return nil
					}}}
			}
			spec.Stages = append(spec.Stages, st)
		}
		guarded := map[[2]pipeline.ServiceStage]bool{}
		for range r.next() % 12 {
			e := svcEdge{
				From:   pipeline.ServiceStage(fmt.Sprintf("s%d", r.next()%(n+1))),
				To:     pipeline.ServiceStage(fmt.Sprintf("s%d", r.next()%(n+1))),
				Reopen: r.next()%4 == 0,
			}
			if r.next()%3 == 0 {
				guarded[[2]pipeline.ServiceStage{e.From, e.To}] = true
				e.Guards = []pipeline.Guard[pipeline.ServiceStage, *pipeline.Service]{{Name: "odd minute",
					Check: func(_ context.Context, _ *pipeline.Service, tr pipeline.Transition[pipeline.ServiceStage]) error {
						if tr.At.Minute()%2 == 1 {
							return errGate
						}
						return nil
					}}}
			}
			spec.Edges = append(spec.Edges, e)
		}
		m, err := pipeline.NewMachine(spec)
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("a refused spec must wrap ErrInvalid: %v", err)
			}
			return
		}
		rec := &pipeline.Service{}
		if err := m.Start(rec, stamp(0)); err != nil {
			t.Fatal(err)
		}
		for step := 1; r.more(); step++ {
			to := pipeline.ServiceStage(fmt.Sprintf("s%d", r.next()%(n+1)))
			reopen := r.next()%4 == 0
			before := rec.Clone()
			hooks = hooks[:0]
			if reopen {
				err = m.Reopen(ctx, rec, to, stamp(step))
			} else {
				err = m.Fire(ctx, rec, to, stamp(step))
			}
			// The move succeeds exactly when the machine has it and its
			// guard and the target's gate pass, in that order.
			allowed := m.Allows(before.Stage, to, reopen)
			refusedBy := ""
			if i, ok := stageIndex(to, n); allowed && ok {
				switch {
				case guarded[[2]pipeline.ServiceStage{before.Stage, to}] && stamp(step).At.Minute()%2 == 1:
					refusedBy = "odd minute"
				case gateMod[i] > 0 && len(before.History)%gateMod[i] == 0:
					refusedBy = fmt.Sprintf("gate%d", i)
				}
			}
			if want := allowed && refusedBy == ""; (err == nil) != want {
				t.Fatalf("step %d: %s → %s (reopen %v): allowed %v, refused by %q, error %v", step, before.Stage, to, reopen, allowed, refusedBy, err)
			}
			if err != nil {
				if !errors.Is(err, sp.ErrInvalidTransition) || !sameJSON(before, *rec) || len(hooks) > 0 {
					t.Fatalf("a refused move must change nothing, run no hook and wrap ErrInvalidTransition: %v (hooks %v)", err, hooks)
				}
				var te *pipeline.TransitionError
				if !errors.As(err, &te) || te.From != string(before.Stage) || te.To != string(to) || te.Guard != refusedBy {
					t.Fatalf("a refusal must carry from %s, to %s and guard %q: %#v", before.Stage, to, refusedBy, te)
				}
				if (refusedBy != "") != errors.Is(err, errGate) {
					t.Fatalf("refused by %q: %v", refusedBy, err)
				}
				continue
			}
			if want := []string{"exit " + string(before.Stage), "enter " + string(to)}; !slices.Equal(hooks, want) {
				t.Fatalf("step %d: hooks %v, want %v", step, hooks, want)
			}
			if m.IsTerminal(before.Stage) != reopen {
				t.Fatalf("%s → %s: left terminal %v with reopen %v", before.Stage, to, m.IsTerminal(before.Stage), reopen)
			}
			if rec.Stage != to || len(rec.History) != len(before.History)+1 {
				t.Fatalf("moved to %s with %d history entries; want %s and %d", rec.Stage, len(rec.History), to, len(before.History)+1)
			}
			if last := rec.History[len(rec.History)-1]; last.From != before.Stage || last.To != to || !last.At.Equal(stamp(step).At) {
				t.Fatalf("recorded %+v for %s → %s at step %d", last, before.Stage, to, step)
			}
			if err := pipeline.CheckHistory(rec.Stage, rec.History); err != nil {
				t.Fatal(err)
			}
		}
		_ = m.Mermaid()
		_ = m.DOT()
	})
}

// stageIndex returns i for the stage "s<i>" of a fuzz machine of n stages.
func stageIndex(s pipeline.ServiceStage, n int) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(string(s), "s%d", &i); err != nil || i < 0 || i >= n {
		return 0, false
	}
	return i, true
}

func FuzzParseDealStage(f *testing.F) {
	for _, s := range []string{"", "won", "proposal", "a_1", "A", "1a", "x y", "é", "negotiation_2026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := pipeline.ParseDealStage(s)
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) || st != "" {
				t.Fatalf("error must wrap ErrInvalid and come with the zero stage: %q, %v", st, err)
			}
			var u pipeline.DealStage = "keep"
			if u.UnmarshalText([]byte(s)) == nil && s != "" {
				t.Fatalf("UnmarshalText accepted %q that ParseDealStage refused", s)
			}
			if s != "" && u != "keep" {
				t.Fatalf("UnmarshalText changed the stage on error")
			}
			return
		}
		text, _ := st.MarshalText()
		again, err := pipeline.ParseDealStage(string(text))
		if err != nil || again != st || st.String() != s {
			t.Fatalf("round trip of %q: %q, %v", s, again, err)
		}
	})
}

func FuzzUnmarshalDeal(f *testing.F) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(f, nil)
	d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	if err != nil {
		f.Fatal(err)
	}
	seed, _ := json.Marshal(d)
	f.Add(seed)
	f.Add([]byte(`{"stage":"Won"}`))
	f.Add([]byte(`{"lines":[{"discount":"x"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Decoding into a deal that holds data gives what decoding into
		// the zero deal gives (fields the document leaves out are zero),
		// and a failed decoding leaves the deal as it was.
		full := d.Clone()
		ferr := full.UnmarshalJSON(data)
		var z pipeline.Deal
		zerr := z.UnmarshalJSON(data)
		if (ferr == nil) != (zerr == nil) {
			t.Fatalf("decoding into a full deal: %v; into the zero deal: %v", ferr, zerr)
		}
		if ferr != nil {
			if !errors.Is(ferr, sp.ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", ferr)
			}
			if !sameJSON(full, d) {
				t.Fatalf("a failed decoding changed the deal: %v", ferr)
			}
			return
		}
		if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
			return // null leaves the deal as it was
		}
		if !sameJSON(full, z) {
			t.Fatalf("decoding into a full deal kept some of its fields")
		}
		out, err := json.Marshal(z)
		if err != nil {
			return // a decoded value may still be unmarshalable (an amount beyond bounds)
		}
		var again pipeline.Deal
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if !sameJSON(z, again) {
			t.Fatalf("round trip changed the deal")
		}
	})
}

// FuzzEnumText checks the UnmarshalText of the enumerations: a value is
// accepted exactly when Validate accepts it (or it is empty), round-trips
// through JSON, and a refusal leaves the destination unchanged.
func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"", "new", "qualified", "delivered", "call", "price", "won", "open", "x", "NEW", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(name string, dst interface{ UnmarshalText([]byte) error }, validate func() error, get func() string) {
			before := get()
			err := dst.UnmarshalText([]byte(s))
			switch {
			case err != nil:
				if !errors.Is(err, sp.ErrInvalid) || get() != before {
					t.Fatalf("%s: a refusal must wrap ErrInvalid and change nothing: %v", name, err)
				}
			case get() != s:
				t.Fatalf("%s: accepted %q as %q", name, s, get())
			case s != "" && validate() != nil:
				t.Fatalf("%s: accepted %q that Validate refuses", name, s)
			}
		}
		var is pipeline.InquiryStage = "keep"
		check("InquiryStage", &is, func() error { return is.Validate() }, func() string { return string(is) })
		var ss pipeline.ServiceStage = "keep"
		check("ServiceStage", &ss, func() error { return ss.Validate() }, func() string { return string(ss) })
		// The parsers take exactly the non-empty text that UnmarshalText
		// takes; their errors wrap ErrInvalid and come with the zero stage.
		agree := func(name string, got string, perr, uerr error) {
			if perr != nil && (!errors.Is(perr, sp.ErrInvalid) || got != "") {
				t.Fatalf("%s: a parse error must wrap ErrInvalid and come with the zero stage: %q, %v", name, got, perr)
			}
			if s != "" && (perr == nil) != (uerr == nil) {
				t.Fatalf("%s: parse %v, UnmarshalText %v", name, perr, uerr)
			}
		}
		ip, perr := pipeline.ParseInquiryStage(s)
		var iu pipeline.InquiryStage
		agree("ParseInquiryStage", string(ip), perr, iu.UnmarshalText([]byte(s)))
		if perr == nil && (ip != iu || ip.String() != s) {
			t.Fatalf("ParseInquiryStage(%q) = %q, UnmarshalText %q", s, ip, iu)
		}
		sst, perr := pipeline.ParseServiceStage(s)
		var su pipeline.ServiceStage
		agree("ParseServiceStage", string(sst), perr, su.UnmarshalText([]byte(s)))
		if perr == nil && (sst != su || sst.String() != s) {
			t.Fatalf("ParseServiceStage(%q) = %q, UnmarshalText %q", s, sst, su)
		}
		var ak pipeline.ActivityKind = "keep"
		check("ActivityKind", &ak, func() error { return ak.Validate() }, func() string { return string(ak) })
		var lc pipeline.LossCategory = "keep"
		check("LossCategory", &lc, func() error { return lc.Validate() }, func() string { return string(lc) })
		var sk pipeline.StageKind = "keep"
		check("StageKind", &sk, func() error { return sk.Validate() }, func() string { return string(sk) })
	})
}
