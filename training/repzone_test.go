package training_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

func loadZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// zoneEnv is a trainer on a one-module curriculum for "p1" of months
// valid months, whose clock reads now, with Options.Location zones (nil
// for none), and rep "r1" passed the module an hour before now.
type zoneEnv struct {
	store   *trainingtest.MemStore
	clock   *salesprocess.SteppingClock
	trainer *training.Trainer
	ctx     context.Context
}

func newZoneEnv(t *testing.T, now time.Time, months int, zones func(salesprocess.RepID) *time.Location) *zoneEnv {
	t.Helper()
	mods := []training.Module{{ID: "phone", Title: "Selling by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
		Assessment: training.Assessment{MaxScore: 100, PassMark: 70}}}
	curs := []training.Curriculum{{ID: "c", Title: "C", Product: "p1", Modules: []training.ModuleID{"phone"}, ValidMonths: months}}
	cat, err := training.NewCatalog(mods, curs)
	require.NoError(t, err)
	e := &zoneEnv{store: trainingtest.NewMemStore(), clock: salesprocess.NewSteppingClock(now, 0), ctx: context.Background()}
	e.trainer = training.NewTrainer(e.store, cat, &training.Options{Clock: e.clock, Location: zones})
	b := testBrief("1.0")
	b.Published = now.AddDate(-1, 0, 0)
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b))
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "phone", Score: 80, Time: now.Add(-time.Hour)})
	require.NoError(t, err)
	return e
}

// With Options.Location, Certify counts a certificate's months on the
// calendar of the rep's zone, at the rep's time of day, and gives Issued
// and Expires in that zone; without it (unset, or a nil zone for the rep)
// it counts them in the clock's zone.
func TestCertifyCountsMonthsInTheRepsZone(t *testing.T) {
	tokyo := loadZone(t, "Asia/Tokyo")
	losAngeles := loadZone(t, "America/Los_Angeles")
	berlin := loadZone(t, "Europe/Berlin")
	newYork := loadZone(t, "America/New_York")
	auckland := loadZone(t, "Pacific/Auckland")
	for _, tc := range []struct {
		name   string
		zone   *time.Location // the rep's, nil for none
		now    time.Time      // the clock's time
		months int
		want   time.Time // Expires with the rep's zone
		unset  time.Time // Expires without Options.Location
	}{
		// Midnight on January 31 in Tokyo, 15:00 on January 30 in UTC:
		// one month in Tokyo runs to midnight on February 28 there; in
		// UTC to 15:00 on February 28, midnight on March 1 in Tokyo.
		{"east_midnight_tokyo", tokyo, time.Date(2027, 1, 30, 15, 0, 0, 0, time.UTC), 1,
			time.Date(2027, 2, 28, 0, 0, 0, 0, tokyo), time.Date(2027, 2, 28, 15, 0, 0, 0, time.UTC)},
		// 23:30 on February 28 in Los Angeles, 07:30 on March 1 in UTC: a
		// month in Los Angeles runs to 23:30 on March 28 there (clocks
		// sprang forward on March 14, so 06:30 UTC); in UTC to 07:30 on
		// April 1.
		{"west_before_midnight_los_angeles", losAngeles, time.Date(2027, 3, 1, 7, 30, 0, 0, time.UTC), 1,
			time.Date(2027, 3, 28, 23, 30, 0, 0, losAngeles), time.Date(2027, 4, 1, 7, 30, 0, 0, time.UTC)},
		// 09:00 in Berlin on March 1, 2026 (+01:00) to 09:00 on April 1
		// (+02:00 since March 29), an hour earlier in UTC than a month of
		// UTC's clock.
		{"dst_berlin", berlin, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), 1,
			time.Date(2026, 4, 1, 9, 0, 0, 0, berlin), time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)},
		// 02:30 on February 8 in New York: on March 8, 2026 clocks spring
		// forward over 02:30, so the certificate runs to 03:30.
		{"dst_gap_new_york", newYork, time.Date(2026, 2, 8, 7, 30, 0, 0, time.UTC), 1,
			time.Date(2026, 3, 8, 3, 30, 0, 0, newYork), time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)},
		// The rep of the Certify doc: 09:00 on March 1 in Auckland.
		{"auckland", auckland, time.Date(2027, 2, 28, 20, 0, 0, 0, time.UTC), 1,
			time.Date(2027, 4, 1, 9, 0, 0, 0, auckland), time.Date(2027, 3, 28, 20, 0, 0, 0, time.UTC)},
		// A zone in UTC's place gives UTC's months, but a clock in
		// Tokyo's zone counts in Tokyo without one.
		{"utc_rep_tokyo_clock", time.UTC, time.Date(2027, 1, 31, 0, 0, 0, 0, tokyo), 1,
			time.Date(2027, 2, 28, 15, 0, 0, 0, time.UTC), time.Date(2027, 2, 28, 0, 0, 0, 0, tokyo)},
		{"no_zone_for_the_rep", nil, time.Date(2027, 1, 30, 15, 0, 0, 0, time.UTC), 1,
			time.Date(2027, 2, 28, 15, 0, 0, 0, time.UTC), time.Date(2027, 2, 28, 15, 0, 0, 0, time.UTC)},
		{"twelve_months_los_angeles", losAngeles, time.Date(2028, 3, 1, 7, 30, 0, 0, time.UTC), 12,
			time.Date(2029, 2, 28, 23, 30, 0, 0, losAngeles), time.Date(2029, 3, 1, 7, 30, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []salesprocess.RepID
			zones := func(r salesprocess.RepID) *time.Location {
				asked = append(asked, r)
				return tc.zone
			}
			e := newZoneEnv(t, tc.now, tc.months, zones)
			c, err := e.trainer.Certify(e.ctx, "r1", "c")
			require.NoError(t, err)
			assert.Equal(t, []salesprocess.RepID{"r1"}, asked)
			assert.True(t, c.Issued.Equal(tc.now), "issued %v", c.Issued)
			assert.Equal(t, tc.want, c.Expires, "expires %v", c.Expires)
			if tc.zone != nil {
				assert.Equal(t, tc.zone, c.Issued.Location())
				assert.Equal(t, tc.zone, c.Expires.Location())
			} else {
				assert.Equal(t, tc.now, c.Issued, "the clock's time as it is")
			}
			stored, err := e.trainer.Readiness().Certificate(e.ctx, "r1", "p1", tc.now)
			require.NoError(t, err)
			assert.Equal(t, c, stored)

			u := newZoneEnv(t, tc.now, tc.months, nil)
			c, err = u.trainer.Certify(u.ctx, "r1", "c")
			require.NoError(t, err)
			assert.Equal(t, tc.now, c.Issued)
			assert.Equal(t, tc.unset, c.Expires, "unset: expires %v", c.Expires)
		})
	}
}

// Readiness, and so the eligibility check package pipeline asks, judges
// a certificate counted in the rep's zone by its instants: ready up to the
// last instant before the rep's expiry, not at it. Its reasons write their
// times in the rep's zone, whatever zone the store gives them back in;
// without Options.Location they write them as stored.
func TestReadinessInTheRepsZone(t *testing.T) {
	losAngeles := loadZone(t, "America/Los_Angeles")
	now := time.Date(2027, 3, 1, 7, 30, 0, 0, time.UTC) // 23:30 on February 28 in Los Angeles
	zones := func(r salesprocess.RepID) *time.Location {
		if r == "r1" {
			return losAngeles
		}
		return nil
	}
	e := newZoneEnv(t, now, 1, zones)
	c, err := e.trainer.Certify(e.ctx, "r1", "c")
	require.NoError(t, err)
	end := time.Date(2027, 3, 29, 6, 30, 0, 0, time.UTC) // 23:30 on March 28 in Los Angeles
	require.True(t, c.Expires.Equal(end), "expires %v", c.Expires)

	r := e.trainer.Readiness()
	assert.NoError(t, r.Eligible(e.ctx, "r1", "p1", "phone", end.Add(-time.Nanosecond)))
	err = r.Eligible(e.ctx, "r1", "p1", "phone", end)
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.EqualError(t, err, `training: rep "r1" not ready for product "p1" on channel "phone": expired (expired at 2027-03-28T23:30:00-07:00)`)

	// A store that gives the times back in UTC: the reasons are in the
	// rep's zone all the same, and, without Options.Location, in UTC.
	utc := c
	utc.Issued, utc.Expires = c.Issued.UTC(), c.Expires.UTC()
	require.NoError(t, e.store.PutCertificate(e.ctx, utc))
	withZone := training.NewReadiness(e.store, e.store, &training.Options{Location: zones})
	without := training.NewReadiness(e.store, e.store, nil)
	for _, tc := range []struct {
		name   string
		r      *training.Readiness
		at     time.Time
		code   training.ReasonCode
		detail string
	}{
		{"expired", withZone, end, training.ReasonExpired, "expired at 2027-03-28T23:30:00-07:00"},
		{"expired_unset", without, end, training.ReasonExpired, "expired at 2027-03-29T06:30:00Z"},
		{"not_yet_valid", withZone, now.Add(-time.Minute), training.ReasonNotYetValid, "issued at 2027-02-28T23:30:00-08:00"},
		{"not_yet_valid_unset", without, now.Add(-time.Minute), training.ReasonNotYetValid, "issued at 2027-03-01T07:30:00Z"},
		{"no_brief", withZone, now.AddDate(-2, 0, 0), training.ReasonNoBrief, `product "p1" has no brief in force at 2025-02-28T23:30:00-08:00`},
		{"no_brief_unset", without, now.AddDate(-2, 0, 0), training.ReasonNoBrief, `product "p1" has no brief in force at 2025-03-01T07:30:00Z`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tc.r.Check(e.ctx, "r1", "p1", "phone", tc.at)
			require.NoError(t, err)
			assert.False(t, v.Ready)
			assert.Equal(t, []training.Reason{{Code: tc.code, Detail: tc.detail}}, v.Reasons)
			assert.Equal(t, tc.at, v.At, "the time asked about, as given")
		})
	}

	// Another rep, for whom Location gives no zone, reads as stored.
	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r2", Product: "p1", BriefVersion: v("1.0"), Issued: utc.Issued, Expires: utc.Expires}))
	v, err := withZone.Check(e.ctx, "r2", "p1", "phone", end)
	require.NoError(t, err)
	assert.Equal(t, []training.Reason{{Code: training.ReasonExpired, Detail: "expired at 2027-03-29T06:30:00Z"}}, v.Reasons)
}

// Onboard's reasons and Certify's IncompleteError write their times in
// the rep's zone too.
func TestOnboardAndCertifyErrorsInTheRepsZone(t *testing.T) {
	tokyo := loadZone(t, "Asia/Tokyo")
	now := time.Date(2027, 1, 30, 15, 0, 0, 0, time.UTC) // midnight on January 31 in Tokyo
	zones := func(salesprocess.RepID) *time.Location { return tokyo }
	e := newZoneEnv(t, now, 1, zones)
	c, err := e.trainer.Certify(e.ctx, "r1", "c")
	require.NoError(t, err)
	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: c.Rep, Product: c.Product, Channel: c.Channel,
		BriefVersion: c.BriefVersion, Curriculum: c.Curriculum, Issued: c.Issued.UTC(), Expires: c.Expires.UTC()}))

	goal, err := salesprocess.ParseMoney("1000.00 JPY")
	require.NoError(t, err)
	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "kanto", Start: time.Date(2027, 3, 1, 0, 0, 0, 0, tokyo), MonthlyGoal: goal})
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.EqualError(t, err, `training: rep "r1" not ready: expired (certificate for product "p1" expired at 2027-02-28T00:00:00+09:00)`)
	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "kanto", Start: now.Add(-time.Second), MonthlyGoal: goal})
	assert.EqualError(t, err, `training: rep "r1" not ready: not_yet_valid (certificate for product "p1" not yet valid: issued at 2027-01-31T00:00:00+09:00)`)

	e.clock.Set(time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC))
	_, err = e.trainer.Certify(e.ctx, "r1", "c")
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	assert.EqualError(t, err, `training: rep "r1" has not completed curriculum "c": modules not passed since 2027-02-28T00:00:00+09:00: phone`)

	u := training.NewTrainer(e.store, e.trainer.Catalog(), &training.Options{Clock: e.clock})
	_, err = u.Certify(e.ctx, "r1", "c")
	assert.EqualError(t, err, `training: rep "r1" has not completed curriculum "c": modules not passed since 2027-02-27T15:00:00Z: phone`)
}

// A zone in which the clock's time has no RFC 3339 form makes Certify
// fail with an error naming options.location, storing nothing; Readiness
// then writes its times in their own zone. Location is not asked about an
// invalid rep, nor by Certify for a rep who has not passed.
func TestRepZoneRefused(t *testing.T) {
	now := time.Date(2027, 1, 30, 15, 0, 0, 0, time.UTC)
	far := time.FixedZone("far", 25*3600)
	var calls atomic.Int32
	zones := func(r salesprocess.RepID) *time.Location {
		calls.Add(1)
		return far
	}
	e := newZoneEnv(t, now, 1, zones)
	_, err := e.trainer.Certify(e.ctx, "", "c")
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	_, err = e.trainer.Certify(e.ctx, "r9", "c")
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	assert.Zero(t, calls.Load(), "asked about a rep with nothing to date")

	_, err = e.trainer.Certify(e.ctx, "r1", "c")
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	var ve *salesprocess.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "options.location", ve.Field)
	assert.EqualError(t, err, `training: certify: zone "far" of rep "r1": invalid options.location: time 2027-01-30T15:00:00Z has a UTC offset of +25:00:00, a day or more`)
	_, err = e.trainer.Readiness().Certificate(e.ctx, "r1", "p1", now)
	assert.ErrorIs(t, err, salesprocess.ErrNotFound, "nothing stored")

	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"), Issued: now, Expires: now.Add(29 * 24 * time.Hour)}))
	v, err := e.trainer.Readiness().Check(e.ctx, "r1", "p1", "phone", now.AddDate(0, 2, 0))
	require.NoError(t, err)
	assert.Equal(t, []training.Reason{{Code: training.ReasonExpired, Detail: "expired at 2027-02-28T15:00:00Z"}}, v.Reasons)
}
