package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// figuresOf reviews deals and inquiries of November as of its end.
func figuresOf(t *testing.T, deals []pipeline.Deal, inquiries []pipeline.Inquiry) review.Snapshot {
	t.Helper()
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(),
		Deals: quota.Refs(deals), Inquiries: quota.Refs(inquiries)})
	require.NoError(t, err)
	return rep.Snapshot
}

// An inquiry of the period converts once, however many won deals name
// it.
func TestInquiryConvertsOnce(t *testing.T) {
	in := pipeline.Inquiry{ID: "i-1", Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
		Received: november.Start().Add(24 * time.Hour), Stage: pipeline.InquiryConverted}
	first, second := deal("d-1", "ann", widget, true, "100.00 EUR"), deal("d-2", "ann", widget, true, "100.00 EUR")
	first.Inquiry, second.Inquiry = in.ID, in.ID
	s := figuresOf(t, []pipeline.Deal{first, second}, []pipeline.Inquiry{in})
	ann, ok := s.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(2), ann.Won)
	assert.Equal(t, int64(1), ann.Converted)
	assert.Equal(t, "1/1", ann.Conversion.Rate.String())
	assert.Equal(t, int64(1), s.Team.Converted)
}

// A won deal converts every inquiry of the period that names it and the
// one it names, as quota.CohortConversion counts them, whatever the order
// of the inquiries.
func TestDealConvertsEveryInquiryThatNamesIt(t *testing.T) {
	at := november.Start().Add(24 * time.Hour)
	inq := func(id sp.InquiryID, owner sp.RepID, d sp.DealID) pipeline.Inquiry {
		return pipeline.Inquiry{ID: id, Channel: "web", Region: north, Product: widget, Customer: "c", Owner: owner,
			Received: at, Stage: pipeline.InquiryConverted, Deal: d}
	}
	ins := []pipeline.Inquiry{inq("i-1", "ann", "d-1"), inq("i-2", "bob", "d-1"), inq("i-3", "cat", ""), inq("i-4", "dan", "d-2")}
	first, second := deal("d-1", "ann", widget, true, "100.00 EUR"), deal("d-2", "cat", widget, true, "100.00 EUR")
	second.Inquiry = "i-3"
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}} {
		var seq []pipeline.Inquiry
		for _, i := range order {
			seq = append(seq, ins[i])
		}
		s := figuresOf(t, []pipeline.Deal{first, second}, seq)
		assert.Equal(t, "4/4", s.Team.Conversion.Rate.String(), "order %v", order)
		for _, rep := range []sp.RepID{"ann", "bob", "cat", "dan"} {
			row, ok := s.Rep(rep)
			require.True(t, ok)
			assert.Equal(t, "1/1", row.Conversion.Rate.String(), "order %v rep %s", order, rep)
		}
	}
}

// An inquiry without an ID converts by the deal it names, as
// quota.CohortConversion counts it; each such inquiry counts.
func TestInquiryWithoutIDConvertsByItsDeal(t *testing.T) {
	at := november.Start().Add(24 * time.Hour)
	inq := func(d sp.DealID) pipeline.Inquiry {
		return pipeline.Inquiry{Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
			Received: at, Stage: pipeline.InquiryConverted, Deal: d}
	}
	s := figuresOf(t, []pipeline.Deal{deal("d-1", "ann", widget, true, "100.00 EUR")}, []pipeline.Inquiry{inq("d-1"), inq("")})
	ann, ok := s.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, "1/2", ann.Conversion.Rate.String())
	assert.Equal(t, "1/2", s.Team.Conversion.Rate.String())
}

// A rep not listed in the input takes the region all their records
// share, and none when their records name different regions.
func TestRepRegionFromRecords(t *testing.T) {
	south1 := deal("d-ann-2", "ann", widget, true, "100.00 EUR")
	south1.Region = south
	s := figuresOf(t, []pipeline.Deal{
		deal("d-ann-1", "ann", widget, true, "100.00 EUR"), south1,
		deal("d-bob-1", "bob", widget, true, "100.00 EUR"), deal("d-bob-2", "bob", widget, false, ""),
	}, nil)
	ann, ok := s.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, sp.RegionID(""), ann.Region, "records of two regions")
	bob, ok := s.Rep("bob")
	require.True(t, ok)
	assert.Equal(t, north, bob.Region)
	n, ok := s.Region(north)
	require.True(t, ok)
	assert.Equal(t, int64(1), n.Reps, "only bob is the north's")
}

// A product's Reps counts the reps who closed deals on it, not those who
// only have deals open.
func TestProductRepsClosedDeals(t *testing.T) {
	open := deal("d-bob-1", "bob", widget, false, "")
	open.Stage, open.Loss, open.Closed, open.Amount = pipeline.DealProposal, nil, time.Time{}, mustMoney("100.00 EUR")
	s := figuresOf(t, []pipeline.Deal{
		deal("d-ann-1", "ann", widget, true, "100.00 EUR"), deal("d-ann-2", "ann", widget, false, ""), open,
	}, nil)
	p, ok := s.Product(widget)
	require.True(t, ok)
	assert.Equal(t, int64(1), p.Open)
	assert.Equal(t, int64(1), p.Reps)
}

// Appending to the cells of one rep does not overwrite the next rep's.
func TestCellsOfAppendKeepsSnapshot(t *testing.T) {
	s := figuresOf(t, []pipeline.Deal{
		deal("d-ann-1", "ann", gadget, true, "100.00 EUR"), deal("d-ann-2", "ann", widget, true, "100.00 EUR"),
		deal("d-bob-1", "bob", widget, true, "100.00 EUR"),
	}, nil)
	cells := s.CellsOf("ann")
	require.Len(t, cells, 2)
	_ = append(cells, review.CellRow{Rep: "zed", Product: widget})
	bob, ok := s.Cell("bob", widget)
	require.True(t, ok, "bob's cell was overwritten")
	assert.Equal(t, int64(1), bob.Won)
}

// A product that only customers' feedback names has a row like that of a
// product listed in the input that nobody sold: its rates are 0 of 0 with
// their Wilson interval and shrunk estimate, as the Snapshot's doc says
// every rate has.
func TestFeedbackOnlyProductRowHasItsRates(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
	require.NoError(t, err)
	fb := sp.Feedback{ID: "f1", Product: "gizmo", Rating: 2, Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: now.Add(-time.Hour)}
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now,
		Products: []sp.Product{{ID: "listed", Name: "Listed"}},
		Feedback: func(yield func(*sp.Feedback) bool) { yield(&fb) }})
	require.NoError(t, err)
	listed, ok := rep.Snapshot.Product("listed")
	require.True(t, ok)
	gizmo, ok := rep.Snapshot.Product("gizmo")
	require.True(t, ok)
	assert.Equal(t, int64(1), gizmo.Feedback.Count)
	for _, row := range []review.ProductRow{listed, gizmo} {
		for _, e := range []quota.RateEstimate{row.WinRate, row.Conversion} {
			assert.NotNil(t, e.Wilson, "product %s", row.Product)
			assert.True(t, e.Shrunk.Valid, "product %s", row.Product)
		}
	}
	assert.Equal(t, listed.Figures, gizmo.Figures)
}
