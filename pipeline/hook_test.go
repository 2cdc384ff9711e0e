package pipeline_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// conflictOnce is a store without transactions whose next deal update
// fails with a version conflict.
type conflictOnce struct {
	pipeline.Store
	armed atomic.Bool
}

func (s *conflictOnce) UpdateDeal(ctx context.Context, d pipeline.Deal, v int64) error {
	if s.armed.CompareAndSwap(true, false) {
		return fmt.Errorf("stale: %w", sp.ErrConflict)
	}
	return s.Store.UpdateDeal(ctx, d, v)
}

// The doc of Hook: a hook acts before the engine stores the change, so it
// has run for a change the store then refuses, for which no event goes out.
func TestHookRunsForChangeNotStored(t *testing.T) {
	ctx := context.Background()
	spec := pipeline.DefaultSpec()
	var entered atomic.Int64
	won := spec.Stage(pipeline.DealWon)
	require.NotNil(t, won)
	won.OnEnter = append(won.OnEnter, func(*pipeline.Deal, pipeline.Transition[pipeline.DealStage]) { entered.Add(1) })
	store := &conflictOnce{Store: pipelinetest.NewMemStore()}
	rec := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{
		Clock: pipelinetest.NewClock(), Publisher: rec, Pipelines: []*pipeline.Definition{pipeline.MustDefinition(spec)},
	})
	require.NoError(t, err)
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	_, err = e.OpenDeal(ctx, ann, pipelinetest.NewDeal("d-1"), nil)
	require.NoError(t, err)

	store.armed.Store(true)
	_, err = e.Win(ctx, ann, "d-1", nil)
	require.ErrorIs(t, err, sp.ErrConflict)
	assert.Equal(t, int64(1), entered.Load(), "the hook ran")
	d, err := e.GetDeal(ctx, "d-1")
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealProspecting, d.Stage, "the change was not stored")
	assert.Equal(t, []string{pipeline.EventDealOpened}, rec.Types(), "no event for a change not stored")

	d, err = e.Win(ctx, ann, "d-1", nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealWon, d.Stage)
	assert.Equal(t, int64(2), entered.Load(), "the retry ran the hook again")
	assert.Equal(t, []string{pipeline.EventDealOpened, pipeline.EventDealWon}, rec.Types())
}
