package main

import (
	"container/heap"
	"context"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// agenda is what is to happen during the month: steps at their times,
// done in time order (steps at one time in the order they were planned).
// A step may plan further steps. Before each step the company clock is set
// to its time, so the services stamp what it changes with that time.
type agenda struct {
	clock *sp.SteppingClock
	steps steps
	n     int // the steps planned so far
}

// step is something to do at a time; n orders the steps planned for one
// time.
type step struct {
	at time.Time
	n  int
	do func(ctx context.Context) error
}

// at plans do for time t.
func (a *agenda) at(t time.Time, do func(ctx context.Context) error) {
	a.n++
	heap.Push(&a.steps, step{at: t, n: a.n, do: do})
}

// runUntil does the steps planned before t, in order, and those they plan
// before t in turn. Later steps wait for the next call.
func (a *agenda) runUntil(ctx context.Context, t time.Time) error {
	for len(a.steps) > 0 && a.steps[0].at.Before(t) {
		if err := ctx.Err(); err != nil {
			return err
		}
		s := heap.Pop(&a.steps).(step)
		a.clock.Set(s.at)
		if err := s.do(ctx); err != nil {
			return err
		}
	}
	a.clock.Set(t)
	return nil
}

// steps is a heap of steps, earliest first.
type steps []step

func (h steps) Len() int { return len(h) }
func (h steps) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].n < h[j].n
}
func (h steps) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *steps) Push(x any)   { *h = append(*h, x.(step)) }
func (h *steps) Pop() any {
	old := *h
	s := old[len(old)-1]
	*h = old[:len(old)-1]
	return s
}
