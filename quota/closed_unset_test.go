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

// An inquiry without a receipt time, and a deal without a creation time,
// were received or created in no period, as a deal without a close time
// closed in none: not even in one that holds the zero time.
func TestRecordsWithoutTheirTimeAreInNoPeriod(t *testing.T) {
	in := &pipeline.Inquiry{ID: "i", Owner: "ann", Region: "north", Customer: "c", Product: "p1", Stage: pipeline.InquiryNew}
	inquiries := slices.Values([]*pipeline.Inquiry{in})
	open := &pipeline.Deal{ID: "o", Owner: "ann", Region: "north", Customer: "c", Product: "p1", Stage: pipeline.DealProspecting}
	deals := slices.Values([]*pipeline.Deal{open})
	p := sp.Year(1, time.UTC)
	cohort, err := quota.CohortConversion(inquiries, deals, p, p.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Zero(t, cohort.Total.Inquiries, "CohortConversion")
	conv, err := quota.PeriodConversion(inquiries, deals, p, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Zero(t, conv.Total.Inquiries, "PeriodConversion")
	first, err := quota.FirstResponse(inquiries, p, p.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Zero(t, first.Total.Pending, "FirstResponse")
	funnel, err := quota.Funnel(deals, p, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Empty(t, funnel.Groups, "Funnel")
}
