package quota_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// TestGoalValidateAllocatesNothing pins the cost of checking a valid goal,
// which every calculation does for each goal: the period's text is written
// only for an error, and the IDs are checked without boxing them.
func TestGoalValidateAllocatesNothing(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	for name, g := range map[string]quota.Goal{
		"rep_revenue_utc": {Rep: "ann", Region: "north", Product: "widget",
			Period: sp.Month(2026, time.November, nil), Revenue: cents(100_000)},
		"company_deals_berlin": {Period: sp.Quarter(2026, 4, berlin), Deals: 3},
		// A custom period of two days or more: a shorter one is measured
		// by Coverage, which allocates, to find whether daylight saving
		// folds it to nothing.
		"custom_period": {Region: "north", Period: mustPeriod(t,
			time.Date(2026, 11, 3, 12, 0, 0, 0, berlin), time.Date(2026, 11, 17, 12, 0, 0, 0, berlin)), Deals: 1},
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, g.Validate())
			assert.Zero(t, testing.AllocsPerRun(100, func() { _ = g.Validate() }))
		})
	}
}

func mustPeriod(tb testing.TB, start, end time.Time) sp.Period {
	tb.Helper()
	p, err := sp.NewPeriod(start, end)
	require.NoError(tb, err)
	return p
}

// TestValidationErrorTexts pins the whole text of the errors of the
// package's validators whose field or reason is written only when they
// refuse: writing them lazily must not change a byte.
func TestValidationErrorTexts(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	nov := sp.Month(2026, time.November, nil)
	far := sp.Month(10000, time.January, nil)
	local := sp.Month(2026, time.November, machineLocal)
	unnamed := sp.Month(2026, time.November, time.FixedZone("XYZ", 3600))
	// 02:30 summer time to 02:30 winter time on the night clocks go back.
	folded := mustPeriod(t, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC).In(berlin),
		time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC).In(berlin))
	goal := quota.Goal{Rep: "ann", Period: nov, Revenue: cents(100_000)}
	half := mustPeriod(t, nov.Start(), nov.Start().Add(15*24*time.Hour))
	beyond := mustPeriod(t, nov.Start(), nov.End().Add(time.Hour))
	ramp := quota.Ramp{Rep: "ann", Start: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), Monthly: cents(100_000)}
	withPeriod := func(p sp.Period) error { g := goal; g.Period = p; return g.Validate() }
	prorate := func(parts ...sp.Period) error { _, err := quota.Prorate(goal, parts...); return err }
	rampErr := func(edit func(*quota.Ramp)) error { r := ramp; edit(&r); _, err := r.Goals(3); return err }
	stages := func(s ...pipeline.DealStage) error {
		_, err := quota.Attain([]quota.Goal{goal}, nil, nov.End(), &quota.Options{Stages: s})
		return err
	}
	need := func(gap quota.Amount) error {
		_, err := quota.InquiriesNeeded(gap, quota.Rate{Num: 1, Den: 2}, sp.Money{}, 0.9)
		return err
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"goal_zero_period", withPeriod(sp.Period{}), "invalid goal.period: missing"},
		{"goal_far_period", withPeriod(far), "invalid goal.period: outside the years 1 to 9999"},
		{"goal_local_period", withPeriod(local), `invalid goal.period: the machine's local time zone "Local"; use an IANA name such as "Europe/Berlin"`},
		{"goal_unnamed_zone", withPeriod(unnamed), `invalid goal.period: a fixed zone "XYZ" at offset +01:00 that is not the IANA time zone of that name`},
		{"goal_folded_period", withPeriod(folded), "invalid goal.period: 2026-10-25T02:30:00+02:00/2026-10-25T02:30:00+01:00[Europe/Berlin] lasts no wall-clock time: daylight saving folds it"},
		{"prorate_zero_part", prorate(half, sp.Period{}), "quota: prorate: invalid parts[1]: missing"},
		{"prorate_far_part", prorate(far), "quota: prorate: invalid parts[0]: outside the years 1 to 9999"},
		{"prorate_folded_part", prorate(folded), "quota: prorate: invalid parts[0]: 2026-10-25T02:30:00+02:00/2026-10-25T02:30:00+01:00[Europe/Berlin] lasts no wall-clock time: daylight saving folds it"},
		{"prorate_part_beyond", prorate(half, beyond), "quota: prorate: invalid parts[1]: 2026-11-01/2026-12-01T01:00:00Z reaches outside 2026-11"},
		{"prorate_part_overlaps", prorate(nov, half), "quota: prorate: invalid parts[1]: 2026-11-01/2026-11-16 overlaps parts[0] 2026-11"},
		{"ramp_local", rampErr(func(r *quota.Ramp) { r.Location = machineLocal }), `quota: ramp: invalid ramp.location: the machine's local time zone "Local"; use an IANA name such as "Europe/Berlin"`},
		{"ramp_step_above_one", rampErr(func(r *quota.Ramp) { r.Steps = []decimal.Decimal{decimal.New(5, -1), decimal.New(11, -1)} }), "quota: ramp: invalid ramp.steps[1]: 1.1 outside 0 to 1"},
		{"ramp_step_absurd", rampErr(func(r *quota.Ramp) { r.Steps = []decimal.Decimal{decimal.New(1, -1000)} }), "quota: ramp: invalid ramp.steps[0]: 1e-1000 has more than 40 digits after the point"},
		{"stage_repeated", stages("a", "b", "a"), `quota: attain: invalid options.stages[2]: "a" repeated`},
		{"stage_malformed", stages("a", "B c"), `quota: attain: invalid options.stages[1]: stage key "B c" does not start with a lower-case letter`},
		{"gap_deals_absurd", need(quota.Amount{Deals: decimal.New(1, 1000)}), "quota: inquiries needed: invalid gap.deals: 1e1000 has more than 40 digits before the point"},
		{"gap_deals_beside_money", need(quota.Amount{Money: cents(5), Deals: decimal.New(1, 0)}), "quota: inquiries needed: invalid gap.deals: a count besides money"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.ErrorIs(t, c.err, sp.ErrInvalid)
			assert.Equal(t, c.want, c.err.Error())
		})
	}
}
