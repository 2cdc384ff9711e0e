package pipeline_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/salesprocess/salesprocess/pipeline"
)

// The sequences of a machine and a definition, which are immutable, may be
// iterated again and give the same, as their docs say.
func TestMachineAndDefinitionSequencesAreReusable(t *testing.T) {
	m := pipeline.NewInquiryMachine()
	first := slices.Collect(m.Stages())
	assert.NotEmpty(t, first)
	assert.Equal(t, first, slices.Collect(m.Stages()))
	edges := slices.Collect(m.Edges())
	assert.NotEmpty(t, edges)
	assert.Equal(t, edges, slices.Collect(m.Edges()))

	d := pipeline.DefaultDefinition()
	var keys, again []pipeline.DealStage
	for st := range d.Stages() {
		keys = append(keys, st.Key)
	}
	for st := range d.Stages() {
		again = append(again, st.Key)
	}
	assert.Len(t, keys, 6)
	assert.Equal(t, keys, again)
}
