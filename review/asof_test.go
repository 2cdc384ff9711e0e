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

// Deals are counted as they stood at the as-of time: one won or lost
// after it was still open then, and one created after it did not exist.
func TestOpenAtAsOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	deal := func(id sp.DealID, stage pipeline.DealStage, created, closed time.Time) pipeline.Deal {
		d := pipeline.Deal{ID: id, Owner: "ann", Region: north, Product: widget, Customer: "c", Stage: stage,
			Amount: mustMoney("1000.00 EUR"), Created: created, Closed: closed, Probability: decimal.New(5, -1)}
		if stage == pipeline.DealLost {
			d.Loss = &pipeline.LossReason{Category: pipeline.LossPrice, Detail: "price"}
		}
		return d
	}
	deals := []pipeline.Deal{
		deal("won-before", pipeline.DealWon, day(2), day(5)),
		deal("won-after", pipeline.DealWon, day(10), day(25)),
		deal("lost-after", pipeline.DealLost, day(12), day(26)),
		deal("open", pipeline.DealProposal, day(15), time.Time{}),
		deal("created-after", pipeline.DealProposal, day(21), time.Time{}),
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(20), Deals: quota.Refs(deals)})
	require.NoError(t, err)
	ann, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(1), ann.Won)
	assert.Equal(t, int64(0), ann.Lost)
	assert.Equal(t, int64(3), ann.Open)
	assert.Equal(t, "3000.00 EUR", ann.OpenAmount.String())
	assert.Equal(t, int64(3), rep.Snapshot.Team.Open)
}
