package review_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/review"
)

// Two goals of one rep for one period and metric (a target and a stretch
// target) give the same report whichever order they come in.
func TestGoalsOrder(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.sell("ann", north, widget, 6, 3, pipeline.LossPrice)
	w.goal("ann", north, "5000.00")
	w.goal("ann", north, "9000.00")
	render := func() string {
		rep := w.review(review.DefaultRules(), nil)
		var b bytes.Buffer
		require.NoError(t, rep.WriteJSON(&b))
		require.NoError(t, rep.Markdown(&b))
		return b.String()
	}
	first := render()
	slices.Reverse(w.goals)
	assert.Equal(t, first, render())
}
