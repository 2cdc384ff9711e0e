package salesprocess

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"
)

// Event is the envelope of something that happened in the process (an
// inquiry received, a deal won, a finding raised), emitted so that other
// tools can build on it: an outbox, a webhook, an analytics feed. Type names
// the event as "<package>.<record>.<what>", for example
// "pipeline.deal.won"; Subject names what it is about (an inquiry's or a
// deal's ID, a finding's subject key: see each type); Data is the event's
// own JSON payload, documented with each type. ID identifies the event:
// one relayed again from an outbox keeps its ID, and so does one published
// again where IDs are derived from the change (the default of package
// pipeline's engine and of review), by which a consumer drops those it has
// seen.
//
// Two services emit events. The Engine of package pipeline emits the types
// of its Event constants: those beginning "pipeline.inquiry." carry an
// InquiryEvent, those beginning "pipeline.deal." a DealEvent. The Reviewer
// of package review emits "review.finding.raised", carrying a Finding, and
// "review.product_feedback.sent", carrying a ProductFeedback. Package
// training emits none: a host that wants events of certificates or
// assignments makes its own. A consumer tells the payloads apart by Type
// and decodes Data with the payload's own UnmarshalJSON. The zero Event is
// invalid: its Validate refuses it.
type Event struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Time    time.Time       `json:"time"`
	Actor   ActorID         `json:"actor"`
	Subject string          `json:"subject"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// Validate reports whether e has an ID, a type, a time (within the years of
// [ValidateTime]), an actor and a subject, and Data that is valid JSON if
// present, and whether its JSON form reads back: none of its ID, type,
// subject and Data holds more than [MaxDigitRun] digits in a row, which
// [DecodeJSON] refuses.
func (e Event) Validate() error {
	for _, f := range [...]struct{ field, s string }{{"event.id", e.ID}, {"event.type", e.Type}, {"event.subject", e.Subject}} {
		if at := longDigitRun(f.s); at >= 0 {
			return Invalid(f.field, "more than %d digits in a row at byte %d", MaxDigitRun, at)
		}
	}
	if at := longDigitRun([]byte(e.Data)); at >= 0 {
		return Invalid("event.data", "more than %d digits in a row at byte %d", MaxDigitRun, at)
	}
	switch {
	case e.ID == "":
		return Invalid("event.id", "empty")
	case e.Type == "":
		return Invalid("event.type", "empty")
	case e.Time.IsZero():
		return Invalid("event.time", "missing")
	case ValidateTime(e.Time) != nil:
		return InField("event.time", ValidateTime(e.Time))
	case e.Subject == "":
		return Invalid("event.subject", "empty")
	case len(e.Data) > 0 && !json.Valid(e.Data):
		return Invalid("event.data", "not valid JSON")
	}
	return InField("event.actor", e.Actor.Validate())
}

// LogValue implements [slog.LogValuer]: the event as a group of its
// fields, named as in its JSON form, with Data as JSON: nested in the
// output of a [slog.JSONHandler], as in the event's JSON form, and as its
// text in that of a [slog.TextHandler], which would otherwise write the
// list of its bytes.
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", e.ID),
		slog.String("type", e.Type),
		slog.Time("time", e.Time),
		slog.String("actor", string(e.Actor)),
		slog.String("subject", e.Subject),
		slog.Any("data", logData(e.Data)),
	)
}

// logData is an event's Data for a log: JSON to a handler that writes
// JSON, text to one that writes text.
type logData json.RawMessage

// MarshalJSON returns d, null if empty, or, if d is not valid JSON (an
// event that Validate refuses), d as a JSON string.
func (d logData) MarshalJSON() ([]byte, error) {
	switch {
	case len(d) == 0:
		return []byte("null"), nil
	case !json.Valid(d):
		return json.Marshal(string(d))
	}
	return d, nil
}

// MarshalText returns d.
func (d logData) MarshalText() ([]byte, error) { return d, nil }

// UnmarshalJSON decodes an event from the JSON form [encoding/json] gives it;
// errors wrap [ErrInvalid] and name the field (see [DecodeJSON]).
func (e *Event) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(e); err != nil {
		return err
	}
	type plain Event
	return DecodeJSON("event", data, (*plain)(e))
}

// Publisher receives the events the packages emit. The host implements it
// (push to a queue, call a webhook). Publish is called after the change it
// reports was stored; an error is returned to the caller of the command
// but does not undo the change, and the event is then lost. Commands that
// run concurrently publish concurrently, so the events of one record may
// arrive out of order. To keep each event in the same transaction as its
// change, a pipeline store implements
// [github.com/salesprocess/salesprocess/pipeline.Transactor] and
// [github.com/salesprocess/salesprocess/pipeline.Outbox] (the engine then
// appends the events there instead of publishing them) and the host relays
// them from there.
// Implementations must be safe for concurrent use and must not retain e.Data
// past the call without copying it. Wherever a Publisher is optional, nil
// discards events.
type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

// PublisherFunc adapts a function to [Publisher]. A nil PublisherFunc
// discards events, as a nil Publisher does.
type PublisherFunc func(ctx context.Context, e Event) error

var _ Publisher = PublisherFunc(nil)

// Publish returns f(ctx, e), or nil if f is nil.
func (f PublisherFunc) Publish(ctx context.Context, e Event) error {
	if f == nil {
		return nil
	}
	return f(ctx, e)
}
