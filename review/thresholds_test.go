package review_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// The built-in rules' thresholds at their edges: "at least" includes the
// threshold, "more than" and "below" do not.

// slow_follow_up is critical when more than critical_overdue_share (0.5)
// of the rep's open inquiries are overdue: 2 of 4 is a warning, 3 of 4
// critical.
func TestSlowFollowUpCriticalEdge(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	asOf := day(20)
	for _, c := range []struct {
		overdue int
		want    review.Severity
	}{{2, review.SeverityWarning}, {3, review.SeverityCritical}} {
		t.Run(fmt.Sprint(c.overdue), func(t *testing.T) {
			var ins []pipeline.Inquiry
			for i := range 5 {
				in := pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i-%d", i)), Channel: "web", Region: north, Product: widget,
					Customer: "c", Owner: "ann", Received: day(10), Stage: pipeline.InquiryNew}
				switch {
				case i == 4: // closed
					in.Stage = pipeline.InquiryDisqualified
				case i >= c.overdue: // contacted the day before: its next touch not due yet
					in.Stage = pipeline.InquiryContacted
					in.History = []pipeline.Transition[pipeline.InquiryStage]{
						{To: pipeline.InquiryNew, At: day(10), Actor: "rep-ann"},
						{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: day(19), Actor: "rep-ann"},
					}
				} // else never contacted: overdue
				ins = append(ins, in)
			}
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf)})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf, Inquiries: quota.Refs(ins)})
			require.NoError(t, err)
			ann, ok := rep.Snapshot.Rep("ann")
			require.True(t, ok)
			require.Equal(t, int64(4), ann.FollowUp.Open)
			require.Equal(t, int64(c.overdue), ann.FollowUp.Overdue)
			f, ok := findings(rep, review.RepSubject("ann"))[review.RuleSlowFollowUp]
			require.True(t, ok)
			assert.Equal(t, c.want, f.Severity)
		})
	}
}

// product_losses is critical when at least critical_loss_share (0.75) of
// the product's losses are of the signal's categories: 6 of 8 is, 6 of 9
// is not.
func TestProductLossesCriticalEdge(t *testing.T) {
	for _, c := range []struct {
		other int
		want  review.Severity
	}{{2, review.SeverityCritical}, {3, review.SeverityWarning}} {
		t.Run(fmt.Sprint(c.other), func(t *testing.T) {
			var ds []pipeline.Deal
			for _, rep := range []sp.RepID{"ann", "bob"} {
				for i := range 3 {
					d := deal(sp.DealID(fmt.Sprintf("d-%s-%d", rep, i)), rep, gadget, false, "")
					d.Loss = &pipeline.LossReason{Category: pipeline.LossProduct, Detail: "breaks"}
					ds = append(ds, d)
				}
			}
			for i := range c.other {
				ds = append(ds, deal(sp.DealID(fmt.Sprintf("d-price-%d", i)), "ann", gadget, false, ""))
			}
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november, Deals: quota.Refs(ds)})
			require.NoError(t, err)
			f, ok := findings(rep, review.ProductSubject(gadget))[review.RuleProductLosses]
			require.True(t, ok)
			assert.Equal(t, c.want, f.Severity, f.Summary)
		})
	}
}

// thin_pipeline flags a chance below min_chance (0.5), not one of exactly
// 0.5, and proposes a lower goal for a chance below adjust_below_chance
// (0.1), not one of exactly 0.1.
func TestThinPipelineChanceEdges(t *testing.T) {
	asOf := november.Start().Add(10 * 24 * time.Hour)
	for _, c := range []struct {
		name, amount, probability string
		thin, adjust              bool
	}{
		{"chance_at_min", "2000.00 EUR", "0.5", false, false},      // weighted 1000.00: coverage exactly 1
		{"chance_at_adjust", "5000.00 EUR", "0.1", true, false},    // expected 500.00 of 1000.00
		{"chance_below_adjust", "5000.00 EUR", "0.09", true, true}, // expected 450.00
	} {
		t.Run(c.name, func(t *testing.T) {
			open := deal("open-1", "ann", widget, false, "")
			open.Stage, open.Loss, open.Closed, open.Amount = pipeline.DealProposal, nil, time.Time{}, mustMoney(c.amount)
			open.Probability, open.ExpectedClose = mustDecimal(c.probability), november.Start().Add(20*24*time.Hour)
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf)})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf,
				Deals: quota.Refs([]pipeline.Deal{open}),
				Goals: []quota.Goal{{Rep: "ann", Region: north, Period: november, Revenue: mustMoney("1000.00 EUR")}}})
			require.NoError(t, err)
			g := rep.Snapshot.Goals[0]
			require.Equal(t, mustDecimal(c.probability).String(), g.Chance.String())
			f, thin := findings(rep, review.RepSubject("ann"))[review.RuleThinPipeline]
			assert.Equal(t, c.thin, thin, "chance %s, coverage %s", g.Chance, g.Coverage.Decimal)
			assert.Equal(t, c.adjust, len(rep.Outcome.GoalProposals) == 1, "%v", rep.Outcome.GoalProposals)
			if c.adjust {
				assert.Contains(t, actionKinds(f), review.ActionAdjustGoal)
				assert.Equal(t, "450.00 EUR", rep.Outcome.GoalProposals[0].Proposed.String())
			}
		})
	}
}

// feedback_pileup flags a product with at least min_count (5) pieces of
// customer feedback, at least min_low_share (0.5) of them rated max_rating
// (2) or lower; the product feedback carries at most max_items of them,
// the lowest rated first.
func TestFeedbackPileupEdges(t *testing.T) {
	at := november.Start().Add(5 * 24 * time.Hour)
	for _, c := range []struct {
		name    string
		ratings []int
		flagged bool
	}{
		{"five_three_low", []int{5, 2, 1, 4, 2}, true},
		{"five_two_low", []int{5, 2, 4, 1, 3}, false},
		{"six_half_low", []int{2, 5, 4, 2, 3, 1}, true},
		{"four_all_low", []int{1, 1, 2, 2}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var fs []sp.Feedback
			for i, rating := range c.ratings {
				fs = append(fs, sp.Feedback{ID: sp.FeedbackID(fmt.Sprintf("f-%d", i)), Product: widget, Rating: rating,
					Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: at.Add(time.Duration(i) * time.Hour)})
			}
			rules := review.DefaultRules()
			rules.Actions.MaxItems = 2
			r, err := review.New(rules, &review.Options{Clock: reviewClock()})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november, Feedback: quota.Refs(fs)})
			require.NoError(t, err)
			_, flagged := findings(rep, review.ProductSubject(widget))[review.RuleFeedbackPileup]
			assert.Equal(t, c.flagged, flagged)
			if !c.flagged {
				assert.Empty(t, rep.Outcome.ProductFeedback)
				return
			}
			require.Len(t, rep.Outcome.ProductFeedback, 1)
			pf := rep.Outcome.ProductFeedback[0]
			assert.Equal(t, int64(len(c.ratings)), pf.FeedbackCount)
			require.Len(t, pf.Feedback, 2)
			assert.LessOrEqual(t, pf.Feedback[0].Rating, pf.Feedback[1].Rating)
			assert.LessOrEqual(t, pf.Feedback[1].Rating, 2)
		})
	}
}

// Feedback counts only from the sources of the feedback_pileup rule:
// field-test feedback (what training's Trainer.FieldFeedback lists) is
// left out of the figures and of the product feedback sent to the owner
// under the default rules, which list customers only, and counts where
// the rules list "field_test".
func TestFieldTestFeedbackCountsOnlyWhereTheRulesListItsSource(t *testing.T) {
	at := november.Start().Add(5 * 24 * time.Hour)
	var fs []sp.Feedback
	for i := range 5 {
		fs = append(fs, sp.Feedback{ID: sp.FeedbackID(fmt.Sprintf("f-%d", i)), Product: widget, Rating: 1,
			Category: sp.FeedbackQuality, Source: sp.FromFieldTest, Locality: "Lyon", Time: at.Add(time.Duration(i) * time.Hour)})
	}
	for _, c := range []struct {
		name    string
		sources []sp.FeedbackSource
		count   int64
	}{
		{"default_sources", nil, 0},
		{"field_test_listed", []sp.FeedbackSource{sp.FromCustomer, sp.FromFieldTest}, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			rules := review.DefaultRules()
			if c.sources != nil {
				rules.Rules.FeedbackPileup.Sources = c.sources
			}
			r, err := review.New(rules, &review.Options{Clock: reviewClock()})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november, Feedback: quota.Refs(fs)})
			require.NoError(t, err)
			row, _ := rep.Snapshot.Product(widget)
			assert.Equal(t, c.count, row.Feedback.Count)
			_, flagged := findings(rep, review.ProductSubject(widget))[review.RuleFeedbackPileup]
			assert.Equal(t, c.count > 0, flagged)
			assert.Equal(t, c.count > 0, len(rep.Outcome.ProductFeedback) == 1)
		})
	}
}

// slow_follow_up's evidence tells a median first response just above the
// limit, and a limit of seconds, as they are, not rounded to the minute
// into "24h, above 24h" or "0m, above 0m".
func TestSlowFollowUpEvidenceKeepsSeconds(t *testing.T) {
	received := time.Date(2026, time.November, 10, 12, 0, 0, 0, time.UTC)
	asOf := time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, limit string
		after       time.Duration
		want        string
	}{
		{"above_a_day", "24h", 24*time.Hour + 20*time.Second, "24h0m20s over 5 inquiries, above the limit of 24h"},
		{"seconds", "20s", 25 * time.Second, "25s over 5 inquiries, above the limit of 20s"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ins []pipeline.Inquiry
			for i := range 5 {
				ins = append(ins, pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i-%d", i)), Channel: "web", Region: north,
					Product: widget, Customer: "c", Owner: "ann", Received: received, Stage: pipeline.InquiryContacted,
					History: []pipeline.Transition[pipeline.InquiryStage]{
						{To: pipeline.InquiryNew, At: received, Actor: "rep-ann"},
						{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: received.Add(c.after), Actor: "rep-ann"},
					}})
			}
			rules, err := review.ParseRules([]byte(`{"version": 1, "analysis": {"follow_up": {"max_median_first_response": "` + c.limit + `", "next_touch": "0s"}}}`))
			require.NoError(t, err)
			r, err := review.New(rules, &review.Options{Clock: sp.FixedClock(asOf)})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf, Inquiries: quota.Refs(ins)})
			require.NoError(t, err)
			f, ok := findings(rep, review.RepSubject("ann"))[review.RuleSlowFollowUp]
			require.True(t, ok)
			require.NotEmpty(t, f.Evidence)
			assert.Equal(t, review.Evidence{Name: "median first response", Value: c.want}, f.Evidence[0])
		})
	}
}
