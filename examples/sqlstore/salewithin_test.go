package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/training"
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
