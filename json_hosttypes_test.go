package salesprocess_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// The host types below are the shapes of struct that json.Unmarshal
// panics on, or runs without end on, for some document, in a fresh value
// (the one DecodeJSON decodes into), and their neighbours that it decodes,
// or refuses with an error of its own.

// hostInner is an unexported struct type, embedded by pointer below.
type hostInner struct {
	X int `json:"x"`
}

// HostInner is hostInner exported.
type HostInner struct {
	X int `json:"x"`
}

// hostTagged embeds a pointer to an unexported struct type with a name in
// its tag: json.Unmarshal cannot allocate it and panics on any value of
// the member "in".
type hostTagged struct {
	*hostInner `json:"in"`
	Name       string `json:"name"`
}

// HostTagged is hostTagged exported, to be embedded by an exported
// pointer.
type HostTagged struct {
	*hostInner `json:"in"`
}

type (
	hostDash struct {
		//lint:ignore SA5008 the name "-" is the case
		*hostInner `json:"-,"`
	}
	hostOptions struct {
		*hostInner `json:"in,omitempty"`
	}
	hostPromoted        struct{ hostTagged }  // "in" promoted through an unexported embedded struct
	hostPromotedPointer struct{ *HostTagged } // through an exported embedded pointer, which encoding/json allocates
	hostNamed           struct {
		hostTagged `json:"t"` // {"t":{"in":...}}
	}
	hostInSlice   struct{ Rows []hostTagged }
	hostInMap     struct{ ByKey map[string]*hostTagged }
	hostInArray   struct{ Rows [1]hostTagged }
	hostInPointer struct{ P **hostTagged }
	hostDeep      struct {
		Next   *hostDeep
		Tagged *hostTagged `json:"tagged"`
	}
	// hostHidden has a method of its own that encoding/json does not call
	// where hostUncalled embeds it, unexported with a name in its tag: it
	// decodes it by its rules for structs, and meets its member "in".
	hostHidden   struct{ HostTagged }
	hostUncalled struct {
		hostHidden `json:"h"`
		//lint:ignore U1000 its method cancels hostHidden's, which is the point
		hostAmbiguous
	}
	hostAmbiguous struct{}
	// hostLoop is a pointer to itself, which encoding/json follows
	// without end for a value other than null.
	hostLoop     *hostLoop
	hostWithLoop struct {
		Loop hostLoop `json:"loop"`
	}
)

// The methods of hostHidden and hostAmbiguous, both promoted to
// hostUncalled at one depth, cancel: hostUncalled has neither.
func (*hostHidden) UnmarshalJSON([]byte) error    { return nil }
func (*hostAmbiguous) UnmarshalJSON([]byte) error { return nil }

type (
	// hostUntagged embeds the pointer without a name in its tag: its
	// members are the parent's, and json.Unmarshal fails with an error
	// of its own on one, not being able to allocate the struct.
	hostUntagged struct{ *hostInner }
	hostBadTag   struct {
		//lint:ignore SA5008 a name encoding/json does not take is the case
		*hostInner `json:"a\"b"` // embedded as if untagged; named "a" by encoding/json/v2
	}
	hostBehindPointer struct{ *hostTagged } // "in" below an untagged one: an error
	hostValue         struct {
		hostInner `json:"in"` // not a pointer: encoding/json decodes it
	}
	hostExported struct {
		*HostInner `json:"in"`
	}
	hostShadowed struct {
		In int `json:"in"` // shallower than HostTagged's "in", which decodes no member
		HostTagged
	}
	hostCancelled struct { // two "in" at one depth: neither decodes a member
		HostTagged
		HostTagged2
	}
	HostTagged2 struct {
		*hostInner `json:"in"`
	}
	// hostArray0, hostBadKey and hostBlocked hold hostTagged where
	// json.Unmarshal does not reach it, and a member of their own that
	// refuses a value, whose error DecodeJSON places by decoding the
	// members one by one.
	hostArray0 struct {
		Rows  [0]hostTagged
		Loops [0]hostLoop
		When  time.Time
	}
	hostBadKey struct {
		ByKey map[[2]int]hostTagged
		When  time.Time
	}
	hostBlocked struct {
		*hostWrap
		When time.Time
	}
	hostWrap struct {
		T hostTagged `json:"t"`
	}
	hostArray0NoLoop struct {
		Rows [0]hostTagged
		When time.Time
	}
	hostAny     struct{ Any any }
	hostOwnTurn struct {
		Own hostOwn `json:"own"`
	}
	// hostOwn decodes by a method of its own, which json.Unmarshal calls.
	hostOwn struct {
		*hostInner `json:"in"`
	}
	hostRecursive struct {
		Next  *hostRecursive  `json:"next"`
		Kids  []hostRecursive `json:"kids"`
		Inner hostValue       `json:"inner"`
	}
)

func (*hostOwn) UnmarshalJSON([]byte) error { return nil }

// hostShape is a host type, for the tests: a new value of it, whether
// DecodeJSON refuses it and the message, and documents that show what
// json.Unmarshal does with it.
type hostShape struct {
	name string
	v    func() any
	// refused is the reason DecodeJSON refuses the type with, after
	// "invalid host: "; empty if it decodes into it.
	refused string
	docs    []string
}

// v1v2 returns the shape of encoding/json before encoding/json/v2, or
// that with it ([sp.JSONV2]), where the two take a type apart.
func v1v2(v1, v2 hostShape) hostShape {
	if sp.JSONV2() {
		return v2
	}
	return v1
}

var hostShapes = []hostShape{
	{"tagged", func() any { return new(hostTagged) },
		"cannot decode into salesprocess_test.hostTagged: member in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"in":{"x":1}}`, `{"in":null}`, `{"IN":1}`, `{"name":"a","in":[]}`}},
	{"dash_comma", func() any { return new(hostDash) },
		"cannot decode into salesprocess_test.hostDash: member -, field hostInner of salesprocess_test.hostDash, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"-":{}}`}},
	{"options", func() any { return new(hostOptions) },
		"cannot decode into salesprocess_test.hostOptions: member in, field hostInner of salesprocess_test.hostOptions, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"in":{}}`}},
	{"promoted", func() any { return new(hostPromoted) },
		"cannot decode into salesprocess_test.hostPromoted: member in, field hostTagged.hostInner of salesprocess_test.hostPromoted, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"in":{}}`}},
	{"promoted_through_exported_pointer", func() any { return new(hostPromotedPointer) },
		"cannot decode into salesprocess_test.hostPromotedPointer: member in, field HostTagged.hostInner of salesprocess_test.hostPromotedPointer, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"in":{}}`}},
	{"in_named_embedded", func() any { return new(hostNamed) },
		"cannot decode into salesprocess_test.hostNamed: member t.in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"t":{"in":{}}}`}},
	{"in_slice", func() any { return new(hostInSlice) },
		"cannot decode into salesprocess_test.hostInSlice: member Rows[].in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"Rows":[{"name":"a"},{"in":{}}]}`}},
	{"in_map", func() any { return new(hostInMap) },
		"cannot decode into salesprocess_test.hostInMap: member ByKey.in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"ByKey":{"a":{"in":{}}}}`}},
	{"in_array", func() any { return new(hostInArray) },
		"cannot decode into salesprocess_test.hostInArray: member Rows[].in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"Rows":[{"in":{}}]}`}},
	{"pointer_to_pointer", func() any { return new(hostInPointer) },
		"cannot decode into salesprocess_test.hostInPointer: member P.in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"P":{"in":{}}}`}},
	{"deep_recursive", func() any { return new(hostDeep) },
		"cannot decode into salesprocess_test.hostDeep: member tagged.in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"Next":{"Next":{"tagged":{"in":{}}}}}`}},
	{"top_slice", func() any { return new([]hostTagged) },
		"cannot decode into []salesprocess_test.hostTagged: member [].in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`[{"in":{}}]`}},
	{"top_pointer", func() any { return new(*hostTagged) },
		"cannot decode into *salesprocess_test.hostTagged: member in, field hostInner of salesprocess_test.hostTagged, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"in":{}}`}},
	v1v2(hostShape{"method_not_called", func() any { return new(hostUncalled) },
		"cannot decode into salesprocess_test.hostUncalled: member h.in, field HostTagged.hostInner of salesprocess_test.hostHidden, " +
			"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
		[]string{`{"h":{"in":{}}}`}},
		// encoding/json/v2 calls the method of the unexported field.
		hostShape{"method_called", func() any { return new(hostUncalled) }, "", []string{`{"h":{"in":{}}}`}}),
	{"pointer_to_itself", func() any { return new(hostWithLoop) },
		"cannot decode into salesprocess_test.hostWithLoop: member loop is of type salesprocess_test.hostLoop, a pointer to itself, " +
			"which encoding/json would follow without end",
		nil}, // json.Unmarshal would not return on {"loop":1}
	{"top_pointer_to_itself", func() any { return new(hostLoop) },
		"cannot decode into salesprocess_test.hostLoop: a pointer to itself, which encoding/json would follow without end",
		nil},

	{"untagged", func() any { return new(hostUntagged) }, "", []string{`{"x":1}`, `{"in":{}}`, `{}`}},
	v1v2(hostShape{"bad_tag", func() any { return new(hostBadTag) }, "", []string{`{"x":1}`, `{"a\"b":{}}`}},
		hostShape{"bad_tag_named", func() any { return new(hostBadTag) },
			"cannot decode into salesprocess_test.hostBadTag: member a, field hostInner of salesprocess_test.hostBadTag, " +
				"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
			[]string{`{"x":1}`, `{"a":{}}`}}),
	{"behind_untagged_pointer", func() any { return new(hostBehindPointer) }, "", []string{`{"in":{}}`, `{"name":"a"}`}},
	{"value", func() any { return new(hostValue) }, "", []string{`{"in":{"x":1}}`, `{"in":null}`, `{"in":1}`}},
	{"exported", func() any { return new(hostExported) }, "", []string{`{"in":{"x":1}}`, `{"in":null}`}},
	{"shadowed", func() any { return new(hostShadowed) }, "", []string{`{"in":1}`, `{"in":{}}`, `{"IN":null}`}},
	{"cancelled", func() any { return new(hostCancelled) }, "", []string{`{"in":{}}`}},
	{"pointer_to_itself_out_of_reach", func() any { return new(hostArray0) },
		"cannot decode into salesprocess_test.hostArray0: member Loops[] is of type salesprocess_test.hostLoop, a pointer to itself, " +
			"which encoding/json would follow without end",
		nil}, // DecodeJSONStrict would follow it in {"Loops":[1]}
	{"array_of_0", func() any { return new(hostArray0NoLoop) }, "",
		[]string{`{"Rows":[{"in":{}}]}`, `{"Rows":[{"in":{}}],"When":"soon"}`}},
	{"map_key_refused", func() any { return new(hostBadKey) }, "",
		[]string{`{"ByKey":{"a":{"in":{}}}}`, `{"ByKey":{"a":{"in":{}}},"When":"soon"}`}},
	{"blocked", func() any { return new(hostBlocked) }, "",
		[]string{`{"t":{"in":{}}}`, `{"t":{"in":{}},"When":"soon"}`}},
	{"any", func() any { return new(hostAny) }, "", []string{`{"Any":{"in":{}}}`}},
	{"own_method", func() any { return new(hostOwnTurn) }, "", []string{`{"own":{"in":{}}}`}},
	{"recursive", func() any { return new(hostRecursive) }, "", []string{`{"next":{"kids":[{"inner":{"in":{"x":1}}}]}}`}},
}

// unmarshalRecovered is json.Unmarshal(data, v), and what it panicked
// with, if it did.
func unmarshalRecovered(data []byte, v any) (panicked any, err error) {
	defer func() { panicked = recover() }()
	return nil, json.Unmarshal(data, v)
}

// decodeRecovered is decode(kind, data, v), with a panic, which no input
// may cause, turned into an error.
func decodeRecovered(decode func(string, []byte, any) error, kind string, data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panicked: %v", r)
		}
	}()
	return decode(kind, data, v)
}

// TestDecodeJSONRefusesTypesEncodingJSONPanicsOn checks that DecodeJSON
// and DecodeJSONStrict refuse a type that json.Unmarshal panics on for
// some document, or never returns on, whatever the document (null and {}
// included), naming the type and the member, and change nothing; and that
// they take the shapes next to those as json.Unmarshal takes them. The
// documents of each shape are checked against json.Unmarshal itself: one
// of a refused shape's makes it panic, and none of another's does.
func TestDecodeJSONRefusesTypesEncodingJSONPanicsOn(t *testing.T) {
	for _, tt := range hostShapes {
		t.Run(tt.name, func(t *testing.T) {
			panics := false
			for _, doc := range tt.docs {
				p, _ := unmarshalRecovered([]byte(doc), tt.v())
				if p != nil {
					panics = true
					assert.Contains(t, fmt.Sprint(p), "unexported field", "json.Unmarshal(%s)", doc)
				}
			}
			if tt.refused == "" {
				require.False(t, panics, "json.Unmarshal panics on a document of a shape DecodeJSON takes")
			} else if tt.docs != nil {
				require.True(t, panics, "json.Unmarshal panics on none of the documents of a shape DecodeJSON refuses")
			}
			for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
				for _, doc := range append([]string{`{}`, `null`}, tt.docs...) {
					v := tt.v()
					err := decodeRecovered(decode, "host", []byte(doc), v)
					require.NotContains(t, fmt.Sprint(err), "panicked", "%s %s", name, doc)
					if tt.refused != "" {
						require.ErrorIs(t, err, sp.ErrInvalid, "%s %s", name, doc)
						assert.EqualError(t, err, "invalid host: "+tt.refused, "%s %s", name, doc)
						assert.Equal(t, tt.v(), v, "%s %s: a refused decoding changes nothing", name, doc)
						continue
					}
					_, want := unmarshalRecovered([]byte(doc), tt.v())
					if strings.Contains(doc, `"When":"soon"`) {
						// The first member that fails alone: the map whose
						// key type json.Unmarshal refuses, or the time; with
						// encoding/json/v2, the member t, whose pointer it
						// cannot allocate, as it says.
						require.Error(t, err)
						first := `^invalid host\.(ByKey|When): `
						if sp.JSONV2() {
							first = `^invalid host\.(ByKey|When|t): `
						}
						assert.Regexp(t, first, err.Error(), "%s %s", name, doc)
					}
					if name == "lenient" {
						assert.Equal(t, want == nil, err == nil, "%s %s: json.Unmarshal: %v; DecodeJSON: %v", name, doc, want, err)
					} else if err != nil && !strings.Contains(err.Error(), "unknown field") {
						assert.Error(t, want, "%s %s: DecodeJSONStrict refuses %v what json.Unmarshal takes", name, doc, err)
					}
				}
			}
		})
	}
	// The value passed is a pointer, set or not: what is decoded into is
	// a fresh value, whose pointers are nil.
	t.Run("set_pointer", func(t *testing.T) {
		v := hostTagged{hostInner: &hostInner{X: 1}, Name: "held"}
		err := sp.DecodeJSON("host", []byte(`{"in":{"x":2}}`), &v)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Equal(t, hostTagged{hostInner: &hostInner{X: 1}, Name: "held"}, v)
	})
	// hostUncalled has no method of its own, its embedded structs' two
	// cancelling: encoding/json decodes it by its rules.
	t.Run("methods_cancel", func(t *testing.T) {
		_, ok := any(new(hostUncalled)).(json.Unmarshaler)
		assert.False(t, ok)
		for _, v := range []any{new(hostHidden), new(hostAmbiguous)} {
			_, ok := v.(json.Unmarshaler)
			assert.True(t, ok, "%T", v)
		}
	})
	// Types of this module refuse nothing: they hold no such shape.
	t.Run("module_types", func(t *testing.T) {
		require.NoError(t, sp.DecodeJSONStrict("rep", []byte(`{"id":"ana"}`), new(sp.Rep)))
		require.NoError(t, sp.DecodeJSON("money", []byte(`[{"amount":"1","currency":"EUR"}]`), new([]sp.Money)))
	})
}
