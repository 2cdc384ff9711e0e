package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// lossCategories are the loss categories in the order of the counters.
var lossCategories = [...]pipeline.LossCategory{
	pipeline.LossPrice, pipeline.LossProduct, pipeline.LossCompetitor, pipeline.LossTiming,
	pipeline.LossNoDecision, pipeline.LossRepExecution, pipeline.LossOther,
}

const numLoss = len(lossCategories)

// lossIndex returns the counter of a lost deal's category; an unknown or
// missing category counts as other.
func lossIndex(l *pipeline.LossReason) int {
	if l != nil {
		for i, c := range lossCategories {
			if c == l.Category {
				return i
			}
		}
	}
	return numLoss - 1
}

// tally holds the counters of one group.
type tally struct {
	won, lost, open       int64
	inquiries, converted  int64
	activities            int64
	wonAmount, openAmount sp.Accumulator
	losses                [numLoss]int64
}

// follow holds the follow-up counters of one group.
type follow struct {
	responses              []time.Duration
	pending, open, overdue int64
}

type repTally struct {
	id sp.RepID
	tally
	follow      follow
	region      sp.RegionID // the region of its records, while they agree
	regionSeen  bool
	regionMixed bool
}

// cellKey is the rep and the product of a cell, by their indexes.
type cellKey struct{ rep, product int32 }

type cellTally struct {
	rep, product int32
	tally
}

type productTally struct {
	id sp.ProductID
	tally
	samples []LossSample
}

type regionTally struct {
	id sp.RegionID
	tally
	follow follow
}

// cohortRef is an inquiry of the period's cohort, for conversion;
// sameDeal is the inquiry read before it that names the same deal (-1 for
// none).
type cohortRef struct {
	rep, product, region, cell int32
	sameDeal                   int32
	converted                  bool
}

// builder makes a Snapshot in one pass over the inquiries and one over
// the deals, counting per group in integer counters and exact
// accumulators: it allocates per group, not per record, but for what it
// keeps of the records: the period's inquiries that a won deal may
// convert, the IDs of the other inquiries it counts (to count each once),
// the first-response times and the feedback.
type builder struct {
	ctx              context.Context
	rules            *Rules
	period           sp.Period
	start, end, asOf time.Time
	outcome          func(*pipeline.Deal) quota.Outcome
	policy           pipeline.FollowUpPolicy
	signal           [numLoss]bool
	maxItems         int
	groups           map[groupKey]groupIdx
	repIdx           map[sp.RepID]int32
	productIdx       map[sp.ProductID]int32
	regionIdx        map[sp.RegionID]int32
	cellIdx          map[cellKey]int32
	reps             []repTally
	products         []productTally
	regions          []regionTally
	cells            []cellTally
	team             tally
	teamFollow       follow
	cohort           map[sp.InquiryID]int32
	earlier          map[sp.InquiryID]struct{} // the inquiries counted from outside the period, by ID
	cohortByDeal     map[sp.DealID]int32
	refs             []cohortRef
	feedback         []sp.Feedback
	seen             int
	repNames         map[sp.RepID]sp.Rep
	regionNames      map[sp.RegionID]sp.Region
	productNames     map[sp.ProductID]sp.Product
}

func newBuilder(ctx context.Context, rules *Rules, in *Input, asOf time.Time, outcome func(*pipeline.Deal) quota.Outcome) *builder {
	b := &builder{
		ctx: ctx, rules: rules, period: in.Period, start: in.Period.Start(), end: in.Period.End(), asOf: asOf,
		outcome: outcome, policy: rules.Analysis.FollowUp.Policy(), maxItems: rules.Actions.MaxItems,
		repIdx: map[sp.RepID]int32{}, productIdx: map[sp.ProductID]int32{}, regionIdx: map[sp.RegionID]int32{},
		cellIdx:  map[cellKey]int32{},
		repNames: map[sp.RepID]sp.Rep{}, regionNames: map[sp.RegionID]sp.Region{}, productNames: map[sp.ProductID]sp.Product{},
	}
	for _, c := range rules.Analysis.Product.LossCategories {
		b.signal[lossIndex(&pipeline.LossReason{Category: c})] = true
	}
	for _, r := range in.Reps {
		b.repNames[r.ID] = r
		b.rep(r.ID)
		b.region(r.Region)
	}
	for _, r := range in.Regions {
		b.regionNames[r.ID] = r
		b.region(r.ID)
	}
	for _, p := range in.Products {
		b.productNames[p.ID] = p
		b.product(p.ID)
	}
	for _, g := range in.Goals {
		r := b.rep(g.Rep)
		b.region(g.Region)
		p := b.product(g.Product)
		if r >= 0 && p >= 0 {
			b.cell(r, p)
		}
	}
	return b
}

func (b *builder) rep(id sp.RepID) int32 {
	return indexOf(b.repIdx, &b.reps, id, func() repTally { return repTally{id: id} })
}

func (b *builder) product(id sp.ProductID) int32 {
	return indexOf(b.productIdx, &b.products, id, func() productTally { return productTally{id: id} })
}

func (b *builder) region(id sp.RegionID) int32 {
	return indexOf(b.regionIdx, &b.regions, id, func() regionTally { return regionTally{id: id} })
}

// indexOf returns the index of id's tally in *tallies, appending a new one
// made by fresh if id has none yet; -1 for the empty ID.
func indexOf[K ~string, T any](idx map[K]int32, tallies *[]T, id K, fresh func() T) int32 {
	if id == "" {
		return -1
	}
	i, ok := idx[id]
	if !ok {
		i = int32(len(*tallies))
		idx[id] = i
		*tallies = append(*tallies, fresh())
	}
	return i
}

// cell returns the cell of rep r and product p, both valid.
func (b *builder) cell(r, p int32) int32 {
	key := cellKey{r, p}
	if i, ok := b.cellIdx[key]; ok {
		return i
	}
	i := int32(len(b.cells))
	b.cells = append(b.cells, cellTally{rep: r, product: p})
	b.cellIdx[key] = i
	return i
}

// group holds the counters a record counts in: the team's and, where the
// record has them, its rep's, product's, region's and cell's.
type group struct {
	t                 [5]*tally
	repF, regionF     *follow
	rep, product, reg int32
	cell              int32
}

// groupKey is the rep, product and region of a record.
type groupKey struct {
	rep     sp.RepID
	product sp.ProductID
	region  sp.RegionID
}

// groupIdx are the indices of the groups of a groupKey, -1 for none.
type groupIdx struct{ rep, product, region, cell int32 }

// group returns the counters of a record of rep, product and region: one
// map lookup per record once the combination has been seen. The IDs of a
// combination are checked when it is first seen: a record whose rep,
// product or region is set but not a valid ID is an error.
func (b *builder) group(rep sp.RepID, product sp.ProductID, region sp.RegionID) (group, error) {
	key := groupKey{rep, product, region}
	ix, ok := b.groups[key]
	if !ok {
		for _, id := range []struct {
			field string
			id    interface{ Validate() error }
			set   bool
		}{{"owner", rep, rep != ""}, {"product", product, product != ""}, {"region", region, region != ""}} {
			if id.set {
				if err := id.id.Validate(); err != nil {
					return group{}, sp.InField(id.field, err)
				}
			}
		}
		ix = groupIdx{rep: b.rep(rep), product: b.product(product), region: b.region(region), cell: -1}
		if ix.rep >= 0 {
			rt := &b.reps[ix.rep]
			if region != "" {
				switch {
				case !rt.regionSeen:
					rt.region, rt.regionSeen = region, true
				case rt.region != region:
					rt.regionMixed = true
				}
			}
			if ix.product >= 0 {
				ix.cell = b.cell(ix.rep, ix.product)
			}
		}
		if b.groups == nil {
			b.groups = map[groupKey]groupIdx{}
		}
		b.groups[key] = ix
	}
	g := group{rep: ix.rep, product: ix.product, reg: ix.region, cell: ix.cell}
	g.t[0] = &b.team
	if g.rep >= 0 {
		rt := &b.reps[g.rep]
		g.t[1], g.repF = &rt.tally, &rt.follow
	}
	if g.cell >= 0 {
		g.t[4] = &b.cells[g.cell].tally
	}
	if g.product >= 0 {
		g.t[2] = &b.products[g.product].tally
	}
	if g.reg >= 0 {
		rt := &b.regions[g.reg]
		g.t[3], g.regionF = &rt.tally, &rt.follow
	}
	return g, nil
}

// inPeriod reports whether t lies in the period and not after the as-of
// time.
func (b *builder) inPeriod(t time.Time) bool {
	return !t.IsZero() && !t.Before(b.start) && t.Before(b.end) && !t.After(b.asOf)
}

// activities counts the activities done in the period.
func (b *builder) activities(as []pipeline.Activity) int64 {
	var n int64
	for i := range as {
		if b.inPeriod(as[i].Done) {
			n++
		}
	}
	return n
}

// tick checks the context every few thousand records.
func (b *builder) tick() error {
	b.seen++
	if b.seen&0xfff == 0 {
		return b.ctx.Err()
	}
	return nil
}

// inquiries reads the inquiries: the period's cohort and its first
// responses, the open inquiries and their follow-up, the activities.
func (b *builder) inquiries(seq iter.Seq[*pipeline.Inquiry]) error {
	if seq == nil {
		return nil
	}
	for in := range seq {
		if err := b.tick(); err != nil {
			return err
		}
		if in == nil {
			return sp.Invalid("input.inquiries", "a nil record")
		}
		if err := b.inquiry(in); err != nil {
			return err
		}
	}
	return nil
}

// inquiry counts the inquiry in, unless it was received after the as-of
// time, or counted already (an ID counts once among the inquiries
// received in the period and once among the others), or, received outside
// the period, is neither open at the as-of time nor has activities done
// in the period.
// Its activities count in its groups; an inquiry of the period also in
// the cohort and in the first responses, and an open one in the
// follow-up.
func (b *builder) inquiry(in *pipeline.Inquiry) error {
	if in.Received.After(b.asOf) {
		return nil
	}
	inPeriod := b.inPeriod(in.Received)
	if in.ID != "" {
		dup := false
		if inPeriod {
			_, dup = b.cohort[in.ID]
		} else {
			_, dup = b.earlier[in.ID]
		}
		if dup {
			return nil // counted once
		}
	}
	open := in.StageAt(b.asOf).IsOpen()
	acts := b.activities(in.Activities)
	if !inPeriod && !open && acts == 0 {
		return nil
	}
	if !inPeriod && in.ID != "" {
		if b.earlier == nil {
			b.earlier = map[sp.InquiryID]struct{}{}
		}
		b.earlier[in.ID] = struct{}{}
	}
	g, err := b.group(in.Owner, in.Product, in.Region)
	if err != nil {
		return fmt.Errorf("inquiry %s: %w", sp.Quote(string(in.ID)), sp.InField("input.inquiries", err))
	}
	for _, t := range g.t {
		if t != nil {
			t.activities += acts
		}
	}
	fs := [3]*follow{&b.teamFollow, g.repF, g.regionF}
	if inPeriod {
		b.addToCohort(in, &g)
		b.firstResponse(in, fs)
	}
	if open {
		_, late := b.policy.Check(*in, b.asOf)
		for _, f := range fs {
			if f != nil {
				f.open++
				if late {
					f.overdue++
				}
			}
		}
	}
	return nil
}

// addToCohort counts the inquiry in, received in the period, in the
// tallies of its group g, and adds it to the cohort that won deals
// convert, found by its ID or by the deal it names; an inquiry without
// either is counted but cannot be converted.
func (b *builder) addToCohort(in *pipeline.Inquiry, g *group) {
	for _, t := range g.t {
		if t != nil {
			t.inquiries++
		}
	}
	if in.ID == "" && in.Deal == "" {
		return
	}
	// An inquiry without an ID is found by the deal it names.
	if b.cohort == nil {
		b.cohort, b.cohortByDeal = map[sp.InquiryID]int32{}, map[sp.DealID]int32{}
	}
	ref := int32(len(b.refs))
	c := cohortRef{rep: g.rep, product: g.product, region: g.reg, cell: g.cell, sameDeal: -1}
	if in.ID != "" {
		b.cohort[in.ID] = ref
	}
	if in.Deal != "" {
		if prev, ok := b.cohortByDeal[in.Deal]; ok {
			c.sameDeal = prev
		}
		b.cohortByDeal[in.Deal] = ref
	}
	b.refs = append(b.refs, c)
}

// firstResponse counts the first response to the inquiry in, received in
// the period, in the follow-up counters fs (nil for a group it has not):
// the time to its first contact, if that came by the as-of time and not
// before it was received, or else one more inquiry pending.
func (b *builder) firstResponse(in *pipeline.Inquiry, fs [3]*follow) {
	first, ok := pipeline.FirstContact(*in)
	answered := ok && !first.After(b.asOf) && !first.Before(in.Received)
	for _, f := range fs {
		switch {
		case f == nil:
		case answered:
			f.responses = append(f.responses, first.Sub(in.Received))
		default:
			f.pending++
		}
	}
}

// deal counts one deal. It is called for each deal as the forecast reads
// it.
func (b *builder) deal(d *pipeline.Deal) error {
	if err := b.tick(); err != nil {
		return err
	}
	if d == nil {
		return sp.Invalid("input.deals", "a nil record")
	}
	if d.Service != nil {
		for i, f := range d.Service.Feedback {
			if b.inPeriod(f.Time) {
				if err := f.Validate(); err != nil {
					return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.InElement("input.deals.service.feedback", i, "feedback", err))
				}
				b.feedback = append(b.feedback, f)
			}
		}
	}
	out := b.outcome(d)
	if out == quota.OutcomeWon && b.cohort != nil && !d.Closed.IsZero() && !d.Closed.After(b.asOf) {
		b.convert(d)
	}
	settled := out == quota.OutcomeWon || out == quota.OutcomeLost
	closed := settled && b.inPeriod(d.Closed)
	// A deal closed after the as-of time was still open then.
	open := (!settled || d.Closed.After(b.asOf)) && !d.Created.After(b.asOf)
	if !closed && !open {
		return nil
	}
	g, err := b.group(d.Owner, d.Product, d.Region)
	if err != nil {
		return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.InField("input.deals", err))
	}
	if (open || out == quota.OutcomeWon) && d.Amount.Sign() < 0 {
		// Summed below, as quota's calculators refuse to.
		return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), sp.Invalid("input.deals.amount", "%s is negative", d.Amount))
	}
	acts := b.activities(d.Activities)
	loss := -1
	if closed && out == quota.OutcomeLost {
		loss = lossIndex(d.Loss)
	}
	for _, t := range g.t {
		if t == nil {
			continue
		}
		t.activities += acts
		var err error
		switch {
		case open:
			t.open++
			if !d.Amount.IsUnset() {
				err = t.openAmount.Add(d.Amount)
			}
		case out == quota.OutcomeWon:
			t.won++
			if !d.Amount.IsUnset() {
				err = t.wonAmount.Add(d.Amount)
			}
		default:
			t.lost++
			t.losses[loss]++
		}
		if err != nil {
			return fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err)
		}
	}
	if loss >= 0 && b.signal[loss] && g.product >= 0 && b.maxItems > 0 {
		b.products[g.product].sample(d, b.maxItems)
	}
	return nil
}

// convert marks the cohort inquiries of the won deal d, the one it names
// and those that name it, as converted, each once.
func (b *builder) convert(d *pipeline.Deal) {
	if d.Inquiry != "" {
		if ref, ok := b.cohort[d.Inquiry]; ok {
			b.converted(ref)
		}
	}
	for ref, ok := b.cohortByDeal[d.ID]; ok && ref >= 0; ref = b.refs[ref].sameDeal {
		b.converted(ref)
	}
}

// converted counts the cohort inquiry ref as converted, unless it is
// already.
func (b *builder) converted(ref int32) {
	if b.refs[ref].converted {
		return
	}
	r := &b.refs[ref]
	r.converted = true
	b.team.converted++
	if r.rep >= 0 {
		b.reps[r.rep].converted++
	}
	if r.product >= 0 {
		b.products[r.product].converted++
	}
	if r.region >= 0 {
		b.regions[r.region].converted++
	}
	if r.cell >= 0 {
		b.cells[r.cell].converted++
	}
}

// sample keeps the loss reason of d among the max with the smallest deal
// IDs, so that the samples do not depend on the order of the deals.
func (p *productTally) sample(d *pipeline.Deal, max int) {
	if len(p.samples) == max && d.ID >= p.samples[max-1].Deal {
		return
	}
	s := LossSample{Deal: d.ID, Rep: d.Owner, Category: pipeline.LossOther}
	if d.Loss != nil {
		s.Category, s.Detail = d.Loss.Category, d.Loss.Detail
	}
	i, _ := slices.BinarySearchFunc(p.samples, d.ID, func(s LossSample, id sp.DealID) int { return cmp.Compare(s.Deal, id) })
	if len(p.samples) == max {
		p.samples = p.samples[:max-1]
	}
	p.samples = slices.Insert(p.samples, i, s)
}

// feedbackFrom adds the feedback of seq in the period to what the deals
// carried.
func (b *builder) feedbackFrom(seq iter.Seq[*sp.Feedback]) error {
	if seq == nil {
		return nil
	}
	for f := range seq {
		if err := b.tick(); err != nil {
			return err
		}
		if f == nil {
			return sp.Invalid("input.feedback", "a nil record")
		}
		if b.inPeriod(f.Time) {
			if err := f.Validate(); err != nil {
				return sp.InField("input", err)
			}
			b.feedback = append(b.feedback, *f) // a copy: the pointer may be reused
		}
	}
	return nil
}

// finish turns the counters into a Snapshot: the team's figures, a row per
// rep, region, product and rep × product, each rate shrunk toward its
// peers', the goal rows, the feedback filed by product, and the rows'
// comparisons.
func (b *builder) finish(outlooks []quota.Outlook, opts *quota.Options) *Snapshot {
	a := &b.rules.Analysis
	s := &Snapshot{
		Period: b.period, AsOf: b.asOf, Rate: a.Rate, Confidence: a.Confidence, Adjustment: a.Adjustment, rules: b.rules,
		Expiring: []training.Certificate{},
		x:        &extras{losses: map[sp.ProductID][]LossSample{}, feedback: map[sp.ProductID][]sp.Feedback{}},
	}
	est := estimator{conf: s.confidence(), places: s.places()}
	s.Team = TeamRow{Figures: est.figures(&b.team, quota.Prior{}, quota.Prior{}), FollowUp: b.teamFollow.figures()}
	s.Reps = b.repRows(est)
	s.Regions = b.regionRows(est)
	b.fileFeedback(s.x)
	s.Products = b.productRows(est, s.x)
	s.Cells = b.cellRows(est, s.Products)
	s.Goals = b.goals(outlooks, opts)

	slices.SortFunc(s.Reps, func(x, y RepRow) int { return cmp.Compare(x.Rep, y.Rep) })
	slices.SortFunc(s.Regions, func(x, y RegionRow) int { return cmp.Compare(x.Region, y.Region) })
	slices.SortFunc(s.Products, func(x, y ProductRow) int { return cmp.Compare(x.Product, y.Product) })
	slices.SortFunc(s.Cells, func(x, y CellRow) int { return compareCell(x, y.Rep, y.Product) })
	b.feedbackFigures(s)
	s.compareRows()
	s.countRegionReps()
	return s
}

// estimator makes the figures of a group's tally, its rates estimated at
// the snapshot's confidence level and number of places.
type estimator struct {
	conf   float64
	places int32
}

// figures returns the figures of tally t, its win rate shrunk toward prior
// win and its conversion toward prior conv.
func (e estimator) figures(t *tally, win, conv quota.Prior) Figures {
	f := Figures{
		Won: t.won, Lost: t.lost, WonAmount: t.wonAmount.Total(),
		Inquiries: t.inquiries, Converted: t.converted,
		Open: t.open, OpenAmount: t.openAmount.Total(), Activities: t.activities,
	}
	f.WinRate = estimate(quota.Rate{Num: t.won, Den: t.won + t.lost}, win, e.conf, e.places)
	f.Conversion = estimate(quota.Rate{Num: t.converted, Den: t.inquiries}, conv, e.conf, e.places)
	for i, n := range t.losses {
		if n > 0 {
			if f.Losses == nil {
				f.Losses = LossCounts{}
			}
			f.Losses[lossCategories[i]] = n
		}
	}
	return f
}

// fitPriors returns the priors that the win rates and the conversions of
// n tallies, at(0) to at(n-1), are shrunk toward, as [quota.FitPrior]
// returns them, its error dropped.
func fitPriors(n int, at func(int) *tally) (win, conv quota.Prior) {
	win, _ = quota.FitPrior(func(yield func(quota.Rate) bool) {
		for i := range n {
			t := at(i)
			if !yield(quota.Rate{Num: t.won, Den: t.won + t.lost}) {
				return
			}
		}
	})
	conv, _ = quota.FitPrior(func(yield func(quota.Rate) bool) {
		for i := range n {
			t := at(i)
			if !yield(quota.Rate{Num: t.converted, Den: t.inquiries}) {
				return
			}
		}
	})
	return win, conv
}

// repRows returns a row per rep, in the order of b.reps, its rates shrunk
// toward the reps': with the name and region the input gives it, or else
// the region of its records when they all name the same.
func (b *builder) repRows(est estimator) []RepRow {
	win, conv := fitPriors(len(b.reps), func(i int) *tally { return &b.reps[i].tally })
	rows := make([]RepRow, len(b.reps))
	for i := range b.reps {
		rt := &b.reps[i]
		row := RepRow{Rep: rt.id, Figures: est.figures(&rt.tally, win, conv), FollowUp: rt.follow.figures()}
		if e, ok := b.repNames[rt.id]; ok {
			row.Name, row.Region = e.Name, e.Region
		}
		if row.Region == "" && !rt.regionMixed {
			row.Region = rt.region
		}
		rows[i] = row
	}
	return rows
}

// regionRows returns a row per region, in the order of b.regions, its
// rates shrunk toward the regions', with the name and manager the input
// gives it.
func (b *builder) regionRows(est estimator) []RegionRow {
	win, conv := fitPriors(len(b.regions), func(i int) *tally { return &b.regions[i].tally })
	rows := make([]RegionRow, len(b.regions))
	for i := range b.regions {
		rt := &b.regions[i]
		row := RegionRow{Region: rt.id, Figures: est.figures(&rt.tally, win, conv), FollowUp: rt.follow.figures()}
		if e, ok := b.regionNames[rt.id]; ok {
			row.Name, row.Manager = e.Name, e.Manager
		}
		rows[i] = row
	}
	return rows
}

// productRows returns a row per product, in the order of b.products, its
// rates shrunk toward the products', with the name and owner the input
// gives it and its losses of the signal's categories, and files each
// product's loss samples in x. It assumes the feedback filed, which gives
// the products it is about a tally.
func (b *builder) productRows(est estimator, x *extras) []ProductRow {
	win, conv := fitPriors(len(b.products), func(i int) *tally { return &b.products[i].tally })
	rows := make([]ProductRow, len(b.products))
	for i := range b.products {
		pt := &b.products[i]
		row := ProductRow{Product: pt.id, Figures: est.figures(&pt.tally, win, conv)}
		if e, ok := b.productNames[pt.id]; ok {
			row.Name, row.Owner = e.Name, e.Owner
		}
		for c, on := range b.signal {
			if on {
				row.SignalLosses += pt.losses[c]
			}
		}
		if len(pt.samples) > 0 {
			x.losses[pt.id] = pt.samples
		}
		rows[i] = row
	}
	return rows
}

// cellRows returns a row per rep × product, in the order of b.cells, its
// rates shrunk toward those of the product's cells, and counts in the
// product's row, of products in the order of b.products, the reps who
// closed a deal of it and those of them who lost one for a reason of the
// signal's categories.
func (b *builder) cellRows(est estimator, products []ProductRow) []CellRow {
	byProduct := make([][]int32, len(b.products))
	for i := range b.cells {
		byProduct[b.cells[i].product] = append(byProduct[b.cells[i].product], int32(i))
	}
	cellPriors := make([][2]quota.Prior, len(b.products))
	for p, cs := range byProduct {
		w, c := fitPriors(len(cs), func(i int) *tally { return &b.cells[cs[i]].tally })
		cellPriors[p] = [2]quota.Prior{w, c}
	}
	rows := make([]CellRow, 0, len(b.cells))
	for i := range b.cells {
		ct := &b.cells[i]
		pr := cellPriors[ct.product]
		row := CellRow{Rep: b.reps[ct.rep].id, Product: b.products[ct.product].id, Figures: est.figures(&ct.tally, pr[0], pr[1])}
		prow := &products[ct.product]
		if row.Closed() > 0 {
			prow.Reps++
			for c, on := range b.signal {
				if on && ct.losses[c] > 0 {
					prow.RepsWithLosses++
					break
				}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// countRegionReps counts each rep in the row of the rep's region, the rows
// sorted by region.
func (s *Snapshot) countRegionReps() {
	for _, r := range s.Reps {
		if i, ok := slices.BinarySearchFunc(s.Regions, r.Region, func(g RegionRow, id sp.RegionID) int { return cmp.Compare(g.Region, id) }); ok {
			s.Regions[i].Reps++
		}
	}
}

// compareRows fills the rows' comparisons on the snapshot's rate.
func (s *Snapshot) compareRows() {
	s.families()
	k := s.Rate
	team := s.Team.Rate(k)
	for i := range s.Reps {
		s.Reps[i].VsTeam, _ = s.compareRest(famReps, k, s.Reps[i].Rate(k), team)
	}
	for i := range s.Regions {
		s.Regions[i].VsRest, _ = s.compareRest(famRegions, k, s.Regions[i].Rate(k), team)
	}
	for i := range s.Products {
		s.Products[i].VsRest, _ = s.compareRest(famProducts, k, s.Products[i].Rate(k), team)
	}
	for i := range s.Cells {
		c := &s.Cells[i]
		p, _ := s.Product(c.Product)
		c.VsPeers, _ = s.compareRest(famCells, k, c.Rate(k), p.Rate(k))
	}
}

// estimate returns r with its value, Wilson interval and estimate shrunk
// toward prior, as quota's grouped results report rates.
func estimate(r quota.Rate, prior quota.Prior, conf float64, places int32) quota.RateEstimate {
	e := quota.RateEstimate{Rate: r, Value: r.Decimal(places)}
	if iv, err := r.Wilson(conf, places); err == nil {
		e.Wilson = &iv
	}
	if v, err := r.Shrink(prior, places); err == nil {
		e.Shrunk = decimal.NullDecimal{Decimal: v, Valid: true}
	}
	return e
}

func (f *follow) figures() FollowUp {
	return FollowUp{
		FirstResponse: quota.Summarize(slices.Values(f.responses)),
		Pending:       f.pending, Open: f.open, Overdue: f.overdue,
	}
}

// goals turns the forecast's outlooks into goal rows.
func (b *builder) goals(outlooks []quota.Outlook, opts *quota.Options) []GoalRow {
	var cal quota.Calendar
	th := quota.Thresholds{}
	if opts != nil {
		cal, th = opts.Calendar, opts.Thresholds
	}
	if th.OnPace.IsZero() {
		th.OnPace = decimal.New(1, 0)
	}
	if th.Behind.IsZero() {
		th.Behind = decimal.New(8, -1)
	}
	places := b.rules.Analysis.Places
	out := make([]GoalRow, len(outlooks))
	for i, o := range outlooks {
		g := o.Goal
		target, booked := amountValue(g.Target()), amountValue(o.Booked)
		// The bound covers the rounding of the chance too, so that the
		// probability lies within it of the rounded chance.
		value := floatDecimal(o.Chance.Value)
		chance := value.Round(places)
		bound := floatDecimal(o.Chance.ErrorBound).Add(chance.Sub(value).Abs()).RoundCeil(places)
		row := GoalRow{
			Goal: g, Booked: o.Booked, Gap: o.Gap, Elapsed: quota.Elapsed(g.Period, b.asOf, cal),
			Open: o.Open, Pipeline: o.Pipeline, Weighted: o.Weighted, Coverage: o.Coverage,
			Chance: chance, ChanceBound: bound,
			Method: o.Chance.Method, Shortfall: o.Chance.Shortfall,
			Percent: booked.Mul(decimal.New(100, 0)).DivRound(target, 2),
		}
		row.Status = status(booked, target, row.Elapsed, row.Over(b.asOf), th)
		out[i] = row
	}
	slices.SortStableFunc(out, func(x, y GoalRow) int {
		gx, gy := x.Goal, y.Goal
		return cmp.Or(
			cmp.Compare(levelRank(gx.Level()), levelRank(gy.Level())),
			cmp.Compare(gx.Region, gy.Region), cmp.Compare(gx.Rep, gy.Rep), cmp.Compare(gx.Product, gy.Product),
			gx.Period.Start().Compare(gy.Period.Start()), gx.Period.End().Compare(gy.Period.End()),
			cmp.Compare(gx.Metric(), gy.Metric()), amountValue(gx.Target()).Cmp(amountValue(gy.Target())),
		)
	})
	return out
}

// floatDecimal returns x as a decimal, and zero for NaN and infinities,
// which decimal.NewFromFloat refuses.
func floatDecimal(x float64) decimal.Decimal {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return decimal.Zero
	}
	return decimal.NewFromFloat(x)
}

func levelRank(l quota.Level) int {
	switch l {
	case quota.LevelCompany:
		return 0
	case quota.LevelRegion:
		return 1
	}
	return 2
}

// status classifies an attainment as [quota.Attain] does: met when the
// target is reached, missed when the period is over, otherwise by the pace
// (attained over the target's elapsed share) against the thresholds.
func status(attained, target decimal.Decimal, elapsed sp.Fraction, over bool, th quota.Thresholds) quota.Status {
	switch {
	case attained.GreaterThanOrEqual(target):
		return quota.StatusMet
	case over:
		return quota.StatusMissed
	case elapsed.Num == 0:
		return quota.StatusOnPace
	}
	lhs := attained.Mul(decimal.NewFromInt(elapsed.Den))
	base := target.Mul(decimal.NewFromInt(elapsed.Num))
	switch {
	case lhs.GreaterThanOrEqual(base.Mul(th.OnPace)):
		return quota.StatusOnPace
	case lhs.GreaterThanOrEqual(base.Mul(th.Behind)):
		return quota.StatusBehind
	}
	return quota.StatusAtRisk
}

// amountValue returns the number an Amount holds: the money's amount or
// the deal count.
func amountValue(a quota.Amount) decimal.Decimal {
	if a.Metric() == quota.MetricRevenue {
		return a.Money.Amount()
	}
	return a.Deals
}

// fileFeedback files the period's feedback from the feedback rule's
// sources by product, each piece once, and gives each product it is about
// a row, as the products without sales listed in the input have.
func (b *builder) fileFeedback(x *extras) {
	rule := b.rules.Rules.FeedbackPileup
	if rule == nil {
		rule = defaultFeedbackPileup()
	}
	slices.SortStableFunc(b.feedback, func(x, y sp.Feedback) int { return cmp.Compare(x.ID, y.ID) })
	b.feedback = slices.CompactFunc(b.feedback, func(x, y sp.Feedback) bool { return x.ID == y.ID && x.ID != "" })
	for _, f := range b.feedback {
		if f.Product == "" || !slices.Contains(rule.Sources, f.Source) {
			continue
		}
		b.product(f.Product)
		x.feedback[f.Product] = append(x.feedback[f.Product], f)
	}
}

// feedbackFigures sums up the feedback [builder.fileFeedback] filed in the
// rows of its products.
func (b *builder) feedbackFigures(s *Snapshot) {
	rule := b.rules.Rules.FeedbackPileup
	if rule == nil {
		rule = defaultFeedbackPileup()
	}
	for id, fs := range s.x.feedback {
		slices.SortFunc(fs, func(x, y sp.Feedback) int {
			return cmp.Or(cmp.Compare(x.Rating, y.Rating), x.Time.Compare(y.Time), cmp.Compare(x.ID, y.ID))
		})
		i, _ := s.productIndex(id) // every product with feedback has a row
		ff := &s.Products[i].Feedback
		var sum int64
		for _, f := range fs {
			ff.Count++
			sum += int64(f.Rating)
			if f.Rating <= rule.MaxRating {
				ff.Low++
			}
			if ff.Categories == nil {
				ff.Categories = FeedbackCounts{}
			}
			ff.Categories[f.Category]++
		}
		ff.Rating = sp.Fraction{Num: sum, Den: ff.Count}
	}
}

// inRepZone gives the Issued and Expires of c in the zone location gives
// c's rep, or, without one, in the period's: the dates of the rep's
// calendar, on which training counted the certificate's months, or the
// review's, not those of whatever zone the store gave. A zone in which
// either has no RFC 3339 form is an error naming options.location.
func (b *builder) inRepZone(c *training.Certificate, location func(sp.RepID) *time.Location) error {
	loc := b.period.Location()
	if location != nil {
		if l := location(c.Rep); l != nil {
			loc = l
		}
	}
	if loc == nil {
		return nil
	}
	for _, t := range []*time.Time{&c.Issued, &c.Expires} {
		if t.IsZero() {
			continue
		}
		*t = t.In(loc)
		if err := sp.ValidateTime(*t); err != nil {
			return sp.InField("options.location", err)
		}
	}
	return nil
}

// certify asks certs for the certification of every rep × product with
// work in the review, and, where it has expired or is outdated, for the
// curriculum of its certificate if certs is a [CertificateFinder], or,
// where the rep holds none, asks certifying for the curriculum that
// certifies the product; and it
// lists the certificates expiring soon: after the as-of time and at most
// the certification rule's days after it, their times in the zone of
// their rep that location gives, or else in the period's.
func (b *builder) certify(s *Snapshot, certs Certificates, certifying func(sp.ProductID) (training.CurriculumID, bool), location func(sp.RepID) *time.Location) error {
	if certs == nil {
		return nil
	}
	finder, _ := certs.(CertificateFinder)
	for i := range s.Cells {
		c := &s.Cells[i]
		st, err := certs.Status(b.ctx, c.Rep, c.Product, b.asOf)
		if err == nil {
			err = sp.InField("status", st.Validate())
		}
		if err != nil {
			return fmt.Errorf("certification of rep %s for product %s: %w", sp.Quote(string(c.Rep)), sp.Quote(string(c.Product)), err)
		}
		c.Certification = st
		if st == training.CertMissing && certifying != nil {
			cu, ok := certifying(c.Product)
			if !ok || cu == "" {
				continue
			}
			if err := cu.Validate(); err != nil {
				return fmt.Errorf("curriculum certifying product %s: %w", sp.Quote(string(c.Product)), sp.InField("options.certifying", err))
			}
			c.Curriculum = cu
			continue
		}
		if finder == nil || st != training.CertExpired && st != training.CertOutdated {
			continue
		}
		cert, err := finder.Certificate(b.ctx, c.Rep, c.Product, b.asOf)
		if err == nil && cert.Curriculum != "" {
			err = sp.InField("certificate.curriculum", cert.Curriculum.Validate())
		}
		switch {
		case errors.Is(err, sp.ErrNotFound): // no certificate, no curriculum
		case err != nil:
			return fmt.Errorf("certificate of rep %s for product %s: %w", sp.Quote(string(c.Rep)), sp.Quote(string(c.Product)), err)
		default:
			c.Curriculum = cert.Curriculum
		}
	}
	rule := b.rules.Rules.Certification
	lister, ok := certs.(ExpiryLister)
	if rule == nil || rule.ExpiringWithinDays == 0 || !ok {
		return nil
	}
	// A period is half-open; the window includes the time N days ahead,
	// days of the period's time zone (see addDays), whatever zone the
	// as-of time is in.
	from := b.asOf.In(b.period.Location())
	window, err := sp.NewPeriod(from, addDays(from, rule.ExpiringWithinDays).Add(time.Nanosecond))
	if err != nil {
		return fmt.Errorf("expiry window: %w", err)
	}
	for c, err := range lister.Expiring(b.ctx, window) {
		if err != nil {
			return fmt.Errorf("expiring certificates: %w", err)
		}
		// A certificate is valid up to, not including, its expiry: one
		// that expires at the as-of time has expired, not expiring.
		if _, known := s.Rep(c.Rep); known && c.Expires.After(b.asOf) {
			if err := c.Validate(); err != nil {
				return fmt.Errorf("expiring certificates: rep %s: %w", sp.Quote(string(c.Rep)), err)
			}
			if err := b.inRepZone(&c, location); err != nil {
				return fmt.Errorf("expiring certificates: rep %s: %w", sp.Quote(string(c.Rep)), err)
			}
			s.Expiring = append(s.Expiring, c)
		}
	}
	slices.SortFunc(s.Expiring, func(x, y training.Certificate) int {
		return cmp.Or(x.Expires.Compare(y.Expires), training.CompareCertificates(x, y))
	})
	return nil
}
