package trainingtest_test

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

func TestMemStore(t *testing.T) {
	trainingtest.RunStoreTests(t, func(*testing.T) training.Store { return trainingtest.NewMemStore() })
}

func TestZeroMemStore(t *testing.T) {
	trainingtest.RunStoreTests(t, func(*testing.T) training.Store { return new(trainingtest.MemStore) })
}

// A nil context is invalid input, not a panic, and changes nothing.
func TestMemStoreNilContext(t *testing.T) {
	var nilCtx context.Context
	s := trainingtest.NewMemStore()
	errs := map[string]error{
		"add_brief":       s.AddBrief(nilCtx, training.Brief{}),
		"put_certificate": s.PutCertificate(nilCtx, training.Certificate{}),
		"add_attempt":     s.AddAttempt(nilCtx, training.Attempt{}),
		"add_assignment":  s.AddAssignment(nilCtx, training.Assignment{}),
		"create_pilot":    s.CreatePilot(nilCtx, training.Pilot{}),
		"update_pilot":    s.UpdatePilot(nilCtx, training.Pilot{}, 0),
		"add_sale":        s.AddSale(nilCtx, training.Sale{}),
		"add_feedback":    s.AddFeedback(nilCtx, sp.Feedback{}),
	}
	_, errs["brief"] = s.GetBrief(nilCtx, "p", training.Version{})
	_, errs["brief_at"] = s.BriefAt(nilCtx, "p", time.Time{})
	_, errs["pilot"] = s.GetPilot(nilCtx, "p")
	for _, err := range s.ListBriefs(nilCtx, "p") {
		errs["briefs"] = err
	}
	for _, err := range s.ListCertificates(nilCtx, training.CertificateFilter{}) {
		errs["certificates"] = err
	}
	for _, err := range s.ListAttempts(nilCtx, "r", "m") {
		errs["attempts"] = err
	}
	for _, err := range s.ListAssignments(nilCtx, "r") {
		errs["assignments"] = err
	}
	for _, err := range s.ListPilots(nilCtx, "p") {
		errs["pilots"] = err
	}
	for _, err := range s.ListSales(nilCtx, "p") {
		errs["sales"] = err
	}
	for _, err := range s.ListFeedback(nilCtx, "p") {
		errs["feedback"] = err
	}
	for name, err := range errs {
		assert.ErrorIs(t, err, sp.ErrInvalid, name)
	}
	assert.Len(t, errs, 18)
}

// A nil *MemStore is an error wrapping ErrInvalid from every method (a
// listing yields it), as a nil pipelinetest.MemStore is, not a panic.
func TestNilMemStore(t *testing.T) {
	ctx := context.Background()
	var s *trainingtest.MemStore
	assert.NotPanics(t, func() {
		errs := []error{
			s.AddBrief(ctx, training.Brief{}),
			s.PutCertificate(ctx, training.Certificate{}),
			s.AddAttempt(ctx, training.Attempt{}),
			s.AddAssignment(ctx, training.Assignment{}),
			s.CreatePilot(ctx, training.Pilot{}),
			s.UpdatePilot(ctx, training.Pilot{}, 0),
			s.AddSale(ctx, training.Sale{}),
			s.AddFeedback(ctx, sp.Feedback{}),
		}
		_, err := s.GetBrief(ctx, "p", training.Version{Major: 1})
		errs = append(errs, err)
		_, err = s.BriefAt(ctx, "p", time.Time{})
		errs = append(errs, err)
		_, err = s.GetPilot(ctx, "x")
		errs = append(errs, err)
		collect := func(seq func(func(error) bool)) {
			n := 0
			for err := range seq {
				errs = append(errs, err)
				n++
			}
			assert.Equal(t, 1, n, "a listing of a nil store yields one error and stops")
		}
		collect(errsOf(s.ListBriefs(ctx, "p")))
		collect(errsOf(s.ListCertificates(ctx, training.CertificateFilter{})))
		collect(errsOf(s.ListAttempts(ctx, "r", "m")))
		collect(errsOf(s.ListAssignments(ctx, "r")))
		collect(errsOf(s.ListPilots(ctx, "p")))
		collect(errsOf(s.ListSales(ctx, "x")))
		collect(errsOf(s.ListFeedback(ctx, "p")))
		for i, err := range errs {
			assert.ErrorIs(t, err, sp.ErrInvalid, "call %d", i)
		}
	})
}

// errsOf returns the errors of seq.
func errsOf[T any](seq func(func(T, error) bool)) func(func(error) bool) {
	return func(yield func(error) bool) {
		for _, err := range seq {
			if !yield(err) {
				return
			}
		}
	}
}

// The listings yield what filtering every record stored gives, in the
// documented order, on random records: certificates replaced, and records
// of many reps, modules, pilots and products.
func TestMemStoreListings(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(29, 31))
	t0 := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	s := trainingtest.NewMemStore()
	reps := []sp.RepID{"ann", "bob", "cy"}
	products := []sp.ProductID{"p1", "p2", "p3"}
	certs := map[[3]string]training.Certificate{}
	var attempts []training.Attempt
	var assignments []training.Assignment
	var sales []training.Sale
	var feedback []sp.Feedback
	for i := range 300 {
		rep, product := reps[rng.IntN(len(reps))], products[rng.IntN(len(products))]
		at := t0.Add(time.Duration(rng.IntN(5)) * time.Hour) // ties broken by ID
		switch rng.IntN(5) {
		case 0:
			c := training.Certificate{Rep: rep, Product: product, Channel: []sp.ChannelID{"", "phone"}[rng.IntN(2)],
				BriefVersion: training.MustParseVersion("1.0"), Curriculum: "c", Issued: at, Expires: at.AddDate(0, rng.IntN(3)+1, 0)}
			require.NoError(t, s.PutCertificate(ctx, c))
			certs[[3]string{string(c.Rep), string(c.Product), string(c.Channel)}] = c
		case 1:
			a := training.Attempt{ID: training.AttemptID(fmt.Sprintf("a%03d", rng.IntN(1000))), Rep: rep, Module: training.ModuleID(product), Time: at, Score: 1}
			if s.AddAttempt(ctx, a) == nil {
				attempts = append(attempts, a)
			}
		case 2:
			a := training.Assignment{ID: training.AssignmentID(fmt.Sprintf("s%03d", i)), Rep: rep, Module: "m", Assigned: t0, Due: at.Add(time.Hour)}
			require.NoError(t, s.AddAssignment(ctx, a))
			assignments = append(assignments, a)
		case 3:
			x := training.Sale{ID: training.SaleID(fmt.Sprintf("x%03d", i)), Pilot: training.PilotID(product), Locality: "here", Units: 1, Time: at}
			require.NoError(t, s.AddSale(ctx, x))
			sales = append(sales, x)
		default:
			f := sp.Feedback{ID: sp.FeedbackID(fmt.Sprintf("f%03d", i)), Product: product, Rating: 3, Category: sp.FeedbackOther, Time: at}
			require.NoError(t, s.AddFeedback(ctx, f))
			feedback = append(feedback, f)
		}
	}
	window := sp.Month(2026, time.February, time.UTC)
	for _, f := range []training.CertificateFilter{{}, {Rep: "ann"}, {Rep: "ann", Product: "p2"}, {Product: "p3"}, {Rep: "bob", Expiring: window}, {Rep: "nobody"}} {
		var want []training.Certificate
		for _, c := range certs {
			if f.Match(c) {
				want = append(want, c)
			}
		}
		slices.SortFunc(want, training.CompareCertificates)
		got, err := collect(s.ListCertificates(ctx, f))
		require.NoError(t, err)
		assert.Equal(t, want, got, "certificates %+v", f)
	}
	byTime := func(ta, tb time.Time, ia, ib string) int { return cmp.Or(ta.Compare(tb), cmp.Compare(ia, ib)) }
	for _, rep := range append(reps, "nobody") {
		for _, product := range products {
			var want []training.Attempt
			for _, a := range attempts {
				if a.Rep == rep && a.Module == training.ModuleID(product) {
					want = append(want, a)
				}
			}
			slices.SortFunc(want, func(a, b training.Attempt) int { return byTime(a.Time, b.Time, string(a.ID), string(b.ID)) })
			got, err := collect(s.ListAttempts(ctx, rep, training.ModuleID(product)))
			require.NoError(t, err)
			assert.Equal(t, want, got, "attempts of %s at %s", rep, product)
		}
	}
	for _, rep := range append(reps, "", "nobody") {
		var want []training.Assignment
		for _, a := range assignments {
			if rep == "" || a.Rep == rep {
				want = append(want, a)
			}
		}
		slices.SortFunc(want, func(a, b training.Assignment) int { return byTime(a.Due, b.Due, string(a.ID), string(b.ID)) })
		got, err := collect(s.ListAssignments(ctx, rep))
		require.NoError(t, err)
		assert.Equal(t, want, got, "assignments of %q", rep)
	}
	for _, product := range append(products, "nothing") {
		var wantSales []training.Sale
		for _, x := range sales {
			if x.Pilot == training.PilotID(product) {
				wantSales = append(wantSales, x)
			}
		}
		slices.SortFunc(wantSales, func(a, b training.Sale) int { return byTime(a.Time, b.Time, string(a.ID), string(b.ID)) })
		gotSales, err := collect(s.ListSales(ctx, training.PilotID(product)))
		require.NoError(t, err)
		assert.Equal(t, wantSales, gotSales, "sales of %s", product)
		var wantFeedback []sp.Feedback
		for _, f := range feedback {
			if f.Product == product {
				wantFeedback = append(wantFeedback, f)
			}
		}
		slices.SortFunc(wantFeedback, func(a, b sp.Feedback) int { return byTime(a.Time, b.Time, string(a.ID), string(b.ID)) })
		gotFeedback, err := collect(s.ListFeedback(ctx, product))
		require.NoError(t, err)
		assert.Equal(t, wantFeedback, gotFeedback, "feedback about %s", product)
	}
}

func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// A listing takes its snapshot when iteration starts, as MemStore's doc
// says: iterated again, it sees what was stored in between.
func TestMemStoreListingIteratedAgain(t *testing.T) {
	ctx := context.Background()
	s := trainingtest.NewMemStore()
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	a := training.Assignment{ID: "as-1", Rep: "rep-ann", Module: "m-1", Assigned: day, Due: day.Add(time.Hour)}
	require.NoError(t, s.AddAssignment(ctx, a))
	seq := s.ListAssignments(ctx, "rep-ann")
	count := func() int {
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			n++
		}
		return n
	}
	assert.Equal(t, 1, count())
	a.ID = "as-2"
	require.NoError(t, s.AddAssignment(ctx, a))
	assert.Equal(t, 2, count())
}
