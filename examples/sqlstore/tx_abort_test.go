package sqlstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// TestFailedWriteAbortsTransaction: a write of a transaction whose own
// context ends while it runs fails, and the database may roll the
// transaction back with it (SQLite does for an interrupted write, and its
// connection then commits each later statement on its own; PostgreSQL
// loses the connection). The transaction must then write nothing more and
// not commit, even when its function goes on and returns nil: before, on
// SQLite, the write before the failed one was lost and the one after it
// was stored. A trigger makes the insert of a deal slow enough to be
// interrupted every time.
func TestFailedWriteAbortsTransaction(t *testing.T) {
	for _, b := range backends[:2] {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t, nil)
			// About a second of work per row inserted, unless interrupted.
			mustExec(t, s, `CREATE TRIGGER slow AFTER INSERT ON deals BEGIN
				SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 30000000) SELECT x FROM c);
				END`)
			checkAborted(t, s)
		})
	}
	t.Run("postgres", func(t *testing.T) {
		o := postgresSchema(t, nil)
		s := mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o)
		mustExec(t, s, `CREATE FUNCTION "`+o.Schema+`".slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$`)
		mustExec(t, s, `CREATE TRIGGER slow AFTER INSERT ON "`+o.Schema+`".deals FOR EACH ROW EXECUTE FUNCTION "`+o.Schema+`".slow()`)
		checkAborted(t, s)
	})
}

func mustExec(t *testing.T, s *sqlstore.Store, q string) {
	t.Helper()
	if _, err := s.DB().ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// checkAborted runs a transaction that writes an inquiry, a deal whose
// insert outlasts its own context, and another inquiry, and returns nil.
func checkAborted(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		if err := tx.CreateInquiry(ctx, inquiry("first", pipelinetest.Epoch())); err != nil {
			return err
		}
		sctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if err := tx.CreateDeal(sctx, deal("slow")); err == nil {
			t.Error("CreateDeal whose context ended while it ran: want an error, got nil")
		}
		if err := tx.CreateInquiry(ctx, inquiry("second", pipelinetest.Epoch())); !errors.Is(err, sp.ErrInvalid) {
			t.Errorf("CreateInquiry after a write that failed in the transaction: want an error wrapping ErrInvalid, got %v", err)
		}
		return nil // as a function that tolerates the failure would
	})
	if !errors.Is(err, sp.ErrInvalid) {
		t.Errorf("Atomically of a transaction a failed write aborted: want an error wrapping ErrInvalid, got %v", err)
	}
	for _, id := range []sp.InquiryID{"first", "second"} {
		if _, err := s.GetInquiry(ctx, id); !errors.Is(err, sp.ErrNotFound) {
			t.Errorf("inquiry %q of the aborted transaction: want ErrNotFound, got %v", id, err)
		}
	}
	if _, err := s.GetDeal(ctx, "slow"); !errors.Is(err, sp.ErrNotFound) {
		t.Errorf("deal of the aborted transaction: want ErrNotFound, got %v", err)
	}
}

// TestRefusedCallLeavesTransactionGoing: what the store refuses without a
// statement the database fails (a create whose key is taken, an update of
// a stale version, an ID too long for its index) changes nothing and does
// not abort the transaction, whose later writes commit.
func TestRefusedCallLeavesTransactionGoing(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		ctx := context.Background()
		first := inquiry("first", pipelinetest.Epoch())
		if err := s.CreateInquiry(ctx, first); err != nil {
			t.Fatal(err)
		}
		err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if err := tx.CreateInquiry(ctx, first); !errors.Is(err, sp.ErrDuplicate) {
				t.Errorf("CreateInquiry of a taken ID: want ErrDuplicate, got %v", err)
			}
			stale := first
			stale.Version, stale.Locality = 7, "stale"
			if err := tx.UpdateInquiry(ctx, stale, 6); !errors.Is(err, sp.ErrConflict) {
				t.Errorf("UpdateInquiry of a stale version: want ErrConflict, got %v", err)
			}
			long := inquiry(sp.InquiryID(strings.Repeat("x", sqlstore.MaxTextLength+1)), pipelinetest.Epoch())
			if err := tx.CreateInquiry(ctx, long); !errors.Is(err, sp.ErrInvalid) {
				t.Errorf("CreateInquiry of an ID too long: want ErrInvalid, got %v", err)
			}
			return tx.CreateInquiry(ctx, inquiry("second", pipelinetest.Epoch()))
		})
		if err != nil {
			t.Fatalf("Atomically after refused calls: want nil, got %v", err)
		}
		if _, err := s.GetInquiry(ctx, "second"); err != nil {
			t.Errorf("the write after the refused calls: %v", err)
		}
		if got, err := s.GetInquiry(ctx, "first"); err != nil || got.Version != first.Version {
			t.Errorf("the refused calls changed the first inquiry: %+v, %v", got, err)
		}
	})
}
