package review_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// TestExpiringInTheRepsZones reviews, in UTC, the certificates of two reps
// whose trainer counts certificate months on their own calendars: kiri in
// Auckland, whose certificate expires at 09:00 on April 1 there (20:00 on
// March 31 in UTC), and lou in Los Angeles, whose expires at 20:00 on
// April 1 there (03:00 on April 2 in UTC). The window, an interval of
// instants from the as-of time, lists what training's Status says is
// valid then and expires within it, whatever the reps' zones. With the
// trainer's Location as the review's, the report writes each expiry on the
// date and at the time of the rep's calendar, as Certify issued it;
// without, in the period's zone; either way the finding, its evidence, the
// table of certificates and the action's text write the same one, where
// the finding and its evidence wrote the period's date and the table and
// the action the store's.
func TestExpiringInTheRepsZones(t *testing.T) {
	ctx := context.Background()
	auckland, err := time.LoadLocation("Pacific/Auckland")
	require.NoError(t, err)
	la, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	zones := map[sp.RepID]*time.Location{"kiri": auckland, "lou": la}
	trainerZones := func(rep sp.RepID) *time.Location { return zones[rep] }

	store := trainingtest.NewMemStore()
	clock := sp.NewSteppingClock(time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC), 0)
	cat := kitCatalog(t, kitBasicsModule(kitBasics, "1.0"))
	trainer := training.NewTrainer(store, cat, &training.Options{Clock: clock, Location: trainerZones})
	require.NoError(t, trainer.PublishBrief(ctx, training.Brief{Product: kit, Version: training.MustParseVersion("1.0"),
		Published: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC), KeyMessages: []string{"it works"}}))
	n := 0
	certify := func(rep sp.RepID, at time.Time) training.Certificate {
		t.Helper()
		clock.Set(at)
		for _, m := range []training.ModuleID{kitBasics, kitPhone} {
			n++
			_, err := trainer.RecordAttempt(ctx, training.Attempt{ID: training.AttemptID(rune('a' + n)), Rep: rep, Module: m, Score: 9})
			require.NoError(t, err)
		}
		c, err := trainer.Certify(ctx, rep, kitAll)
		require.NoError(t, err)
		return c
	}
	kiri := certify("kiri", time.Date(2025, time.April, 1, 9, 0, 0, 0, auckland))
	lou := certify("lou", time.Date(2025, time.April, 1, 20, 0, 0, 0, la))
	// What training says: twelve months on each rep's calendar.
	require.Equal(t, "2026-04-01T09:00:00+13:00", sp.FormatTime(kiri.Expires))
	require.Equal(t, "2026-04-01T20:00:00-07:00", sp.FormatTime(lou.Expires))
	require.Equal(t, "2026-03-31T20:00:00Z", sp.FormatTime(kiri.Expires.UTC()))
	require.Equal(t, "2026-04-02T03:00:00Z", sp.FormatTime(lou.Expires.UTC()))

	march := sp.Month(2026, time.March, time.UTC)
	for _, tc := range []struct {
		name string
		asOf time.Time
		want []sp.RepID // listed, by expiry
	}{
		// 30 days from March 3, 09:00 UTC run to April 2, 09:00 UTC.
		{"both_within", time.Date(2026, time.March, 3, 9, 0, 0, 0, time.UTC), []sp.RepID{"kiri", "lou"}},
		// To April 1, 20:00 UTC: kiri's at its last instant, not lou's.
		{"kiri_at_the_window_end", kiri.Expires.UTC().AddDate(0, 0, -30), []sp.RepID{"kiri"}},
		// Until 03:00 on April 2 in UTC lou's has not expired, whatever
		// the date on the review's calendar.
		{"lou_still_valid", time.Date(2026, time.March, 31, 21, 0, 0, 0, time.UTC), []sp.RepID{"lou"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, reps := range []bool{true, false} {
				name, zone := "in_the_reps_zones", func(rep sp.RepID) *time.Location { return zones[rep] }
				if !reps {
					name, zone = "in_the_periods_zone", func(sp.RepID) *time.Location { return time.UTC }
				}
				t.Run(name, func(t *testing.T) {
					// Time enough to retrain that each action is due by the
					// certificate's expiry.
					rules := review.DefaultRules()
					rules.Actions.RetrainDueDays = 60
					opts := &review.Options{Clock: sp.FixedClock(tc.asOf), Certificates: trainer.Readiness(), Modules: review.CatalogModules(cat)}
					if reps {
						opts.Location = trainerZones
					}
					r, err := review.New(rules, opts)
					require.NoError(t, err)
					rep, err := r.Review(ctx, review.Input{Period: march, AsOf: tc.asOf,
						Reps: []sp.Rep{{ID: "kiri", Name: "Kiri"}, {ID: "lou", Name: "Lou"}}})
					require.NoError(t, err)

					var listed []sp.RepID
					for _, c := range rep.Snapshot.Expiring {
						listed = append(listed, c.Rep)
						// As training says: valid at the as-of time, expired at its
						// expiry, within 30 days of the as-of time.
						assert.Equal(t, training.CertValid, c.Status(c.BriefVersion, tc.asOf), "rep %s", c.Rep)
						assert.Equal(t, training.CertExpired, c.Status(c.BriefVersion, c.Expires), "rep %s", c.Rep)
						assert.False(t, c.Expires.After(tc.asOf.AddDate(0, 0, 30)), "rep %s", c.Rep)
					}
					assert.Equal(t, tc.want, listed)

					var md bytes.Buffer
					require.NoError(t, rep.Markdown(&md))
					for _, c := range []training.Certificate{kiri, lou} {
						expires := c.Expires.In(zone(c.Rep))
						date, at := expires.Format(time.DateOnly), sp.FormatTime(expires)
						var f *review.Finding
						for i := range rep.Findings {
							if rep.Findings[i].Rule == review.RuleCertification && rep.Findings[i].Subject.Rep == c.Rep {
								f = &rep.Findings[i]
							}
						}
						if !assert.Equal(t, tc.want != nil && contains(tc.want, c.Rep), f != nil, "finding for rep %s", c.Rep) || f == nil {
							continue
						}
						assert.Contains(t, f.Summary, "expires on "+date, "rep %s: the date on the rep's calendar", c.Rep)
						assert.Contains(t, f.Evidence, review.Evidence{Name: "expires", Value: at}, "rep %s", c.Rep)
						require.Len(t, f.Actions, 1)
						assert.True(t, f.Actions[0].Due.Equal(c.Expires), "rep %s: due by the expiry", c.Rep)
						for _, want := range []string{
							"(every channel) expires on " + date,                // the finding
							"- expires: " + at,                                  // its evidence
							"| " + at + " |",                                    // the table, and the assignment's due
							"on product kit: module kit-basics by " + at + " (", // the action
						} {
							assert.True(t, strings.Contains(md.String(), want), "rep %s: the report lacks %q", c.Rep, want)
						}
					}
					wrong := []string{"expires on 2026-03-31", "expires on 2026-04-02", "2026-03-31T20:00:00Z", "2026-04-02T03:00:00Z"}
					if !reps {
						wrong = []string{"expires on 2026-04-01", "+13:00", "-07:00"}
					}
					for _, w := range wrong {
						assert.False(t, strings.Contains(md.String(), w), "the report has %q", w)
					}
				})
			}
		})
	}
}

func contains(reps []sp.RepID, rep sp.RepID) bool {
	for _, r := range reps {
		if r == rep {
			return true
		}
	}
	return false
}

// A zone from Options.Location in which an expiring certificate's time has
// no RFC 3339 form fails the review, naming options.location; a nil zone
// for a rep leaves the period's.
func TestExpiringLocationZones(t *testing.T) {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	asOf := time.Date(2026, time.June, 10, 9, 0, 0, 0, time.UTC)
	expires := time.Date(2026, time.June, 20, 18, 0, 0, 0, time.UTC) // June 21, 03:00 in Tokyo
	store := trainingtest.NewMemStore()
	require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: widget,
		BriefVersion: training.MustParseVersion("1.0"), Issued: asOf.AddDate(-1, 0, 0), Expires: expires}))
	review1 := func(zone *time.Location) (review.Report, error) {
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf),
			Certificates: training.NewReadiness(store, store, nil),
			Location:     func(sp.RepID) *time.Location { return zone }})
		require.NoError(t, err)
		return r.Review(ctx, review.Input{Period: sp.Month(2026, time.June, tokyo), AsOf: asOf, Reps: []sp.Rep{{ID: "ann", Name: "Ann"}}})
	}

	_, err = review1(time.FixedZone("far", 25*3600))
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "options.location", ve.Field)
	assert.Contains(t, err.Error(), `expiring certificates: rep "ann": `)

	rep, err := review1(nil)
	require.NoError(t, err)
	require.Len(t, rep.Snapshot.Expiring, 1)
	assert.Equal(t, "2026-06-21T03:00:00+09:00", sp.FormatTime(rep.Snapshot.Expiring[0].Expires), "the period's zone")
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok)
	assert.Contains(t, f.Summary, "expires on 2026-06-21")
}
