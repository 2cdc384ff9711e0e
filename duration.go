package salesprocess

import (
	"bytes"
	"encoding/json"
	"time"
)

// Duration is a [time.Duration] with a text form: that of
// [time.Duration.String] ("24h0m0s", "1h30m0s", "0s"), which is how every
// package of this module writes a duration in JSON. It reads any text
// [time.ParseDuration] accepts ("24h", "90m", "1.5h"), and its JSON form
// also reads a JSON integer of nanoseconds (86400000000000 for 24 hours),
// the form encoding/json gives a time.Duration, so that JSON written
// that way still decodes. The text of every Duration, from
// [math.MinInt64] to [math.MaxInt64] nanoseconds, reads back as the same
// Duration. The zero Duration is no time at all, "0s".
//
// The types of this module keep their durations as time.Duration fields
// and convert them to Duration in their MarshalJSON and UnmarshalJSON
// methods; a host can do the same with its own types.
type Duration time.Duration

// String returns the duration as [time.Duration.String] does.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText implements [encoding.TextMarshaler]: the text of
// [Duration.String]. It never fails.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: text that
// [time.ParseDuration] accepts. Other text (empty text, a number without a
// unit such as "24", a duration beyond the range of a time.Duration) is an
// error wrapping [ErrInvalid] that leaves d unchanged.
func (d *Duration) UnmarshalText(text []byte) error {
	if err := CheckTarget(d); err != nil {
		return err
	}
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return Invalid("", "want a duration such as \"24h\", got %s", Quote(string(text)))
	}
	*d = Duration(v)
	return nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: a JSON string
// holding the text form (see [Duration.UnmarshalText]), or a JSON integer
// of nanoseconds within the range of an int64. JSON null leaves d
// unchanged, as [json.Unmarshal] does. Anything else (a fraction, an
// exponent, another JSON type, malformed JSON) is an error wrapping
// [ErrInvalid] that leaves d unchanged; [DecodeJSON] places it at the
// field that holds the duration.
func (d *Duration) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(d); err != nil {
		return err
	}
	data = bytes.Trim(data, jsonSpace)
	switch {
	case string(data) == "null":
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return Invalid("", "want a duration such as \"24h\", got malformed JSON %s", Quote(string(data)))
		}
		return d.UnmarshalText([]byte(s))
	case len(data) > 0 && (data[0] == '-' || '0' <= data[0] && data[0] <= '9'):
		var n int64
		if err := json.Unmarshal(data, &n); err != nil {
			return Invalid("", "want a duration as text such as \"24h\" or a whole number of nanoseconds within the range of an int64, got %s", Quote(string(data)))
		}
		*d = Duration(n)
		return nil
	}
	return Invalid("", "want a duration as text such as \"24h\" or a whole number of nanoseconds, got %s", Quote(string(data)))
}
