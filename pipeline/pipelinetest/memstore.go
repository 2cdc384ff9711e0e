package pipelinetest

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"sync"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// MemStore keeps inquiries, deals and idempotency outcomes in memory. It
// implements [pipeline.Store], [pipeline.IdempotencyStore] and
// [pipeline.Transactor], and passes [RunStoreTests]; it keeps no events
// ([OutboxMemStore] does). Records are deep-copied
// in and out, so callers never share memory with it. It is safe for
// concurrent use; the zero MemStore is empty and ready to use, and a
// MemStore must not be copied after first use. A nil ctx,
// or a nil *MemStore, is an error wrapping [sp.ErrInvalid] (a sequence
// yields it).
type MemStore struct {
	mu   sync.RWMutex
	data memData
}

type memData struct {
	inquiries map[sp.InquiryID]pipeline.Inquiry
	deals     map[sp.DealID]pipeline.Deal
	outcomes  map[string]pipeline.Outcome
	// events is the outbox of an OutboxMemStore, in the order appended;
	// eventIDs the set of their IDs.
	events   []sp.Event
	eventIDs map[string]struct{}
}

var (
	_ pipeline.Store            = (*MemStore)(nil)
	_ pipeline.IdempotencyStore = (*MemStore)(nil)
	_ pipeline.Transactor       = (*MemStore)(nil)
)

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{} }

// GetInquiry implements [pipeline.InquiryStore].
func (s *MemStore) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	if err := s.check(ctx); err != nil {
		return pipeline.Inquiry{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data.getInquiry(id)
}

// CreateInquiry implements [pipeline.InquiryStore].
func (s *MemStore) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.createInquiry(in)
}

// UpdateInquiry implements [pipeline.InquiryStore].
func (s *MemStore) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expectedVersion int64) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.updateInquiry(in, expectedVersion)
}

// ListInquiries implements [pipeline.InquiryStore]. The sequence takes a
// snapshot of the matching inquiries when iteration starts, matching f as
// it was when ListInquiries was called (it keeps a copy of f.Stages); it
// may be iterated more than once.
func (s *MemStore) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	f.Stages = slices.Clone(f.Stages) // the caller may reuse its slice
	return func(yield func(pipeline.Inquiry, error) bool) {
		if err := s.check(ctx); err != nil {
			yield(pipeline.Inquiry{}, err)
			return
		}
		s.mu.RLock()
		list := s.data.listInquiries(f)
		s.mu.RUnlock()
		for _, in := range list {
			if err := ctxErr(ctx); err != nil {
				yield(pipeline.Inquiry{}, err)
				return
			}
			if !yield(in, nil) {
				return
			}
		}
	}
}

// GetDeal implements [pipeline.DealStore].
func (s *MemStore) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	if err := s.check(ctx); err != nil {
		return pipeline.Deal{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data.getDeal(id)
}

// CreateDeal implements [pipeline.DealStore].
func (s *MemStore) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.createDeal(d)
}

// UpdateDeal implements [pipeline.DealStore].
func (s *MemStore) UpdateDeal(ctx context.Context, d pipeline.Deal, expectedVersion int64) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.updateDeal(d, expectedVersion)
}

// ListDeals implements [pipeline.DealStore], as ListInquiries does.
func (s *MemStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	f.Stages = slices.Clone(f.Stages) // the caller may reuse its slice
	return func(yield func(pipeline.Deal, error) bool) {
		if err := s.check(ctx); err != nil {
			yield(pipeline.Deal{}, err)
			return
		}
		s.mu.RLock()
		list := s.data.listDeals(f)
		s.mu.RUnlock()
		for _, d := range list {
			if err := ctxErr(ctx); err != nil {
				yield(pipeline.Deal{}, err)
				return
			}
			if !yield(d, nil) {
				return
			}
		}
	}
}

// GetOutcome implements [pipeline.IdempotencyStore].
func (s *MemStore) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	if err := s.check(ctx); err != nil {
		return pipeline.Outcome{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data.getOutcome(key)
}

// AddOutcome implements [pipeline.IdempotencyStore].
func (s *MemStore) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.addOutcome(o)
}

// Atomically implements [pipeline.Transactor]. It holds the store's lock
// for the whole of fn, so transactions are serialized with each other and
// with every other call; fn must use only the Store it is given (calling s
// itself would deadlock), which is safe for concurrent use. Writes go to
// the store's data as fn makes them, unseen by every other call until fn
// returns, and are undone unless fn returns nil (if fn panics too), so a
// transaction costs what it reads and writes, not the size of the store.
// The Store given to fn refuses every call after fn returns with an error
// wrapping [sp.ErrInvalid], and writes nothing.
func (s *MemStore) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.atomically(ctx, fn, false)
}

// atomically runs a transaction; with outbox, its Store implements
// [pipeline.Outbox].
func (s *MemStore) atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error, outbox bool) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	if fn == nil {
		return fmt.Errorf("pipelinetest: atomically: %w", sp.Invalid("fn", "nil function"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &memTx{data: &s.data, events: len(s.data.events)}
	committed := false
	defer func() {
		if !committed {
			tx.rollback()
		}
	}()
	var store pipeline.Store = tx
	if outbox {
		store = memOutboxTx{tx}
	}
	err := fn(ctx, store)
	tx.mu.Lock()
	tx.done = true
	tx.mu.Unlock()
	committed = err == nil
	return err
}

// memTx is the Store a transaction of MemStore gives its function. It
// writes to the store's data, whose lock the transaction holds, keeping
// each record as it was before its first write there, and the number of
// events before the transaction, to undo its writes if it fails. Its lock
// makes it safe for concurrent use, as a Store is.
type memTx struct {
	mu           sync.Mutex
	data         *memData
	oldInquiries map[sp.InquiryID]*pipeline.Inquiry // nil for a record created
	oldDeals     map[sp.DealID]*pipeline.Deal
	oldOutcomes  map[string]*pipeline.Outcome
	events       int
	done         bool
}

// keep saves in *old the value of key in m, or nil if m has none, unless
// the transaction saved it already: what a failed transaction restores.
func keep[K comparable, V any](old *map[K]*V, m map[K]V, key K) {
	if _, ok := (*old)[key]; ok {
		return
	}
	if *old == nil {
		*old = map[K]*V{}
	}
	if v, ok := m[key]; ok {
		(*old)[key] = &v
	} else {
		(*old)[key] = nil
	}
}

// restore puts the values saved in old back into m.
func restore[K comparable, V any](old map[K]*V, m map[K]V) {
	for k, v := range old {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = *v
		}
	}
}

// rollback ends the transaction and undoes its writes.
func (tx *memTx) rollback() {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	tx.done = true
	d := tx.data
	restore(tx.oldInquiries, d.inquiries)
	restore(tx.oldDeals, d.deals)
	restore(tx.oldOutcomes, d.outcomes)
	for _, e := range d.events[tx.events:] {
		delete(d.eventIDs, e.ID)
	}
	clear(d.events[tx.events:])
	d.events = d.events[:tx.events]
}

// lock locks tx and returns the error of a done tx or of a nil or done
// ctx, and the unlock.
func (tx *memTx) lock(ctx context.Context) (func(), error) {
	tx.mu.Lock()
	return tx.mu.Unlock, tx.check(ctx)
}

var (
	_ pipeline.Store            = (*memTx)(nil)
	_ pipeline.IdempotencyStore = (*memTx)(nil)
)

// check returns the error of a nil s, or of a nil or done ctx.
func (s *MemStore) check(ctx context.Context) error {
	if s == nil {
		return fmt.Errorf("pipelinetest: nil store: %w", sp.ErrInvalid)
	}
	return ctxErr(ctx)
}

// ctxErr returns the error of a nil or done ctx.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("pipelinetest: %w", sp.Invalid("ctx", "nil context"))
	}
	return ctx.Err()
}

func (tx *memTx) check(ctx context.Context) error {
	if tx.done {
		return fmt.Errorf("pipelinetest: transaction used after its end: %w", sp.ErrInvalid)
	}
	return ctxErr(ctx)
}

func (tx *memTx) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return pipeline.Inquiry{}, err
	}
	return tx.data.getInquiry(id)
}

func (tx *memTx) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return err
	}
	keep(&tx.oldInquiries, tx.data.inquiries, in.ID)
	return tx.data.createInquiry(in)
}

func (tx *memTx) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expectedVersion int64) error {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return err
	}
	keep(&tx.oldInquiries, tx.data.inquiries, in.ID)
	return tx.data.updateInquiry(in, expectedVersion)
}

func (tx *memTx) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	f.Stages = slices.Clone(f.Stages) // the caller may reuse its slice
	return func(yield func(pipeline.Inquiry, error) bool) {
		unlock, err := tx.lock(ctx)
		var recs []pipeline.Inquiry
		if err == nil {
			recs = tx.data.listInquiries(f)
		}
		unlock()
		if err != nil {
			yield(pipeline.Inquiry{}, err)
			return
		}
		for _, in := range recs {
			if err := ctxErr(ctx); err != nil {
				yield(pipeline.Inquiry{}, err)
				return
			}
			if !yield(in, nil) {
				return
			}
		}
	}
}

func (tx *memTx) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return pipeline.Deal{}, err
	}
	return tx.data.getDeal(id)
}

func (tx *memTx) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return err
	}
	keep(&tx.oldDeals, tx.data.deals, d.ID)
	return tx.data.createDeal(d)
}

func (tx *memTx) UpdateDeal(ctx context.Context, d pipeline.Deal, expectedVersion int64) error {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return err
	}
	keep(&tx.oldDeals, tx.data.deals, d.ID)
	return tx.data.updateDeal(d, expectedVersion)
}

func (tx *memTx) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	f.Stages = slices.Clone(f.Stages) // the caller may reuse its slice
	return func(yield func(pipeline.Deal, error) bool) {
		unlock, err := tx.lock(ctx)
		var recs []pipeline.Deal
		if err == nil {
			recs = tx.data.listDeals(f)
		}
		unlock()
		if err != nil {
			yield(pipeline.Deal{}, err)
			return
		}
		for _, d := range recs {
			if err := ctxErr(ctx); err != nil {
				yield(pipeline.Deal{}, err)
				return
			}
			if !yield(d, nil) {
				return
			}
		}
	}
}

func (tx *memTx) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return pipeline.Outcome{}, err
	}
	return tx.data.getOutcome(key)
}

func (tx *memTx) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return err
	}
	keep(&tx.oldOutcomes, tx.data.outcomes, o.Key)
	return tx.data.addOutcome(o)
}

// The operations on memData; the caller holds the lock.

func (d *memData) getInquiry(id sp.InquiryID) (pipeline.Inquiry, error) {
	in, ok := d.inquiries[id]
	if !ok {
		return pipeline.Inquiry{}, fmt.Errorf("pipelinetest: inquiry %q: %w", id, sp.ErrNotFound)
	}
	return in.Clone(), nil
}

func (d *memData) createInquiry(in pipeline.Inquiry) error {
	if _, ok := d.inquiries[in.ID]; ok {
		return fmt.Errorf("pipelinetest: inquiry %q: %w", in.ID, sp.ErrDuplicate)
	}
	if d.inquiries == nil {
		d.inquiries = map[sp.InquiryID]pipeline.Inquiry{}
	}
	d.inquiries[in.ID] = in.Clone()
	return nil
}

func (d *memData) updateInquiry(in pipeline.Inquiry, expected int64) error {
	cur, ok := d.inquiries[in.ID]
	switch {
	case !ok:
		return fmt.Errorf("pipelinetest: inquiry %q: %w", in.ID, sp.ErrNotFound)
	case cur.Version != expected:
		return fmt.Errorf("pipelinetest: inquiry %q is at version %d, not %d: %w", in.ID, cur.Version, expected, sp.ErrConflict)
	case in.Version != expected+1 || expected == math.MaxInt64: // no version follows the largest
		return fmt.Errorf("pipelinetest: inquiry %q: version %d after %d: %w", in.ID, in.Version, expected, sp.ErrInvalid)
	}
	d.inquiries[in.ID] = in.Clone()
	return nil
}

func (d *memData) listInquiries(f pipeline.InquiryFilter) []pipeline.Inquiry {
	return list(d.inquiries, f.Match, pipeline.Inquiry.Clone)
}

func (d *memData) getDeal(id sp.DealID) (pipeline.Deal, error) {
	dl, ok := d.deals[id]
	if !ok {
		return pipeline.Deal{}, fmt.Errorf("pipelinetest: deal %q: %w", id, sp.ErrNotFound)
	}
	return dl.Clone(), nil
}

func (d *memData) createDeal(dl pipeline.Deal) error {
	if _, ok := d.deals[dl.ID]; ok {
		return fmt.Errorf("pipelinetest: deal %q: %w", dl.ID, sp.ErrDuplicate)
	}
	if d.deals == nil {
		d.deals = map[sp.DealID]pipeline.Deal{}
	}
	d.deals[dl.ID] = dl.Clone()
	return nil
}

func (d *memData) updateDeal(dl pipeline.Deal, expected int64) error {
	cur, ok := d.deals[dl.ID]
	switch {
	case !ok:
		return fmt.Errorf("pipelinetest: deal %q: %w", dl.ID, sp.ErrNotFound)
	case cur.Version != expected:
		return fmt.Errorf("pipelinetest: deal %q is at version %d, not %d: %w", dl.ID, cur.Version, expected, sp.ErrConflict)
	case dl.Version != expected+1 || expected == math.MaxInt64: // no version follows the largest
		return fmt.Errorf("pipelinetest: deal %q: version %d after %d: %w", dl.ID, dl.Version, expected, sp.ErrInvalid)
	}
	d.deals[dl.ID] = dl.Clone()
	return nil
}

func (d *memData) listDeals(f pipeline.DealFilter) []pipeline.Deal {
	return list(d.deals, f.Match, pipeline.Deal.Clone)
}

// list returns copies of the records of m that match, in ascending order
// of ID: it sorts the IDs of those that match, not every ID of m, so that
// a listing that selects few records of a large store, or a page of it,
// costs a pass over m and the sorting of what it returns.
func list[K ~string, V any](m map[K]V, match func(V) bool, clone func(V) V) []V {
	var ids []K
	for id, v := range m {
		if match(v) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	out := make([]V, len(ids))
	for i, id := range ids {
		out[i] = clone(m[id])
	}
	return out
}

func (d *memData) getOutcome(key string) (pipeline.Outcome, error) {
	o, ok := d.outcomes[key]
	if !ok {
		return pipeline.Outcome{}, fmt.Errorf("pipelinetest: outcome %q: %w", key, sp.ErrNotFound)
	}
	o.Result = slices.Clone(o.Result)
	return o, nil
}

func (d *memData) addOutcome(o pipeline.Outcome) error {
	if _, ok := d.outcomes[o.Key]; ok {
		return fmt.Errorf("pipelinetest: outcome %q: %w", o.Key, sp.ErrDuplicate)
	}
	if d.outcomes == nil {
		d.outcomes = map[string]pipeline.Outcome{}
	}
	o.Result = slices.Clone(o.Result)
	d.outcomes[o.Key] = o
	return nil
}

func (d *memData) appendEvent(e sp.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("pipelinetest: event %q: %w", e.ID, err)
	}
	if _, ok := d.eventIDs[e.ID]; ok {
		return fmt.Errorf("pipelinetest: event %q: %w", e.ID, sp.ErrDuplicate)
	}
	if d.eventIDs == nil {
		d.eventIDs = map[string]struct{}{}
	}
	e.Data = slices.Clone(e.Data)
	d.events = append(d.events, e)
	d.eventIDs[e.ID] = struct{}{}
	return nil
}

// OutboxMemStore is a [MemStore] that keeps events too: it and the Store
// of each of its transactions implement [pipeline.Outbox], so that an
// engine on it appends every command's events in the command's
// transaction, and [OutboxMemStore.Events] returns them. An event
// appended in a transaction that fails is discarded with the rest of its
// writes. AppendEvent refuses an invalid event with an error wrapping
// [sp.ErrInvalid] and an ID already appended with one wrapping
// [sp.ErrDuplicate], appending nothing, and keeps a copy of e.Data. It
// passes [RunStoreTests], and is safe for concurrent use; the zero
// OutboxMemStore is empty and ready to use, and, as a MemStore, must not
// be copied after first use. The methods of a nil
// *OutboxMemStore return an error wrapping [sp.ErrInvalid], as those of a
// nil [*MemStore] do; its Events returns nil.
//
// A plain MemStore keeps no events, so that an engine on it hands them to
// its [sp.Publisher] (a [Recorder], say) as before.
type OutboxMemStore struct {
	MemStore
}

var (
	_ pipeline.Store            = (*OutboxMemStore)(nil)
	_ pipeline.IdempotencyStore = (*OutboxMemStore)(nil)
	_ pipeline.Transactor       = (*OutboxMemStore)(nil)
	_ pipeline.Outbox           = (*OutboxMemStore)(nil)
	_ pipeline.Outbox           = memOutboxTx{}
)

// NewOutboxMemStore returns an empty OutboxMemStore.
func NewOutboxMemStore() *OutboxMemStore { return &OutboxMemStore{} }

// mem returns the MemStore of s; nil for a nil s, whose methods return an
// error instead of panicking as a promoted method would.
func (s *OutboxMemStore) mem() *MemStore {
	if s == nil {
		return nil
	}
	return &s.MemStore
}

// The methods of MemStore, through mem so that a nil *OutboxMemStore
// returns an error wrapping [sp.ErrInvalid] instead of panicking.

// GetInquiry implements [pipeline.InquiryStore] as [MemStore.GetInquiry] does.
func (s *OutboxMemStore) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	return s.mem().GetInquiry(ctx, id)
}

// CreateInquiry implements [pipeline.InquiryStore] as [MemStore.CreateInquiry] does.
func (s *OutboxMemStore) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	return s.mem().CreateInquiry(ctx, in)
}

// UpdateInquiry implements [pipeline.InquiryStore] as [MemStore.UpdateInquiry] does.
func (s *OutboxMemStore) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expectedVersion int64) error {
	return s.mem().UpdateInquiry(ctx, in, expectedVersion)
}

// ListInquiries implements [pipeline.InquiryStore] as [MemStore.ListInquiries] does.
func (s *OutboxMemStore) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return s.mem().ListInquiries(ctx, f)
}

// GetDeal implements [pipeline.DealStore] as [MemStore.GetDeal] does.
func (s *OutboxMemStore) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	return s.mem().GetDeal(ctx, id)
}

// CreateDeal implements [pipeline.DealStore] as [MemStore.CreateDeal] does.
func (s *OutboxMemStore) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	return s.mem().CreateDeal(ctx, d)
}

// UpdateDeal implements [pipeline.DealStore] as [MemStore.UpdateDeal] does.
func (s *OutboxMemStore) UpdateDeal(ctx context.Context, d pipeline.Deal, expectedVersion int64) error {
	return s.mem().UpdateDeal(ctx, d, expectedVersion)
}

// ListDeals implements [pipeline.DealStore] as [MemStore.ListDeals] does.
func (s *OutboxMemStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return s.mem().ListDeals(ctx, f)
}

// GetOutcome implements [pipeline.IdempotencyStore] as [MemStore.GetOutcome] does.
func (s *OutboxMemStore) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	return s.mem().GetOutcome(ctx, key)
}

// AddOutcome implements [pipeline.IdempotencyStore] as [MemStore.AddOutcome] does.
func (s *OutboxMemStore) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	return s.mem().AddOutcome(ctx, o)
}

// AppendEvent implements [pipeline.Outbox]: outside a transaction, the
// event is kept at once.
func (s *OutboxMemStore) AppendEvent(ctx context.Context, e sp.Event) error {
	if s == nil {
		return fmt.Errorf("pipelinetest: append event to a nil store: %w", sp.ErrInvalid)
	}
	if err := ctxErr(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.appendEvent(e)
}

// Atomically implements [pipeline.Transactor] as [MemStore.Atomically]
// does; the Store given to fn implements [pipeline.Outbox] too.
func (s *OutboxMemStore) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	if s == nil {
		return fmt.Errorf("pipelinetest: transaction on a nil store: %w", sp.ErrInvalid)
	}
	return s.atomically(ctx, fn, true)
}

// Events returns a copy of the events kept, in the order they were
// appended (transactions in the order they committed); their payloads are
// copies too.
func (s *OutboxMemStore) Events() []sp.Event {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := slices.Clone(s.data.events)
	for i := range out {
		out[i].Data = slices.Clone(out[i].Data)
	}
	return out
}

// memOutboxTx is the Store a transaction of OutboxMemStore gives its
// function.
type memOutboxTx struct{ *memTx }

func (tx memOutboxTx) AppendEvent(ctx context.Context, e sp.Event) error {
	if tx.memTx == nil {
		return fmt.Errorf("pipelinetest: append event to a nil transaction: %w", sp.ErrInvalid)
	}
	unlock, err := tx.lock(ctx)
	defer unlock()
	if err != nil {
		return err
	}
	return tx.data.appendEvent(e)
}
