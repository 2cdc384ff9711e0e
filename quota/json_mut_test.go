package quota_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// A confidence level that JSON cannot write (NaN, an infinity) is refused
// as encoding/json refuses such a float64, with an error wrapping
// sp.ErrInvalid that names the member.
func TestConfidenceJSONNotFinite(t *testing.T) {
	for name, c := range map[string]float64{"nan": math.NaN(), "plus_inf": math.Inf(1), "minus_inf": math.Inf(-1)} {
		for kind, v := range map[string]any{
			"conversion_report": quota.ConversionReport{Confidence: c},
			"funnel_report":     quota.FunnelReport{Confidence: c},
			"win_rate_report":   quota.WinRateReport{Confidence: c},
		} {
			raw, err := json.Marshal(v)
			assert.Nil(t, raw, "%s %s", kind, name)
			require.ErrorIs(t, err, sp.ErrInvalid, "%s %s", kind, name)
			assert.Contains(t, err.Error(), "confidence", "%s %s", kind, name)
		}
	}
}

// A confidence written as a string reads as the JSON number it holds, a
// negative one too (the calculators, not the form, refuse it); an empty
// string holds no number and is refused, the report left unchanged.
func TestConfidenceJSONEdges(t *testing.T) {
	for doc, want := range map[string]float64{`{"confidence":"-0.5"}`: -0.5, `{"confidence":"0"}`: 0, `{"confidence":-0.25}`: -0.25} {
		r := quota.WinRateReport{Confidence: 0.9}
		require.NoError(t, json.Unmarshal([]byte(doc), &r), doc)
		assert.Equal(t, want, r.Confidence, doc)
	}
	for _, doc := range []string{`{"confidence":""}`, `{"confidence":"-"}`, `{"confidence":".5"}`, `{"confidence":"+0.5"}`} {
		r := quota.ConversionReport{Confidence: 0.5}
		var err error
		require.NotPanics(t, func() { err = json.Unmarshal([]byte(doc), &r) }, doc)
		require.ErrorIs(t, err, sp.ErrInvalid, doc)
		assert.Contains(t, err.Error(), "conversion_report.confidence", doc)
		assert.Equal(t, 0.5, r.Confidence, doc)
	}
}

// JSON null leaves an attainment and a report as they were, as
// encoding/json leaves a value it decodes null into, their pace and
// confidence among them.
func TestNullLeavesValueUnchanged(t *testing.T) {
	a := quota.Attainment{Pace: decimal.RequireFromString("95.5"), Percent: decimal.RequireFromString("40")}
	require.NoError(t, a.UnmarshalJSON([]byte("null")))
	assert.True(t, a.Pace.Equal(decimal.RequireFromString("95.5")), "pace %s", a.Pace)
	assert.True(t, a.Percent.Equal(decimal.NewFromInt(40)), "percent %s", a.Percent)

	nov := sp.Month(2026, time.November, time.UTC)
	c := quota.ConversionReport{Confidence: 0.9, Period: nov}
	require.NoError(t, c.UnmarshalJSON([]byte("null")))
	assert.Equal(t, quota.ConversionReport{Confidence: 0.9, Period: nov}, c)
	f := quota.FunnelReport{Confidence: 0.9, Period: nov}
	require.NoError(t, f.UnmarshalJSON([]byte("null")))
	assert.Equal(t, quota.FunnelReport{Confidence: 0.9, Period: nov}, f)
	w := quota.WinRateReport{Confidence: 0.9, Period: nov}
	require.NoError(t, w.UnmarshalJSON([]byte("null")))
	assert.Equal(t, quota.WinRateReport{Confidence: 0.9, Period: nov}, w)
}
