package salesprocess_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestClocks(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	t.Run("fixed", func(t *testing.T) {
		var c sp.Clock = sp.FixedClock(start)
		assert.Equal(t, start, c.Now())
		assert.Equal(t, start, c.Now())
	})
	t.Run("func", func(t *testing.T) {
		calls := 0
		var c sp.Clock = sp.ClockFunc(func() time.Time { calls++; return start })
		assert.Equal(t, start, c.Now())
		assert.Equal(t, 1, calls)
	})
	t.Run("system", func(t *testing.T) {
		var c sp.Clock = sp.SystemClock{}
		assert.False(t, c.Now().IsZero())
		assert.Equal(t, time.Local, c.Now().Location())
		// A time with a monotonic reading prints it ("m=+0.001"); one
		// that compares as its wall-clock time does not.
		assert.NotContains(t, c.Now().String(), "m=", "without its monotonic reading")
		assert.NotContains(t, sp.ClockFunc(nil).Now().String(), "m=")
	})
	t.Run("stepping", func(t *testing.T) {
		c := sp.NewSteppingClock(start, time.Minute)
		assert.Equal(t, start, c.Peek())
		assert.Equal(t, start, c.Now())
		assert.Equal(t, start.Add(time.Minute), c.Now())
		assert.Equal(t, start.Add(2*time.Minute), c.Peek())
		c.Advance(time.Hour)
		assert.Equal(t, start.Add(62*time.Minute), c.Now())
		c.Advance(-2 * time.Hour)
		assert.Equal(t, start.Add(-57*time.Minute), c.Now())
		c.Set(start)
		assert.Equal(t, start, c.Now())
	})
	t.Run("stepping_zero_step", func(t *testing.T) {
		c := sp.NewSteppingClock(start, 0)
		assert.Equal(t, start, c.Now())
		assert.Equal(t, start, c.Now())
	})
	t.Run("stepping_zero_value", func(t *testing.T) {
		var c sp.SteppingClock
		assert.True(t, c.Now().IsZero())
		assert.True(t, c.Now().IsZero(), "a zero step")
		c.Set(start)
		assert.Equal(t, start, c.Now())
		assert.Equal(t, start, c.Now())
	})
	// A nil ClockFunc or *SteppingClock in a Clock is no clock at all: it
	// means SystemClock, as a nil Clock does, and does not panic.
	t.Run("nil_func_is_system", func(t *testing.T) {
		var c sp.Clock = sp.ClockFunc(nil)
		var now time.Time
		require.NotPanics(t, func() { now = c.Now() })
		assert.False(t, now.IsZero())
	})
	t.Run("nil_stepping_is_system", func(t *testing.T) {
		var sc *sp.SteppingClock
		var c sp.Clock = sc
		require.NotPanics(t, func() {
			assert.False(t, c.Now().IsZero())
			assert.False(t, sc.Peek().IsZero())
			sc.Advance(time.Hour)
			sc.Set(start)
		})
	})
	t.Run("stepping_concurrent_distinct", func(t *testing.T) {
		c := sp.NewSteppingClock(start, time.Second)
		const n = 8
		const each = 100
		seen := make(chan time.Time, n*each)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					seen <- c.Now()
				}
			}()
		}
		wg.Wait()
		close(seen)
		distinct := map[time.Time]bool{}
		for tm := range seen {
			distinct[tm] = true
		}
		assert.Len(t, distinct, n*each)
		assert.Equal(t, start.Add(n*each*time.Second), c.Peek())
	})
}
