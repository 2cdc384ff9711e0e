package quotatest_test

import (
	"cmp"
	"context"
	"iter"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
)

// listsWhenCancelled lists the goals even though its context is done.
type listsWhenCancelled struct{ *quotatest.MemGoalStore }

func (s listsWhenCancelled) ListGoals(_ context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return s.MemGoalStore.ListGoals(context.Background(), p)
}

// cancelBlind looks at the context when a listing starts and not after:
// a store that lists every row it read though the context ends meanwhile.
type cancelBlind struct{ *quotatest.MemGoalStore }

func (s cancelBlind) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	if ctx.Err() != nil {
		return s.MemGoalStore.ListGoals(ctx, p)
	}
	return s.MemGoalStore.ListGoals(context.WithoutCancel(ctx), p)
}

// The broken stores below misbehave in the listing of every goal, of the
// zero Period, only, as a store whose listing of everything takes another
// path than its query by period.

// allCancelIgnored ignores the context of the listing of every goal, done
// when it starts or not.
type allCancelIgnored struct{ *quotatest.MemGoalStore }

func (s allCancelIgnored) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	if p.IsZero() {
		ctx = context.WithoutCancel(ctx)
	}
	return s.MemGoalStore.ListGoals(ctx, p)
}

// allCancelBlind looks at the context of the listing of every goal when
// it starts and not after.
type allCancelBlind struct{ *quotatest.MemGoalStore }

func (s allCancelBlind) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	if p.IsZero() && ctx.Err() == nil {
		ctx = context.WithoutCancel(ctx)
	}
	return s.MemGoalStore.ListGoals(ctx, p)
}

// allNoStop goes on yielding in the listing of every goal after the loop
// broke.
type allNoStop struct{ *quotatest.MemGoalStore }

func (s allNoStop) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	if !p.IsZero() {
		return s.MemGoalStore.ListGoals(ctx, p)
	}
	return func(yield func(quota.Goal, error) bool) {
		for g, err := range s.MemGoalStore.ListGoals(ctx, p) {
			yield(g, err)
		}
	}
}

// heldAfterStop keeps holding what a listing took when its loop breaks,
// as a store that does not close its cursor then: puts wait on it.
type heldAfterStop struct {
	*quotatest.MemGoalStore
	mu *sync.RWMutex
}

func (s heldAfterStop) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		for g, err := range s.MemGoalStore.ListGoals(ctx, p) {
			if !yield(g, err) {
				s.mu.RLock() // never released
				return
			}
			if err != nil {
				return
			}
		}
	}
}

func (s heldAfterStop) PutGoal(ctx context.Context, g quota.Goal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.MemGoalStore.PutGoal(ctx, g)
}

// writesWhenCancelled stores the goal even though its context is done,
// then reports the context's error.
type writesWhenCancelled struct{ *quotatest.MemGoalStore }

func (s writesWhenCancelled) PutGoal(ctx context.Context, g quota.Goal) error {
	if err := ctx.Err(); err != nil {
		_ = s.MemGoalStore.PutGoal(context.Background(), g)
		return err
	}
	return s.MemGoalStore.PutGoal(ctx, g)
}

// errThenMore yields the error of a done context and then goes on listing
// the goals.
type errThenMore struct{ *quotatest.MemGoalStore }

func (s errThenMore) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		if err := ctx.Err(); err != nil {
			if !yield(quota.Goal{}, err) {
				return
			}
		}
		for g, err := range s.MemGoalStore.ListGoals(context.Background(), p) {
			if !yield(g, err) {
				return
			}
		}
	}
}

// productDropped keeps no product: goals for one rep and period but
// different products overwrite each other.
type productDropped struct{ *quotatest.MemGoalStore }

func (s productDropped) PutGoal(ctx context.Context, g quota.Goal) error {
	g.Product = ""
	return s.MemGoalStore.PutGoal(ctx, g)
}

// repFirst orders goals by rep before the start of their period: a SQL
// store whose ORDER BY lists its columns in the wrong order.
type repFirst struct{ *quotatest.MemGoalStore }

func (s repFirst) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		var goals []quota.Goal
		for g, err := range s.MemGoalStore.ListGoals(ctx, p) {
			if err != nil {
				yield(quota.Goal{}, err)
				return
			}
			goals = append(goals, g)
		}
		slices.SortStableFunc(goals, func(a, b quota.Goal) int { return cmp.Compare(a.Rep, b.Rep) })
		for _, g := range goals {
			if !yield(g, nil) {
				return
			}
		}
	}
}

// lockedGoals holds its read lock while ListGoals yields, so that a PutGoal
// in the loop body waits on it.
type lockedGoals struct {
	*quotatest.MemGoalStore
	mu *sync.RWMutex
}

func (s lockedGoals) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		s.mu.RLock()
		defer s.mu.RUnlock()
		for g, err := range s.MemGoalStore.ListGoals(ctx, p) {
			if !yield(g, err) || err != nil {
				return
			}
		}
	}
}

func (s lockedGoals) PutGoal(ctx context.Context, g quota.Goal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.MemGoalStore.PutGoal(ctx, g)
}

// stopsOnPut ends a listing silently once a goal is put while it runs,
// as a store might whose cursor a write invalidates.
type stopsOnPut struct {
	*quotatest.MemGoalStore
	puts *atomic.Int64
}

func (s stopsOnPut) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		start := s.puts.Load()
		for g, err := range s.MemGoalStore.ListGoals(ctx, p) {
			if s.puts.Load() != start || !yield(g, err) || err != nil {
				return
			}
		}
	}
}

func (s stopsOnPut) PutGoal(ctx context.Context, g quota.Goal) error {
	err := s.MemGoalStore.PutGoal(ctx, g)
	if err == nil {
		s.puts.Add(1)
	}
	return err
}

// wallClockOverlap compares periods by their wall clocks, as if all were
// in UTC: a SQL store that keeps a period's bounds as local date and time
// and compares those.
type wallClockOverlap struct{ *quotatest.MemGoalStore }

func (s wallClockOverlap) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	wall := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	return func(yield func(quota.Goal, error) bool) {
		for g, err := range s.MemGoalStore.ListGoals(ctx, sp.Period{}) {
			if err == nil && !p.IsZero() &&
				!(wall(g.Period.Start()).Before(wall(p.End())) && wall(p.Start()).Before(wall(g.Period.End()))) {
				continue
			}
			if !yield(g, err) || err != nil {
				return
			}
		}
	}
}

// rowWithError yields the error of a context that ends while a listing
// runs together with the goal it has read, not with a zero one.
type rowWithError struct{ *quotatest.MemGoalStore }

func (s rowWithError) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(quota.Goal{}, err)
			return
		}
		for g, err := range s.MemGoalStore.ListGoals(context.WithoutCancel(ctx), p) {
			if err == nil {
				err = ctx.Err()
			}
			if !yield(g, err) || err != nil {
				return
			}
		}
	}
}

// caseFolded orders goals by their keys with case ignored: a SQL store
// whose columns have a collation other than byte order.
type caseFolded struct{ *quotatest.MemGoalStore }

func (s caseFolded) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		var goals []quota.Goal
		for g, err := range s.MemGoalStore.ListGoals(ctx, p) {
			if err != nil {
				yield(quota.Goal{}, err)
				return
			}
			goals = append(goals, g)
		}
		fold := func(s string) string { return strings.ToLower(s) }
		slices.SortStableFunc(goals, func(a, b quota.Goal) int {
			ka, kb := a.Key(), b.Key()
			return cmp.Or(a.Period.Start().Compare(b.Period.Start()),
				cmp.Compare(fold(string(ka.Rep)), fold(string(kb.Rep))),
				cmp.Compare(fold(string(ka.Region)), fold(string(kb.Region))),
				cmp.Compare(fold(string(ka.Product)), fold(string(kb.Product))),
				cmp.Compare(fold(ka.Period), fold(kb.Period)),
				cmp.Compare(fold(string(ka.Metric)), fold(string(kb.Metric))))
		})
		for _, g := range goals {
			if !yield(g, nil) {
				return
			}
		}
	}
}

// keyedByInstants takes goals whose periods span the same instants for
// the same goal, whatever their locations: a SQL store whose unique key
// holds the period's bounds instead of its text. A put of such a goal
// replaces the one stored, keeping its period.
type keyedByInstants struct{ *quotatest.MemGoalStore }

func (s keyedByInstants) PutGoal(ctx context.Context, g quota.Goal) error {
	for old, err := range s.MemGoalStore.ListGoals(ctx, g.Period) {
		if err != nil {
			return err
		}
		ko, kg := old.Key(), g.Key()
		if ko.Rep == kg.Rep && ko.Region == kg.Region && ko.Product == kg.Product && ko.Metric == kg.Metric &&
			old.Period.Start().Equal(g.Period.Start()) && old.Period.End().Equal(g.Period.End()) {
			g.Period = old.Period
			break
		}
	}
	return s.MemGoalStore.PutGoal(ctx, g)
}

// minorUnits keeps a revenue target in minor units of its currency: a
// SQL store whose amount column has two decimal places.
type minorUnits struct{ *quotatest.MemGoalStore }

func (s minorUnits) PutGoal(ctx context.Context, g quota.Goal) error {
	if !g.Revenue.IsUnset() {
		g.Revenue = g.Revenue.Round(sp.HalfUp)
	}
	return s.MemGoalStore.PutGoal(ctx, g)
}

// narrowed stores each goal as f changes it, as a store whose columns are
// narrower than a goal's parts: a float amount, a 32-bit count, bounds in
// microseconds, IDs folded to lower case.
type narrowed struct {
	*quotatest.MemGoalStore
	f func(quota.Goal) quota.Goal
}

func (s narrowed) PutGoal(ctx context.Context, g quota.Goal) error {
	return s.MemGoalStore.PutGoal(ctx, s.f(g))
}

// capped lists at most 100 goals, as a store whose query has a LIMIT.
type capped struct{ *quotatest.MemGoalStore }

func (s capped) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		n := 0
		for g, err := range s.MemGoalStore.ListGoals(ctx, p) {
			if n++; n > 100 || !yield(g, err) {
				return
			}
		}
	}
}

// cancelledForAnyEnd reports context.Canceled when its context is done,
// past its deadline too.
type cancelledForAnyEnd struct{ *quotatest.MemGoalStore }

func (s cancelledForAnyEnd) PutGoal(ctx context.Context, g quota.Goal) error {
	if ctx.Err() != nil {
		return context.Canceled
	}
	return s.MemGoalStore.PutGoal(ctx, g)
}

// doneSeenPerRow looks at the context before each goal it yields only, so
// that an empty listing yields nothing whatever the context.
type doneSeenPerRow struct{ *quotatest.MemGoalStore }

func (s doneSeenPerRow) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		for g, err := range s.MemGoalStore.ListGoals(context.WithoutCancel(ctx), p) {
			if ctx.Err() != nil {
				yield(quota.Goal{}, ctx.Err())
				return
			}
			if !yield(g, err) {
				return
			}
		}
	}
}

var brokenStores = map[string]struct {
	store  func() quota.GoalStore
	clause string // what the suite must say
}{
	"listing_stops_while_writing": {
		func() quota.GoalStore { return stopsOnPut{&quotatest.MemGoalStore{}, new(atomic.Int64)} },
		"ListGoals whose loop body writes must yield each goal once: got 1, want 2",
	},
	"listing_holds_lock": {
		func() quota.GoalStore { return lockedGoals{&quotatest.MemGoalStore{}, new(sync.RWMutex)} },
		"ListGoals must let its loop body call the store",
	},
	"lists_when_cancelled": {
		func() quota.GoalStore { return listsWhenCancelled{&quotatest.MemGoalStore{}} },
		"ListGoals with a done context: got <nil>, want context.Canceled",
	},
	"product_dropped": {
		func() quota.GoalStore { return productDropped{&quotatest.MemGoalStore{}} },
		"ListGoals must return every goal put, whole, goals of keys that differ in one part apart",
	},
	"ordered_by_rep_first": {
		func() quota.GoalStore { return repFirst{&quotatest.MemGoalStore{}} },
		"ordered by period start, rep, region, product, period text and metric",
	},
	"cancel_while_listing_ignored": {
		func() quota.GoalStore { return cancelBlind{&quotatest.MemGoalStore{}} },
		"ListGoals whose context is cancelled while it runs must yield its error once and stop",
	},
	"cancelled_put_writes": {
		func() quota.GoalStore { return writesWhenCancelled{&quotatest.MemGoalStore{}} },
		"PutGoal with a done context must store nothing",
	},
	"overlap_on_the_wall_clock": {
		func() quota.GoalStore { return wallClockOverlap{&quotatest.MemGoalStore{}} },
		"ListGoals must return the goals whose periods share an instant with it, whatever their zones",
	},
	"error_with_a_goal": {
		func() quota.GoalStore { return rowWithError{&quotatest.MemGoalStore{}} },
		"ListGoals whose context is cancelled while it runs must yield its error once and stop, with a zero Goal: got 2 pairs, 1 errors (with a goal: true)",
	},
	"ordered_with_case_folded": {
		func() quota.GoalStore { return caseFolded{&quotatest.MemGoalStore{}} },
		"ordered by period start, rep, region, product, period text and metric",
	},
	"keyed_by_instants": {
		func() quota.GoalStore { return keyedByInstants{&quotatest.MemGoalStore{}} },
		"PutGoal must keep apart goals whose periods span the same instants in other locations",
	},
	"revenue_in_minor_units": {
		func() quota.GoalStore { return minorUnits{&quotatest.MemGoalStore{}} },
		"ListGoals must return every goal put, whole",
	},
	"all_lists_when_cancelled": {
		func() quota.GoalStore { return allCancelIgnored{&quotatest.MemGoalStore{}} },
		"ListGoals of the zero Period with a done context: got <nil>, want context.Canceled",
	},
	"all_cancel_while_listing_ignored": {
		func() quota.GoalStore { return allCancelBlind{&quotatest.MemGoalStore{}} },
		"ListGoals of the zero Period whose context is cancelled while it runs must yield its error once and stop",
	},
	"all_no_early_stop": {
		func() quota.GoalStore { return allNoStop{&quotatest.MemGoalStore{}} },
		"ListGoals of the zero Period must stop when iteration stops",
	},
	"held_after_early_stop": {
		func() quota.GoalStore { return heldAfterStop{&quotatest.MemGoalStore{}, new(sync.RWMutex)} },
		"ListGoals must release what it holds when iteration stops",
	},
	"listing_goes_on_after_error": {
		func() quota.GoalStore { return errThenMore{&quotatest.MemGoalStore{}} },
		"a failing listing yields one (zero Goal, error) pair and stops",
	},
	"revenue_as_float": {
		narrowStore(func(g quota.Goal) quota.Goal {
			if !g.Revenue.IsUnset() {
				f, _ := g.Revenue.Amount().Float64()
				g.Revenue, _ = sp.NewMoney(decimal.NewFromFloat(f), g.Revenue.Currency())
			}
			return g
		}),
		"ListGoals must return every goal put whole",
	},
	"deals_in_32_bits": {
		narrowStore(func(g quota.Goal) quota.Goal { g.Deals = int64(int32(g.Deals)); return g }),
		"ListGoals must return every goal put whole",
	},
	"bounds_in_microseconds": {
		narrowStore(func(g quota.Goal) quota.Goal {
			loc := g.Period.Location()
			g.Period, _ = sp.NewPeriod(g.Period.Start().Truncate(time.Microsecond).In(loc), g.Period.End().Truncate(time.Microsecond).In(loc))
			return g
		}),
		"ListGoals must return every goal put whole",
	},
	"ids_folded_to_lower_case": {
		narrowStore(func(g quota.Goal) quota.Goal { g.Rep = sp.RepID(strings.ToLower(string(g.Rep))); return g }),
		"ListGoals must return every goal put whole",
	},
	"listing_capped": {
		func() quota.GoalStore { return capped{&quotatest.MemGoalStore{}} },
		"must return every goal overlapping it, a year's too: got 100 of 300",
	},
	"cancelled_for_any_end": {
		func() quota.GoalStore { return cancelledForAnyEnd{&quotatest.MemGoalStore{}} },
		"PutGoal with a context past its deadline: got context canceled, want context.DeadlineExceeded",
	},
	"done_seen_per_row": {
		func() quota.GoalStore { return doneSeenPerRow{&quotatest.MemGoalStore{}} },
		"of an empty store with a context past its deadline: got [], want context.DeadlineExceeded once",
	},
}

// narrowStore returns a new [narrowed] store of f.
func narrowStore(f func(quota.Goal) quota.Goal) func() quota.GoalStore {
	return func() quota.GoalStore { return narrowed{&quotatest.MemGoalStore{}, f} }
}

// The suite fails each broken store, naming the clause it breaks. Each
// runs the suite in a child process, since a failing suite fails its test.
func TestRunGoalStoreTestsCatchesBrokenStores(t *testing.T) {
	if name := os.Getenv("QUOTATEST_BROKEN_STORE"); name != "" {
		b := brokenStores[name]
		quotatest.RunGoalStoreTests(t, func(*testing.T) quota.GoalStore { return b.store() })
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for name, b := range brokenStores {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunGoalStoreTestsCatchesBrokenStores$", "-test.v")
			cmd.Env = append(os.Environ(), "QUOTATEST_BROKEN_STORE="+name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite must fail the store:\n%s", out)
			assert.Contains(t, string(out), b.clause)
		})
	}
}

// A nil newStore, or one that returns a nil GoalStore, fails the suite
// with a message saying so, where it panicked.
func TestRunGoalStoreTestsRefusesNilStores(t *testing.T) {
	switch os.Getenv("QUOTATEST_NIL_STORE") {
	case "func":
		quotatest.RunGoalStoreTests(t, nil)
		return
	case "store":
		quotatest.RunGoalStoreTests(t, func(*testing.T) quota.GoalStore { return nil })
		return
	}
	for _, c := range []struct{ name, want string }{{"func", "nil newStore"}, {"store", "newStore returned a nil store"}} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunGoalStoreTestsRefusesNilStores$", "-test.v")
			cmd.Env = append(os.Environ(), "QUOTATEST_NIL_STORE="+c.name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite must fail:\n%s", out)
			assert.True(t, strings.Contains(string(out), c.want) && !strings.Contains(string(out), "panic"),
				"the suite must fail saying %q, without a panic:\n%s", c.want, out[max(0, len(out)-1500):])
		})
	}
}
