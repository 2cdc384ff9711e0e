package salesprocess

import (
	"fmt"
	"time"
)

// Rep is a sales representative: a person who follows up inquiries and
// closes deals, assigned to one regional division at a time. The zero Rep is
// invalid: its Validate refuses it.
type Rep struct {
	ID     RepID     `json:"id"`
	Name   string    `json:"name"`
	Region RegionID  `json:"region,omitempty"` // empty until assigned
	Hired  time.Time `json:"hired"`            // zero if unknown
}

// Validate reports whether r has a valid ID and name, a valid region if
// any, and a hiring time within the years of [ValidateTime].
func (r Rep) Validate() error {
	if err := r.ID.Validate(); err != nil {
		return InField("rep.id", err)
	}
	if err := validateName("rep.name", r.Name); err != nil {
		return err
	}
	if err := ValidateTime(r.Hired); err != nil {
		return InField("rep.hired", err)
	}
	return optionalID("rep.region", r.Region)
}

// MarshalJSON encodes r as [encoding/json] encodes its fields, but with
// Hired left out when zero (unknown), and last when set. A Hired that
// cannot be encoded (past the year 9999) is an error wrapping [ErrInvalid]
// that names "rep.hired".
func (r Rep) MarshalJSON() ([]byte, error) {
	type plain Rep
	var hired *time.Time
	if !r.Hired.IsZero() {
		hired = &r.Hired
	}
	raw, err := EncodeJSON(struct {
		plain
		Hired *time.Time `json:"hired,omitempty"`
	}{plain(r), hired})
	if err != nil {
		return nil, fmt.Errorf("salesprocess: marshal rep: %w: %w", Invalid("rep.hired", "cannot be encoded"), err)
	}
	return raw, nil
}

// UnmarshalJSON decodes a rep from the JSON form [encoding/json] gives it,
// or the one [Rep.MarshalJSON] writes: a hired time left out, or written
// out as zero ("0001-01-01T00:00:00Z"), is zero. Errors wrap [ErrInvalid]
// and name the field (see [DecodeJSON]).
func (r *Rep) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(r); err != nil {
		return err
	}
	type plain Rep
	return DecodeJSON("rep", data, (*plain)(r))
}

// Region is a regional sales division: reps are assigned to it, a manager
// leads it, and its periods (a rep's month, the close date of a deal) are
// reckoned in its time zone. Its JSON form holds the zone's IANA name:
//
//	{"id":"north","name":"North","time_zone":"Europe/Berlin","manager":"mgr-1"}
//
// with "manager" left out when empty and a nil Location written as "UTC"; a
// missing or empty "time_zone" decodes to UTC. The zero Region has no ID:
// its Validate refuses it, and its Loc is UTC.
type Region struct {
	ID       RegionID
	Name     string
	Location *time.Location // nil means UTC
	Manager  ActorID        // empty if none
}

// Loc returns the region's location, UTC when unset.
func (r Region) Loc() *time.Location { return orUTC(r.Location) }

// Month returns the calendar month of year in the region's time zone.
func (r Region) Month(year int, month time.Month) Period { return Month(year, month, r.Loc()) }

// Validate reports whether r has a valid ID and name, a time zone that
// [Region.MarshalJSON] can encode (see there; an error names
// "region.time_zone"), and a valid manager if any.
func (r Region) Validate() error {
	if err := r.ID.Validate(); err != nil {
		return InField("region.id", err)
	}
	if err := validateName("region.name", r.Name); err != nil {
		return err
	}
	if err := checkZone(r.Loc()); err != nil {
		return Invalid("region.time_zone", "%v", err)
	}
	return optionalID("region.manager", r.Manager)
}

type regionJSON struct {
	ID       RegionID `json:"id"`
	Name     string   `json:"name"`
	TimeZone string   `json:"time_zone"`
	Manager  ActorID  `json:"manager,omitempty"`
}

// MarshalJSON encodes r with its time zone by name. A location without an IANA
// name (the machine's [time.Local] unless the TZ environment variable names a
// zone, a zone made by [time.FixedZone] under a name that is not that of an
// IANA zone with the same fixed offset, a zone read by
// [time.LoadLocationFromTZData] under a name of its own) is an error
// wrapping [ErrInvalid]: it would decode to another zone, or not at all.
func (r Region) MarshalJSON() ([]byte, error) {
	loc := r.Loc()
	if err := checkZone(loc); err != nil {
		return nil, fmt.Errorf("salesprocess: marshal region: %w", Invalid("region.time_zone", "%v", err))
	}
	return EncodeJSON(regionJSON{ID: r.ID, Name: r.Name, TimeZone: loc.String(), Manager: r.Manager})
}

// UnmarshalJSON decodes the form of [Region.MarshalJSON], loading the time
// zone by its IANA name; an unknown zone, and "Local" (whose meaning
// depends on the machine), are errors wrapping [ErrInvalid] and leave r
// unchanged. JSON null, with or without the spaces JSON allows around it,
// leaves r unchanged, as [json.Unmarshal] does.
func (r *Region) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(r); err != nil {
		return err
	}
	if isNull(data) {
		return nil
	}
	var raw regionJSON
	if err := DecodeJSON("region", data, &raw); err != nil {
		return err
	}
	loc := time.UTC
	if raw.TimeZone != "" {
		l, err := loadZone(raw.TimeZone)
		if err != nil {
			return Invalid("region.time_zone", "%v", err)
		}
		loc = l
	}
	*r = Region{ID: raw.ID, Name: raw.Name, Location: loc, Manager: raw.Manager}
	return nil
}

// Product is something the company sells. Owner is who hears the findings
// and the customers' feedback about it (a product manager). The zero Product
// is invalid: its Validate refuses it.
type Product struct {
	ID    ProductID `json:"id"`
	Name  string    `json:"name"`
	Owner ActorID   `json:"owner,omitempty"`
	Price Money     `json:"price"` // list price per unit; zero Money if none
}

// Validate reports whether p has a valid ID and name, and a valid owner and
// a valid, non-negative price if any.
func (p Product) Validate() error {
	if err := p.ID.Validate(); err != nil {
		return InField("product.id", err)
	}
	if err := validateName("product.name", p.Name); err != nil {
		return err
	}
	if err := optionalID("product.owner", p.Owner); err != nil {
		return err
	}
	if !p.Price.IsUnset() {
		if err := p.Price.Validate(); err != nil {
			return InField("product.price", err)
		}
		if p.Price.Sign() < 0 {
			return Invalid("product.price", "negative")
		}
	}
	return nil
}

// UnmarshalJSON decodes a product from the JSON form [encoding/json] gives it;
// errors wrap [ErrInvalid] and name the field (see [DecodeJSON]).
func (p *Product) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(p); err != nil {
		return err
	}
	type plain Product
	return DecodeJSON("product", data, (*plain)(p))
}

// ChannelKind is the kind of a distribution channel; selling techniques
// and mandatory disclosures differ by kind. Its text form is its name. The
// zero ChannelKind is unset: it encodes as empty text and back, and Validate
// refuses it.
type ChannelKind string

// The channel kinds.
const (
	ChannelFieldVisit ChannelKind = "field_visit" // reps visit customers in person
	ChannelPhone      ChannelKind = "phone"       // phone and inside sales
	ChannelOnline     ChannelKind = "online"      // web shop, e-mail, chat
	ChannelRetail     ChannelKind = "retail"      // own or third-party stores
	ChannelPartner    ChannelKind = "partner"     // partners and distributors
	ChannelWholesale  ChannelKind = "wholesale"   // bulk sales to resellers
)

var channelKinds = []ChannelKind{
	ChannelFieldVisit, ChannelPhone, ChannelOnline, ChannelRetail, ChannelPartner, ChannelWholesale,
}

// Validate reports whether k is a known channel kind.
func (k ChannelKind) Validate() error { return CheckEnum("channel kind", k, channelKinds...) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k ChannelKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown channel kind is an error wrapping
// [ErrInvalid], as UnmarshalText would refuse it.
func (k ChannelKind) MarshalText() ([]byte, error) {
	return MarshalEnum("channel kind", k, channelKinds...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [ErrInvalid]; empty text gives the zero ChannelKind.
func (k *ChannelKind) UnmarshalText(text []byte) error {
	return UnmarshalEnum("channel kind", k, text, channelKinds...)
}

// Channel is a distribution channel through which inquiries arrive and
// deals are made. The zero Channel is invalid: its Validate refuses it.
type Channel struct {
	ID   ChannelID   `json:"id"`
	Name string      `json:"name"`
	Kind ChannelKind `json:"kind"`
}

// Validate reports whether c has a valid ID, name and kind.
func (c Channel) Validate() error {
	if err := c.ID.Validate(); err != nil {
		return InField("channel.id", err)
	}
	if err := validateName("channel.name", c.Name); err != nil {
		return err
	}
	return InField("channel.kind", c.Kind.Validate())
}

// UnmarshalJSON decodes a channel from the JSON form [encoding/json] gives it;
// errors wrap [ErrInvalid] and name the field (see [DecodeJSON]).
func (c *Channel) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(c); err != nil {
		return err
	}
	type plain Channel
	return DecodeJSON("channel", data, (*plain)(c))
}

// Campaign is a marketing campaign on one channel for a period; it brings
// inquiries. Product is empty for a campaign about the whole range. The zero
// Campaign is invalid: its Validate refuses it.
type Campaign struct {
	ID      CampaignID `json:"id"`
	Name    string     `json:"name"`
	Channel ChannelID  `json:"channel"`
	Product ProductID  `json:"product,omitempty"`
	Period  Period     `json:"period"`
	Budget  Money      `json:"budget"` // zero Money if none
}

// Validate reports whether c has a valid ID, name, channel and period
// (within the years 1 to 9999, in a location that [Period.MarshalText] can
// encode), and a valid product and non-negative budget if any.
func (c Campaign) Validate() error {
	if err := c.ID.Validate(); err != nil {
		return InField("campaign.id", err)
	}
	if err := validateName("campaign.name", c.Name); err != nil {
		return err
	}
	if err := c.Channel.Validate(); err != nil {
		return InField("campaign.channel", err)
	}
	if err := optionalID("campaign.product", c.Product); err != nil {
		return err
	}
	if c.Period.IsZero() {
		return Invalid("campaign.period", "missing")
	}
	if err := c.Period.checkYears(); err != nil {
		return Invalid("campaign.period", "%v", err)
	}
	if err := checkZone(c.Period.Location()); err != nil {
		return Invalid("campaign.period", "%v", err)
	}
	if !c.Budget.IsUnset() {
		if err := c.Budget.Validate(); err != nil {
			return InField("campaign.budget", err)
		}
		if c.Budget.Sign() < 0 {
			return Invalid("campaign.budget", "negative")
		}
	}
	return nil
}

// UnmarshalJSON decodes a campaign from the JSON form [encoding/json] gives it;
// errors wrap [ErrInvalid] and name the field (see [DecodeJSON]).
func (c *Campaign) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(c); err != nil {
		return err
	}
	type plain Campaign
	return DecodeJSON("campaign", data, (*plain)(c))
}

// Customer is a potential or actual buyer, a person or an account, in a
// locality (a town, a district: where field tests and campaigns are
// targeted). The zero Customer is invalid: its Validate refuses it.
type Customer struct {
	ID       CustomerID `json:"id"`
	Name     string     `json:"name"`
	Locality string     `json:"locality,omitempty"`
	Region   RegionID   `json:"region,omitempty"`
}

// Validate reports whether c has a valid ID and name, and a valid region and
// locality (at most 256 bytes without control characters) if any.
func (c Customer) Validate() error {
	if err := c.ID.Validate(); err != nil {
		return InField("customer.id", err)
	}
	if err := validateName("customer.name", c.Name); err != nil {
		return err
	}
	if err := validateText("customer.locality", c.Locality, maxNameLength, false); err != nil {
		return err
	}
	return optionalID("customer.region", c.Region)
}

// UnmarshalJSON decodes a customer from the JSON form [encoding/json] gives it;
// errors wrap [ErrInvalid] and name the field (see [DecodeJSON]).
func (c *Customer) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(c); err != nil {
		return err
	}
	type plain Customer
	return DecodeJSON("customer", data, (*plain)(c))
}

// maxNameLength bounds names and localities, in bytes.
const maxNameLength = 256

// validateName requires a non-empty line of text of at most maxNameLength
// bytes.
func validateName(field, s string) error {
	if s == "" {
		return Invalid(field, "empty")
	}
	return validateText(field, s, maxNameLength, false)
}

// validateText applies [ValidateText] to the field.
func validateText(field, s string, max int, multiline bool) error {
	return InField(field, ValidateText(s, max, multiline))
}

// optionalID validates id unless it is empty.
func optionalID[T interface {
	~string
	Validate() error
}](field string, id T) error {
	if id == "" {
		return nil
	}
	return InField(field, id.Validate())
}
