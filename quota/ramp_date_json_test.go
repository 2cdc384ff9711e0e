package quota_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A ramp's start may be a date alone in JSON, the rep's first day in the
// ramp's zone, where an instant at midnight UTC would be the day before
// west of UTC; it encodes as the instant that day starts there.
func TestRampJSONDateStart(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	var r quota.Ramp
	require.NoError(t, json.Unmarshal([]byte(`{"rep": "joe", "start": "2027-01-01", "time_zone": "America/New_York"}`), &r))
	assert.True(t, r.Start.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, ny)), "start %v", r.Start)
	assert.Equal(t, "America/New_York", r.Start.Location().String())

	raw, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"start":"2027-01-01T00:00:00-05:00"`)
	var back quota.Ramp
	require.NoError(t, json.Unmarshal(raw, &back))
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(raw), string(again))

	// Without a zone the date is taken in UTC; midnight may not exist in
	// the zone (Santiago springs forward at midnight), the day starts at
	// the end of the gap.
	require.NoError(t, json.Unmarshal([]byte(`{"rep": "joe", "start": "2027-01-01"}`), &r))
	assert.True(t, r.Start.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, json.Unmarshal([]byte(`{"rep": "joe", "start": "2026-09-06", "time_zone": "America/Santiago"}`), &r))
	assert.Equal(t, sp.DayStart(2026, time.September, 6, r.Location), r.Start)
	assert.Equal(t, 6, r.Start.Day())

	// An instant is taken as before.
	require.NoError(t, json.Unmarshal([]byte(`{"rep": "joe", "start": "2027-01-01T23:30:00Z", "time_zone": "Europe/Berlin"}`), &r))
	assert.True(t, r.Start.Equal(time.Date(2027, 1, 1, 23, 30, 0, 0, time.UTC)))

	// What is neither is refused naming the member, the ramp unchanged.
	before := r
	for _, start := range []string{`"2027-13-01"`, `"2027-1-01x"`, `"01/02/2027"`, `"2027-01-01T25:00:00Z"`, `17`, `"2027-02-30"`} {
		err := json.Unmarshal([]byte(`{"rep": "joe", "start": `+start+`}`), &r)
		var ve *sp.ValidationError
		if assert.Error(t, err, start) {
			assert.ErrorIs(t, err, sp.ErrInvalid, start)
			assert.True(t, errors.As(err, &ve) && ve.Field == "ramp.start", "%s: %v", start, err)
		}
		assert.Equal(t, before, r, start)
	}
}
