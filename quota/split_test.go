package quota_test

import (
	"fmt"
	"math/rand/v2"
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

func TestCredits(t *testing.T) {
	tests := []struct {
		name    string
		amount  string
		splits  []quota.Split
		amounts []string
		shares  []string
	}{
		{name: "halves", amount: "1000.00 EUR",
			splits:  []quota.Split{{Rep: "a", Percent: decimal.New(50, 0)}, {Rep: "b", Percent: decimal.New(50, 0)}},
			amounts: []string{"500.00 EUR", "500.00 EUR"}, shares: []string{"0.5", "0.5"}},
		{name: "thirds", amount: "100.00 EUR",
			splits:  []quota.Split{{Rep: "a", Percent: dec(t, "33.33")}, {Rep: "b", Percent: dec(t, "33.33")}, {Rep: "c", Percent: dec(t, "33.34")}},
			amounts: []string{"33.33 EUR", "33.33 EUR", "33.34 EUR"}, shares: []string{"0.3333", "0.3333", "0.3334"}},
		{name: "odd_cent", amount: "0.01 EUR",
			splits:  []quota.Split{{Rep: "a", Percent: decimal.New(50, 0)}, {Rep: "b", Percent: decimal.New(50, 0)}},
			amounts: []string{"0.01 EUR", "0.00 EUR"}, shares: []string{"0.5", "0.5"}},
		{name: "single", amount: "7 JPY", splits: []quota.Split{{Rep: "a", Percent: decimal.New(100, 0)}},
			amounts: []string{"7 JPY"}, shares: []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := quota.Credits(money(t, tt.amount), tt.splits)
			require.NoError(t, err)
			var amounts, shares []string
			for i, c := range cs {
				assert.Equal(t, tt.splits[i].Rep, c.Rep)
				amounts = append(amounts, c.Amount.String())
				shares = append(shares, c.Share.String())
			}
			assert.Equal(t, tt.amounts, amounts)
			assert.Equal(t, tt.shares, shares)
			roundTrip(t, cs)
		})
	}
}

func TestCreditsErrors(t *testing.T) {
	p := func(s string) decimal.Decimal { return dec(t, s) }
	tests := []struct {
		name   string
		splits []quota.Split
		field  string
	}{
		{name: "err_none", splits: nil, field: "splits"},
		{name: "err_sum_below", splits: []quota.Split{{Rep: "a", Percent: p("50")}, {Rep: "b", Percent: p("49.99")}}, field: "splits"},
		{name: "err_sum_above", splits: []quota.Split{{Rep: "a", Percent: p("50")}, {Rep: "b", Percent: p("50.01")}}, field: "splits"},
		{name: "err_zero", splits: []quota.Split{{Rep: "a", Percent: p("100")}, {Rep: "b", Percent: p("0")}}, field: "splits[1].percent"},
		{name: "err_negative", splits: []quota.Split{{Rep: "a", Percent: p("110")}, {Rep: "b", Percent: p("-10")}}, field: "splits[0].percent"},
		{name: "err_duplicate", splits: []quota.Split{{Rep: "a", Percent: p("50")}, {Rep: "a", Percent: p("50")}}, field: "splits[1].rep"},
		{name: "err_rep", splits: []quota.Split{{Rep: "", Percent: p("100")}}, field: "splits[0].rep"},
		// Beyond the digit bounds of every decimal (sp.ValidateDecimal).
		{name: "err_places", splits: []quota.Split{{Rep: "a", Percent: p("100." + strings.Repeat("0", 41))}}, field: "splits[0].percent"},
		// A share, a hundredth of the percentage, of more than 40 places
		// broke Forecast's won-deal goals, naming the deal's amount.
		{name: "err_39_places", splits: []quota.Split{{Rep: "a", Percent: p("99." + strings.Repeat("9", 39))}, {Rep: "b", Percent: p("0." + strings.Repeat("0", 38) + "1")}}, field: "splits[0].percent"},
		{name: "err_above_100", splits: []quota.Split{{Rep: "a", Percent: p("100.01")}, {Rep: "b", Percent: p("-0.01")}}, field: "splits[0].percent"},
		// 18 places: 100 in units of the last does not fit in 64 bits,
		// and the sum is checked as decimals.
		{name: "err_sum_fine", splits: []quota.Split{{Rep: "a", Percent: p("33.333333333333333333")}, {Rep: "b", Percent: p("66.666666666666666666")}}, field: "splits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := quota.Credits(money(t, "10.00 EUR"), tt.splits)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	_, err := quota.Credits(sp.Money{}, []quota.Split{{Rep: "a", Percent: p("100")}})
	assert.ErrorIs(t, err, sp.ErrInvalid, "no amount")
	_, err = quota.Credits(money(t, "10.00 EUR"), []quota.Split{{Rep: "a", Percent: p("50")}, {Rep: "b", Percent: p("49.99")}})
	assert.ErrorContains(t, err, "percentages sum to 99.99, not 100")
	// The same at 18 places sums to exactly 100.
	cs, err := quota.Credits(money(t, "10.00 EUR"), []quota.Split{{Rep: "a", Percent: p("33.333333333333333333")}, {Rep: "b", Percent: p("66.666666666666666667")}})
	require.NoError(t, err)
	assert.Equal(t, "3.33 EUR", cs[0].Amount.String())
	assert.Equal(t, "6.67 EUR", cs[1].Amount.String())
	// A percentage is judged by its value, however many places it is
	// written with: exact halves at 20 places, and thirds at 19 places that
	// sum to exactly 100.
	half := p("50." + strings.Repeat("0", 20))
	cs, err = quota.Credits(money(t, "100.00 EUR"), []quota.Split{{Rep: "a", Percent: half}, {Rep: "b", Percent: half}})
	require.NoError(t, err)
	assert.Equal(t, []string{"50.00 EUR", "50.00 EUR"}, []string{cs[0].Amount.String(), cs[1].Amount.String()})
	assert.True(t, cs[0].Share.Equal(decimal.New(5, -1)), "share %s", cs[0].Share)
	third := p("33." + strings.Repeat("3", 19))
	last := p("33." + strings.Repeat("3", 18) + "4")
	cs, err = quota.Credits(money(t, "10.00 EUR"), []quota.Split{{Rep: "a", Percent: third}, {Rep: "b", Percent: third}, {Rep: "c", Percent: last}})
	require.NoError(t, err)
	assert.Equal(t, []string{"3.33 EUR", "3.33 EUR", "3.34 EUR"}, []string{cs[0].Amount.String(), cs[1].Amount.String(), cs[2].Amount.String()})
	_, err = quota.Credits(money(t, "10.00 EUR"), []quota.Split{{Rep: "a", Percent: third}, {Rep: "b", Percent: third}, {Rep: "c", Percent: third}})
	assert.ErrorContains(t, err, "percentages sum to 99.9999999999999999999, not 100")
}

// TestCreditsSumExactly splits random amounts by random percentages that
// sum to 100: the credits always sum exactly to the amount.
func TestCreditsSumExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		n := r.IntN(6) + 1
		// n − 1 random cuts of 100.00 % in hundredths.
		cuts := []int64{0, 10000}
		for range n - 1 {
			cuts = append(cuts, r.Int64N(9999)+1)
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
		var splits []quota.Split
		for i := 1; i < len(cuts); i++ {
			splits = append(splits, quota.Split{Rep: sp.RepID(rune('a' + i)), Percent: decimal.New(cuts[i]-cuts[i-1], -2)})
		}
		amount := cents(r.Int64N(1e9) + 1)
		cs, err := quota.Credits(amount, splits)
		require.NoError(t, err)
		var ms []sp.Money
		var share decimal.Decimal
		for _, c := range cs {
			ms = append(ms, c.Amount)
			share = share.Add(c.Share)
		}
		sum, err := sp.Sum("EUR", slices.Values(ms))
		require.NoError(t, err)
		require.True(t, sum.Equal(amount), "%s split %v sums to %s", amount, splits, sum)
		require.True(t, share.Equal(decimal.New(1, 0)))
	}
}

// Split credit loses and gains nothing on the way up: over random won and
// open deals in currencies with 2, 0 and 3 minor units, half of them split
// between two reps, the reps' attained, pipeline and weighted amounts sum
// exactly to the company's.
func TestSplitCreditSumsToCompany(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	month := sp.Month(2026, time.November, nil)
	asOf := time.Date(2026, time.November, 15, 0, 0, 0, 0, time.UTC)
	reps := []sp.RepID{"a", "b", "c", "d"}
	for _, c := range []sp.Currency{"EUR", "JPY", "KWD"} {
		t.Run(string(c), func(t *testing.T) {
			var deals []pipeline.Deal
			splits := map[sp.DealID][]quota.Split{}
			for i := range 400 {
				amount, err := sp.NewMoneyFromMinor(1+r.Int64N(1e6), c)
				require.NoError(t, err)
				id := fmt.Sprintf("d%d", i)
				if r.IntN(2) == 0 {
					deals = append(deals, won(id, reps[r.IntN(4)], "north", amount, nov(1+r.IntN(28))))
				} else {
					p := decimal.New(r.Int64N(1000), -3).String()
					deals = append(deals, open(id, reps[r.IntN(4)], "north", amount, p, nov(1+r.IntN(28))))
				}
				if r.IntN(2) == 0 {
					share := decimal.New(1+r.Int64N(9999), -2)
					splits[sp.DealID(id)] = []quota.Split{
						{Rep: reps[r.IntN(2)], Percent: share},
						{Rep: reps[2+r.IntN(2)], Percent: decimal.New(100, 0).Sub(share)},
					}
				}
			}
			target, err := sp.NewMoneyFromMinor(1e8, c)
			require.NoError(t, err)
			var goals []quota.Goal
			for _, rep := range reps {
				goals = append(goals, quota.Goal{Rep: rep, Period: month, Revenue: target})
			}
			goals = append(goals, quota.Goal{Period: month, Revenue: target})
			opts := &quota.Options{Splits: func(d *pipeline.Deal) []quota.Split { return splits[d.ID] }}

			at, err := quota.Attain(goals, quota.Refs(deals), asOf, opts)
			require.NoError(t, err)
			out, err := quota.Forecast(goals, quota.Refs(deals), asOf, opts)
			require.NoError(t, err)
			var attained, pipe, weighted decimal.Decimal
			for i := range reps {
				attained = attained.Add(at[i].Attained.Money.Amount())
				pipe = pipe.Add(out[i].Pipeline.Money.Amount())
				weighted = weighted.Add(out[i].Weighted.Money.Amount())
			}
			company := len(reps)
			assert.True(t, attained.Equal(at[company].Attained.Money.Amount()), "attained %s, company %s", attained, at[company].Attained)
			assert.True(t, pipe.Equal(out[company].Pipeline.Money.Amount()), "pipeline %s, company %s", pipe, out[company].Pipeline)
			assert.True(t, weighted.Equal(out[company].Weighted.Money.Amount()), "weighted %s, company %s", weighted, out[company].Weighted)
		})
	}
}

// TestCreditsManyReps checks a split among a hundred thousand reps, the
// last one repeating the first: comparing every pair of reps took
// twenty seconds.
func TestCreditsManyReps(t *testing.T) {
	const n = 100_000
	splits := make([]quota.Split, n)
	for i := range splits {
		splits[i] = quota.Split{Rep: sp.RepID(fmt.Sprintf("rep-%d", i)), Percent: decimal.New(1, -3)}
	}
	cs, err := quota.Credits(money(t, "1000.00 EUR"), splits)
	require.NoError(t, err)
	require.Len(t, cs, n)
	assert.Equal(t, "0.01 EUR", cs[0].Amount.String())

	splits[n-1].Rep = splits[0].Rep
	_, err = quota.Credits(money(t, "1000.00 EUR"), splits)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorContains(t, err, `splits[99999].rep: "rep-0" also has splits[0]`)
}

// A won-deal goal's forecast counts each split deal by its share. The
// finest percentages Credits takes, 38 places, give shares of 40 places,
// too fine for its chances: an error that names the goal. At 39 places,
// which Credits now refuses, Forecast failed naming the amount of a deal
// that had none.
func TestFineSplitsForecast(t *testing.T) {
	n := newNovember(t)
	forecast := func(places int) ([]quota.Outlook, error) {
		splits := []quota.Split{
			{Rep: "r1", Percent: dec(t, "99."+strings.Repeat("9", places))},
			{Rep: "r2", Percent: dec(t, "0."+strings.Repeat("0", places-1)+"1")},
		}
		opts := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split { return splits }}
		deal := open("o1", "r1", "north", sp.Money{}, "0.5", n.month.Start().AddDate(0, 0, 20))
		goals := []quota.Goal{{Rep: "r1", Period: n.month, Deals: 2}, {Rep: "r2", Period: n.month, Deals: 1}}
		return quota.Forecast(goals, quota.Refs([]pipeline.Deal{deal}), n.asOf(), opts)
	}
	out, err := forecast(8)
	require.NoError(t, err)
	require.Len(t, out, 2)
	assert.Equal(t, "0."+strings.Repeat("9", 10), out[0].Pipeline.Deals.String())
	assert.Equal(t, "0."+strings.Repeat("0", 9)+"1", out[1].Pipeline.Deals.String())

	_, err = forecast(38)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorContains(t, err, "goals[0]")
	assert.NotContains(t, err.Error(), "deal.amount", "the deal has none")

	_, err = forecast(39)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorContains(t, err, "splits[0].percent")
}
