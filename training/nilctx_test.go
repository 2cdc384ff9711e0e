package training_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// TestNilContextNamesOperation: every method given a nil context refuses
// it with an error that names the operation as the method's other errors
// do, wrapping [salesprocess.ErrInvalid] with the field "ctx".
func TestNilContextNamesOperation(t *testing.T) {
	tr := training.NewTrainer(nil, nil, nil)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var nilCtx context.Context
	first := func(seq func(yield func(error) bool)) error {
		var got error
		seq(func(err error) bool { got = err; return false })
		return got
	}
	for _, tc := range []struct {
		op  string
		run func() error
	}{
		{"publish brief", func() error { return tr.PublishBrief(nilCtx, training.Brief{}) }},
		{"record attempt", func() error { _, err := tr.RecordAttempt(nilCtx, training.Attempt{}); return err }},
		{"progress", func() error { _, err := tr.Progress(nilCtx, "ann", "c", at); return err }},
		{"certify", func() error { _, err := tr.Certify(nilCtx, "ann", "c"); return err }},
		{"assign module", func() error { _, err := tr.AssignModule(nilCtx, training.Assignment{}); return err }},
		{"assignments", func() error { _, err := tr.Assignments(nilCtx, "ann", at); return err }},
		{"onboard", func() error { _, err := tr.Onboard(nilCtx, training.Onboarding{}); return err }},
		{"start pilot", func() error { _, err := tr.StartPilot(nilCtx, training.Pilot{}); return err }},
		{"record sale", func() error { return tr.RecordSale(nilCtx, training.Sale{}) }},
		{"record feedback", func() error { return tr.RecordFeedback(nilCtx, salesprocess.Feedback{}) }},
		{"record pilot feedback", func() error { return tr.RecordPilotFeedback(nilCtx, "f1", salesprocess.Feedback{}) }},
		{"field feedback", func() error {
			return first(func(yield func(error) bool) {
				for _, err := range tr.FieldFeedback(nilCtx, "p1") {
					if !yield(err) {
						return
					}
				}
			})
		}},
		{"open issue", func() error {
			_, err := tr.OpenIssue(nilCtx, "f1", training.Issue{ID: "I2", Title: "t", Severity: training.SeverityInfo})
			return err
		}},
		{"improve", func() error {
			_, err := tr.Improve(nilCtx, "f1", training.Improvement{Version: v("1.1"), Summary: "s"})
			return err
		}},
		{"decide", func() error { _, err := tr.Decide(nilCtx, "f1", at); return err }},
		{"check readiness", func() error { return tr.Readiness().Eligible(nilCtx, "ann", "p1", "phone", at) }},
		{"check readiness", func() error { _, err := tr.Readiness().Check(nilCtx, "ann", "p1", "phone", at); return err }},
		{"certificate status", func() error { _, err := tr.Readiness().Status(nilCtx, "ann", "p1", at); return err }},
		{"certificate", func() error { _, err := tr.Readiness().Certificate(nilCtx, "ann", "p1", at); return err }},
		{"expiring certificates", func() error {
			return first(func(yield func(error) bool) {
				for _, err := range tr.Readiness().Expiring(nilCtx, salesprocess.Year(2027, nil)) {
					if !yield(err) {
						return
					}
				}
			})
		}},
	} {
		err := tc.run()
		want := "training: " + tc.op + ": invalid ctx: nil context"
		if err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %q", tc.op, err, want)
			continue
		}
		var ve *salesprocess.ValidationError
		if !errors.Is(err, salesprocess.ErrInvalid) || !errors.As(err, &ve) || ve.Field != "ctx" {
			t.Errorf("%s: %v does not wrap a ValidationError of the field ctx", tc.op, err)
		}
	}
}
