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

// oneConn is a store on one connection, as a SQL store on a transaction or
// on a pool of one is: a listing holds the connection while it yields its
// rows from the open result, and a listing started meanwhile fails, as a
// driver refuses a query on a busy connection.
type oneConn struct {
	*trainingtest.MemStore
	conn chan struct{}
}

var errConnBusy = errors.New("connection busy")

func held[T any](s *oneConn, seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		select {
		case s.conn <- struct{}{}:
			defer func() { <-s.conn }()
		default:
			var zero T
			yield(zero, errConnBusy)
			return
		}
		for v, err := range seq {
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

func (s *oneConn) ListAssignments(ctx context.Context, rep salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	return held(s, s.MemStore.ListAssignments(ctx, rep))
}

func (s *oneConn) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return held(s, s.MemStore.ListAttempts(ctx, rep, m))
}

// The Trainer does not list from a store while another of its listings is
// running: a store whose listing holds its one connection while it yields,
// as the training.Store contract allows, serves every query.
func TestTrainerListsOneAtATime(t *testing.T) {
	ctx := context.Background()
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	s := &oneConn{MemStore: trainingtest.NewMemStore(), conn: make(chan struct{}, 1)}
	clock := salesprocess.NewSteppingClock(t0, 0)
	tr := training.NewTrainer(s, cat, &training.Options{Clock: clock})
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	_, err = tr.AssignModule(ctx, training.Assignment{ID: "x1", Rep: "r1", Module: "phone", Due: t0.Add(7 * 24 * time.Hour), AssignedBy: "m1"})
	require.NoError(t, err)
	clock.Set(t0.Add(time.Hour)) // the pass is recorded once made
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "phone", Score: 90, Time: t0.Add(time.Hour)})
	require.NoError(t, err)

	got, err := tr.Assignments(ctx, "r1", t0.Add(24*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, got[0].Done)
}
