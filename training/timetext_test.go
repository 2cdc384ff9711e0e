package training_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// RFC 3339 offsets have no seconds: a time in a zone whose offset has
// them (a local mean time, such as Amsterdam's +00:19:32 before 1937) is
// written in UTC in the package's texts, as package salesprocess writes
// the bounds of a period, so that the text names the instant itself.
func TestTextsWriteOffsetsWithSecondsInUTC(t *testing.T) {
	amsterdam, err := time.LoadLocation("Europe/Amsterdam")
	require.NoError(t, err)
	odd := time.FixedZone("x", 3*3600+17)
	ctx := context.Background()

	t.Run("decision", func(t *testing.T) {
		p := testPilot(training.Criteria{RequireEnded: true})
		p.Version = v("1.0")
		p.Period = salesprocess.Month(1930, time.March, amsterdam)
		at := time.Date(1930, 3, 20, 12, 0, 0, 0, amsterdam)
		d, err := training.Decide(p, nil, nil, at)
		require.NoError(t, err)
		r := d.Reasons[0]
		require.Equal(t, training.CriterionEnded, r.Criterion)
		assert.Equal(t, "1930-03-31T23:40:28Z", r.Want)
		assert.Equal(t, "1930-03-20T11:40:28Z", r.Got)
		assert.Contains(t, r.Detail, "ends at 1930-03-31T23:40:28Z")
		// A zone whose offset has no seconds keeps its own offset.
		p.Period = salesprocess.Month(2026, time.March, amsterdam)
		d, err = training.Decide(p, nil, nil, time.Date(2026, 3, 20, 12, 0, 0, 0, amsterdam))
		require.NoError(t, err)
		assert.Equal(t, "2026-04-01T00:00:00+02:00", d.Reasons[0].Want)
		assert.Equal(t, "2026-03-20T12:00:00+01:00", d.Reasons[0].Got)
	})

	t.Run("readiness", func(t *testing.T) {
		s := trainingtest.NewMemStore()
		b := testBrief("1.0")
		b.Published = time.Date(1920, 1, 1, 0, 0, 0, 0, time.UTC)
		require.NoError(t, s.AddBrief(ctx, b))
		issued := time.Date(1930, 1, 1, 9, 0, 0, 0, odd)
		require.NoError(t, s.PutCertificate(ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"),
			Issued: issued, Expires: issued.Add(30 * day)}))
		r := training.NewReadiness(s, s, nil)

		vd, err := r.Check(ctx, "r1", "p1", "phone", issued.Add(-time.Hour))
		require.NoError(t, err)
		require.Len(t, vd.Reasons, 1)
		assert.Equal(t, "issued at 1930-01-01T05:59:43Z", vd.Reasons[0].Detail)
		vd, err = r.Check(ctx, "r1", "p1", "phone", issued.Add(40*day))
		require.NoError(t, err)
		require.Len(t, vd.Reasons, 1)
		assert.Equal(t, "expired at 1930-01-31T05:59:43Z", vd.Reasons[0].Detail)
		vd, err = r.Check(ctx, "r1", "p2", "phone", issued)
		require.NoError(t, err)
		require.Len(t, vd.Reasons, 1)
		assert.Equal(t, `product "p2" has no brief in force at 1930-01-01T05:59:43Z`, vd.Reasons[0].Detail)
	})

	t.Run("certify", func(t *testing.T) {
		s := trainingtest.NewMemStore()
		cat, err := training.NewCatalog(testModules(), testCurricula())
		require.NoError(t, err)
		withdrawn := time.Date(1930, 1, 1, 9, 0, 0, 0, amsterdam)
		tr := training.NewTrainer(s, cat, &training.Options{Clock: salesprocess.FixedClock(withdrawn.Add(time.Hour))})
		b := testBrief("1.0")
		b.Published = time.Date(1920, 1, 1, 0, 0, 0, 0, time.UTC)
		require.NoError(t, tr.PublishBrief(ctx, b))
		require.NoError(t, s.PutCertificate(ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"),
			Issued: withdrawn.AddDate(0, -1, 0), Expires: withdrawn}))
		_, err = tr.Certify(ctx, "r1", "p1-all")
		require.ErrorIs(t, err, salesprocess.ErrForbidden)
		assert.True(t, strings.Contains(err.Error(), "modules not passed since 1930-01-01T08:40:28Z: p1-basics"), err.Error())
	})
}
