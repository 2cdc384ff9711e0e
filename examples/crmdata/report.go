package main

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// places is the number of decimal places of rates and means, rounded
// half-up.
const places = 4

// report is what the program prints, in the order of its JSON form. Rates
// and means are decimal strings rounded half-up to four places, amounts
// decimal strings in the data's whole currency units, counts numbers.
type report struct {
	Data               string                 `json:"data"`
	Currency           sp.Currency            `json:"currency"`
	Deals              dealCounts             `json:"deals"`
	WinRate            winRates               `json:"win_rate"`
	WonValue           wonValues              `json:"won_value"`
	CycleDays          cycleDays              `json:"cycle_days"`
	AgentsWithoutDeals []string               `json:"agents_without_deals"`
	Offices            map[string]officeEntry `json:"offices"`
	Agents             map[string]agentEntry  `json:"agents"`
	Products           map[string]string      `json:"products"` // list price by product; "" if unknown
	Attainment         *attainment            `json:"attainment,omitempty"`
	Review             *reviewSection         `json:"review,omitempty"`
	Quirks             quirks                 `json:"quirks"`
	Fixes              []fix                  `json:"fixes"`
	Skipped            []skipped              `json:"skipped"`
}

type dealCounts struct {
	Total   int            `json:"total"`
	ByStage map[string]int `json:"by_stage"`
	// Rows counts the data rows of sales_pipeline.csv; Skipped those left
	// out (Rows = Total + Skipped).
	Rows    int `json:"rows"`
	Skipped int `json:"skipped"`
	// ByOffice counts the deals of each office by stage.
	ByOffice map[string]map[string]int `json:"by_office"`
}

type winRates struct {
	Overall   string            `json:"overall"`
	ByOffice  map[string]string `json:"by_office"`
	ByAgent   map[string]string `json:"by_agent"`
	ByProduct map[string]string `json:"by_product"`
	ByManager map[string]string `json:"by_manager"`
	// Closed holds the counts behind the rates.
	Closed closedCounts `json:"closed"`
}

type closedCounts struct {
	Overall   wonLost            `json:"overall"`
	ByOffice  map[string]wonLost `json:"by_office"`
	ByAgent   map[string]wonLost `json:"by_agent"`
	ByProduct map[string]wonLost `json:"by_product"`
	ByManager map[string]wonLost `json:"by_manager"`
}

type wonLost struct {
	Won  int64 `json:"won"`
	Lost int64 `json:"lost"`
}

type wonValues struct {
	Total         string                       `json:"total"`
	ByOffice      map[string]string            `json:"by_office"`
	ByOfficeMonth map[string]map[string]string `json:"by_office_month"`
	// ByMonth is the won value by close month, each deal's month in its
	// office's time zone.
	ByMonth   map[string]string `json:"by_month"`
	ByAgent   map[string]string `json:"by_agent"`
	ByProduct map[string]string `json:"by_product"`
}

type cycleDays struct {
	Overall  cycleStats            `json:"overall"`
	ByOffice map[string]cycleStats `json:"by_office"`
}

// cycleStats summarizes the days from engage_date to close_date of won
// deals; with none, it is the zero cycleStats.
type cycleStats struct {
	Count  int    `json:"count"`
	Median string `json:"median"`
	Mean   string `json:"mean"`
	Min    int64  `json:"min"`
	Max    int64  `json:"max"`
}

// MarshalJSON writes no won deals as {"count":0} alone, without
// statistics that a reader would take for deals won the day they were
// engaged, as quota.Durations does.
func (s cycleStats) MarshalJSON() ([]byte, error) {
	if s == (cycleStats{}) {
		return []byte(`{"count":0}`), nil
	}
	type plain cycleStats
	return sp.EncodeJSON(plain(s))
}

type officeEntry struct {
	TimeZone string   `json:"time_zone"`
	Managers []string `json:"managers"`
	Agents   int      `json:"agents"`
}

type agentEntry struct {
	Office  string `json:"office"`
	Manager string `json:"manager"`
	Deals   int    `json:"deals"`
}

// build computes the report from the loaded data set, with the quota
// calculators reading the deals from the store.
func build(ctx context.Context, ds *dataset, goal sp.Money, month string) (*report, error) {
	rep := &report{
		Data:     ds.Dir,
		Currency: currency,
		Deals: dealCounts{
			Total: ds.Deals, ByStage: ds.ByStage, Rows: ds.Rows, Skipped: ds.Rows - ds.Deals,
			ByOffice: map[string]map[string]int{},
		},
		WinRate: winRates{
			ByOffice: map[string]string{}, ByAgent: map[string]string{}, ByProduct: map[string]string{}, ByManager: map[string]string{},
			Closed: closedCounts{
				ByOffice: map[string]wonLost{}, ByAgent: map[string]wonLost{}, ByProduct: map[string]wonLost{}, ByManager: map[string]wonLost{},
			},
		},
		WonValue: wonValues{
			Total: "0", ByOffice: map[string]string{}, ByOfficeMonth: map[string]map[string]string{}, ByMonth: map[string]string{},
			ByAgent: map[string]string{}, ByProduct: map[string]string{},
		},
		CycleDays:          cycleDays{ByOffice: map[string]cycleStats{}},
		AgentsWithoutDeals: []string{},
		Offices:            map[string]officeEntry{},
		Agents:             map[string]agentEntry{},
		Products:           map[string]string{},
		Quirks:             ds.Quirks,
		Fixes:              ds.Fixes,
		Skipped:            ds.Skipped,
	}
	if rep.Fixes == nil {
		rep.Fixes = []fix{}
	}
	if rep.Skipped == nil {
		rep.Skipped = []skipped{}
	}
	for _, id := range ds.officeIDs() {
		o := ds.Offices[id]
		rep.Offices[o.Name] = officeEntry{TimeZone: o.Zone, Managers: o.Managers, Agents: len(o.Agents)}
		rep.WonValue.ByOffice[o.Name] = "0"
		rep.WonValue.ByOfficeMonth[o.Name] = map[string]string{}
		byStage := map[string]int{}
		for _, s := range stageOrder {
			byStage[s] = 0
		}
		rep.Deals.ByOffice[o.Name] = byStage
	}
	for _, p := range ds.Products {
		price := "" // a blank sales_price: unknown, not free
		if !p.Price.IsUnset() {
			price = money(p.Price)
		}
		rep.Products[p.Name] = price
	}

	// The deals, listed from the store once; the calculators read them in
	// place (quota.Refs).
	records := make([]pipeline.Deal, 0, ds.Deals)
	for d, err := range ds.Store.ListDeals(ctx, pipeline.DealFilter{}) {
		if err != nil {
			return nil, err
		}
		records = append(records, d)
	}

	// What the calculators do not give: deals per agent and office, and
	// the sales cycle in calendar days.
	dealsOf := map[sp.RepID]int{}
	days := map[sp.RegionID][]int64{}
	var all []int64
	for i := range records {
		d := &records[i]
		dealsOf[d.Owner]++
		rep.Deals.ByOffice[string(d.Region)][stageOf(d.Stage)]++
		if k, _ := ds.Def.Kind(d.Stage); k == pipeline.KindWon && !d.Created.IsZero() {
			n := calendarDays(d.Created, d.Closed)
			days[d.Region] = append(days[d.Region], n)
			all = append(all, n)
		}
	}
	rep.Quirks.AgentsWithoutDeals = 0
	for id, a := range ds.Agents {
		rep.Agents[a.Name] = agentEntry{Office: string(a.Region), Manager: a.Manager, Deals: dealsOf[id]}
		if dealsOf[id] == 0 {
			rep.AgentsWithoutDeals = append(rep.AgentsWithoutDeals, a.Name)
			rep.Quirks.AgentsWithoutDeals++
		}
	}
	slices.Sort(rep.AgentsWithoutDeals)
	rep.CycleDays.Overall = summarizeDays(all)
	for _, id := range ds.officeIDs() {
		rep.CycleDays.ByOffice[string(id)] = summarizeDays(days[id])
	}

	if ds.Earliest.IsZero() {
		rep.WinRate.Overall = rateString(quota.Rate{})
	} else if err := winRatesAndValues(ds, records, rep); err != nil {
		return nil, err
	}
	if !goal.IsUnset() {
		var err error
		if rep.Attainment, err = attain(ds, records, dealsOf, goal); err != nil {
			return nil, err
		}
	}
	if month == "" && !ds.Latest.IsZero() {
		month = ds.Latest.Format("2006-01") // the month of the last close, in its office's zone
	}
	if month != "" {
		var err error
		if rep.Review, err = reviewMonth(ctx, ds, records, dealsOf, goal, month); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// closedPeriod returns the span of the close dates of the data, which the
// calculators take as their period.
func closedPeriod(ds *dataset) (sp.Period, error) {
	return sp.NewPeriod(ds.Earliest.UTC(), ds.Latest.UTC().Add(time.Nanosecond))
}

// winRatesAndValues fills in the win rates and the won values with
// quota.WinRates, grouped by office, agent, product, manager, and office
// and month.
func winRatesAndValues(ds *dataset, records []pipeline.Deal, rep *report) error {
	period, err := closedPeriod(ds)
	if err != nil {
		return err
	}
	opts := &quota.Options{Outcome: quota.OutcomeBy(ds.Def), Location: ds.location, Places: places}
	managerOf := func(d *pipeline.Deal) string {
		if a := ds.Agents[d.Owner]; a != nil {
			return a.Manager
		}
		return ""
	}
	groupings := []struct {
		name string
		by   quota.Grouping
	}{
		{"office", quota.Grouping{Region: true}},
		{"agent", quota.Grouping{Rep: true}},
		{"product", quota.Grouping{Product: true}},
		{"manager", quota.Grouping{Deal: managerOf}},
		{"office_month", quota.Grouping{Region: true, Month: true}},
		{"month", quota.Grouping{Month: true}},
	}
	// Grouped by month alone, a month is a period in each office's zone:
	// the same calendar month of two offices is two groups, summed here.
	byMonth := map[string]*sp.Accumulator{}
	for _, g := range groupings {
		r, err := quota.WinRates(quota.Refs(records), period, g.by, opts)
		if err != nil {
			return err
		}
		for _, grp := range r.Groups {
			k, rate, counts, value := grp.Key, rateString(grp.WinRate.Rate), wonLost{grp.Won, grp.Lost}, money(grp.WonAmount)
			switch g.name {
			case "office":
				rep.WinRate.ByOffice[string(k.Region)] = rate
				rep.WinRate.Closed.ByOffice[string(k.Region)] = counts
				rep.WonValue.ByOffice[string(k.Region)] = value
			case "agent":
				rep.WinRate.ByAgent[string(k.Rep)] = rate
				rep.WinRate.Closed.ByAgent[string(k.Rep)] = counts
				rep.WonValue.ByAgent[string(k.Rep)] = value
			case "product":
				rep.WinRate.ByProduct[string(k.Product)] = rate
				rep.WinRate.Closed.ByProduct[string(k.Product)] = counts
				rep.WonValue.ByProduct[string(k.Product)] = value
			case "manager":
				rep.WinRate.ByManager[k.Custom] = rate
				rep.WinRate.Closed.ByManager[k.Custom] = counts
			case "office_month":
				if grp.Won > 0 {
					rep.WonValue.ByOfficeMonth[string(k.Region)][monthKey(k.Month)] = value
				}
			case "month":
				if grp.Won == 0 {
					continue
				}
				acc := byMonth[monthKey(k.Month)]
				if acc == nil {
					a := sp.NewAccumulator(currency)
					acc = &a
					byMonth[monthKey(k.Month)] = acc
				}
				if err := acc.Add(grp.WonAmount); err != nil {
					return err
				}
			}
		}
		if g.name == "office" {
			rep.WinRate.Overall = rateString(r.Total.WinRate.Rate)
			rep.WinRate.Closed.Overall = wonLost{r.Total.Won, r.Total.Lost}
			rep.WonValue.Total = money(r.Total.WonAmount)
		}
	}
	for m, acc := range byMonth {
		rep.WonValue.ByMonth[m] = money(acc.Total())
	}
	return nil
}

// calendarDays returns the number of calendar days from the date of from
// to the date of to, each in its own location: a change of clocks in
// between does not make a day of 23 or 25 hours count otherwise.
func calendarDays(from, to time.Time) int64 {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	a := time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC)
	b := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	return int64(b.Sub(a) / (24 * time.Hour))
}

// summarizeDays returns the count, median (the mean of the middle two for
// an even count), mean (rounded half-up to four places) and extremes of
// days, which it sorts.
func summarizeDays(days []int64) cycleStats {
	if len(days) == 0 {
		return cycleStats{}
	}
	st := cycleStats{Count: len(days)}
	slices.Sort(days)
	n := len(days)
	var sum int64
	for _, d := range days {
		sum += d
	}
	mid := sp.Fraction{Num: days[n/2], Den: 1}
	if n%2 == 0 {
		mid = sp.Fraction{Num: days[n/2-1] + days[n/2], Den: 2}
	}
	st.Median = mid.Decimal(1).String()
	st.Mean = sp.Fraction{Num: sum, Den: int64(n)}.Decimal(places).StringFixed(places)
	st.Min, st.Max = days[0], days[n-1]
	return st
}

// rateString renders a rate as a decimal rounded half-up to four places,
// "0.0000" for no data.
func rateString(r quota.Rate) string { return r.Decimal(places).StringFixed(places) }

// money renders an amount in the data's units: "4514", "4514.5"; "0" for
// the zero Money (nothing won).
func money(m sp.Money) string {
	if m.IsUnset() {
		return "0"
	}
	return m.Amount().String()
}

// monthKey renders a month as "2017-03".
func monthKey(p sp.Period) string { return p.Start().Format("2006-01") }

// attainment is the review of the reps' monthly goals.
type attainment struct {
	Goal   string   `json:"goal"` // per rep per month, in the data's units
	AsOf   string   `json:"as_of"`
	Months []string `json:"months"`
	// ByAgent has, per agent and month, the won value against the goal.
	ByAgent map[string]map[string]attained `json:"by_agent"`
	// MetByMonth counts, per month, the reps who met their goal.
	MetByMonth map[string]metCount `json:"met_by_month"`
	// Note says what was left out, if anything.
	Note string `json:"note,omitempty"`
}

// maxMonths is the most months the attainment covers: the last ones, when
// the closes span more.
const maxMonths = 120

type attained struct {
	Won     string       `json:"won"`
	Percent string       `json:"percent"` // of the goal, rounded half-up to two places
	WinRate string       `json:"win_rate"`
	Status  quota.Status `json:"status"`
}

type metCount struct {
	Met  int `json:"met"`
	Reps int `json:"reps"`
}

// monthGoals returns goal as the revenue goal of every agent with deals
// for the month of year, in the agent's office's time zone, by agent.
// dealsOf counts the deals of each agent.
func monthGoals(ds *dataset, dealsOf map[sp.RepID]int, goal sp.Money, year int, month time.Month) []quota.Goal {
	var goals []quota.Goal
	for _, id := range slices.Sorted(maps.Keys(ds.Agents)) {
		if dealsOf[id] == 0 {
			continue
		}
		a := ds.Agents[id]
		p := ds.Offices[a.Region].Month(year, month)
		goals = append(goals, quota.Goal{Rep: id, Region: a.Region, Period: p, Revenue: goal})
	}
	return goals
}

// attain sets goal as the monthly goal of every agent with deals, for each
// month from the first close to the last, each in the agent's office's
// time zone, and measures it with quota.Attain at the end of the last
// month.
func attain(ds *dataset, records []pipeline.Deal, dealsOf map[sp.RepID]int, goal sp.Money) (*attainment, error) {
	out := &attainment{
		Goal: money(goal), Months: []string{},
		ByAgent: map[string]map[string]attained{}, MetByMonth: map[string]metCount{},
	}
	if ds.Earliest.IsZero() {
		out.Note = "no deal has closed, so no month has goals"
		return out, nil
	}
	// Months by calendar, from the first close month to the last, each
	// close's month read on its office's clock: the latest close instant
	// need not be in the latest month, when offices are in several zones.
	first, last := math.MaxInt, math.MinInt // year*12 + month-1
	for i := range records {
		if c := records[i].Closed; !c.IsZero() {
			k := c.Year()*12 + int(c.Month()) - 1
			first, last = min(first, k), max(last, k)
		}
	}
	var months []time.Time
	for k := first; k <= last; k++ {
		months = append(months, time.Date(k/12, time.Month(k%12+1), 1, 0, 0, 0, 0, time.UTC))
	}
	if len(months) > maxMonths {
		out.Note = fmt.Sprintf("the closes span %d months; goals are set for the last %d", len(months), maxMonths)
		months = months[len(months)-maxMonths:]
	}
	for _, m := range months {
		out.Months = append(out.Months, m.Format("2006-01"))
		out.MetByMonth[m.Format("2006-01")] = metCount{}
	}
	var goals []quota.Goal
	var asOf time.Time
	for _, m := range months {
		for _, g := range monthGoals(ds, dealsOf, goal, m.Year(), m.Month()) {
			goals = append(goals, g)
			if g.Period.End().After(asOf) {
				asOf = g.Period.End()
			}
		}
	}
	out.AsOf = asOf.UTC().Format(time.RFC3339)
	res, err := quota.Attain(goals, quota.Refs(records), asOf, &quota.Options{Outcome: quota.OutcomeBy(ds.Def), Location: ds.location})
	if err != nil {
		return nil, fmt.Errorf("attainment: %w", err)
	}
	for _, at := range res {
		name := string(at.Goal.Rep)
		month := monthKey(at.Goal.Period)
		if out.ByAgent[name] == nil {
			out.ByAgent[name] = map[string]attained{}
		}
		out.ByAgent[name][month] = attained{
			Won:     money(at.Attained.Money),
			Percent: at.Percent.StringFixed(2),
			WinRate: rateString(at.WinRate),
			Status:  at.Status,
		}
		c := out.MetByMonth[month]
		c.Reps++
		if at.Status == quota.StatusMet {
			c.Met++
		}
		out.MetByMonth[month] = c
	}
	return out, nil
}
