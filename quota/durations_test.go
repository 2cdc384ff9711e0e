package quota_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
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

// The JSON form of Durations has each duration as text, in the fields'
// order, and reads back; the integers of nanoseconds that encoding/json
// writes for a time.Duration, the form of earlier versions, read too.
func TestDurationsJSONAsText(t *testing.T) {
	d := quota.Summarize(slices.Values([]time.Duration{time.Hour, 2 * time.Hour, 90 * time.Minute, 3*time.Hour + 1}))
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `{"count":4,"mean":"1h52m30s","min":"1h0m0s","p25":"1h22m30s","median":"1h45m0s",`+
		`"p75":"2h15m0s","p90":"2h42m0.000000001s","max":"3h0m0.000000001s"}`, string(b))
	var back quota.Durations
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d, back)

	old := `{"count":4,"mean":6750000000000,"min":3600000000000,"p25":4950000000000,"median":6300000000000,` +
		`"p75":8100000000000,"p90":9720000000001,"max":10800000000001}`
	back = quota.Durations{}
	require.NoError(t, json.Unmarshal([]byte(old), &back))
	assert.Equal(t, d, back)

	// No durations have no statistics: the JSON says the count alone, as
	// a rate of no data says its counts, rather than zeros a reader would
	// take for measured ones. It reads back as no durations, over a
	// target that held some, and so does the form earlier versions wrote.
	zero, err := json.Marshal(quota.Summarize(nil))
	require.NoError(t, err)
	assert.Equal(t, `{"count":0}`, string(zero))
	for _, in := range []string{string(zero), `{"count":0,"mean":"0s","min":"0s","p25":"0s","median":"0s","p75":"0s","p90":"0s","max":"0s"}`,
		`{"count":0,"mean":0,"min":0,"p25":0,"median":0,"p75":0,"p90":0,"max":0}`} {
		back := d
		require.NoError(t, json.Unmarshal([]byte(in), &back), in)
		assert.Equal(t, quota.Durations{}, back, in)
	}
	// A Durations made by hand with statistics and no count keeps them.
	odd := quota.Durations{Median: time.Hour}
	b2, err := json.Marshal(odd)
	require.NoError(t, err)
	assert.Equal(t, `{"count":0,"mean":"0s","min":"0s","p25":"0s","median":"1h0m0s","p75":"0s","p90":"0s","max":"0s"}`, string(b2))
	var oddBack quota.Durations
	require.NoError(t, json.Unmarshal(b2, &oddBack))
	assert.Equal(t, odd, oddBack)
	back = d

	err = back.UnmarshalJSON([]byte(`{"count":1,"mean":"1h","max":"a while"}`))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `invalid durations.max: want a duration such as "24h", got "a while"`)
	assert.Equal(t, d, back, "a failed decoding changes nothing")
	require.NoError(t, json.Unmarshal([]byte(`null`), &back))
	assert.Equal(t, d, back, "null changes nothing")
	assert.ErrorIs(t, (*quota.Durations)(nil).UnmarshalJSON(b), sp.ErrInvalid)
}

// The JSON form of a VelocityGroup has Cycle as text, in its place before
// per_day, and reads back; an integer of nanoseconds reads too.
func TestVelocityGroupJSONAsText(t *testing.T) {
	g := quota.VelocityGroup{Key: quota.Key{Rep: "ann"}, Open: 3, Won: 2, Lost: 1, WonAmount: money(t, "2000.00 EUR"),
		Cycle: 36 * time.Hour, PerDay: money(t, "888.89 EUR")}
	b, err := json.Marshal(g)
	require.NoError(t, err)
	assert.Equal(t, `{"key":{"rep":"ann"},"open":3,"won":2,"lost":1,"won_amount":{"amount":"2000.00","currency":"EUR"},`+
		`"cycle":"36h0m0s","per_day":{"amount":"888.89","currency":"EUR"}}`, string(b))
	var back quota.VelocityGroup
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, string(b), mustJSON(t, back))
	assert.Equal(t, g.Cycle, back.Cycle)
	assert.True(t, g.PerDay.Equal(back.PerDay))

	back = quota.VelocityGroup{}
	require.NoError(t, json.Unmarshal([]byte(`{"key":{"rep":"ann"},"open":3,"won":2,"lost":1,"won_amount":{"amount":"2000.00","currency":"EUR"},`+
		`"cycle":129600000000000,"per_day":{"amount":"888.89","currency":"EUR"}}`), &back))
	assert.Equal(t, string(b), mustJSON(t, back))

	prior := back
	err = back.UnmarshalJSON([]byte(`{"open":1,"cycle":"36 hours"}`))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `invalid velocity_group.cycle: want a duration such as "24h", got "36 hours"`)
	assert.Equal(t, mustJSON(t, prior), mustJSON(t, back), "a failed decoding changes nothing")
	assert.ErrorIs(t, (*quota.VelocityGroup)(nil).UnmarshalJSON(b), sp.ErrInvalid)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// A duration report's total is the summary of every group's durations,
// whether several groups hold durations, one does (the others only
// pending), or there is no grouping; each group's is the summary of its own.
func TestDurationReportTotals(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	r := rand.New(rand.NewPCG(11, 29))
	for _, answered := range []int{0, 1, 3} { // how many of the reps answer
		var ins []pipeline.Inquiry
		byRep := map[sp.RepID][]time.Duration{}
		var all []time.Duration
		for i := range 60 {
			rep := sp.RepID(fmt.Sprintf("r%d", i%4))
			in := pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i%d", i)), Owner: rep, Received: nov(2), Stage: pipeline.InquiryNew}
			if i%4 < answered {
				d := time.Duration(r.Int64N(int64(48 * time.Hour)))
				in.Stage = pipeline.InquiryContacted
				in.Activities = []pipeline.Activity{{Kind: pipeline.ActivityCall, Done: in.Received.Add(d)}}
				byRep[rep] = append(byRep[rep], d)
				all = append(all, d)
			}
			ins = append(ins, in)
		}
		for _, by := range []quota.Grouping{{}, {Rep: true}} {
			rep, err := quota.FirstResponse(quota.Refs(ins), month, month.End(), by, nil)
			require.NoError(t, err)
			assert.Equal(t, quota.Summarize(slices.Values(all)), rep.Total.Durations, "%d answering, by %+v", answered, by)
			assert.Equal(t, int64(len(ins)-len(all)), rep.Total.Pending)
			if by.Rep {
				require.Len(t, rep.Groups, 4)
				for _, g := range rep.Groups {
					assert.Equal(t, quota.Summarize(slices.Values(byRep[g.Key.Rep])), g.Durations, "%s", g.Key)
				}
			}
		}
	}
}
func TestCycleInquiriesReceivedAfterAsOf(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	asOf := time.Date(2026, time.November, 10, 0, 0, 0, 0, time.UTC)
	at := func(d, h int) time.Time { return time.Date(2026, time.November, d, h, 0, 0, 0, time.UTC) }
	ins := []pipeline.Inquiry{
		{ID: "i1", Owner: "a", Received: at(2, 9), Activities: []pipeline.Activity{{ID: "c1", Kind: pipeline.ActivityCall, Done: at(2, 10)}}},
		{ID: "i2", Owner: "a", Received: at(20, 9), Activities: []pipeline.Activity{{ID: "c2", Kind: pipeline.ActivityCall, Done: at(20, 10)}}},
	}
	first, err := quota.FirstResponse(quota.Refs(ins), nov, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), first.Total.Durations.Count)
	assert.Equal(t, int64(1), first.Total.Pending, "i2, received after asOf")
	convert, err := quota.TimeToConvert(quota.Refs(ins), quota.Refs([]pipeline.Deal{}), nov, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), convert.Total.Pending)

	toAsOf, err := sp.NewPeriod(nov.Start(), asOf)
	require.NoError(t, err)
	first, err = quota.FirstResponse(quota.Refs(ins), toAsOf, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(0), first.Total.Pending)
	convert, err = quota.TimeToConvert(quota.Refs(ins), quota.Refs([]pipeline.Deal{}), toAsOf, asOf, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), convert.Total.Pending)
}
