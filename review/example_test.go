package review_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// exampleDeals is a small team's November: Ann sells well, Bob sells
// widgets badly, Cat sells both products well.
func exampleDeals() []pipeline.Deal {
	var ds []pipeline.Deal
	add := func(rep sp.RepID, product sp.ProductID, won, lost int, loss pipeline.LossCategory) {
		for i := range won + lost {
			d := pipeline.Deal{
				ID: sp.DealID(fmt.Sprintf("%s-%s-%02d", rep, product, i)), Owner: rep, Region: "north", Product: product,
				Customer: "acme", Created: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
				Closed: time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC), Stage: pipeline.DealLost,
				Loss: &pipeline.LossReason{Category: loss, Detail: string(loss)},
			}
			if i < won {
				d.Stage, d.Loss = pipeline.DealWon, nil
				d.Amount, _ = sp.ParseMoney("1000.00 EUR")
			}
			ds = append(ds, d)
		}
	}
	add("ann", "widget", 14, 4, pipeline.LossPrice)
	add("bob", "widget", 2, 14, pipeline.LossRepExecution)
	add("cat", "widget", 12, 5, pipeline.LossCompetitor)
	add("cat", "gadget", 6, 4, pipeline.LossPrice)
	return ds
}

func exampleGoals() []quota.Goal {
	target, _ := sp.ParseMoney("12000.00 EUR")
	nov := sp.Month(2026, time.November, time.UTC)
	return []quota.Goal{
		{Rep: "ann", Region: "north", Period: nov, Revenue: target},
		{Rep: "bob", Region: "north", Period: nov, Revenue: target},
	}
}

// Example reviews a team's month: Ann is applauded, Bob's shortfall is
// traced to his widget sales, and he is sent back to the widget module.
func Example() {
	ctx := context.Background()
	deals := exampleDeals()
	reviewer, err := review.New(review.DefaultRules(), &review.Options{
		Clock:   sp.FixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)),
		Modules: func(p sp.ProductID) (training.ModuleID, bool) { return training.ModuleID(p + "-basics"), true },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := reviewer.Review(ctx, review.Input{
		Period: sp.Month(2026, time.November, time.UTC),
		Deals:  quota.Refs(deals),
		Goals:  exampleGoals(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s: %s (cause %q)\n", f.Severity, f.Subject, f.Rule, f.Cause)
	}
	for _, a := range report.Outcome.Assignments {
		fmt.Println("assign", a.Assignment.Module, "to", a.Assignment.Rep, "by", a.Assignment.Due.Format(time.DateOnly), a.Status)
	}
	// Output:
	// critical rep bob: target_missed (cause "rep")
	// warning rep bob on widget: rep_product_lag (cause "rep")
	// info rep ann: target_met (cause "")
	// assign widget-basics to bob by 2026-12-15 proposed
}

// ExampleParseRules tunes the rules as a manager would, in JSON: a higher
// bar for applause, and only the two goal rules, since a document with
// "rules" runs exactly the rules it lists (the follow-up rule, among
// others, is off). The settings left out keep their defaults; a mistake is
// refused with the field at fault.
func ExampleParseRules() {
	rules, err := review.ParseRules([]byte(`{
		"version": 1,
		"analysis": {"confidence": "0.9"},
		"rules": {"target_met": {"min_percent": "110"}, "target_missed": {}}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rules.Analysis.Confidence, rules.Analysis.MinDeals, rules.Rules.TargetMet.MinPercent,
		rules.Rules.TargetMissed.Statuses, rules.Rules.SlowFollowUp == nil)

	_, err = review.ParseRules([]byte(`{"version": 1, "rules": {"thin_pipeline": {"min_chance": 0.5}}}`))
	fmt.Println(err)
	// Output:
	// 0.9 5 110 [missed at_risk] true
	// review: rules: invalid rules.thin_pipeline.min_chance: want a decimal as a string such as "0.95", got a number
}

// ExampleDefaultRules shows the defaults of the root-cause analysis.
func ExampleDefaultRules() {
	r := review.DefaultRules()
	a := r.Analysis
	fmt.Println("confidence", a.Confidence, a.Adjustment, "on", a.Rate)
	fmt.Println("judge from", a.MinDeals, "closed deals or", a.MinInquiries, "inquiries")
	fmt.Println("product signal", a.Product.LossCategories, a.Product.MinLossShare, "of losses from", a.Product.MinRepShare, "of reps")
	fmt.Println("follow-up within", a.FollowUp.FirstContact, "then every", a.FollowUp.NextTouch)
	// Output:
	// confidence 0.95 bonferroni on win_rate
	// judge from 5 closed deals or 5 inquiries
	// product signal [product] 0.5 of losses from 0.5 of reps
	// follow-up within 24h0m0s then every 72h0m0s
}

// ExampleNewRule adds a host's rule, with its settings in the rules
// document.
func ExampleNewRule() {
	quiet := review.NewRule("quiet_reps", func(_ context.Context, s *review.Snapshot) ([]review.Finding, error) {
		var out []review.Finding
		for _, r := range s.Reps {
			if r.Closed() < 10 {
				out = append(out, review.Finding{
					Subject: review.RepSubject(r.Rep), Severity: review.SeverityWarning, Cause: review.CauseData,
					Summary: fmt.Sprintf("rep %s closed only %d deals", r.Rep, r.Closed()),
				})
			}
		}
		return out, nil
	})
	rules, _ := review.ParseRules([]byte(`{"version": 1, "rules": {}, "custom": {"quiet_reps": {"note": "fewer than 10"}}}`))
	reviewer, err := review.New(rules, &review.Options{Rules: []review.Rule{quiet}})
	if err != nil {
		fmt.Println(err)
		return
	}
	deals := exampleDeals()[:20]
	report, err := reviewer.Review(context.Background(), review.Input{
		Period: sp.Month(2026, time.November, time.UTC), AsOf: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Deals: quota.Refs(deals),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Println(f.ID, "-", f.Summary)
	}
	// Output:
	// quiet_reps:rep=bob - rep bob closed only 2 deals
}

// ExampleSnapshot_Diagnose traces each rep's figures to a cause.
func ExampleSnapshot_Diagnose() {
	reviewer, _ := review.New(review.DefaultRules(), nil)
	deals := exampleDeals()
	report, err := reviewer.Review(context.Background(), review.Input{
		Period: sp.Month(2026, time.November, time.UTC), AsOf: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Deals: quota.Refs(deals),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rep := range []sp.RepID{"ann", "bob"} {
		d := report.Snapshot.Diagnose(review.RepSubject(rep), review.RateWinRate)
		fmt.Printf("%s: %s: %s\n", rep, d.Cause, d.Summary)
		for _, e := range d.Evidence {
			fmt.Printf("  %s: %s\n", e.Name, e.Value)
		}
	}
	// Output:
	// ann: data: the win rate of rep ann, 14 won of 18 closed, does not differ significantly (at 95 % confidence) from that of the rest of the team, 20 won of 43 closed, so the figures show no cause
	//   win rate of rep ann: 14/18 = 0.7778, 95 % Wilson 0.5479 to 0.9100
	//   win rate of the rest of the team: 20/43 = 0.4651, 95 % Wilson 0.3251 to 0.6108
	//   difference: 0.3127, 98.3333 % interval -0.0194 to 0.5358 (Newcombe hybrid score, Bonferroni for 3 comparisons at 95 %), adjusted p = 0.0748 (pooled z-test): inconclusive
	// bob: rep: the win rate of rep bob on widget, 2 won of 16 closed, is significantly below that of the other reps on it, 26 won of 35 closed
	//   win rate of rep bob on widget: 2/16 = 0.1250, 95 % Wilson 0.0350 to 0.3602
	//   win rate of the other reps on widget: 26/35 = 0.7429, 95 % Wilson 0.5793 to 0.8584
	//   difference: -0.6179, 98.75 % interval -0.7871 to -0.2434 (Newcombe hybrid score, Bonferroni for 4 comparisons at 95 %), adjusted p = 0.0002 (pooled z-test): below
}

// ExampleCatalogModules finds the module a rep retakes for a product.
func ExampleCatalogModules() {
	catalog, err := training.NewCatalog(
		[]training.Module{{ID: "widget-basics", Title: "Widget basics", Kind: training.ModuleProductKnowledge, Product: "widget",
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}}},
		[]training.Curriculum{{ID: "widget-cert", Title: "Widget", Product: "widget", Modules: []training.ModuleID{"widget-basics"}, ValidMonths: 12}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	modules := review.CatalogModules(catalog)
	fmt.Println(modules("widget"))
	fmt.Println(modules("gadget"))
	// Output:
	// widget-basics true
	//  false
}

// ExampleCatalogCurricula lists the modules a rep passes again to renew
// the certificate of a curriculum.
func ExampleCatalogCurricula() {
	catalog, err := training.NewCatalog(
		[]training.Module{
			{ID: "widget-basics", Title: "Widget basics", Kind: training.ModuleProductKnowledge, Product: "widget",
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "phone-selling", Title: "Selling on the phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 10, PassMark: 7}},
		},
		[]training.Curriculum{{ID: "widget-cert", Title: "Widget", Product: "widget",
			Modules: []training.ModuleID{"widget-basics", "phone-selling"}, ValidMonths: 12}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	curricula := review.CatalogCurricula(catalog)
	fmt.Println(curricula("widget-cert"))
	fmt.Println(curricula("gadget-cert"))
	// Output:
	// [widget-basics phone-selling] true
	// [] false
}

// ExampleCatalogCertifying names the curriculum whose every module a rep
// without a certificate for a product passes to earn one: the product's
// curriculum for every channel, rather than the one for the phone alone.
func ExampleCatalogCertifying() {
	catalog, err := training.NewCatalog(
		[]training.Module{
			{ID: "widget-basics", Title: "Widget basics", Kind: training.ModuleProductKnowledge, Product: "widget",
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "phone-selling", Title: "Selling on the phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 10, PassMark: 7}},
		},
		[]training.Curriculum{
			{ID: "widget-phone", Title: "Widget by phone", Product: "widget", Channel: "phone",
				Modules: []training.ModuleID{"widget-basics", "phone-selling"}, ValidMonths: 12},
			{ID: "widget-cert", Title: "Widget", Product: "widget", Modules: []training.ModuleID{"widget-basics"}, ValidMonths: 12},
		},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	certifying := review.CatalogCertifying(catalog)
	fmt.Println(certifying("widget"))
	fmt.Println(certifying("gadget"))
	// Output:
	// widget-cert true
	//  false
}

// ExampleOptions_recertification closes the loop of an expiring
// certificate: the review of December warns that Ann's certificate for the
// widget on the phone expires in January and, with Curricula, assigns her
// every module of the curriculum that earned it; once she has passed them
// again, Certify renews it. Ann is listed in Input.Reps: the review looks
// for the expiring certificates of its reps only, those listed there or in
// the goals and the owners of the records it counts.
func ExampleOptions_recertification() {
	ctx := context.Background()
	catalog, err := training.NewCatalog(
		[]training.Module{
			{ID: "widget-basics", Title: "Widget basics", Kind: training.ModuleProductKnowledge, Product: "widget",
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "phone-selling", Title: "Selling on the phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 10, PassMark: 7}},
		},
		[]training.Curriculum{{ID: "widget-phone", Title: "Widget by phone", Product: "widget", Channel: "phone",
			Modules: []training.ModuleID{"widget-basics", "phone-selling"}, ValidMonths: 12}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	clock := sp.NewSteppingClock(time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC), time.Minute)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: clock})
	pass := func(round string, modules ...training.ModuleID) error {
		for _, m := range modules {
			id := training.AttemptID(round + "-" + string(m))
			if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: id, Rep: "ann", Module: m, Score: 9}); err != nil {
				return err
			}
		}
		return nil
	}
	brief := training.Brief{Product: "widget", Version: training.MustParseVersion("1.0"), Published: clock.Peek().Add(-time.Hour)}
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	if err := pass("2026", "widget-basics", "phone-selling"); err != nil {
		fmt.Println(err)
		return
	}
	cert, err := trainer.Certify(ctx, "ann", "widget-phone")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("certified until", cert.Expires.Format(time.DateOnly))

	clock.Set(time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC))
	reviewer, err := review.New(review.DefaultRules(), &review.Options{
		Clock:        clock,
		Certificates: trainer.Readiness(),              // who is certified, and until when
		Assigner:     trainer,                          // retraining becomes training assignments
		Modules:      review.CatalogModules(catalog),   // the module that teaches a product
		Curricula:    review.CatalogCurricula(catalog), // the modules that renew a certificate
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := reviewer.Review(ctx, review.Input{
		Period: sp.Month(2026, time.December, time.UTC),
		Reps:   []sp.Rep{{ID: "ann", Name: "Ann", Region: "north"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s: %s\n", f.Severity, f.Subject, f.Summary)
	}
	var assigned []training.ModuleID
	for _, a := range report.Outcome.Assignments {
		fmt.Println("assign", a.Assignment.Module, "to", a.Assignment.Rep, "by", a.Assignment.Due.Format(time.DateOnly), a.Status)
		assigned = append(assigned, a.Assignment.Module)
	}

	// Ann passes what she was assigned. Without Curricula that would be the
	// widget module only, and Certify would return her certificate
	// unchanged, still expiring on 2027-01-12.
	clock.Set(time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC))
	if err := pass("2027", assigned...); err != nil {
		fmt.Println(err)
		return
	}
	cert, err = trainer.Certify(ctx, "ann", "widget-phone")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("renewed until", cert.Expires.Format(time.DateOnly))
	// Output:
	// certified until 2027-01-12
	// info rep ann on widget: the certificate of rep ann for product widget (channel phone) expires on 2027-01-12
	// assign phone-selling to ann by 2027-01-12 done
	// assign widget-basics to ann by 2027-01-12 done
	// renewed until 2028-01-04
}

// ExampleInput_feedback sends the field-test feedback a trainer recorded
// about two products to the review in one listing: [quota.Records] turns
// the trainer's listing of both products into the sequence Input.Feedback
// takes, and its error is checked after the review. Under rules that count
// field-test feedback, the low ratings from the widget's pilot pile up and
// go back to its owner; the gadget's few good ones are counted only.
func ExampleInput_feedback() {
	ctx := context.Background()
	trainer := training.NewTrainer(trainingtest.NewMemStore(), nil, nil)
	at := time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC)
	for i, rating := range []int{1, 2, 2, 4, 1, 5, 4} {
		product, locality, text := sp.ProductID("widget"), "Lyon", "the lid sticks"
		if i >= 5 {
			product, locality, text = "gadget", "Nantes", "easy to set up"
		}
		err := trainer.RecordFeedback(ctx, sp.Feedback{
			ID: sp.FeedbackID(fmt.Sprintf("%s-%d", product, i)), Product: product, Rating: rating, Category: sp.FeedbackQuality,
			Text: text, Source: sp.FromFieldTest, Locality: locality, Time: at.Add(time.Duration(i) * time.Hour),
		})
		if err != nil {
			fmt.Println(err)
			return
		}
	}

	rules := review.DefaultRules()
	rules.Rules.FeedbackPileup.Sources = []sp.FeedbackSource{sp.FromCustomer, sp.FromFieldTest}
	reviewer, err := review.New(rules, &review.Options{Clock: sp.FixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))})
	if err != nil {
		fmt.Println(err)
		return
	}
	var listErr error
	report, err := reviewer.Review(ctx, review.Input{
		Period: sp.Month(2026, time.November, time.UTC),
		Products: []sp.Product{
			{ID: "widget", Name: "Widget", Owner: "pm-widget"},
			{ID: "gadget", Name: "Gadget", Owner: "pm-gadget"},
		},
		Feedback: quota.Records(trainer.FieldFeedback(ctx, "widget", "gadget"), &listErr),
	})
	if err := errors.Join(listErr, err); err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range []sp.ProductID{"widget", "gadget"} {
		row, _ := report.Snapshot.Product(id)
		fmt.Println(id, "feedback:", row.Feedback.Count, "pieces,", row.Feedback.Low, "low")
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s: %s (cause %q)\n", f.Severity, f.Subject, f.Rule, f.Cause)
	}
	for _, pf := range report.Outcome.ProductFeedback {
		fmt.Println("to", pf.Owner, "about", pf.Product+":", pf.FeedbackCount, "pieces")
	}
	// Output:
	// widget feedback: 5 pieces, 4 low
	// gadget feedback: 2 pieces, 0 low
	// warning product widget: feedback_pileup (cause "product")
	// to pm-widget about widget: 5 pieces
}

// ExampleReport_Markdown renders a review for a manager.
func ExampleReport_Markdown() {
	reviewer, _ := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))})
	deals := exampleDeals()
	report, err := reviewer.Review(context.Background(), review.Input{
		Period: sp.Month(2026, time.November, time.UTC), Deals: quota.Refs(deals), Goals: exampleGoals(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := report.Markdown(&b); err != nil {
		fmt.Println(err)
		return
	}
	// The goals table.
	text := b.String()
	start := strings.Index(text, "## Goals")
	end := strings.Index(text, "## Team")
	fmt.Print(text[start:end])
	// Output:
	// ## Goals
	//
	// | Subject | Period  |       Target |     Attained | % of target |     Short by | Status |
	// | ------- | ------- | -----------: | -----------: | ----------: | -----------: | ------ |
	// | rep ann | 2026-11 | 12000.00 EUR | 14000.00 EUR |      116.67 |            - | met    |
	// | rep bob | 2026-11 | 12000.00 EUR |  2000.00 EUR |       16.67 | 10000.00 EUR | missed |
	//
}

// ExampleParseReport reads a report back from its JSON form.
func ExampleParseReport() {
	reviewer, _ := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))})
	deals := exampleDeals()
	report, err := reviewer.Review(context.Background(), review.Input{
		Period: sp.Month(2026, time.November, time.UTC), Deals: quota.Refs(deals), Goals: exampleGoals(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var js bytes.Buffer
	if err := report.WriteJSON(&js); err != nil {
		fmt.Println(err)
		return
	}
	back, err := review.ParseReport(js.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	var again bytes.Buffer
	_ = back.WriteJSON(&again)
	fmt.Println(back.Version, back.Period, len(back.Findings), bytes.Equal(js.Bytes(), again.Bytes()))
	// Output:
	// 1 2026-11 3 true
}
