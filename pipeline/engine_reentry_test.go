package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// within runs f and returns its error, failing t if f has not returned
// after d: a watchdog for calls that could wait on themselves.
func within(t *testing.T, d time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("still waiting after %v: the call waits on itself", d)
		return nil
	}
}

// putFailsOnce is an IdempotencyStore whose first PutOutcome fails.
type putFailsOnce struct {
	*pipelinetest.MemStore
	failed bool
}

func (s *putFailsOnce) PutOutcome(ctx context.Context, o pipeline.Outcome) error {
	if !s.failed {
		s.failed = true
		return errors.New("outcomes down")
	}
	return s.MemStore.PutOutcome(ctx, o)
}

// A keyed command whose outcome cannot be recorded publishes its stored
// change's events without holding the lock of its key, as every other
// command does: a Publisher that reacts by running a keyed command whose
// key shares that lock does not wait on it.
func TestEnginePublishesUnrecordedOutsideKeyLock(t *testing.T) {
	ctx := context.Background()
	// The engine serializes keyed commands on 64 locks picked by the
	// key's FNV-1a hash: k2 shares k1's.
	stripe := func(k string) uint32 {
		h := fnv.New32a()
		h.Write([]byte(k))
		return h.Sum32() % 64
	}
	k1, k2 := "req-1", ""
	for i := 0; k2 == ""; i++ {
		if k := fmt.Sprint("event-", i); stripe(k) == stripe(k1) {
			k2 = k
		}
	}
	mem := pipelinetest.NewMemStore()
	var e *pipeline.Engine
	var pubErr error
	pub := sp.PublisherFunc(func(ctx context.Context, ev sp.Event) error {
		if ev.Type == pipeline.EventDealWon {
			_, pubErr = e.Advance(ctx, pipelinetest.System(), "d2", pipeline.DealQualification, &pipeline.CommandOptions{IdempotencyKey: k2})
		}
		return nil
	})
	e, err := pipeline.NewEngine(mem, mem, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: pub,
		Idempotency: &putFailsOnce{MemStore: pipelinetest.NewMemStore()}})
	require.NoError(t, err)
	for _, id := range []sp.DealID{"d1", "d2"} {
		_, err = e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal(id), nil)
		require.NoError(t, err)
	}
	err = within(t, 5*time.Second, func() error {
		_, err := e.Win(ctx, pipelinetest.System(), "d1", &pipeline.CommandOptions{IdempotencyKey: k1})
		return err
	})
	assert.ErrorContains(t, err, "recording the outcome")
	require.NoError(t, pubErr)
	d2, err := mem.GetDeal(ctx, "d2")
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealQualification, d2.Stage, "the Publisher's command ran")
}
