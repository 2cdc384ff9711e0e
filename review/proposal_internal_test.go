package review

import (
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
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

// A market proposal rounds the scaled target once, to the currency's
// minor unit: 1.01 EUR times 10¹⁶/(2·10¹⁶ + 1) is 0.504999…97 EUR, 0.50
// EUR, although rounding it to 16 places first would make it 0.505 and
// then 0.51.
func TestMarketProposalRoundsOnce(t *testing.T) {
	target, err := sp.ParseMoney("1.01 EUR")
	if err != nil {
		t.Fatal(err)
	}
	g := GoalRow{Goal: quota.Goal{Region: "north", Period: sp.Month(2026, time.November, time.UTC), Revenue: target}}
	const a, b = 10_000_000_000_000_000, 20_000_000_000_000_001
	s := &Snapshot{
		Rate:    RateWinRate,
		Team:    TeamRow{Figures: Figures{Won: a + 1, Lost: b - a + 1}},
		Regions: []RegionRow{{Region: "north", Figures: Figures{Won: a, Lost: b - a}}},
	}
	s.Team.WinRate.Rate = quota.Rate{Num: a + 1, Den: b + 1}
	s.Regions[0].WinRate.Rate = quota.Rate{Num: a, Den: b}
	as := s.marketProposal("north", g)
	if len(as) != 1 || as[0].Proposed == nil {
		t.Fatalf("proposals %v, want one", as)
	}
	if got := as[0].Proposed.String(); got != "0.50 EUR" {
		t.Errorf("proposed %s, want 0.50 EUR", got)
	}
}

// The ID of a review's assignment keeps its rep and module apart when
// either holds a "/": rep "ann/x" on module "m" and rep "ann" on module
// "x/m" are two assignments, not one under "review/2026-11/ann/x/m".
func TestAssignmentIDsOfPartsWithSlashes(t *testing.T) {
	a, b := assignmentID("2026-11", "ann/x", "m"), assignmentID("2026-11", "ann", "x/m")
	if a == b {
		t.Errorf("one ID %q for two assignments", a)
	}
	for _, id := range []training.AssignmentID{a, b} {
		if err := id.Validate(); err != nil {
			t.Errorf("ID %q: %v", id, err)
		}
		// As Outcome's doc says: a rep or module with a "/" gets the
		// digest form, whichever of the two holds it.
		if !strings.HasPrefix(string(id), "review-") {
			t.Errorf("ID %q, want \"review-\" and a digest", id)
		}
	}
	if got := assignmentID("2026-11", "ann", "m"); got != "review/2026-11/ann/m" {
		t.Errorf("assignmentID = %q, want review/2026-11/ann/m", got)
	}
}
