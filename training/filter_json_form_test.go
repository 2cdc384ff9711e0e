package training_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/training"
)

// Each zero member of a CertificateFilter is left out of its JSON form,
// whichever of the others is set.
func TestCertificateFilterJSONLeavesOutEachZeroMember(t *testing.T) {
	for _, c := range []struct {
		f    training.CertificateFilter
		want string
	}{
		{training.CertificateFilter{}, `{}`},
		{training.CertificateFilter{Rep: "r1"}, `{"rep":"r1"}`},
		{training.CertificateFilter{Product: "p1"}, `{"product":"p1"}`},
		{training.CertificateFilter{Expiring: march}, `{"expiring":"2026-03"}`},
	} {
		data, err := json.Marshal(c.f)
		require.NoError(t, err)
		assert.Equal(t, c.want, string(data))
	}
}
