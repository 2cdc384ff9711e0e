package salesprocess

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"sync"

	"github.com/shopspring/decimal"
)

// The decimals [EncodeJSON] writes as strings whatever
// decimal.MarshalJSONWithoutQuotes says. That variable of
// shopspring/decimal, which any program may set, makes the MarshalJSON
// method of a decimal write a JSON number, and so would change the JSON
// forms of this module's types, which write every decimal as a string
// (see the package doc), and make documents that review's rules, which
// require the string, refuse. EncodeJSON encodes by encoding/json, then,
// where the variable is set, finds the decimals that it wrote by their
// own method as numbers and quotes them: it walks the value and the
// document together, the members of each struct found by their JSON names
// as [DecodeJSON] finds them.

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// quoteDecimals returns data, the encoding of v by encoding/json, with
// every decimal that v holds and that data has as a JSON number written
// as a JSON string instead: "12.5" where data has 12.5. A decimal within
// a value that encodes by a method of its own is left to that method
// (a type of this module's, which calls EncodeJSON in turn). Where
// decimal.MarshalJSONWithoutQuotes is not set, as by default, every
// decimal is a string already, and data is returned at once.
func quoteDecimals(v any, data []byte) []byte {
	if !decimal.MarshalJSONWithoutQuotes {
		return data
	}
	q := quoter{data: data}
	q.walk(reflect.ValueOf(v), data)
	if len(q.numbers) == 0 {
		return data
	}
	out := make([]byte, 0, len(data)+2*len(q.numbers))
	last := 0
	for _, n := range q.numbers {
		out = append(out, data[last:n.start]...)
		out = append(out, '"')
		out = append(out, data[n.start:n.end]...)
		out = append(out, '"')
		last = n.end
	}
	return append(out, data[last:]...)
}

// quoter finds the decimals of a document that are written as numbers.
type quoter struct {
	data    []byte
	numbers []span // in the order of the document
}

// span is where a value lies in a document: data[start:end].
type span struct{ start, end int }

// walk looks for the decimals of v in doc, the part of q.data that
// encodes v.
func (q *quoter) walk(v reflect.Value, doc []byte) {
	if !v.IsValid() || len(doc) == 0 {
		return
	}
	t := v.Type()
	switch {
	case t == decimalType || t == nullDecimalType:
		if doc[0] != '"' && doc[0] != 'n' { // a number, not a string or null
			start := cap(q.data) - cap(doc) // doc is a part of q.data
			q.numbers = append(q.numbers, span{start, start + len(doc)})
		}
		return
	case t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface:
		// Whether through a method of the pointer's (a method of the
		// value's) or by the value's own rules, what encoding/json writes
		// for a pointer is what it writes for the value it points to.
		if !v.IsNil() {
			q.walk(v.Elem(), doc)
		}
		return
	case !writesDecimal(t) || encodesItself(v):
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m := membersOf(t)
		spans(doc, '{', func(name string, member []byte) bool {
			if f, ok := m.exact[name]; ok {
				if fv, err := v.FieldByIndexErr(f.index); err == nil {
					q.walk(fv, member)
				}
			}
			return true
		})
	case reflect.Slice, reflect.Array:
		i := 0
		spans(doc, '[', func(_ string, elem []byte) bool {
			if i < v.Len() {
				q.walk(v.Index(i), elem)
			}
			i++
			return i < v.Len()
		})
	case reflect.Map:
		elems := make(map[string]reflect.Value, v.Len())
		for it := v.MapRange(); it.Next(); {
			if name, ok := mapKeyName(it.Key()); ok {
				elems[name] = it.Value()
			}
		}
		spans(doc, '{', func(name string, elem []byte) bool {
			if e, ok := elems[name]; ok {
				q.walk(e, elem)
			}
			return true
		})
	}
}

// encodesItself reports whether encoding/json encodes v, not a pointer,
// by a MarshalJSON or MarshalText method: one of v's type, or of a
// pointer to it where v is addressable, as encoding/json calls it.
func encodesItself(v reflect.Value) bool {
	t := v.Type()
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return true
	}
	if !v.CanAddr() {
		return false
	}
	p := reflect.PointerTo(t)
	return p.Implements(jsonMarshaler) || p.Implements(textMarshaler)
}

// mapKeyName returns the member name encoding/json gives the map key k:
// a string as it is, the text of a key with a MarshalText method, an
// integer in decimal, a float as encoding/json/v2 writes it (earlier, it
// encodes no map of float keys); false if it gives none.
func mapKeyName(k reflect.Value) (string, bool) {
	if k.Kind() == reflect.String {
		return k.String(), true
	}
	if k.Kind() == reflect.Pointer && k.IsNil() {
		return "", true
	}
	if !k.CanInterface() { // reached through an unexported field
		return "", false
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		text, err := tm.MarshalText()
		return string(text), err == nil
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		// Written by encoding/json itself, whose form of a float is its
		// own: a map of the one key.
		m := reflect.MakeMapWithSize(reflect.MapOf(k.Type(), reflect.TypeFor[bool]()), 1)
		m.SetMapIndex(k, reflect.ValueOf(true))
		data, err := json.Marshal(m.Interface())
		var names map[string]bool
		if err != nil || json.Unmarshal(data, &names) != nil || len(names) != 1 {
			return "", false
		}
		for name := range names {
			return name, true
		}
	}
	return "", false
}

// decimalWriters holds, for each type [quoteDecimals] has met, whether
// encoding/json, encoding a value of it by its rules, may write a decimal.
var decimalWriters sync.Map // reflect.Type → bool

// writesDecimal reports whether encoding/json may write a decimal
// encoding a value of type t by its rules: a decimal held in a field,
// an element or behind a pointer or interface, not within a value that
// encodes by a method of its own. Found once per type.
func writesDecimal(t reflect.Type) bool {
	if w, ok := decimalWriters.Load(t); ok {
		return w.(bool)
	}
	w, _ := decimalWriters.LoadOrStore(t, writesDecimalIn(t, map[reflect.Type]bool{}))
	return w.(bool)
}

// writesDecimalIn is [writesDecimal], found anew; seen holds the types
// already looked at. An interface may hold anything, and a type whose
// pointer has the method may be encoded by its rules where it is not
// addressable.
func writesDecimalIn(t reflect.Type, seen map[reflect.Type]bool) bool {
	switch {
	case t == decimalType || t == nullDecimalType || t.Kind() == reflect.Interface:
		return true
	case seen[t]:
		return false
	case t.Kind() == reflect.Pointer: // written as the value it points to
		seen[t] = true
		return writesDecimalIn(t.Elem(), seen)
	case t.Implements(jsonMarshaler) || t.Implements(textMarshaler):
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return writesDecimalIn(t.Elem(), seen)
	case reflect.Struct:
		for _, f := range membersOf(t).exact {
			if writesDecimalIn(f.typ, seen) {
				return true
			}
		}
	}
	return false
}
