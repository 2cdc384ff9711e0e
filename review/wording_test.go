package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// The words of the findings that the goldens do not show: each summary
// says what it compares with the counts of both sides, once.

// conversion_below_peers says how far below the team the rep is, and adds
// the cause only where it says something else: the product the rep lags
// on, not the same lag over all products again.
func TestFindingWordsBelowPeers(t *testing.T) {
	t.Run("on_a_product", func(t *testing.T) {
		w := newWorld(t)
		for _, r := range []sp.RepID{"ann", "cat", "dan", "eli"} {
			w.rep(r, north)
		}
		w.inquire("ann", north, widget, 20, 20, 15, time.Hour, true)
		w.inquire("cat", north, widget, 20, 20, 14, time.Hour, true)
		w.inquire("dan", north, widget, 20, 20, 1, time.Hour, true)
		w.inquire("dan", north, gadget, 10, 10, 7, time.Hour, true)
		w.inquire("ann", north, gadget, 10, 10, 7, time.Hour, true)
		w.sell("dan", north, widget, 3, 4, pipeline.LossPrice)
		w.inquire("eli", north, widget, 10, 6, 5, 40*time.Hour, false)
		w.sell("eli", north, widget, 10, 4, pipeline.LossPrice)
		rep := w.review(review.DefaultRules(), nil)
		f, ok := findings(rep, review.RepSubject("dan"))[review.RuleConversionBelowPeers]
		require.True(t, ok)
		assert.Equal(t, "the conversion of rep dan, 8 of 30 inquiries won, is significantly below that of the rest of the team, 41 of 60 inquiries won; "+
			"the conversion of rep dan on widget, 1 of 20 inquiries won, is significantly below that of the other reps on it, 34 of 50 inquiries won", f.Summary)
	})
	// A rep who sells one product has the same counts overall and on it:
	// the summary says them once, and that they are all on the product,
	// with the other reps' counts on it where theirs are not all on it.
	t.Run("on_the_one_product_of_all", func(t *testing.T) {
		w := newWorld(t)
		for _, r := range []sp.RepID{"ann", "cat", "dan"} {
			w.rep(r, north)
		}
		w.inquire("ann", north, widget, 20, 20, 15, time.Hour, true)
		w.inquire("cat", north, widget, 20, 20, 14, time.Hour, true)
		w.inquire("dan", north, widget, 20, 20, 1, time.Hour, true)
		rep := w.review(review.DefaultRules(), nil)
		f, ok := findings(rep, review.RepSubject("dan"))[review.RuleConversionBelowPeers]
		require.True(t, ok)
		require.Equal(t, review.CauseRep, f.Cause)
		assert.Equal(t, "the conversion of rep dan, 1 of 20 inquiries won, is significantly below that of the rest of the team, 29 of 40 inquiries won; "+
			"all of them on widget", f.Summary)
	})
	t.Run("on_the_one_product_of_the_rep", func(t *testing.T) {
		w := newWorld(t)
		for _, r := range []sp.RepID{"ann", "cat", "dan"} {
			w.rep(r, north)
		}
		w.inquire("ann", north, widget, 20, 20, 15, time.Hour, true)
		w.inquire("cat", north, widget, 20, 20, 14, time.Hour, true)
		w.inquire("ann", north, gadget, 10, 10, 2, time.Hour, true)
		w.inquire("dan", north, widget, 20, 20, 1, time.Hour, true)
		rep := w.review(review.DefaultRules(), nil)
		f, ok := findings(rep, review.RepSubject("dan"))[review.RuleConversionBelowPeers]
		require.True(t, ok)
		require.Equal(t, review.CauseRep, f.Cause)
		assert.Equal(t, "the conversion of rep dan, 1 of 20 inquiries won, is significantly below that of the rest of the team, 31 of 50 inquiries won; "+
			"all of the rep's on widget, against 29 of 40 inquiries won by the other reps on it", f.Summary)
	})
	t.Run("overall", func(t *testing.T) {
		w := newWorld(t)
		for _, r := range []sp.RepID{"ann", "cat", "eli", "fay", "dan"} {
			w.rep(r, north)
		}
		for _, r := range []sp.RepID{"ann", "cat", "eli", "fay"} {
			w.inquire(r, north, widget, 8, 8, 6, time.Hour, true)
			w.inquire(r, north, gadget, 8, 8, 6, time.Hour, true)
		}
		w.inquire("dan", north, widget, 8, 8, 2, time.Hour, true)
		w.inquire("dan", north, gadget, 8, 8, 2, time.Hour, true)
		rep := w.review(review.DefaultRules(), nil)
		f, ok := findings(rep, review.RepSubject("dan"))[review.RuleConversionBelowPeers]
		require.True(t, ok)
		require.Equal(t, review.CauseRep, f.Cause)
		assert.Equal(t, "the conversion of rep dan, 4 of 16 inquiries won, is significantly below that of the rest of the team, 48 of 64 inquiries won", f.Summary)
	})
}

// A shortfall traced to a weak market says what the region's rate is
// against the others', and the evidence counts the reps below.
func TestFindingWordsMarket(t *testing.T) {
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
	rep := w.review(review.DefaultRules(), nil)
	f, ok := findings(rep, review.RepSubject("s1"))[review.RuleTargetMissed]
	require.True(t, ok)
	require.Equal(t, review.CauseMarket, f.Cause)
	assert.Equal(t, "rep s1 attained 45.00 % of the goal of 20000.00 EUR for 2026-11 and missed it; "+
		"the win rate of region south, 27 won of 90 closed, is significantly below that of the other regions, 63 won of 90 closed, "+
		"and 3 of its 3 reps with enough data did worse than the other regions", f.Summary)
	assert.Contains(t, f.Evidence, review.Evidence{Name: "reps below the other regions' win rate", Value: "3 of the region's 3 with enough data"})
	assert.Contains(t, f.Evidence, review.Evidence{Name: "status", Value: "missed"})
}

// Too few cases are counted in the singular where there is one.
func TestFindingWordsTooFewOne(t *testing.T) {
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(),
		Deals: quota.Refs([]pipeline.Deal{deal("won-1", "ann", widget, true, "100.00 EUR")})})
	require.NoError(t, err)
	d := rep.Snapshot.Diagnose(review.RepSubject("ann"), review.RateWinRate)
	assert.Equal(t, "too few cases to judge rep ann: 1 closed deal in the period, fewer than the 5 needed", d.Summary)
}

// product_losses says what the losses were put down to in words, every
// category of the rule's.
func TestFindingWordsLossCategories(t *testing.T) {
	var deals []pipeline.Deal
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		deals = append(deals, closedDeals(r, north, gadget, 2, 8, pipeline.LossPrice)...)
		deals = append(deals, closedDeals(r, north, widget, 8, 2, pipeline.LossRepExecution)...)
	}
	rules := review.DefaultRules()
	rules.Analysis.Product.LossCategories = []pipeline.LossCategory{pipeline.LossProduct, pipeline.LossPrice, pipeline.LossNoDecision}
	r, err := review.New(rules, &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(deals)})
	require.NoError(t, err)
	f, ok := findings(rep, review.ProductSubject(gadget))[review.RuleProductLosses]
	require.True(t, ok)
	assert.Equal(t, "24 of the 24 deals of product gadget lost in the period were put down to the product, the price or no decision, "+
		"by 3 of the 3 reps who closed deals on it", f.Summary)
	assert.Contains(t, f.Evidence, review.Evidence{Name: "losses of gadget", Value: "24 of 24 lost deals (1.0000) put down to the product, the price or no decision"})
}

// The certification rule says in words what is wrong with the rep's
// certificate.
func TestFindingWordsCertification(t *testing.T) {
	cert := training.Certificate{BriefVersion: training.MustParseVersion("1.0"), Curriculum: "widget-cert",
		Issued: november.Start().AddDate(-1, 0, 0), Expires: november.Start()}
	for st, want := range map[training.CertStatus]string{
		training.CertMissing:     "rep bob sold product widget in the period without a certificate for it",
		training.CertExpired:     "rep bob sold product widget in the period with an expired certificate for it",
		training.CertOutdated:    "rep bob sold product widget in the period with an outdated certificate for it",
		training.CertNotYetValid: "rep bob sold product widget in the period with a certificate for it that is not yet valid",
	} {
		t.Run(string(st), func(t *testing.T) {
			calls := 0
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Certificates: finderCerts{status: st, cert: cert, calls: &calls}})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(lagging())})
			require.NoError(t, err)
			f, ok := findings(rep, review.RepProductSubject("bob", widget))[review.RuleCertification]
			require.True(t, ok)
			assert.Equal(t, want, f.Summary)
			assert.NotContains(t, f.Evidence[0].Value+f.Actions[0].Note, "_", "codes are written as words")
		})
	}
}

// A slow follow-up says what is slow, the median first response or the
// overdue inquiries, against the limits, whoever it is of.
func TestFindingWordsFollowUp(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"ann", "cat", "dan", "eli"} {
		w.rep(r, north)
	}
	w.inquire("ann", north, widget, 20, 20, 15, time.Hour, true)
	w.inquire("cat", north, widget, 20, 20, 14, time.Hour, true)
	w.inquire("dan", north, widget, 20, 20, 1, time.Hour, true)
	w.inquire("eli", north, widget, 10, 6, 5, 40*time.Hour, false)
	w.sell("eli", north, widget, 10, 4, pipeline.LossPrice)
	w.goal("eli", north, "30000.00")
	rep := w.review(review.DefaultRules(), nil)

	eli := findings(rep, review.RepSubject("eli"))
	require.Contains(t, eli, review.RuleSlowFollowUp)
	assert.Equal(t, "the follow-up of rep eli is slow or missing: a median first response of 40h17m30s, above the limit of 24h, "+
		"and 5 of the 5 open inquiries overdue (1.0000, above the limit of 0.25)", eli[review.RuleSlowFollowUp].Summary)
	require.Equal(t, review.CauseProcess, eli[review.RuleTargetMissed].Cause)
	assert.Equal(t, "rep eli attained 50.00 % of the goal of 30000.00 EUR for 2026-11 and missed it; "+
		eli[review.RuleSlowFollowUp].Summary, eli[review.RuleTargetMissed].Summary)
	d := rep.Snapshot.Diagnose(review.CompanySubject(), review.RateConversion)
	require.Equal(t, review.CauseProcess, d.Cause)
	assert.Equal(t, "the follow-up of the company is slow or missing: 5 of the 5 open inquiries overdue (1.0000, above the limit of 0.25)", d.Summary)
}

// A thin pipeline says where the goal stands, its chance, what the
// weighted pipeline covers of what is still to win, and the weak market
// of the rep's region where it touches the rep.
func TestFindingWordsThinPipeline(t *testing.T) {
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
	for rep1, want := range map[sp.RepID]string{
		"s1": "rep s1 attained 4.50 % of the goal of 200000.00 EUR for 2026-11, at risk, with a chance of 0.0000 of reaching it: " +
			"the open pipeline is thin, weighted at 0.00 times the 191000.00 EUR still to win, in the weak market of region south",
		"s4": "rep s4 attained 10.50 % of the goal of 200000.00 EUR for 2026-11, at risk, with a chance of 0.0000 of reaching it: " +
			"the open pipeline is thin, weighted at 0.00 times the 179000.00 EUR still to win",
	} {
		f, ok := findings(rep, review.RepSubject(rep1))[review.RuleThinPipeline]
		require.True(t, ok, "rep %s", rep1)
		assert.Equal(t, want, f.Summary, "rep %s", rep1)
	}
}
