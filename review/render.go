package review

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// Markdown writes the report for people as Markdown: the findings with
// their evidence and actions; then tables of the goals (what each attained
// and is short by, with a note when a goal's period is in another time zone
// than the review's, and, for goals whose period runs on after the as-of
// time, the deals open in it and the chance of reaching it); of the team,
// reps and regions, each as two tables, the deals and the inquiries with
// their follow-up; of the products and their losses; of reps by product and
// of expiring certificates (when there are any); and the actions taken,
// each naming the findings that call for it by their numbers in the list of
// findings. A row's comparison with its peers reads "too few" where the row
// has fewer cases than the rules judge (min_deals closed deals, or
// min_inquiries inquiries for the conversion): the rules give such a
// subject cause data, whatever its comparison says. Tables are pipe tables
// padded so that they read aligned as plain text too. Text from the inputs
// (IDs, summaries, evidence, feedback) is escaped so that it shows as
// written rather than as markup; a bare URL in it still shows as a link
// where the renderer links them (GitHub does).
func (r *Report) Markdown(w io.Writer) error { return r.render(w, true) }

// Text writes the report for people as plain text, with the content of
// [Report.Markdown] and space-aligned tables, which the report splits so
// that each reads within 100 columns where its IDs and free text are
// short.
func (r *Report) Text(w io.Writer) error { return r.render(w, false) }

func (r *Report) render(w io.Writer, md bool) error {
	switch {
	case r == nil:
		return fmt.Errorf("review: nil report: %w", sp.ErrInvalid)
	case w == nil:
		return fmt.Errorf("review: nil writer: %w", sp.ErrInvalid)
	}
	p := &printer{w: w, md: md}
	snap := r.Snapshot // a shallow copy, so that rendering changes nothing
	s := &snap
	if s.rules == nil {
		rules := r.Rules
		s.rules = &rules
	}
	places := s.places()
	a := r.Rules.Analysis
	p.heading(1, "Sales review "+r.Period.String())
	p.para(fmt.Sprintf("As of %s, generated %s. Rules version %d; %s compared at %s confidence "+
		"(Wilson intervals, Newcombe hybrid score for differences); rates rounded half-up to %d places; "+
		"fewest cases to judge: %d closed deals, %d inquiries. The win rate is the deals won of those closed "+
		"(won or lost) in the period; the conversion is the inquiries received in the period that became won "+
		"deals by the as-of time; each is written as the two counts and their ratio, from 0 to 1.",
		timeText(r.AsOf), timeText(r.Generated), r.Rules.Version, label(a.Rate), percentText(a.Confidence),
		places, a.MinDeals, a.MinInquiries))

	r.renderFindings(p)

	r.renderGoals(p, s)

	renderFigures(p, s, a.Confidence)
	renderProducts(p, s)
	renderCells(p, s)
	renderExpiring(p, s)

	r.renderOutcome(p, r.findingNumbers())
	if p.err != nil {
		return fmt.Errorf("review: report: %w", p.err)
	}
	return nil
}

// renderFigures writes the figures of the team, the reps and the regions,
// whose intervals are at confidence.
func renderFigures(p *printer, s *Snapshot, confidence decimal.Decimal) {
	p.heading(2, "Team")
	figureTables(p, s, confidence, "Team", "", "", []figureRow{{name: "all", f: &s.Team.Figures, u: &s.Team.FollowUp}})

	p.heading(2, "Reps")
	frows := make([]figureRow, 0, len(s.Reps))
	for i := range s.Reps {
		rep := &s.Reps[i]
		frows = append(frows, figureRow{name: string(rep.Rep) + regionSuffix(string(rep.Region)), f: &rep.Figures,
			u: &rep.FollowUp, vs: &rep.VsTeam})
	}
	figureTables(p, s, confidence, "Rep (region)", "vs other reps", "", frows)

	p.heading(2, "Regions")
	frows = frows[:0]
	for i := range s.Regions {
		g := &s.Regions[i]
		frows = append(frows, figureRow{name: string(g.Region), f: &g.Figures, u: &g.FollowUp, vs: &g.VsRest,
			extra: fmt.Sprintf("%d of %d", g.RepsBelow, g.Reps)})
	}
	figureTables(p, s, confidence, "Region", "vs rest", "Reps below", frows)
}

// renderProducts writes the products' figures, feedback and losses.
func renderProducts(p *printer, s *Snapshot) {
	places := s.places()
	p.heading(2, "Products")
	if len(s.Products) > 0 {
		low := defaultFeedbackPileup().MaxRating
		if rule := s.cfg().Rules.FeedbackPileup; rule != nil {
			low = rule.MaxRating
		}
		p.para(fmt.Sprintf("Feedback: the pieces of feedback on the product in the period, and those rated %d or lower; "+
			"Rating: their average, out of %d. Vs rest: the product's %s against the other products', below or above "+
			"by the difference shown where that is significant.", low, sp.MaxRating, label(s.rateKind())))
	}
	rows := make([][]string, 0, len(s.Products))
	for _, pr := range s.Products {
		rating := "-"
		if pr.Feedback.Count > 0 {
			rating = pr.Feedback.Rating.Decimal(2).StringFixed(2)
		}
		rows = append(rows, []string{
			string(pr.Product), string(pr.Owner), fmt.Sprint(pr.Won), fmt.Sprint(pr.Lost), rateCell(&pr.WinRate, places),
			rateCell(&pr.Conversion, places), fmt.Sprintf("%d (%d low)", pr.Feedback.Count, pr.Feedback.Low), rating,
			verdictCell(s, &pr.Figures, pr.VsRest, places),
		})
	}
	p.table([]string{"Product", "Owner", "Won", "Lost", "Win rate", "Conversion", "Feedback", "Rating", "vs rest"},
		"llrrrrrrl", rows)
	if len(s.Products) > 0 {
		text := "Losses by category, and the reps who closed deals on the product and lost some for a reason " +
			"that points at it"
		if cs := s.cfg().Analysis.Product.LossCategories; len(cs) > 0 {
			text += " (" + joinCategories(cs) + ")"
		}
		p.para(text + ":")
		rows = rows[:0]
		for _, pr := range s.Products {
			rows = append(rows, []string{string(pr.Product), lossesText(pr.Losses), fmt.Sprintf("%d of %d", pr.RepsWithLosses, pr.Reps)})
		}
		p.table([]string{"Product", "Losses", "Reps with such losses"}, "llr", rows)
	}
}

// renderCells writes each rep's figures on each product.
func renderCells(p *printer, s *Snapshot) {
	places := s.places()
	p.heading(2, "Reps by product")
	if len(s.Cells) > 0 {
		p.para("Each rep's sales of each product. Shrunk is the rep's win rate on the product drawn toward the " +
			"reps' rates on it, the more so the fewer deals the rep closed, so that a rep with few deals compares " +
			"fairly; vs peers compares the rep with the other reps on the product; Certification is the rep's " +
			"for the product at the as-of time.")
	}
	rows := make([][]string, 0, len(s.Cells))
	for _, c := range s.Cells {
		cert := string(c.Certification)
		if cert == "" {
			cert = "-"
		}
		rows = append(rows, []string{
			string(c.Rep), string(c.Product), fmt.Sprint(c.Won), fmt.Sprint(c.Lost), rateCell(&c.WinRate, places),
			shrunkCell(&c.WinRate, places), rateCell(&c.Conversion, places), fmt.Sprint(c.Open),
			verdictCell(s, &c.Figures, c.VsPeers, places), cert,
		})
	}
	p.table([]string{"Rep", "Product", "Won", "Lost", "Win rate", "Shrunk", "Conversion", "Open", "vs peers", "Certification"},
		"llrrrrrrll", rows)
}

// renderExpiring writes the certificates that expire soon, if any.
func renderExpiring(p *printer, s *Snapshot) {
	if len(s.Expiring) > 0 {
		p.heading(2, "Certificates expiring")
		rows := make([][]string, 0, len(s.Expiring))
		for _, c := range s.Expiring {
			channel := string(c.Channel)
			if channel == "" {
				channel = "all"
			}
			rows = append(rows, []string{string(c.Rep), string(c.Product), channel, c.BriefVersion.String(), timeText(c.Expires)})
		}
		p.table([]string{"Rep", "Product", "Channel", "Brief", "Expires"}, "lllll", rows)
	}
}

// renderGoals writes the goals: what each attained, and, for the goals
// whose period runs on after the as-of time, the outlook from the deals
// open in it.
func (r *Report) renderGoals(p *printer, s *Snapshot) {
	places := s.places()
	p.heading(2, "Goals")
	rows := make([][]string, 0, len(s.Goals))
	for _, g := range s.Goals {
		short := "-"
		if g.Gap.Sign() > 0 {
			short = g.Gap.String()
		}
		rows = append(rows, []string{g.name(), g.Goal.Period.String(), g.Goal.Target().String(), g.Booked.String(),
			g.percentText(), short, string(g.Status)})
	}
	p.table([]string{"Subject", "Period", "Target", "Attained", "% of target", "Short by", "Status"}, "llrrrrl", rows)
	if zone := r.Period.Location().String(); !r.Period.IsZero() &&
		slices.ContainsFunc(s.Goals, func(g GoalRow) bool { return g.Goal.Period.Location().String() != zone }) {
		period := r.Period.String()
		if !strings.Contains(period, "[") { // UTC, which the text form leaves out
			period += " (UTC)"
		}
		p.para(fmt.Sprintf("Each goal counts the deals closed in its own period, in the time zone its Period "+
			"names; the tables below count those closed in the review's period, %s: where the zones differ, "+
			"so may the amounts.", period))
	}
	rows = rows[:0]
	for _, g := range s.Goals {
		if g.Over(r.AsOf) {
			continue
		}
		coverage := "-"
		if g.Coverage.Valid {
			coverage = g.Coverage.Decimal.StringFixed(2)
		}
		rows = append(rows, []string{g.name(), g.Goal.Period.String(), fmt.Sprint(g.Open), roundAmount(g.Weighted).String(),
			coverage, g.Chance.StringFixed(places)})
	}
	if len(rows) == 0 {
		return
	}
	p.para("The goals whose period runs on: the deals open in it that may still count, their amounts weighted " +
		"by their chance of being won, the coverage (weighted over what is short) and the chance of reaching " +
		"the goal, P(goal), from 0 to 1:")
	p.table([]string{"Subject", "Period", "Open in period", "Weighted", "Coverage", "P(goal)"}, "llrrrr", rows)
}

func (r *Report) renderFindings(p *printer) {
	p.heading(2, fmt.Sprintf("Findings (%d)", len(r.Findings)))
	rows := make([][]string, 0, len(r.Findings))
	for i, f := range r.Findings {
		cause := string(f.Cause)
		if cause == "" {
			cause = "-"
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), string(f.Severity), f.Subject.String(), f.Rule, cause})
	}
	p.table([]string{"#", "Severity", "Subject", "Rule", "Cause"}, "rllll", rows)
	for i, f := range r.Findings {
		p.heading(3, fmt.Sprintf("%d. %s: %s (%s)", i+1, f.Severity, f.Subject, f.Rule))
		p.para(f.Summary)
		items := make([]string, 0, len(f.Evidence))
		for _, e := range f.Evidence {
			items = append(items, e.Name+": "+e.Value)
		}
		p.list("Evidence", items)
		items = items[:0]
		for _, a := range f.Actions {
			items = append(items, actionText(a))
		}
		p.list("Actions", items)
	}
}

func (r *Report) renderOutcome(p *printer, nums map[string]int) {
	o := &r.Outcome
	p.heading(2, "Actions")
	if len(o.Assignments) > 0 || len(o.ProductFeedback) > 0 {
		p.para("Status is how far the review carried an action out: done, assigned or sent by this review; " +
			"existing, assigned by an earlier run; proposed, not carried out. " +
			"An assignment done is a rep told to retrain, not a retraining finished.")
	}
	p.heading(3, "Retraining assignments")
	rows := make([][]string, 0, len(o.Assignments))
	for _, a := range o.Assignments {
		rows = append(rows, []string{string(a.Assignment.Rep), string(a.Assignment.Module), string(a.Product),
			timeText(a.Assignment.Due), string(a.Status), findingRefs(nums, a.Findings)})
	}
	p.table([]string{"Rep", "Module", "Product", "Due", "Status", "Findings"}, "llllll", rows)

	p.heading(3, "Product feedback")
	if len(o.ProductFeedback) == 0 {
		p.para("None.")
	}
	for _, f := range o.ProductFeedback {
		owner := string(f.Owner)
		if owner == "" {
			owner = "no owner"
		}
		p.para(fmt.Sprintf("Product %s, for %s (%s): losses %s; %d pieces of feedback. Findings: %s.",
			f.Product, owner, f.Status, lossesText(f.Losses), f.FeedbackCount, findingRefs(nums, f.Findings)))
		items := make([]string, 0, len(f.LossReasons))
		for _, l := range f.LossReasons {
			items = append(items, lossText(l))
		}
		title := "Loss reasons"
		if row, ok := r.Snapshot.Product(f.Product); ok && int64(len(items)) < row.SignalLosses {
			title = fmt.Sprintf("Loss reasons (the first %d of %d, by deal ID)", len(items), row.SignalLosses)
		}
		p.list(title, items)
		items = items[:0]
		for _, fb := range f.Feedback {
			text := fmt.Sprintf("%d/5 %s, from %s", fb.Rating, fb.Category, feedbackFrom(fb))
			if fb.Text != "" {
				text += ": " + fb.Text
			}
			items = append(items, text)
		}
		title = "Feedback"
		if int64(len(items)) < f.FeedbackCount {
			title = fmt.Sprintf("Feedback (the %d lowest rated of %d)", len(items), f.FeedbackCount)
		}
		p.list(title, items)
	}

	p.heading(3, "Goal proposals")
	if len(o.GoalProposals) == 0 {
		p.para("None.")
	}
	items := make([]string, 0, len(o.GoalProposals))
	for _, g := range o.GoalProposals {
		row := GoalRow{Goal: g.Goal}
		text := fmt.Sprintf("%s for %s: from %s to %s", row.name(), g.Goal.Period, g.Goal.Target(), g.Proposed)
		if g.Note != "" {
			text += " (" + g.Note + ")"
		}
		if len(g.Findings) > 0 {
			text += "; findings " + findingRefs(nums, g.Findings)
		}
		items = append(items, text)
	}
	p.list("New targets proposed", items)
}

// findingNumbers maps the ID of each of the report's findings to its
// number in the list, from 1, the first where two share an ID.
func (r *Report) findingNumbers() map[string]int {
	nums := make(map[string]int, len(r.Findings))
	for i, f := range r.Findings {
		if _, ok := nums[f.ID]; !ok {
			nums[f.ID] = i + 1
		}
	}
	return nums
}

// findingRefs writes the findings of an action by their numbers in the
// report's list of findings, nums from [Report.findingNumbers], "1, 7",
// or, where one of them is not in the list (a report put together by hand
// or decoded from JSON), by their IDs, joined with spaces since an ID may
// hold a comma.
func findingRefs(nums map[string]int, ids []string) string {
	refs := make([]string, 0, len(ids))
	for _, id := range ids {
		n, ok := nums[id]
		if !ok {
			return strings.Join(ids, " ")
		}
		refs = append(refs, strconv.Itoa(n))
	}
	return strings.Join(refs, ", ")
}

// lossText writes a loss sent to a product's owner: "deal d-0144 (rep
// ann), lost (product): stops working after a week", without the rep or
// the detail where it has none.
func lossText(l LossSample) string {
	text := "deal " + string(l.Deal)
	if l.Rep != "" {
		text += " (rep " + string(l.Rep) + ")"
	}
	text += ", lost (" + string(l.Category) + ")"
	if l.Detail != "" {
		text += ": " + l.Detail
	}
	return text
}

// feedbackFrom says who gave a piece of feedback: "customer c-0141" (or "a
// customer" where it names none), "the field test in Porto", "a rep", or
// the source as it is written for a source of no known name; a customer
// named in feedback from another source follows in brackets.
func feedbackFrom(fb sp.Feedback) string {
	if fb.Source == sp.FromCustomer {
		if fb.Customer != "" {
			return "customer " + string(fb.Customer)
		}
		return "a customer"
	}
	var from string
	switch {
	case fb.Source == sp.FromFieldTest && fb.Locality != "":
		from = "the field test in " + fb.Locality
	case fb.Source == sp.FromFieldTest:
		from = "the field test"
	case fb.Source == sp.FromRep:
		from = "a rep"
	case fb.Source == "":
		from = "an unnamed source"
	default:
		from = string(fb.Source)
	}
	if fb.Customer != "" {
		from += " (customer " + string(fb.Customer) + ")"
	}
	return from
}

// rateKind returns the rate the snapshot's comparisons compare: its Rate,
// or the rules' where that is not a known kind.
func (s *Snapshot) rateKind() RateKind {
	if s.Rate.Validate() != nil {
		return s.cfg().Analysis.Rate
	}
	return s.Rate
}

// figureRow is a row of the tables of figures: its name, figures and
// follow-up, its comparison (nil for none) and a last cell (none if
// empty).
type figureRow struct {
	name  string
	f     *Figures
	u     *FollowUp
	vs    *quota.Comparison
	extra string
}

// figureTables writes rows as two tables, so that each reads within 100
// columns of text: one of the deals, with the win rate's Wilson interval
// at confidence, and one of the inquiries and their follow-up. The
// comparison, headed vsHead (none if empty), and the last cell, headed
// extraHead (none if empty), go with the rate they compare: the win rate's
// table, or the conversion's where the rules compare conversion.
func figureTables(p *printer, s *Snapshot, confidence decimal.Decimal, first, vsHead, extraHead string, rows []figureRow) {
	if len(rows) == 0 {
		p.para("None.")
		return
	}
	places := s.places()
	deals := []string{first, "Won", "Lost", "Won amount", "Win rate", percentText(confidence) + " CI", "Open"}
	inquiries := []string{first, "Inquiries", "Conversion", "Activities", "Median 1st response", "Overdue"}
	dealAlign, inquiryAlign := "lrrrrlr", "lrrrrr"
	var tail []string
	tailAlign := ""
	if vsHead != "" {
		tail, tailAlign = append(tail, vsHead), tailAlign+"l"
	}
	if extraHead != "" {
		tail, tailAlign = append(tail, extraHead), tailAlign+"r"
	}
	conversion := s.rateKind() == RateConversion
	if conversion {
		inquiries, inquiryAlign = append(inquiries, tail...), inquiryAlign+tailAlign
	} else {
		deals, dealAlign = append(deals, tail...), dealAlign+tailAlign
	}
	dealRows := make([][]string, 0, len(rows))
	inquiryRows := make([][]string, 0, len(rows))
	for _, row := range rows {
		f, u := row.f, row.u
		median := "-"
		if u.FirstResponse.Count > 0 {
			median = fmtDuration(u.FirstResponse.Median)
		}
		won := f.WonAmount.String()
		if won == "" {
			won = "-"
		}
		d := []string{row.name, fmt.Sprint(f.Won), fmt.Sprint(f.Lost), won, rateCell(&f.WinRate, places),
			intervalCell(&f.WinRate, places), fmt.Sprint(f.Open)}
		q := []string{row.name, fmt.Sprint(f.Inquiries), rateCell(&f.Conversion, places), fmt.Sprint(f.Activities),
			median, fmt.Sprintf("%d of %d", u.Overdue, u.Open)}
		var cells []string
		if vsHead != "" {
			vs := quota.Comparison{}
			if row.vs != nil {
				vs = *row.vs
			}
			cells = append(cells, verdictCell(s, f, vs, places))
		}
		if extraHead != "" {
			cells = append(cells, row.extra)
		}
		if conversion {
			q = append(q, cells...)
		} else {
			d = append(d, cells...)
		}
		dealRows, inquiryRows = append(dealRows, d), append(inquiryRows, q)
	}
	dealText := "Deals won and lost in the period, and open at the as-of time."
	inquiryText := "Inquiries received in the period; follow-up activities done in it, on inquiries and deals; " +
		"open inquiries overdue for a follow-up."
	var tailText string
	if vsHead != "" {
		tailText += fmt.Sprintf(" %s: the %s against the others', below or above by the difference shown where "+
			"that is significant, else inconclusive, or too few where there are fewer cases than the rules judge.",
			upperFirst(vsHead), label(s.rateKind()))
	}
	if extraHead != "" {
		tailText += fmt.Sprintf(" %s: of the region's reps, those with enough cases whose %s is below that of "+
			"the company outside the region.", upperFirst(extraHead), label(s.rateKind()))
	}
	if conversion {
		inquiryText += tailText
	} else {
		dealText += tailText
	}
	p.para(dealText)
	p.table(deals, dealAlign, dealRows)
	p.para(inquiryText)
	p.table(inquiries, inquiryAlign, inquiryRows)
}

// joinCategories writes loss categories as "product, price".
func joinCategories(cs []pipeline.LossCategory) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ", ")
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func regionSuffix(region string) string {
	if region == "" {
		return ""
	}
	return " (" + region + ")"
}

// rateCell renders a rate as "7/20 0.3500", or "-" without data.
func rateCell(e *quota.RateEstimate, places int32) string {
	if e.Rate.Den == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d %s", e.Rate.Num, e.Rate.Den, e.Value.StringFixed(places))
}

func intervalCell(e *quota.RateEstimate, places int32) string {
	if e.Rate.Den == 0 || e.Wilson == nil {
		return "-"
	}
	return e.Wilson.Lower.StringFixed(places) + " to " + e.Wilson.Upper.StringFixed(places)
}

func shrunkCell(e *quota.RateEstimate, places int32) string {
	if e.Rate.Den == 0 || !e.Shrunk.Valid {
		return "-"
	}
	return e.Shrunk.Decimal.StringFixed(places)
}

// verdictCell renders the comparison c of a row with figures f as "below
// -0.3000" or "inconclusive", or as "too few" when the row has fewer cases
// than the rules judge (min_deals, min_inquiries): its comparison is not
// one the adjustment counted, and its findings say cause data.
func verdictCell(s *Snapshot, f *Figures, c quota.Comparison, places int32) string {
	k := s.rateKind()
	switch {
	case c.Verdict == "" || c.Verdict == quota.VerdictNoData:
		return "-"
	case !s.judged(f, k):
		return "too few"
	case c.Verdict == quota.VerdictInconclusive:
		return "inconclusive"
	}
	return string(c.Verdict) + " " + signed(c.Difference, places)
}

func signed(d decimal.Decimal, places int32) string {
	if d.Sign() > 0 {
		return "+" + d.StringFixed(places)
	}
	return d.StringFixed(places)
}

func lossesText[K ~string](m map[K]int64) string {
	if len(m) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// actionText describes an action for people.
func actionText(a Action) string {
	who := ""
	switch {
	case a.Rep != "":
		who = "rep " + string(a.Rep)
	case a.Region != "":
		who = "the team of region " + string(a.Region)
	}
	var text string
	switch a.Kind {
	case ActionRecognize:
		text = "recognize " + who
	case ActionCoach:
		text = "coach " + who + " on " + a.Topic
	case ActionRetrain:
		text = fmt.Sprintf("retrain %s on product %s", who, a.Product)
		switch {
		case a.Module != "":
			text += fmt.Sprintf(": module %s by %s", a.Module, timeText(a.Due))
		case a.Curriculum != "": // every module of it, or none known (the note says)
			text += fmt.Sprintf(": every module of curriculum %s by %s", a.Curriculum, timeText(a.Due))
		}
	case ActionProductFeedback:
		owner := string(a.Owner)
		if owner == "" {
			owner = "its owner"
		}
		text = fmt.Sprintf("send the loss reasons and customer feedback of product %s to %s", a.Product, owner)
	case ActionAdjustGoal:
		to := "-"
		if a.Proposed != nil {
			to = a.Proposed.String()
		}
		if a.Goal == nil { // a report decoded from JSON is not validated
			text = "adjust the goal to " + to
			break
		}
		row := GoalRow{Goal: *a.Goal}
		text = fmt.Sprintf("adjust the goal of %s for %s from %s to %s", row.name(), a.Goal.Period, a.Goal.Target(), to)
	default:
		text = string(a.Kind) + " " + who
	}
	if a.Note != "" {
		text += " (" + a.Note + ")"
	}
	return text
}

// timeText writes t as [sp.FormatTime] does, and the zero time as "-".
func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return sp.FormatTime(t)
}

// printer writes Markdown or plain text, keeping the first error.
type printer struct {
	w   io.Writer
	md  bool
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) heading(level int, text string) {
	text = oneLine(text)
	if p.md {
		p.printf("%s %s\n\n", strings.Repeat("#", level), escapeInline(text))
		return
	}
	switch level {
	case 1:
		p.printf("%s\n%s\n\n", text, strings.Repeat("=", utf8.RuneCountInString(text)))
	case 2:
		p.printf("%s\n%s\n\n", text, strings.Repeat("-", utf8.RuneCountInString(text)))
	default:
		p.printf("%s\n\n", text)
	}
}

func (p *printer) para(text string) {
	text = oneLine(text)
	if p.md {
		text = escapeMarkdown(text)
	}
	p.printf("%s\n\n", text)
}

func (p *printer) list(title string, items []string) {
	if len(items) == 0 {
		return
	}
	p.printf("%s:\n\n", title)
	for _, it := range items {
		it = oneLine(it)
		if p.md {
			it = escapeMarkdown(it)
		}
		p.printf("- %s\n", it)
	}
	p.printf("\n")
}

// table writes rows under head, aligned: align has one letter per column,
// 'l' for left and 'r' for right.
func (p *printer) table(head []string, align string, rows [][]string) {
	if len(rows) == 0 {
		p.para("None.")
		return
	}
	cells := make([][]string, 0, len(rows)+1)
	cells = append(cells, head)
	cells = append(cells, rows...)
	width := make([]int, len(head))
	// GitHub splits cells at pipes not escaped; the rest is inline markup.
	escape := func(s string) string { return strings.ReplaceAll(escapeInline(s), "|", `\|`) }
	for _, row := range cells {
		for i, c := range row {
			c = oneLine(c)
			if p.md {
				c = escape(c)
			}
			row[i] = c
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	if p.md {
		for i := range width {
			width[i] = max(width[i], 3)
		}
	}
	pad := func(c string, i int) string {
		n := width[i] - utf8.RuneCountInString(c)
		if i < len(align) && align[i] == 'r' {
			return strings.Repeat(" ", n) + c
		}
		return c + strings.Repeat(" ", n)
	}
	line := func(row []string) {
		var b strings.Builder
		for i := range head {
			c := ""
			if i < len(row) {
				c = row[i]
			}
			if p.md {
				b.WriteString("| " + pad(c, i) + " ")
			} else {
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(pad(c, i))
			}
		}
		if p.md {
			b.WriteString("|")
		}
		p.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
	line(head)
	var b strings.Builder
	for i := range head {
		if p.md {
			dash := strings.Repeat("-", width[i])
			if i < len(align) && align[i] == 'r' {
				dash = dash[:len(dash)-1] + ":"
			}
			b.WriteString("| " + dash + " ")
		} else {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(strings.Repeat("-", width[i]))
		}
	}
	if p.md {
		b.WriteString("|")
	}
	p.printf("%s\n", b.String())
	for _, row := range rows {
		line(row)
	}
	p.printf("\n")
}

// oneLine joins the lines of a free text (a customer's feedback, a loss
// detail, a host rule's summary or note) with spaces, so that it stays in
// its paragraph, list item or table cell instead of starting blocks of its
// own.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}

// mdInline escapes the characters that would start Markdown inline markup
// wherever they stand: emphasis by asterisks, code, raw HTML and
// autolinks, strikethrough, and links and images (at the "](" that makes
// them, so that a period's "2026-11[Europe/Berlin]" reads as it is).
var mdInline = strings.NewReplacer(`\`, `\\`, "*", `\*`, "`", "\\`", "<", `\<`, "](", `]\(`, "~", `\~`)

// escapeInline escapes the inline markup of s: what [mdInline] escapes, an
// "&" that may start a character reference (before a letter or "#"), and
// each underscore of a run that may open or close emphasis, which is every
// run not between two letters or digits ("snake_case" stays as it is).
func escapeInline(s string) string {
	s = mdInline.Replace(s)
	if !strings.ContainsAny(s, "_&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '&' && i+1 < len(s) && (s[i+1] == '#' || 'a' <= s[i+1]|0x20 && s[i+1]|0x20 <= 'z'):
			b.WriteString(`\&`)
			i++
		case c == '_':
			j := i
			for j < len(s) && s[j] == '_' {
				j++
			}
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[j:])
			if i > 0 && j < len(s) && wordRune(before) && wordRune(after) {
				b.WriteString(s[i:j])
			} else {
				b.WriteString(strings.Repeat(`\_`, j-i))
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// wordRune reports whether r is a letter or a digit: a run of underscores
// with one on either side opens and closes no emphasis.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// escapeMarkdown escapes a paragraph or a list item's text: its inline
// markup, and a start that would open a block of its own (a heading, a
// quote, a list, a code block or fence, a thematic break, a table row, a
// link reference definition, a task list's box).
func escapeMarkdown(s string) string {
	s = escapeInline(strings.TrimLeft(s, " \t"))
	if s == "" {
		return s
	}
	if strings.IndexByte("#>-+=~_|[", s[0]) >= 0 {
		return `\` + s
	}
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
