package quota_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// TestReportJSONForms checks the JSON forms of the reports: a list of
// results is [] when empty, not null, and a confidence level is a decimal
// string, and no durations are {"count":0}; the forms earlier versions
// wrote (null lists, the confidence a JSON number, zero durations beside a
// count of 0) read as the same value; and each form round-trips to the
// same bytes.
func TestReportJSONForms(t *testing.T) {
	rate := `{"rate":{"num":0,"den":0},"value":"0","shrunk":null}`
	for name, tc := range map[string]struct {
		v      any
		golden string
		legacy string
		target func() any
	}{
		"conversion_report": {
			v: quota.ConversionReport{Confidence: 0.95},
			golden: `{"basis":"","period":"","prior":{"mean":0,"strength":0},` +
				`"total":{"key":{},"inquiries":0,"won":0,"conversion":` + rate + `},"confidence":"0.95","groups":[]}`,
			legacy: `{"basis":"","period":"","confidence":0.95,"prior":{"mean":0,"strength":0},` +
				`"total":{"key":{},"inquiries":0,"won":0,"conversion":` + rate + `},"groups":null}`,
			target: func() any { return new(quota.ConversionReport) },
		},
		"cycle_report": {
			v:      quota.CycleReport{},
			golden: `{"period":"","total":{"key":{},"durations":{"count":0},"pending":0},"groups":[]}`,
			legacy: `{"period":"","total":{"key":{},"durations":{"count":0,"mean":"0s","min":"0s","p25":"0s",` +
				`"median":"0s","p75":"0s","p90":"0s","max":"0s"},"pending":0},"groups":null}`,
			target: func() any { return new(quota.CycleReport) },
		},
		"funnel_report": {
			v: quota.FunnelReport{Confidence: 0.9},
			golden: `{"period":"","total":{"key":{},"deals":0,"steps":[]},` +
				`"stages":[],"confidence":"0.9","priors":[],"groups":[]}`,
			legacy: `{"period":"","stages":null,"confidence":0.9,"priors":null,` +
				`"total":{"key":{},"deals":0,"steps":null},"groups":null}`,
			target: func() any { return new(quota.FunnelReport) },
		},
		"pipeline_report": {
			v:      quota.PipelineReport{},
			golden: `{"total":{"key":{},"open":0,"amount":null,"weighted":null},"groups":[]}`,
			legacy: `{"total":{"key":{},"open":0,"amount":null,"weighted":null},"groups":null}`,
			target: func() any { return new(quota.PipelineReport) },
		},
		"velocity_report": {
			v: quota.VelocityReport{},
			golden: `{"period":"","total":{"key":{},"open":0,"won":0,"lost":0,"won_amount":null,` +
				`"cycle":"0s","per_day":null},"groups":[]}`,
			legacy: `{"period":"","total":{"key":{},"open":0,"won":0,"lost":0,"won_amount":null,` +
				`"cycle":"0s","per_day":null},"groups":null}`,
			target: func() any { return new(quota.VelocityReport) },
		},
		"win_rate_report": {
			v: quota.WinRateReport{Confidence: 0.95},
			golden: `{"period":"","prior":{"mean":0,"strength":0},"total":{"key":{},"won":0,"lost":0,` +
				`"won_amount":null,"win_rate":` + rate + `},"confidence":"0.95","groups":[]}`,
			legacy: `{"period":"","confidence":0.95,"prior":{"mean":0,"strength":0},"total":{"key":{},"won":0,"lost":0,` +
				`"won_amount":null,"win_rate":` + rate + `},"groups":null}`,
			target: func() any { return new(quota.WinRateReport) },
		},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.Equal(t, tc.golden, string(raw))
			for form, doc := range map[string]string{"current": tc.golden, "legacy": tc.legacy} {
				got := tc.target()
				require.NoError(t, json.Unmarshal([]byte(doc), got), form)
				again, err := json.Marshal(got)
				require.NoError(t, err, form)
				// Re-encoded as the value is: the confidence and the
				// lists read as they were.
				assert.Equal(t, tc.golden, string(again), "%s form", form)
			}
		})
	}
}

// TestConfidenceJSON checks that a confidence level reads from a decimal
// string and from a number alike, and that what is not a number is
// refused naming the member, the report left unchanged.
func TestConfidenceJSON(t *testing.T) {
	for _, doc := range []string{`{"confidence":"0.975"}`, `{"confidence":0.975}`, `{"confidence":"975e-3"}`} {
		var r quota.WinRateReport
		require.NoError(t, json.Unmarshal([]byte(doc), &r), doc)
		assert.Equal(t, 0.975, r.Confidence, doc)
	}
	for _, doc := range []string{`{"confidence":"high"}`, `{"confidence":"NaN"}`, `{"confidence":"0.9 "}`,
		`{"confidence":"1e999"}`, `{"confidence":[0.9]}`, `{"confidence":"0x1p-1"}`} {
		r := quota.FunnelReport{Confidence: 0.5}
		err := r.UnmarshalJSON([]byte(doc))
		require.ErrorIs(t, err, sp.ErrInvalid, doc)
		assert.Contains(t, err.Error(), "funnel_report.confidence", doc)
		assert.Equal(t, 0.5, r.Confidence, doc)
	}
	r := quota.ConversionReport{Confidence: 0.9}
	require.NoError(t, json.Unmarshal([]byte(`{"confidence":null}`), &r))
	assert.Zero(t, r.Confidence, "a report's member null reads as the zero it decodes")
}

// TestAttainmentPacePercent checks that an attainment's pace, a
// percentage, is the member pace_percent, and that the member pace that
// earlier versions wrote reads as it, where pace_percent is absent.
func TestAttainmentPacePercent(t *testing.T) {
	a := quota.Attainment{Pace: decimal.RequireFromString("95.5")}
	raw, err := json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `,"pace_percent":"95.5",`)
	assert.NotContains(t, string(raw), `"pace"`)
	legacy := strings.Replace(string(raw), `"pace_percent"`, `"pace"`, 1)
	both := strings.Replace(string(raw), `"pace_percent":"95.5"`, `"pace":"1","pace_percent":"95.5"`, 1)
	for form, doc := range map[string]string{"current": string(raw), "legacy": legacy, "both": both} {
		var got quota.Attainment
		require.NoError(t, json.Unmarshal([]byte(doc), &got), form)
		assert.True(t, a.Pace.Equal(got.Pace), "%s form: pace %s", form, got.Pace)
		again, err := json.Marshal(got)
		require.NoError(t, err)
		assert.Equal(t, string(raw), string(again), form)
	}
	var got quota.Attainment
	err = json.Unmarshal([]byte(`{"pace":"x"}`), &got)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), "attainment.pace")
}

// TestJSONLeavesEscapingToTheEncoder checks that the reports' MarshalJSON
// methods leave the escaping of <, > and & to the encoder that calls them,
// as encoding/json does for a type without one.
func TestJSONLeavesEscapingToTheEncoder(t *testing.T) {
	key := quota.Key{Custom: "<north> & south"}
	for name, v := range map[string]any{
		"key":               key,
		"conversion_report": quota.ConversionReport{Groups: []quota.ConversionGroup{{Key: key}}},
		"win_rate_report":   quota.WinRateReport{Groups: []quota.WinRateGroup{{Key: key}}},
		"cycle_report":      quota.CycleReport{Groups: []quota.CycleGroup{{Key: key}}},
	} {
		raw, err := json.Marshal(v)
		require.NoError(t, err, name)
		assert.NotContains(t, string(raw), "<", name)
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(v), name)
		assert.Contains(t, b.String(), "<north> & south", name)
	}
}
