package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/training"
)

// minutes returns the period of the k minutes from minute i after
// pipelinetest.Epoch.
func minutes(tb testing.TB, i, k int) sp.Period {
	tb.Helper()
	start := pipelinetest.Epoch().Add(time.Duration(i) * time.Minute)
	return mustPeriod(tb, start, start.Add(time.Duration(k)*time.Minute))
}

// A listing filtered by a period whose rows are more than a few pages
// reads them in the order of IDs, sorting none, unless the rows it would
// read so are many more (a narrow period of a big table); one of a narrow
// period reads them through the period's index. EXPLAIN QUERY PLAN of each
// query it runs on SQLite says so. Read through the index, each page of a
// wide period would read and sort every row of the period after the page
// before, quadratic in the rows of the period.
func TestListPeriodPlan(t *testing.T) {
	ctx := context.Background()
	const n, page = 100, 2
	s := periodStore(t, backends[0], n, &sqlstore.Options{PageSize: page})
	var all []pipeline.Deal
	for d, err := range s.ListDeals(ctx, pipeline.DealFilter{}) {
		require.NoError(t, err)
		all = append(all, d)
	}
	require.Len(t, all, n)
	explain := func(t *testing.T, q sqlstore.Query) string {
		t.Helper()
		rows, err := s.DB().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.SQL, q.Args...)
		require.NoError(t, err)
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
			plan = append(plan, detail)
		}
		require.NoError(t, rows.Err())
		return strings.Join(plan, "; ")
	}
	period := func(rows int) sp.Period { return minutes(t, (n-rows)/2, rows) }
	for _, c := range []struct {
		name    string
		f       pipeline.DealFilter
		inOrder bool // whether pages read in order of ID rather than through the period's index
	}{
		{"narrow", pipeline.DealFilter{Created: period(3)}, false},
		{"eight_pages", pipeline.DealFilter{Created: period(8 * page)}, false},
		// 17²/(2 × 2) = 72 rows read through the index, fewer than the 100 in order.
		{"eight_pages_and_one", pipeline.DealFilter{Created: period(8*page + 1)}, false},
		// 20²/(2 × 2) = 100 rows read through the index, as many as in order.
		{"ten_pages", pipeline.DealFilter{Created: period(10 * page)}, true},
		// Of the 100, in order it reads only those after d0000080.
		{"eight_pages_and_one_after", pipeline.DealFilter{Created: period(8*page + 1), After: "d0000080"}, true},
		{"half", pipeline.DealFilter{Created: period(n / 2)}, true},
		{"all", pipeline.DealFilter{Created: period(n)}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want []sp.DealID
			for _, d := range all {
				if c.f.Match(d) {
					want = append(want, d.ID)
				}
			}
			deals, queries, err := sqlstore.ListDealsQueries(ctx, s, c.f)
			require.NoError(t, err)
			var got []sp.DealID
			for _, d := range deals {
				got = append(got, d.ID)
			}
			assert.Equal(t, want, got, "the deals of the filter, in order of ID")
			pages := 0
			for _, q := range queries {
				plan := explain(t, q)
				if strings.Contains(q.SQL, "count(*)") {
					continue
				}
				pages++
				if c.inOrder {
					assert.NotContains(t, plan, "TEMP B-TREE", "a page read in order sorts nothing: %s", q.SQL)
					assert.NotContains(t, plan, "deals_created", "a page read in order does not read the period's index: %s", q.SQL)
				} else {
					assert.Contains(t, plan, "USING INDEX deals_created", "a page reads the period's index: %s", q.SQL)
				}
			}
			assert.Positive(t, pages)
		})
	}
}

// Listings filtered by periods list what the filters match, in ascending
// order of ID, whether the periods hold few pages of rows or many, with
// other conditions or without, on every backend.
func TestListPeriodMatches(t *testing.T) {
	ctx := context.Background()
	const n = 30
	eachBackend(t, func(t *testing.T, b backend) {
		for _, page := range []int{1, 3} {
			t.Run(fmt.Sprint("page_", page), func(t *testing.T) {
				s := b.open(t, &sqlstore.Options{PageSize: page})
				perm := rand.New(rand.NewPCG(3, 4)).Perm(n)
				var deals []pipeline.Deal
				var inquiries []pipeline.Inquiry
				for i := range n {
					at := pipelinetest.Epoch().Add(time.Duration(i) * time.Minute)
					in := inquiry(sp.InquiryID(fmt.Sprintf("i%02d", perm[i])), at)
					d := deal(sp.DealID(fmt.Sprintf("d%02d", perm[i])))
					d.Created = at
					if i%3 != 0 {
						d.Closed = at.Add(time.Duration(i%7) * time.Minute)
					}
					if i%2 == 0 {
						d.Owner, in.Owner = pipelinetest.RepBob, pipelinetest.RepBob
					}
					require.NoError(t, s.CreateDeal(ctx, d))
					require.NoError(t, s.CreateInquiry(ctx, in))
					deals = append(deals, d)
					inquiries = append(inquiries, in)
				}
				for _, k := range []int{0, 1, 2, 8*page - 1, 8 * page, 8*page + 1, 8*page + 2, n - 1, n} {
					p := minutes(t, n+5, 1) // a period with no record
					if k > 0 {
						p = minutes(t, (n-k)/2, k)
					}
					for _, f := range []pipeline.DealFilter{
						{Created: p},
						{Closed: p},
						{Created: p, Closed: minutes(t, 0, n)},
						{Created: p, Owner: pipelinetest.RepBob},
						{Created: p, After: "d10"},
						{Closed: p, Stages: []pipeline.DealStage{pipeline.DealProspecting}},
					} {
						var want, got []sp.DealID
						for _, d := range deals {
							if f.Match(d) {
								want = append(want, d.ID)
							}
						}
						slices.Sort(want)
						for d, err := range s.ListDeals(ctx, f) {
							require.NoError(t, err)
							got = append(got, d.ID)
						}
						assert.Equal(t, want, got, "ListDeals of %d rows' period, filter %+v", k, f)
					}
					for _, f := range []pipeline.InquiryFilter{
						{Received: p},
						{Received: p, Owner: pipelinetest.RepBob, After: "i05"},
					} {
						var want, got []sp.InquiryID
						for _, in := range inquiries {
							if f.Match(in) {
								want = append(want, in.ID)
							}
						}
						slices.Sort(want)
						for in, err := range s.ListInquiries(ctx, f) {
							require.NoError(t, err)
							got = append(got, in.ID)
						}
						assert.Equal(t, want, got, "ListInquiries of %d rows' period, filter %+v", k, f)
					}
				}
			})
		}
	})
}

// A listing of certificates by the period of their expiry lists what
// CertificateFilter.Match takes, in the order of rep, product and channel,
// through the index of the expiry or in that order alike.
func TestListCertificatesExpiringMatches(t *testing.T) {
	ctx := context.Background()
	const n = 30
	v1 := training.MustParseVersion("1.0")
	eachBackend(t, func(t *testing.T, b backend) {
		for _, page := range []int{1, 3} {
			t.Run(fmt.Sprint("page_", page), func(t *testing.T) {
				s := b.open(t, &sqlstore.Options{PageSize: page})
				perm := rand.New(rand.NewPCG(5, 6)).Perm(n)
				var certs []training.Certificate
				for i := range n {
					c := training.Certificate{
						Rep:          sp.RepID(fmt.Sprintf("r%02d", perm[i]/2)),
						Product:      pipelinetest.ProductWidget,
						Channel:      sp.ChannelID(fmt.Sprintf("c%d", perm[i]%2)),
						BriefVersion: v1,
						Issued:       pipelinetest.Epoch(),
						Expires:      pipelinetest.Epoch().Add(time.Duration(i) * time.Minute),
					}
					if i%2 == 0 {
						c.Product = pipelinetest.ProductGadget
					}
					require.NoError(t, s.PutCertificate(ctx, c))
					certs = append(certs, c)
				}
				key := func(c training.Certificate) string {
					return string(c.Rep) + "/" + string(c.Product) + "/" + string(c.Channel)
				}
				for _, k := range []int{0, 1, 8*page - 1, 8 * page, 8*page + 1, n - 1, n} {
					p := minutes(t, n+5, 1) // a period with no certificate
					if k > 0 {
						p = minutes(t, (n-k)/2, k)
					}
					for _, f := range []training.CertificateFilter{
						{Expiring: p},
						{Expiring: p, Product: pipelinetest.ProductWidget},
						{Expiring: p, Rep: "r03"},
					} {
						var want, got []string
						for _, c := range certs {
							if f.Match(c) {
								want = append(want, key(c))
							}
						}
						slices.Sort(want)
						for c, err := range s.ListCertificates(ctx, f) {
							require.NoError(t, err)
							got = append(got, key(c))
						}
						assert.Equal(t, want, got, "ListCertificates of %d rows' period, filter %+v", k, f)
					}
				}
			})
		}
	})
}
