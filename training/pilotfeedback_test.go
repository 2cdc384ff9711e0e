package training_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// pilotFeedbackTrainer returns a trainer on a counting store holding pilot
// f1 of p1 (see testPilot) and no feedback.
func pilotFeedbackTrainer(t *testing.T, p training.Pilot) (*countingStore, *training.Trainer) {
	t.Helper()
	s := &countingStore{MemStore: trainingtest.NewMemStore()}
	tr := training.NewTrainer(s, nil, nil)
	_, err := tr.StartPilot(context.Background(), p)
	require.NoError(t, err)
	s.writes.Store(0)
	return s, tr
}

// storedFeedback lists the feedback the store holds about product.
func storedFeedback(t *testing.T, s training.FeedbackStore, product salesprocess.ProductID) []salesprocess.Feedback {
	t.Helper()
	var out []salesprocess.Feedback
	for f, err := range s.ListFeedback(context.Background(), product) {
		require.NoError(t, err)
		out = append(out, f)
	}
	return out
}

// counted returns how many pieces of feedback Decide counts for p at at.
func counted(t *testing.T, p training.Pilot, fb []salesprocess.Feedback, at time.Time) int64 {
	t.Helper()
	d, err := training.Decide(p, nil, fb, at)
	require.NoError(t, err)
	return d.Figures.Feedback
}

// TestRecordPilotFeedbackRefusals: each rule refuses feedback that
// RecordFeedback would store and no decision of the pilot would count,
// with the field and what the pilot has, and nothing is written.
func TestRecordPilotFeedbackRefusals(t *testing.T) {
	ctx := context.Background()
	pilot := testPilot(training.Criteria{})
	good := ratings("Shelbyville:5")[0]
	good.Source = ""
	for _, tc := range []struct {
		name  string
		edit  func(*salesprocess.Feedback)
		field string
		msg   string
	}{
		{"err_customer_source", func(f *salesprocess.Feedback) { f.Source = salesprocess.FromCustomer }, "feedback.source",
			`training: record pilot feedback: invalid feedback.source: "customer" is not "field_test": pilot "f1" counts field-test feedback only`},
		{"err_rep_source", func(f *salesprocess.Feedback) { f.Source = salesprocess.FromRep }, "feedback.source",
			`training: record pilot feedback: invalid feedback.source: "rep" is not "field_test": pilot "f1" counts field-test feedback only`},
		{"err_other_product", func(f *salesprocess.Feedback) { f.Product = "p2" }, "feedback.product",
			`training: record pilot feedback: invalid feedback.product: "p2" is not the product of pilot "f1" (its product: "p1")`},
		{"err_misspelt_locality", func(f *salesprocess.Feedback) { f.Locality = "shelbyville" }, "feedback.locality",
			`training: record pilot feedback: invalid feedback.locality: "shelbyville" is not a locality of pilot "f1" (its localities: "Springfield", "Shelbyville")`},
		{"err_spaced_locality", func(f *salesprocess.Feedback) { f.Locality = "Shelbyville " }, "feedback.locality",
			`training: record pilot feedback: invalid feedback.locality: "Shelbyville " is not a locality of pilot "f1" (its localities: "Springfield", "Shelbyville")`},
		{"err_other_locality", func(f *salesprocess.Feedback) { f.Locality = "Capital City" }, "feedback.locality",
			`training: record pilot feedback: invalid feedback.locality: "Capital City" is not a locality of pilot "f1" (its localities: "Springfield", "Shelbyville")`},
		{"err_before_period", func(f *salesprocess.Feedback) { f.Time = march.Start().Add(-time.Nanosecond) }, "feedback.time",
			`training: record pilot feedback: invalid feedback.time: 2026-02-28T23:59:59.999999999Z is before pilot "f1" started at 2026-03-01T00:00:00Z (its period: 2026-03)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, tr := pilotFeedbackTrainer(t, pilot)
			f := good
			tc.edit(&f)
			err := tr.RecordPilotFeedback(ctx, "f1", f)
			require.Error(t, err)
			assert.ErrorIs(t, err, salesprocess.ErrInvalid)
			var ve *salesprocess.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.EqualError(t, err, tc.msg)
			assert.Zero(t, s.writes.Load(), "a refused feedback was written")
			assert.Empty(t, storedFeedback(t, s, "p1"))
			assert.Empty(t, storedFeedback(t, s, "p2"))

			// What it refuses, RecordFeedback stores (with the source
			// filled as RecordPilotFeedback fills it) and no decision of
			// the pilot counts, however late.
			if f.Source == "" {
				f.Source = salesprocess.FromFieldTest
			}
			require.NoError(t, tr.RecordFeedback(ctx, f))
			assert.Zero(t, counted(t, pilot, []salesprocess.Feedback{f}, march.End().AddDate(1, 0, 0)))
		})
	}

	t.Run("err_unknown_pilot", func(t *testing.T) {
		s, tr := pilotFeedbackTrainer(t, pilot)
		err := tr.RecordPilotFeedback(ctx, "f9", good)
		require.ErrorIs(t, err, salesprocess.ErrNotFound)
		assert.Contains(t, err.Error(), `training: record pilot feedback: pilot "f9": `)
		assert.Zero(t, s.writes.Load())
		assert.Empty(t, storedFeedback(t, s, "p1"))
	})

	t.Run("err_invalid_pilot_id", func(t *testing.T) {
		s, tr := pilotFeedbackTrainer(t, pilot)
		err := tr.RecordPilotFeedback(ctx, "", good)
		var ve *salesprocess.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "pilot", ve.Field)
		assert.Zero(t, s.writes.Load())
	})

	t.Run("err_invalid_feedback", func(t *testing.T) {
		s, tr := pilotFeedbackTrainer(t, pilot)
		f := good
		f.Rating = 6
		err := tr.RecordPilotFeedback(ctx, "f1", f)
		var ve *salesprocess.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "feedback.rating", ve.Field)
		assert.Zero(t, s.writes.Load())
	})

	t.Run("err_duplicate_id", func(t *testing.T) {
		s, tr := pilotFeedbackTrainer(t, pilot)
		require.NoError(t, tr.RecordPilotFeedback(ctx, "f1", good))
		again := good
		again.Rating = 1 // another piece under the same ID
		err := tr.RecordPilotFeedback(ctx, "f1", again)
		require.ErrorIs(t, err, salesprocess.ErrDuplicate)
		assert.Contains(t, err.Error(), "training: record pilot feedback: ")
		fb := storedFeedback(t, s, "p1")
		require.Len(t, fb, 1)
		assert.Equal(t, 5, fb[0].Rating, "the first piece stands")
	})

	t.Run("err_nil_context", func(t *testing.T) {
		s, tr := pilotFeedbackTrainer(t, pilot)
		var nilCtx context.Context
		err := tr.RecordPilotFeedback(nilCtx, "f1", good)
		assert.EqualError(t, err, "training: record pilot feedback: invalid ctx: nil context")
		assert.ErrorIs(t, err, salesprocess.ErrInvalid)
		assert.Zero(t, s.writes.Load())
	})

	t.Run("err_nil_trainer", func(t *testing.T) {
		var tr *training.Trainer
		var err error
		require.NotPanics(t, func() { err = tr.RecordPilotFeedback(ctx, "f1", good) })
		var ve *salesprocess.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "store", ve.Field)
	})
}

// TestRecordPilotFeedbackCountedByDecide: feedback accepted is stored with
// the source filled and counts in the pilot's decision, in its locality.
func TestRecordPilotFeedbackCountedByDecide(t *testing.T) {
	ctx := context.Background()
	s, tr := pilotFeedbackTrainer(t, testPilot(training.Criteria{MinFeedback: 1}))
	f := ratings("Shelbyville:4")[0]
	f.Source = ""
	f.Time = t0.Add(day)

	d, err := tr.Decide(ctx, "f1", march.End())
	require.NoError(t, err)
	require.False(t, d.Launch, "no feedback yet")

	require.NoError(t, tr.RecordPilotFeedback(ctx, "f1", f))
	assert.Equal(t, int64(1), s.writes.Load())
	fb := storedFeedback(t, s, "p1")
	require.Len(t, fb, 1)
	assert.Equal(t, salesprocess.FromFieldTest, fb[0].Source, "an empty source is stored as the field test's")
	want := f
	want.Source = salesprocess.FromFieldTest
	assert.Equal(t, want, fb[0])

	d, err = tr.Decide(ctx, "f1", march.End())
	require.NoError(t, err)
	assert.True(t, d.Launch)
	assert.Equal(t, int64(1), d.Figures.Feedback)
	assert.Equal(t, []training.LocalityFigures{
		{Locality: "Springfield"},
		{Locality: "Shelbyville", Feedback: 1, Rating: salesprocess.Fraction{Num: 4, Den: 1}},
	}, d.Figures.Localities)

	// A source given as the field test's is accepted as is.
	g := ratings("x:1", "Springfield:2")[1]
	require.NoError(t, tr.RecordPilotFeedback(ctx, "f1", g))
	d, err = tr.Decide(ctx, "f1", march.End())
	require.NoError(t, err)
	assert.Equal(t, int64(2), d.Figures.Feedback)
}

// TestRecordPilotFeedbackLocalities: a pilot of several localities takes
// feedback from each, byte for byte; the error lists its localities, the
// first ten of a longer list and how many more.
func TestRecordPilotFeedbackLocalities(t *testing.T) {
	ctx := context.Background()
	p := testPilot(training.Criteria{})
	p.Localities = []string{"Osaka", "Kyoto", "Kobe", "Nara"}
	s, tr := pilotFeedbackTrainer(t, p)
	for i, l := range p.Localities {
		f := ratings(l + ":" + fmt.Sprint(i+1))[0]
		f.ID = salesprocess.FeedbackID("fb-" + l)
		require.NoError(t, tr.RecordPilotFeedback(ctx, "f1", f), l)
	}
	bad := ratings("osaka:5")[0]
	err := tr.RecordPilotFeedback(ctx, "f1", bad)
	assert.EqualError(t, err, `training: record pilot feedback: invalid feedback.locality: "osaka" is not a locality of pilot "f1" (its localities: "Osaka", "Kyoto", "Kobe", "Nara")`)
	assert.Equal(t, int64(4), s.writes.Load())

	d, err := tr.Decide(ctx, "f1", march.End())
	require.NoError(t, err)
	assert.Equal(t, int64(4), d.Figures.Feedback)
	for i, lf := range d.Figures.Localities {
		assert.Equal(t, p.Localities[i], lf.Locality)
		assert.Equal(t, int64(1), lf.Feedback, lf.Locality)
		assert.Equal(t, int64(i+1), lf.Rating.Num, lf.Locality)
	}

	many := testPilot(training.Criteria{})
	many.ID = "f2"
	many.Localities = nil
	for i := range 12 {
		many.Localities = append(many.Localities, fmt.Sprint("L", i))
	}
	_, err = tr.StartPilot(ctx, many)
	require.NoError(t, err)
	err = tr.RecordPilotFeedback(ctx, "f2", bad)
	assert.EqualError(t, err, `training: record pilot feedback: invalid feedback.locality: "osaka" is not a locality of pilot "f2" (its localities: "L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", and 2 more)`)
}

// TestRecordPilotFeedbackTimes: the pilot takes feedback from the first
// instant of its period on, as Decide counts it: after the period's end
// too (the period is half-open, and Decide counts feedback given after
// it in a decision taken later), but none from before its start. The
// period is one span of instants, whatever the zone the time is given in.
func TestRecordPilotFeedbackTimes(t *testing.T) {
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	fresno, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	p := testPilot(training.Criteria{})
	p.Period = salesprocess.Month(2026, time.March, berlin)
	start, end := p.Period.Start(), p.Period.End()
	for _, tc := range []struct {
		name   string
		at     time.Time
		accept bool
	}{
		{"err_just_before_start", start.Add(-time.Nanosecond), false},
		{"err_before_start_in_fresno", time.Date(2026, 2, 28, 14, 59, 59, 0, fresno), false},
		{"ok_at_start", start, true},
		{"ok_at_start_in_fresno", time.Date(2026, 2, 28, 15, 0, 0, 0, fresno), true},
		{"ok_just_before_end", end.Add(-time.Nanosecond), true},
		{"ok_at_end", end, true},
		{"ok_a_month_after_end", end.AddDate(0, 1, 0), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, tr := pilotFeedbackTrainer(t, p)
			f := ratings("Springfield:3")[0]
			f.Time = tc.at
			err := tr.RecordPilotFeedback(ctx, "f1", f)
			if !tc.accept {
				var ve *salesprocess.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "feedback.time", ve.Field)
				assert.Contains(t, err.Error(), ` is before pilot "f1" started at 2026-03-01T00:00:00+01:00 (its period: 2026-03[Europe/Berlin])`)
				assert.Zero(t, s.writes.Load())
				assert.Empty(t, storedFeedback(t, s, "p1"))
				assert.Zero(t, counted(t, p, []salesprocess.Feedback{f}, end.AddDate(1, 0, 0)), "Decide does not count it either")
				return
			}
			require.NoError(t, err)
			d, err := tr.Decide(ctx, "f1", tc.at)
			require.NoError(t, err)
			assert.Equal(t, int64(1), d.Figures.Feedback, "a decision at the feedback's time counts it")
			d, err = tr.Decide(ctx, "f1", tc.at.Add(-time.Nanosecond))
			require.NoError(t, err)
			assert.Zero(t, d.Figures.Feedback, "a decision before the feedback's time does not")
		})
	}
}

// pilotFeedbackFaults is a MemStore whose GetPilot or AddFeedback fails.
type pilotFeedbackFaults struct {
	*trainingtest.MemStore
	getPilot, addFeedback error
}

func (s *pilotFeedbackFaults) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	if s.getPilot != nil {
		return training.Pilot{}, s.getPilot
	}
	return s.MemStore.GetPilot(ctx, id)
}

func (s *pilotFeedbackFaults) AddFeedback(ctx context.Context, f salesprocess.Feedback) error {
	if s.addFeedback != nil {
		return s.addFeedback
	}
	return s.MemStore.AddFeedback(ctx, f)
}

// TestRecordPilotFeedbackStoreErrors: the store's errors are passed on
// wrapped, and checks that need the pilot are not made without it.
func TestRecordPilotFeedbackStoreErrors(t *testing.T) {
	ctx := context.Background()
	down := errors.New("pilots table unreadable")
	full := errors.New("feedback table full")
	s := &pilotFeedbackFaults{MemStore: trainingtest.NewMemStore()}
	tr := training.NewTrainer(s, nil, nil)
	_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	f := ratings("Springfield:3")[0]

	s.getPilot = down
	err = tr.RecordPilotFeedback(ctx, "f1", f)
	require.ErrorIs(t, err, down)
	assert.EqualError(t, err, `training: record pilot feedback: pilot "f1": pilots table unreadable`)
	assert.NotErrorIs(t, err, salesprocess.ErrInvalid)
	assert.Empty(t, storedFeedback(t, s, "p1"))

	s.getPilot, s.addFeedback = nil, full
	err = tr.RecordPilotFeedback(ctx, "f1", f)
	require.ErrorIs(t, err, full)
	assert.EqualError(t, err, "training: record pilot feedback: feedback table full")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	s.addFeedback = nil
	err = tr.RecordPilotFeedback(cancelled, "f1", f)
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, storedFeedback(t, s, "p1"))
}
