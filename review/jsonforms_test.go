package review_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/review"
)

// TestEmptyListsNotNull checks that the lists of a report's parts built
// by hand, left nil, are written [] as a Reviewer writes them, not null;
// that null, as earlier versions wrote it for such a value, still reads;
// and that both forms re-encode to the same bytes.
func TestEmptyListsNotNull(t *testing.T) {
	for name, tc := range map[string]struct {
		v      any
		golden string // "" when too long to spell: no null then
		target func() any
	}{
		"outcome": {review.Outcome{},
			`{"assignments":[],"product_feedback":[],"goal_proposals":[],"events":[]}`,
			func() any { return new(review.Outcome) }},
		"goal_proposal":     {review.GoalProposal{Note: "n"}, "", func() any { return new(review.GoalProposal) }},
		"assignment_result": {review.AssignmentResult{Product: "p1"}, "", func() any { return new(review.AssignmentResult) }},
		"product_feedback":  {review.ProductFeedback{Product: "p1", Event: "e1"}, "", func() any { return new(review.ProductFeedback) }},
		"recurrence":        {review.Recurrence{}, "", func() any { return new(review.Recurrence) }},
		"resolution":        {review.Resolution{}, "", func() any { return new(review.Resolution) }},
		"changes":           {review.Changes{}, "", func() any { return new(review.Changes) }},
		"snapshot":          {review.Snapshot{}, "", func() any { return new(review.Snapshot) }},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := json.Marshal(tc.v)
			require.NoError(t, err)
			if tc.golden != "" {
				assert.Equal(t, tc.golden, string(raw))
			}
			require.Contains(t, string(raw), ":[]")
			assert.NotRegexp(t, `"(findings|retraining|new|recurring|resolved|goals|reps|regions|products|cells|expiring|loss_reasons|feedback)":null`, string(raw))
			legacy := strings.ReplaceAll(string(raw), ":[]", ":null")
			for _, doc := range []string{string(raw), legacy} {
				got := tc.target()
				require.NoError(t, json.Unmarshal([]byte(doc), got), doc)
				again, err := json.Marshal(got)
				require.NoError(t, err)
				assert.Equal(t, string(raw), string(again), doc)
			}
		})
	}
}

// TestRulesEmptyListsNotNull checks that rules write an empty list as [],
// the zero Rules (of the zero Report) too, without changing the caller's
// rules.
func TestRulesEmptyListsNotNull(t *testing.T) {
	missed, pileup := &review.TargetMissed{}, &review.FeedbackPileup{}
	for _, r := range []review.Rules{{}, {Rules: review.RuleSet{TargetMissed: missed, FeedbackPileup: pileup}}} {
		raw, err := json.Marshal(r)
		require.NoError(t, err)
		assert.NotRegexp(t, `"(loss_categories|statuses|sources)":null`, string(raw))
		assert.Contains(t, string(raw), `"loss_categories":[]`)
	}
	assert.Nil(t, missed.Statuses, "the caller's rule is unchanged")
	assert.Nil(t, pileup.Sources, "the caller's rule is unchanged")
	raw, err := json.Marshal(review.Report{})
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"loss_categories":[]`)
}

// TestProductFeedbackMemberOrder checks that writing its lists [] leaves
// the members of a product feedback in the order of its fields.
func TestProductFeedbackMemberOrder(t *testing.T) {
	raw, err := json.Marshal(review.ProductFeedback{Product: "p1", Event: "e1", Status: review.ActionStatus("proposed")})
	require.NoError(t, err)
	assert.Equal(t, `{"product":"p1","period":"","loss_reasons":[],"feedback_count":0,"feedback":[],"findings":[],"event":"e1","status":"proposed"}`, string(raw))
}

// TestReportEmptyFindings checks that a report built by hand without
// findings writes them [], before its outcome, whose lists are [] too.
func TestReportEmptyFindings(t *testing.T) {
	raw, err := json.Marshal(review.Report{Version: 1})
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(string(raw),
		`,"findings":[],"outcome":{"assignments":[],"product_feedback":[],"goal_proposals":[],"events":[]}}`), "%s", raw)
	assert.NotContains(t, string(raw), ":null,\"cells\"")
}
