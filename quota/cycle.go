package quota

import (
	"iter"
	"math/big"
	"math/bits"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Durations summarizes a set of durations: their count, exact mean (rounded
// half-up to the nanosecond), extremes and percentiles. A percentile q
// interpolates linearly between the closest ranks (type 7 of Hyndman and
// Fan, the default of R and of spreadsheets): with the n values sorted, h =
// (n−1)·q, and the percentile lies between values ⌊h⌋ and ⌊h⌋+1 in
// proportion to the fraction of h; the median of an even count is the mean
// of the middle two. Percentiles are computed exactly and rounded half-up
// to the nanosecond. No durations give all zeros. The JSON form has each
// duration as text ("1h30m0s"), as [sp.Duration] writes it; decoding reads
// that text or an integer of nanoseconds, the form encoding/json gives a
// [time.Duration]. No durations are {"count":0}, without statistics that a
// reader would take for measured zeros (see [Durations.MarshalJSON]). The
// zero Durations are those of no durations.
type Durations struct {
	Count  int64         `json:"count"`
	Mean   time.Duration `json:"mean"`
	Min    time.Duration `json:"min"`
	P25    time.Duration `json:"p25"`
	Median time.Duration `json:"median"`
	P75    time.Duration `json:"p75"`
	P90    time.Duration `json:"p90"`
	Max    time.Duration `json:"max"`
}

// Summarize returns the [Durations] of the durations of seq; negative
// durations are an inconsistency of the data (a deal closed before it was
// created) and are left out. A nil seq gives all zeros.
func Summarize(seq iter.Seq[time.Duration]) Durations {
	var ds []time.Duration
	for d := range orEmpty(seq) {
		if d >= 0 {
			ds = append(ds, d)
		}
	}
	return summarize(ds)
}

// summarize summarizes ds, all non-negative, sorting them in place.
func summarize(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	slices.Sort(ds)
	var sum uint128
	for _, d := range ds {
		sum.add(uint64(d))
	}
	return Durations{
		Count:  int64(len(ds)),
		Mean:   sum.meanRound(int64(len(ds))),
		Min:    ds[0],
		P25:    percentile(ds, 25),
		Median: percentile(ds, 50),
		P75:    percentile(ds, 75),
		P90:    percentile(ds, 90),
		Max:    ds[len(ds)-1],
	}
}

// percentile returns the pct-th percentile (0 to 100) of the sorted,
// non-negative ds by linear interpolation between the closest ranks,
// exactly, rounded half-up to the nanosecond.
func percentile(ds []time.Duration, pct uint64) time.Duration {
	// h = (n−1)·pct/100 = lo + rem/100.
	h := uint64(len(ds)-1) * pct
	lo, rem := h/100, h%100
	if lo >= uint64(len(ds)-1) {
		return ds[len(ds)-1]
	}
	// rem·diff/100, rounded half-up; rem·diff + 50 < 100·2⁶³ fits in 128
	// bits with a high word below 100.
	diff := uint64(ds[lo+1] - ds[lo])
	hi, low := bits.Mul64(rem, diff)
	low, carry := bits.Add64(low, 50, 0)
	q, _ := bits.Div64(hi+carry, low, 100)
	return ds[lo] + time.Duration(q)
}

// uint128 is an exact sum of non-negative durations.
type uint128 struct{ hi, lo uint64 }

func (u *uint128) add(x uint64) {
	var carry uint64
	u.lo, carry = bits.Add64(u.lo, x, 0)
	u.hi += carry
}

func (u *uint128) addWide(o uint128) {
	var carry uint64
	u.lo, carry = bits.Add64(u.lo, o.lo, 0)
	u.hi += o.hi + carry
}

func (u *uint128) big() *big.Int {
	b := new(big.Int).SetUint64(u.hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(u.lo))
}

// meanRound returns the sum over n, rounded half-up to the nanosecond.
func (u *uint128) meanRound(n int64) time.Duration {
	q, r := new(big.Int).QuoRem(u.big(), big.NewInt(n), new(big.Int))
	if r.Lsh(r, 1).Cmp(big.NewInt(n)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return time.Duration(q.Int64()) // a mean of durations is a duration
}

// CycleGroup is one group of a [CycleReport]. The zero CycleGroup is the
// total's (the zero [Key]) of no record.
type CycleGroup struct {
	Key       Key       `json:"key"`
	Durations Durations `json:"durations"`
	// Pending counts the records still under way, left out of Durations:
	// open deals created in the period, inquiries not yet converted or not
	// yet answered.
	Pending int64 `json:"pending"`
}

// CycleReport is the result of [SalesCycle], [TimeToConvert] and
// [FirstResponse]: the groups by key and the total. The zero CycleReport is
// that of no record: no groups, encoded as [], and its JSON decodes back.
type CycleReport struct {
	Period sp.Period    `json:"period"`
	Total  CycleGroup   `json:"total"`
	Groups []CycleGroup `json:"groups"`
}

// cycles collects durations by group.
type cycles struct {
	g       *grouper
	ds      [][]time.Duration
	pending []int64
}

func (c *cycles) grow(i int32) {
	for int(i) >= len(c.ds) {
		c.ds = append(c.ds, nil)
		c.pending = append(c.pending, 0)
	}
}

func (c *cycles) add(i int32, d time.Duration) {
	c.grow(i)
	if d >= 0 {
		c.ds[i] = append(c.ds[i], d)
	}
}

func (c *cycles) wait(i int32) {
	c.grow(i)
	c.pending[i]++
}

func (c *cycles) report(period sp.Period) CycleReport {
	rep := CycleReport{Period: period}
	// Each group's durations are sorted in place first, so that when one
	// group holds them all (no grouping, or one group measured), the
	// total's are that group's, already in order.
	for _, i := range c.g.order() {
		c.grow(i)
		rep.Groups = append(rep.Groups, CycleGroup{Key: c.g.keys[i], Durations: summarize(c.ds[i]), Pending: c.pending[i]})
	}
	// n counts the durations of all groups; holder is the last group with
	// any, which holds them all when they are its count.
	n, holder := 0, -1
	var pending int64
	for i, ds := range c.ds {
		pending += c.pending[i]
		if len(ds) > 0 {
			n += len(ds)
			holder = i
		}
	}
	var all []time.Duration
	if holder >= 0 {
		all = c.ds[holder]
	}
	if n > len(all) {
		all = make([]time.Duration, 0, n)
		for _, ds := range c.ds {
			all = append(all, ds...)
		}
	}
	rep.Total = CycleGroup{Durations: summarize(all), Pending: pending}
	return rep
}

// SalesCycle returns the sales-cycle length, from creation to close, of the
// deals won in period, grouped by by (a deal's month is that of its close),
// in one pass. Open deals created in the period are counted as pending,
// in the month of their creation.
// Deals without a creation time, or closed before it, are left out.
// A cycle is elapsed time, Closed − Created, not a count of calendar days:
// between two midnights of a zone with daylight saving time it is an hour
// short of whole days across the change in spring (March 1 to April 1, 2017
// in America/Chicago is 30 days 23 hours) and an hour over across the change
// in autumn, and its percentiles and mean are reckoned in those durations.
// Deals are read during the pass and not retained; the pass keeps one
// duration per won deal. A missing period, a bad option or a custom
// grouping without [Grouping.Deal] is an error wrapping [sp.ErrInvalid].
func SalesCycle(deals iter.Seq[*pipeline.Deal], period sp.Period, by Grouping, opts *Options) (CycleReport, error) {
	s, err := opts.settings()
	if err != nil {
		return CycleReport{}, quotaErr("sales cycle", err)
	}
	c, err := newCycles(&s, period, by, false, true)
	if err != nil {
		return CycleReport{}, quotaErr("sales cycle", err)
	}
	for d := range orEmpty(deals) {
		if d == nil {
			return CycleReport{}, quotaErr("sales cycle", errNil("deals"))
		}
		switch s.outcome(d) {
		case OutcomeWon:
			if period.Contains(d.Closed) && !d.Created.IsZero() && !d.Closed.Before(d.Created) {
				c.add(c.g.deal(d, d.Closed, "deal.closed"), d.Closed.Sub(d.Created))
			}
		case OutcomeOpen:
			if !d.Created.IsZero() && period.Contains(d.Created) {
				c.wait(c.g.deal(d, d.Created, "deal.created"))
			}
		}
	}
	if c.g.err != nil {
		return CycleReport{}, quotaErr("sales cycle", c.g.err)
	}
	return c.report(period), nil
}

func newCycles(s *settings, period sp.Period, by Grouping, inquiries, deals bool) (*cycles, error) {
	if err := checkPeriod("period", period); err != nil {
		return nil, err
	}
	g := newGrouper(by, s)
	if err := g.check(inquiries, deals); err != nil {
		return nil, err
	}
	return &cycles{g: g}, nil
}

// TimeToConvert returns the time from an inquiry's receipt to the close of
// the won deal it became, for the inquiries received in period whose deals
// were won by asOf (the cohort of [CohortConversion]), grouped by by (an
// inquiry's rep is its owner, its month that of its receipt); the cohort's
// other inquiries are pending. An inquiry whose first won deal closed
// before its receipt (a clock skew in the data: the win cannot precede the
// inquiry) converted, as in [CohortConversion], at time 0. An inquiry
// received in period after asOf is in the cohort, as in CohortConversion,
// and pending: end the period at asOf to leave out those not yet received.
// It reads inquiries once, then deals once, keeping one entry per inquiry
// of the cohort. A missing period or asOf, a bad option or a custom
// grouping without [Grouping.Inquiry] is an error wrapping [sp.ErrInvalid].
func TimeToConvert(inquiries iter.Seq[*pipeline.Inquiry], deals iter.Seq[*pipeline.Deal],
	period sp.Period, asOf time.Time, by Grouping, opts *Options) (CycleReport, error) {
	if err := checkAsOf(asOf); err != nil {
		return CycleReport{}, quotaErr("time to convert", err)
	}
	s, err := opts.settings()
	if err != nil {
		return CycleReport{}, quotaErr("time to convert", err)
	}
	c, err := newCycles(&s, period, by, true, false)
	if err != nil {
		return CycleReport{}, quotaErr("time to convert", err)
	}
	co, err := collect(inquiries, period, c.g)
	if err == nil {
		err = co.follow(deals, asOf, &s)
	}
	if err != nil {
		return CycleReport{}, quotaErr("time to convert", err)
	}
	for m := range co.members.all() {
		if m.won.IsZero() {
			c.wait(m.group)
		} else {
			c.add(m.group, max(m.won.Sub(m.received), 0))
		}
	}
	return c.report(period), nil
}

// FirstResponse returns the time from an inquiry's receipt to its first
// response by asOf, for the inquiries received in period, grouped by by (an
// inquiry's rep is its owner, its month that of its receipt), in one pass.
// The first response is the inquiry's first contact, as
// [pipeline.FirstContact] reckons it: the earliest of its done activities
// (calls, visits, e-mails, ...) and of its moves to
// [pipeline.InquiryContacted], at or after its receipt (a disqualification
// straight from [pipeline.InquiryNew] is none); inquiries without one by
// asOf are pending, those received in period after asOf too (end the period
// at asOf to leave them out). A missing period or asOf, a bad option or a
// custom grouping without [Grouping.Inquiry] is an error wrapping
// [sp.ErrInvalid].
func FirstResponse(inquiries iter.Seq[*pipeline.Inquiry], period sp.Period, asOf time.Time,
	by Grouping, opts *Options) (CycleReport, error) {
	if err := checkAsOf(asOf); err != nil {
		return CycleReport{}, quotaErr("first response", err)
	}
	s, err := opts.settings()
	if err != nil {
		return CycleReport{}, quotaErr("first response", err)
	}
	c, err := newCycles(&s, period, by, true, false)
	if err != nil {
		return CycleReport{}, quotaErr("first response", err)
	}
	for in := range orEmpty(inquiries) {
		if in == nil {
			return CycleReport{}, quotaErr("first response", errNil("inquiries"))
		}
		if in.Received.IsZero() || !period.Contains(in.Received) { // an unset time is in no period
			continue
		}
		i := c.g.inquiry(in, in.Received, "inquiry.received")
		first := firstResponse(in, asOf)
		if first.IsZero() {
			c.wait(i)
		} else {
			c.add(i, first.Sub(in.Received))
		}
	}
	if c.g.err != nil {
		return CycleReport{}, quotaErr("first response", c.g.err)
	}
	return c.report(period), nil
}

// firstResponse returns the time of the first response to in by asOf, or
// the zero time: the first contact, if it came by asOf.
func firstResponse(in *pipeline.Inquiry, asOf time.Time) time.Time {
	first, ok := pipeline.FirstContact(*in)
	if !ok || first.After(asOf) {
		return time.Time{}
	}
	return first
}
