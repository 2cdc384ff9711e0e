package review_test

import (
	"encoding/json"
	"fmt"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/shopspring/decimal"
)

func TestZZProbeErrs(t *testing.T) {
	p := func(name string, err error) { fmt.Printf("%-34s %v\n", name, err) }
	var err error
	// pipeline
	p("pipeline.ActivityKind.Validate", pipeline.ActivityKind("x").Validate())
	var ak pipeline.ActivityKind
	p("pipeline.ActivityKind.UnmarshalText", ak.UnmarshalText([]byte("x")))
	p("pipeline.Activity.Validate", pipeline.Activity{}.Validate())
	p("pipeline.LossReason.Validate", pipeline.LossReason{}.Validate())
	_, err = pipeline.ParseDealStage("A B"); p("pipeline.ParseDealStage", err)
	_, err = pipeline.ParseInquiryStage("x"); p("pipeline.ParseInquiryStage", err)
	_, err = pipeline.NewDefinition(pipeline.Spec{}); p("pipeline.NewDefinition", err)
	_, err = pipeline.NewMachine(pipeline.MachineSpec[pipeline.InquiryStage, *pipeline.Inquiry]{}); p("pipeline.NewMachine", err)
	_, err = pipeline.LinesTotal([]pipeline.Line{{}}); p("pipeline.LinesTotal", err)
	_, err = pipeline.Line{}.Total(); p("pipeline.Line.Total", err)
	p("pipeline.CheckHistory", pipeline.CheckHistory(pipeline.DealStage("x"), nil))
	var d pipeline.Deal
	p("pipeline.Deal.UnmarshalJSON", json.Unmarshal([]byte(`{"stage":"A B"}`), &d))
	var fp pipeline.FollowUpPolicy
	p("pipeline.FollowUpPolicy.Unmarshal", json.Unmarshal([]byte(`{"first_contact":"x"}`), &fp))
	_, err = pipeline.NewEngine(nil, nil, &pipeline.Options{Pipelines: []*pipeline.Definition{nil}}); p("pipeline.NewEngine", err)
	p("pipeline.Definition.Override", pipeline.DefaultDefinition().Override(&pipeline.Deal{}, decimal.New(2, 0)))
	// quota
	p("quota.Goal.Validate", quota.Goal{}.Validate())
	p("quota.Level.Validate", quota.Level("x").Validate())
	p("quota.Prior.Validate", quota.Prior{}.Validate())
	_, err = quota.Rate{}.Wilson(2, 4); p("quota.Rate.Wilson", err)
	_, err = quota.Compare(quota.Rate{}, quota.Rate{}, 2, 4); p("quota.Compare", err)
	_, err = quota.Spread(quota.Goal{}, nil); p("quota.Spread", err)
	_, err = quota.Prorate(quota.Goal{}); p("quota.Prorate", err)
	_, err = quota.Credits(sp.Money{}, nil); p("quota.Credits", err)
	_, err = quota.Ramp{}.Goals(0); p("quota.Ramp.Goals", err)
	_, err = quota.FitPrior(nil); p("quota.FitPrior", err)
	_, err = quota.Rate{}.Shrink(quota.Prior{}, 4); p("quota.Rate.Shrink", err)
	_, err = quota.Rate{}.Without(quota.Rate{Num: 1, Den: 1}); p("quota.Rate.Without", err)
	var g quota.Goal
	p("quota.Goal.UnmarshalJSON", json.Unmarshal([]byte(`{"metric":"x"}`), &g))
	_, err = quota.Reach(sp.Money{}, sp.Money{}, nil); p("quota.Reach", err)
	_, err = quota.Simulate(sp.Money{}, sp.Money{}, nil, -1, 0); p("quota.Simulate", err)
	_, err = quota.InquiriesNeeded(quota.Amount{}, quota.Rate{}, sp.Money{}, 0.95); p("quota.InquiriesNeeded", err)
	_, err = quota.RollUp(sp.Period{}, "", nil); p("quota.RollUp", err)
	_, err = quota.Reassign(quota.Goal{}, sp.Period{}.Start(), ""); p("quota.Reassign", err)
	// training
	p("training.Brief.Validate", training.Brief{}.Validate())
	_, err = training.ParseVersion("x"); p("training.ParseVersion", err)
	_, err = training.NewCatalog([]training.Module{{}}, nil); p("training.NewCatalog", err)
	_, err = training.NewChecker(training.Brief{}, ""); p("training.NewChecker", err)
	_, err = training.CheckPitch(training.Brief{}, "", ""); p("training.CheckPitch", err)
	_, err = training.Decide(training.Pilot{}, nil, nil, sp.Period{}.Start()); p("training.Decide", err)
	_, err = training.Onboarding{}.Assign(sp.Rep{}); p("training.Onboarding.Assign", err)
	var b training.Brief
	p("training.Brief.UnmarshalJSON", json.Unmarshal([]byte(`{"version":"x"}`), &b))
	// review
	_, err = review.ParseRules([]byte(`{`)); p("review.ParseRules", err)
	_, err = review.ParseReport([]byte(`{`)); p("review.ParseReport", err)
	p("review.Rules.Validate", review.Rules{}.Validate())
	p("review.Finding.Validate", review.Finding{}.Validate())
	p("review.Subject.Validate", review.Subject{}.Validate())
	p("review.Action.Validate", review.Action{}.Validate())
	_, err = review.New(review.Rules{}, nil); p("review.New", err)
	var f review.Finding
	p("review.Finding.UnmarshalJSON", json.Unmarshal([]byte(`{"severity":"x"}`), &f))
	var du review.Duration
	p("review.Duration.UnmarshalText", du.UnmarshalText([]byte("x")))
	_, err = review.Rules{}.MarshalJSON(); p("review.Rules.MarshalJSON", err)
}
