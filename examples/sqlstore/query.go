package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// tables holds the names of the store's tables as queries write them:
// qualified by the schema when there is one.
type tables struct {
	inquiries, deals, outcomes                                           string
	briefs, certificates, attempts, assignments, pilots, sales, feedback string
	goals                                                                string
	events                                                               string
	migrations                                                           string
	schema                                                               string // empty for none
}

func newTables(schema string) tables {
	q := func(name string) string {
		if schema == "" {
			return name
		}
		return `"` + schema + `".` + name
	}
	return tables{
		inquiries: q("inquiries"), deals: q("deals"), outcomes: q("idempotency_outcomes"),
		briefs: q("product_briefs"), certificates: q("certificates"), attempts: q("training_attempts"),
		assignments: q("training_assignments"), pilots: q("pilots"), sales: q("pilot_sales"),
		feedback: q("product_feedback"), goals: q("goals"), events: q("outbox_events"), migrations: q("sqlstore_migrations"), schema: schema,
	}
}

// names returns the names of the tables of t, the migrations' among them.
func (t tables) names() []string {
	return []string{t.inquiries, t.deals, t.outcomes, t.briefs, t.certificates, t.attempts, t.assignments,
		t.pilots, t.sales, t.feedback, t.goals, t.events, t.migrations}
}

// lockKey returns the key of the PostgreSQL advisory lock named name for
// the tables of t: stores on other schemas of one database take other
// locks.
func (t tables) lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("sqlstore " + name + " " + t.schema))
	return int64(h.Sum64())
}

// Times in indexed columns are int64 nanoseconds since 1970 UTC. The zero
// time, which sorts before every other, is kept as math.MinInt64, so the
// instants that can be kept are those from minTime to maxTime.
const zeroKey = math.MinInt64

var (
	minTime = time.Unix(0, math.MinInt64+1).UTC()
	maxTime = time.Unix(0, math.MaxInt64).UTC()
)

// timeKey returns the column value of t, or an error wrapping
// [sp.ErrInvalid] for a time the column cannot keep.
func timeKey(field string, t time.Time) (int64, error) {
	switch {
	case t.IsZero():
		return zeroKey, nil
	case t.Before(minTime) || t.After(maxTime):
		return 0, sp.Invalid(field, "%s is outside %s to %s, the instants the store can index", t.Format(time.RFC3339Nano),
			minTime.Format(time.RFC3339Nano), maxTime.Format(time.RFC3339Nano))
	}
	return t.UnixNano(), nil
}

// boundKey returns the least column value k such that a time the column
// keeps is at or after b exactly when its value is at least k; inf reports
// that no such time is at or after b.
func boundKey(b time.Time) (k int64, inf bool) {
	switch {
	case !b.After(time.Time{}):
		return zeroKey, false
	case !b.After(minTime):
		return zeroKey + 1, false
	case b.After(maxTime):
		return 0, true
	}
	return b.UnixNano(), false
}

// builder builds the WHERE clause of a query and its arguments.
type builder struct {
	d     Dialect
	conds []string
	args  []any
}

// arg adds v as an argument and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return b.d.placeholder(len(b.args))
}

func (b *builder) cond(c string) { b.conds = append(b.conds, c) }

// is adds col = v.
func (b *builder) is(col, v string) {
	if checkText(col, v) != nil {
		b.cond("1 = 0") // no row holds a value that cannot be stored
		return
	}
	b.cond(col + " = " + b.arg(v))
}

// eq adds col = v, unless v is empty (which matches any value).
func (b *builder) eq(col, v string) {
	if v != "" {
		b.is(col, v)
	}
}

// maxIn is the most values a query puts in an IN list. A statement takes
// at most 32766 parameters on SQLite and 65535 on PostgreSQL; a filter
// with more stages than maxIn is applied to the rows read (see
// [stageSet]).
const maxIn = 1000

// stageSet returns the distinct stages of a filter as the values of an IN
// list, or, when there are more than maxIn, no values and the test of a
// stage against them, for the listing to apply to the rows it reads.
func stageSet[S ~string](stages []S) ([]string, func(S) bool) {
	set := make(map[S]bool, len(stages))
	vals := make([]string, 0, len(stages))
	for _, st := range stages {
		if !set[st] {
			set[st] = true
			vals = append(vals, string(st))
		}
	}
	if len(vals) <= maxIn {
		return vals, nil
	}
	return nil, func(st S) bool { return set[st] }
}

// in adds col IN (vs...), unless vs is empty.
func (b *builder) in(col string, vs []string) {
	if len(vs) == 0 {
		return
	}
	ps := make([]string, 0, len(vs))
	for _, v := range vs {
		if checkText(col, v) == nil {
			ps = append(ps, b.arg(v))
		}
	}
	if len(ps) == 0 {
		b.cond("1 = 0")
		return
	}
	b.cond(col + " IN (" + strings.Join(ps, ", ") + ")")
}

// after adds col > v in byte order, unless v is empty.
func (b *builder) after(col, v string) {
	switch {
	case v == "":
	case checkText(col, v) != nil:
		// Not text a column holds: compare as bytes (without the index).
		b.cond(b.d.afterBytes(col) + b.arg([]byte(v)))
	default:
		b.cond(col + " > " + b.arg(v))
	}
}

// period adds start ≤ col < end for the time column col, unless p is zero;
// nonZero also excludes the zero time.
func (b *builder) period(col string, p sp.Period, nonZero bool) {
	if p.IsZero() {
		return
	}
	lo, loInf := boundKey(p.Start())
	hi, hiInf := boundKey(p.End())
	if nonZero && lo == zeroKey {
		lo = zeroKey + 1
	}
	if loInf {
		b.cond("1 = 0")
		return
	}
	b.cond(col + " >= " + b.arg(lo))
	if !hiInf {
		b.cond(col + " < " + b.arg(hi))
	}
}

func (b *builder) where() string {
	if len(b.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.conds, " AND ")
}

// key is a column of a listing's order, ascending; num says it holds an
// integer rather than text.
type key struct {
	col string
	num bool
}

func keyCols(keys []key) []string {
	cols := make([]string, len(keys))
	for i, k := range keys {
		cols[i] = k.col
	}
	return cols
}

// listing describes a listing: the table, the filter, the order, and how
// a row becomes a value: its document decodes, or, for a table without
// documents, its columns are scanned.
type listing[T any] struct {
	op     string // for errors: "list inquiries"
	table  string
	filter func(*builder)
	// periods, when not nil, adds the filter's conditions on periods of
	// times (with [builder.period]), whose indexes do not give the order
	// of the listing: see [periodPlan]. Only for a listing of documents
	// (cols nil).
	periods func(*builder)
	keys    []key // the order, which must be unique: the last is the ID
	decode  func([]byte) (T, error)
	// keep, when not nil, is a condition of the filter that the query
	// leaves out: the listing skips the rows it refuses.
	keep func(T) bool
	// cols, when not nil, are the columns read instead of the document,
	// and scan returns their destinations and the function that makes the
	// value of a row once it is scanned into them.
	cols []string
	scan func() (dest []any, value func() (T, error))
}

// row returns the destinations of a row's columns other than the keys, and
// the function that makes its value once they hold the row; it reports
// false for a row that the listing skips: one whose document is NULL,
// which a listing read in its order selects for a row outside its periods
// (see [periodPlan]).
func (l *listing[T]) row() ([]any, func() (T, bool, error)) {
	if l.scan != nil {
		dest, value := l.scan()
		return dest, func() (T, bool, error) {
			v, err := value()
			return v, true, err
		}
	}
	var doc []byte
	return []any{&doc}, func() (T, bool, error) {
		if doc == nil {
			var zero T
			return zero, false, nil
		}
		v, err := l.decode(doc)
		return v, true, err
	}
}

// selected returns the columns of a row other than the keys.
func (l *listing[T]) selected() string {
	if l.cols != nil {
		return strings.Join(l.cols, ", ")
	}
	return "doc"
}

// list returns the sequence of l. It reads a page of rows per query,
// closes the rows, then yields them; the next page starts after the keys
// of the last row (keyset pagination), so the listing holds no connection
// while it yields and the loop body may use the store. A listing with
// conditions on periods first chooses how to read its pages (see
// [periodPlan]).
func list[T any](ctx context.Context, r *rw, l listing[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var last []any
		cols := keyCols(l.keys)
		planned, inOrder := false, false
		for {
			if err := r.check(ctx); err != nil {
				yield(zero, r.fail(ctx, l.op, err))
				return
			}
			if !planned && l.periods != nil {
				var err error
				if inOrder, err = periodPlan(ctx, r, l); err != nil {
					yield(zero, r.fail(ctx, l.op, err))
					return
				}
			}
			planned = true
			b := &builder{d: r.d}
			sel := l.selected()
			if inOrder {
				// The periods select the document, NULL outside them; the
				// query reads the rows of the other conditions in order.
				l.periods(b)
				sel = "CASE WHEN " + strings.Join(b.conds, " AND ") + " THEN doc END"
				b.conds = nil
			}
			if l.filter != nil {
				l.filter(b)
			}
			if l.periods != nil && !inOrder {
				l.periods(b)
			}
			if last != nil {
				ps := make([]string, len(last))
				for i, v := range last {
					ps[i] = b.arg(v)
				}
				if len(ps) == 1 {
					b.cond(cols[0] + " > " + ps[0])
				} else {
					b.cond("(" + strings.Join(cols, ", ") + ") > (" + strings.Join(ps, ", ") + ")")
				}
			}
			q := "SELECT " + sel + ", " + strings.Join(cols, ", ") + " FROM " + l.table + b.where() +
				" ORDER BY " + strings.Join(cols, ", ") + " LIMIT " + strconv.Itoa(r.page)
			page, n, keys, err := readPage(ctx, r, q, b.args, l)
			if err != nil {
				yield(zero, r.fail(ctx, l.op, err))
				return
			}
			for _, v := range page {
				if err := ctx.Err(); err != nil {
					yield(zero, r.fail(ctx, l.op, err))
					return
				}
				if l.keep != nil && !l.keep(v) {
					continue
				}
				if !yield(v, nil) {
					return
				}
			}
			if n < r.page {
				return
			}
			last = keys
		}
	}
}

// periodPages is how many pages of rows the periods of a listing's filter
// may hold for the listing to read them through a period's index without
// weighing the other way (see [periodPlan]).
const periodPages = 8

// periodPlan reports whether listing l, whose filter has conditions on
// periods of times (l.periods), is to read its rows in its order, testing
// the periods on each row, rather than through the index of a period.
//
// Through the index of a period, each page reads every row of the period
// after the last row of the page before and sorts them in the listing's
// order, to keep the first: a listing of a period of m rows costs about
// m²/(2 × page) row reads, quadratic when the period holds most of the
// rows. Written as conditions, the periods leave the plan to the database,
// and neither database avoids that reliably: SQLite keeps no statistics
// (the store runs no ANALYZE) and takes the index of a range over the
// order; PostgreSQL, before its first ANALYZE of the table, or where a
// period's condition is written on an expression to keep the index out,
// guesses a few matching rows and sorts them. Read in the listing's order
// instead (by the primary key, or an index that gives that order), each
// page reads on from where the page before stopped: the listing reads
// once each row of its other conditions, sorting none, the rows outside
// the periods selecting a NULL document, which it skips; but a narrow
// period of a big table then costs a read of the whole table.
//
// So the listing chooses, once, before its first page. It counts the rows
// of its periods (m) through their index. Up to periodPages pages of
// them, it reads through the index, at most about periodPages/2 + 1 reads
// of the period's rows. Beyond, it counts the rows of its other conditions
// up to m²/(2 × page), and reads them in order unless there are that many,
// so that the listing costs about the lesser of the two. The counts read
// index entries, a fraction of the cost of the rows the listing then
// reads. Either way the rows listed and their order are the same.
func periodPlan[T any](ctx context.Context, r *rw, l listing[T]) (bool, error) {
	b := &builder{d: r.d}
	l.periods(b)
	if len(b.conds) == 0 {
		return false, nil
	}
	var m int64
	if err := r.scanRow(ctx, "SELECT count(*) FROM "+l.table+b.where(), b.args, &m); err != nil {
		return false, err
	}
	page := int64(r.page)
	if m <= periodPages*page {
		return false, nil
	}
	limit := int64(math.MaxInt64)
	if m <= math.MaxInt64/m {
		limit = m*m/(2*page) + 1
	}
	b = &builder{d: r.d}
	if l.filter != nil {
		l.filter(b)
	}
	q := "SELECT count(*) FROM (SELECT 1 FROM " + l.table + b.where() + " LIMIT " + strconv.FormatInt(limit, 10) + ") AS rest"
	var n int64
	if err := r.scanRow(ctx, q, b.args, &n); err != nil {
		return false, err
	}
	return n < limit, nil
}

// readPage runs a page's query and returns the values of its rows but
// those the listing skips, how many rows it read, and the keys of its last
// row.
func readPage[T any](ctx context.Context, r *rw, q string, args []any, l listing[T]) ([]T, int, []any, error) {
	defer r.lock()() // after rows.Close, which is deferred below
	rows, err := r.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, nil, withQuery(q, err)
	}
	defer rows.Close()
	var (
		out  []T
		n    int
		nums = make([]int64, len(l.keys))
		strs = make([]string, len(l.keys))
	)
	dest, value := l.row()
	for i, k := range l.keys {
		if k.num {
			dest = append(dest, &nums[i])
		} else {
			dest = append(dest, &strs[i])
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, nil, err
		}
		n++
		v, ok, err := value()
		if err != nil {
			return nil, 0, nil, err
		}
		if ok {
			out = append(out, v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, 0, nil, err
	}
	last := make([]any, len(l.keys))
	for i, k := range l.keys {
		if k.num {
			last[i] = nums[i]
		} else {
			last[i] = strs[i]
		}
	}
	return out, n, last, nil
}

// errNoRow marks a query that found no row; callers turn it into their
// not-found error.
var errNoRow = errors.New("no row")

// getDoc runs q, which selects one document, and decodes it into v. A
// text argument that no column can hold finds no row.
func getDoc(ctx context.Context, r *rw, v any, q string, args ...any) error {
	for _, a := range args {
		if s, ok := a.(string); ok && checkText("", s) != nil {
			return errNoRow
		}
	}
	var doc []byte
	err := r.scanRow(ctx, q, args, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoRow
	}
	if err != nil {
		return err
	}
	return decodeDoc(doc, v)
}

// decodeDoc decodes a stored document into v.
func decodeDoc(doc []byte, v any) error {
	if err := json.Unmarshal(doc, v); err != nil {
		return fmt.Errorf("decode the stored document: %w", err)
	}
	return nil
}

// encodeDoc encodes v as the document to store. A value that does not
// encode is invalid input, and so is one whose document would not decode
// back (the library's types encode text their UnmarshalText refuses, such
// as a malformed stage key): stored, it would fail every read of it and
// end every listing that reached it.
func encodeDoc[T any](v T) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode the document: %w: %w", sp.ErrInvalid, err)
	}
	var back T
	if err := json.Unmarshal(b, &back); err != nil {
		if !errors.Is(err, sp.ErrInvalid) {
			err = fmt.Errorf("%w: %w", sp.ErrInvalid, err)
		}
		return "", fmt.Errorf("the document would not decode: %w", err)
	}
	return string(b), nil
}

// affected returns the number of rows res changed.
func affected(res sql.Result) (int64, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return n, nil
}

// exec runs a statement and returns how many rows it changed. A statement
// that fails in a transaction aborts it (see rw.aborted).
func (r *rw) exec(ctx context.Context, q string, args ...any) (int64, error) {
	defer r.lock()()
	res, err := r.q.ExecContext(ctx, q, args...)
	if err != nil {
		if r.aborted != nil {
			r.aborted.Store(true)
		}
		return 0, withQuery(q, err)
	}
	return affected(res)
}

// scanRow runs q, which selects at most one row, and scans the row into
// dest; no row is [sql.ErrNoRows].
func (r *rw) scanRow(ctx context.Context, q string, args []any, dest ...any) error {
	defer r.lock()()
	return withQuery(q, r.q.QueryRowContext(ctx, q, args...).Scan(dest...))
}

// insert builds INSERT INTO table (cols) VALUES (...) ON CONFLICT DO
// NOTHING, which both dialects take: a duplicate key then changes no row
// (and, on PostgreSQL, does not abort the transaction) instead of failing.
func insert(d Dialect, table string, cols ...string) string {
	ps := make([]string, len(cols))
	for i := range cols {
		ps[i] = d.placeholder(i + 1)
	}
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(ps, ", ") + ") ON CONFLICT DO NOTHING"
}

// update builds UPDATE table SET cols... WHERE id = ? AND ver = ?, whose
// arguments are the values of cols, then the key, then the expected
// version.
func update(d Dialect, table string, id, ver string, cols ...string) string {
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = " + d.placeholder(i+1)
	}
	n := len(cols)
	return "UPDATE " + table + " SET " + strings.Join(sets, ", ") + " WHERE " + id + " = " + d.placeholder(n+1) +
		" AND " + ver + " = " + d.placeholder(n+2)
}
