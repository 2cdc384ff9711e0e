package quota

// This file tests the methods of Reach against one another directly: the
// exported API picks one method per input, so only from inside can each be
// checked on inputs small enough to enumerate.

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// exact returns P(Σ Xᵢuᵢ ≥ need) and E[(needF − Σ Xᵢuᵢ)⁺] by enumerating
// all outcomes, each term with at most n roundings, summed compensated.
func exact(u []int64, p []float64, need int64, needF float64) (float64, float64) {
	var prob, short compensated
	for mask := 0; mask < 1<<len(u); mask++ {
		w, s := outcome(mask, u, p)
		if s >= need {
			prob.add(w)
		} else {
			short.add(w * (needF - float64(s)))
		}
	}
	return prob.sum(), short.sum()
}

// randomBets returns n amounts of 1 to max units and probabilities in
// (0, 1), and a need near the mean.
func randomBets(r *rand.Rand, n int, max int64) ([]int64, []float64, int64) {
	u := make([]int64, n)
	p := make([]float64, n)
	var mean, v float64
	for i := range u {
		u[i] = r.Int64N(max) + 1
		p[i] = 0.02 + 0.96*r.Float64()
		mean += p[i] * float64(u[i])
		v += p[i] * (1 - p[i]) * float64(u[i]*u[i])
	}
	need := int64(mean + (r.Float64()-0.5)*3*math.Sqrt(v))
	return u, p, max64(need, 1)
}

// refErr bounds the rounding error of exact for n deals.
func refErr(n int) float64 { return float64(n+4) * 0x1p-53 }

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func TestMethodsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := range 300 {
		n := 1 + r.IntN(16)
		u, p, need := randomBets(r, n, []int64{3, 40, 1000}[trial%3])
		needF := float64(need) - 0.25
		want, short := exact(u, p, need, needF)

		e := enumerate(u, p, need, needF)
		if math.Abs(e.value-want) > e.bound+refErr(n) || math.Abs(e.short-short) > e.shortBound+1e-9*(1+short) {
			t.Fatalf("trial %d enumeration: %v ± %v, short %v; want %v, %v", trial, e.value, e.bound, e.short, want, short)
		}
		l := latticeDP(u, p, need, needF, 1, 0)
		if l.method != MethodLattice || math.Abs(l.value-want) > l.bound+refErr(n) || math.Abs(l.short-short) > l.shortBound+1e-9*(1+short) {
			t.Fatalf("trial %d lattice: %+v; want %v, %v", trial, l, want, short)
		}
		for _, k := range []int64{2, 3, 7} {
			g := latticeDP(u, p, need, needF, k, 0)
			if g.method != MethodGrid || math.Abs(g.value-want) > g.bound+1e-12 || math.Abs(g.short-short) > g.shortBound+1e-9*(1+short) {
				t.Fatalf("trial %d grid k=%d: %+v; want %v, %v", trial, k, g, want, short)
			}
		}
		// A narrow window drops mass; the bound accounts for it.
		w := latticeDP(u, p, need, needF, 1, 1.5)
		if math.Abs(w.value-want) > w.bound+1e-12 || math.Abs(w.short-short) > w.shortBound+1e-9*(1+short) {
			t.Fatalf("trial %d narrow window: %+v; want %v, %v", trial, w, want, short)
		}
	}
}

// TestEdgeworthBoundHolds checks that the Edgeworth estimate lies within its
// bound of the exact probability, and its shortfall within its bound, on
// pipelines small enough to enumerate; the bounds are loose there, but
// must hold.
func TestEdgeworthBoundHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for trial := range 30 {
		n := 12 + r.IntN(6)
		u, p, need := randomBets(r, n, []int64{10, 1000, 1_000_000}[trial%3])
		needF := float64(need)
		want, short := exact(u, p, need, needF)
		e := edgeworth(u, p, need, needF)
		if e.method != MethodEdgeworth || math.Abs(e.value-want) > e.bound || math.Abs(e.short-short) > e.shortBound {
			t.Fatalf("trial %d (n=%d): %+v; want %v, %v", trial, n, e, want, short)
		}
		if e.bound <= 0 || math.IsNaN(e.bound) {
			t.Fatalf("trial %d: bound %v", trial, e.bound)
		}
	}
}

// whaleBets returns randomBets with whales more deals of a thousand times
// the largest amount, each won with a probability below one half.
func whaleBets(r *rand.Rand, n, whales int, max int64) ([]int64, []float64, int64) {
	u, p, need := randomBets(r, n, max)
	for range whales {
		u = append(u, 1000*max+r.Int64N(max))
		p = append(p, 0.02+0.48*r.Float64())
	}
	return u, p, need
}

// TestConditionedBoundHolds checks the estimate conditioned on the largest
// deals against enumeration, whatever the number of deals set aside, and
// for needs that some outcomes of the whales reach on their own.
func TestConditionedBoundHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for trial := range 30 {
		whales := 1 + trial%3
		u, p, need := whaleBets(r, 14+r.IntN(3), whales, []int64{10, 1000}[trial%2])
		if trial%4 == 3 {
			need += u[len(u)-1] // beyond one whale and the rest's mean
		}
		needF := float64(need) - 0.5
		want, short := exact(u, p, need, needF)
		for h := 1; h <= whales+1; h++ {
			e := conditionedOn(u, p, byAmount(u), h, need, needF)
			if e.method != MethodEdgeworth || math.Abs(e.value-want) > e.bound+refErr(len(u)) || math.Abs(e.short-short) > e.shortBound+1e-9*(1+short) {
				t.Fatalf("trial %d (n=%d, h=%d): %+v; want %v, %v", trial, len(u), h, e, want, short)
			}
		}
	}
}

// TestBestOfConditionsOnWhales checks that a pipeline of many small deals
// and two very large ones gets a tight bound, the whales' outcomes
// enumerated, and that its value agrees with the same conditioning over
// the exact lattice of the small deals.
func TestBestOfConditionsOnWhales(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	u, p, _ := whaleBets(r, 2000, 2, 100)
	p[len(p)-2], p[len(p)-1] = 0.03, 0.05
	var mean float64
	for i := range u {
		mean += p[i] * float64(u[i])
	}
	need := int64(mean)
	e := bestOf(u, p, need, float64(need))
	plain := edgeworth(u, p, need, float64(need))
	if e.method != MethodEdgeworth || e.bound > 2e-3 || plain.bound < 100*e.bound {
		t.Fatalf("conditioned %+v, plain expansion %+v", e, plain)
	}
	// The reference: each outcome of the two whales, the rest by the exact
	// lattice.
	n := len(u) - 2
	var ref, refBound, refShort float64
	for mask := range 4 {
		w, s := outcome(mask, u[n:], p[n:])
		l := latticeDP(u[:n], p[:n], need-s, float64(need-s), 1, 0)
		ref += w * l.value
		refBound += w * l.bound
		refShort += w * l.short
	}
	if math.Abs(e.value-ref) > e.bound+refBound || math.Abs(e.short-refShort) > e.shortBound+1e-6*(1+refShort) {
		t.Fatalf("conditioned %+v; lattice reference %v ± %v, shortfall %v", e, ref, refBound, refShort)
	}
}

// outcome returns the probability and the won amount of the outcome mask
// of the deals u, p: deal j won when bit j is set.
func outcome(mask int, u []int64, p []float64) (w float64, won int64) {
	w = 1
	for j := range u {
		if mask>>j&1 == 1 {
			w *= p[j]
			won += u[j]
		} else {
			w *= 1 - p[j]
		}
	}
	return w, won
}

func TestBestOfChoosesGrid(t *testing.T) {
	// Sixty deals of heterogeneous amounts: too wide for the exact
	// lattice, too few for a tight Edgeworth bound; the grid's bracket is
	// the tighter.
	r := rand.New(rand.NewPCG(15, 16))
	u, p, need := randomBets(r, 60, 10_000_000)
	e := bestOf(u, p, need, float64(need))
	if e.method != MethodGrid {
		t.Fatalf("method %s, bound %v", e.method, e.bound)
	}
	ed := edgeworth(u, p, need, float64(need))
	if e.bound >= ed.bound || math.Abs(e.value-ed.value) > e.bound+ed.bound {
		t.Fatalf("grid %+v, edgeworth %+v", e, ed)
	}
}

func TestBernsteinTail(t *testing.T) {
	// With β = 0 the integrand is the Gaussian e^{−y²/2}, whose integral
	// from x is √(π/2)·erfc(x/√2) < e^{−x²/2}/x, the bound.
	for _, x := range []float64{1, 3, 6} {
		got := bernsteinTail(x, 0)
		want := math.Sqrt(math.Pi/2) * math.Erfc(x/math.Sqrt2)
		if got < want || got > math.Exp(-x*x/2)/x*(1+1e-12) {
			t.Fatalf("x=%v: %v, want at least %v", x, got, want)
		}
	}
	// With β > 0 the bound still holds against a fine Riemann sum of the
	// decreasing integrand (an upper sum).
	for _, beta := range []float64{0.1, 1, 5} {
		for _, x := range []float64{1, 2, 5} {
			f := func(y float64) float64 { return math.Exp(-y * y / (2 * (1 + beta*y/3))) }
			var lower float64
			for y := x; y < x+400; y += 1e-3 {
				lower += f(y+1e-3) * 1e-3
			}
			if got := bernsteinTail(x, beta); got < lower {
				t.Fatalf("β=%v x=%v: %v below %v", beta, x, got, lower)
			}
		}
	}
}

func TestLogSum(t *testing.T) {
	if got := logSum(math.Log(2), math.Log(3)); math.Abs(got-math.Log(5)) > 1e-15 {
		t.Fatal(got)
	}
	if got := logSum(1, math.Inf(-1)); got != 1 {
		t.Fatal(got)
	}
	if got := logSum(math.Inf(-1), 2); got != 2 {
		t.Fatal(got)
	}
}

// TestEdgeworthBoundManyDeals checks the bound of the expansion of six
// hundred thousand deals of up to 100,000.00 in cents: the refinement's
// budget per deal no longer allows a split of the far grid's first
// interval, which lost more than h had grown to at its start and bounded
// nothing, so the bound came out above 1. It must stay near 10⁻³.
func TestEdgeworthBoundManyDeals(t *testing.T) {
	const n = 600_000
	r := rand.New(rand.NewPCG(600, 7))
	u := make([]int64, n)
	p := make([]float64, n)
	for i := range u {
		u[i] = r.Int64N(10_000_000) + 1
		p[i] = float64(r.Int64N(9998)+1) / 1e4
	}
	if x := newExpansion(u, p); !(x.sup < 2e-3) {
		t.Fatalf("bound %v, want below 2e-3", x.sup)
	}
}

// TestLatticeOfRestEdges checks the needs that a whale's outcome leaves at
// the edges of what the rest can do: nothing left to win, and exactly all
// of the rest.
func TestLatticeOfRestEdges(t *testing.T) {
	u := []int64{1, 2, 3, 1_000_000}
	p := []float64{0.5, 0.25, 0.75, 0.5}
	for _, need := range []int64{1, 6, 7, 999_999, 1_000_000, 1_000_001, 1_000_006, 1_000_007} {
		needF := float64(need) - 0.5
		want, short := exact(u, p, need, needF)
		e := latticeOfRest(u, p, largest(u, 1), need, needF)
		if math.Abs(e.value-want) > e.bound+refErr(len(u)) || math.Abs(e.short-short) > e.shortBound+1e-9*(1+short) {
			t.Errorf("need %d: %+v; want %v, %v", need, e, want, short)
		}
	}
}

// TestLatticeOfRestHolds checks the lattice of the deals below the largest
// few, for each outcome of those, against enumeration, whatever the number
// of deals set aside, and for needs that some outcomes of the large deals
// reach on their own.
func TestLatticeOfRestHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for trial := range 30 {
		whales := 1 + trial%3
		u, p, need := whaleBets(r, 14+r.IntN(3), whales, []int64{10, 1000}[trial%2])
		if trial%4 == 3 {
			need += u[len(u)-1]
		}
		needF := float64(need) - 0.5
		want, short := exact(u, p, need, needF)
		for h := 1; h <= whales+1; h++ {
			e := latticeOfRest(u, p, largest(u, h), need, needF)
			if e.method != MethodLattice || e.bound > 1e-12 || math.Abs(e.value-want) > e.bound+refErr(len(u)) ||
				math.Abs(e.short-short) > e.shortBound+1e-9*(1+short) {
				t.Fatalf("trial %d (n=%d, h=%d): %+v; want %v, %v", trial, len(u), h, e, want, short)
			}
		}
	}
	if got := largest([]int64{5, 9, 5, 9, 1}, 3); !slices.Equal(got, []int{1, 3, 0}) {
		t.Fatalf("largest: %v", got)
	}
}

// TestEdgeworthBoundRareWins: thousands of deals each rarely won have a
// large fourth cumulant, past which the analytic bound near zero grew
// without limit (to +Inf at one chance in a hundred) while the
// characteristic function kept falling. The bound must stay about one over
// the number of deals expected to be won, and hold against the exact
// lattice.
func TestEdgeworthBoundRareWins(t *testing.T) {
	for _, prob := range []float64{0.1, 0.03, 0.01} {
		r := rand.New(rand.NewPCG(3, 3))
		const n = 2000
		u := make([]int64, n)
		p := make([]float64, n)
		var mean, sigma2, h0 float64
		for i := range u {
			u[i], p[i] = r.Int64N(400)+1, prob
			mean += prob * float64(u[i])
			sigma2 += prob * (1 - prob) * float64(u[i]*u[i])
			h0 += prob * (1 - prob)
		}
		x := newExpansion(u, p)
		if !(x.sup <= 1/h0) {
			t.Fatalf("p=%v: bound %v, want at most 1/Σpq = %v", prob, x.sup, 1/h0)
		}
		for _, z := range []float64{-2, 0, 2} {
			need := int64(mean + z*math.Sqrt(sigma2))
			e := edgeworth(u, p, need, float64(need))
			l := latticeDP(u, p, need, float64(need), 1, 0)
			if math.Abs(e.value-l.value) > e.bound+l.bound {
				t.Fatalf("p=%v, need %d: expansion %v ± %v, lattice %v ± %v", prob, need, e.value, e.bound, l.value, l.bound)
			}
		}
	}
}

// TestConditionedOnTheWidestDrop: three deals of thousands among a
// thousand of cents to a few euros, the largest small ones a little above
// a tenth of the small deals' spread, so that no few deals leave the rest
// within whaleRatio. The three are set aside all the same (the amounts
// drop a thousandfold after them), where the grid, taken instead, ignored
// the small deals (0.7575 ± 0.157 at every need). The value must agree
// with the lattice of the small deals under each outcome of the three.
func TestConditionedOnTheWidestDrop(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	const n = 1000
	var u []int64
	var p []float64
	var mean, sigma2 float64
	for range n {
		a, q := r.Int64N(400)+1, float64(r.IntN(61)+20)/100
		u, p = append(u, a), append(p, q)
		mean += q * float64(a)
		sigma2 += q * (1 - q) * float64(a*a)
	}
	u = append(u, 1_000_000, 700_000, 1_300_000)
	p = append(p, 0.5, 0.3, 0.9)
	for _, z := range []float64{-2, 0, 2} {
		need := 1_300_000 + int64(mean+z*math.Sqrt(sigma2))
		e := bestOf(u, p, need, float64(need))
		if e.method != MethodEdgeworth || e.bound > 1e-3 {
			t.Fatalf("need %d: %+v, want the expansion conditioned on the three, bound at most 1e-3", need, e)
		}
		var ref, refBound float64
		for mask := range 8 {
			w, s := outcome(mask, u[n:], p[n:])
			switch left := need - s; {
			case left <= 0:
				ref += w
			case left <= int64(n)*400:
				l := latticeDP(u[:n], p[:n], left, float64(left), 1, 0)
				ref += w * l.value
				refBound += w * l.bound
			}
		}
		if math.Abs(e.value-ref) > e.bound+refBound {
			t.Fatalf("need %d: %v ± %v; lattice reference %v ± %v", need, e.value, e.bound, ref, refBound)
		}
	}
}

// TestLatticeBelowNeed checks the exact method for needs small beside the
// pipeline against enumeration: needs below some of the amounts (which
// reach them alone), below all of them, and above what the smaller ones
// can win together.
func TestLatticeBelowNeed(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for trial := range 60 {
		n := 10 + r.IntN(8)
		u, p, _ := randomBets(r, n, 1000)
		need := 1 + r.Int64N([]int64{5, 600, 3000}[trial%3])
		needF := float64(need) - 0.5*float64(trial%2)
		want, short := exact(u, p, need, needF)
		e, ok := latticeBelowNeed(u, p, need, needF, 1e9)
		if !ok || e.method != MethodLattice || math.Abs(e.value-want) > e.bound+refErr(n) || math.Abs(e.short-short) > e.shortBound+1e-9*(1+short) {
			t.Fatalf("trial %d (n=%d, need %d): %+v (ok %t); want %v, %v", trial, n, need, e, ok, want, short)
		}
		if e.bound > 2*roundingBound(n) {
			t.Fatalf("trial %d: bound %v, want the rounding alone", trial, e.bound)
		}
	}
}

// TestLatticeBelowNeedBeyondBudget: a lattice too wide for the budget is
// refused before anything is built for it, as on every large pipeline
// whose need is not small.
func TestLatticeBelowNeedBeyondBudget(t *testing.T) {
	u, p := make([]int64, 10_000), make([]float64, 10_000)
	for i := range u {
		u[i], p[i] = int64(1_000+i), 0.3
	}
	const need = 2_000_000
	allocs := testing.AllocsPerRun(10, func() {
		if _, ok := latticeBelowNeed(u, p, need, need, 1e9); ok {
			t.Fatal("a lattice of 10,000 deals 2,000,000 wide is within a budget of 1e9")
		}
	})
	if allocs != 0 {
		t.Errorf("refusing the lattice allocates %v times", allocs)
	}
}

// TestBestOfSmallNeed: a goal of one cent from four hundred deals of 1.00
// to 5,000.00, each won one time in twenty, is reached unless every deal is
// lost. The expansion gave 1.00006 ± 0.026 (and the grid, on other such
// pipelines, 0.955 ± 0.045); it is exact now.
func TestBestOfSmallNeed(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	const n = 400
	u := make([]int64, n)
	p := make([]float64, n)
	for i := range u {
		u[i], p[i] = 100+r.Int64N(500_000), 0.05
	}
	e := bestOf(u, p, 1, 1)
	want := 1 - math.Pow(0.95, n)
	if e.method != MethodLattice || math.Abs(e.value-want) > e.bound || e.bound > 2*roundingBound(n) {
		t.Fatalf("%+v, want %v within the rounding bound", e, want)
	}
	if short := math.Pow(0.95, n); math.Abs(e.short-short) > 1e-20 {
		t.Fatalf("shortfall %v, want %v", e.short, short)
	}
}

// TestBernsteinNarrowsTheTails checks the Edgeworth estimate, and the
// estimate conditioned on the largest deals, against enumeration for needs
// two to seven standard deviations from the mean, where Bernstein's
// inequality narrows the expansion's bound: each lies within its bound of
// the exact chance, and far out the bound is the inequality's, below the
// expansion's own.
func TestBernsteinNarrowsTheTails(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	var narrowed int
	for trial := range 60 {
		n := 14 + r.IntN(5)
		u, p, _ := randomBets(r, n, []int64{10, 1000, 1_000_000}[trial%3])
		var mean, v float64
		for i, x := range u {
			mean += p[i] * float64(x)
			v += p[i] * (1 - p[i]) * float64(x) * float64(x)
		}
		sign := float64(1 - 2*(trial%2))
		need := max64(int64(mean+sign*float64(2+trial%6)*math.Sqrt(v)), 1)
		needF := float64(need)
		want, _ := exact(u, p, need, needF)
		e := edgeworth(u, p, need, needF)
		if math.Abs(e.value-want) > e.bound+refErr(n) {
			t.Fatalf("trial %d (n=%d, need %d): %+v; want %v", trial, n, need, e, want)
		}
		if x := newExpansion(u, p); e.bound < x.sup {
			narrowed++
		}
		// The same need, with the two largest deals set aside.
		c := conditionedOn(u, p, byAmount(u), 2, need, needF)
		if math.Abs(c.value-want) > c.bound+refErr(n) {
			t.Fatalf("trial %d (n=%d, need %d) conditioned: %+v; want %v", trial, n, need, c, want)
		}
	}
	if narrowed < 20 {
		t.Errorf("Bernstein's bound was the narrower in %d of 60 trials; want most of those far in a tail", narrowed)
	}
}
