package pipeline_test

import (
	"context"
	"fmt"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commitFails is a transactional MemStore whose next transaction runs its
// function and then fails to commit, as a SQL store may on a
// serialization failure or a lost connection: nothing of it is kept.
type commitFails struct {
	*pipelinetest.MemStore
	fail bool
}

func (c *commitFails) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	fail := c.fail
	c.fail = false
	return c.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		if fail {
			return fmt.Errorf("commit failed: %w", sp.ErrConflict)
		}
		return nil
	})
}

// With the inquiries in a store of their own, outside the deal store's
// transactions, a conversion must not leave the inquiry pointing at a deal
// whose transaction did not commit: the deal is written first, and a retry
// completes the conversion.
func TestConvertWithSeparateStoresNeverPointsAtAMissingDeal(t *testing.T) {
	for _, key := range []string{"", "k-convert"} {
		t.Run("key="+key, func(t *testing.T) {
			ctx := context.Background()
			inquiries := pipelinetest.NewMemStore()
			deals := &commitFails{MemStore: pipelinetest.NewMemStore()}
			e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock()})
			require.NoError(t, err)
			_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
			require.NoError(t, err)
			_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
			require.NoError(t, err)
			_, err = e.Qualify(ctx, system, "i1", nil)
			require.NoError(t, err)

			deals.fail = true
			conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.EUR("900")}}
			opts := &pipeline.CommandOptions{IdempotencyKey: key}
			in, d, err := e.Convert(ctx, system, "i1", conv, opts)
			stored, gerr := inquiries.GetInquiry(ctx, "i1")
			require.NoError(t, gerr)
			if stored.Stage == pipeline.InquiryConverted {
				_, derr := deals.GetDeal(ctx, stored.Deal)
				require.NoError(t, derr, "the converted inquiry points at a stored deal (convert: %v)", err)
			}
			if err != nil {
				in, d, err = e.Convert(ctx, system, "i1", conv, opts)
				require.NoError(t, err, "a retry completes the conversion")
			}
			assert.Equal(t, pipeline.InquiryConverted, in.Stage)
			assert.Equal(t, d.ID, in.Deal)
			deal, err := deals.GetDeal(ctx, d.ID)
			require.NoError(t, err)
			assert.Equal(t, sp.InquiryID("i1"), deal.Inquiry)
		})
	}
}

// Without an outbox, a crash between a conversion's two writes may come
// before the deal's event was published: the retry that finds the deal at
// version 1 publishes its EventDealOpened, once, with the conversion's.
func TestConvertRetryPublishesTheDealsOpening(t *testing.T) {
	ctx := context.Background()
	mem := pipelinetest.NewMemStore()
	cs := &crashStore{Store: mem}
	rec := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(cs, cs, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
	require.NoError(t, err)
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = e.Qualify(ctx, system, "i1", nil)
	require.NoError(t, err)
	before := len(rec.Types())

	cs.crash = true
	conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.EUR("900")}}
	_, _, err = e.Convert(ctx, system, "i1", conv, nil)
	require.Error(t, err)
	assert.Len(t, rec.Types(), before, "the crashed run published nothing")

	_, d, err := e.Convert(ctx, system, "i1", conv, nil)
	require.NoError(t, err)
	require.Equal(t, int64(1), d.Version)
	assert.Equal(t, []string{pipeline.EventDealOpened, pipeline.EventInquiryConverted}, rec.Types()[before:])
}
