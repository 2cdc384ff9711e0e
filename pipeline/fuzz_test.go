package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/shopspring/decimal"
)

// fuzzStream hands out fuzz bytes, but once the input runs out it goes on
// with a pseudo-random sequence seeded by the input (splitmix64), so that
// what is built from the end of the input is neither all zeros nor the
// same from one input to the next.
type fuzzStream struct {
	data  []byte
	state uint64
}

func newFuzzStream(data []byte) *fuzzStream {
	h := fnv.New64a()
	h.Write(data)
	return &fuzzStream{data: data, state: h.Sum64()}
}

// more reports whether input is left.
func (s *fuzzStream) more() bool { return len(s.data) > 0 }

// next returns the next byte of input, or of the sequence after it.
func (s *fuzzStream) next() int {
	if len(s.data) > 0 {
		x := int(s.data[0])
		s.data = s.data[1:]
		return x
	}
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return int((z ^ z>>31) >> 56)
}

// randomSpec builds a deal pipeline from fuzz bytes: 1 to 5 open stages,
// 1 or 2 won and lost stages, backward moves or not, a random set of
// reopen moves, sometimes an amount gate on an open stage, and, when it
// reports custom, a random set of moves in place of the default ones
// (which may leave a stage unreachable or a dead end). A spec with the
// default moves is valid.
func randomSpec(r *fuzzStream) (spec pipeline.Spec, custom bool) {
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
			if r.next()%3 != 0 {
				spec.Reopen = append(spec.Reopen, pipeline.Move{From: from, To: to})
			}
		}
	}
	if g := r.next(); g%3 == 0 {
		i := (g / 3) % len(opens)
		spec.Stages[i].Gates = []pipeline.Gate{pipeline.RequireAmount()}
	}
	if custom = r.next()%4 == 0; custom {
		spec.Moves, spec.Backward = []pipeline.Move{}, false // Backward beside Moves is refused
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
// pipeline (default or custom moves, gates, reopen moves), on a store that
// is an outbox or not (see commandScenario). Mostly the owner issues a
// command that fits the deal's stage with valid arguments (a move the
// pipeline allows, a win or loss in a stage it may close in, delivery and
// follow-up of a won deal, a reopen), so that deals are won, lost, delivered
// and reopened often; one byte value in sixteen issues any command with any
// arguments by anyone, and one in sixteen carries an idempotency key; now
// and then, in place of a wild command, the store holds a value JSON cannot
// write in the closed deal (poisonDeal), which its events carry; and one
// input in five (by its hash) first opens the deal with a Created past the
// year 9999, with a key or without, which is refused naming "created", with
// nothing stored or published. It checks: every error wraps a sentinel; a
// refusal, an event or outcome that cannot be encoded among them, changes
// nothing stored, the deal (compared whole, version and all) nor the outcome
// of its key, and emits nothing; a move the pipeline allows is refused only
// by a gate, for want of an amount; a change moves the version by exactly
// one, emits exactly one event, valid, about the deal and with an ID of its
// own, returns the deal stored, stores a deal whose JSON decodes back to it
// and, keyed, an outcome that holds the deal returned, does what its command
// says (checkEffect), and is one DefaultPolicy allows; a keyed replay
// changes nothing and emits nothing; the history agrees with the stage;
// every move taken is one the pipeline has, and a closed stage is left only
// by reopening; a won or lost deal keeps its owner and terms, AssignDeal and
// SetTerms refused by its stage with a TransitionError from and to it; and
// the deal keeps the invariants of checkDeal.
func FuzzDealCommands(f *testing.F) {
	seeds := [][]byte{
		{1, 3, 1, 1, 10, 20, 30, 40, 1, 1, 1, 1, 1, 1, 2, 0, 3, 1, 7, 2, 5, 3, 0, 4, 1, 2, 9},
		{0, 4, 0, 0, 50, 50, 50, 50, 50, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		[]byte("a longer seed that drives many commands through a random pipeline"),
		{0, 2, 0, 0, 0, 10, 0, 50, 0, 80, 0, 0, 0, 1, 1, 0, 1, 1, 3, 1, 1,
			7, 2, 0, 1, 7, 3, 0, 1, 5, 6, 2, 4, 8, 4, 9, 4, 4, 5, 1, 12, 3, 8, 4, 35, 4, 35, 0, 22, 11, 1, 10, 2},
		{1, 1, 1, 0, 0, 20, 0, 60, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1,
			0, 1, 0, 0, 2, 1, 4, 5, 3, 1, 4, 5, 0, 2, 0, 1, 2, 3},
		// Commands that fit, keyed ones (224 to 239) and any ones (240 to 255).
		{0, 3, 0, 1, 5, 0, 7, 1, 0, 3, 230, 4, 230, 4, 241, 9, 2, 250, 11, 4, 0, 1, 245, 6, 5, 1, 6, 0, 3, 0, 12, 1, 13, 2, 9, 1},
		// The owner plans a call and completes it, plans more and
		// completes the first of them.
		append([]byte("09000000000000000001"), 17, 1, 17, 3, 17, 5, 17, 6, 17, 9),
		// Bob, who does not own the deal, loses it: refused.
		[]byte("0200000800A9A\xf5"),
		// The owner overrides the probability, then resets it; overrides it,
		// then closes the deal.
		[]byte("090000000000000000010708"),
		[]byte("090000000000000000011700"),
		// The owner assigns the deal to the other rep.
		[]byte("08000000000000000000000c"),
		// As the override then close above, opening first with a Created
		// past the year 9999, without a key and with one (by the hash).
		[]byte("0900000000000000000117005"),
		[]byte("09000000000000000001170002"),
		// Overrides, closes, then the system assigns the closed deal and
		// sets its terms: both refused by its stage.
		[]byte("090000000000000000011700\x00\x00\xf0\x0b\x0b\x02\xf0\x03\x07\x02"),
	}
	for _, outbox := range []bool{false, true} { // each seed on both stores
		for _, seed := range seeds {
			f.Add(seed, outbox)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, outbox bool) {
		ctx := context.Background()
		r := newFuzzStream(data)
		hash := r.state // picks, without a byte of input, the inputs that open with a bad Created first
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
		if hash%5 == 0 {
			// A Created that JSON cannot hold is refused, naming it, with
			// a key or without, and nothing is stored or published.
			bad := d
			bad.Created = far
			var o *pipeline.CommandOptions
			if hash&8 != 0 {
				o = &pipeline.CommandOptions{IdempotencyKey: "k0"}
			}
			_, err := s.Engine.OpenDeal(ctx, system, bad, o)
			var ve *sp.ValidationError
			if !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) || ve.Field != "created" {
				t.Fatalf("OpenDeal with a Created past the year 9999: %v", err)
			}
			if _, err := s.Store.GetDeal(ctx, "d1"); !errors.Is(err, sp.ErrNotFound) {
				t.Fatalf("OpenDeal refused stored the deal: %v", err)
			}
			if got := storedOutcome(t, s.Store, o); got != "" {
				t.Fatalf("OpenDeal refused stored an outcome: %s", got)
			}
			if got := log.added(t, "d1"); len(got) != 0 {
				t.Fatalf("OpenDeal refused emitted %d events", len(got))
			}
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
		owners := map[sp.RepID]sp.Actor{pipelinetest.RepAnn: ann, pipelinetest.RepBob: bob}
		// targets returns the stages of a kind the deal may move to from
		// its stage, reopening or not.
		targets := func(from pipeline.DealStage, kind pipeline.StageKind, reopen bool) []pipeline.DealStage {
			var out []pipeline.DealStage
			for _, to := range stages {
				if k, _ := def.Kind(to); k == kind && m.Allows(from, to, reopen) {
					out = append(out, to)
				}
			}
			return out
		}
		pick := func(among []pipeline.DealStage) pipeline.DealStage {
			if len(among) == 0 {
				return stages[r.next()%len(stages)] // none allowed: a refusal
			}
			return among[r.next()%len(among)]
		}
		loss := pipeline.LossReason{Category: pipeline.LossTiming, Detail: "later"}
		activities := 0
		for step := 0; r.more() && step < 200; step++ {
			// One byte of input per command chooses it; the arguments
			// may come from the stream after the input. Mostly the
			// owner issues a command that fits the deal's stage, with
			// valid arguments; byte values 240 to 255 (6 %) issue any
			// command with any arguments by anyone, and 224 to 239 (6 %)
			// carry one of three idempotency keys.
			c := r.next()
			kind, _ := def.Kind(prev.Stage)
			wild := c >= 240
			op, arg := 0, r.next()
			by := owners[prev.Owner]
			stage := stages[arg%len(stages)]
			var opts *pipeline.CommandOptions
			if c >= 224 && c < 240 {
				opts = &pipeline.CommandOptions{IdempotencyKey: fmt.Sprintf("k%d", arg%3)}
			}
			var prob decimal.Decimal
			var terms pipeline.Terms
			rep := pipelinetest.RepAnn
			if prev.Owner == rep {
				rep = pipelinetest.RepBob
			}
			switch w := c % 20; {
			case wild:
				op = r.next() % 14
				by = actors[r.next()%len(actors)]
				if arg%7 == 0 {
					opts = &pipeline.CommandOptions{IdempotencyKey: fmt.Sprintf("k%d", arg%3)}
				}
				if op == 2 || op == 3 {
					if arg%3 == 0 { // close in a chosen stage, not the first won or lost one
						o := pipeline.CommandOptions{Stage: stage}
						if opts != nil {
							o.IdempotencyKey = opts.IdempotencyKey
						}
						opts = &o
					}
				}
				prob = decimal.New(int64(arg%120), -2) // above 1 from 101
				if arg%2 == 1 {
					terms.Lines = []pipeline.Line{{Product: "widget", Quantity: int64(arg % 5), UnitPrice: pipelinetest.MustEUR("9.99")}}
				}
				rep = []sp.RepID{pipelinetest.RepAnn, pipelinetest.RepBob}[arg%2]
			case kind == pipeline.KindOpen:
				switch {
				case w < 6: // advance to an open or won stage the pipeline allows
					op, stage = 0, pick(append(targets(prev.Stage, pipeline.KindOpen, false), targets(prev.Stage, pipeline.KindWon, false)...))
				case w < 12: // win or lose in a stage the pipeline allows, or in the first one
					op = 2
					k := pipeline.KindWon
					if w >= 9 {
						op, k = 3, pipeline.KindLost
					}
					if among := targets(prev.Stage, k, false); len(among) > 0 && arg%2 == 0 {
						o := pipeline.CommandOptions{Stage: pick(among)}
						if opts != nil {
							o.IdempotencyKey = opts.IdempotencyKey
						}
						opts = &o
					}
				case w < 14:
					op = 7
					terms.Lines = []pipeline.Line{{Product: "widget", Quantity: int64(1 + arg%5), UnitPrice: pipelinetest.MustEUR("9.99")}}
				case w < 16:
					op, prob = 5, decimal.New(int64(arg%101), -2)
				case w < 17:
					op = 6
				case w < 19:
					op = 10
				default:
					op = 11
				}
			case kind == pipeline.KindWon:
				// Awaiting delivery: deliver or reopen. Delivered: follow
				// up. Followed up: nothing more but activities (a reopen,
				// refused, now and then).
				svc := pipeline.ServiceAwaitingDelivery
				if prev.Service != nil {
					svc = prev.Service.Stage
				}
				switch {
				case svc == pipeline.ServiceAwaitingDelivery && w < 6:
					op = 8
				case svc == pipeline.ServiceAwaitingDelivery && w < 15,
					svc == pipeline.ServiceDelivered && w >= 12 && w < 14, w < 2:
					op, stage = 4, pick(targets(prev.Stage, pipeline.KindOpen, true))
				case svc == pipeline.ServiceDelivered && w < 12:
					op = 9
				default:
					op = 10
				}
			default: // lost
				if w < 15 {
					op, stage = 4, pick(targets(prev.Stage, pipeline.KindOpen, true))
				} else {
					op = 10
				}
			}
			// An activity logged is planned now and then; one time in three
			// the owner completes the first planned one instead, if any.
			planned := firstPlanned(prev.Activities)
			if op == 10 && !wild && arg%3 == 0 && planned != "" {
				op = 13
			}
			if op == 12 {
				// Not a command: the host's store holds a value JSON
				// cannot write in the closed deal (see poisonDeal).
				if poisoned, ok := poisonDeal(t, s.Store, def, arg); ok {
					prev = poisoned
				}
				continue
			}
			keyed := opts != nil && opts.IdempotencyKey != ""
			// fits: the command is a move the pipeline allows, which only
			// a gate may refuse.
			fits := !wild && !keyed && (op == 0 && m.Allows(prev.Stage, stage, false) && !isLost(def, stage) ||
				(op == 2 || op == 3) && opts != nil && opts.Stage != "" ||
				// a planned activity completed, unless poisonDeal stored
				// a value its event cannot carry
				op == 13 && prev.Closed.Year() <= 9999 && (prev.Loss == nil || prev.Loss.Category.Validate() == nil))
			reopen := false
			stored, outcome := storedDeal(t, s.Store, "d1"), storedOutcome(t, s.Store, opts)
			var ret pipeline.Deal
			var cerr error
			switch op {
			case 0, 1:
				ret, cerr = s.Engine.Advance(ctx, by, "d1", stage, opts)
			case 2:
				ret, cerr = s.Engine.Win(ctx, by, "d1", opts)
			case 3:
				ret, cerr = s.Engine.Lose(ctx, by, "d1", loss, opts)
			case 4:
				reopen = true
				ret, cerr = s.Engine.ReopenDeal(ctx, by, "d1", stage, opts)
			case 5:
				ret, cerr = s.Engine.OverrideProbability(ctx, by, "d1", prob, opts)
			case 6:
				ret, cerr = s.Engine.ResetProbability(ctx, by, "d1", opts)
			case 7:
				ret, cerr = s.Engine.SetTerms(ctx, by, "d1", terms, opts)
			case 8:
				ret, cerr = s.Engine.Deliver(ctx, by, "d1", opts)
			case 9:
				ret, cerr = s.Engine.FollowUp(ctx, by, "d1", nil, opts)
			case 10:
				id := fmt.Sprintf("a%d", activities) // a new activity, or in wild commands one of four others
				if wild {
					id = fmt.Sprintf("w%d", arg%4)
				}
				a := pipeline.Activity{ID: id, Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}
				if arg%2 == 1 {
					a.Done, a.Due = time.Time{}, pipelinetest.Epoch().Add(24*time.Hour)
				}
				ret, cerr = s.Engine.LogDealActivity(ctx, by, "d1", a, opts)
			case 11:
				ret, cerr = s.Engine.AssignDeal(ctx, by, "d1", rep, opts)
			case 13:
				if wild && (planned == "" || arg%2 == 1) {
					planned = fmt.Sprintf("w%d", arg%4) // unknown, planned or done
				}
				ret, cerr = s.Engine.CompleteDealActivity(ctx, by, "d1", planned, pipeline.ActivityCompletion{Outcome: "done"}, opts)
			}
			if cerr != nil && !errors.Is(cerr, sp.ErrInvalidTransition) && !errors.Is(cerr, sp.ErrInvalid) &&
				!errors.Is(cerr, sp.ErrForbidden) && !errors.Is(cerr, sp.ErrDuplicate) &&
				!(op == 13 && errors.Is(cerr, sp.ErrNotFound)) {
				t.Fatalf("step %d op %d: unexpected error %v", step, op, cerr)
			}
			cur, err := s.Engine.GetDeal(ctx, "d1")
			if err != nil {
				t.Fatal(err)
			}
			checkDeal(t, def, cur)
			events := log.added(t, "d1")
			// A command that fits the deal, by its owner, without a key,
			// fails only where a gate refuses: a move the pipeline allows
			// to a deal without a positive amount.
			var te *pipeline.TransitionError
			if fits && cerr != nil && (!errors.As(cerr, &te) || te.Guard == "" || prev.Amount.Sign() > 0) {
				t.Fatalf("step %d op %d: %s → %s, a move the pipeline allows, refused: %v", step, op, prev.Stage, stage, cerr)
			}
			// A closed deal keeps its owner and terms: its stage refuses
			// AssignDeal and SetTerms as it refuses a move, unless the
			// policy, the terms or a reused key refuse them first.
			if (op == 7 || op == 11) && kind != pipeline.KindOpen {
				var ve *sp.ValidationError
				switch {
				case cerr == nil && cur.Version != prev.Version:
					t.Fatalf("step %d op %d: the %s deal changed by %s", step, op, prev.Stage, dealCommandOf(op))
				case cerr == nil, errors.Is(cerr, sp.ErrForbidden), errors.Is(cerr, pipeline.ErrKeyReused),
					errors.As(cerr, &ve) && (ve.Field == "terms" || strings.HasPrefix(ve.Field, "terms.")):
				case !errors.As(cerr, &te) || !errors.Is(cerr, sp.ErrInvalidTransition) || te.From != string(prev.Stage) || te.To != string(prev.Stage):
					t.Fatalf("step %d op %d: %s of the %s deal refused without a transition error from and to its stage: %v",
						step, op, dealCommandOf(op), prev.Stage, cerr)
				}
			}
			// A change (not the replay of a keyed command, which returns
			// the first outcome) is one the policy allows.
			if cerr == nil && cur.Version != prev.Version {
				target := pipeline.Target{Kind: "deal", ID: "d1", Owner: prev.Owner, Region: prev.Region, Stage: string(prev.Stage)}
				if perr := (pipeline.DefaultPolicy{}).Authorize(ctx, by, dealCommandOf(op), target); perr != nil {
					t.Fatalf("step %d op %d: %s by %s done although the policy refuses it: %v", step, op, dealCommandOf(op), by.ID, perr)
				}
			}
			switch {
			case cerr != nil && errors.Is(cerr, pipeline.ErrKeyReused):
				fallthrough
			case cerr != nil:
				// Nothing is written, the record nor the outcome of its
				// key, and nothing is published, whatever refused it:
				// the stage, the policy, a gate, or an event or outcome
				// that cannot be encoded.
				if storedDeal(t, s.Store, "d1") != stored || len(events) != 0 {
					t.Fatalf("step %d op %d: a refused command changed the deal or emitted %d events: %v", step, op, len(events), cerr)
				}
				if now := storedOutcome(t, s.Store, opts); now != outcome {
					t.Fatalf("step %d op %d: a refused command changed the outcome of its key from %q to %q: %v", step, op, outcome, now, cerr)
				}
			case cur.Version == prev.Version:
				// A replay of a keyed command: nothing applied again.
				if !keyed || !sameJSON(prev, cur) {
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
				if !sameJSON(ret, cur) {
					t.Fatalf("step %d op %d: returned a deal other than the one stored", step, op)
				}
				checkEncodes(t, cur, ret, opts, s.Store)
				checkEffect(t, def, op, prev, cur, opts, stage, prob, terms, rep, loss)
				if op == 13 {
					checkCompleted(t, prev.Activities, cur.Activities, planned)
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
				if op == 10 {
					activities++
				}
			}
			prev = cur
		}
	})
}

// poisonDeal stores the deal d1 of FuzzDealCommands, if it is closed, at
// its next version with a value JSON cannot write, as a host's store may
// hold one: a close time past the year 9999 or, for a lost deal, an
// unknown loss category, as arg chooses. The deal's events carry both, so
// every command on it fails, with nothing written and nothing published,
// until one leaves them behind (ReopenDeal clears both). It returns the
// deal stored, and false for an open deal, which it leaves alone.
func poisonDeal(t *testing.T, st pipeline.DealStore, def *pipeline.Definition, arg int) (pipeline.Deal, bool) {
	t.Helper()
	ctx := context.Background()
	d, err := st.GetDeal(ctx, "d1")
	if err != nil {
		t.Fatal(err)
	}
	kind, _ := def.Kind(d.Stage)
	switch {
	case kind == pipeline.KindOpen:
		return d, false
	case kind == pipeline.KindLost && arg%2 == 1:
		loss := *d.Loss
		loss.Category = "vibes"
		d.Loss = &loss
	default:
		d.Closed = far
	}
	d.Version++
	if err := st.UpdateDeal(ctx, d, d.Version-1); err != nil {
		t.Fatal(err)
	}
	return d, true
}

// storedDeal returns the deal id as st holds it, in a form that compares
// whole records: its JSON, beside the close time and the loss category,
// which a deal poisonDeal stored holds in forms JSON refuses. A record
// that does not encode otherwise fails t.
func storedDeal(t *testing.T, st pipeline.DealStore, id sp.DealID) string {
	t.Helper()
	d, err := st.GetDeal(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	closed, category := d.Closed.String(), ""
	d.Closed = time.Time{}
	if d.Loss != nil {
		loss := *d.Loss
		category, loss.Category = string(loss.Category), ""
		d.Loss = &loss
	}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("the stored deal %s does not encode: %v", id, err)
	}
	return closed + " " + category + " " + string(raw)
}

// storedOutcome returns the JSON of the outcome st holds for the key of
// opts, "" when it holds none or opts has no key.
func storedOutcome(t *testing.T, st pipeline.IdempotencyStore, opts *pipeline.CommandOptions) string {
	t.Helper()
	if opts == nil || opts.IdempotencyKey == "" {
		return ""
	}
	o, err := st.GetOutcome(context.Background(), opts.IdempotencyKey)
	if errors.Is(err, sp.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("the outcome of key %s does not encode: %v", opts.IdempotencyKey, err)
	}
	return string(raw)
}

// checkEncodes checks a record a command stored, cur, that returned ret:
// its JSON decodes back to it, and a keyed command's outcome, which the
// engine encodes before it writes the change, holds what it returned.
func checkEncodes[T any](t *testing.T, cur, ret T, opts *pipeline.CommandOptions, st pipeline.IdempotencyStore) {
	t.Helper()
	raw, err := json.Marshal(cur)
	if err != nil {
		t.Fatalf("the stored %T does not encode: %v", cur, err)
	}
	var back T
	if err := json.Unmarshal(raw, &back); err != nil || !sameJSON(back, cur) {
		t.Fatalf("the stored %T does not decode back (%v): %s", cur, err, raw)
	}
	if opts == nil || opts.IdempotencyKey == "" {
		return
	}
	o, err := st.GetOutcome(context.Background(), opts.IdempotencyKey)
	if err != nil {
		t.Fatalf("no outcome of key %s after its command: %v", opts.IdempotencyKey, err)
	}
	want, _ := json.Marshal(ret)
	if string(o.Result) != string(want) {
		t.Fatalf("the outcome of key %s holds %s; the command returned %s", opts.IdempotencyKey, o.Result, want)
	}
}

// dealCommandOf returns the command of FuzzDealCommands's operation op.
func dealCommandOf(op int) pipeline.Command {
	return []pipeline.Command{pipeline.CmdAdvance, pipeline.CmdAdvance, pipeline.CmdWin, pipeline.CmdLose, pipeline.CmdReopen,
		pipeline.CmdOverride, pipeline.CmdResetProb, pipeline.CmdSetTerms, pipeline.CmdDeliver, pipeline.CmdFollowUp,
		pipeline.CmdLogActivity, pipeline.CmdAssign, "", pipeline.CmdCompleteActivity}[op]
}

// firstPlanned returns the ID of the first planned activity of as, or ""
// if none is.
func firstPlanned(as []pipeline.Activity) string {
	for _, a := range as {
		if !a.IsDone() {
			return a.ID
		}
	}
	return ""
}

// checkCompleted checks that a completion of the activity id changed
// prev to cur as CompleteInquiryActivity and CompleteDealActivity promise:
// the activity, planned before, is done now, with its kind, due time and
// actor kept; every other activity is as it was.
func checkCompleted(t *testing.T, prev, cur []pipeline.Activity, id string) {
	t.Helper()
	if len(cur) != len(prev) {
		t.Fatalf("completing %s: %d activities after %d", id, len(cur), len(prev))
	}
	found := false
	for i, a := range cur {
		b := prev[i]
		if a.ID != id {
			if !sameJSON(a, b) {
				t.Fatalf("completing %s changed the activity %s", id, a.ID)
			}
			continue
		}
		found = true
		if b.IsDone() || !a.IsDone() || a.Kind != b.Kind || !a.Due.Equal(b.Due) || a.Actor != b.Actor {
			t.Fatalf("completing %s: %+v after %+v", id, a, b)
		}
	}
	if !found {
		t.Fatalf("completed %s, which the record does not have", id)
	}
}

func isLost(def *pipeline.Definition, s pipeline.DealStage) bool {
	k, _ := def.Kind(s)
	return k == pipeline.KindLost
}

// checkEffect checks that the change op of FuzzDealCommands made to the
// deal, from prev to cur, is the one its command promises: a stage command
// moves it where asked (and a move drops an override), the others keep its
// stage and history and change what they say.
func checkEffect(t *testing.T, def *pipeline.Definition, op int, prev, cur pipeline.Deal, opts *pipeline.CommandOptions,
	stage pipeline.DealStage, prob decimal.Decimal, terms pipeline.Terms, rep sp.RepID, loss pipeline.LossReason) {
	t.Helper()
	kind, _ := def.Kind(cur.Stage)
	var in pipeline.DealStage // the stage Win or Lose was asked to close in
	if opts != nil {
		in = opts.Stage
	}
	moved := op <= 4 // Advance, Win, Lose, ReopenDeal
	if !moved && (cur.Stage != prev.Stage || len(cur.History) != len(prev.History)) {
		t.Fatalf("op %d moved the deal from %s to %s", op, prev.Stage, cur.Stage)
	}
	if moved && (len(cur.History) != len(prev.History)+1 || cur.Overridden) {
		t.Fatalf("op %d: a move from %s to %s with %d history entries after %d, override %v",
			op, prev.Stage, cur.Stage, len(cur.History), len(prev.History), cur.Overridden)
	}
	bad := ""
	switch op {
	case 0, 1:
		if cur.Stage != stage {
			bad = "advanced elsewhere"
		}
		if k, _ := def.Kind(stage); k == pipeline.KindWon && (cur.Service == nil || cur.Service.Stage != pipeline.ServiceAwaitingDelivery) {
			bad = "won by Advance without an after-sale part awaiting delivery"
		}
	case 2:
		if kind != pipeline.KindWon || in != "" && cur.Stage != in {
			bad = "won elsewhere"
		}
		if cur.Service == nil || cur.Service.Stage != pipeline.ServiceAwaitingDelivery {
			bad = "won without an after-sale part awaiting delivery"
		}
	case 3:
		if kind != pipeline.KindLost || in != "" && cur.Stage != in || cur.Loss == nil || *cur.Loss != loss {
			bad = "lost elsewhere or for another reason"
		}
	case 4:
		if cur.Stage != stage || cur.Service != nil || cur.Loss != nil {
			bad = "reopened elsewhere, or kept its after-sale part or loss"
		}
	case 5:
		if !cur.Overridden || !cur.Probability.Equal(prob) {
			bad = "probability not overridden"
		}
	case 6:
		if cur.Overridden {
			bad = "override kept"
		}
	case 7:
		if !sameJSON(cur.Lines, terms.Lines) && len(terms.Lines) > 0 {
			bad = "lines not set"
		}
	case 8:
		if cur.Service == nil || cur.Service.Stage != pipeline.ServiceDelivered {
			bad = "not delivered"
		}
	case 9:
		if cur.Service == nil || cur.Service.Stage != pipeline.ServiceFollowedUp {
			bad = "not followed up"
		}
	case 10:
		if len(cur.Activities) != len(prev.Activities)+1 {
			bad = "no activity added"
		}
	case 13:
		if len(cur.Activities) != len(prev.Activities) {
			bad = "an activity added or removed"
		}
	case 11:
		if cur.Owner != rep {
			bad = "owner not set"
		}
	}
	if bad != "" {
		t.Fatalf("op %d on %s: %s: now %s, owner %s, probability %s", op, prev.Stage, bad, cur.Stage, cur.Owner, cur.Probability)
	}
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

// FuzzMachine builds machines from random specs with random gates, move
// guards and hooks, and fires random moves on them. Mostly the spec is
// valid (s0 open, every stage reached from an earlier open one, every open
// stage with a move to a terminal one, some more moves and reopen moves)
// and the moves fired are ones the machine has; a byte from 232 up (9 %)
// gives the spec one flaw NewMachine must refuse (a move from or to an
// unknown stage, from a stage to itself, declared twice, out of a terminal
// stage without Reopen, a Reopen move from an open stage, or a terminal
// initial stage), and one move in eight is to any stage, reopening or not.
// It checks: NewMachine refuses exactly the flawed specs, with an error
// wrapping ErrInvalid; nothing panics; the machine has exactly the spec's
// moves and terminal stages; a move succeeds exactly when the spec declares
// it, as a reopen move exactly when it leaves a terminal stage, and its
// guards pass; a refused move changes nothing, runs no hook, and names the
// guard that refused; a move runs the exit hooks of its source, then the
// enter hooks of its target, once each; and the history always agrees
// with the stage.
func FuzzMachine(f *testing.F) {
	f.Add([]byte{3, 0, 1, 1, 2, 2, 0, 0, 1, 1, 0, 2, 1, 0})
	f.Add([]byte{5, 1, 0, 1, 1, 0, 1, 2, 3, 4, 0, 2, 4, 1, 3, 2, 2})
	f.Add([]byte{2, 1, 0, 1, 2, 0, 0, 4, 0, 1, 1, 0, 1, 2, 1, 1, 2, 0, 0, 1, 0, 2, 1, 1,
		1, 1, 1, 1, 2, 1, 0, 0, 1, 1, 1, 1, 2, 1})
	f.Add([]byte{4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 240, 1, 2, 3, 250, 4, 5, 6})
	// Two stages, s1 terminal with a guarded reopen move to s0; a wild move
	// from s1 to s0 without reopening, which must be refused.
	f.Add([]byte("200000000000000000000000000000\xf0"))
	// Three stages, s2 terminal; moves s0 → s1, s1 → s2, s0 → s2 and the
	// reopen move s2 → s0; then each of the 6 flaws, with s0 and s2 as its
	// open and terminal stages: the byte b at index 17 chooses flaw b % 6.
	for b := byte(234); b <= 239; b++ {
		f.Add([]byte{1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, b, 0, 0, 0})
	}
	errGate := errors.New("refused by the fuzz guard")
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r := newFuzzStream(data)
		n := 2 + r.next()%5
		spec := testSpec{Name: "fuzz", Initial: "s0"}
		var hooks []string // the hooks run, as "exit s1" or "enter s2"
		hook := func(what string) pipeline.Hook[pipeline.DealStage, *pipeline.Deal] {
			return func(rec *pipeline.Deal, _ pipeline.Transition[pipeline.DealStage]) {
				hooks = append(hooks, what+" "+string(rec.Stage))
			}
		}
		name := func(i int) pipeline.DealStage { return pipeline.DealStage(fmt.Sprintf("s%d", i)) }
		// A gate of stage i refuses a record whose history length is a
		// multiple of gateMod[i]; a guarded move refuses at odd minutes.
		gateMod := make([]int, n)
		terminal := make([]bool, n)
		for i := range n {
			terminal[i] = i > 0 && r.next()%3 == 0
			st := testStage{Stage: name(i), Terminal: terminal[i],
				OnExit:  []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{hook("exit")},
				OnEnter: []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{hook("enter")}}
			if g := r.next() % 4; g > 1 {
				gateMod[i] = g
				st.Guards = []pipeline.Guard[pipeline.DealStage, *pipeline.Deal]{{Name: fmt.Sprintf("gate%d", i),
					Check: func(_ context.Context, rec *pipeline.Deal, _ pipeline.Transition[pipeline.DealStage]) error {
						if len(rec.History)%g == 0 {
							return errGate
						}
						return nil
					}}}
			}
			spec.Stages = append(spec.Stages, st)
		}
		if !slices.Contains(terminal, true) {
			terminal[n-1], spec.Stages[n-1].Terminal = true, true
		}
		var opens, ends []int
		for i := range n {
			if terminal[i] {
				ends = append(ends, i)
			} else {
				opens = append(opens, i)
			}
		}
		guarded := map[[2]pipeline.DealStage]bool{}
		has := map[[2]int]bool{}
		add := func(from, to int, reopen bool) {
			if from == to || has[[2]int{from, to}] {
				return // a move to itself or declared twice is refused
			}
			has[[2]int{from, to}] = true
			e := testEdge{From: name(from), To: name(to), Reopen: reopen}
			if r.next()%3 == 0 {
				guarded[[2]pipeline.DealStage{e.From, e.To}] = true
				e.Guards = []pipeline.Guard[pipeline.DealStage, *pipeline.Deal]{{Name: "odd minute",
					Check: func(_ context.Context, _ *pipeline.Deal, tr pipeline.Transition[pipeline.DealStage]) error {
						if tr.At.Minute()%2 == 1 {
							return errGate
						}
						return nil
					}}}
			}
			spec.Edges = append(spec.Edges, e)
		}
		// Each stage is reached from an earlier open one, each open stage
		// has a move to a terminal one; then some more moves, and reopen
		// moves out of terminal stages.
		for i := 1; i < n; i++ {
			var from []int
			for _, o := range opens {
				if o < i {
					from = append(from, o)
				}
			}
			add(from[r.next()%len(from)], i, false)
		}
		for _, o := range opens {
			add(o, ends[r.next()%len(ends)], false)
		}
		for range r.next() % 6 {
			add(opens[r.next()%len(opens)], r.next()%n, false)
		}
		for _, e := range ends {
			if r.next()%2 == 0 {
				add(e, opens[r.next()%len(opens)], true)
			}
		}
		flaw := -1
		if b := r.next(); b >= 232 {
			flaw = b % 6
			oi, ei := opens[r.next()%len(opens)], ends[r.next()%len(ends)]
			o, e := name(oi), name(ei)
			// declare declares the move from → to with the Reopen flag
			// wrong, changing it if the spec has it already, so that the
			// flag alone is at fault, not a move declared twice.
			declare := func(from, to int, reopen bool) {
				if has[[2]int{from, to}] {
					i := slices.IndexFunc(spec.Edges, func(e testEdge) bool { return e.From == name(from) && e.To == name(to) })
					spec.Edges[i].Reopen = reopen
					return
				}
				spec.Edges = append(spec.Edges, testEdge{From: name(from), To: name(to), Reopen: reopen})
			}
			switch flaw {
			case 0:
				spec.Edges = append(spec.Edges, testEdge{From: o, To: name(n + r.next()%2)}) // to an unknown stage
			case 1:
				spec.Edges = append(spec.Edges, testEdge{From: o, To: o})
			case 2:
				spec.Edges = append(spec.Edges, spec.Edges[r.next()%len(spec.Edges)])
			case 3:
				declare(ei, oi, false)
			case 4: // to another open stage if there is one: a reopen move to a terminal stage is refused anyway
				to := ei
				if len(opens) > 1 {
					to = opens[(slices.Index(opens, oi)+1)%len(opens)]
				}
				declare(oi, to, true)
			case 5:
				spec.Initial = e
			}
		}
		m, err := pipeline.NewMachine(spec)
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("a refused spec must wrap ErrInvalid: %v", err)
			}
			if flaw < 0 {
				t.Fatalf("a valid spec refused: %v", err)
			}
			return
		}
		if flaw >= 0 {
			t.Fatalf("a spec with flaw %d accepted", flaw)
		}
		// The machine has exactly the moves the spec declares, each with
		// its Reopen flag, and the spec's terminal stages.
		declared := map[[2]pipeline.DealStage]bool{} // the move's Reopen flag
		for _, e := range spec.Edges {
			declared[[2]pipeline.DealStage{e.From, e.To}] = e.Reopen
		}
		allows := func(from, to pipeline.DealStage, reopen bool) bool {
			re, ok := declared[[2]pipeline.DealStage{from, to}]
			return ok && re == reopen
		}
		for i := range n + 1 { // name(n) is no stage of the machine
			if m.IsTerminal(name(i)) != (i < n && terminal[i]) {
				t.Fatalf("%s: terminal %v", name(i), m.IsTerminal(name(i)))
			}
			for j := range n + 1 {
				for _, reopen := range []bool{false, true} {
					if got := m.Allows(name(i), name(j), reopen); got != allows(name(i), name(j), reopen) {
						t.Fatalf("%s → %s (reopen %v): allowed %v; the spec declares %v", name(i), name(j), reopen, got, !got)
					}
				}
			}
		}
		rec := &pipeline.Deal{}
		if err := m.Start(rec, stamp(0)); err != nil {
			t.Fatal(err)
		}
		for step := 1; r.more() && step <= 200; step++ { // the history grows, and each step checks all of it
			// Mostly a move the machine has; byte values 224 to 255 any
			// move, to any stage or an unknown one, reopening or not.
			var to pipeline.DealStage
			cur, _ := stageIndex(rec.Stage, n)
			reopen := terminal[cur]
			if c := r.next(); c >= 224 {
				to, reopen = name(r.next()%(n+1)), r.next()%4 == 0
			} else {
				var among []pipeline.DealStage
				for i := range n {
					if allows(rec.Stage, name(i), reopen) {
						among = append(among, name(i))
					}
				}
				if len(among) == 0 {
					among = append(among, name(c%n)) // a terminal stage without reopen moves: a refusal
				}
				to = among[c%len(among)]
			}
			before := rec.Clone()
			hooks = hooks[:0]
			if reopen {
				err = m.Reopen(ctx, rec, to, stamp(step))
			} else {
				err = m.Fire(ctx, rec, to, stamp(step))
			}
			// The move succeeds exactly when the spec declares it, with
			// reopen exactly when it leaves a terminal stage, and its
			// guard and the target's gate pass, in that order.
			allowed := allows(before.Stage, to, reopen)
			refusedBy := ""
			if i, ok := stageIndex(to, n); allowed && ok {
				switch {
				case guarded[[2]pipeline.DealStage{before.Stage, to}] && stamp(step).At.Minute()%2 == 1:
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
func stageIndex(s pipeline.DealStage, n int) (int, bool) {
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
	f.Add([]byte("\fnull"))
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
		if !json.Valid(data) {
			t.Fatalf("took %q, which is not JSON", data)
		}
		if string(bytes.Trim(data, " \t\r\n")) == "null" {
			return // null leaves the deal as it was
		}
		if !sameJSON(full, z) {
			t.Fatalf("decoding into a full deal kept some of its fields")
		}
		out, err := json.Marshal(z)
		if err != nil {
			// A decoded deal may not encode (an amount beyond bounds),
			// with an error wrapping ErrInvalid.
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("encoding a decoded deal: error without ErrInvalid: %v", err)
			}
			return
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

// FuzzEnumText checks the text forms of the enumerations: a value is
// accepted exactly when Validate accepts it (or it is empty), marshals
// back to its text and round-trips through JSON, a refusal leaves the
// destination unchanged, and MarshalText refuses what UnmarshalText
// refuses (see checkEnumText).
func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"", "new", "qualified", "delivered", "call", "price", "won", "open", "x", "NEW", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkEnumText[pipeline.InquiryStage](t, s)
		checkEnumText[pipeline.ServiceStage](t, s)
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
		checkEnumText[pipeline.ActivityKind](t, s)
		checkEnumText[pipeline.LossCategory](t, s)
		checkEnumText[pipeline.StageKind](t, s)
		checkEnumText[pipeline.Command](t, s)
	})
}

// textEnum is what FuzzEnumText checks of each enumeration.
type textEnum interface {
	~string
	MarshalText() ([]byte, error)
	Validate() error
}

// checkEnumText checks the contract of FuzzEnumText for the enumeration T
// and the text s: UnmarshalText accepts s exactly when Validate does (or
// s is empty), and a refusal wraps ErrInvalid and changes nothing;
// MarshalText refuses, wrapping ErrInvalid, exactly what UnmarshalText
// refuses, and gives back the text it accepts; and an accepted value
// round-trips through JSON into a value that held another.
func checkEnumText[T textEnum, P interface {
	*T
	UnmarshalText([]byte) error
}](t *testing.T, s string) {
	t.Helper()
	v := T(s)
	valid := s == "" || v.Validate() == nil
	dst := T("keep")
	err := P(&dst).UnmarshalText([]byte(s))
	switch {
	case err != nil && (!errors.Is(err, sp.ErrInvalid) || dst != "keep"):
		t.Fatalf("%T: a refusal must wrap ErrInvalid and change nothing: %q, %v", v, dst, err)
	case (err == nil) != valid:
		t.Fatalf("%T: UnmarshalText of %q: %v; Validate: %v", v, s, err, v.Validate())
	case err == nil && dst != v:
		t.Fatalf("%T: accepted %q as %q", v, s, dst)
	}
	out, merr := v.MarshalText()
	if !valid {
		if !errors.Is(merr, sp.ErrInvalid) {
			t.Fatalf("%T: MarshalText of %q, which UnmarshalText refuses: %q, %v", v, s, out, merr)
		}
		if _, jerr := json.Marshal(v); !errors.Is(jerr, sp.ErrInvalid) {
			t.Fatalf("%T: json.Marshal of %q, which UnmarshalText refuses: %v", v, s, jerr)
		}
		return
	}
	if merr != nil || string(out) != s {
		t.Fatalf("%T: MarshalText of %q: %q, %v", v, s, out, merr)
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T: json.Marshal of %q: %v", v, s, err)
	}
	back := T("keep")
	if err := json.Unmarshal(data, &back); err != nil || back != v {
		t.Fatalf("%T: %q marshals to %s, which decodes to %q, %v", v, s, data, back, err)
	}
}
