package quota_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// Percentiles are exact, rounded half-up to the nanosecond, however the
// float64 form of the percentile or of the durations would round.
func TestSummarizePercentilesExact(t *testing.T) {
	t.Run("half_up", func(t *testing.T) {
		// Eight values 5 ns apart: P90 is at h = 7·0.9 = 6.3, 30 ns + 0.3·5 ns
		// = 31.5 ns, rounded half-up to 32.
		var ds []time.Duration
		for i := range 8 {
			ds = append(ds, time.Duration(5*i))
		}
		got := quota.Summarize(slices.Values(ds))
		assert.Equal(t, time.Duration(32), got.P90)
		assert.Equal(t, time.Duration(9), got.P25, "h = 1.75: 5 + 3.75 = 8.75, to 9")
		assert.Equal(t, time.Duration(18), got.Median, "h = 3.5: 15 + 2.5 = 17.5, to 18")
		assert.Equal(t, time.Duration(26), got.P75, "h = 5.25: 25 + 1.25 = 26.25, to 26")
	})
	t.Run("long_durations", func(t *testing.T) {
		// 0.9 · (3·10¹⁶ + 7) ns = 27 000 000 000 000 006.3 ns.
		got := quota.Summarize(slices.Values([]time.Duration{0, 3e16 + 7}))
		assert.Equal(t, time.Duration(27_000_000_000_000_006), got.P90)
		assert.Equal(t, time.Duration(15_000_000_000_000_004), got.Median, "3.5 up to 4")
	})
}

// FirstResponse counts an inquiry's first contact as pipeline.FirstContact
// reckons it, a done activity or the move to Contacted, not its
// disqualification straight from New: the figure agrees with
// pipeline.FirstResponse and with a review's follow-up figures.
func TestFirstResponseIsTheFirstContact(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	received := nov(2)
	hist := func(to pipeline.InquiryStage, at time.Time) []pipeline.Transition[pipeline.InquiryStage] {
		return []pipeline.Transition[pipeline.InquiryStage]{{From: pipeline.InquiryNew, To: to, At: at}}
	}
	ins := []pipeline.Inquiry{
		// Disqualified after an hour without a contact: no response.
		{ID: "i1", Received: received, Stage: pipeline.InquiryDisqualified, History: hist(pipeline.InquiryDisqualified, received.Add(time.Hour))},
		// Contacted after two hours.
		{ID: "i2", Received: received, Stage: pipeline.InquiryContacted, History: hist(pipeline.InquiryContacted, received.Add(2*time.Hour))},
		// Disqualified after an hour, called after three.
		{ID: "i3", Received: received, Stage: pipeline.InquiryDisqualified, History: hist(pipeline.InquiryDisqualified, received.Add(time.Hour)),
			Activities: []pipeline.Activity{{Kind: pipeline.ActivityCall, Done: received.Add(3 * time.Hour)}}},
	}
	rep, err := quota.FirstResponse(quota.Refs(ins), month, month.End(), quota.Grouping{}, nil)
	require.NoError(t, err)
	var want []time.Duration
	var pending int64
	for _, in := range ins {
		if d, ok := pipeline.FirstResponse(in); ok {
			want = append(want, d)
		} else {
			pending++
		}
	}
	assert.Equal(t, quota.Summarize(slices.Values(want)), rep.Total.Durations)
	assert.Equal(t, pending, rep.Total.Pending)
	assert.Equal(t, int64(1), rep.Total.Pending, "i1")
	assert.Equal(t, 2*time.Hour, rep.Total.Durations.Min, "i2")
	assert.Equal(t, 3*time.Hour, rep.Total.Durations.Max, "i3")
}

// A first contact at asOf itself came by asOf: the inquiry is answered, not
// pending; one a nanosecond later is pending.
func TestFirstResponseCountsAContactAtAsOf(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	received := nov(2)
	asOf := received.Add(2 * time.Hour)
	ins := []pipeline.Inquiry{
		{ID: "i1", Received: received, Stage: pipeline.InquiryContacted,
			History: []pipeline.Transition[pipeline.InquiryStage]{{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: asOf}}},
		{ID: "i2", Received: received, Stage: pipeline.InquiryContacted,
			History: []pipeline.Transition[pipeline.InquiryStage]{{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: asOf.Add(time.Nanosecond)}}},
	}
	rep, err := quota.FirstResponse(quota.Refs(ins), month, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), rep.Total.Durations.Count, "i1")
	assert.Equal(t, 2*time.Hour, rep.Total.Durations.Max, "i1")
	assert.Equal(t, int64(1), rep.Total.Pending, "i2")
}
