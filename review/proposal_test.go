package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// Two findings that propose different targets for the same goal make two
// proposals, each with the finding behind it; the same target proposed
// twice is one proposal with both findings.
func TestGoalProposalsByTarget(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	goal := quota.Goal{Rep: "ann", Period: november, Revenue: mustMoney("1000.00 EUR")}
	propose := func(name, amount string) review.Rule {
		return review.NewRule(name, func(context.Context, *review.Snapshot) ([]review.Finding, error) {
			g := goal
			to := quota.Amount{Money: mustMoney(amount)}
			return []review.Finding{{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: name,
				Actions: []review.Action{{Kind: review.ActionAdjustGoal, Rep: "ann", Goal: &g, Proposed: &to, Note: name}}}}, nil
		})
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{
		propose("market", "800.00 EUR"), propose("pipeline", "600.00 EUR"), propose("again", "800.00 EUR"),
	}})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now, Goals: []quota.Goal{goal}})
	require.NoError(t, err)
	got := map[string][]string{}
	for _, p := range rep.Outcome.GoalProposals {
		got[p.Proposed.String()] = p.Findings
	}
	assert.Equal(t, map[string][]string{
		"800.00 EUR": {"again:rep=ann", "market:rep=ann"},
		"600.00 EUR": {"pipeline:rep=ann"},
	}, got)
}
