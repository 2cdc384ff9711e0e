package review_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A confidence just below 1, valid by the rules document but 1 as a
// float64 (alone, or once adjusted for the number of comparisons), still
// compares: a rep who won 0 of 200 against the team's 380 of 400 is
// below it, not "no data".
func TestConfidenceNearOne(t *testing.T) {
	var ds []pipeline.Deal
	add := func(rep sp.RepID, won, lost int) {
		for i := range won + lost {
			ds = append(ds, deal(sp.DealID(fmt.Sprintf("d-%s-%03d", rep, i)), rep, widget, i < won, "100.00 EUR"))
		}
	}
	add("ann", 190, 10)
	add("cat", 190, 10)
	add("bob", 0, 200)
	for _, conf := range []string{"0.99999999999999999", "0.99999999999999995", "0.9999999999999999"} {
		rules := review.DefaultRules()
		rules.Analysis.Confidence = mustDecimal(conf)
		r, err := review.New(rules, &review.Options{Clock: sp.FixedClock(november.End())})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), review.Input{Period: november, Deals: quota.Refs(ds)})
		require.NoError(t, err)
		bob, ok := rep.Snapshot.Rep("bob")
		require.True(t, ok)
		assert.Equal(t, quota.Below, bob.VsTeam.Verdict, "confidence %s", conf)
		assert.NotNil(t, bob.WinRate.Wilson, "confidence %s", conf)
	}
}
