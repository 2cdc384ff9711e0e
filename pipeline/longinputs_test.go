package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// longest returns an ID of [sp.MaxIDLength] bytes beginning with prefix.
func longest(prefix string) string { return prefix + strings.Repeat("x", sp.MaxIDLength-len(prefix)) }

// filled returns n bytes of text beginning with prefix.
func filled(prefix string, n int) string { return prefix + strings.Repeat("y", n-len(prefix)) }

// Every command runs on records whose IDs all have the longest length,
// with texts at their bounds (reasons, loss details, outcomes, notes, a
// pipeline's name and stage keys and names, 1000 pieces of feedback at a
// follow-up), by a manager of regions of the longest IDs and with
// idempotency keys of the longest length, each retried: every command
// succeeds, its retry returns the same, and every event is valid and
// decodes.
func TestCommandsOnLongestInputs(t *testing.T) {
	ctx := context.Background()
	key := func(prefix string) string { return string(filled(prefix, 256)) }
	stage := func(prefix string) pipeline.DealStage {
		return pipeline.DealStage(prefix + strings.Repeat("s", 64-len(prefix)))
	}
	open, won, lost := stage("open_"), stage("won_"), stage("lost_")
	def, err := pipeline.NewDefinition(pipeline.Spec{Name: filled("pipeline ", 256), Stages: []pipeline.StageSpec{
		{Key: open, Name: filled("open ", 256), Order: 1, Probability: decimal.RequireFromString("0.5"), Kind: pipeline.KindOpen},
		{Key: won, Name: filled("won ", 256), Order: 2, Kind: pipeline.KindWon},
		{Key: lost, Name: filled("lost ", 256), Order: 3, Kind: pipeline.KindLost},
	}, Reopen: []pipeline.Move{{From: lost, To: open}}})
	require.NoError(t, err)
	s := pipelinetest.NewScenario(t, &pipeline.Options{Pipelines: []*pipeline.Definition{def}})
	region, other := sp.RegionID(longest("region-")), sp.RegionID(longest("other-"))
	by := sp.ManagerActor(sp.ActorID(longest("manager-")), region, other)
	rep, rep2 := sp.RepID(longest("rep-")), sp.RepID(longest("rep2-"))
	product, channel := sp.ProductID(longest("product-")), sp.ChannelID(longest("channel-"))
	reason := filled("reason ", 1024)
	n := 0
	opts := func() *pipeline.CommandOptions {
		n++
		return &pipeline.CommandOptions{IdempotencyKey: key(fmt.Sprintf("key-%02d ", n)), Reason: reason}
	}
	activity := func(prefix string, done bool) pipeline.Activity {
		a := pipeline.Activity{ID: longest(prefix), Kind: pipeline.ActivityVisit, Actor: sp.ActorID(rep),
			Outcome: filled("outcome ", 1024), Notes: filled("notes ", 8192)}
		if done {
			a.Done = pipelinetest.Epoch()
		} else {
			// The notes of its completion are appended after a line break.
			a.Due, a.Notes = time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC), filled("notes ", 4096)
		}
		return a
	}
	// twice runs a command and its retry with the same key, which must
	// return the same.
	twice := func(name string, run func(o *pipeline.CommandOptions) (any, error)) {
		t.Helper()
		o := opts()
		first, err := run(o)
		require.NoError(t, err, name)
		again, err := run(o)
		require.NoError(t, err, name+" retried")
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(again)
		require.JSONEq(t, string(a), string(b), name+" retried")
	}

	inquiryID := sp.InquiryID(longest("inquiry-"))
	in := pipeline.Inquiry{ID: inquiryID, Channel: channel, Campaign: sp.CampaignID(longest("campaign-")), Region: region,
		Product: product, Customer: sp.CustomerID(longest("customer-")), Owner: rep, Locality: filled("locality ", 256)}
	twice("receive", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.ReceiveInquiry(ctx, by, in, o) })
	twice("assign inquiry", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.AssignInquiry(ctx, by, inquiryID, rep2, o)
	})
	twice("log inquiry activity", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.LogInquiryActivity(ctx, by, inquiryID, activity("planned-", false), o)
	})
	twice("complete inquiry activity", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.CompleteInquiryActivity(ctx, by, inquiryID, longest("planned-"),
			pipeline.ActivityCompletion{Outcome: filled("outcome ", 1024), Notes: filled("notes ", 4095)}, o)
	})
	twice("contact", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.Contact(ctx, by, inquiryID, activity("call-", true), o)
	})
	twice("disqualify", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.Disqualify(ctx, by, inquiryID, filled("no budget ", 1024), o)
	})
	twice("reopen inquiry", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.ReopenInquiry(ctx, by, inquiryID, o) })
	twice("contact again", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.Contact(ctx, by, inquiryID, activity("call-again-", true), o)
	})
	twice("qualify", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.Qualify(ctx, by, inquiryID, o) })
	var dealID sp.DealID
	twice("convert", func(o *pipeline.CommandOptions) (any, error) {
		in, d, err := s.Engine.Convert(ctx, by, inquiryID, pipeline.Conversion{Pipeline: def.Name(), Terms: pipeline.Terms{
			Amount: pipelinetest.MustEUR("1000.00"), ExpectedClose: time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)}}, o)
		dealID = d.ID
		return []any{in, d}, err
	})
	require.Len(t, string(dealID), sp.MaxIDLength)
	twice("assign deal", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.AssignDeal(ctx, by, dealID, rep, o) })
	twice("log deal activity", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.LogDealActivity(ctx, by, dealID, activity("meeting-", false), o)
	})
	twice("complete deal activity", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.CompleteDealActivity(ctx, by, dealID, longest("meeting-"), pipeline.ActivityCompletion{Outcome: filled("outcome ", 1024)}, o)
	})
	twice("override", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.OverrideProbability(ctx, by, dealID, decimal.RequireFromString("0.75"), o)
	})
	twice("reset", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.ResetProbability(ctx, by, dealID, o) })
	twice("lose", func(o *pipeline.CommandOptions) (any, error) {
		o.Reason = ""
		return s.Engine.Lose(ctx, by, dealID, pipeline.LossReason{Category: pipeline.LossNoDecision, Detail: filled("lost ", 1024)}, o)
	})
	twice("reopen deal", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.ReopenDeal(ctx, by, dealID, open, o) })
	lines := make([]pipeline.Line, 1000)
	for i := range lines {
		lines[i] = pipeline.Line{Product: sp.ProductID(longest(fmt.Sprintf("line-%03d-", i))), Quantity: 1, UnitPrice: pipelinetest.MustEUR("1.00")}
	}
	twice("set terms", func(o *pipeline.CommandOptions) (any, error) {
		return s.Engine.SetTerms(ctx, by, dealID, pipeline.Terms{Lines: lines, ExpectedClose: time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)}, o)
	})
	twice("win", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.Win(ctx, by, dealID, o) })
	twice("deliver", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.Deliver(ctx, by, dealID, o) })
	feedback := make([]sp.Feedback, 1000)
	for i := range feedback {
		feedback[i] = sp.Feedback{ID: sp.FeedbackID(longest(fmt.Sprintf("feedback-%03d-", i))), Rating: 1 + i%5,
			Category: sp.FeedbackQuality, Text: filled("feedback ", 8192)}
	}
	twice("follow up", func(o *pipeline.CommandOptions) (any, error) { return s.Engine.FollowUp(ctx, by, dealID, feedback, o) })

	d, err := s.Engine.GetDeal(ctx, dealID)
	require.NoError(t, err)
	assert.Len(t, d.Service.Feedback, 1000)
	events := s.Events.Events()
	require.NotEmpty(t, events)
	for _, e := range events {
		require.NoError(t, e.Validate(), e.ID)
		var err error
		if strings.HasPrefix(e.Type, "pipeline.deal.") {
			err = json.Unmarshal(e.Data, new(pipeline.DealEvent))
		} else {
			err = json.Unmarshal(e.Data, new(pipeline.InquiryEvent))
		}
		require.NoError(t, err, e.ID)
	}
	assert.Equal(t, pipeline.EventDealFollowedUp, events[len(events)-1].Type)
}
