package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// Compile-time checks of what Store implements.
var (
	_ pipeline.Store            = (*Store)(nil)
	_ pipeline.IdempotencyStore = (*Store)(nil)
	_ pipeline.Transactor       = (*Store)(nil)
	_ pipeline.Outbox           = (*Store)(nil)
	_ training.Store            = (*Store)(nil)
	_ quota.GoalStore           = (*Store)(nil)

	_ training.BriefVersionSource = (*Store)(nil)
	_ training.LimitedSaleStore   = (*Store)(nil)
)

// The defaults of [Options].
const (
	DefaultBusyTimeout = 5 * time.Second
	DefaultPageSize    = 256
	maxPageSize        = 1 << 16
)

// Options tune a [Store]. The zero Options, like a nil *Options, means
// every default.
type Options struct {
	// Schema, on PostgreSQL, is the schema that holds the store's tables:
	// [Store.Migrate] creates it if it is missing, and every query names
	// it. Empty means the tables go where the connection's search_path
	// puts them (normally "public") and queries find them there. It is a
	// lower-case SQL identifier: a letter or underscore, then letters,
	// digits or underscores, at most 63 bytes. SQLite has no schemas: a
	// Schema there is an error.
	Schema string

	// BusyTimeout, on SQLite, is how long a write waits for another
	// connection's write lock (and, in an in-memory database, a read
	// waits for a writer's) before it fails with an error wrapping
	// [sp.ErrConflict]. Zero means [DefaultBusyTimeout]; a negative
	// timeout is an error wrapping [sp.ErrInvalid]. SQLite counts it in
	// whole milliseconds, at least 1 and at most 2^31-1 (about 24 days):
	// a positive timeout outside that range is taken as the nearer bound.
	// [Open] sets it on every connection; with [New] the host's DSN must
	// (see the package documentation).
	BusyTimeout time.Duration

	// PageSize is how many rows a listing reads per query: a listing
	// holds no connection while it yields, and reads the next page after
	// the last row of the one before. Zero means [DefaultPageSize]; a
	// negative size, or one above 65536, is an error wrapping
	// [sp.ErrInvalid] (it is not taken as the nearer bound).
	PageSize int

	// MaxOpenConns limits the connections that [Open] opens at once (see
	// [sql.DB.SetMaxOpenConns]); zero means no limit, and a negative limit
	// is an error wrapping [sp.ErrInvalid]. An in-memory SQLite database
	// holds one more, idle, to keep the database. [New] leaves the host's
	// pool as it is.
	MaxOpenConns int

	// NoMigrate keeps [Open] from applying the schema migrations: the host
	// applies them itself with [Store.Migrate], or by other means. Until
	// it does, the Store's methods fail with an error that says the
	// schema is not migrated, names the missing table and says to run
	// [Store.Migrate]; it wraps [sp.ErrInvalid] and the database's error
	// ("relation ... does not exist", "no such table"). So do those that
	// need a column that a later migration adds, on a schema migrated by
	// an older version of this package.
	NoMigrate bool
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// normalize checks o for d and fills in the defaults.
func (o Options) normalize(d Dialect) (Options, error) {
	switch {
	case o.Schema != "" && d != PostgreSQL:
		return o, fmt.Errorf("sqlstore: %w", sp.Invalid("schema", "only PostgreSQL has schemas"))
	case o.Schema != "" && !schemaName.MatchString(o.Schema):
		return o, fmt.Errorf("sqlstore: %w", sp.Invalid("schema", "want a lower-case SQL identifier, got %q", clip(o.Schema)))
	case o.BusyTimeout < 0:
		return o, fmt.Errorf("sqlstore: %w", sp.Invalid("busy_timeout", "negative"))
	case o.PageSize < 0 || o.PageSize > maxPageSize:
		return o, fmt.Errorf("sqlstore: %w", sp.Invalid("page_size", "%d outside 0 to %d", o.PageSize, maxPageSize))
	case o.MaxOpenConns < 0:
		return o, fmt.Errorf("sqlstore: %w", sp.Invalid("max_open_conns", "negative"))
	}
	if o.BusyTimeout == 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	if o.PageSize == 0 {
		o.PageSize = DefaultPageSize
	}
	return o, nil
}

// Store keeps the records of packages pipeline, training and quota in a
// SQL database. It implements [pipeline.Store], [pipeline.IdempotencyStore],
// [pipeline.Transactor], [pipeline.Outbox], [training.Store] (and
// [training.BriefVersionSource], which reads a brief's version without its
// document, and [training.LimitedSaleStore], which adds up the units of a
// pilot's sales in the database) and [quota.GoalStore], and passes the
// conformance suites of pipelinetest (its outbox checks included),
// trainingtest and quotatest on SQLite and on PostgreSQL. [Store.ListEvents]
// and [Store.DeleteEvents] are the outbox's side for the host's relay.
//
// Each record is kept as its JSON document beside the columns that the
// filters and listings use (see the package documentation for the
// tables). Updates are optimistic: a row is replaced only if its version
// column (rev for pilots) still holds the version the caller expects.
//
// A Store is safe for concurrent use, and so are several Stores, in one
// process or many, on the same database. Records go in and out by value:
// they are encoded to JSON on the way in and decoded on the way out, so
// nothing is shared with the caller.
//
// Times in the indexed columns are kept as nanoseconds since 1970 UTC,
// which reach from 1677-09-21T00:12:43.145224193Z to
// 2262-04-11T23:47:16.854775807Z: a record with a time in such a column
// outside that span (other than the zero time, which is kept) is refused
// with an error wrapping [sp.ErrInvalid] (a time kept in the document only,
// as a deal's expected close, is not held to it), and so is an ID (or other
// indexed text) that is not valid UTF-8 or holds a NUL byte, and a record
// whose JSON would not decode back (a malformed stage key, say).
//
// The documents keep every time as encoding/json writes it: the instant to
// the nanosecond and its UTC offset in whole minutes (RFC 3339). A time
// read back is Equal to the one written, and has no monotonic reading; a
// time in a named location other than UTC comes back in a fixed zone of
// its offset, or in Local if Local has that offset then, but in UTC when
// the offset is zero (London in winter, even where Local is London). A
// zone offset with seconds, as local mean time had before standard time
// (Amsterdam's +00:19:32 until 1937), loses them: the time comes back
// that many seconds off, while its indexed column, which filters and
// orders, keeps the instant.
//
// The zero Store is not usable, nor is a nil *Store, nor a Store after
// [Store.Close]: their methods fail with an error wrapping
// [sp.ErrInvalid] (a listing yields it, once), except DB, Dialect and
// Close, which cannot fail (on a nil or zero Store they return nil, ""
// and nil). The methods of a Store, and those of a transaction's store,
// fail the same way given a nil ctx.
type Store struct {
	rw
	db    *sql.DB
	owned bool      // Close closes db
	keep  *sql.Conn // holds an in-memory SQLite database open
}

// rw carries out the operations on a database handle: the pool of a
// [Store], or the transaction of [Store.Atomically].
type rw struct {
	q     querier
	d     Dialect
	t     tables
	page  int
	ended *atomic.Bool // set when the transaction ended; nil outside one
	// aborted, in a transaction, is set when one of its writes failed:
	// the database may have rolled the transaction back with it (SQLite
	// does when a write is interrupted as its context ends, PostgreSQL
	// on any error), so the transaction runs no more statements and does
	// not commit. Nil outside a transaction.
	aborted *atomic.Bool
	closed  *atomic.Bool // set when the Store is closed; nil in a transaction
	// stmt, in a transaction, is held by each statement until its rows are
	// closed: the transaction's one connection takes one statement at a
	// time (PostgreSQL's protocol does), while its store is safe for
	// concurrent use. Nil outside a transaction, whose pool gives each
	// statement a connection of its own.
	stmt *sync.Mutex
}

// lock takes r.stmt, if r has one, and returns the function that releases
// it.
func (r *rw) lock() func() {
	if r.stmt == nil {
		return func() {}
	}
	r.stmt.Lock()
	return r.stmt.Unlock
}

// querier is what *sql.DB and *sql.Tx have in common that rw uses.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Open opens the database dsn names for dialect d, applies the schema
// migrations (unless opts.NoMigrate) and returns a [Store] that owns the
// database: [Store.Close] closes it.
//
// For [SQLite], dsn is a file name or a "file:" URI as modernc.org/sqlite
// takes them; Open adds to it, unless it sets them itself, a busy timeout
// (opts.BusyTimeout), immediate transactions (_txlock=immediate) and, for
// a file, the WAL journal. A DSN that names a private in-memory database
// (":memory:", "file::memory:", or a URI with mode=memory, without
// cache=shared) or a temporary one (an empty name: "", "file:"),
// parameters allowed, of which SQLite would give each connection its own,
// opens a new in-memory one that all the Store's connections share and
// that lives until Close.
//
// For [PostgreSQL], dsn is a URL or a key=value string as pgx takes them,
// such as "postgres://app@db.example:5432/sales?sslmode=verify-full".
//
// Errors wrap [sp.ErrInvalid] for bad arguments, for a database whose
// schema is newer than this package knows, and for one that holds a table
// or an index of a name the migrations give one of the store's and did not
// make (see [Store.Migrate]); otherwise they are the driver's, wrapped.
func Open(ctx context.Context, d Dialect, dsn string, opts *Options) (*Store, error) {
	if ctx == nil {
		return nil, fmt.Errorf("sqlstore: open: %w", sp.Invalid("ctx", "nil context"))
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	o, err := o.normalize(d)
	if err != nil {
		return nil, err
	}
	var db *sql.DB
	memory := false
	switch d {
	case SQLite:
		dsn, memory, err = sqliteDSN(dsn, o.BusyTimeout)
		if err != nil {
			return nil, err
		}
		db, err = sql.Open(d.driver(), dsn)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open: %w", err)
		}
	case PostgreSQL:
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open: %w: %w", sp.ErrInvalid, err)
		}
		db = stdlib.OpenDB(*cfg)
	}
	if memory && o.MaxOpenConns > 0 {
		o.MaxOpenConns++ // for the connection that keeps the database
	}
	db.SetMaxOpenConns(o.MaxOpenConns)
	s, err := newStore(db, d, o)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.owned = true
	fail := func(err error) (*Store, error) {
		s.Close()
		return nil, err
	}
	if memory {
		// The in-memory database lives while one connection to it is open.
		if s.keep, err = db.Conn(ctx); err != nil {
			return fail(s.fail(ctx, "open", err))
		}
	} else if err := ping(ctx, db, d, o.BusyTimeout); err != nil {
		return fail(s.fail(ctx, "open", err))
	}
	if !o.NoMigrate {
		if err := s.Migrate(ctx); err != nil {
			return fail(err)
		}
	}
	return s, nil
}

// ping connects to db. On SQLite, a connection that switches a new file to
// the WAL journal while another connection does the same fails at once
// with SQLITE_BUSY, without waiting for the busy timeout (the switch needs
// the write lock, and a reader may not wait for it): ping tries again, a
// millisecond apart, for about busy. It reads no clock.
func ping(ctx context.Context, db *sql.DB, d Dialect, busy time.Duration) error {
	for tries := busy / time.Millisecond; ; tries-- {
		err := db.PingContext(ctx)
		if err == nil || d != SQLite || !errors.Is(classify(err), sp.ErrConflict) || tries <= 0 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Millisecond):
		}
	}
}

// sqliteDSN returns dsn with the connection settings a Store needs, and
// whether it names a private in-memory or temporary database: one SQLite
// would give each connection of its own, which becomes one in the memdb
// VFS, with the DSN's other parameters.
func sqliteDSN(dsn string, busy time.Duration) (string, bool, error) {
	path, query, _ := strings.Cut(dsn, "?")
	// An empty name is a temporary database, private to each connection
	// whatever the parameters say.
	name := strings.TrimPrefix(path, "file:")
	memory := name == "" || !strings.Contains(query, "cache=shared") &&
		(name == ":memory:" || strings.Contains(query, "mode=memory"))
	if memory {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", false, fmt.Errorf("sqlstore: open: %w", err)
		}
		// The memdb VFS shares one database between the connections of the
		// process that name it, with the usual locking.
		dsn = "file:/sqlstore-" + hex.EncodeToString(b[:]) + "?vfs=memdb"
		for _, p := range strings.Split(query, "&") {
			if k, _, _ := strings.Cut(p, "="); p != "" && k != "mode" && k != "vfs" {
				dsn += "&" + p
			}
		}
	}
	// The settings the DSN makes itself are in its parameters, not in the
	// file's path.
	_, query, _ = strings.Cut(dsn, "?")
	var params []string
	if !strings.Contains(query, "busy_timeout") {
		// SQLite takes whole milliseconds in a 32-bit int, and reads 0 (no
		// waiting at all) for a longer timeout.
		ms := min(max(busy.Milliseconds(), 1), math.MaxInt32)
		params = append(params, "_pragma=busy_timeout("+strconv.FormatInt(ms, 10)+")")
	}
	if !strings.Contains(query, "_txlock") {
		params = append(params, "_txlock=immediate")
	}
	inMemory := memory || strings.Contains(query, "vfs=memdb") || strings.Contains(query, "mode=memory") || strings.HasPrefix(dsn, ":memory:")
	if !inMemory && !strings.Contains(query, "journal_mode") {
		params = append(params, "_pragma=journal_mode(WAL)")
	}
	if len(params) == 0 {
		return dsn, memory, nil
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + strings.Join(params, "&"), memory, nil
}

// New returns a [Store] on db, a database of dialect d that the host
// opened and configures (for SQLite, see the package documentation on the
// busy timeout and immediate transactions). Importing this package
// registers both drivers with database/sql, "sqlite" and "pgx" (see
// [Dialect]), so sql.Open takes their names without another import. New
// neither applies the migrations (call [Store.Migrate]; until then the
// Store's methods fail with an error wrapping [sp.ErrInvalid] that says
// so, as with [Options.NoMigrate]) nor changes db's pool; [Store.Close]
// leaves db open. Errors wrap [sp.ErrInvalid]. It does not connect: on
// SQLite, where two programs create a new file in WAL mode at once, the
// first use of db in one of them may fail with "database is locked"
// without waiting for the busy timeout, which [Open] retries and a host
// of New retries itself.
func New(db *sql.DB, d Dialect, opts *Options) (*Store, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if db == nil {
		return nil, fmt.Errorf("sqlstore: %w", sp.Invalid("db", "nil"))
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	o, err := o.normalize(d)
	if err != nil {
		return nil, err
	}
	return newStore(db, d, o)
}

func newStore(db *sql.DB, d Dialect, o Options) (*Store, error) {
	return &Store{db: db, rw: rw{q: db, d: d, t: newTables(o.Schema), page: o.PageSize, closed: new(atomic.Bool)}}, nil
}

// DB returns the database the Store uses: nil for a nil or zero Store.
func (s *Store) DB() *sql.DB {
	if s == nil {
		return nil
	}
	return s.db
}

// Dialect returns the Store's dialect: "" for a nil or zero Store.
func (s *Store) Dialect() Dialect {
	if s == nil {
		return ""
	}
	return s.d
}

// ops returns the operations of s, those of a zero Store when s is nil:
// the methods of a nil *Store fail as those of the zero Store do.
func (s *Store) ops() *rw {
	if s == nil {
		return new(rw)
	}
	return &s.rw
}

// Close releases the Store. If [Open] opened its database, Close closes it
// (an in-memory SQLite database is then gone); a Store from [New] leaves
// the host's database open. Either way the Store's methods then fail with
// an error wrapping [sp.ErrInvalid]; a call running at the same time as
// Close either has its usual outcome or fails with that error. Close may
// be called more than once, also at the same time; after the first it
// does nothing. On a nil or zero Store it does nothing and returns nil.
func (s *Store) Close() error {
	if s == nil || s.db == nil || s.closed.Swap(true) {
		return nil
	}
	var errs []error
	if s.keep != nil {
		errs = append(errs, s.keep.Close())
		s.keep = nil
	}
	if s.owned {
		errs = append(errs, s.db.Close())
	}
	if err := errors.Join(errs...); err != nil && !errors.Is(err, sql.ErrConnDone) {
		return fmt.Errorf("sqlstore: close: %w", err)
	}
	return nil
}

// fail returns err, from the operation op, as the Store's error: nil stays
// nil; when ctx is done its error is the cause; otherwise the sentinel
// the database error stands for (see classify) is wrapped with it.
func (r *rw) fail(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctx == nil {
		return fmt.Errorf("sqlstore: %s: %w", op, err)
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlstore: %s: %w (%w)", op, cerr, err)
	}
	s := classify(err)
	if s == nil && r.closed != nil && r.closed.Load() {
		s = errClosed // the database closed under the operation
	}
	if s != nil && !errors.Is(err, s) {
		if why := r.notMigrated(err); why != "" {
			return fmt.Errorf("sqlstore: %s: %s (run Store.Migrate, or Open without Options.NoMigrate): %w: %w", op, why, s, err)
		}
		return fmt.Errorf("sqlstore: %s: %w: %w", op, s, err)
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// notMigrated says what err, from an operation other than Migrate (whose
// errors about the schema migrationFault has wrapped), tells of the
// database's schema when it names a table or a column of the
// store's that is not there: the migrations have not been applied, or
// not all of them (a column that a later one adds, such as pilot_sales's
// units); or a table of another's takes the place of one of the store's,
// which the migrations will not apply to. It returns "" for another error.
func (r *rw) notMigrated(err error) string {
	f, name, table := schemaFault(err)
	in := ""
	if r.t.schema != "" {
		in = fmt.Sprintf(" in schema %q", r.t.schema)
	}
	switch f {
	case missingTable:
		if name == "" {
			return "the database's schema is not migrated: a table of the store's is missing" + in
		}
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:] // the schema is r.t.schema
		}
		return fmt.Sprintf("the database's schema is not migrated: it has no table %q%s", name, in)
	case missingColumn:
		what := "a column of the store's is missing"
		if name != "" {
			what = fmt.Sprintf("it has no column %q", name)
		}
		if table != "" {
			what += fmt.Sprintf(" in table %q", table)
		}
		return "the database's schema is not migrated up to date: " + what + in
	}
	return ""
}

// errZeroStore is the error of the methods of a Store not made by Open or
// New, and errClosed of those of a Store after Close.
var (
	errZeroStore = fmt.Errorf("a Store must come from Open or New: %w", sp.ErrInvalid)
	errClosed    = fmt.Errorf("the Store is closed: %w", sp.ErrInvalid)
	errAborted   = fmt.Errorf("the transaction was aborted by a write that failed: %w", sp.ErrInvalid)
)

// usable returns errZeroStore or errClosed when s cannot be used: when it
// is nil or zero, or closed.
func (s *Store) usable() error {
	switch {
	case s == nil || s.db == nil:
		return errZeroStore
	case s.closed.Load():
		return errClosed
	}
	return nil
}

// check returns the error that keeps an operation from starting: a zero or
// closed Store, a done ctx, or a transaction that has ended.
func (r *rw) check(ctx context.Context) error {
	if r.q == nil {
		return errZeroStore
	}
	if r.closed != nil && r.closed.Load() {
		return errClosed
	}
	if r.ended != nil && r.ended.Load() {
		return fmt.Errorf("transaction used after its end: %w", sp.ErrInvalid)
	}
	if r.aborted != nil && r.aborted.Load() {
		return errAborted
	}
	return ctxErr(ctx)
}

// ctxErr returns the error of a nil or done ctx.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return sp.Invalid("ctx", "nil context")
	}
	return ctx.Err()
}
