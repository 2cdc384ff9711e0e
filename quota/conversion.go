package quota

import (
	"iter"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Basis is the definition of a conversion rate. Its text form is its name.
// The zero Basis is unset: it encodes as empty text and back, and Validate
// refuses it.
type Basis string

// The two definitions of conversion; see the package documentation.
const (
	// BasisCohort: of the inquiries received in a period, the share that
	// became won deals by an as-of time. A proportion: each inquiry counts
	// once in the denominator and at most once in the numerator.
	BasisCohort Basis = "cohort"
	// BasisPeriod: the deals won in a period over the inquiries received in
	// it, whenever those deals' inquiries arrived (and whether or not they
	// came from one). A ratio of two counts of events, which may exceed 1.
	BasisPeriod Basis = "period"
)

// ConversionGroup is the conversion of one group. The zero ConversionGroup
// is the total's (the zero [Key]) of no inquiry.
type ConversionGroup struct {
	Key Key `json:"key"`
	// Inquiries is the denominator: the inquiries received in the period.
	Inquiries int64 `json:"inquiries"`
	// Won is the numerator: the cohort's inquiries that became won deals
	// by the as-of time ([BasisCohort]), or the deals won in the period
	// ([BasisPeriod]).
	Won int64 `json:"won"`
	// Conversion is Won of Inquiries.
	Conversion RateEstimate `json:"conversion"`
}

// ConversionReport is the result of [CohortConversion] and
// [PeriodConversion]: the definition used, the groups by key and the total.
// The prior is fit to the groups whose rates are proportions ([FitPrior]),
// so that for the cohort basis its mean is the total's rate; for the period
// basis, groups that won more deals than they received inquiries are left
// out of it, and it may differ. The zero ConversionReport is that of no
// inquiry: no groups, encoded as [], and its JSON decodes back.
type ConversionReport struct {
	Basis  Basis     `json:"basis"`
	Period sp.Period `json:"period"`
	// AsOf is the time by which a cohort's deals must be won; zero for
	// the period basis.
	AsOf       time.Time         `json:"as_of"`
	Confidence float64           `json:"confidence"`
	Prior      Prior             `json:"prior"`
	Total      ConversionGroup   `json:"total"`
	Groups     []ConversionGroup `json:"groups"`
}

// member is an inquiry of a cohort: its group, when it arrived, when it
// first became a won deal (zero while not), and the member read before it
// that names the same deal (-1 for none).
type member struct {
	group    int32
	received time.Time
	won      time.Time
	sameDeal int32
}

// cohort follows the inquiries received in a period to their won deals.
// An inquiry is found from a deal by the deal's [pipeline.Deal.Inquiry]
// and by the inquiry's [pipeline.Inquiry.Deal]: byDeal holds the last
// member that names a deal, whose sameDeal leads to the others.
type cohort struct {
	members   chunked[member]
	byInquiry map[sp.InquiryID]int32
	byDeal    map[sp.DealID]int32
}

// collect reads the inquiries received in period, grouping each by g at
// its receipt; a repeated inquiry ID counts once, and inquiries without
// an ID each count.
func collect(inquiries iter.Seq[*pipeline.Inquiry], period sp.Period, g *grouper) (*cohort, error) {
	c := &cohort{byInquiry: map[sp.InquiryID]int32{}, byDeal: map[sp.DealID]int32{}}
	for in := range orEmpty(inquiries) {
		if in == nil {
			return nil, errNil("inquiries")
		}
		if in.Received.IsZero() || !period.Contains(in.Received) { // an unset time is in no period
			continue
		}
		if _, dup := c.byInquiry[in.ID]; dup {
			continue
		}
		i := int32(c.members.n)
		m := member{group: g.inquiry(in, in.Received, "inquiry.received"), received: in.Received, sameDeal: -1}
		if in.ID != "" {
			c.byInquiry[in.ID] = i
		}
		if in.Deal != "" {
			if j, ok := c.byDeal[in.Deal]; ok {
				m.sameDeal = j
			}
			c.byDeal[in.Deal] = i
		}
		c.members.add(m)
	}
	if g.err != nil {
		return nil, g.err
	}
	return c, nil
}

// follow marks the members whose deals were won by asOf, keeping for each
// the earliest win.
func (c *cohort) follow(deals iter.Seq[*pipeline.Deal], asOf time.Time, s *settings) error {
	for d := range orEmpty(deals) {
		if d == nil {
			return errNil("deals")
		}
		if d.Closed.IsZero() || d.Closed.After(asOf) || s.outcome(d) != OutcomeWon {
			continue
		}
		if i, ok := c.byInquiry[d.Inquiry]; ok {
			c.members.at(int(i)).win(d.Closed)
		}
		for i, ok := c.byDeal[d.ID]; ok && i >= 0; i = c.members.at(int(i)).sameDeal {
			c.members.at(int(i)).win(d.Closed)
		}
	}
	return nil
}

// win records a win at t, keeping the earliest.
func (m *member) win(t time.Time) {
	if m.won.IsZero() || t.Before(m.won) {
		m.won = t
	}
}

// CohortConversion returns the conversion of the inquiries received in
// period: for each group, how many of them became won deals by asOf
// ([BasisCohort]), grouped by by on the inquiry's fields alone (its rep is
// its owner, its month that of its receipt; the deals' owners, channels
// and the like play no part). It reads inquiries once and then deals
// once. A deal converts an inquiry when it names it
// ([pipeline.Deal.Inquiry]) or the inquiry names it
// ([pipeline.Inquiry.Deal]), is won ([Options.Outcome]) and closed by
// asOf; an inquiry with several such deals counts once. A deal closed
// before the inquiry's receipt converts it all the same (the win cannot
// precede the inquiry; the data has a clock skew), as it does, at time 0,
// in [TimeToConvert]. Every inquiry received in period is in the cohort,
// one received after asOf too, which had not arrived then: for the cohort
// as it stood at an asOf within period, end the period at asOf (a review's
// figures count only the inquiries received by its as-of time).
// Deals are judged as they are now, not by their history: a deal won by
// asOf and reopened since, or won again after asOf, does not count, so a
// cohort's conversion as of a past time can fall when deals reopen.
// Each rate comes with its Wilson interval and shrunk estimate; groups are
// sorted by key.
//
// The pass keeps one entry per inquiry of the cohort. A missing period, a
// bad option, or a custom grouping without [Grouping.Inquiry] is an error
// wrapping [sp.ErrInvalid].
func CohortConversion(inquiries iter.Seq[*pipeline.Inquiry], deals iter.Seq[*pipeline.Deal],
	period sp.Period, asOf time.Time, by Grouping, opts *Options) (ConversionReport, error) {
	if err := checkAsOf(asOf); err != nil {
		return ConversionReport{}, quotaErr("cohort conversion", err)
	}
	s, g, err := conversionSetup("cohort conversion", period, by, opts, false)
	if err != nil {
		return ConversionReport{}, err
	}
	c, err := collect(inquiries, period, g)
	if err == nil {
		err = c.follow(deals, asOf, &s)
	}
	if err != nil {
		return ConversionReport{}, quotaErr("cohort conversion", err)
	}
	counts := make([]Rate, g.len())
	for m := range c.members.all() {
		counts[m.group].Den++
		if !m.won.IsZero() {
			counts[m.group].Num++
		}
	}
	rep := conversionReport(BasisCohort, period, &s, g, counts)
	rep.AsOf = asOf
	return rep, nil
}

// PeriodConversion returns the deals won in period over the inquiries
// received in it ([BasisPeriod]), grouped by by: an inquiry by its own
// fields (its rep is its owner, its month that of its receipt), a deal by
// its own, not its inquiry's (its rep is its owner, its month that of its
// close; its region, product, channel and campaign are the deal's). The
// numerator counts every won deal closed in the period, whether
// or not it came from an inquiry, so the ratio may exceed 1; such rates
// have no interval and no shrunk estimate. A group that won deals but
// received no inquiries (a region whose inquiries come through no channel
// of the host's) has the rate n/0, no data: its Value is 0, as for 0/0, so
// tell the two apart by the Rate. Deals are judged as they are
// now, as by [CohortConversion]: a deal won in period and reopened since,
// or won again after it, does not count, so a period's conversion can fall
// after it ended. Inquiries are read once, then deals once; groups are
// sorted by key.
//
// A missing period, a bad option, or a custom grouping without both
// [Grouping.Inquiry] and [Grouping.Deal] is an error wrapping
// [sp.ErrInvalid].
func PeriodConversion(inquiries iter.Seq[*pipeline.Inquiry], deals iter.Seq[*pipeline.Deal],
	period sp.Period, by Grouping, opts *Options) (ConversionReport, error) {
	s, g, err := conversionSetup("period conversion", period, by, opts, true)
	if err != nil {
		return ConversionReport{}, err
	}
	var counts []Rate
	grow := func(i int32) *Rate {
		for int(i) >= len(counts) {
			counts = append(counts, Rate{})
		}
		return &counts[i]
	}
	for in := range orEmpty(inquiries) {
		if in == nil {
			return ConversionReport{}, quotaErr("period conversion", errNil("inquiries"))
		}
		if !in.Received.IsZero() && period.Contains(in.Received) {
			grow(g.inquiry(in, in.Received, "inquiry.received")).Den++
		}
	}
	for d := range orEmpty(deals) {
		if d == nil {
			return ConversionReport{}, quotaErr("period conversion", errNil("deals"))
		}
		if !d.Closed.IsZero() && period.Contains(d.Closed) && s.outcome(d) == OutcomeWon {
			grow(g.deal(d, d.Closed, "deal.closed")).Num++
		}
	}
	if g.err != nil {
		return ConversionReport{}, quotaErr("period conversion", g.err)
	}
	return conversionReport(BasisPeriod, period, &s, g, counts), nil
}

func conversionSetup(op string, period sp.Period, by Grouping, opts *Options, deals bool) (settings, *grouper, error) {
	s, err := opts.settings()
	if err != nil {
		return settings{}, nil, quotaErr(op, err)
	}
	if err := checkPeriod("period", period); err != nil {
		return settings{}, nil, quotaErr(op, err)
	}
	g := newGrouper(by, &s)
	if err := g.check(true, deals); err != nil {
		return settings{}, nil, quotaErr(op, err)
	}
	return s, g, nil
}

// conversionReport assembles the groups' estimates from their counts.
func conversionReport(basis Basis, period sp.Period, s *settings, g *grouper, counts []Rate) ConversionReport {
	rep := ConversionReport{Basis: basis, Period: period, Confidence: s.confidence}
	rep.Prior = s.prior(slices.Values(counts))
	var total Rate
	for _, r := range counts {
		total.Num += r.Num
		total.Den += r.Den
	}
	group := func(k Key, r Rate) ConversionGroup {
		return ConversionGroup{Key: k, Inquiries: r.Den, Won: r.Num, Conversion: s.estimate(r, rep.Prior)}
	}
	rep.Total = group(Key{}, total)
	for _, i := range g.order() {
		rep.Groups = append(rep.Groups, group(g.keys[i], counts[i]))
	}
	return rep
}
