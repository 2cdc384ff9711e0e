package review

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// The sums of region × product that prepare makes give what a pass over
// the reps gives, for snapshots with repeated rep rows, repeated cells,
// reps without cells and cells of reps without rows.
func TestRegionProductSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for n := range 300 {
		s := &Snapshot{}
		reps, products, regions := 1+rng.IntN(12), 1+rng.IntN(6), 1+rng.IntN(4)
		region := func() sp.RegionID { return sp.RegionID(fmt.Sprintf("g%d", rng.IntN(regions+1))) }
		for range reps {
			s.Reps = append(s.Reps, RepRow{Rep: sp.RepID(fmt.Sprintf("r%d", rng.IntN(reps+2))), Region: region()})
		}
		slices.SortFunc(s.Reps, func(x, y RepRow) int { return cmp.Compare(x.Rep, y.Rep) })
		for range rng.IntN(3 * reps * products) {
			var c CellRow
			c.Rep = sp.RepID(fmt.Sprintf("r%d", rng.IntN(reps+2)))
			c.Product = sp.ProductID(fmt.Sprintf("p%d", rng.IntN(products)))
			c.Won, c.Lost = rng.Int64N(20), rng.Int64N(20)
			c.Inquiries = rng.Int64N(30)
			c.Converted = rng.Int64N(c.Inquiries + 1)
			c.WinRate.Rate = quota.Rate{Num: c.Won, Den: c.Won + c.Lost}
			c.Conversion.Rate = quota.Rate{Num: c.Converted, Den: c.Inquiries}
			s.Cells = append(s.Cells, c)
		}
		slices.SortStableFunc(s.Cells, func(x, y CellRow) int { return compareCell(x, y.Rep, y.Product) })
		sums := s.regionProducts()
		if sums == nil {
			t.Fatalf("snapshot %d: no sums of sorted cells", n)
		}
		s.x = &extras{regionProduct: sums}
		for g := range regions + 1 {
			for p := range products + 1 {
				for _, k := range rateKinds {
					region, product := sp.RegionID(fmt.Sprintf("g%d", g)), sp.ProductID(fmt.Sprintf("p%d", p))
					got, want := s.regionProductRate(k, region, product), s.scanRegionProductRate(k, region, product)
					if got != want {
						t.Fatalf("snapshot %d: %s of %s on %s = %v, a pass over the reps gives %v", n, k, region, product, got, want)
					}
				}
			}
		}
	}
	// Cells out of order get no sums: their lookups are the pass's.
	s := &Snapshot{Cells: []CellRow{{Rep: "b"}, {Rep: "a"}}}
	if s.regionProducts() != nil {
		t.Error("sums of cells out of order")
	}
}
