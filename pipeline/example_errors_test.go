package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// problem is a host's JSON body for a refused command: the status chosen by
// the root sentinels, the message, and the parts of the typed errors.
type problem struct {
	Status int    `json:"status"`
	Error  string `json:"error"`
	// Field and Reason are those of the *sp.ValidationError, if any.
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"`
	// From, To and Guard are those of the *pipeline.TransitionError, if any.
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	Guard string `json:"guard,omitempty"`
}

// status maps an error to an HTTP status by the root sentinels alone. A gate
// that refuses with an error of its own makes a *pipeline.TransitionError that
// unwraps to both sp.ErrInvalidTransition and that error:
// RequireCertifiedOwner's refusal is sp.ErrForbidden too, so the order of the
// cases decides its status (here 403, the owner's fault, before 422).
func status(err error) int {
	switch {
	case errors.Is(err, sp.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, sp.ErrConflict), errors.Is(err, sp.ErrDuplicate):
		return http.StatusConflict
	case errors.Is(err, sp.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, sp.ErrInvalidTransition):
		return http.StatusUnprocessableEntity
	case errors.Is(err, sp.ErrInvalid), errors.Is(err, sp.ErrCurrencyMismatch):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func problemOf(err error) problem {
	p := problem{Status: status(err), Error: err.Error()}
	var ve *sp.ValidationError
	if errors.As(err, &ve) {
		p.Field, p.Reason = ve.Field, ve.Reason
	}
	var te *pipeline.TransitionError
	if errors.As(err, &te) {
		p.From, p.To, p.Guard = te.From, te.To, te.Guard
	}
	return p
}

// A host that serves the engine's commands over HTTP answers a refused command
// with a status chosen by errors.Is on the root sentinels, and takes the field
// at fault and the refused move from the exported fields of the typed errors,
// without parsing the message: a *sp.ValidationError names the field by its
// path within the command's argument ("loss.category"), and a
// *pipeline.TransitionError gives the stages and the gate that refused.
func ExampleTransitionError_httpBody() {
	ctx := context.Background()
	spec := pipeline.DefaultSpec()
	spec.Stage(pipeline.DealNegotiation).Gates = []pipeline.Gate{
		pipeline.RequireCertifiedOwner(pipelinetest.Certified{pipelinetest.RepAnn: {"widget"}}),
	}
	def, err := pipeline.NewDefinition(spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{def}})
	if err != nil {
		fmt.Println(err)
		return
	}
	admin := pipelinetest.Admin()
	d := pipelinetest.NewDeal("d-1")
	d.Owner = pipelinetest.RepBob // not certified for widget
	if _, err := e.OpenDeal(ctx, admin, d, nil); err != nil {
		fmt.Println(err)
		return
	}

	show := func(err error) {
		body, _ := json.Marshal(problemOf(err))
		fmt.Println(string(body))
	}
	_, err = e.Lose(ctx, admin, "d-1", pipeline.LossReason{Category: "cost", Detail: "too dear"}, nil)
	show(err)
	_, err = e.Advance(ctx, admin, "d-1", pipeline.DealNegotiation, nil)
	show(err)
	fmt.Println(errors.Is(err, sp.ErrInvalidTransition), errors.Is(err, sp.ErrForbidden))
	_, err = e.Win(ctx, admin, "d-2", nil)
	show(err)
	// Output:
	// {"status":400,"error":"pipeline: lose deal \"d-1\": invalid loss.category: unknown loss category \"cost\"; want one of price, product, competitor, timing, no_decision, rep_execution, other","field":"loss.category","reason":"unknown loss category \"cost\"; want one of price, product, competitor, timing, no_decision, rep_execution, other"}
	// {"status":403,"error":"pipeline: advance deal \"d-1\": deal pipeline: prospecting → negotiation: needs a certified owner: pipelinetest: rep \"rep-bob\" is not certified for \"widget\": salesprocess: forbidden","from":"prospecting","to":"negotiation","guard":"a certified owner"}
	// true true
	// {"status":404,"error":"pipeline: win deal \"d-2\": pipelinetest: deal \"d-2\": salesprocess: not found"}
}
