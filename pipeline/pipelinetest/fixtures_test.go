package pipelinetest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

func TestRetry(t *testing.T) {
	t.Run("ok_after_conflicts", func(t *testing.T) {
		calls := 0
		err := pipelinetest.Retry(3, func() error {
			calls++
			if calls < 3 {
				return fmt.Errorf("race: %w", sp.ErrConflict)
			}
			return nil
		})
		assert.NoError(t, err)
		assert.Equal(t, 3, calls)
	})
	t.Run("err_conflicts_exhaust_attempts", func(t *testing.T) {
		calls := 0
		err := pipelinetest.Retry(2, func() error { calls++; return sp.ErrConflict })
		assert.ErrorIs(t, err, sp.ErrConflict)
		assert.Equal(t, 2, calls)
	})
	t.Run("no_attempts_runs_once", func(t *testing.T) {
		calls := 0
		err := pipelinetest.Retry(0, func() error { calls++; return sp.ErrConflict })
		assert.ErrorIs(t, err, sp.ErrConflict)
		assert.Equal(t, 1, calls)
	})
	t.Run("err_nil_func", func(t *testing.T) {
		assert.ErrorIs(t, pipelinetest.Retry(3, nil), sp.ErrInvalid)
	})
}

func TestNewScenarioNilTB(t *testing.T) {
	ctx := context.Background()
	t.Run("ok", func(t *testing.T) {
		var s *pipelinetest.Scenario
		require.NotPanics(t, func() { s = pipelinetest.NewScenario(nil, nil) })
		require.NotNil(t, s.Engine)
		in, err := s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("inq-1"), nil)
		require.NoError(t, err)
		assert.Equal(t, int64(1), in.Version)
		assert.Equal(t, []string{pipeline.EventInquiryReceived}, s.Events.Types())
	})
	t.Run("err_engine_not_built", func(t *testing.T) {
		var s *pipelinetest.Scenario
		opts := &pipeline.Options{Pipelines: []*pipeline.Definition{nil}}
		require.NotPanics(t, func() { s = pipelinetest.NewScenario(nil, opts) })
		assert.Nil(t, s.Engine)
		_, err := s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("inq-1"), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}
