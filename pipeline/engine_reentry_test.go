package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// within runs f and returns its error, failing t if f has not returned
// after d: a watchdog for calls that could wait on themselves.
func within(t *testing.T, d time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("still waiting after %v: the call waits on itself", d)
		return nil
	}
}

// putFailsOnce is an IdempotencyStore whose first AddOutcome fails.
type putFailsOnce struct {
	*pipelinetest.MemStore
	failed bool
}

func (s *putFailsOnce) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if !s.failed {
		s.failed = true
		return errors.New("outcomes down")
	}
	return s.MemStore.AddOutcome(ctx, o)
}

// A keyed command whose outcome cannot be recorded publishes its stored
// change's events without holding the lock of its key, as every other
// command does: a Publisher that reacts by running a keyed command whose
// key shares that lock does not wait on it.
func TestEnginePublishesUnrecordedOutsideKeyLock(t *testing.T) {
	ctx := context.Background()
	// The engine serializes keyed commands on 64 locks picked by the
	// key's FNV-1a hash: k2 shares k1's.
	stripe := func(k string) uint32 {
		h := fnv.New32a()
		h.Write([]byte(k))
		return h.Sum32() % 64
	}
	k1, k2 := "req-1", ""
	for i := 0; k2 == ""; i++ {
		if k := fmt.Sprint("event-", i); stripe(k) == stripe(k1) {
			k2 = k
		}
	}
	mem := pipelinetest.NewMemStore()
	var e *pipeline.Engine
	var pubErr error
	pub := sp.PublisherFunc(func(ctx context.Context, ev sp.Event) error {
		if ev.Type == pipeline.EventDealWon {
			_, pubErr = e.Advance(ctx, pipelinetest.System(), "d2", pipeline.DealQualification, &pipeline.CommandOptions{IdempotencyKey: k2})
		}
		return nil
	})
	e, err := pipeline.NewEngine(mem, mem, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: pub,
		Idempotency: &putFailsOnce{MemStore: pipelinetest.NewMemStore()}})
	require.NoError(t, err)
	for _, id := range []sp.DealID{"d1", "d2"} {
		_, err = e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal(id), nil)
		require.NoError(t, err)
	}
	err = within(t, 5*time.Second, func() error {
		_, err := e.Win(ctx, pipelinetest.System(), "d1", &pipeline.CommandOptions{IdempotencyKey: k1})
		return err
	})
	assert.ErrorContains(t, err, "recording the outcome")
	require.NoError(t, pubErr)
	d2, err := mem.GetDeal(ctx, "d2")
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealQualification, d2.Stage, "the Publisher's command ran")
}

// A keyed command run from a callback of a keyed command that holds the
// lock of a key it would need, the same key or one sharing its stripe, with
// the ctx the callback got, fails with an error wrapping sp.ErrInvalid at
// once instead of waiting for its caller, which waits for it; the caller
// goes on. A keyed command on a key of another stripe runs.
func TestEngineKeyedCommandFromCallbackUnderItsKeyLock(t *testing.T) {
	k1 := "req-1"
	shared, other := stripeKeys(k1, "callback-")
	type plain struct{ pipeline.Store } // hides Transactor and IdempotencyStore
	for name, tc := range map[string]struct {
		key   string
		runs  bool
		inner sp.DealID
	}{
		"same_key":     {k1, false, "d1"},
		"shared_lock":  {shared, false, "d2"},
		"other_stripe": {other, true, "d2"},
	} {
		for _, where := range []string{"policy", "eligibility", "gate"} {
			t.Run(name+"/"+where, func(t *testing.T) {
				mem := pipelinetest.NewMemStore()
				var e *pipeline.Engine
				var innerErr error
				calls := 0
				// react runs the inner command once, from the callback
				// of the outer one, which assigns d1 to Bob and wins it.
				react := func(ctx context.Context, ok bool) {
					if !ok || calls > 0 {
						return
					}
					calls++
					_, innerErr = e.Advance(ctx, pipelinetest.System(), tc.inner, pipeline.DealQualification,
						&pipeline.CommandOptions{IdempotencyKey: tc.key})
				}
				opts := &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: mem}
				outer := func() error {
					_, err := e.AssignDeal(context.Background(), pipelinetest.System(), "d1", pipelinetest.RepBob,
						&pipeline.CommandOptions{IdempotencyKey: k1})
					return err
				}
				switch where {
				case "policy":
					opts.Policy = pipeline.PolicyFunc(func(ctx context.Context, a sp.Actor, cmd pipeline.Command, tg pipeline.Target) error {
						react(ctx, cmd == pipeline.CmdAssign)
						return nil
					})
				case "eligibility":
					opts.Eligibility = pipeline.EligibilityFunc(func(ctx context.Context, rep sp.RepID, _ sp.ProductID, _ sp.ChannelID, _ time.Time) error {
						react(ctx, rep == pipelinetest.RepBob)
						return nil
					})
				case "gate":
					spec := pipeline.DefaultSpec()
					spec.Name = "gated"
					for i := range spec.Stages {
						if spec.Stages[i].Key == pipeline.DealWon {
							spec.Stages[i].Gates = append(spec.Stages[i].Gates, pipeline.Gate{Name: "a reaction",
								Check: func(ctx context.Context, _ *pipeline.Deal, _ pipeline.Transition[pipeline.DealStage]) error {
									react(ctx, true)
									return nil
								}})
						}
					}
					gated, err := pipeline.NewDefinition(spec)
					require.NoError(t, err)
					opts.Pipelines = []*pipeline.Definition{gated}
					outer = func() error {
						_, err := e.Win(context.Background(), pipelinetest.System(), "d1", &pipeline.CommandOptions{IdempotencyKey: k1})
						return err
					}
				}
				var err error
				e, err = pipeline.NewEngine(plain{mem}, plain{mem}, opts)
				require.NoError(t, err)
				for _, id := range []sp.DealID{"d1", "d2"} {
					d := pipelinetest.NewDeal(id)
					if where == "gate" {
						d.Pipeline = "gated"
					}
					_, err = e.OpenDeal(context.Background(), pipelinetest.System(), d, nil)
					require.NoError(t, err)
				}
				require.NoError(t, within(t, 5*time.Second, outer), "the outer command goes on")
				require.Equal(t, 1, calls)
				d, err := mem.GetDeal(context.Background(), tc.inner)
				require.NoError(t, err)
				if tc.runs {
					require.NoError(t, innerErr)
					assert.Equal(t, pipeline.DealQualification, d.Stage, "the callback's command ran")
					return
				}
				require.ErrorIs(t, innerErr, sp.ErrInvalid)
				assert.ErrorContains(t, innerErr, "callback")
				if tc.inner != "d1" {
					assert.Equal(t, pipeline.DealProspecting, d.Stage, "the callback's command changed nothing")
				}
			})
		}
	}
}

// A keyed command run from a callback of a keyed command that itself runs
// from a callback of another finds the locks of both: one that needs the
// outermost command's lock fails at once, as one that needs its caller's
// does, instead of waiting for it; the middle one, on a key of another
// stripe, runs.
func TestEngineKeyedCommandFromNestedCallbacks(t *testing.T) {
	ctx := context.Background()
	k1 := "req-1"
	shared, other := stripeKeys(k1, "nested-")
	type plain struct{ pipeline.Store } // hides Transactor and IdempotencyStore
	mem := pipelinetest.NewMemStore()
	var e *pipeline.Engine
	var middleErr, innerErr error
	middles, inners := 0, 0
	policy := pipeline.PolicyFunc(func(ctx context.Context, _ sp.Actor, cmd pipeline.Command, tg pipeline.Target) error {
		switch {
		case cmd == pipeline.CmdAssign && tg.ID == "d1" && middles == 0:
			middles++
			_, middleErr = e.Advance(ctx, pipelinetest.System(), "d2", pipeline.DealQualification,
				&pipeline.CommandOptions{IdempotencyKey: other})
		case cmd == pipeline.CmdAdvance && tg.ID == "d2" && inners == 0:
			inners++
			_, innerErr = e.Advance(ctx, pipelinetest.System(), "d3", pipeline.DealQualification,
				&pipeline.CommandOptions{IdempotencyKey: shared})
		}
		return nil
	})
	e, err := pipeline.NewEngine(plain{mem}, plain{mem}, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: mem, Policy: policy})
	require.NoError(t, err)
	for _, id := range []sp.DealID{"d1", "d2", "d3"} {
		_, err = e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal(id), nil)
		require.NoError(t, err)
	}
	require.NoError(t, within(t, 5*time.Second, func() error {
		_, err := e.AssignDeal(ctx, pipelinetest.System(), "d1", pipelinetest.RepBob, &pipeline.CommandOptions{IdempotencyKey: k1})
		return err
	}), "the outer command goes on")
	require.Equal(t, 1, inners)
	require.NoError(t, middleErr, "the middle command, on a key of another stripe, runs")
	require.ErrorIs(t, innerErr, sp.ErrInvalid)
	assert.ErrorContains(t, innerErr, "callback")
	for id, want := range map[sp.DealID]pipeline.DealStage{"d2": pipeline.DealQualification, "d3": pipeline.DealProspecting} {
		d, err := mem.GetDeal(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, d.Stage, id)
	}
}

// The key locks are an engine's own: a keyed command of one engine run
// from a callback of another engine's keyed command, with its ctx and the
// same key, takes its own engine's lock and runs.
func TestEngineKeyedCommandFromCallbackOfAnotherEngine(t *testing.T) {
	ctx := context.Background()
	type plain struct{ pipeline.Store } // hides Transactor and IdempotencyStore
	mem1, mem2 := pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
	const key = "req-1"
	var e2 *pipeline.Engine
	var innerErr error
	calls := 0
	policy := pipeline.PolicyFunc(func(ctx context.Context, _ sp.Actor, cmd pipeline.Command, _ pipeline.Target) error {
		if cmd == pipeline.CmdAssign && calls == 0 {
			calls++
			_, innerErr = e2.Advance(ctx, pipelinetest.System(), "d1", pipeline.DealQualification, &pipeline.CommandOptions{IdempotencyKey: key})
		}
		return nil
	})
	e1, err := pipeline.NewEngine(plain{mem1}, plain{mem1}, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: mem1, Policy: policy})
	require.NoError(t, err)
	e2, err = pipeline.NewEngine(plain{mem2}, plain{mem2}, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: mem2})
	require.NoError(t, err)
	for _, e := range []*pipeline.Engine{e1, e2} {
		_, err = e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
	}
	require.NoError(t, within(t, 5*time.Second, func() error {
		_, err := e1.AssignDeal(ctx, pipelinetest.System(), "d1", pipelinetest.RepBob, &pipeline.CommandOptions{IdempotencyKey: key})
		return err
	}))
	require.Equal(t, 1, calls)
	require.NoError(t, innerErr, "the other engine's command runs")
	d, err := mem2.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealQualification, d.Stage)
}

// stripeKeys returns two keys named prefix and a number: shared, whose key
// lock shares k's stripe (of the engine's 64, by FNV-1a), and other, whose
// lock does not.
func stripeKeys(k, prefix string) (shared, other string) {
	stripe := func(k string) uint32 {
		h := fnv.New32a()
		h.Write([]byte(k))
		return h.Sum32() % 64
	}
	for i := 0; shared == "" || other == ""; i++ {
		key := fmt.Sprint(prefix, i)
		if stripe(key) == stripe(k) {
			shared = key
		} else {
			other = key
		}
	}
	return shared, other
}
