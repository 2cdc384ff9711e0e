package salesprocess_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestParseCurrency(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantMinor int32
		wantErr   string
	}{
		{name: "ok_eur", in: "EUR", wantMinor: 2},
		{name: "ok_jpy", in: "JPY", wantMinor: 0},
		{name: "ok_kwd", in: "KWD", wantMinor: 3},
		{name: "ok_clf", in: "CLF", wantMinor: 4},
		{name: "ok_funds_code", in: "USN", wantMinor: 2},
		{name: "ok_funds_code_2025", in: "XAD", wantMinor: 2},
		{name: "ok_sierra_leone_2022", in: "SLE", wantMinor: 2},
		{name: "ok_venezuela_digital", in: "VED", wantMinor: 2},
		{name: "ok_zimbabwe_gold", in: "ZWG", wantMinor: 2},
		{name: "ok_caribbean_guilder", in: "XCG", wantMinor: 2},
		{name: "err_empty", in: "", wantErr: "invalid currency: missing"},
		{name: "err_lower_case", in: "eur", wantErr: `unknown ISO 4217 code "eur"`},
		{name: "err_unknown", in: "ABC", wantErr: `unknown ISO 4217 code "ABC"`},
		{name: "err_gold", in: "XAU", wantErr: "unknown ISO 4217 code"},
		{name: "err_testing", in: "XTS", wantErr: "unknown ISO 4217 code"},
		{name: "err_no_currency", in: "XXX", wantErr: "unknown ISO 4217 code"},
		{name: "err_withdrawn", in: "DEM", wantErr: "unknown ISO 4217 code"},
		{name: "err_withdrawn_2021_cuc", in: "CUC", wantErr: "unknown ISO 4217 code"},
		{name: "err_withdrawn_2023_hrk", in: "HRK", wantErr: "unknown ISO 4217 code"},
		{name: "err_withdrawn_2023_sll", in: "SLL", wantErr: "unknown ISO 4217 code"},
		{name: "err_withdrawn_2024_zwl", in: "ZWL", wantErr: "unknown ISO 4217 code"},
		{name: "err_withdrawn_2025_ang", in: "ANG", wantErr: "unknown ISO 4217 code"},
		{name: "err_withdrawn_2026_bgn", in: "BGN", wantErr: "unknown ISO 4217 code"},
		{name: "err_space", in: "EUR ", wantErr: "unknown ISO 4217 code"},
		{name: "err_long_cut", in: strings.Repeat("E", 100), wantErr: `"EEEEEEEE"...`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := sp.ParseCurrency(tt.in)
			if tt.wantErr != "" {
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Empty(t, c)
				_, ok := sp.Currency(tt.in).MinorUnits()
				assert.False(t, ok)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.in, c.String())
			minor, ok := c.MinorUnits()
			assert.True(t, ok)
			assert.Equal(t, tt.wantMinor, minor)
		})
	}
}

func TestCurrencyText(t *testing.T) {
	t.Run("round_trip", func(t *testing.T) {
		text, err := sp.Currency("CHF").MarshalText()
		require.NoError(t, err)
		var c sp.Currency
		require.NoError(t, c.UnmarshalText(text))
		assert.Equal(t, sp.Currency("CHF"), c)
	})
	t.Run("empty_is_zero", func(t *testing.T) {
		c := sp.Currency("EUR")
		require.NoError(t, c.UnmarshalText(nil))
		assert.Empty(t, c)
		text, err := c.MarshalText()
		require.NoError(t, err)
		assert.Empty(t, text)
	})
	t.Run("err_unknown_leaves_value", func(t *testing.T) {
		c := sp.Currency("EUR")
		assert.ErrorIs(t, c.UnmarshalText([]byte("EURO")), sp.ErrInvalid)
		assert.Equal(t, sp.Currency("EUR"), c)
	})
	t.Run("json_field", func(t *testing.T) {
		var v struct {
			C sp.Currency `json:"c"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"c":"SEK"}`), &v))
		assert.Equal(t, sp.Currency("SEK"), v.C)
		assert.ErrorIs(t, json.Unmarshal([]byte(`{"c":"sek"}`), &v), sp.ErrInvalid)
	})
}

func TestParseCurrencySharesOneString(t *testing.T) {
	// Codes parsed from different texts are one string, so that amounts
	// from different sources add without comparing bytes.
	a, err := sp.ParseCurrency(string([]byte("EUR")))
	require.NoError(t, err)
	b, err := sp.ParseCurrency(strings.Repeat("EUR", 2)[3:])
	require.NoError(t, err)
	require.Equal(t, sp.Currency("EUR"), a)
	require.Same(t, unsafe.StringData(string(a)), unsafe.StringData(string(b)))

	var c sp.Currency
	require.NoError(t, c.UnmarshalText([]byte("EUR")))
	require.Same(t, unsafe.StringData(string(a)), unsafe.StringData(string(c)))
}
