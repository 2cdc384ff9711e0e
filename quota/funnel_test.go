package quota_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// funnelCounts returns reached, advanced, dropped and pending of each step.
func funnelCounts(g quota.FunnelGroup) [][4]int64 {
	var out [][4]int64
	for _, st := range g.Steps {
		out = append(out, [4]int64{st.Reached, st.Advanced, st.Dropped, st.Pending})
	}
	return out
}

// A won deal reached every stage of the order, whatever its stage and
// history say: here a deal won in a stage outside the order (the
// Outcome's call), after only prospecting.
func TestFunnelWonDealReachedEveryStage(t *testing.T) {
	const signed pipeline.DealStage = "signed"
	opts := &quota.Options{Outcome: func(d *pipeline.Deal) quota.Outcome {
		if d.Stage == signed {
			return quota.OutcomeWon
		}
		return quota.DefaultOutcome(d)
	}}
	deals := []pipeline.Deal{{ID: "d1", Owner: "a", Created: nov(2), Stage: signed,
		History: []pipeline.Transition[pipeline.DealStage]{
			{To: pipeline.DealProspecting, At: nov(2)},
			{From: pipeline.DealProspecting, To: signed, At: nov(9)},
		}}}
	rep, err := quota.Funnel(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{}, opts)
	require.NoError(t, err)
	assert.Equal(t, [][4]int64{{1, 1, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}}, funnelCounts(rep.Total))
}

// A deal has been in the stage a transition of its history leaves, not
// only in those transitions enter: a deal whose history begins by leaving
// proposal (its earlier moves not recorded) reached proposal, and, lost
// there, dropped at the step from proposal.
func TestFunnelHistoryFromStageIsReached(t *testing.T) {
	deals := []pipeline.Deal{{ID: "d1", Owner: "a", Created: nov(2), Stage: pipeline.DealLost,
		History: []pipeline.Transition[pipeline.DealStage]{
			{From: pipeline.DealProposal, To: pipeline.DealLost, At: nov(9)},
		}}}
	rep, err := quota.Funnel(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, [][4]int64{{1, 1, 0, 0}, {1, 1, 0, 0}, {1, 0, 1, 0}, {0, 0, 0, 0}}, funnelCounts(rep.Total))
}

// Deals without history, as imported from a system that kept none, are
// judged by their current stage alone, as Funnel says: the won deal
// reached every stage, the lost one none, so it counts in Deals and in no
// step, and the funnel shows no drop.
func TestFunnelDealsWithoutHistory(t *testing.T) {
	deals := []pipeline.Deal{
		{ID: "d1", Owner: "a", Created: nov(2), Stage: pipeline.DealWon},
		{ID: "d2", Owner: "a", Created: nov(2), Stage: pipeline.DealLost},
	}
	rep, err := quota.Funnel(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), rep.Total.Deals)
	assert.Equal(t, [][4]int64{{1, 1, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}}, funnelCounts(rep.Total))
}

// The report's stages are its own: Options are not retained, so changing
// the caller's order after the call leaves the report as it was, and
// changing the report leaves the caller's order alone.
func TestFunnelStagesAreACopy(t *testing.T) {
	stages := []pipeline.DealStage{pipeline.DealQualification, pipeline.DealProposal, pipeline.DealWon}
	want := append([]pipeline.DealStage(nil), stages...)
	rep, err := quota.Funnel(nil, sp.Month(2026, time.November, nil), quota.Grouping{}, &quota.Options{Stages: stages})
	require.NoError(t, err)
	require.Equal(t, want, rep.Stages)
	stages[0] = pipeline.DealNegotiation
	assert.Equal(t, want[0], rep.Stages[0], "the caller's change shows in the report")
	stages[0] = want[0]
	rep.Stages[1] = pipeline.DealNegotiation
	assert.Equal(t, want, stages, "the report's change shows in the caller's order")
}

// Funnel reads Options.Stages when it is called, as the Options' doc
// says of every field. It kept the caller's slice and read it as it went
// over the deals, so that a caller reusing its slice while the deals were
// read (here, the sequence of deals itself) changed the counts, and the
// report's order, part way through.
func TestFunnelReadsItsStagesWhenCalled(t *testing.T) {
	order := []pipeline.DealStage{pipeline.DealQualification, pipeline.DealProposal, pipeline.DealWon}
	deals := []pipeline.Deal{
		{ID: "d1", Owner: "a", Created: nov(2), Stage: pipeline.DealProposal},
		{ID: "d2", Owner: "a", Created: nov(3), Stage: pipeline.DealQualification},
	}
	period := sp.Month(2026, time.November, nil)
	want, err := quota.Funnel(quota.Refs(deals), period, quota.Grouping{}, &quota.Options{Stages: slices.Clone(order)})
	require.NoError(t, err)

	stages := slices.Clone(order)
	reusing := func(yield func(*pipeline.Deal) bool) {
		for i := range deals {
			if !yield(&deals[i]) {
				return
			}
			copy(stages, []pipeline.DealStage{pipeline.DealNegotiation, pipeline.DealLost, pipeline.DealProspecting})
		}
	}
	got, err := quota.Funnel(reusing, period, quota.Grouping{}, &quota.Options{Stages: stages})
	require.NoError(t, err)
	assert.Equal(t, order, got.Stages)
	assert.Equal(t, funnelCounts(want.Total), funnelCounts(got.Total), "a change to the caller's stages during the call reached the counts")
}
