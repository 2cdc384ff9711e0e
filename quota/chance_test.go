package quota_test

import (
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// TestReachBruteForce compares Reach with the enumeration of all 2ⁿ
// outcomes for n ≤ 20, at goals across the range of possible totals.
func TestReachBruteForce(t *testing.T) {
	for n := 1; n <= 20; n++ {
		for _, frac := range []float64{0.1, 0.35, 0.5, 0.8, 0.97} {
			ps := randomProspects(uint64(100*n)+uint64(frac*100), n, 5_000_000, 1)
			var total int64
			for _, p := range ps {
				total += p.Amount.Amount().Shift(2).IntPart()
			}
			booked := cents(1234)
			goal := cents(int64(float64(total)*frac) + 1234)
			c, err := quota.Reach(goal, booked, slices.Values(ps))
			require.NoError(t, err)
			want, short := bruteForce(goal, booked, ps)
			require.Equal(t, quota.MethodEnumeration, c.Method, "n=%d", n)
			require.InDelta(t, want, c.Value, 1e-12, "n=%d goal=%s", n, goal)
			require.LessOrEqual(t, c.ErrorBound, 1e-12)
			require.LessOrEqual(t, math.Abs(c.Value-want), c.ErrorBound+1e-15)
			gotShort := c.Shortfall.Money.Amount().Shift(2).InexactFloat64()
			require.InDelta(t, short, gotShort, 0.5+c.ShortfallBound.Money.Amount().Shift(2).InexactFloat64(), "n=%d", n)
			require.Equal(t, n, c.Deals)
		}
	}
}

func TestReachCertain(t *testing.T) {
	p := func(amount string, prob string) quota.Prospect {
		return quota.Prospect{Amount: money(t, amount), Probability: dec(t, prob)}
	}
	tests := []struct {
		name      string
		goal      string
		booked    string
		prospects []quota.Prospect
		value     float64
		method    quota.Method
		shortfall string
	}{
		{name: "booked", goal: "100.00 EUR", booked: "100.00 EUR", value: 1, method: quota.MethodCertain, shortfall: "0.00 EUR"},
		{name: "nothing_open", goal: "100.00 EUR", booked: "40.00 EUR", value: 0, method: quota.MethodCertain, shortfall: "60.00 EUR"},
		{name: "unset_booked", goal: "100.00 EUR", prospects: []quota.Prospect{p("100.00 EUR", "1")}, value: 1, method: quota.MethodCertain, shortfall: "0.00 EUR"},
		{name: "sure_deals", goal: "100.00 EUR", booked: "40.00 EUR",
			prospects: []quota.Prospect{p("30.00 EUR", "1"), p("30.00 EUR", "1"), p("500.00 EUR", "0")}, value: 1, method: quota.MethodCertain, shortfall: "0.00 EUR"},
		{name: "out_of_reach", goal: "100.00 EUR", booked: "40.00 EUR",
			prospects: []quota.Prospect{p("30.00 EUR", "0.5"), p("20.00 EUR", "0.25"), p("0.00 EUR", "0.9")}, value: 0, method: quota.MethodCertain,
			shortfall: "40.00 EUR"}, // 60 − (15 + 5)
		{name: "out_of_reach_below_a_cent", goal: "100.00 EUR", booked: "40.00 EUR",
			prospects: []quota.Prospect{p("30.00 EUR", "0.3333")}, value: 0, method: quota.MethodCertain,
			shortfall: "50.00 EUR"}, // 60 − 9.999, rounded; the bound, zero, leaves the rounding out
		{name: "one_deal", goal: "100.00 EUR", booked: "40.00 EUR", prospects: []quota.Prospect{p("60.00 EUR", "0.3")}, value: 0.3,
			method: quota.MethodEnumeration, shortfall: "42.00 EUR"},
		{name: "yen", goal: "1000 JPY", booked: "0 JPY", prospects: []quota.Prospect{p("600 JPY", "0.5"), p("500 JPY", "0.5")}, value: 0.25,
			method: quota.MethodEnumeration, shortfall: "475 JPY"}, // ¼·1000 + ¼·400 + ¼·500
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var booked sp.Money
			if tt.booked != "" {
				booked = money(t, tt.booked)
			}
			c, err := quota.Reach(money(t, tt.goal), booked, slices.Values(tt.prospects))
			require.NoError(t, err)
			assert.InDelta(t, tt.value, c.Value, 1e-15)
			assert.Equal(t, tt.method, c.Method)
			assert.Equal(t, tt.shortfall, c.Shortfall.String())
			if tt.method == quota.MethodCertain {
				assert.True(t, c.ShortfallBound.Money.IsZero(), "certain: exact but for the rounding")
				assert.Zero(t, c.Deals, "certain weighs no outcomes, even out of reach")
			} else {
				assert.Equal(t, len(tt.prospects), c.Deals)
			}
			roundTrip(t, c)
		})
	}
}

// Deals with amount 0 or probability 0 are ignored: Deals counts only
// those whose outcomes were weighed, and the chance is as without them.
func TestReachIgnoresZeroAmountsAndProbabilities(t *testing.T) {
	prospects := []quota.Prospect{
		{Amount: money(t, "60.00 EUR"), Probability: dec(t, "0.3")},
		{Amount: money(t, "0.00 EUR"), Probability: dec(t, "0.9")},
		{Amount: money(t, "500.00 EUR"), Probability: dec(t, "0")},
	}
	c, err := quota.Reach(money(t, "100.00 EUR"), money(t, "40.00 EUR"), slices.Values(prospects))
	require.NoError(t, err)
	assert.Equal(t, 1, c.Deals)
	assert.InDelta(t, 0.3, c.Value, 1e-15)
	assert.Equal(t, quota.MethodEnumeration, c.Method)
	assert.Equal(t, "42.00 EUR", c.Shortfall.String())
}

func TestReachErrors(t *testing.T) {
	ok := quota.Prospect{Amount: cents(100), Probability: dec(t, "0.5")}
	tests := []struct {
		name      string
		goal      sp.Money
		booked    sp.Money
		prospects []quota.Prospect
		is        error
	}{
		{name: "err_goal", goal: sp.Money{}, is: sp.ErrInvalid},
		{name: "err_booked_currency", goal: cents(100), booked: money(t, "1.00 USD"), is: sp.ErrCurrencyMismatch},
		{name: "err_booked_digits", goal: cents(100), booked: cents(1).Mul(decimal.New(1, -100)), is: sp.ErrInvalid},
		{name: "err_prospect_currency", goal: cents(100), prospects: []quota.Prospect{ok, {Amount: money(t, "1.00 USD"), Probability: dec(t, "0.5")}}, is: sp.ErrCurrencyMismatch},
		{name: "err_prospect_amount", goal: cents(100), prospects: []quota.Prospect{{Probability: dec(t, "0.5")}}, is: sp.ErrInvalid},
		{name: "err_negative", goal: cents(100), prospects: []quota.Prospect{{Amount: cents(-1), Probability: dec(t, "0.5")}}, is: sp.ErrInvalid},
		{name: "err_probability", goal: cents(100), prospects: []quota.Prospect{{Amount: cents(1), Probability: dec(t, "1.01")}}, is: sp.ErrInvalid},
		{name: "err_negative_probability", goal: cents(100), prospects: []quota.Prospect{{Amount: cents(1), Probability: dec(t, "-0.1")}}, is: sp.ErrInvalid},
		{name: "err_places", goal: cents(100), prospects: []quota.Prospect{{Amount: cents(1), Probability: decimal.New(1, -41)}}, is: sp.ErrInvalid},
		{name: "err_too_large", goal: money(t, "99999999999999999999.00 EUR"), prospects: []quota.Prospect{
			{Amount: money(t, "99999999999999999999.00 EUR"), Probability: dec(t, "0.5")}}, is: sp.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := quota.Reach(tt.goal, tt.booked, slices.Values(tt.prospects))
			require.ErrorIs(t, err, tt.is)
			assert.Contains(t, err.Error(), "quota: reach: ")
			_, err = quota.Simulate(tt.goal, tt.booked, slices.Values(tt.prospects), 10, 1)
			require.ErrorIs(t, err, tt.is)
		})
	}
}

// TestReachLattice checks pipelines too large to enumerate whose amounts
// share a divisor (whole thousands): the dynamic program is exact, so the
// simulation agrees within its standard errors.
func TestReachLattice(t *testing.T) {
	for _, n := range []int{40, 300, 3000} {
		ps := randomProspects(uint64(n), n, 5_000_000, 100_000)
		goal := nearMean(ps, 0.3)
		c, err := quota.Reach(goal, cents(0), slices.Values(ps))
		require.NoError(t, err)
		require.Equal(t, quota.MethodLattice, c.Method, "n=%d", n)
		require.Less(t, c.ErrorBound, 1e-9)
		sim, err := quota.Simulate(goal, cents(0), slices.Values(ps), 20000, 7)
		require.NoError(t, err)
		require.InDelta(t, c.Value, sim.Value, 4*sim.StdErr+c.ErrorBound, "n=%d", n)
	}
}

// TestReachEdgeworth checks a large pipeline of amounts in cents: the
// Edgeworth bound is below 1e-3 and a short simulation agrees. The full
// check against a million draws is in chance_heavy_test.go.
func TestReachEdgeworth(t *testing.T) {
	ps := randomProspects(10000, 10000, 10_000_000, 1)
	goal := nearMean(ps, 0.1)
	c, err := quota.Reach(goal, cents(0), slices.Values(ps))
	require.NoError(t, err)
	require.Equal(t, quota.MethodEdgeworth, c.Method)
	require.LessOrEqual(t, c.ErrorBound, 1e-3)
	assert.Equal(t, 10000, c.Deals)
	sim, err := quota.Simulate(goal, cents(0), slices.Values(ps[:10000]), 2000, 1)
	require.NoError(t, err)
	require.InDelta(t, c.Value, sim.Value, 4*sim.StdErr+c.ErrorBound)
	// The simulated mean shortfall agrees with the computed one.
	se := c.ShortfallBound.Money.Amount().InexactFloat64() + 0.05*c.Shortfall.Money.Amount().InexactFloat64()
	assert.InDelta(t, c.Shortfall.Money.Amount().InexactFloat64(), sim.Shortfall.Money.Amount().InexactFloat64(), se)
}

// A goal of a tenth of what 200 deals, each won one time in two, are
// expected to bring in, in amounts with cents, so that no exact lattice
// fits: the chance is 1 but for some 10⁻²⁰, and the expansion's bound, the
// same at every goal, 0.0024, is narrowed there by Bernstein's inequality,
// as the package documentation says. Far above the expected total, the
// chance is as near 0.
func TestReachFarInATail(t *testing.T) {
	ps := make([]quota.Prospect, 200)
	var total int64
	for i := range ps {
		amount := int64(100_000 + (i*791_900)%900_000) // 1,000.00 to 9,999.99
		if i == 0 {
			amount += 20
		}
		total += amount
		ps[i] = quota.Prospect{Amount: cents(amount), Probability: dec(t, "0.5")}
	}
	c, err := quota.Reach(cents(total/20), cents(0), slices.Values(ps))
	require.NoError(t, err)
	assert.Equal(t, quota.MethodEdgeworth, c.Method)
	assert.Less(t, c.ErrorBound, 1e-15)
	assert.InDelta(t, 1, c.Value, c.ErrorBound)

	c, err = quota.Reach(cents(total*9/10), cents(0), slices.Values(ps))
	require.NoError(t, err)
	assert.Less(t, c.ErrorBound, 1e-12)
	assert.InDelta(t, 0, c.Value, c.ErrorBound)
}

// TestReachWhales checks a pipeline of five thousand deals of up to
// 1,000.00 and two of 20,000,000.00 won with 2 % and 3 %: the goal, the
// expected total, is out of reach of the small deals alone and within
// reach of either large one, so the chance is that of winning one,
// 1 − 0.98 × 0.97, and the bound is tight although the sum is far from
// normal.
func TestReachWhales(t *testing.T) {
	ps := randomProspects(5000, 5000, 100_000, 1)
	ps = append(ps,
		quota.Prospect{Amount: cents(2_000_000_000), Probability: dec(t, "0.02")},
		quota.Prospect{Amount: cents(2_000_000_000), Probability: dec(t, "0.03")})
	goal := nearMean(ps, 0)
	c, err := quota.Reach(goal, cents(0), slices.Values(ps))
	require.NoError(t, err)
	require.Equal(t, quota.MethodEdgeworth, c.Method)
	require.LessOrEqual(t, c.ErrorBound, 1e-3)
	assert.InDelta(t, 1-0.98*0.97, c.Value, c.ErrorBound)
	sim, err := quota.Simulate(goal, cents(0), slices.Values(ps), 20000, 3)
	require.NoError(t, err)
	require.InDelta(t, c.Value, sim.Value, 4*sim.StdErr+c.ErrorBound)
}

// nearMean returns a goal at the expected total of ps shifted by shift
// standard deviations.
func nearMean(ps []quota.Prospect, shift float64) sp.Money {
	var mean, v float64
	for _, p := range ps {
		a := float64(p.Amount.Amount().Shift(2).IntPart())
		q := p.Probability.InexactFloat64()
		mean += a * q
		v += a * a * q * (1 - q)
	}
	return cents(int64(mean + shift*math.Sqrt(v)))
}

func TestSimulate(t *testing.T) {
	ps := randomProspects(3, 14, 1_000_000, 1)
	goal := nearMean(ps, 0)
	want, _ := bruteForce(goal, cents(0), ps)
	a, err := quota.Simulate(goal, cents(0), slices.Values(ps), 40000, 42)
	require.NoError(t, err)
	assert.InDelta(t, want, a.Value, 4*a.StdErr)
	assert.Equal(t, 40000, a.Draws)
	assert.Equal(t, uint64(42), a.Seed)
	b, err := quota.Simulate(goal, cents(0), slices.Values(ps), 40000, 42)
	require.NoError(t, err)
	assert.Equal(t, a, b, "the same seed gives the same result")
	c, err := quota.Simulate(goal, cents(0), slices.Values(ps), 40000, 43)
	require.NoError(t, err)
	assert.NotEqual(t, a.Value, c.Value)
	roundTrip(t, a)

	t.Run("decided", func(t *testing.T) {
		s, err := quota.Simulate(cents(100), cents(100), slices.Values(ps), 10, 1)
		require.NoError(t, err)
		assert.Equal(t, 1.0, s.Value)
		s, err = quota.Simulate(money(t, "1000000000.00 EUR"), cents(0), slices.Values(ps), 10, 1)
		require.NoError(t, err)
		assert.Equal(t, 0.0, s.Value)
		assert.True(t, s.Shortfall.Money.Sign() > 0)
	})
	t.Run("extreme_probabilities", func(t *testing.T) {
		tiny := []quota.Prospect{
			{Amount: cents(100), Probability: decimal.New(1, -30)},
			{Amount: cents(100), Probability: dec(t, "0.999999999999")},
		}
		s, err := quota.Simulate(cents(100), cents(0), slices.Values(tiny), 1000, 1)
		require.NoError(t, err)
		assert.Equal(t, 1.0, s.Value)
	})
	t.Run("shortfall_of_a_need_between_multiples", func(t *testing.T) {
		// The amounts share a unit of a million; the need lies a cent
		// above one. The shortfall is ¼·1000000.01 + ½·0.01, not
		// measured from the need rounded up to two million.
		two := []quota.Prospect{
			{Amount: money(t, "1000000.00 EUR"), Probability: dec(t, "0.5")},
			{Amount: money(t, "1000000.00 EUR"), Probability: dec(t, "0.5")},
		}
		goal := money(t, "1000000.01 EUR")
		c, err := quota.Reach(goal, cents(0), slices.Values(two))
		require.NoError(t, err)
		require.Equal(t, "250000.01 EUR", c.Shortfall.String())
		s, err := quota.Simulate(goal, cents(0), slices.Values(two), 100000, 1)
		require.NoError(t, err)
		// The shortfall's standard deviation is about 433013 EUR: 1369 EUR
		// for 10⁵ draws.
		assert.InDelta(t, 250000.01, s.Shortfall.Money.Amount().InexactFloat64(), 4*1370)
	})
	t.Run("err_draws", func(t *testing.T) {
		_, err := quota.Simulate(goal, cents(0), slices.Values(ps), 0, 1)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

// TestReachProbabilitiesNearOne checks a pipeline too large to enumerate
// whose probabilities are all within 2⁻⁵⁴ of 1, so that float64 holds
// each as 1: the won amount has no spread in float64, and winning every
// deal reaches the goal, so the chance is 1 within the rounding bound and
// the shortfall 0.
func TestReachProbabilitiesNearOne(t *testing.T) {
	var ps []quota.Prospect
	for i := range 40 {
		ps = append(ps, quota.Prospect{Amount: cents(100_000_007 + 13*int64(i)), Probability: dec(t, "0.99999999999999999999")})
	}
	c, err := quota.Reach(cents(3_000_000_000), cents(0), slices.Values(ps))
	require.NoError(t, err)
	assert.Equal(t, 40, c.Deals)
	assert.LessOrEqual(t, c.ErrorBound, 1e-12)
	assert.InDelta(t, 1, c.Value, c.ErrorBound)
	assert.Equal(t, "0.00 EUR", c.Shortfall.Money.String())
	assert.Equal(t, "0.01 EUR", c.ShortfallBound.Money.String())
}

// TestReachOneLargeDeal checks a pipeline of one deal of 10,000.00 and two
// hundred of 10.00, each won with probability one half: the won amount is
// at most 12,000.00, 1,200 steps of 10.00, so the lattice computes it
// exactly, although the window around the mean that the large deal's step
// calls for is far wider. The chance is ½·P(B ≥ 87) + ½·P(B ≥ 1087) for
// B ~ Binomial(200, ½).
func TestReachOneLargeDeal(t *testing.T) {
	ps := []quota.Prospect{{Amount: cents(1_000_000), Probability: dec(t, "0.5")}}
	for range 200 {
		ps = append(ps, quota.Prospect{Amount: cents(1000), Probability: dec(t, "0.5")})
	}
	c, err := quota.Reach(cents(1_087_000), cents(0), slices.Values(ps))
	require.NoError(t, err)
	// P(B ≥ 87) by the terms of the binomial, in logarithms.
	var tail float64
	for k := 87; k <= 200; k++ {
		lk, _ := math.Lgamma(float64(k + 1))
		lr, _ := math.Lgamma(float64(200 - k + 1))
		ln, _ := math.Lgamma(201)
		tail += math.Exp(ln - lk - lr - 200*math.Ln2)
	}
	assert.Equal(t, quota.MethodLattice, c.Method)
	assert.Less(t, c.ErrorBound, 1e-12)
	assert.InDelta(t, tail/2, c.Value, 1e-12)
}

// TestReachLargeDealAmongCents checks a deal of 1,000,000,000.00 among
// forty deals of a cent, each won with probability one half, and a goal a
// quarter of a euro above the large deal: the lattice of all the amounts
// is far too wide and the small deals vanish on any coarser grid, so the
// chance came out as 0.25 within 0.25. With the large deal's outcomes
// enumerated and the lattice of the others, it is exactly
// ½·P(B ≥ 25) for B ~ Binomial(40, ½).
func TestReachLargeDealAmongCents(t *testing.T) {
	ps := []quota.Prospect{{Amount: cents(100_000_000_000), Probability: dec(t, "0.5")}}
	for range 40 {
		ps = append(ps, quota.Prospect{Amount: cents(1), Probability: dec(t, "0.5")})
	}
	c, err := quota.Reach(cents(100_000_000_025), cents(0), slices.Values(ps))
	require.NoError(t, err)
	tail := new(big.Int)
	for k := int64(25); k <= 40; k++ {
		tail.Add(tail, new(big.Int).Binomial(40, k))
	}
	want, _ := new(big.Rat).SetFrac(tail, new(big.Int).Lsh(big.NewInt(1), 41)).Float64()
	assert.Equal(t, quota.MethodLattice, c.Method)
	assert.Less(t, c.ErrorBound, 1e-12)
	assert.InDelta(t, want, c.Value, c.ErrorBound)
}

// TestReachLargeDealAmongManySmall checks that the window of the deals
// left after setting the large one aside is sized by the largest of them,
// not by the large deal: a deal of a billion euros among a thousand deals
// of up to fifty cents, and a goal a cent above the large deal, which is
// its chance of one half, less 2⁻¹⁰⁰¹, by the lattice.
func TestReachLargeDealAmongManySmall(t *testing.T) {
	ps := []quota.Prospect{{Amount: cents(100_000_000_000), Probability: dec(t, "0.5")}}
	for i := range int64(1000) {
		ps = append(ps, quota.Prospect{Amount: cents(1 + i%50), Probability: dec(t, "0.5")})
	}
	c, err := quota.Reach(cents(100_000_000_001), cents(0), slices.Values(ps))
	require.NoError(t, err)
	assert.Equal(t, quota.MethodLattice, c.Method)
	assert.Less(t, c.ErrorBound, 1e-12)
	assert.InDelta(t, 0.5, c.Value, c.ErrorBound)
}

// TestReachLargeDealAmongFewMedium checks that the window of the deals left
// after setting the large one aside is never wider than all of them
// together: four deals of 100.00 call for a window of millions of cents
// around the running mean, but those deals and forty of a cent add up to
// 400.40. The goal a cent above the large deal is its chance of one half,
// less 2⁻⁴⁵, by the lattice.
func TestReachLargeDealAmongFewMedium(t *testing.T) {
	ps := []quota.Prospect{{Amount: cents(100_000_000_000), Probability: dec(t, "0.5")}}
	for range 4 {
		ps = append(ps, quota.Prospect{Amount: cents(10_000), Probability: dec(t, "0.5")})
	}
	for range 40 {
		ps = append(ps, quota.Prospect{Amount: cents(1), Probability: dec(t, "0.5")})
	}
	c, err := quota.Reach(cents(100_000_000_001), cents(0), slices.Values(ps))
	require.NoError(t, err)
	assert.Equal(t, quota.MethodLattice, c.Method)
	assert.Less(t, c.ErrorBound, 1e-12)
	assert.InDelta(t, 0.5, c.Value, c.ErrorBound)
}
