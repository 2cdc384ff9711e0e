package training_test

import (
	"context"
	"fmt"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// ExampleOptions_location certifies reps of two regions through one
// Trainer whose clock reads UTC, with Options.Location giving each rep
// the zone of the rep's region: at 07:30 UTC on March 1, 2027 it is 16:30
// on March 1 in Tokyo and 23:30 on February 28 in Los Angeles, so a
// month's certificate runs to March 28 at the rep's own time of day in Los
// Angeles, not to April 1 as the clock's calendar would have it. The
// eligibility check ends at that instant, and its reason says when in the
// rep's zone. A rep of no known region keeps the clock's calendar.
func ExampleOptions_location() {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		fmt.Println(err)
		return
	}
	losAngeles, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		fmt.Println(err)
		return
	}
	regions := map[salesprocess.RegionID]salesprocess.Region{
		"kanto": {ID: "kanto", Name: "Kanto", Location: tokyo},
		"west":  {ID: "west", Name: "West Coast", Location: losAngeles},
	}
	reps := map[salesprocess.RepID]salesprocess.RegionID{"kei": "kanto", "liz": "west"}
	zone := func(rep salesprocess.RepID) *time.Location {
		if r, ok := regions[reps[rep]]; ok {
			return r.Loc()
		}
		return nil // the clock's zone
	}

	catalog, err := training.NewCatalog(
		[]training.Module{{ID: "pump-1", Title: "The pump", Kind: training.ModuleProductKnowledge, Product: "pump",
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}}},
		[]training.Curriculum{{ID: "pump", Title: "The pump", Product: "pump", Modules: []training.ModuleID{"pump-1"}, ValidMonths: 1}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2027, 3, 1, 7, 30, 0, 0, time.UTC)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog,
		&training.Options{Clock: salesprocess.FixedClock(now), Location: zone})
	if err := trainer.PublishBrief(ctx, training.Brief{Product: "pump", Version: training.MustParseVersion("1.0"), Published: now.AddDate(0, -1, 0)}); err != nil {
		fmt.Println(err)
		return
	}
	for _, rep := range []salesprocess.RepID{"kei", "liz", "max"} {
		if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: training.AttemptID(rep + "-1"), Rep: rep, Module: "pump-1", Score: 9, Time: now.Add(-time.Hour)}); err != nil {
			fmt.Println(err)
			return
		}
		c, err := trainer.Certify(ctx, rep, "pump")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rep, c.Issued.Format(time.RFC3339), "to", c.Expires.Format(time.RFC3339))
	}

	r := trainer.Readiness()
	end := time.Date(2027, 3, 28, 23, 30, 0, 0, losAngeles)
	fmt.Println(r.Eligible(ctx, "liz", "pump", "phone", end.Add(-time.Second)))
	fmt.Println(r.Eligible(ctx, "liz", "pump", "phone", end))
	// Output:
	// kei 2027-03-01T16:30:00+09:00 to 2027-04-01T16:30:00+09:00
	// liz 2027-02-28T23:30:00-08:00 to 2027-03-28T23:30:00-07:00
	// max 2027-03-01T07:30:00Z to 2027-04-01T07:30:00Z
	// <nil>
	// training: rep "liz" not ready for product "pump" on channel "phone": expired (expired at 2027-03-28T23:30:00-07:00)
}
