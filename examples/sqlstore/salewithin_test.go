package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// The store of a transaction adds a sale within a limit in that
// transaction: it counts the sales the transaction added, refuses beyond
// the limit, and keeps nothing when the transaction rolls back.
func TestAddSaleWithinInTransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, nil)
		epoch := pipelinetest.Epoch()
		sale := func(id training.SaleID, units int64) training.Sale {
			return training.Sale{ID: id, Pilot: "f1", Locality: "Springfield", Units: units, Time: epoch}
		}
		require.NoError(t, s.CreatePilot(ctx, training.Pilot{ID: "f1", Rev: 1}))
		require.NoError(t, s.AddSale(ctx, sale("s1", 40)))
		errRollback := errors.New("roll back")
		err := s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			ls, ok := tx.(training.LimitedSaleStore)
			require.True(t, ok, "the transaction's store is a training.LimitedSaleStore")
			sold, added, err := ls.AddSaleWithin(ctx, sale("s2", 50), 100)
			require.NoError(t, err)
			assert.Equal(t, int64(40), sold)
			assert.True(t, added)
			sold, added, err = ls.AddSaleWithin(ctx, sale("s3", 11), 100)
			require.NoError(t, err)
			assert.Equal(t, int64(90), sold, "the transaction sees the sale it added")
			assert.False(t, added)
			_, _, err = ls.AddSaleWithin(ctx, sale("s2", 1), 100)
			assert.ErrorIs(t, err, sp.ErrDuplicate)
			_, _, err = ls.AddSaleWithin(ctx, training.Sale{ID: "s4", Pilot: "f9", Units: 1, Time: epoch}, 100)
			assert.ErrorIs(t, err, sp.ErrNotFound)
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		sold, added, err := s.AddSaleWithin(ctx, sale("s3", 60), 100)
		require.NoError(t, err)
		assert.Equal(t, int64(40), sold, "a rolled back transaction keeps none of its sales")
		assert.True(t, added)
		n := 0
		for _, err := range s.ListSales(ctx, "f1") {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 2, n)
	})
}

// AddSaleWithin adds up the units of the sales stored for a pilot
// exactly, whatever their signs (the stores of package training take sales
// unvalidated), and returns the sum, or the bound of int64 it passes: the
// answer of trainingtest's MemStore for the same sales added in the same
// order, where that store, which stops at a bound as it adds each sale,
// never reaches one on the way. The cases with a partial sum beyond int64
// that the sales after it bring back (on SQLite, whose SUM fails there,
// sold was the bound) are checked against the exact sum alone: MemStore's
// answer there depends on the order the sales were added in.
func TestAddSaleWithinSums(t *testing.T) {
	const (
		maxInt = math.MaxInt64
		minInt = math.MinInt64
	)
	cases := []struct {
		name  string
		units []int64
		mem   bool // MemStore, adding in this order, never stops at a bound
	}{
		{"none", nil, true},
		{"negative", []int64{5, -3}, true},
		{"negative_only", []int64{-5, -3}, true},
		{"negative_total", []int64{2, -9}, true},
		{"below_least", []int64{minInt, -1}, true},
		{"above_greatest", []int64{maxInt, maxInt, 1}, true},
		{"greatest_exactly", []int64{maxInt - 7, 7}, true},
		{"least_exactly", []int64{minInt + 7, -7}, true},
		{"near_greatest_less", []int64{maxInt - 7, -3}, true},
		{"near_least_back", []int64{10, minInt, -1}, true},
		{"near_greatest_back", []int64{-10, maxInt, 1}, true},
		{"beyond_and_back_above", []int64{maxInt, 1, -10}, false},
		{"beyond_and_back_below", []int64{minInt, -1, 10}, false},
		{"beyond_both_ways", []int64{-maxInt, -maxInt, maxInt, maxInt, 1}, false},
		{"many_beyond_back", []int64{maxInt, maxInt, maxInt, -maxInt, -maxInt}, false},
	}
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, nil)
		epoch := pipelinetest.Epoch()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var m training.Store = trainingtest.NewMemStore()
				pilot := training.PilotID("p-" + c.name)
				sale := func(id string, units int64) training.Sale {
					return training.Sale{ID: training.SaleID(c.name + "-" + id), Pilot: pilot, Locality: "Springfield", Units: units, Time: epoch}
				}
				exact := new(big.Int)
				for _, ls := range []training.Store{s, m} {
					require.NoError(t, ls.CreatePilot(ctx, training.Pilot{ID: pilot, Rev: 1}))
					for i, u := range c.units {
						require.NoError(t, ls.AddSale(ctx, sale(fmt.Sprint(i), u)))
					}
				}
				for _, u := range c.units {
					exact.Add(exact, big.NewInt(u))
				}
				want := int64(minInt)
				switch {
				case exact.IsInt64():
					want = exact.Int64()
				case exact.Sign() > 0:
					want = maxInt
				}
				// A limit below every sum refuses the sale and returns
				// sold; the greatest limit takes one unit more unless
				// sold is the greatest int64.
				for _, limit := range []int64{minInt, maxInt} {
					sold, added, err := s.AddSaleWithin(ctx, sale("x", 1), limit)
					require.NoError(t, err)
					assert.Equal(t, want, sold, "limit %d: the exact sum of %v, or the bound it passes", limit, c.units)
					assert.Equal(t, limit == maxInt && want < maxInt, added, "limit %d", limit)
					msold, madded, err := m.(training.LimitedSaleStore).AddSaleWithin(ctx, sale("x", 1), limit)
					require.NoError(t, err)
					if c.mem {
						assert.Equal(t, msold, sold, "limit %d: MemStore's sum", limit)
						assert.Equal(t, madded, added, "limit %d: MemStore's answer", limit)
					}
				}
			})
		}
	})
}
