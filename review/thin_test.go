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

// A coverage of 0.996, which quota rounds to 1.00, is below a minimum of
// 1: thin_pipeline compares the weighted pipeline with the gap exactly,
// as target_met compares the booked amount with the target.
func TestThinPipelineCoverageExact(t *testing.T) {
	asOf := november.Start().Add(10 * 24 * time.Hour)
	for _, tc := range []struct {
		amount string
		thin   bool
	}{
		{"1992.00 EUR", true},  // weighted 996.00 for a gap of 1000.00
		{"2000.00 EUR", false}, // weighted 1000.00: coverage exactly 1
	} {
		open := deal("open-1", "ann", widget, false, "")
		open.Stage, open.Loss, open.Closed, open.Amount = pipeline.DealProposal, nil, time.Time{}, mustMoney(tc.amount)
		open.Probability, open.ExpectedClose = mustDecimal("0.5"), november.Start().Add(20*24*time.Hour)
		rules := review.DefaultRules()
		rules.Rules.ThinPipeline.MinChance = mustDecimal("0")
		r, err := review.New(rules, &review.Options{Clock: sp.FixedClock(asOf)})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf,
			Deals: quota.Refs([]pipeline.Deal{open}),
			Goals: []quota.Goal{{Rep: "ann", Region: north, Period: november, Revenue: mustMoney("1000.00 EUR")}}})
		require.NoError(t, err)
		_, thin := findings(rep, review.RepSubject("ann"))[review.RuleThinPipeline]
		assert.Equal(t, tc.thin, thin, "deal of %s, coverage %s", tc.amount, rep.Snapshot.Goals[0].Coverage.Decimal)
	}
}
