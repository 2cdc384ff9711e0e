package quota

import (
	"cmp"
	"context"
	"iter"

	sp "github.com/salesprocess/salesprocess"
)

// GoalKey identifies a goal in a [GoalStore]: its subject, product, period
// (in its text form, location included) and metric. It is comparable. The
// zero GoalKey names no metric, which every goal's key does: it is the key
// of no goal.
type GoalKey struct {
	Rep     sp.RepID     `json:"rep,omitempty"`
	Region  sp.RegionID  `json:"region,omitempty"`
	Product sp.ProductID `json:"product,omitempty"`
	Period  string       `json:"period"`
	Metric  Metric       `json:"metric"`
}

// Key returns the identity of g: two goals with the same key are the same
// goal, perhaps with different targets.
func (g Goal) Key() GoalKey {
	return GoalKey{Rep: g.Rep, Region: g.Region, Product: g.Product, Period: g.Period.String(), Metric: g.Metric()}
}

// GoalStore keeps goals for hosts that store them; the calculators take
// goals as values and need no store. quota/quotatest holds an in-memory
// implementation and a conformance suite. Implementations must be safe for
// concurrent use, and every method returns ctx.Err() (or an error wrapping
// it) when ctx is done before it completes: [context.Canceled] or
// [context.DeadlineExceeded], as ctx says.
//
// The verb of a method says what it does, here as in the stores of
// pipeline and training. Reads: List streams the records its arguments
// select, as an [iter.Seq2] sequence in the order the method states
// (ListGoals); Get reads one record by its key, a key not stored being
// [sp.ErrNotFound] (none here). Writes: Put for a write that stores a
// record or replaces the one with its key (PutGoal); Create and Update for
// a record that changes under optimistic concurrency, and Add for an entry
// that is only ever added, where a key stored already is [sp.ErrDuplicate]
// (none here).
type GoalStore interface {
	// PutGoal stores g whole, replacing the stored goal with the same
	// [Goal.Key]: its target exactly (the amount by value, with its
	// currency; any count of deals), its IDs byte for byte, its period's
	// bounds to the nanosecond in its location. An invalid goal
	// ([Goal.Validate]) is an error wrapping [sp.ErrInvalid], and nothing
	// is stored; so is nothing with a ctx done when PutGoal is called.
	PutGoal(ctx context.Context, g Goal) error

	// ListGoals returns the stored goals whose periods overlap p, sharing an
	// instant with it as [sp.Period.Overlaps] tells whatever their locations
	// (all goals for the zero Period), ordered by the instant their period
	// starts, then by rep, region, product, period text and metric, in byte
	// order, as [CompareGoals] orders them. [RollUp], which compares periods on the wall clock, skips those of
	// the neighbouring months in other zones. An error is yielded once, with a
	// zero Goal, and ends the sequence; a done ctx is such an error: done when
	// the iteration starts, it is all the sequence yields, even when no goal is
	// selected; done while the listing runs, it ends the sequence (the store
	// may first yield goals it had read). Iteration may stop early; the store
	// then releases what it holds. The sequence may be single-use. The loop
	// body may call the store, PutGoal included: a store must not hold, while
	// it yields, a lock or a connection that such a call would wait for, and
	// yields each goal it selects once, though the body replaces it.
	ListGoals(ctx context.Context, p sp.Period) iter.Seq2[Goal, error]
}

// CompareGoals orders goals as [GoalStore.ListGoals] returns them: by the
// instant their period starts, then by rep, region, product, period text
// and metric, in byte order. It returns 0 for goals of the same
// [Goal.Key], which a store keeps one of.
func CompareGoals(a, b Goal) int {
	if c := cmp.Or(
		a.Period.Start().Compare(b.Period.Start()),
		cmp.Compare(a.Rep, b.Rep),
		cmp.Compare(a.Region, b.Region),
		cmp.Compare(a.Product, b.Product),
	); c != 0 {
		return c
	}
	// Only goals of one start and subject format their periods.
	ka, kb := a.Key(), b.Key()
	return cmp.Or(cmp.Compare(ka.Period, kb.Period), cmp.Compare(ka.Metric, kb.Metric))
}
