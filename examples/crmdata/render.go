package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/salesprocess/salesprocess/review"
)

// writeJSON writes the report as indented JSON; maps come out with their
// keys sorted, so the output is stable.
func writeJSON(w io.Writer, rep *report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// textWriter writes the text report, keeping the first write error.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// table writes a table: a header and rows of cells, columns separated by
// two spaces, numbers as they come.
func (t *textWriter) table(header []string, rows [][]string) {
	if t.err != nil {
		return
	}
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  %s\n", strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\n", strings.Join(r, "\t"))
	}
	t.err = tw.Flush()
}

// writeText writes the report for people: totals, then tables by office,
// month, agent, product and manager, the attainment, the data's quirks,
// the fixes and the skipped rows.
func writeText(w io.Writer, rep *report) error {
	t := &textWriter{w: w}
	t.printf("CRM Sales Opportunities from %s\n", rep.Data)
	t.printf("Amounts in %s, whole units; dates at the start of the day in each office's time zone.\n\n", rep.Currency)

	d := rep.Deals
	t.printf("Deals: %d loaded of %d rows (%d skipped)\n", d.Total, d.Rows, d.Skipped)
	var stages []string
	for _, s := range stageOrder {
		stages = append(stages, fmt.Sprintf("%s %d", s, d.ByStage[s]))
	}
	t.printf("  %s\n", strings.Join(stages, ", "))
	c := rep.WinRate.Closed.Overall
	t.printf("Win rate: %s (%d won of %d closed)\n", rep.WinRate.Overall, c.Won, c.Won+c.Lost)
	t.printf("Won value: %s\n", rep.WonValue.Total)
	cy := rep.CycleDays.Overall
	if cy.Count == 0 {
		t.printf("Sales cycle of won deals: none won\n\n")
	} else {
		t.printf("Sales cycle of won deals: median %s days, mean %s days (%d deals, %d to %d days)\n\n", cy.Median, cy.Mean, cy.Count, cy.Min, cy.Max)
	}

	offices := slices.Sorted(maps.Keys(rep.Offices))
	t.printf("Offices\n")
	var rows [][]string
	for _, name := range offices {
		o := rep.Offices[name]
		rows = append(rows, []string{name, o.TimeZone, strings.Join(o.Managers, ", "), fmt.Sprint(o.Agents)})
	}
	t.table([]string{"Office", "Time zone", "Managers", "Agents"}, rows)

	t.printf("\nDeals by office (the sales cycle of won deals in days)\n")
	rows = nil
	for _, name := range offices {
		s, wl, cy := d.ByOffice[name], rep.WinRate.Closed.ByOffice[name], rep.CycleDays.ByOffice[name]
		median, mean := cy.Median, cy.Mean
		if cy.Count == 0 { // no won deal, no cycle
			median, mean = "-", "-"
		}
		rows = append(rows, []string{name, fmt.Sprint(s["Prospecting"]), fmt.Sprint(s["Engaging"]), fmt.Sprint(wl.Won),
			fmt.Sprint(wl.Lost), orDash(rep.WinRate.ByOffice[name]), rep.WonValue.ByOffice[name], median, mean})
	}
	t.table([]string{"Office", "Prospecting", "Engaging", "Won", "Lost", "Win rate", "Won value", "Median cycle", "Mean cycle"}, rows)

	t.printf("\nWon value by close month\n")
	rows = nil
	for _, m := range slices.Sorted(maps.Keys(rep.WonValue.ByMonth)) {
		r := []string{m}
		for _, name := range offices {
			r = append(r, orZero(rep.WonValue.ByOfficeMonth[name][m]))
		}
		rows = append(rows, append(r, rep.WonValue.ByMonth[m]))
	}
	t.table(append(append([]string{"Month"}, offices...), "Total"), rows)

	t.printf("\nAgents\n")
	rows = nil
	for _, name := range slices.Sorted(maps.Keys(rep.Agents)) {
		a, wl := rep.Agents[name], rep.WinRate.Closed.ByAgent[name]
		rows = append(rows, []string{name, a.Office, a.Manager, fmt.Sprint(a.Deals), fmt.Sprint(wl.Won), fmt.Sprint(wl.Lost),
			orDash(rep.WinRate.ByAgent[name]), orZero(rep.WonValue.ByAgent[name])})
	}
	t.table([]string{"Agent", "Office", "Manager", "Deals", "Won", "Lost", "Win rate", "Won value"}, rows)
	if len(rep.AgentsWithoutDeals) > 0 {
		t.printf("  Agents without deals (%d): %s\n", len(rep.AgentsWithoutDeals), strings.Join(rep.AgentsWithoutDeals, ", "))
	}

	t.printf("\nProducts\n")
	rows = nil
	for _, name := range slices.Sorted(maps.Keys(rep.Products)) {
		wl := rep.WinRate.Closed.ByProduct[name]
		rows = append(rows, []string{name, orDash(rep.Products[name]), fmt.Sprint(wl.Won), fmt.Sprint(wl.Lost),
			orDash(rep.WinRate.ByProduct[name]), orZero(rep.WonValue.ByProduct[name])})
	}
	t.table([]string{"Product", "List price", "Won", "Lost", "Win rate", "Won value"}, rows)

	t.printf("\nManagers\n")
	rows = nil
	for _, name := range slices.Sorted(maps.Keys(rep.WinRate.ByManager)) {
		wl := rep.WinRate.Closed.ByManager[name]
		rows = append(rows, []string{name, fmt.Sprint(wl.Won), fmt.Sprint(wl.Lost), rep.WinRate.ByManager[name]})
	}
	t.table([]string{"Manager", "Won", "Lost", "Win rate"}, rows)

	if a := rep.Attainment; a != nil {
		writeAttainment(t, a)
	} else {
		t.printf("\nAttainment: the data has no goals; pass -goal \"60000 USD\" for a monthly goal per rep.\n")
	}

	if r := rep.Review; r != nil {
		writeReview(t, r, rep.Attainment != nil)
	}

	q := rep.Quirks
	t.printf("\nQuirks of the data (see its SOURCE.md)\n")
	t.printf("  product spelled differently from products.csv: %s (see fixes)\n", count(q.ProductSpellings, "row"))
	t.printf("  products with blank sales_price: %d (list price shown as -)\n", q.ProductsWithoutPrice)
	t.printf("  open deals with blank close_date and close_value: %d\n", q.OpenWithoutClose)
	t.printf("  Prospecting deals with blank engage_date: %d\n", q.ProspectingWithoutEngage)
	t.printf("  deals with blank account: %d (%d of them open)\n", q.WithoutAccount, q.WithoutAccountOpen)
	t.printf("  Lost deals with close_value 0: %d\n", q.LostWithZeroValue)
	if q.NoAccountsFile {
		t.printf("  accounts.csv: missing (it is optional)\n")
	} else {
		t.printf("  accounts not in accounts.csv: %d\n", q.AccountsNotInAccountsFile)
	}
	t.printf("  agents without deals: %d\n", q.AgentsWithoutDeals)
	t.printf("  goals: %s\n", q.Goals)

	t.printf("\nFixes (%d)\n", len(rep.Fixes))
	for _, f := range rep.Fixes {
		examples := make([]string, len(f.Examples))
		for i, e := range f.Examples {
			examples[i] = printable(e)
		}
		t.printf("  %s: %s %q → %q: %s (%s)\n", f.File, f.Kind, f.From, f.To, count(f.Count, "row"), strings.Join(examples, ", "))
	}
	t.printf("\nSkipped rows (%d)\n", len(rep.Skipped))
	for _, s := range rep.Skipped {
		id := ""
		if s.ID != "" {
			id = " " + printable(s.ID)
		}
		t.printf("  %s:%d%s: %s\n", s.File, s.Line, id, s.Reason)
	}
	return t.err
}

// printable returns s as it is, or quoted with Go's escapes when it holds
// a character that is not printable (a line break, a NUL): an ID from the
// data must not break the report's lines.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// writeAttainment writes the percent of the goal each rep reached each
// month, and how many met it.
func writeAttainment(t *textWriter, a *attainment) {
	if len(a.Months) == 0 {
		t.printf("\nAttainment: goal %s %s per rep per month: %s\n", a.Goal, currency, a.Note)
		return
	}
	t.printf("\nAttainment: goal %s %s per rep per month, as of %s (percent of the goal; * met)\n", a.Goal, currency, a.AsOf)
	if a.Note != "" {
		t.printf("  (%s)\n", a.Note)
	}
	// Six months to a table, so that each reads within 100 columns; the
	// months each rep met the goal are counted in the last.
	agents := slices.Sorted(maps.Keys(a.ByAgent))
	met := make(map[string]int, len(agents))
	for from := 0; from < len(a.Months) || from == 0; from += attainmentMonths {
		months := a.Months[from:min(from+attainmentMonths, len(a.Months))]
		last := from+attainmentMonths >= len(a.Months)
		if from > 0 {
			t.printf("\n")
		}
		var rows [][]string
		for _, name := range agents {
			r := []string{name}
			for _, m := range months {
				at := a.ByAgent[name][m]
				cell := at.Percent
				if at.Status == "met" {
					cell += "*"
					met[name]++
				}
				r = append(r, cell)
			}
			if last {
				r = append(r, fmt.Sprint(met[name]))
			}
			rows = append(rows, r)
		}
		r := []string{"reps who met it"}
		for _, m := range months {
			c := a.MetByMonth[m]
			r = append(r, fmt.Sprintf("%d/%d", c.Met, c.Reps))
		}
		rows = append(rows, r)
		head := append([]string{"Agent"}, months...)
		if last {
			head = append(head, "Months met")
		}
		t.table(head, rows)
	}
}

// attainmentMonths is how many months a table of attainment shows.
const attainmentMonths = 6

// count returns "1 row", "2 rows".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writeReview writes the findings of the review, most severe first, each
// with the evidence behind it, its cause and its actions, a goal
// adjustment with its proposed target. withGoal says whether -goal was
// given.
func writeReview(t *textWriter, r *reviewSection, withGoal bool) {
	var goals string
	switch {
	case r.Goals > 0:
		goals = count(r.Goals, "goal")
	case withGoal:
		goals = "no goals: no agent has deals"
	default:
		goals = "no goals (pass -goal)"
	}
	t.printf("\nReview of %s by the default rules (period %s, as of %s, %s): %s\n",
		r.Month, r.Period, r.AsOf, goals, count(len(r.Findings), "finding"))
	var severities, rules []string
	for _, s := range []string{"critical", "warning", "info"} {
		if n := r.BySeverity[s]; n > 0 {
			severities = append(severities, fmt.Sprintf("%s %d", s, n))
		}
	}
	for _, rule := range slices.Sorted(maps.Keys(r.ByRule)) {
		rules = append(rules, fmt.Sprintf("%s %d", rule, r.ByRule[rule]))
	}
	if len(severities) > 0 || len(rules) > 0 {
		t.printf("  by severity: %s; by rule: %s\n", strings.Join(severities, ", "), strings.Join(rules, ", "))
	}
	for _, f := range r.Findings {
		cause := ""
		if f.Cause != "" {
			cause = ", cause " + string(f.Cause)
		}
		t.printf("  [%s] %s%s: %s\n", f.Severity, f.Rule, cause, f.Summary)
		for _, e := range f.Evidence {
			t.printf("      %s: %s\n", e.Name, e.Value)
		}
		var acts []string
		for _, a := range f.Actions {
			acts = append(acts, actionText(a))
		}
		if len(acts) > 0 {
			t.printf("      actions: %s\n", strings.Join(acts, "; "))
		}
	}
}

// actionText says what an action asks for, in words: "recognize Reed
// Clapper", "send the losses and feedback of MG Advanced to its owner",
// "adjust the goal from 60000.00 USD to 51222.22 USD".
func actionText(a review.Action) string {
	who := string(a.Rep)
	if who == "" && a.Region != "" {
		who = "the team of " + string(a.Region)
	}
	switch {
	case a.Kind == review.ActionRecognize:
		return "recognize " + who
	case a.Kind == review.ActionCoach:
		return "coach " + who + " on " + a.Topic
	case a.Kind == review.ActionRetrain:
		return "retrain " + who + " on " + string(a.Product)
	case a.Kind == review.ActionProductFeedback:
		return "send the losses and feedback of " + string(a.Product) + " to its owner"
	case a.Kind == review.ActionAdjustGoal && a.Proposed != nil && a.Goal != nil:
		return "adjust the goal from " + a.Goal.Target().String() + " to " + a.Proposed.String()
	case a.Kind == review.ActionAdjustGoal && a.Proposed != nil:
		return "adjust the goal to " + a.Proposed.String()
	}
	act := string(a.Kind)
	for _, s := range []string{string(a.Rep), string(a.Region), string(a.Product), a.Topic} {
		if s != "" {
			act += " " + s
		}
	}
	return act
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}
