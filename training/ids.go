package training

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

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
func (id ModuleID) Validate() error { return salesprocess.ValidateID("module id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id CurriculumID) Validate() error { return salesprocess.ValidateID("curriculum id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id AttemptID) Validate() error { return salesprocess.ValidateID("attempt id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id AssignmentID) Validate() error { return salesprocess.ValidateID("assignment id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id PilotID) Validate() error { return salesprocess.ValidateID("pilot id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id IssueID) Validate() error { return salesprocess.ValidateID("issue id", id) }

// Validate reports whether id is a valid identifier; see [ModuleID].
func (id SaleID) Validate() error { return salesprocess.ValidateID("sale id", id) }

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

// validateText requires valid UTF-8 of at most max bytes without control
// characters other than tabs and line breaks (NUL, which databases refuse
// in text, among them); when required it must also hold something other
// than space.
func validateText(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return salesprocess.Invalid(field, "empty")
	case len(s) > max:
		return salesprocess.Invalid(field, "longer than %d bytes", max)
	case !utf8.ValidString(s):
		return salesprocess.Invalid(field, "not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return salesprocess.Invalid(field, "has the control character %U", r)
		}
	}
	return nil
}

// validateTime requires a time within the years JSON and SQL hold (see
// [salesprocess.ValidateTime]) and, when required, not zero.
func validateTime(field string, t time.Time, required bool) error {
	if required && t.IsZero() {
		return salesprocess.Invalid(field, "missing")
	}
	return salesprocess.InField(field, salesprocess.ValidateTime(t))
}

// maxDecimalDigits bounds the digits of the fractions and ratings this
// package takes on either side of the point, as [salesprocess.Money]
// bounds amounts.
const maxDecimalDigits = 40

// decimalBounded reports whether d's exponent and digits are within
// maxDecimalDigits. It is checked before d is compared: a decimal such as
// decimal.New(1, -2000000000) is compared by scaling the other operand to
// its exponent, a number of two billion digits.
func decimalBounded(d decimal.Decimal) bool {
	exp := d.Exponent()
	return exp >= -maxDecimalDigits && int64(exp)+int64(d.NumDigits()) <= maxDecimalDigits
}

// decimalText writes d for a message, briefly whatever its exponent.
func decimalText(d decimal.Decimal) string {
	if decimalBounded(d) {
		return d.String()
	}
	c := d.Coefficient().String()
	if len(c) > 20 {
		c = c[:20] + "..."
	}
	return c + "e" + strconv.Itoa(int(d.Exponent()))
}

// errNilContext is the error of a method given a nil context.
var errNilContext = fmt.Errorf("training: %w", salesprocess.Invalid("ctx", "nil context"))
