package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// Options configure an [Engine]; the zero value of each field has the
// default documented with it, and a nil function adapter
// ([sp.ClockFunc], [PolicyFunc], [EligibilityFunc],
// [sp.PublisherFunc]) or a nil *[DefaultPolicy] counts as zero. A nil
// *Options means all defaults.
//
// # Callbacks and transactions
//
// The Policy, the Eligibility, a pipeline's gates and hooks, the Clock and
// EventID may be called inside a transaction of the DealStore (a
// [Transactor]: for [Engine.Convert], keyed commands and, when it is an
// [Outbox], every command whose writes it holds), so they must not call
// the engine or its stores: a store that serializes its transactions, as
// pipelinetest's MemStore does, would wait on itself. Where the stores
// cannot hold all of a keyed command's writes in one transaction (no
// Transactor, or the inquiries or the outcomes kept apart), the engine
// serializes the runs of a key itself, and they run while the command
// holds the engine's lock of its key, which some other keys share: so they
// must not run keyed commands of the engine either. One run with the ctx
// they were given (the Policy, the Eligibility and gates get one) that
// needs that lock fails at once with an error wrapping [sp.ErrInvalid]
// instead of waiting for the command that runs it; one run with another
// ctx waits until that ctx is done. A command they run on the record of
// the command that calls them, where no transaction forbids it, stores its
// change first, and the calling command then fails with an error wrapping
// [sp.ErrConflict]. The Publisher and OnRefused are called once the
// command's change is stored and its transaction and lock are over: they
// may call the engine.
type Options struct {
	// Clock is the source of the time of every change; nil means
	// [sp.SystemClock]. A change is never timed before the last transition
	// of its record: when the clock reads earlier (it stepped back, or
	// hosts' clocks disagree), the change takes that transition's time.
	// It may be called inside a transaction, as the Policy, the
	// Eligibility and EventID may: see "Callbacks and transactions" in the
	// doc of Options.
	Clock sp.Clock
	// Policy authorizes each command; nil means [DefaultPolicy].
	Policy Policy
	// Eligibility decides who may own work: consulted, at the time of the
	// change, when an inquiry is received with an owner, when an inquiry or
	// a deal is assigned, and when a deal is opened or converted, and at no
	// other command: an owner who lost eligibility keeps working their
	// records, but for the moves a gate made by [RequireCertifiedOwner]
	// stops (give it the same Eligibility). Nil means everyone is eligible.
	//
	// The check is not tied to the write: the Eligibility reads what it
	// reads (a host's certificates) when it is asked, before the change is
	// written, and nothing holds that read until the change is stored, in
	// a transaction of the DealStore or not. Only a withdrawal of the rep's
	// eligibility that the check sees refuses the command. One stored
	// after the check, while the command runs, does not stop it, as one
	// stored after the command does not: the rep keeps the record, even if
	// the withdrawal is dated at or before the change's time. Even a
	// SERIALIZABLE transaction does not refuse such a command, since the
	// command writes nothing the withdrawal reads: the database orders the
	// withdrawal after it.
	//
	// It may be called inside the command's transaction or key lock: see
	// "Callbacks and transactions" in the doc of Options.
	Eligibility Eligibility
	// Publisher receives one event per stored change, after the change is
	// stored; nil discards them. When the DealStore keeps events in its
	// transactions (it implements [Transactor] and [Outbox]), the events of
	// the commands whose writes all go to those transactions are appended
	// there instead, with their change, and the Publisher gets only the
	// rest: those of inquiry commands and conversions when the inquiries
	// live in another store. The two may be set together.
	//
	// Delivery through the Publisher is at most once: an event is published
	// after its change is stored, and when Publish fails the command
	// returns the record as stored, with an error that wraps the one
	// Publish returned ("stored at version 3, but publishing … failed"),
	// and the change stays. Retried without an idempotency key, such a
	// command would be applied twice or refused (a contact of an inquiry
	// already contacted, a deal already opened). The outcome of a command
	// with a key stays too: a retry with that key replays it and does not
	// publish the event again, which is then lost. A failed
	// Publish does not stop the next event of the command: of a
	// conversion, the inquiry's event may arrive without the deal's. For
	// at-least-once delivery, keep the events in an [Outbox] and relay them
	// from there.
	//
	// Concurrent commands publish concurrently, so the events of one record
	// may arrive out of order; the Version of each payload ([InquiryEvent],
	// [DealEvent]) orders them, and a gap in it shows an event lost or
	// still to come. An event delivered twice (an outbox relayed again, a
	// conversion retried after its deal was created, see [Engine.Convert])
	// has the same ID, given a deterministic EventID, as the default is.
	Publisher sp.Publisher
	// Pipelines are the deal pipelines besides the default one, by their
	// names; one with the empty name replaces [DefaultDefinition].
	Pipelines []*Definition
	// Idempotency keeps the outcomes of commands with an idempotency key.
	// Nil means the DealStore, if it implements [IdempotencyStore]; without
	// either, a command with a key is refused. A store other than the
	// DealStore is written after the command's change, outside any
	// transaction of the DealStore.
	Idempotency IdempotencyStore
	// EventID returns the ID of the event about version of the record id of
	// kind ("inquiry" or "deal"). Nil means "pipeline/<kind>/<id>/<version>",
	// which is unique per change and the same on a retry. An ID that makes
	// an invalid event (the empty ID; see [sp.Event.Validate]) fails the
	// command with an error wrapping [sp.ErrInvalid] before its change is
	// stored, whether its events go to an [Outbox] or to the Publisher.
	// It must be safe for concurrent use: concurrent commands call it at
	// once.
	EventID func(kind, id string, version int64) string
	// DealIDFor returns the ID of the deal an inquiry converts to. It must
	// be deterministic, so that a conversion retried after a crash finds the
	// deal it created. Nil means the inquiry's ID as a deal ID. The ID is
	// the conversion's: [Engine.OpenDeal] refuses a deal that names an
	// inquiry and has the ID DealIDFor gives it. It must be safe for
	// concurrent use: concurrent commands call it at once.
	DealIDFor func(sp.InquiryID) sp.DealID
	// OnRefused, when not nil, is called once for each command refused
	// with an error wrapping [sp.ErrForbidden] (by the Policy, by
	// the Eligibility, or by a gate such as [RequireCertifiedOwner]), after
	// the command ended and outside any transaction: the hook of a host
	// that keeps an audit of refusals, which otherwise leave no trace in
	// the stores or the events. It gets the acting actor, the command, the
	// record as the Policy saw it and the refusal (the error the command
	// returns, without the command and the record it names first); it
	// cannot change the outcome. It must be safe for concurrent use.
	OnRefused func(ctx context.Context, a sp.Actor, cmd Command, t Target, err error)
}

// CommandOptions are the optional parts of a command; nil means none. The
// zero CommandOptions are none too: no idempotency key and no reason.
type CommandOptions struct {
	// IdempotencyKey, when not empty, makes the command idempotent: a retry
	// with the same key returns the first outcome, applies nothing again
	// and emits no event; the same key with another command or other
	// arguments (the acting actor, with its role and regions, and the
	// Reason and Stage of these options included) is an error wrapping
	// [ErrKeyReused]. A retry is not authorized again: it gets the first
	// outcome even if the Policy or the Eligibility would now refuse the
	// actor. Amounts and fractions are compared by value: 12.3 EUR and
	// 12.300 EUR are the same argument, 12.3 USD is another; times as
	// instants: 09:00 UTC and 11:00 at UTC+2 are the same argument (the
	// outcome a retry gets keeps the first run's offsets); a manager's
	// regions as a set, in any order. Keys are the caller's (a request
	// ID), 1 to 256 bytes of UTF-8 without control characters (as
	// [sp.ValidateText] checks a text of one line), and are kept by the
	// [IdempotencyStore]. Only successful commands are recorded: a command
	// that failed changed nothing (but for what [IdempotencyStore] says of
	// an outcome that could not be written), and its retry runs afresh. A
	// command whose change was stored but whose event [Options].Publisher
	// refused counts as successful: its outcome is recorded, and a retry
	// with the key returns it without publishing the event (use an
	// [Outbox] to deliver every event).
	IdempotencyKey string
	// Reason is recorded with the transition the command makes, if any, and
	// in its event. Empty, the default, adds none.
	Reason string
	// Stage is, for Win and Lose, the won or lost stage to close the deal
	// in, when its pipeline has several; empty means the first.
	Stage DealStage
	// IfVersion, when not zero, is the version of the record that the
	// caller's change was made on (the one a form showed, say): the command
	// applies only to the record at that version, and otherwise fails with
	// an error wrapping [sp.ErrConflict] and changes nothing, so that a
	// change made on what another has changed since is not applied over
	// it. Of a conversion, it is the inquiry's version. Zero, the default,
	// applies the command to the record as it is; a negative version, or
	// one given to a command that creates its record (ReceiveInquiry,
	// OpenDeal), is an error wrapping [sp.ErrInvalid]. A retry with the
	// idempotency key of a command that succeeded gets its outcome, though
	// the record is no longer at that version; the same key with another
	// IfVersion is another command.
	IfVersion int64
}

func (o *CommandOptions) get() CommandOptions {
	if o == nil {
		return CommandOptions{}
	}
	return *o
}

// ErrKeyReused reports an idempotency key reused for another command or
// other arguments. It wraps [sp.ErrInvalid].
var ErrKeyReused = fmt.Errorf("pipeline: idempotency key reused for a different command: %w", sp.ErrInvalid)

// Engine runs the commands of sales plan execution on the host's stores:
// each command loads its record, checks the policy, applies the change
// through the stage machines and the deal rules, stores the record with
// optimistic concurrency (an update carries the version it read, so a
// concurrent change makes it fail with an error wrapping
// [sp.ErrConflict] instead of being lost: reload and retry), and
// emits an event: in the change's transaction when the DealStore is a
// [Transactor] and an [Outbox] and the command's records live in it (see
// [Outbox]), else through [Options].Publisher once the change is stored.
// A refused or failed command stores nothing, but for
// what stores that cannot write it in one [Transactor] transaction may
// keep of a failed one: the deal of a conversion whose inquiry update
// failed (see [Engine.Convert]), or the change of a keyed command whose
// outcome could not be recorded (see [IdempotencyStore]); the event of
// such a change is published as that of any stored change. A change whose
// event or outcome cannot be encoded (the record holds a value JSON cannot
// write: a time past year 9999, an unknown loss category) fails before
// anything is written, in a transaction or not, with an error wrapping
// [sp.ErrInvalid] and that value's own error; with neither a Publisher
// nor an [Outbox], events are not encoded, and only a keyed command's
// outcome is. The stored Version grows by exactly one per successful
// command.
//
// An Engine is safe for concurrent use. Commands take the acting
// [sp.Actor] positionally and [CommandOptions] last. Make one with
// [NewEngine]: the zero Engine, like a nil *Engine, has no stores, and
// its commands and listings fail with an error wrapping [sp.ErrInvalid].
//
// An argument a command refuses as bad in itself is named by the
// [*sp.ValidationError] in the error, by its path from the command's
// arguments: the name of the argument, then the path within it
// ("activity.done", "completion.notes", "loss.category",
// "terms.lines[0].quantity", "feedback[1].rating"; "id", "rep", "reason",
// "probability", "activity_id" for a plain value; "actor.role", and
// "idempotency_key" and "reason" for the [CommandOptions]), but for the
// record that [Engine.ReceiveInquiry] and [Engine.OpenDeal] create and the
// [Conversion] of [Engine.Convert], whose fields are named from the value
// itself ("received", "lines[1].quantity", "owner",
// "terms.lines[0].unit_price"). Lines in several currencies are such an
// argument too, named at the first line in another currency than the
// first, and wrap [sp.ErrCurrencyMismatch] as well (see [LinesTotal]). The
// UnmarshalJSON methods name a field below the type instead
// ("inquiry.stage", "loss_reason.category"), so a host that decodes a
// request and runs a command on it places either path in its request's
// terms itself.
type Engine struct {
	inquiries InquiryStore
	deals     DealStore
	opts      Options
	policy    Policy
	idem      IdempotencyStore
	tx        Transactor
	// txInquiries is true when the inquiries live in the store of tx, so
	// that a transaction's Store reaches them; otherwise they are read and
	// written on the InquiryStore, outside the transaction.
	txInquiries bool
	// idemInTx is true when the outcomes are kept by the store of tx, so
	// that a transaction's Store records them with the change.
	idemInTx bool
	// outbox is true when the store of tx keeps events (it is an Outbox),
	// so that a transaction's Store appends them with the change.
	outbox    bool
	pipelines map[string]*Definition
	inquiryM  *Machine[InquiryStage, *Inquiry]
	serviceM  *Machine[ServiceStage, *Service]
	// keyLocks serialize the keyed commands of one key when the DealStore
	// has no transactions, or some of the stores are outside them (see
	// Engine.plan), so that concurrent retries of one request reaching
	// this engine apply it once. Each is a channel of capacity one, held
	// by the command that sent to it, so that a command waiting for one
	// stops when its context is done.
	keyLocks [64]chan struct{}
}

// NewEngine returns an engine on the given stores, either of which may be
// nil if the host does not use it (its commands then fail with an error
// wrapping [sp.ErrInvalid]). A store that keeps both inquiries
// and deals is given as the same value twice: only then do inquiries take
// part in the transactions of a DealStore that is a [Transactor]. A
// value of a type that == cannot compare (a struct that holds a map or a
// slice) is the same when its fields hold the same values, maps and
// slices; one that holds a function other than nil is never the same,
// and is given by pointer instead. It
// refuses nil, unbuilt (the zero [Definition]) or duplicate pipelines in
// opts with an error wrapping [sp.ErrInvalid]. It copies opts and reads
// its slice of Pipelines only here, so the caller may change opts, or
// reuse the slice, afterwards without changing the engine; the clock,
// policy and other values opts holds, it keeps and calls.
func NewEngine(inquiries InquiryStore, deals DealStore, opts *Options) (*Engine, error) {
	e := &Engine{inquiries: inquiries, deals: deals, pipelines: map[string]*Definition{}}
	if opts != nil {
		e.opts = *opts
	}
	if f, ok := e.opts.Clock.(sp.ClockFunc); ok && f == nil {
		e.opts.Clock = nil
	}
	switch p := e.opts.Policy.(type) {
	case PolicyFunc:
		if p == nil {
			e.opts.Policy = nil
		}
	case *DefaultPolicy:
		if p == nil { // its value method would panic on it
			e.opts.Policy = nil
		}
	}
	e.opts.Eligibility = orNil(e.opts.Eligibility)
	if f, ok := e.opts.Publisher.(sp.PublisherFunc); ok && f == nil {
		e.opts.Publisher = nil
	}
	if e.opts.Clock == nil {
		e.opts.Clock = sp.SystemClock{}
	}
	e.policy = e.opts.Policy
	if e.policy == nil {
		e.policy = DefaultPolicy{}
	}
	e.idem = e.opts.Idempotency
	if e.idem == nil {
		e.idem, _ = deals.(IdempotencyStore)
	}
	e.tx, _ = deals.(Transactor)
	e.txInquiries = inquiries == nil || sameStore(inquiries, deals)
	e.idemInTx = e.opts.Idempotency == nil || sameStore(e.opts.Idempotency, deals)
	_, isOutbox := deals.(Outbox)
	e.outbox = e.tx != nil && isOutbox
	seen := map[string]bool{}
	for i, p := range e.opts.Pipelines {
		switch {
		case p == nil:
			return nil, fmt.Errorf("pipeline: new engine: %w", sp.Invalid(fmt.Sprintf("pipelines[%d]", i), "nil"))
		case !p.built():
			return nil, fmt.Errorf("pipeline: new engine: %w", sp.Invalid(fmt.Sprintf("pipelines[%d]", i), "not built by NewDefinition"))
		}
		if seen[p.name] {
			return nil, fmt.Errorf("pipeline: new engine: %w", sp.Invalid(fmt.Sprintf("pipelines[%d]", i), "duplicate pipeline %s", sp.Quote(p.name)))
		}
		seen[p.name] = true
		e.pipelines[p.name] = p
	}
	if e.pipelines[""] == nil {
		e.pipelines[""] = DefaultDefinition()
	}
	for i := range e.keyLocks {
		e.keyLocks[i] = make(chan struct{}, 1)
	}
	e.inquiryM = NewInquiryMachine()
	e.serviceM = NewServiceMachine()
	return e, nil
}

// noInquiries and noDeals report an engine without the store; a nil
// Engine has neither, so that its methods fail instead of panicking.
func (e *Engine) noInquiries() bool { return e == nil || e.inquiries == nil }
func (e *Engine) noDeals() bool     { return e == nil || e.deals == nil }

// Pipeline returns the deal pipeline named name (empty for the default),
// and false if the engine has none of that name.
func (e *Engine) Pipeline(name string) (*Definition, bool) {
	if e == nil {
		return nil, false
	}
	p, ok := e.pipelines[name]
	return p, ok
}

// GetInquiry returns the inquiry with id from the store, or an error
// wrapping [sp.ErrNotFound].
func (e *Engine) GetInquiry(ctx context.Context, id sp.InquiryID) (Inquiry, error) {
	switch {
	case e.noInquiries():
		return Inquiry{}, errNoStore("inquiry")
	case ctx == nil:
		return Inquiry{}, errNilContext("get inquiry")
	}
	in, err := e.inquiries.GetInquiry(ctx, id)
	if err != nil {
		return Inquiry{}, fmt.Errorf("pipeline: get inquiry %s: %w", sp.Quote(string(id)), err)
	}
	return in, nil
}

// GetDeal returns the deal with id from the store, or an error wrapping
// [sp.ErrNotFound].
func (e *Engine) GetDeal(ctx context.Context, id sp.DealID) (Deal, error) {
	switch {
	case e.noDeals():
		return Deal{}, errNoStore("deal")
	case ctx == nil:
		return Deal{}, errNilContext("get deal")
	}
	d, err := e.deals.GetDeal(ctx, id)
	if err != nil {
		return Deal{}, fmt.Errorf("pipeline: get deal %s: %w", sp.Quote(string(id)), err)
	}
	return d, nil
}

// ListInquiries returns the inquiries of the store that match f, as the
// store yields them; an error of the store is prefixed
// "pipeline: list inquiries: ". It calls the store's listing once, when
// called, and each iteration ranges over that listing again, so the
// sequence is single-use where the store's listing is (see
// [InquiryStore.ListInquiries]).
func (e *Engine) ListInquiries(ctx context.Context, f InquiryFilter) iter.Seq2[Inquiry, error] {
	switch {
	case e.noInquiries():
		return errSeq[Inquiry](errNoStore("inquiry"))
	case ctx == nil:
		return errSeq[Inquiry](errNilContext("list inquiries"))
	}
	return prefixErrs(e.inquiries.ListInquiries(ctx, f), "list inquiries")
}

// ListDeals returns the deals of the store that match f, as the store
// yields them; an error of the store is prefixed "pipeline: list deals: ".
// Each iteration ranges over the store's listing again, so the sequence
// is single-use where the store's listing is, as for
// [Engine.ListInquiries].
func (e *Engine) ListDeals(ctx context.Context, f DealFilter) iter.Seq2[Deal, error] {
	switch {
	case e.noDeals():
		return errSeq[Deal](errNoStore("deal"))
	case ctx == nil:
		return errSeq[Deal](errNilContext("list deals"))
	}
	return prefixErrs(e.deals.ListDeals(ctx, f), "list deals")
}

// prefixErrs returns seq with each error it yields prefixed, as the other
// errors of the engine are, by "pipeline: " and op; a nil seq yields
// nothing.
func prefixErrs[T any](seq iter.Seq2[T, error], op string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if seq == nil {
			return
		}
		for v, err := range seq {
			if err != nil {
				err = fmt.Errorf("pipeline: %s: %w", op, err)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

// Overdue returns the open inquiries matching f that are overdue under p
// at the engine's current time: one reading of its clock, taken when
// Overdue is called (a stepping clock moves on by a step). A negative
// duration in p is an error, as for [FollowUpPolicy.Overdue]. Each
// iteration ranges over the store's listing again, at that one time, so
// the sequence is single-use where the store's listing is, as for
// [Engine.ListInquiries].
func (e *Engine) Overdue(ctx context.Context, p FollowUpPolicy, f InquiryFilter) iter.Seq2[Overdue, error] {
	switch {
	case e.noInquiries():
		return errSeq[Overdue](errNoStore("inquiry"))
	case ctx == nil:
		return errSeq[Overdue](errNilContext("overdue"))
	}
	if len(f.Stages) == 0 {
		f.Stages = []InquiryStage{InquiryNew, InquiryContacted, InquiryQualified}
	}
	return p.Overdue(e.ListInquiries(ctx, f), e.opts.Clock.Now().Round(0))
}

func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

func errNoStore(kind string) error {
	return fmt.Errorf("pipeline: the engine has no %s store: %w", kind, sp.ErrInvalid)
}

// errNilContext returns the error of the operation op ("get deal") given a
// nil context, named as the operation's other errors are.
func errNilContext(op string) error {
	return fmt.Errorf("pipeline: %s: %w", op, sp.Invalid("ctx", "nil context"))
}

// view is the set of stores a command's change is written to: the
// engine's, or those of a transaction, and the outbox of the transaction
// when its events go there.
type view struct {
	inquiries InquiryStore
	deals     DealStore
	// outbox, when not nil, takes the call's events; otherwise they are
	// published once the change is stored.
	outbox Outbox
}

// call is one run of a command.
type call struct {
	cmd    Command
	by     sp.Actor
	opts   CommandOptions
	now    time.Time
	fp     string  // fingerprint, when keyed
	target *Target // the record as the policy saw it, once asked
	// events are the events of the change, to publish once it is stored,
	// when they do not go to an outbox.
	events []pendingEvent
	// out is where the command's result goes (see Engine.write), and
	// result, for a keyed call, its JSON, the outcome's Result, encoded by
	// Engine.encodeResult before the change is written.
	out    any
	result []byte
}

func (c *call) stamp() Stamp { return Stamp{At: c.now, Actor: c.by.ID, Reason: c.opts.Reason} }

func (c *call) keyed() bool { return c.opts.IdempotencyKey != "" }

// expect refuses the command's record at version v when its
// [CommandOptions].IfVersion names another; the command's error names the
// record.
func (c *call) expect(v int64) error {
	if want := c.opts.IfVersion; want != 0 && v != want {
		return fmt.Errorf("pipeline: at version %d, not %d as the command expects: %w", v, want, sp.ErrConflict)
	}
	return nil
}

const maxKey256 = 256

// begin validates the common parts of a command and, for a keyed one,
// computes its fingerprint from the kind ("inquiry" or "deal") and ID of
// its subject and its args: an inquiry and a deal may share an ID, and
// some commands (assign, log activity) both.
func (e *Engine) begin(ctx context.Context, cmd Command, by sp.Actor, kind, subject string, args any, opts *CommandOptions) (*call, error) {
	c := &call{cmd: cmd, by: by, opts: opts.get()}
	if ctx == nil {
		return nil, sp.Invalid("ctx", "nil context")
	}
	if err := by.Validate(); err != nil {
		return nil, err
	}
	if err := checkText("reason", c.opts.Reason, maxReason, true); err != nil {
		return nil, err
	}
	if c.opts.Stage != "" {
		if err := c.opts.Stage.Validate(); err != nil {
			return nil, sp.InField("stage", err)
		}
	}
	switch v := c.opts.IfVersion; {
	case v < 0:
		return nil, sp.Invalid("if_version", "%d; want a version, at least 1, or 0 for none", v)
	case v != 0 && (cmd == CmdReceive || cmd == CmdOpen):
		return nil, sp.Invalid("if_version", "%d, for a command that creates its record: there is no version to match", v)
	}
	if k := c.opts.IdempotencyKey; k != "" {
		if err := checkText("idempotency_key", k, maxKey256, false); err != nil {
			return nil, err
		}
		if e.idem == nil {
			return nil, sp.Invalid("idempotency_key", "the engine has no idempotency store: set Options.Idempotency, or give it a DealStore that implements IdempotencyStore")
		}
		// A manager's regions are a set: the same ones in another order,
		// or one twice, are the same actor.
		actor := by
		if len(actor.Regions) > 1 {
			actor.Regions = slices.Compact(slices.Sorted(slices.Values(actor.Regions)))
		}
		// The options as CommandOptions encoded before IfVersion, which
		// is left out when zero: the outcomes stored before it was added
		// keep their fingerprints.
		type fingerprinted struct {
			IdempotencyKey string
			Reason         string
			Stage          DealStage
			IfVersion      int64 `json:",omitempty"`
		}
		fp, err := fingerprint(struct {
			Cmd     Command       `json:"cmd"`
			Actor   sp.Actor      `json:"actor"`
			Kind    string        `json:"kind"`
			Subject string        `json:"subject"`
			Args    any           `json:"args"`
			Opts    fingerprinted `json:"opts"`
		}{cmd, actor, kind, subject, args, fingerprinted{Reason: c.opts.Reason, Stage: c.opts.Stage, IfVersion: c.opts.IfVersion}})
		if err != nil {
			return nil, encodeError(err, "", "arguments cannot be fingerprinted")
		}
		c.fp = fp
	}
	return c, nil
}

// fingerprint returns the hex SHA-256 of the JSON of v with every amount
// of money written by its value and every time in UTC: [sp.Money] encodes
// its amount with its scale ("12.30" and "12.300" EUR), and a time with
// its offset, which a retry may well write otherwise than the first run,
// so the amount of each object of its form, exactly the members "amount"
// and "currency" with a plain decimal amount, is rewritten without
// trailing zeros, and each member named in timeMembers whose value reads
// as an RFC 3339 time is rewritten in UTC. A [decimal.Decimal] already
// encodes by its value. Numbers and all else stay as encoded; members are
// sorted by name.
func fingerprint(v any) (string, error) {
	raw, err := sp.EncodeJSON(v)
	if err != nil {
		return "", err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return "", err
	}
	if raw, err = json.Marshal(moneyByValue(tree)); err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}

// timeMembers are the names of the members of the commands' arguments, as
// JSON, that hold a time: Received of [Inquiry]; Created, ExpectedClose and
// Closed of [Deal] and [Terms]; Due and Done of [Activity] and Done of
// [ActivityCompletion]; At of [Transition]; Time of [sp.Feedback]. No
// argument has a member of one of these names that holds anything else,
// text in particular, which must not be taken for a time.
var timeMembers = map[string]bool{
	"received": true, "created": true, "expected_close": true, "closed": true,
	"due": true, "done": true, "at": true, "time": true,
}

// moneyByValue rewrites, in place, the amount of every object of v that has
// the form of [sp.Money] by its value, and the time of every member named
// in timeMembers in UTC, and returns v.
func moneyByValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 2 {
			amount, isMoney := v["amount"].(string)
			if _, ok := v["currency"].(string); !ok {
				isMoney = false
			}
			if isMoney {
				if d, err := sp.ParseAmount(amount); err == nil {
					v["amount"] = d.String()
					return v
				}
			}
		}
		for k, x := range v {
			if s, ok := x.(string); ok && timeMembers[k] {
				if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
					v[k] = t.UTC().Format(time.RFC3339Nano)
				}
				continue
			}
			v[k] = moneyByValue(x)
		}
	case []any:
		for i, x := range v {
			v[i] = moneyByValue(x)
		}
	}
	return v
}

// tick reads the clock for call c's change to a record whose history
// ends at last (zero for a new record). Commands on a stored record read
// it after loading the record, so an update that then succeeds follows
// every change it saw. A clock that reads earlier than last, having
// stepped back or running on another host, gives last, so that no history
// goes back in time, however updates race. The monotonic reading of the
// clock's time is dropped (see [sp.Clock]): the comparison with last would
// otherwise miss a clock that stepped back while the process ran, and the
// stored history, which keeps the wall-clock time alone, would go back.
func (e *Engine) tick(c *call, last time.Time) {
	c.now = e.opts.Clock.Now().Round(0)
	if c.now.Before(last) {
		c.now = last
	}
}

// lastAt returns the time of the last transition of h; zero if none.
func lastAt[S ~string](h []Transition[S]) time.Time {
	if len(h) == 0 {
		return time.Time{}
	}
	return h[len(h)-1].At
}

// replay looks up the outcome of a keyed call: found is true when the
// command already ran, and out then holds its result.
func (e *Engine) replay(ctx context.Context, idem IdempotencyStore, c *call, out any) (found bool, err error) {
	o, err := idem.GetOutcome(ctx, c.opts.IdempotencyKey)
	switch {
	case errors.Is(err, sp.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	case o.Command != c.cmd || o.Fingerprint != c.fp:
		return false, fmt.Errorf("key %s first used for %s %s: %w", sp.Quote(c.opts.IdempotencyKey), o.Command, sp.Quote(o.Subject), unprefixed{ErrKeyReused})
	}
	// Decode into a zero result: a run that failed after filling out must
	// not leave its fields where the outcome has none.
	reflect.ValueOf(out).Elem().SetZero()
	if err := json.Unmarshal(o.Result, out); err != nil {
		return false, fmt.Errorf("outcome of key %s: %w", sp.Quote(c.opts.IdempotencyKey), err)
	}
	return true, nil
}

// writes says which kinds of record a command writes.
type writes uint8

const (
	writesInquiry writes = 1 << iota
	writesDeal
)

// runMode says where a call's writes go.
type runMode uint8

const (
	// runDirect writes to the engine's stores one by one, as without a
	// Transactor; a keyed call's outcome is read before the change and
	// written after it.
	runDirect runMode = iota
	// runInTx writes in one transaction of the DealStore, which also reads
	// and records a keyed call's outcome, and keeps the call's events when
	// the plan says outbox.
	runInTx
	// runInTxOutcomeOutside writes in one transaction of the DealStore; the
	// outcome, kept by an IdempotencyStore of its own, is read before the
	// transaction and written once it has committed.
	runInTxOutcomeOutside
)

// plan is how a call runs, decided once by [Engine.plan].
type plan struct {
	mode runMode
	// lock serializes the call with the other keyed calls of its key in
	// this engine (see Engine.keyLocks).
	lock bool
	// outbox appends the call's events in its transaction, to the
	// transaction's Store, instead of publishing them after it.
	outbox bool
}

// plan decides how call c, whose command writes the records w, runs. A
// command that writes both an inquiry and a deal (a conversion) needs them
// to change together.
func (e *Engine) plan(c *call, w writes) plan {
	keyed := c.keyed()
	atomic := w == writesInquiry|writesDeal
	var p plan
	// The transactions keep two runs of one key from both applying only
	// when every store a keyed command writes (inquiries, deals and
	// outcomes) lives in them; otherwise the engine serializes the runs of
	// a key itself. This is decided for the engine, not for the command:
	// a key reused by another command must be excluded as well, to be
	// refused.
	p.lock = keyed && !(e.tx != nil && e.txInquiries && e.idemInTx)
	// The outbox keeps the events of a command whose records all live in
	// the DealStore's transactions, keyed or not; the outcome of a keyed
	// one may be written outside, after the commit, as without an outbox.
	p.outbox = e.outbox && (e.txInquiries || w&writesInquiry == 0)
	switch {
	case e.tx == nil || (!keyed && !atomic && !p.outbox):
		p.mode = runDirect
	case w&writesInquiry != 0 && !e.txInquiries:
		// With the inquiries outside the DealStore's transactions, a
		// transaction cannot hold an inquiry's change: one that failed to
		// commit, or that the Transactor ran again, would leave the change
		// without its outcome, or make it twice. And a deal created in one
		// would be committed after the inquiry pointing at it, or not at
		// all: create it on its own, before the inquiry is written.
		p.mode = runDirect
	case keyed && !e.idemInTx:
		p.mode = runInTxOutcomeOutside
	default:
		p.mode = runInTx
	}
	return p
}

// write runs fn, which writes the records w, on the engine's stores, or
// inside a transaction when the call is keyed, writes both kinds of record
// or has its events kept by an outbox, and the store can (see
// [Engine.plan]). For a keyed call it replays a recorded outcome instead of
// running fn, and records the outcome after fn; out receives the result
// either way. replayed reports a replay. A refusal is reported to
// Options.OnRefused once the run is over. The events fn emits (see
// [Engine.emit]) and that no outbox took are in c.events, for
// [Engine.publish].
func (e *Engine) write(ctx context.Context, c *call, w writes, out any, fn writeFunc) (replayed bool, err error) {
	c.out = out
	replayed, err = e.writeOnce(ctx, c, e.plan(c, w), fn)
	if err != nil && c.target != nil && e.opts.OnRefused != nil && errors.Is(err, sp.ErrForbidden) {
		e.opts.OnRefused(ctx, c.by, c.cmd, *c.target, err)
	}
	return replayed, err
}

// writeFunc makes a command's change on v and returns the ID of the record
// it changed and the version it left. Before it writes anything, it sets
// the result (the out of [Engine.write]), makes the events of its change
// ([Engine.event]) and calls [Engine.encodeResult], so that a change whose
// event or outcome cannot be encoded fails with nothing stored; it emits
// the events ([Engine.emit]) once they are written. [Engine.store] does
// the last three for a change of one record with one event.
type writeFunc func(ctx context.Context, v view) (subject string, version int64, err error)

// encodeResult encodes the result of call c, when it is keyed, for its outcome:
// a writeFunc calls it once it has set the result and before it writes the
// change, so that a result that cannot be encoded fails the call before
// anything is stored, in a transaction or not.
func (e *Engine) encodeResult(c *call) error {
	if !c.keyed() {
		return nil
	}
	raw, err := json.Marshal(c.out)
	if err != nil {
		return encodeError(err, "", "the outcome of key %s cannot be encoded", sp.Quote(c.opts.IdempotencyKey))
	}
	c.result = raw
	return nil
}

// writeOnce is [Engine.write] but for the report of a refusal: it runs fn
// as plan p says, under the lock of the call's key when p.lock, directly,
// in a transaction with the outcome, or in one with the outcome recorded
// after it (p.mode), with c.out receiving the result. Then it settles what
// a failure left: a change stored without its outcome, or before a later
// write failed, publishes its events, as every stored change does; and a
// keyed run that failed returns, as replayed, the outcome that a run of
// the same key committed first, if there is one.
func (e *Engine) writeOnce(ctx context.Context, c *call, p plan, fn writeFunc) (replayed bool, err error) {
	// held is the key lock the call holds, if any, until it publishes or
	// returns.
	var held *heldLock
	defer func() {
		if held != nil {
			held.release()
		}
	}()
	if p.lock {
		stripe := keyStripe(c.opts.IdempotencyKey, len(e.keyLocks))
		outer, _ := ctx.Value(heldLockKey{}).(*heldLock)
		if h := outer.holding(e, stripe); h != nil {
			// A callback of the command holding the lock runs this one,
			// with its ctx: waiting would wait for that command, which
			// waits for the callback.
			return false, sp.Invalid("idempotency_key", "run from a callback of the command of key %s, which holds the lock this key needs", sp.Quote(h.key))
		}
		lock := e.keyLocks[stripe]
		select {
		case lock <- struct{}{}:
		case <-ctx.Done():
			return false, ctx.Err()
		}
		held = &heldLock{e: e, stripe: stripe, key: c.opts.IdempotencyKey, lock: lock, outer: outer}
		ctx = context.WithValue(ctx, heldLockKey{}, held)
	}
	// unrecorded is the outcome of a change that is stored, but whose
	// outcome could not be recorded after it.
	var unrecorded *Outcome
	// stranded is true when the run failed after storing a change: without
	// a transaction each write is stored at once, and the events in
	// c.events are those of the writes made before the failure (the deal
	// of a conversion whose inquiry update failed, a change whose outcome
	// could not be recorded).
	var stranded bool
	switch p.mode {
	case runDirect:
		var pending *Outcome
		replayed, pending, err = e.apply(ctx, c, view{inquiries: e.inquiries, deals: e.deals}, e.idem, c.out, fn)
		if err != nil && pending != nil { // fn stored its change; AddOutcome failed
			unrecorded = pending
		}
		stranded = err != nil && len(c.events) > 0
	case runInTx:
		err = e.tx.Atomically(ctx, func(ctx context.Context, tx Store) error {
			v, err := e.txView(tx, p)
			if err != nil {
				return err
			}
			// The outcome goes with the change, in the transaction: the
			// store itself, waiting on it, must not take it.
			idem, ok := tx.(IdempotencyStore)
			if !ok && c.keyed() {
				return sp.Invalid("", "the DealStore keeps outcomes, but the Store of its transaction (%T) does not", tx)
			}
			replayed, _, err = e.apply(ctx, c, v, idem, c.out, fn)
			return err
		})
	case runInTxOutcomeOutside:
		if found, err := e.replay(ctx, e.idem, c, c.out); found || err != nil {
			return found, err
		}
		var pending *Outcome
		err = e.tx.Atomically(ctx, func(ctx context.Context, tx Store) error {
			v, err := e.txView(tx, p)
			if err != nil {
				return err
			}
			_, pending, err = e.apply(ctx, c, v, nil, c.out, fn)
			return err
		})
		if err == nil && pending != nil { // nil if the Transactor skipped fn
			if err = e.idem.AddOutcome(ctx, *pending); err != nil {
				unrecorded = pending
			}
		}
	}
	if unrecorded != nil {
		err = fmt.Errorf("stored at version %d, but recording the outcome of key %s failed: %w",
			unrecorded.Version, sp.Quote(c.opts.IdempotencyKey), err)
	}
	if unrecorded != nil || stranded {
		// The change stays (see IdempotencyStore and Engine.Convert), and
		// so its events go out, as those of any stored change do.
		// Without the key lock, as every other command publishes: a
		// Publisher that runs a keyed command whose key shares the lock
		// would wait on this one.
		if held != nil {
			held.release()
			held = nil
		}
		if perr := e.publish(ctx, c); perr != nil {
			err = errors.Join(err, perr)
		}
		c.events = nil
	}
	if err != nil && c.keyed() {
		// A run of the same key that committed first may be why this one
		// failed: on a version it changed, on a record or outcome it
		// created, or, when this run read the record after that commit but
		// the outcome before it (as two transactions at READ COMMITTED
		// can), on the stage the record left or on a policy that judges
		// the record as changed. Its outcome, written with the change, says
		// so: return it, as a retry after the fact would get.
		if found, rerr := e.replay(ctx, e.idem, c, c.out); found {
			return true, nil
		} else if errors.Is(rerr, ErrKeyReused) {
			return false, rerr
		}
	}
	return replayed, err
}

// txView is the view of a transaction's store tx: its inquiries when they
// live there, else the engine's, and its outbox when plan p says so.
func (e *Engine) txView(tx Store, p plan) (view, error) {
	if tx == nil {
		return view{}, sp.Invalid("", "the DealStore's transaction gave no store")
	}
	v := view{inquiries: tx, deals: tx}
	if !e.txInquiries {
		v.inquiries = e.inquiries
	}
	if p.outbox {
		ob, ok := tx.(Outbox)
		if !ok || ob == nil {
			return view{}, sp.Invalid("", "the DealStore is an Outbox, but the Store of its transaction (%T) is not", tx)
		}
		v.outbox = ob
	}
	return v, nil
}

// apply runs fn on v. For a keyed call it replays the outcome kept by idem
// instead, or records fn's outcome there; with a nil idem it returns the
// outcome for the caller to record.
func (e *Engine) apply(ctx context.Context, c *call, v view, idem IdempotencyStore, out any, fn writeFunc) (replayed bool, pending *Outcome, err error) {
	keyed := c.keyed()
	if keyed && idem != nil {
		if found, err := e.replay(ctx, idem, c, out); found || err != nil {
			return found, nil, err
		}
	}
	// Of a run of fn before this one, if the Transactor retried.
	c.events, c.result = nil, nil
	subject, version, err := fn(ctx, v)
	if err != nil || !keyed {
		return false, nil, err
	}
	o := &Outcome{Key: c.opts.IdempotencyKey, Command: c.cmd, Fingerprint: c.fp, Subject: subject, Version: version, Result: c.result, At: c.now}
	if idem != nil {
		return false, o, idem.AddOutcome(ctx, *o)
	}
	return false, o, nil
}

// sameStore reports whether a store given to the engine and its deal
// store are one value (see [sameValue]).
func sameStore(other any, deals DealStore) bool {
	if other == nil || deals == nil {
		return false
	}
	return sameValue(reflect.ValueOf(other), reflect.ValueOf(deals))
}

// sameValue reports whether a and b are one value: of one type, and equal
// by == where the type has it; otherwise, field by field and element by
// element, holding the same maps and slices (not maps or slices of equal
// contents) and no function but nil, since two functions cannot be told
// apart. Thus a store of a struct type that holds a map, given twice, is
// one store, and two stores of that type with maps of their own are two.
func sameValue(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if a.Comparable() && b.Comparable() {
		return a.Equal(b)
	}
	switch a.Kind() {
	case reflect.Map:
		return a.UnsafePointer() == b.UnsafePointer()
	case reflect.Slice:
		return a.UnsafePointer() == b.UnsafePointer() && a.Len() == b.Len() && a.Cap() == b.Cap()
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() && b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	}
	return a.Kind() == reflect.Func && a.IsNil() && b.IsNil()
}

// heldLockKey is the key of the context value that marks the ctx a keyed
// call gives its callbacks while it holds a key lock: a *heldLock.
type heldLockKey struct{}

// heldLock is a key lock of engine e, keyLocks[stripe], that a call with
// key holds, and the one the call that ran it from a callback held, if
// any. A keyed call that finds in its ctx that the lock it needs is held
// by a call it runs inside fails instead of waiting for it (see
// Engine.writeOnce).
type heldLock struct {
	e        *Engine
	stripe   int
	key      string
	lock     chan struct{}
	outer    *heldLock
	released atomic.Bool
}

// holding returns the first of h and the locks outside it that is e's
// lock of stripe and is not released yet; nil if none.
func (h *heldLock) holding(e *Engine, stripe int) *heldLock {
	for ; h != nil; h = h.outer {
		if h.e == e && h.stripe == stripe && !h.released.Load() {
			return h
		}
	}
	return nil
}

// release lets the lock go, once; a call run later with the ctx that
// marks it, by a callback that kept the ctx, then waits for the lock.
func (h *heldLock) release() {
	if h.released.CompareAndSwap(false, true) {
		<-h.lock
	}
}

// keyStripe hashes key (FNV-1a) to one of n stripes.
func keyStripe(key string, n int) int {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return int(h % uint32(n))
}

// authorize asks the policy.
func (e *Engine) authorize(ctx context.Context, c *call, t Target) error {
	c.target = &t
	return e.policy.Authorize(ctx, c.by, c.cmd, t)
}

func inquiryTarget(in *Inquiry) Target {
	return Target{Kind: "inquiry", ID: string(in.ID), Owner: in.Owner, Region: in.Region, Stage: string(in.Stage)}
}

func dealTarget(d *Deal) Target {
	return Target{Kind: "deal", ID: string(d.ID), Owner: d.Owner, Region: d.Region, Stage: string(d.Stage)}
}

// opError prefixes err with the command and its record, once: the
// "pipeline: " that err's own text may start with (a [DefaultPolicy]
// refusal, an error of this package) is not repeated after it.
func opError(cmd Command, kind, id string, err error) error {
	if err == nil {
		return nil
	}
	if te, ok := err.(*TransitionError); ok && te.Record == "" {
		// A copy: te may be a guard's or a policy's own, shared by calls.
		named := *te
		named.Record = fmt.Sprintf("%s %s %s", cmd, kind, sp.Quote(id))
		return &named
	}
	return &commandError{prefix: fmt.Sprintf("pipeline: %s %s %s: ", cmd, kind, sp.Quote(id)), err: err}
}

// commandError is the error of a command: err, after a prefix that names
// the command and its record.
type commandError struct {
	prefix string
	err    error
}

func (e *commandError) Error() string {
	return e.prefix + strings.TrimPrefix(e.err.Error(), "pipeline: ")
}

// unprefixed is a sentinel of this package, whose text begins with
// "pipeline: ", wrapped in the middle of a command's error, which begins
// with it already: its text leaves the prefix out.
type unprefixed struct{ err error }

func (u unprefixed) Error() string { return strings.TrimPrefix(u.err.Error(), "pipeline: ") }

func (u unprefixed) Unwrap() error { return u.err }

func (e *commandError) Unwrap() error { return e.err }
