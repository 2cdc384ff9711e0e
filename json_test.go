package salesprocess_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestDecodeJSON(t *testing.T) {
	hired := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	held := sp.Rep{ID: "ana", Name: "Ana", Region: "north", Hired: hired}

	t.Run("ok_replaces_the_whole_value", func(t *testing.T) {
		r := held
		require.NoError(t, json.Unmarshal([]byte(`{"id":"ben","name":"Ben"}`), &r))
		assert.Equal(t, sp.Rep{ID: "ben", Name: "Ben"}, r, "fields the document leaves out are zero")
	})
	t.Run("ok_null_leaves_the_value", func(t *testing.T) {
		r := held
		require.NoError(t, json.Unmarshal([]byte(`null`), &r))
		assert.Equal(t, held, r)
	})
	for name, doc := range map[string]string{
		"err_wrong_type":   `{"id":"ben","name":"Ben","hired":17}`,
		"err_bad_value":    `{"id":"ben","name":"Ben","hired":"yesterday"}`,
		"err_not_object":   `["ben"]`,
		"err_late_failure": `{"id":"ben","name":"Ben","region":"south","hired":true}`,
	} {
		t.Run(name, func(t *testing.T) {
			r := held
			err := r.UnmarshalJSON([]byte(doc))
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Equal(t, held, r, "a failed decoding changes nothing")
		})
	}
	t.Run("err_malformed_through_json_unmarshal", func(t *testing.T) {
		// json.Unmarshal checks the syntax of the whole document before it
		// calls UnmarshalJSON: the caller gets its *json.SyntaxError, as
		// DecodeJSON's doc says, and the method's error only by a direct call.
		doc := []byte(`{"id":"ben",}`)
		r := held
		var syntax *json.SyntaxError
		err := json.Unmarshal(doc, &r)
		require.ErrorAs(t, err, &syntax)
		assert.NotErrorIs(t, err, sp.ErrInvalid)
		require.ErrorIs(t, r.UnmarshalJSON(doc), sp.ErrInvalid)
		assert.Equal(t, held, r)
	})
	t.Run("err_not_a_pointer", func(t *testing.T) {
		var r sp.Rep
		require.ErrorIs(t, sp.DecodeJSON("rep", []byte(`{}`), r), sp.ErrInvalid)
		require.ErrorIs(t, sp.DecodeJSON("rep", []byte(`{}`), (*sp.Rep)(nil)), sp.ErrInvalid)
		assert.EqualError(t, sp.DecodeJSON("rep", []byte(`{}`), (*sp.Rep)(nil)), "invalid rep: cannot decode into *salesprocess.Rep; want a non-nil pointer")
		assert.EqualError(t, sp.DecodeJSON("rep", []byte(`{}`), nil), "invalid rep: cannot decode into nil; want a non-nil pointer")
	})
}

// TestDecodeJSONFieldPath checks that a value of the wrong JSON type is
// placed by the names of the JSON document, whether its field is promoted
// from an embedded struct (a name Go 1.24 and later put in the path of
// json.UnmarshalTypeError, and Go 1.23 did not), one tagged with a name
// that encoding/json does not take included, or sits in a named one.
func TestDecodeJSONFieldPath(t *testing.T) {
	quoted := struct{ doc, field string }{`{"quoted":"1"}`, "row.quoted"}
	if sp.JSONV2() {
		// encoding/json/v2 names the embedded struct "a", the letters
		// before the quote in its tag.
		quoted = struct{ doc, field string }{`{"a":{"quoted":"1"}}`, "row.a.quoted"}
	}
	for _, tt := range []struct{ doc, field string }{
		{`{"won":"1"}`, "row.won"},
		{`{"count":"1"}`, "row.count"},
		{`{"sub":{"won":"1"}}`, "row.sub.won"},
		{`{"subs":[{"n":"x"}]}`, "row.subs[0].n"},
		{`{"Named":{"won":true}}`, "row.Named.won"},
		{`{"WON":"1"}`, "row.won"},
		quoted,
	} {
		t.Run(tt.doc, func(t *testing.T) {
			var r pathRow
			err := sp.DecodeJSON("row", []byte(tt.doc), &r)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

// TestDecodeJSONWrongTypePathHasIndexes checks that a value of the wrong
// JSON type within an element of a slice or an array is named with the
// element's index, as a value its own type refuses is ("lines[2].qty",
// not "lines.qty"), at any depth, map keys left out, whatever the member's
// case in the document, by DecodeJSON and DecodeJSONStrict alike; and
// that an error a member's own method gives is named as before.
func TestDecodeJSONWrongTypePathHasIndexes(t *testing.T) {
	type sub struct {
		N  int64   `json:"n"`
		Ns []int64 `json:"ns"`
	}
	type doc struct {
		pathFigures
		Subs  []sub              `json:"subs"`
		Grid  [][]sub            `json:"grid"`
		Pair  [2]sub             `json:"pair"`
		ByKey map[string][]sub   `json:"by_key"`
		Ptrs  []*sub             `json:"ptrs"`
		Own   []wrongTypeInOwn   `json:"own"`
		Deep  []map[string][]sub `json:"deep"`
	}
	for _, tt := range []struct{ doc, field string }{
		{`{"subs":[{"n":1},{"n":2},{"n":"x"}]}`, "doc.subs[2].n"},
		{`{"subs":[{"n":1},"x"]}`, "doc.subs[1]"},
		{`{"subs":[{"n":1},[1]]}`, "doc.subs[1]"},
		{`{"subs":"x"}`, "doc.subs"},
		{`{"subs":{}}`, "doc.subs"},
		{`{"subs":[{"n":1},{"n":{"a":[1,2]}}]}`, "doc.subs[1].n"},
		{`{"subs":[{"n":1},{"n":1e400}]}`, "doc.subs[1].n"},
		{`{"subs":[{"ns":[1]},{"ns":[1,2,"x"]}]}`, "doc.subs[1].ns[2]"},
		{`{"SUBS":[{},{"N":"x"}]}`, "doc.subs[1].n"},
		{`{"grid":[[],[{},{},{"n":true}]]}`, "doc.grid[1][2].n"},
		{`{"pair":[{},{"n":"x"}]}`, "doc.pair[1].n"},
		{`{"by_key":{"a":[{}],"b":[{},{"n":"x"}]}}`, "doc.by_key[1].n"},
		{`{"ptrs":[null,{"n":"x"}]}`, "doc.ptrs[1].n"},
		{`{"deep":[{},{"a":[{},{},{"ns":["x"]}]}]}`, "doc.deep[1][2].ns[0]"},
		{`{"won":"x","subs":[{"n":"x"}]}`, "doc.won"},
		{`{"subs":[{"n":"\"[{\""}]}`, "doc.subs[0].n"},
	} {
		for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
			var v doc
			err := decode("doc", []byte(tt.doc), &v)
			require.ErrorIs(t, err, sp.ErrInvalid, "%s %s", name, tt.doc)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "%s %s: %v", name, tt.doc, err)
		}
	}
	// The method of an element decodes its own bytes, and the offset
	// encoding/json gives is within them: the path has no index ("doc.own"
	// on Go 1.23, "doc.own.n" on Go 1.24 to 1.26, which name the member
	// within), unless encoding/json is encoding/json/v2 (withinMethod).
	t.Run("within_a_method", func(t *testing.T) {
		var v doc
		err := sp.DecodeJSON("doc", []byte(`{"own":[{"n":1},{"n":"x"}]}`), &v)
		require.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, withinMethod("doc.own[1].n"), ve.Field, "%v", err)
	})
	// The document is read once to find the indexes, whatever its depth:
	// the bytes allocated grow with its size, not its size times its depth.
	t.Run("deep", func(t *testing.T) {
		decodeDeepTree(t, sp.DecodeJSON, `{"name":1}`, "tree.name")
	})
	t.Run("top_level_list", func(t *testing.T) {
		err := sp.DecodeJSON("list", []byte(`[{"n":1},{"n":"x"}]`), new([]sub))
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid list[1].n: want int64, got a JSON string")
	})
}

// wrongTypeInOwn decodes by a method of its own that calls json.Unmarshal,
// whose error for a value of the wrong JSON type has an offset within the
// element's bytes.
type wrongTypeInOwn struct {
	N int64 `json:"n"`
}

func (w *wrongTypeInOwn) UnmarshalJSON(data []byte) error {
	type plain wrongTypeInOwn
	return json.Unmarshal(data, (*plain)(w))
}

type pathFigures struct {
	Won int64 `json:"won"`
}

type PathCount struct {
	Count int64 `json:"count"`
}

// pathQuoted is embedded in pathRow with a tag whose name encoding/json
// does not take: it is embedded as if untagged (encoding/json/v2 takes
// the name "a").
type pathQuoted struct {
	Quoted int64 `json:"quoted"`
}

type pathRow struct {
	pathFigures
	*PathCount
	//lint:ignore SA5008 a name encoding/json does not take is the case
	pathQuoted `json:"a\"b"`
	Named      pathFigures `json:",omitempty"`
	Sub        *pathRow    `json:"sub,omitempty"`
	Subs       []struct {
		N int64 `json:"n"`
	} `json:"subs,omitempty"`
}

// TestDecodeJSONNestedPath checks that a value refused by its own type's
// decoding is named by its path in the document, array indexes included,
// in place of the name its type gives itself, and that the first such
// value in the document's order is the one named.
func TestDecodeJSONNestedPath(t *testing.T) {
	for _, tt := range []struct{ doc, field string }{
		{`{"price":{"amount":"1","currency":"XXX"}}`, "catalog.price.currency"},
		{`{"prices":[{"amount":"1","currency":"EUR"},{"amount":"x","currency":"EUR"}]}`, "catalog.prices[1].amount"},
		{`{"when":"soon"}`, "catalog.when"},
		{`{"period":"2026-13"}`, "catalog.period"},
		{`{"items":[{"price":{"amount":"1","currency":"EUR"}},{"price":{"currency":"EUR"}}]}`, "catalog.items[1].price.amount"},
		{`{"item":{"when":"soon"}}`, "catalog.item.when"},
		{`{"when":"soon","price":{"amount":"1","currency":"XXX"}}`, "catalog.when"},
		{`{"price":{"amount":"1","currency":"XXX"},"when":"soon"}`, "catalog.price.currency"},
		// Map keys are left out, as encoding/json leaves them out of the
		// path of a value of the wrong JSON type; the members below stay.
		{`{"by_key":{"a":{"price":{"amount":"1","currency":"EUR"}},"b":{"price":{"amount":"x","currency":"EUR"}}}}`, "catalog.by_key.price.amount"},
		{`{"rates":{"a":{"amount":"x","currency":"EUR"}}}`, "catalog.rates.amount"},
		{`{"by_key":{"a":{"when":"soon"}},"when":"soon"}`, "catalog.by_key.when"},
	} {
		t.Run(tt.doc, func(t *testing.T) {
			var c pathCatalog
			err := sp.DecodeJSON("catalog", []byte(tt.doc), &c)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "%v", err)
		})
	}
}

// TestDecodeJSONNestedPathOfAList checks that when the value decoded is a
// slice, an array or a map itself, an element refused by its own type's
// decoding is named by its index below kind, in place of the name its
// type gives itself ("prices[2].amount", not "prices.money.amount"), map
// keys left out, by DecodeJSON and DecodeJSONStrict alike, and that the
// members DecodeJSONStrict refuses in an element are named likewise
// ("items[1].x", not "items.[1].x").
func TestDecodeJSONNestedPathOfAList(t *testing.T) {
	const (
		eur   = `{"amount":"1","currency":"EUR"}`
		badAm = `{"amount":"x","currency":"EUR"}`
		badCy = `{"amount":"1","currency":"XXX"}`
	)
	for _, tt := range []struct {
		name, doc, field string
		v                func() any
	}{
		{"slice", `[` + eur + `,` + eur + `,` + badAm + `]`, "list[2].amount", func() any { return new([]sp.Money) }},
		{"array", `[` + eur + `,` + badCy + `]`, "list[1].currency", func() any { return new([2]sp.Money) }},
		{"pointer_to_slice", `[` + badAm + `]`, "list[0].amount", func() any { return new(*[]sp.Money) }},
		{"slice_of_pointers", `[null,` + badAm + `]`, "list[1].amount", func() any { return new([]*sp.Money) }},
		{"map_key_left_out", `{"a":` + eur + `,"b":` + badCy + `}`, "list.currency", func() any { return new(map[string]sp.Money) }},
		{"slice_of_slices", `[[{}],[{"when":"soon"}]]`, "list[1][0].when", func() any { return new([][]pathItem) }},
		{"map_of_slices", `{"a":[` + eur + `,` + badAm + `]}`, "list[1].amount", func() any { return new(map[string][]sp.Money) }},
		{"slice_of_structs", `[{},{"price":` + badCy + `}]`, "list[1].price.currency", func() any { return new([]pathItem) }},
		{"slice_of_types_decoding_by_decode_json", `[{},{"children":[{},{"price":` + badCy + `}]}]`, "list[1].children[1].price.currency",
			func() any { return new([]pathNode) }},
		{"map_of_types_decoding_by_decode_json", `{"a":{"price":` + badAm + `}}`, "list.price.amount", func() any { return new(map[string]pathNode) }},
		{"slice_of_strict_types_unknown", `[{"max":1},{"max":2,"maks":3}]`, "list[1].maks", func() any { return new([]strictLimits) }},
		{"slice_of_strict_types_twice", `[{"max":1},{"max":2,"max":3}]`, "list[1].max", func() any { return new([]strictLimits) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
				v := tt.v()
				err := decode("list", []byte(tt.doc), v)
				require.ErrorIs(t, err, sp.ErrInvalid, name)
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, "%s: %v", name, err)
				assert.Equal(t, reflect.New(reflect.TypeOf(v).Elem()).Interface(), v, "%s: a failed decoding changes nothing", name)
			}
		})
	}
	t.Run("strict_members_of_elements", func(t *testing.T) {
		for doc, want := range map[string]string{
			`[{"name":"a"},{"name":"b","x":1}]`:        "invalid items[1].x: unknown field",
			`[{"name":"a"},{"name":"b","Name":"c"}]`:   "invalid items[1].Name: given twice, first as name",
			`{"k":{"name":"a"},"l":{"nmae":"b"}}`:      "invalid items.nmae: unknown field",
			`[[{"name":"a"}],[{"limit":1,"limit":2}]]`: "invalid items[1][0].limit: given twice",
		} {
			var v any = new([]settings)
			switch doc[1] {
			case '"':
				v = new(map[string]settings)
			case '[':
				v = new([][]settings)
			}
			err := sp.DecodeJSONStrict("items", []byte(doc), v)
			require.ErrorIs(t, err, sp.ErrInvalid, doc)
			assert.EqualError(t, err, want)
			require.NoError(t, sp.DecodeJSON("items", []byte(doc), v), "DecodeJSON takes %s", doc)
		}
	})
}

type pathItem struct {
	Price sp.Money  `json:"price"`
	When  time.Time `json:"when"`
}

type pathCatalog struct {
	Price  sp.Money            `json:"price"`
	Prices []sp.Money          `json:"prices"`
	When   time.Time           `json:"when"`
	Period sp.Period           `json:"period"`
	Items  []pathItem          `json:"items"`
	Item   *pathItem           `json:"item"`
	ByKey  map[string]pathItem `json:"by_key"`
	Rates  map[string]sp.Money `json:"rates"`
}

// TestDecodeJSONNestedDepth checks that a value refused deep inside values
// that decode themselves with DecodeJSON is placed by reading, not by
// decoding again: each level decodes once, so the time grows with the
// depth, not exponentially.
func TestDecodeJSONNestedDepth(t *testing.T) {
	const depth = 40
	doc := `{"price":{"amount":"1","currency":"XXX"}}`
	want := "node.price.currency"
	for range depth {
		doc = `{"price":{"amount":"1","currency":"EUR"},"children":[{},` + doc + `]}`
		want = strings.Replace(want, "node.", "node.children[1].", 1)
	}
	nodeDecodings = 0
	var n pathNode
	err := json.Unmarshal([]byte(doc), &n)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, want, ve.Field)
	assert.LessOrEqual(t, nodeDecodings, 3*(depth+1), "decodings of a node")
}

// nodeDecodings counts the calls of pathNode.UnmarshalJSON.
var nodeDecodings int

type pathNode struct {
	Price    sp.Money   `json:"price"`
	Children []pathNode `json:"children"`
}

func (n *pathNode) UnmarshalJSON(data []byte) error {
	nodeDecodings++
	type plain pathNode
	return sp.DecodeJSON("node", data, (*plain)(n))
}

// TestDecodeJSONCutsForeignErrors checks that the error of a member that
// a standard type refuses (a time that is not RFC 3339) quotes the value
// cut, as the library's own errors do, instead of the whole value twice.
func TestDecodeJSONCutsForeignErrors(t *testing.T) {
	long, err := json.Marshal("2026-01-01T00:00:00Z\n\x1b[2J" + strings.Repeat("k", 5000))
	require.NoError(t, err)
	var e sp.Event
	err = json.Unmarshal([]byte(`{"id":"e1","time":`+string(long)+`}`), &e)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "event.time", ve.Field)
	assert.Less(t, len(err.Error()), 200, err.Error())
	assert.Contains(t, ve.Reason, `"2026-01-01T00:00:00Z`)
	assert.True(t, strings.HasSuffix(ve.Reason, `"...: extra text`), ve.Reason)
}

// TestDecodeJSONCutsNumbers checks that the error of a number of the wrong
// kind (too large for its field, or not whole) quotes the number cut, not
// all its digits.
func TestDecodeJSONCutsNumbers(t *testing.T) {
	for _, n := range []string{strings.Repeat("9", 5000), "1." + strings.Repeat("5", 5000)} {
		var f sp.Feedback
		err := json.Unmarshal([]byte(`{"rating":`+n+`}`), &f)
		require.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "feedback.rating", ve.Field)
		assert.Less(t, len(err.Error()), 120, err.Error())
		assert.Contains(t, ve.Reason, "got a JSON number "+n[:20])
	}
}

// TestDecodeJSONCutsOtherTypesErrors checks that the error of a member that
// a type of another module refuses, quoting its whole text as a decimal's
// does, is cut, and shows the characters that are not printable (a bidi
// override, a C1 control) escaped, so that a crafted value can neither
// make the message as long as the document nor reach a log or terminal
// as it is.
func TestDecodeJSONCutsOtherTypesErrors(t *testing.T) {
	type thing struct {
		D decimal.Decimal `json:"d"`
	}
	data := "{\"d\":\"x\u202e\u009b2J" + strings.Repeat("k", 5000) + "\"}"
	var v thing
	err := sp.DecodeJSON("thing", []byte(data), &v)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "thing.d", ve.Field)
	assert.Less(t, len(err.Error()), 200, err.Error())
	assert.False(t, strings.ContainsFunc(err.Error(), func(r rune) bool { return !unicode.IsPrint(r) }), "%q", err.Error())
	assert.Contains(t, ve.Reason, `x\u202e\u009b2J`)
}

// TestDecodeJSONCutsNumbersAt40Bytes checks the cut that DecodeJSON's
// errors promise for a number of the wrong kind: its text to 40 bytes and
// "..." when it is longer, whole when it is not.
func TestDecodeJSONCutsNumbersAt40Bytes(t *testing.T) {
	for _, tc := range []struct{ n, want string }{
		{strings.Repeat("9", 40), strings.Repeat("9", 40)},
		{strings.Repeat("9", 41), strings.Repeat("9", 40) + "..."},
		{"1." + strings.Repeat("5", 39), "1." + strings.Repeat("5", 38) + "..."},
	} {
		var f sp.Feedback
		err := json.Unmarshal([]byte(`{"rating":`+tc.n+`}`), &f)
		require.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "want int, got a JSON number "+tc.want, ve.Reason)
	}
}

// TestDecodeJSONEscapesOtherTypesErrors checks that the error of a member
// that a type of another module refuses is escaped as by strconv.Quote,
// without the quotes, when it holds bytes that are not UTF-8, and is left
// as it is, cut on a character's boundary, when it is printable UTF-8.
func TestDecodeJSONEscapesOtherTypesErrors(t *testing.T) {
	type thing struct {
		D decimal.Decimal `json:"d"`
	}
	decode := func(t *testing.T, value string) *sp.ValidationError {
		t.Helper()
		var v thing
		err := sp.DecodeJSON("thing", []byte(`{"d":"`+value+`"}`), &v)
		require.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "thing.d", ve.Field)
		return ve
	}
	t.Run("why", func(t *testing.T) {
		ve := decode(t, "1e-2000000000")
		assert.Equal(t, `want a decimal such as "0.25", got "1e-2000000000": its exponent is out of range`, ve.Reason)
	})
	t.Run("escaped_without_quotes", func(t *testing.T) {
		ve := decode(t, "x\u202e")
		assert.Equal(t, `want a decimal such as "0.25", got "x\u202e"`, ve.Reason)
	})
	t.Run("not_utf8", func(t *testing.T) {
		ve := decode(t, "x\xff")
		assert.True(t, utf8.ValidString(ve.Reason), "%q", ve.Reason)
		assert.Contains(t, ve.Reason, `x\xff`)
	})
	for _, lead := range []string{"x", "xy"} { // either parity of the cut
		t.Run("cut_"+lead, func(t *testing.T) {
			value := lead + strings.Repeat("é", 200)
			ve := decode(t, value)
			assert.Equal(t, `want a decimal such as "0.25", got `+sp.Quote(value), ve.Reason)
			assert.True(t, strings.HasSuffix(ve.Reason, `é"...`), "%q", ve.Reason)
			assert.NotContains(t, ve.Reason, `\x`)
		})
	}
}

// TestDecodeJSONCutsTimeErrorsBothPlaces checks that a time's error, whose
// message from package time quotes the text twice with Go's layout, says
// what is wanted and what was given, the text cut once; and why, where
// the parser says.
func TestDecodeJSONCutsTimeErrorsBothPlaces(t *testing.T) {
	var e sp.Event
	err := sp.DecodeJSON("event", []byte(`{"id":"e1","time":"x`+strings.Repeat("k", 5000)+`"}`), &e)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "event.time", ve.Field)
	cut := strconv.Quote("x"+strings.Repeat("k", 39)) + "..."
	assert.Equal(t, `want a time in RFC 3339 format such as "2026-11-02T09:00:00Z", got `+cut, ve.Reason)

	err = sp.DecodeJSON("event", []byte(`{"id":"e1","time":"2026-13-01T00:00:00Z"}`), &e)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, `want a time in RFC 3339 format such as "2026-11-02T09:00:00Z", got "2026-13-01T00:00:00Z": month out of range`, ve.Reason)
}

// TestDecodeJSONWrongTypeSaysWhatTheDocumentNeeds checks the reason of a
// value of the wrong JSON type where Go's name of the type it decodes into
// says nothing to the reader of the document (the local type of an
// UnmarshalJSON method, an unnamed struct, a generic type): an object or
// an array is wanted. Other types keep their Go names.
func TestDecodeJSONWrongTypeSaysWhatTheDocumentNeeds(t *testing.T) {
	type line struct {
		Qty int64 `json:"qty"`
	}
	type doc struct {
		Lines []line            `json:"lines"`
		Tags  map[string]string `json:"tags"`
		Inner struct {
			N int `json:"n"`
		} `json:"inner"`
		Rep sp.RepID `json:"rep"`
		// A pointer wants what it points at; a []byte, a base64 string;
		// a struct with a text form of its own, that form, not an object.
		Line     *line      `json:"line"`
		Blob     []byte     `json:"blob"`
		Period   sp.Period  `json:"period"`
		PeriodAt *sp.Period `json:"period_at"`
	}
	for _, tc := range []struct{ data, want string }{
		{`[1]`, "invalid doc: want a JSON object, got a JSON array"},
		{`"x"`, "invalid doc: want a JSON object, got a JSON string"},
		{`{"lines":{}}`, "invalid doc.lines: want a JSON array, got a JSON object"},
		{`{"lines":[{"qty":"1"}]}`, "invalid doc.lines[0].qty: want int64, got a JSON string"},
		{`{"tags":[]}`, "invalid doc.tags: want a JSON object, got a JSON array"},
		{`{"inner":1}`, "invalid doc.inner: want a JSON object, got a JSON number"},
		{`{"rep":1}`, "invalid doc.rep: want salesprocess.RepID, got a JSON number"},
		{`{"line":1}`, "invalid doc.line: want a JSON object, got a JSON number"},
		{`{"blob":{}}`, "invalid doc.blob: want []uint8, got a JSON object"},
		{`{"period":{}}`, "invalid doc.period: want salesprocess.Period, got a JSON object"},
		{`{"period_at":1}`, "invalid doc.period_at: want salesprocess.Period, got a JSON number"},
	} {
		var v doc
		err := sp.DecodeJSON("doc", []byte(tc.data), &v)
		require.ErrorIs(t, err, sp.ErrInvalid, tc.data)
		assert.Equal(t, tc.want, err.Error(), tc.data)
	}
	var r sp.Rep
	assert.EqualError(t, r.UnmarshalJSON([]byte(`[1]`)), "invalid rep: want a JSON object, got a JSON array")
	var g sp.Region
	assert.EqualError(t, g.UnmarshalJSON([]byte(`"north"`)), "invalid region: want a JSON object, got a JSON string")
}

// TestDecodeJSONTimeOfAnotherJSONType pins the reason of a time given as a
// JSON number, an object or a bool: it says what is wanted rather than
// naming Go's method.
func TestDecodeJSONTimeOfAnotherJSONType(t *testing.T) {
	for _, data := range []string{`{"hired":17}`, `{"hired":{}}`, `{"hired":true}`} {
		var r sp.Rep
		err := r.UnmarshalJSON([]byte(data))
		require.ErrorIs(t, err, sp.ErrInvalid, data)
		assert.EqualError(t, err, "invalid rep.hired: want a time in RFC 3339 format in a JSON string", data)
	}
}

// TestDecodeJSONRefusesLongDigitRuns checks that a document holding more
// digits in a row than any value of the module takes is refused before
// encoding/json hands them to a decimal, whose parsing of n digits takes
// time growing with n²: a megabyte of digits took seconds.
func TestDecodeJSONRefusesLongDigitRuns(t *testing.T) {
	type line struct {
		Discount decimal.Decimal `json:"discount"`
		Note     string          `json:"note"`
	}
	decode := func(doc string) (line, error) {
		var l line
		err := sp.DecodeJSON("line", []byte(doc), &l)
		return l, err
	}
	t.Run("ok_at_the_bound", func(t *testing.T) {
		// A text of the longest the module takes, all digits, is no decimal.
		note := strings.Repeat("7", sp.MaxDigitRun)
		l, err := decode(`{"discount":"0.` + strings.Repeat("5", sp.MaxDigitRun-2) + `","note":"` + note + `"}`)
		require.NoError(t, err)
		assert.Equal(t, note, l.Note)
	})
	for name, doc := range map[string]string{
		"err_string": `{"discount":"` + strings.Repeat("9", sp.MaxDigitRun+1) + `"}`,
		"err_point":  `{"discount":"1` + strings.Repeat("0", sp.MaxDigitRun/2) + "." + strings.Repeat("0", sp.MaxDigitRun/2) + `"}`,
		"err_number": `{"discount":` + strings.Repeat("9", 4*sp.MaxDigitRun) + `}`,
		"err_text":   `{"note":"` + strings.Repeat("1", sp.MaxDigitRun+1) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decode(doc)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "line", ve.Field)
			assert.Contains(t, ve.Reason, "more than 8192 digits in a row")
			assert.Less(t, len(err.Error()), 120, err.Error())
		})
	}
}

// decLine decodes itself with DecodeJSON, as the types of the module do.
type decLine struct {
	Discount decimal.Decimal `json:"discount"`
}

func (l *decLine) UnmarshalJSON(data []byte) error {
	type plain decLine
	return sp.DecodeJSON("line", data, (*plain)(l))
}

// decSteps is embedded in decDoc, as an unexported struct whose members
// are decDoc's own.
type decSteps struct {
	Steps []decimal.Decimal          `json:"steps,omitempty"`
	Rates map[string]decimal.Decimal `json:"rates,omitempty"`
}

type decDoc struct {
	decSteps
	ID       string              `json:"id"`
	Note     string              `json:"note"`
	Rate     decimal.Decimal     `json:"rate"`
	Share    *decimal.Decimal    `json:"share,omitempty"`
	Coverage decimal.NullDecimal `json:"coverage"`
	Fixed    [2]decimal.Decimal  `json:"fixed"`
	Lines    []decLine           `json:"lines,omitempty"`
	Untagged decimal.Decimal
	Skipped  decimal.Decimal `json:"-"`
}

// TestDecodeJSONRefusesDecimalsWrittenOutBeyondTheBound checks that a
// decimal decoded from a number in exponent form that it would be written
// out from in more than MaxDigitRun digits in a row ("1e-9999", 1e9999,
// which a decimal writes out with 10,000 digits) is refused, wherever the
// value holds it, naming it by its path, with the value left unchanged;
// that text reading as such a number is not; and that a decimal written
// out within the bound decodes and reads back.
func TestDecodeJSONRefusesDecimalsWrittenOutBeyondTheBound(t *testing.T) {
	for _, tt := range []struct{ doc, field string }{
		{`{"rate":%s}`, "doc.rate"},
		{`{"share":%s}`, "doc.share"},
		{`{"coverage":%s}`, "doc.coverage"},
		{`{"fixed":["1",%s]}`, "doc.fixed[1]"},
		{`{"steps":["0.5","1",%s]}`, "doc.steps[2]"},
		{`{"rates":{"a":"0.5","b":%s}}`, "doc.rates"}, // map keys are left out
		{`{"lines":[{"discount":"0.1"},{"discount":%s}]}`, "doc.lines[1].discount"},
		{`{"Untagged":%s}`, "doc.Untagged"},
		{`{"rate":"0.5","note":"x","steps":[%[1]s],"share":%[1]s}`, "doc.steps[0]"}, // the first in the fields' order
	} {
		for _, num := range []string{`"1e-9999"`, `1e9999`, `"-25E+9000"`, `"0.5e-9000"`, `"1e-8191"`, `"10e-8192"`, `1e8192`} {
			doc := fmt.Sprintf(tt.doc, num)
			t.Run(doc, func(t *testing.T) {
				v := decDoc{Note: "kept", Rate: decimal.New(5, -1)}
				before := v
				err := sp.DecodeJSON("doc", []byte(doc), &v)
				require.ErrorIs(t, err, sp.ErrInvalid)
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, "%v", err)
				assert.Contains(t, ve.Reason, "digits in a row, more than the 8192 a document may hold")
				assert.Less(t, len(err.Error()), 120, err.Error())
				assert.Equal(t, before, v)
			})
		}
	}
	t.Run("reason", func(t *testing.T) {
		var v decDoc
		err := sp.DecodeJSON("doc", []byte(`{"rate":"1e-9999"}`), &v)
		assert.EqualError(t, err, "invalid doc.rate: 1e-9999 is written out in 10001 digits in a row, more than the 8192 a document may hold")
		err = sp.DecodeJSON("doc", []byte(`{"rate":"-`+strings.Repeat("12", 40)+`E9000"}`), &v)
		assert.EqualError(t, err, "invalid doc.rate: -1.2121212121212121212...e9079 is written out in 9080 digits in a row, more than the 8192 a document may hold")
	})
	for _, doc := range []string{
		`{"id":"550e8400-e29b-41d4-a716-446655440000","note":"550e8400"}`,
		`{"id":"1e9999","note":"1e-9999 and 2E+9000"}`,
		`{"Skipped":"1e9999"}`, // not a member of the value
		// Within the bound: 8192 digits and points in a row, written out.
		`{"rate":"1e-8190"}`,
		`{"rate":"-1000e-8193"}`, // 1e-8190: trailing zeros are not written
		`{"rate":"1e8191"}`,
		`{"rate":1.5e8190}`,
		`{"rate":"0e-10000","share":"0e10000"}`, // 0
		`{"steps":["` + strings.Repeat("3", 4000) + `e-4000"],"coverage":"` + strings.Repeat("9", 4000) + `e4192"}`,
	} {
		t.Run(doc, func(t *testing.T) {
			var v decDoc
			require.NoError(t, sp.DecodeJSON("doc", []byte(doc), &v))
			once, err := json.Marshal(v)
			require.NoError(t, err)
			var back decDoc
			require.NoError(t, sp.DecodeJSON("doc", once, &back))
			twice, err := json.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, string(once), string(twice))
		})
	}
	t.Run("event_data", func(t *testing.T) {
		// Raw JSON is kept as it is, and encodes to the same bytes.
		data := `{"n":1e9999,"m":"1e-9999","id":"550e8400-e29b-41d4-a716-446655440000"}`
		var e sp.Event
		require.NoError(t, json.Unmarshal([]byte(`{"id":"e1","data":`+data+`}`), &e))
		assert.Equal(t, data, string(e.Data))
		once, err := json.Marshal(e)
		require.NoError(t, err)
		var back sp.Event
		require.NoError(t, json.Unmarshal(once, &back))
		assert.Equal(t, data, string(back.Data))
	})
}

// settings is a host's configuration type, decoded by DecodeJSONStrict in
// the tests: it has no UnmarshalJSON method of its own.
type settings struct {
	Name  string `json:"name"`
	Limit int    `json:"limit,omitempty"`
}

// strictLimits is a configuration type that is strict itself, as a nested
// member must be for DecodeJSONStrict to refuse its unknown members.
type strictLimits struct {
	Max    int         `json:"max"`
	Levels []strictLvl `json:"levels,omitempty"`
}

type strictLvl struct {
	At int `json:"at"`
}

func (l *strictLimits) UnmarshalJSON(data []byte) error {
	type plain strictLimits
	return sp.DecodeJSONStrict("limits", data, (*plain)(l))
}

// strictEmbedded holds members promoted from an embedded struct.
type strictEmbedded struct {
	Region string `json:"region"`
}

// foldedKey is a map key that decodes by a method of its own, which takes
// "EUR" and "eur" as one key.
type foldedKey string

func (k *foldedKey) UnmarshalText(text []byte) error {
	*k = foldedKey(strings.ToLower(string(text)))
	return nil
}

// strictConfig is a host's configuration document with every shape below
// it: an embedded struct, a struct, a slice, a map and a pointer that
// decode by encoding/json's rules, a member strict itself, one that
// decodes by a lenient method of its own (Money), maps keyed by integers
// and by a type with an UnmarshalText method, a free-form member (any), a
// field left out of JSON and an unexported one.
type strictConfig struct {
	strictEmbedded
	Name   string              `json:"name"`
	Nested settings            `json:"nested"`
	Items  []settings          `json:"items,omitempty"`
	Grid   [][]settings        `json:"grid,omitempty"`
	ByKey  map[string]settings `json:"by_key,omitempty"`
	Ptr    *settings           `json:"ptr,omitempty"`
	Limits strictLimits        `json:"limits"`
	Price  sp.Money            `json:"price"`
	ByNum  map[int]settings    `json:"by_num,omitempty"`
	ByCode map[foldedKey]int   `json:"by_code,omitempty"`
	Extra  any                 `json:"extra,omitempty"`
	Hook   func()              `json:"-"`
	//lint:ignore U1000 encoding/json decodes no unexported field, which is the point
	private int
}

// TestDecodeJSONStrict checks that DecodeJSONStrict refuses a member that
// no field decodes, at every depth it decodes by encoding/json's rules and
// in a member strict itself, naming it by its path in the document and
// leaving the value unchanged; that it takes what DecodeJSON takes; and
// that DecodeJSON goes on ignoring unknown members.
func TestDecodeJSONStrict(t *testing.T) {
	held := strictConfig{Name: "held", Limits: strictLimits{Max: 9}}
	ok := `{"region":"north","name":"a","nested":{"name":"n","limit":2},"items":[{"name":"i"}],` +
		`"grid":[[{"name":"g"}]],"by_key":{"k":{"name":"m"}},"ptr":{"name":"p"},` +
		`"limits":{"max":3,"levels":[{"at":1}]},"price":{"amount":"1.50","currency":"EUR"}}`
	t.Run("ok_known_members", func(t *testing.T) {
		c := held
		require.NoError(t, sp.DecodeJSONStrict("config", []byte(ok), &c))
		assert.Equal(t, "north", c.Region)
		assert.Equal(t, "a", c.Name)
		assert.Equal(t, settings{Name: "n", Limit: 2}, c.Nested)
		assert.Equal(t, []settings{{Name: "i"}}, c.Items)
		assert.Equal(t, [][]settings{{{Name: "g"}}}, c.Grid)
		assert.Equal(t, map[string]settings{"k": {Name: "m"}}, c.ByKey)
		assert.Equal(t, &settings{Name: "p"}, c.Ptr)
		assert.Equal(t, strictLimits{Max: 3, Levels: []strictLvl{{At: 1}}}, c.Limits)
		assert.Equal(t, "1.50 EUR", c.Price.String())
	})
	t.Run("ok_members_matched_as_encoding_json_does", func(t *testing.T) {
		// A member whose name differs in case is decoded into its field by
		// encoding/json, so it is known, not dropped.
		var c strictConfig
		require.NoError(t, sp.DecodeJSONStrict("config", []byte(`{"NAME":"a","Region":"r","Nested":{"Limit":2}}`), &c))
		assert.Equal(t, "a", c.Name)
		assert.Equal(t, "r", c.Region)
		assert.Equal(t, 2, c.Nested.Limit)
	})
	t.Run("ok_null_and_lenient_member_types", func(t *testing.T) {
		c := held
		require.NoError(t, sp.DecodeJSONStrict("config", []byte(`null`), &c))
		assert.Equal(t, held, c)
		// Money decodes by its own lenient method, which the strict
		// decoding leaves its members to.
		require.NoError(t, sp.DecodeJSONStrict("config", []byte(`{"price":{"amount":"1","currency":"EUR","note":"x"}}`), &c))
		assert.Equal(t, "1.00 EUR", c.Price.String())
	})
	for _, tt := range []struct{ name, doc, field string }{
		{"top", `{"name":"a","nmae":"b"}`, "config.nmae"},
		{"first_in_document_order", `{"zz":1,"nested":{"x":1},"aa":2}`, "config.zz"},
		{"nested_struct", `{"name":"a","nested":{"name":"n","limt":2}}`, "config.nested.limt"},
		{"slice_element", `{"items":[{"name":"i"},{"name":"j","lmit":1}]}`, "config.items[1].lmit"},
		{"slice_of_slices", `{"grid":[[{"name":"g"}],[{},{"x":1}]]}`, "config.grid[1][1].x"},
		{"map_value_key_left_out", `{"by_key":{"k":{"name":"m"},"l":{"nam":"m"}}}`, "config.by_key.nam"},
		{"pointer", `{"ptr":{"name":"p","extra":true}}`, "config.ptr.extra"},
		{"strict_member", `{"name":"a","limits":{"max":3,"maks":4}}`, "config.limits.maks"},
		{"strict_member_below", `{"limits":{"levels":[{"at":1},{"at":2,"to":3}]}}`, "config.limits.levels[1].to"},
		{"field_tagged_dash", `{"name":"a","Hook":null}`, "config.Hook"},
		{"unexported_field", `{"private":1}`, "config.private"},
		{"key_quoted", "{\"na me\\n\":1}", `config."na me\n"`},
		{"long_key_cut", `{"` + strings.Repeat("k", 200) + `":1}`, `config."` + strings.Repeat("k", 40) + `"...`},
	} {
		t.Run("err_unknown_"+tt.name, func(t *testing.T) {
			c := held
			err := sp.DecodeJSONStrict("config", []byte(tt.doc), &c)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "%v", err)
			assert.Equal(t, "unknown field", ve.Reason)
			assert.Equal(t, held, c, "a failed decoding changes nothing")

			// Through json.Unmarshal, nested in a lenient record, the path
			// goes on from the record's name.
			var rec struct {
				Config strictConfigJSON `json:"config"`
			}
			err = sp.DecodeJSON("record", []byte(`{"config":`+tt.doc+`}`), &rec)
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "record."+tt.field, ve.Field, "%v", err)

			// DecodeJSON, for records, ignores what it does not know, but
			// for a member whose type is strict itself.
			c = held
			err = sp.DecodeJSON("config", []byte(tt.doc), &c)
			if strings.HasPrefix(tt.name, "strict_member") {
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, "%v", err)
				return
			}
			require.NoError(t, err)
		})
	}
	t.Run("err_other_faults_as_decode_json", func(t *testing.T) {
		for doc, field := range map[string]string{
			`{"name":1}`:                                "config.name",
			`{"nested":{"limit":"x"}}`:                  "config.nested.limit",
			`{"price":{"amount":"x","currency":"EUR"}}`: "config.price.amount",
			`{"name":`:                                  "config",
		} {
			c := held
			err := sp.DecodeJSONStrict("config", []byte(doc), &c)
			require.ErrorIs(t, err, sp.ErrInvalid, doc)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, field, ve.Field, "%s: %v", doc, err)
			assert.Equal(t, held, c)
		}
	})
}

// TestDecodeJSONStrictTwice checks that DecodeJSONStrict refuses a member
// given twice, by the same key or by one that encoding/json matches to the
// same field, and a map key given twice, as encoding/json stores it, at
// every depth it decodes by encoding/json's rules and in a member strict
// itself, naming the second by its path and leaving the value unchanged;
// that it takes members that only look alike; and that DecodeJSON goes on
// taking the last of them.
func TestDecodeJSONStrictTwice(t *testing.T) {
	held := strictConfig{Name: "held", Limits: strictLimits{Max: 9}}
	for _, tt := range []struct{ name, doc, field, reason string }{
		{"top", `{"name":"a","name":"b"}`, "config.name", "given twice"},
		{"top_other_case", `{"name":"a","NAME":"b"}`, "config.NAME", "given twice, first as name"},
		{"top_null", `{"ptr":null,"ptr":{"name":"p"}}`, "config.ptr", "given twice"},
		{"after_others", `{"name":"a","nested":{},"items":[],"Name":"b"}`, "config.Name", "given twice, first as name"},
		{"embedded", `{"region":"a","Region":"b"}`, "config.Region", "given twice, first as region"},
		{"nested_struct", `{"nested":{"limit":1,"limit":2}}`, "config.nested.limit", "given twice"},
		{"nested_whole", `{"nested":{"name":"n"},"Nested":{"limit":2}}`, "config.Nested", "given twice, first as nested"},
		{"slice_element", `{"items":[{"name":"i"},{"name":"j","Name":"k"}]}`, "config.items[1].Name", "given twice, first as name"},
		{"slice_of_slices", `{"grid":[[{}],[{},{"limit":1,"LIMIT":1}]]}`, "config.grid[1][1].LIMIT", "given twice, first as limit"},
		{"pointer", `{"ptr":{"name":"p","name":"p"}}`, "config.ptr.name", "given twice"},
		{"map_value", `{"by_key":{"k":{"name":"m"},"l":{"name":"m","name":"n"}}}`, "config.by_key.name", "given twice"},
		{"map_key", `{"by_key":{"k":{"name":"m"},"l":{},"k":{"limit":1}}}`, "config.by_key", "key k given twice"},
		{"map_key_int", `{"by_num":{"1":{},"2":{},"01":{}}}`, "config.by_num", "key 01 given twice, first as 1"},
		{"map_key_text", `{"by_code":{"EUR":1,"eur":2}}`, "config.by_code", "key eur given twice, first as EUR"},
		{"map_key_quoted", "{\"by_key\":{\"a b\\n\":{},\"a b\\n\":{}}}", "config.by_key", `key "a b\n" given twice`},
		{"any_object", `{"extra":{"a":1,"b":2,"a":3}}`, "config.extra", "key a given twice"},
		{"any_nested", `{"extra":[1,{"a":{"b":[{"c":1,"c":2}]}}]}`, "config.extra[1][0]", "key c given twice"},
		{"strict_member", `{"limits":{"max":1,"Max":2}}`, "config.limits.Max", "given twice, first as max"},
		{"strict_member_below", `{"limits":{"levels":[{"at":1},{"at":2,"at":3}]}}`, "config.limits.levels[1].at", "given twice"},
		{"strict_member_whole", `{"limits":{"max":1},"limits":{"max":2}}`, "config.limits", "given twice"},
		{"first_fault_in_order_twice", `{"name":"a","name":"b","nmae":1}`, "config.name", "given twice"},
	} {
		t.Run("err_"+tt.name, func(t *testing.T) {
			c := held
			err := sp.DecodeJSONStrict("config", []byte(tt.doc), &c)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "%v", err)
			assert.Equal(t, tt.reason, ve.Reason)
			assert.Equal(t, held, c, "a failed decoding changes nothing")

			// Through json.Unmarshal, nested in a lenient record, the path
			// goes on from the record's name.
			var rec struct {
				Config strictConfigJSON `json:"config"`
			}
			err = json.Unmarshal([]byte(`{"config":`+tt.doc+`}`), &rec)
			require.ErrorIs(t, err, sp.ErrInvalid)
			err = sp.DecodeJSON("record", []byte(`{"config":`+tt.doc+`}`), &rec)
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "record."+tt.field, ve.Field, "%v", err)

			// DecodeJSON, for records, takes the last of them, as
			// encoding/json does, but in a member whose type is strict
			// itself.
			c = held
			err = sp.DecodeJSON("config", []byte(tt.doc), &c)
			if strings.HasPrefix(tt.name, "strict_member") && tt.name != "strict_member_whole" {
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, "%v", err)
				return
			}
			require.NoError(t, err)
			var want strictConfig
			require.NoError(t, json.Unmarshal([]byte(tt.doc), &want))
			assert.Equal(t, want, c)
		})
	}
	t.Run("err_unknown_before_twice", func(t *testing.T) {
		c := held
		err := sp.DecodeJSONStrict("config", []byte(`{"name":"a","nmae":1,"name":"b"}`), &c)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "config.nmae", ve.Field)
		assert.Equal(t, "unknown field", ve.Reason)
	})
	t.Run("ok_alike_but_distinct", func(t *testing.T) {
		// Members of different objects, keys of different maps, map keys
		// that differ in case (a string key is taken as it is), keys that
		// name no field in objects of a member that decodes by a lenient
		// method of its own (Money), and members that look alike but
		// decode into different fields are not given twice.
		c := held
		doc := `{"name":"a","nested":{"name":"a"},"items":[{"name":"a"},{"name":"a"}],` +
			`"by_key":{"k":{"name":"a"},"K":{"name":"a"}},"by_num":{"1":{},"-1":{}},"by_code":{"eur":1,"usd":1},` +
			`"extra":[{"a":1},{"a":1},{"a":{"a":1}}],"limits":{"max":1,"levels":[{"at":1},{"at":1}]},` +
			`"price":{"amount":"1","amount":"2","currency":"EUR"}}`
		require.NoError(t, sp.DecodeJSONStrict("config", []byte(doc), &c))
		assert.Equal(t, map[string]settings{"k": {Name: "a"}, "K": {Name: "a"}}, c.ByKey)
		assert.Equal(t, map[foldedKey]int{"eur": 1, "usd": 1}, c.ByCode)
		assert.Equal(t, "2.00 EUR", c.Price.String(), "Money takes the last amount, as encoding/json does")

		var pair struct {
			Lower string `json:"v"`
			Upper string `json:"V"`
		}
		require.NoError(t, sp.DecodeJSONStrict("pair", []byte(`{"v":"a","V":"b"}`), &pair))
		assert.Equal(t, "a", pair.Lower)
		assert.Equal(t, "b", pair.Upper)
		err := sp.DecodeJSONStrict("pair", []byte(`{"v":"a","V":"b","v":"c"}`), &pair)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "pair.v", ve.Field)
		assert.Equal(t, "given twice", ve.Reason)
	})
}

// strictConfigJSON is strictConfig with an UnmarshalJSON method that
// decodes it strictly, named "config".
type strictConfigJSON strictConfig

func (c *strictConfigJSON) UnmarshalJSON(data []byte) error {
	return sp.DecodeJSONStrict("config", data, (*strictConfig)(c))
}

// strictTree is a recursive configuration type.
type strictTree struct {
	Name string       `json:"name,omitempty"`
	Kids []strictTree `json:"kids,omitempty"`
}

// TestDecodeJSONStrictDeep checks that an unknown member deep in a
// recursive type is named by its whole path, and that the check reads the
// document once rather than once per level: the bytes it allocates grow
// with the document, not with its size times its depth.
func TestDecodeJSONStrictDeep(t *testing.T) {
	tree := decodeDeepTree(t, sp.DecodeJSONStrict, `{"name":"leaf","nmae":"x"}`, "tree.nmae")
	assert.Empty(t, tree.Kids, "a failed decoding changes nothing")
}

// decodeDeepTree decodes with decode, into a strictTree, the document leaf
// at fault put 2000 levels deep as the second kid of each level, and
// checks that the error names field, the leaf's field, by its whole path
// ("tree.kids[1].kids[1]...") and that the decoding allocated bytes in
// proportion to the document, not to its size times its depth. It returns
// the tree decoded into.
func decodeDeepTree(t *testing.T, decode func(kind string, data []byte, v any) error, leaf, field string) strictTree {
	t.Helper()
	const depth = 2000
	doc, want := leaf, field
	for range depth {
		doc = `{"name":"n","kids":[{},` + doc + `]}`
		want = strings.Replace(want, "tree.", "tree.kids[1].", 1)
	}
	var tree strictTree
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := decode("tree", []byte(doc), &tree)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, want, ve.Field)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(200*len(doc)), "bytes allocated for a document of %d bytes", len(doc))
	return tree
}

// TestDecodeJSONStrictConcurrent decodes by DecodeJSONStrict into struct
// types made for it, new to the fields it looks members up in, from
// several goroutines at once, so that the race detector watches them made
// and read concurrently: each takes a document whose members it matches
// exactly and without regard to case, and refuses one with a member
// misspelt below, naming it.
func TestDecodeJSONStrictConcurrent(t *testing.T) {
	const types, workers = 24, 6
	shared := reflect.StructOf([]reflect.StructField{{Name: "At", Type: reflect.TypeFor[int](), Tag: `json:"at"`}})
	kinds := make([]reflect.Type, types)
	for i := range kinds {
		own := reflect.StructOf([]reflect.StructField{
			{Name: "Level", Type: reflect.TypeFor[int](), Tag: reflect.StructTag(fmt.Sprintf(`json:"level%d"`, i))},
			{Name: "Shared", Type: shared, Tag: `json:"shared"`},
		})
		kinds[i] = reflect.StructOf([]reflect.StructField{
			{Name: "Name", Type: reflect.TypeFor[string](), Tag: reflect.StructTag(fmt.Sprintf(`json:"name%d"`, i))},
			{Name: "Items", Type: reflect.SliceOf(own), Tag: `json:"items"`},
		})
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for j := range types {
				i := (j + w%2*types/2) % types // half the workers start in the middle
				v := reflect.New(kinds[i])
				good := fmt.Sprintf(`{"NAME%d":"n","items":[{"level%d":1,"Shared":{"AT":2}}]}`, i, i)
				if assert.NoError(t, sp.DecodeJSONStrict("config", []byte(good), v.Interface()), "type %d", i) {
					e := v.Elem()
					assert.Equal(t, "n", e.Field(0).String(), "type %d", i)
					if assert.Equal(t, 1, e.Field(1).Len(), "type %d", i) {
						assert.Equal(t, int64(1), e.Field(1).Index(0).Field(0).Int(), "type %d", i)
						assert.Equal(t, int64(2), e.Field(1).Index(0).Field(1).Field(0).Int(), "type %d", i)
					}
				}
				bad := fmt.Sprintf(`{"name%d":"n","items":[{"level%d":1},{"shared":{"at":1,"ta":2}}]}`, i, i)
				err := sp.DecodeJSONStrict("config", []byte(bad), v.Interface())
				var ve *sp.ValidationError
				if assert.ErrorAs(t, err, &ve, "type %d", i) {
					assert.Equal(t, "config.items[1].shared.ta", ve.Field, "type %d", i)
					assert.Equal(t, "unknown field", ve.Reason, "type %d", i)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
}

// BenchmarkDecodeJSONStrict decodes a small configuration document, a
// member of every shape that DecodeJSONStrict checks at every depth, as a
// host reads its settings.
func BenchmarkDecodeJSONStrict(b *testing.B) {
	data := []byte(`{"region":"north","name":"a","nested":{"name":"n","limit":2},"items":[{"name":"i"}],` +
		`"grid":[[{"name":"g"}]],"by_key":{"k":{"name":"m"}},"ptr":{"name":"p"},` +
		`"limits":{"max":3,"levels":[{"at":1}]},"price":{"amount":"1.50","currency":"EUR"}}`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var c strictConfig
		if err := sp.DecodeJSONStrict("config", data, &c); err != nil {
			b.Fatal(err)
		}
	}
}

// The struct types of TestDecodeJSONStrictFieldRules: each has a shape in
// which encoding/json's rules for the field of a member (names from tags,
// embedded structs, dominance) differ from Go's rules for selectors.
type (
	ruleTaggedInner struct {
		Inner int `json:"inner"`
	}
	rulePlainInner struct {
		Inner int
	}
	// ruleShadow embeds two fields that Go names Inner at one depth,
	// neither visible as a selector, which encoding/json names inner and
	// Inner.
	ruleShadow struct {
		ruleTaggedInner
		rulePlainInner
	}
	RuleWithin struct {
		Within int `json:"within"`
	}
	// ruleNamed embeds a struct with a name in its tag: one member.
	ruleNamed struct {
		RuleWithin `json:"tagged"`
		Own        int `json:"own"`
	}
	ruleDash struct {
		//lint:ignore SA5008 encoding/json names the field "-"
		Dash int `json:"-,"`
		Skip int `json:"-"`
	}
	ruleHidden struct {
		Promoted int `json:"promoted"`
	}
	// ruleUnexportedNamed embeds an unexported struct with a name in its
	// tag, which encoding/json decodes as a member of that name.
	ruleUnexportedNamed struct {
		ruleHidden `json:"hidden"`
	}
	RuleX1 struct {
		One int `json:"x"`
	}
	RuleX2 struct {
		Two int `json:"x"`
	}
	ruleXPlain struct {
		X int
	}
	ruleXTagged struct {
		Other int `json:"X"`
	}
	// ruleTagBeatsPlain has a tagged and an untagged field named X at one
	// depth: the tagged one decodes it.
	ruleTagBeatsPlain struct {
		ruleXPlain
		ruleXTagged
	}
	ruleDeep struct {
		Deep int `json:"Shallow"`
	}
	ruleNest struct {
		ruleDeep
	}
	// ruleShallowWins has a field named Shallow at depth 0, untagged, one
	// tagged at depth 1 and one at depth 2: the shallowest decodes it.
	ruleShallowWins struct {
		ruleNest
		ruleDeep
		Shallow int
	}
	ruleLeaf struct {
		Leaf int `json:"leaf"`
	}
	ruleWrapA struct {
		ruleLeaf
		A int `json:"a"`
	}
	ruleWrapB struct {
		ruleLeaf
	}
	// ruleTwiceAtDepth reaches one struct type twice at one depth: its
	// fields are ambiguous there, as two fields of a name are.
	ruleTwiceAtDepth struct {
		ruleWrapA
		ruleWrapB
	}
	// ruleDeeperOnce reaches ruleLeaf at depth 1 and again at depth 2: the
	// shallower decodes leaf.
	ruleDeeperOnce struct {
		ruleLeaf
		ruleWrapB
	}
	rulePointed struct {
		Pointed int `json:"pointed"`
	}
	// ruleUnexportedPointer embeds a pointer to an unexported struct,
	// which encoding/json cannot allocate: a member of it is an error.
	ruleUnexportedPointer struct {
		*rulePointed
		Own int `json:"own"`
	}
	// ruleBadTag has tags whose names encoding/json does not take (a
	// quote, a backslash), so naming the fields by their Go names.
	ruleBadTag struct {
		//lint:ignore SA5008 a name encoding/json does not take is the case
		Quoted int `json:"a\"b"`
		//lint:ignore SA5008 a name encoding/json does not take is the case
		Slash  int `json:"a\\b"`
		Spaced int `json:"a b"`
	}
)

// ruleTwoTagged embeds RuleX1 and RuleX2, with two tagged fields named x
// at one depth (which go vet lets no struct type written out have):
// encoding/json decodes neither.
var ruleTwoTagged = reflect.StructOf([]reflect.StructField{
	{Name: "RuleX1", Type: reflect.TypeFor[RuleX1](), Anonymous: true},
	{Name: "RuleX2", Type: reflect.TypeFor[RuleX2](), Anonymous: true},
	{Name: "Y", Type: reflect.TypeFor[int](), Tag: `json:"y"`},
})

// TestDecodeJSONStrictFieldRules checks that DecodeJSONStrict takes a
// member exactly when json.Unmarshal puts its value into a field, for
// the shapes where encoding/json's rules for the field of a member are
// not Go's rules for selectors, and that it then decodes as DecodeJSON
// does; a member json.Unmarshal drops is refused as unknown.
func TestDecodeJSONStrictFieldRules(t *testing.T) {
	type rule struct {
		name   string
		v      func() any
		member string // the member of doc refused, "" if none
		doc    string
		first  string // the member before it of the same field, if any
	}
	badTags := []rule{
		{"ok_bad_tag_go_names", func() any { return new(ruleBadTag) }, "", `{"Quoted":1,"Slash":2,"a b":3}`, ""},
		{"err_bad_tag_name", func() any { return new(ruleBadTag) }, `"a\\b"`, `{"a\\b":2}`, ""},
	}
	if sp.JSONV2() {
		// encoding/json/v2 names both Quoted and Slash "a", the letters
		// before the quote and the backslash, and neither decodes it.
		badTags = []rule{
			{"ok_bad_tag_spaced", func() any { return new(ruleBadTag) }, "", `{"a b":3}`, ""},
			{"err_bad_tag_go_name", func() any { return new(ruleBadTag) }, "Quoted", `{"a b":3,"Quoted":1}`, ""},
			{"err_bad_tag_named_twice", func() any { return new(ruleBadTag) }, "a", `{"a":1}`, ""},
			{"err_bad_tag_name", func() any { return new(ruleBadTag) }, `"a\\b"`, `{"a\\b":2}`, ""},
		}
	}
	for _, tt := range append([]rule{
		{"ok_shadowed_by_go_name_tagged", func() any { return new(ruleShadow) }, "", `{"inner":1}`, ""},
		{"ok_shadowed_by_go_name_untagged", func() any { return new(ruleShadow) }, "", `{"Inner":2}`, ""},
		{"ok_shadowed_by_go_name_folded", func() any { return new(ruleShadow) }, "", `{"INNER":3}`, ""},
		{"ok_shadowed_both", func() any { return new(ruleShadow) }, "", `{"inner":1,"Inner":2}`, ""},
		{"err_shadowed_twice_folded", func() any { return new(ruleShadow) }, "iNNER", `{"inner":1,"iNNER":2}`, "inner"},
		{"ok_named_embedded", func() any { return new(ruleNamed) }, "", `{"tagged":{"within":5},"own":1}`, ""},
		{"err_named_embedded_field_at_top", func() any { return new(ruleNamed) }, "within", `{"own":1,"within":5}`, ""},
		{"err_named_embedded_go_name", func() any { return new(ruleNamed) }, "RuleWithin", `{"RuleWithin":{"within":5}}`, ""},
		{"ok_dash_comma", func() any { return new(ruleDash) }, "", `{"-":7}`, ""},
		{"err_dash", func() any { return new(ruleDash) }, "Skip", `{"-":7,"Skip":1}`, ""},
		{"err_dash_go_name", func() any { return new(ruleDash) }, "Dash", `{"Dash":7}`, ""},
		{"ok_unexported_named", func() any { return new(ruleUnexportedNamed) }, "", `{"hidden":{"promoted":3}}`, ""},
		{"ok_unexported_named_folded", func() any { return new(ruleUnexportedNamed) }, "", `{"HIDDEN":{"promoted":3}}`, ""},
		{"err_unexported_named_field_at_top", func() any { return new(ruleUnexportedNamed) }, "promoted", `{"promoted":3}`, ""},
		{"err_two_tagged_dropped", func() any { return reflect.New(ruleTwoTagged).Interface() }, "x", `{"y":1,"x":2}`, ""},
		{"err_two_tagged_dropped_folded", func() any { return reflect.New(ruleTwoTagged).Interface() }, "X", `{"X":2}`, ""},
		{"ok_tagged_beats_untagged", func() any { return new(ruleTagBeatsPlain) }, "", `{"X":4}`, ""},
		{"ok_tagged_beats_untagged_folded", func() any { return new(ruleTagBeatsPlain) }, "", `{"x":4}`, ""},
		{"ok_shallow_beats_deep", func() any { return new(ruleShallowWins) }, "", `{"Shallow":6}`, ""},
		{"err_shallow_beats_deep_twice", func() any { return new(ruleShallowWins) }, "shallow", `{"Shallow":6,"shallow":7}`, "Shallow"},
		{"err_type_twice_at_depth", func() any { return new(ruleTwiceAtDepth) }, "leaf", `{"a":1,"leaf":2}`, ""},
		{"ok_type_deeper_once", func() any { return new(ruleDeeperOnce) }, "", `{"leaf":2}`, ""},
	}, badTags...) {
		t.Run(tt.name, func(t *testing.T) {
			// The oracle: json.Unmarshal puts a value into a field for
			// each member of doc but the one refused.
			want, zero := tt.v(), tt.v()
			require.NoError(t, json.Unmarshal([]byte(tt.doc), want))
			if tt.member == "" {
				require.NotEqual(t, zero, want, "json.Unmarshal decodes no member of %s", tt.doc)
			} else {
				key, err := strconv.Unquote(tt.member)
				if err != nil {
					key = tt.member
				}
				without := func(key string) any {
					var members map[string]json.RawMessage
					require.NoError(t, json.Unmarshal([]byte(tt.doc), &members))
					require.Contains(t, members, key)
					delete(members, key)
					rest, err := json.Marshal(members)
					require.NoError(t, err)
					v := tt.v()
					require.NoError(t, json.Unmarshal(rest, v))
					return v
				}
				if tt.first == "" {
					require.Equal(t, without(key), want, "json.Unmarshal puts %s of %s into a field", tt.member, tt.doc)
				} else {
					require.Equal(t, without(tt.first), want, "json.Unmarshal puts %s of %s into a field but %s's", tt.member, tt.doc, tt.first)
					require.NotEqual(t, without(key), want, "json.Unmarshal puts %s of %s into no field", tt.member, tt.doc)
				}
			}

			got := tt.v()
			err := sp.DecodeJSONStrict("rule", []byte(tt.doc), got)
			if tt.member == "" {
				require.NoError(t, err)
				assert.Equal(t, want, got)
				return
			}
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "rule."+tt.member, ve.Field)
			if tt.first == "" {
				assert.Equal(t, "unknown field", ve.Reason)
			} else {
				assert.Equal(t, "given twice, first as "+tt.first, ve.Reason)
			}
			assert.Equal(t, zero, got, "a failed decoding changed the value")
		})
	}

	// encoding/json puts a member of an embedded pointer to an unexported
	// struct into no field, as it cannot allocate it, and fails: so does
	// DecodeJSONStrict, which leaves the value unchanged.
	var u ruleUnexportedPointer
	require.Error(t, json.Unmarshal([]byte(`{"pointed":1}`), &u))
	u = ruleUnexportedPointer{Own: 4}
	err := sp.DecodeJSONStrict("rule", []byte(`{"own":1,"pointed":1}`), &u)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, ruleUnexportedPointer{Own: 4}, u)
	require.NoError(t, sp.DecodeJSONStrict("rule", []byte(`{"own":1}`), &u))
	assert.Equal(t, ruleUnexportedPointer{Own: 1}, u)
}

// TestUnmarshalJSONNullAmidJSONSpaceOnly checks that the UnmarshalJSON
// methods that take JSON null themselves (DecodeJSON's, Region's,
// Money's, Duration's) take it with JSON's own spaces around it (space,
// tab, line feed, carriage return) and refuse it, as malformed JSON that
// changes nothing, amid any other space that bytes.TrimSpace would trim:
// a form feed, a vertical tab, U+0085, a no-break space. json.Unmarshal
// refuses all of these before it calls a method; a direct call sees them.
func TestUnmarshalJSONNullAmidJSONSpaceOnly(t *testing.T) {
	hired := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	price, err := sp.ParseMoney("1.50 EUR")
	require.NoError(t, err)
	// Each decodes data into a value that holds held and returns the
	// value as a text; null leaves it null (as it was, or for Money the
	// zero Money).
	for _, tt := range []struct {
		name       string
		decode     func(data []byte) (string, error)
		held, null string
	}{{
		name: "rep",
		decode: func(data []byte) (string, error) {
			r := sp.Rep{ID: "ana", Hired: hired}
			err := r.UnmarshalJSON(data)
			return fmt.Sprint(r), err
		},
		held: fmt.Sprint(sp.Rep{ID: "ana", Hired: hired}),
		null: fmt.Sprint(sp.Rep{ID: "ana", Hired: hired}),
	}, {
		name: "strict",
		decode: func(data []byte) (string, error) {
			type plain sp.Rep
			r := plain{ID: "ana", Hired: hired}
			err := sp.DecodeJSONStrict("rep", data, &r)
			return fmt.Sprint(sp.Rep(r)), err
		},
		held: fmt.Sprint(sp.Rep{ID: "ana", Hired: hired}),
		null: fmt.Sprint(sp.Rep{ID: "ana", Hired: hired}),
	}, {
		name: "region",
		decode: func(data []byte) (string, error) {
			r := sp.Region{ID: "north", Name: "North"}
			err := r.UnmarshalJSON(data)
			return fmt.Sprint(r.ID, r.Name, r.Loc()), err
		},
		held: fmt.Sprint(sp.RegionID("north"), "North", time.UTC),
		null: fmt.Sprint(sp.RegionID("north"), "North", time.UTC),
	}, {
		name: "money",
		decode: func(data []byte) (string, error) {
			m := price
			err := m.UnmarshalJSON(data)
			return m.String(), err
		},
		held: price.String(),
		null: sp.Money{}.String(), // null decodes to the zero Money
	}, {
		name: "duration",
		decode: func(data []byte) (string, error) {
			d := sp.Duration(time.Hour)
			err := d.UnmarshalJSON(data)
			return d.String(), err
		},
		held: sp.Duration(time.Hour).String(),
		null: sp.Duration(time.Hour).String(),
	}} {
		for _, doc := range []string{"null", " null", "\t\r\nnull \n", "\n\nnull\t"} {
			require.True(t, json.Valid([]byte(doc)), "%q", doc)
			got, err := tt.decode([]byte(doc))
			assert.NoError(t, err, "%s %q", tt.name, doc)
			assert.Equal(t, tt.null, got, "%s %q", tt.name, doc)
		}
		for _, doc := range []string{"\fnull", "\vnull", "null\f", "\u0085null", "null\u00a0", "\u00a0null\u2028", "\u3000null"} {
			require.False(t, json.Valid([]byte(doc)), "%q", doc)
			got, err := tt.decode([]byte(doc))
			assert.ErrorIs(t, err, sp.ErrInvalid, "%s %q", tt.name, doc)
			assert.Equal(t, tt.held, got, "%s %q: a refusal changed the value", tt.name, doc)
		}
	}
	// A duration's number and string amid such space are malformed too.
	for _, doc := range []string{"\f5", "5\v", "\u00a0\"24h\"", "\"24h\"\u0085"} {
		d := sp.Duration(time.Hour)
		assert.ErrorIs(t, d.UnmarshalJSON([]byte(doc)), sp.ErrInvalid, "%q", doc)
		assert.Equal(t, sp.Duration(time.Hour), d, "%q", doc)
	}
}
