package review

import (
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// Of two products at fault with as many of the cases, each a big share
// that the rep did worse on, weakestProduct names the smaller product ID,
// whatever the order of the snapshot's product rows: also where a
// repeated row out of order (as JSON may have it) lists the larger first.
func TestWeakestProductTie(t *testing.T) {
	rules := DefaultRules()
	rules.Analysis.Product.MinShareOfSales = dec("0.1")
	for name, rows := range map[string][]sp.ProductID{
		"in_order":              {"p0", "p1", "p2"},
		"repeated_out_of_order": {"p2", "p0", "p1", "p2"},
	} {
		t.Run(name, func(t *testing.T) {
			s := &Snapshot{rules: &rules}
			var weak []weakness
			for _, id := range rows {
				row := ProductRow{Product: id}
				row.WinRate.Rate = quota.Rate{Num: 1, Den: 10}
				s.Products = append(s.Products, row)
				weak = append(weak, weakness{weak: true})
			}
			s.Team.WinRate.Rate = quota.Rate{Num: 400, Den: 1000}
			s.x = &extras{}
			s.x.signals[kindIndex(RateWinRate)] = &signals{product: weak}
			byProduct := map[sp.ProductID]quota.Rate{"p2": {Num: 1, Den: 10}, "p1": {Num: 1, Den: 10}}
			whole := quota.Rate{Num: 22, Den: 40}
			if got, _ := s.weakestProduct(RateWinRate, byProduct, whole, "rep r"); got != "p1" {
				t.Errorf("named %q, want p1", got)
			}
		})
	}
}
