package review_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/review"
)

// The rules document the package doc shows as the shipped one is
// DefaultRules, but for the host rule's settings under "custom" that it
// shows beside them.
func TestPackageDocShowsTheShippedRules(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(src), "The shipped document,")
	require.True(t, ok, "doc.go shows the shipped rules document")
	var doc strings.Builder
	in := false
	for _, line := range strings.Split(rest, "\n") {
		code, isCode := strings.CutPrefix(line, "//\t")
		switch {
		case isCode && code == "{":
			in = true
		case !in:
			continue
		}
		require.True(t, isCode, "the document is one code block: %q", line)
		doc.WriteString(code + "\n")
		if code == "}" {
			break
		}
	}
	shown, err := review.ParseRules([]byte(doc.String()))
	require.NoError(t, err, "the document in doc.go:\n%s", doc.String())
	assert.Contains(t, shown.Custom, "big_deals")
	shown.Custom = nil
	want, err := json.Marshal(review.DefaultRules())
	require.NoError(t, err)
	got, err := json.Marshal(shown)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
}
