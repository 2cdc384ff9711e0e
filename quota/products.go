package quota

import sp "github.com/salesprocess/salesprocess"

// byProduct indexes a long list of goals of one subject (the company, a
// region, a rep) by product, so that a deal is checked only against the
// goals that can count it: those of every product and those of its own.
// Both lists keep the goals' order, and [walk] merges them back into it,
// so that a deal meets its goals in the order a scan of the whole list
// would, and the first error of a pass is the same.
type byProduct struct {
	any []int32 // the goals without a product
	of  map[sp.ProductID][]int32
}

// indexFrom is the length from which a list of goals is indexed by
// product: a shorter one is scanned whole, which costs less than a map
// lookup. A variable so that tests can compare the index with a scan.
var indexFrom = 8

// productIndex indexes the goals of each list of at least indexFrom goals
// by product, keyed by the list's first goal: every goal is in one list
// only.
type productIndex struct {
	from  int
	lists map[int32]*byProduct
}

// add indexes list gs, ascending goal indexes into st, if it is long.
func (x *productIndex) add(gs []int32, st []goalState) {
	if len(gs) < x.from {
		return
	}
	p := &byProduct{of: map[sp.ProductID][]int32{}}
	for _, gi := range gs {
		if pr := st[gi].product; pr == "" {
			p.any = append(p.any, gi)
		} else {
			p.of[pr] = append(p.of[pr], gi)
		}
	}
	if x.lists == nil {
		x.lists = map[int32]*byProduct{}
	}
	x.lists[gs[0]] = p
}

// walk returns the goals of gs that may count a deal of product, in the
// order of gs. A goal walked may still not count the deal: its period,
// and its product when gs is short, are for the caller to check.
func (x *productIndex) walk(gs []int32, product sp.ProductID) walk {
	if len(gs) < x.from || len(gs) == 0 {
		return walk{x: gs}
	}
	p := x.lists[gs[0]]
	if p == nil {
		return walk{x: gs} // not a list x indexed
	}
	return walk{x: p.any, y: p.of[product]}
}

// walk merges two ascending lists of goals.
type walk struct{ x, y []int32 }

// next returns the next goal, or false when there is none.
func (w *walk) next() (int32, bool) {
	switch {
	case len(w.x) > 0 && (len(w.y) == 0 || w.x[0] < w.y[0]):
		gi := w.x[0]
		w.x = w.x[1:]
		return gi, true
	case len(w.y) > 0:
		gi := w.y[0]
		w.y = w.y[1:]
		return gi, true
	}
	return 0, false
}
