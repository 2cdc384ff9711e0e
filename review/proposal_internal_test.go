package review

import (
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// A proposal that rounds to the goal's own target proposes nothing: 0.6
// of a goal of 1 won deal is 1 deal again, not a change.
func TestProposalOfTheSameTarget(t *testing.T) {
	g := GoalRow{Goal: quota.Goal{Rep: "ann", Period: sp.Month(2026, time.November, time.UTC), Deals: 1}}
	if a, ok := proposal(g, dec("0.6"), "x"); ok {
		t.Errorf("proposal %s for a goal of %s, want none", a.Proposed, g.Goal.Target())
	}
	if a, ok := proposal(g, dec("1.6"), "x"); !ok || a.Proposed.String() != "2 deals" {
		t.Errorf("proposal %v, %v; want 2 deals", a.Proposed, ok)
	}
	target, err := sp.ParseMoney("1000.00 EUR")
	if err != nil {
		t.Fatal(err)
	}
	m := GoalRow{Goal: quota.Goal{Rep: "ann", Period: sp.Month(2026, time.November, time.UTC), Revenue: target}}
	if a, ok := proposal(m, dec("999.996"), "x"); ok {
		t.Errorf("proposal %s for a goal of %s, want none", a.Proposed, m.Goal.Target())
	}
}
