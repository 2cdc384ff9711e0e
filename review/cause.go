package review

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// Diagnosis is the root cause of a subject's figures, as
// [Snapshot.Diagnose] decides it: the cause, what it points at (the product
// at fault, the rep and product a rep lags on, the region whose market is
// weak), a sentence for people and the figures that decided it. The zero
// Diagnosis has no cause, which Diagnose always gives: data when nothing
// significant holds.
type Diagnosis struct {
	Cause    Cause        `json:"cause"`
	Rep      sp.RepID     `json:"rep,omitempty"`
	Product  sp.ProductID `json:"product,omitempty"`
	Region   sp.RegionID  `json:"region,omitempty"`
	Summary  string       `json:"summary"`
	Evidence []Evidence   `json:"evidence,omitempty"`
}

// weakness is whether a product or a region is at fault, and why.
type weakness struct {
	weak     bool
	losses   bool // the loss signal holds
	summary  string
	evidence []Evidence
}

// signals are the product and market signals for one rate, aligned with
// the snapshot's product and region rows.
type signals struct {
	product []weakness
	region  []weakness
}

func kindIndex(k RateKind) int {
	if k == RateConversion {
		return 1
	}
	return 0
}

// family is a kind of comparison, whose number adjusts the confidence of
// each (see [Adjustment]).
type family int

const (
	famReps     family = iota // a rep against the rest of the team, or the region's other reps
	famCells                  // a rep on a product against the other reps on it
	famProducts               // a product against the other products
	famRegions                // a region against the other regions
	numFamilies
)

// families counts, for both rates, the subjects with enough data to be
// judged in each family.
func (s *Snapshot) families() { s.fam = s.familyCounts() }

// familyCounts counts the comparisons judged in each family, by rate.
func (s *Snapshot) familyCounts() *[2][numFamilies]int64 {
	var fam [2][numFamilies]int64
	for _, k := range rateKinds {
		n := &fam[kindIndex(k)]
		for i := range s.Reps {
			if s.judged(&s.Reps[i].Figures, k) {
				n[famReps]++
			}
		}
		for i := range s.Cells {
			if s.judged(&s.Cells[i].Figures, k) {
				n[famCells]++
			}
		}
		for i := range s.Products {
			if s.judged(&s.Products[i].Figures, k) {
				n[famProducts]++
			}
		}
		for i := range s.Regions {
			if s.judged(&s.Regions[i].Figures, k) {
				n[famRegions]++
			}
		}
	}
	return &fam
}

// adjusted returns the confidence of one comparison of family f on rate k
// and the number of comparisons it was adjusted for (1 without
// adjustment).
func (s *Snapshot) adjusted(f family, k RateKind) (decimal.Decimal, int64) {
	a := s.cfg().Analysis
	if a.Adjustment != AdjustBonferroni {
		return a.Confidence, 1
	}
	fam := s.fam
	if fam == nil { // a Snapshot made by hand: count without storing, so that reads stay reads
		fam = s.familyCounts()
	}
	m := max(fam[kindIndex(k)][f], 1)
	// 16 places, as Div would round by default; Div would round to
	// decimal.DivisionPrecision places, a variable any host may set.
	one := decimal.New(1, 0)
	return one.Sub(one.Sub(a.Confidence).DivRound(decimal.NewFromInt(m), 16)), m
}

// compare compares r with peers in family f on rate k: at the adjusted
// confidence, its p-value adjusted alike.
func (s *Snapshot) compare(f family, k RateKind, r, peers quota.Rate) quota.Comparison {
	_, m := s.adjusted(f, k)
	c, err := quota.CompareAmong(r, peers, level(s.cfg().Analysis.Confidence), m, s.places())
	if err != nil {
		return quota.Comparison{Verdict: quota.VerdictNoData}
	}
	return c
}

// compareRest compares r with the rest of whole in family f.
func (s *Snapshot) compareRest(f family, k RateKind, r, whole quota.Rate) (quota.Comparison, quota.Rate) {
	rest, err := whole.Without(r)
	if err != nil {
		return quota.Comparison{Verdict: quota.VerdictNoData}, quota.Rate{}
	}
	return s.compare(f, k, r, rest), rest
}

// prepare computes the signals of both rates, once, when the snapshot is
// built or decoded.
func (s *Snapshot) prepare() {
	s.families()
	s.x.tables = s.tables()
	weak := false
	for _, k := range rateKinds {
		sig := s.computeSignals(k)
		s.x.signals[kindIndex(k)] = sig
		weak = weak || slices.ContainsFunc(sig.region, func(w weakness) bool { return w.weak })
	}
	s.x.productCells = indexBy(s.Cells, len(s.Products), cellProduct)
	s.x.regionReps = indexBy(s.Reps, len(s.Regions), repRegion)
	s.x.productsSorted = slices.IsSortedFunc(s.Products, func(x, y ProductRow) int { return cmp.Compare(x.Product, y.Product) })
	s.x.regionProduct = nil
	if weak {
		s.x.regionProduct = s.regionProducts()
	}
}

// regionProduct is a region and a product, the key of the sums of
// [Snapshot.regionProducts].
type regionProduct struct {
	region  sp.RegionID
	product sp.ProductID
}

// regionProducts sums the rates of both kinds of the cells of each region
// and product, in one pass over the reps and their cells, as
// [Snapshot.scanRegionProductRate] sums those of one: for each rep row,
// the cell [Snapshot.Cell] finds of each of its products. It returns nil
// for cells out of order, whose lookups it cannot foresee.
func (s *Snapshot) regionProducts() map[regionProduct][2]quota.Rate {
	if !slices.IsSortedFunc(s.Cells, func(x, y CellRow) int { return compareCell(x, y.Rep, y.Product) }) {
		return nil
	}
	m := map[regionProduct][2]quota.Rate{}
	for i := range s.Reps {
		r := &s.Reps[i]
		cells := s.CellsOf(r.Rep)
		for j := range cells {
			c := &cells[j]
			if j > 0 && c.Product == cells[j-1].Product {
				continue // a repeated row, which Cell does not find
			}
			key := regionProduct{r.Region, c.Product}
			sums := m[key]
			for _, k := range rateKinds {
				rate := c.Rate(k)
				sums[kindIndex(k)].Num += rate.Num
				sums[kindIndex(k)].Den += rate.Den
			}
			m[key] = sums
		}
	}
	return m
}

// countRepsBelow sets the regions' RepsBelow when the snapshot is built; a
// decoded snapshot keeps the counts it was encoded with, which may rest on
// rules other than those it is decoded with.
func (s *Snapshot) countRepsBelow() {
	below, _ := s.repsBelow(s.Rate)
	for i := range s.Regions {
		s.Regions[i].RepsBelow = below[i]
	}
}

func (s *Snapshot) signalsFor(k RateKind) *signals {
	if s.x == nil || s.x.signals[kindIndex(k)] == nil {
		return s.computeSignals(k) // a Snapshot made by hand
	}
	return s.x.signals[kindIndex(k)]
}

// min returns the fewest cases a rate of kind k is judged on.
func (s *Snapshot) min(k RateKind) int64 {
	if k == RateConversion {
		return s.cfg().Analysis.MinInquiries
	}
	return s.cfg().Analysis.MinDeals
}

func (s *Snapshot) judged(f *Figures, k RateKind) bool { return f.Rate(k).Den >= s.min(k) }

func (s *Snapshot) computeSignals(k RateKind) *signals {
	sig := &signals{product: make([]weakness, len(s.Products)), region: make([]weakness, len(s.Regions))}
	byProduct := make(map[sp.ProductID][]*CellRow, len(s.Products))
	for i := range s.Cells {
		c := &s.Cells[i]
		byProduct[c.Product] = append(byProduct[c.Product], c)
	}
	team := s.Team.Rate(k)
	for i := range s.Products {
		sig.product[i] = s.productWeakness(&s.Products[i], byProduct[s.Products[i].Product], team, k)
	}
	below, judged := s.repsBelow(k)
	for i := range s.Regions {
		sig.region[i] = s.regionWeakness(&s.Regions[i], team, k, below[i], judged[i])
	}
	return sig
}

// atLeast reports whether num/den ≥ share, exactly; a zero den fails.
func atLeast(num, den int64, share decimal.Decimal) bool {
	return den > 0 && decimal.NewFromInt(num).GreaterThanOrEqual(share.Mul(decimal.NewFromInt(den)))
}

// below reports whether a < b exactly; rates without data are not below.
func below(a, b quota.Rate) bool {
	if a.Den <= 0 || b.Den <= 0 {
		return false
	}
	const small = 1 << 31 // products of such counts fit in an int64
	if a.Num >= 0 && b.Num >= 0 && a.Num < small && b.Num < small && a.Den < small && b.Den < small {
		return a.Num*b.Den < b.Num*a.Den
	}
	return a.Cmp(b) < 0
}

func (s *Snapshot) productWeakness(p *ProductRow, cells []*CellRow, team quota.Rate, k RateKind) weakness {
	ps := s.cfg().Analysis.Product
	var w weakness
	// The loss signal.
	lossOK := p.SignalLosses >= ps.MinLosses && atLeast(p.SignalLosses, p.Lost, ps.MinLossShare) &&
		p.RepsWithLosses >= ps.MinReps && atLeast(p.RepsWithLosses, p.Reps, ps.MinRepShare)
	if p.SignalLosses > 0 {
		w.evidence = append(w.evidence,
			Evidence{"losses of " + string(p.Product), fmt.Sprintf("%d of %d lost deals (%s) put down to %s",
				p.SignalLosses, p.Lost, ratio(p.SignalLosses, p.Lost, s.places()), lossCauses(ps.LossCategories))},
			Evidence{"reps with such losses", fmt.Sprintf("%d of the %d who closed deals on it", p.RepsWithLosses, p.Reps)},
		)
	}
	// The rate signal.
	rate := p.Rate(k)
	cmpRest, rest := s.compareRest(famProducts, k, rate, team)
	var withData, repsBelow int64
	for _, c := range cells {
		if r := c.Rate(k); r.Den > 0 {
			withData++
			if below(r, rest) {
				repsBelow++
			}
		}
	}
	rateOK := s.judged(&p.Figures, k) && cmpRest.Verdict == quota.VerdictBelow &&
		repsBelow >= ps.MinReps && atLeast(repsBelow, withData, ps.MinRepShare)
	if cmpRest.Verdict == quota.VerdictBelow {
		w.evidence = append(w.evidence,
			Evidence{label(k) + " of product " + string(p.Product), s.rateText(rate)},
			Evidence{label(k) + " of the other products", s.rateText(rest)},
			Evidence{"difference", s.comparisonText(cmpRest, famProducts, k)},
			Evidence{"reps below the other products' " + label(k), fmt.Sprintf("%d of the %d with %s on it", repsBelow, withData, rateUnit(k))},
		)
	}
	switch {
	case lossOK:
		w.weak, w.losses = true, true
		w.summary = fmt.Sprintf("%d of the %d deals of product %s lost in the period were put down to %s, by %d of the %d reps who closed deals on it",
			p.SignalLosses, p.Lost, p.Product, lossCauses(ps.LossCategories), p.RepsWithLosses, p.Reps)
	case rateOK:
		w.weak = true
		w.summary = belowText(k, "product "+string(p.Product), rate, "the other products", rest) +
			fmt.Sprintf(", and %d of the %d reps with %s on it did worse on it than the other products", repsBelow, withData, rateUnit(k))
	}
	return w
}

// repsBelow counts, for each region of s.Regions, the reps of the region
// with enough data for a rate of kind k (judged), and those of them below
// the rest of the company's rate (belowN), in one pass over the reps. A
// region is the row [Snapshot.Region] finds, so that rows repeating it (in
// a snapshot decoded from JSON) count alike, and rows it does not find
// count nothing.
func (s *Snapshot) repsBelow(k RateKind) (belowN, judged []int64) {
	belowN, judged = make([]int64, len(s.Regions)), make([]int64, len(s.Regions))
	rests := make([]quota.Rate, len(s.Regions))
	for i := range s.Regions {
		rests[i], _ = s.Team.Rate(k).Without(s.Regions[i].Rate(k))
	}
	for i := range s.Reps {
		r := &s.Reps[i]
		j, ok := s.regionIndex(r.Region)
		if !ok || !s.judged(&r.Figures, k) {
			continue
		}
		judged[j]++
		if below(r.Rate(k), rests[j]) {
			belowN[j]++
		}
	}
	for i := range s.Regions {
		if j, ok := s.regionIndex(s.Regions[i].Region); !ok {
			belowN[i], judged[i] = 0, 0
		} else if j != i {
			belowN[i], judged[i] = belowN[j], judged[j]
		}
	}
	return belowN, judged
}

func (s *Snapshot) regionWeakness(g *RegionRow, team quota.Rate, k RateKind, repsBelow, judged int64) weakness {
	ms := s.cfg().Analysis.Market
	rate := g.Rate(k)
	c, rest := s.compareRest(famRegions, k, rate, team)
	var w weakness
	if !s.judged(&g.Figures, k) || c.Verdict != quota.VerdictBelow {
		return w
	}
	w.evidence = []Evidence{
		{label(k) + " of region " + string(g.Region), s.rateText(rate)},
		{label(k) + " of the other regions", s.rateText(rest)},
		{"difference", s.comparisonText(c, famRegions, k)},
		{"reps below the other regions' " + label(k), fmt.Sprintf("%d of the region's %d with enough data", repsBelow, judged)},
	}
	if repsBelow >= ms.MinReps && atLeast(repsBelow, judged, ms.MinRepShare) {
		w.weak = true
		w.summary = belowText(k, "region "+string(g.Region), rate, "the other regions", rest) +
			fmt.Sprintf(", and %d of its %d reps with enough data did worse than the other regions", repsBelow, judged)
	}
	return w
}

func (s *Snapshot) productWeak(k RateKind, id sp.ProductID) weakness {
	i, ok := s.productIndex(id)
	if !ok {
		return weakness{}
	}
	return s.signalsFor(k).product[i]
}

func (s *Snapshot) regionWeak(k RateKind, id sp.RegionID) weakness {
	i, ok := slices.BinarySearchFunc(s.Regions, id, func(r RegionRow, id sp.RegionID) int { return cmp.Compare(r.Region, id) })
	if !ok {
		return weakness{}
	}
	return s.signalsFor(k).region[i]
}

// slowFollowUp returns the evidence that follow-up is slow or missing for
// a subject with figures f and follow-up u, or nil, and the summary of
// whose follow-up it is, who: "the follow-up of rep dan is slow or
// missing: a median first response of 40h16m, above the limit of 24h, and
// 8 of the 8 open inquiries overdue (1.0000, above the limit of 0.25)".
func (s *Snapshot) slowFollowUp(f *Figures, u FollowUp, who string) ([]Evidence, string) {
	fs := s.cfg().Analysis.FollowUp
	if f.Inquiries < s.cfg().Analysis.MinInquiries {
		return nil, ""
	}
	var ev []Evidence
	var why []string
	if limit := time.Duration(fs.MaxMedianFirstResponse); limit > 0 && u.FirstResponse.Count > 0 && u.FirstResponse.Median > limit {
		median, limitText := exactDuration(u.FirstResponse.Median), exactDuration(limit)
		ev = append(ev, Evidence{"median first response", fmt.Sprintf("%s over %d inquiries, above the limit of %s",
			median, u.FirstResponse.Count, limitText)})
		why = append(why, fmt.Sprintf("a median first response of %s, above the limit of %s", median, limitText))
	}
	if u.Open > 0 && decimal.NewFromInt(u.Overdue).GreaterThan(fs.MaxOverdueShare.Mul(decimal.NewFromInt(u.Open))) {
		share := ratio(u.Overdue, u.Open, s.places())
		ev = append(ev, Evidence{"overdue inquiries", fmt.Sprintf("%d of %d open (%s), above the limit of %s",
			u.Overdue, u.Open, share, fs.MaxOverdueShare)})
		why = append(why, fmt.Sprintf("%d of the %d open inquiries overdue (%s, above the limit of %s)",
			u.Overdue, u.Open, share, fs.MaxOverdueShare))
	}
	if len(ev) == 0 {
		return nil, ""
	}
	if u.Pending > 0 {
		ev = append(ev, Evidence{"without a first response", fmt.Sprintf("%d of %d inquiries of the period", u.Pending, f.Inquiries)})
	}
	return ev, "the follow-up " + who + " is slow or missing: " + strings.Join(why, ", and ")
}

// Diagnose traces the figures of subject to a cause by the method of the
// package documentation, comparing rates of kind k: for a rep, whether
// they have enough data, whether they lag the other reps on a product
// that does well, whether a product they sell is at fault and they did
// worse on it than on their other products, whether their region's market
// is weak and they did worse than the other regions, whether their
// follow-up is slow, whether they lag the team overall; for a region, a
// product and the company the corresponding steps. The first step that
// holds decides; when none does, the cause is data: nothing significant to
// say. A snapshot whose tables a host replaced, or added rows to or
// removed rows from, since it was built or decoded is diagnosed from its
// rows as they are, as one made by hand, with the rules it had. A row
// edited in place, in the table the snapshot was built with, is not seen:
// the diagnosis stays what the rows were; edit a copy of the table
// ([slices.Clone]) and set that instead.
func (s *Snapshot) Diagnose(subject Subject, k RateKind) Diagnosis {
	if s == nil {
		s = &Snapshot{}
	}
	if s.fam == nil || s.x == nil || s.x.tables != s.tables() {
		// A Snapshot made by hand, or one whose tables a host replaced, grew
		// or shrank since it was built or decoded: a copy holds the rules, the
		// counts of the comparisons and the signals, made once, where every
		// comparison would count them again over all the rows, and every look
		// at a product's or a region's signal compute them all again; s itself
		// is only read.
		c := *s
		c.rules = s.cfg()
		c.x = &extras{}
		c.prepare()
		s = &c
	}
	if k.Validate() != nil {
		k = s.cfg().Analysis.Rate
	}
	switch subject.Kind {
	case SubjectRep:
		return s.diagnoseRep(subject.Rep, k)
	case SubjectRepProduct:
		return s.diagnoseCell(subject.Rep, subject.Product, k)
	case SubjectProduct:
		return s.diagnoseProduct(subject.Product, k)
	case SubjectRegion:
		return s.diagnoseRegion(subject.Region, k)
	}
	return s.diagnoseCompany(k)
}

func (s *Snapshot) noData(what string, f *Figures, k RateKind) Diagnosis {
	unit := rateUnit(k)
	n := f.Rate(k).Den
	counted := fmt.Sprintf("%d %s", n, unit)
	if n == 1 {
		counted = "1 closed deal"
		if k == RateConversion {
			counted = "1 inquiry"
		}
	}
	return Diagnosis{
		Cause:   CauseData,
		Summary: fmt.Sprintf("too few cases to judge %s: %s in the period, fewer than the %d needed", what, counted, s.min(k)),
		Evidence: []Evidence{
			{label(k) + " of " + what, s.rateText(f.Rate(k))},
			{"fewest " + unit + " to judge", fmt.Sprint(s.min(k))},
		},
	}
}

// undecided is the diagnosis that nothing significant tells the cause of
// the figures of what, whose rate is compared with that of its peers, the
// rest of whole, named peersWhat ("the rest of the team").
func (s *Snapshot) undecided(what string, f family, rate, whole quota.Rate, k RateKind, peersWhat string) Diagnosis {
	c, peers := s.compareRest(f, k, rate, whole)
	return Diagnosis{
		Cause: CauseData,
		Summary: fmt.Sprintf("the %s of %s, %s, does not differ significantly (at %s confidence) from that of %s, %s, so the figures show no cause",
			label(k), what, rateCounts(k, rate), percentText(s.cfg().Analysis.Confidence), peersWhat, rateCounts(k, peers)),
		Evidence: []Evidence{
			{label(k) + " of " + what, s.rateText(rate)},
			{label(k) + " of " + peersWhat, s.rateText(peers)},
			{"difference", s.comparisonText(c, f, k)},
		},
	}
}

func (s *Snapshot) diagnoseRep(id sp.RepID, k RateKind) Diagnosis {
	r, ok := s.Rep(id)
	what := "rep " + string(id)
	if !ok {
		return s.noData(what, &Figures{}, k)
	}
	if !s.judged(&r.Figures, k) {
		return s.noData(what, &r.Figures, k)
	}
	// A product the rep lags the other reps on, where the product does
	// well: the worst such difference.
	var worst Diagnosis
	var worstDiff decimal.Decimal
	found := false
	for _, c := range s.CellsOf(id) {
		if !s.judged(&c.Figures, k) || s.productWeak(k, c.Product).weak {
			continue
		}
		d, diff, lags := s.cellLag(c, k)
		if lags && (!found || diff.LessThan(worstDiff)) {
			worst, worstDiff, found = d, diff, true
		}
	}
	if found {
		return worst
	}
	// A product at fault that makes enough of the rep's sales and that the
	// rep did worse on: the one with most of them.
	byProduct := map[sp.ProductID]quota.Rate{}
	for _, c := range s.CellsOf(id) {
		byProduct[c.Product] = c.Rate(k)
	}
	if p, ev := s.weakestProduct(k, byProduct, r.Rate(k), what); p != "" {
		return s.productCause(p, k, byProduct[p].Den, r.Rate(k).Den, what, ev)
	}
	if d, ok := s.marketCause(&r, k); ok {
		return d
	}
	if ev, summary := s.slowFollowUp(&r.Figures, r.FollowUp, "of rep "+string(id)); ev != nil {
		return Diagnosis{Cause: CauseProcess, Rep: id, Summary: summary, Evidence: ev}
	}
	c, rest := s.compareRest(famReps, k, r.Rate(k), s.Team.Rate(k))
	if c.Verdict == quota.VerdictBelow {
		return Diagnosis{
			Cause: CauseRep, Rep: id,
			Summary: belowText(k, "rep "+string(id), r.Rate(k), "the rest of the team", rest) + ", over all products",
			Evidence: []Evidence{
				{label(k) + " of rep " + string(id), s.rateText(r.Rate(k))},
				{label(k) + " of the rest of the team", s.rateText(rest)},
				{"difference", s.comparisonText(c, famReps, k)},
			},
		}
	}
	return s.undecided(what, famReps, r.Rate(k), s.Team.Rate(k), k, "the rest of the team")
}

// cellLag compares a rep's rate on a product with the other reps' on it:
// all of them, or, when the rep's region is a weak market, those of the
// region, so that a weak market is not blamed on its reps.
func (s *Snapshot) cellLag(c CellRow, k RateKind) (Diagnosis, decimal.Decimal, bool) {
	cmpP, peers, region := s.cellPeers(c, k)
	if cmpP.Verdict != quota.VerdictBelow {
		return Diagnosis{}, cmpP.Difference, false
	}
	who, whoOnIt := peersWords(c.Product, region)
	d := Diagnosis{
		Cause: CauseRep, Rep: c.Rep, Product: c.Product,
		Summary: belowText(k, "rep "+string(c.Rep)+" on "+string(c.Product), c.Rate(k), whoOnIt, peers),
		Evidence: []Evidence{
			{label(k) + " of rep " + string(c.Rep) + " on " + string(c.Product), s.rateText(c.Rate(k))},
			{label(k) + " of " + who, s.rateText(peers)},
			{"difference", s.comparisonText(cmpP, famCells, k)},
		},
	}
	return d, cmpP.Difference, true
}

// cellPeers returns the rate of kind k of the reps that a rep's rate on a
// product is compared with, and the comparison: all the other reps on it,
// or, when the rep's region is a weak market, those of that region, which
// it returns too.
func (s *Snapshot) cellPeers(c CellRow, k RateKind) (cmpP quota.Comparison, peers quota.Rate, region sp.RegionID) {
	if r := s.regionOf(RepSubject(c.Rep)); r != "" && s.regionWeak(k, r).weak {
		cmpP, peers = s.compareRest(famCells, k, c.Rate(k), s.regionProductRate(k, r, c.Product))
		return cmpP, peers, r
	}
	p, _ := s.Product(c.Product)
	peers, _ = p.Rate(k).Without(c.Rate(k))
	cmpP = c.VsPeers
	if k != s.Rate || cmpP.Verdict == "" {
		cmpP = s.compare(famCells, k, c.Rate(k), peers)
	}
	return cmpP, peers, ""
}

// peersWords names the peers of a rep on product: the other reps on it,
// or those of region when it is not empty, as who ("the other reps on
// widget") and as whoOnIt ("the other reps on it").
func peersWords(product sp.ProductID, region sp.RegionID) (who, whoOnIt string) {
	if region != "" {
		return "the other reps of region " + string(region) + " on " + string(product),
			"the other reps of region " + string(region) + " on it"
	}
	return "the other reps on " + string(product), "the other reps on it"
}

// regionProductRate sums the rates of kind k of the reps of region on
// product: from the sums [Snapshot.prepare] made, where it made them.
func (s *Snapshot) regionProductRate(k RateKind, region sp.RegionID, product sp.ProductID) quota.Rate {
	if s.x != nil && s.x.regionProduct != nil {
		return s.x.regionProduct[regionProduct{region, product}][kindIndex(k)]
	}
	return s.scanRegionProductRate(k, region, product)
}

// scanRegionProductRate is [Snapshot.regionProductRate] by a pass over
// the reps, each of whose cells it looks up.
func (s *Snapshot) scanRegionProductRate(k RateKind, region sp.RegionID, product sp.ProductID) quota.Rate {
	var sum quota.Rate
	for i := range s.Reps {
		if s.Reps[i].Region != region {
			continue
		}
		if c, ok := s.Cell(s.Reps[i].Rep, product); ok {
			r := c.Rate(k)
			sum.Num += r.Num
			sum.Den += r.Den
		}
	}
	return sum
}

// weakestProduct returns the product at fault with the largest part of
// the cases of whole, the rate of what, whose rates on each product are
// byProduct, where that part is a big share and what did worse on it (see
// [Snapshot.worseOn]), and the evidence of the latter. Of several with as
// large a part, it returns the smallest product ID, whatever the order of
// the rows.
func (s *Snapshot) weakestProduct(k RateKind, byProduct map[sp.ProductID]quota.Rate, whole quota.Rate, what string) (sp.ProductID, []Evidence) {
	var best sp.ProductID
	var most int64
	var ev []Evidence
	for _, i := range s.productRows(byProduct) {
		p := &s.Products[i]
		on := byProduct[p.Product]
		if on.Den < most || on.Den == most && (best == "" || p.Product >= best) ||
			!s.bigShare(on.Den, whole.Den) || !s.productWeak(k, p.Product).weak {
			continue
		}
		if e, worse := s.worseOn(k, p.Product, on, whole, what); worse {
			best, most, ev = p.Product, on.Den, e
		}
	}
	return best, ev
}

// productCells returns the indexes, in order, of the cell rows of
// product id: from the lists [Snapshot.prepare] made, where it made them.
func (s *Snapshot) productCells(id sp.ProductID) []int32 {
	if s.x != nil && s.x.productCells != nil {
		return s.x.productCells[id]
	}
	return indexesOf(s.Cells, id, cellProduct)
}

// regionReps returns the indexes, in order, of the rep rows of region id:
// from the lists [Snapshot.prepare] made, where it made them, so that
// diagnosing each of many regions does not read every rep.
func (s *Snapshot) regionReps(id sp.RegionID) []int32 {
	if s.x != nil && s.x.regionReps != nil {
		return s.x.regionReps[id]
	}
	return indexesOf(s.Reps, id, repRegion)
}

func cellProduct(c *CellRow) sp.ProductID { return c.Product }
func repRegion(r *RepRow) sp.RegionID     { return r.Region }

// indexBy lists the indexes of rows, in order, by their key; about n keys.
func indexBy[T any, K comparable](rows []T, n int, key func(*T) K) map[K][]int32 {
	m := make(map[K][]int32, n)
	for i := range rows {
		k := key(&rows[i])
		m[k] = append(m[k], int32(i))
	}
	return m
}

// indexesOf returns the indexes of the rows whose key is id, in order.
func indexesOf[T any, K comparable](rows []T, id K, key func(*T) K) []int32 {
	var out []int32
	for i := range rows {
		if key(&rows[i]) == id {
			out = append(out, int32(i))
		}
	}
	return out
}

// productRows returns the indexes, in order, of the product rows that
// [Snapshot.weakestProduct] may pick among those of the products of
// byProduct: the rows [Snapshot.Product] finds of them, so that a rep of
// a few products among thousands is not checked against every one. Where
// the rows are out of order (a Snapshot made by hand, or decoded so), or
// byProduct holds as many products as there are rows, it returns every
// row.
func (s *Snapshot) productRows(byProduct map[sp.ProductID]quota.Rate) []int {
	if s.x == nil || !s.x.productsSorted || len(byProduct) >= len(s.Products) {
		rows := make([]int, len(s.Products))
		for i := range rows {
			rows[i] = i
		}
		return rows
	}
	rows := make([]int, 0, len(byProduct))
	for id := range byProduct {
		if i, ok := s.productIndex(id); ok {
			rows = append(rows, i)
		}
	}
	slices.Sort(rows)
	return rows
}

// worseOn reports whether what, whose rate on product p is on and on all
// products whole, did worse on p than on its other products, or, where it
// closed nothing else (had no other inquiries, for the conversion), than
// the other products' rate, comparing the rates exactly; and the two
// rates as evidence. Where no other product closed anything either (a
// company of one product), what is compared with the others on p: p, at
// fault, is all there was to sell, and what did worse on it than the rest
// did, or the product's faults would not explain its shortfall.
func (s *Snapshot) worseOn(k RateKind, p sp.ProductID, on, whole quota.Rate, what string) ([]Evidence, bool) {
	name := label(k) + " of " + what + " on the other products"
	others, err := whole.Without(on)
	if err != nil || others.Den <= 0 {
		row, _ := s.Product(p)
		name = label(k) + " of the other products"
		if others, err = s.Team.Rate(k).Without(row.Rate(k)); err != nil {
			return nil, false
		}
		if others.Den <= 0 { // p made all the sales
			name = label(k) + " of the others on " + string(p) + ", the only product that closed deals"
			if others, err = row.Rate(k).Without(on); err != nil {
				return nil, false
			}
		}
	}
	return []Evidence{
		{label(k) + " of " + what + " on " + string(p), s.rateText(on)},
		{name, s.rateText(others)},
	}, below(on, others)
}

// bigShare reports whether part of whole is at least the product
// signal's MinShareOfSales.
func (s *Snapshot) bigShare(part, whole int64) bool {
	return atLeast(part, whole, s.cfg().Analysis.Product.MinShareOfSales)
}

// productCause is the diagnosis that product id, at fault, explains the
// figures of what, part of whose whole cases are of it, with more
// evidence.
func (s *Snapshot) productCause(id sp.ProductID, k RateKind, part, whole int64, what string, more []Evidence) Diagnosis {
	w := s.productWeak(k, id)
	unit := "closed deals"
	if k == RateConversion {
		unit = "inquiries"
	}
	ev := append(slices.Clone(w.evidence), Evidence{"share of " + string(id) + " in the " + unit + " of " + what,
		fmt.Sprintf("%d of %d (%s)", part, whole, ratio(part, whole, s.places()))})
	ev = append(ev, more...)
	return Diagnosis{Cause: CauseProduct, Product: id, Summary: w.summary, Evidence: ev}
}

// belowOtherRegions reports whether the rate of rep r is below that of
// the regions other than r's, compared exactly: a weak market of r's
// region touches r only then.
func (s *Snapshot) belowOtherRegions(r *RepRow, k RateKind) bool {
	g, _ := s.Region(r.Region)
	others, err := s.Team.Rate(k).Without(g.Rate(k))
	return err == nil && below(r.Rate(k), others)
}

// marketCause reports whether the market of rep r's region is at fault:
// the region is weak, r's rate is below the other regions' (compared
// exactly) and r does not lag the region's other reps.
func (s *Snapshot) marketCause(r *RepRow, k RateKind) (Diagnosis, bool) {
	if r.Region == "" {
		return Diagnosis{}, false
	}
	w := s.regionWeak(k, r.Region)
	if !w.weak {
		return Diagnosis{}, false
	}
	if !s.belowOtherRegions(r, k) {
		return Diagnosis{}, false
	}
	g, _ := s.Region(r.Region)
	c, _ := s.compareRest(famReps, k, r.Rate(k), g.Rate(k))
	if c.Verdict == quota.VerdictBelow {
		return Diagnosis{}, false
	}
	ev := append(slices.Clone(w.evidence),
		Evidence{label(k) + " of rep " + string(r.Rep), s.rateText(r.Rate(k))},
		Evidence{"difference of rep " + string(r.Rep) + " from the region's other reps", s.comparisonText(c, famReps, k)})
	return Diagnosis{Cause: CauseMarket, Region: r.Region, Summary: w.summary, Evidence: ev}, true
}

func (s *Snapshot) diagnoseCell(rep sp.RepID, product sp.ProductID, k RateKind) Diagnosis {
	c, ok := s.Cell(rep, product)
	what := "rep " + string(rep) + " on " + string(product)
	if !ok || !s.judged(&c.Figures, k) {
		return s.noData(what, &c.Figures, k)
	}
	r, _ := s.Rep(rep)
	if s.productWeak(k, product).weak {
		if ev, worse := s.worseOn(k, product, c.Rate(k), r.Rate(k), "rep "+string(rep)); worse {
			return s.productCause(product, k, c.Rate(k).Den, c.Rate(k).Den, what, ev)
		}
	} else if d, _, lags := s.cellLag(c, k); lags {
		return d
	}
	if d, ok := s.marketCause(&r, k); ok {
		return d
	}
	if ev, summary := s.slowFollowUp(&r.Figures, r.FollowUp, "of rep "+string(rep)); ev != nil {
		return Diagnosis{Cause: CauseProcess, Rep: rep, Summary: summary, Evidence: ev}
	}
	p, _ := s.Product(product)
	return s.undecided(what, famCells, c.Rate(k), p.Rate(k), k, "the other reps on "+string(product))
}

func (s *Snapshot) diagnoseProduct(id sp.ProductID, k RateKind) Diagnosis {
	p, ok := s.Product(id)
	what := "product " + string(id)
	if !ok || !s.judged(&p.Figures, k) {
		return s.noData(what, &p.Figures, k)
	}
	if s.productWeak(k, id).weak {
		return s.productCause(id, k, p.Rate(k).Den, s.Team.Rate(k).Den, "the company", nil)
	}
	var worst Diagnosis
	var worstDiff decimal.Decimal
	found := false
	for _, i := range s.productCells(id) {
		c := s.Cells[i]
		if !s.judged(&c.Figures, k) {
			continue
		}
		if d, diff, lags := s.cellLag(c, k); lags && (!found || diff.LessThan(worstDiff)) {
			worst, worstDiff, found = d, diff, true
		}
	}
	if found {
		return worst
	}
	return s.undecided(what, famProducts, p.Rate(k), s.Team.Rate(k), k, "the other products")
}

func (s *Snapshot) diagnoseRegion(id sp.RegionID, k RateKind) Diagnosis {
	g, ok := s.Region(id)
	what := "region " + string(id)
	if !ok || !s.judged(&g.Figures, k) {
		return s.noData(what, &g.Figures, k)
	}
	if w := s.regionWeak(k, id); w.weak {
		return Diagnosis{Cause: CauseMarket, Region: id, Summary: w.summary, Evidence: slices.Clone(w.evidence)}
	}
	// A product at fault that makes enough of the sales of the region's
	// reps and that they did worse on, or a rep of the region who lags the
	// team.
	byProduct := map[sp.ProductID]quota.Rate{}
	var whole quota.Rate
	// The rep who lags the team most, at index worst of s.Reps, with the
	// comparison and the rest of the team: the evidence is written for
	// that rep alone, once the product is ruled out.
	worst := -1
	var worstCmp quota.Comparison
	var worstRest quota.Rate
	for _, i := range s.regionReps(id) {
		r := &s.Reps[i]
		whole.Num += r.Rate(k).Num
		whole.Den += r.Rate(k).Den
		for _, c := range s.CellsOf(r.Rep) {
			on := byProduct[c.Product]
			on.Num += c.Rate(k).Num
			on.Den += c.Rate(k).Den
			byProduct[c.Product] = on
		}
		if !s.judged(&r.Figures, k) {
			continue
		}
		c, rest := s.compareRest(famReps, k, r.Rate(k), s.Team.Rate(k))
		if c.Verdict == quota.VerdictBelow && (worst < 0 || c.Difference.LessThan(worstCmp.Difference)) {
			worst, worstCmp, worstRest = int(i), c, rest
		}
	}
	if p, ev := s.weakestProduct(k, byProduct, whole, what); p != "" {
		return s.productCause(p, k, byProduct[p].Den, whole.Den, what, ev)
	}
	if worst >= 0 {
		r := &s.Reps[worst]
		return Diagnosis{
			Cause: CauseRep, Rep: r.Rep, Region: id,
			Summary: belowText(k, "rep "+string(r.Rep)+" of region "+string(id), r.Rate(k), "the rest of the team", worstRest),
			Evidence: []Evidence{
				{label(k) + " of rep " + string(r.Rep), s.rateText(r.Rate(k))},
				{label(k) + " of the rest of the team", s.rateText(worstRest)},
				{"difference", s.comparisonText(worstCmp, famReps, k)},
			},
		}
	}
	if ev, summary := s.slowFollowUp(&g.Figures, g.FollowUp, "in region "+string(id)); ev != nil {
		return Diagnosis{Cause: CauseProcess, Region: id, Summary: summary, Evidence: ev}
	}
	return s.undecided(what, famRegions, g.Rate(k), s.Team.Rate(k), k, "the other regions")
}

func (s *Snapshot) diagnoseCompany(k RateKind) Diagnosis {
	if !s.judged(&s.Team.Figures, k) {
		return s.noData("the company", &s.Team.Figures, k)
	}
	byProduct := map[sp.ProductID]quota.Rate{}
	for _, p := range s.Products {
		byProduct[p.Product] = p.Rate(k)
	}
	if p, ev := s.weakestProduct(k, byProduct, s.Team.Rate(k), "the company"); p != "" {
		return s.productCause(p, k, byProduct[p].Den, s.Team.Rate(k).Den, "the company", ev)
	}
	for _, g := range s.Regions {
		if w := s.regionWeak(k, g.Region); w.weak {
			return Diagnosis{Cause: CauseMarket, Region: g.Region, Summary: w.summary, Evidence: slices.Clone(w.evidence)}
		}
	}
	if ev, summary := s.slowFollowUp(&s.Team.Figures, s.Team.FollowUp, "of the company"); ev != nil {
		return Diagnosis{Cause: CauseProcess, Summary: summary, Evidence: ev}
	}
	return Diagnosis{
		Cause:    CauseData,
		Summary:  "no product, region or follow-up signal explains the company's figures",
		Evidence: []Evidence{{label(k) + " of the company", s.rateText(s.Team.Rate(k))}},
	}
}
