package review_test

import (
	"context"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// monthDeals are closed deals of rep in region, won and lost, on the given
// day of a month in loc, each of 1000.00 EUR.
func monthDeals(rep sp.RepID, region sp.RegionID, product sp.ProductID, loc *time.Location, year int, month time.Month, won, lost int) []pipeline.Deal {
	amount, _ := sp.ParseMoney("1000.00 EUR")
	var ds []pipeline.Deal
	for i := range won + lost {
		d := pipeline.Deal{
			ID:    sp.DealID(fmt.Sprintf("%d-%02d-%s-%s-%02d", year, month, rep, product, i)),
			Owner: rep, Region: region, Product: product, Customer: "acme", Amount: amount,
			Created: time.Date(year, month, 2, 9, 0, 0, 0, loc), Closed: time.Date(year, month, 3+i, 9, 0, 0, 0, loc),
			Stage: pipeline.DealWon,
		}
		if i >= won {
			d.Stage, d.Loss = pipeline.DealLost, &pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}
		}
		ds = append(ds, d)
	}
	return ds
}

// ExampleInput_asOf reviews November for a company in two time zones.
// Each region's goals are months in its own zone, and the review is of
// the month in the company's zone, Europe/Berlin, which ends an hour
// before November in Europe/Lisbon. Run with the zero AsOf half an hour
// after Berlin's November, the review looks from the clock's time, when
// Cat's Lisbon goal has half an hour to go: it is behind, not missed, and
// thin_pipeline finds no pipeline for the time left. Run the next
// morning, it looks from the end of Lisbon's November, the last month of
// the goals, finds Cat's goal missed and examines it; her deal won in
// Lisbon's last hour counts toward it.
func ExampleInput_asOf() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		fmt.Println(err)
		return
	}
	north := sp.Region{ID: "north", Name: "North", Location: berlin}
	south := sp.Region{ID: "south", Name: "South", Location: lisbon}
	target, _ := sp.ParseMoney("10000.00 EUR")
	goals := []quota.Goal{
		{Rep: "ann", Region: north.ID, Period: north.Month(2026, time.November), Revenue: target},
		{Rep: "cat", Region: south.ID, Period: south.Month(2026, time.November), Revenue: target},
	}
	deals := append(monthDeals("ann", north.ID, "widget", berlin, 2026, time.November, 11, 3),
		monthDeals("cat", south.ID, "widget", lisbon, 2026, time.November, 8, 5)...)
	late := deals[len(deals)-1]
	late.ID, late.Stage, late.Loss = "late", pipeline.DealWon, nil
	late.Closed = time.Date(2026, time.November, 30, 23, 40, 0, 0, lisbon)
	deals = append(deals, late)

	for _, now := range []time.Time{
		time.Date(2026, 12, 1, 0, 30, 0, 0, berlin),
		time.Date(2026, 12, 1, 8, 0, 0, 0, berlin),
	} {
		reviewer, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
		if err != nil {
			fmt.Println(err)
			return
		}
		report, err := reviewer.Review(context.Background(), review.Input{
			Period:  sp.Month(2026, time.November, berlin),
			Deals:   quota.Refs(deals),
			Goals:   goals,
			Regions: []sp.Region{north, south},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("run", now.Format(time.DateTime), "in Berlin, as of", report.AsOf.In(berlin).Format(time.DateTime)+":")
		for _, g := range report.Snapshot.Goals {
			fmt.Printf("  %s: %s booked, %s, over %v\n", g.Subject(), g.Booked, g.Status, g.Over(report.AsOf))
		}
		for _, f := range report.Findings {
			fmt.Printf("  %s %s: %s\n", f.Severity, f.Subject, f.Rule)
		}
	}
	// Output:
	// run 2026-12-01 00:30:00 in Berlin, as of 2026-12-01 00:30:00:
	//   rep ann: 11000.00 EUR booked, met, over true
	//   rep cat: 8000.00 EUR booked, behind, over false
	//   warning rep cat: thin_pipeline
	//   info rep ann: target_met
	// run 2026-12-01 08:00:00 in Berlin, as of 2026-12-01 01:00:00:
	//   rep ann: 11000.00 EUR booked, met, over true
	//   rep cat: 9000.00 EUR booked, missed, over true
	//   warning rep cat: target_missed
	//   info rep ann: target_met
}

// ExampleReviewer_Review_nextMonth closes the loop over two months. The
// review of November traces Bob's shortfall to his widget sales, finds
// that he sold widgets without the certificate Ann and Cat hold, and
// assigns him the widget module through the trainer, as every module of
// the curriculum that certifies widgets; he passes it early in December,
// and the host certifies him with the curricula the assignments name. The
// review of December finds his goal met, and [review.Compare] follows the
// findings from one review to the next: matched by rule and subject (the
// ID of a goal's finding holds the goal's period), Bob's November findings
// are resolved, each after the retraining November assigned him.
func ExampleReviewer_Review_nextMonth() {
	ctx := context.Background()
	catalog, err := training.NewCatalog(
		[]training.Module{{ID: "widget-basics", Title: "Widget basics", Kind: training.ModuleProductKnowledge, Product: "widget",
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}}},
		[]training.Curriculum{{ID: "widget-cert", Title: "Widget", Product: "widget", Modules: []training.ModuleID{"widget-basics"}, ValidMonths: 12}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	clock := sp.NewSteppingClock(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), time.Minute)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: clock})
	brief := training.Brief{Product: "widget", Version: training.MustParseVersion("1.0"), Published: clock.Peek()}
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	for _, rep := range []sp.RepID{"ann", "cat"} {
		if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: training.AttemptID("pass-" + string(rep)), Rep: rep, Module: "widget-basics", Score: 9}); err != nil {
			fmt.Println(err)
			return
		}
		if _, err := trainer.Certify(ctx, rep, "widget-cert"); err != nil {
			fmt.Println(err)
			return
		}
	}
	reviewer, err := review.New(review.DefaultRules(), &review.Options{
		Clock:        clock,
		Certificates: trainer.Readiness(),
		Assigner:     trainer,
		Modules:      review.CatalogModules(catalog),
		Curricula:    review.CatalogCurricula(catalog),
		Certifying:   review.CatalogCertifying(catalog),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	target, _ := sp.ParseMoney("12000.00 EUR")
	month := func(m time.Month, bobWon, bobLost int) review.Input {
		var deals []pipeline.Deal
		deals = append(deals, monthDeals("ann", "north", "widget", time.UTC, 2026, m, 14, 4)...)
		deals = append(deals, monthDeals("bob", "north", "widget", time.UTC, 2026, m, bobWon, bobLost)...)
		deals = append(deals, monthDeals("cat", "north", "widget", time.UTC, 2026, m, 12, 5)...)
		period := sp.Month(2026, m, time.UTC)
		return review.Input{
			Period: period, Deals: quota.Refs(deals),
			Goals: []quota.Goal{
				{Rep: "ann", Region: "north", Period: period, Revenue: target},
				{Rep: "bob", Region: "north", Period: period, Revenue: target},
			},
		}
	}
	show := func(r review.Report) {
		fmt.Println(r.Period, "review:")
		for _, f := range r.Findings {
			fmt.Printf("  %s %s: %s (cause %q)\n", f.Severity, f.Subject, f.Rule, f.Cause)
		}
		for _, a := range r.Outcome.Assignments {
			fmt.Println("  assign", a.Assignment.Module, "to", a.Assignment.Rep, "by", a.Assignment.Due.Format(time.DateOnly), a.Status,
				"for curricula", a.Curricula)
		}
	}

	clock.Set(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	nov, err := reviewer.Review(ctx, month(time.November, 2, 14))
	if err != nil {
		fmt.Println(err)
		return
	}
	show(nov)

	// Bob passes the module he was assigned.
	clock.Set(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: "bob-retake", Rep: "bob", Module: "widget-basics", Score: 9}); err != nil {
		fmt.Println(err)
		return
	}
	progress, err := trainer.Assignments(ctx, "bob", clock.Peek())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range progress {
		fmt.Println(p.Assignment.ID, "done:", p.Done)
	}
	// The host certifies the rep for each curriculum whose modules the
	// review assigned, once they are all passed.
	type repCurriculum struct {
		rep sp.RepID
		cu  training.CurriculumID
	}
	certified := map[repCurriculum]bool{}
	for _, a := range nov.Outcome.Assignments {
		for _, cu := range a.Curricula {
			if certified[repCurriculum{a.Assignment.Rep, cu}] {
				continue
			}
			certified[repCurriculum{a.Assignment.Rep, cu}] = true
			c, err := trainer.Certify(ctx, a.Assignment.Rep, cu)
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Println("certified", c.Rep, "for", c.Product, "by", c.Curriculum, "until", c.Expires.Format(time.DateOnly))
		}
	}

	clock.Set(time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC))
	dec, err := reviewer.Review(ctx, month(time.December, 13, 3))
	if err != nil {
		fmt.Println(err)
		return
	}
	show(dec)

	// What changed from November to December, and whether the retraining
	// November assigned came before a finding went away or recurred.
	changes, err := review.Compare(nov, dec)
	if err != nil {
		fmt.Println(err)
		return
	}
	retrained := func(as []review.AssignmentResult) string {
		text := ""
		for _, a := range as {
			text += fmt.Sprintf(", after retraining on %s (%s)", a.Assignment.Module, a.Status)
		}
		return text
	}
	for _, f := range changes.New {
		fmt.Printf("new: %s %s: %s\n", f.Severity, f.Subject, f.Rule)
	}
	for _, r := range changes.Recurring {
		fmt.Printf("recurring: %s %s: %s, severity change %d%s\n", r.Current.Severity, r.Current.Subject, r.Current.Rule,
			r.SeverityChange(), retrained(r.Retraining))
	}
	for _, r := range changes.Resolved {
		fmt.Printf("resolved: %s %s: %s%s\n", r.Previous.Severity, r.Previous.Subject, r.Previous.Rule, retrained(r.Retraining))
	}
	// Output:
	// 2026-11 review:
	//   critical rep bob: target_missed (cause "rep")
	//   warning rep bob on widget: certification (cause "rep")
	//   warning rep bob on widget: rep_product_lag (cause "rep")
	//   info rep ann: target_met (cause "")
	//   assign widget-basics to bob by 2026-12-15 done for curricula [widget-cert]
	// review/2026-11/bob/widget-basics done: true
	// certified bob for widget by widget-cert until 2027-12-04
	// 2026-12 review:
	//   info rep ann: target_met (cause "")
	//   info rep bob: target_met (cause "")
	// new: info rep bob: target_met
	// recurring: info rep ann: target_met, severity change 0
	// resolved: critical rep bob: target_missed, after retraining on widget-basics (done)
	// resolved: warning rep bob on widget: certification, after retraining on widget-basics (done)
	// resolved: warning rep bob on widget: rep_product_lag, after retraining on widget-basics (done)
}
