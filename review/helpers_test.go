package review_test

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// Products and regions of the scenarios.
const (
	widget = pipelinetest.ProductWidget
	gadget = pipelinetest.ProductGadget
	north  = pipelinetest.RegionNorth
	south  = pipelinetest.RegionSouth
)

// november is the period the scenarios sell in: pipelinetest's clock
// starts on November 2, 2026.
var november = sp.Month(2026, time.November, time.UTC)

// world is a sales team in a scenario: the pipeline engine on a
// MemStore, a trainer on a training MemStore with a catalog that teaches
// both products, and the goals, reps and products of the review.
type world struct {
	t        testing.TB
	ctx      context.Context
	sc       *pipelinetest.Scenario
	tstore   *trainingtest.MemStore
	trainer  *training.Trainer
	catalog  *training.Catalog
	goals    []quota.Goal
	reps     []sp.Rep
	products []sp.Product
	feedback []sp.Feedback
	n        int
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	catalog, err := training.NewCatalog(
		[]training.Module{
			{ID: "widget-basics", Title: "Widget basics", Kind: training.ModuleProductKnowledge, Product: widget,
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "gadget-basics", Title: "Gadget basics", Kind: training.ModuleProductKnowledge, Product: gadget,
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
		},
		[]training.Curriculum{
			{ID: "widget-cert", Title: "Widget certification", Product: widget, Modules: []training.ModuleID{"widget-basics"}, ValidMonths: 12},
			{ID: "gadget-cert", Title: "Gadget certification", Product: gadget, Modules: []training.ModuleID{"gadget-basics"}, ValidMonths: 12},
		},
	)
	require.NoError(t, err)
	tstore := trainingtest.NewMemStore()
	published := time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []sp.ProductID{widget, gadget} {
		require.NoError(t, tstore.AddBrief(ctx, training.Brief{Product: p, Version: training.MustParseVersion("1.0"), Published: published}))
	}
	clock := sp.FixedClock(time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC))
	return &world{
		t: t, ctx: ctx, sc: pipelinetest.NewScenario(t, nil), tstore: tstore, catalog: catalog,
		trainer: training.NewTrainer(tstore, catalog, &training.Options{Clock: clock}),
		products: []sp.Product{
			{ID: widget, Name: "Widget", Owner: "pm-widget"},
			{ID: gadget, Name: "Gadget", Owner: "pm-gadget"},
		},
	}
}

// rep adds a rep in region, certified for both products until next year.
func (w *world) rep(id sp.RepID, region sp.RegionID) {
	w.t.Helper()
	w.reps = append(w.reps, sp.Rep{ID: id, Name: "Rep " + string(id), Region: region})
	for _, p := range []sp.ProductID{widget, gadget} {
		w.certify(id, p, time.Date(2027, time.October, 1, 0, 0, 0, 0, time.UTC))
	}
}

func (w *world) certify(rep sp.RepID, product sp.ProductID, expires time.Time) {
	w.t.Helper()
	require.NoError(w.t, w.tstore.PutCertificate(w.ctx, training.Certificate{
		Rep: rep, Product: product, BriefVersion: training.MustParseVersion("1.0"),
		Issued: time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC), Expires: expires,
	}))
}

// goal gives rep a revenue goal for November.
func (w *world) goal(rep sp.RepID, region sp.RegionID, amount string) {
	w.goals = append(w.goals, quota.Goal{Rep: rep, Region: region, Period: november, Revenue: pipelinetest.MustEUR(amount)})
}

// open opens a deal of 1000.00 EUR for rep and returns its ID.
func (w *world) open(rep sp.RepID, region sp.RegionID, product sp.ProductID) sp.DealID {
	w.t.Helper()
	w.n++
	id := sp.DealID(fmt.Sprintf("d-%04d", w.n))
	_, err := w.sc.Engine.OpenDeal(w.ctx, pipelinetest.System(), pipeline.Deal{
		ID: id, Owner: rep, Region: region, Customer: sp.CustomerID(fmt.Sprintf("c-%04d", w.n)), Product: product,
		Channel: pipelinetest.ChannelPhone, Amount: pipelinetest.MustEUR("1000.00"),
		ExpectedClose: time.Date(2026, time.November, 28, 12, 0, 0, 0, time.UTC),
	}, nil)
	require.NoError(w.t, err)
	return id
}

// sell records won and lost deals of rep on product, lost for loss.
func (w *world) sell(rep sp.RepID, region sp.RegionID, product sp.ProductID, won, lost int, loss pipeline.LossCategory) []sp.DealID {
	w.t.Helper()
	var ids []sp.DealID
	for range won {
		id := w.open(rep, region, product)
		_, err := w.sc.Engine.Win(w.ctx, pipelinetest.System(), id, nil)
		require.NoError(w.t, err)
		ids = append(ids, id)
	}
	for range lost {
		id := w.open(rep, region, product)
		_, err := w.sc.Engine.Lose(w.ctx, pipelinetest.System(), id, pipeline.LossReason{Category: loss, Detail: lossDetail[loss]}, nil)
		require.NoError(w.t, err)
	}
	return ids
}

var lossDetail = map[pipeline.LossCategory]string{
	pipeline.LossProduct:      "stops working after a week",
	pipeline.LossPrice:        "too expensive",
	pipeline.LossCompetitor:   "went with a competitor",
	pipeline.LossRepExecution: "no follow-up after the demo",
	pipeline.LossNoDecision:   "no decision",
}

// followUp delivers the won deal id and records the customer's feedback.
func (w *world) followUp(id sp.DealID, rating int, cat sp.FeedbackCategory, text string) {
	w.t.Helper()
	_, err := w.sc.Engine.Deliver(w.ctx, pipelinetest.System(), id, nil)
	require.NoError(w.t, err)
	_, err = w.sc.Engine.FollowUp(w.ctx, pipelinetest.System(), id, []sp.Feedback{{
		ID: sp.FeedbackID("fb-" + string(id)), Rating: rating, Category: cat, Text: text,
	}}, nil)
	require.NoError(w.t, err)
}

// deals lists the store's deals, failing the test on a store error.
func (w *world) deals() iter.Seq[*pipeline.Deal] {
	return func(yield func(*pipeline.Deal) bool) {
		var err error
		for d := range quota.Records(w.sc.Store.ListDeals(w.ctx, pipeline.DealFilter{}), &err) {
			if !yield(d) {
				return
			}
		}
		require.NoError(w.t, err)
	}
}

func (w *world) inquiries() iter.Seq[*pipeline.Inquiry] {
	return func(yield func(*pipeline.Inquiry) bool) {
		var err error
		for in := range quota.Records(w.sc.Store.ListInquiries(w.ctx, pipeline.InquiryFilter{}), &err) {
			if !yield(in) {
				return
			}
		}
		require.NoError(w.t, err)
	}
}

// input is the review's input for November.
func (w *world) input() review.Input {
	regions := []sp.Region{
		{ID: north, Name: "North", Manager: "mgr-north"},
		{ID: south, Name: "South", Manager: "mgr-south"},
	}
	return review.Input{
		Period: november, Deals: w.deals(), Inquiries: w.inquiries(), Goals: w.goals,
		Reps: w.reps, Regions: regions, Products: w.products,
		Feedback: quota.Refs(w.feedback),
	}
}

// reviewClock is the time the reviews run: December 1, 2026, 08:00 UTC.
func reviewClock() sp.Clock {
	return sp.FixedClock(time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC))
}

// options wires the reviewer to the world's trainer and an event
// recorder.
func (w *world) options(events *pipelinetest.Recorder) *review.Options {
	opts := &review.Options{
		Clock: reviewClock(), Certificates: w.trainer.Readiness(), Assigner: w.trainer,
		Modules: review.CatalogModules(w.catalog),
	}
	if events != nil {
		opts.Publisher = events
	}
	return opts
}

// review runs a review of November under rules.
func (w *world) review(rules review.Rules, events *pipelinetest.Recorder) review.Report {
	w.t.Helper()
	if events == nil {
		events = &pipelinetest.Recorder{}
	}
	r, err := review.New(rules, w.options(events))
	require.NoError(w.t, err)
	rep, err := r.Review(w.ctx, w.input())
	require.NoError(w.t, err)
	return rep
}

// findings returns the findings of rep about subject, by rule.
func findings(rep review.Report, subject review.Subject) map[string]review.Finding {
	out := map[string]review.Finding{}
	for _, f := range rep.Findings {
		if f.Subject == subject {
			out[f.Rule] = f
		}
	}
	return out
}

// actionKinds returns the kinds of a finding's actions.
func actionKinds(f review.Finding) []review.ActionKind {
	var out []review.ActionKind
	for _, a := range f.Actions {
		out = append(out, a.Kind)
	}
	return out
}

// machineLocal is the machine's time zone as Go names it where the TZ
// environment variable is unset: time.Local, named "Local", which has no
// IANA name and which the module refuses. Where TZ names a zone, time.Local
// takes that name and is valid, so a fixed zone named "Local", refused
// alike, stands in for it, and the tests do not depend on the machine.
var machineLocal = func() *time.Location {
	if time.Local.String() == "Local" {
		return time.Local
	}
	return time.FixedZone("Local", 0)
}()
