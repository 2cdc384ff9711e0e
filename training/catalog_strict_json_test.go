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
// member they do not know, and one given twice, by the same key or by one
// that encoding/json matches to the same field, at each level, naming it
// and changing nothing; the records stay lenient.
func TestCatalogJSONStrict(t *testing.T) {
	const module = `{"id":"m1","kind":"product","product":"p1","assessment":{"max_score":10,"pass_mark":7}}`
	const curriculum = `{"id":"c1","product":"p1","modules":["m1"],"valid_months":12}`
	for _, tt := range []struct {
		name, kept, doc, field, reason string
		decode                         func(kept, doc string) (before, after any, err error)
	}{
		{"module", module, `{"id":"m1","kind":"product","titel":"x"}`, "module.titel", "unknown field", decodeBoth[training.Module]},
		{"module_assessment", module, `{"id":"m1","assessment":{"max_score":10,"pass_mrk":7}}`, "module.assessment.pass_mrk", "unknown field", decodeBoth[training.Module]},
		{"assessment", `{"max_score":10}`, `{"max_score":10,"attempts":3}`, "assessment.attempts", "unknown field", decodeBoth[training.Assessment]},
		{"curriculum", curriculum, `{"id":"c1","modules":["m1"],"valid_month":12}`, "curriculum.valid_month", "unknown field", decodeBoth[training.Curriculum]},
		{"module_twice", module, `{"id":"m1","title":"a","title":"b"}`, "module.title", "given twice", decodeBoth[training.Module]},
		{"module_twice_other_case", module, `{"id":"m1","title":"a","Title":"b"}`, "module.Title", "given twice, first as title", decodeBoth[training.Module]},
		{"module_assessment_twice", module, `{"id":"m1","assessment":{"max_score":10},"Assessment":{"max_score":9}}`, "module.Assessment", "given twice, first as assessment", decodeBoth[training.Module]},
		{"module_in_assessment_twice", module, `{"id":"m1","assessment":{"max_score":10,"pass_mark":7,"max_score":9}}`, "module.assessment.max_score", "given twice", decodeBoth[training.Module]},
		{"module_in_assessment_twice_other_case", module, `{"id":"m1","assessment":{"pass_mark":7,"PASS_MARK":5}}`, "module.assessment.PASS_MARK", "given twice, first as pass_mark", decodeBoth[training.Module]},
		{"assessment_twice", `{"max_score":10}`, `{"max_attempts":3,"max_attempts":0}`, "assessment.max_attempts", "given twice", decodeBoth[training.Assessment]},
		{"curriculum_twice", curriculum, `{"id":"c1","modules":["m1"],"Modules":["m2"]}`, "curriculum.Modules", "given twice, first as modules", decodeBoth[training.Curriculum]},
		{"curriculum_months_twice", curriculum, `{"id":"c1","valid_months":12,"valid_months":24}`, "curriculum.valid_months", "given twice", decodeBoth[training.Curriculum]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, after, err := tt.decode(tt.kept, tt.doc)
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			var ve *salesprocess.ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			assert.Equal(t, tt.field, ve.Field)
			assert.Equal(t, tt.reason, ve.Reason)
			assert.Equal(t, before, after, "a refused document changes nothing")
		})
	}
	var m training.Module
	require.NoError(t, json.Unmarshal([]byte(module), &m), "a known document decodes")
	assert.Equal(t, training.ModuleID("m1"), m.ID)
	var a training.Attempt
	require.NoError(t, json.Unmarshal([]byte(`{"id":"a1","later_field":1}`), &a), "a record ignores a member it does not know")
	t.Run("ok_once_each", func(t *testing.T) {
		var m training.Module
		require.NoError(t, json.Unmarshal([]byte(`{"ID":"m1","kind":"product","Title":"T","assessment":{"MAX_SCORE":10,"pass_mark":7}}`), &m))
		assert.Equal(t, training.ModuleID("m1"), m.ID)
		assert.Equal(t, training.Assessment{MaxScore: 10, PassMark: 7}, m.Assessment)
		var c training.Curriculum
		require.NoError(t, json.Unmarshal([]byte(curriculum), &c))
		assert.Equal(t, []training.ModuleID{"m1"}, c.Modules)
	})
	t.Run("ok_records_take_the_last", func(t *testing.T) {
		var a training.Attempt
		require.NoError(t, json.Unmarshal([]byte(`{"id":"a1","ID":"a2"}`), &a))
		assert.Equal(t, training.AttemptID("a2"), a.ID)
	})
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
