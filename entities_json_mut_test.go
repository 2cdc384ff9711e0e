package salesprocess_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// Rep's and Region's MarshalJSON, called directly, return the compact
// form json.Marshal returns, with no trailing newline and the texts as
// they are, leaving the escaping of <, > and & to the encoder.
func TestEntityMarshalJSONDirectForm(t *testing.T) {
	hired := time.Date(2024, time.March, 1, 9, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		v    json.Marshaler
		want string
	}{
		"rep_hired":   {sp.Rep{ID: "r1", Name: "Ann <Sales & Co>", Hired: hired}, `"hired":"2024-03-01T09:00:00Z"}`},
		"rep_unknown": {sp.Rep{ID: "r1", Name: "Ann <Sales & Co>"}, `"name":"Ann <Sales & Co>"`},
		"region":      {sp.Region{ID: "north", Name: "North <& Isles>"}, `"name":"North <& Isles>"`},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := tc.v.MarshalJSON()
			require.NoError(t, err)
			assert.True(t, json.Valid(raw))
			assert.NotContains(t, string(raw), "\n")
			assert.Contains(t, string(raw), tc.want)
			viaMarshal, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.JSONEq(t, string(viaMarshal), string(raw))
		})
	}
}
