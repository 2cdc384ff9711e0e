package pipeline_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
)

// The JSON form of the default spec, member by member: a host that keeps
// its pipelines in configuration files sees this text, so the members
// left out when zero (the name, backward, a nil moves) stay left out.
func TestSpecJSONDefaultForm(t *testing.T) {
	data, err := json.Marshal(pipeline.DefaultSpec())
	require.NoError(t, err)
	assert.Equal(t, `{"stages":[`+
		`{"key":"prospecting","name":"Prospecting","order":1,"probability":"0.1","kind":"open"},`+
		`{"key":"qualification","name":"Qualification","order":2,"probability":"0.2","kind":"open"},`+
		`{"key":"proposal","name":"Proposal","order":3,"probability":"0.5","kind":"open"},`+
		`{"key":"negotiation","name":"Negotiation","order":4,"probability":"0.8","kind":"open"},`+
		`{"key":"won","name":"Won","order":5,"probability":"1","kind":"won"},`+
		`{"key":"lost","name":"Lost","order":6,"probability":"0","kind":"lost"}],`+
		`"reopen":[{"from":"won","to":"prospecting"},{"from":"won","to":"qualification"},{"from":"won","to":"proposal"},{"from":"won","to":"negotiation"},`+
		`{"from":"lost","to":"prospecting"},{"from":"lost","to":"qualification"},{"from":"lost","to":"proposal"},{"from":"lost","to":"negotiation"}]}`,
		string(data))
}

// A stage of order 0 is written with its order, as every stage is: the
// orders of a spec read in its configuration file all along.
func TestSpecJSONWritesOrderZero(t *testing.T) {
	data, err := json.Marshal(pipeline.StageSpec{Key: "talk", Kind: pipeline.KindOpen})
	require.NoError(t, err)
	assert.Equal(t, `{"key":"talk","order":0,"probability":"0","kind":"open"}`, string(data))
}

// A spec without stages, invalid, is written with an empty list of them,
// as a list is never null, and null, as earlier versions wrote it, reads
// back to the same spec.
func TestSpecJSONWritesNoStagesEmpty(t *testing.T) {
	data, err := json.Marshal(pipeline.Spec{Name: "empty"})
	require.NoError(t, err)
	assert.Equal(t, `{"name":"empty","stages":[]}`, string(data))
	for _, doc := range []string{string(data), `{"name":"empty","stages":null}`} {
		var s pipeline.Spec
		require.NoError(t, json.Unmarshal([]byte(doc), &s), doc)
		again, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(data), string(again), doc)
	}
}
