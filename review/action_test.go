package review_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A proposed target in another currency than the goal's is an invalid
// proposal and a currency mismatch, and says both currencies; one in the
// other metric says the goal's.
func TestActionProposedInAnotherCurrencyOrMetric(t *testing.T) {
	goal := quota.Goal{Rep: "ann", Period: november, Revenue: mustMoney("1000.00 EUR")}
	usd := quota.Amount{Money: mustMoney("5.00 USD")}
	err := review.Action{Kind: review.ActionAdjustGoal, Goal: &goal, Proposed: &usd}.Validate()
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	assert.EqualError(t, err, "invalid action.proposed: 5.00 USD, where the goal is in EUR: salesprocess: currency mismatch")

	count := quota.Amount{Deals: decimal.New(3, 0)}
	err = review.Action{Kind: review.ActionAdjustGoal, Goal: &goal, Proposed: &count}.Validate()
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.NotErrorIs(t, err, sp.ErrCurrencyMismatch)
	assert.EqualError(t, err, "invalid action.proposed: 3 deals is not in the goal's metric, revenue")
}
