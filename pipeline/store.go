package pipeline

import (
	"context"
	"encoding/json"
	"iter"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// InquiryStore keeps inquiries for the [Engine]. The host implements it on
// its database; pipelinetest.MemStore keeps them in memory, and
// pipelinetest.RunStoreTests checks an implementation against the contract
// below. Implementations must be safe for concurrent use.
//
// Records go in and out by value, and a store must neither keep nor share
// the caller's slices: what Get returns the caller may change freely, and
// what the caller passes to Create or Update it may change afterwards
// without changing the store; so too the filter passed to List, whose
// slice of stages the caller may reuse once List has returned, before it
// ranges the sequence, without changing what the sequence yields. Every
// method returns ctx.Err() (or an error wrapping it) when ctx is done
// before it completes.
type InquiryStore interface {
	// GetInquiry returns the inquiry with id, or an error wrapping
	// [sp.ErrNotFound].
	GetInquiry(ctx context.Context, id sp.InquiryID) (Inquiry, error)

	// CreateInquiry stores a new inquiry as given, every field kept. The
	// engine creates inquiries at version 1, but a store must not require it:
	// pipelinetest.RunStoreTests creates some in later stages, at later
	// versions, and reads them back. An inquiry with the same ID is an error
	// wrapping [sp.ErrDuplicate], and nothing is stored; of concurrent
	// creates of one ID, exactly one succeeds.
	CreateInquiry(ctx context.Context, in Inquiry) error

	// UpdateInquiry replaces the stored inquiry with in.ID by in, if its
	// stored version is expectedVersion; in.Version is expectedVersion+1.
	// A missing inquiry is an error wrapping [sp.ErrNotFound]; a
	// stored version other than expectedVersion is an error wrapping
	// [sp.ErrConflict]; in.Version other than expectedVersion+1
	// is an error wrapping [sp.ErrInvalid], and so is any in.Version
	// when expectedVersion is math.MaxInt64, which no version follows
	// (expectedVersion+1 would wrap around). On error nothing is
	// written. The check and the write are atomic: of concurrent updates
	// with the same expected version, at most one succeeds. A conflict
	// means a stale version: an update whose expected version is the
	// stored one must not fail with [sp.ErrConflict] for the sake of
	// concurrent writes of other records, though a store that bounds how
	// long a write waits for a lock (a lock or busy timeout the host set)
	// may report a wait that outlasts the bound as one.
	UpdateInquiry(ctx context.Context, in Inquiry, expectedVersion int64) error

	// ListInquiries returns the inquiries that match f (see
	// [InquiryFilter.Match]) in ascending byte order of ID. An error is
	// yielded once, with a zero Inquiry, and ends the sequence; a done ctx
	// is such an error: done when the listing starts, it is all the
	// sequence yields; done while the listing runs, it ends the sequence
	// (the store may first yield records it had read). Iteration may stop
	// early; the store then releases what it holds. The loop body may
	// call the store, writes included (a host runs engine commands over a
	// listing, or over [Engine.Overdue]): a store must not hold, while it
	// yields, a lock or a connection that such a call would wait for. The
	// sequence may be single-use, and it need not reflect writes made while
	// it runs.
	ListInquiries(ctx context.Context, f InquiryFilter) iter.Seq2[Inquiry, error]
}

// DealStore keeps deals for the [Engine], under the same contract as
// [InquiryStore].
type DealStore interface {
	// GetDeal returns the deal with id, or an error wrapping
	// [sp.ErrNotFound].
	GetDeal(ctx context.Context, id sp.DealID) (Deal, error)

	// CreateDeal stores a new deal as given, at whatever Version, as
	// [InquiryStore.CreateInquiry] does. A deal with the same ID is an error
	// wrapping [sp.ErrDuplicate], and nothing is stored; of concurrent
	// creates of one ID, exactly one succeeds.
	CreateDeal(ctx context.Context, d Deal) error

	// UpdateDeal replaces the stored deal with d.ID by d, if its stored
	// version is expectedVersion; d.Version is expectedVersion+1. Errors as
	// for [InquiryStore.UpdateInquiry].
	UpdateDeal(ctx context.Context, d Deal, expectedVersion int64) error

	// ListDeals returns the deals that match f (see [DealFilter.Match]) in
	// ascending byte order of ID, as [InquiryStore.ListInquiries] does.
	ListDeals(ctx context.Context, f DealFilter) iter.Seq2[Deal, error]
}

// Store keeps both inquiries and deals; conversion writes to both.
//
// The verb of a method says what it does, here as in the stores of
// training and quota. Reads: Get reads one record by its key, a key not
// stored being [sp.ErrNotFound] (GetInquiry, GetDeal,
// [IdempotencyStore.GetOutcome]); List streams the records a filter
// selects, as an [iter.Seq2] sequence in the order the method states
// (ListInquiries, ListDeals). Writes: Create and Update for a record that
// changes under optimistic concurrency (CreateInquiry, UpdateInquiry,
// CreateDeal, UpdateDeal); Add for an entry that is only ever added, where
// a key stored already is [sp.ErrDuplicate] ([IdempotencyStore.AddOutcome]);
// Put for a write that stores a record or replaces the one with its key
// (none here; training's PutCertificate and quota's PutGoal).
// [Outbox.AppendEvent] appends to a log in which order counts (see
// [Outbox] for an ID appended already).
type Store interface {
	InquiryStore
	DealStore
}

// InquiryFilter selects inquiries by fields; each zero field matches any
// inquiry, and an inquiry must match every set field. A SQL store translates
// it into a WHERE clause: equality for IDs, IN for the stage set, a
// half-open range for the period, and ID > After. The zero InquiryFilter
// matches every inquiry.
type InquiryFilter struct {
	Owner    sp.RepID      `json:"owner,omitempty"`
	Region   sp.RegionID   `json:"region,omitempty"`
	Product  sp.ProductID  `json:"product,omitempty"`
	Channel  sp.ChannelID  `json:"channel,omitempty"`
	Campaign sp.CampaignID `json:"campaign,omitempty"`
	Customer sp.CustomerID `json:"customer,omitempty"`
	// Stages, when not empty, is the set of stages to match.
	Stages []InquiryStage `json:"stages,omitempty"`
	// Received, when not zero, is the period the inquiry was received in:
	// Start ≤ Received < End.
	Received sp.Period `json:"received"`
	// After, when not empty, matches only IDs after it in byte order: the
	// last ID of the page before, for keyset pagination.
	After sp.InquiryID `json:"after,omitempty"`
}

// Match reports whether in matches f.
func (f InquiryFilter) Match(in Inquiry) bool {
	return eqOrAny(f.Owner, in.Owner) && eqOrAny(f.Region, in.Region) &&
		eqOrAny(f.Product, in.Product) && eqOrAny(f.Channel, in.Channel) &&
		eqOrAny(f.Campaign, in.Campaign) && eqOrAny(f.Customer, in.Customer) &&
		(len(f.Stages) == 0 || slices.Contains(f.Stages, in.Stage)) &&
		inPeriod(f.Received, in.Received) &&
		(f.After == "" || in.ID > f.After)
}

// DealFilter selects deals by fields, as [InquiryFilter] does inquiries. The
// zero DealFilter matches every deal.
type DealFilter struct {
	Owner    sp.RepID      `json:"owner,omitempty"`
	Region   sp.RegionID   `json:"region,omitempty"`
	Product  sp.ProductID  `json:"product,omitempty"`
	Channel  sp.ChannelID  `json:"channel,omitempty"`
	Campaign sp.CampaignID `json:"campaign,omitempty"`
	Customer sp.CustomerID `json:"customer,omitempty"`
	Inquiry  sp.InquiryID  `json:"inquiry,omitempty"`
	// Pipeline, when not empty, is the name of the pipeline to match. The
	// default pipeline, whose name is empty, cannot be singled out this
	// way; use Stages.
	Pipeline string `json:"pipeline,omitempty"`
	// Stages, when not empty, is the set of stages to match.
	Stages []DealStage `json:"stages,omitempty"`
	// Created, when not zero, is the period the deal was created in.
	Created sp.Period `json:"created"`
	// Closed, when not zero, is the period the deal was won or lost in;
	// open deals never match it.
	Closed sp.Period `json:"closed"`
	// After, when not empty, matches only IDs after it in byte order.
	After sp.DealID `json:"after,omitempty"`
}

// Match reports whether d matches f.
func (f DealFilter) Match(d Deal) bool {
	return eqOrAny(f.Owner, d.Owner) && eqOrAny(f.Region, d.Region) &&
		eqOrAny(f.Product, d.Product) && eqOrAny(f.Channel, d.Channel) &&
		eqOrAny(f.Campaign, d.Campaign) && eqOrAny(f.Customer, d.Customer) &&
		eqOrAny(f.Inquiry, d.Inquiry) && eqOrAny(f.Pipeline, d.Pipeline) &&
		(len(f.Stages) == 0 || slices.Contains(f.Stages, d.Stage)) &&
		inPeriod(f.Created, d.Created) &&
		(f.Closed.IsZero() || (!d.Closed.IsZero() && f.Closed.Contains(d.Closed))) &&
		(f.After == "" || d.ID > f.After)
}

func eqOrAny[T ~string](want, got T) bool { return want == "" || want == got }

func inPeriod(p sp.Period, t time.Time) bool { return p.IsZero() || p.Contains(t) }

// Outcome is what a command with an idempotency key produced, kept so that
// a retry with the same key gets it back instead of applying the command
// again. The zero Outcome records no command under no key; the engine
// records none, its keys being 1 to 256 bytes.
type Outcome struct {
	// Key is the idempotency key the caller chose.
	Key string `json:"key"`
	// Command is the command that ran, and Fingerprint a digest of its
	// arguments: a retry must match both.
	Command     Command `json:"command"`
	Fingerprint string  `json:"fingerprint"`
	// Subject is the ID of the record the command changed, and Version the
	// version it left; of a conversion, the inquiry's.
	Subject string `json:"subject"`
	Version int64  `json:"version"`
	// Result is the JSON of what the command returned: its record, or, of
	// a conversion, an object with the inquiry and the deal as its members
	// "inquiry" and "deal".
	Result json.RawMessage `json:"result"`
	// At is when the command ran.
	At time.Time `json:"at"`
}

// IdempotencyStore keeps the [Outcome] of commands that carried an
// idempotency key. It is optional: the engine uses [Options.Idempotency],
// or else its DealStore if that implements IdempotencyStore; without one,
// a command with a key is refused. Implementations must be safe for
// concurrent use and copy Result in and out.
//
// For exactly-once effects the outcome must be written in the same
// transaction as the record it reports: a store that can do that also
// implements [Transactor], and the engine then reads the outcome, changes
// the record and writes the outcome inside one transaction; of two
// concurrent runs of one key, the second then fails (on the record's
// version, on the key, or on the state the first one left) and gets the
// first one's outcome (see [Transactor] for the isolation this needs).
// Without a Transactor, the engine writes the record first and the outcome
// after it, and serializes the runs of one key within the [Engine];
// retries of one key reaching two processes at once, or a crash between
// the two writes, can then apply a command twice; so can a retry of a
// command whose outcome could not be written: it returns an error saying
// that its change was stored, and the change's events are published as
// those of any stored change. Stores shared by several processes should
// implement Transactor.
type IdempotencyStore interface {
	// GetOutcome returns the outcome recorded under key, or an error
	// wrapping [sp.ErrNotFound].
	GetOutcome(ctx context.Context, key string) (Outcome, error)
	// AddOutcome records o under o.Key. A key already recorded is an error
	// wrapping [sp.ErrDuplicate], and the first outcome stays; of
	// concurrent adds of one key, exactly one succeeds.
	AddOutcome(ctx context.Context, o Outcome) error
}

// Transactor is an optional capability of a [Store]: running several writes
// as one transaction. Atomically calls fn with a Store whose reads see the
// transaction's writes and whose writes all take effect if fn returns nil
// and none do otherwise; the error of fn is returned. It may run fn again
// after rolling a run back, as a store that retries a transaction that
// could not be serialized does: each run of the engine's fn starts afresh
// (and calls the Policy, the Eligibility, gates and hooks again), so the
// writes that commit are those of one run. It gives fn ctx, or a context
// derived from it, so that the Policy and the Eligibility see the values
// the caller put there. The Store given to fn, valid only during the call
// and, as any Store, safe for concurrent use, implements
// [IdempotencyStore] too when the store keeps outcomes, and
// [Outbox] when it keeps events; the engine fails a command whose
// transaction's Store lacks one it needs with an error wrapping
// [sp.ErrInvalid], and writes nothing. A SQL store runs fn between BEGIN and
// COMMIT. As of an update, an error wrapping [sp.ErrConflict] tells the
// caller that a record or key it read was written by another since (reload
// and retry): Atomically returns one when fn does, or when the transaction
// cannot be serialized with a concurrent one that wrote a record or key it
// read or wrote, and must not fail a transaction for the sake of others that
// wrote none of them: of the commands of an engine on distinct records, run
// at once, none fails. A store whose isolation fails such transactions too
// (SERIALIZABLE on PostgreSQL, which may find a conflict on an index page
// that they share) retries them itself, running fn again, until one commits
// or ctx is done; a lock or busy timeout the host set may end the wait with
// [sp.ErrConflict], as for an update. A commit keeps the writes made beside
// the transaction while it ran, by other transactions or by calls on the
// store itself: a store that runs fn on a copy of its data must not put the
// copy in place of records it did not write. What the Policy, the
// Eligibility and gates read is outside the transaction's guarantees: the
// engine asks them in it but writes nothing they read, so a change they did
// not see may commit beside it (see [Options].Eligibility).
//
// The engine uses it, when the DealStore given to [NewEngine] implements
// it, to convert an inquiry (create the deal and update the inquiry), to
// write a keyed command's record and outcome together and, when the store
// is also an [Outbox], to write every command's change with its events.
// Inquiries take part in the transaction only when the InquiryStore given
// to NewEngine is the same store; an engine given another one runs the
// commands that write inquiries, conversions included, without one, as
// for a store without transactions: a keyed one writes its outcome after
// the inquiry, and a conversion creates the deal first, then updates the
// inquiry.
//
// # Isolation
//
// READ COMMITTED is enough, provided two checks are made by the statement
// that writes, against what is committed: UpdateInquiry and UpdateDeal
// compare the version in the update itself (UPDATE ... WHERE version =
// $expected, a conflict when no row matches), and AddOutcome relies on a
// unique key. Then, of two runs of one keyed command that overlap (two
// instances of the host retrying one request), the second either fails
// on the version or on the key and its transaction is rolled back, or,
// having looked the key up before the first committed and read the record
// after, fails on what the first one did: a deal already won, an inquiry
// already converted, an owner the acting rep no longer is. Either way the
// engine then reads the outcome again, outside the transaction, and
// returns the first run's outcome instead of the error; a command that
// failed with no outcome recorded for its key returns its own error. A
// store that checks versions by reading first and writing after needs
// SERIALIZABLE, or REPEATABLE READ where the database refuses to update a
// row that a later commit changed; when the database refuses the
// transaction it runs fn again, as above, and a run that then reads a
// version other than the one its update expects fails with
// [sp.ErrConflict] by that check.
type Transactor interface {
	Atomically(ctx context.Context, fn func(ctx context.Context, tx Store) error) error
}

// Outbox is an optional capability of a [Store]: keeping the events of the
// changes it stores, in the transaction of each change, for a relay of the
// host's to deliver later (the transactional outbox pattern). The engine
// uses it when the DealStore given to [NewEngine] implements both
// [Transactor] and Outbox; the Store of each of its transactions must then
// implement Outbox too. A command whose writes all go to that store (a deal
// command; an inquiry command or a conversion when the engine's InquiryStore
// is the same store) then runs in a transaction even without an idempotency
// key, and appends its events ([Engine.Convert] two, the deal's first, every
// other command one) there, after its change: the change and its events
// commit together or not at all, and [Options].Publisher is not called for
// them. A keyed retry that gets the first run's outcome appends nothing:
// that run's events are there already. Events of other commands go to the
// Publisher after the change, as without an Outbox. Without a Transactor the
// engine does not use it. Delivering the events is the host's: the engine
// only appends.
//
// AppendEvent appends e. In a transaction it takes effect if the
// transaction commits and not otherwise; on the store itself it commits
// at once. The events appended in one transaction stay in the order
// appended. e.Data may be nil; a store must copy it, or not retain it past
// the call. The engine appends only events that pass [sp.Event.Validate];
// a store may refuse an invalid one with an error wrapping
// [sp.ErrInvalid]. Event IDs are unique per change ([Options].EventID),
// so a store that keeps the IDs it was given (a primary key) should refuse
// one already appended with an error wrapping [sp.ErrDuplicate] and append
// nothing; one that forgets the events it has relayed need not remember
// their IDs. Any error fails the command, whose transaction then stores
// nothing. AppendEvent returns ctx.Err() (or an error wrapping it) when
// ctx is done before it completes. Implementations must be safe for
// concurrent use: appends in concurrent transactions commit or roll back
// each with its own.
type Outbox interface {
	AppendEvent(ctx context.Context, e sp.Event) error
}
