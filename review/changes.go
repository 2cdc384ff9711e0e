package review

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// Changes is what changed from one review to the next, as [Compare]
// finds it: the findings of the current report that the previous one did
// not have (New), those that both have (Recurring, with the finding of
// each report), and those of the previous report that the current one no
// longer has (Resolved). A recurring or resolved finding about a rep
// comes with the retraining the previous report assigned that rep, so
// that a manager sees whether the rep was sent to retrain, and whether the
// shortfall is still there since.
//
// Its JSON form holds the fields below, in their order, the lists always
// present (empty as []), and round-trips. [Changes.Markdown] and
// [Changes.Text] render it for people. The zero Changes are between no
// reviews, with no finding: they render, and their JSON decodes back.
type Changes struct {
	// Previous and Current are the periods of the two reports, and
	// PreviousAsOf and CurrentAsOf their as-of times.
	Previous     sp.Period `json:"previous"`
	PreviousAsOf time.Time `json:"previous_as_of"`
	Current      sp.Period `json:"current"`
	CurrentAsOf  time.Time `json:"current_as_of"`
	// RulesChanged reports that the two reports ran under rules documents
	// of different JSON forms: a finding may then come or go with a
	// threshold rather than with the figures.
	RulesChanged bool `json:"rules_changed"`
	// New are the findings of the current report without a match in the
	// previous one, in the order of a report's findings: by severity (most
	// severe first), subject, rule and ID.
	New []Finding `json:"new"`
	// Recurring are the findings of both reports, matched, in that order
	// of their current findings.
	Recurring []Recurrence `json:"recurring"`
	// Resolved are the findings of the previous report without a match in
	// the current one, in that order.
	Resolved []Resolution `json:"resolved"`
}

// Recurrence is a finding of the previous report matched by one of the
// current report (see [Compare]): the same rule about the same subject,
// whose severity, cause, evidence and actions may differ. The zero
// Recurrence pairs two zero findings: its SeverityChange is 0.
type Recurrence struct {
	Previous Finding `json:"previous"`
	Current  Finding `json:"current"`
	// Retraining are the assignments the previous report made to the
	// finding's rep (see [Compare]): a shortfall that recurs after them
	// was not mended by the retraining, or not yet.
	Retraining []AssignmentResult `json:"retraining"`
}

// SeverityChange returns how the severity moved from the previous finding
// to the current one, in steps of [Severity.Rank]: positive when the
// current finding is more severe (warning to critical is 1), negative when
// it is less, 0 when it is as severe.
func (r Recurrence) SeverityChange() int {
	return r.Current.Severity.Rank() - r.Previous.Severity.Rank()
}

// Resolution is a finding of the previous report that the current one no
// longer has (see [Compare]). The zero Resolution holds the zero finding,
// without retraining.
type Resolution struct {
	Previous Finding `json:"previous"`
	// Retraining are the assignments the previous report made to the
	// finding's rep (see [Compare]), after which the finding went away.
	Retraining []AssignmentResult `json:"retraining"`
}

// Compare follows the findings of the previous report into the current
// one, as a manager compares this month's review with last month's, and
// returns the findings new, recurring and resolved (see [Changes]). It is
// pure: it reads the two reports and changes neither.
//
// Two findings, one of each report, are the same when they have
//
//   - the same Rule,
//   - the same [Subject], every field of it,
//   - the same stem (below), and
//   - the same rank among the findings of their report of that rule,
//     subject and stem.
//
// The stem of a finding is its ID without a "#<n>" at its end: what the
// review appends to the ID of a rule's second, third ... finding of one
// ID, n from 2 up, without a sign or leading zeros (see [Finding].ID).
// Findings of one rule, subject and stem are ranked by their n (1 without
// "#<n>"), then by ID. The first of the previous report is matched with
// the first of the current one, and so on; those without a match are new
// or resolved.
//
// A finding about a goal has another stem. Its ID, as it is or else
// without "#<n>", is its rule, ":" and a goal of either report's snapshot
// as the built-in rules name it, by its subject key, period and metric
// ("target_missed:rep=bob:2026-11,revenue"), and its product when its
// subject does not name it. Its stem is the goal without
// its period: the period's kind (month, quarter, ...), the goal's metric,
// and its product when its subject does not name it. So the shortfall of
// Bob's November revenue goal recurs as that of his December revenue goal,
// while his won-deals goal, or his quarter's goal, is followed apart. The
// certification rule's finding of a certificate about to expire
// (":expiring") is followed apart from its finding of a missing or invalid
// one. A host rule's findings are matched by the IDs it gives them: a host
// rule that writes a period into its IDs should leave it out, or its
// findings are new each period.
//
// A recurring or resolved finding about a rep (a rep's subject, or a rep's
// sales of a product) comes with its retraining: the assignments of the
// previous report's [Outcome] to that rep, whatever the findings they were
// made for. For a rep's sales of one product, only the assignments on that
// product count. They keep the outcome's order and status: a proposed one
// was not carried out. A finding about the company, a region or a product
// has none.
//
// The reports may be of any periods and as-of times, a review compared
// with a rerun of the same period included, but the previous report may
// not come after the current one. An error wrapping [sp.ErrInvalid]
// refuses:
//
//   - a previous period that starts after the current one's, or one of the
//     same start with a later as-of time;
//   - in either report, a version other than [ReportVersion], a missing
//     period, a rules document that [ParseReport] would refuse, or two
//     findings of one ID.
//
// The findings are otherwise taken as written, as [Report.Markdown] takes
// them. The Changes hold them and the assignments as they are, sharing
// their slices (evidence, actions) with the reports, and the findings of
// one rep (or of one rep's sales of one product) share their retraining
// list: one list per rep, where a list for each finding would grow with
// the findings times the rep's assignments.
func Compare(previous, current Report) (Changes, error) {
	if err := checkCompared("previous", &previous); err != nil {
		return Changes{}, err
	}
	if err := checkCompared("current", &current); err != nil {
		return Changes{}, err
	}
	ps, cs := previous.Period.Start(), current.Period.Start()
	switch {
	case ps.After(cs):
		return Changes{}, fmt.Errorf("review: compare: %w", sp.Invalid("previous.period",
			"%s starts after the current report's period %s", previous.Period, current.Period))
	case ps.Equal(cs) && previous.AsOf.After(current.AsOf):
		return Changes{}, fmt.Errorf("review: compare: %w", sp.Invalid("previous.as_of",
			"%s is after the current report's as-of time %s of a period of the same start", sp.FormatTime(previous.AsOf), sp.FormatTime(current.AsOf)))
	}
	pj, err := marshal(previous.Rules)
	if err != nil {
		return Changes{}, fmt.Errorf("review: compare: %w", sp.InField("previous.rules", err))
	}
	cj, err := marshal(current.Rules)
	if err != nil {
		return Changes{}, fmt.Errorf("review: compare: %w", sp.InField("current.rules", err))
	}

	ch := Changes{
		Previous: previous.Period, PreviousAsOf: previous.AsOf,
		Current: current.Period, CurrentAsOf: current.AsOf,
		RulesChanged: !bytes.Equal(pj, cj),
		New:          []Finding{}, Recurring: []Recurrence{}, Resolved: []Resolution{},
	}
	goals := goalStems(&previous, &current)
	before := matchKeys(&previous, goals)
	byKey := make(map[matchKey]int, len(before))
	for i, k := range before {
		byKey[k] = i
	}
	retrain := retrainer{out: &previous.Outcome, byRep: assignmentsByRep(&previous.Outcome), lists: map[Subject][]AssignmentResult{}}
	matched := make([]bool, len(previous.Findings))
	for i, k := range matchKeys(&current, goals) {
		f := current.Findings[i]
		j, ok := byKey[k]
		if !ok {
			ch.New = append(ch.New, f)
			continue
		}
		matched[j] = true
		p := previous.Findings[j]
		ch.Recurring = append(ch.Recurring, Recurrence{Previous: p, Current: f, Retraining: retrain.of(p.Subject)})
	}
	for j, p := range previous.Findings {
		if !matched[j] {
			ch.Resolved = append(ch.Resolved, Resolution{Previous: p, Retraining: retrain.of(p.Subject)})
		}
	}
	slices.SortStableFunc(ch.New, compareFindings)
	slices.SortStableFunc(ch.Recurring, func(a, b Recurrence) int { return compareFindings(a.Current, b.Current) })
	slices.SortStableFunc(ch.Resolved, func(a, b Resolution) int { return compareFindings(a.Previous, b.Previous) })
	return ch, nil
}

// checkCompared checks report r, named which, as [Compare] says.
func checkCompared(which string, r *Report) error {
	if r.Version != ReportVersion {
		return fmt.Errorf("review: compare: %w", sp.Invalid(which+".version", "%d is not supported; want %d", r.Version, ReportVersion))
	}
	if r.Period.IsZero() {
		return fmt.Errorf("review: compare: %w", sp.Invalid(which+".period", "missing"))
	}
	if err := r.Rules.validate(); err != nil {
		return fmt.Errorf("review: compare: %w", sp.InField(which+".rules", err))
	}
	seen := make(map[string]bool, len(r.Findings))
	for i, f := range r.Findings {
		if seen[f.ID] {
			return fmt.Errorf("review: compare: %w", sp.Invalid(fmt.Sprintf("%s.findings[%d].id", which, i),
				"%s is the ID of an earlier finding", sp.Quote(f.ID)))
		}
		seen[f.ID] = true
	}
	return nil
}

// matchKey is what makes two findings the same (see [Compare]): rule,
// subject, stem and rank. A goal's stem is apart from an ID's, so that no
// ID makes the stem of a goal.
type matchKey struct {
	rule    string
	subject Subject
	goal    bool
	stem    string
	rank    int
}

// goalStems returns the stems of the goals of the reports' snapshots (see
// [Compare]), by the part of a finding ID that names a goal: its subject
// key, period and metric (see GoalRow.id). Of two goals of one ID, the
// first is taken.
func goalStems(reports ...*Report) map[string]string {
	stems := map[string]string{}
	for _, r := range reports {
		for _, g := range r.Snapshot.Goals {
			id := g.id()
			if _, ok := stems[id]; ok {
				continue
			}
			stem := string(g.Goal.Period.Kind()) + "," + string(g.Goal.Metric())
			if g.Goal.Product != "" && g.Subject().Product == "" {
				stem += ",product=" + string(g.Goal.Product)
			}
			stems[id] = stem
		}
	}
	return stems
}

// matchKeys returns the match key of each finding of r, by index, with
// the stems of goals.
func matchKeys(r *Report, goals map[string]string) []matchKey {
	keys := make([]matchKey, len(r.Findings))
	ns := make([]int, len(r.Findings))
	for i, f := range r.Findings {
		k, n := matchKey{rule: f.Rule, subject: f.Subject}, 1
		// The ID as it is names a goal whose IDs hold a "#" ("w#2"),
		// which is not cut.
		if stem, ok := goalStem(goals, f.Rule, f.ID); ok {
			k.goal, k.stem = true, stem
		} else {
			k.stem, n = idSuffix(f.ID)
			if stem, ok := goalStem(goals, f.Rule, k.stem); ok {
				k.goal, k.stem = true, stem
			}
		}
		keys[i], ns[i] = k, n
	}
	// Rank the findings of one rule, subject and stem by n, then by ID.
	order := make([]int, len(r.Findings))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(ns[a], ns[b]), cmp.Compare(r.Findings[a].ID, r.Findings[b].ID))
	})
	ranks := make(map[matchKey]int, len(keys))
	for _, i := range order {
		ranks[keys[i]]++
		keys[i].rank = ranks[keys[i]]
	}
	return keys
}

// goalStem returns the stem of the goal that id, of a finding of rule,
// names, if it names one of goals (see [goalStems]).
func goalStem(goals map[string]string, rule, id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, rule+":")
	if !ok {
		return "", false
	}
	stem, ok := goals[rest]
	return stem, ok
}

// idSuffix splits a finding ID into its base and the n of a "#<n>" at its
// end, n from 2 up without leading zeros and of at most nine digits; an ID
// without one is its own base, of n 1.
func idSuffix(id string) (string, int) {
	i := strings.LastIndexByte(id, '#')
	if i < 0 || len(id)-i-1 > 9 {
		return id, 1
	}
	// Itoa gives back the digits only when they are written without a
	// sign or leading zeros.
	n, err := strconv.Atoi(id[i+1:])
	if err != nil || n < 2 || strconv.Itoa(n) != id[i+1:] {
		return id, 1
	}
	return id[:i], n
}

// assignmentsByRep returns the indexes of the assignments of out by their
// rep, each rep's in the outcome's order, for [retraining].
func assignmentsByRep(out *Outcome) map[sp.RepID][]int {
	byRep := make(map[sp.RepID][]int)
	for i, a := range out.Assignments {
		byRep[a.Assignment.Rep] = append(byRep[a.Assignment.Rep], i)
	}
	return byRep
}

// retrainer finds the retraining of findings, each subject's list once.
type retrainer struct {
	out *Outcome
	// byRep is [assignmentsByRep] of out.
	byRep map[sp.RepID][]int
	lists map[Subject][]AssignmentResult
}

// of returns the assignments of the outcome to the rep of subj, on its
// product for a rep's sales of one product; none for another subject. The
// list of a subject is made once and shared, clipped so that an append
// to it copies.
func (r *retrainer) of(subj Subject) []AssignmentResult {
	if subj.Kind != SubjectRep && subj.Kind != SubjectRepProduct {
		return []AssignmentResult{}
	}
	if rs, ok := r.lists[subj]; ok {
		return rs
	}
	rs := []AssignmentResult{}
	for _, i := range r.byRep[subj.Rep] {
		if a := r.out.Assignments[i]; subj.Kind == SubjectRep || a.Product == subj.Product {
			rs = append(rs, a)
		}
	}
	rs = rs[:len(rs):len(rs)]
	r.lists[subj] = rs
	return rs
}

// Markdown writes the changes for people as Markdown: the two reviews and
// how many findings are new, recurring and resolved, whether the rules
// documents differ, then a table of each kind, each finding named by its
// severity, subject, rule, cause and ID (the current one's, for a
// recurring finding). A recurring finding shows its current severity and
// cause, and the previous ones where they differ ("critical (was
// warning)"); a recurring or resolved finding shows the retraining the
// previous review assigned its rep: module, product, due date and status,
// which the text before the tables explains when there is any. Tables and
// text are written and escaped as in [Report.Markdown].
func (c *Changes) Markdown(w io.Writer) error { return c.render(w, true) }

// Text writes the changes for people as plain text, with the content of
// [Changes.Markdown] and space-aligned tables.
func (c *Changes) Text(w io.Writer) error { return c.render(w, false) }

func (c *Changes) render(w io.Writer, md bool) error {
	switch {
	case c == nil:
		return fmt.Errorf("review: nil changes: %w", sp.ErrInvalid)
	case w == nil:
		return fmt.Errorf("review: nil writer: %w", sp.ErrInvalid)
	}
	p := &printer{w: w, md: md}
	p.heading(1, "Changes from the review of "+c.Previous.String()+" to the review of "+c.Current.String())
	text := fmt.Sprintf("Review of %s as of %s; review of %s as of %s. Findings matched by rule and subject: "+
		"%d new, %d recurring, %d resolved.", c.Previous, timeText(c.PreviousAsOf), c.Current, timeText(c.CurrentAsOf),
		len(c.New), len(c.Recurring), len(c.Resolved))
	if c.RulesChanged {
		text += " The rules documents of the two reviews differ: a finding may have come or gone with a threshold."
	}
	if slices.ContainsFunc(c.Recurring, func(r Recurrence) bool { return len(r.Retraining) > 0 }) ||
		slices.ContainsFunc(c.Resolved, func(r Resolution) bool { return len(r.Retraining) > 0 }) {
		text += " Retraining assigned is what the previous review assigned the finding's rep, with its status then: " +
			"an assignment done is a rep told to retrain, not a retraining finished."
	}
	p.para(text)

	p.heading(2, fmt.Sprintf("New (%d)", len(c.New)))
	rows := make([][]string, 0, len(c.New))
	for i, f := range c.New {
		rows = append(rows, []string{fmt.Sprint(i + 1), string(f.Severity), f.Subject.String(), f.Rule, causeText(f.Cause), f.ID})
	}
	p.table([]string{"#", "Severity", "Subject", "Rule", "Cause", "Finding"}, "rlllll", rows)

	p.heading(2, fmt.Sprintf("Recurring (%d)", len(c.Recurring)))
	rows = make([][]string, 0, len(c.Recurring))
	for i, r := range c.Recurring {
		severity := string(r.Current.Severity)
		if r.Current.Severity != r.Previous.Severity {
			severity += " (was " + string(r.Previous.Severity) + ")"
		}
		cause := causeText(r.Current.Cause)
		if r.Current.Cause != r.Previous.Cause {
			cause += " (was " + causeText(r.Previous.Cause) + ")"
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), severity, r.Current.Subject.String(), r.Current.Rule, cause,
			r.Current.ID, retrainingText(r.Retraining)})
	}
	p.table([]string{"#", "Severity", "Subject", "Rule", "Cause", "Finding", "Retraining assigned"}, "rllllll", rows)

	p.heading(2, fmt.Sprintf("Resolved (%d)", len(c.Resolved)))
	rows = make([][]string, 0, len(c.Resolved))
	for i, r := range c.Resolved {
		f := r.Previous
		rows = append(rows, []string{fmt.Sprint(i + 1), string(f.Severity), f.Subject.String(), f.Rule, causeText(f.Cause),
			f.ID, retrainingText(r.Retraining)})
	}
	p.table([]string{"#", "Severity", "Subject", "Rule", "Cause", "Finding", "Retraining assigned"}, "rllllll", rows)
	if p.err != nil {
		return fmt.Errorf("review: changes: %w", p.err)
	}
	return nil
}

// causeText writes a cause, and the zero one as "-".
func causeText(c Cause) string {
	if c == "" {
		return "-"
	}
	return string(c)
}

// retrainingText describes assignments for a table cell: "module
// widget-basics on widget by <due>, done", joined by "; ", or "-".
func retrainingText(as []AssignmentResult) string {
	if len(as) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(as))
	for _, a := range as {
		parts = append(parts, fmt.Sprintf("module %s on %s by %s, %s", a.Assignment.Module, a.Product, timeText(a.Assignment.Due), a.Status))
	}
	return strings.Join(parts, "; ")
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] as the other types
// of the package do (see [Finding.UnmarshalJSON]); errors wrap
// [sp.ErrInvalid] and name the field below "changes".
func (c *Changes) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(c); err != nil {
		return err
	}
	type plain Changes
	return sp.DecodeJSON("changes", data, (*plain)(c))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "recurrence".
func (r *Recurrence) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain Recurrence
	return sp.DecodeJSON("recurrence", data, (*plain)(r))
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]; errors wrap
// [sp.ErrInvalid] and name the field below "resolution".
func (r *Resolution) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return err
	}
	type plain Resolution
	return sp.DecodeJSON("resolution", data, (*plain)(r))
}
