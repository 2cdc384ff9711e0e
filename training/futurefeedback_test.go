package training_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// TestRecordFeedbackNotAfterTheClock: both recording methods refuse
// feedback dated after the trainer's clock's time, with no tolerance,
// naming feedback.time and writing the clock's time, and store nothing;
// feedback at the clock's time, written in any zone, is stored.
func TestRecordFeedbackNotAfterTheClock(t *testing.T) {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	now := t0.Add(20 * 24 * time.Hour) // 2026-03-22T09:00:00Z, within the pilot's March
	record := map[string]func(*training.Trainer, salesprocess.Feedback) error{
		"record feedback": func(tr *training.Trainer, f salesprocess.Feedback) error {
			return tr.RecordFeedback(ctx, f)
		},
		"record pilot feedback": func(tr *training.Trainer, f salesprocess.Feedback) error {
			return tr.RecordPilotFeedback(ctx, "f1", f)
		},
	}
	for op, rec := range record {
		for _, tc := range []struct {
			name string
			at   time.Time
			msg  string // empty when stored
		}{
			{"ok_an_hour_before", now.Add(-time.Hour), ""},
			{"ok_at_the_clock", now, ""},
			{"ok_at_the_clock_in_tokyo", now.In(tokyo), ""},
			{"err_a_nanosecond_after", now.Add(time.Nanosecond),
				"training: " + op + ": invalid feedback.time: 2026-03-22T09:00:00.000000001Z is after the trainer's time 2026-03-22T09:00:00Z: feedback is recorded once it has happened"},
			{"err_a_day_after_in_tokyo", now.Add(24 * time.Hour).In(tokyo),
				"training: " + op + ": invalid feedback.time: 2026-03-23T18:00:00+09:00 is after the trainer's time 2026-03-22T09:00:00Z: feedback is recorded once it has happened"},
		} {
			t.Run(op+"/"+tc.name, func(t *testing.T) {
				s := &countingStore{MemStore: trainingtest.NewMemStore()}
				tr := training.NewTrainer(s, nil, &training.Options{Clock: salesprocess.FixedClock(now)})
				_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
				require.NoError(t, err)
				s.writes.Store(0)
				f := ratings("Springfield:4")[0]
				f.Time = tc.at
				err = rec(tr, f)
				if tc.msg == "" {
					require.NoError(t, err)
					assert.Len(t, storedFeedback(t, s, "p1"), 1)
					return
				}
				assert.EqualError(t, err, tc.msg)
				assert.ErrorIs(t, err, salesprocess.ErrInvalid)
				var ve *salesprocess.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "feedback.time", ve.Field)
				assert.Zero(t, s.writes.Load(), "refused feedback was written")
				assert.Empty(t, storedFeedback(t, s, "p1"))
			})
		}
	}
}

// TestRecordFeedbackReadsTheClock: the time compared is the clock's
// reading by the call, so feedback refused at one reading is stored once
// the clock has come to its time, and RecordPilotFeedback refuses a later
// time before it reads the pilot.
func TestRecordFeedbackReadsTheClock(t *testing.T) {
	ctx := context.Background()
	now, reads := t0, 0
	clock := salesprocess.ClockFunc(func() time.Time { reads++; return now })
	s := &pilotFeedbackFaults{MemStore: trainingtest.NewMemStore()}
	tr := training.NewTrainer(s, nil, &training.Options{Clock: clock})
	_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	f := ratings("Springfield:4")[0]
	f.Time = t0.Add(90 * time.Minute)

	s.getPilot = errors.New("pilots table unreadable")
	reads = 0
	err = tr.RecordPilotFeedback(ctx, "f1", f)
	require.ErrorIs(t, err, salesprocess.ErrInvalid, "refused before the pilot is read")
	assert.NotErrorIs(t, err, s.getPilot)
	assert.Equal(t, 1, reads, "the clock read once")
	s.getPilot = nil

	reads = 0
	require.ErrorIs(t, tr.RecordFeedback(ctx, f), salesprocess.ErrInvalid)
	assert.Equal(t, 1, reads, "the clock read once")
	assert.Empty(t, storedFeedback(t, s, "p1"))

	now = f.Time
	require.NoError(t, tr.RecordFeedback(ctx, f), "the clock has come to the feedback's time")
	assert.Len(t, storedFeedback(t, s, "p1"), 1)
}
