package quota

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Status says how a goal stands. Its text form is its name. The zero Status
// is unset: it encodes as empty text and back, and Validate refuses it.
type Status string

// The statuses of an [Attainment], by its pace: the attained amount over
// the amount expected by now (the target times the elapsed part of the
// period). See [Thresholds].
const (
	StatusMet    Status = "met"     // the target is reached
	StatusOnPace Status = "on_pace" // pace at least Thresholds.OnPace, or nothing expected yet
	StatusBehind Status = "behind"  // pace at least Thresholds.Behind
	StatusAtRisk Status = "at_risk" // pace below Thresholds.Behind
	StatusMissed Status = "missed"  // the period is over and the target was not reached
)

// Thresholds set where the status of an attainment changes, as ratios of
// the pace (1 is exactly on pace). Zero fields take the defaults, and the
// zero Thresholds are the defaults. Its JSON form,
// {"on_pace":"1","behind":"0.8"}, is configuration: decoding refuses a
// member it does not know, naming it (see [Thresholds.UnmarshalJSON]).
type Thresholds struct {
	// OnPace is the lowest pace that is on pace; default 1 (100 %).
	OnPace decimal.Decimal `json:"on_pace"`
	// Behind is the lowest pace that is behind rather than at risk;
	// default 0.8 (80 %), or OnPace if that is lower. It may not exceed
	// OnPace.
	Behind decimal.Decimal `json:"behind"`
}

func (t Thresholds) resolve() (Thresholds, error) {
	if err := checkScale("thresholds.on_pace", t.OnPace); err != nil {
		return Thresholds{}, err
	}
	if err := checkScale("thresholds.behind", t.Behind); err != nil {
		return Thresholds{}, err
	}
	if t.OnPace.IsZero() {
		t.OnPace = decimal.New(1, 0)
	}
	if t.Behind.IsZero() {
		t.Behind = decimal.Min(decimal.New(8, -1), t.OnPace)
	}
	switch {
	case t.OnPace.Sign() < 0:
		return Thresholds{}, sp.Invalid("thresholds.on_pace", "%s is negative", t.OnPace)
	case t.Behind.Sign() < 0:
		return Thresholds{}, sp.Invalid("thresholds.behind", "%s is negative", t.Behind)
	case t.Behind.GreaterThan(t.OnPace):
		return Thresholds{}, sp.Invalid("thresholds.behind", "%s is above on_pace %s", t.Behind, t.OnPace)
	}
	return t, nil
}

// Calendar tells working days from days off, for pacing by working days
// ([Options.Calendar]). Implementations must be safe for concurrent use.
//
// Holidays differ by region: day is in the location of the period being
// paced, so that one calendar serves goals in several zones by telling them
// apart by day.Location() (see the example of [CalendarFunc]).
type Calendar interface {
	// WorkingDay reports whether the calendar day that starts at day
	// (midnight in the location of the period being paced) is a working
	// day.
	WorkingDay(day time.Time) bool
}

// CalendarFunc adapts a function to [Calendar]. A nil CalendarFunc has no
// working days, so that pacing by it falls back to wall-clock time.
type CalendarFunc func(day time.Time) bool

var _ Calendar = CalendarFunc(nil)

// WorkingDay returns f(day), or false for a nil f.
func (f CalendarFunc) WorkingDay(day time.Time) bool { return f != nil && f(day) }

// Weekdays returns the calendar of Monday to Friday, without holidays.
func Weekdays() Calendar {
	return CalendarFunc(func(day time.Time) bool {
		wd := day.Weekday()
		return wd != time.Saturday && wd != time.Sunday
	})
}

// Elapsed returns the exact share of period p elapsed at time at, in lowest
// terms: 0/1 before p starts, 1/1 from its end. With a nil calendar it is
// wall-clock time in p's location, so that at midnight starting November 16
// half of November has elapsed (15 of its 30 days), and at noon that day
// 31/60. With a calendar it is working days: each working day of p counts
// one, the one under way in proportion to its elapsed wall-clock time; a
// period without working days is paced by wall-clock time. A working day
// that p holds only in part counts one all the same, elapsing over the part
// p holds: where [Reassign] splits a month at noon of a working day, each
// part counts that day as a whole working day, although [Prorate] gave each
// part half of it. With a calendar, Elapsed asks it about each day of p, so
// its time grows with p's length: a p of more than 100 years, which no goal
// needs paced by working days, is paced by wall-clock time, as with a nil
// calendar, so that a goal of many centuries read from a host's file does
// not cost seconds. The zero Period gives 0/0.
func Elapsed(p sp.Period, at time.Time, cal Calendar) sp.Fraction {
	switch {
	case p.IsZero():
		return sp.Fraction{}
	case !at.After(p.Start()):
		return sp.Fraction{Num: 0, Den: 1}
	case !at.Before(p.End()):
		return sp.Fraction{Num: 1, Den: 1}
	}
	gone, _ := sp.NewPeriod(p.Start(), at) // at lies inside p
	if cal == nil || p.End().After(p.Start().AddDate(maxCalendarYears, 0, 0)) {
		return p.Coverage(gone)
	}
	loc := p.Location()
	y, m, d := p.Start().Date()
	var total, done int64
	var part sp.Fraction
	// Days are counted from p's first, not stepped from one day's start
	// to the next: a day that begins at 01:00 has a midnight of the day
	// before in time.Date's reckoning. A day skipped whole (December 30,
	// 2011 in Pacific/Apia) begins where it ends and is no working day.
	// Where clocks turned back across midnight, the wall clock of p's start
	// may read a day that ended before it, which is none of p's.
	for i, day := 0, sp.DayStart(y, m, d, loc); day.Before(p.End()); {
		i++
		next := sp.DayStart(y, m, d+i, loc)
		if next.After(day) && next.After(p.Start()) && cal.WorkingDay(day) {
			total++
			switch {
			case !next.After(at):
				done++
			case day.Before(at):
				part = dayElapsed(day, next, p, at, gone)
			}
		}
		day = next
	}
	if total == 0 {
		return p.Coverage(gone)
	}
	if part.Den == 0 {
		part = sp.Fraction{Num: 0, Den: 1}
	}
	// The day under way lasts at most two days of wall-clock time (with a
	// day skipped whole), some 1.7e14 ns, and p at most 36,526 days, so
	// the denominator fits an int64 with room to spare, and the numerator,
	// done < total, too.
	return sp.Fraction{Num: done*part.Den + part.Num, Den: total * part.Den}.Reduce()
}

// dayElapsed returns the share of the day from day to next, the part of it
// that p holds, elapsed at at, which lies in it: gone, the part of p
// elapsed at at, over that part, in wall-clock time. Where the zone skipped
// whole days before next (December 30, 2011 in Pacific/Apia), wall-clock
// time would count them in the day under way, which would then fill at
// half speed: the day is measured without them.
func dayElapsed(day, next time.Time, p sp.Period, at time.Time, gone sp.Period) sp.Fraction {
	start, end := maxTime(day, p.Start()), minTime(next, p.End())
	if skipped := civilDays(day, next) - 1; skipped > 0 && end.Equal(next) {
		span := wallClock(end).Sub(wallClock(start)) - time.Duration(skipped)*24*time.Hour
		return sp.Fraction{Num: int64(wallClock(at.In(start.Location())).Sub(wallClock(start))), Den: int64(span)}.Reduce()
	}
	whole, _ := sp.NewPeriod(start, end)
	return whole.Coverage(gone)
}

// civilDays returns the number of calendar days from a's date to b's, in
// their locations.
func civilDays(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
}

// maxCalendarYears bounds the periods that [Elapsed] paces by a calendar.
const maxCalendarYears = 100

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Attainment is how far a goal is reached at a time: what was won in its
// period against its target, the pace, the run-rate projection and the
// status. Revenue amounts are exact sums; derived amounts (expected,
// projected) are rounded half-up to the currency's minor unit, derived deal
// counts to two places, percentages to two places. The zero Attainment is
// that of the zero goal: nothing attained and no status; its JSON decodes
// back.
type Attainment struct {
	Goal Goal      `json:"goal"`
	AsOf time.Time `json:"as_of"`
	// Attained is what counts toward the goal: the amounts (or the number)
	// of the won deals of the goal's subject and product closed in its
	// period up to AsOf, credited by split for a rep's goal.
	Attained Amount `json:"attained"`
	// Won and Lost count the deals of the goal's subject and product closed
	// in the period up to AsOf as won and lost, each for its owner (not by
	// split); WinRate is Won of Won + Lost.
	Won     int64 `json:"won"`
	Lost    int64 `json:"lost"`
	WinRate Rate  `json:"win_rate"`
	// Percent is Attained as a percentage of the target.
	Percent decimal.Decimal `json:"percent"`
	// Gap is the target less Attained; negative when the goal is exceeded.
	Gap Amount `json:"gap"`
	// Elapsed is the share of the period elapsed at AsOf (see [Elapsed]).
	Elapsed sp.Fraction `json:"elapsed"`
	// Expected is the part of the target expected by now: target × Elapsed,
	// rounded.
	Expected Amount `json:"expected"`
	// Pace is Attained as a percentage of target × Elapsed, and so the run
	// rate's projection as a percentage of the target; it is computed from
	// the exact target × Elapsed, not from the rounded Expected. Zero while
	// nothing has elapsed. Its JSON member is pace_percent, as it holds a
	// percentage where [Thresholds] holds paces as ratios.
	Pace decimal.Decimal `json:"pace_percent"`
	// Projected is the run-rate projection to the period's end:
	// Attained / Elapsed; Attained itself while nothing has elapsed.
	Projected Amount `json:"projected"`
	// Status classifies the attainment by [Thresholds] and the exact pace,
	// before Pace is rounded: a pace of 99.998 % is [StatusBehind] although
	// Pace reads 100.
	Status Status `json:"status"`
}

// percentPlaces is the number of decimal places of percentages.
const percentPlaces = 2

// goalState accumulates one goal in [Attain].
type goalState struct {
	start, end instant
	product    sp.ProductID
	revenue    bool
	credit     tally
	won, lost  int64
}

func (st *goalState) matches(d *pipeline.Deal, closed instant) bool {
	return !closed.before(st.start) && closed.before(st.end) && (st.product == "" || st.product == d.Product)
}

// count counts a deal in full, won or lost, for the goal, and reports
// whether the deal's amount is to be added to its revenue: it adds one
// deal to a won-deal goal itself. A whole deal's amount is added to
// st.credit.money directly rather than through goalState.add: this is the
// step of a pass over a million deals.
func (st *goalState) count(won bool) (addAmount bool) {
	if !won {
		st.lost++
		return false
	}
	st.won++
	if !st.revenue {
		st.credit.whole++
		return false
	}
	return true
}

// instant is a time as seconds and nanoseconds since the Unix epoch. A
// deal's close time is read once and compared with the bounds of each
// goal as integers, not by [time.Time.Before], which reads both times
// again for every comparison.
type instant struct {
	sec, nsec int64
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int64(t.Nanosecond())} }

// never is the instant of the zero time, an unset close time.
var never = instantOf(time.Time{})

func (i instant) before(j instant) bool { return i.sec < j.sec || i.sec == j.sec && i.nsec < j.nsec }

// add credits amount m of a deal, split s's credit, to the goal; whole
// says s is the only split.
func (st *goalState) add(d *pipeline.Deal, m sp.Money, s Split, whole bool) error {
	if !st.revenue {
		if whole {
			st.credit.whole++
		} else {
			st.credit.frac = st.credit.frac.Add(s.share())
		}
		return nil
	}
	if err := checkAmount(d); err != nil {
		return err // named by the deal's amount, not the credit
	}
	if err := st.credit.money.Add(m); err != nil {
		return amountError(d, m, err)
	}
	return nil
}

// amountError is the error of adding amount m of deal d to a goal: a
// missing amount, or one in another currency than the goal's, which
// [attainer.goalError] names the goal of.
func amountError(d *pipeline.Deal, m sp.Money, err error) error {
	if m.IsUnset() {
		return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.Invalid("deal.amount", "missing"))
	}
	return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err)
}

// goalError returns err, an error of counting a deal for goal gi, naming
// the goal when it is a currency mismatch, which is the goal's as much as
// the deal's: "goals[1] (rep "ann", 2026-11): deal ...".
func (a *attainer) goalError(gi int32, err error) error {
	if err == nil || !errors.Is(err, sp.ErrCurrencyMismatch) {
		return err
	}
	return fmt.Errorf("%s: %w", goalName(int(gi), a.goals[gi]), err)
}

// goalName names goal g, goals[i] of the caller's, by its index, subject
// and period, as an error names it: "goals[1] (rep "ann", product
// "widget", 2026-11[Europe/Berlin])", "goals[0] (company, 2026-Q4)".
func goalName(i int, g Goal) string {
	var b strings.Builder
	fmt.Fprintf(&b, "goals[%d] (", i)
	switch g.Level() {
	case LevelRep:
		b.WriteString("rep " + sp.Quote(string(g.Rep)))
	case LevelRegion:
		b.WriteString("region " + sp.Quote(string(g.Region)))
	default:
		b.WriteString("company")
	}
	if g.Product != "" {
		b.WriteString(", product " + sp.Quote(string(g.Product)))
	}
	b.WriteString(", " + g.Period.String() + ")")
	return b.String()
}

// Attain returns the attainment of each goal at time asOf from one pass
// over deals, in the order of goals.
//
// A deal counts for a goal when it is won or lost (by [Options.Outcome]),
// closed in the goal's period and not after asOf, of the goal's product if
// it has one, and of the goal's subject: owned by the rep (split credit:
// credited to the rep by [Options.Splits]), in the region
// ([pipeline.Deal.Region]), or any deal for the company. The period's
// bounds are instants, so a goal whose period is a month in the region's
// time zone counts deals by their close time in that zone. Won deals add
// their amount (their credit) to a revenue goal and one deal (their share)
// to a won-deal goal; won and lost deals are counted, by owner, for the win
// rate. Deals are judged as they are now, by their stage and close time,
// not by their history: a deal won by asOf and reopened since counts only
// as it closed again, if it did, so an attainment as of a past time can
// fall when deals reopen (keep the figures computed then for what they
// were).
//
// A company's goal has one period, in one zone, and counts the deals closed
// in it: where regions lie in other zones, that is not the sum of what
// their own months count. A deal closed at 23:30 on 31 March in
// America/Los_Angeles counts for that region's March and for a company's
// April in UTC; one closed at 00:30 on 1 April in Europe/Berlin, for that
// region's April and the company's March. [RollUp], which compares periods
// on the wall clock, takes the regions' months as parts of the company's
// all the same. For the company's month as the sum of its regions' months,
// add up the Attained of the regions' goals (see the examples).
//
// Deals are read through pointers during the pass and not retained, so a
// host may yield the same variable refilled for each deal ([Records]);
// goals are read when Attain is called, so the host may reuse their slice
// during the pass.
// The pass allocates per goal, not per deal, except for deals with split
// credit. A subject's many goals (months over years, one per product) are
// indexed by product and period: a deal is checked against those whose
// periods may hold its close time, not against every goal of its subject.
//
// An invalid goal or option, or a zero asOf (the year 1, not now: quota
// takes every time from its arguments), is an error wrapping
// [sp.ErrInvalid]; a won deal whose amount is in another currency than a
// revenue goal it counts for is an error wrapping [sp.ErrCurrencyMismatch]
// that names the goal, by its index in goals, its subject and its period,
// and the deal ("goals[1] (rep "ann", 2026-11): deal "d": add "USD" and
// "EUR": ..."), and one without an amount or with a negative one that
// counts for a revenue goal, or split credit that [Credits] refuses (a rep
// named twice, a percentage that is not positive, percentages that do not
// sum to 100), an error wrapping [sp.ErrInvalid]. Each ends the pass.
func Attain(goals []Goal, deals iter.Seq[*pipeline.Deal], asOf time.Time, opts *Options) ([]Attainment, error) {
	if err := checkAsOf(asOf); err != nil {
		return nil, quotaErr("attain", err)
	}
	s, err := opts.settings()
	if err != nil {
		return nil, quotaErr("attain", err)
	}
	a, err := newAttainer(goals, s)
	if err != nil {
		return nil, quotaErr("attain", err)
	}
	custom := opts != nil && opts.Outcome != nil
	end := instantOf(asOf)
	// With goals of reps only and no split credit, as in most passes, a
	// deal counts for its owner's goals alone: go there directly.
	repsOnly := a.regions.empty() && len(a.company) == 0 && s.splits == nil
	slotted := repsOnly && a.reps.slotted()
	for d := range orEmpty(deals) {
		if d == nil {
			return nil, quotaErr("attain", errNil("deals"))
		}
		var won bool
		if custom {
			out := s.outcome(d)
			if out != OutcomeWon && out != OutcomeLost {
				continue
			}
			won = out == OutcomeWon
		} else {
			// DefaultOutcome, without an Outcome to compare.
			closed, w := closedByStage(d.Stage)
			if !closed {
				continue
			}
			won = w
		}
		closed := instantOf(d.Closed)
		if closed == never || end.before(closed) {
			continue
		}
		var err error
		switch {
		case !repsOnly:
			err = a.deal(d, won, closed)
		case !slotted:
			err = a.all(a.reps.of(string(d.Owner)), d, won, closed)
		default:
			// The usual pass, and the loop of a million deals: an owner's
			// only goal is found and counted here, inline; calling
			// attainer.all for it made the pass a fifth slower.
			sl := a.reps.at(keyHash(string(d.Owner)))
			switch {
			case !sl.holds(string(d.Owner)):
			case sl.n == 1:
				st := &a.st[sl.sole]
				if st.matches(d, closed) && st.count(won) {
					// checkAmount, inline.
					if d.Amount.Sign() < 0 {
						err = negativeAmount(d)
					} else if err = st.credit.money.Add(d.Amount); err != nil {
						err = a.goalError(sl.sole, amountError(d, d.Amount, err))
					}
				}
			default:
				err = a.all(a.reps.list(sl), d, won, closed)
			}
		}
		if err != nil {
			return nil, quotaErr("attain", err)
		}
	}
	out := make([]Attainment, len(goals))
	for i, g := range a.goals {
		out[i] = a.result(i, g, asOf)
	}
	return out, nil
}

// attainer holds the state of [Attain].
type attainer struct {
	s  *settings
	st []goalState
	// goals are a copy of the caller's, taken when the call began, to
	// name in errors and make the results of: the caller may reuse its
	// slice while the deals are read.
	goals []Goal
	// reps and regions index the goals of each rep and region.
	reps, regions goalIndex
	company       []int32
	// products indexes the long lists of goals by product.
	products productIndex
}

// filing collects the goals of each key, in the order keys first appear.
type filing struct {
	at    map[string]int
	keys  []string
	lists [][]int32
}

// file files goal i under key.
func (f *filing) file(key string, i int32) {
	k, ok := f.at[key]
	if !ok {
		if f.at == nil {
			f.at = map[string]int{}
		}
		k = len(f.keys)
		f.at[key] = k
		f.keys = append(f.keys, key)
		f.lists = append(f.lists, nil)
	}
	f.lists[k] = append(f.lists[k], i)
}

func newAttainer(goals []Goal, s settings) (*attainer, error) {
	goals = slices.Clone(goals)
	a := &attainer{s: &s, st: make([]goalState, len(goals)), goals: goals}
	var reps, regions filing
	for i, g := range goals {
		if err := g.Validate(); err != nil {
			return nil, sp.InElement("goals", i, "goal", err)
		}
		a.st[i] = goalState{
			start:   instantOf(g.Period.Start()),
			end:     instantOf(g.Period.End()),
			product: g.Product,
			revenue: g.Metric() == MetricRevenue,
			credit:  newTally(g.Metric(), g.Revenue.Currency()),
		}
		switch g.Level() {
		case LevelRep:
			reps.file(string(g.Rep), int32(i))
		case LevelRegion:
			regions.file(string(g.Region), int32(i))
		default:
			a.company = append(a.company, int32(i))
		}
	}
	a.reps = newGoalIndex(reps.keys, reps.lists)
	a.regions = newGoalIndex(regions.keys, regions.lists)
	a.products.from = indexFrom
	for _, gs := range reps.lists {
		a.products.add(gs, a.st)
	}
	for _, gs := range regions.lists {
		a.products.add(gs, a.st)
	}
	a.products.add(a.company, a.st)
	return a, nil
}

var one = decimal.New(1, 0)

// deal counts a closed deal, won or lost, for every goal it belongs to.
func (a *attainer) deal(d *pipeline.Deal, won bool, closed instant) error {
	if !a.reps.empty() {
		var splits []Split
		if won && a.s.splits != nil {
			splits = a.s.splits(d)
		}
		var err error
		if len(splits) > 0 {
			err = a.split(d, splits, closed)
		} else if gs := a.reps.of(string(d.Owner)); len(gs) > 0 {
			err = a.each(gs, d, won, closed)
		}
		if err != nil {
			return err
		}
	}
	if !a.regions.empty() {
		if err := a.each(a.regions.of(string(d.Region)), d, won, closed); err != nil {
			return err
		}
	}
	if len(a.company) == 0 {
		return nil
	}
	return a.each(a.company, d, won, closed)
}

// split counts a won deal with split credit: as won for its owner's goals,
// and its credits for the goals of the reps credited.
func (a *attainer) split(d *pipeline.Deal, splits []Split, closed instant) error {
	for _, gi := range a.products.goals(a.reps.of(string(d.Owner)), d.Product, closed) {
		if st := &a.st[gi]; st.matches(d, closed) {
			st.won++
		}
	}
	// The credits of dealCredits, without the shares a revenue goal does
	// not count: a won-deal goal takes its split's.
	amounts, err := dealAmounts(d, splits)
	if err != nil {
		return err
	}
	// The percentages are positive and sum to 100: a credit is the whole
	// deal exactly when it is the only one.
	whole := len(splits) == 1
	for i, s := range splits {
		var m sp.Money
		if amounts != nil {
			m = amounts[i]
		}
		for _, gi := range a.products.goals(a.reps.of(string(s.Rep)), d.Product, closed) {
			st := &a.st[gi]
			if st.matches(d, closed) {
				if err := st.add(d, m, s, whole); err != nil {
					return a.goalError(gi, err)
				}
			}
		}
	}
	return nil
}

// all counts a deal in full for the goals gs: the step of a pass over
// goals of reps only that finds a rep's goals by reps.
func (a *attainer) all(gs []int32, d *pipeline.Deal, won bool, closed instant) error {
	if len(gs) >= a.products.from {
		return a.each(gs, d, won, closed) // a long list: only the goals the index finds
	}
	for _, gi := range gs {
		if st := &a.st[gi]; st.matches(d, closed) && st.count(won) {
			if err := checkAmount(d); err != nil {
				return err
			}
			if err := st.credit.money.Add(d.Amount); err != nil {
				return a.goalError(gi, amountError(d, d.Amount, err))
			}
		}
	}
	return nil
}

// each counts a deal in full for those goals of gs that may count it (see
// [productIndex.goals]), as all does for every goal of a list.
func (a *attainer) each(gs []int32, d *pipeline.Deal, won bool, closed instant) error {
	for _, gi := range a.products.goals(gs, d.Product, closed) {
		if st := &a.st[gi]; st.matches(d, closed) && st.count(won) {
			if err := checkAmount(d); err != nil {
				return err
			}
			if err := st.credit.money.Add(d.Amount); err != nil {
				return a.goalError(gi, amountError(d, d.Amount, err))
			}
		}
	}
	return nil
}

// result computes the attainment of goal i.
func (a *attainer) result(i int, g Goal, asOf time.Time) Attainment {
	st := &a.st[i]
	target := g.Target()
	attained := st.credit.total()
	at := Attainment{
		Goal:     g,
		AsOf:     asOf,
		Attained: attained,
		Won:      st.won,
		Lost:     st.lost,
		WinRate:  Rate{Num: st.won, Den: st.won + st.lost},
		Elapsed:  Elapsed(g.Period, asOf, a.s.calendar),
	}
	tv, av := target.value(), attained.value()
	at.Percent = av.Mul(hundred).DivRound(tv, percentPlaces)
	at.Gap, _ = target.sub(attained) // same metric and currency
	num, den := decimal.NewFromInt(at.Elapsed.Num), decimal.NewFromInt(at.Elapsed.Den)
	places := int32(countPlaces)
	if target.Metric() == MetricRevenue {
		places, _ = g.Revenue.Currency().MinorUnits()
	}
	at.Expected = target.withValue(tv.Mul(num).DivRound(den, places))
	at.Projected = attained
	if at.Elapsed.Num > 0 {
		at.Projected = target.withValue(av.Mul(den).DivRound(num, places))
		at.Pace = av.Mul(den).Mul(hundred).DivRound(tv.Mul(num), percentPlaces)
	}
	at.Status = a.s.status(av, tv, at.Elapsed, !asOf.Before(g.Period.End()))
	return at
}

// status classifies attained against target with elapsed share of the
// period gone, exactly.
func (s *settings) status(attained, target decimal.Decimal, elapsed sp.Fraction, over bool) Status {
	switch {
	case attained.GreaterThanOrEqual(target):
		return StatusMet
	case over:
		return StatusMissed
	case elapsed.Num == 0:
		return StatusOnPace
	}
	// pace = attained·den / (target·num), compared without division.
	lhs := attained.Mul(decimal.NewFromInt(elapsed.Den))
	base := target.Mul(decimal.NewFromInt(elapsed.Num))
	switch {
	case lhs.GreaterThanOrEqual(base.Mul(s.thresholds.OnPace)):
		return StatusOnPace
	case lhs.GreaterThanOrEqual(base.Mul(s.thresholds.Behind)):
		return StatusBehind
	}
	return StatusAtRisk
}
