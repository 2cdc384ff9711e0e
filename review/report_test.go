package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// The tables name the confidence of the Wilson intervals they show, which
// is the analysis' and not always 95 %.
func TestRenderIntervalConfidence(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.sell("ann", north, widget, 3, 2, pipeline.LossPrice)
	rules := review.DefaultRules()
	rules.Analysis.Confidence = decimal.RequireFromString("0.9")
	rep := w.review(rules, nil)
	require.NotNil(t, rep.Snapshot.Team.WinRate.Wilson)
	for name, render := range map[string]func(*bytes.Buffer) error{
		"markdown": func(b *bytes.Buffer) error { return rep.Markdown(b) },
		"text":     func(b *bytes.Buffer) error { return rep.Text(b) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, render(&b))
			assert.Contains(t, b.String(), "90 % CI")
			assert.NotContains(t, b.String(), "95 % CI")
		})
	}
}

// A report whose adjust_goal action lacks its goal, as ParseReport reads
// one, renders without panicking.
func TestRenderActionWithoutGoal(t *testing.T) {
	data := []byte(`{"version": 1, "rules": {"version": 1}, "findings": [{"id": "x", "rule": "x",
		"subject": {"kind": "company"}, "severity": "info", "summary": "s", "actions": [{"kind": "adjust_goal"}]}]}`)
	rep, err := review.ParseReport(data)
	require.NoError(t, err)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NotPanics(t, func() { require.NoError(t, render(&b), name) }, name)
		assert.Contains(t, b.String(), "adjust the goal", name)
	}
}

// A report's rules are its own: changing them changes neither the
// Reviewer nor its next reports.
func TestReportOwnsRules(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.sell("ann", north, widget, 3, 2, pipeline.LossPrice)
	w.goal("ann", north, "2000.00")
	r, err := review.New(review.DefaultRules(), w.options(nil))
	require.NoError(t, err)
	first, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	require.Contains(t, findings(first, review.RepSubject("ann")), review.RuleTargetMet)

	first.Rules.Rules.TargetMet.MinPercent = decimal.NewFromInt(500)
	first.Rules.Rules.TargetMissed.Statuses[0] = "behind"
	assert.Equal(t, "100", r.Rules().Rules.TargetMet.MinPercent.String())
	assert.Equal(t, "missed", string(r.Rules().Rules.TargetMissed.Statuses[0]))
	second, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	assert.Contains(t, findings(second, review.RepSubject("ann")), review.RuleTargetMet)
}

// Findings get distinct IDs, even when a rule's own IDs look like the
// suffixes the Reviewer adds to repeated ones.
func TestFindingIDsDistinct(t *testing.T) {
	w := newWorld(t)
	rule := review.NewRule("mine", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		f := review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "s"}
		a, b, c := f, f, f
		a.ID, b.ID, c.ID = "x", "x", "x#2"
		return []review.Finding{a, b, c}, nil
	})
	opts := w.options(nil)
	opts.Rules = []review.Rule{rule}
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		assert.False(t, seen[f.ID], "finding ID %s given twice", f.ID)
		seen[f.ID] = true
	}
	assert.Len(t, seen, 3)
}

// A snapshot decoded from its JSON keeps the figures it was encoded with,
// even those that depend on rules other than the default ones: encoding
// it again gives the same bytes.
func TestSnapshotJSONRoundTripCustomRules(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.rep("bob", north)
	w.rep("cat", south)
	w.sell("ann", north, widget, 1, 3, pipeline.LossPrice)
	w.sell("bob", north, widget, 4, 0, pipeline.LossPrice)
	w.sell("cat", south, widget, 4, 0, pipeline.LossPrice)
	rules := review.DefaultRules()
	rules.Analysis.MinDeals = 1 // ann's 4 deals are judged
	rep := w.review(rules, nil)
	row, ok := rep.Snapshot.Region(north)
	require.True(t, ok)
	require.Equal(t, int64(1), row.RepsBelow, "ann is below the south")

	data, err := json.Marshal(rep.Snapshot)
	require.NoError(t, err)
	var back review.Snapshot
	require.NoError(t, json.Unmarshal(data, &back))
	row, _ = back.Region(north)
	assert.Equal(t, int64(1), row.RepsBelow)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))
}

// WriteJSON does not escape HTML characters, in an action's note either,
// whose MarshalJSON leaves them to it.
func TestWriteJSONKeepsHTMLInActions(t *testing.T) {
	rep := review.Report{Version: review.ReportVersion, Rules: review.DefaultRules(),
		Findings: []review.Finding{{Actions: []review.Action{{Kind: review.ActionCoach, Rep: "ann", Note: "a <b> & c"}}}}}
	var b bytes.Buffer
	require.NoError(t, rep.WriteJSON(&b))
	assert.Contains(t, b.String(), `"note": "a <b> & c"`)
	data, err := json.Marshal(rep.Findings[0].Actions[0])
	require.NoError(t, err)
	assert.Contains(t, string(data), `"note":"a \u003cb\u003e \u0026 c"`, "json.Marshal escapes as it always does")
}

// A Snapshot decoded alone diagnoses with the default rules and its own
// rate, confidence and adjustment; one decoded within a report, with the
// report's rules: both as the snapshot they were encoded from.
func TestDecodedSnapshotDiagnoses(t *testing.T) {
	rules := review.DefaultRules()
	rules.Analysis.Adjustment = review.AdjustNone
	rules.Analysis.MinDeals = 1
	r, err := review.New(rules, &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	ds := append(lagging(), closedDeals("dan", north, widget, 1, 3, pipeline.LossPrice)...)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(ds)})
	require.NoError(t, err)
	bob := rep.Snapshot.Diagnose(review.RepSubject("bob"), review.RateWinRate)
	require.Equal(t, review.CauseRep, bob.Cause)
	dan := rep.Snapshot.Diagnose(review.RepSubject("dan"), review.RateWinRate)
	require.NotContains(t, dan.Summary, "too few cases", "dan's 4 deals are judged under min_deals 1")

	t.Run("snapshot", func(t *testing.T) {
		data, err := json.Marshal(rep.Snapshot)
		require.NoError(t, err)
		var back review.Snapshot
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, bob, back.Diagnose(review.RepSubject("bob"), review.RateWinRate), "the snapshot's adjustment")
		assert.Contains(t, back.Diagnose(review.RepSubject("dan"), review.RateWinRate).Summary, "too few cases to judge rep dan: 4 closed deals in the period, fewer than the 5 needed", "the default min_deals")
	})
	t.Run("report", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, rep.WriteJSON(&b))
		back, err := review.ParseReport(b.Bytes())
		require.NoError(t, err)
		assert.Equal(t, bob, back.Snapshot.Diagnose(review.RepSubject("bob"), review.RateWinRate))
		assert.Equal(t, dan, back.Snapshot.Diagnose(review.RepSubject("dan"), review.RateWinRate), "the report's min_deals")
	})
}

// The "#2" that tells a second finding of one ID apart is checked with
// the rest of the finding: a host rule's ID at the longest a finding may
// have does not leave a report holding a finding that fails Validate.
func TestFindingIDMadeUniqueIsValidated(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	long := strings.Repeat("x", 512)
	rule := review.NewRule("mine", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		f := review.Finding{ID: long, Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "s"}
		require.NoError(t, f.Validate(), "the longest ID a finding may have")
		return []review.Finding{f, f}, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule}})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now})
	require.ErrorIs(t, err, sp.ErrInvalid, "the second finding's ID %d bytes long", len(long)+2)
	assert.ErrorContains(t, err, `rule "mine": invalid findings[1].id`)
	assert.Empty(t, rep.Findings)
}

// The product feedback of the Markdown and text reports joins its finding
// IDs with spaces, as the retraining table does: an ID may hold a comma
// (target_missed:rep=eva:2026-11[UTC],revenue), so ", " would split one.
func TestProductFeedbackFindingsJoinWithSpaces(t *testing.T) {
	ids := []string{"product_losses:product=p", "target_missed:rep=eva:2026-11[UTC],revenue"}
	rep := review.Report{Version: review.ReportVersion, Rules: review.DefaultRules(),
		Outcome: review.Outcome{ProductFeedback: []review.ProductFeedback{{Product: "p", Owner: "pm", Status: review.StatusDone, Findings: ids}}}}
	for name, write := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, write(&b), name)
		assert.Contains(t, b.String(), "Findings: product_losses:product=p target_missed:rep=eva:2026-11[UTC],revenue.", name)
	}
}

// An encoding that a value refuses (a category or a rate of no known
// name) reads in the package's terms, not in encoding/json's, and still
// wraps the value's error and its sentinel.
func TestWriteJSONRefusalText(t *testing.T) {
	losses := review.Report{Version: review.ReportVersion, Rules: review.DefaultRules(),
		Snapshot: review.Snapshot{Reps: []review.RepRow{{Rep: "ann", Figures: review.Figures{Losses: review.LossCounts{"mood": 1}}}}}}
	rate := review.Report{Version: review.ReportVersion, Rules: review.DefaultRules()}
	rate.Rules.Analysis.Rate = "zzz"
	for name, tc := range map[string]struct {
		r    review.Report
		want string
	}{
		"loss_category": {losses, `review: report: invalid input: unknown loss category "mood"; `},
		"rules_rate":    {rate, `review: report: review: rules: invalid input: unknown rate "zzz"; `},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.r.WriteJSON(io.Discard)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "got %q, want the prefix %q", err, tc.want)
			assert.NotContains(t, err.Error(), "json:")
			assert.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.True(t, strings.HasPrefix(ve.Reason, "unknown "), ve.Reason)
		})
	}
}
