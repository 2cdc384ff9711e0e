package review_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// cancelOnError passes a store's listing on, and cancels the review's context
// with the listing's error when it fails, before the review sees the early
// end of its records.
func cancelOnError[T any](seq iter.Seq2[T, error], cancel context.CancelCauseFunc) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err != nil {
				cancel(err)
				yield(v, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// A review reads a store's listings through quota.Records, which ends a
// sequence at the listing's first error and keeps that error for the caller
// to look at after the review. The review takes the early end for the end of
// the records and would act on part of them (assign retraining, publish
// findings), so a host that reads its store while serving a request cancels
// the review's context when a listing fails: the review then returns
// ctx.Err(), acts on nothing, and context.Cause gives the store's error,
// which the host reports (a 503, say) rather than the cancellation.
func ExampleInput_storeListing() {
	errDown := errors.New("deals table: connection reset")
	deals := exampleDeals()
	listing := func(yield func(pipeline.Deal, error) bool) { // a store whose listing fails half-way
		for i, d := range deals {
			if i == len(deals)/2 {
				yield(pipeline.Deal{}, errDown)
				return
			}
			if !yield(d, nil) {
				return
			}
		}
	}

	published := 0
	r, err := review.New(review.DefaultRules(), &review.Options{
		Clock:     sp.FixedClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)),
		Publisher: sp.PublisherFunc(func(context.Context, sp.Event) error { published++; return nil }),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var listErr error
	_, err = r.Review(ctx, review.Input{
		Period: sp.Month(2026, time.November, time.UTC),
		Deals:  quota.Records(cancelOnError(listing, cancel), &listErr),
		Goals:  exampleGoals(),
	})
	fmt.Println(errors.Is(err, context.Canceled), published)
	fmt.Println(context.Cause(ctx))
	fmt.Println(errors.Is(listErr, errDown))
	// Output:
	// true 0
	// deals table: connection reset
	// true
}
