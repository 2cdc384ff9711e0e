package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// An expiring certificate's issue time, as its expiry, is given in the
// zone Options.Location gives its rep, or else in the period's.
func TestExpiringIssuedInTheRepsZone(t *testing.T) {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	auckland, err := time.LoadLocation("Pacific/Auckland")
	require.NoError(t, err)
	asOf := time.Date(2026, time.June, 10, 9, 0, 0, 0, time.UTC)
	issued := time.Date(2025, time.June, 20, 18, 0, 0, 0, time.UTC)
	expires := time.Date(2026, time.June, 20, 18, 0, 0, 0, time.UTC)
	store := trainingtest.NewMemStore()
	require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: widget,
		BriefVersion: training.MustParseVersion("1.0"), Issued: issued, Expires: expires}))
	for name, tc := range map[string]struct {
		zone            *time.Location
		issued, expires string
	}{
		"rep_zone":    {auckland, "2025-06-21T06:00:00+12:00", "2026-06-21T06:00:00+12:00"},
		"period_zone": {nil, "2025-06-21T03:00:00+09:00", "2026-06-21T03:00:00+09:00"},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf),
				Certificates: training.NewReadiness(store, store, nil),
				Location:     func(sp.RepID) *time.Location { return tc.zone }})
			require.NoError(t, err)
			rep, err := r.Review(ctx, review.Input{Period: sp.Month(2026, time.June, tokyo), AsOf: asOf, Reps: []sp.Rep{{ID: "ann", Name: "Ann"}}})
			require.NoError(t, err)
			require.Len(t, rep.Snapshot.Expiring, 1)
			assert.Equal(t, tc.issued, sp.FormatTime(rep.Snapshot.Expiring[0].Issued))
			assert.Equal(t, tc.expires, sp.FormatTime(rep.Snapshot.Expiring[0].Expires))
		})
	}
}
