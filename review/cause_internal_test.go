package review

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess/quota"
)

// pooledPValue is quota's p-value, which review adjusts: to every place
// quota gives, over small and large counts, equal and extreme rates.
func TestPooledPValueIsQuotas(t *testing.T) {
	counts := []int64{0, 1, 2, 3, 7, 10, 19, 50, 333, 1000, 123457}
	for _, an := range counts {
		for _, ad := range counts {
			for _, bn := range counts {
				for _, bd := range []int64{1, 4, 20, 999, 1000000} {
					a, b := quota.Rate{Num: an, Den: ad}, quota.Rate{Num: bn, Den: bd}
					if an > ad || bn > bd || ad == 0 {
						continue
					}
					c, err := quota.Compare(a, b, 0.95, 18)
					if err != nil {
						t.Fatal(err)
					}
					if got := decimal.NewFromFloat(pooledPValue(a, b)).Round(18); !got.Equal(c.PValue) {
						t.Fatalf("%v against %v: p = %s, quota's %s", a, b, got, c.PValue)
					}
				}
			}
		}
	}
}
