package salesprocess_test

import (
	"math"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestMoneyAllocate(t *testing.T) {
	tests := []struct {
		name    string
		amount  string
		weights []int64
		want    []string
	}{
		{name: "thirds", amount: "100.00 EUR", weights: []int64{1, 1, 1}, want: []string{"33.34 EUR", "33.33 EUR", "33.33 EUR"}},
		{name: "one_two", amount: "1.00 EUR", weights: []int64{1, 2}, want: []string{"0.33 EUR", "0.67 EUR"}},
		{name: "single", amount: "9.99 EUR", weights: []int64{7}, want: []string{"9.99 EUR"}},
		{name: "zero_weight_gets_zero", amount: "0.05 EUR", weights: []int64{0, 1, 0, 1}, want: []string{"0.00 EUR", "0.03 EUR", "0.00 EUR", "0.02 EUR"}},
		{name: "ties_to_earlier", amount: "0.02 EUR", weights: []int64{1, 1, 1}, want: []string{"0.01 EUR", "0.01 EUR", "0.00 EUR"}},
		{name: "largest_remainder", amount: "1.00 EUR", weights: []int64{1, 1, 4}, want: []string{"0.17 EUR", "0.17 EUR", "0.66 EUR"}},
		{name: "negative", amount: "-100.00 EUR", weights: []int64{1, 1, 1}, want: []string{"-33.34 EUR", "-33.33 EUR", "-33.33 EUR"}},
		{name: "jpy_whole_yen", amount: "100 JPY", weights: []int64{1, 1, 1}, want: []string{"34 JPY", "33 JPY", "33 JPY"}},
		{name: "finer_amount_finer_unit", amount: "1.000 EUR", weights: []int64{1, 1, 1}, want: []string{"0.334 EUR", "0.333 EUR", "0.333 EUR"}},
		{name: "zero_amount", amount: "0 EUR", weights: []int64{1, 2}, want: []string{"0.00 EUR", "0.00 EUR"}},
		{name: "huge_weights", amount: "0.03 EUR", weights: []int64{math.MaxInt64, math.MaxInt64, math.MaxInt64},
			want: []string{"0.01 EUR", "0.01 EUR", "0.01 EUR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := money(t, tt.amount)
			parts, err := m.Allocate(tt.weights...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, moneyStrings(parts))
			total, err := sp.Sum(m.Currency(), slices.Values(parts))
			require.NoError(t, err)
			assert.True(t, total.Equal(m), "parts sum to %s, want %s", total, m)
		})
	}
}

func TestMoneyAllocateErrors(t *testing.T) {
	tests := []struct {
		name    string
		m       sp.Money
		weights []int64
		want    string
	}{
		{name: "err_no_weights", m: money(t, "1 EUR"), weights: nil, want: "invalid weights: none given"},
		{name: "err_negative_weight", m: money(t, "1 EUR"), weights: []int64{1, -1}, want: "invalid weights: weight 1 is negative (-1)"},
		{name: "err_all_zero", m: money(t, "1 EUR"), weights: []int64{0, 0}, want: "invalid weights: all zero"},
		{name: "err_zero_money", m: sp.Money{}, weights: []int64{1}, want: "invalid currency: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, err := tt.m.Allocate(tt.weights...)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.EqualError(t, err, tt.want)
			assert.Nil(t, parts)
		})
	}
}

func TestMoneyAllocateDecimal(t *testing.T) {
	tests := []struct {
		name    string
		amount  string
		weights []string
		want    []string
	}{
		{name: "percent_with_decimals", amount: "1000.00 EUR", weights: []string{"33.5", "66.5"}, want: []string{"335.00 EUR", "665.00 EUR"}},
		{name: "shares_of_a_year", amount: "120000 JPY", weights: []string{"0.07", "0.08", "0.1"}, want: []string{"33600 JPY", "38400 JPY", "48000 JPY"}},
		{name: "mixed_exponents", amount: "10.00 EUR", weights: []string{"1", "0.5", "100"}, want: []string{"0.10 EUR", "0.05 EUR", "9.85 EUR"}},
		{name: "positive_exponent_weight", amount: "1.00 USD", weights: []string{"1e3", "1e3"}, want: []string{"0.50 USD", "0.50 USD"}},
		{name: "thirds", amount: "100.00 EUR", weights: []string{"1", "1", "1"}, want: []string{"33.34 EUR", "33.33 EUR", "33.33 EUR"}},
		// A zero weight is zero whatever its exponent.
		{name: "zero_weight_places_50", amount: "1.00 EUR", weights: []string{"0E-50", "1"}, want: []string{"0.00 EUR", "1.00 EUR"}},
		{name: "zero_weight_exponent_60", amount: "1.00 EUR", weights: []string{"1", "0e+60"}, want: []string{"1.00 EUR", "0.00 EUR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := make([]decimal.Decimal, len(tt.weights))
			for i, s := range tt.weights {
				ws[i] = dec(t, s)
			}
			m := money(t, tt.amount)
			parts, err := m.AllocateDecimal(ws...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, moneyStrings(parts))
		})
	}

	bad := []struct {
		name    string
		weights []decimal.Decimal
		want    string
	}{
		{name: "err_none", weights: nil, want: "none given"},
		{name: "err_negative", weights: []decimal.Decimal{decimal.NewFromInt(1), dec(t, "-0.5")}, want: "weight 1 is negative (-0.5)"},
		{name: "err_all_zero", weights: []decimal.Decimal{decimal.Zero, dec(t, "0.00")}, want: "all zero"},
		{name: "err_all_zero_any_exponent", weights: []decimal.Decimal{decimal.New(0, math.MinInt32), decimal.New(0, math.MaxInt32)}, want: "all zero"},
		{name: "err_out_of_bounds", weights: []decimal.Decimal{decimal.New(1, 100)}, want: "weight 0 out of bounds"},
		{name: "err_too_fine", weights: []decimal.Decimal{decimal.New(1, -100)}, want: "weight 0 out of bounds"},
		// A negative weight far out of bounds is refused as out of bounds,
		// not written out in the message digit by digit (a million zeros).
		{name: "err_negative_out_of_bounds", weights: []decimal.Decimal{decimal.New(-1, 1000000)}, want: "weight 0 out of bounds"},
		{name: "err_negative_too_fine", weights: []decimal.Decimal{decimal.New(-1, -1000000)}, want: "weight 0 out of bounds"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			parts, err := money(t, "1 EUR").AllocateDecimal(tt.weights...)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.ErrorContains(t, err, tt.want)
			assert.Less(t, len(err.Error()), 100, "the message stays short")
			assert.Nil(t, parts)
		})
	}
}
