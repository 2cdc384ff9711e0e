package quota_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// A classification that returns something other than open, won or lost
// (here the zero Outcome, as a switch without a default gives) counts the
// deal as open in every calculator, never as won.
func TestOutcomeOtherThanWonOrLostIsOpen(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	deals := []pipeline.Deal{
		won("w1", "a", "north", cents(100), nov(3)),
		lost("l1", "a", "north", nov(4)),
		{ID: "x", Owner: "a", Region: "north", Stage: pipeline.DealProspecting, Created: nov(1), Closed: nov(5),
			History: []pipeline.Transition[pipeline.DealStage]{{To: pipeline.DealProspecting, At: nov(1)}}},
	}
	opts := &quota.Options{Outcome: func(d *pipeline.Deal) quota.Outcome {
		switch d.Stage {
		case pipeline.DealWon:
			return quota.OutcomeWon
		case pipeline.DealLost:
			return quota.OutcomeLost
		}
		return ""
	}}

	wr, err := quota.WinRates(quota.Refs(deals), month, quota.Grouping{}, opts)
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 1, Den: 2}, wr.Total.WinRate.Rate, "win rate")

	v, err := quota.Velocity(quota.Refs(deals), month, quota.Grouping{}, opts)
	require.NoError(t, err)
	assert.Equal(t, [3]int64{1, 1, 1}, [3]int64{v.Total.Open, v.Total.Won, v.Total.Lost}, "velocity: open, won, lost")

	f, err := quota.Funnel(quota.Refs(deals), month, quota.Grouping{}, opts)
	require.NoError(t, err)
	st := f.Total.Steps[0]
	assert.Equal(t, [4]int64{1, 0, 0, 1}, [4]int64{st.Reached, st.Advanced, st.Dropped, st.Pending},
		"funnel prospecting → qualification: reached, advanced, dropped, pending")
}

// Nil definitions are skipped, not taken for the default pipeline, whose
// name is empty as a nil definition's is: a deal of the default pipeline
// is still classified by DefaultOutcome.
func TestOutcomeBySkipsNilDefinitions(t *testing.T) {
	outcome := quota.OutcomeBy(nil)
	for _, tt := range []struct {
		stage pipeline.DealStage
		want  quota.Outcome
	}{
		{pipeline.DealWon, quota.OutcomeWon},
		{pipeline.DealLost, quota.OutcomeLost},
		{pipeline.DealProposal, quota.OutcomeOpen},
	} {
		assert.Equal(t, tt.want, outcome(&pipeline.Deal{ID: "d1", Stage: tt.stage}), "%s", tt.stage)
	}
}
