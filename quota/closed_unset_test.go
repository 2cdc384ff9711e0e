package quota_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// A won or lost deal without a close time (the zero time) closed in no
// period, as the pipeline package doc says and Attain has it: not even in
// one that holds the zero time, January 1 of the year 1 in UTC.
func TestDealWithoutCloseTimeClosesInNoPeriod(t *testing.T) {
	won := &pipeline.Deal{ID: "w", Owner: "ann", Region: "north", Customer: "c", Product: "p1",
		Stage: pipeline.DealWon, Amount: money(t, "10.00 EUR"), Created: time.Time{}}
	lost := &pipeline.Deal{ID: "l", Owner: "ann", Region: "north", Customer: "c", Product: "p1",
		Stage: pipeline.DealLost, Loss: &pipeline.LossReason{Category: pipeline.LossPrice, Detail: "x"}}
	deals := slices.Values([]*pipeline.Deal{won, lost})
	hour, err := sp.NewPeriod(time.Time{}, time.Time{}.Add(time.Hour))
	require.NoError(t, err)
	for _, p := range []sp.Period{sp.Year(1, time.UTC), hour} {
		t.Run(p.String(), func(t *testing.T) {
			wr, err := quota.WinRates(deals, p, quota.Grouping{}, nil)
			require.NoError(t, err)
			assert.Zero(t, wr.Total.Won, "WinRates")
			assert.Zero(t, wr.Total.Lost, "WinRates")
			conv, err := quota.PeriodConversion(nil, deals, p, quota.Grouping{}, nil)
			require.NoError(t, err)
			assert.Zero(t, conv.Total.Won, "PeriodConversion")
			vel, err := quota.Velocity(deals, p, quota.Grouping{}, nil)
			require.NoError(t, err)
			assert.Zero(t, vel.Total.Won, "Velocity")
			assert.Zero(t, vel.Total.Lost, "Velocity")
			att, err := quota.Attain([]quota.Goal{{Period: p, Deals: 1}}, deals, p.End(), nil)
			require.NoError(t, err)
			require.Len(t, att, 1)
			assert.Zero(t, att[0].Won, "Attain")
			assert.Zero(t, att[0].Lost, "Attain")
		})
	}
}

// SalesCycle leaves out deals without a creation time, as its doc says: an
// open one is not pending in a period that holds the zero time.
func TestSalesCycleLeavesOutDealsWithoutCreationTime(t *testing.T) {
	open := &pipeline.Deal{ID: "o", Owner: "ann", Region: "north", Customer: "c", Product: "p1", Stage: pipeline.DealProspecting}
	rep, err := quota.SalesCycle(slices.Values([]*pipeline.Deal{open}), sp.Year(1, time.UTC), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Zero(t, rep.Total.Pending)
	assert.Empty(t, rep.Groups)
}
