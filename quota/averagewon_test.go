package quota_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

func TestAverageWon(t *testing.T) {
	money := func(s string) sp.Money {
		m, err := sp.ParseMoney(s)
		require.NoError(t, err)
		return m
	}
	for _, tc := range []struct {
		name string
		sum  sp.Money
		won  int64
		want string // "" for none
	}{
		{"exact", money("5000.00 EUR"), 2, "2500.00 EUR"},
		{"a third", money("10.00 EUR"), 3, "3.33 EUR"},
		{"two thirds", money("20.00 EUR"), 3, "6.67 EUR"},
		{"half a cent up", money("0.05 EUR"), 2, "0.03 EUR"},
		{"half a cent of a negative sum away from zero", money("-0.05 EUR"), 2, "-0.03 EUR"},
		{"just under half a cent", money("0.0499999 EUR"), 2, "0.02 EUR"},
		{"more places than the currency's", money("7.123456 EUR"), 1, "7.12 EUR"},
		{"no minor unit", money("100 JPY"), 3, "33 JPY"},
		{"three places", money("1.000 KWD"), 3, "0.333 KWD"},
		{"a zero sum", money("0.00 EUR"), 4, "0.00 EUR"},
		{"no deal won", money("10.00 EUR"), 0, ""},
		{"a negative count", money("10.00 EUR"), -1, ""},
		{"no sum", sp.Money{}, 3, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, got := range []func() (sp.Money, bool){
				quota.WinRateGroup{Won: tc.won, WonAmount: tc.sum}.AverageWon,
				quota.VelocityGroup{Won: tc.won, WonAmount: tc.sum}.AverageWon,
			} {
				avg, ok := got()
				if tc.want == "" {
					assert.False(t, ok)
					assert.True(t, avg.IsUnset(), "%s", avg)
					continue
				}
				require.True(t, ok)
				assert.Equal(t, tc.want, avg.String())
			}
		})
	}
}
