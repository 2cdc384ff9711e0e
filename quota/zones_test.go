package quota_test

import (
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// usd parses an amount of USD.
func usd(tb testing.TB, amount string) sp.Money { return money(tb, amount+" USD") }

// Regions in zones far apart, each with a goal for November 2026 in its own
// zone, are paced at one instant by the part of their own month gone on
// their own clocks: at 00:00 UTC on November 16 it is 13:00 on the 16th in
// Auckland (+13:00), 05:30 in Kolkata (+05:30), and 16:00 and 20:30 on the
// 15th in Los Angeles (-08:00) and St. John's (-03:30), both of which turned
// their clocks back on November 1, after the month began. By wall-clock
// time, Los Angeles is 14 days 16 hours into its 30-day month, though 353
// hours have passed since its November began.
func TestAttainPacesEachRegionOnItsOwnClock(t *testing.T) {
	asOf := time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	zones := []struct {
		rep              sp.RepID
		zone             string
		elapsed          sp.Fraction
		expected, proj   string
		weekdays         sp.Fraction
		weekdaysExpected string
	}{
		// (15 days 13 hours) / 30 days = 373/720; 7200 × 373/720 = 3730;
		// 1800 × 720/373 = 3474.5308...; Monday the 16th is 13/24 gone
		// after 10 of November's 21 weekdays: (10 + 13/24)/21 = 253/504,
		// and 7200 × 253/504 = 3614.2857...
		{"ann", "Pacific/Auckland", sp.Fraction{Num: 373, Den: 720}, "3730.00", "3474.53", sp.Fraction{Num: 253, Den: 504}, "3614.29"},
		// 365.5/720 = 731/1440; 7200 × 731/1440 = 3655; 1800 × 1440/731
		// = 3545.8276...; 10 weekdays and 5.5/24 of Monday: (10 + 11/48)/21
		// = 491/1008, and 7200 × 491/1008 = 3507.1428...
		{"chitra", "Asia/Kolkata", sp.Fraction{Num: 731, Den: 1440}, "3655.00", "3545.83", sp.Fraction{Num: 491, Den: 1008}, "3507.14"},
		// 352/720 = 22/45; 7200 × 22/45 = 3520; 1800 × 45/22 = 3681.8181...;
		// Sunday the 15th: 10 of 21 weekdays.
		{"dan", "America/Los_Angeles", sp.Fraction{Num: 22, Den: 45}, "3520.00", "3681.82", sp.Fraction{Num: 10, Den: 21}, "3428.57"},
		// 356.5/720 = 713/1440; 7200 × 713/1440 = 3565; 1800 × 1440/713
		// = 3635.3436...; 10 of 21 weekdays.
		{"eve", "America/St_Johns", sp.Fraction{Num: 713, Den: 1440}, "3565.00", "3635.34", sp.Fraction{Num: 10, Den: 21}, "3428.57"},
	}
	var goals []quota.Goal
	var deals []pipeline.Deal
	for i, z := range zones {
		loc := location(t, z.zone)
		goals = append(goals, quota.Goal{Rep: z.rep, Period: sp.Month(2026, time.November, loc), Revenue: usd(t, "7200.00")})
		deals = append(deals, won("d"+string(z.rep), z.rep, "", usd(t, "1800.00"), time.Date(2026, time.November, 3+i, 10, 0, 0, 0, loc)))
	}
	got, err := quota.Attain(goals, quota.Refs(deals), asOf, nil)
	require.NoError(t, err)
	byDays, err := quota.Attain(goals, quota.Refs(deals), asOf, &quota.Options{Calendar: quota.Weekdays()})
	require.NoError(t, err)
	for i, z := range zones {
		t.Run(z.zone, func(t *testing.T) {
			a := got[i]
			assert.Equal(t, z.elapsed, a.Elapsed)
			assert.Equal(t, z.expected+" USD", a.Expected.String())
			assert.Equal(t, z.proj+" USD", a.Projected.String())
			assert.Equal(t, "1800.00 USD", a.Attained.String())
			assert.Equal(t, z.weekdays, byDays[i].Elapsed)
			assert.Equal(t, z.weekdaysExpected+" USD", byDays[i].Expected.String())
		})
	}
}

// A deal counts for a region's month by its close time on that region's
// clock: won at 20:00 on November 30 in Los Angeles (04:00 UTC on December
// 1) it is Los Angeles' November's, and won at 00:30 on December 1 in
// Auckland (11:30 UTC on November 30) it is not Auckland's November's. Once
// each month is over on its own clock, its goal is met or missed.
func TestAttainCountsCloseTimesOnTheRegionsClock(t *testing.T) {
	la, akl := location(t, "America/Los_Angeles"), location(t, "Pacific/Auckland")
	goals := []quota.Goal{
		{Rep: "dan", Period: sp.Month(2026, time.November, la), Revenue: usd(t, "2000.00")},
		{Rep: "ann", Period: sp.Month(2026, time.November, akl), Revenue: usd(t, "2000.00")},
	}
	deals := []pipeline.Deal{
		won("d1", "dan", "", usd(t, "1500.00"), time.Date(2026, time.November, 10, 9, 0, 0, 0, la)),
		won("d2", "dan", "", usd(t, "700.00"), time.Date(2026, time.November, 30, 20, 0, 0, 0, la)),
		won("a1", "ann", "", usd(t, "1500.00"), time.Date(2026, time.November, 10, 9, 0, 0, 0, akl)),
		won("a2", "ann", "", usd(t, "700.00"), time.Date(2026, time.December, 1, 0, 30, 0, 0, akl)),
	}
	// 08:00 UTC on December 1 is midnight in Los Angeles: both months over.
	asOf := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	got, err := quota.Attain(goals, quota.Refs(deals), asOf, nil)
	require.NoError(t, err)
	assert.Equal(t, "2200.00 USD", got[0].Attained.String())
	assert.Equal(t, quota.StatusMet, got[0].Status)
	assert.Equal(t, "1500.00 USD", got[1].Attained.String())
	assert.Equal(t, quota.StatusMissed, got[1].Status)
	// An hour earlier Los Angeles' November is under way and 719/720 gone.
	got, err = quota.Attain(goals, quota.Refs(deals), asOf.Add(-time.Hour), nil)
	require.NoError(t, err)
	assert.Equal(t, sp.Fraction{Num: 719, Den: 720}, got[0].Elapsed)
	assert.Equal(t, sp.Fraction{Num: 1, Den: 1}, got[1].Elapsed)
}

// Pacing by wall-clock time where clocks change: Lord Howe Island turns
// its clocks back half an hour on April 5, 2026, and Asunción sprang
// forward at midnight on October 1, 2023, so that its October began at
// 01:00.
func TestElapsedWhereClocksChangeByHalfAnHourOrAtMidnight(t *testing.T) {
	lh, asu := location(t, "Australia/Lord_Howe"), location(t, "America/Asuncion")
	april := sp.Month(2026, time.April, lh)
	// Noon on the 5th: 4 days 12 hours of 30 by the wall clock, the half
	// hour that passes twice counted once (4 days 12.5 hours have passed).
	assert.Equal(t, sp.Fraction{Num: 3, Den: 20}, quota.Elapsed(april, time.Date(2026, time.April, 5, 12, 0, 0, 0, lh), nil))
	// April 2026 has 22 weekdays (Wednesday the 1st to Thursday the 30th);
	// at the start of Thursday the 16th, 11 have passed.
	assert.Equal(t, sp.Fraction{Num: 1, Den: 2}, quota.Elapsed(april, sp.DayStart(2026, time.April, 16, lh), quota.Weekdays()))

	october := sp.Month(2023, time.October, asu)
	require.True(t, october.Start().Equal(time.Date(2023, time.October, 1, 4, 0, 0, 0, time.UTC)), "October begins at 01:00 (-03:00)")
	// At 13:00 on the 1st, 13 hours of its first day have gone by the wall
	// clock, the first instant counting as midnight: 13 of 744 hours.
	assert.Equal(t, sp.Fraction{Num: 13, Den: 744}, quota.Elapsed(october, time.Date(2023, time.October, 1, 13, 0, 0, 0, asu), nil))
	// Sunday the 1st is no working day; by 06:00 on Tuesday the 3rd,
	// Monday and a quarter of Tuesday of 22 weekdays: 1.25/22 = 5/88.
	assert.Equal(t, sp.Fraction{Num: 5, Den: 88}, quota.Elapsed(october, time.Date(2023, time.October, 3, 6, 0, 0, 0, asu), quota.Weekdays()))
}

// Proration is by days on the goal's own calendar, whatever the elapsed
// time: a rep hired on March 11 in Berlin, where March lasts 30 days 23
// hours, gets 21/31 of the month; a rep of Kolkata's region who moves at
// midnight starting November 11 there (18:30 UTC on the 10th) keeps 10/30
// of the month in the old region; a new rep in Havana, where clocks spring
// forward at midnight on March 8, 2026, so that the day begins at 01:00,
// has 24 of March's 31 days from that day.
func TestProrationByDaysOfTheGoalsZone(t *testing.T) {
	berlin, kolkata, havana := location(t, "Europe/Berlin"), location(t, "Asia/Kolkata"), location(t, "America/Havana")

	march := quota.Goal{Rep: "ann", Region: "de", Period: sp.Month(2026, time.March, berlin), Revenue: money(t, "3100.00 EUR")}
	hired, err := sp.NewPeriod(sp.DayStart(2026, time.March, 11, berlin), march.Period.End())
	require.NoError(t, err)
	parts, err := quota.Prorate(march, hired)
	require.NoError(t, err)
	assert.Equal(t, "2100.00 EUR", parts[0].Revenue.String(), "21 of 31 days, not 503 of 743 hours")

	nov := quota.Goal{Rep: "chitra", Region: "in-north", Period: sp.Month(2026, time.November, kolkata), Revenue: money(t, "3000.00 INR")}
	moved, err := quota.Reassign(nov, time.Date(2026, time.November, 10, 18, 30, 0, 0, time.UTC), "in-south")
	require.NoError(t, err)
	require.Len(t, moved, 2)
	assert.Equal(t, "1000.00 INR", moved[0].Revenue.String())
	assert.Equal(t, "in-north", string(moved[0].Region))
	assert.Equal(t, "2026-11-01/2026-11-11[Asia/Kolkata]", moved[0].Period.String())
	assert.Equal(t, "2000.00 INR", moved[1].Revenue.String())
	assert.Equal(t, "in-south", string(moved[1].Region))
	assert.Equal(t, "2026-11-11/2026-12-01[Asia/Kolkata]", moved[1].Period.String())

	ramp := quota.Ramp{Rep: "eli", Region: "cu", Start: time.Date(2026, time.March, 8, 9, 0, 0, 0, havana),
		Monthly: usd(t, "3100.00"), Steps: []decimal.Decimal{dec(t, "0.5")}, Location: havana}
	goals, err := ramp.Goals(2)
	require.NoError(t, err)
	require.Len(t, goals, 2)
	// Half of 3100.00, for 24 of 31 days: 1200.00, from 01:00 (05:00 UTC).
	assert.Equal(t, "1200.00 USD", goals[0].Revenue.String())
	assert.True(t, goals[0].Period.Start().Equal(time.Date(2026, time.March, 8, 5, 0, 0, 0, time.UTC)))
	assert.Equal(t, "2026-03-08/2026-04-01[America/Havana]", goals[0].Period.String())
	assert.Equal(t, "3100.00 USD", goals[1].Revenue.String())
	assert.True(t, goals[1].Period.Equal(sp.Month(2026, time.April, havana)))
}

// A quarter of Auckland, where clocks turn back on April 5, 2026, spreads
// over Auckland's own months, each whole on its clock.
func TestSpreadOverTheMonthsOfTheGoalsZone(t *testing.T) {
	akl := location(t, "Pacific/Auckland")
	q := quota.Goal{Region: "nz", Period: sp.Quarter(2026, 2, akl), Revenue: money(t, "9000.00 NZD")}
	months, err := quota.Spread(q, []decimal.Decimal{dec(t, "2"), dec(t, "1"), dec(t, "1")})
	require.NoError(t, err)
	require.Len(t, months, 3)
	for i, want := range []string{"4500.00 NZD", "2250.00 NZD", "2250.00 NZD"} {
		assert.Equal(t, want, months[i].Revenue.String())
		assert.True(t, months[i].Period.Equal(sp.Month(2026, time.April+time.Month(i), akl)), "month %d: %s", i, months[i].Period)
	}
	// April begins at +13:00 and ends at +12:00.
	assert.Equal(t, 30*24*time.Hour+time.Hour, months[0].Period.Duration())
}

// The company's November in UTC takes the goals of regions whose Novembers
// are months of their own zones, and of a rep who moved between regions
// mid-month with a prorated goal in each; a December of Auckland, which
// begins on the company's November 30, is not November's.
func TestRollUpRegionsInZonesFarApart(t *testing.T) {
	akl, kol, la, stj := location(t, "Pacific/Auckland"), location(t, "Asia/Kolkata"), location(t, "America/Los_Angeles"), location(t, "America/St_Johns")
	nov := func(loc *time.Location) sp.Period { return sp.Month(2026, time.November, loc) }
	dan := quota.Goal{Rep: "dan", Region: "us", Period: nov(la), Revenue: usd(t, "3000.00")}
	// At midnight starting November 16 in Los Angeles, 15 of 30 days gone.
	moved, err := quota.Reassign(dan, time.Date(2026, time.November, 16, 0, 0, 0, 0, la), "nl")
	require.NoError(t, err)
	goals := []quota.Goal{
		{Period: sp.Month(2026, time.November, time.UTC), Revenue: usd(t, "20000.00")},
		{Region: "nz", Period: nov(akl), Revenue: usd(t, "10000.00")},
		{Rep: "ann", Region: "nz", Period: nov(akl), Revenue: usd(t, "6000.00")},
		{Rep: "ben", Region: "nz", Period: nov(akl), Revenue: usd(t, "4000.00")},
		{Rep: "ann", Region: "nz", Period: sp.Month(2026, time.December, akl), Revenue: usd(t, "9999.00")},
		{Rep: "chitra", Region: "in", Period: nov(kol), Revenue: usd(t, "3000.00")},
		{Region: "us", Period: nov(la), Revenue: usd(t, "5000.00")},
		moved[0], moved[1],
		{Region: "nl", Period: nov(stj), Revenue: usd(t, "2000.00")},
		{Rep: "eve", Region: "nl", Period: nov(stj), Revenue: usd(t, "1000.00")},
	}
	root, err := quota.RollUp(sp.Month(2026, time.November, time.UTC), quota.MetricRevenue, slices.Values(goals))
	require.NoError(t, err)
	assert.Equal(t, "20000.00 USD", root.Own.String())
	assert.Equal(t, "20000.00 USD", root.Parts.String(), "nz 10000 + in 3000 (its rep's) + nl 2000 + us 5000")
	assert.Equal(t, "0.00 USD", root.Discrepancy.String())
	want := map[sp.RegionID][3]string{ // own, parts, discrepancy
		"in": {"0.00 USD", "3000.00 USD", "0.00 USD"},
		"nl": {"2000.00 USD", "2500.00 USD", "-500.00 USD"}, // eve 1000 + dan's second half 1500
		"nz": {"10000.00 USD", "10000.00 USD", "0.00 USD"},
		"us": {"5000.00 USD", "1500.00 USD", "3500.00 USD"},
	}
	require.Len(t, root.Children, len(want))
	for _, r := range root.Children {
		w := want[r.Region]
		assert.Equal(t, w, [3]string{r.Own.String(), r.Parts.String(), r.Discrepancy.String()}, "region %s", r.Region)
	}
}

// Forecast counts an open deal for a region's month by its expected close
// as an instant: a date written as the start of December 1 in Los Angeles
// is December's, but midnight UTC of December 1 is still November 30 there.
func TestForecastExpectedCloseOnTheRegionsClock(t *testing.T) {
	la := location(t, "America/Los_Angeles")
	goal := quota.Goal{Rep: "dan", Period: sp.Month(2026, time.November, la), Revenue: usd(t, "3000.00")}
	deals := []pipeline.Deal{
		open("o1", "dan", "", usd(t, "100.00"), "0.5", sp.DayStart(2026, time.December, 1, la)),
		open("o2", "dan", "", usd(t, "200.00"), "0.5", time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)),
		open("o3", "dan", "", usd(t, "400.00"), "0.5", sp.DayStart(2026, time.November, 30, la)),
	}
	got, err := quota.Forecast([]quota.Goal{goal}, quota.Refs(deals), time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), got[0].Open, "o2 and o3")
	assert.Equal(t, "600.00 USD", got[0].Pipeline.String())
	assert.True(t, got[0].Weighted.Money.Amount().Equal(dec(t, "300")), "half of each: %s", got[0].Weighted)
}

// A cohort's period bounds its inquiries by instants, and grouping by month
// takes each inquiry's month in its region's zone: the company's November
// in UTC holds, for a region in Auckland (+13:00), the first 13 hours of
// Auckland's December and not the first 13 of its November, and for one in
// Los Angeles (-07:00, then -08:00 from November 1) the last 7 hours of its
// October and not the last 8 of its November.
func TestCohortMonthsOfRegionsInOtherZonesThanThePeriod(t *testing.T) {
	akl, la := location(t, "Pacific/Auckland"), location(t, "America/Los_Angeles")
	ins := []pipeline.Inquiry{
		{ID: "i1", Region: "nz", Received: time.Date(2026, time.November, 1, 12, 0, 0, 0, akl)}, // Oct 31 23:00 UTC
		{ID: "i2", Region: "nz", Received: time.Date(2026, time.November, 1, 14, 0, 0, 0, akl)}, // Nov 1 01:00 UTC
		{ID: "i3", Region: "nz", Received: time.Date(2026, time.December, 1, 9, 0, 0, 0, akl)},  // Nov 30 20:00 UTC
		{ID: "i4", Region: "us", Received: time.Date(2026, time.November, 30, 20, 0, 0, 0, la)}, // Dec 1 04:00 UTC
		{ID: "i5", Region: "us", Received: time.Date(2026, time.November, 1, 0, 30, 0, 0, la)},  // Nov 1 07:30 UTC
		{ID: "i6", Region: "us", Received: time.Date(2026, time.October, 31, 20, 0, 0, 0, la)},  // Nov 1 03:00 UTC
	}
	zones := map[sp.RegionID]*time.Location{"nz": akl, "us": la}
	opts := &quota.Options{Location: func(r sp.RegionID) *time.Location { return zones[r] }}
	month := sp.Month(2026, time.November, time.UTC)
	rep, err := quota.CohortConversion(quota.Refs(ins), nil, month, month.End(), quota.Grouping{Region: true, Month: true}, opts)
	require.NoError(t, err)
	got := map[string]int64{}
	for _, g := range rep.Groups {
		got[g.Key.String()] = g.Conversion.Rate.Den
	}
	assert.Equal(t, map[string]int64{
		"region=nz month=2026-11[Pacific/Auckland]":    1,
		"region=nz month=2026-12[Pacific/Auckland]":    1,
		"region=us month=2026-10[America/Los_Angeles]": 1,
		"region=us month=2026-11[America/Los_Angeles]": 1,
	}, got)
	assert.Equal(t, int64(4), rep.Total.Conversion.Rate.Den)
}

// Cycles are elapsed time and velocity's days are of 24 hours: a deal of
// Chicago created at midnight starting March 1, 2017 and won at midnight
// starting March 31 took 29 days 23 hours (719 hours), since clocks sprang
// forward on March 12; with one deal open, 719.00 won at a win rate of 1
// brings 719.00 per 719/24 days, 24.00 a day.
func TestCycleAndVelocityInElapsedDaysAcrossDaylightSaving(t *testing.T) {
	chicago := location(t, "America/Chicago")
	march := sp.Month(2017, time.March, chicago)
	d := won("d1", "ann", "us", usd(t, "719.00"), sp.DayStart(2017, time.March, 31, chicago))
	d.Created = march.Start()
	o := open("o1", "ann", "us", usd(t, "100.00"), "0.5", time.Date(2017, time.April, 20, 12, 0, 0, 0, chicago))
	deals := []pipeline.Deal{d, o}

	cycle, err := quota.SalesCycle(quota.Refs(deals), march, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, 719*time.Hour, cycle.Total.Durations.Mean)

	v, err := quota.Velocity(quota.Refs(deals), march, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, 719*time.Hour, v.Total.Cycle)
	assert.Equal(t, int64(1), v.Total.Open)
	assert.Equal(t, "24.00 USD", v.Total.PerDay.String())
}
