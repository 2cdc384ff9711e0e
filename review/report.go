package review

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// ReportVersion is the version of the JSON form of [Report], the value
// of [Report.Version]. It changes when a field changes meaning or goes
// away; fields may be added without a change.
const ReportVersion = 1

// Report is the result of a review: the rules it ran under, the snapshot
// of the period, the findings and what their actions came to. Its JSON
// form is stable (fields in the order below, slices sorted, maps with
// sorted keys, decimals and money as strings, durations as text such as
// "24h0m0s") and round-trips: decoding and encoding again gives the same
// bytes. [Report.Markdown] and [Report.Text] render it for people, and
// render a decoded report as they render the one it was encoded from.
// They and [Report.WriteJSON] only read the report, so one report may be
// rendered and written from several goroutines at once, as long as none
// changes it meanwhile.
//
// Its decimals are JSON strings whatever decimal.MarshalJSONWithoutQuotes
// says, so a report written reads back. The zero Report is that of no review: it renders as
// Markdown and text and encodes, but its JSON, of version 0, does not
// decode: [ParseReport] and UnmarshalJSON want the version [ReportVersion].
type Report struct {
	Version int       `json:"version"`
	Period  sp.Period `json:"period"`
	AsOf    time.Time `json:"as_of"`
	// Generated is when the review ran, by its clock.
	Generated time.Time `json:"generated"`
	Rules     Rules     `json:"rules"`
	Snapshot  Snapshot  `json:"snapshot"`
	// Findings are sorted by severity (most severe first), subject, rule
	// and ID.
	Findings []Finding `json:"findings"`
	Outcome  Outcome   `json:"outcome"`
}

// WriteJSON writes the JSON form of r, indented by two spaces, without
// escaping HTML characters, and ending in a newline. A report built or
// changed by hand with counts under an unknown category (see [LossCounts])
// is an error wrapping [sp.ErrInvalid], as [ParseReport] would refuse it;
// the error is the refusing value's own ("unknown loss category ..."),
// after "review: report: ", without the wording of [encoding/json].
func (r *Report) WriteJSON(w io.Writer) error {
	switch {
	case r == nil:
		return fmt.Errorf("review: nil report: %w", sp.ErrInvalid)
	case w == nil:
		return fmt.Errorf("review: nil writer: %w", sp.ErrInvalid)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("review: report: %w", jsonError(err))
	}
	return nil
}

// Finding returns the first of r's findings by rule about subject, in the
// order of [Report.Findings] (most severe first), and whether r has one;
// without one, the zero Finding and false. The finding's Evidence and
// Actions are r's, not copies. A rule may find more than one thing about
// one subject (a rep's target_missed for goals of two periods or metrics,
// the certification rule's missing certificate beside an expiring one, a
// host rule's findings with IDs made distinct by "#2"): read them all
// with [Report.FindingsAbout]. A nil *Report has no findings.
func (r *Report) Finding(rule string, subject Subject) (Finding, bool) {
	if r == nil {
		return Finding{}, false
	}
	for _, f := range r.Findings {
		if f.Rule == rule && f.Subject == subject {
			return f, true
		}
	}
	return Finding{}, false
}

// FindingsAbout returns r's findings about subject by any of rules, or by
// any rule when none is given, in the order of [Report.Findings]; nil if
// there is none. The slice is the caller's; the findings' Evidence and
// Actions are r's. A nil *Report has no findings.
func (r *Report) FindingsAbout(subject Subject, rules ...string) []Finding {
	if r == nil {
		return nil
	}
	var out []Finding
	for _, f := range r.Findings {
		if f.Subject == subject && (len(rules) == 0 || slices.Contains(rules, f.Rule)) {
			out = append(out, f)
		}
	}
	return out
}

// ParseReport reads a report from its JSON form. The durations of its
// figures may be text or, as encoding/json writes a [time.Duration],
// integers of nanoseconds (see [sp.Duration]); those of its rules document
// are text only. A version other than [ReportVersion], malformed JSON, or
// a missing or invalid rules document is an error wrapping
// [sp.ErrInvalid].
func ParseReport(data []byte) (Report, error) {
	var r Report
	if err := r.UnmarshalJSON(data); err != nil {
		return Report{}, err
	}
	return r, nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] with the rules of
// [ParseReport]: a version other than [ReportVersion], malformed JSON or
// an invalid rules document is an error wrapping
// [sp.ErrInvalid] that names the field. On error r is left
// unchanged.
func (r *Report) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	var probe struct {
		Version int             `json:"version"`
		Rules   json.RawMessage `json:"rules"`
	}
	if err := sp.DecodeJSON("report", data, &probe); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	if probe.Version != ReportVersion {
		return fmt.Errorf("review: %w", sp.Invalid("report.version", "%d is not supported; want %d", probe.Version, ReportVersion))
	}
	// The rules first, so that their errors are placed under "rules". A
	// report always has them: the zero Rules would not read back.
	if probe.Rules == nil {
		return fmt.Errorf("review: %w", sp.Invalid("report.rules", "missing"))
	}
	if _, err := ParseRules(probe.Rules); err != nil {
		return fmt.Errorf("review: %w", sp.InField("report.rules", err))
	}
	type plain Report
	var v plain
	if err := sp.DecodeJSON("report", data, &v); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	v.Snapshot.rules = &v.Rules
	v.Snapshot.x = &extras{}
	v.Snapshot.prepare()
	*r = Report(v)
	return nil
}
