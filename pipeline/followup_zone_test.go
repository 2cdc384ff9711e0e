package pipeline_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below on machines without zoneinfo

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
)

// The follow-up policy's limits are elapsed time, not calendar days: where
// clocks change within a limit, the time due reads on the region's clock as
// much earlier or later as the clocks moved.
func TestFollowUpLimitsAreElapsedTimeAcrossDaylightSaving(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		return loc
	}
	berlin, lordHowe := load("Europe/Berlin"), load("Australia/Lord_Howe")
	tests := []struct {
		name     string
		in       pipeline.Inquiry
		policy   pipeline.FollowUpPolicy
		first    bool
		due      time.Time // as the region's clock reads it
		at       time.Time
		wantLate time.Duration
	}{{
		// Berlin turns clocks back from 03:00 to 02:00 on Sunday, October
		// 25, 2026. A call at 10:30 on Friday the 23rd (08:30 UTC) with a
		// next touch within 72 hours is due at 08:30 UTC on Monday the
		// 26th: 09:30 on Berlin's clock, not 10:30. At 09:45 it is 15
		// minutes late.
		name: "berlin_next_touch_over_the_autumn_change",
		in: pipeline.Inquiry{
			ID: "i1", Owner: "rep-ann", Stage: pipeline.InquiryContacted,
			Received: time.Date(2026, time.October, 23, 10, 0, 0, 0, berlin),
			Activities: []pipeline.Activity{{ID: "a1", Kind: pipeline.ActivityCall, Actor: "rep-ann",
				Done: time.Date(2026, time.October, 23, 10, 30, 0, 0, berlin)}},
		},
		policy:   pipeline.FollowUpPolicy{FirstContact: 24 * time.Hour, NextTouch: 72 * time.Hour},
		due:      time.Date(2026, time.October, 26, 9, 30, 0, 0, berlin),
		at:       time.Date(2026, time.October, 26, 9, 45, 0, 0, berlin),
		wantLate: 15 * time.Minute,
	}, {
		// Lord Howe Island turns clocks back half an hour, from 02:00 to
		// 01:30, on Sunday, April 5, 2026 (from +11:00 to +10:30). An
		// inquiry received at noon on the 4th (01:00 UTC) with a first
		// contact within 24 hours is due at 01:00 UTC on the 5th: 11:30
		// on the island's clock. At noon it is half an hour late.
		name: "lord_howe_first_contact_over_a_half_hour_change",
		in: pipeline.Inquiry{
			ID: "i2", Owner: "rep-bo", Stage: pipeline.InquiryNew,
			Received: time.Date(2026, time.April, 4, 12, 0, 0, 0, lordHowe),
		},
		policy:   pipeline.FollowUpPolicy{FirstContact: 24 * time.Hour, NextTouch: 72 * time.Hour},
		first:    true,
		due:      time.Date(2026, time.April, 5, 11, 30, 0, 0, lordHowe),
		at:       time.Date(2026, time.April, 5, 12, 0, 0, 0, lordHowe),
		wantLate: 30 * time.Minute,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, first, ok := tt.policy.Due(tt.in)
			require.True(t, ok)
			assert.Equal(t, tt.first, first)
			assert.True(t, tt.due.Equal(due), "due %s, want %s", due.In(tt.due.Location()), tt.due)
			if tt.first {
				assert.Equal(t, 24*time.Hour, due.Sub(tt.in.Received), "24 hours elapsed")
			} else {
				assert.Equal(t, 72*time.Hour, due.Sub(tt.in.Activities[0].Done), "72 hours elapsed")
			}
			o, late := tt.policy.Check(tt.in, tt.at)
			require.True(t, late)
			assert.Equal(t, tt.first, o.FirstContact)
			assert.True(t, tt.due.Equal(o.Due))
			assert.Equal(t, tt.wantLate, o.Late)
			_, late = tt.policy.Check(tt.in, tt.due)
			assert.False(t, late, "not late at the time due")
		})
	}
}

// Time in a stage is elapsed time: from noon to noon a week later across
// the night Berlin springs forward (March 29, 2026) is 167 hours, and
// across the night it turns back (October 25, 2026) 169.
func TestTimeInStagesIsElapsedTimeAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	noon := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, berlin) }
	history := []pipeline.Transition[pipeline.DealStage]{
		{To: pipeline.DealProspecting, At: noon(time.March, 28)},
		{From: pipeline.DealProspecting, To: pipeline.DealQualification, At: noon(time.April, 4)},
		{From: pipeline.DealQualification, To: pipeline.DealProposal, At: noon(time.October, 22)},
	}
	got := pipeline.TimeInStages(history, noon(time.October, 29))
	assert.Equal(t, 167*time.Hour, got[pipeline.DealProspecting])
	assert.Equal(t, 169*time.Hour, got[pipeline.DealProposal])
}
