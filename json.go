package salesprocess

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
)

// DecodeJSON implements UnmarshalJSON for the struct types of this module
// and of packages built on it: it decodes data into v as [json.Unmarshal]
// does, and turns its errors into errors wrapping [ErrInvalid] that name
// the field at fault below kind ("rep", "deal"): malformed JSON names kind
// itself, a value of the wrong JSON type its field ("rep.name"), and a
// value that its own type refuses (an unknown currency, a malformed
// period) is placed with [InField]. Other errors (a time in another
// format, or not a JSON string) wrap ErrInvalid with kind as the field.
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
		if path := jsonPath(dst.Elem().Type(), typeErr.Field); path != "" {
			field += "." + path
		}
		return Invalid(field, "want %s, got a JSON %s", typeErr.Type, typeErr.Value)
	case errors.As(err, &validErr):
		return InField(kind, err)
	}
	return Invalid(kind, "%v", err)
}

// jsonPath returns path, the Field of a [json.UnmarshalTypeError] met
// decoding into a value of type t, with the names of the JSON document
// only. Go 1.24 and later put the Go name of each embedded struct a field
// is promoted from in the path, where Go 1.23 does not; a row embedding
// Figures, say, has "Figures.won" for the JSON member "won". The names
// are left out, so that errors name the same field on every Go.
func jsonPath(t reflect.Type, path string) string {
	if path == "" {
		return ""
	}
	names := strings.Split(path, ".")
	out := names[:0]
	for _, name := range names {
		t = structBelow(t)
		if t != nil {
			if f, ok := t.FieldByName(name); ok && f.Anonymous && jsonTagName(f) == "" {
				t = f.Type // an embedded struct: its members are the parent's
				continue
			}
			t = memberType(t, name)
		}
		out = append(out, name)
	}
	return strings.Join(out, ".")
}

// structBelow returns the struct type that t holds, through pointers,
// slices, arrays and maps, or nil if there is none.
func structBelow(t reflect.Type) reflect.Type {
	for t != nil {
		switch t.Kind() {
		case reflect.Struct:
			return t
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		default:
			return nil
		}
	}
	return nil
}

// memberType returns the type of the field of struct type t that decodes
// the JSON member name, matched as [json.Unmarshal] does (exactly, then
// without regard to case), or nil if there is none.
func memberType(t reflect.Type, name string) reflect.Type {
	var folded reflect.Type
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && jsonTagName(f) == "" && structBelow(f.Type) != nil) {
			continue
		}
		n := jsonTagName(f)
		if n == "-" {
			continue
		}
		if n == "" {
			n = f.Name
		}
		if n == name {
			return f.Type
		}
		if folded == nil && strings.EqualFold(n, name) {
			folded = f.Type
		}
	}
	return folded
}

// jsonTagName returns the name the json tag of f gives it, empty if none.
func jsonTagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}
