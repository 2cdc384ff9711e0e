package quota

import (
	"cmp"
	"slices"

	sp "github.com/salesprocess/salesprocess"
)

// byProduct indexes a long list of goals of one subject (the company, a
// region, a rep) by product and by period, so that a deal is checked only
// against the goals that may count it: those of every product and those of
// its own, whose periods may hold the deal's instant. [productIndex.goals]
// returns them in the order of the list, so that a deal meets its goals in
// the order a scan of the whole list would, and the first error of a pass
// is the same.
type byProduct struct {
	any periodList
	of  map[sp.ProductID]*periodList
}

// periodList is a list of goals ordered by the start of their period: the
// goals whose periods may hold an instant are found by a binary search for
// the last one that starts by then and a walk back over those that started
// at most span seconds before it.
type periodList struct {
	goals  []int32 // by start, then by index
	starts []int64 // their starts, in seconds since the Unix epoch
	span   int64   // the longest period, in seconds, rounded up
}

// add adds goal gi, of state st, to the list; sort orders it after.
func (l *periodList) add(gi int32, st *goalState) {
	l.goals = append(l.goals, gi)
	l.span = max(l.span, st.end.sec-st.start.sec+1)
}

// sort orders the list by start, then by index.
func (l *periodList) sort(st []goalState) {
	slices.SortFunc(l.goals, func(a, b int32) int {
		return cmp.Or(cmp.Compare(st[a].start.sec, st[b].start.sec), cmp.Compare(a, b))
	})
	l.starts = make([]int64, len(l.goals))
	for i, gi := range l.goals {
		l.starts[i] = st[gi].start.sec
	}
}

// appendAt appends to dst the goals whose periods may hold instant at: a
// superset of those that do, which the caller checks.
func (l *periodList) appendAt(dst []int32, at instant) []int32 {
	n, _ := slices.BinarySearch(l.starts, at.sec+1) // the first that starts after at's second
	for i := n - 1; i >= 0 && l.starts[i] >= at.sec-l.span; i-- {
		dst = append(dst, l.goals[i])
	}
	return dst
}

// indexFrom is the length from which a list of goals is indexed: a shorter
// one is scanned whole, which costs less than a map lookup. A variable so
// that tests can compare the index with a scan.
var indexFrom = 8

// productIndex indexes the goals of each list of at least indexFrom goals
// by product and period, keyed by the list's first goal: every goal is in
// one list only.
type productIndex struct {
	from  int
	lists map[int32]*byProduct
	// spare holds the goals the last lookup found.
	spare []int32
}

// add indexes list gs, ascending goal indexes into st, if it is long.
func (x *productIndex) add(gs []int32, st []goalState) {
	if len(gs) < x.from || len(gs) == 0 {
		return
	}
	p := &byProduct{of: map[sp.ProductID]*periodList{}}
	for _, gi := range gs {
		l := &p.any
		if pr := st[gi].product; pr != "" {
			if l = p.of[pr]; l == nil {
				l = new(periodList)
				p.of[pr] = l
			}
		}
		l.add(gi, &st[gi])
	}
	p.any.sort(st)
	for _, l := range p.of {
		l.sort(st)
	}
	if x.lists == nil {
		x.lists = map[int32]*byProduct{}
	}
	x.lists[gs[0]] = p
}

// goals returns the goals of gs that may count a deal of product at
// instant at, in the order of gs: gs itself when x did not index it (a
// short list), else a slice of x's that the next call overwrites. A goal
// returned may still not count the deal: its period, and its product when
// gs is short, are for the caller to check.
func (x *productIndex) goals(gs []int32, product sp.ProductID, at instant) []int32 {
	if len(gs) < x.from || len(gs) == 0 {
		return gs
	}
	p := x.lists[gs[0]]
	if p == nil {
		return gs
	}
	found := p.any.appendAt(x.spare[:0], at)
	if l := p.of[product]; l != nil {
		found = l.appendAt(found, at)
	}
	slices.Sort(found) // the order of gs
	x.spare = found
	return found
}
