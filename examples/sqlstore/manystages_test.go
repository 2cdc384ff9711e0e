package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// A filter may list more stages than a statement takes parameters (SQLite
// takes 32766, PostgreSQL 65535): the listing yields the matches, page by
// page, as the in-memory store does, instead of failing with the driver's
// error.
func TestListingWithManyStages(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, &sqlstore.Options{PageSize: 2})
		stages := []pipeline.DealStage{"s0", "s1", "s2", "s3", "s4", "s5", "s6"}
		for i, st := range stages {
			d := deal(sp.DealID(fmt.Sprintf("d%d", i)))
			d.Stage = st
			require.NoError(t, s.CreateDeal(ctx, d))
		}
		for i, st := range []pipeline.InquiryStage{pipeline.InquiryNew, pipeline.InquiryContacted, pipeline.InquiryQualified,
			pipeline.InquiryConverted, pipeline.InquiryDisqualified} {
			in := inquiry(sp.InquiryID(fmt.Sprintf("i%d", i)), pipelinetest.Epoch())
			in.Stage = st
			require.NoError(t, s.CreateInquiry(ctx, in))
		}
		var many []pipeline.DealStage
		for i := 0; i < 70000; i++ {
			many = append(many, pipeline.DealStage(fmt.Sprintf("x%d", i)))
		}
		many = append(many, "s1", "s4", "s5", "s1")
		var got []sp.DealID
		for d, err := range s.ListDeals(ctx, pipeline.DealFilter{Stages: many}) {
			require.NoError(t, err)
			got = append(got, d.ID)
		}
		assert.Equal(t, []sp.DealID{"d1", "d4", "d5"}, got)

		inStages := make([]pipeline.InquiryStage, 0, len(many)+2)
		for _, st := range many {
			inStages = append(inStages, pipeline.InquiryStage(st))
		}
		inStages = append(inStages, pipeline.InquiryNew, pipeline.InquiryQualified, pipeline.InquiryDisqualified)
		var gotIn []sp.InquiryID
		for in, err := range s.ListInquiries(ctx, pipeline.InquiryFilter{Stages: inStages, After: "i1"}) {
			require.NoError(t, err)
			gotIn = append(gotIn, in.ID)
		}
		assert.Equal(t, []sp.InquiryID{"i2", "i4"}, gotIn)
	})
}
