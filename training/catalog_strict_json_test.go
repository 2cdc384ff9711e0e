package training_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The catalogue's types, written by a person as configuration, refuse a
// member they do not know, at each level, naming it and changing nothing;
// the records stay lenient.
func TestCatalogJSONStrict(t *testing.T) {
	const module = `{"id":"m1","kind":"product","product":"p1","assessment":{"max_score":10,"pass_mark":7}}`
	const curriculum = `{"id":"c1","product":"p1","modules":["m1"],"valid_months":12}`
	for _, tt := range []struct {
		name, kept, doc, field string
		decode                 func(kept, doc string) (before, after any, err error)
	}{
		{"module", module, `{"id":"m1","kind":"product","titel":"x"}`, "module.titel", decodeBoth[training.Module]},
		{"module_assessment", module, `{"id":"m1","assessment":{"max_score":10,"pass_mrk":7}}`, "module.assessment.pass_mrk", decodeBoth[training.Module]},
		{"assessment", `{"max_score":10}`, `{"max_score":10,"attempts":3}`, "assessment.attempts", decodeBoth[training.Assessment]},
		{"curriculum", curriculum, `{"id":"c1","modules":["m1"],"valid_month":12}`, "curriculum.valid_month", decodeBoth[training.Curriculum]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, after, err := tt.decode(tt.kept, tt.doc)
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			var ve *salesprocess.ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			assert.Equal(t, tt.field, ve.Field)
			assert.Equal(t, "unknown field", ve.Reason)
			assert.Equal(t, before, after, "a refused document changes nothing")
		})
	}
	var m training.Module
	require.NoError(t, json.Unmarshal([]byte(module), &m), "a known document decodes")
	assert.Equal(t, training.ModuleID("m1"), m.ID)
	var a training.Attempt
	require.NoError(t, json.Unmarshal([]byte(`{"id":"a1","later_field":1}`), &a), "a record ignores a member it does not know")
}

// decodeBoth decodes kept into a T, then doc into it, and returns the T
// before and after doc with doc's error.
func decodeBoth[T any](kept, doc string) (before, after any, err error) {
	var v, want T
	if err := json.Unmarshal([]byte(kept), &v); err != nil {
		return nil, nil, err
	}
	_ = json.Unmarshal([]byte(kept), &want)
	err = json.Unmarshal([]byte(doc), &v)
	return want, v, err
}
