package review_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// markdownCells counts the cells of a pipe-table row as GitHub's tables
// split it: at every pipe not escaped by a backslash.
func markdownCells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

// Free text in a report (customers' feedback, loss details, a host rule's
// summary, evidence and notes, IDs with pipes and backslashes) stays
// inside its list item, paragraph or table cell: it does not start
// headings, tables or list items of its own, nor split a table's cells.
func TestRenderFreeText(t *testing.T) {
	const inject = "first line\n# Injected heading\n| x | y |\n| - | - |\n- injected item"
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		w.rep(r, north)
		won := w.sell(r, north, gadget, 2, 4, pipeline.LossProduct)
		w.followUp(won[0], 1, sp.FeedbackQuality, inject)
		w.followUp(won[1], 2, sp.FeedbackQuality, inject)
	}
	odd := sp.RepID(`r\|odd`)
	w.rep(odd, north)
	w.sell(odd, north, widget, 1, 0, pipeline.LossPrice)
	goal := quota.Goal{Rep: "r1", Region: north, Period: november, Revenue: pipelinetest.MustEUR("5000.00")}
	proposed := quota.Amount{Money: pipelinetest.MustEUR("4000.00")}
	host := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{
			Subject: review.RepSubject("r1"), Severity: review.SeverityWarning, Summary: inject,
			Evidence: []review.Evidence{{Name: "detail", Value: inject}},
			Actions:  []review.Action{{Kind: review.ActionAdjustGoal, Goal: &goal, Proposed: &proposed, Note: inject}},
		}}, nil
	})
	opts := w.options(nil)
	opts.Rules = []review.Rule{host}
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	require.NotEmpty(t, rep.Outcome.ProductFeedback)
	require.NotEmpty(t, rep.Outcome.GoalProposals)

	t.Run("markdown", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, rep.Markdown(&b))
		out := b.String()
		assert.Contains(t, out, "first line")
		cells := -1
		for i, line := range strings.Split(out, "\n") {
			assert.False(t, strings.HasPrefix(line, "# Injected"), "line %d starts a heading: %q", i+1, line)
			assert.False(t, strings.HasPrefix(line, "- injected"), "line %d starts a list item: %q", i+1, line)
			if !strings.HasPrefix(line, "|") {
				cells = -1
				continue
			}
			assert.False(t, strings.HasPrefix(line, "| x |"), "line %d starts a table: %q", i+1, line)
			if cells < 0 {
				cells = markdownCells(line)
			}
			assert.Equal(t, cells, markdownCells(line), "line %d: %q", i+1, line)
		}
	})
	t.Run("text", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, rep.Text(&b))
		out := b.String()
		assert.Contains(t, out, "first line")
		for i, line := range strings.Split(out, "\n") {
			assert.False(t, strings.HasPrefix(line, "# Injected"), "line %d: %q", i+1, line)
			assert.False(t, strings.HasPrefix(line, "- injected"), "line %d: %q", i+1, line)
			assert.False(t, strings.HasPrefix(line, "| x |"), "line %d: %q", i+1, line)
		}
	})
}

// Free text that starts like a Markdown block (a code fence, a heading, a
// quote, a list) or holds inline HTML does not turn into markup in the
// Markdown rendering, wherever it lands: a paragraph, a heading, a list
// item or a table cell.
func TestRenderMarkdownEscapesMarkup(t *testing.T) {
	const odd = sp.RepID("<b>bold</b>")
	w := newWorld(t)
	w.rep("r1", north)
	w.rep(odd, north)
	w.sell("r1", north, gadget, 2, 4, pipeline.LossProduct)
	summaries := []string{"see [the terms](https://example.com)"} // a link anywhere
	for _, s := range []string{"```", "~~~ fence", "# heading", "> quote", "- item", "+ item", "1. item", "2) item", "    code", "___", "<div>html</div>", "[x]: https://example.com", "[ ] task"} {
		summaries = append(summaries, s+" and more")
	}
	host := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		var fs []review.Finding
		for i, s := range summaries {
			fs = append(fs, review.Finding{
				ID: fmt.Sprintf("host:%d", i), Subject: review.RepSubject(odd), Severity: review.SeverityWarning, Summary: s,
				Evidence: []review.Evidence{{Name: s, Value: "x"}},
			})
		}
		return fs, nil
	})
	opts := w.options(nil)
	opts.Rules = []review.Rule{host}
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, rep.Markdown(&b))
	out := b.String()
	assert.NotContains(t, out, "](https://example.com)", "a link")
	for i := 0; i < len(out); i++ {
		if out[i] == '<' && (i == 0 || out[i-1] != '\\') {
			t.Errorf("raw HTML at byte %d: %q", i, out[i:min(i+20, len(out))])
		}
	}
	for i, line := range strings.Split(out, "\n") {
		body := strings.TrimPrefix(line, "- ") // a list item's own text
		for _, s := range summaries {
			assert.False(t, strings.HasPrefix(line, s) || strings.HasPrefix(body, s), "line %d starts a block: %q", i+1, line)
		}
	}
}

// The plain-text title keeps the period as written: its time zone is an
// IANA name, which upper case would garble.
func TestRenderTextTitle(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	rep := &review.Report{Period: sp.Month(2026, time.November, berlin)}
	var b bytes.Buffer
	require.NoError(t, rep.Text(&b))
	lines := strings.SplitN(b.String(), "\n", 3)
	require.Len(t, lines, 3)
	assert.Equal(t, "Sales review 2026-11[Europe/Berlin]", lines[0])
	assert.Equal(t, strings.Repeat("=", len(lines[0])), lines[1])
}

// A product feedback carries at most MaxItems loss reasons and pieces of
// feedback; when it carries fewer than there are, the report says so, so
// that a reader does not take the list for all of them.
func TestRenderProductFeedbackSaysWhenListsAreCut(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		w.rep(r, north)
		won := w.sell(r, north, gadget, 1, 2, pipeline.LossProduct)
		w.followUp(won[0], 1, sp.FeedbackQuality, "breaks")
	}
	rules := review.DefaultRules()
	rules.Actions.MaxItems = 2
	rep := w.review(rules, nil)
	require.Len(t, rep.Outcome.ProductFeedback, 1)
	require.Len(t, rep.Outcome.ProductFeedback[0].LossReasons, 2)
	require.Len(t, rep.Outcome.ProductFeedback[0].Feedback, 2)
	for name, render := range map[string]func(*bytes.Buffer) error{
		"markdown": func(b *bytes.Buffer) error { return rep.Markdown(b) },
		"text":     func(b *bytes.Buffer) error { return rep.Text(b) },
	} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		assert.Contains(t, b.String(), "Loss reasons (the first 2 of 6, by deal ID):", name)
		assert.Contains(t, b.String(), "Feedback (the 2 lowest rated of 3):", name)
		// The Products table says which losses its reps count in words (losses
		// pointing at the product), not as "signal losses".
		assert.Contains(t, b.String(), "Reps with such losses", name)
		assert.NotContains(t, b.String(), "signal losses", name)
	}
}

// The status of an assignment is the action's, not the retraining's: the
// report says so, lest "done" be read as a rep who has retrained.
func TestRenderSaysWhatActionStatusMeans(t *testing.T) {
	w := newWorld(t)
	for _, r := range []sp.RepID{"r1", "r2", "r3"} {
		w.rep(r, north)
		w.sell(r, north, gadget, 1, 2, pipeline.LossProduct)
	}
	rep := w.review(review.DefaultRules(), nil)
	require.NotEmpty(t, rep.Outcome.ProductFeedback)
	var b bytes.Buffer
	require.NoError(t, rep.Markdown(&b))
	assert.Contains(t, b.String(), "Status is how far the review carried an action out: done, assigned or sent by this review;")
	assert.Contains(t, b.String(), "not a retraining finished.")
}

// A rep is compared with the team without the rep, so the Reps table's
// column says "vs other reps": a reader who takes the team's rate from the
// Team table and subtracts gets another difference than the one shown.
func TestRenderRepsComparedWithTheOtherReps(t *testing.T) {
	w := newWorld(t)
	w.rep("r1", north)
	w.sell("r1", north, gadget, 1, 9, pipeline.LossPrice)
	w.rep("r2", north)
	w.sell("r2", north, gadget, 9, 1, pipeline.LossPrice)
	rep := w.review(review.DefaultRules(), nil)
	row, ok := rep.Snapshot.Rep("r1")
	require.True(t, ok)
	require.Equal(t, "-0.8", row.VsTeam.Difference.String()) // 0.1 − 0.9, not 0.1 − 0.5
	var b bytes.Buffer
	require.NoError(t, rep.Markdown(&b))
	assert.Contains(t, b.String(), "| vs other reps ")
	assert.NotContains(t, b.String(), "vs team")
}

// The Goals table's open deals are those that may still count for the
// goal, while the Reps table's are all the rep's open deals: the columns
// name the difference. Once the goal's period is over at the as-of time,
// none may count and its outlook has nothing to say: the table of
// outlooks is left out, and the goal shows only what it attained and what
// it is short by.
func TestRenderGoalsOpenInPeriod(t *testing.T) {
	w := newWorld(t)
	w.rep("r1", north)
	w.sell("r1", north, gadget, 1, 1, pipeline.LossPrice)
	w.open("r1", north, gadget)
	w.goal("r1", north, "5000.00")
	rep := w.review(review.DefaultRules(), nil)
	row, ok := rep.Snapshot.Rep("r1")
	require.True(t, ok)
	require.Len(t, rep.Snapshot.Goals, 1)
	require.Equal(t, int64(1), row.Open)
	require.Equal(t, int64(0), rep.Snapshot.Goals[0].Open)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		assert.Regexp(t, `rep r1 +\|? *2026-11 +\|? *5000\.00 EUR +\|? *1000\.00 EUR +\|? *20\.00 +\|? *4000\.00 EUR +\|? *missed`, b.String(), name)
		assert.Contains(t, b.String(), "open at the as-of time", name)
		assert.NotContains(t, b.String(), "Open in period", name)
		assert.NotContains(t, b.String(), "P(goal)", name)
	}

	in := w.input()
	in.AsOf = time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC)
	r, err := review.New(review.DefaultRules(), w.options(nil))
	require.NoError(t, err)
	mid, err := r.Review(context.Background(), in)
	require.NoError(t, err)
	require.Len(t, mid.Snapshot.Goals, 1)
	require.Equal(t, int64(1), mid.Snapshot.Goals[0].Open)
	var b bytes.Buffer
	require.NoError(t, mid.Markdown(&b))
	assert.Contains(t, b.String(), "| Subject | Period  | Open in period |   Weighted | Coverage | P(goal) |")
	assert.Regexp(t, `\| rep r1  \| 2026-11 \| +1 \| +\d+\.\d\d EUR \| +\d\.\d\d \| +\d\.\d{4} \|`, b.String())
}

// A goal in another time zone than the review's counts other deals than
// the tables do, near the ends of the month: the report says so under the
// goals, and only then.
func TestRenderGoalsInAnotherZone(t *testing.T) {
	w := newWorld(t)
	w.rep("r1", north)
	w.sell("r1", north, gadget, 1, 1, pipeline.LossPrice)
	w.goal("r1", north, "5000.00")
	const note = "Each goal counts the deals closed in its own period, in the time zone its Period names; " +
		"the tables below count those closed in the review's period, 2026-11 (UTC): where the zones differ, so may the amounts."
	same := w.review(review.DefaultRules(), nil)
	w.goals[0].Period = sp.Month(2026, time.November, location(t, "Europe/Berlin"))
	other := w.review(review.DefaultRules(), nil)
	for name, render := range map[string]func(*review.Report, io.Writer) error{"markdown": (*review.Report).Markdown, "text": (*review.Report).Text} {
		var b bytes.Buffer
		require.NoError(t, render(&same, &b), name)
		assert.NotContains(t, b.String(), "Each goal counts", name)
		b.Reset()
		require.NoError(t, render(&other, &b), name)
		assert.Contains(t, strings.Join(strings.Fields(b.String()), " "), note, name)
		assert.Contains(t, b.String(), "2026-11[Europe/Berlin]", name)
	}
	// A report made by hand without a period has no zone to compare.
	handMade := review.Report{Snapshot: review.Snapshot{Goals: []review.GoalRow{{Goal: w.goals[0]}}}}
	var b bytes.Buffer
	require.NoError(t, handMade.Markdown(&b))
	assert.NotContains(t, b.String(), "Each goal counts")
}

// Emphasis by underscores, strikethrough and character references in free
// text and IDs show as written in the Markdown rendering, as the other
// inline markup does; an underscore inside a word, which opens no
// emphasis, is left as it is.
func TestRenderMarkdownEscapesUnderscoresTildesAndReferences(t *testing.T) {
	const odd = sp.RepID("_beta_")
	const text = "__bold__ _it_ ~~gone~~ ~x~ R&amp;D &#60;b&#62; snake_case"
	w := newWorld(t)
	w.rep("r1", north)
	w.rep(odd, north)
	w.sell("r1", north, gadget, 2, 4, pipeline.LossProduct)
	host := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{
			ID: "host:1", Subject: review.RepSubject(odd), Severity: review.SeverityWarning, Summary: text,
			Evidence: []review.Evidence{{Name: "detail", Value: text}},
		}}, nil
	})
	opts := w.options(nil)
	opts.Rules = []review.Rule{host}
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, rep.Markdown(&b))
	out := b.String()
	const want = `\_\_bold\_\_ \_it\_ \~\~gone\~\~ \~x\~ R\&amp;D \&#60;b\&#62; snake_case`
	assert.Contains(t, out, "\n\n"+want+"\n\n", "a paragraph")
	assert.Contains(t, out, "- detail: "+want, "a list item")
	assert.Contains(t, out, `| rep \_beta\_ `, "a table cell")
	assert.Contains(t, out, `warning: rep \_beta\_ (host)`, "a heading")
	assert.NotContains(t, out, "snake\\_case")
}

// TestRenderMarkdownEscapesReferencesAndKeepsWordUnderscores checks the
// rest of what Markdown escapes in text: an "&" before an upper-case letter
// starts a character reference too ("&Auml;"), also in a text with no
// underscore, and an underscore between digits opens no emphasis, so it
// stays as it is.
func TestRenderMarkdownEscapesReferencesAndKeepsWordUnderscores(t *testing.T) {
	const summary = "R&D &Auml; &#60; a & b"
	const detail = "q4_2026 x_1 2_y"
	w := newWorld(t)
	w.rep("r1", north)
	w.sell("r1", north, gadget, 2, 4, pipeline.LossProduct)
	host := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{
			ID: "host:1", Subject: review.RepSubject("r1"), Severity: review.SeverityWarning, Summary: summary,
			Evidence: []review.Evidence{{Name: "detail", Value: detail}},
		}}, nil
	})
	opts := w.options(nil)
	opts.Rules = []review.Rule{host}
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, rep.Markdown(&b))
	out := b.String()
	assert.Contains(t, out, "\n\n"+`R\&D \&Auml; \&#60; a & b`+"\n\n", "a paragraph")
	assert.Contains(t, out, "- detail: "+detail+"\n", "a list item")
}

// The Markdown and the text give the findings, then the tables in the
// order Report.Markdown's doc names them.
func TestRenderSectionsInDocumentedOrder(t *testing.T) {
	rep := &review.Report{Period: november, Snapshot: review.Snapshot{
		Expiring: []training.Certificate{{Rep: "ann", Product: widget, Expires: november.End()}},
	}}
	want := []string{"Findings (0)", "Goals", "Team", "Reps", "Regions", "Products", "Reps by product",
		"Certificates expiring", "Actions", "Retraining assignments", "Product feedback", "Goal proposals"}
	var md, text bytes.Buffer
	require.NoError(t, rep.Markdown(&md))
	require.NoError(t, rep.Text(&text))
	var got []string
	for _, line := range strings.Split(md.String(), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			got = append(got, h)
		} else if h, ok := strings.CutPrefix(line, "### "); ok {
			got = append(got, h)
		}
	}
	assert.Equal(t, want, got, "markdown")
	lines := strings.Split(text.String(), "\n")
	got = got[:0]
	for _, h := range want {
		for _, l := range lines {
			if l == h {
				got = append(got, h)
				break
			}
		}
	}
	assert.Equal(t, want, got, "text")
	pos := -1
	for _, h := range want {
		i := strings.Index(text.String(), "\n"+h+"\n")
		assert.Greater(t, i, pos, "text section %q in order", h)
		pos = i
	}
}

// A report's rows are taken as written: a goal row of a hand-made or
// decoded report whose goal has no target, booked short of it and a
// Percent of 100, renders instead of panicking on a division by zero.
func TestRenderGoalWithoutTarget(t *testing.T) {
	rep := &review.Report{Period: november, Snapshot: review.Snapshot{Goals: []review.GoalRow{{
		Goal: quota.Goal{Period: november}, Booked: quota.Amount{Deals: decimal.NewFromInt(-1)}, Percent: decimal.NewFromInt(100),
	}}}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NotPanics(t, func() { require.NoError(t, render(&b)) }, name)
		assert.Contains(t, b.String(), "100.00", name)
	}
}

// A goal row of a hand-made report whose target is negative, not only
// zero, has no percentage computed of it either: its Percent is written as
// it is, not booked over target (-10 of -5 would read 200.00).
func TestRenderGoalWithANegativeTarget(t *testing.T) {
	rep := &review.Report{Period: november, Snapshot: review.Snapshot{Goals: []review.GoalRow{{
		Goal: quota.Goal{Period: november, Deals: -5}, Booked: quota.Amount{Deals: decimal.NewFromInt(-10)}, Percent: decimal.NewFromInt(100),
	}}}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NotPanics(t, func() { require.NoError(t, render(&b)) }, name)
		assert.Contains(t, b.String(), "100.00", name)
		assert.NotContains(t, b.String(), "200.00", name)
	}
}

// A rep with fewer closed deals than min_deals is not judged: the finding
// says cause data, and the Reps table says too few rather than the
// comparison's verdict, which no rule trusts and which the Bonferroni
// adjustment did not count.
func TestRenderRepWithTooFewDealsIsNotJudgedInTheTables(t *testing.T) {
	w := newWorld(t)
	w.rep("r1", north)
	w.sell("r1", north, gadget, 0, 4, pipeline.LossPrice)
	w.goal("r1", north, "5000.00")
	w.rep("r2", north)
	w.sell("r2", north, gadget, 30, 2, pipeline.LossPrice)
	rep := w.review(review.DefaultRules(), nil)
	row, ok := rep.Snapshot.Rep("r1")
	require.True(t, ok)
	require.Equal(t, quota.VerdictBelow, row.VsTeam.Verdict) // computed, but not judged: 4 < 5
	f := findings(rep, review.RepSubject("r1"))
	require.Contains(t, f, "target_missed")
	require.Equal(t, review.CauseData, f["target_missed"].Cause)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b))
		var repLine, cellLine string
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.Contains(l, "r1 (north)") && repLine == "" { // the deals, compared by win rate
				repLine = l
			}
			if strings.Contains(l, "r1 ") && strings.Contains(l, " gadget ") {
				cellLine = l
			}
		}
		require.NotEmpty(t, repLine, name)
		require.NotEmpty(t, cellLine, name)
		assert.NotContains(t, repLine, "below", name)
		assert.Contains(t, repLine, "too few", name)
		assert.NotContains(t, cellLine, "below", name)
		assert.Contains(t, cellLine, "too few", name)
	}
}

// A time the report does not have (a hand-made report's as-of and
// generated times, an assignment without a due date) is written "-", as
// other missing values are, not as an empty cell or the year 1.
func TestRenderMissingTimesAsDash(t *testing.T) {
	rep := &review.Report{Period: november, Outcome: review.Outcome{Assignments: []review.AssignmentResult{{
		Assignment: training.Assignment{Rep: "ann", Module: "widget-basics"}, Product: widget, Status: review.StatusProposed,
	}}}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		assert.Contains(t, out, "As of -, generated -.", name)
		assert.NotContains(t, out, "0001-01-01", name)
		assert.Regexp(t, `(?m)^\|? *ann *\|? *widget-basics *\|? *widget *\|? *- *\|? *proposed`, out, name)
	}
}

// A retraining action of a curriculum, which assigns every module of it,
// is written so, by its due time; one that also names a module is
// written as that module's.
func TestRenderCurriculumRetraining(t *testing.T) {
	due := time.Date(2026, time.December, 15, 8, 0, 0, 0, time.UTC)
	rep := &review.Report{Period: november, Findings: []review.Finding{{ID: "x", Rule: "x", Subject: review.RepSubject("ann"),
		Severity: review.SeverityInfo, Summary: "s", Actions: []review.Action{
			{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Curriculum: "widget-cert", Due: due, Note: "renew"},
			{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Curriculum: "widget-cert", Module: "widget-basics", Due: due},
		}}}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		assert.Contains(t, out, "retrain rep ann on product widget: every module of curriculum widget-cert by 2026-12-15T08:00:00Z (renew)", name)
		assert.Contains(t, out, "retrain rep ann on product widget: module widget-basics by 2026-12-15T08:00:00Z\n", name)
	}
}

// The actions name the findings that call for them by their numbers in
// the list of findings, as their headings do, where every one of them is
// in it, and by their IDs otherwise.
func TestRenderActionFindingNumbers(t *testing.T) {
	due := time.Date(2026, time.December, 15, 8, 0, 0, 0, time.UTC)
	ids := []string{"target_missed:rep=ann:2026-11,revenue", "lag:rep=ann,product=widget"}
	rep := &review.Report{Period: november, Findings: []review.Finding{
		{ID: "other", Rule: "other", Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "s"},
		{ID: ids[0], Rule: "target_missed", Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "s"},
		{ID: ids[1], Rule: "lag", Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "s"},
	}, Outcome: review.Outcome{
		Assignments: []review.AssignmentResult{{Assignment: training.Assignment{Rep: "ann", Module: "widget-basics", Due: due},
			Product: widget, Status: review.StatusDone, Findings: ids}},
		ProductFeedback: []review.ProductFeedback{{Product: widget, Owner: "pm", Status: review.StatusDone, Findings: ids[1:]}},
		GoalProposals: []review.GoalProposal{{Goal: quota.Goal{Rep: "ann", Period: november, Revenue: mustMoney("5000.00 EUR")},
			Proposed: quota.Amount{Money: mustMoney("1000.00 EUR")}, Note: "what is booked", Findings: ids[:1]}},
	}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		assert.Regexp(t, `ann +\|? *widget-basics.* done +\|? *2, 3 *\|?\n`, out, name)
		assert.Contains(t, out, "pieces of feedback. Findings: 3.\n", name)
		assert.Contains(t, out, "- rep ann for 2026-11: from 5000.00 EUR to 1000.00 EUR (what is booked); findings 2\n", name)
		assert.NotContains(t, out, "rep=ann", name)
	}

	rep.Findings = rep.Findings[:2] // the lag is not in the list: the IDs
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		assert.Contains(t, b.String(), "Findings: lag:rep=ann,product=widget.\n", name)
		assert.Contains(t, b.String(), "target_missed:rep=ann:2026-11,revenue lag:rep=ann,product=widget", name)
	}
}

// Where two findings share an ID (a report put together by hand), an
// action names the first of them.
func TestRenderActionFindingNumbersRepeated(t *testing.T) {
	f := func(id string) review.Finding {
		return review.Finding{ID: id, Rule: "r", Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "s"}
	}
	rep := &review.Report{Period: november, Findings: []review.Finding{f("a"), f("b"), f("a"), f("c"), f("b")},
		Outcome: review.Outcome{ProductFeedback: []review.ProductFeedback{{Product: widget, Owner: "pm",
			Status: review.StatusDone, Findings: []string{"c", "b", "a"}}}}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		assert.Contains(t, b.String(), "pieces of feedback. Findings: 4, 2, 1.\n", name)
	}
}

// A piece of feedback sent to the product's owner says who gave it, once.
func TestRenderFeedbackSource(t *testing.T) {
	at := time.Date(2026, time.November, 10, 8, 0, 0, 0, time.UTC)
	fb := func(src sp.FeedbackSource, customer sp.CustomerID, locality string) sp.Feedback {
		return sp.Feedback{ID: "f", Product: widget, Rating: 2, Category: sp.FeedbackQuality, Source: src,
			Customer: customer, Locality: locality, Text: "dim", Time: at}
	}
	rep := &review.Report{Period: november, Outcome: review.Outcome{ProductFeedback: []review.ProductFeedback{{
		Product: widget, Owner: "pm", Status: review.StatusDone, FeedbackCount: 6, Feedback: []sp.Feedback{
			fb(sp.FromCustomer, "c-1", ""), fb(sp.FromCustomer, "", ""), fb(sp.FromFieldTest, "", "Porto"),
			fb(sp.FromFieldTest, "", ""), fb(sp.FromRep, "c-2", ""), fb("", "", ""),
		}}}}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		for _, want := range []string{
			"- 2/5 quality, from customer c-1: dim\n", "- 2/5 quality, from a customer: dim\n",
			"- 2/5 quality, from the field test in Porto: dim\n", "- 2/5 quality, from the field test: dim\n",
			"- 2/5 quality, from a rep (customer c-2): dim\n", "- 2/5 quality, from an unnamed source: dim\n",
		} {
			assert.Contains(t, out, want, name)
		}
		assert.NotContains(t, out, "customer (customer", name)
	}
}

// Every table of the text report reads within a terminal of 100 columns:
// the figures of the team, reps and regions are two tables, the deals and
// the inquiries, and a product's losses a table of their own.
func TestRenderTextTablesFitIn100Columns(t *testing.T) {
	rep, _ := goldenReport(t)
	var b bytes.Buffer
	require.NoError(t, rep.Text(&b))
	lines := strings.Split(b.String(), "\n")
	tables := 0
	for i := 1; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "--") || strings.Trim(lines[i], "- ") != "" || !strings.Contains(lines[i], "  ") {
			continue // not the rule under a table's head
		}
		tables++
		for j := i - 1; j < len(lines) && lines[j] != ""; j++ {
			assert.LessOrEqual(t, utf8.RuneCountInString(lines[j]), 100, "%q", lines[j])
		}
	}
	assert.GreaterOrEqual(t, tables, 12, "the report's tables were not found")
}

// Where the rules compare conversion, the comparison of a rep or region
// stands in the table of inquiries, beside the conversion it compares,
// and not in the table of deals.
func TestRenderComparisonBesideTheRateCompared(t *testing.T) {
	rules := review.DefaultRules()
	rules.Analysis.Rate = review.RateConversion
	rep := goldenWorld(t).review(rules, nil)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		var deals, inquiries string
		for _, l := range strings.Split(b.String(), "\n") {
			switch {
			case strings.Contains(l, "Rep (region)") && strings.Contains(l, "Won amount"):
				deals = l
			case strings.Contains(l, "Rep (region)") && strings.Contains(l, "Inquiries"):
				inquiries = l
			}
		}
		require.NotEmpty(t, deals, name)
		require.NotEmpty(t, inquiries, name)
		assert.NotContains(t, deals, "vs other reps", name)
		assert.Contains(t, inquiries, "vs other reps", name)
	}
}

// The report says what its rates count before its tables show them as
// "7/20 0.3500": the win rate and the conversion, of what over what.
func TestRenderDefinesTheRates(t *testing.T) {
	rep, _ := goldenReport(t)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		def := strings.Index(out, "The win rate is the deals won of those closed (won or lost) in the period; the conversion is "+
			"the inquiries received in the period that became won deals by the as-of time; each is written as the two "+
			"counts and their ratio, from 0 to 1.")
		require.GreaterOrEqual(t, def, 0, name)
		assert.Less(t, def, strings.Index(out, "Findings"), name)
	}
}

// A loss sent to a product's owner reads as a loss of its category, so
// that "product" is not taken for the product's name, and a loss without
// a rep or a detail writes no empty brackets or colon.
func TestRenderLossReasons(t *testing.T) {
	rep := &review.Report{Period: november, Outcome: review.Outcome{ProductFeedback: []review.ProductFeedback{{
		Product: widget, Owner: "pm", Status: review.StatusDone, LossReasons: []review.LossSample{
			{Deal: "d-1", Rep: "ann", Category: pipeline.LossProduct, Detail: "breaks"},
			{Deal: "d-2", Category: pipeline.LossPrice},
		}}}}}
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		assert.Contains(t, b.String(), "- deal d-1 (rep ann), lost (product): breaks\n", name)
		assert.Contains(t, b.String(), "- deal d-2, lost (price)\n", name)
	}
}

// The table of reps by product says what its Shrunk column is, which no
// other table shows, and what its comparison and certification are.
func TestRenderRepsByProductSaysWhatShrunkIs(t *testing.T) {
	rep, _ := goldenReport(t)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		at := strings.Index(out, "Reps by product")
		require.GreaterOrEqual(t, at, 0, name)
		assert.Contains(t, out[at:], "Shrunk is the rep's win rate on the product drawn toward the reps' rates on it", name)
	}
}

// The tables that compare a rep or a region with the others say what the
// comparison's cells mean, beside the rate compared, and the regions' what
// "Reps below" counts.
func TestRenderSaysWhatTheComparisonsMean(t *testing.T) {
	rep, _ := goldenReport(t)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		assert.Contains(t, out, "Deals won and lost in the period, and open at the as-of time. Vs other reps: the win rate "+
			"against the others', below or above by the difference shown where that is significant, else inconclusive, "+
			"or too few where there are fewer cases than the rules judge.\n", name)
		assert.Contains(t, out, "Reps below: of the region's reps, those with enough cases whose win rate is below that "+
			"of the company outside the region.\n", name)
	}
}

// The products' tables say what their feedback, rating, comparison and
// reps with losses count, with the rules' rating that is low and the
// categories that point at a product.
func TestRenderProductsSayWhatTheyCount(t *testing.T) {
	rules := review.DefaultRules()
	rules.Rules.FeedbackPileup.MaxRating = 3
	rules.Analysis.Product.LossCategories = []pipeline.LossCategory{pipeline.LossProduct, pipeline.LossPrice}
	rep := goldenWorld(t).review(rules, nil)
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		out := b.String()
		assert.Contains(t, out, "Feedback: the pieces of feedback on the product in the period, and those rated 3 or lower; "+
			"Rating: their average, out of 5. Vs rest: the product's win rate against the other products', below or above "+
			"by the difference shown where that is significant.\n", name)
		assert.Contains(t, out, "Losses by category, and the reps who closed deals on the product and lost some for a "+
			"reason that points at it (product, price):\n", name)
	}
}
