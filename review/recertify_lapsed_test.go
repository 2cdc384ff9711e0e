package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

var _ review.CertificateFinder = (*training.Readiness)(nil)

// kitInquiry is an inquiry about kit owned by rep, received at.
func kitInquiry(id string, rep sp.RepID, at time.Time) *pipeline.Inquiry {
	return &pipeline.Inquiry{ID: sp.InquiryID(id), Channel: "phone", Region: "north", Product: kit, Customer: sp.CustomerID("c-" + id),
		Owner: rep, Received: at, Stage: pipeline.InquiryNew, Version: 1}
}

// assignedModules returns the modules assigned to rep in the outcome, by
// assignment ID, and checks that each one was stored and names the
// curriculum.
func assignedModules(t *testing.T, rep review.Report, id sp.RepID, cu training.CurriculumID) []training.ModuleID {
	t.Helper()
	var out []training.ModuleID
	for _, ar := range rep.Outcome.Assignments {
		if ar.Assignment.Rep != id {
			continue
		}
		assert.Equal(t, review.StatusDone, ar.Status)
		assert.Equal(t, kit, ar.Product)
		assert.Contains(t, ar.Assignment.Reason, "every module of curriculum "+string(cu)+" is assigned, to renew its certificate")
		out = append(out, ar.Assignment.Module)
	}
	return out
}

// A certificate that has expired, or been withdrawn, and a rep who works
// on the product: with Options.Curricula and a Certificates that finds
// the certificate (as *training.Readiness does), the review assigns every
// module of the curriculum that earned it, and the rep who passes them has
// it renewed.
func TestRecertifyScenarioLapsedRenews(t *testing.T) {
	w := newRecertWorld(t)
	w.at(2026, time.January, 10)
	for _, rep := range []sp.RepID{"bob", "carol"} {
		w.pass(rep, kitBasics)
		w.pass(rep, kitPhone)
	}
	bobJan := w.certify("bob") // expires 2027-01-10
	carolJan := w.certify("carol")
	withdrawn := carolJan
	withdrawn.Expires = time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, w.store.PutCertificate(w.ctx, withdrawn))

	february := sp.Month(2027, time.February, time.UTC)
	now := time.Date(2027, time.February, 10, 8, 0, 0, 0, time.UTC)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
		Certificates: w.trainer.Readiness(), Assigner: w.trainer,
		Modules: review.CatalogModules(w.cat), Curricula: review.CatalogCurricula(w.cat)})
	require.NoError(t, err)
	received := time.Date(2027, time.February, 3, 10, 0, 0, 0, time.UTC)
	inqs := []*pipeline.Inquiry{kitInquiry("i-1", "bob", received), kitInquiry("i-2", "carol", received)}
	rep, err := r.Review(w.ctx, review.Input{Period: february, AsOf: now, Reps: recertReps("bob", "carol"),
		Inquiries: func(yield func(*pipeline.Inquiry) bool) {
			for _, i := range inqs {
				if !yield(i) {
					return
				}
			}
		}})
	require.NoError(t, err)

	for _, id := range []sp.RepID{"bob", "carol"} {
		cell, ok := rep.Snapshot.Cell(id, kit)
		require.True(t, ok, id)
		assert.Equal(t, training.CertExpired, cell.Certification, id)
		assert.Equal(t, kitAll, cell.Curriculum, "%s: the curriculum of the certificate found", id)
		data, err := json.Marshal(cell)
		require.NoError(t, err)
		assert.Contains(t, string(data), `"curriculum":"kit-all"`)
		var back review.CellRow
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, kitAll, back.Curriculum)
		again, err := json.Marshal(back)
		require.NoError(t, err)
		assert.JSONEq(t, string(data), string(again), "the cell's JSON round trip")

		f, ok := findings(rep, review.RepProductSubject(id, kit))[review.RuleCertification]
		require.True(t, ok, "%s: the certification rule reports the lapsed certificate", id)
		assert.Equal(t, review.SeverityWarning, f.Severity)
		require.Len(t, f.Actions, 1)
		a := f.Actions[0]
		assert.Equal(t, review.ActionRetrain, a.Kind)
		assert.Equal(t, kitAll, a.Curriculum, "the action names the curriculum that earned the certificate")
		assert.Empty(t, a.Module, "every module of the curriculum is assigned, not one")
		assert.Equal(t, "certification expired: pass every module of curriculum kit-all again to renew the certificate", a.Note)
		require.NoError(t, a.Validate())
		assert.Equal(t, []training.ModuleID{kitBasics, kitPhone}, assignedModules(t, rep, id, kitAll), id)
	}
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	back, err := review.ParseReport(buf.Bytes())
	require.NoError(t, err)
	var again bytes.Buffer
	require.NoError(t, back.WriteJSON(&again))
	assert.Equal(t, buf.String(), again.String(), "the report's JSON round trip")
	for _, c := range back.Snapshot.Cells {
		assert.Equal(t, kitAll, c.Curriculum)
	}

	// Until they pass every module again, Certify refuses; then it renews.
	w.at(2027, time.February, 11)
	w.incomplete("bob", kitBasics, kitPhone)
	w.incomplete("carol", kitBasics, kitPhone)
	for _, id := range []sp.RepID{"bob", "carol"} {
		for _, m := range assignedModules(t, rep, id, kitAll) {
			w.pass(id, m)
		}
		progress, err := w.trainer.Assignments(w.ctx, id, time.Date(2027, time.February, 12, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		require.Len(t, progress, 2)
		for _, p := range progress {
			assert.True(t, p.Done, "assignment %s", p.Assignment.ID)
		}
		c := w.certify(id)
		assert.True(t, c.Issued.After(bobJan.Expires), "%s: renewed after the lapse", id)
		assert.Equal(t, 2028, c.Expires.Year())
		assert.Equal(t, []training.Certificate{c}, w.certificates(id))
		require.NoError(t, w.trainer.Readiness().Eligible(w.ctx, id, kit, "phone", c.Issued))
	}
}

// A certificate outdated by a major brief version: the review assigns
// every module of the curriculum as the new catalog teaches it, and the
// rep who passes them is certified on the new version.
func TestRecertifyScenarioOutdatedRenews(t *testing.T) {
	w := newRecertWorld(t)
	w.at(2026, time.February, 1)
	w.pass("dave", kitBasics)
	w.pass("dave", kitPhone)
	old := w.certify("dave")
	require.NoError(t, w.trainer.PublishBrief(w.ctx, training.Brief{Product: kit, Version: training.MustParseVersion("2.0"),
		Published: time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC), KeyMessages: []string{"it works better"}}))
	cat2 := kitCatalog(t, kitBasicsModule("kit-basics-2", "2.0"))
	tr2 := training.NewTrainer(w.store, cat2, &training.Options{Clock: w.clock})

	september := sp.Month(2026, time.September, time.UTC)
	now := time.Date(2026, time.September, 20, 8, 0, 0, 0, time.UTC)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
		Certificates: tr2.Readiness(), Assigner: tr2, Modules: review.CatalogModules(cat2), Curricula: review.CatalogCurricula(cat2)})
	require.NoError(t, err)
	inq := kitInquiry("i-1", "dave", time.Date(2026, time.September, 10, 10, 0, 0, 0, time.UTC))
	rep, err := r.Review(w.ctx, review.Input{Period: september, AsOf: now, Reps: recertReps("dave"),
		Inquiries: func(yield func(*pipeline.Inquiry) bool) { yield(inq) }})
	require.NoError(t, err)
	cell, ok := rep.Snapshot.Cell("dave", kit)
	require.True(t, ok)
	assert.Equal(t, training.CertOutdated, cell.Certification)
	assert.Equal(t, kitAll, cell.Curriculum)
	f, ok := findings(rep, review.RepProductSubject("dave", kit))[review.RuleCertification]
	require.True(t, ok)
	require.Len(t, f.Actions, 1)
	assert.Equal(t, kitAll, f.Actions[0].Curriculum)
	assert.Equal(t, "certification outdated: pass every module of curriculum kit-all again to renew the certificate", f.Actions[0].Note)
	modules := assignedModules(t, rep, "dave", kitAll)
	assert.Equal(t, []training.ModuleID{"kit-basics-2", kitPhone}, modules)

	w.at(2026, time.September, 21)
	for _, m := range modules {
		w.n++
		_, err := tr2.RecordAttempt(w.ctx, training.Attempt{ID: training.AttemptID(fmt.Sprintf("a-%d", w.n)), Rep: "dave", Module: m, Score: 9})
		require.NoError(t, err)
	}
	c, err := tr2.Certify(w.ctx, "dave", kitAll)
	require.NoError(t, err)
	assert.Equal(t, training.MustParseVersion("2.0"), c.BriefVersion)
	assert.True(t, c.Issued.After(old.Issued))
	require.NoError(t, tr2.Readiness().Eligible(w.ctx, "dave", kit, "phone", c.Issued))
}

// finderCerts gives every certification the state status and finds cert,
// or fails with err; it counts the certificates asked for.
type finderCerts struct {
	status training.CertStatus
	cert   training.Certificate
	err    error
	calls  *int
}

func (f finderCerts) Status(context.Context, sp.RepID, sp.ProductID, time.Time) (training.CertStatus, error) {
	return f.status, nil
}

func (f finderCerts) Certificate(_ context.Context, rep sp.RepID, product sp.ProductID, _ time.Time) (training.Certificate, error) {
	*f.calls++
	c := f.cert
	c.Rep, c.Product = rep, product
	return c, f.err
}

func TestCertificateFinder(t *testing.T) {
	ctx := context.Background()
	cert := training.Certificate{BriefVersion: training.MustParseVersion("1.0"), Curriculum: "widget-cert",
		Issued: november.Start().AddDate(-1, 0, 0), Expires: november.Start()}
	curricula := func(id training.CurriculumID) ([]training.ModuleID, bool) {
		return []training.ModuleID{training.ModuleID(id) + "-1", training.ModuleID(id) + "-2"}, id == "widget-cert"
	}
	review1 := func(t *testing.T, f finderCerts) (review.Report, error) {
		t.Helper()
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Certificates: f, Curricula: curricula})
		require.NoError(t, err)
		return r.Review(ctx, review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(lagging())})
	}
	for _, st := range []training.CertStatus{training.CertExpired, training.CertOutdated} {
		t.Run("ok_"+string(st), func(t *testing.T) {
			calls := 0
			rep, err := review1(t, finderCerts{status: st, cert: cert, calls: &calls})
			require.NoError(t, err)
			assert.Equal(t, 3, calls, "one call per cell")
			for _, c := range rep.Snapshot.Cells {
				assert.Equal(t, training.CurriculumID("widget-cert"), c.Curriculum)
			}
			f := findings(rep, review.RepProductSubject("bob", widget))[review.RuleCertification]
			require.Len(t, f.Actions, 1)
			assert.Equal(t, training.CurriculumID("widget-cert"), f.Actions[0].Curriculum)
			var modules []training.ModuleID
			for _, ar := range rep.Outcome.Assignments {
				if ar.Assignment.Rep == "bob" {
					modules = append(modules, ar.Assignment.Module)
				}
			}
			assert.Equal(t, []training.ModuleID{"widget-cert-1", "widget-cert-2"}, modules)
		})
	}
	for _, st := range []training.CertStatus{training.CertValid, training.CertMissing, training.CertNotYetValid} {
		t.Run("not_asked_"+string(st), func(t *testing.T) {
			calls := 0
			rep, err := review1(t, finderCerts{status: st, cert: cert, calls: &calls})
			require.NoError(t, err)
			assert.Zero(t, calls, "only a lapsed certificate is looked up")
			for _, c := range rep.Snapshot.Cells {
				assert.Empty(t, c.Curriculum)
			}
		})
	}
	t.Run("not_found", func(t *testing.T) {
		calls := 0
		rep, err := review1(t, finderCerts{status: training.CertExpired, err: fmt.Errorf("none: %w", sp.ErrNotFound), calls: &calls})
		require.NoError(t, err, "a certificate not found leaves the curriculum unknown")
		for _, c := range rep.Snapshot.Cells {
			assert.Empty(t, c.Curriculum)
		}
		f := findings(rep, review.RepProductSubject("bob", widget))[review.RuleCertification]
		require.NotEmpty(t, f.Actions)
		assert.Empty(t, f.Actions[0].Curriculum)
		assert.Contains(t, f.Actions[0].Note, "certification expired: a certificate earned by a curriculum is renewed only by passing every module of the curriculum again")
	})
	t.Run("err_finder", func(t *testing.T) {
		calls := 0
		_, err := review1(t, finderCerts{status: training.CertOutdated, err: errBoom, calls: &calls})
		require.ErrorIs(t, err, errBoom)
		assert.NotErrorIs(t, err, sp.ErrNotFound)
		assert.Equal(t, `review: certificate of rep "ann" for product "widget": boom`, err.Error())
	})
	t.Run("err_invalid_curriculum", func(t *testing.T) {
		calls := 0
		bad := cert
		bad.Curriculum = " widget-cert"
		_, err := review1(t, finderCerts{status: training.CertExpired, cert: bad, calls: &calls})
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `certificate of rep "ann" for product "widget"`)
	})
}

// TestCertificatesChecked: a state the Certificates do not define, or an
// expiring certificate that is not valid, fails the review with an error
// wrapping sp.ErrInvalid instead of going into a report that could not be
// written or read back.
func TestCertificatesChecked(t *testing.T) {
	ctx := context.Background()
	run := func(certs review.Certificates) error {
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Certificates: certs})
		require.NoError(t, err)
		_, err = r.Review(ctx, review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(lagging())})
		return err
	}
	calls := 0
	err := run(finderCerts{status: "lapsed", calls: &calls})
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `review: certification of rep "ann" for product "widget": invalid status: `+
		`unknown certificate status "lapsed"; want one of missing, not_yet_valid, expired, outdated, valid`)

	err = run(failingCerts{expiring: []training.Certificate{{Rep: "ann", Product: widget, Expires: november.End().Add(time.Hour)}}})
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `review: expiring certificates: rep "ann": invalid certificate.brief_version: missing version`)
}
