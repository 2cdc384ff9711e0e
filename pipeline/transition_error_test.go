package pipeline_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// The engine names the record in a *TransitionError it returns without
// changing one it was given: a guard's error, shared by every command
// the guard refuses, stays as the guard made it. Run with -race.
func TestEngineDoesNotChangeAGuardsTransitionError(t *testing.T) {
	shared := &pipeline.TransitionError{Machine: "approval", From: "draft", To: "approved", Reason: "not approved"}
	spec := pipeline.DefaultSpec()
	for i := range spec.Stages {
		if spec.Stages[i].Key == pipeline.DealProposal {
			spec.Stages[i].Gates = []pipeline.Gate{{Name: "approved", Check: func(context.Context, *pipeline.Deal, pipeline.Transition[pipeline.DealStage]) error {
				return pipeline.Abort(shared)
			}}}
		}
	}
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{pipeline.MustDefinition(spec)}})
	require.NoError(t, err)
	ids := []sp.DealID{"d-1", "d-2", "d-3", "d-4"}
	for _, id := range ids {
		_, err := e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal(id), nil)
		require.NoError(t, err)
	}
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.Advance(ctx, pipelinetest.System(), id, pipeline.DealProposal, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		var te *pipeline.TransitionError
		require.True(t, errors.As(err, &te), "deal %s: %v", ids[i], err)
		assert.Equal(t, `advance deal "`+string(ids[i])+`"`, te.Record)
	}
	assert.Empty(t, shared.Record, "the guard's error was changed")
}
