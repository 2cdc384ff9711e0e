package salesprocess_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// A Duration writes the text of time.Duration.String, in JSON as a
// string, and reads that text, any text time.ParseDuration reads, and a
// JSON integer of nanoseconds.
func TestDurationForms(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		text string
	}{
		{0, "0s"},
		{time.Nanosecond, "1ns"},
		{-time.Nanosecond, "-1ns"},
		{90 * time.Minute, "1h30m0s"},
		{24 * time.Hour, "24h0m0s"},
		{1500 * time.Microsecond, "1.5ms"},
		{math.MaxInt64, "2562047h47m16.854775807s"},
		{math.MinInt64, "-2562047h47m16.854775808s"},
		{math.MinInt64 + 1, "-2562047h47m16.854775807s"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			d := sp.Duration(tc.d)
			assert.Equal(t, tc.text, d.String())
			text, err := d.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.text, string(text))
			data, err := json.Marshal(d)
			require.NoError(t, err)
			assert.Equal(t, strconv.Quote(tc.text), string(data))

			var back sp.Duration
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, d, back)
			back = sp.Duration(time.Hour)
			require.NoError(t, json.Unmarshal(data, &back))
			assert.Equal(t, d, back)
			// The integer of nanoseconds that encoding/json writes for a
			// time.Duration.
			old, err := json.Marshal(tc.d)
			require.NoError(t, err)
			assert.Equal(t, strconv.FormatInt(int64(tc.d), 10), string(old))
			back = sp.Duration(time.Hour)
			require.NoError(t, json.Unmarshal(old, &back))
			assert.Equal(t, d, back)
		})
	}
}

func TestDurationReadsWhatParseDurationReads(t *testing.T) {
	for text, want := range map[string]time.Duration{
		"24h": 24 * time.Hour, "90m": 90 * time.Minute, "1.5h": 90 * time.Minute, "+5s": 5 * time.Second,
		"-0": 0, "0": 0, "1h30m": 90 * time.Minute, "300us": 300 * time.Microsecond, "-9223372036854775808ns": math.MinInt64,
	} {
		var d sp.Duration
		require.NoError(t, d.UnmarshalText([]byte(text)), text)
		assert.Equal(t, sp.Duration(want), d, text)
		d = 0
		require.NoError(t, json.Unmarshal([]byte(strconv.Quote(text)), &d), text)
		assert.Equal(t, sp.Duration(want), d, text)
	}
	for data, want := range map[string]time.Duration{
		"0": 0, "-0": 0, "86400000000000": 24 * time.Hour, "-1": -1, " 7 ": 7,
		"9223372036854775807": math.MaxInt64, "-9223372036854775808": math.MinInt64,
	} {
		d := sp.Duration(time.Hour)
		require.NoError(t, d.UnmarshalJSON([]byte(data)), data)
		assert.Equal(t, sp.Duration(want), d, data)
	}
}

// JSON null leaves the duration as it was, as encoding/json leaves a
// time.Duration.
func TestDurationJSONNull(t *testing.T) {
	d := sp.Duration(time.Hour)
	require.NoError(t, json.Unmarshal([]byte("null"), &d))
	assert.Equal(t, sp.Duration(time.Hour), d)
	require.NoError(t, d.UnmarshalJSON([]byte(" null ")))
	assert.Equal(t, sp.Duration(time.Hour), d)
}

// In a struct decoded by DecodeJSON, a bad duration is named by its
// member.
func TestDurationErrorNamesTheField(t *testing.T) {
	type wait struct {
		Limit sp.Duration `json:"limit"`
	}
	for data, reason := range map[string]string{
		`{"limit":"soon"}`: `want a duration such as "24h", got "soon"`,
		`{"limit":1.5}`:    `want a duration as text such as "24h" or a whole number of nanoseconds within the range of an int64, got "1.5"`,
		`{"limit":true}`:   `want a duration as text such as "24h" or a whole number of nanoseconds, got "true"`,
	} {
		w := wait{Limit: sp.Duration(time.Hour)}
		err := sp.DecodeJSON("wait", []byte(data), &w)
		require.ErrorIs(t, err, sp.ErrInvalid, data)
		assert.EqualError(t, err, "invalid wait.limit: "+reason)
		assert.Equal(t, sp.Duration(time.Hour), w.Limit, "a failed decoding changes nothing")
	}
}

func ExampleDuration() {
	type policy struct {
		FirstContact sp.Duration `json:"first_contact"`
	}
	data, _ := json.Marshal(policy{FirstContact: sp.Duration(24 * time.Hour)})
	fmt.Println(string(data))

	// Text, and the nanoseconds encoding/json writes for a time.Duration.
	var p policy
	_ = json.Unmarshal([]byte(`{"first_contact":"90m"}`), &p)
	fmt.Println(time.Duration(p.FirstContact))
	_ = json.Unmarshal([]byte(`{"first_contact":3600000000000}`), &p)
	fmt.Println(time.Duration(p.FirstContact))
	// Output:
	// {"first_contact":"24h0m0s"}
	// 1h30m0s
	// 1h0m0s
}
