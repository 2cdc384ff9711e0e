package pipelinetest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemStore(t *testing.T) {
	pipelinetest.RunStoreTests(t, func(*testing.T) pipeline.Store { return pipelinetest.NewMemStore() })
}

func TestZeroMemStore(t *testing.T) {
	pipelinetest.RunStoreTestsWith(t, func(*testing.T) pipeline.Store { return new(pipelinetest.MemStore) },
		&pipelinetest.StoreTestOptions{Writers: []int{4}})
}

// A nil context is invalid input, not a panic, and changes nothing.
func TestMemStoreNilContext(t *testing.T) {
	var nilCtx context.Context
	s := pipelinetest.NewMemStore()
	in, d := pipelinetest.NewInquiry("i1"), pipelinetest.NewDeal("d1")
	assert.ErrorIs(t, s.CreateInquiry(nilCtx, in), sp.ErrInvalid)
	assert.ErrorIs(t, s.CreateDeal(nilCtx, d), sp.ErrInvalid)
	_, err := s.GetInquiry(context.Background(), in.ID)
	assert.ErrorIs(t, err, sp.ErrNotFound)

	_, err = s.GetInquiry(nilCtx, in.ID)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorIs(t, s.UpdateInquiry(nilCtx, in, 1), sp.ErrInvalid)
	_, err = s.GetDeal(nilCtx, d.ID)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorIs(t, s.UpdateDeal(nilCtx, d, 1), sp.ErrInvalid)
	_, err = s.GetOutcome(nilCtx, "k")
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorIs(t, s.AddOutcome(nilCtx, pipeline.Outcome{Key: "k"}), sp.ErrInvalid)
	n := 0
	for _, err := range s.ListInquiries(nilCtx, pipeline.InquiryFilter{}) {
		assert.ErrorIs(t, err, sp.ErrInvalid)
		n++
	}
	for _, err := range s.ListDeals(nilCtx, pipeline.DealFilter{}) {
		assert.ErrorIs(t, err, sp.ErrInvalid)
		n++
	}
	assert.Equal(t, 2, n, "each sequence yields the error, though the store is empty")
	called := false
	err = s.Atomically(nilCtx, func(context.Context, pipeline.Store) error { called = true; return nil })
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.False(t, called)
}

// A transaction's Store kept past the transaction (against the contract:
// it is valid only during the call) is refused, and writes nothing into
// the store, whose data the committed transaction became.
func TestMemStoreTransactionUsedAfterItsEnd(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewMemStore()
	var kept pipeline.Store
	require.NoError(t, s.Atomically(ctx, func(_ context.Context, tx pipeline.Store) error {
		kept = tx
		return tx.CreateInquiry(ctx, pipelinetest.NewInquiry("i1"))
	}))
	assert.ErrorIs(t, kept.CreateInquiry(ctx, pipelinetest.NewInquiry("i2")), sp.ErrInvalid)
	assert.ErrorIs(t, kept.CreateDeal(ctx, pipelinetest.NewDeal("d1")), sp.ErrInvalid)
	_, err := kept.GetInquiry(ctx, "i1")
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = s.GetInquiry(ctx, "i2")
	assert.ErrorIs(t, err, sp.ErrNotFound)
	_, err = s.GetDeal(ctx, "d1")
	assert.ErrorIs(t, err, sp.ErrNotFound)
	_, err = s.GetInquiry(ctx, "i1")
	assert.NoError(t, err)
}

// So is one kept past a transaction that failed or panicked: its writes
// were undone, and a later call must not write into the store behind the
// store's lock, never to be undone.
func TestMemStoreTransactionUsedAfterItFailed(t *testing.T) {
	ctx := context.Background()
	for _, how := range []string{"error", "panic"} {
		t.Run(how, func(t *testing.T) {
			s := pipelinetest.NewMemStore()
			var kept pipeline.Store
			run := func() error {
				return s.Atomically(ctx, func(_ context.Context, tx pipeline.Store) error {
					kept = tx
					require.NoError(t, tx.CreateInquiry(ctx, pipelinetest.NewInquiry("i1")))
					if how == "panic" {
						panic("boom")
					}
					return errors.New("failed")
				})
			}
			if how == "panic" {
				assert.Panics(t, func() { _ = run() })
			} else {
				assert.Error(t, run())
			}
			assert.ErrorIs(t, kept.CreateInquiry(ctx, pipelinetest.NewInquiry("i2")), sp.ErrInvalid)
			assert.ErrorIs(t, kept.CreateDeal(ctx, pipelinetest.NewDeal("d1")), sp.ErrInvalid)
			_, err := kept.GetInquiry(ctx, "i1")
			assert.ErrorIs(t, err, sp.ErrInvalid)
			for _, id := range []sp.InquiryID{"i1", "i2"} {
				_, err = s.GetInquiry(ctx, id)
				assert.ErrorIs(t, err, sp.ErrNotFound, id)
			}
			_, err = s.GetDeal(ctx, "d1")
			assert.ErrorIs(t, err, sp.ErrNotFound)
		})
	}
}

func TestOutboxMemStore(t *testing.T) {
	pipelinetest.RunStoreTests(t, func(*testing.T) pipeline.Store { return pipelinetest.NewOutboxMemStore() })
}

func TestZeroOutboxMemStore(t *testing.T) {
	pipelinetest.RunStoreTestsWith(t, func(*testing.T) pipeline.Store { return new(pipelinetest.OutboxMemStore) },
		&pipelinetest.StoreTestOptions{Writers: []int{4}})
}

// A plain MemStore is no outbox, so that engines on it publish their
// events as they always did.
func TestMemStoreIsNoOutbox(t *testing.T) {
	var s any = pipelinetest.NewMemStore()
	_, ok := s.(pipeline.Outbox)
	assert.False(t, ok)
	called := false
	require.NoError(t, pipelinetest.NewMemStore().Atomically(context.Background(), func(_ context.Context, tx pipeline.Store) error {
		called = true
		_, ok := tx.(pipeline.Outbox)
		assert.False(t, ok, "nor are its transactions")
		return nil
	}))
	assert.True(t, called)
}

// Events returns copies in order; bad input is refused with a root
// sentinel and appends nothing.
func TestOutboxMemStoreEvents(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewOutboxMemStore()
	ev := sp.Event{ID: "e1", Type: "t", Time: pipelinetest.Epoch(), Actor: "x", Subject: "s", Data: []byte(`{"a":1}`)}
	require.NoError(t, s.AppendEvent(ctx, ev))
	got := s.Events()
	require.Len(t, got, 1)
	got[0].Data[2] = 'b'
	got[0].ID = "changed"
	assert.Equal(t, "e1", s.Events()[0].ID)
	assert.JSONEq(t, `{"a":1}`, string(s.Events()[0].Data), "changing a payload Events returned changes the store's")

	var nilCtx context.Context
	assert.ErrorIs(t, s.AppendEvent(nilCtx, ev), sp.ErrInvalid)
	assert.ErrorIs(t, s.AppendEvent(ctx, sp.Event{}), sp.ErrInvalid)
	assert.ErrorIs(t, s.AppendEvent(ctx, ev), sp.ErrDuplicate)
	err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		ob := tx.(pipeline.Outbox)
		assert.ErrorIs(t, ob.AppendEvent(nilCtx, ev), sp.ErrInvalid)
		assert.ErrorIs(t, ob.AppendEvent(ctx, sp.Event{ID: "e2"}), sp.ErrInvalid)
		return ob.AppendEvent(ctx, ev)
	})
	assert.ErrorIs(t, err, sp.ErrDuplicate)
	assert.Len(t, s.Events(), 1, "nothing appended")
	assert.ErrorIs(t, s.Atomically(ctx, nil), sp.ErrInvalid)
	assert.ErrorIs(t, pipelinetest.NewMemStore().Atomically(ctx, nil), sp.ErrInvalid)

	var nilStore *pipelinetest.OutboxMemStore
	assert.ErrorIs(t, nilStore.AppendEvent(ctx, ev), sp.ErrInvalid)
	assert.ErrorIs(t, nilStore.Atomically(ctx, func(context.Context, pipeline.Store) error { return nil }), sp.ErrInvalid)
	assert.Nil(t, nilStore.Events())
}

// noEventsMethod is an outbox the suite reads through
// StoreTestOptions.Events, as a SQL store's would be.
type noEventsMethod struct {
	pipeline.Store
	pipeline.IdempotencyStore
	pipeline.Transactor
	pipeline.Outbox
	mem *pipelinetest.OutboxMemStore
}

func TestOutboxReadThroughOptions(t *testing.T) {
	pipelinetest.RunStoreTestsWith(t, func(*testing.T) pipeline.Store {
		mem := pipelinetest.NewOutboxMemStore()
		return noEventsMethod{mem, mem, mem, mem, mem}
	}, &pipelinetest.StoreTestOptions{
		Writers: []int{4},
		Events: func(_ context.Context, s pipeline.Store) ([]sp.Event, error) {
			return s.(noEventsMethod).mem.Events(), nil
		},
	})
}

// Every method of a nil MemStore, OutboxMemStore or Recorder returns an
// error wrapping sp.ErrInvalid (a sequence yields one) instead of
// panicking; Events and Types return nothing.
func TestNilReceivers(t *testing.T) {
	ctx := context.Background()
	stores := map[string]interface {
		pipeline.Store
		pipeline.IdempotencyStore
		pipeline.Transactor
	}{
		"MemStore":       (*pipelinetest.MemStore)(nil),
		"OutboxMemStore": (*pipelinetest.OutboxMemStore)(nil),
	}
	for name, s := range stores {
		t.Run(name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := s.GetInquiry(ctx, "i1")
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorIs(t, s.CreateInquiry(ctx, pipelinetest.NewInquiry("i1")), sp.ErrInvalid)
				assert.ErrorIs(t, s.UpdateInquiry(ctx, pipelinetest.NewInquiry("i1"), 1), sp.ErrInvalid)
				_, err = s.GetDeal(ctx, "d1")
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorIs(t, s.CreateDeal(ctx, pipelinetest.NewDeal("d1")), sp.ErrInvalid)
				assert.ErrorIs(t, s.UpdateDeal(ctx, pipelinetest.NewDeal("d1"), 1), sp.ErrInvalid)
				_, err = s.GetOutcome(ctx, "k")
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorIs(t, s.AddOutcome(ctx, pipeline.Outcome{Key: "k"}), sp.ErrInvalid)
				ran := false
				err = s.Atomically(ctx, func(context.Context, pipeline.Store) error { ran = true; return nil })
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.False(t, ran)
				n := 0
				for _, err := range s.ListInquiries(ctx, pipeline.InquiryFilter{}) {
					assert.ErrorIs(t, err, sp.ErrInvalid)
					n++
				}
				for _, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
					assert.ErrorIs(t, err, sp.ErrInvalid)
					n++
				}
				assert.Equal(t, 2, n, "each sequence yields one error")
			})
		})
	}
	t.Run("Recorder", func(t *testing.T) {
		var r *pipelinetest.Recorder
		assert.NotPanics(t, func() {
			err := r.Publish(ctx, sp.Event{ID: "e1", Type: "t", Time: time.Unix(0, 0), Actor: "x", Subject: "s"})
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Nil(t, r.Events())
			assert.Nil(t, r.Types())
		})
	})
}

// A transaction that fails, by an error or a panic, leaves the store as it
// was: the records it created, updated twice or left alone, its outcome
// and its events; one that succeeds keeps all of its writes.
func TestMemStoreTransactionUndone(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewOutboxMemStore()
	old := pipelinetest.NewDeal("d-old")
	require.NoError(t, s.CreateDeal(ctx, old))
	require.NoError(t, s.CreateInquiry(ctx, pipelinetest.NewInquiry("i-old")))
	require.NoError(t, s.AddOutcome(ctx, pipeline.Outcome{Key: "k-old", Command: pipeline.CmdWin, Result: []byte(`{}`)}))
	ev := func(id string) sp.Event {
		return sp.Event{ID: id, Type: "t", Time: pipelinetest.Epoch(), Actor: "x", Subject: "s", Data: []byte(`{}`)}
	}
	require.NoError(t, s.AppendEvent(ctx, ev("e-old")))
	type state struct {
		deals     []pipeline.Deal
		inquiries []pipeline.Inquiry
		outcome   error
		events    []sp.Event
	}
	read := func() state {
		var st state
		for d, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
			require.NoError(t, err)
			st.deals = append(st.deals, d)
		}
		for in, err := range s.ListInquiries(ctx, pipeline.InquiryFilter{}) {
			require.NoError(t, err)
			st.inquiries = append(st.inquiries, in)
		}
		_, st.outcome = s.GetOutcome(ctx, "k-new")
		st.events = s.Events()
		return st
	}
	before := read()
	write := func(tx pipeline.Store) {
		require.NoError(t, tx.CreateDeal(ctx, pipelinetest.NewDeal("d-new")))
		d := old
		for range 2 {
			d.Version++
			d.Owner = "someone-else"
			require.NoError(t, tx.UpdateDeal(ctx, d, d.Version-1))
		}
		require.NoError(t, tx.CreateInquiry(ctx, pipelinetest.NewInquiry("i-new")))
		require.NoError(t, tx.(pipeline.IdempotencyStore).AddOutcome(ctx, pipeline.Outcome{Key: "k-new", Command: pipeline.CmdWin, Result: []byte(`{}`)}))
		require.NoError(t, tx.(pipeline.Outbox).AppendEvent(ctx, ev("e-new")))
		require.ErrorIs(t, tx.(pipeline.Outbox).AppendEvent(ctx, ev("e-new")), sp.ErrDuplicate)
	}
	failed := errors.New("failed")
	err := s.Atomically(ctx, func(_ context.Context, tx pipeline.Store) error { write(tx); return failed })
	require.ErrorIs(t, err, failed)
	assert.Equal(t, before, read(), "after an error")
	assert.Panics(t, func() {
		_ = s.Atomically(ctx, func(_ context.Context, tx pipeline.Store) error { write(tx); panic("boom") })
	})
	assert.Equal(t, before, read(), "after a panic")
	require.NoError(t, s.Atomically(ctx, func(_ context.Context, tx pipeline.Store) error { write(tx); return nil }))
	after := read()
	assert.Len(t, after.deals, 2)
	assert.Equal(t, sp.RepID("someone-else"), after.deals[1].Owner, "d-old, after d-new")
	assert.Len(t, after.inquiries, 2)
	assert.NoError(t, after.outcome)
	assert.Len(t, after.events, 2)
}

// The listings of a MemStore and of its transactions take the filter when
// they are called. They kept the caller's slice of stages and read it when
// ranged, so that a caller reusing it (a buffer) before ranging the
// listing, or between two rangings, changed what it yielded.
func TestMemStoreListingsKeepNoFilterSlice(t *testing.T) {
	ctx := context.Background()
	stores := map[string]func() pipeline.Store{
		"mem":    func() pipeline.Store { return pipelinetest.NewMemStore() },
		"outbox": func() pipeline.Store { return pipelinetest.NewOutboxMemStore() },
	}
	for name, newStore := range stores {
		t.Run(name, func(t *testing.T) {
			s := newStore()
			s1 := pipelinetest.NewScenario(t, nil)
			in, err := s1.Receive(ctx, pipelinetest.NewInquiry("i1"))
			require.NoError(t, err)
			d, err := s1.Engine.OpenDeal(ctx, pipelinetest.Rep(pipelinetest.RepAnn), pipelinetest.NewDeal("d1"), nil)
			require.NoError(t, err)
			require.NoError(t, s.CreateInquiry(ctx, in))
			require.NoError(t, s.CreateDeal(ctx, d))
			check := func(t *testing.T, st pipeline.Store) {
				t.Helper()
				is := []pipeline.InquiryStage{in.Stage}
				ds := []pipeline.DealStage{d.Stage}
				inqs, deals := st.ListInquiries(ctx, pipeline.InquiryFilter{Stages: is}), st.ListDeals(ctx, pipeline.DealFilter{Stages: ds})
				is[0], ds[0] = pipeline.InquiryConverted, pipeline.DealWon
				for range 2 { // ranged twice, after the change
					var n int
					for _, err := range inqs {
						require.NoError(t, err)
						n++
					}
					for _, err := range deals {
						require.NoError(t, err)
						n++
					}
					assert.Equal(t, 2, n, "the listings must match the stages given when they were called")
				}
			}
			t.Run("store", func(t *testing.T) { check(t, s) })
			t.Run("transaction", func(t *testing.T) {
				require.NoError(t, s.(pipeline.Transactor).Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
					check(t, tx)
					return nil
				}))
			})
		})
	}
}
