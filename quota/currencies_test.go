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

// Regions that sell in different currencies get their win rates and
// velocities by region: each group's won amount is in one currency, and
// only the total's won amount (and velocity), which would mix them, is
// left as the zero Money.
func TestGroupsInDifferentCurrencies(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	deals := []pipeline.Deal{
		won("w1", "a", "north", money(t, "100.00 EUR"), nov(3)),
		lost("l1", "a", "north", nov(4)),
		won("w2", "b", "uk", money(t, "250.00 GBP"), nov(5)),
		open("o1", "b", "uk", money(t, "90.00 GBP"), "0.5", nov(20)),
	}
	by := quota.Grouping{Region: true}

	wr, err := quota.WinRates(quota.Refs(deals), month, by, nil)
	require.NoError(t, err)
	require.Len(t, wr.Groups, 2)
	assert.Equal(t, "100.00 EUR", wr.Groups[0].WonAmount.String(), "north")
	assert.Equal(t, "250.00 GBP", wr.Groups[1].WonAmount.String(), "uk")
	assert.Equal(t, quota.Rate{Num: 2, Den: 3}, wr.Total.WinRate.Rate)
	assert.True(t, wr.Total.WonAmount.IsUnset(), "the total mixes currencies: %v", wr.Total.WonAmount)

	v, err := quota.Velocity(quota.Refs(deals), month, by, nil)
	require.NoError(t, err)
	require.Len(t, v.Groups, 2)
	assert.Equal(t, "250.00 GBP", v.Groups[1].WonAmount.String(), "uk")
	assert.False(t, v.Groups[1].PerDay.IsUnset(), "uk has a velocity")
	assert.Equal(t, [3]int64{1, 2, 1}, [3]int64{v.Total.Open, v.Total.Won, v.Total.Lost})
	assert.True(t, v.Total.WonAmount.IsUnset(), "the total mixes currencies: %v", v.Total.WonAmount)
	assert.True(t, v.Total.PerDay.IsUnset(), "the total mixes currencies: %v", v.Total.PerDay)

	// Within a group, mixed currencies are still an error.
	_, err = quota.WinRates(quota.Refs(deals), month, quota.Grouping{}, nil)
	assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	_, err = quota.Velocity(quota.Refs(deals), month, quota.Grouping{}, nil)
	assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
}

// The weighted pipeline by region of regions that sell in different
// currencies: each group is in one currency, and only the total, which
// would mix them, has the zero Money for its amounts.
func TestWeightedPipelineGroupsInDifferentCurrencies(t *testing.T) {
	deals := []pipeline.Deal{
		open("o1", "a", "north", money(t, "100.00 EUR"), "0.25", nov(20)),
		open("o2", "b", "uk", money(t, "90.00 GBP"), "0.5", nov(21)),
		open("o3", "b", "uk", money(t, "10.00 GBP"), "0.1", nov(22)),
	}
	rep, err := quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{Region: true}, nil)
	require.NoError(t, err)
	require.Len(t, rep.Groups, 2)
	assert.Equal(t, "100.00 EUR", rep.Groups[0].Amount.String(), "north")
	assert.True(t, rep.Groups[0].Weighted.Equal(money(t, "25.00 EUR")), "north: %v", rep.Groups[0].Weighted)
	assert.Equal(t, "100.00 GBP", rep.Groups[1].Amount.String(), "uk")
	assert.True(t, rep.Groups[1].Weighted.Equal(money(t, "46.00 GBP")), "uk: %v", rep.Groups[1].Weighted)
	assert.Equal(t, int64(3), rep.Total.Open)
	assert.True(t, rep.Total.Amount.IsUnset(), "the total mixes currencies: %v", rep.Total.Amount)
	assert.True(t, rep.Total.Weighted.IsUnset(), "the total mixes currencies: %v", rep.Total.Weighted)

	// Within a group, mixed currencies are still an error.
	_, err = quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{}, nil)
	assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
}
