package quota_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// funnelData is a small hand-made month of inquiries and deals (UTC).
type funnelData struct {
	month     sp.Period
	inquiries []pipeline.Inquiry
	deals     []pipeline.Deal
}

func nov(d int) time.Time { return time.Date(2026, time.November, d, 0, 0, 0, 0, time.UTC) }

func newFunnelData(t *testing.T) funnelData {
	inq := func(id string, owner sp.RepID, channel sp.ChannelID, received time.Time, deal sp.DealID) pipeline.Inquiry {
		return pipeline.Inquiry{ID: sp.InquiryID(id), Owner: owner, Channel: channel, Region: "north", Product: "p1", Received: received, Deal: deal}
	}
	f := funnelData{month: sp.Month(2026, time.November, nil)}
	f.inquiries = []pipeline.Inquiry{
		inq("i1", "a", "web", nov(2), ""),
		inq("i2", "a", "web", nov(3), ""),
		inq("i3", "a", "phone", nov(4), ""),
		inq("i4", "b", "web", nov(5), "d4"), // linked from the inquiry's side only
		inq("i5", "b", "phone", nov(6), ""),
		inq("i6", "b", "phone", time.Date(2026, time.October, 30, 0, 0, 0, 0, time.UTC), ""),
		inq("i7", "a", "web", nov(7), ""),
		inq("i9", "b", "phone", nov(9), ""),
	}
	deal := func(id string, owner sp.RepID, inquiry sp.InquiryID, d pipeline.Deal) pipeline.Deal {
		d.ID, d.Owner, d.Inquiry = sp.DealID(id), owner, inquiry
		d.Channel = "web"
		return d
	}
	f.deals = []pipeline.Deal{
		deal("d1", "a", "i1", won("", "", "north", money(t, "1000.00 EUR"), nov(10))),
		deal("d2", "a", "i2", won("", "", "north", money(t, "2000.00 EUR"), time.Date(2026, time.December, 5, 0, 0, 0, 0, time.UTC))),
		deal("d4", "b", "", won("", "", "north", money(t, "3000.00 EUR"), nov(20))),
		deal("d5", "b", "i5", lost("", "", "north", nov(12))),
		deal("d6", "b", "i6", won("", "", "north", money(t, "500.00 EUR"), nov(8))),
		deal("d7a", "a", "i7", won("", "", "north", money(t, "700.00 EUR"), nov(25))),
		deal("d7b", "a", "i7", won("", "", "north", money(t, "800.00 EUR"), nov(26))),
		deal("d8", "a", "", won("", "", "north", money(t, "900.00 EUR"), nov(15))),
	}
	return f
}

func (f funnelData) inquirySeq() func(func(*pipeline.Inquiry) bool) { return quota.Refs(f.inquiries) }

func TestCohortConversion(t *testing.T) {
	f := newFunnelData(t)
	endOfMonth := f.month.End()
	tests := []struct {
		name   string
		asOf   time.Time
		by     quota.Grouping
		total  quota.Rate
		groups map[string]quota.Rate
	}{
		{name: "by_rep", asOf: endOfMonth, by: quota.Grouping{Rep: true}, total: quota.Rate{Num: 3, Den: 7},
			groups: map[string]quota.Rate{"rep=a": {Num: 2, Den: 4}, "rep=b": {Num: 1, Den: 3}}},
		{name: "later_as_of", asOf: time.Date(2026, time.December, 31, 0, 0, 0, 0, time.UTC), by: quota.Grouping{Rep: true},
			total: quota.Rate{Num: 4, Den: 7}, groups: map[string]quota.Rate{"rep=a": {Num: 3, Den: 4}, "rep=b": {Num: 1, Den: 3}}},
		{name: "by_channel", asOf: endOfMonth, by: quota.Grouping{Channel: true}, total: quota.Rate{Num: 3, Den: 7},
			groups: map[string]quota.Rate{"channel=phone": {Num: 0, Den: 3}, "channel=web": {Num: 3, Den: 4}}},
		{name: "by_rep_and_month", asOf: endOfMonth, by: quota.Grouping{Rep: true, Month: true}, total: quota.Rate{Num: 3, Den: 7},
			groups: map[string]quota.Rate{"rep=a month=2026-11": {Num: 2, Den: 4}, "rep=b month=2026-11": {Num: 1, Den: 3}}},
		{name: "custom", asOf: endOfMonth, total: quota.Rate{Num: 3, Den: 7},
			by: quota.Grouping{Inquiry: func(in *pipeline.Inquiry) string {
				if in.Received.Day() <= 4 {
					return "early"
				}
				return "late"
			}},
			groups: map[string]quota.Rate{"custom=early": {Num: 1, Den: 3}, "custom=late": {Num: 2, Den: 4}}},
		{name: "all", asOf: endOfMonth, total: quota.Rate{Num: 3, Den: 7}, groups: map[string]quota.Rate{"all": {Num: 3, Den: 7}}},
		{name: "before_any_win", asOf: nov(1), total: quota.Rate{Num: 0, Den: 7}, groups: map[string]quota.Rate{"all": {Num: 0, Den: 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := quota.CohortConversion(f.inquirySeq(), quota.Refs(f.deals), f.month, tt.asOf, tt.by, nil)
			require.NoError(t, err)
			assert.Equal(t, quota.BasisCohort, rep.Basis)
			assert.Equal(t, tt.total, rep.Total.Conversion.Rate)
			got := map[string]quota.Rate{}
			var keys []quota.Key
			for _, g := range rep.Groups {
				got[g.Key.String()] = g.Conversion.Rate
				assert.Equal(t, g.Inquiries, g.Conversion.Rate.Den)
				assert.Equal(t, g.Won, g.Conversion.Rate.Num)
				require.NotNil(t, g.Conversion.Wilson)
				assert.True(t, g.Conversion.Shrunk.Valid)
				keys = append(keys, g.Key)
			}
			assert.Equal(t, tt.groups, got)
			assert.True(t, slices.IsSortedFunc(keys, quota.Key.Compare))
			roundTrip(t, rep)
		})
	}
}

func TestPeriodConversion(t *testing.T) {
	f := newFunnelData(t)
	rep, err := quota.PeriodConversion(f.inquirySeq(), quota.Refs(f.deals), f.month, quota.Grouping{Rep: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, quota.BasisPeriod, rep.Basis)
	// Won in November: d1, d4, d6, d7a, d7b, d8; received: 7.
	assert.Equal(t, quota.Rate{Num: 6, Den: 7}, rep.Total.Conversion.Rate)
	require.Len(t, rep.Groups, 2)
	a, b := rep.Groups[0], rep.Groups[1]
	assert.Equal(t, quota.Rate{Num: 4, Den: 4}, a.Conversion.Rate)
	assert.Equal(t, quota.Rate{Num: 2, Den: 3}, b.Conversion.Rate)
	assert.Equal(t, "0.6667", b.Conversion.Value.String())

	t.Run("repeated_inquiry", func(t *testing.T) {
		// The cohort indexes inquiries by ID: a repeated record counts once.
		ins := append(slices.Clone(f.inquiries), f.inquiries[0])
		rep, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(f.deals), f.month, f.month.End(), quota.Grouping{}, nil)
		require.NoError(t, err)
		assert.Equal(t, quota.Rate{Num: 3, Den: 7}, rep.Total.Conversion.Rate)
	})
	t.Run("above_one", func(t *testing.T) {
		rep, err := quota.PeriodConversion(quota.Refs(f.inquiries[:1]), quota.Refs(f.deals), f.month, quota.Grouping{}, nil)
		require.NoError(t, err)
		c := rep.Total.Conversion
		assert.Equal(t, quota.Rate{Num: 6, Den: 1}, c.Rate)
		assert.Equal(t, "6", c.Value.String())
		assert.Nil(t, c.Wilson, "not a proportion")
		assert.False(t, c.Shrunk.Valid)
		assert.Equal(t, quota.Prior{}, rep.Prior, "fit to proportions only: not the total's 6")
		roundTrip(t, rep)
	})
	t.Run("no_data", func(t *testing.T) {
		rep, err := quota.PeriodConversion(quota.Refs([]pipeline.Inquiry(nil)), quota.Refs([]pipeline.Deal(nil)), f.month, quota.Grouping{}, nil)
		require.NoError(t, err)
		assert.Empty(t, rep.Groups)
		assert.Equal(t, quota.Rate{}, rep.Total.Conversion.Rate)
		assert.Equal(t, "0", rep.Total.Conversion.Value.String())
		require.NotNil(t, rep.Total.Conversion.Wilson)
		assert.Equal(t, "[0, 1]", rep.Total.Conversion.Wilson.String())
	})
	t.Run("errors", func(t *testing.T) {
		_, err := quota.PeriodConversion(f.inquirySeq(), quota.Refs(f.deals), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		onlyInquiry := quota.Grouping{Inquiry: func(*pipeline.Inquiry) string { return "x" }}
		_, err = quota.PeriodConversion(f.inquirySeq(), quota.Refs(f.deals), f.month, onlyInquiry, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		onlyDeal := quota.Grouping{Deal: func(*pipeline.Deal) string { return "x" }}
		_, err = quota.CohortConversion(f.inquirySeq(), quota.Refs(f.deals), f.month, nov(30), onlyDeal, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.CohortConversion(f.inquirySeq(), quota.Refs(f.deals), f.month, nov(30), quota.Grouping{}, &quota.Options{Places: -1})
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestWinRates(t *testing.T) {
	f := newFunnelData(t)
	rep, err := quota.WinRates(quota.Refs(f.deals), f.month, quota.Grouping{Rep: true}, &quota.Options{Places: 2, Confidence: 0.9})
	require.NoError(t, err)
	assert.Equal(t, 0.9, rep.Confidence)
	assert.Equal(t, quota.Rate{Num: 6, Den: 7}, rep.Total.WinRate.Rate)
	assert.Equal(t, "6900.00 EUR", rep.Total.WonAmount.String())
	require.Len(t, rep.Groups, 2)
	a, b := rep.Groups[0], rep.Groups[1]
	assert.Equal(t, quota.Key{Rep: "a"}, a.Key)
	assert.Equal(t, int64(4), a.Won)
	assert.Equal(t, int64(0), a.Lost)
	assert.Equal(t, "3400.00 EUR", a.WonAmount.String())
	assert.Equal(t, quota.Rate{Num: 2, Den: 3}, b.WinRate.Rate)
	assert.Equal(t, "0.67", b.WinRate.Value.String())
	assert.InDelta(t, 6.0/7, rep.Prior.Mean, 1e-12)
	roundTrip(t, rep)

	t.Run("by_product_and_rep", func(t *testing.T) {
		deals := slices.Clone(f.deals)
		deals[0].Product = "p2"
		rep, err := quota.WinRates(quota.Refs(deals), f.month, quota.Grouping{Rep: true, Product: true}, nil)
		require.NoError(t, err)
		var keys []string
		for _, g := range rep.Groups {
			keys = append(keys, g.Key.String())
		}
		assert.Equal(t, []string{"rep=a product=p1", "rep=a product=p2", "rep=b product=p1"}, keys)
	})
	t.Run("month_zone_loaded_per_record", func(t *testing.T) {
		// time.LoadLocation returns a new *Location on every call: the
		// same zone must still make one month, not a group per record.
		opts := &quota.Options{Location: func(sp.RegionID) *time.Location {
			return location(t, "Europe/Berlin")
		}}
		rep, err := quota.WinRates(quota.Refs(f.deals), f.month, quota.Grouping{Month: true}, opts)
		require.NoError(t, err)
		require.Len(t, rep.Groups, 1)
		assert.Equal(t, "month=2026-11[Europe/Berlin]", rep.Groups[0].Key.String())
		assert.Equal(t, quota.Rate{Num: 6, Den: 7}, rep.Groups[0].WinRate.Rate)

		// Zones of one name whose months differ stay apart.
		byRegion := &quota.Options{Location: func(r sp.RegionID) *time.Location {
			if r == "west" {
				return time.FixedZone("", -5*3600)
			}
			return time.FixedZone("", 5*3600)
		}}
		deals := []pipeline.Deal{won("w", "a", "west", cents(100), nov(10)), won("e", "a", "east", cents(100), nov(10))}
		rep, err = quota.WinRates(quota.Refs(deals), f.month, quota.Grouping{Month: true}, byRegion)
		require.NoError(t, err)
		require.Len(t, rep.Groups, 2)
		assert.False(t, rep.Groups[0].Key.Month.Start().Equal(rep.Groups[1].Key.Month.Start()))
	})
	t.Run("every_single_dimension", func(t *testing.T) {
		for _, by := range []quota.Grouping{{Region: true}, {Product: true}, {Channel: true}, {Campaign: true}} {
			rep, err := quota.WinRates(quota.Refs(f.deals), f.month, by, nil)
			require.NoError(t, err)
			require.Len(t, rep.Groups, 1)
			assert.Equal(t, quota.Rate{Num: 6, Den: 7}, rep.Groups[0].WinRate.Rate)
		}
	})
	t.Run("errors", func(t *testing.T) {
		_, err := quota.WinRates(quota.Refs(f.deals), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.WinRates(quota.Refs(f.deals), f.month, quota.Grouping{Inquiry: func(*pipeline.Inquiry) string { return "" }}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		deals := slices.Clone(f.deals)
		deals[1].Closed = nov(11)
		deals[1].Amount = money(t, "5.00 USD")
		_, err = quota.WinRates(quota.Refs(deals), f.month, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		_, err = quota.WinRates(quota.Refs(deals), f.month, quota.Grouping{Rep: true}, nil)
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch, "across groups")
		_, err = quota.WinRates(quota.Refs(deals), f.month, quota.Grouping{}, &quota.Options{Confidence: -1})
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestFunnel(t *testing.T) {
	hist := func(stages ...pipeline.DealStage) []pipeline.Transition[pipeline.DealStage] {
		var h []pipeline.Transition[pipeline.DealStage]
		var from pipeline.DealStage
		for i, st := range stages {
			h = append(h, pipeline.Transition[pipeline.DealStage]{From: from, To: st, At: nov(1 + i)})
			from = st
		}
		return h
	}
	d := func(id string, owner sp.RepID, created time.Time, stages ...pipeline.DealStage) pipeline.Deal {
		return pipeline.Deal{ID: sp.DealID(id), Owner: owner, Created: created, Stage: stages[len(stages)-1], History: hist(stages...)}
	}
	const (
		pros = pipeline.DealProspecting
		qual = pipeline.DealQualification
		prop = pipeline.DealProposal
		nego = pipeline.DealNegotiation
	)
	deals := []pipeline.Deal{
		d("f1", "a", nov(1), pros, qual, prop, pipeline.DealWon),
		d("f2", "a", nov(2), pros, prop, pipeline.DealLost), // skipped qualification
		d("f3", "b", nov(3), pros, qual),                    // still open
		d("f4", "b", nov(4), pros, pipeline.DealLost),
		d("f5", "b", nov(5), pros, qual, prop, nego, pipeline.DealLost, prop), // reopened, open
		d("f6", "a", time.Date(2026, time.October, 5, 0, 0, 0, 0, time.UTC), pros, pipeline.DealLost),
		{ID: "f7", Owner: "a", Created: nov(6), Stage: "custom"}, // no known stage
	}
	rep, err := quota.Funnel(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{Rep: true}, nil)
	require.NoError(t, err)
	type counts struct{ reached, advanced, dropped, pending int64 }
	want := []counts{{5, 4, 1, 0}, {4, 3, 0, 1}, {3, 2, 1, 0}, {2, 1, 0, 1}}
	require.Len(t, rep.Total.Steps, 4)
	assert.Equal(t, int64(6), rep.Total.Deals)
	for i, st := range rep.Total.Steps {
		assert.Equal(t, want[i], counts{st.Reached, st.Advanced, st.Dropped, st.Pending}, "step %s → %s", st.From, st.To)
		assert.Equal(t, quota.Rate{Num: st.Advanced, Den: st.Advanced + st.Dropped}, st.Conversion.Rate)
	}
	assert.Equal(t, pipeline.DealProspecting, rep.Total.Steps[0].From)
	assert.Equal(t, pipeline.DealWon, rep.Total.Steps[3].To)
	require.Len(t, rep.Groups, 2)
	assert.Equal(t, int64(3), rep.Groups[0].Deals, "a: f1, f2, f7")
	assert.Equal(t, int64(2), rep.Groups[0].Steps[0].Reached)
	assert.Len(t, rep.Priors, 4)
	roundTrip(t, rep)

	t.Run("errors", func(t *testing.T) {
		month := sp.Month(2026, time.November, nil)
		for name, opts := range map[string]*quota.Options{
			"err_one_stage": {Stages: []pipeline.DealStage{pros}},
			"err_repeated":  {Stages: []pipeline.DealStage{pros, qual, pros}},
			"err_option":    {Confidence: 1.5},
		} {
			_, err := quota.Funnel(quota.Refs(deals), month, quota.Grouping{}, opts)
			assert.ErrorIs(t, err, sp.ErrInvalid, name)
		}
		_, err := quota.Funnel(quota.Refs(deals), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.Funnel(quota.Refs(deals), month, quota.Grouping{Inquiry: func(*pipeline.Inquiry) string { return "" }}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestSummarize(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name string
		ds   []time.Duration
		want quota.Durations
	}{
		{name: "none", want: quota.Durations{}},
		{name: "one", ds: []time.Duration{3 * h}, want: quota.Durations{Count: 1, Mean: 3 * h, Min: 3 * h, P25: 3 * h, Median: 3 * h, P75: 3 * h, P90: 3 * h, Max: 3 * h}},
		{name: "four", ds: []time.Duration{4 * h, 1 * h, 3 * h, 2 * h, -h},
			want: quota.Durations{Count: 4, Mean: 150 * time.Minute, Min: h, P25: 105 * time.Minute, Median: 150 * time.Minute, P75: 195 * time.Minute, P90: 222 * time.Minute, Max: 4 * h}},
		{name: "mean_rounds_half_up", ds: []time.Duration{1, 2}, want: quota.Durations{Count: 2, Mean: 2, Min: 1, P25: 1, Median: 2, P75: 2, P90: 2, Max: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, quota.Summarize(slices.Values(tt.ds)))
		})
	}
	t.Run("huge_sum", func(t *testing.T) {
		long := time.Duration(1 << 62)
		got := quota.Summarize(slices.Values([]time.Duration{long, long, long, long}))
		assert.Equal(t, long, got.Mean, "the sum overflows an int64, the mean does not")
	})
}

func TestCycles(t *testing.T) {
	f := newFunnelData(t)
	t.Run("sales_cycle", func(t *testing.T) {
		deals := append(slices.Clone(f.deals), open("o1", "a", "north", cents(100), "0.5", nov(28)))
		deals[len(deals)-1].Created = nov(3)
		rep, err := quota.SalesCycle(quota.Refs(deals), f.month, quota.Grouping{Rep: true}, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(6), rep.Total.Durations.Count)
		assert.Equal(t, 10*24*time.Hour, rep.Total.Durations.Median)
		assert.Equal(t, int64(1), rep.Total.Pending)
		require.Len(t, rep.Groups, 2)
		assert.Equal(t, int64(1), rep.Groups[0].Pending)
		roundTrip(t, rep)
	})
	t.Run("time_to_convert", func(t *testing.T) {
		rep, err := quota.TimeToConvert(f.inquirySeq(), quota.Refs(f.deals), f.month, f.month.End(), quota.Grouping{Rep: true}, nil)
		require.NoError(t, err)
		// i1: Nov 2 → Nov 10 (8 days); i4: Nov 5 → Nov 20 (15); i7: Nov 7 →
		// Nov 25, its first win (18). Pending: i2, i3, i5, i9.
		day := 24 * time.Hour
		assert.Equal(t, int64(3), rep.Total.Durations.Count)
		assert.Equal(t, 15*day, rep.Total.Durations.Median)
		assert.Equal(t, 8*day, rep.Total.Durations.Min)
		assert.Equal(t, 18*day, rep.Total.Durations.Max)
		assert.Equal(t, int64(4), rep.Total.Pending)
	})
	t.Run("first_response", func(t *testing.T) {
		ins := []pipeline.Inquiry{
			{ID: "x1", Owner: "a", Received: nov(2), Activities: []pipeline.Activity{
				{Kind: pipeline.ActivityCall, Done: nov(2).Add(5 * time.Hour)},
				{Kind: pipeline.ActivityEmail, Done: nov(2).Add(2 * time.Hour)},
				{Kind: pipeline.ActivityVisit, Due: nov(9)}, // planned, not done
			}},
			{ID: "x2", Owner: "a", Received: nov(3), History: []pipeline.Transition[pipeline.InquiryStage]{
				{To: pipeline.InquiryNew, At: nov(3)},
				{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: nov(3).Add(time.Hour)},
			}},
			{ID: "x3", Owner: "b", Received: nov(4)}, // no response
			{ID: "x4", Owner: "b", Received: nov(4), Activities: []pipeline.Activity{{Kind: pipeline.ActivityCall, Done: nov(29)}}}, // after as-of
		}
		rep, err := quota.FirstResponse(quota.Refs(ins), f.month, nov(20), quota.Grouping{Rep: true}, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(2), rep.Total.Durations.Count)
		assert.Equal(t, time.Hour, rep.Total.Durations.Min)
		assert.Equal(t, 2*time.Hour, rep.Total.Durations.Max)
		assert.Equal(t, int64(2), rep.Total.Pending)
		assert.Equal(t, int64(2), rep.Groups[1].Pending)
	})
	t.Run("errors", func(t *testing.T) {
		_, err := quota.SalesCycle(quota.Refs(f.deals), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.SalesCycle(quota.Refs(f.deals), f.month, quota.Grouping{}, &quota.Options{Places: 50})
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.SalesCycle(quota.Refs(f.deals), f.month, quota.Grouping{Inquiry: func(*pipeline.Inquiry) string { return "" }}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.TimeToConvert(f.inquirySeq(), quota.Refs(f.deals), f.month, nov(1), quota.Grouping{Deal: func(*pipeline.Deal) string { return "" }}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.TimeToConvert(f.inquirySeq(), quota.Refs(f.deals), f.month, nov(1), quota.Grouping{}, &quota.Options{Confidence: 7})
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.FirstResponse(f.inquirySeq(), sp.Period{}, nov(1), quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.FirstResponse(f.inquirySeq(), f.month, nov(1), quota.Grouping{}, &quota.Options{Confidence: 7})
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

func TestVelocity(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	deals := []pipeline.Deal{
		won("w1", "a", "north", money(t, "1000.00 EUR"), nov(10)),
		won("w2", "a", "north", money(t, "3000.00 EUR"), nov(12)),
		lost("l1", "a", "north", nov(5)),
		lost("l2", "a", "north", nov(6)),
		open("o1", "a", "north", money(t, "500.00 EUR"), "0.2", nov(28)),
		open("o2", "a", "north", money(t, "800.00 EUR"), "0.6", nov(29)),
		won("w3", "b", "north", money(t, "100.00 EUR"), nov(3)),
		open("o3", "c", "north", money(t, "100.00 EUR"), "0.5", nov(3)),
	}
	rep, err := quota.Velocity(quota.Refs(deals), month, quota.Grouping{Rep: true}, nil)
	require.NoError(t, err)
	require.Len(t, rep.Groups, 3)
	a := rep.Groups[0]
	// 2 open × 2000 average × ½ win rate / 10 days.
	assert.Equal(t, "200.00 EUR", a.PerDay.String())
	assert.Equal(t, 10*24*time.Hour, a.Cycle)
	assert.Equal(t, int64(2), a.Open)
	assert.Equal(t, "0.00 EUR", rep.Groups[1].PerDay.String(), "no open deal")
	assert.True(t, rep.Groups[2].PerDay.IsUnset(), "no won deal: undefined")
	assert.Equal(t, int64(3), rep.Total.Open)
	roundTrip(t, rep)

	t.Run("errors", func(t *testing.T) {
		_, err := quota.Velocity(quota.Refs(deals), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.Velocity(quota.Refs(deals), month, quota.Grouping{}, &quota.Options{Places: 99})
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.Velocity(quota.Refs(deals), month, quota.Grouping{Inquiry: func(*pipeline.Inquiry) string { return "" }}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		usd := slices.Clone(deals)
		usd[1].Amount = money(t, "1.00 USD")
		_, err = quota.Velocity(quota.Refs(usd), month, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		_, err = quota.Velocity(quota.Refs(usd[6:]), month, quota.Grouping{Rep: true}, nil)
		require.NoError(t, err)
		mixed := []pipeline.Deal{deals[0], won("w9", "b", "north", money(t, "1.00 USD"), nov(9))}
		across, err := quota.Velocity(quota.Refs(mixed), month, quota.Grouping{Rep: true}, nil)
		require.NoError(t, err, "across groups")
		assert.True(t, across.Total.WonAmount.IsUnset(), "across groups, the total has no won amount")

		// 1 open × 10³⁹ won / 1 hour = 2.4·10⁴⁰ a day: more digits than
		// Money holds, which is no undefined velocity.
		huge := won("w-huge", "a", "north", money(t, "1"+strings.Repeat("0", 39)+".00 EUR"), nov(10))
		huge.Created = huge.Closed.Add(-time.Hour)
		_, err = quota.Velocity(quota.Refs([]pipeline.Deal{huge, deals[4]}), month, quota.Grouping{Rep: true}, nil)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `group "rep=a"`)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "per_day", ve.Field)
		huge.Created = huge.Closed.Add(-240 * time.Hour)
		v, err := quota.Velocity(quota.Refs([]pipeline.Deal{huge, deals[4]}), month, quota.Grouping{Rep: true}, nil)
		require.NoError(t, err, "10³⁸ a day fits")
		assert.Equal(t, "1"+strings.Repeat("0", 38)+".00 EUR", v.Total.PerDay.String())
		// Each rep's 6·10³⁹ a day fits; the total's 1.2·10⁴⁰ does not.
		sixes := []pipeline.Deal{
			won("w-six-a", "a", "north", money(t, "6"+strings.Repeat("0", 39)+".00 EUR"), nov(10)), deals[4],
			won("w-six-b", "b", "north", money(t, "6"+strings.Repeat("0", 39)+".00 EUR"), nov(10)), deals[7],
		}
		sixes[2].Created, sixes[0].Created = sixes[2].Closed.AddDate(0, 0, -1), sixes[0].Closed.AddDate(0, 0, -1)
		sixes[3].Owner = "b"
		_, err = quota.Velocity(quota.Refs(sixes), month, quota.Grouping{Rep: true}, nil)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `group "all"`)
		v, err = quota.Velocity(quota.Refs(sixes[:2]), month, quota.Grouping{Rep: true}, nil)
		require.NoError(t, err)
		assert.Equal(t, "6"+strings.Repeat("0", 39)+".00 EUR", v.Groups[0].PerDay.String())
	})
}

// A zero cycle, won deals all closed at their creation, leaves the
// velocity undefined (the zero Money), not a division by zero.
func TestVelocityZeroCycle(t *testing.T) {
	instant := won("w1", "a", "north", money(t, "1000.00 EUR"), nov(10))
	instant.Created = instant.Closed
	deals := []pipeline.Deal{instant, open("o1", "a", "north", money(t, "500.00 EUR"), "0.2", nov(28))}
	rep, err := quota.Velocity(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), rep.Total.Won)
	assert.Equal(t, int64(1), rep.Total.Open)
	assert.Zero(t, rep.Total.Cycle)
	assert.True(t, rep.Total.PerDay.IsUnset(), "%s", rep.Total.PerDay)
}

// A won deal closed at its creation is a cycle of zero that counts in the
// mean: beside one of ten days, the mean cycle is five days, not ten.
func TestVelocityCountsAZeroCycle(t *testing.T) {
	instant := won("w1", "a", "north", money(t, "1000.00 EUR"), nov(10))
	instant.Created = instant.Closed
	deals := []pipeline.Deal{instant, won("w2", "a", "north", money(t, "1000.00 EUR"), nov(12))}
	rep, err := quota.Velocity(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), rep.Total.Won)
	assert.Equal(t, 5*24*time.Hour, rep.Total.Cycle)
}

func TestWeightedPipeline(t *testing.T) {
	deals := []pipeline.Deal{
		open("o1", "a", "north", money(t, "1000.00 EUR"), "0.25", nov(20)),
		open("o2", "a", "north", money(t, "333.33 EUR"), "0.333", nov(21)),
		open("o3", "b", "north", money(t, "2000.00 EUR"), "0.5", time.Date(2026, time.December, 3, 0, 0, 0, 0, time.UTC)),
		open("o4", "b", "north", sp.Money{}, "0.5", nov(22)), // no amount yet
		// Lost deals contribute nothing, whatever probability they carry.
		lost("l1", "a", "north", nov(10)),
		won("w1", "a", "north", money(t, "100.00 EUR"), nov(10)),
	}
	deals[4].Probability = dec(t, "0.9")
	rep, err := quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{Rep: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(4), rep.Total.Open)
	assert.Equal(t, "3333.33 EUR", rep.Total.Amount.String())
	assert.Equal(t, "1360.99889 EUR", rep.Total.Weighted.String(), "250 + 110.99889 + 1000, exact")
	require.Len(t, rep.Groups, 2)
	assert.Equal(t, "360.99889 EUR", rep.Groups[0].Weighted.String())
	roundTrip(t, rep)

	t.Run("closing_in_november", func(t *testing.T) {
		rep, err := quota.WeightedPipeline(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{Month: true}, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(3), rep.Total.Open)
		assert.Equal(t, "360.99889 EUR", rep.Total.Weighted.String())
		require.Len(t, rep.Groups, 1)
		assert.Equal(t, "2026-11", rep.Groups[0].Key.Month.String())
	})
	t.Run("by_month_without_expected_close", func(t *testing.T) {
		// An open deal without an expected close has no month: it goes to
		// the group without one, in any zone, rather than to January of
		// year 1 in UTC or to an error west of it.
		undated := open("o5", "a", "north", money(t, "10.00 EUR"), "0.5", time.Time{})
		ny := location(t, "America/New_York")
		opts := &quota.Options{Location: func(sp.RegionID) *time.Location { return ny }}
		for _, o := range []*quota.Options{nil, opts} {
			rep, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{deals[0], undated}), sp.Period{}, quota.Grouping{Month: true}, o)
			require.NoError(t, err)
			require.Len(t, rep.Groups, 2)
			assert.True(t, rep.Groups[0].Key.Month.IsZero(), "the group without a month sorts first")
			assert.Equal(t, "5.00 EUR", rep.Groups[0].Weighted.String(), "exact, without the factors' trailing zeros")
			assert.Equal(t, "all", rep.Groups[0].Key.String())
			assert.Equal(t, time.November, rep.Groups[1].Key.Month.Start().Month())
			roundTrip(t, rep)
			vel, err := quota.Velocity(quota.Refs([]pipeline.Deal{undated}), sp.Month(2026, time.November, nil), quota.Grouping{Rep: true, Month: true}, o)
			require.NoError(t, err)
			require.Len(t, vel.Groups, 1)
			assert.Equal(t, quota.Key{Rep: "a"}, vel.Groups[0].Key)
		}
	})
	t.Run("errors", func(t *testing.T) {
		bad := slices.Clone(deals)
		bad[0].Probability = dec(t, "1.2")
		_, err := quota.WeightedPipeline(quota.Refs(bad), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		bad[0].Probability = dec(t, "0.5")
		bad[1].Amount = money(t, "3.00 USD")
		_, err = quota.WeightedPipeline(quota.Refs(bad), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		across, err := quota.WeightedPipeline(quota.Refs(bad[1:3]), sp.Period{}, quota.Grouping{Rep: true}, nil)
		require.NoError(t, err, "across groups")
		assert.True(t, across.Total.Amount.IsUnset(), "across groups, the total has no amount")
		_, err = quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{}, &quota.Options{Places: 99})
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{Inquiry: func(*pipeline.Inquiry) string { return "" }}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
	_ = decimal.Zero
}
