package salesprocess_test

import (
	"iter"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// decimalSum is the reference: the amounts added one by one with
// decimal.Add.
func decimalSum(ms []sp.Money) decimal.Decimal {
	var total decimal.Decimal
	for _, m := range ms {
		total = total.Add(m.Amount())
	}
	return total
}

func TestAccumulator(t *testing.T) {
	big19 := "9223372036854775807"       // MaxInt64, 19 digits
	big25 := "1234567890123456789012345" // does not fit an int64
	tests := []struct {
		name    string
		amounts []string
		want    string
	}{
		{name: "none", amounts: nil, want: "0.00 EUR"},
		{name: "cents", amounts: []string{"0.10 EUR", "0.20 EUR"}, want: "0.30 EUR"},
		{name: "mixed_exponents", amounts: []string{"1 EUR", "0.5 EUR", "0.25 EUR", "0.125 EUR", "100 EUR"}, want: "101.875 EUR"},
		{name: "finer_first", amounts: []string{"0.001 EUR", "1 EUR", "10 EUR"}, want: "11.001 EUR"},
		{name: "negative", amounts: []string{"5.00 EUR", "-7.25 EUR"}, want: "-2.25 EUR"},
		{name: "zeros", amounts: []string{"0 EUR", "0.0000 EUR", "0.00 EUR"}, want: "0.00 EUR"},
		{name: "back_to_zero_then_coarser", amounts: []string{"0.01 EUR", "-0.01 EUR", "7 EUR"}, want: "7.00 EUR"},
		{name: "int64_overflow", amounts: []string{big19 + " EUR", big19 + " EUR", "1 EUR"}, want: "18446744073709551615.00 EUR"},
		{name: "int64_underflow", amounts: []string{"-" + big19 + " EUR", "-" + big19 + " EUR", "-2 EUR"}, want: "-18446744073709551616.00 EUR"},
		{name: "fast_sum_overflow", amounts: slices.Repeat([]string{"999999999999999999 EUR"}, 10), want: "9999999999999999990.00 EUR"},
		{name: "fast_sum_underflow", amounts: slices.Repeat([]string{"-999999999999999999 EUR"}, 10), want: "-9999999999999999990.00 EUR"},
		{name: "zero_at_coarser_exponent", amounts: []string{"0.01 EUR", "0 EUR"}, want: "0.01 EUR"},
		{name: "exponents_too_far_apart", amounts: []string{"0.00000000000000000001 EUR", "1 EUR"}, want: "1.00000000000000000001 EUR"},
		{name: "coefficient_beyond_18_digits", amounts: []string{big25 + " EUR", "0.01 EUR"}, want: big25 + ".01 EUR"},
		{name: "rescale_overflow", amounts: []string{"900000000000000000 EUR", "0.01 EUR"}, want: "900000000000000000.01 EUR"},
		{name: "scale_up_overflow", amounts: []string{"0.01 EUR", "900000000000000000 EUR"}, want: "900000000000000000.01 EUR"},
		{name: "scale_up_overflow_at_the_bound", amounts: []string{"0.01 EUR", "92233720368547759 EUR"}, want: "92233720368547759.01 EUR"}, // MaxInt64/100 + 1
		{name: "nineteen_digits_beyond_int64", amounts: []string{"9999999999999999999 EUR", "0.01 EUR"}, want: "9999999999999999999.01 EUR"},
		{name: "far_exponents", amounts: []string{"0." + strings.Repeat("0", 30) + "1 EUR", "1" + strings.Repeat("0", 30) + " EUR"},
			want: "1" + strings.Repeat("0", 30) + "." + strings.Repeat("0", 30) + "1 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := make([]sp.Money, len(tt.amounts))
			for i, s := range tt.amounts {
				ms[i] = money(t, s)
			}
			acc := sp.NewAccumulator("EUR")
			for _, m := range ms {
				require.NoError(t, acc.Add(m))
			}
			got := acc.Total()
			assert.True(t, got.Equal(money(t, tt.want)), "total %s, want %s", got, tt.want)
			assert.True(t, got.Amount().Equal(decimalSum(ms)), "total %s, decimal.Add gives %s", got, decimalSum(ms))
			assert.Equal(t, len(ms), acc.Count())
			assert.Equal(t, sp.Currency("EUR"), acc.Currency())

			sum, err := sp.Sum("EUR", slices.Values(ms))
			require.NoError(t, err)
			assert.True(t, sum.Equal(got), "Sum %s, Accumulator %s", sum, got)
		})
	}
}

func TestAccumulatorZeroValue(t *testing.T) {
	var acc sp.Accumulator
	assert.True(t, acc.Total().IsUnset(), "an empty zero Accumulator totals the zero Money")
	assert.Empty(t, acc.Currency())

	err := acc.Add(sp.Money{})
	assert.ErrorIs(t, err, sp.ErrCurrencyMismatch, "the zero Money has no currency")
	assert.Equal(t, 0, acc.Count())

	require.NoError(t, acc.Add(money(t, "1.50 USD")), "the first amount sets the currency")
	assert.Equal(t, sp.Currency("USD"), acc.Currency())

	err = acc.Add(money(t, "1 EUR"))
	assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	assert.ErrorIs(t, acc.Add(sp.Money{}), sp.ErrCurrencyMismatch)
	assert.Equal(t, "1.50 USD", acc.Total().String(), "refused amounts leave the total")
	assert.Equal(t, 1, acc.Count())
}

func TestAccumulatorMerge(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		a, b := sp.NewAccumulator("EUR"), sp.NewAccumulator("EUR")
		require.NoError(t, a.Add(money(t, "1.25 EUR")))
		require.NoError(t, b.Add(money(t, "2.50 EUR")))
		require.NoError(t, b.Add(money(t, "123456789012345678901234 EUR")))
		require.NoError(t, a.Merge(&b))
		assert.Equal(t, "123456789012345678901237.75 EUR", a.Total().String())
		assert.Equal(t, 3, a.Count())
	})
	t.Run("into_zero_value", func(t *testing.T) {
		var a sp.Accumulator
		b := sp.NewAccumulator("JPY")
		require.NoError(t, b.Add(money(t, "100 JPY")))
		require.NoError(t, a.Merge(&b))
		assert.Equal(t, "100 JPY", a.Total().String())
	})
	t.Run("with_itself", func(t *testing.T) {
		a := sp.NewAccumulator("EUR")
		require.NoError(t, a.Add(money(t, "1.5 EUR")))
		require.NoError(t, a.Add(money(t, "1"+strings.Repeat("0", 20)+" EUR")))
		require.NoError(t, a.Merge(&a))
		assert.Equal(t, "2"+strings.Repeat("0", 19)+"3.00 EUR", a.Total().String())
		assert.Equal(t, 4, a.Count())
	})
	t.Run("empty_other_currency_accepted", func(t *testing.T) {
		a, b := sp.NewAccumulator("EUR"), sp.NewAccumulator("USD")
		require.NoError(t, a.Merge(&b))
		assert.Equal(t, sp.Currency("EUR"), a.Currency())
	})
	t.Run("nil_other_accepted", func(t *testing.T) {
		a := sp.NewAccumulator("EUR")
		require.NoError(t, a.Add(money(t, "1 EUR")))
		require.NoError(t, a.Merge(nil))
		assert.Equal(t, "1.00 EUR", a.Total().String())
		assert.Equal(t, 1, a.Count())
	})
	t.Run("err_currency_mismatch", func(t *testing.T) {
		a, b := sp.NewAccumulator("EUR"), sp.NewAccumulator("USD")
		require.NoError(t, a.Add(money(t, "1 EUR")))
		require.NoError(t, b.Add(money(t, "1 USD")))
		assert.ErrorIs(t, a.Merge(&b), sp.ErrCurrencyMismatch)
		assert.Equal(t, "1.00 EUR", a.Total().String())
		assert.Equal(t, 1, a.Count())
	})
}

func TestSum(t *testing.T) {
	t.Run("empty_is_zero_in_currency", func(t *testing.T) {
		got, err := sp.Sum("KWD", slices.Values([]sp.Money(nil)))
		require.NoError(t, err)
		assert.Equal(t, "0.000 KWD", got.String())
	})
	t.Run("err_unknown_currency", func(t *testing.T) {
		_, err := sp.Sum("EURO", slices.Values([]sp.Money(nil)))
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
	t.Run("err_mixed_currencies_stops", func(t *testing.T) {
		pulled := 0
		seq := func(yield func(sp.Money) bool) {
			for _, s := range []string{"1 EUR", "2 USD", "3 EUR"} {
				pulled++
				if !yield(money(t, s)) {
					return
				}
			}
		}
		got, err := sp.Sum("EUR", iter.Seq[sp.Money](seq))
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		assert.True(t, got.IsUnset())
		assert.Equal(t, 2, pulled, "Sum stops at the first mismatch")
	})
	t.Run("many", func(t *testing.T) {
		ms := make([]sp.Money, 0, 1000)
		for i := range 1000 {
			m, err := sp.NewMoneyFromMinor(int64(i)*int64(math.MaxInt32), "EUR")
			require.NoError(t, err)
			ms = append(ms, m)
		}
		got, err := sp.Sum("EUR", slices.Values(ms))
		require.NoError(t, err)
		assert.True(t, got.Amount().Equal(decimalSum(ms)))
	})
}

// An amount that fits the fast path is added without allocating, as the
// Accumulator's doc says, and Sum's allocations do not grow with the number
// of amounts.
func TestSumAllocations(t *testing.T) {
	ms := make([]sp.Money, 1000)
	for i := range ms {
		m, err := sp.NewMoneyFromMinor(int64(i*37+1), "EUR")
		require.NoError(t, err)
		ms[i] = m
	}
	var acc sp.Accumulator
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		if err := acc.Add(ms[i%len(ms)]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	assert.Zero(t, allocs, "Accumulator.Add")

	sumOf := func(n int) float64 {
		return testing.AllocsPerRun(20, func() {
			if _, err := sp.Sum("EUR", slices.Values(ms[:n])); err != nil {
				t.Fatal(err)
			}
		})
	}
	assert.Equal(t, sumOf(10), sumOf(len(ms)), "Sum of 10 and of 1,000 amounts")
}
