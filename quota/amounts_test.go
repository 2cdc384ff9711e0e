package quota_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// A deal whose amount a calculator sums may not be negative: Attain (on
// each of its paths), Forecast, WeightedPipeline, WinRates and Velocity
// refuse it alike, with an error wrapping ErrInvalid that names the deal
// and its amount.
func TestNegativeAmountsRefused(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	asOf := nov(10)
	goal := quota.Goal{Rep: "a", Period: month, Revenue: money(t, "1000.00 EUR")}
	negOpen := open("o1", "a", "north", money(t, "-5.00 EUR"), "0.5", nov(20))
	negWon := won("w1", "a", "north", money(t, "-5.00 EUR"), nov(5))
	attain := func(goals []quota.Goal, opts *quota.Options) func() error {
		return func() error {
			_, err := quota.Attain(goals, quota.Refs([]pipeline.Deal{negWon}), asOf, opts)
			return err
		}
	}
	second := goal
	second.Product = "p1" // a rep with two goals takes the general path
	company := quota.Goal{Period: month, Revenue: money(t, "1000.00 EUR")}
	region := quota.Goal{Region: "north", Period: month, Revenue: money(t, "1000.00 EUR")}
	split := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split {
		return []quota.Split{{Rep: "a", Percent: decimal.New(60, 0)}, {Rep: "b", Percent: decimal.New(40, 0)}}
	}}
	calls := map[string]func() error{
		"attain/only_goal": attain([]quota.Goal{goal}, nil),
		"attain/two_goals": attain([]quota.Goal{goal, second}, nil),
		"attain/company":   attain([]quota.Goal{company}, nil),
		"attain/region":    attain([]quota.Goal{region}, nil),
		"attain/split":     attain([]quota.Goal{goal}, split),
		"forecast/won": func() error {
			_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{negWon}), asOf, nil)
			return err
		},
		"forecast/open": func() error {
			_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{negOpen}), asOf, nil)
			return err
		},
		"forecast/region_open": func() error {
			_, err := quota.Forecast([]quota.Goal{region}, quota.Refs([]pipeline.Deal{negOpen}), asOf, nil)
			return err
		},
		"weighted_pipeline/open": func() error {
			_, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{negOpen}), sp.Period{}, quota.Grouping{}, nil)
			return err
		},
		"win_rates/won": func() error {
			_, err := quota.WinRates(quota.Refs([]pipeline.Deal{negWon}), month, quota.Grouping{}, nil)
			return err
		},
		"velocity/won": func() error {
			_, err := quota.Velocity(quota.Refs([]pipeline.Deal{negWon}), month, quota.Grouping{}, nil)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			assert.Equal(t, "deal.amount", ve.Field)
			assert.Contains(t, err.Error(), `deal "`)
			assert.Contains(t, err.Error(), "invalid deal.amount: -5 is negative")
			t.Log(err)
		})
	}
}

// A deal without an amount counts as a deal and adds nothing to the sums
// of the calculators that report amounts; only a revenue goal, which
// cannot count it, refuses a won one (see the catalogue).
func TestDealsWithoutAmount(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	deals := []pipeline.Deal{
		won("w1", "a", "north", money(t, "100.00 EUR"), nov(5)),
		won("w2", "a", "north", sp.Money{}, nov(6)),
		open("o1", "a", "north", money(t, "40.00 EUR"), "0.5", nov(20)),
		open("o2", "a", "north", sp.Money{}, "0.5", nov(21)),
	}
	wp, err := quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), wp.Total.Open)
	assert.Equal(t, "40.00 EUR", wp.Total.Amount.String())
	assert.True(t, wp.Total.Weighted.Equal(money(t, "20.00 EUR")), "%v", wp.Total.Weighted)

	wr, err := quota.WinRates(quota.Refs(deals), month, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), wr.Total.Won)
	assert.Equal(t, "100.00 EUR", wr.Total.WonAmount.String())

	v, err := quota.Velocity(quota.Refs(deals), month, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), v.Total.Won)
	assert.Equal(t, "100.00 EUR", v.Total.WonAmount.String())
	// 2 open × (100 / 2 won) × 2/2 won / 10 days: the deal without an
	// amount weighs as a won amount of zero.
	assert.Equal(t, "10.00 EUR", v.Total.PerDay.String())
	// With no won amount at all there is no currency to give a velocity
	// in: PerDay is undefined, the zero Money, though a cycle is known.
	v, err = quota.Velocity(quota.Refs(deals[1:]), month, quota.Grouping{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), v.Total.Won)
	assert.Equal(t, 10*24*time.Hour, v.Total.Cycle)
	assert.True(t, v.Total.WonAmount.IsUnset())
	assert.True(t, v.Total.PerDay.IsUnset(), "%v", v.Total.PerDay)

	goal := quota.Goal{Rep: "a", Period: month, Revenue: money(t, "1000.00 EUR")}
	out, err := quota.Forecast([]quota.Goal{goal}, quota.Refs(deals[2:]), nov(10), nil)
	require.NoError(t, err)
	require.Len(t, out, 1)
	assert.Equal(t, int64(2), out[0].Open)
	assert.Equal(t, "40.00 EUR", out[0].Pipeline.String())
}
