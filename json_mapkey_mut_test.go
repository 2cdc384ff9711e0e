package salesprocess_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

type (
	// hostTimeKeyText is a map key that declares an UnmarshalText but has
	// the UnmarshalJSON of a time through a pointer, nil in a fresh value:
	// encoding/json decodes a key by UnmarshalJSON when the key has it,
	// handing it the quoted key, and so calls it on nil; encoding/json/v2
	// decodes it by the UnmarshalText it declares.
	hostTimeKeyText struct{ *time.Time }
	// hostTimeKeyJSON is a map key that declares an UnmarshalJSON, which
	// encoding/json decodes the key by, and has the UnmarshalText of a time
	// through a nil pointer, which it never calls, and which
	// encoding/json/v2 calls on nil.
	hostTimeKeyJSON struct{ *time.Time }
	// hostCurrencyKey is a map key with the UnmarshalText of an embedded
	// currency beside a member of its own, which that method never
	// decodes.
	hostCurrencyKey struct {
		sp.Currency
		Note string `json:"note"`
	}
	// hostKeyedUnreached holds a map of keys that json.Unmarshal would call
	// on nil, in an array of length 0, which it never decodes into.
	hostKeyedUnreached struct {
		ByTime [0]map[hostTimeKey]int `json:"by_time"`
		Name   string                 `json:"name"`
	}
)

func (k *hostTimeKeyText) UnmarshalText(text []byte) error {
	var t time.Time
	if err := t.UnmarshalText(text); err != nil {
		return err
	}
	k.Time = &t
	return nil
}

func (k *hostTimeKeyJSON) UnmarshalJSON(data []byte) error {
	var t time.Time
	if err := t.UnmarshalJSON(data); err != nil {
		return err
	}
	k.Time = &t
	return nil
}

// TestDecodeJSONMapKeysByTheirMethod checks that DecodeJSON judges a map
// key by the method encoding/json decodes it by: its UnmarshalJSON when it
// has one, else its UnmarshalText; with encoding/json/v2, its
// UnmarshalText. A key type whose method is that of a nil embedded pointer
// is refused, though it declares the other, where json.Unmarshal
// panicked; one with the UnmarshalText of an embedded field beside a
// member of its own is refused, naming the whole key; one that declares
// the method is decoded by it, though it has the other of a nil pointer;
// and a key json.Unmarshal never reaches is not refused.
func TestDecodeJSONMapKeysByTheirMethod(t *testing.T) {
	doc := []byte(`{"2026-01-02T03:04:05Z":7}`)
	refusedKey := func() any { return new(map[hostTimeKeyText]int) }
	refusal := "invalid counts: cannot decode into map[salesprocess_test.hostTimeKeyText]int: " +
		"each key, of type salesprocess_test.hostTimeKeyText, decodes by the method of its embedded field Time (*time.Time), " +
		"which is nil in a fresh value, so that json.Unmarshal would call the method on nil; make Time a named field"
	decodedKey := func() (any, func() map[time.Time]int) {
		var m map[hostTimeKeyJSON]int
		return &m, func() map[time.Time]int { return timeKeys(m) }
	}
	if sp.JSONV2() {
		refusedKey = func() any { return new(map[hostTimeKeyJSON]int) }
		refusal = strings.ReplaceAll(refusal, "hostTimeKeyText", "hostTimeKeyJSON")
		decodedKey = func() (any, func() map[time.Time]int) {
			var m map[hostTimeKeyText]int
			return &m, func() map[time.Time]int { return timeKeys(m) }
		}
	}
	for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
		err := decode("counts", doc, refusedKey())
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		assert.EqualError(t, err, refusal, name)

		var cur map[hostCurrencyKey]int
		err = decode("counts", []byte(`{"EUR":1}`), &cur)
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		assert.EqualError(t, err, "invalid counts: cannot decode into map[salesprocess_test.hostCurrencyKey]int: "+
			"each key, of type salesprocess_test.hostCurrencyKey, decodes by the method of its embedded field Currency (salesprocess.Currency), "+
			"which takes the whole key, so that its member note would never be decoded; make Currency a named field", name)

		m, keys := decodedKey()
		require.NoError(t, decode("counts", doc, m), name)
		assert.Equal(t, map[time.Time]int{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC): 7}, keys(), name)

		var u hostKeyedUnreached
		require.NoError(t, decode("request", []byte(`{"name":"n"}`), &u), name)
		assert.Equal(t, "n", u.Name, name)
	}
}

// timeKeys returns the counts of m by the times of its keys, in UTC.
func timeKeys[K interface{ ~struct{ *time.Time } }](m map[K]int) map[time.Time]int {
	out := make(map[time.Time]int, len(m))
	for k, n := range m {
		out[struct{ *time.Time }(k).UTC()] = n
	}
	return out
}
