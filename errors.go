package salesprocess

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors shared by every package of the module. Callers branch on
// them with [errors.Is]; the packages wrap them with the operation and the
// detail, and host stores return them (or wrap them) so that the engine can
// tell, for example, a missing record from a broken connection whatever the
// store keeps.
var (
	// ErrNotFound reports that a record does not exist.
	ErrNotFound = errors.New("salesprocess: not found")

	// ErrConflict reports that a record changed since it was read: an update
	// carried a stale version. Nothing was written; reload and retry.
	ErrConflict = errors.New("salesprocess: conflict")

	// ErrInvalid reports an input that breaks a documented rule: a malformed
	// amount, an empty identifier, a reversed period. [*ValidationError]
	// unwraps to it.
	ErrInvalid = errors.New("salesprocess: invalid input")

	// ErrInvalidTransition reports a stage change the stage machine does not
	// allow, or a guard refused.
	ErrInvalidTransition = errors.New("salesprocess: invalid transition")

	// ErrForbidden reports that the acting [Actor] may not do what was asked.
	ErrForbidden = errors.New("salesprocess: forbidden")

	// ErrCurrencyMismatch reports arithmetic or a comparison between amounts
	// of different currencies. The library never converts silently.
	ErrCurrencyMismatch = errors.New("salesprocess: currency mismatch")

	// ErrDuplicate reports that a record with the same identifier exists.
	ErrDuplicate = errors.New("salesprocess: duplicate")
)

// ValidationError describes an input that failed validation: the field at
// fault and why. It unwraps to [ErrInvalid]. The zero ValidationError names
// no field and gives no reason ("invalid input: "); make one with
// [Invalid].
type ValidationError struct {
	// Field names the offending field, as a dotted path when nested
	// ("lines[2].unit_price"). It may be empty when the whole value is bad.
	// The Validate methods of most types of this module name the type
	// first ("goal.rep"); in an element of a list, the list and the index
	// take the place of that name ("goals[1].rep", not
	// "goals[1].goal.rep"), as [InElement] places it.
	Field string
	// Reason says what is wrong, in lower case, without the field name.
	Reason string
}

// Error returns "invalid <field>: <reason>", or "invalid input: <reason>"
// when Field is empty.
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return "invalid input: " + e.Reason
	}
	return "invalid " + e.Field + ": " + e.Reason
}

// Unwrap returns [ErrInvalid].
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Invalid returns a [*ValidationError] for field, the reason formatted from
// format and args as by [fmt.Sprintf].
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// InField prefixes the field of a [*ValidationError] found in err's chain
// with parent, so that validation of a nested value reports the whole path
// ("campaign.budget" rather than "budget"). It returns a new
// *ValidationError, followed by the errors err joins with the one found, if
// any: a line in another currency, refused with
// fmt.Errorf("%w: %w", Invalid(...), ErrCurrencyMismatch), still wraps
// [ErrCurrencyMismatch] when placed, and its text still ends with that
// error's. The joined errors are kept as they are: another
// *ValidationError among them is not placed. Single wrappers of the one
// found (a prefix such as "load: ") are left out. Other errors, and nil,
// are returned unchanged.
func InField(parent string, err error) error {
	if err == nil {
		// Return before errors.As, whose target escapes: validation that
		// passes allocates nothing.
		return nil
	}
	var ve *ValidationError
	if parent == "" || !errors.As(err, &ve) {
		return err
	}
	field := parent
	if ve.Field != "" {
		field = parent + "." + ve.Field
	}
	return placed(&ValidationError{Field: field, Reason: ve.Reason}, ve, err)
}

// InElement places the error of validating element i of the list named list
// ("goals", "input.reps") at "list[i]", as [InField] does with the parent
// "list[i]", except that the path of the [*ValidationError] found in err's
// chain loses its first segment when that segment is kind: the element's
// type, which the Validate methods of most types of this module name first
// ("goal.rep" from a goal). The list and the index take the place of that
// name, as in [DecodeJSON]: with kind "goal", the field "goal.rep" becomes
// "goals[1].rep" and the field "goal", or an empty one, "goals[1]". A field
// that does not begin with kind (the "currency" of a [Money], whose Validate
// names no type) is kept whole below "list[i]". Like InField it returns a
// new *ValidationError followed by the errors err joins with the one found;
// other errors, and nil, are returned unchanged.
func InElement(list string, i int, kind string, err error) error {
	if err == nil {
		// Return before errors.As, whose target escapes: validation that
		// passes allocates nothing.
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	field := list + "[" + strconv.Itoa(i) + "]"
	within := ve.Field
	if kind != "" {
		if within == kind {
			within = ""
		} else if rest, ok := strings.CutPrefix(within, kind+"."); ok {
			within = rest
		}
	}
	if within != "" {
		field += "." + within
	}
	return placed(&ValidationError{Field: field, Reason: ve.Reason}, ve, err)
}

// placed returns moved, the [*ValidationError] found in err's chain at a
// new place, followed by the errors err joins with found: the other
// branches of each multiple wrapper (fmt.Errorf with several %w verbs,
// [errors.Join]) on the way from err to found, in order. It returns moved
// alone when there are none, or when found is not in err's tree (a type's
// As method made it).
func placed(moved, found *ValidationError, err error) error {
	others, ok := joinedWith(err, found, 0)
	if !ok || len(others) == 0 {
		return moved
	}
	return &placedError{moved: moved, others: others}
}

// joinedWith returns the branches of the multiple wrappers on the way from
// err to found that do not lead to found, and whether found is in err's
// tree at all; depth is how far down err's tree err is. It looks no
// deeper than 1000 errors, so that an error that unwraps to itself ends
// the search (found, then, is not in the tree).
func joinedWith(err error, found *ValidationError, depth int) ([]error, bool) {
	if depth > 1000 {
		return nil, false
	}
	switch x := err.(type) {
	case *ValidationError:
		if x == found {
			return nil, true
		}
	case interface{ Unwrap() error }:
		return joinedWith(x.Unwrap(), found, depth+1)
	case interface{ Unwrap() []error }:
		branches := x.Unwrap()
		for i, b := range branches {
			below, ok := joinedWith(b, found, depth+1)
			if !ok {
				continue
			}
			others := make([]error, 0, len(branches)-1+len(below))
			for j, o := range branches {
				if j == i {
					others = append(others, below...)
				} else if o != nil {
					others = append(others, o)
				}
			}
			return others, true
		}
	}
	return nil, false
}

// placedError is a [*ValidationError] that [InField] or [InElement] placed,
// followed by the errors that were joined with it.
type placedError struct {
	moved  *ValidationError
	others []error
}

func (e *placedError) Error() string {
	var b strings.Builder
	b.WriteString(e.moved.Error())
	for _, o := range e.others {
		b.WriteString(": ")
		b.WriteString(o.Error())
	}
	return b.String()
}

func (e *placedError) Unwrap() []error {
	return append([]error{e.moved}, e.others...)
}
