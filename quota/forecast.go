package quota

import (
	"fmt"
	"iter"
	"math"
	"math/big"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// PipelineGroup is the open pipeline of one group of deals. The zero
// PipelineGroup is the total's (the zero [Key]) of no deal.
type PipelineGroup struct {
	Key  Key   `json:"key"`
	Open int64 `json:"open"`
	// Amount is the exact sum of the open deals' amounts, Weighted the
	// exact sum of each amount times the deal's probability. Both are the
	// zero Money when no open deal has an amount, and in the total when the
	// groups are in different currencies.
	Amount   sp.Money `json:"amount"`
	Weighted sp.Money `json:"weighted"`
}

// PipelineReport is the result of [WeightedPipeline]. The zero
// PipelineReport is that of no deal: no groups, encoded as [], and its JSON
// decodes back.
type PipelineReport struct {
	// Closing is the period the deals are expected to close in; the zero
	// Period for all open deals.
	Closing sp.Period       `json:"closing"`
	Total   PipelineGroup   `json:"total"`
	Groups  []PipelineGroup `json:"groups"`
}

// WeightedPipeline returns the weighted pipeline, Σ probability × amount
// over the open deals, grouped by by (a deal's month is that of its
// expected close), in one pass. Only open deals count ([Options.Outcome]):
// a lost deal contributes nothing whatever probability it carries, a won
// one is booked, not pipeline. With a non-zero closing period only the
// deals expected to close in it count. Sums are exact; groups are sorted
// by key.
//
// Deals are read during the pass and not retained; the pass allocates for
// each open deal's product of probability and amount. A bad option or a
// custom grouping without [Grouping.Deal] is an error wrapping
// [sp.ErrInvalid], as is an open deal whose probability lies outside 0 to 1
// or makes, times its amount, a product with more than 40 decimal places
// that are not all zeros, or whose amount is negative (as [Forecast] refuses
// it); amounts in different currencies within a group are an error wrapping
// [sp.ErrCurrencyMismatch]. Groups in different currencies are no error: the
// total's Amount and Weighted are then the zero Money. An open deal without
// an amount counts in Open and adds nothing to Amount and Weighted.
func WeightedPipeline(deals iter.Seq[*pipeline.Deal], closing sp.Period, by Grouping, opts *Options) (PipelineReport, error) {
	s, err := opts.settings()
	if err != nil {
		return PipelineReport{}, quotaErr("weighted pipeline", err)
	}
	if !closing.IsZero() {
		if err := checkPeriod("closing", closing); err != nil {
			return PipelineReport{}, quotaErr("weighted pipeline", err)
		}
	}
	g := newGrouper(by, &s)
	if err := g.check(false, true); err != nil {
		return PipelineReport{}, quotaErr("weighted pipeline", err)
	}
	type counts struct {
		open             int64
		amount, weighted sp.Accumulator
	}
	var cs []counts
	for d := range orEmpty(deals) {
		if d == nil {
			return PipelineReport{}, quotaErr("weighted pipeline", errNil("deals"))
		}
		if s.outcome(d) != OutcomeOpen || (!closing.IsZero() && !closing.Contains(d.ExpectedClose)) {
			continue
		}
		if err := checkProbability(d); err != nil {
			return PipelineReport{}, quotaErr("weighted pipeline", err)
		}
		i := g.deal(d, d.ExpectedClose, "deal.expected_close")
		if int(i) == len(cs) {
			cs = append(cs, counts{})
		}
		c := &cs[i]
		c.open++
		if d.Amount.IsUnset() {
			continue
		}
		if err := checkAmount(d); err != nil {
			return PipelineReport{}, quotaErr("weighted pipeline", err)
		}
		if err := c.amount.Add(d.Amount); err != nil {
			return PipelineReport{}, quotaErr("weighted pipeline", fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err))
		}
		w, err := weighted(d, d.Amount)
		if err != nil {
			return PipelineReport{}, quotaErr("weighted pipeline", err)
		}
		if err := c.weighted.Add(w); err != nil {
			return PipelineReport{}, quotaErr("weighted pipeline", fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err))
		}
	}
	if g.err != nil {
		return PipelineReport{}, quotaErr("weighted pipeline", g.err)
	}
	rep := PipelineReport{Closing: closing}
	var total counts
	mixed := false // the groups are in different currencies
	for i := range cs {
		total.open += cs[i].open
		if mixed {
			continue
		}
		// Both accumulators of a group hold its one currency, so both
		// merges succeed or the first fails.
		if total.amount.Merge(&cs[i].amount) != nil || total.weighted.Merge(&cs[i].weighted) != nil {
			mixed, total.amount, total.weighted = true, sp.Accumulator{}, sp.Accumulator{}
		}
	}
	group := func(k Key, c *counts) PipelineGroup {
		return PipelineGroup{Key: k, Open: c.open, Amount: c.amount.Total(), Weighted: c.weighted.Total()}
	}
	rep.Total = group(Key{}, &total)
	for _, i := range g.order() {
		rep.Groups = append(rep.Groups, group(g.keys[i], &cs[i]))
	}
	return rep, nil
}

// weighted returns m, deal d's amount or a rep's credit of it, times d's
// probability, exactly, without the trailing zeros past the currency's
// minor unit that the factors' own places put there: 1030 EUR and 1030.00
// EUR, times 0.1 or 0.1000, are all 103.00 EUR, so that equal deals give
// the same text and JSON whichever way their amounts were written (or read
// back from a store). Both may have up to 40 decimal places and their
// product up to 80, more than [sp.Money] holds: a product exact within 40
// places is written with 40 or fewer, and one that is not is an error
// wrapping [sp.ErrInvalid]. The probability is at most 1, so the product
// has no more digits before the point than m.
func weighted(d *pipeline.Deal, m sp.Money) (sp.Money, error) {
	w := m.Mul(d.Probability)
	places := int32(-w.Amount().Exponent())
	switch minor, _ := m.Currency().MinorUnits(); {
	case places == minor:
		return w, nil
	case places < minor: // 1030 EUR × 0.1, as 1030.00 EUR × 0.1 gives it
		return w.RoundTo(minor, sp.HalfUp), nil
	}
	if places = trimmedPlaces(w); places <= maxScale {
		return w.RoundTo(places, sp.HalfUp), nil
	}
	return sp.Money{}, fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.Invalid("deal.probability",
		"%s times the amount %s has more than %d decimal places", d.Probability, m, maxScale))
}

// trimmedPlaces returns the fewest decimal places, no fewer than its
// currency's minor unit, that write m's amount exactly.
func trimmedPlaces(m sp.Money) int32 {
	minor, _ := m.Currency().MinorUnits()
	a := m.Amount()
	places := -a.Exponent()
	if a.NumDigits() <= 18 {
		c := a.CoefficientInt64()
		for places > minor && c%10 == 0 {
			c /= 10
			places--
		}
		return places
	}
	c, ten, digit := a.Coefficient(), big.NewInt(10), new(big.Int)
	for places > minor {
		q, r := new(big.Int).QuoRem(c, ten, digit)
		if r.Sign() != 0 {
			break
		}
		c = q
		places--
	}
	return places
}

// checkProbability reports an error wrapping [sp.ErrInvalid]
// unless d's probability lies in 0 to 1.
func checkProbability(d *pipeline.Deal) error {
	if err := checkScale("deal.probability", d.Probability); err != nil {
		return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err)
	}
	if !isProbability(d.Probability) {
		return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.Invalid("deal.probability", "%s outside 0 to 1", d.Probability))
	}
	return nil
}

// checkAmount reports an error wrapping [sp.ErrInvalid] that names deal d
// and its amount when the amount is negative, as [Forecast] refuses an
// open deal's.
func checkAmount(d *pipeline.Deal) error {
	if d.Amount.Sign() >= 0 {
		return nil
	}
	return negativeAmount(d)
}

// negativeAmount is the error of checkAmount, apart so that Attain's pass
// can check inline.
func negativeAmount(d *pipeline.Deal) error {
	return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.InField("deal", notNegative(d.Amount.Amount())))
}

// Outlook is the forecast of a goal at a time: what is booked, the open
// deals that may still count, the chance of reaching the target, and the
// pipeline coverage. The zero Outlook is that of the zero goal: nothing
// booked, no open deal and no chance computed; its JSON decodes back.
type Outlook struct {
	Goal Goal      `json:"goal"`
	AsOf time.Time `json:"as_of"`
	// Booked is what already counts toward the goal, as
	// [Attainment.Attained].
	Booked Amount `json:"booked"`
	// Gap is the target less Booked; negative when the goal is exceeded.
	Gap Amount `json:"gap"`
	// Open counts the open deals of the goal's subject and product
	// expected to close in the period, and once it is under way also those
	// expected before it (overdue ones); none once it is over. Pipeline is
	// their amount (credited by split for a rep's goal; for a won-deal goal
	// their number, or share), Weighted the sum of each amount times its
	// deal's probability, exact.
	Open     int64  `json:"open"`
	Pipeline Amount `json:"pipeline"`
	Weighted Amount `json:"weighted"`
	// Coverage is Weighted / Gap rounded half-up to two places; not valid
	// when the gap is not positive.
	Coverage decimal.NullDecimal `json:"coverage"`
	// Chance is the probability of closing the gap from the open deals,
	// each won independently with its probability (see [Reach]), and the
	// expected shortfall.
	Chance Chance `json:"chance"`
}

// Forecast returns the outlook of each goal at time asOf, in the order of
// goals, from one pass over deals: what is booked counts as in [Attain]; the
// open deals of a goal's subject and product expected to close in its
// period, or before it once it is under way (overdue ones), a rep's credited
// by [Options.Splits], make its pipeline, and decide its [Chance] as by
// [Reach]; a period still to come takes no deal expected before it, which
// the period under way counts. Open deals without an expected close count
// for no goal. The expected close is an instant, compared with the bounds of
// the goal's period: midnight UTC of December 1 is still November 30 in
// America/Los_Angeles, and counts for that region's November (see
// [pipeline.Terms].ExpectedClose). A deal won or lost after asOf counts
// neither as booked nor as open: what its probability was at asOf is not in
// the record (a review's snapshot, which needs no probability, counts it as
// open). The creation time plays no part: an open deal counts whenever it
// was created, so a forecast as of a past time from today's records counts
// the deals created since unless the caller leaves them out (a review does).
//
// Deals are read during the pass and not retained, and goals when Forecast
// is called, as by Attain; the goals' chances are then computed on the
// available CPUs. Errors are those of
// [Attain]; an open deal whose probability lies outside 0 to 1, or makes
// a weighted amount as refused by [WeightedPipeline], or whose amount (a
// rep's credit of it, under split credit) is negative where it counts for a
// revenue goal, is an error wrapping [sp.ErrInvalid], one of another
// currency than a revenue goal it counts for an error wrapping
// [sp.ErrCurrencyMismatch] that names the goal, as Attain's does. An open
// deal without an amount counts in Open and adds nothing to a revenue goal's
// Pipeline, Weighted or Chance.
func Forecast(goals []Goal, deals iter.Seq[*pipeline.Deal], asOf time.Time, opts *Options) ([]Outlook, error) {
	if err := checkAsOf(asOf); err != nil {
		return nil, quotaErr("forecast", err)
	}
	s, err := opts.settings()
	if err != nil {
		return nil, quotaErr("forecast", err)
	}
	a, err := newAttainer(goals, s)
	if err != nil {
		return nil, quotaErr("forecast", err)
	}
	open := make([]openState, len(goals))
	for i, g := range a.goals {
		open[i] = openState{
			pipeline: newTally(g.Metric(), g.Revenue.Currency()),
			weighted: newTally(g.Metric(), g.Revenue.Currency()),
			bets:     &bets{unit: g.Target()},
		}
	}
	for d := range orEmpty(deals) {
		if d == nil {
			return nil, quotaErr("forecast", errNil("deals"))
		}
		switch out := a.s.outcome(d); out {
		case OutcomeWon, OutcomeLost:
			if !d.Closed.IsZero() && !d.Closed.After(asOf) {
				err = a.deal(d, out == OutcomeWon, instantOf(d.Closed))
			}
		default:
			err = a.open(d, asOf, open)
		}
		if err != nil {
			return nil, quotaErr("forecast", err)
		}
	}
	// The goals' chances are independent: compute them on the available
	// CPUs, each into its own place.
	out := make([]Outlook, len(goals))
	errs := make([]error, len(goals))
	var cost float64
	for i := range open {
		cost += 1e4 * float64(open[i].count)
	}
	parallel(len(goals), cost, func(i int) {
		out[i], errs[i] = outlook(&a.st[i], &open[i], a.goals[i], asOf)
	})
	for i, err := range errs {
		if err != nil {
			return nil, quotaErr("forecast", fmt.Errorf("goals[%d]: %w", i, err))
		}
	}
	return out, nil
}

// openState accumulates the open deals of one goal in [Forecast].
type openState struct {
	count              int64
	pipeline, weighted tally
	bets               *bets
}

// open adds an open deal to the goals it may still count for.
func (a *attainer) open(d *pipeline.Deal, asOf time.Time, open []openState) error {
	if err := checkProbability(d); err != nil {
		return err
	}
	if d.ExpectedClose.IsZero() {
		return nil
	}
	now, expected := instantOf(asOf), instantOf(d.ExpectedClose)
	// A deal counts for a period that is not over when it is expected to
	// close in it, or before it once it is under way (an overdue deal),
	// never for a period still to come that it is expected to close
	// before: for a period that holds the later of now and the expected
	// close, where the index looks.
	at := expected
	if at.before(now) {
		at = now
	}
	matches := func(gi int32) bool {
		st := &a.st[gi]
		return now.before(st.end) && expected.before(st.end) &&
			(!expected.before(st.start) || !now.before(st.start)) &&
			(st.product == "" || st.product == d.Product)
	}
	add := func(gi int32, m sp.Money, share decimal.Decimal) error {
		o, st := &open[gi], &a.st[gi]
		o.count++
		x := share
		if st.revenue {
			if m.IsUnset() {
				return nil
			}
			if err := o.pipeline.money.Add(m); err != nil {
				return a.goalError(gi, fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err))
			}
			w, err := weighted(d, m)
			if err != nil {
				return err
			}
			if err := o.weighted.money.Add(w); err != nil {
				return a.goalError(gi, fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err))
			}
			x = m.Amount()
		} else {
			o.pipeline.addDeals(share)
			o.weighted.addDeals(share.Mul(d.Probability))
		}
		if err := o.bets.add(x, d.Probability); err != nil {
			return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.InField("deal", err))
		}
		return nil
	}
	if !a.reps.empty() {
		credits, err := a.credits(d)
		if err != nil {
			return err
		}
		for _, c := range credits {
			for _, gi := range a.products.goals(a.reps.of(string(c.Rep)), d.Product, at) {
				if matches(gi) {
					if err := add(gi, c.Amount, c.Share); err != nil {
						return err
					}
				}
			}
		}
	}
	for _, gs := range [][]int32{a.regions.of(string(d.Region)), a.company} {
		for _, gi := range a.products.goals(gs, d.Product, at) {
			if matches(gi) {
				if err := add(gi, d.Amount, one); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// credits returns the split credit of d, or all of it for its owner.
func (a *attainer) credits(d *pipeline.Deal) ([]Credit, error) {
	var splits []Split
	if a.s.splits != nil {
		splits = a.s.splits(d)
	}
	if len(splits) == 0 {
		return []Credit{{Rep: d.Owner, Amount: d.Amount, Share: one}}, nil
	}
	return dealCredits(d, splits)
}

// outlook computes the forecast of goal g from its state.
func outlook(st *goalState, o *openState, g Goal, asOf time.Time) (Outlook, error) {
	target := g.Target()
	out := Outlook{
		Goal:     g,
		AsOf:     asOf,
		Booked:   st.credit.total(),
		Open:     o.count,
		Pipeline: o.pipeline.total(),
		Weighted: o.weighted.total(),
	}
	out.Gap, _ = target.sub(out.Booked) // same metric and currency
	if gap := out.Gap.value(); gap.Sign() > 0 {
		out.Coverage = decimal.NullDecimal{Decimal: out.Weighted.value().DivRound(gap, percentPlaces), Valid: true}
	}
	o.bets.need = out.Gap.value()
	c, err := o.bets.chance()
	if err != nil {
		return Outlook{}, err
	}
	out.Chance = c
	return out, nil
}

// InquiryNeed is how many more inquiries it takes to close a gap at a
// conversion rate and an average won amount (see [InquiriesNeeded]). A
// count of −1 means that no finite number will do (the rate, or its
// interval's lower bound, is zero) or that none is known (all three for a
// rate without data). A count that does not fit in an int64 is
// [math.MaxInt64]. The zero InquiryNeed needs no inquiry, as for a gap
// already closed.
type InquiryNeed struct {
	// Needed is the count at the rate itself.
	Needed int64 `json:"needed"`
	// Fewest and Most are the counts at the upper and at the lower bound of
	// the rate's Wilson interval; Fewest ≤ Needed ≤ Most when all three
	// are finite.
	Fewest int64 `json:"fewest"`
	Most   int64 `json:"most"`
}

// InquiriesNeeded returns how many more inquiries it takes to close gap at
// the conversion rate conversion: ⌈gap / (rate × averageWon)⌉ for a revenue
// gap, ⌈gap / rate⌉ for a gap in won deals (averageWon is then ignored),
// computed exactly at the rate and, for the range, at the bounds of its
// Wilson interval at confidence. A gap that is not positive needs no
// inquiry (all counts 0); a rate without data needs an unknown number
// (all −1).
//
// The rate is a proportion of inquiries: a cohort's conversion
// ([CohortConversion]), not a period's ([PeriodConversion]), which counts
// the wins of earlier inquiries and of deals that came from none, and may
// exceed 1. The average won amount is the caller's: a [WinRateGroup]'s
// AverageWon, say (see the example).
//
// A malformed gap (invalid money, or a count with an exponent beyond ±40),
// a rate that is not a proportion, a confidence outside (0, 1), or for a
// revenue gap an average won amount that is not positive, is an error
// wrapping [sp.ErrInvalid]; an average won amount in another
// currency than the gap's is an error wrapping
// [sp.ErrCurrencyMismatch].
func InquiriesNeeded(gap Amount, conversion Rate, averageWon sp.Money, confidence float64) (InquiryNeed, error) {
	if err := gap.validate("gap"); err != nil {
		return InquiryNeed{}, quotaErr("inquiries needed", err)
	}
	if err := conversion.checkProportion(); err != nil {
		if conversion.Num > conversion.Den && conversion.Den >= 0 {
			// More won than received: a period's conversion.
			err = sp.Invalid("rate", "%s is not a proportion (want 0 ≤ num ≤ den: "+
				"a cohort's conversion, not a period's, which may exceed 1)", conversion)
		}
		return InquiryNeed{}, quotaErr("inquiries needed", err)
	}
	if err := checkConfidence(confidence); err != nil {
		return InquiryNeed{}, quotaErr("inquiries needed", err)
	}
	per := decimal.New(1, 0) // what one won deal closes of the gap
	if gap.Metric() == MetricRevenue {
		if err := averageWon.Validate(); err != nil {
			return InquiryNeed{}, quotaErr("inquiries needed", sp.InField("average_won", err))
		}
		if averageWon.Currency() != gap.Money.Currency() {
			return InquiryNeed{}, quotaErr("inquiries needed", fmt.Errorf("average_won: %w", mismatch(gap.Money.Currency(), averageWon.Currency())))
		}
		if averageWon.Sign() <= 0 {
			return InquiryNeed{}, quotaErr("inquiries needed", sp.Invalid("average_won", "%s is not positive", averageWon))
		}
		per = averageWon.Amount()
	}
	g := gap.value()
	switch {
	case g.Sign() <= 0:
		return InquiryNeed{}, nil
	case conversion.Den == 0:
		return InquiryNeed{Needed: -1, Fewest: -1, Most: -1}, nil
	}
	// count returns ⌈g / (rate × per)⌉, or −1 for a zero rate.
	count := func(rate decimal.Decimal) int64 {
		if rate.Sign() <= 0 {
			return -1
		}
		return ceilQuo(g, rate.Mul(per))
	}
	lo, hi := wilson(conversion, zScore(confidence))
	need := InquiryNeed{Fewest: count(decimal.NewFromFloat(hi)), Most: count(decimal.NewFromFloat(lo))}
	// At the rate itself the count is exact: ⌈g·Den / (Num·per)⌉.
	need.Needed = -1
	if conversion.Num > 0 {
		need.Needed = ceilQuo(g.Mul(decimal.NewFromInt(conversion.Den)), per.Mul(decimal.NewFromInt(conversion.Num)))
		// The interval holds the rate; when it shrinks to nothing (a
		// confidence near 0) its float64 bounds may land on the wrong side
		// of it.
		need.Fewest = min(need.Fewest, need.Needed)
		if need.Most >= 0 {
			need.Most = max(need.Most, need.Needed)
		}
	}
	return need, nil
}

// ceilQuo returns ⌈num/den⌉ for positive num and den, exactly, or
// math.MaxInt64 if it is that or more.
func ceilQuo(num, den decimal.Decimal) int64 {
	q, r := num.QuoRem(den, 0)
	if r.Sign() > 0 {
		q = q.Add(decimal.New(1, 0))
	}
	if q.LessThan(decimal.New(math.MaxInt64, 0)) {
		return q.IntPart()
	}
	return math.MaxInt64
}
