package quota_test

import (
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// Attain and Forecast read the goals when they are called. They checked
// the caller's goals first and read them again after the pass over the
// deals to make the results, so that a caller reusing its slice while the
// deals were read (here, the sequence of deals itself) got results of
// goals it had not given them, unchecked: a goal's target overwritten
// with zero made Attain panic, dividing by it.
func TestGoalsReadWhenCalled(t *testing.T) {
	month := sp.Month(2026, time.November, time.UTC)
	goals := func() []quota.Goal {
		return []quota.Goal{
			{Rep: "a", Period: month, Revenue: money(t, "1000.00 EUR")},
			{Rep: "b", Period: month, Revenue: money(t, "500.00 EUR")},
		}
	}
	deals := []pipeline.Deal{
		{ID: "d1", Owner: "a", Created: nov(2), Closed: nov(9), Stage: pipeline.DealWon, Amount: money(t, "300.00 EUR")},
		{ID: "d2", Owner: "b", Created: nov(3), Stage: pipeline.DealProposal, Amount: money(t, "200.00 EUR"),
			Probability: dec(t, "0.5"), ExpectedClose: nov(20)},
	}
	asOf := nov(15)
	// reusing yields the deals, overwriting gs in place after the first
	// with goals of no target and of another rep.
	reusing := func(gs []quota.Goal) iter.Seq[*pipeline.Deal] {
		return func(yield func(*pipeline.Deal) bool) {
			for i := range deals {
				if !yield(&deals[i]) {
					return
				}
				for j := range gs {
					gs[j] = quota.Goal{Rep: "z", Period: month, Revenue: money(t, "0.00 EUR")}
				}
			}
		}
	}
	tests := []struct {
		name string
		run  func(gs []quota.Goal, deals iter.Seq[*pipeline.Deal]) (any, error)
	}{
		{"attain", func(gs []quota.Goal, deals iter.Seq[*pipeline.Deal]) (any, error) {
			return quota.Attain(gs, deals, asOf, nil)
		}},
		{"forecast", func(gs []quota.Goal, deals iter.Seq[*pipeline.Deal]) (any, error) {
			return quota.Forecast(gs, deals, asOf, nil)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := tc.run(goals(), quota.Refs(deals))
			require.NoError(t, err)
			gs := goals()
			var got any
			require.NotPanics(t, func() { got, err = tc.run(gs, reusing(gs)) })
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("%+v", want), fmt.Sprintf("%+v", got),
				"a change to the caller's goals during the call reached the results")
			assert.True(t, slices.ContainsFunc(gs, func(g quota.Goal) bool { return g.Rep == "z" }), "the sequence did not overwrite the goals")
		})
	}
}
