package salesprocess_test

import (
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
