package pipelinetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// eventReader returns the events of the outbox of s, failing t if it
// cannot.
type eventReader func(t *testing.T, s pipeline.Store) []sp.Event

// outboxReader returns the reader of [StoreTestOptions].Events, or of the
// store's own Events method when that is nil.
func outboxReader(read func(ctx context.Context, s pipeline.Store) ([]sp.Event, error)) eventReader {
	return func(t *testing.T, s pipeline.Store) []sp.Event {
		t.Helper()
		if read != nil {
			events, err := read(context.Background(), s)
			if err != nil {
				t.Fatalf("StoreTestOptions.Events: %v", err)
			}
			return events
		}
		if r, ok := s.(interface{ Events() []sp.Event }); ok {
			return r.Events()
		}
		t.Fatalf("the store implements pipeline.Outbox, but the suite cannot read its events: give StoreTestOptions.Events, or the store an Events() []sp.Event method")
		return nil
	}
}

// hasOutbox reports whether the engine keeps events in s: s is a
// pipeline.Transactor and a pipeline.Outbox.
func hasOutbox(s pipeline.Store) bool {
	_, tx := s.(pipeline.Transactor)
	_, ob := s.(pipeline.Outbox)
	return tx && ob
}

// testEvent returns an event of the fixtures, numbered n.
func testEvent(n int) sp.Event {
	return sp.Event{
		ID: fmt.Sprintf("test/event/%d", n), Type: "pipelinetest.test.appended", Time: Epoch().Add(time.Duration(n) * time.Second),
		Actor: SystemJob, Subject: fmt.Sprintf("d%d", n), Data: json.RawMessage(fmt.Sprintf(`{"n":%d,"note":"event %d"}`, n, n)),
	}
}

// sameEvent reports whether got is want as a store returns it: the same
// time, whatever its location, and the same JSON, whatever its spacing.
func sameEvent(want, got sp.Event) bool {
	if want.ID != got.ID || want.Type != got.Type || !want.Time.Equal(got.Time) || want.Actor != got.Actor || want.Subject != got.Subject {
		return false
	}
	if len(want.Data) == 0 || len(got.Data) == 0 {
		return len(want.Data) == len(got.Data)
	}
	var w, g any
	if json.Unmarshal(want.Data, &w) != nil || json.Unmarshal(got.Data, &g) != nil {
		return false
	}
	return reflect.DeepEqual(w, g)
}

// fmtEvents writes events readably, their payloads as text.
func fmtEvents(events []sp.Event) string {
	var b strings.Builder
	for _, e := range events {
		fmt.Fprintf(&b, "{%s %s %s %s %s %q} ", e.ID, e.Type, e.Time.Format(time.RFC3339Nano), e.Actor, e.Subject, e.Data)
	}
	return b.String()
}

func eventIDs(events []sp.Event) []string {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

func testOutbox(t *testing.T, newStore func(t *testing.T) pipeline.Store, events eventReader) {
	if _, ok := newStore(t).(pipeline.Outbox); !ok {
		t.Skip("the store does not implement pipeline.Outbox")
	}
	if !hasOutbox(newStore(t)) {
		t.Skip("the store implements pipeline.Outbox but not pipeline.Transactor, and the engine uses it only with one")
	}
	ctx := context.Background()
	// atomically runs fn in a transaction of s, with the transaction's
	// Outbox.
	atomically := func(t *testing.T, s pipeline.Store, fn func(ctx context.Context, tx pipeline.Store, ob pipeline.Outbox) error) error {
		t.Helper()
		return s.(pipeline.Transactor).Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			ob, ok := tx.(pipeline.Outbox)
			if !ok {
				t.Fatalf("Atomically must give a Store that implements pipeline.Outbox when the store does; got %T", tx)
			}
			return fn(ctx, tx, ob)
		})
	}
	t.Run("rolled_back", func(t *testing.T) {
		s := newStore(t)
		e0 := testEvent(0)
		if err := s.(pipeline.Outbox).AppendEvent(ctx, e0); err != nil {
			t.Fatalf("AppendEvent outside a transaction: want nil, got %v", err)
		}
		boom := errors.New("boom")
		err := atomically(t, s, func(ctx context.Context, tx pipeline.Store, ob pipeline.Outbox) error {
			if err := tx.CreateDeal(ctx, storedDeal("d1", 0)); err != nil {
				return err
			}
			if err := ob.AppendEvent(ctx, testEvent(1)); err != nil {
				return fmt.Errorf("AppendEvent in a transaction: want nil, got %w", err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Atomically must return the error of its function; got %v", err)
		}
		if got := events(t, s); len(got) != 1 {
			t.Errorf("an event appended in a transaction that fails must not be kept; the outbox has %v", eventIDs(got))
		}
		err = atomically(t, s, func(ctx context.Context, _ pipeline.Store, ob pipeline.Outbox) error {
			return ob.AppendEvent(ctx, testEvent(1))
		})
		if err != nil {
			t.Errorf("an event appended in a transaction that fails must not be kept, nor its ID: appending it again failed: %v", err)
		}
		if got, want := eventIDs(events(t, s)), eventIDs([]sp.Event{e0, testEvent(1)}); !slices.Equal(got, want) {
			t.Errorf("an event appended in a transaction that fails and again in one that commits must be kept once: the outbox has %v, want %v", got, want)
		}
	})
	t.Run("committed", func(t *testing.T) {
		s := newStore(t)
		e1, e2 := testEvent(1), testEvent(2)
		e2.Data = nil
		data := slices.Clone(e1.Data)
		err := atomically(t, s, func(ctx context.Context, tx pipeline.Store, ob pipeline.Outbox) error {
			if err := tx.CreateDeal(ctx, storedDeal("d1", 0)); err != nil {
				return err
			}
			in := e1
			in.Data = data
			if err := ob.AppendEvent(ctx, in); err != nil {
				return fmt.Errorf("AppendEvent in a transaction: want nil, got %w", err)
			}
			clear(data) // the store must have copied it, or not kept it
			if err := ob.AppendEvent(ctx, e2); err != nil {
				return fmt.Errorf("AppendEvent of an event without data in a transaction: want nil, got %w", err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Atomically with a function that succeeds: want nil, got %v", err)
		}
		got := events(t, s)
		if len(got) != 2 || !sameEvent(e1, got[0]) || !sameEvent(e2, got[1]) {
			t.Fatalf("an event appended in a transaction that commits must be kept, as given (e.Data copied), in the order appended:\n got: %s\nwant: %s", fmtEvents(got), fmtEvents([]sp.Event{e1, e2}))
		}
		e3 := testEvent(3)
		if err := s.(pipeline.Outbox).AppendEvent(ctx, e3); err != nil {
			t.Fatalf("AppendEvent outside a transaction: want nil, got %v", err)
		}
		got = events(t, s)
		if len(got) != 3 || !sameEvent(e3, got[2]) {
			t.Errorf("an event appended outside a transaction must be kept at once: got %v", eventIDs(got))
		}
		err = atomically(t, s, func(ctx context.Context, _ pipeline.Store, ob pipeline.Outbox) error {
			return ob.AppendEvent(ctx, e1)
		})
		switch got := events(t, s); {
		case err == nil:
		case !errors.Is(err, sp.ErrDuplicate):
			t.Errorf("AppendEvent of an ID already appended must either append it or fail with ErrDuplicate; got %v", err)
		case len(got) != 3:
			t.Errorf("AppendEvent of an ID already appended, refused, must append nothing; the outbox has %v", eventIDs(got))
		}
	})
	t.Run("cancelled_context", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.(pipeline.Outbox).AppendEvent(cctx, testEvent(1)); !errors.Is(err, context.Canceled) {
			t.Errorf("AppendEvent with a cancelled context must fail with its error; got %v", err)
		}
		err := atomically(t, s, func(_ context.Context, _ pipeline.Store, ob pipeline.Outbox) error {
			if err := ob.AppendEvent(cctx, testEvent(2)); !errors.Is(err, context.Canceled) {
				t.Errorf("AppendEvent in a transaction with a cancelled context must fail with its error; got %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Atomically with a function that succeeds: want nil, got %v", err)
		}
		if got := events(t, s); len(got) != 0 {
			t.Errorf("AppendEvent with a cancelled context must append nothing; the outbox has %v", eventIDs(got))
		}
	})
	t.Run("engine", func(t *testing.T) { testOutboxEngine(t, newStore(t), events) })
}

// testOutboxEngine runs commands through an engine on s and counts their
// events in the outbox.
func testOutboxEngine(t *testing.T, s pipeline.Store, events eventReader) {
	ctx := context.Background()
	var published []string
	pub := sp.PublisherFunc(func(_ context.Context, e sp.Event) error {
		published = append(published, e.Type)
		return nil
	})
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: NewClock(), Publisher: pub})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	step := func(name string, err error, types ...string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want = append(want, types...)
		if got := events(t, s); !slices.Equal(eventTypes(got), want) {
			t.Fatalf("through the Engine, each successful command must leave exactly its events in the outbox (Convert two); after %s got %v, want %v", name, eventTypes(got), want)
		}
	}
	_, err = e.ReceiveInquiry(ctx, System(), NewInquiry("i1"), nil)
	step("ReceiveInquiry", err, pipeline.EventInquiryReceived)
	_, err = e.Contact(ctx, System(), "i1", pipeline.Activity{}, nil)
	step("Contact", err, pipeline.EventInquiryContacted)
	_, err = e.Qualify(ctx, System(), "i1", nil)
	step("Qualify", err, pipeline.EventInquiryQualified)
	_, d, err := e.Convert(ctx, System(), "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: MustEUR("500.00")}}, nil)
	step("Convert", err, pipeline.EventDealOpened, pipeline.EventInquiryConverted)
	_, err = e.Advance(ctx, System(), d.ID, pipeline.DealProposal, nil)
	step("Advance", err, pipeline.EventDealAdvanced)

	_, err = e.Win(ctx, Rep(RepBob), d.ID, nil)
	if !errors.Is(err, sp.ErrForbidden) {
		t.Fatalf("Win by a rep who does not own the deal: want ErrForbidden, got %v", err)
	}
	_, err = e.Advance(ctx, System(), d.ID, pipeline.DealProspecting, nil)
	if err == nil {
		t.Fatalf("Advance backward in the default pipeline: want an error, got nil")
	}
	step("a refused and a failed command", nil)

	if _, ok := s.(pipeline.IdempotencyStore); ok {
		key := &pipeline.CommandOptions{IdempotencyKey: "outbox-open-d2"}
		_, err = e.OpenDeal(ctx, System(), NewDeal("d2"), key)
		step("OpenDeal with a key", err, pipeline.EventDealOpened)
		_, err = e.OpenDeal(ctx, System(), NewDeal("d2"), key)
		step("its retry", err)
	}

	got := events(t, s)
	for i, ev := range got {
		if err := ev.Validate(); err != nil {
			t.Errorf("the outbox must keep the events as the engine appended them, valid; event %d: %v", i, err)
		}
	}
	if len(published) > 0 {
		t.Errorf("the engine must not publish the events its store's outbox took; published %v", published)
	}
}

func eventTypes(events []sp.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Type
	}
	return out
}
