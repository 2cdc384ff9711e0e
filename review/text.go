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

// words writes a code of an enum (a status, a category) as the words of a
// sentence: "at_risk" as "at risk".
func words[T ~string](code T) string { return strings.ReplaceAll(string(code), "_", " ") }

// lossCause names what a loss of category c was put down to, for a
// sentence: "the product", "a competitor", "no decision".
func lossCause(c pipeline.LossCategory) string {
	switch c {
	case pipeline.LossPrice:
		return "the price"
	case pipeline.LossProduct:
		return "the product"
	case pipeline.LossCompetitor:
		return "a competitor"
	case pipeline.LossTiming:
		return "timing"
	case pipeline.LossNoDecision:
		return "no decision"
	case pipeline.LossRepExecution:
		return "the rep's execution"
	case pipeline.LossOther:
		return "other reasons"
	}
	return words(c)
}

// lossCauses names the loss categories cs for a sentence: "the product",
// "the product or the price", "the product, the price or timing".
func lossCauses(cs []pipeline.LossCategory) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = lossCause(c)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// statusWords says what status st means for a goal, after "and": "missed
// it", "is at risk of missing it".
func statusWords(st quota.Status) string {
	switch st {
	case quota.StatusMet:
		return "met it"
	case quota.StatusOnPace:
		return "is on pace"
	case quota.StatusBehind:
		return "is behind pace"
	case quota.StatusAtRisk:
		return "is at risk of missing it"
	case quota.StatusMissed:
		return "missed it"
	}
	return "is " + words(st)
}

// rateCounts writes the two counts of a rate of kind k: "7 won of 14
// closed", "3 of 20 inquiries won".
func rateCounts(k RateKind, r quota.Rate) string {
	if k == RateConversion {
		return fmt.Sprintf("%d of %d inquiries won", r.Num, r.Den)
	}
	return fmt.Sprintf("%d won of %d closed", r.Num, r.Den)
}

// rateUnit names what a rate of kind k counts: "closed deals" or
// "inquiries".
func rateUnit(k RateKind) string {
	if k == RateConversion {
		return "inquiries"
	}
	return "closed deals"
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

// belowText says that the rate of kind k of what is significantly below
// that of peers, with the counts of both: "the win rate of rep bob, 3 won
// of 20 closed, is significantly below that of the rest of the team, 103
// won of 139 closed".
func belowText(k RateKind, what string, rate quota.Rate, peersWhat string, peers quota.Rate) string {
	return fmt.Sprintf("the %s of %s, %s, is significantly below that of %s, %s",
		label(k), what, rateCounts(k, rate), peersWhat, rateCounts(k, peers))
}
