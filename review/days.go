package review

import (
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// addDays returns the time of day of t, n calendar days later in t's
// location, by the rule training's Certify counts months with
// ([sp.WallTime]): where clocks spring forward over that time of day, it
// is as much later as they do (02:30 becomes 03:30), never earlier; where
// they turn back over it, so that it comes twice, it is the first.
// [time.Time.AddDate] gives the first or the second depending on the
// zone, and in a gap may give a time an hour early, or the day before
// where clocks spring forward at midnight.
func addDays(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return sp.WallTime(y, m, d+n, hh, mm, ss, t.Nanosecond(), t.Location())
}
