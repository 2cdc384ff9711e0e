package review_test

import (
	"context"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
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
// before November in Europe/Lisbon. With the zero AsOf the review looks
// from the end of Berlin's November, when Cat's Lisbon goal still has an
// hour to go: it is behind, not missed, so target_missed does not examine
// it, and thin_pipeline finds no pipeline for the hour left. Given the end
// of the last region's month as AsOf, the review finds it missed, and
// examines it.
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
		monthDeals("cat", south.ID, "widget", lisbon, 2026, time.November, 9, 5)...)

	reviewer, err := review.New(review.DefaultRules(), &review.Options{
		Clock: sp.FixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, berlin)),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, asOf := range []time.Time{{}, goals[1].Period.End()} {
		report, err := reviewer.Review(context.Background(), review.Input{
			Period:  sp.Month(2026, time.November, berlin),
			AsOf:    asOf,
			Deals:   quota.Refs(deals),
			Goals:   goals,
			Regions: []sp.Region{north, south},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("as of", report.AsOf.In(berlin).Format(time.DateTime), "in Berlin:")
		for _, g := range report.Snapshot.Goals {
			fmt.Printf("  %s: %s, over %v\n", g.Subject(), g.Status, g.Over(report.AsOf))
		}
		for _, f := range report.Findings {
			fmt.Printf("  %s %s: %s\n", f.Severity, f.Subject, f.Rule)
		}
	}
	// Output:
	// as of 2026-12-01 00:00:00 in Berlin:
	//   rep ann: met, over true
	//   rep cat: behind, over false
	//   warning rep cat: thin_pipeline
	//   info rep ann: target_met
	// as of 2026-12-01 01:00:00 in Berlin:
	//   rep ann: met, over true
	//   rep cat: missed, over true
	//   warning rep cat: target_missed
	//   info rep ann: target_met
}
