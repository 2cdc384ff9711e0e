package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// Stage keys read from a host's request or database: the inquiry and
// after-sale stages are fixed lists, a deal stage only has to be well formed,
// since hosts define their own pipelines.
func ExampleParseInquiryStage() {
	s, err := pipeline.ParseInquiryStage("qualified")
	fmt.Println(s, s.IsOpen(), err)
	_, err = pipeline.ParseInquiryStage("Qualified")
	fmt.Println(errors.Is(err, sp.ErrInvalid))

	d, err := pipeline.ParseDealStage("closed_won") // no pipeline needs to have it
	fmt.Println(d, err)
	_, err = pipeline.ParseDealStage("closed-won")
	fmt.Println(errors.Is(err, sp.ErrInvalid))

	v, err := pipeline.ParseServiceStage("delivered")
	fmt.Println(v, err)
	_, err = pipeline.ParseServiceStage("shipped")
	fmt.Println(errors.Is(err, sp.ErrInvalid))
	// Output:
	// qualified true <nil>
	// true
	// closed_won <nil>
	// true
	// delivered <nil>
	// true
}

// The after-sale machine of a won deal.
func ExampleNewServiceMachine() {
	m := pipeline.NewServiceMachine()
	for e := range m.Edges() {
		fmt.Println(e.From, "→", e.To)
	}
	fmt.Println(m.IsTerminal(pipeline.ServiceFollowedUp), m.Allows(pipeline.ServiceAwaitingDelivery, pipeline.ServiceFollowedUp, false))
	// Output:
	// awaiting_delivery → delivered
	// delivered → followed_up
	// true false
}

// An inquiry that is not a sale is disqualified with a reason; a manager,
// not the rep, may reopen it, and it starts again as new.
func ExampleEngine_Disqualify() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil)
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	in, _ := s.Receive(ctx, pipelinetest.NewInquiry("inq-1"))

	_, err := s.Engine.Disqualify(ctx, ann, in.ID, "", nil)
	fmt.Println(errors.Is(err, sp.ErrInvalid))
	in, err = s.Engine.Disqualify(ctx, ann, in.ID, "a student, not a buyer", nil)
	fmt.Println(in.Stage, in.DisqualifyReason, err)

	for in, err := range s.Engine.ListInquiries(ctx, pipeline.InquiryFilter{Stages: []pipeline.InquiryStage{pipeline.InquiryDisqualified}}) {
		fmt.Println("disqualified:", in.ID, err)
	}

	_, err = s.Engine.ReopenInquiry(ctx, ann, in.ID, nil)
	fmt.Println(errors.Is(err, sp.ErrForbidden))
	in, err = s.Engine.ReopenInquiry(ctx, pipelinetest.Manager(pipelinetest.RegionNorth), in.ID, nil)
	fmt.Printf("%s %q %v\n", in.Stage, in.DisqualifyReason, err)
	// Output:
	// true
	// disqualified a student, not a buyer <nil>
	// disqualified: inq-1 <nil>
	// true
	// new "" <nil>
}

// A lost deal keeps its owner and terms until it is reopened; then it may
// be handed to another rep.
func ExampleEngine_ReopenDeal() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil)
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	mgr := pipelinetest.Manager(pipelinetest.RegionNorth)
	d, _ := s.Engine.OpenDeal(ctx, ann, pipelinetest.NewDeal("d-1"), nil)
	d, _ = s.Engine.Lose(ctx, ann, d.ID, pipeline.LossReason{Category: pipeline.LossTiming, Detail: "budget frozen until spring"}, nil)
	fmt.Println(d.Stage, d.Probability)

	_, err := s.Engine.AssignDeal(ctx, mgr, d.ID, pipelinetest.RepBob, nil)
	fmt.Println(err)
	fmt.Println(errors.Is(err, sp.ErrInvalidTransition))

	d, err = s.Engine.ReopenDeal(ctx, mgr, d.ID, pipeline.DealQualification, nil)
	fmt.Println(d.Stage, d.Probability, d.Closed.IsZero(), err)
	d, err = s.Engine.AssignDeal(ctx, mgr, d.ID, pipelinetest.RepBob, nil)
	fmt.Println(d.Owner, err)

	stored, _ := s.Engine.GetDeal(ctx, d.ID)
	fmt.Println(stored.Owner, stored.Version)
	// Output:
	// lost 0
	// pipeline: assign deal "d-1": deal pipeline: lost → lost: a closed deal is not assigned; reopen it first
	// true
	// qualification 0.2 true <nil>
	// rep-bob <nil>
	// rep-bob 4
}

// A rep who knows better than the stage's default sets the deal's win
// probability until its next stage change, or drops the override.
func ExampleEngine_OverrideProbability() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil)
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	d, _ := s.Engine.OpenDeal(ctx, ann, pipelinetest.NewDeal("d-1"), nil)
	fmt.Println(d.Stage, d.Probability, d.Overridden)

	d, _ = s.Engine.OverrideProbability(ctx, ann, d.ID, decimal.RequireFromString("0.35"), nil)
	fmt.Println(d.Probability, d.Overridden)
	_, err := s.Engine.OverrideProbability(ctx, ann, d.ID, decimal.RequireFromString("1.5"), nil)
	fmt.Println(errors.Is(err, sp.ErrInvalid))

	d, _ = s.Engine.ResetProbability(ctx, ann, d.ID, nil)
	fmt.Println(d.Probability, d.Overridden)

	d, _ = s.Engine.OverrideProbability(ctx, ann, d.ID, decimal.RequireFromString("0.35"), nil)
	d, _ = s.Engine.Advance(ctx, ann, d.ID, pipeline.DealProposal, nil)
	fmt.Println(d.Stage, d.Probability, d.Overridden)
	// Output:
	// prospecting 0.1 false
	// 0.35 true
	// true
	// 0.1 false
	// proposal 0.5 false
}

// A planned demo is logged on a deal, then marked done with its outcome.
func ExampleEngine_LogDealActivity() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil)
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	d, _ := s.Engine.OpenDeal(ctx, ann, pipelinetest.NewDeal("d-1"), nil)

	due := pipelinetest.Epoch().Add(48 * time.Hour)
	d, err := s.Engine.LogDealActivity(ctx, ann, d.ID, pipeline.Activity{ID: "demo-1", Kind: pipeline.ActivityDemo, Due: due, Notes: "show the bulk discount"}, nil)
	a := d.Activities[len(d.Activities)-1]
	fmt.Println(a.ID, a.Kind, a.Actor, a.IsDone(), err)

	d, err = s.Engine.CompleteDealActivity(ctx, ann, d.ID, "demo-1", pipeline.ActivityCompletion{Outcome: "wants a quote", Notes: "asked for 12 units"}, nil)
	a = d.Activities[len(d.Activities)-1]
	fmt.Println(a.IsDone(), a.Outcome, err)
	fmt.Println(a.Notes)

	_, err = s.Engine.CompleteDealActivity(ctx, ann, d.ID, "demo-1", pipeline.ActivityCompletion{}, nil)
	fmt.Println(err)
	// Output:
	// demo-1 demo rep-ann false <nil>
	// true wants a quote <nil>
	// show the bulk discount
	// asked for 12 units
	// pipeline: complete_activity deal "d-1": activity "demo-1" was done at 2026-11-02T09:02:00Z: activity already done: salesprocess: invalid input
}

// How long a deal spent in each stage: from each transition to the next,
// the current stage of an open deal counted until the time given, that of
// a closed one until its close. (The scenario's clock steps a minute at
// each reading.)
func ExampleDeal_TimeInStages() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil)
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	day := 24 * time.Hour
	d, _ := s.Engine.OpenDeal(ctx, ann, pipelinetest.NewDeal("d-1"), nil)
	s.Clock.Advance(2 * day)
	d, _ = s.Engine.Advance(ctx, ann, d.ID, pipeline.DealProposal, nil)
	s.Clock.Advance(5 * day)

	spent := d.TimeInStages(s.Clock.Peek())
	fmt.Println(spent[pipeline.DealProspecting], spent[pipeline.DealProposal])

	s.Clock.Advance(day)
	d, _ = s.Engine.Win(ctx, ann, d.ID, nil)
	spent = d.TimeInStages(s.Clock.Peek().Add(30 * day))
	fmt.Println(spent[pipeline.DealProposal], spent[pipeline.DealWon], len(spent))
	// Output:
	// 48h1m0s 120h1m0s
	// 144h1m0s 0s 3
}

// An edit form shows a deal at the version it read; by the time it is
// sent, a colleague has moved the deal on. The command names the version
// the form showed, and is refused rather than applied over the colleague's
// change: the host reloads and shows the deal again.
func ExampleCommandOptions_ifVersion() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil)
	shown, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The colleague's change.
	if _, err := s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, nil); err != nil {
		fmt.Println(err)
		return
	}
	terms := pipeline.Terms{Amount: pipelinetest.MustEUR("4200.00")}
	_, err = s.Engine.SetTerms(ctx, system, "d1", terms, &pipeline.CommandOptions{IfVersion: shown.Version})
	fmt.Println(errors.Is(err, sp.ErrConflict))
	fmt.Println(err)

	now, _ := s.Engine.GetDeal(ctx, "d1")
	d, err := s.Engine.SetTerms(ctx, system, "d1", terms, &pipeline.CommandOptions{IfVersion: now.Version})
	fmt.Println(d.Amount, d.Version, err)
	// Output:
	// true
	// pipeline: set_terms deal "d1": at version 2, not 1 as the command expects: salesprocess: conflict
	// 4200.00 EUR 3 <nil>
}
