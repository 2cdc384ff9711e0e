package review

import "time"

// addDays returns the time of day of t, n calendar days later in t's
// location, by the rule training's Certify counts months with: where
// clocks spring forward over that time of day, it is as much later as they
// do (02:30 becomes 03:30), never earlier; where they turn back over it,
// so that it comes twice, it is the first. [time.Time.AddDate] gives the
// first or the second depending on the zone, and in a gap may give a time
// an hour early, or the day before where clocks spring forward at
// midnight.
func addDays(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	loc := t.Location()
	wall := time.Date(y, m, d+n, hh, mm, ss, t.Nanosecond(), time.UTC)
	u := time.Date(y, m, d+n, hh, mm, ss, t.Nanosecond(), loc)
	if wallClock(u).Equal(wall) {
		// Where clocks turned back over it, the time of day came first
		// with the offset in force before u's zone began; time.Date may
		// have given the second.
		if start, _ := u.ZoneBounds(); !start.IsZero() {
			_, before := start.Add(-1).Zone()
			if _, off := u.Zone(); before > off {
				if e := u.Add(time.Duration(off-before) * time.Second); e.Before(start) && wallClock(e).Equal(wall) {
					return e
				}
			}
		}
		return u
	}
	// The time of day does not exist that day. time.Date read it with
	// the offset of one side of the gap; read with the other side's, it
	// falls on the other side: the later of the two is past the gap.
	_, off := u.Zone()
	if v := wall.Add(-time.Duration(off) * time.Second).In(loc); v.After(u) {
		return v
	}
	return u
}

// wallClock returns the date and time of day t reads, as a time in UTC.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), time.UTC)
}
