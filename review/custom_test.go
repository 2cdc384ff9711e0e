package review_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
)

// With several bad entries in the document's custom section, New and
// Validate name the same one every time (the first by name), not one
// chosen by map order.
func TestCustomErrorsDeterministic(t *testing.T) {
	rules := review.DefaultRules()
	rules.Custom = map[string]json.RawMessage{}
	for _, name := range []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"} {
		rules.Custom[name] = json.RawMessage(`{}`)
	}
	_, err := review.New(rules, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	for range 50 {
		_, again := review.New(rules, nil)
		assert.Equal(t, err.Error(), again.Error())
	}
	assert.Contains(t, err.Error(), "custom.alpha")

	for _, name := range []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo"} {
		rules.Custom[name] = json.RawMessage(`{}`)
	}
	err = rules.Validate()
	require.ErrorIs(t, err, sp.ErrInvalid)
	for range 50 {
		assert.Equal(t, err.Error(), rules.Validate().Error())
	}
	assert.Contains(t, err.Error(), "Alpha")
}
