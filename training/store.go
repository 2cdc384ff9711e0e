package training

import (
	"context"
	"iter"
	"time"

	"github.com/salesprocess/salesprocess"
)

// BriefSource gives the brief of a product in force at a time: the one with
// the highest version among those published at or before that time. It is
// what [Readiness] needs of a [BriefStore]. No brief in force is an error
// wrapping [salesprocess.ErrNotFound]. A Readiness is safe for concurrent
// use only if its BriefSource is; the brief returned is the caller's to
// change, as with a [Store].
type BriefSource interface {
	BriefAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (Brief, error)
}

// BriefVersionSource is an optional capability of a [BriefSource]: telling
// the version of a product's brief in force at a time without reading the
// brief. BriefVersionAt returns the Version of the brief that BriefAt
// returns for the same arguments, and fails as BriefAt does: no brief in
// force is an error wrapping [salesprocess.ErrNotFound]. It keeps the
// contracts stated on [Store] (a done ctx, for one).
//
// [Readiness] and the progress of a [Trainer] ([Trainer.Progress],
// [Trainer.Certify]) need only that version: when the BriefSource given to
// [NewReadiness], or the Store given to [NewTrainer], implements
// BriefVersionSource, they call BriefVersionAt in place of BriefAt, so that
// a check does not copy or decode a brief of thousands of prohibited claims.
// Their answers and errors are the same either way. Package trainingtest's
// conformance suite checks, for a store that implements it, that it agrees
// with BriefAt.
type BriefVersionSource interface {
	BriefVersionAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (Version, error)
}

// BriefStore keeps the versions of product briefs. A version, once added, is
// never changed. It keeps the contracts stated on [Store].
type BriefStore interface {
	BriefSource
	// AddBrief stores a new version of a product's brief; a brief for the
	// same product and version is [salesprocess.ErrDuplicate].
	AddBrief(ctx context.Context, b Brief) error
	// GetBrief returns one version of a product's brief; a version not
	// stored is [salesprocess.ErrNotFound].
	GetBrief(ctx context.Context, product salesprocess.ProductID, v Version) (Brief, error)
	// ListBriefs lists the versions of a product's brief in version order;
	// an empty product names none, and nothing is listed.
	ListBriefs(ctx context.Context, product salesprocess.ProductID) iter.Seq2[Brief, error]
}

// CertificateFilter selects certificates. Each zero field selects all. Its
// JSON form, for a host that takes it in a request, leaves out the zero
// fields. Decoding it refuses a malformed Expiring but takes any text as Rep
// and Product, and it has no Validate method: a host that takes it from a
// request checks those with their Validate methods before giving it to a
// store, since stores do not validate. The zero CertificateFilter selects
// every certificate.
type CertificateFilter struct {
	Rep     salesprocess.RepID     `json:"rep,omitempty"`
	Product salesprocess.ProductID `json:"product,omitempty"`
	// Expiring, when not zero, selects certificates whose Expires lies in
	// the period (Start inclusive, End exclusive).
	Expiring salesprocess.Period `json:"expiring"`
}

// Match reports whether c passes the filter.
func (f CertificateFilter) Match(c Certificate) bool {
	return (f.Rep == "" || c.Rep == f.Rep) && (f.Product == "" || c.Product == f.Product) &&
		(f.Expiring.IsZero() || f.Expiring.Contains(c.Expires))
}

// CertificateStore keeps reps' certificates, at most one per rep, product
// and channel. It keeps the contracts stated on [Store].
type CertificateStore interface {
	// PutCertificate stores c, replacing the certificate with the same rep,
	// product and channel if there is one.
	PutCertificate(ctx context.Context, c Certificate) error
	// ListCertificates lists the certificates that match f, ordered by rep,
	// product and channel (byte-wise; the empty channel first).
	ListCertificates(ctx context.Context, f CertificateFilter) iter.Seq2[Certificate, error]
}

// AttemptStore keeps the attempts reps make at assessments. It keeps the
// contracts stated on [Store].
type AttemptStore interface {
	// AddAttempt stores a; an attempt with the same ID is
	// [salesprocess.ErrDuplicate].
	AddAttempt(ctx context.Context, a Attempt) error
	// ListAttempts lists a rep's attempts at a module, ordered by time and
	// then ID.
	ListAttempts(ctx context.Context, rep salesprocess.RepID, module ModuleID) iter.Seq2[Attempt, error]
}

// AssignmentStore keeps the modules assigned to reps. It keeps the
// contracts stated on [Store].
type AssignmentStore interface {
	// AddAssignment stores a; an assignment with the same ID is
	// [salesprocess.ErrDuplicate].
	AddAssignment(ctx context.Context, a Assignment) error
	// ListAssignments lists a rep's assignments (every rep's when rep is
	// empty), ordered by due time and then ID.
	ListAssignments(ctx context.Context, rep salesprocess.RepID) iter.Seq2[Assignment, error]
}

// PilotStore keeps field-test pilots. A pilot changes (issues found,
// improvements made) under optimistic concurrency, by the protocol of
// pipeline's stores: its Rev counts the writes, as a deal's Version does
// there; the [Trainer] creates a pilot at Rev 1 and sets Rev to the
// expected revision plus one on each update. It keeps the contracts stated
// on [Store].
type PilotStore interface {
	// CreatePilot stores a new pilot as given, every field kept, Rev
	// included. The Trainer creates pilots at Rev 1, but a store must not
	// require it: trainingtest.RunStoreTests creates some at other
	// revisions and reads them back. A pilot with the same ID is
	// [salesprocess.ErrDuplicate].
	CreatePilot(ctx context.Context, p Pilot) error
	// GetPilot returns the pilot with id; an unknown id is
	// [salesprocess.ErrNotFound].
	GetPilot(ctx context.Context, id PilotID) (Pilot, error)
	// UpdatePilot replaces the stored pilot with p.ID by p, if its stored
	// Rev is expectedRev; p.Rev is expectedRev+1. An unknown pilot is
	// [salesprocess.ErrNotFound]; a stored Rev other than expectedRev,
	// [salesprocess.ErrConflict]; p.Rev other than expectedRev+1 is
	// [salesprocess.ErrInvalid], and so is any p.Rev when expectedRev is
	// math.MaxInt64, which no revision follows (expectedRev+1 would wrap
	// around). A refused update changes nothing.
	UpdatePilot(ctx context.Context, p Pilot, expectedRev int64) error
	// ListPilots lists the pilots of a product (of every product when
	// product is empty), ordered by ID.
	ListPilots(ctx context.Context, product salesprocess.ProductID) iter.Seq2[Pilot, error]
}

// SaleStore keeps the sales made in field tests. It keeps the contracts
// stated on [Store].
type SaleStore interface {
	// AddSale stores s; a sale with the same ID is
	// [salesprocess.ErrDuplicate].
	AddSale(ctx context.Context, s Sale) error
	// ListSales lists the sales of a pilot, ordered by time and then ID;
	// an empty pilot names none, and nothing is listed.
	ListSales(ctx context.Context, pilot PilotID) iter.Seq2[Sale, error]
}

// LimitedSaleStore is an optional capability of a [SaleStore]: adding a
// sale only if the units of its pilot's sales stay within a limit, as one
// atomic step, without listing the pilot's sales. When the Store given to
// [NewTrainer] implements it, [Trainer.RecordSale] calls AddSaleWithin with
// the pilot's Quantity in place of listing the pilot's sales and then
// calling AddSale, so that concurrent sales of a pilot cannot together pass
// its quantity and recording a sale does not read every sale recorded
// before it. Its answers and errors are the same either way. A host
// implements it in SQL with one transaction that locks the pilot's row,
// sums the units of its sales and inserts the sale, or with one conditional
// statement. Package trainingtest's conformance suite checks a store that
// implements it.
type LimitedSaleStore interface {
	// AddSaleWithin stores s, as AddSale does, if the units of the sales
	// stored for s.Pilot, s.Units added, come to at most limit. It returns
	// sold, the units of the sales stored for s.Pilot before s, and
	// whether it stored s. sold is the exact sum of their units, or the
	// bound of int64 that the sum passes, so that it never wraps around
	// and does not depend on the order the sales are added up in: stores
	// take sales unvalidated, so units stored by AddSale may be negative
	// (the Trainer stores only sales of 1 unit or more), and a partial
	// sum may pass a bound that the sales after it bring the sum back
	// from. The cases come in this order, and each but the last stores
	// nothing:
	//   - A pilot not stored (by CreatePilot) is an error wrapping
	//     [salesprocess.ErrNotFound].
	//   - A sale with s.ID stored for s.Pilot is an error wrapping
	//     [salesprocess.ErrDuplicate]: a retry of a stored sale, even of
	//     the one that took the last units, is not one more.
	//   - When sold + s.Units is above limit, AddSaleWithin returns sold,
	//     false and a nil error. That sum is exact, not stopped at the
	//     bounds of int64 as sold is: with sold at math.MaxInt64, one unit
	//     more is above a limit of math.MaxInt64.
	//   - A sale with s.ID stored for another pilot is an error wrapping
	//     [salesprocess.ErrDuplicate], as AddSale finds it.
	//   - Otherwise it stores s and returns sold, true and a nil error.
	// The check and the write are atomic: of concurrent calls for one
	// pilot, each sees the sales that those before it stored, so that the
	// units they store never pass limit (a concurrent AddSale, which
	// knows no limit, may). It keeps the other contracts stated on
	// [Store]; an error returns sold 0 and false.
	AddSaleWithin(ctx context.Context, s Sale, limit int64) (sold int64, added bool, err error)
}

// FeedbackStore keeps feedback about products (see [salesprocess.Feedback]):
// from field tests, from customers, from reps. It keeps the contracts stated
// on [Store].
type FeedbackStore interface {
	// AddFeedback stores f; feedback with the same ID is
	// [salesprocess.ErrDuplicate].
	AddFeedback(ctx context.Context, f salesprocess.Feedback) error
	// ListFeedback lists the feedback about a product, ordered by time and
	// then ID; an empty product names none, and nothing is listed (unlike
	// ListAssignments and ListPilots, whose empty argument lists all).
	ListFeedback(ctx context.Context, product salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error]
}

// Store is everything a host keeps for training; [Trainer] works on it.
// The host keeps the records (briefs, attempts, certificates, assignments,
// pilots and their sales and feedback) in its own database and implements
// the small interfaces Store gathers. Package trainingtest holds a
// conformance suite (RunStoreTests) that every implementation should pass,
// one for each of those interfaces (RunBriefStoreTests,
// RunSaleStoreTests, ...) for a host that keeps some of the records apart
// from the others, and an in-memory implementation.
//
// The verb of a method says what it does, here as in the stores of
// pipeline and quota. Reads: Get reads one record by its key, a key not
// stored being [salesprocess.ErrNotFound] (GetBrief, GetPilot); List
// streams the records its arguments select, as an [iter.Seq2] sequence in
// the order the method states (ListBriefs, ListCertificates, ListAttempts,
// ListAssignments, ListPilots, ListSales, ListFeedback). BriefAt and
// BriefVersionAt are neither: they ask what is in force at a time, which a
// source other than a store may answer too. Writes: Create and Update for
// a record that changes under optimistic concurrency (CreatePilot,
// UpdatePilot); Add for an entry that is only ever added, where a key
// stored already is [salesprocess.ErrDuplicate] (AddBrief, AddAttempt,
// AddAssignment, AddSale, AddFeedback); Put for a write that stores a
// record or replaces the one with its key (PutCertificate).
//
// Every method of those interfaces keeps these contracts:
//   - Methods are safe for concurrent use. A check and its write are
//     atomic: of concurrent calls of AddAttempt, AddAssignment, AddSale,
//     AddFeedback, AddBrief or CreatePilot with one key, or of UpdatePilot
//     of one pilot with one expected Rev, exactly one succeeds.
//   - A method whose ctx is done returns ctx.Err() (wrapped or not) and
//     changes nothing.
//   - A missing record (GetBrief, GetPilot, UpdatePilot of an unknown
//     pilot) is an error wrapping [salesprocess.ErrNotFound]; a record
//     whose key exists already, [salesprocess.ErrDuplicate]; a stale
//     revision, [salesprocess.ErrConflict]. A refused write changes
//     nothing. Other errors are the store's own and are passed on wrapped.
//   - Stores do not validate records (UpdatePilot's check of p.Rev
//     against expectedRev aside): the services of this package validate
//     before they write. A store may refuse what it cannot keep.
//   - Values are copied in and out: a store keeps no reference to the
//     slices of an argument and returns values whose slices the caller
//     owns. Records come back whole, every field as stored; a time may come
//     back in another location as the same instant, but a pilot's Period
//     comes back in its own location.
//   - Listings are [iter.Seq2] sequences: on failure they yield one
//     (zero value, error) pair and stop. A done ctx is such a failure,
//     whether it is done when the listing starts or becomes done while
//     it runs: the listing yields ctx.Err() (wrapped or not) in place of
//     its next item, even one it has read already. A listing may be
//     iterated more than once; each iteration reads the store afresh
//     (unlike the listings of pipeline.Store and quota.GoalStore, which
//     may be single-use). Iteration may stop early; the store then
//     releases what it holds. The order is given by each method; IDs and
//     other text in it compare in byte order. The loop body may call the
//     store, writes included (a host assigns retraining over
//     [Readiness.Expiring], say): a store must not hold, while it yields,
//     a lock or a connection that such a call would wait for.
type Store interface {
	BriefStore
	CertificateStore
	AttemptStore
	AssignmentStore
	PilotStore
	SaleStore
	FeedbackStore
}
