package salesprocess_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// hostDecimalSettings sets the package variables of shopspring/decimal
// for the rest of t as a host program may set them: decimals marshaled as
// JSON numbers, and Div rounding to one place. The module's results and
// JSON forms must not change. A test that calls it must not run in
// parallel with others.
func hostDecimalSettings(t *testing.T) {
	t.Helper()
	quotes, precision := decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision
	decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision = true, 1
	t.Cleanup(func() { decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision = quotes, precision })
}

// numberWriter writes itself as a JSON number, as a type of another
// module may: EncodeJSON leaves what it writes alone.
type numberWriter struct{ d decimal.Decimal }

func (n numberWriter) MarshalJSON() ([]byte, error) { return []byte(n.d.String()), nil }

// pointerWriter writes itself as a JSON number by a method of its
// pointer, which encoding/json calls where the value is addressable only,
// and encodes it by its rules for structs elsewhere.
type pointerWriter struct {
	D decimal.Decimal `json:"d"`
}

func (p *pointerWriter) MarshalJSON() ([]byte, error) { return []byte(p.D.String()), nil }

// codeKey is a map key with a MarshalText method.
type codeKey int

func (k codeKey) MarshalText() ([]byte, error) { return []byte("k" + strings.Repeat("i", int(k))), nil }

type inner struct {
	Rate   decimal.Decimal `json:"rate"`
	Shadow decimal.Decimal `json:"shadow"`
}

type hidden struct {
	Deep decimal.Decimal `json:"deep"`
}

// holder holds decimals in every place encoding/json reaches.
type holder struct {
	inner                                     // promoted members
	hidden      `json:"hidden"`               // an unexported struct under a name
	Shadow      string                        `json:"shadow"` // shadows inner's
	Plain       decimal.Decimal               `json:"plain"`
	Null        decimal.NullDecimal           `json:"null"`
	Unset       decimal.NullDecimal           `json:"unset"`
	Pointer     *decimal.Decimal              `json:"pointer"`
	NilPointer  *decimal.Decimal              `json:"nil_pointer"`
	List        []decimal.Decimal             `json:"list"`
	Array       [2]decimal.Decimal            `json:"array"`
	ByName      map[string]decimal.Decimal    `json:"by_name"`
	ByNumber    map[int]decimal.Decimal       `json:"by_number"`
	ByCode      map[codeKey][]decimal.Decimal `json:"by_code"`
	Any         any                           `json:"any"`
	AnyList     []any                         `json:"any_list"`
	Nested      []*inner                      `json:"nested,omitempty"`
	Omitted     []decimal.Decimal             `json:"omitted,omitempty"`
	Text        string                        `json:"text"`
	Money       sp.Money                      `json:"money"`
	Raw         json.RawMessage               `json:"raw"`
	Foreign     numberWriter                  `json:"foreign"`
	ForeignList map[string]numberWriter       `json:"foreign_list"`
	Keys        map[decimal.Decimal]int       `json:"keys"`
	ByPointer   pointerWriter                 `json:"by_pointer"`
	ByPointers  []pointerWriter               `json:"by_pointers"`
	Skipped     decimal.Decimal               `json:"-"`
	Untagged    decimal.Decimal
}

// TestEncodeJSONWritesDecimalsAsStrings checks that EncodeJSON writes
// every decimal a value holds as a string where decimal's own MarshalJSON
// would write a number, wherever encoding/json reaches it, and leaves
// all else as encoding/json writes it: the strings, the numbers of other
// types, what a method of a type of its own writes, a raw message.
func TestEncodeJSONWritesDecimalsAsStrings(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	p := d("-7.25")
	money, err := sp.ParseMoney("12.50 EUR")
	require.NoError(t, err)
	v := holder{
		inner:       inner{Rate: d("0.95"), Shadow: d("1")},
		hidden:      hidden{Deep: d("1e-3")},
		Shadow:      "0.5",
		Plain:       d("120.50"),
		Null:        decimal.NewNullDecimal(d("3")),
		Pointer:     &p,
		List:        []decimal.Decimal{d("1"), d("-2.5"), d("0")},
		Array:       [2]decimal.Decimal{d("4"), d("5.05")},
		ByName:      map[string]decimal.Decimal{"b": d("2"), "a": d("1"), "<&>": d("3")},
		ByNumber:    map[int]decimal.Decimal{10: d("10"), -1: d("-1")},
		ByCode:      map[codeKey][]decimal.Decimal{1: {d("1.1")}, 2: nil},
		Any:         d("6.5"),
		AnyList:     []any{d("7"), 8, "9", map[string]any{"x": d("10.5")}},
		Nested:      []*inner{{Rate: d("0.1")}, nil},
		Text:        `a "quoted" 12 & <b>`,
		Money:       money,
		Raw:         json.RawMessage(`{"n": 1.5}`),
		Foreign:     numberWriter{d("11")},
		ForeignList: map[string]numberWriter{"f": {d("12")}},
		Keys:        map[decimal.Decimal]int{d("1.5"): 1},
		ByPointer:   pointerWriter{d("15")},
		ByPointers:  []pointerWriter{{d("16")}},
		Skipped:     d("13"),
		Untagged:    d("14"),
	}
	want, err := sp.EncodeJSON(v)
	require.NoError(t, err)
	require.Contains(t, string(want), `"rate":"0.95"`, "decimals are strings by default")

	hostDecimalSettings(t)
	raw, err := json.Marshal(v.Plain)
	require.NoError(t, err)
	require.Equal(t, "120.5", string(raw), "the setting makes decimal write numbers")

	got, err := sp.EncodeJSON(v)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Contains(t, string(got), `"by_pointer":{"d":"15"},"by_pointers":[16]`, "a value not addressable is encoded by the rules")
	got, err = sp.EncodeJSON(&v)
	require.NoError(t, err)
	assert.Contains(t, string(got), `"by_pointer":15,"by_pointers":[16]`, "an addressable value is encoded by its pointer's method")
	for _, v := range []any{v, &v, []holder{v}, map[string]*holder{"h": &v}} {
		got, err := sp.EncodeJSON(v)
		require.NoError(t, err)
		assert.Contains(t, string(got), `"rate":"0.95","hidden":{"deep":"0.001"},"shadow":"0.5","plain":"120.5"`)
		assert.Contains(t, string(got), `"list":["1","-2.5","0"],"array":["4","5.05"]`)
		assert.Contains(t, string(got), `"by_name":{"<&>":"3","a":"1","b":"2"},"by_number":{"-1":"-1","10":"10"}`)
		assert.Contains(t, string(got), `"by_code":{"ki":["1.1"],"kii":null},"any":"6.5","any_list":["7",8,"9",{"x":"10.5"}]`)
		assert.Contains(t, string(got), `"nested":[{"rate":"0.1","shadow":"0"},null]`)
		assert.Contains(t, string(got), `"raw":{"n":1.5},"foreign":11,"foreign_list":{"f":12},"keys":{"1.5":1},"by_pointer":`)
		assert.Contains(t, string(got), `"by_pointers":[16],"Untagged":"14"}`)
		assert.Contains(t, string(got), `"null":"3","unset":null,"pointer":"-7.25","nil_pointer":null`)
		assert.Contains(t, string(got), `"text":"a \"quoted\" 12 & <b>","money":{"amount":"12.50","currency":"EUR"}`)
	}
	got, err = sp.EncodeJSON(d("2.5"))
	require.NoError(t, err)
	assert.Equal(t, `"2.5"`, string(got))
	got, err = sp.EncodeJSON(numberWriter{d("2.5")})
	require.NoError(t, err)
	assert.Equal(t, `2.5`, string(got))
}

// TestEncodeJSONFloatKeys checks that EncodeJSON writes the decimals of a
// map keyed by floats as strings too, where encoding/json encodes one:
// encoding/json/v2 (Go 1.27) does, with a form of its own for the keys;
// earlier, it refuses the map, and so does EncodeJSON.
func TestEncodeJSONFloatKeys(t *testing.T) {
	v := struct {
		ByFloat map[float64]decimal.Decimal `json:"by_float"`
		ByF32   map[float32][]decimal.Decimal
	}{
		ByFloat: map[float64]decimal.Decimal{1.5: decimal.RequireFromString("1.5"), 1e21: decimal.New(2, 0), 1e-7: decimal.New(3, -2), -0.25: decimal.New(-4, 0)},
		ByF32:   map[float32][]decimal.Decimal{0.1: {decimal.New(5, -1)}},
	}
	want, err := sp.EncodeJSON(v)
	if !sp.JSONV2() {
		require.Error(t, err)
		hostDecimalSettings(t)
		_, err = sp.EncodeJSON(v)
		require.Error(t, err)
		return
	}
	require.NoError(t, err)
	require.Contains(t, string(want), `"1.5":"1.5"`, "decimals are strings by default")
	hostDecimalSettings(t)
	got, err := sp.EncodeJSON(v)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.NotRegexp(t, `:\[?-?[0-9]`, string(got), "a decimal written as a number")
}

// TestJSONFormsWhateverHostDecimalSettings checks every type of the
// module that decodes JSON by a method of its own: a value holding
// decimals wherever its type can is encoded as it is by default (every
// decimal a string) where a host has set decimal.MarshalJSONWithoutQuotes,
// and what is encoded decodes again to a value that encodes the same.
func TestJSONFormsWhateverHostDecimalSettings(t *testing.T) {
	type sample struct {
		name     string
		v        any
		want     []byte
		decimals bool
		decodes  bool // as the zero Report does not, of an unsupported version
	}
	var samples []sample
	for _, pkg := range decodingCases(t) {
		for _, c := range pkg.cases {
			if c.fresh == nil {
				continue
			}
			p := c.fresh()
			decimals := fillDecimals(reflect.ValueOf(p).Elem(), 0)
			want, err := json.Marshal(p)
			require.NoError(t, err, c.name)
			decodes := json.Unmarshal(want, c.fresh()) == nil
			samples = append(samples, sample{c.name, p, want, decimals, decodes})
		}
	}
	// The parts of a record's form, which the record writes by EncodeJSON:
	// marshaled on their own, they are encoding/json's form of their
	// fields.
	parts := map[string]bool{"Line.UnmarshalJSON": true, "StageSpec.UnmarshalJSON": true,
		"CellRow.UnmarshalJSON": true, "GoalRow.UnmarshalJSON": true, "ProductRow.UnmarshalJSON": true,
		"RegionRow.UnmarshalJSON": true, "RepRow.UnmarshalJSON": true, "TeamRow.UnmarshalJSON": true}
	hostDecimalSettings(t)
	held := 0
	for _, s := range samples {
		marshal := json.Marshal
		if parts[s.name] {
			marshal = sp.EncodeJSON
		}
		got, err := marshal(s.v)
		require.NoError(t, err, s.name)
		assert.Equal(t, string(s.want), string(got), s.name)
		if s.decimals {
			held++
			assert.Contains(t, string(got), `"0.25"`, "%s holds a decimal", s.name)
		}
		back := reflect.New(reflect.TypeOf(s.v).Elem()).Interface()
		if !s.decodes {
			continue
		}
		require.NoError(t, json.Unmarshal(got, back), "%s decodes %s", s.name, got)
		again, err := marshal(back)
		require.NoError(t, err, s.name)
		assert.Equal(t, string(got), string(again), s.name)
	}
	assert.Greater(t, held, 40, "the types that hold decimals")
}

// fillDecimals sets every decimal that v (settable) holds, in a field
// reached through exported fields, pointers, slices and maps of string
// keys, to 0.25, making one element of each list and map and allocating
// each pointer on the way, to a depth of 6; it reports whether it set
// any. Fields that hold no decimal are left zero.
func fillDecimals(v reflect.Value, depth int) bool {
	t := v.Type()
	switch {
	case t == reflect.TypeFor[decimal.Decimal]():
		v.Set(reflect.ValueOf(decimal.New(25, -2)))
		return true
	case t == reflect.TypeFor[decimal.NullDecimal]():
		v.Set(reflect.ValueOf(decimal.NewNullDecimal(decimal.New(25, -2))))
		return true
	case depth > 6 || !holdsDecimal(t, map[reflect.Type]bool{}):
		return false
	}
	switch t.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		return fillDecimals(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 1, 1))
		return fillDecimals(v.Index(0), depth+1)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return false
		}
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		k.SetString("k")
		if !fillDecimals(e, depth+1) {
			return false
		}
		v.Set(reflect.MakeMap(t))
		v.SetMapIndex(k, e)
		return true
	case reflect.Struct:
		set := false
		for i := range t.NumField() {
			if f := v.Field(i); f.CanSet() && fillDecimals(f, depth+1) {
				set = true
			}
		}
		return set
	}
	return false
}

// holdsDecimal reports whether a value of type t can hold a decimal in an
// exported field, an element or behind a pointer.
func holdsDecimal(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == reflect.TypeFor[decimal.Decimal]() || t == reflect.TypeFor[decimal.NullDecimal]() {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsDecimal(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); (f.IsExported() || f.Anonymous) && holdsDecimal(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// FuzzEncodeJSONQuotes checks, on values decoded from any document, that
// EncodeJSON writes the same where a host has set
// decimal.MarshalJSONWithoutQuotes as it writes by default, and never
// panics.
func FuzzEncodeJSONQuotes(f *testing.F) {
	f.Add([]byte(`{"rate":"0.95","plain":1.5,"list":[1,"2"],"by_name":{"a":3},"by_number":{"7":4},"any":5,` +
		`"any_list":[6,{"x":7}],"nested":[{"rate":8},null],"pointer":9,"null":null,"unset":"10",` +
		`"hidden":{"deep":11},"text":"12","raw":[13],"Untagged":14,"money":{"amount":"15","currency":"EUR"}}`))
	f.Add([]byte(`[{"rate":1},{"shadow":"x"}]`))
	f.Add([]byte(`{"by_code":{"1":[2]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var v holder
		var list []holder
		var tree any
		for _, target := range []any{&v, &list, &tree} {
			if json.Unmarshal(doc, target) != nil {
				continue
			}
			prev := decimal.MarshalJSONWithoutQuotes // the fuzz target runs alone
			decimal.MarshalJSONWithoutQuotes = false
			want, wantErr := sp.EncodeJSON(target)
			decimal.MarshalJSONWithoutQuotes = true
			got, gotErr := sp.EncodeJSON(target)
			decimal.MarshalJSONWithoutQuotes = prev
			require.Equal(t, wantErr == nil, gotErr == nil, "%v / %v", wantErr, gotErr)
			require.Equal(t, string(want), string(got))
		}
	})
}

// A decimal that would be written out in more digits in a row than a
// document may hold is refused, named, before anything is written: it
// wrote megabytes (decimal.New(1, -20000000), twenty million digits) that
// no decoder of the module reads back.
func TestEncodeJSONRefusesDecimalsTooLongToWrite(t *testing.T) {
	type inner struct {
		Steps []decimal.Decimal `json:"steps"`
	}
	type doc struct {
		Name  string              `json:"name"`
		Rate  decimal.NullDecimal `json:"rate"`
		Inner *inner              `json:"inner"`
	}
	long := decimal.New(1, -20_000_000)
	for name, tt := range map[string]struct {
		v     any
		field string
	}{
		"struct_field":    {doc{Rate: decimal.NewNullDecimal(long)}, "rate"},
		"through_pointer": {&doc{Inner: &inner{Steps: []decimal.Decimal{decimal.New(1, 0), long}}}, "inner.steps[1]"},
		"a_decimal_alone": {long, ""},
		"a_huge_exponent": {decimal.New(1, 9000), ""},
		"in_a_list":       {[]decimal.Decimal{long}, "[0]"},
	} {
		t.Run(name, func(t *testing.T) {
			data, err := sp.EncodeJSON(tt.v)
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Nil(t, data)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Contains(t, ve.Reason, "digits in a row, more than the 8192 a document may hold")
		})
	}
	t.Run("within_bounds", func(t *testing.T) {
		data, err := sp.EncodeJSON(doc{Name: "x", Rate: decimal.NewNullDecimal(decimal.New(1, -8000))})
		require.NoError(t, err)
		assert.Len(t, data, 8000+len(`{"name":"x","rate":"0.","inner":null}`))
	})
}

// cycleNode points back to itself through Next.
type cycleNode struct {
	D    decimal.Decimal `json:"d"`
	Next *cycleNode      `json:"next"`
}

// A value that points back to itself is no decimal too long to write: the
// check of EncodeJSON gives up on it, and encoding/json reports the cycle,
// where the check overflowed the stack, which no recover catches.
func TestEncodeJSONOfACycle(t *testing.T) {
	n := &cycleNode{D: decimal.New(1, 0)}
	n.Next = n
	_, err := sp.EncodeJSON(n)
	var unsupported *json.UnsupportedValueError
	require.ErrorAs(t, err, &unsupported)
	assert.Contains(t, err.Error(), "cycle")
}
