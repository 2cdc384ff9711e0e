package quota

import (
	"iter"
	"slices"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// FunnelStep is one step of the deal funnel: of the deals that reached
// stage From, how many went on to reach To, how many were lost before, and
// how many are still open short of it. The zero FunnelStep is between no
// stages, reached by no deal.
type FunnelStep struct {
	From pipeline.DealStage `json:"from"`
	To   pipeline.DealStage `json:"to"`
	// Reached counts the deals that reached From: Advanced + Dropped +
	// Pending.
	Reached  int64 `json:"reached"`
	Advanced int64 `json:"advanced"`
	Dropped  int64 `json:"dropped"`
	Pending  int64 `json:"pending"`
	// Conversion is Advanced of Advanced + Dropped: open deals are not yet
	// finished and count for nothing, not as losses.
	Conversion RateEstimate `json:"conversion"`
}

// FunnelGroup is the funnel of one group of deals. The zero FunnelGroup is
// the total's (the zero [Key]) of no deal, without steps.
type FunnelGroup struct {
	Key Key `json:"key"`
	// Deals counts the deals of the group created in the period.
	Deals int64        `json:"deals"`
	Steps []FunnelStep `json:"steps"`
}

// FunnelReport is the result of [Funnel]. Each step's estimates are shrunk
// toward that step's total rate, its prior in Priors. The zero FunnelReport
// is that of no deal: no stages and no groups, encoded as [], and its JSON
// decodes back.
type FunnelReport struct {
	Period     sp.Period            `json:"period"`
	Stages     []pipeline.DealStage `json:"stages"`
	Confidence float64              `json:"confidence"`
	Priors     []Prior              `json:"priors"`
	Total      FunnelGroup          `json:"total"`
	Groups     []FunnelGroup        `json:"groups"`
}

// Funnel returns the stage-to-stage funnel of the deals created in period,
// grouped by by (a deal's month is that of its creation), from each deal's
// current stage and history, in one pass.
//
// The stages are [Options.Stages], open stages in order and then the won
// stage. A deal has reached a stage when it has been in it or in any later
// stage of that order, by its history or its current stage: a deal that
// skipped Qualification on its way to Proposal passed Qualification, and a
// won deal reached every stage. A deal that was reopened is judged by all
// it ever reached and by its outcome now: a lost deal reopened and still
// open is pending, not dropped. For the step from stage A to the next
// stage B, a deal that reached A has advanced if it reached B, whatever its
// outcome now; otherwise it has dropped if it is lost and is pending if it
// is open. So a deal won, reopened and then lost, or still open, advanced at
// every step up to the won stage: the last step's Advanced counts the deals
// ever won, which may be more than are won now. Stages outside the order
// (lost stages, unknown keys) are ignored. So a deal without history (one
// imported from a system that kept none) is judged by its current stage
// alone: a lost one reached no stage of the order, and counts in Deals but
// in no step, so that a funnel of such deals shows no drop at all; a host
// that imports deals gives each the moves it made, in its History, for the
// funnel to see where it dropped.
//
// Deals are read during the pass and not retained; the pass allocates per
// group. A missing period or a bad option (an order of fewer than two or
// more than [pipeline.MaxStages] stages, or with a malformed or repeated
// stage, among them) or a custom grouping without [Grouping.Deal] is an
// error wrapping [sp.ErrInvalid].
func Funnel(deals iter.Seq[*pipeline.Deal], period sp.Period, by Grouping, opts *Options) (FunnelReport, error) {
	s, err := opts.settings()
	if err != nil {
		return FunnelReport{}, quotaErr("funnel", err)
	}
	if err := checkPeriod("period", period); err != nil {
		return FunnelReport{}, quotaErr("funnel", err)
	}
	stages := s.stages
	g := newGrouper(by, &s)
	if err := g.check(false, true); err != nil {
		return FunnelReport{}, quotaErr("funnel", err)
	}
	steps := len(stages) - 1
	type counts struct {
		deals int64
		// reached[k] counts deals that reached stage k; the outcome of a
		// deal stopped at stage k is in dropped[k] or pending[k].
		reached, dropped, pending []int64
	}
	var cs []counts
	rank := func(st pipeline.DealStage) int { return slices.Index(stages, st) }
	for d := range orEmpty(deals) {
		if d == nil {
			return FunnelReport{}, quotaErr("funnel", errNil("deals"))
		}
		if d.Created.IsZero() || !period.Contains(d.Created) { // an unset time is in no period
			continue
		}
		out := s.outcome(d)
		top := rank(d.Stage)
		if out == OutcomeWon {
			top = steps
		}
		for _, t := range d.History {
			top = max(top, rank(t.From), rank(t.To))
		}
		i := g.deal(d, d.Created, "deal.created")
		if int(i) == len(cs) {
			cs = append(cs, counts{
				reached: make([]int64, steps+1),
				dropped: make([]int64, steps+1),
				pending: make([]int64, steps+1),
			})
		}
		c := &cs[i]
		c.deals++
		if top < 0 {
			continue
		}
		c.reached[top]++
		switch out {
		case OutcomeLost:
			c.dropped[top]++
		case OutcomeOpen:
			c.pending[top]++
		}
	}
	if g.err != nil {
		return FunnelReport{}, quotaErr("funnel", g.err)
	}
	rep := FunnelReport{Period: period, Stages: slices.Clone(stages), Confidence: s.confidence}
	// step returns the counts of step k of c: reaching stage k or beyond
	// is cumulative from the top.
	step := func(c *counts, k int) FunnelStep {
		st := FunnelStep{From: stages[k], To: stages[k+1]}
		for j := k; j <= steps; j++ {
			st.Reached += c.reached[j]
		}
		st.Dropped, st.Pending = c.dropped[k], c.pending[k]
		st.Advanced = st.Reached - st.Dropped - st.Pending
		return st
	}
	total := counts{reached: make([]int64, steps+1), dropped: make([]int64, steps+1), pending: make([]int64, steps+1)}
	for i := range cs {
		total.deals += cs[i].deals
		for k := range steps + 1 {
			total.reached[k] += cs[i].reached[k]
			total.dropped[k] += cs[i].dropped[k]
			total.pending[k] += cs[i].pending[k]
		}
	}
	rep.Priors = make([]Prior, steps)
	for k := range steps {
		rates := make([]Rate, len(cs))
		for i := range cs {
			st := step(&cs[i], k)
			rates[i] = Rate{Num: st.Advanced, Den: st.Advanced + st.Dropped}
		}
		rep.Priors[k] = s.prior(slices.Values(rates))
	}
	group := func(k Key, c *counts) FunnelGroup {
		fg := FunnelGroup{Key: k, Deals: c.deals, Steps: make([]FunnelStep, steps)}
		for j := range steps {
			st := step(c, j)
			st.Conversion = s.estimate(Rate{Num: st.Advanced, Den: st.Advanced + st.Dropped}, rep.Priors[j])
			fg.Steps[j] = st
		}
		return fg
	}
	rep.Total = group(Key{}, &total)
	for _, i := range g.order() {
		rep.Groups = append(rep.Groups, group(g.keys[i], &cs[i]))
	}
	return rep, nil
}
