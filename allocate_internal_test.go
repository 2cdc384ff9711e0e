package salesprocess

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestAllocate64MatchesBig checks that the 64-bit allocation gives, part
// for part, the amounts, exponents and text of the allocation in big
// integers, for random amounts near and far from the bounds of an int64
// and random weights, integer and decimal, with ties among remainders.
func TestAllocate64MatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 26))
	currencies := []Currency{"EUR", "JPY", "KWD", "CLF"}
	amounts := func() int64 {
		switch r.IntN(4) {
		case 0:
			return r.Int64N(2000) - 1000
		case 1:
			return math.MaxInt64 - r.Int64N(1000)
		case 2:
			return math.MinInt64 + r.Int64N(1000)
		}
		return r.Int64() - r.Int64()
	}
	fast := 0
	for i := 0; i < 20000; i++ {
		m, err := NewMoney(decimal.New(amounts(), -r.Int32N(8)), currencies[r.IntN(len(currencies))])
		if err != nil {
			t.Fatal(err)
		}
		n := 1 + r.IntN(12)
		ints := make([]int64, n)
		decs := make([]decimal.Decimal, n)
		for j := range ints {
			switch r.IntN(4) {
			case 0:
				ints[j] = 0
			case 1:
				ints[j] = 1 + r.Int64N(3) // many equal weights: ties
			case 2:
				ints[j] = r.Int64N(math.MaxInt64)
			default:
				ints[j] = r.Int64N(1_000_000)
			}
			decs[j] = decimal.New(ints[j]%1_000_000_000, -r.Int32N(12))
		}
		if n == 1 && ints[0] == 0 {
			ints[0] = 1
		}
		check := func(name string, small []uint64, ws []*big.Int) {
			t.Helper()
			got, ok := m.allocate64(small)
			want, err := m.allocate(ws)
			if !ok {
				return
			}
			fast++
			if err != nil {
				t.Fatalf("%s: %s by %v: allocate64 gave %v, allocate %v", name, m, small, got, err)
			}
			for k := range want {
				if got[k].String() != want[k].String() || got[k].Amount().Exponent() != want[k].Amount().Exponent() ||
					!got[k].Equal(want[k]) || got[k].small != want[k].small || got[k].coef != want[k].coef || got[k].exp != want[k].exp {
					t.Fatalf("%s: %s by %v: part %d is %s (exponent %d), want %s (exponent %d)", name, m, small, k,
						got[k], got[k].Amount().Exponent(), want[k], want[k].Amount().Exponent())
				}
			}
		}
		small := make([]uint64, n)
		ws := make([]*big.Int, n)
		for j, w := range ints {
			small[j], ws[j] = uint64(w), big.NewInt(w)
		}
		check("ints", small, ws)

		minExp := int32(0)
		for _, w := range decs {
			minExp = min(minExp, zeroInBounds(w).Exponent())
		}
		if small, ok := smallWeights(decs, minExp); ok {
			for j, w := range decs {
				w = zeroInBounds(w)
				c := w.Coefficient()
				ws[j] = c.Mul(c, pow10Big(w.Exponent()-minExp))
			}
			check("decimals", small, ws)
		}
	}
	if fast < 10000 {
		t.Fatalf("only %d of the cases took the 64-bit path", fast)
	}
}
