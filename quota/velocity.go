package quota

import (
	"fmt"
	"iter"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// VelocityGroup is the pipeline velocity of one group of deals: how much
// revenue its pipeline brings per day,
//
//	PerDay = Open × (WonAmount / Won) × (Won / (Won + Lost)) / cycle in days,
//
// the open deals times the average won amount times the win rate over the
// mean sales cycle, computed exactly and rounded half-up to the currency's
// minor unit. Days are of 24 hours, as the cycle is elapsed time (see
// [SalesCycle]): a cycle from midnight to midnight across the night clocks
// spring forward is an hour short of whole days. The zero VelocityGroup is
// the total's (the zero [Key]) of no deal: AverageWon reports none.
type VelocityGroup struct {
	Key Key `json:"key"`
	// Open counts the deals open now.
	Open int64 `json:"open"`
	// Won and Lost count the deals closed in the period; WonAmount is the
	// exact sum of the won ones (the zero Money in the total when the
	// groups won in different currencies).
	Won       int64    `json:"won"`
	Lost      int64    `json:"lost"`
	WonAmount sp.Money `json:"won_amount"`
	// Cycle is the mean sales cycle of the won deals, creation to close,
	// rounded half-up to the nanosecond. The JSON form has it as text
	// ("36h0m0s"); decoding reads an integer of nanoseconds too (see
	// [sp.Duration]).
	Cycle time.Duration `json:"cycle"`
	// PerDay is the velocity; the zero Money when it is undefined (no won
	// deal with a creation time, a zero cycle, or no won deal with an
	// amount, which leaves no currency).
	PerDay sp.Money `json:"per_day"`
}

// AverageWon returns the mean amount of the group's won deals, WonAmount
// over Won, rounded half-up to the currency's minor unit (PerDay uses the
// exact mean); false when there is none: no deal won, or no WonAmount.
func (g VelocityGroup) AverageWon() (sp.Money, bool) { return averageWon(g.WonAmount, g.Won) }

// VelocityReport is the result of [Velocity]. The zero VelocityReport is
// that of no deal: no groups, encoded as [], and its JSON decodes back.
type VelocityReport struct {
	Period sp.Period       `json:"period"`
	Total  VelocityGroup   `json:"total"`
	Groups []VelocityGroup `json:"groups"`
}

// dayNanos is the length of a day in nanoseconds.
const dayNanos = 24 * int64(time.Hour)

// Velocity returns the pipeline velocity of the deals, grouped by by, in one
// pass: the deals open now (a deal's month is that of its expected close),
// and the deals closed in period (a deal's month is that of its close) for
// the win rate, the average won amount and the mean cycle. Groups are sorted
// by key. Deals are read during the pass and not retained; the pass
// allocates per group. A missing period, a bad option or a custom grouping
// without [Grouping.Deal] is an error wrapping [sp.ErrInvalid], as is a won
// deal closed in the period whose amount is negative (as [Forecast] refuses
// an open deal's); won amounts in different currencies within a group an
// error wrapping [sp.ErrCurrencyMismatch]; a velocity beyond the digit
// bounds of [sp.Money] (which no real pipeline reaches), an error wrapping
// [sp.ErrInvalid] that names its group. Groups that won in different
// currencies are no error: the total's WonAmount and PerDay are then the
// zero Money. A won deal without an amount counts as won and adds nothing to
// WonAmount: it lowers the average won amount, and PerDay, as a won amount
// of zero would.
func Velocity(deals iter.Seq[*pipeline.Deal], period sp.Period, by Grouping, opts *Options) (VelocityReport, error) {
	s, err := opts.settings()
	if err != nil {
		return VelocityReport{}, quotaErr("velocity", err)
	}
	if err := checkPeriod("period", period); err != nil {
		return VelocityReport{}, quotaErr("velocity", err)
	}
	g := newGrouper(by, &s)
	if err := g.check(false, true); err != nil {
		return VelocityReport{}, quotaErr("velocity", err)
	}
	var cs []velocityCounts
	for d := range orEmpty(deals) {
		if d == nil {
			return VelocityReport{}, quotaErr("velocity", errNil("deals"))
		}
		out := s.outcome(d)
		var i int32
		switch {
		case out == OutcomeOpen:
			i = g.deal(d, d.ExpectedClose, "deal.expected_close")
		case !d.Closed.IsZero() && period.Contains(d.Closed): // an unset close time is in no period
			i = g.deal(d, d.Closed, "deal.closed")
		default:
			continue
		}
		if int(i) == len(cs) {
			cs = append(cs, velocityCounts{})
		}
		if err := cs[i].add(d, out); err != nil {
			return VelocityReport{}, quotaErr("velocity", err)
		}
	}
	if g.err != nil {
		return VelocityReport{}, quotaErr("velocity", g.err)
	}
	rep := VelocityReport{Period: period}
	var total velocityCounts
	mixed := false // the groups won in different currencies
	for i := range cs {
		total.merge(&cs[i])
		if !mixed && total.amount.Merge(&cs[i].amount) != nil {
			mixed, total.amount = true, sp.Accumulator{}
		}
	}
	for _, i := range g.order() {
		v, err := cs[i].group(g.keys[i])
		if err != nil {
			return VelocityReport{}, quotaErr("velocity", err)
		}
		rep.Groups = append(rep.Groups, v)
	}
	if rep.Total, err = total.group(Key{}); err != nil {
		return VelocityReport{}, quotaErr("velocity", err)
	}
	return rep, nil
}

// velocityCounts accumulates a [VelocityGroup].
type velocityCounts struct {
	open, won, lost int64
	amount          sp.Accumulator
	cycles          int64
	cycleSum        uint128
}

func (c *velocityCounts) add(d *pipeline.Deal, out Outcome) error {
	switch out {
	case OutcomeOpen:
		c.open++
	case OutcomeLost:
		c.lost++
	default:
		c.won++
		if !d.Amount.IsUnset() {
			if err := checkAmount(d); err != nil {
				return err
			}
			if err := c.amount.Add(d.Amount); err != nil {
				return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err)
			}
		}
		if !d.Created.IsZero() && !d.Closed.Before(d.Created) {
			c.cycles++
			c.cycleSum.add(uint64(d.Closed.Sub(d.Created)))
		}
	}
	return nil
}

// merge adds the counts and cycles of o to c; not its amount.
func (c *velocityCounts) merge(o *velocityCounts) {
	c.open += o.open
	c.won += o.won
	c.lost += o.lost
	c.cycles += o.cycles
	c.cycleSum.addWide(o.cycleSum)
}

// group returns the velocity group of c under key k; a velocity beyond
// the digit bounds of [sp.Money] is an error wrapping [sp.ErrInvalid].
func (c *velocityCounts) group(k Key) (VelocityGroup, error) {
	v := VelocityGroup{Key: k, Open: c.open, Won: c.won, Lost: c.lost, WonAmount: c.amount.Total()}
	if c.cycles == 0 {
		return v, nil
	}
	v.Cycle = c.cycleSum.meanRound(c.cycles)
	sum := c.cycleSum.big()
	if sum.Sign() == 0 || c.won == 0 || v.WonAmount.IsUnset() {
		return v, nil
	}
	// Open × WonAmount × cycles × day / ((Won + Lost) × Σcycle).
	num := v.WonAmount.Amount().Mul(decimal.NewFromInt(c.open)).Mul(decimal.NewFromInt(c.cycles)).Mul(decimal.NewFromInt(dayNanos))
	den := decimal.NewFromBigInt(sum, 0).Mul(decimal.NewFromInt(c.won + c.lost))
	places, _ := v.WonAmount.Currency().MinorUnits()
	perDay, err := sp.NewMoney(num.DivRound(den, places), v.WonAmount.Currency())
	if err != nil { // the currency is known: the amount has too many digits
		return VelocityGroup{}, fmt.Errorf("group %s: %w", sp.Quote(k.String()), sp.Invalid("per_day", "beyond the digit bounds of money"))
	}
	v.PerDay = perDay
	return v, nil
}
