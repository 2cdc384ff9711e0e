package salesprocess_test

import (
	"encoding"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// enumMarshal checks that an enumeration marshals only what it unmarshals:
// each invalid value fails to marshal with an error wrapping sp.ErrInvalid
// that quotes it, each valid value round-trips through JSON, and the zero
// value encodes as "" (omitted under omitempty) and reads back as before.
// It is a fmt.Stringer whose String is its text form, for any value, and
// its Validate refuses the zero value, which is unset, unless valid lists
// it (last).
func enumMarshal[T ~string](invalid []T, valid ...T) func(*testing.T) {
	return func(t *testing.T) {
		for _, v := range invalid {
			var back T
			require.Error(t, json.Unmarshal([]byte(strconv.Quote(string(v))), &back), "%q must be refused by UnmarshalText", v)

			m, ok := any(v).(encoding.TextMarshaler)
			require.True(t, ok, "%T has no MarshalText", v)
			_, err := m.MarshalText()
			require.ErrorIs(t, err, sp.ErrInvalid, "MarshalText(%q)", v)
			q := strconv.Quote(string(v))
			assert.Contains(t, err.Error(), q[:min(len(q), 30)], "the error quotes the value, clipped if long")

			_, err = json.Marshal(struct{ V T }{v})
			require.ErrorIs(t, err, sp.ErrInvalid, "json.Marshal(%q)", v)
		}
		for _, v := range append(append([]T{""}, valid...), invalid...) {
			s, ok := any(v).(fmt.Stringer)
			require.True(t, ok, "%T has no String", v)
			assert.Equal(t, string(v), s.String())
			assert.Equal(t, string(v), fmt.Sprint(v))
		}
		for _, v := range valid {
			data, err := json.Marshal(v)
			require.NoError(t, err, "%q", v)
			var back T
			require.NoError(t, json.Unmarshal(data, &back))
			assert.Equal(t, v, back)
		}
		zero, ok := any(T("")).(interface{ Validate() error })
		require.True(t, ok, "%T has no Validate", zero)
		if slices.Contains(valid, "") {
			assert.NoError(t, zero.Validate(), "the zero %T is valid", zero)
		} else {
			assert.ErrorIs(t, zero.Validate(), sp.ErrInvalid, "the zero %T is unset", zero)
		}
		data, err := json.Marshal(T(""))
		require.NoError(t, err)
		assert.Equal(t, `""`, string(data))
		back := valid[0]
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, T(""), back)
		data, err = json.Marshal(struct {
			V T `json:"v,omitempty"`
		}{})
		require.NoError(t, err)
		assert.Equal(t, `{}`, string(data))
	}
}

func TestEnumMarshalRefusesWhatUnmarshalRefuses(t *testing.T) {
	bad := func(s ...string) []string { return append(s, "Other", " other", "x\x00") }
	tests := []struct {
		name string
		run  func(*testing.T)
	}{
		{"FeedbackCategory", enumMarshal(conv[sp.FeedbackCategory](bad("Quality", "missing feature")),
			sp.FeedbackQuality, sp.FeedbackPrice, sp.FeedbackMissingFeature, sp.FeedbackDelivery, sp.FeedbackService, sp.FeedbackOther)},
		{"FeedbackSource", enumMarshal(conv[sp.FeedbackSource](bad("field test")), sp.FromCustomer, sp.FromFieldTest, sp.FromRep)},
		{"Role", enumMarshal(conv[sp.Role](bad("Admin")), sp.RoleRep, sp.RoleManager, sp.RoleAdmin, sp.RoleSystem)},
		{"ChannelKind", enumMarshal(conv[sp.ChannelKind](bad("web")),
			sp.ChannelFieldVisit, sp.ChannelPhone, sp.ChannelOnline, sp.ChannelRetail, sp.ChannelPartner, sp.ChannelWholesale)},
		{"RoundingMode", enumMarshal(conv[sp.RoundingMode](bad("half_down")), sp.HalfUp, sp.HalfEven)},
		{"PeriodKind", enumMarshal(conv[sp.PeriodKind](bad("Month")), sp.KindMonth, sp.KindQuarter, sp.KindYear, sp.KindWeek, sp.KindCustom)},
		{"Currency", enumMarshal(conv[sp.Currency](bad("eur", "EURO", "XXX1")), "EUR", "USD", "JPY", "KWD")},

		{"InquiryStage", enumMarshal(conv[pipeline.InquiryStage](bad("New")), pipeline.InquiryNew, pipeline.InquiryContacted,
			pipeline.InquiryQualified, pipeline.InquiryConverted, pipeline.InquiryDisqualified)},
		{"DealStage", enumMarshal(conv[pipeline.DealStage](bad("Closed Won", "closed-won", "1st", "_x", strings.Repeat("a", 65))),
			pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation,
			pipeline.DealWon, pipeline.DealLost, "closed_won", "x", "stage_2", pipeline.DealStage(strings.Repeat("a", 64)))},
		{"ServiceStage", enumMarshal(conv[pipeline.ServiceStage](bad("delivered ")),
			pipeline.ServiceAwaitingDelivery, pipeline.ServiceDelivered, pipeline.ServiceFollowedUp)},
		{"ActivityKind", enumMarshal(conv[pipeline.ActivityKind](bad("Call")), pipeline.ActivityCall, pipeline.ActivityVisit,
			pipeline.ActivityEmail, pipeline.ActivityMeeting, pipeline.ActivityDemo)},
		{"LossCategory", enumMarshal(conv[pipeline.LossCategory](bad("budget")), pipeline.LossPrice, pipeline.LossProduct,
			pipeline.LossCompetitor, pipeline.LossTiming, pipeline.LossNoDecision, pipeline.LossRepExecution, pipeline.LossOther)},
		{"StageKind", enumMarshal(conv[pipeline.StageKind](bad("closed")), pipeline.KindOpen, pipeline.KindWon, pipeline.KindLost)},
		{"Command", enumMarshal(conv[pipeline.Command](bad("Win", "reopen_deal")), pipeline.CmdReceive, pipeline.CmdAssign,
			pipeline.CmdLogActivity, pipeline.CmdContact, pipeline.CmdQualify, pipeline.CmdDisqualify, pipeline.CmdConvert,
			pipeline.CmdOpen, pipeline.CmdSetTerms, pipeline.CmdAdvance, pipeline.CmdWin, pipeline.CmdLose, pipeline.CmdReopen,
			pipeline.CmdOverride, pipeline.CmdResetProb, pipeline.CmdDeliver, pipeline.CmdFollowUp, pipeline.CmdReopenInquiry,
			pipeline.CmdCompleteActivity)},

		{"quota.Level", enumMarshal(conv[quota.Level](bad("team")), quota.LevelCompany, quota.LevelRegion, quota.LevelRep)},
		{"quota.Metric", enumMarshal(conv[quota.Metric](bad("units")), quota.MetricRevenue, quota.MetricWonDeals)},
		{"quota.Outcome", enumMarshal(conv[quota.Outcome](bad("pending")), quota.OutcomeOpen, quota.OutcomeWon, quota.OutcomeLost)},
		{"quota.Status", enumMarshal(conv[quota.Status](bad("late")), quota.StatusMet, quota.StatusOnPace, quota.StatusBehind, quota.StatusAtRisk, quota.StatusMissed)},
		{"quota.Basis", enumMarshal(conv[quota.Basis](bad("rolling")), quota.BasisCohort, quota.BasisPeriod)},
		{"quota.Method", enumMarshal(conv[quota.Method](bad("monte_carlo")),
			quota.MethodCertain, quota.MethodEnumeration, quota.MethodLattice, quota.MethodGrid, quota.MethodEdgeworth)},
		{"quota.Verdict", enumMarshal(conv[quota.Verdict](bad("maybe")), quota.VerdictBelow, quota.VerdictAbove, quota.VerdictInconclusive, quota.VerdictNoData)},

		{"training.CertStatus", enumMarshal(conv[training.CertStatus](bad("revoked")), training.CertMissing, training.CertNotYetValid,
			training.CertExpired, training.CertOutdated, training.CertValid)},
		{"training.ModuleKind", enumMarshal(conv[training.ModuleKind](bad("quiz")), training.ModuleProductKnowledge, training.ModuleSellingTechnique)},
		{"training.Severity", enumMarshal(conv[training.Severity](bad("fatal")),
			training.SeverityInfo, training.SeverityWarning, training.SeverityCritical)},
		{"training.Criterion", enumMarshal(conv[training.Criterion](bad("min_units")), training.CriterionEnded,
			training.CriterionUnitsSold, training.CriterionSellThrough, training.CriterionLocalitiesSales, training.CriterionFeedback,
			training.CriterionAverageRating, training.CriterionLocalityRating, training.CriterionNoBlockingIssues)},
		{"training.ReasonCode", enumMarshal(conv[training.ReasonCode](bad("unknown")), training.ReasonNoBrief, training.ReasonNoCertificate,
			training.ReasonWrongChannel, training.ReasonNotYetValid, training.ReasonExpired, training.ReasonBriefOutdated)},

		{"review.RateKind", enumMarshal(conv[review.RateKind](bad("loss_rate")), review.RateWinRate, review.RateConversion)},
		{"review.Adjustment", enumMarshal(conv[review.Adjustment](bad("holm")), review.AdjustBonferroni, review.AdjustNone)},
		{"review.Severity", enumMarshal(conv[review.Severity](bad("fatal")),
			review.SeverityInfo, review.SeverityWarning, review.SeverityCritical)},
		{"review.Cause", enumMarshal(conv[review.Cause](bad("luck")),
			review.CauseProduct, review.CauseRep, review.CauseMarket, review.CauseProcess, review.CauseData, "")},
		{"review.SubjectKind", enumMarshal(conv[review.SubjectKind](bad("team")), review.SubjectCompany, review.SubjectRegion,
			review.SubjectProduct, review.SubjectRep, review.SubjectRepProduct)},
		{"review.ActionKind", enumMarshal(conv[review.ActionKind](bad("fire")), review.ActionRecognize, review.ActionCoach,
			review.ActionRetrain, review.ActionProductFeedback, review.ActionAdjustGoal)},
		{"review.ActionStatus", enumMarshal(conv[review.ActionStatus](bad("cancelled")),
			review.StatusProposed, review.StatusDone, review.StatusExisting)},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func conv[T ~string](s []string) []T {
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = T(x)
	}
	return out
}

// A long invalid value is named in the error clipped, not whole.
func TestEnumMarshalClipsLongValue(t *testing.T) {
	long := strings.Repeat("x", 500)
	for _, v := range []any{sp.FeedbackCategory(long), pipeline.DealStage(long), pipeline.LossCategory(long)} {
		_, err := json.Marshal(v)
		require.ErrorIs(t, err, sp.ErrInvalid, "%T", v)
		assert.Contains(t, err.Error(), `"xxxx`, "%T", v)
		assert.NotContains(t, err.Error(), long, "%T", v)
	}
}

// A record holding an invalid enumeration does not marshal, so that what
// marshals reads back.
func TestRecordWithInvalidEnumDoesNotMarshal(t *testing.T) {
	_, err := json.Marshal(pipeline.Deal{Stage: "Closed Won"})
	require.ErrorIs(t, err, sp.ErrInvalid)
	_, err = json.Marshal(sp.Feedback{Category: "noise"})
	require.ErrorIs(t, err, sp.ErrInvalid)
}

// TestCheckEnumWithNothingValidSaysSo pins the text of an enumeration
// checked against no valid values: it says that none is valid rather than
// ending in an empty list.
func TestCheckEnumWithNothingValidSaysSo(t *testing.T) {
	assert.EqualError(t, sp.CheckEnum[sp.Role]("role", "rep"), `invalid input: unknown role "rep"; none is valid`)
	assert.EqualError(t, sp.CheckEnum[sp.Role]("role", ""), `invalid input: missing role; none is valid`)
	var r sp.Role
	assert.EqualError(t, sp.UnmarshalEnum("role", &r, []byte("admin")), `invalid input: unknown role "admin"; none is valid`)
	assert.EqualError(t, sp.CheckEnum("role", "guest", sp.RoleRep, sp.RoleAdmin), `invalid input: unknown role "guest"; want one of rep, admin`)
}
