package review_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// IDs of the longest length a record may have make evidence names that
// hold two of them (a product's share in a rep's deals, a rep's rate on a
// product): a review of such reps and products runs, every finding valid.
func TestReviewOfLongestIDs(t *testing.T) {
	long := func(prefix string) string { return prefix + strings.Repeat("x", sp.MaxIDLength-len(prefix)) }
	weak, strong := sp.ProductID(long("weak-")), sp.ProductID(long("strong-"))
	var deals []pipeline.Deal
	var goals []quota.Goal
	for r := range 3 {
		rep := sp.RepID(long(fmt.Sprintf("rep%d-", r)))
		for i := range 20 {
			p, won := weak, i < 2
			if i >= 10 {
				p, won = strong, i < 18
			}
			d := deal(sp.DealID(fmt.Sprintf("d-%d-%02d", r, i)), rep, p, won, "100.00 EUR")
			if !won {
				d.Loss = &pipeline.LossReason{Category: pipeline.LossProduct, Detail: "lost"}
			}
			deals = append(deals, d)
		}
		goals = append(goals, quota.Goal{Rep: rep, Period: november, Revenue: mustMoney("100000.00 EUR")})
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(deals), Goals: goals})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Findings)
	var product bool
	for _, f := range rep.Findings {
		require.NoError(t, f.Validate(), f.ID)
		product = product || f.Rule == review.RuleTargetMissed && f.Cause == review.CauseProduct
	}
	require.True(t, product, "a missed target traced to the product")
}

// longID returns an ID of the longest length, [sp.MaxIDLength] bytes,
// beginning with prefix.
func longID(prefix string) string {
	return prefix + strings.Repeat("x", sp.MaxIDLength-len(prefix))
}

// longText returns n bytes of text beginning with prefix.
func longText(prefix string, n int) string {
	return prefix + strings.Repeat("y", n-len(prefix))
}

// longWorld is a month of a team whose every ID has the longest length
// and whose texts (names, loss details, feedback, notes, reasons) are at
// their bounds: two regions, seven reps, two products sold over two
// channels and a campaign, with inquiries followed up late and converted,
// deals won and lost, feedback, certificates that expire, are missing or
// lapse, and goals of reps, regions, products and the company.
type longWorld struct {
	t        *testing.T
	ctx      context.Context
	sc       *pipelinetest.Scenario
	tstore   *trainingtest.MemStore
	trainer  *training.Trainer
	catalog  *training.Catalog
	reps     []sp.Rep
	regions  []sp.Region
	products []sp.Product
	goals    []quota.Goal
	n        int
}

var (
	longWidget   = sp.ProductID(longID("widget-"))
	longGadget   = sp.ProductID(longID("gadget-"))
	longNorth    = sp.RegionID(longID("north-"))
	longSouth    = sp.RegionID(longID("south-"))
	longPhone    = sp.ChannelID(longID("phone-"))
	longVisit    = sp.ChannelID(longID("visit-"))
	longCampaign = sp.CampaignID(longID("campaign-"))
)

func newLongWorld(t *testing.T) *longWorld {
	ctx := context.Background()
	v1 := training.MustParseVersion("1.0")
	var modules []training.Module
	var curricula []training.Curriculum
	for _, p := range []sp.ProductID{longWidget, longGadget} {
		m := training.ModuleID(longID("module-" + string(p)[:6] + "-"))
		modules = append(modules, training.Module{ID: m, Title: longText("title ", 256), Kind: training.ModuleProductKnowledge,
			Product: p, BriefVersion: v1, Assessment: training.Assessment{MaxScore: 10, PassMark: 8}})
		curricula = append(curricula, training.Curriculum{ID: training.CurriculumID(longID("curriculum-" + string(p)[:6] + "-")),
			Title: longText("curriculum ", 256), Product: p, Modules: []training.ModuleID{m}, ValidMonths: 12})
	}
	catalog, err := training.NewCatalog(modules, curricula)
	require.NoError(t, err)
	tstore := trainingtest.NewMemStore()
	for _, p := range []sp.ProductID{longWidget, longGadget} {
		require.NoError(t, tstore.AddBrief(ctx, training.Brief{Product: p, Version: v1,
			Published: time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC)}))
	}
	w := &longWorld{
		t: t, ctx: ctx, sc: pipelinetest.NewScenario(t, nil), tstore: tstore, catalog: catalog,
		trainer: training.NewTrainer(tstore, catalog, &training.Options{Clock: reviewClock()}),
	}
	for _, p := range []sp.ProductID{longWidget, longGadget} {
		w.products = append(w.products, sp.Product{ID: p, Name: longText("product ", 256), Owner: sp.ActorID(longID("owner-" + string(p)[:6] + "-"))})
	}
	for _, r := range []sp.RegionID{longNorth, longSouth} {
		w.regions = append(w.regions, sp.Region{ID: r, Name: longText("region ", 256), Manager: sp.ActorID(longID("manager-" + string(r)[:5] + "-"))})
	}
	return w
}

// rep adds a rep of region, certified for product until expires (on no
// product when expires is zero).
func (w *longWorld) rep(i int, region sp.RegionID, expires time.Time) sp.RepID {
	id := sp.RepID(longID(fmt.Sprintf("rep%d-", i)))
	w.reps = append(w.reps, sp.Rep{ID: id, Name: longText("rep ", 256), Region: region})
	if !expires.IsZero() {
		for _, p := range []sp.ProductID{longWidget, longGadget} {
			require.NoError(w.t, w.tstore.PutCertificate(w.ctx, training.Certificate{
				Rep: id, Product: p, Channel: longPhone, BriefVersion: training.MustParseVersion("1.0"),
				Curriculum: training.CurriculumID(longID("curriculum-" + string(p)[:6] + "-")),
				Issued:     time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC), Expires: expires,
			}))
		}
	}
	return id
}

func (w *longWorld) next(prefix string) string {
	w.n++
	return longID(fmt.Sprintf("%s%04d-", prefix, w.n))
}

// open opens a deal of 1000.00 EUR for rep on product.
func (w *longWorld) open(rep sp.RepID, region sp.RegionID, product sp.ProductID) sp.DealID {
	id := sp.DealID(w.next("deal-"))
	_, err := w.sc.Engine.OpenDeal(w.ctx, pipelinetest.System(), pipeline.Deal{
		ID: id, Owner: rep, Region: region, Customer: sp.CustomerID(w.next("customer-")), Product: product,
		Channel: longPhone, Campaign: longCampaign, Amount: pipelinetest.MustEUR("1000.00"),
		ExpectedClose: time.Date(2026, time.November, 28, 12, 0, 0, 0, time.UTC),
		Activities: []pipeline.Activity{{ID: w.next("activity-"), Kind: pipeline.ActivityMeeting,
			Actor: sp.ActorID(longID("actor-")), Done: pipelinetest.Epoch(), Outcome: longText("outcome ", 1024), Notes: longText("notes ", 8192)}},
	}, &pipeline.CommandOptions{Reason: longText("reason ", 1024)})
	require.NoError(w.t, err)
	return id
}

// sell records won and lost deals of rep on product; the won ones are
// delivered and followed up with feedback of rating, when it is not 0.
func (w *longWorld) sell(rep sp.RepID, region sp.RegionID, product sp.ProductID, won, lost int, loss pipeline.LossCategory, rating int) {
	for range won {
		id := w.open(rep, region, product)
		_, err := w.sc.Engine.Win(w.ctx, pipelinetest.System(), id, nil)
		require.NoError(w.t, err)
		if rating == 0 {
			continue
		}
		_, err = w.sc.Engine.Deliver(w.ctx, pipelinetest.System(), id, nil)
		require.NoError(w.t, err)
		_, err = w.sc.Engine.FollowUp(w.ctx, pipelinetest.System(), id, []sp.Feedback{{
			ID: sp.FeedbackID(w.next("feedback-")), Rating: rating, Category: sp.FeedbackQuality, Text: longText("feedback ", 8192),
		}}, nil)
		require.NoError(w.t, err)
	}
	for range lost {
		id := w.open(rep, region, product)
		_, err := w.sc.Engine.Lose(w.ctx, pipelinetest.System(), id, pipeline.LossReason{Category: loss, Detail: longText("lost ", 1024)}, nil)
		require.NoError(w.t, err)
	}
}

// inquire receives n inquiries for rep on product, contacts them after
// delay and converts converted of them to deals it wins.
func (w *longWorld) inquire(rep sp.RepID, region sp.RegionID, product sp.ProductID, n, converted int, delay time.Duration) {
	var ids []sp.InquiryID
	for range n {
		id := sp.InquiryID(w.next("inquiry-"))
		ids = append(ids, id)
		_, err := w.sc.Engine.ReceiveInquiry(w.ctx, pipelinetest.System(), pipeline.Inquiry{
			ID: id, Channel: longVisit, Campaign: longCampaign, Region: region, Product: product,
			Customer: sp.CustomerID(w.next("customer-")), Owner: rep, Locality: longText("locality ", 256),
		}, nil)
		require.NoError(w.t, err)
	}
	w.sc.Clock.Advance(delay)
	for i, id := range ids {
		_, err := w.sc.Engine.Contact(w.ctx, pipelinetest.System(), id, pipeline.Activity{ID: w.next("call-"),
			Kind: pipeline.ActivityCall, Outcome: longText("outcome ", 1024), Notes: longText("notes ", 8192)}, nil)
		require.NoError(w.t, err)
		if i >= converted {
			_, err = w.sc.Engine.Disqualify(w.ctx, pipelinetest.System(), id, longText("no budget ", 1024), nil)
			require.NoError(w.t, err)
			continue
		}
		_, err = w.sc.Engine.Qualify(w.ctx, pipelinetest.System(), id, nil)
		require.NoError(w.t, err)
		_, d, err := w.sc.Engine.Convert(w.ctx, pipelinetest.System(), id, pipeline.Conversion{Terms: pipeline.Terms{
			Amount: pipelinetest.MustEUR("1000.00"), ExpectedClose: time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC)}}, nil)
		require.NoError(w.t, err)
		_, err = w.sc.Engine.Win(w.ctx, pipelinetest.System(), d.ID, nil)
		require.NoError(w.t, err)
	}
}

// A month of a team whose every ID has the longest length and whose texts
// are at their bounds is reviewed: every finding and action is valid, the
// retraining is assigned, the product feedback and findings are
// published, and the report renders as Markdown and text and round-trips
// through JSON.
func TestReviewOfLongestIDsAndTexts(t *testing.T) {
	w := newLongWorld(t)
	later := time.Date(2027, time.October, 1, 0, 0, 0, 0, time.UTC)
	soon := time.Date(2026, time.December, 10, 0, 0, 0, 0, time.UTC)
	var reps []sp.RepID
	for i := range 4 {
		reps = append(reps, w.rep(i, longNorth, later))
	}
	reps = append(reps, w.rep(4, longSouth, soon), w.rep(5, longSouth, time.Time{}), w.rep(6, longSouth, later))
	for _, r := range []int{0, 2, 3, 4, 5, 6} {
		w.sell(reps[r], w.reps[r].Region, longWidget, 14, 6, pipeline.LossCompetitor, 0)
	}
	w.sell(reps[1], longNorth, longWidget, 3, 17, pipeline.LossRepExecution, 0)
	for _, r := range reps[:3] {
		w.sell(r, longNorth, longGadget, 3, 5, pipeline.LossProduct, 1)
	}
	w.sell(reps[0], longNorth, longWidget, 6, 0, "", 0)
	w.inquire(reps[0], longNorth, longWidget, 10, 6, 2*time.Hour)
	w.inquire(reps[3], longNorth, longWidget, 10, 2, 40*time.Hour)
	for _, r := range reps[4:6] {
		for range 3 {
			id := w.open(r, longSouth, longWidget)
			_, err := w.sc.Engine.Advance(w.ctx, pipelinetest.System(), id, pipeline.DealNegotiation, nil)
			require.NoError(t, err)
		}
	}
	for i, r := range reps {
		w.goals = append(w.goals,
			quota.Goal{Rep: r, Region: w.reps[i].Region, Period: november, Revenue: pipelinetest.MustEUR("24000.00")},
			quota.Goal{Rep: r, Product: longGadget, Period: november, Revenue: pipelinetest.MustEUR("9000.00")})
	}
	for _, r := range []sp.RegionID{longNorth, longSouth} {
		w.goals = append(w.goals, quota.Goal{Region: r, Product: longWidget, Period: november, Revenue: pipelinetest.MustEUR("90000.00")})
	}
	w.goals = append(w.goals, quota.Goal{Product: longGadget, Period: november, Revenue: pipelinetest.MustEUR("30000.00")},
		quota.Goal{Period: november, Revenue: pipelinetest.MustEUR("200000.00")})

	events := &pipelinetest.Recorder{}
	r, err := review.New(review.DefaultRules(), &review.Options{
		Clock: reviewClock(), Certificates: w.trainer.Readiness(), Assigner: w.trainer, Publisher: events,
		Actor: sp.ActorID(longID("reviewer-")), Modules: review.CatalogModules(w.catalog),
		Curricula: review.CatalogCurricula(w.catalog), Certifying: review.CatalogCertifying(w.catalog),
	})
	require.NoError(t, err)
	var ferr error
	rep, err := r.Review(w.ctx, review.Input{
		Period: november, AsOf: time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC),
		Deals: quota.Records(w.sc.Store.ListDeals(w.ctx, pipeline.DealFilter{}), &ferr), Goals: w.goals,
		Inquiries: quota.Records(w.sc.Store.ListInquiries(w.ctx, pipeline.InquiryFilter{}), &ferr),
		Reps:      w.reps, Regions: w.regions, Products: w.products,
	})
	require.NoError(t, err)
	require.NoError(t, ferr)

	rules := map[string]bool{}
	for _, f := range rep.Findings {
		require.NoError(t, f.Validate(), f.ID)
		rules[f.Rule] = true
	}
	for _, rule := range []string{review.RuleTargetMet, review.RuleTargetMissed, review.RuleSlowFollowUp, review.RuleProductLosses,
		review.RuleRepProductLag, review.RuleCertification} {
		assert.True(t, rules[rule], "a finding of %s", rule)
	}
	assert.NotEmpty(t, rep.Outcome.Assignments, "retraining assigned")
	assert.NotEmpty(t, rep.Outcome.ProductFeedback, "product feedback sent")
	assert.NotEmpty(t, events.Events(), "events published")
	for _, e := range events.Events() {
		require.NoError(t, e.Validate(), e.ID)
	}
	for _, a := range rep.Outcome.Assignments {
		assert.Equal(t, review.StatusDone, a.Status, "%+v", a)
	}

	var js, md, txt bytes.Buffer
	require.NoError(t, rep.WriteJSON(&js))
	require.NoError(t, rep.Markdown(&md))
	require.NoError(t, rep.Text(&txt))
	back, err := review.ParseReport(js.Bytes())
	require.NoError(t, err)
	var js2 bytes.Buffer
	require.NoError(t, back.WriteJSON(&js2))
	assert.Equal(t, js.String(), js2.String())
	assert.Contains(t, md.String(), string(reps[1]))
	assert.Contains(t, txt.String(), string(reps[1]))
}

// A host rule's retraining action with a note of the longest length, for
// a product and a curriculum of the longest IDs that no module is known
// for, keeps a note within the bound of [review.Action.Validate]: the
// review's note that no module is known ends it, in full, and the host's
// note is cut to make room.
func TestRetrainNoteOfLongestLength(t *testing.T) {
	rep, product := sp.RepID(longID("rep-")), sp.ProductID(longID("product-"))
	curriculum := training.CurriculumID(longID("curriculum-"))
	note := longText("host note ", 8<<10)
	rule := review.NewRule("retrain_all", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: review.RepProductSubject(rep, product), Severity: review.SeverityWarning,
			Summary: "retrain", Actions: []review.Action{{Kind: review.ActionRetrain, Rep: rep, Product: product,
				Curriculum: curriculum, Note: note}}}}, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Rules: []review.Rule{rule}})
	require.NoError(t, err)
	rep2, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End()})
	require.NoError(t, err)
	f, ok := rep2.Finding(rule.Name(), review.RepProductSubject(rep, product))
	require.True(t, ok)
	require.NoError(t, f.Validate())
	require.Len(t, f.Actions, 1)
	got := f.Actions[0].Note
	want := "; no training module is known for product " + string(product) + " or curriculum " + string(curriculum)
	assert.True(t, strings.HasSuffix(got, want), "the note ends %q", got[max(0, len(got)-len(want)):])
	assert.True(t, strings.HasPrefix(got, note[:len(note)-len(want)]), "the host's note begins the note")
	assert.Len(t, got, 8<<10)
}

// lengthen returns the input of [fuzzInput] with every ID lengthened to n
// bytes (or left as it is where it is as long), a "-" and x's appended,
// which keeps apart the IDs that were apart: the reps, regions, products,
// deals, inquiries, customers and feedback of the records, goals and
// products.
func lengthen(in review.Input, n int) review.Input {
	grow := func(s string) string {
		if s == "" || len(s)+1 >= n {
			return s
		}
		return s + "-" + strings.Repeat("x", n-len(s)-1)
	}
	var deals []pipeline.Deal
	for d := range in.Deals {
		c := d.Clone()
		c.ID, c.Owner, c.Region = sp.DealID(grow(string(c.ID))), sp.RepID(grow(string(c.Owner))), sp.RegionID(grow(string(c.Region)))
		c.Product, c.Customer = sp.ProductID(grow(string(c.Product))), sp.CustomerID(grow(string(c.Customer)))
		if c.Service != nil {
			for i := range c.Service.Feedback {
				fb := &c.Service.Feedback[i]
				fb.ID, fb.Product = sp.FeedbackID(grow(string(fb.ID))), sp.ProductID(grow(string(fb.Product)))
			}
		}
		deals = append(deals, c)
	}
	var inquiries []pipeline.Inquiry
	for q := range in.Inquiries {
		c := q.Clone()
		c.ID, c.Owner, c.Region = sp.InquiryID(grow(string(c.ID))), sp.RepID(grow(string(c.Owner))), sp.RegionID(grow(string(c.Region)))
		c.Product, c.Deal = sp.ProductID(grow(string(c.Product))), sp.DealID(grow(string(c.Deal)))
		inquiries = append(inquiries, c)
	}
	var goals []quota.Goal
	for _, g := range in.Goals {
		g.Rep, g.Region, g.Product = sp.RepID(grow(string(g.Rep))), sp.RegionID(grow(string(g.Region))), sp.ProductID(grow(string(g.Product)))
		goals = append(goals, g)
	}
	var products []sp.Product
	for _, p := range in.Products {
		p.ID, p.Owner = sp.ProductID(grow(string(p.ID))), sp.ActorID(grow(string(p.Owner)))
		products = append(products, p)
	}
	in.Deals, in.Inquiries, in.Goals, in.Products = quota.Refs(deals), quota.Refs(inquiries), goals, products
	return in
}

// FuzzReviewLongIDs reviews the months of [FuzzReview] with every ID
// lengthened to within 8 bytes of [sp.MaxIDLength], by the first byte:
// every finding validates, the report round-trips through its JSON form
// and renders, and the retraining assigned has valid IDs.
func FuzzReviewLongIDs(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add(append([]byte{3}, bytes.Repeat([]byte{7, 0, 1, 4, 30, 40, 60, 8, 25, 2, 9, 50}, 12)...))
	f.Add(append([]byte{7}, bytes.Repeat([]byte{3, 1, 0, 5, 21, 22, 99, 3, 30, 1, 0, 21, 1}, 20)...))
	module := training.ModuleID(longID("widget-basics-"))
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(),
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return module, true }})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		rep, err := r.Review(context.Background(), lengthen(fuzzInput(data[1:]), sp.MaxIDLength-int(data[0]%8)))
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) && !errors.Is(err, sp.ErrCurrencyMismatch) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		for _, fd := range rep.Findings {
			if err := fd.Validate(); err != nil {
				t.Fatalf("finding %s: %v", fd.ID, err)
			}
		}
		for _, a := range rep.Outcome.Assignments {
			if err := a.Assignment.ID.Validate(); err != nil {
				t.Fatalf("assignment %s: %v", a.Assignment.ID, err)
			}
		}
		var a, b bytes.Buffer
		if err := rep.WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		back, err := review.ParseReport(a.Bytes())
		if err != nil {
			t.Fatalf("parse the report: %v", err)
		}
		if err := back.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("the report does not round-trip through JSON")
		}
		if err := back.Markdown(io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := back.Text(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}
