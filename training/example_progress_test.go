package training_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// A manager asks how far a rep has come in a curriculum: the attempts made
// by a time, each module's best score, and whether every module is passed.
func ExampleTrainer_Progress() {
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	catalog, err := training.NewCatalog(
		[]training.Module{
			{ID: "kit-basics", Title: "Solar kit basics", Kind: training.ModuleProductKnowledge, Product: "solar-kit",
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "phone-sales", Title: "Selling by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 100, PassMark: 70}},
		},
		[]training.Curriculum{{ID: "kit-phone", Title: "Solar kit by phone", Product: "solar-kit", Channel: "phone",
			Modules: []training.ModuleID{"kit-basics", "phone-sales"}, ValidMonths: 12}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	clock := salesprocess.NewSteppingClock(start, time.Hour)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: clock})
	brief := training.Brief{Product: "solar-kit", Version: training.MustParseVersion("1.0"), Published: start.Add(-time.Hour)}
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range []training.Attempt{
		{ID: "a1", Rep: "ann", Module: "kit-basics", Score: 6},
		{ID: "a2", Rep: "ann", Module: "kit-basics", Score: 9},
		{ID: "a3", Rep: "ann", Module: "phone-sales", Score: 55},
	} {
		if _, err := trainer.RecordAttempt(ctx, a); err != nil {
			fmt.Println(err)
			return
		}
	}
	p, err := trainer.Progress(ctx, "ann", "kit-phone", clock.Peek())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Rep, p.Curriculum, p.BriefVersion, p.Complete)
	for _, m := range p.Modules {
		fmt.Println(m.Module, m.Attempts, m.BestScore, m.Passed, m.PassedAt.Format(time.TimeOnly))
	}

	// Before her second attempt, the first one alone counts.
	p, _ = trainer.Progress(ctx, "ann", "kit-phone", start.Add(30*time.Minute))
	fmt.Println(p.Modules[0].Attempts, p.Modules[0].BestScore, p.Modules[0].Passed)

	_, err = trainer.Progress(ctx, "ann", "kit-online", start)
	fmt.Println(errors.Is(err, salesprocess.ErrInvalid))
	// Output:
	// ann kit-phone 1.0 false
	// kit-basics 2 9 true 10:00:00
	// phone-sales 1 55 false 00:00:00
	// 1 6 false
	// true
}
