package review_test

import (
	"bytes"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/review"
)

// The tables name the confidence of the Wilson intervals they show, which
// is the analysis' and not always 95 %.
func TestRenderIntervalConfidence(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.sell("ann", north, widget, 3, 2, pipeline.LossPrice)
	rules := review.DefaultRules()
	rules.Analysis.Confidence = decimal.RequireFromString("0.9")
	rep := w.review(rules, nil)
	require.NotNil(t, rep.Snapshot.Team.WinRate.Wilson)
	for name, render := range map[string]func(*bytes.Buffer) error{
		"markdown": func(b *bytes.Buffer) error { return rep.Markdown(b) },
		"text":     func(b *bytes.Buffer) error { return rep.Text(b) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, render(&b))
			assert.Contains(t, b.String(), "90 % CI")
			assert.NotContains(t, b.String(), "95 % CI")
		})
	}
}
