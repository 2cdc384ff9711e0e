package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// outboxEvents reads the whole outbox of s, a *sqlstore.Store: how the
// conformance suite reads it (pipelinetest.StoreTestOptions.Events).
func outboxEvents(ctx context.Context, s pipeline.Store) ([]sp.Event, error) {
	var out []sp.Event
	for e, err := range s.(*sqlstore.Store).ListEvents(ctx, 0) {
		if err != nil {
			return nil, err
		}
		out = append(out, e.Event)
	}
	return out, nil
}

// listEvents returns the events of s after the sequence number after.
func listEvents(t *testing.T, s *sqlstore.Store, after int64) []sqlstore.OutboxEvent {
	t.Helper()
	var out []sqlstore.OutboxEvent
	for e, err := range s.ListEvents(context.Background(), after) {
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

// ids returns the IDs of events, in order.
func ids(events []sqlstore.OutboxEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Event.ID
	}
	return out
}

// event returns a valid event numbered n, in UTC.
func event(n int) sp.Event {
	return sp.Event{
		ID: fmt.Sprintf("e%d", n), Type: "test.thing.happened", Time: pipelinetest.Epoch().Add(time.Duration(n) * time.Second),
		Actor: "job-test", Subject: fmt.Sprintf("d%d", n), Data: json.RawMessage(fmt.Sprintf(`{"n": %d}`, n)),
	}
}

func TestOutboxRelay(t *testing.T) {
	ctx := context.Background()
	for _, page := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("page_size_%d", page), func(t *testing.T) {
			eachBackend(t, func(t *testing.T, b backend) {
				s := b.open(t, &sqlstore.Options{PageSize: page})
				assert.Empty(t, listEvents(t, s, 0), "a new store's outbox is empty")
				require.NoError(t, s.AppendEvent(ctx, event(1)))
				require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
					for n := 2; n <= 4; n++ {
						if err := tx.(pipeline.Outbox).AppendEvent(ctx, event(n)); err != nil {
							return err
						}
					}
					return nil
				}))
				require.NoError(t, s.AppendEvent(ctx, event(5)))

				all := listEvents(t, s, 0)
				require.Equal(t, []string{"e1", "e2", "e3", "e4", "e5"}, ids(all), "in the order appended")
				for i, e := range all {
					want := event(i + 1)
					assert.Equal(t, want.Time, e.Event.Time, "the same instant, in UTC")
					assert.Equal(t, time.UTC, e.Event.Time.Location())
					assert.Equal(t, want, e.Event)
					if i > 0 {
						assert.Greater(t, e.Seq, all[i-1].Seq, "sequence numbers grow in append order")
					} else {
						assert.Positive(t, e.Seq)
					}
				}
				assert.Equal(t, ids(all[2:]), ids(listEvents(t, s, all[1].Seq)), "after skips through its sequence number")
				assert.Equal(t, all, listEvents(t, s, -1), "any after below the first lists all")
				assert.Empty(t, listEvents(t, s, all[4].Seq))

				// A relay takes a batch by stopping early.
				var batch []sqlstore.OutboxEvent
				for e, err := range s.ListEvents(ctx, 0) {
					require.NoError(t, err)
					batch = append(batch, e)
					if len(batch) == 2 {
						break
					}
				}
				assert.Equal(t, []string{"e1", "e2"}, ids(batch))

				// Delivered, they are deleted.
				require.NoError(t, s.DeleteEvents(ctx, batch[1].Seq))
				assert.Equal(t, []string{"e3", "e4", "e5"}, ids(listEvents(t, s, 0)))
				require.NoError(t, s.DeleteEvents(ctx, 0), "through 0 deletes nothing")
				require.NoError(t, s.DeleteEvents(ctx, -5), "nor does a negative")
				require.NoError(t, s.DeleteEvents(ctx, batch[1].Seq), "deleting again is no error")
				assert.Equal(t, []string{"e3", "e4", "e5"}, ids(listEvents(t, s, 0)))
				require.NoError(t, s.DeleteEvents(ctx, all[4].Seq+100), "through past the last deletes all")
				assert.Empty(t, listEvents(t, s, 0))

				// Sequence numbers are never reused, so a relay's cursor
				// stays behind every event appended after it.
				require.NoError(t, s.AppendEvent(ctx, event(6)))
				next := listEvents(t, s, 0)
				require.Len(t, next, 1)
				assert.Greater(t, next[0].Seq, all[4].Seq)
			})
		})
	}
}

func TestOutboxDuplicate(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		require.NoError(t, s.AppendEvent(ctx, event(1)))
		again := event(2)
		again.ID = "e1"
		err := s.AppendEvent(ctx, again)
		require.ErrorIs(t, err, sp.ErrDuplicate)
		assert.True(t, strings.HasPrefix(err.Error(), "sqlstore: append event "), "%v", err)
		assert.Contains(t, err.Error(), `"e1"`)

		// In a transaction, the refusal leaves the transaction usable.
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			ob := tx.(pipeline.Outbox)
			if err := ob.AppendEvent(ctx, again); !errors.Is(err, sp.ErrDuplicate) {
				return fmt.Errorf("want a duplicate, got %w", err)
			}
			return ob.AppendEvent(ctx, event(2))
		}))
		got := listEvents(t, s, 0)
		require.Equal(t, []string{"e1", "e2"}, ids(got))
		assert.Equal(t, event(1), got[0].Event, "the first event is kept as it was")

		// A deleted event's ID is forgotten.
		require.NoError(t, s.DeleteEvents(ctx, got[0].Seq))
		require.NoError(t, s.AppendEvent(ctx, event(1)))
		assert.Equal(t, []string{"e2", "e1"}, ids(listEvents(t, s, 0)))
	})
}

// Of concurrent appends of one ID, exactly one succeeds and the others get
// a duplicate, on PostgreSQL too, where the appends wait for each other's
// lock and a transaction at SERIALIZABLE would fail on the row committed
// after its snapshot instead.
func TestOutboxConcurrentDuplicate(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		for round := range 5 {
			s := b.open(t, nil)
			errs := make([]error, 8)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = s.AppendEvent(ctx, event(1))
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else {
					assert.ErrorIs(t, err, sp.ErrDuplicate, "round %d", round)
				}
			}
			assert.Equal(t, 1, ok, "round %d: one append succeeds", round)
			assert.Equal(t, []string{"e1"}, ids(listEvents(t, s, 0)))
		}
	})
}

// In a transaction on PostgreSQL, which runs at READ COMMITTED, an event
// ID that another transaction committed while this one ran is a
// duplicate, and the transaction goes on and commits what else it wrote.
func TestOutboxDuplicateInTransaction(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t, nil)
	require.NoError(t, s.CreateDeal(ctx, deal("d1")))
	err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		if _, err := tx.GetDeal(ctx, "d1"); err != nil {
			return err
		}
		if err := s.AppendEvent(ctx, event(1)); err != nil {
			return err
		}
		err := tx.(pipeline.Outbox).AppendEvent(ctx, event(1))
		require.ErrorIs(t, err, sp.ErrDuplicate)
		assert.NotErrorIs(t, err, sp.ErrConflict)
		if err := tx.(pipeline.Outbox).AppendEvent(ctx, event(2)); err != nil {
			return err
		}
		return tx.CreateDeal(ctx, deal("d2"))
	})
	require.NoError(t, err)
	_, err = s.GetDeal(ctx, "d2")
	require.NoError(t, err, "the transaction went on after the duplicate and committed")
	got := listEvents(t, s, 0)
	assert.Equal(t, []string{"e1", "e2"}, ids(got))
	assert.Equal(t, event(1), got[0].Event, "the event appended beside the transaction is kept as it was")
}

// On PostgreSQL an error aborts the transaction: a later call in it
// fails with an error wrapping sp.ErrInvalid, as one after the
// transaction's end does, and the transaction writes nothing. Here the
// error is a lock timeout (the connection's lock_timeout), on a row that
// another transaction holds.
func TestAbortedTransaction(t *testing.T) {
	ctx := context.Background()
	o := postgresSchema(t, nil)
	s := mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o)
	require.NoError(t, s.CreateDeal(ctx, deal("d1")))
	impatient := mustOpen(t, sqlstore.PostgreSQL, withParam(postgresDSN(t), "lock_timeout", "50"), o)
	hold, err := s.DB().BeginTx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = hold.Rollback() }()
	_, err = hold.ExecContext(ctx, "SELECT id FROM "+o.Schema+".deals WHERE id = 'd1' FOR UPDATE")
	require.NoError(t, err)
	err = impatient.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		require.NoError(t, tx.CreateDeal(ctx, deal("d2")))
		d, err := tx.GetDeal(ctx, "d1")
		require.NoError(t, err)
		d.Version++
		require.ErrorIs(t, tx.UpdateDeal(ctx, d, d.Version-1), sp.ErrConflict, "a lock that could not be had in time")
		_, err = tx.GetDeal(ctx, "d1")
		assert.ErrorIs(t, err, sp.ErrInvalid, "GetDeal")
		assert.ErrorIs(t, tx.CreateDeal(ctx, deal("d3")), sp.ErrInvalid, "CreateDeal")
		for _, err := range tx.ListDeals(ctx, pipeline.DealFilter{}) {
			assert.ErrorIs(t, err, sp.ErrInvalid, "ListDeals")
		}
		assert.ErrorIs(t, tx.(pipeline.Outbox).AppendEvent(ctx, event(1)), sp.ErrInvalid, "AppendEvent")
		return nil
	})
	assert.ErrorIs(t, err, sp.ErrInvalid, "the commit of an aborted transaction")
	require.NoError(t, hold.Rollback())
	for _, id := range []sp.DealID{"d2", "d3"} {
		_, err = s.GetDeal(ctx, id)
		assert.ErrorIs(t, err, sp.ErrNotFound, "the transaction wrote nothing: %s", id)
	}
}

// withParam returns dsn, a URL or key=value DSN as pgx takes them, with the
// run-time parameter name set to value.
func withParam(dsn, name, value string) string {
	switch {
	case !strings.Contains(dsn, "://"):
		return dsn + " " + name + "=" + value
	case strings.Contains(dsn, "?"):
		return dsn + "&" + name + "=" + value
	}
	return dsn + "?" + name + "=" + value
}

func TestOutboxData(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		none := event(1)
		none.Data = nil
		empty := event(2)
		empty.Data = json.RawMessage{}
		spaced := event(3)
		spaced.Data = json.RawMessage(" { \"b\" : [1, 2.50, \"\\u00e9\"], \"a\": null }\n")
		str := event(4)
		str.Data = json.RawMessage(`"a\u0000b"`) // JSON may escape a NUL
		in := append(json.RawMessage(nil), spaced.Data...)
		copied := spaced
		copied.Data = in
		for _, e := range []sp.Event{none, empty, copied, str} {
			require.NoError(t, s.AppendEvent(ctx, e))
		}
		clear(in) // the store copied it
		got := listEvents(t, s, 0)
		require.Len(t, got, 4)
		assert.Nil(t, got[0].Event.Data, "nil Data reads back nil")
		assert.Nil(t, got[1].Event.Data, "empty Data reads back nil")
		assert.Equal(t, spaced.Data, got[2].Event.Data, "Data is kept byte for byte")
		assert.Equal(t, str.Data, got[3].Event.Data)
	})
}

func TestOutboxInvalidEvent(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		require.NoError(t, s.AppendEvent(ctx, event(1)))
		bad := event(2)
		bad.Subject = ""
		err := s.AppendEvent(ctx, bad)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.True(t, strings.HasPrefix(err.Error(), "sqlstore: append event "), "%v", err)
		long := event(3)
		long.Subject = strings.Repeat("s", sqlstore.MaxTextLength+1)
		require.ErrorIs(t, s.AppendEvent(ctx, long), sp.ErrInvalid)

		// In a transaction the refusal writes nothing and the transaction
		// goes on, even on PostgreSQL.
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			ob := tx.(pipeline.Outbox)
			if err := ob.AppendEvent(ctx, bad); !errors.Is(err, sp.ErrInvalid) {
				return fmt.Errorf("want invalid, got %w", err)
			}
			if err := ob.AppendEvent(ctx, long); !errors.Is(err, sp.ErrInvalid) {
				return fmt.Errorf("want invalid, got %w", err)
			}
			return ob.AppendEvent(ctx, event(4))
		}))
		assert.Equal(t, []string{"e1", "e4"}, ids(listEvents(t, s, 0)))
	})
}

func TestOutboxTransactions(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		boom := errors.New("boom")
		err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if err := tx.(pipeline.Outbox).AppendEvent(ctx, event(1)); err != nil {
				return err
			}
			return boom
		})
		require.ErrorIs(t, err, boom)
		assert.Empty(t, listEvents(t, s, 0), "an event appended in a rolled-back transaction is not listed")

		// The transaction's outbox fails once the transaction ended.
		var ended pipeline.Outbox
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			ended = tx.(pipeline.Outbox)
			return nil
		}))
		require.ErrorIs(t, ended.AppendEvent(ctx, event(2)), sp.ErrInvalid)

		// A done context appends nothing.
		done, cancel := context.WithCancel(ctx)
		cancel()
		require.ErrorIs(t, s.AppendEvent(done, event(3)), context.Canceled)
		require.ErrorIs(t, s.DeleteEvents(done, 100), context.Canceled)
		for _, err := range s.ListEvents(done, 0) {
			require.ErrorIs(t, err, context.Canceled)
		}
		assert.Empty(t, listEvents(t, s, 0))
	})
}

// TestOutboxEngine runs commands through a pipeline.Engine on the store:
// each command's event is in the outbox after it, none is published, and
// a command that fails inside its transaction leaves no event and no
// change.
func TestOutboxEngine(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		var published []sp.Event
		pub := sp.PublisherFunc(func(_ context.Context, e sp.Event) error {
			published = append(published, e)
			return nil
		})
		// Every event gets the same ID, so the second command's append
		// fails inside its transaction.
		e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: pub,
			EventID: func(string, string, int64) string { return "the-only-id" }})
		require.NoError(t, err)
		_, err = e.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("i1"), nil)
		require.NoError(t, err)
		got := listEvents(t, s, 0)
		require.Len(t, got, 1)
		assert.Equal(t, pipeline.EventInquiryReceived, got[0].Event.Type)
		assert.Equal(t, "i1", got[0].Event.Subject)
		assert.Equal(t, "the-only-id", got[0].Event.ID)
		assert.NoError(t, got[0].Event.Validate())

		_, err = e.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("i2"), nil)
		require.ErrorIs(t, err, sp.ErrDuplicate)
		_, err = s.GetInquiry(ctx, "i2")
		assert.ErrorIs(t, err, sp.ErrNotFound, "the command's change is rolled back with its event")
		assert.Equal(t, got, listEvents(t, s, 0), "the failed command left no event")
		assert.Empty(t, published, "the engine publishes none of the events the outbox took")
	})
}

// TestOutboxRelayFollowsWriters appends events in concurrent transactions
// that linger after appending, while a relay lists after the last number
// it saw: it must see every event once, though transactions commit in
// another order than they began.
func TestOutboxRelayFollowsWriters(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		const writers, each = 8, 5
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					e := event(1)
					e.ID = fmt.Sprintf("w%d-%d", w, i)
					for {
						err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
							if err := tx.(pipeline.Outbox).AppendEvent(ctx, e); err != nil {
								return err
							}
							time.Sleep(time.Duration(w) * time.Millisecond)
							return nil
						})
						if !errors.Is(err, sp.ErrConflict) {
							assert.NoError(t, err)
							break
						}
					}
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		seen := map[string]int{}
		var after int64
		relay := func() {
			for e, err := range s.ListEvents(ctx, after) {
				require.NoError(t, err)
				seen[e.Event.ID]++
				after = e.Seq
			}
		}
		for running := true; running; {
			select {
			case <-done:
				running = false
			default:
			}
			relay()
		}
		relay()
		assert.Len(t, seen, writers*each, "the relay saw every event")
		for id, n := range seen {
			assert.Equal(t, 1, n, "the relay saw %s once", id)
		}
	})
}
