package review_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultRulesRoundTrip(t *testing.T) {
	def := review.DefaultRules()
	require.NoError(t, def.Validate())
	data, err := json.Marshal(def)
	require.NoError(t, err)
	got, err := review.ParseRules(data)
	require.NoError(t, err)
	again, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))
	assert.Equal(t, string(data), string(again))

	// The shortest document is the defaults.
	min, err := review.ParseRules([]byte(`{"version": 1}`))
	require.NoError(t, err)
	minData, err := json.Marshal(min)
	require.NoError(t, err)
	assert.Equal(t, string(data), string(minData))
}

func TestParseRules(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		check func(t *testing.T, r review.Rules)
	}{
		{"ok_partial_analysis", `{"version": 1, "analysis": {"confidence": "0.9", "product": {"min_losses": 7}}}`,
			func(t *testing.T, r review.Rules) {
				assert.Equal(t, "0.9", r.Analysis.Confidence.String())
				assert.Equal(t, int64(7), r.Analysis.Product.MinLosses)
				assert.Equal(t, "0.5", r.Analysis.Product.MinLossShare.String())
				assert.Equal(t, int64(5), r.Analysis.MinDeals)
				assert.NotNil(t, r.Rules.TargetMet)
			}},
		{"ok_listed_rules_only", `{"version": 1, "rules": {"target_met": {}, "thin_pipeline": {"min_chance": "0.3"}}}`,
			func(t *testing.T, r review.Rules) {
				require.NotNil(t, r.Rules.TargetMet)
				assert.Equal(t, "100", r.Rules.TargetMet.MinPercent.String())
				require.NotNil(t, r.Rules.ThinPipeline)
				assert.Equal(t, "0.3", r.Rules.ThinPipeline.MinChance.String())
				assert.Equal(t, "1", r.Rules.ThinPipeline.MinCoverage.String())
				assert.Nil(t, r.Rules.TargetMissed)
				assert.Nil(t, r.Rules.Certification)
			}},
		{"ok_null_rule_is_default", `{"version": 1, "rules": {"certification": null}}`,
			func(t *testing.T, r review.Rules) {
				require.NotNil(t, r.Rules.Certification)
				assert.Equal(t, 30, r.Rules.Certification.ExpiringWithinDays)
			}},
		{"ok_null_leaf_is_default", `{"version": 1, "analysis": {"confidence": null, "rate": null, "min_deals": null}}`,
			func(t *testing.T, r review.Rules) {
				assert.Equal(t, "0.95", r.Analysis.Confidence.String())
				assert.Equal(t, review.RateWinRate, r.Analysis.Rate)
			}},
		{"ok_null_sections_are_defaults", `{"version": 1, "analysis": {"product": null, "market": null, "follow_up": null}, "actions": null, "rules": null, "custom": null}`,
			func(t *testing.T, r review.Rules) {
				assert.Equal(t, review.DefaultRules(), r, "null, as a missing section, keeps its defaults; rules: null runs every rule")
			}},
		{"ok_null_analysis_is_default", `{"version": 1, "analysis": null}`,
			func(t *testing.T, r review.Rules) { assert.Equal(t, review.DefaultRules(), r) }},
		{"ok_every_field", `{
			"version": 1,
			"analysis": {"confidence": "0.99", "adjustment": "none", "rate": "conversion", "min_deals": 8, "min_inquiries": 12, "places": 6,
				"product": {"loss_categories": ["product", "price"], "min_losses": 4, "min_loss_share": "0.4", "min_reps": 3,
					"min_rep_share": "0.6", "min_share_of_sales": "0.3"},
				"market": {"min_reps": 3, "min_rep_share": "0.7"},
				"follow_up": {"first_contact": "4h", "next_touch": "48h", "max_median_first_response": "8h", "max_overdue_share": "0.1"}},
			"actions": {"retrain_due_days": 30, "max_items": 3},
			"rules": {
				"target_met": {"min_percent": "110"},
				"target_missed": {"statuses": ["missed", "behind"], "critical_below_percent": "50"},
				"conversion_below_peers": {"rate": "win_rate"},
				"rep_product_lag": {"rate": "conversion"},
				"slow_follow_up": {"critical_overdue_share": "0.6"},
				"product_losses": {"critical_loss_share": "0.9"},
				"thin_pipeline": {"min_coverage": "1.5", "min_chance": "0.6", "adjust_below_chance": "0.05"},
				"certification": {"expiring_within_days": 60},
				"feedback_pileup": {"sources": ["customer", "rep"], "min_count": 3, "max_rating": 3, "min_low_share": "0.4"}
			},
			"custom": {"big_earners": {"min_amount": "10000.00 EUR", "enabled": true}}
		}`, func(t *testing.T, r review.Rules) {
			a := r.Analysis
			assert.Equal(t, review.AdjustNone, a.Adjustment)
			assert.Equal(t, review.RateConversion, a.Rate)
			assert.Equal(t, int32(6), a.Places)
			assert.Equal(t, []pipeline.LossCategory{pipeline.LossProduct, pipeline.LossPrice}, a.Product.LossCategories)
			assert.Equal(t, review.Duration(4*time.Hour), a.FollowUp.FirstContact)
			assert.Equal(t, pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 48 * time.Hour}, a.FollowUp.Policy())
			assert.Equal(t, 30, r.Actions.RetrainDueDays)
			assert.Equal(t, []quota.Status{quota.StatusMissed, quota.StatusBehind}, r.Rules.TargetMissed.Statuses)
			assert.Equal(t, []sp.FeedbackSource{sp.FromCustomer, sp.FromRep}, r.Rules.FeedbackPileup.Sources)
			assert.JSONEq(t, `{"min_amount": "10000.00 EUR", "enabled": true}`, string(r.Custom["big_earners"]))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := review.ParseRules([]byte(tt.doc))
			require.NoError(t, err)
			tt.check(t, r)
			// What it parsed marshals and parses back to the same.
			data, err := json.Marshal(r)
			require.NoError(t, err)
			back, err := review.ParseRules(data)
			require.NoError(t, err)
			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, string(data), string(again))
		})
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct {
		name, doc, field, reason string
	}{
		{"err_not_json", `{"version": 1,`, "", "not valid JSON"},
		{"err_not_object", `[1]`, "", "want a JSON object, got an array"},
		{"err_empty", ``, "", "not valid JSON"},
		{"err_missing_version", `{}`, "version", "missing"},
		{"err_version", `{"version": 2}`, "version", "2 is not supported"},
		{"err_version_zero", `{"version": 0}`, "version", "0 is not supported"},
		{"err_version_string", `{"version": "1"}`, "version", "want an integer"},
		{"err_version_float", `{"version": 1.5}`, "version", "want an integer"},
		{"err_unknown_top", `{"version": 1, "ruels": {}}`, "ruels", "unknown field"},
		{"err_twice", `{"version": 1, "version": 1}`, "version", "given twice"},
		{"err_unknown_rule", `{"version": 1, "rules": {"target_hit": {}}}`, "rules.target_hit", "unknown field"},
		{"err_unknown_rule_field", `{"version": 1, "rules": {"target_met": {"min_pct": "90"}}}`, "rules.target_met.min_pct", "unknown field"},
		{"err_rule_not_object", `{"version": 1, "rules": {"target_met": true}}`, "rules.target_met", "want a JSON object, got a boolean"},
		{"err_rules_not_object", `{"version": 1, "rules": []}`, "rules", "want a JSON object"},
		{"err_decimal_number", `{"version": 1, "analysis": {"confidence": 0.95}}`, "analysis.confidence", "as a string"},
		{"err_decimal_text", `{"version": 1, "analysis": {"confidence": "95%"}}`, "analysis.confidence", "want a decimal"},
		{"err_decimal_exponent", `{"version": 1, "analysis": {"confidence": "9.5e-1"}}`, "analysis.confidence", "want a decimal"},
		// Too many digits said "want a decimal such as" alone, as if the
		// text were not one.
		{"err_decimal_digits", `{"version": 1, "analysis": {"confidence": "0.` + strings.Repeat("0", 41) + `95"}}`, "analysis.confidence", "of at most 40 digits before and after the point"},
		{"err_confidence_one", `{"version": 1, "analysis": {"confidence": "1"}}`, "analysis.confidence", "strictly between 0 and 1"},
		{"err_adjustment", `{"version": 1, "analysis": {"adjustment": "holm"}}`, "analysis.adjustment", "unknown adjustment"},
		{"err_rate", `{"version": 1, "analysis": {"rate": "close_rate"}}`, "analysis.rate", "unknown rate"},
		{"err_rate_empty", `{"version": 1, "analysis": {"rate": ""}}`, "analysis.rate", "empty"},
		{"err_rate_number", `{"version": 1, "analysis": {"rate": 1}}`, "analysis.rate", "want a string, got a number"},
		{"err_min_deals", `{"version": 1, "analysis": {"min_deals": 0}}`, "analysis.min_deals", "outside 1 to"},
		{"err_places", `{"version": 1, "analysis": {"places": 19}}`, "analysis.places", "outside 1 to 18"},
		{"err_places_overflow", `{"version": 1, "analysis": {"places": 4294967297}}`, "analysis.places", "want an integer"},
		{"err_loss_categories_empty", `{"version": 1, "analysis": {"product": {"loss_categories": []}}}`, "analysis.product.loss_categories", "empty"},
		{"err_loss_category", `{"version": 1, "analysis": {"product": {"loss_categories": ["product", "bad"]}}}`, "analysis.product.loss_categories[1]", "unknown loss category"},
		{"err_loss_category_twice", `{"version": 1, "analysis": {"product": {"loss_categories": ["product", "product"]}}}`, "analysis.product.loss_categories[1]", "given twice"},
		{"err_loss_categories_string", `{"version": 1, "analysis": {"product": {"loss_categories": "product"}}}`, "analysis.product.loss_categories", "want an array of strings"},
		{"err_share", `{"version": 1, "analysis": {"product": {"min_loss_share": "1.5"}}}`, "analysis.product.min_loss_share", "outside 0 to 1"},
		{"err_share_of_sales", `{"version": 1, "analysis": {"product": {"min_share_of_sales": "-0.1"}}}`, "analysis.product.min_share_of_sales", "outside 0 to 1"},
		{"err_market", `{"version": 1, "analysis": {"market": {"min_reps": 0}}}`, "analysis.market.min_reps", "outside 1 to"},
		{"err_market_unknown", `{"version": 1, "analysis": {"market": {"reps": 2}}}`, "analysis.market.reps", "unknown field"},
		{"err_duration", `{"version": 1, "analysis": {"follow_up": {"first_contact": "a day"}}}`, "analysis.follow_up.first_contact", "want a duration"},
		{"err_duration_negative", `{"version": 1, "analysis": {"follow_up": {"next_touch": "-1h"}}}`, "analysis.follow_up.next_touch", "negative"},
		{"err_overdue_share", `{"version": 1, "analysis": {"follow_up": {"max_overdue_share": "2"}}}`, "analysis.follow_up.max_overdue_share", "outside 0 to 1"},
		{"err_due_days", `{"version": 1, "actions": {"retrain_due_days": 0}}`, "actions.retrain_due_days", "outside 1 to 366"},
		{"err_max_items", `{"version": 1, "actions": {"max_items": -1}}`, "actions.max_items", "outside 0 to 1000"},
		{"err_actions_unknown", `{"version": 1, "actions": {"due": 1}}`, "actions.due", "unknown field"},
		{"err_min_percent", `{"version": 1, "rules": {"target_met": {"min_percent": "0"}}}`, "rules.target_met.min_percent", "outside (0, 1000000]"},
		{"err_statuses_met", `{"version": 1, "rules": {"target_missed": {"statuses": ["met"]}}}`, "rules.target_missed.statuses[0]", "unknown shortfall status"},
		{"err_statuses_empty", `{"version": 1, "rules": {"target_missed": {"statuses": []}}}`, "rules.target_missed.statuses", "empty"},
		{"err_statuses_item", `{"version": 1, "rules": {"target_missed": {"statuses": [1]}}}`, "rules.target_missed.statuses[0]", "want a string"},
		{"err_critical_percent", `{"version": 1, "rules": {"target_missed": {"critical_below_percent": "101"}}}`, "rules.target_missed.critical_below_percent", "outside 0 to 100"},
		{"err_peers_rate", `{"version": 1, "rules": {"conversion_below_peers": {"rate": "x"}}}`, "rules.conversion_below_peers.rate", "unknown rate"},
		{"err_lag_rate", `{"version": 1, "rules": {"rep_product_lag": {"rate": "x"}}}`, "rules.rep_product_lag.rate", "unknown rate"},
		{"err_follow_up_share", `{"version": 1, "rules": {"slow_follow_up": {"critical_overdue_share": "1.1"}}}`, "rules.slow_follow_up.critical_overdue_share", "outside 0 to 1"},
		{"err_losses_share", `{"version": 1, "rules": {"product_losses": {"critical_loss_share": "1.1"}}}`, "rules.product_losses.critical_loss_share", "outside 0 to 1"},
		{"err_coverage", `{"version": 1, "rules": {"thin_pipeline": {"min_coverage": "-1"}}}`, "rules.thin_pipeline.min_coverage", "outside 0 to 1000000"},
		{"err_chance", `{"version": 1, "rules": {"thin_pipeline": {"min_chance": "1.01"}}}`, "rules.thin_pipeline.min_chance", "outside 0 to 1"},
		{"err_adjust_chance", `{"version": 1, "rules": {"thin_pipeline": {"adjust_below_chance": "2"}}}`, "rules.thin_pipeline.adjust_below_chance", "outside 0 to 1"},
		{"err_expiring", `{"version": 1, "rules": {"certification": {"expiring_within_days": 5000}}}`, "rules.certification.expiring_within_days", "outside 0 to 3660"},
		{"err_sources", `{"version": 1, "rules": {"feedback_pileup": {"sources": ["press"]}}}`, "rules.feedback_pileup.sources[0]", "unknown feedback source"},
		{"err_min_count", `{"version": 1, "rules": {"feedback_pileup": {"min_count": 0}}}`, "rules.feedback_pileup.min_count", "outside 1 to"},
		{"err_max_rating", `{"version": 1, "rules": {"feedback_pileup": {"max_rating": 6}}}`, "rules.feedback_pileup.max_rating", "outside 1 to 5"},
		{"err_low_share", `{"version": 1, "rules": {"feedback_pileup": {"min_low_share": "x"}}}`, "rules.feedback_pileup.min_low_share", "want a decimal"},
		{"err_custom_builtin", `{"version": 1, "custom": {"target_met": {}}}`, "custom.target_met", "built-in rule"},
		{"err_custom_name", `{"version": 1, "custom": {"Big": {}}}`, "custom.Big", "rule names are"},
		{"err_custom_name_space", `{"version": 1, "custom": {"Big Deals": {}}}`, `custom."Big Deals"`, "rule names are"},
		{"err_custom_long_names", `{"version": 1, "custom": {"` + strings.Repeat("a", 200) + `": {}, "` + strings.Repeat("a", 201) + `": {}}}`,
			`custom."` + strings.Repeat("a", 40) + `"...`, "rule names are"},
		{"err_custom_not_object", `{"version": 1, "custom": {"big": 1}}`, "custom.big", "want a JSON object"},
		{"err_custom_twice", `{"version": 1, "custom": {"big": {}, "big": {}}}`, "custom.big", "given twice"},
		{"err_custom_array", `{"version": 1, "custom": []}`, "custom", "want a JSON object"},
		{"err_custom_enabled_string", `{"version": 1, "custom": {"big": {"enabled": "false"}}}`, "custom.big.enabled", "want true or false"},
		{"err_custom_enabled_number", `{"version": 1, "custom": {"big": {"min": 1, "enabled": 0}}}`, "custom.big.enabled", "want true or false"},
		{"err_custom_enabled_twice", `{"version": 1, "custom": {"big": {"enabled": false, "enabled": true}}}`, "custom.big.enabled", "given twice"},
		// A report holding it would not read back (see sp.MaxDigitRun).
		{"err_custom_digits", `{"version": 1, "custom": {"big": {"ids": "` + strings.Repeat("1", sp.MaxDigitRun+1) + `"}}}`, "custom.big", "digits in a row"},
		{"err_custom_nested_twice", `{"version": 1, "custom": {"big": {"tiers": [{"min": "1"}, {"min": "1", "min": "2"}]}}}`, "custom.big.tiers[1].min", "given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := review.ParseRules([]byte(tt.doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.True(t, strings.HasPrefix(err.Error(), "review: rules: "), err.Error())
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Contains(t, ve.Reason, tt.reason)

			// Unmarshaling into a value leaves it unchanged.
			r := review.DefaultRules()
			require.Error(t, json.Unmarshal([]byte(tt.doc), &r))
			assert.Equal(t, review.DefaultRules().Analysis.Confidence.String(), r.Analysis.Confidence.String())
		})
	}
}

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *review.Rules)
		field  string
	}{
		{"ok_no_rules", func(r *review.Rules) { r.Rules = review.RuleSet{} }, ""},
		{"err_zero", func(r *review.Rules) { *r = review.Rules{} }, "version"},
		{"err_confidence", func(r *review.Rules) { r.Analysis.Confidence = decimal.Zero }, "analysis.confidence"},
		{"err_rate", func(r *review.Rules) { r.Analysis.Rate = "" }, "analysis.rate"},
		{"err_adjustment", func(r *review.Rules) { r.Analysis.Adjustment = "" }, "analysis.adjustment"},
		{"err_min_inquiries", func(r *review.Rules) { r.Analysis.MinInquiries = 0 }, "analysis.min_inquiries"},
		{"err_max_median", func(r *review.Rules) { r.Analysis.FollowUp.MaxMedianFirstResponse = -1 }, "analysis.follow_up.max_median_first_response"},
		{"err_min_reps", func(r *review.Rules) { r.Analysis.Product.MinReps = 0 }, "analysis.product.min_reps"},
		{"err_rep_share", func(r *review.Rules) { r.Analysis.Product.MinRepShare = decimal.NewFromInt(2) }, "analysis.product.min_rep_share"},
		{"err_market_share", func(r *review.Rules) { r.Analysis.Market.MinRepShare = decimal.NewFromInt(2) }, "analysis.market.min_rep_share"},
		{"err_custom_json", func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"x": json.RawMessage(`{`)} }, "custom.x"},
		{"err_custom_empty_name", func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"": json.RawMessage(`{}`)} }, "custom"},
		{"err_custom_bad_char", func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"a-b": json.RawMessage(`{}`)} }, "custom.a-b"},
		{"err_custom_twice", func(r *review.Rules) {
			r.Custom = map[string]json.RawMessage{"big": json.RawMessage(`{"enabled": false, "enabled": true}`)}
		}, "custom.big.enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := review.DefaultRules()
			tt.change(&r)
			err := r.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			_, err = review.New(r, nil)
			assert.ErrorIs(t, err, sp.ErrInvalid)
		})
	}
}

func TestEnums(t *testing.T) {
	type enum interface {
		Validate() error
	}
	tests := []struct {
		name string
		good enum
		bad  enum
		text func([]byte) error
	}{
		{"rate", review.RateWinRate, review.RateKind("x"), func(b []byte) error { var v review.RateKind; return v.UnmarshalText(b) }},
		{"adjustment", review.AdjustBonferroni, review.Adjustment("x"), func(b []byte) error { var v review.Adjustment; return v.UnmarshalText(b) }},
		{"severity", review.SeverityCritical, review.Severity("x"), func(b []byte) error { var v review.Severity; return v.UnmarshalText(b) }},
		{"cause", review.CauseMarket, review.Cause("x"), func(b []byte) error { var v review.Cause; return v.UnmarshalText(b) }},
		{"subject_kind", review.SubjectRepProduct, review.SubjectKind("x"), func(b []byte) error { var v review.SubjectKind; return v.UnmarshalText(b) }},
		{"action_kind", review.ActionAdjustGoal, review.ActionKind("x"), func(b []byte) error { var v review.ActionKind; return v.UnmarshalText(b) }},
		{"action_status", review.StatusExisting, review.ActionStatus("x"), func(b []byte) error { var v review.ActionStatus; return v.UnmarshalText(b) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NoError(t, tt.good.Validate())
			assert.ErrorIs(t, tt.bad.Validate(), sp.ErrInvalid)
			assert.NoError(t, tt.text([]byte("")))
			assert.ErrorIs(t, tt.text([]byte("x")), sp.ErrInvalid)
		})
	}
	assert.NoError(t, review.Cause("").Validate())
	assert.Equal(t, 3, review.SeverityCritical.Rank())
	assert.Equal(t, 0, review.Severity("x").Rank())

	var d review.Duration
	require.NoError(t, d.UnmarshalText([]byte("90m")))
	text, err := d.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "1h30m0s", string(text))
	assert.ErrorIs(t, d.UnmarshalText([]byte("soon")), sp.ErrInvalid)
	assert.Equal(t, review.Duration(90*time.Minute), d)
}

// The rules document takes durations as text only, since a bare number
// would be read as nanoseconds; FollowUpSignal's own UnmarshalJSON, like
// every type's with a duration, reads the integer of nanoseconds that
// encoding/json writes for a time.Duration too. Both write text.
func TestRulesDurationsAsText(t *testing.T) {
	_, err := review.ParseRules([]byte(`{"version": 1, "analysis": {"follow_up": {"first_contact": 3600000000000}}}`))
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "analysis.follow_up.first_contact", ve.Field)

	var f review.FollowUpSignal
	require.NoError(t, json.Unmarshal([]byte(`{"first_contact": 3600000000000, "next_touch": "2h", "max_median_first_response": "90m"}`), &f))
	assert.Equal(t, pipeline.FollowUpPolicy{FirstContact: time.Hour, NextTouch: 2 * time.Hour}, f.Policy())
	assert.Equal(t, review.Duration(90*time.Minute), f.MaxMedianFirstResponse)
	out, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"first_contact":"1h0m0s","next_touch":"2h0m0s","max_median_first_response":"1h30m0s"`)
}

func TestNewErrors(t *testing.T) {
	rule := review.NewRule("mine", nil)
	withCustom := func(name string) review.Rules {
		r := review.DefaultRules()
		r.Custom = map[string]json.RawMessage{name: json.RawMessage(`{}`)}
		return r
	}
	tests := []struct {
		name  string
		rules review.Rules
		opts  *review.Options
		field string
	}{
		{"err_nil_rule", review.DefaultRules(), &review.Options{Rules: []review.Rule{nil}}, "options.rules[0]"},
		{"err_rule_name", review.DefaultRules(), &review.Options{Rules: []review.Rule{review.NewRule("My Rule", nil)}}, `options.rules[0]."My Rule"`},
		{"err_builtin_name", review.DefaultRules(), &review.Options{Rules: []review.Rule{review.NewRule(review.RuleTargetMet, nil)}}, "options.rules[0]"},
		{"err_twice", review.DefaultRules(), &review.Options{Rules: []review.Rule{rule, rule}}, "options.rules[1]"},
		{"err_unknown_custom", withCustom("theirs"), &review.Options{Rules: []review.Rule{rule}}, "custom.theirs"},
		{"err_actor", review.DefaultRules(), &review.Options{Actor: " x"}, "options.actor"},
		{"err_quota", review.DefaultRules(), &review.Options{Quota: &quota.Options{Confidence: 2}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := review.New(tt.rules, tt.opts)
			require.Error(t, err)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.True(t, strings.HasPrefix(err.Error(), "review: new: "), err.Error())
			var ve *sp.ValidationError
			if tt.field != "" && errors.As(err, &ve) {
				assert.Equal(t, tt.field, ve.Field)
			}
		})
	}
	r, err := review.New(withCustom("mine"), &review.Options{Rules: []review.Rule{rule}})
	require.NoError(t, err)
	assert.Equal(t, withCustom("mine").Custom, r.Rules().Custom)
}

// A Reviewer keeps its own copy of the rules: changing the document
// after New, or what Rules returns, changes nothing.
func TestReviewerOwnsRules(t *testing.T) {
	rules := review.DefaultRules()
	r, err := review.New(rules, nil)
	require.NoError(t, err)
	rules.Rules.TargetMet.MinPercent = decimal.NewFromInt(500)
	rules.Rules.TargetMissed.Statuses[0] = quota.StatusBehind
	got := r.Rules()
	assert.Equal(t, "100", got.Rules.TargetMet.MinPercent.String())
	assert.Equal(t, quota.StatusMissed, got.Rules.TargetMissed.Statuses[0])
	got.Rules.FeedbackPileup.Sources[0] = sp.FromRep
	assert.Equal(t, sp.FromCustomer, r.Rules().Rules.FeedbackPileup.Sources[0])
}

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
		assert.Equal(t, quota.VerdictBelow, bob.VsTeam.Verdict, "confidence %s", conf)
		assert.NotNil(t, bob.WinRate.Wilson, "confidence %s", conf)
	}
}

// TestParseRulesErrorsQuoteKeys checks that an error naming a key of an
// uploaded document that is no field name (an unknown field, a key given
// twice, a custom rule's name) shows it quoted and cut, so that a crafted
// key cannot put line breaks or terminal escapes into a host's logs, nor
// make the message as long as the document.
func TestParseRulesErrorsQuoteKeys(t *testing.T) {
	evil := "x\n[ERROR] forged\x1b[2J\u202e" + strings.Repeat("k", 10000)
	key, err := json.Marshal(evil)
	require.NoError(t, err)
	docs := map[string]string{
		"unknown_top":    `{"version": 1, ` + string(key) + `: 1}`,
		"unknown_nested": `{"version": 1, "rules": {"target_met": {` + string(key) + `: 1}}}`,
		"custom_name":    `{"version": 1, "custom": {` + string(key) + `: {}}}`,
		"custom_twice":   `{"version": 1, "custom": {` + string(key) + `: {}, ` + string(key) + `: {}}}`,
		"custom_value":   `{"version": 1, "custom": {` + string(key) + `: 1}}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			_, err := review.ParseRules([]byte(doc))
			require.ErrorIs(t, err, sp.ErrInvalid)
			msg := err.Error()
			assert.Less(t, len(msg), 200, msg)
			assert.False(t, strings.ContainsFunc(msg, func(r rune) bool { return r < ' ' || r == '\u202e' }), "%q", msg)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, ve.Field, `"x\n[ERROR] forged\x1b[2J\u202e`)
		})
	}
}

// TestParseRulesErrorsQuoteKeysAtTheLimits checks the limits ParseRules
// documents for keys in errors: a plain name of up to 128 bytes as it is,
// one longer quoted and cut after 40 bytes, on a character's boundary,
// and a key of exactly 40 bytes quoted whole.
func TestParseRulesErrorsQuoteKeysAtTheLimits(t *testing.T) {
	k := func(n int) string { return strings.Repeat("k", n) }
	for _, tc := range []struct{ name, key, field string }{
		{"plain_128", k(128), k(128)},
		{"plain_129", k(129), `"` + k(40) + `"...`},
		{"quoted_40", k(39) + " ", `"` + k(39) + ` "`},
		{"quoted_41", k(40) + " ", `"` + k(40) + `"...`},
		{"cut_before_a_character", k(39) + "é", `"` + k(39) + `"...`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := json.Marshal(tc.key)
			require.NoError(t, err)
			_, err = review.ParseRules([]byte(`{"version": 1, ` + string(key) + `: 1}`))
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, "unknown field", ve.Reason)
		})
	}
}

// Severity.AtLeast orders as training's Severity.AtLeast does: info <
// warning < critical, an unknown severity below every known one.
func TestSeverityAtLeastOrdersAsTrainings(t *testing.T) {
	all := []review.Severity{"", "x", review.SeverityInfo, review.SeverityWarning, review.SeverityCritical}
	for _, s := range all {
		for _, o := range all {
			want := training.Severity(s).AtLeast(training.Severity(o))
			assert.Equal(t, want, s.AtLeast(o), "%q at least %q", s, o)
		}
	}
	assert.True(t, review.SeverityCritical.AtLeast(review.SeverityWarning))
	assert.False(t, review.SeverityInfo.AtLeast(review.SeverityWarning))
	assert.True(t, review.SeverityWarning.AtLeast(review.SeverityWarning))
	assert.False(t, review.Severity("x").AtLeast(review.SeverityInfo))
	assert.True(t, review.SeverityInfo.AtLeast("x"))
}
