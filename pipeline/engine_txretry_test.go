package pipeline_test

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rerunStore is a Transactor that, like a SQL store retrying a transaction
// that could not be serialized, rolls back the first run of each
// transaction after fn succeeded and runs fn again.
type rerunStore struct {
	pipeline.Store
	tx    pipeline.Transactor
	reran int
}

func (s *rerunStore) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	err := s.tx.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		return sp.ErrConflict // roll the first run back
	})
	if err != sp.ErrConflict {
		return err
	}
	s.reran++
	return s.tx.Atomically(ctx, fn)
}

// A Transactor may run fn again after rolling a run back: every command
// then leaves what one run leaves, its outcome and events included.
func TestTransactorMayRunFnAgain(t *testing.T) {
	stamps := regexp.MustCompile(`"\d{4}-\d\d-\d\dT[^"]*"`) // a run reads the clock again
	run := func(t *testing.T, store pipeline.Store, outbox func() []sp.Event) (string, []string) {
		ctx := context.Background()
		rec := &pipelinetest.Recorder{}
		e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
		require.NoError(t, err)
		n := 0
		key := func() *pipeline.CommandOptions {
			n++
			return &pipeline.CommandOptions{IdempotencyKey: string(rune('a' + n))}
		}
		by := pipelinetest.Admin()
		due := pipelinetest.Epoch().Add(24 * time.Hour)
		check := func(_ any, err error) { t.Helper(); require.NoError(t, err) }
		check(e.ReceiveInquiry(ctx, by, pipelinetest.NewInquiry("i1"), key()))
		check(e.AssignInquiry(ctx, by, "i1", pipelinetest.RepBob, key()))
		check(e.LogInquiryActivity(ctx, by, "i1", pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Due: due}, key()))
		check(e.Contact(ctx, by, "i1", pipeline.Activity{}, key()))
		check(e.Disqualify(ctx, by, "i1", "no budget", key()))
		check(e.ReopenInquiry(ctx, by, "i1", key()))
		check(e.Contact(ctx, by, "i1", pipeline.Activity{}, key()))
		check(e.Qualify(ctx, by, "i1", key()))
		conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100.00")}}
		k := key()
		for range 2 {
			_, _, err = e.Convert(ctx, by, "i1", conv, k)
			require.NoError(t, err)
		}
		check(e.OpenDeal(ctx, by, pipelinetest.NewDeal("d2"), key()))
		check(e.AssignDeal(ctx, by, "d2", pipelinetest.RepBob, key()))
		check(e.LogDealActivity(ctx, by, "d2", pipeline.Activity{ID: "a2", Kind: pipeline.ActivityVisit, Due: due}, key()))
		check(e.SetTerms(ctx, by, "d2", pipeline.Terms{Amount: pipelinetest.MustEUR("900.00")}, key()))
		check(e.OverrideProbability(ctx, by, "d2", decimal.New(35, -2), key()))
		check(e.ResetProbability(ctx, by, "d2", key()))
		check(e.Advance(ctx, by, "d2", pipeline.DealProposal, key()))
		check(e.Lose(ctx, by, "d2", pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}, key()))
		check(e.ReopenDeal(ctx, by, "d2", pipeline.DealProspecting, key()))
		k = key()
		for range 2 {
			check(e.Win(ctx, by, "i1", k))
		}
		check(e.Deliver(ctx, by, "i1", key()))
		check(e.FollowUp(ctx, by, "i1", []sp.Feedback{{ID: "f1", Rating: 4, Category: sp.FeedbackQuality}}, key()))
		var recs []any
		for in, err := range e.ListInquiries(ctx, pipeline.InquiryFilter{}) {
			require.NoError(t, err)
			recs = append(recs, in)
		}
		for d, err := range e.ListDeals(ctx, pipeline.DealFilter{}) {
			require.NoError(t, err)
			recs = append(recs, d)
		}
		js, err := json.Marshal(recs)
		require.NoError(t, err)
		var ids []string
		for _, ev := range append(outbox(), rec.Events()...) {
			ids = append(ids, ev.ID+" "+ev.Type)
		}
		return stamps.ReplaceAllString(string(js), `"T"`), ids
	}
	t.Run("outbox", func(t *testing.T) {
		plain := pipelinetest.NewOutboxMemStore()
		wantRecs, wantEvents := run(t, plain, plain.Events)
		base := pipelinetest.NewOutboxMemStore()
		s := &rerunStore{Store: base, tx: base}
		recs, events := run(t, struct {
			*rerunStore
			pipeline.IdempotencyStore
			pipeline.Outbox
		}{s, base, base}, base.Events)
		assert.Positive(t, s.reran)
		assert.Equal(t, wantRecs, recs)
		assert.Equal(t, wantEvents, events)
		assert.Len(t, events, 22)
	})
	t.Run("publisher", func(t *testing.T) {
		none := func() []sp.Event { return nil }
		wantRecs, wantEvents := run(t, pipelinetest.NewMemStore(), none)
		base := pipelinetest.NewMemStore()
		s := &rerunStore{Store: base, tx: base}
		recs, events := run(t, struct {
			*rerunStore
			pipeline.IdempotencyStore
		}{s, base}, none)
		assert.Positive(t, s.reran)
		assert.Equal(t, wantRecs, recs)
		assert.Equal(t, wantEvents, events)
		assert.Len(t, events, 22)
	})
}

// A contact's activity without a Done time is done at the time of the run
// that commits, as its transition is, when the Transactor ran fn before.
func TestContactRunAgainTimesItsActivityAnew(t *testing.T) {
	ctx := context.Background()
	base := pipelinetest.NewMemStore()
	s := &rerunStore{Store: base, tx: base}
	store := struct {
		*rerunStore
		pipeline.IdempotencyStore
	}{s, base}
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	in, err := e.Contact(ctx, system, "i1", pipeline.Activity{ID: "call", Kind: pipeline.ActivityCall}, &pipeline.CommandOptions{IdempotencyKey: "k"})
	require.NoError(t, err)
	require.Positive(t, s.reran)
	require.Len(t, in.Activities, 1)
	assert.Equal(t, in.History[len(in.History)-1].At, in.Activities[0].Done, "the activity is done when the inquiry is contacted")
}
