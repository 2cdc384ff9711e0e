package quotatest

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// MemGoalStore is a [quota.GoalStore] in memory. The zero MemGoalStore is
// empty and ready to use; it is safe for concurrent use and must not be
// copied after first use. A nil ctx, or a nil *MemGoalStore, is an error
// wrapping [sp.ErrInvalid] (ListGoals yields it).
type MemGoalStore struct {
	mu    sync.Mutex
	goals map[quota.GoalKey]quota.Goal
}

var _ quota.GoalStore = (*MemGoalStore)(nil)

// NewMemGoalStore returns an empty MemGoalStore, as the zero one is.
func NewMemGoalStore() *MemGoalStore { return &MemGoalStore{} }

// PutGoal stores g, replacing the goal with the same key; see
// [quota.GoalStore].
func (s *MemGoalStore) PutGoal(ctx context.Context, g quota.Goal) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return fmt.Errorf("quotatest: put goal: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.goals == nil {
		s.goals = map[quota.GoalKey]quota.Goal{}
	}
	s.goals[g.Key()] = g
	return nil
}

// ListGoals returns the goals whose periods overlap p, all goals for the
// zero Period, in the order of [quota.GoalStore]. The sequence reads a
// snapshot taken when iteration starts; it may be used again.
func (s *MemGoalStore) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		if err := s.check(ctx); err != nil {
			yield(quota.Goal{}, err)
			return
		}
		s.mu.Lock()
		var out []quota.Goal
		for _, g := range s.goals {
			if p.IsZero() || g.Period.Overlaps(p) {
				out = append(out, g)
			}
		}
		s.mu.Unlock()
		slices.SortFunc(out, quota.CompareGoals)
		for _, g := range out {
			if err := ctxErr(ctx); err != nil {
				yield(quota.Goal{}, err)
				return
			}
			if !yield(g, nil) {
				return
			}
		}
	}
}

// Compare orders goals as [quota.GoalStore.ListGoals] returns them.
//
// Deprecated: Use [quota.CompareGoals], which a store outside tests can
// use without importing this package.
func Compare(a, b quota.Goal) int { return quota.CompareGoals(a, b) }

// check returns the error of a nil s, or of a nil or done ctx.
func (s *MemGoalStore) check(ctx context.Context) error {
	if s == nil {
		return fmt.Errorf("quotatest: nil store: %w", sp.ErrInvalid)
	}
	return ctxErr(ctx)
}

// ctxErr returns the error of a nil or done ctx.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("quotatest: %w", sp.Invalid("ctx", "nil context"))
	}
	return ctx.Err()
}
