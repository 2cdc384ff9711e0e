package pipeline_test

import (
	"context"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An engine given one store for inquiries and another, transactional, for
// deals keeps each kind of record in its own store, keyed or not.
func TestSeparateStoresKeepTheirRecords(t *testing.T) {
	ctx := context.Background()
	inquiries, deals := pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)

	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), &pipeline.CommandOptions{IdempotencyKey: "k-receive"})
	require.NoError(t, err)
	_, err = inquiries.GetInquiry(ctx, "i1")
	require.NoError(t, err, "the inquiry is in the inquiry store")
	_, err = deals.GetInquiry(ctx, "i1")
	assert.Error(t, err, "the inquiry is not in the deal store")

	_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, &pipeline.CommandOptions{IdempotencyKey: "k-contact"})
	require.NoError(t, err)
	_, err = e.Qualify(ctx, system, "i1", nil)
	require.NoError(t, err)
	in, d, err := e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100")}}, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryConverted, in.Stage)
	got, err := e.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryConverted, got.Stage, "the conversion is in the inquiry store")
	assert.Equal(t, d.ID, got.Deal)
	_, err = deals.GetDeal(ctx, d.ID)
	assert.NoError(t, err, "the deal is in the deal store")
}

// Options.Idempotency keeps the outcomes even when the DealStore is
// transactional and keeps outcomes of its own.
func TestExplicitIdempotencyStoreWithTransactor(t *testing.T) {
	ctx := context.Background()
	outcomes, mem := pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
	rec := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(mem, mem, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: outcomes, Publisher: rec})
	require.NoError(t, err)
	key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
	first, err := e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), key)
	require.NoError(t, err)
	o, err := outcomes.GetOutcome(ctx, "req-1")
	require.NoError(t, err, "the outcome is in the engine's idempotency store")
	assert.Equal(t, "d1", o.Subject)
	_, err = mem.GetOutcome(ctx, "req-1")
	assert.Error(t, err, "and not in the deal store")

	again, err := e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), key)
	require.NoError(t, err, "a retry gets the first outcome")
	assert.Equal(t, first.Version, again.Version)
	assert.Equal(t, []string{pipeline.EventDealOpened}, rec.Types(), "one event")
}

// An outcome store that is the transactional DealStore behind a wrapper is
// used outside the transaction, without waiting on it.
func TestWrappedIdempotencyStoreWithTransactor(t *testing.T) {
	ctx := context.Background()
	mem := pipelinetest.NewMemStore()
	type outcomesOnly struct{ pipeline.IdempotencyStore }
	e, err := pipeline.NewEngine(mem, mem, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: outcomesOnly{mem}})
	require.NoError(t, err)
	key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), key)
	require.NoError(t, err)
	again, err := e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), key)
	require.NoError(t, err, "a retry gets the first outcome")
	assert.Equal(t, int64(1), again.Version)
}

// With the inquiries in a store of their own, a keyed command that changes
// an inquiry cannot write it in the DealStore's transaction: a transaction
// that fails to commit, or that the Transactor runs again, must not leave
// the inquiry changed without its outcome, nor change it twice.
func TestOwnInquiriesKeyedCommandsOutsideTheDealsTransaction(t *testing.T) {
	ctx := context.Background()
	key := &pipeline.CommandOptions{IdempotencyKey: "k-contact"}
	t.Run("commit_fails", func(t *testing.T) {
		inquiries := pipelinetest.NewMemStore()
		deals := &commitFails{MemStore: pipelinetest.NewMemStore()}
		e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
		require.NoError(t, err)
		deals.fail = true
		_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, key)
		if err != nil {
			in, gerr := inquiries.GetInquiry(ctx, "i1")
			require.NoError(t, gerr)
			assert.Equal(t, pipeline.InquiryNew, in.Stage, "a failed command leaves the inquiry as it was")
		}
		in, err := e.Contact(ctx, system, "i1", pipeline.Activity{}, key)
		require.NoError(t, err, "a retry with the key completes the command")
		assert.Equal(t, pipeline.InquiryContacted, in.Stage)
		assert.Equal(t, int64(2), in.Version)
	})
	t.Run("transactor_runs_fn_again", func(t *testing.T) {
		inquiries, base := pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
		deals := struct {
			*rerunStore
			pipeline.IdempotencyStore
		}{&rerunStore{Store: base, tx: base}, base}
		e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
		require.NoError(t, err)
		_, err = e.LogInquiryActivity(ctx, system, "i1", pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Due: pipelinetest.Epoch().Add(time.Hour)}, key)
		require.NoError(t, err, "the inquiry is changed once, whatever the DealStore's transaction does")
		in, err := inquiries.GetInquiry(ctx, "i1")
		require.NoError(t, err)
		assert.Equal(t, int64(2), in.Version)
		assert.Len(t, in.Activities, 1)
	})
}

// idemHidingTx is a MemStore whose transactions give a Store that keeps no
// outcomes, against the Transactor's contract.
type idemHidingTx struct{ *pipelinetest.MemStore }

func (s idemHidingTx) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, struct{ pipeline.Store }{tx})
	})
}

// A DealStore that keeps outcomes but gives transactions that do not
// fails a keyed command, as one that is an Outbox but gives transactions
// that are not does, instead of having its outcome written outside the
// transaction, on the store that waits for it.
func TestTransactionStoreWithoutOutcomes(t *testing.T) {
	s := idemHidingTx{pipelinetest.NewMemStore()}
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := e.OpenDeal(context.Background(), system, pipelinetest.NewDeal("d1"), &pipeline.CommandOptions{IdempotencyKey: "k"})
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the keyed command waits for ever on the store's own transaction")
	}
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = s.GetDeal(context.Background(), "d1")
	assert.ErrorIs(t, err, sp.ErrNotFound, "the deal is not stored")
	_, err = e.OpenDeal(context.Background(), system, pipelinetest.NewDeal("d1"), nil)
	assert.NoError(t, err, "a command without a key needs no outcome")
}

// A store of a type that == cannot compare, a struct that holds a map,
// given twice is one store: its inquiries take part in its transactions,
// and their events go to its outbox. Two such values with maps of their
// own, or holding a function, are two stores, whose inquiry events go to
// the Publisher.
func TestSameStoreOfIncomparableType(t *testing.T) {
	type mapped struct {
		*pipelinetest.OutboxMemStore
		names map[string]string
		tags  []string
	}
	type withFunc struct {
		*pipelinetest.OutboxMemStore
		hook func()
	}
	outbox := pipelinetest.NewOutboxMemStore()
	names, tags := map[string]string{}, make([]string, 1)
	tests := []struct {
		name                string
		inquiries           pipeline.InquiryStore
		deals               pipeline.DealStore
		inOutbox, published int
	}{
		{"one_value", mapped{outbox, names, tags}, mapped{outbox, names, tags}, 1, 0},
		{"maps_of_their_own", mapped{outbox, names, tags}, mapped{outbox, map[string]string{}, tags}, 0, 1},
		{"slices_of_their_own", mapped{outbox, names, tags}, mapped{outbox, names, make([]string, 1)}, 0, 1},
		{"slices_of_one_array_apart", mapped{outbox, names, tags}, mapped{outbox, names, tags[:0]}, 0, 1},
		{"nil_function", withFunc{outbox, nil}, withFunc{outbox, nil}, 1, 0},
		{"function", withFunc{outbox, func() {}}, withFunc{outbox, func() {}}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(outbox.Events())
			rec := &pipelinetest.Recorder{}
			e, err := pipeline.NewEngine(tt.inquiries, tt.deals, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
			require.NoError(t, err)
			_, err = e.ReceiveInquiry(context.Background(), system, pipelinetest.NewInquiry(sp.InquiryID("i-"+tt.name)), nil)
			require.NoError(t, err)
			assert.Len(t, outbox.Events()[before:], tt.inOutbox, "events in the outbox")
			assert.Len(t, rec.Types(), tt.published, "events published")
		})
	}
}
