package review

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// GoalsOf gives the rows whose Subject is the subject, in order, for
// goals of reps (in a region or not, of a product or not), regions (of a
// product or not), products and the company, and sees rows changed in
// place.
func TestGoalsOfRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	reps := []sp.RepID{"", "ann", "bob", "cy"}
	regions := []sp.RegionID{"", "north", "south"}
	products := []sp.ProductID{"", "widget", "gadget"}
	var subjects []Subject
	for _, r := range reps {
		for _, g := range regions {
			for _, p := range products {
				subjects = append(subjects, GoalRow{Goal: quota.Goal{Rep: r, Region: g, Product: p}}.Subject())
			}
		}
	}
	subjects = append(subjects, RepSubject("nobody"), Subject{}, Subject{Kind: SubjectRep, Rep: "ann", Region: "north"})
	check := func(n int, s *Snapshot) {
		t.Helper()
		for _, sub := range subjects {
			var want []GoalRow
			for _, g := range s.Goals {
				if g.Subject() == sub {
					want = append(want, g)
				}
			}
			require.Equal(t, want, s.GoalsOf(sub), "snapshot %d: goals of %v", n, sub)
		}
	}
	for n := range 200 {
		var s Snapshot
		for i := range rng.IntN(40) {
			s.Goals = append(s.Goals, GoalRow{Goal: quota.Goal{
				Rep: reps[rng.IntN(len(reps))], Region: regions[rng.IntN(len(regions))],
				Product: products[rng.IntN(len(products))],
			}, Open: int64(i)})
		}
		check(n, &s)
		if len(s.Goals) > 0 {
			i := rng.IntN(len(s.Goals))
			s.Goals[i].Goal.Rep = sp.RepID(fmt.Sprint("x", n))
			subjects = append(subjects, RepSubject(s.Goals[i].Goal.Rep))
			check(n, &s)
		}
	}
}
