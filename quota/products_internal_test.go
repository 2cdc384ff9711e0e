package quota

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// indexCase is a random set of goals and deals for comparing the index of
// goals by product with a scan of every goal.
type indexCase struct {
	goals []Goal
	deals []pipeline.Deal
	asOf  time.Time
	opts  *Options
}

// randomIndexCase returns goals of reps, regions and the company, of one
// product or of all, for months, quarters, years and spans of days in
// 2025 to 2027 and in three zones (overlapping), in
// won deals or in revenue, and deals open, won and lost over them, with
// split credit for some; with bad, some deals are in another currency or
// have a negative amount, so that the pass ends in an error.
func randomIndexCase(seed uint64, bad bool) indexCase {
	r := rand.New(rand.NewPCG(seed, 11))
	reps := []sp.RepID{"r1", "r2", "r3"}
	regions := []sp.RegionID{"north", "south"}
	products := []sp.ProductID{"", "p1", "p2", "p3", "p4"}
	eur := func(n int64) sp.Money { m, _ := sp.NewMoneyFromMinor(n, "EUR"); return m }
	var c indexCase
	berlin, _ := time.LoadLocation("Europe/Berlin")
	newYork, _ := time.LoadLocation("America/New_York")
	zones := []*time.Location{time.UTC, berlin, newYork}
	for range 20 + r.IntN(60) {
		var p sp.Period
		zone, year := zones[r.IntN(len(zones))], 2025+r.IntN(3)
		switch r.IntN(6) {
		case 0:
			p = sp.Quarter(year, 1+r.IntN(4), zone)
		case 1:
			p = sp.Year(year, zone)
		case 2:
			// A span of days to weeks, starting at any second.
			start := time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), 0, zone)
			p, _ = sp.NewPeriod(start, start.Add(time.Duration(1+r.IntN(40*24*3600))*time.Second))
		default:
			p = sp.Month(year, time.Month(1+r.IntN(12)), zone)
		}
		g := Goal{Product: products[r.IntN(len(products))], Period: p}
		switch r.IntN(3) {
		case 0:
			g.Rep = reps[r.IntN(len(reps))]
		case 1:
			g.Region = regions[r.IntN(len(regions))]
		}
		if r.IntN(3) == 0 {
			g.Deals = 1 + r.Int64N(20)
		} else {
			g.Revenue = eur(1 + r.Int64N(1e6))
		}
		c.goals = append(c.goals, g)
	}
	c.asOf = time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	at := func() time.Time {
		return time.Date(2025+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
	}
	for i := range 300 {
		d := pipeline.Deal{
			ID:          sp.DealID(fmt.Sprintf("d%d", i)),
			Owner:       reps[r.IntN(len(reps))],
			Region:      regions[r.IntN(len(regions))],
			Product:     products[1+r.IntN(len(products)-1)],
			Amount:      eur(r.Int64N(1e5)),
			Probability: decimal.New(r.Int64N(101), -2),
		}
		switch r.IntN(3) {
		case 0:
			d.Stage, d.ExpectedClose = pipeline.DealProposal, at()
		case 1:
			d.Stage, d.Closed, d.Probability = pipeline.DealWon, at(), decimal.New(1, 0)
		default:
			d.Stage, d.Closed, d.Probability = pipeline.DealLost, at(), decimal.Zero
		}
		if bad && r.IntN(100) == 0 {
			if r.IntN(2) == 0 {
				d.Amount, _ = sp.NewMoneyFromMinor(100, "USD")
			} else {
				d.Amount = eur(-100)
			}
		}
		c.deals = append(c.deals, d)
	}
	c.opts = &Options{Splits: func(d *pipeline.Deal) []Split {
		if d.ID[len(d.ID)-1]%3 != 0 {
			return nil
		}
		other := "r1"
		if d.Owner == "r1" {
			other = "r2"
		}
		return []Split{{Rep: d.Owner, Percent: decimal.New(60, 0)}, {Rep: sp.RepID(other), Percent: decimal.New(40, 0)}}
	}}
	return c
}

// TestForecastIndexedByProduct checks that Forecast gives the same
// outlooks, or the same error, whether every list of goals is indexed by
// product and period or none is.
func TestForecastIndexedByProduct(t *testing.T) { checkIndexedByProduct(t, Forecast) }

// TestAttainIndexedByProduct checks that Attain gives the same
// attainments, or the same error, whether every list of goals is indexed
// by product and period or none is.
func TestAttainIndexedByProduct(t *testing.T) { checkIndexedByProduct(t, Attain) }

// checkIndexedByProduct compares calc's results, or its errors, on random
// cases with every list of goals indexed by product and with none.
func checkIndexedByProduct[T any](t *testing.T, calc func([]Goal, iter.Seq[*pipeline.Deal], time.Time, *Options) ([]T, error)) {
	t.Helper()
	defer func(from int) { indexFrom = from }(indexFrom)
	for seed := range uint64(200) {
		c := randomIndexCase(seed, seed%4 == 3)
		opts := c.opts
		if seed%2 == 0 {
			opts = nil
		}
		indexFrom = math.MaxInt
		want, wantErr := calc(c.goals, Refs(c.deals), c.asOf, opts)
		indexFrom = 0
		got, err := calc(c.goals, Refs(c.deals), c.asOf, opts)
		if wantErr != nil {
			require.EqualError(t, err, wantErr.Error(), "seed %d", seed)
			continue
		}
		require.NoError(t, err, "seed %d", seed)
		require.Equal(t, want, got, "seed %d", seed)
	}
}

// TestIndexedByProductOrder checks that a deal meets its goals in their
// order when they are indexed by product, so that the error of a deal
// that two goals refuse names the first of them.
func TestIndexedByProductOrder(t *testing.T) {
	defer func(from int) { indexFrom = from }(indexFrom)
	indexFrom = 0
	jan := sp.Month(2026, time.January, time.UTC)
	eur, _ := sp.NewMoneyFromMinor(100, "EUR")
	gbp, _ := sp.NewMoneyFromMinor(100, "GBP")
	usd, _ := sp.NewMoneyFromMinor(100, "USD")
	goals := []Goal{
		{Product: "p1", Period: jan, Revenue: eur},
		{Period: jan, Revenue: gbp},
	}
	closed := time.Date(2026, time.January, 10, 0, 0, 0, 0, time.UTC)
	won := []pipeline.Deal{{ID: "d1", Product: "p1", Amount: usd, Stage: pipeline.DealWon, Closed: closed, Probability: decimal.New(1, 0)}}
	_, err := Attain(goals, Refs(won), closed, nil)
	require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	require.ErrorContains(t, err, `add "EUR" and "USD"`)
	open := []pipeline.Deal{{ID: "d1", Product: "p1", Amount: usd, Stage: pipeline.DealProposal, ExpectedClose: closed, Probability: decimal.New(5, -1)}}
	_, err = Forecast(goals, Refs(open), closed.AddDate(0, 0, -5), nil)
	require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	require.ErrorContains(t, err, `add "EUR" and "USD"`)
}
