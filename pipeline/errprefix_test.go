package pipeline_test

import (
	"context"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A refused command's error names the package once, then the command, then
// why: the policy's or the eligibility's own "pipeline: " is not repeated.
func TestRefusalsArePrefixedOnce(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, &pipeline.Options{
		Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}},
	})
	_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)

	_, err = s.Engine.Contact(ctx, pipelinetest.Rep(pipelinetest.RepBob), "i1", pipeline.Activity{}, nil)
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Equal(t, `pipeline: contact inquiry "i1": rep "rep-bob" does not own inquiry "i1": salesprocess: forbidden`, err.Error())

	_, err = s.Engine.ReopenInquiry(ctx, pipelinetest.Rep(pipelinetest.RepAnn), "i1", nil)
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Equal(t, `pipeline: reopen_inquiry inquiry "i1": reopening an inquiry is a manager's act, not rep "rep-ann"'s: salesprocess: forbidden`, err.Error())

	_, err = s.Engine.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Equal(t, `pipeline: assign inquiry "i1": rep "rep-bob" may not own work for product "widget": pipelinetest: rep "rep-bob" is not certified for "widget": salesprocess: forbidden`, err.Error())
}
