package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// The UnmarshalJSON methods below decode the JSON form [encoding/json]
// gives each type, as json.Unmarshal would, but with the errors of
// [sp.DecodeJSON]: malformed JSON, a value of the wrong JSON type,
// a value its own type refuses (an unknown stage, a malformed amount) and
// a decimal that would be written out in more than [sp.MaxDigitRun]
// digits in a row (a discount of "1e-9999") wrap [sp.ErrInvalid] and
// name the field. They do not validate
// the decoded value; the [Engine] validates what its commands take.
// [Transition] has none, since records decode their history with them.
// Records and events ignore a member they do not know, so that one
// written by a later version reads; the configuration that a person
// writes ([Spec], [StageSpec], [Move], [FollowUpPolicy]) decodes by
// [sp.DecodeJSONStrict] and refuses it, naming it, so that a misspelt
// setting is an error rather than a silent default, and refuses a member
// given twice (by the same key, or by one that differs in case), which
// would otherwise leave its field at the last of its values.

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "activity".
func (a *Activity) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(a); err != nil {
		return err
	}
	type plain Activity
	return sp.DecodeJSON("activity", data, (*plain)(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "completion".
func (c *ActivityCompletion) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain ActivityCompletion
	return sp.DecodeJSON("completion", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "conversion".
func (c *Conversion) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain Conversion
	return sp.DecodeJSON("conversion", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "deal".
func (d *Deal) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(d); err != nil {
		return err
	}
	type plain Deal
	return sp.DecodeJSON("deal", data, (*plain)(d))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "deal_event".
func (e *DealEvent) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(e); err != nil {
		return err
	}
	type plain DealEvent
	return sp.DecodeJSON("deal_event", data, (*plain)(e))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "deal_filter".
func (f *DealFilter) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(f); err != nil {
		return err
	}
	type plain DealFilter
	return sp.DecodeJSON("deal_filter", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "inquiry".
func (in *Inquiry) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(in); err != nil {
		return err
	}
	type plain Inquiry
	return sp.DecodeJSON("inquiry", data, (*plain)(in))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "inquiry_event".
func (e *InquiryEvent) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(e); err != nil {
		return err
	}
	type plain InquiryEvent
	return sp.DecodeJSON("inquiry_event", data, (*plain)(e))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "inquiry_filter".
func (f *InquiryFilter) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(f); err != nil {
		return err
	}
	type plain InquiryFilter
	return sp.DecodeJSON("inquiry_filter", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "line".
func (l *Line) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(l); err != nil {
		return err
	}
	type plain Line
	return sp.DecodeJSON("line", data, (*plain)(l))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "loss_reason".
func (l *LossReason) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(l); err != nil {
		return err
	}
	type plain LossReason
	return sp.DecodeJSON("loss_reason", data, (*plain)(l))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "outcome".
func (o *Outcome) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(o); err != nil {
		return err
	}
	type plain Outcome
	return sp.DecodeJSON("outcome", data, (*plain)(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "service".
func (s *Service) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain Service
	return sp.DecodeJSON("service", data, (*plain)(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] for configuration,
// by [sp.DecodeJSONStrict]: a member other than from and to is refused as
// unknown, and one given twice ("from" and "From") as given twice. Errors
// wrap [sp.ErrInvalid] and name the field below "move".
func (m *Move) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(m); err != nil {
		return err
	}
	type plain Move
	return sp.DecodeJSONStrict("move", data, (*plain)(m))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] for configuration,
// by [sp.DecodeJSONStrict]: a member that no field of the spec, of a
// stage or of a move decodes (a misspelt "probabilty", which would
// otherwise leave the stage at probability 0, or "gates", which have no
// JSON form) is refused as unknown, named by its path
// ("spec.stages[1].probabilty"). A member given twice in the spec, a stage
// or a move, by the same key or by one that differs in case, which would
// otherwise leave its field at the last of its values (the moves of
// {"moves":[...],"Moves":null} nil, the default moves), is refused as
// given twice, naming the second ("spec.Moves"). Errors wrap
// [sp.ErrInvalid] and name the field below "spec". A member "moves" that
// is left out or null gives a nil Moves, the default moves; [] gives an
// empty one.
func (s *Spec) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain Spec
	return sp.DecodeJSONStrict("spec", data, (*plain)(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] for configuration,
// by [sp.DecodeJSONStrict]: a member other than key, name, order,
// probability and kind (a misspelt one, or "gates" and "on_enter", which
// have no JSON form) is refused as unknown, and one given twice as given
// twice. Errors wrap [sp.ErrInvalid] and name the field below
// "stage_spec". The gates and hooks of the result
// are nil.
func (s *StageSpec) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain StageSpec
	return sp.DecodeJSONStrict("stage_spec", data, (*plain)(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "terms".
func (t *Terms) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(t); err != nil {
		return err
	}
	type plain Terms
	return sp.DecodeJSON("terms", data, (*plain)(t))
}

// The MarshalJSON methods below of the records ([Activity], [Deal]), the
// commands' inputs ([ActivityCompletion], [Terms]), DealEvent and the
// filters leave out a zero time or period, which would otherwise be
// written as "0001-01-01T00:00:00Z" or "", as the module's JSON forms do
// (see the package doc of salesprocess). The struct tag option omitzero
// does that from Go 1.24 on; Go 1.23 ignores it, and this module supports
// Go 1.23. Each encodes the type's fields as [encoding/json] does, with
// the zero-able fields replaced by pointers that are nil when zero; those
// fields come last. InquiryEvent's encodes every field. Their
// UnmarshalJSON methods read a member left out as zero, and a zero time
// written out, as earlier versions wrote it, as zero too. The records'
// and the inputs' methods leave the escaping of <, > and & to the encoder
// that calls them; the events' return what [encoding/json.Marshal]
// returns, which the engine puts in an event as it is.
//
// Each refuses a value that cannot be encoded (a time past the year 9999, an
// unknown stage or loss category, a period in a zone without an IANA name)
// with an error wrapping [sp.ErrInvalid] that names the member at fault
// below the type's name, as its UnmarshalJSON names a field
// ("deal_event.closed", "deal_filter.stages[1]"), through a member that has
// such a method of its own down to the member at fault within it
// ("deal_event.activity.due"), and wraps that value's own error.
// [encoding/json.Marshal] puts its own words in front of that error ("json:
// error calling MarshalJSON for type ..."), and still wraps both.

// MarshalJSON implements [encoding/json.Marshaler]; Due and Done are left
// out when zero, and come last.
func (a Activity) MarshalJSON() ([]byte, error) {
	type plain Activity
	raw, err := sp.EncodeJSON(struct {
		plain
		Due  *time.Time `json:"due,omitempty"`
		Done *time.Time `json:"done,omitempty"`
	}{plain(a), nonZero(a.Due), nonZero(a.Done)})
	if err != nil {
		return nil, memberError(err, badMember("activity", a))
	}
	return raw, nil
}

// MarshalJSON implements [encoding/json.Marshaler]; Done is left out when
// zero, and comes last.
func (c ActivityCompletion) MarshalJSON() ([]byte, error) {
	type plain ActivityCompletion
	raw, err := sp.EncodeJSON(struct {
		plain
		Done *time.Time `json:"done,omitempty"`
	}{plain(c), nonZero(c.Done)})
	if err != nil {
		return nil, memberError(err, badMember("completion", c))
	}
	return raw, nil
}

// MarshalJSON implements [encoding/json.Marshaler]; ExpectedClose and
// Closed are left out when zero, and come last.
func (d Deal) MarshalJSON() ([]byte, error) {
	type plain Deal
	raw, err := sp.EncodeJSON(struct {
		plain
		ExpectedClose *time.Time `json:"expected_close,omitempty"`
		Closed        *time.Time `json:"closed,omitempty"`
	}{plain(d), nonZero(d.ExpectedClose), nonZero(d.Closed)})
	if err != nil {
		return nil, memberError(err, badMember("deal", d))
	}
	return raw, nil
}

// MarshalJSON implements [encoding/json.Marshaler]; ExpectedClose is left
// out when zero, and comes last.
func (t Terms) MarshalJSON() ([]byte, error) {
	type plain Terms
	raw, err := sp.EncodeJSON(struct {
		plain
		ExpectedClose *time.Time `json:"expected_close,omitempty"`
	}{plain(t), nonZero(t.ExpectedClose)})
	if err != nil {
		return nil, memberError(err, badMember("terms", t))
	}
	return raw, nil
}

// MarshalJSON implements [encoding/json.Marshaler]; Closed is left out
// when zero.
func (e DealEvent) MarshalJSON() ([]byte, error) {
	raw, err := e.marshal()
	if err != nil {
		return nil, memberError(err, badMember("deal_event", e))
	}
	return raw, nil
}

// marshal returns the JSON of e as [json.Marshal] gives it, or the error
// of [encoding/json]. It encodes by [sp.EncodeJSON], which writes the
// probability as a string whatever decimal.MarshalJSONWithoutQuotes says,
// and then escapes what json.Marshal escapes.
func (e DealEvent) marshal() ([]byte, error) {
	type plain DealEvent
	raw, err := sp.EncodeJSON(struct {
		plain
		Closed *time.Time `json:"closed,omitempty"`
	}{plain(e), nonZero(e.Closed)})
	if err != nil || !bytes.ContainsAny(raw, "<>&") { // U+2028 and U+2029 are escaped already
		return raw, err
	}
	var b bytes.Buffer
	json.HTMLEscape(&b, raw)
	return b.Bytes(), nil
}

// MarshalJSON implements [encoding/json.Marshaler]: every field, as
// encoding/json would encode them without it.
func (e InquiryEvent) MarshalJSON() ([]byte, error) {
	raw, err := e.marshal()
	if err != nil {
		return nil, memberError(err, badMember("inquiry_event", e))
	}
	return raw, nil
}

// marshal returns the JSON of e, or the error of [encoding/json].
func (e InquiryEvent) marshal() ([]byte, error) {
	type plain InquiryEvent
	return json.Marshal(plain(e))
}

// MarshalJSON implements [encoding/json.Marshaler]; Created and Closed
// are left out when zero.
func (f DealFilter) MarshalJSON() ([]byte, error) {
	type plain DealFilter
	raw, err := json.Marshal(struct {
		plain
		Created *sp.Period `json:"created,omitempty"`
		Closed  *sp.Period `json:"closed,omitempty"`
	}{plain(f), nonZero(f.Created), nonZero(f.Closed)})
	if err != nil {
		return nil, memberError(err, badMember("deal_filter", f))
	}
	return raw, nil
}

// MarshalJSON implements [encoding/json.Marshaler]; Received is left out
// when zero.
func (f InquiryFilter) MarshalJSON() ([]byte, error) {
	type plain InquiryFilter
	raw, err := json.Marshal(struct {
		plain
		Received *sp.Period `json:"received,omitempty"`
	}{plain(f), nonZero(f.Received)})
	if err != nil {
		return nil, memberError(err, badMember("inquiry_filter", f))
	}
	return raw, nil
}

// MarshalJSON implements [encoding/json.Marshaler]: the fields as
// [encoding/json] encodes them, but Stages written [] when empty (a list is
// never null), and Moves, which comes last, left out when nil and written
// [] when empty, since the two mean different things (the default moves,
// and none). The gates and hooks of the stages are left out. A stage key,
// kind or move that cannot be encoded is an error wrapping [sp.ErrInvalid]
// that names the member at fault ("spec.stages[1]", "spec.moves[0]").
func (s Spec) MarshalJSON() ([]byte, error) {
	type plain Spec
	var moves *[]Move
	if s.Moves != nil {
		moves = &s.Moves
	}
	p := plain(s)
	if p.Stages == nil {
		p.Stages = []StageSpec{}
	}
	raw, err := sp.EncodeJSON(struct {
		plain
		Moves *[]Move `json:"moves,omitempty"`
	}{p, moves})
	if err != nil {
		return nil, memberError(err, badMember("spec", s))
	}
	return raw, nil
}

// The JSON methods below write each duration as its text ("24h0m0s"), by
// [sp.Duration], and read that text or, as encoding/json writes a
// [time.Duration], an integer of nanoseconds. Each type's JSON form is its
// fields as [encoding/json] encodes them, in the same order, with the
// durations shadowed by [sp.Duration] fields of the same names.

type (
	followUpPolicy FollowUpPolicy
	overdue        Overdue
)

// followUpPolicyJSON is the JSON form of a [FollowUpPolicy].
type followUpPolicyJSON struct {
	followUpPolicy
	FirstContact sp.Duration `json:"first_contact"`
	NextTouch    sp.Duration `json:"next_touch"`
}

// overdueJSON is the JSON form of an [Overdue]; Late is its last field.
type overdueJSON struct {
	overdue
	Late sp.Duration `json:"late"`
}

// MarshalJSON implements [encoding/json.Marshaler]: the durations as text,
// {"first_contact":"24h0m0s","next_touch":"72h0m0s"}.
func (p FollowUpPolicy) MarshalJSON() ([]byte, error) {
	return json.Marshal(followUpPolicyJSON{followUpPolicy(p), sp.Duration(p.FirstContact), sp.Duration(p.NextTouch)})
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] for configuration:
// each duration as text or as an integer of nanoseconds (see
// [sp.Duration]), and a member other than first_contact and next_touch (a
// misspelt one, which would otherwise leave its limit at zero, none)
// refused as unknown, and one given twice as given twice, by
// [sp.DecodeJSONStrict]; a negative duration is refused, as
// [FollowUpPolicy.Validate] refuses it. Errors wrap [sp.ErrInvalid] and
// name the field below "follow_up_policy"; on error p is left unchanged.
func (p *FollowUpPolicy) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(p); err != nil {
		return err
	}
	w := followUpPolicyJSON{followUpPolicy(*p), sp.Duration(p.FirstContact), sp.Duration(p.NextTouch)}
	if err := sp.DecodeJSONStrict("follow_up_policy", data, &w); err != nil {
		return err
	}
	w.followUpPolicy.FirstContact, w.followUpPolicy.NextTouch = time.Duration(w.FirstContact), time.Duration(w.NextTouch)
	if err := FollowUpPolicy(w.followUpPolicy).Validate(); err != nil {
		return err
	}
	*p = FollowUpPolicy(w.followUpPolicy)
	return nil
}

// MarshalJSON implements [encoding/json.Marshaler]: Late as text
// ("26h30m0s"). A Due that cannot be encoded (past the year 9999) is an
// error wrapping [sp.ErrInvalid] that names "overdue.due", as the other
// MarshalJSON methods of this package name the member at fault.
func (o Overdue) MarshalJSON() ([]byte, error) {
	raw, err := json.Marshal(overdueJSON{overdue(o), sp.Duration(o.Late)})
	if err != nil {
		return nil, memberError(err, badMember("overdue", o))
	}
	return raw, nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: Late as text or as
// an integer of nanoseconds (see [sp.Duration]); errors wrap
// [sp.ErrInvalid] and name the field below "overdue".
func (o *Overdue) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(o); err != nil {
		return err
	}
	w := overdueJSON{overdue(*o), sp.Duration(o.Late)}
	if err := sp.DecodeJSON("overdue", data, &w); err != nil {
		return err
	}
	w.overdue.Late = time.Duration(w.Late)
	*o = Overdue(w.overdue)
	return nil
}

// badMember returns where in v, a struct that [encoding/json] could not
// encode, the fault is: the JSON name of its first exported field that
// cannot be encoded on its own below kind ("deal_event.closed"), with the
// index of the first element that cannot in a slice
// ("deal_filter.stages[1]"), or kind alone if each field can. It is for
// the errors of the MarshalJSON methods only: it encodes v again, field
// by field.
func badMember(kind string, v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return kind
	}
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		fv := rv.Field(i)
		if _, err := json.Marshal(fv.Interface()); err == nil {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		name = kind + "." + name
		if fv.Kind() == reflect.Slice {
			for j := range fv.Len() {
				if _, err := json.Marshal(fv.Index(j).Interface()); err != nil {
					return name + "[" + strconv.Itoa(j) + "]"
				}
			}
		}
		return name
	}
	return kind
}

// nonZero returns a pointer to v, or nil if v is zero.
func nonZero[T interface{ IsZero() bool }](v T) *T {
	if v.IsZero() {
		return nil
	}
	return &v
}

// memberError returns the error of a MarshalJSON method of this package
// whose value [encoding/json] could not encode, the member at fault being
// field ("deal.activities[0]"): a [*sp.ValidationError] of field that says
// the member cannot be encoded, wrapping err as [encodeError] does. Where
// err is itself such an error, of a member's own MarshalJSON, the two
// paths are joined, the member's type name giving way to field
// ("deal.activities[0].due" for "activity.due"), and its cause is kept.
func memberError(err error, field string) error {
	for {
		me, ok := err.(*json.MarshalerError)
		if !ok || me.Err == nil {
			break
		}
		err = me.Err
	}
	if inner, ok := err.(*unencodable); ok {
		if _, rest, found := strings.Cut(inner.field.Field, "."); found {
			field += "." + rest
		}
		err = inner.cause
	}
	return &unencodable{&sp.ValidationError{Field: field, Reason: "cannot be encoded"}, err}
}

// unencodable is the error of [memberError]: field, then its cause.
type unencodable struct {
	field *sp.ValidationError
	cause error
}

func (e *unencodable) Error() string   { return e.field.Error() + ": " + e.cause.Error() }
func (e *unencodable) Unwrap() []error { return []error{e.field, e.cause} }

// encodeError returns the error of a value that [encoding/json] could not
// encode: a [*sp.ValidationError] of field (empty for the whole value)
// that says what could not be encoded, with the reason formatted from
// format and args as by [sp.Invalid], and after it err, the value's own
// error (of its MarshalJSON or MarshalText method, or a time's out of
// range), with all it wraps, so that
// [errors.Is] and [errors.As] reach both. The [*json.MarshalerError] that
// encoding/json puts around that error ("json: error calling MarshalJSON
// for type ..."), which speaks of Go types, is left out.
func encodeError(err error, field, format string, args ...any) error {
	for {
		me, ok := err.(*json.MarshalerError)
		if !ok || me.Err == nil {
			break
		}
		err = me.Err
	}
	return fmt.Errorf("%w: %w", sp.Invalid(field, format, args...), err)
}
