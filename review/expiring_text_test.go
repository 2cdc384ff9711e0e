package review_test

import (
	"context"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The evidence of an expiring certificate writes its expiry as
// sp.FormatTime does: in the period's zone, without Options.Location, but
// in UTC where that zone's offset has seconds (Amsterdam's summer time,
// +01:19:32, until 1937), which RFC 3339 cannot write, and with the
// fraction of a second it has.
func TestExpiringEvidenceTime(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	require.NoError(t, err)
	ctx := context.Background()
	for _, c := range []struct {
		asOf, expires time.Time
		want          string
	}{
		{time.Date(1930, 6, 10, 9, 0, 0, 0, ams), time.Date(1930, 6, 20, 9, 0, 0, 0, ams), "1930-06-20T07:40:28Z"},
		{time.Date(2026, 6, 10, 9, 0, 0, 0, ams), time.Date(2026, 6, 20, 9, 0, 0, 250e6, ams), "2026-06-20T09:00:00.25+02:00"},
	} {
		store := trainingtest.NewMemStore()
		require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: widget,
			BriefVersion: training.MustParseVersion("1.0"), Issued: c.asOf.AddDate(-1, 0, 0), Expires: c.expires}))
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(c.asOf),
			Certificates: training.NewReadiness(store, store, nil)})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: sp.Month(c.asOf.Year(), c.asOf.Month(), ams), AsOf: c.asOf,
			Reps: []sp.Rep{{ID: "ann", Name: "Ann"}}})
		require.NoError(t, err)
		var got []string
		for _, f := range rep.Findings {
			for _, e := range f.Evidence {
				if f.Rule == review.RuleCertification && e.Name == "expires" {
					got = append(got, e.Value)
				}
			}
		}
		assert.Equal(t, []string{c.want}, got, "expiry %s", c.expires)
		assert.Equal(t, c.want, sp.FormatTime(c.expires.In(ams)))
	}
}
