package review

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
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

// weakestProduct picks the same product, with the same evidence, from the
// rows of the products it is given as from every row, for sorted rows
// with repeated products and products it is given without a row.
func TestWeakestProductRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	rules := DefaultRules()
	rules.Analysis.Product.MinShareOfSales = dec("0.1")
	for n := range 500 {
		s := &Snapshot{rules: &rules}
		products := 1 + rng.IntN(30)
		var weak []weakness
		for p := range products {
			copies := 1
			if rng.IntN(5) == 0 {
				copies = 2 // a row repeated, as JSON may have it
			}
			for range copies {
				row := ProductRow{Product: sp.ProductID(fmt.Sprintf("p%02d", p))}
				row.WinRate.Rate = quota.Rate{Num: rng.Int64N(50), Den: 50 + rng.Int64N(50)}
				s.Products = append(s.Products, row)
			}
		}
		for range s.Products {
			weak = append(weak, weakness{weak: rng.IntN(3) > 0})
		}
		s.Team.WinRate.Rate = quota.Rate{Num: 400, Den: 1000}
		s.x = &extras{}
		s.x.signals[kindIndex(RateWinRate)] = &signals{product: weak}
		byProduct := map[sp.ProductID]quota.Rate{}
		var whole quota.Rate
		for range rng.IntN(8) {
			id := sp.ProductID(fmt.Sprintf("p%02d", rng.IntN(products+3)))
			den := 1 + rng.Int64N(12)
			if rng.IntN(3) == 0 && len(byProduct) > 0 {
				den = 5 // a tie
			}
			r := quota.Rate{Num: rng.Int64N(den + 1), Den: den}
			byProduct[id] = r
			whole.Num += r.Num
			whole.Den += r.Den
		}
		whole.Num += rng.Int64N(10)
		whole.Den += 10
		s.x.productsSorted = true
		got, gotEv := s.weakestProduct(RateWinRate, byProduct, whole, "rep r")
		s.x.productsSorted = false
		want, wantEv := s.weakestProduct(RateWinRate, byProduct, whole, "rep r")
		if got != want || !slices.Equal(gotEv, wantEv) {
			t.Fatalf("snapshot %d: %q %v from the rows of the products, %q %v from every row", n, got, gotEv, want, wantEv)
		}
	}
}

// Diagnose finds the same causes, word for word, with the lookups that
// prepare makes (the region × product sums, the cells of each product,
// the order of the product rows) as by going over the rows, on random
// reviews with weak markets, weak products and reps who lag.
func TestDiagnoseLookups(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 23))
	period := sp.Month(2026, time.November, time.UTC)
	start := period.Start()
	rules := DefaultRules()
	rules.Analysis.FollowUp.MaxOverdueShare = dec("1") // so that slow follow-up explains nothing
	rv, err := New(rules, &Options{Clock: sp.FixedClock(period.End())})
	if err != nil {
		t.Fatal(err)
	}
	reviews := 40
	if testing.Short() {
		reviews = 10
	}
	for n := range reviews {
		reps, products, regions := 4+rng.IntN(20), 2+rng.IntN(6), 1+rng.IntN(4)
		var deals []pipeline.Deal
		var inquiries []pipeline.Inquiry
		for r := range reps {
			region := sp.RegionID(fmt.Sprintf("g%d", r%regions))
			for p := range products {
				if rng.IntN(4) == 0 {
					continue // a product the rep does not sell
				}
				win := 2 + rng.IntN(6)
				if r%regions == 0 || p == 0 {
					win = rng.IntN(3) // a weak market, a weak product
				}
				if rng.IntN(6) == 0 {
					win = 0 // a rep who lags on a product
				}
				for k := range 5 + rng.IntN(30) {
					d := pipeline.Deal{
						ID: sp.DealID(fmt.Sprintf("d%d-%d-%d", r, p, k)), Owner: sp.RepID(fmt.Sprintf("r%02d", r)),
						Product: sp.ProductID(fmt.Sprintf("p%d", p)), Region: region, Customer: "c",
						Created: start, Closed: start.Add(time.Hour), Stage: pipeline.DealWon,
					}
					if rng.IntN(10) >= win {
						d.Stage = pipeline.DealLost
						d.Loss = &pipeline.LossReason{Category: []pipeline.LossCategory{pipeline.LossPrice, pipeline.LossProduct}[rng.IntN(2)]}
					}
					deals = append(deals, d)
					in := pipeline.Inquiry{ID: sp.InquiryID("i" + d.ID), Owner: d.Owner, Product: d.Product, Region: region, Received: start,
						Stage: pipeline.InquiryContacted, History: []pipeline.Transition[pipeline.InquiryStage]{
							{To: pipeline.InquiryNew, At: start}, {From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: start.Add(time.Hour)},
						}}
					if d.Stage == pipeline.DealWon && rng.IntN(2) == 0 {
						in.Deal = d.ID
					}
					inquiries = append(inquiries, in)
				}
			}
		}
		rep, err := rv.Review(context.Background(), Input{Period: period, Deals: quota.Refs(deals), Inquiries: quota.Refs(inquiries)})
		if err != nil {
			t.Fatal(err)
		}
		s := &rep.Snapshot
		var subjects []Subject
		for _, r := range s.Reps {
			subjects = append(subjects, RepSubject(r.Rep))
		}
		for _, c := range s.Cells {
			subjects = append(subjects, RepProductSubject(c.Rep, c.Product))
		}
		for _, p := range s.Products {
			subjects = append(subjects, ProductSubject(p.Product))
		}
		for _, g := range s.Regions {
			subjects = append(subjects, RegionSubject(g.Region))
		}
		subjects = append(subjects, CompanySubject())
		var looked [][2]Diagnosis
		for _, subj := range subjects {
			for _, k := range rateKinds {
				looked = append(looked, [2]Diagnosis{s.Diagnose(subj, k)})
			}
		}
		x := *s.x
		s.x.regionProduct, s.x.productCells, s.x.regionReps, s.x.productsSorted = nil, nil, nil, false
		i := 0
		for _, subj := range subjects {
			for _, k := range rateKinds {
				if d := s.Diagnose(subj, k); !reflect.DeepEqual(d, looked[i][0]) {
					t.Fatalf("review %d: %s on %s: %+v with the lookups, %+v going over the rows", n, subj, k, looked[i][0], d)
				}
				i++
			}
		}
		*s.x = x

		// A Snapshot made by hand, its rows now and then out of order:
		// Diagnose prepares a copy once, where it went over the rows for
		// every signal.
		h := *s
		h.rules, h.fam, h.x = nil, nil, nil
		if n%3 == 1 {
			h.Cells, h.Products = slices.Clone(h.Cells), slices.Clone(h.Products)
			rng.Shuffle(len(h.Cells), func(i, j int) { h.Cells[i], h.Cells[j] = h.Cells[j], h.Cells[i] })
			rng.Shuffle(len(h.Products), func(i, j int) { h.Products[i], h.Products[j] = h.Products[j], h.Products[i] })
		}
		for _, subj := range subjects {
			for _, k := range rateKinds {
				c := h
				c.rules = h.cfg()
				c.families() // signals computed for each look, as before
				if got, want := h.Diagnose(subj, k), c.Diagnose(subj, k); !reflect.DeepEqual(got, want) {
					t.Fatalf("review %d, made by hand: %s on %s: %+v, computing the signals for each look %+v", n, subj, k, got, want)
				}
			}
		}
		if h.rules != nil || h.fam != nil || h.x != nil {
			t.Fatalf("review %d: Diagnose wrote to a Snapshot made by hand", n)
		}
	}
}
