package salesprocess_test

import (
	"encoding"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// The host types below embed a type of this module that decodes by a
// method of its own, which the host type then has as well: json.Unmarshal
// hands the whole document to that method, and the host's other members
// are never decoded.
type (
	// hostEnvelope is a request body that embeds a record beside a member
	// of its own.
	hostEnvelope struct {
		sp.Rep
		Key string `json:"idempotency_key"`
	}
	// hostEnvelopePointer embeds the record by pointer.
	hostEnvelopePointer struct {
		*sp.Rep
		Key string `json:"idempotency_key"`
	}
	// hostEnvelopeDeep has the method through an embedded struct of its
	// own.
	hostEnvelopeDeep struct {
		hostEnvelope
		Note string `json:"note"`
	}
	// hostEnvelopeList holds such envelopes.
	hostEnvelopeList struct {
		Items []hostEnvelope `json:"items"`
	}
	// hostEnvelopeEmptyArray holds one in an array of length 0, which
	// json.Unmarshal never decodes into.
	hostEnvelopeEmptyArray struct {
		Items [0]hostEnvelope `json:"items"`
		Name  string          `json:"name"`
	}
	// hostWrapped embeds the record alone: nothing of its own is lost.
	hostWrapped struct {
		sp.Rep
		//lint:ignore U1000 an unexported field, which encoding/json does not decode, is the case
		note string
		Skip string `json:"-"`
	}
	// hostEnvelopeOwn embeds the record beside a member of its own and
	// decodes both by a method of its own, which the record's does not
	// shadow.
	hostEnvelopeOwn struct {
		sp.Rep
		Key string `json:"idempotency_key"`
	}
	// hostEnvelopeOwnList holds such envelopes.
	hostEnvelopeOwnList struct {
		Items []hostEnvelopeOwn `json:"items"`
	}
	// hostTimePointer has the method of a time.Time, through a pointer
	// that is nil in a fresh value: json.Unmarshal calls it on nil, and
	// time.Time's panics.
	hostTimePointer struct{ *time.Time }
	// hostUnmarshaler has the method of an interface, nil in a fresh
	// value: json.Unmarshal calls a method of nil and panics.
	hostUnmarshaler struct {
		json.Unmarshaler
		X int `json:"x"`
	}
	// hostTextUnmarshaler has UnmarshalText of an interface, nil in a
	// fresh value.
	hostTextUnmarshaler struct{ encoding.TextUnmarshaler }
	// hostUnmarshalerDeep has it through an embedded struct of its own.
	hostUnmarshalerDeep struct{ hostUnmarshaler }
	// hostUnmarshalerList holds it in a list.
	hostUnmarshalerList struct {
		Items []hostUnmarshaler `json:"items"`
	}
	// hostTimeKey is a map key whose UnmarshalText, which encoding/json
	// decodes a key by, is a time.Time's through a nil pointer.
	hostTimeKey struct{ *time.Time }
	// hostTextKey is a map key with UnmarshalText of a nil interface.
	hostTextKey struct{ encoding.TextUnmarshaler }
	// hostKeyed holds maps of such keys.
	hostKeyed struct {
		ByTime map[hostTimeKey]int `json:"by_time"`
	}
	// hostNamedRecord names the record as a member: nothing is promoted.
	hostNamedRecord struct {
		Rep sp.Rep `json:"rep"`
		Key string `json:"idempotency_key"`
	}
)

func (e *hostEnvelopeOwn) UnmarshalJSON(data []byte) error {
	var key struct {
		Key string `json:"idempotency_key"`
	}
	if err := json.Unmarshal(data, &key); err != nil {
		return err
	}
	var r sp.Rep
	if err := json.Unmarshal(data, &r); err != nil {
		return err
	}
	e.Rep, e.Key = r, key.Key
	return nil
}

// TestDecodeJSONRefusesPromotedDecodingMethod checks that DecodeJSON and
// DecodeJSONStrict refuse, naming the embedded field, a type that decodes
// by a method promoted from an embedded field, at any depth that
// json.Unmarshal reaches, where that field is a pointer or an interface,
// nil in a fresh value, on which json.Unmarshal would call the method (and
// panic, for a time.Time or an interface), or where the type has members of
// other fields, which json.Unmarshal would drop without an error while
// DecodeJSONStrict refused nothing. A type that loses nothing, names the
// record as a member, or declares a method of its own, decodes.
func TestDecodeJSONRefusesPromotedDecodingMethod(t *testing.T) {
	doc := []byte(`{"id":"ann","name":"Ann","idempotency_key":"k1","bogus":1}`)

	var plain hostEnvelope
	require.NoError(t, json.Unmarshal(doc, &plain), "json.Unmarshal takes the document")
	require.Empty(t, plain.Key, "and drops the host's member: the reason for the refusal")

	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"embedded", new(hostEnvelope), "invalid request: cannot decode into salesprocess_test.hostEnvelope: " +
			"it decodes by the method of its embedded field Rep (salesprocess.Rep), which takes the whole document, " +
			"so that its member idempotency_key would never be decoded; make Rep a named field"},
		{"embedded_pointer", new(hostEnvelopePointer), "invalid request: cannot decode into salesprocess_test.hostEnvelopePointer: " +
			"it decodes by the method of its embedded field Rep (*salesprocess.Rep), which is nil in a fresh value, " +
			"so that json.Unmarshal would call the method on nil; make Rep a named field"},
		{"deep", new(hostEnvelopeDeep), "invalid request: cannot decode into salesprocess_test.hostEnvelopeDeep: " +
			"it decodes by the method of its embedded field hostEnvelope (salesprocess_test.hostEnvelope), which takes the whole document, " +
			"so that its member note would never be decoded; make hostEnvelope a named field"},
		{"in_list", new(hostEnvelopeList), "invalid request: cannot decode into salesprocess_test.hostEnvelopeList: " +
			"member items[], of type salesprocess_test.hostEnvelope, decodes by the method of its embedded field Rep (salesprocess.Rep), " +
			"which takes the whole value, so that its member idempotency_key would never be decoded; make Rep a named field"},
		{"time_pointer", new(hostTimePointer), "invalid request: cannot decode into salesprocess_test.hostTimePointer: " +
			"it decodes by the method of its embedded field Time (*time.Time), which is nil in a fresh value, " +
			"so that json.Unmarshal would call the method on nil; make Time a named field"},
		{"interface", new(hostUnmarshaler), "invalid request: cannot decode into salesprocess_test.hostUnmarshaler: " +
			"it decodes by the method of its embedded field Unmarshaler (json.Unmarshaler), which is nil in a fresh value, " +
			"so that json.Unmarshal would call the method on nil; make Unmarshaler a named field"},
		{"text_interface", new(hostTextUnmarshaler), "invalid request: cannot decode into salesprocess_test.hostTextUnmarshaler: " +
			"it decodes by the method of its embedded field TextUnmarshaler (encoding.TextUnmarshaler), which is nil in a fresh value, " +
			"so that json.Unmarshal would call the method on nil; make TextUnmarshaler a named field"},
		{"interface_deep", new(hostUnmarshalerDeep), "invalid request: cannot decode into salesprocess_test.hostUnmarshalerDeep: " +
			"it decodes by the method of its embedded field hostUnmarshaler.Unmarshaler (json.Unmarshaler), which is nil in a fresh value, " +
			"so that json.Unmarshal would call the method on nil; make Unmarshaler a named field"},
		{"interface_in_list", new(hostUnmarshalerList), "invalid request: cannot decode into salesprocess_test.hostUnmarshalerList: " +
			"member items[], of type salesprocess_test.hostUnmarshaler, decodes by the method of its embedded field Unmarshaler (json.Unmarshaler), " +
			"which is nil in a fresh value, so that json.Unmarshal would call the method on nil; make Unmarshaler a named field"},
		{"map_key", new(map[hostTimeKey]int), "invalid request: cannot decode into map[salesprocess_test.hostTimeKey]int: " +
			"each key, of type salesprocess_test.hostTimeKey, decodes by the method of its embedded field Time (*time.Time), " +
			"which is nil in a fresh value, so that json.Unmarshal would call the method on nil; make Time a named field"},
		{"map_key_interface", new(map[hostTextKey]string), "invalid request: cannot decode into map[salesprocess_test.hostTextKey]string: " +
			"each key, of type salesprocess_test.hostTextKey, decodes by the method of its embedded field TextUnmarshaler (encoding.TextUnmarshaler), " +
			"which is nil in a fresh value, so that json.Unmarshal would call the method on nil; make TextUnmarshaler a named field"},
		{"map_key_in_member", new(hostKeyed), "invalid request: cannot decode into salesprocess_test.hostKeyed: " +
			"each key of member by_time, of type salesprocess_test.hostTimeKey, decodes by the method of its embedded field Time (*time.Time), " +
			"which is nil in a fresh value, so that json.Unmarshal would call the method on nil; make Time a named field"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
				err := decode("request", doc, c.v)
				require.ErrorIs(t, err, sp.ErrInvalid, name)
				assert.EqualError(t, err, c.want, name)
				err = decode("request", []byte(`null`), c.v)
				assert.EqualError(t, err, c.want, "%s: whatever the document", name)
			}
		})
	}

	for _, c := range []struct {
		name string
		v    any
	}{
		{"nothing_lost", new(hostWrapped)},
		{"named_member", new(hostNamedRecord)},
		{"unreached", new(hostEnvelopeEmptyArray)},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, sp.DecodeJSON("request", []byte(`{"id":"ann","name":"Ann"}`), c.v))
		})
	}
	// A type that declares its own method is decoded by it, the embedded
	// record's being shadowed: in a list, and as v itself.
	var own hostEnvelopeOwnList
	require.NoError(t, sp.DecodeJSONStrict("batch", []byte(`{"items":[{"id":"ann","idempotency_key":"k1"}]}`), &own))
	require.Len(t, own.Items, 1)
	assert.Equal(t, "k1", own.Items[0].Key)
	assert.Equal(t, sp.RepID("ann"), own.Items[0].ID)
	var one hostEnvelopeOwn
	require.NoError(t, sp.DecodeJSON("request", doc, &one))
	assert.Equal(t, "k1", one.Key)

	var named hostNamedRecord
	require.NoError(t, sp.DecodeJSONStrict("request", []byte(`{"rep":{"id":"ann","name":"Ann"},"idempotency_key":"k1"}`), &named))
	assert.Equal(t, "k1", named.Key)
	assert.Equal(t, sp.RepID("ann"), named.Rep.ID)
}
