package training_test

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// readFaults is a counting store whose reads of attempts, pilots and
// sales fail with err when it is set, and count in reads.
type readFaults struct {
	*countingStore
	err   error
	reads int
}

func (s *readFaults) ListAttempts(ctx context.Context, rep salesprocess.RepID, module training.ModuleID) iter.Seq2[training.Attempt, error] {
	s.reads++
	if s.err != nil {
		return func(yield func(training.Attempt, error) bool) { yield(training.Attempt{}, s.err) }
	}
	return s.countingStore.ListAttempts(ctx, rep, module)
}

func (s *readFaults) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	s.reads++
	if s.err != nil {
		return training.Pilot{}, s.err
	}
	return s.countingStore.GetPilot(ctx, id)
}

func (s *readFaults) ListSales(ctx context.Context, pilot training.PilotID) iter.Seq2[training.Sale, error] {
	s.reads++
	if s.err != nil {
		return func(yield func(training.Sale, error) bool) { yield(training.Sale{}, s.err) }
	}
	return s.countingStore.ListSales(ctx, pilot)
}

// storedAttempts returns the attempts of rep at module that s holds.
func storedAttempts(t *testing.T, s training.AttemptStore, rep salesprocess.RepID, module training.ModuleID) []training.Attempt {
	t.Helper()
	var out []training.Attempt
	for a, err := range s.ListAttempts(context.Background(), rep, module) {
		require.NoError(t, err)
		out = append(out, a)
	}
	return out
}

// TestRecordsNotAfterTheClock: RecordAttempt and RecordSale refuse a time
// after the trainer's clock's time, with no tolerance, naming attempt.time
// or sale.time and writing the clock's time, before they read the store,
// and write nothing; a time at the clock's, written in any zone, is
// stored, and an attempt with no time takes the clock's.
func TestRecordsNotAfterTheClock(t *testing.T) {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	now := t0.Add(20 * 24 * time.Hour) // 2026-03-22T09:00:00Z, within the pilot's March
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	newStore := func(t *testing.T) (*readFaults, *training.Trainer) {
		s := &readFaults{countingStore: &countingStore{MemStore: trainingtest.NewMemStore()}}
		tr := training.NewTrainer(s, cat, &training.Options{Clock: salesprocess.FixedClock(now)})
		require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
		_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
		require.NoError(t, err)
		s.writes.Store(0)
		s.reads = 0
		return s, tr
	}
	type record struct {
		field string
		// rec records one at at with tr; stored returns what s holds.
		rec    func(tr *training.Trainer, at time.Time) error
		stored func(t *testing.T, s *readFaults) []time.Time
	}
	records := map[string]record{
		"record attempt": {"attempt.time",
			func(tr *training.Trainer, at time.Time) error {
				// p1-basics has a limit of attempts, so its count is read.
				_, err := tr.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "ann", Module: "p1-basics", Score: 9, Time: at})
				return err
			},
			func(t *testing.T, s *readFaults) []time.Time {
				var out []time.Time
				for _, a := range storedAttempts(t, s.MemStore, "ann", "p1-basics") {
					out = append(out, a.Time)
				}
				return out
			}},
		"record sale": {"sale.time",
			func(tr *training.Trainer, at time.Time) error {
				return tr.RecordSale(ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 3, Time: at})
			},
			func(t *testing.T, s *readFaults) []time.Time {
				var out []time.Time
				for _, sale := range storedSales(t, s.MemStore, []training.PilotID{"f1"})["f1"] {
					out = append(out, sale.Time)
				}
				return out
			}},
	}
	for op, r := range records {
		what := map[string]string{"record attempt": "an attempt", "record sale": "a sale"}[op]
		for _, tc := range []struct {
			name string
			at   time.Time
			msg  string // empty when stored
		}{
			{"ok_an_hour_before", now.Add(-time.Hour), ""},
			{"ok_at_the_clock", now, ""},
			{"ok_at_the_clock_in_tokyo", now.In(tokyo), ""},
			{"err_a_nanosecond_after", now.Add(time.Nanosecond),
				"training: " + op + ": invalid " + r.field + ": 2026-03-22T09:00:00.000000001Z is after the trainer's time 2026-03-22T09:00:00Z: " + what + " is recorded once it has happened"},
			{"err_a_day_after_in_tokyo", now.Add(24 * time.Hour).In(tokyo),
				"training: " + op + ": invalid " + r.field + ": 2026-03-23T18:00:00+09:00 is after the trainer's time 2026-03-22T09:00:00Z: " + what + " is recorded once it has happened"},
		} {
			t.Run(op+"/"+tc.name, func(t *testing.T) {
				s, tr := newStore(t)
				err := r.rec(tr, tc.at)
				if tc.msg == "" {
					require.NoError(t, err)
					got := r.stored(t, s)
					require.Len(t, got, 1)
					assert.True(t, got[0].Equal(tc.at), "stored at %v, want %v", got[0], tc.at)
					return
				}
				assert.EqualError(t, err, tc.msg)
				assert.ErrorIs(t, err, salesprocess.ErrInvalid)
				var ve *salesprocess.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, r.field, ve.Field)
				assert.Zero(t, s.writes.Load(), "refused record was written")
				assert.Zero(t, s.reads, "the store was read for a refused record")
				assert.Empty(t, r.stored(t, s))
			})
		}
		t.Run(op+"/err_before_the_store_is_read", func(t *testing.T) {
			s, tr := newStore(t)
			s.err = errors.New("table unreadable")
			err := r.rec(tr, now.Add(time.Second))
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			assert.NotErrorIs(t, err, s.err)
			assert.Zero(t, s.reads)
			// At the clock's time the store is read, and its error passed on.
			err = r.rec(tr, now)
			require.ErrorIs(t, err, s.err)
			assert.Positive(t, s.reads)
			assert.Zero(t, s.writes.Load())
		})
	}
}

// TestRecordAttemptReadsTheClockOnce: an attempt with no time is stored
// at the clock's reading, the one its time is checked against, and an
// attempt refused at one reading is stored once the clock has come to
// its time; each call reads the clock once, as does RecordSale.
func TestRecordAttemptReadsTheClockOnce(t *testing.T) {
	ctx := context.Background()
	now, reads := t0, 0
	clock := salesprocess.ClockFunc(func() time.Time { reads++; return now })
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	s := trainingtest.NewMemStore()
	tr := training.NewTrainer(s, cat, &training.Options{Clock: clock})
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	_, err = tr.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)

	reads = 0
	a, err := tr.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "ann", Module: "p1-basics", Score: 9})
	require.NoError(t, err)
	assert.Equal(t, 1, reads, "the clock read once")
	assert.True(t, a.Time.Equal(t0), "stored at %v", a.Time)

	later := training.Attempt{ID: "a2", Rep: "ann", Module: "phone", Score: 80, Time: t0.Add(time.Minute)}
	reads = 0
	_, err = tr.RecordAttempt(ctx, later)
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.Equal(t, 1, reads, "the clock read once")
	assert.Empty(t, storedAttempts(t, s, "ann", "phone"))

	sale := training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 3, Time: t0.Add(time.Minute)}
	reads = 0
	require.ErrorIs(t, tr.RecordSale(ctx, sale), salesprocess.ErrInvalid)
	assert.Equal(t, 1, reads, "the clock read once")
	assert.Empty(t, storedSales(t, s, []training.PilotID{"f1"})["f1"])

	now = t0.Add(time.Minute)
	_, err = tr.RecordAttempt(ctx, later)
	require.NoError(t, err, "the clock has come to the attempt's time")
	assert.Len(t, storedAttempts(t, s, "ann", "phone"), 1)
	require.NoError(t, tr.RecordSale(ctx, sale), "the clock has come to the sale's time")
	assert.Len(t, storedSales(t, s, []training.PilotID{"f1"})["f1"], 1)
}

// TestRecordSaleAfterThePeriodByALaterClock: a sale at or after the end
// of its pilot's period, dated by the time the trainer's clock has passed
// that end, is refused for the period, naming sale.time, as before the
// check of the clock.
func TestRecordSaleAfterThePeriodByALaterClock(t *testing.T) {
	ctx := context.Background()
	s := &countingStore{MemStore: trainingtest.NewMemStore()}
	tr := training.NewTrainer(s, nil, &training.Options{Clock: salesprocess.FixedClock(march.End().Add(day))})
	_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	s.writes.Store(0)
	err = tr.RecordSale(ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 1, Time: march.End()})
	assert.EqualError(t, err, "training: record sale: invalid sale.time: outside the pilot period "+march.String())
	assertField(t, err, "sale.time")
	assert.Zero(t, s.writes.Load())
}
