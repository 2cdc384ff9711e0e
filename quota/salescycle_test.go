package quota_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// Grouped by month, a won deal goes to the month of its close and an open
// one, pending, to the month of its creation.
func TestSalesCycleMonthOfPendingDeals(t *testing.T) {
	quarter := sp.Quarter(2026, 4, nil)
	w := won("w1", "a", "north", cents(100), nov(20)) // created November 10
	o := open("o1", "a", "north", cents(100), "0.5", time.Date(2026, time.December, 20, 0, 0, 0, 0, time.UTC))
	o.Created = time.Date(2026, time.October, 7, 0, 0, 0, 0, time.UTC)
	rep, err := quota.SalesCycle(quota.Refs([]pipeline.Deal{w, o}), quarter, quota.Grouping{Month: true}, nil)
	require.NoError(t, err)
	got := map[string][2]int64{}
	for _, g := range rep.Groups {
		got[g.Key.String()] = [2]int64{g.Durations.Count, g.Pending}
	}
	assert.Equal(t, map[string][2]int64{"month=2026-10": {0, 1}, "month=2026-11": {1, 0}}, got)
}

// A won deal closed before its creation is left out, as one without a
// creation time is: it makes no group of its own.
func TestSalesCycleLeavesOutDealsClosedBeforeCreation(t *testing.T) {
	skewed := won("w2", "b", "north", cents(100), nov(5))
	skewed.Created = nov(6)
	undated := won("w3", "c", "north", cents(100), nov(5))
	undated.Created = time.Time{}
	deals := []pipeline.Deal{won("w1", "a", "north", cents(100), nov(20)), skewed, undated}
	rep, err := quota.SalesCycle(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{Rep: true}, nil)
	require.NoError(t, err)
	require.Len(t, rep.Groups, 1)
	assert.Equal(t, sp.RepID("a"), rep.Groups[0].Key.Rep)
	assert.Equal(t, int64(1), rep.Total.Durations.Count)
}

// A won deal closed at the instant of its creation is not closed before
// it: it counts, with a cycle of zero.
func TestSalesCycleCountsADealClosedAtItsCreation(t *testing.T) {
	same := won("w1", "a", "north", cents(100), nov(5))
	same.Created = same.Closed
	rep, err := quota.SalesCycle(quota.Refs([]pipeline.Deal{same}), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), rep.Total.Durations.Count)
	assert.Equal(t, time.Duration(0), rep.Total.Durations.Max)
}
