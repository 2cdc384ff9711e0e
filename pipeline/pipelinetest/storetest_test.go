package pipelinetest_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharing keeps the history slice it was given for a record at version
// at (1: by a create, 2: by the first update) and returns it while the
// record is at that version: a store that does not copy what it is given.
type sharing struct {
	*pipelinetest.MemStore
	at    int64
	mu    sync.Mutex
	inqs  map[sp.InquiryID][]pipeline.Transition[pipeline.InquiryStage]
	deals map[sp.DealID][]pipeline.Transition[pipeline.DealStage]
}

func newSharing(at int64) *sharing {
	return &sharing{
		MemStore: pipelinetest.NewMemStore(), at: at,
		inqs:  map[sp.InquiryID][]pipeline.Transition[pipeline.InquiryStage]{},
		deals: map[sp.DealID][]pipeline.Transition[pipeline.DealStage]{},
	}
}

func (s *sharing) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	return s.keepInquiry(in, s.MemStore.CreateInquiry(ctx, in))
}

func (s *sharing) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	return s.keepInquiry(in, s.MemStore.UpdateInquiry(ctx, in, expected))
}

func (s *sharing) keepInquiry(in pipeline.Inquiry, err error) error {
	if err == nil && in.Version == s.at {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.inqs[in.ID] = in.History
	}
	return err
}

func (s *sharing) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	in, err := s.MemStore.GetInquiry(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.inqs[id]; ok && err == nil && in.Version == s.at {
		in.History = h
	}
	return in, err
}

func (s *sharing) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	return s.keepDeal(d, s.MemStore.CreateDeal(ctx, d))
}

func (s *sharing) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	return s.keepDeal(d, s.MemStore.UpdateDeal(ctx, d, expected))
}

func (s *sharing) keepDeal(d pipeline.Deal, err error) error {
	if err == nil && d.Version == s.at {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.deals[d.ID] = d.History
	}
	return err
}

func (s *sharing) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	d, err := s.MemStore.GetDeal(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.deals[id]; ok && err == nil && d.Version == s.at {
		d.History = h
	}
	return d, err
}

// listSharing yields in its listings the history it keeps of each
// inquiry, not a copy of it, though its Get copies: a store that caches
// the records it lists and hands them out.
type listSharing struct {
	*pipelinetest.MemStore
	mu   sync.Mutex
	inqs map[sp.InquiryID][]pipeline.Transition[pipeline.InquiryStage]
}

func (s *listSharing) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	err := s.MemStore.CreateInquiry(ctx, in)
	if err == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.inqs[in.ID] = slices.Clone(in.History)
	}
	return err
}

func (s *listSharing) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	err := s.MemStore.UpdateInquiry(ctx, in, expected)
	if err == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.inqs, in.ID)
	}
	return err
}

func (s *listSharing) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	in, err := s.MemStore.GetInquiry(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.inqs[id]; ok && err == nil {
		in.History = slices.Clone(h)
	}
	return in, err
}

func (s *listSharing) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		for in, err := range s.MemStore.ListInquiries(ctx, f) {
			s.mu.Lock()
			if h, ok := s.inqs[in.ID]; ok && err == nil {
				in.History = h
			}
			s.mu.Unlock()
			if !yield(in, err) {
				return
			}
		}
	}
}

// endInclusive matches the end of a period filter as well: a SQL store
// that says BETWEEN for start ≤ t < end.
type endInclusive struct{ *pipelinetest.MemStore }

func widen(p sp.Period) sp.Period {
	if p.IsZero() {
		return p
	}
	w, err := sp.NewPeriod(p.Start(), p.End().Add(time.Nanosecond))
	if err != nil {
		panic(err)
	}
	return w
}

func (s endInclusive) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	f.Received = widen(f.Received)
	return s.MemStore.ListInquiries(ctx, f)
}

func (s endInclusive) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	f.Created, f.Closed = widen(f.Created), widen(f.Closed)
	return s.MemStore.ListDeals(ctx, f)
}

// startExclusive misses records at the start of a period filter.
type startExclusive struct{ *pipelinetest.MemStore }

func narrow(p sp.Period) sp.Period {
	if p.IsZero() {
		return p
	}
	n, err := sp.NewPeriod(p.Start().Add(time.Nanosecond), p.End())
	if err != nil {
		panic(err)
	}
	return n
}

func (s startExclusive) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	f.Received = narrow(f.Received)
	return s.MemStore.ListInquiries(ctx, f)
}

func (s startExclusive) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	f.Created, f.Closed = narrow(f.Created), narrow(f.Closed)
	return s.MemStore.ListDeals(ctx, f)
}

// wallClock compares the bounds of a period filter by their wall clock,
// as if in UTC: a SQL store that binds times as text with their offset
// and compares the text.
type wallClock struct{ *pipelinetest.MemStore }

func asUTC(p sp.Period) sp.Period {
	if p.IsZero() {
		return p
	}
	wall := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	w, err := sp.NewPeriod(wall(p.Start()), wall(p.End()))
	if err != nil {
		panic(err)
	}
	return w
}

func (s wallClock) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	f.Received = asUTC(f.Received)
	return s.MemStore.ListInquiries(ctx, f)
}

func (s wallClock) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	f.Created, f.Closed = asUTC(f.Created), asUTC(f.Closed)
	return s.MemStore.ListDeals(ctx, f)
}

// afterAlone pages by After alone, dropping the other fields of a filter
// that has one: a store that builds either the keyset clause or the
// filter's.
type afterAlone struct{ *pipelinetest.MemStore }

func (s afterAlone) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if f.After != "" {
		f = pipeline.InquiryFilter{After: f.After}
	}
	return s.MemStore.ListInquiries(ctx, f)
}

// cancelledOutcomeKept records the outcome even though its context is
// done, then reports the context's error.
type cancelledOutcomeKept struct{ *pipelinetest.MemStore }

func (s cancelledOutcomeKept) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if err := ctx.Err(); err != nil {
		_ = s.MemStore.AddOutcome(context.Background(), o)
		return err
	}
	return s.MemStore.AddOutcome(ctx, o)
}

// caseFolded lists inquiries in the order of their IDs with case
// ignored: a SQL store whose ID column has a linguistic collation.
type caseFolded struct{ *pipelinetest.MemStore }

func (s caseFolded) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		var list []pipeline.Inquiry
		for in, err := range s.MemStore.ListInquiries(ctx, f) {
			if err != nil {
				yield(pipeline.Inquiry{}, err)
				return
			}
			list = append(list, in)
		}
		slices.SortStableFunc(list, func(a, b pipeline.Inquiry) int {
			return strings.Compare(strings.ToLower(string(a.ID)), strings.ToLower(string(b.ID)))
		})
		for _, in := range list {
			if !yield(in, nil) {
				return
			}
		}
	}
}

// noStop goes on yielding after the loop broke.
type noStop struct{ *pipelinetest.MemStore }

func (s noStop) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		for in, err := range s.MemStore.ListInquiries(ctx, f) {
			yield(in, err)
		}
	}
}

func (s noStop) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return func(yield func(pipeline.Deal, error) bool) {
		for d, err := range s.MemStore.ListDeals(ctx, f) {
			yield(d, err)
		}
	}
}

// cancelBlind looks at the context when a listing starts and not after:
// a store that lists every row it read though the context ends meanwhile.
type cancelBlind struct{ *pipelinetest.MemStore }

func (s cancelBlind) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if ctx.Err() != nil {
		return s.MemStore.ListInquiries(ctx, f)
	}
	return s.MemStore.ListInquiries(context.WithoutCancel(ctx), f)
}

// upsert inserts a deal it is asked to update and does not find, then
// reports it missing: a store whose UPDATE falls back to an INSERT.
type upsert struct{ *pipelinetest.MemStore }

func (s upsert) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	err := s.MemStore.UpdateDeal(ctx, d, expected)
	if errors.Is(err, sp.ErrNotFound) {
		_ = s.MemStore.CreateDeal(ctx, d)
	}
	return err
}

// listedUpsert lists an inquiry it is asked to update and does not find,
// which GetInquiry does not find: a store whose listings read an index
// that its failed UPDATE wrote.
type listedUpsert struct {
	*pipelinetest.MemStore
	mu     *sync.Mutex
	ghosts *[]pipeline.Inquiry
}

func (s listedUpsert) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	err := s.MemStore.UpdateInquiry(ctx, in, expected)
	if errors.Is(err, sp.ErrNotFound) {
		s.mu.Lock()
		*s.ghosts = append(*s.ghosts, in)
		s.mu.Unlock()
	}
	return err
}

func (s listedUpsert) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		for in, err := range s.MemStore.ListInquiries(ctx, f) {
			if !yield(in, err) || err != nil {
				return
			}
		}
		s.mu.Lock()
		ghosts := slices.Clone(*s.ghosts)
		s.mu.Unlock()
		for _, in := range ghosts {
			if f.Match(in) && !yield(in, nil) {
				return
			}
		}
	}
}

// txFilteredCancelBlindStore looks, in a transaction, at the context of a
// filtered inquiries listing when it starts and not after.
type txFilteredCancelBlindStore struct{ txStore }

func (tx txFilteredCancelBlindStore) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if filtered(f) && ctx.Err() == nil {
		ctx = context.WithoutCancel(ctx)
	}
	return tx.txStore.ListInquiries(ctx, f)
}

// txFilteredDoneIgnoredStore ignores, in a transaction, a context already done
// when a filtered deals listing starts, and heeds one cancelled while it
// runs.
type txFilteredDoneIgnoredStore struct{ txStore }

func (tx txFilteredDoneIgnoredStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if filtered(f) && ctx.Err() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	return tx.txStore.ListDeals(ctx, f)
}

// txFilteredCancelIgnoredStore ignores, in a transaction, the context of a
// filtered deals listing, done when it starts or not.
type txFilteredCancelIgnoredStore struct{ txStore }

func (tx txFilteredCancelIgnoredStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if filtered(f) {
		ctx = context.WithoutCancel(ctx)
	}
	return tx.txStore.ListDeals(ctx, f)
}

// txNoStopStore goes on yielding, in a transaction, in an inquiries listing
// after the loop broke.
type txNoStopStore struct{ txStore }

func (tx txNoStopStore) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		for in, err := range tx.txStore.ListInquiries(ctx, f) {
			yield(in, err)
		}
	}
}

// txFilteredNoStopStore goes on yielding, in a transaction, in a filtered
// deals listing after the loop broke.
type txFilteredNoStopStore struct{ txStore }

func (tx txFilteredNoStopStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if !filtered(f) {
		return tx.txStore.ListDeals(ctx, f)
	}
	return func(yield func(pipeline.Deal, error) bool) {
		for d, err := range tx.txStore.ListDeals(ctx, f) {
			yield(d, err)
		}
	}
}

// txFilteredInquiryNoStopStore goes on yielding, in a transaction, in a
// filtered inquiries listing after the loop broke.
type txFilteredInquiryNoStopStore struct{ txStore }

func (tx txFilteredInquiryNoStopStore) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if !filtered(f) {
		return tx.txStore.ListInquiries(ctx, f)
	}
	return func(yield func(pipeline.Inquiry, error) bool) {
		for in, err := range tx.txStore.ListInquiries(ctx, f) {
			yield(in, err)
		}
	}
}

// txAllDealsNoStopStore goes on yielding, in a transaction, in a deals listing
// without a filter after the loop broke, as a store whose listing of
// everything takes another path than its filtered queries.
type txAllDealsNoStopStore struct{ txStore }

func (tx txAllDealsNoStopStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if filtered(f) {
		return tx.txStore.ListDeals(ctx, f)
	}
	return func(yield func(pipeline.Deal, error) bool) {
		for d, err := range tx.txStore.ListDeals(ctx, f) {
			yield(d, err)
		}
	}
}

// filtered reports whether a listing has a filter: the broken stores
// below misbehave in filtered listings only, as a store whose filtered
// queries take another path than its listing of everything.
func filtered[F any](f F) bool { return !reflect.ValueOf(f).IsZero() }

// filteredCancelIgnored ignores the context of a filtered deals listing,
// done when it starts or not.
type filteredCancelIgnored struct{ *pipelinetest.MemStore }

func (s filteredCancelIgnored) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if filtered(f) {
		ctx = context.WithoutCancel(ctx)
	}
	return s.MemStore.ListDeals(ctx, f)
}

// filteredCancelBlind looks at the context of a filtered inquiries listing
// when it starts and not after.
type filteredCancelBlind struct{ *pipelinetest.MemStore }

func (s filteredCancelBlind) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if filtered(f) && ctx.Err() == nil {
		ctx = context.WithoutCancel(ctx)
	}
	return s.MemStore.ListInquiries(ctx, f)
}

// filteredErrWithRecord yields, for a filtered inquiries listing whose
// context is done when it starts, the context's error with the first
// record that matches.
type filteredErrWithRecord struct{ *pipelinetest.MemStore }

func (s filteredErrWithRecord) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if !filtered(f) || ctx.Err() == nil {
		return s.MemStore.ListInquiries(ctx, f)
	}
	return func(yield func(pipeline.Inquiry, error) bool) {
		var first pipeline.Inquiry
		for in, err := range s.MemStore.ListInquiries(context.WithoutCancel(ctx), f) {
			if err == nil {
				first = in
			}
			break
		}
		yield(first, ctx.Err())
	}
}

// filteredNoStop goes on yielding in a filtered deals listing after the
// loop broke.
type filteredNoStop struct{ *pipelinetest.MemStore }

func (s filteredNoStop) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if !filtered(f) {
		return s.MemStore.ListDeals(ctx, f)
	}
	return func(yield func(pipeline.Deal, error) bool) {
		for d, err := range s.MemStore.ListDeals(ctx, f) {
			yield(d, err)
		}
	}
}

// filteredHeldAfterStop keeps holding what a filtered inquiries listing
// took when its loop breaks: updates wait on it.
type filteredHeldAfterStop struct{ heldAfterStop }

func (s filteredHeldAfterStop) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if !filtered(f) {
		return s.MemStore.ListInquiries(ctx, f)
	}
	return s.heldAfterStop.ListInquiries(ctx, f)
}

// outcomeSharing returns the stored outcome's Result itself.
type outcomeSharing struct {
	*pipelinetest.MemStore
	mu      sync.Mutex
	results map[string][]byte
}

func (s *outcomeSharing) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if err := s.MemStore.AddOutcome(ctx, o); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results[o.Key] = append([]byte(nil), o.Result...)
	return nil
}

func (s *outcomeSharing) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	o, err := s.MemStore.GetOutcome(ctx, key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.results[key]; ok && err == nil {
		o.Result = r
	}
	return o, err
}

// txStore is what the Store of a MemStore's transaction implements.
type txStore interface {
	pipeline.Store
	pipeline.IdempotencyStore
}

// inTx returns a newStore of MemStores whose transactions give their
// function the transaction's Store as wrap makes it: a store broken in its
// transactions only.
func inTx(wrap func(txStore) pipeline.Store) func() pipeline.Store {
	return func() pipeline.Store { return txWrapping{pipelinetest.NewMemStore(), wrap} }
}

type txWrapping struct {
	*pipelinetest.MemStore
	wrap func(txStore) pipeline.Store
}

func (s txWrapping) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, s.wrap(tx.(txStore)))
	})
}

// leakyOutbox keeps every event appended, in a transaction that fails as
// well: an outbox written outside the transaction.
type leakyOutbox struct {
	*pipelinetest.OutboxMemStore
	mu     sync.Mutex
	events []sp.Event
}

func (s *leakyOutbox) AppendEvent(ctx context.Context, e sp.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.Data = append([]byte(nil), e.Data...)
	s.events = append(s.events, e)
	return nil
}

func (s *leakyOutbox) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.OutboxMemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, leakyTx{tx.(txStore), s})
	})
}

func (s *leakyOutbox) Events() []sp.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sp.Event(nil), s.events...)
}

type leakyTx struct {
	txStore
	s *leakyOutbox
}

func (tx leakyTx) AppendEvent(ctx context.Context, e sp.Event) error { return tx.s.AppendEvent(ctx, e) }

// idsKept remembers the ID of every event appended, in a transaction that
// fails as well, and refuses it ever after: a unique index kept outside
// the transaction.
type idsKept struct {
	*pipelinetest.OutboxMemStore
	mu  sync.Mutex
	ids map[string]bool
}

func (s *idsKept) claim(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids[id] {
		return fmt.Errorf("event %q: %w", id, sp.ErrDuplicate)
	}
	s.ids[id] = true
	return nil
}

func (s *idsKept) AppendEvent(ctx context.Context, e sp.Event) error {
	if err := s.claim(e.ID); err != nil {
		return err
	}
	return s.OutboxMemStore.AppendEvent(ctx, e)
}

func (s *idsKept) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.OutboxMemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, idsKeptTx{tx.(outboxTxStore), s})
	})
}

type outboxTxStore interface {
	txStore
	pipeline.Outbox
}

type idsKeptTx struct {
	outboxTxStore
	s *idsKept
}

func (tx idsKeptTx) AppendEvent(ctx context.Context, e sp.Event) error {
	if err := tx.s.claim(e.ID); err != nil {
		return err
	}
	return tx.outboxTxStore.AppendEvent(ctx, e)
}

// dataSharing returns the payload of each event as it was given: an
// outbox that does not copy e.Data.
type dataSharing struct {
	*pipelinetest.OutboxMemStore
	mu   sync.Mutex
	data map[string][]byte
}

func (s *dataSharing) keep(e sp.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[e.ID] = e.Data
}

func (s *dataSharing) AppendEvent(ctx context.Context, e sp.Event) error {
	if err := s.OutboxMemStore.AppendEvent(ctx, e); err != nil {
		return err
	}
	s.keep(e)
	return nil
}

func (s *dataSharing) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.OutboxMemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, sharingTx{tx.(txStore), tx.(pipeline.Outbox), s})
	})
}

func (s *dataSharing) Events() []sp.Event {
	events := s.OutboxMemStore.Events()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range events {
		if d, ok := s.data[e.ID]; ok {
			events[i].Data = d
		}
	}
	return events
}

type sharingTx struct {
	txStore
	ob pipeline.Outbox
	s  *dataSharing
}

func (tx sharingTx) AppendEvent(ctx context.Context, e sp.Event) error {
	if err := tx.ob.AppendEvent(ctx, e); err != nil {
		return err
	}
	tx.s.keep(e)
	return nil
}

// outboxOutsideTx is an outbox whose transactions are not: the engine
// would refuse every command.
type outboxOutsideTx struct{ *pipelinetest.OutboxMemStore }

func (s outboxOutsideTx) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.OutboxMemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, struct{ txStore }{tx.(txStore)}) // hides its AppendEvent
	})
}

// fieldDropping forgets some fields of what it stores: a SQL store
// missing a column.
type fieldDropping struct {
	*pipelinetest.MemStore
	deal    func(*pipeline.Deal)
	inquiry func(*pipeline.Inquiry)
}

func (s fieldDropping) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	d = d.Clone()
	if s.deal != nil {
		s.deal(&d)
	}
	return s.MemStore.CreateDeal(ctx, d)
}

func (s fieldDropping) UpdateDeal(ctx context.Context, d pipeline.Deal, v int64) error {
	d = d.Clone()
	if s.deal != nil {
		s.deal(&d)
	}
	return s.MemStore.UpdateDeal(ctx, d, v)
}

func (s fieldDropping) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	in = in.Clone()
	if s.inquiry != nil {
		s.inquiry(&in)
	}
	return s.MemStore.CreateInquiry(ctx, in)
}

func (s fieldDropping) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, v int64) error {
	in = in.Clone()
	if s.inquiry != nil {
		s.inquiry(&in)
	}
	return s.MemStore.UpdateInquiry(ctx, in, v)
}

// serviceSharing keeps the Service and Loss a deal was written with at
// version at (1: by a create, 2: by the first update) and returns them
// while the deal is at that version.
type serviceSharing struct {
	*pipelinetest.MemStore
	at   int64
	mu   sync.Mutex
	svc  map[sp.DealID]*pipeline.Service
	loss map[sp.DealID]*pipeline.LossReason
}

func newServiceSharing(at int64) *serviceSharing {
	return &serviceSharing{MemStore: pipelinetest.NewMemStore(), at: at,
		svc: map[sp.DealID]*pipeline.Service{}, loss: map[sp.DealID]*pipeline.LossReason{}}
}

func (s *serviceSharing) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	return s.keep(d, s.MemStore.CreateDeal(ctx, d))
}

func (s *serviceSharing) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	return s.keep(d, s.MemStore.UpdateDeal(ctx, d, expected))
}

func (s *serviceSharing) keep(d pipeline.Deal, err error) error {
	if err == nil && d.Version == s.at {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.svc[d.ID], s.loss[d.ID] = d.Service, d.Loss
	}
	return err
}

func (s *serviceSharing) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	d, err := s.MemStore.GetDeal(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if svc, ok := s.svc[id]; ok && err == nil && d.Version == s.at {
		d.Service, d.Loss = svc, s.loss[id]
	}
	return d, err
}

// checkThenWrite compares an inquiry's version, then writes it over
// whatever is stored by then: two concurrent updates may both pass the
// check, and one overwrites the other. To make that happen whenever two
// updates overlap, an update that passed the check waits a little for
// another one to pass it too.
type checkThenWrite struct {
	*pipelinetest.MemStore
	pair chan struct{}
}

func (s checkThenWrite) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	cur, err := s.MemStore.GetInquiry(ctx, in.ID)
	switch {
	case err != nil:
		return err
	case in.Version != expected+1:
		return fmt.Errorf("version %d after %d: %w", in.Version, expected, sp.ErrInvalid)
	case cur.Version != expected:
		return fmt.Errorf("at version %d, not %d: %w", cur.Version, expected, sp.ErrConflict)
	}
	select {
	case s.pair <- struct{}{}:
	case <-s.pair:
	case <-time.After(20 * time.Millisecond):
	}
	for {
		now, err := s.MemStore.GetInquiry(ctx, in.ID)
		if err != nil {
			return err
		}
		err = s.MemStore.UpdateInquiry(ctx, in, now.Version)
		if !errors.Is(err, sp.ErrInvalid) || in.Version == now.Version+1 {
			return err // written, or refused for another reason than the version it wrote over
		}
		in.Version = now.Version + 1
	}
}

// checkThenCreate looks a deal and an outcome up before it writes them,
// and takes a write that finds one stored by then as done: two concurrent
// creates of one ID may both pass the check and both succeed. To make
// that happen whenever two overlap, a create that passed the check waits
// a little for another one to pass it too.
type checkThenCreate struct {
	*pipelinetest.MemStore
	pair chan struct{}
}

func (s checkThenCreate) wait() {
	select {
	case s.pair <- struct{}{}:
	case <-s.pair:
	case <-time.After(20 * time.Millisecond):
	}
}

func (s checkThenCreate) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	if _, err := s.MemStore.GetDeal(ctx, d.ID); err == nil {
		return fmt.Errorf("deal %q: %w", d.ID, sp.ErrDuplicate)
	}
	s.wait()
	if err := s.MemStore.CreateDeal(ctx, d); !errors.Is(err, sp.ErrDuplicate) {
		return err
	}
	return nil
}

func (s checkThenCreate) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if _, err := s.MemStore.GetOutcome(ctx, o.Key); err == nil {
		return fmt.Errorf("outcome %q: %w", o.Key, sp.ErrDuplicate)
	}
	s.wait()
	if err := s.MemStore.AddOutcome(ctx, o); !errors.Is(err, sp.ErrDuplicate) {
		return err
	}
	return nil
}

// snapshotTx runs each transaction on a copy of the records and, if it
// commits, puts the copy in place of the store: the writes made beside
// the transaction while it ran are lost. It keeps no outcomes.
type snapshotTx struct {
	mu   sync.Mutex
	cur  *pipelinetest.MemStore
	txmu sync.Mutex
}

func (s *snapshotTx) store() *pipelinetest.MemStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

func (s *snapshotTx) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	return s.store().GetInquiry(ctx, id)
}

func (s *snapshotTx) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	return s.store().CreateInquiry(ctx, in)
}

func (s *snapshotTx) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, v int64) error {
	return s.store().UpdateInquiry(ctx, in, v)
}

func (s *snapshotTx) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return s.store().ListInquiries(ctx, f)
}

func (s *snapshotTx) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	return s.store().GetDeal(ctx, id)
}

func (s *snapshotTx) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	return s.store().CreateDeal(ctx, d)
}

func (s *snapshotTx) UpdateDeal(ctx context.Context, d pipeline.Deal, v int64) error {
	return s.store().UpdateDeal(ctx, d, v)
}

func (s *snapshotTx) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return s.store().ListDeals(ctx, f)
}

func (s *snapshotTx) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	s.txmu.Lock()
	defer s.txmu.Unlock()
	cur, cp := s.store(), pipelinetest.NewMemStore()
	for in, err := range cur.ListInquiries(ctx, pipeline.InquiryFilter{}) {
		if err == nil {
			err = cp.CreateInquiry(ctx, in)
		}
		if err != nil {
			return err
		}
	}
	for d, err := range cur.ListDeals(ctx, pipeline.DealFilter{}) {
		if err == nil {
			err = cp.CreateDeal(ctx, d)
		}
		if err != nil {
			return err
		}
	}
	if err := fn(ctx, struct{ pipeline.Store }{cp}); err != nil {
		return err
	}
	time.Sleep(5 * time.Millisecond) // a slow commit, for writes to land beside it
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = cp
	return nil
}

// busyBeside refuses to read or update an inquiry while a transaction
// runs, as a database locked by a transaction may: a command beside the
// transaction fails where it should wait or land.
type busyBeside struct {
	*pipelinetest.MemStore
	busy atomic.Bool
}

func (s *busyBeside) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	if s.busy.Load() {
		return pipeline.Inquiry{}, errors.New("busy: a transaction runs")
	}
	return s.MemStore.GetInquiry(ctx, id)
}

func (s *busyBeside) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, v int64) error {
	if s.busy.Load() {
		return errors.New("busy: a transaction runs")
	}
	return s.MemStore.UpdateInquiry(ctx, in, v)
}

func (s *busyBeside) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	s.busy.Store(true)
	defer s.busy.Store(false)
	return s.MemStore.Atomically(ctx, fn)
}

// serializationFailure fails one of two transactions that overlap with
// ErrConflict, whatever records they write, as a SQL store at SERIALIZABLE
// may on the index pages they share, and does not run it again. To make
// that happen whenever two transactions overlap, each waits a little for
// another one to begin.
type serializationFailure struct {
	*pipelinetest.MemStore
	pair chan struct{}
}

func (s serializationFailure) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	select {
	case s.pair <- struct{}{}:
		return fmt.Errorf("could not serialize access due to read/write dependencies among transactions: %w", sp.ErrConflict)
	case <-s.pair:
	case <-time.After(20 * time.Millisecond):
	}
	return s.MemStore.Atomically(ctx, fn)
}

// conflictOnDuplicate refuses a deal whose ID is stored with ErrConflict,
// where the contract wants ErrDuplicate.
type conflictOnDuplicate struct{ *pipelinetest.MemStore }

func (s conflictOnDuplicate) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	if err := s.MemStore.CreateDeal(ctx, d); errors.Is(err, sp.ErrDuplicate) {
		return fmt.Errorf("deal %q: %w", d.ID, sp.ErrConflict)
	} else if err != nil {
		return err
	}
	return nil
}

// lastDealWins reports a deal whose ID is stored as a duplicate but writes
// it over the stored one all the same: of concurrent creates, the first
// succeeds and the last is kept.
type lastDealWins struct{ *pipelinetest.MemStore }

func (s lastDealWins) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	err := s.MemStore.CreateDeal(ctx, d)
	if !errors.Is(err, sp.ErrDuplicate) {
		return err
	}
	if cur, gerr := s.MemStore.GetDeal(ctx, d.ID); gerr == nil {
		d.Version = cur.Version + 1
		_ = s.MemStore.UpdateDeal(ctx, d, cur.Version)
	}
	return err
}

// lastOutcomeWins keeps outcomes of its own, outside transactions, and
// records an outcome whose key is recorded over the first while it
// reports it as a duplicate: of concurrent adds, the first succeeds and
// the last is kept.
type lastOutcomeWins struct {
	*pipelinetest.MemStore
	mu       *sync.Mutex
	outcomes map[string]pipeline.Outcome
}

func (s lastOutcomeWins) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, had := s.outcomes[o.Key]
	o.Result = slices.Clone(o.Result)
	s.outcomes[o.Key] = o
	if had {
		return fmt.Errorf("outcome %q: %w", o.Key, sp.ErrDuplicate)
	}
	return nil
}

func (s lastOutcomeWins) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	if err := ctx.Err(); err != nil {
		return pipeline.Outcome{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.outcomes[key]
	if !ok {
		return pipeline.Outcome{}, fmt.Errorf("outcome %q: %w", key, sp.ErrNotFound)
	}
	o.Result = slices.Clone(o.Result)
	return o, nil
}

// outcomesOutsideTx keeps outcomes, but the Store of its transactions
// does not: the engine would write them outside the transaction.
type outcomesOutsideTx struct{ *pipelinetest.MemStore }

func (s outcomesOutsideTx) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, struct{ pipeline.Store }{tx}) // hides its outcomes
	})
}

// blindTxStore checks no version in its transactions: an update there
// overwrites whatever is stored.
type blindTxStore struct{ txStore }

func (tx blindTxStore) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	cur, err := tx.txStore.GetDeal(ctx, d.ID)
	if err != nil {
		return err
	}
	d.Version = cur.Version + 1
	return tx.txStore.UpdateDeal(ctx, d, cur.Version)
}

func (tx blindTxStore) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	cur, err := tx.txStore.GetInquiry(ctx, in.ID)
	if err != nil {
		return err
	}
	in.Version = cur.Version + 1
	return tx.txStore.UpdateInquiry(ctx, in, cur.Version)
}

// upsertTxStore replaces a deal created again in its transactions, as an
// INSERT that updates on a conflict would.
type upsertTxStore struct{ txStore }

func (tx upsertTxStore) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	cur, err := tx.txStore.GetDeal(ctx, d.ID)
	if errors.Is(err, sp.ErrNotFound) {
		return tx.txStore.CreateDeal(ctx, d)
	}
	if err != nil {
		return err
	}
	d.Version = cur.Version + 1
	return tx.txStore.UpdateDeal(ctx, d, cur.Version)
}

// unfilteredTxStore lists every deal in its transactions, whatever the filter.
type unfilteredTxStore struct{ txStore }

func (tx unfilteredTxStore) ListDeals(ctx context.Context, _ pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return tx.txStore.ListDeals(ctx, pipeline.DealFilter{})
}

// unkeyedTx takes an outcome already recorded without an error in its
// transactions: a store whose outcome table has no unique key there.
type unkeyedTx struct{ txStore }

func (tx unkeyedTx) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if err := tx.txStore.AddOutcome(ctx, o); !errors.Is(err, sp.ErrDuplicate) {
		return err
	}
	return nil
}

// inquiriesApart keeps its inquiries in a store of their own, which its
// transactions write to at once: a store whose inquiry table takes no
// part in them.
type inquiriesApart struct {
	*pipelinetest.MemStore // the deals and outcomes
	inqs                   *pipelinetest.MemStore
}

func (s inquiriesApart) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	return s.inqs.GetInquiry(ctx, id)
}

func (s inquiriesApart) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	return s.inqs.CreateInquiry(ctx, in)
}

func (s inquiriesApart) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	return s.inqs.UpdateInquiry(ctx, in, expected)
}

func (s inquiriesApart) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return s.inqs.ListInquiries(ctx, f)
}

func (s inquiriesApart) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, inquiriesApartTx{tx.(txStore), s.inqs})
	})
}

type inquiriesApartTx struct {
	txStore
	inqs *pipelinetest.MemStore
}

func (tx inquiriesApartTx) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	return tx.inqs.GetInquiry(ctx, id)
}

func (tx inquiriesApartTx) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	return tx.inqs.CreateInquiry(ctx, in)
}

func (tx inquiriesApartTx) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	return tx.inqs.UpdateInquiry(ctx, in, expected)
}

func (tx inquiriesApartTx) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return tx.inqs.ListInquiries(ctx, f)
}

// txCancelBlindStore reads deals in its transactions whatever their context:
// a store whose transaction does not look at the context of each call.
type txCancelBlindStore struct{ txStore }

func (tx txCancelBlindStore) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	return tx.txStore.GetDeal(context.WithoutCancel(ctx), id)
}

// lockedListing holds its read lock while a listing yields, so that an
// update in the loop body waits on it.
type lockedListing struct {
	*pipelinetest.MemStore
	mu *sync.RWMutex
}

func (s lockedListing) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		s.mu.RLock()
		defer s.mu.RUnlock()
		for in, err := range s.MemStore.ListInquiries(ctx, f) {
			if !yield(in, err) || err != nil {
				return
			}
		}
	}
}

func (s lockedListing) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.MemStore.UpdateInquiry(ctx, in, expected)
}

// txListingCancelBlindStore looks at the context when a listing in its
// transactions starts and not after.
type txListingCancelBlindStore struct{ txStore }

func (tx txListingCancelBlindStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if ctx.Err() != nil {
		return tx.txStore.ListDeals(ctx, f)
	}
	return tx.txStore.ListDeals(context.WithoutCancel(ctx), f)
}

// changeSensitive ends a listing once an inquiry is updated while it
// runs: with an error wrapping ErrConflict if fail, else silently, as a
// store might whose cursor an update invalidates.
type changeSensitive struct {
	*pipelinetest.MemStore
	updates *atomic.Int64
	fail    bool
}

func (s changeSensitive) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		start := s.updates.Load()
		for in, err := range s.MemStore.ListInquiries(ctx, f) {
			if s.updates.Load() != start {
				if s.fail {
					yield(pipeline.Inquiry{}, fmt.Errorf("listing: inquiries changed: %w", sp.ErrConflict))
				}
				return
			}
			if !yield(in, err) || err != nil {
				return
			}
		}
	}
}

func (s changeSensitive) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	err := s.MemStore.UpdateInquiry(ctx, in, expected)
	if err == nil {
		s.updates.Add(1)
	}
	return err
}

// openClosed matches an open deal, whose Closed is the zero time, when
// a Closed period holds the zero time: a SQL store that keeps the zero
// time as a value and compares it with the period's bounds.
type openClosed struct{ *pipelinetest.MemStore }

func (s openClosed) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	closed := f.Closed
	f.Closed = sp.Period{}
	return func(yield func(pipeline.Deal, error) bool) {
		for d, err := range s.MemStore.ListDeals(ctx, f) {
			if err == nil && !closed.IsZero() && !closed.Contains(d.Closed) {
				continue
			}
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

// emptyStagesNone takes a Stages filter that is empty but not nil for a
// set of no stages, and matches nothing: a store that tests for nil where
// the contract says empty.
type emptyStagesNone struct{ *pipelinetest.MemStore }

func (s emptyStagesNone) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	if f.Stages != nil && len(f.Stages) == 0 {
		return func(func(pipeline.Inquiry, error) bool) {}
	}
	return s.MemStore.ListInquiries(ctx, f)
}

func (s emptyStagesNone) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	if f.Stages != nil && len(f.Stages) == 0 {
		return func(func(pipeline.Deal, error) bool) {}
	}
	return s.MemStore.ListDeals(ctx, f)
}

// txContextDropped gives the function of a transaction a context of its
// own instead of the caller's, whose values the Policy and the
// Eligibility then do not see.
type txContextDropped struct{ *pipelinetest.MemStore }

func (s txContextDropped) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(_ context.Context, tx pipeline.Store) error {
		return fn(context.Background(), tx)
	})
}

// heldAfterStop keeps holding what a listing took when its loop breaks,
// as a store that does not close its cursor then: updates wait on it.
type heldAfterStop struct {
	*pipelinetest.MemStore
	mu *sync.RWMutex
}

func (s heldAfterStop) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		for in, err := range s.MemStore.ListInquiries(ctx, f) {
			if !yield(in, err) {
				s.mu.RLock() // never released
				return
			}
			if err != nil {
				return
			}
		}
	}
}

func (s heldAfterStop) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.MemStore.UpdateInquiry(ctx, in, expected)
}

// rowWithError yields the error of a context that ends while a deals
// listing runs together with the deal it has read, not with a zero one.
type rowWithError struct{ *pipelinetest.MemStore }

func (s rowWithError) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return func(yield func(pipeline.Deal, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(pipeline.Deal{}, err)
			return
		}
		for d, err := range s.MemStore.ListDeals(context.WithoutCancel(ctx), f) {
			if err == nil {
				err = ctx.Err()
			}
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

// txWritesCancelBlindStore writes, in its transactions, whatever the context
// of the write: a store that buffers a transaction's writes and looks at
// the context only when it commits.
type txWritesCancelBlindStore struct{ txStore }

func (tx txWritesCancelBlindStore) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	return tx.txStore.CreateDeal(context.WithoutCancel(ctx), d)
}

func (tx txWritesCancelBlindStore) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	return tx.txStore.UpdateInquiry(context.WithoutCancel(ctx), in, expected)
}

func (tx txWritesCancelBlindStore) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	return tx.txStore.AddOutcome(context.WithoutCancel(ctx), o)
}

// txInquiriesUnseen reads inquiries, in its transactions, as committed
// before: the inquiries a transaction created are not found in it, as
// with a store whose transaction reads inquiries outside it.
type txInquiriesUnseen struct{ *pipelinetest.MemStore }

func (s txInquiriesUnseen) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, &txInquiriesUnseenStore{txStore: tx.(txStore), created: map[sp.InquiryID]bool{}})
	})
}

type txInquiriesUnseenStore struct {
	txStore
	created map[sp.InquiryID]bool
}

func (tx *txInquiriesUnseenStore) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	err := tx.txStore.CreateInquiry(ctx, in)
	if err == nil {
		tx.created[in.ID] = true
	}
	return err
}

func (tx *txInquiriesUnseenStore) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	if tx.created[id] {
		return pipeline.Inquiry{}, fmt.Errorf("inquiry %q: %w", id, sp.ErrNotFound)
	}
	return tx.txStore.GetInquiry(ctx, id)
}

func (tx *txInquiriesUnseenStore) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return func(yield func(pipeline.Inquiry, error) bool) {
		for in, err := range tx.txStore.ListInquiries(ctx, f) {
			if err == nil && tx.created[in.ID] {
				continue
			}
			if !yield(in, err) || err != nil {
				return
			}
		}
	}
}

// txLockedListing holds, in its transactions, a read lock while a deals
// listing yields, and a write takes the lock: a store whose transaction
// streams a listing's rows on its one connection, which a write in the
// loop body then waits for.
type txLockedListing struct{ *pipelinetest.MemStore }

func (s txLockedListing) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, txLockedListingStore{tx.(txStore), new(sync.RWMutex)})
	})
}

type txLockedListingStore struct {
	txStore
	mu *sync.RWMutex
}

func (tx txLockedListingStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return func(yield func(pipeline.Deal, error) bool) {
		tx.mu.RLock()
		defer tx.mu.RUnlock()
		for d, err := range tx.txStore.ListDeals(ctx, f) {
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

func (tx txLockedListingStore) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	return tx.txStore.CreateInquiry(ctx, in)
}

// txCheckThenCreate looks an inquiry up and then creates it, in its
// transactions, as two steps: two concurrent creates of one ID in a
// transaction may both pass the check, and both succeed. To make that
// happen whenever two creates overlap, a create that passed the check
// waits a little for another one to pass it too.
type txCheckThenCreate struct{ *pipelinetest.MemStore }

func (s txCheckThenCreate) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.MemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, &txCheckThenCreateStore{txStore: tx.(txStore), pair: make(chan struct{})})
	})
}

type txCheckThenCreateStore struct {
	txStore
	mu   sync.Mutex // the transaction's Store is safe for concurrent use, but for this gap
	pair chan struct{}
}

func (tx *txCheckThenCreateStore) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	tx.mu.Lock()
	_, err := tx.txStore.GetInquiry(ctx, in.ID)
	tx.mu.Unlock()
	if err == nil {
		return fmt.Errorf("inquiry %q: %w", in.ID, sp.ErrDuplicate)
	}
	select {
	case tx.pair <- struct{}{}:
	case <-tx.pair:
	case <-time.After(20 * time.Millisecond):
	}
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if err := tx.txStore.CreateInquiry(ctx, in); err != nil && !errors.Is(err, sp.ErrDuplicate) {
		return err
	}
	return nil
}

func (tx *txCheckThenCreateStore) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	return tx.txStore.CreateDeal(ctx, d)
}

func (tx *txCheckThenCreateStore) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	return tx.txStore.GetDeal(ctx, id)
}

// outcomeKeyDropped returns outcomes without their key: a store that
// selects every column but the one it looked the outcome up by.
type outcomeKeyDropped struct{ *pipelinetest.MemStore }

func (s outcomeKeyDropped) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	o, err := s.MemStore.GetOutcome(ctx, key)
	o.Key = ""
	return o, err
}

var brokenStores = map[string]struct {
	store  func() pipeline.Store
	clause string // what the suite must say
}{
	"listing_fails_while_writing": {
		func() pipeline.Store { return changeSensitive{pipelinetest.NewMemStore(), new(atomic.Int64), true} },
		"ListInquiries whose loop body writes: want no error",
	},
	"listing_stops_while_writing": {
		func() pipeline.Store { return changeSensitive{pipelinetest.NewMemStore(), new(atomic.Int64), false} },
		"ListInquiries whose loop body writes must yield each record once: got 1 records, want 2",
	},
	"listing_holds_lock": {
		func() pipeline.Store { return lockedListing{pipelinetest.NewMemStore(), new(sync.RWMutex)} },
		"ListInquiries must let its loop body call the store",
	},
	"history_shared": {
		func() pipeline.Store {
			return newSharing(1)
		},
		"CreateInquiry must copy the record",
	},
	"update_shared": {
		func() pipeline.Store {
			return newSharing(2)
		},
		"UpdateInquiry must copy the record",
	},
	"outcomes_outside_transactions": {
		func() pipeline.Store { return outcomesOutsideTx{pipelinetest.NewMemStore()} },
		"Atomically must give a Store that implements pipeline.IdempotencyStore when the store does",
	},
	"transaction_blind_update": {
		inTx(func(tx txStore) pipeline.Store { return blindTxStore{tx} }),
		"UpdateInquiry in a transaction with a stale expected version must fail with ErrConflict",
	},
	"end_inclusive": {
		func() pipeline.Store { return endInclusive{pipelinetest.NewMemStore()} },
		"ListInquiries with filter received_half_open must yield exactly the matches",
	},
	"start_exclusive": {
		func() pipeline.Store { return startExclusive{pipelinetest.NewMemStore()} },
		"ListDeals with filter created_half_open must yield exactly the matches",
	},
	"outcome_shared": {
		func() pipeline.Store {
			return &outcomeSharing{MemStore: pipelinetest.NewMemStore(), results: map[string][]byte{}}
		},
		"GetOutcome must return a copy of Result",
	},
	"outbox_keeps_rolled_back": {
		func() pipeline.Store { return &leakyOutbox{OutboxMemStore: pipelinetest.NewOutboxMemStore()} },
		"an event appended in a transaction that fails must not be kept",
	},
	"outbox_data_shared": {
		func() pipeline.Store {
			return &dataSharing{OutboxMemStore: pipelinetest.NewOutboxMemStore(), data: map[string][]byte{}}
		},
		"an event appended in a transaction that commits must be kept, as given (e.Data copied)",
	},
	"outbox_outside_transactions": {
		func() pipeline.Store { return outboxOutsideTx{pipelinetest.NewOutboxMemStore()} },
		"Atomically must give a Store that implements pipeline.Outbox when the store does",
	},
	"outbox_unreadable": {
		func() pipeline.Store {
			mem := pipelinetest.NewOutboxMemStore()
			return noEventsMethod{mem, mem, mem, mem, mem}
		},
		"the suite cannot read its events: give StoreTestOptions.Events",
	},
	"zone_ignored": {
		func() pipeline.Store { return wallClock{pipelinetest.NewMemStore()} },
		"ListInquiries with filter received_other_zone must yield exactly the matches",
	},
	"inquiry_update_not_atomic": {
		func() pipeline.Store { return checkThenWrite{pipelinetest.NewMemStore(), make(chan struct{})} },
		"UpdateInquiry lost or duplicated successful updates",
	},
	"distinct_records_conflict": {
		func() pipeline.Store { return serializationFailure{pipelinetest.NewMemStore(), make(chan struct{})} },
		"commands on distinct records must not fail for each other's sake",
	},
	"deal_create_not_atomic": {
		func() pipeline.Store { return checkThenCreate{pipelinetest.NewMemStore(), make(chan struct{})} },
		"CreateDeal: of concurrent calls with one ID exactly one must succeed",
	},
	"outcome_put_not_atomic": {
		func() pipeline.Store { return checkThenCreate{pipelinetest.NewMemStore(), make(chan struct{})} },
		"AddOutcome: of concurrent calls with one key exactly one must succeed",
	},
	"deal_duplicate_is_conflict": {
		func() pipeline.Store { return conflictOnDuplicate{pipelinetest.NewMemStore()} },
		"CreateDeal: of concurrent calls with one ID exactly one must succeed and the others fail with ErrDuplicate",
	},
	"deal_create_keeps_the_last": {
		func() pipeline.Store { return lastDealWins{pipelinetest.NewMemStore()} },
		"CreateDeal: of concurrent calls with one ID the one that succeeded must be stored",
	},
	"outcome_put_keeps_the_last": {
		func() pipeline.Store {
			return lastOutcomeWins{pipelinetest.NewMemStore(), new(sync.Mutex), map[string]pipeline.Outcome{}}
		},
		"AddOutcome: of concurrent calls with one key the one that succeeded must be kept",
	},
	"loss_dropped": {
		func() pipeline.Store {
			return fieldDropping{MemStore: pipelinetest.NewMemStore(), deal: func(d *pipeline.Deal) { d.Loss = nil }}
		},
		"GetDeal must return every field of the record as created",
	},
	"override_dropped": {
		func() pipeline.Store {
			return fieldDropping{MemStore: pipelinetest.NewMemStore(), deal: func(d *pipeline.Deal) { d.Overridden = false }}
		},
		"GetDeal must return every field of the record as created",
	},
	"inquiry_outcome_dropped": {
		func() pipeline.Store {
			return fieldDropping{MemStore: pipelinetest.NewMemStore(), inquiry: func(in *pipeline.Inquiry) { in.DisqualifyReason, in.Deal = "", "" }}
		},
		"GetInquiry must return every field of the record as created",
	},
	"service_shared": {
		func() pipeline.Store { return newServiceSharing(1) },
		"CreateDeal must copy the record",
	},
	"service_shared_by_update": {
		func() pipeline.Store { return newServiceSharing(2) },
		"UpdateDeal must copy the record",
	},
	"transaction_create_upserts": {
		inTx(func(tx txStore) pipeline.Store { return upsertTxStore{tx} }),
		"CreateDeal of an existing ID must fail with ErrDuplicate; got <nil>",
	},
	"transaction_listing_unfiltered": {
		inTx(func(tx txStore) pipeline.Store { return unfilteredTxStore{tx} }),
		"ListDeals with filter owner must yield exactly the matches",
	},
	"list_shared": {
		func() pipeline.Store {
			return &listSharing{MemStore: pipelinetest.NewMemStore(), inqs: map[sp.InquiryID][]pipeline.Transition[pipeline.InquiryStage]{}}
		},
		"ListInquiries must yield copies",
	},
	"cancel_while_listing_ignored": {
		func() pipeline.Store { return cancelBlind{pipelinetest.NewMemStore()} },
		"ListInquiries whose context is cancelled while it runs must yield its error once and stop",
	},
	"inquiries_outside_transactions": {
		func() pipeline.Store {
			return inquiriesApart{pipelinetest.NewMemStore(), pipelinetest.NewMemStore()}
		},
		"Atomically must discard the writes of a function that fails; a created inquiry was kept",
	},
	"transaction_cancel_ignored": {
		inTx(func(tx txStore) pipeline.Store { return txCancelBlindStore{tx} }),
		"GetDeal in a transaction with a cancelled context must fail with its error",
	},
	"outbox_ids_kept_after_rollback": {
		func() pipeline.Store {
			return &idsKept{OutboxMemStore: pipelinetest.NewOutboxMemStore(), ids: map[string]bool{}}
		},
		"an event appended in a transaction that fails must not be kept, nor its ID",
	},
	"after_drops_fields": {
		func() pipeline.Store { return afterAlone{pipelinetest.NewMemStore()} },
		"ListInquiries with filter after_with_fields must yield exactly the matches",
	},
	"cancelled_outcome_kept": {
		func() pipeline.Store { return cancelledOutcomeKept{pipelinetest.NewMemStore()} },
		"AddOutcome with a cancelled context must store nothing",
	},
	"case_folded_order": {
		func() pipeline.Store { return caseFolded{pipelinetest.NewMemStore()} },
		"ListInquiries must yield every match in ascending byte order of ID",
	},
	"transaction_outcome_unkeyed": {
		inTx(func(tx txStore) pipeline.Store { return unkeyedTx{tx} }),
		"AddOutcome in a transaction of a key already recorded must fail with ErrDuplicate",
	},
	"transaction_listing_cancel_blind": {
		inTx(func(tx txStore) pipeline.Store { return txListingCancelBlindStore{tx} }),
		"ListDeals in a transaction whose context is cancelled while it runs must yield its error once and stop",
	},
	"transaction_loses_a_write_beside_it": {
		func() pipeline.Store { return &snapshotTx{cur: pipelinetest.NewMemStore()} },
		"Atomically must not undo or lose a write made outside the transaction while it ran: inquiry at version 1 with 0 activities after one command, want 2 and 1",
	},
	"writes_beside_transaction_refused": {
		func() pipeline.Store { return &busyBeside{MemStore: pipelinetest.NewMemStore()} },
		"LogInquiryActivity beside a transaction must not fail",
	},
	"open_deal_closed": {
		func() pipeline.Store { return openClosed{pipelinetest.NewMemStore()} },
		"ListDeals with filter closed_from_the_zero_time must yield exactly the matches",
	},
	"empty_stages_match_none": {
		func() pipeline.Store { return emptyStagesNone{pipelinetest.NewMemStore()} },
		"ListInquiries with filter stages_empty must yield exactly the matches",
	},
	"transaction_context_dropped": {
		func() pipeline.Store { return txContextDropped{pipelinetest.NewMemStore()} },
		"Atomically must give its function the caller's context or one derived from it",
	},
	"held_after_early_stop": {
		func() pipeline.Store { return heldAfterStop{pipelinetest.NewMemStore(), new(sync.RWMutex)} },
		"ListInquiries must release what it holds when the loop breaks",
	},
	"error_with_a_record": {
		func() pipeline.Store { return rowWithError{pipelinetest.NewMemStore()} },
		"ListDeals whose context is cancelled while it runs must yield its error once and stop, with a zero record; got 2 items, 1 errors (with a record: true)",
	},
	"transaction_writes_cancel_ignored": {
		inTx(func(tx txStore) pipeline.Store { return txWritesCancelBlindStore{tx} }),
		"AddOutcome in a transaction with a cancelled context must fail with its error",
	},
	"transaction_inquiries_unseen": {
		func() pipeline.Store { return txInquiriesUnseen{pipelinetest.NewMemStore()} },
		"ListInquiries in a transaction must see its writes",
	},
	"transaction_listing_holds_lock": {
		func() pipeline.Store { return txLockedListing{pipelinetest.NewMemStore()} },
		"ListDeals in a transaction must let its loop body call the transaction's Store",
	},
	"transaction_create_not_atomic": {
		func() pipeline.Store { return txCheckThenCreate{pipelinetest.NewMemStore()} },
		"of concurrent CreateInquiry calls with one ID in a transaction exactly one must succeed",
	},
	"outcome_key_dropped": {
		func() pipeline.Store { return outcomeKeyDropped{pipelinetest.NewMemStore()} },
		"GetOutcome must return the first outcome recorded, copied",
	},
	"amount_in_minor_units": {
		func() pipeline.Store {
			return fieldDropping{MemStore: pipelinetest.NewMemStore(), deal: func(d *pipeline.Deal) { d.Amount = d.Amount.Round(sp.HalfUp) }}
		},
		"GetDeal must return every field of the record as created",
	},
	"filtered_listing_cancel_ignored": {
		func() pipeline.Store { return filteredCancelIgnored{pipelinetest.NewMemStore()} },
		"ListDeals with filter owner with a cancelled context must yield its error alone",
	},
	"filtered_listing_cancel_while_listing_ignored": {
		func() pipeline.Store { return filteredCancelBlind{pipelinetest.NewMemStore()} },
		"ListInquiries with filter owner whose context is cancelled while it runs must yield its error once and stop",
	},
	"filtered_listing_no_early_stop": {
		func() pipeline.Store { return filteredNoStop{pipelinetest.NewMemStore()} },
		"ListDeals with filter owner must stop when the loop breaks",
	},
	"filtered_listing_held_after_early_stop": {
		func() pipeline.Store {
			return filteredHeldAfterStop{heldAfterStop{pipelinetest.NewMemStore(), new(sync.RWMutex)}}
		},
		"ListInquiries with filter owner must release what it holds when the loop breaks",
	},
	"transaction_filtered_listing_cancel_ignored": {
		inTx(func(tx txStore) pipeline.Store { return txFilteredCancelIgnoredStore{tx} }),
		"ListDeals with a filter in a transaction whose context is cancelled while it runs must yield its error once and stop",
	},
	"filtered_listing_cancel_error_with_record": {
		func() pipeline.Store { return filteredErrWithRecord{pipelinetest.NewMemStore()} },
		"ListInquiries with filter owner with a cancelled context must yield its error alone, with a zero record, and stop; got 1 items, 1 errors (with a record: true)",
	},
	"transaction_filtered_listing_cancel_while_listing_ignored": {
		inTx(func(tx txStore) pipeline.Store { return txFilteredCancelBlindStore{tx} }),
		"ListInquiries with a filter in a transaction whose context is cancelled while it runs must yield its error once and stop",
	},
	"transaction_filtered_listing_done_ignored": {
		inTx(func(tx txStore) pipeline.Store { return txFilteredDoneIgnoredStore{tx} }),
		"ListDeals with a filter in a transaction with a cancelled context must fail with its error; got <nil>",
	},
	"update_missing_listed": {
		func() pipeline.Store {
			return listedUpsert{pipelinetest.NewMemStore(), new(sync.Mutex), new([]pipeline.Inquiry)}
		},
		"UpdateInquiry of a missing record must write nothing; ListInquiries then yielded [missing]",
	},
	"update_missing_inserts": {
		func() pipeline.Store { return upsert{pipelinetest.NewMemStore()} },
		"UpdateDeal of a missing record must write nothing; GetDeal then found it",
	},
	"no_early_stop": {
		func() pipeline.Store { return noStop{pipelinetest.NewMemStore()} },
		"ListInquiries must stop when the loop breaks",
	},
	"transaction_listing_no_early_stop": {
		inTx(func(tx txStore) pipeline.Store { return txNoStopStore{tx} }),
		"ListInquiries in a transaction must stop when the loop breaks: got 3 records",
	},
	"transaction_filtered_listing_no_early_stop": {
		inTx(func(tx txStore) pipeline.Store { return txFilteredNoStopStore{tx} }),
		"ListDeals with a filter in a transaction must stop when the loop breaks: got 2 records",
	},
	"transaction_filtered_inquiries_no_early_stop": {
		inTx(func(tx txStore) pipeline.Store { return txFilteredInquiryNoStopStore{tx} }),
		"ListInquiries with a filter in a transaction must stop when the loop breaks: got 3 records",
	},
	"transaction_all_deals_no_early_stop": {
		inTx(func(tx txStore) pipeline.Store { return txAllDealsNoStopStore{tx} }),
		"ListDeals in a transaction must stop when the loop breaks: got 2 records",
	},
}

// The suite fails each broken store, naming the clause it breaks. Each
// runs the suite in a child process, since a failing suite fails its test.
func TestRunStoreTestsCatchesBrokenStores(t *testing.T) {
	if name := os.Getenv("PIPELINETEST_BROKEN_STORE"); name != "" {
		b := brokenStores[name]
		pipelinetest.RunStoreTestsWith(t, func(*testing.T) pipeline.Store { return b.store() },
			&pipelinetest.StoreTestOptions{Writers: []int{2}})
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for name, b := range brokenStores {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunStoreTestsCatchesBrokenStores$", "-test.v")
			cmd.Env = append(os.Environ(), "PIPELINETEST_BROKEN_STORE="+name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite must fail the store:\n%s", out)
			assert.Contains(t, string(out), b.clause)
		})
	}
}

// A number of writers below 1 fails the suite with a message naming the
// option, where a negative one panicked in the concurrent-writers tests.
func TestRunStoreTestsRefusesTooFewWriters(t *testing.T) {
	if n := os.Getenv("PIPELINETEST_WRITERS"); n != "" {
		w := -1
		if n == "0" {
			w = 0
		}
		pipelinetest.RunStoreTestsWith(t, func(*testing.T) pipeline.Store { return pipelinetest.NewMemStore() },
			&pipelinetest.StoreTestOptions{Writers: []int{w}})
		return
	}
	for _, n := range []string{"-1", "0"} {
		t.Run(n, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunStoreTestsRefusesTooFewWriters$", "-test.v")
			cmd.Env = append(os.Environ(), "PIPELINETEST_WRITERS="+n)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite must fail:\n%s", out)
			assert.True(t, strings.Contains(string(out), "StoreTestOptions.Writers") && !strings.Contains(string(out), "panic"),
				"the suite must fail naming the option, without a panic:\n%s", out[max(0, len(out)-1500):])
		})
	}
}

// A nil newStore, or one that returns a nil Store, fails the suite with a
// message saying so, where it panicked. A nil newStore is reported at the
// caller's line: RunStoreTests and RunStoreTestsWith are test helpers.
func TestRunStoreTestsRefusesNilStores(t *testing.T) {
	switch os.Getenv("PIPELINETEST_NIL_STORE") {
	case "func":
		pipelinetest.RunStoreTests(t, nil)
		return
	case "store":
		pipelinetest.RunStoreTests(t, func(*testing.T) pipeline.Store { return nil })
		return
	}
	for _, c := range []struct{ name, want string }{{"func", "nil newStore"}, {"store", "newStore returned a nil store"}} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunStoreTestsRefusesNilStores$", "-test.v")
			cmd.Env = append(os.Environ(), "PIPELINETEST_NIL_STORE="+c.name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite must fail:\n%s", out)
			assert.True(t, strings.Contains(string(out), c.want) && !strings.Contains(string(out), "panic"),
				"the suite must fail saying %q, without a panic:\n%s", c.want, out[max(0, len(out)-1500):])
			if c.name == "func" {
				assert.Contains(t, string(out), "storetest_test.go:", "the failure is the caller's line")
				assert.NotContains(t, string(out), "storetest.go:", "the failure is the caller's line")
			}
		})
	}
}
