package training_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// refusal is a host's JSON body for a refusal: the error's text and its parts,
// taken from the exported fields of the typed errors. The errors have no JSON
// form of their own; their parts do (a Reason, an ID).
type refusal struct {
	Error      string                `json:"error"`
	Rep        salesprocess.RepID    `json:"rep"`
	Curriculum training.CurriculumID `json:"curriculum,omitempty"`
	Missing    []training.ModuleID   `json:"missing,omitempty"`
	Since      *time.Time            `json:"since,omitempty"`
	Reasons    []training.Reason     `json:"reasons,omitempty"`
}

func refusalOf(err error) (refusal, bool) {
	var ie *training.IncompleteError
	if errors.As(err, &ie) {
		r := refusal{Error: err.Error(), Rep: ie.Rep, Curriculum: ie.Curriculum, Missing: ie.Missing}
		if !ie.Since.IsZero() { // passes before it did not count
			r.Since = &ie.Since
		}
		return r, true
	}
	var nre *training.NotReadyError
	if errors.As(err, &nre) {
		return refusal{Error: err.Error(), Rep: nre.Rep, Reasons: nre.Reasons}, true
	}
	return refusal{}, false
}

// A host that serves certification and readiness over HTTP answers a refusal
// (an error wrapping salesprocess.ErrForbidden: a 403) with its parts as JSON,
// from the exported fields of *IncompleteError (the modules not passed) and
// *NotReadyError (the reasons, each with its machine-readable code), without
// parsing the message.
func ExampleIncompleteError_httpBody() {
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
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: salesprocess.FixedClock(start)})
	if err := trainer.PublishBrief(ctx, training.Brief{Product: "solar-kit", Version: training.MustParseVersion("1.0"), Published: start}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "ann", Module: "kit-basics", Score: 9}); err != nil {
		fmt.Println(err)
		return
	}

	show := func(err error) {
		body, ok := refusalOf(err)
		data, _ := json.Marshal(body)
		fmt.Println(errors.Is(err, salesprocess.ErrForbidden), ok, string(data))
	}
	_, err = trainer.Certify(ctx, "ann", "kit-phone")
	show(err)
	show(trainer.Readiness().Eligible(ctx, "ann", "solar-kit", "phone", start))
	// Output:
	// true true {"error":"training: rep \"ann\" has not completed curriculum \"kit-phone\": modules not passed: phone-sales","rep":"ann","curriculum":"kit-phone","missing":["phone-sales"]}
	// true true {"error":"training: rep \"ann\" not ready for product \"solar-kit\" on channel \"phone\": no_certificate (no certificate for the product)","rep":"ann","reasons":[{"code":"no_certificate","detail":"no certificate for the product"}]}
}
