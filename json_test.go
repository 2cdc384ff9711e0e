package salesprocess_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestDecodeJSON(t *testing.T) {
	hired := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	held := sp.Rep{ID: "ana", Name: "Ana", Region: "north", Hired: hired}

	t.Run("ok_replaces_the_whole_value", func(t *testing.T) {
		r := held
		require.NoError(t, json.Unmarshal([]byte(`{"id":"ben","name":"Ben"}`), &r))
		assert.Equal(t, sp.Rep{ID: "ben", Name: "Ben"}, r, "fields the document leaves out are zero")
	})
	t.Run("ok_null_leaves_the_value", func(t *testing.T) {
		r := held
		require.NoError(t, json.Unmarshal([]byte(`null`), &r))
		assert.Equal(t, held, r)
	})
	for name, doc := range map[string]string{
		"err_wrong_type":   `{"id":"ben","name":"Ben","hired":17}`,
		"err_bad_value":    `{"id":"ben","name":"Ben","hired":"yesterday"}`,
		"err_not_object":   `["ben"]`,
		"err_late_failure": `{"id":"ben","name":"Ben","region":"south","hired":true}`,
	} {
		t.Run(name, func(t *testing.T) {
			r := held
			err := r.UnmarshalJSON([]byte(doc))
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Equal(t, held, r, "a failed decoding changes nothing")
		})
	}
	t.Run("err_not_a_pointer", func(t *testing.T) {
		var r sp.Rep
		require.ErrorIs(t, sp.DecodeJSON("rep", []byte(`{}`), r), sp.ErrInvalid)
		require.ErrorIs(t, sp.DecodeJSON("rep", []byte(`{}`), (*sp.Rep)(nil)), sp.ErrInvalid)
	})
}
