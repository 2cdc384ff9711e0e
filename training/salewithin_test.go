package training_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// plainStore hides every capability of a Store but its methods, so that a
// Trainer on it lists the sales of a pilot to check a sale.
type plainStore struct{ training.Store }

// unlisted is a LimitedSaleStore whose ListSales must not be called: a
// Trainer on it checks a sale through AddSaleWithin.
type unlisted struct {
	*trainingtest.MemStore
	t *testing.T
}

func (s unlisted) ListSales(context.Context, training.PilotID) iter.Seq2[training.Sale, error] {
	s.t.Error("RecordSale lists the sales of a LimitedSaleStore")
	return func(yield func(training.Sale, error) bool) { yield(training.Sale{}, errors.New("ListSales called")) }
}

var _ training.LimitedSaleStore = unlisted{}

// outcome is what a test compares of an error: its text, the sentinels
// it wraps and the field at fault.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	field := ""
	var ve *salesprocess.ValidationError
	if errors.As(err, &ve) {
		field = ve.Field
	}
	return fmt.Sprintf("%s [invalid=%v not_found=%v duplicate=%v field=%q]", err, errors.Is(err, salesprocess.ErrInvalid),
		errors.Is(err, salesprocess.ErrNotFound), errors.Is(err, salesprocess.ErrDuplicate), field)
}

// RecordSale answers the same through a LimitedSaleStore as through a
// store without the capability: the limit and its boundary, duplicates of
// the pilot (also beyond the quantity) and of another pilot (a sale
// beyond the quantity is refused for it first), an unknown pilot, the
// other rules, units stored beyond int64; and stores the same sales.
func TestRecordSaleWithAndWithoutLimitedStore(t *testing.T) {
	sale := func(id training.SaleID, pilot training.PilotID, units int64) training.Sale {
		return training.Sale{ID: id, Pilot: pilot, Locality: "Springfield", Units: units, Time: t0}
	}
	steps := []struct {
		sale training.Sale
		want string // the start of the error, or "ok"
	}{
		{sale("s1", "f1", 60), "ok"},
		{sale("s2", "f1", 41), `training: record sale: invalid sale.units: 41 wanted, 40 left of the pilot's 100 units`},
		{sale("s2", "f1", 40), "ok"},
		{sale("s3", "f1", 1), `training: record sale: invalid sale.units: 1 wanted, 0 left of the pilot's 100 units`},
		{sale("s2", "f1", 40), `training: record sale: sale "s2" already stored`},
		{sale("s1", "f1", 1), `training: record sale: sale "s1" already stored`},
		{sale("s1", "f2", 1), `training: record sale: sale "s1" already stored`},
		{sale("s3", "f2", 100), "ok"},
		{sale("s1", "f2", 1), `training: record sale: invalid sale.units: 1 wanted, 0 left of the pilot's 100 units`},
		{sale("s4", "f9", 1), `training: record sale: pilot "f9"`},
		{training.Sale{ID: "s4", Pilot: "f1", Locality: "Ogdenville", Units: 1, Time: t0}, `training: record sale: invalid sale.locality`},
		{training.Sale{ID: "s4", Pilot: "f1", Locality: "Springfield", Units: 1, Time: march.End()}, `training: record sale: invalid sale.time: outside the pilot period`},
		{sale("s4", "f1", 0), `training: record sale: invalid sale.units: 0 outside`},
		{sale("s4", "f3", 1), `training: record sale: invalid sale.units: 1 wanted, 0 left of the pilot's 1 unit`},
		{sale("s5", "f4", 5), `training: record sale: invalid sale.units: 5 wanted, 3 left of the pilot's 100 units`},
		{sale("s5", "f4", 3), "ok"},
	}
	run := func(t *testing.T, wrap func(*trainingtest.MemStore) training.Store) ([]string, map[training.PilotID][]training.Sale) {
		ctx := context.Background()
		mem := trainingtest.NewMemStore()
		// The clock reads the end of the pilots' March: every sale
		// recorded has been made by then.
		tr := training.NewTrainer(wrap(mem), nil, &training.Options{Clock: salesprocess.FixedClock(march.End())})
		for _, id := range []training.PilotID{"f1", "f2", "f3", "f4"} {
			p := testPilot(training.Criteria{})
			p.ID = id
			if id == "f3" {
				p.Quantity = 1
			}
			_, err := tr.StartPilot(ctx, p)
			require.NoError(t, err)
		}
		// Stores do not validate: sales of MaxInt64 units leave nothing
		// of f3's quantity, and sales stored in place of the Trainer's
		// count for f4's.
		for _, id := range []training.SaleID{"h1", "h2"} {
			require.NoError(t, mem.AddSale(ctx, sale(id, "f3", math.MaxInt64)))
		}
		require.NoError(t, mem.AddSale(ctx, sale("h3", "f4", 97)))
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
		stored := map[training.PilotID][]training.Sale{}
		for _, id := range []training.PilotID{"f1", "f2", "f3", "f4"} {
			for x, err := range mem.ListSales(ctx, id) {
				require.NoError(t, err)
				stored[id] = append(stored[id], x)
			}
		}
		return got, stored
	}
	var limited, listed []string
	var limitedSales, listedSales map[training.PilotID][]training.Sale
	t.Run("limited_store", func(t *testing.T) {
		limited, limitedSales = run(t, func(m *trainingtest.MemStore) training.Store { return unlisted{m, t} })
	})
	t.Run("plain_store", func(t *testing.T) {
		listed, listedSales = run(t, func(m *trainingtest.MemStore) training.Store { return plainStore{m} })
	})
	assert.Equal(t, listed, limited, "the same errors through the capability and without it")
	assert.Equal(t, listedSales, limitedSales, "the same sales stored through the capability and without it")
}

// Concurrent RecordSale calls through a LimitedSaleStore never pass the
// pilot's quantity together, and each sale recorded is stored.
func TestRecordSaleConcurrentWithinQuantity(t *testing.T) {
	ctx := context.Background()
	mem := trainingtest.NewMemStore()
	tr := training.NewTrainer(mem, nil, &training.Options{Clock: salesprocess.FixedClock(march.End())})
	_, err := tr.StartPilot(ctx, testPilot(training.Criteria{})) // 100 units
	require.NoError(t, err)
	const workers, each = 16, 8 // 128 sales of 1 unit
	errs := make([]error, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				k := w*each + i
				errs[k] = tr.RecordSale(ctx, training.Sale{ID: training.SaleID(fmt.Sprint("s", k)), Pilot: "f1", Locality: "Springfield", Units: 1, Time: t0})
			}
		}()
	}
	wg.Wait()
	recorded := map[training.SaleID]bool{}
	for k, err := range errs {
		if err == nil {
			recorded[training.SaleID(fmt.Sprint("s", k))] = true
			continue
		}
		assertField(t, err, "sale.units")
	}
	assert.Equal(t, 100, len(recorded), "the sales recorded take the pilot's quantity, no more")
	n := 0
	for x, err := range mem.ListSales(ctx, "f1") {
		require.NoError(t, err)
		assert.True(t, recorded[x.ID], "sale %s stored but refused", x.ID)
		n++
	}
	assert.Equal(t, 100, n, "every sale recorded is stored")
}
