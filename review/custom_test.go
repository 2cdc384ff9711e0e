package review_test

import (
	"context"
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

// The review resolves a host rule's findings on copies of their evidence
// and actions: a rule that returns the same slices every time gets the
// same report every time, its slices stay as it made them, and a change
// to one report does not reach the next.
func TestHostRuleSlicesCopied(t *testing.T) {
	ev := []review.Evidence{{Name: "deals", Value: "3"}}
	acts := []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget}}
	rule := review.NewRule("shared", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "shared",
			Evidence: ev, Actions: acts}}, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Rules: []review.Rule{rule}})
	require.NoError(t, err)
	run := func() review.Finding {
		rep, err := r.Review(context.Background(), review.Input{Period: november})
		require.NoError(t, err)
		f, ok := findings(rep, review.RepSubject("ann"))["shared"]
		require.True(t, ok)
		return f
	}
	first := run()
	require.Len(t, first.Actions, 1)
	assert.Contains(t, first.Actions[0].Note, "no training module is known for product widget")
	first.Evidence[0].Value = "changed"
	second := run()
	assert.Equal(t, "3", second.Evidence[0].Value)
	assert.Equal(t, first.Actions, second.Actions)
	assert.Equal(t, []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget}}, acts)
	assert.Equal(t, []review.Evidence{{Name: "deals", Value: "3"}}, ev)
}

// Only the key "enabled", spelt so, switches a host rule off or is
// checked: a setting of another case ("Enabled", "ENABLED") is the
// rule's own, as [review.Snapshot.Settings] hands it over.
func TestCustomEnabledIsExactKey(t *testing.T) {
	ran := false
	rule := review.NewRule("big", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		ran = true
		return nil, nil
	})
	for _, settings := range []string{`{"Enabled": false}`, `{"ENABLED": false}`, `{"enabled": true, "Enabled": false}`, `{"Enabled": "no"}`} {
		t.Run(settings, func(t *testing.T) {
			rules := review.DefaultRules()
			rules.Custom = map[string]json.RawMessage{"big": json.RawMessage(settings)}
			require.NoError(t, rules.Validate())
			r, err := review.New(rules, &review.Options{Clock: reviewClock(), Rules: []review.Rule{rule}})
			require.NoError(t, err)
			ran = false
			_, err = r.Review(context.Background(), review.Input{Period: november})
			require.NoError(t, err)
			assert.True(t, ran, "the rule did not run")
		})
	}
}
