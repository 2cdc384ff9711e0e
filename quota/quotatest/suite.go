package quotatest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// RunGoalStoreTests checks a [quota.GoalStore] against its contract.
// newStore must return a new, empty store for each subtest; a nil
// newStore, or a nil store from it, fails t. Every failure names the
// clause of the contract it breaks. Run it with the race detector (go test
// -race): a store that reads or writes its state without the locks it
// needs passes without it.
func RunGoalStoreTests(t *testing.T, newStore func(*testing.T) quota.GoalStore) {
	if newStore == nil {
		t.Fatal("quotatest: RunGoalStoreTests: nil newStore")
	}
	newStore = nonNil(newStore)
	ctx := context.Background()
	nov := sp.Month(2026, time.November, nil)
	eur := func(cents int64) sp.Money {
		m, _ := sp.NewMoneyFromMinor(cents, "EUR")
		return m
	}
	usd := func(amount string) sp.Money {
		m, _ := sp.ParseMoney(amount + " USD")
		return m
	}
	collect := func(t *testing.T, s quota.GoalStore, p sp.Period) []quota.Goal {
		t.Helper()
		var out []quota.Goal
		for g, err := range s.ListGoals(ctx, p) {
			if err != nil {
				t.Fatalf("ListGoals: unexpected error %v", err)
			}
			out = append(out, g)
		}
		return out
	}

	t.Run("put_then_list", func(t *testing.T) {
		s := newStore(t)
		g := quota.Goal{Rep: "r1", Region: "north", Period: nov, Revenue: eur(100000)}
		if err := s.PutGoal(ctx, g); err != nil {
			t.Fatalf("PutGoal of a valid goal: %v", err)
		}
		got := collect(t, s, nov)
		if len(got) != 1 || got[0].Key() != g.Key() || !got[0].Revenue.Equal(g.Revenue) || !got[0].Period.Equal(g.Period) {
			t.Fatalf("ListGoals after PutGoal: got %v, want [%v]", got, g)
		}
	})
	t.Run("put_replaces_same_key", func(t *testing.T) {
		// Each pair has one key: the second goal replaces the first
		// whole, its amount, its currency or its count of deals.
		for name, pair := range map[string][2]quota.Goal{
			"revenue":  {{Rep: "r1", Period: nov, Revenue: eur(100000)}, {Rep: "r1", Period: nov, Revenue: eur(250000)}},
			"currency": {{Rep: "r1", Period: nov, Revenue: eur(100000)}, {Rep: "r1", Period: nov, Revenue: usd("2500.00")}},
			"deals":    {{Rep: "r1", Period: nov, Deals: 3}, {Rep: "r1", Period: nov, Deals: 7}},
		} {
			t.Run(name, func(t *testing.T) {
				s := newStore(t)
				for _, g := range pair {
					if err := s.PutGoal(ctx, g); err != nil {
						t.Fatalf("PutGoal(%v): %v", g, err)
					}
				}
				got := collect(t, s, sp.Period{})
				if len(got) != 1 || !sameGoal(got[0], pair[1]) {
					t.Fatalf("PutGoal must replace the goal with the same key, whole: got %v, want [%v]", got, pair[1])
				}
			})
		}
	})
	t.Run("kept_whole", func(t *testing.T) {
		// Values, IDs and periods a store's columns may narrow: each goal
		// comes back as it was put, apart from the others, in byte order.
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatalf("time zone data: %v", err)
		}
		// Three hours from the second 01:30 of 1 November in New York, when
		// the clocks went back: its wall clock is that of the first.
		repeated, err := sp.NewPeriod(time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC).In(ny), time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC).In(ny))
		if err != nil {
			t.Fatalf("fixture: %v", err)
		}
		fine, err := sp.NewPeriod(nov.Start().Add(1), nov.Start().Add(time.Hour+999_999_999))
		if err != nil {
			t.Fatalf("fixture: %v", err)
		}
		long := strings.Repeat("x", sp.MaxIDLength-8)
		want := []quota.Goal{
			{Rep: "big", Period: nov, Revenue: usd("12345678901234567.89")},
			{Rep: "small", Period: nov, Revenue: eur(1)},
			{Rep: "many", Period: nov, Deals: 1<<62 + 1},
			{Rep: "r1", Period: nov, Deals: 1},
			{Rep: "R1", Period: nov, Deals: 2},
			{Rep: sp.RepID(long + "a"), Period: nov, Deals: 3},
			{Rep: sp.RepID(long + "b"), Period: nov, Deals: 4},
			{Rep: "Zoë", Region: "Île-de-France", Product: "产品", Period: nov, Deals: 5},
			{Rep: "\uFF21", Period: nov, Deals: 6},     // fullwidth A: before the emoji in bytes, after it in UTF-16
			{Rep: "\U0001F600", Period: nov, Deals: 7}, // an emoji
			{Rep: "r1", Period: repeated, Deals: 8},
			{Rep: "r1", Period: fine, Deals: 9},
		}
		s := newStore(t)
		for _, g := range want {
			if err := s.PutGoal(ctx, g); err != nil {
				t.Fatalf("PutGoal of a valid goal %v: %v", g, err)
			}
		}
		slices.SortFunc(want, quota.CompareGoals)
		if got := collect(t, s, sp.Period{}); !slices.EqualFunc(got, want, sameGoal) {
			t.Fatalf("ListGoals must return every goal put whole (amounts and counts exact, IDs as given, bounds to the nanosecond and in their zone), apart from the goals of other keys, in byte order:\n got: %v\nwant: %v", got, want)
		}
	})
	t.Run("same_instants_other_location_kept_apart", func(t *testing.T) {
		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			t.Fatalf("time zone data: %v", err)
		}
		s := newStore(t)
		// November 2026 in London, on GMT, spans the instants of November
		// in UTC; its text, location included, and so its key differ.
		utc := quota.Goal{Rep: "r1", Period: nov, Deals: 1}
		ldn := quota.Goal{Rep: "r1", Period: sp.Month(2026, time.November, london), Deals: 2}
		for _, g := range []quota.Goal{utc, ldn} {
			if err := s.PutGoal(ctx, g); err != nil {
				t.Fatalf("PutGoal(%v): %v", g, err)
			}
		}
		got := collect(t, s, sp.Period{})
		if len(got) != 2 || got[0].Key() != utc.Key() || got[0].Deals != 1 || !got[0].Period.Equal(utc.Period) ||
			got[1].Key() != ldn.Key() || got[1].Deals != 2 || !got[1].Period.Equal(ldn.Period) {
			t.Fatalf("PutGoal must keep apart goals whose periods span the same instants in other locations, their keys being apart: got %v, want [%v %v]", got, utc, ldn)
		}
	})
	t.Run("invalid_goal_refused", func(t *testing.T) {
		kept := quota.Goal{Rep: "r1", Period: nov, Revenue: eur(100)}
		for name, g := range map[string]quota.Goal{
			"no_target":        {Rep: "r1", Period: nov},
			"zero_period":      {Rep: "r1", Deals: 1},
			"two_targets":      {Rep: "r1", Period: nov, Revenue: eur(100), Deals: 1},
			"negative_revenue": {Rep: "r1", Period: nov, Revenue: eur(-100)},
			"negative_deals":   {Rep: "r1", Period: nov, Deals: -1},
			"empty_rep_id":     {Rep: " ", Period: nov, Revenue: eur(100)},
			"rep_id_with_nul":  {Rep: "r\x001", Period: nov, Revenue: eur(100)},
			"far_period":       {Rep: "r1", Period: sp.Month(10000, time.January, nil), Revenue: eur(100)},
			"region_id":        {Region: " north", Period: nov, Deals: 1},
			"product_id":       {Rep: "r1", Product: "p\x001", Period: nov, Deals: 1},
			"zone_unnamed":     {Rep: "r1", Period: sp.Month(2026, time.November, time.FixedZone("XYZ", 3600)), Deals: 1},
			"zero_revenue":     {Rep: "r1", Period: nov, Revenue: eur(0)},
		} {
			t.Run(name, func(t *testing.T) {
				s := newStore(t)
				if err := s.PutGoal(ctx, kept); err != nil {
					t.Fatalf("PutGoal of a valid goal: %v", err)
				}
				err := s.PutGoal(ctx, g)
				if !errors.Is(err, sp.ErrInvalid) {
					t.Fatalf("PutGoal of an invalid goal: got %v, want an error wrapping ErrInvalid", err)
				}
				got := collect(t, s, sp.Period{})
				if len(got) != 1 || got[0].Key() != kept.Key() || !got[0].Revenue.Equal(kept.Revenue) {
					t.Fatalf("an invalid goal must not be stored nor change a stored one: got %v", got)
				}
			})
		}
	})
	t.Run("overlap_and_order", func(t *testing.T) {
		s := newStore(t)
		goals := []quota.Goal{
			{Rep: "r2", Period: nov, Deals: 3},
			{Rep: "r1", Period: nov, Revenue: eur(1)},
			{Rep: "r1", Period: nov, Deals: 1},
			{Region: "north", Period: nov, Revenue: eur(2)},
			{Period: sp.Quarter(2026, 4, nil), Revenue: eur(3)},
			{Rep: "r1", Period: nov.Next(), Revenue: eur(4)},
			{Rep: "r1", Period: nov.Prev(), Revenue: eur(5)},
		}
		for _, g := range goals {
			if err := s.PutGoal(ctx, g); err != nil {
				t.Fatalf("PutGoal(%v): %v", g, err)
			}
		}
		got := collect(t, s, nov)
		var keys []string
		for _, g := range got {
			keys = append(keys, g.String())
		}
		if len(got) != 5 {
			var want []string
			for _, g := range goals[:5] { // the goals of November and of the fourth quarter
				want = append(want, g.String())
			}
			t.Fatalf("ListGoals(%s) must return the goals overlapping it, and only those: got %d: %v; want the 5 of %v", nov, len(got), keys, want)
		}
		if !slices.IsSortedFunc(got, quota.CompareGoals) {
			t.Fatalf("ListGoals must be ordered by period start, rep, region, product, period, metric: got %v", keys)
		}
		if all := collect(t, s, sp.Period{}); len(all) != len(goals) {
			t.Fatalf("ListGoals of the zero Period must return every goal: got %d of %d", len(all), len(goals))
		}
	})
	t.Run("long_and_many", func(t *testing.T) {
		// A goal for a year overlaps November, however long before it it
		// starts; a listing returns every goal it selects, however many.
		s := newStore(t)
		year := quota.Goal{Rep: "r0", Period: sp.Year(2026, nil), Revenue: eur(1)}
		if err := s.PutGoal(ctx, year); err != nil {
			t.Fatalf("PutGoal(%v): %v", year, err)
		}
		for i := 1; i < many; i++ {
			if err := s.PutGoal(ctx, quota.Goal{Rep: sp.RepID(fmt.Sprintf("r%04d", i)), Period: nov, Deals: int64(i)}); err != nil {
				t.Fatalf("PutGoal: %v", err)
			}
		}
		for _, p := range []sp.Period{nov, {}} {
			got := collect(t, s, p)
			if len(got) != many || !sameGoal(got[0], year) {
				t.Fatalf("ListGoals(%s) must return every goal overlapping it, a year's too: got %d of %d, the first %v", p, len(got), many, got[:min(1, len(got))])
			}
		}
	})
	t.Run("overlap_by_instants_across_zones", func(t *testing.T) {
		ny, errNY := time.LoadLocation("America/New_York")
		tokyo, errTokyo := time.LoadLocation("Asia/Tokyo")
		if errNY != nil || errTokyo != nil {
			t.Fatalf("time zone data: %v", errors.Join(errNY, errTokyo))
		}
		s := newStore(t)
		// UTC November runs from 1 November 00:00 UTC to 1 December 00:00
		// UTC; New York's months start 4 or 5 hours later, Tokyo's 9
		// hours earlier.
		goals := map[string]quota.Goal{
			"New York October":  {Rep: "ny", Period: sp.Month(2026, time.October, ny), Deals: 10},    // ends 1 Nov 04:00 UTC
			"New York November": {Rep: "ny", Period: sp.Month(2026, time.November, ny), Deals: 11},   // from 1 Nov 04:00 UTC
			"New York December": {Rep: "ny", Period: sp.Month(2026, time.December, ny), Deals: 12},   // from 1 Dec 05:00 UTC
			"Tokyo October":     {Rep: "tk", Period: sp.Month(2026, time.October, tokyo), Deals: 20}, // ends 31 Oct 15:00 UTC
			"Tokyo November":    {Rep: "tk", Period: sp.Month(2026, time.November, tokyo), Deals: 21},
			"Tokyo December":    {Rep: "tk", Period: sp.Month(2026, time.December, tokyo), Deals: 22}, // from 30 Nov 15:00 UTC
			"UTC October":       {Rep: "utc", Period: nov.Prev(), Deals: 30},
			"UTC November":      {Rep: "utc", Period: nov, Deals: 31},
			"UTC December":      {Rep: "utc", Period: nov.Next(), Deals: 32},
		}
		for _, g := range goals {
			if err := s.PutGoal(ctx, g); err != nil {
				t.Fatalf("PutGoal(%v): %v", g, err)
			}
		}
		names := func(gs []quota.Goal) []string {
			var out []string
			for _, g := range gs {
				for name, w := range goals {
					if w.Key() == g.Key() {
						out = append(out, name)
					}
				}
			}
			return out
		}
		for _, tc := range []struct {
			p    sp.Period
			want []string // in the order ListGoals returns them
		}{
			{nov, []string{"New York October", "Tokyo November", "UTC November", "New York November", "Tokyo December"}},
			{sp.Month(2026, time.November, ny), []string{"Tokyo November", "UTC November", "New York November", "Tokyo December", "UTC December"}},
		} {
			if got := names(collect(t, s, tc.p)); !slices.Equal(got, tc.want) {
				t.Errorf("ListGoals must return the goals whose periods share an instant with it, whatever their zones, in order: ListGoals(%s) got %q, want %q", tc.p, got, tc.want)
			}
		}
	})
	t.Run("kept_apart_whole_and_in_order", func(t *testing.T) {
		s := newStore(t)
		half, err := sp.NewPeriod(nov.Start(), nov.Start().AddDate(0, 0, 15))
		if err != nil {
			t.Fatalf("fixture: %v", err)
		}
		// Goals whose keys differ in one part only, in the order ListGoals
		// must return them: by the instant their period starts, then by
		// rep, region, product, period text and metric, byte-wise.
		want := []quota.Goal{
			{Period: sp.Quarter(2026, 4, nil), Revenue: eur(300)},
			{Period: nov, Revenue: eur(500)},
			{Period: nov, Deals: 5},
			// A target finer than the currency's minor unit, in another
			// currency: a store keeps both as given.
			{Region: "north", Period: nov, Revenue: usd("200.125")},
			{Region: "north", Period: nov, Deals: 9},
			// Byte order puts "R9" before "r1": a collation that ignores
			// case puts it after "r2".
			{Rep: "R9", Period: nov, Deals: 10},
			{Rep: "r1", Period: nov, Revenue: eur(100)},
			{Rep: "r1", Period: nov, Deals: 1},
			{Rep: "r1", Period: half, Deals: 2},
			{Rep: "r1", Product: "p1", Period: nov, Deals: 3},
			{Rep: "r1", Region: "north", Period: nov, Deals: 4},
			{Rep: "r2", Period: nov, Deals: 7},
			{Rep: "a0", Period: nov.Next(), Deals: 8},
		}
		// The same month in a zone behind UTC starts hours later, and its
		// text names the zone: another key, after the UTC month.
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatalf("time zone data: %v", err)
		}
		want = slices.Insert(want, len(want)-1, quota.Goal{Rep: "r1", Period: sp.Month(2026, time.November, ny), Deals: 6})
		// Put the odd ones first, then the even ones: neither the order of
		// the puts nor its reverse is the answer.
		for _, first := range []int{1, 0} {
			for i := first; i < len(want); i += 2 {
				if err := s.PutGoal(ctx, want[i]); err != nil {
					t.Fatalf("PutGoal(%v): %v", want[i], err)
				}
			}
		}
		got := collect(t, s, sp.Period{})
		str := func(gs []quota.Goal) []string {
			var out []string
			for _, g := range gs {
				out = append(out, fmt.Sprintf("%s/%s/%s/%s/%s: %s %d", g.Rep, g.Region, g.Product, g.Period, g.Metric(), g.Revenue, g.Deals))
			}
			return out
		}
		if !slices.EqualFunc(got, want, func(a, b quota.Goal) bool {
			return a.Key() == b.Key() && a.Period.Equal(b.Period) && a.Revenue.Equal(b.Revenue) && a.Deals == b.Deals
		}) {
			t.Fatalf("ListGoals must return every goal put, whole, goals of keys that differ in one part apart, ordered by period start, rep, region, product, period text and metric, in byte order:\n got: %v\nwant: %v", str(got), str(want))
		}
	})
	// The listings checked for a done context and an early stop: of a
	// period and of every goal, which a store may read another way.
	forms := []struct {
		name string
		p    sp.Period
	}{{"ListGoals", nov}, {"ListGoals of the zero Period", sp.Period{}}}
	t.Run("early_stop", func(t *testing.T) {
		s := newStore(t)
		for i := range 5 {
			if err := s.PutGoal(ctx, quota.Goal{Rep: sp.RepID(fmt.Sprintf("r%d", i)), Period: nov, Deals: 1}); err != nil {
				t.Fatalf("PutGoal: %v", err)
			}
		}
		for _, form := range forms {
			// Called directly rather than by a range loop, whose body the
			// runtime would not let the store call again.
			n := 0
			s.ListGoals(ctx, form.p)(func(quota.Goal, error) bool {
				n++
				return n < 2
			})
			if n != 2 {
				t.Fatalf("%s must stop when iteration stops: got %d", form.name, n)
			}
			// The store then releases what it holds: a put, on a
			// goroutine of its own, must not wait on the stopped listing.
			put := make(chan error, 1)
			go func() { put <- s.PutGoal(ctx, quota.Goal{Rep: "r0", Period: nov, Deals: 2}) }()
			select {
			case err := <-put:
				if err != nil {
					t.Fatalf("PutGoal after an early stop of %s: want nil, got %v", form.name, err)
				}
			case <-time.After(stuckAfter):
				t.Fatalf("%s must release what it holds when iteration stops: PutGoal after an early stop still waits after %v", form.name, stuckAfter)
			}
		}
	})
	t.Run("loop_calls_store", func(t *testing.T) {
		s := newStore(t)
		for _, rep := range []sp.RepID{"r1", "r2"} {
			if err := s.PutGoal(ctx, quota.Goal{Rep: rep, Period: nov, Deals: 1}); err != nil {
				t.Fatalf("PutGoal: %v", err)
			}
		}
		// The loop runs on a goroutine of its own, so that a store that
		// makes it wait on itself fails the test instead of hanging it.
		done := make(chan []string, 1)
		go func() {
			var problems []string
			n := 0
			for g, err := range s.ListGoals(ctx, nov) {
				if err != nil {
					problems = append(problems, fmt.Sprintf("ListGoals whose loop body calls the store: want no error, got %v", err))
					break
				}
				n++
				g.Deals++
				if err := s.PutGoal(ctx, g); err != nil {
					problems = append(problems, fmt.Sprintf("PutGoal in the loop body of ListGoals: want nil, got %v", err))
				}
				for _, err := range s.ListGoals(ctx, nov) {
					if err != nil {
						problems = append(problems, fmt.Sprintf("ListGoals in the loop body of ListGoals: want no error, got %v", err))
						break
					}
				}
			}
			if n != 2 {
				problems = append(problems, fmt.Sprintf("ListGoals whose loop body writes must yield each goal once: got %d, want 2", n))
			}
			done <- problems
		}()
		select {
		case problems := <-done:
			for _, p := range problems {
				t.Error(p)
			}
		case <-time.After(stuckAfter):
			t.Fatalf("ListGoals must let its loop body call the store: PutGoal and ListGoals in the loop body still wait after %v", stuckAfter)
		}
	})
	t.Run("cancelled_context", func(t *testing.T) {
		s := newStore(t)
		// Goals to list, so that a store that ignores the context has
		// something to yield.
		for _, g := range []quota.Goal{{Rep: "r1", Period: nov, Deals: 1}, {Rep: "r2", Period: nov, Deals: 2}} {
			if err := s.PutGoal(ctx, g); err != nil {
				t.Fatalf("PutGoal of a valid goal: %v", err)
			}
		}
		done, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.PutGoal(done, quota.Goal{Period: nov, Deals: 1}); !errors.Is(err, context.Canceled) {
			t.Fatalf("PutGoal with a done context: got %v, want context.Canceled", err)
		}
		if got := collect(t, s, nov); len(got) != 2 {
			t.Fatalf("PutGoal with a done context must store nothing: got %d goals, want 2", len(got))
		}
		for _, form := range forms {
			var yielded int
			for g, err := range s.ListGoals(done, form.p) {
				yielded++
				if yielded > 1 {
					t.Fatalf("a failing listing yields one (zero Goal, error) pair and stops: %s got (%v, %v) after it", form.name, g, err)
				}
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("%s with a done context: got %v, want context.Canceled", form.name, err)
				}
				if g != (quota.Goal{}) {
					t.Fatalf("a failing listing yields one (zero Goal, error) pair and stops: %s got %v with the error", form.name, g)
				}
			}
			if yielded == 0 {
				t.Fatalf("%s with a done context: got no error, want context.Canceled", form.name)
			}
			// A context that ends while the listing runs: the store may
			// have read ahead, but it must end with the context's error.
			lctx, lcancel := context.WithCancel(ctx)
			var last error
			n, errs := 0, 0
			withGoal := false
			for g, err := range s.ListGoals(lctx, form.p) {
				n++
				lcancel()
				if last = err; err != nil {
					errs++
					withGoal = withGoal || g != (quota.Goal{})
				}
			}
			lcancel()
			if errs != 1 || withGoal || !errors.Is(last, context.Canceled) {
				t.Fatalf("%s whose context is cancelled while it runs must yield its error once and stop, with a zero Goal: got %d pairs, %d errors (with a goal: %t), the last %v", form.name, n, errs, withGoal, last)
			}
		}
	})
	t.Run("deadline_exceeded", func(t *testing.T) {
		// A context past its deadline is done too, with its own error; and
		// a store with nothing to list still yields it.
		s := newStore(t)
		past, cancel := context.WithDeadline(ctx, time.Unix(0, 0)) // long past, without reading the clock
		defer cancel()
		if err := s.PutGoal(past, quota.Goal{Rep: "r1", Period: nov, Deals: 1}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("PutGoal with a context past its deadline: got %v, want context.DeadlineExceeded", err)
		}
		for _, form := range forms {
			var errs []error
			for g, err := range s.ListGoals(past, form.p) {
				if g != (quota.Goal{}) || err == nil {
					t.Fatalf("%s of an empty store with a done context must yield its error alone: got (%v, %v)", form.name, g, err)
				}
				errs = append(errs, err)
			}
			if len(errs) != 1 || !errors.Is(errs[0], context.DeadlineExceeded) {
				t.Fatalf("%s of an empty store with a context past its deadline: got %v, want context.DeadlineExceeded once", form.name, errs)
			}
		}
		if got := collect(t, s, sp.Period{}); len(got) != 0 {
			t.Fatalf("PutGoal with a done context must store nothing: got %v", got)
		}
	})
	t.Run("concurrent_puts", func(t *testing.T) {
		s := newStore(t)
		errs := make(chan error, 2*writers)
		together(writers, func(i int) {
			// A listing among the writes, which must not fail.
			for _, err := range s.ListGoals(ctx, nov) {
				if err != nil {
					errs <- fmt.Errorf("ListGoals while other goroutines put goals must not fail: %w", err)
					break
				}
			}
			errs <- s.PutGoal(ctx, quota.Goal{Rep: sp.RepID(fmt.Sprintf("r%02d", i)), Period: nov, Deals: int64(i + 1)})
		})
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent PutGoal: %v", err)
			}
		}
		if got := collect(t, s, nov); len(got) != writers {
			t.Fatalf("concurrent PutGoal of distinct goals must keep them all: got %d of %d", len(got), writers)
		}
	})
	t.Run("concurrent_replacements", func(t *testing.T) {
		s := newStore(t)
		errs := make(chan error, writers)
		together(writers, func(i int) {
			errs <- s.PutGoal(ctx, quota.Goal{Rep: "r1", Period: nov, Revenue: eur(int64(i + 1))})
		})
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent PutGoal: %v", err)
			}
		}
		got := collect(t, s, nov)
		if len(got) != 1 {
			t.Fatalf("concurrent PutGoal of one key must keep one goal: got %d", len(got))
		}
		if n := got[0].Revenue.Amount().Shift(2).IntPart(); n < 1 || n > writers {
			t.Fatalf("concurrent PutGoal of one key must keep one of the goals put: got %v", got[0])
		}
	})
}

// writers is the number of goroutines of the concurrent tests.
const writers = 64

// many is the number of goals of the long listings: more than a store's
// page or limit would hold.
const many = 300

// sameGoal reports whether a and b are the same goal with the same target,
// their periods the same instants in the same zone.
func sameGoal(a, b quota.Goal) bool {
	return a.Key() == b.Key() && a.Period.Equal(b.Period) && a.Period.Location().String() == b.Period.Location().String() &&
		a.Revenue.Equal(b.Revenue) && a.Revenue.Currency() == b.Revenue.Currency() && a.Deals == b.Deals
}

// stuckAfter is how long the suite waits for store calls made in the loop
// body of a listing before it takes the store to be waiting on itself.
var stuckAfter = 10 * time.Second

// nonNil returns newStore that fails the test, where a nil store would
// panic, when newStore returns nil.
func nonNil(newStore func(*testing.T) quota.GoalStore) func(*testing.T) quota.GoalStore {
	return func(t *testing.T) quota.GoalStore {
		t.Helper()
		s := newStore(t)
		if s == nil {
			t.Fatal("quotatest: newStore returned a nil store")
		}
		return s
	}
}

// together runs f(0) to f(n-1) in n goroutines released at once, so that
// they overlap rather than start one by one as they are launched, and
// waits for them all.
func together(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f(i)
		}()
	}
	close(start)
	wg.Wait()
}
