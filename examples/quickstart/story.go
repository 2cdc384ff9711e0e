package main

import (
	"context"
	"iter"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// story is the month of the company as it unfolds: the library's services
// on in-memory stores, one clock for all of them, the seeded randomness of
// the market, and the Markdown written along the way.
type story struct {
	co    *company
	month sp.Period // the month under review, in the head office's zone
	rng   *rand.Rand

	// clock is the company's clock: the story moves it to the time of each
	// thing that happens, and the services stamp their records with it.
	clock *sp.SteppingClock

	// Training keeps briefs, pilots, attempts and certificates in
	// trainingStore; the trainer runs the process on it.
	catalog       *training.Catalog
	trainingStore *trainingtest.MemStore
	trainer       *training.Trainer

	// Inquiries and deals live in salesStore; the engine runs every
	// command on them, asking the trainer's readiness whether a rep may
	// take on an inquiry or a deal.
	salesStore   *pipelinetest.MemStore
	engine       *pipeline.Engine
	dealPipeline *pipeline.Definition

	reps    []sp.Rep     // the team, as assigned to their divisions
	goals   []quota.Goal // the month's goals
	leads   []*lead      // the month's inquiries, as they arrived
	carried []*lead      // the deals carried over from the previous month
	outbox  []sp.Event   // the events the review sent

	md doc
}

// newStory wires the services for the month under review, with the
// market's randomness seeded by seed.
func newStory(seed uint64, month sp.Period) (*story, error) {
	co, err := newCompany(month)
	if err != nil {
		return nil, err
	}
	s := &story{
		co:    co,
		month: month,
		rng:   rand.New(rand.NewPCG(seed, 2026)),
		// The clock steps a second per reading, so that two changes made
		// at one moment of the story still get distinct times.
		clock: sp.NewSteppingClock(month.Start(), time.Second),
	}
	if s.catalog, err = newCatalog(); err != nil {
		return nil, err
	}
	s.trainingStore = trainingtest.NewMemStore()
	s.trainer = training.NewTrainer(s.trainingStore, s.catalog, &training.Options{Clock: s.clock, Location: co.repZone})

	// Deals go through the default stages, with the chances of winning
	// that the company's past deals show at each.
	spec := pipeline.DefaultSpec()
	for i, st := range spec.Stages {
		if p, ok := stageChances[st.Key]; ok {
			spec.Stages[i].Probability = decimal.RequireFromString(p)
		}
	}
	if s.dealPipeline, err = pipeline.NewDefinition(spec); err != nil {
		return nil, err
	}

	s.salesStore = pipelinetest.NewMemStore()
	s.engine, err = pipeline.NewEngine(s.salesStore, s.salesStore, &pipeline.Options{
		Pipelines: []*pipeline.Definition{s.dealPipeline},
		Clock:     s.clock,
		// Only a rep certified for a product may own its inquiries and
		// deals: the trainer's readiness says who is.
		Eligibility: s.trainer.Readiness(),
		// A deal converted from inquiry inq-0042 is deal-0042.
		DealIDFor: func(id sp.InquiryID) sp.DealID { return sp.DealID("deal-" + strings.TrimPrefix(string(id), "inq-")) },
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// stageChances are the chances of winning a deal at each open stage.
var stageChances = map[pipeline.DealStage]string{
	pipeline.DealProspecting:   "0.4",
	pipeline.DealQualification: "0.45",
	pipeline.DealProposal:      "0.55",
	pipeline.DealNegotiation:   "0.75",
}

// monthsBefore returns the calendar month n months before the month under
// review, in the head office's zone.
func (s *story) monthsBefore(n int) sp.Period {
	y, m, _ := s.month.Start().Date()
	return sp.Month(y, m-time.Month(n), s.co.HQ)
}

// deals lists every deal of the store, for the calculators of package
// quota; a store error ends the listing and is kept in *err.
func (s *story) deals(ctx context.Context, err *error) iter.Seq[*pipeline.Deal] {
	return quota.Records(s.salesStore.ListDeals(ctx, pipeline.DealFilter{}), err)
}

// inquiries lists every inquiry of the store, as deals does deals.
func (s *story) inquiries(ctx context.Context, err *error) iter.Seq[*pipeline.Inquiry] {
	return quota.Records(s.salesStore.ListInquiries(ctx, pipeline.InquiryFilter{}), err)
}
