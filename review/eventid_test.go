package review_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// longestEventInput is a review of a custom period bounded at nanoseconds
// in the zone of the longest name, of a goal of a rep, a region and a
// product of the longest IDs, which it misses, and of a host rule whose
// findings have the longest IDs a finding may have, two of them alike but
// for their last byte, and a short one: the IDs of their events would be
// longer than [review.MaxEventIDLength] but for the short one's.
func longestEventInput(t *testing.T) (review.Input, []review.Rule, string) {
	t.Helper()
	zone, err := time.LoadLocation("America/Argentina/ComodRivadavia")
	require.NoError(t, err)
	period, err := sp.NewPeriod(time.Date(2026, time.November, 3, 10, 0, 0, 123456789, zone),
		time.Date(2026, time.November, 27, 10, 0, 0, 987654321, zone))
	require.NoError(t, err)
	goal := quota.Goal{Rep: sp.RepID(longID("rep-")), Region: sp.RegionID(longID("region-")), Product: sp.ProductID(longID("product-")),
		Period: period, Revenue: pipelinetest.MustEUR("1000.00")}
	require.NoError(t, goal.Validate())
	long := longText("host:", 511)
	rule := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		var out []review.Finding
		for _, id := range []string{long + "a", long + "b", "short"} {
			out = append(out, review.Finding{ID: id, Subject: review.RepSubject(goal.Rep), Severity: review.SeverityInfo, Summary: "noted"})
		}
		return out, nil
	})
	prefix := "review/" + period.String() + "/" + period.End().UTC().Format(time.RFC3339Nano) + "/"
	return review.Input{Period: period, AsOf: period.End(), Goals: []quota.Goal{goal}}, []review.Rule{rule}, prefix
}

// An event's ID is at most MaxEventIDLength bytes: one that would be
// longer keeps its review's prefix and kind and is told apart by a digest
// of the whole, followed by as much of the finding's ID as fits. The IDs
// are valid, distinct, listed in the outcome, the same on a rerun, and an
// ID within the bound is as it was.
func TestEventIDsWithinTheirBound(t *testing.T) {
	in, rules, prefix := longestEventInput(t)
	run := func() ([]sp.Event, review.Report) {
		events := &pipelinetest.Recorder{}
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Publisher: events, Rules: rules})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), in)
		require.NoError(t, err)
		return events.Events(), rep
	}
	events, rep := run()
	var ids []string
	seen := map[string]bool{}
	digested := 0
	for _, e := range events {
		require.NoError(t, e.Validate(), e.ID)
		assert.LessOrEqual(t, len(e.ID), review.MaxEventIDLength, e.ID)
		assert.False(t, seen[e.ID], "event ID %s twice", e.ID)
		seen[e.ID] = true
		ids = append(ids, e.ID)
		if strings.HasPrefix(e.ID, prefix+"finding#") {
			digested++
			rest := strings.TrimPrefix(e.ID, prefix+"finding#")
			require.Greater(t, len(rest), 33, e.ID)
			assert.Equal(t, byte('/'), rest[32], e.ID)
			assert.Len(t, e.ID, review.MaxEventIDLength, "as much of the finding's ID as fits")
		}
	}
	assert.Equal(t, rep.Outcome.Events, ids)
	assert.Contains(t, ids, prefix+"finding/short")
	missed := 0
	for _, f := range rep.Findings {
		switch {
		case f.Rule == review.RuleTargetMissed:
			missed++
		case f.Rule == "host" && f.ID != "short":
			sum := sha256.Sum256([]byte(prefix + "finding/" + f.ID))
			head := prefix + "finding#" + hex.EncodeToString(sum[:16]) + "/"
			assert.Contains(t, ids, head+f.ID[:review.MaxEventIDLength-len(head)], "the form of a long ID")
		}
	}
	require.Equal(t, 1, missed, "the goal is missed")
	assert.Equal(t, 3, digested, "the host's two long findings and the missed goal's")

	again, _ := run()
	var idsAgain []string
	for _, e := range again {
		idsAgain = append(idsAgain, e.ID)
	}
	assert.Equal(t, ids, idsAgain, "the same IDs on a rerun")
}
