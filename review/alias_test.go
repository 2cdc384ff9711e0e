package review_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/review"
)

// New keeps copies of what it is given: a caller that then changes, in
// place, its rules document (a host rule's settings overwritten or
// deleted, a list's element) or the slice of host rules in its options
// (a rule replaced by another) changes neither the rules the Reviewer
// reports nor the host rules it runs, nor the settings they read.
func TestReviewerKeepsNoCallersSlice(t *testing.T) {
	// hostRule returns a rule named name that finds, about the company,
	// the settings it reads.
	hostRule := func(name string) review.Rule {
		return review.NewRule(name, func(_ context.Context, s *review.Snapshot) ([]review.Finding, error) {
			return []review.Finding{{Subject: review.CompanySubject(), Severity: review.SeverityInfo,
				Summary: name + " " + string(s.Settings(name))}}, nil
		})
	}
	rules := review.DefaultRules()
	rules.Custom = map[string]json.RawMessage{"mine": json.RawMessage(`{"limit":1}`)}
	opts := &review.Options{Clock: reviewClock(), Rules: []review.Rule{hostRule("mine")}}
	r, err := review.New(rules, opts)
	require.NoError(t, err)
	want := r.Rules()
	run := func() []string {
		rep, err := r.Review(context.Background(), review.Input{Period: november})
		require.NoError(t, err)
		var got []string
		for _, f := range rep.Findings {
			if f.Rule == "mine" || f.Rule == "theirs" {
				got = append(got, f.Summary)
			}
		}
		return got
	}
	before := run()
	require.Equal(t, []string{`mine {"limit":1}`}, before)

	copy(rules.Custom["mine"], `{"limit":9}`)
	delete(rules.Custom, "mine")
	rules.Analysis.Product.LossCategories[0] = pipeline.LossOther
	opts.Rules[0] = hostRule("theirs")

	assert.Equal(t, want, r.Rules(), "a change to the caller's rules document reached the Reviewer")
	assert.Equal(t, before, run(), "a change to the caller's document or rules reached the review")
}

// Review reads the input's goals when it is called. It checked the
// caller's goals first and gave them to the forecast only after the pass
// over the inquiries, so that a caller reusing its slice while the
// inquiries were read (here, the sequence of inquiries itself) had its
// goals checked and indexed as given but forecast as changed: goal rows
// of another rep and amount, against figures of the rep it had given.
func TestReviewReadsGoalsWhenCalled(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.goal("ann", north, "5000.00")
	w.sell("ann", north, widget, 2, 1, pipeline.LossPrice)
	r, err := review.New(review.DefaultRules(), w.options(nil))
	require.NoError(t, err)
	want, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)

	in := w.input()
	in.Goals = slices.Clone(in.Goals)
	inquiries := in.Inquiries
	in.Inquiries = func(yield func(*pipeline.Inquiry) bool) {
		for i := range in.Goals {
			in.Goals[i].Rep, in.Goals[i].Revenue = "bob", pipelinetest.MustEUR("1.00")
		}
		if inquiries != nil {
			inquiries(yield)
		}
	}
	got, err := r.Review(w.ctx, in)
	require.NoError(t, err)
	assert.Equal(t, want.Snapshot.Goals, got.Snapshot.Goals, "a change to the caller's goals during the review reached its goal rows")
	assert.Equal(t, sp.RepID("bob"), in.Goals[0].Rep, "the sequence did not overwrite the goals")
}
