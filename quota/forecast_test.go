package quota_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

func TestForecast(t *testing.T) {
	n := newNovember(t)
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 0, 0, 0, 0, n.loc) }
	deals := append(slices.Clone(n.deals),
		open("o1", "r1", "north", money(t, "2000.00 EUR"), "0.25", day(2)), // overdue: still counts
		open("o2", "r1", "north", money(t, "9000.00 EUR"), "0.9", time.Date(2026, time.December, 5, 0, 0, 0, 0, n.loc)),
		open("o3", "r1", "north", money(t, "800.00 EUR"), "0.4", time.Time{}), // no expected close
		open("o4", "r2", "north", money(t, "1500.00 EUR"), "0.6", day(28)),
	)
	lostDeal := lost("l9", "r1", "north", day(10))
	lostDeal.Probability = dec(t, "0.9") // lost deals bring nothing, whatever they say
	deals = append(deals, lostDeal)
	goals := []quota.Goal{
		{Rep: "r1", Region: "north", Period: n.month, Revenue: money(t, "10000.00 EUR")},
		{Rep: "r2", Region: "north", Period: n.month, Deals: 4},
		{Period: n.month, Revenue: money(t, "16000.00 EUR")},
		{Rep: "r1", Period: n.month.Prev(), Revenue: money(t, "100.00 EUR")}, // over
		{Region: "north", Product: "p2", Period: n.month, Revenue: money(t, "2000.00 EUR")},
	}
	got, err := quota.Forecast(goals, quota.Refs(deals), n.asOf(), nil)
	require.NoError(t, err)
	require.Len(t, got, 5)

	r1 := got[0]
	assert.Equal(t, "4000.50 EUR", r1.Booked.String())
	assert.Equal(t, "5999.50 EUR", r1.Gap.String())
	assert.Equal(t, int64(2), r1.Open, "d9 and o1")
	assert.Equal(t, "7000.00 EUR", r1.Pipeline.String())
	assert.Equal(t, "3000.00 EUR", r1.Weighted.String(), "5000 × 0.5 + 2000 × 0.25")
	assert.Equal(t, "0.5", r1.Coverage.Decimal.String())
	// Reaching 5999.50 needs d9 (5000) and o1 (2000): 0.5 × 0.25.
	assert.InDelta(t, 0.125, r1.Chance.Value, 1e-15)
	assert.Equal(t, quota.MethodEnumeration, r1.Chance.Method)
	// Shortfall: ⅜·5999.50 (neither) + ⅜·999.50 (d9 alone) + ⅛·3999.50 (o1
	// alone) = 3124.5625.
	assert.Equal(t, "3124.56 EUR", r1.Chance.Shortfall.String())
	roundTrip(t, r1)

	r2 := got[1]
	assert.Equal(t, "2 deals", r2.Booked.String())
	assert.Equal(t, "1 deals", r2.Pipeline.String())
	assert.Equal(t, "0.6 deals", r2.Weighted.String())
	assert.Equal(t, "0.3", r2.Coverage.Decimal.String())
	assert.InDelta(t, 0, r2.Chance.Value, 1e-15, "one open deal cannot close a gap of two")
	assert.Equal(t, quota.MethodCertain, r2.Chance.Method)
	assert.Equal(t, "1.4 deals", r2.Chance.Shortfall.String(), "2 − 0.6")

	company := got[2]
	assert.Equal(t, int64(3), company.Open)
	assert.Equal(t, "8100.50 EUR", company.Booked.String())
	assert.Equal(t, "0.49", company.Coverage.Decimal.String(), "3900 / 7899.50 = 0.4937, to two places")

	over := got[3]
	assert.Equal(t, int64(0), over.Open, "a period that is over takes no open deals")
	assert.Equal(t, "0", over.Coverage.Decimal.String())
	assert.Equal(t, quota.MethodCertain, over.Chance.Method)
	assert.Zero(t, over.Chance.Value)

	exceeded := got[4]
	assert.Equal(t, "-500.00 EUR", exceeded.Gap.String())
	assert.False(t, exceeded.Coverage.Valid, "no gap to cover")
	assert.Equal(t, 1.0, exceeded.Chance.Value)
	roundTrip(t, got)

	t.Run("over_takes_no_overdue_deal", func(t *testing.T) {
		// October is over by the as-of time: an open deal expected to close
		// in it, overdue now, is none of its pipeline any more.
		october := []quota.Goal{{Rep: "r1", Period: n.month.Prev(), Revenue: money(t, "100.00 EUR")}}
		late := open("o9", "r1", "north", money(t, "500.00 EUR"), "0.5", time.Date(2026, time.October, 20, 0, 0, 0, 0, n.loc))
		got, err := quota.Forecast(october, quota.Refs([]pipeline.Deal{late}), n.asOf(), nil)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, int64(0), got[0].Open)
		assert.True(t, got[0].Weighted.Money.IsZero(), "%s", got[0].Weighted)
		assert.Equal(t, quota.MethodCertain, got[0].Chance.Method)
		assert.Zero(t, got[0].Chance.Value)
	})
	t.Run("gap_zero", func(t *testing.T) {
		met := []quota.Goal{{Region: "north", Product: "p2", Period: n.month, Revenue: money(t, "2500.00 EUR")}}
		got, err := quota.Forecast(met, quota.Refs(deals), n.asOf(), nil)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, "0.00 EUR", got[0].Gap.String())
		assert.False(t, got[0].Coverage.Valid, "a met goal has no gap to cover")
	})

	t.Run("region", func(t *testing.T) {
		// A region's goal takes the open deals of the region: d9, o1
		// (overdue) and o4; none for a region without open deals.
		regions := []quota.Goal{
			{Region: "north", Period: n.month, Revenue: money(t, "10000.00 EUR")},
			{Region: "south", Period: n.month, Revenue: money(t, "10000.00 EUR")},
		}
		got, err := quota.Forecast(regions, quota.Refs(deals), n.asOf(), nil)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, int64(3), got[0].Open)
		assert.Equal(t, "8500.00 EUR", got[0].Pipeline.String())
		assert.Equal(t, "3900.00 EUR", got[0].Weighted.String(), "5000 × 0.5 + 2000 × 0.25 + 1500 × 0.6")
		assert.Equal(t, int64(0), got[1].Open)
		assert.Equal(t, "1200.00 EUR", got[1].Booked.String())
	})
	t.Run("splits", func(t *testing.T) {
		opts := &quota.Options{Splits: func(d *pipeline.Deal) []quota.Split {
			if d.ID == "d9" || d.ID == "o3" {
				return []quota.Split{{Rep: "r1", Percent: dec(t, "50")}, {Rep: "r2", Percent: dec(t, "50")}}
			}
			return nil
		}}
		noAmount := open("o5", "r1", "north", sp.Money{}, "0.5", day(27))
		extra := append(slices.Clone(deals), noAmount)
		got, err := quota.Forecast(goals[:2], quota.Refs(extra), n.asOf(), opts)
		require.NoError(t, err)
		assert.Equal(t, "4500.00 EUR", got[0].Pipeline.String(), "half of d9 and o1")
		assert.Equal(t, int64(3), got[0].Open, "d9, o1 and o5, which has no amount")
		assert.Equal(t, "1.5 deals", got[1].Pipeline.String(), "o4 and half of d9")
	})
	t.Run("future_period", func(t *testing.T) {
		// On November 16 a deal expected on the 25th is November's
		// pipeline, not December's as well; an overdue deal counts for the
		// period under way only.
		december := n.month.Next()
		pipe := []pipeline.Deal{
			open("o1", "r1", "north", money(t, "1000.00 EUR"), "0.5", day(25)),
			open("o2", "r1", "north", money(t, "2000.00 EUR"), "0.5", time.Date(2026, time.December, 10, 0, 0, 0, 0, n.loc)),
			open("o3", "r1", "north", money(t, "4000.00 EUR"), "0.5", day(5)), // overdue
		}
		goals := []quota.Goal{
			{Rep: "r1", Period: n.month, Revenue: money(t, "10000.00 EUR")},
			{Rep: "r1", Period: december, Revenue: money(t, "10000.00 EUR")},
		}
		asOf := time.Date(2026, time.November, 16, 0, 0, 0, 0, n.loc)
		got, err := quota.Forecast(goals, quota.Refs(pipe), asOf, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got[0].Open, "o1 and the overdue o3")
		assert.Equal(t, "5000.00 EUR", got[0].Pipeline.String())
		assert.Equal(t, int64(1), got[1].Open, "o2 alone")
		assert.Equal(t, "2000.00 EUR", got[1].Pipeline.String())
		// Once December is under way, what is overdue counts for it.
		got, err = quota.Forecast(goals[1:], quota.Refs(pipe), december.Start().AddDate(0, 0, 1), nil)
		require.NoError(t, err)
		assert.Equal(t, int64(3), got[0].Open)
	})
	t.Run("errors", func(t *testing.T) {
		bad := slices.Clone(deals)
		bad[len(bad)-2].Probability = dec(t, "-0.5")
		_, err := quota.Forecast(goals, quota.Refs(bad), n.asOf(), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		usd := []pipeline.Deal{open("u", "r1", "north", money(t, "5.00 USD"), "0.5", day(20))}
		_, err = quota.Forecast(goals[:1], quota.Refs(usd), n.asOf(), nil)
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		_, err = quota.Forecast([]quota.Goal{{}}, quota.Refs(deals), n.asOf(), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.Forecast(goals, quota.Refs(deals), n.asOf(), &quota.Options{Confidence: 3})
		assert.ErrorIs(t, err, sp.ErrInvalid)
		split := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split { return []quota.Split{{Rep: "r1", Percent: dec(t, "90")}} }}
		_, err = quota.Forecast(goals[:1], quota.Refs(deals), n.asOf(), split)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		noAmount := []pipeline.Deal{open("o5", "r1", "north", sp.Money{}, "0.5", day(27))}
		_, err = quota.Forecast(goals[:1], quota.Refs(noAmount), n.asOf(), split)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		closedUSD := []pipeline.Deal{won("w", "r1", "north", money(t, "5.00 USD"), day(3))}
		_, err = quota.Forecast(goals[:1], quota.Refs(closedUSD), n.asOf(), nil)
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	})
}

// A deal closed at the very as-of time is booked, as Attain counts it.
func TestForecastBooksADealClosedAtAsOf(t *testing.T) {
	asOf := nov(15)
	goals := []quota.Goal{{Rep: "a", Period: sp.Month(2026, time.November, nil), Revenue: money(t, "1000.00 EUR")}}
	deals := []pipeline.Deal{won("w1", "a", "north", money(t, "100.00 EUR"), asOf)}
	out, err := quota.Forecast(goals, quota.Refs(deals), asOf, nil)
	require.NoError(t, err)
	att, err := quota.Attain(goals, quota.Refs(deals), asOf, nil)
	require.NoError(t, err)
	require.Len(t, out, 1)
	require.Len(t, att, 1)
	assert.Equal(t, "100.00 EUR", out[0].Booked.String())
	assert.Equal(t, att[0].Attained, out[0].Booked)
}

func TestInquiriesNeeded(t *testing.T) {
	eur := func(s string) quota.Amount { return quota.Amount{Money: money(t, s)} }
	tests := []struct {
		name                 string
		gap                  quota.Amount
		rate                 quota.Rate
		average              sp.Money
		needed, fewest, most int64
		confidence           float64 // 0: 0.95
	}{
		// 10 of 100 at 95 %: [0.0552, 0.1744].
		{name: "revenue", gap: eur("10000.00 EUR"), rate: quota.Rate{Num: 10, Den: 100}, average: money(t, "1000.00 EUR"), needed: 100, fewest: 58, most: 182},
		{name: "rounds_up", gap: eur("10000.01 EUR"), rate: quota.Rate{Num: 10, Den: 100}, average: money(t, "1000.00 EUR"), needed: 101, fewest: 58, most: 182},
		{name: "closed", gap: eur("-5.00 EUR"), rate: quota.Rate{Num: 10, Den: 100}, average: money(t, "1000.00 EUR")},
		// A gap of exactly zero is closed too, whatever the rate: no data
		// and a zero rate need no inquiry either.
		{name: "closed_exactly", gap: eur("0.00 EUR"), rate: quota.Rate{Num: 0, Den: 50}, average: money(t, "1000.00 EUR")},
		{name: "closed_exactly_no_data", gap: quota.Amount{Deals: dec(t, "0")}, rate: quota.Rate{}},
		{name: "no_data", gap: eur("100.00 EUR"), rate: quota.Rate{}, average: money(t, "10.00 EUR"), needed: -1, fewest: -1, most: -1},
		{name: "zero_rate", gap: eur("10000.00 EUR"), rate: quota.Rate{Num: 0, Den: 50}, average: money(t, "1000.00 EUR"), needed: -1, fewest: 141, most: -1},
		{name: "deals", gap: quota.Amount{Deals: dec(t, "3")}, rate: quota.Rate{Num: 1, Den: 4}, needed: 12, fewest: 5, most: 66},
		// At 5 of 5 the upper bound is 1 and the rate itself: a gap a hair
		// above one deal takes two inquiries at either, however far past
		// the sixteenth place the hair is.
		{name: "beyond_int64", gap: quota.Amount{Deals: dec(t, "100000000000000000000")}, rate: quota.Rate{Num: 1, Den: 2}, needed: math.MaxInt64, fewest: math.MaxInt64, most: math.MaxInt64},
		// At a confidence near 0 the interval shrinks onto the float64
		// nearest 1/3, just below it: the counts still bracket the exact 3.
		{name: "vanishing_confidence", gap: quota.Amount{Deals: dec(t, "1")}, rate: quota.Rate{Num: 1, Den: 3}, confidence: 1e-300, needed: 3, fewest: 3, most: 4},
		{name: "ceiling_exact", gap: quota.Amount{Deals: dec(t, "1.0000000000000000001")}, rate: quota.Rate{Num: 5, Den: 5}, needed: 2, fewest: 2, most: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			confidence := tt.confidence
			if confidence == 0 {
				confidence = 0.95
			}
			got, err := quota.InquiriesNeeded(tt.gap, tt.rate, tt.average, confidence)
			require.NoError(t, err)
			assert.Equal(t, quota.InquiryNeed{Needed: tt.needed, Fewest: tt.fewest, Most: tt.most}, got)
			roundTrip(t, got)
		})
	}
	t.Run("errors", func(t *testing.T) {
		gap := eur("100.00 EUR")
		for name, f := range map[string]func() error{
			"err_rate": func() error {
				_, err := quota.InquiriesNeeded(gap, quota.Rate{Num: 3, Den: 2}, money(t, "1.00 EUR"), 0.95)
				return err
			},
			"err_confidence": func() error {
				_, err := quota.InquiriesNeeded(gap, quota.Rate{Num: 1, Den: 2}, money(t, "1.00 EUR"), 0)
				return err
			},
			"err_average": func() error {
				_, err := quota.InquiriesNeeded(gap, quota.Rate{Num: 1, Den: 2}, sp.Money{}, 0.95)
				return err
			},
			"err_average_zero": func() error {
				_, err := quota.InquiriesNeeded(gap, quota.Rate{Num: 1, Den: 2}, money(t, "0.00 EUR"), 0.95)
				return err
			},
			"err_average_sign": func() error {
				_, err := quota.InquiriesNeeded(gap, quota.Rate{Num: 1, Den: 2}, money(t, "-1.00 EUR"), 0.95)
				return err
			},
		} {
			assert.ErrorIs(t, f(), sp.ErrInvalid, name)
		}
		_, err := quota.InquiriesNeeded(gap, quota.Rate{Num: 1, Den: 2}, money(t, "1.00 USD"), 0.95)
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	})
}

// Equal deals give the same weighted amounts, whichever way their amounts
// and probabilities were written: a store that reads amounts back with
// the currency's places, or probabilities with trailing zeros, changes no
// report. Places with digits in them are kept.
func TestWeightedIgnoresTheFactorsPlaces(t *testing.T) {
	n := newNovember(t)
	weighted := func(amount, p string) string {
		t.Helper()
		d := open("o1", "r1", "north", money(t, amount), p, n.month.Start().AddDate(0, 0, 20))
		rep, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{d}), n.month, quota.Grouping{}, nil)
		require.NoError(t, err)
		if d.Amount.Amount().NumDigits() <= 18 { // Forecast's chances need smaller amounts
			goal := quota.Goal{Rep: "r1", Period: n.month, Revenue: money(t, "5000.00 EUR")}
			if d.Amount.Currency() == "JPY" {
				goal.Revenue = money(t, "5000 JPY")
			}
			out, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{d}), n.asOf(), nil)
			require.NoError(t, err)
			require.Len(t, out, 1)
			assert.Equal(t, rep.Total.Weighted.String(), out[0].Weighted.String(), "WeightedPipeline and Forecast agree")
		}
		return rep.Total.Weighted.String()
	}
	// Fewer places than the currency's are written with its places, and
	// alike to reflect.DeepEqual whichever way the amount was written.
	a := open("a", "r1", "north", money(t, "1030 EUR"), "0.1", n.month.Start().AddDate(0, 0, 20))
	b := open("b", "r1", "north", money(t, "1030.00 EUR"), "0.1", n.month.Start().AddDate(0, 0, 20))
	ra, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{a}), n.month, quota.Grouping{}, nil)
	require.NoError(t, err)
	rb, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{b}), n.month, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, rb.Total.Weighted, ra.Total.Weighted)
	for _, tt := range []struct{ amount, p, want string }{
		{"1030 EUR", "0.1", "103.00 EUR"},
		{"1030.00 EUR", "0.1", "103.00 EUR"},
		{"1030.00 EUR", "0.1000", "103.00 EUR"},
		{"1030.000000 EUR", "0.10", "103.00 EUR"},
		{"10.01 EUR", "0.5", "5.005 EUR"},
		{"10.0100 EUR", "0.50", "5.005 EUR"},
		{"1000 JPY", "0.25", "250 JPY"},
		{"0.00 EUR", "0.30", "0.00 EUR"},
		// A coefficient of more than 18 digits takes another path.
		{"1234567890123456789.00 EUR", "0.100", "123456789012345678.90 EUR"},
		{"1234567890123456789.01 EUR", "0.100", "123456789012345678.901 EUR"},
	} {
		assert.Equal(t, tt.want, weighted(tt.amount, tt.p), "%s × %s", tt.amount, tt.p)
	}
}
