package salesprocess_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// The host types below meet one type twice: first where json.Unmarshal
// does not reach it, then where it does.
type (
	// mutReachedAfterArray0 holds hostTagged in an array of length 0,
	// then as a member json.Unmarshal decodes.
	mutReachedAfterArray0 struct {
		Zero [0]hostTagged
		Row  hostTagged
	}
	// mutReachedAfterBadKey holds hostTagged as a value of a map whose
	// key type json.Unmarshal refuses, then in a slice.
	mutReachedAfterBadKey struct {
		ByKey map[[2]int]hostTagged
		Rows  []hostTagged
	}
	// mutIntKey holds hostTagged as a value of a map of integer keys,
	// which json.Unmarshal decodes.
	mutIntKey struct {
		ByKey map[int]hostTagged
	}
	// HostOwnTagged decodes by a method of its own, which json.Unmarshal
	// calls where mutCalled embeds it, exported with a name in its tag:
	// its member "in" is left to the method. Its method and
	// hostAmbiguous's, promoted to mutCalled at one depth, cancel, so
	// that mutCalled decodes by the rules of encoding/json.
	HostOwnTagged struct {
		*hostInner `json:"in"`
	}
	mutCalled struct {
		HostOwnTagged `json:"h"`
		//lint:ignore U1000 its method cancels HostOwnTagged's, which is the point
		hostAmbiguous
	}
	// mutBlockedDeeper holds hostTagged below an untagged embedded
	// pointer to an unexported struct type, one embedded struct further
	// down: json.Unmarshal fails to allocate the pointer before it comes
	// to the member, with an error.
	mutBlockedDeeper struct {
		*mutBlockedOuter
	}
	mutBlockedOuter struct{ mutBlockedInner }
	mutBlockedInner struct {
		T hostTagged `json:"t"`
	}
)

func (*HostOwnTagged) UnmarshalJSON([]byte) error { return nil }

// TestDecodeJSONRefusesATypeReachedAfterOutOfReach checks that a type met
// first where json.Unmarshal does not reach it, and then where it does, is
// looked at again when reached: json.Unmarshal panics on the member, and
// DecodeJSON and DecodeJSONStrict refuse the type, naming the member
// reached.
func TestDecodeJSONRefusesATypeReachedAfterOutOfReach(t *testing.T) {
	for _, tt := range []struct {
		name, doc, refused string
		v                  func() any
	}{
		{"array_of_0", `{"Row":{"in":{}}}`,
			"cannot decode into salesprocess_test.mutReachedAfterArray0: member Row.in, field hostInner of salesprocess_test.hostTagged, " +
				"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
			func() any { return new(mutReachedAfterArray0) }},
		{"map_key_refused", `{"Rows":[{"in":{}}]}`,
			"cannot decode into salesprocess_test.mutReachedAfterBadKey: member Rows[].in, field hostInner of salesprocess_test.hostTagged, " +
				"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
			func() any { return new(mutReachedAfterBadKey) }},
		{"int_key", `{"ByKey":{"1":{"in":{}}}}`,
			"cannot decode into salesprocess_test.mutIntKey: member ByKey.in, field hostInner of salesprocess_test.hostTagged, " +
				"is an embedded pointer to an unexported struct type, which encoding/json cannot allocate",
			func() any { return new(mutIntKey) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := unmarshalRecovered([]byte(tt.doc), tt.v())
			require.NotNil(t, p, "json.Unmarshal(%s) does not panic", tt.doc)
			for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
				for _, doc := range []string{`{}`, `null`, tt.doc} {
					v := tt.v()
					err := decodeRecovered(decode, "host", []byte(doc), v)
					require.NotContains(t, fmt.Sprint(err), "panicked", "%s %s", name, doc)
					require.ErrorIs(t, err, sp.ErrInvalid, "%s %s", name, doc)
					assert.EqualError(t, err, "invalid host: "+tt.refused, "%s %s", name, doc)
					assert.Equal(t, tt.v(), v, "%s %s: a refused decoding changes nothing", name, doc)
				}
			}
		})
	}
}

// TestDecodeJSONTakesShapesEncodingJSONDoesNotPanicOn checks that
// DecodeJSON and DecodeJSONStrict take the host types that hold a field
// json.Unmarshal cannot allocate where it does not come to it: within a
// member it decodes by the member's own method, or below an untagged
// embedded pointer it fails to allocate first. They decode as
// json.Unmarshal does, without panicking.
func TestDecodeJSONTakesShapesEncodingJSONDoesNotPanicOn(t *testing.T) {
	for _, tt := range []struct {
		name, doc string
		ok        bool // json.Unmarshal decodes the document
		v         func() any
	}{
		{"own_method_called", `{"h":{"in":{}}}`, true, func() any { return new(mutCalled) }},
		{"blocked_deeper", `{"t":{"in":{}}}`, false, func() any { return new(mutBlockedDeeper) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, want := unmarshalRecovered([]byte(tt.doc), tt.v())
			require.Nil(t, p, "json.Unmarshal(%s) panics", tt.doc)
			require.Equal(t, tt.ok, want == nil, "json.Unmarshal(%s): %v", tt.doc, want)
			for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
				for _, doc := range []string{`{}`, `null`} {
					require.NoError(t, decodeRecovered(decode, "host", []byte(doc), tt.v()), "%s %s", name, doc)
				}
				err := decodeRecovered(decode, "host", []byte(tt.doc), tt.v())
				require.NotContains(t, fmt.Sprint(err), "panicked", name)
				if tt.ok {
					assert.NoError(t, err, name)
				} else {
					assert.ErrorIs(t, err, sp.ErrInvalid, name)
					assert.NotContains(t, fmt.Sprint(err), "cannot decode into", "%s: the type is refused", name)
				}
			}
		})
	}
}

// mutOwnFails decodes by a method of its own, which refuses every
// document, and holds a field json.Unmarshal could not allocate, which
// the method leaves alone.
type mutOwnFails struct {
	*hostInner `json:"in"`
}

func (*mutOwnFails) UnmarshalJSON([]byte) error { return sp.Invalid("thing.detail", "refused") }

type mutOwnFailsTurn struct {
	Name string      `json:"name"`
	Own  mutOwnFails `json:"own"`
}

// TestDecodeJSONPlacesTheErrorOfAMemberOwnMethod checks that the error of
// a member's own method is named by the member's path, followed by the
// field the error names within it, where the member's type holds a field
// json.Unmarshal could not allocate by its rules: the method decodes the
// member, so the type is not refused and its error is placed.
func TestDecodeJSONPlacesTheErrorOfAMemberOwnMethod(t *testing.T) {
	for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
		err := decodeRecovered(decode, "host", []byte(`{"name":"a","own":{"in":{}}}`), new(mutOwnFailsTurn))
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, "host.own.detail", ve.Field, "%s: %v", name, err)
	}
}

// TestDecodeJSONWrongTypeWithinAMethodAfterUnknownMember checks that the
// offset of a value of the wrong JSON type within a member's own method,
// which lies within the member's bytes alone, does not give the path an
// index, or cut it short, where it falls in the document within a member
// that no field decodes.
func TestDecodeJSONWrongTypeWithinAMethodAfterUnknownMember(t *testing.T) {
	type doc struct {
		Own []wrongTypeInOwn `json:"own"`
	}
	for _, data := range []string{
		`{"unknown":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","own":[{"n":1},{"n":"x"}]}`,
		`{"UNKNOWN":["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],"own":[{"n":1},{"n":"x"}]}`,
	} {
		for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
			err := decode("doc", []byte(data), new(doc))
			require.ErrorIs(t, err, sp.ErrInvalid, "%s %s", name, data)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			if name == "strict" && ve.Reason == "unknown field" {
				continue
			}
			assert.Contains(t, withinMethod("doc.own[1].n"), ve.Field, "%s %s: %v", name, data, err)
		}
	}
}

// TestDecodeJSONWrongTypePathAfterNestedOwnMember checks that a member
// that decodes by a method of its own, holding objects and arrays within
// objects, is passed over whole on the way to a value of the wrong JSON
// type after it, which is named with its index.
func TestDecodeJSONWrongTypePathAfterNestedOwnMember(t *testing.T) {
	type sub struct {
		N int64 `json:"n"`
	}
	type doc struct {
		Raw  json.RawMessage `json:"raw"`
		Subs []sub           `json:"subs"`
	}
	data := `{"raw":{"a":{"b":[1,{"c":[]}]},"d":[[]]},"subs":[{},{"n":"x"}]}`
	for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
		err := decode("doc", []byte(data), new(doc))
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, "doc.subs[1].n", ve.Field, "%s: %v", name, err)
	}
}

// TestDecodeJSONWrongTypeWithinAMethodOverAnotherMember checks that the
// offset of a value of the wrong JSON type within a member's own method,
// which lies within the member's bytes alone, gives the path no index
// where it falls in the document within another member that leads by the
// same names to a value of the same type.
func TestDecodeJSONWrongTypeWithinAMethodOverAnotherMember(t *testing.T) {
	type doc struct {
		Other []wrongTypeInOwnPlain `json:"other"`
		Own   []wrongTypeInOwn      `json:"own"`
	}
	data := `{"other":[{"n":1}],"own":[{"n":"x"}]}`
	for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
		err := decode("doc", []byte(data), new(doc))
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Contains(t, withinMethod("doc.own[0].n"), ve.Field, "%s: %v", name, err)
	}
}

// withinMethod returns the paths DecodeJSON may give the value of the
// wrong JSON type at path, met within the own method, which decodes by
// json.Unmarshal, of an element of doc.own. encoding/json gives an offset
// within the element's bytes alone, which the path cannot place: doc.own
// (Go 1.23) or doc.own.n (Go 1.24 to 1.26); with encoding/json/v2,
// DecodeJSON finds the element by decoding the elements one by one, and
// the member within by the path v2 gives from the element.
func withinMethod(path string) []string {
	if sp.JSONV2() {
		return []string{path}
	}
	return []string{"doc.own", "doc.own.n"}
}

// wrongTypeInOwnPlain is wrongTypeInOwn without its method.
type wrongTypeInOwnPlain struct {
	N int64 `json:"n"`
}

// TestDecodeJSONWrongTypeWithinNestedMethods checks that a value of the
// wrong JSON type met within a method called within another method, whose
// path encoding/json gives from where the inner method began, is not
// named by that path from where the outer one began: the element's own n,
// a number, is not at fault.
func TestDecodeJSONWrongTypeWithinNestedMethods(t *testing.T) {
	type doc struct {
		Own []sp.DialectOwn `json:"own"` // its subs decode by the method too, each within the other's
	}
	for _, data := range []string{`{"own":[{"n":1,"subs":[{"n":"x"}]}]}`, `{"own":[{"subs":[{"n":"x"}],"n":2}]}`, `{"own":[{"subs":[{"n":"x"}]}]}`} {
		for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
			err := decode("doc", []byte(data), new(doc))
			require.ErrorIs(t, err, sp.ErrInvalid, "%s %s", name, data)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			// A step on the way to doc.own[0].subs[0].n, indexes aside.
			const whole = "doc.own.subs.n"
			on := regexp.MustCompile(`\[\d+\]`).ReplaceAllString(ve.Field, "")
			assert.True(t, on == whole || strings.HasPrefix(whole, on+"."), "%s %s: %v", name, data, err)
			assert.Equal(t, "want int64, got a JSON string", ve.Reason, "%s %s", name, data)
		}
	}
}
