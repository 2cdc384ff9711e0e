package training_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// RecordSale answers the same through a LimitedSaleStore as through a
// store without the capability when the store holds units that no valid
// sale has: stores do not validate, and both paths add up the units
// stored, negative ones too, exactly, and stop at the bounds of int64
// only at the end.
func TestRecordSaleWithNegativeUnitsStored(t *testing.T) {
	sale := func(id training.SaleID, pilot training.PilotID, units int64) training.Sale {
		return training.Sale{ID: id, Pilot: pilot, Locality: "Springfield", Units: units, Time: t0}
	}
	steps := []struct {
		sale training.Sale
		want string // the start of the error, or "ok"
	}{
		// f1 holds a sale of -5 units: 105 of its 100 are left.
		{sale("s1", "f1", 106), `training: record sale: invalid sale.units: 106 wanted, 105 left of the pilot's 100 units`},
		{sale("s1", "f1", 105), "ok"},
		{sale("s2", "f1", 1), `training: record sale: invalid sale.units: 1 wanted, 0 left of the pilot's 100 units`},
		// f2 holds sales that add up below the smallest int64: every
		// valid sale is within what is left.
		{sale("s3", "f2", training.MaxQuantity), "ok"},
		{sale("s4", "f2", training.MaxQuantity), "ok"},
		// f3 holds sales whose sum passes the largest int64 on the way
		// and comes back to 10: 90 of its 100 are left.
		{sale("s5", "f3", 91), `training: record sale: invalid sale.units: 91 wanted, 90 left of the pilot's 100 units`},
		{sale("s5", "f3", 90), "ok"},
	}
	run := func(t *testing.T, wrap func(*trainingtest.MemStore) training.Store) []string {
		ctx := context.Background()
		mem := trainingtest.NewMemStore()
		tr := training.NewTrainer(wrap(mem), nil, nil)
		for _, id := range []training.PilotID{"f1", "f2", "f3"} {
			p := testPilot(training.Criteria{})
			p.ID = id
			_, err := tr.StartPilot(ctx, p)
			require.NoError(t, err)
		}
		require.NoError(t, mem.AddSale(ctx, sale("h1", "f1", -5)))
		for _, id := range []training.SaleID{"h2", "h3"} {
			require.NoError(t, mem.AddSale(ctx, sale(id, "f2", math.MinInt64)))
		}
		for i, units := range []int64{math.MaxInt64, 10, -math.MaxInt64} {
			require.NoError(t, mem.AddSale(ctx, sale(training.SaleID(fmt.Sprint("h", 4+i)), "f3", units)))
		}
		var got []string
		for i, st := range steps {
			err := tr.RecordSale(ctx, st.sale)
			got = append(got, outcome(err))
			if st.want == "ok" {
				assert.NoError(t, err, "step %d", i)
			} else if assert.Error(t, err, "step %d", i) {
				assert.Contains(t, err.Error(), st.want, "step %d", i)
			}
		}
		return got
	}
	var limited, listed []string
	t.Run("limited_store", func(t *testing.T) {
		limited = run(t, func(m *trainingtest.MemStore) training.Store { return unlisted{m, t} })
	})
	t.Run("plain_store", func(t *testing.T) {
		listed = run(t, func(m *trainingtest.MemStore) training.Store { return plainStore{m} })
	})
	assert.Equal(t, listed, limited, "the same errors through the capability and without it")
}
