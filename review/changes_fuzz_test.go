package review_test

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// fuzzCompared builds a report of period from fuzz data: some of a rep's
// and a region's goals, and findings of a few rules about a few subjects
// with IDs as the review writes them (of goals, with "#<n>") and
// otherwise, duplicates and unknown severities included, and assignments.
func fuzzCompared(b *fuzzBytes, period sp.Period) review.Report {
	r := handReport(period, nil)
	r.AsOf = period.End().Add(time.Duration(b.next()%3) * time.Hour)
	quarter := sp.QuarterOf(period.Start())
	goals := []struct {
		goal quota.Goal
		id   string // as finding IDs name the goal
	}{
		{revenueGoal("bob", period), "rep=bob:" + period.String() + ",revenue"},
		{dealsGoal("bob", period), "rep=bob:" + period.String() + ",won_deals"},
		{revenueGoal("bob", quarter), "rep=bob:" + quarter.String() + ",revenue"},
		{quota.Goal{Region: "north", Product: "widget", Period: period, Deals: 5}, "region=north:" + period.String() + ",won_deals,product=widget"},
		{quota.Goal{Region: "north", Product: "w#2", Period: period, Deals: 5}, "region=north:" + period.String() + ",won_deals,product=w#2"},
		{quota.Goal{}, "company:,won_deals"}, // not valid, but taken as written
	}
	mask := b.next()
	for i, g := range goals {
		if mask&(1<<i) != 0 {
			r.Snapshot.Goals = append(r.Snapshot.Goals, review.GoalRow{Goal: g.goal})
		}
	}
	rules := []string{review.RuleTargetMissed, review.RuleTargetMet, "big"}
	subjects := []review.Subject{review.RepSubject("ann"), review.RepSubject("bob"), review.RepProductSubject("bob", "widget"),
		review.RegionSubject("north"), review.CompanySubject()}
	severities := []review.Severity{review.SeverityInfo, review.SeverityWarning, review.SeverityCritical, ""}
	suffixes := []string{"#2", "#3", "#10", "#02", "#1", "#", "#-2", "#99999999999"}
	for range b.next() % 9 {
		rule, subj := rules[b.next()%len(rules)], subjects[b.next()%len(subjects)]
		id := rule + ":" + subj.Key()
		switch b.next() % 4 {
		case 1:
			id = rule + ":" + goals[b.next()%len(goals)].id
		case 2:
			id += suffixes[b.next()%len(suffixes)]
		case 3:
			id = "x" + suffixes[b.next()%len(suffixes)]
		}
		f := handFinding(id, rule, subj, severities[b.next()%len(severities)])
		f.Cause = []review.Cause{"", review.CauseRep, review.CauseProduct}[b.next()%3]
		r.Findings = append(r.Findings, f)
	}
	for range b.next() % 4 {
		rep := []sp.RepID{"ann", "bob"}[b.next()%2]
		product := []sp.ProductID{"widget", "gadget"}[b.next()%2]
		module := training.ModuleID(string(product) + "-basics")
		r.Outcome.Assignments = append(r.Outcome.Assignments, review.AssignmentResult{
			Assignment: training.Assignment{ID: training.AssignmentID("review/" + period.String() + "/" + string(rep) + "/" + string(module)),
				Rep: rep, Module: module, Due: period.End().AddDate(0, 0, 14)},
			Product: product, Status: review.StatusDone,
		})
	}
	return r
}

// changedIDs returns the IDs of the findings of rs.
func changedIDs(rs []review.Resolution) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Previous.ID)
	}
	return out
}

// FuzzCompare checks that Compare never panics, refuses what it refuses
// with an error wrapping ErrInvalid that names the field, and otherwise
// places every finding of each report once, pairs findings only of one
// rule and subject, leaves no finding new that a resolved one of the
// same rule, subject and ID would have matched, finds a report the same as
// itself, does not depend on the order of the reports' findings, reads
// the same both ways between two reviews of one period and as-of time,
// and renders and round-trips its changes.
func FuzzCompare(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 15, 4, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 2, 3, 1, 0, 0, 15, 4, 1, 1, 1, 1, 0, 2, 1, 1, 1})
	f.Add([]byte{1, 2, 8, 2, 0, 2, 0, 1, 2, 0, 2, 2, 1, 0, 2, 2, 2, 1, 3, 1, 1, 0, 8, 2, 0, 2, 2, 1, 1, 2})
	f.Add([]byte{2, 0, 0, 3, 3, 1, 1, 0, 0, 1, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := fuzzBytes(data)
		current := []sp.Period{november, december, october}[b.next()%3]
		prev := fuzzCompared(&b, november)
		cur := fuzzCompared(&b, current)

		ch, err := review.Compare(prev, cur)
		if err != nil {
			var ve *sp.ValidationError
			if !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) || ve.Field == "" {
				t.Fatalf("error %v does not wrap ErrInvalid with a ValidationError naming the field", err)
			}
			return
		}
		if !cur.Period.Equal(current) || current.Start().Before(november.Start()) {
			t.Fatalf("a current report of %s before the previous one of %s was taken", current, november)
		}

		// Every finding once, each pair of one rule and subject.
		seenPrev, seenCur := map[string]int{}, map[string]int{}
		for _, f := range ch.New {
			seenCur[f.ID]++
		}
		for _, r := range ch.Recurring {
			seenPrev[r.Previous.ID]++
			seenCur[r.Current.ID]++
			if r.Previous.Rule != r.Current.Rule || r.Previous.Subject != r.Current.Subject {
				t.Fatalf("%s recurs as %s of another rule or subject", r.Previous.ID, r.Current.ID)
			}
			if r.SeverityChange() != r.Current.Severity.Rank()-r.Previous.Severity.Rank() {
				t.Fatalf("severity change %d of %s to %s", r.SeverityChange(), r.Previous.Severity, r.Current.Severity)
			}
		}
		for _, r := range ch.Resolved {
			seenPrev[r.Previous.ID]++
		}
		for which, c := range map[string]struct {
			seen     map[string]int
			findings []review.Finding
		}{"previous": {seenPrev, prev.Findings}, "current": {seenCur, cur.Findings}} {
			if len(c.seen) != len(c.findings) {
				t.Fatalf("%s: %d findings placed of %d", which, len(c.seen), len(c.findings))
			}
			for _, f := range c.findings {
				if c.seen[f.ID] != 1 {
					t.Fatalf("%s: finding %s placed %d times", which, f.ID, c.seen[f.ID])
				}
			}
		}
		for _, n := range ch.New {
			for _, r := range ch.Resolved {
				if n.ID == r.Previous.ID && n.Rule == r.Previous.Rule && n.Subject == r.Previous.Subject {
					t.Fatalf("finding %s both new and resolved", n.ID)
				}
			}
		}
		checkRetraining := func(f review.Finding, as []review.AssignmentResult) {
			for _, a := range as {
				if a.Assignment.Rep != f.Subject.Rep || f.Subject.Product != "" && a.Product != f.Subject.Product {
					t.Fatalf("finding %s about %s has the retraining of rep %s on %s", f.ID, f.Subject, a.Assignment.Rep, a.Product)
				}
			}
		}
		for _, r := range ch.Recurring {
			checkRetraining(r.Previous, r.Retraining)
		}
		for _, r := range ch.Resolved {
			checkRetraining(r.Previous, r.Retraining)
		}

		// A report is the same as itself.
		self, err := review.Compare(prev, prev)
		if err != nil {
			t.Fatalf("compare a report with itself: %v", err)
		}
		if len(self.New) != 0 || len(self.Resolved) != 0 || len(self.Recurring) != len(prev.Findings) {
			t.Fatalf("a report compared with itself: %d new, %d resolved", len(self.New), len(self.Resolved))
		}
		for _, r := range self.Recurring {
			if r.Previous.ID != r.Current.ID {
				t.Fatalf("a report compared with itself pairs %s with %s", r.Previous.ID, r.Current.ID)
			}
		}

		// The order of the findings does not matter.
		rp, rc := prev, cur
		rp.Findings, rc.Findings = slices.Clone(prev.Findings), slices.Clone(cur.Findings)
		slices.Reverse(rp.Findings)
		slices.Reverse(rc.Findings)
		again, err := review.Compare(rp, rc)
		if err != nil {
			t.Fatal(err)
		}
		once, err := json.Marshal(ch)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if twice, err := json.Marshal(again); err != nil || string(once) != string(twice) {
			t.Fatalf("another order of the findings gives other changes:\n%s\n%s", once, twice)
		}

		// Two reviews of one period and as-of time read the same both ways.
		if cur.Period.Equal(prev.Period) && cur.AsOf.Equal(prev.AsOf) {
			back, err := review.Compare(cur, prev)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(back.New), changedIDs(ch.Resolved)) || !slices.Equal(ids(ch.New), changedIDs(back.Resolved)) ||
				len(back.Recurring) != len(ch.Recurring) {
				t.Fatalf("the changes of one period differ by the way they are read")
			}
		}

		// The changes round-trip and render.
		var decoded review.Changes
		if err := json.Unmarshal(once, &decoded); err != nil {
			t.Fatalf("unmarshal %s: %v", once, err)
		}
		if twice, err := json.Marshal(decoded); err != nil || string(once) != string(twice) {
			t.Fatalf("the changes do not round-trip:\n%s\n%s", once, twice)
		}
		if err := ch.Markdown(io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := ch.Text(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}
