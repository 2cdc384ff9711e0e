package trainingtest_test

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// MemStore's AddSaleWithin adds up the units stored, stopping at both
// bounds of int64, and compares sold + units with the limit exactly,
// whatever the signs: stores do not validate, so a host may store units
// that no valid sale has, and call AddSaleWithin with any limit. The
// answers are those of arithmetic on integers without bounds, from the
// units sold as the store adds them up.
func TestMemStoreAddSaleWithinAtTheBounds(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)
	sale := func(id string, units int64) training.Sale {
		return training.Sale{ID: training.SaleID(id), Pilot: "f1", Locality: "Springfield", Units: units, Time: t0}
	}
	// The units stored before, and what they add up to in the store.
	stored := []struct {
		units []int64
		sold  int64
	}{
		{nil, 0},
		{[]int64{-5}, -5},
		{[]int64{math.MinInt64, -1}, math.MinInt64},
		{[]int64{math.MinInt64 + 3, -1}, math.MinInt64 + 2},
		{[]int64{math.MaxInt64 - 7}, math.MaxInt64 - 7},
		{[]int64{math.MaxInt64, 1}, math.MaxInt64},
		{[]int64{math.MinInt64, math.MaxInt64, 5}, 4},
	}
	bounds := []int64{math.MinInt64, math.MinInt64 + 1, math.MinInt64 + 2, -1, 0, 1, 7, math.MaxInt64 - 1, math.MaxInt64}
	for _, st := range stored {
		for _, units := range bounds {
			for _, limit := range bounds {
				s := trainingtest.NewMemStore()
				p := training.Pilot{ID: "f1", Product: "p1", Localities: []string{"Springfield"}, Quantity: 100}
				require.NoError(t, s.CreatePilot(ctx, p))
				for i, u := range st.units {
					require.NoError(t, s.AddSale(ctx, sale(fmt.Sprint("h", i), u)))
				}
				sold, added, err := s.AddSaleWithin(ctx, sale("s1", units), limit)
				require.NoError(t, err)
				sum := new(big.Int).Add(big.NewInt(st.sold), big.NewInt(units))
				want := sum.Cmp(big.NewInt(limit)) <= 0
				if !assert.Equal(t, st.sold, sold, "units %v stored, sale of %d, limit %d: sold", st.units, units, limit) ||
					!assert.Equal(t, want, added, "units %v stored, sale of %d, limit %d: added", st.units, units, limit) {
					return
				}
			}
		}
	}
}
