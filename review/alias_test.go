package review_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
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
