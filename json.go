package salesprocess

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// DecodeJSON implements UnmarshalJSON for the struct types of this module
// and of packages built on it: it decodes data into v as [json.Unmarshal]
// does, and turns its errors into errors wrapping [ErrInvalid] that name
// the field at fault below kind ("rep", "deal") by the names of the JSON
// document: malformed JSON names kind itself, and a value of the wrong
// JSON type its member ("rep.name"). A value that its own type refuses by
// its UnmarshalJSON or UnmarshalText method (an unknown currency, a
// malformed period, a time in another format) is named by its path from
// kind, with array indexes ("deal.lines[2].unit_price.currency"), followed
// by the field within it that the type's own error names, if any; the
// error of a type of this module names the type first ("money.currency"),
// and the path takes the place of that name. encoding/json does not say
// where such an error arose, so DecodeJSON finds it, on failure only, by
// decoding the members one by one in the document's order.
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
	}
	// The error of a member's own decoding (an UnmarshalJSON or
	// UnmarshalText method): encoding/json says nothing of where it was.
	path, inner := locate(dst.Elem().Type(), data)
	if inner == nil {
		path, inner = "", err
	}
	field := kind
	if path != "" {
		field += "." + path
	}
	if errors.As(inner, &validErr) {
		// Its field begins with the name of the member's type ("money"
		// for a Money, "period" for a Period), which the path replaces.
		_, within, _ := strings.Cut(validErr.Field, ".")
		if path == "" {
			within = validErr.Field
		}
		return InField(field, &ValidationError{Field: within, Reason: validErr.Reason})
	}
	return Invalid(field, "%v", inner)
}

// locate finds where decoding the JSON object data into a value of struct
// type t fails in the decoding of a member's own: the first member, in the
// order of the document as [json.Unmarshal] meets them, whose value does
// not decode alone into its field's type, with the index of the element
// for an array, as in "price" or "lines[2]". It returns that path and the
// error, or "" and nil when no member fails alone.
func locate(t reflect.Type, data []byte) (string, error) {
	t = structBelow(t)
	dec := json.NewDecoder(bytes.NewReader(data))
	if t == nil || !isDelim(dec, '{') {
		return "", nil
	}
	for dec.More() {
		key, err := dec.Token()
		name, ok := key.(string)
		var raw json.RawMessage
		if err != nil || !ok || dec.Decode(&raw) != nil {
			return "", nil
		}
		ft := memberType(t, name)
		if ft == nil {
			continue
		}
		if below, err := decodeAlone(ft, raw); err != nil {
			return name + below, err
		}
	}
	return "", nil
}

// decodeAlone decodes raw into a new value of type t and returns its
// error, with the path to where it arose below t when t decodes by the
// rules of [encoding/json] rather than by a method of its own: the index
// of an element of an array ("[2]"), the member of an object (".kind").
func decodeAlone(t reflect.Type, raw json.RawMessage) (string, error) {
	if !decodesItself(t) {
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			dec := json.NewDecoder(bytes.NewReader(raw))
			if isDelim(dec, '[') {
				for i := 0; dec.More(); i++ {
					var elem json.RawMessage
					if dec.Decode(&elem) != nil {
						break
					}
					if path, err := decodeAlone(t.Elem(), elem); err != nil {
						return "[" + strconv.Itoa(i) + "]" + path, err
					}
				}
			}
		case reflect.Pointer:
			return decodeAlone(t.Elem(), raw)
		case reflect.Struct:
			if path, err := locate(t, raw); err != nil {
				return "." + path, err
			}
		}
	}
	return "", json.Unmarshal(raw, reflect.New(t).Interface())
}

// decodesItself reports whether a value of type t decodes from JSON by a
// method of its own.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler)
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// isDelim reads the next token of dec and reports whether it is the
// delimiter d.
func isDelim(dec *json.Decoder, d json.Delim) bool {
	tok, err := dec.Token()
	return err == nil && tok == d
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
