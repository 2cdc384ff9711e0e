package quota_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/salesprocess/salesprocess/quota"
)

// Percentiles are exact, rounded half-up to the nanosecond, however the
// float64 form of the percentile or of the durations would round.
func TestSummarizePercentilesExact(t *testing.T) {
	t.Run("half_up", func(t *testing.T) {
		// Eight values 5 ns apart: P90 is at h = 7·0.9 = 6.3, 30 ns + 0.3·5 ns
		// = 31.5 ns, rounded half-up to 32.
		var ds []time.Duration
		for i := range 8 {
			ds = append(ds, time.Duration(5*i))
		}
		got := quota.Summarize(slices.Values(ds))
		assert.Equal(t, time.Duration(32), got.P90)
		assert.Equal(t, time.Duration(9), got.P25, "h = 1.75: 5 + 3.75 = 8.75, to 9")
		assert.Equal(t, time.Duration(18), got.Median, "h = 3.5: 15 + 2.5 = 17.5, to 18")
		assert.Equal(t, time.Duration(26), got.P75, "h = 5.25: 25 + 1.25 = 26.25, to 26")
	})
	t.Run("long_durations", func(t *testing.T) {
		// 0.9 · (3·10¹⁶ + 7) ns = 27 000 000 000 000 006.3 ns.
		got := quota.Summarize(slices.Values([]time.Duration{0, 3e16 + 7}))
		assert.Equal(t, time.Duration(27_000_000_000_000_006), got.P90)
		assert.Equal(t, time.Duration(15_000_000_000_000_004), got.Median, "3.5 up to 4")
	})
}
