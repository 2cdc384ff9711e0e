package salesprocess_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// TestRepJSONHired checks that a rep's unknown hiring time is left out of
// its JSON form, that one that is known comes last, that the form earlier
// versions wrote (the zero time written out) reads as zero, and that each
// round-trips to equal values and the same bytes.
func TestRepJSONHired(t *testing.T) {
	hired := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		rep    sp.Rep
		golden string
		legacy string
	}{
		"unknown": {
			rep:    sp.Rep{ID: "r1", Name: "Ann", Region: "north"},
			golden: `{"id":"r1","name":"Ann","region":"north"}`,
			legacy: `{"id":"r1","name":"Ann","region":"north","hired":"0001-01-01T00:00:00Z"}`,
		},
		"known": {
			rep:    sp.Rep{ID: "r1", Name: "Ann", Hired: hired},
			golden: `{"id":"r1","name":"Ann","hired":"2025-03-01T08:00:00Z"}`,
			legacy: `{"id":"r1","hired":"2025-03-01T08:00:00Z","name":"Ann"}`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := json.Marshal(tc.rep)
			require.NoError(t, err)
			assert.Equal(t, tc.golden, string(raw))
			for _, doc := range []string{tc.golden, tc.legacy} {
				var got sp.Rep
				require.NoError(t, json.Unmarshal([]byte(doc), &got), doc)
				assert.Equal(t, tc.rep, got, doc)
				again, err := json.Marshal(got)
				require.NoError(t, err)
				assert.Equal(t, tc.golden, string(again), doc)
			}
		})
	}
}

// TestRepJSONHiredFar checks that a hiring time JSON cannot write is an
// error wrapping ErrInvalid that names the member.
func TestRepJSONHiredFar(t *testing.T) {
	_, err := json.Marshal(sp.Rep{ID: "r1", Name: "Ann", Hired: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "rep.hired", ve.Field)
}

// TestEntityJSONLeavesEscapingToTheEncoder checks that the MarshalJSON
// methods of Rep and Region leave the escaping of <, > and & to the
// encoder that calls them, as encoding/json does for a type without one.
func TestEntityJSONLeavesEscapingToTheEncoder(t *testing.T) {
	for name, tc := range map[string]struct {
		v    any
		text string
	}{
		"rep":    {sp.Rep{ID: "r1", Name: "Ann <Sales & Co>"}, "Ann <Sales & Co>"},
		"region": {sp.Region{ID: "north", Name: "North <& Isles>"}, "North <& Isles>"},
	} {
		raw, err := json.Marshal(tc.v)
		require.NoError(t, err, name)
		assert.NotContains(t, string(raw), "<", name)
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(tc.v), name)
		assert.Contains(t, b.String(), tc.text, name)
	}
}
