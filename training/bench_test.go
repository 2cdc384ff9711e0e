package training_test

import (
	"context"
	"testing"

	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// BenchmarkReadinessCheck checks a certified rep against a MemStore whose
// brief has 5,000 prohibited claims: through the store as it is
// ("memstore", which reads only the version when the store is a
// BriefVersionSource) and through its BriefAt alone ("brief_at_only",
// which copies the whole brief on every check).
func BenchmarkReadinessCheck(b *testing.B) {
	ctx := context.Background()
	s := trainingtest.NewMemStore()
	brief := newGen(42, 8000).brief(benchPhrases)
	if err := s.AddBrief(ctx, brief); err != nil {
		b.Fatal(err)
	}
	c := training.Certificate{Rep: "r1", Product: "p1", BriefVersion: brief.Version, Issued: t0, Expires: t0.Add(365 * day)}
	if err := s.PutCertificate(ctx, c); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name   string
		briefs training.BriefSource
	}{{"memstore", s}, {"brief_at_only", briefsOnly{s}}} {
		b.Run(bc.name, func(b *testing.B) {
			r := training.NewReadiness(s, bc.briefs, nil)
			b.ReportAllocs()
			for range b.N {
				v, err := r.Check(ctx, "r1", "p1", "web", t0.Add(day))
				if err != nil || !v.Ready {
					b.Fatal(v, err)
				}
			}
		})
	}
}

// BenchmarkRecordSales records the sales of one pilot, one unit each,
// through a Trainer on a MemStore: through AddSaleWithin
// ("limited_store"), which takes the same time for every sale, and through
// a store without the capability ("plain_store"), which lists the pilot's
// sales for every sale, so that a run takes time quadratic in the sales
// (10,000 of them take a minute and more: the plain store records 1,000).
func BenchmarkRecordSales(b *testing.B) {
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		n    int
		wrap func(*trainingtest.MemStore) training.Store
	}{
		{"limited_store/10000", 10_000, func(s *trainingtest.MemStore) training.Store { return s }},
		{"limited_store/1000", 1_000, func(s *trainingtest.MemStore) training.Store { return s }},
		{"plain_store/1000", 1_000, func(s *trainingtest.MemStore) training.Store { return plainStore{s} }},
	} {
		sales := make([]training.Sale, bc.n)
		for i := range sales {
			sales[i] = training.Sale{ID: training.SaleID("s" + itoa(i)), Pilot: "f1", Locality: "Springfield", Units: 1, Time: t0}
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				tr := training.NewTrainer(bc.wrap(trainingtest.NewMemStore()), nil, nil)
				p := testPilot(training.Criteria{})
				p.Quantity = int64(bc.n)
				if _, err := tr.StartPilot(ctx, p); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for _, s := range sales {
					if err := tr.RecordSale(ctx, s); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
