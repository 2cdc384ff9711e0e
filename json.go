package salesprocess

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
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
// The document is decoded into a fresh value that replaces *v only when
// decoding succeeds, so a failed decoding leaves *v unchanged, and fields
// the document leaves out are zero, not what *v held before. JSON null
// leaves *v unchanged, as [json.Unmarshal] does. A v that is not a non-nil
// pointer is an error wrapping ErrInvalid.
func DecodeJSON(kind string, data []byte, v any) error {
	dst := reflect.ValueOf(v)
	if dst.Kind() != reflect.Pointer || dst.IsNil() {
		return Invalid(kind, "cannot decode into %T", v)
	}
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	fresh := reflect.New(dst.Elem().Type())
	err := json.Unmarshal(data, fresh.Interface())
	if err == nil {
		dst.Elem().Set(fresh.Elem())
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
