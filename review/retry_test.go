package review_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
)

// A review retried after its publisher failed publishes again the events
// it published before the failure, under the same IDs, so that the
// publisher can tell them apart from new ones.
func TestRetryAfterPublishFailure(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	rule := review.NewRule("many", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{
			{Subject: review.RepSubject("ann"), Severity: review.SeverityInfo, Summary: "one"},
			{Subject: review.RepSubject("bob"), Severity: review.SeverityInfo, Summary: "two"},
		}, nil
	})
	var published []string
	fail := true
	pub := sp.PublisherFunc(func(_ context.Context, e sp.Event) error {
		if fail && len(published) == 1 {
			return errors.New("queue down")
		}
		published = append(published, e.ID)
		return nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule}, Publisher: pub})
	require.NoError(t, err)
	in := review.Input{Period: november, AsOf: now}
	_, err = r.Review(context.Background(), in)
	require.Error(t, err)
	require.Len(t, published, 1)
	fail = false
	rep, err := r.Review(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, rep.Outcome.Events, published[1:])
	assert.Equal(t, published[0], published[1], "the first event again, under the same ID")
}
