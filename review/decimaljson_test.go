package review_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
)

// TestJSONRefusesDecimalsWrittenOutBeyondTheBound checks that every JSON
// type of the package with a decimal refuses, naming it, a decimal that it
// would write out in more than sp.MaxDigitRun digits in a row ("1e-9999",
// 1e9999, written out with 10,000 digits), left unchanged, so that what
// decodes reads back; a rules document takes decimals in plain notation
// only, and so refuses them too.
func TestJSONRefusesDecimalsWrittenOutBeyondTheBound(t *testing.T) {
	for _, tt := range []struct {
		doc, field string
		check      func(t *testing.T, kept, doc, field string)
	}{
		{`{"confidence":%s}`, "snapshot.confidence", checkDecimalRefused[review.Snapshot]},
		{`{"goals":[{"percent":"1"},{"percent":%s}]}`, "snapshot.goals[1].percent", checkDecimalRefused[review.Snapshot]},
		{`{"percent":%s}`, "goal_row.percent", checkDecimalRefused[review.GoalRow]},
		{`{"coverage":%s}`, "goal_row.coverage", checkDecimalRefused[review.GoalRow]},
		{`{"chance":%s}`, "goal_row.chance", checkDecimalRefused[review.GoalRow]},
		{`{"chance_bound":%s}`, "goal_row.chance_bound", checkDecimalRefused[review.GoalRow]},
		{`{"booked":{"deals":%s}}`, "goal_row.booked.deals", checkDecimalRefused[review.GoalRow]},
		{`{"confidence":%s}`, "analysis.confidence", checkDecimalRefused[review.Analysis]},
		{`{"product":{"min_loss_share":%s}}`, "analysis.product.min_loss_share", checkDecimalRefused[review.Analysis]},
		{`{"market":{"min_rep_share":%s}}`, "analysis.market.min_rep_share", checkDecimalRefused[review.Analysis]},
		{`{"follow_up":{"max_overdue_share":%s}}`, "analysis.follow_up.max_overdue_share", checkDecimalRefused[review.Analysis]},
		{`{"min_percent":%s}`, "target_met.min_percent", checkDecimalRefused[review.TargetMet]},
		{`{"critical_below_percent":%s}`, "target_missed.critical_below_percent", checkDecimalRefused[review.TargetMissed]},
		{`{"critical_overdue_share":%s}`, "slow_follow_up.critical_overdue_share", checkDecimalRefused[review.SlowFollowUp]},
		{`{"critical_loss_share":%s}`, "product_losses.critical_loss_share", checkDecimalRefused[review.ProductLosses]},
		{`{"min_chance":%s}`, "thin_pipeline.min_chance", checkDecimalRefused[review.ThinPipeline]},
		{`{"min_low_share":%s}`, "feedback_pileup.min_low_share", checkDecimalRefused[review.FeedbackPileup]},
		{`{"thin_pipeline":{"min_coverage":%s}}`, "rule_set.thin_pipeline.min_coverage", checkDecimalRefused[review.RuleSet]},
	} {
		for _, num := range []string{`"1e-9999"`, `1e9999`} {
			doc := strings.Replace(tt.doc, "%s", num, 1)
			t.Run(doc, func(t *testing.T) { tt.check(t, strings.Replace(tt.doc, "%s", `"0.5"`, 1), doc, tt.field) })
		}
	}
	for _, num := range []string{`"1e-9999"`, `1e9999`, `"5e-1"`} {
		t.Run("rules_"+num, func(t *testing.T) {
			_, err := review.ParseRules([]byte(`{"version":1,"analysis":{"confidence":` + num + `}}`))
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "analysis.confidence", ve.Field, "%v", err)
		})
	}
}

// checkDecimalRefused decodes kept into a T, then doc, and checks that
// doc is refused with an error wrapping ErrInvalid that names field, the
// T left as kept made it.
func checkDecimalRefused[T any](t *testing.T, kept, doc, field string) {
	t.Helper()
	var v, want T
	require.NoError(t, json.Unmarshal([]byte(kept), &v))
	require.NoError(t, json.Unmarshal([]byte(kept), &want))
	err := json.Unmarshal([]byte(doc), &v)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field, "%v", err)
	assert.Contains(t, ve.Reason, "digits in a row")
	assert.Equal(t, want, v)
}
