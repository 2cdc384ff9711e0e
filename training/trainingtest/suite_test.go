package trainingtest_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// listingFails yields one (zero, error) pair from every listing of briefs
// and pilots, as a store whose query fails does.
type listingFails struct{ *trainingtest.MemStore }

var errListing = errors.New("the listing's query failed")

func (listingFails) ListBriefs(context.Context, salesprocess.ProductID) iter.Seq2[training.Brief, error] {
	return func(yield func(training.Brief, error) bool) { yield(training.Brief{}, errListing) }
}

func (listingFails) ListPilots(context.Context, salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	return func(yield func(training.Pilot, error) bool) { yield(training.Pilot{}, errListing) }
}

// errThenMore yields the error of a cancelled context and then goes on
// listing the pilots.
type errThenMore struct{ *trainingtest.MemStore }

func (s errThenMore) ListPilots(ctx context.Context, product salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	return func(yield func(training.Pilot, error) bool) {
		if err := ctx.Err(); err != nil {
			if !yield(training.Pilot{}, err) {
				return
			}
		}
		for p, err := range s.MemStore.ListPilots(context.Background(), product) {
			if !yield(p, err) {
				return
			}
		}
	}
}

// cancelBlind looks at a listing's context when iteration starts and not
// after: a store that lists every row it read though the context ends
// meanwhile.
type cancelBlind struct{ *trainingtest.MemStore }

func blind[T any](ctx context.Context, list func(context.Context) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if err := ctx.Err(); err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for v, err := range list(context.WithoutCancel(ctx)) {
			if !yield(v, err) {
				return
			}
		}
	}
}

func (s cancelBlind) ListBriefs(ctx context.Context, p salesprocess.ProductID) iter.Seq2[training.Brief, error] {
	return blind(ctx, func(c context.Context) iter.Seq2[training.Brief, error] { return s.MemStore.ListBriefs(c, p) })
}

func (s cancelBlind) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return blind(ctx, func(c context.Context) iter.Seq2[training.Certificate, error] {
		return s.MemStore.ListCertificates(c, f)
	})
}

func (s cancelBlind) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return blind(ctx, func(c context.Context) iter.Seq2[training.Attempt, error] { return s.MemStore.ListAttempts(c, rep, m) })
}

func (s cancelBlind) ListAssignments(ctx context.Context, rep salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	return blind(ctx, func(c context.Context) iter.Seq2[training.Assignment, error] {
		return s.MemStore.ListAssignments(c, rep)
	})
}

func (s cancelBlind) ListPilots(ctx context.Context, p salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	return blind(ctx, func(c context.Context) iter.Seq2[training.Pilot, error] { return s.MemStore.ListPilots(c, p) })
}

func (s cancelBlind) ListSales(ctx context.Context, p training.PilotID) iter.Seq2[training.Sale, error] {
	return blind(ctx, func(c context.Context) iter.Seq2[training.Sale, error] { return s.MemStore.ListSales(c, p) })
}

func (s cancelBlind) ListFeedback(ctx context.Context, p salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return blind(ctx, func(c context.Context) iter.Seq2[salesprocess.Feedback, error] { return s.MemStore.ListFeedback(c, p) })
}

// writesWhenCancelled updates the pilot even though its context is done,
// then reports the context's error.
type writesWhenCancelled struct{ *trainingtest.MemStore }

func (s writesWhenCancelled) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	if err := ctx.Err(); err != nil {
		_ = s.MemStore.UpdatePilot(context.Background(), p, expectedRev)
		return err
	}
	return s.MemStore.UpdatePilot(ctx, p, expectedRev)
}

// latestPublished takes the brief in force to be the one published last,
// not the highest version published by then.
type latestPublished struct{ *trainingtest.MemStore }

func (s latestPublished) BriefAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (training.Brief, error) {
	var best training.Brief
	found := false
	for b, err := range s.MemStore.ListBriefs(ctx, product) {
		if err != nil {
			return training.Brief{}, err
		}
		if !b.Published.After(at) && (!found || !b.Published.Before(best.Published)) {
			best, found = b, true
		}
	}
	if !found {
		return s.MemStore.BriefAt(ctx, product, at)
	}
	return best, nil
}

// idOrder lists attempts, sales and feedback by ID alone, not by time
// and then ID.
type idOrder struct{ *trainingtest.MemStore }

func byID[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var all []T
		for v, err := range seq {
			if err != nil {
				yield(v, err)
				return
			}
			all = append(all, v)
		}
		slices.SortFunc(all, func(a, b T) int { return strings.Compare(id(a), id(b)) })
		for _, v := range all {
			if !yield(v, nil) {
				return
			}
		}
	}
}

func (s idOrder) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return byID(s.MemStore.ListAttempts(ctx, rep, m), func(a training.Attempt) string { return string(a.ID) })
}

func (s idOrder) ListSales(ctx context.Context, p training.PilotID) iter.Seq2[training.Sale, error] {
	return byID(s.MemStore.ListSales(ctx, p), func(x training.Sale) string { return string(x.ID) })
}

func (s idOrder) ListFeedback(ctx context.Context, p salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return byID(s.MemStore.ListFeedback(ctx, p), func(f salesprocess.Feedback) string { return string(f.ID) })
}

// forgetful drops what a store with too few columns would: a brief's
// disclosures, a certificate's curriculum, a sale's amount, who assigned
// an assignment.
type forgetful struct{ *trainingtest.MemStore }

func (s forgetful) AddBrief(ctx context.Context, b training.Brief) error {
	b.Disclosures = nil
	return s.MemStore.AddBrief(ctx, b)
}

func (s forgetful) PutCertificate(ctx context.Context, c training.Certificate) error {
	c.Curriculum = ""
	return s.MemStore.PutCertificate(ctx, c)
}

func (s forgetful) AddSale(ctx context.Context, x training.Sale) error {
	x.Amount = salesprocess.Money{}
	return s.MemStore.AddSale(ctx, x)
}

func (s forgetful) AddAssignment(ctx context.Context, a training.Assignment) error {
	a.AssignedBy = ""
	return s.MemStore.AddAssignment(ctx, a)
}

// utcPeriods keeps a pilot's period as instants only, so it comes back
// in UTC.
type utcPeriods struct{ *trainingtest.MemStore }

func (s utcPeriods) CreatePilot(ctx context.Context, p training.Pilot) error {
	if q, err := salesprocess.NewPeriod(p.Period.Start().UTC(), p.Period.End().UTC()); err == nil {
		p.Period = q
	}
	return s.MemStore.CreatePilot(ctx, p)
}

// checkThenAdd looks for an attempt's ID and adds it in two steps, as a
// table without a unique key would, so that racing adds of one ID all
// succeed.
type checkThenAdd struct {
	*trainingtest.MemStore
	mu   sync.Mutex
	seen map[training.AttemptID]bool
}

func (s *checkThenAdd) AddAttempt(ctx context.Context, a training.Attempt) error {
	s.mu.Lock()
	dup := s.seen[a.ID]
	s.mu.Unlock()
	if dup {
		return fmt.Errorf("attempt %s: %w", a.ID, salesprocess.ErrDuplicate)
	}
	time.Sleep(time.Millisecond)
	s.mu.Lock()
	s.seen[a.ID] = true
	s.mu.Unlock()
	if err := s.MemStore.AddAttempt(ctx, a); err != nil && !errors.Is(err, salesprocess.ErrDuplicate) {
		return err
	}
	return nil
}

// renewingPut extends a stored certificate of the same key by the new one's
// validity, Expires minus Issued, instead of replacing it: of concurrent
// puts, what stays is none of those put.
type renewingPut struct {
	*trainingtest.MemStore
	mu *sync.Mutex
}

func (s renewingPut) PutCertificate(ctx context.Context, c training.Certificate) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for got, err := range s.MemStore.ListCertificates(ctx, training.CertificateFilter{Rep: c.Rep, Product: c.Product}) {
		if err == nil && got.Channel == c.Channel {
			c.Expires = got.Expires.Add(c.Expires.Sub(c.Issued))
			break
		}
	}
	return s.MemStore.PutCertificate(ctx, c)
}

// checkThenInsert looks a certificate's key up before it writes it, and
// inserts a second row when another put of the key got in between, as a
// table without a unique key would: concurrent puts of one key may keep
// several certificates. A put that passed the check waits a little for
// another one to pass it too. With refuse, it is a table with a unique key
// instead: the later insert fails with ErrConflict, so that of concurrent
// puts of one key only one succeeds.
type checkThenInsert struct {
	*trainingtest.MemStore
	mu     sync.Mutex
	extra  []training.Certificate
	pair   chan struct{}
	refuse bool
}

func (s *checkThenInsert) PutCertificate(ctx context.Context, c training.Certificate) error {
	stored := func() bool {
		for got, err := range s.MemStore.ListCertificates(ctx, training.CertificateFilter{Rep: c.Rep, Product: c.Product}) {
			if err == nil && got.Channel == c.Channel {
				return true
			}
		}
		return false
	}
	if stored() {
		return s.MemStore.PutCertificate(ctx, c)
	}
	select {
	case s.pair <- struct{}{}:
	case <-s.pair:
	case <-time.After(20 * time.Millisecond):
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored() {
		if s.refuse {
			return fmt.Errorf("certificate of %s: %w", c.Rep, salesprocess.ErrConflict)
		}
		s.extra = append(s.extra, c)
		return nil
	}
	return s.MemStore.PutCertificate(ctx, c)
}

func (s *checkThenInsert) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return func(yield func(training.Certificate, error) bool) {
		for c, err := range s.MemStore.ListCertificates(ctx, f) {
			if !yield(c, err) || err != nil {
				return
			}
		}
		s.mu.Lock()
		extra := slices.Clone(s.extra)
		s.mu.Unlock()
		for _, c := range extra {
			if f.Match(c) && !yield(c, nil) {
				return
			}
		}
	}
}

// oneShot reads the certificates when ListCertificates is called, as a store
// that runs its query before iteration would, and yields them once.
type oneShot struct{ *trainingtest.MemStore }

func (s oneShot) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	var read []training.Certificate
	for c, err := range s.MemStore.ListCertificates(ctx, f) {
		if err != nil {
			return func(yield func(training.Certificate, error) bool) { yield(training.Certificate{}, err) }
		}
		read = append(read, c)
	}
	return func(yield func(training.Certificate, error) bool) {
		for len(read) > 0 {
			c := read[0]
			read = read[1:]
			if !yield(c, nil) {
				return
			}
		}
	}
}

// latestOfProduct returns the latest version of a product's brief
// whatever the version asked for, as long as that one is stored: a SQL
// store that forgot the version in its WHERE clause.
type latestOfProduct struct{ *trainingtest.MemStore }

func (s latestOfProduct) GetBrief(ctx context.Context, product salesprocess.ProductID, v training.Version) (training.Brief, error) {
	if _, err := s.MemStore.GetBrief(ctx, product, v); err != nil {
		return training.Brief{}, err
	}
	var last training.Brief
	for b, err := range s.MemStore.ListBriefs(ctx, product) {
		if err != nil {
			return training.Brief{}, err
		}
		last = b
	}
	return last, nil
}

// caseFolded lists certificates by rep, pilots by ID and attempts by time
// and ID with case ignored: a SQL store whose text columns have a
// linguistic collation.
type caseFolded struct{ *trainingtest.MemStore }

func (s caseFolded) ListPilots(ctx context.Context, product salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	return func(yield func(training.Pilot, error) bool) {
		var pilots []training.Pilot
		for p, err := range s.MemStore.ListPilots(ctx, product) {
			if err != nil {
				yield(training.Pilot{}, err)
				return
			}
			pilots = append(pilots, p)
		}
		slices.SortStableFunc(pilots, func(a, b training.Pilot) int {
			return strings.Compare(strings.ToLower(string(a.ID)), strings.ToLower(string(b.ID)))
		})
		for _, p := range pilots {
			if !yield(p, nil) {
				return
			}
		}
	}
}

func (s caseFolded) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return func(yield func(training.Attempt, error) bool) {
		var attempts []training.Attempt
		for a, err := range s.MemStore.ListAttempts(ctx, rep, m) {
			if err != nil {
				yield(training.Attempt{}, err)
				return
			}
			attempts = append(attempts, a)
		}
		slices.SortStableFunc(attempts, func(a, b training.Attempt) int {
			if c := a.Time.Compare(b.Time); c != 0 {
				return c
			}
			return strings.Compare(strings.ToLower(string(a.ID)), strings.ToLower(string(b.ID)))
		})
		for _, a := range attempts {
			if !yield(a, nil) {
				return
			}
		}
	}
}

func (s caseFolded) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return func(yield func(training.Certificate, error) bool) {
		var certs []training.Certificate
		for c, err := range s.MemStore.ListCertificates(ctx, f) {
			if err != nil {
				yield(training.Certificate{}, err)
				return
			}
			certs = append(certs, c)
		}
		slices.SortStableFunc(certs, func(a, b training.Certificate) int {
			return strings.Compare(strings.ToLower(string(a.Rep)), strings.ToLower(string(b.Rep)))
		})
		for _, c := range certs {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// lockedCertificates holds its read lock while ListCertificates yields, so
// that a PutCertificate in the loop body waits on it.
type lockedCertificates struct {
	*trainingtest.MemStore
	mu *sync.RWMutex
}

func (s lockedCertificates) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return func(yield func(training.Certificate, error) bool) {
		s.mu.RLock()
		defer s.mu.RUnlock()
		for c, err := range s.MemStore.ListCertificates(ctx, f) {
			if !yield(c, err) || err != nil {
				return
			}
		}
	}
}

func (s lockedCertificates) PutCertificate(ctx context.Context, c training.Certificate) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.MemStore.PutCertificate(ctx, c)
}

// The broken stores below misbehave in filtered listings only, as a store
// whose filtered queries take another path than its listing of
// everything.

// filteredCancelIgnored ignores the context of a filtered listing of
// certificates, done when it starts or not.
type filteredCancelIgnored struct{ *trainingtest.MemStore }

func (s filteredCancelIgnored) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	if f != (training.CertificateFilter{}) {
		ctx = context.WithoutCancel(ctx)
	}
	return s.MemStore.ListCertificates(ctx, f)
}

// productCancelIgnored ignores the context of a listing of one product's
// certificates only, done when it starts or not.
type productCancelIgnored struct{ *trainingtest.MemStore }

func (s productCancelIgnored) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	if f.Product != "" && f.Rep == "" {
		ctx = context.WithoutCancel(ctx)
	}
	return s.MemStore.ListCertificates(ctx, f)
}

// filteredCancelBlind looks at the context of a rep's assignments listing
// when it starts and not after.
type filteredCancelBlind struct{ *trainingtest.MemStore }

func (s filteredCancelBlind) ListAssignments(ctx context.Context, rep salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	if rep == "" {
		return s.MemStore.ListAssignments(ctx, rep)
	}
	return blind(ctx, func(c context.Context) iter.Seq2[training.Assignment, error] {
		return s.MemStore.ListAssignments(c, rep)
	})
}

// filteredNoStop goes on yielding a product's pilots after the loop broke.
type filteredNoStop struct{ *trainingtest.MemStore }

func (s filteredNoStop) ListPilots(ctx context.Context, product salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	if product == "" {
		return s.MemStore.ListPilots(ctx, product)
	}
	return func(yield func(training.Pilot, error) bool) {
		for p, err := range s.MemStore.ListPilots(ctx, product) {
			yield(p, err)
		}
	}
}

// filteredHeldAfterStop keeps holding what a filtered listing of
// certificates took when its loop breaks, as a store that does not close
// its cursor then: writes wait on it.
type filteredHeldAfterStop struct {
	*trainingtest.MemStore
	mu *sync.RWMutex
}

func (s filteredHeldAfterStop) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	if f == (training.CertificateFilter{}) {
		return s.MemStore.ListCertificates(ctx, f)
	}
	return func(yield func(training.Certificate, error) bool) {
		for c, err := range s.MemStore.ListCertificates(ctx, f) {
			if !yield(c, err) {
				s.mu.RLock() // never released
				return
			}
			if err != nil {
				return
			}
		}
	}
}

func (s filteredHeldAfterStop) PutCertificate(ctx context.Context, c training.Certificate) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.MemStore.PutCertificate(ctx, c)
}

// indexedBeforeFound writes a pilot it is asked to update to its index of
// pilots by product before it finds the pilot missing, and lists a
// product's pilots by that index: a store that keeps the index in a table
// of its own and writes it outside the update's transaction.
type indexedBeforeFound struct {
	*trainingtest.MemStore
	mu    *sync.Mutex
	index map[salesprocess.ProductID][]training.Pilot
}

func (s indexedBeforeFound) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	s.mu.Lock()
	s.index[p.Product] = append(s.index[p.Product], p)
	s.mu.Unlock()
	return s.MemStore.UpdatePilot(ctx, p, expectedRev)
}

func (s indexedBeforeFound) ListPilots(ctx context.Context, product salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	if product == "" {
		return s.MemStore.ListPilots(ctx, product)
	}
	return func(yield func(training.Pilot, error) bool) {
		seen := map[training.PilotID]bool{}
		for p, err := range s.MemStore.ListPilots(ctx, product) {
			if err == nil {
				seen[p.ID] = true
			}
			if !yield(p, err) || err != nil {
				return
			}
		}
		s.mu.Lock()
		ghosts := slices.Clone(s.index[product])
		s.mu.Unlock()
		for _, p := range ghosts {
			if !seen[p.ID] {
				seen[p.ID] = true
				if !yield(p, nil) {
					return
				}
			}
		}
	}
}

// stopsOnPut ends a listing of certificates silently once a certificate
// is put while it runs, as a store might whose cursor a write invalidates.
type stopsOnPut struct {
	*trainingtest.MemStore
	puts *atomic.Int64
}

func (s stopsOnPut) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return func(yield func(training.Certificate, error) bool) {
		start := s.puts.Load()
		for c, err := range s.MemStore.ListCertificates(ctx, f) {
			if s.puts.Load() != start || !yield(c, err) || err != nil {
				return
			}
		}
	}
}

func (s stopsOnPut) PutCertificate(ctx context.Context, c training.Certificate) error {
	err := s.MemStore.PutCertificate(ctx, c)
	if err == nil {
		s.puts.Add(1)
	}
	return err
}

// rowWithError yields the error of a context that ends while an attempts
// listing runs together with the attempt it has read, not with a zero
// one.
type rowWithError struct{ *trainingtest.MemStore }

func (s rowWithError) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return func(yield func(training.Attempt, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(training.Attempt{}, err)
			return
		}
		for a, err := range s.MemStore.ListAttempts(context.WithoutCancel(ctx), rep, m) {
			if err == nil {
				err = ctx.Err()
			}
			if !yield(a, err) || err != nil {
				return
			}
		}
	}
}

// textTimes orders attempts, assignments, sales and feedback by the text
// of their times with its offset, then ID: a store that keeps times as
// RFC 3339 text and sorts on it.
type textTimes struct{ *trainingtest.MemStore }

func byTimeText[T any](seq iter.Seq2[T, error], key func(T) (time.Time, string)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var all []T
		for v, err := range seq {
			if err != nil {
				yield(v, err)
				return
			}
			all = append(all, v)
		}
		slices.SortStableFunc(all, func(a, b T) int {
			ta, ia := key(a)
			tb, ib := key(b)
			if c := strings.Compare(ta.Format(time.RFC3339Nano), tb.Format(time.RFC3339Nano)); c != 0 {
				return c
			}
			return strings.Compare(ia, ib)
		})
		for _, v := range all {
			if !yield(v, nil) {
				return
			}
		}
	}
}

func (s textTimes) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return byTimeText(s.MemStore.ListAttempts(ctx, rep, m), func(a training.Attempt) (time.Time, string) { return a.Time, string(a.ID) })
}

func (s textTimes) ListAssignments(ctx context.Context, rep salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	return byTimeText(s.MemStore.ListAssignments(ctx, rep), func(a training.Assignment) (time.Time, string) { return a.Due, string(a.ID) })
}

func (s textTimes) ListSales(ctx context.Context, p training.PilotID) iter.Seq2[training.Sale, error] {
	return byTimeText(s.MemStore.ListSales(ctx, p), func(x training.Sale) (time.Time, string) { return x.Time, string(x.ID) })
}

func (s textTimes) ListFeedback(ctx context.Context, p salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return byTimeText(s.MemStore.ListFeedback(ctx, p), func(f salesprocess.Feedback) (time.Time, string) { return f.Time, string(f.ID) })
}

// wallClockExpiring compares the bounds of an Expiring filter by their
// wall clock, as if in UTC: a store that binds times as text with their
// offset and compares the text.
type wallClockExpiring struct{ *trainingtest.MemStore }

func (s wallClockExpiring) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	if !f.Expiring.IsZero() {
		wall := func(t time.Time) time.Time {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		}
		if p, err := salesprocess.NewPeriod(wall(f.Expiring.Start()), wall(f.Expiring.End())); err == nil {
			f.Expiring = p
		}
	}
	return s.MemStore.ListCertificates(ctx, f)
}

// textBriefAt compares the times of publication with the time asked for
// as RFC 3339 text with its offset: a store that keeps times as text.
type textBriefAt struct{ *trainingtest.MemStore }

func (s textBriefAt) BriefAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (training.Brief, error) {
	var best training.Brief
	found := false
	for b, err := range s.MemStore.ListBriefs(ctx, product) {
		if err != nil {
			return training.Brief{}, err
		}
		if b.Published.Format(time.RFC3339Nano) <= at.Format(time.RFC3339Nano) {
			best, found = b, true // ListBriefs lists in version order
		}
	}
	if !found {
		return training.Brief{}, fmt.Errorf("no brief of %q in force at %v: %w", product, at, salesprocess.ErrNotFound)
	}
	return best, nil
}

// versionOffByOne tells a version one minor version above the one of the
// brief in force.
type versionOffByOne struct{ *trainingtest.MemStore }

func (s versionOffByOne) BriefVersionAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (training.Version, error) {
	v, err := s.MemStore.BriefVersionAt(ctx, product, at)
	if err == nil {
		v.Minor++
	}
	return v, err
}

// listThenAdd adds a sale within a limit by listing the pilot's sales and
// then adding it, not atomically: two calls at once both find the units
// the sales before them left.
type listThenAdd struct {
	*trainingtest.MemStore
	pair chan struct{}
}

func (s listThenAdd) AddSaleWithin(ctx context.Context, x training.Sale, limit int64) (int64, bool, error) {
	if _, err := s.GetPilot(ctx, x.Pilot); err != nil {
		return 0, false, err
	}
	var sold int64
	for prev, err := range s.ListSales(ctx, x.Pilot) {
		if err != nil {
			return 0, false, err
		}
		if prev.ID == x.ID {
			return 0, false, fmt.Errorf("sale %s: %w", x.ID, salesprocess.ErrDuplicate)
		}
		sold += prev.Units
	}
	if sold+x.Units > limit {
		return sold, false, nil
	}
	select { // let a concurrent call check too
	case s.pair <- struct{}{}:
	case <-s.pair:
	case <-time.After(20 * time.Millisecond):
	}
	if err := s.AddSale(ctx, x); err != nil {
		return 0, false, err
	}
	return sold, true, nil
}

// exclusiveLimit refuses a sale that takes the units up to the limit.
type exclusiveLimit struct{ *trainingtest.MemStore }

func (s exclusiveLimit) AddSaleWithin(ctx context.Context, x training.Sale, limit int64) (int64, bool, error) {
	return s.MemStore.AddSaleWithin(ctx, x, limit-1)
}

// soldAfter returns, for a sale it adds, the units sold with the sale's
// in place of those sold before it.
type soldAfter struct{ *trainingtest.MemStore }

func (s soldAfter) AddSaleWithin(ctx context.Context, x training.Sale, limit int64) (int64, bool, error) {
	sold, added, err := s.MemStore.AddSaleWithin(ctx, x, limit)
	if added {
		sold += x.Units
	}
	return sold, added, err
}

// soldWithError returns units sold along with an error, where the
// contract wants 0.
type soldWithError struct{ *trainingtest.MemStore }

func (s soldWithError) AddSaleWithin(ctx context.Context, x training.Sale, limit int64) (int64, bool, error) {
	sold, added, err := s.MemStore.AddSaleWithin(ctx, x, limit)
	if err != nil {
		return 1, added, err
	}
	return sold, added, err
}

// addsForUnknownPilot stores a sale of a pilot it does not hold before it
// finds the pilot missing.
type addsForUnknownPilot struct{ *trainingtest.MemStore }

func (s addsForUnknownPilot) AddSaleWithin(ctx context.Context, x training.Sale, limit int64) (int64, bool, error) {
	sold, added, err := s.MemStore.AddSaleWithin(ctx, x, limit)
	if errors.Is(err, salesprocess.ErrNotFound) {
		_ = s.AddSale(ctx, x)
	}
	return sold, added, err
}

// withinCancelIgnored adds a sale whatever its ctx.
type withinCancelIgnored struct{ *trainingtest.MemStore }

func (s withinCancelIgnored) AddSaleWithin(ctx context.Context, x training.Sale, limit int64) (int64, bool, error) {
	return s.MemStore.AddSaleWithin(context.WithoutCancel(ctx), x, limit)
}

// busyWithin lets one AddSaleWithin call at a time reach the store, and
// holds it until another call comes (or 20ms pass); a call that comes
// meanwhile adds its sale whatever the limit when add is set, and is
// refused otherwise.
type busyWithin struct {
	*trainingtest.MemStore
	mu   *sync.Mutex
	busy chan struct{} // buffered: a call came while another held mu
	add  bool
}

func (s busyWithin) AddSaleWithin(ctx context.Context, x training.Sale, limit int64) (int64, bool, error) {
	if !s.mu.TryLock() {
		select {
		case s.busy <- struct{}{}:
		default:
		}
		if !s.add {
			return 0, false, nil
		}
		if err := s.AddSale(ctx, x); err != nil {
			return 0, false, err
		}
		return 0, true, nil
	}
	defer s.mu.Unlock()
	select {
	case <-s.busy:
	case <-time.After(20 * time.Millisecond):
	}
	return s.MemStore.AddSaleWithin(ctx, x, limit)
}

// minorUnits keeps a sale's amount in minor units of its currency: a SQL
// store whose amount column has two decimal places.
type minorUnits struct{ *trainingtest.MemStore }

func (s minorUnits) AddSale(ctx context.Context, x training.Sale) error {
	x.Amount = x.Amount.Round(salesprocess.HalfUp)
	return s.MemStore.AddSale(ctx, x)
}

// createsAtRevOne stores a new pilot at Rev 1 whatever it holds, not as
// given.
type createsAtRevOne struct{ *trainingtest.MemStore }

func (s createsAtRevOne) CreatePilot(ctx context.Context, p training.Pilot) error {
	p.Rev = 1
	return s.MemStore.CreatePilot(ctx, p)
}

// updatesAtGivenRev takes p.Rev for the stored revision and stores p one
// revision on, ignoring expectedRev.
type updatesAtGivenRev struct{ *trainingtest.MemStore }

func (s updatesAtGivenRev) UpdatePilot(ctx context.Context, p training.Pilot, _ int64) error {
	expected := p.Rev
	p.Rev++
	return s.MemStore.UpdatePilot(ctx, p, expected)
}

// setsNextRev stores expectedRev+1 whatever p.Rev holds, as a store whose
// SQL sets the revision itself would, instead of refusing a p.Rev that
// does not follow expectedRev.
type setsNextRev struct{ *trainingtest.MemStore }

func (s setsNextRev) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	p.Rev = expectedRev + 1
	return s.MemStore.UpdatePilot(ctx, p, expectedRev)
}

// consKept keeps the cons of each brief as given to AddBrief, and
// returns them in every brief it reads: a store that copies some parts of
// a brief and not others.
type consKept struct {
	*trainingtest.MemStore
	mu   *sync.Mutex
	cons map[salesprocess.ProductID][]string
}

func newConsKept() consKept {
	return consKept{trainingtest.NewMemStore(), new(sync.Mutex), map[salesprocess.ProductID][]string{}}
}

func (s consKept) AddBrief(ctx context.Context, b training.Brief) error {
	if err := s.MemStore.AddBrief(ctx, b); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cons[b.Product] = b.Cons
	return nil
}

func (s consKept) shared(b training.Brief) training.Brief {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cons[b.Product]; ok {
		b.Cons = c
	}
	return b
}

func (s consKept) GetBrief(ctx context.Context, product salesprocess.ProductID, v training.Version) (training.Brief, error) {
	b, err := s.MemStore.GetBrief(ctx, product, v)
	return s.shared(b), err
}

// resolvesOut hands out, in the pilots it reads, the Resolves of their
// improvements as it keeps them: a store that copies a pilot in, and out
// but for the slices nested in its improvements.
type resolvesOut struct {
	*trainingtest.MemStore
	mu   *sync.Mutex
	kept map[training.PilotID][][]training.IssueID
}

func newResolvesOut() resolvesOut {
	return resolvesOut{trainingtest.NewMemStore(), new(sync.Mutex), map[training.PilotID][][]training.IssueID{}}
}

func (s resolvesOut) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	p, err := s.MemStore.GetPilot(ctx, id)
	if err != nil {
		return p, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.kept[id]
	if len(kept) != len(p.Improvements) {
		kept = make([][]training.IssueID, len(p.Improvements))
		for i, im := range p.Improvements {
			kept[i] = im.Resolves
		}
		s.kept[id] = kept
	}
	for i := range p.Improvements {
		p.Improvements[i].Resolves = kept[i]
	}
	return p, nil
}

// expiringAlone ignores a filter's Expiring when it names a rep or a
// product too.
type expiringAlone struct{ *trainingtest.MemStore }

func (s expiringAlone) ListCertificates(ctx context.Context, f training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	if f.Rep != "" || f.Product != "" {
		f.Expiring = salesprocess.Period{}
	}
	return s.MemStore.ListCertificates(ctx, f)
}

var brokenStores = map[string]struct {
	store  func() training.Store
	clause string // what the suite must say
}{
	"brief_cons_kept": {
		func() training.Store { return newConsKept() },
		"AddBrief copies its argument, every part of it",
	},
	"pilot_resolves_handed_out": {
		func() training.Store { return newResolvesOut() },
		"GetPilot returns a copy, of every part",
	},
	"expiring_alone": {
		func() training.Store { return expiringAlone{trainingtest.NewMemStore()} },
		"ListCertificates with Expiring and a rep or product selects what matches both",
	},
	"listing_stops_while_writing": {
		func() training.Store { return stopsOnPut{trainingtest.NewMemStore(), new(atomic.Int64)} },
		"ListCertificates whose loop body writes must yield each certificate once: got 1, want 2",
	},
	"listing_holds_lock": {
		func() training.Store { return lockedCertificates{trainingtest.NewMemStore(), new(sync.RWMutex)} },
		"a listing must let its loop body call the store",
	},
	"brief_latest_of_product": {
		func() training.Store { return latestOfProduct{trainingtest.NewMemStore()} },
		"GetBrief returns the version asked for",
	},
	"certificates_case_folded": {
		func() training.Store { return caseFolded{trainingtest.NewMemStore()} },
		"ListCertificates selects by the filter and orders by rep, product, channel, byte-wise",
	},
	"listing_fails": {
		func() training.Store { return listingFails{trainingtest.NewMemStore()} },
		"ListBriefs of a stored product: the listing's query failed",
	},
	"listing_goes_on_after_error": {
		func() training.Store { return errThenMore{trainingtest.NewMemStore()} },
		"a failing listing yields one (zero, error) pair and stops",
	},
	"brief_at_latest_published": {
		func() training.Store { return latestPublished{trainingtest.NewMemStore()} },
		"BriefAt returns the highest version published at or before the time",
	},
	"attempts_by_id": {
		func() training.Store { return idOrder{trainingtest.NewMemStore()} },
		"ListAttempts lists one rep's attempts at one module by time, then ID",
	},
	"sales_by_id": {
		func() training.Store { return idOrder{trainingtest.NewMemStore()} },
		"ListSales lists one pilot's sales by time, then ID",
	},
	"feedback_by_id": {
		func() training.Store { return idOrder{trainingtest.NewMemStore()} },
		"ListFeedback lists one product's feedback by time, then ID",
	},
	"brief_without_disclosures": {
		func() training.Store { return forgetful{trainingtest.NewMemStore()} },
		"GetBrief returns every field AddBrief stored",
	},
	"certificate_without_curriculum": {
		func() training.Store { return forgetful{trainingtest.NewMemStore()} },
		"ListCertificates returns every field PutCertificate stored",
	},
	"sale_without_amount": {
		func() training.Store { return forgetful{trainingtest.NewMemStore()} },
		"ListSales returns every field AddSale stored",
	},
	"assignment_without_assigner": {
		func() training.Store { return forgetful{trainingtest.NewMemStore()} },
		"ListAssignments returns every field AddAssignment stored",
	},
	"ordered_by_time_text": {
		func() training.Store { return textTimes{trainingtest.NewMemStore()} },
		"ListAttempts lists by the instant of its times, whatever their zones",
	},
	"expiring_on_the_wall_clock": {
		func() training.Store { return wallClockExpiring{trainingtest.NewMemStore()} },
		"ListCertificates with Expiring in another zone selects expiries in [start, end)",
	},
	"pilots_case_folded": {
		func() training.Store { return caseFolded{trainingtest.NewMemStore()} },
		"ListPilots lists one product's pilots by ID, in byte order",
	},
	"attempts_case_folded": {
		func() training.Store { return caseFolded{trainingtest.NewMemStore()} },
		"ListAttempts lists one rep's attempts at one module by time, then ID, in byte order",
	},
	"brief_at_by_text": {
		func() training.Store { return textBriefAt{trainingtest.NewMemStore()} },
		"BriefAt compares instants, whatever the zones",
	},
	"brief_version_off_by_one": {
		func() training.Store { return versionOffByOne{trainingtest.NewMemStore()} },
		"BriefVersionAt returns the version of the brief BriefAt returns",
	},
	"sale_within_list_then_add": {
		func() training.Store { return listThenAdd{trainingtest.NewMemStore(), make(chan struct{})} },
		"concurrent AddSaleWithin calls each see the sales added before them",
	},
	"sale_within_limit_exclusive": {
		func() training.Store { return exclusiveLimit{trainingtest.NewMemStore()} },
		"AddSaleWithin stores a sale that takes the units up to the limit exactly",
	},
	"sale_within_sold_after": {
		func() training.Store { return soldAfter{trainingtest.NewMemStore()} },
		"AddSaleWithin stores a sale within the limit: got sold 3, added true; want 0, true",
	},
	"sale_within_sold_with_error": {
		func() training.Store { return soldWithError{trainingtest.NewMemStore()} },
		"an error returns sold 0 and false: got 1, false",
	},
	"sale_within_adds_for_unknown_pilot": {
		func() training.Store { return addsForUnknownPilot{trainingtest.NewMemStore()} },
		"AddSaleWithin of a pilot not stored stores nothing: found 1 sales",
	},
	"sale_within_cancel_ignored": {
		func() training.Store { return withinCancelIgnored{trainingtest.NewMemStore()} },
		"AddSaleWithin with a cancelled context returns its error",
	},
	"sale_within_passes_limit_when_busy": {
		func() training.Store {
			return busyWithin{trainingtest.NewMemStore(), new(sync.Mutex), make(chan struct{}, 1), true}
		},
		"concurrent AddSaleWithin calls never pass the limit",
	},
	"sale_within_refuses_when_busy": {
		func() training.Store {
			return busyWithin{trainingtest.NewMemStore(), new(sync.Mutex), make(chan struct{}, 1), false}
		},
		"AddSaleWithin refuses a sale only beyond the limit: sale s",
	},
	"sale_amount_in_minor_units": {
		func() training.Store { return minorUnits{trainingtest.NewMemStore()} },
		"ListSales returns every field AddSale stored",
	},
	"pilot_period_in_utc": {
		func() training.Store { return utcPeriods{trainingtest.NewMemStore()} },
		"GetPilot returns the period in its own time zone",
	},
	"racing_adds_of_one_id": {
		func() training.Store {
			return &checkThenAdd{MemStore: trainingtest.NewMemStore(), seen: map[training.AttemptID]bool{}}
		},
		"of concurrent AddAttempt calls with one key exactly one succeeds",
	},
	"certificate_key_not_unique": {
		func() training.Store {
			return &checkThenInsert{MemStore: trainingtest.NewMemStore(), pair: make(chan struct{})}
		},
		"of concurrent PutCertificate calls with one key one certificate stays: got",
	},
	"certificate_put_renews": {
		func() training.Store { return renewingPut{trainingtest.NewMemStore(), new(sync.Mutex)} },
		"of concurrent PutCertificate calls with one key one of those put stays: got",
	},
	"certificate_put_races_refused": {
		func() training.Store {
			return &checkThenInsert{MemStore: trainingtest.NewMemStore(), pair: make(chan struct{}), refuse: true}
		},
		"concurrent PutCertificate calls with one key succeed",
	},
	"certificates_read_once": {
		func() training.Store { return oneShot{trainingtest.NewMemStore()} },
		"a listing may be iterated again and reads the store afresh: ListCertificates",
	},
	"cancel_while_listing_ignored": {
		func() training.Store { return cancelBlind{trainingtest.NewMemStore()} },
		"ListFeedback whose context is cancelled while it runs must yield its error once and stop",
	},
	"error_with_a_record": {
		func() training.Store { return rowWithError{trainingtest.NewMemStore()} },
		"ListAttempts whose context is cancelled while it runs must yield its error once and stop, with a zero value; got 2 items, 1 errors (1 with a value that is not zero)",
	},
	"filtered_listing_cancel_ignored": {
		func() training.Store { return filteredCancelIgnored{trainingtest.NewMemStore()} },
		"ListCertificates of a rep with a cancelled context yields its error",
	},
	"product_listing_cancel_ignored": {
		func() training.Store { return productCancelIgnored{trainingtest.NewMemStore()} },
		"ListCertificates of a product with a cancelled context yields its error",
	},
	"filtered_listing_cancel_while_listing_ignored": {
		func() training.Store { return filteredCancelBlind{trainingtest.NewMemStore()} },
		"ListAssignments of a rep whose context is cancelled while it runs must yield its error once and stop",
	},
	"filtered_listing_no_early_stop": {
		func() training.Store { return filteredNoStop{trainingtest.NewMemStore()} },
		"ListPilots of a product must stop when the loop breaks",
	},
	"filtered_listing_held_after_early_stop": {
		func() training.Store { return filteredHeldAfterStop{trainingtest.NewMemStore(), new(sync.RWMutex)} },
		"ListCertificates of a rep must release what it holds when the loop breaks",
	},
	"update_missing_indexed": {
		func() training.Store {
			return indexedBeforeFound{trainingtest.NewMemStore(), new(sync.Mutex), map[salesprocess.ProductID][]training.Pilot{}}
		},
		`a refused UpdatePilot creates nothing: ListPilots("p1") lists 1 pilots`,
	},
	"create_at_rev_one": {
		func() training.Store { return createsAtRevOne{trainingtest.NewMemStore()} },
		"CreatePilot stores the pilot as given, Rev included: got Rev 1, want 7",
	},
	"update_at_given_rev": {
		func() training.Store { return updatesAtGivenRev{trainingtest.NewMemStore()} },
		"UpdatePilot at the stored Rev succeeds",
	},
	"update_sets_next_rev": {
		func() training.Store { return setsNextRev{trainingtest.NewMemStore()} },
		"UpdatePilot at the stored Rev 1 storing Rev 3, not 2, is ErrInvalid",
	},
	"cancelled_update_writes": {
		func() training.Store { return writesWhenCancelled{trainingtest.NewMemStore()} },
		"UpdatePilot with a cancelled context changes nothing",
	},
}

// otherZone returns the times of attempts and assignments in a zone of its
// own, the same instants, as the contract lets a store do (a database may
// read timestamps back in its session's zone).
type otherZone struct{ *trainingtest.MemStore }

var zone = time.FixedZone("UTC-3", -3*60*60)

func (s otherZone) ListAttempts(ctx context.Context, rep salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return func(yield func(training.Attempt, error) bool) {
		for a, err := range s.MemStore.ListAttempts(ctx, rep, m) {
			if err == nil {
				a.Time = a.Time.In(zone)
			}
			if !yield(a, err) || err != nil {
				return
			}
		}
	}
}

func (s otherZone) ListAssignments(ctx context.Context, rep salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	return func(yield func(training.Assignment, error) bool) {
		for a, err := range s.MemStore.ListAssignments(ctx, rep) {
			if err == nil {
				a.Due, a.Assigned = a.Due.In(zone), a.Assigned.In(zone)
			}
			if !yield(a, err) || err != nil {
				return
			}
		}
	}
}

// The suite passes a store that returns times in another location, which
// the contract allows.
func TestRunStoreTestsTimesInOtherZone(t *testing.T) {
	trainingtest.RunStoreTests(t, func(*testing.T) training.Store { return otherZone{trainingtest.NewMemStore()} })
}

// The suite fails each broken store, naming the clause it breaks. Each
// runs the suite in a child process, since a failing suite fails its test.
func TestRunStoreTestsCatchesBrokenStores(t *testing.T) {
	if name := os.Getenv("TRAININGTEST_BROKEN_STORE"); name != "" {
		b := brokenStores[name]
		trainingtest.RunStoreTests(t, func(*testing.T) training.Store { return b.store() })
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for name, b := range brokenStores {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunStoreTestsCatchesBrokenStores$", "-test.v")
			cmd.Env = append(os.Environ(), "TRAININGTEST_BROKEN_STORE="+name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite must fail the store:\n%s", out)
			assert.Contains(t, string(out), b.clause)
		})
	}
}

// A nil newStore, or one that returns a nil Store, fails the suite with a
// message saying so, where it panicked.
func TestRunStoreTestsRefusesNilStores(t *testing.T) {
	switch os.Getenv("TRAININGTEST_NIL_STORE") {
	case "func":
		trainingtest.RunStoreTests(t, nil)
		return
	case "store":
		trainingtest.RunStoreTests(t, func(*testing.T) training.Store { return nil })
		return
	}
	for _, c := range []struct{ name, want string }{{"func", "nil newStore"}, {"store", "newStore returned a nil store"}} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunStoreTestsRefusesNilStores$", "-test.v")
			cmd.Env = append(os.Environ(), "TRAININGTEST_NIL_STORE="+c.name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite must fail:\n%s", out)
			assert.True(t, strings.Contains(string(out), c.want) && !strings.Contains(string(out), "panic"),
				"the suite must fail saying %q, without a panic:\n%s", c.want, out[max(0, len(out)-1500):])
		})
	}
}
