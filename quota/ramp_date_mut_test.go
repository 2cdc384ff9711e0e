package quota_test

import (
	"encoding/json"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRampJSONDateStartZones checks that a date alone is the day's start
// in the ramp's own zone, east and west of UTC, kept in that zone; that a
// ramp refused after its start was read (an unknown zone, a decimal
// written out beyond the bound) is left unchanged; and what a start that
// is neither a date nor an instant is told, whatever its length.
func TestRampJSONDateStartZones(t *testing.T) {
	for _, zone := range []string{"Pacific/Honolulu", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"} {
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		var r quota.Ramp
		require.NoError(t, json.Unmarshal([]byte(`{"rep":"joe","start":"2027-03-01","time_zone":"`+zone+`"}`), &r))
		assert.True(t, r.Start.Equal(time.Date(2027, time.March, 1, 0, 0, 0, 0, loc)), "%s: %v", zone, r.Start)
		assert.Equal(t, zone, r.Start.Location().String(), zone)
		y, m, d := r.Start.Date()
		assert.Equal(t, []int{2027, 3, 1}, []int{y, int(m), d}, zone)
	}

	before := quota.Ramp{Rep: "eva", Start: time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)}
	for _, doc := range []string{
		`{"rep":"joe","start":"2027-01-01","time_zone":"Mars/Olympus_Mons"}`,
		`{"rep":"joe","start":"2027-01-01","time_zone":"Local"}`,
		`{"rep":"joe","start":"2027-01-01","steps":["1e-9999"]}`,
	} {
		r := before
		require.ErrorIs(t, json.Unmarshal([]byte(doc), &r), sp.ErrInvalid, doc)
		assert.Equal(t, before, r, doc)
	}

	for start, want := range map[string]string{
		`"2027-02-30"`: `invalid ramp.start: "2027-02-30" is not a date (2006-01-02) or an RFC 3339 time`,
		`202701010000`: `invalid ramp.start: want a time in RFC 3339 format in a JSON string`,
		`[1,2,3,4,55]`: `invalid ramp.start: want a time in RFC 3339 format in a JSON string`,
	} {
		r := before
		assert.EqualError(t, json.Unmarshal([]byte(`{"rep":"joe","start":`+start+`}`), &r), want, start)
		assert.Equal(t, before, r, start)
	}
}
