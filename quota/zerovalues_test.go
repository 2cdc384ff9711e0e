package quota_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// zeroRoundTrip checks that the zero T encodes, and that its JSON decodes
// back to a value that encodes the same.
func zeroRoundTrip[T any](t *testing.T) {
	t.Run(fmt.Sprintf("%T", *new(T)), func(t *testing.T) {
		var zero T
		data, err := json.Marshal(zero)
		require.NoError(t, err)
		var back T
		require.NoError(t, json.Unmarshal(data, &back))
		again, err := json.Marshal(back)
		require.NoError(t, err)
		assert.JSONEq(t, string(data), string(again))
	})
}

// The zero results of the calculators are those of no records: they
// encode, and decode back.
func TestZeroResultsRoundTrip(t *testing.T) {
	zeroRoundTrip[quota.WinRateReport](t)
	zeroRoundTrip[quota.ConversionReport](t)
	zeroRoundTrip[quota.CycleReport](t)
	zeroRoundTrip[quota.FunnelReport](t)
	zeroRoundTrip[quota.PipelineReport](t)
	zeroRoundTrip[quota.VelocityReport](t)
	zeroRoundTrip[quota.WinRateGroup](t)
	zeroRoundTrip[quota.ConversionGroup](t)
	zeroRoundTrip[quota.CycleGroup](t)
	zeroRoundTrip[quota.FunnelGroup](t)
	zeroRoundTrip[quota.FunnelStep](t)
	zeroRoundTrip[quota.PipelineGroup](t)
	zeroRoundTrip[quota.VelocityGroup](t)
	zeroRoundTrip[quota.Durations](t)
	zeroRoundTrip[quota.RollupNode](t)
	zeroRoundTrip[quota.Chance](t)
	zeroRoundTrip[quota.Simulation](t)
	zeroRoundTrip[quota.InquiryNeed](t)
	zeroRoundTrip[quota.RateEstimate](t)
	zeroRoundTrip[quota.Comparison](t)
	zeroRoundTrip[quota.Attainment](t)
	zeroRoundTrip[quota.Outlook](t)
	zeroRoundTrip[quota.Credit](t)

	for _, tt := range []struct {
		v    any
		want string
	}{
		{quota.Durations{}, `{"count":0}`},
		{quota.WinRateReport{}, `"groups":[]`},
		{quota.ConversionReport{}, `"groups":[]`},
		{quota.CycleReport{}, `"groups":[]`},
		{quota.FunnelReport{}, `"groups":[]`},
		{quota.PipelineReport{}, `"groups":[]`},
		{quota.VelocityReport{}, `"groups":[]`},
	} {
		data, err := json.Marshal(tt.v)
		require.NoError(t, err)
		assert.Contains(t, string(data), tt.want, "%T", tt.v)
	}
}

// The zero values of the calculators' inputs and results are as their
// docs say.
func TestZeroValuesAsDocumented(t *testing.T) {
	hundred := eur("100.00")
	none := eur("0.00")

	_, err := quota.Ramp{}.Goals(3)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = quota.Credits(hundred, []quota.Split{{}})
	assert.ErrorIs(t, err, sp.ErrInvalid)

	c, err := quota.Reach(hundred, none, slices.Values([]quota.Prospect{{}}))
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, quota.Chance{}, c)
	s, err := quota.Simulate(hundred, none, slices.Values([]quota.Prospect{{}}), 100, 1)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, quota.Simulation{}, s)

	need, err := quota.InquiriesNeeded(quota.Amount{}, quota.Rate{Num: 1, Den: 2}, eur("10.00"), 0.95)
	require.NoError(t, err)
	assert.Equal(t, quota.InquiryNeed{}, need)

	_, ok := quota.VelocityGroup{}.AverageWon()
	assert.False(t, ok)
	_, ok = quota.WinRateGroup{}.AverageWon()
	assert.False(t, ok)
	assert.False(t, quota.RateEstimate{}.Rate.Defined())

	// The zero Options and Thresholds are the defaults.
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{{Rep: "ana", Region: "north", Period: nov, Revenue: eur("10000.00")}}
	asOf := time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	def, err := quota.Attain(goals, quota.Refs(exampleDeals()), asOf, nil)
	require.NoError(t, err)
	for _, opts := range []*quota.Options{{}, {Thresholds: quota.Thresholds{}}} {
		got, err := quota.Attain(goals, quota.Refs(exampleDeals()), asOf, opts)
		require.NoError(t, err)
		want, _ := json.Marshal(def)
		have, _ := json.Marshal(got)
		assert.JSONEq(t, string(want), string(have))
	}
	// Every goal's key names its metric, which the zero GoalKey does not.
	assert.NotEmpty(t, quota.Goal{}.Key().Metric)
	assert.NotEqual(t, quota.GoalKey{}, quota.Goal{}.Key())
}
