package sqlstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// DSNEnv names the environment variable that holds the DSN of a PostgreSQL
// database for the tests; without it the PostgreSQL tests are skipped.
// .ci/run starts a server and sets it.
const DSNEnv = "SALESPROCESS_POSTGRES_DSN"

// backend opens stores of one kind for the tests.
type backend struct {
	name string
	// open opens a fresh, empty store.
	open func(t testing.TB, opts *sqlstore.Options) *sqlstore.Store
	// twin opens two stores on one fresh database, as two instances of an
	// application would.
	twin func(t testing.TB, opts *sqlstore.Options) (*sqlstore.Store, *sqlstore.Store)
}

var backends = []backend{
	{"sqlite_memory", openSQLiteMemory, twinSQLiteMemory},
	{"sqlite_file", openSQLiteFile, twinSQLiteFile},
	{"postgres", openPostgres, twinPostgres},
}

// eachBackend runs test once per backend, as a subtest named after it;
// the PostgreSQL subtest is skipped when there is no database for it.
func eachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				postgresDSN(t)
			}
			test(t, b)
		})
	}
}

// mustOpen opens a store that t closes at its end.
func mustOpen(t testing.TB, d sqlstore.Dialect, dsn string, opts *sqlstore.Options) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), d, dsn, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openSQLiteMemory(t testing.TB, opts *sqlstore.Options) *sqlstore.Store {
	t.Helper()
	return mustOpen(t, sqlstore.SQLite, "", opts)
}

func twinSQLiteMemory(t testing.TB, opts *sqlstore.Options) (*sqlstore.Store, *sqlstore.Store) {
	t.Helper()
	a := openSQLiteMemory(t, opts)
	b, err := sqlstore.New(a.DB(), sqlstore.SQLite, opts) // a private database has one pool
	require.NoError(t, err)
	return a, b
}

func openSQLiteFile(t testing.TB, opts *sqlstore.Options) *sqlstore.Store {
	t.Helper()
	return mustOpen(t, sqlstore.SQLite, filepath.Join(t.TempDir(), "sales.db"), opts)
}

func twinSQLiteFile(t testing.TB, opts *sqlstore.Options) (*sqlstore.Store, *sqlstore.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sales.db")
	return mustOpen(t, sqlstore.SQLite, path, opts), mustOpen(t, sqlstore.SQLite, path, opts)
}

// postgresDSN returns the DSN of the test database, or skips t.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(DSNEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL tests skipped: %s is not set (.ci/run sets it; see doc.go to run them by hand)", DSNEnv)
	}
	return dsn
}

// postgresSchema returns opts with a schema of the test's own, which is
// dropped when the test ends, so that tests sharing the database do not
// see each other's records.
func postgresSchema(t testing.TB, opts *sqlstore.Options) *sqlstore.Options {
	t.Helper()
	dsn := postgresDSN(t)
	var o sqlstore.Options
	if opts != nil {
		o = *opts
	}
	var b [8]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	o.Schema = "sqlstore_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		admin, err := sqlstore.Open(context.Background(), sqlstore.PostgreSQL, dsn, &sqlstore.Options{NoMigrate: true})
		if err == nil {
			_, err = admin.DB().Exec(`DROP SCHEMA IF EXISTS "` + o.Schema + `" CASCADE`)
			_ = admin.Close()
		}
		if err != nil {
			t.Errorf("drop the test schema: %v", err)
		}
	})
	return &o
}

func openPostgres(t testing.TB, opts *sqlstore.Options) *sqlstore.Store {
	t.Helper()
	o := postgresSchema(t, opts)
	return mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o)
}

func twinPostgres(t testing.TB, opts *sqlstore.Options) (*sqlstore.Store, *sqlstore.Store) {
	t.Helper()
	o := postgresSchema(t, opts)
	return mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o), mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o)
}

// TestPipelineConformance runs the conformance suite of package pipeline,
// with its concurrent-writers test at 16 and 64 goroutines and its outbox
// checks, on every backend.
func TestPipelineConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		pipelinetest.RunStoreTestsWith(t, func(t *testing.T) pipeline.Store { return b.open(t, suiteOptions(0)) },
			&pipelinetest.StoreTestOptions{Events: outboxEvents})
	})
}

// TestPipelineConformanceSmallPages runs it again with pages of one row,
// so that every listing crosses pages.
func TestPipelineConformanceSmallPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		pipelinetest.RunStoreTestsWith(t, func(t *testing.T) pipeline.Store { return b.open(t, suiteOptions(1)) },
			&pipelinetest.StoreTestOptions{Writers: []int{4}, Events: outboxEvents})
	})
}

// TestTrainingConformance runs the conformance suite of package training
// on every backend.
func TestTrainingConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		trainingtest.RunStoreTests(t, func(t *testing.T) training.Store { return b.open(t, suiteOptions(0)) })
	})
}

// TestTrainingConformanceSmallPages runs it with pages of one row.
func TestTrainingConformanceSmallPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		trainingtest.RunStoreTests(t, func(t *testing.T) training.Store { return b.open(t, suiteOptions(1)) })
	})
}

// TestGoalConformance runs the conformance suite of package quota's goal
// store on every backend.
func TestGoalConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		quotatest.RunGoalStoreTests(t, func(t *testing.T) quota.GoalStore { return b.open(t, suiteOptions(0)) })
	})
}

// TestGoalConformanceSmallPages runs it with pages of one row.
func TestGoalConformanceSmallPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		quotatest.RunGoalStoreTests(t, func(t *testing.T) quota.GoalStore { return b.open(t, suiteOptions(1)) })
	})
}

// suiteOptions are the options of a store a conformance suite runs on, with
// pages of page rows (0 for the default) and a busy timeout of a minute:
// the suites' concurrent writers (64 in the pipeline suite's) take turns
// at SQLite's one write lock, and under -race on a loaded machine a turn
// may come later than the default busy timeout, which a host sets to its
// own load.
func suiteOptions(page int) *sqlstore.Options {
	return &sqlstore.Options{BusyTimeout: time.Minute, PageSize: page}
}
