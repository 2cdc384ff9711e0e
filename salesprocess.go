package salesprocess

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Identifier types. Each entity has its own string type, so that a deal ID
// cannot be passed where a rep ID belongs. An ID is chosen by the host (a
// database key, a code from an ERP); the library only requires it to be
// valid: 1 to [MaxIDLength] bytes of UTF-8 text with no control or other
// non-printable characters and no leading or trailing space. The zero value,
// the empty ID, means "none" where a field is optional and is invalid where
// an ID is required.
type (
	// RepID identifies a sales representative. Like every identifier
	// type of this module and of packages built on it, a valid RepID is
	// 1 to [MaxIDLength] bytes of UTF-8 text, every character printable
	// (as [unicode.IsPrint] has it, so the only space is U+0020), with no
	// leading or trailing space. The empty ID means "none" where a field
	// is optional and is invalid where an ID is required.
	RepID string
	// RegionID identifies a regional sales division.
	RegionID string
	// ProductID identifies a product.
	ProductID string
	// ChannelID identifies a distribution channel.
	ChannelID string
	// CampaignID identifies a marketing campaign.
	CampaignID string
	// CustomerID identifies a customer, a person or an account.
	CustomerID string
	// InquiryID identifies an inquiry from a potential customer.
	InquiryID string
	// DealID identifies a deal.
	DealID string
	// ActorID identifies whoever acts: a rep, a manager, an admin, a
	// system job.
	ActorID string
	// FeedbackID identifies a piece of [Feedback].
	FeedbackID string
)

// MaxIDLength is the longest identifier, in bytes.
const MaxIDLength = 128

// ValidateID checks id against the rules of identifiers documented on
// [RepID], for the identifier types of this module and of packages built on
// it. The error wraps [ErrInvalid] and names no field, only the kind of ID
// ("rep id"), so that the caller can place it with [InField] ("owner: empty
// rep id").
func ValidateID[T ~string](kind string, id T) error {
	s := string(id)
	switch {
	case s == "":
		return Invalid("", "empty %s", kind)
	case len(s) > MaxIDLength:
		return Invalid("", "%s longer than %d bytes", kind, MaxIDLength)
	case !utf8.ValidString(s):
		return Invalid("", "%s not valid UTF-8", kind)
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	for _, r := range [...]rune{first, last} {
		if unicode.IsSpace(r) { // a line feed too: say which
			return Invalid("", "%s %s has a leading or trailing space (%U)", kind, Quote(s), r)
		}
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return Invalid("", "%s %s has the non-printable character %U", kind, Quote(s), r)
		}
	}
	return nil
}

// ValidateTime reports whether t lies within the years 1 to 9999, both in
// its own location and in UTC, in a zone less than a day off UTC: the
// times that every text and JSON form of a time holds (RFC 3339, whose
// offset has at most 23 hours), so that a record carrying t can be stored
// and sent. RFC 3339 writes the UTC offset in whole minutes, so a time in a
// zone whose offset then had seconds (the local mean times that zones
// kept before about 1940, such as Europe/Amsterdam's +00:19:32) passes but
// comes back from its text up to 59 seconds off. The zero time (January 1
// of year 1, UTC) passes; whether a time is required is the caller's rule.
// The error for a zone a day or more off UTC writes the time in UTC and
// the offset apart, in hours, minutes and seconds ("+25:00:00"). Like the
// errors of [ValidateID], the error wraps [ErrInvalid] and names
// no field; place it with [InField].
func ValidateTime(t time.Time) error {
	if y, u := t.Year(), t.UTC().Year(); y < 1 || y > 9999 || u < 1 || u > 9999 {
		return Invalid("", "time %s outside the years 1 to 9999", FormatTime(t))
	}
	if _, offset := t.Zone(); offset <= -24*3600 || offset >= 24*3600 {
		// RFC 3339 has no such offset: the time in UTC, and the offset
		// apart.
		sign := '+'
		if offset < 0 {
			sign, offset = '-', -offset
		}
		return Invalid("", "time %s has a UTC offset of %c%02d:%02d:%02d, a day or more",
			FormatTime(t.UTC()), sign, offset/3600, offset/60%60, offset%60)
	}
	return nil
}

// LoadZone loads the time zone with the IANA name, as the text and JSON
// forms of this module read a zone (a [Region]'s time_zone, a [Period]'s
// text): an unknown name, the empty one and "Local", whose meaning depends
// on the machine, are errors wrapping [ErrInvalid]. A host type that
// writes a zone by name reads it back with LoadZone and checks it before
// writing with [ValidateZone].
func LoadZone(name string) (*time.Location, error) {
	l, err := loadZone(name)
	if err != nil {
		return nil, Invalid("", "%v", err)
	}
	return l, nil
}

// ValidateZone reports whether loc, written by its name, reads back by
// [LoadZone] as a zone that reckons alike, as [Period.Validate] and a
// [Region]'s MarshalJSON require: [time.Local] and a location without a
// name are refused, and so is a fixed zone made by [time.FixedZone] unless
// its name is that of an IANA zone with the same fixed offset, and a zone
// with transitions under a name that LoadZone does not load (one read by
// [time.LoadLocationFromTZData] under a name of its own, time.Local where
// the TZ environment variable is a file's path). UTC and a nil loc, which
// stands for UTC, pass. Errors wrap [ErrInvalid].
func ValidateZone(loc *time.Location) error {
	if loc == nil {
		return nil
	}
	if err := checkZone(loc); err != nil {
		return Invalid("", "%v", err)
	}
	return nil
}

// FormatTime writes t as the packages of this module write a time in a
// text (an error, a reason, a report): in RFC 3339 with as many decimals
// of a second as t has, in t's own location or, where its UTC offset there
// has seconds, in UTC. RFC 3339 offsets are whole minutes, and the local
// mean times that zones kept before about 1940 (Europe/Amsterdam's
// +00:19:32) are not, so their text in their own location would name
// another instant, up to 59 seconds off.
func FormatTime(t time.Time) string {
	if _, offset := t.Zone(); offset%60 != 0 {
		t = t.UTC()
	}
	return t.Format(time.RFC3339Nano)
}

// ValidateText reports whether s is at most max bytes of valid UTF-8
// without control characters (NUL among them, which databases refuse in
// text); a multiline text may also hold tabs and line breaks. It is the
// rule for the names, reasons, notes and other free text of this module and
// of packages built on it. A negative max is the caller's mistake, not "no
// limit": every text, the empty one too, is refused with an error that names
// max. Like the errors of [ValidateID], the error wraps [ErrInvalid] and
// names no field; place it with [InField].
func ValidateText(s string, max int, multiline bool) error {
	switch {
	case max < 0:
		return Invalid("", "max %d is negative", max)
	case len(s) > max:
		return Invalid("", "longer than %d bytes", max)
	case !utf8.ValidString(s):
		return Invalid("", "not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\t' || r == '\n' || r == '\r')) {
			return Invalid("", "has the control character %U", r)
		}
	}
	return nil
}

// ValidateDecimal reports whether d has at most 40 digits before and 40
// after the decimal point, the bounds of a [Money] amount. Check it before
// comparing or formatting a decimal that came from outside: comparing
// decimal.New(1, -2000000000) with 1 writes out two billion digits. It
// judges d as written, a zero too: 0e-50 and 0e60 are refused, since
// comparing decimal.New(0, -2000000000) with 1 writes out as many digits
// (while [NewMoney] and [Money.AllocateDecimal], which can, take a zero of
// any exponent as zero within the bounds). Like
// the errors of [ValidateID], the error wraps [ErrInvalid] and names no
// field; place it with [InField].
func ValidateDecimal(d decimal.Decimal) error {
	if reason := beyondDigits(d); reason != "" {
		return Invalid("", "%s has %s", decimalText(d), reason)
	}
	return nil
}

// beyondDigits says how d breaks the digit bounds of [ValidateDecimal], or
// returns "" if it keeps them.
func beyondDigits(d decimal.Decimal) string {
	if d.Exponent() < -maxAmountDigits {
		return fmt.Sprintf("more than %d digits after the point", maxAmountDigits)
	}
	if int64(d.NumDigits())+int64(d.Exponent()) > maxAmountDigits {
		return fmt.Sprintf("more than %d digits before the point", maxAmountDigits)
	}
	return ""
}

// Validate reports whether id is a valid identifier; see [RepID].
func (id RepID) Validate() error { return ValidateID("rep id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id RegionID) Validate() error { return ValidateID("region id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id ProductID) Validate() error { return ValidateID("product id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id ChannelID) Validate() error { return ValidateID("channel id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id CampaignID) Validate() error { return ValidateID("campaign id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id CustomerID) Validate() error { return ValidateID("customer id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id InquiryID) Validate() error { return ValidateID("inquiry id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id DealID) Validate() error { return ValidateID("deal id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id ActorID) Validate() error { return ValidateID("actor id", id) }

// Validate reports whether id is a valid identifier; see [RepID].
func (id FeedbackID) Validate() error { return ValidateID("feedback id", id) }
