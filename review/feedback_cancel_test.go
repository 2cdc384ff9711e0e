package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
)

// A review whose ctx ends while it reads a long Input.Feedback stops
// reading within a few thousand pieces and returns ctx.Err(), as it does
// for the deals and inquiries.
func TestReviewDoneWhileReadingFeedback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	const pieces = 1 << 16
	read := 0
	at := november.Start().Add(72 * time.Hour)
	_, err = r.Review(ctx, review.Input{Period: november, Feedback: func(yield func(*sp.Feedback) bool) {
		f := sp.Feedback{ID: "f", Product: widget, Rating: 3, Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: at}
		for read < pieces {
			read++
			if read == 1 {
				cancel()
			}
			if !yield(&f) {
				return
			}
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
	assert.LessOrEqual(t, read, 1<<13, "pieces read after the ctx was done")
}
