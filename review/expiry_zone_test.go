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
)

// The date a certificate expires on is the date in the period's time
// zone, not in whatever zone the certificate store gives its time in: a
// certificate expiring at midnight in Tokyo, stored in UTC, expires on
// that day, not the day before.
func TestExpiryDateInPeriodZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	period := sp.Month(2026, time.November, tokyo)
	asOf := time.Date(2026, time.December, 1, 9, 0, 0, 0, tokyo)
	expires := time.Date(2026, time.December, 15, 0, 0, 0, 0, tokyo).UTC()
	certs := failingCerts{expiring: []training.Certificate{{Rep: "ann", Product: widget,
		BriefVersion: training.MustParseVersion("1.0"), Issued: expires.AddDate(-1, 0, 0), Expires: expires}}}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf), Certificates: certs})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: period, AsOf: asOf, Reps: []sp.Rep{{ID: "ann", Name: "Ann"}}})
	require.NoError(t, err)
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok)
	assert.Contains(t, f.Summary, "expires on 2026-12-15")
}
