package quota_test

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// dealColumns is a million deals of 2026 across 100 reps, kept by column
// the way a database returns them: a cursor refills one Deal per row.
type dealColumns struct {
	reps    []sp.RepID
	owner   []int32
	product []int32
	amount  []sp.Money
	mixed   []sp.Money // the same amounts written with 0, 1 or 2 decimals
	stage   []pipeline.DealStage
	closed  []time.Time
}

var (
	benchOnce sync.Once
	benchData *dealColumns
)

// benchDeals returns the shared data set: 40 % won, 40 % lost, 20 % open;
// amounts of 1.00 to 100,000.00 EUR in cents; close times spread over 2026.
func benchDeals() *dealColumns {
	benchOnce.Do(func() {
		const n = 1_000_000
		r := rand.New(rand.NewPCG(2026, 11))
		c := &dealColumns{
			reps:    benchReps(100),
			owner:   make([]int32, n),
			product: make([]int32, n),
			amount:  make([]sp.Money, n),
			mixed:   make([]sp.Money, n),
			stage:   make([]pipeline.DealStage, n),
			closed:  make([]time.Time, n),
		}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			c.owner[i] = int32(r.IntN(100))
			c.product[i] = int32(r.IntN(10))
			c.amount[i] = cents(r.Int64N(10_000_000) + 100)
			// As typed into a form: "1500", "1499.9", "1499.95".
			whole := r.Int64N(100_000) + 1
			switch i % 3 {
			case 0:
				c.mixed[i], _ = sp.NewMoney(decimal.New(whole, 0), "EUR")
			case 1:
				c.mixed[i], _ = sp.NewMoney(decimal.New(whole*10+r.Int64N(10), -1), "EUR")
			default:
				c.mixed[i] = cents(whole*100 + r.Int64N(100))
			}
			c.closed[i] = start.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
			switch x := r.IntN(10); {
			case x < 4:
				c.stage[i] = pipeline.DealWon
			case x < 8:
				c.stage[i] = pipeline.DealLost
			default:
				c.stage[i], c.closed[i] = pipeline.DealProposal, time.Time{}
			}
		}
		benchData = c
	})
	return benchData
}

var benchProducts = []sp.ProductID{"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"}

// benchReps returns n rep IDs with as many digits as n has, so that they
// sort in order: "rep-000" to "rep-099" for 100.
func benchReps(n int) []sp.RepID {
	width := len(fmt.Sprint(n))
	reps := make([]sp.RepID, n)
	for i := range reps {
		reps[i] = sp.RepID(fmt.Sprintf("rep-%0*d", width, i))
	}
	return reps
}

// cursor yields the deals one row at a time in one reused variable, as a
// database cursor does, with the columns attainment reads (owner, product,
// amount, stage, close time), as a host's query would select them.
func (c *dealColumns) cursor() iter.Seq[*pipeline.Deal] { return c.rows(c.amount) }

// cursorMixed is cursor with the amounts of mixed decimal places.
func (c *dealColumns) cursorMixed() iter.Seq[*pipeline.Deal] { return c.rows(c.mixed) }

func (c *dealColumns) rows(amounts []sp.Money) iter.Seq[*pipeline.Deal] {
	return func(yield func(*pipeline.Deal) bool) {
		var d pipeline.Deal
		for i := range c.owner {
			d.Owner = c.reps[c.owner[i]]
			d.Product = benchProducts[c.product[i]]
			d.Amount = amounts[i]
			d.Stage = c.stage[i]
			d.Closed = c.closed[i]
			if !yield(&d) {
				return
			}
		}
	}
}

// withForecast is cursor with the columns a forecast reads as well: the
// creation time, and, of an open deal, its probability and its expected
// close, one open deal in ten in December 2026, the others in 2027.
func (c *dealColumns) withForecast() iter.Seq[*pipeline.Deal] {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	december, later := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	half := decimal.New(5, -1)
	return func(yield func(*pipeline.Deal) bool) {
		i := 0
		for d := range c.cursor() {
			d.Created, d.Probability, d.ExpectedClose = created, decimal.Decimal{}, time.Time{}
			if d.Stage == pipeline.DealProposal {
				d.Probability, d.ExpectedClose = half, later
				if i%10 == 0 {
					d.ExpectedClose = december.AddDate(0, 0, i/10%31)
				}
			}
			i++
			if !yield(d) {
				return
			}
		}
	}
}

// slice returns the deals as a slice of records.
func (c *dealColumns) slice() []pipeline.Deal {
	ds := make([]pipeline.Deal, 0, len(c.owner))
	for d := range c.cursor() {
		ds = append(ds, *d)
	}
	return ds
}

func benchGoals(c *dealColumns) []quota.Goal {
	goals := make([]quota.Goal, len(c.reps))
	for i, rep := range c.reps {
		goals[i] = quota.Goal{Rep: rep, Period: sp.Year(2026, nil), Revenue: eur("150000000.00")}
	}
	return goals
}

// repTotals is the result of a baseline: per rep, the attained amount and
// percentage of the goal and the win rate, all exact.
type repTotals struct {
	won     decimal.Decimal
	percent decimal.Decimal
	winRate decimal.Decimal
}

// baselineAttainWinRate is the same computation as [quota.Attain] for the
// benchmark's goals — every rep's won amount in 2026 against its goal, and
// its win rate — summing with decimal.Add into a map[string], as the issue
// describes it: a map of sums and maps of counts.
func baselineAttainWinRate(deals iter.Seq[*pipeline.Deal], goals []quota.Goal, asOf time.Time) map[string]repTotals {
	period := goals[0].Period
	won := map[string]decimal.Decimal{}
	wins := map[string]int64{}
	losses := map[string]int64{}
	for d := range deals {
		if d.Stage != pipeline.DealWon && d.Stage != pipeline.DealLost {
			continue
		}
		if !period.Contains(d.Closed) || d.Closed.After(asOf) {
			continue
		}
		owner := string(d.Owner)
		if d.Stage == pipeline.DealWon {
			won[owner] = won[owner].Add(d.Amount.Amount())
			wins[owner]++
		} else {
			losses[owner]++
		}
	}
	return baselineResults(goals, won, wins, losses)
}

// baselineStructs is the baseline tuned: one map lookup per deal, into a
// struct per rep, still summing with decimal.Add.
func baselineStructs(deals iter.Seq[*pipeline.Deal], goals []quota.Goal, asOf time.Time) map[string]repTotals {
	type counts struct {
		won          decimal.Decimal
		wins, losses int64
	}
	period := goals[0].Period
	all := map[string]*counts{}
	for d := range deals {
		if d.Stage != pipeline.DealWon && d.Stage != pipeline.DealLost {
			continue
		}
		if !period.Contains(d.Closed) || d.Closed.After(asOf) {
			continue
		}
		c := all[string(d.Owner)]
		if c == nil {
			c = &counts{}
			all[string(d.Owner)] = c
		}
		if d.Stage == pipeline.DealWon {
			c.won = c.won.Add(d.Amount.Amount())
			c.wins++
		} else {
			c.losses++
		}
	}
	won := map[string]decimal.Decimal{}
	wins := map[string]int64{}
	losses := map[string]int64{}
	for k, c := range all {
		won[k], wins[k], losses[k] = c.won, c.wins, c.losses
	}
	return baselineResults(goals, won, wins, losses)
}

func baselineResults(goals []quota.Goal, won map[string]decimal.Decimal, wins, losses map[string]int64) map[string]repTotals {
	out := make(map[string]repTotals, len(goals))
	for _, g := range goals {
		k := string(g.Rep)
		out[k] = repTotals{
			won:     won[k],
			percent: won[k].Mul(decimal.New(100, 0)).DivRound(g.Revenue.Amount(), 2),
			winRate: decimal.NewFromInt(wins[k]).DivRound(decimal.NewFromInt(wins[k]+losses[k]), 4),
		}
	}
	return out
}

// readDeals is what any pass over the deals pays before computing
// anything: each deal read through the iterator, classified won, lost or
// open by its stage, and its close time, read once as integers, compared
// with the bounds of the period and with asOf. It returns the numbers of
// won and lost deals in the period. It is not inlined, so that, like
// quota.Attain and the baselines, it gets the iterator as an opaque
// function and is called back once per deal.
//
//go:noinline
func readDeals(deals iter.Seq[*pipeline.Deal], period sp.Period, asOf time.Time) (won, lost int64) {
	end := period.End()
	if asOf.Before(end) {
		end = asOf.Add(1) // close times up to asOf itself count
	}
	from, to := period.Start().UnixNano(), end.UnixNano()
	for d := range deals {
		w := d.Stage == pipeline.DealWon
		if !w && d.Stage != pipeline.DealLost {
			continue
		}
		if at := d.Closed.UnixNano(); at < from || at >= to {
			continue
		}
		if w {
			won++
		} else {
			lost++
		}
	}
	return won, lost
}

var benchSink any

// BenchmarkAttainWinRate is benchmark (a) of the issue: attainment and
// win rate per rep for a million deals across 100 reps, exact, by
// quota.Attain against the baseline that sums with decimal.Add into a
// map[string] (and against that baseline tuned to one map lookup per
// deal). The cursor variants stream the deals as a database cursor would,
// refilling one record; the slice variants read them from a
// []pipeline.Deal of the same million records; the mixed variants have
// amounts written with 0, 1 or 2 decimals, as typed, which decimal.Add must
// rescale. The read variants only read the deals as every pass must
// (readDeals): no computation can take less, so baseline/read is the most
// any ratio to the baseline can be.
func BenchmarkAttainWinRate(b *testing.B) {
	c := benchDeals()
	goals := benchGoals(c)
	asOf := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	// verify fails b unless Attain, on deals, agrees with both baselines
	// on every rep, and counts the won and lost deals readDeals reads.
	verify := func(b *testing.B, deals iter.Seq[*pipeline.Deal]) {
		b.Helper()
		got, err := quota.Attain(goals, deals, asOf, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, base := range []map[string]repTotals{baselineAttainWinRate(deals, goals, asOf), baselineStructs(deals, goals, asOf)} {
			for _, a := range got {
				w := base[string(a.Goal.Rep)]
				if !a.Attained.Money.Amount().Equal(w.won) || !a.Percent.Equal(w.percent) || a.WinRate.Decimal(4).Cmp(w.winRate) != 0 {
					b.Fatalf("%s: %s %s %s, baseline %s %s %s", a.Goal.Rep, a.Attained, a.Percent, a.WinRate, w.won, w.percent, w.winRate)
				}
			}
		}
		var won, lost int64
		for _, a := range got {
			won, lost = won+a.Won, lost+a.Lost
		}
		if w, l := readDeals(deals, goals[0].Period, asOf); w != won || l != lost {
			b.Fatalf("read %d won and %d lost deals, Attain counted %d and %d", w, l, won, lost)
		}
	}
	verified := map[string]bool{}
	type source struct {
		name  string
		deals func() iter.Seq[*pipeline.Deal]
	}
	var ds []pipeline.Deal
	for _, src := range []source{
		{"cursor", c.cursor},
		{"mixed", c.cursorMixed},
		{"slice", func() iter.Seq[*pipeline.Deal] {
			if ds == nil {
				ds = c.slice()
			}
			return quota.Refs(ds)
		}},
	} {
		b.Run("quota/"+src.name, func(b *testing.B) {
			deals := src.deals()
			if !verified[src.name] {
				verify(b, deals) // once per source, before the first timing
				verified[src.name] = true
			}
			b.ResetTimer()
			for range b.N {
				out, err := quota.Attain(goals, deals, asOf, nil)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = out
			}
		})
		b.Run("baseline/"+src.name, func(b *testing.B) {
			deals := src.deals()
			b.ResetTimer()
			for range b.N {
				benchSink = baselineAttainWinRate(deals, goals, asOf)
			}
		})
		b.Run("read/"+src.name, func(b *testing.B) {
			deals := src.deals()
			b.ResetTimer()
			for range b.N {
				benchSink, _ = readDeals(deals, goals[0].Period, asOf)
			}
		})
		b.Run("baseline_structs/"+src.name, func(b *testing.B) {
			deals := src.deals()
			b.ResetTimer()
			for range b.N {
				benchSink = baselineStructs(deals, goals, asOf)
			}
		})
	}
}

// BenchmarkReach is benchmark (b) of the issue: the chance of reaching a
// goal from 1,000 and from 10,000 open deals with amounts in cents, and
// from 1,000 in whole thousands, whose chance is exact on the lattice.
// Each goal lies 0.2 standard deviations above the expected total, so
// each chance is near 1 - Φ(0.2) = 0.42, which is checked before timing.
func BenchmarkReach(b *testing.B) {
	for _, bc := range []struct {
		name     string
		n        int
		unit     int64
		method   quota.Method
		maxBound float64
	}{
		{"deals=1000", 1000, 1, "", 1e-2},
		{"deals=10000", 10_000, 1, "", 1e-3},
		{"deals=1000/lattice", 1000, 100_000, quota.MethodLattice, 1e-9},
	} {
		ps := randomProspects(uint64(bc.n), bc.n, 10_000_000, bc.unit)
		goal := nearMean(ps, 0.2)
		c, err := quota.Reach(goal, cents(0), slices.Values(ps))
		if err != nil || c.Deals != bc.n || math.Abs(c.Value-0.42) > 0.03 || c.ErrorBound > bc.maxBound || bc.method != "" && c.Method != bc.method {
			b.Fatalf("%s: %+v, %v; want a chance near 0.42 within %g", bc.name, c, err, bc.maxBound)
		}
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				c, err := quota.Reach(goal, cents(0), slices.Values(ps))
				if err != nil {
					b.Fatal(err)
				}
				benchSink = c
			}
		})
	}
}

// BenchmarkReview is the load of a review over 1,000 reps × 10 products
// and a million deals: win rates by rep and product, attainment and the
// forecast (P(goal), coverage) of 1,000 rep goals, the weighted pipeline by
// rep, and the velocity by rep and product. Each rep's goal is for
// December as of December 1, with some 20 open deals expected then, which
// bring the goal on average: its chance is far from 0 and 1.
func BenchmarkReview(b *testing.B) {
	c := benchDeals()
	reps := benchReps(1000)
	wide := *c
	wide.reps = reps
	wide.owner = slices.Clone(c.owner)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range wide.owner {
		wide.owner[i] = int32(r.IntN(1000))
	}
	goals := benchGoals(&wide)
	dec := sp.Month(2026, time.December, nil)
	for i := range goals {
		goals[i].Period = dec
		goals[i].Revenue = eur("500000.00") // about what 20 deals at 0.5 bring
	}
	year := sp.Year(2026, nil)
	asOf := dec.Start()
	outlooks, err := quota.Forecast(goals, wide.withForecast(), asOf, nil)
	if err != nil {
		b.Fatal(err)
	}
	var open int64
	var chances int
	for _, o := range outlooks {
		open += o.Open
		if o.Chance.Method != quota.MethodCertain && o.Chance.Value > 0.01 && o.Chance.Value < 0.99 {
			chances++
		}
	}
	weighted, err := quota.WeightedPipeline(wide.withForecast(), sp.Period{}, quota.Grouping{Rep: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if open < 15*int64(len(goals)) || open > 25*int64(len(goals)) || chances < len(goals)/2 || weighted.Total.Weighted.Sign() <= 0 || len(weighted.Groups) != len(reps) {
		b.Fatalf("the forecast has %d open deals expected in December for %d goals, %d chances computed, and the weighted pipeline is %s in %d groups",
			open, len(goals), chances, weighted.Total.Weighted, len(weighted.Groups))
	}
	b.ResetTimer()
	for range b.N {
		if _, err := quota.WinRates(wide.withForecast(), year, quota.Grouping{Rep: true, Product: true}, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := quota.Attain(goals, wide.withForecast(), asOf, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := quota.Forecast(goals, wide.withForecast(), asOf, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := quota.WeightedPipeline(wide.withForecast(), sp.Period{}, quota.Grouping{Rep: true}, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := quota.Velocity(wide.withForecast(), year, quota.Grouping{Rep: true, Product: true}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
