package pipeline_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
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

// The zero records are as their docs say: a zero Inquiry or Deal is
// refused by the engine for want of an ID, a zero Line by Total, and a
// zero Service is started in AwaitingDelivery.
func TestZeroRecords(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), pipeline.Inquiry{}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = s.Engine.OpenDeal(ctx, pipelinetest.System(), pipeline.Deal{}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = pipeline.Line{}.Total()
	assert.ErrorIs(t, err, sp.ErrInvalid)

	var svc pipeline.Service
	require.NoError(t, pipeline.NewServiceMachine().Start(&svc, pipeline.Stamp{At: pipelinetest.Epoch(), Actor: "job"}))
	assert.Equal(t, pipeline.ServiceAwaitingDelivery, svc.Stage)
}
