package scenario_test

import (
	"context"
	"fmt"
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

// The cast comes from the fixtures: Ann, who joins the team, and Bob, who
// has sold the widget for a year, in the north region; the widget; the
// phone channel and the fall campaign. The two weeks start at the
// fixtures' epoch, Monday 2 November 2026, 09:00 UTC.
const (
	ann    = pipelinetest.RepAnn
	bob    = pipelinetest.RepBob
	north  = pipelinetest.RegionNorth
	widget = pipelinetest.ProductWidget
)

// twoWeeks is the period the scenario runs and is reviewed in.
func twoWeeks(t *testing.T) sp.Period {
	t.Helper()
	p, err := sp.NewPeriod(pipelinetest.Epoch(), pipelinetest.Epoch().AddDate(0, 0, 14))
	require.NoError(t, err)
	return p
}

// sales is the world of a scenario: the pipelinetest scenario (engine,
// in-memory store, stepping clock, event recorder) and a trainer on an
// in-memory training store, on the same clock. The engine asks the
// training store's readiness who may own work.
type sales struct {
	*pipelinetest.Scenario
	ctx      context.Context
	training *trainingtest.MemStore
	catalog  *training.Catalog
	trainer  *training.Trainer
}

// newSales returns the world with the widget's brief 1.0 published and a
// one-module curriculum that certifies reps to sell it, from the fixtures
// of trainingtest; Bob is certified already, since May, Ann is not.
func newSales(t *testing.T) *sales {
	t.Helper()
	ctx := context.Background()
	store := trainingtest.NewMemStore()
	sc := pipelinetest.NewScenario(t, &pipeline.Options{Eligibility: training.NewReadiness(store, store, nil)})
	catalog := trainingtest.NewCatalog()
	s := &sales{Scenario: sc, ctx: ctx, training: store, catalog: catalog,
		trainer: training.NewTrainer(store, catalog, &training.Options{Clock: sc.Clock})}

	require.NoError(t, s.trainer.PublishBrief(ctx, trainingtest.NewBrief()))
	require.NoError(t, store.PutCertificate(ctx, trainingtest.NewCertificate(bob, pipelinetest.Epoch().AddDate(0, -6, 0))))
	return s
}

// at moves the scenario's clock to day d of the two weeks (0 is the
// first), at hour h UTC.
func (s *sales) at(d, h int) {
	s.Clock.Set(pipelinetest.Epoch().Truncate(24*time.Hour).AddDate(0, 0, d).Add(time.Duration(h) * time.Hour))
}

// receive records an inquiry about the widget for rep, received now.
func (s *sales) receive(t *testing.T, id sp.InquiryID, rep sp.RepID) {
	t.Helper()
	in := pipelinetest.NewInquiry(id)
	in.Owner, in.Customer = rep, sp.CustomerID("cust-"+string(id))
	_, err := s.Receive(s.ctx, in)
	require.NoError(t, err)
}

// call is rep's first contact with the inquiry: a call.
func (s *sales) call(t *testing.T, id sp.InquiryID, rep sp.RepID, outcome string) {
	t.Helper()
	_, err := s.Engine.Contact(s.ctx, pipelinetest.Rep(rep), id, pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall, Outcome: outcome}, nil)
	require.NoError(t, err)
}

// convert qualifies the contacted inquiry and converts it to a deal of
// quantity widgets at 120.00 EUR.
func (s *sales) convert(t *testing.T, id sp.InquiryID, rep sp.RepID, quantity int64) sp.DealID {
	t.Helper()
	_, err := s.Engine.Qualify(s.ctx, pipelinetest.Rep(rep), id, nil)
	require.NoError(t, err)
	_, deal, err := s.Engine.Convert(s.ctx, pipelinetest.Rep(rep), id, pipeline.Conversion{Terms: pipeline.Terms{
		Lines:         []pipeline.Line{{Product: widget, Quantity: quantity, UnitPrice: pipelinetest.MustEUR("120.00")}},
		ExpectedClose: pipelinetest.Epoch().AddDate(0, 0, 12),
	}}, nil)
	require.NoError(t, err)
	return deal.ID
}

// review reviews the two weeks at their end, with the goals given, the
// trainer telling certification and taking retraining assignments.
func (s *sales) review(t *testing.T, goals ...quota.Goal) review.Report {
	t.Helper()
	period := twoWeeks(t)
	r, err := review.New(review.DefaultRules(), &review.Options{
		Clock:        sp.FixedClock(period.End()),
		Certificates: s.trainer.Readiness(),
		Assigner:     s.trainer,
		Modules:      review.CatalogModules(s.catalog),
	})
	require.NoError(t, err)
	// The scenario's records as slices: a listing that failed would fail
	// the test here, before the review acts on a part of them.
	rep, err := r.Review(s.ctx, review.Input{
		Period:    period,
		Deals:     quota.Refs(s.Deals(t)),
		Inquiries: quota.Refs(s.Inquiries(t)),
		Goals:     goals,
		Reps:      []sp.Rep{{ID: ann, Name: "Ann", Region: north}, {ID: bob, Name: "Bob", Region: north}},
		Regions:   []sp.Region{{ID: north, Name: "North", Manager: pipelinetest.ManagerNorth}},
		Products:  []sp.Product{{ID: widget, Name: "Widget", Owner: "pm-widget"}},
	})
	require.NoError(t, err)
	return rep
}

// kinds returns the kinds of a finding's actions.
func kinds(f review.Finding) []review.ActionKind {
	var out []review.ActionKind
	for _, a := range f.Actions {
		out = append(out, a.Kind)
	}
	return out
}

func TestNewRepIsTrainedBeforeSelling(t *testing.T) {
	s := newSales(t)

	// Given Ann, who joined today and has no certificate,
	// When an inquiry about the widget is given to her,
	// Then the engine refuses: the training store says she is not ready.
	s.at(0, 9)
	_, err := s.Receive(s.ctx, pipelinetest.NewInquiry("inq-00"))
	require.ErrorIs(t, err, sp.ErrForbidden)
	var notReady *training.NotReadyError
	require.ErrorAs(t, err, &notReady)
	assert.True(t, notReady.Has(training.ReasonNoCertificate))
	_, err = s.Engine.GetInquiry(s.ctx, "inq-00")
	assert.ErrorIs(t, err, sp.ErrNotFound, "a refused command stores nothing")

	// When she fails the widget assessment, she cannot be certified yet.
	a, err := s.trainer.RecordAttempt(s.ctx, training.Attempt{ID: "ann-1", Rep: ann, Module: trainingtest.ModuleWidgetBasics, Score: 6})
	require.NoError(t, err)
	assert.False(t, a.Passed)
	_, err = s.trainer.Certify(s.ctx, ann, trainingtest.CurriculumWidget)
	var incomplete *training.IncompleteError
	require.ErrorAs(t, err, &incomplete)
	assert.Equal(t, []training.ModuleID{trainingtest.ModuleWidgetBasics}, incomplete.Missing)

	// When she retakes it and passes, she is certified for a year,
	cert := certify(t, s, ann)
	assert.Equal(t, widget, cert.Product)
	assert.Equal(t, "1.0", cert.BriefVersion.String())
	assert.True(t, cert.Expires.Equal(cert.Issued.AddDate(1, 0, 0)))

	// Then the same inquiry is hers.
	s.receive(t, "inq-00", ann)
	in, err := s.Engine.GetInquiry(s.ctx, "inq-00")
	require.NoError(t, err)
	assert.Equal(t, ann, in.Owner)
	assert.Equal(t, pipeline.InquiryNew, in.Stage)
}

// certify has rep pass the widget module and be certified.
func certify(t *testing.T, s *sales, rep sp.RepID) training.Certificate {
	t.Helper()
	a, err := s.trainer.RecordAttempt(s.ctx, training.Attempt{ID: training.AttemptID(string(rep) + "-pass"), Rep: rep, Module: trainingtest.ModuleWidgetBasics, Score: 9})
	require.NoError(t, err)
	require.True(t, a.Passed)
	cert, err := s.trainer.Certify(s.ctx, rep, trainingtest.CurriculumWidget)
	require.NoError(t, err)
	return cert
}

func TestNewRepsFirstTwoWeeks(t *testing.T) {
	s := newSales(t)

	// Given Ann, trained and certified on her first morning.
	s.at(0, 8)
	certify(t, s, ann)

	// When, over two weeks, ten inquiries come to Ann and six to Bob:
	// Ann calls each back within the hour and qualifies two, which become
	// deals; Bob calls none of his back.
	for d := range 10 {
		s.at(d, 9)
		id := sp.InquiryID(fmt.Sprintf("inq-ann-%02d", d))
		s.receive(t, id, ann)
		s.Clock.Advance(30 * time.Minute)
		s.call(t, id, ann, "reached")
		switch d {
		case 1, 3:
			s.convert(t, id, ann, 10)
		default:
			_, err := s.Engine.Disqualify(s.ctx, pipelinetest.Rep(ann), id, "only comparing prices", nil)
			require.NoError(t, err)
		}
	}
	for d := range 6 {
		s.at(d, 11)
		s.receive(t, sp.InquiryID(fmt.Sprintf("inq-bob-%02d", d)), bob)
	}

	// When the first deal is lost on price,
	s.at(5, 15)
	lost, err := s.Engine.Lose(s.ctx, pipelinetest.Rep(ann), "inq-ann-01", pipeline.LossReason{Category: pipeline.LossPrice, Detail: "a competitor quoted 10 % less"}, nil)
	require.NoError(t, err)
	// and the second goes through the stages and is won.
	for d, stage := range []pipeline.DealStage{pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation} {
		s.at(6+d, 10)
		_, err := s.Engine.Advance(s.ctx, pipelinetest.Rep(ann), "inq-ann-03", stage, nil)
		require.NoError(t, err)
	}
	s.at(10, 16)
	won, err := s.Engine.Win(s.ctx, pipelinetest.Rep(ann), "inq-ann-03", nil)
	require.NoError(t, err)

	// Then the deals say what happened.
	assert.Equal(t, pipeline.DealLost, lost.Stage)
	assert.Equal(t, pipeline.LossPrice, lost.Loss.Category)
	assert.Equal(t, "1200.00 EUR", won.Amount.String())
	assert.Equal(t, pipeline.ServiceAwaitingDelivery, won.Service.Stage)
	assert.Equal(t, []pipeline.DealStage{"", pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation},
		fromStages(won.History), "won from negotiation")

	// When the two weeks are reviewed against a goal of 1000.00 EUR for
	// Ann and 3000.00 EUR for Bob,
	period := twoWeeks(t)
	rep := s.review(t,
		quota.Goal{Rep: ann, Region: north, Period: period, Revenue: pipelinetest.MustEUR("1000.00")},
		quota.Goal{Rep: bob, Region: north, Period: period, Revenue: pipelinetest.MustEUR("3000.00")},
	)

	// Then Ann is applauded: she met her goal.
	met, ok := rep.Finding(review.RuleTargetMet, review.RepSubject(ann))
	require.True(t, ok, "Ann's target met")
	assert.Equal(t, review.SeverityInfo, met.Severity)
	assert.Equal(t, review.Cause(""), met.Cause)
	assert.Equal(t, []review.ActionKind{review.ActionRecognize}, kinds(met))
	assert.Contains(t, met.Summary, "120.00 %")
	assert.Empty(t, rep.FindingsAbout(review.RepSubject(ann), review.RuleSlowFollowUp), "her follow-up is not slow")

	// And Bob's shortfall is examined: two weeks without a closed deal
	// are too little to tell a cause, but his follow-up is slow, and he is
	// coached on it.
	missed, ok := rep.Finding(review.RuleTargetMissed, review.RepSubject(bob))
	require.True(t, ok, "Bob's target missed")
	assert.Equal(t, review.SeverityCritical, missed.Severity, "nothing of the goal attained")
	assert.Equal(t, review.CauseData, missed.Cause)
	slow, ok := rep.Finding(review.RuleSlowFollowUp, review.RepSubject(bob))
	require.True(t, ok, "Bob's follow-up slow")
	assert.Equal(t, review.SeverityCritical, slow.Severity, "all of his open inquiries are overdue")
	assert.Equal(t, review.CauseProcess, slow.Cause)
	require.Equal(t, []review.ActionKind{review.ActionCoach}, kinds(slow))
	assert.Equal(t, bob, slow.Actions[0].Rep)

	// And one deal lost on price points at neither the product nor a
	// rep's competence: nobody is retrained, no product feedback is sent.
	assert.Empty(t, rep.FindingsAbout(review.ProductSubject(widget)))
	assert.Empty(t, rep.Outcome.Assignments)
	assert.Empty(t, rep.Outcome.ProductFeedback)

	// And the snapshot holds the figures behind it.
	annRow, ok := rep.Snapshot.Rep(ann)
	require.True(t, ok)
	assert.Equal(t, int64(1), annRow.Won)
	assert.Equal(t, int64(1), annRow.Lost)
	assert.Equal(t, review.LossCounts{pipeline.LossPrice: 1}, annRow.Losses)
	assert.Equal(t, "1/10", annRow.Conversion.Rate.String())
	assert.Equal(t, int64(0), annRow.FollowUp.Overdue)
	bobRow, ok := rep.Snapshot.Rep(bob)
	require.True(t, ok)
	assert.Equal(t, int64(6), bobRow.FollowUp.Open)
	assert.Equal(t, int64(6), bobRow.FollowUp.Overdue)
	cell, ok := rep.Snapshot.Cell(ann, widget)
	require.True(t, ok)
	assert.Equal(t, training.CertValid, cell.Certification)
}

// fromStages returns the stage each transition of a history left.
func fromStages(h []pipeline.Transition[pipeline.DealStage]) []pipeline.DealStage {
	var out []pipeline.DealStage
	for _, tr := range h {
		out = append(out, tr.From)
	}
	return out
}
