package pipeline_test

import (
	"context"
	"encoding/json"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastEvent decodes the data of the last event s recorded into a T,
// checking that the event is of type typ.
func lastEvent[T any](t *testing.T, s *pipelinetest.Scenario, typ string) T {
	t.Helper()
	evs := s.Events.Events()
	require.NotEmpty(t, evs)
	ev := evs[len(evs)-1]
	require.Equal(t, typ, ev.Type)
	var data T
	require.NoError(t, json.Unmarshal(ev.Data, &data))
	return data
}

// Each inquiry event that moves the inquiry names the stage it left in
// From, and one that does not move it leaves From empty.
func TestInquiryEventsNameTheStageLeft(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	assert.Empty(t, lastEvent[pipeline.InquiryEvent](t, s, pipeline.EventInquiryReceived).From)

	_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	ev := lastEvent[pipeline.InquiryEvent](t, s, pipeline.EventInquiryContacted)
	assert.Equal(t, pipeline.InquiryNew, ev.From)
	assert.Equal(t, pipeline.InquiryContacted, ev.Stage)

	_, err = e.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	require.NoError(t, err)
	assert.Empty(t, lastEvent[pipeline.InquiryEvent](t, s, pipeline.EventInquiryAssigned).From, "an assignment does not move it")

	_, err = e.Disqualify(ctx, system, "i1", "no budget", nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryContacted, lastEvent[pipeline.InquiryEvent](t, s, pipeline.EventInquiryDisqualified).From)

	_, err = e.ReopenInquiry(ctx, system, "i1", nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryDisqualified, lastEvent[pipeline.InquiryEvent](t, s, pipeline.EventInquiryReopened).From)
}

// The conversion's inquiry event leaves Qualified; the deal's opening
// event carries the command's reason, as every event does.
func TestConversionAndOpeningEvents(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = e.Qualify(ctx, system, "i1", nil)
	require.NoError(t, err)
	_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{}, &pipeline.CommandOptions{Reason: "signed up"})
	require.NoError(t, err)
	ev := lastEvent[pipeline.InquiryEvent](t, s, pipeline.EventInquiryConverted)
	assert.Equal(t, pipeline.InquiryQualified, ev.From)
	assert.Equal(t, pipeline.InquiryConverted, ev.Stage)
	assert.Equal(t, "signed up", ev.Reason)

	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), &pipeline.CommandOptions{Reason: "referral"})
	require.NoError(t, err)
	opened := lastEvent[pipeline.DealEvent](t, s, pipeline.EventDealOpened)
	assert.Equal(t, "referral", opened.Reason)
	assert.Empty(t, opened.From)
}

// A deal lost without a command reason has the loss, as
// "<category>: <detail>", for its event's reason, as its history has; with
// one, the command's reason.
func TestLostEventReason(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	for _, id := range []sp.DealID{"d1", "d2"} {
		_, err := e.OpenDeal(ctx, system, pipelinetest.NewDeal(id), nil)
		require.NoError(t, err)
	}
	loss := pipeline.LossReason{Category: pipeline.LossPrice, Detail: "cheaper elsewhere"}
	d, err := e.Lose(ctx, system, "d1", loss, nil)
	require.NoError(t, err)
	want := string(pipeline.LossPrice) + ": cheaper elsewhere"
	assert.Equal(t, want, d.History[len(d.History)-1].Reason)
	assert.Equal(t, want, lastEvent[pipeline.DealEvent](t, s, pipeline.EventDealLost).Reason)

	_, err = e.Lose(ctx, system, "d2", loss, &pipeline.CommandOptions{Reason: "budget frozen"})
	require.NoError(t, err)
	assert.Equal(t, "budget frozen", lastEvent[pipeline.DealEvent](t, s, pipeline.EventDealLost).Reason)
}
