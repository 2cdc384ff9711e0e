package pipelinetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// Every method of a nil MemStore, OutboxMemStore or Recorder returns an
// error wrapping sp.ErrInvalid (a sequence yields one) instead of
// panicking; Events and Types return nothing.
func TestNilReceivers(t *testing.T) {
	ctx := context.Background()
	stores := map[string]interface {
		pipeline.Store
		pipeline.IdempotencyStore
		pipeline.Transactor
	}{
		"MemStore":       (*pipelinetest.MemStore)(nil),
		"OutboxMemStore": (*pipelinetest.OutboxMemStore)(nil),
	}
	for name, s := range stores {
		t.Run(name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := s.GetInquiry(ctx, "i1")
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorIs(t, s.CreateInquiry(ctx, pipelinetest.NewInquiry("i1")), sp.ErrInvalid)
				assert.ErrorIs(t, s.UpdateInquiry(ctx, pipelinetest.NewInquiry("i1"), 1), sp.ErrInvalid)
				_, err = s.GetDeal(ctx, "d1")
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorIs(t, s.CreateDeal(ctx, pipelinetest.NewDeal("d1")), sp.ErrInvalid)
				assert.ErrorIs(t, s.UpdateDeal(ctx, pipelinetest.NewDeal("d1"), 1), sp.ErrInvalid)
				_, err = s.GetOutcome(ctx, "k")
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorIs(t, s.PutOutcome(ctx, pipeline.Outcome{Key: "k"}), sp.ErrInvalid)
				ran := false
				err = s.Atomically(ctx, func(context.Context, pipeline.Store) error { ran = true; return nil })
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.False(t, ran)
				n := 0
				for _, err := range s.ListInquiries(ctx, pipeline.InquiryFilter{}) {
					assert.ErrorIs(t, err, sp.ErrInvalid)
					n++
				}
				for _, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
					assert.ErrorIs(t, err, sp.ErrInvalid)
					n++
				}
				assert.Equal(t, 2, n, "each sequence yields one error")
			})
		})
	}
	t.Run("Recorder", func(t *testing.T) {
		var r *pipelinetest.Recorder
		assert.NotPanics(t, func() {
			err := r.Publish(ctx, sp.Event{ID: "e1", Type: "t", Time: time.Unix(0, 0), Actor: "x", Subject: "s"})
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Empty(t, r.Events())
			assert.Empty(t, r.Types())
		})
	})
}
