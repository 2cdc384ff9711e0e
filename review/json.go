package review

import (
	"encoding"
	"encoding/json"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/training"
)

// The UnmarshalJSON methods below decode the JSON form [encoding/json]
// gives each type, as json.Unmarshal would, but with the errors of
// [sp.DecodeJSON]: malformed JSON, a value of the wrong JSON type,
// a value its own type refuses (an unknown cause, a malformed period) and
// a decimal that would be written out in more than [sp.MaxDigitRun]
// digits in a row (a confidence of "1e-9999") wrap [sp.ErrInvalid] and
// name the field. They do not validate
// the decoded value: call its Validate method, or [ParseRules] for a
// rules document, for that. [Figures] has none, since the rows embed it:
// it is decoded with them.

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "action".
func (a *Action) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(a); err != nil {
		return err
	}
	type plain Action
	return sp.DecodeJSON("action", data, (*plain)(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "assignment_result".
func (a *AssignmentResult) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(a); err != nil {
		return err
	}
	type plain AssignmentResult
	return sp.DecodeJSON("assignment_result", data, (*plain)(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "cell_row".
func (c *CellRow) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain CellRow
	return sp.DecodeJSON("cell_row", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "diagnosis".
func (d *Diagnosis) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(d); err != nil {
		return err
	}
	type plain Diagnosis
	return sp.DecodeJSON("diagnosis", data, (*plain)(d))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "evidence".
func (e *Evidence) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(e); err != nil {
		return err
	}
	type plain Evidence
	return sp.DecodeJSON("evidence", data, (*plain)(e))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "feedback_figures".
func (f *FeedbackFigures) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(f); err != nil {
		return err
	}
	type plain FeedbackFigures
	return sp.DecodeJSON("feedback_figures", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "finding".
func (f *Finding) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(f); err != nil {
		return err
	}
	type plain Finding
	return sp.DecodeJSON("finding", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "follow_up".
func (f *FollowUp) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(f); err != nil {
		return err
	}
	type plain FollowUp
	return sp.DecodeJSON("follow_up", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "goal_proposal".
func (g *GoalProposal) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain GoalProposal
	return sp.DecodeJSON("goal_proposal", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "goal_row".
func (g *GoalRow) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain GoalRow
	return sp.DecodeJSON("goal_row", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "loss_sample".
func (l *LossSample) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(l); err != nil {
		return err
	}
	type plain LossSample
	return sp.DecodeJSON("loss_sample", data, (*plain)(l))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "outcome".
func (o *Outcome) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(o); err != nil {
		return err
	}
	type plain Outcome
	return sp.DecodeJSON("outcome", data, (*plain)(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "product_feedback".
func (p *ProductFeedback) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(p); err != nil {
		return err
	}
	type plain ProductFeedback
	return sp.DecodeJSON("product_feedback", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "product_row".
func (p *ProductRow) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(p); err != nil {
		return err
	}
	type plain ProductRow
	return sp.DecodeJSON("product_row", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "region_row".
func (r *RegionRow) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain RegionRow
	return sp.DecodeJSON("region_row", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "rep_row".
func (r *RepRow) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain RepRow
	return sp.DecodeJSON("rep_row", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "team_row".
func (t *TeamRow) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(t); err != nil {
		return err
	}
	type plain TeamRow
	return sp.DecodeJSON("team_row", data, (*plain)(t))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "subject".
func (s *Subject) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain Subject
	return sp.DecodeJSON("subject", data, (*plain)(s))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (a Analysis) MarshalJSON() ([]byte, error) {
	type plain Analysis
	return sp.EncodeJSON(plain(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "analysis".
func (a *Analysis) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(a); err != nil {
		return err
	}
	type plain Analysis
	return sp.DecodeJSON("analysis", data, (*plain)(a))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (p ProductSignal) MarshalJSON() ([]byte, error) {
	type plain ProductSignal
	return sp.EncodeJSON(plain(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "product_signal".
func (p *ProductSignal) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(p); err != nil {
		return err
	}
	type plain ProductSignal
	return sp.DecodeJSON("product_signal", data, (*plain)(p))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (m MarketSignal) MarshalJSON() ([]byte, error) {
	type plain MarketSignal
	return sp.EncodeJSON(plain(m))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "market_signal".
func (m *MarketSignal) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(m); err != nil {
		return err
	}
	type plain MarketSignal
	return sp.DecodeJSON("market_signal", data, (*plain)(m))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (f FollowUpSignal) MarshalJSON() ([]byte, error) {
	type plain FollowUpSignal
	return sp.EncodeJSON(plain(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "follow_up_signal".
func (f *FollowUpSignal) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(f); err != nil {
		return err
	}
	type plain FollowUpSignal
	return sp.DecodeJSON("follow_up_signal", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "action_settings".
func (a *ActionSettings) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(a); err != nil {
		return err
	}
	type plain ActionSettings
	return sp.DecodeJSON("action_settings", data, (*plain)(a))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (rs RuleSet) MarshalJSON() ([]byte, error) {
	type plain RuleSet
	return sp.EncodeJSON(plain(rs))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "rule_set".
func (rs *RuleSet) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(rs); err != nil {
		return err
	}
	type plain RuleSet
	return sp.DecodeJSON("rule_set", data, (*plain)(rs))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c TargetMet) MarshalJSON() ([]byte, error) {
	type plain TargetMet
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "target_met".
func (c *TargetMet) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain TargetMet
	return sp.DecodeJSON("target_met", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c TargetMissed) MarshalJSON() ([]byte, error) {
	type plain TargetMissed
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "target_missed".
func (c *TargetMissed) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain TargetMissed
	return sp.DecodeJSON("target_missed", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "conversion_below_peers".
func (c *ConversionBelowPeers) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain ConversionBelowPeers
	return sp.DecodeJSON("conversion_below_peers", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "rep_product_lag".
func (c *RepProductLag) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain RepProductLag
	return sp.DecodeJSON("rep_product_lag", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c SlowFollowUp) MarshalJSON() ([]byte, error) {
	type plain SlowFollowUp
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "slow_follow_up".
func (c *SlowFollowUp) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain SlowFollowUp
	return sp.DecodeJSON("slow_follow_up", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c ProductLosses) MarshalJSON() ([]byte, error) {
	type plain ProductLosses
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "product_losses".
func (c *ProductLosses) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain ProductLosses
	return sp.DecodeJSON("product_losses", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c ThinPipeline) MarshalJSON() ([]byte, error) {
	type plain ThinPipeline
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "thin_pipeline".
func (c *ThinPipeline) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain ThinPipeline
	return sp.DecodeJSON("thin_pipeline", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "certification".
func (c *Certification) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain Certification
	return sp.DecodeJSON("certification", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c FeedbackPileup) MarshalJSON() ([]byte, error) {
	type plain FeedbackPileup
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "feedback_pileup".
func (c *FeedbackPileup) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain FeedbackPileup
	return sp.DecodeJSON("feedback_pileup", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]. Due is left out when
// zero, where it would otherwise be written as "0001-01-01T00:00:00Z"; the
// struct tag option omitzero does that from Go 1.24 on, but Go 1.23
// ignores it, and this module supports Go 1.23. Due comes last.
func (a Action) MarshalJSON() ([]byte, error) {
	type plain Action
	var due *time.Time
	if !a.Due.IsZero() {
		due = &a.Due
	}
	return marshal(struct {
		plain
		Due *time.Time `json:"due,omitempty"`
	}{plain(a), due})
}

// The MarshalJSON methods below write each list of a report's parts []
// when empty, as the module's JSON forms do (see the package doc of
// salesprocess) and as a [Reviewer] builds them, where encoding/json
// would write a nil slice, in a value built or changed by hand, null.
// Each encodes the type's fields as [encoding/json] does, the lists and
// the fields after them shadowed by fields of the same names, so that
// the members keep their order. The UnmarshalJSON methods read null as
// nil.

// MarshalJSON implements [encoding/json.Marshaler]; Findings is written
// [] when empty.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	return marshal(struct {
		plain
		Findings []Finding `json:"findings"`
		Outcome  Outcome   `json:"outcome"`
	}{plain(r), list(r.Findings), r.Outcome})
}

// MarshalJSON implements [encoding/json.Marshaler]; each list of rows,
// and Expiring, is written [] when empty.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	type plain Snapshot
	return marshal(struct {
		plain
		Goals    []GoalRow              `json:"goals"`
		Reps     []RepRow               `json:"reps"`
		Regions  []RegionRow            `json:"regions"`
		Products []ProductRow           `json:"products"`
		Cells    []CellRow              `json:"cells"`
		Expiring []training.Certificate `json:"expiring"`
	}{plain(s), list(s.Goals), list(s.Reps), list(s.Regions), list(s.Products), list(s.Cells), list(s.Expiring)})
}

// MarshalJSON implements [encoding/json.Marshaler]; each list is written
// [] when empty.
func (o Outcome) MarshalJSON() ([]byte, error) {
	type plain Outcome
	return marshal(plain{list(o.Assignments), list(o.ProductFeedback), list(o.GoalProposals), list(o.Events)})
}

// MarshalJSON implements [encoding/json.Marshaler]; New, Recurring and
// Resolved are written [] when empty.
func (c Changes) MarshalJSON() ([]byte, error) {
	type plain Changes
	return marshal(struct {
		plain
		New       []Finding    `json:"new"`
		Recurring []Recurrence `json:"recurring"`
		Resolved  []Resolution `json:"resolved"`
	}{plain(c), list(c.New), list(c.Recurring), list(c.Resolved)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Retraining is written
// [] when empty.
func (r Recurrence) MarshalJSON() ([]byte, error) {
	type plain Recurrence
	return marshal(struct {
		plain
		Retraining []AssignmentResult `json:"retraining"`
	}{plain(r), list(r.Retraining)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Retraining is written
// [] when empty.
func (r Resolution) MarshalJSON() ([]byte, error) {
	type plain Resolution
	return marshal(struct {
		plain
		Retraining []AssignmentResult `json:"retraining"`
	}{plain(r), list(r.Retraining)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Findings is written
// [] when empty, and Curricula left out.
func (a AssignmentResult) MarshalJSON() ([]byte, error) {
	type plain AssignmentResult
	return marshal(struct {
		plain
		Findings  []string                `json:"findings"`
		Curricula []training.CurriculumID `json:"curricula,omitempty"`
	}{plain(a), list(a.Findings), a.Curricula})
}

// MarshalJSON implements [encoding/json.Marshaler]; LossReasons, Feedback
// and Findings are written [] when empty.
func (p ProductFeedback) MarshalJSON() ([]byte, error) {
	type plain ProductFeedback
	return marshal(struct {
		plain
		LossReasons   []LossSample  `json:"loss_reasons"`
		FeedbackCount int64         `json:"feedback_count"`
		Feedback      []sp.Feedback `json:"feedback"`
		Findings      []string      `json:"findings"`
		Event         string        `json:"event,omitempty"`
		Status        ActionStatus  `json:"status"`
	}{plain(p), list(p.LossReasons), p.FeedbackCount, list(p.Feedback), list(p.Findings), p.Event, p.Status})
}

// MarshalJSON implements [encoding/json.Marshaler]; Findings is written
// [] when empty.
func (g GoalProposal) MarshalJSON() ([]byte, error) {
	type plain GoalProposal
	return marshal(struct {
		plain
		Findings []string `json:"findings"`
	}{plain(g), list(g.Findings)})
}

// list returns s, or an empty slice if s is nil, which encoding/json
// writes [] where it writes a nil slice null.
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// marshal encodes v as [sp.EncodeJSON] does, without escaping HTML
// characters, which the encoder that called a MarshalJSON method escapes
// or not as it is set to ([Report.WriteJSON] does not), and returns the
// error of a member's own MarshalJSON method without encoding/json's
// wrapping.
func marshal(v any) ([]byte, error) {
	raw, err := sp.EncodeJSON(v)
	if err != nil {
		return nil, jsonError(err)
	}
	return raw, nil
}

// jsonError returns err, an error of encoding/json, without the
// [*json.MarshalerError] that encoding/json puts around the error of a
// MarshalJSON or MarshalText method ("json: error calling MarshalJSON for
// type review.LossCounts: ..."), which speaks of Go types: the method's
// own error, in the terms of this module, takes its place, with all it
// wraps. Other errors are returned as they are.
func jsonError(err error) error {
	for {
		me, ok := err.(*json.MarshalerError)
		if !ok || me.Err == nil {
			return err
		}
		err = me.Err
	}
}

// LossCounts counts lost deals by loss category. A nil LossCounts, the zero
// value, counts nothing and encodes as null.
type LossCounts map[pipeline.LossCategory]int64

// FeedbackCounts counts pieces of feedback by category. A nil
// FeedbackCounts, the zero value, counts nothing and encodes as null.
type FeedbackCounts map[sp.FeedbackCategory]int64

// MarshalJSON implements [encoding/json.Marshaler]: an object keyed by
// category, in the keys' order. A category that
// [pipeline.LossCategory.MarshalText] refuses is an error wrapping
// [sp.ErrInvalid], as decoding would refuse it: [encoding/json] writes a
// map key of a string type as it is, without asking the type.
func (m LossCounts) MarshalJSON() ([]byte, error) { return marshalCounts(m) }

// MarshalJSON implements [encoding/json.Marshaler] as
// [LossCounts.MarshalJSON] does, refusing a category that
// [sp.FeedbackCategory.MarshalText] refuses.
func (m FeedbackCounts) MarshalJSON() ([]byte, error) { return marshalCounts(m) }

// marshalCounts encodes m after checking its keys; of several invalid
// ones, the first in order is reported.
func marshalCounts[K interface {
	~string
	encoding.TextMarshaler
}](m map[K]int64) ([]byte, error) {
	var bad K
	var err error
	for k := range m {
		if _, kerr := k.MarshalText(); kerr != nil && (err == nil || k < bad) {
			bad, err = k, kerr
		}
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}
