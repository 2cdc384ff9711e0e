package pipelinetest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	sp "github.com/salesprocess/salesprocess"
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
