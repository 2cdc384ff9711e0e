package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/big"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// addDoc inserts rec as a new row of table: the columns cols hold vals and
// the column doc rec's document. A string value is a text the store
// indexes, checked as checkTexts checks it and named by its column; a
// timeCol value is kept as the timeKey of its instant; any other value as
// it is. A row with the same key is a duplicate.
func addDoc[T any](ctx context.Context, r *rw, op, table string, rec T, cols []string, vals ...any) error {
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	args := make([]any, len(vals), len(vals)+1)
	for i, v := range vals {
		switch v := v.(type) {
		case string:
			if err := checkTexts(cols[i], v); err != nil {
				return r.fail(ctx, op, err)
			}
			args[i] = v
		case timeCol:
			k, err := timeKey(v.field, v.at)
			if err != nil {
				return r.fail(ctx, op, err)
			}
			args[i] = k
		default:
			args[i] = v
		}
	}
	doc, err := encodeDoc(rec)
	if err != nil {
		return r.fail(ctx, op, err)
	}
	n, err := r.exec(ctx, insert(r.d, table, append(cols[:len(cols):len(cols)], "doc")...), append(args, doc)...)
	if err == nil && n == 0 {
		err = sp.ErrDuplicate
	}
	return r.fail(ctx, op, err)
}

// timeCol is an instant for a time column of addDoc, with the field its
// error names.
type timeCol struct {
	field string
	at    time.Time
}

// AddBrief implements [training.BriefStore].
func (s *Store) AddBrief(ctx context.Context, b training.Brief) error {
	return s.ops().AddBrief(ctx, b)
}

// AddBrief is [Store.AddBrief], on a Store's pool or in a transaction.
func (r *rw) AddBrief(ctx context.Context, b training.Brief) error {
	op := fmt.Sprintf("add brief %q %s", clip(b.Product), b.Version)
	return addDoc(ctx, r, op, r.t.briefs, b, []string{"product", "major", "minor", "published"},
		string(b.Product), int64(b.Version.Major), int64(b.Version.Minor), timeCol{"published", b.Published})
}

// GetBrief implements [training.BriefStore].
func (s *Store) GetBrief(ctx context.Context, product sp.ProductID, v training.Version) (training.Brief, error) {
	return s.ops().GetBrief(ctx, product, v)
}

// GetBrief is [Store.GetBrief], on a Store's pool or in a transaction.
func (r *rw) GetBrief(ctx context.Context, product sp.ProductID, v training.Version) (training.Brief, error) {
	op := fmt.Sprintf("get brief %q %s", clip(product), v)
	if err := r.check(ctx); err != nil {
		return training.Brief{}, r.fail(ctx, op, err)
	}
	var b training.Brief
	p := r.d.placeholder
	err := getDoc(ctx, r, &b, "SELECT doc FROM "+r.t.briefs+" WHERE product = "+p(1)+" AND major = "+p(2)+" AND minor = "+p(3),
		string(product), int64(v.Major), int64(v.Minor))
	if err != nil {
		return training.Brief{}, r.fail(ctx, op, notFound(err))
	}
	return b, nil
}

// BriefAt implements [training.BriefSource]: of the versions published at
// or before at, the highest.
func (s *Store) BriefAt(ctx context.Context, product sp.ProductID, at time.Time) (training.Brief, error) {
	return s.ops().BriefAt(ctx, product, at)
}

// BriefAt is [Store.BriefAt], on a Store's pool or in a transaction.
func (r *rw) BriefAt(ctx context.Context, product sp.ProductID, at time.Time) (training.Brief, error) {
	op := fmt.Sprintf("get brief %q in force at %s", clip(product), at.Format(time.RFC3339Nano))
	if err := r.check(ctx); err != nil {
		return training.Brief{}, r.fail(ctx, op, err)
	}
	where, args := r.inForce(product, at)
	var brief training.Brief
	err := getDoc(ctx, r, &brief, "SELECT doc FROM "+r.t.briefs+where+" ORDER BY major DESC, minor DESC LIMIT 1", args...)
	if err != nil {
		return training.Brief{}, r.fail(ctx, op, notFound(err))
	}
	return brief, nil
}

// inForce returns the WHERE clause, and its arguments, that selects the
// versions of product's brief published at or before at.
func (r *rw) inForce(product sp.ProductID, at time.Time) (string, []any) {
	b := &builder{d: r.d}
	b.is("product", string(product))
	// published ≤ at, that is published < the next instant.
	if k, inf := boundKey(at.Add(time.Nanosecond)); !inf {
		b.cond("published < " + b.arg(k))
	}
	return b.where(), b.args
}

// BriefVersionAt implements [training.BriefVersionSource]: the version of
// the brief [Store.BriefAt] returns, read from the major and minor columns
// without the brief's document.
func (s *Store) BriefVersionAt(ctx context.Context, product sp.ProductID, at time.Time) (training.Version, error) {
	return s.ops().BriefVersionAt(ctx, product, at)
}

// BriefVersionAt is [Store.BriefVersionAt], on a Store's pool or in a
// transaction.
func (r *rw) BriefVersionAt(ctx context.Context, product sp.ProductID, at time.Time) (training.Version, error) {
	op := fmt.Sprintf("get version of brief %q in force at %s", clip(product), at.Format(time.RFC3339Nano))
	if err := r.check(ctx); err != nil {
		return training.Version{}, r.fail(ctx, op, err)
	}
	if checkText("", string(product)) != nil {
		return training.Version{}, r.fail(ctx, op, sp.ErrNotFound) // no column holds it, as getDoc finds
	}
	where, args := r.inForce(product, at)
	var major, minor int64
	err := r.scanRow(ctx, "SELECT major, minor FROM "+r.t.briefs+where+" ORDER BY major DESC, minor DESC LIMIT 1", args, &major, &minor)
	if errors.Is(err, sql.ErrNoRows) {
		err = sp.ErrNotFound
	}
	if err != nil {
		return training.Version{}, r.fail(ctx, op, err)
	}
	return training.Version{Major: int(major), Minor: int(minor)}, nil
}

// ListBriefs implements [training.BriefStore].
func (s *Store) ListBriefs(ctx context.Context, product sp.ProductID) iter.Seq2[training.Brief, error] {
	return s.ops().ListBriefs(ctx, product)
}

// ListBriefs is [Store.ListBriefs], on a Store's pool or in a transaction.
func (r *rw) ListBriefs(ctx context.Context, product sp.ProductID) iter.Seq2[training.Brief, error] {
	return list(ctx, r, listing[training.Brief]{
		op:     fmt.Sprintf("list briefs of %q", clip(product)),
		table:  r.t.briefs,
		filter: func(b *builder) { b.is("product", string(product)) },
		keys:   []key{{col: "major", num: true}, {col: "minor", num: true}},
		decode: decoder[training.Brief](),
	})
}

// PutCertificate implements [training.CertificateStore].
func (s *Store) PutCertificate(ctx context.Context, c training.Certificate) error {
	return s.ops().PutCertificate(ctx, c)
}

// PutCertificate is [Store.PutCertificate], on a Store's pool or in a transaction.
func (r *rw) PutCertificate(ctx context.Context, c training.Certificate) error {
	op := fmt.Sprintf("put certificate %q %q %q", clip(c.Rep), clip(c.Product), clip(c.Channel))
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	if err := checkTexts("rep", string(c.Rep), "product", string(c.Product), "channel", string(c.Channel)); err != nil {
		return r.fail(ctx, op, err)
	}
	expires, err := timeKey("expires", c.Expires)
	if err != nil {
		return r.fail(ctx, op, err)
	}
	doc, err := encodeDoc(c)
	if err != nil {
		return r.fail(ctx, op, err)
	}
	p := r.d.placeholder
	_, err = r.exec(ctx, "INSERT INTO "+r.t.certificates+" (rep, product, channel, expires, doc) VALUES ("+
		p(1)+", "+p(2)+", "+p(3)+", "+p(4)+", "+p(5)+") ON CONFLICT (rep, product, channel) DO UPDATE SET expires = excluded.expires, doc = excluded.doc",
		string(c.Rep), string(c.Product), string(c.Channel), expires, doc)
	return r.fail(ctx, op, err)
}

// ListCertificates implements [training.CertificateStore], in ascending
// order of rep, product and channel. A period (Expiring) of many
// certificates may be tested on the rows of the other conditions, read in
// that order, rather than read through its index (see the package doc).
func (s *Store) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return s.ops().ListCertificates(ctx, f)
}

// ListCertificates is [Store.ListCertificates], on a Store's pool or in a transaction.
func (r *rw) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return list(ctx, r, listing[training.Certificate]{
		op:    "list certificates",
		table: r.t.certificates,
		filter: func(b *builder) {
			b.eq("rep", string(f.Rep))
			b.eq("product", string(f.Product))
		},
		periods: func(b *builder) { b.period("expires", f.Expiring, false) },
		keys:    []key{{col: "rep"}, {col: "product"}, {col: "channel"}},
		decode:  decoder[training.Certificate](),
	})
}

// AddAttempt implements [training.AttemptStore].
func (s *Store) AddAttempt(ctx context.Context, a training.Attempt) error {
	return s.ops().AddAttempt(ctx, a)
}

// AddAttempt is [Store.AddAttempt], on a Store's pool or in a transaction.
func (r *rw) AddAttempt(ctx context.Context, a training.Attempt) error {
	op := fmt.Sprintf("add attempt %q", clip(a.ID))
	return addDoc(ctx, r, op, r.t.attempts, a, []string{"id", "rep", "module", "at"},
		string(a.ID), string(a.Rep), string(a.Module), timeCol{"time", a.Time})
}

// ListAttempts implements [training.AttemptStore].
func (s *Store) ListAttempts(ctx context.Context, rep sp.RepID, module training.ModuleID) iter.Seq2[training.Attempt, error] {
	return s.ops().ListAttempts(ctx, rep, module)
}

// ListAttempts is [Store.ListAttempts], on a Store's pool or in a transaction.
func (r *rw) ListAttempts(ctx context.Context, rep sp.RepID, module training.ModuleID) iter.Seq2[training.Attempt, error] {
	return list(ctx, r, listing[training.Attempt]{
		op:    fmt.Sprintf("list attempts of %q at %q", clip(rep), clip(module)),
		table: r.t.attempts,
		filter: func(b *builder) {
			b.is("rep", string(rep))
			b.is("module", string(module))
		},
		keys:   []key{{col: "at", num: true}, {col: "id"}},
		decode: decoder[training.Attempt](),
	})
}

// AddAssignment implements [training.AssignmentStore].
func (s *Store) AddAssignment(ctx context.Context, a training.Assignment) error {
	return s.ops().AddAssignment(ctx, a)
}

// AddAssignment is [Store.AddAssignment], on a Store's pool or in a transaction.
func (r *rw) AddAssignment(ctx context.Context, a training.Assignment) error {
	op := fmt.Sprintf("add assignment %q", clip(a.ID))
	return addDoc(ctx, r, op, r.t.assignments, a, []string{"id", "rep", "due"}, string(a.ID), string(a.Rep), timeCol{"due", a.Due})
}

// ListAssignments implements [training.AssignmentStore].
func (s *Store) ListAssignments(ctx context.Context, rep sp.RepID) iter.Seq2[training.Assignment, error] {
	return s.ops().ListAssignments(ctx, rep)
}

// ListAssignments is [Store.ListAssignments], on a Store's pool or in a transaction.
func (r *rw) ListAssignments(ctx context.Context, rep sp.RepID) iter.Seq2[training.Assignment, error] {
	return list(ctx, r, listing[training.Assignment]{
		op:     fmt.Sprintf("list assignments of %q", clip(rep)),
		table:  r.t.assignments,
		filter: func(b *builder) { b.eq("rep", string(rep)) },
		keys:   []key{{col: "due", num: true}, {col: "id"}},
		decode: decoder[training.Assignment](),
	})
}

// CreatePilot implements [training.PilotStore].
func (s *Store) CreatePilot(ctx context.Context, p training.Pilot) error {
	return s.ops().CreatePilot(ctx, p)
}

// CreatePilot is [Store.CreatePilot], on a Store's pool or in a transaction.
func (r *rw) CreatePilot(ctx context.Context, p training.Pilot) error {
	op := fmt.Sprintf("create pilot %q", clip(p.ID))
	return addDoc(ctx, r, op, r.t.pilots, p, []string{"id", "product", "rev"}, string(p.ID), string(p.Product), p.Rev)
}

// GetPilot implements [training.PilotStore].
func (s *Store) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	return s.ops().GetPilot(ctx, id)
}

// GetPilot is [Store.GetPilot], on a Store's pool or in a transaction.
func (r *rw) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	op := fmt.Sprintf("get pilot %q", clip(id))
	if err := r.check(ctx); err != nil {
		return training.Pilot{}, r.fail(ctx, op, err)
	}
	var p training.Pilot
	if err := getDoc(ctx, r, &p, "SELECT doc FROM "+r.t.pilots+" WHERE id = "+r.d.placeholder(1), string(id)); err != nil {
		return training.Pilot{}, r.fail(ctx, op, notFound(err))
	}
	return p, nil
}

// UpdatePilot implements [training.PilotStore]: it writes the row only if
// its rev column holds expectedRev, in one statement.
func (s *Store) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	return s.ops().UpdatePilot(ctx, p, expectedRev)
}

// UpdatePilot is [Store.UpdatePilot], on a Store's pool or in a transaction.
func (r *rw) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	op := fmt.Sprintf("update pilot %q", clip(p.ID))
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	if err := checkTexts("id", string(p.ID), "product", string(p.Product)); err != nil {
		return r.fail(ctx, op, err)
	}
	doc, err := encodeDoc(p)
	if err != nil {
		return r.fail(ctx, op, err)
	}
	return r.fail(ctx, op, r.updateVersioned(ctx, r.t.pilots, "rev", string(p.ID), p.Rev, expectedRev,
		[]string{"product", "rev", "doc"}, []any{string(p.Product), p.Rev, doc}))
}

// ListPilots implements [training.PilotStore].
func (s *Store) ListPilots(ctx context.Context, product sp.ProductID) iter.Seq2[training.Pilot, error] {
	return s.ops().ListPilots(ctx, product)
}

// ListPilots is [Store.ListPilots], on a Store's pool or in a transaction.
func (r *rw) ListPilots(ctx context.Context, product sp.ProductID) iter.Seq2[training.Pilot, error] {
	return list(ctx, r, listing[training.Pilot]{
		op:     fmt.Sprintf("list pilots of %q", clip(product)),
		table:  r.t.pilots,
		filter: func(b *builder) { b.eq("product", string(product)) },
		keys:   []key{{col: "id"}},
		decode: decoder[training.Pilot](),
	})
}

// AddSale implements [training.SaleStore].
func (s *Store) AddSale(ctx context.Context, sale training.Sale) error {
	return s.ops().AddSale(ctx, sale)
}

// AddSale is [Store.AddSale], on a Store's pool or in a transaction.
func (r *rw) AddSale(ctx context.Context, s training.Sale) error {
	op := fmt.Sprintf("add sale %q", clip(s.ID))
	return addDoc(ctx, r, op, r.t.sales, s, []string{"id", "pilot", "at", "units"},
		string(s.ID), string(s.Pilot), timeCol{"time", s.Time}, s.Units)
}

// AddSaleWithin implements [training.LimitedSaleStore], in a transaction
// of its own at the database's default level (READ COMMITTED on
// PostgreSQL): it locks the pilot's row (SELECT ... FOR UPDATE on
// PostgreSQL; on SQLite the transaction holds the write lock from its
// start, as [Open] makes it IMMEDIATE), looks the sale's ID up, adds up
// the units column of the pilot's sales in the database, and inserts the
// sale. The units sold it returns are their exact sum, or the bound of
// int64 that the sum passes, whatever the signs of the units (the store
// takes sales unvalidated) and whatever order the rows are read in, as
// [training.LimitedSaleStore] asks. Concurrent calls for one pilot wait
// for each other at the lock, and each then sees the sales that those
// before it committed. On a SQLite database whose DSN does not make
// transactions immediate (see [New]), two concurrent calls may both read
// before either writes: one then fails with an error wrapping
// [sp.ErrConflict], and stores nothing.
func (s *Store) AddSaleWithin(ctx context.Context, sale training.Sale, limit int64) (int64, bool, error) {
	op := saleWithinOp(sale, limit)
	r := s.ops()
	if err := r.check(ctx); err != nil {
		return 0, false, r.fail(ctx, op, err)
	}
	var sold int64
	var added bool
	err := s.atomically(ctx, nil, func(ctx context.Context, t *txStore) error {
		var err error
		sold, added, err = t.AddSaleWithin(ctx, sale, limit)
		return err
	})
	if err != nil {
		return 0, false, err
	}
	return sold, added, nil
}

// AddSaleWithin implements [training.LimitedSaleStore] in a transaction of
// [Store.Atomically], as [Store.AddSaleWithin] does in one of its own.
func (t *txStore) AddSaleWithin(ctx context.Context, s training.Sale, limit int64) (int64, bool, error) {
	op := saleWithinOp(s, limit)
	sold, added, err := t.addSaleWithin(ctx, s, limit)
	if err != nil {
		return 0, false, t.fail(ctx, op, err)
	}
	return sold, added, nil
}

func saleWithinOp(s training.Sale, limit int64) string {
	return fmt.Sprintf("add sale %q within %d units", clip(s.ID), limit)
}

// addSaleWithin is [txStore.AddSaleWithin], its errors not yet wrapped.
func (r *rw) addSaleWithin(ctx context.Context, s training.Sale, limit int64) (int64, bool, error) {
	if err := r.check(ctx); err != nil {
		return 0, false, err
	}
	if err := checkTexts("id", string(s.ID), "pilot", string(s.Pilot)); err != nil {
		return 0, false, err
	}
	at, err := timeKey("time", s.Time)
	if err != nil {
		return 0, false, err
	}
	doc, err := encodeDoc(s)
	if err != nil {
		return 0, false, err
	}
	p := r.d.placeholder
	lock := "SELECT id FROM " + r.t.pilots + " WHERE id = " + p(1)
	if r.d == PostgreSQL {
		lock += " FOR UPDATE"
	}
	var id string
	if err := r.scanRow(ctx, lock, []any{string(s.Pilot)}, &id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = fmt.Errorf("pilot %q: %w", clip(s.Pilot), sp.ErrNotFound)
		}
		return 0, false, err
	}
	var of string // the pilot of a sale stored with s.ID
	err = r.scanRow(ctx, "SELECT pilot FROM "+r.t.sales+" WHERE id = "+p(1), []any{string(s.ID)}, &of)
	stored := err == nil
	switch {
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, false, err
	case stored && of == string(s.Pilot):
		return 0, false, sp.ErrDuplicate
	}
	sold, err := r.unitsSold(ctx, s.Pilot)
	switch {
	case err != nil:
		return 0, false, err
	case above(sold, s.Units, limit):
		return sold, false, nil
	case stored:
		return 0, false, sp.ErrDuplicate
	}
	n, err := r.exec(ctx, insert(r.d, r.t.sales, "id", "pilot", "at", "units", "doc"), string(s.ID), string(s.Pilot), at, s.Units, doc)
	switch {
	case err != nil:
		return 0, false, err
	case n == 0: // stored for another pilot since it was looked up
		return 0, false, sp.ErrDuplicate
	}
	return sold, true, nil
}

// unitsSold adds up the units of the sales of pilot exactly, and returns
// the sum, or the bound of int64 it passes: the same answer in whatever
// order the rows are read, which a sum that stops at a bound on the way
// would not give when the units have both signs.
func (r *rw) unitsSold(ctx context.Context, pilot training.PilotID) (int64, error) {
	where := " FROM " + r.t.sales + " WHERE pilot = " + r.d.placeholder(1)
	var sold int64
	if r.d == PostgreSQL { // SUM of bigint is numeric, which does not overflow
		err := r.scanRow(ctx, "SELECT LEAST(GREATEST(COALESCE(SUM(units), 0), -9223372036854775808), 9223372036854775807)::bigint"+where,
			[]any{string(pilot)}, &sold)
		return sold, err
	}
	// SQLite's SUM of integers fails when a partial sum leaves int64,
	// even one the rows after it bring back, and its total is a float.
	// The high and the low 32 bits of the units add up within int64 for
	// any number of rows below 2^31, and make the exact sum.
	var hi, lo int64
	if err := r.scanRow(ctx, "SELECT COALESCE(SUM(units >> 32), 0), COALESCE(SUM(units & 4294967295), 0)"+where,
		[]any{string(pilot)}, &hi, &lo); err != nil {
		return 0, err
	}
	return clampInt64(new(big.Int).Add(new(big.Int).Lsh(big.NewInt(hi), 32), big.NewInt(lo))), nil
}

// clampInt64 returns v, or the bound of int64 that v passes.
func clampInt64(v *big.Int) int64 {
	switch {
	case v.IsInt64():
		return v.Int64()
	case v.Sign() > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}

// above reports whether sold+units, computed without wrapping around, is
// above limit.
func above(sold, units, limit int64) bool {
	switch {
	case units >= 0 && limit < math.MinInt64+units: // limit-units is below every int64
		return true
	case units < 0 && limit > math.MaxInt64+units: // limit-units is above every int64
		return false
	}
	return sold > limit-units
}

// ListSales implements [training.SaleStore].
func (s *Store) ListSales(ctx context.Context, pilot training.PilotID) iter.Seq2[training.Sale, error] {
	return s.ops().ListSales(ctx, pilot)
}

// ListSales is [Store.ListSales], on a Store's pool or in a transaction.
func (r *rw) ListSales(ctx context.Context, pilot training.PilotID) iter.Seq2[training.Sale, error] {
	return list(ctx, r, listing[training.Sale]{
		op:     fmt.Sprintf("list sales of %q", clip(pilot)),
		table:  r.t.sales,
		filter: func(b *builder) { b.is("pilot", string(pilot)) },
		keys:   []key{{col: "at", num: true}, {col: "id"}},
		decode: decoder[training.Sale](),
	})
}

// AddFeedback implements [training.FeedbackStore].
func (s *Store) AddFeedback(ctx context.Context, f sp.Feedback) error {
	return s.ops().AddFeedback(ctx, f)
}

// AddFeedback is [Store.AddFeedback], on a Store's pool or in a transaction.
func (r *rw) AddFeedback(ctx context.Context, f sp.Feedback) error {
	op := fmt.Sprintf("add feedback %q", clip(f.ID))
	return addDoc(ctx, r, op, r.t.feedback, f, []string{"id", "product", "at"}, string(f.ID), string(f.Product), timeCol{"time", f.Time})
}

// ListFeedback implements [training.FeedbackStore].
func (s *Store) ListFeedback(ctx context.Context, product sp.ProductID) iter.Seq2[sp.Feedback, error] {
	return s.ops().ListFeedback(ctx, product)
}

// ListFeedback is [Store.ListFeedback], on a Store's pool or in a transaction.
func (r *rw) ListFeedback(ctx context.Context, product sp.ProductID) iter.Seq2[sp.Feedback, error] {
	return list(ctx, r, listing[sp.Feedback]{
		op:     fmt.Sprintf("list feedback about %q", clip(product)),
		table:  r.t.feedback,
		filter: func(b *builder) { b.is("product", string(product)) },
		keys:   []key{{col: "at", num: true}, {col: "id"}},
		decode: decoder[sp.Feedback](),
	})
}
