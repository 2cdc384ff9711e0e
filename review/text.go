package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// label names a rate for people.
func label(k RateKind) string {
	if k == RateConversion {
		return "conversion"
	}
	return "win rate"
}

// rateText renders a rate with its value and Wilson interval: "2/20 =
// 0.1000, 95 % Wilson 0.0279 to 0.3010".
func (s *Snapshot) rateText(r quota.Rate) string {
	places := s.places()
	if r.Den == 0 {
		return "no data (0/0)"
	}
	text := fmt.Sprintf("%d/%d = %s", r.Num, r.Den, r.Decimal(places).StringFixed(places))
	if iv, err := r.Wilson(s.confidence(), places); err == nil {
		text += fmt.Sprintf(", %s Wilson %s to %s", percentText(s.cfg().Analysis.Confidence),
			iv.Lower.StringFixed(places), iv.Upper.StringFixed(places))
	}
	return text
}

// comparisonText renders a comparison of family f on rate k, its p-value
// labelled adjusted when it is and named by its test, which is not the
// interval's (quota.Comparison): "-0.6500, 99.5 % interval -0.8123 to
// -0.4012 (Newcombe hybrid score, Bonferroni for 10 comparisons at 95 %),
// adjusted p = 0.0010 (pooled z-test): below", or "..., p = 0.0001
// (pooled z-test): below" without adjustment. The verdict is the
// interval's, so with few cases the two may disagree.
func (s *Snapshot) comparisonText(c quota.Comparison, f family, k RateKind) string {
	if c.Verdict == quota.VerdictNoData || c.Verdict == "" {
		return "no data"
	}
	places := s.places()
	conf, m := s.adjusted(f, k)
	method, p := "Newcombe hybrid score", "p"
	if m > 1 {
		method += fmt.Sprintf(", Bonferroni for %d comparisons at %s", m, percentText(s.cfg().Analysis.Confidence))
		p = "adjusted p"
	}
	return fmt.Sprintf("%s, %s interval %s to %s (%s), %s = %s (pooled z-test): %s",
		c.Difference.StringFixed(places), percentText(conf.Round(6)),
		c.Interval.Lower.StringFixed(places), c.Interval.Upper.StringFixed(places), method,
		p, c.PValue.StringFixed(places), c.Verdict)
}

// roundAmount rounds an amount for people: money half-up to its minor
// unit, deal counts to two places.
func roundAmount(a quota.Amount) quota.Amount {
	if a.Metric() == quota.MetricRevenue {
		a.Money = a.Money.Round(sp.HalfUp)
		return a
	}
	a.Deals = a.Deals.Round(2)
	return a
}

// percentText renders a share as a percentage: "95 %".
func percentText(share decimal.Decimal) string { return share.Shift(2).String() + " %" }

// ratio renders num/den as a decimal rounded half-up to places.
func ratio(num, den int64, places int32) string {
	return quota.Rate{Num: num, Den: den}.Decimal(places).StringFixed(places)
}

func categoryList(cs []pipeline.LossCategory) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// exactDuration renders a duration as fmtDuration does when it is whole
// minutes, and exactly otherwise, as [time.Duration.String] does
// ("24h0m20s", "25s"): so that evidence of a median just above a limit,
// or of a limit of seconds, does not read "24h, above 24h".
func exactDuration(d time.Duration) string {
	if d%time.Minute != 0 {
		return d.String()
	}
	return fmtDuration(d)
}

// fmtDuration renders a duration to the minute: "26h30m", "45m", "0m".
func fmtDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	neg := d < 0
	if neg {
		d = -d
	}
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	var text string
	switch {
	case h == 0:
		text = fmt.Sprintf("%dm", m)
	case m == 0:
		text = fmt.Sprintf("%dh", h)
	default:
		text = fmt.Sprintf("%dh%02dm", h, m)
	}
	if neg {
		text = "-" + text
	}
	return text
}
