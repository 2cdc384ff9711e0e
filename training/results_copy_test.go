package training_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// What StartPilot, Improve and Onboard return is the trainer's own: it
// shares no slice with the caller's argument, so that a caller reusing
// its argument does not change the result.
func TestTrainerResultsShareNoSliceWithTheArguments(t *testing.T) {
	e := newEnv(t)
	p := testPilot(training.Criteria{})
	started, err := e.trainer.StartPilot(e.ctx, p)
	require.NoError(t, err)
	p.Localities[0] = "Ogdenville"
	assert.Equal(t, []string{"Springfield", "Shelbyville"}, started.Localities, "StartPilot")

	_, err = e.trainer.OpenIssue(e.ctx, "f1", training.Issue{ID: "I1", Title: "lid", Severity: training.SeverityInfo, Opened: t0})
	require.NoError(t, err)
	b := testBrief("1.1")
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b))
	resolves := []training.IssueID{"I1"}
	improved, err := e.trainer.Improve(e.ctx, "f1", training.Improvement{Version: v("1.1"), Summary: "new lid", Resolves: resolves, Time: t0.Add(time.Hour)})
	require.NoError(t, err)
	resolves[0] = "I9"
	require.Len(t, improved.Improvements, 1)
	assert.Equal(t, []training.IssueID{"I1"}, improved.Improvements[0].Resolves, "Improve")

	e.attempt(t, "a1", "r1", "p1-basics", 9)
	_, err = e.trainer.Certify(e.ctx, "r1", "p1-all")
	require.NoError(t, err)
	goal, err := salesprocess.ParseMoney("1000.00 EUR")
	require.NoError(t, err)
	ramp := []decimal.Decimal{decimal.RequireFromString("0.5"), decimal.NewFromInt(1)}
	o, err := e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "north", Start: e.clock.Peek(),
		MonthlyGoal: goal, Ramp: ramp})
	require.NoError(t, err)
	ramp[0] = decimal.Zero
	require.Len(t, o.Ramp, 2)
	assert.Equal(t, "0.5", o.Ramp[0].String(), "Onboard")
}
