package salesprocess

import (
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
)

// The check of [DecodeJSON] on the decimals it decoded: a decimal taken
// from a number in exponent form ("1e-9999", 1e9999) is written out in
// full when encoded, and more than [MaxDigitRun] digits in a row would not
// decode again.

// longDecimal reports whether d, written out by its String method (which
// its MarshalJSON and MarshalText use), makes more than [MaxDigitRun]
// digits and points in a row, and how many it makes if so. It costs a few
// comparisons for a decimal far from the bound.
func longDecimal(d decimal.Decimal) (run int64, long bool) {
	exp := int64(d.Exponent())
	if exp >= 0 {
		run = writtenRun(d)
		return run, run > MaxDigitRun
	}
	// Written out, d has at most n+1 digits and points in a row when its n
	// digits reach past the point, and at most -exp+2 ("0.", the zeros,
	// the digits) when they do not.
	if n := int64(d.NumDigits()); max(n+1, -exp+2) <= MaxDigitRun {
		return 0, false
	}
	run = writtenRun(d)
	return run, run > MaxDigitRun
}

// writtenRun returns how many digits and points in a row d makes written
// out by its String method, with shopspring/decimal's default settings:
// the whole text but for a sign. It writes out the coefficient only, never
// the zeros the exponent adds.
func writtenRun(d decimal.Decimal) int64 {
	exp := int64(d.Exponent())
	if d.IsZero() {
		return 1 // "0", whatever the exponent
	}
	if exp >= 0 {
		return int64(d.NumDigits()) + exp // the digits, then exp zeros
	}
	digits := new(big.Int).Abs(d.Coefficient()).String()
	n, places := int64(len(digits)), -exp
	trailing := int64(len(digits) - len(strings.TrimRight(digits, "0")))
	if n > places {
		// The integer part, then the point and the places but for the
		// trailing zeros, if any is left.
		run := n - places
		if frac := places - min(trailing, places); frac > 0 {
			run += 1 + frac
		}
		return run
	}
	// "0.", the zeros the exponent adds, and the digits but for their
	// trailing zeros, of which one at least is not zero.
	return 2 + (places - n) + (n - trailing)
}

// decimalWalks holds, for each type [DecodeJSON] has decoded into, the
// *decimalWalk that finds the decimals a value of that type holds, or a
// nil one for a type that holds none.
var decimalWalks sync.Map // reflect.Type → *decimalWalk

// walkKind says what a [decimalWalk] walks.
type walkKind uint8

const (
	walkDecimal     walkKind = iota // a decimal.Decimal
	walkNullDecimal                 // a decimal.NullDecimal
	walkPointer                     // a pointer, to elem
	walkStruct                      // a struct, by fields
	walkList                        // a slice or an array of elem
	walkMap                         // a map to elem
)

// decimalWalk finds the decimals, decoded by the rules of
// [encoding/json], that a value of one type holds: its own, and those of
// its fields, elements and pointers, down to a value that decodes by a
// method of its own (whose own decoding checks the decimals it holds, if
// it is of this module), through the members only that hold a decimal.
type decimalWalk struct {
	kind     walkKind
	elem     *decimalWalk // walkPointer, walkList, walkMap
	elemType reflect.Type // walkMap
	fields   []walkField  // walkStruct
}

// walkField is a field of a struct that holds a decimal.
type walkField struct {
	index int
	name  string // the JSON member; empty for an embedded struct, whose members are its parent's
	walk  *decimalWalk
}

var (
	decimalType     = reflect.TypeFor[decimal.Decimal]()
	nullDecimalType = reflect.TypeFor[decimal.NullDecimal]()
)

// walkOf returns the decimalWalk of t, made once per type; nil if a value
// of t holds no decimal.
func walkOf(t reflect.Type) *decimalWalk {
	if w, ok := decimalWalks.Load(t); ok {
		return w.(*decimalWalk)
	}
	w, _ := decimalWalks.LoadOrStore(t, planWalk(t, map[reflect.Type]*decimalWalk{}))
	return w.(*decimalWalk)
}

// planWalk returns the decimalWalk of t, or nil if a value of t holds no
// decimal; building holds the walks being made, which a type that holds
// itself meets again.
func planWalk(t reflect.Type, building map[reflect.Type]*decimalWalk) *decimalWalk {
	switch {
	case t == decimalType:
		return &decimalWalk{kind: walkDecimal}
	case t == nullDecimalType:
		return &decimalWalk{kind: walkNullDecimal}
	case !holdsDecimal(t, map[reflect.Type]bool{}):
		return nil
	}
	if w, ok := building[t]; ok {
		return w
	}
	w := &decimalWalk{}
	building[t] = w
	switch t.Kind() {
	case reflect.Pointer:
		w.kind, w.elem = walkPointer, planWalk(t.Elem(), building)
	case reflect.Slice, reflect.Array:
		w.kind, w.elem = walkList, planWalk(t.Elem(), building)
	case reflect.Map:
		w.kind, w.elem, w.elemType = walkMap, planWalk(t.Elem(), building), t.Elem()
	case reflect.Struct:
		w.kind = walkStruct
		decodedFields(t, func(i int, name string, ft reflect.Type) {
			if fw := planWalk(ft, building); fw != nil {
				w.fields = append(w.fields, walkField{index: i, name: name, walk: fw})
			}
		})
	}
	return w
}

// holdsDecimal reports whether a value of type t can hold a decimal that
// [encoding/json] decodes by the rules for t, not by a method of t's own;
// seen holds the types already looked at.
func holdsDecimal(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == decimalType || t == nullDecimalType {
		return true
	}
	if seen[t] || decodesItself(t) {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsDecimal(t.Elem(), seen)
	case reflect.Struct:
		holds := false
		decodedFields(t, func(_ int, _ string, ft reflect.Type) {
			holds = holds || holdsDecimal(ft, seen)
		})
		return holds
	}
	return false
}

// decodedFields calls yield with the index, the JSON name and the type of
// each field of struct type t that [encoding/json] decodes a member into,
// the name empty for an embedded struct (or pointer to one) without a
// name in its tag, whose members it decodes as t's own.
func decodedFields(t reflect.Type, yield func(i int, name string, ft reflect.Type)) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if !f.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
		} else if !f.IsExported() {
			continue
		}
		name, skip := fieldTagName(f)
		if skip {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case name == "" && f.Anonymous && ft.Kind() == reflect.Struct:
			yield(i, "", f.Type)
		case name == "":
			yield(i, f.Name, f.Type)
		default:
			yield(i, name, f.Type)
		}
	}
}

// maxPointers bounds the pointers a [decimalWalk] follows, as
// encoding/json, past as many, starts to look for cycles.
const maxPointers = 1000

// longFound is a decimal that is written out in more than [MaxDigitRun]
// digits in a row, found by a decimalWalk: the decimal, how many it makes,
// and the path to it, its steps from the last to the first.
type longFound struct {
	d    decimal.Decimal
	run  int64
	back []string
}

// find returns the first decimal that v, a value of the walk's type, holds
// and that is written out in more than [MaxDigitRun] digits in a row, in
// the order of the fields and elements, or nil if none is. v must be
// addressable; it may have been reached through unexported fields (an
// embedded struct of an unexported type). pointers is the number of
// pointers followed to reach v: past maxPointers, find gives up, so that a
// value that points back to itself, which only a value to encode can be,
// ends the walk rather than the stack ([json.Marshal] then reports the
// cycle).
func (w *decimalWalk) find(v reflect.Value, pointers int) *longFound {
	switch w.kind {
	case walkDecimal:
		d := *(*decimal.Decimal)(v.Addr().UnsafePointer())
		if run, long := longDecimal(d); long {
			return &longFound{d: d, run: run}
		}
	case walkNullDecimal:
		nd := (*decimal.NullDecimal)(v.Addr().UnsafePointer())
		if !nd.Valid {
			return nil // written as null
		}
		if run, long := longDecimal(nd.Decimal); long {
			return &longFound{d: nd.Decimal, run: run}
		}
	case walkPointer:
		if !v.IsNil() && pointers < maxPointers {
			return w.elem.find(v.Elem(), pointers+1)
		}
	case walkStruct:
		for _, f := range w.fields {
			if found := f.walk.find(v.Field(f.index), pointers); found != nil {
				if f.name != "" {
					found.back = append(found.back, "."+f.name)
				}
				return found
			}
		}
	case walkList:
		for i := range v.Len() {
			if found := w.elem.find(v.Index(i), pointers); found != nil {
				found.back = append(found.back, "["+strconv.Itoa(i)+"]")
				return found
			}
		}
	case walkMap:
		// A value reached through an unexported field cannot be copied
		// out of the map; its writable twin at the same address can.
		m := reflect.NewAt(v.Type(), v.Addr().UnsafePointer()).Elem()
		e := reflect.New(w.elemType).Elem()
		for it := m.MapRange(); it.Next(); {
			e.SetIterValue(it)
			if found := w.elem.find(e, pointers); found != nil {
				return found // the key is left out of the path, as DecodeJSON's paths leave it out
			}
		}
	}
	return nil
}

// checkDecimals returns an error naming the first decimal v, a decoded
// value, holds that would be written out in more than [MaxDigitRun] digits
// in a row, below kind, or nil if none would.
func checkDecimals(kind string, v reflect.Value) *ValidationError {
	w := walkOf(v.Type())
	if w == nil {
		return nil
	}
	return longDecimalError(kind, w, v)
}

// checkDecimalsToEncode is [checkDecimals] for a value v to encode, which
// need not be addressable (a copy of it is walked, made only where its
// type holds decimals), naming the decimal by its path in v ("steps[1]").
func checkDecimalsToEncode(v reflect.Value) *ValidationError {
	w := walkOf(v.Type())
	if w == nil {
		return nil
	}
	if !v.CanAddr() { // as the walk wants it
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		v = c
	}
	ve := longDecimalError("", w, v)
	if ve != nil {
		ve.Field = strings.TrimPrefix(ve.Field, ".")
	}
	return ve
}

// longDecimalError returns the error of the first decimal too long to
// write that walk w finds in v, below kind, or nil if none is.
func longDecimalError(kind string, w *decimalWalk, v reflect.Value) *ValidationError {
	found := w.find(v, 0)
	if found == nil {
		return nil
	}
	slices.Reverse(found.back)
	return &ValidationError{
		Field: kind + strings.Join(found.back, ""),
		Reason: decimalText(found.d) + " is written out in " + strconv.FormatInt(found.run, 10) +
			" digits in a row, more than the " + strconv.Itoa(MaxDigitRun) + " a document may hold",
	}
}

// decimalText writes d for an error's reason: a nonzero decimal by its
// value, in scientific notation whatever its written form ("1e99" for
// decimal.New(1, 99) and for decimal.New(1000, 96) alike, "-1.25e-43"),
// its digits cut after 20 with "..."; a zero as written ("0e-50"), since
// [ValidateDecimal] judges a zero by its exponent.
func decimalText(d decimal.Decimal) string {
	digits := d.Coefficient().String()
	sign := ""
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}
	if digits == "0" {
		return "0e" + strconv.Itoa(int(d.Exponent()))
	}
	exp := strconv.FormatInt(int64(d.Exponent())+int64(len(digits)-1), 10)
	digits = strings.TrimRight(digits, "0")
	const shown = 20
	switch {
	case len(digits) == 1:
		return sign + digits + "e" + exp
	case len(digits) > shown:
		return sign + digits[:1] + "." + digits[1:shown] + "...e" + exp
	}
	return sign + digits[:1] + "." + digits[1:] + "e" + exp
}
