package salesprocess

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// MaxDigitRun bounds the digits in a row, with the points among them,
// that [DecodeJSON] takes anywhere in a document: in a number or in a
// string, whatever its field. No decimal within the bounds of
// [ValidateDecimal] comes near it, and no text of this module is longer,
// while parsing a decimal of n digits takes time growing with n², seconds
// for a megabyte. [Event.Validate] refuses an event that holds a longer
// run, in its Data or its texts, so that a valid event reads back.
//
// It bounds as well the decimals that a value decoded by DecodeJSON holds,
// as they are written out: a decimal decoded from a number in exponent
// form ("1e-9999", 1e9999) is encoded in full, with 10,000 digits, and
// DecodeJSON refuses one that would make a longer run, so that what it
// takes encodes to a document it takes again.
const MaxDigitRun = 8192

// DecodeJSON implements UnmarshalJSON for the struct types of this module
// and of packages built on it: it decodes data into v as [json.Unmarshal]
// does, and turns its errors into errors wrapping [ErrInvalid] that name the
// field at fault below kind ("rep", "deal") by the names of the JSON
// document: malformed JSON names kind itself, and a value of the wrong JSON
// type its member ("rep.name") by the members of the path encoding/json
// gives, with the index of each element of a slice or an array on the way,
// which DecodeJSON finds by where the value lies in the document
// ("deal.lines[2].qty" for a string in the qty of the third line); the path
// has no indexes within a member that decodes by a method of its own calling
// json.Unmarshal, which says where the value lies in the member's bytes only
// ("deal.lines.qty" if the lines decode so). A value that its own type
// refuses by its UnmarshalJSON or UnmarshalText method (an unknown currency,
// a malformed period, a time in another format) is named by its path from
// kind, with array indexes ("deal.lines[2].unit_price.currency"), followed
// by the field within it that the type's own error names, if any; the error
// of a type of this module names the type first ("money.currency"), and the
// path takes the place of that name. So is an element of a v that is a
// slice, an array or a map itself: "prices[2].currency" for element 2 of a
// []Money decoded with kind "prices". Both paths leave out the keys of maps
// ("prices.currency" for a value of a map[string]Money). encoding/json does
// not say where such an error arose, so DecodeJSON finds it, on failure
// only, by decoding the members and elements one by one in the document's
// order. The message quotes a value at fault cut short, as the library's own
// errors do (a time, a number, or a value a type of another module refuses,
// such as a decimal), with the characters that are not printable escaped.
//
// A host decodes its own documents that hold this module's values (an HTTP
// request's body, a file of records) with it too, or with
// [DecodeJSONStrict], for the same paths: [json.Unmarshal] into such a
// document reports the error of an element's own UnmarshalJSON as it is,
// named below the element's kind alone ("region.time_zone" for any element
// of a []Region), where DecodeJSON places it ("request.regions[1].time_zone"
// with kind "request").
//
// v must be a pointer to a type without this UnmarshalJSON method, so that
// the decoding does not recurse: the method converts its receiver to a
// pointer to a local type with the same fields,
//
//	func (r *Rep) UnmarshalJSON(data []byte) error {
//		if err := salesprocess.CheckTarget(r); err != nil {
//			return err // a nil r: the error names *Rep, not plain
//		}
//		type plain Rep
//		return salesprocess.DecodeJSON("rep", data, (*plain)(r))
//	}
//
// The document is decoded into a fresh value that replaces *v only when
// decoding succeeds, so a failed decoding leaves *v unchanged, and fields
// the document leaves out are zero, not what *v held before. JSON null
// leaves *v unchanged, as [json.Unmarshal] does. A v that is not a non-nil
// pointer is an error wrapping ErrInvalid, and so is one of a type that
// json.Unmarshal panics on, or never returns on, for some document: one that
// holds, where json.Unmarshal decodes by the rules of [encoding/json], a
// field that is an embedded pointer to an unexported struct type with a name
// in its tag (*inner `json:"in"`), which it cannot allocate, or that holds a
// pointer to itself (type P *P), which it and the search for the field at
// fault would follow without end. So is a struct type, v's or one
// json.Unmarshal reaches below it (a map's key type included), that gets
// UnmarshalJSON or UnmarshalText from an embedded field instead of declaring
// it: json.Unmarshal hands the whole value to that method, which panics when
// the field is a nil pointer or interface in a fresh value (struct{
// *time.Time }) and otherwise drops, without an error, the members of the
// type's other fields (a host's request that embeds a record beside a key of
// its own, struct{ Rep; Key string `json:"key"` }). A named field (Rep Rep
// `json:"rep"`) decodes, as does a type that declares a decoding method of
// its own, which shadows the embedded field's. The error names the type and
// the member ("cannot decode into config: member rows[].in, field inner of
// row, is an embedded pointer to an unexported struct type ..."), whatever
// the document, null and {} included, and *v is left unchanged. Each type is
// looked at once. A member that no field decodes is ignored, as
// json.Unmarshal ignores it, so that a record written by a later version of
// its type still reads, and a member given twice takes the last of its
// values, as json.Unmarshal takes it; [DecodeJSONStrict] refuses both.
//
// These are the rules of the encoding/json the program is built with. On
// Go 1.27, where encoding/json/v2 implements it (as on Go 1.25 and 1.26
// built with GOEXPERIMENT=jsonv2), a few differ, and DecodeJSON follows
// them: a map key decodes by its UnmarshalText method alone, never by
// UnmarshalJSON, so that it is that method that must not be promoted from
// an embedded field; a value reached through an embedded unexported
// struct decodes by its own method; and a json tag names its field in more
// cases (`json:"a\"b"` names it "a"). The errors name the same paths on
// every Go, but that of a value of the wrong JSON type met within an
// element's own UnmarshalJSON, which encoding/json/v2 lets DecodeJSON
// name down to the element and the member within it
// ("request.lines[1].qty" for "request.lines").
//
// A document that holds more than [MaxDigitRun] digits in a row (points
// among them counted), in any number or string, raw members such as an
// event's data included, is an error wrapping ErrInvalid that names kind
// and the byte where the run starts, before anything is decoded: a
// decimal of that many digits would take time growing with the square of
// their number to parse.
//
// Once decoded, a [decimal.Decimal] or a valid [decimal.NullDecimal] that
// the value holds (in a field, an element, behind a pointer or as a map's
// value; a decimal map key is not looked at) that its String method, which
// its MarshalJSON uses, would write out in more than MaxDigitRun digits
// and points in a row is an error wrapping ErrInvalid that names it by its
// path below kind ("ramp.steps[2]"), map keys left out: a number in
// exponent form such as "1e-9999" or 1e9999, which a decimal takes and
// writes out with 10,000 digits, in a document the value would not decode
// from again. It is the decimal that is judged, not the bytes: a text that
// reads as such a number, as a UUID "550e8400-e29b-..." reads as 550e8400,
// is taken. A decimal within a member that decodes by a method of its own
// (a [Money], a type of this module) is left to that method, which
// DecodeJSON checks in turn when the method calls it. The members that can
// hold a decimal are found once per type and walked on each decoding; a
// type that holds none costs nothing more.
//
// [json.Unmarshal] and [json.Decoder] check that the whole document is
// well-formed before they call any UnmarshalJSON method, and report
// malformed JSON (a truncated file, a missing comma) with their own error,
// a *[json.SyntaxError] or, from a Decoder, [io.ErrUnexpectedEOF], which
// does not wrap ErrInvalid. Only a direct call of the method
// (d.UnmarshalJSON(data)), or a parser that makes one, reports it as
// invalid input; a caller of json.Unmarshal that branches on ErrInvalid
// treats a *json.SyntaxError as invalid input too. Either way the target
// is left unchanged.
func DecodeJSON(kind string, data []byte, v any) error {
	return decodeJSON(kind, data, v, false)
}

// EncodeJSON returns the JSON encoding of v, as [json.Marshal] does, but
// without escaping the HTML characters <, > and &: for the MarshalJSON
// methods of packages built on the root, as DecodeJSON is for their
// UnmarshalJSON methods. The encoder that calls a MarshalJSON method
// escapes those characters in what it returns, or not, as it is set to
// ([json.Encoder.SetEscapeHTML]), so that a host that writes a value
// without escaping gets the texts of its members as they are, which the
// method would not give if it escaped them itself. Its errors are those of
// encoding/json, but for a decimal that v holds that would be written out
// in more than [MaxDigitRun] digits in a row (decimal.New(1, -20000000)
// writes twenty million), which [DecodeJSON] would refuse: a
// [*ValidationError] that names it by its path in v ("steps[2]"), before
// anything is written, rather than megabytes that no decoder of the module
// reads back. The decimals it checks are those DecodeJSON would decode into
// v: reached through fields, elements, map values and pointers, down to a
// value that decodes by a method of its own (whose MarshalJSON, if it calls
// EncodeJSON, checks its own, naming them from there, within the
// [*json.MarshalerError] that encoding/json puts around its error); not one
// held in an interface. Past 1000 pointers it checks no further, so that a
// value that points back to itself gets encoding/json's error of a cycle.
//
// Every decimal.Decimal and valid decimal.NullDecimal that v holds is a
// JSON string ("0.95"), as the package doc says an exact decimal is, even
// where a program has set decimal.MarshalJSONWithoutQuotes, which makes a
// decimal's own MarshalJSON write a JSON number: so the JSON forms of the
// module's types do not depend on that variable, and what they write
// decodes again where a string is required. A decimal within a value that
// encodes by a MarshalJSON or MarshalText method of its own is left to
// that method: the module's types that hold a decimal have one that calls
// EncodeJSON or writes the same form, but for the parts their records and
// reports write within them (see "JSON forms" in the package doc).
func EncodeJSON(v any) ([]byte, error) {
	if rv := reflect.ValueOf(v); rv.IsValid() {
		if ve := checkDecimalsToEncode(rv); ve != nil {
			return nil, ve
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return quoteDecimals(v, bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// DecodeJSONStrict is [DecodeJSON] for configuration that a person writes
// (a pipeline's stages, a goals file, a host's own settings), where a
// misspelt member would otherwise be dropped and its field left at its
// default, and a member written twice would leave the field at the last
// of its values: it also refuses
//
//   - a member of a JSON object that no field of the value decodes, a
//     member whose field is tagged `json:"-"` included, saying it is
//     unknown ("invalid spec.nmae: unknown field");
//   - a member given twice: one that [json.Unmarshal] would decode into
//     the same field as a member before it in the same object, whether
//     its key is the same or one that matches the field otherwise, so that
//     {"moves":[...],"moves":null} and {"Moves":[...],"moves":null} are
//     both refused, naming the second ("invalid spec.moves: given twice",
//     "given twice, first as Moves" when the keys differ); two members
//     that decode into different fields (a struct with fields tagged "v"
//     and "V") are not the same member;
//   - a key given twice in an object that decodes into a map, a key being
//     the same as another when json.Unmarshal would store them under the
//     same key of the map: a string key as it is, with its case, an
//     integer key by its value ("1" and "01"), the key of a type with an
//     UnmarshalText method by the value it decodes to. The path names the
//     map and the reason the key ("invalid config.quotas: key north given
//     twice"). A field of type any holds an object as a map of string
//     keys, and is checked so at every depth.
//
// The error wraps [ErrInvalid], names the member by its path below kind,
// as DecodeJSON names any other fault, and *v is left unchanged. The
// members are checked once the document has decoded, so a document with
// another fault as well is refused for that fault; of the members
// refused, it names the first in the document's order, a member given
// twice at its second place. A member is known when
// json.Unmarshal would decode it into a field, by encoding/json's rules:
// by the field's JSON name (the name in its json tag, or its Go name if
// the tag gives none that encoding/json takes; "-" for a tag "-,"),
// matched exactly or else without regard to case; the fields of an
// embedded struct without a name in its tag are members of the struct
// that embeds it, and an embedded struct with one is a member itself,
// whose fields are not; of the fields of one JSON name, the shallowest
// decodes it, and at one depth the one with the name in its tag, but
// where two are left at that depth, neither does, and the member is
// unknown, as json.Unmarshal drops it. Which field decodes each member
// is found once per struct type and kept. A key that is not a plain name
// (ASCII letters, digits, underscores and hyphens, at most 128 bytes) is
// quoted in the path and in the reason as by [Quote]; the keys of maps
// are left out of the path, as DecodeJSON leaves them out.
//
// It checks the members that it decodes by the rules of [encoding/json],
// at any depth: those of v's struct type, and of the structs, slices,
// arrays, maps, pointers and fields of type any below it that have no
// decoding method of their own. A member that decodes by a method of its
// own (a [Money], a type of another package) is left to that method, as
// [json.Decoder.DisallowUnknownFields] leaves it: a type that is to refuse
// unknown members and members given twice at every depth has each such
// member type strict itself, its UnmarshalJSON calling DecodeJSONStrict in
// turn, and the error of that member is then named by its path from kind
// ("spec.stages[1].probabilty").
//
// Records that a program stores (deals, goals, events) are decoded by
// DecodeJSON instead, which ignores unknown members and takes the last of
// the values of a member given twice, as json.Unmarshal does, so that a
// record written by a later version of its type still reads.
func DecodeJSONStrict(kind string, data []byte, v any) error {
	return decodeJSON(kind, data, v, true)
}

// jsonSpace is the space JSON allows around a value: space, tab, line
// feed and carriage return. The other spaces that [bytes.TrimSpace] trims
// (a form feed, a vertical tab, U+0085, a no-break space) make malformed
// JSON.
const jsonSpace = " \t\n\r"

// isNull reports whether data is JSON null, with no space around it but
// [jsonSpace].
func isNull(data []byte) bool {
	return string(bytes.Trim(data, jsonSpace)) == "null"
}

// decodeJSON is [DecodeJSON], and [DecodeJSONStrict] when strict.
func decodeJSON(kind string, data []byte, v any, strict bool) error {
	dst := reflect.ValueOf(v)
	if dst.Kind() != reflect.Pointer || dst.IsNil() {
		if v == nil {
			return Invalid(kind, "cannot decode into nil; want a non-nil pointer")
		}
		return Invalid(kind, "cannot decode into %T; want a non-nil pointer", v)
	}
	if why := infoOf(dst.Elem().Type()).refused; why != "" {
		return &ValidationError{Field: kind, Reason: why}
	}
	if at := longDigitRun(data); at >= 0 {
		return Invalid(kind, "more than %d digits in a row at byte %d", MaxDigitRun, at)
	}
	if isNull(data) {
		return nil
	}
	fresh := reflect.New(dst.Elem().Type())
	err := json.Unmarshal(data, fresh.Interface())
	if err == nil {
		if strict {
			if path, reason := memberFault(dst.Elem().Type(), data); reason != "" {
				return &decodeError{ve: &ValidationError{Field: joinPath(kind, path), Reason: reason}, doc: data}
			}
		}
		if ve := checkDecimals(kind, fresh.Elem()); ve != nil {
			return &decodeError{ve: ve, doc: data}
		}
		dst.Elem().Set(fresh.Elem())
		return nil
	}
	return &decodeError{ve: placeError(kind, dst.Elem().Type(), data, err), doc: data}
}

// typeInfo is what [DecodeJSON] and [DecodeJSONStrict] ask of a type on
// every decoding, of the type they decode into and of the types of the
// members and elements they check, found once per type.
type typeInfo struct {
	// refused is why the type is refused, as [refusalOf] gives it, empty
	// if it is not.
	refused string
	// self is whether a value of the type decodes by a method of its own
	// ([decodesItself]).
	self bool
	// members is whether DecodeJSONStrict checks the members of a value
	// of the type ([checksMembers]).
	members bool
}

// typeInfos holds the *typeInfo of each type that [DecodeJSON] has
// decoded into or met below it.
var typeInfos sync.Map // reflect.Type → *typeInfo

// infoOf returns the typeInfo of t, made once per type.
func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti, _ := typeInfos.LoadOrStore(t, &typeInfo{refused: refusalOf(t), self: hasDecodingMethod(t), members: holdsMembers(t)})
	return ti.(*typeInfo)
}

// refusalOf returns why [json.Unmarshal], given a pointer to a fresh value
// of type t, panics or runs without end on some document, or drops members
// of it without an error, or "" if it does none of these on any. It looks
// through the values that decode by the rules of [encoding/json], down to
// those that decode by a method of their own, in the order of the struct
// fields, for
//
//   - a member whose field is an embedded pointer to an unexported struct
//     type with a name in its tag, which json.Unmarshal cannot allocate,
//     as [memberRef] says: it panics on any value of the member, null
//     included. A field that json.Unmarshal does not reach is not
//     refused: below an untagged embedded pointer to an unexported struct
//     type, which it fails to allocate with an error; in an element of an
//     array of length 0; in a value of a map whose key type it refuses.
//   - a pointer to itself, through pointers alone (type P *P), whose
//     pointers json.Unmarshal allocates without end for any value but
//     null, and which the paths of DecodeJSON's errors and the checks of
//     [DecodeJSONStrict] would follow without end as well: it is refused
//     even where json.Unmarshal does not reach it.
//   - a struct type with the decoding method of an embedded field, which
//     json.Unmarshal calls on nil or which leaves members of the type
//     undecoded, as [promotedMethod] says: a panic, a failure on every
//     document or a loss that json.Unmarshal does not report, refused where
//     json.Unmarshal reaches it.
//
// What an empty interface holds is decoded as a map or a slice of any.
func refusalOf(t reflect.Type) string {
	type visit struct {
		t     reflect.Type
		reach bool
	}
	seen := map[visit]bool{}
	// walk looks at t, which json.Unmarshal decodes into when reach, and
	// by the rules for structs even if t has a method of its own when
	// byRules, at path.
	var walk func(t reflect.Type, path string, reach, byRules bool) string
	walk = func(t reflect.Type, path string, reach, byRules bool) string {
		if !byRules && hasDecodingMethod(t) {
			if !reach {
				return ""
			}
			if path == "" {
				return promotedMethod(t, decodingMethod(t), "it", "document")
			}
			return promotedMethod(t, decodingMethod(t), fmt.Sprintf("member %s, of type %v,", path, t), "value")
		}
		if seen[visit{t, reach}] {
			return ""
		}
		seen[visit{t, reach}] = true
		switch t.Kind() {
		case reflect.Pointer:
			on := map[reflect.Type]bool{}
			for p := t; p.Kind() == reflect.Pointer; p = p.Elem() {
				if on[p] {
					if path == "" {
						return "a pointer to itself, which encoding/json would follow without end"
					}
					return fmt.Sprintf("member %s is of type %v, a pointer to itself, which encoding/json would follow without end", path, t)
				}
				on[p] = true
			}
			return walk(t.Elem(), path, reach, false)
		case reflect.Array:
			return walk(t.Elem(), path+"[]", reach && t.Len() > 0, false)
		case reflect.Slice:
			return walk(t.Elem(), path+"[]", reach, false)
		case reflect.Map:
			k := t.Key()
			method := keyMethod(k)
			keyTaken := method != "" || keyKind(k.Kind())
			if reach && method != "" {
				subject := "each key"
				if path != "" {
					subject += " of member " + path
				}
				if why := promotedMethod(k, method, fmt.Sprintf("%s, of type %v,", subject, k), "key"); why != "" {
					return why
				}
			}
			return walk(t.Elem(), path, reach && keyTaken, false)
		case reflect.Struct:
			for _, f := range membersOf(t).fields {
				at := memberKey(f.name)
				if path != "" {
					at = path + "." + at
				}
				if f.unsettable && reach {
					names := make([]string, len(f.index))
					for i := range f.index {
						names[i] = t.FieldByIndex(f.index[:i+1]).Name
					}
					return fmt.Sprintf("member %s, field %s of %v, is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
						at, strings.Join(names, "."), t)
				}
				if why := walk(f.typ, at, reach && !f.blocked && !f.unsettable, f.hidden); why != "" {
					return why
				}
			}
		}
		return ""
	}
	if why := walk(t, "", true, false); why != "" {
		return fmt.Sprintf("cannot decode into %v: %s", t, why)
	}
	return ""
}

// promotedMethod returns why json.Unmarshal cannot decode a value of type
// t, which it decodes by the method name ([decodingMethod] names that of
// a value, [keyMethod] that of a map key), in full, or "" if it can: t is
// a struct type whose method is promoted from an embedded field (not
// declared on t) and
//
//   - that field, or one on the way to the type that declares the method,
//     is a pointer or an interface, nil in a fresh value, so that
//     json.Unmarshal calls the method on nil (time.Time's, and any method of
//     a nil interface, panic), or
//   - t has members of other fields, which that method, handed the whole
//     value (whole, as the reason calls it), knows nothing of, and which
//     json.Unmarshal drops.
//
// The reason begins with subject, which names the value.
func promotedMethod(t reflect.Type, name, subject, whole string) string {
	if t.Kind() != reflect.Struct || name == "" || declares(t, name) {
		return ""
	}
	var (
		chain []string
		first = -1 // the index of t's field that has the method
	)
	for cur := t; ; {
		f, ok := methodField(cur, name)
		if !ok {
			return ""
		}
		if first < 0 {
			first = f.Index[0]
		}
		chain = append(chain, f.Name)
		k := f.Type.Kind()
		if k == reflect.Pointer || k == reflect.Interface {
			return fmt.Sprintf("%s decodes by the method of its embedded field %s (%v), which is nil in a fresh value, "+
				"so that json.Unmarshal would call the method on nil; make %s a named field", subject, strings.Join(chain, "."), f.Type, f.Name)
		}
		if declares(f.Type, name) {
			break
		}
		cur = f.Type
	}
	for _, m := range membersOf(t).fields {
		if m.index[0] == first {
			continue
		}
		f := t.Field(first)
		return fmt.Sprintf("%s decodes by the method of its embedded field %s (%v), which takes the whole %s, "+
			"so that its member %s would never be decoded; make %s a named field", subject, f.Name, f.Type, whole, memberKey(m.name), f.Name)
	}
	return ""
}

// decodingMethod returns the name of the method by which json.Unmarshal
// decodes a value of type t: "UnmarshalJSON" when a pointer to it has one,
// else "UnmarshalText" when it has that, else "".
func decodingMethod(t reflect.Type) string {
	p := reflect.PointerTo(t)
	switch {
	case p.Implements(jsonUnmarshaler):
		return "UnmarshalJSON"
	case p.Implements(textUnmarshaler):
		return "UnmarshalText"
	}
	return ""
}

// methodField returns the embedded field of struct type t through which t
// has the method name, promoted: the one field of t's own whose type (the
// type it points to, or an interface) has it.
func methodField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.Anonymous {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		_, has := ft.MethodByName(name)
		if ft.Kind() != reflect.Interface {
			_, has = reflect.PointerTo(ft).MethodByName(name)
		}
		if has {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// declares reports whether the method name of type t (or of a pointer to
// it) is declared on t rather than promoted from an embedded field, or
// whether t is not a struct type, whose methods are its own. reflect does
// not tell the two apart; the compiler makes a wrapper for each promoted
// method, which the runtime places in the file "<autogenerated>", and a
// method declared in a source file is found in that file.
func declares(t reflect.Type, name string) bool {
	if t.Kind() != reflect.Struct {
		return true
	}
	m, ok := t.MethodByName(name)
	if !ok {
		if m, ok = reflect.PointerTo(t).MethodByName(name); !ok {
			return false
		}
	}
	pc := m.Func.Pointer()
	f := runtime.FuncForPC(pc)
	if f == nil {
		return true
	}
	file, _ := f.FileLine(pc)
	return file != "<autogenerated>"
}

// longDigitRun returns the offset in data of the first run of more than
// [MaxDigitRun] bytes that are digits or points, or -1 if there is none.
func longDigitRun[T string | []byte](data T) int {
	if len(data) <= MaxDigitRun {
		return -1
	}
	run := 0
	for i := range len(data) {
		if c := data[i]; c >= '0' && c <= '9' || c == '.' {
			if run++; run > MaxDigitRun {
				return i + 1 - run
			}
			continue
		}
		run = 0
	}
	return -1
}

// decodeError is an error of [DecodeJSON]: a [*ValidationError] and the
// document that failed to decode. A DecodeJSON whose document holds that
// one, as a member's value, finds the member by where the bytes lie
// instead of decoding the members again, which nested at every level
// would take time exponential in the depth.
type decodeError struct {
	ve  *ValidationError
	doc []byte
}

func (e *decodeError) Error() string { return e.ve.Error() }
func (e *decodeError) Unwrap() error { return e.ve }

// placeError returns err, met decoding data into a value of type t, as a
// [*ValidationError] naming its field below kind.
func placeError(kind string, t reflect.Type, data []byte, err error) *ValidationError {
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
		nested  *decodeError
		ve      *ValidationError
	)
	switch {
	case errors.As(err, &syntax):
		return &ValidationError{Field: kind, Reason: fmt.Sprintf("malformed JSON: %v (at byte %d)", syntax, syntax.Offset)}
	case errors.As(err, &typeErr) && jsonV2():
		// encoding/json/v2 gives the whole path, unless the error
		// arose within a member's own method.
		if path, ok := pointerPath(t, typeErr.Field); ok {
			return &ValidationError{Field: joinPath(kind, path), Reason: typeReason(typeErr)}
		}
	case errors.As(err, &typeErr):
		path := jsonPath(t, typeErr.Field)
		if at := int(typeErr.Offset); at >= 1 && at <= len(data) {
			// The offset is within the value at fault, or just past it.
			var names []string
			if path != "" {
				names = strings.Split(path, ".")
			}
			if p, ok := indexedPath(t, data, at-1, names, typeErr.Type); ok {
				path = strings.TrimPrefix(p, ".")
			}
		}
		return &ValidationError{Field: joinPath(kind, path), Reason: typeReason(typeErr)}
	}
	// The error of a member's or an element's own decoding (an
	// UnmarshalJSON or UnmarshalText method): encoding/json says nothing
	// of where it was.
	path, found, inner := "", false, err
	if errors.As(err, &nested) {
		path, found = pathTo(t, data, nested.doc)
	}
	if !found {
		if p, e := locate(t, data); e != nil {
			path, found, inner = p, true, e
		}
	}
	field := joinPath(kind, strings.TrimPrefix(path, "."))
	if errors.As(inner, &typeErr) {
		// Of a json.Unmarshal within the method.
		return &ValidationError{Field: field, Reason: typeReason(typeErr)}
	}
	if !errors.As(inner, &ve) {
		return &ValidationError{Field: field, Reason: foreignReason(inner)}
	}
	within := ve.Field
	if found {
		// The member's own error names its type first ("money" for a
		// Money, "period" for a Period), which the path replaces, even
		// when the path is empty, the member being a map's value, whose
		// key the path leaves out.
		_, within, _ = strings.Cut(ve.Field, ".")
	}
	if within != "" {
		field += "." + within
	}
	return &ValidationError{Field: field, Reason: ve.Reason}
}

// indexedPath returns the path below a value of type t, whose JSON is
// data, to the value whose bytes hold the byte at, a value of the wrong
// JSON type that [encoding/json] names by the members names (as
// [jsonPath] gives them) and meets decoding into type want: names, with
// the index of each element of a slice or an array on the way
// (".subs[1].n" for "subs", "n"), the keys of maps left out. It reports
// false if the document does not lead by those members to a value of type
// want (pointers aside) whose bytes hold the byte, as when the error arose
// in a method of a member's own, which gives an offset within that
// member's bytes alone. It reads data once, whatever its depth.
func indexedPath(t reflect.Type, data []byte, at int, names []string, want reflect.Type) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // a number too large for a float64 is read all the same
	for want != nil && want.Kind() == reflect.Pointer {
		want = want.Elem()
	}
	w := typeErrWalk{dec: dec, at: int64(at), want: want}
	if within, ok := w.value(t, names); !within || !ok {
		return "", false
	}
	var b strings.Builder
	for i := len(w.up) - 1; i >= 0; i-- {
		b.WriteString(w.up[i])
	}
	return b.String(), true
}

// typeErrWalk is the reading of [indexedPath]: the decoder of the
// document, the offset of the byte sought and the type of the value that
// holds it, pointers aside, and the parts of the path to it, from that
// value up (".n", "[1]", ".subs").
type typeErrWalk struct {
	dec  *json.Decoder
	at   int64
	want reflect.Type
	up   []string
}

// value reads the next value from the decoder, decoded into type t, and
// reports whether the byte sought lies within it, and if so, whether the way
// to it is that of names, to a value of the type sought, appending the parts
// of the path within the value to w.up. The bytes before the value (a comma,
// its key) are taken as its own: the byte sought, in a value, is not among
// them.
func (w *typeErrWalk) value(t reflect.Type, names []string) (within, ok bool) {
	for t.Kind() == reflect.Pointer && !decodesItself(t) {
		t = t.Elem()
	}
	tok, err := w.dec.Token()
	if err != nil {
		return false, false
	}
	if tok == json.Delim('{') || tok == json.Delim('[') {
		switch kind := t.Kind(); {
		case decodesItself(t):
			w.skipRest()
		case tok == json.Delim('[') && (kind == reflect.Slice || kind == reflect.Array):
			for i := 0; w.dec.More(); i++ {
				if within, ok := w.value(t.Elem(), names); within {
					w.up = append(w.up, "["+strconv.Itoa(i)+"]")
					return true, ok
				}
			}
			_, _ = w.dec.Token()
		case tok == json.Delim('{') && kind == reflect.Map:
			for w.dec.More() {
				if _, err := w.dec.Token(); err != nil {
					return false, false
				}
				if within, ok := w.value(t.Elem(), names); within {
					return true, ok // the key is left out of the path
				}
			}
			_, _ = w.dec.Token()
		case tok == json.Delim('{') && kind == reflect.Struct:
			want := -1
			if len(names) > 0 {
				want, _ = memberField(t, names[0])
			}
			for w.dec.More() {
				key, err := w.dec.Token()
				name, isName := key.(string)
				if err != nil || !isName {
					return false, false
				}
				id, ft := memberField(t, name)
				if ft == nil || len(names) == 0 {
					var skip json.RawMessage
					if w.dec.Decode(&skip) != nil {
						return false, false
					}
					if w.at < w.dec.InputOffset() {
						return true, false // in a member that encoding/json does not decode
					}
					continue
				}
				if within, ok := w.value(ft, names[1:]); within {
					w.up = append(w.up, "."+names[0])
					return true, ok && id == want
				}
			}
			_, _ = w.dec.Token()
		default:
			w.skipRest()
		}
	}
	within = w.at < w.dec.InputOffset()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return within, within && len(names) == 0 && t == w.want
}

// skipRest reads the rest of the object or array whose opening delimiter
// the decoder has read.
func (w *typeErrWalk) skipRest() {
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// wantOf returns what a value of type t decodes from, for the error of a
// value of the wrong JSON type: "a JSON object" for a struct or a map and
// "a JSON array" for a slice or an array that decode by the rules of
// [encoding/json], whose Go names ("salesprocess.plain", the local type
// of an UnmarshalJSON method; an unnamed struct's whole definition; a
// generic type's package paths) say nothing to the reader of a document;
// the Go name of any other type ("int64", "salesprocess.RepID").
func wantOf(t reflect.Type) string {
	if t == nil {
		return "another JSON type"
	}
	for t.Kind() == reflect.Pointer && !decodesItself(t) {
		t = t.Elem()
	}
	if !decodesItself(t) {
		switch t.Kind() {
		case reflect.Struct, reflect.Map:
			return "a JSON object"
		case reflect.Array:
			return "a JSON array"
		case reflect.Slice:
			if t.Elem().Kind() != reflect.Uint8 { // []byte is a base64 string
				return "a JSON array"
			}
		}
	}
	return t.String()
}

// typeReason returns the reason of err, a value of the wrong JSON type:
// what its type wants and what the document holds ("want int64, got a
// JSON string"), or, where the two are the same, the error err wraps. A
// time wants a string in RFC 3339 format, whatever the JSON type given,
// as [foreignReason] says too.
func typeReason(err *json.UnmarshalTypeError) string {
	if err.Type == reflect.TypeFor[time.Time]() {
		return wantTime
	}
	want, got := wantOf(err.Type), typeValue(err)
	if cause := errors.Unwrap(err); cause != nil && want == "a JSON "+got {
		// The type is right: encoding/json/v2 says what is wrong, as
		// that it cannot allocate an embedded pointer to an unexported
		// struct type.
		return foreignReason(cause)
	}
	return fmt.Sprintf("want %s, got a JSON %s", want, got)
}

// typeValue returns the Value of err with the number cut to 40 bytes:
// for a number too large for its field or not whole, encoding/json gives
// "number " and the number's whole text.
func typeValue(err *json.UnmarshalTypeError) string {
	const max = len("number ") + 40
	if len(err.Value) > max {
		return err.Value[:max] + "..."
	}
	return err.Value
}

// foreignReason returns the reason of err, an error of a type not of this
// module: a time's says what is wanted and what was given (and why it is
// not a time, where the parser says: a month out of range), a decimal's
// likewise, each value quoted and cut as the library's own errors quote
// it; that of a time given as a JSON number or another type than a
// string, which names Go's method, says what is wanted instead. Other
// messages are cut to 120 bytes and, if they hold a character that is not
// printable or is not UTF-8, escaped as by [strconv.Quote].
func foreignReason(err error) string {
	var pe *time.ParseError
	if errors.As(err, &pe) {
		reason := "want a time in RFC 3339 format such as \"2026-11-02T09:00:00Z\", got " + Quote(pe.Value)
		// Such as "month out of range", or "extra text", which the
		// message follows with the text again.
		if m, _, _ := strings.Cut(strings.TrimPrefix(pe.Message, ": "), ": "); m != "" {
			if len(m) > 60 {
				m = strings.ToValidUTF8(m[:60], "") + "..."
			}
			reason += ": " + m
		}
		return reason
	}
	s := err.Error()
	if strings.HasPrefix(s, "Time.UnmarshalJSON: ") {
		// A time given as another JSON type than a string: the message
		// would name the Go method.
		return wantTime
	}
	if r, ok := decimalReason(s); ok {
		s = r
	}
	if len(s) > 120 {
		cut := 120
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// decimalReason rewrites the message of a decimal.Decimal that could not
// decode its JSON ("error decoding string '\"maybe\"': can't convert maybe
// to decimal: ..."), which quotes the text twice, as what is wanted and
// what was given, and why where that is not plain to see (an exponent
// out of range). ok is false for any other message.
func decimalReason(msg string) (reason string, ok bool) {
	rest, ok := strings.CutPrefix(msg, "error decoding string '")
	if !ok {
		return "", false
	}
	raw, detail, ok := strings.Cut(rest, "': ")
	if !ok {
		return "", false
	}
	got := raw // the JSON as given: a string's quotes and escapes included
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		got = Quote(raw[1 : len(raw)-1])
	} else if len(got) > 40 {
		got = strings.ToValidUTF8(got[:40], "") + "..."
	}
	reason = `want a decimal such as "0.25", got ` + got
	if strings.Contains(detail, "exceeds") { // "exponent ... exceeds MaxDecodeExponent"
		reason += ": its exponent is out of range"
	}
	return reason, true
}

// wantTime is the reason of a time given as another JSON type than a
// string.
const wantTime = "want a time in RFC 3339 format in a JSON string"

// pathTo returns the path, below a value of type t whose JSON is data, to
// the member or element whose bytes hold src (".price", "[2].unit_price"),
// through the values that decode by the rules of [encoding/json], the keys
// of maps left out, and whether src lies in such a member or element.
func pathTo(t reflect.Type, data, src []byte) (path string, found bool) {
	if decodesItself(t) {
		return "", false
	}
	switch t.Kind() {
	case reflect.Pointer:
		return pathTo(t.Elem(), data, src)
	case reflect.Slice, reflect.Array:
		i := 0
		spans(data, '[', func(_ string, span []byte) bool {
			if holds(span, src) {
				below, _ := pathTo(t.Elem(), span, src)
				path, found = "["+strconv.Itoa(i)+"]"+below, true
				return false
			}
			i++
			return true
		})
	case reflect.Map:
		spans(data, '{', func(_ string, span []byte) bool {
			if holds(span, src) {
				path, _ = pathTo(t.Elem(), span, src)
				found = true
				return false
			}
			return true
		})
	case reflect.Struct:
		spans(data, '{', func(name string, span []byte) bool {
			if !holds(span, src) {
				return true
			}
			if ft := memberType(t, name); ft != nil {
				below, _ := pathTo(ft, span, src)
				path, found = "."+name+below, true
			}
			return false
		})
	}
	return path, found
}

// joinPath returns the field at path below kind: "deal.lines[2]" for
// "lines[2]", "ramps[2].time_zone" for "[2].time_zone", kind for "".
func joinPath(kind, path string) string {
	switch {
	case path == "":
		return kind
	case strings.HasPrefix(path, "["):
		return kind + path
	}
	return kind + "." + path
}

// memberFault returns the path below a value of type t, whose JSON is
// data, to the first member in the document's order that
// [DecodeJSONStrict] refuses, and why: a member that no field of a struct
// decodes ("nmae", "stages[1].probabilty"; "unknown field"), or one that
// encoding/json would decode into a field, or store under a map's key,
// that a member before it in the same object already took ("moves";
// "given twice"). It looks through the values that decode by the rules of
// [encoding/json], map keys left out of the path, and returns two empty
// strings if there is no such member. data is a document that decodes
// into t. It reads data once, whatever its depth.
func memberFault(t reflect.Type, data []byte) (path, reason string) {
	if !checksMembers(t) {
		return "", ""
	}
	// The path's parts, from the member at fault up: "nmae", "[1]", "stages".
	up, reason := faultIn(json.NewDecoder(bytes.NewReader(data)), t, nil)
	if reason == "" {
		return "", ""
	}
	var b strings.Builder
	for i := len(up) - 1; i >= 0; i-- {
		if b.Len() > 0 && !strings.HasPrefix(up[i], "[") {
			b.WriteByte('.')
		}
		b.WriteString(up[i])
	}
	return b.String(), reason
}

// seenMember is a member of a JSON object that [faultIn] has read: the
// identity of its field that [memberField] gives, and its key as the
// document spells it.
type seenMember struct {
	field int
	key   string
}

// faultIn reads the next value from dec, of type t, and returns the
// reason [memberFault] refuses a member of it, empty if none; if there is
// one, it returns up with the parts of the path to the member within the
// value appended, the member's first. It reads the value up to that
// member, or whole if there is none.
func faultIn(dec *json.Decoder, t reflect.Type, up []string) ([]string, string) {
	for t.Kind() == reflect.Pointer && !decodesItself(t) {
		t = t.Elem()
	}
	if !checksMembers(t) {
		var skip json.RawMessage
		_ = dec.Decode(&skip)
		return up, ""
	}
	tok, err := dec.Token()
	if err != nil {
		return up, ""
	}
	kind := t.Kind()
	if kind == reflect.Interface {
		// An empty interface takes an object as a map[string]any and an
		// array as a []any.
		switch tok {
		case json.Delim('{'):
			t, kind = anyMap, reflect.Map
		case json.Delim('['):
			t, kind = anySlice, reflect.Slice
		}
	}
	switch {
	case tok == json.Delim('[') && (kind == reflect.Slice || kind == reflect.Array):
		for i := 0; dec.More(); i++ {
			if up, reason := faultIn(dec, t.Elem(), up); reason != "" {
				return append(up, "["+strconv.Itoa(i)+"]"), reason
			}
		}
	case tok == json.Delim('{') && kind == reflect.Map:
		keys := keySet{t: t.Key()}
		for dec.More() {
			key, err := dec.Token()
			name, ok := key.(string)
			if err != nil || !ok {
				return up, ""
			}
			if first, twice := keys.add(name); twice {
				return up, "key " + memberKey(name) + " " + givenTwice(name, first)
			}
			if up, reason := faultIn(dec, t.Elem(), up); reason != "" {
				return up, reason // the key is left out of the path
			}
		}
	case tok == json.Delim('{') && kind == reflect.Struct:
		var buf [8]seenMember
		seen := buf[:0]
		for dec.More() {
			key, err := dec.Token()
			name, ok := key.(string)
			if err != nil || !ok {
				return up, ""
			}
			field, ft := memberField(t, name)
			if ft == nil {
				return append(up, memberKey(name)), "unknown field"
			}
			for _, s := range seen {
				if s.field == field {
					return append(up, memberKey(name)), givenTwice(name, s.key)
				}
			}
			seen = append(seen, seenMember{field, name})
			if up, reason := faultIn(dec, ft, up); reason != "" {
				return append(up, memberKey(name)), reason
			}
		}
	default:
		return up, "" // null, or a value the type takes otherwise
	}
	_, _ = dec.Token() // the closing delimiter
	return up, ""
}

// givenTwice returns the reason for the member or map key key, which
// stands for the same field or key as first before it: "given twice", and
// how first spelt it when that differs ("given twice, first as Moves").
func givenTwice(key, first string) string {
	if key == first {
		return "given twice"
	}
	return "given twice, first as " + memberKey(first)
}

// keySet is the keys of a JSON object read into a map whose keys are of
// type t, as encoding/json stores them: a string as it is, an integer by
// its value ("1" and "01" are one key), a key type with an UnmarshalText
// method by the value it decodes to.
type keySet struct {
	t       reflect.Type
	strings map[string]string // key to its first spelling, for a plain string key type
	values  reflect.Value     // a map[t]string, for any other
}

var (
	anyMap   = reflect.TypeFor[map[string]any]()
	anySlice = reflect.TypeFor[[]any]()
)

// add adds key and reports whether s holds it already, and if so, as
// spelt first. A key that does not decode as a key of type t (which a
// document that decoded has not) is taken as a new one.
func (s *keySet) add(key string) (first string, twice bool) {
	if s.t.Kind() == reflect.String && keyMethod(s.t) == "" {
		if first, ok := s.strings[key]; ok {
			return first, true
		}
		if s.strings == nil {
			s.strings = make(map[string]string)
		}
		s.strings[key] = key
		return "", false
	}
	kv, ok := mapKey(s.t, key)
	if !ok {
		return "", false
	}
	if !s.values.IsValid() {
		s.values = reflect.MakeMap(reflect.MapOf(s.t, reflect.TypeFor[string]()))
	}
	if first := s.values.MapIndex(kv); first.IsValid() {
		return first.String(), true
	}
	s.values.SetMapIndex(kv, reflect.ValueOf(key))
	return "", false
}

// mapKey returns key as the value of type t that encoding/json stores it
// under in a map, and whether it decodes to one.
func mapKey(t reflect.Type, key string) (reflect.Value, bool) {
	kv := reflect.New(t)
	switch keyMethod(t) {
	case "UnmarshalJSON":
		// Given the key as a JSON string.
		quoted, err := json.Marshal(key)
		if err != nil || json.Unmarshal(quoted, kv.Interface()) != nil {
			return reflect.Value{}, false
		}
		return kv.Elem(), true
	case "UnmarshalText":
		if kv.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(key)) != nil {
			return reflect.Value{}, false
		}
		return kv.Elem(), true
	}
	switch k := kv.Elem(); t.Kind() {
	case reflect.String:
		k.SetString(key)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(key, 10, 64)
		if err != nil || k.OverflowInt(n) {
			return reflect.Value{}, false
		}
		k.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(key, 10, 64)
		if err != nil || k.OverflowUint(n) {
			return reflect.Value{}, false
		}
		k.SetUint(n)
	case reflect.Float32, reflect.Float64:
		if !keyKind(t.Kind()) {
			return reflect.Value{}, false
		}
		n, err := strconv.ParseFloat(key, t.Bits())
		if err != nil {
			return reflect.Value{}, false
		}
		k.SetFloat(n)
	default:
		return reflect.Value{}, false
	}
	return kv.Elem(), true
}

// checksMembers reports whether a value of type t holds a struct, a map
// or an empty interface that decodes by the rules of [encoding/json],
// itself or through pointers, slices and arrays that do, whose members
// [memberFault] checks, as [holdsMembers] finds it once per type.
func checksMembers(t reflect.Type) bool {
	return infoOf(t).members
}

// holdsMembers is [checksMembers], found anew. A pointer to itself (type
// P *P) holds none.
func holdsMembers(t reflect.Type) bool {
	for seen := map[reflect.Type]bool{}; !hasDecodingMethod(t) && !seen[t]; {
		seen[t] = true
		switch t.Kind() {
		case reflect.Struct, reflect.Map:
			return true
		case reflect.Interface:
			return t.NumMethod() == 0
		case reflect.Pointer, reflect.Slice, reflect.Array:
			t = t.Elem()
		default:
			return false
		}
	}
	return false
}

// memberKey returns the key of a JSON member as a path names it: as it is
// when it is a plain name, at most 128 ASCII letters, digits, underscores
// and hyphens, as every field name of this module is; quoted and cut as
// by [Quote] otherwise, so that a key of a caller's document puts no line
// break, terminal escape or its whole length into an error message.
func memberKey(key string) string {
	plain := key != "" && len(key) <= 128
	for i := 0; plain && i < len(key); i++ {
		c := key[i]
		plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
	}
	if plain {
		return key
	}
	return Quote(key)
}

// locate finds where decoding the JSON data into a value of type t fails
// in the decoding of a member's or an element's own, through the values
// that decode by the rules of [encoding/json]: the first member of a
// struct, in the order of the document as [json.Unmarshal] meets them,
// whose value does not decode alone into its field's type (".price"), the
// first element of a slice or an array that does not decode alone ("[2]"),
// or the first value of a map (its key left out of the path), and below
// it where it fails, as in ".lines[2]". It returns that path and the
// error, or "" and nil when nothing fails alone. It looks into t, through
// pointers, even when t decodes by a method of its own (the method of a
// struct that converts its receiver to a local type, as [DecodeJSON]
// describes, decodes the members by encoding/json's rules); below t only
// into the values that decode by those rules.
func locate(t reflect.Type, data []byte) (path string, err error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		spans(data, '{', func(name string, span []byte) bool {
			ft := memberType(t, name)
			if ft == nil {
				return true
			}
			below, e := decodeAlone(ft, span)
			if e != nil {
				path, err = "."+name+below, e
				return false
			}
			return true
		})
	case reflect.Slice, reflect.Array:
		i := 0
		spans(data, '[', func(_ string, span []byte) bool {
			if below, e := decodeAlone(t.Elem(), span); e != nil {
				path, err = "["+strconv.Itoa(i)+"]"+below, e
				return false
			}
			i++
			return true
		})
	case reflect.Map:
		// The key is left out of the path, as encoding/json leaves it
		// out of that of a value of the wrong JSON type.
		spans(data, '{', func(_ string, span []byte) bool {
			path, err = decodeAlone(t.Elem(), span)
			return err == nil
		})
	}
	return path, err
}

// decodeAlone decodes raw into a new value of type t and returns its
// error, with the path to where it arose below t, as [locate] finds it,
// when t decodes by the rules of [encoding/json] rather than by a method
// of its own. A t that [refusalOf] refuses, which json.Unmarshal would
// panic on, is not decoded: a document of a type that holds it, which
// json.Unmarshal decoded, did not reach it (an element of an array of
// length 0, below a pointer it failed to allocate), and the error did not
// arise there.
func decodeAlone(t reflect.Type, raw []byte) (string, error) {
	if infoOf(t).refused != "" {
		return "", nil
	}
	for t.Kind() == reflect.Pointer && !decodesItself(t) {
		t = t.Elem()
	}
	if !decodesItself(t) {
		if path, err := locate(t, raw); err != nil {
			return path, err
		}
	}
	err := json.Unmarshal(raw, reflect.New(t).Interface())
	var typeErr *json.UnmarshalTypeError
	if jsonV2() && errors.As(err, &typeErr) {
		// encoding/json/v2 gives the path from where t's method began
		// decoding: below t, by its fields, when the method converts its
		// receiver to a local type with the same fields, as [DecodeJSON]
		// describes.
		if below, ok := pointerPathOwn(t, typeErr.Field); ok && below != "" && wrongTypeAt(t, raw, below, typeErr.Type) {
			if !strings.HasPrefix(below, "[") {
				below = "." + below
			}
			return below, err
		}
	}
	return "", err
}

// spans calls yield with the name and the bytes of each member of the
// JSON object data (open '{'), or with "" and the bytes of each element of
// the array data (open '['), in order, until yield returns false; it stops
// at anything else, or at malformed JSON. The bytes are data's own.
func spans(data []byte, open json.Delim, yield func(name string, span []byte) bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if !isDelim(dec, open) {
		return
	}
	for dec.More() {
		name := ""
		if open == '{' {
			key, err := dec.Token()
			s, ok := key.(string)
			if err != nil || !ok {
				return
			}
			name = s
		}
		start := int(dec.InputOffset())
		for start < len(data) && strings.IndexByte(" \t\r\n:,", data[start]) >= 0 {
			start++
		}
		var raw json.RawMessage
		if dec.Decode(&raw) != nil {
			return
		}
		end := int(dec.InputOffset())
		if end > len(data) || start > end || !bytes.Equal(data[start:end], raw) {
			return
		}
		if !yield(name, data[start:end]) {
			return
		}
	}
}

// holds reports whether the bytes of src start within those of span.
func holds(span, src []byte) bool {
	if len(span) == 0 || len(src) == 0 {
		return false
	}
	s := uintptr(unsafe.Pointer(unsafe.SliceData(span)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
	return s <= p && p < s+uintptr(len(span))
}

// decodesItself reports whether a value of type t decodes from JSON by a
// method of its own, as [hasDecodingMethod] finds it once per type.
func decodesItself(t reflect.Type) bool {
	return infoOf(t).self
}

// hasDecodingMethod is [decodesItself], found anew: whether a pointer to a
// value of type t has an UnmarshalJSON or an UnmarshalText method.
func hasDecodingMethod(t reflect.Type) bool { return decodingMethod(t) != "" }

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
			if f, ok := t.FieldByName(name); ok && f.Anonymous {
				if tagged, _ := fieldTagName(f); tagged == "" {
					// An embedded struct without a name in its tag that
					// encoding/json takes: its members are the parent's.
					t = f.Type
					continue
				}
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
	_, ft := memberField(t, name)
	return ft
}

// memberField returns an identity of the field of struct type t that
// decodes the JSON member name, as [memberType] finds it, and its type,
// or -1 and nil. The identity is the field's place among those of t's
// [memberTable], made once per type: two members go to the same field
// exactly when their identities are equal.
func memberField(t reflect.Type, name string) (int, reflect.Type) {
	m := membersOf(t)
	if f, ok := m.exact[name]; ok {
		return f.id, f.typ
	}
	var buf [64]byte
	if f, ok := m.folded[string(appendFolded(buf[:0], name))]; ok {
		return f.id, f.typ
	}
	return -1, nil
}

// memberTables holds, for each struct type that [DecodeJSON] has met in
// a type it decodes into (by [refusalOf]) or in a document, its
// *memberTable.
var memberTables sync.Map // reflect.Type → *memberTable

// memberTable is the fields of a struct type that decode JSON members, as
// [encoding/json] finds them and [memberField] looks a member up: each by
// its JSON name, and by that name folded by [appendFolded], the first
// field in the order of the struct's layout (that of their index
// sequences) taking a folded name that several fields have. A member
// matched exactly goes to its field even when a field before it matches
// it without regard to case, as in encoding/json.
type memberTable struct {
	exact  map[string]memberRef
	folded map[string]memberRef
	// fields is the table's fields in the order of the struct's layout,
	// for [refusalOf].
	fields []memberRef
}

// memberRef is a field of a [memberTable]: its place among the fields of
// the table in the order of the struct's layout, its index sequence (as
// [reflect.Type.FieldByIndex] takes it), its type and its JSON name, and
// how [json.Unmarshal] reaches it:
//
//   - blocked: the field is reached through an untagged embedded pointer
//     to an unexported struct type, which is nil in a fresh value and
//     which json.Unmarshal cannot allocate: it fails on the member with
//     an error instead, before it comes to the field.
//   - unsettable: the field is itself an embedded pointer to an
//     unexported struct type with a name in its tag (an untagged one
//     decodes no member itself), and not blocked. json.Unmarshal panics on
//     any value of its member (null included) in a fresh value, where the
//     pointer is nil: it must allocate the struct and cannot set the
//     unexported field.
//   - hidden: the field is an embedded unexported struct with a name in
//     its tag, and encoding/json is not encoding/json/v2 ([jsonV2]).
//     json.Unmarshal then cannot call a method of a value it reaches
//     through an unexported field, and decodes it by its rules for
//     structs even when its type has an UnmarshalJSON or UnmarshalText
//     method; encoding/json/v2 calls the method.
type memberRef struct {
	id         int
	index      []int
	typ        reflect.Type
	name       string
	blocked    bool
	unsettable bool
	hidden     bool
}

// membersOf returns the memberTable of struct type t, made once per type.
func membersOf(t reflect.Type) *memberTable {
	if m, ok := memberTables.Load(t); ok {
		return m.(*memberTable)
	}
	m, _ := memberTables.LoadOrStore(t, newMemberTable(t))
	return m.(*memberTable)
}

// newMemberTable returns the memberTable of struct type t, by the rules of
// [encoding/json] for the field that decodes a member:
//
//   - a field is named by the name in its json tag, if the tag gives a
//     name that encoding/json takes (letters, digits and the punctuation
//     of [validTagName]), and by its Go name otherwise; a field tagged
//     `json:"-"` decodes no member, one tagged `json:"-,"` the member "-";
//   - an unexported field decodes no member, unless it is an embedded
//     struct or pointer to one;
//   - an embedded struct, or pointer to one, without a name in its tag
//     decodes no member itself: its fields are t's, one level deeper, as
//     far as it is embedded, a type met again at a deeper level being left
//     out; an embedded struct with a name in its tag is a field like any
//     other, whose own fields are not t's (an unexported one included,
//     which encoding/json decodes as it decodes an exported one);
//   - of the fields of one name, the shallowest decodes it, and of those
//     at that depth the one with the name in its tag; if two are left
//     (two tagged, two untagged, or the fields of one struct type embedded
//     twice at that depth), none decodes it, and the member is unknown.
//
// The fields of an embedded pointer to an unexported struct type are in
// the table, as encoding/json decodes them, although it fails when the
// pointer is nil: it cannot allocate the struct.
func newMemberTable(t reflect.Type) *memberTable {
	type candidate struct {
		name   string
		tagged bool
		twice  bool // of a struct type embedded twice at its depth
		index  []int
		typ    reflect.Type
		ref    memberRef // unsettable and hidden, as memberRef says
	}
	type embedded struct {
		typ   reflect.Type
		index []int
		times int  // how often the type is embedded at this depth
		nil   bool // reached through an untagged embedded pointer to an unexported struct type
	}
	var found []candidate
	scanned := map[reflect.Type]bool{}
	for level := []embedded{{typ: t, times: 1}}; len(level) > 0; {
		var next []embedded
		at := map[reflect.Type]int{} // a struct type's place in next
		for _, e := range level {
			if scanned[e.typ] {
				continue
			}
			scanned[e.typ] = true
			for i := range e.typ.NumField() {
				f := e.typ.Field(i)
				inner := f.Type
				if inner.Kind() == reflect.Pointer && inner.Name() == "" {
					inner = inner.Elem()
				}
				if !f.IsExported() && (!f.Anonymous || inner.Kind() != reflect.Struct) {
					continue
				}
				name, skip := fieldTagName(f)
				if skip {
					continue
				}
				index := append(append(make([]int, 0, len(e.index)+1), e.index...), i)
				hiddenPointer := f.Anonymous && !f.IsExported() && f.Type.Kind() == reflect.Pointer
				if f.Anonymous && name == "" && inner.Kind() == reflect.Struct {
					if j, ok := at[inner]; ok {
						next[j].times++
					} else {
						at[inner] = len(next)
						next = append(next, embedded{typ: inner, index: index, times: 1, nil: e.nil || hiddenPointer})
					}
					continue
				}
				c := candidate{name: name, tagged: name != "", twice: e.times > 1, index: index, typ: f.Type}
				c.ref.blocked = e.nil
				c.ref.unsettable = hiddenPointer && !e.nil
				c.ref.hidden = f.Anonymous && !f.IsExported() && f.Type.Kind() == reflect.Struct && !jsonV2()
				if !c.tagged {
					c.name = f.Name
				}
				found = append(found, c)
			}
		}
		level = next
	}

	// Of the fields of each name, the one that decodes it, if any.
	byName := map[string][]candidate{}
	for _, c := range found {
		byName[c.name] = append(byName[c.name], c)
	}
	var fields []candidate
	for _, cs := range byName {
		// ties counts the fields as shallow as best and tagged alike,
		// best among them.
		best, ties := cs[0], 0
		for _, c := range cs {
			switch {
			case len(c.index) < len(best.index) || len(c.index) == len(best.index) && c.tagged && !best.tagged:
				best, ties = c, 1
			case len(c.index) == len(best.index) && c.tagged == best.tagged:
				ties++ // cs[0] is counted here
			}
		}
		if ties == 1 && !best.twice {
			fields = append(fields, best)
		}
	}
	slices.SortFunc(fields, func(a, b candidate) int { return slices.Compare(a.index, b.index) })

	m := &memberTable{exact: make(map[string]memberRef, len(fields)), folded: make(map[string]memberRef, len(fields))}
	for id, c := range fields {
		ref := c.ref
		ref.id, ref.index, ref.typ, ref.name = id, c.index, c.typ, c.name
		m.fields = append(m.fields, ref)
		m.exact[c.name] = ref
		folded := string(appendFolded(nil, c.name))
		if _, ok := m.folded[folded]; !ok {
			m.folded[folded] = ref
		}
	}
	return m
}

// validTagName reports whether encoding/json takes name, from a json tag,
// as the name of a field: a name that is not empty, of letters, digits,
// spaces and the punctuation !#$%&()*+-./:;<=>?@[]^_{|}~ only (no quote
// or backslash). A field whose tag gives another name is named by its Go
// name.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", r) {
			return false
		}
	}
	return true
}

// appendFolded appends name to b with each rune replaced by the least of
// the runes that [unicode.SimpleFold] cycles through from it, and a byte
// that is not UTF-8 by [utf8.RuneError], as [strings.EqualFold] decodes
// it: two names are equal folded exactly when strings.EqualFold reports
// them equal ("Name", "NAME" and "name"; "ſ", "s" and "S"), which is how
// encoding/json matches a member to a field without regard to case.
func appendFolded(b []byte, name string) []byte {
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b = utf8.AppendRune(b, least)
	}
	return b
}

// fieldTagName returns the name that the json tag of f gives its member,
// empty if none or one that encoding/json does not take (see
// validTagName), and whether the tag leaves f out: `json:"-"` does, while
// `json:"-,"` names the member "-".
func fieldTagName(f reflect.StructField) (name string, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", true
	}
	if tag == "" {
		return "", false
	}
	return tagName(tag), false
}
