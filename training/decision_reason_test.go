package training_test

import (
	"encoding/json"
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

// A decision's reasons read back only the criteria a Decision lists, as
// the other enumerations of the package do: an unknown criterion is an
// error naming the field, and one that would not read back does not
// marshal.
func TestDecisionReasonCriterionText(t *testing.T) {
	var r training.DecisionReason
	err := json.Unmarshal([]byte(`{"criterion":"min_units_sold","met":true}`), &r)
	require.NoError(t, err)
	assert.Equal(t, training.CriterionUnitsSold, r.Criterion)

	err = json.Unmarshal([]byte(`{"criterion":"max_units_sold","met":true}`), &r)
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.Contains(t, err.Error(), "decision_reason.criterion")

	_, err = json.Marshal(training.DecisionReason{Criterion: "max_units_sold"})
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
}

// A reason's Detail counts one thing in the singular: "1 unit", not
// "1 units".
func TestDecideDetailCountsOneInTheSingular(t *testing.T) {
	p := testPilot(training.Criteria{MinUnitsSold: 1, MinSellThrough: dec("0.5"), MinFeedback: 2, MinAverageRating: dec("4")})
	p.Quantity = 1
	d, err := training.Decide(p, sales(1), ratings("Springfield:3"), march.End())
	require.NoError(t, err)
	var details []string
	for _, r := range d.Reasons {
		details = append(details, r.Detail)
	}
	assert.Equal(t, []string{
		"1 unit sold; at least 1 wanted",
		"1 of 1 unit sold (100 %); at least 50 % wanted",
		"1 piece of field-test feedback; at least 2 required",
		"average rating 3 from 1 rating; at least 4 required",
		"no open issue of severity critical or worse",
	}, details)
}

// None of a thing is counted in the plural: "0 units", not "0 unit".
func TestDecideDetailCountsNoneInThePlural(t *testing.T) {
	p := testPilot(training.Criteria{MinUnitsSold: 2, MinFeedback: 2})
	d, err := training.Decide(p, nil, nil, march.End())
	require.NoError(t, err)
	var details []string
	for _, r := range d.Reasons {
		details = append(details, r.Detail)
	}
	assert.Contains(t, details, "0 units sold; at least 2 required")
	assert.Contains(t, details, "0 pieces of field-test feedback; at least 2 required")
}
