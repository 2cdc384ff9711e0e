package pipeline_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// The package doc says a transition allocates nothing beyond the amortized
// growth of the history, and a refused one nothing after the first, whose
// error the definition keeps: the benchmarks measure it, and these tests
// keep it.
func TestTransitionsAllocateNothing(t *testing.T) {
	p := pipeline.DefaultDefinition()
	ctx := context.Background()
	amount, err := sp.NewMoneyFromMinor(100000, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	stored := pipeline.Deal{ID: "d1", Owner: "rep", Stage: pipeline.DealProspecting, Amount: amount, Probability: decimal.New(1, -1), Version: 1}
	buf := make([]pipeline.Transition[pipeline.DealStage], 0, 8)
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	d := new(pipeline.Deal)
	var failed error
	allocs := testing.AllocsPerRun(100, func() {
		*d = stored
		d.History = buf[:0]
		for _, err := range []error{
			p.Advance(ctx, d, pipeline.DealQualification, s),
			p.Advance(ctx, d, pipeline.DealProposal, s),
			p.Win(ctx, d, pipeline.DealWon, s),
			p.Reopen(ctx, d, pipeline.DealNegotiation, s),
			p.Win(ctx, d, "", s),
		} {
			if err != nil && failed == nil {
				failed = err
			}
		}
	})
	if failed != nil {
		t.Fatal(failed)
	}
	assert.Zero(t, allocs, "Advance, Win and Reopen with room in the history")

	d.Stage, d.History = pipeline.DealWon, buf[:0]
	allocs = testing.AllocsPerRun(100, func() {
		if p.Advance(ctx, d, pipeline.DealProspecting, s) == nil {
			failed = errAllowed
		}
	})
	if failed != nil {
		t.Fatal(failed)
	}
	assert.Zero(t, allocs, "a refused move, its error kept since the first refusal")
}

var errAllowed = sp.Invalid("", "a refused move was allowed")
