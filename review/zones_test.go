package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A review of the company's November in Europe/Berlin, as of midnight
// starting November 16 there, paces each region's goal on that region's own
// clock: it is 12:00 on the 16th in Auckland (+13:00), 04:30 in Kolkata
// (+05:30) and 15:00 on the 15th in Los Angeles (-08:00, since November 1).
// With 1500 of 3000 won, Auckland's rep, 15.5 of 30 days in, is behind (1500
// of 1550 expected), Kolkata's, 364.5 of 720 hours in, behind (1500 of
// 1518.75; 364.5/720 = 81/160), and the rep of Los Angeles, 351 of 720 hours
// in, on pace (1500 of 1462.50).
func TestReviewPacesGoalsOfRegionsOnTheirOwnClocks(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		return loc
	}
	berlin := load("Europe/Berlin")
	zones := []struct {
		rep     sp.RepID
		region  sp.RegionID
		loc     *time.Location
		elapsed sp.Fraction
		status  quota.Status
	}{
		{"ann", "nz", load("Pacific/Auckland"), sp.Fraction{Num: 31, Den: 60}, quota.StatusBehind},
		{"chitra", "in", load("Asia/Kolkata"), sp.Fraction{Num: 81, Den: 160}, quota.StatusBehind},
		{"dan", "us", load("America/Los_Angeles"), sp.Fraction{Num: 39, Den: 80}, quota.StatusOnPace},
	}
	var (
		in    = review.Input{Period: sp.Month(2026, time.November, berlin), AsOf: time.Date(2026, time.November, 16, 0, 0, 0, 0, berlin)}
		deals []pipeline.Deal
	)
	for _, z := range zones {
		in.Regions = append(in.Regions, sp.Region{ID: z.region, Name: string(z.region), Location: z.loc})
		in.Reps = append(in.Reps, sp.Rep{ID: z.rep, Name: string(z.rep), Region: z.region})
		in.Goals = append(in.Goals, quota.Goal{Rep: z.rep, Region: z.region, Period: sp.Month(2026, time.November, z.loc), Revenue: mustMoney("3000.00 EUR")})
		closed := time.Date(2026, time.November, 10, 12, 0, 0, 0, z.loc)
		deals = append(deals, pipeline.Deal{ID: sp.DealID("d-" + z.rep), Owner: z.rep, Region: z.region, Product: widget, Customer: "c",
			Stage: pipeline.DealWon, Amount: mustMoney("1500.00 EUR"), Probability: decimal.New(1, 0), Created: closed.AddDate(0, 0, -5), Closed: closed})
	}
	in.Deals = quota.Refs(deals)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(in.AsOf)})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), in)
	require.NoError(t, err)
	require.Len(t, rep.Snapshot.Goals, len(zones))
	rows := map[sp.RepID]review.GoalRow{}
	for _, g := range rep.Snapshot.Goals {
		rows[g.Goal.Rep] = g
	}
	for _, z := range zones {
		row := rows[z.rep]
		assert.Equal(t, z.elapsed, row.Elapsed, "rep %s", z.rep)
		assert.Equal(t, z.status, row.Status, "rep %s", z.rep)
		assert.Equal(t, "1500.00 EUR", row.Booked.String(), "rep %s", z.rep)
		assert.False(t, row.Over(rep.Snapshot.AsOf), "rep %s", z.rep)
	}
}
