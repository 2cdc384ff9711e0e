package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// The columns of the inquiries and deals tables that are written from a
// record, in the order of the values that inquiryRow and dealRow return.
var (
	inquiryCols = []string{"version", "owner", "region", "product", "channel", "campaign", "customer", "stage", "received", "doc"}
	dealCols    = []string{"version", "pipeline", "owner", "region", "product", "channel", "campaign", "customer", "inquiry", "stage", "created", "closed", "doc"}
)

// inquiryRow returns the column values of in, in the order of inquiryCols.
func (r *rw) inquiryRow(in pipeline.Inquiry) ([]any, error) {
	if err := checkTexts("id", string(in.ID), "owner", string(in.Owner), "region", string(in.Region), "product", string(in.Product),
		"channel", string(in.Channel), "campaign", string(in.Campaign), "customer", string(in.Customer), "stage", string(in.Stage)); err != nil {
		return nil, err
	}
	received, err := timeKey("received", in.Received)
	if err != nil {
		return nil, err
	}
	doc, err := encodeDoc(in)
	if err != nil {
		return nil, err
	}
	return []any{in.Version, string(in.Owner), string(in.Region), string(in.Product), string(in.Channel),
		string(in.Campaign), string(in.Customer), string(in.Stage), received, doc}, nil
}

// dealRow returns the column values of d, in the order of dealCols.
func (r *rw) dealRow(d pipeline.Deal) ([]any, error) {
	if err := checkTexts("id", string(d.ID), "pipeline", d.Pipeline, "owner", string(d.Owner), "region", string(d.Region),
		"product", string(d.Product), "channel", string(d.Channel), "campaign", string(d.Campaign),
		"customer", string(d.Customer), "inquiry", string(d.Inquiry), "stage", string(d.Stage)); err != nil {
		return nil, err
	}
	created, err := timeKey("created", d.Created)
	if err != nil {
		return nil, err
	}
	closed, err := timeKey("closed", d.Closed)
	if err != nil {
		return nil, err
	}
	doc, err := encodeDoc(d)
	if err != nil {
		return nil, err
	}
	return []any{d.Version, d.Pipeline, string(d.Owner), string(d.Region), string(d.Product), string(d.Channel),
		string(d.Campaign), string(d.Customer), string(d.Inquiry), string(d.Stage), created, closed, doc}, nil
}

// GetInquiry implements [pipeline.InquiryStore].
func (s *Store) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	return s.ops().GetInquiry(ctx, id)
}

// GetInquiry is [Store.GetInquiry], on a Store's pool or in a transaction.
func (r *rw) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	return getRecord[pipeline.Inquiry](ctx, r, fmt.Sprintf("get inquiry %q", clip(id)), r.t.inquiries, string(id))
}

// CreateInquiry implements [pipeline.InquiryStore].
func (s *Store) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	return s.ops().CreateInquiry(ctx, in)
}

// CreateInquiry is [Store.CreateInquiry], on a Store's pool or in a transaction.
func (r *rw) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	return r.createRecord(ctx, fmt.Sprintf("create inquiry %q", clip(in.ID)), r.t.inquiries, string(in.ID),
		inquiryCols, func() ([]any, error) { return r.inquiryRow(in) })
}

// UpdateInquiry implements [pipeline.InquiryStore]: it writes the row only
// if its version column holds expectedVersion, in one statement.
func (s *Store) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expectedVersion int64) error {
	return s.ops().UpdateInquiry(ctx, in, expectedVersion)
}

// UpdateInquiry is [Store.UpdateInquiry], on a Store's pool or in a transaction.
func (r *rw) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expectedVersion int64) error {
	return r.updateRecord(ctx, fmt.Sprintf("update inquiry %q", clip(in.ID)), r.t.inquiries, string(in.ID),
		in.Version, expectedVersion, inquiryCols, func() ([]any, error) { return r.inquiryRow(in) })
}

// ListInquiries implements [pipeline.InquiryStore]. The sequence reads the
// matches a page at a time (see [Options.PageSize]), in ascending byte
// order of ID; a record written while it runs may or may not be yielded.
// It may be iterated more than once. A filter with more than 1000
// distinct stages is matched against the rows read instead of in the
// query, which keeps the statement's parameters few (SQLite takes at most
// 32766, PostgreSQL 65535). A period (Received) of many records may be
// tested on the rows of the other conditions, read in order of ID, rather
// than read through its index (see the package doc).
func (s *Store) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return s.ops().ListInquiries(ctx, f)
}

// ListInquiries is [Store.ListInquiries], on a Store's pool or in a transaction.
func (r *rw) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	stages, inSet := stageSet(f.Stages)
	var keep func(pipeline.Inquiry) bool
	if inSet != nil {
		keep = func(in pipeline.Inquiry) bool { return inSet(in.Stage) }
	}
	return list(ctx, r, listing[pipeline.Inquiry]{
		op:    "list inquiries",
		table: r.t.inquiries,
		filter: func(b *builder) {
			b.eq("owner", string(f.Owner))
			b.eq("region", string(f.Region))
			b.eq("product", string(f.Product))
			b.eq("channel", string(f.Channel))
			b.eq("campaign", string(f.Campaign))
			b.eq("customer", string(f.Customer))
			b.in("stage", stages)
			b.after("id", string(f.After))
		},
		periods: func(b *builder) { b.period("received", f.Received, false) },
		keys:    []key{{col: "id"}},
		decode:  decoder[pipeline.Inquiry](),
		keep:    keep,
	})
}

// GetDeal implements [pipeline.DealStore].
func (s *Store) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	return s.ops().GetDeal(ctx, id)
}

// GetDeal is [Store.GetDeal], on a Store's pool or in a transaction.
func (r *rw) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	return getRecord[pipeline.Deal](ctx, r, fmt.Sprintf("get deal %q", clip(id)), r.t.deals, string(id))
}

// CreateDeal implements [pipeline.DealStore].
func (s *Store) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	return s.ops().CreateDeal(ctx, d)
}

// CreateDeal is [Store.CreateDeal], on a Store's pool or in a transaction.
func (r *rw) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	return r.createRecord(ctx, fmt.Sprintf("create deal %q", clip(d.ID)), r.t.deals, string(d.ID),
		dealCols, func() ([]any, error) { return r.dealRow(d) })
}

// UpdateDeal implements [pipeline.DealStore], as UpdateInquiry does.
func (s *Store) UpdateDeal(ctx context.Context, d pipeline.Deal, expectedVersion int64) error {
	return s.ops().UpdateDeal(ctx, d, expectedVersion)
}

// UpdateDeal is [Store.UpdateDeal], on a Store's pool or in a transaction.
func (r *rw) UpdateDeal(ctx context.Context, d pipeline.Deal, expectedVersion int64) error {
	return r.updateRecord(ctx, fmt.Sprintf("update deal %q", clip(d.ID)), r.t.deals, string(d.ID),
		d.Version, expectedVersion, dealCols, func() ([]any, error) { return r.dealRow(d) })
}

// ListDeals implements [pipeline.DealStore], as ListInquiries does.
func (s *Store) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return s.ops().ListDeals(ctx, f)
}

// ListDeals is [Store.ListDeals], on a Store's pool or in a transaction.
func (r *rw) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	stages, inSet := stageSet(f.Stages)
	var keep func(pipeline.Deal) bool
	if inSet != nil {
		keep = func(d pipeline.Deal) bool { return inSet(d.Stage) }
	}
	return list(ctx, r, listing[pipeline.Deal]{
		op:    "list deals",
		table: r.t.deals,
		filter: func(b *builder) {
			b.eq("owner", string(f.Owner))
			b.eq("region", string(f.Region))
			b.eq("product", string(f.Product))
			b.eq("channel", string(f.Channel))
			b.eq("campaign", string(f.Campaign))
			b.eq("customer", string(f.Customer))
			b.eq("inquiry", string(f.Inquiry))
			b.eq("pipeline", f.Pipeline)
			b.in("stage", stages)
			b.after("id", string(f.After))
		},
		periods: func(b *builder) {
			b.period("created", f.Created, false)
			b.period("closed", f.Closed, true)
		},
		keys:   []key{{col: "id"}},
		decode: decoder[pipeline.Deal](),
		keep:   keep,
	})
}

// GetOutcome implements [pipeline.IdempotencyStore].
func (s *Store) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	return s.ops().GetOutcome(ctx, key)
}

// GetOutcome is [Store.GetOutcome], on a Store's pool or in a transaction.
func (r *rw) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	op := fmt.Sprintf("get outcome %q", clip(key))
	if err := r.check(ctx); err != nil {
		return pipeline.Outcome{}, r.fail(ctx, op, err)
	}
	if checkText("key", key) != nil {
		return pipeline.Outcome{}, r.fail(ctx, op, sp.ErrNotFound)
	}
	var doc, result []byte
	err := r.scanRow(ctx, "SELECT doc, result FROM "+r.t.outcomes+" WHERE idem_key = "+r.d.placeholder(1), []any{key}, &doc, &result)
	if errors.Is(err, sql.ErrNoRows) {
		err = sp.ErrNotFound
	}
	if err != nil {
		return pipeline.Outcome{}, r.fail(ctx, op, err)
	}
	var o pipeline.Outcome
	if err := decodeDoc(doc, &o); err != nil {
		return pipeline.Outcome{}, r.fail(ctx, op, err)
	}
	o.Result = result
	return o, nil
}

// AddOutcome implements [pipeline.IdempotencyStore]. The result is kept
// byte for byte in a column of its own.
func (s *Store) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	return s.ops().AddOutcome(ctx, o)
}

// AddOutcome is [Store.AddOutcome], on a Store's pool or in a transaction.
func (r *rw) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	op := fmt.Sprintf("add outcome %q", clip(o.Key))
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	if err := checkTexts("key", o.Key); err != nil {
		return r.fail(ctx, op, err)
	}
	result := []byte(o.Result)
	o.Result = nil
	doc, err := encodeDoc(o)
	if err != nil {
		return r.fail(ctx, op, err)
	}
	n, err := r.exec(ctx, insert(r.d, r.t.outcomes, "idem_key", "result", "doc"), o.Key, result, doc)
	if err == nil && n == 0 {
		err = sp.ErrDuplicate
	}
	return r.fail(ctx, op, err)
}

// getRecord reads the document of the row id of table into a T; a missing
// row is an error wrapping [sp.ErrNotFound].
func getRecord[T any](ctx context.Context, r *rw, op, table, id string) (T, error) {
	var v T
	if err := r.check(ctx); err != nil {
		return v, r.fail(ctx, op, err)
	}
	if err := getDoc(ctx, r, &v, "SELECT doc FROM "+table+" WHERE id = "+r.d.placeholder(1), id); err != nil {
		var zero T
		return zero, r.fail(ctx, op, notFound(err))
	}
	return v, nil
}

// createRecord inserts the row id of table with the values row returns for
// cols; an existing row is an error wrapping [sp.ErrDuplicate].
func (r *rw) createRecord(ctx context.Context, op, table, id string, cols []string, row func() ([]any, error)) error {
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	vals, err := row()
	if err != nil {
		return r.fail(ctx, op, err)
	}
	n, err := r.exec(ctx, insert(r.d, table, append([]string{"id"}, cols...)...), append([]any{id}, vals...)...)
	if err == nil && n == 0 {
		err = sp.ErrDuplicate
	}
	return r.fail(ctx, op, err)
}

// updateRecord writes the values row returns for cols to the row id of
// table at version next, if the row holds version expected (see
// updateVersioned).
func (r *rw) updateRecord(ctx context.Context, op, table, id string, next, expected int64, cols []string, row func() ([]any, error)) error {
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	vals, err := row()
	if err != nil {
		return r.fail(ctx, op, err)
	}
	return r.fail(ctx, op, r.updateVersioned(ctx, table, "version", id, next, expected, cols, vals))
}

// updateVersioned replaces the row id of table by vals (for cols) if its
// version column (ver: "version", or "rev" for pilots) holds expected, and
// next is expected+1; otherwise it tells why not, as the contracts of
// pipeline's stores and training's PilotStore order the cases: missing,
// then stale, then a malformed next version.
func (r *rw) updateVersioned(ctx context.Context, table, ver, id string, next, expected int64, cols []string, vals []any) error {
	if next == expected+1 && expected < next {
		n, err := r.exec(ctx, update(r.d, table, "id", ver, cols...), append(vals, id, expected)...)
		if err != nil || n == 1 {
			return err
		}
	}
	var cur int64
	err := r.scanRow(ctx, "SELECT "+ver+" FROM "+table+" WHERE id = "+r.d.placeholder(1), []any{id}, &cur)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sp.ErrNotFound
	case err != nil:
		return err
	case cur != expected:
		return fmt.Errorf("stored version %d, not %d: %w", cur, expected, sp.ErrConflict)
	case next != expected+1 || expected >= next:
		return fmt.Errorf("version %d after %d: %w", next, expected, sp.ErrInvalid)
	}
	// The row was at the expected version when read again, but the update
	// did not match it: it changed in between and back, which versions
	// that only grow do not do. Call it a conflict all the same.
	return fmt.Errorf("row changed during the update: %w", sp.ErrConflict)
}

// notFound turns errNoRow into an error wrapping ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, errNoRow) {
		return sp.ErrNotFound
	}
	return err
}

// decoder returns a function that decodes a document into a T.
func decoder[T any]() func([]byte) (T, error) {
	return func(doc []byte) (T, error) {
		var v T
		err := decodeDoc(doc, &v)
		return v, err
	}
}
