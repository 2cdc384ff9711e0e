// Package sqlstore keeps the records of packages pipeline, training and
// quota in a SQL database through database/sql: SQLite, embedded and pure Go
// (modernc.org/sqlite), in a file or in memory; or PostgreSQL (through
// github.com/jackc/pgx/v5/stdlib), for many application instances sharing
// one database. One [Store] implements [pipeline.Store],
// [pipeline.IdempotencyStore], [pipeline.Transactor], [pipeline.Outbox],
// [training.Store], [training.BriefVersionSource],
// [training.LimitedSaleStore] and [quota.GoalStore],
// and passes the conformance suites of pipelinetest, trainingtest and
// quotatest on both databases, including the concurrent-writers test and
// the outbox checks. It lives in a module of its own so that the library
// does not depend on SQL drivers; that module needs Go 1.26, as
// modernc.org/sqlite does (pgx needs 1.25, the library 1.23).
//
// # Use
//
// Open a database, which applies the schema migrations, and hand the store
// to the services:
//
//	s, err := sqlstore.Open(ctx, sqlstore.SQLite, "sales.db", nil)
//	// or sqlstore.Open(ctx, sqlstore.PostgreSQL, "postgres://app@db/sales", nil)
//	if err != nil { ... }
//	defer s.Close()
//	engine, err := pipeline.NewEngine(s, s, nil)
//
// [pipeline.Options].Eligibility asks that the engine's eligibility check
// not call its stores, since the engine may ask it inside a transaction,
// as it does on this store for every command (the store being an Outbox).
// A check that reads this Store all the same, the Readiness of a
// [training.Trainer] on it (Eligibility: trainer.Readiness()), reads
// outside the command's transaction, on another connection: it sees what
// is committed, and needs [Options.MaxOpenConns] zero or at least 2 (with
// 1 it waits for the transaction's connection until ctx is done). That
// works on a SQLite file and on PostgreSQL; on an in-memory SQLite
// database the read waits for the transaction's write lock and fails after
// the busy timeout with an error wrapping [sp.ErrConflict], and so does
// the command: there, give the Trainer a store of its own.
//
// Reading outside the transaction loses nothing: the check is not tied to
// the command's write wherever it reads (see [pipeline.Options]). On
// PostgreSQL a certificate withdrawn (put again with an earlier Expires)
// after the check and before the command commits does not stop the
// command: the rep keeps the record. On a SQLite
// file the withdrawal cannot commit in between: the command's transaction,
// immediate as [Open] makes it, holds the write lock from before the
// check to its commit, so the withdrawal waits for it, and the check sees
// every withdrawal committed before it. On both, a withdrawal stored after
// the command leaves the rep the record, whatever its time.
//
// [New] wraps a *sql.DB the host opened itself; [Store.Migrate] then
// applies the migrations. On SQLite the host's DSN should set a busy
// timeout and immediate transactions, as [Open] does:
// "file:sales.db?_pragma=busy_timeout(5000)&_txlock=immediate&_pragma=journal_mode(WAL)".
//
// # Schema
//
// The migrations are embedded SQL files, one set per dialect (see
// [Migrations]); [Store.Migrate] applies those the table
// sqlstore_migrations does not list yet, in one transaction, so applying
// them twice does nothing. On PostgreSQL, [Options.Schema] puts the tables
// in a schema of their own: do so in a database that holds other tables
// (an ERP's), since the store's have common names (inquiries, deals,
// goals, pilots, ...), and a migration that meets a table of the same name
// in the search_path's first schema fails (relation "goals" already
// exists, SQLSTATE 42P07) with an error wrapping [sp.ErrInvalid] that
// names the table and says to use [Options.Schema], applying none of the
// migrations of that run.
//
// A Store used on a database its migrations have not been applied to
// (opened with [Options.NoMigrate], or from [New] before [Store.Migrate])
// fails every method that reads or writes the database with an error
// wrapping [sp.ErrInvalid] beside the database's for the missing table
// (SQLSTATE 42P01, "no such table"), which says that the schema is not
// migrated, names the table (and on PostgreSQL the Store's schema) and
// says to run [Store.Migrate]. A schema migrated in part, by an older
// version of this package, fails the same way where a method needs a column
// that a later migration adds (SQLSTATE 42703, "no such column"), naming the
// column, in whatever language a PostgreSQL server gives its messages (the
// store reads the name in its own statement, where the server says the
// statement names it; where pgx puts the arguments into the statement's
// text, as with default_query_exec_mode=simple_protocol in the DSN, a server
// whose messages are not in English may leave the name to the database's
// error beside it): the fault is the same, and so is the cure. A table of
// another's with a store's name, whose columns are not the store's, fails so
// too; then [Store.Migrate] says to use [Options.Schema] on PostgreSQL, and
// a database of the store's own on SQLite, which has no schemas.
//
// Every record is a row holding its JSON document (column doc: TEXT on
// SQLite, json on PostgreSQL) and, beside it, the columns that filters,
// orders and version checks use:
//
//	inquiries             id, version, owner, region, product, channel, campaign, customer, stage, received
//	deals                 id, version, pipeline, owner, region, product, channel, campaign, customer,
//	                      inquiry, stage, created, closed
//	idempotency_outcomes  idem_key, result (the command's result, byte for byte)
//	product_briefs        product, major, minor, published
//	certificates          rep, product, channel, expires
//	training_attempts     id, rep, module, at
//	training_assignments  id, rep, due
//	pilots                id, product, rev
//	pilot_sales           id, pilot, at, units
//	product_feedback      id, product, at
//	goals                 rep, region, product, period_text, metric, starts, ends
//
// The outbox keeps no documents: outbox_events has a column per field of
// the event, and a sequence number (see Outbox below):
//
//	outbox_events         seq, id (unique), type, time, actor, subject, data
//
// Text columns compare byte by byte, the order of the contracts (SQLite's
// BINARY collation; COLLATE "C" on PostgreSQL). Times are integers:
// nanoseconds since 1970 UTC, the zero time kept as the least int64, so
// half-open periods are exact; a time outside the span they reach,
// 1677-09-21T00:12:43.145224193Z to 2262-04-11T23:47:16.854775807Z (about
// the years 1678 to 2262), cannot be indexed and is refused with an error
// wrapping [sp.ErrInvalid]. Text columns hold valid UTF-8 without NUL
// bytes, as the library's identifiers are (PostgreSQL text could not hold
// more, nor could the JSON documents keep it): other values are refused
// the same way, found nowhere, and matched by no filter, except that
// After compares them byte by byte all the same. Inside the documents,
// text is what encoding/json makes of it: invalid UTF-8 becomes U+FFFD.
// Every text column is in an index (but for the outbox's type, actor and
// subject, held to the same rule), so a write refuses a value longer than
// [MaxTextLength] (512 bytes, which PostgreSQL's index rows hold even for
// the widest index) with an error wrapping [sp.ErrInvalid] that names the
// field, before it runs any SQL: both databases refuse it alike, nothing
// is written, and a transaction goes on. The stores of pipeline and
// training take records unvalidated, so this is the store's own limit, not
// the library's [sp.MaxIDLength]; PutGoal validates the goal first, so an
// ID of a goal longer than that is refused by [quota.Goal.Validate].
//
// Filters become WHERE clauses: equality for IDs, IN for stage sets (of at
// most 1000 stages; a larger set is matched against the rows read), a
// half-open range for periods, id > After for keyset pagination. Listings
// read a page of rows per query (ORDER BY the listing's order, LIMIT
// [Options.PageSize]) and yield it after closing the rows, so a listing
// holds no connection while the caller's loop runs, and the loop may use
// the store.
//
// A listing of inquiries, deals or certificates filtered by a period
// (Received, Created, Closed, Expiring) chooses how to read its pages before
// the first. Read through a period's index, each page reads and sorts every
// row of the period after the page before: a period of m rows costs about
// m²/(2 × page) row reads. Read in the listing's order (of ID, for inquiries
// and deals), the rows outside the period coming back without their
// documents and skipped, the listing reads once each row of its other
// conditions. So it counts the period's rows through its index and, past
// eight pages of them, the rows of its other conditions up to m²/(2 × page),
// and reads through the index while the period holds at most eight pages of
// rows or that count reaches the bound, else in order. A listing thus costs
// about the lesser of the two, linear in the rows it yields for a wide
// period, and lists the same records in the same order either way.
//
// # Concurrency
//
// Updates are optimistic. UpdateInquiry, UpdateDeal and UpdatePilot run
// UPDATE ... WHERE id = ? AND version = ? (rev for pilots): of concurrent
// updates from the same version exactly one changes the row; the others
// change nothing and get an error wrapping [sp.ErrConflict]
// (or [sp.ErrNotFound] when there is no such row). Creates run
// INSERT ... ON CONFLICT DO NOTHING and report a duplicate when no row was
// inserted; PutCertificate and PutGoal, which replace, run INSERT ... ON
// CONFLICT DO UPDATE. AddSaleWithin runs in a transaction that first
// locks the pilot's row (see [Store.AddSaleWithin]), so that of
// concurrent calls for one pilot each sees the sales of those before it.
//
// SQLite lets one connection write at a time. [Open] sets a busy timeout
// ([Options.BusyTimeout], 5 s by default), so a writer waits for the lock
// instead of failing, and makes transactions IMMEDIATE, so that
// [Store.Atomically] takes the write lock when it begins rather than fail
// half-way; file databases use the WAL journal, so readers do not wait for
// writers. A wait that outlasts the timeout is an error wrapping
// [sp.ErrConflict]. An in-memory database is shared by the
// Store's connections through SQLite's memdb VFS, which has no WAL: there
// a read waits too, while another connection's transaction holds the
// write lock. A statement the database fails in a transaction aborts it,
// on SQLite as on PostgreSQL (below): SQLite rolls the transaction back
// when it interrupts a write whose context ended, and the connection would
// then commit each later statement on its own. So after such a failure the
// transaction's statements fail with an error wrapping [sp.ErrInvalid],
// and so does its commit, which rolls it back. What the store refuses
// without a failing statement (an invalid record, a key taken, a stale
// version) leaves the transaction going.
//
// On PostgreSQL a single update needs nothing more: the row is locked
// while it is written, and a concurrent update of the same row waits, then
// re-reads it and finds the version changed. [Store.Atomically] runs its
// transactions at READ COMMITTED, as [pipeline.Transactor] asks: the
// version is checked by the UPDATE itself and the idempotency keys are
// unique, and the engine answers a retry that fails on what a concurrent
// run of the same key did with that run's outcome (TestTwoInstances runs
// such retries on two instances at once). So commands on distinct records
// do not fail for each other's sake, as [pipeline.Transactor] asks (the
// conformance suite runs them on one store, TestDistinctRecordsConcurrently
// on two instances); at SERIALIZABLE most of them would, failing to
// serialize on the index pages of the outbox and of the idempotency keys
// that they all write.
// Serialization failures, deadlocks and lock timeouts (SQLSTATE 40001,
// 40P01, 55P03) map to [sp.ErrConflict], unique violations (23505) to
// [sp.ErrDuplicate], data exceptions (class 22) and exceeded limits (class
// 54: an index row too long, which the check of [MaxTextLength] keeps
// writes from reaching) to [sp.ErrInvalid], and so do a missing table or
// column (42P01, 42703) and, in a migration, a table that is there already
// (42P07), as the section on the schema says. An error in a transaction
// aborts it: a statement after it (25P02, in_failed_sql_transaction) fails
// with an error wrapping [sp.ErrInvalid], as one after the transaction's
// end does, and so does its commit, which rolls it back. Every error of the
// package starts with "sqlstore: " and wraps the driver's error beside
// the sentinel, but for the error of the function [Store.Atomically] runs,
// which it returns as it is.
//
// # Outbox
//
// The store is a [pipeline.Outbox], and so is the store that
// [Store.Atomically] gives its function: an engine on the store
// ([pipeline.NewEngine](s, s, ...)) appends each command's events in the
// command's transaction, so that the change and its events commit
// together, and its Publisher gets none of them. [Store.AppendEvent]
// appends one event at once, in a transaction of its own. An event must
// pass [sp.Event.Validate] and fit the columns (text as above, a time
// within the span the store indexes); an ID the outbox holds is an error
// wrapping [sp.ErrDuplicate], in a transaction too, which then goes on.
// Data is kept byte for byte (BLOB, bytea), NULL for none; Time comes back
// in UTC.
//
// Delivering the events is the host's: a relay lists them in the order
// appended with [Store.ListEvents], each with its sequence number
// ([OutboxEvent].Seq), stops after a batch, delivers it, then deletes the
// events it delivered with [Store.DeleteEvents] (or keeps the last number
// and lists after it), and starts again (see the example of
// [Store.ListEvents]).
//
// Delivery is at least once: a relay that stops between delivering and
// deleting delivers those events again, so consumers dedupe by event ID.
// Sequence numbers grow in the order the appending transactions commit,
// and are never given twice: SQLite writes one transaction at a time
// (and the column is AUTOINCREMENT), and on PostgreSQL an append first
// takes a transaction-level advisory lock, which serializes the
// transactions that append events from their first append to their
// commit. So a relay that lists after the last number it saw misses no
// event that a slower transaction commits later. Run one relay at a
// time: two relays listing the same events deliver them twice. Where
// several instances of the host could each run one, they elect one by a
// means of the host's, such as a PostgreSQL session advisory lock that
// the relay holds on a connection of its own (pg_try_advisory_lock on a
// [sql.Conn]); the store's locks are transaction-level and elect none.
//
// # Tests
//
// The tests run the conformance suites of pipeline (with the
// concurrent-writers test at 16 and 64 goroutines and the outbox checks),
// training and quota, each again with pages of one row
// ([Options.PageSize]) so that every listing crosses pages, and tests of
// their own, on an in-memory SQLite database, on a SQLite file and, when
// the environment variable SALESPROCESS_POSTGRES_DSN holds the DSN of a
// PostgreSQL database, on PostgreSQL, each test in a schema of its own
// that it drops at the end. The suites' stores wait up to a minute for
// SQLite's write lock ([Options.BusyTimeout]), as their concurrent
// writers on a loaded machine may wait longer than the default. Without
// the variable the PostgreSQL tests say they were skipped. The
// project's CI (.ci/run) starts a throwaway server on loopback with
// .ci/postgres and sets the variable; by hand, from the repository's top:
//
//	dir=$(mktemp -d /tmp/salesprocess-pg.XXXXXX)
//	export SALESPROCESS_POSTGRES_DSN=$(.ci/postgres start "$dir")
//	(cd examples/sqlstore && go test -race ./...)
//	.ci/postgres stop "$dir"
//
// or against any database the user may create schemas in:
//
//	(cd examples/sqlstore && SALESPROCESS_POSTGRES_DSN=postgres://me@localhost/scratch go test ./...)
//
// FuzzListInquiries checks on SQLite that listings select exactly what
// InquiryFilter.Match accepts, for IDs of any bytes and instants at every
// edge. TestDifferential runs seeded random sequences of Engine commands,
// Trainer operations and goals on the in-memory stores of pipelinetest,
// trainingtest and quotatest and on this store, and compares the results
// and the errors of every step; after every command, the records, the
// events and the command's idempotency outcome, and every fourth step and
// after the last, every listing and outcome; the training records and
// listings every third step and after the last; the goals that overlap
// several periods after every put.
package sqlstore
