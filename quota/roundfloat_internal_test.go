package quota

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestRoundFloatMatchesDecimal checks that roundFloat's path without big
// integers gives the decimal, value and exponent, that rounding
// decimal.NewFromFloat gives, for floats of every kind the statistics
// make and more: in [0, 1] and [-1, 1], ties at every place, tiny and
// huge magnitudes, subnormals and random bit patterns.
func TestRoundFloatMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	xs := []float64{0, math.Copysign(0, -1), 0.5, -0.5, 0.125, -0.125, 0.0625, 2.5, 0.05, 0.95, 0.995, 0.9995, 1, -1,
		1e-300, 5e-324, -5e-324, math.MaxFloat64, -math.MaxFloat64, 1e18, 9.2e18, 1e17, 123456789.123456789, math.Nextafter(1, 0)}
	for i := 0; i < 40000; i++ {
		switch i % 6 {
		case 0:
			xs = append(xs, r.Float64())
		case 1:
			xs = append(xs, 2*r.Float64()-1)
		case 2: // a tie at some place: k/10^p + 5/10^(p+1)
			p := r.IntN(12)
			xs = append(xs, (float64(r.IntN(int(math.Pow10(min(p, 6)))))+0.5)/math.Pow10(p))
		case 3:
			xs = append(xs, r.Float64()*math.Pow10(r.IntN(40)-20))
		case 4:
			xs = append(xs, -r.Float64()*math.Pow10(r.IntN(24)))
		default:
			x := math.Float64frombits(r.Uint64())
			if math.IsNaN(x) || math.IsInf(x, 0) {
				x = 0.25
			}
			xs = append(xs, x)
		}
	}
	fast := 0
	for _, x := range xs {
		for places := int32(0); places <= 18; places++ {
			want := decimal.NewFromFloat(x).Round(places)
			c, ok := roundShortest(x, places)
			if !ok {
				continue
			}
			fast++
			got := decimal.New(c, -places)
			if !got.Equal(want) || got.Exponent() != want.Exponent() || got.String() != want.String() {
				t.Fatalf("roundFloat(%v, %d) = %s (exponent %d), want %s (exponent %d)", x, places, got, got.Exponent(), want, want.Exponent())
			}
		}
	}
	if fast < len(xs)*10 {
		t.Fatalf("only %d of %d cases took the fast path", fast, len(xs)*19)
	}
}
