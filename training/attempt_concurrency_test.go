package training_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// slowAttempts is a store whose listing of attempts lets other goroutines
// run between reading the attempts and answering, as a database round
// trip would.
type slowAttempts struct{ *trainingtest.MemStore }

func (s slowAttempts) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	seq := s.MemStore.ListAttempts(ctx, rep, m)
	return func(yield func(training.Attempt, error) bool) {
		type item struct {
			a   training.Attempt
			err error
		}
		var read []item
		for a, err := range seq {
			read = append(read, item{a, err})
		}
		for range 8 {
			runtime.Gosched()
		}
		for _, it := range read {
			if !yield(it.a, it.err) {
				return
			}
		}
	}
}

// Attempts recorded at once through one Trainer keep to the module's
// MaxAttempts: of 32 concurrent attempts at a module allowing 3, exactly
// 3 are stored and the others are refused.
func TestRecordAttemptConcurrentKeepsMaxAttempts(t *testing.T) {
	ctx := context.Background()
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	for round := range 20 {
		store := trainingtest.NewMemStore()
		tr := training.NewTrainer(slowAttempts{store}, cat, &training.Options{Clock: salesprocess.FixedClock(t0)})
		require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
		const callers = 32
		errs := make([]error, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = tr.RecordAttempt(ctx, training.Attempt{
					ID: training.AttemptID(fmt.Sprintf("a-%d", i)), Rep: "ann", Module: "p1-basics", Score: 3, Time: t0,
				})
			}()
		}
		wg.Wait()
		stored, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				stored++
			case errors.Is(err, salesprocess.ErrForbidden):
				refused++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		n := 0
		for _, err := range store.ListAttempts(ctx, "ann", "p1-basics") {
			require.NoError(t, err)
			n++
		}
		if !assert.Equal(t, 3, n, "round %d: attempts stored", round) || !assert.Equal(t, callers-3, refused, "round %d", round) {
			return
		}
	}
}

// A retried attempt that took the last of MaxAttempts is a duplicate, as a
// retry of any other attempt is, not an attempt beyond the limit: of
// concurrent retries of one request, one stores it and the others get
// ErrDuplicate.
func TestRecordAttemptRetryOfLastAttemptIsDuplicate(t *testing.T) {
	ctx := context.Background()
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	store := trainingtest.NewMemStore()
	tr := training.NewTrainer(store, cat, &training.Options{Clock: salesprocess.FixedClock(t0)})
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	for _, id := range []training.AttemptID{"a1", "a2"} {
		_, err := tr.RecordAttempt(ctx, training.Attempt{ID: id, Rep: "ann", Module: "p1-basics", Score: 3, Time: t0})
		require.NoError(t, err)
	}
	const callers = 8
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = tr.RecordAttempt(ctx, training.Attempt{ID: "a3", Rep: "ann", Module: "p1-basics", Score: 3, Time: t0})
		}()
	}
	wg.Wait()
	stored := 0
	for i, err := range errs {
		if err == nil {
			stored++
			continue
		}
		assert.ErrorIs(t, err, salesprocess.ErrDuplicate, "caller %d", i)
		assert.NotErrorIs(t, err, salesprocess.ErrForbidden, "caller %d", i)
	}
	assert.Equal(t, 1, stored)
	// A new attempt is beyond the limit.
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "a4", Rep: "ann", Module: "p1-basics", Score: 3, Time: t0})
	assert.ErrorIs(t, err, salesprocess.ErrForbidden)
}

// An attempt ID already stored is ErrDuplicate whatever the brief's
// version now: a retry of an attempt made under brief 1.0, sent after the
// catalog moved the module to brief 2.0 and its three attempts there are
// used, is a duplicate, not an attempt beyond MaxAttempts.
func TestRecordAttemptRetryAcrossMajorVersionsIsDuplicate(t *testing.T) {
	ctx := context.Background()
	store := trainingtest.NewMemStore()
	cat1, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	tr1 := training.NewTrainer(store, cat1, &training.Options{Clock: salesprocess.FixedClock(t0)})
	require.NoError(t, tr1.PublishBrief(ctx, testBrief("1.0")))
	old := training.Attempt{ID: "a1", Rep: "ann", Module: "p1-basics", Score: 3, Time: t0}
	_, err = tr1.RecordAttempt(ctx, old)
	require.NoError(t, err)

	mods := testModules()
	mods[0].BriefVersion = v("2.0")
	cat2, err := training.NewCatalog(mods, testCurricula())
	require.NoError(t, err)
	tr2 := training.NewTrainer(store, cat2, &training.Options{Clock: salesprocess.FixedClock(t0)})
	for _, id := range []training.AttemptID{"b1", "b2", "b3"} {
		_, err := tr2.RecordAttempt(ctx, training.Attempt{ID: id, Rep: "ann", Module: "p1-basics", Score: 3, Time: t0})
		require.NoError(t, err)
	}
	_, err = tr2.RecordAttempt(ctx, old)
	assert.ErrorIs(t, err, salesprocess.ErrDuplicate)
	assert.NotErrorIs(t, err, salesprocess.ErrForbidden)
}
