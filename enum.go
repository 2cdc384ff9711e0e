package salesprocess

import (
	"reflect"
	"slices"
	"strings"
)

// CheckEnum reports whether v is one of valid, for the string-based
// enumerations of this module and of packages built on it. Like the errors
// of [ValidateID], the error wraps [ErrInvalid], names the kind of value
// ("channel kind") but no field, and lists the valid values (or says that
// none is, when valid is empty); the caller places it with [InField].
func CheckEnum[T ~string](kind string, v T, valid ...T) error {
	if slices.Contains(valid, v) {
		return nil
	}
	names := make([]string, len(valid))
	for i, x := range valid {
		names[i] = string(x)
	}
	want := "want one of " + strings.Join(names, ", ")
	if len(valid) == 0 {
		want = "none is valid"
	}
	if v == "" {
		return Invalid("", "missing %s; %s", kind, want)
	}
	return Invalid("", "unknown %s %s; %s", kind, Quote(string(v)), want)
}

// MarshalEnum implements MarshalText for a string-based enumeration: it
// returns the text of v if v is empty (the zero value) or one of valid, and
// otherwise the error of [CheckEnum], so that what marshals unmarshals back
// by [UnmarshalEnum].
func MarshalEnum[T ~string](kind string, v T, valid ...T) ([]byte, error) {
	if v != "" {
		if err := CheckEnum(kind, v, valid...); err != nil {
			return nil, err
		}
	}
	return []byte(v), nil
}

// UnmarshalEnum implements UnmarshalText for a string-based enumeration:
// it sets *dst from text if text is empty (the zero value) or one of valid,
// and otherwise returns the error of [CheckEnum] and leaves *dst alone.
// A nil dst is the error of [CheckTarget], which names dst's type.
func UnmarshalEnum[T ~string](kind string, dst *T, text []byte, valid ...T) error {
	if err := CheckTarget(dst); err != nil {
		return err
	}
	v := T(text)
	if v != "" {
		if err := CheckEnum(kind, v, valid...); err != nil {
			return err
		}
	}
	*dst = v
	return nil
}

// CheckTarget returns nil if p is not nil, and otherwise an error wrapping
// [ErrInvalid] that names p's type ("invalid input: cannot decode into a
// nil *salesprocess.Region"). The decoding methods (UnmarshalJSON,
// UnmarshalText) of this module and of packages built on it call it
// first, so that a method called on a nil receiver, as [encoding/json]
// never calls it but a host's own code may, returns this error where it
// would panic or name a type of its own.
func CheckTarget[T any](p *T) error {
	if p != nil {
		return nil
	}
	return Invalid("", "cannot decode into a nil *%s", reflect.TypeFor[T]())
}
