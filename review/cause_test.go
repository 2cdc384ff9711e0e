package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A weak market: every rep of the south sells far worse than the north's.
// The south's shortfalls are traced to the market, not to its reps, and a
// lower goal is proposed in proportion.
func TestMarketCause(t *testing.T) {
	w := weakSouth(t)
	rep := w.review(review.DefaultRules(), nil)
	s := &rep.Snapshot

	g, ok := s.Region(south)
	require.True(t, ok)
	assert.Equal(t, quota.VerdictBelow, g.VsRest.Verdict)
	assert.Equal(t, int64(3), g.RepsBelow)
	assert.Equal(t, int64(3), g.Reps)

	for _, r := range []sp.RepID{"s1", "s2", "s3"} {
		f := findings(rep, review.RepSubject(r))[review.RuleTargetMissed]
		assert.Equal(t, review.CauseMarket, f.Cause, f.Summary)
		require.Equal(t, []review.ActionKind{review.ActionAdjustGoal}, actionKinds(f))
		assert.Equal(t, "8571.43 EUR", f.Actions[0].Proposed.String()) // 20000 × (27/90) / (63/90)
		assert.Empty(t, findings(rep, review.RepProductSubject(r, widget)))
	}
	region := findings(rep, review.RegionSubject(south))[review.RuleTargetMissed]
	assert.Equal(t, review.CauseMarket, region.Cause)
	// The evidence of a diagnosis is the caller's: changing it changes
	// no later diagnosis.
	for _, subj := range []review.Subject{review.RegionSubject(south), review.CompanySubject()} {
		d := s.Diagnose(subj, review.RateWinRate)
		require.NotEmpty(t, d.Evidence, "%s", subj)
		want := d.Evidence[0].Value
		d.Evidence[0].Value = "changed by the caller"
		assert.Equal(t, want, s.Diagnose(subj, review.RateWinRate).Evidence[0].Value, "%s", subj)
	}
	assert.Len(t, rep.Outcome.GoalProposals, 4)
	assert.Empty(t, rep.Outcome.Assignments)

	tests := []struct {
		name    string
		subject review.Subject
		cause   review.Cause
	}{
		{"rep", review.RepSubject("s1"), review.CauseMarket},
		{"rep_on_product", review.RepProductSubject("s2", widget), review.CauseMarket},
		{"region", review.RegionSubject(south), review.CauseMarket},
		{"company", review.CompanySubject(), review.CauseMarket},
		{"north_rep", review.RepSubject("n1"), review.CauseData},
		{"product", review.ProductSubject(widget), review.CauseData},
		{"unknown_rep", review.RepSubject("nobody"), review.CauseData},
		{"unknown_region", review.RegionSubject("east"), review.CauseData},
		{"unknown_cell", review.RepProductSubject("s1", gadget), review.CauseData},
		{"unknown_product", review.ProductSubject("thing"), review.CauseData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s.Diagnose(tt.subject, review.RateWinRate)
			assert.Equal(t, tt.cause, d.Cause, d.Summary)
			assert.NotEmpty(t, d.Summary)
			assert.NotEmpty(t, d.Evidence)
			if tt.cause == review.CauseMarket {
				assert.Equal(t, south, d.Region)
			}
		})
	}
	// A rep of the weak market who lags its other reps is the rep's own
	// shortfall: not the market's.
	w.rep("s4", south)
	w.sell("s4", south, widget, 1, 29, pipeline.LossRepExecution)
	rep = w.review(review.DefaultRules(), nil)
	d := rep.Snapshot.Diagnose(review.RepSubject("s4"), review.RateWinRate)
	assert.Equal(t, review.CauseRep, d.Cause, d.Summary)
	assert.Contains(t, d.Summary, "region south")
}

// Conversion below peers, and follow-up as the cause of a shortfall.
func TestConversionAndFollowUp(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"ann", "cat", "dan", "eli"} {
		w.rep(r, north)
	}
	w.inquire("ann", north, widget, 20, 20, 15, time.Hour, true)
	w.inquire("cat", north, widget, 20, 20, 14, time.Hour, true)
	w.inquire("dan", north, widget, 20, 20, 1, time.Hour, true)
	w.sell("dan", north, widget, 3, 4, pipeline.LossPrice)
	w.inquire("eli", north, widget, 10, 6, 5, 40*time.Hour, false)
	w.sell("eli", north, widget, 10, 4, pipeline.LossPrice)
	w.goal("eli", north, "30000.00")
	rep := w.review(review.DefaultRules(), nil)

	dan := findings(rep, review.RepSubject("dan"))
	require.Contains(t, dan, review.RuleConversionBelowPeers)
	f := dan[review.RuleConversionBelowPeers]
	assert.Equal(t, review.CauseRep, f.Cause, f.Summary)
	assert.Equal(t, []review.ActionKind{review.ActionRetrain, review.ActionCoach}, actionKinds(f))
	for _, r := range []sp.RepID{"ann", "cat", "eli"} {
		assert.NotContains(t, findings(rep, review.RepSubject(r)), review.RuleConversionBelowPeers)
	}

	eli := findings(rep, review.RepSubject("eli"))
	require.Contains(t, eli, review.RuleSlowFollowUp)
	missed := eli[review.RuleTargetMissed]
	assert.Equal(t, review.CauseProcess, missed.Cause, missed.Summary)
	assert.Equal(t, []review.ActionKind{review.ActionCoach}, actionKinds(missed))
	r, ok := rep.Snapshot.Rep("eli")
	require.True(t, ok)
	assert.Equal(t, int64(4), r.FollowUp.Pending)
	assert.Equal(t, int64(5), r.FollowUp.Open)
	assert.Equal(t, int64(5), r.FollowUp.Overdue)
	assert.Equal(t, "5/5", r.FollowUp.OverdueRate().String())
	assert.Equal(t, int64(6), r.FollowUp.FirstResponse.Count)

	// Dan lags the region on conversion; the company's only open
	// inquiries are Eli's, all overdue.
	d := rep.Snapshot.Diagnose(review.RegionSubject(north), review.RateConversion)
	assert.Equal(t, review.CauseRep, d.Cause, d.Summary)
	assert.Equal(t, sp.RepID("dan"), d.Rep)
	assert.Equal(t, review.CauseProcess, rep.Snapshot.Diagnose(review.CompanySubject(), review.RateConversion).Cause)
	// An unknown rate kind means the analysis' rate.
	assert.Equal(t, rep.Snapshot.Diagnose(review.RepSubject("dan"), review.RateWinRate),
		rep.Snapshot.Diagnose(review.RepSubject("dan"), "nonsense"))
}

// Diagnoses of products, regions and the company in the scenarios of
// product losses and of a rep who lags.
func TestDiagnoseSubjects(t *testing.T) {
	product := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
		product.rep(r, north)
		product.sell(r, north, widget, 7, 3, pipeline.LossPrice)
	}
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		product.sell(r, north, gadget, 2, 8, pipeline.LossProduct)
	}
	product.sell("r4", north, gadget, 6, 4, pipeline.LossPrice)
	ps := product.review(review.DefaultRules(), nil).Snapshot

	lag := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3", "r4"} {
		lag.rep(r, north)
		lag.sell(r, north, gadget, 6, 4, pipeline.LossPrice)
	}
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		lag.sell(r, north, widget, 11, 4, pipeline.LossCompetitor)
	}
	lag.sell("r4", north, widget, 2, 13, pipeline.LossRepExecution)
	ls := lag.review(review.DefaultRules(), nil).Snapshot

	tests := []struct {
		name    string
		s       *review.Snapshot
		subject review.Subject
		cause   review.Cause
		rep     sp.RepID
		product sp.ProductID
	}{
		{"product_losses/product", &ps, review.ProductSubject(gadget), review.CauseProduct, "", gadget},
		{"product_losses/cell", &ps, review.RepProductSubject("r1", gadget), review.CauseProduct, "", gadget},
		{"product_losses/rep", &ps, review.RepSubject("r2"), review.CauseProduct, "", gadget},
		{"product_losses/region", &ps, review.RegionSubject(north), review.CauseProduct, "", gadget},
		{"product_losses/company", &ps, review.CompanySubject(), review.CauseProduct, "", gadget},
		{"product_losses/good_product", &ps, review.ProductSubject(widget), review.CauseData, "", ""},
		{"lag/product", &ls, review.ProductSubject(widget), review.CauseRep, "r4", widget},
		{"lag/cell", &ls, review.RepProductSubject("r4", widget), review.CauseRep, "r4", widget},
		{"lag/peer_cell", &ls, review.RepProductSubject("r1", widget), review.CauseData, "", ""},
		{"lag/rep", &ls, review.RepSubject("r4"), review.CauseRep, "r4", widget},
		{"lag/region", &ls, review.RegionSubject(north), review.CauseRep, "r4", ""},
		{"lag/company", &ls, review.CompanySubject(), review.CauseData, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.s.Diagnose(tt.subject, review.RateWinRate)
			assert.Equal(t, tt.cause, d.Cause, d.Summary)
			assert.Equal(t, tt.rep, d.Rep)
			assert.Equal(t, tt.product, d.Product)
			assert.NotEmpty(t, d.Evidence)
		})
	}
}

// A snapshot made by hand has no signals prepared and the default rules:
// Diagnose still answers.
func TestDiagnoseHandMadeSnapshot(t *testing.T) {
	s := &review.Snapshot{
		Rate: review.RateWinRate,
		Team: review.TeamRow{Figures: review.Figures{Won: 10, Lost: 10, WinRate: quota.RateEstimate{Rate: quota.Rate{Num: 10, Den: 20}}}},
		Reps: []review.RepRow{{Rep: "ann", Figures: review.Figures{Won: 2, Lost: 8, WinRate: quota.RateEstimate{Rate: quota.Rate{Num: 2, Den: 10}}}}},
	}
	d := s.Diagnose(review.RepSubject("ann"), review.RateWinRate)
	assert.Equal(t, review.CauseRep, d.Cause, d.Summary)
	c := s.Compare(quota.Rate{Num: 2, Den: 10}, quota.Rate{Num: 8, Den: 10})
	assert.Equal(t, quota.VerdictBelow, c.Verdict)
	assert.Equal(t, quota.VerdictNoData, s.Compare(quota.Rate{Num: 3, Den: 2}, quota.Rate{Num: 1, Den: 2}).Verdict)
	assert.Nil(t, s.Settings("nothing"))
	assert.Empty(t, s.CellsOf("ann"))
	assert.Empty(t, s.GoalsOf(review.RepSubject("ann")))
}

// A company goal missed for a weak market is not scaled by that one
// region's rate: the region's own goal and its reps' goals get the
// proposals, and the company's target stays.
func TestMarketCauseCompanyGoal(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"n1", "n2", "n3"} {
		w.rep(r, north)
		w.sell(r, north, widget, 21, 9, pipeline.LossPrice)
	}
	for _, r := range []sp.RepID{"s1", "s2", "s3"} {
		w.rep(r, south)
		w.goal(r, south, "20000.00")
		w.sell(r, south, widget, 9, 21, pipeline.LossCompetitor)
	}
	w.goals = append(w.goals, quota.Goal{Period: november, Revenue: mustMoney("150000.00 EUR")})
	rep := w.review(review.DefaultRules(), nil)

	f, ok := findings(rep, review.CompanySubject())[review.RuleTargetMissed]
	require.True(t, ok)
	assert.Equal(t, review.CauseMarket, f.Cause, f.Summary)
	assert.NotContains(t, actionKinds(f), review.ActionAdjustGoal)
	for _, p := range rep.Outcome.GoalProposals {
		assert.Equal(t, quota.LevelRep, p.Goal.Level(), "proposal for %v", p.Goal)
	}
	assert.Len(t, rep.Outcome.GoalProposals, 3)
}

// A comparison adjusted for multiple comparisons shows its p-value
// adjusted the same way, m × p up to 1, labelled so, in the evidence and in
// the rows' comparisons, so that the p-value agrees with the verdict;
// without adjustment it shows the plain p-value.
func TestAdjustedPValue(t *testing.T) {
	deals := exampleDeals()
	in := review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(deals)}
	for _, adj := range []review.Adjustment{review.AdjustBonferroni, review.AdjustNone} {
		t.Run(string(adj), func(t *testing.T) {
			rules := review.DefaultRules()
			rules.Analysis.Adjustment = adj
			r, err := review.New(rules, nil)
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), in)
			require.NoError(t, err)
			s := &rep.Snapshot
			row, ok := s.Rep("ann")
			require.True(t, ok)
			rest, err := s.Team.WinRate.Rate.Without(row.WinRate.Rate)
			require.NoError(t, err)
			raw, err := quota.Compare(row.WinRate.Rate, rest, 0.95, 18)
			require.NoError(t, err)
			want, label := raw.PValue.Round(4), "p = "
			if adj == review.AdjustBonferroni {
				m := int64(len(s.Reps)) // each rep has enough deals to be judged
				want, label = decimal.Min(raw.PValue.Mul(decimal.NewFromInt(m)), decimal.New(1, 0)).Round(4), "adjusted p = "
			}
			assert.Equal(t, want.String(), row.VsTeam.PValue.String(), "p-value of the row")
			d := s.Diagnose(review.RepSubject("ann"), review.RateWinRate)
			var diff string
			for _, e := range d.Evidence {
				if e.Name == "difference" {
					diff = e.Value
				}
			}
			assert.Contains(t, diff, ", "+label+want.StringFixed(4)+" (pooled z-test): ")
		})
	}
}

// The p-value in the evidence is the pooled z-test's and the verdict the
// Newcombe interval's; with few cases they disagree (4 won of 5 against 20
// of 20: p = 0.0412, the interval spans zero), so the evidence names the
// test, lest a reader take the verdict for a mistake.
func TestEvidenceNamesThePValuesTest(t *testing.T) {
	rules := review.DefaultRules()
	rules.Analysis.Adjustment = review.AdjustNone
	r, err := review.New(rules, &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	deals := append(closedDeals("ann", north, widget, 4, 1, pipeline.LossPrice),
		closedDeals("bob", north, widget, 20, 0, pipeline.LossPrice)...)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(deals)})
	require.NoError(t, err)
	row, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	require.Equal(t, quota.VerdictInconclusive, row.VsTeam.Verdict)
	require.Equal(t, "0.0412", row.VsTeam.PValue.StringFixed(4))
	d := rep.Snapshot.Diagnose(review.RepSubject("ann"), review.RateWinRate)
	var diff string
	for _, e := range d.Evidence {
		if e.Name == "difference" {
			diff = e.Value
		}
	}
	assert.Contains(t, diff, "p = 0.0412 (pooled z-test): inconclusive")
}

// closedDeals returns won and lost deals of rep on product in region,
// lost for loss.
func closedDeals(rep sp.RepID, region sp.RegionID, product sp.ProductID, won, lost int, loss pipeline.LossCategory) []pipeline.Deal {
	var ds []pipeline.Deal
	for i := range won + lost {
		d := deal(sp.DealID(fmt.Sprintf("d-%s-%s-%02d", rep, product, i)), rep, product, i < won, "100.00 EUR")
		d.Region = region
		if i >= won {
			d.Loss = &pipeline.LossReason{Category: loss, Detail: "lost"}
		}
		ds = append(ds, d)
	}
	return ds
}

// snapshotOf reviews deals of November as of its end.
func snapshotOf(t *testing.T, deals ...[]pipeline.Deal) review.Report {
	t.Helper()
	var all []pipeline.Deal
	for _, ds := range deals {
		all = append(all, ds...)
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(all)})
	require.NoError(t, err)
	return rep
}

// The loss signal holds at exactly min_losses (3) losses of its
// categories, from exactly min_reps (2) reps.
func TestProductLossSignalAtMinimum(t *testing.T) {
	rep := snapshotOf(t,
		closedDeals("ann", north, gadget, 1, 2, pipeline.LossProduct),
		closedDeals("bob", north, gadget, 1, 1, pipeline.LossProduct))
	p, ok := rep.Snapshot.Product(gadget)
	require.True(t, ok)
	require.Equal(t, int64(3), p.SignalLosses)
	f, ok := findings(rep, review.ProductSubject(gadget))[review.RuleProductLosses]
	require.True(t, ok, "no product_losses finding")
	assert.Equal(t, review.CauseProduct, f.Cause)
	assert.Equal(t, review.CauseProduct, rep.Snapshot.Diagnose(review.ProductSubject(gadget), review.RateWinRate).Cause)
}

// A region significantly below the others is not a weak market when
// fewer than min_rep_share (0.5) of its reps did worse than the other
// regions: 2 of 5 is the reps' shortfall.
func TestMarketNeedsRepShare(t *testing.T) {
	var ds [][]pipeline.Deal
	for _, r := range []sp.RepID{"n1", "n2", "n3"} {
		ds = append(ds, closedDeals(r, north, widget, 21, 9, pipeline.LossPrice))
	}
	for _, r := range []sp.RepID{"s1", "s2"} {
		ds = append(ds, closedDeals(r, south, widget, 0, 30, pipeline.LossPrice))
	}
	for _, r := range []sp.RepID{"s3", "s4", "s5"} {
		ds = append(ds, closedDeals(r, south, widget, 21, 9, pipeline.LossPrice))
	}
	s := snapshotOf(t, ds...).Snapshot
	g, ok := s.Region(south)
	require.True(t, ok)
	require.Equal(t, quota.VerdictBelow, g.VsRest.Verdict)
	assert.Equal(t, int64(2), g.RepsBelow)
	d := s.Diagnose(review.RegionSubject(south), review.RateWinRate)
	assert.Equal(t, review.CauseRep, d.Cause, d.Summary)
	assert.NotEqual(t, review.CauseMarket, s.Diagnose(review.RepSubject("s1"), review.RateWinRate).Cause)
}

// A rep of a weak market who is significantly below the region's other
// reps is not excused by the market, even when no product of theirs has
// enough deals to show it: the rep lags the team.
func TestMarketDoesNotExcuseRepBelowRegion(t *testing.T) {
	var ds [][]pipeline.Deal
	for _, r := range []sp.RepID{"n1", "n2", "n3"} {
		ds = append(ds, closedDeals(r, north, widget, 21, 9, pipeline.LossPrice))
	}
	for _, r := range []sp.RepID{"s1", "s2", "s3"} {
		ds = append(ds, closedDeals(r, south, widget, 9, 21, pipeline.LossCompetitor))
	}
	for i := range 8 { // 4 deals of each of 8 products: too few to judge any
		ds = append(ds, closedDeals("s4", south, sp.ProductID(fmt.Sprintf("p%d", i)), 0, 4, pipeline.LossRepExecution))
	}
	s := snapshotOf(t, ds...).Snapshot
	require.Equal(t, review.CauseMarket, s.Diagnose(review.RepSubject("s1"), review.RateWinRate).Cause)
	d := s.Diagnose(review.RepSubject("s4"), review.RateWinRate)
	assert.Equal(t, review.CauseRep, d.Cause, d.Summary)
	assert.Equal(t, sp.RepID("s4"), d.Rep)
}

// A product at fault explains the figures of a region or the company
// only where it makes at least min_share_of_sales (0.25) of their sales:
// 3 of 43 closed deals do not.
func TestProductAtFaultNeedsShareOfSales(t *testing.T) {
	rep := snapshotOf(t,
		closedDeals("ann", north, widget, 0, 2, pipeline.LossProduct),
		closedDeals("bob", north, widget, 0, 1, pipeline.LossProduct),
		closedDeals("ann", north, gadget, 10, 10, pipeline.LossPrice),
		closedDeals("bob", north, gadget, 10, 10, pipeline.LossPrice))
	s := &rep.Snapshot
	require.Contains(t, findings(rep, review.ProductSubject(widget)), review.RuleProductLosses)
	for _, subj := range []review.Subject{review.CompanySubject(), review.RegionSubject(north), review.RepSubject("ann")} {
		d := s.Diagnose(subj, review.RateWinRate)
		assert.NotEqual(t, review.CauseProduct, d.Cause, "%s: %s", subj, d.Summary)
	}
}

// The follow-up signal needs at least min_inquiries (5) inquiries of the
// period: 4 unanswered ones are too few to judge.
func TestSlowFollowUpNeedsInquiries(t *testing.T) {
	asOf := november.Start().Add(20 * 24 * time.Hour)
	var ins []pipeline.Inquiry
	for i := range 4 {
		ins = append(ins, pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i-%d", i)), Channel: "web", Region: north, Product: widget,
			Customer: "c", Owner: "ann", Received: november.Start().Add(24 * time.Hour), Stage: pipeline.InquiryNew})
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf)})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf, Inquiries: quota.Refs(ins)})
	require.NoError(t, err)
	ann, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	require.Equal(t, int64(4), ann.FollowUp.Overdue)
	assert.NotContains(t, findings(rep, review.RepSubject("ann")), review.RuleSlowFollowUp)
	assert.NotEqual(t, review.CauseProcess, rep.Snapshot.Diagnose(review.CompanySubject(), review.RateConversion).Cause)
}

// A product or a region is significantly below the others as a whole; its
// reps who did worse are counted by their plain rates, not each judged
// significant, so the summary says they did worse rather than that it is
// significantly below "for" them.
func TestWeaknessSummaryCountsRepsWhoDidWorse(t *testing.T) {
	t.Run("product", func(t *testing.T) {
		var deals [][]pipeline.Deal
		for _, r := range []sp.RepID{"r1", "r2", "r3"} {
			deals = append(deals, closedDeals(r, north, gadget, 2, 8, pipeline.LossPrice),
				closedDeals(r, north, widget, 8, 2, pipeline.LossPrice))
		}
		rep := snapshotOf(t, deals...)
		d := rep.Snapshot.Diagnose(review.ProductSubject(gadget), review.RateWinRate)
		assert.Equal(t, review.CauseProduct, d.Cause)
		assert.Contains(t, d.Summary, "the win rate of product gadget, 6 won of 30 closed, is significantly below that of the other products, 24 won of 30 closed, and 3 of the 3 reps with closed deals on it did worse on it than the other products")
		d = rep.Snapshot.Diagnose(review.RepSubject("r1"), review.RateWinRate)
		assert.Equal(t, review.CauseProduct, d.Cause)
		// The share is of the rep's closed deals, won or lost, not of the sales.
		assert.Contains(t, d.Evidence, review.Evidence{Name: "share of gadget in the closed deals of rep r1", Value: "10 of 20 (0.5000)"})
	})
	t.Run("region", func(t *testing.T) {
		var deals [][]pipeline.Deal
		for _, r := range []sp.RepID{"n1", "n2", "n3"} {
			deals = append(deals, closedDeals(r, north, widget, 2, 8, pipeline.LossPrice))
		}
		for _, r := range []sp.RepID{"s1", "s2", "s3"} {
			deals = append(deals, closedDeals(r, south, widget, 8, 2, pipeline.LossPrice))
		}
		rep := snapshotOf(t, deals...)
		d := rep.Snapshot.Diagnose(review.RegionSubject(north), review.RateWinRate)
		assert.Equal(t, review.CauseMarket, d.Cause)
		assert.Contains(t, d.Summary, "the win rate of region north, 6 won of 30 closed, is significantly below that of the other regions, 24 won of 30 closed, and 3 of its 3 reps with enough data did worse than the other regions")
	})
}

// TestRegionsManyReps decodes a snapshot of ten thousand regions of
// two reps each, every other region losing all its deals, and diagnoses
// one of those: the reps below the other regions were counted region by
// region over all the reps, which took time quadratic in their number.
func TestRegionsManyReps(t *testing.T) {
	const n = 10_000
	var s review.Snapshot
	var won int64
	figures := func(w, l int64) review.Figures {
		f := review.Figures{Won: w, Lost: l}
		f.WinRate.Rate = quota.Rate{Num: w, Den: w + l}
		return f
	}
	for i := range n {
		rep := figures(100, 0)
		if i%2 == 1 {
			rep = figures(0, 100)
		}
		won += 2 * rep.Won
		region := sp.RegionID(fmt.Sprintf("region-%06d", i))
		s.Regions = append(s.Regions, review.RegionRow{Region: region, Figures: figures(2*rep.Won, 2*rep.Lost), Reps: 2})
		for _, suffix := range []string{"a", "b"} {
			s.Reps = append(s.Reps, review.RepRow{Rep: sp.RepID(fmt.Sprintf("rep-%06d-%s", i, suffix)), Region: region, Figures: rep})
		}
	}
	s.Team.Figures = figures(won, 200*n-won)
	data, err := json.Marshal(&s)
	require.NoError(t, err)
	var back review.Snapshot
	require.NoError(t, json.Unmarshal(data, &back))
	d := back.Diagnose(review.RegionSubject("region-000001"), review.RateWinRate)
	assert.Equal(t, review.CauseMarket, d.Cause)
	assert.Contains(t, d.Evidence, review.Evidence{Name: "reps below the other regions' win rate", Value: "2 of the region's 2 with enough data"})

	// The snapshot made by hand counted, for every comparison, the
	// comparisons of its kind over all the rows, with the default rules
	// made anew for each row: two thousand regions took most of a minute.
	small := review.Snapshot{Team: s.Team, Regions: s.Regions[:2000], Reps: s.Reps[:4000]}
	small.Team.Figures = figures(200*1000, 200*1000)
	d = small.Diagnose(review.RegionSubject("region-000001"), review.RateWinRate)
	assert.Equal(t, review.CauseMarket, d.Cause)
	assert.Contains(t, d.Evidence, review.Evidence{Name: "reps below the other regions' win rate", Value: "2 of the region's 2 with enough data"})
}

// A product at fault explains a rep's shortfall only where the rep did
// worse on it than on their other products, or, for a rep who sold
// nothing else, than the other products' rate: Ann won 9 of her 10 gadget
// deals, so gadget's fault is not hers; Bob did worse on it than on widget
// and Cid, who sold only gadget, worse than widget's rate.
func TestProductCauseNeedsRepBelowOnIt(t *testing.T) {
	rep := snapshotOf(t,
		closedDeals("ann", north, gadget, 9, 1, pipeline.LossProduct),
		closedDeals("ann", north, widget, 2, 6, pipeline.LossPrice),
		closedDeals("bob", north, gadget, 1, 4, pipeline.LossProduct),
		closedDeals("bob", north, widget, 4, 1, pipeline.LossPrice),
		closedDeals("cid", north, gadget, 1, 4, pipeline.LossProduct))
	s := &rep.Snapshot
	require.Equal(t, review.CauseProduct, s.Diagnose(review.ProductSubject(gadget), review.RateWinRate).Cause)
	for _, subj := range []review.Subject{review.RepSubject("ann"), review.RepProductSubject("ann", gadget)} {
		d := s.Diagnose(subj, review.RateWinRate)
		assert.NotEqual(t, review.CauseProduct, d.Cause, "%s: %s", subj, d.Summary)
	}
	for _, subj := range []review.Subject{review.RepSubject("bob"), review.RepProductSubject("bob", gadget),
		review.RepSubject("cid"), review.RepProductSubject("cid", gadget)} {
		d := s.Diagnose(subj, review.RateWinRate)
		assert.Equal(t, review.CauseProduct, d.Cause, "%s: %s", subj, d.Summary)
		assert.Equal(t, gadget, d.Product)
	}
	// The region did better on gadget (11 of 20) than on widget (6 of 13).
	d := s.Diagnose(review.RegionSubject(north), review.RateWinRate)
	assert.NotEqual(t, review.CauseProduct, d.Cause, d.Summary)
}

// A weak market explains a rep's shortfall only where the rep's rate is
// below the other regions': s4 won 21 of 30, as the north did (63 of 90).
func TestMarketCauseNeedsRepBelowOtherRegions(t *testing.T) {
	var ds [][]pipeline.Deal
	for _, r := range []sp.RepID{"n1", "n2", "n3"} {
		ds = append(ds, closedDeals(r, north, widget, 21, 9, pipeline.LossPrice))
	}
	for _, r := range []sp.RepID{"s1", "s2", "s3"} {
		ds = append(ds, closedDeals(r, south, widget, 9, 21, pipeline.LossCompetitor))
	}
	ds = append(ds, closedDeals("s4", south, widget, 21, 9, pipeline.LossPrice))
	s := snapshotOf(t, ds...).Snapshot
	require.Equal(t, review.CauseMarket, s.Diagnose(review.RegionSubject(south), review.RateWinRate).Cause)
	require.Equal(t, review.CauseMarket, s.Diagnose(review.RepSubject("s1"), review.RateWinRate).Cause)
	require.Equal(t, review.CauseMarket, s.Diagnose(review.RepProductSubject("s1", widget), review.RateWinRate).Cause)
	for _, subj := range []review.Subject{review.RepSubject("s4"), review.RepProductSubject("s4", widget)} {
		d := s.Diagnose(subj, review.RateWinRate)
		assert.Equal(t, review.CauseData, d.Cause, "%s: %s", subj, d.Summary)
	}
}

// The thin_pipeline rule calls a rep's thin pipeline the market's only
// where the rep's rate is below the other regions', as the market step of
// the diagnosis does: s4 of a weak south region, who won as the north did,
// has a thin pipeline of their own making.
func TestThinPipelineMarketNeedsRepBelowOtherRegions(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"n1", "n2", "n3"} {
		w.rep(r, north)
		w.sell(r, north, widget, 21, 9, pipeline.LossPrice)
	}
	for _, r := range []sp.RepID{"s1", "s2", "s3", "s4"} {
		w.rep(r, south)
		w.goal(r, south, "200000.00")
		if r == "s4" {
			w.sell(r, south, widget, 21, 9, pipeline.LossPrice)
		} else {
			w.sell(r, south, widget, 9, 21, pipeline.LossCompetitor)
		}
	}
	in := w.input()
	in.AsOf = time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	r, err := review.New(review.DefaultRules(), w.options(nil))
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, in)
	require.NoError(t, err)
	for rep1, want := range map[sp.RepID]review.Cause{"s1": review.CauseMarket, "s4": review.CauseProcess} {
		f, ok := findings(rep, review.RepSubject(rep1))[review.RuleThinPipeline]
		require.True(t, ok, "rep %s", rep1)
		assert.Equal(t, want, f.Cause, "rep %s: %s", rep1, f.Summary)
	}
}

// A product that is not at fault names a rep who lags on it only where the
// rep closed at least min_deals (5) deals of it: Dan, who lost all his 4,
// has too few to be judged, and the product gets cause data; with a 5th
// deal lost he is named.
func TestProductNamesOnlyJudgedReps(t *testing.T) {
	deals := [][]pipeline.Deal{
		closedDeals("ann", north, widget, 9, 1, pipeline.LossPrice),
		closedDeals("bob", north, widget, 9, 1, pipeline.LossPrice),
		closedDeals("cid", north, widget, 9, 1, pipeline.LossPrice),
	}
	rep := snapshotOf(t, append(deals, closedDeals("dan", north, widget, 0, 4, pipeline.LossPrice))...)
	d := rep.Snapshot.Diagnose(review.ProductSubject(widget), review.RateWinRate)
	assert.Equal(t, review.CauseData, d.Cause, d.Summary)
	assert.Empty(t, d.Rep, d.Summary)

	rep = snapshotOf(t, append(deals, closedDeals("dan", north, widget, 0, 5, pipeline.LossPrice))...)
	d = rep.Snapshot.Diagnose(review.ProductSubject(widget), review.RateWinRate)
	assert.Equal(t, review.CauseRep, d.Cause, d.Summary)
	assert.Equal(t, sp.RepID("dan"), d.Rep, d.Summary)
}

// weakSouth is a month in which every rep of the south sells far worse
// than the north's: 9 of 30 deals won against 21.
func weakSouth(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	for _, r := range []sp.RepID{"n1", "n2", "n3"} {
		w.rep(r, north)
		w.goal(r, north, "20000.00")
		w.sell(r, north, widget, 21, 9, pipeline.LossPrice)
	}
	for _, r := range []sp.RepID{"s1", "s2", "s3"} {
		w.rep(r, south)
		w.goal(r, south, "20000.00")
		w.sell(r, south, widget, 9, 21, pipeline.LossCompetitor)
	}
	w.goals = append(w.goals, quota.Goal{Region: south, Period: november, Revenue: mustMoney("60000.00 EUR")})
	return w
}

// A built snapshot whose table of regions a host replaced by an edited
// copy of as many rows is diagnosed from the new rows: the south, given
// the north's figures, is no longer a weak market. A row edited in place,
// in the table the snapshot was built with, is not seen, as Diagnose says.
func TestDiagnoseReplacedTable(t *testing.T) {
	built := weakSouth(t).review(review.DefaultRules(), nil).Snapshot
	require.Equal(t, review.CauseMarket, built.Diagnose(review.RegionSubject(south), review.RateWinRate).Cause)
	i, ok := slices.BinarySearchFunc(built.Regions, south, func(r review.RegionRow, id sp.RegionID) int { return strings.Compare(string(r.Region), string(id)) })
	require.True(t, ok)
	north, ok := built.Region(north)
	require.True(t, ok)

	replaced := built
	replaced.Regions = slices.Clone(built.Regions)
	replaced.Regions[i].Figures = north.Figures
	got := replaced.Diagnose(review.RegionSubject(south), review.RateWinRate)
	assert.NotEqual(t, review.CauseMarket, got.Cause, got.Summary)

	inPlace := built
	inPlace.Regions[i].Figures = north.Figures
	assert.Equal(t, review.CauseMarket, inPlace.Diagnose(review.RegionSubject(south), review.RateWinRate).Cause)
}

// Diagnose on a built snapshot whose rows a host has since changed (rows
// added or removed, a table replaced by an edited copy) answers from the
// rows as they are, as on a snapshot made so by hand, and does not panic.
func TestDiagnoseRowsChangedAfterBuild(t *testing.T) {
	rep := snapshotOf(t,
		closedDeals("ann", north, widget, 9, 1, pipeline.LossPrice),
		closedDeals("bob", north, widget, 9, 1, pipeline.LossPrice),
		closedDeals("cid", north, widget, 9, 1, pipeline.LossPrice),
		closedDeals("dan", north, widget, 0, 9, pipeline.LossPrice))
	built := rep.Snapshot
	require.Len(t, built.Cells, 4)
	d := built.Diagnose(review.ProductSubject(widget), review.RateWinRate)
	require.Equal(t, review.CauseRep, d.Cause, d.Summary)
	require.Equal(t, sp.RepID("dan"), d.Rep)

	handMade := func(s review.Snapshot) *review.Snapshot {
		return &review.Snapshot{Period: s.Period, AsOf: s.AsOf, Rate: s.Rate, Confidence: s.Confidence, Adjustment: s.Adjustment,
			Team: s.Team, Goals: s.Goals, Reps: s.Reps, Regions: s.Regions, Products: s.Products, Cells: s.Cells}
	}
	subjects := []review.Subject{review.ProductSubject(widget), review.ProductSubject(gadget), review.RepSubject("dan"),
		review.RepProductSubject("dan", widget), review.RegionSubject(north), review.CompanySubject()}
	changes := map[string]func(s *review.Snapshot){
		"cells_removed": func(s *review.Snapshot) { s.Cells = s.Cells[:1] },
		"product_added": func(s *review.Snapshot) {
			p := s.Products[0]
			p.Product = gadget
			s.Products = append(slices.Clone(s.Products), p)
		},
		// As many rows, in tables of their own: dan now sells as ann does.
		"tables_replaced": func(s *review.Snapshot) {
			s.Cells = slices.Clone(s.Cells)
			s.Cells[3].Figures = s.Cells[0].Figures
			s.Reps = slices.Clone(s.Reps)
			s.Reps[3].Figures = s.Reps[0].Figures
		},
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			s := built
			change(&s)
			for _, subj := range subjects {
				for _, k := range []review.RateKind{review.RateWinRate, review.RateConversion} {
					var got review.Diagnosis
					require.NotPanics(t, func() { got = s.Diagnose(subj, k) }, "%s on %s", subj, k)
					assert.Equal(t, handMade(s).Diagnose(subj, k), got, "%s on %s", subj, k)
				}
			}
		})
	}
}

// The diagnosis of a region names the rep who lags the team most, and
// writes the evidence of that rep alone: as many allocations whether each
// lagging rep in the snapshot's order lags more than the ones before (each
// the worst so far) or less (the first the worst).
func TestDiagnoseRegionWritesTheEvidenceOfTheWorstRepOnly(t *testing.T) {
	diagnose := func(wins []int) (review.Diagnosis, float64) {
		var ds [][]pipeline.Deal
		for _, r := range []sp.RepID{"n1", "n2", "n3", "n4", "s1", "s2", "s3", "s4"} {
			region := north
			if r[0] == 's' {
				region = south
			}
			ds = append(ds, closedDeals(r, region, widget, 21, 9, pipeline.LossPrice))
		}
		// As many laggards in the north, so that the south is no weak
		// market.
		for i, w := range wins {
			ds = append(ds, closedDeals(sp.RepID(fmt.Sprintf("t%d", i)), south, widget, w, 30-w, pipeline.LossPrice),
				closedDeals(sp.RepID(fmt.Sprintf("u%d", i)), north, widget, w, 30-w, pipeline.LossPrice))
		}
		s := snapshotOf(t, ds...).Snapshot
		d := s.Diagnose(review.RegionSubject(south), review.RateWinRate)
		return d, testing.AllocsPerRun(10, func() { s.Diagnose(review.RegionSubject(south), review.RateWinRate) })
	}
	worstLast, allocsLast := diagnose([]int{10, 8, 6, 4, 2})
	worstFirst, allocsFirst := diagnose([]int{2, 4, 6, 8, 10})
	require.Equal(t, review.CauseRep, worstLast.Cause, worstLast.Summary)
	assert.Equal(t, sp.RepID("t4"), worstLast.Rep)
	assert.Equal(t, sp.RepID("t0"), worstFirst.Rep)
	assert.Equal(t, strings.ReplaceAll(worstFirst.Summary, "t0", "t4"), worstLast.Summary)
	assert.Equal(t, len(worstFirst.Evidence), len(worstLast.Evidence))
	// Writing the evidence of a rep takes about 24 allocations, so four
	// laggards' more than the worst's would show as about 96; the race
	// detector's sync.Pool drops a few pooled buffers at random.
	assert.InDelta(t, allocsFirst, allocsLast, 8, "the evidence of one rep is written")
}

// In a company of one product, whose losses point at it, a rep who missed
// the goal on it, doing worse on it than the other reps, is put down to the
// product, as where other products gave a rate to compare with: the rep's
// shortfall was "data", with no action, beside a product finding of the
// same losses. A rep who won every deal and sold too little is not.
func TestCauseProductInACompanyOfOneProduct(t *testing.T) {
	p := sp.Month(2027, time.March, time.UTC)
	for _, withGadget := range []bool{false, true} {
		var deals []pipeline.Deal
		add := func(rep sp.RepID, product sp.ProductID, won bool) {
			d := pipeline.Deal{ID: sp.DealID(fmt.Sprintf("d%02d", len(deals)+1)), Owner: rep, Region: "north", Customer: "c", Product: product,
				Amount: pipelinetest.MustEUR("100.00"), Created: p.Start(), Closed: p.Start().Add(time.Duration(len(deals)+1) * time.Hour), Version: 2}
			if won {
				d.Stage, d.Probability = pipeline.DealWon, decimal.NewFromInt(1)
			} else {
				d.Stage, d.Loss = pipeline.DealLost, &pipeline.LossReason{Category: pipeline.LossProduct, Detail: "no timer"}
			}
			deals = append(deals, d)
		}
		for i := range 6 {
			add("ann", "heater", true)
			add("bob", "heater", i == 0)
			add("cy", "heater", i == 0)
			add("dan", "heater", true) // won all, and missed the goal by selling too little
			if withGadget {
				add("bob", "gadget", true)
				add("cy", "gadget", true)
			}
		}
		var goals []quota.Goal
		for _, r := range []sp.RepID{"ann", "bob", "cy", "dan"} {
			goals = append(goals, quota.Goal{Rep: r, Region: "north", Period: p, Revenue: pipelinetest.MustEUR("1500.00")})
		}
		rv, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(p.End())})
		require.NoError(t, err)
		rep, err := rv.Review(context.Background(), review.Input{Period: p, Deals: quota.Refs(deals), Goals: goals})
		require.NoError(t, err)
		pl, ok := rep.Finding(review.RuleProductLosses, review.ProductSubject("heater"))
		require.True(t, ok, "withGadget=%t", withGadget)
		assert.Equal(t, review.CauseProduct, pl.Cause)
		for _, r := range []sp.RepID{"bob", "cy"} {
			f, ok := rep.Finding(review.RuleTargetMissed, review.RepSubject(r))
			require.True(t, ok, "%s, withGadget=%t", r, withGadget)
			assert.Equal(t, review.CauseProduct, f.Cause, "%s, withGadget=%t: %s", r, withGadget, f.Summary)
			require.NotEmpty(t, f.Actions)
			assert.Equal(t, review.ActionProductFeedback, f.Actions[0].Kind)
		}
		// A rep who lost nothing on the product was not held back by it.
		f, ok := rep.Finding(review.RuleTargetMissed, review.RepSubject("dan"))
		require.True(t, ok, "withGadget=%t", withGadget)
		assert.NotEqual(t, review.CauseProduct, f.Cause, "withGadget=%t: %s", withGadget, f.Summary)
	}
}
