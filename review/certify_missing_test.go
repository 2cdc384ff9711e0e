package review_test

import (
	"context"
	"slices"
	"strings"
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

// A rep who sold a product without holding any certificate for it is
// assigned every module of the curriculum that certifies the product,
// when Options.Certifying names it: passing them all is what earns the
// certificate. Without Certifying the rep gets the product's one module,
// whose pass certifies nothing.
func TestRetrainRepWithoutCertificate(t *testing.T) {
	now := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	run := func(t *testing.T, w *recertWorld, certifying func(sp.ProductID) (training.CurriculumID, bool)) review.Report {
		t.Helper()
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
			Certificates: w.trainer.Readiness(), Assigner: w.trainer, Modules: review.CatalogModules(w.cat),
			Curricula: review.CatalogCurricula(w.cat), Certifying: certifying})
		require.NoError(t, err)
		rep, err := r.Review(w.ctx, review.Input{Period: november, AsOf: now, Reps: recertReps("cat"),
			Deals: quota.Refs([]pipeline.Deal{deal("d1", "cat", kit, true, "100.00 EUR")})})
		require.NoError(t, err)
		return rep
	}
	modules := func(rep review.Report) map[training.ModuleID]string {
		out := map[training.ModuleID]string{}
		for _, ar := range rep.Outcome.Assignments {
			require.Equal(t, sp.RepID("cat"), ar.Assignment.Rep)
			out[ar.Assignment.Module] = ar.Assignment.Reason
		}
		return out
	}

	t.Run("certifying", func(t *testing.T) {
		w := newRecertWorld(t)
		rep := run(t, w, review.CatalogCertifying(w.cat))
		cell, ok := rep.Snapshot.Cell("cat", kit)
		require.True(t, ok)
		assert.Equal(t, training.CertMissing, cell.Certification)
		assert.Equal(t, kitAll, cell.Curriculum, "the curriculum that certifies the product")
		f, ok := findings(rep, review.RepProductSubject("cat", kit))[review.RuleCertification]
		require.True(t, ok)
		require.Len(t, f.Actions, 1)
		a := f.Actions[0]
		assert.Equal(t, kitAll, a.Curriculum)
		assert.Empty(t, a.Module)
		assert.Equal(t, "certification missing: pass every module of curriculum kit-all to earn the certificate", a.Note)
		const reason = "review 2026-11: rep cat sold product kit in the period without a certificate for it" +
			"; every module of curriculum kit-all is assigned, to earn its certificate"
		assert.Equal(t, map[training.ModuleID]string{kitBasics: reason, kitPhone: reason}, modules(rep))
		for _, ar := range rep.Outcome.Assignments {
			assert.Equal(t, []training.CurriculumID{kitAll}, ar.Curricula, "the curriculum to certify when both are passed")
		}

		// Passing what was assigned earns the certificate.
		w.at(2026, time.December, 2)
		w.pass("cat", kitBasics)
		w.pass("cat", kitPhone)
		c := w.certify("cat")
		assert.Equal(t, kitAll, c.Curriculum)
	})

	t.Run("without_certifying", func(t *testing.T) {
		w := newRecertWorld(t)
		rep := run(t, w, nil)
		cell, _ := rep.Snapshot.Cell("cat", kit)
		assert.Empty(t, cell.Curriculum)
		f := findings(rep, review.RepProductSubject("cat", kit))[review.RuleCertification]
		require.Len(t, f.Actions, 1)
		assert.Equal(t, "certification missing", f.Actions[0].Note)
		assert.Equal(t, map[training.ModuleID]string{
			kitBasics: "review 2026-11: rep cat sold product kit in the period without a certificate for it",
		}, modules(rep))
		assert.Empty(t, rep.Outcome.Assignments[0].Curricula, "the product's module alone is for no curriculum")
		w.at(2026, time.December, 2)
		w.pass("cat", kitBasics)
		w.incomplete("cat", kitPhone)
	})

	t.Run("certifying_knows_none", func(t *testing.T) {
		w := newRecertWorld(t)
		rep := run(t, w, func(sp.ProductID) (training.CurriculumID, bool) { return "", false })
		assert.Equal(t, []training.ModuleID{kitBasics}, keys(modules(rep)))
	})

	t.Run("curriculum_unknown_to_curricula", func(t *testing.T) {
		w := newRecertWorld(t)
		rep := run(t, w, func(sp.ProductID) (training.CurriculumID, bool) { return "gone", true })
		f := findings(rep, review.RepProductSubject("cat", kit))[review.RuleCertification]
		require.Len(t, f.Actions, 1)
		assert.Equal(t, kitBasics, f.Actions[0].Module, "the product's module, as for any curriculum unknown")
		assert.Equal(t, []training.ModuleID{kitBasics}, keys(modules(rep)))
	})

	t.Run("err_invalid_curriculum", func(t *testing.T) {
		w := newRecertWorld(t)
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
			Certificates: w.trainer.Readiness(), Assigner: w.trainer,
			Certifying: func(sp.ProductID) (training.CurriculumID, bool) { return " bad", true }})
		require.NoError(t, err)
		_, err = r.Review(context.Background(), review.Input{Period: november, AsOf: now,
			Deals: quota.Refs([]pipeline.Deal{deal("d1", "cat", kit, true, "100.00 EUR")})})
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `curriculum certifying product "kit": invalid options.certifying`)
		var got []training.Assignment
		for a, err := range w.store.ListAssignments(w.ctx, "cat") {
			require.NoError(t, err)
			got = append(got, a)
		}
		assert.Empty(t, got, "nothing assigned")
	})

	t.Run("err_invalid_curriculum_quotes_product", func(t *testing.T) {
		w := newRecertWorld(t)
		long := sp.ProductID(strings.Repeat("k", 60))
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
			Certificates: w.trainer.Readiness(),
			Certifying:   func(sp.ProductID) (training.CurriculumID, bool) { return " bad", true }})
		require.NoError(t, err)
		_, err = r.Review(context.Background(), review.Input{Period: november, AsOf: now,
			Deals: quota.Refs([]pipeline.Deal{deal("d1", "cat", long, true, "100.00 EUR")})})
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), "curriculum certifying product "+sp.Quote(string(long))+": invalid options.certifying")
	})
}

// keys returns the keys of m, sorted.
func keys[K ~string, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// CatalogCertifying names a product's one curriculum for every channel,
// or without one its one curriculum for a channel, and none when the
// choice is not the catalog's to make.
func TestCatalogCertifying(t *testing.T) {
	basics := func(p sp.ProductID) training.Module {
		return training.Module{ID: training.ModuleID(p + "-basics"), Title: "Basics", Kind: training.ModuleProductKnowledge, Product: p,
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 7}}
	}
	cu := func(id training.CurriculumID, p sp.ProductID, ch sp.ChannelID) training.Curriculum {
		return training.Curriculum{ID: id, Title: string(id), Product: p, Channel: ch,
			Modules: []training.ModuleID{training.ModuleID(p + "-basics")}, ValidMonths: 12}
	}
	cat, err := training.NewCatalog(
		[]training.Module{basics("a"), basics("b"), basics("c"), basics("d")},
		[]training.Curriculum{
			cu("a-phone", "a", "phone"), cu("a-all", "a", ""), cu("a-web", "a", "web"), // one for every channel
			cu("b-phone", "b", "phone"),                // one for one channel alone
			cu("c-one", "c", ""), cu("c-two", "c", ""), // two for every channel
			cu("d-phone", "d", "phone"), cu("d-web", "d", "web"), // two channels, none for every one
		})
	require.NoError(t, err)
	look := review.CatalogCertifying(cat)
	for p, want := range map[sp.ProductID]training.CurriculumID{"a": "a-all", "b": "b-phone", "c": "", "d": "", "e": ""} {
		got, ok := look(p)
		assert.Equal(t, want, got, "product %s", p)
		assert.Equal(t, want != "", ok, "product %s", p)
	}
	got, ok := review.CatalogCertifying(nil)("a")
	assert.False(t, ok)
	assert.Empty(t, got)
}
