package quota_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// A probability may have up to 40 decimal places, as may an amount, so
// their product may have up to 80: more than Money holds. The weighted
// pipeline and the forecast keep such a product when it is exact within
// 40 places (0.5 written with 40 places), so that their results marshal,
// and refuse one that is not, instead of returning an amount that
// neither marshals nor validates.
func TestWeightedAmountWithinMoneyBounds(t *testing.T) {
	half := "0.5" + strings.Repeat("0", 39)       // 0.5 with 40 places
	long := "0." + strings.Repeat("0", 38) + "11" // 40 significant places
	asOf := time.Date(2026, time.November, 10, 0, 0, 0, 0, time.UTC)
	goal := quota.Goal{Rep: "a", Period: sp.Month(2026, time.November, nil), Revenue: money(t, "100.00 EUR")}

	t.Run("exact_within_40_places", func(t *testing.T) {
		deals := []pipeline.Deal{open("o1", "a", "north", money(t, "12.34 EUR"), half, nov(20))}
		rep, err := quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{}, nil)
		require.NoError(t, err)
		assert.True(t, rep.Total.Weighted.Equal(money(t, "6.17 EUR")), "%v", rep.Total.Weighted)
		assert.NoError(t, rep.Total.Weighted.Validate())
		_, err = json.Marshal(rep)
		assert.NoError(t, err)

		out, err := quota.Forecast([]quota.Goal{goal}, quota.Refs(deals), asOf, nil)
		require.NoError(t, err)
		require.Len(t, out, 1)
		assert.True(t, out[0].Weighted.Money.Equal(money(t, "6.17 EUR")), "%v", out[0].Weighted)
		_, err = json.Marshal(out)
		assert.NoError(t, err)
	})
	t.Run("err_beyond_40_places", func(t *testing.T) {
		deals := []pipeline.Deal{open("o1", "a", "north", money(t, "12.34 EUR"), long, nov(20))}
		_, err := quota.WeightedPipeline(quota.Refs(deals), sp.Period{}, quota.Grouping{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = quota.Forecast([]quota.Goal{goal}, quota.Refs(deals), asOf, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}
