package pipeline

import sp "github.com/salesprocess/salesprocess"

// The UnmarshalJSON methods below decode the JSON form [encoding/json]
// gives each type, as json.Unmarshal would, but with the errors of
// [sp.DecodeJSON]: malformed JSON, a value of the wrong JSON type
// and a value its own type refuses (an unknown stage, a malformed amount)
// wrap [sp.ErrInvalid] and name the field. They do not validate
// the decoded value; the [Engine] validates what its commands take.
// [Transition] has none, since records decode their history with them.

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "activity".
func (a *Activity) UnmarshalJSON(data []byte) error {
	type plain Activity
	return sp.DecodeJSON("activity", data, (*plain)(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "conversion".
func (c *Conversion) UnmarshalJSON(data []byte) error {
	type plain Conversion
	return sp.DecodeJSON("conversion", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "deal".
func (d *Deal) UnmarshalJSON(data []byte) error {
	type plain Deal
	return sp.DecodeJSON("deal", data, (*plain)(d))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "deal_event".
func (e *DealEvent) UnmarshalJSON(data []byte) error {
	type plain DealEvent
	return sp.DecodeJSON("deal_event", data, (*plain)(e))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "deal_filter".
func (f *DealFilter) UnmarshalJSON(data []byte) error {
	type plain DealFilter
	return sp.DecodeJSON("deal_filter", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "follow_up_policy".
func (p *FollowUpPolicy) UnmarshalJSON(data []byte) error {
	type plain FollowUpPolicy
	return sp.DecodeJSON("follow_up_policy", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "inquiry".
func (in *Inquiry) UnmarshalJSON(data []byte) error {
	type plain Inquiry
	return sp.DecodeJSON("inquiry", data, (*plain)(in))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "inquiry_event".
func (e *InquiryEvent) UnmarshalJSON(data []byte) error {
	type plain InquiryEvent
	return sp.DecodeJSON("inquiry_event", data, (*plain)(e))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "inquiry_filter".
func (f *InquiryFilter) UnmarshalJSON(data []byte) error {
	type plain InquiryFilter
	return sp.DecodeJSON("inquiry_filter", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "line".
func (l *Line) UnmarshalJSON(data []byte) error {
	type plain Line
	return sp.DecodeJSON("line", data, (*plain)(l))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "loss_reason".
func (l *LossReason) UnmarshalJSON(data []byte) error {
	type plain LossReason
	return sp.DecodeJSON("loss_reason", data, (*plain)(l))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "outcome".
func (o *Outcome) UnmarshalJSON(data []byte) error {
	type plain Outcome
	return sp.DecodeJSON("outcome", data, (*plain)(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "overdue".
func (o *Overdue) UnmarshalJSON(data []byte) error {
	type plain Overdue
	return sp.DecodeJSON("overdue", data, (*plain)(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "service".
func (s *Service) UnmarshalJSON(data []byte) error {
	type plain Service
	return sp.DecodeJSON("service", data, (*plain)(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "terms".
func (t *Terms) UnmarshalJSON(data []byte) error {
	type plain Terms
	return sp.DecodeJSON("terms", data, (*plain)(t))
}
