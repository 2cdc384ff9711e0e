package salesprocess_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

type (
	// hostEnvelopeSecond has the method through its second field, an
	// embedded struct of its own that has it through its first: the
	// reason names the outer field and the member before it, quoted.
	hostEnvelopeSecond struct {
		Note string `json:"the note"`
		hostEnvelope
	}
	// hostRepAfterTime names a time before the embedded record: the time
	// has a decoding method too, but is no embedded field.
	hostRepAfterTime struct {
		Since time.Time `json:"since"`
		sp.Rep
	}
	// hostCurrencyEmbedded embeds a string type with an UnmarshalText of
	// its own beside a member.
	hostCurrencyEmbedded struct {
		sp.Currency
		Amount string `json:"amount"`
	}
	// hostTimeOwn embeds a time through a pointer, whose UnmarshalText it
	// has, but declares an UnmarshalJSON, which json.Unmarshal prefers.
	hostTimeOwn struct{ *time.Time }
)

func (h *hostTimeOwn) UnmarshalJSON(data []byte) error {
	var t time.Time
	if err := json.Unmarshal(data, &t); err != nil {
		return err
	}
	h.Time = &t
	return nil
}

// TestDecodeJSONPromotedMethodReasons checks the reason DecodeJSON gives
// for a promoted decoding method where the embedded field is not the
// first, where a named field before it has a decoding method of its own,
// and where the embedded type is no struct; and that a type declaring
// UnmarshalJSON is decoded by it though it has a promoted UnmarshalText
// through a nil pointer, since json.Unmarshal calls UnmarshalJSON first.
func TestDecodeJSONPromotedMethodReasons(t *testing.T) {
	doc := []byte(`{"id":"ann","name":"Ann","the note":"n","since":"2026-01-01T00:00:00Z","amount":"1"}`)
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"second_field", new(hostEnvelopeSecond), "invalid request: cannot decode into salesprocess_test.hostEnvelopeSecond: " +
			"it decodes by the method of its embedded field hostEnvelope (salesprocess_test.hostEnvelope), which takes the whole document, " +
			`so that its member "the note" would never be decoded; make hostEnvelope a named field`},
		{"after_named_time", new(hostRepAfterTime), "invalid request: cannot decode into salesprocess_test.hostRepAfterTime: " +
			"it decodes by the method of its embedded field Rep (salesprocess.Rep), which takes the whole document, " +
			"so that its member since would never be decoded; make Rep a named field"},
		{"string_type", new(hostCurrencyEmbedded), "invalid request: cannot decode into salesprocess_test.hostCurrencyEmbedded: " +
			"it decodes by the method of its embedded field Currency (salesprocess.Currency), which takes the whole document, " +
			"so that its member amount would never be decoded; make Currency a named field"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
				err := decode("request", doc, c.v)
				require.ErrorIs(t, err, sp.ErrInvalid, name)
				assert.EqualError(t, err, c.want, name)
			}
		})
	}

	var own hostTimeOwn
	require.NoError(t, sp.DecodeJSONStrict("stamp", []byte(`"2026-01-02T03:04:05Z"`), &own))
	require.NotNil(t, own.Time)
	assert.Equal(t, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), own.Time.UTC())
}
