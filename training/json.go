package training

import (
	"fmt"
	"time"

	"github.com/salesprocess/salesprocess"
)

// The UnmarshalJSON methods below decode the JSON form [encoding/json]
// gives each type, as json.Unmarshal would, but with the errors of
// [salesprocess.DecodeJSON]: malformed JSON, a value of the wrong JSON type,
// a value its own type refuses (an unknown severity, a malformed version
// or period) and a decimal that would be written out in more than
// [salesprocess.MaxDigitRun] digits in a row (a ramp's "1e-9999") wrap
// [salesprocess.ErrInvalid] and name the field.
// They do not validate the decoded value: call its Validate method for
// that. [Version] has the text form instead. The types of a catalogue,
// which a person writes as configuration and no store keeps ([Module],
// its [Assessment], [Curriculum]), decode strictly, as by
// [salesprocess.DecodeJSONStrict]: a member they do not know is an error
// naming it ("module.assesment"), not a field left at its default, and so
// is a member given twice, by the same key or by one that differs in case
// ("module.Title: given twice, first as title"), not a field left at the
// last of its values.

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "assessment".
func (a *Assessment) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(a); err != nil {
		return err
	}
	type plain Assessment
	return salesprocess.DecodeJSONStrict("assessment", data, (*plain)(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "assignment".
func (a *Assignment) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(a); err != nil {
		return err
	}
	type plain Assignment
	return salesprocess.DecodeJSON("assignment", data, (*plain)(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "assignment_progress".
func (p *AssignmentProgress) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(p); err != nil {
		return err
	}
	type plain AssignmentProgress
	return salesprocess.DecodeJSON("assignment_progress", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "attempt".
func (a *Attempt) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(a); err != nil {
		return err
	}
	type plain Attempt
	return salesprocess.DecodeJSON("attempt", data, (*plain)(a))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "brief".
func (b *Brief) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(b); err != nil {
		return err
	}
	type plain Brief
	return salesprocess.DecodeJSON("brief", data, (*plain)(b))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "certificate".
func (c *Certificate) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(c); err != nil {
		return err
	}
	type plain Certificate
	return salesprocess.DecodeJSON("certificate", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "certificate_filter".
func (f *CertificateFilter) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(f); err != nil {
		return err
	}
	type plain CertificateFilter
	return salesprocess.DecodeJSON("certificate_filter", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "channel_override".
func (o *ChannelOverride) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(o); err != nil {
		return err
	}
	type plain ChannelOverride
	return salesprocess.DecodeJSON("channel_override", data, (*plain)(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "claim".
func (c *Claim) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(c); err != nil {
		return err
	}
	type plain Claim
	return salesprocess.DecodeJSON("claim", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [salesprocess.EncodeJSON]).
func (c Criteria) MarshalJSON() ([]byte, error) {
	type plain Criteria
	return salesprocess.EncodeJSON(plain(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "criteria".
func (c *Criteria) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(c); err != nil {
		return err
	}
	type plain Criteria
	return salesprocess.DecodeJSON("criteria", data, (*plain)(c))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, but Modules is written [] when empty,
// as the module's JSON forms write a list (see the package doc of
// salesprocess), where encoding/json would write a nil slice null.
func (c Curriculum) MarshalJSON() ([]byte, error) {
	type plain Curriculum
	p := plain(c)
	p.Modules = list(p.Modules)
	return salesprocess.EncodeJSON(p)
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "curriculum".
func (c *Curriculum) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(c); err != nil {
		return err
	}
	type plain Curriculum
	return salesprocess.DecodeJSONStrict("curriculum", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "decision".
func (d *Decision) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(d); err != nil {
		return err
	}
	type plain Decision
	return salesprocess.DecodeJSON("decision", data, (*plain)(d))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "decision_reason".
func (r *DecisionReason) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(r); err != nil {
		return err
	}
	type plain DecisionReason
	return salesprocess.DecodeJSON("decision_reason", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "disclosure".
func (d *Disclosure) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(d); err != nil {
		return err
	}
	type plain Disclosure
	return salesprocess.DecodeJSON("disclosure", data, (*plain)(d))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "figures".
func (f *Figures) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(f); err != nil {
		return err
	}
	type plain Figures
	return salesprocess.DecodeJSON("figures", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "improvement".
func (im *Improvement) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(im); err != nil {
		return err
	}
	type plain Improvement
	return salesprocess.DecodeJSON("improvement", data, (*plain)(im))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "issue".
func (i *Issue) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(i); err != nil {
		return err
	}
	type plain Issue
	return salesprocess.DecodeJSON("issue", data, (*plain)(i))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "locality_figures".
func (f *LocalityFigures) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(f); err != nil {
		return err
	}
	type plain LocalityFigures
	return salesprocess.DecodeJSON("locality_figures", data, (*plain)(f))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "module".
func (m *Module) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(m); err != nil {
		return err
	}
	type plain Module
	return salesprocess.DecodeJSONStrict("module", data, (*plain)(m))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "module_progress".
func (p *ModuleProgress) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(p); err != nil {
		return err
	}
	type plain ModuleProgress
	return salesprocess.DecodeJSON("module_progress", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "objection".
func (o *Objection) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(o); err != nil {
		return err
	}
	type plain Objection
	return salesprocess.DecodeJSON("objection", data, (*plain)(o))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [salesprocess.EncodeJSON]).
func (o Onboarding) MarshalJSON() ([]byte, error) {
	type plain Onboarding
	return salesprocess.EncodeJSON(plain(o))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "onboarding".
func (o *Onboarding) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(o); err != nil {
		return err
	}
	type plain Onboarding
	return salesprocess.DecodeJSON("onboarding", data, (*plain)(o))
}

// MarshalJSON implements [encoding/json.Marshaler]: the form
// [encoding/json] gives the fields, every decimal a string whatever
// decimal.MarshalJSONWithoutQuotes says (see [salesprocess.EncodeJSON]),
// and Localities [] when empty.
func (p Pilot) MarshalJSON() ([]byte, error) {
	type plain Pilot
	w := plain(p)
	w.Localities = list(w.Localities)
	return salesprocess.EncodeJSON(w)
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "pilot".
func (p *Pilot) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(p); err != nil {
		return err
	}
	type plain Pilot
	return salesprocess.DecodeJSON("pilot", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "progress".
func (p *Progress) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(p); err != nil {
		return err
	}
	type plain Progress
	return salesprocess.DecodeJSON("progress", data, (*plain)(p))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "reason".
func (r *Reason) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(r); err != nil {
		return err
	}
	type plain Reason
	return salesprocess.DecodeJSON("reason", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "report".
func (r *Report) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(r); err != nil {
		return err
	}
	type plain Report
	return salesprocess.DecodeJSON("report", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "sale".
func (s *Sale) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(s); err != nil {
		return err
	}
	type plain Sale
	return salesprocess.DecodeJSON("sale", data, (*plain)(s))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "verdict".
func (v *Verdict) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(v); err != nil {
		return err
	}
	type plain Verdict
	return salesprocess.DecodeJSON("verdict", data, (*plain)(v))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [salesprocess.ErrInvalid] and name the field below "violation".
func (v *Violation) UnmarshalJSON(data []byte) error {
	if err := salesprocess.CheckTarget(v); err != nil {
		return err
	}
	type plain Violation
	return salesprocess.DecodeJSON("violation", data, (*plain)(v))
}

// MarshalJSON implements [encoding/json.Marshaler]; Expiring is left out
// when zero, which the struct tag option omitzero would do from Go 1.24
// on. An Expiring that cannot be encoded ([salesprocess.Period.MarshalText]
// refuses it: outside the years 1 to 9999, in a zone without an IANA name)
// is an error wrapping [salesprocess.ErrInvalid] that names
// "certificate_filter.expiring".
func (f CertificateFilter) MarshalJSON() ([]byte, error) {
	type plain CertificateFilter
	var expiring *salesprocess.Period
	if !f.Expiring.IsZero() {
		if err := periodError("certificate_filter.expiring", f.Expiring); err != nil {
			return nil, err
		}
		expiring = &f.Expiring
	}
	return salesprocess.EncodeJSON(struct {
		plain
		Expiring *salesprocess.Period `json:"expiring,omitempty"`
	}{plain(f), expiring})
}

// The MarshalJSON methods below leave out a time that is zero while
// something has not happened yet (a module not passed, an assignment not
// done, an issue still open), as the module's JSON forms leave out a zero
// time (see the package doc of salesprocess), where encoding/json would
// write "0001-01-01T00:00:00Z"; the member comes last when set. The
// struct tag option omitzero would do that from Go 1.24 on; Go 1.23
// ignores it, and this module supports Go 1.23. The UnmarshalJSON methods
// read the member left out, and the zero time written out, as earlier
// versions wrote it, as zero. A time that JSON cannot write (past the
// year 9999) is an error wrapping [salesprocess.ErrInvalid] that names the
// member ("issue.resolved").

// MarshalJSON implements [encoding/json.Marshaler]; DoneAt is left out
// when zero.
func (p AssignmentProgress) MarshalJSON() ([]byte, error) {
	type plain AssignmentProgress
	doneAt, err := timeMember("assignment_progress.done_at", p.DoneAt)
	if err != nil {
		return nil, err
	}
	return salesprocess.EncodeJSON(struct {
		plain
		DoneAt *time.Time `json:"done_at,omitempty"`
	}{plain(p), doneAt})
}

// MarshalJSON implements [encoding/json.Marshaler]; PassedAt is left out
// when zero.
func (p ModuleProgress) MarshalJSON() ([]byte, error) {
	type plain ModuleProgress
	passedAt, err := timeMember("module_progress.passed_at", p.PassedAt)
	if err != nil {
		return nil, err
	}
	return salesprocess.EncodeJSON(struct {
		plain
		PassedAt *time.Time `json:"passed_at,omitempty"`
	}{plain(p), passedAt})
}

// MarshalJSON implements [encoding/json.Marshaler]; Resolved is left out
// when zero, while the issue is open.
func (i Issue) MarshalJSON() ([]byte, error) {
	type plain Issue
	resolved, err := timeMember("issue.resolved", i.Resolved)
	if err != nil {
		return nil, err
	}
	return salesprocess.EncodeJSON(struct {
		plain
		Resolved *time.Time `json:"resolved,omitempty"`
	}{plain(i), resolved})
}

// The MarshalJSON methods below write a list of results [] when empty,
// as the module's JSON forms do (see the package doc of salesprocess),
// where encoding/json would write a nil slice null; the list comes last.
// The UnmarshalJSON methods read null, as earlier versions wrote it, as
// nil.

// MarshalJSON implements [encoding/json.Marshaler]; Modules is written []
// when empty.
func (p Progress) MarshalJSON() ([]byte, error) {
	type plain Progress
	return salesprocess.EncodeJSON(struct {
		plain
		Modules []ModuleProgress `json:"modules"`
	}{plain(p), list(p.Modules)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Reasons is written []
// when empty.
func (d Decision) MarshalJSON() ([]byte, error) {
	type plain Decision
	return salesprocess.EncodeJSON(struct {
		plain
		Reasons []DecisionReason `json:"reasons"`
	}{plain(d), list(d.Reasons)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Localities is written
// [] when empty.
func (f Figures) MarshalJSON() ([]byte, error) {
	type plain Figures
	return salesprocess.EncodeJSON(struct {
		plain
		Localities []LocalityFigures `json:"localities"`
	}{plain(f), list(f.Localities)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Reasons is written []
// when empty, and Certificate, zero when the rep is not ready, is left out
// then, where encoding/json would write its zero times.
func (v Verdict) MarshalJSON() ([]byte, error) {
	type plain Verdict
	var cert *Certificate
	if v.Certificate != (Certificate{}) {
		cert = &v.Certificate
	}
	return salesprocess.EncodeJSON(struct {
		plain
		Certificate *Certificate `json:"certificate,omitempty"`
		Reasons     []Reason     `json:"reasons"`
	}{plain(v), cert, list(v.Reasons)})
}

// MarshalJSON implements [encoding/json.Marshaler]; Violations and Missing
// are written [] when empty.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	return salesprocess.EncodeJSON(struct {
		plain
		Violations []Violation  `json:"violations"`
		Missing    []Disclosure `json:"missing"`
	}{plain(r), list(r.Violations), list(r.Missing)})
}

// list returns s, or an empty slice if s is nil, which encoding/json
// writes [] where it writes a nil slice null.
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// timeMember returns a pointer to t, nil if t is zero, or an error
// wrapping [salesprocess.ErrInvalid] that names field if JSON cannot
// write t.
func timeMember(field string, t time.Time) (*time.Time, error) {
	if t.IsZero() {
		return nil, nil
	}
	if _, err := t.MarshalJSON(); err != nil {
		return nil, fmt.Errorf("%w: %w", salesprocess.Invalid(field, "cannot be encoded"), err)
	}
	return &t, nil
}
