package quota

import (
	"cmp"
	"slices"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Grouping says which dimensions a calculator breaks its results down by;
// any combination may be set, and the calculators group in the same single
// pass over their records, allocating per group, never per record. The
// zero Grouping gives one group of everything.
//
// A record's Rep is its owner; its Month is the calendar month, in the time
// zone of the record's region ([Options.Location]), of the time the
// calculator goes by (documented with each calculator: close time, receipt,
// creation).
type Grouping struct {
	Rep      bool
	Region   bool
	Product  bool
	Channel  bool
	Campaign bool
	Month    bool
	// Inquiry and Deal, when set, give a host's own key of a record, which
	// goes into [Key.Custom]: a segment, a customer tier, a team. A
	// calculator that reads both inquiries and deals needs both functions
	// for the same dimension; one that reads only one kind needs only its
	// function.
	Inquiry func(*pipeline.Inquiry) string
	Deal    func(*pipeline.Deal) string
}

// Key identifies a group of a grouped result: the values of the
// dimensions grouped by; the others are empty. The Month is the zero
// Period unless grouping by month.
type Key struct {
	Rep      sp.RepID      `json:"rep,omitempty"`
	Region   sp.RegionID   `json:"region,omitempty"`
	Product  sp.ProductID  `json:"product,omitempty"`
	Channel  sp.ChannelID  `json:"channel,omitempty"`
	Campaign sp.CampaignID `json:"campaign,omitempty"`
	Month    sp.Period     `json:"month,omitzero"`
	Custom   string        `json:"custom,omitempty"`
}

// Compare orders keys by rep, region, product, channel, campaign, month
// (by start, then end) and custom key, the order of grouped results.
func (k Key) Compare(o Key) int {
	return cmp.Or(
		cmp.Compare(k.Rep, o.Rep),
		cmp.Compare(k.Region, o.Region),
		cmp.Compare(k.Product, o.Product),
		cmp.Compare(k.Channel, o.Channel),
		cmp.Compare(k.Campaign, o.Campaign),
		k.Month.Start().Compare(o.Month.Start()),
		k.Month.End().Compare(o.Month.End()),
		cmp.Compare(k.Custom, o.Custom),
	)
}

// String returns the set dimensions as "rep=r1 product=p2 month=2026-11",
// or "all" for the key of everything.
func (k Key) String() string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
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

// The dimensions of the single-string fast path.
const (
	dimNone = iota
	dimRep
	dimRegion
	dimProduct
	dimChannel
	dimCampaign
	dimMixed // more than one dimension, or month or custom
)

// grouper maps records to dense group indexes in one pass: groups are
// numbered in order of first appearance, and order returns them sorted by
// key. Grouping by a single ID dimension looks records up by that string;
// any other grouping by the whole Key. Neither allocates per record once a
// group exists.
type grouper struct {
	by   Grouping
	s    *settings
	dim  int
	str  keyIndex
	full map[Key]int32
	keys []Key
}

func newGrouper(by Grouping, s *settings) *grouper {
	g := &grouper{by: by, s: s}
	var dims []int
	for _, d := range []struct {
		on  bool
		dim int
	}{
		{by.Rep, dimRep}, {by.Region, dimRegion}, {by.Product, dimProduct},
		{by.Channel, dimChannel}, {by.Campaign, dimCampaign},
	} {
		if d.on {
			dims = append(dims, d.dim)
		}
	}
	switch {
	case by.Month || by.Inquiry != nil || by.Deal != nil || len(dims) > 1:
		g.dim = dimMixed
		g.full = map[Key]int32{}
	case len(dims) == 1:
		g.dim = dims[0]
	default:
		g.dim = dimNone
	}
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

// deal returns the group of d, whose month is that of at.
func (g *grouper) deal(d *pipeline.Deal, at time.Time) int32 {
	switch g.dim {
	case dimNone:
		return g.only()
	case dimRep:
		return g.byString(string(d.Owner))
	case dimRegion:
		return g.byString(string(d.Region))
	case dimProduct:
		return g.byString(string(d.Product))
	case dimChannel:
		return g.byString(string(d.Channel))
	case dimCampaign:
		return g.byString(string(d.Campaign))
	}
	var k Key
	g.fill(&k, d.Owner, d.Region, d.Product, d.Channel, d.Campaign, at)
	if g.by.Deal != nil {
		k.Custom = g.by.Deal(d)
	}
	return g.byKey(k)
}

// inquiry returns the group of in, whose month is that of at.
func (g *grouper) inquiry(in *pipeline.Inquiry, at time.Time) int32 {
	switch g.dim {
	case dimNone:
		return g.only()
	case dimRep:
		return g.byString(string(in.Owner))
	case dimRegion:
		return g.byString(string(in.Region))
	case dimProduct:
		return g.byString(string(in.Product))
	case dimChannel:
		return g.byString(string(in.Channel))
	case dimCampaign:
		return g.byString(string(in.Campaign))
	}
	var k Key
	g.fill(&k, in.Owner, in.Region, in.Product, in.Channel, in.Campaign, at)
	if g.by.Inquiry != nil {
		k.Custom = g.by.Inquiry(in)
	}
	return g.byKey(k)
}

func (g *grouper) fill(k *Key, rep sp.RepID, region sp.RegionID, product sp.ProductID,
	channel sp.ChannelID, campaign sp.CampaignID, at time.Time) {
	if g.by.Rep {
		k.Rep = rep
	}
	if g.by.Region {
		k.Region = region
	}
	if g.by.Product {
		k.Product = product
	}
	if g.by.Channel {
		k.Channel = channel
	}
	if g.by.Campaign {
		k.Campaign = campaign
	}
	if g.by.Month {
		k.Month = g.s.monthOf(region, at)
	}
}

func (g *grouper) only() int32 {
	if len(g.keys) == 0 {
		g.keys = append(g.keys, Key{})
	}
	return 0
}

func (g *grouper) byString(s string) int32 {
	if i, ok := g.str.lookup(s); ok {
		return i
	}
	i := int32(len(g.keys))
	g.str.insert(s, i)
	var k Key
	switch g.dim {
	case dimRep:
		k.Rep = sp.RepID(s)
	case dimRegion:
		k.Region = sp.RegionID(s)
	case dimProduct:
		k.Product = sp.ProductID(s)
	case dimChannel:
		k.Channel = sp.ChannelID(s)
	case dimCampaign:
		k.Campaign = sp.CampaignID(s)
	}
	g.keys = append(g.keys, k)
	return i
}

func (g *grouper) byKey(k Key) int32 {
	if i, ok := g.full[k]; ok {
		return i
	}
	i := int32(len(g.keys))
	g.full[k] = i
	g.keys = append(g.keys, k)
	return i
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
