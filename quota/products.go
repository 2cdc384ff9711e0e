package quota

import (
	"iter"

	sp "github.com/salesprocess/salesprocess"
)

// byProduct indexes a long list of goals of one subject (the company, a
// region, a rep) by product, so that a deal is checked only against the
// goals that can count it: those of every product and those of its own.
// Both lists keep the goals' order, and [productIndex.goals] merges them back into it,
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

// goals returns the goals of gs that may count a deal of product, in the
// order of gs. A goal yielded may still not count the deal: its period,
// and its product when gs is short, are for the caller to check.
func (x *productIndex) goals(gs []int32, product sp.ProductID) iter.Seq[int32] {
	a, b := gs, []int32(nil)
	if len(gs) >= x.from && len(gs) > 0 {
		if p := x.lists[gs[0]]; p != nil { // else not a list x indexed
			a, b = p.any, p.of[product]
		}
	}
	return func(yield func(int32) bool) {
		// Merge the two ascending lists back into the order of gs.
		for len(a) > 0 || len(b) > 0 {
			var gi int32
			if len(a) > 0 && (len(b) == 0 || a[0] < b[0]) {
				gi, a = a[0], a[1:]
			} else {
				gi, b = b[0], b[1:]
			}
			if !yield(gi) {
				return
			}
		}
	}
}
