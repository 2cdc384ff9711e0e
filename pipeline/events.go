package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/shopspring/decimal"
)

// The types of the events the [Engine] emits, one per stored change,
// through its [sp.Publisher] or to its store's [Outbox]. The Subject of an event
// is the ID of the inquiry or deal; its Data is the JSON of an
// [InquiryEvent] or a [DealEvent].
const (
	EventInquiryReceived     = "pipeline.inquiry.received"
	EventInquiryAssigned     = "pipeline.inquiry.assigned"
	EventInquiryActivity     = "pipeline.inquiry.activity_logged"
	EventInquiryContacted    = "pipeline.inquiry.contacted"
	EventInquiryQualified    = "pipeline.inquiry.qualified"
	EventInquiryDisqualified = "pipeline.inquiry.disqualified"
	EventInquiryReopened     = "pipeline.inquiry.reopened"
	EventInquiryConverted    = "pipeline.inquiry.converted"

	EventDealOpened      = "pipeline.deal.opened"
	EventDealAssigned    = "pipeline.deal.assigned"
	EventDealActivity    = "pipeline.deal.activity_logged"
	EventDealTermsSet    = "pipeline.deal.terms_set"
	EventDealAdvanced    = "pipeline.deal.advanced"
	EventDealWon         = "pipeline.deal.won"
	EventDealLost        = "pipeline.deal.lost"
	EventDealReopened    = "pipeline.deal.reopened"
	EventDealProbability = "pipeline.deal.probability_changed"
	EventDealDelivered   = "pipeline.deal.delivered"
	EventDealFollowedUp  = "pipeline.deal.followed_up"
)

// The kinds of record events are about, as Options.EventID receives them.
const (
	eventKindInquiry = "inquiry"
	eventKindDeal    = "deal"
)

// InquiryEvent is the Data of the inquiry events: the inquiry as the change
// left it, and what the change was about. It carries the fields below
// only: not the inquiry's locality, history or activities (an event of a
// command that logged one carries that one), and its disqualify reason
// only as the Reason of [EventInquiryDisqualified].
type InquiryEvent struct {
	Inquiry  sp.InquiryID  `json:"inquiry"`
	Version  int64         `json:"version"`
	From     InquiryStage  `json:"from,omitempty"` // the stage before, if the change moved it
	Stage    InquiryStage  `json:"stage"`
	Owner    sp.RepID      `json:"owner,omitempty"`
	Region   sp.RegionID   `json:"region"`
	Product  sp.ProductID  `json:"product"`
	Channel  sp.ChannelID  `json:"channel"`
	Campaign sp.CampaignID `json:"campaign,omitempty"`
	Customer sp.CustomerID `json:"customer"`
	Received time.Time     `json:"received"`
	Deal     sp.DealID     `json:"deal,omitempty"`
	// Reason is the command's [CommandOptions].Reason, or for
	// [EventInquiryDisqualified] the reason the inquiry was disqualified for.
	Reason   string    `json:"reason,omitempty"`
	Activity *Activity `json:"activity,omitempty"` // the activity logged, if any
}

// DealEvent is the Data of the deal events: the deal as the change left
// it, and what the change was about. It carries the fields below only:
// not the deal's lines, expected close date, creation time, history or
// activities (an event of a command that logged one carries that one),
// nor its after-sale part beyond its stage and the feedback of the
// follow-up. The time of a change is the event's Time.
type DealEvent struct {
	Deal        sp.DealID       `json:"deal"`
	Version     int64           `json:"version"`
	Pipeline    string          `json:"pipeline,omitempty"`
	From        DealStage       `json:"from,omitempty"` // the stage before, if the change moved it
	Stage       DealStage       `json:"stage"`
	Owner       sp.RepID        `json:"owner"`
	Region      sp.RegionID     `json:"region,omitempty"`
	Customer    sp.CustomerID   `json:"customer"`
	Product     sp.ProductID    `json:"product"`
	Channel     sp.ChannelID    `json:"channel,omitempty"`
	Campaign    sp.CampaignID   `json:"campaign,omitempty"`
	Inquiry     sp.InquiryID    `json:"inquiry,omitempty"`
	Amount      sp.Money        `json:"amount"`
	Probability decimal.Decimal `json:"probability"`
	Overridden  bool            `json:"probability_overridden,omitempty"`
	Closed      time.Time       `json:"closed"`
	Loss        *LossReason     `json:"loss,omitempty"`
	Service     ServiceStage    `json:"service,omitempty"`
	// Reason is the command's [CommandOptions].Reason, or for
	// [EventDealLost] without one the loss as "<category>: <detail>".
	Reason   string        `json:"reason,omitempty"`
	Activity *Activity     `json:"activity,omitempty"` // the activity logged, if any
	Feedback []sp.Feedback `json:"feedback,omitempty"` // recorded at the follow-up
}

// change is what a command did, for its event.
type change struct {
	typ      string
	reason   string
	activity *Activity
	feedback []sp.Feedback
}

func inquiryEvent(before InquiryStage, in *Inquiry, c change) InquiryEvent {
	ev := InquiryEvent{
		Inquiry: in.ID, Version: in.Version, Stage: in.Stage, Owner: in.Owner, Region: in.Region,
		Product: in.Product, Channel: in.Channel, Campaign: in.Campaign, Customer: in.Customer,
		Received: in.Received, Deal: in.Deal, Reason: c.reason, Activity: c.activity,
	}
	if before != in.Stage {
		ev.From = before
	}
	return ev
}

func dealEvent(before DealStage, d *Deal, c change) DealEvent {
	ev := DealEvent{
		Deal: d.ID, Version: d.Version, Pipeline: d.Pipeline, Stage: d.Stage, Owner: d.Owner,
		Region: d.Region, Customer: d.Customer, Product: d.Product, Channel: d.Channel,
		Campaign: d.Campaign, Inquiry: d.Inquiry, Amount: d.Amount, Probability: d.Probability,
		Overridden: d.Overridden, Closed: d.Closed, Loss: d.Loss, Reason: c.reason,
		Activity: c.activity, Feedback: c.feedback,
	}
	if before != d.Stage {
		ev.From = before
	}
	if d.Service != nil {
		ev.Service = d.Service.Stage
	}
	return ev
}

// eventID returns the ID of the event about version of record id of kind.
func (e *Engine) eventID(kind, id string, version int64) string {
	if e.opts.EventID != nil {
		return e.opts.EventID(kind, id, version)
	}
	return "pipeline/" + kind + "/" + id + "/" + strconv.FormatInt(version, 10)
}

// pendingEvent is an event of a call's change, made and checked, waiting
// for [Engine.publish]: ev is about version of a record of kind.
type pendingEvent struct {
	kind    string
	version int64
	ev      sp.Event
}

// checkEvent checks the envelope of the event of type typ about version
// of record id of kind that call c is about to emit: its ID (from
// Options.EventID), time and actor. A command calls it before it stores
// its change, so that an event it could not emit fails it before anything
// is written, with an outbox or without.
func (e *Engine) checkEvent(c *call, kind, typ, id string, version int64) error {
	ev := sp.Event{ID: e.eventID(kind, id, version), Type: typ, Time: c.now, Actor: c.by.ID, Subject: id}
	if err := ev.Validate(); err != nil {
		return fmt.Errorf("event %s of %s %s: %w", typ, kind, sp.Quote(id), err)
	}
	return nil
}

// emit makes the event of type typ about version of record id of kind,
// whose Data is the JSON of data, for call c's change written on v: it is
// appended to v's outbox, in the change's transaction, or else kept in
// c.events for [Engine.publish] once the change is stored. Either way a
// payload that cannot be encoded or an event that does not validate is an
// error, and so is one of the outbox; in a transaction, it fails it.
// ([Engine.checkEvent] has checked the rest of the event before the
// change was written.) The event's time and actor are c's.
func (e *Engine) emit(ctx context.Context, c *call, v view, kind, typ, id string, version int64, data any) error {
	return e.emitAs(ctx, c, v, c.now, c.by.ID, kind, typ, id, version, data)
}

// emitAs is [Engine.emit] with the event's time at and actor by: those
// of a change an earlier run of the command stored, whose event c
// publishes again.
func (e *Engine) emitAs(ctx context.Context, c *call, v view, at time.Time, by sp.ActorID, kind, typ, id string, version int64, data any) error {
	if v.outbox == nil && e.opts.Publisher == nil {
		return nil // nothing receives it: not worth encoding
	}
	var raw []byte
	var err error
	if de, ok := data.(DealEvent); ok {
		// What json.Marshal returns, without checking and compacting
		// again the JSON it returned from DealEvent.MarshalJSON.
		raw, err = de.MarshalJSON()
	} else {
		raw, err = json.Marshal(data)
	}
	if err != nil {
		return encodeError(err, "event %s of %s %s cannot be encoded", typ, kind, sp.Quote(id))
	}
	ev := sp.Event{
		ID: e.eventID(kind, id, version), Type: typ, Time: at, Actor: by,
		Subject: id,
	}
	// The envelope is checked without its Data: json.Marshal's output is
	// valid JSON, which Validate would scan again.
	if err := ev.Validate(); err != nil {
		return fmt.Errorf("event %s of %s %s: %w", typ, kind, sp.Quote(id), err)
	}
	ev.Data = raw
	if v.outbox == nil {
		c.events = append(c.events, pendingEvent{kind: kind, version: version, ev: ev})
		return nil
	}
	if err := v.outbox.AppendEvent(ctx, ev); err != nil {
		return fmt.Errorf("appending event %s of %s %s: %w", typ, kind, sp.Quote(id), err)
	}
	return nil
}

// publish emits the events of call c that no outbox took, in order, once
// its change is stored; an error says the change was stored but an event
// not published.
func (e *Engine) publish(ctx context.Context, c *call) error {
	if e.opts.Publisher == nil {
		return nil
	}
	var errs []error
	for _, pe := range c.events {
		if err := e.opts.Publisher.Publish(ctx, pe.ev); err != nil {
			errs = append(errs, fmt.Errorf("pipeline: %s %s stored at version %d, but publishing %s failed: %w", pe.kind, sp.Quote(pe.ev.Subject), pe.version, pe.ev.Type, err))
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
