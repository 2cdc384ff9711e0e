package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A time comes back as the documents keep it, in JSON: the same instant to
// the nanosecond, at the same UTC offset, but not in the named location
// (encoding/json keeps the offset only), and without a monotonic reading;
// an offset with seconds loses them.
func TestTimesRoundTrip(t *testing.T) {
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	amsterdam, err := time.LoadLocation("Europe/Amsterdam")
	require.NoError(t, err)
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		d := deal("d1")
		d.Created = time.Date(2026, 3, 1, 12, 0, 0, 123456789, berlin)
		d.Closed = time.Now() // with a monotonic reading
		require.NoError(t, s.CreateDeal(ctx, d))
		got, err := s.GetDeal(ctx, "d1")
		require.NoError(t, err)

		assert.True(t, got.Created.Equal(d.Created), "the same instant")
		assert.Equal(t, d.Created.UnixNano(), got.Created.UnixNano(), "to the nanosecond")
		_, wantOffset := d.Created.Zone()
		_, offset := got.Created.Zone()
		assert.Equal(t, wantOffset, offset, "at the same offset")
		assert.NotSame(t, berlin, got.Created.Location(), "not in the named location")

		assert.True(t, got.Closed.Equal(d.Closed))
		assert.Equal(t, got.Closed, got.Closed.Round(0), "without a monotonic reading")

		// RFC 3339 has no seconds in zone offsets: local mean time loses them.
		lmt := deal("d2")
		lmt.Created = time.Date(1900, 1, 1, 12, 0, 0, 0, amsterdam) // +00:19:32
		require.NoError(t, s.CreateDeal(ctx, lmt))
		got, err = s.GetDeal(ctx, "d2")
		require.NoError(t, err)
		assert.Equal(t, 32*time.Second, got.Created.Sub(lmt.Created))
	})
}
