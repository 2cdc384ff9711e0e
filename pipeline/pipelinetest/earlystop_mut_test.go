package pipelinetest_test

import (
	"context"
	"errors"
	"iter"
	"sync/atomic"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// failsAfterStop lists deals until a loop stops one of its listings
// early; every listing after that fails, as a store whose early stop
// leaves its connection broken does.
type failsAfterStop struct {
	*pipelinetest.MemStore
	stopped *atomic.Bool
}

var errBrokenAfterStop = errors.New("the connection broke after an early stop")

func (s failsAfterStop) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return func(yield func(pipeline.Deal, error) bool) {
		if s.stopped.Load() {
			yield(pipeline.Deal{}, errBrokenAfterStop)
			return
		}
		for d, err := range s.MemStore.ListDeals(ctx, f) {
			if !yield(d, err) {
				s.stopped.Store(true)
				return
			}
		}
	}
}

func init() {
	brokenStores["listing_fails_after_early_stop"] = struct {
		store  func() pipeline.Store
		clause string
	}{
		func() pipeline.Store { return failsAfterStop{pipelinetest.NewMemStore(), new(atomic.Bool)} },
		"ListDeals after an early stop: " + errBrokenAfterStop.Error(),
	}
}
