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
