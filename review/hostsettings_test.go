package review_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/review"
)

// hostDecimalSettings sets the package variables of shopspring/decimal
// for the rest of t as a host program may set them: decimals marshaled as
// JSON numbers, and Div rounding to one place. A test that calls it must
// not run in parallel with others.
func hostDecimalSettings(t *testing.T) {
	t.Helper()
	quotes, precision := decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision
	decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision = true, 1
	t.Cleanup(func() { decimal.MarshalJSONWithoutQuotes, decimal.DivisionPrecision = quotes, precision })
}

// TestGoldenReportWhateverHostDecimalSettings checks that a host that has
// set shopspring/decimal's variables gets the golden report, in JSON,
// Markdown and text, and the same events: the confidences adjusted for
// many comparisons are divided to as many places as by default, and every
// decimal is a string, so that the report reads again (its rules require
// the strings).
func TestGoldenReportWhateverHostDecimalSettings(t *testing.T) {
	_, events := goldenReport(t)
	hostDecimalSettings(t)
	rep, hostEvents := goldenReport(t)
	var js, md, txt bytes.Buffer
	require.NoError(t, rep.WriteJSON(&js))
	require.NoError(t, rep.Markdown(&md))
	require.NoError(t, rep.Text(&txt))
	for name, got := range map[string][]byte{"report.json": js.Bytes(), "report.md": md.Bytes(), "report.txt": txt.Bytes()} {
		want, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), name)
	}
	back, err := review.ParseReport(js.Bytes())
	require.NoError(t, err)
	var again bytes.Buffer
	require.NoError(t, back.WriteJSON(&again))
	assert.Equal(t, js.String(), again.String())
	assert.Equal(t, events.Events(), hostEvents.Events())
}
