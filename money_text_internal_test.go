package salesprocess

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// MarshalJSON writes its bytes itself: they are those json.Marshal writes
// for the same fields, for every currency and amounts of any sign, size
// and scale.
func TestMoneyMarshalJSONAsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 29))
	for c := range minorUnits {
		for range 20 {
			coef := r.Int64N(2_000_000_000_001) - 1_000_000_000_000
			if r.IntN(4) == 0 {
				coef = 0
			}
			m, err := NewMoney(decimal.New(coef, -int32(r.IntN(8))), c)
			require.NoError(t, err)
			got, err := m.MarshalJSON()
			require.NoError(t, err)
			amount, code := string(m.appendText(nil)), string(m.currency)
			want, err := json.Marshal(moneyJSON{Amount: &amount, Currency: &code})
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
		}
	}
}

// An amount of up to 18 digits is written from its inline copy: the text
// is the decimal's own StringFixed, for every scale a currency gives and
// an amount may carry, and for the coefficients at the edges.
func TestMoneyTextFromInlineCopy(t *testing.T) {
	coefs := []int64{0, 1, -1, 5, -5, 9, 10, 99, -100, 12345, 999_999_999_999_999_999, -999_999_999_999_999_999, 100_000_000_000_000_000}
	r := rand.New(rand.NewPCG(29, 11))
	for range 200 {
		coefs = append(coefs, r.Int64N(2e18)-1e18)
	}
	for _, c := range []Currency{"EUR", "JPY", "KWD", "CLF"} {
		for _, coef := range coefs {
			for exp := int32(-maxAmountDigits); exp <= 6; exp++ {
				checkText(t, coef, exp, c)
			}
		}
	}
}

func checkText(t *testing.T, coef int64, exp int32, c Currency) {
	t.Helper()
	m := makeMoney(decimal.New(coef, exp), c)
	if checkAmount(m.amount) != nil {
		return // no text form
	}
	want := m.amount.StringFixed(m.scale())
	if got := string(m.appendText(nil)); got != want {
		t.Fatalf("%de%d %s: %q, want %q", coef, exp, c, got, want)
	}
}

func FuzzMoneyText(f *testing.F) {
	f.Add(int64(-5), int8(-2), uint8(0))
	f.Add(int64(999_999_999_999_999_999), int8(-40), uint8(3))
	f.Fuzz(func(t *testing.T, coef int64, exp int8, currency uint8) {
		cs := []Currency{"EUR", "JPY", "KWD", "CLF"}
		checkText(t, coef, int32(exp), cs[int(currency)%len(cs)])
	})
}

// What canonicalMoney takes, JSON decodes to the same strings, so that
// UnmarshalJSON's short way gives what its long way would, error or not.
func FuzzCanonicalMoney(f *testing.F) {
	for _, s := range []string{
		`{"amount":"12.30","currency":"EUR"}`, `{"amount":"-0.125","currency":"KWD"}`, `{"amount":"","currency":""}`,
		`{"amount":"1","currency":"EURO"}`, `{"amount":"1e2","currency":"EUR"}`, `{"amount":"1","currency":"eur"}`,
		`{"amount":"1" ,"currency":"EUR"}`, `{"amount":"1","currency":"EUR","amount":"2"}`, `{"amount":"1","currency":"EUR"}}`,
		`{"amount":"1\u0030","currency":"EUR"}`, `{"amount":"--1..","currency":"A"}`, `{"amount":"1","currency":"E"UR"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		amount, code, ok := canonicalMoney(data)
		if !ok {
			return
		}
		var raw moneyJSON
		require.NoError(t, json.Unmarshal(data, &raw), "%q", data)
		require.NotNil(t, raw.Amount)
		require.NotNil(t, raw.Currency)
		require.Equal(t, *raw.Amount, amount)
		require.Equal(t, *raw.Currency, code)
		var got Money
		err := got.UnmarshalJSON(data)
		var want Money
		wantErr := want.set(*raw.Amount, *raw.Currency)
		if wantErr != nil {
			require.EqualError(t, err, wantErr.Error())
			return
		}
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}

// Validate decides from the inline copy of an amount of up to 18 digits
// what the decimal's digits decide: the same at the edges of the bounds.
func TestMoneyValidateFromInlineCopy(t *testing.T) {
	for _, coef := range []int64{1, -9, 123456789, 999_999_999_999_999_999, -100_000_000_000_000_000} {
		for exp := int32(-maxAmountDigits - 3); exp <= maxAmountDigits+3; exp++ {
			m := makeMoney(decimal.New(coef, exp), "EUR")
			require.True(t, m.small)
			want := checkAmount(m.amount)
			if got := m.Validate(); (got == nil) != (want == nil) {
				t.Fatalf("%de%d: Validate %v, the digits %v", coef, exp, got, want)
			}
		}
	}
}
