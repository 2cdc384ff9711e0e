package quotatest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
)

func TestMemGoalStore(t *testing.T) {
	quotatest.RunGoalStoreTests(t, func(*testing.T) quota.GoalStore { return &quotatest.MemGoalStore{} })
}

// NewMemGoalStore returns a new, empty store on each call, as the
// NewMemStore of pipelinetest and trainingtest do, and it passes the suite.
func TestNewMemGoalStore(t *testing.T) {
	quotatest.RunGoalStoreTests(t, func(*testing.T) quota.GoalStore { return quotatest.NewMemGoalStore() })
	a, b := quotatest.NewMemGoalStore(), quotatest.NewMemGoalStore()
	require.NotNil(t, a)
	require.NotSame(t, a, b)
	target, err := sp.ParseMoney("1000.00 EUR")
	require.NoError(t, err)
	g := quota.Goal{Rep: "ann", Period: sp.Month(2026, time.November, time.UTC), Revenue: target}
	require.NoError(t, a.PutGoal(context.Background(), g))
	for _, err := range b.ListGoals(context.Background(), sp.Period{}) {
		assert.Fail(t, "a goal put in one store is in another", "err %v", err)
	}
	n := 0
	for got, err := range a.ListGoals(context.Background(), sp.Period{}) {
		require.NoError(t, err)
		assert.Equal(t, g.Key(), got.Key())
		n++
	}
	assert.Equal(t, 1, n)
}

// A nil context is invalid input, not a panic, and changes nothing.
func TestMemGoalStoreNilContext(t *testing.T) {
	var nilCtx context.Context
	var s quotatest.MemGoalStore
	target, err := sp.ParseMoney("1000.00 EUR")
	require.NoError(t, err)
	g := quota.Goal{Rep: "ann", Period: sp.Month(2026, time.November, time.UTC), Revenue: target}
	assert.ErrorIs(t, s.PutGoal(nilCtx, g), sp.ErrInvalid)
	n := 0
	for _, err := range s.ListGoals(nilCtx, sp.Period{}) {
		assert.ErrorIs(t, err, sp.ErrInvalid)
		n++
	}
	assert.Equal(t, 1, n)
	for _, err := range s.ListGoals(context.Background(), sp.Period{}) {
		assert.Fail(t, "a goal was stored", "err %v", err)
	}
}

// A nil *MemGoalStore is an error wrapping ErrInvalid (a listing yields it
// once), as a nil pipelinetest.MemStore is, not a panic.
func TestNilMemGoalStore(t *testing.T) {
	ctx := context.Background()
	var s *quotatest.MemGoalStore
	assert.NotPanics(t, func() {
		assert.ErrorIs(t, s.PutGoal(ctx, quota.Goal{}), sp.ErrInvalid)
		n := 0
		for _, err := range s.ListGoals(ctx, sp.Period{}) {
			assert.ErrorIs(t, err, sp.ErrInvalid)
			n++
		}
		assert.Equal(t, 1, n)
	})
}
