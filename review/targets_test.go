package review_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/review"
)

// target_missed is critical when less than critical_below_percent of the
// target is attained, exactly: 14000 of 20001 is 69.9965 %, below 70,
// though the report rounds it to 70.00 %.
func TestTargetMissedCriticalEdge(t *testing.T) {
	for _, c := range []struct {
		name, target string
		want         review.Severity
	}{
		{"just_below", "20001.00", review.SeverityCritical},
		{"exactly_at", "20000.00", review.SeverityWarning},
		{"just_above", "19999.00", review.SeverityWarning},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.rep("ann", north)
			w.sell("ann", north, widget, 14, 3, pipeline.LossPrice)
			w.goal("ann", north, c.target)
			rep := w.review(review.DefaultRules(), nil)
			f := findings(rep, review.RepSubject("ann"))
			require.Contains(t, f, review.RuleTargetMissed)
			assert.Equal(t, c.want, f[review.RuleTargetMissed].Severity, f[review.RuleTargetMissed].Summary)
		})
	}
}
