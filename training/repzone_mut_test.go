package training_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// An IncompleteError writes the time from which passes count in the rep's
// zone only if that time has an RFC 3339 form there, whatever the clock's
// time does: a certificate that lapsed at 01:01 UTC on January 1 of year
// 1 fell in year 0 at UTC−05:00, so the error writes it in UTC, though
// the clock's 08:00 UTC is 03:00 of year 1 in that zone.
func TestIncompleteSinceInItsOwnZoneOutsideTheYears(t *testing.T) {
	ctx := context.Background()
	west := time.FixedZone("west", -5*3600)
	issued := time.Date(1, 1, 1, 0, 1, 0, 0, time.UTC) // a minute after the zero time
	now := time.Date(1, 1, 1, 8, 0, 0, 0, time.UTC)
	mods := []training.Module{{ID: "phone", Title: "Selling by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
		Assessment: training.Assessment{MaxScore: 100, PassMark: 70}}}
	curs := []training.Curriculum{{ID: "c", Title: "C", Product: "p1", Modules: []training.ModuleID{"phone"}, ValidMonths: 1}}
	cat, err := training.NewCatalog(mods, curs)
	require.NoError(t, err)
	store := trainingtest.NewMemStore()
	clock := salesprocess.NewSteppingClock(issued, 0)
	tr := training.NewTrainer(store, cat, &training.Options{Clock: clock,
		Location: func(salesprocess.RepID) *time.Location { return west }})
	b := testBrief("1.0")
	b.Published = issued
	require.NoError(t, tr.PublishBrief(ctx, b))
	clock.Set(issued.Add(30 * time.Minute)) // the pass is recorded once made
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "phone", Score: 80, Time: issued.Add(30 * time.Minute)})
	require.NoError(t, err)
	require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: "r1", Product: "p1", Channel: "phone", BriefVersion: v("1.0"),
		Curriculum: "c", Issued: issued, Expires: issued.Add(time.Hour)}))

	clock.Set(now)
	_, err = tr.Certify(ctx, "r1", "c")
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	assert.EqualError(t, err, `training: rep "r1" has not completed curriculum "c": modules not passed since 0001-01-01T01:01:00Z: phone`)

	clock.Set(now.Add(time.Hour))
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "a2", Rep: "r1", Module: "phone", Score: 80, Time: now})
	require.NoError(t, err)
	c, err := tr.Certify(ctx, "r1", "c")
	require.NoError(t, err)
	assert.Equal(t, "0001-01-01T04:00:00-05:00", salesprocess.FormatTime(c.Issued), "issued in the rep's zone, where the clock's time has a form")
}
