package training_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// TestZeroTimesLeftOut checks that a progress or an issue leaves out of its
// JSON form a time that has not come yet, writes it last when it has, reads
// the form earlier versions wrote (the zero time written out) as zero, and
// round-trips to the same bytes.
func TestZeroTimesLeftOut(t *testing.T) {
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	zero := `"0001-01-01T00:00:00Z"`
	assignment := training.Assignment{ID: "as1", Rep: "r1", Module: "m1", Due: at.Add(48 * time.Hour), Assigned: at}
	assignmentJSON := `{"id":"as1","rep":"r1","module":"m1","due":"2026-05-06T10:00:00Z","assigned":"2026-05-04T10:00:00Z"}`
	for name, tc := range map[string]struct {
		v      any
		golden string
		legacy string
		target func() any
	}{
		"module_progress_not_passed": {
			v:      training.ModuleProgress{Module: "m1", Attempts: 1, BestScore: 40},
			golden: `{"module":"m1","attempts":1,"best_score":40,"passed":false}`,
			legacy: `{"module":"m1","attempts":1,"best_score":40,"passed":false,"passed_at":` + zero + `}`,
			target: func() any { return new(training.ModuleProgress) },
		},
		"module_progress_passed": {
			v:      training.ModuleProgress{Module: "m1", Attempts: 2, BestScore: 90, Passed: true, PassedAt: at},
			golden: `{"module":"m1","attempts":2,"best_score":90,"passed":true,"passed_at":"2026-05-04T10:00:00Z"}`,
			legacy: `{"module":"m1","attempts":2,"best_score":90,"passed":true,"passed_at":"2026-05-04T10:00:00Z"}`,
			target: func() any { return new(training.ModuleProgress) },
		},
		"assignment_progress_not_done": {
			v:      training.AssignmentProgress{Assignment: assignment, Overdue: true},
			golden: `{"assignment":` + assignmentJSON + `,"done":false,"overdue":true}`,
			legacy: `{"assignment":` + assignmentJSON + `,"done":false,"done_at":` + zero + `,"overdue":true}`,
			target: func() any { return new(training.AssignmentProgress) },
		},
		"assignment_progress_done": {
			v:      training.AssignmentProgress{Assignment: assignment, Done: true, DoneAt: at.Add(time.Hour)},
			golden: `{"assignment":` + assignmentJSON + `,"done":true,"overdue":false,"done_at":"2026-05-04T11:00:00Z"}`,
			legacy: `{"assignment":` + assignmentJSON + `,"done":true,"done_at":"2026-05-04T11:00:00Z","overdue":false}`,
			target: func() any { return new(training.AssignmentProgress) },
		},
		"issue_open": {
			v:      training.Issue{ID: "i1", Title: "Lid cracks", Severity: training.SeverityCritical, Opened: at},
			golden: `{"id":"i1","title":"Lid cracks","severity":"critical","opened":"2026-05-04T10:00:00Z","fixed_in":""}`,
			legacy: `{"id":"i1","title":"Lid cracks","severity":"critical","opened":"2026-05-04T10:00:00Z","resolved":` + zero + `,"fixed_in":""}`,
			target: func() any { return new(training.Issue) },
		},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.Equal(t, tc.golden, string(raw))
			for _, doc := range []string{tc.golden, tc.legacy} {
				got := tc.target()
				require.NoError(t, json.Unmarshal([]byte(doc), got), doc)
				again, err := json.Marshal(got)
				require.NoError(t, err)
				// Re-encoded as the value is: the zero time read as zero.
				assert.Equal(t, tc.golden, string(again), doc)
			}
		})
	}
}

// TestZeroTimesFar checks that a time JSON cannot write is an error
// wrapping ErrInvalid that names the member.
func TestZeroTimesFar(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for field, v := range map[string]any{
		"module_progress.passed_at":   training.ModuleProgress{Module: "m1", PassedAt: far},
		"assignment_progress.done_at": training.AssignmentProgress{DoneAt: far},
		"issue.resolved":              training.Issue{ID: "i1", Resolved: far},
	} {
		_, err := json.Marshal(v)
		require.ErrorIs(t, err, sp.ErrInvalid, field)
		var ve *sp.ValidationError
		require.True(t, errors.As(err, &ve), field)
		assert.Equal(t, field, ve.Field)
	}
}

// TestEmptyListsNotNull checks that a result's list, and a record's
// required list, is written [] when empty, not null, that null, as earlier versions wrote it, still reads,
// and that both forms round-trip to the same bytes.
func TestEmptyListsNotNull(t *testing.T) {
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	figures := `{"units_sold":0,"sell_through":{"num":0,"den":0},"feedback":0,"rating":{"num":0,"den":0},"localities":[]}`
	for name, tc := range map[string]struct {
		v      any
		golden string
		legacy string
		target func() any
	}{
		"progress": {
			v:      training.Progress{Rep: "r1", Curriculum: "c1", BriefVersion: training.MustParseVersion("1.0"), At: at},
			golden: `{"rep":"r1","curriculum":"c1","brief_version":"1.0","at":"2026-05-04T10:00:00Z","complete":false,"modules":[]}`,
			legacy: `{"rep":"r1","curriculum":"c1","brief_version":"1.0","at":"2026-05-04T10:00:00Z","modules":null,"complete":false}`,
			target: func() any { return new(training.Progress) },
		},
		"figures": {
			v:      training.Figures{},
			golden: figures,
			legacy: strings.Replace(figures, `"localities":[]`, `"localities":null`, 1),
			target: func() any { return new(training.Figures) },
		},
		"decision": {
			v:      training.Decision{Pilot: "p1", Product: "x", Version: training.MustParseVersion("1.0"), At: at},
			golden: `{"pilot":"p1","product":"x","version":"1.0","at":"2026-05-04T10:00:00Z","launch":false,"figures":` + figures + `,"reasons":[]}`,
			legacy: `{"pilot":"p1","product":"x","version":"1.0","at":"2026-05-04T10:00:00Z","launch":false,"reasons":null,"figures":` +
				strings.Replace(figures, `"localities":[]`, `"localities":null`, 1) + `}`,
			target: func() any { return new(training.Decision) },
		},
		"verdict_not_ready": {
			v:      training.Verdict{Rep: "r1", Product: "x", Channel: "phone", At: at, BriefVersion: training.MustParseVersion("1.0")},
			golden: `{"rep":"r1","product":"x","channel":"phone","at":"2026-05-04T10:00:00Z","ready":false,"brief_version":"1.0","reasons":[]}`,
			legacy: `{"rep":"r1","product":"x","channel":"phone","at":"2026-05-04T10:00:00Z","ready":false,"brief_version":"1.0",` +
				`"certificate":{"rep":"","product":"","brief_version":"","issued":"0001-01-01T00:00:00Z","expires":"0001-01-01T00:00:00Z"}}`,
			target: func() any { return new(training.Verdict) },
		},
		"verdict_ready": {
			v: training.Verdict{Rep: "r1", Product: "x", At: at, Ready: true, BriefVersion: training.MustParseVersion("1.0"),
				Certificate: training.Certificate{Rep: "r1", Product: "x", BriefVersion: training.MustParseVersion("1.0"), Issued: at, Expires: at.AddDate(1, 0, 0)}},
			golden: `{"rep":"r1","product":"x","channel":"","at":"2026-05-04T10:00:00Z","ready":true,"brief_version":"1.0",` +
				`"certificate":{"rep":"r1","product":"x","brief_version":"1.0","issued":"2026-05-04T10:00:00Z","expires":"2027-05-04T10:00:00Z"},"reasons":[]}`,
			legacy: `{"rep":"r1","product":"x","channel":"","at":"2026-05-04T10:00:00Z","ready":true,"brief_version":"1.0",` +
				`"certificate":{"rep":"r1","product":"x","brief_version":"1.0","issued":"2026-05-04T10:00:00Z","expires":"2027-05-04T10:00:00Z"}}`,
			target: func() any { return new(training.Verdict) },
		},
		"report_clean": {
			v:      training.Report{Product: "x", Version: training.MustParseVersion("1.0")},
			golden: `{"product":"x","version":"1.0","violations":[],"missing":[]}`,
			legacy: `{"product":"x","version":"1.0"}`,
			target: func() any { return new(training.Report) },
		},
		// A record's required list, empty only in an invalid record.
		"pilot": {
			v: training.Pilot{ID: "p1", Product: "x", Version: training.MustParseVersion("1.0"), Quantity: 5},
			golden: `{"id":"p1","product":"x","version":"1.0","localities":[],"quantity":5,"period":"",` +
				`"criteria":{"min_sell_through":"0","min_average_rating":"0","min_locality_rating":"0"},"rev":0}`,
			legacy: `{"id":"p1","product":"x","version":"1.0","localities":null,"quantity":5,"period":"",` +
				`"criteria":{"min_sell_through":"0","min_average_rating":"0","min_locality_rating":"0"},"rev":0}`,
			target: func() any { return new(training.Pilot) },
		},
		"curriculum": {
			v:      training.Curriculum{ID: "c1", Title: "T", Product: "x", ValidMonths: 12},
			golden: `{"id":"c1","title":"T","product":"x","modules":[],"valid_months":12}`,
			legacy: `{"id":"c1","title":"T","product":"x","modules":null,"valid_months":12}`,
			target: func() any { return new(training.Curriculum) },
		},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.Equal(t, tc.golden, string(raw))
			for _, doc := range []string{tc.golden, tc.legacy} {
				got := tc.target()
				require.NoError(t, json.Unmarshal([]byte(doc), got), doc)
				again, err := json.Marshal(got)
				require.NoError(t, err)
				assert.Equal(t, tc.golden, string(again), doc)
			}
		})
	}
}

// TestJSONLeavesEscapingToTheEncoder checks that the MarshalJSON methods
// leave the escaping of <, > and & to the encoder that calls them, as
// encoding/json does for a type without one.
func TestJSONLeavesEscapingToTheEncoder(t *testing.T) {
	for name, v := range map[string]any{
		"issue":           training.Issue{ID: "i1", Title: "<lid> & hinge"},
		"module_progress": training.ModuleProgress{Module: "m1", Detail: "<lid> & hinge"},
		"decision":        training.Decision{Reasons: []training.DecisionReason{{Detail: "<lid> & hinge"}}},
	} {
		raw, err := json.Marshal(v)
		require.NoError(t, err, name)
		assert.NotContains(t, string(raw), "<", name)
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(v), name)
		assert.Contains(t, b.String(), "<lid> & hinge", name)
	}
}
