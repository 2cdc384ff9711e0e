package review_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// IDs of the longest length a record may have make evidence names that
// hold two of them (a product's share in a rep's deals, a rep's rate on a
// product): a review of such reps and products runs, every finding valid.
func TestReviewOfLongestIDs(t *testing.T) {
	long := func(prefix string) string { return prefix + strings.Repeat("x", sp.MaxIDLength-len(prefix)) }
	weak, strong := sp.ProductID(long("weak-")), sp.ProductID(long("strong-"))
	var deals []pipeline.Deal
	var goals []quota.Goal
	for r := range 3 {
		rep := sp.RepID(long(fmt.Sprintf("rep%d-", r)))
		for i := range 20 {
			p, won := weak, i < 2
			if i >= 10 {
				p, won = strong, i < 18
			}
			d := deal(sp.DealID(fmt.Sprintf("d-%d-%02d", r, i)), rep, p, won, "100.00 EUR")
			if !won {
				d.Loss = &pipeline.LossReason{Category: pipeline.LossProduct, Detail: "lost"}
			}
			deals = append(deals, d)
		}
		goals = append(goals, quota.Goal{Rep: rep, Period: november, Revenue: mustMoney("100000.00 EUR")})
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(deals), Goals: goals})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Findings)
	var product bool
	for _, f := range rep.Findings {
		require.NoError(t, f.Validate(), f.ID)
		product = product || f.Rule == review.RuleTargetMissed && f.Cause == review.CauseProduct
	}
	require.True(t, product, "a missed target traced to the product")
}
