package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// recertWorld is a year of training for the product kit, as a host would
// wire it: one store, a stepping clock, the trainer as the review's
// Assigner and its Readiness as the review's Certificates.
type recertWorld struct {
	t       *testing.T
	ctx     context.Context
	store   *trainingtest.MemStore
	clock   *sp.SteppingClock
	cat     *training.Catalog
	trainer *training.Trainer
	n       int
}

const (
	kit       sp.ProductID          = "kit"
	kitBasics training.ModuleID     = "kit-basics"
	kitPhone  training.ModuleID     = "kit-phone"
	kitAll    training.CurriculumID = "kit-all"
)

func kitCatalog(t *testing.T, basics training.Module) *training.Catalog {
	t.Helper()
	cat, err := training.NewCatalog([]training.Module{
		basics,
		{ID: kitPhone, Title: "Selling kit by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
			Assessment: training.Assessment{MaxScore: 10, PassMark: 7}},
	}, []training.Curriculum{{ID: kitAll, Title: "Kit", Product: kit, Modules: []training.ModuleID{basics.ID, kitPhone}, ValidMonths: 12}})
	require.NoError(t, err)
	return cat
}

func kitBasicsModule(id training.ModuleID, version string) training.Module {
	return training.Module{ID: id, Title: "Kit " + version, Kind: training.ModuleProductKnowledge, Product: kit,
		BriefVersion: training.MustParseVersion(version), Assessment: training.Assessment{MaxScore: 10, PassMark: 7}}
}

func newRecertWorld(t *testing.T) *recertWorld {
	t.Helper()
	w := &recertWorld{t: t, ctx: context.Background(), store: trainingtest.NewMemStore(),
		clock: sp.NewSteppingClock(time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC), time.Minute)}
	w.cat = kitCatalog(t, kitBasicsModule(kitBasics, "1.0"))
	w.trainer = training.NewTrainer(w.store, w.cat, &training.Options{Clock: w.clock})
	require.NoError(t, w.trainer.PublishBrief(w.ctx, training.Brief{Product: kit, Version: training.MustParseVersion("1.0"),
		Published: time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC), KeyMessages: []string{"it works"}}))
	return w
}

// at moves the trainer's clock to day d, 09:00 UTC.
func (w *recertWorld) at(y int, m time.Month, d int) time.Time {
	t := time.Date(y, m, d, 9, 0, 0, 0, time.UTC)
	w.clock.Set(t)
	return t
}

// pass records a passing attempt of rep at module.
func (w *recertWorld) pass(rep sp.RepID, module training.ModuleID) training.Attempt {
	w.t.Helper()
	w.n++
	a, err := w.trainer.RecordAttempt(w.ctx, training.Attempt{ID: training.AttemptID(fmt.Sprintf("a-%d", w.n)), Rep: rep, Module: module, Score: 9})
	require.NoError(w.t, err)
	require.True(w.t, a.Passed)
	return a
}

func (w *recertWorld) certify(rep sp.RepID) training.Certificate {
	w.t.Helper()
	c, err := w.trainer.Certify(w.ctx, rep, kitAll)
	require.NoError(w.t, err)
	return c
}

// incomplete calls Certify and checks that it refuses with an
// IncompleteError that lists missing.
func (w *recertWorld) incomplete(rep sp.RepID, missing ...training.ModuleID) *training.IncompleteError {
	w.t.Helper()
	_, err := w.trainer.Certify(w.ctx, rep, kitAll)
	var ie *training.IncompleteError
	require.ErrorAs(w.t, err, &ie)
	assert.ErrorIs(w.t, err, sp.ErrForbidden)
	assert.Equal(w.t, missing, ie.Missing)
	return ie
}

func (w *recertWorld) certificates(rep sp.RepID) []training.Certificate {
	w.t.Helper()
	var out []training.Certificate
	for c, err := range w.store.ListCertificates(w.ctx, training.CertificateFilter{Rep: rep}) {
		require.NoError(w.t, err)
		out = append(out, c)
	}
	return out
}

func (w *recertWorld) reviewer(now time.Time) *review.Reviewer {
	w.t.Helper()
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
		Certificates: w.trainer.Readiness(), Assigner: w.trainer, Modules: review.CatalogModules(w.cat)})
	require.NoError(w.t, err)
	return r
}

func recertReps(ids ...sp.RepID) []sp.Rep {
	var out []sp.Rep
	for _, id := range ids {
		out = append(out, sp.Rep{ID: id, Name: strings.ToUpper(string(id[:1])) + string(id[1:])})
	}
	return out
}

// A year of certification, as a host lives it.
func TestRecertifyScenario(t *testing.T) {
	w := newRecertWorld(t)

	// January: ann and bob pass every module and are certified for a year.
	w.at(2026, time.January, 10)
	for _, rep := range []sp.RepID{"ann", "bob"} {
		w.pass(rep, kitBasics)
		w.pass(rep, kitPhone)
	}
	annJan := w.certify("ann")
	bobJan := w.certify("bob")
	assert.Equal(t, training.MustParseVersion("1.0"), annJan.BriefVersion)
	assert.Equal(t, kitAll, annJan.Curriculum)
	assert.Equal(t, time.Date(2027, time.January, annJan.Issued.Day(), annJan.Issued.Hour(), annJan.Issued.Minute(), 0, 0, time.UTC), annJan.Expires,
		"valid for the curriculum's 12 calendar months")
	ready := w.trainer.Readiness()
	require.NoError(t, ready.Eligible(w.ctx, "ann", kit, "phone", time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)))

	// Certify again with nothing passed since: the certificate stands.
	w.at(2026, time.March, 1)
	assert.Equal(t, annJan, w.certify("ann"), "no new passes: the certificate is returned unchanged")

	t.Run("december review finds the certificate expiring and assigns retraining", func(t *testing.T) {
		december := sp.Month(2026, time.December, time.UTC)
		now := time.Date(2026, time.December, 15, 8, 0, 0, 0, time.UTC)
		rep, err := w.reviewer(now).Review(w.ctx, review.Input{Period: december, AsOf: now, Reps: recertReps("ann", "bob")})
		require.NoError(t, err)
		f, ok := findings(rep, review.RepProductSubject("ann", kit))[review.RuleCertification]
		require.True(t, ok, "the certification rule reports the expiring certificate")
		assert.Equal(t, review.SeverityInfo, f.Severity)
		assert.Equal(t, review.CauseRep, f.Cause)
		require.Len(t, f.Actions, 1)
		a := f.Actions[0]
		assert.Equal(t, review.ActionRetrain, a.Kind)
		assert.Contains(t, a.Note, "pass every module of curriculum kit-all again")
		assert.Equal(t, kitBasics, a.Module, "the module that teaches the product")
		var mine []review.AssignmentResult
		for _, ar := range rep.Outcome.Assignments {
			if ar.Assignment.Rep == "ann" {
				mine = append(mine, ar)
			}
		}
		require.Len(t, mine, 1)
		assert.Equal(t, review.StatusDone, mine[0].Status)
		assert.Equal(t, kitBasics, mine[0].Assignment.Module)
		assert.True(t, mine[0].Assignment.Due.After(now) && !mine[0].Assignment.Due.After(annJan.Expires),
			"due before the certificate expires: %s", mine[0].Assignment.Due)
	})

	// ann passes the module assigned: the assignment is done, but the
	// certificate is not renewed: it is returned unchanged.
	passed := w.at(2026, time.December, 16)
	w.pass("ann", kitBasics)
	progress, err := w.trainer.Assignments(w.ctx, "ann", passed.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, progress, 1)
	assert.True(t, progress[0].Done, "the assigned module is passed")
	assert.Equal(t, annJan, w.certify("ann"), "one module passed again: the certificate is returned unchanged")
	assert.Equal(t, []training.Certificate{annJan}, w.certificates("ann"))

	// ann passes every module: Certify renews, with a new expiry.
	w.at(2026, time.December, 17)
	w.pass("ann", kitPhone)
	annDec := w.certify("ann")
	assert.True(t, annDec.Issued.After(annJan.Issued))
	assert.Equal(t, time.December, annDec.Expires.Month())
	assert.Equal(t, 2027, annDec.Expires.Year())
	assert.Equal(t, []training.Certificate{annDec}, w.certificates("ann"), "the new certificate replaces the old")
	afterJan := time.Date(2027, time.February, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, ready.Eligible(w.ctx, "ann", kit, "phone", afterJan))

	t.Run("bob lets the certificate expire", func(t *testing.T) {
		st, err := ready.Status(w.ctx, "bob", kit, afterJan)
		require.NoError(t, err)
		assert.Equal(t, training.CertExpired, st)
		err = ready.Eligible(w.ctx, "bob", kit, "phone", afterJan)
		var nr *training.NotReadyError
		require.ErrorAs(t, err, &nr)
		assert.ErrorIs(t, err, sp.ErrForbidden)
		require.NotEmpty(t, nr.Reasons)
		assert.Equal(t, training.ReasonExpired, nr.Reasons[0].Code)

		// The January review finds bob working on kit without a valid
		// certificate.
		january := sp.Month(2027, time.January, time.UTC)
		now := time.Date(2027, time.February, 1, 8, 0, 0, 0, time.UTC)
		inq := &pipeline.Inquiry{ID: "i-1", Channel: "phone", Region: "north", Product: kit, Customer: "c-1", Owner: "bob",
			Received: time.Date(2027, time.January, 20, 10, 0, 0, 0, time.UTC), Stage: pipeline.InquiryNew, Version: 1}
		rep, err := w.reviewer(now).Review(w.ctx, review.Input{Period: january, AsOf: january.End(), Reps: recertReps("ann", "bob"),
			Inquiries: func(yield func(*pipeline.Inquiry) bool) { yield(inq) }})
		require.NoError(t, err)
		f, ok := findings(rep, review.RepProductSubject("bob", kit))[review.RuleCertification]
		require.True(t, ok, "the certification rule reports bob's expired certificate")
		assert.Equal(t, review.SeverityWarning, f.Severity)
		assert.Equal(t, review.CauseRep, f.Cause)
		require.NotEmpty(t, f.Actions)
		assert.Equal(t, review.ActionRetrain, f.Actions[0].Kind)
		assert.Equal(t, kitAll, f.Actions[0].Curriculum, "the curriculum of the certificate that expired")
		assert.Contains(t, f.Actions[0].Note, "certification expired: pass every module of curriculum kit-all again to renew the certificate")

		// Certify refuses until bob passes every module after the expiry.
		w.at(2027, time.February, 2)
		ie := w.incomplete("bob", kitBasics, kitPhone)
		assert.Contains(t, ie.Error(), "since "+sp.FormatTime(bobJan.Expires))
		w.pass("bob", kitBasics)
		w.incomplete("bob", kitPhone)
		w.pass("bob", kitPhone)
		c := w.certify("bob")
		assert.Equal(t, 2028, c.Expires.Year())
		require.NoError(t, ready.Eligible(w.ctx, "bob", kit, "phone", c.Issued))
	})

	t.Run("a withdrawn certificate", func(t *testing.T) {
		w.at(2026, time.January, 12)
		w.pass("carol", kitBasics)
		w.pass("carol", kitPhone)
		c := w.certify("carol")
		withdrawn := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
		c.Expires = withdrawn
		require.NoError(t, w.store.PutCertificate(w.ctx, c))
		require.NoError(t, ready.Eligible(w.ctx, "carol", kit, "phone", withdrawn.Add(-time.Nanosecond)), "valid before the withdrawal")
		err := ready.Eligible(w.ctx, "carol", kit, "phone", withdrawn)
		var nr *training.NotReadyError
		require.ErrorAs(t, err, &nr)
		assert.Equal(t, training.ReasonExpired, nr.Reasons[0].Code)

		w.at(2026, time.June, 2)
		w.incomplete("carol", kitBasics, kitPhone)
		w.pass("carol", kitBasics)
		w.pass("carol", kitPhone)
		again := w.certify("carol")
		assert.True(t, again.Issued.After(withdrawn))
		require.NoError(t, ready.Eligible(w.ctx, "carol", kit, "phone", again.Issued))
	})

	t.Run("a new major brief outdates the certificate", func(t *testing.T) {
		w.at(2026, time.February, 1)
		w.pass("dave", kitBasics)
		w.pass("dave", kitPhone)
		old := w.certify("dave")
		v2 := time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC)
		require.NoError(t, w.trainer.PublishBrief(w.ctx, training.Brief{Product: kit, Version: training.MustParseVersion("2.0"),
			Published: v2, KeyMessages: []string{"it works better"}}))
		st, err := ready.Status(w.ctx, "dave", kit, v2)
		require.NoError(t, err)
		assert.Equal(t, training.CertOutdated, st)
		err = ready.Eligible(w.ctx, "dave", kit, "phone", v2)
		var nr *training.NotReadyError
		require.ErrorAs(t, err, &nr)
		assert.Equal(t, training.ReasonBriefOutdated, nr.Reasons[0].Code)
		st, err = ready.Status(w.ctx, "dave", kit, v2.Add(-time.Nanosecond))
		require.NoError(t, err)
		assert.Equal(t, training.CertValid, st, "valid until the new major version")

		// The September review finds dave working on kit with an
		// outdated certificate.
		september := sp.Month(2026, time.September, time.UTC)
		now := time.Date(2026, time.September, 20, 8, 0, 0, 0, time.UTC)
		inq := &pipeline.Inquiry{ID: "i-2", Channel: "phone", Region: "north", Product: kit, Customer: "c-2", Owner: "dave",
			Received: time.Date(2026, time.September, 10, 10, 0, 0, 0, time.UTC), Stage: pipeline.InquiryNew, Version: 1}
		rep, err := w.reviewer(now).Review(w.ctx, review.Input{Period: september, AsOf: now, Reps: recertReps("dave"),
			Inquiries: func(yield func(*pipeline.Inquiry) bool) { yield(inq) }})
		require.NoError(t, err)
		f, ok := findings(rep, review.RepProductSubject("dave", kit))[review.RuleCertification]
		require.True(t, ok, "the certification rule reports dave's outdated certificate")
		require.NotEmpty(t, f.Actions)
		assert.Equal(t, kitAll, f.Actions[0].Curriculum, "the curriculum of the certificate outdated")
		assert.Contains(t, f.Actions[0].Note, "certification outdated: pass every module of curriculum kit-all again to renew the certificate")

		// The old catalog teaches brief 1.0: Certify refuses, outdated
		// certificates are not returned unchanged.
		w.at(2026, time.September, 2)
		w.incomplete("dave", kitBasics, kitPhone)

		// Reps requalify on a module that names the new version, in a
		// new Catalog.
		cat2 := kitCatalog(t, kitBasicsModule("kit-basics-2", "2.0"))
		tr2 := training.NewTrainer(w.store, cat2, &training.Options{Clock: w.clock})
		for _, m := range []training.ModuleID{"kit-basics-2", kitPhone} {
			w.n++
			_, err := tr2.RecordAttempt(w.ctx, training.Attempt{ID: training.AttemptID(fmt.Sprintf("a-%d", w.n)), Rep: "dave", Module: m, Score: 9})
			require.NoError(t, err)
		}
		c, err := tr2.Certify(w.ctx, "dave", kitAll)
		require.NoError(t, err)
		assert.Equal(t, training.MustParseVersion("2.0"), c.BriefVersion)
		assert.NotEqual(t, old, c)
		require.NoError(t, ready.Eligible(w.ctx, "dave", kit, "phone", c.Issued))
	})
}

// With Options.Curricula, the review's retraining for a certificate that
// expires soon is every module of the curriculum that earned it: the rep
// who passes every module assigned has the certificate renewed.
func TestRecertifyScenarioRenews(t *testing.T) {
	w := newRecertWorld(t)
	w.at(2026, time.January, 10)
	w.pass("ann", kitBasics)
	w.pass("ann", kitPhone)
	annJan := w.certify("ann")

	december := sp.Month(2026, time.December, time.UTC)
	now := time.Date(2026, time.December, 15, 8, 0, 0, 0, time.UTC)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
		Certificates: w.trainer.Readiness(), Assigner: w.trainer,
		Modules: review.CatalogModules(w.cat), Curricula: review.CatalogCurricula(w.cat)})
	require.NoError(t, err)
	in := review.Input{Period: december, AsOf: now, Reps: recertReps("ann")}
	rep, err := r.Review(w.ctx, in)
	require.NoError(t, err)

	f, ok := findings(rep, review.RepProductSubject("ann", kit))[review.RuleCertification]
	require.True(t, ok, "the certification rule reports the expiring certificate")
	require.Len(t, f.Actions, 1)
	a := f.Actions[0]
	assert.Equal(t, review.ActionRetrain, a.Kind)
	assert.Equal(t, kitAll, a.Curriculum, "the action names the curriculum that earned the certificate")
	assert.Empty(t, a.Module, "every module of the curriculum is assigned, not one")
	assert.Contains(t, a.Note, "pass every module of curriculum kit-all again")
	data, err := json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"curriculum":"kit-all"`)
	var back review.Action
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, a, back)
	require.NoError(t, back.Validate())

	var modules []training.ModuleID
	for _, ar := range rep.Outcome.Assignments {
		require.Equal(t, sp.RepID("ann"), ar.Assignment.Rep)
		assert.Equal(t, review.StatusDone, ar.Status)
		assert.Equal(t, kit, ar.Product)
		assert.Equal(t, []string{f.ID}, ar.Findings)
		assert.Contains(t, ar.Assignment.Reason, "every module of curriculum kit-all is assigned, to renew its certificate")
		assert.Equal(t, []training.CurriculumID{kitAll}, ar.Curricula)
		assert.True(t, ar.Assignment.Due.After(now) && !ar.Assignment.Due.After(annJan.Expires),
			"due before the certificate expires: %s", ar.Assignment.Due)
		modules = append(modules, ar.Assignment.Module)
	}
	assert.Equal(t, []training.ModuleID{kitBasics, kitPhone}, modules, "one assignment per module, by ID")

	// A rerun finds them stored.
	again, err := r.Review(w.ctx, in)
	require.NoError(t, err)
	require.Len(t, again.Outcome.Assignments, 2)
	for _, ar := range again.Outcome.Assignments {
		assert.Equal(t, review.StatusExisting, ar.Status)
	}

	// ann passes every module assigned: the assignments are done, and
	// Certify renews the certificate.
	passed := w.at(2026, time.December, 16)
	for _, m := range modules {
		w.pass("ann", m)
	}
	progress, err := w.trainer.Assignments(w.ctx, "ann", passed.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, progress, 2)
	for _, p := range progress {
		assert.True(t, p.Done, "assignment %s", p.Assignment.ID)
	}
	annDec := w.certify("ann")
	assert.True(t, annDec.Issued.After(annJan.Issued), "renewed, not returned unchanged")
	assert.Equal(t, time.December, annDec.Expires.Month())
	assert.Equal(t, 2027, annDec.Expires.Year())
	assert.Equal(t, []training.Certificate{annDec}, w.certificates("ann"))
}
