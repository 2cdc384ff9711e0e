package quota_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// The cohort's deals are judged by their outcome and close time now, not
// by their history: a deal won by the as-of time and reopened since, or
// won again after it, does not convert its inquiry as of that time.
func TestCohortConversionJudgesDealsAsTheyAreNow(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	asOf := nov(15)
	hist := func(at ...time.Time) []pipeline.Transition[pipeline.DealStage] {
		stages := []pipeline.DealStage{pipeline.DealProposal, pipeline.DealWon, pipeline.DealNegotiation, pipeline.DealWon}
		var h []pipeline.Transition[pipeline.DealStage]
		var from pipeline.DealStage
		for i, t := range at {
			h = append(h, pipeline.Transition[pipeline.DealStage]{From: from, To: stages[i], At: t})
			from = stages[i]
		}
		return h
	}
	ins := []pipeline.Inquiry{
		{ID: "i1", Owner: "a", Received: nov(2)},
		{ID: "i2", Owner: "a", Received: nov(2)},
		{ID: "i3", Owner: "a", Received: nov(2)},
	}
	deals := []pipeline.Deal{
		// Won on the 10th, still won: converts.
		{ID: "d1", Owner: "a", Inquiry: "i1", Stage: pipeline.DealWon, Amount: cents(100), Created: nov(3), Closed: nov(10),
			History: hist(nov(3), nov(10))},
		// Won on the 10th, reopened on the 20th and open now.
		{ID: "d2", Owner: "a", Inquiry: "i2", Stage: pipeline.DealNegotiation, Amount: cents(100), Created: nov(3),
			History: hist(nov(3), nov(10), nov(20))},
		// Won on the 10th, reopened on the 20th, won again on the 25th.
		{ID: "d3", Owner: "a", Inquiry: "i3", Stage: pipeline.DealWon, Amount: cents(100), Created: nov(3), Closed: nov(25),
			History: hist(nov(3), nov(10), nov(20), nov(25))},
	}
	rep, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(deals), month, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 1, Den: 3}, rep.Total.Conversion.Rate)
}

// The period basis counts the deals won in the period as they stand now,
// as the cohort basis does: a month's conversion computed after it ended
// falls when one of its wins is reopened, or is won again in a later month.
func TestPeriodConversionJudgesDealsAsTheyAreNow(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	december := func(d int) time.Time { return time.Date(2026, time.December, d, 0, 0, 0, 0, time.UTC) }
	ins := []pipeline.Inquiry{
		{ID: "i1", Owner: "a", Received: nov(2)},
		{ID: "i2", Owner: "a", Received: nov(2)},
		{ID: "i3", Owner: "a", Received: nov(2)},
	}
	wonAt := func(id string, closed time.Time) pipeline.Deal {
		return pipeline.Deal{ID: sp.DealID(id), Owner: "a", Stage: pipeline.DealWon, Amount: cents(100), Created: nov(3), Closed: closed}
	}
	deals := []pipeline.Deal{wonAt("d1", nov(10)), wonAt("d2", nov(10)), wonAt("d3", nov(10))}
	atEnd, err := quota.PeriodConversion(quota.Refs(ins), quota.Refs(deals), month, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 3, Den: 3}, atEnd.Total.Conversion.Rate, "as the month ended")

	// In December d2 is reopened and open, d3 reopened and won again.
	deals[1].Stage, deals[1].Closed = pipeline.DealNegotiation, time.Time{}
	deals[2].Closed = december(5)
	later, err := quota.PeriodConversion(quota.Refs(ins), quota.Refs(deals), month, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 1, Den: 3}, later.Total.Conversion.Rate, "in December")
}

// An inquiry whose deal was won before the inquiry arrived (a clock skew
// between the systems that stamped them) converted, at time to convert 0:
// CohortConversion and TimeToConvert agree on the same data.
func TestWinsBeforeReceiptConvertAtZero(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	ins := []pipeline.Inquiry{
		{ID: "i1", Owner: "a", Received: nov(10), Deal: "d1"},
		{ID: "i2", Owner: "a", Received: nov(10)},
		{ID: "i3", Owner: "a", Received: nov(10)},
	}
	d3 := won("d3", "a", "north", cents(100), nov(12))
	d3.Inquiry = "i3"
	deals := []pipeline.Deal{won("d1", "a", "north", cents(100), nov(5)), d3}
	cc, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(deals), month, month.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 2, Den: 3}, cc.Total.Conversion.Rate)
	ttc, err := quota.TimeToConvert(quota.Refs(ins), quota.Refs(deals), month, month.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, cc.Total.Won, ttc.Total.Durations.Count, "converted")
	assert.Equal(t, cc.Total.Inquiries-cc.Total.Won, ttc.Total.Pending, "pending")
	assert.Equal(t, time.Duration(0), ttc.Total.Durations.Min, "i1")
	assert.Equal(t, 48*time.Hour, ttc.Total.Durations.Max, "i3")
}

// Which record's dimensions group what: the cohort goes by the inquiry's
// alone; the period basis counts inquiries by theirs and wins by the
// deal's own, even where the deal's channel differs from its inquiry's.
func TestConversionGroupsByWhichRecord(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	ins := []pipeline.Inquiry{{ID: "i1", Owner: "a", Channel: "phone", Received: nov(2)}}
	d := won("d1", "b", "north", cents(100), nov(9))
	d.Inquiry, d.Channel = "i1", "web"
	deals := []pipeline.Deal{d}
	by := quota.Grouping{Rep: true, Channel: true}

	cohort, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(deals), month, month.End(), by, nil)
	require.NoError(t, err)
	require.Len(t, cohort.Groups, 1)
	assert.Equal(t, "rep=a channel=phone", cohort.Groups[0].Key.String())
	assert.Equal(t, quota.Rate{Num: 1, Den: 1}, cohort.Groups[0].Conversion.Rate)

	period, err := quota.PeriodConversion(quota.Refs(ins), quota.Refs(deals), month, by, nil)
	require.NoError(t, err)
	got := map[string]quota.Rate{}
	for _, g := range period.Groups {
		got[g.Key.String()] = g.Conversion.Rate
	}
	assert.Equal(t, map[string]quota.Rate{"rep=a channel=phone": {Num: 0, Den: 1}, "rep=b channel=web": {Num: 1, Den: 0}}, got)
	// 1 of 0 is no data and no proportion: no interval, no shrunk estimate.
	for _, g := range period.Groups {
		if g.Key.Rep == "b" {
			assert.Nil(t, g.Conversion.Wilson)
			assert.False(t, g.Conversion.Shrunk.Valid)
			assert.True(t, g.Conversion.Value.IsZero())
		}
	}
}

// The cohort calculators read deals but group inquiries alone: a host's key
// of inquiries is all they need, and a key of deals is neither needed nor
// used.
func TestCohortsNeedOnlyTheInquiryKey(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	ins := []pipeline.Inquiry{{ID: "i1", Owner: "a", Received: nov(2)}}
	d := won("d1", "b", "north", cents(100), nov(9))
	d.Inquiry = "i1"
	deals := []pipeline.Deal{d}
	byInquiry := func(in *pipeline.Inquiry) string { return "segment " + string(in.ID) }
	byDeal := func(*pipeline.Deal) string { return "never" }
	for name, by := range map[string]quota.Grouping{
		"inquiry": {Inquiry: byInquiry},
		"both":    {Inquiry: byInquiry, Deal: byDeal},
	} {
		t.Run(name, func(t *testing.T) {
			cohort, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(deals), month, month.End(), by, nil)
			require.NoError(t, err)
			require.Len(t, cohort.Groups, 1)
			assert.Equal(t, "segment i1", cohort.Groups[0].Key.Custom)
			assert.Equal(t, quota.Rate{Num: 1, Den: 1}, cohort.Groups[0].Conversion.Rate)
			cycle, err := quota.TimeToConvert(quota.Refs(ins), quota.Refs(deals), month, month.End(), by, nil)
			require.NoError(t, err)
			require.Len(t, cycle.Groups, 1)
			assert.Equal(t, "segment i1", cycle.Groups[0].Key.Custom)
			assert.Equal(t, int64(1), cycle.Groups[0].Durations.Count)
		})
	}
}

// Grouping by month in a zone without an IANA name works, but the months,
// like any Period in such a zone, have no text form: the report does not
// marshal, with an error wrapping ErrInvalid.
func TestMonthsInUnnamedZonesDoNotMarshal(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	deals := []pipeline.Deal{won("d1", "a", "north", cents(100), nov(10))}
	for name, loc := range map[string]*time.Location{
		"fixed": time.FixedZone("", 3600),
		"local": machineLocal,
	} {
		t.Run(name, func(t *testing.T) {
			opts := &quota.Options{Location: func(sp.RegionID) *time.Location { return loc }}
			rep, err := quota.WinRates(quota.Refs(deals), month, quota.Grouping{Month: true}, opts)
			require.NoError(t, err)
			require.Len(t, rep.Groups, 1)
			_, err = json.Marshal(rep)
			require.ErrorIs(t, err, sp.ErrInvalid)

			rep, err = quota.WinRates(quota.Refs(deals), month, quota.Grouping{Rep: true}, opts)
			require.NoError(t, err)
			_, err = json.Marshal(rep)
			require.NoError(t, err, "without months the zone plays no part")
		})
	}
}

// A won deal converts every inquiry of the cohort that names it and the
// one it names, whatever the order of the inquiries: two inquiries
// attached to one deal both converted, and an inquiry that names a deal
// which names another inquiry converted too.
func TestCohortConversionCountsEveryInquiryOfADeal(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	ins := []pipeline.Inquiry{
		{ID: "i1", Owner: "a", Received: nov(2), Deal: "d1"},
		{ID: "i2", Owner: "b", Received: nov(3), Deal: "d1"},
		{ID: "i3", Owner: "c", Received: nov(4)},
		{ID: "i4", Owner: "d", Received: nov(5), Deal: "d2"},
	}
	d1 := won("d1", "a", "north", cents(100), nov(10))
	d2 := won("d2", "c", "north", cents(100), nov(11))
	d2.Inquiry = "i3"
	deals := []pipeline.Deal{d1, d2}
	want := map[string]quota.Rate{
		"rep=a": {Num: 1, Den: 1}, "rep=b": {Num: 1, Den: 1}, "rep=c": {Num: 1, Den: 1}, "rep=d": {Num: 1, Den: 1},
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}} {
		var seq []pipeline.Inquiry
		for _, i := range order {
			seq = append(seq, ins[i])
		}
		rep, err := quota.CohortConversion(quota.Refs(seq), quota.Refs(deals), month, month.End(), quota.Grouping{Rep: true}, nil)
		require.NoError(t, err)
		got := map[string]quota.Rate{}
		for _, g := range rep.Groups {
			got[g.Key.String()] = g.Conversion.Rate
		}
		assert.Equal(t, want, got, "order %v", order)
		ttc, err := quota.TimeToConvert(quota.Refs(seq), quota.Refs(deals), month, month.End(), quota.Grouping{}, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(4), ttc.Total.Durations.Count, "order %v", order)
	}
}

// Inquiries without an ID are not repeats of one another: each is in the
// cohort, as in the period basis, and one converts by the deal it names.
func TestCohortConversionCountsInquiriesWithoutID(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	ins := []pipeline.Inquiry{
		{Owner: "a", Received: nov(2), Deal: "d1"},
		{Owner: "a", Received: nov(3)},
		{Owner: "a", Received: nov(4)},
	}
	deals := []pipeline.Deal{won("d1", "a", "north", cents(100), nov(10))}
	cohort, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(deals), month, month.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 1, Den: 3}, cohort.Total.Conversion.Rate)
	period, err := quota.PeriodConversion(quota.Refs(ins), quota.Refs(deals), month, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, period.Total.Inquiries, cohort.Total.Inquiries)
	ttc, err := quota.TimeToConvert(quota.Refs(ins), quota.Refs(deals), month, month.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), ttc.Total.Durations.Count)
	assert.Equal(t, int64(2), ttc.Total.Pending)
}

// A deal won at the as-of time itself was won by then: "closed by asOf"
// takes in asOf, for CohortConversion and TimeToConvert alike; a
// nanosecond later is too late.
func TestCohortCountsAWinAtAsOf(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	asOf := nov(15)
	ins := []pipeline.Inquiry{
		{ID: "i1", Owner: "a", Received: nov(2)},
		{ID: "i2", Owner: "a", Received: nov(2)},
	}
	atAsOf := won("d1", "a", "", cents(100), asOf)
	atAsOf.Inquiry = "i1"
	after := won("d2", "a", "", cents(100), asOf.Add(time.Nanosecond))
	after.Inquiry = "i2"
	deals := []pipeline.Deal{atAsOf, after}
	rep, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(deals), month, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, quota.Rate{Num: 1, Den: 2}, rep.Total.Conversion.Rate)
	ttc, err := quota.TimeToConvert(quota.Refs(ins), quota.Refs(deals), month, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), ttc.Total.Durations.Count)
	assert.Equal(t, 13*24*time.Hour, ttc.Total.Durations.Max)
	assert.Equal(t, int64(1), ttc.Total.Pending)
}

// A cohort of thousands of inquiries, whose inquiries name the same deals
// far apart in the sequence, converts as a plain count says.
func TestCohortConversionOfThousands(t *testing.T) {
	const n = 10_000
	month := sp.Month(2026, time.November, nil)
	ins := make([]pipeline.Inquiry, n)
	var deals []pipeline.Deal
	want := map[string]quota.Rate{}
	var converted int64
	for i := range ins {
		// Inquiry i and, for even i, inquiry i+n/2 name deal i%(n/2),
		// which is won when i%(n/2) is a multiple of 3.
		ins[i] = pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i%d", i)), Owner: sp.RepID(fmt.Sprintf("r%d", i%7)), Received: nov(1)}
		key := "rep=" + string(ins[i].Owner)
		r := want[key]
		r.Den++
		d := i % (n / 2)
		if i < n/2 || d%2 == 0 {
			ins[i].Deal = sp.DealID(fmt.Sprintf("d%d", d))
			if d%3 == 0 {
				r.Num++
				converted++
			}
		}
		want[key] = r
		if i < n/2 {
			deal := won(fmt.Sprintf("d%d", d), "x", "north", cents(100), nov(10))
			if d%3 != 0 {
				deal.Stage = pipeline.DealLost
			}
			deals = append(deals, deal)
		}
	}
	rep, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(deals), month, month.End(), quota.Grouping{Rep: true}, nil)
	require.NoError(t, err)
	got := map[string]quota.Rate{}
	for _, g := range rep.Groups {
		got[g.Key.String()] = g.Conversion.Rate
	}
	assert.Equal(t, want, got)
	assert.Equal(t, quota.Rate{Num: converted, Den: n}, rep.Total.Conversion.Rate)
	ttc, err := quota.TimeToConvert(quota.Refs(ins), quota.Refs(deals), month, month.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, converted, ttc.Total.Durations.Count)
	assert.Equal(t, n-converted, ttc.Total.Pending)
	assert.Equal(t, 9*24*time.Hour, ttc.Total.Durations.Max)
}
