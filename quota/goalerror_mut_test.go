package quota_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
)

// Only a currency mismatch names the goal: a deal without an amount, or
// with a negative one, is the deal's fault alone, and its error names the
// deal and not the goal, whichever way the pass reaches the goal (a rep's
// only goal, under split credit).
func TestAmountErrorsDoNotNameTheGoal(t *testing.T) {
	nov := sp.Month(2026, time.November, time.UTC)
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	deal := func(amount sp.Money) pipeline.Deal {
		d := pipelinetest.NewDeal("d")
		d.Owner = "ann"
		d.Stage = pipeline.DealWon
		d.Closed = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
		d.Amount = amount
		return d
	}
	goal := quota.Goal{Rep: "ann", Period: nov, Revenue: pipelinetest.MustEUR("100")}
	splits := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split {
		return []quota.Split{{Rep: "ann", Percent: dec(t, "60")}, {Rep: "bob", Percent: dec(t, "40")}}
	}}
	for _, tc := range []struct {
		name string
		deal pipeline.Deal
		opts *quota.Options
		want string
	}{
		{"sole_missing", deal(sp.Money{}), nil, `quota: attain: deal "d": invalid deal.amount: missing`},
		{"split_missing", deal(sp.Money{}), splits, `quota: attain: deal "d": invalid deal.amount: missing`},
		{"split_negative", deal(pipelinetest.MustEUR("-5")), splits, `quota: attain: deal "d": invalid deal.amount: -5 is negative`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{tc.deal}), asOf, tc.opts)
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}
