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

// dayLater is a time and, in UTC, the same time of day a calendar day
// later in its zone, as training's Certify counts months: the first where
// clocks turn back over it, as much later as they spring forward where
// they spring forward over it; in New York and Lisbon (either side of
// UTC), and in Santiago and Beirut, where clocks change at midnight.
type dayLater struct {
	zone string
	from [5]int // year, month, day, hour, minute
	want time.Time
}

var dayLaterCases = []dayLater{
	{"America/New_York", [5]int{2026, 3, 7, 2, 30}, time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)},    // 03:30 EDT
	{"America/New_York", [5]int{2026, 10, 31, 1, 30}, time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)}, // 01:30 EDT, the first
	{"Europe/Lisbon", [5]int{2026, 3, 28, 1, 30}, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},     // 02:30 WEST
	{"Europe/Lisbon", [5]int{2026, 10, 24, 1, 30}, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},   // 01:30 WEST, the first
	{"America/Santiago", [5]int{2026, 9, 5, 0, 30}, time.Date(2026, 9, 6, 4, 30, 0, 0, time.UTC)},    // 01:30 -03
	{"America/Santiago", [5]int{2026, 4, 3, 23, 30}, time.Date(2026, 4, 5, 2, 30, 0, 0, time.UTC)},   // 23:30 -03, the first
	{"Asia/Beirut", [5]int{2026, 3, 28, 0, 30}, time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC)},      // 01:30 EEST
	{"Asia/Beirut", [5]int{2026, 10, 23, 23, 30}, time.Date(2026, 10, 24, 20, 30, 0, 0, time.UTC)},   // 23:30 EEST, the first
}

func (c dayLater) start(t *testing.T) time.Time {
	loc, err := time.LoadLocation(c.zone)
	require.NoError(t, err)
	return time.Date(c.from[0], time.Month(c.from[1]), c.from[2], c.from[3], c.from[4], 0, 0, loc)
}

// The default due date of a retraining one day on follows the rule of
// dayLater, in the period's zone, whatever zone the clock's time is in,
// and keeps the clock's fraction of a second.
func TestRetrainDueAcrossClockChanges(t *testing.T) {
	rule := review.NewRule("late", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "late",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget}}}}, nil
	})
	rules := review.DefaultRules()
	rules.Actions.RetrainDueDays = 1
	for _, c := range dayLaterCases {
		for _, ns := range []time.Duration{0, 123456789} {
			from := c.start(t).Add(ns)
			want := c.want.Add(ns)
			for _, now := range []time.Time{from, from.UTC()} {
				r, err := review.New(rules, &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule},
					Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
				require.NoError(t, err)
				rep, err := r.Review(context.Background(), review.Input{Period: sp.Month(from.Year(), from.Month(), from.Location())})
				require.NoError(t, err)
				require.Len(t, rep.Outcome.Assignments, 1)
				got := rep.Outcome.Assignments[0].Assignment.Due
				assert.Equal(t, want, got.UTC(), "due a day after %s in %s", now, c.zone)
				assert.Equal(t, now.Location(), got.Location())
			}
		}
	}
}

// The window of certificates expiring within one day ends at the time of
// dayLater, that time included: a certificate that expires then is
// expiring, one that expires a nanosecond later is not.
func TestExpiringWindowAcrossClockChanges(t *testing.T) {
	ctx := context.Background()
	rules := review.DefaultRules()
	rules.Rules.Certification = &review.Certification{ExpiringWithinDays: 1}
	for _, c := range dayLaterCases {
		asOf := c.start(t)
		store := trainingtest.NewMemStore()
		for rep, expires := range map[sp.RepID]time.Time{"at": c.want, "after": c.want.Add(time.Nanosecond)} {
			require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: rep, Product: widget,
				BriefVersion: training.MustParseVersion("1.0"), Issued: asOf.AddDate(-1, 0, 0), Expires: expires}))
		}
		certs := training.NewReadiness(store, store, nil)
		r, err := review.New(rules, &review.Options{Clock: sp.FixedClock(asOf), Certificates: certs})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: sp.Month(asOf.Year(), asOf.Month(), asOf.Location()), AsOf: asOf.UTC(),
			Reps: []sp.Rep{{ID: "at", Name: "At"}, {ID: "after", Name: "After"}}})
		require.NoError(t, err)
		var expiring []sp.RepID
		for _, cert := range rep.Snapshot.Expiring {
			expiring = append(expiring, cert.Rep)
		}
		assert.Equal(t, []sp.RepID{"at"}, expiring, "expiring within a day of %s in %s", asOf, c.zone)
	}
}
