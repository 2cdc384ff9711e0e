package training_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// One Trainer serves reps who take attempts (and retry them), get
// certified, are assigned modules (the same assignment sent by several
// callers), onboard and list their assignments, all at once; run with
// -race. Each rep keeps to MaxAttempts, each attempt and assignment is
// stored once, and a retry gets ErrDuplicate.
func TestTrainerStress(t *testing.T) {
	ctx := context.Background()
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	store := trainingtest.NewMemStore()
	tr := training.NewTrainer(slowAttempts{store}, cat, &training.Options{Clock: salesprocess.NewSteppingClock(t0.Add(time.Minute), time.Second)})
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	goal, err := salesprocess.ParseMoney("1000.00 EUR")
	require.NoError(t, err)
	reps := []salesprocess.RepID{"ann", "bob", "cat"}
	// Each rep passes the module first; the attempts after a pass are
	// counted anew, and all of those below fail, so three are stored.
	for _, rep := range reps {
		_, err := tr.RecordAttempt(ctx, training.Attempt{ID: training.AttemptID(rep + "-pass"), Rep: rep, Module: "p1-basics", Score: 8})
		require.NoError(t, err)
	}
	const workers = 24
	type call struct {
		id  training.AttemptID
		err error
	}
	var (
		mu    sync.Mutex
		calls []call
	)
	errs := make(chan error, 64*workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep := reps[w%len(reps)]
			for i := range 6 {
				// Two workers send each attempt: the second is a retry.
				id := training.AttemptID(fmt.Sprintf("%s-%d-%d", rep, w/(2*len(reps)), i))
				_, err := tr.RecordAttempt(ctx, training.Attempt{ID: id, Rep: rep, Module: "p1-basics", Score: 7})
				mu.Lock()
				calls = append(calls, call{id, err})
				mu.Unlock()
				_, err = tr.RecordAttempt(ctx, training.Attempt{ID: id + "-phone", Rep: rep, Module: "phone", Score: 90})
				if err != nil && !errors.Is(err, salesprocess.ErrDuplicate) {
					errs <- err
				}
				_, err = tr.AssignModule(ctx, training.Assignment{ID: training.AssignmentID(fmt.Sprintf("x-%s-%d", rep, i)), Rep: rep, Module: "phone", Due: t0.AddDate(0, 1, 0)})
				if err != nil && !errors.Is(err, salesprocess.ErrDuplicate) {
					errs <- err
				}
				if _, err := tr.Certify(ctx, rep, "p1-phone"); err != nil && !errors.Is(err, salesprocess.ErrForbidden) {
					errs <- err
				}
				if _, err := tr.Assignments(ctx, rep, t0.AddDate(0, 0, 1)); err != nil {
					errs <- err
				}
				if _, err := tr.Onboard(ctx, training.Onboarding{Rep: rep, Region: "north", Start: t0.AddDate(0, 0, 1), MonthlyGoal: goal}); err != nil && !errors.Is(err, salesprocess.ErrForbidden) {
					errs <- err
				}
				for _, err := range tr.Readiness().Expiring(ctx, salesprocess.Year(2027, time.UTC)) {
					if err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	stored := map[training.AttemptID]int{}
	for _, rep := range reps {
		n := 0
		for a, err := range store.ListAttempts(ctx, rep, "p1-basics") {
			require.NoError(t, err)
			if !a.Passed { // the workers' attempts, which all fail
				stored[a.ID] = 0
			}
			n++
		}
		assert.Equal(t, 1+3, n, "rep %s: a pass, then attempts at a module allowing 3", rep)
		ap, err := tr.Assignments(ctx, rep, t0)
		require.NoError(t, err)
		assert.Len(t, ap, 6, "rep %s: assignments", rep)
		v, err := tr.Readiness().Check(ctx, rep, "p1", "phone", t0.AddDate(0, 0, 1))
		require.NoError(t, err)
		assert.True(t, v.Ready, "rep %s: certified", rep)
	}
	// A stored attempt was recorded by one call and is a duplicate to its
	// retries; an attempt not stored was refused as one too many.
	for _, c := range calls {
		_, ok := stored[c.id]
		switch {
		case ok && c.err == nil:
			stored[c.id]++
		case ok:
			assert.ErrorIs(t, c.err, salesprocess.ErrDuplicate, "attempt %s", c.id)
		default:
			assert.ErrorIs(t, c.err, salesprocess.ErrForbidden, "attempt %s", c.id)
		}
	}
	for id, n := range stored {
		assert.Equal(t, 1, n, "attempt %s recorded by %d calls", id, n)
	}
}
