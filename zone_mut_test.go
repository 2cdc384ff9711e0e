package salesprocess_test

import (
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/stretchr/testify/assert"
)

// ValidateZone refuses a fixed zone named as an IANA zone that has its
// offset at first but changes it later, and one named as a fixed IANA zone
// of another offset; a fixed zone named as the fixed IANA zone of its
// offset, UTC among them, passes.
func TestValidateZoneFixed(t *testing.T) {
	for _, loc := range []*time.Location{
		time.FixedZone("Etc/GMT-1", 7200),     // Etc/GMT-1 is +01:00
		time.FixedZone("Etc/GMT-1", -3600),    // and the sign is POSIX's
		time.FixedZone("Antarctica/Casey", 0), // at offset 0 in year 1, then +08:00 from 1969
	} {
		err := sp.ValidateZone(loc)
		assert.ErrorIs(t, err, sp.ErrInvalid, "%v", loc)
	}
	assert.NoError(t, sp.ValidateZone(time.FixedZone("UTC", 0)))
	assert.NoError(t, sp.ValidateZone(time.FixedZone("Etc/GMT+5", -5*3600)))
}
