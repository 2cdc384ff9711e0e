package quota_test

import (
	"fmt"
	"iter"
	"math/big"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// won returns a deal won at closed.
func won(id string, owner sp.RepID, region sp.RegionID, amount sp.Money, closed time.Time) pipeline.Deal {
	return pipeline.Deal{ID: sp.DealID(id), Owner: owner, Region: region, Product: "p1", Amount: amount,
		Stage: pipeline.DealWon, Probability: decimal.New(1, 0), Closed: closed, Created: closed.AddDate(0, 0, -10)}
}

// lost returns a deal lost at closed.
func lost(id string, owner sp.RepID, region sp.RegionID, closed time.Time) pipeline.Deal {
	return pipeline.Deal{ID: sp.DealID(id), Owner: owner, Region: region, Product: "p1", Amount: cents(10000),
		Stage: pipeline.DealLost, Closed: closed, Created: closed.AddDate(0, 0, -20)}
}

// open returns an open deal expected to close at expected.
func open(id string, owner sp.RepID, region sp.RegionID, amount sp.Money, p string, expected time.Time) pipeline.Deal {
	d, _ := decimal.NewFromString(p)
	return pipeline.Deal{ID: sp.DealID(id), Owner: owner, Region: region, Product: "p1", Amount: amount,
		Stage: pipeline.DealProposal, Probability: d, ExpectedClose: expected, Created: expected.AddDate(0, -1, 0)}
}

// november is a month of deals in the north region (Europe/Berlin).
type november struct {
	loc   *time.Location
	month sp.Period
	deals []pipeline.Deal
}

func newNovember(t *testing.T) november {
	berlin := location(t, "Europe/Berlin")
	day := func(d, h int) time.Time { return time.Date(2026, time.November, d, h, 0, 0, 0, berlin) }
	n := november{loc: berlin, month: sp.Month(2026, time.November, berlin)}
	n.deals = []pipeline.Deal{
		won("d1", "r1", "north", money(t, "3000.00 EUR"), day(3, 10)),
		won("d2", "r1", "north", money(t, "1000.50 EUR"), day(12, 16)),
		won("d3", "r2", "north", money(t, "2500.00 EUR"), day(14, 9)),
		lost("d4", "r1", "north", day(5, 11)),
		lost("d5", "r2", "north", day(6, 11)),
		// Won at 23:30 UTC on October 31: November 1 in Berlin.
		won("d6", "r2", "north", money(t, "400.00 EUR"), time.Date(2026, time.October, 31, 23, 30, 0, 0, time.UTC)),
		// Won at 23:30 UTC on November 30: December 1 in Berlin.
		won("d7", "r1", "north", money(t, "700.00 EUR"), time.Date(2026, time.November, 30, 23, 30, 0, 0, time.UTC)),
		// Won after the as-of time.
		won("d8", "r1", "north", money(t, "900.00 EUR"), day(20, 10)),
		open("d9", "r1", "north", money(t, "5000.00 EUR"), "0.5", day(25, 0)),
		won("d10", "r3", "south", money(t, "1200.00 EUR"), day(2, 10)),
	}
	n.deals[2].Product = "p2"
	return n
}

func (n november) asOf() time.Time { return time.Date(2026, time.November, 16, 0, 0, 0, 0, n.loc) }

func (n november) seq() iter.Seq[*pipeline.Deal] { return quota.Refs(n.deals) }

func TestAttainExpectedRoundsHalfUp(t *testing.T) {
	n := newNovember(t)
	goals := []quota.Goal{{Rep: "r1", Region: "north", Period: n.month, Revenue: money(t, "0.03 EUR")}}
	got, err := quota.Attain(goals, n.seq(), n.asOf(), nil)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "1/2", got[0].Elapsed.String())
	assert.Equal(t, "0.02 EUR", got[0].Expected.String(), "0.03 × 1/2 = 0.015, half-up")
}

func TestAttain(t *testing.T) {
	n := newNovember(t)
	goals := []quota.Goal{
		{Rep: "r1", Region: "north", Period: n.month, Revenue: money(t, "10000.00 EUR")},
		{Rep: "r2", Region: "north", Period: n.month, Deals: 4},
		{Region: "north", Period: n.month, Revenue: money(t, "12000.00 EUR")},
		{Region: "north", Product: "p2", Period: n.month, Revenue: money(t, "2000.00 EUR")},
		{Period: n.month, Revenue: money(t, "16000.00 EUR")},
	}
	got, err := quota.Attain(goals, n.seq(), n.asOf(), nil)
	require.NoError(t, err)
	require.Len(t, got, len(goals))
	tests := []struct {
		name                               string
		attained, gap, expected, projected string
		percent, pace                      string
		won, lost                          int64
		status                             quota.Status
	}{
		// r1: d1 + d2 = 4000.50 of 10000; d7 is December in Berlin, d8
		// after the as-of time; half the month elapsed.
		{name: "rep_revenue", attained: "4000.50 EUR", gap: "5999.50 EUR", expected: "5000.00 EUR", projected: "8001.00 EUR",
			percent: "40.01", pace: "80.01", won: 2, lost: 1, status: quota.StatusBehind},
		// r2: d3 and d6 (November 1 in Berlin) = 2 of 4 deals.
		{name: "rep_deals", attained: "2 deals", gap: "2 deals", expected: "2 deals", projected: "4 deals",
			percent: "50", pace: "100", won: 2, lost: 1, status: quota.StatusOnPace},
		{name: "region", attained: "6900.50 EUR", gap: "5099.50 EUR", expected: "6000.00 EUR", projected: "13801.00 EUR",
			percent: "57.5", pace: "115.01", won: 4, lost: 2, status: quota.StatusOnPace},
		{name: "region_product", attained: "2500.00 EUR", gap: "-500.00 EUR", expected: "1000.00 EUR", projected: "5000.00 EUR",
			percent: "125", pace: "250", won: 1, lost: 0, status: quota.StatusMet},
		{name: "company", attained: "8100.50 EUR", gap: "7899.50 EUR", expected: "8000.00 EUR", projected: "16201.00 EUR",
			percent: "50.63", pace: "101.26", won: 5, lost: 2, status: quota.StatusOnPace},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := got[i]
			assert.Equal(t, goals[i], a.Goal)
			assert.Equal(t, tt.attained, a.Attained.String())
			assert.Equal(t, tt.gap, a.Gap.String())
			assert.Equal(t, tt.expected, a.Expected.String())
			assert.Equal(t, tt.projected, a.Projected.String())
			assert.Equal(t, tt.percent, a.Percent.String())
			assert.Equal(t, tt.pace, a.Pace.String())
			assert.Equal(t, sp.Fraction{Num: 1, Den: 2}, a.Elapsed)
			assert.Equal(t, tt.won, a.Won)
			assert.Equal(t, tt.lost, a.Lost)
			assert.Equal(t, quota.Rate{Num: tt.won, Den: tt.won + tt.lost}, a.WinRate)
			assert.Equal(t, tt.status, a.Status)
			roundTrip(t, a)
		})
	}
}

func TestAttainSplits(t *testing.T) {
	n := newNovember(t)
	goals := []quota.Goal{
		{Rep: "r1", Period: n.month, Revenue: money(t, "10000.00 EUR")},
		{Rep: "r2", Period: n.month, Revenue: money(t, "10000.00 EUR")},
		{Rep: "r2", Period: n.month, Deals: 3},
		{Region: "north", Period: n.month, Revenue: money(t, "10000.00 EUR")},
	}
	opts := &quota.Options{Splits: func(d *pipeline.Deal) []quota.Split {
		if d.ID == "d2" {
			return []quota.Split{{Rep: "r1", Percent: dec(t, "66.67")}, {Rep: "r2", Percent: dec(t, "33.33")}}
		}
		return nil
	}}
	got, err := quota.Attain(goals, n.seq(), n.asOf(), opts)
	require.NoError(t, err)
	// d2 (1000.50) splits 667.03 / 333.47: r1 3000 + 667.03, r2 2500 +
	// 400 + 333.47.
	assert.Equal(t, "3667.03 EUR", got[0].Attained.String())
	assert.Equal(t, "3233.47 EUR", got[1].Attained.String())
	assert.Equal(t, "2.3333 deals", got[2].Attained.String())
	assert.Equal(t, int64(2), got[0].Won, "win counts stay with the owner")
	assert.Equal(t, int64(2), got[1].Won)
	assert.Equal(t, "6900.50 EUR", got[3].Attained.String(), "the region gets the whole deal")

	t.Run("no_amount", func(t *testing.T) {
		// A won deal without an amount still counts, by its shares, for
		// won-deal goals, as it does without split credit; a revenue goal
		// refuses it.
		deals := []pipeline.Deal{won("d1", "r1", "north", sp.Money{}, n.month.Start().Add(time.Hour))}
		split := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split {
			return []quota.Split{{Rep: "r1", Percent: dec(t, "25")}, {Rep: "r2", Percent: dec(t, "75")}}
		}}
		counts := []quota.Goal{{Rep: "r1", Period: n.month, Deals: 3}, {Rep: "r2", Period: n.month, Deals: 3}}
		got, err := quota.Attain(counts, quota.Refs(deals), n.asOf(), split)
		require.NoError(t, err)
		assert.Equal(t, "0.25 deals", got[0].Attained.String())
		assert.Equal(t, "0.75 deals", got[1].Attained.String())
		assert.Equal(t, int64(1), got[0].Won, "the win counts for its owner's won-deal goal")
		assert.Equal(t, int64(0), got[1].Won, "win counts stay with the owner")
		_, err = quota.Attain(goals[:1], quota.Refs(deals), n.asOf(), split)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `deal "d1"`)
	})

	t.Run("one_split", func(t *testing.T) {
		// One split of 100 % credits the whole deal to its rep: a whole
		// won deal for a won-deal goal, the whole amount for revenue.
		deals := []pipeline.Deal{won("d1", "r1", "north", money(t, "500.00 EUR"), n.month.Start().Add(time.Hour))}
		whole := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split {
			return []quota.Split{{Rep: "r2", Percent: dec(t, "100.00")}}
		}}
		counts := []quota.Goal{{Rep: "r1", Period: n.month, Deals: 3}, {Rep: "r2", Period: n.month, Deals: 3}, goals[1]}
		got, err := quota.Attain(counts, quota.Refs(deals), n.asOf(), whole)
		require.NoError(t, err)
		assert.Equal(t, "0 deals", got[0].Attained.String())
		assert.Equal(t, "1 deals", got[1].Attained.String())
		assert.Equal(t, "500.00 EUR", got[2].Attained.String())
	})

	t.Run("err_bad_split", func(t *testing.T) {
		bad := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split {
			return []quota.Split{{Rep: "r1", Percent: decimal.New(99, 0)}}
		}}
		_, err := quota.Attain(goals, n.seq(), n.asOf(), bad)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `deal "d1"`)
	})
}

func TestAttainStatus(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	nov := sp.Month(2026, time.November, berlin)
	mid := time.Date(2026, time.November, 16, 0, 0, 0, 0, berlin)
	goal := quota.Goal{Rep: "r1", Period: nov, Revenue: money(t, "1000.00 EUR")}
	tests := []struct {
		name       string
		amount     string // won by mid-month; empty: nothing
		asOf       time.Time
		thresholds quota.Thresholds
		want       quota.Status
	}{
		{name: "met", amount: "1000.00 EUR", asOf: mid, want: quota.StatusMet},
		{name: "on_pace_exactly", amount: "500.00 EUR", asOf: mid, want: quota.StatusOnPace},
		{name: "behind", amount: "499.99 EUR", asOf: mid, want: quota.StatusBehind},
		{name: "behind_at_threshold", amount: "400.00 EUR", asOf: mid, want: quota.StatusBehind},
		{name: "at_risk", amount: "399.99 EUR", asOf: mid, want: quota.StatusAtRisk},
		{name: "not_started", asOf: nov.Start(), want: quota.StatusOnPace},
		{name: "before", asOf: nov.Start().AddDate(0, 0, -3), want: quota.StatusOnPace},
		{name: "missed", amount: "999.99 EUR", asOf: nov.End(), want: quota.StatusMissed},
		{name: "custom_on_pace", amount: "450.00 EUR", asOf: mid, want: quota.StatusOnPace,
			thresholds: quota.Thresholds{OnPace: dec(t, "0.9"), Behind: dec(t, "0.5")}},
		{name: "custom_at_risk", amount: "240.00 EUR", asOf: mid, want: quota.StatusAtRisk,
			thresholds: quota.Thresholds{OnPace: dec(t, "0.9"), Behind: dec(t, "0.5")}},
		// OnPace alone below Behind's default: Behind takes OnPace.
		{name: "on_pace_only_low", amount: "350.00 EUR", asOf: mid, want: quota.StatusOnPace,
			thresholds: quota.Thresholds{OnPace: dec(t, "0.7")}},
		{name: "on_pace_only_low_at_risk", amount: "349.99 EUR", asOf: mid, want: quota.StatusAtRisk,
			thresholds: quota.Thresholds{OnPace: dec(t, "0.7")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var deals []pipeline.Deal
			if tt.amount != "" {
				deals = append(deals, won("d", "r1", "north", money(t, tt.amount), nov.Start().Add(time.Hour)))
			}
			got, err := quota.Attain([]quota.Goal{goal}, quota.Refs(deals), tt.asOf, &quota.Options{Thresholds: tt.thresholds})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got[0].Status)
		})
	}
}

func TestAttainNothingElapsed(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	got, err := quota.Attain([]quota.Goal{{Period: nov, Deals: 2}}, quota.Refs([]pipeline.Deal(nil)), nov.Start(), nil)
	require.NoError(t, err)
	a := got[0]
	assert.Equal(t, sp.Fraction{Num: 0, Den: 1}, a.Elapsed)
	assert.Equal(t, "0", a.Pace.String())
	assert.Equal(t, "0 deals", a.Projected.String())
	assert.Equal(t, "0", a.Percent.String())
	assert.Equal(t, quota.Rate{}, a.WinRate, "no closed deals: no data")
}

func TestAttainErrors(t *testing.T) {
	n := newNovember(t)
	good := quota.Goal{Rep: "r1", Period: n.month, Revenue: money(t, "100.00 EUR")}
	tests := []struct {
		name  string
		goals []quota.Goal
		deals []pipeline.Deal
		opts  *quota.Options
		is    error
	}{
		{name: "err_goal", goals: []quota.Goal{good, {Rep: "r1"}}, is: sp.ErrInvalid},
		{name: "err_currency", goals: []quota.Goal{{Rep: "r1", Period: n.month, Revenue: money(t, "100.00 USD")}}, deals: n.deals, is: sp.ErrCurrencyMismatch},
		{name: "err_no_amount", goals: []quota.Goal{good}, deals: []pipeline.Deal{won("x", "r1", "north", sp.Money{}, n.month.Start())}, is: sp.ErrInvalid},
		{name: "err_thresholds", goals: []quota.Goal{good}, opts: &quota.Options{Thresholds: quota.Thresholds{OnPace: dec(t, "0.5"), Behind: dec(t, "0.7")}}, is: sp.ErrInvalid},
		{name: "err_negative_threshold", goals: []quota.Goal{good}, opts: &quota.Options{Thresholds: quota.Thresholds{OnPace: dec(t, "-1")}}, is: sp.ErrInvalid},
		{name: "err_negative_behind", goals: []quota.Goal{good}, opts: &quota.Options{Thresholds: quota.Thresholds{Behind: dec(t, "-1")}}, is: sp.ErrInvalid},
		{name: "err_confidence", goals: []quota.Goal{good}, opts: &quota.Options{Confidence: 2}, is: sp.ErrInvalid},
		{name: "err_places", goals: []quota.Goal{good}, opts: &quota.Options{Places: 40}, is: sp.ErrInvalid},
		{name: "err_strength", goals: []quota.Goal{good}, opts: &quota.Options{PriorStrength: -1}, is: sp.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := quota.Attain(tt.goals, quota.Refs(tt.deals), n.asOf(), tt.opts)
			require.ErrorIs(t, err, tt.is)
			assert.Contains(t, err.Error(), "quota: attain: ")
		})
	}
}

func TestElapsed(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	nov := sp.Month(2026, time.November, berlin)
	day := func(d, h int) time.Time { return time.Date(2026, time.November, d, h, 0, 0, 0, berlin) }
	tests := []struct {
		name string
		at   time.Time
		cal  quota.Calendar
		want sp.Fraction
	}{
		{name: "before", at: day(1, 0).Add(-time.Hour), want: sp.Fraction{Num: 0, Den: 1}},
		{name: "start", at: day(1, 0), want: sp.Fraction{Num: 0, Den: 1}},
		{name: "half", at: day(16, 0), want: sp.Fraction{Num: 1, Den: 2}},
		{name: "noon", at: day(16, 12), want: sp.Fraction{Num: 31, Den: 60}},
		{name: "end", at: day(30, 0).AddDate(0, 0, 1), want: sp.Fraction{Num: 1, Den: 1}},
		// November 2026 has 21 weekdays; by the 16th (a Monday) 10 have passed.
		{name: "weekdays", at: day(16, 0), cal: quota.Weekdays(), want: sp.Fraction{Num: 10, Den: 21}},
		{name: "weekdays_noon", at: day(16, 12), cal: quota.Weekdays(), want: sp.Fraction{Num: 1, Den: 2}}, // 10.5 of 21
		{name: "weekend_noon", at: day(15, 12), cal: quota.Weekdays(), want: sp.Fraction{Num: 10, Den: 21}},
		{name: "no_working_days", at: day(16, 0), cal: quota.CalendarFunc(func(time.Time) bool { return false }), want: sp.Fraction{Num: 1, Den: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, quota.Elapsed(nov, tt.at, tt.cal))
		})
	}
	assert.Equal(t, sp.Fraction{}, quota.Elapsed(sp.Period{}, day(3, 0), nil))
	t.Run("custom_period", func(t *testing.T) {
		p, err := sp.NewPeriod(day(2, 12), day(4, 12))
		require.NoError(t, err)
		// Pieces: Nov 2 noon–3, Nov 3, Nov 4 to noon; at Nov 3 noon one is
		// done and the second half done.
		assert.Equal(t, sp.Fraction{Num: 1, Den: 2}, quota.Elapsed(p, day(3, 12), quota.Weekdays()))
	})
	t.Run("long_period_at_a_nanosecond", func(t *testing.T) {
		// 100 years of weekdays, the longest a calendar paces, at
		// 12:00:00.000000001 on Tuesday, June 1, 2066: the exact share, with
		// the day under way counted to the nanosecond, fits an int64
		// fraction.
		p, err := sp.NewPeriod(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		at := time.Date(2066, time.June, 1, 12, 0, 0, 1, time.UTC)
		var done, total int64
		for day := p.Start(); day.Before(p.End()); day = day.AddDate(0, 0, 1) {
			if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
				total++
				if day.Before(at.Truncate(24 * time.Hour)) {
					done++
				}
			}
		}
		dayNanos := int64(24 * time.Hour)
		want := new(big.Rat).SetFrac(big.NewInt(done*dayNanos+int64(at.Sub(at.Truncate(24*time.Hour)))), big.NewInt(total*dayNanos))
		got := quota.Elapsed(p, at, quota.Weekdays())
		assert.Equal(t, want.String(), fmt.Sprintf("%d/%d", got.Num, got.Den))
	})
	t.Run("day_skipped_whole", func(t *testing.T) {
		// Apia skipped December 30, 2011: December has 30 days to work, and
		// by noon on the 31st 29 and a half have passed.
		apia := location(t, "Pacific/Apia")
		every := quota.CalendarFunc(func(time.Time) bool { return true })
		at := time.Date(2011, time.December, 31, 12, 0, 0, 0, apia)
		month := sp.Month(2011, time.December, apia)
		assert.Equal(t, sp.Fraction{Num: 59, Den: 60}, quota.Elapsed(month, at, every))
		// The day before the skipped one fills at the speed of any day:
		// it filled at half speed, over the day skipped after it too, and
		// then jumped to whole.
		for _, tt := range []struct {
			h, m, s int
			want    sp.Fraction
		}{
			{12, 0, 0, sp.Fraction{Num: 19, Den: 20}},             // 28.5 of 30
			{23, 0, 0, sp.Fraction{Num: 139, Den: 144}},           // 28 and 23/24 of 30
			{23, 59, 59, sp.Fraction{Num: 2505599, Den: 2592000}}, // 28 and 86399/86400 of 30
		} {
			at := time.Date(2011, time.December, 29, tt.h, tt.m, tt.s, 0, apia)
			assert.Equal(t, tt.want, quota.Elapsed(month, at, every), "%v", at)
		}
		// at in another zone is the same instant.
		utc := time.Date(2011, time.December, 29, 12, 0, 0, 0, apia).UTC()
		assert.Equal(t, sp.Fraction{Num: 19, Den: 20}, quota.Elapsed(month, utc, every), "%v", utc)
		weekdays := quota.Elapsed(month, time.Date(2011, time.December, 29, 23, 59, 59, 0, apia), quota.Weekdays())
		assert.Equal(t, sp.Fraction{Num: 20*86400 + 86399, Den: 21 * 86400}, weekdays, "20 and 86399/86400 of 21 weekdays")
	})
	t.Run("midnight_twice", func(t *testing.T) {
		// Rome turned clocks back from 01:00 to 00:00 on October 1, 1978:
		// the day begins at the first midnight. Half an hour into it, by
		// the wall clock as Coverage measures, 1/48 of the first of 31
		// days has passed.
		rome := location(t, "Europe/Rome")
		every := quota.CalendarFunc(func(time.Time) bool { return true })
		at := time.Date(1978, time.September, 30, 22, 30, 0, 0, time.UTC).In(rome)
		assert.Equal(t, sp.Fraction{Num: 1, Den: 1488}, quota.Elapsed(sp.Month(1978, time.October, rome), at, every))
	})
	t.Run("start_in_an_hour_reading_the_day_before", func(t *testing.T) {
		// St. John's turned clocks back from 00:01 to 23:01 on November 1,
		// 2009: the day began at the first midnight, and the next hour
		// read October 31 again. A span from 23:30 of that hour to the end
		// of the day holds one day, November 1, none of October 31: at noon
		// it has gone as far as by the wall clock.
		stJohns := location(t, "America/St_Johns")
		every := quota.CalendarFunc(func(time.Time) bool { return true })
		p, err := sp.NewPeriod(time.Date(2009, time.November, 1, 3, 0, 0, 0, time.UTC).In(stJohns), time.Date(2009, time.November, 2, 0, 0, 0, 0, stJohns))
		require.NoError(t, err)
		at := time.Date(2009, time.November, 1, 12, 0, 0, 0, stJohns)
		assert.Equal(t, quota.Elapsed(p, at, nil), quota.Elapsed(p, at, every))
	})
	t.Run("midnight_gap", func(t *testing.T) {
		// Santiago springs forward at midnight: September 6, 2026 begins at
		// 01:00. September has 22 weekdays; by noon on Wednesday the 16th
		// 11 have passed and half of the 12th: 11.5/22.
		santiago := location(t, "America/Santiago")
		sep := sp.Month(2026, time.September, santiago)
		at := time.Date(2026, time.September, 16, 12, 0, 0, 0, santiago)
		got := make(chan sp.Fraction, 1)
		go func() { got <- quota.Elapsed(sep, at, quota.Weekdays()) }()
		select {
		case e := <-got:
			assert.Equal(t, sp.Fraction{Num: 23, Den: 44}, e)
		case <-time.After(10 * time.Second):
			t.Fatal("Elapsed does not return across a day that begins at 01:00")
		}
	})
}

func TestAttainWorkingDays(t *testing.T) {
	n := newNovember(t)
	goals := []quota.Goal{{Rep: "r1", Period: n.month, Revenue: money(t, "10000.00 EUR")}}
	got, err := quota.Attain(goals, n.seq(), n.asOf(), &quota.Options{Calendar: quota.Weekdays()})
	require.NoError(t, err)
	assert.Equal(t, sp.Fraction{Num: 10, Den: 21}, got[0].Elapsed)
	assert.Equal(t, "4761.90 EUR", got[0].Expected.String(), "10000 × 10/21")
	assert.Equal(t, "84.01", got[0].Pace.String())
}

func TestAttainOutcomeByDefinition(t *testing.T) {
	spec := pipeline.DefaultSpec()
	spec.Name = "b2b"
	for i := range spec.Stages {
		switch spec.Stages[i].Key {
		case pipeline.DealWon:
			spec.Stages[i].Key = "signed"
		case pipeline.DealLost:
			spec.Stages[i].Key = "dropped"
		}
	}
	spec.Reopen = nil
	def, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	n := newNovember(t)
	deals := []pipeline.Deal{
		won("a", "r1", "north", money(t, "100.00 EUR"), n.month.Start()),
		won("b", "r1", "north", money(t, "200.00 EUR"), n.month.Start()),
		lost("c", "r1", "north", n.month.Start()),
	}
	deals[0].Pipeline, deals[0].Stage = "b2b", "signed"
	deals[1].Pipeline, deals[1].Stage = "b2b", pipeline.DealWon // not a stage of b2b: open
	deals[2].Pipeline, deals[2].Stage = "b2b", "dropped"
	goals := []quota.Goal{{Rep: "r1", Period: n.month, Revenue: money(t, "1000.00 EUR")}}
	got, err := quota.Attain(goals, quota.Refs(deals), n.asOf(), &quota.Options{Outcome: quota.OutcomeBy(def, nil)})
	require.NoError(t, err)
	assert.Equal(t, "100.00 EUR", got[0].Attained.String())
	assert.Equal(t, quota.Rate{Num: 1, Den: 2}, got[0].WinRate)

	// Deals of pipelines not given fall back to the default.
	deals[0].Pipeline = "other"
	deals[0].Stage = pipeline.DealWon
	got, err = quota.Attain(goals, quota.Refs(deals), n.asOf(), &quota.Options{Outcome: quota.OutcomeBy(def, def)})
	require.NoError(t, err)
	assert.Equal(t, "100.00 EUR", got[0].Attained.String())

	assert.Equal(t, []pipeline.DealStage{"prospecting", "qualification", "proposal", "negotiation", "signed"}, quota.FunnelStages(def))
	assert.Equal(t, []pipeline.DealStage{"prospecting", "qualification", "proposal", "negotiation", "won"}, quota.FunnelStages(nil))
}

func TestRecords(t *testing.T) {
	n := newNovember(t)
	listing := func(yield func(pipeline.Deal, error) bool) {
		for _, d := range n.deals[:3] {
			if !yield(d, nil) {
				return
			}
		}
		yield(pipeline.Deal{}, sp.ErrConflict)
	}
	var readErr error
	goals := []quota.Goal{{Period: n.month, Revenue: money(t, "100.00 EUR")}}
	got, err := quota.Attain(goals, quota.Records(listing, &readErr), n.asOf(), nil)
	require.NoError(t, err)
	require.ErrorIs(t, readErr, sp.ErrConflict)
	assert.Equal(t, "6500.50 EUR", got[0].Attained.String(), "the deals before the error")

	// Stopping early, and a nil error pointer, are fine.
	for range quota.Records(listing, nil) {
		break
	}
	for range quota.Records(listing, nil) {
	}
	for range quota.Refs(n.deals) {
		break
	}
}

// A goal's attainment does not depend on the other goals of the pass: a
// rep with several goals (a month's revenue, a product's, a deal count)
// gets, for each, what the goal alone gets; deals of reps without goals,
// or without an owner, count for none.
func TestAttainRepWithSeveralGoals(t *testing.T) {
	n := newNovember(t)
	for i := range n.deals {
		// IDs of four bytes or more, as reps' IDs are: found by their hash.
		n.deals[i].Owner = "rep-" + n.deals[i].Owner
	}
	unowned := won("d11", "", "north", money(t, "50.00 EUR"), time.Date(2026, time.November, 4, 10, 0, 0, 0, n.loc))
	n.deals = append(n.deals, unowned)
	n.deals[1].Product = "p2"
	goals := []quota.Goal{
		{Rep: "rep-r1", Period: n.month, Revenue: money(t, "10000.00 EUR")},
		{Rep: "rep-r2", Period: n.month, Revenue: money(t, "3000.00 EUR")},
		{Rep: "rep-r1", Product: "p2", Period: n.month, Revenue: money(t, "2000.00 EUR")},
		{Rep: "rep-r1", Period: n.month, Deals: 3},
	}
	got, err := quota.Attain(goals, n.seq(), n.asOf(), nil)
	require.NoError(t, err)
	require.Len(t, got, len(goals))
	for i, g := range goals {
		alone, err := quota.Attain([]quota.Goal{g}, n.seq(), n.asOf(), nil)
		require.NoError(t, err)
		assert.Equal(t, alone[0], got[i], "goal %d", i)
	}
	// r1: d1 and d2 (p2) won, d4 lost; d7 is December in Berlin, d8 after
	// the as-of time.
	assert.Equal(t, "4000.50 EUR", got[0].Attained.String())
	assert.Equal(t, "2900.00 EUR", got[1].Attained.String())
	assert.Equal(t, "1000.50 EUR", got[2].Attained.String())
	assert.Equal(t, "2 deals", got[3].Attained.String())
	assert.Equal(t, int64(1), got[0].Lost)
	assert.Equal(t, int64(0), got[2].Lost, "the lost deal is of p1")
}

// TestAttainStatusByExactPace pins what Attainment's doc says: the status
// goes by the exact pace, not by Pace rounded to two places, and Pace by
// target × Elapsed, not by the rounded Expected.
func TestAttainStatusByExactPace(t *testing.T) {
	lisbon := location(t, "Europe/Lisbon")
	mar := sp.Month(2027, time.March, lisbon)
	asOf := time.Date(2027, time.March, 16, 0, 0, 0, 0, lisbon) // 15/31
	goals := []quota.Goal{
		{Rep: "r1", Period: mar, Revenue: money(t, "120000.00 EUR")},
		{Rep: "r2", Period: mar, Revenue: money(t, "100000.00 EUR")},
		{Rep: "r3", Period: mar, Deals: 35},
	}
	at := mar.Start().Add(time.Hour)
	deals := []pipeline.Deal{
		won("d1", "r1", "south", money(t, "58061.90 EUR"), at), // 99.9955 % of 58064.516…
		won("d2", "r2", "south", money(t, "38709.67 EUR"), at), // 79.99998 % of 48387.096…
	}
	for i := range 8 {
		deals = append(deals, won(fmt.Sprintf("c%d", i), "r3", "south", money(t, "1.00 EUR"), at))
	}
	got, err := quota.Attain(goals, quota.Refs(deals), asOf, nil)
	require.NoError(t, err)
	assert.Equal(t, "100", got[0].Pace.String())
	assert.Equal(t, quota.StatusBehind, got[0].Status)
	assert.Equal(t, "80", got[1].Pace.String())
	assert.Equal(t, quota.StatusAtRisk, got[1].Status)
	assert.Equal(t, "16.94 deals", got[2].Expected.String())
	assert.Equal(t, "47.24", got[2].Pace.String(), "8 of 35 × 15/31 = 16.935…, not of the rounded 16.94 (47.23)")
}

// A calendar is asked about each day of the period: over more than 100
// years, pacing is by wall-clock time, so that a goal of 0001 to 9999 read
// from a host's file is paced at once rather than in seconds.
func TestElapsedCalendarOverCenturies(t *testing.T) {
	ny := location(t, "America/New_York")
	asked := 0
	cal := quota.CalendarFunc(func(day time.Time) bool { asked++; return day.Weekday() != time.Sunday })
	whole, err := sp.NewPeriod(time.Date(1, time.January, 1, 0, 0, 0, 0, ny), time.Date(9999, time.December, 31, 0, 0, 0, 0, ny))
	require.NoError(t, err)
	at := time.Date(2026, time.November, 29, 12, 0, 0, 0, ny)
	assert.Equal(t, quota.Elapsed(whole, at, nil), quota.Elapsed(whole, at, cal))
	assert.Zero(t, asked, "the calendar is not asked")

	century, err := sp.NewPeriod(sp.DayStart(2000, time.January, 1, ny), sp.DayStart(2100, time.January, 1, ny))
	require.NoError(t, err)
	got := quota.Elapsed(century, at, cal)
	assert.NotEqual(t, quota.Elapsed(century, at, nil), got, "100 years are paced by the calendar")
	assert.Equal(t, 36525, asked, "asked about each day")
	more, err := sp.NewPeriod(century.Start(), century.End().Add(time.Nanosecond))
	require.NoError(t, err)
	assert.Equal(t, quota.Elapsed(more, at, nil), quota.Elapsed(more, at, cal), "a nanosecond more is not")
}
