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
// engine's eligibility check on s). If fn panics, the transaction is
// rolled back and the panic goes on.
//
// On SQLite the transaction begins IMMEDIATE when the DSN says so (as
// [Open] makes it): it takes the database's write lock at once, waiting
// for another writer up to the busy timeout, so transactions never fail
// half-way for want of the lock; a timeout is an error wrapping
// [sp.ErrConflict]. On PostgreSQL it runs at SERIALIZABLE: fn
// reads one snapshot, and a transaction that cannot be serialized with
// the others (it changes a row another changed since its snapshot, say)
// fails with an error wrapping [sp.ErrConflict], as does a
// deadlock the server breaks. Either way the transactions behave as if
// they ran one at a time (more than the READ COMMITTED that
// [pipeline.Transactor] asks for), and a caller that gets the conflict may
// reload and retry.
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
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
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
	t := &txStore{rw: rw{q: tx, d: s.d, t: s.t, page: s.page, ended: new(atomic.Bool), stmt: new(sync.Mutex)}}
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
	if err := tx.Commit(); err != nil {
		return s.fail(ctx, "commit", err)
	}
	return nil
}
