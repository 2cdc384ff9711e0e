package pipelinetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/shopspring/decimal"
)

// StoreTestOptions tune [RunStoreTestsWith]. The zero StoreTestOptions are
// the defaults, as a nil *StoreTestOptions is.
type StoreTestOptions struct {
	// Writers are the numbers of goroutines of the concurrent-writers
	// tests (those beside transactions and on distinct records included),
	// one run of each per number; nil means 16 and 64. A number below 1
	// fails the suite before it runs. A store that bounds how long a write
	// waits for a lock (SQLite's busy timeout) needs a bound long enough
	// for that many writers taking turns on the machine the suite runs on:
	// a wait that outlasts it fails the writer, and the suite with it.
	Writers []int
	// Events returns the events the outbox of s holds, in the order they
	// were appended: how the suite reads a store that implements
	// [pipeline.Outbox]. Nil means s's own Events() []sp.Event method, as
	// [OutboxMemStore] has; a store that implements Outbox and has neither
	// fails the outbox checks.
	Events func(ctx context.Context, s pipeline.Store) ([]sp.Event, error)
}

// RunStoreTests checks a [pipeline.Store] against the contract of
// [pipeline.InquiryStore] and [pipeline.DealStore], and, when the store
// implements them, of [pipeline.IdempotencyStore], [pipeline.Transactor] and
// [pipeline.Outbox] (with a Transactor; see [StoreTestOptions].Events for how
// the suite reads the outbox). newStore must return a new, empty store for
// each subtest. Every failure names the clause of the contract broken.
//
// It checks: get, create (of records in any stage, at any version, which the
// store keeps as given) and update; not found (an update of a missing record
// writing nothing); duplicates, among concurrent creates of one ID and adds of
// one outcome key too (exactly one succeeds, and is kept); version conflicts
// and malformed versions, with nothing overwritten, in a transaction too; that
// a transaction's function gets the caller's context, values and all, and
// commits all its writes (inquiries, deals and outcomes) or none, that its
// Store refuses an outcome already recorded, and that its listings, cancelled
// contexts and concurrent calls keep the contract, the tests of the records
// and of the filters running again on its Store; copying in and out (by create
// and update of records with every part set, listings too, and a listing's
// filter, whose slice of stages the caller changes before ranging it); each
// filter field (periods in UTC and in another zone), ascending ID order and
// keyset pagination; stopping an iteration early, after which an update must
// not wait on the listing; a listing whose loop body reads and updates the
// records it yields; a context cancelled before a call or while a listing runs
// (the listings with each filter checked as the listing of every record, for a
// done context and an early stop); and concurrent writers through a
// [pipeline.Engine] (16 and 64 goroutines advancing one deal, and as many
// logging an activity each on one inquiry, retrying on conflict, each listing
// them once among the others' writes, and as many logging an activity each
// while transactions, one after another, update a deal): every successful
// command and every committed transaction must be in the final record, none
// lost; and as many goroutines at once each taking an inquiry of its own from
// its receipt to a won deal through a [pipeline.Engine], with idempotency keys
// when the store keeps outcomes and without retrying: a store must not fail
// commands on distinct records for each other's sake (a version conflict, or a
// transaction it could not serialize with others that wrote other records,
// which it must run again itself; see [pipeline.Transactor]), so every command
// must succeed and every record end whole. With an outbox, it checks that an
// event appended in a transaction that fails is not kept, nor its ID, and one
// appended in a transaction that commits is, as given, and that through a
// [pipeline.Engine] each successful command leaves its events (one, two for a
// conversion), a refused command or a keyed retry none, and each concurrent
// writer one. Times in the fixtures are UTC in whole seconds; a store must
// return the instants it was given, in any location (a database may read
// timestamps back in its session's zone): the suite compares them in UTC.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) pipeline.Store) {
	t.Helper()
	RunStoreTestsWith(t, newStore, nil)
}

// RunStoreTestsWith is [RunStoreTests] with options; nil opts means the
// defaults.
func RunStoreTestsWith(t *testing.T, newStore func(t *testing.T) pipeline.Store, opts *StoreTestOptions) {
	t.Helper()
	if newStore == nil {
		t.Fatal("pipelinetest: RunStoreTests: nil newStore")
	}
	newStore = nonNil(newStore)
	writers := []int{16, 64}
	var o StoreTestOptions
	if opts != nil {
		o = *opts
	}
	if o.Writers != nil {
		writers = o.Writers
	}
	for _, n := range writers {
		if n < 1 {
			t.Fatalf("pipelinetest: StoreTestOptions.Writers holds %d; want numbers of goroutines of at least 1", n)
		}
	}
	events := outboxReader(o.Events)
	t.Run("inquiries", func(t *testing.T) { runRecordTests(t, newStore, inquiryKit()) })
	t.Run("deals", func(t *testing.T) { runRecordTests(t, newStore, dealKit()) })
	t.Run("inquiry_filters", func(t *testing.T) { testInquiryFilters(t, newStore(t)) })
	t.Run("deal_filters", func(t *testing.T) { testDealFilters(t, newStore(t)) })
	t.Run("idempotency", func(t *testing.T) { testIdempotency(t, newStore(t)) })
	t.Run("transactions", func(t *testing.T) { testTransactions(t, newStore(t)) })
	t.Run("in_transaction", func(t *testing.T) { testInTransaction(t, newStore) })
	t.Run("outbox", func(t *testing.T) { testOutbox(t, newStore, events) })
	for _, n := range writers {
		t.Run(fmt.Sprintf("concurrent_writers_%d", n), func(t *testing.T) { testConcurrentWriters(t, newStore(t), n, events) })
		t.Run(fmt.Sprintf("concurrent_inquiry_writers_%d", n), func(t *testing.T) { testConcurrentInquiryWriters(t, newStore(t), n, events) })
		t.Run(fmt.Sprintf("transactions_beside_writers_%d", n), func(t *testing.T) { testTransactionsBesideWriters(t, newStore(t), n) })
		t.Run(fmt.Sprintf("distinct_records_%d", n), func(t *testing.T) { testDistinctRecords(t, newStore(t), n, events) })
	}
}

// nonNil returns newStore, made to fail t when it returns a nil Store.
func nonNil(newStore func(t *testing.T) pipeline.Store) func(t *testing.T) pipeline.Store {
	return func(t *testing.T) pipeline.Store {
		t.Helper()
		s := newStore(t)
		if s == nil {
			t.Fatal("pipelinetest: newStore returned a nil store")
		}
		return s
	}
}

// kit adapts the tests that inquiries and deals share to one of them.
type kit[T any, ID ~string] struct {
	name    string
	make    func(id ID, variant int) T
	id      func(T) ID
	version func(*T) *int64
	mutate  func(*T) // change a field, as an update would
	get     func(ctx context.Context, s pipeline.Store, id ID) (T, error)
	create  func(ctx context.Context, s pipeline.Store, rec T) error
	update  func(ctx context.Context, s pipeline.Store, rec T, expected int64) error
	list    func(ctx context.Context, s pipeline.Store) iter.Seq2[T, error]
	norm    func(T) T
	// complete returns records, of distinct IDs other than the make's,
	// that between them set every field, and fields names the optional
	// ones for messages.
	complete func() []T
	fields   string
}

func inquiryKit() kit[pipeline.Inquiry, sp.InquiryID] {
	return kit[pipeline.Inquiry, sp.InquiryID]{
		name:    "Inquiry",
		make:    storedInquiry,
		id:      func(in pipeline.Inquiry) sp.InquiryID { return in.ID },
		version: func(in *pipeline.Inquiry) *int64 { return &in.Version },
		mutate: func(in *pipeline.Inquiry) {
			in.Owner = RepBob
			in.History = append(in.History, pipeline.Transition[pipeline.InquiryStage]{
				From: in.Stage, To: pipeline.InquiryContacted, At: Epoch().Add(time.Hour), Actor: sp.ActorID(RepBob),
			})
			in.Stage = pipeline.InquiryContacted
		},
		get: func(ctx context.Context, s pipeline.Store, id sp.InquiryID) (pipeline.Inquiry, error) {
			return s.GetInquiry(ctx, id)
		},
		create: func(ctx context.Context, s pipeline.Store, in pipeline.Inquiry) error {
			return s.CreateInquiry(ctx, in)
		},
		update: func(ctx context.Context, s pipeline.Store, in pipeline.Inquiry, v int64) error {
			return s.UpdateInquiry(ctx, in, v)
		},
		list: func(ctx context.Context, s pipeline.Store) iter.Seq2[pipeline.Inquiry, error] {
			return s.ListInquiries(ctx, pipeline.InquiryFilter{})
		},
		norm:     normInquiry,
		complete: completeInquiries,
		fields:   "activities, disqualify reason, deal",
	}
}

func dealKit() kit[pipeline.Deal, sp.DealID] {
	return kit[pipeline.Deal, sp.DealID]{
		name:    "Deal",
		make:    storedDeal,
		id:      func(d pipeline.Deal) sp.DealID { return d.ID },
		version: func(d *pipeline.Deal) *int64 { return &d.Version },
		mutate: func(d *pipeline.Deal) {
			d.Owner = RepBob
			d.History = append(d.History, pipeline.Transition[pipeline.DealStage]{
				From: d.Stage, To: pipeline.DealQualification, At: Epoch().Add(time.Hour), Actor: sp.ActorID(RepBob),
			})
			d.Stage = pipeline.DealQualification
			d.Probability = decimal.New(2, -1)
		},
		get: func(ctx context.Context, s pipeline.Store, id sp.DealID) (pipeline.Deal, error) {
			return s.GetDeal(ctx, id)
		},
		create: func(ctx context.Context, s pipeline.Store, d pipeline.Deal) error { return s.CreateDeal(ctx, d) },
		update: func(ctx context.Context, s pipeline.Store, d pipeline.Deal, v int64) error {
			return s.UpdateDeal(ctx, d, v)
		},
		list: func(ctx context.Context, s pipeline.Store) iter.Seq2[pipeline.Deal, error] {
			return s.ListDeals(ctx, pipeline.DealFilter{})
		},
		norm:     normDeal,
		complete: completeDeals,
		fields:   "lines, amount, probability override, loss, service, feedback",
	}
}

// storedInquiry returns a complete inquiry as a store holds it, at version
// 1; variant varies its fields.
func storedInquiry(id sp.InquiryID, variant int) pipeline.Inquiry {
	in := NewInquiry(id)
	in.Received = Epoch().Add(time.Duration(variant) * time.Hour)
	in.Stage = pipeline.InquiryNew
	in.Version = 1
	in.History = []pipeline.Transition[pipeline.InquiryStage]{{To: pipeline.InquiryNew, At: in.Received, Actor: SystemJob, Reason: "web form"}}
	in.Activities = []pipeline.Activity{{
		ID: "a1", Kind: pipeline.ActivityCall, Actor: sp.ActorID(RepAnn), Due: in.Received.Add(time.Hour),
		Outcome: "planned", Notes: "call back after lunch",
	}}
	return in
}

// storedDeal returns a complete deal as a store holds it, at version 1.
func storedDeal(id sp.DealID, variant int) pipeline.Deal {
	d := NewDeal(id)
	d.Amount = MustEUR("1080.00")
	d.Created = Epoch().Add(time.Duration(variant) * time.Hour)
	d.Stage = pipeline.DealProspecting
	d.Probability = decimal.New(1, -1)
	d.Version = 1
	d.History = []pipeline.Transition[pipeline.DealStage]{{To: pipeline.DealProspecting, At: d.Created, Actor: sp.ActorID(RepAnn)}}
	d.Activities = []pipeline.Activity{{ID: "a1", Kind: pipeline.ActivityVisit, Actor: sp.ActorID(RepAnn), Done: d.Created}}
	return d
}

// completeInquiries returns inquiries that between them set every field:
// one disqualified with a reason, one converted to a deal.
func completeInquiries() []pipeline.Inquiry {
	disq := storedInquiry("disqualified", 0)
	at := disq.Received.Add(2 * time.Hour)
	disq.History = append(disq.History, pipeline.Transition[pipeline.InquiryStage]{From: disq.Stage, To: pipeline.InquiryDisqualified, At: at, Actor: sp.ActorID(RepAnn), Reason: "no budget"})
	disq.Stage, disq.DisqualifyReason, disq.Version = pipeline.InquiryDisqualified, "no budget", 2
	conv := storedInquiry("converted", 0)
	conv.Activities[0].Done = conv.Received.Add(30 * time.Minute)
	conv.History = append(conv.History,
		pipeline.Transition[pipeline.InquiryStage]{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: conv.Received.Add(30 * time.Minute), Actor: sp.ActorID(RepAnn)},
		pipeline.Transition[pipeline.InquiryStage]{From: pipeline.InquiryContacted, To: pipeline.InquiryQualified, At: conv.Received.Add(time.Hour), Actor: sp.ActorID(RepAnn)},
		pipeline.Transition[pipeline.InquiryStage]{From: pipeline.InquiryQualified, To: pipeline.InquiryConverted, At: conv.Received.Add(2 * time.Hour), Actor: sp.ActorID(RepAnn)},
	)
	conv.Stage, conv.Deal, conv.Version = pipeline.InquiryConverted, "deal-of-converted", 4
	return []pipeline.Inquiry{disq, conv}
}

// completeDeals returns deals that between them set every field: one won
// and followed up, one lost, one whose probability is overridden.
func completeDeals() []pipeline.Deal {
	lost := storedDeal("lost", 0)
	at := lost.Created.Add(24 * time.Hour)
	lost.History = append(lost.History, pipeline.Transition[pipeline.DealStage]{From: lost.Stage, To: pipeline.DealLost, At: at, Actor: sp.ActorID(RepAnn), Reason: "competitor: went with the incumbent"})
	lost.Stage, lost.Closed, lost.Probability, lost.Version = pipeline.DealLost, at, decimal.Zero, 2
	lost.Loss = &pipeline.LossReason{Category: pipeline.LossCompetitor, Detail: "went with the incumbent"}
	over := storedDeal("overridden", 0)
	over.Probability, over.Overridden, over.Version = decimal.New(35, -2), true, 2
	// Lines whose total is finer than the currency's minor unit, in
	// another currency: a store keeps the amount as given.
	price, err := sp.ParseMoney("9.99 USD")
	if err != nil {
		panic(err)
	}
	over.Lines = []pipeline.Line{{Product: ProductGadget, Quantity: 3, UnitPrice: price, Discount: decimal.New(15, -2)}}
	over.Amount, err = sp.ParseMoney("25.4745 USD")
	if err != nil {
		panic(err)
	}
	return []pipeline.Deal{storedWonDeal("won"), lost, over}
}

// storedWonDeal returns a deal won and followed up, with every optional
// part set.
func storedWonDeal(id sp.DealID) pipeline.Deal {
	d := storedDeal(id, 0)
	won := Epoch().Add(48 * time.Hour)
	d.History = append(d.History, pipeline.Transition[pipeline.DealStage]{From: d.Stage, To: pipeline.DealWon, At: won, Actor: sp.ActorID(RepAnn), Reason: "signed"})
	d.Stage, d.Closed, d.Probability = pipeline.DealWon, won, decimal.New(1, 0)
	d.Overridden = false
	d.Inquiry, d.Campaign, d.Pipeline = "inq-1", CampaignFall, "retail"
	d.Service = &pipeline.Service{
		Stage: pipeline.ServiceFollowedUp,
		History: []pipeline.Transition[pipeline.ServiceStage]{
			{To: pipeline.ServiceAwaitingDelivery, At: won, Actor: sp.ActorID(RepAnn)},
			{From: pipeline.ServiceAwaitingDelivery, To: pipeline.ServiceDelivered, At: won.Add(time.Hour), Actor: SystemJob},
			{From: pipeline.ServiceDelivered, To: pipeline.ServiceFollowedUp, At: won.Add(2 * time.Hour), Actor: sp.ActorID(RepAnn)},
		},
		Feedback: []sp.Feedback{{
			ID: "fb-1", Product: ProductWidget, Rating: 4, Category: sp.FeedbackDelivery, Text: "late but fine",
			Source: sp.FromCustomer, Customer: CustomerAcme, Locality: "Springfield", Deal: id, Time: won.Add(2 * time.Hour),
		}},
	}
	return d
}

// normInquiry and normDeal put a record in a canonical form for
// comparison: times in UTC, decimals by value.
func normInquiry(in pipeline.Inquiry) pipeline.Inquiry {
	in = in.Clone()
	in.Received = in.Received.UTC()
	for i := range in.History {
		in.History[i].At = in.History[i].At.UTC()
	}
	normActivities(in.Activities)
	return in
}

func normDeal(d pipeline.Deal) pipeline.Deal {
	d = d.Clone()
	d.Created, d.Closed, d.ExpectedClose = d.Created.UTC(), d.Closed.UTC(), d.ExpectedClose.UTC()
	d.Probability = normDecimal(d.Probability)
	for i := range d.Lines {
		d.Lines[i].Discount = normDecimal(d.Lines[i].Discount)
	}
	for i := range d.History {
		d.History[i].At = d.History[i].At.UTC()
	}
	normActivities(d.Activities)
	if d.Service != nil {
		for i := range d.Service.History {
			d.Service.History[i].At = d.Service.History[i].At.UTC()
		}
		for i := range d.Service.Feedback {
			d.Service.Feedback[i].Time = d.Service.Feedback[i].Time.UTC()
		}
	}
	return d
}

func normActivities(as []pipeline.Activity) {
	for i := range as {
		as[i].Due, as[i].Done = as[i].Due.UTC(), as[i].Done.UTC()
	}
}

func normDecimal(d decimal.Decimal) decimal.Decimal {
	n, err := decimal.NewFromString(d.String())
	if err != nil {
		return d
	}
	return n
}

// same reports whether a and b are the same record, and how they differ.
// A record that does not marshal to JSON (a field the store corrupted)
// is shown by the marshaling error.
func same[T any](norm func(T) T, a, b T) (bool, string) {
	ja, errA := json.Marshal(norm(a))
	jb, errB := json.Marshal(norm(b))
	if errA != nil || errB != nil {
		return false, fmt.Sprintf("\n got: %s%v\nwant: %s%v", jb, orNone(errB), ja, orNone(errA))
	}
	return string(ja) == string(jb), fmt.Sprintf("\n got: %s\nwant: %s", jb, ja)
}

// orNone returns err, or nothing for a nil err, for a message.
func orNone(err error) any {
	if err == nil {
		return ""
	}
	return err
}

func runRecordTests[T any, ID ~string](t *testing.T, newStore func(t *testing.T) pipeline.Store, k kit[T, ID]) {
	ctx := context.Background()
	get, create, update := "Get"+k.name, "Create"+k.name, "Update"+k.name
	list := "List" + k.name + "s"
	if k.name == "Inquiry" {
		list = "ListInquiries"
	}
	mustCreate := func(t *testing.T, s pipeline.Store, rec T) {
		t.Helper()
		if err := k.create(ctx, s, rec); err != nil {
			t.Fatalf("%s of a new record: want nil, got %v", create, err)
		}
	}
	mustGet := func(t *testing.T, s pipeline.Store, id ID) T {
		t.Helper()
		rec, err := k.get(ctx, s, id)
		if err != nil {
			t.Fatalf("%s of a stored record: want nil, got %v", get, err)
		}
		return rec
	}
	t.Run("get_missing", func(t *testing.T) {
		_, err := k.get(ctx, newStore(t), "missing")
		if !errors.Is(err, sp.ErrNotFound) {
			t.Errorf("%s of a missing record must fail with ErrNotFound; got %v", get, err)
		}
	})
	t.Run("create_get", func(t *testing.T) {
		s := newStore(t)
		rec := k.make("r1", 0)
		mustCreate(t, s, rec)
		if ok, diff := same(k.norm, rec, mustGet(t, s, "r1")); !ok {
			t.Errorf("%s must return the record as created:%s", get, diff)
		}
	})
	t.Run("create_get_complete", func(t *testing.T) {
		s := newStore(t)
		for _, rec := range k.complete() {
			mustCreate(t, s, rec)
			if ok, diff := same(k.norm, rec, mustGet(t, s, k.id(rec))); !ok {
				t.Errorf("%s must return every field of the record as created (%s):%s", get, k.fields, diff)
			}
		}
	})
	t.Run("create_duplicate", func(t *testing.T) {
		s := newStore(t)
		first := k.make("r1", 0)
		mustCreate(t, s, first)
		second := k.make("r1", 1)
		k.mutate(&second)
		if err := k.create(ctx, s, second); !errors.Is(err, sp.ErrDuplicate) {
			t.Errorf("%s of an existing ID must fail with ErrDuplicate; got %v", create, err)
		}
		if ok, diff := same(k.norm, first, mustGet(t, s, "r1")); !ok {
			t.Errorf("%s of an existing ID must store nothing:%s", create, diff)
		}
	})
	t.Run("create_duplicate_concurrent", func(t *testing.T) {
		s := newStore(t)
		recs := make([]T, racers)
		for i := range recs {
			recs[i] = k.make("r1", i)
		}
		won := race(func(i int) error { return k.create(ctx, s, recs[i]) })
		if n := len(won); n != 1 {
			t.Errorf("%s: of concurrent calls with one ID exactly one must succeed and the others fail with ErrDuplicate: %d succeeded (%v)", create, n, won)
			return
		}
		if ok, diff := same(k.norm, recs[won[0]], mustGet(t, s, "r1")); !ok {
			t.Errorf("%s: of concurrent calls with one ID the one that succeeded must be stored:%s", create, diff)
		}
	})
	t.Run("update", func(t *testing.T) {
		s := newStore(t)
		changed := k.make("r1", 0)
		k.mutate(&changed)
		// Each record replaces one made at version 1 with its ID: the
		// complete ones set every part a store could share.
		for _, rec := range append([]T{changed}, k.complete()...) {
			mustCreate(t, s, k.make(k.id(rec), 0))
			*k.version(&rec) = 2
			if err := k.update(ctx, s, rec, 1); err != nil {
				t.Fatalf("%s with the stored version: want nil, got %v", update, err)
			}
			if ok, diff := same(k.norm, rec, mustGet(t, s, k.id(rec))); !ok {
				t.Errorf("%s must replace the record (%s):%s", update, k.fields, diff)
			}
			want := k.norm(rec)
			scribble(&rec) // writes into the slices and parts the store was given
			k.mutate(&rec)
			if ok, diff := same(k.norm, want, mustGet(t, s, k.id(rec))); !ok {
				t.Errorf("%s must copy the record: a change by the caller afterwards changed the store:%s", update, diff)
			}
		}
	})
	t.Run("update_stale", func(t *testing.T) {
		s := newStore(t)
		rec := k.make("r1", 0)
		mustCreate(t, s, rec)
		next := rec
		k.mutate(&next)
		*k.version(&next) = 2
		if err := k.update(ctx, s, next, 1); err != nil {
			t.Fatalf("%s with the stored version: want nil, got %v", update, err)
		}
		stale := k.make("r1", 3)
		*k.version(&stale) = 2
		if err := k.update(ctx, s, stale, 1); !errors.Is(err, sp.ErrConflict) {
			t.Errorf("%s with a stale expected version must fail with ErrConflict; got %v", update, err)
		}
		ahead := k.make("r1", 4)
		*k.version(&ahead) = 8
		if err := k.update(ctx, s, ahead, 7); !errors.Is(err, sp.ErrConflict) {
			t.Errorf("%s with an expected version ahead of the stored one must fail with ErrConflict; got %v", update, err)
		}
		if ok, diff := same(k.norm, next, mustGet(t, s, "r1")); !ok {
			t.Errorf("%s with a stale version must overwrite nothing:%s", update, diff)
		}
	})
	t.Run("update_missing", func(t *testing.T) {
		s := newStore(t)
		rec := k.make("missing", 0)
		*k.version(&rec) = 2
		if err := k.update(ctx, s, rec, 1); !errors.Is(err, sp.ErrNotFound) {
			t.Errorf("%s of a missing record must fail with ErrNotFound; got %v", update, err)
		}
		// On error nothing is written: not the record, which a store
		// that inserts when it finds nothing to update would keep.
		if _, err := k.get(ctx, s, "missing"); !errors.Is(err, sp.ErrNotFound) {
			t.Errorf("%s of a missing record must write nothing; %s then found it (%v)", update, get, err)
		}
		if ids := collect(t, list, k.list(ctx, s), func(rec T) string { return string(k.id(rec)) }); len(ids) != 0 {
			t.Errorf("%s of a missing record must write nothing; %s then yielded %v", update, list, ids)
		}
	})
	t.Run("update_bad_version", func(t *testing.T) {
		s := newStore(t)
		rec := k.make("r1", 0)
		mustCreate(t, s, rec)
		next := rec
		k.mutate(&next)
		*k.version(&next) = 5
		if err := k.update(ctx, s, next, 1); !errors.Is(err, sp.ErrInvalid) {
			t.Errorf("%s of a record whose version is not expectedVersion+1 must fail with ErrInvalid; got %v", update, err)
		}
		if ok, diff := same(k.norm, rec, mustGet(t, s, "r1")); !ok {
			t.Errorf("%s refused must overwrite nothing:%s", update, diff)
		}
		// The largest version has no successor: the next one would wrap
		// around to the least int64.
		last := k.make("r2", 0)
		*k.version(&last) = math.MaxInt64
		mustCreate(t, s, last)
		next = last
		k.mutate(&next)
		*k.version(&next) = math.MinInt64
		if err := k.update(ctx, s, next, math.MaxInt64); !errors.Is(err, sp.ErrInvalid) {
			t.Errorf("%s of a record at the largest version must fail with ErrInvalid, as there is no version after it; got %v", update, err)
		}
		if ok, diff := same(k.norm, last, mustGet(t, s, "r2")); !ok {
			t.Errorf("%s refused must overwrite nothing:%s", update, diff)
		}
	})
	t.Run("copies_in", func(t *testing.T) {
		s := newStore(t)
		for _, rec := range append([]T{k.make("r1", 0)}, k.complete()...) {
			want := k.norm(rec)
			mustCreate(t, s, rec)
			scribble(&rec) // writes into the slices and parts the store was given
			k.mutate(&rec)
			if ok, diff := same(k.norm, want, mustGet(t, s, k.id(want))); !ok {
				t.Errorf("%s must copy the record: a change by the caller afterwards changed the store:%s", create, diff)
			}
		}
	})
	t.Run("copies_out", func(t *testing.T) {
		s := newStore(t)
		for _, rec := range append([]T{k.make("r1", 0)}, k.complete()...) {
			mustCreate(t, s, rec)
			got := mustGet(t, s, k.id(rec))
			scribble(&got)
			if ok, diff := same(k.norm, rec, mustGet(t, s, k.id(rec))); !ok {
				t.Errorf("%s must return a copy: a change by the caller changed the store:%s", get, diff)
			}
		}
		recs := map[ID]T{}
		for rec, err := range k.list(ctx, s) {
			if err != nil {
				t.Fatalf("%s: want no error, got %v", list, err)
			}
			recs[k.id(rec)] = k.norm(rec)
			scribble(&rec)
		}
		for id, want := range recs {
			if ok, diff := same(k.norm, want, mustGet(t, s, id)); !ok {
				t.Errorf("%s must yield copies: a change by the caller changed the store:%s", list, diff)
			}
		}
	})
	t.Run("list_order_and_early_stop", func(t *testing.T) {
		s := newStore(t)
		// Byte order puts "R2" first: a store that orders by a collation
		// that ignores case puts it second.
		for i, id := range []ID{"r3", "r1", "R2"} {
			mustCreate(t, s, k.make(id, i))
		}
		var ids []ID
		for rec, err := range k.list(ctx, s) {
			if err != nil {
				t.Fatalf("%s: want no error, got %v", list, err)
			}
			ids = append(ids, k.id(rec))
		}
		if want := []ID{"R2", "r1", "r3"}; !slices.Equal(ids, want) {
			t.Errorf("%s must yield every match in ascending byte order of ID: got %v, want %v", list, ids, want)
		}
		// Called directly rather than by a range loop, whose body the
		// runtime would not let the store call again.
		n := 0
		k.list(ctx, s)(func(T, error) bool {
			n++
			return false
		})
		if n != 1 {
			t.Errorf("%s must stop when the loop breaks: got %d records", list, n)
		}
		// The store then releases what it holds: an update, on a
		// goroutine of its own, must not wait on the stopped listing.
		updated := make(chan error, 1)
		go func() {
			rec, err := k.get(ctx, s, "r1")
			if err == nil {
				v := *k.version(&rec)
				k.mutate(&rec)
				*k.version(&rec) = v + 1
				err = k.update(ctx, s, rec, v)
			}
			updated <- err
		}()
		select {
		case err := <-updated:
			if err != nil {
				t.Errorf("%s and %s after an early stop of %s: want nil, got %v", get, update, list, err)
			}
		case <-time.After(stuckAfter):
			t.Fatalf("%s must release what it holds when the loop breaks: %s after an early stop still waits after %v", list, update, stuckAfter)
		}
		n = 0
		for _, err := range k.list(ctx, s) {
			if err != nil {
				t.Fatalf("%s after an early stop: %v", list, err)
			}
			n++
		}
		if n != 3 {
			t.Errorf("%s after an early stop must list everything again: got %d records, want 3", list, n)
		}
	})
	t.Run("list_while_writing", func(t *testing.T) {
		s := newStore(t)
		for i, id := range []ID{"r1", "r2"} {
			mustCreate(t, s, k.make(id, i))
		}
		// The loop runs on a goroutine of its own, so that a store that
		// makes it wait on itself fails the test instead of hanging it.
		done := make(chan []string, 1)
		go func() {
			var problems []string
			n := 0
			for rec, err := range k.list(ctx, s) {
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s whose loop body writes: want no error, got %v", list, err))
					break
				}
				n++
				cur, err := k.get(ctx, s, k.id(rec))
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s in the loop body of %s: want nil, got %v", get, list, err))
					continue
				}
				expected := *k.version(&cur)
				k.mutate(&cur)
				*k.version(&cur) = expected + 1
				if err := k.update(ctx, s, cur, expected); err != nil {
					problems = append(problems, fmt.Sprintf("%s in the loop body of %s: want nil, got %v", update, list, err))
				}
			}
			if n != 2 {
				problems = append(problems, fmt.Sprintf("%s whose loop body writes must yield each record once: got %d records, want 2", list, n))
			}
			done <- problems
		}()
		select {
		case problems := <-done:
			for _, p := range problems {
				t.Error(p)
			}
		case <-time.After(stuckAfter):
			t.Fatalf("%s must let its loop body call the store: %s and %s of the record yielded still wait after %v", list, get, update, stuckAfter)
		}
	})
	t.Run("cancelled_context", func(t *testing.T) {
		s := newStore(t)
		mustCreate(t, s, k.make("r1", 0))
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := k.get(cctx, s, "r1"); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context must fail with its error; got %v", get, err)
		}
		if err := k.create(cctx, s, k.make("r2", 0)); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context must fail with its error; got %v", create, err)
		}
		rec := k.make("r1", 1)
		*k.version(&rec) = 2
		if err := k.update(cctx, s, rec, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context must fail with its error; got %v", update, err)
		}
		n, errs := 0, 0
		for rec, err := range k.list(cctx, s) {
			n++
			if err != nil {
				errs++
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s with a cancelled context must yield its error; got %v", list, err)
				}
				var zero T
				if ok, _ := same(func(x T) T { return x }, zero, rec); !ok {
					t.Errorf("%s must yield a zero record with an error", list)
				}
			}
		}
		if n != 1 || errs != 1 {
			t.Errorf("%s with a cancelled context must yield one error and stop; got %d items, %d errors", list, n, errs)
		}
		if _, err := k.get(ctx, s, "r2"); !errors.Is(err, sp.ErrNotFound) {
			t.Errorf("%s with a cancelled context must store nothing; %s found the record (%v)", create, get, err)
		}
		if got := mustGet(t, s, "r1"); *k.version(&got) != 1 {
			t.Errorf("%s with a cancelled context must store nothing; version is %d", update, *k.version(&got))
		}
		// A context that ends while the listing runs: the store may have
		// read ahead, but it must end with the context's error.
		mustCreate(t, s, k.make("r2", 0))
		mustCreate(t, s, k.make("r3", 0))
		lctx, lcancel := context.WithCancel(ctx)
		defer lcancel()
		var last error
		n, errs = 0, 0
		withRecord := false
		for rec, err := range k.list(lctx, s) {
			n++
			lcancel()
			if last = err; err != nil {
				errs++
				var zero T
				if ok, _ := same(func(x T) T { return x }, zero, rec); !ok {
					withRecord = true
				}
			}
		}
		if errs != 1 || withRecord || !errors.Is(last, context.Canceled) {
			t.Errorf("%s whose context is cancelled while it runs must yield its error once and stop, with a zero record; got %d items, %d errors (with a record: %t), the last %v", list, n, errs, withRecord, last)
		}
	})
}

// scribble changes everything a shared slice would expose.
func scribble(rec any) {
	switch r := rec.(type) {
	case *pipeline.Inquiry:
		for i := range r.History {
			r.History[i].Reason = "scribbled"
		}
		for i := range r.Activities {
			r.Activities[i].Notes = "scribbled"
		}
	case *pipeline.Deal:
		for i := range r.History {
			r.History[i].Reason = "scribbled"
		}
		for i := range r.Activities {
			r.Activities[i].Notes = "scribbled"
		}
		for i := range r.Lines {
			r.Lines[i].Quantity = -1
		}
		if r.Service != nil {
			for i := range r.Service.Feedback {
				r.Service.Feedback[i].Text = "scribbled"
			}
			for i := range r.Service.History {
				r.Service.History[i].Reason = "scribbled"
			}
			r.Service.Stage = "scribbled"
		}
		if r.Loss != nil {
			r.Loss.Detail = "scribbled"
		}
	}
}

func collect[T any](t *testing.T, clause string, seq iter.Seq2[T, error], id func(T) string) []string {
	t.Helper()
	var ids []string
	for rec, err := range seq {
		if err != nil {
			t.Errorf("%s: want no error, got %v", clause, err)
			return ids
		}
		ids = append(ids, id(rec))
	}
	return ids
}

// eastern is a zone five hours behind UTC, in which November 2026 runs
// from 05:00 UTC on the 1st to 05:00 UTC on 1 December: a period filter
// must compare instants, not wall clocks.
func eastern() *time.Location { return time.FixedZone("UTC-5", -5*60*60) }

func testInquiryFilters(t *testing.T, s pipeline.Store) {
	ctx := context.Background()
	type spec struct {
		id       sp.InquiryID
		owner    sp.RepID
		region   sp.RegionID
		product  sp.ProductID
		channel  sp.ChannelID
		campaign sp.CampaignID
		customer sp.CustomerID
		stage    pipeline.InquiryStage
		received time.Time
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	recs := []spec{
		{id: "i1", owner: RepAnn, region: RegionNorth, product: ProductWidget, channel: ChannelPhone, campaign: CampaignFall, customer: "c1", stage: pipeline.InquiryNew, received: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{id: "i2", owner: RepBob, region: RegionSouth, product: ProductGadget, channel: ChannelWeb, customer: "c2", stage: pipeline.InquiryContacted, received: day(11, 10)},
		{id: "i3", owner: RepAnn, region: RegionSouth, product: ProductWidget, channel: ChannelWeb, campaign: CampaignFall, customer: "c3", stage: pipeline.InquiryQualified, received: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{id: "i4", region: RegionNorth, product: ProductGadget, channel: ChannelPhone, customer: "c1", stage: pipeline.InquiryDisqualified, received: day(10, 30)},
		{id: "i5", owner: RepBob, region: RegionNorth, product: ProductWidget, channel: ChannelPhone, customer: "c4", stage: pipeline.InquiryConverted, received: time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)},
	}
	for _, r := range recs {
		in := storedInquiry(r.id, 0)
		in.Owner, in.Region, in.Product, in.Channel, in.Campaign, in.Customer = r.owner, r.region, r.product, r.channel, r.campaign, r.customer
		in.Stage, in.Received = r.stage, r.received
		in.History[0].To, in.History[0].At = r.stage, r.received
		if err := s.CreateInquiry(ctx, in); err != nil {
			t.Fatalf("CreateInquiry of a new record: want nil, got %v", err)
		}
	}
	nov := sp.Month(2026, time.November, time.UTC)
	novEast := sp.Month(2026, time.November, eastern())
	tests := []filterCase[pipeline.InquiryFilter]{
		{"all", pipeline.InquiryFilter{}, []string{"i1", "i2", "i3", "i4", "i5"}},
		{"owner", pipeline.InquiryFilter{Owner: RepAnn}, []string{"i1", "i3"}},
		{"region", pipeline.InquiryFilter{Region: RegionNorth}, []string{"i1", "i4", "i5"}},
		{"product", pipeline.InquiryFilter{Product: ProductGadget}, []string{"i2", "i4"}},
		{"channel", pipeline.InquiryFilter{Channel: ChannelWeb}, []string{"i2", "i3"}},
		{"campaign", pipeline.InquiryFilter{Campaign: CampaignFall}, []string{"i1", "i3"}},
		{"customer", pipeline.InquiryFilter{Customer: "c1"}, []string{"i1", "i4"}},
		{"stages", pipeline.InquiryFilter{Stages: []pipeline.InquiryStage{pipeline.InquiryNew, pipeline.InquiryQualified}}, []string{"i1", "i3"}},
		{"stages_empty", pipeline.InquiryFilter{Stages: []pipeline.InquiryStage{}}, []string{"i1", "i2", "i3", "i4", "i5"}},
		{"received_half_open", pipeline.InquiryFilter{Received: nov}, []string{"i1", "i2", "i5"}},
		{"received_other_zone", pipeline.InquiryFilter{Received: novEast}, []string{"i2", "i3", "i5"}},
		{"after", pipeline.InquiryFilter{After: "i3"}, []string{"i4", "i5"}},
		{"after_with_fields", pipeline.InquiryFilter{Region: RegionNorth, After: "i1"}, []string{"i4", "i5"}},
		{"combined", pipeline.InquiryFilter{Owner: RepBob, Region: RegionNorth}, []string{"i5"}},
		{"no_match", pipeline.InquiryFilter{Owner: "zed"}, nil},
	}
	// A listing takes its filter when it is called, as for deals.
	t.Run("stages_not_kept", func(t *testing.T) {
		stages := []pipeline.InquiryStage{pipeline.InquiryNew, pipeline.InquiryQualified}
		seq := s.ListInquiries(ctx, pipeline.InquiryFilter{Stages: stages})
		stages[0], stages[1] = pipeline.InquiryConverted, pipeline.InquiryConverted
		clause := "ListInquiries with filter stages, then the caller's slice of stages changed"
		if got, want := collect(t, clause, seq, func(in pipeline.Inquiry) string { return string(in.ID) }), []string{"i1", "i3"}; !slices.Equal(got, want) {
			t.Errorf("%s must not keep the caller's slice: got %v, want %v", clause, got, want)
		}
	})
	checkFilters(t, "ListInquiries", tests, s.ListInquiries, func(in pipeline.Inquiry) string { return string(in.ID) },
		func(id string) (pipeline.Inquiry, error) { return s.GetInquiry(ctx, sp.InquiryID(id)) },
		func(in pipeline.Inquiry) error {
			in.Version++
			return s.UpdateInquiry(ctx, in, in.Version-1)
		})
}

func testDealFilters(t *testing.T, s pipeline.Store) {
	ctx := context.Background()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	type spec struct {
		id              sp.DealID
		owner           sp.RepID
		region          sp.RegionID
		product         sp.ProductID
		channel         sp.ChannelID
		campaign        sp.CampaignID
		customer        sp.CustomerID
		inquiry         sp.InquiryID
		pipeline        string
		stage           pipeline.DealStage
		created, closed time.Time
	}
	recs := []spec{
		{id: "d1", owner: RepAnn, region: RegionNorth, product: ProductWidget, channel: ChannelPhone, campaign: CampaignFall, customer: "c1", inquiry: "i1", stage: pipeline.DealProspecting, created: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{id: "d2", owner: RepBob, region: RegionSouth, product: ProductGadget, channel: ChannelWeb, customer: "c2", stage: pipeline.DealWon, created: day(10, 2), closed: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{id: "d3", owner: RepAnn, region: RegionSouth, product: ProductWidget, channel: ChannelWeb, customer: "c3", pipeline: "retail", stage: "shelf", created: day(11, 5)},
		{id: "d4", owner: RepBob, region: RegionNorth, product: ProductGadget, channel: ChannelPhone, campaign: CampaignFall, customer: "c1", inquiry: "i4", stage: pipeline.DealLost, created: day(11, 6), closed: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{id: "d5", owner: RepAnn, region: RegionNorth, product: ProductWidget, customer: "c4", pipeline: "retail", stage: pipeline.DealLost, created: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), closed: time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)},
	}
	for _, r := range recs {
		d := storedDeal(r.id, 0)
		d.Owner, d.Region, d.Product, d.Channel, d.Campaign, d.Customer, d.Inquiry = r.owner, r.region, r.product, r.channel, r.campaign, r.customer, r.inquiry
		d.Pipeline, d.Stage, d.Created, d.Closed = r.pipeline, r.stage, r.created, r.closed
		d.History[0].To, d.History[0].At = r.stage, r.created
		if err := s.CreateDeal(ctx, d); err != nil {
			t.Fatalf("CreateDeal of a new record: want nil, got %v", err)
		}
	}
	nov := sp.Month(2026, time.November, time.UTC)
	novEast := sp.Month(2026, time.November, eastern())
	// A period from the zero time, which holds the Closed of open deals:
	// they must not match it all the same.
	beforeDec, err := sp.NewPeriod(time.Time{}, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	tests := []filterCase[pipeline.DealFilter]{
		{"all", pipeline.DealFilter{}, []string{"d1", "d2", "d3", "d4", "d5"}},
		{"owner", pipeline.DealFilter{Owner: RepBob}, []string{"d2", "d4"}},
		{"region", pipeline.DealFilter{Region: RegionSouth}, []string{"d2", "d3"}},
		{"product", pipeline.DealFilter{Product: ProductWidget}, []string{"d1", "d3", "d5"}},
		{"channel", pipeline.DealFilter{Channel: ChannelPhone}, []string{"d1", "d4"}},
		{"campaign", pipeline.DealFilter{Campaign: CampaignFall}, []string{"d1", "d4"}},
		{"customer", pipeline.DealFilter{Customer: "c1"}, []string{"d1", "d4"}},
		{"inquiry", pipeline.DealFilter{Inquiry: "i4"}, []string{"d4"}},
		{"pipeline", pipeline.DealFilter{Pipeline: "retail"}, []string{"d3", "d5"}},
		{"stages", pipeline.DealFilter{Stages: []pipeline.DealStage{pipeline.DealWon, pipeline.DealLost}}, []string{"d2", "d4", "d5"}},
		{"stages_empty", pipeline.DealFilter{Stages: []pipeline.DealStage{}}, []string{"d1", "d2", "d3", "d4", "d5"}},
		{"created_half_open", pipeline.DealFilter{Created: nov}, []string{"d1", "d3", "d4"}},
		{"closed_half_open", pipeline.DealFilter{Closed: nov}, []string{"d2", "d5"}},
		{"created_other_zone", pipeline.DealFilter{Created: novEast}, []string{"d3", "d4", "d5"}},
		{"closed_other_zone", pipeline.DealFilter{Closed: novEast}, []string{"d4", "d5"}},
		{"closed_from_the_zero_time", pipeline.DealFilter{Closed: beforeDec}, []string{"d2", "d5"}},
		{"after", pipeline.DealFilter{After: "d2"}, []string{"d3", "d4", "d5"}},
		{"after_with_fields", pipeline.DealFilter{Owner: RepAnn, After: "d1"}, []string{"d3", "d5"}},
		{"combined", pipeline.DealFilter{Owner: RepAnn, Region: RegionNorth, Stages: []pipeline.DealStage{pipeline.DealLost}}, []string{"d5"}},
		{"no_match", pipeline.DealFilter{Region: "west"}, nil},
	}
	// A listing takes its filter when it is called: a caller that reuses
	// the slice of stages (a buffer) before it ranges the listing, or
	// between two rangings, changes what it yields no more than a
	// caller that changes a record it created.
	t.Run("stages_not_kept", func(t *testing.T) {
		stages := []pipeline.DealStage{pipeline.DealWon, pipeline.DealLost}
		seq := s.ListDeals(ctx, pipeline.DealFilter{Stages: stages})
		stages[0], stages[1] = pipeline.DealProspecting, pipeline.DealProspecting
		clause := "ListDeals with filter stages, then the caller's slice of stages changed"
		if got, want := collect(t, clause, seq, func(d pipeline.Deal) string { return string(d.ID) }), []string{"d2", "d4", "d5"}; !slices.Equal(got, want) {
			t.Errorf("%s must not keep the caller's slice: got %v, want %v", clause, got, want)
		}
	})
	checkFilters(t, "ListDeals", tests, s.ListDeals, func(d pipeline.Deal) string { return string(d.ID) },
		func(id string) (pipeline.Deal, error) { return s.GetDeal(ctx, sp.DealID(id)) },
		func(d pipeline.Deal) error {
			d.Version++
			return s.UpdateDeal(ctx, d, d.Version-1)
		})
}

// filterCase is a filter of a listing and the IDs it must yield, in order.
type filterCase[F any] struct {
	name string
	f    F
	want []string
}

// checkFilters runs each case as a subtest: list must yield exactly the
// IDs the case wants, in order, each of a record that the filter's own
// Match takes (get reads a record by its ID), and the listing must end
// when its context is canceled or its caller stops, even while rewrite,
// given the first match, writes that record anew (see listingEnds). A
// store found holding what a stopped listing took is not listed again,
// lest the listing wait on the update left waiting.
func checkFilters[T any, F interface{ Match(T) bool }](t *testing.T, listing string, cases []filterCase[F],
	list func(context.Context, F) iter.Seq2[T, error], id func(T) string, get func(string) (T, error), rewrite func(T) error) {
	t.Helper()
	ctx := context.Background()
	stuck := false
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clause := listing + " with filter " + tc.name
			got := collect(t, clause, list(ctx, tc.f), id)
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s must yield exactly the matches in ID order: got %v, want %v", clause, got, tc.want)
			}
			for _, id := range got {
				rec, _ := get(id)
				if !tc.f.Match(rec) {
					t.Errorf("%s yielded %s, which %T.Match refuses", clause, id, tc.f)
				}
			}
			if stuck {
				return
			}
			stuck = !listingEnds(t, clause, func(ctx context.Context) iter.Seq2[T, error] { return list(ctx, tc.f) },
				len(tc.want), func() error {
					if len(tc.want) == 0 {
						return nil
					}
					rec, err := get(tc.want[0])
					if err != nil {
						return err
					}
					return rewrite(rec)
				})
		})
	}
}

func testIdempotency(t *testing.T, s pipeline.Store) {
	is, ok := s.(pipeline.IdempotencyStore)
	if !ok {
		t.Skip("the store does not implement pipeline.IdempotencyStore")
	}
	ctx := context.Background()
	if _, err := is.GetOutcome(ctx, "k1"); !errors.Is(err, sp.ErrNotFound) {
		t.Errorf("GetOutcome of a missing key must fail with ErrNotFound; got %v", err)
	}
	o := pipeline.Outcome{Key: "k1", Command: pipeline.CmdWin, Fingerprint: "f1", Subject: "d1", Version: 3, Result: json.RawMessage(`{"id":"d1"}`), At: Epoch()}
	if err := is.AddOutcome(ctx, o); err != nil {
		t.Fatalf("AddOutcome of a new key: want nil, got %v", err)
	}
	o.Result[2] = 'X' // the store must have copied it
	o2 := o
	o2.Fingerprint, o2.Result = "f2", json.RawMessage(`{}`)
	if err := is.AddOutcome(ctx, o2); !errors.Is(err, sp.ErrDuplicate) {
		t.Errorf("AddOutcome of a recorded key must fail with ErrDuplicate; got %v", err)
	}
	got, err := is.GetOutcome(ctx, "k1")
	if err != nil {
		t.Fatalf("GetOutcome of a recorded key: want nil, got %v", err)
	}
	if got.Key != "k1" || got.Fingerprint != "f1" || got.Command != pipeline.CmdWin || got.Subject != "d1" || got.Version != 3 ||
		string(got.Result) != `{"id":"d1"}` || !got.At.Equal(Epoch()) {
		t.Errorf("GetOutcome must return the first outcome recorded, copied: got %+v", got)
	}
	if len(got.Result) > 2 {
		got.Result[2] = 'Y'
		if again, err := is.GetOutcome(ctx, "k1"); err != nil || string(again.Result) != `{"id":"d1"}` {
			t.Errorf("GetOutcome must return a copy of Result: a change by the caller changed the store: got %s (%v)", again.Result, err)
		}
	}
	won := race(func(i int) error {
		return is.AddOutcome(ctx, pipeline.Outcome{Key: "k-raced", Command: pipeline.CmdWin, Fingerprint: fmt.Sprint("f", i),
			Subject: "d1", Version: 2, Result: json.RawMessage(`{}`), At: Epoch()})
	})
	if n := len(won); n != 1 {
		t.Errorf("AddOutcome: of concurrent calls with one key exactly one must succeed and the others fail with ErrDuplicate: %d succeeded (%v)", n, won)
	} else if got, err := is.GetOutcome(ctx, "k-raced"); err != nil || got.Fingerprint != fmt.Sprint("f", won[0]) {
		t.Errorf("AddOutcome: of concurrent calls with one key the one that succeeded must be kept: got %q (%v), want %q", got.Fingerprint, err, fmt.Sprint("f", won[0]))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := is.GetOutcome(cctx, "k1"); !errors.Is(err, context.Canceled) {
		t.Errorf("GetOutcome with a cancelled context must fail with its error; got %v", err)
	}
	if err := is.AddOutcome(cctx, pipeline.Outcome{Key: "k2"}); !errors.Is(err, context.Canceled) {
		t.Errorf("AddOutcome with a cancelled context must fail with its error; got %v", err)
	}
	if _, err := is.GetOutcome(ctx, "k2"); !errors.Is(err, sp.ErrNotFound) {
		t.Errorf("AddOutcome with a cancelled context must store nothing; GetOutcome found the key (%v)", err)
	}
}

func testTransactions(t *testing.T, s pipeline.Store) {
	tr, ok := s.(pipeline.Transactor)
	if !ok {
		t.Skip("the store does not implement pipeline.Transactor")
	}
	// A value in the caller's context, which the Policy and the
	// Eligibility must see in the transaction.
	ctx := context.WithValue(context.Background(), txValueKey{}, "the caller's")
	_, keepsOutcomes := s.(pipeline.IdempotencyStore)
	err := tr.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		if got := ctx.Value(txValueKey{}); got != "the caller's" {
			t.Errorf("Atomically must give its function the caller's context or one derived from it: a value the caller put there reads %v", got)
		}
		if _, ok := tx.(pipeline.IdempotencyStore); keepsOutcomes && !ok {
			t.Errorf("Atomically must give a Store that implements pipeline.IdempotencyStore when the store does, so that outcomes are written in the transaction; got %T", tx)
		}
		if err := tx.CreateInquiry(ctx, storedInquiry("i1", 0)); err != nil {
			return err
		}
		if err := tx.CreateDeal(ctx, storedDeal("d1", 0)); err != nil {
			return err
		}
		if _, err := tx.GetDeal(ctx, "d1"); err != nil {
			return fmt.Errorf("Atomically: a read in the transaction must see its writes: %w", err)
		}
		if err := tx.CreateDeal(ctx, storedDeal("d0", 0)); err != nil {
			return err
		}
		if is, ok := tx.(pipeline.IdempotencyStore); ok {
			if err := is.AddOutcome(ctx, pipeline.Outcome{Key: "k-committed", Subject: "d1", Version: 1}); err != nil {
				return err
			}
		}
		testTxStore(t, ctx, tx)
		return nil
	})
	if err != nil {
		t.Fatalf("Atomically with a function that succeeds: want nil, got %v", err)
	}
	if _, err := s.GetInquiry(ctx, "i1"); err != nil {
		t.Errorf("Atomically must commit every write of a function that succeeds; GetInquiry: %v", err)
	}
	if _, err := s.GetDeal(ctx, "d1"); err != nil {
		t.Errorf("Atomically must commit every write of a function that succeeds; GetDeal: %v", err)
	}
	if is, ok := s.(pipeline.IdempotencyStore); ok {
		if _, err := is.GetOutcome(ctx, "k-committed"); err != nil {
			t.Errorf("Atomically must commit every write of a function that succeeds; GetOutcome: %v", err)
		}
	}
	if _, err := s.GetInquiry(ctx, "i-cancelled"); !errors.Is(err, sp.ErrNotFound) {
		t.Errorf("CreateInquiry in a transaction with a cancelled context must store nothing; GetInquiry found the record (%v)", err)
	}
	boom := errors.New("boom")
	err = tr.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		if err := tx.CreateDeal(ctx, storedDeal("d2", 0)); err != nil {
			return err
		}
		if err := tx.CreateInquiry(ctx, storedInquiry("i2", 0)); err != nil {
			return err
		}
		in, err := tx.GetInquiry(ctx, "i1")
		if err != nil {
			return err
		}
		in.Version, in.Owner = 2, RepBob
		if err := tx.UpdateInquiry(ctx, in, 1); err != nil {
			return err
		}
		d, err := tx.GetDeal(ctx, "d1")
		if err != nil {
			return err
		}
		d.Version = 2
		d.Owner = RepBob
		if err := tx.UpdateDeal(ctx, d, 1); err != nil {
			return err
		}
		if is, ok := tx.(pipeline.IdempotencyStore); ok {
			if err := is.AddOutcome(ctx, pipeline.Outcome{Key: "k-rolled-back"}); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Atomically must return the error of its function; got %v", err)
	}
	if _, err := s.GetDeal(ctx, "d2"); !errors.Is(err, sp.ErrNotFound) {
		t.Errorf("Atomically must discard the writes of a function that fails; a created deal was kept (%v)", err)
	}
	if d, _ := s.GetDeal(ctx, "d1"); d.Version != 1 || d.Owner != RepAnn {
		t.Errorf("Atomically must discard the writes of a function that fails; an update was kept (version %d)", d.Version)
	}
	if _, err := s.GetInquiry(ctx, "i2"); !errors.Is(err, sp.ErrNotFound) {
		t.Errorf("Atomically must discard the writes of a function that fails; a created inquiry was kept (%v)", err)
	}
	if in, _ := s.GetInquiry(ctx, "i1"); in.Version != 1 || in.Owner != RepAnn {
		t.Errorf("Atomically must discard the writes of a function that fails; an inquiry update was kept (version %d)", in.Version)
	}
	if is, ok := s.(pipeline.IdempotencyStore); ok {
		if _, err := is.GetOutcome(ctx, "k-rolled-back"); !errors.Is(err, sp.ErrNotFound) {
			t.Errorf("Atomically must discard an outcome written by a function that fails (%v)", err)
		}
	}
	// An outcome already recorded is a duplicate in a transaction too: the
	// isolation the engine needs of a keyed command rests on it (see
	// pipeline.Transactor).
	if is, ok := s.(pipeline.IdempotencyStore); ok {
		err = tr.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			txis, ok := tx.(pipeline.IdempotencyStore)
			if !ok {
				return nil // reported above
			}
			return txis.AddOutcome(ctx, pipeline.Outcome{Key: "k-committed", Subject: "d9", Version: 7})
		})
		if !errors.Is(err, sp.ErrDuplicate) {
			t.Errorf("AddOutcome in a transaction of a key already recorded must fail with ErrDuplicate; got %v", err)
		}
		if o, err := is.GetOutcome(ctx, "k-committed"); err != nil || o.Subject != "d1" {
			t.Errorf("AddOutcome in a transaction of a key already recorded must keep the first outcome; got subject %q (%v)", o.Subject, err)
		}
	}
	// The Store of a transaction keeps the contract of the store: an update
	// with a stale expected version is a conflict there too, and the
	// transaction that goes on after it stores nothing of it.
	err = tr.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		in, err := tx.GetInquiry(ctx, "i1")
		if err != nil {
			return err
		}
		in.Owner, in.Version = RepBob, 3
		if err := tx.UpdateInquiry(ctx, in, 2); !errors.Is(err, sp.ErrConflict) {
			t.Errorf("UpdateInquiry in a transaction with a stale expected version must fail with ErrConflict; got %v", err)
		}
		d, err := tx.GetDeal(ctx, "d1")
		if err != nil {
			return err
		}
		d.Owner, d.Version = RepBob, 3
		if err := tx.UpdateDeal(ctx, d, 2); !errors.Is(err, sp.ErrConflict) {
			t.Errorf("UpdateDeal in a transaction with a stale expected version must fail with ErrConflict; got %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Atomically with a function that succeeds: want nil, got %v", err)
	}
	if in, _ := s.GetInquiry(ctx, "i1"); in.Version != 1 || in.Owner != RepAnn {
		t.Errorf("UpdateInquiry in a transaction with a stale expected version must overwrite nothing (version %d)", in.Version)
	}
	if d, _ := s.GetDeal(ctx, "d1"); d.Version != 1 || d.Owner != RepAnn {
		t.Errorf("UpdateDeal in a transaction with a stale expected version must overwrite nothing (version %d)", d.Version)
	}
	// The Store of a transaction is safe for concurrent use, as a Store
	// is: of concurrent creates of one ID exactly one succeeds, and
	// concurrent creates of distinct IDs all commit.
	const racers = 8
	err = tr.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		errs := make([]error, 2*racers)
		together(racers, func(i int) {
			errs[2*i] = tx.CreateInquiry(ctx, storedInquiry("i-race", i))
			errs[2*i+1] = tx.CreateDeal(ctx, storedDeal(sp.DealID(fmt.Sprintf("d-race-%d", i)), i))
		})
		won := 0
		for i := range racers {
			switch err := errs[2*i]; {
			case err == nil:
				won++
			case !errors.Is(err, sp.ErrDuplicate):
				t.Errorf("CreateInquiry in a transaction that loses a race for one ID must fail with ErrDuplicate; got %v", err)
			}
			if err := errs[2*i+1]; err != nil {
				t.Errorf("CreateDeal in a transaction, among concurrent creates: want nil, got %v", err)
			}
		}
		if won != 1 {
			t.Errorf("of concurrent CreateInquiry calls with one ID in a transaction exactly one must succeed: %d did", won)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Atomically with a function that succeeds: want nil, got %v", err)
	}
	for i := range racers {
		if _, err := s.GetDeal(ctx, sp.DealID(fmt.Sprintf("d-race-%d", i))); err != nil {
			t.Errorf("Atomically must commit every write of concurrent calls of its Store; GetDeal: %v", err)
		}
	}
}

// testInTransaction runs the tests of the records and of the filters on
// the Store of a transaction, which keeps the contract of the store: a
// create of an existing ID is a duplicate there too (not an upsert), an
// update checks the version and copies what it is given, a listing
// filters.
func testInTransaction(t *testing.T, newStore func(t *testing.T) pipeline.Store) {
	if _, ok := newStore(t).(pipeline.Transactor); !ok {
		t.Skip("the store does not implement pipeline.Transactor")
	}
	inTx := inTransaction(newStore)
	t.Run("inquiries", func(t *testing.T) { runRecordTests(t, inTx, inquiryKit()) })
	t.Run("deals", func(t *testing.T) { runRecordTests(t, inTx, dealKit()) })
	t.Run("inquiry_filters", func(t *testing.T) { testInquiryFilters(t, inTx(t)) })
	t.Run("deal_filters", func(t *testing.T) { testDealFilters(t, inTx(t)) })
}

// inTransaction returns a newStore whose Store is that of a transaction
// on a new store of newStore, a [pipeline.Transactor]. The transaction is
// open until the test ends, and then commits.
func inTransaction(newStore func(t *testing.T) pipeline.Store) func(t *testing.T) pipeline.Store {
	return func(t *testing.T) pipeline.Store {
		t.Helper()
		tr := newStore(t).(pipeline.Transactor)
		stores := make(chan pipeline.Store, 1)
		end := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- tr.Atomically(context.Background(), func(_ context.Context, tx pipeline.Store) error {
				stores <- tx
				<-end
				return nil
			})
		}()
		select {
		case tx := <-stores:
			t.Cleanup(func() {
				close(end)
				if err := <-done; err != nil {
					t.Errorf("Atomically with a function that succeeds: want nil, got %v", err)
				}
			})
			return tx
		case err := <-done:
			t.Fatalf("Atomically did not run its function: %v", err)
			return nil
		}
	}
}

// txValueKey is the key of the value testTransactions puts in the
// context it gives Atomically.
type txValueKey struct{}

// testTxStore checks, in a transaction that has created inquiry i1 and
// deals d0 and d1, that the transaction's Store keeps the contract of the
// store: its reads and listings see the transaction's writes, in ID order;
// its listings, with a filter or without, stop when the loop breaks or,
// with its error, when the context ends while they run, and let their loop
// body read and write (it creates inquiries i-loop-d0 and i-loop-d1); its
// methods fail with the error of a cancelled context and store nothing.
func testTxStore(t *testing.T, ctx context.Context, tx pipeline.Store) {
	t.Helper()
	ids := collect(t, "ListDeals in a transaction", tx.ListDeals(ctx, pipeline.DealFilter{}), func(d pipeline.Deal) string { return string(d.ID) })
	if want := []string{"d0", "d1"}; !slices.Equal(ids, want) {
		t.Errorf("ListDeals in a transaction must see its writes, in ID order: got %v, want %v", ids, want)
	}
	if _, err := tx.GetInquiry(ctx, "i1"); err != nil {
		t.Errorf("GetInquiry in a transaction must see its writes: %v", err)
	}
	ids = collect(t, "ListInquiries in a transaction", tx.ListInquiries(ctx, pipeline.InquiryFilter{}), func(in pipeline.Inquiry) string { return string(in.ID) })
	if want := []string{"i1"}; !slices.Equal(ids, want) {
		t.Errorf("ListInquiries in a transaction must see its writes: got %v, want %v", ids, want)
	}
	// A loop that breaks at the first record, with a filter too, which a
	// store may read another way.
	stopsAtBreak(t, "ListDeals in a transaction", tx.ListDeals(ctx, pipeline.DealFilter{}))
	stopsAtBreak(t, "ListDeals with a filter in a transaction", tx.ListDeals(ctx, pipeline.DealFilter{Owner: RepAnn}))
	// A loop body that reads and writes through the transaction's Store,
	// on a goroutine of its own, so that a store that makes it wait on
	// itself fails the test instead of hanging it.
	done := make(chan []string, 1)
	go func() {
		var problems []string
		n := 0
		for d, err := range tx.ListDeals(ctx, pipeline.DealFilter{}) {
			if err != nil {
				problems = append(problems, fmt.Sprintf("ListDeals in a transaction whose loop body writes: want no error, got %v", err))
				break
			}
			n++
			if _, err := tx.GetDeal(ctx, d.ID); err != nil {
				problems = append(problems, fmt.Sprintf("GetDeal in the loop body of ListDeals in a transaction: want nil, got %v", err))
			}
			if err := tx.CreateInquiry(ctx, storedInquiry(sp.InquiryID("i-loop-"+d.ID), 0)); err != nil {
				problems = append(problems, fmt.Sprintf("CreateInquiry in the loop body of ListDeals in a transaction: want nil, got %v", err))
			}
		}
		if n != 2 {
			problems = append(problems, fmt.Sprintf("ListDeals in a transaction whose loop body writes must yield each record once: got %d records, want 2", n))
		}
		done <- problems
	}()
	select {
	case problems := <-done:
		for _, p := range problems {
			t.Error(p)
		}
	case <-time.After(stuckAfter):
		t.Errorf("ListDeals in a transaction must let its loop body call the transaction's Store: GetDeal and CreateInquiry still wait after %v", stuckAfter)
		return
	}
	// The inquiries, now three, when the loop breaks.
	stopsAtBreak(t, "ListInquiries in a transaction", tx.ListInquiries(ctx, pipeline.InquiryFilter{}))
	stopsAtBreak(t, "ListInquiries with a filter in a transaction", tx.ListInquiries(ctx, pipeline.InquiryFilter{Owner: RepAnn}))
	// A context that ends while the listing runs: it must end with the
	// context's error, once and with a zero record, as a listing on the
	// store does.
	cancelledWhileListing(t, ctx, "ListDeals in a transaction", func(ctx context.Context) iter.Seq2[pipeline.Deal, error] {
		return tx.ListDeals(ctx, pipeline.DealFilter{})
	})
	cancelledWhileListing(t, ctx, "ListInquiries in a transaction", func(ctx context.Context) iter.Seq2[pipeline.Inquiry, error] {
		return tx.ListInquiries(ctx, pipeline.InquiryFilter{})
	})
	// And with a filter, which a store may read another way.
	cancelledWhileListing(t, ctx, "ListDeals with a filter in a transaction", func(ctx context.Context) iter.Seq2[pipeline.Deal, error] {
		return tx.ListDeals(ctx, pipeline.DealFilter{Owner: RepAnn})
	})
	cancelledWhileListing(t, ctx, "ListInquiries with a filter in a transaction", func(ctx context.Context) iter.Seq2[pipeline.Inquiry, error] {
		return tx.ListInquiries(ctx, pipeline.InquiryFilter{Owner: RepAnn})
	})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, errGet := tx.GetDeal(cctx, "d1")
	_, errGetInq := tx.GetInquiry(cctx, "i1")
	d := storedDeal("d1", 1)
	d.Version = 2
	in := storedInquiry("i1", 1)
	in.Version = 2
	type check struct {
		name string
		err  error
	}
	checks := []check{
		{"GetDeal", errGet},
		{"GetInquiry", errGetInq},
		{"CreateInquiry", tx.CreateInquiry(cctx, storedInquiry("i-cancelled", 0))},
		{"CreateDeal", tx.CreateDeal(cctx, storedDeal("d-cancelled", 0))},
		{"UpdateInquiry", tx.UpdateInquiry(cctx, in, 1)},
		{"UpdateDeal", tx.UpdateDeal(cctx, d, 1)},
		{"ListInquiries", firstErr(tx.ListInquiries(cctx, pipeline.InquiryFilter{}))},
		{"ListDeals", firstErr(tx.ListDeals(cctx, pipeline.DealFilter{}))},
		{"ListInquiries with a filter", firstErr(tx.ListInquiries(cctx, pipeline.InquiryFilter{Owner: RepAnn}))},
		{"ListDeals with a filter", firstErr(tx.ListDeals(cctx, pipeline.DealFilter{Owner: RepAnn}))},
	}
	is, keepsOutcomes := tx.(pipeline.IdempotencyStore)
	if keepsOutcomes {
		_, err := is.GetOutcome(cctx, "k-committed")
		checks = append(checks, check{"GetOutcome", err},
			check{"AddOutcome", is.AddOutcome(cctx, pipeline.Outcome{Key: "k-cancelled", Subject: "d1", Version: 1})})
	}
	for _, c := range checks {
		if !errors.Is(c.err, context.Canceled) {
			t.Errorf("%s in a transaction with a cancelled context must fail with its error; got %v", c.name, c.err)
		}
	}
	if got, err := tx.GetDeal(ctx, "d1"); err != nil || got.Version != 1 {
		t.Errorf("UpdateDeal in a transaction with a cancelled context must store nothing; version %d (%v)", got.Version, err)
	}
	if got, err := tx.GetInquiry(ctx, "i1"); err != nil || got.Version != 1 {
		t.Errorf("UpdateInquiry in a transaction with a cancelled context must store nothing; version %d (%v)", got.Version, err)
	}
	if _, err := tx.GetDeal(ctx, "d-cancelled"); !errors.Is(err, sp.ErrNotFound) {
		t.Errorf("CreateDeal in a transaction with a cancelled context must store nothing; GetDeal found the record (%v)", err)
	}
	if keepsOutcomes {
		if _, err := is.GetOutcome(ctx, "k-cancelled"); !errors.Is(err, sp.ErrNotFound) {
			t.Errorf("AddOutcome in a transaction with a cancelled context must store nothing; GetOutcome found the key (%v)", err)
		}
	}
}

// stopsAtBreak checks that seq, a listing of at least one record, ends
// when the loop breaks at its first record.
func stopsAtBreak[T any](t *testing.T, list string, seq iter.Seq2[T, error]) {
	t.Helper()
	// Called directly rather than by a range loop, whose body the runtime
	// would not let the store call again.
	n := 0
	seq(func(T, error) bool {
		n++
		return false
	})
	if n != 1 {
		t.Errorf("%s must stop when the loop breaks: got %d records", list, n)
	}
}

// cancelledWhileListing runs the listing list gives for a context derived
// from ctx and cancels that context at its first record: the listing, of
// at least two records, must then yield the context's error once, with a
// zero record, and stop.
func cancelledWhileListing[T any](t *testing.T, ctx context.Context, list string, seq func(context.Context) iter.Seq2[T, error]) {
	t.Helper()
	lctx, lcancel := context.WithCancel(ctx)
	defer lcancel()
	var last error
	n, errs := 0, 0
	withRecord := false
	for rec, err := range seq(lctx) {
		n++
		lcancel()
		if last = err; err != nil {
			errs++
			var zero T
			if ok, _ := same(func(x T) T { return x }, zero, rec); !ok {
				withRecord = true
			}
		}
	}
	if errs != 1 || withRecord || !errors.Is(last, context.Canceled) {
		t.Errorf("%s whose context is cancelled while it runs must yield its error once and stop, with a zero record; got %d items, %d errors (with a record: %t), the last %v", list, n, errs, withRecord, last)
	}
}

// listingEnds checks, of a filtered listing that matches n records, the
// clauses on a done context and on an early stop that runRecordTests
// checks of the listing of every record: done when the listing starts, the
// context's error is all it yields; done while it runs (of at least two
// records), it yields that error once, with a zero record, and stops; a
// loop that breaks at the first record ends it, and the store then
// releases what it holds: rewrite, an update run on a goroutine of its own,
// must not wait on the stopped listing. seq gives the listing for a
// context. It reports false when the store still holds what it took, which
// later calls may then wait on.
func listingEnds[T any](t *testing.T, list string, seq func(context.Context) iter.Seq2[T, error], n int, rewrite func() error) bool {
	t.Helper()
	ctx := context.Background()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	pairs, errs, withRecord := 0, 0, false
	var first error
	for rec, err := range seq(cctx) {
		pairs++
		if err != nil {
			errs++
			if first == nil {
				first = err
			}
			var zero T
			if ok, _ := same(func(x T) T { return x }, zero, rec); !ok {
				withRecord = true
			}
		}
	}
	if pairs != 1 || errs != 1 || withRecord || !errors.Is(first, context.Canceled) {
		t.Errorf("%s with a cancelled context must yield its error alone, with a zero record, and stop; got %d items, %d errors (with a record: %t), the first %v", list, pairs, errs, withRecord, first)
	}
	if n >= 2 {
		cancelledWhileListing(t, ctx, list, seq)
	}
	if n < 1 {
		return true
	}
	// Called directly rather than by a range loop, whose body the runtime
	// would not let the store call again.
	pairs = 0
	seq(ctx)(func(T, error) bool {
		pairs++
		return false
	})
	if pairs != 1 {
		t.Errorf("%s must stop when the loop breaks: got %d records", list, pairs)
	}
	updated := make(chan error, 1)
	go func() { updated <- rewrite() }()
	select {
	case err := <-updated:
		if err != nil {
			t.Errorf("an update after an early stop of %s: want nil, got %v", list, err)
		}
	case <-time.After(stuckAfter):
		t.Errorf("%s must release what it holds when the loop breaks: an update after an early stop still waits after %v", list, stuckAfter)
		return false
	}
	return true
}

// firstErr returns the first error seq yields, or nil.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// pingPong is a pipeline whose deals move back and forth between two open
// stages, so that every writer of the concurrency test has a move to make.
func pingPong() *pipeline.Definition {
	return pipeline.MustDefinition(pipeline.Spec{
		Name: "ping_pong",
		Stages: []pipeline.StageSpec{
			{Key: "ping", Order: 1, Kind: pipeline.KindOpen, Probability: decimal.New(3, -1)},
			{Key: "pong", Order: 2, Kind: pipeline.KindOpen, Probability: decimal.New(6, -1)},
			{Key: "won", Order: 3, Kind: pipeline.KindWon},
			{Key: "lost", Order: 4, Kind: pipeline.KindLost},
		},
		Backward: true,
	})
}

func testConcurrentWriters(t *testing.T, s pipeline.Store, writers int, events eventReader) {
	ctx := context.Background()
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: NewClock(), Pipelines: []*pipeline.Definition{pingPong()}})
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeal("contended")
	d.Pipeline = "ping_pong"
	if _, err := e.OpenDeal(ctx, System(), d, nil); err != nil {
		t.Fatalf("OpenDeal: %v", err)
	}
	// A conflict or a stage changed: another writer got there first, so
	// reload and retry.
	retry := func(err error) bool { return errors.Is(err, sp.ErrConflict) || errors.Is(err, sp.ErrInvalidTransition) }
	read := func() error {
		for _, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
			if err != nil {
				return fmt.Errorf("ListDeals while other goroutines write must not fail: %w", err)
			}
		}
		return nil
	}
	contend(t, writers, retry, read, func(w int) error {
		cur, err := e.GetDeal(ctx, "contended")
		if err != nil {
			return fmt.Errorf("GetDeal: %w", err)
		}
		to := pipeline.DealStage("pong")
		if cur.Stage == "pong" {
			to = "ping"
		}
		if _, err := e.Advance(ctx, System(), "contended", to, &pipeline.CommandOptions{Reason: writerName(w)}); err != nil {
			return fmt.Errorf("advance to %s: %w", to, err)
		}
		return nil
	})
	final, err := s.GetDeal(ctx, "contended")
	if err != nil {
		t.Fatalf("GetDeal: %v", err)
	}
	if want := int64(1 + writers); final.Version != want {
		t.Errorf("UpdateDeal must let exactly one of concurrent updates with the same expected version succeed: version %d after %d successful commands, want %d", final.Version, writers, want)
	}
	seen := map[string]int{}
	for _, tr := range final.History[1:] {
		seen[tr.Reason]++
	}
	if lost := notOnce(seen, writers); len(lost) > 0 {
		t.Errorf("UpdateDeal lost or duplicated successful updates; every writer must appear once in the history: %s", strings.Join(lost, ", "))
	}
	if err := pipeline.CheckHistory(final.Stage, final.History); err != nil {
		t.Errorf("UpdateDeal must keep the history whole: %v", err)
	}
	if !hasOutbox(s) {
		return
	}
	got := events(t, s)
	if want := 1 + writers; len(got) != want {
		t.Errorf("AppendEvent in a transaction must be kept if it commits and discarded if it fails: %d events after %d successful commands of concurrent writers, want %d", len(got), want, want)
	}
}

// testConcurrentInquiryWriters has writers goroutines log an activity each
// on one inquiry through an engine, retrying on conflict: every activity
// must be kept, none lost.
func testConcurrentInquiryWriters(t *testing.T, s pipeline.Store, writers int, events eventReader) {
	ctx := context.Background()
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: NewClock()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ReceiveInquiry(ctx, System(), NewInquiry("contended"), nil); err != nil {
		t.Fatalf("ReceiveInquiry: %v", err)
	}
	// A conflict: another writer got there first, so retry.
	retry := func(err error) bool { return errors.Is(err, sp.ErrConflict) }
	read := func() error {
		for _, err := range s.ListInquiries(ctx, pipeline.InquiryFilter{}) {
			if err != nil {
				return fmt.Errorf("ListInquiries while other goroutines write must not fail: %w", err)
			}
		}
		return nil
	}
	contend(t, writers, retry, read, func(w int) error {
		a := pipeline.Activity{ID: writerName(w), Kind: pipeline.ActivityCall, Done: Epoch()}
		if _, err := e.LogInquiryActivity(ctx, System(), "contended", a, nil); err != nil {
			return fmt.Errorf("LogInquiryActivity: %w", err)
		}
		return nil
	})
	final, err := s.GetInquiry(ctx, "contended")
	if err != nil {
		t.Fatalf("GetInquiry: %v", err)
	}
	if want := int64(1 + writers); final.Version != want {
		t.Errorf("UpdateInquiry must let exactly one of concurrent updates with the same expected version succeed: version %d after %d successful commands, want %d", final.Version, writers, want)
	}
	seen := map[string]int{}
	for _, a := range final.Activities {
		seen[a.ID]++
	}
	if lost := notOnce(seen, writers); len(lost) > 0 {
		t.Errorf("UpdateInquiry lost or duplicated successful updates; every writer's activity must be kept once: %s", strings.Join(lost, ", "))
	}
	if !hasOutbox(s) {
		return
	}
	if got := events(t, s); len(got) != 1+writers {
		t.Errorf("AppendEvent in a transaction must be kept if it commits and discarded if it fails: %d events after %d successful commands of concurrent writers, want %d", len(got), 1+writers, 1+writers)
	}
}

// testTransactionsBesideWriters runs transactions that update one deal,
// one after another, while writers goroutines log an activity each on one
// inquiry through an engine, retrying on conflict: a transaction that
// commits must not undo or lose the writes made beside it, nor they its.
func testTransactionsBesideWriters(t *testing.T, s pipeline.Store, writers int) {
	tr, ok := s.(pipeline.Transactor)
	if !ok {
		t.Skip("the store does not implement pipeline.Transactor")
	}
	ctx := context.Background()
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: NewClock()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ReceiveInquiry(ctx, System(), NewInquiry("beside"), nil); err != nil {
		t.Fatalf("ReceiveInquiry: %v", err)
	}
	if _, err := e.OpenDeal(ctx, System(), NewDeal("in-tx"), nil); err != nil {
		t.Fatalf("OpenDeal: %v", err)
	}
	besideOnce(t, e, tr, s)
	// Then one transaction at a time updates the deal, until the writers
	// are done (and at least a few times): each reads it, bumps its
	// version and writes it back.
	done := make(chan struct{})
	commits := int64(1) // besideOnce's
	var txErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-done:
				if i >= 8 {
					return
				}
			default:
			}
			err := tr.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
				d, err := tx.GetDeal(ctx, "in-tx")
				if err != nil {
					return err
				}
				d.Version++
				return tx.UpdateDeal(ctx, d, d.Version-1)
			})
			switch {
			case err == nil:
				commits++
			case !errors.Is(err, sp.ErrConflict):
				txErr = err
				return
			}
		}
	}()
	contend(t, writers, func(err error) bool { return errors.Is(err, sp.ErrConflict) }, func() error { return nil }, func(w int) error {
		a := pipeline.Activity{ID: writerName(w), Kind: pipeline.ActivityCall, Done: Epoch()}
		if _, err := e.LogInquiryActivity(ctx, System(), "beside", a, nil); err != nil {
			return fmt.Errorf("LogInquiryActivity: %w", err)
		}
		return nil
	})
	close(done)
	wg.Wait()
	if txErr != nil {
		t.Fatalf("Atomically updating one deal while other goroutines write another record must not fail but with ErrConflict: %v", txErr)
	}
	final, err := s.GetInquiry(ctx, "beside")
	if err != nil {
		t.Fatalf("GetInquiry: %v", err)
	}
	seen := map[string]int{}
	for _, a := range final.Activities {
		seen[a.ID]++
	}
	if lost := notOnce(seen, writers); len(lost) > 0 || final.Version != int64(1+writers) {
		t.Errorf("Atomically must not undo or lose the writes made outside the transaction while it ran: inquiry at version %d after %d successful commands, want %d; every writer's activity must be kept once: %s",
			final.Version, writers, 1+writers, strings.Join(lost, ", "))
	}
	d, err := s.GetDeal(ctx, "in-tx")
	if err != nil {
		t.Fatalf("GetDeal: %v", err)
	}
	if d.Version != 1+commits {
		t.Errorf("Atomically must keep the writes of every transaction that commits: deal at version %d after %d committed updates, want %d", d.Version, commits, 1+commits)
	}
}

// distinctSteps is the number of commands each writer of
// [testDistinctRecords] runs, and distinctEvents the number of events they
// emit (a conversion emits two).
const (
	distinctSteps  = 7
	distinctEvents = distinctSteps + 1
)

// testDistinctRecords has writers goroutines each take an inquiry of its
// own through an engine, from its receipt to the won deal it converts to,
// without retrying: as no two of them write the same record or key, no
// command may fail, and every record must end whole. With an
// [pipeline.IdempotencyStore] the keyed commands (receive, contact,
// convert, win) each record their outcome, in a transaction of their own
// when the store is a [pipeline.Transactor], as a conversion is; with an
// outbox every command runs in one.
func testDistinctRecords(t *testing.T, s pipeline.Store, writers int, events eventReader) {
	ctx := context.Background()
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: NewClock()})
	if err != nil {
		t.Fatal(err)
	}
	_, keyed := s.(pipeline.IdempotencyStore)
	key := func(cmd string, w int) *pipeline.CommandOptions {
		if !keyed {
			return nil
		}
		return &pipeline.CommandOptions{IdempotencyKey: fmt.Sprintf("distinct/%s/%d", cmd, w)}
	}
	inquiry := func(w int) sp.InquiryID { return sp.InquiryID(fmt.Sprintf("distinct-%d", w)) }
	deals := make([]sp.DealID, writers)
	start := make(chan struct{})
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			id, by := inquiry(w), System()
			step := func(cmd string, err error) bool {
				if err != nil {
					errs <- fmt.Errorf("%s: %s of inquiry %s: %w", writerName(w), cmd, id, err)
				}
				return err == nil
			}
			_, err := e.ReceiveInquiry(ctx, by, NewInquiry(id), key("receive", w))
			if !step("ReceiveInquiry", err) {
				return
			}
			note := pipeline.Activity{ID: "note", Kind: pipeline.ActivityEmail, Done: Epoch()}
			if _, err := e.LogInquiryActivity(ctx, by, id, note, nil); !step("LogInquiryActivity", err) {
				return
			}
			call := pipeline.Activity{ID: "call", Kind: pipeline.ActivityCall, Done: Epoch()}
			if _, err := e.Contact(ctx, by, id, call, key("contact", w)); !step("Contact", err) {
				return
			}
			if _, err := e.Qualify(ctx, by, id, nil); !step("Qualify", err) {
				return
			}
			_, d, err := e.Convert(ctx, by, id, pipeline.Conversion{Terms: pipeline.Terms{Amount: MustEUR("100.00")}}, key("convert", w))
			if !step("Convert", err) {
				return
			}
			deals[w] = d.ID
			if _, err := e.Advance(ctx, by, d.ID, pipeline.DealQualification, &pipeline.CommandOptions{Reason: writerName(w)}); !step("Advance", err) {
				return
			}
			_, err = e.Win(ctx, by, d.ID, key("win", w))
			step("Win", err)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		failed++
		t.Errorf("commands on distinct records must not fail for each other's sake: a store reports ErrConflict only for a stale version, and runs a transaction again that it could not serialize with others that wrote other records: %v", err)
	}
	if failed > 0 {
		return
	}
	for w := range writers {
		in, err := s.GetInquiry(ctx, inquiry(w))
		if err != nil {
			t.Errorf("GetInquiry %s: %v", inquiry(w), err)
			continue
		}
		if err := pipeline.CheckHistory(in.Stage, in.History); err != nil || in.Stage != pipeline.InquiryConverted || in.Version != 5 || len(in.Activities) != 2 || in.Deal != deals[w] {
			t.Errorf("UpdateInquiry must keep every command on distinct records whole: inquiry %s at version %d in stage %s with %d activities and deal %q, want version 5, stage %s, 2 activities and deal %q (history: %v)",
				in.ID, in.Version, in.Stage, len(in.Activities), in.Deal, pipeline.InquiryConverted, deals[w], orNone(err))
		}
		d, err := s.GetDeal(ctx, deals[w])
		if err != nil {
			t.Errorf("GetDeal %s: %v", deals[w], err)
			continue
		}
		if err := pipeline.CheckHistory(d.Stage, d.History); err != nil || d.Stage != pipeline.DealWon || d.Version != 3 || d.Inquiry != in.ID {
			t.Errorf("UpdateDeal must keep every command on distinct records whole: deal %s of inquiry %q at version %d in stage %s, want version 3, stage %s, inquiry %s (history: %v)",
				d.ID, d.Inquiry, d.Version, d.Stage, pipeline.DealWon, in.ID, orNone(err))
		}
		if !keyed {
			continue
		}
		for _, cmd := range []string{"receive", "contact", "convert", "win"} {
			k := key(cmd, w).IdempotencyKey
			if _, err := s.(pipeline.IdempotencyStore).GetOutcome(ctx, k); err != nil {
				t.Errorf("AddOutcome must keep the outcome of every keyed command on distinct records: GetOutcome %s: %v", k, err)
			}
		}
	}
	if !hasOutbox(s) {
		return
	}
	if got, want := len(events(t, s)), writers*distinctEvents; got != want {
		t.Errorf("AppendEvent in a transaction must be kept if it commits: %d events after %d commands of %d writers on distinct records, want %d", got, writers*distinctSteps, writers, want)
	}
}

// besideOnce runs one transaction that updates the deal "in-tx" of e's
// store s while a command logs an activity on another inquiry beside it,
// and checks that the commit keeps that activity. The transaction waits a
// little for the command: a store that lets it land while the transaction
// runs must not undo it by the commit, and one that makes it wait for the
// commit (as a store that serializes its transactions with every call does)
// passes as well.
func besideOnce(t *testing.T, e *pipeline.Engine, tr pipeline.Transactor, s pipeline.Store) {
	ctx := context.Background()
	if _, err := e.ReceiveInquiry(ctx, System(), NewInquiry("beside-once"), nil); err != nil {
		t.Fatalf("ReceiveInquiry: %v", err)
	}
	landed := make(chan error, 1)
	var start sync.Once // a Transactor may run the function again
	err := tr.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		d, err := tx.GetDeal(ctx, "in-tx")
		if err != nil {
			return err
		}
		d.Version++
		if err := tx.UpdateDeal(ctx, d, d.Version-1); err != nil {
			return err
		}
		start.Do(func() {
			go func() {
				a := pipeline.Activity{ID: "beside", Kind: pipeline.ActivityCall, Done: Epoch()}
				_, err := e.LogInquiryActivity(context.Background(), System(), "beside-once", a, nil)
				landed <- err
			}()
		})
		select {
		case err := <-landed:
			landed <- err
		case <-time.After(200 * time.Millisecond): // ample for a command that need not wait
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Atomically updating one deal while a command writes another record must not fail: %v", err)
	}
	if err := <-landed; err != nil {
		t.Fatalf("LogInquiryActivity beside a transaction must not fail: %v", err)
	}
	in, err := s.GetInquiry(ctx, "beside-once")
	if err != nil {
		t.Fatalf("GetInquiry: %v", err)
	}
	if len(in.Activities) != 1 || in.Version != 2 {
		t.Errorf("Atomically must not undo or lose a write made outside the transaction while it ran: inquiry at version %d with %d activities after one command, want 2 and 1",
			in.Version, len(in.Activities))
	}
}

// contend runs writers goroutines, released at once so that they
// overlap, each calling read once, as a reader among the writers, and then
// try with its number until it succeeds, fails with an error retry
// refuses, or has been called too often; it reports every failure.
func contend(t *testing.T, writers int, retry func(error) bool, read func() error, try func(w int) error) {
	t.Helper()
	const attempts = 100000
	errs := make(chan error, 2*writers)
	together(writers, func(w int) {
		if err := read(); err != nil {
			errs <- fmt.Errorf("%s: %w", writerName(w), err)
		}
		for range attempts {
			err := try(w)
			switch {
			case err == nil:
				return
			case !retry(err):
				errs <- fmt.Errorf("%s: %w", writerName(w), err)
				return
			}
		}
		errs <- fmt.Errorf("%s: no success in %d attempts", writerName(w), attempts)
	})
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// together runs f(0) to f(n-1) in n goroutines released at once, so that
// they overlap rather than start one by one as they are launched, and
// waits for them all.
func together(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f(i)
		}()
	}
	close(start)
	wg.Wait()
}

// racers is the number of goroutines of [race].
const racers = 8

// race runs racers calls of try at once, each with its number, and
// returns the numbers of those that succeeded; a call that fails must
// fail with ErrDuplicate, as it would after the others, or the numbers
// include it too, so that the caller's count is off.
func race(try func(i int) error) []int {
	errs := make([]error, racers)
	together(racers, func(i int) { errs[i] = try(i) })
	var won []int
	for i, err := range errs {
		if !errors.Is(err, sp.ErrDuplicate) {
			won = append(won, i)
		}
	}
	return won
}

// writerName names writer w of contend in what it writes.
func writerName(w int) string { return fmt.Sprintf("writer %d", w) }

// notOnce lists the writers whose name seen does not count exactly once.
func notOnce(seen map[string]int, writers int) []string {
	var out []string
	for w := range writers {
		if n := seen[writerName(w)]; n != 1 {
			out = append(out, fmt.Sprintf("%s ×%d", writerName(w), n))
		}
	}
	return out
}

// stuckAfter is how long the suite waits for store calls made in the loop
// body of a listing before it takes the store to be waiting on itself.
var stuckAfter = 10 * time.Second
