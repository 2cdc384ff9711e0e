package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"github.com/salesprocess/salesprocess/pipeline"
)

// Classify exports classify to the tests.
var Classify = classify

// NotMigrated exports what a store on schema says of err when its schema
// lacks a table or a column.
func NotMigrated(schema string, err error) string {
	r := rw{t: newTables(schema)}
	return r.notMigrated(err)
}

// NotMigratedByQuery is NotMigrated of err as the error of the statement
// query.
func NotMigratedByQuery(schema, query string, err error) string {
	return NotMigrated(schema, withQuery(query, err))
}

// Query is a statement a store ran, with its arguments.
type Query struct {
	SQL  string
	Args []any
}

// recorder is a querier that records the queries it runs.
type recorder struct {
	querier
	mu      sync.Mutex
	queries []Query
}

func (r *recorder) record(q string, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, Query{q, slices.Clone(args)})
}

func (r *recorder) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	r.record(q, args)
	return r.querier.QueryContext(ctx, q, args...)
}

func (r *recorder) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	r.record(q, args)
	return r.querier.QueryRowContext(ctx, q, args...)
}

// ListDealsQueries lists the deals of f on s and returns them with the
// queries that the listing ran.
func ListDealsQueries(ctx context.Context, s *Store, f pipeline.DealFilter) ([]pipeline.Deal, []Query, error) {
	rec := &recorder{querier: s.rw.q}
	r := s.rw
	r.q = rec
	var out []pipeline.Deal
	for d, err := range r.ListDeals(ctx, f) {
		if err != nil {
			return nil, rec.queries, err
		}
		out = append(out, d)
	}
	return out, rec.queries, nil
}
