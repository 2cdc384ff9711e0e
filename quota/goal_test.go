package quota_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

func TestGoalValidate(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	tests := []struct {
		name  string
		goal  quota.Goal
		field string // empty: valid
	}{
		{name: "ok_rep_revenue", goal: quota.Goal{Rep: "r1", Region: "north", Period: nov, Revenue: cents(100)}},
		{name: "ok_company_deals", goal: quota.Goal{Period: nov, Deals: 3}},
		{name: "err_both_targets", goal: quota.Goal{Period: nov, Revenue: cents(100), Deals: 3}, field: "goal"},
		{name: "err_no_target", goal: quota.Goal{Period: nov}, field: "goal"},
		{name: "err_zero_revenue", goal: quota.Goal{Period: nov, Revenue: cents(0)}, field: "goal.revenue"},
		{name: "err_negative_revenue", goal: quota.Goal{Period: nov, Revenue: cents(-5)}, field: "goal.revenue"},
		{name: "err_negative_deals", goal: quota.Goal{Period: nov, Deals: -2}, field: "goal.deals"},
		{name: "err_missing_period", goal: quota.Goal{Revenue: cents(100)}, field: "goal.period"},
		{name: "err_rep_id", goal: quota.Goal{Rep: " r1", Period: nov, Deals: 1}, field: "goal.rep"},
		{name: "err_region_id", goal: quota.Goal{Region: "a\x00b", Period: nov, Deals: 1}, field: "goal.region"},
		{name: "err_product_id", goal: quota.Goal{Product: "p ", Period: nov, Deals: 1}, field: "goal.product"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.goal.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

// TestFoldedPeriod checks a goal whose period daylight saving folds to no
// wall-clock time: from 02:30 summer time to 02:30 winter time on the night
// the clocks go back. Its shares by wall-clock time are undefined, so it
// is refused, not divided by zero.
func TestFoldedPeriod(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	fold := func(from, to time.Time) sp.Period {
		p, err := sp.NewPeriod(from.In(berlin), to)
		require.NoError(t, err)
		return p
	}
	utc := func(h, m int) time.Time { return time.Date(2026, time.October, 25, h, m, 0, 0, time.UTC) }
	at := utc(1, 0) // within the folded hour
	for name, p := range map[string]sp.Period{
		"none": fold(utc(0, 30), utc(1, 30)), // 02:30 CEST to 02:30 CET
		"less": fold(utc(0, 45), utc(1, 15)), // 02:45 CEST to 02:15 CET
		// The folded hour counts once, the first pass up to 02:30 and the
		// second from 02:30 on: ten minutes of either pass beyond that
		// measure nothing, though the wall clock moves on.
		"first_pass_late":   fold(utc(0, 40), utc(0, 50)), // 02:40 CEST to 02:50 CEST
		"second_pass_early": fold(utc(1, 10), utc(1, 20)), // 02:10 CET to 02:20 CET
	} {
		t.Run(name, func(t *testing.T) {
			g := quota.Goal{Rep: "r1", Period: p, Revenue: cents(10000)}
			err := g.Validate()
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "goal.period", ve.Field)
			require.NotPanics(t, func() {
				_, err = quota.Prorate(g, p)
				assert.ErrorIs(t, err, sp.ErrInvalid, "prorate")
				_, err = quota.Reassign(g, at, "south")
				assert.ErrorIs(t, err, sp.ErrInvalid, "reassign")
				_, err = quota.Attain([]quota.Goal{g}, nil, at, nil)
				assert.ErrorIs(t, err, sp.ErrInvalid, "attain")
				_, err = quota.Forecast([]quota.Goal{g}, nil, at, nil)
				assert.ErrorIs(t, err, sp.ErrInvalid, "forecast")
			})
			nov := quota.Goal{Rep: "r1", Period: sp.Month(2026, time.October, berlin), Revenue: cents(10000)}
			_, err = quota.Prorate(nov, p)
			assert.ErrorIs(t, err, sp.ErrInvalid, "as a part")
		})
	}
}

func TestGoalSubject(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	tests := []struct {
		name   string
		goal   quota.Goal
		level  quota.Level
		metric quota.Metric
		str    string
		key    quota.GoalKey
	}{
		{name: "rep", goal: quota.Goal{Rep: "r1", Region: "north", Period: nov, Revenue: cents(100000)},
			level: quota.LevelRep, metric: quota.MetricRevenue, str: "rep r1 (north) 2026-11: 1000.00 EUR",
			key: quota.GoalKey{Rep: "r1", Region: "north", Period: "2026-11", Metric: quota.MetricRevenue}},
		{name: "region", goal: quota.Goal{Region: "north", Product: "p1", Period: nov, Deals: 4},
			level: quota.LevelRegion, metric: quota.MetricWonDeals, str: "region north product p1 2026-11: 4 deals",
			key: quota.GoalKey{Region: "north", Product: "p1", Period: "2026-11", Metric: quota.MetricWonDeals}},
		{name: "company", goal: quota.Goal{Period: nov, Deals: 40}, level: quota.LevelCompany, metric: quota.MetricWonDeals, str: "company 2026-11: 40 deals",
			key: quota.GoalKey{Period: "2026-11", Metric: quota.MetricWonDeals}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.level, tt.goal.Level())
			assert.Equal(t, tt.metric, tt.goal.Metric())
			assert.Equal(t, tt.metric, tt.goal.Target().Metric())
			assert.Equal(t, tt.str, tt.goal.String())
			roundTrip(t, tt.goal)
			assert.Equal(t, tt.key, tt.goal.Key())
		})
	}
}

func TestSpread(t *testing.T) {
	q4 := sp.Quarter(2026, 4, location(t, "Europe/Berlin"))
	tests := []struct {
		name    string
		goal    quota.Goal
		weights []string
		want    []string
	}{
		{name: "equal", goal: quota.Goal{Rep: "r1", Period: q4, Revenue: cents(10000)}, want: []string{"33.34 EUR", "33.33 EUR", "33.33 EUR"}},
		{name: "weights", goal: quota.Goal{Rep: "r1", Period: q4, Revenue: cents(100)}, weights: []string{"1", "2", "0"}, want: []string{"0.33 EUR", "0.67 EUR", "0.00 EUR"}},
		{name: "seasonal", goal: quota.Goal{Period: q4, Revenue: money(t, "90000.00 EUR")}, weights: []string{"0.25", "0.3", "0.45"},
			want: []string{"22500.00 EUR", "27000.00 EUR", "40500.00 EUR"}},
		{name: "deals", goal: quota.Goal{Region: "north", Period: q4, Deals: 10}, want: []string{"4 deals", "3 deals", "3 deals"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var weights []decimal.Decimal
			for _, w := range tt.weights {
				weights = append(weights, dec(t, w))
			}
			months, err := quota.Spread(tt.goal, weights)
			require.NoError(t, err)
			require.Len(t, months, 3)
			var got []string
			for i, g := range months {
				got = append(got, g.Target().String())
				assert.Equal(t, time.Month(10+i), g.Period.Start().Month())
				assert.Equal(t, sp.KindMonth, g.Period.Kind())
				assert.Equal(t, tt.goal.Rep, g.Rep)
				assert.Equal(t, tt.goal.Region, g.Region)
			}
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("errors", func(t *testing.T) {
		g := quota.Goal{Period: q4, Revenue: cents(100)}
		for name, weights := range map[string][]decimal.Decimal{
			"err_count":    {dec(t, "1")},
			"err_negative": {dec(t, "1"), dec(t, "-1"), dec(t, "1")},
			"err_all_zero": {dec(t, "0"), dec(t, "0"), dec(t, "0")},
		} {
			_, err := quota.Spread(g, weights)
			assert.ErrorIs(t, err, sp.ErrInvalid, name)
		}
		_, err := quota.Spread(quota.Goal{Period: q4}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

// TestSpreadSumsExactly spreads random goals by random weights: the months
// always sum exactly to the goal.
func TestSpreadSumsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	year := sp.Year(2026, location(t, "America/New_York"))
	for range 500 {
		weights := make([]decimal.Decimal, 12)
		for i := range weights {
			weights[i] = decimal.New(r.Int64N(10000), -int32(r.IntN(4)))
		}
		weights[r.IntN(12)] = decimal.New(1, 0) // not all zero
		revenue := quota.Goal{Period: year, Revenue: cents(r.Int64N(1e12) + 1)}
		deals := quota.Goal{Period: year, Deals: r.Int64N(1000) + 1}
		for _, g := range []quota.Goal{revenue, deals} {
			months, err := quota.Spread(g, weights)
			require.NoError(t, err)
			requireSum(t, g, months)
		}
	}
}

// requireSum requires the targets of parts to sum exactly to g's.
func requireSum(tb testing.TB, g quota.Goal, parts []quota.Goal) {
	tb.Helper()
	if g.Metric() == quota.MetricRevenue {
		var ms []sp.Money
		for _, p := range parts {
			ms = append(ms, p.Revenue)
		}
		sum, err := sp.Sum(g.Revenue.Currency(), slices.Values(ms))
		require.NoError(tb, err)
		require.True(tb, sum.Equal(g.Revenue), "parts sum to %s, goal %s", sum, g.Revenue)
		return
	}
	var n int64
	for _, p := range parts {
		require.GreaterOrEqual(tb, p.Deals, int64(0))
		n += p.Deals
	}
	require.Equal(tb, g.Deals, n)
}

func FuzzSpread(f *testing.F) {
	f.Add(int64(10000), int64(3), int64(1), int64(2), int64(3), uint8(2))
	f.Add(int64(1), int64(0), int64(0), int64(1), int64(0), uint8(0))
	f.Add(int64(-5), int64(1), int64(1), int64(1), int64(1), uint8(1))
	f.Fuzz(func(t *testing.T, amount, deals, w1, w2, w3 int64, places uint8) {
		q := sp.Quarter(2026, 1, nil)
		weights := []decimal.Decimal{decimal.New(w1, -int32(places%20)), decimal.New(w2, 0), decimal.New(w3, -1)}
		for _, g := range []quota.Goal{{Period: q, Revenue: cents(amount)}, {Period: q, Deals: deals}} {
			months, err := quota.Spread(g, weights)
			if err != nil {
				require.ErrorIs(t, err, sp.ErrInvalid)
				continue
			}
			require.Len(t, months, 3)
			requireSum(t, g, months)
		}
	})
}

func TestProrate(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	nov := sp.Month(2026, time.November, berlin)
	g := quota.Goal{Rep: "r1", Region: "north", Period: nov, Revenue: money(t, "3000.00 EUR")}
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 0, 0, 0, 0, berlin) }
	part := func(from, to time.Time) sp.Period {
		p, err := sp.NewPeriod(from, to)
		require.NoError(t, err)
		return p
	}
	t.Run("hired_on_the_11th", func(t *testing.T) {
		parts, err := quota.Prorate(g, part(day(11), nov.End()))
		require.NoError(t, err)
		require.Len(t, parts, 1)
		assert.Equal(t, "2000.00 EUR", parts[0].Revenue.String(), "20 of 30 days")
		assert.True(t, parts[0].Period.Start().Equal(day(11)))
	})
	t.Run("whole_month_in_three", func(t *testing.T) {
		parts, err := quota.Prorate(g, part(day(1), day(8)), part(day(8), day(19)), part(day(19), nov.End()))
		require.NoError(t, err)
		requireSum(t, g, parts)
		assert.Equal(t, "700.00 EUR", parts[0].Revenue.String())
	})
	t.Run("deals", func(t *testing.T) {
		dg := quota.Goal{Rep: "r1", Period: nov, Deals: 7}
		parts, err := quota.Prorate(dg, part(day(1), day(16)), part(day(16), nov.End()))
		require.NoError(t, err)
		requireSum(t, dg, parts)
	})
	t.Run("dst_month_by_days", func(t *testing.T) {
		// March 2026 in Berlin has 31 days of which one is 23 hours long:
		// proration counts calendar days, not elapsed hours.
		mar := sp.Month(2026, time.March, berlin)
		mg := quota.Goal{Period: mar, Revenue: money(t, "3100.00 EUR")}
		p, err := sp.NewPeriod(time.Date(2026, time.March, 30, 0, 0, 0, 0, berlin), mar.End())
		require.NoError(t, err)
		parts, err := quota.Prorate(mg, p)
		require.NoError(t, err)
		assert.Equal(t, "200.00 EUR", parts[0].Revenue.String())
	})
	t.Run("centuries_with_bounds_off_whole_seconds", func(t *testing.T) {
		// A goal of a thousand years from a nanosecond past midnight: the
		// share of the first part is exact in nanoseconds with a
		// denominator near 2.9e18, that of the second counted in whole
		// seconds, and the least common multiple of the two denominators
		// is beyond int64.
		start := time.Date(1000, time.January, 1, 0, 0, 0, 1, time.UTC)
		lg := quota.Goal{Period: part(start, time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)), Revenue: money(t, "1000000.00 EUR")}
		mid := time.Unix(start.Unix()+15778454399, int64(start.Nanosecond())+999999994).UTC()
		a, b := part(start, mid), part(mid, mid.AddDate(100, 0, 0).Add(123456789))
		require.Greater(t, lg.Period.Coverage(a).Den, int64(1e18))
		parts, err := quota.Prorate(lg, a, b)
		require.NoError(t, err)
		assert.Equal(t, "500000.00 EUR", parts[0].Revenue.String(), "half the span")
		assert.Equal(t, "99999.45 EUR", parts[1].Revenue.String(), "36524 days and a second of 365242 days")
	})
	t.Run("errors", func(t *testing.T) {
		for name, parts := range map[string][]sp.Period{
			"err_none":     nil,
			"err_empty":    {{}},
			"err_outside":  {part(day(20), day(20).AddDate(0, 0, 20))},
			"err_overlaps": {part(day(1), day(10)), part(day(9), day(12))},
		} {
			_, err := quota.Prorate(g, parts...)
			assert.ErrorIs(t, err, sp.ErrInvalid, name)
		}
		_, err := quota.Prorate(quota.Goal{Period: nov}, nov)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

// TestProrateSumsExactly cuts months at random times into random parts:
// parts that cover the month always sum exactly to its goal.
func TestProrateSumsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	loc := location(t, "Australia/Sydney")
	for range 300 {
		m := sp.Month(2026, time.Month(r.IntN(12)+1), loc)
		cuts := []time.Time{m.Start()}
		for range r.IntN(5) {
			cuts = append(cuts, m.Start().Add(time.Duration(r.Int64N(int64(m.Duration())))))
		}
		cuts = append(cuts, m.End())
		slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
		var parts []sp.Period
		for i := 1; i < len(cuts); i++ {
			if p, err := sp.NewPeriod(cuts[i-1], cuts[i]); err == nil {
				parts = append(parts, p)
			}
		}
		for _, g := range []quota.Goal{{Period: m, Revenue: cents(r.Int64N(1e10) + 1)}, {Period: m, Deals: r.Int64N(50) + 1}} {
			out, err := quota.Prorate(g, parts...)
			require.NoError(t, err)
			requireSum(t, g, out)
		}
	}
}

func TestReassign(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	nov := sp.Month(2026, time.November, berlin)
	g := quota.Goal{Rep: "r1", Region: "north", Period: nov, Revenue: money(t, "3000.00 EUR")}
	t.Run("mid_month", func(t *testing.T) {
		parts, err := quota.Reassign(g, time.Date(2026, time.November, 16, 0, 0, 0, 0, berlin), "south")
		require.NoError(t, err)
		require.Len(t, parts, 2)
		assert.Equal(t, sp.RegionID("north"), parts[0].Region)
		assert.Equal(t, sp.RegionID("south"), parts[1].Region)
		assert.Equal(t, "1500.00 EUR", parts[0].Revenue.String())
		requireSum(t, g, parts)
		assert.True(t, parts[0].Period.End().Equal(parts[1].Period.Start()))
	})
	t.Run("zero_part", func(t *testing.T) {
		// Two days of thirty of a goal of three deals round to none: the
		// part exists, and Attain, as Goal.Validate, refuses it.
		deals := quota.Goal{Rep: "r1", Region: "north", Period: nov, Deals: 3}
		parts, err := quota.Reassign(deals, time.Date(2026, time.November, 3, 0, 0, 0, 0, berlin), "south")
		require.NoError(t, err)
		require.Len(t, parts, 2)
		assert.Equal(t, int64(0), parts[0].Deals)
		assert.Equal(t, int64(3), parts[1].Deals)
		assert.ErrorIs(t, parts[0].Validate(), sp.ErrInvalid)
		_, err = quota.Attain(parts, nil, nov.End(), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.Attain(parts[1:], nil, nov.End(), nil)
		assert.NoError(t, err)
	})
	t.Run("before_start", func(t *testing.T) {
		parts, err := quota.Reassign(g, nov.Start(), "south")
		require.NoError(t, err)
		require.Len(t, parts, 1)
		assert.Equal(t, sp.RegionID("south"), parts[0].Region)
	})
	t.Run("after_end", func(t *testing.T) {
		parts, err := quota.Reassign(g, nov.End(), "south")
		require.NoError(t, err)
		assert.Equal(t, []quota.Goal{g}, parts)
	})
	t.Run("errors", func(t *testing.T) {
		_, err := quota.Reassign(quota.Goal{Region: "north", Period: nov, Deals: 2}, nov.Start(), "south")
		assert.ErrorIs(t, err, sp.ErrInvalid, "not a rep's goal")
		_, err = quota.Reassign(g, nov.Start(), "")
		assert.ErrorIs(t, err, sp.ErrInvalid, "no region")
		_, err = quota.Reassign(quota.Goal{Rep: "r1"}, nov.Start(), "south")
		assert.ErrorIs(t, err, sp.ErrInvalid, "invalid goal")
	})
}

// When the proration inside Reassign or Ramp.Goals fails, the message
// carries the package prefix once.
func TestProrateErrorsInsideReassignAndRamp(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	utc := func(h, m int) time.Time { return time.Date(2026, time.October, 25, h, m, 0, 0, time.UTC) }
	// 02:30 summer time to 02:40 winter time lasts wall-clock time; a move
	// at 02:10 winter time leaves a first part from 02:30 to 02:10, which
	// daylight saving folds to none.
	p, err := sp.NewPeriod(utc(0, 30).In(berlin), utc(1, 40))
	require.NoError(t, err)
	g := quota.Goal{Rep: "r1", Region: "north", Period: p, Revenue: cents(10000)}
	require.NoError(t, g.Validate())
	before, err := sp.NewPeriod(utc(0, 30).In(berlin), utc(1, 10))
	require.NoError(t, err)
	_, err = quota.Reassign(g, utc(1, 10), "south")
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, "quota: reassign: prorate: invalid parts[0]: "+before.String()+
		" lasts no wall-clock time: daylight saving folds it", err.Error())
}

// A ramp's start is checked in the ramp's Location, where its day is
// taken, not in its own zone: a start in year 1 that falls in year 0 there
// is refused as ramp.start.
func TestRampStartYearInLocation(t *testing.T) {
	r := quota.Ramp{Rep: "r1", Start: time.Date(1, time.January, 1, 0, 30, 0, 0, time.FixedZone("", 3600)),
		Monthly: cents(10000)}
	_, err := r.Goals(1)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, "quota: ramp: invalid ramp.start: year 0 in UTC outside 1 to 9000", err.Error())

	r.Start = time.Date(1, time.January, 1, 2, 0, 0, 0, time.UTC)
	r.Location = location(t, "America/New_York")
	_, err = r.Goals(1)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, "quota: ramp: invalid ramp.start: year 0 in America/New_York outside 1 to 9000", err.Error())

	r.Start = time.Date(9000, time.December, 31, 23, 0, 0, 0, time.UTC)
	r.Location = location(t, "Europe/Berlin") // year 9001 there
	_, err = r.Goals(1)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ramp.start", ve.Field)

	r.Start = time.Date(1, time.January, 1, 23, 0, 0, 0, time.FixedZone("", 3600)) // year 1 in UTC
	r.Location = nil
	goals, err := r.Goals(1)
	require.NoError(t, err)
	require.Len(t, goals, 1)
	assert.Equal(t, "0001-01", goals[0].Period.String())
}

func TestRampGoals(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	ramp := quota.Ramp{
		Rep: "r1", Region: "north",
		Start:    time.Date(2026, time.November, 11, 15, 30, 0, 0, berlin),
		Monthly:  money(t, "3000.00 EUR"),
		Steps:    []decimal.Decimal{dec(t, "0.25"), dec(t, "0.5"), dec(t, "0.75")},
		Location: berlin,
	}
	require.NoError(t, ramp.Validate())
	goals, err := ramp.Goals(5)
	require.NoError(t, err)
	var got []string
	for _, g := range goals {
		require.NoError(t, g.Validate())
		got = append(got, g.Period.String()+" "+g.Revenue.String())
	}
	assert.Equal(t, []string{
		"2026-11-11/2026-12-01[Europe/Berlin] 500.00 EUR", // 750 × 20/30
		"2026-12[Europe/Berlin] 1500.00 EUR",
		"2027-01[Europe/Berlin] 2250.00 EUR",
		"2027-02[Europe/Berlin] 3000.00 EUR",
		"2027-03[Europe/Berlin] 3000.00 EUR",
	}, got)

	t.Run("zero_step_and_first_of_month", func(t *testing.T) {
		r := ramp
		r.Start = time.Date(2026, time.December, 1, 9, 0, 0, 0, berlin)
		r.Steps = []decimal.Decimal{dec(t, "0"), dec(t, "0.333")}
		r.Monthly = money(t, "1000.01 EUR")
		goals, err := r.Goals(3)
		require.NoError(t, err)
		require.Len(t, goals, 2, "the zero month gets no goal")
		assert.Equal(t, "333.00 EUR", goals[0].Revenue.String(), "1000.01 × 0.333 = 333.00333, half-up")
		assert.Equal(t, "2027-01[Europe/Berlin]", goals[0].Period.String())
	})
	t.Run("step_one_and_half_cent_rounds_up", func(t *testing.T) {
		r := ramp
		r.Start = time.Date(2026, time.December, 1, 9, 0, 0, 0, berlin)
		r.Steps = []decimal.Decimal{dec(t, "0.5"), dec(t, "1")}
		r.Monthly = money(t, "0.05 EUR")
		goals, err := r.Goals(2)
		require.NoError(t, err, "a step of exactly 1 is inside 0 to 1")
		require.Len(t, goals, 2)
		assert.Equal(t, "0.03 EUR", goals[0].Revenue.String(), "0.05 × 0.5 = 0.025, half-up, not half-even 0.02")
		assert.Equal(t, "0.05 EUR", goals[1].Revenue.String())
	})
	t.Run("utc_default", func(t *testing.T) {
		r := ramp
		r.Location = nil
		r.Start = time.Date(2026, time.November, 30, 23, 30, 0, 0, time.UTC)
		goals, err := r.Goals(1)
		require.NoError(t, err)
		require.Len(t, goals, 1)
		assert.Equal(t, "25.00 EUR", goals[0].Revenue.String(), "750 × 1/30")
	})
	t.Run("first_day_begins_after_midnight", func(t *testing.T) {
		// Santiago springs forward at midnight: September 6, 2026 begins at
		// 01:00, and 25 of September's 30 days are left from it.
		santiago := location(t, "America/Santiago")
		r := quota.Ramp{Rep: "r1", Start: time.Date(2026, time.September, 6, 12, 0, 0, 0, santiago),
			Monthly: money(t, "3000.00 EUR"), Location: santiago}
		goals, err := r.Goals(1)
		require.NoError(t, err)
		require.Len(t, goals, 1)
		assert.Equal(t, "2026-09-06/2026-10-01[America/Santiago]", goals[0].Period.String())
		assert.Equal(t, "2500.00 EUR", goals[0].Revenue.String(), "3000 × 25/30")
	})
	t.Run("errors", func(t *testing.T) {
		for name, r := range map[string]quota.Ramp{
			"err_rep":     {Start: ramp.Start, Monthly: ramp.Monthly},
			"err_region":  {Rep: "r1", Region: " x", Start: ramp.Start, Monthly: ramp.Monthly},
			"err_start":   {Rep: "r1", Monthly: ramp.Monthly},
			"err_monthly": {Rep: "r1", Start: ramp.Start, Monthly: cents(0)},
			"err_unset":   {Rep: "r1", Start: ramp.Start},
			"err_step":    {Rep: "r1", Start: ramp.Start, Monthly: ramp.Monthly, Steps: []decimal.Decimal{dec(t, "1.5")}},
			"err_year":    {Rep: "r1", Start: time.Date(9500, 1, 1, 0, 0, 0, 0, time.UTC), Monthly: ramp.Monthly},
		} {
			_, err := r.Goals(3)
			assert.ErrorIs(t, err, sp.ErrInvalid, name)
		}
		_, err := ramp.Goals(0)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = ramp.Goals(1201)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestRollUp(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	nov := sp.Month(2026, time.November, berlin)
	half := func(from, to int) sp.Period {
		p, err := sp.NewPeriod(time.Date(2026, time.November, from, 0, 0, 0, 0, berlin), time.Date(2026, time.November, to, 0, 0, 0, 0, berlin))
		require.NoError(t, err)
		return p
	}
	goals := []quota.Goal{
		{Period: nov, Revenue: money(t, "10000.00 EUR")},
		{Region: "north", Period: nov, Revenue: money(t, "6000.00 EUR")},
		{Region: "south", Period: nov, Revenue: money(t, "3000.00 EUR")},
		{Rep: "a", Region: "north", Period: nov, Revenue: money(t, "2500.00 EUR")},
		{Rep: "b", Region: "north", Period: nov, Revenue: money(t, "2500.00 EUR")},
		// c moved from north to south on the 16th.
		{Rep: "c", Region: "north", Period: half(1, 16), Revenue: money(t, "1000.00 EUR")},
		{Rep: "c", Region: "south", Period: half(16, 31), Revenue: money(t, "1000.00 EUR")},
		{Rep: "d", Region: "west", Period: nov, Revenue: money(t, "1200.00 EUR")},
		// Skipped: another month, another metric, a product goal.
		{Rep: "a", Region: "north", Period: nov.Next(), Revenue: money(t, "9999.00 EUR")},
		{Rep: "a", Region: "north", Period: nov, Deals: 3},
		{Rep: "a", Region: "north", Product: "p1", Period: nov, Revenue: money(t, "100.00 EUR")},
	}
	root, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values(goals))
	require.NoError(t, err)
	assert.Equal(t, quota.LevelCompany, root.Level)
	assert.True(t, root.HasOwn)
	assert.Equal(t, "10000.00 EUR", root.Own.String())
	assert.Equal(t, "10200.00 EUR", root.Parts.String(), "north 6000 + south 3000 + west (reps) 1200")
	assert.Equal(t, "-200.00 EUR", root.Discrepancy.String())
	require.Len(t, root.Children, 3)
	north, south, west := root.Children[0], root.Children[1], root.Children[2]
	assert.Equal(t, sp.RegionID("north"), north.Region)
	assert.Equal(t, "6000.00 EUR", north.Parts.String(), "a 2500 + b 2500 + c's first half 1000")
	assert.Equal(t, "0.00 EUR", north.Discrepancy.String())
	assert.Equal(t, "1000.00 EUR", south.Parts.String())
	assert.Equal(t, "2000.00 EUR", south.Discrepancy.String())
	assert.False(t, west.HasOwn)
	assert.Equal(t, "0.00 EUR", west.Discrepancy.String())
	require.Len(t, north.Children, 3)
	assert.Equal(t, []sp.RepID{"a", "b", "c"}, []sp.RepID{north.Children[0].Rep, north.Children[1].Rep, north.Children[2].Rep})
	assert.Equal(t, quota.LevelRep, north.Children[0].Level)
	for _, rep := range north.Children {
		assert.Equal(t, "0.00 EUR", rep.Discrepancy.String(), "rep %s has no children", rep.Rep)
	}
	roundTrip(t, root)

	t.Run("deals", func(t *testing.T) {
		root, err := quota.RollUp(nov, quota.MetricWonDeals, slices.Values(goals))
		require.NoError(t, err)
		assert.False(t, root.HasOwn)
		assert.Equal(t, "3 deals", root.Parts.String())
	})
	t.Run("own_goal_without_children", func(t *testing.T) {
		// A discrepancy needs both an own goal and children to compare it
		// with: a region's goal without reps' is none.
		root, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values([]quota.Goal{
			{Region: "north", Period: nov, Revenue: money(t, "600.00 EUR")},
		}))
		require.NoError(t, err)
		require.Len(t, root.Children, 1)
		north := root.Children[0]
		assert.True(t, north.HasOwn)
		assert.Equal(t, "600.00 EUR", north.Own.String())
		assert.Equal(t, "0.00 EUR", north.Discrepancy.String())
		assert.Equal(t, "600.00 EUR", root.Parts.String())
	})
	t.Run("empty", func(t *testing.T) {
		root, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values([]quota.Goal(nil)))
		require.NoError(t, err)
		assert.Empty(t, root.Children)
		assert.False(t, root.HasOwn)
	})
	t.Run("regions_in_their_own_zones", func(t *testing.T) {
		// Each region's months are in its own zone: November in New York
		// and in Berlin are both within the company's November, and their
		// Octobers and Decembers are not, whatever instants they share.
		ny := location(t, "America/New_York")
		zoned := []quota.Goal{
			{Region: "eu", Period: nov, Revenue: money(t, "100.00 EUR")},
			{Region: "us", Period: sp.Month(2026, time.November, ny), Revenue: money(t, "200.00 EUR")},
			{Region: "eu", Period: nov.Prev(), Revenue: money(t, "1.00 EUR")},
			{Region: "us", Period: sp.Month(2026, time.December, ny), Revenue: money(t, "2.00 EUR")},
		}
		for _, company := range []sp.Period{sp.Month(2026, time.November, nil), nov} {
			root, err := quota.RollUp(company, quota.MetricRevenue, slices.Values(zoned))
			require.NoError(t, err, "%s", company)
			assert.Equal(t, "300.00 EUR", root.Parts.String(), "%s", company)
		}
		_, err := quota.RollUp(sp.Month(2026, time.November, nil), quota.MetricRevenue, slices.Values([]quota.Goal{
			{Region: "us", Period: sp.Quarter(2026, 4, ny), Revenue: money(t, "2.00 EUR")},
		}))
		assert.ErrorIs(t, err, sp.ErrInvalid, "a quarter straddles the month")
	})
	t.Run("company_month_begins_after_midnight", func(t *testing.T) {
		// In America/Asuncion clocks sprang forward at midnight on October
		// 1, 2023, so the company's October began at 01:00; a region's
		// October in UTC, which begins at midnight, lies within it all the
		// same.
		asu := location(t, "America/Asuncion")
		oct := sp.Month(2023, time.October, asu)
		root, err := quota.RollUp(oct, quota.MetricRevenue, slices.Values([]quota.Goal{
			{Period: oct, Revenue: money(t, "300.00 EUR")},
			{Region: "utc", Period: sp.Month(2023, time.October, nil), Revenue: money(t, "200.00 EUR")},
			{Region: "asu", Period: oct, Revenue: money(t, "100.00 EUR")},
		}))
		require.NoError(t, err)
		assert.Equal(t, "300.00 EUR", root.Parts.String())
		root, err = quota.RollUp(sp.Month(2023, time.October, nil), quota.MetricRevenue, slices.Values([]quota.Goal{
			{Region: "asu", Period: oct, Revenue: money(t, "100.00 EUR")},
		}))
		require.NoError(t, err)
		assert.Equal(t, "100.00 EUR", root.Parts.String())
	})
	t.Run("errors", func(t *testing.T) {
		straddle := []quota.Goal{{Period: sp.Quarter(2026, 4, berlin), Deals: 3}}
		_, err := quota.RollUp(nov, quota.MetricWonDeals, slices.Values(straddle))
		assert.ErrorIs(t, err, sp.ErrInvalid)
		// Starting within the period is not enough: a goal that runs past
		// its end straddles it too.
		late, err := sp.NewPeriod(time.Date(2026, time.November, 16, 0, 0, 0, 0, berlin), time.Date(2026, time.December, 16, 0, 0, 0, 0, berlin))
		require.NoError(t, err)
		_, err = quota.RollUp(nov, quota.MetricWonDeals, slices.Values([]quota.Goal{{Rep: "a", Period: late, Deals: 3}}))
		assert.ErrorIs(t, err, sp.ErrInvalid)
		mixed := []quota.Goal{{Period: nov, Revenue: cents(100)}, {Region: "x", Period: nov, Revenue: money(t, "5.00 USD")}}
		_, err = quota.RollUp(nov, quota.MetricRevenue, slices.Values(mixed))
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		_, err = quota.RollUp(nov, quota.MetricRevenue, slices.Values([]quota.Goal{{Period: nov}}))
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.RollUp(sp.Period{}, quota.MetricRevenue, slices.Values(goals))
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.RollUp(nov, "profit", slices.Values(goals))
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestAmount(t *testing.T) {
	rev := quota.Amount{Money: money(t, "12.50 EUR")}
	deals := quota.Amount{Deals: dec(t, "3.5")}
	assert.Equal(t, quota.MetricRevenue, rev.Metric())
	assert.Equal(t, quota.MetricWonDeals, deals.Metric())
	assert.Equal(t, quota.MetricWonDeals, quota.Amount{}.Metric())
	assert.Equal(t, "12.50 EUR", rev.String())
	assert.Equal(t, "3.5 deals", deals.String())
	assert.Equal(t, 1, rev.Sign())
	assert.Equal(t, 0, quota.Amount{}.Sign())
	assert.True(t, rev.Equal(quota.Amount{Money: money(t, "12.5 EUR")}))
	assert.False(t, rev.Equal(deals))
	roundTrip(t, rev)
	roundTrip(t, deals)
}

// TestRollupNodeJSONDepth checks that a roll-up nested far deeper than
// company, region and rep is refused at once: decoding each level reads
// the levels below it again, so a few thousand levels took seconds.
func TestRollupNodeJSONDepth(t *testing.T) {
	const levels = 1000
	doc := strings.Repeat(`{"level":"region","children":[`, levels) + `{"level":"rep"}` + strings.Repeat(`]}`, levels)
	n := quota.RollupNode{Level: quota.LevelCompany}
	err := json.Unmarshal([]byte(doc), &n)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), "invalid rollup_node: nested more than 16 deep")
	assert.Equal(t, quota.LevelCompany, n.Level, "left unchanged")
	allocs := testing.AllocsPerRun(5, func() { _ = json.Unmarshal([]byte(doc), &n) })
	assert.Less(t, allocs, 100.0, "refused before decoding the levels")

	// The deepest roll-up there is, company → region → rep, still decodes.
	nov := sp.Month(2026, time.November, nil)
	root, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values([]quota.Goal{
		{Period: nov, Revenue: money(t, "10.00 EUR")},
		{Rep: "a", Region: "north", Period: nov, Revenue: money(t, "5.00 EUR")},
	}))
	require.NoError(t, err)
	roundTrip(t, root)
}

// TestRollupNodeJSONDepthLimit checks the limit itself: 16 levels of
// objects and arrays decode, 17 do not, and brackets within a string, even
// after an escaped quote, are no nesting.
func TestRollupNodeJSONDepthLimit(t *testing.T) {
	nest := func(levels int, leaf string) []byte {
		return []byte(strings.Repeat(`{"level":"region","children":[`, levels) + leaf + strings.Repeat(`]}`, levels))
	}
	var n quota.RollupNode
	require.NoError(t, json.Unmarshal(nest(7, `{"level":"rep","own":{"deals":"1"}}`), &n), "16 deep")
	require.Len(t, n.Children, 1)
	err := json.Unmarshal(nest(8, `{"level":"rep"}`), &n)
	require.ErrorIs(t, err, sp.ErrInvalid, "17 deep")
	assert.Contains(t, err.Error(), "nested more than 16 deep")

	odd := quota.RollupNode{Level: quota.LevelRep, Rep: sp.RepID(`ann"` + strings.Repeat("[{", 20))}
	roundTrip(t, odd)
}

// TestProrateManyParts prorates a year's goal over fifty thousand parts
// of ten minutes, then over the same parts with the last one overlapping
// the first: comparing every pair of parts took seconds. Of parts that
// overlap, the error names the first one (in order) that overlaps an
// earlier one, and the first of those it overlaps.
func TestProrateManyParts(t *testing.T) {
	year := sp.Year(2026, nil)
	g := quota.Goal{Rep: "r1", Period: year, Revenue: money(t, "52560.00 EUR")}
	const n = 50_000
	parts := make([]sp.Period, n)
	for i := range parts {
		start := year.Start().Add(time.Duration(i) * 10 * time.Minute)
		p, err := sp.NewPeriod(start, start.Add(10*time.Minute))
		require.NoError(t, err)
		parts[i] = p
	}
	out, err := quota.Prorate(g, parts...)
	require.NoError(t, err)
	require.Len(t, out, n)
	assert.Equal(t, "1.00 EUR", out[0].Revenue.String(), "a 52560th of the year")

	parts[n-1] = parts[0]
	_, err = quota.Prorate(g, parts...)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorContains(t, err, "invalid parts[49999]: ")
	assert.ErrorContains(t, err, " overlaps parts[0] ")

	// Part 1 lies within part 0, and so does part 2: part 1 is named.
	day := func(d int) time.Time { return year.Start().AddDate(0, 0, d) }
	period := func(from, to int) sp.Period {
		p, err := sp.NewPeriod(day(from), day(to))
		require.NoError(t, err)
		return p
	}
	_, err = quota.Prorate(g, period(0, 10), period(5, 6), period(1, 2))
	assert.ErrorContains(t, err, "invalid parts[1]: ")
	assert.ErrorContains(t, err, " overlaps parts[0] ")
	_, err = quota.Prorate(g, period(0, 1), period(5, 6), period(3, 9), period(1, 4))
	assert.ErrorContains(t, err, "invalid parts[2]: ")
	assert.ErrorContains(t, err, " overlaps parts[1] ")
}

// TestRollUpHugeCounts rolls up ten thousand goals of 999,999,999,999,999
// won deals in one region: their sum, 9,999,999,999,999,990,000, is more
// than an int64 holds, and the region's parts wrapped around to a negative
// count.
func TestRollUpHugeCounts(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{{Region: "south", Period: nov, Deals: 1}}
	for i := range 10_000 {
		goals = append(goals, quota.Goal{Rep: sp.RepID(fmt.Sprintf("rep-%d", i)), Region: "south", Period: nov, Deals: 999_999_999_999_999})
	}
	root, err := quota.RollUp(nov, quota.MetricWonDeals, slices.Values(goals))
	require.NoError(t, err)
	require.Len(t, root.Children, 1)
	south := root.Children[0]
	assert.Equal(t, "9999999999999990000 deals", south.Parts.String())
	assert.Equal(t, "-9999999999999989999 deals", south.Discrepancy.String())
	assert.Equal(t, "1 deals", root.Parts.String(), "the region's own goal")
}

// A Ramp marshals to JSON and back, its Location as the IANA name of the
// zone, and the ramp read back gives the same goals.
func TestRampJSON(t *testing.T) {
	lisbon := location(t, "Europe/Lisbon")
	ramp := quota.Ramp{
		Rep: "eva", Region: "south",
		Start:    time.Date(2026, time.November, 11, 0, 0, 0, 0, lisbon),
		Monthly:  money(t, "9000.00 EUR"),
		Steps:    []decimal.Decimal{dec(t, "0.25"), dec(t, "0.5"), dec(t, "0.75")},
		Location: lisbon,
	}
	data, err := json.Marshal(ramp)
	require.NoError(t, err)
	assert.JSONEq(t, `{"rep":"eva","region":"south","start":"2026-11-11T00:00:00Z",
		"monthly":{"amount":"9000.00","currency":"EUR"},"steps":["0.25","0.5","0.75"],"time_zone":"Europe/Lisbon"}`, string(data))
	var back quota.Ramp
	require.NoError(t, json.Unmarshal(data, &back))
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))
	assert.Equal(t, "Europe/Lisbon", back.Location.String())
	want, err := ramp.Goals(4)
	require.NoError(t, err)
	got, err := back.Goals(4)
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].Period.String(), got[i].Period.String())
		assert.Equal(t, want[i].Revenue.String(), got[i].Revenue.String())
	}

	t.Run("utc", func(t *testing.T) {
		// A nil Location (UTC) is left out and reads back nil; time.UTC
		// is written "UTC" and reads back as time.UTC.
		r := ramp
		r.Location, r.Steps, r.Region = nil, nil, ""
		data, err := json.Marshal(r)
		require.NoError(t, err)
		assert.JSONEq(t, `{"rep":"eva","start":"2026-11-11T00:00:00Z","monthly":{"amount":"9000.00","currency":"EUR"}}`, string(data))
		var back quota.Ramp
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Nil(t, back.Location)
		r.Location = time.UTC
		data, err = json.Marshal(r)
		require.NoError(t, err)
		assert.Contains(t, string(data), `"time_zone":"UTC"`)
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, time.UTC, back.Location)
	})
	t.Run("err_cannot_be_encoded", func(t *testing.T) {
		for name, c := range map[string]struct {
			edit  func(*quota.Ramp)
			field string
		}{
			"local_zone":      {func(r *quota.Ramp) { r.Location = machineLocal }, "ramp.time_zone"},
			"unnamed_zone":    {func(r *quota.Ramp) { r.Location = time.FixedZone("XYZ", 3600) }, "ramp.time_zone"},
			"start_past_9999": {func(r *quota.Ramp) { r.Start = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "ramp.start"},
		} {
			t.Run(name, func(t *testing.T) {
				r := ramp
				c.edit(&r)
				raw, err := r.MarshalJSON()
				assert.Nil(t, raw)
				require.ErrorIs(t, err, sp.ErrInvalid)
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, c.field, ve.Field, "error: %v", err)
				_, err = json.Marshal(r)
				assert.ErrorIs(t, err, sp.ErrInvalid)
			})
		}
	})
	t.Run("err_leaves_the_ramp_unchanged", func(t *testing.T) {
		r := ramp
		require.Error(t, json.Unmarshal([]byte(`{"rep":"ann","time_zone":"Nowhere/Special"}`), &r))
		assert.Equal(t, ramp.Rep, r.Rep)
		assert.Equal(t, lisbon, r.Location)
		require.NoError(t, json.Unmarshal([]byte(`null`), &r))
		assert.Equal(t, ramp.Rep, r.Rep)
		var nilRamp *quota.Ramp
		assert.ErrorIs(t, nilRamp.UnmarshalJSON(data), sp.ErrInvalid)
	})
	t.Run("err_unknown_member_in_a_file", func(t *testing.T) {
		// A ramp is configuration (see TestRampJSONStrict for each member
		// refused). In a goals file that json.Unmarshal decodes, a ramp with an
		// unknown member fails the whole file, with the ramp's own error.
		var ramps []quota.Ramp
		err := json.Unmarshal([]byte(`[{"rep":"ann","time_zone":"UTC"},{"rep":"bo","TimeZone":"UTC"}]`), &ramps)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid ramp.TimeZone: unknown field")
		// A member whose name differs in case is decoded, as encoding/json
		// matches names, so it is not unknown.
		var r quota.Ramp
		require.NoError(t, json.Unmarshal([]byte(`{"Rep":"ann","TIME_ZONE":"Europe/Lisbon"}`), &r))
		assert.Equal(t, "Europe/Lisbon", r.Location.String())
	})
}

// Thresholds are configuration: a member they do not know is refused,
// named, and the thresholds are left as they were; the known ones decode.
func TestThresholdsJSONRefusesUnknownMembers(t *testing.T) {
	held := quota.Thresholds{OnPace: dec(t, "0.9")}
	th := held
	err := json.Unmarshal([]byte(`{"on_pace":"1","behnd":"0.7"}`), &th)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, "invalid thresholds.behnd: unknown field")
	assert.Equal(t, held, th)
	require.NoError(t, json.Unmarshal([]byte(`{"on_pace":"1","behind":"0.7"}`), &th))
	assert.True(t, th.OnPace.Equal(dec(t, "1")) && th.Behind.Equal(dec(t, "0.7")), "%v", th)
}

// CompareGoals is the order of ListGoals: by the instant the period
// starts, then rep, region, product, period text and metric; goals of one
// key are equal to it.
func TestCompareGoals(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	nov, novBerlin, dec := sp.Month(2026, time.November, nil), sp.Month(2026, time.November, berlin), sp.Month(2026, time.December, nil)
	ordered := []quota.Goal{
		{Region: "north", Period: novBerlin, Deals: 3}, // Berlin's November starts an hour before UTC's
		{Period: nov, Deals: 9},
		{Rep: "ann", Period: nov, Deals: 1},
		{Rep: "ann", Region: "north", Period: nov, Deals: 1},
		{Rep: "ann", Region: "north", Product: "p1", Period: nov, Revenue: money(t, "10.00 EUR")}, // "revenue" < "won_deals"
		{Rep: "ann", Region: "north", Product: "p1", Period: nov, Deals: 1},
		{Rep: "bob", Period: nov, Deals: 1},
		{Rep: "ann", Period: dec, Deals: 1},
	}
	for i := range ordered {
		for j := range ordered {
			assert.Equal(t, cmp.Compare(i, j), quota.CompareGoals(ordered[i], ordered[j]), "%d vs %d", i, j)
		}
	}
	same := ordered[2]
	same.Deals = 7
	assert.Zero(t, quota.CompareGoals(ordered[2], same), "one key, another target")
	// Goals told apart by their start or subject format no period.
	assert.Zero(t, testing.AllocsPerRun(100, func() { quota.CompareGoals(ordered[2], ordered[6]) }))
}
