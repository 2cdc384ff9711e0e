package training_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// The query functions refuse a time at that no text or JSON form holds
// (see salesprocess.ValidateTime) with an error wrapping ErrInvalid that
// names "at", where they returned a result that then failed to marshal;
// the same queries at a valid time succeed.
func TestQueriesRefuseATimeNoJSONHolds(t *testing.T) {
	e := newEnv(t)
	_, err := e.trainer.StartPilot(e.ctx, testPilot(training.Criteria{MinUnitsSold: 10}))
	require.NoError(t, err)
	p, err := e.store.GetPilot(e.ctx, "f1")
	require.NoError(t, err)
	r := e.trainer.Readiness()
	queries := map[string]func(at time.Time) error{
		"Readiness.Check": func(at time.Time) error {
			_, err := r.Check(e.ctx, "ann", "p1", "phone", at)
			return err
		},
		"Readiness.Eligible": func(at time.Time) error {
			err := r.Eligible(e.ctx, "ann", "p1", "phone", at)
			if errors.Is(err, salesprocess.ErrForbidden) {
				return nil // not certified: a verdict, not an error about at
			}
			return err
		},
		"Readiness.Status": func(at time.Time) error {
			_, err := r.Status(e.ctx, "ann", "p1", at)
			return err
		},
		"Readiness.Certificate": func(at time.Time) error {
			_, err := r.Certificate(e.ctx, "ann", "p1", at)
			if errors.Is(err, salesprocess.ErrNotFound) {
				return nil // no certificate: not an error about at
			}
			return err
		},
		"Trainer.Progress": func(at time.Time) error {
			_, err := e.trainer.Progress(e.ctx, "ann", "p1-phone", at)
			return err
		},
		"Trainer.Assignments": func(at time.Time) error {
			_, err := e.trainer.Assignments(e.ctx, "ann", at)
			return err
		},
		"Trainer.Decide": func(at time.Time) error {
			_, err := e.trainer.Decide(e.ctx, "f1", at)
			return err
		},
		"Decide": func(at time.Time) error {
			_, err := training.Decide(p, nil, nil, at)
			return err
		},
	}
	bad := map[string]time.Time{
		"year_10000":        time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC),
		"year_0":            time.Date(0, time.December, 31, 0, 0, 0, 0, time.UTC),
		"year_10000_in_utc": time.Date(9999, time.December, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)),
		"offset_of_a_day":   time.Date(2026, time.March, 10, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, q(t0.Add(time.Hour)))
			for what, at := range bad {
				err := q(at)
				require.ErrorIs(t, err, salesprocess.ErrInvalid, what)
				var ve *salesprocess.ValidationError
				require.ErrorAs(t, err, &ve, what)
				assert.Equal(t, "at", ve.Field, what)
			}
			// The zero time, the year 1, is a time left unset: the
			// Trainer's queries take the clock's time for it, and the
			// others, which take every time from their arguments, refuse
			// it as missing.
			err := q(time.Time{})
			if strings.HasPrefix(name, "Trainer.") {
				require.NoError(t, err, "zero time: the clock's")
				return
			}
			require.ErrorIs(t, err, salesprocess.ErrInvalid, "zero time")
			var ve *salesprocess.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "at", ve.Field)
			assert.Equal(t, "missing", ve.Reason)
		})
	}
}

// Trainer.Decide refuses an at that ValidateTime refuses before it reads
// the store: the error for an unknown pilot at such a time wraps
// ErrInvalid and names "at", not ErrNotFound.
func TestTrainerDecideRefusesABadTimeBeforeLookingUpThePilot(t *testing.T) {
	e := newEnv(t)
	_, err := e.trainer.Decide(e.ctx, "nosuch", time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC))
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.NotErrorIs(t, err, salesprocess.ErrNotFound)
	var ve *salesprocess.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "at", ve.Field)

	_, err = e.trainer.Decide(e.ctx, "nosuch", t0)
	require.ErrorIs(t, err, salesprocess.ErrNotFound)
}

// Readiness.Expiring refuses a window whose bounds ValidateTime refuses
// with one error wrapping ErrInvalid that names "window", before it reads
// the store, and yields no certificate; the same store answers a valid
// window.
func TestExpiringRefusesAWindowNoJSONHolds(t *testing.T) {
	e := newEnv(t)
	r := e.trainer.Readiness()
	good, err := salesprocess.NewPeriod(t0, t0.Add(24*time.Hour))
	require.NoError(t, err)
	// The end is exclusive: a window up to the end of 9999 holds only
	// times ValidateTime takes.
	for _, w := range []salesprocess.Period{good, salesprocess.Year(9999, time.UTC), salesprocess.Year(1, time.UTC)} {
		for _, err := range r.Expiring(e.ctx, w) {
			require.NoError(t, err, w)
		}
	}
	mustPeriod := func(start, end time.Time) salesprocess.Period {
		p, err := salesprocess.NewPeriod(start, end)
		require.NoError(t, err)
		return p
	}
	minus2, plus2 := time.FixedZone("", -2*3600), time.FixedZone("", 2*3600)
	bad := map[string]salesprocess.Period{
		"end_in_utc_year_10000":  mustPeriod(time.Date(9999, time.December, 1, 0, 0, 0, 0, minus2), time.Date(9999, time.December, 31, 23, 0, 0, 0, minus2)),
		"start_in_utc_year_0":    mustPeriod(time.Date(1, time.January, 1, 0, 0, 0, 0, plus2), time.Date(1, time.February, 1, 0, 0, 0, 0, plus2)),
		"month_in_utc_year_0":    salesprocess.Month(1, time.January, plus2),
		"offset_of_a_day":        mustPeriod(time.Date(2026, time.March, 10, 0, 0, 0, 0, time.FixedZone("", 24*3600)), time.Date(2026, time.March, 11, 0, 0, 0, 0, time.FixedZone("", 24*3600))),
		"year_9999_in_utc_10000": salesprocess.Year(9999, minus2),
	}
	for what, window := range bad {
		n := 0
		for c, err := range r.Expiring(e.ctx, window) {
			n++
			assert.Zero(t, c, what)
			require.ErrorIs(t, err, salesprocess.ErrInvalid, what)
			var ve *salesprocess.ValidationError
			require.ErrorAs(t, err, &ve, what)
			assert.Equal(t, "window", ve.Field, what)
		}
		assert.Equal(t, 1, n, "%s: one error", what)
	}
	s := failing{readinessStore(t), "ListCertificates"}
	for _, err := range training.NewReadiness(s, s, nil).Expiring(e.ctx, bad["end_in_utc_year_10000"]) {
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
		assert.NotErrorIs(t, err, errBroken, "the store was asked")
	}
}

// A Trainer's query at the zero time is at its clock's time: an
// assignment due yesterday by the clock is overdue, as when asked at the
// clock's time, where the year 1 found it not yet due.
func TestTrainerQueryAtZeroTimeIsNow(t *testing.T) {
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	now := t0.Add(10 * 24 * time.Hour)
	tr := training.NewTrainer(trainingtest.NewMemStore(), cat, &training.Options{Clock: salesprocess.FixedClock(now)})
	ctx := context.Background()
	_, err = tr.AssignModule(ctx, training.Assignment{ID: "x1", Rep: "r1", Module: "phone", Due: now.Add(-24 * time.Hour), Assigned: t0})
	require.NoError(t, err)
	got, err := tr.Assignments(ctx, "r1", time.Time{})
	require.NoError(t, err)
	want, err := tr.Assignments(ctx, "r1", now)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, got[0].Overdue)
	assert.Equal(t, want, got)
}
