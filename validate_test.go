package salesprocess_test

import (
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestValidateText(t *testing.T) {
	for _, tc := range []struct {
		name      string
		s         string
		max       int
		multiline bool
		wantErr   string
	}{
		{"ok_empty", "", 10, false, ""},
		{"ok_unicode", "Zürich, 東京", 64, false, ""},
		{"ok_multiline_breaks", "one\ntwo\tthree\r\n", 64, true, ""},
		{"err_too_long", strings.Repeat("x", 11), 10, false, "longer than 10 bytes"},
		{"err_invalid_utf8", "\xff", 10, false, "not valid UTF-8"},
		{"err_nul", "a\x00b", 10, true, "control character U+0000"},
		{"err_line_break_in_a_line", "a\nb", 10, false, "control character U+000A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sp.ValidateText(tc.s, tc.max, tc.multiline)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Contains(t, sp.InField("note", err).Error(), "invalid note: ")
		})
	}
}

func TestValidateDecimal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		d       decimal.Decimal
		wantErr string
	}{
		{"ok_zero", decimal.Decimal{}, ""},
		{"ok_fraction", decimal.RequireFromString("0.125"), ""},
		{"ok_40_digits_after", decimal.New(1, -40), ""},
		{"ok_40_digits_before", decimal.New(1, 39), ""},
		{"err_41_digits_after", decimal.New(1, -41), "more than 40 digits after the point"},
		{"err_41_digits_before", decimal.New(1, 40), "more than 40 digits before the point"},
		{"err_huge_exponent", decimal.New(1, math.MinInt32), "1e-2147483648 has more than 40 digits after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sp.ValidateDecimal(tc.d)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
