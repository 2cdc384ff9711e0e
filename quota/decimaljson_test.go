package quota_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// TestJSONRefusesDecimalsWrittenOutBeyondTheBound checks that every JSON
// type of the package with a decimal refuses, naming it, a decimal that it
// would write out in more than sp.MaxDigitRun digits in a row ("1e-9999",
// 1e9999, written out with 10,000 digits), left unchanged, so that what
// decodes reads back; and that an ID reading as such a number decodes.
func TestJSONRefusesDecimalsWrittenOutBeyondTheBound(t *testing.T) {
	for _, tt := range []struct {
		doc, field string
		check      func(t *testing.T, kept, doc, field string)
	}{
		{`{"deals":%s}`, "amount.deals", checkDecimalRefused[quota.Amount]},
		{`{"on_pace":%s}`, "thresholds.on_pace", checkDecimalRefused[quota.Thresholds]},
		{`{"behind":%s}`, "thresholds.behind", checkDecimalRefused[quota.Thresholds]},
		{`{"percent":%s}`, "attainment.percent", checkDecimalRefused[quota.Attainment]},
		{`{"pace":%s}`, "attainment.pace", checkDecimalRefused[quota.Attainment]},
		{`{"attained":{"deals":%s}}`, "attainment.attained.deals", checkDecimalRefused[quota.Attainment]},
		{`{"probability":%s}`, "prospect.probability", checkDecimalRefused[quota.Prospect]},
		{`{"coverage":%s}`, "outlook.coverage", checkDecimalRefused[quota.Outlook]},
		{`{"rep":"r1","steps":["0.25","0.5",%s]}`, "ramp.steps[2]", checkDecimalRefused[quota.Ramp]},
		{`{"lower":%s}`, "interval.lower", checkDecimalRefused[quota.Interval]},
		{`{"upper":%s}`, "interval.upper", checkDecimalRefused[quota.Interval]},
		{`{"difference":%s}`, "comparison.difference", checkDecimalRefused[quota.Comparison]},
		{`{"interval":{"upper":%s}}`, "comparison.interval.upper", checkDecimalRefused[quota.Comparison]},
		{`{"p_value":%s}`, "comparison.p_value", checkDecimalRefused[quota.Comparison]},
		{`{"value":%s}`, "rate_estimate.value", checkDecimalRefused[quota.RateEstimate]},
		{`{"shrunk":%s}`, "rate_estimate.shrunk", checkDecimalRefused[quota.RateEstimate]},
		{`{"wilson":{"lower":%s}}`, "rate_estimate.wilson.lower", checkDecimalRefused[quota.RateEstimate]},
		{`{"rep":"r1","percent":%s}`, "split.percent", checkDecimalRefused[quota.Split]},
		{`{"rep":"r1","share":%s}`, "credit.share", checkDecimalRefused[quota.Credit]},
	} {
		for _, num := range []string{`"1e-9999"`, `1e9999`} {
			doc := strings.Replace(tt.doc, "%s", num, 1)
			t.Run(doc, func(t *testing.T) { tt.check(t, strings.Replace(tt.doc, "%s", `"0.5"`, 1), doc, tt.field) })
		}
	}
	t.Run("ok_ids", func(t *testing.T) {
		const uuid = "550e8400-e29b-41d4-a716-446655440000"
		doc := `{"rep":"` + uuid + `","region":"1e9999","steps":["0.5","1e-8190"]}`
		var r quota.Ramp
		require.NoError(t, json.Unmarshal([]byte(doc), &r))
		assert.Equal(t, sp.RepID(uuid), r.Rep)
		assert.Equal(t, sp.RegionID("1e9999"), r.Region)
		once, err := json.Marshal(r)
		require.NoError(t, err)
		var back quota.Ramp
		require.NoError(t, json.Unmarshal(once, &back), "a step written out in 8192 digits in a row reads back")
		twice, err := json.Marshal(back)
		require.NoError(t, err)
		assert.Equal(t, string(once), string(twice))
	})
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
