package review_test

import (
	"context"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A test asserts a report finding by finding: the one a rule found about
// a subject, and that nothing else was found about it, without looping
// over the findings.
func ExampleReport_Finding() {
	reviewer, err := review.New(review.DefaultRules(), &review.Options{
		Clock: sp.FixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := reviewer.Review(context.Background(), review.Input{
		Period: sp.Month(2026, time.November, time.UTC),
		Deals:  quota.Refs(exampleDeals()),
		Goals:  exampleGoals(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if f, ok := report.Finding(review.RuleTargetMissed, review.RepSubject("bob")); ok {
		fmt.Println(f.ID, f.Severity, f.Cause)
	}
	_, ok := report.Finding(review.RuleTargetMissed, review.RepSubject("ann"))
	fmt.Println("ann missed her target:", ok)
	for _, f := range report.FindingsAbout(review.RepSubject("ann")) {
		fmt.Println("about ann:", f.Rule)
	}
	fmt.Println("about cat:", len(report.FindingsAbout(review.RepSubject("cat"))))
	// Output:
	// target_missed:rep=bob:2026-11,revenue critical rep
	// ann missed her target: false
	// about ann: target_met
	// about cat: 0
}
