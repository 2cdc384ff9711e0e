package pipeline_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// The commands keep none of their caller's slices, and return none of
// theirs: a caller that changes, in place, what it passed (an element
// overwritten, one appended within the slice's capacity, a reused
// buffer) changes neither what the command returned nor a stored record,
// and one that changes what the command returned changes no stored
// record.
func TestCommandsKeepNoCallersSlice(t *testing.T) {
	line := pipeline.Line{Product: pipelinetest.ProductWidget, Quantity: 2, UnitPrice: pipelinetest.MustEUR("10.00")}
	other := pipeline.Line{Product: pipelinetest.ProductGadget, Quantity: 7, UnitPrice: pipelinetest.MustEUR("99.00")}
	act := pipeline.Activity{ID: "a-1", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: pipelinetest.Epoch(), Notes: "first call"}
	// lines returns a slice of one line with room for one more, which
	// the caller then fills in place.
	lines := func() []pipeline.Line { return append(make([]pipeline.Line, 0, 2), line) }
	tests := []struct {
		name string
		// run runs the command and returns what it returned, and
		// functions that change, in place, the slices of its arguments and
		// those of its result.
		run func(ctx context.Context, e *pipeline.Engine) (result any, args, results func(), err error)
	}{
		{"receive_inquiry", func(ctx context.Context, e *pipeline.Engine) (any, func(), func(), error) {
			in := pipelinetest.NewInquiry("i-alias")
			in.Received = pipelinetest.Epoch()
			in.Activities = append(make([]pipeline.Activity, 0, 2), act)
			out, err := e.ReceiveInquiry(ctx, system, in, nil)
			return &out, func() {
					in.Activities[0].Notes = "changed"
					_ = append(in.Activities, act)
				}, func() {
					out.Activities[0].Notes = "changed too"
					out.History[0].Reason = "changed"
				}, err
		}},
		{"open_deal", func(ctx context.Context, e *pipeline.Engine) (any, func(), func(), error) {
			d := pipelinetest.NewDeal("d-alias")
			d.Lines = lines()
			out, err := e.OpenDeal(ctx, system, d, nil)
			return &out, func() {
					d.Lines[0] = other
					_ = append(d.Lines, other)
				}, func() {
					out.Lines[0] = other
					out.History[0].Reason = "changed"
				}, err
		}},
		{"set_terms", func(ctx context.Context, e *pipeline.Engine) (any, func(), func(), error) {
			terms := pipeline.Terms{Lines: lines()}
			out, err := e.SetTerms(ctx, system, dOpen, terms, nil)
			return &out, func() {
				terms.Lines[0] = other
				_ = append(terms.Lines, other)
			}, func() { out.Lines[0] = other }, err
		}},
		{"convert", func(ctx context.Context, e *pipeline.Engine) (any, func(), func(), error) {
			conv := pipeline.Conversion{Terms: pipeline.Terms{Lines: lines()}}
			in, d, err := e.Convert(ctx, system, iQualified, conv, nil)
			return []any{&in, &d}, func() {
					conv.Terms.Lines[0] = other
					_ = append(conv.Terms.Lines, other)
				}, func() {
					d.Lines[0] = other
					in.History[0].Reason = "changed"
				}, err
		}},
		{"follow_up", func(ctx context.Context, e *pipeline.Engine) (any, func(), func(), error) {
			fb := append(make([]sp.Feedback, 0, 2), sp.Feedback{ID: "fb-alias", Rating: 4, Category: sp.FeedbackService})
			out, err := e.FollowUp(ctx, system, dDelivered, fb, nil)
			return &out, func() {
					fb[0].Text = "changed"
					_ = append(fb, sp.Feedback{ID: "fb-more"})
				}, func() {
					out.Service.Feedback[0].Text = "changed too"
					out.Service.History[0].Reason = "changed"
				}, err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := fixture(t, nil)
			result, args, results, err := tc.run(ctx, s.Engine)
			require.NoError(t, err)
			stored, returned := snapshot(t, s), asText(t, result)
			args()
			assert.Equal(t, returned, asText(t, result), "a change to the arguments' slices reached the result")
			assert.Equal(t, stored, snapshot(t, s), "a change to the arguments' slices reached the store")
			results()
			assert.Equal(t, stored, snapshot(t, s), "a change to the result's slices reached the store")
		})
	}
}

// NewEngine keeps its own copy of Options.Pipelines: a caller that reuses
// the slice for another engine changes the pipelines of none it built.
func TestNewEngineKeepsNoPipelinesSlice(t *testing.T) {
	retail := pipeline.DefaultSpec()
	retail.Name = "retail"
	pipes := []*pipeline.Definition{pipeline.MustDefinition(retail)}
	e, err := pipeline.NewEngine(pipelinetest.NewMemStore(), pipelinetest.NewMemStore(), &pipeline.Options{Pipelines: pipes})
	require.NoError(t, err)
	wholesale := pipeline.DefaultSpec()
	wholesale.Name = "wholesale"
	pipes[0] = pipeline.MustDefinition(wholesale)
	got, ok := e.Pipeline("retail")
	require.True(t, ok, "the engine lost the pipeline it was built with")
	assert.Equal(t, "retail", got.Name())
	_, ok = e.Pipeline("wholesale")
	assert.False(t, ok, "the engine took a pipeline set in the caller's slice after NewEngine")
}

// asText returns the JSON of v.
func asText(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return string(raw)
}

// A deal copied by assignment shares its history with the original, as
// the docs of Machine and Definition say, so a move of each writes the
// same place; a Clone moved beside the original leaves the original's
// history as it was.
func TestMovingACloneKeepsTheOriginalsHistory(t *testing.T) {
	ctx := context.Background()
	def := pipeline.DefaultDefinition()
	stamp := pipeline.Stamp{At: pipelinetest.Epoch(), Actor: "rep-ann"}
	d := pipeline.Deal{ID: "d1"}
	require.NoError(t, def.Start(&d, stamp))
	require.NoError(t, def.Advance(ctx, &d, pipeline.DealQualification, stamp))
	require.NoError(t, def.Advance(ctx, &d, pipeline.DealProposal, stamp))
	require.Greater(t, cap(d.History), len(d.History), "the history must have room for the case to test")

	shared, clone := d, d.Clone()
	require.NoError(t, def.Advance(ctx, &d, pipeline.DealNegotiation, stamp))
	require.NoError(t, def.Lose(ctx, &clone, pipeline.DealLost, pipeline.LossReason{Category: pipeline.LossPrice, Detail: "dear"}, stamp))
	assert.Equal(t, pipeline.DealNegotiation, d.History[len(d.History)-1].To, "moving a clone changed the original's history")
	assert.NoError(t, pipeline.CheckHistory(d.Stage, d.History))

	require.NoError(t, def.Lose(ctx, &shared, pipeline.DealLost, pipeline.LossReason{Category: pipeline.LossPrice, Detail: "dear"}, stamp))
	assert.Equal(t, pipeline.DealLost, d.History[len(d.History)-1].To, "a copy by assignment no longer shares the history: the docs of Machine and Definition say it does")
}
