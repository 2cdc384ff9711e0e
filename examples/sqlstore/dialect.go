package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	sp "github.com/salesprocess/salesprocess"
)

// Dialect names the SQL database a [Store] talks to. The two dialects keep
// the same tables and behave the same to the caller; they differ in column
// types, placeholders, locking and error codes (see the package
// documentation). Its text form is its value.
type Dialect string

// The dialects.
const (
	// SQLite is SQLite 3 through the pure-Go driver modernc.org/sqlite
	// (driver name "sqlite"), in a file or in memory.
	SQLite Dialect = "sqlite"
	// PostgreSQL is PostgreSQL 12 or later through the database/sql driver
	// of github.com/jackc/pgx/v5/stdlib (driver name "pgx").
	PostgreSQL Dialect = "postgres"
)

// Validate reports whether d is one of the dialects; the error wraps
// [sp.ErrInvalid].
func (d Dialect) Validate() error {
	switch d {
	case SQLite, PostgreSQL:
		return nil
	}
	return fmt.Errorf("sqlstore: %w", sp.Invalid("dialect", "want %q or %q, got %q", SQLite, PostgreSQL, clip(d)))
}

// driver returns the database/sql driver name of d.
func (d Dialect) driver() string {
	if d == PostgreSQL {
		return "pgx"
	}
	return "sqlite"
}

// placeholder returns the text of the n-th (1-based) query parameter.
func (d Dialect) placeholder(n int) string {
	if d == PostgreSQL {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// checkText refuses a value for a text column that is not valid UTF-8 or
// holds a NUL byte: PostgreSQL text cannot hold it, and the JSON of the
// record would not keep it (encoding/json writes U+FFFD for invalid bytes).
// The library's identifiers never are (see [sp.ValidateID]).
// Checking before the query also keeps PostgreSQL from aborting the
// transaction it runs in.
func checkText(field, v string) error {
	if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
		return sp.Invalid(field, "%q: text columns hold valid UTF-8 without NUL bytes", clip(v))
	}
	return nil
}

// MaxTextLength is the longest value, in bytes, that a write puts in a text
// column; a longer one is refused with an error wrapping [sp.ErrInvalid]
// before any SQL runs, on both dialects. Every text column is in an index
// (the outbox's type, actor and subject aside, which are held to the same
// limit), and a PostgreSQL B-tree index row holds at most 2704 bytes: the
// widest indexes, the goals' primary key and goals_order, have five text
// columns, which at 512 bytes each (and a bigint) make rows of about 2600
// bytes even when the text does not compress; three columns of 1 KiB, as
// the certificates' key has, would not fit. It is four times
// [sp.MaxIDLength], so every valid identifier fits.
const MaxTextLength = 512

// checkTexts checks the values that a write puts in text columns, given
// in pairs of field name and value: checkText, and at most MaxTextLength
// bytes. Checking before the query keeps PostgreSQL from aborting the
// transaction it runs in on a value too long for an index row.
func checkTexts(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		field, v := pairs[i], pairs[i+1]
		if len(v) > MaxTextLength {
			return sp.Invalid(field, "%q is %d bytes long, longer than the %d that an indexed text column takes", clip(v), len(v), MaxTextLength)
		}
		if err := checkText(field, v); err != nil {
			return err
		}
	}
	return nil
}

// maxQuote is the most bytes of a value that an error message quotes.
const maxQuote = 64

// clip returns s cut to maxQuote bytes, "..." marking the cut, so that an
// error quoting an ID or a filter stays short whatever it holds. It cuts
// bytes, not runes: the IDs it quotes may be any bytes, and %q shows them.
func clip[T ~string](s T) string {
	if len(s) <= maxQuote {
		return string(s)
	}
	return string(s[:maxQuote]) + "..."
}

// afterBytes returns the condition col > v, compared byte by byte, for a
// v that no text column holds (see checkText), and v as its argument.
func (d Dialect) afterBytes(col string) string {
	if d == PostgreSQL {
		return "convert_to(" + col + ", 'UTF8') > "
	}
	return "CAST(" + col + " AS BLOB) > "
}

// classify returns the sentinel that err stands for, or nil: a unique
// violation is a duplicate; a lock that could not be had in time, a
// serialization failure or a deadlock is a conflict (the caller may reload
// and retry); a value the database refuses or cannot index is invalid
// input; a finished transaction is a misuse, and so is one that an error
// aborted (on PostgreSQL it runs no more statements, and its commit rolls
// it back).
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return sp.ErrDuplicate
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return sp.ErrConflict
		case sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_RANGE, sqlite3.SQLITE_MISMATCH:
			return sp.ErrInvalid
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return sp.ErrDuplicate
		case pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03":
			// serialization_failure, deadlock_detected, lock_not_available
			return sp.ErrConflict
		case strings.HasPrefix(pe.Code, "22"), // data exception
			strings.HasPrefix(pe.Code, "54"), // program limit exceeded: text too long for an index
			pe.Code == "25P02":               // in_failed_sql_transaction
			return sp.ErrInvalid
		}
	}
	if errors.Is(err, sql.ErrTxDone) || errors.Is(err, pgx.ErrTxCommitRollback) {
		return sp.ErrInvalid
	}
	return nil
}
