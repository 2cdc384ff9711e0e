package pipelinetest_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// One Recorder takes events from 16 goroutines at once while they read it
// back and change what they read and the payloads they published: every
// event is kept once, with the payload it was published with, each
// goroutine's in the order it published them. Run with -race.
func TestRecorderConcurrentPublishes(t *testing.T) {
	var r pipelinetest.Recorder
	const workers, each = 16, 40
	ctx := context.Background()
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = func() error {
				for i := range each {
					data := []byte(fmt.Sprintf(`{"n":%d}`, i))
					e := sp.Event{ID: fmt.Sprintf("e-%d-%d", w, i), Type: fmt.Sprintf("t%d", w), Time: time.Unix(int64(i), 0), Actor: "x", Subject: "s", Data: data}
					if err := r.Publish(ctx, e); err != nil {
						return err
					}
					data[1] = 'X'
					got := r.Events()
					if len(got) == 0 {
						return fmt.Errorf("event %s: Events is empty after it was published", e.ID)
					}
					for j := range got {
						got[j].ID = "changed"
						clear(got[j].Data)
					}
					if types := r.Types(); len(types) < len(got) {
						return fmt.Errorf("Types has %d events after Events had %d", len(types), len(got))
					}
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	for w, err := range errs {
		require.NoError(t, err, "goroutine %d", w)
	}
	events := r.Events()
	require.Len(t, events, workers*each)
	assert.Len(t, r.Types(), workers*each)
	next := make([]int, workers)
	for _, e := range events {
		w, err := strconv.Atoi(e.Type[1:])
		require.NoError(t, err, "event %s", e.ID)
		i := next[w]
		next[w]++
		assert.Equal(t, fmt.Sprintf("e-%d-%d", w, i), e.ID, "goroutine %d's events in the order published", w)
		assert.Equal(t, fmt.Sprintf(`{"n":%d}`, i), string(e.Data), "event %s", e.ID)
	}
	for w := range workers {
		assert.Equal(t, each, next[w], "goroutine %d's events", w)
	}
}
