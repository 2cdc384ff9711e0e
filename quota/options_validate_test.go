package quota_test

import (
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// Options.Validate refuses what every calculator refuses before it reads
// a record, naming the field, and takes the zero and nil Options.
func TestOptionsValidate(t *testing.T) {
	var none *quota.Options
	require.NoError(t, none.Validate())
	require.NoError(t, (&quota.Options{}).Validate())
	require.NoError(t, (&quota.Options{Confidence: 0.9, Places: 6, Stages: []pipeline.DealStage{"a", "b"}}).Validate())
	for field, o := range map[string]quota.Options{
		"options.stages":         {Stages: []pipeline.DealStage{"a"}},
		"options.stages[1]":      {Stages: []pipeline.DealStage{"a", "a"}},
		"options.confidence":     {Confidence: 1},
		"options.prior_strength": {PriorStrength: math.Inf(1)},
		"options.places":         {Places: 19},
		"options.thresholds":     {Thresholds: quota.Thresholds{OnPace: decimal.New(5, -1), Behind: decimal.New(9, -1)}},
	} {
		err := o.Validate()
		require.ErrorIs(t, err, sp.ErrInvalid, field)
		var ve *sp.ValidationError
		require.True(t, errors.As(err, &ve), field)
		assert.Contains(t, ve.Field, field, field)
		// As a calculator refuses them.
		_, ferr := quota.Forecast(nil, nil, nov(15), &o)
		assert.ErrorIs(t, ferr, sp.ErrInvalid, field)
	}
}
