package review_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// The periods of the compared reports, and their as-of times: the end of
// each month.
var (
	october  = sp.Month(2026, time.October, time.UTC)
	december = sp.Month(2026, time.December, time.UTC)
)

// handReport returns a report of period, as of its end, under the default
// rules, with a goal row for each of goals and the findings as given.
func handReport(period sp.Period, goals []quota.Goal, findings ...review.Finding) review.Report {
	r := review.Report{Version: review.ReportVersion, Period: period, AsOf: period.End(), Generated: period.End(),
		Rules: review.DefaultRules(), Findings: findings}
	for _, g := range goals {
		r.Snapshot.Goals = append(r.Snapshot.Goals, review.GoalRow{Goal: g})
	}
	return r
}

// handFinding returns a finding of rule about subj, of severity sev, with
// the ID given or, when empty, the one the review gives a finding without
// one.
func handFinding(id, rule string, subj review.Subject, sev review.Severity) review.Finding {
	if id == "" {
		id = rule + ":" + subj.Key()
	}
	return review.Finding{ID: id, Rule: rule, Subject: subj, Severity: sev, Summary: "about " + subj.String()}
}

// revenueGoal and dealsGoal are goals of rep in period.
func revenueGoal(rep sp.RepID, period sp.Period) quota.Goal {
	return quota.Goal{Rep: rep, Period: period, Revenue: must(sp.ParseMoney("10000.00 EUR"))}
}

func dealsGoal(rep sp.RepID, period sp.Period) quota.Goal {
	return quota.Goal{Rep: rep, Period: period, Deals: 10}
}

// ids returns the IDs of fs.
func ids(fs []review.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

// changeIDs returns the changes as ID lists: new, recurring as
// "previous->current", resolved.
func changeIDs(ch review.Changes) (added, recurring, resolved []string) {
	added, recurring, resolved = ids(ch.New), []string{}, []string{}
	for _, r := range ch.Recurring {
		recurring = append(recurring, r.Previous.ID+"->"+r.Current.ID)
	}
	for _, r := range ch.Resolved {
		resolved = append(resolved, r.Previous.ID)
	}
	return added, recurring, resolved
}

func TestCompare(t *testing.T) {
	ann, bob := review.RepSubject("ann"), review.RepSubject("bob")
	bobWidget := review.RepProductSubject("bob", "widget")
	const (
		missed = review.RuleTargetMissed
		met    = review.RuleTargetMet
		cert   = review.RuleCertification
	)
	info, warn, crit := review.SeverityInfo, review.SeverityWarning, review.SeverityCritical
	for _, tt := range []struct {
		name                       string
		prev, cur                  review.Report
		added, recurring, resolved []string
	}{
		{name: "empty", prev: handReport(november, nil), cur: handReport(december, nil)},
		{
			name: "all_new",
			prev: handReport(november, nil),
			cur:  handReport(december, nil, handFinding("", "big", ann, info), handFinding("", "big", bob, crit)),
			// In the order of a report: the most severe first.
			added: []string{"big:rep=bob", "big:rep=ann"},
		},
		{
			name:     "all_resolved",
			prev:     handReport(november, nil, handFinding("", "big", ann, warn), handFinding("", cert, bobWidget, warn)),
			cur:      handReport(december, nil),
			resolved: []string{"big:rep=ann", "certification:rep=bob,product=widget"},
		},
		{
			name:      "severity_changed",
			prev:      handReport(november, nil, handFinding("", "slow", ann, warn)),
			cur:       handReport(december, nil, handFinding("", "slow", ann, crit)),
			recurring: []string{"slow:rep=ann->slow:rep=ann"},
		},
		{
			name:     "other_subject_is_another_finding",
			prev:     handReport(november, nil, handFinding("", "slow", ann, warn)),
			cur:      handReport(december, nil, handFinding("", "slow", bob, warn)),
			added:    []string{"slow:rep=bob"},
			resolved: []string{"slow:rep=ann"},
		},
		{
			name:     "other_rule_is_another_finding",
			prev:     handReport(november, nil, handFinding("", "slow", ann, warn)),
			cur:      handReport(december, nil, handFinding("", "lag", ann, warn)),
			added:    []string{"lag:rep=ann"},
			resolved: []string{"slow:rep=ann"},
		},
		{
			// Of a rule's findings about one subject, the first matches
			// the first, and the second, "#2", is resolved.
			name:      "duplicate_subjects",
			prev:      handReport(november, nil, handFinding("big:rep=ann", "big", ann, warn), handFinding("big:rep=ann#2", "big", ann, warn)),
			cur:       handReport(december, nil, handFinding("big:rep=ann", "big", ann, crit)),
			recurring: []string{"big:rep=ann->big:rep=ann"},
			resolved:  []string{"big:rep=ann#2"},
		},
		{
			// "#10" ranks after "#9", not after "#1" as text would.
			name: "duplicates_ranked_by_number",
			prev: handReport(november, nil, handFinding("x", "big", ann, info), handFinding("x#10", "big", ann, info),
				handFinding("x#2", "big", ann, info), handFinding("x#9", "big", ann, info)),
			cur:       handReport(december, nil, handFinding("x#3", "big", ann, info), handFinding("x#2", "big", ann, info), handFinding("x", "big", ann, info)),
			recurring: []string{"x->x", "x#2->x#2", "x#9->x#3"},
			resolved:  []string{"x#10"},
		},
		{
			// A "#" that the review does not append is part of the stem.
			name:     "hash_not_a_suffix",
			prev:     handReport(november, nil, handFinding("x#1", "big", ann, info), handFinding("x#02", "big", ann, info), handFinding("x#", "big", ann, info)),
			cur:      handReport(december, nil, handFinding("x", "big", ann, info)),
			added:    []string{"x"},
			resolved: []string{"x#", "x#02", "x#1"},
		},
		{
			// A goal's finding follows the goal into the next period, by
			// its metric: the revenue goal is met, the won-deals one is
			// missed again.
			name: "goals_followed_by_metric",
			prev: handReport(november, []quota.Goal{revenueGoal("bob", november), dealsGoal("bob", november)},
				handFinding("target_missed:rep=bob:2026-11,revenue", missed, bob, crit),
				handFinding("target_missed:rep=bob:2026-11,won_deals", missed, bob, warn)),
			cur: handReport(december, []quota.Goal{revenueGoal("bob", december), dealsGoal("bob", december)},
				handFinding("target_met:rep=bob:2026-12,revenue", met, bob, info),
				handFinding("target_missed:rep=bob:2026-12,won_deals", missed, bob, crit)),
			added:     []string{"target_met:rep=bob:2026-12,revenue"},
			recurring: []string{"target_missed:rep=bob:2026-11,won_deals->target_missed:rep=bob:2026-12,won_deals"},
			resolved:  []string{"target_missed:rep=bob:2026-11,revenue"},
		},
		{
			// A month's goal and a quarter's are followed apart.
			name: "goals_followed_by_period_kind",
			prev: handReport(november, []quota.Goal{revenueGoal("bob", november), revenueGoal("bob", sp.Quarter(2026, 4, time.UTC))},
				handFinding("target_missed:rep=bob:2026-11,revenue", missed, bob, crit),
				handFinding("target_missed:rep=bob:2026-Q4,revenue", missed, bob, warn)),
			cur: handReport(december, []quota.Goal{revenueGoal("bob", december), revenueGoal("bob", sp.Quarter(2027, 1, time.UTC))},
				handFinding("target_missed:rep=bob:2027-Q1,revenue", missed, bob, warn)),
			recurring: []string{"target_missed:rep=bob:2026-Q4,revenue->target_missed:rep=bob:2027-Q1,revenue"},
			resolved:  []string{"target_missed:rep=bob:2026-11,revenue"},
		},
		{
			// A region's goals for two products are two goals.
			name: "goals_followed_by_product",
			prev: handReport(november, []quota.Goal{{Region: "north", Product: "widget", Period: november, Deals: 5}},
				handFinding("target_missed:region=north:2026-11,won_deals,product=widget", missed, review.RegionSubject("north"), warn)),
			cur: handReport(december, []quota.Goal{{Region: "north", Product: "gadget", Period: december, Deals: 5}},
				handFinding("target_missed:region=north:2026-12,won_deals,product=gadget", missed, review.RegionSubject("north"), warn)),
			added:    []string{"target_missed:region=north:2026-12,won_deals,product=gadget"},
			resolved: []string{"target_missed:region=north:2026-11,won_deals,product=widget"},
		},
		{
			// A goal of either report's snapshot: the finding of one ID
			// is the same in both, though the goal went from the input of
			// the rerun.
			name: "goal_in_one_snapshot",
			prev: func() review.Report {
				r := handReport(november, []quota.Goal{revenueGoal("bob", november)},
					handFinding("target_missed:rep=bob:2026-11,revenue", missed, bob, crit))
				r.AsOf = november.Start().AddDate(0, 0, 14)
				return r
			}(),
			cur:       handReport(november, nil, handFinding("target_missed:rep=bob:2026-11,revenue", missed, bob, crit)),
			recurring: []string{"target_missed:rep=bob:2026-11,revenue->target_missed:rep=bob:2026-11,revenue"},
		},
		{
			// A goal whose ID ends in what reads as "#<n>" is named by
			// the whole ID, which is not cut.
			name: "goal_product_with_hash",
			prev: handReport(november, []quota.Goal{{Region: "north", Product: "w#2", Period: november, Deals: 5}},
				handFinding("target_missed:region=north:2026-11,won_deals,product=w#2", missed, review.RegionSubject("north"), warn)),
			cur: handReport(december, []quota.Goal{{Region: "north", Product: "w#2", Period: december, Deals: 5}},
				handFinding("target_missed:region=north:2026-12,won_deals,product=w#2", missed, review.RegionSubject("north"), warn)),
			recurring: []string{"target_missed:region=north:2026-11,won_deals,product=w#2->target_missed:region=north:2026-12,won_deals,product=w#2"},
		},
		{
			// Without the goal in the snapshots, the ID is taken as it is.
			name:     "goal_not_in_snapshot",
			prev:     handReport(november, nil, handFinding("target_missed:rep=bob:2026-11,revenue", missed, bob, crit)),
			cur:      handReport(december, nil, handFinding("target_missed:rep=bob:2026-12,revenue", missed, bob, crit)),
			added:    []string{"target_missed:rep=bob:2026-12,revenue"},
			resolved: []string{"target_missed:rep=bob:2026-11,revenue"},
		},
		{
			// A certificate about to expire is another finding than a
			// missing one.
			name:      "expiring_apart_from_missing",
			prev:      handReport(november, nil, handFinding("", cert, bobWidget, warn)),
			cur:       handReport(december, nil, handFinding("", cert, bobWidget, warn), handFinding("certification:rep=bob,product=widget:expiring", cert, bobWidget, info)),
			added:     []string{"certification:rep=bob,product=widget:expiring"},
			recurring: []string{"certification:rep=bob,product=widget->certification:rep=bob,product=widget"},
		},
		{
			// A rerun of the same period later in it.
			name: "same_period_later",
			prev: func() review.Report {
				r := handReport(november, nil, handFinding("", "slow", ann, warn))
				r.AsOf = november.Start().AddDate(0, 0, 14)
				return r
			}(),
			cur:       handReport(november, nil, handFinding("", "slow", ann, warn)),
			recurring: []string{"slow:rep=ann->slow:rep=ann"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prevFindings, curFindings := slices.Clone(tt.prev.Findings), slices.Clone(tt.cur.Findings)
			ch, err := review.Compare(tt.prev, tt.cur)
			require.NoError(t, err)
			added, recurring, resolved := changeIDs(ch)
			assert.Equal(t, append([]string{}, tt.added...), added, "new")
			assert.Equal(t, append([]string{}, tt.recurring...), recurring, "recurring")
			assert.Equal(t, append([]string{}, tt.resolved...), resolved, "resolved")
			assert.True(t, ch.Previous.Equal(tt.prev.Period) && ch.Current.Equal(tt.cur.Period), "periods")
			assert.True(t, ch.PreviousAsOf.Equal(tt.prev.AsOf) && ch.CurrentAsOf.Equal(tt.cur.AsOf), "as-of times")
			assert.False(t, ch.RulesChanged)
			assert.Equal(t, prevFindings, tt.prev.Findings, "the previous report changed")
			assert.Equal(t, curFindings, tt.cur.Findings, "the current report changed")

			// The findings' order in the reports does not matter.
			slices.Reverse(tt.prev.Findings)
			slices.Reverse(tt.cur.Findings)
			again, err := review.Compare(tt.prev, tt.cur)
			require.NoError(t, err)
			assert.Equal(t, ch, again, "another order of the reports' findings")
		})
	}
}

func TestCompareSeverityChange(t *testing.T) {
	ann := review.RepSubject("ann")
	for _, tt := range []struct {
		was, is review.Severity
		want    int
	}{
		{review.SeverityWarning, review.SeverityCritical, 1},
		{review.SeverityInfo, review.SeverityCritical, 2},
		{review.SeverityCritical, review.SeverityWarning, -1},
		{review.SeverityWarning, review.SeverityWarning, 0},
	} {
		t.Run(string(tt.was)+"_to_"+string(tt.is), func(t *testing.T) {
			ch, err := review.Compare(handReport(november, nil, handFinding("", "slow", ann, tt.was)),
				handReport(december, nil, handFinding("", "slow", ann, tt.is)))
			require.NoError(t, err)
			require.Len(t, ch.Recurring, 1)
			r := ch.Recurring[0]
			assert.Equal(t, tt.was, r.Previous.Severity)
			assert.Equal(t, tt.is, r.Current.Severity)
			assert.Equal(t, tt.want, r.SeverityChange())
		})
	}
}

// The retraining of a finding about a rep is what the previous report
// assigned the rep (on the product of a rep's sales of one product),
// whatever it was assigned for; other subjects have none.
func TestCompareRetraining(t *testing.T) {
	assignment := func(rep sp.RepID, module training.ModuleID, product sp.ProductID, status review.ActionStatus) review.AssignmentResult {
		return review.AssignmentResult{
			Assignment: training.Assignment{ID: training.AssignmentID("review/2026-11/" + string(rep) + "/" + string(module)), Rep: rep, Module: module},
			Product:    product, Status: status, Findings: []string{"lag:rep=" + string(rep)},
		}
	}
	bobWidget := assignment("bob", "widget-basics", "widget", review.StatusDone)
	bobGadget := assignment("bob", "gadget-basics", "gadget", review.StatusProposed)
	annWidget := assignment("ann", "widget-basics", "widget", review.StatusDone)
	prev := handReport(november, nil,
		handFinding("", "slow", review.RepSubject("bob"), review.SeverityWarning),
		handFinding("", "lag", review.RepProductSubject("bob", "widget"), review.SeverityWarning),
		handFinding("", "lag", review.RepProductSubject("bob", "gizmo"), review.SeverityWarning),
		handFinding("", "slow", review.RegionSubject("north"), review.SeverityWarning),
		handFinding("", "slow", review.RepSubject("cat"), review.SeverityWarning),
	)
	prev.Outcome.Assignments = []review.AssignmentResult{annWidget, bobGadget, bobWidget}
	cur := handReport(december, nil,
		handFinding("", "slow", review.RepSubject("bob"), review.SeverityCritical),
		handFinding("", "slow", review.RegionSubject("north"), review.SeverityWarning),
	)
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)

	got := map[string][]review.AssignmentResult{}
	for _, r := range ch.Recurring {
		got["recurring "+r.Previous.ID] = r.Retraining
	}
	for _, r := range ch.Resolved {
		got["resolved "+r.Previous.ID] = r.Retraining
	}
	assert.Equal(t, map[string][]review.AssignmentResult{
		"recurring slow:rep=bob":              {bobGadget, bobWidget},
		"recurring slow:region=north":         {},
		"resolved lag:rep=bob,product=widget": {bobWidget},
		"resolved lag:rep=bob,product=gizmo":  {},
		"resolved slow:rep=cat":               {},
	}, got)
	require.Len(t, ch.New, 0)
}

// The findings of one rep share one retraining list, clipped: appending
// to one finding's list copies it and leaves the others' as they were.
func TestCompareSharesRetraining(t *testing.T) {
	a := review.AssignmentResult{Assignment: training.Assignment{ID: "a1", Rep: "bob", Module: "widget-basics"}, Product: "widget", Status: review.StatusDone}
	prev := handReport(november, nil,
		handFinding("", "slow", review.RepSubject("bob"), review.SeverityWarning),
		handFinding("", "late", review.RepSubject("bob"), review.SeverityWarning),
	)
	prev.Outcome.Assignments = []review.AssignmentResult{a}
	ch, err := review.Compare(prev, handReport(december, nil))
	require.NoError(t, err)
	require.Len(t, ch.Resolved, 2)
	first, second := ch.Resolved[0].Retraining, ch.Resolved[1].Retraining
	require.Equal(t, []review.AssignmentResult{a}, first)
	assert.Same(t, &first[0], &second[0], "one list for the rep's findings")
	assert.Equal(t, len(first), cap(first))
	grown := append(first, a)
	assert.Len(t, grown, 2)
	assert.Equal(t, []review.AssignmentResult{a}, second, "an append to one list leaves the other")
}

func TestCompareRulesChanged(t *testing.T) {
	prev, cur := handReport(november, nil), handReport(december, nil)
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)
	assert.False(t, ch.RulesChanged, "the same rules")

	cur.Rules.Analysis.MinDeals++
	ch, err = review.Compare(prev, cur)
	require.NoError(t, err)
	assert.True(t, ch.RulesChanged, "a threshold changed")
}

// Compare refuses reports out of order and reports ParseReport would
// refuse, naming the field.
func TestCompareErrors(t *testing.T) {
	dup := handFinding("", "slow", review.RepSubject("ann"), review.SeverityWarning)
	for _, tt := range []struct {
		name      string
		prev, cur func(r *review.Report)
		field     string
	}{
		{name: "previous_version", prev: func(r *review.Report) { r.Version = 0 }, field: "previous.version"},
		{name: "current_version", cur: func(r *review.Report) { r.Version = 2 }, field: "current.version"},
		{name: "previous_no_period", prev: func(r *review.Report) { r.Period = sp.Period{} }, field: "previous.period"},
		{name: "current_no_period", cur: func(r *review.Report) { r.Period = sp.Period{} }, field: "current.period"},
		{name: "previous_after_current", prev: func(r *review.Report) { r.Period, r.AsOf = sp.Month(2027, time.January, time.UTC), december.End() },
			field: "previous.period"},
		{name: "previous_later_as_of_same_start", prev: func(r *review.Report) { r.Period, r.AsOf = december, december.End().Add(time.Hour) },
			field: "previous.as_of"},
		{name: "previous_rules_missing", prev: func(r *review.Report) { r.Rules = review.Rules{} }, field: "previous.rules.version"},
		{name: "current_rules_out_of_range", cur: func(r *review.Report) { r.Rules.Analysis.MinDeals = 0 }, field: "current.rules.analysis.min_deals"},
		{name: "current_finding_id_twice", cur: func(r *review.Report) { r.Findings = []review.Finding{dup, dup} }, field: "current.findings[1].id"},
		{name: "previous_finding_id_twice", prev: func(r *review.Report) { r.Findings = []review.Finding{dup, dup} }, field: "previous.findings[1].id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prev, cur := handReport(november, nil), handReport(december, nil)
			if tt.prev != nil {
				tt.prev(&prev)
			}
			if tt.cur != nil {
				tt.cur(&cur)
			}
			ch, err := review.Compare(prev, cur)
			require.Error(t, err)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "error: %v", err)
			assert.True(t, strings.HasPrefix(err.Error(), "review: compare: "), "error: %v", err)
			assert.Zero(t, ch)
		})
	}
}

func TestChangesJSONRoundTrip(t *testing.T) {
	prev := handReport(november, []quota.Goal{revenueGoal("bob", november)},
		handFinding("target_missed:rep=bob:2026-11,revenue", review.RuleTargetMissed, review.RepSubject("bob"), review.SeverityCritical),
		handFinding("", "slow", review.RepSubject("ann"), review.SeverityWarning))
	prev.Outcome.Assignments = []review.AssignmentResult{{
		Assignment: training.Assignment{ID: "review/2026-11/bob/widget-basics", Rep: "bob", Module: "widget-basics",
			Due: time.Date(2026, 12, 15, 8, 0, 0, 0, time.UTC)},
		Product: "widget", Status: review.StatusDone, Findings: []string{"target_missed:rep=bob:2026-11,revenue"},
	}}
	cur := handReport(december, []quota.Goal{revenueGoal("bob", december)},
		handFinding("target_missed:rep=bob:2026-12,revenue", review.RuleTargetMissed, review.RepSubject("bob"), review.SeverityWarning),
		handFinding("", "big", review.CompanySubject(), review.SeverityInfo))
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)
	require.Len(t, ch.Recurring, 1)
	require.Len(t, ch.New, 1)
	require.Len(t, ch.Resolved, 1)

	once, err := json.Marshal(ch)
	require.NoError(t, err)
	var back review.Changes
	require.NoError(t, json.Unmarshal(once, &back))
	twice, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(once), string(twice))
	assert.Equal(t, string(once), string(twice))
	for _, member := range []string{`"previous":"2026-11"`, `"current":"2026-12"`, `"rules_changed":false`, `"new":[`, `"recurring":[`,
		`"resolved":[`, `"retraining":[{"assignment":`} {
		assert.Contains(t, string(once), member)
	}

	// Empty lists are written as [], not null.
	empty, err := review.Compare(handReport(november, nil), handReport(december, nil))
	require.NoError(t, err)
	data, err := json.Marshal(empty)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"new":[],"recurring":[],"resolved":[]`)

	// A member of the wrong type is an error naming it.
	err = json.Unmarshal([]byte(`{"recurring":[{"current":{"severity":"fatal"}}]}`), &back)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "changes.recurring[0].current.severity", ve.Field)
}

func TestChangesRender(t *testing.T) {
	bob := review.RepSubject("bob")
	prev := handReport(november, nil,
		handFinding("", "slow", bob, review.SeverityWarning),
		handFinding("", "lag_*x*", review.RepProductSubject("bob", "widget"), review.SeverityWarning))
	prev.Findings[0].Cause = review.CauseProcess
	prev.Outcome.Assignments = []review.AssignmentResult{{
		Assignment: training.Assignment{ID: "review/2026-11/bob/widget-basics", Rep: "bob", Module: "widget-basics",
			Due: time.Date(2026, 12, 15, 8, 0, 0, 0, time.UTC)},
		Product: "widget", Status: review.StatusDone,
	}}
	cur := handReport(december, nil,
		handFinding("", "slow", bob, review.SeverityCritical),
		handFinding("", "big", review.CompanySubject(), review.SeverityInfo))
	cur.Findings[0].Cause = review.CauseRep
	cur.Rules.Analysis.MinDeals++
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)

	var md, text bytes.Buffer
	require.NoError(t, ch.Markdown(&md))
	require.NoError(t, ch.Text(&text))
	retrained := "module widget-basics on widget by 2026-12-15T08:00:00Z, done"
	for _, want := range []string{
		"# Changes from the review of 2026-11 to the review of 2026-12\n",
		"1 new, 1 recurring, 1 resolved.",
		"The rules documents of the two reviews differ",
		"an assignment done is a rep told to retrain, not a retraining finished.",
		"## New (1)\n",
		"|   1 | info     | company | big  | -     | big:company |\n",
		"## Recurring (1)\n",
		"|   1 | critical (was warning) | rep bob | slow | rep (was process) | slow:rep=bob | " + retrained + " |\n",
		"## Resolved (1)\n",
		// The rule's name is escaped.
		`|   1 | warning  | rep bob on widget | lag\_\*x\* | -     | lag\_\*x\*:rep=bob,product=widget | ` + retrained + " |\n",
	} {
		assert.Contains(t, md.String(), want)
	}
	for _, want := range []string{
		"Changes from the review of 2026-11 to the review of 2026-12\n=====",
		"Recurring (1)\n-------------\n",
		"1  critical (was warning)  rep bob  slow  rep (was process)  slow:rep=bob  " + retrained + "\n",
		"1  warning   rep bob on widget  lag_*x*  -      lag_*x*:rep=bob,product=widget  " + retrained + "\n",
	} {
		assert.Contains(t, text.String(), want)
	}
	if t.Failed() {
		t.Logf("markdown:\n%s\ntext:\n%s", md.String(), text.String())
	}

	// No changes: every table says none.
	empty, err := review.Compare(handReport(november, nil), handReport(december, nil))
	require.NoError(t, err)
	md.Reset()
	require.NoError(t, empty.Markdown(&md))
	assert.Equal(t, 3, strings.Count(md.String(), "None.\n"), md.String())
	assert.NotContains(t, md.String(), "rules documents")
	assert.NotContains(t, md.String(), "Retraining assigned is")

	// A writer's error is returned.
	errWrite := errors.New("disk full")
	err = ch.Text(failingWriter{errWrite})
	assert.ErrorIs(t, err, errWrite)
}

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// ExampleCompare follows a rep's findings from November to December:
// his revenue goal, missed in November, is missed again, less badly,
// after the retraining November assigned him; his goal of won deals is met
// now, and his slow follow-up is resolved.
func ExampleCompare() {
	bob := review.RepSubject("bob")
	target, err := sp.ParseMoney("12000.00 EUR")
	if err != nil {
		fmt.Println(err)
		return
	}
	month := func(period sp.Period, findings ...review.Finding) review.Report {
		return review.Report{Version: review.ReportVersion, Period: period, AsOf: period.End(), Rules: review.DefaultRules(),
			Snapshot: review.Snapshot{Goals: []review.GoalRow{
				{Goal: quota.Goal{Rep: "bob", Period: period, Revenue: target}},
				{Goal: quota.Goal{Rep: "bob", Period: period, Deals: 12}},
			}},
			Findings: findings}
	}
	finding := func(id, rule string, subj review.Subject, severity review.Severity, cause review.Cause) review.Finding {
		return review.Finding{ID: id, Rule: rule, Subject: subj, Severity: severity, Cause: cause, Summary: "..."}
	}
	nov := month(sp.Month(2026, time.November, time.UTC),
		finding("target_missed:rep=bob:2026-11,revenue", review.RuleTargetMissed, bob, review.SeverityCritical, review.CauseRep),
		finding("target_missed:rep=bob:2026-11,won_deals", review.RuleTargetMissed, bob, review.SeverityWarning, review.CauseRep),
		finding("slow_follow_up:rep=bob", review.RuleSlowFollowUp, bob, review.SeverityWarning, review.CauseProcess))
	nov.Outcome.Assignments = []review.AssignmentResult{{
		Assignment: training.Assignment{ID: "review/2026-11/bob/widget-basics", Rep: "bob", Module: "widget-basics",
			Due: time.Date(2026, 12, 15, 8, 0, 0, 0, time.UTC)},
		Product: "widget", Status: review.StatusDone, Findings: []string{"target_missed:rep=bob:2026-11,revenue"},
	}}
	dec := month(sp.Month(2026, time.December, time.UTC),
		finding("target_missed:rep=bob:2026-12,revenue", review.RuleTargetMissed, bob, review.SeverityWarning, review.CauseRep),
		finding("target_met:rep=bob:2026-12,won_deals", review.RuleTargetMet, bob, review.SeverityInfo, ""))

	changes, err := review.Compare(nov, dec)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := changes.Text(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Changes from the review of 2026-11 to the review of 2026-12
	// ===========================================================
	//
	// Review of 2026-11 as of 2026-12-01T00:00:00Z; review of 2026-12 as of 2027-01-01T00:00:00Z. Findings matched by rule and subject: 1 new, 1 recurring, 2 resolved. Retraining assigned is what the previous review assigned the finding's rep, with its status then: an assignment done is a rep told to retrain, not a retraining finished.
	//
	// New (1)
	// -------
	//
	// #  Severity  Subject  Rule        Cause  Finding
	// -  --------  -------  ----------  -----  ------------------------------------
	// 1  info      rep bob  target_met  -      target_met:rep=bob:2026-12,won_deals
	//
	// Recurring (1)
	// -------------
	//
	// #  Severity                Subject  Rule           Cause  Finding                                Retraining assigned
	// -  ----------------------  -------  -------------  -----  -------------------------------------  ------------------------------------------------------------
	// 1  warning (was critical)  rep bob  target_missed  rep    target_missed:rep=bob:2026-12,revenue  module widget-basics on widget by 2026-12-15T08:00:00Z, done
	//
	// Resolved (2)
	// ------------
	//
	// #  Severity  Subject  Rule            Cause    Finding                                  Retraining assigned
	// -  --------  -------  --------------  -------  ---------------------------------------  ------------------------------------------------------------
	// 1  warning   rep bob  slow_follow_up  process  slow_follow_up:rep=bob                   module widget-basics on widget by 2026-12-15T08:00:00Z, done
	// 2  warning   rep bob  target_missed   rep      target_missed:rep=bob:2026-11,won_deals  module widget-basics on widget by 2026-12-15T08:00:00Z, done
}

// On random reports, each recurring and resolved finding about a rep, or a
// rep's sales of a product, gets the previous outcome's assignments to that
// rep (on that product), in the outcome's order, and any other finding
// none.
func TestCompareRetrainingRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2026))
	reps := []sp.RepID{"ann", "bob", "cat", "dan", "eve"}
	products := []sp.ProductID{"widget", "gadget", "gizmo"}
	for try := range 50 {
		var prevFindings, curFindings []review.Finding
		seen := map[string]bool{}
		for range 1 + r.IntN(30) {
			var subj review.Subject
			switch r.IntN(3) {
			case 0:
				subj = review.RepSubject(reps[r.IntN(len(reps))])
			case 1:
				subj = review.RepProductSubject(reps[r.IntN(len(reps))], products[r.IntN(len(products))])
			default:
				subj = review.RegionSubject("north")
			}
			f := handFinding("", []string{"slow", "lag"}[r.IntN(2)], subj, review.SeverityWarning)
			if seen[f.ID] {
				continue
			}
			seen[f.ID] = true
			prevFindings = append(prevFindings, f)
			if r.IntN(2) == 0 {
				curFindings = append(curFindings, f)
			}
		}
		prev := handReport(november, nil, prevFindings...)
		for i := range r.IntN(20) {
			rep, product := reps[r.IntN(len(reps))], products[r.IntN(len(products))]
			prev.Outcome.Assignments = append(prev.Outcome.Assignments, review.AssignmentResult{
				Assignment: training.Assignment{ID: training.AssignmentID(fmt.Sprintf("a-%d", i)), Rep: rep, Module: training.ModuleID(product + "-basics")},
				Product:    product, Status: review.StatusDone})
		}
		ch, err := review.Compare(prev, handReport(december, nil, curFindings...))
		require.NoError(t, err)
		want := func(subj review.Subject) []review.AssignmentResult {
			out := []review.AssignmentResult{}
			for _, a := range prev.Outcome.Assignments {
				if (subj.Kind == review.SubjectRep || subj.Kind == review.SubjectRepProduct) && a.Assignment.Rep == subj.Rep &&
					(subj.Kind == review.SubjectRep || a.Product == subj.Product) {
					out = append(out, a)
				}
			}
			return out
		}
		require.Len(t, ch.Recurring, len(curFindings), "try %d", try)
		require.Len(t, ch.Resolved, len(prevFindings)-len(curFindings), "try %d", try)
		for _, rc := range ch.Recurring {
			assert.Equal(t, want(rc.Previous.Subject), rc.Retraining, "try %d: recurring %s", try, rc.Previous.ID)
		}
		for _, rs := range ch.Resolved {
			assert.Equal(t, want(rs.Previous.Subject), rs.Retraining, "try %d: resolved %s", try, rs.Previous.ID)
		}
	}
}
