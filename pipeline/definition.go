package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"sync/atomic"
	"time"
	"unsafe"

	sp "github.com/salesprocess/salesprocess"
	"github.com/shopspring/decimal"
)

// StageKind says whether a deal stage is open or closes the deal as won or
// lost. Its text form is its name. The zero StageKind is unset: it encodes
// as empty text and back, and Validate refuses it.
type StageKind string

// The stage kinds.
const (
	KindOpen StageKind = "open"
	KindWon  StageKind = "won"
	KindLost StageKind = "lost"
)

var stageKinds = []StageKind{KindOpen, KindWon, KindLost}

// Validate reports whether k is a known stage kind.
func (k StageKind) Validate() error { return checkEnum("stage kind", k, stageKinds) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k StageKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name; the zero kind
// encodes as empty text. As for UnmarshalText, an unknown kind is an error
// wrapping [sp.ErrInvalid].
func (k StageKind) MarshalText() ([]byte, error) { return marshalEnum(k, StageKind.Validate) }

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text gives the
// zero kind; an unknown kind is an error wrapping
// [sp.ErrInvalid] and leaves k unchanged.
func (k *StageKind) UnmarshalText(text []byte) error {
	return unmarshalEnum(k, text, StageKind.Validate)
}

// Gate is a condition a deal must meet to enter a stage: an amount before
// Proposal, a certified owner before Negotiation, any predicate of the
// host. It is a [Guard]; its Name says what it requires ("an amount"),
// and a refusal reads "needs " and the Name ("needs an amount").
type Gate = Guard[DealStage, *Deal]

// errNilDeal is the error of a Definition method given a nil deal, or
// called on a nil Definition.
var errNilDeal = fmt.Errorf("pipeline: nil deal or pipeline definition: %w", sp.ErrInvalid)

// gateAmount names the built-in gate of won stages.
const gateAmount = "a positive amount"

// RequireAmount returns a gate that requires a positive amount. Its Name,
// which a refusal's [TransitionError].Guard and the diagrams show, is
// "an amount".
func RequireAmount() Gate {
	return Gate{Name: "an amount", Check: checkAmount}
}

func checkAmount(_ context.Context, d *Deal, _ Transition[DealStage]) error {
	// Money is valid by construction; the zero Money has a zero amount.
	if d.Amount.Sign() <= 0 {
		return noAmountError{} // a zero-size value: no allocation
	}
	return nil
}

// noAmountError is the refusal of checkAmount.
type noAmountError struct{}

func (noAmountError) Error() string {
	return "its amount is not above zero; set its terms (lines or amount) first"
}

// RequireCertifiedOwner returns a gate that asks e whether the deal's owner
// may sell its product on its channel at the time of the move: an owner
// that e refuses (an error wrapping [sp.ErrForbidden]) or no
// owner at all closes the gate; any other error of e passes through as a
// failure, not a refusal. A nil e lets every owner through; give it the
// same [Eligibility] as [Options.Eligibility]. Its Name, which a refusal's
// [TransitionError].Guard and the diagrams show, is "a certified owner".
// Like any gate's, its refusal is a [*TransitionError] that unwraps to
// [sp.ErrInvalidTransition] and to the refusal: to [sp.ErrForbidden], and to
// the Eligibility's own error (training's *NotReadyError, say), so that a
// host that maps errors to statuses by errors.Is finds both sentinels and
// chooses by the order it tests them in.
func RequireCertifiedOwner(e Eligibility) Gate {
	e = orNil(e)
	return Gate{Name: "a certified owner", Check: func(ctx context.Context, d *Deal, t Transition[DealStage]) error {
		if d.Owner == "" {
			return fmt.Errorf("the deal has no owner: %w", sp.ErrForbidden)
		}
		if e == nil {
			return nil
		}
		return eligibilityVerdict(e.Eligible(ctx, d.Owner, d.Product, d.Channel, t.At))
	}}
}

// StageSpec declares one stage of a deal pipeline. Its JSON form holds the
// stage's data only: the gates and hooks, which are functions, are left out,
// so a spec decoded from JSON (a pipeline kept in a host's configuration)
// has none until the host attaches them in code (see [Spec.Stage]), before
// [NewDefinition]. Decoding refuses a member it does not know, "gates" and
// "on_enter" among them (see [StageSpec.UnmarshalJSON]). It is written
// within the form of a [Spec], whose MarshalJSON writes the probability as
// a string whatever decimal.MarshalJSONWithoutQuotes says (a StageSpec
// marshaled on its own has encoding/json's form of its fields). The zero
// StageSpec has no key: NewDefinition refuses it.
type StageSpec struct {
	// Key is the stage's key, the persisted form; see [ParseDealStage].
	Key DealStage `json:"key"`
	// Name is its label; empty means the key.
	Name string `json:"name,omitempty"`
	// Order places the stage: open stages move forward to stages of a
	// higher order. Orders must be distinct.
	Order int `json:"order"`
	// Probability is the chance of winning a deal in an open stage, from 0
	// to 1. Won stages have 1 and lost stages 0 whatever is set here; set it
	// to zero or to that value.
	Probability decimal.Decimal `json:"probability"`
	// Kind says whether the stage is open, won or lost.
	Kind StageKind `json:"kind"`
	// Gates are the conditions to enter the stage. Those of an open stage
	// also hold on a move that skips it: from an earlier open stage into a
	// later open stage, or into a won stage whatever its order, so that no
	// jump bypasses them; moves to a lost stage pass only the lost stage's
	// own gates.
	Gates []Gate `json:"-"`
	// OnExit runs when a deal leaves the stage, before its stage,
	// probability and close time change; OnEnter runs when a deal enters
	// the stage, after they are set. Neither the gates nor the hooks of the
	// initial stage run when [Definition.Start] puts a new deal there.
	// Through an [Engine], a hook may run for a change that is then not
	// stored (see [Hook]).
	OnEnter []Hook[DealStage, *Deal] `json:"-"`
	OnExit  []Hook[DealStage, *Deal] `json:"-"`
}

// Move is a move between two stages of a deal pipeline. The zero Move,
// between no stages, is refused by [NewDefinition].
type Move struct {
	From DealStage `json:"from"`
	To   DealStage `json:"to"`
}

// Spec declares a deal pipeline: its stages and the moves between them.
// [NewDefinition] validates it. It marshals to JSON and back, but for the
// gates and hooks of its stages (see [StageSpec]). As configuration that a
// person writes, its JSON form is decoded strictly: a member that no field
// of the spec, a stage or a move decodes, a misspelt one, is an error
// naming it (see [Spec.UnmarshalJSON]).
//
// NewDefinition only reads a Spec and keeps none of its slices: one Spec may
// be given to NewDefinition from several goroutines at once, and a change to
// it afterwards (a gate, a hook, a move) changes no Definition built from
// it. The zero Spec declares no stage: NewDefinition refuses it;
// [DefaultSpec] is the default pipeline.
type Spec struct {
	// Name identifies the pipeline; deals on it carry it in [Deal.Pipeline].
	// Empty for the default pipeline.
	Name string `json:"name,omitempty"`
	// Stages are the stages, in any order; the open stage of the lowest
	// order is where deals start.
	Stages []StageSpec `json:"stages"`
	// Backward allows the default moves back from an open stage to any
	// earlier open stage. With Moves set, which replace the default moves,
	// it is an error: the moves back are listed in Moves.
	Backward bool `json:"backward,omitempty"`
	// Moves, when not nil, are the only moves allowed between stages,
	// replacing the default ones: forward from an open stage to any later
	// open stage and to any won or lost stage. In JSON a nil Moves is left
	// out and an empty one is written [], so that each reads back as it
	// was.
	Moves []Move `json:"moves,omitempty"`
	// Reopen lists the moves that reopen a closed deal, from a won or lost
	// stage to an open one. Deals cannot be reopened if it is empty.
	Reopen []Move `json:"reopen,omitempty"`
}

// Stage returns a pointer to the stage of s with key, the first if several
// have it, or nil if none has or s is nil, so that a host attaches gates
// and hooks to a spec it decoded from configuration, and finds a stage its
// code expects missing from it:
//
//	st := spec.Stage("proposal")
//	if st == nil {
//		return errors.New("no proposal stage in the configuration")
//	}
//	st.Gates = append(st.Gates, pipeline.RequireAmount())
func (s *Spec) Stage(key DealStage) *StageSpec {
	if s == nil {
		return nil
	}
	for i := range s.Stages {
		if s.Stages[i].Key == key {
			return &s.Stages[i]
		}
	}
	return nil
}

// DefaultSpec returns the spec of the default deal pipeline: Prospecting
// (10 %), Qualification (20 %), Proposal (50 %), Negotiation (80 %), then
// Won or Lost; forward moves only, and reopening a won or lost deal to any
// open stage. Hosts may start from it to build their own.
func DefaultSpec() Spec {
	open := []DealStage{DealProspecting, DealQualification, DealProposal, DealNegotiation}
	var reopen []Move
	for _, from := range []DealStage{DealWon, DealLost} {
		for _, to := range open {
			reopen = append(reopen, Move{From: from, To: to})
		}
	}
	return Spec{
		Stages: []StageSpec{
			{Key: DealProspecting, Name: "Prospecting", Order: 1, Probability: decimal.New(1, -1), Kind: KindOpen},
			{Key: DealQualification, Name: "Qualification", Order: 2, Probability: decimal.New(2, -1), Kind: KindOpen},
			{Key: DealProposal, Name: "Proposal", Order: 3, Probability: decimal.New(5, -1), Kind: KindOpen},
			{Key: DealNegotiation, Name: "Negotiation", Order: 4, Probability: decimal.New(8, -1), Kind: KindOpen},
			{Key: DealWon, Name: "Won", Order: 5, Probability: decimal.New(1, 0), Kind: KindWon},
			{Key: DealLost, Name: "Lost", Order: 6, Kind: KindLost},
		},
		Reopen: reopen,
	}
}

// Definition is a validated, immutable deal pipeline: its stages with their
// order, kind and probability, its moves and gates, on a [Machine]. It
// applies the deal rules on top of the machine: winning needs a positive
// amount and sets the close time; losing needs a [LossReason]; a stage
// change sets the stage's probability and clears an override; reopening
// clears the close time and the loss. It is safe for concurrent use.
//
// Its methods change the deal they are given in place, and only on success:
// a refused change returns an error and leaves the deal as it was. They do
// not touch [Deal.Version], which the [Engine] advances when it stores the
// deal. They append to [Deal.History] as a [Machine] does, in place when it
// has room, so that of a deal copied by assignment and the original, the one
// moved second overwrites the transition the other recorded: move a
// [Deal.Clone]. A nil deal, and a nil or zero Definition (one not made by
// [NewDefinition]), make every method that changes a deal fail with an error
// wrapping [sp.ErrInvalid].
type Definition struct {
	name  string
	m     *Machine[DealStage, *Deal]
	info  []stageRule // by machine index
	specs []StageSpec // sorted by order
	won   int         // index of the first won stage
	lost  int         // index of the first lost stage
	n     int         // the number of stages
	keys  []DealStage // by machine index
	ptrs  []*byte     // where the keys' bytes are, by machine index; see step
	act   []uint8     // n×n flags: act[from*n+to]
	calls []moveCalls // n×n: what a move calls, for guardedFire
	// refused holds, for each mode and pair of stages, the error of the
	// move if the mode does not allow it, made by refusal when first
	// needed: 4×n×n, by modeSlot, then as act.
	refused []atomic.Pointer[TransitionError]
}

// moveCalls is what a move calls: its guards and the target's gates, the
// source's exit hooks and the target's enter hooks.
type moveCalls struct {
	guards      []Guard[DealStage, *Deal]
	exit, enter []Hook[DealStage, *Deal]
}

// stageRule is what a move and the queries read of a stage: its kind, and
// the probability a deal in it has unless overridden.
type stageRule struct {
	kind  StageKind
	code  uint8 // kind as a number: stage kinds of one length compare slowly
	final bool  // a closed stage that no move reopens
	prob  decimal.Decimal
}

// Kind codes of stageRule.code.
const (
	codeOpen uint8 = iota
	codeWon
	codeLost
)

// NewDefinition validates spec and builds its [Definition]. Besides what
// [NewMachine] refuses (unknown or duplicate stages, a stage not reachable
// from the initial one, an open stage with no path to a won or lost one), it
// refuses a pipeline without an open, a won and a lost stage, an unknown
// kind, a probability outside 0 to 1 (or other than 0 or 1 for a won stage,
// which has 1 either way, and other than 0 for a lost stage), a repeated
// order, Backward beside Moves, a move from a closed stage other than a
// reopen, and a reopen move that does not go from a closed to an open stage.
// Errors wrap [sp.ErrInvalid]; their [*sp.ValidationError] names the stage
// or the field at fault.
func NewDefinition(spec Spec) (*Definition, error) {
	def, err := buildDefinition(spec)
	if err != nil {
		return nil, fmt.Errorf("pipeline: deal pipeline %s: %w", sp.Quote(spec.Name), err)
	}
	return def, nil
}

// MustDefinition is like [NewDefinition] but panics on error. It is meant
// for tests and for package-level pipelines built from literal specs.
func MustDefinition(spec Spec) *Definition {
	d, err := NewDefinition(spec)
	if err != nil {
		panic(err)
	}
	return d
}

// DefaultDefinition returns the default deal pipeline, built from
// [DefaultSpec].
func DefaultDefinition() *Definition {
	d, err := NewDefinition(DefaultSpec())
	if err != nil { // unreachable: the default spec is valid; kept as a guard
		panic(err)
	}
	return d
}

// decOne returns the decimal 1.
func decOne() decimal.Decimal { return decimal.New(1, 0) }

// buildDefinition validates spec and builds its Definition, in the order
// of its checks: the spec's name, size and keys, then each stage sorted by
// order, then the moves (to the machine it builds, which checks the rest),
// and last the tables a move reads. Its errors name the field at fault;
// NewDefinition adds the pipeline's name.
func buildDefinition(spec Spec) (*Definition, error) {
	if err := checkSpecKeys(spec); err != nil {
		return nil, err
	}
	specs := slices.Clone(spec.Stages)
	slices.SortStableFunc(specs, func(a, b StageSpec) int { return cmp.Compare(a.Order, b.Order) })
	l, err := layStages(specs)
	if err != nil {
		return nil, err
	}
	ms, err := l.machineSpec(spec, specs)
	if err != nil {
		return nil, err
	}
	m, err := buildMachine(ms)
	if err != nil {
		return nil, err
	}
	def := &Definition{name: spec.Name, m: m, specs: specs}
	def.index()
	def.tabulate()
	def.won = m.index.find(string(l.wons[0]))
	def.lost = m.index.find(string(l.losts[0]))
	// Slices of its own, so that a later change to the gates or hooks of
	// the spec given does not show in Stages.
	for i := range specs {
		specs[i].Gates = slices.Clone(specs[i].Gates)
		specs[i].OnEnter = slices.Clone(specs[i].OnEnter)
		specs[i].OnExit = slices.Clone(specs[i].OnExit)
	}
	return def, nil
}

// checkSpecKeys checks what buildDefinition checks before it sorts the
// stages: the spec's name, its number of stages and each stage's key. The
// number is refused here, before the default moves and the gates they
// skip are built, in time and space growing with the cube of the stages;
// a key is checked here, where its index in the error is its place in
// spec.Stages, not among the stages sorted by order.
func checkSpecKeys(spec Spec) error {
	if err := checkName("name", spec.Name); err != nil {
		return err
	}
	if n := len(spec.Stages); n > MaxStages {
		return sp.Invalid("stages", "%d stages, more than %d", n, MaxStages)
	}
	for i, st := range spec.Stages {
		if err := validKey(string(st.Key)); err != nil {
			return sp.InField(fmt.Sprintf("stages[%d]", i), err)
		}
	}
	return nil
}

// stageLayout is what buildDefinition reads of the stages of a spec to
// make its moves: each key's kind and order, those of the first stage
// sorted by order that has the key, and the keys of each kind in the
// stages' order.
type stageLayout struct {
	kinds              map[DealStage]StageKind
	order              map[DealStage]int
	opens, wons, losts []DealStage
}

// layStages checks each stage of specs, sorted by order and with valid
// keys, in that order: its kind, an order no other stage has, and a
// probability from 0 to 1 that is 0 or 1 for a won stage and 0 for a lost
// one; then that there is an open, a won and a lost stage. It returns the
// stages' layout. A key given twice is left for buildMachine to refuse.
func layStages(specs []StageSpec) (*stageLayout, error) {
	l := &stageLayout{kinds: make(map[DealStage]StageKind, len(specs)), order: make(map[DealStage]int, len(specs))}
	for i, st := range specs {
		field := stageField(st.Key)
		if err := st.Kind.Validate(); err != nil {
			return nil, sp.InField(field+".kind", err)
		}
		if i > 0 && specs[i-1].Order == st.Order {
			return nil, sp.Invalid(field, "order %d also used by stage %q", st.Order, specs[i-1].Key)
		}
		p := st.Probability
		if err := checkUnit(field+".probability", p); err != nil {
			return nil, err
		}
		switch st.Kind {
		case KindOpen:
			l.opens = append(l.opens, st.Key)
		case KindWon:
			if !p.IsZero() && !p.Equal(decOne()) {
				return nil, sp.Invalid(field+".probability", "%s for a won stage; want 1", p)
			}
			l.wons = append(l.wons, st.Key)
		case KindLost:
			if !p.IsZero() {
				return nil, sp.Invalid(field+".probability", "%s for a lost stage; want 0", p)
			}
			l.losts = append(l.losts, st.Key)
		}
		if _, dup := l.kinds[st.Key]; !dup {
			l.kinds[st.Key] = st.Kind
			l.order[st.Key] = st.Order
		}
	}
	switch {
	case len(l.opens) == 0:
		return nil, sp.Invalid("stages", "no open stage")
	case len(l.wons) == 0:
		return nil, sp.Invalid("stages", "no won stage")
	case len(l.losts) == 0:
		return nil, sp.Invalid("stages", "no lost stage")
	}
	return l, nil
}

// defaultMoves returns the moves of a spec without Moves, from its stages
// sorted by order: from each open stage to every closed stage and to every
// later open one, or, with backward, to every other open one.
func defaultMoves(specs []StageSpec, backward bool) []Move {
	var moves []Move
	for i, a := range specs {
		if a.Kind != KindOpen {
			continue
		}
		for j, b := range specs {
			if i == j || (b.Kind == KindOpen && j < i && !backward) {
				continue
			}
			moves = append(moves, Move{From: a.Key, To: b.Key})
		}
	}
	return moves
}

// machineSpec returns the spec of the stage machine of the deal pipeline
// spec, whose stages, sorted by order, are specs and laid out as l says.
// A won stage's gates start with the built-in "a positive amount"; a move
// has as guards the gates of the open stages it skips. It refuses a move,
// in spec.Moves or in spec.Reopen, whose source is of the wrong kind, in
// the order they are given, the moves first; it leaves every other check
// of the moves to buildMachine.
func (l *stageLayout) machineSpec(spec Spec, specs []StageSpec) (MachineSpec[DealStage, *Deal], error) {
	moves := spec.Moves
	switch {
	case moves == nil:
		moves = defaultMoves(specs, spec.Backward)
	case spec.Backward:
		return MachineSpec[DealStage, *Deal]{}, sp.Invalid("backward",
			"true beside moves, which replace the default moves, those back included: list the moves back in moves, or leave moves out")
	}
	mname := "deal pipeline"
	if spec.Name != "" {
		mname += " " + sp.Quote(spec.Name)
	}
	ms := MachineSpec[DealStage, *Deal]{Name: mname, Initial: l.opens[0]}
	gates := make(map[DealStage][]Gate, len(specs))
	for _, st := range specs {
		g := slices.Clone(st.Gates)
		if st.Kind == KindWon {
			g = append([]Gate{{Name: gateAmount, Check: checkAmount}}, g...)
		}
		gates[st.Key] = g
		ms.Stages = append(ms.Stages, StageDef[DealStage, *Deal]{
			Stage: st.Key, Name: st.Name, Terminal: st.Kind != KindOpen,
			Guards: g, OnEnter: st.OnEnter, OnExit: st.OnExit,
		})
	}
	for _, mv := range moves {
		if k, ok := l.kinds[mv.From]; ok && k != KindOpen {
			return MachineSpec[DealStage, *Deal]{}, sp.Invalid(stageField(mv.From), "move to %s out of a closed stage; declare it in Reopen", sp.Quote(string(mv.To)))
		}
		ed := EdgeDef[DealStage, *Deal]{From: mv.From, To: mv.To}
		// The gates of the open stages a forward move skips: those between
		// the two open stages, or, into a won stage, every open stage after
		// the source, whatever the won stage's order.
		if k := l.kinds[mv.To]; k == KindOpen || k == KindWon {
			from, to := l.order[mv.From], l.order[mv.To]
			for _, st := range specs {
				if st.Kind == KindOpen && st.Order > from && (k == KindWon || st.Order < to) {
					ed.Guards = append(ed.Guards, gates[st.Key]...)
				}
			}
		}
		ms.Edges = append(ms.Edges, ed)
	}
	for _, mv := range spec.Reopen {
		if k, ok := l.kinds[mv.From]; ok && k == KindOpen {
			return MachineSpec[DealStage, *Deal]{}, sp.Invalid(stageField(mv.From), "reopen move from an open stage")
		}
		ms.Edges = append(ms.Edges, EdgeDef[DealStage, *Deal]{From: mv.From, To: mv.To, Reopen: true})
	}
	return ms, nil
}

// index fills the tables of p by machine index, from its machine and its
// specs: each stage's rule (a won stage's probability 1 and a lost
// stage's 0, whatever its spec says), its key and where the key's bytes
// are.
func (p *Definition) index() {
	m := p.m
	p.n = m.n
	p.info = make([]stageRule, m.n)
	for i := range m.stages {
		st := p.specs[slices.IndexFunc(p.specs, func(s StageSpec) bool { return s.Key == m.stages[i].key })]
		r := stageRule{kind: st.Kind, prob: st.Probability}
		switch st.Kind {
		case KindWon:
			r.prob, r.code = decOne(), codeWon
		case KindLost:
			r.prob, r.code = decimal.Zero, codeLost
		}
		r.final = r.code != codeOpen && !m.reopens(i)
		p.info[i] = r
	}
	p.keys = make([]DealStage, m.n)
	for i, st := range m.stages {
		p.keys[i] = st.key
	}
	p.ptrs = make([]*byte, m.n)
	for i, k := range p.keys {
		p.ptrs[i] = unsafe.StringData(string(k))
	}
}

// tabulate fills the n×n tables of p that a move reads, from its machine
// and the stage rules index made: the flags of each pair of stages (see
// the act flags) and what its move calls.
func (p *Definition) tabulate() {
	m := p.m
	p.act = make([]uint8, m.n*m.n)
	p.calls = make([]moveCalls, m.n*m.n)
	p.refused = make([]atomic.Pointer[TransitionError], modes*m.n*m.n)
	for f := range m.n {
		for t := range m.n {
			p.calls[f*m.n+t] = moveCalls{guards: m.edges[f*m.n+t].guards, exit: m.stages[f].exit, enter: m.stages[t].enter}
			mv := m.moves[f*m.n+t]
			var a uint8
			if mv&moveOK != 0 {
				a |= actOK
			}
			if mv&moveReopen != 0 {
				a |= actReopen
			}
			// A move into a won stage always has the built-in gate "a
			// positive amount", which fire checks itself; it needs the slow
			// path only for other guards.
			builtin := 0
			switch p.info[t].code {
			case codeWon:
				a |= actToWon
				builtin = 1
			case codeLost:
				a |= actToLost
			}
			if len(m.edges[f*m.n+t].guards) > builtin {
				a |= actGuarded
			}
			if len(m.stages[f].exit) > 0 || len(m.stages[t].enter) > 0 {
				a |= actHooks
			}
			p.act[f*m.n+t] = a
		}
	}
}

// built reports whether p was built by [NewDefinition]: the zero
// Definition and a nil *Definition have no stages; their queries answer as
// for an unknown stage, and their moves fail with an error wrapping
// [sp.ErrInvalid].
func (p *Definition) built() bool { return p != nil && p.m.built() }

// Name returns the pipeline's name; empty for the default pipeline.
func (p *Definition) Name() string {
	if p == nil {
		return ""
	}
	return p.name
}

// Machine returns the stage machine of the pipeline. Moving a deal with it
// directly bypasses the deal rules of the Definition's methods.
func (p *Definition) Machine() *Machine[DealStage, *Deal] {
	if p == nil {
		return nil
	}
	return p.m
}

// Initial returns the stage deals start in: the open stage of the lowest
// order.
func (p *Definition) Initial() DealStage { return p.Machine().Initial() }

// Stages returns the stages by order. Each StageSpec is a copy; its
// Probability is the effective one (1 for won and 0 for lost stages). The
// definition is immutable, so the sequence may be iterated again, and
// gives the same.
func (p *Definition) Stages() iter.Seq[StageSpec] {
	return func(yield func(StageSpec) bool) {
		if !p.built() {
			return
		}
		for _, st := range p.specs {
			st.Gates = slices.Clone(st.Gates)
			st.OnEnter = slices.Clone(st.OnEnter)
			st.OnExit = slices.Clone(st.OnExit)
			st.Probability = p.info[p.m.index.find(string(st.Key))].prob
			if !yield(st) {
				return
			}
		}
	}
}

// Kind returns the kind of stage s, and false if s is not a stage of the
// pipeline.
func (p *Definition) Kind(s DealStage) (StageKind, bool) {
	i := p.Machine().find(s)
	if i < 0 {
		return "", false
	}
	return p.info[i].kind, true
}

// Probability returns the default probability of stage s (1 for won and 0
// for lost stages), and false if s is not a stage of the pipeline.
func (p *Definition) Probability(s DealStage) (decimal.Decimal, bool) {
	i := p.Machine().find(s)
	if i < 0 {
		return decimal.Zero, false
	}
	return p.info[i].prob, true
}

// IsOpen reports whether s is an open stage of the pipeline.
func (p *Definition) IsOpen(s DealStage) bool {
	k, ok := p.Kind(s)
	return ok && k == KindOpen
}

// Start puts d, a new deal, on the pipeline: its Pipeline is set to the
// pipeline's name, its stage to the initial one (recorded as a transition
// from the empty stage) and its probability to that stage's. It refuses a
// deal that already has a stage or a history, changing nothing. Like
// [Machine.Start], it runs no gate and no hook. It leaves [Deal.Created]
// as it is: a caller that moves deals itself sets it (the [Engine] sets it
// when it opens a deal), since the funnel and the sales cycle of package
// quota go by it and leave out a deal without it.
func (p *Definition) Start(d *Deal, s Stamp) error {
	if !p.built() || d == nil {
		return errNilDeal
	}
	if d.Stage != "" || len(d.History) > 0 {
		return p.m.refuse(d.Stage, p.m.Initial(), reasonStarted, "", nil)
	}
	d.Pipeline = p.name
	d.Stage = p.m.Initial()
	d.History = push(d.History, "", d.Stage, &s)
	d.Probability = p.info[p.m.initial].prob
	d.Overridden = false
	d.Closed = time.Time{}
	d.Loss = nil
	return nil
}

// Advance moves d to stage to, along a move the pipeline allows and
// through the gates of the stages the move skips and of to (see
// [StageSpec.Gates]). A move into a won stage applies the rules of
// [Definition.Win]; a move into a lost stage is refused, since losing needs
// a reason: use [Definition.Lose].
func (p *Definition) Advance(ctx context.Context, d *Deal, to DealStage, s Stamp) error {
	return p.fire(ctx, d, to, &s, modeAdvance, nil)
}

// Win moves d to the won stage to, or to the pipeline's first won stage if
// to is empty, along a move the pipeline allows (with [Spec.Moves], only
// from a stage that has a move to it) and through the gates of the stages
// the move skips and of to (see [StageSpec.Gates]). It needs a positive
// amount (the gate "a positive amount"), sets the close time to s.At, and
// sets the probability to 1 whatever was overridden.
func (p *Definition) Win(ctx context.Context, d *Deal, to DealStage, s Stamp) error {
	return p.fire(ctx, d, to, &s, modeWin, nil) // fireSlow finds the stage when to is empty
}

// Lose moves d to the lost stage to, or to the pipeline's first lost stage
// if to is empty, recording loss. An invalid loss (unknown category, empty
// or overlong detail) is an error wrapping [sp.ErrInvalid]. It
// sets the close time to s.At and the probability to 0, and records the
// loss in [Deal.Loss] and, as "<category>: <detail>", in the reason of the
// transition unless s has one. Unlike the other moves, it allocates besides
// the growth of the history: the copy of loss that [Deal.Loss] points to
// and, when s has no reason, that reason.
func (p *Definition) Lose(ctx context.Context, d *Deal, to DealStage, loss LossReason, s Stamp) error {
	if !p.built() || d == nil {
		return errNilDeal
	}
	if err := loss.Validate(); err != nil {
		return fmt.Errorf("pipeline: lose deal %s: %w", sp.Quote(string(d.ID)), sp.InField("loss", err))
	}
	if to == "" {
		to = p.m.stages[p.lost].key
	}
	if s.Reason == "" {
		s.Reason = string(loss.Category) + ": " + loss.Detail
	}
	return p.fire(ctx, d, to, &s, modeLose, &loss)
}

// Reopen moves d from its won or lost stage back to the open stage to,
// where the pipeline allows it, through the gates of to (a gate made by
// [RequireCertifiedOwner] refuses to reopen a deal whose owner is no
// longer eligible); the transition is in the history. The close
// time and the loss are cleared and the probability is the stage's default
// again. A won deal already delivered to the customer cannot be reopened;
// one awaiting delivery loses its after-sale record.
func (p *Definition) Reopen(ctx context.Context, d *Deal, to DealStage, s Stamp) error {
	if !p.built() || d == nil {
		return errNilDeal
	}
	if d.Service != nil && d.Service.Stage != ServiceAwaitingDelivery {
		return p.m.refuse(d.Stage, to, "the deal was delivered to the customer", "", nil)
	}
	if err := p.fire(ctx, d, to, &s, modeReopen, nil); err != nil {
		return err
	}
	d.Service = nil
	return nil
}

// Override sets the probability of d, on an open stage, to prob (0 to 1)
// instead of the stage's default, until its next stage change. A
// probability out of range is refused with an error wrapping
// [sp.ErrInvalid]; a closed deal, a deal on another pipeline, or one on a
// stage the pipeline does not have, with a [*TransitionError], as
// [Definition.ResetProbability] refuses them. Either way d is unchanged.
func (p *Definition) Override(d *Deal, prob decimal.Decimal) error {
	if !p.built() || d == nil {
		return errNilDeal
	}
	if err := checkUnit("probability", prob); err != nil {
		return fmt.Errorf("pipeline: %s deal %s: %w", CmdOverride, sp.Quote(string(d.ID)), err)
	}
	i := p.m.index.find(string(d.Stage))
	switch {
	case d.Pipeline != p.name:
		return p.m.refuse(d.Stage, d.Stage, reasonOtherPipeline, "", nil)
	case i < 0:
		return p.m.refuse(d.Stage, d.Stage, reasonUnknownFrom, "", nil)
	case p.info[i].code != codeOpen:
		return p.m.refuse(d.Stage, d.Stage, "the probability of a closed deal cannot be overridden", "", nil)
	}
	d.Probability = prob
	d.Overridden = true
	return nil
}

// ResetProbability drops an override: d's probability is its stage's
// default again. A closed deal (whose probability is always its stage's),
// a deal on another pipeline, or one on a stage the pipeline does not
// have, is refused with a [*TransitionError], and d is unchanged.
func (p *Definition) ResetProbability(d *Deal) error {
	if !p.built() || d == nil {
		return errNilDeal
	}
	i := p.m.index.find(string(d.Stage))
	switch {
	case d.Pipeline != p.name:
		return p.m.refuse(d.Stage, d.Stage, reasonOtherPipeline, "", nil)
	case i < 0:
		return p.m.refuse(d.Stage, d.Stage, reasonUnknownFrom, "", nil)
	case p.info[i].code != codeOpen:
		return p.m.refuse(d.Stage, d.Stage, "the probability of a closed deal is its stage's", "", nil)
	}
	d.Probability = p.info[i].prob
	d.Overridden = false
	return nil
}

// reasonOtherPipeline refuses a deal whose Pipeline is not the
// Definition's name.
const reasonOtherPipeline = "the deal is on another pipeline"

// How fire moves a deal: which kinds of target it accepts. Each mode is
// the mask of the act flags that matter to it (low byte) and the values
// they must have (high byte).
const (
	modeAdvance = actOK | actReopen | actToLost | actOK<<8             // to an open or won stage
	modeWin     = actOK | actReopen | actToWon | (actOK|actToWon)<<8   // to a won stage
	modeLose    = actOK | actReopen | actToLost | (actOK|actToLost)<<8 // to a lost stage
	modeReopen  = actOK | actReopen | (actOK|actReopen)<<8             // out of a closed stage, to an open one

	modes = 4 // how many there are; see modeSlot
)

// Flags of Definition.act, one byte per pair of stages, so that the usual
// transition decides with one load and one comparison.
const (
	actOK      = 1 << iota // the move exists
	actReopen              // it leaves a closed stage
	actGuarded             // it has guards or gates
	actToWon               // its target is a won stage
	actToLost              // its target is a lost stage
	actHooks               // its source has exit hooks or its target enter hooks
)

// fire checks, guards and commits the move of d, setting the probability,
// the close time and the loss between the exit and the enter hooks. The
// usual move is made by step; a known move with guards or hooks goes
// straight to guardedFire, a known pair of stages the mode does not allow
// straight to refuse, and fireSlow does the rest.
func (p *Definition) fire(ctx context.Context, d *Deal, to DealStage, s *Stamp, mode int, loss *LossReason) error {
	f, t, next := p.step(d, to, s, mode, loss)
	switch next {
	case stepDone:
		return nil
	case stepGuarded:
		return p.guardedFire(ctx, d, f, t, s, loss)
	case stepRefused: // of this pipeline, both stages known
		return p.refusal(mode, f, t)
	}
	return p.fireSlow(ctx, d, to, f, t, s, mode, loss)
}

// refusal returns the error of the move from stage f to stage t, which
// mode does not allow, of a deal of this pipeline. It depends on nothing
// else, so it is made once, when first needed, and kept: a refused move
// allocates nothing after that. Goroutines that first refuse the same
// move at once may each make one; the first stored is the one kept.
func (p *Definition) refusal(mode, f, t int) error {
	slot := &p.refused[(modeSlot(mode)*p.n+f)*p.n+t]
	if e := slot.Load(); e != nil {
		return e
	}
	return keep(slot, &TransitionError{Machine: p.m.Name(), From: string(p.keys[f]), To: string(p.keys[t]), Reason: p.why(mode, f, t)})
}

// modeSlot numbers the modes from 0 to modes-1.
func modeSlot(mode int) int {
	switch mode {
	case modeAdvance:
		return 0
	case modeWin:
		return 1
	case modeLose:
		return 2
	}
	return 3 // modeReopen
}

// What step did, or what is left to do.
const (
	stepSlow    = iota // nothing: fireSlow decides
	stepDone           // the move is made
	stepGuarded        // a move with guards or hooks, for guardedFire
	stepRefused        // the pipeline has no such move in the mode
)

// step makes the usual move of d to to and reports stepDone: both stages
// found by where their bytes are (see [stageIndex.find]; on a pipeline of
// few stages, the deal's stage also by its bytes), the move allowed in
// mode, no guard or hook, a positive amount for a won stage, and room in
// the history for the transition. Otherwise it changes nothing, returns
// the indexes of the stages it found (-1 for the ones it did not) and says
// what is left: stepGuarded or stepRefused for a deal of this pipeline
// whose stages it found, stepSlow for everything else. It calls no
// function, so that it keeps its values in registers.
func (p *Definition) step(d *Deal, to DealStage, s *Stamp, mode int, loss *LossReason) (f, t, next int) {
	f, t = -1, -1
	if p == nil || d == nil || p.n == 0 {
		return f, t, stepSlow
	}
	// Pointers first, lengths after: fewer registers in the loops. Two
	// keys may share a start (one the prefix of the other); the lengths
	// then disagree and fireSlow compares the strings.
	fp, tp := unsafe.StringData(string(d.Stage)), unsafe.StringData(string(to))
	for i, k := range p.ptrs {
		if k == fp {
			f = i
			break
		}
	}
	if f < 0 && p.n <= maxScan {
		// A stage read from storage has bytes of its own: compare them
		// (few and short) here rather than calling the runtime.
		for i, k := range p.keys {
			if equalBytes(string(k), string(d.Stage)) {
				f = i
				break
			}
		}
	}
	for i, k := range p.ptrs {
		if k == tp {
			t = i
			break
		}
	}
	if f < 0 || t < 0 || len(p.keys[f]) != len(d.Stage) || len(p.keys[t]) != len(to) {
		return -1, -1, stepSlow
	}
	if !equalBytes(d.Pipeline, p.name) {
		return f, t, stepSlow
	}
	a := p.act[f*p.n+t]
	switch {
	case a&uint8(mode) != uint8(mode>>8):
		return f, t, stepRefused
	case a&(actGuarded|actHooks) != 0:
		return f, t, stepGuarded
	case a&actToWon != 0 && d.Amount.Sign() <= 0 || len(d.History) == cap(d.History):
		return f, t, stepSlow
	}
	d.Stage = p.keys[t]
	n := len(d.History)
	d.History = d.History[:n+1]
	h := &d.History[n]
	h.From, h.To, h.At, h.Actor, h.Reason = p.keys[f], d.Stage, s.At, s.Actor, s.Reason
	p.settle(d, t, s.At, loss)
	return f, t, stepDone
}

// equalBytes reports whether a == b, comparing bytes in a loop instead of
// calling the runtime: names are short, and step calls nothing.
func equalBytes(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || unsafe.StringData(a) == unsafe.StringData(b) {
		return true
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// fireSlow is fire for every move step does not make; f and t are the
// stages step found, -1 for those it did not.
func (p *Definition) fireSlow(ctx context.Context, d *Deal, to DealStage, f, t int, s *Stamp, mode int, loss *LossReason) error {
	if !p.built() || d == nil {
		return errNilDeal
	}
	if to == "" && mode == modeWin {
		to, t = p.keys[p.won], p.won
	}
	if f < 0 {
		f = p.m.index.compare(string(d.Stage))
	}
	if t < 0 {
		t = p.m.index.compare(string(to))
	}
	if f < 0 || t < 0 || d.Pipeline != p.name {
		return p.refuse(d, to, f)
	}
	a := p.act[f*p.n+t]
	if a&uint8(mode) != uint8(mode>>8) {
		return p.refusal(mode, f, t)
	}
	if a&(actGuarded|actHooks) != 0 {
		return p.guardedFire(ctx, d, f, t, s, loss)
	}
	if a&actToWon != 0 && d.Amount.Sign() <= 0 {
		return p.m.refuse(d.Stage, to, "", gateAmount, noAmountError{})
	}
	d.Stage = p.keys[t]
	d.History = push(d.History, p.keys[f], d.Stage, s)
	p.settle(d, t, s.At, loss)
	return nil
}

// guardedFire is fire for moves with guards or hooks.
func (p *Definition) guardedFire(ctx context.Context, d *Deal, f, t int, s *Stamp, loss *LossReason) error {
	c := &p.calls[f*p.n+t]
	tr := Transition[DealStage]{From: p.keys[f], To: p.keys[t], At: s.At, Actor: s.Actor, Reason: s.Reason}
	for i := range c.guards {
		if err := c.guards[i].Check(ctx, d, tr); err != nil {
			return p.m.guardError(tr.From, tr.To, c.guards[i].Name, err)
		}
	}
	for _, h := range c.exit {
		h(d, tr)
	}
	d.Stage = tr.To
	d.History = push(d.History, tr.From, tr.To, s)
	p.settle(d, t, s.At, loss)
	for _, h := range c.enter {
		h(d, tr)
	}
	return nil
}

// refuse returns the error of a move that fire refused for not being
// between two stages of this pipeline: d is on another pipeline, or the
// pipeline has no stage d.Stage (f is -1) or to.
func (p *Definition) refuse(d *Deal, to DealStage, f int) error {
	why := reasonUnknownTo
	switch {
	case d.Pipeline != p.name:
		why = reasonOtherPipeline
	case f < 0:
		why = reasonUnknownFrom
	}
	return p.m.refuse(d.Stage, to, why, "", nil)
}

// why says why the pipeline has no move from stage f to stage t in mode.
func (p *Definition) why(mode, f, t int) string {
	closed := p.info[f].code != codeOpen
	switch {
	case f == t:
		return reasonSame
	case mode != modeReopen && p.info[f].final:
		return reasonFinal
	case mode != modeReopen && closed:
		return reasonClosed
	case mode == modeReopen && !closed:
		return reasonNotClosed
	case mode == modeReopen && p.info[f].final:
		return reasonFinal
	case p.act[f*p.n+t]&actOK == 0:
		return reasonNoMove
	case mode == modeAdvance:
		return "losing a deal needs a loss reason"
	case mode == modeWin:
		return "not a won stage"
	}
	return "not a lost stage"
}

// settle applies the deal rules of entering stage t at time at.
func (p *Definition) settle(d *Deal, t int, at time.Time, loss *LossReason) {
	// Fields that already hold their value are not written again: a
	// comparison is cheaper than a store behind a write barrier check.
	r := &p.info[t]
	if d.Probability != r.prob {
		d.Probability = r.prob
	}
	d.Overridden = false
	if r.code == codeOpen {
		if d.Closed != (time.Time{}) {
			d.Closed = time.Time{}
		}
		if d.Loss != nil {
			d.Loss = nil
		}
		return
	}
	d.Closed = at
	d.Loss = loss
}
