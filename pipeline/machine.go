package pipeline

import (
	"context"
	"encoding"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"sync/atomic"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// Stamp says when, by whom and why a change is made. A [Machine] copies it
// into the [Transition] it records.
//
// Machines and [Definition] take At as given, to keep a transition a few
// nanoseconds: a caller that moves records itself gives a time that is not
// zero and not before the record's last transition, or gets a history that
// [CheckHistory] refuses (and, for a deal won or lost at the zero time, a
// zero [Deal.Closed]). The [Engine] stamps every change from its clock and
// never goes back in a record's history. The zero Stamp is no time, actor or
// reason: a machine records it as given, in a history that CheckHistory
// refuses.
type Stamp struct {
	At     time.Time
	Actor  sp.ActorID
	Reason string
}

// Record constrains the records a [Machine] moves: [*Inquiry], [*Deal] and
// [*Service]. Its methods are unexported so that only a machine changes a
// record's stage, always together with its history. A host's own type
// cannot implement them; a pointer to a host struct that embeds [Inquiry],
// [Deal] or [Service] has them, and a machine then moves the embedded
// record's stage and history. Such a struct also gets the embedded
// record's UnmarshalJSON, which decodes the embedded record only. A nil
// pointer to one, or one whose embedded record is a nil pointer, is an
// error wrapping [sp.ErrInvalid], as a nil [*Deal] is.
type Record[S ~string] interface {
	currentStage() (S, bool) // false for a nil record
	hasHistory() bool
	enter(t Transition[S])
}

// Guard is a condition a transition must meet: a gate on entering a stage,
// or a condition on one move. Check returns nil to allow the transition or
// an error that says why not (the reason, in words): the machine then
// refuses with a [*TransitionError] that unwraps to both
// [sp.ErrInvalidTransition] and that error. Two kinds of error
// are not refusals and are returned as they are: a context error
// ([context.Canceled], [context.DeadlineExceeded]) and one wrapped by
// [Abort] (a storage failure met while deciding).
//
// Check sees the record before the transition and t, the transition about to
// be made; it must not change the record, and must be safe for concurrent
// use, since one machine serves every goroutine. The gates of an [Engine]'s
// pipelines may run inside a transaction of its DealStore, where they must
// not call the engine or its stores (see [Options]). The zero
// Guard has no Check: [NewMachine] and [NewDefinition] refuse it.
type Guard[S ~string, R any] struct {
	// Name says what the guard requires, in words ("an amount", "a certified
	// owner"); refusals and diagrams show it. Up to 256 bytes of UTF-8
	// without control characters.
	Name  string
	Check func(ctx context.Context, r R, t Transition[S]) error
}

// Hook is an action run when a record leaves or enters a stage, after every
// guard has passed. A hook cannot refuse: decisions belong in guards. It
// may change the record's other fields (not its stage or history), and must
// be safe for concurrent use.
//
// A hook acts on the record before the [Engine] stores it: when the store
// then fails the change (a version conflict, a failed write) the hook has
// run for a change that was not made, and a transaction its store runs
// again (see [Transactor]) runs it again. Work beyond the record, such as a
// message to the customer on a win, belongs to a consumer of the engine's
// events, which are emitted only for stored changes. A nil Hook, the zero
// value, is refused by [NewMachine] and [NewDefinition].
type Hook[S ~string, R any] func(r R, t Transition[S])

// StageDef declares one stage of a [MachineSpec]. The zero StageDef has no
// key: [NewMachine] refuses it.
type StageDef[S ~string, R any] struct {
	// Stage is the key, the persisted form: 1 to 64 bytes of lower-case
	// ASCII letters, digits and underscores, starting with a letter, and,
	// when S has a text form of its own ([encoding.TextMarshaler]), one
	// that form writes: for an [InquiryStage] or a [ServiceStage], one of
	// the package's stages of that type.
	Stage S
	// Name is the label diagrams show; empty means the key. Up to 256
	// bytes of UTF-8 without control characters.
	Name string
	// Terminal marks a final stage: the machine leaves it only by
	// [Machine.Reopen].
	Terminal bool
	// Guards are the gates on entering the stage, checked on every move into
	// it, in order, after the move's own guards.
	Guards []Guard[S, R]
	// OnEnter and OnExit run, in order, when a record enters or leaves the
	// stage.
	OnEnter []Hook[S, R]
	OnExit  []Hook[S, R]
}

// EdgeDef declares one allowed move of a [MachineSpec]. The zero EdgeDef,
// between no stages, is refused by [NewMachine].
type EdgeDef[S ~string, R any] struct {
	From, To S
	// Reopen marks a move out of a terminal stage, taken only by
	// [Machine.Reopen]; every move out of a terminal stage must be one, and
	// no other move may be.
	Reopen bool
	// Guards are conditions on this move, checked before the gates of the
	// target stage.
	Guards []Guard[S, R]
}

// MachineSpec declares a stage machine: its stages, its initial stage and
// its moves. [NewMachine] validates it and builds the [Machine]. The zero
// MachineSpec declares no stage: NewMachine refuses it.
type MachineSpec[S ~string, R any] struct {
	// Name names the machine in errors and diagrams ("inquiry", "deal"):
	// up to 256 bytes of UTF-8 without control characters.
	Name    string
	Initial S
	Stages  []StageDef[S, R]
	Edges   []EdgeDef[S, R]
}

// MaxStages is the largest number of stages a machine may have.
const MaxStages = 64

// Machine is a validated, immutable stage machine over stages of type S for
// records of type R. It holds the definition only (stages, moves, guards,
// hooks); each record carries its own stage and history, so one Machine
// serves any number of records and is safe for concurrent use. Make one
// with [NewMachine]: the zero Machine, like a nil *Machine, has no stages,
// and its Start, Fire and Reopen fail with an error wrapping
// [sp.ErrInvalid].
//
// A transition looks up both stages in a table built once, so it costs a few
// nanoseconds and allocates nothing but the amortized growth of the record's
// history. A refused move between two of its stages allocates its error the
// first time only, since the machine keeps it (see [TransitionError]); one
// to or from a stage the machine does not have allocates its error each
// time. A transition appends to the history as append does, in place when
// the slice has room: a record copied by assignment shares its history with
// the original, and when both are moved the second move overwrites the
// transition the first recorded. Move a Clone of the record
// ([Inquiry.Clone], [Deal.Clone], [Service.Clone]) to keep the original as
// it was.
type Machine[S ~string, R Record[S]] struct {
	graph
	name    string
	initial int
	stages  []stageInfo[S, R]
	edges   []edge[S, R] // dense n×n table: edges[from*n+to]
	// refused holds the error of each move between two stages that
	// locate refuses, made by refusal when first needed: 2×n×n, for Fire
	// and then Reopen, each as moves.
	refused []atomic.Pointer[TransitionError]
}

// graph is the part of a machine the hot path reads, free of type
// parameters so that it compiles to plain code: the stage index and the
// dense table of moves.
type graph struct {
	index    stageIndex
	n        int
	moves    []uint8 // n×n flags: moves[from*n+to]
	terminal []bool
}

// Flags of graph.moves.
const (
	moveOK      = 1 << iota // the move exists
	moveReopen              // it leaves a terminal stage
	moveGuarded             // it has guards
)

// locate finds the stages from and to, and the move between them; reason
// says why there is none. A stage it does not find is -1.
func (g *graph) locate(from, to string, reopen bool) (f, t int, reason string) {
	f = g.index.find(from)
	if f < 0 {
		return -1, -1, reasonUnknownFrom
	}
	t = g.index.find(to)
	switch {
	case t < 0:
		return f, -1, reasonUnknownTo
	case t == f:
		return f, t, reasonSame
	}
	want := uint8(moveOK)
	if reopen {
		want |= moveReopen
	}
	if g.moves[f*g.n+t]&(moveOK|moveReopen) != want {
		switch {
		case !reopen && g.terminal[f] && g.reopens(f):
			return f, t, reasonClosed
		case !reopen && g.terminal[f]:
			return f, t, reasonFinal
		case reopen && !g.terminal[f]:
			return f, t, reasonNotClosed
		}
		return f, t, reasonNoMove
	}
	return f, t, ""
}

// reopens reports whether a move leaves stage f by reopening it. Only
// refusals ask, so the moves a machine allows cost nothing more.
func (g *graph) reopens(f int) bool {
	for _, fl := range g.moves[f*g.n : (f+1)*g.n] {
		if fl&moveReopen != 0 {
			return true
		}
	}
	return false
}

type stageInfo[S ~string, R any] struct {
	key      S
	name     string
	terminal bool
	enter    []Hook[S, R]
	exit     []Hook[S, R]
}

type edge[S ~string, R any] struct {
	ok     bool
	reopen bool
	guards []Guard[S, R] // the move's own guards, then the target's gates
}

// NewMachine validates spec and builds its [Machine]. It refuses, with an
// error wrapping [sp.ErrInvalid] whose [*sp.ValidationError] names the
// field or stage at fault: a name (of the machine, a stage or a guard)
// longer than 256 bytes, not UTF-8 or with control characters; no stages
// or more than [MaxStages]; a malformed or duplicate stage key, or one
// that S's own MarshalText refuses, when S implements
// [encoding.TextMarshaler] (an [InquiryStage] or [ServiceStage] that is
// none of the package's), since a record in that stage could not be
// written as JSON; an initial stage that is unknown or terminal; a move
// from or to an unknown stage, from a stage to itself, or declared twice;
// a move out of a terminal stage not marked Reopen, or a Reopen move that
// does not go from a terminal to an open stage; a guard without a check or
// a nil hook; no terminal stage; a stage not reachable from the initial
// one (Reopen moves count); and an open stage with no path to a terminal
// one. These are checked once, here: a transition checks no key's text
// form.
//
// The Machine keeps the guards and hooks of spec but copies every slice, so
// later changes to spec do not affect it.
func NewMachine[S ~string, R Record[S]](spec MachineSpec[S, R]) (*Machine[S, R], error) {
	m, err := buildMachine(spec)
	if err != nil {
		name := spec.Name
		if name == "" || checkName("name", name) != nil {
			name = "machine"
		}
		return nil, fmt.Errorf("pipeline: %s: %w", name, err)
	}
	return m, nil
}

// buildMachine validates spec and builds its Machine, in the order of its
// checks: the machine's name and number of stages, each stage, the initial
// stage, each move, and the graph the moves make. Its errors name the field
// at fault; NewMachine adds the machine's name.
func buildMachine[S ~string, R Record[S]](spec MachineSpec[S, R]) (*Machine[S, R], error) {
	if err := checkName("name", spec.Name); err != nil {
		return nil, err
	}
	n := len(spec.Stages)
	switch {
	case n == 0:
		return nil, sp.Invalid("stages", "none")
	case n > MaxStages:
		return nil, sp.Invalid("stages", "%d stages, more than %d", n, MaxStages)
	}
	m := &Machine[S, R]{name: spec.Name, stages: make([]stageInfo[S, R], n)}
	m.n = n
	pos, keys, err := m.defineStages(spec.Stages)
	if err != nil {
		return nil, err
	}
	init, ok := pos[spec.Initial]
	switch {
	case !ok:
		return nil, sp.Invalid("initial", "unknown stage %s", sp.Quote(string(spec.Initial)))
	case m.stages[init].terminal:
		return nil, sp.Invalid(stageField(spec.Initial), "the initial stage is terminal")
	}
	m.initial = init
	if err := m.defineEdges(spec.Edges, spec.Stages, pos); err != nil {
		return nil, err
	}
	if err := m.checkGraph(); err != nil {
		return nil, err
	}
	m.tabulate(keys)
	return m, nil
}

// defineStages checks the stages of m's spec, sds, in order, and records
// each in m.stages, with its name (the key when empty) and copies of its
// hooks: a valid key that S's own text form writes, given once, a valid
// name, no nil hook, and guards that each have a check and a valid name.
// It returns the index of each key and the keys as strings, by index.
func (m *Machine[S, R]) defineStages(sds []StageDef[S, R]) (pos map[S]int, keys []string, err error) {
	pos = make(map[S]int, len(sds))
	keys = make([]string, len(sds))
	for i, sd := range sds {
		if err := validKey(string(sd.Stage)); err != nil {
			return nil, nil, sp.InField(fmt.Sprintf("stages[%d]", i), err)
		}
		field := stageField(sd.Stage)
		// A key S's own text form refuses (an InquiryStage or ServiceStage
		// of none of the package's stages) would leave a record in that
		// stage that cannot be written as JSON.
		if tm, ok := any(sd.Stage).(encoding.TextMarshaler); ok {
			if _, err := tm.MarshalText(); err != nil {
				return nil, nil, sp.InField(field, err)
			}
		}
		if _, dup := pos[sd.Stage]; dup {
			return nil, nil, sp.Invalid(field, "duplicate stage")
		}
		if err := checkName(field, sd.Name); err != nil {
			return nil, nil, err
		}
		for _, h := range slices.Concat(sd.OnEnter, sd.OnExit) {
			if h == nil {
				return nil, nil, sp.Invalid(field, "nil hook")
			}
		}
		if err := checkGuards(field, sd.Guards); err != nil {
			return nil, nil, err
		}
		pos[sd.Stage] = i
		keys[i] = string(sd.Stage)
		name := sd.Name
		if name == "" {
			name = string(sd.Stage)
		}
		m.stages[i] = stageInfo[S, R]{
			key: sd.Stage, name: name, terminal: sd.Terminal,
			enter: slices.Clone(sd.OnEnter), exit: slices.Clone(sd.OnExit),
		}
	}
	return pos, keys, nil
}

// defineEdges checks the moves of m's spec, eds, in order, and records each
// in the dense table m.edges, its guards followed by the gates of its
// target, of sds: both stages known (pos gives their indexes) and
// distinct, the move declared once, and Reopen set exactly on a move out
// of a terminal stage, which must go to an open one. It assumes m.stages
// defined.
func (m *Machine[S, R]) defineEdges(eds []EdgeDef[S, R], sds []StageDef[S, R], pos map[S]int) error {
	n := m.n
	m.edges = make([]edge[S, R], n*n)
	for _, ed := range eds {
		f, okf := pos[ed.From]
		t, okt := pos[ed.To]
		field := "edges." + string(ed.From) + "->" + string(ed.To)
		switch {
		case !okf:
			return sp.Invalid(stageField(ed.From), "unknown stage in move to %s", sp.Quote(string(ed.To)))
		case !okt:
			return sp.Invalid(stageField(ed.To), "unknown stage in move from %s", sp.Quote(string(ed.From)))
		case f == t:
			return sp.Invalid(stageField(ed.From), "move from the stage to itself")
		case m.edges[f*n+t].ok:
			return sp.Invalid(field, "duplicate move")
		case m.stages[f].terminal && !ed.Reopen:
			return sp.Invalid(stageField(ed.From), "terminal stage has a move to %s not marked reopen", sp.Quote(string(ed.To)))
		case ed.Reopen && !m.stages[f].terminal:
			return sp.Invalid(stageField(ed.From), "reopen move from an open stage")
		case ed.Reopen && m.stages[t].terminal:
			return sp.Invalid(stageField(ed.To), "reopen move to a terminal stage")
		}
		if err := checkGuards(field, ed.Guards); err != nil {
			return err
		}
		m.edges[f*n+t] = edge[S, R]{
			ok: true, reopen: ed.Reopen,
			guards: slices.Concat(ed.Guards, sds[t].Guards),
		}
	}
	return nil
}

// tabulate fills the graph of m, the part a transition reads, from its
// stages and edges: the index of the keys (the stages' keys as strings,
// by index), the flags of each move and which stages are terminal.
func (m *Machine[S, R]) tabulate(keys []string) {
	m.index = newStageIndex(keys)
	m.moves = make([]uint8, m.n*m.n)
	m.terminal = make([]bool, m.n)
	m.refused = make([]atomic.Pointer[TransitionError], 2*m.n*m.n)
	for i, e := range m.edges {
		var fl uint8
		if e.ok {
			fl |= moveOK
		}
		if e.reopen {
			fl |= moveReopen
		}
		if len(e.guards) > 0 {
			fl |= moveGuarded
		}
		m.moves[i] = fl
	}
	for i, st := range m.stages {
		m.terminal[i] = st.terminal
	}
}

// stageField returns the field of stage s in errors: "stages." and its
// key, quoted and cut (see [sp.Quote]) unless it is a valid key, as an unknown
// stage of a spec may not be.
func stageField[S ~string](s S) string {
	if validKey(string(s)) != nil {
		return "stages." + sp.Quote(string(s))
	}
	return "stages." + string(s)
}

// checkGuards refuses, naming field, the first guard of gs without a
// check or with a name that checkName refuses.
func checkGuards[S ~string, R any](field string, gs []Guard[S, R]) error {
	for _, g := range gs {
		if g.Check == nil {
			return sp.Invalid(field, "guard %q has no check", g.Name)
		}
		if err := checkName(field, g.Name); err != nil {
			return err
		}
	}
	return nil
}

// checkGraph refuses a machine without a terminal stage, with a stage not
// reachable from the initial one, or with an open stage from which no
// terminal stage can be reached.
func (m *Machine[S, R]) checkGraph() error {
	n := m.n
	reach := make([]bool, n)
	stack := []int{m.initial}
	reach[m.initial] = true
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for t := range n {
			if m.edges[f*n+t].ok && !reach[t] {
				reach[t] = true
				stack = append(stack, t)
			}
		}
	}
	ends := make([]bool, n)
	stack = stack[:0]
	for i, st := range m.stages {
		if st.terminal {
			ends[i] = true
			stack = append(stack, i)
		}
	}
	if len(stack) == 0 {
		return sp.Invalid("stages", "no terminal stage")
	}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for f := range n {
			if e := m.edges[f*n+t]; e.ok && !e.reopen && !ends[f] {
				ends[f] = true
				stack = append(stack, f)
			}
		}
	}
	for i, st := range m.stages {
		if !reach[i] {
			return sp.Invalid(stageField(st.key), "not reachable from the initial stage %q", m.stages[m.initial].key)
		}
		if !ends[i] {
			return sp.Invalid(stageField(st.key), "no path to a terminal stage")
		}
	}
	return nil
}

// built reports whether m was built by [NewMachine]: the zero Machine and
// a nil *Machine have no stages; their queries answer as for an unknown
// stage, and their moves fail with an error wrapping
// [sp.ErrInvalid].
func (m *Machine[S, R]) built() bool { return m != nil && m.n > 0 }

// Name returns the machine's name.
func (m *Machine[S, R]) Name() string {
	if m == nil {
		return ""
	}
	return m.name
}

// Initial returns the stage a new record starts in; the empty stage for a
// Machine not built by [NewMachine].
func (m *Machine[S, R]) Initial() S {
	if !m.built() {
		return ""
	}
	return m.stages[m.initial].key
}

// Stages returns the stages in their declared order. The machine is
// immutable, so the sequence may be iterated again, and gives the same.
func (m *Machine[S, R]) Stages() iter.Seq[S] {
	return func(yield func(S) bool) {
		if !m.built() {
			return
		}
		for _, st := range m.stages {
			if !yield(st.key) {
				return
			}
		}
	}
}

// Has reports whether s is a stage of the machine.
func (m *Machine[S, R]) Has(s S) bool { return m.find(s) >= 0 }

// find returns the index of stage s, or -1.
func (m *Machine[S, R]) find(s S) int {
	if !m.built() {
		return -1
	}
	return m.index.find(string(s))
}

// IsTerminal reports whether s is a terminal stage of the machine.
func (m *Machine[S, R]) IsTerminal(s S) bool {
	i := m.find(s)
	return i >= 0 && m.stages[i].terminal
}

// StageName returns the label of stage s, and false if s is not a stage of
// the machine.
func (m *Machine[S, R]) StageName(s S) (string, bool) {
	i := m.find(s)
	if i < 0 {
		return "", false
	}
	return m.stages[i].name, true
}

// Edge is one allowed move of a [Machine], as [Machine.Edges] lists them.
// The zero Edge, between no stages, is no move: Edges never yields it.
type Edge[S ~string] struct {
	From, To S
	// Reopen reports a move out of a terminal stage.
	Reopen bool
	// Guards names the move's guards and the target's gates, in order.
	Guards []string
}

// Edges returns the allowed moves, by source stage then target stage in
// declared order. The sequence may be iterated again, and gives the same.
func (m *Machine[S, R]) Edges() iter.Seq[Edge[S]] {
	return func(yield func(Edge[S]) bool) {
		if !m.built() {
			return
		}
		for f := range m.n {
			for t := range m.n {
				e := m.edges[f*m.n+t]
				if !e.ok {
					continue
				}
				mv := Edge[S]{From: m.stages[f].key, To: m.stages[t].key, Reopen: e.reopen}
				for _, g := range e.guards {
					mv.Guards = append(mv.Guards, g.Name)
				}
				if !yield(mv) {
					return
				}
			}
		}
	}
}

// Allows reports whether the machine has a move from one stage to another;
// reopen asks about moves out of terminal stages. It runs no guard.
func (m *Machine[S, R]) Allows(from, to S, reopen bool) bool {
	f, t := m.find(from), m.find(to)
	if f < 0 || t < 0 {
		return false
	}
	e := &m.edges[f*m.n+t]
	return e.ok && e.reopen == reopen
}

// Start puts r, a new record, in the initial stage, recording the
// transition from the empty stage. It refuses a record that already has a
// stage or a history with a [*TransitionError], changing nothing. It runs no
// guard and no hook.
func (m *Machine[S, R]) Start(r R, s Stamp) error {
	cur, ok := stageOf[S](r)
	if !ok || !m.built() {
		return errNilRecord
	}
	if cur != "" || hasHistory[S](r) {
		return m.refuse(cur, m.Initial(), reasonStarted, "", nil)
	}
	record(r, "", m.Initial(), &s)
	return nil
}

// hasHistory reports whether r has transitions in its history; see record.
func hasHistory[S ~string, R Record[S]](r R) bool {
	switch rec := any(r).(type) {
	case *Deal:
		return len(rec.History) > 0
	case *Inquiry:
		return len(rec.History) > 0
	case *Service:
		return len(rec.History) > 0
	}
	return r.hasHistory()
}

// Fire moves r from its current stage to stage to: it checks that the move
// exists and does not leave a terminal stage, runs the move's guards and
// the target's gates, then the exit hooks of the current stage, records the
// transition (stage and history), and runs the enter hooks of the target.
// A refused move returns a [*TransitionError] (see [Guard] for the
// exceptions) and leaves r unchanged; from a terminal stage, its Reason is
// "the stage is closed; reopen it" when a Reopen move leaves that stage,
// and "the stage is closed and cannot be reopened" when none does (a
// converted inquiry). A nil r, or a Machine not built by
// [NewMachine], is an error wrapping [sp.ErrInvalid]. Fire passes ctx to
// the guards and does not check it itself: a move whose guards do not
// look at ctx is made even when ctx is done.
func (m *Machine[S, R]) Fire(ctx context.Context, r R, to S, s Stamp) error {
	f, t, err := m.plan(ctx, r, to, &s, false)
	if err != nil {
		return err
	}
	m.commit(r, f, t, &s)
	return nil
}

// Reopen moves r out of its terminal stage to the open stage to, along a
// move declared Reopen, with the guards and hooks of [Machine.Fire]. It
// refuses a record that is not in a terminal stage.
func (m *Machine[S, R]) Reopen(ctx context.Context, r R, to S, s Stamp) error {
	f, t, err := m.plan(ctx, r, to, &s, true)
	if err != nil {
		return err
	}
	m.commit(r, f, t, &s)
	return nil
}

// Refusal reasons that allocate nothing.
const (
	reasonUnknownFrom = "the current stage is not a stage of this machine"
	reasonUnknownTo   = "the target is not a stage of this machine"
	reasonSame        = "already in that stage"
	reasonNoMove      = "no such move"
	reasonClosed      = "the stage is closed; reopen it"
	reasonFinal       = "the stage is closed and cannot be reopened"
	reasonNotClosed   = "only a closed stage can be reopened"
	reasonStarted     = "the record has already started"
)

// plan checks the move of r to stage to and runs its guards. It returns
// the indexes of both stages.
func (m *Machine[S, R]) plan(ctx context.Context, r R, to S, s *Stamp, reopen bool) (int, int, error) {
	from, ok := stageOf[S](r)
	if !ok || !m.built() {
		return 0, 0, errNilRecord
	}
	f, t, why := m.locate(string(from), string(to), reopen)
	if why != "" {
		if t < 0 { // a stage the machine does not have
			return 0, 0, m.refuse(from, to, why, "", nil)
		}
		return 0, 0, m.refusal(f, t, reopen, why)
	}
	if m.moves[f*m.n+t]&moveGuarded != 0 {
		if err := m.guard(ctx, r, &m.edges[f*m.n+t], from, to, s); err != nil {
			return 0, 0, err
		}
	}
	return f, t, nil
}

// guard runs the guards of move e in order; the first to refuse decides.
func (m *Machine[S, R]) guard(ctx context.Context, r R, e *edge[S, R], from, to S, s *Stamp) error {
	tr := Transition[S]{From: from, To: to, At: s.At, Actor: s.Actor, Reason: s.Reason}
	for i := range e.guards {
		g := &e.guards[i]
		if err := g.Check(ctx, r, tr); err != nil {
			return m.guardError(from, to, g.Name, err)
		}
	}
	return nil
}

// commit runs the exit hooks, records the transition and runs the enter
// hooks.
func (m *Machine[S, R]) commit(r R, f, t int, s *Stamp) {
	from, to := &m.stages[f], &m.stages[t]
	if len(from.exit) == 0 && len(to.enter) == 0 {
		record(r, from.key, to.key, s)
		return
	}
	tr := Transition[S]{From: from.key, To: to.key, At: s.At, Actor: s.Actor, Reason: s.Reason}
	for _, h := range from.exit {
		h(r, tr)
	}
	record(r, from.key, to.key, s)
	for _, h := range to.enter {
		h(r, tr)
	}
}

// record sets the stage of r and appends the transition to its history.
// It switches on the record's type rather than calling its methods, which
// generic code would call indirectly: [Record] is sealed, so the switch is
// exhaustive.
func record[S ~string, R Record[S]](r R, from, to S, s *Stamp) {
	switch rec := any(r).(type) {
	case *Deal:
		rec.Stage = DealStage(to)
		rec.History = push(rec.History, DealStage(from), DealStage(to), s)
	case *Inquiry:
		rec.Stage = InquiryStage(to)
		rec.History = push(rec.History, InquiryStage(from), InquiryStage(to), s)
	case *Service:
		rec.Stage = ServiceStage(to)
		rec.History = push(rec.History, ServiceStage(from), ServiceStage(to), s)
	default:
		r.enter(Transition[S]{From: from, To: to, At: s.At, Actor: s.Actor, Reason: s.Reason})
	}
}

// push appends a transition to h, writing its fields in place: a
// composite literal would be built on the stack and copied, which costs
// more than the whole rest of a transition.
func push[S ~string](h []Transition[S], from, to S, s *Stamp) []Transition[S] {
	n := len(h)
	if n < cap(h) {
		h = h[:n+1]
	} else {
		h = append(h, Transition[S]{})
	}
	t := &h[n]
	t.From = from
	t.To = to
	t.At = s.At
	t.Actor = s.Actor
	t.Reason = s.Reason
	return h
}

// errNilRecord is the error of a machine given a nil record, or of a
// machine not built by NewMachine.
var errNilRecord = fmt.Errorf("pipeline: nil record or machine: %w", sp.ErrInvalid)

// stageOf returns the current stage of r, and false if r is nil; see
// record.
func stageOf[S ~string, R Record[S]](r R) (S, bool) {
	switch rec := any(r).(type) {
	case *Deal:
		if rec == nil {
			return "", false
		}
		return S(rec.Stage), true
	case *Inquiry:
		if rec == nil {
			return "", false
		}
		return S(rec.Stage), true
	case *Service:
		if rec == nil {
			return "", false
		}
		return S(rec.Stage), true
	}
	// A host's type: a nil pointer to it would panic in the promoted
	// method, which reads the embedded record through it.
	if v := reflect.ValueOf(r); v.Kind() == reflect.Pointer && v.IsNil() {
		return "", false
	}
	return r.currentStage()
}

func (m *Machine[S, R]) refuse(from, to S, reason, guard string, err error) error {
	return &TransitionError{Machine: m.Name(), From: string(from), To: string(to), Reason: reason, Guard: guard, Err: err}
}

// refusal returns the error of the move from stage f to stage t, which
// locate refused for why, by Fire or, with reopen, by Reopen. It depends
// on nothing else, so it is made once, when first needed, and kept, as
// [Definition] keeps its refusals.
func (m *Machine[S, R]) refusal(f, t int, reopen bool, why string) error {
	i := f*m.n + t
	if reopen {
		i += m.n * m.n
	}
	if e := m.refused[i].Load(); e != nil {
		return e
	}
	return keep(&m.refused[i], &TransitionError{Machine: m.name, From: string(m.stages[f].key), To: string(m.stages[t].key), Reason: why})
}

// keep stores e in slot unless another goroutine stored one first, and
// returns the one stored.
func keep(slot *atomic.Pointer[TransitionError], e *TransitionError) error {
	if !slot.CompareAndSwap(nil, e) {
		e = slot.Load()
	}
	return e
}

func (m *Machine[S, R]) guardError(from, to S, guard string, err error) error {
	var ab *abortError
	switch {
	case errors.As(err, &ab):
		return ab.err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return m.refuse(from, to, "", guard, err)
}

// Abort wraps err, a failure a [Guard] met while deciding (a storage error,
// say), so that the machine returns err itself instead of a refusal.
// Abort(nil) is nil.
func Abort(err error) error {
	if err == nil {
		return nil
	}
	return &abortError{err: err}
}

type abortError struct{ err error }

func (e *abortError) Error() string { return e.err.Error() }
func (e *abortError) Unwrap() error { return e.err }

// TransitionError reports a stage change a machine refused: no such move, a
// move out of a closed stage without reopening it, or a guard that refused.
// It unwraps to [sp.ErrInvalidTransition] and, when a guard refused, to the
// guard's error too. The record is unchanged. The zero TransitionError names
// no machine, stage or reason, and still unwraps to
// [sp.ErrInvalidTransition].
//
// A [Machine] or [Definition] makes the error of a move between two of its
// stages that it refuses for the move itself (no guard or gate refused)
// once, and returns that same *TransitionError each time it refuses the
// move again, to any caller: treat a TransitionError as read-only, and
// copy it to change it.
type TransitionError struct {
	// Machine names the machine: "inquiry", "service", "deal pipeline" for
	// the default pipeline, and for a named one "deal pipeline" and its
	// name quoted as by [sp.Quote] (`deal pipeline "b2b"`).
	Machine string
	// Record names the command and its record, as in `win deal "d-17"`,
	// when the [Engine] refused; empty when a machine was used directly.
	Record string
	// From and To are the stages of the refused move, in their text form.
	From, To string
	// Guard names the guard or gate that refused; empty if none did.
	Guard string
	// Reason says why the move was refused when no guard refused it.
	Reason string
	// Err is the guard's error; nil if no guard refused.
	Err error
}

// Error returns "pipeline: <machine>: <from> → <to>: <why>", after the
// record when there is one: "pipeline: <record>: <machine>: ...", which
// starts as the [Engine]'s other errors of a command do. A stage that is
// not a well-formed stage key (the empty one, a caller's malformed
// target) is quoted as by [sp.Quote], cut to 40 bytes. <why> is Reason,
// or, when a guard refused, "needs <guard>: <its error>" ("refused: <its
// error>" for a guard without a name).
func (e *TransitionError) Error() string {
	why := e.Reason
	if e.Guard != "" || e.Err != nil {
		why = "needs " + e.Guard
		if e.Guard == "" {
			why = "refused"
		}
		if e.Err != nil {
			why += ": " + e.Err.Error()
		}
	}
	rec := ""
	if e.Record != "" {
		rec = e.Record + ": "
	}
	return "pipeline: " + rec + e.Machine + ": " + stageText(e.From) + " → " + stageText(e.To) + ": " + why
}

// stageText returns s as a [TransitionError] writes a stage: bare when it
// is a well-formed stage key, as every stage of a machine is, and quoted
// by [sp.Quote] otherwise (the empty stage, or a caller's malformed target).
func stageText(s string) string {
	if validKey(s) == nil {
		return s
	}
	return sp.Quote(s)
}

// Unwrap returns [sp.ErrInvalidTransition] and the guard's error,
// if any.
func (e *TransitionError) Unwrap() []error {
	if e.Err == nil {
		return []error{sp.ErrInvalidTransition}
	}
	return []error{sp.ErrInvalidTransition, e.Err}
}

// maxKey is the longest stage key, in bytes.
const maxKey = 64

// validKey checks the syntax of a stage key: 1 to 64 bytes of lower-case
// ASCII letters, digits and underscores, starting with a letter. The form
// is safe in URLs and SQL without quoting; DOT output quotes it, and
// Mermaid output renames the keys Mermaid reads as keywords (see
// [Machine.Mermaid]).
func validKey(s string) error {
	switch {
	case s == "":
		return sp.Invalid("", "empty stage key")
	case len(s) > maxKey:
		return sp.Invalid("", "stage key %s longer than %d bytes", sp.Quote(s), maxKey)
	case s[0] < 'a' || s[0] > 'z':
		return sp.Invalid("", "stage key %s does not start with a lower-case letter", sp.Quote(s))
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return sp.Invalid("", "stage key %s has a character other than a-z, 0-9 and _", sp.Quote(s))
		}
	}
	return nil
}
