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
	"github.com/salesprocess/salesprocess/training"
)

type uncertified struct{}

func (uncertified) Status(context.Context, sp.RepID, sp.ProductID, time.Time) (training.CertStatus, error) {
	return training.CertMissing, nil
}

// A rep who only has an open deal of a product they are not certified
// for is flagged for the work, without being said to have sold it.
func TestCertificationOpenDealOnly(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	open := deal("open-1", "ann", widget, false, "")
	open.Stage, open.Loss, open.Closed, open.Amount = pipeline.DealProposal, nil, time.Time{}, mustMoney("100.00 EUR")
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Certificates: uncertified{}})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now, Deals: quota.Refs([]pipeline.Deal{open})})
	require.NoError(t, err)
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok)
	assert.NotContains(t, f.Summary, "sold")
	assert.Contains(t, f.Summary, "worked on product widget")
}
