package sqlstore_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
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

// SQLite keeps the busy timeout in whole milliseconds of a 32-bit int, and
// reads a longer one as zero, which means no waiting at all: a timeout
// too long for it waits as long as it can, and a timeout under a
// millisecond waits one.
func TestBusyTimeoutBounds(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		want    int64
	}{
		{"default", 0, 5000},
		{"microsecond", time.Microsecond, 1},
		{"second", time.Second, 1000},
		{"thirty_days", 30 * 24 * time.Hour, math.MaxInt32},
		{"longest", math.MaxInt64, math.MaxInt32},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openSQLiteFile(t, &sqlstore.Options{BusyTimeout: tt.timeout})
			var ms int64
			require.NoError(t, s.DB().QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&ms))
			assert.Equal(t, tt.want, ms)
		})
	}
}

// Open looks for the settings a DSN sets itself in its parameters only:
// a file whose path holds a setting's name still gets the busy timeout,
// immediate transactions and the WAL journal.
func TestSettingsNotTakenFromPath(t *testing.T) {
	ctx := context.Background()
	for _, dir := range []string{"busy_timeout", "journal_mode", "_txlock", "mode=memory"} {
		t.Run(dir, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), dir)
			require.NoError(t, os.Mkdir(path, 0o755))
			s := mustOpen(t, sqlstore.SQLite, filepath.Join(path, "sales.db"), nil)
			var ms int64
			var journal string
			require.NoError(t, s.DB().QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&ms))
			require.NoError(t, s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal))
			assert.Equal(t, int64(5000), ms)
			assert.Equal(t, "wal", journal)
		})
	}
}

// In a file database, a read does not wait for a writer (WAL); in an
// in-memory one it waits as long as the busy timeout, then fails with
// ErrConflict, as the package documentation says.
func TestReadWaitsForWriterOnlyInMemory(t *testing.T) {
	ctx := context.Background()
	opts := &sqlstore.Options{BusyTimeout: 50 * time.Millisecond}
	for _, tt := range []struct {
		name string
		s    *sqlstore.Store
		want error
	}{
		{"file", openSQLiteFile(t, opts), sp.ErrNotFound},
		{"memory", mustOpen(t, sqlstore.SQLite, "", opts), sp.ErrConflict},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
				require.NoError(t, tx.CreateInquiry(ctx, pipelinetest.NewInquiry("in-tx")))
				_, err := tt.s.GetInquiry(ctx, "in-tx")
				return err
			})
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// Stores that open a new SQLite file at once all succeed: the first to
// switch it to the WAL journal makes the others' switch fail at once with
// SQLITE_BUSY, without the busy timeout, and Open tries again.
func TestConcurrentOpenOfNewFile(t *testing.T) {
	ctx := context.Background()
	for round := range 20 {
		path := filepath.Join(t.TempDir(), "sales.db")
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := sqlstore.Open(ctx, sqlstore.SQLite, path, nil)
				if !assert.NoError(t, err, "round %d", round) {
					return
				}
				_ = s.Close()
			}()
		}
		wg.Wait()
	}
}
