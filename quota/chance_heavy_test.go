//go:build !race

// The checks in this file draw ten thousand deals' outcomes a million
// times, some 10¹⁰ Bernoulli trials: seconds without the race detector,
// many minutes with it. They run in the plain test pass (go test
// ./quota/...), which CI runs besides the race pass.

package quota_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/quota"
)

// TestReachMillionDraws checks the chance of reaching a goal from 10,000
// open deals with amounts in cents against a seeded simulation of a
// million draws: the reported bound is at most 1e-3, and the simulation
// falls within it plus four standard errors. With -short it draws a
// tenth as many.
func TestReachMillionDraws(t *testing.T) {
	tests := []struct {
		name  string
		step  int64 // amounts are multiples of step cents
		draws int
		shift float64
	}{
		{name: "cents", step: 1, draws: 1_000_000, shift: 0.3},
		{name: "thousands", step: 100_000, draws: 200_000, shift: -0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := randomProspects(20261127, 10_000, 10_000_000, tt.step)
			goal := nearMean(ps, tt.shift)
			c, err := quota.Reach(goal, cents(0), slices.Values(ps))
			require.NoError(t, err)
			require.LessOrEqual(t, c.ErrorBound, 1e-3)
			draws := tt.draws
			if testing.Short() {
				draws /= 10 // a standard error about three times wider; the full run makes the acceptance's draws
			}
			sim, err := quota.Simulate(goal, cents(0), slices.Values(ps), draws, 1)
			require.NoError(t, err)
			t.Logf("%s: %.6f ± %.2g, simulated %.6f ± %.2g", c.Method, c.Value, c.ErrorBound, sim.Value, sim.StdErr)
			require.InDelta(t, c.Value, sim.Value, c.ErrorBound+4*sim.StdErr)
		})
	}
}
