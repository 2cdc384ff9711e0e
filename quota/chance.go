package quota

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"math/big"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

// Prospect is an open deal as a forecast sees it: the amount it brings if
// won and its probability of being won, from 0 to 1. The zero Prospect has
// no currency: [Reach] and [Simulate] refuse it.
type Prospect struct {
	Amount      sp.Money        `json:"amount"`
	Probability decimal.Decimal `json:"probability"`
}

// Method names how [Reach] computed a probability. Its text form is its
// name. The zero Method is unset: it encodes as empty text and back, and
// Validate refuses it.
type Method string

// The methods of [Reach], tried in this order; see the package
// documentation for their error bounds.
const (
	// MethodCertain: what is booked, or what the open deals can add at most,
	// decides the outcome. The value is 0 or 1, exactly.
	MethodCertain Method = "certain"
	// MethodEnumeration: every outcome of the open deals, by meeting in the
	// middle (all sums of each half, sorted and matched). Exact but for
	// float64 rounding.
	MethodEnumeration Method = "enumeration"
	// MethodLattice: the distribution of the won amount by dynamic
	// programming over the multiples of the amounts' greatest common
	// divisor, within a window around its running mean, for each outcome of
	// the largest few deals when they are set aside; or, for a need small
	// beside the pipeline, over the partial sums below the need of the
	// deals smaller than it, any larger deal reaching it alone. Exact but
	// for rounding and the mass that leaves the window, which is tracked.
	MethodLattice Method = "lattice"
	// MethodEdgeworth: the normal approximation with a skewness term, its
	// error bounded by Esseen's smoothing inequality with the characteristic
	// function evaluated exactly, or, far in a tail, by Bernstein's
	// inequality where that is the narrower. When a few deals dwarf the
	// others, every outcome of those few is enumerated and the approximation
	// applied to the others.
	MethodEdgeworth Method = "edgeworth"
	// MethodGrid: the dynamic program of MethodLattice over a coarser grid,
	// amounts rounded to it, when that beats the Edgeworth bound; the
	// rounding is bracketed exactly, so the bound holds.
	MethodGrid Method = "grid"
)

// Chance is the probability of reaching a goal from what is booked plus
// the open deals, each won independently with its own probability, and the
// expected shortfall.
//
// Value is a probability computed in float64; the true probability lies
// within ErrorBound of it (|P − Value| ≤ ErrorBound), a bound that accounts
// for the method's approximation and for rounding. Shortfall is the
// expected amount by which the goal is missed, E[max(0, goal − booked −
// won)], rounded half-up (to the currency's minor unit, or two places for
// deal counts); the true value lies within ShortfallBound of it, besides
// that rounding (half a minor unit, or 0.005 deals): ShortfallBound is the
// method's error, rounded up, and zero for [MethodCertain], whose shortfall
// is exact before it is rounded. The zero Chance, of no method, is what
// Reach returns with an error.
type Chance struct {
	Value      float64 `json:"value"`
	ErrorBound float64 `json:"error_bound"`
	Method     Method  `json:"method"`
	// Deals is the number of open deals whose outcomes the method
	// weighed: those with a positive amount and a probability strictly
	// between 0 and 1. It is 0 for [MethodCertain], which weighs no outcomes,
	// even when such deals decided it by falling short of the goal all
	// won together.
	Deals          int    `json:"deals"`
	Shortfall      Amount `json:"shortfall"`
	ShortfallBound Amount `json:"shortfall_bound"`
}

// Reach returns the chance that booked plus the amounts of the open deals
// that are won reaches goal, each deal won independently with its
// probability: P(booked + Σ Xᵢaᵢ ≥ goal), Xᵢ ~ Bernoulli(pᵢ).
//
// The method is chosen per input, the first of these that applies within
// its budget (a few milliseconds for a thousand or ten thousand deals):
// [MethodCertain]; [MethodEnumeration] for up to 32 deals; [MethodLattice]
// when the amounts share a divisor that makes the window of likely won
// amounts (±8.4σ, wider where one amount is large beside σ, and never wider
// than all the amounts together) at most about twenty thousand steps per
// deal wide (and 2²¹ in all), or when the partial sums below the need of
// the deals smaller than it fit that budget (any larger deal reaches the
// need alone), or when the window fits it for all but the largest few (up
// to 4), for each outcome of those few; otherwise [MethodEdgeworth]
// (conditioned on the outcomes of up to 12 deals that dwarf the others,
// when there are such), or [MethodGrid] when its bracket is the tighter.
// See the package documentation for the bounds. Large computations use the
// available CPUs; the result does not depend on their number.
//
// Deals with probability 0 or amount 0 are ignored, deals with probability
// 1 count as booked. A goal, booked amount or deal amount in another
// currency than goal's is an error wrapping [sp.ErrCurrencyMismatch];
// an invalid goal or booked amount (the zero Money books nothing), a
// negative amount, a probability outside 0 to 1, or amounts so large that
// their sum in the finest unit exceeds 2⁶² is an error wrapping
// [sp.ErrInvalid].
func Reach(goal, booked sp.Money, open iter.Seq[Prospect]) (Chance, error) {
	b, err := moneyBets(goal, booked, open)
	if err != nil {
		return Chance{}, quotaErr("reach", err)
	}
	c, err := b.chance()
	if err != nil {
		return Chance{}, quotaErr("reach", err)
	}
	return c, nil
}

// moneyBets validates the inputs of [Reach] and [Simulate].
func moneyBets(goal, booked sp.Money, open iter.Seq[Prospect]) (*bets, error) {
	if err := goal.Validate(); err != nil {
		return nil, sp.InField("goal", err)
	}
	c := goal.Currency()
	need := goal.Amount()
	if !booked.IsUnset() {
		if booked.Currency() != c {
			return nil, fmt.Errorf("booked: %w", mismatch(c, booked.Currency()))
		}
		if err := booked.Validate(); err != nil {
			return nil, sp.InField("booked", err)
		}
		need = need.Sub(booked.Amount())
	}
	b := &bets{unit: Amount{Money: goal}}
	i := -1
	for pr := range orEmpty(open) {
		i++
		if err := pr.Amount.Validate(); err != nil {
			return nil, sp.InField(fmt.Sprintf("prospects[%d].amount", i), err)
		}
		if pr.Amount.Currency() != c {
			return nil, fmt.Errorf("prospects[%d].amount: %w", i, mismatch(c, pr.Amount.Currency()))
		}
		if err := b.add(pr.Amount.Amount(), pr.Probability); err != nil {
			return nil, sp.InField(fmt.Sprintf("prospects[%d]", i), err)
		}
	}
	b.need = need
	return b, nil
}

func mismatch(want, got sp.Currency) error {
	return fmt.Errorf("%q and %q: %w", want, got, sp.ErrCurrencyMismatch)
}

// bets are the inputs of a chance computation: the amount still needed
// and the open deals that may bring it.
type bets struct {
	need    decimal.Decimal
	amounts []decimal.Decimal
	probs   []decimal.Decimal
	// unit is an Amount of the metric and currency the results are in.
	unit Amount
}

// add adds a deal of amount a won with probability p, checking both; the
// error's field is relative to the deal.
func (b *bets) add(a, p decimal.Decimal) error {
	if err := checkScale("amount", a); err != nil {
		return err
	}
	if err := checkScale("probability", p); err != nil {
		return err
	}
	if err := notNegative(a); err != nil {
		return err
	}
	if !isProbability(p) {
		return sp.Invalid("probability", "%s outside 0 to 1", p)
	}
	b.amounts = append(b.amounts, a)
	b.probs = append(b.probs, p)
	return nil
}

// notNegative reports an error wrapping [sp.ErrInvalid], its field
// "amount", when a is negative.
func notNegative(a decimal.Decimal) error {
	if a.Sign() < 0 {
		return sp.Invalid("amount", "%s is negative", a)
	}
	return nil
}

// isProbability reports whether 0 ≤ p ≤ 1, p's exponent within the
// bounds of [checkScale].
func isProbability(p decimal.Decimal) bool {
	if sp.ValidateDecimal(p) != nil {
		return false
	}
	return p.Sign() >= 0 && (below1(p) || !p.GreaterThan(one))
}

// below1 reports whether |p| < 1 can be told from p's digits alone, as
// for the usual short fractions (0.25: fewer digits than places), without
// the allocations of a decimal comparison.
func below1(p decimal.Decimal) bool {
	e := p.Exponent()
	return e < 0 && p.NumDigits() <= -int(e)
}

// result converts a value in the unit of the amounts to an Amount of the
// results' metric, rounded half-up (up for a bound).
func (b *bets) result(x decimal.Decimal, up bool) Amount {
	places := int32(countPlaces)
	if b.unit.Metric() == MetricRevenue {
		places, _ = b.unit.Money.Currency().MinorUnits()
	}
	if up {
		x = x.RoundCeil(places)
	} else {
		x = x.Round(places)
	}
	return b.unit.withValue(x)
}

// roundingBound bounds the rounding error of a probability computed from
// terms operations of at most a few roundings each, every intermediate
// result a probability: about five units in the last place per term.
func roundingBound(terms int) float64 { return float64(5*terms+16) * 0x1p-53 }

// prepared are bets reduced to what decides them: deals with probability
// 1 booked, those with probability or amount 0 dropped, the rest in
// integer units. When the outcome is decided without them, decided is set
// with the value and the exact shortfall.
type prepared struct {
	decided bool
	value   float64
	short   decimal.Decimal
	u       []int64
	p       []float64
	needU   int64   // the need in units, rounded up: the threshold of S
	needF   float64 // the need in units, exactly as a float: for shortfalls
	unit    decimal.Decimal
}

func (b *bets) prepare() (prepared, error) {
	need := b.need
	var amounts []decimal.Decimal
	var probs []float64
	var kept []int // the indexes of the deals kept
	for i, a := range b.amounts {
		p := b.probs[i]
		switch {
		case p.Sign() == 0 || a.Sign() == 0:
			continue
		case !below1(p) && p.Equal(one):
			need = need.Sub(a)
			continue
		}
		amounts = append(amounts, a)
		probs = append(probs, probFloat(p))
		kept = append(kept, i)
	}
	switch {
	case need.Sign() <= 0:
		return prepared{decided: true, value: 1}, nil
	case len(amounts) == 0:
		return prepared{decided: true, short: need}, nil
	}
	u, needU, unit, err := toUnits(need, amounts)
	if err != nil {
		return prepared{}, err
	}
	var total int64
	for _, x := range u {
		total += x
	}
	if total < needU {
		// Even winning every deal falls short: the shortfall is the need
		// less the expected amount, exactly.
		short := need
		for _, i := range kept {
			short = short.Sub(b.amounts[i].Mul(b.probs[i]))
		}
		return prepared{decided: true, short: short}, nil
	}
	return prepared{u: u, p: probs, needU: needU, needF: need.DivRound(unit, divPlaces).InexactFloat64(), unit: unit}, nil
}

// chance computes the probability of reaching the need.
func (b *bets) chance() (Chance, error) {
	pr, err := b.prepare()
	if err != nil {
		return Chance{}, err
	}
	zero := b.result(decimal.Zero, false)
	if pr.decided {
		return Chance{Value: pr.value, Method: MethodCertain, Shortfall: b.result(pr.short, false), ShortfallBound: zero}, nil
	}
	var r estimate
	if len(pr.u) <= maxEnumeration {
		r = enumerate(pr.u, pr.p, pr.needU, pr.needF)
	} else {
		r = bestOf(pr.u, pr.p, pr.needU, pr.needF)
	}
	if math.IsNaN(r.value) || math.IsNaN(r.bound) {
		// Not reached by any input the tests and fuzzing found; kept so
		// that a result always marshals and never claims what it lacks.
		r.value, r.bound = 0.5, 1
	}
	if math.IsNaN(r.short) || math.IsNaN(r.shortBound) || math.IsInf(r.shortBound, 0) {
		r.short, r.shortBound = pr.needF, pr.needF
	}
	return Chance{
		Value:          min(1, max(0, r.value)),
		ErrorBound:     min(1, r.bound),
		Method:         r.method,
		Deals:          len(pr.u),
		Shortfall:      b.result(decimal.NewFromFloat(max(0, r.short)).Mul(pr.unit), false),
		ShortfallBound: b.result(decimal.NewFromFloat(r.shortBound).Mul(pr.unit), true),
	}, nil
}

// probFloat returns p as the nearest float64, fast for the usual short
// decimals (0.1, 0.25, 0.875).
func probFloat(p decimal.Decimal) float64 {
	e := p.Exponent()
	if e <= 0 && e >= -22 && p.NumDigits() <= 15 {
		// Both operands are exact in float64, so the quotient is correctly
		// rounded.
		return float64(p.CoefficientInt64()) / pow10f[-e]
	}
	return p.InexactFloat64()
}

var pow10f = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// divPlaces is the decimal places of a quotient that is then taken as a
// float64. It is given to DivRound: Div would round to
// decimal.DivisionPrecision places, a variable any host may set.
const divPlaces = 16

// maxUnits bounds the total of the amounts in units, so that sums never
// overflow an int64 and convert to float64 without trouble.
const maxUnits = 1 << 62

// toUnits expresses need and the amounts as integers in a common unit, the
// largest one that divides every amount: the amounts in that unit, the need
// rounded up to it, and the unit's value.
func toUnits(need decimal.Decimal, amounts []decimal.Decimal) (u []int64, needU int64, unit decimal.Decimal, err error) {
	exp := need.Exponent()
	for _, a := range amounts {
		exp = min(exp, a.Exponent())
	}
	u = make([]int64, len(amounts))
	var g, total int64
	for i, a := range amounts {
		x, ok := scaledInt64(a, exp)
		if !ok || x > maxUnits-total {
			return nil, 0, decimal.Decimal{}, sp.Invalid("amounts", "too large to sum in units of 1e%d", exp)
		}
		total += x
		u[i] = x
		g = gcd(g, x)
	}
	g = max(g, 1) // no amounts: any unit will do
	for i := range u {
		u[i] /= g
	}
	if nu, ok := scaledInt64(need, exp); !ok || nu > total {
		// Out of reach: any value above the total will do.
		needU = total/g + 1
	} else {
		needU = nu / g
		if nu%g != 0 {
			needU++
		}
	}
	return u, needU, decimal.New(g, exp), nil
}

// scaledInt64 returns d in units of 10^exp (exp at most d's exponent), and
// false if that is not an int64 of at most maxUnits.
func scaledInt64(d decimal.Decimal, exp int32) (int64, bool) {
	shift := d.Exponent() - exp
	if d.NumDigits()+int(shift) <= 18 {
		return d.CoefficientInt64() * pow10i[shift], true
	}
	c := d.Coefficient()
	c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	if !c.IsInt64() || c.Int64() > maxUnits {
		return 0, false
	}
	return c.Int64(), true
}

var pow10i = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// estimate is the result of one method, in units of the amounts.
type estimate struct {
	value, bound      float64
	short, shortBound float64
	method            Method
}

// maxEnumeration is the largest number of deals whose outcomes are
// enumerated: 2¹⁶ sums for each half.
const maxEnumeration = 32

// enumerate computes P(Σ Xᵢuᵢ ≥ need) and E[(need − Σ Xᵢuᵢ)⁺] exactly by
// meeting in the middle: every subset sum of each half with its
// probability, the right half sorted by sum with prefix sums of
// probability and of probability × sum, and a binary search for each left
// sum.
func enumerate(u []int64, p []float64, need int64, needF float64) estimate {
	half := len(u) / 2
	ls, lw := subsetSums(u[:half], p[:half])
	rs, rw := subsetSums(u[half:], p[half:])
	type outcome struct {
		sum  int64
		prob float64
	}
	right := make([]outcome, len(rs))
	for i := range rs {
		right[i] = outcome{rs[i], rw[i]}
	}
	slices.SortFunc(right, func(a, b outcome) int { return cmp.Compare(a.sum, b.sum) })
	cw := make([]float64, len(right)+1)  // cw[j]: probability of the j smallest sums
	cws := make([]float64, len(right)+1) // cws[j]: Σ probability × sum over them
	var w, ws compensated
	for j, o := range right {
		w.add(o.prob)
		ws.add(o.prob * float64(o.sum))
		cw[j+1], cws[j+1] = w.sum(), ws.sum()
	}
	var prob, short compensated
	for i, s := range ls {
		// j: how many right sums fall short of need − s.
		j := sort.Search(len(right), func(k int) bool { return right[k].sum >= need-s })
		prob.add(lw[i] * (cw[len(right)] - cw[j]))
		short.add(lw[i] * ((needF-float64(s))*cw[j] - cws[j]))
	}
	// Each outcome's probability is a product of n factors; the sums are
	// compensated, so the error does not grow with the number of outcomes.
	rb := roundingBound(len(u) + 4)
	return estimate{
		value: prob.sum(), bound: rb,
		short: short.sum(), shortBound: rb * 4 * needF,
		method: MethodEnumeration,
	}
}

// subsetSums returns the sums of all subsets of u and their probabilities.
func subsetSums(u []int64, p []float64) ([]int64, []float64) {
	sums := make([]int64, 1, 1<<len(u))
	probs := make([]float64, 1, 1<<len(u))
	probs[0] = 1
	for i, x := range u {
		n := len(sums)
		for k := range n {
			sums = append(sums, sums[k]+x)
			probs = append(probs, probs[k]*p[i])
			probs[k] *= 1 - p[i]
		}
	}
	return sums, probs
}

// maxWindow bounds the cells a dynamic program keeps: 16 MiB.
const maxWindow = 1 << 21

// dpBudget returns the number of cell updates a dynamic program over n
// deals may spend: about twenty thousand cells per deal, within bounds that
// keep it to a few hundred milliseconds.
func dpBudget(n int) float64 { return min(max(2e4*float64(n), 4e6), 1.5e8) }

// truncation returns the half-width t of the window a dynamic program
// keeps around the running mean of the partial sums: by Freedman's
// inequality for the martingale of centred partial sums, with variance σ²
// and steps of at most m, the mass that ever leaves the window is at most
// 2·exp(−t²/(2(σ²+mt/3))) ≤ 1e-15. The mass actually dropped is tracked
// and reported, so the window affects the bound, never its validity.
func truncation(sigma2, m float64) float64 {
	l := math.Log(2 / 1e-15)
	a := 2 * l * m / 3
	return (a + math.Sqrt(a*a+8*l*sigma2)) / 2
}

// bestOf computes the chance of a pipeline too large to enumerate: by the
// lattice dynamic program when it fits the budget, otherwise by the
// Edgeworth expansion, or by the grid dynamic program when its bracket is
// expected to be tighter.
func bestOf(u []int64, p []float64, need int64, needF float64) estimate {
	n := len(u)
	var sigma2, m, total float64
	for i, x := range u {
		f := float64(x)
		sigma2 += p[i] * (1 - p[i]) * f * f
		m = max(m, f)
		total += f
	}
	if sigma2 == 0 {
		// Every probability is within 2⁻⁵⁴ of 1, which float64 holds as 1,
		// and winning every deal reaches the need (prepare decided
		// otherwise): the sum has no spread for the methods below to
		// work with. All are won but with probability at most n·2⁻⁵⁴,
		// within the rounding bound; missing falls short by at most needF.
		// It is the lattice of a window of no width around the mean.
		rb := roundingBound(n)
		return estimate{value: 1, bound: rb, shortBound: rb * needF, method: MethodLattice}
	}
	budget := dpBudget(n)
	// The partial sums stay within 0 and the total, however wide the
	// window that a large step calls for.
	width := min(2*truncation(sigma2, m)+m, total+1)
	if float64(n)*width <= budget && width <= maxWindow {
		return latticeDP(u, p, need, needF, 1, 0)
	}
	if e, ok := latticeBelowNeed(u, p, need, needF, budget); ok {
		return e
	}
	if e, ok := latticeBelowWhales(u, p, need, needF, budget); ok {
		return e
	}
	e := edgeworth(u, p, need, needF)
	if e.bound <= 1e-6 {
		return e
	}
	if c, ok := conditioned(u, p, need, needF); ok && c.bound < e.bound {
		e = c
	}
	// A grid k times coarser shrinks the window k times; the rounding it
	// brings is bracketed, with a width of about the density near the need
	// times the total rounding.
	k := int64(math.Ceil(max(float64(n)*width/budget, width/maxWindow)))
	var spread float64
	for _, x := range u {
		spread += math.Abs(float64(x - k*roundDiv(x, k)))
	}
	if spread/math.Sqrt(sigma2) >= e.bound {
		return e
	}
	if g := latticeDP(u, p, need, needF, k, 0); g.bound < e.bound {
		return g
	}
	return e
}

// latticeBelowNeed computes the chance of reaching a need that is small
// beside the pipeline (a goal nearly met), exactly: a deal of at least
// the need reaches it on its own, so the need is missed only when none of
// those is won and the others, each smaller than the need, fall short
// together, which the lattice dynamic program computes over the partial
// sums below the need (those reaching it are absorbed), with no window.
// ok is false when that program does not fit the budget.
func latticeBelowNeed(u []int64, p []float64, need int64, needF float64, budget float64) (e estimate, ok bool) {
	var n int
	var m, total int64
	for _, x := range u {
		if x < need {
			n, m, total = n+1, max(m, x), total+x
		}
	}
	// The partial sums kept lie below the need, and a step goes at most m
	// beyond before what reached the need is absorbed.
	width := float64(need + m)
	if float64(n)*width > budget || width > maxWindow {
		return estimate{}, false
	}
	miss := 1.0 // the chance that no deal of at least the need is won
	small, smallP := make([]int64, 0, n), make([]float64, 0, n)
	for i, x := range u {
		if x >= need {
			miss *= 1 - p[i]
		} else {
			small, smallP = append(small, x), append(smallP, p[i])
		}
	}
	rb := roundingBound(len(u))
	if total < need {
		// The small deals cannot reach the need together: it is reached
		// only by a large one, and missed by the need less what they win.
		var mean float64
		for i, x := range small {
			mean += smallP[i] * float64(x)
		}
		return estimate{value: 1 - miss, bound: rb, short: miss * (needF - mean), shortBound: rb * needF, method: MethodLattice}, true
	}
	l := latticeDP(small, smallP, need, needF, 1, float64(total)+1)
	return estimate{
		value: 1 - miss*(1-l.value), bound: miss*l.bound + rb,
		short: miss * l.short, shortBound: miss*l.shortBound + rb*needF,
		method: MethodLattice,
	}, true
}

// maxLatticeWhales is the largest number of deals whose outcomes
// [latticeBelowWhales] enumerates.
const maxLatticeWhales = 4

// latticeBelowWhales computes the chance of a pipeline whose largest few
// deals (up to maxLatticeWhales) keep it from the lattice, as one deal of
// 10,000.00 among deals of cents does: for each outcome of those few, the
// lattice dynamic program of the others, within the budget in all. ok is
// false when setting aside so few deals does not bring the others within
// the budget.
func latticeBelowWhales(u []int64, p []float64, need int64, needF float64, budget float64) (e estimate, ok bool) {
	top := largest(u, maxLatticeWhales+1)
	for h := 1; h <= maxLatticeWhales && h < len(u); h++ {
		var sigma2, total float64
		for i, x := range u {
			if !slices.Contains(top[:h], i) {
				f := float64(x)
				sigma2 += p[i] * (1 - p[i]) * f * f
				total += f
			}
		}
		m := float64(u[top[h]]) // the largest of the others
		width := min(2*truncation(sigma2, m)+m, total+1)
		if float64(int(1)<<h)*float64(len(u)-h)*width <= budget && width <= maxWindow {
			return latticeOfRest(u, p, top[:h], need, needF), true
		}
	}
	return estimate{}, false
}

// largest returns the indexes of the k largest amounts of u (all of them
// if u has fewer), from the largest down, the earlier first among equal
// amounts.
func largest(u []int64, k int) []int {
	top := make([]int, 0, k+1)
	for i, x := range u {
		j := len(top)
		for j > 0 && u[top[j-1]] < x {
			j--
		}
		if j < k {
			top = slices.Insert(top, j, i)
			top = top[:min(len(top), k)]
		}
	}
	return top
}

// latticeOfRest computes the chance with the outcomes of the deals whales
// (indexes of u) enumerated and the rest R by the lattice dynamic program:
// P(S ≥ need) = Σ_L w·P(R ≥ need − s) over the outcomes L of the whales
// with sum s and probability w, and the shortfall alike.
func latticeOfRest(u []int64, p []float64, whales []int, need int64, needF float64) estimate {
	bigU, bigP := make([]int64, len(whales)), make([]float64, len(whales))
	for k, i := range whales {
		bigU[k], bigP[k] = u[i], p[i]
	}
	restU, restP := make([]int64, 0, len(u)-len(whales)), make([]float64, 0, len(u)-len(whales))
	var restTotal int64
	var restMean float64
	for i, x := range u {
		if !slices.Contains(whales, i) {
			restU, restP = append(restU, x), append(restP, p[i])
			restTotal += x
			restMean += p[i] * float64(x)
		}
	}
	sums, weights := subsetSums(bigU, bigP)
	var value, bound, short, shortBound compensated
	for j, s := range sums {
		w := weights[j]
		switch t := need - s; {
		case t <= 0: // reached whatever the rest does
			value.add(w)
		case t > restTotal: // missed whatever the rest does
			short.add(w * (needF - float64(s) - restMean))
		default:
			e := latticeDP(restU, restP, t, needF-float64(s), 1, 0)
			value.add(w * e.value)
			bound.add(w * e.bound)
			short.add(w * e.short)
			shortBound.add(w * e.shortBound)
		}
	}
	rb := roundingBound(len(u) + len(sums))
	return estimate{
		value: value.sum(), bound: bound.sum() + rb,
		short: short.sum(), shortBound: shortBound.sum() + rb*needF,
		method: MethodLattice,
	}
}

// roundDiv returns x/k rounded to the nearest integer, halves up.
func roundDiv(x, k int64) int64 { return (x + k/2) / k }

// latticeDP computes the chance by dynamic programming over the partial
// sums of the deals, on the grid of multiples of k units (k = 1 is the
// exact lattice). Each amount is rounded to the grid; the total rounding D
// lies in [Dmin, Dmax], so P(S ≥ need) is bracketed by the grid's
// probabilities of reaching the need less Dmin and less Dmax. Partial sums
// that reach the upper threshold are absorbed; those that can no longer
// reach the lower one are dropped as sure misses, their shortfall
// counted exactly; those outside the window around the running mean are
// dropped and their mass added to the bound. The window's half-width is
// window, or if that is 0 the one of [truncation].
func latticeDP(u []int64, p []float64, need int64, needF float64, k int64, window float64) estimate {
	n := len(u)
	v := make([]int64, 0, n)
	q := make([]float64, 0, n)
	var dmin, dmax, dmean float64 // rounding, in units
	var sigma2, m, rest float64
	for i, x := range u {
		g := roundDiv(x, k)
		d := float64(x - k*g)
		dmin += min(d, 0)
		dmax += max(d, 0)
		dmean += p[i] * d
		if g == 0 {
			continue
		}
		v = append(v, g)
		q = append(q, p[i])
		f := float64(g)
		sigma2 += p[i] * (1 - p[i]) * f * f
		m = max(m, f)
		rest += f
	}
	hiT := ceilDiv(float64(need)-dmin, k)
	loT := ceilDiv(float64(need)-dmax, k)
	needG := (needF - dmean) / float64(k) // for the shortfall
	t := window
	if t <= 0 {
		t = truncation(sigma2, m)
	}

	var meanRest float64
	for i, x := range v {
		meanRest += q[i] * float64(x)
	}
	buf := make([]float64, 1, 1024)
	buf[0] = 1
	var base, lo, hi int64             // buf[s-base] holds partial sum s, s in [lo, hi]
	var above, lost, short compensated // sums of many cells, compensated
	var mu float64
	restI := int64(rest)
	for i, x := range v {
		pi := q[i]
		qi := 1 - pi
		restI -= x
		mu += pi * float64(x)
		meanRest -= pi * float64(x)
		top := hi + x
		if top-base >= int64(len(buf)) {
			// Move the window to the front, growing the buffer if need be.
			w := hi - lo + 1
			if size := top - lo + 1; size > int64(cap(buf)) {
				nb := make([]float64, size, 2*size)
				copy(nb, buf[lo-base:hi-base+1])
				buf = nb
			} else {
				copy(buf, buf[lo-base:hi-base+1])
				buf = buf[:size]
			}
			clear(buf[w:])
			base = lo
		}
		clear(buf[hi-base+1 : top-base+1])
		// New mass: q·old[s] + p·old[s−x], from the top down, in place.
		if top >= lo+x {
			dst := buf[lo+x-base : top-base+1]
			src := buf[lo-base : top-x-base+1]
			src = src[:len(dst)]
			for j := len(dst) - 1; j >= 0; j-- {
				dst[j] = qi*dst[j] + pi*src[j]
			}
		}
		for s := min(lo+x-1, top); s >= lo; s-- {
			buf[s-base] *= qi
		}
		hi = top
		// Absorb what reached the upper threshold.
		for ; hi >= hiT && hi >= lo; hi-- {
			above.add(buf[hi-base])
			buf[hi-base] = 0
		}
		// Drop sure misses, and what left the window.
		wlo := max(loT-restI, int64(math.Ceil(mu-t)))
		whi := int64(math.Floor(mu + t))
		for ; lo < wlo && lo <= hi; lo++ {
			w := buf[lo-base]
			if lo+restI < loT {
				short.add(w * (needG - float64(lo) - meanRest))
			} else {
				lost.add(w)
			}
			buf[lo-base] = 0
		}
		for ; hi > whi && hi >= lo; hi-- {
			lost.add(buf[hi-base])
			buf[hi-base] = 0
		}
		if lo > hi {
			break
		}
	}
	var between compensated // mass on [loT, hiT)
	for s := max(lo, loT); s <= hi; s++ {
		between.add(buf[s-base])
	}
	for s := lo; s <= hi; s++ {
		if w := buf[s-base]; float64(s) < needG {
			short.add(w * (needG - float64(s)))
		}
	}
	kf := float64(k)
	rb := roundingBound(n)
	mid := (between.sum() + lost.sum()) / 2
	e := estimate{
		value:      above.sum() + mid,
		bound:      mid + rb,
		short:      short.sum() * kf,
		shortBound: lost.sum()*needF + (dmax - dmin) + rb*needF,
		method:     MethodLattice,
	}
	if k > 1 {
		e.method = MethodGrid
	}
	return e
}

// compensated is a sum with Neumaier's compensation: its error stays
// within a few units in the last place however many terms it has.
type compensated struct{ s, c float64 }

func (n *compensated) add(x float64) {
	t := n.s + x
	if math.Abs(n.s) >= math.Abs(x) {
		n.c += (n.s - t) + x
	} else {
		n.c += (x - t) + n.s
	}
	n.s = t
}

func (n *compensated) sum() float64 { return n.s + n.c }

// ceilDiv returns ⌈x/k⌉ for a float x.
func ceilDiv(x float64, k int64) int64 { return int64(math.Ceil(x / float64(k))) }

// The constants of the Edgeworth bound.
const (
	// invSqrt2Pi is the standard normal density at 0, the supremum of Φ'.
	invSqrt2Pi = 0.3989422804014327
	// skewDensity bounds sup |φ(x)(x³−3x)|/6, the skewness term's part of
	// the Edgeworth density (the supremum, at x² = 3−√6, is 0.55055/6).
	skewDensity = 0.0918
	// farSteps is the budget of deal-steps for the characteristic function
	// far from zero.
	farSteps = 4e6
)

// expansion is the Edgeworth expansion of a sum of deals ([newExpansion]).
type expansion struct {
	mu, sigma, k3 float64
	beta          float64 // for Bernstein's inequality: max(pᵢ, qᵢ)·bᵢ
	sup           float64 // sup |F − G|, at every threshold
}

// edgeworth computes the chance by the Edgeworth expansion of the sum of
// all the deals. Its bound, the expansion's error at any threshold, is
// narrowed by Bernstein's inequality where the need lies far in a tail (a
// goal all but certain, or all but hopeless), which the expansion's
// uniform bound knows nothing of.
func edgeworth(u []int64, p []float64, need int64, needF float64) estimate {
	x := newExpansion(u, p)
	short, shortBound := x.shortfall(needF)
	value, bound := x.chance(need)
	return estimate{value: value, bound: bound, short: short, shortBound: shortBound, method: MethodEdgeworth}
}

// chance returns the expansion's estimate of P(S ≥ need) and the bound on
// its error: sup, or the narrower bracket of [expansion.bernstein].
func (x *expansion) chance(need int64) (value, bound float64) {
	value, bound = x.tail(need), x.sup
	if v, b, ok := x.bernstein(need); ok && b < bound {
		value, bound = v, b
	}
	return value, bound
}

// bernstein brackets P(S ≥ need) by Bernstein's inequality: for the
// standardized sum Z, whose terms differ from their means by at most β,
// P(Z ≥ y) and P(Z ≤ −y) are at most exp(−y²/(2(1+βy/3))) for y > 0. A
// need above the mean is reached with at most that chance τ, a need below
// it missed (S ≤ need − 1) with at most τ: the chance is τ/2 or 1 − τ/2,
// within τ/2 (and the rounding of 1 − τ/2). τ is raised by far more than
// the rounding of μ, σ and β can move it (a relative 1e-9, and 1e-15). ok
// is false when the need is at the mean, where the inequality says nothing.
func (x *expansion) bernstein(need int64) (value, bound float64, ok bool) {
	tau := func(y float64) float64 {
		return math.Exp(-y*y/(2*(1+x.beta*y/3)))*(1+1e-9) + 1e-15
	}
	switch above, below := (float64(need)-x.mu)/x.sigma, (x.mu-float64(need-1))/x.sigma; {
	case above > 0:
		t := tau(above)
		return t / 2, t / 2, true
	case below > 0:
		// 1 − t/2 rounds by up to half an ulp of 1: 2⁻⁵³.
		t := tau(below)
		return 1 - t/2, t/2 + 0x1p-53, true
	}
	return 0, 0, false
}

// maxWhales is the largest number of deals whose outcomes [conditioned]
// enumerates: 2¹² sums.
const maxWhales = 12

// whaleRatio is the largest step, in standard deviations of the sum of the
// other deals, that the expansion is left with when [conditioned] sets the
// largest deals aside.
const whaleRatio = 0.1

// whaleDrop is the least drop in amount, from one deal to the next
// smaller, that [conditioned] takes for the edge of the deals that dwarf
// the others when no few deals leave the rest within whaleRatio.
const whaleDrop = 4

// conditioned computes the chance of a pipeline in which a few deals
// dwarf the rest, as one or two very large deals among many small ones
// do: the expansion of the whole is then far from the sum's distribution
// and its bound is large. It sets aside the fewest largest deals (up to
// maxWhales) that leave no other deal a step above whaleRatio standard
// deviations of the rest or, when no such number of deals exists, those
// above the widest drop in amount ([widestDrop]), and conditions on their
// outcomes ([conditionedOn]). ok is false when no deal dwarfs the rest,
// or when neither rule finds the deals that do.
func conditioned(u []int64, p []float64, need int64, needF float64) (e estimate, ok bool) {
	var m int64
	var sigma2 float64
	for i, x := range u {
		f := float64(x)
		sigma2 += p[i] * (1 - p[i]) * f * f
		m = max(m, x)
	}
	if float64(m) <= whaleRatio*math.Sqrt(sigma2) {
		return estimate{}, false // no deal dwarfs the rest
	}
	order := byAmount(u)
	// rest[h]: the variance of the deals after the h largest.
	rest := make([]float64, len(u)+1)
	for k := len(u) - 1; k >= 0; k-- {
		i := order[k]
		f := float64(u[i])
		rest[k] = rest[k+1] + p[i]*(1-p[i])*f*f
	}
	dwarfs := func(h int) bool { return float64(u[order[h]]) > whaleRatio*math.Sqrt(rest[h]) }
	h := 1
	for h <= maxWhales && h < len(u) && dwarfs(h) {
		h++
	}
	if h > maxWhales || h >= len(u) {
		// No few deals leave the rest that even (a thousand deals of cents
		// to a few euros beside three of thousands): set aside those above
		// the widest drop in amount among the largest, if there is one.
		h = widestDrop(u, order)
	}
	if h == 0 || rest[h] <= 0 {
		return estimate{}, false
	}
	return conditionedOn(u, p, order, h, need, needF), true
}

// widestDrop returns the number h of the largest deals, up to maxWhales,
// after which the amount drops the most, by at least whaleDrop times (the
// h-th largest amount over the next); 0 if it drops by less everywhere.
func widestDrop(u []int64, order []int) int {
	h, widest := 0, float64(whaleDrop)
	for k := 1; k <= maxWhales && k < len(order); k++ {
		if r := float64(u[order[k-1]]) / float64(u[order[k]]); r >= widest {
			h, widest = k, r
		}
	}
	return h
}

// byAmount returns the indexes of u from the largest amount down.
func byAmount(u []int64) []int {
	order := make([]int, len(u))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(u[b], u[a]) })
	return order
}

// conditionedOn computes the chance with the outcomes of the h largest
// deals (the first h of order, the indexes of u from the largest amount
// down) enumerated and the rest R, which must have a positive variance,
// by its Edgeworth expansion: for each outcome L of the h deals, with sum
// s and probability w, R must reach need − s,
//
//	P(S ≥ need) = Σ_L w·P(R ≥ need − s),
//
// each term from the expansion of R, whose error bound holds at every
// threshold: the bound is the sum, over the outcomes that R decides (those
// that reach the need, or cannot, are exact), of their weight times the
// bound of R's chance ([expansion.chance]: sup, or less far in a tail).
// The shortfall is the same sum of the rest's shortfalls.
func conditionedOn(u []int64, p []float64, order []int, h int, need int64, needF float64) estimate {
	bigU, bigP := make([]int64, h), make([]float64, h)
	restU, restP := make([]int64, 0, len(u)-h), make([]float64, 0, len(u)-h)
	var restTotal int64
	var restMean float64
	for k, i := range order {
		if k < h {
			bigU[k], bigP[k] = u[i], p[i]
			continue
		}
		restU, restP = append(restU, u[i]), append(restP, p[i])
		restTotal += u[i]
		restMean += p[i] * float64(u[i])
	}
	x := newExpansion(restU, restP)
	sums, weights := subsetSums(bigU, bigP)
	var value, short, bound, shortBound compensated
	for j, s := range sums {
		w := weights[j]
		switch t := need - s; {
		case t <= 0: // reached whatever the rest does
			value.add(w)
		case t > restTotal: // missed whatever the rest does
			short.add(w * (needF - float64(s) - restMean))
		default:
			v, b := x.chance(t)
			value.add(w * v)
			bound.add(w * b)
			sh, sb := x.shortfall(needF - float64(s))
			short.add(w * sh)
			shortBound.add(w * sb)
		}
	}
	rb := roundingBound(len(u) + len(sums))
	return estimate{
		value: value.sum(), bound: bound.sum() + rb,
		short: short.sum(), shortBound: shortBound.sum() + rb*needF,
		method: MethodEdgeworth,
	}
}

// newExpansion returns the one-term Edgeworth expansion of the
// standardized sum Z = (S − μ)/σ of the deals,
//
//	G(z) = Φ(z) − κ₃/6·(z² − 1)·φ(z),
//
// with the bound on its error at every threshold (sup), by Esseen's
// smoothing inequality (Feller II, XVI.3, lemma 2):
//
//	sup |F − G| ≤ (1/π)∫_{−T}^{T} |φ_Z(t) − γ(t)|/|t| dt + 24m/(πT),
//
// with m ≥ sup|G'| and γ the transform of G. Near zero the integrand is
// bounded analytically from the cumulants of the deals (a fourth-order
// bound on each deal's log-characteristic function), as far as that bound
// falls with t; farther out by
// |φ_Z(t)| ≤ exp(−h(t)), h(t) = Σ pᵢqᵢ(1 − cos(t·bᵢ)), evaluated exactly
// on a grid, with h″ ≤ 1 bounding h between the grid points; beyond T by
// the second term. The shortfall follows from the same G, its bound from
// the same sup and Bernstein's inequality for the lower tail.
//
// The deals must have a positive variance.
func newExpansion(u []int64, p []float64) expansion {
	n := len(u)
	var mu, sigma2 float64
	for i, x := range u {
		f := float64(x)
		mu += p[i] * f
		sigma2 += p[i] * (1 - p[i]) * f * f
	}
	sigma := math.Sqrt(sigma2)
	b := make([]float64, n)
	pq := make([]float64, n)
	var k3, m4, v2, v3, vmax, h0, beta float64
	for i, x := range u {
		pi, qi := p[i], 1-p[i]
		bi := float64(x) / sigma
		b[i] = bi
		pq[i] = pi * qi
		v := pq[i] * bi * bi
		k3 += pq[i] * (qi - pi) * bi * bi * bi
		m4 += pq[i] * (qi*qi*qi + pi*pi*pi) * bi * bi * bi * bi
		v2 += v * v
		v3 += v * v * v
		vmax = max(vmax, v)
		h0 += pq[i]
		beta = max(beta, max(pi, qi)*bi)
	}
	// Analytic bound on [0, ta]: with R(t) ≥ |log φ_Z(t) + t²/2 + iκ₃t³/6|
	// and W(t) = |κ₃|t³/6 + R(t), |φ_Z − γ| ≤ e^{−t²/2}(R + W²e^W/2), and
	// also |φ_Z| + |γ| ≤ e^{−t²/2}(e^R + 1 + |κ₃|t³/6); valid while
	// t²·vmax/2 < 1.
	ak3 := math.Abs(k3)
	r := func(t float64) float64 {
		t2 := t * t
		return t2*t2*(m4/24+v2/8) + t2*t2*t2*v3/(24*(1-t2*vmax/2))
	}
	ta := min(math.Sqrt(1.6/vmax), 40)
	// Beyond where R(t) passes t²/4 the bound grows like e^{R − t²/2}
	// while |φ_Z| keeps falling (a sum of many rarely won deals has a
	// large fourth cumulant): the exact evaluation of the far region
	// takes over there. R(t)/t² grows with t, so bisect.
	if r(ta) > ta*ta/4 {
		lo, hi := 0.0, ta
		for range 60 {
			mid := (lo + hi) / 2
			if r(mid) > mid*mid/4 {
				hi = mid
			} else {
				lo = mid
			}
		}
		ta = lo
	}
	// Upper sums over a partition of [0, ta]: fine up to 10, where nearly
	// all of the integral lies, coarse beyond; each cell bounded by the
	// decreasing factor at its left end and the increasing ones at its right.
	var ia float64
	cell := func(a, c float64) float64 {
		rc := r(c)
		w := ak3*c*c*c/6 + rc
		if w <= 700 {
			g := math.Exp(-a * a / 2)
			f1 := (c - a) / c * g * (rc + w*w*math.Exp(w)/2)
			if a == 0 {
				return f1
			}
			return min(f1, (c-a)/a*g*(math.Exp(rc)+1+ak3*c*c*c/6))
		}
		// In logarithms, so that a vanishing Gaussian factor never meets an
		// overflowing one.
		l1 := -a*a/2 + logSum(math.Log(rc), 2*math.Log(w)+w-math.Ln2) + math.Log((c-a)/c)
		l2 := math.Inf(1)
		if a > 0 {
			l2 = -a*a/2 + logSum(rc, logSum(0, math.Log(ak3*c*c*c/6))) + math.Log((c-a)/a)
		}
		return math.Exp(min(l1, l2))
	}
	near := min(ta, 10)
	const fine, coarse = 600, 200
	for j := range fine {
		ia += cell(near*float64(j)/fine, near*float64(j+1)/fine)
	}
	if ta > near {
		for j := range coarse {
			ia += cell(near+(ta-near)*float64(j)/coarse, near+(ta-near)*float64(j+1)/coarse)
		}
	}
	// ∫_{ta}^∞ |γ(t)|/t dt.
	ig := math.Exp(-ta*ta/2) * (1/(ta*ta) + ak3*(ta+1/ta)/6)

	// Far region [ta, T] on a grid of step Δ, losing at most Δ²/8 of h
	// between grid points.
	mBound := invSqrt2Pi + ak3*skewDensity
	delta := min(max(math.Sqrt(2*h0), 0.25), 200)
	// T: far enough that the last term is a fifth of the near part (and
	// no smaller than 1e-6: beyond, the effort buys nothing), within the
	// budget, and short of half the period of φ_S on the lattice of the
	// units (πσ), past which φ_S comes back to 1 and the inequality gains
	// nothing.
	target := max(1e-6, ia/5)
	want := min(24*mBound/(math.Pi*target), math.Pi*sigma)
	steps := int(min(math.Ceil((want-ta)/delta), max(farSteps/float64(n), 16)))
	steps = max(steps, 1)
	far := farIntegral(b, pq, ta, delta, steps, h0, target/float64(steps))
	tEnd := ta + float64(steps)*delta
	sup := 2/math.Pi*(ia+ig+far) + 24*mBound/(math.Pi*tEnd) + 1e-12

	return expansion{mu: mu, sigma: sigma, k3: k3, beta: beta, sup: sup}
}

// tail returns the expansion's estimate of P(S ≥ need), G evaluated
// halfway between need and the lattice point below it.
func (x *expansion) tail(need int64) float64 {
	z := (float64(need) - 0.5 - x.mu) / x.sigma
	return upperTail(z) + x.k3/6*(z*z-1)*normPDF(z)
}

// shortfall returns the expansion's estimate of E[(needF − S)⁺] and a
// bound on its error: σ∫_{−∞}^{c} F_Z, approximated by ∫G and bounded by
// splitting at L: sup·(c−L) + ∫_{−∞}^{L} F_Z + ∫_{−∞}^{L} |G|.
func (x *expansion) shortfall(needF float64) (short, bound float64) {
	c := (needF - x.mu) / x.sigma
	k3, ak3 := x.k3, math.Abs(x.k3)
	short = x.sigma * max(c*normCDF(c)+normPDF(c)+k3*c*normPDF(c)/6, c, 0)
	sb := math.Inf(1)
	for j := range 16 {
		l := min(c, -1) - float64(j)
		gTail := l*normCDF(l) + normPDF(l) + ak3/6*math.Abs(l)*normPDF(l)
		sb = min(sb, x.sup*(c-l)+bernsteinTail(-l, x.beta)+gTail)
	}
	return short, x.sigma*sb + 1e-9*x.sigma
}

// logSum returns log(eˣ + eʸ) without overflow; log 0 is −∞.
func logSum(x, y float64) float64 {
	if x < y {
		x, y = y, x
	}
	if math.IsInf(y, -1) {
		return x
	}
	return x + math.Log1p(math.Exp(y-x))
}

// upperTail returns 1 − Φ(z) accurately in both tails.
func upperTail(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func normPDF(z float64) float64 { return invSqrt2Pi * math.Exp(-z*z/2) }

// bernsteinTail bounds ∫_x^∞ P(Z ≤ −y) dy for x > 0 by integrating
// Bernstein's bound exp(−f(y)), f(y) = y²/(2(1+βy/3)): f is convex, so it
// lies above its tangent at x, and the integral is at most e^{−f(x)}/f'(x).
func bernsteinTail(x, beta float64) float64 {
	c := beta / 3
	f := x * x / (2 * (1 + c*x))
	df := (x + c*x*x/2) / ((1 + c*x) * (1 + c*x))
	return math.Exp(-f) / df
}

// farIntegral bounds ∫_{ta}^{ta+steps·Δ} |φ_Z(t)|/t dt. It evaluates
// h(t) = Σ pqᵢ(1 − cos(t·bᵢ)) at the grid points t_j = ta + jΔ by rotating
// each deal's phasor e^{i·t·bᵢ} by e^{iΔbᵢ} (recomputed exactly every 64
// steps), in fixed chunks spread over the CPUs and summed in order, so the
// result does not depend on their number. Between grid points h″ ≤ 1
// keeps h above min(h_j, h_{j+1}) − Δ²/8, and |φ_Z| ≤ min(1, e^{−h}).
func farIntegral(b, pq []float64, ta, delta float64, steps int, h0, fine float64) float64 {
	hs := make([]float64, steps+1)
	const chunk = 64
	chunks := (steps + chunk) / chunk
	wr := make([]float64, len(b))
	wi := make([]float64, len(b))
	for i, x := range b {
		wi[i], wr[i] = math.Sincos(delta * x)
	}
	work := func(c int) {
		re := make([]float64, len(b))
		im := make([]float64, len(b))
		from, to := c*chunk, min((c+1)*chunk, steps+1)
		for j := from; j < to; j++ {
			t := ta + float64(j)*delta
			if (j-from)%64 == 0 {
				for i, x := range b {
					im[i], re[i] = math.Sincos(t * x)
				}
			}
			var cs float64
			for i := range re {
				x, y := re[i], im[i]
				cs += pq[i] * x
				re[i] = x*wr[i] - y*wi[i]
				im[i] = x*wi[i] + y*wr[i]
			}
			hs[j] = h0 - cs
		}
	}
	parallel(chunks, float64(steps)*float64(len(b)), work)
	margin := 1e-9 * (1 + h0)
	var s float64
	budget := max(refineBudget/max(len(b), 1), 2*(refineSplit-1))
	for j := range steps {
		t0 := ta + float64(j)*delta
		s += refine(b, pq, h0, t0, delta, hs[j], hs[j+1], margin, fine, refineDepth, &budget)
	}
	return s
}

// Refinement of the far region: an interval whose bound exceeds what it
// may contribute (fine, a share of the near part's bound) is split into
// refineSplit parts, h evaluated exactly at the new points, down to
// refineDepth levels and within refineBudget evaluations of a deal's
// cosine in all, but at least two splits whatever the number of deals: the
// first interval of the far grid loses Δ²/8 of h, more than h has grown to
// at its start when there are hundreds of thousands of deals, and unsplit
// it bounds nothing. It sharpens the bound near the peaks of |φ_Z| that
// amounts with a common structure produce.
const (
	refineSplit  = 8
	refineDepth  = 4
	refineBudget = 4e6
)

// refine bounds ∫|φ_Z(t)|/t over [t0, t0+Δ] from h at its ends, splitting
// it while the bound is large and the budget (in points) lasts.
func refine(b, pq []float64, h0, t0, delta, ha, hb, margin, fine float64, depth int, budget *int) float64 {
	hmin := min(ha, hb) - margin - delta*delta/8
	c := min(1, math.Exp(-hmin)) * math.Log1p(delta/t0)
	if c <= fine || depth == 0 || *budget < refineSplit-1 {
		return c
	}
	*budget -= refineSplit - 1
	d := delta / refineSplit
	var s float64
	prev := ha
	for k := 1; k <= refineSplit; k++ {
		next := hb
		if k < refineSplit {
			next = hAt(b, pq, h0, t0+float64(k)*d)
		}
		s += refine(b, pq, h0, t0+float64(k-1)*d, d, prev, next, margin, fine, depth-1, budget)
		prev = next
	}
	return min(s, c)
}

// hAt returns h(t) = Σ pqᵢ(1 − cos(t·bᵢ)).
func hAt(b, pq []float64, h0, t float64) float64 {
	var cs float64
	for i, x := range b {
		cs += pq[i] * math.Cos(t*x)
	}
	return h0 - cs
}

// parallel runs work(0) … work(n−1) on up to GOMAXPROCS goroutines and
// returns when all are done; cost is the work's size in simple operations,
// below which starting goroutines costs more than it saves. Work items must
// write to disjoint memory.
func parallel(n int, cost float64, work func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 || cost < 1e6 {
		for i := range n {
			work(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				work(i)
			}
		}()
	}
	wg.Wait()
}
