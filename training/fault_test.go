package training_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

var errFault = errors.New("injected fault")

// How faultStore fails its k-th call.
const (
	failBefore = iota // the call fails and changes nothing
	failCancel        // the caller's ctx is cancelled as the call is made
	failAfter         // a write lands, then the call reports a failure
)

// faultStore is a MemStore whose k-th call (counting every method, a
// listing when its iteration starts) fails as mode says.
type faultStore struct {
	*trainingtest.MemStore
	k, n   int
	mode   int
	cancel context.CancelFunc
	hit    string // the method that failed
}

// fail counts a call of method and reports whether it is the one to fail;
// in failCancel mode it cancels the context instead and reports false.
func (f *faultStore) fail(method string, write bool) bool {
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
			f.k++ // only writes fail after landing: try the next call
			return false
		}
	}
	f.hit = method
	return true
}

func (f *faultStore) write(method string, do func() error) error {
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

func faultRead[T any](f *faultStore, method string, do func() (T, error)) (T, error) {
	if f.fail(method, false) {
		var zero T
		return zero, fmt.Errorf("%s: %w", method, errFault)
	}
	return do()
}

func faultList[T any](f *faultStore, method string, seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if f.fail(method, false) {
			var zero T
			yield(zero, fmt.Errorf("%s: %w", method, errFault))
			return
		}
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

func (f *faultStore) AddBrief(ctx context.Context, b training.Brief) error {
	return f.write("AddBrief", func() error { return f.MemStore.AddBrief(ctx, b) })
}

func (f *faultStore) GetBrief(ctx context.Context, p salesprocess.ProductID, v training.Version) (training.Brief, error) {
	return faultRead(f, "GetBrief", func() (training.Brief, error) { return f.MemStore.GetBrief(ctx, p, v) })
}

func (f *faultStore) BriefAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Brief, error) {
	return faultRead(f, "BriefAt", func() (training.Brief, error) { return f.MemStore.BriefAt(ctx, p, at) })
}

func (f *faultStore) BriefVersionAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Version, error) {
	return faultRead(f, "BriefVersionAt", func() (training.Version, error) { return f.MemStore.BriefVersionAt(ctx, p, at) })
}

func (f *faultStore) ListBriefs(ctx context.Context, p salesprocess.ProductID) iter.Seq2[training.Brief, error] {
	return faultList(f, "ListBriefs", f.MemStore.ListBriefs(ctx, p))
}

func (f *faultStore) PutCertificate(ctx context.Context, c training.Certificate) error {
	return f.write("PutCertificate", func() error { return f.MemStore.PutCertificate(ctx, c) })
}

func (f *faultStore) ListCertificates(ctx context.Context, flt training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	return faultList(f, "ListCertificates", f.MemStore.ListCertificates(ctx, flt))
}

func (f *faultStore) AddAttempt(ctx context.Context, a training.Attempt) error {
	return f.write("AddAttempt", func() error { return f.MemStore.AddAttempt(ctx, a) })
}

func (f *faultStore) ListAttempts(ctx context.Context, r salesprocess.RepID, m training.ModuleID) iter.Seq2[training.Attempt, error] {
	return faultList(f, "ListAttempts", f.MemStore.ListAttempts(ctx, r, m))
}

func (f *faultStore) AddAssignment(ctx context.Context, a training.Assignment) error {
	return f.write("AddAssignment", func() error { return f.MemStore.AddAssignment(ctx, a) })
}

func (f *faultStore) ListAssignments(ctx context.Context, r salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	return faultList(f, "ListAssignments", f.MemStore.ListAssignments(ctx, r))
}

func (f *faultStore) CreatePilot(ctx context.Context, p training.Pilot) error {
	return f.write("CreatePilot", func() error { return f.MemStore.CreatePilot(ctx, p) })
}

func (f *faultStore) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	return faultRead(f, "GetPilot", func() (training.Pilot, error) { return f.MemStore.GetPilot(ctx, id) })
}

func (f *faultStore) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	return f.write("UpdatePilot", func() error { return f.MemStore.UpdatePilot(ctx, p, expectedRev) })
}

func (f *faultStore) ListPilots(ctx context.Context, p salesprocess.ProductID) iter.Seq2[training.Pilot, error] {
	return faultList(f, "ListPilots", f.MemStore.ListPilots(ctx, p))
}

func (f *faultStore) AddSale(ctx context.Context, s training.Sale) error {
	return f.write("AddSale", func() error { return f.MemStore.AddSale(ctx, s) })
}

func (f *faultStore) AddSaleWithin(ctx context.Context, s training.Sale, limit int64) (int64, bool, error) {
	var sold int64
	var added bool
	err := f.write("AddSaleWithin", func() error {
		var err error
		sold, added, err = f.MemStore.AddSaleWithin(ctx, s, limit)
		return err
	})
	if err != nil {
		return 0, false, err
	}
	return sold, added, nil
}

func (f *faultStore) ListSales(ctx context.Context, id training.PilotID) iter.Seq2[training.Sale, error] {
	return faultList(f, "ListSales", f.MemStore.ListSales(ctx, id))
}

func (f *faultStore) AddFeedback(ctx context.Context, fb salesprocess.Feedback) error {
	return f.write("AddFeedback", func() error { return f.MemStore.AddFeedback(ctx, fb) })
}

func (f *faultStore) ListFeedback(ctx context.Context, p salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return faultList(f, "ListFeedback", f.MemStore.ListFeedback(ctx, p))
}

// dumpStore returns every record of s the fault tests can make, as JSON.
func dumpStore(t *testing.T, s *trainingtest.MemStore) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	add := func(name string, v any, err error) {
		require.NoError(t, err, name)
		data, err := json.Marshal(v)
		require.NoError(t, err, name)
		fmt.Fprintf(&b, "%s: %s\n", name, data)
	}
	briefs, err := collectSeq(s.ListBriefs(ctx, "p1"))
	add("briefs", briefs, err)
	certs, err := collectSeq(s.ListCertificates(ctx, training.CertificateFilter{}))
	add("certificates", certs, err)
	for _, rep := range []salesprocess.RepID{"r1", "r2"} {
		for _, m := range testModules() {
			as, err := collectSeq(s.ListAttempts(ctx, rep, m.ID))
			add(fmt.Sprintf("attempts %s %s", rep, m.ID), as, err)
		}
	}
	asg, err := collectSeq(s.ListAssignments(ctx, ""))
	add("assignments", asg, err)
	pilots, err := collectSeq(s.ListPilots(ctx, ""))
	add("pilots", pilots, err)
	for _, p := range pilots {
		ss, err := collectSeq(s.ListSales(ctx, p.ID))
		add("sales "+string(p.ID), ss, err)
	}
	fb, err := collectSeq(s.ListFeedback(ctx, "p1"))
	add("feedback", fb, err)
	return b.String()
}

func collectSeq[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// faultBase fills a store with what the operations of the fault tests
// work on: briefs 1.0 and 1.1 of p1, r1's passes of p1-basics and phone,
// a certificate of r1 for p1 on every channel and r1's passes of both
// modules again since, a certificate of r3 for p1 on every channel without
// a pass since, an assignment, pilot f1 with a sale, feedback and an open
// issue, all before the time of the trainer under test.
func faultBase(t *testing.T, s training.Store, cat *training.Catalog) {
	t.Helper()
	ctx := context.Background()
	clock := salesprocess.NewSteppingClock(t0.Add(10*time.Minute), 0)
	tr := training.NewTrainer(s, cat, &training.Options{Clock: clock})
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	b11 := testBrief("1.1")
	b11.Published = t0.Add(time.Minute)
	require.NoError(t, tr.PublishBrief(ctx, b11))
	for _, a := range []training.Attempt{
		{ID: "a1", Rep: "r1", Module: "p1-basics", Score: 9, Time: t0.Add(2 * time.Minute)},
		{ID: "a2", Rep: "r1", Module: "phone", Score: 80, Time: t0.Add(3 * time.Minute)},
		{ID: "a3", Rep: "r2", Module: "p1-basics", Score: 2, Time: t0.Add(4 * time.Minute)},
		{ID: "c1", Rep: "r3", Module: "p1-basics", Score: 9, Time: t0.Add(5 * time.Minute)},
	} {
		_, err := tr.RecordAttempt(ctx, a)
		require.NoError(t, err)
	}
	for _, rep := range []salesprocess.RepID{"r1", "r3"} {
		_, err := tr.Certify(ctx, rep, "p1-all")
		require.NoError(t, err)
	}
	// The passes since are recorded once made.
	clock.Set(t0.Add(20 * time.Minute))
	for _, a := range []training.Attempt{ // passes since r1's certificate
		{ID: "a4", Rep: "r1", Module: "p1-basics", Score: 8, Time: t0.Add(20 * time.Minute)},
		{ID: "a5", Rep: "r1", Module: "phone", Score: 90, Time: t0.Add(20 * time.Minute)},
	} {
		_, err := tr.RecordAttempt(ctx, a)
		require.NoError(t, err)
	}
	_, err := tr.AssignModule(ctx, training.Assignment{ID: "x1", Rep: "r2", Module: "phone", Due: t0.Add(day), Assigned: t0})
	require.NoError(t, err)
	_, err = tr.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	require.NoError(t, tr.RecordSale(ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 10, Time: t0}))
	require.NoError(t, tr.RecordFeedback(ctx, ratings("Springfield:4")[0]))
	_, err = tr.OpenIssue(ctx, "f1", training.Issue{ID: "I1", Title: "lid", Severity: training.SeverityWarning, Opened: t0})
	require.NoError(t, err)
}

type faultOp struct {
	name  string
	write bool // the operation writes (a successful call changes the store)
	run   func(ctx context.Context, tr *training.Trainer) error
}

func faultOps() []faultOp {
	goal, _ := salesprocess.ParseMoney("1000.00 EUR")
	b12 := testBrief("1.2")
	b12.Published = t0.Add(time.Hour)
	b12.Pros = []string{"sturdy"}
	return []faultOp{
		{"PublishBrief", true, func(ctx context.Context, tr *training.Trainer) error { return tr.PublishBrief(ctx, b12) }},
		{"RecordAttempt_limited", true, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.RecordAttempt(ctx, training.Attempt{ID: "a9", Rep: "r2", Module: "p1-basics", Score: 9})
			return err
		}},
		{"RecordAttempt_unlimited", true, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.RecordAttempt(ctx, training.Attempt{ID: "a9", Rep: "r2", Module: "phone", Score: 90})
			return err
		}},
		{"Certify", true, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Certify(ctx, "r1", "p1-phone")
			return err
		}},
		{"Recertify", true, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Certify(ctx, "r1", "p1-all")
			return err
		}},
		{"Recertify_without_new_passes", false, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Certify(ctx, "r3", "p1-all") // returns the stored certificate
			return err
		}},
		{"AssignModule", true, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.AssignModule(ctx, training.Assignment{ID: "x2", Rep: "r2", Module: "p1-basics", Due: t0.Add(2 * day), Reason: "retrain"})
			return err
		}},
		{"Onboard", false, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Onboard(ctx, training.Onboarding{Rep: "r1", Region: "north", Start: t0.Add(time.Hour), MonthlyGoal: goal})
			return err
		}},
		{"StartPilot", true, func(ctx context.Context, tr *training.Trainer) error {
			p := testPilot(training.Criteria{})
			p.ID = "f2"
			_, err := tr.StartPilot(ctx, p)
			return err
		}},
		{"RecordSale", true, func(ctx context.Context, tr *training.Trainer) error {
			return tr.RecordSale(ctx, training.Sale{ID: "s2", Pilot: "f1", Locality: "Shelbyville", Units: 5, Time: t0.Add(25 * time.Minute)})
		}},
		{"RecordFeedback", true, func(ctx context.Context, tr *training.Trainer) error {
			f := ratings("x:1", "Shelbyville:5")[1]
			f.Time = t0 // given before the clock's time
			return tr.RecordFeedback(ctx, f)
		}},
		{"RecordPilotFeedback", true, func(ctx context.Context, tr *training.Trainer) error {
			f := ratings("x:1", "Shelbyville:5")[1]
			f.Time = t0 // given before the clock's time
			f.Source = ""
			return tr.RecordPilotFeedback(ctx, "f1", f)
		}},
		{"OpenIssue", true, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.OpenIssue(ctx, "f1", training.Issue{ID: "I2", Title: "label", Severity: training.SeverityInfo})
			return err
		}},
		{"Improve", true, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Improve(ctx, "f1", training.Improvement{Version: v("1.1"), Summary: "new lid", Resolves: []training.IssueID{"I1"}})
			return err
		}},
		{"Decide", false, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Decide(ctx, "f1", march.End())
			return err
		}},
		{"Progress", false, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Progress(ctx, "r1", "p1-phone", t0.Add(time.Hour))
			return err
		}},
		{"Assignments", false, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Assignments(ctx, "", t0.Add(time.Hour))
			return err
		}},
	}
}

// TestTrainerFaults fails each store call of each operation of a Trainer
// in turn (failing it, cancelling the caller's ctx as it is made, or
// failing it after its write landed) and checks that the operation
// reports the failure, leaves the store as before (or, when the write
// landed, as one successful call does), and that a retry then leaves
// what one successful call leaves.
func TestTrainerFaults(t *testing.T) {
	now := t0.Add(30 * time.Minute)
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	newTrainer := func(t *testing.T) (*trainingtest.MemStore, *faultStore, *training.Trainer) {
		mem := trainingtest.NewMemStore()
		fs := &faultStore{MemStore: mem}
		tr := training.NewTrainer(fs, cat, &training.Options{Clock: salesprocess.FixedClock(now)})
		faultBase(t, mem, cat)
		return mem, fs, tr
	}
	for _, op := range faultOps() {
		t.Run(op.name, func(t *testing.T) {
			mem, _, tr := newTrainer(t)
			before := dumpStore(t, mem)
			require.NoError(t, op.run(context.Background(), tr), "the operation succeeds without faults")
			want := dumpStore(t, mem)
			if op.write {
				require.NotEqual(t, before, want, "the operation changes the store")
			}
			for _, mode := range []int{failBefore, failCancel, failAfter} {
				faults := 0
				for k := 1; ; k++ {
					mem, fs, tr := newTrainer(t)
					ctx, cancel := context.WithCancel(context.Background())
					fs.k, fs.n, fs.mode, fs.cancel = k, 0, mode, cancel
					err := op.run(ctx, tr)
					cancel()
					if fs.hit == "" {
						require.NoError(t, err, "mode %d: no fault at call %d", mode, k)
						break
					}
					faults++
					at := fmt.Sprintf("mode %d, call %d (%s)", mode, k, fs.hit)
					require.Error(t, err, at)
					assert.True(t, strings.HasPrefix(err.Error(), "training: "), "%s: %v", at, err)
					if mode == failCancel {
						assert.ErrorIs(t, err, context.Canceled, at)
					} else {
						assert.ErrorIs(t, err, errFault, at)
					}
					if mode == failAfter {
						assert.Equal(t, want, dumpStore(t, mem), "%s: the write that landed is the one of a successful call", at)
					} else {
						assert.Equal(t, before, dumpStore(t, mem), "%s: a failed call changed the store", at)
					}
					fs.k = 0
					err = op.run(context.Background(), tr)
					if mode == failAfter {
						if err != nil {
							assert.ErrorIs(t, err, salesprocess.ErrDuplicate, "%s: a retry of a call whose write landed", at)
						}
					} else {
						assert.NoError(t, err, "%s: retry", at)
					}
					assert.Equal(t, want, dumpStore(t, mem), "%s: after the retry", at)
				}
				if mode != failAfter || op.write {
					assert.Positive(t, faults, "mode %d: no call failed", mode)
				}
			}
		})
	}
}
