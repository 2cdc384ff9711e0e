package salesprocess_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

// BenchmarkSum1M sums 1,000,000 two-decimal amounts of one currency with
// Sum and with an Accumulator, next to the baseline of decimal.Add in a
// loop. Compare the ns/amount figures; the target is Sum at least five
// times faster than the baseline and no allocation per amount.
func BenchmarkSum1M(b *testing.B) {
	const n = 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	amounts := make([]sp.Money, n)
	for i := range amounts {
		m, err := sp.NewMoneyFromMinor(rng.Int64N(10_000_000)+1, "EUR") // 0.01 to 100000.00
		if err != nil {
			b.Fatal(err)
		}
		amounts[i] = m
	}
	want := decimal.Zero
	for _, m := range amounts {
		want = want.Add(m.Amount())
	}

	perAmount := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/amount")
	}
	check := func(b *testing.B, got decimal.Decimal) {
		if !got.Equal(want) {
			b.Fatalf("sum %s, want %s", got, want)
		}
	}

	b.Run("salesprocess.Sum", func(b *testing.B) {
		b.ReportAllocs()
		var total sp.Money
		for i := 0; i < b.N; i++ {
			var err error
			if total, err = sp.Sum("EUR", slices.Values(amounts)); err != nil {
				b.Fatal(err)
			}
		}
		perAmount(b)
		check(b, total.Amount())
	})
	b.Run("Accumulator", func(b *testing.B) {
		b.ReportAllocs()
		var total sp.Money
		for i := 0; i < b.N; i++ {
			acc := sp.NewAccumulator("EUR")
			for _, m := range amounts {
				if err := acc.Add(m); err != nil {
					b.Fatal(err)
				}
			}
			total = acc.Total()
		}
		perAmount(b)
		check(b, total.Amount())
	})
	b.Run("decimal.Add", func(b *testing.B) {
		b.ReportAllocs()
		var total decimal.Decimal
		for i := 0; i < b.N; i++ {
			total = decimal.Zero
			for _, m := range amounts {
				total = total.Add(m.Amount())
			}
		}
		perAmount(b)
		check(b, total)
	})
}
