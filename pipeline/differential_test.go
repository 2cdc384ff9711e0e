package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/shopspring/decimal"
)

// This file checks the stage machines against naive reference models
// written from their docs. TestDefinitionAgainstModel builds random valid
// deal pipelines (3 to 12 stages, default or explicit moves, reopen moves,
// gates that pass, refuse or fail by what they see, hooks that record what
// they see) and runs random commands on a deal (Advance, Win, Lose, Reopen,
// Override, ResetProbability, and moves by the pipeline's Machine), with
// stages as the keys, as equal strings in bytes of their own, unknown or
// empty; after every command the error, the deal and the calls of gates
// and hooks must be the model's. TestMachineAgainstModel does the same for
// a generic Machine of a host's type, and TestRecordMachinesAgainstDocs
// tries every move of the inquiry and after-sale machines.

var errDiffStore = errors.New("diff: the store failed")

// diffGate is a gate of a random spec: verdict decides from what the gate
// sees, so that the pipeline's gate and the model's call of it agree.
type diffGate struct {
	name    string
	verdict func(histLen, amountSign int, at time.Time) error
}

type diffStage struct {
	key        pipeline.DealStage
	kind       pipeline.StageKind
	order      int
	prob       decimal.Decimal // the effective default
	gates      []diffGate
	exit, into bool // hooks
}

// diffModel is the reference: the pipeline as the docs describe it.
type diffModel struct {
	name    string
	stages  []*diffStage // by order
	byKey   map[string]*diffStage
	moves   map[[2]string]bool
	reopens map[[2]string]bool
	log     []diffCall
}

// diffKeys returns n distinct stage keys of one of several shapes: plain,
// prefixes of one string (sharing their bytes), or keys whose length and
// first, middle and last bytes agree (which no multiplier of the stage
// index separates).
func diffKeys(r *rand.Rand, n int) []pipeline.DealStage {
	keys := make([]pipeline.DealStage, n)
	switch r.IntN(3) {
	case 0:
		for i, p := range r.Perm(40)[:n] {
			keys[i] = pipeline.DealStage(fmt.Sprintf("%c%d", 'a'+p%26, p))
		}
	case 1:
		base := "sx_y_z_w_v_u_t_s_r_q_p_o_n_m_l_k"
		for i := range n {
			keys[i] = pipeline.DealStage(base[:2+2*i])
		}
		r.Shuffle(n, func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	default:
		for i := range n {
			keys[i] = pipeline.DealStage(fmt.Sprintf("k%cm%cz", 'a'+i%6, 'a'+i/6))
		}
	}
	return keys
}

func diffVerdict(r *rand.Rand) (string, func(histLen, amountSign int, at time.Time) error) {
	switch k := r.IntN(10); {
	case k < 4:
		mod, salt := 2+r.IntN(3), r.IntN(4)
		return fmt.Sprintf("history %d/%d", mod, salt), func(h, _ int, _ time.Time) error {
			if (h+salt)%mod == 0 {
				return errors.New("the history says no")
			}
			return nil
		}
	case k < 6:
		return "some amount", func(_, a int, _ time.Time) error {
			if a <= 0 {
				return errors.New("no amount")
			}
			return nil
		}
	case k < 8:
		return "an even minute", func(_, _ int, at time.Time) error {
			if at.Minute()%2 == 1 {
				return errors.New("odd minute")
			}
			return nil
		}
	case k < 9:
		return "a store", func(h, _ int, _ time.Time) error {
			if h%5 == 3 {
				return pipeline.Abort(fmt.Errorf("reading: %w", errDiffStore))
			}
			return nil
		}
	default:
		return "", func(h, _ int, at time.Time) error { // no name
			switch {
			case h%3 == 1 && at.Minute()%3 == 0:
				return fmt.Errorf("gave up: %w", context.Canceled)
			case h%3 == 2:
				return errors.New("nameless says no")
			}
			return nil
		}
	}
}

// diffSpec returns a random valid spec of 3 to 12 stages and its model;
// the spec's gates and hooks append their calls to *log.
func diffSpec(r *rand.Rand, log *[]diffCall) (pipeline.Spec, *diffModel) {
	n := 3 + r.IntN(10)
	nOpen := 1 + r.IntN(n-2)
	nWon := 1 + r.IntN(n-nOpen-1)
	keys := diffKeys(r, n)
	orders := r.Perm(3 * n)
	m := &diffModel{byKey: map[string]*diffStage{}, moves: map[[2]string]bool{}, reopens: map[[2]string]bool{}}
	if r.IntN(3) > 0 {
		m.name = fmt.Sprintf("p%d", r.IntN(3))
	}
	spec := pipeline.Spec{Name: m.name, Backward: r.IntN(2) == 0}
	probs := []decimal.Decimal{decimal.Zero, decimal.New(1, 0), decimal.New(50, -2), decimal.New(333, -3), decimal.New(1, -2), decimal.New(100, -2)}
	for i, key := range keys {
		st := &diffStage{key: key, kind: pipeline.KindOpen, order: orders[i] - n}
		ss := pipeline.StageSpec{Key: key, Order: st.order, Name: strings.ToUpper(string(key))}
		switch {
		case i < nOpen:
			ss.Probability = probs[r.IntN(len(probs))]
			st.prob = ss.Probability
		case i < nOpen+nWon:
			st.kind, st.prob = pipeline.KindWon, decimal.New(1, 0)
			if r.IntN(2) == 0 {
				ss.Probability = decimal.New(10, -1)
			}
		default:
			st.kind, st.prob = pipeline.KindLost, decimal.Zero
		}
		ss.Kind = st.kind
		for j := range r.IntN(3) {
			if r.IntN(2) == 0 {
				continue
			}
			name, verdict := diffVerdict(r)
			if name != "" {
				name = fmt.Sprintf("%s (%s.%d)", name, key, j)
			}
			g := diffGate{name: name, verdict: verdict}
			st.gates = append(st.gates, g)
			ss.Gates = append(ss.Gates, pipeline.Gate{Name: name, Check: func(_ context.Context, d *pipeline.Deal, tr pipeline.Transition[pipeline.DealStage]) error {
				*log = append(*log, diffGateCall(g.name, tr))
				return g.verdict(len(d.History), d.Amount.Sign(), tr.At)
			}})
		}
		if st.exit = r.IntN(3) == 0; st.exit {
			ss.OnExit = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(d *pipeline.Deal, tr pipeline.Transition[pipeline.DealStage]) {
				*log = append(*log, diffHookCall("exit "+string(key), d, tr))
			}}
		}
		if st.into = r.IntN(3) == 0; st.into {
			ss.OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(d *pipeline.Deal, tr pipeline.Transition[pipeline.DealStage]) {
				*log = append(*log, diffHookCall("enter "+string(key), d, tr))
			}}
		}
		spec.Stages = append(spec.Stages, ss)
		m.byKey[string(key)] = st
		m.stages = append(m.stages, st)
	}
	r.Shuffle(n, func(i, j int) { spec.Stages[i], spec.Stages[j] = spec.Stages[j], spec.Stages[i] })
	slices.SortFunc(m.stages, func(a, b *diffStage) int { return a.order - b.order })
	var opens, closed []*diffStage
	for _, st := range m.stages {
		if st.kind == pipeline.KindOpen {
			opens = append(opens, st)
		} else {
			closed = append(closed, st)
		}
	}
	if r.IntN(3) == 0 {
		spec.Backward = false // refused beside moves
		// Explicit moves: each stage but the first open one reached from an
		// open stage reached before it, each open stage with a move to a
		// closed one, and some more.
		spec.Moves = []pipeline.Move{}
		add := func(from, to *diffStage) {
			if from == to || m.moves[[2]string{string(from.key), string(to.key)}] {
				return
			}
			m.moves[[2]string{string(from.key), string(to.key)}] = true
			spec.Moves = append(spec.Moves, pipeline.Move{From: from.key, To: to.key})
		}
		reached := []*diffStage{opens[0]}
		rest := slices.Clone(m.stages[:])
		rest = slices.DeleteFunc(rest, func(s *diffStage) bool { return s == opens[0] })
		r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
		for _, st := range rest {
			var from []*diffStage
			for _, s := range reached {
				if s.kind == pipeline.KindOpen {
					from = append(from, s)
				}
			}
			add(from[r.IntN(len(from))], st)
			reached = append(reached, st)
		}
		for _, o := range opens {
			add(o, closed[r.IntN(len(closed))])
		}
		for range r.IntN(2 * n) {
			add(opens[r.IntN(len(opens))], m.stages[r.IntN(n)])
		}
	} else {
		for _, a := range opens {
			for _, b := range m.stages {
				if a != b && (b.kind != pipeline.KindOpen || b.order > a.order || spec.Backward) {
					m.moves[[2]string{string(a.key), string(b.key)}] = true
				}
			}
		}
	}
	for _, c := range closed {
		for _, o := range opens {
			if r.IntN(3) > 0 {
				m.reopens[[2]string{string(c.key), string(o.key)}] = true
				spec.Reopen = append(spec.Reopen, pipeline.Move{From: c.key, To: o.key})
			}
		}
	}
	return spec, m
}

// diffCall is a call of a gate or a hook, as it saw the transition and
// the record: comparable, and formatted only when a failure shows it.
type diffCall struct {
	what             string
	i                int
	from, to         string
	at               time.Time
	actor            sp.ActorID
	reason           string
	stage            string // the record's, when a hook ran
	hist, score      int
	prob             float64
	override, closed bool
}

func diffGateCall(name string, tr pipeline.Transition[pipeline.DealStage]) diffCall {
	return diffCall{what: "gate " + name, from: string(tr.From), to: string(tr.To), at: tr.At, actor: tr.Actor, reason: tr.Reason}
}

func diffHookCall(what string, d *pipeline.Deal, tr pipeline.Transition[pipeline.DealStage]) diffCall {
	return diffCall{what: what, from: string(tr.From), to: string(tr.To), at: tr.At, actor: tr.Actor, reason: tr.Reason,
		stage: string(d.Stage), hist: len(d.History), prob: d.Probability.InexactFloat64(), override: d.Overridden, closed: !d.Closed.IsZero()}
}

func joinCalls(cs []diffCall) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s #%d: %s→%s at %s by %s for %q; record in %q with %d transitions, score %d, probability %v (override %v), closed %v\n",
			c.what, c.i, c.from, c.to, c.at.Format(time.Kitchen), c.actor, c.reason, c.stage, c.hist, c.score, c.prob, c.override, c.closed)
	}
	return b.String()
}

// diffWant is the outcome the model expects of a command.
type diffWant struct {
	kind     string // "", "invalid", "transition", "abort", "canceled"
	from, to string
	guard    string
	guarded  bool // a guard refused
}

func (w diffWant) String() string {
	if w.kind == "" {
		return "success"
	}
	return fmt.Sprintf("%s %q → %q guard %q (guarded %v)", w.kind, w.from, w.to, w.guard, w.guarded)
}

func refused(from, to string) diffWant { return diffWant{kind: "transition", from: from, to: to} }

// first returns the first stage of kind by order.
func (m *diffModel) first(kind pipeline.StageKind) *diffStage {
	for _, st := range m.stages {
		if st.kind == kind {
			return st
		}
	}
	return nil
}

// move is the model of Advance, Win, Lose and Reopen (machine false) and
// of the Machine's Fire and Reopen (machine true) on deal d.
func (m *diffModel) move(d *pipeline.Deal, toKey string, s pipeline.Stamp, mode string, machine bool, loss *pipeline.LossReason) diffWant {
	reopen := mode == "reopen"
	if !machine {
		switch {
		case mode == "lose" && loss.Validate() != nil:
			return diffWant{kind: "invalid"}
		case mode == "reopen" && d.Service != nil && d.Service.Stage != pipeline.ServiceAwaitingDelivery:
			return refused(string(d.Stage), toKey)
		}
		if toKey == "" && mode == "win" {
			toKey = string(m.first(pipeline.KindWon).key)
		}
		if toKey == "" && mode == "lose" {
			toKey = string(m.first(pipeline.KindLost).key)
		}
		if mode == "lose" && s.Reason == "" {
			s.Reason = string(loss.Category) + ": " + loss.Detail
		}
		if d.Pipeline != m.name {
			return refused(string(d.Stage), toKey)
		}
	}
	from, to := m.byKey[string(d.Stage)], m.byKey[toKey]
	if from == nil || to == nil || from == to {
		return refused(string(d.Stage), toKey)
	}
	pair := [2]string{string(from.key), string(to.key)}
	closedFrom := from.kind != pipeline.KindOpen
	switch {
	case reopen && (!closedFrom || !m.reopens[pair]):
		return refused(string(d.Stage), toKey)
	case !reopen && (closedFrom || !m.moves[pair]):
		return refused(string(d.Stage), toKey)
	case !machine && mode == "advance" && to.kind == pipeline.KindLost,
		!machine && mode == "win" && to.kind != pipeline.KindWon,
		!machine && mode == "lose" && to.kind != pipeline.KindLost:
		return refused(string(d.Stage), toKey)
	}
	// The gates: of the open stages the move skips (into an open stage,
	// those between; into a won stage, every open one after the source),
	// the built-in amount gate of a won stage, then the target's.
	var gates []diffGate
	if !reopen && to.kind != pipeline.KindLost {
		for _, st := range m.stages {
			if st.kind == pipeline.KindOpen && st.order > from.order && (to.kind == pipeline.KindWon || st.order < to.order) {
				gates = append(gates, st.gates...)
			}
		}
	}
	if to.kind == pipeline.KindWon {
		gates = append(gates, diffGate{name: "a positive amount", verdict: func(_, a int, _ time.Time) error {
			if a <= 0 {
				return errors.New("no amount")
			}
			return nil
		}})
	}
	gates = append(gates, to.gates...)
	tr := pipeline.Transition[pipeline.DealStage]{From: from.key, To: to.key, At: s.At, Actor: s.Actor, Reason: s.Reason}
	for _, g := range gates {
		if g.name != "a positive amount" {
			m.log = append(m.log, diffGateCall(g.name, tr))
		}
		if err := g.verdict(len(d.History), d.Amount.Sign(), s.At); err != nil {
			switch {
			case errors.Is(err, errDiffStore):
				return diffWant{kind: "abort"}
			case errors.Is(err, context.Canceled):
				return diffWant{kind: "canceled"}
			}
			return diffWant{kind: "transition", from: string(d.Stage), to: toKey, guard: g.name, guarded: true}
		}
	}
	if from.exit {
		m.log = append(m.log, diffHookCall("exit "+string(from.key), d, tr))
	}
	d.Stage = to.key
	d.History = append(d.History, tr)
	if !machine {
		d.Probability, d.Overridden = to.prob, false
		d.Closed, d.Loss = time.Time{}, nil
		if to.kind != pipeline.KindOpen {
			d.Closed = s.At
		}
		if to.kind == pipeline.KindLost {
			l := *loss
			d.Loss = &l
		}
	}
	if to.into {
		m.log = append(m.log, diffHookCall("enter "+string(to.key), d, tr))
	}
	if reopen && !machine {
		d.Service = nil
	}
	return diffWant{}
}

// probability is the model of Override (reset false) and ResetProbability.
func (m *diffModel) probability(d *pipeline.Deal, prob decimal.Decimal, reset bool) diffWant {
	if !reset && (prob.Sign() < 0 || prob.Cmp(decimal.New(1, 0)) > 0) {
		return diffWant{kind: "invalid"}
	}
	st := m.byKey[string(d.Stage)]
	if d.Pipeline != m.name || st == nil || st.kind != pipeline.KindOpen {
		return refused(string(d.Stage), string(d.Stage))
	}
	if reset {
		d.Probability, d.Overridden = st.prob, false
	} else {
		d.Probability, d.Overridden = prob, true
	}
	return diffWant{}
}

// check reports how err differs from w, or "".
func (w diffWant) check(err error) string {
	var te *pipeline.TransitionError
	isTE := errors.As(err, &te)
	switch w.kind {
	case "":
		if err != nil {
			return fmt.Sprintf("error %v", err)
		}
	case "invalid":
		if !errors.Is(err, sp.ErrInvalid) || isTE {
			return fmt.Sprintf("error %v; want one wrapping ErrInvalid", err)
		}
	case "abort":
		if !errors.Is(err, errDiffStore) || errors.Is(err, sp.ErrInvalidTransition) || isTE {
			return fmt.Sprintf("error %v; want the store's error as it is", err)
		}
	case "canceled":
		if !errors.Is(err, context.Canceled) || errors.Is(err, sp.ErrInvalidTransition) || isTE {
			return fmt.Sprintf("error %v; want the context's error as it is", err)
		}
	default:
		switch {
		case !isTE || !errors.Is(err, sp.ErrInvalidTransition):
			return fmt.Sprintf("error %v; want a *TransitionError", err)
		case te.From != w.from || te.To != w.to || te.Guard != w.guard || (te.Err != nil) != w.guarded:
			return fmt.Sprintf("error %#v", te)
		}
	}
	return ""
}

// diffSameDeal reports how got differs from want, or "".
func diffSameDeal(got, want *pipeline.Deal) string {
	g, w := *got, *want
	sameTrans := func(a, b pipeline.Transition[pipeline.DealStage]) bool {
		return a.From == b.From && a.To == b.To && a.At.Equal(b.At) && a.Actor == b.Actor && a.Reason == b.Reason
	}
	same := g.Probability.Equal(w.Probability) && g.Amount.Equal(w.Amount) && g.Closed.Equal(w.Closed) &&
		slices.EqualFunc(g.History, w.History, sameTrans)
	g.Probability, g.Amount, g.Closed, g.History = decimal.Zero, sp.Money{}, time.Time{}, nil
	w.Probability, w.Amount, w.Closed, w.History = decimal.Zero, sp.Money{}, time.Time{}, nil
	if same && reflect.DeepEqual(g, w) {
		return ""
	}
	jg, _ := json.Marshal(got)
	jw, _ := json.Marshal(want)
	return fmt.Sprintf("deal\n%s\nwant\n%s", jg, jw)
}

func TestDefinitionAgainstModel(t *testing.T) {
	seeds, steps := 200, 60
	if testing.Short() {
		seeds = 100
	}
	for seed := range seeds {
		diffRun(t, uint64(seed), steps)
		if t.Failed() {
			return
		}
	}
}

func diffMoney(s string) sp.Money {
	m, err := sp.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// fresh returns s in bytes of its own, as a stage decoded from JSON has.
func fresh(s pipeline.DealStage) pipeline.DealStage {
	return pipeline.DealStage(strings.Clone(string(s)))
}

func diffRun(t *testing.T, seed uint64, steps int) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var log []diffCall
	spec, m := diffSpec(r, &log)
	def, err := pipeline.NewDefinition(spec)
	if err != nil {
		t.Fatalf("seed %d: a valid spec refused: %v", seed, err)
	}
	keys := make([]pipeline.DealStage, len(m.stages))
	for i, st := range m.stages {
		keys[i] = st.key
	}
	// The queries: stages by order with their effective probabilities,
	// kinds and the initial stage, for the constants, stages in bytes of
	// their own, and unknown ones.
	i := 0
	for st := range def.Stages() {
		if i >= len(m.stages) || st.Key != m.stages[i].key || st.Kind != m.stages[i].kind || !st.Probability.Equal(m.stages[i].prob) {
			t.Fatalf("seed %d: stage %d is %+v", seed, i, st)
		}
		i++
	}
	if i != len(m.stages) || def.Initial() != m.first(pipeline.KindOpen).key || def.Name() != m.name {
		t.Fatalf("seed %d: %d stages, initial %s, name %q", seed, i, def.Initial(), def.Name())
	}
	for _, st := range m.stages {
		for _, key := range []pipeline.DealStage{st.key, fresh(st.key)} {
			k, ok := def.Kind(key)
			p, pok := def.Probability(key)
			if !ok || !pok || k != st.kind || !p.Equal(st.prob) || def.IsOpen(key) != (st.kind == pipeline.KindOpen) {
				t.Fatalf("seed %d: %s is %s (%v) at %s (%v)", seed, key, k, ok, p, pok)
			}
		}
	}
	for _, key := range []pipeline.DealStage{"", "nosuch", m.stages[0].key + "x"} {
		if _, ok := def.Kind(key); ok || def.IsOpen(key) {
			t.Fatalf("seed %d: %q is a stage", seed, key)
		}
		if _, ok := def.Probability(key); ok {
			t.Fatalf("seed %d: %q has a probability", seed, key)
		}
	}
	var edges, got []string
	for _, f := range m.stages {
		for _, to := range m.stages {
			pair := [2]string{string(f.key), string(to.key)}
			if !m.moves[pair] && !m.reopens[pair] {
				continue
			}
			var names []string
			if m.moves[pair] && to.kind != pipeline.KindLost {
				for _, st := range m.stages {
					if st.kind == pipeline.KindOpen && st.order > f.order && (to.kind == pipeline.KindWon || st.order < to.order) {
						names = append(names, diffNames(st.gates)...)
					}
				}
			}
			if to.kind == pipeline.KindWon {
				names = append(names, "a positive amount")
			}
			names = append(names, diffNames(to.gates)...)
			edges = append(edges, fmt.Sprintf("%s→%s %v %q", f.key, to.key, m.reopens[pair], names))
		}
	}
	for e := range def.Machine().Edges() {
		got = append(got, fmt.Sprintf("%s→%s %v %q", e.From, e.To, e.Reopen, e.Guards))
	}
	if !slices.Equal(got, edges) {
		t.Fatalf("seed %d: edges\n%s\nwant\n%s", seed, strings.Join(got, "\n"), strings.Join(edges, "\n"))
	}
	at := t0
	d := &pipeline.Deal{ID: "d1", Owner: "rep-ann", Customer: "c1", Product: "widget"}
	if r.IntN(4) > 0 {
		d.Amount = diffMoney("100.00 EUR")
	}
	if err := def.Start(d, pipeline.Stamp{At: at, Actor: "rep-ann"}); err != nil {
		t.Fatalf("seed %d: Start: %v", seed, err)
	}
	if d.Stage != m.stages[slices.IndexFunc(m.stages, func(s *diffStage) bool { return s.kind == pipeline.KindOpen })].key ||
		!d.Probability.Equal(m.first(pipeline.KindOpen).prob) || d.Pipeline != m.name {
		t.Fatalf("seed %d: started in %s at %s on %q", seed, d.Stage, d.Probability, d.Pipeline)
	}
	want := d.Clone()
	var trace []lazyText
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d after\n%s\n%s", seed, joinLazy(trace), fmt.Sprintf(format, args...))
	}
	// stage picks a target: mostly one the model allows from the deal's
	// stage, as the constant or in bytes of its own; sometimes any stage,
	// an unknown one or none.
	stage := func(reopen bool) pipeline.DealStage {
		var to pipeline.DealStage
		switch k := r.IntN(12); {
		case k == 0:
			return ""
		case k == 1:
			return "nosuch"
		case k < 5:
			to = keys[r.IntN(len(keys))]
		default:
			var among []pipeline.DealStage
			for _, key := range keys {
				pair := [2]string{string(d.Stage), string(key)}
				if reopen && m.reopens[pair] || !reopen && m.moves[pair] {
					among = append(among, key)
				}
			}
			if len(among) == 0 {
				among = keys
			}
			to = among[r.IntN(len(among))]
		}
		if r.IntN(3) == 0 {
			return fresh(to)
		}
		return to
	}
	for step := range steps {
		at = at.Add(time.Duration(1+r.IntN(3)) * time.Minute)
		s := pipeline.Stamp{At: at, Actor: sp.ActorID([]string{"rep-ann", "rep-bob"}[r.IntN(2)])}
		if r.IntN(3) == 0 {
			s.Reason = fmt.Sprintf("reason %d", step)
		}
		log, m.log = log[:0], m.log[:0]
		var w diffWant
		var err error
		var what lazyText
		machine := r.IntN(8) == 0 // move with the Machine, bypassing the deal rules
		if d.Pipeline != m.name && r.IntN(2) == 0 {
			d.Pipeline, want.Pipeline = m.name, m.name
		}
		op := r.IntN(13)
		if st := m.byKey[string(d.Stage)]; st != nil && st.kind != pipeline.KindOpen && r.IntN(2) == 0 {
			op = 7 // mostly reopen a closed deal
			if d.Service != nil && r.IntN(2) == 0 {
				op = 11
			}
		}
		switch op {
		case 0, 1, 2:
			to := stage(false)
			what = lazy("Advance(%q, %+v) machine %v", to, s, machine)
			if machine {
				w = m.move(&want, string(to), s, "advance", true, nil)
				err = def.Machine().Fire(ctx, d, to, s)
			} else {
				w = m.move(&want, string(to), s, "advance", false, nil)
				err = def.Advance(ctx, d, to, s)
			}
		case 3, 4:
			to := stage(false)
			if r.IntN(3) == 0 {
				to = ""
			}
			what = lazy("Win(%q, %+v)", to, s)
			w = m.move(&want, string(to), s, "win", false, nil)
			err = def.Win(ctx, d, to, s)
		case 5, 6:
			to := stage(false)
			if r.IntN(3) == 0 {
				to = ""
			}
			loss := pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}
			switch r.IntN(8) {
			case 0:
				loss.Detail = ""
			case 1:
				loss.Category = "weather"
			}
			what = lazy("Lose(%q, %+v, %+v)", to, loss, s)
			w = m.move(&want, string(to), s, "lose", false, &loss)
			err = def.Lose(ctx, d, to, loss, s)
		case 7, 8:
			to := stage(true)
			what = lazy("Reopen(%q, %+v) machine %v", to, s, machine)
			if machine {
				w = m.move(&want, string(to), s, "reopen", true, nil)
				err = def.Machine().Reopen(ctx, d, to, s)
			} else {
				w = m.move(&want, string(to), s, "reopen", false, nil)
				err = def.Reopen(ctx, d, to, s)
			}
		case 9:
			prob := []decimal.Decimal{decimal.New(-1, -1), decimal.Zero, decimal.New(3, -1), decimal.New(1, 0), decimal.New(15, -1)}[r.IntN(5)]
			what = lazy("Override(%s)", prob)
			w = m.probability(&want, prob, false)
			err = def.Override(d, prob)
		case 10:
			what = lazy("ResetProbability")
			w = m.probability(&want, decimal.Zero, true)
			err = def.ResetProbability(d)
		case 11:
			// What a host changes between commands: the amount, the
			// after-sale part, the pipeline's name; or the deal decoded
			// from JSON, its stage in bytes of its own.
			switch r.IntN(5) {
			case 0:
				d.Amount = []sp.Money{{}, diffMoney("0.00 EUR"), diffMoney("-5.00 EUR"), diffMoney("12.50 USD")}[r.IntN(4)]
				what = lazy("amount %s", d.Amount)
			case 1:
				if svc := r.IntN(3); svc == 0 {
					d.Service = nil
				} else {
					d.Service = &pipeline.Service{Stage: []pipeline.ServiceStage{pipeline.ServiceAwaitingDelivery, pipeline.ServiceDelivered}[svc-1]}
				}
				what = lazy("service %v", d.Service)
			case 2:
				if d.Pipeline == m.name {
					d.Pipeline = "other"
				} else {
					d.Pipeline = m.name
				}
				what = lazy("pipeline %s", d.Pipeline)
			case 3:
				d.Stage = fresh(d.Stage)
				what = lazy("stage in its own bytes")
			default:
				b, err := json.Marshal(d)
				if err != nil {
					fail("marshal: %v", err)
				}
				var back pipeline.Deal
				if err := json.Unmarshal(b, &back); err != nil {
					fail("unmarshal: %v", err)
				}
				*d = back
				what = lazy("decoded")
			}
			want.Amount, want.Pipeline = d.Amount, d.Pipeline
			want.Service = nil
			if d.Service != nil {
				svc := *d.Service
				want.Service = &svc
			}
		default:
			d.History = slices.Grow(d.History, r.IntN(3))
			what = lazy("history with room")
		}
		trace = append(trace, lazy("%d: %s: %s", step, what, w))
		if msg := w.check(err); msg != "" {
			fail("%s", msg)
		}
		if msg := diffSameDeal(d, &want); msg != "" {
			fail("%s", msg)
		}
		if !slices.Equal(log, m.log) {
			fail("calls\n%s\nwant\n%s", joinCalls(log), joinCalls(m.log))
		}
	}
}

// hostBid is a host's own record that embeds a Deal, whose stage keys, as
// a host's pipelines', are any well-formed keys.
type hostBid struct {
	pipeline.Deal
	Score int
}

// machModel is the reference of a generic Machine, from its docs.
type machModel struct {
	stages   []pipeline.DealStage
	terminal map[pipeline.DealStage]bool
	gates    map[pipeline.DealStage][]diffGate
	edges    map[[2]pipeline.DealStage][]diffGate // the move's own guards
	reopen   map[[2]pipeline.DealStage]bool
	hooks    map[string]int // "exit s" or "enter s": how many
	log      []diffCall
}

type leadTrans = pipeline.Transition[pipeline.DealStage]

func leadGateCall(name string, tr leadTrans) diffCall {
	return diffCall{what: "guard " + name, from: string(tr.From), to: string(tr.To), at: tr.At, actor: tr.Actor, reason: tr.Reason}
}

func leadHookCall(what string, i int, r *hostBid, tr leadTrans) diffCall {
	return diffCall{what: what, i: i, from: string(tr.From), to: string(tr.To), at: tr.At, actor: tr.Actor, reason: tr.Reason,
		stage: string(r.Stage), hist: len(r.History), score: r.Score}
}

func (m *machModel) has(s pipeline.DealStage) bool { return slices.Contains(m.stages, s) }

func (m *machModel) fire(r *hostBid, to pipeline.DealStage, s pipeline.Stamp, reopen bool) diffWant {
	from := r.Stage
	e, ok := m.edges[[2]pipeline.DealStage{from, to}]
	switch {
	case !m.has(from) || !m.has(to) || from == to, !ok,
		m.reopen[[2]pipeline.DealStage{from, to}] != reopen, m.terminal[from] != reopen:
		return refused(string(from), string(to))
	}
	tr := leadTrans{From: from, To: to, At: s.At, Actor: s.Actor, Reason: s.Reason}
	for _, g := range slices.Concat(e, m.gates[to]) {
		m.log = append(m.log, leadGateCall(g.name, tr))
		if err := g.verdict(len(r.History), r.Score%2, s.At); err != nil {
			switch {
			case errors.Is(err, errDiffStore):
				return diffWant{kind: "abort"}
			case errors.Is(err, context.Canceled):
				return diffWant{kind: "canceled"}
			}
			return diffWant{kind: "transition", from: string(from), to: string(to), guard: g.name, guarded: true}
		}
	}
	for i := range m.hooks["exit "+string(from)] {
		m.log = append(m.log, leadHookCall("exit "+string(from), i, r, tr))
		r.Score++
	}
	r.Stage = to
	r.History = append(r.History, tr)
	for i := range m.hooks["enter "+string(to)] {
		m.log = append(m.log, leadHookCall("enter "+string(to), i, r, tr))
		r.Score++
	}
	return diffWant{}
}

func TestMachineAgainstModel(t *testing.T) {
	seeds := 150
	if testing.Short() {
		seeds = 100
	}
	for seed := range seeds {
		machRun(t, uint64(seed), 60)
		if t.Failed() {
			return
		}
	}
}

func machRun(t *testing.T, seed uint64, steps int) {
	t.Helper()
	type stageDef = pipeline.StageDef[pipeline.DealStage, *hostBid]
	type edgeDef = pipeline.EdgeDef[pipeline.DealStage, *hostBid]
	type guard = pipeline.Guard[pipeline.DealStage, *hostBid]
	type hook = pipeline.Hook[pipeline.DealStage, *hostBid]
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 0xface))
	var log []diffCall
	n := 2 + r.IntN(11)
	m := &machModel{terminal: map[pipeline.DealStage]bool{}, gates: map[pipeline.DealStage][]diffGate{},
		edges: map[[2]pipeline.DealStage][]diffGate{}, reopen: map[[2]pipeline.DealStage]bool{}, hooks: map[string]int{}}
	mkGuard := func(g diffGate) guard {
		return guard{Name: g.name, Check: func(_ context.Context, rec *hostBid, tr leadTrans) error {
			log = append(log, leadGateCall(g.name, tr))
			return g.verdict(len(rec.History), rec.Score%2, tr.At)
		}}
	}
	randGates := func(what string) (model []diffGate, spec []guard) {
		for j := range r.IntN(3) {
			name, verdict := diffVerdict(r)
			if name != "" {
				name = fmt.Sprintf("%s (%s.%d)", name, what, j)
			}
			g := diffGate{name: name, verdict: verdict}
			model, spec = append(model, g), append(spec, mkGuard(g))
		}
		return model, spec
	}
	spec := pipeline.MachineSpec[pipeline.DealStage, *hostBid]{Name: "lead"}
	for _, k := range diffKeys(r, n) {
		key := k
		m.stages = append(m.stages, key)
		sd := stageDef{Stage: key}
		m.gates[key], sd.Guards = randGates(string(key))
		for _, what := range []string{"exit", "enter"} {
			name := what + " " + string(key)
			for i := range r.IntN(3) {
				h := hook(func(rec *hostBid, tr leadTrans) {
					log = append(log, leadHookCall(name, i, rec, tr))
					rec.Score++
				})
				if what == "exit" {
					sd.OnExit = append(sd.OnExit, h)
				} else {
					sd.OnEnter = append(sd.OnEnter, h)
				}
				m.hooks[name]++
			}
		}
		spec.Stages = append(spec.Stages, sd)
	}
	// Stage 0 is the initial one, open; the others terminal at random,
	// the last one if none is.
	var opens, ends []int
	for i := range n {
		if i > 0 && (r.IntN(3) == 0 || i == n-1 && len(ends) == 0) {
			ends = append(ends, i)
			m.terminal[m.stages[i]] = true
			spec.Stages[i].Terminal = true
		} else {
			opens = append(opens, i)
		}
	}
	spec.Initial = m.stages[0]
	add := func(from, to int, reopen bool) {
		pair := [2]pipeline.DealStage{m.stages[from], m.stages[to]}
		if _, dup := m.edges[pair]; dup || from == to {
			return
		}
		ed := edgeDef{From: pair[0], To: pair[1], Reopen: reopen}
		m.edges[pair], ed.Guards = randGates(string(pair[0]) + "->" + string(pair[1]))
		if m.edges[pair] == nil {
			m.edges[pair] = []diffGate{}
		}
		m.reopen[pair] = reopen
		spec.Edges = append(spec.Edges, ed)
	}
	for i := 1; i < n; i++ {
		var from []int
		for _, o := range opens {
			if o < i {
				from = append(from, o)
			}
		}
		add(from[r.IntN(len(from))], i, false)
	}
	for _, o := range opens {
		add(o, ends[r.IntN(len(ends))], false)
	}
	for range r.IntN(2 * n) {
		add(opens[r.IntN(len(opens))], r.IntN(n), false)
	}
	for _, e := range ends {
		for range r.IntN(3) {
			add(e, opens[r.IntN(len(opens))], true)
		}
	}
	r.Shuffle(len(spec.Edges), func(i, j int) { spec.Edges[i], spec.Edges[j] = spec.Edges[j], spec.Edges[i] })
	mach, err := pipeline.NewMachine(spec)
	if err != nil {
		t.Fatalf("seed %d: a valid spec refused: %v", seed, err)
	}
	// Edges: by source then target in declared order, each with its own
	// guards then the target's gates.
	var edges []string
	for _, f := range m.stages {
		for _, to := range m.stages {
			if e, ok := m.edges[[2]pipeline.DealStage{f, to}]; ok {
				edges = append(edges, fmt.Sprintf("%s→%s %v %q", f, to, m.reopen[[2]pipeline.DealStage{f, to}], diffNames(slices.Concat(e, m.gates[to]))))
			}
		}
	}
	var got []string
	for e := range mach.Edges() {
		got = append(got, fmt.Sprintf("%s→%s %v %q", e.From, e.To, e.Reopen, e.Guards))
	}
	if !slices.Equal(got, edges) {
		t.Fatalf("seed %d: edges\n%s\nwant\n%s", seed, strings.Join(got, "\n"), strings.Join(edges, "\n"))
	}
	at := t0
	rec, want := &hostBid{}, &hostBid{}
	if err := mach.Start(rec, pipeline.Stamp{At: at, Actor: "rep-ann"}); err != nil {
		t.Fatalf("seed %d: Start: %v", seed, err)
	}
	want.Stage = m.stages[0]
	want.History = []leadTrans{{To: m.stages[0], At: at, Actor: "rep-ann"}}
	var trace []lazyText
	for step := range steps {
		at = at.Add(time.Duration(1+r.IntN(3)) * time.Minute)
		s := pipeline.Stamp{At: at, Actor: sp.ActorID([]string{"rep-ann", "rep-bob"}[r.IntN(2)])}
		if r.IntN(3) == 0 {
			s.Reason = fmt.Sprintf("reason %d", step)
		}
		log, m.log = log[:0], m.log[:0]
		reopen := m.terminal[rec.Stage]
		if r.IntN(8) == 0 {
			reopen = !reopen
		}
		var to pipeline.DealStage
		switch k := r.IntN(12); {
		case k == 0:
			to = ""
		case k == 1:
			to = "nosuch"
		case k < 5:
			to = m.stages[r.IntN(n)]
		default:
			var among []pipeline.DealStage
			for _, st := range m.stages {
				if e, ok := m.edges[[2]pipeline.DealStage{rec.Stage, st}]; ok && e != nil && m.reopen[[2]pipeline.DealStage{rec.Stage, st}] == reopen {
					among = append(among, st)
				}
			}
			if len(among) == 0 {
				among = m.stages
			}
			to = among[r.IntN(len(among))]
		}
		if r.IntN(3) == 0 {
			to = pipeline.DealStage(strings.Clone(string(to)))
		}
		var w diffWant
		var err error
		what := lazy("Fire(%q, %+v)", to, s)
		switch k := r.IntN(20); {
		case k == 0:
			what = lazy("Start(%+v)", s)
			w = refused(string(rec.Stage), string(m.stages[0]))
			err = mach.Start(rec, s)
		case k == 1:
			rec.Stage = pipeline.DealStage(strings.Clone(string(rec.Stage)))
			what = lazy("stage in bytes of its own")
		case reopen:
			what = lazy("Reopen(%q, %+v)", to, s)
			w = m.fire(want, to, s, true)
			err = mach.Reopen(ctx, rec, to, s)
		default:
			w = m.fire(want, to, s, false)
			err = mach.Fire(ctx, rec, to, s)
		}
		trace = append(trace, lazy("%d: %s in %s: %s", step, what, rec.Stage, w))
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d after\n%s\n%s", seed, joinLazy(trace), fmt.Sprintf(format, args...))
		}
		if msg := w.check(err); msg != "" {
			fail("%s", msg)
		}
		if !reflect.DeepEqual(rec, want) {
			fail("record %+v\nwant %+v", *rec, *want)
		}
		if !slices.Equal(log, m.log) {
			fail("calls\n%s\nwant\n%s", joinCalls(log), joinCalls(m.log))
		}
	}
}

// TestRecordMachinesAgainstDocs tries every move, reopening or not, between
// the stages of the inquiry and after-sale machines (and an unknown and the
// empty stage) and checks the outcome against the moves their docs list.
func TestRecordMachinesAgainstDocs(t *testing.T) {
	t.Run("inquiry", func(t *testing.T) {
		// New → Contacted → Qualified → Converted, Disqualified from any
		// open stage, Disqualified reopened to New.
		moves := map[[2]pipeline.InquiryStage]bool{
			{pipeline.InquiryNew, pipeline.InquiryContacted}:          false,
			{pipeline.InquiryContacted, pipeline.InquiryQualified}:    false,
			{pipeline.InquiryQualified, pipeline.InquiryConverted}:    false,
			{pipeline.InquiryNew, pipeline.InquiryDisqualified}:       false,
			{pipeline.InquiryContacted, pipeline.InquiryDisqualified}: false,
			{pipeline.InquiryQualified, pipeline.InquiryDisqualified}: false,
			{pipeline.InquiryDisqualified, pipeline.InquiryNew}:       true,
		}
		stages := []pipeline.InquiryStage{pipeline.InquiryNew, pipeline.InquiryContacted, pipeline.InquiryQualified,
			pipeline.InquiryConverted, pipeline.InquiryDisqualified, "nosuch", ""}
		m := pipeline.NewInquiryMachine()
		checkRecordMachine(t, m, stages, moves, func(s pipeline.InquiryStage) *pipeline.Inquiry {
			return &pipeline.Inquiry{Stage: s, History: []pipeline.Transition[pipeline.InquiryStage]{{To: s, At: t0}}}
		}, func(in *pipeline.Inquiry) pipeline.Inquiry { return in.Clone() },
			func(in *pipeline.Inquiry) (pipeline.InquiryStage, []pipeline.Transition[pipeline.InquiryStage]) {
				return in.Stage, in.History
			})
		for _, s := range stages {
			if got, want := m.IsTerminal(s), s == pipeline.InquiryConverted || s == pipeline.InquiryDisqualified; got != want {
				t.Errorf("IsTerminal(%q) = %v", s, got)
			}
			if got, want := s.IsOpen(), m.Has(s) && !m.IsTerminal(s); got != want {
				t.Errorf("%q.IsOpen() = %v", s, got)
			}
		}
	})
	t.Run("service", func(t *testing.T) {
		// AwaitingDelivery → Delivered → FollowedUp.
		moves := map[[2]pipeline.ServiceStage]bool{
			{pipeline.ServiceAwaitingDelivery, pipeline.ServiceDelivered}: false,
			{pipeline.ServiceDelivered, pipeline.ServiceFollowedUp}:       false,
		}
		stages := []pipeline.ServiceStage{pipeline.ServiceAwaitingDelivery, pipeline.ServiceDelivered, pipeline.ServiceFollowedUp, "nosuch", ""}
		m := pipeline.NewServiceMachine()
		checkRecordMachine(t, m, stages, moves, func(s pipeline.ServiceStage) *pipeline.Service {
			return &pipeline.Service{Stage: s, History: []pipeline.Transition[pipeline.ServiceStage]{{To: s, At: t0}}}
		}, func(s *pipeline.Service) pipeline.Service { return s.Clone() },
			func(s *pipeline.Service) (pipeline.ServiceStage, []pipeline.Transition[pipeline.ServiceStage]) {
				return s.Stage, s.History
			})
		for _, s := range stages {
			if got := m.IsTerminal(s); got != (s == pipeline.ServiceFollowedUp) {
				t.Errorf("IsTerminal(%q) = %v", s, got)
			}
		}
	})
}

func checkRecordMachine[S ~string, R pipeline.Record[S], V any](t *testing.T, m *pipeline.Machine[S, R], stages []S,
	moves map[[2]S]bool, newRec func(S) R, clone func(R) V, state func(R) (S, []pipeline.Transition[S])) {
	t.Helper()
	ctx := context.Background()
	for _, from := range stages {
		for _, to := range stages {
			for _, reopen := range []bool{false, true} {
				for _, own := range []bool{false, true} { // the stages as the constants or in bytes of their own
					target, cur := to, from
					if own {
						target, cur = S(strings.Clone(string(to))), S(strings.Clone(string(from)))
					}
					rec := newRec(cur)
					before := clone(rec)
					var err error
					if reopen {
						err = m.Reopen(ctx, rec, target, stamp(1))
					} else {
						err = m.Fire(ctx, rec, target, stamp(1))
					}
					re, ok := moves[[2]S{from, to}]
					allowed := ok && re == reopen
					if m.Allows(from, to, reopen) != allowed {
						t.Errorf("Allows(%q, %q, %v) = %v", from, to, reopen, !allowed)
					}
					if allowed {
						stage, hist := state(rec)
						last := hist[len(hist)-1]
						if err != nil || stage != to || len(hist) != 2 || last.From != from || last.To != to ||
							!last.At.Equal(stamp(1).At) || last.Actor != stamp(1).Actor || last.Reason != "" {
							t.Errorf("%q → %q (reopen %v): %v; record in %q, history %+v", from, to, reopen, err, stage, hist)
						}
						continue
					}
					var te *pipeline.TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.To != string(to) || te.Guard != "" ||
						!errors.Is(err, sp.ErrInvalidTransition) || !sameJSON(clone(rec), before) {
						t.Errorf("%q → %q (reopen %v): %v; want a refusal that changes nothing", from, to, reopen, err)
					}
				}
			}
		}
	}
}

func diffNames(gs []diffGate) []string {
	var names []string
	for _, g := range gs {
		names = append(names, g.name)
	}
	return names
}

// lazyText is a text formatted only when a failure shows it.
type lazyText struct {
	format string
	args   []any
}

func lazy(format string, args ...any) lazyText { return lazyText{format, args} }

func (l lazyText) String() string { return fmt.Sprintf(l.format, l.args...) }

func joinLazy(ls []lazyText) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.String() + "\n")
	}
	return b.String()
}
