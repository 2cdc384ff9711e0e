package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
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
// it back); so is a schema that is not the store's (see schemaFault).
func classify(err error) error {
	if f, _, _ := schemaFault(err); f != 0 {
		return sp.ErrInvalid
	}
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

// A fault is a kind of error of the database about its schema: a table or
// a column of the store's that is not there, or a table or an index that
// a migration would create and that is there already.
type fault int

const (
	noFault       fault = iota
	missingTable        // SQLSTATE 42P01; SQLite's "no such table"
	missingColumn       // SQLSTATE 42703; SQLite's "no such column", "has no column named"
	existing            // SQLSTATE 42P07; SQLite's "table ... already exists", "index ... already exists"
)

// The messages of SQLite about its schema, which it does not translate,
// and of PostgreSQL in English, naming the table, column or index at
// fault. PostgreSQL's messages may come in the server's language, which
// these do not match: its faults are told by their SQLSTATE, their
// tables by storeTable and a missing column by queryColumn, in any
// language.
var (
	sqliteMissingTable  = regexp.MustCompile(`no such table: ([A-Za-z0-9_.]+)`)
	sqliteMissingColumn = regexp.MustCompile(`no such column: ([A-Za-z0-9_.]+)|table ([A-Za-z0-9_.]+) has no column named ([A-Za-z0-9_]+)`)
	sqliteExisting      = regexp.MustCompile(`(?:table|index) "?([A-Za-z0-9_.]+)"? already exists`)
	postgresQuoted      = regexp.MustCompile(`^[a-z]+ "([^"]+)"`)
)

// schemaFault returns the fault that err stands for (noFault for none),
// with the name the database gives of the table, column or index at fault
// (empty when it gives none this package reads), and, for a missing
// column, of its table when the message names it. The names are quoted
// from the message, and clipped.
func schemaFault(err error) (f fault, name, table string) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		if se.Code()&0xff != sqlite3.SQLITE_ERROR {
			return noFault, "", ""
		}
		msg := se.Error()
		if m := sqliteMissingTable.FindStringSubmatch(msg); m != nil {
			return missingTable, clip(m[1]), ""
		}
		if m := sqliteMissingColumn.FindStringSubmatch(msg); m != nil {
			if m[1] != "" {
				return missingColumn, clip(m[1]), ""
			}
			return missingColumn, clip(m[3]), clip(m[2])
		}
		if m := sqliteExisting.FindStringSubmatch(msg); m != nil {
			return existing, clip(m[1]), ""
		}
		return noFault, "", ""
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return noFault, "", ""
	}
	switch pe.Code {
	case "42P01": // undefined_table
		f = missingTable
	case "42703": // undefined_column
		f = missingColumn
	case "42P07": // duplicate_table (of a table, an index, a sequence...)
		f = existing
	default:
		return noFault, "", ""
	}
	// relation "x" does not exist, column "x" (of relation "t") does not
	// exist, relation "x" already exists
	if m := postgresQuoted.FindStringSubmatch(pe.Message); m != nil {
		name = clip(m[1])
	}
	if f == missingColumn {
		if c := queryColumn(err, pe); c != "" {
			name = c
		}
		table = storeTable(pe.Message)
	} else if name == "" {
		name = storeTable(pe.Message)
	}
	return f, name, table
}

// storeTable returns the name of the first of the store's tables that msg
// names, without its schema, or "": a name stands alone in msg, or after a
// schema's name and a dot, but not inside a longer identifier nor as a
// schema's name itself. It reads messages in any language.
func storeTable(msg string) string {
	ident := func(b byte) bool {
		return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
	}
	for _, name := range newTables("").names() {
		for i := 0; ; {
			j := strings.Index(msg[i:], name)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(name)
			if (start == 0 || !ident(msg[start-1])) && (end == len(msg) || !ident(msg[end]) && msg[end] != '.') {
				return name
			}
			i = start + 1
		}
	}
	return ""
}

// queryError is the error of a statement of the store's, with the
// statement's text: PostgreSQL tells where in it a column is missing, and
// queryColumn reads the column's name there. Its text is the error's.
type queryError struct {
	query string
	err   error
}

func (e *queryError) Error() string { return e.err.Error() }
func (e *queryError) Unwrap() error { return e.err }

// withQuery returns err, the error of the statement q, as a queryError;
// nil stays nil.
func withQuery(q string, err error) error {
	if err == nil {
		return nil
	}
	return &queryError{query: q, err: err}
}

// queryColumn returns the name of the column that pe, an undefined_column
// error of the statement err carries (see withQuery), finds missing, or ""
// when it cannot tell: the reference at pe.Position, which counts the
// characters of the statement from 1, the last of its dotted names,
// unquoted, and clipped. The name must stand in pe.Message, which quotes
// it in the server's language, between characters that are not those of
// a name: a position that is not in the statement as the store wrote it
// (a driver that puts the arguments into the text, as pgx's simple
// protocol does) is not taken for another name. A name that is not quoted
// is folded to lower case first, as the server folds it before it looks
// for the column and names it in the message; a quoted one keeps its case.
func queryColumn(err error, pe *pgconn.PgError) string {
	var qe *queryError
	if !errors.As(err, &qe) || pe.Position < 1 {
		return ""
	}
	q := qe.query
	at := -1 // the byte offset of the character at pe.Position
	n := int32(0)
	for i := range q {
		if n++; n == pe.Position {
			at = i
			break
		}
	}
	if at < 0 || at > 0 && nameByte(q[at-1]) {
		return ""
	}
	var name string
	for {
		quoted := strings.HasPrefix(q[at:], `"`)
		part, rest, ok := identifier(q[at:])
		if !ok {
			return ""
		}
		name = part
		if !quoted {
			name = foldName(part)
		}
		at = len(q) - len(rest)
		if !strings.HasPrefix(rest, ".") {
			break
		}
		at++
	}
	if name == "" || !standsIn(pe.Message, name) {
		return ""
	}
	return clip(name)
}

// nameByte reports whether b may be part of a name that is not quoted, as
// PostgreSQL reads a statement: any byte of a character beyond ASCII is.
func nameByte(b byte) bool {
	return b == '_' || b == '$' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b >= utf8.RuneSelf
}

// foldName returns name, not quoted in a statement, as PostgreSQL reads
// it: with the letters A to Z in lower case. The server leaves the
// characters beyond ASCII as they are where the database's encoding takes
// several bytes a character, as UTF-8 does; where it takes one, the
// server may fold them too, and such a name is then not read.
func foldName(name string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, name)
}

// identifier reads the name at the start of s, quoted ("a ""b""") or not,
// and returns it unquoted with the rest of s; ok is false when no name
// starts there.
func identifier(s string) (name, rest string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] != '"' {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			return b.String(), s[i+1:], true
		}
		return "", s, false
	}
	i := 0
	for i < len(s) && nameByte(s[i]) {
		i++
	}
	if i == 0 || '0' <= s[0] && s[0] <= '9' || s[0] == '$' {
		return "", s, false
	}
	return s[:i], s[i:], true
}

// standsIn reports whether name stands in msg between characters that are
// not those of a name (letters, digits, '_' and '$'), or at its ends:
// between the quotes of the message's language, whatever they are.
func standsIn(msg, name string) bool {
	isName := func(r rune) bool { return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; ; {
		j := strings.Index(msg[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		before, _ := utf8.DecodeLastRuneInString(msg[:start])
		after, _ := utf8.DecodeRuneInString(msg[end:])
		if (start == 0 || !isName(before)) && (end == len(msg) || !isName(after)) {
			return true
		}
		i = start + 1
	}
}
