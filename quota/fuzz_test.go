package quota_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// fuzzBytes reads small numbers from fuzz input, zero once it runs out.
type fuzzBytes []byte

func (b *fuzzBytes) next() int64 {
	if len(*b) == 0 {
		return 0
	}
	x := int64((*b)[0])
	*b = (*b)[1:]
	return x
}

// wrapsSentinel reports whether err wraps one of the root sentinels.
func wrapsSentinel(err error) bool {
	return errors.Is(err, sp.ErrInvalid) || errors.Is(err, sp.ErrCurrencyMismatch)
}

// FuzzReach checks Reach on arbitrary small pipelines: no panic, a value
// within [0, 1], a bound that holds against enumeration, and errors that
// wrap the sentinels.
func FuzzReach(f *testing.F) {
	f.Add([]byte{10, 50, 3, 200, 9, 100, 7, 0, 255, 255})
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{255, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := fuzzBytes(data)
		goal := cents(b.next()*b.next() + b.next() - 50)
		booked := cents(b.next() - 20)
		var ps []quota.Prospect
		for len(b) > 0 && len(ps) < 14 {
			amount := b.next()*b.next() - 5
			prob := decimal.New(b.next()-10, -2)
			ps = append(ps, quota.Prospect{Amount: cents(amount), Probability: prob})
		}
		c, err := quota.Reach(goal, booked, slices.Values(ps))
		if err != nil {
			require.True(t, wrapsSentinel(err), "%v", err)
			return
		}
		require.True(t, c.Value >= 0 && c.Value <= 1, "%v", c.Value)
		require.True(t, c.ErrorBound >= 0 && c.ErrorBound <= 1)
		require.True(t, c.Shortfall.Money.Sign() >= 0, "%s", c.Shortfall)
		want, _ := bruteForce(goal, booked, ps)
		require.InDelta(t, want, c.Value, c.ErrorBound+1e-12)

		// The simulation agrees within Hoeffding's bound at a failure
		// probability of 1e-12 (√(ln(2e12)/2n)), and is deterministic.
		const draws = 4096
		sim, err := quota.Simulate(goal, booked, slices.Values(ps), draws, uint64(len(data)))
		require.NoError(t, err, "Simulate refuses what Reach takes")
		require.True(t, sim.Value >= 0 && sim.Value <= 1 && sim.StdErr >= 0, "%+v", sim)
		require.InDelta(t, want, sim.Value, math.Sqrt(math.Log(2e12)/(2*draws))+1e-12)
		again, err := quota.Simulate(goal, booked, slices.Values(ps), draws, uint64(len(data)))
		require.NoError(t, err)
		require.Equal(t, sim, again, "the same seed gives the same simulation")
	})
}

// FuzzCredits checks that split credit either fails with ErrInvalid or
// sums exactly to the amount.
func FuzzCredits(f *testing.F) {
	f.Add(int64(100000), []byte{50, 50})
	f.Add(int64(1), []byte{33, 33, 34})
	f.Add(int64(-7), []byte{100})
	f.Fuzz(func(t *testing.T, amount int64, percents []byte) {
		var splits []quota.Split
		for i, p := range percents {
			splits = append(splits, quota.Split{Rep: sp.RepID(rune('a' + i%26)), Percent: decimal.New(int64(p), 0)})
		}
		cs, err := quota.Credits(cents(amount), splits)
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			return
		}
		var ms []sp.Money
		for _, c := range cs {
			ms = append(ms, c.Amount)
		}
		sum, err := sp.Sum("EUR", slices.Values(ms))
		require.NoError(t, err)
		require.True(t, sum.Equal(cents(amount)))
	})
}

// FuzzCalculators feeds arbitrary deals and inquiries to every calculator:
// none panics, errors wrap the sentinels, and the invariants hold: rates
// are within their counts, attainment adds up over reps to the company's.
func FuzzCalculators(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{0, 0, 0, 0, 255, 255, 255, 255, 128, 128, 128, 128})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := fuzzBytes(data)
		month := sp.Month(2026, time.November, nil)
		base := month.Start().Add(-5 * 24 * time.Hour)
		when := func() time.Time {
			x := b.next()
			if x == 0 {
				return time.Time{}
			}
			return base.Add(time.Duration(x) * 3 * time.Hour)
		}
		stages := []pipeline.DealStage{pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal,
			pipeline.DealNegotiation, pipeline.DealWon, pipeline.DealLost, "other"}
		reps := []sp.RepID{"a", "b", "c"}
		var deals []pipeline.Deal
		var inquiries []pipeline.Inquiry
		for i := 0; len(b) > 0 && i < 40; i++ {
			d := pipeline.Deal{
				ID:          sp.DealID(rune('A' + i)),
				Owner:       reps[b.next()%3],
				Region:      sp.RegionID(reps[b.next()%3]),
				Product:     sp.ProductID(reps[b.next()%3]),
				Stage:       stages[b.next()%int64(len(stages))],
				Amount:      cents(b.next()*100 - 1000),
				Probability: decimal.New(b.next()-20, -2),
				Created:     when(),
				Closed:      when(),
			}
			d.ExpectedClose = d.Created.Add(10 * 24 * time.Hour)
			if b.next()%2 == 0 {
				d.Inquiry = sp.InquiryID(rune('a' + i))
			}
			d.History = []pipeline.Transition[pipeline.DealStage]{{To: stages[b.next()%int64(len(stages))]}, {To: d.Stage}}
			deals = append(deals, d)
			inquiries = append(inquiries, pipeline.Inquiry{ID: sp.InquiryID(rune('a' + i)), Owner: d.Owner, Received: when()})
		}
		asOf := base.Add(time.Duration(b.next()) * 5 * time.Hour)
		goals := []quota.Goal{
			{Rep: "a", Period: month, Revenue: cents(100000)},
			{Rep: "b", Period: month, Revenue: cents(100000)},
			{Rep: "c", Period: month, Revenue: cents(100000)},
			{Period: month, Revenue: cents(300000)},
			{Region: "a", Period: month, Deals: 3},
		}
		opts := &quota.Options{Calendar: quota.Weekdays()}
		check := func(err error) bool {
			if err != nil {
				require.True(t, wrapsSentinel(err), "%v", err)
				return false
			}
			return true
		}
		if got, err := quota.Attain(goals, quota.Refs(deals), asOf, opts); check(err) {
			sum := cents(0)
			for _, a := range got[:3] {
				sum, err = sum.Add(a.Attained.Money)
				require.NoError(t, err)
				require.GreaterOrEqual(t, a.WinRate.Den, a.WinRate.Num)
			}
			require.True(t, sum.Equal(got[3].Attained.Money), "reps %s, company %s", sum, got[3].Attained)
		}
		if got, err := quota.Forecast(goals, quota.Refs(deals), asOf, opts); check(err) {
			for _, o := range got {
				require.True(t, o.Chance.Value >= 0 && o.Chance.Value <= 1 && !math.IsNaN(o.Chance.ErrorBound))
			}
		}
		for _, by := range []quota.Grouping{{}, {Rep: true}, {Rep: true, Month: true}} {
			if rep, err := quota.WinRates(quota.Refs(deals), month, by, opts); check(err) {
				var won, lost int64
				for _, g := range rep.Groups {
					require.LessOrEqual(t, g.WinRate.Rate.Num, g.WinRate.Rate.Den)
					require.Equal(t, g.Won+g.Lost, g.WinRate.Rate.Den)
					won, lost = won+g.Won, lost+g.Lost
				}
				require.Equal(t, rep.Total.Won, won, "groups add up to the total")
				require.Equal(t, rep.Total.Lost, lost)
				require.True(t, rep.Prior.Mean >= 0 && rep.Prior.Mean <= 1)
			}
			if rep, err := quota.CohortConversion(quota.Refs(inquiries), quota.Refs(deals), month, asOf, by, opts); check(err) {
				require.LessOrEqual(t, rep.Total.Won, rep.Total.Inquiries)
				var n int64
				for _, g := range rep.Groups {
					require.LessOrEqual(t, g.Won, g.Inquiries)
					if w := g.Conversion.Wilson; w != nil {
						require.True(t, w.Lower.Sign() >= 0 && w.Upper.LessThanOrEqual(decimal.New(1, 0)))
					}
					n += g.Inquiries
				}
				require.Equal(t, rep.Total.Inquiries, n)
			}
			if rep, err := quota.PeriodConversion(quota.Refs(inquiries), quota.Refs(deals), month, by, opts); check(err) {
				var n, w int64
				for _, g := range rep.Groups {
					n, w = n+g.Inquiries, w+g.Won
				}
				require.Equal(t, rep.Total.Inquiries, n)
				require.Equal(t, rep.Total.Won, w)
			}
			if rep, err := quota.Funnel(quota.Refs(deals), month, by, opts); check(err) {
				for i, st := range rep.Total.Steps {
					require.Equal(t, st.Reached, st.Advanced+st.Dropped+st.Pending)
					require.GreaterOrEqual(t, st.Advanced, int64(0))
					if i > 0 {
						require.LessOrEqual(t, st.Reached, rep.Total.Steps[i-1].Reached, "a later stage is reached by no more deals")
					}
				}
				require.LessOrEqual(t, rep.Total.Steps[0].Reached, rep.Total.Deals)
			}
			_, err := quota.SalesCycle(quota.Refs(deals), month, by, opts)
			check(err)
			_, err = quota.TimeToConvert(quota.Refs(inquiries), quota.Refs(deals), month, asOf, by, opts)
			check(err)
			_, err = quota.FirstResponse(quota.Refs(inquiries), month, asOf, by, opts)
			check(err)
			_, err = quota.Velocity(quota.Refs(deals), month, by, opts)
			check(err)
			if rep, err := quota.WeightedPipeline(quota.Refs(deals), month, by, opts); check(err) && !rep.Total.Amount.IsUnset() {
				c, err := rep.Total.Weighted.Cmp(rep.Total.Amount)
				require.NoError(t, err)
				require.LessOrEqual(t, c, 0, "weighted %s above the amount %s", rep.Total.Weighted, rep.Total.Amount)
			}
		}
	})
}
