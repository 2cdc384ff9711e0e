package trainingtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/salesprocess/salesprocess"

	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// A host that keeps the pilots and sales of field tests in a database of
// their own, apart from the rest of training's records, checks that part
// with the suites of its two interfaces: the pilots', and the sales', whose
// cases of AddSaleWithin run because the store is a PilotStore and a
// LimitedSaleStore too. Here a MemStore stands in for the host's database,
// and the host's test function is a variable; in the host's package it is
// a func TestFieldTestStore(t *testing.T), which go test runs.
func ExampleRunSaleStoreTests() {
	type fieldTestStore struct {
		training.PilotStore
		training.SaleStore
		training.LimitedSaleStore
	}
	open := func(t *testing.T) fieldTestStore {
		db := trainingtest.NewMemStore() // the host opens a fresh, empty database for t
		return fieldTestStore{db, db, db}
	}
	TestFieldTestStore := func(t *testing.T) {
		trainingtest.RunPilotStoreTests(t, func(t *testing.T) training.PilotStore { return open(t) })
		trainingtest.RunSaleStoreTests(t, func(t *testing.T) training.SaleStore { return open(t) })
	}
	_ = TestFieldTestStore
}

// A test that trains a rep before the scenario builds its trainer from the
// fixtures: the widget's brief, published a year before the scenario, and
// a catalog whose curriculum certifies a rep who passes its one module
// with 8 points of 10. Bob, trained earlier, gets his certificate as it
// was issued. Here a fixed clock stands in for the scenario's.
func ExampleNewCatalog() {
	ctx := context.Background()
	store := trainingtest.NewMemStore()
	clock := salesprocess.FixedClock(time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC))
	trainer := training.NewTrainer(store, trainingtest.NewCatalog(), &training.Options{Clock: clock})
	if err := trainer.PublishBrief(ctx, trainingtest.NewBrief()); err != nil {
		fmt.Println(err)
		return
	}
	a, err := trainer.RecordAttempt(ctx, training.Attempt{ID: "ann-1", Rep: "rep-ann", Module: trainingtest.ModuleWidgetBasics, Score: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("passed:", a.Passed)
	cert, err := trainer.Certify(ctx, "rep-ann", trainingtest.CurriculumWidget)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cert.Rep, "certified for", cert.Product, "on brief", cert.BriefVersion, "until", cert.Expires.Format(time.DateOnly))

	bob := trainingtest.NewCertificate("rep-bob", clock.Now().AddDate(0, -6, 0))
	if err := store.PutCertificate(ctx, bob); err != nil {
		fmt.Println(err)
		return
	}
	ready := training.NewReadiness(store, store, nil)
	for _, rep := range []salesprocess.RepID{"rep-ann", "rep-bob", "rep-cat"} {
		err := ready.Eligible(ctx, rep, trainingtest.ProductWidget, trainingtest.ChannelPhone, clock.Now())
		fmt.Println(rep, "may sell the widget by phone:", err == nil)
	}
	// Output:
	// passed: true
	// rep-ann certified for widget on brief 1.0 until 2027-11-02
	// rep-ann may sell the widget by phone: true
	// rep-bob may sell the widget by phone: true
	// rep-cat may sell the widget by phone: false
}
