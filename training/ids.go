package training

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/salesprocess/salesprocess"
)

// Identifier types of this package. Like the root identifiers (see
// [salesprocess.RepID]) each is chosen by the host and must be 1 to
// [salesprocess.MaxIDLength] bytes of printable UTF-8 text without leading
// or trailing space. The zero value, the empty ID, means "none" where a
// field is optional and is invalid where an ID is required.
type (
	// ModuleID identifies a training [Module].
	ModuleID string
	// CurriculumID identifies a [Curriculum].
	CurriculumID string
	// AttemptID identifies an [Attempt] at an assessment.
	AttemptID string
	// AssignmentID identifies an [Assignment] of a module to a rep.
	AssignmentID string
	// PilotID identifies a field-test [Pilot].
	PilotID string
	// IssueID identifies an [Issue] found in a field test.
	IssueID string
	// SaleID identifies a [Sale] made in a field test.
	SaleID string
)

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id ModuleID) Validate() error { return validateID("module id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id CurriculumID) Validate() error { return validateID("curriculum id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id AttemptID) Validate() error { return validateID("attempt id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id AssignmentID) Validate() error { return validateID("assignment id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id PilotID) Validate() error { return validateID("pilot id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id IssueID) Validate() error { return validateID("issue id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id SaleID) Validate() error { return validateID("sale id", id) }

// validateID applies the rules of the root identifiers to one of ours. The
// root package keeps its checker unexported, so it is repeated here.
func validateID[T ~string](kind string, id T) error {
	s := string(id)
	switch {
	case s == "":
		return salesprocess.Invalid("", "empty %s", kind)
	case len(s) > salesprocess.MaxIDLength:
		return salesprocess.Invalid("", "%s longer than %d bytes", kind, salesprocess.MaxIDLength)
	case !utf8.ValidString(s):
		return salesprocess.Invalid("", "%s not valid UTF-8", kind)
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return salesprocess.Invalid("", "%s %s has a leading or trailing space", kind, quote(s))
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return salesprocess.Invalid("", "%s %s has the non-printable character %U", kind, quote(s), r)
		}
	}
	return nil
}

// requireID validates a required identifier and places the error at field.
func requireID[T interface {
	~string
	Validate() error
}](field string, id T) error {
	return salesprocess.InField(field, id.Validate())
}

// optionalID validates id unless it is empty.
func optionalID[T interface {
	~string
	Validate() error
}](field string, id T) error {
	if id == "" {
		return nil
	}
	return salesprocess.InField(field, id.Validate())
}

// quote quotes s for an error message, cut to a readable length.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}

// validateText requires valid UTF-8 of at most max bytes; when required it
// must also hold something other than space.
func validateText(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return salesprocess.Invalid(field, "empty")
	case len(s) > max:
		return salesprocess.Invalid(field, "longer than %d bytes", max)
	case !utf8.ValidString(s):
		return salesprocess.Invalid(field, "not valid UTF-8")
	}
	return nil
}

// checkEnum reports whether v is one of valid, naming the kind of value and
// listing the valid ones.
func checkEnum[T ~string](kind string, v T, valid []T) error {
	if slices.Contains(valid, v) {
		return nil
	}
	names := make([]string, len(valid))
	for i, x := range valid {
		names[i] = string(x)
	}
	if v == "" {
		return salesprocess.Invalid("", "missing %s; want one of %s", kind, strings.Join(names, ", "))
	}
	return salesprocess.Invalid("", "unknown %s %s; want one of %s", kind, quote(string(v)), strings.Join(names, ", "))
}

// unmarshalEnum sets *dst from text if text is empty or one of valid, and
// leaves it alone otherwise.
func unmarshalEnum[T ~string](kind string, dst *T, text []byte, valid []T) error {
	v := T(text)
	if v != "" {
		if err := checkEnum(kind, v, valid); err != nil {
			return err
		}
	}
	*dst = v
	return nil
}
