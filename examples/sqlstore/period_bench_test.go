package sqlstore_test

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// periodStore returns a store of backend b holding n inquiries and n
// closed deals, record i received, created and closed i minutes after
// pipelinetest.Epoch (closed a minute later), under IDs in an order
// unrelated to those times.
func periodStore(tb testing.TB, b backend, n int, opts *sqlstore.Options) *sqlstore.Store {
	tb.Helper()
	ctx := context.Background()
	s := b.open(tb, opts)
	perm := rand.New(rand.NewPCG(1, 2)).Perm(n)
	const batch = 1000
	for lo := 0; lo < n; lo += batch {
		require.NoError(tb, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			for i := lo; i < min(lo+batch, n); i++ {
				at := pipelinetest.Epoch().Add(time.Duration(i) * time.Minute)
				if err := tx.CreateInquiry(ctx, inquiry(sp.InquiryID(fmt.Sprintf("i%07d", perm[i])), at)); err != nil {
					return err
				}
				d := deal(sp.DealID(fmt.Sprintf("d%07d", perm[i])))
				d.Created, d.Closed = at, at.Add(time.Minute)
				if err := tx.CreateDeal(ctx, d); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	return s
}

// periodListings are the listings filtered by a period: each lists the
// records of p.
var periodListings = []struct {
	name string
	list func(tb testing.TB, s *sqlstore.Store, p sp.Period) iter.Seq2[string, error]
}{
	{"deals_created", func(tb testing.TB, s *sqlstore.Store, p sp.Period) iter.Seq2[string, error] {
		return idSeq(s.ListDeals(context.Background(), pipeline.DealFilter{Created: p}), func(d pipeline.Deal) string { return string(d.ID) })
	}},
	{"deals_closed", func(tb testing.TB, s *sqlstore.Store, p sp.Period) iter.Seq2[string, error] {
		if p.IsZero() {
			return idSeq(s.ListDeals(context.Background(), pipeline.DealFilter{}), func(d pipeline.Deal) string { return string(d.ID) })
		}
		// Closed a minute after created: shift the period to match as many.
		p = mustPeriod(tb, p.Start().Add(time.Minute), p.End().Add(time.Minute))
		return idSeq(s.ListDeals(context.Background(), pipeline.DealFilter{Closed: p}), func(d pipeline.Deal) string { return string(d.ID) })
	}},
	{"inquiries_received", func(tb testing.TB, s *sqlstore.Store, p sp.Period) iter.Seq2[string, error] {
		return idSeq(s.ListInquiries(context.Background(), pipeline.InquiryFilter{Received: p}), func(in pipeline.Inquiry) string { return string(in.ID) })
	}},
}

func mustPeriod(tb testing.TB, start, end time.Time) sp.Period {
	tb.Helper()
	p, err := sp.NewPeriod(start, end)
	require.NoError(tb, err)
	return p
}

// idSeq returns the IDs of the values of seq.
func idSeq[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if !yield(id(v), err) {
				return
			}
		}
	}
}

// periodWidths are the periods listed, as the share of the records they
// hold, from the middle of the span of the records; "none" lists all the
// records without a period, for comparison.
var periodWidths = []struct {
	name  string
	share float64
}{
	{"narrow", 0.01}, {"half", 0.5}, {"all", 1}, {"none", 1},
}

// BenchmarkListPeriod lists the records of a period, by store size and by
// the period's width, with pages of 64 rows: a whole listing should cost
// about the same per row it yields whatever the width and the size.
func BenchmarkListPeriod(b *testing.B) {
	for _, be := range backends {
		if be.name == "sqlite_file" {
			continue
		}
		b.Run(be.name, func(b *testing.B) {
			if be.name == "postgres" {
				postgresDSN(b)
			}
			for _, n := range []int{1000, 10000} {
				s := periodStore(b, be, n, &sqlstore.Options{PageSize: 64})
				for _, l := range periodListings {
					for _, w := range periodWidths {
						b.Run(fmt.Sprintf("%s/n=%d/%s", l.name, n, w.name), func(b *testing.B) {
							k := max(1, int(float64(n)*w.share))
							start := pipelinetest.Epoch().Add(time.Duration((n-k)/2) * time.Minute)
							var p sp.Period
							if w.name != "none" {
								p = mustPeriod(b, start, start.Add(time.Duration(k)*time.Minute))
							}
							for b.Loop() {
								got := 0
								for _, err := range l.list(b, s, p) {
									if err != nil {
										b.Fatal(err)
									}
									got++
								}
								if got != k {
									b.Fatalf("listed %d records, want %d", got, k)
								}
							}
						})
					}
				}
			}
		})
	}
}
