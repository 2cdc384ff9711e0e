package salesprocess_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestFraction(t *testing.T) {
	tests := []struct {
		name        string
		f           sp.Fraction
		wantDefined bool
		wantDecimal string // to 4 places
		wantReduced sp.Fraction
		wantString  string
	}{
		{name: "third", f: sp.Fraction{Num: 10, Den: 30}, wantDefined: true, wantDecimal: "0.3333", wantReduced: sp.Fraction{Num: 1, Den: 3}, wantString: "10/30"},
		{name: "two_thirds_rounds_up", f: sp.Fraction{Num: 2, Den: 3}, wantDefined: true, wantDecimal: "0.6667", wantReduced: sp.Fraction{Num: 2, Den: 3}, wantString: "2/3"},
		{name: "negative_denominator", f: sp.Fraction{Num: 1, Den: -8}, wantDefined: true, wantDecimal: "-0.125", wantReduced: sp.Fraction{Num: -1, Den: 8}, wantString: "1/-8"},
		{name: "zero", f: sp.Fraction{Num: 0, Den: 5}, wantDefined: true, wantDecimal: "0", wantReduced: sp.Fraction{Num: 0, Den: 1}, wantString: "0/5"},
		{name: "undefined", f: sp.Fraction{}, wantDecimal: "0", wantReduced: sp.Fraction{}, wantString: "0/0"},
		{name: "undefined_with_numerator", f: sp.Fraction{Num: 3}, wantDecimal: "0", wantReduced: sp.Fraction{Num: 3}, wantString: "3/0"},
		{name: "min_int64_over_minus_one_kept", f: sp.Fraction{Num: math.MinInt64, Den: -1}, wantDefined: true,
			wantDecimal: "9223372036854775808", wantReduced: sp.Fraction{Num: math.MinInt64, Den: -1}, wantString: "-9223372036854775808/-1"},
		{name: "one_over_min_int64_kept", f: sp.Fraction{Num: 1, Den: math.MinInt64}, wantDefined: true,
			wantDecimal: "0", wantReduced: sp.Fraction{Num: 1, Den: math.MinInt64}, wantString: "1/-9223372036854775808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.wantDefined, tt.f.Defined())
			assert.Equal(t, tt.wantDecimal, tt.f.Decimal(4).String())
			assert.Equal(t, tt.wantReduced, tt.f.Reduce())
			assert.Equal(t, tt.wantString, tt.f.String())
		})
	}
}

func TestFractionDecimalPlacesClamped(t *testing.T) {
	third := sp.Fraction{Num: 1, Den: 3}
	assert.Equal(t, "0."+strings.Repeat("3", 40), third.Decimal(50).String(), "places beyond 40 count as 40")
	assert.Equal(t, "0", third.Decimal(-50).String(), "places below -40 count as -40")
}

func TestFractionCmp(t *testing.T) {
	tests := []struct {
		name string
		a, b sp.Fraction
		want int
	}{
		{name: "equal_unreduced", a: sp.Fraction{Num: 1, Den: 3}, b: sp.Fraction{Num: 10, Den: 30}, want: 0},
		{name: "less", a: sp.Fraction{Num: 1, Den: 3}, b: sp.Fraction{Num: 1, Den: 2}, want: -1},
		{name: "greater", a: sp.Fraction{Num: 7, Den: 20}, b: sp.Fraction{Num: 1, Den: 3}, want: 1},
		{name: "no_overflow", a: sp.Fraction{Num: math.MaxInt64, Den: math.MaxInt64 - 1}, b: sp.Fraction{Num: math.MaxInt64 - 1, Den: math.MaxInt64 - 2}, want: -1},
		{name: "undefined_before_defined", a: sp.Fraction{}, b: sp.Fraction{Num: -5, Den: 1}, want: -1},
		{name: "defined_after_undefined", a: sp.Fraction{Num: 0, Den: 1}, b: sp.Fraction{Num: 1}, want: 1},
		{name: "undefined_equal", a: sp.Fraction{Num: 1}, b: sp.Fraction{Num: 2}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.a.Cmp(tt.b))
			assert.Equal(t, -tt.want, tt.b.Cmp(tt.a))
		})
	}
}

func TestFractionJSON(t *testing.T) {
	data, err := json.Marshal(sp.Fraction{Num: 7, Den: 20})
	require.NoError(t, err)
	assert.JSONEq(t, `{"num":7,"den":20}`, string(data))
	var back sp.Fraction
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, sp.Fraction{Num: 7, Den: 20}, back)
}

// TestFractionDecimalRoundsUpToTwoTo64: a quotient of 2⁶⁴−1 in units of
// the last place that rounds up is 2⁶⁴ units, beyond 64 bits, not zero.
func TestFractionDecimalRoundsUpToTwoTo64(t *testing.T) {
	// 8301034833169298227/45 = 184467440737095516.1555…: 18446744073709551615.55… hundredths.
	f := sp.Fraction{Num: 8301034833169298227, Den: 45}
	assert.Equal(t, "184467440737095516.16", f.Decimal(2).String())
	f.Num = -f.Num
	assert.Equal(t, "-184467440737095516.16", f.Decimal(2).String())
}
