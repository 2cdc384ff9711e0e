package quota_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// A deal whose amount a calculator sums may not be negative: Forecast,
// WeightedPipeline and Velocity refuse it alike, with an error wrapping
// ErrInvalid that names the deal and its amount.
func TestNegativeAmountsRefused(t *testing.T) {
	month := sp.Month(2026, time.November, nil)
	asOf := nov(10)
	goal := quota.Goal{Rep: "a", Period: month, Revenue: money(t, "1000.00 EUR")}
	negOpen := open("o1", "a", "north", money(t, "-5.00 EUR"), "0.5", nov(20))
	negWon := won("w1", "a", "north", money(t, "-5.00 EUR"), nov(5))
	calls := map[string]func() error{
		"forecast/open": func() error {
			_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{negOpen}), asOf, nil)
			return err
		},
		"weighted_pipeline/open": func() error {
			_, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{negOpen}), sp.Period{}, quota.Grouping{}, nil)
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
