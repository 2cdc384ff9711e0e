package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// deal returns a deal as a store holds it, at version 1.
func deal(id sp.DealID) pipeline.Deal {
	d := pipelinetest.NewDeal(id)
	d.Stage, d.Version, d.Created = pipeline.DealProspecting, 1, pipelinetest.Epoch()
	return d
}

// inquiry returns an inquiry as a store holds it, at version 1.
func inquiry(id sp.InquiryID, received time.Time) pipeline.Inquiry {
	in := pipelinetest.NewInquiry(id)
	in.Stage, in.Version, in.Received = pipeline.InquiryNew, 1, received
	return in
}

func TestMigrations(t *testing.T) {
	lite, err := sqlstore.Migrations(sqlstore.SQLite)
	require.NoError(t, err)
	pg, err := sqlstore.Migrations(sqlstore.PostgreSQL)
	require.NoError(t, err)
	require.Len(t, lite, 5)
	require.Len(t, pg, 5)
	for i := range lite {
		assert.Equal(t, i+1, lite[i].Version)
		assert.Equal(t, lite[i].Version, pg[i].Version, "both dialects have the same steps")
		assert.Equal(t, lite[i].Name, pg[i].Name, "both dialects have the same steps")
		assert.NotEmpty(t, lite[i].SQL)
	}
	_, err = sqlstore.Migrations("oracle")
	assert.ErrorIs(t, err, sp.ErrInvalid)
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		v, err := s.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, 5, v, "Open applies every migration")
		require.NoError(t, s.CreateDeal(ctx, deal("d1")))
		for range 2 {
			// The migrations create tables without IF NOT EXISTS and record
			// their versions under a primary key: applying one again fails.
			require.NoError(t, s.Migrate(ctx), "Migrate of a migrated database does nothing")
		}
		v, err = s.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, 5, v)
		_, err = s.GetDeal(ctx, "d1")
		assert.NoError(t, err, "Migrate keeps the records")
	})
}

// Application instances starting at once migrate one after the other.
func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		if b.name == "sqlite_memory" {
			t.Skip("a private in-memory database has one Store")
		}
		first, second := b.twin(t, &sqlstore.Options{NoMigrate: true})
		stores := []*sqlstore.Store{first, second, first, second}
		errs := make([]error, len(stores))
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Migrate(ctx)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			assert.NoError(t, err)
		}
		v, err := second.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, 5, v)
	})
}

// Migration 5 fills the units column of the sales stored before it from
// their documents, so that AddSaleWithin counts them.
func TestMigrateSaleUnits(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, sqlstore.SQLite, filepath.Join(t.TempDir(), "sales.db"), nil)
	require.NoError(t, s.CreatePilot(ctx, training.Pilot{ID: "f1", Rev: 1}))
	for i, units := range []int64{30, 20} {
		require.NoError(t, s.AddSale(ctx, training.Sale{ID: training.SaleID(fmt.Sprint("s", i)), Pilot: "f1", Units: units, Time: pipelinetest.Epoch()}))
	}
	// The schema as version 4 left it, with the sales in it.
	for _, q := range []string{"DROP INDEX pilot_sales_pilot_units", "ALTER TABLE pilot_sales DROP COLUMN units",
		"DELETE FROM sqlstore_migrations WHERE version = 5"} {
		_, err := s.DB().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	v, err := s.SchemaVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, 4, v)
	require.NoError(t, s.Migrate(ctx))
	sold, added, err := s.AddSaleWithin(ctx, training.Sale{ID: "s2", Pilot: "f1", Units: 50, Time: pipelinetest.Epoch()}, 100)
	require.NoError(t, err)
	assert.Equal(t, int64(50), sold, "the units of the sales stored before the migration count")
	assert.True(t, added)
	sold, added, err = s.AddSaleWithin(ctx, training.Sale{ID: "s3", Pilot: "f1", Units: 1, Time: pipelinetest.Epoch()}, 100)
	require.NoError(t, err)
	assert.Equal(t, int64(100), sold)
	assert.False(t, added)
}

// A database whose schema is newer than the package knows is refused
// with an error wrapping sp.ErrInvalid, and left as it is.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sales.db")
	s := mustOpen(t, sqlstore.SQLite, path, nil)
	_, err := s.DB().ExecContext(ctx, "INSERT INTO sqlstore_migrations (version, name) VALUES (6, 'future')")
	require.NoError(t, err)
	require.NoError(t, s.CreateDeal(ctx, deal("d1")))
	err = s.Migrate(ctx)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), "newer than the 5 this package knows")
	v, err := s.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, 6, v, "Migrate changes nothing")
	_, err = s.GetDeal(ctx, "d1")
	assert.NoError(t, err, "Migrate keeps the records")
	_, err = sqlstore.Open(ctx, sqlstore.SQLite, path, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid, "Open, which migrates")
}

// New wraps a database the host opened; Migrate applies the schema, and
// Close leaves the database open.
func TestNewAndMigrate(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "host.db")+"?_pragma=busy_timeout(5000)&_txlock=immediate")
	require.NoError(t, err)
	defer db.Close()
	s, err := sqlstore.New(db, sqlstore.SQLite, nil)
	require.NoError(t, err)
	_, err = s.SchemaVersion(ctx)
	assert.ErrorIs(t, err, sp.ErrInvalid, "a new database has no schema")
	require.NoError(t, s.Migrate(ctx))
	require.NoError(t, s.Migrate(ctx))
	v, err := s.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, 5, v)
	require.NoError(t, s.CreateDeal(ctx, deal("d1")))
	require.NoError(t, s.Close())
	assert.NoError(t, db.PingContext(ctx), "Close of a Store from New leaves the database open")
	assert.Equal(t, db, s.DB())
	assert.Equal(t, sqlstore.SQLite, s.Dialect())
}

func TestOpenRefusesBadArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		d    sqlstore.Dialect
		dsn  string
		opts *sqlstore.Options
	}{
		{"err_dialect", "oracle", "", nil},
		{"err_schema_on_sqlite", sqlstore.SQLite, "", &sqlstore.Options{Schema: "sales"}},
		{"err_schema_name", sqlstore.PostgreSQL, "postgres://localhost/x", &sqlstore.Options{Schema: `sales"; DROP TABLE deals; --`}},
		{"err_page_size", sqlstore.SQLite, "", &sqlstore.Options{PageSize: -1}},
		{"err_page_size_too_large", sqlstore.SQLite, "", &sqlstore.Options{PageSize: 65537}},
		{"err_busy_timeout", sqlstore.SQLite, "", &sqlstore.Options{BusyTimeout: -time.Second}},
		{"err_max_open_conns", sqlstore.SQLite, "", &sqlstore.Options{MaxOpenConns: -1}},
		{"err_postgres_dsn", sqlstore.PostgreSQL, "postgres://[::1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sqlstore.Open(ctx, tt.d, tt.dsn, tt.opts)
			assert.Nil(t, s)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.True(t, strings.HasPrefix(err.Error(), "sqlstore: "), "error %q has the package prefix", err)
		})
	}
	t.Run("err_new_nil_db", func(t *testing.T) {
		_, err := sqlstore.New(nil, sqlstore.SQLite, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		require.NoError(t, s.CreateDeal(ctx, deal("d1")))
		prefixed := func(t *testing.T, err error, op string) {
			t.Helper()
			if assert.Error(t, err) {
				assert.True(t, strings.HasPrefix(err.Error(), "sqlstore: "+op), "error %q starts with sqlstore: %s", err, op)
			}
		}

		err := s.CreateDeal(ctx, deal("d1"))
		assert.ErrorIs(t, err, sp.ErrDuplicate)
		prefixed(t, err, `create deal "d1"`)

		_, err = s.GetDeal(ctx, "nope")
		assert.ErrorIs(t, err, sp.ErrNotFound)
		prefixed(t, err, `get deal "nope"`)

		next := deal("d1")
		next.Version = 6
		err = s.UpdateDeal(ctx, next, 5)
		assert.ErrorIs(t, err, sp.ErrConflict)
		prefixed(t, err, `update deal "d1"`)

		next.Version = 7
		assert.ErrorIs(t, s.UpdateDeal(ctx, next, 1), sp.ErrInvalid)
		next.ID, next.Version = "nope", 2
		assert.ErrorIs(t, s.UpdateDeal(ctx, next, 1), sp.ErrNotFound)

		for _, at := range []time.Time{time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64).Add(1), time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)} {
			err := s.CreateInquiry(ctx, inquiry("i-far", at))
			assert.ErrorIs(t, err, sp.ErrInvalid, "a time the store cannot index: %v", at)
			var ve *sp.ValidationError
			if assert.ErrorAs(t, err, &ve) {
				assert.Equal(t, "received", ve.Field)
			}
		}
		_, err = s.GetInquiry(ctx, "i-far")
		assert.ErrorIs(t, err, sp.ErrNotFound, "a refused create stores nothing")

		assert.ErrorIs(t, s.Atomically(ctx, nil), sp.ErrInvalid)
		var leaked pipeline.Store
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			leaked = tx
			return nil
		}))
		_, err = leaked.GetDeal(ctx, "d1")
		assert.ErrorIs(t, err, sp.ErrInvalid, "the store of a transaction fails after it")
		assert.ErrorIs(t, leaked.CreateDeal(ctx, deal("d9")), sp.ErrInvalid)

		cctx, cancel := context.WithCancel(ctx)
		cancel()
		called := false
		err = s.Atomically(cctx, func(context.Context, pipeline.Store) error { called = true; return nil })
		assert.ErrorIs(t, err, context.Canceled)
		assert.False(t, called, "Atomically with a done context does not call fn")

		// A duplicate inside a transaction is an error the function may
		// handle: the transaction goes on.
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if err := tx.CreateDeal(ctx, deal("d1")); !errors.Is(err, sp.ErrDuplicate) {
				return fmt.Errorf("want a duplicate, got %w", err)
			}
			return tx.CreateDeal(ctx, deal("d2"))
		}))
		_, err = s.GetDeal(ctx, "d2")
		assert.NoError(t, err)
	})
}

// Text columns hold valid UTF-8 without NUL bytes, as identifiers are:
// other IDs are refused on write and found nowhere on read, without
// aborting a transaction; After compares them byte by byte all the same.
func TestText(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		for _, id := range []sp.DealID{"d1", "é", "\u00ff"} {
			require.NoError(t, s.CreateDeal(ctx, deal(id)))
		}
		for _, id := range []sp.DealID{"bad\xff", "nul\x00"} {
			assert.ErrorIs(t, s.CreateDeal(ctx, deal(id)), sp.ErrInvalid)
			_, err := s.GetDeal(ctx, id)
			assert.ErrorIs(t, err, sp.ErrNotFound)
		}
		list := func(f pipeline.DealFilter) []sp.DealID {
			var got []sp.DealID
			for d, err := range s.ListDeals(ctx, f) {
				require.NoError(t, err)
				got = append(got, d.ID)
			}
			return got
		}
		assert.Empty(t, list(pipeline.DealFilter{Owner: "rep\xff"}))
		assert.Empty(t, list(pipeline.DealFilter{Stages: []pipeline.DealStage{"\x00"}}))
		assert.Equal(t, []sp.DealID{"é", "\u00ff"}, list(pipeline.DealFilter{After: "d1\xff"}))
		assert.Equal(t, []sp.DealID{"\u00ff"}, list(pipeline.DealFilter{After: "\xc3\xa9\x00"}))
		assert.Empty(t, list(pipeline.DealFilter{After: "\xff"}))
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if _, err := tx.GetDeal(ctx, "bad\xff"); !errors.Is(err, sp.ErrNotFound) {
				return fmt.Errorf("want not found, got %w", err)
			}
			if err := tx.CreateDeal(ctx, deal("bad\xff")); !errors.Is(err, sp.ErrInvalid) {
				return fmt.Errorf("want invalid, got %w", err)
			}
			return tx.CreateDeal(ctx, deal("d2"))
		}))
		_, err := s.GetDeal(ctx, "d2")
		assert.NoError(t, err)
	})
}

// A SQLite writer that cannot get the lock within the busy timeout gets a
// conflict.
func TestSQLiteBusyIsConflict(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends[:2] {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t, &sqlstore.Options{BusyTimeout: 20 * time.Millisecond})
			locked := make(chan struct{})
			other := make(chan error, 1)
			go func() {
				<-locked
				other <- s.CreateDeal(ctx, deal("d2"))
			}()
			err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
				if err := tx.CreateDeal(ctx, deal("d1")); err != nil {
					return err
				}
				close(locked)
				return <-other // given up while the transaction held the lock
			})
			assert.ErrorIs(t, err, sp.ErrConflict)
			_, err = s.GetDeal(ctx, "d1")
			assert.ErrorIs(t, err, sp.ErrNotFound, "the transaction was rolled back")
			require.NoError(t, s.CreateDeal(ctx, deal("d2")), "the lock is free again")
		})
	}
}

// Two PostgreSQL transactions that lock two deals in opposite orders
// deadlock; the server breaks the deadlock and the victim gets a conflict.
func TestPostgresDeadlockIsConflict(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t, nil)
	require.NoError(t, s.CreateDeal(ctx, deal("a")))
	require.NoError(t, s.CreateDeal(ctx, deal("b")))
	ready := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	ids := [2]sp.DealID{"a", "b"}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
				first, second := deal(ids[i]), deal(ids[1-i])
				first.Version, second.Version = 2, 2
				if err := tx.UpdateDeal(ctx, first, 1); err != nil {
					return err
				}
				close(ready[i])
				<-ready[1-i]
				return tx.UpdateDeal(ctx, second, 1)
			})
		}()
	}
	wg.Wait()
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	assert.NoError(t, errs[0], "one transaction goes through")
	assert.ErrorIs(t, errs[1], sp.ErrConflict, "the other is the deadlock's victim")
}

// A listing holds no connection while it yields: the loop may write to the
// store, even through a pool of one connection, and inside a transaction.
func TestListingWhileWriting(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, &sqlstore.Options{MaxOpenConns: 1, PageSize: 2})
		for i := range 5 {
			require.NoError(t, s.CreateDeal(ctx, deal(sp.DealID(fmt.Sprint("d", i)))))
		}
		n := 0
		for d, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
			require.NoError(t, err)
			d.Owner, d.Version = pipelinetest.RepBob, 2
			require.NoError(t, s.UpdateDeal(ctx, d, 1))
			n++
		}
		assert.Equal(t, 5, n)
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			for d, err := range tx.ListDeals(ctx, pipeline.DealFilter{Owner: pipelinetest.RepBob}) {
				if err != nil {
					return err
				}
				d.Version = 3
				if err := tx.UpdateDeal(ctx, d, 2); err != nil {
					return err
				}
			}
			return nil
		}))
		var versions []int64
		for d, err := range s.ListDeals(ctx, pipeline.DealFilter{Owner: pipelinetest.RepBob}) {
			require.NoError(t, err)
			versions = append(versions, d.Version)
		}
		assert.Equal(t, []int64{3, 3, 3, 3, 3}, versions)
	})
}

// Period filters are exact to the nanosecond at every edge: the zero time,
// the first and last instants the store can index, and the ends of a
// month.
func TestPeriodEdges(t *testing.T) {
	ctx := context.Background()
	utc := func(y int, m time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, m, d, h, mi, s, ns, time.UTC)
	}
	times := map[string]time.Time{
		"zero":      {},
		"first":     time.Unix(0, math.MinInt64+1),
		"last":      time.Unix(0, math.MaxInt64),
		"nov_end":   utc(2026, 11, 30, 23, 59, 59, 999999999),
		"dec_start": utc(2026, 12, 1, 0, 0, 0, 0),
		"nov_start": utc(2026, 11, 1, 0, 0, 0, 0),
		"paris":     utc(2026, 11, 30, 23, 30, 0, 0).In(time.FixedZone("CET", 3600)),
	}
	period := func(start, end time.Time) sp.Period {
		p, err := sp.NewPeriod(start, end)
		require.NoError(t, err)
		return p
	}
	periods := map[string]sp.Period{
		"year_1":          period(utc(1, 1, 1, 0, 0, 0, 0), utc(2, 1, 1, 0, 0, 0, 0)),
		"after_zero":      period(utc(1, 1, 1, 0, 0, 0, 1), utc(1700, 1, 1, 0, 0, 0, 0)),
		"before_first":    period(utc(1600, 1, 1, 0, 0, 0, 0), time.Unix(0, math.MinInt64+1)),
		"through_first":   period(utc(1600, 1, 1, 0, 0, 0, 0), time.Unix(0, math.MinInt64+2)),
		"november":        sp.Month(2026, time.November, time.UTC),
		"november_paris":  sp.Month(2026, time.November, time.FixedZone("CET", 3600)),
		"from_last":       period(time.Unix(0, math.MaxInt64), utc(9999, 1, 1, 0, 0, 0, 0)),
		"after_last":      period(time.Unix(0, math.MaxInt64).Add(1), utc(9999, 1, 1, 0, 0, 0, 0)),
		"everything_late": period(utc(1900, 1, 1, 0, 0, 0, 0), utc(9999, 12, 31, 0, 0, 0, 0)),
	}
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		var inquiries []pipeline.Inquiry
		var deals []pipeline.Deal
		for name, at := range times {
			in := inquiry(sp.InquiryID(name), at)
			require.NoError(t, s.CreateInquiry(ctx, in))
			inquiries = append(inquiries, in)
			d := deal(sp.DealID(name))
			d.Closed = at
			require.NoError(t, s.CreateDeal(ctx, d))
			deals = append(deals, d)
		}
		for name, p := range periods {
			t.Run(name, func(t *testing.T) {
				fi := pipeline.InquiryFilter{Received: p}
				var want, got []string
				for _, in := range inquiries {
					if fi.Match(in) {
						want = append(want, string(in.ID))
					}
				}
				for in, err := range s.ListInquiries(ctx, fi) {
					require.NoError(t, err)
					got = append(got, string(in.ID))
				}
				slices.Sort(want)
				assert.Equal(t, want, got, "ListInquiries matches as InquiryFilter.Match does")

				fd := pipeline.DealFilter{Closed: p}
				want, got = nil, nil
				for _, d := range deals {
					if fd.Match(d) {
						want = append(want, string(d.ID))
					}
				}
				for d, err := range s.ListDeals(ctx, fd) {
					require.NoError(t, err)
					got = append(got, string(d.ID))
				}
				slices.Sort(want)
				assert.Equal(t, want, got, "ListDeals matches as DealFilter.Match does (open deals never match Closed)")
			})
		}
		got, err := s.GetInquiry(ctx, "paris")
		require.NoError(t, err)
		assert.True(t, got.Received.Equal(times["paris"]), "times come back as given")
	})
}

// pingPong is a pipeline whose deals move back and forth between two open
// stages, so that every writer always has a move to make.
func pingPong() *pipeline.Definition {
	return pipeline.MustDefinition(pipeline.Spec{
		Name: "ping_pong",
		Stages: []pipeline.StageSpec{
			{Key: "ping", Order: 1, Kind: pipeline.KindOpen, Probability: decimal.New(3, -1)},
			{Key: "pong", Order: 2, Kind: pipeline.KindOpen, Probability: decimal.New(6, -1)},
			{Key: "won", Order: 3, Kind: pipeline.KindWon},
			{Key: "lost", Order: 4, Kind: pipeline.KindLost},
		},
		Backward: true,
	})
}

// Two application instances, each with its own Store and Engine on one
// database, advance one deal at once: no update is lost. Then both retry
// one keyed command at once: it applies once, and every retry gets its
// outcome.
func TestTwoInstances(t *testing.T) {
	ctx := context.Background()
	const writers = 32
	eachBackend(t, func(t *testing.T, b backend) {
		sa, sb := b.twin(t, nil)
		var engines [2]*pipeline.Engine
		for i, s := range []*sqlstore.Store{sa, sb} {
			e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{pingPong()}})
			require.NoError(t, err)
			engines[i] = e
		}
		d := pipelinetest.NewDeal("contended")
		d.Pipeline = "ping_pong"
		_, err := engines[0].OpenDeal(ctx, pipelinetest.System(), d, nil)
		require.NoError(t, err)

		errs := make(chan error, writers)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := engines[w%2]
				reason := fmt.Sprint("writer ", w)
				for {
					cur, err := e.GetDeal(ctx, "contended")
					if err != nil {
						errs <- err
						return
					}
					to := pipeline.DealStage("pong")
					if cur.Stage == "pong" {
						to = "ping"
					}
					_, err = e.Advance(ctx, pipelinetest.System(), "contended", to, &pipeline.CommandOptions{Reason: reason})
					switch {
					case err == nil:
						return
					case errors.Is(err, sp.ErrConflict), errors.Is(err, sp.ErrInvalidTransition):
						continue
					default:
						errs <- fmt.Errorf("%s: %w", reason, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		final, err := sa.GetDeal(ctx, "contended")
		require.NoError(t, err)
		require.Equal(t, int64(1+writers), final.Version, "one version per successful command")
		seen := map[string]int{}
		for _, tr := range final.History[1:] {
			seen[tr.Reason]++
		}
		for w := range writers {
			assert.Equal(t, 1, seen[fmt.Sprint("writer ", w)], "writer %d in the history once", w)
		}

		const retries = 8
		results := make([]pipeline.Deal, retries)
		rerrs := make([]error, retries)
		for i := range retries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], rerrs[i] = engines[i%2].Win(ctx, pipelinetest.System(), "contended", &pipeline.CommandOptions{IdempotencyKey: "req-win"})
			}()
		}
		wg.Wait()
		for i := range retries {
			if assert.NoError(t, rerrs[i], "retry %d of a keyed command gets its outcome", i) {
				assert.Equal(t, final.Version+1, results[i].Version, "retry %d sees the one application", i)
				assert.Equal(t, pipeline.DealStage("won"), results[i].Stage)
			}
		}
		won, err := sb.GetDeal(ctx, "contended")
		require.NoError(t, err)
		assert.Equal(t, final.Version+1, won.Version, "the keyed command applied once")
	})
}

// Two instances of an application on one database, with 8 callers, run
// the commands of distinct inquiries at once (received, contacted,
// qualified, converted and won, with idempotency keys), and none fails:
// a command fails for another's sake only when both write one record. On
// PostgreSQL at SERIALIZABLE, most of them failed to serialize, on the
// index pages of the outbox and of the keys that every command writes.
func TestDistinctRecordsConcurrently(t *testing.T) {
	ctx := context.Background()
	const callers, each = 8, 4
	eachBackend(t, func(t *testing.T, b backend) {
		sa, sb := b.twin(t, nil)
		var engines [2]*pipeline.Engine
		for i, s := range []*sqlstore.Store{sa, sb} {
			e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock()})
			require.NoError(t, err)
			engines[i] = e
		}
		amount, err := sp.ParseMoney("100.00 EUR")
		require.NoError(t, err)
		errs := make([]error, callers)
		var wg sync.WaitGroup
		for c := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := engines[c%2]
				rep := sp.RepID(fmt.Sprint("rep-", c))
				as := sp.RepActor(rep)
				key := func(cmd string, id sp.InquiryID) *pipeline.CommandOptions {
					return &pipeline.CommandOptions{IdempotencyKey: cmd + "-" + string(id)}
				}
				for i := range each {
					id := sp.InquiryID(fmt.Sprintf("inq-%d-%d", c, i))
					in := pipeline.Inquiry{ID: id, Channel: "phone", Region: "north", Product: "widget", Customer: "acme", Owner: rep}
					_, err := e.ReceiveInquiry(ctx, sp.SystemActor("web-form"), in, key("receive", id))
					if err == nil {
						_, err = e.Contact(ctx, as, id, pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, key("contact", id))
					}
					if err == nil {
						_, err = e.Qualify(ctx, as, id, nil)
					}
					var d pipeline.Deal
					if err == nil {
						_, d, err = e.Convert(ctx, as, id, pipeline.Conversion{Terms: pipeline.Terms{Amount: amount}}, key("convert", id))
					}
					if err == nil {
						_, err = e.Win(ctx, as, d.ID, key("win", id))
					}
					if err != nil {
						errs[c] = err
						return
					}
				}
			}()
		}
		wg.Wait()
		for c, err := range errs {
			assert.NoError(t, err, "caller %d", c)
		}
		won := 0
		for d, err := range sb.ListDeals(ctx, pipeline.DealFilter{Stages: []pipeline.DealStage{pipeline.DealWon}}) {
			require.NoError(t, err)
			assert.Equal(t, int64(2), d.Version, "deal %s", d.ID)
			won++
		}
		assert.Equal(t, callers*each, won)
		assert.Len(t, listEvents(t, sa, 0), callers*each*6, "six events per inquiry")
	})
}

// The error codes of PostgreSQL that stand for a sentinel; SQLite's are
// seen live in TestErrors and TestSQLiteBusyIsConflict.
func TestClassifyPostgres(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"23505", sp.ErrDuplicate},
		{"40001", sp.ErrConflict},
		{"40P01", sp.ErrConflict},
		{"55P03", sp.ErrConflict},
		{"25P02", sp.ErrInvalid},
		{"22021", sp.ErrInvalid},
		{"22P05", sp.ErrInvalid},
		{"54000", sp.ErrInvalid},
		{"42P01", sp.ErrInvalid}, // undefined_table: the schema is not migrated
		{"42703", sp.ErrInvalid}, // undefined_column: not migrated up to date
		{"42P07", sp.ErrInvalid}, // duplicate_table: a migration meets another's table
		{"42601", nil},
		{"08006", nil},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			err := fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: tt.code})
			assert.Equal(t, tt.want, sqlstore.Classify(err))
		})
	}
	assert.Equal(t, sp.ErrInvalid, sqlstore.Classify(sql.ErrTxDone))
	assert.Equal(t, sp.ErrInvalid, sqlstore.Classify(fmt.Errorf("commit: %w", pgx.ErrTxCommitRollback)))
	assert.Nil(t, sqlstore.Classify(errors.New("other")))
}

// A listing whose context ends while it runs yields the context's error
// once and stops.
func TestListingCancelled(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, &sqlstore.Options{PageSize: 2})
		ctx := context.Background()
		for i := range 5 {
			require.NoError(t, s.CreateDeal(ctx, deal(sp.DealID(fmt.Sprint("d", i)))))
		}
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var ids []sp.DealID
		var errs []error
		for d, err := range s.ListDeals(cctx, pipeline.DealFilter{}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, d.ID)
			cancel()
		}
		assert.Equal(t, []sp.DealID{"d0"}, ids)
		if assert.Len(t, errs, 1) {
			assert.ErrorIs(t, errs[0], context.Canceled)
		}
	})
}

// Every form of SQLite DSN that names a private in-memory or temporary
// (empty) database, with parameters or without, opens
// one database that all the Store's connections share: SQLite would give
// each connection a database of its own, and those but the first would
// have no tables. A database shared by name in the process stays shared.
func TestOpenInMemory(t *testing.T) {
	ctx := context.Background()
	for name, dsn := range map[string]string{
		"empty": "", "memory": ":memory:", "uri_memory": "file::memory:",
		"uri_memory_params": "file::memory:?_pragma=foreign_keys(1)", "mode_memory": "file:sales?mode=memory",
		"empty_params": "?_pragma=foreign_keys(1)", "uri_empty": "file:", "uri_empty_params": "file:?_pragma=foreign_keys(1)",
	} {
		t.Run(name, func(t *testing.T) {
			s := mustOpen(t, sqlstore.SQLite, dsn, nil)
			// The connection that migrated is held here, so the store's
			// writes go through another.
			held, err := s.DB().Conn(ctx)
			require.NoError(t, err)
			defer held.Close()
			require.NoError(t, s.CreateDeal(ctx, deal("d1")))
			var n int
			require.NoError(t, held.QueryRowContext(ctx, "SELECT count(*) FROM deals").Scan(&n))
			assert.Equal(t, 1, n, "both connections see one database")
			_, err = s.GetDeal(ctx, "d1")
			assert.NoError(t, err)
			if strings.Contains(dsn, "foreign_keys") {
				var on int
				require.NoError(t, held.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on))
				assert.Equal(t, 1, on, "the DSN's parameters are kept")
			}

			other := mustOpen(t, sqlstore.SQLite, dsn, nil)
			_, err = other.GetDeal(ctx, "d1")
			assert.ErrorIs(t, err, sp.ErrNotFound, "each Open of a private in-memory database has its own")
		})
	}
	t.Run("shared_by_name", func(t *testing.T) {
		dsn := "file:sqlstore-test-shared?mode=memory&cache=shared"
		a := mustOpen(t, sqlstore.SQLite, dsn, nil)
		b := mustOpen(t, sqlstore.SQLite, dsn, nil)
		require.NoError(t, a.CreateDeal(ctx, deal("d1")))
		_, err := b.GetDeal(ctx, "d1")
		assert.NoError(t, err, "a database shared by name is shared")
	})
}

func TestOpenNoMigrateAndClose(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.SQLite, filepath.Join(t.TempDir(), "x.db"), &sqlstore.Options{NoMigrate: true})
	require.NoError(t, err)
	_, err = s.SchemaVersion(ctx)
	assert.Error(t, err, "NoMigrate leaves the database as it is")
	_, err = s.GetDeal(ctx, "d1")
	assert.Error(t, err)
	assert.NoError(t, s.Close())
	assert.NoError(t, s.Close(), "Close may be called again")
	_, err = s.GetDeal(ctx, "d1")
	assert.Error(t, err, "a closed store fails")
}

// A closed Store, from Open or from New, fails every call with an error
// wrapping ErrInvalid, and so do calls that race with Close; Close of a
// Store from New leaves the host's database, and other Stores on it,
// working.
func TestClosedStore(t *testing.T) {
	ctx := context.Background()
	closed := func(t *testing.T, s *sqlstore.Store) {
		t.Helper()
		_, err := s.GetDeal(ctx, "d1")
		assert.ErrorIs(t, err, sp.ErrInvalid)
		assert.ErrorContains(t, err, "closed")
		assert.ErrorIs(t, s.CreateDeal(ctx, deal("d2")), sp.ErrInvalid)
		for _, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
			assert.ErrorIs(t, err, sp.ErrInvalid)
		}
		for _, err := range s.ListGoals(ctx, sp.Period{}) {
			assert.ErrorIs(t, err, sp.ErrInvalid)
		}
		assert.ErrorIs(t, s.AppendEvent(ctx, sp.Event{}), sp.ErrInvalid)
		for _, err := range s.ListEvents(ctx, 0) {
			assert.ErrorIs(t, err, sp.ErrInvalid)
		}
		assert.ErrorIs(t, s.DeleteEvents(ctx, 1), sp.ErrInvalid)
		assert.ErrorIs(t, s.Atomically(ctx, func(context.Context, pipeline.Store) error { return nil }), sp.ErrInvalid)
		assert.ErrorIs(t, s.Migrate(ctx), sp.ErrInvalid)
		_, err = s.SchemaVersion(ctx)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		assert.NoError(t, s.Close(), "Close may be called again")
	}
	eachBackend(t, func(t *testing.T, b backend) {
		t.Run("open", func(t *testing.T) {
			s := b.open(t, nil)
			require.NoError(t, s.CreateDeal(ctx, deal("d1")))
			require.NoError(t, s.Close())
			closed(t, s)
		})
		t.Run("new", func(t *testing.T) {
			host := b.open(t, nil)
			require.NoError(t, host.CreateDeal(ctx, deal("d1")))
			s, err := sqlstore.New(host.DB(), host.Dialect(), nil)
			require.NoError(t, err)
			require.NoError(t, s.Atomically(ctx, func(context.Context, pipeline.Store) error { return nil }))
			require.NoError(t, s.Close())
			closed(t, s)
			_, err = host.GetDeal(ctx, "d1")
			assert.NoError(t, err, "the host's database stays open")
		})
		t.Run("racing", func(t *testing.T) {
			s := b.open(t, nil)
			require.NoError(t, s.CreateDeal(ctx, deal("d1")))
			var wg sync.WaitGroup
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 50 {
						if _, err := s.GetDeal(ctx, "d1"); err != nil && !errors.Is(err, sp.ErrInvalid) {
							t.Errorf("a call racing with Close: %v", err)
							return
						}
					}
				}()
			}
			assert.NoError(t, s.Close())
			wg.Wait()
			closed(t, s)
		})
	})
}

// yields returns the errors a listing yields, nil for a record.
func yields[T any](seq iter.Seq2[T, error]) []error {
	var errs []error
	for _, err := range seq {
		errs = append(errs, err)
	}
	return errs
}

// A nil *Store and the zero Store fail instead of panicking: every method
// that can fail returns an error wrapping sp.ErrInvalid, and every listing
// yields it once; DB, Dialect and Close, which cannot, return nil, "" and
// nil.
func TestUnusableStore(t *testing.T) {
	ctx := context.Background()
	one := func(err error) []error { return []error{err} }
	second := func(_ any, err error) []error { return []error{err} }
	calls := map[string]func(s *sqlstore.Store) []error{
		"AddAssignment":    func(s *sqlstore.Store) []error { return one(s.AddAssignment(ctx, training.Assignment{})) },
		"AddAttempt":       func(s *sqlstore.Store) []error { return one(s.AddAttempt(ctx, training.Attempt{})) },
		"AddFeedback":      func(s *sqlstore.Store) []error { return one(s.AddFeedback(ctx, sp.Feedback{})) },
		"AddSale":          func(s *sqlstore.Store) []error { return one(s.AddSale(ctx, training.Sale{})) },
		"AppendEvent":      func(s *sqlstore.Store) []error { return one(s.AppendEvent(ctx, event(1))) },
		"ListAssignments":  func(s *sqlstore.Store) []error { return yields(s.ListAssignments(ctx, "r1")) },
		"ListAttempts":     func(s *sqlstore.Store) []error { return yields(s.ListAttempts(ctx, "r1", "m1")) },
		"GetBrief":         func(s *sqlstore.Store) []error { return second(s.GetBrief(ctx, "p1", training.Version{Major: 1})) },
		"BriefAt":          func(s *sqlstore.Store) []error { return second(s.BriefAt(ctx, "p1", pipelinetest.Epoch())) },
		"BriefVersionAt":   func(s *sqlstore.Store) []error { return second(s.BriefVersionAt(ctx, "p1", pipelinetest.Epoch())) },
		"ListBriefs":       func(s *sqlstore.Store) []error { return yields(s.ListBriefs(ctx, "p1")) },
		"ListCertificates": func(s *sqlstore.Store) []error { return yields(s.ListCertificates(ctx, training.CertificateFilter{})) },
		"CreateDeal":       func(s *sqlstore.Store) []error { return one(s.CreateDeal(ctx, deal("d1"))) },
		"CreateInquiry":    func(s *sqlstore.Store) []error { return one(s.CreateInquiry(ctx, inquiry("i1", pipelinetest.Epoch()))) },
		"CreatePilot":      func(s *sqlstore.Store) []error { return one(s.CreatePilot(ctx, training.Pilot{ID: "pl1"})) },
		"DeleteEvents":     func(s *sqlstore.Store) []error { return one(s.DeleteEvents(ctx, 1)) },
		"ListEvents":       func(s *sqlstore.Store) []error { return yields(s.ListEvents(ctx, 0)) },
		"ListFeedback":     func(s *sqlstore.Store) []error { return yields(s.ListFeedback(ctx, "p1")) },
		"GetDeal":          func(s *sqlstore.Store) []error { return second(s.GetDeal(ctx, "d1")) },
		"GetInquiry":       func(s *sqlstore.Store) []error { return second(s.GetInquiry(ctx, "i1")) },
		"GetOutcome":       func(s *sqlstore.Store) []error { return second(s.GetOutcome(ctx, "k1")) },
		"ListGoals":        func(s *sqlstore.Store) []error { return yields(s.ListGoals(ctx, sp.Period{})) },
		"ListDeals":        func(s *sqlstore.Store) []error { return yields(s.ListDeals(ctx, pipeline.DealFilter{})) },
		"ListInquiries":    func(s *sqlstore.Store) []error { return yields(s.ListInquiries(ctx, pipeline.InquiryFilter{})) },
		"Migrate":          func(s *sqlstore.Store) []error { return one(s.Migrate(ctx)) },
		"GetPilot":         func(s *sqlstore.Store) []error { return second(s.GetPilot(ctx, "pl1")) },
		"ListPilots":       func(s *sqlstore.Store) []error { return yields(s.ListPilots(ctx, "p1")) },
		"AddBrief":         func(s *sqlstore.Store) []error { return one(s.AddBrief(ctx, training.Brief{Product: "p1"})) },
		"PutCertificate":   func(s *sqlstore.Store) []error { return one(s.PutCertificate(ctx, training.Certificate{Rep: "r1"})) },
		"PutGoal":          func(s *sqlstore.Store) []error { return one(s.PutGoal(ctx, quota.Goal{})) },
		"AddOutcome":       func(s *sqlstore.Store) []error { return one(s.AddOutcome(ctx, pipeline.Outcome{Key: "k1"})) },
		"ListSales":        func(s *sqlstore.Store) []error { return yields(s.ListSales(ctx, "pl1")) },
		"AddSaleWithin": func(s *sqlstore.Store) []error {
			_, _, err := s.AddSaleWithin(ctx, training.Sale{ID: "s1", Pilot: "pl1"}, 1)
			return one(err)
		},
		"SchemaVersion": func(s *sqlstore.Store) []error { return second(s.SchemaVersion(ctx)) },
		"UpdateDeal":    func(s *sqlstore.Store) []error { return one(s.UpdateDeal(ctx, deal("d1"), 1)) },
		"UpdateInquiry": func(s *sqlstore.Store) []error {
			return one(s.UpdateInquiry(ctx, inquiry("i1", pipelinetest.Epoch()), 1))
		},
		"UpdatePilot": func(s *sqlstore.Store) []error { return one(s.UpdatePilot(ctx, training.Pilot{ID: "pl1", Rev: 2}, 1)) },
		"Atomically": func(s *sqlstore.Store) []error {
			return one(s.Atomically(ctx, func(context.Context, pipeline.Store) error { return nil }))
		},
		"DB":      nil, // checked below: they have no error to return
		"Dialect": nil,
		"Close":   nil,
	}
	storeType := reflect.TypeFor[*sqlstore.Store]()
	for i := range storeType.NumMethod() {
		name := storeType.Method(i).Name
		_, ok := calls[name]
		assert.True(t, ok, "method %s is not in the table", name)
	}
	for _, store := range []struct {
		name string
		s    *sqlstore.Store
	}{{"nil", nil}, {"zero", new(sqlstore.Store)}} {
		t.Run(store.name, func(t *testing.T) {
			for name, call := range calls {
				if call == nil {
					continue
				}
				t.Run(name, func(t *testing.T) {
					var errs []error
					require.NotPanics(t, func() { errs = call(store.s) })
					require.Len(t, errs, 1, "one error, yielded once")
					assert.ErrorIs(t, errs[0], sp.ErrInvalid)
				})
			}
			require.NotPanics(t, func() {
				assert.Nil(t, store.s.DB())
				assert.Equal(t, sqlstore.Dialect(""), store.s.Dialect())
				assert.NoError(t, store.s.Close())
			})
		})
	}
}

// A write through the Store beside its transaction waits for the
// transaction's locks, as Atomically says: on SQLite every write, until
// the busy timeout, then it fails with a conflict; on PostgreSQL a write
// to a row the transaction wrote, or an append once the transaction
// appended, until ctx is done, while a write to another row goes through.
func TestWritesBesideATransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, &sqlstore.Options{BusyTimeout: 50 * time.Millisecond})
		ctx := context.Background()
		require.NoError(t, s.CreateDeal(ctx, deal("x")))
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			d := deal("x")
			d.Version = 2
			require.NoError(t, tx.UpdateDeal(ctx, d, 1))
			require.NoError(t, tx.(pipeline.Outbox).AppendEvent(ctx, event(1)))
			beside := func(write func(ctx context.Context) error) error {
				ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
				defer cancel()
				return write(ctx)
			}
			other := beside(func(ctx context.Context) error { return s.CreateDeal(ctx, deal("other")) })
			written := beside(func(ctx context.Context) error { return s.UpdateDeal(ctx, d, 1) })
			appended := beside(func(ctx context.Context) error { return s.AppendEvent(ctx, event(2)) })
			if b.name == "postgres" {
				assert.NoError(t, other, "a write to another row")
				assert.ErrorIs(t, written, context.DeadlineExceeded, "a write to a row the transaction wrote")
				assert.ErrorIs(t, appended, context.DeadlineExceeded, "an append after the transaction's")
			} else {
				for _, err := range []error{other, written, appended} {
					assert.ErrorIs(t, err, sp.ErrConflict)
					assert.NotErrorIs(t, err, context.DeadlineExceeded, "the busy timeout, not ctx, ends the wait")
				}
			}
			return nil
		}))
	})
}

// The store of a transaction is safe for concurrent use, as the Store of
// pipeline.Transactor must be: goroutines that list and read through it at
// once share the transaction's one connection, which on PostgreSQL takes
// one statement at a time.
func TestTransactionStoreConcurrentReads(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, &sqlstore.Options{PageSize: 3})
		for i := range 20 {
			require.NoError(t, s.CreateDeal(ctx, deal(sp.DealID(fmt.Sprintf("d%02d", i)))))
		}
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 5 {
						n := 0
						for _, err := range tx.ListDeals(ctx, pipeline.DealFilter{}) {
							if err != nil {
								errs <- err
								return
							}
							n++
						}
						if n != 20 {
							errs <- fmt.Errorf("listed %d deals, want 20", n)
							return
						}
						if _, err := tx.GetDeal(ctx, "d07"); err != nil {
							errs <- err
							return
						}
						if err := tx.CreateInquiry(ctx, inquiry(sp.InquiryID(fmt.Sprint("i", w)), pipelinetest.Epoch())); err != nil && !errors.Is(err, sp.ErrDuplicate) {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				return err
			}
			return nil
		}))
	})
}

// The store of a transaction is safe for concurrent use for every kind of
// operation, not only listings and reads: goroutines that put goals and
// certificates, update deals (a stale version is a conflict) and read
// outcomes and pilots through it at once, beside a listing, share the
// transaction's one connection, which on PostgreSQL takes one statement
// at a time.
func TestTransactionStoreConcurrentWrites(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, &sqlstore.Options{PageSize: 3})
		for i := range 20 {
			require.NoError(t, s.CreateDeal(ctx, deal(sp.DealID(fmt.Sprintf("d%02d", i)))))
		}
		epoch := pipelinetest.Epoch()
		v1 := training.MustParseVersion("1.0")
		require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			ts, gs := tx.(training.Store), tx.(quota.GoalStore)
			ops := []func(w, i int) error{
				func(w, i int) error {
					for _, err := range tx.ListDeals(ctx, pipeline.DealFilter{}) {
						if err != nil {
							return err
						}
					}
					return nil
				},
				func(w, i int) error {
					return gs.PutGoal(ctx, quota.Goal{Rep: sp.RepID(fmt.Sprint("rep", w)), Period: sp.MonthOf(epoch), Deals: int64(1 + i)})
				},
				func(w, i int) error {
					return ts.PutCertificate(ctx, training.Certificate{Rep: sp.RepID(fmt.Sprint("rep", w)), Product: "widget", BriefVersion: v1,
						Issued: epoch, Expires: epoch.AddDate(1, 0, i)})
				},
				func(w, i int) error {
					d := deal("d07")
					d.Version = 9
					if err := tx.UpdateDeal(ctx, d, 8); !errors.Is(err, sp.ErrConflict) {
						return fmt.Errorf("update with a stale version: %v, want a conflict", err)
					}
					return nil
				},
				func(w, i int) error {
					if _, err := tx.(pipeline.IdempotencyStore).GetOutcome(ctx, "none"); !errors.Is(err, sp.ErrNotFound) {
						return fmt.Errorf("outcome: %v, want not found", err)
					}
					return nil
				},
				func(w, i int) error {
					err := ts.UpdatePilot(ctx, training.Pilot{ID: "none", Product: "widget", Version: v1, Localities: []string{"Ulm"},
						Quantity: 1, Period: sp.MonthOf(epoch), Rev: 2}, 1)
					if !errors.Is(err, sp.ErrNotFound) {
						return fmt.Errorf("pilot: %v, want not found", err)
					}
					return nil
				},
			}
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 5 * len(ops) {
						if err := ops[(w+i)%len(ops)](w, i); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				return err
			}
			return nil
		}))
		n := 0
		for _, err := range s.ListGoals(ctx, sp.MonthOf(epoch)) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 8, n, "a goal of each rep, put 5 times")
	})
}

// PageSize takes every size from 1 to 65536, the largest included; a
// listing reads all its rows at either bound.
func TestPageSizeBounds(t *testing.T) {
	ctx := context.Background()
	for _, size := range []int{1, 65536} {
		s := mustOpen(t, sqlstore.SQLite, "", &sqlstore.Options{PageSize: size})
		for i := range 3 {
			require.NoError(t, s.CreateDeal(ctx, deal(sp.DealID(fmt.Sprintf("d%d", i)))))
		}
		n := 0
		for _, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
			require.NoError(t, err, size)
			n++
		}
		assert.Equal(t, 3, n, size)
	}
}
