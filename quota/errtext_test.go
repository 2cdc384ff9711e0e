package quota_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
)

// TestErrorsQuoteDealIDsShort checks that an error naming a deal quotes
// its ID as the package quotes a caller's values, cut to 40 bytes:
// quota takes records as they read, so an ID may be of any length and
// hold any bytes, and the message stays short and on one line.
func TestErrorsQuoteDealIDsShort(t *testing.T) {
	const evil = "d\n[ERROR] forged\x1b[2J"
	id := sp.DealID(evil + strings.Repeat("k", 100_000))
	nov := sp.Month(2026, time.November, time.UTC)
	asOf := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	won := pipelinetest.NewDeal(id)
	won.Owner = "ann"
	won.Stage = pipeline.DealWon
	won.Closed = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	won.Amount = pipelinetest.MustEUR("-5")
	open := pipelinetest.NewDeal(id)
	open.Owner = "ann"
	open.Amount = pipelinetest.MustEUR("-5")
	open.ExpectedClose = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	goal := quota.Goal{Rep: "ann", Period: nov, Revenue: pipelinetest.MustEUR("100")}
	badSplits := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split { return []quota.Split{{Rep: "ann"}} }}
	wonAmount := won
	wonAmount.Amount = pipelinetest.MustEUR("10")

	for name, call := range map[string]func() error{
		"attain": func() error {
			_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{won}), asOf, nil)
			return err
		},
		"attain_splits": func() error {
			_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{wonAmount}), asOf, badSplits)
			return err
		},
		"forecast": func() error {
			_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{open}), asOf, nil)
			return err
		},
		"weighted_pipeline": func() error {
			_, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{open}), nov, quota.Grouping{}, nil)
			return err
		},
		"win_rates": func() error {
			_, err := quota.WinRates(quota.Refs([]pipeline.Deal{won}), nov, quota.Grouping{}, nil)
			return err
		},
		"velocity": func() error {
			_, err := quota.Velocity(quota.Refs([]pipeline.Deal{won}), nov, quota.Grouping{}, nil)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, sp.ErrInvalid)
			msg := err.Error()
			assert.Less(t, len(msg), 300, msg)
			assert.False(t, strings.ContainsFunc(msg, func(r rune) bool { return r < ' ' }), "%q", msg)
			assert.Contains(t, msg, `deal "d\n[ERROR] forged\x1b[2J`)
			assert.Equal(t, 1, strings.Count(msg, "quota: "), "%q", msg)
		})
	}
}

// TestStagesErrorCountsInGoodGrammar pins the text of a funnel order of the
// wrong length: "1 stage", not "1 stages".
func TestStagesErrorCountsInGoodGrammar(t *testing.T) {
	nov := sp.Month(2026, time.November, time.UTC)
	for _, tc := range []struct {
		stages []pipeline.DealStage
		want   string
	}{
		{[]pipeline.DealStage{}, "quota: funnel: invalid options.stages: 0 stages; want 2 to 64"},
		{[]pipeline.DealStage{pipeline.DealWon}, "quota: funnel: invalid options.stages: 1 stage; want 2 to 64"},
	} {
		_, err := quota.Funnel(nil, nov, quota.Grouping{}, &quota.Options{Stages: tc.stages})
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Equal(t, tc.want, err.Error())
	}
}

// InquiriesNeeded names the average won amount in another currency by the
// name its other errors give it, "average_won".
func TestInquiriesNeededNamesAverageWonAlike(t *testing.T) {
	_, err := quota.InquiriesNeeded(quota.Amount{Money: pipelinetest.MustEUR("100")}, quota.Rate{Num: 1, Den: 2}, money(t, "5.00 USD"), 0.95)
	require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	assert.EqualError(t, err, `quota: inquiries needed: average_won: "EUR" and "USD": salesprocess: currency mismatch`)
	_, err = quota.InquiriesNeeded(quota.Amount{Money: pipelinetest.MustEUR("100")}, quota.Rate{Num: 1, Den: 2}, money(t, "0.00 EUR"), 0.95)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `quota: inquiries needed: invalid average_won: 0.00 EUR is not positive`)
}

// InquiriesNeeded, given a conversion of more won deals than inquiries,
// says which conversion it takes: a cohort's, not a period's, which may
// exceed 1. A negative count, which no conversion report gives, gets no
// such advice.
func TestInquiriesNeededSaysWhichConversion(t *testing.T) {
	gap := quota.Amount{Money: pipelinetest.MustEUR("100")}
	for _, tc := range []struct {
		rate quota.Rate
		want string
	}{
		{quota.Rate{Num: 6, Den: 5}, `quota: inquiries needed: invalid rate: 6/5 is not a proportion ` +
			`(want 0 ≤ num ≤ den: a cohort's conversion, not a period's, which may exceed 1)`},
		{quota.Rate{Num: 4, Den: 0}, `quota: inquiries needed: invalid rate: 4/0 is not a proportion ` +
			`(want 0 ≤ num ≤ den: a cohort's conversion, not a period's, which may exceed 1)`},
		{quota.Rate{Num: -1, Den: 5}, `quota: inquiries needed: invalid rate: -1/5 is not a proportion (want 0 ≤ num ≤ den)`},
		{quota.Rate{Num: 1, Den: -5}, `quota: inquiries needed: invalid rate: 1/-5 is not a proportion (want 0 ≤ num ≤ den)`},
	} {
		_, err := quota.InquiriesNeeded(gap, tc.rate, money(t, "5.00 EUR"), 0.95)
		require.ErrorIs(t, err, sp.ErrInvalid, tc.rate)
		assert.EqualError(t, err, tc.want)
	}
}

// An error quotes a deal's ID whole up to 40 bytes; a longer one is cut
// to 40 bytes, back to the start of a character, with "..." after it.
func TestErrorsCutDealIDsAt40Bytes(t *testing.T) {
	nov := sp.Month(2026, time.November, time.UTC)
	asOf := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	goal := quota.Goal{Rep: "ann", Period: nov, Revenue: pipelinetest.MustEUR("100")}
	k39, k40 := strings.Repeat("k", 39), strings.Repeat("k", 40)
	for _, tc := range []struct{ id, want string }{
		{k40, `deal "` + k40 + `": `},
		{k40 + "k", `deal "` + k40 + `"...: `},
		{k39 + "é", `deal "` + k39 + `"...: `}, // é is bytes 40 and 41
	} {
		d := pipelinetest.NewDeal(sp.DealID(tc.id))
		d.Owner = "ann"
		d.Stage = pipeline.DealWon
		d.Closed = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
		d.Amount = pipelinetest.MustEUR("-5")
		_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{d}), asOf, nil)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), tc.want)
	}
}

// A deal in another currency than a revenue goal it counts for is an
// error that names the goal, by its index, subject and period, as well as
// the deal, whichever way the pass reaches the goal: a rep's only goal, a
// rep's several, a region's and the company's, under split credit, and in
// the forecast a booked or an open deal.
func TestCurrencyMismatchNamesTheGoal(t *testing.T) {
	lisbon := location(t, "Europe/Lisbon")
	nov := sp.Month(2026, time.November, lisbon)
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, lisbon)
	won := pipelinetest.NewDeal("d")
	won.Owner, won.Region, won.Product = "ann", "south", "widget"
	won.Stage = pipeline.DealWon
	won.Closed = time.Date(2026, 11, 10, 0, 0, 0, 0, lisbon)
	won.Amount = pipelinetest.MustEUR("10")
	open := won
	open.Stage, open.Closed = pipeline.DealProposal, time.Time{}
	open.ExpectedClose = time.Date(2026, 11, 20, 0, 0, 0, 0, lisbon)
	usd := money(t, "100.00 USD")
	rep := quota.Goal{Rep: "ann", Region: "south", Period: nov, Revenue: usd}
	eur := quota.Goal{Rep: "ann", Period: nov, Revenue: money(t, "100.00 EUR")}
	region := quota.Goal{Region: "south", Product: "widget", Period: nov, Revenue: usd}
	company := quota.Goal{Period: nov, Revenue: usd}
	splits := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split {
		return []quota.Split{{Rep: "ann", Percent: dec(t, "60")}, {Rep: "bob", Percent: dec(t, "40")}}
	}}
	const mismatch = `: deal "d": add "USD" and "EUR": salesprocess: currency mismatch`
	for _, tc := range []struct {
		name     string
		goals    []quota.Goal
		forecast bool
		deal     pipeline.Deal
		opts     *quota.Options
		want     string
	}{
		{"rep_sole", []quota.Goal{rep}, false, won, nil, `quota: attain: goals[0] (rep "ann", 2026-11[Europe/Lisbon])`},
		{"rep_several", []quota.Goal{eur, rep}, false, won, nil, `quota: attain: goals[1] (rep "ann", 2026-11[Europe/Lisbon])`},
		{"region", []quota.Goal{eur, region}, false, won, nil, `quota: attain: goals[1] (region "south", product "widget", 2026-11[Europe/Lisbon])`},
		{"company", []quota.Goal{eur, company}, false, won, nil, `quota: attain: goals[1] (company, 2026-11[Europe/Lisbon])`},
		{"split", []quota.Goal{rep}, false, won, splits, `quota: attain: goals[0] (rep "ann", 2026-11[Europe/Lisbon])`},
		{"forecast_booked", []quota.Goal{eur, rep}, true, won, nil, `quota: forecast: goals[1] (rep "ann", 2026-11[Europe/Lisbon])`},
		{"forecast_open", []quota.Goal{eur, rep}, true, open, nil, `quota: forecast: goals[1] (rep "ann", 2026-11[Europe/Lisbon])`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deals := quota.Refs([]pipeline.Deal{tc.deal})
			var err error
			if tc.forecast {
				_, err = quota.Forecast(tc.goals, deals, asOf, tc.opts)
			} else {
				_, err = quota.Attain(tc.goals, deals, asOf, tc.opts)
			}
			require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
			assert.EqualError(t, err, tc.want+mismatch)
		})
	}
}

// RollUp names the goal in another currency than the goals before it by
// its index, subject and period, as Attain and Forecast name a goal.
func TestRollUpCurrencyMismatchNamesTheGoal(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{
		{Rep: "ann", Region: "north", Period: nov, Revenue: money(t, "100.00 EUR")},
		{Region: "north", Period: nov, Revenue: money(t, "100.00 USD")},
	}
	_, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values(goals))
	require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	assert.EqualError(t, err, `quota: roll up: goals[1] (region "north", 2026-11): add "EUR" and "USD": salesprocess: currency mismatch`)
}
