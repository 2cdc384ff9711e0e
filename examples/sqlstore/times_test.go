package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// A time comes back as the documents keep it, in JSON: the same instant to
// the nanosecond, at the same UTC offset, but not in the named location
// (encoding/json keeps the offset only; a zero offset comes back in UTC),
// and without a monotonic reading; an offset with seconds loses them.
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

		// An offset of zero is written "Z", which reads back in UTC.
		london, err := time.LoadLocation("Europe/London")
		require.NoError(t, err)
		winter := deal("d3")
		winter.Created = time.Date(2026, 1, 15, 12, 0, 0, 0, london)
		require.NoError(t, s.CreateDeal(ctx, winter))
		got, err = s.GetDeal(ctx, "d3")
		require.NoError(t, err)
		assert.True(t, got.Created.Equal(winter.Created))
		assert.Same(t, time.UTC, got.Created.Location(), "a zero offset comes back in UTC")

		// RFC 3339 has no seconds in zone offsets: local mean time loses them.
		lmt := deal("d2")
		lmt.Created = time.Date(1900, 1, 1, 12, 0, 0, 0, amsterdam) // +00:19:32
		require.NoError(t, s.CreateDeal(ctx, lmt))
		got, err = s.GetDeal(ctx, "d2")
		require.NoError(t, err)
		assert.Equal(t, 32*time.Second, got.Created.Sub(lmt.Created))
	})
}

// The store indexes the instants int64 nanoseconds since 1970 reach, from
// 1677-09-21T00:12:43.145224193Z to 2262-04-11T23:47:16.854775807Z: a time
// late in 1677 is kept, one late in 2262 is refused, and the error names
// those bounds rather than saying that a time of 2262 is outside 2262.
func TestTimeBounds(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		d := deal("d1")
		d.Created = time.Date(1677, 12, 1, 0, 0, 0, 0, time.UTC)
		require.NoError(t, s.CreateDeal(ctx, d), "a time of 1677 after September 21 is kept")
		d = deal("d2")
		d.Created = time.Date(2262, 6, 1, 0, 0, 0, 0, time.UTC)
		err := s.CreateDeal(ctx, d)
		require.ErrorIs(t, err, sp.ErrInvalid, "a time of 2262 after April 11 is refused")
		assert.Contains(t, err.Error(), "outside 1677-09-21T00:12:43.145224193Z to 2262-04-11T23:47:16.854775807Z")
	})
}

// Both bounds of the span the store indexes are kept, to the nanosecond,
// and a nanosecond beyond either is refused; a period from the last one
// lists the deal created then, and a period that ends at it does not.
func TestTimeBoundsAreInclusive(t *testing.T) {
	ctx := context.Background()
	first := time.Date(1677, 9, 21, 0, 12, 43, 145224193, time.UTC)
	last := time.Date(2262, 4, 11, 23, 47, 16, 854775807, time.UTC)
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		for id, at := range map[sp.DealID]time.Time{"first": first, "last": last} {
			d := deal(id)
			d.Created = at
			require.NoError(t, s.CreateDeal(ctx, d), "%s is kept", at.Format(time.RFC3339Nano))
			got, err := s.GetDeal(ctx, id)
			require.NoError(t, err)
			assert.True(t, at.Equal(got.Created), "%s reads back as %s", at.Format(time.RFC3339Nano), got.Created.Format(time.RFC3339Nano))
		}
		for id, at := range map[sp.DealID]time.Time{"before": first.Add(-time.Nanosecond), "after": last.Add(time.Nanosecond)} {
			d := deal(id)
			d.Created = at
			require.ErrorIs(t, s.CreateDeal(ctx, d), sp.ErrInvalid, "%s is refused", at.Format(time.RFC3339Nano))
		}
		created := func(start, end time.Time) []sp.DealID {
			p, err := sp.NewPeriod(start, end)
			require.NoError(t, err)
			var ids []sp.DealID
			for d, err := range s.ListDeals(ctx, pipeline.DealFilter{Created: p}) {
				require.NoError(t, err)
				ids = append(ids, d.ID)
			}
			return ids
		}
		assert.Equal(t, []sp.DealID{"last"}, created(last, last.Add(time.Hour)), "from the last instant")
		assert.Equal(t, []sp.DealID{"first"}, created(first, last), "to the last instant, which a period leaves out")
	})
}
