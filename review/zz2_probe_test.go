package review_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

func TestZZProbe2(t *testing.T) {
	p := func(name string, err error) { fmt.Printf("%-34s %v\n", name, err) }
	ctx := context.Background()
	def := pipeline.DefaultDefinition()
	d := pipelinetest.NewDeal("d1")
	p("def.Start", def.Start(&d, pipeline.Stamp{At: time.Now()}))
	p("def.Advance bad", def.Advance(ctx, &d, "won", pipeline.Stamp{At: time.Now()}))
	p("def.Advance unknown", def.Advance(ctx, &d, "zzz", pipeline.Stamp{At: time.Now()}))
	p("def.Win", def.Win(ctx, &d, "won", pipeline.Stamp{At: time.Now()}))
	p("def.Lose", def.Lose(ctx, &d, "lost", pipeline.LossReason{}, pipeline.Stamp{At: time.Now()}))
	p("def.Reopen", def.Reopen(ctx, &d, "proposal", pipeline.Stamp{At: time.Now()}))
	p("def.ResetProbability", def.ResetProbability(nil))
	m := pipeline.NewInquiryMachine()
	in := pipelinetest.NewInquiry("i1")
	p("m.Fire", m.Fire(ctx, &in, "converted", pipeline.Stamp{At: time.Now()}))
	p("m.Fire unknown", m.Fire(ctx, &in, "zz", pipeline.Stamp{At: time.Now()}))
	p("m.Start", m.Start(&in, pipeline.Stamp{}))
	p("m.Reopen", m.Reopen(ctx, &in, "new", pipeline.Stamp{}))
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.GetDeal(ctx, "zz")
	p("engine.GetDeal", err)
	_, err = s.Engine.Win(ctx, pipelinetest.Admin(), "zz", nil)
	p("engine.Win", err)
	_, err = s.Engine.OpenDeal(ctx, pipelinetest.Admin(), pipeline.Deal{}, nil)
	p("engine.OpenDeal", err)
	_, err = s.Store.GetDeal(ctx, "zz")
	p("memstore.GetDeal", err)
}
