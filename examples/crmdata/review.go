package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// reviewSection is the review of one month by package review with its
// default rules: its findings, counted by rule and severity.
type reviewSection struct {
	Month string `json:"month"`
	// Period is the review's period: the month in the zone of the
	// easternmost office, which holds every office's dates of the month
	// since a date is the start of its day in its office's zone.
	Period     string           `json:"period"`
	AsOf       string           `json:"as_of"`
	Goals      int              `json:"goals"`
	BySeverity map[string]int   `json:"by_severity"`
	ByRule     map[string]int   `json:"by_rule"`
	Findings   []review.Finding `json:"findings"`
}

// reviewMonth reviews month (a "2017-12") with package review: the deals,
// the agents, offices and products, and with a goal the agents' revenue
// goals of the month. The data has no inquiries, activities, loss reasons,
// certificates or feedback, so the rules that need them find nothing; the
// win rate is what the diagnosis compares. The report's clock is fixed at
// the end of the month, so the same data gives the same review.
func reviewMonth(ctx context.Context, ds *dataset, records []pipeline.Deal, dealsOf map[sp.RepID]int, goal sp.Money, month string) (*reviewSection, error) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, fmt.Errorf("-month %q: want a month as 2017-12", month)
	}
	period := sp.Month(m.Year(), m.Month(), eastmost(ds, m))
	// As of the end of the month in the westernmost office, when every
	// office's month, and every goal, is over.
	asOf := period.End()
	for _, o := range ds.Offices {
		if end := o.Month(m.Year(), m.Month()).End(); end.After(asOf) {
			asOf = end
		}
	}
	out := &reviewSection{
		Month: month, Period: period.String(), AsOf: asOf.UTC().Format(time.RFC3339),
		BySeverity: map[string]int{}, ByRule: map[string]int{}, Findings: []review.Finding{},
	}

	in := review.Input{Period: period, AsOf: asOf, Deals: quota.Refs(records)}
	if !goal.IsUnset() {
		in.Goals = monthGoals(ds, dealsOf, goal, m.Year(), m.Month())
	}
	out.Goals = len(in.Goals)
	for _, id := range slices.Sorted(maps.Keys(ds.Agents)) {
		in.Reps = append(in.Reps, ds.Agents[id].Rep)
	}
	for _, id := range ds.officeIDs() {
		in.Regions = append(in.Regions, ds.Offices[id].Region)
	}
	for _, id := range slices.Sorted(maps.Keys(ds.Products)) {
		in.Products = append(in.Products, ds.Products[id])
	}

	rv, err := review.New(review.DefaultRules(), &review.Options{
		Clock: sp.FixedClock(asOf),
		Actor: "crmdata",
		Quota: &quota.Options{Outcome: quota.OutcomeBy(ds.Def), Location: ds.location},
	})
	if err != nil {
		return nil, err
	}
	rep, err := rv.Review(ctx, in)
	if err != nil {
		return nil, err
	}
	for _, f := range rep.Findings {
		out.Findings = append(out.Findings, f)
		out.BySeverity[string(f.Severity)]++
		out.ByRule[f.Rule]++
	}
	return out, nil
}

// eastmost returns the time zone, among the offices', that is furthest
// ahead of UTC at the start of month m (UTC if there are no offices).
func eastmost(ds *dataset, m time.Time) *time.Location {
	loc, best := time.UTC, 0
	for i, id := range ds.officeIDs() {
		l := ds.Offices[id].Loc()
		_, off := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, l).Zone()
		if i == 0 || off > best {
			loc, best = l, off
		}
	}
	return loc
}
