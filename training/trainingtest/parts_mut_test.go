package trainingtest_test

import (
	"context"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// aliasedPilots keeps the pilot that CreatePilot and UpdatePilot are
// given, not a copy of it, and returns it from GetPilot, so that a change
// the caller makes later shows through.
type aliasedPilots struct {
	*trainingtest.MemStore
	mu   *sync.Mutex
	kept map[training.PilotID]training.Pilot
}

func (s aliasedPilots) CreatePilot(ctx context.Context, p training.Pilot) error {
	if err := s.MemStore.CreatePilot(ctx, p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kept[p.ID] = p
	return nil
}

func (s aliasedPilots) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	if err := s.MemStore.UpdatePilot(ctx, p, expectedRev); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kept[p.ID] = p
	return nil
}

func (s aliasedPilots) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	s.mu.Lock()
	p, ok := s.kept[id]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	return s.MemStore.GetPilot(ctx, id)
}

// pairedFeedback loses one of two AddFeedback calls that overlap, and
// reports success for both. To make that happen whenever two calls
// overlap, each waits a little for another one to begin.
type pairedFeedback struct {
	*trainingtest.MemStore
	pair chan struct{}
}

func (s pairedFeedback) AddFeedback(ctx context.Context, f salesprocess.Feedback) error {
	select {
	case s.pair <- struct{}{}:
		return nil
	case <-s.pair:
	case <-time.After(20 * time.Millisecond):
	}
	return s.MemStore.AddFeedback(ctx, f)
}

// snapshotAttempts reads the attempts when ListAttempts is called, not
// when its listing is iterated, so that iterating it again reads nothing
// afresh.
type snapshotAttempts struct{ *trainingtest.MemStore }

func (s snapshotAttempts) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	var got []training.Attempt
	var failed error
	for a, err := range s.MemStore.ListAttempts(ctx, rep, m) {
		if err != nil {
			failed = err
			break
		}
		got = append(got, a)
	}
	return func(yield func(training.Attempt, error) bool) {
		if failed != nil {
			yield(training.Attempt{}, failed)
			return
		}
		for _, a := range got {
			if !yield(a, nil) {
				return
			}
		}
	}
}

func init() {
	partRuns["attempts_read_once"] = func(t *testing.T) {
		trainingtest.RunAttemptStoreTests(t, func(*testing.T) training.AttemptStore { return snapshotAttempts{trainingtest.NewMemStore()} })
	}
	partRuns["pilots_aliased"] = func(t *testing.T) {
		trainingtest.RunPilotStoreTests(t, func(*testing.T) training.PilotStore {
			return aliasedPilots{trainingtest.NewMemStore(), new(sync.Mutex), map[training.PilotID]training.Pilot{}}
		})
	}
	partRuns["sales_ordered_by_time_text"] = func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore {
			return struct{ training.SaleStore }{textTimes{trainingtest.NewMemStore()}}
		})
	}
	partRuns["feedback_concurrent_adds_lost"] = func(t *testing.T) {
		trainingtest.RunFeedbackStoreTests(t, func(*testing.T) training.FeedbackStore {
			return pairedFeedback{trainingtest.NewMemStore(), make(chan struct{})}
		})
	}
	brokenStores["feedback_concurrent_adds_lost"] = struct {
		store  func() training.Store
		clause string
	}{
		func() training.Store { return pairedFeedback{trainingtest.NewMemStore(), make(chan struct{})} },
		"feedback, want 16",
	}
}

// Each part's suite runs its part's cases of copies, of order across
// zones and of concurrent adds: it fails a pilot store that keeps the
// caller's pilot, an attempt store whose listing does not read afresh, a
// sale store that lists by the text of the times and a
// feedback store that loses one of two adds that overlap, naming the
// clause each breaks. RunStoreTests fails that feedback store too.
func TestRunPartStoreTestsCatchesCopiesAndLostAdds(t *testing.T) {
	if inChild(t) {
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for name, clause := range map[string]string{
		"pilots_aliased":                "CreatePilot copies its argument, every part of it: a later change showed through",
		"attempts_read_once":            "a listing may be iterated again and reads the store afresh",
		"sales_ordered_by_time_text":    "ListSales lists by the instant of its times, whatever their zones",
		"feedback_concurrent_adds_lost": "concurrent writes of distinct records are all kept",
	} {
		t.Run(name, func(t *testing.T) {
			out, err := runPart(t, "TestRunPartStoreTestsCatchesCopiesAndLostAdds", name)
			require.Error(t, err, "the suite must fail the store:\n%s", out)
			assert.True(t, strings.Contains(out, clause) && !strings.Contains(out, "panic"),
				"the suite must fail saying %q, without a panic:\n%s", clause, out[max(0, len(out)-1500):])
		})
	}
}
