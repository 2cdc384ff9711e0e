package trainingtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

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
		"put_brief":       s.PutBrief(nilCtx, training.Brief{}),
		"put_certificate": s.PutCertificate(nilCtx, training.Certificate{}),
		"add_attempt":     s.AddAttempt(nilCtx, training.Attempt{}),
		"add_assignment":  s.AddAssignment(nilCtx, training.Assignment{}),
		"create_pilot":    s.CreatePilot(nilCtx, training.Pilot{}),
		"update_pilot":    s.UpdatePilot(nilCtx, training.Pilot{}),
		"add_sale":        s.AddSale(nilCtx, training.Sale{}),
		"add_feedback":    s.AddFeedback(nilCtx, sp.Feedback{}),
	}
	_, errs["brief"] = s.Brief(nilCtx, "p", training.Version{})
	_, errs["brief_at"] = s.BriefAt(nilCtx, "p", time.Time{})
	_, errs["pilot"] = s.Pilot(nilCtx, "p")
	for _, err := range s.Briefs(nilCtx, "p") {
		errs["briefs"] = err
	}
	for _, err := range s.Certificates(nilCtx, training.CertificateFilter{}) {
		errs["certificates"] = err
	}
	for _, err := range s.Attempts(nilCtx, "r", "m") {
		errs["attempts"] = err
	}
	for _, err := range s.Assignments(nilCtx, "r") {
		errs["assignments"] = err
	}
	for _, err := range s.Pilots(nilCtx, "p") {
		errs["pilots"] = err
	}
	for _, err := range s.Sales(nilCtx, "p") {
		errs["sales"] = err
	}
	for _, err := range s.Feedback(nilCtx, "p") {
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
			s.PutBrief(ctx, training.Brief{}),
			s.PutCertificate(ctx, training.Certificate{}),
			s.AddAttempt(ctx, training.Attempt{}),
			s.AddAssignment(ctx, training.Assignment{}),
			s.CreatePilot(ctx, training.Pilot{}),
			s.UpdatePilot(ctx, training.Pilot{}),
			s.AddSale(ctx, training.Sale{}),
			s.AddFeedback(ctx, sp.Feedback{}),
		}
		_, err := s.Brief(ctx, "p", training.Version{Major: 1})
		errs = append(errs, err)
		_, err = s.BriefAt(ctx, "p", time.Time{})
		errs = append(errs, err)
		_, err = s.Pilot(ctx, "x")
		errs = append(errs, err)
		collect := func(seq func(func(error) bool)) {
			n := 0
			for err := range seq {
				errs = append(errs, err)
				n++
			}
			assert.Equal(t, 1, n, "a listing of a nil store yields one error and stops")
		}
		collect(errsOf(s.Briefs(ctx, "p")))
		collect(errsOf(s.Certificates(ctx, training.CertificateFilter{})))
		collect(errsOf(s.Attempts(ctx, "r", "m")))
		collect(errsOf(s.Assignments(ctx, "r")))
		collect(errsOf(s.Pilots(ctx, "p")))
		collect(errsOf(s.Sales(ctx, "x")))
		collect(errsOf(s.Feedback(ctx, "p")))
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
