package review_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/review"
)

// Reviews of one month run at once by one Reviewer, with the trainer as
// Assigner and a Publisher that reads the trainer's assignments back: the
// retraining is assigned once, one review reports it done and the others
// existing, and every review finds and publishes the same; run with
// -race.
func TestConcurrentReviewsAssignOnce(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
		w.rep(r, north)
		w.goal(r, north, "16000.00")
		w.sell(r, north, gadget, 6, 4, pipeline.LossPrice)
	}
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		w.sell(r, north, widget, 11, 4, pipeline.LossCompetitor)
	}
	w.sell("r4", north, widget, 2, 13, pipeline.LossRepExecution)
	events := &pipelinetest.Recorder{}
	opts := w.options(nil)
	opts.Publisher = sp.PublisherFunc(func(ctx context.Context, e sp.Event) error {
		if _, err := w.trainer.Assignments(ctx, "r4", e.Time); err != nil {
			return err
		}
		return events.Publish(ctx, e)
	})
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	const runs = 16
	reps := make([]review.Report, runs)
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = r.Review(w.ctx, w.input())
		}()
	}
	wg.Wait()
	done := 0
	for i := range runs {
		require.NoError(t, errs[i], "review %d", i)
		require.Len(t, reps[i].Outcome.Assignments, 1, "review %d", i)
		switch st := reps[i].Outcome.Assignments[0].Status; st {
		case review.StatusDone:
			done++
		default:
			assert.Equal(t, review.StatusExisting, st, "review %d", i)
		}
		a, _ := json.Marshal(reps[0].Findings)
		b, _ := json.Marshal(reps[i].Findings)
		assert.JSONEq(t, string(a), string(b), "review %d finds otherwise", i)
		assert.Equal(t, reps[0].Outcome.Events, reps[i].Outcome.Events, "review %d", i)
	}
	assert.Equal(t, 1, done, "reviews that made the assignment")
	stored, err := w.trainer.Assignments(w.ctx, "", reviewClock().Now())
	require.NoError(t, err)
	require.Len(t, stored, 1)
	assert.Equal(t, reps[0].Outcome.Assignments[0].Assignment.ID, stored[0].Assignment.ID)
	assert.Len(t, events.Events(), runs*len(reps[0].Outcome.Events), "each review publishes its events")
}
