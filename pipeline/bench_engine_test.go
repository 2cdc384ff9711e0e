package pipeline_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// benchEngine returns an engine on a new MemStore, with a stepping clock
// and the default policy, eligibility and publisher (none): the cost of a
// command is then the engine's and the in-memory store's.
func benchEngine(b *testing.B) *pipeline.Engine {
	b.Helper()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkEngineInquiryToWon runs an inquiry from its receipt to a won
// deal through the engine, one op being seven commands: receive, contact,
// qualify, convert, advance twice, win. Each op uses new IDs, so the store
// grows with b.N as a host's does.
func BenchmarkEngineInquiryToWon(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	rep := pipelinetest.Rep(pipelinetest.RepAnn)
	call := pipeline.Activity{Kind: pipeline.ActivityCall, Outcome: "interested"}
	conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("1500")}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := sp.InquiryID("i" + strconv.Itoa(i))
		in := pipelinetest.NewInquiry(id)
		in.Owner = pipelinetest.RepAnn
		if _, err := e.ReceiveInquiry(ctx, pipelinetest.System(), in, nil); err != nil {
			b.Fatal(err)
		}
		call.ID = "call-" + string(id)
		if _, err := e.Contact(ctx, rep, id, call, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := e.Qualify(ctx, rep, id, nil); err != nil {
			b.Fatal(err)
		}
		_, d, err := e.Convert(ctx, rep, id, conv, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, to := range []pipeline.DealStage{pipeline.DealProposal, pipeline.DealNegotiation} {
			if _, err := e.Advance(ctx, rep, d.ID, to, nil); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := e.Win(ctx, rep, d.ID, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenDealActivities opens a deal that comes with n activities, at
// n and 10n: the check that no activity ID is listed twice keeps the cost
// linear in n.
func BenchmarkOpenDealActivities(b *testing.B) {
	ctx := context.Background()
	due := pipelinetest.Epoch().Add(time.Hour)
	for _, n := range []int{100, 1000} {
		e := benchEngine(b)
		acts := make([]pipeline.Activity, n)
		for i := range acts {
			acts[i] = pipeline.Activity{ID: "a" + strconv.Itoa(i), Kind: pipeline.ActivityCall, Actor: "ann", Due: due}
		}
		seq := 0
		b.Run("activities="+strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				seq++
				d := pipelinetest.NewDeal(sp.DealID("d" + strconv.Itoa(seq)))
				d.Owner, d.Activities = pipelinetest.RepAnn, acts
				if _, err := e.OpenDeal(ctx, pipelinetest.System(), d, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
