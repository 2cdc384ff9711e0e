package sqlstore

import (
	"context"
	"fmt"
	"iter"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// PutGoal implements [quota.GoalStore]: it validates g, then inserts it or
// replaces the goal with the same [quota.Goal.Key]. A goal whose period
// reaches outside the span the store indexes (see [Store]) is refused with
// an error wrapping [sp.ErrInvalid].
func (s *Store) PutGoal(ctx context.Context, g quota.Goal) error {
	return s.ops().PutGoal(ctx, g)
}

// PutGoal is [Store.PutGoal], on a Store's pool or in a transaction.
func (r *rw) PutGoal(ctx context.Context, g quota.Goal) error {
	k := g.Key()
	op := fmt.Sprintf("put goal %q", clip(g.String()))
	if err := r.check(ctx); err != nil {
		return r.fail(ctx, op, err)
	}
	if err := g.Validate(); err != nil {
		return r.fail(ctx, op, err)
	}
	if err := checkTexts("rep", string(k.Rep), "region", string(k.Region), "product", string(k.Product), "period", k.Period, "metric", string(k.Metric)); err != nil {
		return r.fail(ctx, op, err)
	}
	starts, err := timeKey("period", g.Period.Start())
	if err != nil {
		return r.fail(ctx, op, err)
	}
	ends, err := timeKey("period", g.Period.End())
	if err != nil {
		return r.fail(ctx, op, err)
	}
	doc, err := encodeDoc(g)
	if err != nil {
		return r.fail(ctx, op, err)
	}
	p := r.d.placeholder
	_, err = r.exec(ctx, "INSERT INTO "+r.t.goals+" (rep, region, product, period_text, metric, starts, ends, doc) VALUES ("+
		p(1)+", "+p(2)+", "+p(3)+", "+p(4)+", "+p(5)+", "+p(6)+", "+p(7)+", "+p(8)+
		") ON CONFLICT (rep, region, product, period_text, metric) DO UPDATE SET starts = excluded.starts, ends = excluded.ends, doc = excluded.doc",
		string(k.Rep), string(k.Region), string(k.Product), k.Period, string(k.Metric), starts, ends, doc)
	return r.fail(ctx, op, err)
}

// ListGoals implements [quota.GoalStore]: the goals whose periods overlap p,
// a page at a time (see [Options.PageSize]); the sequence may be iterated
// more than once.
func (s *Store) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return s.ops().ListGoals(ctx, p)
}

// ListGoals is [Store.ListGoals], on a Store's pool or in a transaction.
func (r *rw) ListGoals(ctx context.Context, p sp.Period) iter.Seq2[quota.Goal, error] {
	return list(ctx, r, listing[quota.Goal]{
		op:    fmt.Sprintf("list goals overlapping %q", clip(p.String())),
		table: r.t.goals,
		filter: func(b *builder) {
			if p.IsZero() {
				return
			}
			// The goal starts before p ends, and ends after p starts.
			if hi, inf := boundKey(p.End()); !inf {
				b.cond("starts < " + b.arg(hi))
			}
			if lo, inf := boundKey(p.Start().Add(time.Nanosecond)); inf {
				b.cond("1 = 0")
			} else {
				b.cond("ends >= " + b.arg(lo))
			}
		},
		keys: []key{{col: "starts", num: true}, {col: "rep"}, {col: "region"}, {col: "product"},
			{col: "period_text"}, {col: "metric"}},
		decode: decoder[quota.Goal](),
	})
}
