package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/shopspring/decimal"
)

// benchMachine is a shared machine whose records move back and forth
// between two open stages; with gated, each move has a guard and entering
// either stage runs a hook.
func benchMachine(b *testing.B, gated bool) *pipeline.Machine[pipeline.DealStage, *pipeline.Deal] {
	b.Helper()
	type def = pipeline.StageDef[pipeline.DealStage, *pipeline.Deal]
	type edge = pipeline.EdgeDef[pipeline.DealStage, *pipeline.Deal]
	sa, sb := def{Stage: "a"}, def{Stage: "b"}
	if gated {
		for _, sd := range []*def{&sa, &sb} {
			sd.Guards = []pipeline.Guard[pipeline.DealStage, *pipeline.Deal]{{Name: "an owner", Check: ownerCheck}}
			sd.OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{expectNow}
		}
	}
	m, err := pipeline.NewMachine(pipeline.MachineSpec[pipeline.DealStage, *pipeline.Deal]{
		Name: "bench", Initial: "a",
		Stages: []def{sa, sb, {Stage: "done", Terminal: true}},
		Edges:  []edge{{From: "a", To: "b"}, {From: "b", To: "a"}, {From: "b", To: "done"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// ownerCheck, the guard or gate of the gated benchmarks, refuses a deal
// without an owner; expectNow, their hook, sets the expected close to the
// time of the move.
func ownerCheck(_ context.Context, d *pipeline.Deal, _ pipeline.Transition[pipeline.DealStage]) error {
	if d.Owner == "" {
		return errNoOwner
	}
	return nil
}

func expectNow(d *pipeline.Deal, t pipeline.Transition[pipeline.DealStage]) { d.ExpectedClose = t.At }

// checkGated fails b unless fire, from stage a, refuses a deal without an
// owner and runs the hook for one with an owner: the gated benchmarks time
// what they say.
func checkGated(b *testing.B, fire func(*pipeline.Deal, pipeline.DealStage, pipeline.Stamp) error) {
	b.Helper()
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	for _, to := range []pipeline.DealStage{"b", "a"} {
		from := pipeline.DealStage("a")
		if to == "a" {
			from = "b"
		}
		if err := fire(&pipeline.Deal{Pipeline: "bench", Stage: from}, to, s); !errors.Is(err, errNoOwner) {
			b.Fatalf("a move to %s without an owner: want the guard's refusal, got %v", to, err)
		}
		d := &pipeline.Deal{Pipeline: "bench", Owner: "rep", Stage: from}
		if err := fire(d, to, s); err != nil || !d.ExpectedClose.Equal(s.At) || len(d.History) != 1 {
			b.Fatalf("a move to %s: want the hook run and the move recorded, got %v, %v, %d moves", to, err, d.ExpectedClose, len(d.History))
		}
	}
}

var errNoOwner = errors.New("no owner")

const historyCap = 1 << 10

func benchFire(b *testing.B, gated bool) {
	m := benchMachine(b, gated)
	ctx := context.Background()
	if gated {
		checkGated(b, func(d *pipeline.Deal, to pipeline.DealStage, s pipeline.Stamp) error { return m.Fire(ctx, d, to, s) })
	}
	d := &pipeline.Deal{Owner: "rep", Stage: "a", History: make([]pipeline.Transition[pipeline.DealStage], 0, historyCap)}
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	to := [2]pipeline.DealStage{"b", "a"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.Fire(ctx, d, to[i&1], s); err != nil {
			b.Fatal(err)
		}
		if len(d.History) == historyCap {
			d.History = d.History[:0] // amortized: keep the capacity, as a record reloaded into a buffer would
		}
	}
}

// BenchmarkMachineFire is one transition of the generic Machine, shared,
// with a guard, a hook and the history record, each move alike.
func BenchmarkMachineFire(b *testing.B) { benchFire(b, true) }

// BenchmarkMachineFireBare is one transition of the generic Machine without
// guard or hook, history recorded.
func BenchmarkMachineFireBare(b *testing.B) { benchFire(b, false) }

// benchDefinition is a shared deal pipeline whose deals move back and forth
// between two open stages; with gated, entering either stage passes a gate
// and runs a hook.
func benchDefinition(b *testing.B, gated bool) *pipeline.Definition {
	b.Helper()
	sa := pipeline.StageSpec{Key: "a", Order: 1, Kind: pipeline.KindOpen, Probability: decimal.New(3, -1)}
	sb := pipeline.StageSpec{Key: "b", Order: 2, Kind: pipeline.KindOpen, Probability: decimal.New(6, -1)}
	if gated {
		for _, ss := range []*pipeline.StageSpec{&sa, &sb} {
			ss.Gates = []pipeline.Gate{{Name: "an owner", Check: ownerCheck}}
			ss.OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{expectNow}
		}
	}
	p, err := pipeline.NewDefinition(pipeline.Spec{
		Name: "bench",
		Stages: []pipeline.StageSpec{
			sa,
			sb,
			{Key: "won", Order: 3, Kind: pipeline.KindWon},
			{Key: "lost", Order: 4, Kind: pipeline.KindLost},
		},
		Backward: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func benchAdvance(b *testing.B, gated bool) {
	p := benchDefinition(b, gated)
	ctx := context.Background()
	if gated {
		checkGated(b, func(d *pipeline.Deal, to pipeline.DealStage, s pipeline.Stamp) error { return p.Advance(ctx, d, to, s) })
	}
	d := &pipeline.Deal{Pipeline: "bench", Owner: "rep", Stage: "a", History: make([]pipeline.Transition[pipeline.DealStage], 0, historyCap)}
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	to := [2]pipeline.DealStage{"b", "a"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := p.Advance(ctx, d, to[i&1], s); err != nil {
			b.Fatal(err)
		}
		if len(d.History) == historyCap {
			d.History = d.History[:0]
		}
	}
}

// BenchmarkTransition is one transition on a shared deal pipeline
// definition, through a gate and a hook, with the history record and the
// deal rules (probability, override, close time): each move, there and
// back, passes its gate and runs its hook.
func BenchmarkTransition(b *testing.B) { benchAdvance(b, true) }

// BenchmarkTransitionBare is one transition on a shared definition without
// gate or hook, with the history record and the deal rules.
func BenchmarkTransitionBare(b *testing.B) { benchAdvance(b, false) }

// BenchmarkTransitionRefused is a move the pipeline refuses, a won deal
// advanced to an open stage (only a reopen leaves a closed stage): its
// error, made at the first refusal, is kept by the definition.
func BenchmarkTransitionRefused(b *testing.B) {
	p := benchDefinition(b, true)
	d := &pipeline.Deal{Pipeline: "bench", Owner: "rep", Stage: "won"}
	ctx := context.Background()
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	if err := p.Advance(ctx, d, "a", s); !errors.Is(err, sp.ErrInvalidTransition) || d.Stage != "won" {
		b.Fatalf("want the move refused as an invalid transition, got %v (stage %s)", err, d.Stage)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := p.Advance(ctx, d, "a", s); err == nil {
			b.Fatal("allowed")
		}
	}
}

// BenchmarkMachineFireRefused is a move the generic Machine does not have.
func BenchmarkMachineFireRefused(b *testing.B) {
	m := benchMachine(b, true)
	d := &pipeline.Deal{Owner: "rep", Stage: "a"}
	ctx := context.Background()
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	if err := m.Fire(ctx, d, "done", s); !errors.Is(err, sp.ErrInvalidTransition) || d.Stage != "a" {
		b.Fatalf("want the move refused as an invalid transition, got %v (stage %s)", err, d.Stage)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.Fire(ctx, d, "done", s); err == nil {
			b.Fatal("allowed")
		}
	}
}

// BenchmarkDealLifecycle is the default pipeline's four transitions from
// prospecting to won, with the deal rules, on a deal rebuilt from stored
// state each time; ns/op is per lifecycle (divide by 4).
func BenchmarkDealLifecycle(b *testing.B) {
	p := pipeline.DefaultDefinition()
	ctx := context.Background()
	amount, _ := sp.NewMoneyFromMinor(100000, "EUR")
	stored := pipeline.Deal{ID: "d1", Owner: "rep", Stage: pipeline.DealProspecting, Amount: amount, Probability: decimal.New(1, -1), Version: 1}
	buf := make([]pipeline.Transition[pipeline.DealStage], 0, 8)
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	d := new(pipeline.Deal)
	lifecycle := func() error {
		*d = stored // rebuilt from the stored state, into a reused record
		d.History = buf[:0]
		if p.Advance(ctx, d, pipeline.DealQualification, s) != nil ||
			p.Advance(ctx, d, pipeline.DealProposal, s) != nil ||
			p.Advance(ctx, d, pipeline.DealNegotiation, s) != nil ||
			p.Win(ctx, d, "", s) != nil {
			return errors.New("refused")
		}
		return nil
	}
	if err := lifecycle(); err != nil || d.Stage != pipeline.DealWon || len(d.History) != 4 || !d.Probability.Equal(decimal.New(1, 0)) || !d.Closed.Equal(s.At) {
		b.Fatalf("want the deal won in four recorded moves, closed now with probability 1; got %v: %s, %d moves, %s, %v", err, d.Stage, len(d.History), d.Probability, d.Closed)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := lifecycle(); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDeal is a won deal of eight lines, four moves and two activities,
// as a store writes and reads it.
func benchDeal() pipeline.Deal {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	price, _ := sp.NewMoneyFromMinor(12550, "EUR")
	d := pipeline.Deal{ID: "d1", Owner: "rep", Region: "north", Customer: "c1", Product: "p1",
		Amount: price, ExpectedClose: at, Created: at, Closed: at, Stage: pipeline.DealWon,
		Probability: decimal.New(1, 0), Version: 5}
	for i := range 8 {
		d.Lines = append(d.Lines, pipeline.Line{Product: "p1", Quantity: int64(i + 1), UnitPrice: price, Discount: decimal.New(int64(i), -2)})
	}
	for _, to := range []pipeline.DealStage{pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation, pipeline.DealWon} {
		d.History = append(d.History, pipeline.Transition[pipeline.DealStage]{From: d.Stage, To: to, At: at, Actor: "rep"})
	}
	d.Activities = []pipeline.Activity{{ID: "a1", Kind: pipeline.ActivityCall, Actor: "rep", Done: at}, {ID: "a2", Kind: pipeline.ActivityVisit, Actor: "rep", Due: at}}
	return d
}

// BenchmarkDealMarshalJSON encodes benchDeal, as a store writes it: by
// Deal's MarshalJSON, whose EncodeJSON writes the lines by the rules of
// encoding/json (a method of Line's own would cost each line a second
// pass over its bytes).
func BenchmarkDealMarshalJSON(b *testing.B) {
	d := benchDeal()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := json.Marshal(d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDealJSON decodes a won deal of eight lines, with its history
// and two activities, from its JSON form: json.Unmarshal through the
// UnmarshalJSON methods of Deal and Line, whose DecodeJSON checks the
// decimals each holds (the deal's probability, each line's discount).
func BenchmarkDealJSON(b *testing.B) {
	d := benchDeal()
	data, err := json.Marshal(d)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var got pipeline.Deal
		if err := json.Unmarshal(data, &got); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpecUnmarshalJSON decodes a typical pipeline spec, the default
// stages with explicit moves and a reopening, as a host reads it from its
// configuration: by DecodeJSONStrict, with its checks of every member.
func BenchmarkSpecUnmarshalJSON(b *testing.B) {
	spec := pipeline.DefaultSpec()
	spec.Name = "b2b"
	spec.Moves = []pipeline.Move{{From: pipeline.DealProspecting, To: pipeline.DealQualification},
		{From: pipeline.DealQualification, To: pipeline.DealProposal}, {From: pipeline.DealProposal, To: pipeline.DealNegotiation},
		{From: pipeline.DealNegotiation, To: pipeline.DealWon}, {From: pipeline.DealNegotiation, To: pipeline.DealLost},
		{From: pipeline.DealProposal, To: pipeline.DealLost}}
	spec.Reopen = []pipeline.Move{{From: pipeline.DealLost, To: pipeline.DealProspecting}}
	data, err := json.Marshal(spec)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var s pipeline.Spec
		if err := s.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
