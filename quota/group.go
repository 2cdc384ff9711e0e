package quota

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Grouping says which dimensions a calculator breaks its results down by;
// any combination may be set, and the calculators group in the same single
// pass over their records. Grouping allocates per group, not per record;
// what a calculator keeps or computes per record besides (the durations of
// [SalesCycle], the products of [WeightedPipeline]) is documented with it.
// The zero Grouping gives one group of everything.
//
// A record's Rep is its owner; its Month is the calendar month, in the time
// zone of the record's region ([Options.Location]), of the time the
// calculator goes by (documented with each calculator: close time, receipt,
// creation). A record without that time, such as an open deal without an
// expected close, goes to a group whose Month is the zero Period. Months
// marshal only in zones with an IANA name, as Periods do.
//
// A month in one zone is not the same key as that month in another: grouped
// by month, the deals of regions in America/Chicago and America/New_York
// closed in March 2017 make two groups, 2017-03[America/Chicago] and
// 2017-03[America/New_York], sorted by the months' start. To total a
// calendar month across zones, add up its groups, or group by a host's key
// (Grouping.Deal) that holds the month's text.
//
// A calculator's period bounds its records by instants, in the period's
// zone, and the months group them in their regions' zones, so that where
// the two zones differ a month's group holds only the part of that month
// the period overlaps: a cohort of November 2026 in UTC, grouped by month,
// gives a region in Pacific/Auckland (+13:00) a group of its November from
// 13:00 on the 1st and one of its December up to 13:00 on the 1st, and a
// region in America/Los_Angeles a group of the last 7 hours of its October
// and one of its November but for the last 8 hours. For each region's
// month whole, take the period in that region's zone ([sp.Region.Month]).
type Grouping struct {
	Rep      bool
	Region   bool
	Product  bool
	Channel  bool
	Campaign bool
	Month    bool
	// Inquiry and Deal, when set, give a host's own key of a record, which
	// goes into [Key.Custom]: a segment, a customer tier, a team. A
	// calculator that groups both inquiries and deals ([PeriodConversion])
	// needs both functions for the same dimension; one that groups only
	// one kind needs only its function: [CohortConversion] and
	// [TimeToConvert], which read deals but group inquiries alone, need
	// Inquiry and ignore Deal.
	Inquiry func(*pipeline.Inquiry) string
	Deal    func(*pipeline.Deal) string
}

// Key identifies a group of a grouped result: the values of the dimensions
// grouped by; the others are empty. The Month is the zero Period unless
// grouping by month, and for the records without the time that gives their
// month. The zero Key is the total's, of no group: its String is "all".
//
// Compare keys with [Key.Compare] (equal at 0), not ==, and key a map by
// [Key.String], not by the Key: the Month is a [sp.Period], which == tells
// apart by its location's pointer, so that the keys of two reports of the
// same months (one read back from JSON, or grouped with locations loaded
// anew) would not match.
type Key struct {
	Rep      sp.RepID      `json:"rep,omitempty"`
	Region   sp.RegionID   `json:"region,omitempty"`
	Product  sp.ProductID  `json:"product,omitempty"`
	Channel  sp.ChannelID  `json:"channel,omitempty"`
	Campaign sp.CampaignID `json:"campaign,omitempty"`
	Month    sp.Period     `json:"month"`
	Custom   string        `json:"custom,omitempty"`
}

// Compare orders keys by rep, region, product, channel, campaign, month
// (by start, then end, then the name of its location, for zones whose
// months have the same bounds) and custom key, the order of grouped
// results.
func (k Key) Compare(o Key) int {
	return cmp.Or(
		cmp.Compare(k.Rep, o.Rep),
		cmp.Compare(k.Region, o.Region),
		cmp.Compare(k.Product, o.Product),
		cmp.Compare(k.Channel, o.Channel),
		cmp.Compare(k.Campaign, o.Campaign),
		k.Month.Start().Compare(o.Month.Start()),
		k.Month.End().Compare(o.Month.End()),
		cmp.Compare(k.Month.Location().String(), o.Month.Location().String()),
		cmp.Compare(k.Custom, o.Custom),
	)
}

// String returns the set dimensions as "rep=r1 product=p2 month=2026-11",
// or "all" when none is set: for the key of everything, and for a group of
// records without a value in any dimension grouped by (deals without an
// owner, grouped by rep), whose key is the same. A value with a space, an
// equals sign or a quote in it is quoted as by [strconv.Quote]
// (`rep="a region=b"`), so that two keys have the same String only if
// they are equal by [Key.Compare].
func (k Key) String() string {
	var parts []string
	add := func(name, v string) {
		switch {
		case v == "":
		case strings.ContainsAny(v, " =\""):
			parts = append(parts, name+"="+strconv.Quote(v))
		default:
			parts = append(parts, name+"="+v)
		}
	}
	add("rep", string(k.Rep))
	add("region", string(k.Region))
	add("product", string(k.Product))
	add("channel", string(k.Channel))
	add("campaign", string(k.Campaign))
	add("month", k.Month.String())
	add("custom", k.Custom)
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " ")
}

// The ID dimensions of a key, in the order of [Key.Compare], and the custom
// one.
const (
	partRep = iota
	partRegion
	partProduct
	partChannel
	partCampaign
	partCustom
	numParts
)

// part indexes the values of one dimension.
type part struct {
	idx   keyIndex
	names []string
}

// index returns the index of s in the dimension, adding it if new.
func (p *part) index(s string) int32 {
	if i, ok := p.idx.lookup(s); ok {
		return i
	}
	i := int32(len(p.names))
	p.idx.insert(s, i)
	p.names = append(p.names, s)
	return i
}

// combo is the identity of a group: the index of its value in each
// dimension grouped by, then the month's code and location.
type combo [numParts + 2]int32

// grouper maps records to dense group indexes in one pass: groups are
// numbered in order of first appearance, and order returns them sorted by
// key. Each dimension's values are indexed through a [keyIndex], and a
// group is found by the tuple of its indexes (a single dimension's index
// is the group's), so a record costs a few cached lookups and no
// allocation once its group exists.
type grouper struct {
	by     Grouping
	s      *settings
	dims   []int // the dimensions grouped by, custom included
	none   bool  // no dimension: one group
	single bool  // one ID dimension and nothing else
	parts  [numParts]part
	locs   []*time.Location
	used   []int // the entries of a combo in use
	packed map[uint64]int32
	combos map[combo]int32
	keys   []Key
	// err is the first record whose month cannot be a key: its time lies
	// outside the years 1 to 9999 in its region's zone. The calculators
	// check it after their pass; the record is grouped meanwhile as if in
	// the nearest month that can.
	err error
}

func newGrouper(by Grouping, s *settings) *grouper {
	g := &grouper{by: by, s: s, combos: map[combo]int32{}, packed: map[uint64]int32{}}
	for p, on := range [numParts]bool{by.Rep, by.Region, by.Product, by.Channel, by.Campaign, by.Inquiry != nil || by.Deal != nil} {
		if on {
			g.dims = append(g.dims, p)
		}
	}
	g.used = slices.Clone(g.dims)
	if by.Month {
		g.used = append(g.used, numParts, numParts+1)
	}
	g.none = len(g.dims) == 0 && !by.Month
	g.single = len(g.dims) == 1 && g.dims[0] != partCustom && !by.Month
	return g
}

// check reports an error if the grouping needs a custom key function the
// calculator's records lack.
func (g *grouper) check(inquiries, deals bool) error {
	custom := g.by.Inquiry != nil || g.by.Deal != nil
	switch {
	case !custom:
		return nil
	case inquiries && g.by.Inquiry == nil:
		return sp.Invalid("grouping.inquiry", "missing: a custom key for inquiries is needed too")
	case deals && g.by.Deal == nil:
		return sp.Invalid("grouping.deal", "missing: a custom key for deals is needed too")
	}
	return nil
}

// len returns the number of groups so far.
func (g *grouper) len() int { return len(g.keys) }

// deal returns the group of d, whose month is that of at, the time of
// its field.
func (g *grouper) deal(d *pipeline.Deal, at time.Time, field string) int32 {
	if g.none {
		return g.only()
	}
	v := [numParts]string{string(d.Owner), string(d.Region), string(d.Product), string(d.Channel), string(d.Campaign), ""}
	if g.by.Deal != nil {
		v[partCustom] = g.by.Deal(d)
	}
	i, ok := g.group(&v, d.Region, at)
	if !ok && g.err == nil {
		g.err = fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), monthError(field, at))
	}
	return i
}

// inquiry returns the group of in, whose month is that of at, the time of
// its field.
func (g *grouper) inquiry(in *pipeline.Inquiry, at time.Time, field string) int32 {
	if g.none {
		return g.only()
	}
	v := [numParts]string{string(in.Owner), string(in.Region), string(in.Product), string(in.Channel), string(in.Campaign), ""}
	if g.by.Inquiry != nil {
		v[partCustom] = g.by.Inquiry(in)
	}
	i, ok := g.group(&v, in.Region, at)
	if !ok && g.err == nil {
		g.err = fmt.Errorf("inquiry %s: %w", sp.Quote(string(in.ID)), monthError(field, at))
	}
	return i
}

func monthError(field string, at time.Time) error {
	return sp.Invalid(field, "%s: grouping by month needs a time within the years 1 to 9999", at.UTC().Format(time.RFC3339))
}

func (g *grouper) only() int32 {
	if len(g.keys) == 0 {
		g.keys = append(g.keys, Key{})
	}
	return 0
}

// group returns the group of a record with the dimension values v, in
// region, whose month is that of at, and false if that month lies outside
// the years 1 to 9999 (the record then goes to the nearest month within).
func (g *grouper) group(v *[numParts]string, region sp.RegionID, at time.Time) (int32, bool) {
	if g.single {
		p := g.dims[0]
		i := g.parts[p].index(v[p])
		if int(i) == len(g.keys) {
			g.keys = append(g.keys, g.key(v, nil))
		}
		return i, true
	}
	inRange := true
	var c combo
	for _, p := range g.dims {
		c[p] = g.parts[p].index(v[p])
	}
	var (
		loc *time.Location
		y   int
		m   time.Month
	)
	dated := g.by.Month && !at.IsZero()
	if g.by.Month && !dated {
		// No time, no month: the record goes to the group whose Month
		// is the zero Period.
		c[numParts], c[numParts+1] = -1, -1
	}
	if dated {
		loc = time.UTC
		if g.s.location != nil {
			if l := g.s.location(region); l != nil {
				loc = l
			}
		}
		var d int
		y, m, d = at.In(loc).Date()
		if d >= 28 && !at.Before(sp.DayStart(y, m+1, 1, loc)) {
			// Clocks turned back across midnight into the month's last
			// day: the next month began at the first midnight and holds
			// at, as [sp.MonthOf] finds.
			y, m, _ = time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC).Date()
		}
		li := slices.Index(g.locs, loc)
		if li < 0 {
			// A host may hand out a new *Location for every record, as
			// time.LoadLocation does: take a zone of the same name whose
			// month of at has the same bounds, the same month by
			// [sp.Period.Equal].
			li = g.sameZone(loc, y, m)
		}
		if li < 0 {
			li = len(g.locs)
			g.locs = append(g.locs, loc)
		}
		switch {
		case y < 1:
			y, m, inRange = 1, time.January, false
		case y > 9999:
			y, m, inRange = 9999, time.December, false
		}
		c[numParts], c[numParts+1] = int32(y*12+int(m)-1), int32(li)
	}
	// Up to four entries below 2¹⁶ pack into a word, the usual case, and
	// a map of words is the faster.
	packed, ok := c.pack(g.used)
	if ok {
		if i, found := g.packed[packed]; found {
			return i, inRange
		}
	} else if i, found := g.combos[c]; found {
		return i, inRange
	}
	var month *sp.Period
	if dated {
		p := sp.Month(y, m, loc)
		month = &p
	}
	i := int32(len(g.keys))
	if ok {
		g.packed[packed] = i
	} else {
		g.combos[c] = i
	}
	g.keys = append(g.keys, g.key(v, month))
	return i, inRange
}

// sameZone returns the index of a location of g.locs named as loc in
// which month m of year y has the same bounds as in loc, or -1.
func (g *grouper) sameZone(loc *time.Location, y int, m time.Month) int {
	start, end := time.Date(y, m, 1, 0, 0, 0, 0, loc), time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
	for i, l := range g.locs {
		if l.String() == loc.String() && time.Date(y, m, 1, 0, 0, 0, 0, l).Equal(start) &&
			time.Date(y, m+1, 1, 0, 0, 0, 0, l).Equal(end) {
			return i
		}
	}
	return -1
}

// pack returns the entries used of c in one word, and false if they do
// not fit: more than four, or one of 2¹⁶ or more.
func (c *combo) pack(used []int) (uint64, bool) {
	if len(used) > 4 {
		return 0, false
	}
	var w uint64
	for j, e := range used {
		if c[e] < 0 || c[e] >= 1<<16 {
			return 0, false
		}
		w |= uint64(c[e]) << (16 * j)
	}
	return w, true
}

// key returns the Key of a new group.
func (g *grouper) key(v *[numParts]string, month *sp.Period) Key {
	var k Key
	for _, p := range g.dims {
		switch p {
		case partRep:
			k.Rep = sp.RepID(v[p])
		case partRegion:
			k.Region = sp.RegionID(v[p])
		case partProduct:
			k.Product = sp.ProductID(v[p])
		case partChannel:
			k.Channel = sp.ChannelID(v[p])
		case partCampaign:
			k.Campaign = sp.CampaignID(v[p])
		case partCustom:
			k.Custom = v[p]
		}
	}
	if month != nil {
		k.Month = *month
	}
	return k
}

// order returns the group indexes sorted by key.
func (g *grouper) order() []int32 {
	idx := make([]int32, len(g.keys))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int { return g.keys[a].Compare(g.keys[b]) })
	return idx
}
