package review_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// Two goals of one rep for one metric whose periods have the same bounds
// in different locations (distinct goals that sort alike but for their
// targets) give the same report whichever order they come in.
func TestGoalsOrder(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.sell("ann", north, widget, 6, 3, pipeline.LossPrice)
	w.goal("ann", north, "5000.00")
	w.goals = append(w.goals, quota.Goal{Rep: "ann", Region: north, Period: sp.Month(2026, time.November, location(t, "Europe/London")),
		Revenue: pipelinetest.EUR("9000.00")})
	require.True(t, w.goals[0].Period.Start().Equal(w.goals[1].Period.Start()) && w.goals[0].Period.End().Equal(w.goals[1].Period.End()))
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

// Two goals for the same thing (subject, product, period and metric, as
// finding IDs name a goal) are refused, the error naming both; a rep's
// goal with a region is the same goal as one without, since the region
// does not choose the deals.
func TestGoalsTwice(t *testing.T) {
	ann := func(region sp.RegionID, product sp.ProductID, amount string) quota.Goal {
		return quota.Goal{Rep: "ann", Region: region, Product: product, Period: november, Revenue: pipelinetest.EUR(amount)}
	}
	for how, c := range map[string]struct {
		goals []quota.Goal
		msg   string
	}{
		"other_target": {[]quota.Goal{ann(north, "", "5000.00"), ann(north, widget, "1.00"), ann(north, "", "9000.00")},
			"invalid input.goals[2]: same goal as input.goals[0]"},
		"same_target":   {[]quota.Goal{ann(north, "", "5000.00"), ann(north, "", "5000.00")}, "invalid input.goals[1]: same goal as input.goals[0]"},
		"region_or_not": {[]quota.Goal{ann("", "", "5000.00"), ann(south, "", "5000.00")}, "invalid input.goals[1]: same goal as input.goals[0]"},
		"company_deals": {[]quota.Goal{{Period: november, Deals: 3}, {Period: november, Deals: 4}}, "invalid input.goals[1]: same goal as input.goals[0]"},
	} {
		t.Run(how, func(t *testing.T) {
			w := newWorld(t)
			w.rep("ann", north)
			w.goals = c.goals
			r, err := review.New(review.DefaultRules(), w.options(nil))
			require.NoError(t, err)
			_, err = r.Review(w.ctx, w.input())
			require.Error(t, err)
			assert.True(t, errors.Is(err, sp.ErrInvalid), "%v", err)
			assert.Equal(t, "review: "+c.msg, err.Error())
		})
	}
	// Goals that differ in product, metric or period are distinct.
	w := newWorld(t)
	w.rep("ann", north)
	w.goals = []quota.Goal{ann(north, "", "5000.00"), ann(north, widget, "5000.00"),
		{Rep: "ann", Period: november, Deals: 3}, {Rep: "ann", Period: sp.Month(2026, time.October, time.UTC), Deals: 3}}
	w.review(review.DefaultRules(), nil)
}
