package training_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// roundTrip marshals v, unmarshals into a new T, marshals again, and checks
// that both encodings are equal; it returns the decoded value.
func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(data, &back))
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))
	return back
}

func TestJSONRoundTrip(t *testing.T) {
	goal, err := salesprocess.ParseMoney("1234.50 EUR")
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)

	t.Run("brief", func(t *testing.T) {
		b := fullBrief()
		assert.Equal(t, b, roundTrip(t, b))
	})
	t.Run("report", func(t *testing.T) {
		r, err := training.CheckPitch(fullBrief(), "retail", "guaranteed returns")
		require.NoError(t, err)
		assert.Equal(t, r, roundTrip(t, r))
	})
	t.Run("module_curriculum_attempt", func(t *testing.T) {
		for _, m := range testModules() {
			assert.Equal(t, m, roundTrip(t, m))
		}
		for _, c := range testCurricula() {
			assert.Equal(t, c, roundTrip(t, c))
		}
		a := training.Attempt{ID: "a1", Rep: "r1", Module: "m1", BriefVersion: v("1.2"), Score: 7, Passed: true, Time: t0}
		assert.Equal(t, a, roundTrip(t, a))
	})
	t.Run("certificate_verdict", func(t *testing.T) {
		c := certificate("r1", "web", "2.1")
		c.Curriculum = "c1"
		assert.Equal(t, c, roundTrip(t, c))
		vd := training.Verdict{Rep: "r1", Product: "p1", Channel: "web", At: t0, BriefVersion: v("2.0"),
			Reasons: []training.Reason{{Code: training.ReasonExpired, Channel: "web", Detail: "expired"}}}
		assert.Equal(t, vd, roundTrip(t, vd))
	})
	t.Run("assignment", func(t *testing.T) {
		a := training.AssignmentProgress{Assignment: training.Assignment{ID: "x1", Rep: "r1", Module: "m1", Due: t0.Add(day), Reason: "why", AssignedBy: "m", Assigned: t0},
			Done: true, DoneAt: t0.Add(time.Hour)}
		assert.Equal(t, a, roundTrip(t, a))
	})
	t.Run("progress", func(t *testing.T) {
		p := training.Progress{Rep: "r1", Curriculum: "c1", BriefVersion: v("1.0"), At: t0, Complete: true,
			Modules: []training.ModuleProgress{{Module: "m1", Attempts: 2, BestScore: 9, Passed: true, PassedAt: t0}}}
		assert.Equal(t, p, roundTrip(t, p))
	})
	t.Run("onboarding", func(t *testing.T) {
		o := training.Onboarding{Rep: "r1", Region: "north", Start: t0.In(berlin), MonthlyGoal: goal, Ramp: []decimal.Decimal{dec("0.25"), dec("0.5")}}
		back := roundTrip(t, o)
		assert.True(t, o.MonthlyGoal.Equal(back.MonthlyGoal))
		assert.True(t, o.Start.Equal(back.Start))
		require.Len(t, back.Ramp, 2)
		assert.True(t, back.Ramp[1].Equal(dec("0.5")))
	})
	t.Run("pilot_and_decision", func(t *testing.T) {
		p := testPilot(training.Criteria{RequireEnded: true, MinUnitsSold: 5, MinSellThrough: dec("0.55"), MinAverageRating: dec("3.5"),
			MinLocalityRating: dec("3"), MinFeedback: 2, MinLocalitiesWithSales: 1, BlockingSeverity: training.SeverityWarning})
		p.Period = salesprocess.Month(2026, time.March, berlin)
		p.Issues = []training.Issue{{ID: "I1", Title: "lid", Severity: training.SeverityCritical, Locality: "Springfield", Opened: t0, Resolved: t0.Add(day), FixedIn: v("1.1")}}
		p.Improvements = []training.Improvement{{Version: v("1.1"), Summary: "seal", Resolves: []training.IssueID{"I1"}, Time: t0.Add(day)}}
		p.Rev = 3
		back := roundTrip(t, p)
		require.NoError(t, back.Validate())
		assert.True(t, p.Period.Equal(back.Period))
		assert.True(t, p.Criteria.MinSellThrough.Equal(back.Criteria.MinSellThrough))
		assert.Equal(t, p.Issues, back.Issues)
		assert.Equal(t, p.Improvements, back.Improvements)

		d, err := training.Decide(p, sales(3, 4), ratings("Springfield:4", "Shelbyville:3"), p.Period.End().UTC())
		require.NoError(t, err)
		assert.Equal(t, d, roundTrip(t, d))
	})
	t.Run("sale", func(t *testing.T) {
		s := training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 2, Amount: goal, Customer: "c1", Time: t0}
		back := roundTrip(t, s)
		assert.True(t, s.Amount.Equal(back.Amount))
		back.Amount = s.Amount
		assert.Equal(t, s, back)
	})
	t.Run("brief_version_member", func(t *testing.T) {
		// Verdict and Progress name the version of the brief as
		// Certificate and Attempt do.
		for name, val := range map[string]any{
			"verdict":     training.Verdict{Rep: "r1", Product: "p1", At: t0, BriefVersion: v("2.0")},
			"progress":    training.Progress{Rep: "r1", Curriculum: "c1", BriefVersion: v("2.0"), At: t0},
			"certificate": certificate("r1", "web", "2.0"),
			"attempt":     training.Attempt{ID: "a1", Rep: "r1", Module: "m1", BriefVersion: v("2.0"), Time: t0},
		} {
			data, err := json.Marshal(val)
			require.NoError(t, err, name)
			var members map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(data, &members), name)
			assert.JSONEq(t, `"2.0"`, string(members["brief_version"]), name)
			assert.NotContains(t, members, "brief", name)
		}
		var vd training.Verdict
		require.NoError(t, json.Unmarshal([]byte(`{"brief_version":"1.3"}`), &vd))
		assert.Equal(t, v("1.3"), vd.BriefVersion)
		var p training.Progress
		require.NoError(t, json.Unmarshal([]byte(`{"brief_version":"1.3"}`), &p))
		assert.Equal(t, v("1.3"), p.BriefVersion)
	})
	t.Run("certificate_filter", func(t *testing.T) {
		f := training.CertificateFilter{Rep: "r1", Product: "p1", Expiring: salesprocess.Month(2026, time.March, berlin)}
		data, err := json.Marshal(f)
		require.NoError(t, err)
		assert.JSONEq(t, `{"rep":"r1","product":"p1","expiring":"2026-03[Europe/Berlin]"}`, string(data))
		back := roundTrip(t, f)
		assert.True(t, f.Expiring.Equal(back.Expiring))
		back.Expiring = f.Expiring
		assert.Equal(t, f, back)

		// The zero fields are left out, the zero period too.
		data, err = json.Marshal(training.CertificateFilter{Product: "p1"})
		require.NoError(t, err)
		assert.JSONEq(t, `{"product":"p1"}`, string(data))
		assert.Equal(t, training.CertificateFilter{}, roundTrip(t, training.CertificateFilter{}))

		// A period that has no text form is refused, naming the member.
		_, err = json.Marshal(training.CertificateFilter{Expiring: salesprocess.Month(2026, time.March, time.FixedZone("XYZ", 3600))})
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
		var ve *salesprocess.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "certificate_filter.expiring", ve.Field)
	})
	t.Run("err_unknown_enum", func(t *testing.T) {
		var c training.Claim
		require.ErrorIs(t, json.Unmarshal([]byte(`{"phrase":"x","severity":"fatal"}`), &c), salesprocess.ErrInvalid)
		var m training.Module
		require.ErrorIs(t, json.Unmarshal([]byte(`{"kind":"magic"}`), &m), salesprocess.ErrInvalid)
		var b training.Brief
		require.ErrorIs(t, json.Unmarshal([]byte(`{"version":"1"}`), &b), salesprocess.ErrInvalid)
	})
}
