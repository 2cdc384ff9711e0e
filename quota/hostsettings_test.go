package quota_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/quota"
)

// hostDecimalSettings sets the package variables of shopspring/decimal
// for the rest of t as a host program may set them: decimals marshaled as
// JSON numbers, and Div rounding to one place. A test that calls it must
// not run in parallel with others.
func hostDecimalSettings(t *testing.T) {
	t.Helper()
	quotes, precision := decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision
	decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision = true, 1
	t.Cleanup(func() { decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision = quotes, precision })
}

// TestChanceWhateverHostDecimalSettings checks that the chance of reaching
// a goal, exact, on a lattice or simulated, and its JSON, are the same
// where a host has set shopspring/decimal's variables: a need that lies
// between multiples of the amounts' unit is divided by it to as many
// places as by default, not to decimal.DivisionPrecision's.
func TestChanceWhateverHostDecimalSettings(t *testing.T) {
	two := []quota.Prospect{
		{Amount: money(t, "1000000.00 EUR"), Probability: dec(t, "0.5")},
		{Amount: money(t, "1000000.00 EUR"), Probability: dec(t, "0.5")},
	}
	small := randomProspects(3, 14, 1_000_000, 1)
	large := randomProspects(300, 300, 5_000_000, 100_000)
	cases := []struct {
		goal      string
		prospects []quota.Prospect
	}{
		{"1000000.01 EUR", two},
		{nearMean(small, 0.2).String(), small},
		{nearMean(large, 0.3).String(), large},
	}
	results := func() []string {
		var out []string
		for _, c := range cases {
			goal := money(t, c.goal)
			reach, err := quota.Reach(goal, cents(0), slices.Values(c.prospects))
			require.NoError(t, err)
			sim, err := quota.Simulate(goal, cents(0), slices.Values(c.prospects), 2000, 1)
			require.NoError(t, err)
			for _, v := range []any{reach, sim} {
				raw, err := json.Marshal(v)
				require.NoError(t, err)
				out = append(out, string(raw))
			}
		}
		return out
	}
	want := results()
	require.Contains(t, want[0], `"shortfall":{"money":{"amount":"250000.01","currency":"EUR"}`)
	hostDecimalSettings(t)
	assert.Equal(t, want, results())
}
