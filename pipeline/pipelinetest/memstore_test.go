package pipelinetest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	sp "github.com/salesprocess/salesprocess"
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

// A nil context is invalid input, not a panic, and changes nothing.
func TestMemStoreNilContext(t *testing.T) {
	var nilCtx context.Context
	s := pipelinetest.NewMemStore()
	in, d := pipelinetest.NewInquiry("i1"), pipelinetest.NewDeal("d1")
	assert.ErrorIs(t, s.CreateInquiry(nilCtx, in), sp.ErrInvalid)
	assert.ErrorIs(t, s.CreateDeal(nilCtx, d), sp.ErrInvalid)
	_, err := s.GetInquiry(context.Background(), in.ID)
	assert.ErrorIs(t, err, sp.ErrNotFound)

	_, err = s.GetInquiry(nilCtx, in.ID)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorIs(t, s.UpdateInquiry(nilCtx, in, 1), sp.ErrInvalid)
	_, err = s.GetDeal(nilCtx, d.ID)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorIs(t, s.UpdateDeal(nilCtx, d, 1), sp.ErrInvalid)
	_, err = s.GetOutcome(nilCtx, "k")
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorIs(t, s.PutOutcome(nilCtx, pipeline.Outcome{Key: "k"}), sp.ErrInvalid)
	for _, err := range s.ListInquiries(nilCtx, pipeline.InquiryFilter{}) {
		assert.ErrorIs(t, err, sp.ErrInvalid)
	}
	for _, err := range s.ListDeals(nilCtx, pipeline.DealFilter{}) {
		assert.ErrorIs(t, err, sp.ErrInvalid)
	}
	called := false
	err = s.Atomically(nilCtx, func(context.Context, pipeline.Store) error { called = true; return nil })
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.False(t, called)
}
