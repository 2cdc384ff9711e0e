package quotatest_test

import (
	"context"
	"iter"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
)

// listsWhenCancelled lists the goals even though its context is done.
type listsWhenCancelled struct{ *quotatest.MemGoalStore }

func (s listsWhenCancelled) Goals(_ context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return s.MemGoalStore.Goals(context.Background(), p)
}

// errThenMore yields the error of a done context and then goes on listing
// the goals.
type errThenMore struct{ *quotatest.MemGoalStore }

func (s errThenMore) Goals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return func(yield func(quota.Goal, error) bool) {
		if err := ctx.Err(); err != nil {
			if !yield(quota.Goal{}, err) {
				return
			}
		}
		for g, err := range s.MemGoalStore.Goals(context.Background(), p) {
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
	"lists_when_cancelled": {
		func() quota.GoalStore { return listsWhenCancelled{&quotatest.MemGoalStore{}} },
		"Goals with a done context: got <nil>, want context.Canceled",
	},
	"listing_goes_on_after_error": {
		func() quota.GoalStore { return errThenMore{&quotatest.MemGoalStore{}} },
		"a failing listing yields one (zero Goal, error) pair and stops",
	},
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
