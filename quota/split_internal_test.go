package quota

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// sumIs100 says what the decimal sum says, for percentages of any places
// up to 18, summing to 100 or near it, on its integer way or its decimal.
func TestSumIs100AsDecimals(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 29))
	for range 20000 {
		places := int32(r.IntN(19))
		unit := decimal.New(1, -places)
		n := r.IntN(4) + 1
		// n − 1 parts of up to 100/n + 1, with up to places places each,
		// and the rest of 100.
		var splits []Split
		rest := decimal.New(100, 0)
		for range n - 1 {
			frac := decimal.New(r.Int64N(pow10i[places]), -places)
			part := decimal.New(int64(r.IntN(100/n)), 0).Add(frac).Add(unit)
			rest = rest.Sub(part)
			splits = append(splits, Split{Rep: "r", Percent: part})
		}
		splits = append(splits, Split{Rep: "r", Percent: rest})
		if r.IntN(2) == 0 { // off by one unit
			last := &splits[len(splits)-1].Percent
			*last = last.Add(unit.Mul(decimal.New(int64(r.IntN(3)-1), 0)))
		}
		var sum decimal.Decimal
		for _, s := range splits {
			sum = sum.Add(s.Percent)
		}
		require.Equal(t, sum.Equal(hundred), sumIs100(splits), "%v", splits)
	}
}
