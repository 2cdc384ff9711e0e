package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// After the sale: a won deal awaits delivery, is delivered, and is followed
// up with the customer, whose feedback is completed from the deal (its deal,
// customer and product, the source sp.FromCustomer, the time of the
// follow-up) and kept with it in Deal.Service, where package review reads it.
func ExampleEngine_FollowUp() {
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor(pipelinetest.RepAnn)
	d, _ := e.OpenDeal(ctx, ann, pipelinetest.NewDeal("d-1"), nil)
	_, _ = e.Advance(ctx, ann, d.ID, pipeline.DealNegotiation, nil)
	d, _ = e.Win(ctx, ann, d.ID, nil)
	fmt.Println(d.Stage, d.Service.Stage)

	_, err = e.FollowUp(ctx, ann, d.ID, nil, nil)
	fmt.Println(errors.Is(err, sp.ErrInvalidTransition))

	d, _ = e.Deliver(ctx, pipelinetest.System(), d.ID, nil)
	fmt.Println(d.Service.Stage)

	d, err = e.FollowUp(ctx, ann, d.ID, []sp.Feedback{
		{ID: "fb-1", Rating: 4, Category: sp.FeedbackQuality, Text: "works well"},
		{ID: "fb-2", Rating: 2, Category: sp.FeedbackDelivery, Text: "late by a week"},
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Service.Stage)
	for _, f := range d.Service.Feedback {
		fmt.Println(f.ID, f.Rating, f.Category, f.Source, f.Deal, f.Customer, f.Product, f.Time.Format(time.DateTime), f.Validate() == nil)
	}

	_, err = e.FollowUp(ctx, ann, d.ID, []sp.Feedback{{ID: "fb-3", Rating: 9, Category: sp.FeedbackPrice}}, nil)
	fmt.Println(err)
	// Output:
	// won awaiting_delivery
	// true
	// delivered
	// followed_up
	// fb-1 4 quality customer d-1 acme widget 2026-11-02 09:05:00 true
	// fb-2 2 delivery customer d-1 acme widget 2026-11-02 09:05:00 true
	// pipeline: follow_up deal "d-1": invalid feedback[0].rating: 9 outside 1 to 5
}

// A command with an idempotency key applies once: a retry of the request
// with the same key gets the first outcome and emits no event, and the key
// given to another command, or to the same command with other arguments,
// is refused with ErrKeyReused.
func ExampleCommandOptions_idempotencyKey() {
	ctx := context.Background()
	s := pipelinetest.NewScenario(nil, nil) // a MemStore keeps the outcomes
	mgr := pipelinetest.Manager(pipelinetest.RegionNorth)
	in := pipelinetest.NewInquiry("inq-1")
	in.Owner = ""
	_, _ = s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), in, nil)

	key := &pipeline.CommandOptions{IdempotencyKey: "request-7f3a"}
	first, _ := s.Engine.AssignInquiry(ctx, mgr, "inq-1", pipelinetest.RepAnn, key)
	retry, err := s.Engine.AssignInquiry(ctx, mgr, "inq-1", pipelinetest.RepAnn, key)
	fmt.Println(first.Owner, first.Version, retry.Owner, retry.Version, err)
	fmt.Println(s.Events.Types())

	_, err = s.Engine.AssignInquiry(ctx, mgr, "inq-1", pipelinetest.RepBob, key)
	fmt.Println(errors.Is(err, pipeline.ErrKeyReused), errors.Is(err, sp.ErrInvalid))
	_, err = s.Engine.Qualify(ctx, mgr, "inq-1", key)
	fmt.Println(err)
	// Output:
	// rep-ann 2 rep-ann 2 <nil>
	// [pipeline.inquiry.received pipeline.inquiry.assigned]
	// true true
	// pipeline: qualify inquiry "inq-1": key "request-7f3a" first used for assign "inq-1": idempotency key reused for a different command: salesprocess: invalid input
}

// flakyStore is a store without transactions (it embeds the MemStore as a
// pipeline.Store, which hides its Atomically) whose next inquiry update
// fails, as if the process crashed between the two writes of a conversion.
type flakyStore struct {
	pipeline.Store
	failNext atomic.Bool
}

func (s *flakyStore) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expectedVersion int64) error {
	if s.failNext.CompareAndSwap(true, false) {
		return errors.New("connection reset")
	}
	return s.Store.UpdateInquiry(ctx, in, expectedVersion)
}

// A conversion on a store that cannot write the deal and the inquiry in one
// transaction creates the deal first. When the inquiry's update fails after
// it, the deal stays; a retry of the conversion finds it by its ID, which is
// derived from the inquiry's, and completes the conversion with it: there is
// no second deal.
func ExampleEngine_Convert_retry() {
	ctx := context.Background()
	store := &flakyStore{Store: pipelinetest.NewMemStore()}
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor(pipelinetest.RepAnn)
	_, _ = e.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("inq-1"), nil)
	_, _ = e.Contact(ctx, ann, "inq-1", pipeline.Activity{}, nil)
	_, _ = e.Qualify(ctx, ann, "inq-1", nil)

	conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900.00")}}
	store.failNext.Store(true)
	_, _, err = e.Convert(ctx, ann, "inq-1", conv, nil)
	fmt.Println(err)

	in, d, err := e.Convert(ctx, ann, "inq-1", conv, nil)
	fmt.Println(in.Stage, in.Deal, d.ID, d.Version, d.Amount, err)
	n := 0
	for _, err := range e.ListDeals(ctx, pipeline.DealFilter{Inquiry: "inq-1"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println("deals:", n)
	// Output:
	// pipeline: convert inquiry "inq-1": connection reset
	// converted inq-1 inq-1 1 900.00 EUR <nil>
	// deals: 1
}

// A call planned for an inquiry and then made: the planned call is
// completed, under its own ID, with its outcome and what was said. The
// inquiry is overdue for its first contact until then, and counts as
// contacted from the time the call was made; completing it again is
// refused with ErrActivityDone.
func ExampleEngine_CompleteInquiryActivity() {
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	clock := pipelinetest.NewClock()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor(pipelinetest.RepAnn)
	received := pipelinetest.Epoch() // 09:00
	_, _ = e.ReceiveInquiry(ctx, ann, pipelinetest.NewInquiry("inq-1"), nil)
	_, err = e.LogInquiryActivity(ctx, ann, "inq-1", pipeline.Activity{
		ID: "call-1", Kind: pipeline.ActivityCall, Due: received.Add(2 * time.Hour), Notes: "ask about the budget",
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 48 * time.Hour}
	clock.Set(received.Add(5 * time.Hour)) // 14:00
	for o, err := range e.Overdue(ctx, p, pipeline.InquiryFilter{}) {
		fmt.Println("overdue:", o.Inquiry, o.FirstContact, o.Late, err)
	}

	in, err := e.CompleteInquiryActivity(ctx, ann, "inq-1", "call-1", pipeline.ActivityCompletion{
		Done:    received.Add(4*time.Hour + 30*time.Minute), // made at 13:30, logged at 14:00
		Outcome: "wants a demo",
		Notes:   "budget approved for December",
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := in.Activities[0]
	fmt.Println(a.ID, a.Kind, a.Due.Format(time.Kitchen), a.Done.Format(time.Kitchen), a.Outcome)
	fmt.Println(a.Notes)
	first, _ := pipeline.FirstResponse(in)
	fmt.Println("first response:", first)
	n := 0
	for range e.Overdue(ctx, p, pipeline.InquiryFilter{}) {
		n++
	}
	fmt.Println("overdue now:", n)

	_, err = e.CompleteInquiryActivity(ctx, ann, "inq-1", "call-1", pipeline.ActivityCompletion{}, nil)
	fmt.Println(errors.Is(err, pipeline.ErrActivityDone), errors.Is(err, sp.ErrInvalid))
	fmt.Println(err)
	// Output:
	// overdue: inq-1 true 1h0m0s <nil>
	// call-1 call 11:00AM 1:30PM wants a demo
	// ask about the budget
	// budget approved for December
	// first response: 4h30m0s
	// overdue now: 0
	// true true
	// pipeline: complete_activity inquiry "inq-1": activity "call-1" was done at 2026-11-02T13:30:00Z: activity already done: salesprocess: invalid input
}
