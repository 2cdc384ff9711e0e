package review_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/review"
)

func TestReportFinding(t *testing.T) {
	bob, bobWidget := review.RepSubject("bob"), review.RepProductSubject("bob", "widget")
	rep := review.Report{Findings: []review.Finding{
		{ID: "target_missed:rep=bob:2026-11,revenue", Rule: review.RuleTargetMissed, Subject: bob, Severity: review.SeverityCritical},
		{ID: "target_missed:rep=bob:2026-11,deals", Rule: review.RuleTargetMissed, Subject: bob, Severity: review.SeverityWarning},
		{ID: "certification:rep=bob,product=widget", Rule: review.RuleCertification, Subject: bobWidget, Severity: review.SeverityWarning},
		{ID: "slow_follow_up:rep=bob", Rule: review.RuleSlowFollowUp, Subject: bob, Severity: review.SeverityWarning,
			Evidence: []review.Evidence{{Name: "overdue", Value: "6 of 6"}}},
		{ID: "target_met:rep=ann:2026-11,revenue", Rule: review.RuleTargetMet, Subject: review.RepSubject("ann"), Severity: review.SeverityInfo},
	}}

	t.Run("ok_first_in_order", func(t *testing.T) {
		f, ok := rep.Finding(review.RuleTargetMissed, bob)
		require.True(t, ok)
		assert.Equal(t, "target_missed:rep=bob:2026-11,revenue", f.ID, "the first, most severe")
		f, ok = rep.Finding(review.RuleSlowFollowUp, bob)
		require.True(t, ok)
		assert.Equal(t, rep.Findings[3], f)
		f, ok = rep.Finding(review.RuleCertification, bobWidget)
		require.True(t, ok)
		assert.Equal(t, rep.Findings[2].ID, f.ID)
	})
	t.Run("err_none", func(t *testing.T) {
		for name, c := range map[string]struct {
			rule    string
			subject review.Subject
		}{
			"other_rule":               {review.RuleTargetMet, bob},
			"other_subject_same_rep":   {review.RuleCertification, bob},
			"other_kind_same_ids":      {review.RuleTargetMissed, bobWidget},
			"other_rep":                {review.RuleTargetMissed, review.RepSubject("ann")},
			"empty_rule":               {"", bob},
			"zero_subject":             {review.RuleTargetMissed, review.Subject{}},
			"rule_differs_in_case":     {"Target_Missed", bob},
			"region_of_the_same_name":  {review.RuleTargetMissed, review.RegionSubject("bob")},
			"product_of_a_rep_finding": {review.RuleCertification, review.ProductSubject("widget")},
		} {
			t.Run(name, func(t *testing.T) {
				f, ok := rep.Finding(c.rule, c.subject)
				assert.False(t, ok)
				assert.Equal(t, review.Finding{}, f)
				assert.Nil(t, rep.FindingsAbout(c.subject, c.rule))
			})
		}
	})
	t.Run("about_subject", func(t *testing.T) {
		ids := func(fs []review.Finding) []string {
			var out []string
			for _, f := range fs {
				out = append(out, f.ID)
			}
			return out
		}
		assert.Equal(t, []string{"target_missed:rep=bob:2026-11,revenue", "target_missed:rep=bob:2026-11,deals", "slow_follow_up:rep=bob"},
			ids(rep.FindingsAbout(bob)), "every rule, in order")
		assert.Equal(t, []string{"target_missed:rep=bob:2026-11,revenue", "target_missed:rep=bob:2026-11,deals"},
			ids(rep.FindingsAbout(bob, review.RuleTargetMissed)))
		assert.Equal(t, []string{"target_missed:rep=bob:2026-11,revenue", "target_missed:rep=bob:2026-11,deals", "slow_follow_up:rep=bob"},
			ids(rep.FindingsAbout(bob, review.RuleSlowFollowUp, review.RuleTargetMissed, review.RuleTargetMet)), "any of the rules given")
		assert.Equal(t, []string{"certification:rep=bob,product=widget"}, ids(rep.FindingsAbout(bobWidget)))
		assert.Nil(t, rep.FindingsAbout(review.ProductSubject("widget")))

		// The slice is the caller's.
		got := rep.FindingsAbout(bob)
		got[0] = review.Finding{}
		assert.Equal(t, "target_missed:rep=bob:2026-11,revenue", rep.Findings[0].ID)
	})
	t.Run("nil_report", func(t *testing.T) {
		var r *review.Report
		f, ok := r.Finding(review.RuleTargetMissed, bob)
		assert.False(t, ok)
		assert.Equal(t, review.Finding{}, f)
		assert.Nil(t, r.FindingsAbout(bob))
	})
}
