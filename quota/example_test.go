package quota_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
)

// eur parses an amount in EUR for the examples.
func eur(s string) sp.Money {
	m, err := sp.ParseMoney(s + " EUR")
	if err != nil {
		panic(err)
	}
	return m
}

// exampleDeals is a November of one region: won, lost and open deals.
func exampleDeals() []pipeline.Deal {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	deal := func(id string, owner sp.RepID, stage pipeline.DealStage, amount string, closed int) pipeline.Deal {
		d := pipeline.Deal{ID: sp.DealID(id), Owner: owner, Region: "north", Product: "boiler", Channel: "phone",
			Amount: eur(amount), Stage: stage, Created: day(1)}
		switch stage {
		case pipeline.DealWon:
			d.Closed, d.Probability = day(closed), decimal.New(1, 0)
		case pipeline.DealLost:
			d.Closed = day(closed)
		default:
			d.ExpectedClose, d.Probability = day(closed), decimal.New(5, -1)
		}
		return d
	}
	return []pipeline.Deal{
		deal("d1", "ana", pipeline.DealWon, "4000.00", 5),
		deal("d2", "ana", pipeline.DealWon, "2500.00", 9),
		deal("d3", "ana", pipeline.DealLost, "3000.00", 7),
		deal("d4", "ben", pipeline.DealWon, "1500.00", 6),
		deal("d5", "ben", pipeline.DealLost, "2000.00", 8),
		deal("d6", "ben", pipeline.DealLost, "900.00", 12),
		deal("d7", "ana", pipeline.DealNegotiation, "3000.00", 25),
		deal("d8", "ben", pipeline.DealProposal, "6000.00", 28),
	}
}

func ExampleSpread() {
	q4 := sp.Quarter(2026, 4, nil)
	goal := quota.Goal{Region: "north", Period: q4, Revenue: eur("100000.00")}
	months, _ := quota.Spread(goal, []decimal.Decimal{decimal.New(3, 0), decimal.New(3, 0), decimal.New(4, 0)})
	for _, m := range months {
		fmt.Println(m.Period, m.Revenue)
	}
	// Output:
	// 2026-10 30000.00 EUR
	// 2026-11 30000.00 EUR
	// 2026-12 40000.00 EUR
}

func ExampleProrate() {
	nov := sp.Month(2026, time.November, nil)
	goal := quota.Goal{Rep: "ana", Period: nov, Revenue: eur("3000.00")}
	hired, _ := sp.NewPeriod(time.Date(2026, time.November, 11, 0, 0, 0, 0, time.UTC), nov.End())
	parts, _ := quota.Prorate(goal, hired)
	fmt.Println(parts[0].Period, parts[0].Revenue)
	// Output: 2026-11-11/2026-12-01 2000.00 EUR
}

func ExampleReassign() {
	nov := sp.Month(2026, time.November, nil)
	goal := quota.Goal{Rep: "ana", Region: "north", Period: nov, Revenue: eur("1000.00")}
	parts, _ := quota.Reassign(goal, time.Date(2026, time.November, 21, 0, 0, 0, 0, time.UTC), "south")
	for _, p := range parts {
		fmt.Println(p.Region, p.Period, p.Revenue)
	}
	// Output:
	// north 2026-11-01/2026-11-21 666.67 EUR
	// south 2026-11-21/2026-12-01 333.33 EUR
}

func ExampleRamp_Goals() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	ramp := quota.Ramp{
		Rep: "ana", Region: "north",
		Start:    time.Date(2026, time.November, 11, 9, 0, 0, 0, berlin),
		Monthly:  eur("4000.00"),
		Steps:    []decimal.Decimal{decimal.New(25, -2), decimal.New(5, -1), decimal.New(75, -2)},
		Location: berlin,
	}
	goals, _ := ramp.Goals(4)
	for _, g := range goals {
		fmt.Println(g.Period, g.Revenue)
	}
	// Output:
	// 2026-11-11/2026-12-01[Europe/Berlin] 666.67 EUR
	// 2026-12[Europe/Berlin] 2000.00 EUR
	// 2027-01[Europe/Berlin] 3000.00 EUR
	// 2027-02[Europe/Berlin] 4000.00 EUR
}

// A goals file of ramps: each decodes with its zone by IANA name in
// time_zone and turns into monthly goals. The start is best written as a
// date, the rep's first day in the zone; an instant counts on the day it
// falls on there, so "2027-01-01T00:00:00Z" starts a New York rep on
// December 31. A member a ramp does not know, such as a misspelt
// time_zone that would run the ramp in UTC, is refused naming it.
func ExampleRamp_goalsFile() {
	file := `[
	  {"rep": "ana", "region": "north", "start": "2026-11-11",
	   "monthly": {"amount": "4000.00", "currency": "EUR"}, "steps": ["0.25", "0.5"],
	   "time_zone": "Europe/Berlin"},
	  {"rep": "rui", "region": "south", "start": "2027-01-01",
	   "monthly": {"amount": "3000.00", "currency": "EUR"}, "steps": ["0.5"],
	   "time_zone": "Europe/Lisbon"},
	  {"rep": "joe", "region": "west", "start": "2027-01-01T00:00:00Z",
	   "monthly": {"amount": "3100.00", "currency": "USD"},
	   "time_zone": "America/New_York"}
	]`
	var ramps []quota.Ramp
	if err := json.Unmarshal([]byte(file), &ramps); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range ramps {
		goals, err := r.Goals(2)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, g := range goals {
			fmt.Println(g)
		}
	}

	typo := `[{"rep": "eva", "start": "2027-01-01", "monthly": {"amount": "3000.00", "currency": "EUR"},
	  "timezone": "Europe/Lisbon"}]`
	fmt.Println(json.Unmarshal([]byte(typo), &ramps))
	// Output:
	// rep ana (north) 2026-11-11/2026-12-01[Europe/Berlin]: 666.67 EUR
	// rep ana (north) 2026-12[Europe/Berlin]: 2000.00 EUR
	// rep rui (south) 2027-01[Europe/Lisbon]: 1500.00 EUR
	// rep rui (south) 2027-02[Europe/Lisbon]: 3000.00 EUR
	// rep joe (west) 2026-12-31/2027-01-01[America/New_York]: 100.00 USD
	// rep joe (west) 2027-01[America/New_York]: 3100.00 USD
	// invalid ramp.timezone: unknown field
}

func ExampleRollUp() {
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{
		{Region: "north", Period: nov, Revenue: eur("10000.00")},
		{Rep: "ana", Region: "north", Period: nov, Revenue: eur("5000.00")},
		{Rep: "ben", Region: "north", Period: nov, Revenue: eur("4000.00")},
	}
	company, _ := quota.RollUp(nov, quota.MetricRevenue, slices.Values(goals))
	north := company.Children[0]
	fmt.Println("north:", north.Own, "reps:", north.Parts, "unassigned:", north.Discrepancy)
	// Output: north: 10000.00 EUR reps: 9000.00 EUR unassigned: 1000.00 EUR
}

func ExampleCredits() {
	credits, _ := quota.Credits(eur("1000.00"), []quota.Split{
		{Rep: "ana", Percent: decimal.RequireFromString("33.33")},
		{Rep: "ben", Percent: decimal.RequireFromString("33.33")},
		{Rep: "eva", Percent: decimal.RequireFromString("33.34")},
	})
	for _, c := range credits {
		fmt.Println(c.Rep, c.Amount, c.Share)
	}
	// Output:
	// ana 333.30 EUR 0.3333
	// ben 333.30 EUR 0.3333
	// eva 333.40 EUR 0.3334
}

func ExampleAttain() {
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{
		{Rep: "ana", Region: "north", Period: nov, Revenue: eur("10000.00")},
		{Rep: "ben", Region: "north", Period: nov, Revenue: eur("8000.00")},
	}
	asOf := time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	results, _ := quota.Attain(goals, quota.Refs(exampleDeals()), asOf, nil)
	for _, a := range results {
		fmt.Printf("%s: %s (%s%%), pace %s%%, projected %s, %s, win rate %s\n",
			a.Goal.Rep, a.Attained, a.Percent, a.Pace, a.Projected, a.Status, a.WinRate)
	}
	// Output:
	// ana: 6500.00 EUR (65%), pace 130%, projected 13000.00 EUR, on_pace, win rate 2/3
	// ben: 1500.00 EUR (18.75%), pace 37.5%, projected 3000.00 EUR, at_risk, win rate 1/3
}

// ExampleAttain_region measures a region as well as its reps: the region's
// goal, when it has none of its own, is the sum of its reps' goals that
// RollUp gives, and a region's goal counts the deals of the region
// (pipeline.Deal.Region), whoever owns them. Each goal's win rate counts
// the deals closed in its own period.
func ExampleAttain_region() {
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{
		{Rep: "ana", Region: "north", Period: nov, Revenue: eur("10000.00")},
		{Rep: "ben", Region: "north", Period: nov, Revenue: eur("8000.00")},
	}
	company, _ := quota.RollUp(nov, quota.MetricRevenue, slices.Values(goals))
	for _, region := range company.Children {
		goals = append(goals, quota.Goal{Region: region.Region, Period: nov, Revenue: region.Parts.Money})
	}
	asOf := time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)
	results, _ := quota.Attain(goals, quota.Refs(exampleDeals()), asOf, nil)
	for _, a := range results {
		fmt.Printf("%s: %s (%s%%), %s, win rate %s\n", a.Goal, a.Attained, a.Percent, a.Status, a.WinRate)
	}
	// Output:
	// rep ana (north) 2026-11: 10000.00 EUR: 6500.00 EUR (65%), missed, win rate 2/3
	// rep ben (north) 2026-11: 8000.00 EUR: 1500.00 EUR (18.75%), missed, win rate 1/3
	// region north 2026-11: 18000.00 EUR: 8000.00 EUR (44.44%), missed, win rate 3/6
}

func ExampleElapsed() {
	nov := sp.Month(2026, time.November, nil)
	at := time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	fmt.Println(quota.Elapsed(nov, at, nil), quota.Elapsed(nov, at, quota.Weekdays()))
	// Output: 1/2 10/21
}

func ExampleRate_Wilson() {
	iv, _ := quota.Rate{Num: 107, Den: 160}.Wilson(0.95, 4)
	fmt.Println(iv)
	// Output: [0.5926, 0.737]
}

func ExampleRate_Shrink() {
	prior := quota.Prior{Mean: 0.5, Strength: 10}
	few, _ := quota.Rate{Num: 2, Den: 3}.Shrink(prior, 3)
	many, _ := quota.Rate{Num: 60, Den: 100}.Shrink(prior, 3)
	fmt.Println(few, many)
	// Output: 0.538 0.591
}

func ExampleFitPrior() {
	rates := []quota.Rate{{Num: 10, Den: 100}, {Num: 30, Den: 100}, {Num: 50, Den: 100}, {Num: 2, Den: 3}}
	prior, _ := quota.FitPrior(slices.Values(rates))
	fmt.Printf("mean %.3f, strength %.1f\n", prior.Mean, prior.Strength)
	// Output: mean 0.304, strength 4.5
}

func ExampleCompare() {
	rep := quota.Rate{Num: 3, Den: 40}
	team := quota.Rate{Num: 123, Den: 440}
	peers, _ := team.Without(rep)
	c, _ := quota.Compare(rep, peers, 0.95, 3)
	fmt.Println(c.Verdict, c.Difference, c.Interval)
	// Output: below -0.225 [-0.293, -0.094]
}

// A rep compared with the rest of a team of ten, each rep judged so: the
// ten comparisons hold together at 95 %, each at 99.5 %, and the p-value is
// adjusted alike.
func ExampleCompareAmong() {
	rep := quota.Rate{Num: 3, Den: 40}
	team := quota.Rate{Num: 123, Den: 440}
	peers, _ := team.Without(rep)
	c, _ := quota.CompareAmong(rep, peers, 0.95, 10, 3)
	fmt.Println(c.Verdict, c.Difference, c.Interval, c.PValue)
	// Output: below -0.225 [-0.314, -0.018] 0.025
}

func ExampleCohortConversion() {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 9, 0, 0, 0, time.UTC) }
	inquiries := []pipeline.Inquiry{
		{ID: "i1", Owner: "ana", Received: day(2)},
		{ID: "i2", Owner: "ana", Received: day(3)},
		{ID: "i3", Owner: "ben", Received: day(4)},
	}
	deals := []pipeline.Deal{{ID: "d1", Owner: "ana", Inquiry: "i1", Stage: pipeline.DealWon, Closed: day(20), Amount: eur("100.00")}}
	rep, _ := quota.CohortConversion(quota.Refs(inquiries), quota.Refs(deals), sp.Month(2026, time.November, nil),
		day(30), quota.Grouping{Rep: true}, nil)
	for _, g := range rep.Groups {
		fmt.Println(g.Key, g.Conversion.Rate, g.Conversion.Value, g.Conversion.Wilson)
	}
	// Output:
	// rep=ana 1/2 0.5 [0.0945, 0.9055]
	// rep=ben 0/1 0 [0, 0.7935]
}

func ExamplePeriodConversion() {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 9, 0, 0, 0, time.UTC) }
	inquiries := []pipeline.Inquiry{{ID: "i1", Received: day(2)}, {ID: "i2", Received: day(3)}}
	rep, _ := quota.PeriodConversion(quota.Refs(inquiries), quota.Refs(exampleDeals()), sp.Month(2026, time.November, nil),
		quota.Grouping{}, nil)
	fmt.Println(rep.Basis, rep.Total.Conversion.Rate, rep.Total.Conversion.Value)
	// Output: period 3/2 1.5
}

func ExampleWinRates() {
	rep, _ := quota.WinRates(quota.Refs(exampleDeals()), sp.Month(2026, time.November, nil), quota.Grouping{Rep: true}, nil)
	for _, g := range rep.Groups {
		fmt.Println(g.Key.Rep, g.WinRate.Rate, g.WinRate.Value, g.WonAmount)
	}
	// Output:
	// ana 2/3 0.6667 6500.00 EUR
	// ben 1/3 0.3333 1500.00 EUR
}

func ExampleFunnel() {
	t := func(from, to pipeline.DealStage) pipeline.Transition[pipeline.DealStage] {
		return pipeline.Transition[pipeline.DealStage]{From: from, To: to}
	}
	created := time.Date(2026, time.November, 2, 0, 0, 0, 0, time.UTC)
	deals := []pipeline.Deal{
		{ID: "a", Created: created, Stage: pipeline.DealWon, History: []pipeline.Transition[pipeline.DealStage]{
			t("", pipeline.DealProspecting), t(pipeline.DealProspecting, pipeline.DealProposal), t(pipeline.DealProposal, pipeline.DealWon)}},
		{ID: "b", Created: created, Stage: pipeline.DealLost, History: []pipeline.Transition[pipeline.DealStage]{
			t("", pipeline.DealProspecting), t(pipeline.DealProspecting, pipeline.DealLost)}},
		{ID: "c", Created: created, Stage: pipeline.DealQualification},
	}
	rep, _ := quota.Funnel(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	for _, st := range rep.Total.Steps {
		fmt.Printf("%s → %s: %d reached, %d advanced, %d dropped, %d pending\n", st.From, st.To, st.Reached, st.Advanced, st.Dropped, st.Pending)
	}
	// Output:
	// prospecting → qualification: 3 reached, 2 advanced, 1 dropped, 0 pending
	// qualification → proposal: 2 reached, 1 advanced, 0 dropped, 1 pending
	// proposal → negotiation: 1 reached, 1 advanced, 0 dropped, 0 pending
	// negotiation → won: 1 reached, 1 advanced, 0 dropped, 0 pending
}

func ExampleSummarize() {
	d := quota.Summarize(slices.Values([]time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour, 10 * time.Hour}))
	fmt.Println(d.Median, d.P90, d.Mean)
	// Output: 2h30m0s 7h54m0s 4h0m0s
}

func ExampleSalesCycle() {
	rep, _ := quota.SalesCycle(quota.Refs(exampleDeals()), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	fmt.Println(rep.Total.Durations.Count, rep.Total.Durations.Median, rep.Total.Pending)
	// Output: 3 120h0m0s 2
}

func ExampleTimeToConvert() {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 9, 0, 0, 0, time.UTC) }
	inquiries := []pipeline.Inquiry{{ID: "i1", Received: day(2)}, {ID: "i2", Received: day(3)}}
	deals := []pipeline.Deal{{ID: "d1", Inquiry: "i1", Stage: pipeline.DealWon, Closed: day(12)}}
	rep, _ := quota.TimeToConvert(quota.Refs(inquiries), quota.Refs(deals), sp.Month(2026, time.November, nil), day(30), quota.Grouping{}, nil)
	fmt.Println(rep.Total.Durations.Median, rep.Total.Pending)
	// Output: 240h0m0s 1
}

func ExampleFirstResponse() {
	received := time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)
	inquiries := []pipeline.Inquiry{{ID: "i1", Received: received, Activities: []pipeline.Activity{
		{Kind: pipeline.ActivityCall, Done: received.Add(90 * time.Minute)},
	}}}
	rep, _ := quota.FirstResponse(quota.Refs(inquiries), sp.Month(2026, time.November, nil), received.AddDate(0, 0, 7), quota.Grouping{}, nil)
	fmt.Println(rep.Total.Durations.Median)
	// Output: 1h30m0s
}

func ExampleVelocity() {
	rep, _ := quota.Velocity(quota.Refs(exampleDeals()), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	v := rep.Total
	fmt.Println(v.Open, v.Won, v.Lost, v.WonAmount, v.Cycle, v.PerDay)
	// Output: 2 3 3 8000.00 EUR 136h0m0s 470.59 EUR
}

func ExampleWeightedPipeline() {
	rep, _ := quota.WeightedPipeline(quota.Refs(exampleDeals()), sp.Period{}, quota.Grouping{Rep: true}, nil)
	for _, g := range rep.Groups {
		fmt.Println(g.Key.Rep, g.Open, g.Amount, g.Weighted)
	}
	// Output:
	// ana 1 3000.00 EUR 1500.00 EUR
	// ben 1 6000.00 EUR 3000.00 EUR
}

func ExampleForecast() {
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{{Rep: "ana", Period: nov, Revenue: eur("9000.00")}}
	asOf := time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	out, _ := quota.Forecast(goals, quota.Refs(exampleDeals()), asOf, nil)
	o := out[0]
	fmt.Println("booked", o.Booked, "gap", o.Gap, "weighted", o.Weighted, "coverage", o.Coverage.Decimal)
	fmt.Printf("chance %.2f (%s), expected shortfall %s\n", o.Chance.Value, o.Chance.Method, o.Chance.Shortfall)
	// Output:
	// booked 6500.00 EUR gap 2500.00 EUR weighted 1500.00 EUR coverage 0.6
	// chance 0.50 (enumeration), expected shortfall 1250.00 EUR
}

func ExampleReach() {
	open := []quota.Prospect{
		{Amount: eur("5000.00"), Probability: decimal.RequireFromString("0.6")},
		{Amount: eur("3000.00"), Probability: decimal.RequireFromString("0.5")},
		{Amount: eur("2000.00"), Probability: decimal.RequireFromString("0.9")},
	}
	c, _ := quota.Reach(eur("10000.00"), eur("3000.00"), slices.Values(open))
	fmt.Printf("%.3f by %s (error below 1e-12: %t), shortfall %s\n", c.Value, c.Method, c.ErrorBound < 1e-12, c.Shortfall)
	// Output: 0.570 by enumeration (error below 1e-12: true), shortfall 1540.00 EUR
}

func ExampleSimulate() {
	open := []quota.Prospect{
		{Amount: eur("5000.00"), Probability: decimal.RequireFromString("0.6")},
		{Amount: eur("3000.00"), Probability: decimal.RequireFromString("0.5")},
		{Amount: eur("2000.00"), Probability: decimal.RequireFromString("0.9")},
	}
	s, _ := quota.Simulate(eur("10000.00"), eur("3000.00"), slices.Values(open), 100000, 1)
	fmt.Printf("%.2f ± %.3f\n", s.Value, s.StdErr)
	// Output: 0.57 ± 0.002
}

func ExampleInquiriesNeeded() {
	gap := quota.Amount{Money: eur("10000.00")}
	need, _ := quota.InquiriesNeeded(gap, quota.Rate{Num: 10, Den: 100}, eur("1000.00"), 0.95)
	fmt.Println(need.Needed, need.Fewest, need.Most)
	// Output: 100 58 182
}

func ExampleOutcomeBy() {
	spec := pipeline.DefaultSpec()
	spec.Name = "retail"
	def, _ := pipeline.NewDefinition(spec)
	outcome := quota.OutcomeBy(def)
	fmt.Println(outcome(&pipeline.Deal{Pipeline: "retail", Stage: pipeline.DealWon}),
		outcome(&pipeline.Deal{Pipeline: "retail", Stage: pipeline.DealProposal}))
	// Output: won open
}

func ExampleRecords() {
	listing := func(yield func(pipeline.Deal, error) bool) {
		for _, d := range exampleDeals() {
			if !yield(d, nil) {
				return
			}
		}
	}
	var err error
	rep, _ := quota.WinRates(quota.Records(listing, &err), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	fmt.Println(rep.Total.WinRate.Rate, err)
	// Output: 3/6 <nil>
}

// A company's goal for March in UTC and its regions' goals for March in
// their zones count different deals near the month's end: a deal closed at
// 23:30 on 31 March in Los Angeles is in April in UTC, one closed at 00:30
// on 1 April in Berlin is in March in UTC. The company's March as the sum
// of its regions' months is the sum of their Attained.
func ExampleAttain_zones() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	la, _ := time.LoadLocation("America/Los_Angeles")
	won := func(id sp.DealID, region sp.RegionID, amount string, closed time.Time) pipeline.Deal {
		return pipeline.Deal{ID: id, Owner: "rep-" + sp.RepID(region), Region: region, Stage: pipeline.DealWon,
			Amount: eur(amount), Closed: closed}
	}
	deals := []pipeline.Deal{
		won("n1", "north", "3000.00", sp.WallTime(2027, time.March, 10, 12, 0, 0, 0, berlin)),
		won("n2", "north", "1000.00", sp.WallTime(2027, time.April, 1, 0, 30, 0, 0, berlin)),
		won("w1", "west", "2000.00", sp.WallTime(2027, time.March, 10, 12, 0, 0, 0, la)),
		won("w2", "west", "500.00", sp.WallTime(2027, time.March, 31, 23, 30, 0, 0, la)),
	}
	goals := []quota.Goal{
		{Period: sp.Month(2027, time.March, nil), Revenue: eur("10000.00")},
		{Region: "north", Period: sp.Month(2027, time.March, berlin), Revenue: eur("6000.00")},
		{Region: "west", Period: sp.Month(2027, time.March, la), Revenue: eur("4000.00")},
	}
	asOf := time.Date(2027, time.April, 2, 0, 0, 0, 0, time.UTC) // every region's March is over
	results, _ := quota.Attain(goals, quota.Refs(deals), asOf, nil)
	sum := eur("0.00")
	for _, a := range results {
		fmt.Printf("%s: %s\n", a.Goal, a.Attained)
		if a.Goal.Level() == quota.LevelRegion {
			sum, _ = sum.Add(a.Attained.Money)
		}
	}
	fmt.Println("regions' months together:", sum)
	// Output:
	// company 2027-03: 10000.00 EUR: 6000.00 EUR
	// region north 2027-03[Europe/Berlin]: 6000.00 EUR: 3000.00 EUR
	// region west 2027-03[America/Los_Angeles]: 4000.00 EUR: 2500.00 EUR
	// regions' months together: 5500.00 EUR
}

// One calendar paces goals of regions with different holidays: each day
// comes in the location of the goal's period. Berlin keeps Good Friday and
// Easter Monday (26 and 29 March 2027), Los Angeles neither.
func ExampleCalendarFunc() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	la, _ := time.LoadLocation("America/Los_Angeles")
	holidays := map[string][]string{"Europe/Berlin": {"2027-03-26", "2027-03-29"}}
	cal := quota.CalendarFunc(func(day time.Time) bool {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return false
		}
		return !slices.Contains(holidays[day.Location().String()], day.Format(time.DateOnly))
	})
	for _, loc := range []*time.Location{berlin, la} {
		march := sp.Month(2027, time.March, loc)
		at := sp.DayStart(2027, time.March, 30, loc)
		fmt.Println(march, quota.Elapsed(march, at, cal))
	}
	// Output:
	// 2027-03[Europe/Berlin] 19/21
	// 2027-03[America/Los_Angeles] 21/23
}

// How many more inquiries a goal's gap needs, from the month's reports: the
// cohort's conversion, a proportion of the inquiries, and the average won
// amount of the win-rate report, rounded to the cent.
func ExampleInquiriesNeeded_fromReports() {
	nov := sp.Month(2026, time.November, nil)
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 9, 0, 0, 0, time.UTC) }
	var inquiries []pipeline.Inquiry
	for i := 1; i <= 5; i++ {
		inquiries = append(inquiries, pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprint("i", i)), Received: day(i)})
	}
	deals := []pipeline.Deal{
		{ID: "d1", Inquiry: "i1", Stage: pipeline.DealWon, Closed: day(10), Amount: eur("3000.00")},
		{ID: "d2", Inquiry: "i2", Stage: pipeline.DealWon, Closed: day(12), Amount: eur("2000.00")},
		{ID: "d3", Inquiry: "i3", Stage: pipeline.DealLost, Closed: day(14), Amount: eur("4000.00")},
	}
	conv, _ := quota.CohortConversion(quota.Refs(inquiries), quota.Refs(deals), nov, day(30), quota.Grouping{}, nil)
	wins, _ := quota.WinRates(quota.Refs(deals), nov, quota.Grouping{}, nil)
	average, _ := wins.Total.AverageWon()

	gap := quota.Amount{Money: eur("6000.00")}
	need, _ := quota.InquiriesNeeded(gap, conv.Total.Conversion.Rate, average, 0.95)
	fmt.Println("conversion", conv.Total.Conversion.Rate, "average won", average)
	fmt.Println("needed", need.Needed, "from", need.Fewest, "to", need.Most)
	// Output:
	// conversion 2/5 average won 2500.00 EUR
	// needed 6 from 4 to 21
}

// A deal won, reopened and then lost advanced at every step of the funnel,
// up to the won stage, since it reached it; the win rate counts it as lost,
// as it is now.
func ExampleFunnel_reopened() {
	t := func(from, to pipeline.DealStage) pipeline.Transition[pipeline.DealStage] {
		return pipeline.Transition[pipeline.DealStage]{From: from, To: to}
	}
	created := time.Date(2026, time.November, 2, 0, 0, 0, 0, time.UTC)
	closed := time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC)
	deals := []pipeline.Deal{
		{ID: "a", Created: created, Closed: closed, Stage: pipeline.DealWon, Amount: eur("100.00"),
			History: []pipeline.Transition[pipeline.DealStage]{t("", pipeline.DealProspecting), t(pipeline.DealProspecting, pipeline.DealWon)}},
		{ID: "b", Created: created, Closed: closed, Stage: pipeline.DealLost, Amount: eur("100.00"),
			History: []pipeline.Transition[pipeline.DealStage]{t("", pipeline.DealProspecting), t(pipeline.DealProspecting, pipeline.DealWon),
				t(pipeline.DealWon, pipeline.DealNegotiation), t(pipeline.DealNegotiation, pipeline.DealLost)}},
	}
	nov := sp.Month(2026, time.November, nil)
	funnel, _ := quota.Funnel(quota.Refs(deals), nov, quota.Grouping{}, nil)
	last := funnel.Total.Steps[len(funnel.Total.Steps)-1]
	fmt.Printf("%s → %s: %d reached, %d advanced, %d dropped\n", last.From, last.To, last.Reached, last.Advanced, last.Dropped)
	wins, _ := quota.WinRates(quota.Refs(deals), nov, quota.Grouping{}, nil)
	fmt.Println("win rate", wins.Total.WinRate.Rate)
	// Output:
	// negotiation → won: 2 reached, 2 advanced, 0 dropped
	// win rate 1/2
}

// Split credit: Ana shares her deal d1 (4000.00) half and half with Ben.
// Each is credited half of it, but the win rates count each deal for its
// owner alone, so Ben's stays 1 of 3.
func ExampleAttain_splits() {
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{
		{Rep: "ana", Region: "north", Period: nov, Revenue: eur("10000.00")},
		{Rep: "ben", Region: "north", Period: nov, Revenue: eur("8000.00")},
	}
	opts := &quota.Options{Splits: func(d *pipeline.Deal) []quota.Split {
		if d.ID == "d1" {
			return []quota.Split{{Rep: "ana", Percent: decimal.New(50, 0)}, {Rep: "ben", Percent: decimal.New(50, 0)}}
		}
		return nil // the owner takes it all
	}}
	asOf := time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)
	results, _ := quota.Attain(goals, quota.Refs(exampleDeals()), asOf, opts)
	for _, a := range results {
		fmt.Printf("%s: %s (%s%%), win rate %s\n", a.Goal.Rep, a.Attained, a.Percent, a.WinRate)
	}
	// Output:
	// ana: 4500.00 EUR (45%), win rate 2/3
	// ben: 3500.00 EUR (43.75%), win rate 1/3
}

// Goals kept in a GoalStore, rolled up: the store lists the goals whose
// periods overlap the company's month by instants, the neighbouring months
// of regions in other zones among them, and RollUp, which compares periods
// on the wall clock, skips those. The store's listing yields (goal, error)
// pairs; a loop hands RollUp the goals and keeps the error.
func ExampleRollUp_goalStore() {
	ctx := context.Background()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	la, _ := time.LoadLocation("America/Los_Angeles")
	store := quotatest.NewMemGoalStore()
	for _, g := range []quota.Goal{
		{Region: "north", Period: sp.Month(2027, time.March, berlin), Revenue: eur("6000.00")},
		{Region: "north", Period: sp.Month(2027, time.April, berlin), Revenue: eur("7000.00")},
		{Region: "west", Period: sp.Month(2027, time.February, la), Revenue: eur("3000.00")},
		{Region: "west", Period: sp.Month(2027, time.March, la), Revenue: eur("4000.00")},
	} {
		if err := store.PutGoal(ctx, g); err != nil {
			fmt.Println(err)
			return
		}
	}
	march := sp.Month(2027, time.March, nil)
	var listErr error
	goals := func(yield func(quota.Goal) bool) {
		for g, err := range store.ListGoals(ctx, march) {
			if err != nil {
				listErr = err
				return
			}
			if !yield(g) {
				return
			}
		}
	}
	company, err := quota.RollUp(march, quota.MetricRevenue, goals)
	if err == nil {
		err = listErr
	}
	fmt.Println(company.Parts, err)
	// Output: 10000.00 EUR <nil>
}
