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

	// EventInquiryActivityCompleted and EventDealActivityCompleted report a
	// planned activity marked done; the payload's Activity is the activity
	// as completed, under the ID it was logged with, so that a consumer
	// updates the one it has rather than count another.
	EventInquiryActivityCompleted = "pipeline.inquiry.activity_completed"
	EventDealActivityCompleted    = "pipeline.deal.activity_completed"
)

// The kinds of record events are about, as Options.EventID receives them.
const (
	eventKindInquiry = "inquiry"
	eventKindDeal    = "deal"
)

// InquiryEvent is the Data of the inquiry events: the inquiry as the change
// left it, and what the change was about. It carries the fields below only:
// not the inquiry's locality, history or activities (an event of a command
// that logged or completed one carries that one), and its disqualify reason
// only as the Reason of [EventInquiryDisqualified]. The zero InquiryEvent
// is of no inquiry; its JSON decodes back.
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
	Activity *Activity `json:"activity,omitempty"` // the activity logged or completed, if any
}

// DealEvent is the Data of the deal events: the deal as the change left it,
// and what the change was about. It carries the fields below only: not the
// deal's lines, expected close date, creation time, history or activities
// (an event of a command that logged or completed one carries that one),
// nor its after-sale part beyond its stage and the feedback of the
// follow-up. The time of a change is the event's Time. The zero DealEvent
// is of no deal; its JSON decodes back.
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
	Activity *Activity     `json:"activity,omitempty"` // the activity logged or completed, if any
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

// pendingEvent is an event of a call's change, made and checked by
// [Engine.event], waiting for [Engine.emit] once the change is written and
// then, unless an outbox took it, for [Engine.publish]: ev is about
// version of a record of kind. A zero pendingEvent is one nothing
// receives (no outbox, no Publisher), which emit drops.
type pendingEvent struct {
	kind    string
	version int64
	ev      sp.Event
}

// event makes the event of type typ about version of record id of kind,
// whose Data is the JSON of data, for a change to be written on v, with the
// time at and the actor by: those of the command's call, or those of a
// change an earlier run of the command stored, whose event the call emits
// again. A command makes the events of its change before it writes it, and
// emits them with [Engine.emit] once it is written, so that an event that
// cannot be made fails the command before anything is stored, with an outbox
// or without: a payload that cannot be encoded, or an envelope that does not
// validate (its ID from Options.EventID, its time, its actor). When nothing
// receives the events (no outbox, no Publisher), the envelope is checked and
// the payload is not encoded.
func (e *Engine) event(v view, at time.Time, by sp.ActorID, kind, typ, id string, version int64, data any) (pendingEvent, error) {
	ev := sp.Event{ID: e.eventID(kind, id, version), Type: typ, Time: at, Actor: by, Subject: id}
	// The envelope is checked without its Data: json.Marshal's output is
	// valid JSON, which Validate would scan again.
	if err := ev.Validate(); err != nil {
		return pendingEvent{}, fmt.Errorf("event %s of %s %s: %w", typ, kind, sp.Quote(id), err)
	}
	if v.outbox == nil && e.opts.Publisher == nil {
		return pendingEvent{}, nil // nothing receives it: not worth encoding
	}
	var raw []byte
	var err error
	// What json.Marshal returns, encoded once: json.Marshal would check
	// and compact again the JSON of the events' MarshalJSON.
	switch d := data.(type) {
	case DealEvent:
		raw, err = d.marshal()
	case InquiryEvent:
		raw, err = d.marshal()
	default:
		raw, err = json.Marshal(data)
	}
	if err != nil {
		return pendingEvent{}, encodeError(err, "", "event %s of %s %s cannot be encoded", typ, kind, sp.Quote(id))
	}
	ev.Data = raw
	return pendingEvent{kind: kind, version: version, ev: ev}, nil
}

// store makes call c's change on v, with its one event ev: it encodes the
// command's result for its outcome ([Engine.encodeResult]), writes the
// change by write, and emits ev ([Engine.emit]), in the order that leaves
// nothing stored when the event or the outcome cannot be made (ev is made
// before, by [Engine.event]).
func (e *Engine) store(ctx context.Context, c *call, v view, ev pendingEvent, write func() error) error {
	if err := e.encodeResult(c); err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	return e.emit(ctx, c, v, ev)
}

// emit emits pe, an event [Engine.event] made for call c's change, once
// the change is written on v: it is appended to v's outbox, in the
// change's transaction (an error of the outbox fails the transaction), or
// else kept in c.events for [Engine.publish] once the change is stored.
func (e *Engine) emit(ctx context.Context, c *call, v view, pe pendingEvent) error {
	switch {
	case pe.ev.ID == "":
		return nil // nothing receives it
	case v.outbox == nil:
		c.events = append(c.events, pe)
		return nil
	}
	if err := v.outbox.AppendEvent(ctx, pe.ev); err != nil {
		return fmt.Errorf("appending event %s of %s %s: %w", pe.ev.Type, pe.kind, sp.Quote(pe.ev.Subject), err)
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
