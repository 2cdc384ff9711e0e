package review_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
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
		Revenue: pipelinetest.MustEUR("9000.00")})
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
		return quota.Goal{Rep: "ann", Region: region, Product: product, Period: november, Revenue: pipelinetest.MustEUR(amount)}
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

// A goal's ChanceBound covers the rounding of Chance as well as the
// forecast's error bound: the interval that holds the probability, the
// forecast's value ± its bound, lies within Chance ± ChanceBound. Here
// (on amd64) the bound is 0.000497…, which alone rounds up to 0.0005, and
// the value 0.389787…, which rounds to 0.3898, so that the value less its
// bound, 0.389290…, is below Chance − 0.0005.
func TestChanceBoundCoversRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	asOf := november.Start().Add(10 * 24 * time.Hour)
	const n = 1500
	deals := make([]pipeline.Deal, n)
	for i := range deals {
		m, err := sp.NewMoneyFromMinor(r.Int64N(100000)+100, "EUR")
		require.NoError(t, err)
		deals[i] = pipeline.Deal{ID: sp.DealID(fmt.Sprintf("d-%d", i)), Owner: "ann", Region: north, Product: widget,
			Customer: "c", Amount: m, Stage: pipeline.DealProposal, Probability: decimal.New(r.Int64N(99)+1, -2),
			Created: november.Start(), ExpectedClose: november.Start().Add(20 * 24 * time.Hour)}
	}
	target, err := sp.NewMoneyFromMinor(n*25000, "EUR")
	require.NoError(t, err)
	goals := []quota.Goal{{Period: november, Revenue: target}}
	rv, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf)})
	require.NoError(t, err)
	rep, err := rv.Review(context.Background(), review.Input{Period: november, AsOf: asOf, Deals: quota.Refs(deals), Goals: goals})
	require.NoError(t, err)
	fc, err := quota.Forecast(goals, quota.Refs(deals), asOf, nil)
	require.NoError(t, err)
	c, g := fc[0].Chance, rep.Snapshot.Goals[0]
	lo, hi := decimal.NewFromFloat(c.Value-c.ErrorBound), decimal.NewFromFloat(c.Value+c.ErrorBound)
	assert.True(t, g.Chance.Sub(g.ChanceBound).LessThanOrEqual(lo), "lower: %s − %s above %s", g.Chance, g.ChanceBound, lo)
	assert.True(t, g.Chance.Add(g.ChanceBound).GreaterThanOrEqual(hi), "upper: %s + %s below %s", g.Chance, g.ChanceBound, hi)
}

// Goals of different subjects are distinct whatever their IDs hold: rep
// "ann,product=widget"'s goal is not rep ann's goal for widgets, though
// the two spell one finding ID.
func TestGoalsOfSubjectsWhoseKeysReadAlike(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	goals := []quota.Goal{
		{Rep: "ann", Product: widget, Period: november, Revenue: pipelinetest.MustEUR("5000.00")},
		{Rep: "ann,product=" + sp.RepID(widget), Period: november, Revenue: pipelinetest.MustEUR("5000.00")},
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now, Goals: goals})
	require.NoError(t, err)
	assert.Len(t, rep.Snapshot.Goals, 2)
}
