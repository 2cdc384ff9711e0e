package pipelinetest_test

import (
	"testing"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

func TestMemStore(t *testing.T) {
	pipelinetest.RunStoreTests(t, func(*testing.T) pipeline.Store { return pipelinetest.NewMemStore() })
}

func TestZeroMemStore(t *testing.T) {
	pipelinetest.RunStoreTestsWith(t, func(*testing.T) pipeline.Store { return new(pipelinetest.MemStore) },
		&pipelinetest.StoreTestOptions{Writers: []int{4}})
}
