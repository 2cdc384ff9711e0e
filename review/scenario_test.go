package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// (a) A rep over target gets applause.
func TestScenarioApplause(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.rep("bob", north)
	w.sell("ann", north, widget, 12, 3, pipeline.LossPrice)
	w.sell("bob", north, widget, 9, 6, pipeline.LossPrice)
	w.goal("ann", north, "10000.00")
	w.goal("bob", north, "10000.00")

	rep := w.review(review.DefaultRules(), nil)

	ann := findings(rep, review.RepSubject("ann"))
	require.Contains(t, ann, review.RuleTargetMet)
	f := ann[review.RuleTargetMet]
	assert.Equal(t, review.SeverityInfo, f.Severity)
	assert.Equal(t, review.Cause(""), f.Cause)
	assert.Equal(t, []review.ActionKind{review.ActionRecognize}, actionKinds(f))
	assert.Contains(t, f.Summary, "120.00 %")
	assert.NotContains(t, ann, review.RuleTargetMissed)

	bob := findings(rep, review.RepSubject("bob"))
	assert.NotContains(t, bob, review.RuleTargetMet)
	require.Contains(t, bob, review.RuleTargetMissed)

	g := rep.Snapshot.GoalsOf(review.RepSubject("ann"))
	require.Len(t, g, 1)
	assert.Equal(t, quota.StatusMet, g[0].Status)
	assert.Equal(t, "12000.00 EUR", g[0].Booked.Money.String())
}

// (b) Product-category losses across 3 of 4 reps: the cause is the
// product, its owner gets the loss reasons and the customers' feedback,
// and nobody is retrained.
func TestScenarioProductLosses(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
		w.rep(r, north)
		w.goal(r, north, "13000.00")
		w.sell(r, north, widget, 7, 3, pipeline.LossPrice)
	}
	var won []sp.DealID
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		won = append(won, w.sell(r, north, gadget, 2, 6, pipeline.LossProduct)...)
		w.sell(r, north, gadget, 0, 2, pipeline.LossPrice)
	}
	won = append(won, w.sell("r4", north, gadget, 6, 4, pipeline.LossPrice)...)
	for i, id := range won[:6] {
		w.followUp(id, 1+i%2, sp.FeedbackQuality, "broke within days")
	}
	events := &pipelinetest.Recorder{}
	rep := w.review(review.DefaultRules(), events)

	g := findings(rep, review.ProductSubject(gadget))
	require.Contains(t, g, review.RuleProductLosses)
	assert.Equal(t, review.CauseProduct, g[review.RuleProductLosses].Cause)
	assert.Equal(t, []review.ActionKind{review.ActionProductFeedback}, actionKinds(g[review.RuleProductLosses]))
	require.Contains(t, g, review.RuleFeedbackPileup)

	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		t.Run(string(r), func(t *testing.T) {
			fs := findings(rep, review.RepSubject(r))
			require.Contains(t, fs, review.RuleTargetMissed)
			f := fs[review.RuleTargetMissed]
			assert.Equal(t, review.CauseProduct, f.Cause)
			assert.Equal(t, []review.ActionKind{review.ActionProductFeedback}, actionKinds(f))
			assert.NotContains(t, findings(rep, review.RepProductSubject(r, gadget)), review.RuleRepProductLag)
		})
	}
	assert.Contains(t, findings(rep, review.RepSubject("r4")), review.RuleTargetMet)

	// No retraining, in the report or in training.
	assert.Empty(t, rep.Outcome.Assignments)
	ap, err := w.trainer.Assignments(w.ctx, "", november.End())
	require.NoError(t, err)
	assert.Empty(t, ap)

	// One product feedback for the gadget's owner, with the loss reasons
	// and the customers' feedback behind it.
	require.Len(t, rep.Outcome.ProductFeedback, 1)
	pf := rep.Outcome.ProductFeedback[0]
	assert.Equal(t, gadget, pf.Product)
	assert.Equal(t, sp.ActorID("pm-gadget"), pf.Owner)
	assert.Equal(t, review.StatusDone, pf.Status)
	assert.Equal(t, int64(18), pf.Losses[pipeline.LossProduct])
	pf.Losses[pipeline.LossProduct]++ // the outcome's counts are its own
	row, _ := rep.Snapshot.Product(gadget)
	assert.Equal(t, int64(18), row.Losses[pipeline.LossProduct], "the snapshot's counts, unchanged")
	require.Len(t, pf.LossReasons, 10)
	for _, l := range pf.LossReasons {
		assert.Equal(t, pipeline.LossProduct, l.Category)
		assert.Equal(t, "stops working after a week", l.Detail)
	}
	assert.Equal(t, int64(6), pf.FeedbackCount)
	require.Len(t, pf.Feedback, 6)
	assert.Equal(t, 1, pf.Feedback[0].Rating)
	assert.Len(t, pf.Findings, 5) // product_losses, feedback_pileup, 3 × target_missed

	var sent []sp.Event
	for _, e := range events.Events() {
		if e.Type == review.EventProductFeedback {
			sent = append(sent, e)
		}
	}
	require.Len(t, sent, 1)
	assert.Equal(t, string(gadget), sent[0].Subject)
	assert.Equal(t, pf.Event, sent[0].ID)
	var data review.ProductFeedback
	require.NoError(t, json.Unmarshal(sent[0].Data, &data))
	assert.Equal(t, sp.ActorID("pm-gadget"), data.Owner)
	assert.Len(t, data.LossReasons, 10)
}

// (c) One rep significantly below peers on one product: the cause is the
// rep, who is assigned the product's module with a due date.
func TestScenarioRepLagsOnProduct(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
		w.rep(r, north)
		w.goal(r, north, "16000.00")
		w.sell(r, north, gadget, 6, 4, pipeline.LossPrice)
	}
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		w.sell(r, north, widget, 11, 4, pipeline.LossCompetitor)
	}
	w.sell("r4", north, widget, 2, 13, pipeline.LossRepExecution)

	rep := w.review(review.DefaultRules(), nil)

	lag := findings(rep, review.RepProductSubject("r4", widget))
	require.Contains(t, lag, review.RuleRepProductLag)
	assert.Equal(t, review.CauseRep, lag[review.RuleRepProductLag].Cause)

	missed := findings(rep, review.RepSubject("r4"))[review.RuleTargetMissed]
	assert.Equal(t, review.CauseRep, missed.Cause)
	assert.Equal(t, []review.ActionKind{review.ActionRetrain, review.ActionCoach}, actionKinds(missed))
	assert.Equal(t, widget, missed.Actions[0].Product)
	assert.Equal(t, "widget-basics", string(missed.Actions[0].Module))

	due := reviewClock().Now().AddDate(0, 0, 14)
	require.Len(t, rep.Outcome.Assignments, 1)
	a := rep.Outcome.Assignments[0]
	assert.Equal(t, review.StatusDone, a.Status)
	assert.Equal(t, sp.RepID("r4"), a.Assignment.Rep)
	assert.Equal(t, "widget-basics", string(a.Assignment.Module))
	assert.True(t, due.Equal(a.Assignment.Due))
	assert.ElementsMatch(t, []string{missed.ID, lag[review.RuleRepProductLag].ID}, a.Findings)

	// The assignment is in training, due in 14 days.
	ap, err := w.trainer.Assignments(w.ctx, "r4", due)
	require.NoError(t, err)
	require.Len(t, ap, 1)
	assert.Equal(t, a.Assignment.ID, ap[0].Assignment.ID)
	assert.True(t, ap[0].Overdue)

	// The peers are not flagged, nor is the product.
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		assert.NotContains(t, findings(rep, review.RepProductSubject(r, widget)), review.RuleRepProductLag)
	}
	assert.Empty(t, findings(rep, review.ProductSubject(widget)))

	// A second run finds the assignment stored and assigns nothing twice.
	again := w.review(review.DefaultRules(), nil)
	require.Len(t, again.Outcome.Assignments, 1)
	assert.Equal(t, review.StatusExisting, again.Outcome.Assignments[0].Status)
	ap, err = w.trainer.Assignments(w.ctx, "", due)
	require.NoError(t, err)
	assert.Len(t, ap, 1)
}

// (d) A rep with too few deals is not flagged: the cause is data. And 2
// won of 5 against a team at 60 % is not flagged either, by the
// significance rule.
func TestScenarioTooFewDeals(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
		w.rep(r, north)
		w.goal(r, north, "10000.00")
		w.sell(r, north, widget, 15, 10, pipeline.LossPrice)
	}
	w.rep("few", north)
	w.goal("few", north, "10000.00")
	w.sell("few", north, widget, 0, 3, pipeline.LossRepExecution)
	w.rep("two", north)
	w.goal("two", north, "10000.00")
	w.sell("two", north, widget, 2, 3, pipeline.LossRepExecution)

	rep := w.review(review.DefaultRules(), nil)

	few := findings(rep, review.RepSubject("few"))
	require.Contains(t, few, review.RuleTargetMissed)
	assert.Equal(t, review.CauseData, few[review.RuleTargetMissed].Cause)
	assert.Empty(t, few[review.RuleTargetMissed].Actions)
	assert.Contains(t, few[review.RuleTargetMissed].Summary, "too few cases to judge rep few: 3 closed deals in the period, fewer than the 5 needed")
	assert.NotContains(t, few, review.RuleConversionBelowPeers)
	assert.Empty(t, findings(rep, review.RepProductSubject("few", widget)))

	two := findings(rep, review.RepSubject("two"))
	assert.Equal(t, review.CauseData, two[review.RuleTargetMissed].Cause)
	assert.Contains(t, two[review.RuleTargetMissed].Summary, "does not differ significantly (at 95 % confidence) from that of the rest of the team")
	assert.Empty(t, findings(rep, review.RepProductSubject("two", widget)))
	c, ok := rep.Snapshot.Cell("two", widget)
	require.True(t, ok)
	assert.Equal(t, quota.VerdictInconclusive, c.VsPeers.Verdict)
	assert.Equal(t, "2/5", c.WinRate.Rate.String())
	assert.Empty(t, rep.Outcome.Assignments)
}

// (e) Changing a threshold in the JSON document changes the outcome.
func TestScenarioThresholdChange(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
		w.rep(r, north)
		w.goal(r, north, "10000.00")
		w.sell(r, north, widget, 15, 10, pipeline.LossPrice)
	}
	w.rep("few", north)
	w.goal("few", north, "10000.00")
	w.sell("few", north, widget, 1, 8, pipeline.LossRepExecution)

	tests := []struct {
		name      string
		doc       string
		applause  bool
		fewCause  review.Cause
		retrained bool
	}{
		{"defaults", `{"version": 1}`, true, review.CauseRep, true},
		{"higher_applause_bar", `{"version": 1, "rules": {"target_met": {"min_percent": "160"}, "target_missed": {}}}`,
			false, review.CauseRep, true},
		{"more_deals_to_judge", `{"version": 1, "analysis": {"min_deals": 10}}`, true, review.CauseData, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := review.ParseRules([]byte(tt.doc))
			require.NoError(t, err)
			rep := w.review(rules, nil)
			_, applauded := findings(rep, review.RepSubject("r1"))[review.RuleTargetMet]
			assert.Equal(t, tt.applause, applauded)
			f := findings(rep, review.RepSubject("few"))[review.RuleTargetMissed]
			assert.Equal(t, tt.fewCause, f.Cause, f.Summary)
			assert.Equal(t, tt.retrained, len(rep.Outcome.Assignments) > 0)
		})
	}
}

// bigEarners is a host's rule: it recognizes reps whose won amount
// reaches the min_amount of its settings.
func bigEarners(_ context.Context, s *review.Snapshot) ([]review.Finding, error) {
	var cfg struct {
		MinAmount string `json:"min_amount"`
	}
	if err := json.Unmarshal(s.Settings("big_earners"), &cfg); err != nil {
		return nil, fmt.Errorf("big_earners settings: %w", err)
	}
	min, err := sp.ParseMoney(cfg.MinAmount)
	if err != nil {
		return nil, err
	}
	var out []review.Finding
	for _, r := range s.Reps {
		if c, err := r.WonAmount.Cmp(min); err == nil && c >= 0 {
			out = append(out, review.Finding{
				Subject: review.RepSubject(r.Rep), Severity: review.SeverityInfo,
				Summary:  fmt.Sprintf("rep %s won %s", r.Rep, r.WonAmount),
				Evidence: []review.Evidence{{Name: "won amount", Value: r.WonAmount.String()}},
				Actions:  []review.Action{{Kind: review.ActionRecognize, Rep: r.Rep}},
			})
		}
	}
	return out, nil
}

// (f) A custom rule added by a host, with its settings in the document.
func TestScenarioCustomRule(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.rep("bob", south)
	w.sell("ann", north, widget, 12, 3, pipeline.LossPrice)
	w.sell("bob", south, widget, 4, 3, pipeline.LossPrice)

	tests := []struct {
		name string
		doc  string
		want []sp.RepID
	}{
		{"on", `{"version": 1, "custom": {"big_earners": {"min_amount": "10000.00 EUR"}}}`, []sp.RepID{"ann"}},
		{"lower_bar", `{"version": 1, "custom": {"big_earners": {"min_amount": "4000.00 EUR"}}}`, []sp.RepID{"ann", "bob"}},
		{"off", `{"version": 1, "custom": {"big_earners": {"enabled": false, "min_amount": "1.00 EUR"}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := review.ParseRules([]byte(tt.doc))
			require.NoError(t, err)
			opts := w.options(nil)
			opts.Rules = []review.Rule{review.NewRule("big_earners", bigEarners)}
			r, err := review.New(rules, opts)
			require.NoError(t, err)
			rep, err := r.Review(w.ctx, w.input())
			require.NoError(t, err)
			var got []sp.RepID
			for _, f := range rep.Findings {
				if f.Rule == "big_earners" {
					got = append(got, f.Subject.Rep)
					assert.Equal(t, "big_earners:rep="+string(f.Subject.Rep), f.ID)
				}
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

// A review before the period ends: open deals make the pipeline, and a
// thin one is flagged with a proposal to adjust the goal.
func TestScenarioThinPipeline(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.rep("bob", north)
	w.goal("ann", north, "20000.00")
	w.goal("bob", north, "6000.00")
	w.sell("ann", north, widget, 3, 2, pipeline.LossPrice)
	w.sell("bob", north, widget, 3, 2, pipeline.LossPrice)
	w.open("ann", north, widget)
	for range 4 {
		id := w.open("bob", north, widget)
		_, err := w.sc.Engine.Advance(w.ctx, pipelinetest.System(), id, pipeline.DealNegotiation, nil)
		require.NoError(t, err)
	}
	in := w.input()
	in.AsOf = time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	r, err := review.New(review.DefaultRules(), w.options(nil))
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, in)
	require.NoError(t, err)

	ann := findings(rep, review.RepSubject("ann"))
	require.Contains(t, ann, review.RuleThinPipeline)
	f := ann[review.RuleThinPipeline]
	assert.Equal(t, review.CauseProcess, f.Cause)
	assert.Equal(t, []review.ActionKind{review.ActionCoach, review.ActionAdjustGoal}, actionKinds(f))
	require.Len(t, rep.Outcome.GoalProposals, 1)
	gp := rep.Outcome.GoalProposals[0]
	assert.Equal(t, sp.RepID("ann"), gp.Goal.Rep)
	// 3000 booked + 1000 × 0.1 weighted.
	assert.Equal(t, "3100.00 EUR", gp.Proposed.String())

	bob := rep.Snapshot.GoalsOf(review.RepSubject("bob"))
	require.Len(t, bob, 1)
	assert.Equal(t, int64(4), bob[0].Open)
	assert.Equal(t, "0.8192", bob[0].Chance.String())
	assert.NotContains(t, findings(rep, review.RepSubject("bob")), review.RuleThinPipeline)
}

// (d, conversion) The conversion_below_peers rule, on its default rate,
// the conversion of inquiries: 2 of 5 against a team at 60 % is not
// flagged, for the difference is not significant; 0 of 5 (as few
// inquiries, so enough to judge) and 2 of 20 are.
func TestScenarioConversionTwoOfFiveNotFlagged(t *testing.T) {
	for _, tt := range []struct {
		converted, inquiries int
		flagged              bool
	}{{2, 5, false}, {0, 5, true}, {2, 20, true}} {
		t.Run(fmt.Sprintf("%d_of_%d", tt.converted, tt.inquiries), func(t *testing.T) {
			w := newWorld(t)
			for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
				w.rep(r, north)
				w.inquire(r, north, widget, 20, 20, 12, time.Hour, true)
			}
			w.rep("two", north)
			w.inquire("two", north, widget, tt.inquiries, tt.inquiries, tt.converted, time.Hour, true)

			rep := w.review(review.DefaultRules(), nil)

			row, ok := rep.Snapshot.Rep("two")
			require.True(t, ok)
			assert.Equal(t, fmt.Sprintf("%d/%d", tt.converted, tt.inquiries), row.Rate(review.RateConversion).String())
			team, _ := rep.Snapshot.Team.Rate(review.RateConversion).Without(row.Rate(review.RateConversion))
			assert.Equal(t, "48/80", team.String(), "the rest of the team converts 60 %")
			f, got := findings(rep, review.RepSubject("two"))[review.RuleConversionBelowPeers]
			assert.Equal(t, tt.flagged, got, f.Summary)
			for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
				assert.NotContains(t, findings(rep, review.RepSubject(r)), review.RuleConversionBelowPeers)
			}
		})
	}
}
