package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/shopspring/decimal"
)

// The default deal pipeline: a deal starts in Prospecting and moves
// forward; winning needs a positive amount, and a won deal can be reopened.
func ExampleDefaultDefinition() {
	ctx := context.Background()
	p := pipeline.DefaultDefinition()
	for st := range p.Stages() {
		fmt.Printf("%-13s %-4s %s\n", st.Key, st.Kind, st.Probability)
	}

	amount, _ := sp.ParseMoney("1200.00 EUR")
	d := &pipeline.Deal{ID: "d-1", Owner: "rep-ann", Amount: amount}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	_ = p.Start(d, pipeline.Stamp{At: at, Actor: "rep-ann"})
	_ = p.Advance(ctx, d, pipeline.DealProposal, pipeline.Stamp{At: at.Add(time.Hour), Actor: "rep-ann"})
	_ = p.Override(d, decimal.RequireFromString("0.7"))
	fmt.Println(d.Stage, d.Probability, d.Overridden)

	err := p.Advance(ctx, d, pipeline.DealQualification, pipeline.Stamp{At: at.Add(2 * time.Hour), Actor: "rep-ann"})
	var te *pipeline.TransitionError
	fmt.Println(errors.Is(err, sp.ErrInvalidTransition), errors.As(err, &te) && te.From == "proposal" && te.To == "qualification")

	_ = p.Win(ctx, d, "", pipeline.Stamp{At: at.Add(3 * time.Hour), Actor: "rep-ann"})
	fmt.Println(d.Stage, d.Probability, d.Closed.Format(time.Kitchen))
	_ = p.Reopen(ctx, d, pipeline.DealNegotiation, pipeline.Stamp{At: at.Add(4 * time.Hour), Actor: "mgr"})
	fmt.Println(d.Stage, d.Probability, d.Closed.IsZero(), len(d.History))
	// Output:
	// prospecting   open 0.1
	// qualification open 0.2
	// proposal      open 0.5
	// negotiation   open 0.8
	// won           won  1
	// lost          lost 0
	// proposal 0.7 true
	// true true
	// won 1 12:00PM
	// negotiation 0.8 true 4
}

// A custom pipeline with a gate: a quote needs an amount, and a deal is
// never won without one.
func ExampleNewDefinition() {
	ctx := context.Background()
	p, err := pipeline.NewDefinition(pipeline.Spec{
		Name: "retail",
		Stages: []pipeline.StageSpec{
			{Key: "lead", Name: "Lead", Order: 1, Kind: pipeline.KindOpen, Probability: decimal.RequireFromString("0.1")},
			{Key: "quote", Name: "Quote", Order: 2, Kind: pipeline.KindOpen, Probability: decimal.RequireFromString("0.5"),
				Gates: []pipeline.Gate{pipeline.RequireAmount()}},
			{Key: "sold", Name: "Sold", Order: 3, Kind: pipeline.KindWon},
			{Key: "dropped", Name: "Dropped", Order: 4, Kind: pipeline.KindLost},
		},
		Backward: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := &pipeline.Deal{ID: "r-7", Pipeline: "retail", Owner: "rep-bob"}
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep-bob"}
	_ = p.Start(d, s)
	fmt.Println(p.Advance(ctx, d, "quote", s))
	d.Amount, _ = sp.ParseMoney("49.90 EUR")
	fmt.Println(p.Advance(ctx, d, "quote", s), d.Stage, d.Probability)

	_, err = pipeline.NewDefinition(pipeline.Spec{Name: "broken", Stages: []pipeline.StageSpec{
		{Key: "lead", Order: 1, Kind: pipeline.KindOpen},
		{Key: "sold", Order: 2, Kind: pipeline.KindWon},
	}})
	fmt.Println(err)
	// Output:
	// pipeline: deal pipeline "retail": lead → quote: needs an amount: its amount is not above zero; set its terms (lines or amount) first
	// <nil> quote 0.5
	// pipeline: deal pipeline "broken": invalid stages: no lost stage
}

// Definitions render as Mermaid state diagrams for documentation.
func ExampleDefinition_Mermaid() {
	p := pipeline.MustDefinition(pipeline.Spec{
		Name: "simple",
		Stages: []pipeline.StageSpec{
			{Key: "open", Name: "Open", Order: 1, Kind: pipeline.KindOpen, Probability: decimal.RequireFromString("0.25")},
			{Key: "won", Name: "Won", Order: 2, Kind: pipeline.KindWon},
			{Key: "lost", Name: "Lost", Order: 3, Kind: pipeline.KindLost},
		},
		Reopen: []pipeline.Move{{From: "lost", To: "open"}},
	})
	fmt.Print(p.Mermaid())
	// Output:
	// stateDiagram-v2
	//     [*] --> open
	//     open: Open (25 %)
	//     won: Won
	//     lost: Lost
	//     open --> won: a positive amount
	//     open --> lost
	//     lost --> open: reopen
	//     won --> [*]
	//     lost --> [*]
}

// The inquiry machine, drawn as Graphviz DOT.
func ExampleNewInquiryMachine() {
	m := pipeline.NewInquiryMachine()
	for e := range m.Edges() {
		fmt.Println(e.From, "→", e.To, e.Reopen)
	}
	// Output:
	// new → contacted false
	// new → disqualified false
	// contacted → qualified false
	// contacted → disqualified false
	// qualified → converted false
	// qualified → disqualified false
	// disqualified → new true
}

// A host's own machine over the after-sale records, with a guard and a hook.
func ExampleNewMachine() {
	type S = pipeline.ServiceStage
	m, err := pipeline.NewMachine(pipeline.MachineSpec[S, *pipeline.Service]{
		Name:    "delivery",
		Initial: pipeline.ServiceAwaitingDelivery,
		Stages: []pipeline.StageDef[S, *pipeline.Service]{
			{Stage: pipeline.ServiceAwaitingDelivery},
			{Stage: pipeline.ServiceDelivered, OnEnter: []pipeline.Hook[S, *pipeline.Service]{
				func(s *pipeline.Service, t pipeline.Transition[S]) {
					fmt.Println("delivered at", t.At.Format(time.DateOnly))
				},
			}},
			{Stage: pipeline.ServiceFollowedUp, Terminal: true, Guards: []pipeline.Guard[S, *pipeline.Service]{{
				Name: "customer feedback",
				Check: func(_ context.Context, s *pipeline.Service, _ pipeline.Transition[S]) error {
					if len(s.Feedback) == 0 {
						return errors.New("none recorded")
					}
					return nil
				},
			}}},
		},
		Edges: []pipeline.EdgeDef[S, *pipeline.Service]{
			{From: pipeline.ServiceAwaitingDelivery, To: pipeline.ServiceDelivered},
			{From: pipeline.ServiceDelivered, To: pipeline.ServiceFollowedUp},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	s := &pipeline.Service{}
	at := pipeline.Stamp{At: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC), Actor: "courier"}
	_ = m.Start(s, at)
	_ = m.Fire(ctx, s, pipeline.ServiceDelivered, at)
	fmt.Println(m.Fire(ctx, s, pipeline.ServiceFollowedUp, at))
	// Output:
	// delivered at 2026-11-20
	// pipeline: delivery: delivered → followed_up: needs customer feedback: none recorded
}

// An engine on an in-memory store: an inquiry comes in, is followed up and
// converted; the deal is won and followed up after delivery.
func ExampleNewEngine() {
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	events := &pipelinetest.Recorder{}
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: events})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor("rep-ann")
	in := pipeline.Inquiry{ID: "inq-1", Channel: "phone", Region: "north", Product: "widget", Customer: "acme", Owner: "rep-ann"}
	_, _ = e.ReceiveInquiry(ctx, sp.SystemActor("web-form"), in, nil)
	_, _ = e.Contact(ctx, ann, "inq-1", pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
	_, _ = e.Qualify(ctx, ann, "inq-1", nil)
	amount, _ := sp.ParseMoney("2400.00 EUR")
	_, d, _ := e.Convert(ctx, ann, "inq-1", pipeline.Conversion{Terms: pipeline.Terms{Amount: amount}}, nil)
	d, _ = e.Advance(ctx, ann, d.ID, pipeline.DealNegotiation, nil)
	d, _ = e.Win(ctx, ann, d.ID, &pipeline.CommandOptions{IdempotencyKey: "req-42"})
	d, _ = e.Win(ctx, ann, d.ID, &pipeline.CommandOptions{IdempotencyKey: "req-42"}) // a retry: applied once
	fmt.Println(d.Stage, d.Version, d.Service.Stage)
	_, err = e.Lose(ctx, sp.RepActor("rep-bob"), d.ID, pipeline.LossReason{Category: pipeline.LossOther, Detail: "x"}, nil)
	fmt.Println(errors.Is(err, sp.ErrForbidden))
	for _, typ := range events.Types() {
		fmt.Println(typ)
	}
	// Output:
	// won 3 awaiting_delivery
	// true
	// pipeline.inquiry.received
	// pipeline.inquiry.contacted
	// pipeline.inquiry.qualified
	// pipeline.deal.opened
	// pipeline.inquiry.converted
	// pipeline.deal.advanced
	// pipeline.deal.won
}

// A store that is an Outbox keeps each command's event in the command's own
// transaction; a relay of the host's delivers them from there. A refused
// command leaves no event.
func ExampleOutbox() {
	ctx := context.Background()
	store := pipelinetest.NewOutboxMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor("rep-ann")
	amount, _ := sp.ParseMoney("2400.00 EUR")
	d, _ := e.OpenDeal(ctx, ann, pipeline.Deal{ID: "deal-7", Owner: "rep-ann", Customer: "acme", Product: "widget", Amount: amount}, nil)
	_, _ = e.Advance(ctx, ann, d.ID, pipeline.DealProposal, nil)
	_, err = e.Advance(ctx, sp.RepActor("rep-bob"), d.ID, pipeline.DealNegotiation, nil)
	fmt.Println(errors.Is(err, sp.ErrForbidden))
	for _, ev := range store.Events() {
		fmt.Println(ev.ID, ev.Type)
	}
	// Output:
	// true
	// pipeline/deal/deal-7/1 pipeline.deal.opened
	// pipeline/deal/deal-7/2 pipeline.deal.advanced
}

// Lines make a deal's amount: each line rounded half-up to the cent.
func ExampleLinesTotal() {
	price, _ := sp.ParseMoney("19.99 EUR")
	total, err := pipeline.LinesTotal([]pipeline.Line{
		{Product: "widget", Quantity: 3, UnitPrice: price, Discount: decimal.RequireFromString("0.15")},
		{Product: "cable", Quantity: 2, UnitPrice: price},
	})
	fmt.Println(total, err)
	// Output: 90.95 EUR <nil>
}

// A follow-up policy says which inquiries are overdue and how late.
func ExampleFollowUpPolicy_Check() {
	received := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	in := pipeline.Inquiry{ID: "inq-1", Owner: "rep-ann", Stage: pipeline.InquiryNew, Received: received}
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 48 * time.Hour}
	o, late := p.Check(in, received.Add(6*time.Hour))
	fmt.Println(late, o.FirstContact, o.Late)
	// Output: true true 2h0m0s
}

// A pipeline kept in a host's configuration: the spec is decoded from JSON,
// and the gates and hooks, which are functions and have no JSON form, are
// attached in code by stage key before NewDefinition. A key the
// configuration lacks would leave its gate attached to nothing, so the
// host checks that each key it attaches to is there. The engine runs the
// deals that name the pipeline. A member the spec does not know, such as
// a misspelt probability, is refused naming it, rather than leave the
// stage at probability 0.
func ExampleSpec_configuration() {
	config := `{
	  "name": "b2b",
	  "stages": [
	    {"key": "lead", "name": "Lead", "order": 1, "probability": "0.1", "kind": "open"},
	    {"key": "proposal", "name": "Proposal", "order": 2, "probability": "0.5", "kind": "open"},
	    {"key": "negotiation", "name": "Negotiation", "order": 3, "probability": "0.8", "kind": "open"},
	    {"key": "signed", "name": "Signed", "order": 4, "kind": "won"},
	    {"key": "dropped", "name": "Dropped", "order": 5, "kind": "lost"}
	  ],
	  "reopen": [{"from": "dropped", "to": "lead"}]
	}`
	var spec pipeline.Spec
	if err := json.Unmarshal([]byte(config), &spec); err != nil {
		fmt.Println(err)
		return
	}

	certified := pipelinetest.Certified{"rep-ann": {"widget"}}
	gates := map[pipeline.DealStage][]pipeline.Gate{
		"proposal":    {pipeline.RequireAmount()},
		"negotiation": {pipeline.RequireCertifiedOwner(certified)},
	}
	signed := func(d *pipeline.Deal, t pipeline.Transition[pipeline.DealStage]) {
		fmt.Println("hook:", d.ID, "signed from", t.From)
	}
	for key, g := range gates {
		st := spec.Stage(key)
		if st == nil {
			fmt.Println("no stage", key, "in the configuration")
			return
		}
		st.Gates = append(st.Gates, g...)
	}
	if st := spec.Stage("signed"); st != nil {
		st.OnEnter = append(st.OnEnter, signed)
	}
	b2b, err := pipeline.NewDefinition(spec)
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{
		Clock: pipelinetest.NewClock(), Eligibility: certified, Pipelines: []*pipeline.Definition{b2b},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor("rep-ann")
	d, _ := e.OpenDeal(ctx, ann, pipeline.Deal{ID: "d-1", Pipeline: "b2b", Owner: "rep-ann", Customer: "acme", Product: "widget"}, nil)
	fmt.Println(d.Stage, d.Probability)
	_, err = e.Advance(ctx, ann, "d-1", "proposal", nil)
	fmt.Println(errors.Is(err, sp.ErrInvalidTransition))
	_, _ = e.SetTerms(ctx, ann, "d-1", pipeline.Terms{Amount: pipelinetest.MustEUR("1200.00")}, nil)
	d, _ = e.Advance(ctx, ann, "d-1", "negotiation", nil)
	fmt.Println(d.Stage, d.Probability)
	d, _ = e.Win(ctx, ann, "d-1", nil)
	fmt.Println(d.Stage, d.Probability, d.Amount)

	typo := `{"stages": [{"key": "lead", "order": 1, "probabilty": "0.1", "kind": "open"}]}`
	fmt.Println(json.Unmarshal([]byte(typo), &spec))
	// Output:
	// lead 0.1
	// true
	// negotiation 0.8
	// hook: d-1 signed from negotiation
	// signed 1 1200.00 EUR
	// invalid spec.stages[0].probabilty: unknown field
}
