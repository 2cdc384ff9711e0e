package trainingtest

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// Compile-time checks that MemStore implements the store interfaces.
var (
	_ training.Store            = (*MemStore)(nil)
	_ training.BriefStore       = (*MemStore)(nil)
	_ training.CertificateStore = (*MemStore)(nil)
	_ training.AttemptStore     = (*MemStore)(nil)
	_ training.AssignmentStore  = (*MemStore)(nil)
	_ training.PilotStore       = (*MemStore)(nil)
	_ training.SaleStore        = (*MemStore)(nil)
	_ training.FeedbackStore    = (*MemStore)(nil)

	_ training.BriefVersionSource = (*MemStore)(nil)
	_ training.LimitedSaleStore   = (*MemStore)(nil)
)

// MemStore is an in-memory [training.Store] for tests, examples and small
// programs. It copies values in and out, is safe for concurrent use, and
// passes [RunStoreTests]. It is a [training.BriefVersionSource] too, whose
// BriefVersionAt copies nothing, and a [training.LimitedSaleStore], whose
// AddSaleWithin takes constant time: it keeps the units of each pilot's
// sales added up. Listings take a snapshot when iteration starts, so a
// listing may be iterated again and sees the store as it is then, and
// they yield outside the lock, so the loop body may call the store; a
// listing looks at its ctx before each item and, once ctx is done, yields
// ctx.Err() instead and stops. The zero MemStore is empty and ready to
// use; a MemStore must not be copied after first use. A nil ctx, or a nil
// *MemStore, is an error wrapping [salesprocess.ErrInvalid] (a listing
// yields it).
type MemStore struct {
	mu          sync.Mutex
	briefs      map[salesprocess.ProductID][]training.Brief // by version
	certs       map[certKey]training.Certificate
	attempts    map[training.AttemptID]training.Attempt
	assignments map[training.AssignmentID]training.Assignment
	pilots      map[training.PilotID]training.Pilot
	sales       map[training.SaleID]training.Sale
	feedback    map[salesprocess.FeedbackID]salesprocess.Feedback

	// What a listing selects by, so that it reads only the records it
	// yields: the certificates of each rep, the attempts of each rep at
	// each module, the assignments of each rep, the sales of each pilot
	// and the feedback about each product.
	certsOf       map[salesprocess.RepID]map[certKey]struct{}
	attemptsOf    map[attemptKey][]training.AttemptID
	assignmentsOf map[salesprocess.RepID][]training.AssignmentID
	salesOf       map[training.PilotID][]training.SaleID
	feedbackOf    map[salesprocess.ProductID][]salesprocess.FeedbackID

	// unitsOf holds the exact sum of the units of each pilot's sales, for
	// AddSaleWithin.
	unitsOf map[training.PilotID]*big.Int
}

type attemptKey struct {
	rep    salesprocess.RepID
	module training.ModuleID
}

type certKey struct {
	rep     salesprocess.RepID
	product salesprocess.ProductID
	channel salesprocess.ChannelID
}

// NewMemStore returns an empty [MemStore].
func NewMemStore() *MemStore { return new(MemStore) }

// lock locks s, making its maps on first use, and returns the unlock.
func (s *MemStore) lock() func() {
	s.mu.Lock()
	if s.briefs == nil {
		s.briefs = make(map[salesprocess.ProductID][]training.Brief)
		s.certs = make(map[certKey]training.Certificate)
		s.attempts = make(map[training.AttemptID]training.Attempt)
		s.assignments = make(map[training.AssignmentID]training.Assignment)
		s.pilots = make(map[training.PilotID]training.Pilot)
		s.sales = make(map[training.SaleID]training.Sale)
		s.feedback = make(map[salesprocess.FeedbackID]salesprocess.Feedback)
		s.certsOf = make(map[salesprocess.RepID]map[certKey]struct{})
		s.attemptsOf = make(map[attemptKey][]training.AttemptID)
		s.assignmentsOf = make(map[salesprocess.RepID][]training.AssignmentID)
		s.salesOf = make(map[training.PilotID][]training.SaleID)
		s.feedbackOf = make(map[salesprocess.ProductID][]salesprocess.FeedbackID)
		s.unitsOf = make(map[training.PilotID]*big.Int)
	}
	return s.mu.Unlock
}

func notFound(format string, args ...any) error {
	return fmt.Errorf("trainingtest: %s: %w", fmt.Sprintf(format, args...), salesprocess.ErrNotFound)
}

func duplicate(format string, args ...any) error {
	return fmt.Errorf("trainingtest: %s: %w", fmt.Sprintf(format, args...), salesprocess.ErrDuplicate)
}

// check returns the error of a nil s, or of a nil or done ctx.
func (s *MemStore) check(ctx context.Context) error {
	if s == nil {
		return fmt.Errorf("trainingtest: nil store: %w", salesprocess.ErrInvalid)
	}
	return ctxErr(ctx)
}

// ctxErr returns the error of a nil or done ctx.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("trainingtest: %w", salesprocess.Invalid("ctx", "nil context"))
	}
	return ctx.Err()
}

// snapshot returns a sequence that yields the values read returns from s.
// It looks at s and ctx before it reads and at ctx before each yield: once
// ctx is done, it yields ctx's error instead and stops.
func snapshot[T any](ctx context.Context, s *MemStore, read func() []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := s.check(ctx); err != nil {
			yield(zero, err)
			return
		}
		for _, v := range read() {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// AddBrief implements [training.BriefStore].
func (s *MemStore) AddBrief(ctx context.Context, b training.Brief) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	list := s.briefs[b.Product]
	i, found := slices.BinarySearchFunc(list, b.Version, func(x training.Brief, v training.Version) int { return x.Version.Compare(v) })
	if found {
		return duplicate("brief %q %s", b.Product, b.Version)
	}
	s.briefs[b.Product] = slices.Insert(list, i, b.Clone())
	return nil
}

// GetBrief implements [training.BriefStore].
func (s *MemStore) GetBrief(ctx context.Context, product salesprocess.ProductID, v training.Version) (training.Brief, error) {
	if err := s.check(ctx); err != nil {
		return training.Brief{}, err
	}
	defer s.lock()()
	for _, b := range s.briefs[product] {
		if b.Version == v {
			return b.Clone(), nil
		}
	}
	return training.Brief{}, notFound("brief %q %s", product, v)
}

// BriefAt implements [training.BriefSource].
func (s *MemStore) BriefAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (training.Brief, error) {
	if err := s.check(ctx); err != nil {
		return training.Brief{}, err
	}
	defer s.lock()()
	i, err := s.briefAt(product, at)
	if err != nil {
		return training.Brief{}, err
	}
	return s.briefs[product][i].Clone(), nil
}

// BriefVersionAt implements [training.BriefVersionSource]: the version of
// the brief [MemStore.BriefAt] returns, without copying the brief.
func (s *MemStore) BriefVersionAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (training.Version, error) {
	if err := s.check(ctx); err != nil {
		return training.Version{}, err
	}
	defer s.lock()()
	i, err := s.briefAt(product, at)
	if err != nil {
		return training.Version{}, err
	}
	return s.briefs[product][i].Version, nil
}

// briefAt returns the index in s.briefs[product] of the brief in force at
// at: the highest version published at or before at. s must be locked.
func (s *MemStore) briefAt(product salesprocess.ProductID, at time.Time) (int, error) {
	list := s.briefs[product]
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].Published.After(at) {
			return i, nil
		}
	}
	return 0, notFound("brief of product %q in force at %s", product, at.Format(time.RFC3339))
}

// ListBriefs implements [training.BriefStore].
func (s *MemStore) ListBriefs(ctx context.Context, product salesprocess.ProductID) iter.Seq2[training.Brief, error] {
	return snapshot(ctx, s, func() []training.Brief {
		defer s.lock()()
		out := make([]training.Brief, len(s.briefs[product]))
		for i, b := range s.briefs[product] {
			out[i] = b.Clone()
		}
		return out
	})
}

// PutCertificate implements [training.CertificateStore].
func (s *MemStore) PutCertificate(ctx context.Context, c training.Certificate) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	key := certKey{c.Rep, c.Product, c.Channel}
	s.certs[key] = c
	if s.certsOf[c.Rep] == nil {
		s.certsOf[c.Rep] = make(map[certKey]struct{})
	}
	s.certsOf[c.Rep][key] = struct{}{}
	return nil
}

// ListCertificates implements [training.CertificateStore].
func (s *MemStore) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return snapshot(ctx, s, func() []training.Certificate {
		defer s.lock()()
		var out []training.Certificate
		if f.Rep != "" {
			for key := range s.certsOf[f.Rep] {
				if c := s.certs[key]; f.Match(c) {
					out = append(out, c)
				}
			}
		} else {
			for _, c := range s.certs {
				if f.Match(c) {
					out = append(out, c)
				}
			}
		}
		slices.SortFunc(out, training.CompareCertificates)
		return out
	})
}

// AddAttempt implements [training.AttemptStore].
func (s *MemStore) AddAttempt(ctx context.Context, a training.Attempt) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	if _, ok := s.attempts[a.ID]; ok {
		return duplicate("attempt %q", a.ID)
	}
	s.attempts[a.ID] = a
	key := attemptKey{a.Rep, a.Module}
	s.attemptsOf[key] = append(s.attemptsOf[key], a.ID)
	return nil
}

// ListAttempts implements [training.AttemptStore].
func (s *MemStore) ListAttempts(ctx context.Context, rep salesprocess.RepID, module training.ModuleID) iter.Seq2[training.Attempt, error] {
	return snapshot(ctx, s, func() []training.Attempt {
		defer s.lock()()
		var out []training.Attempt
		for _, id := range s.attemptsOf[attemptKey{rep, module}] {
			out = append(out, s.attempts[id])
		}
		slices.SortFunc(out, func(a, b training.Attempt) int {
			return cmp.Or(a.Time.Compare(b.Time), strings.Compare(string(a.ID), string(b.ID)))
		})
		return out
	})
}

// AddAssignment implements [training.AssignmentStore].
func (s *MemStore) AddAssignment(ctx context.Context, a training.Assignment) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	if _, ok := s.assignments[a.ID]; ok {
		return duplicate("assignment %q", a.ID)
	}
	s.assignments[a.ID] = a
	s.assignmentsOf[a.Rep] = append(s.assignmentsOf[a.Rep], a.ID)
	return nil
}

// ListAssignments implements [training.AssignmentStore].
func (s *MemStore) ListAssignments(ctx context.Context, rep salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	return snapshot(ctx, s, func() []training.Assignment {
		defer s.lock()()
		var out []training.Assignment
		if rep != "" {
			for _, id := range s.assignmentsOf[rep] {
				out = append(out, s.assignments[id])
			}
		} else {
			for _, a := range s.assignments {
				out = append(out, a)
			}
		}
		slices.SortFunc(out, func(a, b training.Assignment) int {
			return cmp.Or(a.Due.Compare(b.Due), strings.Compare(string(a.ID), string(b.ID)))
		})
		return out
	})
}

// CreatePilot implements [training.PilotStore].
func (s *MemStore) CreatePilot(ctx context.Context, p training.Pilot) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	if _, ok := s.pilots[p.ID]; ok {
		return duplicate("pilot %q", p.ID)
	}
	s.pilots[p.ID] = p.Clone()
	return nil
}

// GetPilot implements [training.PilotStore].
func (s *MemStore) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	if err := s.check(ctx); err != nil {
		return training.Pilot{}, err
	}
	defer s.lock()()
	p, ok := s.pilots[id]
	if !ok {
		return training.Pilot{}, notFound("pilot %q", id)
	}
	return p.Clone(), nil
}

// UpdatePilot implements [training.PilotStore].
func (s *MemStore) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	old, ok := s.pilots[p.ID]
	switch {
	case !ok:
		return notFound("pilot %q", p.ID)
	case old.Rev != expectedRev:
		return fmt.Errorf("trainingtest: pilot %q is at revision %d, not %d: %w", p.ID, old.Rev, expectedRev, salesprocess.ErrConflict)
	case p.Rev != expectedRev+1 || expectedRev == math.MaxInt64: // no revision follows the largest
		return fmt.Errorf("trainingtest: pilot %q: revision %d after %d: %w", p.ID, p.Rev, expectedRev, salesprocess.ErrInvalid)
	}
	s.pilots[p.ID] = p.Clone()
	return nil
}

// ListPilots implements [training.PilotStore].
func (s *MemStore) ListPilots(ctx context.Context, product salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	return snapshot(ctx, s, func() []training.Pilot {
		defer s.lock()()
		var out []training.Pilot
		for _, p := range s.pilots {
			if product == "" || p.Product == product {
				out = append(out, p.Clone())
			}
		}
		slices.SortFunc(out, func(a, b training.Pilot) int { return strings.Compare(string(a.ID), string(b.ID)) })
		return out
	})
}

// AddSale implements [training.SaleStore].
func (s *MemStore) AddSale(ctx context.Context, sale training.Sale) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	if _, ok := s.sales[sale.ID]; ok {
		return duplicate("sale %q", sale.ID)
	}
	s.addSale(sale)
	return nil
}

// addSale stores sale, whose ID is not stored. s must be locked.
func (s *MemStore) addSale(sale training.Sale) {
	s.sales[sale.ID] = sale
	s.salesOf[sale.Pilot] = append(s.salesOf[sale.Pilot], sale.ID)
	sum := s.unitsOf[sale.Pilot]
	if sum == nil {
		sum = new(big.Int)
		s.unitsOf[sale.Pilot] = sum
	}
	sum.Add(sum, big.NewInt(sale.Units))
}

// AddSaleWithin implements [training.LimitedSaleStore]: under the store's
// lock, from the exact sum of the units of the pilot's sales, kept up to
// date as sales are added, so that it takes constant time however many
// sales the pilot has.
func (s *MemStore) AddSaleWithin(ctx context.Context, sale training.Sale, limit int64) (sold int64, added bool, err error) {
	if err := s.check(ctx); err != nil {
		return 0, false, err
	}
	defer s.lock()()
	if _, ok := s.pilots[sale.Pilot]; !ok {
		return 0, false, notFound("pilot %q", sale.Pilot)
	}
	old, stored := s.sales[sale.ID]
	if stored && old.Pilot == sale.Pilot {
		return 0, false, duplicate("sale %q", sale.ID)
	}
	sold = clampInt64(s.unitsOf[sale.Pilot])
	switch {
	case above(sold, sale.Units, limit):
		return sold, false, nil
	case stored:
		return 0, false, duplicate("sale %q", sale.ID)
	}
	s.addSale(sale)
	return sold, true, nil
}

// clampInt64 returns v, or the bound of int64 that v passes; 0 for nil.
func clampInt64(v *big.Int) int64 {
	switch {
	case v == nil:
		return 0
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
func (s *MemStore) ListSales(ctx context.Context, pilot training.PilotID) iter.Seq2[training.Sale, error] {
	return snapshot(ctx, s, func() []training.Sale {
		defer s.lock()()
		var out []training.Sale
		for _, id := range s.salesOf[pilot] {
			out = append(out, s.sales[id])
		}
		slices.SortFunc(out, func(a, b training.Sale) int {
			return cmp.Or(a.Time.Compare(b.Time), strings.Compare(string(a.ID), string(b.ID)))
		})
		return out
	})
}

// AddFeedback implements [training.FeedbackStore].
func (s *MemStore) AddFeedback(ctx context.Context, f salesprocess.Feedback) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	defer s.lock()()
	if _, ok := s.feedback[f.ID]; ok {
		return duplicate("feedback %q", f.ID)
	}
	s.feedback[f.ID] = f
	s.feedbackOf[f.Product] = append(s.feedbackOf[f.Product], f.ID)
	return nil
}

// ListFeedback implements [training.FeedbackStore].
func (s *MemStore) ListFeedback(ctx context.Context, product salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return snapshot(ctx, s, func() []salesprocess.Feedback {
		defer s.lock()()
		var out []salesprocess.Feedback
		for _, id := range s.feedbackOf[product] {
			out = append(out, s.feedback[id])
		}
		slices.SortFunc(out, func(a, b salesprocess.Feedback) int {
			return cmp.Or(a.Time.Compare(b.Time), strings.Compare(string(a.ID), string(b.ID)))
		})
		return out
	})
}
