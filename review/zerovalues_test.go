package review_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// The zero parts of a rules document are valid or refused by
// Rules.Validate as their docs say.
func TestZeroRulesParts(t *testing.T) {
	for _, tt := range []struct {
		name  string
		set   func(*review.Rules)
		valid bool
	}{
		{"Analysis", func(r *review.Rules) { r.Analysis = review.Analysis{} }, false},
		{"ProductSignal", func(r *review.Rules) { r.Analysis.Product = review.ProductSignal{} }, false},
		{"MarketSignal", func(r *review.Rules) { r.Analysis.Market = review.MarketSignal{} }, false},
		{"FollowUpSignal", func(r *review.Rules) { r.Analysis.FollowUp = review.FollowUpSignal{} }, true},
		{"ActionSettings", func(r *review.Rules) { r.Actions = review.ActionSettings{} }, false},
		{"RuleSet", func(r *review.Rules) { r.Rules = review.RuleSet{} }, true},
		{"TargetMet", func(r *review.Rules) { r.Rules.TargetMet = &review.TargetMet{} }, false},
		{"TargetMissed", func(r *review.Rules) { r.Rules.TargetMissed = &review.TargetMissed{} }, false},
		{"ConversionBelowPeers", func(r *review.Rules) { r.Rules.ConversionBelowPeers = &review.ConversionBelowPeers{} }, false},
		{"RepProductLag", func(r *review.Rules) { r.Rules.RepProductLag = &review.RepProductLag{} }, false},
		{"SlowFollowUp", func(r *review.Rules) { r.Rules.SlowFollowUp = &review.SlowFollowUp{} }, true},
		{"ProductLosses", func(r *review.Rules) { r.Rules.ProductLosses = &review.ProductLosses{} }, true},
		{"ThinPipeline", func(r *review.Rules) { r.Rules.ThinPipeline = &review.ThinPipeline{} }, true},
		{"Certification", func(r *review.Rules) { r.Rules.Certification = &review.Certification{} }, true},
		{"FeedbackPileup", func(r *review.Rules) { r.Rules.FeedbackPileup = &review.FeedbackPileup{} }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := review.DefaultRules()
			tt.set(&r)
			if tt.valid {
				assert.NoError(t, r.Validate())
			} else {
				assert.ErrorIs(t, r.Validate(), sp.ErrInvalid)
			}
		})
	}
	// In a rules document, {} is the default of a rule whose zero settings
	// are invalid.
	r, err := review.ParseRules([]byte(`{"version":1,"rules":{"target_met":{},"target_missed":{},` +
		`"conversion_below_peers":{},"rep_product_lag":{},"feedback_pileup":{}}}`))
	require.NoError(t, err)
	def := review.DefaultRules().Rules
	assert.Equal(t, def.TargetMet.MinPercent.String(), r.Rules.TargetMet.MinPercent.String())
	assert.Equal(t, def.TargetMissed.Statuses, r.Rules.TargetMissed.Statuses)
	assert.Equal(t, def.ConversionBelowPeers.Rate, r.Rules.ConversionBelowPeers.Rate)
	assert.Equal(t, def.RepProductLag.Rate, r.Rules.RepProductLag.Rate)
	assert.Equal(t, def.FeedbackPileup.Sources, r.Rules.FeedbackPileup.Sources)
	assert.Equal(t, def.FeedbackPileup.MinCount, r.Rules.FeedbackPileup.MinCount)
	assert.NoError(t, r.Validate())
	// The zero FollowUpSignal's policy is the zero FollowUpPolicy: no limit.
	assert.Equal(t, pipeline.FollowUpPolicy{}, review.FollowUpSignal{}.Policy())
}

// The zero RuleSet runs no built-in rule, and the zero ThinPipeline flags
// no goal, in a review where the default ones do.
func TestZeroRuleSetAndThinPipeline(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.goal("ann", north, "20000.00")
	w.sell("ann", north, widget, 3, 2, pipeline.LossPrice)
	w.open("ann", north, widget)
	in := w.input()
	in.AsOf = time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	run := func(set func(*review.Rules)) *review.Report {
		rules := review.DefaultRules()
		set(&rules)
		r, err := review.New(rules, w.options(nil))
		require.NoError(t, err)
		rep, err := r.Review(w.ctx, in)
		require.NoError(t, err)
		return &rep
	}
	def := run(func(*review.Rules) {})
	require.Contains(t, findings(*def, review.RepSubject("ann")), review.RuleThinPipeline)
	require.NotEmpty(t, def.Findings)

	assert.Empty(t, run(func(r *review.Rules) { r.Rules = review.RuleSet{} }).Findings)
	zero := run(func(r *review.Rules) { r.Rules.ThinPipeline = &review.ThinPipeline{} })
	for _, f := range zero.Findings {
		assert.NotEqual(t, review.RuleThinPipeline, f.Rule)
	}
}

// The zero results of a review are as their docs say: no rows, no
// figures, no data, nothing to act on.
func TestZeroResults(t *testing.T) {
	var s review.Snapshot
	_, ok := s.Rep("ann")
	assert.False(t, ok)
	_, ok = s.Region("north")
	assert.False(t, ok)
	_, ok = s.Product("widget")
	assert.False(t, ok)
	_, ok = s.Cell("ann", "widget")
	assert.False(t, ok)
	assert.Empty(t, s.GoalsOf(review.CompanySubject()))
	assert.Equal(t, review.CauseData, s.Diagnose(review.CompanySubject(), review.RateWinRate).Cause)
	assert.Equal(t, review.CauseData, s.Diagnose(review.RepSubject("ann"), review.RateConversion).Cause)

	var f review.Figures
	assert.Zero(t, f.Closed())
	assert.Equal(t, quota.Rate{}, f.Rate(review.RateWinRate))
	assert.Equal(t, quota.Rate{}, f.Rate(review.RateConversion))
	assert.Equal(t, quota.Rate{}, review.FollowUp{}.OverdueRate())
	for _, row := range []interface{ Closed() int64 }{
		&review.TeamRow{}, &review.RepRow{}, &review.RegionRow{}, &review.ProductRow{}, &review.CellRow{},
	} {
		assert.Zero(t, row.Closed())
	}
	var g review.GoalRow
	assert.Equal(t, review.CompanySubject(), g.Subject())
	assert.True(t, g.Over(time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)))

	assert.Zero(t, review.Recurrence{}.SeverityChange())

	var o review.Outcome
	data, err := json.Marshal(o)
	require.NoError(t, err)
	assert.JSONEq(t, `{"assignments":[],"product_feedback":[],"goal_proposals":[],"events":[]}`, string(data))
	var back review.Outcome
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Empty(t, back.Assignments)
	assert.ErrorIs(t, review.AssignmentResult{}.Assignment.Validate(), sp.ErrInvalid)

	r, err := review.New(review.DefaultRules(), nil)
	require.NoError(t, err)
	_, err = r.Review(context.Background(), review.Input{})
	assert.ErrorIs(t, err, sp.ErrInvalid)
}

// The nil counts encode as null and decode back to nil.
func TestZeroCounts(t *testing.T) {
	for _, tt := range []struct{ v, back any }{
		{review.LossCounts(nil), new(review.LossCounts)},
		{review.FeedbackCounts(nil), new(review.FeedbackCounts)},
	} {
		data, err := json.Marshal(tt.v)
		require.NoError(t, err)
		assert.Equal(t, "null", string(data))
		require.NoError(t, json.Unmarshal(data, tt.back))
		assert.Zero(t, reflect.ValueOf(tt.back).Elem().Len())
	}
}
