package training

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/salesprocess/salesprocess"
)

// MaxVersionPart bounds each part of a [Version].
const MaxVersionPart = 999999

// Version is the version of a product and its [Brief], "major.minor". A
// field test or a change of the product that alters what reps must know
// bumps the major part and invalidates the certificates earned on earlier
// major versions; a correction that does not bumps the minor part and
// leaves them valid.
//
// The text form is "2.1": the two parts in decimal without leading zeros
// or signs, each at most [MaxVersionPart]. The zero Version, 0.0, means "no
// version": it encodes as empty text and empty text decodes to it, and
// [ParseVersion] refuses "0.0". Version is a comparable value; use
// [Version.Compare] to order versions.
type Version struct {
	Major int
	Minor int
}

// ParseVersion parses the text form of [Version]. Errors wrap
// [salesprocess.ErrInvalid].
func ParseVersion(s string) (Version, error) {
	v, err := parseVersion(s)
	if err != nil {
		return Version{}, fmt.Errorf("training: %w", err)
	}
	return v, nil
}

func parseVersion(s string) (Version, error) {
	maj, min, ok := strings.Cut(s, ".")
	if !ok {
		return Version{}, salesprocess.Invalid("version", "want major.minor such as 2.1, got %s", salesprocess.Quote(s))
	}
	a, errA := parseVersionPart(maj)
	b, errB := parseVersionPart(min)
	switch {
	case errA != nil || errB != nil:
		return Version{}, salesprocess.Invalid("version", "want major.minor such as 2.1 with parts from 0 to %d, got %s", MaxVersionPart, salesprocess.Quote(s))
	case a == 0 && b == 0:
		return Version{}, salesprocess.Invalid("version", "0.0 is not a version")
	}
	return Version{Major: a, Minor: b}, nil
}

func parseVersionPart(s string) (int, error) {
	if s == "" || len(s) > 6 || (len(s) > 1 && s[0] == '0') {
		return 0, salesprocess.ErrInvalid
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, salesprocess.ErrInvalid
		}
	}
	return strconv.Atoi(s)
}

// MustParseVersion is like [ParseVersion] but panics on error. It is meant
// for tests and for versions written into the program.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// IsZero reports whether v is the zero Version, "no version".
func (v Version) IsZero() bool { return v == Version{} }

// Validate reports whether v is a version: not zero and with both parts
// from 0 to [MaxVersionPart].
func (v Version) Validate() error {
	switch {
	case v.IsZero():
		return salesprocess.Invalid("", "missing version")
	case v.Major < 0 || v.Minor < 0 || v.Major > MaxVersionPart || v.Minor > MaxVersionPart:
		return salesprocess.Invalid("", "version parts %d.%d outside 0 to %d", v.Major, v.Minor, MaxVersionPart)
	}
	return nil
}

// Compare returns -1, 0 or +1 as v is before, equal to or after o, by major
// part and then minor part.
func (v Version) Compare(o Version) int {
	switch {
	case v.Major != o.Major:
		return cmpInt(v.Major, o.Major)
	default:
		return cmpInt(v.Minor, o.Minor)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// NextMajor returns the next major version: 2.1 gives 3.0. After a part of
// [MaxVersionPart] the result is beyond the bound, and Validate refuses it.
func (v Version) NextMajor() Version { return Version{Major: v.Major + 1} }

// NextMinor returns the next minor version: 2.1 gives 2.2. After a minor
// part of [MaxVersionPart] the result is beyond the bound, and Validate
// refuses it.
func (v Version) NextMinor() Version { return Version{Major: v.Major, Minor: v.Minor + 1} }

// String returns the text form, "2.1", or "" for the zero Version. An
// invalid version (a negative part) is formatted as it is, for messages.
func (v Version) String() string {
	if v.IsZero() {
		return ""
	}
	return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor)
}

// MarshalText implements [encoding.TextMarshaler] with the form of
// [Version.String]. An invalid non-zero version is an error wrapping
// [salesprocess.ErrInvalid]. In JSON a Version is a string, "2.1".
func (v Version) MarshalText() ([]byte, error) {
	if !v.IsZero() {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("training: marshal version: %w", err)
		}
	}
	return []byte(v.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] for the form of
// [ParseVersion]; empty text decodes to the zero Version. On error v is
// left unchanged.
func (v *Version) UnmarshalText(text []byte) error {
	if err := salesprocess.CheckTarget(v); err != nil {
		return err
	}
	if len(text) == 0 {
		*v = Version{}
		return nil
	}
	p, err := ParseVersion(string(text))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// Severity says how bad a prohibited claim, a missing disclosure or a
// field-test issue is. Its text form is its name; severities are ordered
// [SeverityInfo] < [SeverityWarning] < [SeverityCritical]. The zero
// Severity is empty and invalid where a severity is required.
type Severity string

// The severities.
const (
	// SeverityInfo is worth knowing but needs no action: a discouraged
	// phrase, a cosmetic issue.
	SeverityInfo Severity = "info"
	// SeverityWarning must be fixed before the text is sent or the product
	// launched, unless someone accountable accepts it.
	SeverityWarning Severity = "warning"
	// SeverityCritical must never go out: a claim that breaks the law or
	// the company's policy, an issue that makes the product unsafe or
	// unusable.
	SeverityCritical Severity = "critical"
)

var severities = []Severity{SeverityInfo, SeverityWarning, SeverityCritical}

// Validate reports whether s is a known severity.
func (s Severity) Validate() error { return salesprocess.CheckEnum("severity", s, severities...) }

// Rank returns 1, 2 or 3 for [SeverityInfo], [SeverityWarning] and
// [SeverityCritical], and 0 for anything else.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityCritical:
		return 3
	}
	return 0
}

// AtLeast reports whether s is as severe as o or more; an unknown severity
// is below every known one.
func (s Severity) AtLeast(o Severity) bool { return s.Rank() >= o.Rank() }

// String returns s as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (s Severity) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown severity is an error wrapping
// [salesprocess.ErrInvalid], as UnmarshalText would refuse it.
func (s Severity) MarshalText() ([]byte, error) {
	return salesprocess.MarshalEnum("severity", s, severities...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [salesprocess.ErrInvalid] and leaves s unchanged; empty
// text gives the zero Severity.
func (s *Severity) UnmarshalText(text []byte) error {
	return salesprocess.UnmarshalEnum("severity", s, text, severities...)
}
