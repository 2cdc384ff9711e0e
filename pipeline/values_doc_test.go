package pipeline_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

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

// The zero values of the pipeline's declarations are refused when a
// machine or a definition is built from them, as their docs say.
func TestZeroDeclarationsAreRefused(t *testing.T) {
	type spec = pipeline.MachineSpec[pipeline.InquiryStage, *pipeline.Inquiry]
	valid := func() spec {
		return spec{
			Name:    "m",
			Initial: pipeline.InquiryNew,
			Stages: []pipeline.StageDef[pipeline.InquiryStage, *pipeline.Inquiry]{
				{Stage: pipeline.InquiryNew}, {Stage: pipeline.InquiryContacted, Terminal: true},
			},
			Edges: []pipeline.EdgeDef[pipeline.InquiryStage, *pipeline.Inquiry]{
				{From: pipeline.InquiryNew, To: pipeline.InquiryContacted},
			},
		}
	}
	_, err := pipeline.NewMachine(valid())
	require.NoError(t, err)
	withDef := func(f func(*spec)) spec { s := valid(); f(&s); return s }
	withSpec := func(f func(*pipeline.Spec)) pipeline.Spec { s := pipeline.DefaultSpec(); f(&s); return s }
	_, err = pipeline.NewDefinition(pipeline.DefaultSpec())
	require.NoError(t, err)

	for name, s := range map[string]spec{
		"MachineSpec": {},
		"StageDef": withDef(func(s *spec) {
			s.Stages = append(s.Stages, pipeline.StageDef[pipeline.InquiryStage, *pipeline.Inquiry]{})
		}),
		"EdgeDef": withDef(func(s *spec) { s.Edges = append(s.Edges, pipeline.EdgeDef[pipeline.InquiryStage, *pipeline.Inquiry]{}) }),
		"Guard":   withDef(func(s *spec) { s.Stages[1].Guards = []pipeline.Guard[pipeline.InquiryStage, *pipeline.Inquiry]{{}} }),
		"Hook":    withDef(func(s *spec) { s.Stages[1].OnEnter = []pipeline.Hook[pipeline.InquiryStage, *pipeline.Inquiry]{nil} }),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pipeline.NewMachine(s)
			assert.ErrorIs(t, err, sp.ErrInvalid)
		})
	}
	for name, s := range map[string]pipeline.Spec{
		"Spec":      {},
		"StageSpec": withSpec(func(s *pipeline.Spec) { s.Stages = append(s.Stages, pipeline.StageSpec{}) }),
		"Move":      withSpec(func(s *pipeline.Spec) { s.Moves = []pipeline.Move{{}} }),
		"Gate":      withSpec(func(s *pipeline.Spec) { s.Stages[0].Gates = []pipeline.Gate{{}} }),
		"Hook":      withSpec(func(s *pipeline.Spec) { s.Stages[0].OnExit = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{nil} }),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pipeline.NewDefinition(s)
			assert.ErrorIs(t, err, sp.ErrInvalid)
		})
	}
}

// The zero values of the pipeline's other types are as their docs say.
func TestZeroValues(t *testing.T) {
	ctx := context.Background()

	t.Run("Stamp_Transition", func(t *testing.T) {
		// A machine records the zero Stamp as given; the history it makes,
		// at the zero time, is one CheckHistory refuses, as a history of a
		// zero Transition is.
		var in pipeline.Inquiry
		require.NoError(t, pipeline.NewInquiryMachine().Start(&in, pipeline.Stamp{}))
		require.Len(t, in.History, 1)
		assert.True(t, in.History[0].At.IsZero())
		assert.Empty(t, in.History[0].Actor)
		assert.ErrorIs(t, pipeline.CheckHistory(in.Stage, in.History), sp.ErrInvalid)
		assert.ErrorIs(t, pipeline.CheckHistory("", []pipeline.Transition[pipeline.InquiryStage]{{}}), sp.ErrInvalid)
	})
	t.Run("Edge", func(t *testing.T) {
		for e := range pipeline.NewInquiryMachine().Edges() {
			assert.NotEqual(t, pipeline.Edge[pipeline.InquiryStage]{}, e)
		}
		for e := range pipeline.DefaultDefinition().Machine().Edges() {
			assert.NotEqual(t, pipeline.Edge[pipeline.DealStage]{}, e)
		}
	})
	t.Run("Target", func(t *testing.T) {
		var p pipeline.DefaultPolicy
		assert.NoError(t, p.Authorize(ctx, pipelinetest.Admin(), pipeline.CmdWin, pipeline.Target{}))
		assert.NoError(t, p.Authorize(ctx, pipelinetest.System(), pipeline.CmdWin, pipeline.Target{}))
		assert.ErrorIs(t, p.Authorize(ctx, pipelinetest.Rep(pipelinetest.RepAnn), pipeline.CmdWin, pipeline.Target{}), sp.ErrForbidden)
		assert.ErrorIs(t, p.Authorize(ctx, pipelinetest.Manager(pipelinetest.RegionNorth), pipeline.CmdWin, pipeline.Target{}), sp.ErrForbidden)
	})
	t.Run("FollowUpPolicy_Overdue", func(t *testing.T) {
		var p pipeline.FollowUpPolicy
		assert.NoError(t, p.Validate())
		in := pipelinetest.NewInquiry("inq-1")
		require.NoError(t, pipeline.NewInquiryMachine().Start(&in, pipeline.Stamp{At: in.Received, Actor: "job"}))
		_, _, ok := p.Due(in)
		assert.False(t, ok)
		o, late := p.Check(in, in.Received.AddDate(1, 0, 0))
		assert.False(t, late)
		assert.Equal(t, pipeline.Overdue{}, o)
		n := 0
		for range p.Overdue(func(yield func(pipeline.Inquiry, error) bool) { yield(in, nil) }, in.Received.AddDate(1, 0, 0)) {
			n++
		}
		assert.Zero(t, n)
		// A policy that sets limits returns the zero Overdue with false too.
		o, late = pipeline.FollowUpPolicy{FirstContact: time.Hour}.Check(in, in.Received)
		assert.False(t, late)
		assert.Equal(t, pipeline.Overdue{}, o)
	})
	t.Run("Filters", func(t *testing.T) {
		in := pipelinetest.NewInquiry("inq-1")
		in.Stage = pipeline.InquiryQualified
		assert.True(t, pipeline.InquiryFilter{}.Match(in))
		assert.True(t, pipeline.InquiryFilter{}.Match(pipeline.Inquiry{}))
		d := pipelinetest.NewDeal("deal-1")
		d.Stage = pipeline.DealProposal
		assert.True(t, pipeline.DealFilter{}.Match(d))
		assert.True(t, pipeline.DealFilter{}.Match(pipeline.Deal{}))
	})
	t.Run("TransitionError", func(t *testing.T) {
		var e pipeline.TransitionError
		assert.ErrorIs(t, &e, sp.ErrInvalidTransition)
		assert.NotEmpty(t, e.Error())
	})
	t.Run("Activity", func(t *testing.T) {
		assert.ErrorIs(t, pipeline.Activity{}.Validate(), sp.ErrInvalid)
		s := pipelinetest.NewScenario(t, nil)
		_, err := s.Receive(ctx, pipelinetest.NewInquiry("inq-1"))
		require.NoError(t, err)
		in, err := s.Engine.Contact(ctx, pipelinetest.System(), "inq-1", pipeline.Activity{}, nil)
		require.NoError(t, err)
		assert.Equal(t, pipeline.InquiryContacted, in.Stage)
		assert.Empty(t, in.Activities)
	})
	t.Run("CommandOptions_Terms_Conversion", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		// The zero CommandOptions are no options: no key, no reason.
		d, err := s.Engine.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal("deal-1"), &pipeline.CommandOptions{})
		require.NoError(t, err)
		require.False(t, d.Amount.IsZero())
		assert.Empty(t, d.History[len(d.History)-1].Reason)
		// The zero Terms leave the deal without lines, amount or expected close.
		d, err = s.Engine.SetTerms(ctx, pipelinetest.System(), "deal-1", pipeline.Terms{}, &pipeline.CommandOptions{})
		require.NoError(t, err)
		assert.True(t, d.Amount.IsZero())
		assert.Empty(t, d.Lines)
		assert.True(t, d.ExpectedClose.IsZero())
		// The zero Conversion gives the deal to the inquiry's owner, on the
		// default pipeline, without an amount.
		in := pipelinetest.NewInquiry("inq-1")
		_, err = s.Receive(ctx, in)
		require.NoError(t, err)
		_, err = s.Engine.Contact(ctx, pipelinetest.System(), "inq-1", pipeline.Activity{}, nil)
		require.NoError(t, err)
		_, err = s.Engine.Qualify(ctx, pipelinetest.System(), "inq-1", nil)
		require.NoError(t, err)
		_, deal, err := s.Engine.Convert(ctx, pipelinetest.System(), "inq-1", pipeline.Conversion{}, nil)
		require.NoError(t, err)
		assert.Equal(t, in.Owner, deal.Owner)
		assert.Empty(t, deal.Pipeline)
		assert.True(t, deal.Amount.IsZero())
		assert.Empty(t, deal.Lines)
	})
}

// The zero outcome and event payloads encode and decode back, and the zero
// Scenario, which has no engine or store, refuses and lists nothing.
func TestZeroPayloadsAndScenario(t *testing.T) {
	for _, v := range []any{&pipeline.Outcome{}, &pipeline.DealEvent{}, &pipeline.InquiryEvent{}} {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, v), "%T", v)
		again, err := json.Marshal(v)
		require.NoError(t, err)
		assert.JSONEq(t, string(data), string(again), "%T", v)
	}

	var s pipelinetest.Scenario
	_, err := s.Receive(context.Background(), pipelinetest.NewInquiry("inq-1"))
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.Nil(t, s.Deals(nil))
	assert.Nil(t, s.Inquiries(nil))
}
