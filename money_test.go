package salesprocess_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestMoneyAddIsExact(t *testing.T) {
	sum, err := money(t, "0.10 EUR").Add(money(t, "0.20 EUR"))
	require.NoError(t, err)
	assert.True(t, sum.Equal(money(t, "0.30 EUR")), "0.10 + 0.20 = %s", sum)
	assert.Equal(t, "0.30 EUR", sum.String())
}

func TestNewMoney(t *testing.T) {
	tests := []struct {
		name     string
		amount   decimal.Decimal
		currency sp.Currency
		want     string
		wantErr  error
	}{
		{name: "ok_padded_to_minor_unit", amount: decimal.RequireFromString("12.3"), currency: "EUR", want: "12.30 EUR"},
		{name: "ok_more_places_kept", amount: decimal.RequireFromString("12.345"), currency: "EUR", want: "12.345 EUR"},
		{name: "ok_jpy", amount: decimal.NewFromInt(-5), currency: "JPY", want: "-5 JPY"},
		{name: "ok_zero_decimal", amount: decimal.Decimal{}, currency: "KWD", want: "0.000 KWD"},
		{name: "ok_positive_exponent", amount: decimal.New(12, 3), currency: "USD", want: "12000.00 USD"},
		{name: "ok_40_digits_each_side", amount: decimal.RequireFromString(strings.Repeat("9", 40) + "." + strings.Repeat("9", 40)), currency: "EUR",
			want: strings.Repeat("9", 40) + "." + strings.Repeat("9", 40) + " EUR"},
		{name: "err_unknown_currency", amount: decimal.NewFromInt(1), currency: "XXX", wantErr: sp.ErrInvalid},
		{name: "err_lower_case_currency", amount: decimal.NewFromInt(1), currency: "eur", wantErr: sp.ErrInvalid},
		{name: "err_no_currency", amount: decimal.NewFromInt(1), currency: "", wantErr: sp.ErrInvalid},
		{name: "err_too_many_places", amount: decimal.New(1, -41), currency: "EUR", wantErr: sp.ErrInvalid},
		{name: "err_too_many_digits", amount: decimal.New(1, 40), currency: "EUR", wantErr: sp.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := sp.NewMoney(tt.amount, tt.currency)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				assert.True(t, m.IsUnset(), "failed NewMoney returns the zero Money")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.String())
			assert.Equal(t, tt.currency, m.Currency())
			assert.True(t, m.Amount().Equal(tt.amount))
			assert.NoError(t, m.Validate())
		})
	}
}

// Zero is zero whatever its exponent: NewMoney takes one beyond the digit
// bounds as zero with the nearest exponent within them, and so does
// arithmetic whose result is zero.
func TestMoneyZeroOfAnyExponent(t *testing.T) {
	forty := "0." + strings.Repeat("0", 40) + " EUR"
	for _, tc := range []struct {
		name string
		d    decimal.Decimal
		want string
	}{
		{"places_41", decimal.New(0, -41), forty},
		{"places_50", decimal.RequireFromString("0E-50"), forty},
		{"negative_places_50", decimal.RequireFromString("-0E-50"), forty},
		{"places_min_int32", decimal.New(0, math.MinInt32), forty},
		{"exponent_40", decimal.New(0, 40), "0.00 EUR"},
		{"exponent_60", decimal.RequireFromString("0e+60"), "0.00 EUR"},
		{"exponent_max_int32", decimal.New(0, math.MaxInt32), "0.00 EUR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := sp.NewMoney(tc.d, "EUR")
			require.NoError(t, err)
			assert.True(t, m.IsZero())
			require.NoError(t, m.Validate())
			assert.Equal(t, tc.want, m.String())
			c, err := m.Cmp(money(t, "1 EUR"))
			require.NoError(t, err)
			assert.Equal(t, -1, c)
			back, err := sp.ParseMoney(m.String())
			require.NoError(t, err)
			assert.True(t, back.Equal(m))

			// The same zero made by arithmetic.
			p := money(t, "1.00 EUR").Mul(tc.d)
			assert.True(t, p.IsZero())
			require.NoError(t, p.Validate())
			z := money(t, "0 EUR").Mul(decimal.New(1, tc.d.Exponent()))
			assert.True(t, z.IsZero())
			require.NoError(t, z.Validate())
		})
	}
}

func TestNewMoneyFromMinor(t *testing.T) {
	tests := []struct {
		name     string
		units    int64
		currency sp.Currency
		want     string
	}{
		{name: "eur_cents", units: 1234, currency: "EUR", want: "12.34 EUR"},
		{name: "jpy", units: 1234, currency: "JPY", want: "1234 JPY"},
		{name: "kwd_fils", units: 1234, currency: "KWD", want: "1.234 KWD"},
		{name: "clf_four_places", units: -1, currency: "CLF", want: "-0.0001 CLF"},
		{name: "min_int64", units: math.MinInt64, currency: "EUR", want: "-92233720368547758.08 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := sp.NewMoneyFromMinor(tt.units, tt.currency)
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.String())
		})
	}
	t.Run("err_unknown_currency", func(t *testing.T) {
		_, err := sp.NewMoneyFromMinor(1, "ABC")
		assert.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "currency", ve.Field)
	})
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // String of the result
		wantErr string // part of the error message
	}{
		{name: "ok", in: "12.30 EUR", want: "12.30 EUR"},
		{name: "ok_padded", in: "12.3 EUR", want: "12.30 EUR"},
		{name: "ok_integer", in: "12 EUR", want: "12.00 EUR"},
		{name: "ok_negative", in: "-5 JPY", want: "-5 JPY"},
		{name: "ok_extra_places", in: "0.125 USD", want: "0.125 USD"},
		{name: "ok_negative_zero", in: "-0.00 EUR", want: "0.00 EUR"},
		{name: "ok_leading_zeros", in: "007.50 GBP", want: "7.50 GBP"},
		{name: "ok_trailing_zeros_kept", in: "1.2300 EUR", want: "1.2300 EUR"},
		{name: "err_empty", in: "", wantErr: "want \"<amount> <currency>\""},
		{name: "err_no_currency", in: "12.30", wantErr: "want \"<amount> <currency>\""},
		{name: "err_unknown_currency", in: "12.30 ABC", wantErr: "unknown ISO 4217 code \"ABC\""},
		{name: "err_lower_case_currency", in: "12.30 eur", wantErr: "unknown ISO 4217 code"},
		{name: "err_testing_currency", in: "1 XTS", wantErr: "unknown ISO 4217 code"},
		{name: "err_currency_first", in: "EUR 12.30", wantErr: "unknown ISO 4217 code"},
		{name: "err_two_spaces", in: "12.30  EUR", wantErr: "unknown ISO 4217 code"},
		{name: "err_trailing_space", in: "12.30 EUR ", wantErr: "unknown ISO 4217 code"},
		{name: "err_plus", in: "+12.30 EUR", wantErr: "plain decimal notation"},
		{name: "err_exponent", in: "1e3 EUR", wantErr: "plain decimal notation"},
		{name: "err_thousands", in: "1,000.00 EUR", wantErr: "plain decimal notation"},
		{name: "err_comma_decimal", in: "12,30 EUR", wantErr: "plain decimal notation"},
		{name: "err_no_int_digits", in: ".5 EUR", wantErr: "plain decimal notation"},
		{name: "err_no_frac_digits", in: "5. EUR", wantErr: "plain decimal notation"},
		{name: "err_double_minus", in: "--5 EUR", wantErr: "plain decimal notation"},
		{name: "err_minus_only", in: "- EUR", wantErr: "plain decimal notation"},
		{name: "err_nan", in: "NaN EUR", wantErr: "plain decimal notation"},
		{name: "err_too_many_digits", in: strings.Repeat("1", 41) + " EUR", wantErr: "more than 40 digits"},
		{name: "err_too_many_places", in: "0." + strings.Repeat("1", 41) + " EUR", wantErr: "more than 40 digits"},
		{name: "err_leading_space", in: " 12.30 EUR", wantErr: "unknown ISO 4217 code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := sp.ParseMoney(tt.in)
			if tt.wantErr != "" {
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorContains(t, err, tt.wantErr)
				assert.True(t, m.IsUnset())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.String())
		})
	}
}

func TestParseMoneyQuotesLongInputShort(t *testing.T) {
	_, err := sp.ParseMoney(strings.Repeat("x", 1000))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Less(t, len(err.Error()), 200, "error message: %s", err)
	assert.Contains(t, err.Error(), "...")
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{name: "ok_integer", in: "42", want: "42"},
		{name: "ok_fraction", in: "-0.001", want: "-0.001"},
		{name: "ok_max_digits", in: strings.Repeat("9", 40), want: strings.Repeat("9", 40)},
		{name: "err_empty", in: "", wantErr: true},
		{name: "err_space", in: "1 2", wantErr: true},
		{name: "err_unicode_digit", in: "١٢", wantErr: true},
		{name: "err_two_points", in: "1.2.3", wantErr: true},
		{name: "err_exponent", in: "1E5", wantErr: true},
		{name: "err_infinity", in: "Inf", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := sp.ParseAmount(tt.in)
			if tt.wantErr {
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "amount", ve.Field)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.String())
		})
	}
}

func TestMoneyArithmetic(t *testing.T) {
	a, b := money(t, "10.25 EUR"), money(t, "0.755 EUR")
	tests := []struct {
		name string
		got  func() (sp.Money, error)
		want string
	}{
		{name: "add", got: func() (sp.Money, error) { return a.Add(b) }, want: "11.005 EUR"},
		{name: "sub", got: func() (sp.Money, error) { return a.Sub(b) }, want: "9.495 EUR"},
		{name: "sub_negative", got: func() (sp.Money, error) { return b.Sub(a) }, want: "-9.495 EUR"},
		{name: "neg", got: func() (sp.Money, error) { return a.Neg(), nil }, want: "-10.25 EUR"},
		{name: "abs", got: func() (sp.Money, error) { return a.Neg().Abs(), nil }, want: "10.25 EUR"},
		{name: "mul", got: func() (sp.Money, error) { return a.Mul(dec(t, "0.19")), nil }, want: "1.9475 EUR"},
		{name: "mul_integer", got: func() (sp.Money, error) { return a.Mul(decimal.NewFromInt(3)), nil }, want: "30.75 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.got()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
		})
	}
	// The operands are values: nothing above changed them.
	assert.Equal(t, "10.25 EUR", a.String())
	assert.Equal(t, "0.755 EUR", b.String())
}

// TestMoneySumBeyondBounds pins what Money's doc says of a sum beyond the
// digit bounds: exact, and refused by Validate and the text and JSON forms.
func TestMoneySumBeyondBounds(t *testing.T) {
	nines := money(t, strings.Repeat("9", 40)+" EUR")
	sum, err := nines.Add(nines)
	require.NoError(t, err)
	assert.True(t, sum.Amount().Equal(dec(t, "1"+strings.Repeat("9", 39)+"8")), "exact: %s", sum.Amount())
	assert.ErrorIs(t, sum.Validate(), sp.ErrInvalid)
	_, err = sum.MarshalText()
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = json.Marshal(sum)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	diff, err := nines.Neg().Sub(nines)
	require.NoError(t, err)
	assert.ErrorIs(t, diff.Validate(), sp.ErrInvalid)
}

func TestMoneyCurrencyMismatch(t *testing.T) {
	eur, usd := money(t, "1.00 EUR"), money(t, "1.00 USD")
	tests := []struct {
		name string
		op   func() error
	}{
		{name: "add", op: func() error { _, err := eur.Add(usd); return err }},
		{name: "sub", op: func() error { _, err := eur.Sub(usd); return err }},
		{name: "cmp", op: func() error { _, err := eur.Cmp(usd); return err }},
		{name: "add_zero_money", op: func() error { _, err := eur.Add(sp.Money{}); return err }},
		{name: "zero_money_add", op: func() error { _, err := sp.Money{}.Add(eur); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op()
			assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
			assert.NotErrorIs(t, err, sp.ErrInvalid)
			assert.Equal(t, 1, strings.Count(err.Error(), "salesprocess:"), "one package prefix: %s", err)
		})
	}
	t.Run("message_names_both", func(t *testing.T) {
		_, err := eur.Add(usd)
		assert.EqualError(t, err, `add "EUR" and "USD": salesprocess: currency mismatch`)
	})
}

func TestMoneyCmpAndEqual(t *testing.T) {
	tests := []struct {
		name      string
		a, b      string
		wantCmp   int
		wantEqual bool
	}{
		{name: "equal_different_places", a: "12.3 EUR", b: "12.30 EUR", wantCmp: 0, wantEqual: true},
		{name: "less", a: "-1 EUR", b: "0.01 EUR", wantCmp: -1},
		{name: "greater", a: "100 EUR", b: "99.999 EUR", wantCmp: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := money(t, tt.a), money(t, tt.b)
			c, err := a.Cmp(b)
			require.NoError(t, err)
			assert.Equal(t, tt.wantCmp, c)
			assert.Equal(t, tt.wantEqual, a.Equal(b))
			assert.Equal(t, tt.wantEqual, b.Equal(a))
		})
	}
	t.Run("different_currencies_not_equal", func(t *testing.T) {
		assert.False(t, money(t, "1 EUR").Equal(money(t, "1 USD")))
		assert.False(t, money(t, "0 EUR").Equal(sp.Money{}))
	})
}

func TestMoneyPredicates(t *testing.T) {
	tests := []struct {
		name                 string
		m                    sp.Money
		isZero, isUnset      bool
		sign                 int
		validateErr, hasCurr bool
	}{
		{name: "zero_money", m: sp.Money{}, isZero: true, isUnset: true, validateErr: true},
		{name: "zero_eur", m: money(t, "0 EUR"), isZero: true, hasCurr: true},
		{name: "positive", m: money(t, "0.01 EUR"), sign: 1, hasCurr: true},
		{name: "negative", m: money(t, "-3 JPY"), sign: -1, hasCurr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.isZero, tt.m.IsZero())
			assert.Equal(t, tt.isUnset, tt.m.IsUnset())
			assert.Equal(t, tt.sign, tt.m.Sign())
			assert.Equal(t, tt.hasCurr, tt.m.Currency() != "")
			if tt.validateErr {
				assert.ErrorIs(t, tt.m.Validate(), sp.ErrInvalid)
			} else {
				assert.NoError(t, tt.m.Validate())
			}
		})
	}
	t.Run("mul_out_of_bounds_is_invalid", func(t *testing.T) {
		m := money(t, "0."+strings.Repeat("1", 40)+" EUR").Mul(dec(t, "0.1"))
		assert.ErrorIs(t, m.Validate(), sp.ErrInvalid)
		_, err := m.MarshalText()
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = m.MarshalJSON()
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestMoneyRound(t *testing.T) {
	tests := []struct {
		name string
		in   string
		mode sp.RoundingMode
		want string
	}{
		{name: "half_up_half", in: "0.125 EUR", mode: sp.HalfUp, want: "0.13 EUR"},
		{name: "half_up_negative_half", in: "-0.125 EUR", mode: sp.HalfUp, want: "-0.13 EUR"},
		{name: "half_even_half_down", in: "0.125 EUR", mode: sp.HalfEven, want: "0.12 EUR"},
		{name: "half_even_half_up", in: "0.135 EUR", mode: sp.HalfEven, want: "0.14 EUR"},
		{name: "half_even_negative", in: "-0.125 EUR", mode: sp.HalfEven, want: "-0.12 EUR"},
		{name: "half_even_not_half", in: "0.1251 EUR", mode: sp.HalfEven, want: "0.13 EUR"},
		{name: "pads_to_minor_unit", in: "12.3 EUR", mode: sp.HalfUp, want: "12.30 EUR"},
		{name: "jpy_no_places", in: "2.5 JPY", mode: sp.HalfUp, want: "3 JPY"},
		{name: "jpy_banker", in: "2.5 JPY", mode: sp.HalfEven, want: "2 JPY"},
		{name: "kwd_three_places", in: "1.2345 KWD", mode: sp.HalfUp, want: "1.235 KWD"},
		{name: "unknown_mode_unchanged", in: "0.125 EUR", mode: "nearest", want: "0.125 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := money(t, tt.in).Round(tt.mode)
			assert.Equal(t, tt.want, got.String())
		})
	}
	t.Run("result_carries_exactly_the_minor_places", func(t *testing.T) {
		got := money(t, "12.3 EUR").Round(sp.HalfEven)
		assert.Equal(t, int32(-2), got.Amount().Exponent())
	})
	t.Run("zero_money_unchanged", func(t *testing.T) {
		assert.True(t, sp.Money{}.Round(sp.HalfUp).IsUnset())
	})
}

func TestMoneyRoundTo(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		places int32
		mode   sp.RoundingMode
		want   string
	}{
		{name: "four_places", in: "1.234567 EUR", places: 4, mode: sp.HalfUp, want: "1.2346 EUR"},
		{name: "whole_units", in: "12.50 EUR", places: 0, mode: sp.HalfEven, want: "12.00 EUR"},
		{name: "hundreds", in: "1250 EUR", places: -2, mode: sp.HalfUp, want: "1300.00 EUR"},
		{name: "unknown_mode", in: "1.25 EUR", places: 1, mode: "", want: "1.25 EUR"},
		{name: "beyond_bounds_clamped", in: "1.25 EUR", places: math.MaxInt32, mode: sp.HalfUp, want: "1." + "25" + strings.Repeat("0", 38) + " EUR"},
		{name: "below_bounds_clamped", in: "1.25 EUR", places: math.MinInt32, mode: sp.HalfEven, want: "0.00 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := money(t, tt.in).RoundTo(tt.places, tt.mode)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestMoneyText(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "eur", in: "12.30 EUR"},
		{name: "extra_places", in: "-0.0001 USD"},
		{name: "jpy", in: "1000000 JPY"},
		{name: "big", in: strings.Repeat("9", 40) + "." + strings.Repeat("1", 40) + " BHD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := money(t, tt.in)
			text, err := m.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.in, string(text))
			var back sp.Money
			require.NoError(t, back.UnmarshalText(text))
			assert.True(t, back.Equal(m), "%s != %s", back, m)
			assert.Equal(t, m.String(), back.String())
		})
	}
	t.Run("zero_money_is_empty_text", func(t *testing.T) {
		text, err := sp.Money{}.MarshalText()
		require.NoError(t, err)
		assert.Empty(t, text)
		back := money(t, "1 EUR")
		require.NoError(t, back.UnmarshalText(nil))
		assert.True(t, back.IsUnset())
	})
	t.Run("err_bad_text_leaves_value", func(t *testing.T) {
		back := money(t, "1 EUR")
		err := back.UnmarshalText([]byte("1 eur"))
		assert.ErrorIs(t, err, sp.ErrInvalid)
		assert.Equal(t, "1.00 EUR", back.String())
	})
}

// Money is no map key, as its doc says: == tells apart equal amounts, and
// encoding/json reads a map key back by UnmarshalJSON, which refuses the
// text that MarshalText wrote (encoding/json/v2 reads it by UnmarshalText,
// to a key that no equal Money finds). Keyed by String, a map round-trips;
// as a value, Money still marshals by MarshalJSON.
func TestMoneyIsNoMapKey(t *testing.T) {
	a, b := money(t, "12.30 EUR"), money(t, "12.30 EUR")
	require.True(t, a.Equal(b))
	assert.False(t, a == b)
	_, found := map[sp.Money]int{a: 1}[b]
	assert.False(t, found)

	data, err := json.Marshal(map[sp.Money]int{a: 1})
	require.NoError(t, err)
	assert.JSONEq(t, `{"12.30 EUR":1}`, string(data))
	var keyed map[sp.Money]int
	if sp.JSONV2() {
		require.NoError(t, json.Unmarshal(data, &keyed))
		require.Len(t, keyed, 1)
		for k := range keyed {
			assert.True(t, k.Equal(a))
		}
		_, found = keyed[a]
		assert.False(t, found)
	} else {
		assert.ErrorIs(t, json.Unmarshal(data, &keyed), sp.ErrInvalid)
	}

	byText := map[string]sp.Money{a.String(): a}
	data, err = json.Marshal(byText)
	require.NoError(t, err)
	assert.JSONEq(t, `{"12.30 EUR":{"amount":"12.30","currency":"EUR"}}`, string(data))
	var back map[string]sp.Money
	require.NoError(t, json.Unmarshal(data, &back))
	require.Len(t, back, 1)
	assert.True(t, back[b.String()].Equal(a))
}

func TestMoneyJSON(t *testing.T) {
	type line struct {
		Price sp.Money `json:"price"`
	}
	t.Run("form", func(t *testing.T) {
		data, err := json.Marshal(line{Price: money(t, "12.3 EUR")})
		require.NoError(t, err)
		assert.JSONEq(t, `{"price":{"amount":"12.30","currency":"EUR"}}`, string(data))
	})
	t.Run("zero_money_is_null", func(t *testing.T) {
		data, err := json.Marshal(line{})
		require.NoError(t, err)
		assert.JSONEq(t, `{"price":null}`, string(data))
		back := line{Price: money(t, "1 EUR")}
		require.NoError(t, json.Unmarshal(data, &back))
		assert.True(t, back.Price.IsUnset())
	})
	roundTrips := []string{"12.30 EUR", "-0.125 EUR", "7 JPY", "0.000 KWD", "123456789012345678901234567890.99 USD"}
	for _, s := range roundTrips {
		t.Run("round_trip_"+s, func(t *testing.T) {
			m := money(t, s)
			data, err := json.Marshal(m)
			require.NoError(t, err)
			var back sp.Money
			require.NoError(t, json.Unmarshal(data, &back))
			assert.True(t, back.Equal(m))
			assert.Equal(t, m.String(), back.String())
		})
	}

	bad := []struct {
		name      string
		in        string
		wantField string
	}{
		{name: "err_number_amount", in: `{"amount":12.30,"currency":"EUR"}`, wantField: "money.amount"},
		{name: "err_number_currency", in: `{"amount":"1","currency":978}`, wantField: "money.currency"},
		{name: "err_missing_amount", in: `{"currency":"EUR"}`, wantField: "money.amount"},
		{name: "err_null_amount", in: `{"amount":null,"currency":"EUR"}`, wantField: "money.amount"},
		{name: "err_missing_currency", in: `{"amount":"1"}`, wantField: "money.currency"},
		{name: "err_unknown_currency", in: `{"amount":"1","currency":"EURO"}`, wantField: "money.currency"},
		{name: "err_bad_amount", in: `{"amount":"1e2","currency":"EUR"}`, wantField: "money.amount"},
		{name: "err_text_form", in: `"12.30 EUR"`, wantField: "money"},
		{name: "err_array", in: `[]`, wantField: "money"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			m := money(t, "5 EUR")
			err := m.UnmarshalJSON([]byte(tt.in))
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.wantField, ve.Field)
			assert.NotContains(t, err.Error(), "moneyJSON", "the message speaks of the JSON, not of Go types")
			assert.Equal(t, "5.00 EUR", m.String(), "a failed decode leaves the value")
		})
	}
	t.Run("err_in_struct", func(t *testing.T) {
		var l line
		err := json.Unmarshal([]byte(`{"price":{"amount":"x","currency":"EUR"}}`), &l)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

// A zero computed is alike to a zero parsed of the same text, to
// reflect.DeepEqual and so to testify's assert.Equal, as other amounts of
// the same text are: a goal met exactly gave a gap that assert.Equal told
// from "0.00 EUR".
func TestComputedZeroIsDeepEqualToParsed(t *testing.T) {
	ten := money(t, "10.00 EUR")
	zero := money(t, "0.00 EUR")
	diff, err := ten.Sub(ten)
	require.NoError(t, err)
	sum, err := ten.Add(ten.Neg())
	require.NoError(t, err)
	parts, err := money(t, "0.00 EUR").Allocate(1, 2)
	require.NoError(t, err)
	for name, m := range map[string]sp.Money{
		"sub":      diff,
		"add":      sum,
		"mul":      ten.Mul(decimal.Zero).RoundTo(2, sp.HalfUp),
		"round":    money(t, "0.004 EUR").Round(sp.HalfUp),
		"neg":      diff.Neg(),
		"allocate": parts[1],
	} {
		assert.Equal(t, zero, m, name)
		assert.True(t, reflect.DeepEqual(zero, m), name)
	}
}
