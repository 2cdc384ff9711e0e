package benchmarks

import (
	"context"
	"testing"
	"time"

	"github.com/looplab/fsm"
	"github.com/qmuntal/stateless"
	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/shopspring/decimal"
)

// stored is the deal as a store holds it before the lifecycle: its stage,
// version and amount.
type stored struct {
	ID          string
	Stage       string
	Version     int64
	Amount      sp.Money
	Probability decimal.Decimal
}

func newStored(b testing.TB) stored {
	amount, err := sp.NewMoneyFromMinor(108000, "EUR")
	if err != nil {
		b.Fatal(err)
	}
	return stored{ID: "deal-1", Stage: "prospecting", Version: 1, Amount: amount, Probability: decimal.New(1, -1)}
}

// The four moves of the lifecycle, as events (looplab) or triggers
// (stateless), and the stages they lead to.
var (
	events = []string{"qualify", "propose", "negotiate", "win"}
	stages = []string{"qualification", "proposal", "negotiation", "won"}
)

const transitions = 4

func reportPerTransition(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*transitions), "ns/transition")
}

// ours runs the lifecycle with package pipeline: a shared default
// Definition; each lifecycle loads the stored state (stage, version,
// amount, probability; no override, close time or loss) into a reused
// record, keeping its history buffer, as the peers load the stored stage
// into their state, and applies the deal rules on each move (probability,
// history, and on winning the positive-amount gate and the close time).
type ours struct {
	p   *pipeline.Definition
	d   *pipeline.Deal
	buf []pipeline.Transition[pipeline.DealStage]
	s   pipeline.Stamp
}

func newOurs() *ours {
	return &ours{
		p:   pipeline.DefaultDefinition(),
		d:   new(pipeline.Deal),
		buf: make([]pipeline.Transition[pipeline.DealStage], 0, 8),
		s:   pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep-ann"},
	}
}

func (o *ours) run(ctx context.Context, st stored) (string, error) {
	d := o.d
	d.ID, d.Stage, d.Version, d.Amount, d.Probability = sp.DealID(st.ID), pipeline.DealStage(st.Stage), st.Version, st.Amount, st.Probability
	d.Overridden, d.Closed, d.Loss, d.History = false, time.Time{}, nil, o.buf[:0]
	if err := o.p.Advance(ctx, d, pipeline.DealQualification, o.s); err != nil {
		return "", err
	}
	if err := o.p.Advance(ctx, d, pipeline.DealProposal, o.s); err != nil {
		return "", err
	}
	if err := o.p.Advance(ctx, d, pipeline.DealNegotiation, o.s); err != nil {
		return "", err
	}
	if err := o.p.Win(ctx, d, pipeline.DealWon, o.s); err != nil {
		return "", err
	}
	return string(d.Stage), nil
}

// looplab runs the lifecycle with looplab/fsm, which keeps the state in
// the machine: one FSM built per record from its stored stage, as the
// library is meant to be used.
func looplabDescs() []fsm.EventDesc {
	return []fsm.EventDesc{
		{Name: "qualify", Src: []string{"prospecting"}, Dst: "qualification"},
		{Name: "propose", Src: []string{"qualification"}, Dst: "proposal"},
		{Name: "negotiate", Src: []string{"proposal"}, Dst: "negotiation"},
		{Name: "win", Src: []string{"negotiation"}, Dst: "won"},
		{Name: "lose", Src: []string{"prospecting", "qualification", "proposal", "negotiation"}, Dst: "lost"},
	}
}

func runLooplab(ctx context.Context, descs []fsm.EventDesc, st stored) (string, error) {
	f := fsm.NewFSM(st.Stage, descs, nil)
	for _, ev := range events {
		if err := f.Event(ctx, ev); err != nil {
			return "", err
		}
	}
	return f.Current(), nil
}

// runLooplabShared reuses one FSM, setting its state from the stored record
// each time (not safe for concurrent records; a lower bound for looplab).
func runLooplabShared(ctx context.Context, f *fsm.FSM, st stored) (string, error) {
	f.SetState(st.Stage)
	for _, ev := range events {
		if err := f.Event(ctx, ev); err != nil {
			return "", err
		}
	}
	return f.Current(), nil
}

// statelessMachine is one stateless machine shared by every record, with
// the state kept outside it, in the record being worked on.
type statelessMachine struct {
	sm  *stateless.StateMachine
	cur *stored
}

func newStateless() *statelessMachine {
	m := &statelessMachine{}
	m.sm = stateless.NewStateMachineWithExternalStorage(
		func(context.Context) (stateless.State, error) { return m.cur.Stage, nil },
		func(_ context.Context, s stateless.State) error { m.cur.Stage = s.(string); return nil },
		stateless.FiringImmediate,
	)
	m.sm.Configure("prospecting").Permit("qualify", "qualification").Permit("lose", "lost")
	m.sm.Configure("qualification").Permit("propose", "proposal").Permit("lose", "lost")
	m.sm.Configure("proposal").Permit("negotiate", "negotiation").Permit("lose", "lost")
	m.sm.Configure("negotiation").Permit("win", "won").Permit("lose", "lost")
	m.sm.Configure("won")
	m.sm.Configure("lost")
	return m
}

func (m *statelessMachine) run(ctx context.Context, st stored) (string, error) {
	rec := st
	m.cur = &rec
	for _, ev := range events {
		if err := m.sm.FireCtx(ctx, ev); err != nil {
			return "", err
		}
	}
	return rec.Stage, nil
}

// TestLifecyclesAgree checks that each contender, as the benchmark runs
// it, takes the deal through the same four moves to won.
func TestLifecyclesAgree(t *testing.T) { checkLifecycles(t) }

// checkLifecycles fails t unless every contender wins the stored deal in
// the four moves, ours recording them with the deal rules.
func checkLifecycles(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	st := newStored(t)
	o := newOurs()
	got, err := o.run(ctx, st)
	if err != nil || got != "won" {
		t.Fatalf("pipeline: got %q, %v; want won", got, err)
	}
	if len(o.d.History) != transitions || !o.d.Closed.Equal(o.s.At) || !o.d.Probability.Equal(decimal.New(1, 0)) {
		t.Errorf("pipeline: history %d, closed %v, probability %s", len(o.d.History), o.d.Closed, o.d.Probability)
	}
	for i, tr := range o.d.History {
		if string(tr.To) != stages[i] {
			t.Errorf("pipeline: transition %d to %s, want %s", i, tr.To, stages[i])
		}
	}
	if got, err := runLooplab(ctx, looplabDescs(), st); err != nil || got != "won" {
		t.Errorf("looplab/fsm: got %q, %v; want won", got, err)
	}
	f := fsm.NewFSM("prospecting", looplabDescs(), nil)
	if got, err := runLooplabShared(ctx, f, st); err != nil || got != "won" {
		t.Errorf("looplab/fsm shared: got %q, %v; want won", got, err)
	}
	if got, err := newStateless().run(ctx, st); err != nil || got != "won" {
		t.Errorf("stateless: got %q, %v; want won", got, err)
	}
	// The stored record is untouched: each lifecycle starts from it again.
	if st.Stage != "prospecting" {
		t.Errorf("stored stage changed to %q", st.Stage)
	}
}

func BenchmarkLifecycle(b *testing.B) {
	checkLifecycles(b) // what is timed is right, also under -run '^$'
	ctx := context.Background()
	st := newStored(b)
	b.Run("pipeline", func(b *testing.B) {
		o := newOurs()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := o.run(ctx, st); err != nil {
				b.Fatal(err)
			}
		}
		reportPerTransition(b)
	})
	b.Run("looplab_fsm", func(b *testing.B) {
		descs := looplabDescs()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := runLooplab(ctx, descs, st); err != nil {
				b.Fatal(err)
			}
		}
		reportPerTransition(b)
	})
	b.Run("looplab_fsm_shared", func(b *testing.B) {
		f := fsm.NewFSM("prospecting", looplabDescs(), nil)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := runLooplabShared(ctx, f, st); err != nil {
				b.Fatal(err)
			}
		}
		reportPerTransition(b)
	})
	b.Run("stateless", func(b *testing.B) {
		m := newStateless()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := m.run(ctx, st); err != nil {
				b.Fatal(err)
			}
		}
		reportPerTransition(b)
	})
}
