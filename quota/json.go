package quota

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// The UnmarshalJSON methods below decode the JSON form [encoding/json]
// gives each type, as json.Unmarshal would, but with the errors of
// [sp.DecodeJSON]: malformed JSON, a value of the wrong JSON type, a value
// its own type refuses (an unknown currency, a malformed period, an unknown
// status) and a decimal that would be written out in more than
// [sp.MaxDigitRun] digits in a row (a step of "1e-9999") wrap
// [sp.ErrInvalid] and name the field. They do not validate the decoded
// value: call its Validate method, or the function it goes to, for that.
// Records and results ignore a member they do not know, so that one
// written by a later version reads; the configuration that a person
// writes ([Ramp], [Thresholds]) decodes by [sp.DecodeJSONStrict] and
// refuses it, naming it, so that a misspelt setting is an error rather
// than a silent default, and refuses a member given twice (by the same
// key, or by one that differs in case), which would otherwise leave its
// field at the last of its values.

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (a Amount) MarshalJSON() ([]byte, error) {
	type plain Amount
	return sp.EncodeJSON(plain(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "amount".
func (a *Amount) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(a); err != nil {
		return err
	}
	type plain Amount
	return sp.DecodeJSON("amount", data, (*plain)(a))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (a Attainment) MarshalJSON() ([]byte, error) {
	type plain Attainment
	return sp.EncodeJSON(plain(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: the form
// [encoding/json] gives it, and Pace under the name earlier versions gave
// it, "pace", where "pace_percent" is absent; errors wrap [sp.ErrInvalid]
// and name the field below "attainment".
func (a *Attainment) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(a); err != nil {
		return err
	}
	type plain Attainment
	w := struct {
		plain
		Pace        decimal.NullDecimal `json:"pace"`
		PacePercent decimal.NullDecimal `json:"pace_percent"`
	}{plain: plain(*a)}
	if err := sp.DecodeJSON("attainment", data, &w); err != nil {
		return err
	}
	switch {
	case w.PacePercent.Valid:
		w.plain.Pace = w.PacePercent.Decimal
	case w.Pace.Valid:
		w.plain.Pace = w.Pace.Decimal
	}
	*a = Attainment(w.plain)
	return nil
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c Chance) MarshalJSON() ([]byte, error) {
	type plain Chance
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "chance".
func (c *Chance) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain Chance
	return sp.DecodeJSON("chance", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c Comparison) MarshalJSON() ([]byte, error) {
	type plain Comparison
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "comparison".
func (c *Comparison) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain Comparison
	return sp.DecodeJSON("comparison", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (g ConversionGroup) MarshalJSON() ([]byte, error) {
	type plain ConversionGroup
	return sp.EncodeJSON(plain(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "conversion_group".
func (g *ConversionGroup) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain ConversionGroup
	return sp.DecodeJSON("conversion_group", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: the confidence
// as a decimal string or, as earlier versions wrote it, a JSON number
// (see [ConversionReport.MarshalJSON]); errors wrap [sp.ErrInvalid] and name the
// field below "conversion_report".
func (r *ConversionReport) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain ConversionReport
	w := struct {
		plain
		Confidence confidence `json:"confidence"`
	}{plain(*r), confidence(r.Confidence)}
	if err := sp.DecodeJSON("conversion_report", data, &w); err != nil {
		return err
	}
	w.plain.Confidence = float64(w.Confidence)
	*r = ConversionReport(w.plain)
	return nil
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (c Credit) MarshalJSON() ([]byte, error) {
	type plain Credit
	return sp.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "credit".
func (c *Credit) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain Credit
	return sp.DecodeJSON("credit", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "cycle_group".
func (g *CycleGroup) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain CycleGroup
	return sp.DecodeJSON("cycle_group", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "cycle_report".
func (r *CycleReport) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain CycleReport
	return sp.DecodeJSON("cycle_report", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "funnel_group".
func (g *FunnelGroup) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain FunnelGroup
	return sp.DecodeJSON("funnel_group", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: the confidence
// as a decimal string or, as earlier versions wrote it, a JSON number
// (see [FunnelReport.MarshalJSON]); errors wrap [sp.ErrInvalid] and name the
// field below "funnel_report".
func (r *FunnelReport) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain FunnelReport
	w := struct {
		plain
		Confidence confidence `json:"confidence"`
	}{plain(*r), confidence(r.Confidence)}
	if err := sp.DecodeJSON("funnel_report", data, &w); err != nil {
		return err
	}
	w.plain.Confidence = float64(w.Confidence)
	*r = FunnelReport(w.plain)
	return nil
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (s FunnelStep) MarshalJSON() ([]byte, error) {
	type plain FunnelStep
	return sp.EncodeJSON(plain(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "funnel_step".
func (s *FunnelStep) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain FunnelStep
	return sp.DecodeJSON("funnel_step", data, (*plain)(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "goal".
func (g *Goal) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain Goal
	return sp.DecodeJSON("goal", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "goal_key".
func (k *GoalKey) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(k); err != nil {
		return err
	}
	type plain GoalKey
	return sp.DecodeJSON("goal_key", data, (*plain)(k))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "inquiry_need".
func (n *InquiryNeed) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(n); err != nil {
		return err
	}
	type plain InquiryNeed
	return sp.DecodeJSON("inquiry_need", data, (*plain)(n))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, {"lower":"0.52","upper":"0.73"}, every
// decimal a string whatever decimal.MarshalJSONWithoutQuotes says (as
// [sp.EncodeJSON] writes them). It writes the form itself, without
// reflection: a report holds an interval for each of its rates.
func (iv Interval) MarshalJSON() ([]byte, error) {
	return iv.appendJSON(make([]byte, 0, 48)), nil
}

// appendJSON appends the JSON form of iv to b.
func (iv Interval) appendJSON(b []byte) []byte {
	b = append(b, `{"lower":`...)
	b = appendDecimal(b, iv.Lower)
	b = append(b, `,"upper":`...)
	b = appendDecimal(b, iv.Upper)
	return append(b, '}')
}

// appendDecimal appends d to b as a JSON string, as [sp.EncodeJSON] writes
// a decimal: its text form in quotes, which has nothing to escape.
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	b = append(b, '"')
	b = append(b, d.String()...)
	return append(b, '"')
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "interval".
func (iv *Interval) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(iv); err != nil {
		return err
	}
	type plain Interval
	return sp.DecodeJSON("interval", data, (*plain)(iv))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "key".
func (k *Key) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(k); err != nil {
		return err
	}
	type plain Key
	return sp.DecodeJSON("key", data, (*plain)(k))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (o Outlook) MarshalJSON() ([]byte, error) {
	type plain Outlook
	return sp.EncodeJSON(plain(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "outlook".
func (o *Outlook) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(o); err != nil {
		return err
	}
	type plain Outlook
	return sp.DecodeJSON("outlook", data, (*plain)(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "pipeline_group".
func (g *PipelineGroup) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain PipelineGroup
	return sp.DecodeJSON("pipeline_group", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "pipeline_report".
func (r *PipelineReport) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain PipelineReport
	return sp.DecodeJSON("pipeline_report", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "prior".
func (p *Prior) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(p); err != nil {
		return err
	}
	type plain Prior
	return sp.DecodeJSON("prior", data, (*plain)(p))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (p Prospect) MarshalJSON() ([]byte, error) {
	type plain Prospect
	return sp.EncodeJSON(plain(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "prospect".
func (p *Prospect) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(p); err != nil {
		return err
	}
	type plain Prospect
	return sp.DecodeJSON("prospect", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "rate".
func (r *Rate) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain Rate
	return sp.DecodeJSON("rate", data, (*plain)(r))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, Wilson left out when nil, every
// decimal a string whatever decimal.MarshalJSONWithoutQuotes says (as
// [sp.EncodeJSON] writes them). It writes the form itself, without
// reflection: a report holds an estimate for each rate of each group.
func (e RateEstimate) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 128)
	b = append(b, `{"rate":{"num":`...)
	b = strconv.AppendInt(b, e.Rate.Num, 10)
	b = append(b, `,"den":`...)
	b = strconv.AppendInt(b, e.Rate.Den, 10)
	b = append(b, `},"value":`...)
	b = appendDecimal(b, e.Value)
	if e.Wilson != nil {
		b = append(b, `,"wilson":`...)
		b = e.Wilson.appendJSON(b)
	}
	b = append(b, `,"shrunk":`...)
	if e.Shrunk.Valid {
		b = appendDecimal(b, e.Shrunk.Decimal)
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "rate_estimate".
func (e *RateEstimate) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(e); err != nil {
		return err
	}
	type plain RateEstimate
	return sp.DecodeJSON("rate_estimate", data, (*plain)(e))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (n RollupNode) MarshalJSON() ([]byte, error) {
	type plain RollupNode
	return sp.EncodeJSON(plain(n))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "rollup_node". A document
// that nests objects and arrays more than 16 deep is refused before it is
// decoded: a roll-up has three levels (company, region, rep) and nests 7
// deep, and decoding each level reads every level below it again.
func (n *RollupNode) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(n); err != nil {
		return err
	}
	if nestsDeeper(data, maxRollupNesting) {
		return sp.Invalid("rollup_node", "nested more than %d deep; a roll-up nests 7", maxRollupNesting)
	}
	type plain RollupNode
	return sp.DecodeJSON("rollup_node", data, (*plain)(n))
}

// maxRollupNesting bounds how deep the JSON of a [RollupNode] nests.
const maxRollupNesting = 16

// nestsDeeper reports whether the JSON data nests objects and arrays more
// than limit deep. It reads data only up to where it does.
func nestsDeeper(data []byte, limit int) bool {
	depth, inString := 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case inString && c == '\\':
			i++ // the escaped byte cannot end the string
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > limit {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (s Simulation) MarshalJSON() ([]byte, error) {
	type plain Simulation
	return sp.EncodeJSON(plain(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "simulation".
func (s *Simulation) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain Simulation
	return sp.DecodeJSON("simulation", data, (*plain)(s))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (s Split) MarshalJSON() ([]byte, error) {
	type plain Split
	return sp.EncodeJSON(plain(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "split".
func (s *Split) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain Split
	return sp.DecodeJSON("split", data, (*plain)(s))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (t Thresholds) MarshalJSON() ([]byte, error) {
	type plain Thresholds
	return sp.EncodeJSON(plain(t))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] for configuration,
// by [sp.DecodeJSONStrict]: a member other than on_pace and behind (a
// misspelt one, which would otherwise leave its threshold at the default)
// is refused as unknown, and one given twice as given twice. Errors wrap
// [sp.ErrInvalid] and name the field below "thresholds".
func (t *Thresholds) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(t); err != nil {
		return err
	}
	type plain Thresholds
	return sp.DecodeJSONStrict("thresholds", data, (*plain)(t))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "velocity_report".
func (r *VelocityReport) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain VelocityReport
	return sp.DecodeJSON("velocity_report", data, (*plain)(r))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [sp.EncodeJSON]).
func (g WinRateGroup) MarshalJSON() ([]byte, error) {
	type plain WinRateGroup
	return sp.EncodeJSON(plain(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "win_rate_group".
func (g *WinRateGroup) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	type plain WinRateGroup
	return sp.DecodeJSON("win_rate_group", data, (*plain)(g))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: the confidence
// as a decimal string or, as earlier versions wrote it, a JSON number
// (see [WinRateReport.MarshalJSON]); errors wrap [sp.ErrInvalid] and name the
// field below "win_rate_report".
func (r *WinRateReport) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain WinRateReport
	w := struct {
		plain
		Confidence confidence `json:"confidence"`
	}{plain(*r), confidence(r.Confidence)}
	if err := sp.DecodeJSON("win_rate_report", data, &w); err != nil {
		return err
	}
	w.plain.Confidence = float64(w.Confidence)
	*r = WinRateReport(w.plain)
	return nil
}

// The MarshalJSON methods below give the module's JSON forms (see the
// package doc of salesprocess) where encoding/json alone would not: a zero
// time or period is left out, where it would be written as
// "0001-01-01T00:00:00Z" or ""; a list of results is written [] when
// empty, where a nil slice would be written null; and a confidence level
// is a decimal string ("0.95"), as review writes one, where a float64
// would be a JSON number. The struct tag option omitzero would leave the
// zero values out from Go 1.24 on; Go 1.23 ignores it, and this module
// supports Go 1.23. Each encodes the type's fields as [encoding/json]
// does, with the fields it changes shadowed by fields of the same names,
// which come last, in their order. The UnmarshalJSON methods read what
// earlier versions wrote too: a zero time written out, null for an empty
// list (as nil), and a confidence as a JSON number.

// MarshalJSON implements [encoding/json.Marshaler]; AsOf is left out when
// zero, and Confidence, as a decimal string, and Groups, [] when empty,
// come after it.
func (r ConversionReport) MarshalJSON() ([]byte, error) {
	type plain ConversionReport
	return sp.EncodeJSON(struct {
		plain
		AsOf       *time.Time        `json:"as_of,omitempty"`
		Confidence confidence        `json:"confidence"`
		Groups     []ConversionGroup `json:"groups"`
	}{plain(r), nonZero(r.AsOf), confidence(r.Confidence), list(r.Groups)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Groups is written []
// when empty, and comes last.
func (r CycleReport) MarshalJSON() ([]byte, error) {
	type plain CycleReport
	return sp.EncodeJSON(struct {
		plain
		Groups []CycleGroup `json:"groups"`
	}{plain(r), list(r.Groups)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Steps is written []
// when empty, and comes last.
func (g FunnelGroup) MarshalJSON() ([]byte, error) {
	type plain FunnelGroup
	return sp.EncodeJSON(struct {
		plain
		Steps []FunnelStep `json:"steps"`
	}{plain(g), list(g.Steps)})
}

// MarshalJSON implements [encoding/json.Marshaler]: Stages, Confidence as
// a decimal string, Priors and Groups come last, in that order, each list
// written [] when empty.
func (r FunnelReport) MarshalJSON() ([]byte, error) {
	type plain FunnelReport
	return sp.EncodeJSON(struct {
		plain
		Stages     []pipeline.DealStage `json:"stages"`
		Confidence confidence           `json:"confidence"`
		Priors     []Prior              `json:"priors"`
		Groups     []FunnelGroup        `json:"groups"`
	}{plain(r), list(r.Stages), confidence(r.Confidence), list(r.Priors), list(r.Groups)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Month is left out when
// zero.
func (k Key) MarshalJSON() ([]byte, error) {
	type plain Key
	return sp.EncodeJSON(struct {
		plain
		Month *sp.Period `json:"month,omitempty"`
	}{plain(k), nonZero(k.Month)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Closing is left out
// when zero, and Groups, [] when empty, comes after it.
func (r PipelineReport) MarshalJSON() ([]byte, error) {
	type plain PipelineReport
	return sp.EncodeJSON(struct {
		plain
		Closing *sp.Period      `json:"closing,omitempty"`
		Groups  []PipelineGroup `json:"groups"`
	}{plain(r), nonZero(r.Closing), list(r.Groups)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Groups is written []
// when empty, and comes last.
func (r VelocityReport) MarshalJSON() ([]byte, error) {
	type plain VelocityReport
	return sp.EncodeJSON(struct {
		plain
		Groups []VelocityGroup `json:"groups"`
	}{plain(r), list(r.Groups)})
}

// MarshalJSON implements [encoding/json.Marshaler]: Confidence as a
// decimal string and Groups, [] when empty, come last.
func (r WinRateReport) MarshalJSON() ([]byte, error) {
	type plain WinRateReport
	return sp.EncodeJSON(struct {
		plain
		Confidence confidence     `json:"confidence"`
		Groups     []WinRateGroup `json:"groups"`
	}{plain(r), confidence(r.Confidence), list(r.Groups)})
}

// list returns s, or an empty slice if s is nil, which encoding/json
// writes [] where it writes a nil slice null.
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// confidence is a confidence level in its JSON form: a decimal string
// ("0.95"), the shortest that reads back as the same float64.
type confidence float64

// MarshalJSON implements [encoding/json.Marshaler]. NaN and the
// infinities, which JSON cannot write, are an error wrapping
// [sp.ErrInvalid], as encoding/json refuses them for a float64.
func (c confidence) MarshalJSON() ([]byte, error) {
	f := float64(c)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, sp.Invalid("confidence", "cannot be encoded: %v", f)
	}
	return strconv.AppendQuote(nil, strconv.FormatFloat(f, 'f', -1, 64)), nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: a string that
// holds a JSON number, or, as earlier versions wrote it, a JSON number;
// null leaves c unchanged. Anything else (a number out of the range of a
// float64, "NaN", a string with spaces around its number) is an error
// wrapping [sp.ErrInvalid] that names "confidence".
func (c *confidence) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	if string(data) == "null" {
		return nil
	}
	// A json.Number reads a JSON number, or a string that holds one, and
	// nothing else; Float64 refuses one out of a float64's range.
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return sp.Invalid("confidence", "not a number: %s", sp.Quote(string(data)))
	}
	f, err := n.Float64()
	if err != nil {
		return sp.Invalid("confidence", "not a number: %s", sp.Quote(n.String()))
	}
	*c = confidence(f)
	return nil
}

// The JSON methods below write each duration as its text ("24h0m0s"), by
// [sp.Duration], and read that text or, as encoding/json writes a
// [time.Duration], an integer of nanoseconds. Each type's JSON form is its
// fields as [encoding/json] encodes them, in the same order: the
// durations, and the fields after them, are shadowed by fields of the same
// names, the durations' of type sp.Duration.

type (
	durations     Durations
	velocityGroup VelocityGroup
)

// durationsJSON is the JSON form of [Durations].
type durationsJSON struct {
	durations
	Mean   sp.Duration `json:"mean"`
	Min    sp.Duration `json:"min"`
	P25    sp.Duration `json:"p25"`
	Median sp.Duration `json:"median"`
	P75    sp.Duration `json:"p75"`
	P90    sp.Duration `json:"p90"`
	Max    sp.Duration `json:"max"`
}

func (d Durations) toJSON() durationsJSON {
	return durationsJSON{durations(d), sp.Duration(d.Mean), sp.Duration(d.Min), sp.Duration(d.P25),
		sp.Duration(d.Median), sp.Duration(d.P75), sp.Duration(d.P90), sp.Duration(d.Max)}
}

func (w durationsJSON) value() Durations {
	d := Durations(w.durations)
	d.Mean, d.Min, d.P25, d.Median = time.Duration(w.Mean), time.Duration(w.Min), time.Duration(w.P25), time.Duration(w.Median)
	d.P75, d.P90, d.Max = time.Duration(w.P75), time.Duration(w.P90), time.Duration(w.Max)
	return d
}

// MarshalJSON implements [encoding/json.Marshaler]: the durations as text,
// {"count":2,"mean":"1h30m0s",...}. No durations (the zero Durations,
// which [Summarize] gives for none) have no statistics to write, and are
// {"count":0} alone, as a [Rate] of no data is its counts alone.
func (d Durations) MarshalJSON() ([]byte, error) {
	if d == (Durations{}) {
		return []byte(`{"count":0}`), nil
	}
	return sp.EncodeJSON(d.toJSON())
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: each duration as
// text or as an integer of nanoseconds (see [sp.Duration]), a member left
// out as zero, so that {"count":0} reads as no durations, and so do the
// zeros that earlier versions wrote beside it; errors wrap [sp.ErrInvalid]
// and name the field below "durations".
func (d *Durations) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(d); err != nil {
		return err
	}
	if string(data) == "null" {
		return nil
	}
	var w durationsJSON
	if err := sp.DecodeJSON("durations", data, &w); err != nil {
		return err
	}
	*d = w.value()
	return nil
}

// velocityGroupJSON is the JSON form of a [VelocityGroup]: Cycle as
// sp.Duration, and PerDay after it.
type velocityGroupJSON struct {
	velocityGroup
	Cycle  sp.Duration `json:"cycle"`
	PerDay sp.Money    `json:"per_day"`
}

// MarshalJSON implements [encoding/json.Marshaler]: Cycle as text
// ("36h0m0s").
func (g VelocityGroup) MarshalJSON() ([]byte, error) {
	return sp.EncodeJSON(velocityGroupJSON{velocityGroup(g), sp.Duration(g.Cycle), g.PerDay})
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: Cycle as text or
// as an integer of nanoseconds (see [sp.Duration]); errors wrap
// [sp.ErrInvalid] and name the field below "velocity_group".
func (g *VelocityGroup) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(g); err != nil {
		return err
	}
	w := velocityGroupJSON{velocityGroup(*g), sp.Duration(g.Cycle), g.PerDay}
	if err := sp.DecodeJSON("velocity_group", data, &w); err != nil {
		return err
	}
	w.velocityGroup.Cycle, w.velocityGroup.PerDay = time.Duration(w.Cycle), w.PerDay
	*g = VelocityGroup(w.velocityGroup)
	return nil
}

type ramp Ramp

// rampJSON is the JSON form of a [Ramp]: its fields, and the name of its
// Location last.
type rampJSON struct {
	ramp
	TimeZone string `json:"time_zone,omitempty"`
}

// MarshalJSON implements [encoding/json.Marshaler]: the fields as
// [encoding/json] encodes them, then Location as the member time_zone,
// the IANA name of the zone ("Europe/Lisbon"), left out when nil (UTC).
// A Location without an IANA name (the machine's [time.Local], a zone
// made by [time.FixedZone] under another name than that of an IANA zone
// of the same offset), which would decode to another zone or not at all,
// and a Start that JSON cannot hold (outside the years 0 to 9999) are
// errors wrapping [sp.ErrInvalid] that name "ramp.time_zone" and
// "ramp.start".
func (r Ramp) MarshalJSON() ([]byte, error) {
	w := rampJSON{ramp: ramp(r)}
	if r.Location != nil {
		if err := sp.ValidateZone(r.Location); err != nil {
			return nil, sp.InField("ramp.time_zone", err)
		}
		w.TimeZone = r.Location.String()
	}
	if _, err := r.Start.MarshalJSON(); err != nil {
		return nil, sp.Invalid("ramp.start", "cannot be encoded: %v", err)
	}
	return sp.EncodeJSON(w)
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] for the form of
// [Ramp.MarshalJSON], loading the time zone by its IANA name; a missing
// or empty time_zone gives a nil Location (UTC). The start may also be a
// date alone ("2027-01-01"), the rep's first day in that zone: Start is
// then the day's start there ([sp.DayStart]). A ramp is configuration
// that a person writes (a goals file), so it is decoded by
// [sp.DecodeJSONStrict]: a member other than those of its form, a
// misspelt "timezone" that would otherwise run the ramp in UTC, is
// refused as unknown, naming it ("ramp.timezone"), and a member given
// twice, by the same key or one that differs in case, as given twice
// ("ramp.Time_Zone: given twice, first as time_zone"). Errors wrap
// [sp.ErrInvalid] and name the field below "ramp": an unknown zone, and
// "Local" (whose meaning depends on the machine), name
// "ramp.time_zone". On error, or for JSON null, r is left unchanged.
func (r *Ramp) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	// JSON null, with JSON's own spaces around it only: amid another
	// space (a form feed, U+0085) it is malformed, which DecodeJSONStrict
	// refuses.
	if string(bytes.Trim(data, " \t\n\r")) == "null" {
		return nil
	}
	var w rampIn
	if err := sp.DecodeJSONStrict("ramp", data, &w); err != nil {
		return err
	}
	var loc *time.Location
	if w.TimeZone != "" {
		l, err := sp.LoadZone(w.TimeZone)
		if err != nil {
			return sp.InField("ramp.time_zone", err)
		}
		loc = l
	}
	*r = Ramp(w.ramp)
	r.Location = loc
	r.Start = w.Start.t
	if w.Start.date {
		y, m, d := w.Start.t.Date()
		r.Start = sp.DayStart(y, m, d, loc)
	}
	return nil
}

// rampIn is what [Ramp.UnmarshalJSON] reads: the form of
// [Ramp.MarshalJSON], with a start that may be a date alone.
type rampIn struct {
	rampJSON
	Start rampStart `json:"start"`
}

// rampStart is the start member of a ramp: an RFC 3339 time, or a date
// alone ("2027-01-01"), the rep's first day in the ramp's time zone.
type rampStart struct {
	t    time.Time
	date bool
}

// UnmarshalJSON implements [encoding/json.Unmarshaler].
func (s *rampStart) UnmarshalJSON(data []byte) error {
	var text string
	if len(data) == len(`"2006-01-02"`) && json.Unmarshal(data, &text) == nil {
		t, err := time.Parse(time.DateOnly, text)
		if err != nil {
			return sp.Invalid("", "%s is not a date (2006-01-02) or an RFC 3339 time", sp.Quote(text))
		}
		*s = rampStart{t: t, date: true}
		return nil
	}
	var t time.Time
	if err := t.UnmarshalJSON(data); err != nil {
		return err
	}
	*s = rampStart{t: t}
	return nil
}

// nonZero returns a pointer to v, or nil if v is zero.
func nonZero[T interface{ IsZero() bool }](v T) *T {
	if v.IsZero() {
		return nil
	}
	return &v
}
