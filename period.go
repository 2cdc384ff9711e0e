package salesprocess

import (
	"errors"
	"fmt"
	"iter"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Period is a half-open interval of time [Start, End) in a location: a
// calendar month, quarter, year or ISO week, or a custom span. Its bounds
// are instants in its location, so "November 2026 in Europe/Berlin" starts
// at local midnight of November 1 and ends at local midnight of December 1,
// whatever daylight-saving changes lie between. Where clocks spring forward
// at midnight, a day begins at the first instant it has (01:00 in
// America/Asuncion on October 1, 2023), and counts as a whole day; where
// they turn back across midnight, so that midnight comes twice (Asia/Amman
// on October 29, 2021), the day begins at the first.
//
// The kind of a period ([Period.Kind]) follows from its bounds: a custom
// period whose bounds are those of a month is that month.
//
// Lengths come in two measures. [Period.Duration] is elapsed time: March
// 2026 in Europe/Berlin lasts 30 days 23 hours, because clocks spring
// forward. [Period.Days] and [Period.Coverage] count wall-clock (civil) time
// in the period's location, so that March has 31 days and proration by days
// is exact.
//
// The text form (see [Period.String]) round-trips. Period is an immutable
// value, safe to copy and share. Compare periods with [Period.Equal], not
// ==, which compares the bounds' *time.Location pointers too: November in a
// Europe/Berlin that the program loaded twice is two periods to ==, and so
// two keys of a map (key a map by [Period.String] instead). The zero Period
// is empty, has no location and no kind, and encodes as empty text.
type Period struct {
	start, end time.Time
}

// PeriodKind names the shape of a [Period]. Its text form is its name. The
// zero PeriodKind, "", is the kind of the zero Period: no shape.
type PeriodKind string

// The kinds of period.
const (
	KindMonth   PeriodKind = "month"
	KindQuarter PeriodKind = "quarter"
	KindYear    PeriodKind = "year"
	KindWeek    PeriodKind = "week" // an ISO 8601 week, Monday to Monday
	KindCustom  PeriodKind = "custom"
)

var periodKinds = []PeriodKind{KindMonth, KindQuarter, KindYear, KindWeek, KindCustom}

// Validate reports whether k is a known kind of period.
func (k PeriodKind) Validate() error { return CheckEnum("period kind", k, periodKinds...) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k PeriodKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown period kind is an error wrapping
// [ErrInvalid], as UnmarshalText would refuse it.
func (k PeriodKind) MarshalText() ([]byte, error) {
	return MarshalEnum("period kind", k, periodKinds...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [ErrInvalid]; empty text gives the zero PeriodKind.
func (k *PeriodKind) UnmarshalText(text []byte) error {
	return UnmarshalEnum("period kind", k, text, periodKinds...)
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// date returns the first instant of the day y-m-d in loc (out-of-range
// parts roll over as in [time.Date]). That is local midnight, unless clocks
// spring forward at midnight (America/Asuncion, Africa/Cairo): midnight
// then does not exist, time.Date gives an instant of the day before, and
// the day begins when the gap ends. (A day skipped whole, as Pacific/Apia
// skipped 2011-12-30, begins and ends at the same instant.) Where clocks
// turn back across midnight (Europe/Rome on October 1, 1978, from 01:00 to
// 00:00), midnight comes twice, time.Date may give the second, and the day
// begins at the first.
func date(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if loc == time.UTC {
		return t
	}
	wall := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if ty, tm, td := t.Date(); time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Before(wall) {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			return end
		}
		return t
	}
	// While the instant before the zone of t began already reads day d,
	// the day began in that earlier zone: at its midnight, or when it
	// began if it has none.
	wy, wm, wd := wall.Date()
	for {
		start, _ := t.ZoneBounds()
		if start.IsZero() || t.Sub(start) > maxFold {
			return t
		}
		before := start.Add(-1)
		if by, bm, bd := before.Date(); by != wy || bm != wm || bd != wd {
			return t
		}
		_, off := before.Zone()
		t = wall.Add(-time.Duration(off) * time.Second).In(loc)
		if prev, _ := before.ZoneBounds(); !prev.IsZero() && t.Before(prev) {
			t = prev
		}
	}
}

// DayStart returns the first instant of a calendar day in loc (nil means
// UTC), where the periods of this package begin it: local midnight; where
// clocks spring forward at midnight, the end of the gap (01:00 in
// America/Santiago on September 6, 2026); where they turn back across
// midnight, the first of the two midnights. Out-of-range days roll over as
// in [time.Date]: November 31 is December 1. A day skipped whole (December
// 30, 2011 in Pacific/Apia) begins where the next day does.
func DayStart(year int, month time.Month, day int, loc *time.Location) time.Time {
	return date(year, month, day, orUTC(loc))
}

// WallTime returns the instant at which the clocks of loc (nil means UTC)
// read the given date and time of day, as [time.Date] does, but for the
// readings that time.Date resolves one way or the other by the side of
// UTC the zone lies on: where clocks turn back over the reading, so that
// it comes twice, it is the first; where they spring forward over it, it
// is as much later as they do (02:30 becomes 03:30), never earlier, and
// on the next day where the change skips a midnight. Out-of-range values
// roll over as in time.Date.
func WallTime(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	loc = orUTC(loc)
	wall := time.Date(year, month, day, hour, min, sec, nsec, time.UTC)
	u := time.Date(year, month, day, hour, min, sec, nsec, loc)
	if reading(u).Equal(wall) {
		// Where clocks turned back over it, the reading came first with
		// the offset in force before u's zone began.
		if start, _ := u.ZoneBounds(); !start.IsZero() {
			_, before := start.Add(-1).Zone()
			if _, off := u.Zone(); before > off {
				if e := u.Add(time.Duration(off-before) * time.Second); e.Before(start) && reading(e).Equal(wall) {
					return e
				}
			}
		}
		return u
	}
	// The reading does not exist. time.Date read it with the offset of
	// one side of the gap; read with the other side's, it falls on the
	// other side: the later of the two is past the gap.
	_, off := u.Zone()
	if v := wall.Add(-time.Duration(off) * time.Second).In(loc); v.After(u) {
		return v
	}
	return u
}

// reading returns the date and time of day t's clock reads, as a time in
// UTC.
func reading(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), time.UTC)
}

// Month returns the calendar month in loc (nil means UTC). Out-of-range
// months roll over as in [time.Date]: month 13 of 2026 is January 2027.
func Month(year int, month time.Month, loc *time.Location) Period {
	loc = orUTC(loc)
	return Period{date(year, month, 1, loc), date(year, month+1, 1, loc)}
}

// Quarter returns calendar quarter q (1 to 4) of year in loc (nil means
// UTC). Out-of-range quarters roll over: quarter 5 of 2026 is the first of
// 2027.
func Quarter(year, q int, loc *time.Location) Period {
	loc = orUTC(loc)
	m := time.Month(3*(q-1) + 1)
	return Period{date(year, m, 1, loc), date(year, m+3, 1, loc)}
}

// Year returns the calendar year in loc (nil means UTC).
func Year(year int, loc *time.Location) Period {
	loc = orUTC(loc)
	return Period{date(year, 1, 1, loc), date(year+1, 1, 1, loc)}
}

// Week returns ISO 8601 week number week of isoYear in loc (nil means UTC):
// seven days from a Monday, week 1 being the week that holds January 4.
// Out-of-range weeks roll over into the neighbouring years.
func Week(isoYear, week int, loc *time.Location) Period {
	loc = orUTC(loc)
	jan4 := date(isoYear, 1, 4, loc)
	monday := 4 - (int(jan4.Weekday())+6)%7 + 7*(week-1)
	return Period{date(isoYear, 1, monday, loc), date(isoYear, 1, monday+7, loc)}
}

// MonthOf returns the calendar month that holds t, in t's location. That
// is the month t's wall clock reads, except where clocks turn back across
// midnight into the last day of a month (from 00:01 to 23:01 in
// America/St_Johns on November 1, 2009): the new month began at the first
// midnight, and holds the hour that reads the old one's last day again.
//
// A time decoded from RFC 3339 text (a time of a record read from JSON) is
// not in its time zone but at its UTC offset (see the package
// documentation): its month is reckoned at that fixed offset, an hour off
// the zone's month where daylight saving time changes within it, and in a
// location without a name has no text form ([Period.MarshalText] refuses
// it). Take the month in the region's zone instead,
// MonthOf(t.In(region.Loc())). The same holds for [QuarterOf], [YearOf] and
// [WeekOf].
func MonthOf(t time.Time) Period {
	y, m, _ := t.Date()
	return holding(t, func(n int) Period { return Month(y, m+time.Month(n), t.Location()) })
}

// QuarterOf returns the calendar quarter that holds t, in t's location
// (see [MonthOf]).
func QuarterOf(t time.Time) Period {
	y, q := t.Year(), (int(t.Month())+2)/3
	return holding(t, func(n int) Period { return Quarter(y, q+n, t.Location()) })
}

// YearOf returns the calendar year that holds t, in t's location (see
// [MonthOf]).
func YearOf(t time.Time) Period {
	y := t.Year()
	return holding(t, func(n int) Period { return Year(y+n, t.Location()) })
}

// WeekOf returns the ISO week that holds t, in t's location (see
// [MonthOf]).
func WeekOf(t time.Time) Period {
	y, w := t.ISOWeek()
	return holding(t, func(n int) Period { return Week(y, w+n, t.Location()) })
}

// holding returns the period of(0), of the kind and number that t's wall
// clock reads, or its neighbour of(1) or of(-1) if that holds t instead:
// where clocks turn back across midnight, a day begins at the first
// midnight, and the wall clock then reads the day before again for a
// while.
func holding(t time.Time, of func(n int) Period) Period {
	p := of(0)
	switch {
	case !t.Before(p.end):
		return of(1)
	case t.Before(p.start):
		return of(-1)
	}
	return p
}

// NewPeriod returns the custom period [start, end) in start's location (end
// is taken in that location too). start must be before end, and both within
// the years 1 to 9999 of that location, or the error wraps [ErrInvalid].
func NewPeriod(start, end time.Time) (Period, error) {
	loc := start.Location()
	end = end.In(loc)
	if !start.Before(end) {
		return Period{}, Invalid("period", "start %s is not before end %s", FormatTime(start), FormatTime(end))
	}
	p := Period{start, end}
	if err := p.checkYears(); err != nil {
		return Period{}, Invalid("period", "%v", err)
	}
	return p, nil
}

// checkYears reports whether p lies within the years 1 to 9999 of its
// location, as its text form needs: a named period (a month, ..., a year)
// up to the end of 9999, a custom one up to an end within 9999.
func (p Period) checkYears() error {
	switch {
	case p.start.Year() < 1 || p.end.Add(-1).Year() > 9999:
		return errors.New("outside the years 1 to 9999")
	case p.end.Year() > 9999 && p.Kind() == KindCustom:
		return errors.New("end after the year 9999")
	}
	return nil
}

// Start returns the first instant of p, in p's location.
func (p Period) Start() time.Time { return p.start }

// End returns the first instant after p, in p's location.
func (p Period) End() time.Time { return p.end }

// Location returns p's location; nil for the zero Period.
func (p Period) Location() *time.Location {
	if p.IsZero() {
		return nil
	}
	return p.start.Location()
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.start.IsZero() && p.end.IsZero() }

// Equal reports whether p and o have the same bounds in the same location.
func (p Period) Equal(o Period) bool {
	return p.start.Equal(o.start) && p.end.Equal(o.end) && p.Location().String() == o.Location().String()
}

// Contains reports whether t lies in p: Start ≤ t < End.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.start) && t.Before(p.end) }

// Overlaps reports whether p and o share at least one instant.
func (p Period) Overlaps(o Period) bool { return p.start.Before(o.end) && o.start.Before(p.end) }

// Intersect returns the instants p and o share, in p's location, and false
// if they share none.
func (p Period) Intersect(o Period) (Period, bool) {
	if !p.Overlaps(o) {
		return Period{}, false
	}
	start, end := p.start, p.end
	if o.start.After(start) {
		start = o.start.In(start.Location())
	}
	if o.end.Before(end) {
		end = o.end.In(start.Location())
	}
	return Period{start, end}, true
}

// Duration returns the elapsed time from Start to End. A period longer
// than a [time.Duration] holds (about 292 years) gives the largest
// Duration, as [time.Time.Sub] does; [Period.Days] counts any length.
func (p Period) Duration() time.Duration { return p.end.Sub(p.start) }

// civil returns t's wall-clock reading as if it were UTC, so that
// differences between civil times ignore daylight-saving jumps.
// The first instant of a day counts as its midnight, even where clocks
// spring forward at midnight and the day begins at 01:00.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	ns := t.Nanosecond()
	if hh|mm|ss|ns != 0 && isStartOfDay(t) {
		hh, mm, ss, ns = 0, 0, 0, 0
	}
	return time.Date(y, m, d, hh, mm, ss, ns, time.UTC)
}

// Days returns the length of p in whole days of wall-clock time in its
// location, rounded down: 31 for March in Europe/Berlin, although it lasts
// 30 days 23 hours. Where a bound is not at the start of a day, it is not
// the number of calendar days that p holds whole: noon of November 3 to
// noon of November 4 holds none and lasts 1 day. A day that the location
// skipped whole counts, as the hour skipped when clocks spring forward
// does, so that Days agrees with [Period.Coverage]: December 2011 in
// Pacific/Apia, which went from December 29 to December 31, has 31 days by
// this count, and no Period holds its December 30.
func (p Period) Days() int {
	s, e := civil(p.start), civil(p.end)
	secs := e.Unix() - s.Unix()
	if e.Nanosecond() < s.Nanosecond() {
		secs-- // a fraction of a second short of secs
	}
	return int(secs / 86400)
}

// Coverage returns the exact share of p that o covers, measured in
// wall-clock time of p's location and in lowest terms: 10 days of a 30-day
// month is 1/3. It is 0/1 when they do not overlap and 0/0 (undefined) for
// the zero Period p. Where clocks turn back and an hour of wall-clock time
// passes twice, that hour counts once, half in each pass: the first pass
// counts up to the middle of the hour (02:30 in Europe/Berlin) and the
// second from then on; where the hour spans midnight (from 00:01 back to
// 23:01 in America/St_Johns until 2010), the first pass counts up to
// midnight, when the new day begins, so that each day counts whole. So the
// share stays within 0 and 1, and a p from 02:30 of the first pass to 02:30
// of the second measures nothing and gives 0/0.
// Only when no int64 fraction is exact (spans of centuries with bounds off
// whole seconds) does it count whole seconds.
func (p Period) Coverage(o Period) Fraction {
	if p.IsZero() {
		return Fraction{}
	}
	in, ok := p.Intersect(o)
	if !ok {
		return Fraction{Num: 0, Den: 1}
	}
	// Measure each distinct bound once: those of in are mostly p's.
	ps, pe := measure(p.start), measure(p.end)
	is, ie := ps, pe
	if !in.start.Equal(p.start) {
		is = measure(in.start)
	}
	if !in.end.Equal(p.end) {
		ie = measure(in.end)
	}
	whole, part := nanosBetween(ps, pe), nanosBetween(is, ie)
	if whole.Sign() <= 0 {
		return Fraction{} // a span that daylight saving folds to nothing
	}
	// The measure never decreases, so part lies within 0 and whole; the
	// clamp guards against time zone data with overlapping folds.
	if part.Sign() < 0 {
		part.SetInt64(0)
	} else if part.Cmp(whole) > 0 {
		part.Set(whole)
	}
	r := new(big.Rat).SetFrac(part, whole)
	if r.Num().IsInt64() && r.Denom().IsInt64() {
		return Fraction{Num: r.Num().Int64(), Den: r.Denom().Int64()}
	}
	// Only spans of centuries with bounds off whole seconds get here: no
	// int64 fraction is exact, so count whole seconds.
	den := pe.Unix() - ps.Unix()
	num := min(max(ie.Unix()-is.Unix(), 0), den)
	return Fraction{Num: num, Den: den}.Reduce()
}

// nanosBetween returns e - s in nanoseconds, for times as far apart as the
// years 1 and 9999, which a time.Duration cannot hold.
func nanosBetween(s, e time.Time) *big.Int {
	n := new(big.Int).Mul(big.NewInt(e.Unix()-s.Unix()), big.NewInt(int64(time.Second)))
	return n.Add(n, big.NewInt(int64(e.Nanosecond()-s.Nanosecond())))
}

// measure returns the wall-clock reading of t as [civil] does, for
// measuring spans of wall-clock time; except in a fold, where clocks turn
// back and a stretch of wall-clock time passes twice (02:00 to 03:00 in
// Europe/Berlin on October 25, 2026). There the first pass counts up to the
// middle of the stretch and the second from its middle on (a midnight
// within the stretch being its middle; see [foldMiddle]), so that the
// stretch counts once and the measure never decreases: no span measures
// less than nothing, and the two parts of a span add up to it.
func measure(t time.Time) time.Time {
	c := civil(t)
	if t.Location() == time.UTC {
		return c
	}
	start, end := t.ZoneBounds()
	if start.IsZero() && end.IsZero() {
		return c
	}
	_, off := t.Zone()
	if !end.IsZero() && end.Sub(t) <= maxFold {
		if _, next := end.Zone(); next < off && end.Sub(t) <= time.Duration(off-next)*time.Second {
			if mid := foldMiddle(end, off, next); c.After(mid) {
				return mid
			}
			return c
		}
	}
	if !start.IsZero() && t.Sub(start) < maxFold {
		if _, prev := start.Add(-1).Zone(); prev > off && t.Sub(start) < time.Duration(prev-off)*time.Second {
			if mid := foldMiddle(start, prev, off); c.Before(mid) {
				return mid
			}
		}
	}
	return c
}

// maxFold bounds the stretch of wall-clock time a fold repeats, for
// [measure] to skip looking for folds far from t. The longest known is a
// day (Pacific/Apia repeated July 4, 1892).
const maxFold = 48 * time.Hour

// foldMiddle returns, as a reading of the wall clock in UTC like [civil]'s,
// the middle of the fold that clocks turning back at the instant at, from
// offset before to offset after seconds east of UTC, make. Where the fold
// spans a midnight (from 00:01 back to 23:01 in America/St_Johns until
// 2010), that midnight is its middle: a day begins at the first of two
// midnights, and so each day measures whole, as [Period.Days] counts it.
func foldMiddle(at time.Time, before, after int) time.Time {
	lo := at.UTC().Add(time.Duration(after) * time.Second)
	hi := at.UTC().Add(time.Duration(before) * time.Second)
	y, m, d := hi.Date()
	if midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); lo.Before(midnight) && midnight.Before(hi) {
		return midnight
	}
	return lo.Add(hi.Sub(lo) / 2)
}

// Kind returns the shape of p, derived from its bounds. The zero Period,
// which has no bounds, has no shape: its Kind is the zero PeriodKind, "",
// which [PeriodKind.Validate] refuses.
func (p Period) Kind() PeriodKind {
	if p.IsZero() {
		return ""
	}
	s, loc := p.start, p.start.Location()
	if !isStartOfDay(s) {
		return KindCustom
	}
	y, m, d := s.Date()
	if d == 1 {
		switch {
		case m == time.January && p.end.Equal(date(y+1, 1, 1, loc)):
			return KindYear
		case (m-1)%3 == 0 && p.end.Equal(date(y, m+3, 1, loc)):
			return KindQuarter
		case p.end.Equal(date(y, m+1, 1, loc)):
			return KindMonth
		}
	}
	if s.Weekday() == time.Monday && p.end.Equal(date(y, m, d+7, loc)) {
		return KindWeek
	}
	return KindCustom
}

func isStartOfDay(t time.Time) bool {
	y, m, d := t.Date()
	return t.Equal(date(y, m, d, t.Location()))
}

// Next returns the period of the same kind that follows p: the next month,
// quarter, year or week; for a custom period, the span of the same
// wall-clock length that starts at p's end. Where clocks turn back within
// p so that it has no positive wall-clock length, or no span of that length
// starts at p's end, the span lasts as long as p in elapsed time instead.
func (p Period) Next() Period { return p.shift(1) }

// Prev returns the period of the same kind that precedes p; for a custom
// period, the span of the same wall-clock length that ends at p's start,
// or of the same elapsed time where there is none, as for [Period.Next].
func (p Period) Prev() Period { return p.shift(-1) }

func (p Period) shift(n int) Period {
	if p.IsZero() {
		return p
	}
	loc := p.Location()
	y, m, d := p.start.Date()
	switch p.Kind() {
	case KindYear:
		return Year(y+n, loc)
	case KindQuarter:
		return Period{date(y, m+time.Month(3*n), 1, loc), date(y, m+time.Month(3*n+3), 1, loc)}
	case KindMonth:
		return Month(y, m+time.Month(n), loc)
	case KindWeek:
		return Period{date(y, m, d+7*n, loc), date(y, m, d+7*n+7, loc)}
	}
	// Custom: move a bound by the wall-clock length, in seconds and
	// nanoseconds, since a time.Duration holds only 292 years.
	s, e := civil(p.start), civil(p.end)
	secs, nanos := e.Unix()-s.Unix(), int64(e.Nanosecond()-s.Nanosecond())
	move := func(t time.Time) time.Time {
		c := civil(t)
		c = time.Unix(c.Unix()+int64(n)*secs, int64(c.Nanosecond())+int64(n)*nanos).UTC()
		if c.Hour() == 0 && c.Minute() == 0 && c.Second() == 0 && c.Nanosecond() == 0 {
			return date(c.Year(), c.Month(), c.Day(), loc)
		}
		return time.Date(c.Year(), c.Month(), c.Day(), c.Hour(), c.Minute(), c.Second(), c.Nanosecond(), loc)
	}
	// The span shares a bound with p, so that the two are adjacent, and
	// moves the other, unless clocks turning back within p or at the moved
	// bound would make it empty or reversed.
	if n > 0 {
		end := move(p.end)
		if !p.end.Before(end) {
			end = p.end.Add(p.Duration())
		}
		return Period{p.end, end}
	}
	start := move(p.start)
	if !start.Before(p.start) {
		start = p.start.Add(-p.Duration())
	}
	return Period{start, p.start}
}

// Months returns the calendar months that p overlaps, each clipped to p, in
// order: a year yields its twelve months, November 11 to December 20 yields
// November 11 to December 1 and December 1 to December 20. Use [MonthOf] on
// a part's Start for the whole month. The sequence may be iterated again,
// and gives the same.
func (p Period) Months() iter.Seq[Period] {
	return func(yield func(Period) bool) {
		if p.IsZero() {
			return
		}
		for m := MonthOf(p.start); m.start.Before(p.end); m = m.Next() {
			part, _ := m.Intersect(p)
			if !yield(part) {
				return
			}
		}
	}
}

// String returns the text form of p: "2026-11" (month), "2026-Q4"
// (quarter), "2026" (year), "2026-W48" (ISO week), or for a custom period
// its bounds separated by a slash, each a date when it falls at the start of
// a day and an RFC 3339 time otherwise: "2026-11-03/2026-11-17" is November
// 3 up to (not including) November 17. A period outside UTC carries its
// location's name in brackets, as in "2026-11[Europe/Berlin]". The zero
// Period gives "".
func (p Period) String() string {
	s, err := p.format(false)
	if err != nil {
		return "!" + err.Error()
	}
	return s
}

// Validate reports whether p is a period that can leave the process: not
// the zero Period, not empty (a constructor given numbers that overflow
// [time.Date] can make one whose start is its end), within the years 1 to
// 9999 and in a location with an IANA name, so that [Period.MarshalText]
// writes it and its text parses back to it. The error wraps [ErrInvalid] and names the field "period";
// for a period that is not zero, it is the one MarshalText wraps
// (MarshalText writes the zero Period as empty text, which Validate
// refuses as missing). Validate writes no text: a valid period
// in a location with daylight-saving or other transitions, or in UTC,
// costs no allocation (a fixed zone is loaded by name to compare).
func (p Period) Validate() error {
	if p.IsZero() {
		return Invalid("period", "missing")
	}
	if !p.Start().Before(p.End()) {
		return Invalid("period", "empty: its start %s is not before its end", p.Start().Format(time.RFC3339))
	}
	if err := p.checkYears(); err != nil {
		return Invalid("period", "%v", err)
	}
	if err := checkZone(p.Location()); err != nil {
		return Invalid("period", "%v", err)
	}
	return nil
}

// format returns the text form of p; for marshal, a location without an
// IANA name is an error too.
func (p Period) format(marshal bool) (string, error) {
	if p.IsZero() {
		return "", nil
	}
	if marshal {
		if err := p.Validate(); err != nil {
			return "", err
		}
	} else if err := p.checkYears(); err != nil {
		return "", Invalid("period", "%v", err)
	}
	var b strings.Builder
	y, m, _ := p.start.Date()
	switch p.Kind() {
	case KindYear:
		fmt.Fprintf(&b, "%04d", y)
	case KindQuarter:
		fmt.Fprintf(&b, "%04d-Q%d", y, (m+2)/3)
	case KindMonth:
		fmt.Fprintf(&b, "%04d-%02d", y, m)
	case KindWeek:
		wy, w := p.start.ISOWeek()
		fmt.Fprintf(&b, "%04d-W%02d", wy, w)
	default:
		b.WriteString(formatBound(p.start))
		b.WriteByte('/')
		b.WriteString(formatBound(p.end))
	}
	if name := p.Location().String(); name != "UTC" {
		b.WriteString("[" + name + "]")
	}
	return b.String(), nil
}

func formatBound(t time.Time) string {
	if isStartOfDay(t) {
		return t.Format(time.DateOnly)
	}
	// RFC 3339 offsets have no seconds, and local mean times (Berlin's
	// +00:53:28 before 1893) do: FormatTime writes such an instant in UTC.
	return FormatTime(t)
}

// MarshalText implements [encoding.TextMarshaler] with the form of
// [Period.String]. A period reaching outside the years 1 to 9999, or in a
// location without an IANA name (the machine's [time.Local] unless the TZ
// environment variable names a zone, a zone made by [time.FixedZone] under a
// name that is not that of an IANA zone with the same fixed offset, such as
// "XYZ" or "Europe/Berlin", a zone read by [time.LoadLocationFromTZData]
// under a name of its own), is an error wrapping [ErrInvalid]: its text
// would not parse back to it. [Period.Validate] checks the same without
// writing the text.
func (p Period) MarshalText() ([]byte, error) {
	s, err := p.format(true)
	if err != nil {
		return nil, fmt.Errorf("salesprocess: marshal period: %w", err)
	}
	return []byte(s), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] for the forms of
// [ParsePeriod]; empty text decodes to the zero Period. On error p is left
// unchanged.
func (p *Period) UnmarshalText(text []byte) error {
	if err := CheckTarget(p); err != nil {
		return err
	}
	if len(text) == 0 {
		*p = Period{}
		return nil
	}
	v, err := ParsePeriod(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePeriod parses the text form of [Period.String]. Without a bracketed
// location the period is in UTC; see [ParsePeriodIn] to choose another
// default. Errors wrap [ErrInvalid].
func ParsePeriod(s string) (Period, error) { return ParsePeriodIn(s, time.UTC) }

// ParsePeriodIn parses the text form of [Period.String], taking a period
// without a bracketed location in loc (nil means UTC). A bracketed location
// wins over loc; it must be an IANA time zone name: "Local", whose meaning
// depends on the machine, is refused. Errors wrap [ErrInvalid].
func ParsePeriodIn(s string, loc *time.Location) (Period, error) {
	p, err := parsePeriod(s, orUTC(loc))
	if err == nil {
		// Bounds taken in loc, or a week of 9999, may leave the years of
		// the text form.
		err = p.checkYears()
	}
	if err != nil {
		return Period{}, Invalid("period", "%s: %s", Quote(s), err)
	}
	return p, nil
}

func parsePeriod(s string, loc *time.Location) (Period, error) {
	if len(s) > 128 {
		return Period{}, fmt.Errorf("too long")
	}
	if strings.HasSuffix(s, "]") {
		i := strings.LastIndexByte(s, '[')
		if i < 0 {
			return Period{}, fmt.Errorf("unbalanced brackets")
		}
		name := s[i+1 : len(s)-1]
		if name == "" || strings.ContainsAny(name, "[]") {
			return Period{}, fmt.Errorf("bad location name")
		}
		l, err := loadZone(name)
		if err != nil {
			return Period{}, err
		}
		s, loc = s[:i], l
	}
	if first, last, ok := strings.Cut(s, "/"); ok {
		start, err := parseBound(first, loc)
		if err != nil {
			return Period{}, err
		}
		end, err := parseBound(last, loc)
		if err != nil {
			return Period{}, err
		}
		if !start.Before(end) {
			return Period{}, fmt.Errorf("start is not before end")
		}
		return Period{start, end}, nil
	}
	if len(s) < 4 || !isDigits(s[:4]) {
		return Period{}, fmt.Errorf("want a year of four digits first")
	}
	y, _ := strconv.Atoi(s[:4])
	if y < 1 {
		return Period{}, fmt.Errorf("year 0000 out of range")
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Year(y, loc), nil
	case len(rest) == 3 && rest[:2] == "-Q" && rest[2] >= '1' && rest[2] <= '4':
		return Quarter(y, int(rest[2]-'0'), loc), nil
	case len(rest) == 4 && rest[:2] == "-W" && isDigits(rest[2:]):
		w, _ := strconv.Atoi(rest[2:])
		if w < 1 || w > 53 {
			return Period{}, fmt.Errorf("week %d out of range", w)
		}
		p := Week(y, w, loc)
		if wy, _ := p.start.ISOWeek(); wy != y {
			return Period{}, fmt.Errorf("year %d has no week %d", y, w)
		}
		return p, nil
	case len(rest) == 3 && rest[0] == '-' && isDigits(rest[1:]):
		m, _ := strconv.Atoi(rest[1:])
		if m < 1 || m > 12 {
			return Period{}, fmt.Errorf("month %d out of range", m)
		}
		return Month(y, time.Month(m), loc), nil
	}
	return Period{}, fmt.Errorf("want 2026, 2026-Q4, 2026-11, 2026-W48 or start/end")
}

// checkZoneName refuses the names of locations that do not load back by
// name: the empty name and "Local", the machine's zone.
func checkZoneName(name string) error {
	switch name {
	case "":
		return errors.New("a location without a name")
	case "Local":
		return errors.New(`the machine's local time zone "Local"; use an IANA name such as "Europe/Berlin"`)
	}
	return nil
}

// checkZone refuses locations whose name does not load back to a location
// that reckons alike: those of [checkZoneName], a fixed zone (one made by
// [time.FixedZone], whose offset never changes) unless its name is that of
// an IANA zone with the same fixed offset, as "Etc/GMT-1" is for +01:00,
// and a location with transitions whose name does not load (one made by
// [time.LoadLocationFromTZData] under a name of its own, or [time.Local]
// where the TZ environment variable gives a file's path). A location with
// transitions whose name loads is taken to be the IANA zone of that name,
// without comparing them, and the names that load are kept, to keep this
// fast; a fixed zone is loaded each time.
func checkZone(loc *time.Location) error {
	if loc == time.UTC {
		return nil
	}
	name := loc.String()
	if err := checkZoneName(name); err != nil {
		return err
	}
	t := time.Time{}.In(loc)
	if start, end := t.ZoneBounds(); !start.IsZero() || !end.IsZero() {
		if !zoneLoads(name) {
			return fmt.Errorf("a zone named %s, which is not the name of an IANA time zone", Quote(name))
		}
		return nil
	}
	_, offset := t.Zone()
	l, err := time.LoadLocation(name)
	if err == nil {
		t = t.In(l)
		start, end := t.ZoneBounds()
		if _, o := t.Zone(); o == offset && start.IsZero() && end.IsZero() {
			return nil
		}
	}
	return fmt.Errorf("a fixed zone %s at offset %s that is not the IANA time zone of that name",
		Quote(name), formatOffset(offset))
}

// loadedZones holds the zones that [loadLocation] has loaded, by name:
// names of the IANA time zone database, so at most as many as it has.
var loadedZones sync.Map // string → *time.Location

// loadLocation returns [time.LoadLocation](name), loading each zone once:
// a *time.Location is immutable, and one per name spares a program that
// reads many values naming a zone some microseconds and kilobytes for each
// (and makes periods read from text that name one zone compare equal with
// ==). Names that do not load are not kept.
func loadLocation(name string) (*time.Location, error) {
	if l, ok := loadedZones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	loaded, _ := loadedZones.LoadOrStore(name, l)
	return loaded.(*time.Location), nil
}

// zoneLoads reports whether [time.LoadLocation] loads the zone name.
func zoneLoads(name string) bool {
	_, err := loadLocation(name)
	return err == nil
}

// formatOffset returns offset seconds east of UTC as ±hh:mm, or ±hh:mm:ss.
func formatOffset(offset int) string {
	sign := '+'
	if offset < 0 {
		sign, offset = '-', -offset
	}
	s := fmt.Sprintf("%c%02d:%02d", sign, offset/3600, offset/60%60)
	if offset%60 != 0 {
		s += fmt.Sprintf(":%02d", offset%60)
	}
	return s
}

// loadZone loads the IANA time zone name, refusing "Local".
func loadZone(name string) (*time.Location, error) {
	if err := checkZoneName(name); err != nil {
		return nil, err
	}
	l, err := loadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %s", Quote(name))
	}
	return l, nil
}

// parseBound parses a custom period bound: a date (the start of that day in
// loc) or an RFC 3339 time (taken in loc).
func parseBound(s string, loc *time.Location) (time.Time, error) {
	if len(s) == len(time.DateOnly) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("bad date %q", s)
		}
		return date(t.Year(), t.Month(), t.Day(), loc), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad bound %q: want 2006-01-02 or an RFC 3339 time", s)
	}
	// The years that count are those of loc, which the caller checks: a
	// bound written in UTC may fall in year 0 (the first hour of year 1
	// in Europe/Berlin, whose local mean time has seconds).
	return t.In(loc), nil
}
