package quota

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

// Level is the level of a goal's subject in the sales hierarchy: a rep, a
// regional division, or the company. Its text form is its name. The zero
// Level is unset: it encodes as empty text and back, and Validate refuses
// it.
type Level string

// The levels of the hierarchy, from the top.
const (
	LevelCompany Level = "company"
	LevelRegion  Level = "region"
	LevelRep     Level = "rep"
)

// Goal is a sales goal: what a rep, a region or the company should win in
// a period, in revenue or in won deals.
//
// The subject follows from the IDs: a goal with a Rep is the rep's (its
// Region, if set, is the rep's region during the period, which places the
// goal in [RollUp] but does not narrow the deals [Attain] counts for it);
// a goal with a Region and no Rep is the region's; a goal with neither is
// the company's. A Product narrows any goal to the deals of that product.
//
// Exactly one target is set: Revenue, a positive amount, for a revenue
// goal, or Deals, a positive count, for a won-deal goal. Goals are values;
// the zero Goal is not valid. The JSON form carries the period as text
// ("2026-11[Europe/Berlin]") and round-trips.
type Goal struct {
	Rep     sp.RepID     `json:"rep,omitempty"`
	Region  sp.RegionID  `json:"region,omitempty"`
	Product sp.ProductID `json:"product,omitempty"`
	// Period is the span the goal covers, usually a calendar month in the
	// region's time zone; deals count for it by close time. Package quota
	// does not know regions' zones, so nothing checks that it is in the
	// region's: a month in another zone counts the deals closed in that
	// zone's month.
	Period sp.Period `json:"period"`
	// Revenue is the revenue target; the zero Money for a won-deal goal.
	Revenue sp.Money `json:"revenue"`
	// Deals is the won-deal target; zero for a revenue goal.
	Deals int64 `json:"deals,omitempty,omitzero"` // omitzero: for the API of encoding/json/v2, whose omitempty keeps 0
}

// Level returns the level of the goal's subject.
func (g Goal) Level() Level {
	switch {
	case g.Rep != "":
		return LevelRep
	case g.Region != "":
		return LevelRegion
	}
	return LevelCompany
}

// Metric returns [MetricRevenue] for a goal with a revenue target and
// [MetricWonDeals] otherwise.
func (g Goal) Metric() Metric {
	if g.Revenue.IsUnset() {
		return MetricWonDeals
	}
	return MetricRevenue
}

// Target returns the goal's target as an [Amount].
func (g Goal) Target() Amount {
	if g.Metric() == MetricRevenue {
		return Amount{Money: g.Revenue}
	}
	return Amount{Deals: decimal.NewFromInt(g.Deals)}
}

// String returns a short description: "rep r1 (north) 2026-11: 1000.00 EUR".
func (g Goal) String() string {
	var b strings.Builder
	b.WriteString(string(g.Level()))
	switch {
	case g.Rep != "":
		b.WriteString(" " + string(g.Rep))
		if g.Region != "" {
			b.WriteString(" (" + string(g.Region) + ")")
		}
	case g.Region != "":
		b.WriteString(" " + string(g.Region))
	}
	if g.Product != "" {
		b.WriteString(" product " + string(g.Product))
	}
	b.WriteString(" " + g.Period.String() + ": " + g.Target().String())
	return b.String()
}

// Validate reports whether g is a valid goal: valid IDs where set, a
// period that can leave the process (within the years 1 to 9999, in a
// location with an IANA name; see [sp.Period.MarshalText]) and
// lasts some wall-clock time as [sp.Period.Coverage] measures it (not one
// that daylight saving folds to nothing, such as 02:30 summer time to 02:30
// winter time, or 02:10 to 02:20 winter time that night, a stretch of the
// hour passing twice that Coverage counts in its first pass), and exactly
// one positive target. The error wraps [sp.ErrInvalid]
// and names the field.
func (g Goal) Validate() error {
	if err := optionalID("goal.rep", g.Rep); err != nil {
		return err
	}
	if err := optionalID("goal.region", g.Region); err != nil {
		return err
	}
	if err := optionalID("goal.product", g.Product); err != nil {
		return err
	}
	if err := checkPeriod("goal.period", g.Period); err != nil {
		return err
	}
	switch {
	case !g.Revenue.IsUnset() && g.Deals != 0:
		return sp.Invalid("goal", "both a revenue and a deal target")
	case g.Revenue.IsUnset() && g.Deals == 0:
		return sp.Invalid("goal", "no target: set revenue or deals")
	case g.Deals < 0:
		return sp.Invalid("goal.deals", "%d is not positive", g.Deals)
	case g.Metric() == MetricRevenue:
		if err := g.Revenue.Validate(); err != nil {
			return sp.InField("goal.revenue", err)
		}
		if g.Revenue.Sign() <= 0 {
			return sp.Invalid("goal.revenue", "%s is not positive", g.Revenue)
		}
	}
	return nil
}

// optionalID reports an error naming field if id is set and not valid.
// It takes id as a type parameter, not an interface, so that checking a
// valid goal allocates nothing.
func optionalID[T interface {
	~string
	Validate() error
}](field string, id T) error {
	if id == "" {
		return nil
	}
	return sp.InField(field, id.Validate())
}

// withTarget returns g with the target a of g's metric and the period p.
func (g Goal) withTarget(p sp.Period, a Amount) Goal {
	g.Period = p
	if g.Metric() == MetricRevenue {
		g.Revenue = a.Money
	} else {
		g.Deals = a.Deals.IntPart()
	}
	return g
}

// allocate splits g's target in proportion to weights, exactly: revenue by
// [sp.Money.AllocateDecimal], a count in whole deals by the same
// largest-remainder method.
func (g Goal) allocate(weights []decimal.Decimal) ([]Amount, error) {
	target := g.Revenue
	if g.Metric() == MetricWonDeals {
		// A count is split like an amount of a currency without minor
		// units, so that it falls into whole deals by the same method.
		target, _ = sp.NewMoneyFromMinor(g.Deals, countCarrier)
	}
	parts, err := target.AllocateDecimal(weights...)
	if err != nil {
		return nil, err
	}
	out := make([]Amount, len(parts))
	for i, m := range parts {
		if g.Metric() == MetricRevenue {
			out[i] = Amount{Money: m}
		} else {
			out[i] = Amount{Deals: m.Amount()}
		}
	}
	return out, nil
}

// countCarrier is a currency without minor units, in which counts are
// allocated as whole units.
const countCarrier sp.Currency = "JPY"

// Spread splits g, a goal for a quarter, a year or any span, into one goal
// per calendar month of its period (parts of months at the ends of a
// custom period), in proportion to weights: one non-negative weight per
// month, in order, or nil for equal weights, a part of a month weighing as
// much as a whole one ([Prorate] splits a month by days). The monthly targets sum
// exactly to g's: revenue is split into minor units of its currency (or
// finer units, if g's target carries more places), a deal count into whole
// deals, the units left over by the proportional shares going to the
// largest remainders (earlier months first on ties; see
// [sp.Money.Allocate]). A month may get a zero target, which
// [Goal.Validate] refuses; drop such goals before use.
//
// An invalid goal, a wrong number of weights, a negative weight or weights
// that are all zero is an error wrapping [sp.ErrInvalid].
func Spread(g Goal, weights []decimal.Decimal) ([]Goal, error) {
	if err := g.Validate(); err != nil {
		return nil, quotaErr("spread", err)
	}
	months := slices.Collect(g.Period.Months())
	if weights == nil {
		weights = make([]decimal.Decimal, len(months))
		for i := range weights {
			weights[i] = decimal.New(1, 0)
		}
	}
	if len(weights) != len(months) {
		return nil, quotaErr("spread", sp.Invalid("weights", "%d given for %d months", len(weights), len(months)))
	}
	parts, err := g.allocate(weights)
	if err != nil {
		return nil, quotaErr("spread", err)
	}
	out := make([]Goal, len(months))
	for i, m := range months {
		out[i] = g.withTarget(m, parts[i])
	}
	return out, nil
}

// Prorate returns the shares of g for parts of its period, in proportion
// to the wall-clock time each part covers in the period's location (by
// days, when the parts start and end at midnight): a rep hired on the 11th
// of a 30-day month gets 20/30 of the month's goal for parts [11th, end).
// Parts must lie within g's period and not overlap; they need not cover
// it. The shares are exact allocations of g's target together with the
// uncovered rest, as by [Spread], so parts that cover the whole period sum
// exactly to g's target. A share may be zero.
//
// An invalid goal, no parts, or a part that is empty, overlaps another or
// reaches outside g's period is an error wrapping [sp.ErrInvalid].
func Prorate(g Goal, parts ...sp.Period) ([]Goal, error) {
	out, err := prorate(g, parts)
	if err != nil {
		return nil, quotaErr("prorate", err)
	}
	return out, nil
}

// prorate is [Prorate] with errors not prefixed by the operation.
func prorate(g Goal, parts []sp.Period) ([]Goal, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, sp.Invalid("parts", "none given")
	}
	whole := g.Period
	covs := make([]sp.Fraction, len(parts))
	// The least common multiple of the shares' denominators, which may
	// exceed an int64 for spans of centuries (see [sp.Period.Coverage]).
	lcm := big.NewInt(1)
	overlapping := firstOverlap(parts)
	for i, p := range parts {
		// The field is written out only for an error.
		field := func() string { return fmt.Sprintf("parts[%d]", i) }
		if err := checkPeriod("", p); err != nil {
			return nil, sp.InField(field(), err)
		}
		if p.Start().Before(whole.Start()) || p.End().After(whole.End()) {
			return nil, sp.Invalid(field(), "%s reaches outside %s", p, whole)
		}
		if i == overlapping {
			j := slices.IndexFunc(parts[:i], p.Overlaps)
			return nil, sp.Invalid(field(), "%s overlaps parts[%d] %s", p, j, parts[j])
		}
		covs[i] = whole.Coverage(p)
		den := big.NewInt(covs[i].Den)
		lcm.Mul(lcm.Quo(lcm, new(big.Int).GCD(nil, nil, lcm, den)), den)
	}
	weights := make([]decimal.Decimal, len(parts)+1)
	rest := new(big.Int).Set(lcm)
	for i, c := range covs {
		w := new(big.Int).Quo(lcm, big.NewInt(c.Den))
		w.Mul(w, big.NewInt(c.Num))
		weights[i] = decimal.NewFromBigInt(w, 0)
		rest.Sub(rest, w)
	}
	if rest.Sign() < 0 {
		rest.SetInt64(0)
	}
	weights[len(parts)] = decimal.NewFromBigInt(rest, 0)
	shares, err := g.allocate(weights)
	if err != nil {
		return nil, err
	}
	out := make([]Goal, len(parts))
	for i, p := range parts {
		out[i] = g.withTarget(p, shares[i])
	}
	return out, nil
}

// firstOverlap returns the index of the first of ps that overlaps an
// earlier one, or -1 if none does, without comparing every pair, which
// takes seconds for tens of thousands of periods: the first overlap is
// found by halving the prefix of ps that holds it.
func firstOverlap(ps []sp.Period) int {
	if !overlapIn(ps) {
		return -1
	}
	return sort.Search(len(ps), func(k int) bool { return overlapIn(ps[:k+1]) })
}

// overlapIn reports whether two of ps overlap: sorted by start, a period
// overlaps an earlier one when it starts before the latest end so far.
func overlapIn(ps []sp.Period) bool {
	sorted := slices.Clone(ps)
	slices.SortFunc(sorted, func(a, b sp.Period) int { return a.Start().Compare(b.Start()) })
	var end time.Time
	for _, p := range sorted {
		if !p.Start().Before(p.End()) {
			continue // the zero Period, which shares no instant
		}
		if p.Start().Before(end) {
			return true
		}
		if p.End().After(end) {
			end = p.End()
		}
	}
	return false
}

// checkPeriod reports an error wrapping [sp.ErrInvalid] that
// names field unless p is a period that can leave the process: not the
// zero Period, within the years 1 to 9999, in a location with an IANA name
// (see [sp.Period.Validate]), and lasting some wall-clock
// time in its location as [sp.Period.Coverage] measures it, by which
// shares of it are measured. It writes no text unless it refuses p: goals
// are checked on every calculation. An empty field gives an error naming
// none, for a caller that names the field only when there is an error.
func checkPeriod(field string, p sp.Period) error {
	if err := p.Validate(); err != nil {
		var ve *sp.ValidationError
		if errors.As(err, &ve) {
			return sp.Invalid(field, "%s", ve.Reason)
		}
		return sp.Invalid(field, "%v", err)
	}
	// Within the hour that passes twice where clocks turn back, shares
	// count the first pass up to its middle and the second from there
	// ([sp.Period.Coverage]): a span of either pass beyond the middle
	// measures nothing though its wall clock moves on. Such spans last
	// under two days; a longer one needs no measuring.
	if !wallClock(p.Start()).Before(wallClock(p.End())) ||
		p.Duration() < 48*time.Hour && !p.Coverage(p).Defined() {
		return sp.Invalid(field, "%s lasts no wall-clock time: daylight saving folds it", p)
	}
	return nil
}

// wallClock returns t's wall-clock reading in its location as if it were
// UTC, so that wall-clock times compare across a daylight-saving change
// and across zones. The first instant of a day reads as its midnight, as
// in [sp.Period.Days], even where clocks spring forward at midnight and
// the day begins at 01:00 (America/Asuncion on October 1, 2023), so that
// a month there compares with the same month elsewhere.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	ns := t.Nanosecond()
	if hh|mm|ss|ns != 0 && t.Equal(sp.DayStart(y, m, d, t.Location())) {
		hh, mm, ss, ns = 0, 0, 0, 0
	}
	return time.Date(y, m, d, hh, mm, ss, ns, time.UTC)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Reassign splits a rep's goal g at the moment the rep moves to region to:
// the part before at keeps g's region, the part from at on is in region
// to, and the two are prorated by [Prorate], so they sum exactly to g.
// Both keep the location of g's period, not that of region to. A move at
// or before the period's start gives the whole goal to region to; one at
// or after its end leaves g as it is. [Attain] counts for each part the
// rep's deals closed in its period, whatever their region: a deal of the
// old region won after the move counts for the new part, and for the old
// region's own goal, which goes by [pipeline.Deal.Region]. A part may get
// a zero target (two days of a goal of three deals), which
// [Goal.Validate], and so Attain, refuses: drop such a part before use,
// as for [Spread]. A goal that is not a rep's, an invalid goal or region,
// or a move that leaves a part daylight saving folds to no wall-clock
// time, is an error wrapping [sp.ErrInvalid].
func Reassign(g Goal, at time.Time, to sp.RegionID) ([]Goal, error) {
	if err := g.Validate(); err != nil {
		return nil, quotaErr("reassign", err)
	}
	if g.Level() != LevelRep {
		return nil, quotaErr("reassign", sp.Invalid("goal.rep", "missing: only a rep's goal moves between regions"))
	}
	if err := to.Validate(); err != nil {
		return nil, quotaErr("reassign", sp.InField("to", err))
	}
	switch {
	case !at.After(g.Period.Start()):
		g.Region = to
		return []Goal{g}, nil
	case !at.Before(g.Period.End()):
		return []Goal{g}, nil
	}
	before, _ := sp.NewPeriod(g.Period.Start(), at) // at lies inside the period
	after, _ := sp.NewPeriod(at.In(g.Period.Location()), g.Period.End())
	out, err := prorate(g, []sp.Period{before, after})
	if err != nil {
		return nil, quotaErr("reassign: prorate", err)
	}
	out[1].Region = to
	return out, nil
}

// Ramp is the onboarding of a new rep in the terms of package training: a
// full monthly revenue goal, the rep's first day, the ramp of fractions of
// the full goal for the first months, and the time zone of the rep's
// region. [Ramp.Goals] turns it into monthly goals. It marshals to JSON and
// back, for a host that keeps ramps in a goals file, with Location as the
// IANA name of its zone (see [Ramp.MarshalJSON]); decoding refuses a member
// it does not know (see [Ramp.UnmarshalJSON]). The zero Ramp has no rep:
// its Goals refuses it.
type Ramp struct {
	Rep    sp.RepID    `json:"rep"`
	Region sp.RegionID `json:"region,omitempty"`
	// Start is the rep's first day: the day on which the instant Start
	// falls in Location, its time of day ignored, so that midnight UTC is
	// the day before in a zone west of UTC. In JSON it is an RFC 3339
	// time, as encoding/json writes a time.Time, or when decoded a date
	// alone ("2027-01-01"), taken as the day's start in the zone.
	Start time.Time `json:"start"`
	// Monthly is the full monthly goal.
	Monthly sp.Money `json:"monthly"`
	// Steps are the fractions of the full goal for the first months, from
	// 0 to 1: 0.25, 0.5, 0.75 give a quarter of the goal in the month of
	// Start, half in the next, three quarters in the third, and the full
	// goal from then on.
	Steps []decimal.Decimal `json:"steps,omitempty"`
	// Location is the region's time zone; nil means UTC. In JSON it is
	// the member time_zone.
	Location *time.Location `json:"-"`
}

// maxGoalMonths bounds the months of [Ramp.Goals].
const maxGoalMonths = 1200

// Goals returns the rep's goals for the given number of months from the
// month of Start (1 to 1200): month i's goal is Monthly times Steps[i] (1
// once the steps run out), rounded half-up to the currency's minor unit.
// The first month runs from the start of the first day to the month's end,
// its goal prorated by days as by [Prorate]. Months whose goal is zero (a
// step of 0, a start on the last day of a month with a small goal) get no
// goal, so the result may be shorter than months.
//
// An invalid rep or region, a zero start or one outside the years 1 to
// 9000 in Location, a Location without an IANA name, a goal that is not
// positive, a step outside 0 to 1 or months out of range is an error
// wrapping [sp.ErrInvalid].
func (r Ramp) Goals(months int) ([]Goal, error) {
	if err := r.validate(months); err != nil {
		return nil, quotaErr("ramp", err)
	}
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := r.Start.In(loc).Date()
	first := sp.DayStart(y, m, d, loc)
	month := sp.MonthOf(first)
	var out []Goal
	for i := range months {
		factor := decimal.New(1, 0)
		if i < len(r.Steps) {
			factor = r.Steps[i]
		}
		g := Goal{Rep: r.Rep, Region: r.Region, Period: month, Revenue: r.Monthly.Mul(factor).Round(sp.HalfUp)}
		if i == 0 && first.After(month.Start()) {
			part, _ := sp.NewPeriod(first, month.End()) // the first day lies in the month
			if g.Revenue.Sign() > 0 {
				parts, err := prorate(g, []sp.Period{part})
				if err != nil {
					return nil, quotaErr("ramp: prorate", err)
				}
				g = parts[0]
			}
		}
		if g.Revenue.Sign() > 0 {
			out = append(out, g)
		}
		month = month.Next()
	}
	return out, nil
}

func (r Ramp) validate(months int) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if months < 1 || months > maxGoalMonths {
		return sp.Invalid("months", "%d outside 1 to %d", months, maxGoalMonths)
	}
	return nil
}

// Validate reports whether r is a ramp [Ramp.Goals] takes, as package
// training's Onboarding.Validate does for an onboarding: a valid rep (and
// region, if set), a Start in the years 1 to 9000 in Location (a zone with
// an IANA name, if set), a positive and valid Monthly, and Steps from 0 to
// 1. An invalid ramp is an error wrapping [sp.ErrInvalid] that names the
// field ("ramp.steps[1]").
func (r Ramp) Validate() error {
	if err := r.Rep.Validate(); err != nil {
		return sp.InField("ramp.rep", err)
	}
	if r.Region != "" {
		if err := r.Region.Validate(); err != nil {
			return sp.InField("ramp.region", err)
		}
	}
	if r.Start.IsZero() {
		return sp.Invalid("ramp.start", "missing")
	}
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	start := r.Start.In(loc)
	if y := start.Year(); y < 1 || y > 9000 {
		return sp.Invalid("ramp.start", "year %d in %s outside 1 to 9000", y, loc)
	}
	if r.Location != nil {
		if err := checkPeriod("ramp.location", sp.MonthOf(start)); err != nil {
			return err
		}
	}
	if err := r.Monthly.Validate(); err != nil {
		return sp.InField("ramp.monthly", err)
	}
	if r.Monthly.Sign() <= 0 {
		return sp.Invalid("ramp.monthly", "%s is not positive", r.Monthly)
	}
	one := decimal.New(1, 0)
	for i, s := range r.Steps {
		// The field is written out only for an error.
		field := func() string { return fmt.Sprintf("ramp.steps[%d]", i) }
		if err := sp.ValidateDecimal(s); err != nil {
			return sp.InField(field(), err)
		}
		if s.Sign() < 0 || s.Cmp(one) > 0 {
			return sp.Invalid(field(), "%s outside 0 to 1", s)
		}
	}
	return nil
}

// RollupNode is one subject of a goal roll-up ([RollUp]): the company, a
// region or a rep, with its own goal, the sum of its children's goals and
// the discrepancy between them. The zero RollupNode has no level, no goal
// and no children.
type RollupNode struct {
	Level  Level       `json:"level"`
	Rep    sp.RepID    `json:"rep,omitempty"`
	Region sp.RegionID `json:"region,omitempty"`
	// Own is the sum of the subject's own goals in the period; zero when it
	// has none (HasOwn false).
	Own    Amount `json:"own"`
	HasOwn bool   `json:"has_own"`
	// Parts is the sum of the children's goals: for a region, its reps'
	// own goals; for the company, each region's own goal, or the sum of its
	// reps' goals when the region has none. Zero for a rep.
	Parts Amount `json:"parts"`
	// Discrepancy is Own − Parts: positive when the subject's goal asks for
	// more than its children's goals add up to. Zero unless the subject has
	// both its own goal and children.
	Discrepancy Amount `json:"discrepancy"`
	// Children are the regions of the company or the reps of a region, by
	// ID; reps whose goals name no region sit under a region with an empty
	// ID.
	Children []RollupNode `json:"children,omitempty"`
}

// effective returns the node's own goal, or the sum of its parts when it
// has none.
func (n *RollupNode) effective() Amount {
	if n.HasOwn {
		return n.Own
	}
	return n.Parts
}

// RollUp sums the goals of metric within period up the hierarchy rep →
// region → company and reports, at each level, the discrepancy between a
// subject's own goal and the sum of its children's. Goals whose period lies
// within period count (so a rep who moved between regions mid-month, with
// a prorated goal in each, counts in both); goals outside it, of the other
// metric, or for a single product are skipped. Periods are compared on the
// wall clock, each in its own location, so that the goals of regions in
// different time zones, each for November in its zone, all lie within the
// company's November. A subject's goals are added up as they come, whether
// or not their periods overlap: nothing refuses a rep's month in two zones,
// or a month and a contest within it, which both count in its Own. A rep
// whose goal is in the other metric is no child at all: a region whose own
// goal is in revenue and one of whose reps has a goal in won deals shows
// that rep's part of it in its Discrepancy, as if no rep had it; roll up
// each metric the goals use. It returns the company's node.
//
// A goal that is invalid or whose period straddles period's bounds is an
// error wrapping [sp.ErrInvalid]; revenue goals in different
// currencies are an error wrapping [sp.ErrCurrencyMismatch] that names the
// first goal in another currency than those before it, by its index,
// subject and period.
func RollUp(period sp.Period, metric Metric, goals iter.Seq[Goal]) (RollupNode, error) {
	if err := checkPeriod("period", period); err != nil {
		return RollupNode{}, quotaErr("roll up", err)
	}
	if err := metric.Validate(); err != nil {
		return RollupNode{}, quotaErr("roll up", sp.InField("metric", err))
	}
	type sums struct {
		own tally
		has bool
	}
	var (
		currency sp.Currency
		company  sums
		regions  = map[sp.RegionID]*sums{}
		reps     = map[sp.RegionID]map[sp.RepID]*sums{}
		i        = -1
	)
	newSums := func() *sums { return &sums{own: newTally(metric, currency)} }
	ps, pe := wallClock(period.Start()), wallClock(period.End())
	for g := range orEmpty(goals) {
		i++
		if err := g.Validate(); err != nil {
			return RollupNode{}, quotaErr("roll up", sp.InElement("goals", i, "goal", err))
		}
		// On the wall clock, each period in its own location: a region's
		// month in its zone lies within the company's month.
		gs, ge := wallClock(g.Period.Start()), wallClock(g.Period.End())
		if g.Metric() != metric || g.Product != "" || !gs.Before(pe) || !ps.Before(ge) {
			continue
		}
		if gs.Before(ps) || ge.After(pe) {
			return RollupNode{}, quotaErr("roll up", sp.Invalid(fmt.Sprintf("goals[%d].period", i), "%s straddles %s", g.Period, period))
		}
		if metric == MetricRevenue && currency == "" {
			currency = g.Revenue.Currency()
			company.own = newTally(metric, currency)
		}
		var s *sums
		switch g.Level() {
		case LevelCompany:
			s = &company
		case LevelRegion:
			if s = regions[g.Region]; s == nil {
				s = newSums()
				regions[g.Region] = s
			}
		default:
			if regions[g.Region] == nil {
				regions[g.Region] = newSums()
			}
			if reps[g.Region] == nil {
				reps[g.Region] = map[sp.RepID]*sums{}
			}
			if s = reps[g.Region][g.Rep]; s == nil {
				s = newSums()
				reps[g.Region][g.Rep] = s
			}
		}
		if err := s.own.add(g.Target()); err != nil {
			return RollupNode{}, quotaErr("roll up", fmt.Errorf("%s: %w", goalName(i, g), err))
		}
		s.has = true
	}
	zero := newTally(metric, currency)
	node := func(level Level, rep sp.RepID, region sp.RegionID, s *sums) RollupNode {
		n := RollupNode{Level: level, Rep: rep, Region: region, Own: zero.total(), Parts: zero.total(), Discrepancy: zero.total()}
		if s != nil && s.has {
			n.Own, n.HasOwn = s.own.total(), true
		}
		return n
	}
	// finish sets the parts and the discrepancy of n from its children.
	finish := func(n *RollupNode) error {
		parts := newTally(metric, currency)
		for i := range n.Children {
			if err := parts.add(n.Children[i].effective()); err != nil {
				return err
			}
		}
		n.Parts = parts.total()
		if n.HasOwn && len(n.Children) > 0 {
			d, err := n.Own.sub(n.Parts)
			if err != nil {
				return err
			}
			n.Discrepancy = d
		}
		return nil
	}
	root := node(LevelCompany, "", "", &company)
	for _, region := range slices.Sorted(maps.Keys(regions)) {
		rn := node(LevelRegion, "", region, regions[region])
		for _, rep := range slices.Sorted(maps.Keys(reps[region])) {
			rn.Children = append(rn.Children, node(LevelRep, rep, region, reps[region][rep]))
		}
		if err := finish(&rn); err != nil {
			return RollupNode{}, quotaErr("roll up", err)
		}
		root.Children = append(root.Children, rn)
	}
	if err := finish(&root); err != nil {
		return RollupNode{}, quotaErr("roll up", err)
	}
	return root, nil
}
