package training_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// A reason's Got must not read as the wanted figure when the criterion is
// unmet, nor fall below it when met: the figures shown are rounded towards
// the side of the threshold they lie on.
func TestDecideGotKeepsTheVerdict(t *testing.T) {
	t.Run("sell_through_just_short", func(t *testing.T) {
		p := testPilot(training.Criteria{MinSellThrough: dec("0.6")})
		p.Quantity = 100000
		d, err := training.Decide(p, sales(59999), nil, march.End())
		require.NoError(t, err)
		r := d.Reasons[0]
		require.Equal(t, training.CriterionSellThrough, r.Criterion)
		assert.False(t, r.Met)
		assert.Equal(t, "0.5999", r.Got)
		assert.Contains(t, r.Detail, "(59.99 %)")
	})
	t.Run("sell_through_just_met", func(t *testing.T) {
		p := testPilot(training.Criteria{MinSellThrough: dec("0.59991")})
		p.Quantity = 100000
		d, err := training.Decide(p, sales(59992), nil, march.End())
		require.NoError(t, err)
		r := d.Reasons[0]
		assert.True(t, r.Met)
		assert.Equal(t, "0.6", r.Got)
	})
	t.Run("rating_just_short", func(t *testing.T) {
		p := testPilot(training.Criteria{MinAverageRating: dec("4")})
		// 199 fours and one three: 799/200 = 3.995.
		var fb []salesprocess.Feedback
		for i := range 200 {
			r := 4
			if i == 0 {
				r = 3
			}
			fb = append(fb, salesprocess.Feedback{ID: salesprocess.FeedbackID(fmt.Sprint("b", i)), Product: "p1", Rating: r,
				Category: salesprocess.FeedbackQuality, Source: salesprocess.FromFieldTest, Locality: "Springfield", Time: t0.Add(time.Duration(i) * time.Minute)})
		}
		d, err := training.Decide(p, nil, fb, march.End())
		require.NoError(t, err)
		r := d.Reasons[0]
		require.Equal(t, training.CriterionAverageRating, r.Criterion)
		assert.False(t, r.Met)
		assert.Equal(t, "3.99", r.Got)
		assert.True(t, strings.HasPrefix(r.Detail, "average rating 3.99 from 200 ratings"), r.Detail)
	})
}
