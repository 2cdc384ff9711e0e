package salesprocess_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// TestTypesRefuseDecimalsWrittenOutBeyondTheBound checks that every JSON
// type of the module's packages with a decimal refuses, naming it, a
// decimal that it would write out in more than sp.MaxDigitRun digits in a
// row ("1e-9999", 1e9999, written out with 10,000 digits), left unchanged,
// so that what decodes reads back; that IDs and texts reading as such a
// number decode, and a decimal at the bound reads back; and that review's
// rules document, which takes decimals in plain notation only, refuses
// them too.
func TestTypesRefuseDecimalsWrittenOutBeyondTheBound(t *testing.T) {
	for _, tt := range []struct {
		doc, field string
		check      func(t *testing.T, kept, doc, field string)
	}{
		{`{"product":"p1","discount":%s}`, "line.discount", decimalRefused[pipeline.Line]},
		{`{"id":"d1","probability":%s}`, "deal.probability", decimalRefused[pipeline.Deal]},
		{`{"id":"d1","lines":[{"discount":"0.1"},{"discount":%s}]}`, "deal.lines[1].discount", decimalRefused[pipeline.Deal]},
		{`{"deal":"d1","probability":%s}`, "deal_event.probability", decimalRefused[pipeline.DealEvent]},
		{`{"key":"talk","order":1,"probability":%s,"kind":"open"}`, "stage_spec.probability", decimalRefused[pipeline.StageSpec]},
		{`{"name":"renewals","stages":[{"key":"a","order":1,"probability":"0.2"},{"key":"b","order":2,"probability":%s}]}`, "spec.stages[1].probability", decimalRefused[pipeline.Spec]},
		{`{"lines":[{"discount":%s}]}`, "terms.lines[0].discount", decimalRefused[pipeline.Terms]},
		{`{"owner":"ana","terms":{"lines":[{"discount":%s}]}}`, "conversion.terms.lines[0].discount", decimalRefused[pipeline.Conversion]},
		{`{"deals":%s}`, "amount.deals", decimalRefused[quota.Amount]},
		{`{"on_pace":%s}`, "thresholds.on_pace", decimalRefused[quota.Thresholds]},
		{`{"behind":%s}`, "thresholds.behind", decimalRefused[quota.Thresholds]},
		{`{"percent":%s}`, "attainment.percent", decimalRefused[quota.Attainment]},
		{`{"pace":%s}`, "attainment.pace", decimalRefused[quota.Attainment]},
		{`{"attained":{"deals":%s}}`, "attainment.attained.deals", decimalRefused[quota.Attainment]},
		{`{"probability":%s}`, "prospect.probability", decimalRefused[quota.Prospect]},
		{`{"coverage":%s}`, "outlook.coverage", decimalRefused[quota.Outlook]},
		{`{"rep":"r1","steps":["0.25","0.5",%s]}`, "ramp.steps[2]", decimalRefused[quota.Ramp]},
		{`{"lower":%s}`, "interval.lower", decimalRefused[quota.Interval]},
		{`{"upper":%s}`, "interval.upper", decimalRefused[quota.Interval]},
		{`{"difference":%s}`, "comparison.difference", decimalRefused[quota.Comparison]},
		{`{"interval":{"upper":%s}}`, "comparison.interval.upper", decimalRefused[quota.Comparison]},
		{`{"p_value":%s}`, "comparison.p_value", decimalRefused[quota.Comparison]},
		{`{"value":%s}`, "rate_estimate.value", decimalRefused[quota.RateEstimate]},
		{`{"shrunk":%s}`, "rate_estimate.shrunk", decimalRefused[quota.RateEstimate]},
		{`{"wilson":{"lower":%s}}`, "rate_estimate.wilson.lower", decimalRefused[quota.RateEstimate]},
		{`{"rep":"r1","percent":%s}`, "split.percent", decimalRefused[quota.Split]},
		{`{"rep":"r1","share":%s}`, "credit.share", decimalRefused[quota.Credit]},
		{`{"confidence":%s}`, "snapshot.confidence", decimalRefused[review.Snapshot]},
		{`{"goals":[{"percent":"1"},{"percent":%s}]}`, "snapshot.goals[1].percent", decimalRefused[review.Snapshot]},
		{`{"percent":%s}`, "goal_row.percent", decimalRefused[review.GoalRow]},
		{`{"coverage":%s}`, "goal_row.coverage", decimalRefused[review.GoalRow]},
		{`{"chance":%s}`, "goal_row.chance", decimalRefused[review.GoalRow]},
		{`{"chance_bound":%s}`, "goal_row.chance_bound", decimalRefused[review.GoalRow]},
		{`{"booked":{"deals":%s}}`, "goal_row.booked.deals", decimalRefused[review.GoalRow]},
		{`{"confidence":%s}`, "analysis.confidence", decimalRefused[review.Analysis]},
		{`{"product":{"min_loss_share":%s}}`, "analysis.product.min_loss_share", decimalRefused[review.Analysis]},
		{`{"market":{"min_rep_share":%s}}`, "analysis.market.min_rep_share", decimalRefused[review.Analysis]},
		{`{"follow_up":{"max_overdue_share":%s}}`, "analysis.follow_up.max_overdue_share", decimalRefused[review.Analysis]},
		{`{"min_percent":%s}`, "target_met.min_percent", decimalRefused[review.TargetMet]},
		{`{"critical_below_percent":%s}`, "target_missed.critical_below_percent", decimalRefused[review.TargetMissed]},
		{`{"critical_overdue_share":%s}`, "slow_follow_up.critical_overdue_share", decimalRefused[review.SlowFollowUp]},
		{`{"critical_loss_share":%s}`, "product_losses.critical_loss_share", decimalRefused[review.ProductLosses]},
		{`{"min_chance":%s}`, "thin_pipeline.min_chance", decimalRefused[review.ThinPipeline]},
		{`{"min_low_share":%s}`, "feedback_pileup.min_low_share", decimalRefused[review.FeedbackPileup]},
		{`{"thin_pipeline":{"min_coverage":%s}}`, "rule_set.thin_pipeline.min_coverage", decimalRefused[review.RuleSet]},
		{`{"kind":"adjust_goal","proposed":{"deals":%s}}`, "action.proposed.deals", decimalRefused[review.Action]},
		{`{"id":"f1","actions":[{"kind":"adjust_goal"},{"proposed":{"deals":%s}}]}`, "finding.actions[1].proposed.deals", decimalRefused[review.Finding]},
		{`{"new":[{"actions":[{"proposed":{"deals":%s}}]}]}`, "changes.new[0].actions[0].proposed.deals", decimalRefused[review.Changes]},
		{`{"recurring":[{"current":{"actions":[{"proposed":{"deals":%s}}]}}]}`, "changes.recurring[0].current.actions[0].proposed.deals", decimalRefused[review.Changes]},
		{`{"min_sell_through":%s}`, "criteria.min_sell_through", decimalRefused[training.Criteria]},
		{`{"min_average_rating":%s}`, "criteria.min_average_rating", decimalRefused[training.Criteria]},
		{`{"min_locality_rating":%s}`, "criteria.min_locality_rating", decimalRefused[training.Criteria]},
		{`{"id":"p1","criteria":{"min_sell_through":%s}}`, "pilot.criteria.min_sell_through", decimalRefused[training.Pilot]},
		{`{"rep":"r1","ramp":["0.25","0.5",%s]}`, "onboarding.ramp[2]", decimalRefused[training.Onboarding]},
	} {
		for _, num := range []string{`"1e-9999"`, `1e9999`} {
			doc := strings.Replace(tt.doc, "%s", num, 1)
			t.Run(doc, func(t *testing.T) { tt.check(t, strings.Replace(tt.doc, "%s", `"0.5"`, 1), doc, tt.field) })
		}
	}
	const uuid = "550e8400-e29b-41d4-a716-446655440000"
	t.Run("ok_deal", func(t *testing.T) {
		doc := `{"id":"` + uuid + `","customer":"1e9999","lines":[{"product":"1e-9999","discount":"1e-8190"}],"probability":"0.5",` +
			`"loss":{"category":"price","detail":"550e8400 1e9999"}}`
		var d pipeline.Deal
		require.NoError(t, json.Unmarshal([]byte(doc), &d))
		assert.Equal(t, sp.DealID(uuid), d.ID)
		assert.Equal(t, sp.CustomerID("1e9999"), d.Customer)
		readsBack[pipeline.Deal](t, d)
	})
	t.Run("ok_ramp", func(t *testing.T) {
		doc := `{"rep":"` + uuid + `","region":"1e9999","steps":["0.5","1e-8190"]}`
		var r quota.Ramp
		require.NoError(t, json.Unmarshal([]byte(doc), &r))
		assert.Equal(t, sp.RepID(uuid), r.Rep)
		assert.Equal(t, sp.RegionID("1e9999"), r.Region)
		readsBack[quota.Ramp](t, r)
	})
	t.Run("ok_onboarding", func(t *testing.T) {
		doc := `{"rep":"` + uuid + `","region":"1e9999","ramp":["0.5","1e-8190"]}`
		var o training.Onboarding
		require.NoError(t, json.Unmarshal([]byte(doc), &o))
		assert.Equal(t, sp.RepID(uuid), o.Rep)
		assert.Equal(t, sp.RegionID("1e9999"), o.Region)
		readsBack[training.Onboarding](t, o)
	})
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

// decimalRefused decodes kept into a T, then doc, and checks that doc is
// refused with an error wrapping ErrInvalid that names field, the T left
// as kept made it.
func decimalRefused[T any](t *testing.T, kept, doc, field string) {
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

// readsBack checks that v, encoded, decodes into a T that encodes to the
// same bytes: a decimal written out in up to MaxDigitRun digits in a row
// reads back.
func readsBack[T any](t *testing.T, v T) {
	t.Helper()
	once, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(once, &back))
	twice, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(once), string(twice))
}
