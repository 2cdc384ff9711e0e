package review_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

var errFault = errors.New("injected fault")

// How the k-th call of a review's services fails.
const (
	failBefore = iota // the call fails and changes nothing
	failCancel        // the review's ctx is cancelled as the call is made
	failAfter         // a write lands, then the call reports a failure
)

// faults counts the calls a review makes of its services (the training
// store under the Certificates and the Assigner, the Assigner, the
// Publisher) and fails the k-th as mode says.
type faults struct {
	mu     sync.Mutex
	k, n   int
	mode   int
	cancel context.CancelFunc
	hit    string
}

// fail counts a call of method and reports whether it is to fail; in
// failCancel mode it cancels the ctx instead and reports false.
func (f *faults) fail(method string, write bool) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.n != f.k {
		return false
	}
	switch f.mode {
	case failCancel:
		f.hit = method
		f.cancel()
		return false
	case failAfter:
		if !write {
			f.k++
			return false
		}
	}
	f.hit = method
	return true
}

func (f *faults) write(method string, do func() error) error {
	if !f.fail(method, true) {
		return do()
	}
	if f.mode == failAfter {
		if err := do(); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s: %w", method, errFault)
}

// faultTrainingStore is a training MemStore whose calls the faults count.
type faultTrainingStore struct {
	*trainingtest.MemStore
	f *faults
}

func (s faultTrainingStore) BriefAt(ctx context.Context, p sp.ProductID, at time.Time) (training.Brief, error) {
	if s.f.fail("BriefAt", false) {
		return training.Brief{}, errFault
	}
	return s.MemStore.BriefAt(ctx, p, at)
}

func (s faultTrainingStore) BriefVersionAt(ctx context.Context, p sp.ProductID, at time.Time) (training.Version, error) {
	if s.f.fail("BriefVersionAt", false) {
		return training.Version{}, errFault
	}
	return s.MemStore.BriefVersionAt(ctx, p, at)
}

func (s faultTrainingStore) ListCertificates(ctx context.Context, flt training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return func(yield func(training.Certificate, error) bool) {
		if s.f.fail("ListCertificates", false) {
			yield(training.Certificate{}, errFault)
			return
		}
		for c, err := range s.MemStore.ListCertificates(ctx, flt) {
			if !yield(c, err) {
				return
			}
		}
	}
}

func (s faultTrainingStore) AddAssignment(ctx context.Context, a training.Assignment) error {
	return s.f.write("AddAssignment", func() error { return s.MemStore.AddAssignment(ctx, a) })
}

// faultAssigner is a Trainer whose AssignModule calls the faults count.
type faultAssigner struct {
	tr *training.Trainer
	f  *faults
}

func (a faultAssigner) AssignModule(ctx context.Context, x training.Assignment) (training.Assignment, error) {
	var got training.Assignment
	err := a.f.write("AssignModule", func() error {
		var err error
		got, err = a.tr.AssignModule(ctx, x)
		return err
	})
	return got, err
}

// outbox is a publisher that delivers each event ID once, as a consumer
// that drops the IDs it has seen does, and fails as the faults say.
type outbox struct {
	f      *faults
	mu     sync.Mutex
	events map[string]sp.Event
	calls  int
}

func (o *outbox) Publish(ctx context.Context, e sp.Event) error {
	return o.f.write("Publish", func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		o.calls++
		if prev, ok := o.events[e.ID]; ok {
			if string(prev.Data) != string(e.Data) || prev.Type != e.Type || prev.Subject != e.Subject {
				return fmt.Errorf("event %s published again with another payload", e.ID)
			}
			return nil
		}
		e.Data = slices.Clone(e.Data)
		o.events[e.ID] = e
		return nil
	})
}

// faultWorld is what a review of the fault test writes to and reads from.
type faultWorld struct {
	store *trainingtest.MemStore
	f     *faults
	out   *outbox
	r     *review.Reviewer
	in    review.Input
	asOf  time.Time
}

func newFaultWorld(t *testing.T) *faultWorld {
	t.Helper()
	ctx := context.Background()
	asOf := november.End().Add(8 * time.Hour)
	catalog, err := training.NewCatalog([]training.Module{
		{ID: "widget-basics", Title: "Widget basics", Kind: training.ModuleProductKnowledge, Product: widget,
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
	}, []training.Curriculum{
		{ID: "widget-cert", Title: "Widget certification", Product: widget, Modules: []training.ModuleID{"widget-basics"}, ValidMonths: 12},
	})
	require.NoError(t, err)
	store := trainingtest.NewMemStore()
	require.NoError(t, store.AddBrief(ctx, training.Brief{Product: widget, Version: training.MustParseVersion("1.0"), Published: november.Start().AddDate(0, -3, 0)}))
	issued := november.Start().AddDate(-1, 0, 0)
	for rep, expires := range map[sp.RepID]time.Time{"ann": asOf.AddDate(0, 0, 10), "bob": asOf.AddDate(1, 0, 0), "cat": asOf.AddDate(1, 0, 0)} {
		require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: rep, Product: widget,
			BriefVersion: training.MustParseVersion("1.0"), Issued: issued, Expires: expires}))
	}
	// An assignment from an earlier review stays as it is.
	require.NoError(t, store.AddAssignment(ctx, training.Assignment{ID: "earlier", Rep: "bob", Module: "widget-basics",
		Assigned: issued, Due: issued.AddDate(0, 0, 14)}))
	f := &faults{}
	fs := faultTrainingStore{store, f}
	tr := training.NewTrainer(fs, catalog, &training.Options{Clock: sp.FixedClock(asOf)})
	out := &outbox{f: f, events: map[string]sp.Event{}}
	feedback := review.NewRule("feedback", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: review.ProductSubject(widget), Severity: review.SeverityWarning, Cause: review.CauseProduct,
			Summary: "widgets break", Actions: []review.Action{{Kind: review.ActionProductFeedback, Product: widget}}}}, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{
		Clock: sp.FixedClock(asOf), Certificates: tr.Readiness(), Assigner: faultAssigner{tr, f}, Publisher: out,
		Modules: review.CatalogModules(catalog), Rules: []review.Rule{feedback},
	})
	require.NoError(t, err)
	ds := lagging()
	for i := range 3 { // dan sells without a certificate
		ds = append(ds, deal(sp.DealID(fmt.Sprintf("d-dan-%02d", i)), "dan", widget, true, "100.00 EUR"))
	}
	in := review.Input{Period: november, AsOf: asOf, Deals: quota.Refs(ds),
		Products: []sp.Product{{ID: widget, Name: "Widget", Owner: "pm-widget"}}}
	return &faultWorld{store: store, f: f, out: out, r: r, in: in, asOf: asOf}
}

// assignments returns the assignments stored, by ID, as JSON.
func (w *faultWorld) assignments(t *testing.T) map[training.AssignmentID]string {
	t.Helper()
	out := map[training.AssignmentID]string{}
	for a, err := range w.store.ListAssignments(context.Background(), "") {
		require.NoError(t, err)
		data, err := json.Marshal(a)
		require.NoError(t, err)
		out[a.ID] = string(data)
	}
	return out
}

func (w *faultWorld) events() map[string]string {
	w.out.mu.Lock()
	defer w.out.mu.Unlock()
	out := map[string]string{}
	for id, e := range w.out.events {
		out[id] = e.Type + " " + e.Subject + " " + string(e.Data)
	}
	return out
}

// subset checks that every entry of got is in want, as it is there.
func subset[K comparable](t *testing.T, want, got map[K]string, msg string) {
	t.Helper()
	for k, v := range got {
		w, ok := want[k]
		if assert.True(t, ok, "%s: %v is not one of a successful review", msg, k) {
			assert.Equal(t, w, v, "%s: %v", msg, k)
		}
	}
}

// reportJSON returns the report as JSON, its assignments' statuses
// left out: a rerun gives "existing" where the first run gave "done".
func reportJSON(t *testing.T, rep review.Report) string {
	t.Helper()
	for i := range rep.Outcome.Assignments {
		rep.Outcome.Assignments[i].Status = ""
	}
	var b strings.Builder
	require.NoError(t, rep.WriteJSON(&b))
	return b.String()
}

// TestReviewFaults fails each call a review makes of the training store
// (through the Certificates and the Assigner), of the Assigner and of the
// Publisher in turn (failing it, cancelling the review's ctx as it is
// made, or failing it after its write landed), and checks that the review
// reports the failure, leaves at most the assignments and events a
// successful review makes, and that a retry then leaves exactly what one
// successful review leaves: one assignment per rep and module, one event
// per ID with the payload of a successful review, and the same report.
func TestReviewFaults(t *testing.T) {
	ref := newFaultWorld(t)
	before := ref.assignments(t)
	want, err := ref.r.Review(context.Background(), ref.in)
	require.NoError(t, err)
	wantAssignments, wantEvents := ref.assignments(t), ref.events()
	wantReport := reportJSON(t, want)
	require.Len(t, wantAssignments, len(before)+3, "ann's expiry, bob's lag and dan's missing certificate: %v", wantAssignments)
	require.NotEmpty(t, wantEvents)
	assert.Len(t, wantEvents, len(want.Outcome.Events))
	assert.Equal(t, len(want.Outcome.Events), ref.out.calls, "one event per change")

	for _, mode := range []int{failBefore, failCancel, failAfter} {
		faults := 0
		for k := 1; ; k++ {
			w := newFaultWorld(t)
			ctx, cancel := context.WithCancel(context.Background())
			w.f.k, w.f.mode, w.f.cancel = k, mode, cancel
			_, err := w.r.Review(ctx, w.in)
			cancel()
			if w.f.hit == "" {
				require.NoError(t, err, "mode %d: no fault at call %d", mode, k)
				break
			}
			faults++
			at := fmt.Sprintf("mode %d, call %d (%s)", mode, k, w.f.hit)
			require.Error(t, err, at)
			assert.True(t, strings.HasPrefix(err.Error(), "review: "), "%s: %v", at, err)
			if mode == failCancel {
				assert.ErrorIs(t, err, context.Canceled, at)
			} else {
				assert.ErrorIs(t, err, errFault, at)
			}
			subset(t, wantAssignments, w.assignments(t), at+": assignments")
			subset(t, wantEvents, w.events(), at+": events")
			for id := range before {
				assert.Contains(t, w.assignments(t), id, at)
			}

			w.f.k = 0
			rep, err := w.r.Review(context.Background(), w.in)
			require.NoError(t, err, "%s: retry", at)
			assert.Equal(t, wantAssignments, w.assignments(t), "%s: assignments after the retry", at)
			assert.Equal(t, wantEvents, w.events(), "%s: events after the retry", at)
			assert.Equal(t, wantReport, reportJSON(t, rep), "%s: report of the retry", at)
		}
		assert.Positive(t, faults, "mode %d: no call failed", mode)
	}
}

// A review whose ctx is done by the time it acts (here cancelled by the
// last rule, as a caller's deadline may pass while the rules run) returns
// ctx.Err() and assigns and publishes nothing, even through services that
// do not look at ctx themselves.
func TestReviewDoneBeforeActing(t *testing.T) {
	now := november.End().Add(8 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	last := review.NewRule("last", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		cancel()
		return []review.Finding{{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "lags",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget}}}}, nil
	})
	var assigned, published int
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{last},
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true },
		Assigner: assignerFunc(func(_ context.Context, a training.Assignment) (training.Assignment, error) {
			assigned++
			return a, nil
		}),
		Publisher: sp.PublisherFunc(func(context.Context, sp.Event) error {
			published++
			return nil
		}),
	})
	require.NoError(t, err)
	_, err = r.Review(ctx, review.Input{Period: november, AsOf: now})
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, assigned, "assignments made with a done ctx")
	assert.Zero(t, published, "events published with a done ctx")
}

// A review whose ctx ends while it acts (here cancelled by the first call
// of the Assigner or of the Publisher, which do not look at ctx) returns
// ctx.Err() and makes no further call: one assignment of two and no
// event, or one event of two.
func TestReviewDoneWhileActing(t *testing.T) {
	now := november.End().Add(8 * time.Hour)
	rule := review.NewRule("two", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		var fs []review.Finding
		for _, rep := range []sp.RepID{"ann", "bob"} {
			fs = append(fs, review.Finding{Subject: review.RepSubject(rep), Severity: review.SeverityWarning, Summary: "lags",
				Actions: []review.Action{{Kind: review.ActionRetrain, Rep: rep, Product: widget}}})
		}
		return fs, nil
	})
	for _, cancelIn := range []string{"assigner", "publisher"} {
		t.Run(cancelIn, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var assigned, published int
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule},
				Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true },
				Assigner: assignerFunc(func(_ context.Context, a training.Assignment) (training.Assignment, error) {
					assigned++
					if cancelIn == "assigner" {
						cancel()
					}
					return a, nil
				}),
				Publisher: sp.PublisherFunc(func(context.Context, sp.Event) error {
					published++
					if cancelIn == "publisher" {
						cancel()
					}
					return nil
				}),
			})
			require.NoError(t, err)
			_, err = r.Review(ctx, review.Input{Period: november, AsOf: now})
			require.ErrorIs(t, err, context.Canceled)
			if cancelIn == "assigner" {
				assert.Equal(t, 1, assigned, "assignments made after the ctx was done")
				assert.Zero(t, published, "events published after the ctx was done")
			} else {
				assert.Equal(t, 2, assigned)
				assert.Equal(t, 1, published, "events published after the ctx was done")
			}
		})
	}
}

// A deals listing that fails part way and cancels the review's ctx, as
// Input's doc says, fails the review with nothing assigned or published;
// one that just ends early is taken as all the deals.
func TestReviewListingFailureCancels(t *testing.T) {
	ds := lagging()
	errLost := errors.New("connection lost")
	listing := func(cancel context.CancelCauseFunc, lerr *error) iter.Seq[*pipeline.Deal] {
		return quota.Records(func(yield func(pipeline.Deal, error) bool) {
			for i, d := range ds {
				if i == len(ds)/2 {
					cancel(errLost)
					yield(pipeline.Deal{}, errLost)
					return
				}
				if !yield(d, nil) {
					return
				}
			}
		}, lerr)
	}

	w := newFaultWorld(t)
	before := w.assignments(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	var lerr error
	w.in.Deals = listing(cancel, &lerr)
	_, err := w.r.Review(ctx, w.in)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, context.Cause(ctx), errLost)
	assert.ErrorIs(t, lerr, errLost)
	assert.Equal(t, before, w.assignments(t), "assignments made on part of the deals")
	assert.Empty(t, w.events(), "events published on part of the deals")

	w = newFaultWorld(t)
	lerr = nil
	w.in.Deals = listing(func(error) {}, &lerr)
	_, err = w.r.Review(context.Background(), w.in)
	require.NoError(t, err, "without the cancel, the review sees the end of the deals")
	assert.ErrorIs(t, lerr, errLost)
	assert.NotEmpty(t, w.events(), "and acts on them")
}

// A review whose ctx is done by the time it has read its input returns
// ctx.Err(), though no rule runs to look at ctx, rather than a report of
// the part of the deals read before a failing listing cancelled it.
func TestReviewDoneWhileReading(t *testing.T) {
	rules, err := review.ParseRules([]byte(`{"version": 1, "rules": {}}`))
	require.NoError(t, err)
	r, err := review.New(rules, &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	ds := lagging()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = r.Review(ctx, review.Input{Period: november, Deals: func(yield func(*pipeline.Deal) bool) {
		for i := range ds {
			if i == len(ds)/2 {
				cancel() // the listing failed
				return
			}
			if !yield(&ds[i]) {
				return
			}
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
}
