package training_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// Onboarding.Goal is the goal of a whole month: package quota, which turns
// an onboarding into goals, prorates the month of Start when the rep starts
// after its first day, counting the days in the region's time zone. In
// Lisbon, October 31, 2027 is 25 hours long: it is one day of 31 all the
// same.
func TestOnboardingGoalIsForAWholeMonth(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	require.NoError(t, err)
	goal, err := salesprocess.ParseMoney("3100.00 EUR")
	require.NoError(t, err)
	ramp := []decimal.Decimal{dec("0.5"), dec("0.75")}
	for _, tc := range []struct {
		name  string
		start time.Time
		first string // quota's goal for the month of Start
	}{
		{"first_day", time.Date(2027, 10, 1, 9, 0, 0, 0, lisbon), "1550.00 EUR"},
		{"last_day_of_25_hours", time.Date(2027, 10, 31, 9, 0, 0, 0, lisbon), "50.00 EUR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := training.Onboarding{Rep: "r1", Region: "lisbon", Start: tc.start, MonthlyGoal: goal, Ramp: ramp}
			require.NoError(t, o.Validate())
			goals, err := quota.Ramp{Rep: o.Rep, Region: o.Region, Start: o.Start, Monthly: o.MonthlyGoal, Steps: o.Ramp, Location: lisbon}.Goals(3)
			require.NoError(t, err)
			require.Len(t, goals, 3)
			assert.Equal(t, "1550.00 EUR", o.Goal(0).Round(salesprocess.HalfUp).String(), "Goal(0) is for the whole month")
			assert.Equal(t, tc.first, goals[0].Revenue.String())
			for i := 1; i < 3; i++ {
				assert.Equal(t, o.Goal(i).Round(salesprocess.HalfUp).String(), goals[i].Revenue.String(), "month %d", i)
			}
		})
	}
}

// Start is an instant: Onboard wants a certificate valid at it, so a start
// at midnight comes before a certificate issued at 09:00 that day, and
// JSON takes an RFC 3339 time, not a date alone, which an onboarding has
// no zone to place in.
func TestOnboardingStartIsAnInstant(t *testing.T) {
	e := newEnv(t)
	midnight := time.Date(t0.Year(), t0.Month(), t0.Day(), 0, 0, 0, 0, time.UTC)
	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"), Issued: t0, Expires: t0.AddDate(1, 0, 0)}))
	goal, err := salesprocess.ParseMoney("1000.00 EUR")
	require.NoError(t, err)
	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "north", Start: midnight, MonthlyGoal: goal})
	var nre *training.NotReadyError
	require.ErrorAs(t, err, &nre)
	assert.True(t, nre.Has(training.ReasonNotYetValid), err)
	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "north", Start: t0, MonthlyGoal: goal})
	require.NoError(t, err)

	var o training.Onboarding
	err = o.UnmarshalJSON([]byte(`{"rep":"r1","region":"north","start":"2026-03-02","monthly_goal":{"amount":"1000.00","currency":"EUR"}}`))
	var ve *salesprocess.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "onboarding.start", ve.Field)
}
