package training_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// FuzzRecordSalePaths records one random sequence of sales through both
// paths of Trainer.RecordSale, on two fresh MemStores: through
// AddSaleWithin (the store wrapped in unlisted, whose Sales must not be
// called) and by listing the sales (wrapped in plainStore). The pilots
// are stored as a host's store may hold them, unvalidated: quantities of
// 0, 1, 5, 100, MaxQuantity, the largest int64 and a negative one. A
// sale's ID comes from a small set, so that duplicates of the same pilot
// and of another one happen; its units are as often 1 to 100 as 0, -1,
// the smallest int64, MaxQuantity and one more, or near the largest
// int64; its pilot is one of these or an unknown one, its locality and
// time one in sixteen outside the pilot's. One step in eight stores a sale directly in both stores, as a
// host may, of any units from 1 to the largest int64, so that the units
// sold add up beyond int64. It checks, at each step, the same outcome on
// both paths (error text, sentinels, field at fault), and the same sales
// stored; and that a sale RecordSale stores leaves the units stored for
// its pilot, added up exactly, within the pilot's quantity.
func FuzzRecordSalePaths(f *testing.F) {
	// The input: a byte for each pilot's quantity (an index into
	// quantities), then for each step a byte for the sale's ID (from 224 up
	// a host's sale), its pilot, its units (an index into units), its hour
	// in the pilot's period, and its locality and time (from 240 up
	// outside the pilot's); then, for a host's sale, its units, the largest
	// int64 shifted right.
	f.Add([]byte{})
	// Pilots of 100, 5, 1 and 0 units: the limit reached, a duplicate of
	// the pilot and of another one, within and beyond its quantity, an
	// unknown pilot, units out of range, a locality and a time outside.
	f.Add([]byte{3, 2, 1, 0,
		0, 0, 6, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 1, 3, 3, 0, 0, 1, 4, 4, 0, 2, 1, 3, 5, 0,
		3, 2, 0, 6, 0, 3, 3, 0, 7, 0, 4, 4, 0, 8, 0, 5, 0, 7, 9, 0, 5, 0, 8, 9, 0, 5, 0, 9, 9, 0,
		5, 0, 10, 9, 0, 5, 0, 11, 9, 0, 5, 0, 12, 9, 0, 5, 0, 13, 9, 0, 4, 2, 0, 9, 250, 4, 2, 0, 9, 241})
	// Pilots of the largest int64, MaxQuantity, -1 and the smallest int64
	// units; host sales that add up beyond int64, then sales of each.
	f.Add([]byte{5, 4, 6, 7,
		224, 0, 0, 5, 0, 0, 225, 0, 0, 6, 0, 1, 0, 0, 0, 7, 0, 1, 1, 10, 8, 0, 2, 1, 0, 9, 0,
		3, 2, 0, 10, 0, 4, 3, 0, 11, 0, 226, 1, 0, 12, 0, 63, 5, 1, 0, 13, 0})
	// A host's sale of 63 units into a pilot of 100, then sales into what
	// is left.
	f.Add([]byte{3, 3, 3, 3, 230, 3, 0, 1, 0, 57, 0, 3, 5, 2, 0, 1, 3, 4, 3, 0, 2, 3, 5, 4, 0, 3, 3, 1, 5, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r := newFuzzStream(data)
		limitedMem, plainMem := trainingtest.NewMemStore(), trainingtest.NewMemStore()
		// Both clocks read the end of the pilots' March, after every
		// sale's time.
		opts := &training.Options{Clock: salesprocess.FixedClock(march.End())}
		limited := training.NewTrainer(unlisted{limitedMem, t}, nil, opts)
		plain := training.NewTrainer(plainStore{plainMem}, nil, opts)
		quantities := []int64{0, 1, 5, 100, training.MaxQuantity, math.MaxInt64, -1, math.MinInt64}
		pilots := []training.PilotID{"p0", "p1", "p2", "p3", "nope"}
		quantity := map[training.PilotID]int64{}
		for _, id := range pilots[:4] {
			p := testPilot(training.Criteria{})
			p.ID, p.Quantity = id, quantities[r.next()%len(quantities)]
			quantity[id] = p.Quantity
			for _, st := range []*trainingtest.MemStore{limitedMem, plainMem} {
				if err := st.CreatePilot(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
		}
		units := []int64{1, 2, 3, 5, 10, 40, 100, 0, -1, math.MinInt64, training.MaxQuantity, training.MaxQuantity + 1,
			math.MaxInt64 - 1, math.MaxInt64}
		exact := map[training.PilotID]*big.Int{} // the units stored for each pilot, added up exactly
		for step := 0; r.more() && step < 64; step++ {
			c := r.next()
			s := training.Sale{ID: training.SaleID(fmt.Sprint("s", c%6)), Pilot: pilots[r.next()%len(pilots)],
				Locality: "Springfield", Units: units[r.next()%len(units)], Time: t0.Add(time.Duration(r.next()) * time.Hour)}
			switch b := r.next(); {
			case b >= 248:
				s.Locality = "Ogdenville"
			case b >= 240:
				s.Time = march.End()
			}
			if c >= 224 && s.Pilot != "nope" { // a host stores the sale, unchecked
				s.ID = training.SaleID(fmt.Sprint("h", step))
				s.Units = math.MaxInt64 >> (r.next() % 64)
				for _, st := range []*trainingtest.MemStore{limitedMem, plainMem} {
					if err := st.AddSale(ctx, s); err != nil {
						t.Fatal(err)
					}
				}
				addUnits(exact, s)
				continue
			}
			lerr := limited.RecordSale(ctx, s)
			perr := plain.RecordSale(ctx, s)
			if lo, po := outcome(lerr), outcome(perr); lo != po {
				t.Fatalf("step %d: sale %+v: through AddSaleWithin %s; by listing the sales %s", step, s, lo, po)
			}
			if lerr != nil {
				if !errors.Is(lerr, salesprocess.ErrInvalid) && !errors.Is(lerr, salesprocess.ErrNotFound) && !errors.Is(lerr, salesprocess.ErrDuplicate) {
					t.Fatalf("step %d: error without a sentinel: %v", step, lerr)
				}
			} else {
				addUnits(exact, s)
				if exact[s.Pilot].Cmp(big.NewInt(quantity[s.Pilot])) > 0 {
					t.Fatalf("step %d: sale %+v recorded; the pilot's %d units stored pass its quantity %d", step, s, exact[s.Pilot], quantity[s.Pilot])
				}
			}
			if ls, ps := storedSales(t, limitedMem, pilots), storedSales(t, plainMem, pilots); !reflect.DeepEqual(ls, ps) {
				t.Fatalf("step %d: stored through AddSaleWithin %v; by listing the sales %v", step, ls, ps)
			}
		}
	})
}

// addUnits adds the units of s to the total of its pilot in exact.
func addUnits(exact map[training.PilotID]*big.Int, s training.Sale) {
	if exact[s.Pilot] == nil {
		exact[s.Pilot] = new(big.Int)
	}
	exact[s.Pilot].Add(exact[s.Pilot], big.NewInt(s.Units))
}

// storedSales returns the sales st holds for each of pilots, in the order
// of its listing.
func storedSales(t *testing.T, st *trainingtest.MemStore, pilots []training.PilotID) map[training.PilotID][]training.Sale {
	t.Helper()
	out := map[training.PilotID][]training.Sale{}
	for _, id := range pilots {
		for s, err := range st.ListSales(context.Background(), id) {
			if err != nil {
				t.Fatal(err)
			}
			out[id] = append(out[id], s)
		}
	}
	return out
}
