package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/salesprocess/salesprocess/quota"
)

// doc is the Markdown the story writes as it goes.
type doc struct {
	bytes.Buffer
}

// h writes a heading of level (1 for "#") and a blank line.
func (d *doc) h(level int, format string, args ...any) {
	fmt.Fprintf(d, "%s %s\n\n", strings.Repeat("#", level), fmt.Sprintf(format, args...))
}

// p writes a paragraph.
func (d *doc) p(format string, args ...any) {
	fmt.Fprintf(d, format+"\n\n", args...)
}

// list writes a bulleted list of items and a blank line.
func (d *doc) list(items ...string) {
	for _, it := range items {
		fmt.Fprintf(d, "- %s\n", it)
	}
	d.WriteString("\n")
}

// table writes a pipe table padded so that it reads aligned as plain text
// too. align holds one letter per column: 'l' or 'r'.
func (d *doc) table(align string, header []string, rows [][]string) {
	width := make([]int, len(header))
	for i, h := range header {
		width[i] = max(utf8.RuneCountInString(h), 3)
	}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		for i, c := range cells {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if align[i] == 'r' {
				fmt.Fprintf(d, "| %s%s ", pad, c)
			} else {
				fmt.Fprintf(d, "| %s%s ", c, pad)
			}
		}
		d.WriteString("|\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range header {
		if align[i] == 'r' {
			sep[i] = strings.Repeat("-", width[i]-1) + ":"
		} else {
			sep[i] = strings.Repeat("-", width[i])
		}
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	d.WriteString("\n")
}

// day formats t as a date and time of day in its own zone.
func day(t time.Time) string { return t.Format("2006-01-02 15:04") }

// date formats t as a date in its own zone.
func date(t time.Time) string { return t.Format(time.DateOnly) }

// rate formats a rate estimate as "45/120 0.3750".
func rate(r quota.RateEstimate) string {
	if !r.Rate.Defined() {
		return "-"
	}
	return fmt.Sprintf("%s %s", r.Rate, r.Value.StringFixed(4))
}

// wilson formats the Wilson interval of a rate estimate.
func wilson(r quota.RateEstimate) string {
	if r.Wilson == nil || !r.Rate.Defined() {
		return "-"
	}
	return fmt.Sprintf("%s to %s", r.Wilson.Lower.StringFixed(4), r.Wilson.Upper.StringFixed(4))
}

// counts formats counts by key as "a 3, b 2", largest first.
func counts(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(keys, func(a, b string) int { return m[b] - m[a] })
	var out []string
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(out, ", ")
}

// and joins words as "a, b and c".
func and(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// firstErr returns the first error that is not nil: a calculator's, or the
// store's that ended its input early.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// maxTime returns the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
