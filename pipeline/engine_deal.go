package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/shopspring/decimal"
)

// pipelineOf returns the definition of the pipeline named name.
func (e *Engine) pipelineOf(name string) (*Definition, error) {
	if p, ok := e.pipelines[name]; ok {
		return p, nil
	}
	return nil, sp.Invalid("pipeline", "the engine has no pipeline %s", sp.Quote(name))
}

// dealIDFor returns the ID of the deal the inquiry id converts to (see
// [Options.DealIDFor]).
func (e *Engine) dealIDFor(id sp.InquiryID) (sp.DealID, error) {
	if e.opts.DealIDFor == nil {
		return sp.DealID(id), nil
	}
	dealID := e.opts.DealIDFor(id)
	if err := dealID.Validate(); err != nil {
		return "", sp.InField("deal_id", err)
	}
	return dealID, nil
}

// OpenDeal records a new deal: d with its ID, owner, customer and product
// set (region, channel, campaign, inquiry optional), its terms (lines, or
// an amount, and an expected close date) and the name of its pipeline
// (empty for the default), and no stage, history or version yet. It starts
// in the pipeline's initial stage at version 1, created now: a Created
// given is replaced, but one that JSON cannot hold (see
// [sp.ValidateTime]) is an error wrapping [sp.ErrInvalid] that names
// "created", with an idempotency key or without. The owner must be
// eligible. A deal with the same ID is an error wrapping
// [sp.ErrDuplicate]. A deal that names an inquiry may not have the ID that
// inquiry's conversion gives its deal ([Options.DealIDFor]): that ID is
// [Engine.Convert]'s, which takes a deal stored under it for one it
// created itself; such a deal is an error wrapping [sp.ErrInvalid].
// Emits [EventDealOpened].
func (e *Engine) OpenDeal(ctx context.Context, by sp.Actor, d Deal, opts *CommandOptions) (Deal, error) {
	const cmd = CmdOpen
	fail := func(err error) (Deal, error) { return Deal{}, opError(cmd, "deal", string(d.ID), err) }
	if e.noDeals() {
		return fail(errNoStore("deal"))
	}
	if err := d.validateNew(); err != nil {
		return fail(err)
	}
	if d.Stage != "" || len(d.History) > 0 || d.Version != 0 || !d.Closed.IsZero() || d.Loss != nil || d.Service != nil {
		return fail(sp.Invalid("stage", "a new deal has no stage, history, version, close time, loss or service yet"))
	}
	// Ignored, but in the fingerprint: one it cannot encode is refused
	// here, with a key or without.
	if err := checkTime("created", d.Created); err != nil {
		return fail(err)
	}
	def, err := e.pipelineOf(d.Pipeline)
	if err != nil {
		return fail(err)
	}
	if d.Inquiry != "" {
		if convID, err := e.dealIDFor(d.Inquiry); err == nil && convID == d.ID {
			return fail(sp.Invalid("id", "the ID of the deal inquiry %s converts to; only Convert opens it", sp.Quote(string(d.Inquiry))))
		}
	}
	// The terms before the fingerprint, which encodes their decimals: one
	// of absurd precision is refused here at no cost.
	nd := d.Clone()
	if err := (Terms{Lines: d.Lines, Amount: d.Amount, ExpectedClose: d.ExpectedClose}).apply(&nd); err != nil {
		return fail(err)
	}
	if err := checkActivities(nd.Activities); err != nil {
		return fail(err)
	}
	// The probability, which Start sets, is in the fingerprint too.
	if err := sp.ValidateDecimal(d.Probability); err != nil {
		return fail(sp.InField("probability", err))
	}
	c, err := e.begin(ctx, cmd, by, eventKindDeal, string(d.ID), d, opts)
	if err != nil {
		return fail(err)
	}
	var out Deal
	replayed, err := e.write(ctx, c, writesDeal, &out, func(ctx context.Context, v view) (string, int64, error) {
		if err := (Terms{Lines: d.Lines, Amount: d.Amount}).agrees(nd.Amount); err != nil {
			return "", 0, err
		}
		nd := nd.Clone() // a Transactor may run fn again: each run starts afresh
		e.tick(c, time.Time{})
		nd.Created = c.now
		if err := e.authorize(ctx, c, dealTarget(&nd)); err != nil {
			return "", 0, err
		}
		if err := checkEligible(ctx, e.opts.Eligibility, nd.Owner, nd.Product, nd.Channel, c.now); err != nil {
			return "", 0, err
		}
		if err := def.Start(&nd, c.stamp()); err != nil {
			return "", 0, err
		}
		nd.Version = 1
		out = nd
		ev, err := e.event(v, c.now, c.by.ID, eventKindDeal, EventDealOpened, string(nd.ID), 1,
			dealEvent("", &out, change{reason: c.opts.Reason}))
		if err != nil {
			return "", 0, err
		}
		if err := e.store(ctx, c, v, ev, func() error { return v.deals.CreateDeal(ctx, nd) }); err != nil {
			return "", 0, err
		}
		return string(nd.ID), 1, nil
	})
	if err != nil {
		return fail(err)
	}
	if replayed {
		return out, nil
	}
	return out, e.publish(ctx, c)
}

// Conversion says how an inquiry becomes a deal. The deal takes the
// inquiry's region, customer, product, channel and campaign. The zero
// Conversion gives the deal to the inquiry's owner, on the default pipeline,
// without lines or an amount.
type Conversion struct {
	// Owner owns the deal; empty means the inquiry's owner.
	Owner sp.RepID `json:"owner,omitempty"`
	// Pipeline is the deal's pipeline; empty for the default.
	Pipeline string `json:"pipeline,omitempty"`
	// Terms are the deal's lines or amount and expected close date.
	Terms Terms `json:"terms"`
}

// Convert turns the qualified inquiry id into a deal: the deal, whose ID is
// [Options.DealIDFor] of the inquiry, points at the inquiry, and the
// inquiry, moved to Converted, points at the deal. The owner must be
// eligible. The Policy is asked about [CmdConvert] with the inquiry as
// its [Target]; a Conversion.Owner other than the inquiry's owner is a
// hand-over, and is the Target's NewOwner, as for [CmdAssign]. An inquiry
// in any other stage than Qualified is then refused with a
// [*TransitionError] whose Reason says, after "no such move", what to do
// first or instead (see [Engine.Qualify]): to qualify it (to contact and
// qualify it, when it is new; to reopen it, by [Engine.ReopenInquiry], then
// contact and qualify it, when it is disqualified), or, when it is
// converted already, the deal it was converted to. Emits
// [EventDealOpened], then [EventInquiryConverted], to the Publisher as to
// an [Outbox]: the deal's event first, as its write is.
//
// When the DealStore implements [Transactor] and is also the engine's
// InquiryStore, both writes happen in one transaction. Otherwise (even
// with a Transactor) the deal is created first and the inquiry updated
// second; if a crash falls between the two, a retry finds the deal it
// created (its ID being derived from the inquiry) and completes the
// conversion with it, without a second deal, keeping that deal's owner and
// terms. A deal stored under that ID is taken for one an earlier attempt
// created when it names the inquiry: [Engine.OpenDeal] refuses to open
// such a deal, so through the engine only a conversion makes one. One
// stored under that ID for another inquiry, or for none, is an error
// wrapping [sp.ErrDuplicate].
//
// A deal created by a conversion that then fails (its inquiry update
// conflicts with a concurrent command, say) stays stored, and its
// [EventDealOpened] is published all the same, with the conversion's
// error: one event per stored change, whether or not a retry completes
// the conversion. A deal found stored for the inquiry gets no second
// EventDealOpened, but for one at version 1 when the events are published
// rather than kept in an [Outbox]: a crash may have come before its event
// was published. That event is the one the run that created the deal
// published or would have: its time, actor and reason are those of the
// deal's opening, the first record of its history, not the retry's. Such
// a retry may so publish the opening twice, with the same ID (given a
// deterministic [Options].EventID), which consumers drop as a duplicate.
func (e *Engine) Convert(ctx context.Context, by sp.Actor, id sp.InquiryID, conv Conversion, opts *CommandOptions) (Inquiry, Deal, error) {
	const cmd = CmdConvert
	fail := func(err error) (Inquiry, Deal, error) {
		return Inquiry{}, Deal{}, opError(cmd, "inquiry", string(id), err)
	}
	switch {
	case e.noInquiries():
		return fail(errNoStore("inquiry"))
	case e.noDeals():
		return fail(errNoStore("deal"))
	}
	if err := id.Validate(); err != nil {
		return fail(sp.InField("id", err))
	}
	if err := optional(conv.Owner); err != nil {
		return fail(sp.InField("owner", err))
	}
	def, err := e.pipelineOf(conv.Pipeline)
	if err != nil {
		return fail(err)
	}
	// As in OpenDeal: the terms before the fingerprint.
	if err := conv.Terms.apply(&Deal{}); err != nil {
		return fail(sp.InField("terms", err))
	}
	c, err := e.begin(ctx, cmd, by, eventKindInquiry, string(id), conv, opts)
	if err != nil {
		return fail(err)
	}
	dealID, err := e.dealIDFor(id)
	if err != nil {
		return fail(err)
	}
	var (
		out struct {
			Inquiry Inquiry `json:"inquiry"`
			Deal    Deal    `json:"deal"`
		}
	)
	replayed, err := e.write(ctx, c, writesInquiry|writesDeal, &out, func(ctx context.Context, v view) (string, int64, error) {
		in, err := v.inquiries.GetInquiry(ctx, id)
		if err != nil {
			return "", 0, err
		}
		if err := e.authorizeConversion(ctx, c, &in, conv.Owner); err != nil {
			return "", 0, err
		}
		if err := c.expect(in.Version); err != nil {
			return "", 0, err
		}
		d, err := e.convertedDeal(ctx, c, def, dealID, conv, &in)
		if err != nil {
			return "", 0, err
		}
		// The inquiry as the conversion leaves it, and the events of both
		// records, before anything is written: an event or an outcome that
		// cannot be made fails the conversion with nothing stored.
		expected := in.Version
		if err := e.inquiryM.Fire(ctx, &in, InquiryConverted, c.stamp()); err != nil {
			return "", 0, err
		}
		in.Deal = dealID
		in.Version = expected + 1
		out.Inquiry, out.Deal = in, d
		inquiryEv, err := e.event(v, c.now, c.by.ID, eventKindInquiry, EventInquiryConverted, string(id), in.Version,
			inquiryEvent(InquiryQualified, &out.Inquiry, change{reason: c.opts.Reason}))
		if err != nil {
			return "", 0, err
		}
		dealEv, err := e.openingEvent(c, v, &d)
		if err != nil {
			return "", 0, err
		}
		if err := e.encodeResult(c); err != nil {
			return "", 0, err
		}
		// The deal first: a crash after it leaves a deal a retry finds.
		if dealEv, err = e.createConvertedDeal(ctx, c, v, d, &out.Deal, dealEv); err != nil {
			return "", 0, err
		}
		// The deal's opening event goes with its creation, before the
		// inquiry is written: where no transaction holds both writes, the
		// deal stays even if the inquiry update fails, and its event is
		// then published all the same (see Engine.writeOnce).
		if err := e.emit(ctx, c, v, dealEv); err != nil {
			return "", 0, err
		}
		if err := v.inquiries.UpdateInquiry(ctx, in, expected); err != nil {
			return "", 0, err
		}
		if err := e.emit(ctx, c, v, inquiryEv); err != nil {
			return "", 0, err
		}
		return string(id), in.Version, nil
	})
	if err != nil {
		return fail(err)
	}
	if replayed {
		return out.Inquiry, out.Deal, nil
	}
	return out.Inquiry, out.Deal, e.publish(ctx, c)
}

// authorizeConversion checks, for call c, that the inquiry in, just
// loaded, may be converted to a deal that owner (empty for the inquiry's
// owner) owns: it ticks c's clock past the inquiry's history, asks the
// Policy, for which an owner other than the inquiry's is a hand-over,
// as an assignment is, and refuses an inquiry whose stage has no move to
// Converted.
func (e *Engine) authorizeConversion(ctx context.Context, c *call, in *Inquiry, owner sp.RepID) error {
	e.tick(c, lastAt(in.History))
	t := inquiryTarget(in)
	if owner != in.Owner {
		t.NewOwner = owner
	}
	if err := e.authorize(ctx, c, t); err != nil {
		return err
	}
	if !e.inquiryM.Allows(in.Stage, InquiryConverted, false) {
		return e.inquiryM.refuse(in.Stage, InquiryConverted, e.inquiryRefusal(CmdConvert, in, reasonNoMove), "", nil)
	}
	return nil
}

// convertedDeal returns the deal dealID that the conversion conv of
// inquiry in makes for call c, started on pipeline def at version 1: it
// takes the inquiry's region, customer, product, channel and campaign,
// points at the inquiry and has conv's owner, or else the inquiry's, who
// must be eligible. It stores nothing.
func (e *Engine) convertedDeal(ctx context.Context, c *call, def *Definition, dealID sp.DealID, conv Conversion, in *Inquiry) (Deal, error) {
	d := Deal{
		ID: dealID, Owner: conv.Owner, Region: in.Region, Customer: in.Customer, Product: in.Product,
		Channel: in.Channel, Campaign: in.Campaign, Inquiry: in.ID, Created: c.now,
	}
	if d.Owner == "" {
		d.Owner = in.Owner
	}
	if d.Owner == "" {
		return Deal{}, sp.Invalid("owner", "neither the conversion nor the inquiry has an owner")
	}
	if err := conv.Terms.apply(&d); err != nil {
		return Deal{}, sp.InField("terms", err)
	}
	if err := conv.Terms.agrees(d.Amount); err != nil {
		return Deal{}, sp.InField("terms", err)
	}
	if err := checkEligible(ctx, e.opts.Eligibility, d.Owner, d.Product, d.Channel, c.now); err != nil {
		return Deal{}, err
	}
	if err := def.Start(&d, c.stamp()); err != nil {
		return Deal{}, err
	}
	d.Version = 1
	return d, nil
}

// createConvertedDeal stores d, the deal a conversion makes, whose
// opening event is ev, and returns the event to emit with it. A deal
// already stored under d's ID for the same inquiry is one an attempt that
// a crash interrupted created: the conversion completes with it, setting
// *out, the deal of c's result, to it and encoding the result again; its
// event went out then, unless, without an outbox, that attempt stopped
// before it published a deal still at version 1, whose opening event it
// returns again, timed, signed and explained by that opening. A deal
// stored under the ID for another inquiry, or for none, is an error
// wrapping [sp.ErrDuplicate].
func (e *Engine) createConvertedDeal(ctx context.Context, c *call, v view, d Deal, out *Deal, ev pendingEvent) (pendingEvent, error) {
	err := v.deals.CreateDeal(ctx, d)
	switch {
	case err == nil:
		return ev, nil
	case !errors.Is(err, sp.ErrDuplicate):
		return pendingEvent{}, err
	}
	found, gerr := v.deals.GetDeal(ctx, d.ID)
	if gerr != nil {
		return pendingEvent{}, gerr
	}
	if found.Inquiry != d.Inquiry {
		return pendingEvent{}, fmt.Errorf("deal %s exists for another inquiry: %w", sp.Quote(string(d.ID)), err)
	}
	*out = found
	ev = pendingEvent{}
	if v.outbox == nil && found.Version == 1 {
		if ev, err = e.openingEvent(c, v, out); err != nil {
			return pendingEvent{}, err
		}
	}
	if err := e.encodeResult(c); err != nil {
		return pendingEvent{}, err
	}
	return ev, nil
}

// openingEvent makes the [EventDealOpened] of deal d at version 1 for
// call c (see [Engine.event]): timed, signed and explained by the opening
// its history records first, that of c when d was just started, or that
// of the run that stored it.
func (e *Engine) openingEvent(c *call, v view, d *Deal) (pendingEvent, error) {
	s := c.stamp()
	if len(d.History) > 0 {
		h := d.History[0]
		s = Stamp{At: h.At, Actor: h.Actor, Reason: h.Reason}
	}
	return e.event(v, s.At, s.Actor, eventKindDeal, EventDealOpened, string(d.ID), 1, dealEvent("", d, change{reason: s.Reason}))
}

// updateDeal runs a command that changes the deal id: load it, authorize,
// apply with its pipeline, store at the next version, publish.
func (e *Engine) updateDeal(ctx context.Context, cmd Command, by sp.Actor, id sp.DealID, newOwner sp.RepID, args any, opts *CommandOptions,
	apply func(ctx context.Context, c *call, p *Definition, d *Deal) (change, error)) (Deal, error) {
	fail := func(err error) (Deal, error) { return Deal{}, opError(cmd, "deal", string(id), err) }
	if e.noDeals() {
		return fail(errNoStore("deal"))
	}
	if err := id.Validate(); err != nil {
		return fail(sp.InField("id", err))
	}
	c, err := e.begin(ctx, cmd, by, eventKindDeal, string(id), args, opts)
	if err != nil {
		return fail(err)
	}
	var (
		out    Deal
		before DealStage
		ch     change
	)
	replayed, err := e.write(ctx, c, writesDeal, &out, func(ctx context.Context, v view) (string, int64, error) {
		d, err := v.deals.GetDeal(ctx, id)
		if err != nil {
			return "", 0, err
		}
		last := lastAt(d.History)
		if d.Service != nil && lastAt(d.Service.History).After(last) {
			last = lastAt(d.Service.History)
		}
		e.tick(c, last)
		t := dealTarget(&d)
		t.NewOwner = newOwner
		if err := e.authorize(ctx, c, t); err != nil {
			return "", 0, err
		}
		if err := c.expect(d.Version); err != nil {
			return "", 0, err
		}
		p, err := e.pipelineOf(d.Pipeline)
		if err != nil {
			return "", 0, err
		}
		before = d.Stage
		expected := d.Version
		if ch, err = apply(ctx, c, p, &d); err != nil {
			return "", 0, err
		}
		d.Version = expected + 1
		out = d
		ev, err := e.event(v, c.now, c.by.ID, eventKindDeal, ch.typ, string(id), d.Version, dealEvent(before, &out, ch))
		if err != nil {
			return "", 0, err
		}
		if err := e.store(ctx, c, v, ev, func() error { return v.deals.UpdateDeal(ctx, d, expected) }); err != nil {
			return "", 0, err
		}
		return string(id), d.Version, nil
	})
	if err != nil {
		return fail(err)
	}
	if replayed {
		return out, nil
	}
	return out, e.publish(ctx, c)
}

// requireOpen refuses, for why and what to do, a deal not on an open
// stage of p: "<why>; reopen it first", or, where no move of p reopens the
// deal's stage, "<why>; its stage cannot be reopened".
func requireOpen(p *Definition, d *Deal, why string) error {
	if p.IsOpen(d.Stage) {
		return nil
	}
	if f := p.m.index.find(string(d.Stage)); f >= 0 && p.info[f].final {
		return refuseState(p.m, d.Stage, why+"; its stage cannot be reopened")
	}
	return refuseState(p.m, d.Stage, why+"; reopen it first")
}

// refuseState returns the refusal, for why, of a command that its record's
// stage s in machine m does not allow, although it moves no stage: a
// [*TransitionError] from s to s, which says that m has no stage s when it
// has none.
func refuseState[S ~string, R Record[S]](m *Machine[S, R], s S, why string) error {
	if m.index.find(string(s)) < 0 {
		why = reasonUnknownFrom
	}
	return m.refuse(s, s, why, "", nil)
}

// AssignDeal makes rep the owner of the open deal id. The rep must be
// eligible for its product and channel. A won or lost deal keeps its
// owner: the record's stage does not allow the command, which is refused
// with a [*TransitionError] that unwraps to [sp.ErrInvalidTransition], as
// a move its stage does not allow is (reopen the deal first). Emits
// [EventDealAssigned].
func (e *Engine) AssignDeal(ctx context.Context, by sp.Actor, id sp.DealID, rep sp.RepID, opts *CommandOptions) (Deal, error) {
	// As in AssignInquiry: before any read.
	if err := rep.Validate(); err != nil {
		return Deal{}, opError(CmdAssign, "deal", string(id), sp.InField("rep", err))
	}
	return e.updateDeal(ctx, CmdAssign, by, id, rep, rep, opts, func(ctx context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := requireOpen(p, d, "a closed deal is not assigned"); err != nil {
			return change{}, err
		}
		if err := checkEligible(ctx, e.opts.Eligibility, rep, d.Product, d.Channel, c.now); err != nil {
			return change{}, err
		}
		d.Owner = rep
		return change{typ: EventDealAssigned, reason: c.opts.Reason}, nil
	})
}

// LogDealActivity adds activity a to the deal id, as
// [Engine.LogInquiryActivity] does to an inquiry. Emits [EventDealActivity].
func (e *Engine) LogDealActivity(ctx context.Context, by sp.Actor, id sp.DealID, a Activity, opts *CommandOptions) (Deal, error) {
	// As in LogInquiryActivity: the activity before the fingerprint.
	if err := checkActivity(a, by); err != nil {
		return Deal{}, opError(CmdLogActivity, "deal", string(id), err)
	}
	return e.updateDeal(ctx, CmdLogActivity, by, id, "", a, opts, func(_ context.Context, c *call, _ *Definition, d *Deal) (change, error) {
		if err := addActivity(&d.Activities, a, c); err != nil {
			return change{}, err
		}
		return change{typ: EventDealActivity, reason: c.opts.Reason, activity: &d.Activities[len(d.Activities)-1]}, nil
	})
}

// CompleteDealActivity marks the planned activity activityID of the deal
// id done, as [Engine.CompleteInquiryActivity] does that of an inquiry,
// but for the lower bound of the done time: a deal has none, since its
// Created is when it was recorded, which the activities it was opened with
// may well precede. It is allowed in every stage, as logging an activity
// is. Emits [EventDealActivityCompleted].
func (e *Engine) CompleteDealActivity(ctx context.Context, by sp.Actor, id sp.DealID, activityID string, c ActivityCompletion, opts *CommandOptions) (Deal, error) {
	// As in CompleteInquiryActivity: the arguments before the fingerprint.
	if err := checkCompletion(activityID, c); err != nil {
		return Deal{}, opError(CmdCompleteActivity, "deal", string(id), err)
	}
	args := completeArgs{Activity: activityID, Completion: c}
	return e.updateDeal(ctx, CmdCompleteActivity, by, id, "", args, opts, func(_ context.Context, cl *call, _ *Definition, d *Deal) (change, error) {
		acts, a, err := completeActivity(d.Activities, activityID, c, cl, time.Time{}, "")
		if err != nil {
			return change{}, err
		}
		d.Activities = acts
		return change{typ: EventDealActivityCompleted, reason: cl.opts.Reason, activity: a}, nil
	})
}

// SetTerms replaces the lines or amount and the expected close date of the
// open deal id; with lines, the amount is their total. A won or lost deal
// keeps its terms: it is refused with a [*TransitionError] that unwraps to
// [sp.ErrInvalidTransition], as in [Engine.AssignDeal]. Emits
// [EventDealTermsSet].
func (e *Engine) SetTerms(ctx context.Context, by sp.Actor, id sp.DealID, t Terms, opts *CommandOptions) (Deal, error) {
	// As in OpenDeal: the terms before the fingerprint, and before any read.
	if err := t.apply(&Deal{}); err != nil {
		return Deal{}, opError(CmdSetTerms, "deal", string(id), sp.InField("terms", err))
	}
	return e.updateDeal(ctx, CmdSetTerms, by, id, "", t, opts, func(_ context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := requireOpen(p, d, "a closed deal keeps its terms"); err != nil {
			return change{}, err
		}
		if err := t.apply(d); err != nil {
			return change{}, sp.InField("terms", err)
		}
		if err := t.agrees(d.Amount); err != nil { // refused: the change to d is not stored
			return change{}, sp.InField("terms", err)
		}
		return change{typ: EventDealTermsSet, reason: c.opts.Reason}, nil
	})
}

// Advance moves the deal id to stage to, along a move its pipeline allows
// and through the gates that move meets: those of the target and of the
// open stages it skips (see [Definition.Advance] and [StageSpec.Gates]). A
// move into a won stage wins the deal as [Engine.Win] does. Emits
// [EventDealAdvanced], or [EventDealWon].
func (e *Engine) Advance(ctx context.Context, by sp.Actor, id sp.DealID, to DealStage, opts *CommandOptions) (Deal, error) {
	// The stage as text in the fingerprint: a malformed one, which its
	// MarshalText refuses, is refused by the move, as without a key.
	return e.updateDeal(ctx, CmdAdvance, by, id, "", string(to), opts, func(ctx context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := p.Advance(ctx, d, to, c.stamp()); err != nil {
			return change{}, err
		}
		if k, _ := p.Kind(to); k == KindWon {
			e.startService(d, c)
			return change{typ: EventDealWon, reason: c.opts.Reason}, nil
		}
		return change{typ: EventDealAdvanced, reason: c.opts.Reason}, nil
	})
}

// Win closes the deal id as won, in [CommandOptions.Stage] or the
// pipeline's first won stage, along a move its pipeline allows and through
// the gates that move meets (see [Definition.Win]): it needs a positive
// amount; the close time is now and the probability 1. The deal's
// after-sale part starts, awaiting delivery. Emits [EventDealWon].
func (e *Engine) Win(ctx context.Context, by sp.Actor, id sp.DealID, opts *CommandOptions) (Deal, error) {
	return e.updateDeal(ctx, CmdWin, by, id, "", nil, opts, func(ctx context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := p.Win(ctx, d, c.opts.Stage, c.stamp()); err != nil {
			return change{}, err
		}
		e.startService(d, c)
		return change{typ: EventDealWon, reason: c.opts.Reason}, nil
	})
}

// startService starts the after-sale part of a deal just won.
func (e *Engine) startService(d *Deal, c *call) {
	d.Service = &Service{}
	_ = e.serviceM.Start(d.Service, Stamp{At: c.now, Actor: c.by.ID}) // a new Service always starts
}

// Lose closes the deal id as lost for loss, in [CommandOptions.Stage] or
// the pipeline's first lost stage: the close time is now and the
// probability 0. Emits [EventDealLost].
func (e *Engine) Lose(ctx context.Context, by sp.Actor, id sp.DealID, loss LossReason, opts *CommandOptions) (Deal, error) {
	// Checked here, before any read, so that the error is the engine's
	// alone; Definition.Lose checks it again.
	if err := loss.Validate(); err != nil {
		return Deal{}, opError(CmdLose, "deal", string(id), sp.InField("loss", err))
	}
	return e.updateDeal(ctx, CmdLose, by, id, "", loss, opts, func(ctx context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := p.Lose(ctx, d, c.opts.Stage, loss, c.stamp()); err != nil {
			return change{}, err
		}
		return change{typ: EventDealLost, reason: d.History[len(d.History)-1].Reason}, nil
	})
}

// ReopenDeal moves the won or lost deal id back to the open stage to,
// where its pipeline allows it and through the gates of to (see
// [Definition.Reopen]). Emits [EventDealReopened].
func (e *Engine) ReopenDeal(ctx context.Context, by sp.Actor, id sp.DealID, to DealStage, opts *CommandOptions) (Deal, error) {
	// As in Advance: the stage as text.
	return e.updateDeal(ctx, CmdReopen, by, id, "", string(to), opts, func(ctx context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := p.Reopen(ctx, d, to, c.stamp()); err != nil {
			return change{}, err
		}
		return change{typ: EventDealReopened, reason: c.opts.Reason}, nil
	})
}

// OverrideProbability sets the win probability of the open deal id to
// prob, from 0 to 1, until its next stage change (see
// [Definition.Override]). A probability out of range is refused before the
// deal is read, with an error wrapping [sp.ErrInvalid]; a won or lost
// deal, whose probability is always its stage's, with a [*TransitionError]
// that unwraps to [sp.ErrInvalidTransition], as in [Engine.AssignDeal].
// Emits [EventDealProbability].
func (e *Engine) OverrideProbability(ctx context.Context, by sp.Actor, id sp.DealID, prob decimal.Decimal, opts *CommandOptions) (Deal, error) {
	// As in Lose: the engine's error alone.
	if err := checkUnit("probability", prob); err != nil {
		return Deal{}, opError(CmdOverride, "deal", string(id), err)
	}
	return e.updateDeal(ctx, CmdOverride, by, id, "", prob, opts, func(_ context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := p.Override(d, prob); err != nil {
			return change{}, err
		}
		return change{typ: EventDealProbability, reason: c.opts.Reason}, nil
	})
}

// ResetProbability drops the override of the open deal id's probability:
// it is its stage's default again (see [Definition.ResetProbability]). A
// won or lost deal is refused with a [*TransitionError] that unwraps to
// [sp.ErrInvalidTransition], as in [Engine.AssignDeal]. Emits
// [EventDealProbability].
func (e *Engine) ResetProbability(ctx context.Context, by sp.Actor, id sp.DealID, opts *CommandOptions) (Deal, error) {
	return e.updateDeal(ctx, CmdResetProb, by, id, "", nil, opts, func(_ context.Context, c *call, p *Definition, d *Deal) (change, error) {
		if err := p.ResetProbability(d); err != nil {
			return change{}, err
		}
		return change{typ: EventDealProbability, reason: c.opts.Reason}, nil
	})
}

// Deliver records the delivery of the won deal id to its customer: its
// after-sale part moves from AwaitingDelivery to Delivered. Emits
// [EventDealDelivered].
func (e *Engine) Deliver(ctx context.Context, by sp.Actor, id sp.DealID, opts *CommandOptions) (Deal, error) {
	return e.updateDeal(ctx, CmdDeliver, by, id, "", nil, opts, func(ctx context.Context, c *call, _ *Definition, d *Deal) (change, error) {
		if d.Service == nil {
			return change{}, e.serviceM.refuse("", ServiceDelivered, "the deal was not won", "", nil)
		}
		s := d.Service.Clone()
		if err := e.serviceM.Fire(ctx, &s, ServiceDelivered, c.stamp()); err != nil {
			return change{}, err
		}
		d.Service = &s
		return change{typ: EventDealDelivered, reason: c.opts.Reason}, nil
	})
}

// FollowUp records the follow-up service contact of the delivered deal id
// and the customer's feedback given there (none is fine, at most 1000
// pieces): its after-sale part moves to FollowedUp. Each piece of feedback
// needs its own ID, a rating and a category; the deal, customer and
// product default to the deal's, the source to [sp.FromCustomer] and the
// time to now. Feedback invalid with these defaults is refused before the
// deal is read, with an error wrapping [sp.ErrInvalid] that names the
// piece and its field, with an idempotency key or without. A piece that
// names another deal than id, or another customer than the deal's, or is
// dated after the engine's time, is refused the same way once the deal is
// read, changing nothing. Emits
// [EventDealFollowedUp], whose data carries the feedback so completed
// ([DealEvent].Feedback), for the host to pass on to the product's owner
// ([sp.Product].Owner, which the event does not name).
func (e *Engine) FollowUp(ctx context.Context, by sp.Actor, id sp.DealID, feedback []sp.Feedback, opts *CommandOptions) (Deal, error) {
	// As in OpenDeal: the feedback before the fingerprint, which cannot
	// encode an unknown category or an out-of-range time, and before any
	// read. The deal's customer and product are not known yet: a valid
	// product stands in for the deal's, which is valid too, and the
	// customer, which may be empty, stays empty.
	if _, err := completeFeedback(feedback, &Deal{Product: "product"}, time.Unix(0, 0).UTC()); err != nil {
		return Deal{}, opError(CmdFollowUp, "deal", string(id), err)
	}
	// No feedback is one argument, nil or empty: its fingerprint is the
	// same.
	args := feedback
	if len(args) == 0 {
		args = nil
	}
	return e.updateDeal(ctx, CmdFollowUp, by, id, "", args, opts, func(ctx context.Context, c *call, _ *Definition, d *Deal) (change, error) {
		if d.Service == nil {
			return change{}, e.serviceM.refuse("", ServiceFollowedUp, "the deal was not won", "", nil)
		}
		fb, err := completeFeedback(feedback, d, c.now)
		if err != nil {
			return change{}, err
		}
		if err := feedbackOf(fb, d, c.now); err != nil {
			return change{}, err
		}
		s := d.Service.Clone()
		if err := e.serviceM.Fire(ctx, &s, ServiceFollowedUp, c.stamp()); err != nil {
			return change{}, err
		}
		s.Feedback = append(s.Feedback, fb...)
		d.Service = &s
		return change{typ: EventDealFollowedUp, reason: c.opts.Reason, feedback: fb}, nil
	})
}

// feedbackOf checks that each piece of the completed feedback fb of a
// follow-up of deal d is about d, from its customer, and given by now, the
// engine's time: feedback is recorded once given, as a done activity is.
func feedbackOf(fb []sp.Feedback, d *Deal, now time.Time) error {
	for i, f := range fb {
		if f.Time.After(now) {
			return sp.Invalid(fmt.Sprintf("feedback[%d].time", i), "%s is after the engine's time %s: feedback is recorded once given", sp.FormatTime(f.Time), sp.FormatTime(now))
		}
		if f.Deal != d.ID {
			return sp.Invalid(fmt.Sprintf("feedback[%d].deal", i), "deal %s, not the deal followed up, %s", sp.Quote(string(f.Deal)), sp.Quote(string(d.ID)))
		}
		if f.Customer != d.Customer {
			return sp.Invalid(fmt.Sprintf("feedback[%d].customer", i), "customer %s, not the deal's, %s", sp.Quote(string(f.Customer)), sp.Quote(string(d.Customer)))
		}
	}
	return nil
}

// completeFeedback returns a copy of the feedback of a follow-up of deal d
// at time now, with the defaults [Engine.FollowUp] documents filled in,
// after checking it: at most maxFeedback pieces, each valid, no ID twice.
func completeFeedback(feedback []sp.Feedback, d *Deal, now time.Time) ([]sp.Feedback, error) {
	if len(feedback) > maxFeedback {
		return nil, sp.Invalid("feedback", "%d pieces, more than %d", len(feedback), maxFeedback)
	}
	fb := slices.Clone(feedback)
	for i := range fb {
		f := &fb[i]
		if f.Deal == "" {
			f.Deal = d.ID
		}
		if f.Customer == "" {
			f.Customer = d.Customer
		}
		if f.Product == "" {
			f.Product = d.Product
		}
		if f.Source == "" {
			f.Source = sp.FromCustomer
		}
		if f.Time.IsZero() {
			f.Time = now
		}
		if err := f.Validate(); err != nil {
			return nil, sp.InElement("feedback", i, "feedback", err)
		}
		if slices.ContainsFunc(fb[:i], func(g sp.Feedback) bool { return g.ID == f.ID }) {
			return nil, sp.Invalid(fmt.Sprintf("feedback[%d].id", i), "feedback %s given twice", sp.Quote(string(f.ID)))
		}
	}
	return fb, nil
}
