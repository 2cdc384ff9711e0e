package trainingtest_test

import (
	"testing"

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
