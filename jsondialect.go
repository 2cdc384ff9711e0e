package salesprocess

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// jsonV2 reports whether the [encoding/json] the program is built with is
// implemented by encoding/json/v2, as on Go 1.27 and later (unless built
// with GOEXPERIMENT=nojsonv2) and on Go 1.25 and 1.26 built with
// GOEXPERIMENT=jsonv2. [DecodeJSON] follows the ways of each where they
// differ, which are:
//
//   - the Field of a [json.UnmarshalTypeError] is the whole path to the
//     value at fault, the document's member names, indexes and map keys
//     alike ("Lines.0.qty"), where before it was the JSON names of the
//     struct fields on the way ("lines.qty"), prefixed by those of the
//     members whose own method decoded the value; an error from within
//     such a method now gives the path from where the method began
//     ([pointerPath]);
//   - a map key is decoded by its UnmarshalText method, never by its
//     UnmarshalJSON, and a key of a float kind is decoded as well
//     ([keyMethod], [mapKey]);
//   - a json tag names its field in more cases ([tagName]);
//   - a value reached through an embedded unexported struct is decoded by
//     its own method, not by the rules for structs ([memberRef]);
//   - a time given as another JSON type than a string is an
//     UnmarshalTypeError rather than an error of time.Time's method;
//   - and, encoding, a map keyed by floats is encoded, where before it
//     was refused ([mapKeyName], for [EncodeJSON]).
//
// It is found once, by what encoding/json does: the path it gives to the
// first element of an array of the wrong type.
var jsonV2 = sync.OnceValue(func() bool {
	var typeErr *json.UnmarshalTypeError
	return errors.As(json.Unmarshal([]byte(`[true]`), new([]int)), &typeErr) && typeErr.Field == "0"
})

// keyMethod returns the name of the method by which [json.Unmarshal]
// decodes a map key of type t, or "" if it decodes the key by its kind:
// before encoding/json/v2, the one [decodingMethod] names, UnmarshalJSON
// (handed the quoted key) before UnmarshalText, when t has an
// UnmarshalText method; with it, UnmarshalText alone.
func keyMethod(t reflect.Type) string {
	if !reflect.PointerTo(t).Implements(textUnmarshaler) {
		return ""
	}
	if jsonV2() {
		return "UnmarshalText"
	}
	return decodingMethod(t)
}

// keyKind reports whether json.Unmarshal decodes a map key of kind k, of
// a type that has no UnmarshalText method: a string or an integer, and
// with encoding/json/v2, a float too.
func keyKind(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	case reflect.Float32, reflect.Float64:
		return jsonV2()
	}
	return false
}

// tagName returns the name that a json tag, neither empty nor "-", gives
// its field, or "" if it gives none, so that the field is named by its Go
// name. Before encoding/json/v2, the tag's name up to the first comma if
// [validTagName] takes it. With it, the tag's text up to the first comma,
// backslash, quote or backtick; where one of the last four follows it, the
// letters, digits and underscores that begin the tag, if it begins with a
// letter or an underscore; a name that is not UTF-8 has each byte that is
// not replaced by [utf8.RuneError].
func tagName(tag string) string {
	if jsonV2() {
		return tagNameV2(tag)
	}
	name, _, _ := strings.Cut(tag, ",")
	if !validTagName(name) {
		return ""
	}
	return name
}

// tagNameV2 is [tagName] with encoding/json/v2.
func tagNameV2(tag string) string {
	n := strings.IndexAny(tag, ",\\'\"`")
	if n < 0 {
		n = len(tag)
	}
	name := tag[:n]
	if n < len(tag) && tag[n] != ',' {
		r, _ := utf8.DecodeRuneInString(tag)
		if r != '_' && !unicode.IsLetter(r) {
			return ""
		}
		name = tag[:len(tag)-len(strings.TrimLeftFunc(tag, func(r rune) bool {
			return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
		}))]
	}
	if !utf8.ValidString(name) {
		name = string([]rune(name))
	}
	return name
}

// pointerPath returns field, the Field of a [json.UnmarshalTypeError]
// that encoding/json/v2 gives for a value of type t, as a path below t in
// the form of this module's errors ("lines[0].qty" for "Lines.0.qty"):
// each member by its field's JSON name, each index in brackets, map keys
// left out. It reports false if field does not lead through t: the error
// arose within a member's own method, whose path begins at that member,
// or a name or a key holds a dot, which the Field does not tell from the
// dots between them.
func pointerPath(t reflect.Type, field string) (string, bool) {
	return pointerPathFrom(t, field, false)
}

// pointerPathOwn is [pointerPath] for the error of a json.Unmarshal
// within t's own decoding method, whose path begins at t: t's method is
// taken to decode t's fields, as a method that converts its receiver to a
// local type with the same fields does.
func pointerPathOwn(t reflect.Type, field string) (string, bool) {
	return pointerPathFrom(t, field, true)
}

// pointerUnescaper undoes the escapes of "~" and "/" in the names of a JSON
// Pointer, which encoding/json/v2 writes a path as.
var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

// pointerPathFrom is [pointerPath], passing over t's own method if own.
func pointerPathFrom(t reflect.Type, field string, own bool) (string, bool) {
	if field == "" {
		return "", true
	}
	var b strings.Builder
	for i, seg := range strings.Split(field, ".") {
		for t.Kind() == reflect.Pointer && !decodesItself(t) {
			t = t.Elem()
		}
		if decodesItself(t) && !(own && i == 0) {
			return "", false
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			if _, err := strconv.ParseUint(seg, 10, 0); err != nil {
				return "", false
			}
			b.WriteString("[" + seg + "]")
		case reflect.Map:
			// The key is left out, as are the keys of the paths of
			// values of their own method's errors.
		case reflect.Struct:
			id, ft := memberField(t, pointerUnescaper.Replace(seg))
			if ft == nil {
				return "", false
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(membersOf(t).fields[id].name)
			t = ft
			continue
		default:
			return "", false
		}
		t = t.Elem()
	}
	return b.String(), true
}

// wrongTypeAt reports whether the value at path below t in data, path as
// [pointerPathOwn] writes it, is of the wrong JSON type for want: whether
// it fails to decode alone into a value of type want with a
// [json.UnmarshalTypeError]. An error that encoding/json/v2 reports from
// within a method below path has a path from where that method began,
// which may lead to another value; this tells the two apart. It reports
// false where path does not lead through data (across a map, whose keys
// path leaves out).
func wrongTypeAt(t reflect.Type, data []byte, path string, want reflect.Type) bool {
	if want == nil {
		return false
	}
	for path != "" {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		var (
			next  []byte
			found bool
		)
		if strings.HasPrefix(path, "[") {
			end := strings.IndexByte(path, ']')
			i, err := strconv.Atoi(path[1:max(end, 1)])
			if end < 0 || err != nil || (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) {
				return false
			}
			path = path[end+1:]
			spans(data, '[', func(_ string, span []byte) bool {
				if i == 0 {
					next, found = span, true
				}
				i--
				return i >= 0
			})
			t = t.Elem()
		} else {
			path = strings.TrimPrefix(path, ".")
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			name := path[:end]
			path = path[end:]
			if t.Kind() != reflect.Struct {
				return false
			}
			var ft reflect.Type
			spans(data, '{', func(member string, span []byte) bool {
				// The last of the members that go to the field, as
				// encoding/json takes it.
				if id, typ := memberField(t, member); typ != nil && membersOf(t).fields[id].name == name {
					next, found, ft = span, true, typ
				}
				return true
			})
			t = ft
		}
		if !found {
			return false
		}
		data = next
	}
	var typeErr *json.UnmarshalTypeError
	return errors.As(json.Unmarshal(data, reflect.New(want).Interface()), &typeErr)
}
