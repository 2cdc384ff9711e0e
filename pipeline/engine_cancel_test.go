package pipeline_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// stallingStore is a store without transactions whose first UpdateDeal
// waits until released, as a slow database would.
type stallingStore struct {
	pipeline.Store
	once    sync.Once
	entered chan struct{}
	release chan struct{}
}

func (s *stallingStore) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	first := false
	s.once.Do(func() { first = true })
	if first {
		close(s.entered)
		<-s.release
	}
	return s.Store.UpdateDeal(ctx, d, expected)
}

// A keyed command waiting for another run of its key (a retry of a
// request still running) stops when its context is done.
func TestKeyedCommandWaitingForItsKeyStopsWhenCancelled(t *testing.T) {
	ctx := context.Background()
	base := pipelinetest.NewMemStore()
	setup, err := pipeline.NewEngine(base, base, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	_, err = setup.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)

	store := &stallingStore{Store: base, entered: make(chan struct{}), release: make(chan struct{})}
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: pipelinetest.NewMemStore()})
	require.NoError(t, err)
	key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
	first := make(chan error, 1)
	go func() {
		_, err := e.OverrideProbability(ctx, pipelinetest.System(), "d1", decimal.New(5, -1), key)
		first <- err
	}()
	<-store.entered

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	retry := make(chan error, 1)
	go func() {
		_, err := e.OverrideProbability(cancelled, pipelinetest.System(), "d1", decimal.New(5, -1), key)
		retry <- err
	}()
	select {
	case err := <-retry:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Error("the retry with a cancelled context still waits for the first run")
	}
	close(store.release)
	require.NoError(t, <-first)
	if t.Failed() {
		<-retry
	}
	d, err := base.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), d.Version, "applied once")
}
