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

// TestRateEstimateAndIntervalJSON checks that the forms RateEstimate and
// Interval write by hand are those encoding/json gives their fields, for
// estimates with and without an interval and a shrunk value, and decimals
// of every size and sign.
func TestRateEstimateAndIntervalJSON(t *testing.T) {
	type interval struct {
		Lower decimal.Decimal `json:"lower"`
		Upper decimal.Decimal `json:"upper"`
	}
	type estimate struct {
		Rate struct {
			Num int64 `json:"num"`
			Den int64 `json:"den"`
		} `json:"rate"`
		Value  decimal.Decimal     `json:"value"`
		Wilson *interval           `json:"wilson,omitempty"`
		Shrunk decimal.NullDecimal `json:"shrunk"`
	}
	for _, s := range []string{"0", "0.5", "-0.25", "1e-30", "123456789e20", "0.6666666666666666666667"} {
		d := dec(t, s)
		iv := quota.Interval{Lower: d, Upper: d.Neg()}
		for _, e := range []quota.RateEstimate{
			{},
			{Rate: quota.Rate{Num: -3, Den: 7}, Value: d},
			{Rate: quota.Rate{Num: 2, Den: 3}, Value: d, Wilson: &iv, Shrunk: decimal.NewNullDecimal(d.Neg())},
		} {
			want := estimate{Value: e.Value, Shrunk: e.Shrunk}
			want.Rate.Num, want.Rate.Den = e.Rate.Num, e.Rate.Den
			if e.Wilson != nil {
				want.Wilson = &interval{e.Wilson.Lower, e.Wilson.Upper}
			}
			wantJSON, err := json.Marshal(want)
			require.NoError(t, err)
			got, err := json.Marshal(e)
			require.NoError(t, err)
			assert.Equal(t, string(wantJSON), string(got))
		}
		wantJSON, err := json.Marshal(interval{iv.Lower, iv.Upper})
		require.NoError(t, err)
		got, err := json.Marshal(iv)
		require.NoError(t, err)
		assert.Equal(t, string(wantJSON), string(got))
	}
}
