package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A custom period may end at any time of day: the zero AsOf then looks
// from the end of a goal's period that ends later at the same reading of
// its zone's clocks, to the nanosecond, and not from one that ends at
// another reading, however close.
func TestZeroAsOfCustomPeriodsEndingAtMidday(t *testing.T) {
	locs := zones(t, "Europe/Berlin", "Europe/Lisbon")
	berlin, lisbon := locs[0], locs[1]
	custom := func(loc *time.Location, nsec int) sp.Period {
		p, err := sp.NewPeriod(time.Date(2026, time.November, 2, 0, 0, 0, 0, loc), time.Date(2026, time.November, 15, 12, 0, 0, nsec, loc))
		require.NoError(t, err)
		return p
	}
	period := custom(berlin, 500)
	for _, tc := range []struct {
		name string
		goal sp.Period
		want time.Time
	}{
		{"same_reading_west", custom(lisbon, 500), custom(lisbon, 500).End()},
		{"another_nanosecond_west", custom(lisbon, 700), period.End()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC)
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
			require.NoError(t, err)
			goals := []quota.Goal{{Rep: "cat", Period: tc.goal, Revenue: mustMoney("100.00 EUR")}}
			rep, err := r.Review(context.Background(), review.Input{Period: period, Goals: goals})
			require.NoError(t, err)
			assert.True(t, rep.AsOf.Equal(tc.want), "as of %s, want %s", rep.AsOf, tc.want)
		})
	}
}

// The zero AsOf is the clock's time when the period ends, for the review,
// at that very instant: the time in the clock's zone, whether the period
// or a western goal's period ends then.
func TestZeroAsOfAtTheEndIsTheClocksTime(t *testing.T) {
	locs := zones(t, "Europe/Berlin", "Europe/Lisbon", "Asia/Tokyo")
	berlin, lisbon, tokyo := locs[0], locs[1], locs[2]
	nov := sp.Month(2026, time.November, berlin)
	west := sp.Month(2026, time.November, lisbon)
	for _, tc := range []struct {
		name  string
		goals []quota.Goal
		now   time.Time
	}{
		{"period_end", nil, nov.End().In(tokyo)},
		{"western_goal_end", []quota.Goal{{Rep: "cat", Period: west, Revenue: mustMoney("100.00 EUR")}}, west.End().In(tokyo)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(tc.now)})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: nov, Goals: tc.goals})
			require.NoError(t, err)
			assert.True(t, rep.AsOf.Equal(tc.now), "as of %s, want %s", rep.AsOf, tc.now)
			assert.Equal(t, tokyo.String(), rep.AsOf.Location().String(), "as of %s, want the clock's time %s", rep.AsOf, tc.now)
		})
	}
}
