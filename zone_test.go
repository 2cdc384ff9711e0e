package salesprocess_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// LoadZone reads a zone by its IANA name as the module's JSON forms do, and
// ValidateZone refuses what would not read back by name.
func TestLoadAndValidateZone(t *testing.T) {
	berlin, err := sp.LoadZone("Europe/Berlin")
	require.NoError(t, err)
	assert.Equal(t, "Europe/Berlin", berlin.String())
	for _, name := range []string{"", "Local", "Mars/Olympus_Mons"} {
		_, err := sp.LoadZone(name)
		assert.ErrorIs(t, err, sp.ErrInvalid, "%q", name)
	}
	_, err = sp.LoadZone("Local")
	assert.Contains(t, err.Error(), `"Local"`)

	for _, loc := range []*time.Location{nil, time.UTC, berlin, time.FixedZone("Etc/GMT-1", 3600)} {
		assert.NoError(t, sp.ValidateZone(loc), "%v", loc)
	}
	for _, loc := range []*time.Location{machineLocal, time.FixedZone("", 3600), time.FixedZone("Europe/Berlin", 3600), time.FixedZone("CET+1", 3600)} {
		err := sp.ValidateZone(loc)
		var ve *sp.ValidationError
		assert.True(t, errors.As(err, &ve) && errors.Is(err, sp.ErrInvalid), "%v: %v", loc, err)
	}
	// What ValidateZone takes, LoadZone reads back.
	l, err := sp.LoadZone(berlin.String())
	require.NoError(t, err)
	assert.Equal(t, berlin.String(), l.String())
}

// tzif returns a time zone file (TZif, version 1) of two zones, +01:00
// and +02:00 from 1970 on, as time.LoadLocationFromTZData reads one.
func tzif() []byte {
	b := append([]byte("TZif"), make([]byte, 16)...) // version 1, reserved
	for _, n := range []uint32{0, 0, 0, 1, 2, 4} {   // UT/local and standard/wall indicators, leap seconds, transitions, types, abbreviation bytes
		b = binary.BigEndian.AppendUint32(b, n)
	}
	b = binary.BigEndian.AppendUint32(b, 0) // the transition, at 1970-01-01
	b = append(b, 1)                        // to the second type
	b = binary.BigEndian.AppendUint32(b, 3600)
	b = append(b, 0, 0) // not daylight saving time, abbreviation "A"
	b = binary.BigEndian.AppendUint32(b, 7200)
	b = append(b, 1, 2) // daylight saving time, abbreviation "B"
	return append(b, "A\x00B\x00"...)
}

// A location with transitions under a name that does not load, as one
// read from a file of the host's own or time.Local where TZ is a file's
// path, is refused: its text and JSON forms would not read back. One
// under the name of an IANA zone is taken to be that zone.
func TestZoneWithTransitionsMustHaveAName(t *testing.T) {
	for _, name := range []string{"Mars/Olympus_Mons", "/usr/share/zoneinfo/Europe/Berlin"} {
		loc, err := time.LoadLocationFromTZData(name, tzif())
		require.NoError(t, err)
		_, end := time.Time{}.In(loc).ZoneBounds()
		require.False(t, end.IsZero(), "the location has a transition")
		err = sp.ValidateZone(loc)
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		assert.Contains(t, err.Error(), sp.Quote(name)+", which is not the name of an IANA time zone")
		assert.ErrorIs(t, sp.Month(2026, 11, loc).Validate(), sp.ErrInvalid, name)
		_, err = sp.Month(2026, 11, loc).MarshalText()
		assert.ErrorIs(t, err, sp.ErrInvalid, name)
		_, err = json.Marshal(sp.Region{ID: "r", Name: "R", Location: loc})
		assert.ErrorIs(t, err, sp.ErrInvalid, name)
	}
	loc, err := time.LoadLocationFromTZData("Europe/Berlin", tzif())
	require.NoError(t, err)
	require.NoError(t, sp.ValidateZone(loc))
	text, err := sp.Month(2026, 11, loc).MarshalText()
	require.NoError(t, err)
	var p sp.Period
	require.NoError(t, p.UnmarshalText(text))
	assert.Equal(t, "Europe/Berlin", p.Location().String())
}
