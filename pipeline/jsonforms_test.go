package pipeline_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/pipeline"
)

// TestZeroTimesLeftOut checks the JSON forms of the records and command
// inputs that hold a time that may be zero: the zero time is left out,
// the member coming last when set; the form an earlier version wrote, the
// zero time written out, decodes to the same value; and each form
// round-trips to the same bytes.
func TestZeroTimesLeftOut(t *testing.T) {
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	zero := `"0001-01-01T00:00:00Z"`
	for name, tc := range map[string]struct {
		v      any
		golden string
		legacy string // the same value as earlier versions wrote it
		target func() any
	}{
		"activity_planned": {
			v:      pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Actor: "r1", Due: at},
			golden: `{"id":"a1","kind":"call","actor":"r1","due":"2026-11-03T09:30:00Z"}`,
			legacy: `{"id":"a1","kind":"call","actor":"r1","due":"2026-11-03T09:30:00Z","done":` + zero + `}`,
			target: func() any { return new(pipeline.Activity) },
		},
		"activity_logged": {
			v:      pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Actor: "r1", Done: at, Notes: "n"},
			golden: `{"id":"a1","kind":"call","actor":"r1","notes":"n","done":"2026-11-03T09:30:00Z"}`,
			legacy: `{"id":"a1","kind":"call","actor":"r1","due":` + zero + `,"done":"2026-11-03T09:30:00Z","notes":"n"}`,
			target: func() any { return new(pipeline.Activity) },
		},
		"completion_zero": {
			v:      pipeline.ActivityCompletion{Outcome: "ok"},
			golden: `{"outcome":"ok"}`,
			legacy: `{"done":` + zero + `,"outcome":"ok"}`,
			target: func() any { return new(pipeline.ActivityCompletion) },
		},
		"terms_zero": {
			v:      pipeline.Terms{Amount: eur("10")},
			golden: `{"amount":{"amount":"10.00","currency":"EUR"}}`,
			legacy: `{"amount":{"amount":"10.00","currency":"EUR"},"expected_close":` + zero + `}`,
			target: func() any { return new(pipeline.Terms) },
		},
		"deal_open": {
			v: pipeline.Deal{ID: "d1", Owner: "r1", Region: "north", Customer: "c1", Product: "p1",
				Amount: eur("10"), Created: at, Stage: pipeline.DealProspecting,
				Probability: decimal.RequireFromString("0.1"), Version: 1},
			golden: `{"id":"d1","owner":"r1","region":"north","customer":"c1","product":"p1",` +
				`"amount":{"amount":"10.00","currency":"EUR"},"created":"2026-11-03T09:30:00Z",` +
				`"stage":"prospecting","probability":"0.1","version":1}`,
			legacy: `{"id":"d1","owner":"r1","region":"north","customer":"c1","product":"p1",` +
				`"amount":{"amount":"10.00","currency":"EUR"},"expected_close":` + zero +
				`,"created":"2026-11-03T09:30:00Z","closed":` + zero +
				`,"stage":"prospecting","probability":"0.1","version":1}`,
			target: func() any { return new(pipeline.Deal) },
		},
		"deal_won": {
			v: pipeline.Deal{ID: "d1", Owner: "r1", Region: "north", Customer: "c1", Product: "p1",
				Amount: eur("10"), ExpectedClose: at, Created: at, Closed: at.Add(time.Hour),
				Stage: pipeline.DealWon, Probability: decimal.NewFromInt(1), Version: 2},
			golden: `{"id":"d1","owner":"r1","region":"north","customer":"c1","product":"p1",` +
				`"amount":{"amount":"10.00","currency":"EUR"},"created":"2026-11-03T09:30:00Z",` +
				`"stage":"won","probability":"1","version":2,` +
				`"expected_close":"2026-11-03T09:30:00Z","closed":"2026-11-03T10:30:00Z"}`,
			legacy: `{"id":"d1","owner":"r1","region":"north","customer":"c1","product":"p1",` +
				`"amount":{"amount":"10.00","currency":"EUR"},"expected_close":"2026-11-03T09:30:00Z",` +
				`"created":"2026-11-03T09:30:00Z","closed":"2026-11-03T10:30:00Z",` +
				`"stage":"won","probability":"1","version":2}`,
			target: func() any { return new(pipeline.Deal) },
		},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.Equal(t, tc.golden, string(raw))
			for form, doc := range map[string]string{"current": tc.golden, "legacy": tc.legacy} {
				got := tc.target()
				require.NoError(t, json.Unmarshal([]byte(doc), got), form)
				again, err := json.Marshal(got)
				require.NoError(t, err, form)
				// The form re-encodes as the value does: the zero times read as zero.
				assert.Equal(t, tc.golden, string(again), "%s form re-encoded", form)
			}
		})
	}
}

// TestDealInListLeavesZeroTimesOut checks that a deal's zero times are
// left out where it travels inside another document, a slice of deals.
func TestDealInListLeavesZeroTimesOut(t *testing.T) {
	raw, err := json.Marshal([]pipeline.Deal{{ID: "d1", Created: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), Activities: []pipeline.Activity{{ID: "a1", Kind: pipeline.ActivityDemo}}}})
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "0001-01-01")
	assert.NotContains(t, string(raw), "expected_close")
	assert.NotContains(t, string(raw), `"due"`)
}

// TestRecordJSONLeavesEscapingToTheEncoder checks that a record's
// MarshalJSON leaves the escaping of <, > and & to the encoder that calls
// it, as encoding/json does for a type without one: json.Marshal escapes
// them, an encoder set not to escape HTML writes them as they are.
func TestRecordJSONLeavesEscapingToTheEncoder(t *testing.T) {
	notes := "<b>cheap & cheerful</b>"
	for name, v := range map[string]any{
		"deal":       pipeline.Deal{ID: "d1", Activities: []pipeline.Activity{{ID: "a1", Notes: notes}}},
		"activity":   pipeline.Activity{ID: "a1", Notes: notes},
		"terms":      pipeline.Terms{Lines: []pipeline.Line{{Product: "p&q"}}},
		"completion": pipeline.ActivityCompletion{Notes: notes},
	} {
		raw, err := json.Marshal(v)
		require.NoError(t, err, name)
		assert.NotContains(t, string(raw), "<", name)
		assert.NotContains(t, string(raw), "&", name)
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(v), name)
		assert.NotContains(t, b.String(), `\u003c`, name)
		assert.NotContains(t, b.String(), `\u0026`, name)
	}
}
