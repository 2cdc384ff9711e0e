package salesprocess

import (
	"encoding/json"
	"errors"
)

// DecodeJSON implements UnmarshalJSON for the struct types of this module
// and of packages built on it: it decodes data into v as [json.Unmarshal]
// does, and turns its errors into errors wrapping [ErrInvalid] that name
// the field at fault below kind ("rep", "deal"): malformed JSON names kind
// itself, a value of the wrong JSON type its field ("rep.hired"), and a
// value that its own type refuses (an unknown currency, a malformed
// period) is placed with [InField]. Other errors (a time in another
// format) wrap ErrInvalid with kind as the field.
//
// v must be a pointer to a type without this UnmarshalJSON method, so that
// the decoding does not recurse: the method converts its receiver to a
// pointer to a local type with the same fields,
//
//	func (r *Rep) UnmarshalJSON(data []byte) error {
//		type plain Rep
//		return salesprocess.DecodeJSON("rep", data, (*plain)(r))
//	}
//
// As with json.Unmarshal, a failed decoding may have set some fields of v.
func DecodeJSON(kind string, data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var (
		syntax   *json.SyntaxError
		typeErr  *json.UnmarshalTypeError
		validErr *ValidationError
	)
	switch {
	case errors.As(err, &syntax):
		return Invalid(kind, "malformed JSON: %v (at byte %d)", syntax, syntax.Offset)
	case errors.As(err, &typeErr):
		field := kind
		if typeErr.Field != "" {
			field += "." + typeErr.Field
		}
		return Invalid(field, "want %s, got a JSON %s", typeErr.Type, typeErr.Value)
	case errors.As(err, &validErr):
		return InField(kind, err)
	}
	return Invalid(kind, "%v", err)
}
