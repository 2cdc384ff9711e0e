package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// sharers is the number of goroutines of the tests of this file.
const sharers = 16

// One host Machine, with a gate and hooks, and one inquiry machine serve
// 16 goroutines at once, each moving records of its own through every
// kind of move while reading the machines' stages, edges and diagrams:
// every record ends where a serial run leaves it, with its whole history,
// the gate refuses exactly the records it must, and each hook runs once
// per move. Run with -race.
func TestMachinesSharedBetweenGoroutines(t *testing.T) {
	type S = pipeline.ServiceStage
	var entered, left atomic.Int64
	service, err := pipeline.NewMachine(pipeline.MachineSpec[S, *pipeline.Service]{
		Name:    "delivery",
		Initial: pipeline.ServiceAwaitingDelivery,
		Stages: []pipeline.StageDef[S, *pipeline.Service]{
			{Stage: pipeline.ServiceAwaitingDelivery, OnExit: []pipeline.Hook[S, *pipeline.Service]{
				func(*pipeline.Service, pipeline.Transition[S]) { left.Add(1) },
			}},
			{Stage: pipeline.ServiceDelivered, OnEnter: []pipeline.Hook[S, *pipeline.Service]{
				func(*pipeline.Service, pipeline.Transition[S]) { entered.Add(1) },
			}},
			{Stage: pipeline.ServiceFollowedUp, Terminal: true, Guards: []pipeline.Guard[S, *pipeline.Service]{{
				Name: "customer feedback",
				Check: func(_ context.Context, s *pipeline.Service, _ pipeline.Transition[S]) error {
					if len(s.Feedback) == 0 {
						return errors.New("none recorded")
					}
					return nil
				},
			}}},
		},
		Edges: []pipeline.EdgeDef[S, *pipeline.Service]{
			{From: pipeline.ServiceAwaitingDelivery, To: pipeline.ServiceDelivered},
			{From: pipeline.ServiceDelivered, To: pipeline.ServiceFollowedUp},
		},
	})
	require.NoError(t, err)
	inquiries := pipeline.NewInquiryMachine()
	diagrams := service.Mermaid() + service.DOT() + inquiries.Mermaid() + inquiries.DOT()

	const workers, records = sharers, 30
	ctx := context.Background()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	refused := make([]int, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = func() error {
				for i := range records {
					s := pipeline.Stamp{At: at.Add(time.Duration(i) * time.Minute), Actor: "system"}
					// A service with feedback on odd records only.
					var svc pipeline.Service
					if i%2 == 1 {
						svc.Feedback = []sp.Feedback{{Product: "widget", Rating: 5}}
					}
					if err := service.Start(&svc, s); err != nil {
						return err
					}
					if err := service.Fire(ctx, &svc, pipeline.ServiceDelivered, s); err != nil {
						return err
					}
					err := service.Fire(ctx, &svc, pipeline.ServiceFollowedUp, s)
					var te *pipeline.TransitionError
					switch {
					case i%2 == 1 && err != nil:
						return fmt.Errorf("service %d: %w", i, err)
					case i%2 == 0 && !errors.As(err, &te):
						return fmt.Errorf("service %d without feedback: got %v, want a refusal", i, err)
					case i%2 == 0:
						refused[w]++
					}
					want := []S{pipeline.ServiceAwaitingDelivery, pipeline.ServiceDelivered, pipeline.ServiceFollowedUp}[:2+i%2]
					if svc.Stage != want[len(want)-1] || len(svc.History) != len(want) {
						return fmt.Errorf("service %d: stage %s after %d moves, want %s after %d", i, svc.Stage, len(svc.History), want[len(want)-1], len(want))
					}

					// An inquiry disqualified, reopened and qualified
					// again.
					in := pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("in-%d-%d", w, i))}
					if err := inquiries.Start(&in, s); err != nil {
						return err
					}
					for _, to := range []pipeline.InquiryStage{pipeline.InquiryContacted, pipeline.InquiryDisqualified} {
						if err := inquiries.Fire(ctx, &in, to, s); err != nil {
							return err
						}
					}
					if err := inquiries.Reopen(ctx, &in, pipeline.InquiryNew, s); err != nil {
						return err
					}
					for _, to := range []pipeline.InquiryStage{pipeline.InquiryContacted, pipeline.InquiryQualified} {
						if err := inquiries.Fire(ctx, &in, to, s); err != nil {
							return err
						}
					}
					if in.Stage != pipeline.InquiryQualified || len(in.History) != 6 {
						return fmt.Errorf("inquiry %s: stage %s after %d moves, want qualified after 6", in.ID, in.Stage, len(in.History))
					}
					if err := inquiries.Fire(ctx, &in, pipeline.InquiryNew, s); !errors.Is(err, sp.ErrInvalidTransition) {
						return fmt.Errorf("inquiry %s: qualified → new: got %v, want ErrInvalidTransition", in.ID, err)
					}

					n := 0
					for range inquiries.Edges() {
						n++
					}
					for range service.Stages() {
						n++
					}
					if n != 7+3 {
						return fmt.Errorf("%d edges and stages, want 10", n)
					}
					if i%10 == 0 && service.Mermaid()+service.DOT()+inquiries.Mermaid()+inquiries.DOT() != diagrams {
						return fmt.Errorf("the diagrams changed under use")
					}
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	for w, err := range errs {
		require.NoError(t, err, "goroutine %d", w)
		assert.Equal(t, records/2, refused[w], "goroutine %d: services refused for want of feedback", w)
	}
	assert.Equal(t, int64(workers*records), entered.Load(), "entries into delivered")
	assert.Equal(t, int64(workers*records), left.Load(), "exits from awaiting delivery")
}

// One Spec, with gates, hooks and moves of its own, given to NewDefinition
// by 16 goroutines at once builds the same Definition on each, which moves
// deals alike; changing the spec afterwards changes none of them.
// Run with -race.
func TestSpecSharedByNewDefinitionConcurrently(t *testing.T) {
	var entered atomic.Int64
	spec := pipeline.DefaultSpec()
	spec.Name = "field"
	spec.Moves = []pipeline.Move{
		{From: pipeline.DealProspecting, To: pipeline.DealProposal},
		{From: pipeline.DealProposal, To: pipeline.DealWon},
		{From: pipeline.DealProposal, To: pipeline.DealLost},
		{From: pipeline.DealProspecting, To: pipeline.DealQualification},
		{From: pipeline.DealQualification, To: pipeline.DealNegotiation},
		{From: pipeline.DealNegotiation, To: pipeline.DealLost},
	}
	proposal := spec.Stage(pipeline.DealProposal)
	proposal.Gates = []pipeline.Gate{{Name: "lines", Check: func(_ context.Context, d *pipeline.Deal, _ pipeline.Transition[pipeline.DealStage]) error {
		if len(d.Lines) == 0 {
			return errors.New("no lines")
		}
		return nil
	}}}
	proposal.OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(*pipeline.Deal, pipeline.Transition[pipeline.DealStage]) { entered.Add(1) }}
	serial, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	want := serial.Mermaid()

	ctx := context.Background()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	defs := make([]*pipeline.Definition, sharers)
	errs := make([]error, sharers)
	var wg sync.WaitGroup
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = func() error {
				def, err := pipeline.NewDefinition(spec)
				if err != nil {
					return err
				}
				defs[w] = def
				if got := def.Mermaid(); got != want {
					return fmt.Errorf("diagram %q, want %q", got, want)
				}
				d := pipeline.Deal{ID: sp.DealID(fmt.Sprint("d", w)), Amount: eurAmount()}
				s := pipeline.Stamp{At: at, Actor: "system"}
				if err := def.Start(&d, s); err != nil {
					return err
				}
				if err := def.Advance(ctx, &d, pipeline.DealProposal, s); !errors.Is(err, sp.ErrInvalidTransition) {
					return fmt.Errorf("a deal without lines into proposal: got %v, want a refusal", err)
				}
				d.Lines = []pipeline.Line{{Product: "widget", Quantity: 1, UnitPrice: eurAmount()}}
				if err := def.Advance(ctx, &d, pipeline.DealProposal, s); err != nil {
					return err
				}
				if err := def.Advance(ctx, &d, pipeline.DealNegotiation, s); !errors.Is(err, sp.ErrInvalidTransition) {
					return fmt.Errorf("proposal → negotiation, a move the spec leaves out: got %v, want a refusal", err)
				}
				return def.Win(ctx, &d, "", s)
			}()
		}()
	}
	wg.Wait()
	for w, err := range errs {
		require.NoError(t, err, "goroutine %d", w)
	}
	assert.Equal(t, int64(sharers), entered.Load(), "entries into proposal")

	// Changes to the spec after the builds reach no Definition.
	proposal.Gates[0] = pipeline.Gate{Name: "never", Check: func(context.Context, *pipeline.Deal, pipeline.Transition[pipeline.DealStage]) error {
		return errors.New("changed")
	}}
	proposal.Probability = decimal.New(9, -1)
	spec.Moves[0].To = pipeline.DealNegotiation
	spec.Stages[0].Name = "Changed"
	for w, def := range append(defs, serial) {
		assert.Equal(t, want, def.Mermaid(), "definition %d", w)
		p, _ := def.Probability(pipeline.DealProposal)
		assert.Equal(t, "0.5", p.String(), "definition %d", w)
		d := pipeline.Deal{ID: "late", Lines: []pipeline.Line{{Product: "widget", Quantity: 1, UnitPrice: eurAmount()}}}
		require.NoError(t, def.Start(&d, pipeline.Stamp{At: at, Actor: "system"}))
		assert.NoError(t, def.Advance(ctx, &d, pipeline.DealProposal, pipeline.Stamp{At: at, Actor: "system"}), "definition %d", w)
	}
}

// eurAmount is 100.00 EUR.
func eurAmount() sp.Money {
	m, err := sp.ParseMoney("100.00 EUR")
	if err != nil {
		panic(err)
	}
	return m
}
