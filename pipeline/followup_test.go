package pipeline_test

import (
	"context"
	"testing"
	"time"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An activity dated before the inquiry arrived is no response to it: the
// first contact is the first one at or after receipt.
func TestFirstContactIgnoresActivitiesBeforeReceipt(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch() // received at 09:00
	in := pipelinetest.NewInquiry("i1")
	in.Activities = []pipeline.Activity{{ID: "old-call", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: ep.Add(-time.Hour)}}
	_, err := e.ReceiveInquiry(ctx, system, in, nil)
	require.NoError(t, err)

	got, err := e.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	_, ok := pipeline.FirstContact(got)
	assert.False(t, ok, "a call at 08:00 does not answer an inquiry of 09:00")
	_, ok = pipeline.FirstResponse(got)
	assert.False(t, ok)
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 24 * time.Hour}
	due, first, ok := p.Due(got)
	assert.True(t, ok)
	assert.True(t, first, "it still awaits its first contact")
	assert.Equal(t, ep.Add(4*time.Hour), due)

	s.Clock.Set(ep.Add(2 * time.Hour)) // contacted at 11:00
	got, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	fc, ok := pipeline.FirstContact(got)
	require.True(t, ok)
	assert.Equal(t, ep.Add(2*time.Hour), fc)
	resp, ok := pipeline.FirstResponse(got)
	require.True(t, ok)
	assert.Equal(t, 2*time.Hour, resp, "never negative")
}
