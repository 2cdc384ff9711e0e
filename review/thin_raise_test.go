package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A goal whose chance is low although its weighted pipeline exceeds the
// gap (one big deal, unlikely to close) is flagged, but not proposed to
// be raised to the expected attainment.
func TestThinPipelineDoesNotRaiseGoal(t *testing.T) {
	asOf := november.Start().Add(10 * 24 * time.Hour)
	open := deal("open-1", "ann", widget, false, "")
	open.Stage, open.Loss, open.Closed, open.Amount = pipeline.DealProposal, nil, time.Time{}, mustMoney("100000.00 EUR")
	open.Probability, open.ExpectedClose = mustDecimal("0.05"), november.Start().Add(20*24*time.Hour)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf)})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf,
		Deals: quota.Refs([]pipeline.Deal{open}),
		Goals: []quota.Goal{{Rep: "ann", Region: north, Period: november, Revenue: mustMoney("1000.00 EUR")}}})
	require.NoError(t, err)
	f, ok := findings(rep, review.RepSubject("ann"))[review.RuleThinPipeline]
	require.True(t, ok, "chance %s", rep.Snapshot.Goals[0].Chance)
	assert.NotContains(t, actionKinds(f), review.ActionAdjustGoal, "%v", rep.Outcome.GoalProposals)
	assert.Empty(t, rep.Outcome.GoalProposals)
}
