package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// txStore is what the Store of an OutboxMemStore's transaction implements.
type txStore interface {
	pipeline.Store
	pipeline.IdempotencyStore
	pipeline.Outbox
}

// outboxStore is an OutboxMemStore that counts its transactions and can
// make the appends of its transactions fail, or hide them.
type outboxStore struct {
	*pipelinetest.OutboxMemStore
	n int
	// appendErr, when set, is returned by AppendEvent in a transaction.
	appendErr error
	// hideOutbox gives transactions a Store that does not implement
	// pipeline.Outbox.
	hideOutbox bool
	// nilTx gives transactions a nil Store.
	nilTx bool
}

func newOutboxStore() *outboxStore {
	return &outboxStore{OutboxMemStore: pipelinetest.NewOutboxMemStore()}
}

func (s *outboxStore) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	s.n++
	return s.OutboxMemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		t := tx.(txStore)
		switch {
		case s.nilTx:
			return fn(ctx, nil)
		case s.hideOutbox:
			return fn(ctx, struct {
				pipeline.Store
				pipeline.IdempotencyStore
			}{t, t})
		case s.appendErr != nil:
			return fn(ctx, failingAppend{t, s.appendErr})
		}
		return fn(ctx, tx)
	})
}

// failingAppend is a transaction's Store whose AppendEvent fails.
type failingAppend struct {
	txStore
	err error
}

func (f failingAppend) AppendEvent(context.Context, sp.Event) error { return f.err }

func types(events []sp.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Type
	}
	return out
}

// qualified receives, contacts and qualifies inquiry id.
func qualified(t *testing.T, e *pipeline.Engine, id sp.InquiryID) {
	t.Helper()
	ctx := context.Background()
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry(id), nil)
	require.NoError(t, err)
	_, err = e.Contact(ctx, system, id, pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = e.Qualify(ctx, system, id, nil)
	require.NoError(t, err)
}

var conv100 = pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100")}}

// With an outbox, every command runs in a transaction, keyed or not, and
// its events are appended there; the Publisher gets none of them.
func TestOutboxKeepsEventsWithTheChange(t *testing.T) {
	ctx := context.Background()
	s := newOutboxStore()
	rec := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
	require.NoError(t, err)

	qualified(t, e, "i1")
	in, d, err := e.Convert(ctx, system, "i1", conv100, nil)
	require.NoError(t, err)
	d, err = e.Advance(ctx, system, d.ID, pipeline.DealProposal, &pipeline.CommandOptions{Reason: "sent"})
	require.NoError(t, err)
	d, err = e.Win(ctx, system, d.ID, nil)
	require.NoError(t, err)

	assert.Equal(t, 6, s.n, "one transaction per command")
	assert.Empty(t, rec.Events(), "the Publisher gets no event the outbox took")
	events := s.Events()
	assert.Equal(t, []string{
		pipeline.EventInquiryReceived, pipeline.EventInquiryContacted, pipeline.EventInquiryQualified,
		pipeline.EventDealOpened, pipeline.EventInquiryConverted, pipeline.EventDealAdvanced, pipeline.EventDealWon,
	}, types(events))
	require.Len(t, events, 7)

	converted := events[4]
	assert.Equal(t, "pipeline/inquiry/i1/4", converted.ID)
	assert.Equal(t, "i1", converted.Subject)
	assert.Equal(t, system.ID, converted.Actor)
	assert.True(t, converted.Time.Equal(in.History[len(in.History)-1].At), "the event has the change's time")
	var ie pipeline.InquiryEvent
	require.NoError(t, json.Unmarshal(converted.Data, &ie))
	assert.Equal(t, in.Version, ie.Version)
	assert.Equal(t, d.ID, ie.Deal)

	won := events[6]
	assert.Equal(t, "pipeline/deal/i1/3", won.ID)
	var de pipeline.DealEvent
	require.NoError(t, json.Unmarshal(won.Data, &de))
	assert.Equal(t, d.Version, de.Version)
	assert.Equal(t, pipeline.DealWon, de.Stage)
	assert.Equal(t, pipeline.DealProposal, de.From)
	for _, ev := range events {
		assert.NoError(t, ev.Validate())
	}
}

// An append that fails fails the command, which stores nothing: no record
// created, none changed, no version taken, no event kept or published.
func TestOutboxAppendFailureStoresNothing(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("outbox full")
	s := newOutboxStore()
	rec := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
	require.NoError(t, err)
	qualified(t, e, "i1")
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	kept := s.Events()
	s.appendErr = boom

	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i2"), nil)
	assert.ErrorIs(t, err, boom, "ReceiveInquiry")
	_, err = s.GetInquiry(ctx, "i2")
	assert.ErrorIs(t, err, sp.ErrNotFound, "the inquiry is not created")

	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d2"), nil)
	assert.ErrorIs(t, err, boom, "OpenDeal")
	_, err = s.GetDeal(ctx, "d2")
	assert.ErrorIs(t, err, sp.ErrNotFound, "the deal is not created")

	_, err = e.Advance(ctx, system, "d1", pipeline.DealProposal, &pipeline.CommandOptions{IdempotencyKey: "k-advance"})
	assert.ErrorIs(t, err, boom, "Advance")
	d, err := s.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), d.Version, "the deal's version is unchanged")
	assert.Equal(t, pipeline.DealProspecting, d.Stage, "the deal's stage is unchanged")
	_, err = s.GetOutcome(ctx, "k-advance")
	assert.ErrorIs(t, err, sp.ErrNotFound, "no outcome is kept for the key")

	_, _, err = e.Convert(ctx, system, "i1", conv100, nil)
	assert.ErrorIs(t, err, boom, "Convert")
	in, err := s.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryQualified, in.Stage, "the inquiry is not converted")
	assert.Equal(t, int64(3), in.Version)
	_, err = s.GetDeal(ctx, "i1")
	assert.ErrorIs(t, err, sp.ErrNotFound, "the conversion's deal is not created")

	assert.Equal(t, kept, s.Events(), "no event is kept")
	assert.Empty(t, rec.Events(), "no event is published")

	s.appendErr = nil
	d, err = e.Advance(ctx, system, "d1", pipeline.DealProposal, &pipeline.CommandOptions{IdempotencyKey: "k-advance"})
	require.NoError(t, err, "the retry of the failed command runs afresh")
	assert.Equal(t, int64(2), d.Version)
	assert.Len(t, s.Events(), len(kept)+1)
}

// A refused command and a keyed retry append nothing; the retry gets the
// first outcome, whose events the outbox already has.
func TestOutboxRefusalsAndRetries(t *testing.T) {
	ctx := context.Background()
	for _, ownOutcomes := range []bool{false, true} {
		name := "outcomes in the store"
		if ownOutcomes {
			name = "outcomes in a store of their own"
		}
		t.Run(name, func(t *testing.T) {
			s := newOutboxStore()
			opts := &pipeline.Options{Clock: pipelinetest.NewClock()}
			if ownOutcomes {
				opts.Idempotency = pipelinetest.NewMemStore()
			}
			e, err := pipeline.NewEngine(s, s, opts)
			require.NoError(t, err)
			qualified(t, e, "i1")
			key := &pipeline.CommandOptions{IdempotencyKey: "k-convert"}
			in, d, err := e.Convert(ctx, system, "i1", conv100, key)
			require.NoError(t, err)
			n := len(s.Events())

			again, againDeal, err := e.Convert(ctx, system, "i1", conv100, key)
			require.NoError(t, err, "a retry gets the first outcome")
			assert.Equal(t, in.Version, again.Version)
			assert.Equal(t, d.Version, againDeal.Version)
			assert.Len(t, s.Events(), n, "a keyed retry appends nothing")

			_, err = e.Advance(ctx, bob, d.ID, pipeline.DealProposal, nil)
			assert.ErrorIs(t, err, sp.ErrForbidden, "Bob may not move Ann's deal")
			_, err = e.Advance(ctx, system, d.ID, "nowhere", nil)
			assert.Error(t, err, "no such stage")
			_, err = e.Lose(ctx, system, d.ID, pipeline.LossReason{}, nil)
			assert.Error(t, err, "losing needs a reason")
			assert.Len(t, s.Events(), n, "refused and failed commands append nothing")
			d2, err := e.GetDeal(ctx, d.ID)
			require.NoError(t, err)
			assert.Equal(t, d.Version, d2.Version)
		})
	}
}

// Events of commands whose writes are not all in the transaction's store
// go to the Publisher after the change, as without an outbox: here the
// inquiries live in a store of their own.
func TestOutboxPublisherGetsTheRest(t *testing.T) {
	ctx := context.Background()
	inquiries, deals := pipelinetest.NewMemStore(), newOutboxStore()
	rec := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
	require.NoError(t, err)
	qualified(t, e, "i1")
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, _, err = e.Convert(ctx, system, "i1", conv100, nil)
	require.NoError(t, err)
	_, err = e.Advance(ctx, system, "d1", pipeline.DealProposal, nil)
	require.NoError(t, err)

	assert.Equal(t, []string{
		pipeline.EventInquiryReceived, pipeline.EventInquiryContacted, pipeline.EventInquiryQualified,
		pipeline.EventDealOpened, pipeline.EventInquiryConverted,
	}, rec.Types(), "inquiry commands and conversions, which write outside the deal store's transactions, publish")
	assert.Equal(t, []string{pipeline.EventDealOpened, pipeline.EventDealAdvanced}, types(deals.Events()),
		"deal commands append to the outbox")
	assert.Equal(t, 2, deals.n, "the deal commands ran in a transaction, the conversion did not")
}

// An event the engine cannot make (a payload that cannot be encoded, an
// invalid or repeated ID from Options.EventID) fails the command, which
// stores nothing.
func TestOutboxBadEventsStoreNothing(t *testing.T) {
	ctx := context.Background()
	t.Run("payload_not_encodable", func(t *testing.T) {
		s := newOutboxStore()
		// Time.MarshalJSON refuses years after 9999; the inquiry is
		// received now, and its payload carries that time. The event's
		// own time is checked first, before anything is written.
		far := sp.FixedClock(time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC))
		e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: far})
		require.NoError(t, err)
		in := pipelinetest.NewInquiry("i1")
		in.Received = time.Time{}
		_, err = e.ReceiveInquiry(ctx, system, in, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		assert.ErrorContains(t, err, "event.time")
		_, err = s.GetInquiry(ctx, "i1")
		assert.ErrorIs(t, err, sp.ErrNotFound, "the inquiry is not stored")
		assert.Empty(t, s.Events())
	})
	t.Run("empty_id", func(t *testing.T) {
		s := newOutboxStore()
		e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(),
			EventID: func(string, string, int64) string { return "" }})
		require.NoError(t, err)
		_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = s.GetDeal(ctx, "d1")
		assert.ErrorIs(t, err, sp.ErrNotFound, "the deal is not stored")
		assert.Empty(t, s.Events())
	})
	t.Run("repeated_id", func(t *testing.T) {
		s := newOutboxStore()
		e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(),
			EventID: func(string, string, int64) string { return "always-the-same" }})
		require.NoError(t, err)
		_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		_, err = e.Advance(ctx, system, "d1", pipeline.DealProposal, nil)
		assert.ErrorIs(t, err, sp.ErrDuplicate, "the store refuses an event ID it has")
		d, err := s.GetDeal(ctx, "d1")
		require.NoError(t, err)
		assert.Equal(t, int64(1), d.Version, "the deal is unchanged")
		assert.Len(t, s.Events(), 1)
	})
	t.Run("nil_transaction_store", func(t *testing.T) {
		s := newOutboxStore()
		s.nilTx = true
		e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = s.GetDeal(ctx, "d1")
		assert.ErrorIs(t, err, sp.ErrNotFound, "the deal is not stored")
	})
	t.Run("transaction_without_outbox", func(t *testing.T) {
		s := newOutboxStore()
		s.hideOutbox = true
		rec := &pipelinetest.Recorder{}
		e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
		require.NoError(t, err)
		_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid, "a DealStore that is an Outbox must give transactions that are")
		_, err = s.GetDeal(ctx, "d1")
		assert.ErrorIs(t, err, sp.ErrNotFound, "the deal is not stored")
		assert.Empty(t, s.Events())
		assert.Empty(t, rec.Events())
	})
}

// A store that is an Outbox but not a Transactor is not used as one: its
// events are published after the change, as before.
func TestOutboxWithoutTransactor(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewOutboxMemStore()
	type noTx struct {
		pipeline.Store
		pipeline.Outbox
	}
	store := noTx{s, s}
	rec := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
	require.NoError(t, err)
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{pipeline.EventDealOpened}, rec.Types())
	assert.Empty(t, s.Events())
}

// A conversion that finds its deal already stored, left by a run that
// crashed between its two writes, completes; with an outbox it appends no
// opening event for that deal, which had its own when it was created, but
// only its own. (The run that crashed ran on the same store through an
// engine that saw it as neither a Transactor nor an Outbox.)
func TestOutboxConvertOntoAStoredDeal(t *testing.T) {
	ctx := context.Background()
	s := newOutboxStore()
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	qualified(t, e, "i1")

	cs := &crashStore{Store: s, crash: true}
	direct, err := pipeline.NewEngine(cs, cs, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	_, _, err = direct.Convert(ctx, system, "i1", conv100, nil)
	require.Error(t, err)
	_, err = s.GetDeal(ctx, "i1")
	require.NoError(t, err, "the crash left the deal")

	in, d, err := e.Convert(ctx, system, "i1", conv100, nil)
	require.NoError(t, err)
	assert.Equal(t, sp.DealID("i1"), in.Deal)
	assert.Equal(t, sp.InquiryID("i1"), d.Inquiry)
	assert.Equal(t, []string{
		pipeline.EventInquiryReceived, pipeline.EventInquiryContacted, pipeline.EventInquiryQualified,
		pipeline.EventInquiryConverted,
	}, types(s.Events()))
}

// Without an outbox, an event the engine cannot make fails the command as
// it does with one: it is checked before the change is stored, so the
// command stores nothing and publishes nothing.
func TestPublishedBadEventsStoreNothing(t *testing.T) {
	ctx := context.Background()
	for _, keyed := range []bool{false, true} {
		t.Run(fmt.Sprintf("keyed=%v", keyed), func(t *testing.T) {
			opts := func(k string) *pipeline.CommandOptions {
				if !keyed {
					return nil
				}
				return &pipeline.CommandOptions{IdempotencyKey: k}
			}
			bad := map[string]bool{}
			s := pipelinetest.NewScenario(t, &pipeline.Options{EventID: func(kind, id string, v int64) string {
				if bad[kind+"/"+id] {
					return ""
				}
				return kind + "/" + id + "/" + fmt.Sprint(v)
			}})
			bad["inquiry/i0"] = true
			_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i0"), opts("k0"))
			assert.ErrorIs(t, err, sp.ErrInvalid)
			_, err = s.Store.GetInquiry(ctx, "i0")
			assert.ErrorIs(t, err, sp.ErrNotFound, "the inquiry is not stored")

			_, err = s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), opts("k1"))
			require.NoError(t, err)
			_, err = s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), opts("k2"))
			require.NoError(t, err)
			bad["inquiry/i1"], bad["deal/d1"] = true, true
			_, err = s.Engine.Contact(ctx, system, "i1", pipeline.Activity{}, opts("k3"))
			assert.ErrorIs(t, err, sp.ErrInvalid)
			_, err = s.Engine.Advance(ctx, system, "d1", pipeline.DealProposal, opts("k4"))
			assert.ErrorIs(t, err, sp.ErrInvalid)
			in, err := s.Store.GetInquiry(ctx, "i1")
			require.NoError(t, err)
			assert.Equal(t, int64(1), in.Version, "the inquiry is unchanged")
			d, err := s.Store.GetDeal(ctx, "d1")
			require.NoError(t, err)
			assert.Equal(t, int64(1), d.Version, "the deal is unchanged")

			// A conversion: the deal's event and the inquiry's.
			for _, k := range []string{"inquiry/i2", "deal/i2"} {
				id := sp.InquiryID("i2-" + k[:1])
				_, err = s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry(id), nil)
				require.NoError(t, err)
				_, err = s.Engine.Contact(ctx, system, id, pipeline.Activity{}, nil)
				require.NoError(t, err)
				_, err = s.Engine.Qualify(ctx, system, id, nil)
				require.NoError(t, err)
				bad[k[:len(k)-2]+string(id)] = true
				_, _, err = s.Engine.Convert(ctx, system, id, pipeline.Conversion{}, opts("k5"+k))
				assert.ErrorIs(t, err, sp.ErrInvalid, k)
				_, err = s.Store.GetDeal(ctx, sp.DealID(id))
				assert.ErrorIs(t, err, sp.ErrNotFound, "%s: no deal is stored", k)
				in, err := s.Store.GetInquiry(ctx, id)
				require.NoError(t, err)
				assert.Equal(t, pipeline.InquiryQualified, in.Stage, k)
			}
			assert.Equal(t, []string{
				pipeline.EventInquiryReceived, pipeline.EventDealOpened,
				pipeline.EventInquiryReceived, pipeline.EventInquiryContacted, pipeline.EventInquiryQualified,
				pipeline.EventInquiryReceived, pipeline.EventInquiryContacted, pipeline.EventInquiryQualified,
			}, s.Events.Types(), "no event of a failed command is published")
			for _, ev := range s.Events.Events() {
				assert.NoError(t, ev.Validate())
			}
		})
	}
}
