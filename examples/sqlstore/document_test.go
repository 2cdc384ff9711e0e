package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// A record whose document would not decode back (its types encode text
// that their UnmarshalText refuses, such as a malformed stage key) is
// refused on write: stored, it would fail every read of it and end every
// listing that reached it.
func TestUndecodableRecordsRefused(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		require.NoError(t, s.CreateDeal(ctx, deal("d1")))
		require.NoError(t, s.CreateInquiry(ctx, inquiry("i1", pipelinetest.Epoch())))

		bad := deal("d2")
		bad.Stage = "Closed Won"
		assert.ErrorIs(t, s.CreateDeal(ctx, bad), sp.ErrInvalid)
		_, err := s.GetDeal(ctx, "d2")
		assert.ErrorIs(t, err, sp.ErrNotFound, "nothing is stored")

		next := deal("d1")
		next.Version, next.Stage = 2, "Closed Won"
		assert.ErrorIs(t, s.UpdateDeal(ctx, next, 1), sp.ErrInvalid)

		in := inquiry("i2", pipelinetest.Epoch())
		in.Stage = "bogus"
		assert.ErrorIs(t, s.CreateInquiry(ctx, in), sp.ErrInvalid)

		f := sp.Feedback{ID: "f1", Product: "widget", Rating: 4, Category: "bogus", Source: sp.FromCustomer, Time: pipelinetest.Epoch()}
		assert.ErrorIs(t, s.AddFeedback(ctx, f), sp.ErrInvalid)

		var ids []sp.DealID
		for d, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
			require.NoError(t, err)
			ids = append(ids, d.ID)
		}
		assert.Equal(t, []sp.DealID{"d1"}, ids, "the listing still reads every deal")
		got, err := s.GetDeal(ctx, "d1")
		require.NoError(t, err)
		assert.Equal(t, int64(1), got.Version, "the refused update changed nothing")
		for _, err := range s.ListInquiries(ctx, pipeline.InquiryFilter{}) {
			require.NoError(t, err)
		}
		for _, err := range s.ListFeedback(ctx, "widget") {
			require.NoError(t, err)
		}
	})
}
