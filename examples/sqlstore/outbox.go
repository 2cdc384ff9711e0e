package sqlstore

import (
	"context"
	"fmt"
	"iter"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// OutboxEvent is an event of the outbox, as [Store.ListEvents] lists it.
type OutboxEvent struct {
	// Seq is the event's sequence number: events are numbered in the
	// order appended (of concurrent transactions, in the order they
	// commit), from 1 up, and a number is never given twice, even after
	// [Store.DeleteEvents]. There may be gaps.
	Seq   int64
	Event sp.Event
}

// eventCols are the columns of the outbox_events table that an append
// writes, in the order of the values that eventRow returns.
var eventCols = []string{"id", "type", "time", "actor", "subject", "data"}

// eventRow returns the column values of e, in the order of eventCols: e
// must pass [sp.Event.Validate], its text columns hold their text (see
// checkTexts) and its time be one a column can keep. Data of length zero
// is NULL.
func eventRow(e sp.Event) ([]any, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if err := checkTexts("event.id", e.ID, "event.type", e.Type, "event.actor", string(e.Actor), "event.subject", e.Subject); err != nil {
		return nil, err
	}
	at, err := timeKey("event.time", e.Time)
	if err != nil {
		return nil, err
	}
	var data []byte
	if len(e.Data) > 0 {
		data = e.Data // the driver copies it into the statement
	}
	return []any{e.ID, e.Type, at, string(e.Actor), e.Subject, data}, nil
}

func appendOp(e sp.Event) string { return fmt.Sprintf("append event %q", clip(e.ID)) }

// AppendEvent implements [pipeline.Outbox] in a transaction of
// [Store.Atomically]: the event is kept if the transaction commits. An
// event refused (invalid, or with an ID the outbox holds, an error
// wrapping [sp.ErrDuplicate]) leaves the transaction as it was, to go on
// or roll back; on PostgreSQL that holds for an ID that another
// transaction committed while this one ran, too.
func (t *txStore) AppendEvent(ctx context.Context, e sp.Event) error {
	op := appendOp(e)
	if err := t.check(ctx); err != nil {
		return t.fail(ctx, op, err)
	}
	vals, err := eventRow(e)
	if err != nil {
		return t.fail(ctx, op, err)
	}
	return t.fail(ctx, op, t.insertEvent(ctx, vals))
}

// AppendEvent implements [pipeline.Outbox]: it appends e to the outbox, in
// a transaction of its own. An event that does not pass
// [sp.Event.Validate], holds text a column cannot (see [MaxTextLength]) or
// a time outside the span the store indexes (see [Store]) is refused with
// an error wrapping [sp.ErrInvalid]; one whose ID the outbox holds, with
// an error wrapping [sp.ErrDuplicate] (of concurrent appends of one ID,
// exactly one succeeds). Either way nothing is appended. The
// event's Data is kept byte for byte; Data of length zero reads back nil.
// Its Time reads back in UTC.
//
// The store's transactions implement it too (see [Store.Atomically]),
// which is how [pipeline.Engine] appends each command's events with its
// change.
func (s *Store) AppendEvent(ctx context.Context, e sp.Event) error {
	op := appendOp(e)
	r := s.ops()
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	vals, err := eventRow(e)
	if err != nil {
		return r.fail(ctx, op, err)
	}
	// In a transaction, for the lock that insertEvent takes on PostgreSQL;
	// at the database's default level (READ COMMITTED there), so that the
	// insert, which runs once the lock is had, sees an event with the same
	// ID that the lock's previous holder committed, and does nothing,
	// rather than fail to serialize with it as at SERIALIZABLE.
	return s.atomically(ctx, nil, func(ctx context.Context, t *txStore) error {
		return t.fail(ctx, op, t.insertEvent(ctx, vals))
	})
}

// insertEvent inserts the row vals (for eventCols) into the outbox, in a
// transaction; an ID already there is an error wrapping [sp.ErrDuplicate].
//
// On PostgreSQL it first takes a lock that the transaction holds until it
// ends, so that of two transactions that append, the second to take it
// draws its sequence numbers after the first committed: the sequence
// numbers then grow in the order of the commits, and a relay reading
// after the last number it saw misses no event committed later. (SQLite
// has one writer at a time, which does the same.)
func (r *rw) insertEvent(ctx context.Context, vals []any) error {
	if r.d == PostgreSQL {
		if _, err := r.exec(ctx, "SELECT pg_advisory_xact_lock($1)", r.t.lockKey("outbox")); err != nil {
			return err
		}
	}
	n, err := r.exec(ctx, insert(r.d, r.t.events, eventCols...), vals...)
	if err == nil && n == 0 {
		err = sp.ErrDuplicate
	}
	return err
}

// ListEvents returns the events of the outbox whose sequence numbers are
// greater than after, in the order of their sequence numbers, which is
// the order they were appended in: a relay delivers them, then deletes
// them with [Store.DeleteEvents], or keeps the last number it delivered
// and lists after it. An event appended in a transaction is listed once
// the transaction committed, after every event listed before it. The
// sequence reads a page of events at a time (see [Options.PageSize]); a
// relay takes a batch by stopping early. It may be iterated more than
// once.
func (s *Store) ListEvents(ctx context.Context, after int64) iter.Seq2[OutboxEvent, error] {
	r := s.ops()
	return list(ctx, r, listing[OutboxEvent]{
		op:    "list events",
		table: r.t.events,
		filter: func(b *builder) {
			b.cond("seq > " + b.arg(after))
		},
		keys: []key{{col: "seq", num: true}},
		cols: append([]string{"seq"}, eventCols...),
		scan: func() ([]any, func() (OutboxEvent, error)) {
			var (
				e    OutboxEvent
				at   int64
				data []byte
			)
			dest := []any{&e.Seq, &e.Event.ID, &e.Event.Type, &at, &e.Event.Actor, &e.Event.Subject, &data}
			return dest, func() (OutboxEvent, error) {
				v := e
				v.Event.Time = keyTime(at)
				if len(data) > 0 {
					v.Event.Data = data // a copy of the driver's (database/sql copies)
				}
				return v, nil
			}
		},
	})
}

// keyTime returns the time of the column value k (see timeKey), in UTC.
func keyTime(k int64) time.Time {
	if k == zeroKey {
		return time.Time{}
	}
	return time.Unix(0, k).UTC()
}

// DeleteEvents deletes the events of the outbox whose sequence numbers are
// at most through: those a relay delivered. Through at or below zero
// deletes nothing. The sequence numbers of deleted events are not given
// again, but their IDs may be appended anew.
func (s *Store) DeleteEvents(ctx context.Context, through int64) error {
	const op = "delete events"
	r := s.ops()
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	_, err := r.exec(ctx, "DELETE FROM "+r.t.events+" WHERE seq <= "+r.d.placeholder(1), through)
	return r.fail(ctx, op, err)
}
