package salesprocess

import (
	"sync"
	"time"
)

// Clock is the one source of the current time. Nothing in this module reads
// the wall clock except through a Clock, so that a host can run the process
// in any time it likes and a test can fix it. Wherever a Clock is optional,
// nil means [SystemClock], and so do a nil [ClockFunc] and a nil
// *[SteppingClock]. Implementations must be safe for concurrent use.
//
// The packages of this module drop the monotonic clock reading of a time a
// Clock gives (as [time.Time.Round](0) does), so that it compares with the
// times it is later compared with, read back from storage without one, as
// the wall-clock time it is: a clock that steps back (an NTP step, a
// virtual machine resumed) is seen to step back, and a history never goes
// back in time.
type Clock interface {
	Now() time.Time
}

// The clocks of this package are Clocks.
var (
	_ Clock = ClockFunc(nil)
	_ Clock = SystemClock{}
	_ Clock = FixedClock{}
	_ Clock = (*SteppingClock)(nil)
)

// ClockFunc adapts a function to [Clock]. A nil ClockFunc is
// [SystemClock].
type ClockFunc func() time.Time

// Now returns f(), or [SystemClock]'s time if f is nil.
func (f ClockFunc) Now() time.Time {
	if f == nil {
		return SystemClock{}.Now()
	}
	return f()
}

// SystemClock is the [Clock] of the machine: [time.Now], without its
// monotonic clock reading. It has no state: the zero SystemClock is the
// clock.
type SystemClock struct{}

// Now returns time.Now().Round(0): the wall-clock time, without the
// monotonic reading that would make it compare otherwise with a time read
// back from storage.
func (SystemClock) Now() time.Time { return time.Now().Round(0) }

// FixedClock is a [Clock] that always returns the same time. The zero
// FixedClock returns the zero time: unlike a nil [ClockFunc] or a nil
// *[SteppingClock], it does not stand for [SystemClock].
type FixedClock time.Time

// Now returns the fixed time.
func (c FixedClock) Now() time.Time { return time.Time(c) }

// SteppingClock is a [Clock] for tests: each call to Now returns the
// current time and then moves it forward by a step, so that successive
// events get distinct, increasing times without sleeping. It is safe for
// concurrent use. A nil *SteppingClock is [SystemClock]: its Now and Peek
// return SystemClock's time, and Advance and Set do nothing. The zero SteppingClock
// reads the zero time, with a zero step, until Set or Advance moves it;
// make one with [NewSteppingClock]. A SteppingClock must not be copied
// after first use.
type SteppingClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

// NewSteppingClock returns a clock whose first Now is start and every later
// Now is step after the one before (step may be zero).
func NewSteppingClock(start time.Time, step time.Duration) *SteppingClock {
	return &SteppingClock{now: start, step: step}
}

// Now returns the current time and advances it by the step.
func (c *SteppingClock) Now() time.Time {
	if c == nil {
		return SystemClock{}.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(c.step)
	return t
}

// Peek returns the time the next Now will return, without advancing.
func (c *SteppingClock) Peek() time.Time {
	if c == nil {
		return SystemClock{}.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward if d is negative).
func (c *SteppingClock) Advance(d time.Duration) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *SteppingClock) Set(t time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
