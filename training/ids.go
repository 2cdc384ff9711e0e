package training

import (
	"fmt"
	"strings"
	"time"

	"github.com/salesprocess/salesprocess"
)

// Identifier types of this package. Like the root identifiers (see
// [salesprocess.RepID]) each is chosen by the host and must be 1 to
// [salesprocess.MaxIDLength] bytes of printable UTF-8 text without leading
// or trailing space. The zero value, the empty ID, means "none" where a
// field is optional and is invalid where an ID is required.
type (
	// ModuleID identifies a training [Module]. Like every identifier
	// type of this package, a valid ModuleID follows the rules of
	// [salesprocess.RepID]: 1 to [salesprocess.MaxIDLength] bytes of
	// printable UTF-8 text without leading or trailing space.
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

// validateText applies [salesprocess.ValidateText] to field, a multiline
// text; when required it must also hold something other than space.
func validateText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return salesprocess.Invalid(field, "empty")
	}
	return salesprocess.InField(field, salesprocess.ValidateText(s, max, true))
}

// validateLocality applies [salesprocess.ValidateText] to field, a
// locality: a line of at most 256 bytes, as the locality of
// [salesprocess.Feedback] is, so that feedback may come from it; when
// required it must also hold something other than space.
func validateLocality(field, s string, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return salesprocess.Invalid(field, "empty")
	}
	return salesprocess.InField(field, salesprocess.ValidateText(s, maxNameLength, false))
}

// validateTime requires a time within the years JSON and SQL hold (see
// [salesprocess.ValidateTime]) and, when required, not zero.
func validateTime(field string, t time.Time, required bool) error {
	if required && t.IsZero() {
		return salesprocess.Invalid(field, "missing")
	}
	return salesprocess.InField(field, salesprocess.ValidateTime(t))
}

// errNilContext returns the error of the operation op ("certify") given
// a nil context, named as the operation's other errors are.
func errNilContext(op string) error {
	return fmt.Errorf("training: %s: %w", op, salesprocess.Invalid("ctx", "nil context"))
}
