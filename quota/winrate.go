package quota

import (
	"fmt"
	"iter"
	"slices"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// WinRateGroup is the win rate of one group of deals: how many of those
// closed in the period were won. The zero WinRateGroup is the total's (the
// zero [Key]) of no deal: AverageWon reports none.
type WinRateGroup struct {
	Key  Key   `json:"key"`
	Won  int64 `json:"won"`
	Lost int64 `json:"lost"`
	// WonAmount is the exact sum of the won deals' amounts; the zero Money
	// when none was won, and in the total when the groups won in different
	// currencies.
	WonAmount sp.Money `json:"won_amount"`
	// WinRate is Won of Won + Lost.
	WinRate RateEstimate `json:"win_rate"`
}

// AverageWon returns the mean amount of the group's won deals, WonAmount
// over Won, rounded half-up to the currency's minor unit, as
// [InquiriesNeeded] takes it; false when there is none: no deal won, or no
// WonAmount (the total over groups that won in different currencies).
func (g WinRateGroup) AverageWon() (sp.Money, bool) { return averageWon(g.WonAmount, g.Won) }

// averageWon returns sum over won, rounded half-up to the minor unit of
// sum's currency, and false for no won deal or no sum.
func averageWon(sum sp.Money, won int64) (sp.Money, bool) {
	places, ok := sum.Currency().MinorUnits()
	if won <= 0 || sum.IsUnset() || !ok {
		return sp.Money{}, false
	}
	// DivRound rounds the exact quotient half away from zero, as sp.HalfUp.
	avg, err := sp.NewMoney(sum.Amount().DivRound(decimal.NewFromInt(won), places), sum.Currency())
	return avg, err == nil
}

// WinRateReport is the result of [WinRates]: the groups by key, and the
// total over all of them, whose rate is the prior's mean. The zero
// WinRateReport is that of no deal: no groups, encoded as [], and its JSON
// decodes back.
type WinRateReport struct {
	Period     sp.Period      `json:"period"`
	Confidence float64        `json:"confidence"`
	Prior      Prior          `json:"prior"`
	Total      WinRateGroup   `json:"total"`
	Groups     []WinRateGroup `json:"groups"`
}

// WinRates returns the win rate, won / (won + lost), of the deals closed in
// period, grouped by by (a deal's month is that of its close time), in
// one pass. Open deals are not finished and count for nothing. Each rate
// comes with its Wilson interval and its estimate shrunk toward the total's
// rate (see [RateEstimate]); groups are sorted by key.
//
// The period's bounds are instants, the same for every region: with
// regions in different time zones, a deal closed late in the evening of 30
// November in a region to the west of the period's zone closed in December
// by that zone's clocks, and does not count for its November. For each
// region's own month, call WinRates for each region, on its deals (a
// listing by [pipeline.DealFilter].Region), with its month; or read the
// win rate of each goal, counted in the goal's own period, from [Attain]
// ([Attainment].WinRate).
//
// Deals are read during the pass and not retained; the pass allocates per
// group, not per deal. A missing period, a bad option or a custom grouping
// without [Grouping.Deal] is an error wrapping [sp.ErrInvalid], as is a won
// deal closed in the period whose amount is negative (as [Forecast] refuses
// an open deal's); won amounts in different currencies within a group are an
// error wrapping [sp.ErrCurrencyMismatch]. Groups that won in different
// currencies are no error: the total's WonAmount is then the zero Money. A
// won deal without an amount counts as won and adds nothing to WonAmount.
func WinRates(deals iter.Seq[*pipeline.Deal], period sp.Period, by Grouping, opts *Options) (WinRateReport, error) {
	s, err := opts.settings()
	if err != nil {
		return WinRateReport{}, quotaErr("win rates", err)
	}
	if err := checkPeriod("period", period); err != nil {
		return WinRateReport{}, quotaErr("win rates", err)
	}
	g := newGrouper(by, &s)
	if err := g.check(false, true); err != nil {
		return WinRateReport{}, quotaErr("win rates", err)
	}
	type counts struct {
		won, lost int64
		amount    sp.Accumulator
	}
	var cs []counts
	for d := range orEmpty(deals) {
		if d == nil {
			return WinRateReport{}, quotaErr("win rates", errNil("deals"))
		}
		out := s.outcome(d)
		if out == OutcomeOpen || d.Closed.IsZero() || !period.Contains(d.Closed) { // an unset close time is in no period
			continue
		}
		i := g.deal(d, d.Closed, "deal.closed")
		if int(i) == len(cs) {
			cs = append(cs, counts{})
		}
		c := &cs[i]
		if out == OutcomeLost {
			c.lost++
			continue
		}
		c.won++
		if d.Amount.IsUnset() {
			continue
		}
		if err := checkAmount(d); err != nil {
			return WinRateReport{}, quotaErr("win rates", err)
		}
		if err := c.amount.Add(d.Amount); err != nil {
			return WinRateReport{}, quotaErr("win rates", fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err))
		}
	}
	if g.err != nil {
		return WinRateReport{}, quotaErr("win rates", g.err)
	}
	rep := WinRateReport{Period: period, Confidence: s.confidence}
	rates := make([]Rate, len(cs))
	var total counts
	mixed := false // the groups won in different currencies
	for i := range cs {
		rates[i] = Rate{Num: cs[i].won, Den: cs[i].won + cs[i].lost}
		total.won += cs[i].won
		total.lost += cs[i].lost
		if !mixed && total.amount.Merge(&cs[i].amount) != nil {
			mixed, total.amount = true, sp.Accumulator{}
		}
	}
	rep.Prior = s.prior(slices.Values(rates))
	group := func(k Key, c *counts) WinRateGroup {
		r := Rate{Num: c.won, Den: c.won + c.lost}
		return WinRateGroup{Key: k, Won: c.won, Lost: c.lost, WonAmount: c.amount.Total(), WinRate: s.estimate(r, rep.Prior)}
	}
	rep.Total = group(Key{}, &total)
	for _, i := range g.order() {
		rep.Groups = append(rep.Groups, group(g.keys[i], &cs[i]))
	}
	return rep, nil
}
