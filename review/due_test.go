package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// Two findings that call for the same retraining, one of them by a
// certificate's expiry two days ahead, make one assignment due at the
// earlier date, whichever finding comes first in the report.
func TestMergedAssignmentKeepsEarliestDue(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	soon := now.Add(48 * time.Hour)
	subj := review.RepProductSubject("ann", widget)
	lag := review.NewRule("lag", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: subj, Severity: review.SeverityWarning, Cause: review.CauseRep, Summary: "lags",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget}}}}, nil
	})
	expiry := review.NewRule("expiry", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: subj, Severity: review.SeverityInfo, Cause: review.CauseRep, Summary: "expires",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Due: soon}}}}, nil
	})
	for _, rules := range [][]review.Rule{{lag, expiry}, {expiry, lag}} {
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: rules,
			Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now})
		require.NoError(t, err)
		require.Len(t, rep.Outcome.Assignments, 1)
		a := rep.Outcome.Assignments[0]
		assert.Len(t, a.Findings, 2)
		assert.True(t, a.Assignment.Due.Equal(soon), "due %s, want %s", a.Assignment.Due, soon)
	}
}
