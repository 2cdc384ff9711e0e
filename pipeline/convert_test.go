package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commitFails is a transactional MemStore whose next transaction runs its
// function and then fails to commit, as a SQL store may on a
// serialization failure or a lost connection: nothing of it is kept.
type commitFails struct {
	*pipelinetest.MemStore
	fail bool
}

func (c *commitFails) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	fail := c.fail
	c.fail = false
	return c.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		if fail {
			return fmt.Errorf("commit failed: %w", sp.ErrConflict)
		}
		return nil
	})
}

// With the inquiries in a store of their own, outside the deal store's
// transactions, a conversion must not leave the inquiry pointing at a deal
// whose transaction did not commit: the deal is written first, and a retry
// completes the conversion.
func TestConvertWithSeparateStoresNeverPointsAtAMissingDeal(t *testing.T) {
	for _, key := range []string{"", "k-convert"} {
		t.Run("key="+key, func(t *testing.T) {
			ctx := context.Background()
			inquiries := pipelinetest.NewMemStore()
			deals := &commitFails{MemStore: pipelinetest.NewMemStore()}
			e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock()})
			require.NoError(t, err)
			qualified(t, e, "i1")

			deals.fail = true
			conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900")}}
			opts := &pipeline.CommandOptions{IdempotencyKey: key}
			in, d, err := e.Convert(ctx, system, "i1", conv, opts)
			stored, gerr := inquiries.GetInquiry(ctx, "i1")
			require.NoError(t, gerr)
			if stored.Stage == pipeline.InquiryConverted {
				_, derr := deals.GetDeal(ctx, stored.Deal)
				require.NoError(t, derr, "the converted inquiry points at a stored deal (convert: %v)", err)
			}
			if err != nil {
				in, d, err = e.Convert(ctx, system, "i1", conv, opts)
				require.NoError(t, err, "a retry completes the conversion")
			}
			assert.Equal(t, pipeline.InquiryConverted, in.Stage)
			assert.Equal(t, d.ID, in.Deal)
			deal, err := deals.GetDeal(ctx, d.ID)
			require.NoError(t, err)
			assert.Equal(t, sp.InquiryID("i1"), deal.Inquiry)
		})
	}
}

// Without an outbox, a crash between a conversion's two writes may come
// before the deal's event was published: the retry that finds the deal at
// version 1 publishes its EventDealOpened, once, with the conversion's.
// The crash is a failed inquiry update with a Publisher that is down, as
// the process that died no longer publishes what its failed run would.
func TestConvertRetryPublishesTheDealsOpening(t *testing.T) {
	ctx := context.Background()
	mem := pipelinetest.NewMemStore()
	cs := &crashStore{Store: mem}
	rec := &pipelinetest.Recorder{}
	down := false
	pub := diesWhen(&down, rec)
	e, err := pipeline.NewEngine(cs, cs, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: pub})
	require.NoError(t, err)
	qualified(t, e, "i1")
	before := len(rec.Types())

	cs.crash, down = true, true
	conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900")}}
	_, _, err = e.Convert(ctx, system, "i1", conv, nil)
	require.Error(t, err)
	down = false
	assert.Len(t, rec.Types(), before, "the crashed run published nothing")

	_, d, err := e.Convert(ctx, system, "i1", conv, nil)
	require.NoError(t, err)
	require.Equal(t, int64(1), d.Version)
	assert.Equal(t, []string{pipeline.EventDealOpened, pipeline.EventInquiryConverted}, rec.Types()[before:])
}

// interleaved is an inquiry store whose next UpdateInquiry first runs
// before, as a concurrent command would reach the store just ahead of it.
type interleaved struct {
	pipeline.InquiryStore
	before func()
}

func (s *interleaved) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, v int64) error {
	if f := s.before; f != nil {
		s.before = nil
		f()
	}
	return s.InquiryStore.UpdateInquiry(ctx, in, v)
}

// Where a conversion's deal is stored on its own (no transaction, or the
// inquiries in a store of their own), it stays when the inquiry update
// then fails, and so its EventDealOpened goes out with it: a change to the
// deal before the retry (which then finds it past version 1) must not
// leave the opening unpublished.
func TestConvertPublishesTheOpeningOfADealItLeavesStored(t *testing.T) {
	for name, stores := range map[string]func() (pipeline.InquiryStore, pipeline.DealStore){
		"no_transactions": func() (pipeline.InquiryStore, pipeline.DealStore) {
			s := struct{ pipeline.Store }{pipelinetest.NewMemStore()} // hides Atomically
			return s, s
		},
		"inquiries_apart": func() (pipeline.InquiryStore, pipeline.DealStore) {
			return pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
		},
	} {
		for _, key := range []string{"", "k-convert"} {
			t.Run(name+"/key="+key, func(t *testing.T) {
				ctx := context.Background()
				inquiries, deals := stores()
				inq := &interleaved{InquiryStore: inquiries}
				rec := &pipelinetest.Recorder{}
				e, err := pipeline.NewEngine(inq, deals, &pipeline.Options{
					Clock: pipelinetest.NewClock(), Publisher: rec, Idempotency: pipelinetest.NewMemStore(),
				})
				require.NoError(t, err)
				qualified(t, e, "i1")

				// An activity logged concurrently makes the inquiry update of
				// the conversion conflict.
				inq.before = func() {
					_, err := e.LogInquiryActivity(ctx, system, "i1", pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}, nil)
					require.NoError(t, err)
				}
				conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900")}}
				opts := &pipeline.CommandOptions{IdempotencyKey: key}
				_, _, err = e.Convert(ctx, system, "i1", conv, opts)
				require.ErrorIs(t, err, sp.ErrConflict)
				_, err = deals.GetDeal(ctx, "i1")
				require.NoError(t, err, "the deal stays")

				_, err = e.AssignDeal(ctx, system, "i1", pipelinetest.RepBob, nil)
				require.NoError(t, err)
				_, d, err := e.Convert(ctx, system, "i1", conv, opts)
				require.NoError(t, err, "the retry completes the conversion")
				require.Equal(t, int64(2), d.Version)

				var ofDeal []string
				for _, ev := range rec.Events() {
					if strings.HasPrefix(ev.ID, "pipeline/deal/") {
						ofDeal = append(ofDeal, ev.ID+" "+ev.Type)
					}
				}
				assert.Equal(t, []string{
					"pipeline/deal/i1/1 " + pipeline.EventDealOpened,
					"pipeline/deal/i1/2 " + pipeline.EventDealAssigned,
				}, ofDeal, "one event per stored change of the deal")
			})
		}
	}
}

// The EventDealOpened a retried conversion publishes for the deal an
// earlier run created is that run's event, the one it published or would
// have: its time, actor and reason are those of the deal's opening, as
// stored, not the retry's, which may come later and from someone else.
func TestConvertRetryRepublishesTheFirstRunsOpening(t *testing.T) {
	for _, key := range []string{"", "k-convert"} {
		t.Run("key="+key, func(t *testing.T) {
			ctx := context.Background()
			mem := pipelinetest.NewMemStore()
			cs := &crashStore{Store: mem}
			rec := &pipelinetest.Recorder{}
			down := false
			pub := diesWhen(&down, rec)
			e, err := pipeline.NewEngine(cs, cs, &pipeline.Options{
				Clock: pipelinetest.NewClock(), Publisher: pub, Idempotency: pipelinetest.NewMemStore(),
			})
			require.NoError(t, err)
			qualified(t, e, "i1")
			before := len(rec.Events())

			cs.crash, down = true, true
			conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900")}}
			_, _, err = e.Convert(ctx, system, "i1", conv, &pipeline.CommandOptions{IdempotencyKey: key, Reason: "first"})
			require.Error(t, err)
			down = false
			stored, err := mem.GetDeal(ctx, "i1")
			require.NoError(t, err, "the crash left the deal")
			opening := stored.History[0]

			admin := pipelinetest.Admin()
			in, d, err := e.Convert(ctx, admin, "i1", conv, &pipeline.CommandOptions{IdempotencyKey: key, Reason: "retry"})
			require.NoError(t, err)
			assert.Equal(t, jsonOf(t, stored), jsonOf(t, d), "the deal the crash left")
			evs := rec.Events()[before:]
			require.Len(t, evs, 2)
			opened, converted := evs[0], evs[1]
			require.Equal(t, pipeline.EventDealOpened, opened.Type)
			assert.Equal(t, "pipeline/deal/i1/1", opened.ID)
			assert.True(t, opening.At.Equal(opened.Time), "the opening's time %v, not the retry's %v", opening.At, opened.Time)
			assert.Equal(t, system.ID, opened.Actor, "the actor of the opening")
			var data pipeline.DealEvent
			require.NoError(t, json.Unmarshal(opened.Data, &data))
			assert.Equal(t, "first", data.Reason, "the reason of the opening")

			// The inquiry's conversion is the retry's own change.
			require.Equal(t, pipeline.EventInquiryConverted, converted.Type)
			assert.Equal(t, admin.ID, converted.Actor)
			assert.True(t, lastAtOf(in.History).Equal(converted.Time))
			assert.True(t, converted.Time.After(opened.Time))

			// A retry of the finished conversion publishes nothing: without
			// a key it is refused, with one it replays, returning the deal
			// the run that completed the conversion returned, the one the
			// crash left.
			n := len(rec.Events())
			rin, rd, rerr := e.Convert(ctx, admin, "i1", conv, &pipeline.CommandOptions{IdempotencyKey: key, Reason: "retry"})
			assert.Len(t, rec.Events(), n)
			if key == "" {
				assert.ErrorIs(t, rerr, sp.ErrInvalidTransition)
				return
			}
			require.NoError(t, rerr)
			assert.Equal(t, jsonOf(t, in), jsonOf(t, rin))
			assert.Equal(t, jsonOf(t, d), jsonOf(t, rd))
		})
	}
}

// diesWhen publishes to rec while *down is false; while it is true, the
// process has died and nothing goes out.
func diesWhen(down *bool, rec *pipelinetest.Recorder) sp.Publisher {
	return sp.PublisherFunc(func(ctx context.Context, ev sp.Event) error {
		if *down {
			return nil
		}
		return rec.Publish(ctx, ev)
	})
}

func lastAtOf[S ~string](h []pipeline.Transition[S]) time.Time { return h[len(h)-1].At }

// jsonOf returns the JSON of v, by which records that went through JSON
// compare (an amount comes back padded, a time in UTC).
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// Converting an inquiry not yet qualified is refused with what to do
// first, as a win without an amount is; the refusal is the machine's
// still: an ErrInvalidTransition with the stages of the refused move, and
// nothing changes.
func TestConvertUnqualifiedSaysToQualifyFirst(t *testing.T) {
	ctx := context.Background()
	ann := pipelinetest.Rep(pipelinetest.RepAnn)
	terms := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100.00"), ExpectedClose: pipelinetest.Epoch().AddDate(0, 1, 0)}}
	for _, c := range []struct {
		name  string
		steps func(s *pipelinetest.Scenario, id sp.InquiryID) error
		from  pipeline.InquiryStage
		want  string
	}{
		{"err_new", func(*pipelinetest.Scenario, sp.InquiryID) error { return nil }, pipeline.InquiryNew,
			`pipeline: convert inquiry "i1": inquiry: new → converted: no such move; contact and qualify the inquiry first`},
		{"err_contacted", func(s *pipelinetest.Scenario, id sp.InquiryID) error {
			_, err := s.Engine.Contact(ctx, ann, id, pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
			return err
		}, pipeline.InquiryContacted,
			`pipeline: convert inquiry "i1": inquiry: contacted → converted: no such move; qualify the inquiry first`},
		{"err_disqualified", func(s *pipelinetest.Scenario, id sp.InquiryID) error {
			_, err := s.Engine.Disqualify(ctx, ann, id, "a student's project", nil)
			return err
		}, pipeline.InquiryDisqualified,
			`pipeline: convert inquiry "i1": inquiry: disqualified → converted: no such move; reopen the inquiry first (reopen_inquiry, a manager's act), then contact and qualify it`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := pipelinetest.NewScenario(t, nil)
			_, err := s.Receive(ctx, pipelinetest.NewInquiry("i1"))
			require.NoError(t, err)
			require.NoError(t, c.steps(s, "i1"))
			before, err := s.Engine.GetInquiry(ctx, "i1")
			require.NoError(t, err)
			require.Equal(t, c.from, before.Stage)

			_, _, err = s.Engine.Convert(ctx, ann, "i1", terms, nil)
			require.ErrorIs(t, err, sp.ErrInvalidTransition)
			var te *pipeline.TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, string(c.from), te.From)
			assert.Equal(t, string(pipeline.InquiryConverted), te.To)
			assert.Empty(t, te.Guard)
			assert.NoError(t, te.Err)
			assert.Equal(t, c.want, err.Error())

			after, err := s.Engine.GetInquiry(ctx, "i1")
			require.NoError(t, err)
			assert.Equal(t, before.Version, after.Version, "nothing changed")
			assert.Empty(t, s.Deals(t), "no deal opened")
		})
	}
}
