package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// txStore is the store that [Store.Atomically] gives its function: the
// operations of a Store, run in one database transaction.
type txStore struct{ rw }

var (
	_ pipeline.Store            = (*txStore)(nil)
	_ pipeline.IdempotencyStore = (*txStore)(nil)
	_ pipeline.Outbox           = (*txStore)(nil)
	_ training.Store            = (*txStore)(nil)
	_ quota.GoalStore           = (*txStore)(nil)

	_ training.BriefVersionSource = (*txStore)(nil)
	_ training.LimitedSaleStore   = (*txStore)(nil)
)

// Atomically implements [pipeline.Transactor]: it runs fn in a database
// transaction and commits it if fn returns nil, or rolls it back and
// returns fn's error. The store given to fn runs every operation in the
// transaction, so its reads see its writes, and is safe for concurrent
// use (its statements take the transaction's connection one at a time);
// it implements [pipeline.IdempotencyStore], [pipeline.Outbox],
// [training.Store], [training.BriefVersionSource],
// [training.LimitedSaleStore] and [quota.GoalStore] as well (so that
// [pipeline.Engine] appends each command's events with its change), and
// fails with an error wrapping
// [sp.ErrInvalid] once fn has returned. fn must use only that store:
// a write through s itself waits for the transaction's locks (on SQLite
// every write does, until the busy timeout, then fails with an error
// wrapping [sp.ErrConflict]; on PostgreSQL one to a row the transaction
// wrote, or an append once the transaction appended an event, waits while
// ctx lasts), and so does a read on an in-memory SQLite database, which
// then fails with an error wrapping [sp.ErrConflict], and any call through
// s when [Options.MaxOpenConns] is 1, which waits for the transaction's
// connection while ctx lasts (see the package documentation for an
// engine's eligibility check on s). A statement of that store that the
// database fails (one interrupted as its context ends, say) aborts the
// transaction: its later calls and the commit fail with an error wrapping
// [sp.ErrInvalid], and it is rolled back, even if fn returns nil. A call
// the store refuses itself (an invalid record, before any statement; a
// create whose key is taken, [sp.ErrDuplicate]; an update of a stale
// version, [sp.ErrConflict]) changes nothing, and the transaction goes on. If fn panics, the transaction is rolled back and the panic
// goes on.
//
// On SQLite the transaction begins IMMEDIATE when the DSN says so (as
// [Open] makes it): it takes the database's write lock at once, waiting
// for another writer up to the busy timeout, so transactions never fail
// half-way for want of the lock, and the transactions run one at a time;
// a timeout is an error wrapping [sp.ErrConflict].
//
// On PostgreSQL it runs at READ COMMITTED, the level that
// [pipeline.Transactor] asks for: each statement of fn reads what is
// committed when it starts, not one snapshot. UpdateInquiry, UpdateDeal
// and UpdatePilot check the version in the UPDATE itself, and the creates,
// AddOutcome and AppendEvent rely on unique keys, so of two transactions
// that write one record or one key, the second fails on the version (an
// error wrapping [sp.ErrConflict]) or on the key ([sp.ErrDuplicate]), and
// a caller that gets the conflict may reload and retry. Transactions that
// write distinct records do not wait for each other but to append to the
// outbox (see the package documentation), and none fails for the others'
// sake; a deadlock the server breaks is an error wrapping
// [sp.ErrConflict]. A host whose own fn needs one snapshot, or its
// transactions to run as if one at a time, runs a transaction of its own
// at SERIALIZABLE on [Store.DB] and retries it when it fails to serialize:
// at that level, concurrent commands of an engine on distinct records
// mostly fail to serialize, on the index pages of the outbox and of the
// idempotency keys that they all write.
func (s *Store) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	if err := s.usable(); err != nil {
		return fmt.Errorf("sqlstore: transaction: %w", err)
	}
	if err := ctxErr(ctx); err != nil {
		return s.fail(ctx, "transaction", err)
	}
	if fn == nil {
		return fmt.Errorf("sqlstore: transaction: %w", sp.Invalid("fn", "nil"))
	}
	var opts *sql.TxOptions
	if s.d == PostgreSQL {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	return s.atomically(ctx, opts, func(ctx context.Context, t *txStore) error { return fn(ctx, t) })
}

// atomically runs fn in a transaction begun with opts, as Atomically
// describes, once s and ctx are checked.
func (s *Store) atomically(ctx context.Context, opts *sql.TxOptions, fn func(ctx context.Context, t *txStore) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return s.fail(ctx, "begin transaction", err)
	}
	t := &txStore{rw: rw{q: tx, d: s.d, t: s.t, page: s.page, ended: new(atomic.Bool), aborted: new(atomic.Bool), stmt: new(sync.Mutex)}}
	done := false
	defer func() {
		t.ended.Store(true)
		if !done {
			_ = tx.Rollback() // after a panic; the panic is what matters
		}
	}()
	ferr := fn(ctx, t)
	t.ended.Store(true)
	done = true
	if ferr != nil {
		_ = tx.Rollback() // fn's error says what went wrong
		return ferr
	}
	if t.aborted.Load() {
		_ = tx.Rollback() // the database may have rolled it back already
		return fmt.Errorf("sqlstore: commit: %w; rolled back", errAborted)
	}
	if err := tx.Commit(); err != nil {
		return s.fail(ctx, "commit", err)
	}
	return nil
}
