package pipelinetest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// A scenario test, as a host's test suite writes one: given a team, when
// inquiries come in and are followed up on a stepping clock, then the
// records, the events, the follow-up and the month's figures are what the
// scenario expects, and a command that breaks a rule fails as it should.
// In a test, pass its *testing.T where this passes nil.
func Example() {
	ctx := context.Background()
	ann, bob := pipelinetest.Rep(pipelinetest.RepAnn), pipelinetest.Rep(pipelinetest.RepBob)

	// Given Ann certified for the widget, and Bob not.
	s := pipelinetest.NewScenario(nil, &pipeline.Options{
		Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}},
	})
	day := func(d, hour int) { // the clock at hour UTC on day d of November 2026
		s.Clock.Set(time.Date(2026, time.November, d, hour, 0, 0, 0, time.UTC))
	}

	// When three inquiries come in on the 2nd, received at the clock's time,
	for _, id := range []sp.InquiryID{"inq-1", "inq-2", "inq-3"} {
		day(2, 9)
		if _, err := s.Receive(ctx, pipelinetest.NewInquiry(id)); err != nil {
			fmt.Println(err)
			return
		}
	}
	// Ann calls two of them the same day, converts both the next day,
	// wins one and loses the other on price on the 5th,
	for _, id := range []sp.InquiryID{"inq-1", "inq-2"} {
		day(2, 14)
		if _, err := s.Engine.Contact(ctx, ann, id, pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil); err != nil {
			fmt.Println(err)
			return
		}
		day(3, 10)
		if _, err := s.Engine.Qualify(ctx, ann, id, nil); err != nil {
			fmt.Println(err)
			return
		}
		terms := pipeline.Terms{Amount: pipelinetest.MustEUR("1500.00"), ExpectedClose: pipelinetest.Epoch().AddDate(0, 0, 14)}
		if _, _, err := s.Engine.Convert(ctx, ann, id, pipeline.Conversion{Terms: terms}, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	day(5, 11)
	if _, err := s.Engine.Win(ctx, ann, "inq-1", nil); err != nil {
		fmt.Println(err)
		return
	}
	loss := pipeline.LossReason{Category: pipeline.LossPrice, Detail: "a rival's quote was lower"}
	if _, err := s.Engine.Lose(ctx, ann, "inq-2", loss, nil); err != nil {
		fmt.Println(err)
		return
	}

	// then the events tell the story of inq-1 and of its deal, whose ID is
	// the inquiry's,
	for _, e := range s.Events.Events() {
		if e.Subject == "inq-1" {
			fmt.Println(e.Time.Format(time.DateTime), e.Type)
		}
	}
	// the third inquiry, never contacted, is overdue on the 5th,
	day(5, 12)
	policy := pipeline.FollowUpPolicy{FirstContact: 24 * time.Hour, NextTouch: 72 * time.Hour}
	for o, err := range s.Engine.Overdue(ctx, policy, pipeline.InquiryFilter{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("overdue:", o.Inquiry, "late by", o.Late)
	}
	// Ann's month stands at 1500.00 EUR of her goal, with 1 of 3 converted,
	month := sp.Month(2026, time.November, time.UTC)
	goals := []quota.Goal{{Rep: pipelinetest.RepAnn, Period: month, Revenue: pipelinetest.MustEUR("3000.00")}}
	att, err := quota.Attain(goals, quota.Refs(s.Deals(nil)), s.Clock.Now(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("attained:", att[0].Attained, att[0].Percent, "%")
	conv, err := quota.CohortConversion(quota.Refs(s.Inquiries(nil)), quota.Refs(s.Deals(nil)), month, s.Clock.Now(), quota.Grouping{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("converted:", conv.Total.Won, "of", conv.Total.Inquiries)

	// and the commands that break a rule fail, changing nothing.
	_, err = s.Engine.AssignInquiry(ctx, pipelinetest.Manager(pipelinetest.RegionNorth), "inq-3", pipelinetest.RepBob, nil)
	fmt.Println("Bob, not certified:", errors.Is(err, sp.ErrForbidden))
	_, err = s.Engine.Win(ctx, bob, "inq-2", nil)
	fmt.Println("Bob wins Ann's deal:", errors.Is(err, sp.ErrForbidden))
	_, err = s.Engine.Advance(ctx, ann, "inq-1", pipeline.DealNegotiation, nil)
	fmt.Println("a won deal advanced:", errors.Is(err, sp.ErrInvalidTransition))
	// Output:
	// 2026-11-02 09:00:00 pipeline.inquiry.received
	// 2026-11-02 14:00:00 pipeline.inquiry.contacted
	// 2026-11-03 10:00:00 pipeline.inquiry.qualified
	// 2026-11-03 10:01:00 pipeline.deal.opened
	// 2026-11-03 10:01:00 pipeline.inquiry.converted
	// 2026-11-05 11:00:00 pipeline.deal.won
	// overdue: inq-3 late by 51h0m0s
	// attained: 1500.00 EUR 50 %
	// converted: 1 of 3
	// Bob, not certified: true
	// Bob wins Ann's deal: true
	// a won deal advanced: true
}

// A scenario's deals and inquiries feed the calculators of package quota
// (and a review's Input) as slices, through quota.Refs: a listing that
// fails fails the test at once, and the slices may be read by as many
// calculators as need them.
func ExampleScenario_Deals() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil) // a test passes its *testing.T
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	for _, id := range []sp.DealID{"d-1", "d-2", "d-3"} {
		if _, err := s.Engine.OpenDeal(ctx, ann, pipelinetest.NewDeal(id), nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	if _, err := s.Engine.Win(ctx, ann, "d-1", nil); err != nil {
		fmt.Println(err)
		return
	}
	loss := pipeline.LossReason{Category: pipeline.LossTiming, Detail: "next year's budget"}
	if _, err := s.Engine.Lose(ctx, ann, "d-2", loss, nil); err != nil {
		fmt.Println(err)
		return
	}

	deals := s.Deals(nil)
	month := sp.Month(2026, time.November, time.UTC)
	rates, err := quota.WinRates(quota.Refs(deals), month, quota.Grouping{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("win rate:", rates.Total.WinRate.Rate, "won", rates.Total.WonAmount)
	december := []quota.Goal{{Rep: pipelinetest.RepAnn, Period: month.Next(), Revenue: pipelinetest.MustEUR("1000.00")}}
	outlook, err := quota.Forecast(december, quota.Refs(deals), month.End(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("December: open", outlook[0].Open, "weighted", outlook[0].Weighted)
	// Output:
	// win rate: 1/2 won 1080.00 EUR
	// December: open 1 weighted 108.00 EUR
}

// A scenario that trains its reps as well: the engine asks a training
// Readiness, made on the training store before the Scenario (it reads no
// clock), and the Trainer, made after it, takes the Scenario's clock, so
// that certificates, attempts and the pipeline's commands share one
// timeline.
func ExampleNewScenario_training() {
	ctx := context.Background()
	tstore := trainingtest.NewMemStore()
	s := pipelinetest.NewScenario(nil, &pipeline.Options{Eligibility: training.NewReadiness(tstore, tstore, nil)})

	// The widget's brief and catalog are training's fixtures.
	trainer := training.NewTrainer(tstore, trainingtest.NewCatalog(), &training.Options{Clock: s.Clock})
	if err := trainer.PublishBrief(ctx, trainingtest.NewBrief()); err != nil {
		fmt.Println(err)
		return
	}

	receive := func(id sp.InquiryID) error {
		_, err := s.Receive(ctx, pipelinetest.NewInquiry(id)) // owned by Ann
		return err
	}
	err := receive("inq-1")
	fmt.Println("before training:", errors.Is(err, sp.ErrForbidden))

	for _, a := range []training.Attempt{
		{ID: "ann-1", Rep: pipelinetest.RepAnn, Module: trainingtest.ModuleWidgetBasics, Score: 6},
		{ID: "ann-2", Rep: pipelinetest.RepAnn, Module: trainingtest.ModuleWidgetBasics, Score: 9},
	} {
		a, err := trainer.RecordAttempt(ctx, a)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(a.ID, "at", a.Time.Format(time.TimeOnly), "passed:", a.Passed)
	}
	cert, err := trainer.Certify(ctx, pipelinetest.RepAnn, trainingtest.CurriculumWidget)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("certified at", cert.Issued.Format(time.TimeOnly))
	fmt.Println("after training:", receive("inq-1"))
	// Output:
	// before training: true
	// ann-1 at 09:01:00 passed: false
	// ann-2 at 09:02:00 passed: true
	// certified at 09:03:00
	// after training: <nil>
}

// Once a scenario's clock has moved, its inquiries are received at the
// clock's time: Receive leaves their Received to the engine, which stamps
// it with its reading of the clock, where NewInquiry's is the fixtures'
// epoch.
func ExampleScenario_Receive() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil) // a test passes its *testing.T
	s.Clock.Set(time.Date(2026, time.November, 4, 15, 30, 0, 0, time.UTC))
	in, err := s.Receive(ctx, pipelinetest.NewInquiry("inq-1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.ID, in.Stage, "received", in.Received.Format(time.DateTime))
	fmt.Println("NewInquiry's:", pipelinetest.NewInquiry("inq-2").Received.Format(time.DateTime))
	// Output:
	// inq-1 new received 2026-11-04 15:30:00
	// NewInquiry's: 2026-11-02 09:00:00
}
