package quota

import sp "github.com/salesprocess/salesprocess"

// The values of the string enumerations of the package, for their
// Validate and UnmarshalText methods.
var (
	levels   = []Level{LevelCompany, LevelRegion, LevelRep}
	metrics  = []Metric{MetricRevenue, MetricWonDeals}
	outcomes = []Outcome{OutcomeOpen, OutcomeWon, OutcomeLost}
	statuses = []Status{StatusMet, StatusOnPace, StatusBehind, StatusAtRisk, StatusMissed}
	bases    = []Basis{BasisCohort, BasisPeriod}
	methods  = []Method{MethodCertain, MethodEnumeration, MethodLattice, MethodGrid, MethodEdgeworth}
	verdicts = []Verdict{VerdictBelow, VerdictAbove, VerdictInconclusive, VerdictNoData}
)

// Validate reports whether l is a known level; the error wraps
// [sp.ErrInvalid].
func (l Level) Validate() error { return sp.CheckEnum("level", l, levels...) }

// String returns l as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (l Level) String() string { return string(l) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown level is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (l Level) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("level", l, levels...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid] and leaves l unchanged; empty
// text gives the zero Level.
func (l *Level) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("level", l, text, levels...)
}

// Validate reports whether m is a known metric; the error wraps
// [sp.ErrInvalid].
func (m Metric) Validate() error { return sp.CheckEnum("metric", m, metrics...) }

// String returns m as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (m Metric) String() string { return string(m) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown metric is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (m Metric) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("metric", m, metrics...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid] and leaves m unchanged; empty
// text gives the zero Metric.
func (m *Metric) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("metric", m, text, metrics...)
}

// Validate reports whether o is a known outcome; the error wraps
// [sp.ErrInvalid].
func (o Outcome) Validate() error { return sp.CheckEnum("outcome", o, outcomes...) }

// String returns o as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (o Outcome) String() string { return string(o) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown outcome is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (o Outcome) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("outcome", o, outcomes...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid] and leaves o unchanged; empty
// text gives the zero Outcome.
func (o *Outcome) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("outcome", o, text, outcomes...)
}

// Validate reports whether s is a known status; the error wraps
// [sp.ErrInvalid].
func (s Status) Validate() error { return sp.CheckEnum("status", s, statuses...) }

// String returns s as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (s Status) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown status is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (s Status) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("status", s, statuses...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid] and leaves s unchanged; empty
// text gives the zero Status.
func (s *Status) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("status", s, text, statuses...)
}

// Validate reports whether b is a known basis; the error wraps
// [sp.ErrInvalid].
func (b Basis) Validate() error { return sp.CheckEnum("basis", b, bases...) }

// String returns b as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (b Basis) String() string { return string(b) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown basis is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (b Basis) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("basis", b, bases...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid] and leaves b unchanged; empty
// text gives the zero Basis.
func (b *Basis) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("basis", b, text, bases...)
}

// Validate reports whether m is a known method; the error wraps
// [sp.ErrInvalid].
func (m Method) Validate() error { return sp.CheckEnum("method", m, methods...) }

// String returns m as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (m Method) String() string { return string(m) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown method is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (m Method) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("method", m, methods...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid] and leaves m unchanged; empty
// text gives the zero Method.
func (m *Method) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("method", m, text, methods...)
}

// Validate reports whether v is a known verdict; the error wraps
// [sp.ErrInvalid].
func (v Verdict) Validate() error { return sp.CheckEnum("verdict", v, verdicts...) }

// String returns v as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (v Verdict) String() string { return string(v) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown verdict is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (v Verdict) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("verdict", v, verdicts...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid] and leaves v unchanged; empty
// text gives the zero Verdict.
func (v *Verdict) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("verdict", v, text, verdicts...)
}
