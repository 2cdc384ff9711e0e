package salesprocess

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestFractionRound64MatchesDivRound checks that Fraction.Decimal's path
// in 64-bit integers gives the decimal, value and exponent, that
// decimal.DivRound gives, for counts small and near the bounds of an
// int64, of either sign, with ties, at every place it takes.
func TestFractionRound64MatchesDivRound(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 20))
	edge := []int64{0, 1, -1, 2, 3, 7, 10, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1, 1 << 32, -(1 << 40)}
	pick := func() int64 {
		switch r.IntN(4) {
		case 0:
			return edge[r.IntN(len(edge))]
		case 1:
			return r.Int64N(2001) - 1000
		case 2:
			return r.Int64N(1_000_000_000)
		}
		return r.Int64() - r.Int64()
	}
	fast := 0
	for i := 0; i < 40000; i++ {
		f := Fraction{Num: pick(), Den: pick()}
		if i%5 == 0 && f.Den != 0 { // a tie: an odd number of halves
			f.Num = f.Den/2*int64(1+2*r.IntN(5)) + int64(r.IntN(2))
		}
		if f.Den == 0 {
			continue
		}
		for places := int32(0); places <= 18; places++ {
			c, ok := f.round64(places)
			if !ok {
				continue
			}
			fast++
			got := decimal.New(c, -places)
			want := decimal.NewFromInt(f.Num).DivRound(decimal.NewFromInt(f.Den), places)
			if !got.Equal(want) || got.Exponent() != want.Exponent() || got.String() != want.String() {
				t.Fatalf("%d/%d to %d places: %s (exponent %d), want %s (exponent %d)", f.Num, f.Den, places, got, got.Exponent(), want, want.Exponent())
			}
		}
	}
	if fast < 200000 {
		t.Fatalf("only %d cases took the 64-bit path", fast)
	}
}
