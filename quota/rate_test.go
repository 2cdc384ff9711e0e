package quota_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

func TestRateDecimal(t *testing.T) {
	tests := []struct {
		name   string
		rate   quota.Rate
		places int32
		want   string
		pct    string
	}{
		{name: "two_thirds", rate: quota.Rate{Num: 2, Den: 3}, places: 4, want: "0.6667", pct: "66.6667"},
		{name: "half_up", rate: quota.Rate{Num: 1, Den: 8}, places: 2, want: "0.13", pct: "12.5"},
		{name: "half_up_percent", rate: quota.Rate{Num: 1, Den: 16}, places: 1, want: "0.1", pct: "6.3"},
		{name: "whole", rate: quota.Rate{Num: 3, Den: 3}, places: 2, want: "1", pct: "100"},
		{name: "no_data", rate: quota.Rate{}, places: 2, want: "0", pct: "0"},
		{name: "above_one", rate: quota.Rate{Num: 5, Den: 4}, places: 2, want: "1.25", pct: "125"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.rate.Decimal(tt.places).String())
			assert.Equal(t, tt.pct, tt.rate.Percent(tt.places).String())
		})
	}
}

func TestRateIsProportionBounds(t *testing.T) {
	assert.True(t, quota.Rate{Num: 0, Den: 5}.IsProportion(), "0/5")
	assert.True(t, quota.Rate{Num: 5, Den: 5}.IsProportion(), "5/5: Num = Den is a proportion")
	assert.False(t, quota.Rate{Num: 6, Den: 5}.IsProportion(), "6/5")
	assert.False(t, quota.Rate{Num: -1, Den: 5}.IsProportion(), "-1/5")
	assert.False(t, quota.Rate{Num: 0, Den: -5}.IsProportion(), "0/-5")
}

func TestRateNoData(t *testing.T) {
	var r quota.Rate
	assert.False(t, r.Defined())
	assert.False(t, r.IsProportion())
	assert.Equal(t, "0/0", r.String())
	assert.Equal(t, -1, r.Cmp(quota.Rate{Num: 0, Den: 1}), "no data sorts first")
	assert.Equal(t, 0, r.Cmp(quota.Rate{}))
	iv, err := r.Wilson(0.95, 4)
	require.NoError(t, err)
	assert.Equal(t, "[0, 1]", iv.String(), "no data: anything is possible")
	shrunk, err := r.Shrink(quota.Prior{Mean: 0.3, Strength: 10}, 2)
	require.NoError(t, err)
	assert.Equal(t, "0.3", shrunk.String(), "no data shrinks to the prior's mean")
	assert.Equal(t, sp.Fraction{}, r.Fraction())

	// Won deals in a group without inquiries (the period basis): no data,
	// its counts shown as they are.
	some := quota.Rate{Num: 3, Den: 0}
	assert.False(t, some.Defined())
	assert.Equal(t, "3/0", some.String())
	assert.True(t, some.Decimal(4).IsZero())
}

// TestWilsonTextbook checks the Wilson interval against published values:
// Newcombe (1998), "Two-sided confidence intervals for the single
// proportion", table II, method 3, and 107 of 160 at 95 % and 99 %
// (computed at 40 digits).
func TestWilsonTextbook(t *testing.T) {
	tests := []struct {
		name       string
		num, den   int64
		confidence float64
		lo, hi     string
	}{
		{name: "107_of_160", num: 107, den: 160, confidence: 0.95, lo: "0.5926", hi: "0.737"},
		{name: "107_of_160_99", num: 107, den: 160, confidence: 0.99, lo: "0.5679", hi: "0.7562"},
		{name: "81_of_263", num: 81, den: 263, confidence: 0.95, lo: "0.2553", hi: "0.3662"},
		{name: "15_of_148", num: 15, den: 148, confidence: 0.95, lo: "0.0624", hi: "0.1605"},
		{name: "0_of_20", num: 0, den: 20, confidence: 0.95, lo: "0", hi: "0.1611"},
		{name: "1_of_29", num: 1, den: 29, confidence: 0.95, lo: "0.0061", hi: "0.1718"},
		{name: "29_of_29", num: 29, den: 29, confidence: 0.95, lo: "0.883", hi: "1"},
		{name: "0_of_10", num: 0, den: 10, confidence: 0.95, lo: "0", hi: "0.2775"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iv, err := quota.Rate{Num: tt.num, Den: tt.den}.Wilson(tt.confidence, 4)
			require.NoError(t, err)
			assert.Equal(t, tt.lo, iv.Lower.String())
			assert.Equal(t, tt.hi, iv.Upper.String())
		})
	}
}

func TestWilsonErrors(t *testing.T) {
	tests := []struct {
		name       string
		rate       quota.Rate
		confidence float64
		places     int32
	}{
		{name: "err_above_one", rate: quota.Rate{Num: 5, Den: 4}, confidence: 0.95, places: 4},
		{name: "err_negative", rate: quota.Rate{Num: -1, Den: 4}, confidence: 0.95, places: 4},
		{name: "err_confidence_one", rate: quota.Rate{Num: 1, Den: 4}, confidence: 1, places: 4},
		{name: "err_confidence_nan", rate: quota.Rate{Num: 1, Den: 4}, confidence: math.NaN(), places: 4},
		{name: "err_places", rate: quota.Rate{Num: 1, Den: 4}, confidence: 0.95, places: 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.rate.Wilson(tt.confidence, tt.places)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), "quota: ")
		})
	}
}

func TestWilsonProperties(t *testing.T) {
	for den := int64(1); den <= 60; den++ {
		for num := int64(0); num <= den; num++ {
			r := quota.Rate{Num: num, Den: den}
			iv, err := r.Wilson(0.95, 6)
			require.NoError(t, err)
			p := r.Decimal(6)
			require.True(t, iv.Contains(p), "%s: %s not in %s", r, p, iv)
			require.True(t, iv.Lower.Sign() >= 0 && iv.Upper.LessThanOrEqual(decimal.New(1, 0)), "%s: %s", r, iv)
			wide, err := r.Wilson(0.99, 6)
			require.NoError(t, err)
			require.True(t, wide.Lower.LessThanOrEqual(iv.Lower) && wide.Upper.GreaterThanOrEqual(iv.Upper), "%s: 99%% %s within 95%% %s", r, wide, iv)
		}
	}
}

// TestWilsonEndsAreExact checks the ends the documentation makes exact:
// the lower bound of 0 of n is 0 and the upper bound of n of n is 1, at
// the most places, where the float64 formula lands an ulp off (0 of 29 at
// 80 % reads 3.5e-18).
func TestWilsonEndsAreExact(t *testing.T) {
	one := decimal.New(1, 0)
	for _, c := range []float64{0.8, 0.9, 0.95, 0.99} {
		for n := int64(1); n <= 200; n++ {
			none, err := quota.Rate{Num: 0, Den: n}.Wilson(c, 18)
			require.NoError(t, err)
			require.True(t, none.Lower.IsZero(), "0/%d at %v: lower %s", n, c, none.Lower)
			all, err := quota.Rate{Num: n, Den: n}.Wilson(c, 18)
			require.NoError(t, err)
			require.True(t, all.Upper.Equal(one), "%d/%d at %v: upper %s", n, n, c, all.Upper)
		}
	}
}

func TestShrinkRanksBySampleSize(t *testing.T) {
	// Twenty reps around a 50 % team rate, two of them with little data.
	rates := []quota.Rate{{Num: 2, Den: 3}, {Num: 60, Den: 100}}
	for i := range 18 {
		rates = append(rates, quota.Rate{Num: int64(40 + i%7), Den: 90})
	}
	prior, err := quota.FitPrior(slices.Values(rates))
	require.NoError(t, err)
	assert.Greater(t, prior.Strength, 10.0)
	small, err := rates[0].Shrink(prior, 4)
	require.NoError(t, err)
	large, err := rates[1].Shrink(prior, 4)
	require.NoError(t, err)
	assert.True(t, rates[0].Cmp(rates[1]) > 0, "raw: 2/3 above 60/100")
	assert.True(t, small.LessThan(large), "shrunk: 2/3 → %s below 60/100 → %s", small, large)

	fixed := quota.Prior{Mean: 0.5, Strength: 10}
	got, err := quota.Rate{Num: 2, Den: 3}.Shrink(fixed, 4)
	require.NoError(t, err)
	assert.Equal(t, "0.5385", got.String(), "(2 + 5) / (3 + 10)")
	got, err = quota.Rate{Num: 60, Den: 100}.Shrink(fixed, 4)
	require.NoError(t, err)
	assert.Equal(t, "0.5909", got.String(), "(60 + 5) / (100 + 10)")
	got, err = quota.Rate{Num: 0, Den: 5}.Shrink(fixed, 4)
	require.NoError(t, err)
	assert.Equal(t, "0.3333", got.String(), "0 of 5 is data: (0 + 5) / (5 + 10), not the prior's mean")
}

func TestShrinkNoDataIsThePriorsMean(t *testing.T) {
	// (0 + Mean·Strength)/(0 + Strength) in float64 can land an ulp off
	// Mean, and on the other side of a rounding boundary.
	tests := []struct {
		prior  quota.Prior
		places int32
		want   string
	}{
		{prior: quota.Prior{Mean: 0.12345, Strength: 7}, places: 4, want: "0.1235"},
		{prior: quota.Prior{Mean: 0.1, Strength: 3}, places: 18, want: "0.1"},
		{prior: quota.Prior{Mean: 0.7, Strength: 0.1}, places: 16, want: "0.7"},
	}
	for _, tt := range tests {
		got, err := quota.Rate{}.Shrink(tt.prior, tt.places)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got.String(), "%+v at %d places", tt.prior, tt.places)
	}
}

func TestFitPrior(t *testing.T) {
	tests := []struct {
		name         string
		rates        []quota.Rate
		mean         float64
		strength     float64 // -1: between 0 and the total trials, exclusive
		wantStrength func(p quota.Prior) bool
	}{
		{name: "no_data", rates: []quota.Rate{{}, {}}, mean: 0, strength: 0},
		{name: "one_group", rates: []quota.Rate{{Num: 3, Den: 10}}, mean: 0.3, strength: 10},
		{name: "all_zero", rates: []quota.Rate{{Num: 0, Den: 10}, {Num: 0, Den: 5}}, mean: 0, strength: 15},
		{name: "identical", rates: []quota.Rate{{Num: 5, Den: 10}, {Num: 5, Den: 10}, {Num: 5, Den: 10}}, mean: 0.5, strength: 30},
		{name: "wild", rates: []quota.Rate{{Num: 0, Den: 100}, {Num: 100, Den: 100}}, mean: 0.5, strength: 0},
		{name: "single_trials", rates: []quota.Rate{{Num: 0, Den: 1}, {Num: 1, Den: 1}}, mean: 0.5, strength: 2},
		// ρ = 1/21, so 1/ρ − 1 = 20, above the 8 trials: clipped to 8.
		{name: "barely_dispersed", rates: []quota.Rate{{Num: 0, Den: 4}, {Num: 1, Den: 4}}, mean: 0.125, strength: 8},
		{name: "overdispersed", rates: []quota.Rate{{Num: 10, Den: 100}, {Num: 30, Den: 100}, {Num: 50, Den: 100}}, mean: 0.3, strength: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := quota.FitPrior(slices.Values(tt.rates))
			require.NoError(t, err)
			assert.InDelta(t, tt.mean, p.Mean, 1e-12)
			if tt.strength >= 0 {
				assert.InDelta(t, tt.strength, p.Strength, 1e-9)
			} else {
				assert.Greater(t, p.Strength, 0.0)
				assert.Less(t, p.Strength, 300.0)
			}
			require.NoError(t, p.Validate())
		})
	}
	t.Run("err_not_a_proportion", func(t *testing.T) {
		_, err := quota.FitPrior(slices.Values([]quota.Rate{{Num: 3, Den: 2}}))
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestShrinkErrors(t *testing.T) {
	tests := []struct {
		name  string
		rate  quota.Rate
		prior quota.Prior
	}{
		{name: "err_rate", rate: quota.Rate{Num: 4, Den: 3}, prior: quota.Prior{Mean: 0.5, Strength: 1}},
		{name: "err_mean", rate: quota.Rate{Num: 1, Den: 3}, prior: quota.Prior{Mean: 1.5, Strength: 1}},
		{name: "err_strength", rate: quota.Rate{Num: 1, Den: 3}, prior: quota.Prior{Mean: 0.5, Strength: math.Inf(1)}},
		{name: "err_strength_nan", rate: quota.Rate{Num: 1, Den: 3}, prior: quota.Prior{Mean: 0.5, Strength: math.NaN()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.rate.Shrink(tt.prior, 4)
			assert.ErrorIs(t, err, sp.ErrInvalid)
		})
	}
	_, err := quota.Rate{Num: 1, Den: 3}.Shrink(quota.Prior{Mean: 0.5}, -1)
	assert.ErrorIs(t, err, sp.ErrInvalid)
}

// TestCompareNewcombe checks the difference interval against Newcombe
// (1998), "Interval estimation for the difference between independent
// proportions", table II, method 10.
func TestCompareNewcombe(t *testing.T) {
	tests := []struct {
		name    string
		a, b    quota.Rate
		lo, hi  string
		verdict quota.Verdict
	}{
		{name: "56_70_vs_48_80", a: quota.Rate{Num: 56, Den: 70}, b: quota.Rate{Num: 48, Den: 80}, lo: "0.0524", hi: "0.3339", verdict: quota.VerdictAbove},
		{name: "9_10_vs_3_10", a: quota.Rate{Num: 9, Den: 10}, b: quota.Rate{Num: 3, Den: 10}, lo: "0.1705", hi: "0.809", verdict: quota.VerdictAbove},
		{name: "6_7_vs_2_7", a: quota.Rate{Num: 6, Den: 7}, b: quota.Rate{Num: 2, Den: 7}, lo: "0.0582", hi: "0.8062", verdict: quota.VerdictAbove},
		{name: "5_56_vs_0_29", a: quota.Rate{Num: 5, Den: 56}, b: quota.Rate{Num: 0, Den: 29}, lo: "-0.0381", hi: "0.1926", verdict: quota.VerdictInconclusive},
		{name: "0_10_vs_0_20", a: quota.Rate{Num: 0, Den: 10}, b: quota.Rate{Num: 0, Den: 20}, lo: "-0.1611", hi: "0.2775", verdict: quota.VerdictInconclusive},
		{name: "10_10_vs_0_20", a: quota.Rate{Num: 10, Den: 10}, b: quota.Rate{Num: 0, Den: 20}, lo: "0.6791", hi: "1", verdict: quota.VerdictAbove},
		{name: "below", a: quota.Rate{Num: 3, Den: 40}, b: quota.Rate{Num: 120, Den: 400}, verdict: quota.VerdictBelow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := quota.Compare(tt.a, tt.b, 0.95, 4)
			require.NoError(t, err)
			if tt.lo != "" {
				assert.Equal(t, tt.lo, c.Interval.Lower.String())
				assert.Equal(t, tt.hi, c.Interval.Upper.String())
			}
			assert.Equal(t, tt.verdict, c.Verdict)
			assert.True(t, c.PValue.Sign() >= 0 && c.PValue.LessThanOrEqual(decimal.New(1, 0)))
		})
	}
	t.Run("verdict_before_rounding", func(t *testing.T) {
		// The upper bound is −0.0000391, which reads 0 at four places; the
		// verdict goes by the bound itself.
		c, err := quota.Compare(quota.Rate{Num: 2, Den: 7}, quota.Rate{Num: 16, Den: 23}, 0.95, 4)
		require.NoError(t, err)
		assert.Equal(t, "[-0.6617, 0]", c.Interval.String())
		assert.Equal(t, quota.VerdictBelow, c.Verdict)
		c, err = quota.Compare(quota.Rate{Num: 2, Den: 7}, quota.Rate{Num: 16, Den: 23}, 0.95, 5)
		require.NoError(t, err)
		assert.Equal(t, "-0.00004", c.Interval.Upper.String())
	})
	t.Run("no_data", func(t *testing.T) {
		c, err := quota.Compare(quota.Rate{}, quota.Rate{Num: 1, Den: 2}, 0.95, 4)
		require.NoError(t, err)
		assert.Equal(t, quota.VerdictNoData, c.Verdict)
		c, err = quota.Compare(quota.Rate{Num: 1, Den: 2}, quota.Rate{}, 0.95, 4)
		require.NoError(t, err)
		assert.Equal(t, quota.Comparison{Verdict: quota.VerdictNoData}, c, "peers without data")
	})
	t.Run("p_value", func(t *testing.T) {
		// 56/70 vs 48/80: pooled z = 2.650, p = 0.00805.
		c, err := quota.Compare(quota.Rate{Num: 56, Den: 70}, quota.Rate{Num: 48, Den: 80}, 0.95, 4)
		require.NoError(t, err)
		assert.Equal(t, "0.008", c.PValue.String())
		assert.Equal(t, "0.2", c.Difference.String())
		same, err := quota.Compare(quota.Rate{Num: 0, Den: 5}, quota.Rate{Num: 0, Den: 5}, 0.95, 4)
		require.NoError(t, err)
		assert.Equal(t, "1", same.PValue.String())
	})
	t.Run("errors", func(t *testing.T) {
		for _, args := range []struct {
			a, b   quota.Rate
			c      float64
			places int32
		}{
			{quota.Rate{Num: 2, Den: 1}, quota.Rate{Num: 1, Den: 2}, 0.95, 4},
			{quota.Rate{Num: 1, Den: 2}, quota.Rate{Num: 1, Den: 2}, 0, 4},
			{quota.Rate{Num: 1, Den: 2}, quota.Rate{Num: 1, Den: 2}, 0.95, -1},
		} {
			_, err := quota.Compare(args.a, args.b, args.c, args.places)
			assert.ErrorIs(t, err, sp.ErrInvalid)
		}
	})
}

// CompareAmong is Compare at Bonferroni's confidence for m comparisons,
// with the p-value multiplied by m, at most 1; for one comparison it is
// Compare.
func TestCompareAmong(t *testing.T) {
	a, b := quota.Rate{Num: 56, Den: 70}, quota.Rate{Num: 48, Den: 80}
	plain, err := quota.Compare(a, b, 0.95, 6)
	require.NoError(t, err)
	one, err := quota.CompareAmong(a, b, 0.95, 1, 6)
	require.NoError(t, err)
	assert.Equal(t, plain, one)

	// Ten comparisons at 95 % together: each at 99.5 %. 56/70 vs 48/80 is
	// above the peers at 95 % (p = 0.008045) but not at 99.5 %.
	at995, err := quota.Compare(a, b, 0.995, 6)
	require.NoError(t, err)
	ten, err := quota.CompareAmong(a, b, 0.95, 10, 6)
	require.NoError(t, err)
	assert.Equal(t, at995.Interval, ten.Interval)
	assert.Equal(t, at995.Difference, ten.Difference)
	assert.Equal(t, quota.VerdictAbove, plain.Verdict)
	assert.Equal(t, quota.VerdictInconclusive, ten.Verdict)
	assert.Equal(t, "0.008045", plain.PValue.String())
	assert.Equal(t, "0.080451", ten.PValue.String(), "ten times the unrounded p")

	// The p-value stops at 1, and the interval stays finite for any m.
	many, err := quota.CompareAmong(a, b, 0.95, math.MaxInt64, 6)
	require.NoError(t, err)
	assert.Equal(t, "1", many.PValue.String())
	assert.Equal(t, quota.VerdictInconclusive, many.Verdict)
	assert.True(t, many.Interval.Lower.GreaterThanOrEqual(decimal.New(-1, 0)) && many.Interval.Upper.LessThanOrEqual(decimal.New(1, 0)), "%v", many.Interval)
	// Finite and no narrower than for ten comparisons: it still holds the
	// difference.
	assert.True(t, many.Interval.Contains(many.Difference), "%v holds %s", many.Interval, many.Difference)
	assert.True(t, many.Interval.Lower.LessThanOrEqual(ten.Interval.Lower) && many.Interval.Upper.GreaterThanOrEqual(ten.Interval.Upper),
		"%v within %v", many.Interval, ten.Interval)
}

func TestRateWithout(t *testing.T) {
	peers, err := quota.Rate{Num: 30, Den: 100}.Without(quota.Rate{Num: 2, Den: 10})
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 28, Den: 90}, peers)
	for _, part := range []quota.Rate{{Num: 31, Den: 10}, {Num: 1, Den: 101}, {Num: -1, Den: 1}} {
		_, err := quota.Rate{Num: 30, Den: 100}.Without(part)
		assert.ErrorIs(t, err, sp.ErrInvalid, "%s", part)
	}
}

func TestRateJSON(t *testing.T) {
	r := quota.Rate{Num: 7, Den: 20}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"num":7,"den":20}`, string(b))
	var back quota.Rate
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back)

	c, err := quota.Compare(quota.Rate{Num: 3, Den: 40}, quota.Rate{Num: 120, Den: 400}, 0.95, 4)
	require.NoError(t, err)
	roundTrip(t, c)
}

// roundTrip checks that v marshals to JSON and back to a value that
// marshals the same.
func roundTrip[T any](tb testing.TB, v T) {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	var back T
	require.NoError(tb, json.Unmarshal(b, &back), "%s", b)
	again, err := json.Marshal(back)
	require.NoError(tb, err)
	assert.JSONEq(tb, string(b), string(again))
}

// TestJSONLeavesOutZeroTimes checks that a zero period or time is left
// out of the JSON of the types that say so, on every supported Go
// (omitzero, which would do it, came with Go 1.24), and kept when set.
func TestJSONLeavesOutZeroTimes(t *testing.T) {
	nov := sp.Month(2026, time.November, time.UTC)
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		v    any
		key  string
		set  bool
	}{
		{"key/zero", quota.Key{Rep: "ann"}, "month", false},
		{"key/set", quota.Key{Rep: "ann", Month: nov}, "month", true},
		{"pipeline_report/zero", quota.PipelineReport{}, "closing", false},
		{"pipeline_report/set", quota.PipelineReport{Closing: nov}, "closing", true},
		{"conversion_report/zero", quota.ConversionReport{Basis: quota.BasisPeriod, Period: nov}, "as_of", false},
		{"conversion_report/set", quota.ConversionReport{Basis: quota.BasisCohort, Period: nov, AsOf: asOf}, "as_of", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := json.Marshal(tt.v)
			require.NoError(t, err)
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &m))
			_, has := m[tt.key]
			assert.Equal(t, tt.set, has, "%s", raw)
			switch v := tt.v.(type) {
			case quota.Key:
				roundTrip(t, v)
			case quota.PipelineReport:
				roundTrip(t, v)
			case quota.ConversionReport:
				roundTrip(t, v)
			}
		})
	}
}
