package review_test

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// certMap is a fast [review.Certificates] for the benchmark: every rep is
// certified but those listed.
type certMap map[sp.RepID]training.CertStatus

func (m certMap) Status(_ context.Context, rep sp.RepID, _ sp.ProductID, _ time.Time) (training.CertStatus, error) {
	if st, ok := m[rep]; ok {
		return st, nil
	}
	return training.CertValid, nil
}

// company is a large company for the benchmark: reps × products in
// regions of 100 reps, n deals spread over them, 5 % open, the others
// closed in November before the 20th, the as-of time; one product in ten
// loses for product reasons and every 97th rep lags on one product. The
// deals' amounts are whole euros, or with withCents euros and cents.
type company struct {
	deals     []pipeline.Deal
	inquiries []pipeline.Inquiry
	goals     []quota.Goal
	reps      []sp.Rep
	products  []sp.Product
	asOf      time.Time
}

func newCompany(reps, products, n, inquiries int, withCents bool) *company {
	c := &company{asOf: time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC)}
	repIDs := make([]sp.RepID, reps)
	regions := make([]sp.RegionID, reps)
	for i := range repIDs {
		repIDs[i] = sp.RepID(fmt.Sprintf("rep-%04d", i))
		regions[i] = sp.RegionID(fmt.Sprintf("region-%02d", i/100))
		c.reps = append(c.reps, sp.Rep{ID: repIDs[i], Name: fmt.Sprintf("Rep %d", i), Region: regions[i]})
		c.goals = append(c.goals, quota.Goal{Rep: repIDs[i], Region: regions[i], Period: november,
			Revenue: mustMoney(fmt.Sprintf("%d.00 EUR", 250000+i%7*75000))})
	}
	prodIDs := make([]sp.ProductID, products)
	for i := range prodIDs {
		prodIDs[i] = sp.ProductID(fmt.Sprintf("product-%02d", i))
		c.products = append(c.products, sp.Product{ID: prodIDs[i], Name: fmt.Sprintf("Product %d", i), Owner: "pm"})
	}
	probs := []decimal.Decimal{decimal.New(1, -1), decimal.New(2, -1), decimal.New(5, -1), decimal.New(8, -1)}
	stages := []pipeline.DealStage{pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation}
	cats := []pipeline.LossCategory{pipeline.LossPrice, pipeline.LossCompetitor, pipeline.LossTiming, pipeline.LossNoDecision}
	start := november.Start()
	c.deals = make([]pipeline.Deal, n)
	for i := range c.deals {
		r, p := i%reps, (i/reps)%products
		d := &c.deals[i]
		d.ID = sp.DealID(fmt.Sprintf("d-%07d", i))
		d.Owner, d.Product, d.Region = repIDs[r], prodIDs[p], regions[r]
		d.Customer = "customer"
		h := mix(i)
		cents := int64(100+(i*7919)%900) * 100
		if withCents {
			cents += int64(h % 100)
		}
		d.Amount = mustMinor(cents)
		d.Created = start
		switch {
		case (i/reps)%20 == 7:
			d.Stage = stages[h%4]
			d.Probability = probs[h%4]
			d.ExpectedClose = start.AddDate(0, 0, 25)
		default:
			winShare := 600
			if p == 3 {
				winShare = 350 // a product that fails
			}
			if r%97 == 0 && p == r%products {
				winShare = 150 // a rep who lags on one product
			}
			d.Closed = start.Add(time.Duration(h%(19*24)) * time.Hour)
			if h < winShare {
				d.Stage, d.Probability = pipeline.DealWon, decimal.New(1, 0)
			} else {
				d.Stage = pipeline.DealLost
				cat := cats[h%4]
				if p == 3 && h%3 != 0 {
					cat = pipeline.LossProduct
				}
				d.Loss = &pipeline.LossReason{Category: cat, Detail: "reason"}
			}
		}
	}
	c.inquiries = make([]pipeline.Inquiry, inquiries)
	for i := range c.inquiries {
		r, p := i%reps, (i/reps)%products
		in := &c.inquiries[i]
		in.ID = sp.InquiryID(fmt.Sprintf("i-%07d", i))
		in.Owner, in.Product, in.Region = repIDs[r], prodIDs[p], regions[r]
		in.Received = start.Add(time.Duration(i%(18*24)) * time.Hour)
		in.Stage = pipeline.InquiryContacted
		in.History = []pipeline.Transition[pipeline.InquiryStage]{
			{To: pipeline.InquiryNew, At: in.Received},
			{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: in.Received.Add(time.Duration(i%48) * time.Hour)},
		}
		if i < len(c.deals) && c.deals[i].Stage == pipeline.DealWon {
			in.Stage, in.Deal = pipeline.InquiryConverted, c.deals[i].ID
			c.deals[i].Inquiry = in.ID
		}
	}
	return c
}

// mix returns a well-spread number from 0 to 999 for i (splitmix64).
func mix(i int) int {
	z := uint64(i) + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return int((z ^ z>>31) % 1000)
}

func mustMoney(s string) sp.Money {
	m, err := sp.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mustMinor(cents int64) sp.Money {
	m, err := sp.NewMoneyFromMinor(cents, "EUR")
	if err != nil {
		panic(err)
	}
	return m
}

// BenchmarkReview reviews 1,000 reps × 10 products over 1,000,000 deals
// (the target is 1 s), the same with 200,000 inquiries, and the same with
// amounts in euros and cents, whose chances quota cannot compute on a
// lattice of whole euros and computes by another of its methods.
func BenchmarkReview(b *testing.B) {
	for _, bc := range []struct {
		name                         string
		reps, products, n, inquiries int
		cents                        bool
	}{
		{"reps=1000/products=10/deals=1000000", 1000, 10, 1_000_000, 0, false},
		{"reps=1000/products=10/deals=1000000/inquiries=200000", 1000, 10, 1_000_000, 200_000, false},
		{"reps=1000/products=10/deals=1000000/cents", 1000, 10, 1_000_000, 0, true},
	} {
		c := newCompany(bc.reps, bc.products, bc.n, bc.inquiries, bc.cents)
		certs := certMap{"rep-0005": training.CertExpired}
		opts := &review.Options{
			Clock: sp.FixedClock(c.asOf), Certificates: certs,
			Publisher: sp.PublisherFunc(func(context.Context, sp.Event) error { return nil }),
			Modules:   func(p sp.ProductID) (training.ModuleID, bool) { return training.ModuleID(p + "-basics"), true },
		}
		r, err := review.New(review.DefaultRules(), opts)
		if err != nil {
			b.Fatal(err)
		}
		in := review.Input{
			Period: november, AsOf: c.asOf, Deals: quota.Refs(c.deals), Inquiries: quota.Refs(c.inquiries),
			Goals: c.goals, Reps: c.reps, Products: c.products,
		}
		b.Run(bc.name, func(b *testing.B) {
			rep, err := r.Review(context.Background(), in)
			if err != nil {
				b.Fatal(err)
			}
			checkPlanted(b, rep, bc.cents)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for range b.N {
				if rep, err = r.Review(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time, less sensitive than wall time to a busy machine.
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(len(rep.Findings)), "findings")
		})
	}
}

// checkPlanted fails b unless the review found what newCompany planted:
// rep-0005's expired certificate, product-03's losses, the lag of reps
// whose number is a multiple of 97 and no other, and chances computed on
// the lattice exactly when the amounts are whole euros.
func checkPlanted(b *testing.B, rep review.Report, withCents bool) {
	b.Helper()
	var cert, product bool
	var lags int
	for _, f := range rep.Findings {
		switch f.Rule {
		case review.RuleCertification:
			cert = cert || f.Subject.Rep == "rep-0005"
		case review.RuleProductLosses:
			product = product || f.Subject.Product == "product-03"
		case review.RuleRepProductLag:
			n, err := strconv.Atoi(strings.TrimPrefix(string(f.Subject.Rep), "rep-"))
			if err != nil || n%97 != 0 {
				b.Fatalf("a lag found for %s, who was not made to lag", f.Subject)
			}
			lags++
		}
	}
	if !cert || !product || lags == 0 {
		b.Fatalf("the planted findings: rep-0005's certificate %t, product-03's losses %t, %d lags", cert, product, lags)
	}
	var lattice, other int
	for _, g := range rep.Snapshot.Goals {
		switch g.Method {
		case quota.MethodCertain:
		case quota.MethodLattice:
			lattice++
		default:
			other++
		}
	}
	if withCents && (lattice > 0 || other == 0) || !withCents && lattice == 0 {
		b.Fatalf("chances: %d on the lattice, %d by other methods, with cents %t", lattice, other, withCents)
	}
}

// BenchmarkRenderActions renders a report of n findings with an action
// for each that names its finding, at n and 10n: the cost should grow
// with n, not n².
func BenchmarkRenderActions(b *testing.B) {
	due := time.Date(2026, time.December, 15, 8, 0, 0, 0, time.UTC)
	for _, n := range []int{300, 3000} {
		rep := &review.Report{Period: november}
		for i := range n {
			id := "target_missed:rep=r-" + strconv.Itoa(i)
			rep.Findings = append(rep.Findings, review.Finding{ID: id, Rule: "target_missed",
				Subject: review.RepSubject("r"), Severity: review.SeverityWarning, Summary: "s"})
			rep.Outcome.Assignments = append(rep.Outcome.Assignments, review.AssignmentResult{
				Assignment: training.Assignment{Rep: "r", Module: "m", Due: due}, Product: widget,
				Status: review.StatusDone, Findings: []string{id}})
		}
		b.Run("findings="+strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				if err := rep.Text(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompare compares two reports of n findings about n reps, each
// rep with a retraining assignment in the previous report's outcome, at n
// and 10n: the cost should grow with n, not n².
func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{300, 3000} {
		var prevFindings, curFindings []review.Finding
		var assignments []review.AssignmentResult
		for i := range n {
			rep := sp.RepID("rep-" + strconv.Itoa(i))
			f := review.Finding{ID: "lag:rep=" + string(rep) + ",product=widget", Rule: "lag",
				Subject: review.RepProductSubject(rep, widget), Severity: review.SeverityWarning, Summary: "s"}
			prevFindings = append(prevFindings, f)
			if i%2 == 0 {
				curFindings = append(curFindings, f)
			}
			assignments = append(assignments, review.AssignmentResult{
				Assignment: training.Assignment{ID: training.AssignmentID("a-" + strconv.Itoa(i)), Rep: rep, Module: "widget-basics"},
				Product:    widget, Status: review.StatusDone, Findings: []string{f.ID}})
		}
		prev := review.Report{Version: review.ReportVersion, Period: november, AsOf: november.End(),
			Rules: review.DefaultRules(), Findings: prevFindings}
		prev.Outcome.Assignments = assignments
		cur := review.Report{Version: review.ReportVersion, Period: november, AsOf: november.End(),
			Rules: review.DefaultRules(), Findings: curFindings}
		b.Run("findings="+strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				if _, err := review.Compare(prev, cur); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// One rep with n findings and n assignments: each recurring finding
	// comes with all n, in one list shared by them, not n lists of n.
	for _, n := range []int{300, 3000} {
		var findings []review.Finding
		var assignments []review.AssignmentResult
		for i := range n {
			findings = append(findings, review.Finding{ID: "x:" + strconv.Itoa(i), Rule: "x", Subject: review.RepSubject("ann"),
				Severity: review.SeverityWarning, Summary: "s"})
			assignments = append(assignments, review.AssignmentResult{
				Assignment: training.Assignment{ID: training.AssignmentID("a-" + strconv.Itoa(i)), Rep: "ann", Module: "widget-basics"},
				Product:    widget, Status: review.StatusDone})
		}
		r := review.Report{Version: review.ReportVersion, Period: november, AsOf: november.End(), Rules: review.DefaultRules(), Findings: findings}
		r.Outcome.Assignments = assignments
		b.Run("one_rep/findings="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				ch, err := review.Compare(r, r)
				if err != nil || len(ch.Recurring) != n || len(ch.Recurring[n-1].Retraining) != n {
					b.Fatalf("%d recurring, %v", len(ch.Recurring), err)
				}
			}
		})
	}
}

// BenchmarkCatalogModules asks one lookup of [review.CatalogModules] the
// module of a product 1,000 times, as a review that retrains 1,000 reps
// on it does, where the product's curriculum holds n modules, at n and
// 10n: the lookup goes through the curriculum once, not once a call.
func BenchmarkCatalogModules(b *testing.B) {
	for _, n := range []int{100, 1000} {
		var modules []training.Module
		var ids []training.ModuleID
		for i := range n {
			id := training.ModuleID("widget-" + strconv.Itoa(i))
			modules = append(modules, training.Module{ID: id, Title: "Widget", Kind: training.ModuleProductKnowledge, Product: widget,
				BriefVersion: training.Version{Major: 1, Minor: i}, Assessment: training.Assessment{MaxScore: 10, PassMark: 8}})
			ids = append(ids, id)
		}
		catalog, err := training.NewCatalog(modules, []training.Curriculum{{ID: "widget-cert", Title: "Widget", Product: widget, Modules: ids, ValidMonths: 12}})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("modules="+strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				lookup := review.CatalogModules(catalog)
				for range 1000 {
					if _, ok := lookup(widget); !ok {
						b.Fatal("no module")
					}
				}
			}
		})
	}
}

// BenchmarkReviewRegions reviews a company whose every rep is a region of
// their own, each with a region goal it misses, at 200 and 2,000 regions:
// diagnosing a region reads its reps, not every rep, so the cost should
// grow with the regions, not with their square.
func BenchmarkReviewRegions(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		c := newCompany(n, 2, 10*n, 0, false)
		goals := make([]quota.Goal, n)
		for i := range c.reps {
			region := sp.RegionID(fmt.Sprintf("region-%05d", i))
			c.reps[i].Region = region
			goals[i] = quota.Goal{Region: region, Period: november, Revenue: mustMoney("99999999.00 EUR")}
		}
		for i := range c.deals {
			c.deals[i].Region = c.reps[i%n].Region
		}
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(c.asOf)})
		if err != nil {
			b.Fatal(err)
		}
		in := review.Input{Period: november, AsOf: c.asOf, Deals: quota.Refs(c.deals), Goals: goals, Reps: c.reps, Products: c.products}
		rep, err := r.Review(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		missed := 0
		for _, f := range rep.Findings {
			if f.Rule == review.RuleTargetMissed && f.Subject.Kind == review.SubjectRegion {
				missed++
			}
		}
		if missed != n {
			b.Fatalf("%d regions missed their goals, want %d", missed, n)
		}
		b.Run(fmt.Sprintf("regions=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := r.Review(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
