package salesprocess_test

import (
	"math"
	"strings"
	"testing"
	"time"

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
		// Zero is a limit, not a negative one: the empty text is at most 0 bytes.
		{"ok_empty_max_zero", "", 0, false, ""},
		{"err_max_zero", "x", 0, false, "longer than 0 bytes"},
		{"err_negative_max", "", -1, false, "max -1 is negative"},
		{"err_negative_max_any_text", "abc", -5, true, "max -5 is negative"},
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
		// A zero is judged as written: comparing it would scale by its exponent.
		{"err_zero_with_50_places", decimal.New(0, -50), "0e-50 has more than 40 digits after the point"},
		{"err_zero_with_exponent_60", decimal.New(0, 60), "0e60 has more than 40 digits before the point"},
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

// ValidateTime takes a zone less than a day off UTC on either side, the
// offsets RFC 3339 writes (hours up to 23), and refuses one a whole day off
// on either side.
func TestValidateTimeOffsetBounds(t *testing.T) {
	const day = 24 * 3600
	for _, tc := range []struct {
		name    string
		offset  int
		wantErr bool
	}{
		{"ok_a_minute_short_of_a_day_ahead", day - 60, false},
		{"ok_a_minute_short_of_a_day_behind", -(day - 60), false},
		{"err_a_day_ahead", day, true},
		{"err_a_day_behind", -day, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tm := time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("far", tc.offset))
			err := sp.ValidateTime(tm)
			if !tc.wantErr {
				require.NoError(t, err)
				back, perr := time.Parse(time.RFC3339, tm.Format(time.RFC3339))
				require.NoError(t, perr)
				assert.True(t, back.Equal(tm), "%s reads back as %s", tm, back)
				return
			}
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), "offset")
		})
	}
}

// The error of a zone a day or more off UTC writes the time in UTC, which
// RFC 3339 can show, and the offset apart in hours, minutes and seconds,
// which it cannot ("+25:00" has no hour 25, and "+24:00" would cut the
// seconds of +24:00:30 off).
func TestValidateTimeOffsetText(t *testing.T) {
	const day = 24 * 3600
	for offset, want := range map[int]string{
		day:             "invalid input: time 2026-11-01T09:00:00Z has a UTC offset of +24:00:00, a day or more",
		-day:            "invalid input: time 2026-11-03T09:00:00Z has a UTC offset of -24:00:00, a day or more",
		day + 3600:      "invalid input: time 2026-11-01T08:00:00Z has a UTC offset of +25:00:00, a day or more",
		day + 30:        "invalid input: time 2026-11-01T08:59:30Z has a UTC offset of +24:00:30, a day or more",
		-(day + 61):     "invalid input: time 2026-11-03T09:01:01Z has a UTC offset of -24:01:01, a day or more",
		100*day + 59*60: "invalid input: time 2026-07-25T08:01:00Z has a UTC offset of +2400:59:00, a day or more",
	} {
		err := sp.ValidateTime(time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("far", offset)))
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, want)
	}
}

// An error that writes a time in a zone whose offset then had seconds (a
// local mean time, as zones kept before about 1940) writes it in UTC, as a
// period's bounds are written: RFC 3339 cuts the seconds off the offset,
// and "0001-01-01T00:00:00+00:19" would name another instant, one that
// does not show why it is outside the years 1 to 9999.
func TestErrorsWriteLocalMeanTimesInUTC(t *testing.T) {
	ams := location(t, "Europe/Amsterdam") // +00:19:32 until 1937
	err := sp.ValidateTime(time.Date(1, 1, 1, 0, 0, 0, 0, ams))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, "invalid input: time 0000-12-31T23:40:28Z outside the years 1 to 9999")
	_, err = sp.NewPeriod(time.Date(1900, 1, 1, 0, 0, 30, 0, ams), time.Date(1900, 1, 1, 0, 0, 10, 0, ams))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, "invalid period: start 1899-12-31T23:40:58Z is not before end 1899-12-31T23:40:38Z")
	err = sp.ValidateTime(time.Date(10000, 1, 1, 0, 0, 0, 0, location(t, "Europe/Berlin")))
	assert.EqualError(t, err, "invalid input: time 10000-01-01T00:00:00+01:00 outside the years 1 to 9999", "a whole-minute offset stays")
}
