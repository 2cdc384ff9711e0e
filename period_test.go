package salesprocess_test

import (
	"encoding/json"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestPeriodMarchInBerlin(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	march := sp.Month(2026, time.March, berlin)
	assert.Equal(t, 30*24*time.Hour+23*time.Hour, march.Duration(), "clocks spring forward on March 29")
	assert.Equal(t, 31, march.Days())
	assert.Equal(t, time.Date(2026, time.March, 1, 0, 0, 0, 0, berlin), march.Start())
	assert.Equal(t, time.Date(2026, time.April, 1, 0, 0, 0, 0, berlin), march.End())
	assert.Equal(t, sp.KindMonth, march.Kind())
	assert.Equal(t, "2026-03[Europe/Berlin]", march.String())
	assert.Equal(t, berlin, march.Location())

	october := sp.Month(2026, time.October, berlin)
	assert.Equal(t, 31*24*time.Hour+time.Hour, october.Duration(), "clocks fall back on October 25")
	assert.Equal(t, 31, october.Days())
}

// TestPeriodDurationSaturates pins what Duration's doc says of a period
// longer than a time.Duration holds: the largest Duration, while Days
// counts the whole span.
func TestPeriodDurationSaturates(t *testing.T) {
	p, err := sp.NewPeriod(time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, time.Duration(math.MaxInt64), p.Duration())
	assert.Equal(t, 146097, p.Days(), "400 Gregorian years")
}

func TestPeriodContainsIsHalfOpen(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	march := sp.Month(2026, time.March, berlin)
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{name: "start_inside", t: time.Date(2026, time.March, 1, 0, 0, 0, 0, berlin), want: true},
		{name: "last_nanosecond_inside", t: time.Date(2026, time.April, 1, 0, 0, 0, 0, berlin).Add(-time.Nanosecond), want: true},
		{name: "end_outside", t: time.Date(2026, time.April, 1, 0, 0, 0, 0, berlin), want: false},
		{name: "before_start_outside", t: time.Date(2026, time.March, 1, 0, 0, 0, 0, berlin).Add(-time.Nanosecond), want: false},
		{name: "start_in_utc_inside", t: time.Date(2026, time.February, 28, 23, 0, 0, 0, time.UTC), want: true},
		{name: "utc_midnight_march_1_inside", t: time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC), want: true},
		{name: "utc_end_outside", t: time.Date(2026, time.March, 31, 22, 0, 0, 0, time.UTC), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, march.Contains(tt.t))
		})
	}
}

func TestPeriodCoverage(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	april := sp.Month(2026, time.April, berlin)
	march := sp.Month(2026, time.March, berlin)
	tests := []struct {
		name string
		p, o sp.Period
		want sp.Fraction
	}{
		{name: "ten_of_thirty_days", p: april, o: period(t, "2026-04-01/2026-04-11[Europe/Berlin]"), want: sp.Fraction{Num: 1, Den: 3}},
		{name: "whole", p: april, o: april, want: sp.Fraction{Num: 1, Den: 1}},
		{name: "wider", p: april, o: sp.Quarter(2026, 2, berlin), want: sp.Fraction{Num: 1, Den: 1}},
		{name: "none", p: april, o: march, want: sp.Fraction{Num: 0, Den: 1}},
		{name: "dst_day_counts_as_a_day", p: march, o: period(t, "2026-03-29/2026-03-30[Europe/Berlin]"), want: sp.Fraction{Num: 1, Den: 31}},
		{name: "half_a_day", p: period(t, "2026-04-01/2026-04-02"), o: period(t, "2026-04-01T12:00:00Z/2026-04-03"), want: sp.Fraction{Num: 1, Den: 2}},
		{name: "other_location", p: sp.Month(2026, time.April, time.UTC), o: period(t, "2026-04-01/2026-04-11[Europe/Berlin]"),
			want: sp.Fraction{Num: 119, Den: 360}}, // Berlin's April 1-11 ends at 22:00 UTC on April 10
		{name: "zero_period_undefined", p: sp.Period{}, o: april, want: sp.Fraction{}},
		{name: "folded_to_nothing_undefined", p: period(t, "2026-10-25T02:30:00+02:00/2026-10-25T02:30:00+01:00[Europe/Berlin]"),
			o: sp.Month(2026, time.October, berlin), want: sp.Fraction{}},
		{name: "zero_other_none", p: april, o: sp.Period{}, want: sp.Fraction{Num: 0, Den: 1}},
		{name: "long_periods", p: period(t, "0001-01-01/9999-01-01"), o: sp.Year(2026, nil), want: sp.Fraction{Num: 365, Den: 3651694}},
		{name: "long_and_fine", p: period(t, "0001-01-01/9999-01-01"), o: period(t, "2026-01-01T00:00:00.5Z/9999-01-01"),
			want: sp.Fraction{Num: 503207078399, Den: 631012723200}},
		{name: "long_and_finest_in_seconds", p: period(t, "0001-01-01/9999-01-01"), o: period(t, "2026-01-01T00:00:00.000000001Z/9999-01-01"),
			want: sp.Fraction{Num: 1456039, Den: 1825847}}, // no int64 fraction is exact
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.Coverage(tt.o)
			assert.Equal(t, tt.want, got)
		})
	}
}

// In Europe/Berlin clocks turned back from 03:00 to 02:00 on October 25,
// 2026: the wall-clock hour from 02:00 to 03:00 passed twice. Shares of a
// span are measured in wall-clock time, which goes back there, yet a share
// stays within 0 and 1, and the shares of the two parts of a span add up to
// the whole.
func TestPeriodCoverageInFold(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	span := func(start, end string) sp.Period {
		s, err := time.Parse(time.RFC3339, start)
		require.NoError(t, err)
		e, err := time.Parse(time.RFC3339, end)
		require.NoError(t, err)
		p, err := sp.NewPeriod(s.In(berlin), e.In(berlin))
		require.NoError(t, err)
		return p
	}
	t.Run("starts_in_fold", func(t *testing.T) {
		p := span("2026-10-25T02:30:00+02:00", "2026-10-25T04:00:00+01:00")
		o := span("2026-10-25T02:30:00+02:00", "2026-10-25T02:10:00+01:00")
		assert.Equal(t, sp.Fraction{Num: 0, Den: 1}, p.Coverage(o))
	})
	t.Run("ends_in_fold", func(t *testing.T) {
		p := span("2026-10-25T01:00:00+02:00", "2026-10-25T02:10:00+01:00")
		o := span("2026-10-25T01:00:00+02:00", "2026-10-25T02:50:00+02:00")
		assert.Equal(t, sp.Fraction{Num: 1, Den: 1}, p.Coverage(o))
	})
	t.Run("any_split", func(t *testing.T) {
		first := time.Date(2026, time.October, 24, 23, 0, 0, 0, time.UTC)
		var at []time.Time
		for i := 0; i <= 4*6; i++ {
			at = append(at, first.Add(time.Duration(i)*10*time.Minute).In(berlin))
		}
		for i, a := range at {
			for j := i + 1; j < len(at); j++ {
				for k := j + 1; k < len(at); k++ {
					p, err := sp.NewPeriod(a, at[k])
					require.NoError(t, err)
					head, err := sp.NewPeriod(a, at[j])
					require.NoError(t, err)
					tail, err := sp.NewPeriod(at[j], at[k])
					require.NoError(t, err)
					h, tl := p.Coverage(head), p.Coverage(tail)
					if !h.Defined() {
						assert.False(t, tl.Defined(), "%s", p)
						continue
					}
					for _, f := range []sp.Fraction{h, tl} {
						assert.True(t, f.Num >= 0 && f.Num <= f.Den, "%s of %s", f, p)
					}
					sum := new(big.Rat).Add(big.NewRat(h.Num, h.Den), big.NewRat(tl.Num, tl.Den))
					assert.Equal(t, "1", sum.RatString(), "%s + %s for %s split at %s", h, tl, p, at[j])
				}
			}
		}
	})
}

// In America/St_Johns clocks turned back from 00:01 NDT to 23:01 NST on
// Sunday October 25, 1987: the hour that passed twice spans midnight, and
// Sunday began at the first. Counted by Coverage, each of the two days is
// one day of October, as Days counts it, and the hour counts once.
func TestPeriodCoverageOfDaysAroundFoldAcrossMidnight(t *testing.T) {
	stJohns := location(t, "America/St_Johns")
	october := sp.Month(1987, time.October, stJohns)
	for _, d := range []int{24, 25, 26} {
		day, err := sp.NewPeriod(sp.DayStart(1987, time.October, d, stJohns), sp.DayStart(1987, time.October, d+1, stJohns))
		require.NoError(t, err)
		assert.Equal(t, 1, day.Days(), "%s", day)
		assert.Equal(t, sp.Fraction{Num: 1, Den: 31}, october.Coverage(day), "%s", day)
	}
	// Within the fold the measure never decreases: from the first pass of
	// 23:30 to the second it is the half hour to midnight, and from there
	// on to the second 23:30 nothing.
	firstPass := time.Date(1987, time.October, 25, 2, 0, 0, 0, time.UTC).In(stJohns) // 23:30 NDT of the 24th
	secondPass := firstPass.Add(time.Hour)                                           // 23:30 NST of the 24th
	sunday := sp.DayStart(1987, time.October, 25, stJohns)
	require.True(t, firstPass.Before(sunday) && sunday.Before(secondPass))
	head, err := sp.NewPeriod(firstPass, sunday)
	require.NoError(t, err)
	tail, err := sp.NewPeriod(sunday, secondPass)
	require.NoError(t, err)
	assert.Equal(t, sp.Fraction{Num: 1, Den: 1488}, october.Coverage(head), "half an hour of 31 days")
	assert.Equal(t, sp.Fraction{Num: 0, Den: 1}, october.Coverage(tail))
}

// In America/Sao_Paulo clocks turned back from 00:00 -02 to 23:00 -03 on
// February 18, 2018: the hour that passed twice ends at midnight rather than
// spanning it, so it counts half in each pass, as in Europe/Berlin.
func TestPeriodCoverageInFoldEndingAtMidnight(t *testing.T) {
	saoPaulo := location(t, "America/Sao_Paulo")
	day, err := sp.NewPeriod(sp.DayStart(2018, time.February, 17, saoPaulo), sp.DayStart(2018, time.February, 18, saoPaulo))
	require.NoError(t, err)
	require.Equal(t, 1, day.Days())
	at := func(hhmm string) time.Time {
		u, err := time.Parse(time.RFC3339, "2018-02-18T"+hhmm+":00Z")
		require.NoError(t, err)
		return u.In(saoPaulo)
	}
	span := func(s, e time.Time) sp.Period {
		p, err := sp.NewPeriod(s, e)
		require.NoError(t, err)
		return p
	}
	// 23:00 and 23:30 of the first pass (-02), and of the second (-03).
	first, firstHalf, second, secondHalf := at("01:00"), at("01:30"), at("02:00"), at("02:30")
	assert.Equal(t, sp.Fraction{Num: 1, Den: 48}, day.Coverage(span(first, firstHalf)), "the first pass counts up to 23:30")
	assert.Equal(t, sp.Fraction{Num: 0, Den: 1}, day.Coverage(span(firstHalf, secondHalf)), "from the first 23:30 to the second nothing")
	assert.Equal(t, sp.Fraction{Num: 0, Den: 1}, day.Coverage(span(at("01:45"), at("02:15"))))
	assert.Equal(t, sp.Fraction{Num: 1, Den: 48}, day.Coverage(span(second, at("03:00"))), "the second pass counts from 23:30 on")
}

// Pacific/Apia skipped December 30, 2011, going from the 29th to the
// 31st. Counted on the wall clock, as Days and Coverage count, the skipped
// day is there, as the hour skipped by daylight saving is.
func TestPeriodDaySkippedWhole(t *testing.T) {
	apia := location(t, "Pacific/Apia")
	december := sp.Month(2011, time.December, apia)
	assert.Equal(t, 31, december.Days())
	assert.Equal(t, 30*24*time.Hour, december.Duration())
	_, err := sp.ParsePeriodIn("2011-12-30/2011-12-31", apia)
	assert.ErrorIs(t, err, sp.ErrInvalid, "no period holds the day skipped")
	days := period(t, "2011-12-29/2011-12-31[Pacific/Apia]")
	assert.Equal(t, 2, days.Days())
	assert.Equal(t, sp.Fraction{Num: 2, Den: 31}, december.Coverage(days))
}

// TestPeriodDaysCountsNanoseconds checks that Days rounds down a length a
// few nanoseconds short of a whole day, as it does one an hour short.
func TestPeriodDaysCountsNanoseconds(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	p, err := sp.NewPeriod(time.Date(2026, time.November, 3, 0, 0, 0, 500, berlin), time.Date(2026, time.November, 4, 0, 0, 0, 200, berlin))
	require.NoError(t, err)
	assert.Equal(t, 0, p.Days(), "a day less 300 ns")
	p, err = sp.NewPeriod(time.Date(2026, time.November, 3, 12, 0, 0, 200, berlin), time.Date(2026, time.November, 5, 12, 0, 0, 200, berlin))
	require.NoError(t, err)
	assert.Equal(t, 2, p.Days())
	p, err = sp.NewPeriod(time.Date(2026, time.November, 3, 12, 0, 0, 200, berlin), time.Date(2026, time.November, 5, 12, 0, 0, 100, berlin))
	require.NoError(t, err)
	assert.Equal(t, 1, p.Days(), "two days less 100 ns")
}

func TestPeriodConstructors(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	tests := []struct {
		name     string
		p        sp.Period
		wantKind sp.PeriodKind
		want     string
		wantDays int
	}{
		{name: "month", p: sp.Month(2026, time.November, berlin), wantKind: sp.KindMonth, want: "2026-11[Europe/Berlin]", wantDays: 30},
		{name: "month_rolls_over", p: sp.Month(2026, 13, nil), wantKind: sp.KindMonth, want: "2027-01", wantDays: 31},
		{name: "leap_february", p: sp.Month(2028, time.February, nil), wantKind: sp.KindMonth, want: "2028-02", wantDays: 29},
		{name: "quarter", p: sp.Quarter(2026, 4, berlin), wantKind: sp.KindQuarter, want: "2026-Q4[Europe/Berlin]", wantDays: 92},
		{name: "quarter_rolls_over", p: sp.Quarter(2026, 5, nil), wantKind: sp.KindQuarter, want: "2027-Q1", wantDays: 90},
		{name: "quarter_zero_rolls_back", p: sp.Quarter(2026, 0, nil), wantKind: sp.KindQuarter, want: "2025-Q4", wantDays: 92},
		{name: "year", p: sp.Year(2026, nil), wantKind: sp.KindYear, want: "2026", wantDays: 365},
		{name: "week", p: sp.Week(2026, 48, berlin), wantKind: sp.KindWeek, want: "2026-W48[Europe/Berlin]", wantDays: 7},
		{name: "week_1_starts_in_previous_year", p: sp.Week(2026, 1, nil), wantKind: sp.KindWeek, want: "2026-W01", wantDays: 7},
		{name: "week_53", p: sp.Week(2026, 53, nil), wantKind: sp.KindWeek, want: "2026-W53", wantDays: 7},
		{name: "week_rolls_over", p: sp.Week(2027, 53, nil), wantKind: sp.KindWeek, want: "2028-W01", wantDays: 7},
		{name: "month_of", p: sp.MonthOf(time.Date(2026, 11, 30, 23, 59, 0, 0, berlin)), wantKind: sp.KindMonth, want: "2026-11[Europe/Berlin]", wantDays: 30},
		{name: "quarter_of", p: sp.QuarterOf(time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC)), wantKind: sp.KindQuarter, want: "2026-Q3", wantDays: 92},
		{name: "year_of", p: sp.YearOf(time.Date(2024, 8, 15, 0, 0, 0, 0, berlin)), wantKind: sp.KindYear, want: "2024[Europe/Berlin]", wantDays: 366},
		{name: "week_of", p: sp.WeekOf(time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)), wantKind: sp.KindWeek, want: "2026-W53", wantDays: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.wantKind, tt.p.Kind())
			assert.Equal(t, tt.want, tt.p.String())
			assert.Equal(t, tt.wantDays, tt.p.Days())
			assert.True(t, tt.p.Start().Before(tt.p.End()))
		})
	}
	t.Run("week_starts_monday", func(t *testing.T) {
		w := sp.Week(2026, 1, nil)
		assert.Equal(t, time.Monday, w.Start().Weekday())
		assert.Equal(t, time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), w.Start())
	})
}

func TestNewPeriod(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	start := time.Date(2026, 11, 3, 0, 0, 0, 0, berlin)
	tests := []struct {
		name       string
		start, end time.Time
		want       string
		wantErr    string
	}{
		{name: "ok_days", start: start, end: start.AddDate(0, 0, 14), want: "2026-11-03/2026-11-17[Europe/Berlin]"},
		{name: "ok_end_in_start_location", start: start, end: time.Date(2026, 11, 16, 23, 0, 0, 0, time.UTC), want: "2026-11-03/2026-11-17[Europe/Berlin]"},
		{name: "ok_times", start: start.Add(90 * time.Minute), end: start.Add(26*time.Hour + time.Nanosecond),
			want: "2026-11-03T01:30:00+01:00/2026-11-04T02:00:00.000000001+01:00[Europe/Berlin]"},
		{name: "ok_bounds_of_year_9999", start: time.Date(9999, 1, 1, 0, 0, 0, 0, berlin), end: time.Date(10000, 1, 1, 0, 0, 0, 0, berlin), want: "9999[Europe/Berlin]"},
		{name: "ok_bounds_of_a_month_are_a_month", start: start.AddDate(0, 0, -2), end: start.AddDate(0, 1, -2), want: "2026-11[Europe/Berlin]"},
		{name: "err_empty", start: start, end: start, wantErr: "is not before end"},
		{name: "err_reversed", start: start, end: start.Add(-time.Second), wantErr: "is not before end"},
		{name: "err_year_zero", start: time.Date(0, 12, 1, 0, 0, 0, 0, time.UTC), end: start, wantErr: "outside the years 1 to 9999"},
		{name: "err_end_in_10000", start: start, end: time.Date(10000, 1, 1, 0, 0, 0, 0, berlin), wantErr: "end after the year 9999"},
		{name: "err_zero_times", start: time.Time{}, end: time.Time{}, wantErr: "is not before end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := sp.NewPeriod(tt.start, tt.end)
			if tt.wantErr != "" {
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorContains(t, err, tt.wantErr)
				assert.True(t, p.IsZero())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, p.String())
			assert.Equal(t, berlin, p.End().Location())
		})
	}
}

func TestPeriodZero(t *testing.T) {
	var p sp.Period
	assert.True(t, p.IsZero())
	assert.Nil(t, p.Location())
	assert.Equal(t, "", p.String())
	assert.Equal(t, sp.PeriodKind(""), p.Kind(), "the zero Period has no shape")
	assert.ErrorIs(t, p.Kind().Validate(), sp.ErrInvalid)
	kind, err := p.Kind().MarshalText()
	require.NoError(t, err)
	assert.Empty(t, kind)
	assert.True(t, p.Next().IsZero())
	assert.True(t, p.Prev().IsZero())
	assert.Empty(t, slices.Collect(p.Months()))
	assert.False(t, p.Contains(time.Time{}))
	assert.True(t, p.Equal(sp.Period{}))
	assert.False(t, p.Equal(sp.Year(2026, nil)))
	text, err := p.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, text)
}

func TestPeriodEqual(t *testing.T) {
	berlin, paris := location(t, "Europe/Berlin"), location(t, "Europe/Paris")
	assert.True(t, sp.Month(2026, 3, berlin).Equal(sp.Month(2026, 3, location(t, "Europe/Berlin"))), "same zone loaded twice")
	assert.False(t, sp.Month(2026, 3, berlin).Equal(sp.Month(2026, 3, paris)), "same instants, other zone")
	assert.False(t, sp.Month(2026, 3, berlin).Equal(sp.Month(2026, 4, berlin)))
	assert.True(t, sp.Month(2026, 3, nil).Equal(sp.Month(2026, 3, time.UTC)))
}

func TestPeriodOverlapsAndIntersect(t *testing.T) {
	q1 := sp.Quarter(2026, 1, nil)
	tests := []struct {
		name   string
		p, o   sp.Period
		want   string // intersection, "" for none
		inLocP bool
	}{
		{name: "inside", p: q1, o: sp.Month(2026, 2, nil), want: "2026-02"},
		{name: "partial", p: q1, o: period(t, "2026-03-20/2026-04-10"), want: "2026-03-20/2026-04-01"},
		{name: "touching_is_disjoint", p: q1, o: sp.Month(2026, 4, nil), want: ""},
		{name: "disjoint", p: q1, o: sp.Year(2025, nil), want: ""},
		{name: "in_p_location", p: q1, o: period(t, "2026-03-31/2026-04-02[Europe/Berlin]"), want: "2026-03-30T22:00:00Z/2026-04-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.p.Intersect(tt.o)
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, ok, tt.p.Overlaps(tt.o))
			assert.Equal(t, ok, tt.o.Overlaps(tt.p))
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestPeriodNextPrev(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	tests := []struct {
		name             string
		p                sp.Period
		wantNext, wantPr string
	}{
		{name: "month", p: sp.Month(2026, 12, berlin), wantNext: "2027-01[Europe/Berlin]", wantPr: "2026-11[Europe/Berlin]"},
		{name: "quarter", p: sp.Quarter(2026, 4, nil), wantNext: "2027-Q1", wantPr: "2026-Q3"},
		{name: "year", p: sp.Year(2026, nil), wantNext: "2027", wantPr: "2025"},
		{name: "week", p: sp.Week(2026, 53, nil), wantNext: "2027-W01", wantPr: "2026-W52"},
		{name: "custom_days", p: period(t, "2026-03-27/2026-03-30[Europe/Berlin]"),
			wantNext: "2026-03-30/2026-04-02[Europe/Berlin]", wantPr: "2026-03-24/2026-03-27[Europe/Berlin]"},
		{name: "custom_hours", p: period(t, "2026-01-01T09:00:00Z/2026-01-01T17:30:00Z"),
			wantNext: "2026-01-01T17:30:00Z/2026-01-02T02:00:00Z", wantPr: "2026-01-01T00:30:00Z/2026-01-01T09:00:00Z"},
		// Longer than a time.Duration holds (about 292 years).
		{name: "custom_centuries", p: period(t, "1700-01-01/2100-01-01"),
			wantNext: "2100-01-01/2500-01-01", wantPr: "1300-01-01/1700-01-01"},
		{name: "custom_centuries_off_seconds", p: period(t, "1700-01-01T10:00:00.5Z/2100-01-01T11:00:00Z"),
			wantNext: "2100-01-01T11:00:00Z/2500-01-01T11:59:59.5Z", wantPr: "1300-01-01T09:00:01Z/1700-01-01T10:00:00.5Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.wantNext, tt.p.Next().String())
			assert.Equal(t, tt.wantPr, tt.p.Prev().String())
			assert.True(t, tt.p.Next().Prev().Equal(tt.p))
		})
	}
}

// Next and Prev of a custom period are adjacent to it and not empty, even
// when a bound lies in the hour that passes twice as clocks turn back in
// Europe/Berlin on October 25, 2026, and the wall clock reads the same or
// an earlier time at the end of the period than at its start.
func TestPeriodNextPrevInFold(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	first := time.Date(2026, time.October, 24, 23, 0, 0, 0, time.UTC)
	var at []time.Time
	for i := 0; i <= 4*6; i++ {
		at = append(at, first.Add(time.Duration(i)*10*time.Minute).In(berlin))
	}
	at = append(at, first.Add(-24*time.Hour).In(berlin), first.Add(-22*time.Hour).In(berlin))
	for _, a := range at {
		for _, b := range at {
			if !a.Before(b) {
				continue
			}
			p, err := sp.NewPeriod(a, b)
			require.NoError(t, err)
			next, prev := p.Next(), p.Prev()
			assert.True(t, next.Start().Equal(p.End()), "%s starts %s at its end", next, p)
			assert.True(t, next.Start().Before(next.End()), "%s after %s is not empty", next, p)
			assert.True(t, prev.End().Equal(p.Start()), "%s ends %s at its start", prev, p)
			assert.True(t, prev.Start().Before(prev.End()), "%s before %s is not empty", prev, p)
		}
	}
}

func TestPeriodMonths(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	tests := []struct {
		name string
		p    sp.Period
		want []string
	}{
		{name: "quarter", p: sp.Quarter(2026, 1, berlin), want: []string{"2026-01[Europe/Berlin]", "2026-02[Europe/Berlin]", "2026-03[Europe/Berlin]"}},
		{name: "clipped", p: period(t, "2026-11-11/2026-12-20"), want: []string{"2026-11-11/2026-12-01", "2026-12-01/2026-12-20"}},
		{name: "inside_one_month", p: period(t, "2026-11-11/2026-11-12"), want: []string{"2026-11-11/2026-11-12"}},
		{name: "last_year", p: sp.Year(9999, nil), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for m := range tt.p.Months() {
				got = append(got, m.String())
			}
			if tt.want == nil {
				assert.Len(t, got, 12)
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("year_has_twelve_covering_it", func(t *testing.T) {
		year := sp.Year(2026, berlin)
		var total sp.Fraction
		n := 0
		for m := range year.Months() {
			n++
			c := year.Coverage(m)
			total = sp.Fraction{Num: total.Num*c.Den + c.Num*max(total.Den, 1), Den: max(total.Den, 1) * c.Den}.Reduce()
		}
		assert.Equal(t, 12, n)
		assert.Equal(t, sp.Fraction{Num: 1, Den: 1}, total)
	})
	t.Run("stops_early", func(t *testing.T) {
		n := 0
		for range sp.Year(2026, nil).Months() {
			n++
			if n == 2 {
				break
			}
		}
		assert.Equal(t, 2, n)
	})
}

func TestParsePeriod(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	tests := []struct {
		name string
		in   string
		want sp.Period
	}{
		{name: "year", in: "2026", want: sp.Year(2026, nil)},
		{name: "quarter", in: "2026-Q4", want: sp.Quarter(2026, 4, nil)},
		{name: "month", in: "2026-11", want: sp.Month(2026, 11, nil)},
		{name: "week", in: "2026-W48", want: sp.Week(2026, 48, nil)},
		{name: "week_53", in: "2026-W53", want: sp.Week(2026, 53, nil)},
		{name: "located", in: "2026-11[Europe/Berlin]", want: sp.Month(2026, 11, berlin)},
		{name: "explicit_utc", in: "2026-11[UTC]", want: sp.Month(2026, 11, nil)},
		{name: "first_year", in: "0001", want: sp.Year(1, nil)},
		{name: "last_year", in: "9999", want: sp.Year(9999, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sp.ParsePeriod(tt.in)
			require.NoError(t, err)
			assert.True(t, got.Equal(tt.want), "got %s, want %s", got, tt.want)
		})
	}

	customs := []struct {
		name       string
		in         string
		start, end time.Time
	}{
		{name: "dates", in: "2026-11-03/2026-11-17", start: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), end: time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)},
		{name: "dates_located", in: "2026-11-03/2026-11-17[Europe/Berlin]", start: time.Date(2026, 11, 3, 0, 0, 0, 0, berlin), end: time.Date(2026, 11, 17, 0, 0, 0, 0, berlin)},
		{name: "times", in: "2026-11-03T09:00:00+01:00/2026-11-03T17:00:00.5Z", start: time.Date(2026, 11, 3, 8, 0, 0, 0, time.UTC), end: time.Date(2026, 11, 3, 17, 0, 0, 5e8, time.UTC)},
		{name: "date_and_time", in: "2026-11-03/2026-11-03T12:00:00Z", start: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), end: time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)},
	}
	for _, tt := range customs {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sp.ParsePeriod(tt.in)
			require.NoError(t, err)
			assert.True(t, got.Start().Equal(tt.start), "start %s", got.Start())
			assert.True(t, got.End().Equal(tt.end), "end %s", got.End())
			assert.Equal(t, tt.start.Location().String(), got.Location().String())
		})
	}

	bad := []struct {
		name, in, wantErr string
	}{
		{name: "err_empty", in: "", wantErr: "want a year of four digits first"},
		{name: "err_two_digit_year", in: "26-11", wantErr: "want a year of four digits first"},
		{name: "err_year_zero", in: "0000", wantErr: "year 0000 out of range"},
		{name: "err_five_digit_year", in: "20260", wantErr: "want 2026, 2026-Q4"},
		{name: "err_month_13", in: "2026-13", wantErr: "month 13 out of range"},
		{name: "err_month_00", in: "2026-00", wantErr: "month 0 out of range"},
		{name: "err_one_digit_month", in: "2026-1", wantErr: "want 2026, 2026-Q4"},
		{name: "err_quarter_5", in: "2026-Q5", wantErr: "want 2026, 2026-Q4"},
		{name: "err_lower_q", in: "2026-q4", wantErr: "want 2026, 2026-Q4"},
		{name: "err_week_0", in: "2026-W00", wantErr: "week 0 out of range"},
		{name: "err_week_54", in: "2026-W54", wantErr: "week 54 out of range"},
		{name: "err_no_week_53", in: "2027-W53", wantErr: "year 2027 has no week 53"},
		{name: "err_reversed", in: "2026-11-17/2026-11-03", wantErr: "start is not before end"},
		{name: "err_empty_custom", in: "2026-11-03/2026-11-03", wantErr: "start is not before end"},
		{name: "err_bad_date", in: "2026-02-30/2026-03-03", wantErr: `bad date "2026-02-30"`},
		{name: "err_bad_end", in: "2026-02-03/tomorrow", wantErr: `bad bound "tomorrow"`},
		{name: "err_three_bounds", in: "2026-02-03/2026-02-04/2026-02-05", wantErr: "bad bound"},
		{name: "err_unknown_location", in: "2026[Mars/Olympus]", wantErr: `unknown time zone "Mars/Olympus"`},
		{name: "err_empty_location", in: "2026[]", wantErr: "bad location name"},
		{name: "err_nested_brackets", in: "2026[[UTC]]", wantErr: "bad location name"},
		{name: "err_unbalanced", in: "2026]", wantErr: "unbalanced brackets"},
		{name: "err_trailing_text", in: "2026-11 ", wantErr: "want 2026, 2026-Q4"},
		{name: "err_too_long", in: strings.Repeat("2", 200), wantErr: "too long"},
		{name: "err_year_0_time", in: "0000-12-31T00:00:00Z/2026-01-01", wantErr: "outside the years 1 to 9999"},
		{name: "err_year_0_date", in: "0000-12-01/2026-01-01", wantErr: "outside the years 1 to 9999"},
		{name: "err_year_0_in_location", in: "0001-01-01T00:00:00Z/0001-01-02T00:00:00Z[America/New_York]", wantErr: "outside the years 1 to 9999"},
		{name: "err_year_10000_in_location", in: "9999-12-31T00:00:00Z/9999-12-31T23:30:00Z[Asia/Tokyo]", wantErr: "outside the years 1 to 9999"},
		{name: "err_week_past_9999", in: "9999-W52", wantErr: "outside the years 1 to 9999"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p, err := sp.ParsePeriod(tt.in)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.ErrorContains(t, err, tt.wantErr)
			assert.True(t, p.IsZero())
		})
	}
}

func TestParsePeriodIn(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	got, err := sp.ParsePeriodIn("2026-11", berlin)
	require.NoError(t, err)
	assert.Equal(t, "2026-11[Europe/Berlin]", got.String())

	got, err = sp.ParsePeriodIn("2026-11[America/New_York]", berlin)
	require.NoError(t, err)
	assert.Equal(t, "2026-11[America/New_York]", got.String(), "a bracketed location wins")

	got, err = sp.ParsePeriodIn("2026-11", nil)
	require.NoError(t, err)
	assert.Equal(t, "2026-11", got.String())
}

func TestPeriodText(t *testing.T) {
	forms := []string{
		"2026", "2026-Q1", "2026-02", "2026-W09", "2026-W53",
		"2026-11[Europe/Berlin]", "2026-Q4[America/New_York]",
		"2026-11-03/2026-11-17", "2026-11-03/2026-11-17[Asia/Tokyo]",
		"2026-11-03T09:30:00+01:00/2026-11-03T17:00:00.123456789+01:00[Europe/Berlin]",
		"0001-01-01/9999-12-31", "9999", "9999-12",
	}
	for _, s := range forms {
		t.Run(s, func(t *testing.T) {
			p := period(t, s)
			text, err := p.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, s, string(text))
			var back sp.Period
			require.NoError(t, back.UnmarshalText(text))
			assert.True(t, back.Equal(p))
		})
	}
	t.Run("empty_is_zero", func(t *testing.T) {
		p := sp.Year(2026, nil)
		require.NoError(t, p.UnmarshalText(nil))
		assert.True(t, p.IsZero())
	})
	t.Run("err_bad_text_leaves_value", func(t *testing.T) {
		p := sp.Year(2026, nil)
		assert.ErrorIs(t, p.UnmarshalText([]byte("2026-13")), sp.ErrInvalid)
		assert.Equal(t, "2026", p.String())
	})
	t.Run("err_marshal_beyond_9999", func(t *testing.T) {
		p := sp.Year(10000, nil)
		_, err := p.MarshalText()
		assert.ErrorIs(t, err, sp.ErrInvalid)
		assert.True(t, strings.HasPrefix(p.String(), "!"), "String reports the error: %s", p.String())
	})
	t.Run("err_marshal_custom_end_beyond_9999", func(t *testing.T) {
		p, ok := sp.Year(9999, nil).Intersect(period(t, "9999-12-15/9999-12-31").Next())
		require.True(t, ok)
		_, err := p.MarshalText()
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
	// A zone made by time.FixedZone marshals only under the name of an
	// IANA zone with that same fixed offset, so that its text loads back
	// to a zone that reckons alike.
	t.Run("fixed_zone_iana_name", func(t *testing.T) {
		for _, loc := range []*time.Location{time.FixedZone("Etc/GMT-1", 3600), time.FixedZone("UTC", 0)} {
			p := sp.Month(2026, 7, loc)
			text, err := p.MarshalText()
			require.NoError(t, err, loc.String())
			back, err := sp.ParsePeriod(string(text))
			require.NoError(t, err)
			assert.True(t, back.Equal(p), "%s parses back to %s", text, back)
			assert.True(t, back.Next().Equal(p.Next()), "and reckons alike")
		}
	})
	// Berlin kept local mean time, +00:53:28, until 1893: a bound there is
	// written in UTC, and in the first hour of year 1 that falls in year 0.
	t.Run("year_one_in_local_mean_time", func(t *testing.T) {
		berlin := location(t, "Europe/Berlin")
		p, err := sp.NewPeriod(time.Date(1, 1, 1, 0, 30, 0, 0, berlin), time.Date(1, 1, 1, 2, 0, 0, 0, berlin))
		require.NoError(t, err)
		text, err := p.MarshalText()
		require.NoError(t, err)
		var back sp.Period
		require.NoError(t, back.UnmarshalText(text), "%s", text)
		assert.True(t, back.Equal(p), "%s parses back to %s", text, back)
	})
	t.Run("fixed_zone_string_total", func(t *testing.T) {
		assert.Equal(t, "2026-07[XYZ]", sp.Month(2026, 7, time.FixedZone("XYZ", 3600)).String())
	})
	t.Run("json_field", func(t *testing.T) {
		type goal struct {
			Period sp.Period `json:"period"`
		}
		data, err := json.Marshal(goal{Period: sp.Quarter(2026, 2, location(t, "Europe/Berlin"))})
		require.NoError(t, err)
		assert.JSONEq(t, `{"period":"2026-Q2[Europe/Berlin]"}`, string(data))
		var back goal
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, "2026-Q2[Europe/Berlin]", back.Period.String())
	})
}

// TestPeriodValidate checks that Validate refuses what MarshalText refuses,
// with the error MarshalText wraps, refuses the zero Period, which
// MarshalText writes as empty text, and writes no text for a valid period.
func TestPeriodValidate(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	endBeyond, ok := sp.Year(9999, nil).Intersect(period(t, "9999-12-15/9999-12-31").Next())
	require.True(t, ok)
	emptyMonth, emptyQuarter := sp.Month(math.MaxInt, 12, berlin), sp.Quarter(2026, math.MaxInt, berlin)
	require.False(t, emptyMonth.IsZero() || emptyQuarter.IsZero())
	// The month after the last year an int holds wraps: to that very
	// instant where int has 64 bits, to the year -2³¹ where it has 32.
	require.False(t, emptyMonth.Start().Before(emptyMonth.End()))
	// The quarter's month wraps where int has 64 bits, leaving the period
	// empty; where it has 32, it is a quarter some 179 million years on.
	quarterOverflow := "empty: its start " + emptyQuarter.Start().Format(time.RFC3339) + " is not before its end"
	if emptyQuarter.Start().Before(emptyQuarter.End()) {
		quarterOverflow = "outside the years 1 to 9999"
	}
	for _, tt := range []struct {
		name   string
		p      sp.Period
		reason string // empty: valid
	}{
		{name: "ok_month_utc", p: sp.Month(2026, time.November, nil)},
		{name: "ok_quarter_berlin", p: sp.Quarter(2026, 4, berlin)},
		{name: "ok_custom_berlin", p: period(t, "2026-11-03T09:30:00+01:00/2026-11-03T17:00:00+01:00[Europe/Berlin]")},
		{name: "ok_fixed_zone_iana_name", p: sp.Month(2026, 7, time.FixedZone("Etc/GMT-1", 3600))},
		{name: "err_beyond_9999", p: sp.Year(10000, nil), reason: "outside the years 1 to 9999"},
		{name: "err_custom_end_beyond_9999", p: endBeyond, reason: "end after the year 9999"},
		{name: "err_local", p: sp.Month(2026, 7, machineLocal),
			reason: `the machine's local time zone "Local"; use an IANA name such as "Europe/Berlin"`},
		{name: "err_fixed_zone", p: sp.Month(2026, 7, time.FixedZone("XYZ", 3600)),
			reason: `a fixed zone "XYZ" at offset +01:00 that is not the IANA time zone of that name`},
		// Numbers that overflow time.Date make a period whose start is its
		// end; its text would not parse back.
		{name: "err_empty_month_overflow", p: emptyMonth, reason: "empty: its start " + emptyMonth.Start().Format(time.RFC3339) + " is not before its end"},
		{name: "err_quarter_overflow", p: emptyQuarter, reason: quarterOverflow},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			_, merr := tt.p.MarshalText()
			if tt.reason == "" {
				require.NoError(t, err)
				require.NoError(t, merr)
				return
			}
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Equal(t, "invalid period: "+tt.reason, err.Error())
			assert.Equal(t, "salesprocess: marshal period: "+err.Error(), merr.Error())
		})
	}
	t.Run("err_zero", func(t *testing.T) {
		err := sp.Period{}.Validate()
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Equal(t, "invalid period: missing", err.Error())
	})
	t.Run("allocates_nothing", func(t *testing.T) {
		for _, p := range []sp.Period{sp.Month(2026, time.November, nil), sp.Quarter(2026, 4, berlin)} {
			assert.Zero(t, testing.AllocsPerRun(100, func() { _ = p.Validate() }), "%s", p)
		}
	})
}

// In America/Asuncion clocks sprang forward from 00:00 to 01:00 on Sunday
// October 1, 2023: local midnight did not exist, and the day began at 01:00.
func TestPeriodDayStartsAfterMidnightGap(t *testing.T) {
	asuncion := location(t, "America/Asuncion")
	firstInstant := time.Date(2023, time.October, 1, 4, 0, 0, 0, time.UTC) // 01:00 -03, 00:00 -04
	september30 := time.Date(2023, time.September, 30, 23, 30, 0, 0, asuncion)

	october := sp.Month(2023, time.October, asuncion)
	assert.True(t, october.Start().Equal(firstInstant), "October starts at %s", october.Start())
	assert.Equal(t, sp.KindMonth, october.Kind())
	assert.Equal(t, "2023-10[America/Asuncion]", october.String())
	assert.Equal(t, 31, october.Days())
	assert.False(t, october.Contains(september30), "the last hour of September is not in October")
	assert.True(t, sp.Month(2023, time.September, asuncion).Contains(september30))
	assert.True(t, sp.MonthOf(september30).Equal(sp.Month(2023, time.September, asuncion)))
	assert.True(t, sp.Quarter(2023, 4, asuncion).Start().Equal(firstInstant))
	assert.Equal(t, "2023-Q4[America/Asuncion]", sp.Quarter(2023, 4, asuncion).String())

	day := period(t, "2023-10-01/2023-10-02[America/Asuncion]")
	assert.True(t, day.Start().Equal(firstInstant), "the day starts at %s", day.Start())
	assert.Equal(t, 1, day.Days())
	assert.Equal(t, sp.Fraction{Num: 1, Den: 31}, october.Coverage(day), "one day of 31")
	assert.Equal(t, "2023-10-01/2023-10-02[America/Asuncion]", day.String())
	assert.Equal(t, "2023-10-02/2023-10-03[America/Asuncion]", day.Next().String())
	assert.Equal(t, "2023-09-30/2023-10-01[America/Asuncion]", day.Prev().String())
	assert.Equal(t, "2023-10-01/2023-10-02[America/Asuncion]", day.Next().Prev().String())
}

// In Europe/Rome clocks turned back from 01:00 to 00:00 on Sunday October
// 1, 1978, and in Asia/Amman on Friday October 29, 2021: midnight came
// twice, and the day began at the first.
func TestPeriodDayStartsAtFirstMidnightInFold(t *testing.T) {
	rome := location(t, "Europe/Rome")
	firstInstant := time.Date(1978, time.September, 30, 22, 0, 0, 0, time.UTC) // 00:00 CEST, the first pass
	firstHour := firstInstant.Add(30 * time.Minute).In(rome)                   // 00:30 of October 1, the first pass

	october := sp.Month(1978, time.October, rome)
	assert.True(t, october.Start().Equal(firstInstant), "October starts at %s", october.Start())
	assert.Equal(t, sp.KindMonth, october.Kind())
	assert.Equal(t, "1978-10[Europe/Rome]", october.String())
	assert.Equal(t, 31, october.Days())
	assert.True(t, october.Contains(firstHour), "the first pass of October's first hour is in October")
	assert.False(t, sp.Month(1978, time.September, rome).Contains(firstHour))
	assert.True(t, sp.MonthOf(firstHour).Contains(firstHour))
	assert.True(t, sp.Month(1978, time.September, rome).End().Equal(firstInstant))

	amman := location(t, "Asia/Amman")
	ammanFirst := time.Date(2021, time.October, 28, 21, 0, 0, 0, time.UTC) // 00:00 EEST, the first pass
	day := period(t, "2021-10-29/2021-10-30[Asia/Amman]")
	assert.True(t, day.Start().Equal(ammanFirst), "the day starts at %s", day.Start())
	assert.Equal(t, 1, day.Days())
	assert.Equal(t, "2021-10-29/2021-10-30[Asia/Amman]", day.String())
	assert.Equal(t, "2021-10-28/2021-10-29[Asia/Amman]", day.Prev().String())
	assert.True(t, day.Prev().End().Equal(ammanFirst))
	assert.Equal(t, sp.Fraction{Num: 1, Den: 31}, sp.Month(2021, time.October, amman).Coverage(day))
}

// In America/St_Johns clocks turned back from 00:01 NDT to 23:01 NST on
// Sunday November 1, 2009, and in America/Phoenix from 00:01 MWT to 23:01
// MST on January 1, 1944: midnight came twice, the first month (year) of
// the two began at the first, and the wall clock then read the last day
// of the month (year) before for an hour. That hour lies in the new month
// (year), and MonthOf (YearOf) of its instants is that month (year).
func TestPeriodOfInstantReadingTheDayBefore(t *testing.T) {
	stJohns := location(t, "America/St_Johns")
	november := sp.Month(2009, time.November, stJohns)
	secondPass := time.Date(2009, time.November, 1, 3, 0, 0, 0, time.UTC).In(stJohns) // 23:30 NST of October 31
	require.Equal(t, 31, secondPass.Day(), "the wall clock reads %s", secondPass)
	require.True(t, november.Contains(secondPass), "November began at %s", november.Start())
	assert.True(t, sp.MonthOf(secondPass).Equal(november), "MonthOf %s", sp.MonthOf(secondPass))
	assert.True(t, sp.QuarterOf(secondPass).Contains(secondPass))
	assert.True(t, sp.YearOf(secondPass).Contains(secondPass))
	assert.True(t, sp.WeekOf(secondPass).Contains(secondPass))
	span, err := sp.NewPeriod(secondPass, time.Date(2009, time.November, 3, 0, 0, 0, 0, stJohns))
	require.NoError(t, err)
	assert.Equal(t, []sp.Period{span}, slices.Collect(span.Months()), "the span lies in November")

	phoenix := location(t, "America/Phoenix")
	y1944 := sp.Year(1944, phoenix)
	newYearsEve := time.Date(1944, time.January, 1, 6, 30, 0, 0, time.UTC).In(phoenix) // 23:30 MST of December 31, 1943
	require.Equal(t, 1943, newYearsEve.Year(), "the wall clock reads %s", newYearsEve)
	require.True(t, y1944.Contains(newYearsEve), "1944 began at %s", y1944.Start())
	assert.True(t, sp.YearOf(newYearsEve).Equal(y1944), "YearOf %s", sp.YearOf(newYearsEve))
	assert.True(t, sp.QuarterOf(newYearsEve).Equal(sp.Quarter(1944, 1, phoenix)), "QuarterOf %s", sp.QuarterOf(newYearsEve))
	assert.True(t, sp.MonthOf(newYearsEve).Equal(sp.Month(1944, time.January, phoenix)), "MonthOf %s", sp.MonthOf(newYearsEve))
	assert.True(t, sp.WeekOf(newYearsEve).Contains(newYearsEve))
}

func TestDayStart(t *testing.T) {
	santiago := location(t, "America/Santiago")
	rome := location(t, "Europe/Rome")
	apia := location(t, "Pacific/Apia")
	for _, tt := range []struct {
		name string
		y    int
		m    time.Month
		d    int
		loc  *time.Location
		want time.Time
	}{
		{"utc", 2026, time.November, 27, nil, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)},
		{"rolls_over", 2026, time.November, 31, time.UTC, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{"midnight_gap", 2026, time.September, 6, santiago, time.Date(2026, 9, 6, 1, 0, 0, 0, santiago)},
		{"midnight_twice", 1978, time.October, 1, rome, time.Date(1978, 9, 30, 22, 0, 0, 0, time.UTC)},
		{"skipped_day", 2011, time.December, 30, apia, time.Date(2011, 12, 31, 0, 0, 0, 0, apia)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := sp.DayStart(tt.y, tt.m, tt.d, tt.loc)
			assert.True(t, got.Equal(tt.want), "got %s, want %s", got, tt.want)
			loc := tt.loc
			if loc == nil {
				loc = time.UTC
			}
			assert.Equal(t, loc, got.Location())
			if tt.name != "skipped_day" {
				// The start reads as the day it starts.
				y, m, d := got.Date()
				assert.True(t, sp.DayStart(y, m, d, loc).Equal(got), "the day %d-%d-%d starts elsewhere", y, m, d)
			}
		})
	}
	assert.True(t, sp.Month(1978, time.October, rome).Start().Equal(sp.DayStart(1978, time.October, 1, rome)))
}

// WallTime resolves the readings that time.Date resolves by the side of
// UTC a zone lies on the same way everywhere: the first of a reading that
// comes twice, and past a gap by as much as the clocks spring forward.
func TestWallTime(t *testing.T) {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		return loc
	}
	ny, lisbon, santiago := zone("America/New_York"), zone("Europe/Lisbon"), zone("America/Santiago")
	for _, tt := range []struct {
		name string
		got  time.Time
		want string
	}{
		{"plain", sp.WallTime(2026, time.July, 1, 9, 30, 0, 0, ny), "2026-07-01T09:30:00-04:00"},
		{"nil_is_utc", sp.WallTime(2026, time.July, 1, 9, 30, 0, 0, nil), "2026-07-01T09:30:00Z"},
		{"gap_west", sp.WallTime(2026, time.March, 8, 2, 30, 0, 0, ny), "2026-03-08T03:30:00-04:00"},
		{"fold_west", sp.WallTime(2026, time.November, 1, 1, 30, 0, 0, ny), "2026-11-01T01:30:00-04:00"},
		{"gap_east", sp.WallTime(2026, time.March, 29, 1, 30, 0, 0, lisbon), "2026-03-29T02:30:00+01:00"},
		{"fold_east", sp.WallTime(2026, time.October, 25, 1, 30, 0, 0, lisbon), "2026-10-25T01:30:00+01:00"},
		{"gap_at_midnight", sp.WallTime(2026, time.September, 6, 0, 30, 0, 0, santiago), "2026-09-06T01:30:00-03:00"},
		{"rolls_over", sp.WallTime(2026, time.February, 30, 25, 0, 0, 0, nil), "2026-03-03T01:00:00Z"},
	} {
		assert.Equal(t, tt.want, tt.got.Format(time.RFC3339), tt.name)
	}
}

// A zone that a text names is loaded once: periods read from text that
// name one zone share its *time.Location, and so compare equal with ==,
// and reading another costs no reading of the zone database (which cost
// some microseconds and kilobytes each, held as long as the period).
func TestParsePeriodLoadsAZoneOnce(t *testing.T) {
	a, err := sp.ParsePeriod("2026-11[America/New_York]")
	require.NoError(t, err)
	b, err := sp.ParsePeriod("2026-11[America/New_York]")
	require.NoError(t, err)
	assert.True(t, a.Location() == b.Location(), "one *time.Location")
	assert.True(t, a == b)
	var r sp.Region
	require.NoError(t, json.Unmarshal([]byte(`{"id":"east","name":"East","time_zone":"America/New_York"}`), &r))
	assert.True(t, a.Location() == r.Loc(), "regions share it too")
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := sp.ParsePeriod("2026-11[America/New_York]"); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 2.0)
}
