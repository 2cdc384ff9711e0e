package pipeline_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// One Definition, with gates and hooks, serves many goroutines at once:
// each moves its own deals through every kind of move while the others
// read the definition, stopping its iterators early. Run with -race.
func TestDefinitionSharedBetweenGoroutines(t *testing.T) {
	var entered atomic.Int64
	spec := pipeline.DefaultSpec()
	for i := range spec.Stages {
		switch spec.Stages[i].Key {
		case pipeline.DealProposal:
			spec.Stages[i].Gates = []pipeline.Gate{{Name: "has_lines", Check: func(_ context.Context, d *pipeline.Deal, _ pipeline.Transition[pipeline.DealStage]) error {
				if len(d.Lines) == 0 {
					return fmt.Errorf("no lines: %w", sp.ErrForbidden)
				}
				return nil
			}}}
		case pipeline.DealNegotiation:
			spec.Stages[i].OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(*pipeline.Deal, pipeline.Transition[pipeline.DealStage]) {
				entered.Add(1)
			}}
		}
	}
	def, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	want := def.Mermaid()

	const workers, deals = 8, 40
	ctx := context.Background()
	at := pipelinetest.Epoch()
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = func() error {
				for i := range deals {
					d := pipelinetest.NewDeal(sp.DealID(fmt.Sprintf("d-%d-%d", w, i)))
					d.Amount = pipelinetest.MustEUR("100.00")
					s := pipeline.Stamp{At: at.Add(time.Duration(i) * time.Minute), Actor: "system"}
					if err := def.Start(&d, s); err != nil {
						return err
					}
					for _, to := range []pipeline.DealStage{pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation} {
						if err := def.Advance(ctx, &d, to, s); err != nil {
							return err
						}
					}
					if i%2 == 0 {
						if err := def.Lose(ctx, &d, "", pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}, s); err != nil {
							return err
						}
						if err := def.Reopen(ctx, &d, pipeline.DealNegotiation, s); err != nil {
							return err
						}
					}
					if err := def.Win(ctx, &d, "", s); err != nil {
						return err
					}
					if d.Stage != pipeline.DealWon || d.Closed.IsZero() {
						return fmt.Errorf("deal %s: stage %s, closed %v", d.ID, d.Stage, d.Closed)
					}
					for range def.Stages() {
						break
					}
					for range def.Machine().Edges() {
						break
					}
					if got := def.Mermaid(); got != want {
						return fmt.Errorf("Mermaid changed under use")
					}
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	for w, err := range errs {
		require.NoError(t, err, "worker %d", w)
	}
	assert.Equal(t, int64(workers*deals+workers*deals/2), entered.Load(), "hook runs, one per entry into negotiation")
}
