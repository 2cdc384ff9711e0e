package trainingtest_test

import (
	"testing"

	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

func TestMemStore(t *testing.T) {
	trainingtest.RunStoreTests(t, func(*testing.T) training.Store { return trainingtest.NewMemStore() })
}

func TestZeroMemStore(t *testing.T) {
	trainingtest.RunStoreTests(t, func(*testing.T) training.Store { return new(trainingtest.MemStore) })
}
