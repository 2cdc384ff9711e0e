package review_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// diffMonth is a random month of sales for the differential test.
type diffMonth struct {
	period    sp.Period
	asOf      time.Time
	deals     []pipeline.Deal
	inquiries []pipeline.Inquiry
	splits    map[sp.DealID][]quota.Split
	goals     []quota.Goal
}

// newDiffMonth makes a month from seed: regions and the period in zones
// with daylight saving time (at midnight, too), reps who work in other
// regions, records on the bounds of the month in several zones, reopened
// deals, split credit, inquiries converted by either link (several to one
// deal, some without an ID), contacted or disqualified, repeated.
func newDiffMonth(t *testing.T, seed uint64) *diffMonth {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	var zones []*time.Location
	for _, name := range []string{"America/Chicago", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago", "Asia/Beirut", "UTC"} {
		zones = append(zones, location(t, name))
	}
	home := zones[r.IntN(len(zones))]
	m := &diffMonth{splits: map[sp.DealID][]quota.Split{}}
	year, month := 2015+r.IntN(11), time.Month(1+r.IntN(12))
	m.period = sp.Month(year, month, home)
	start, end := m.period.Start(), m.period.End()
	span := end.Sub(start)
	m.asOf = start.Add(time.Duration(r.Int64N(int64(span))))
	if r.IntN(3) == 0 {
		m.asOf = end
	}
	when := func() time.Time {
		switch r.IntN(8) {
		case 0:
			return []time.Time{start, end, end.Add(-1), start.Add(-1), m.asOf}[r.IntN(5)]
		case 1:
			b := sp.Month(year, month+time.Month(r.IntN(2)), zones[r.IntN(len(zones))]).Start()
			return b.Add(time.Duration(r.IntN(3) - 1))
		}
		return start.Add(-20*24*time.Hour + time.Duration(r.Int64N(int64(span+30*24*time.Hour))))
	}
	amount := func() sp.Money {
		a, err := sp.NewMoney(decimal.New(r.Int64N(5_000_000)+1, -2-int32(r.IntN(2))), "EUR")
		require.NoError(t, err)
		return a
	}
	reps := []sp.RepID{"ann", "bob", "cid", "dee"}
	regions := []sp.RegionID{"north", "south", "east"}
	products := []sp.ProductID{"p1", "p2"}
	for i := range 10 + r.IntN(30) {
		in := pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i%03d", i)), Channel: "web", Region: regions[r.IntN(len(regions))],
			Product: products[r.IntN(len(products))], Customer: "c", Owner: reps[r.IntN(len(reps))], Received: when(), Stage: pipeline.InquiryNew}
		at := in.Received.Add(time.Duration(r.Int64N(int64(5*24*time.Hour))) - time.Hour)
		switch r.IntN(4) {
		case 0:
			in.Stage = pipeline.InquiryContacted
			in.History = []pipeline.Transition[pipeline.InquiryStage]{{From: pipeline.InquiryNew, To: in.Stage, At: at}}
		case 1:
			in.Stage, in.DisqualifyReason = pipeline.InquiryDisqualified, "spam"
			in.History = []pipeline.Transition[pipeline.InquiryStage]{{From: pipeline.InquiryNew, To: in.Stage, At: at}}
		}
		if r.IntN(2) == 0 {
			in.Activities = []pipeline.Activity{{Kind: pipeline.ActivityCall, Done: in.Received.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))}}
		}
		switch n := len(m.inquiries); r.IntN(12) {
		case 0:
			in.ID = ""
		case 1:
			if n > 0 {
				in.ID = m.inquiries[r.IntN(n)].ID // a repeat
			}
		}
		m.inquiries = append(m.inquiries, in)
	}
	stages := []pipeline.DealStage{pipeline.DealProspecting, pipeline.DealProposal, pipeline.DealNegotiation, pipeline.DealWon, pipeline.DealLost}
	for i := range 10 + r.IntN(40) {
		d := pipeline.Deal{ID: sp.DealID(fmt.Sprintf("d%03d", i)), Owner: reps[r.IntN(len(reps))], Region: regions[r.IntN(len(regions))],
			Customer: "c", Product: products[r.IntN(len(products))], Amount: amount(), Created: when(), Stage: pipeline.DealProspecting}
		at := d.Created
		for range r.IntN(5) { // a history, maybe closed and reopened
			if next := stages[r.IntN(len(stages))]; next != d.Stage {
				at = at.Add(time.Duration(r.Int64N(int64(10 * 24 * time.Hour))))
				d.History = append(d.History, pipeline.Transition[pipeline.DealStage]{From: d.Stage, To: next, At: at})
				d.Stage = next
			}
		}
		switch d.Stage {
		case pipeline.DealWon, pipeline.DealLost:
			d.Closed, d.Probability = when(), decimal.New(1, 0)
			if d.Stage == pipeline.DealLost {
				d.Probability, d.Loss = decimal.Zero, &pipeline.LossReason{Category: pipeline.LossPrice, Detail: "x"}
			}
		default:
			d.Probability = decimal.New(r.Int64N(101), -2)
			if r.IntN(8) == 0 {
				d.Amount = sp.Money{}
			}
			if r.IntN(3) > 0 {
				d.ExpectedClose = when()
			}
		}
		if len(m.inquiries) > 0 && r.IntN(2) == 0 {
			in := &m.inquiries[r.IntN(len(m.inquiries))]
			switch r.IntN(3) {
			case 0:
				d.Inquiry = in.ID
			case 1:
				in.Deal = d.ID
			default:
				d.Inquiry, in.Deal = in.ID, d.ID
			}
			if r.IntN(4) == 0 {
				m.inquiries[r.IntN(len(m.inquiries))].Deal = d.ID
			}
		}
		if a, b := reps[r.IntN(len(reps))], reps[r.IntN(len(reps))]; r.IntN(4) == 0 && a != b {
			p := decimal.New(r.Int64N(9999)+1, -2)
			m.splits[d.ID] = []quota.Split{{Rep: a, Percent: p}, {Rep: b, Percent: decimal.New(100, 0).Sub(p)}}
		}
		m.deals = append(m.deals, d)
	}
	for i, rep := range reps {
		g := quota.Goal{Rep: rep, Period: m.period, Revenue: amount()}
		if i%2 == 1 {
			g = quota.Goal{Rep: rep, Product: "p1", Period: m.period, Deals: int64(1 + r.IntN(4))}
		}
		m.goals = append(m.goals, g)
	}
	for _, reg := range regions {
		m.goals = append(m.goals, quota.Goal{Region: reg, Period: sp.Month(year, month, zones[r.IntN(len(zones))]), Deals: int64(1 + r.IntN(4))})
	}
	m.goals = append(m.goals, quota.Goal{Period: m.period, Revenue: amount()})
	return m
}

// A review's figures agree with package quota's calculators called
// directly on the same random months: the rows' won and lost deals, won
// amounts and win rates with quota.WinRates, their inquiries and
// conversions with quota.CohortConversion, their first responses with
// quota.FirstResponse (all over the period up to the as-of time), and the
// goal rows with quota.Attain and quota.Forecast.
func TestSnapshotAgreesWithQuota(t *testing.T) {
	for seed := range uint64(30) {
		m := newDiffMonth(t, seed)
		opts := &quota.Options{}
		switch seed % 3 {
		case 1:
			opts.Splits = func(d *pipeline.Deal) []quota.Split { return m.splits[d.ID] }
		case 2:
			opts.Calendar = quota.Weekdays()
			opts.Thresholds = quota.Thresholds{OnPace: decimal.RequireFromString("0.9")}
		}
		rv, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(m.asOf), Quota: opts})
		require.NoError(t, err)
		rep, err := rv.Review(context.Background(), review.Input{Period: m.period, AsOf: m.asOf,
			Deals: quota.Refs(m.deals), Inquiries: quota.Refs(m.inquiries), Goals: m.goals})
		require.NoError(t, err, "seed %d", seed)
		s := rep.Snapshot

		// The period up to the as-of time, that time included; the
		// inquiries received by then, each ID once, as a review reads them.
		end := m.period.End()
		if m.asOf.Before(end) {
			end = m.asOf.Add(time.Nanosecond)
		}
		cut, err := sp.NewPeriod(m.period.Start(), end)
		require.NoError(t, err)
		var ins []pipeline.Inquiry
		seen := map[sp.InquiryID]bool{}
		for _, in := range m.inquiries {
			if cut.Contains(in.Received) && (in.ID == "" || !seen[in.ID]) {
				seen[in.ID] = true
				ins = append(ins, in)
			}
		}
		figures := func(by quota.Grouping, rows map[quota.Key]review.Figures, follow map[quota.Key]review.FollowUp) {
			wr, err := quota.WinRates(quota.Refs(m.deals), cut, by, opts)
			require.NoError(t, err)
			cc, err := quota.CohortConversion(quota.Refs(ins), quota.Refs(m.deals), cut, m.asOf, by, opts)
			require.NoError(t, err)
			fr, err := quota.FirstResponse(quota.Refs(ins), cut, m.asOf, by, opts)
			require.NoError(t, err)
			for _, g := range wr.Groups {
				f := rows[g.Key]
				assert.Equal(t, g.Won, f.Won, "seed %d %v won", seed, g.Key)
				assert.Equal(t, g.Lost, f.Lost, "seed %d %v lost", seed, g.Key)
				assert.Equal(t, g.WonAmount.String(), f.WonAmount.String(), "seed %d %v won amount", seed, g.Key)
				if !by.Product || !by.Rep { // the rows of deals are the groups: the same prior
					assert.Equal(t, estimateText(g.WinRate), estimateText(f.WinRate), "seed %d %v win rate", seed, g.Key)
				}
			}
			for _, g := range cc.Groups {
				assert.Equal(t, g.Inquiries, rows[g.Key].Inquiries, "seed %d %v inquiries", seed, g.Key)
				assert.Equal(t, g.Won, rows[g.Key].Converted, "seed %d %v converted", seed, g.Key)
			}
			for _, g := range fr.Groups {
				if f, ok := follow[g.Key]; ok {
					assert.Equal(t, g.Durations, f.FirstResponse, "seed %d %v first response", seed, g.Key)
					assert.Equal(t, g.Pending, f.Pending, "seed %d %v pending", seed, g.Key)
				}
			}
			if by.Rep && !by.Product {
				assert.Equal(t, wr.Total.Won, s.Team.Won, "seed %d team won", seed)
				assert.Equal(t, wr.Total.Lost, s.Team.Lost, "seed %d team lost", seed)
				assert.Equal(t, cc.Total.Inquiries, s.Team.Inquiries, "seed %d team inquiries", seed)
				assert.Equal(t, cc.Total.Won, s.Team.Converted, "seed %d team converted", seed)
				assert.Equal(t, fr.Total.Durations, s.Team.FollowUp.FirstResponse, "seed %d team first response", seed)
			}
		}
		reps, repFollow := map[quota.Key]review.Figures{}, map[quota.Key]review.FollowUp{}
		for _, r := range s.Reps {
			reps[quota.Key{Rep: r.Rep}], repFollow[quota.Key{Rep: r.Rep}] = r.Figures, r.FollowUp
		}
		figures(quota.Grouping{Rep: true}, reps, repFollow)
		regions, regionFollow := map[quota.Key]review.Figures{}, map[quota.Key]review.FollowUp{}
		for _, r := range s.Regions {
			regions[quota.Key{Region: r.Region}], regionFollow[quota.Key{Region: r.Region}] = r.Figures, r.FollowUp
		}
		figures(quota.Grouping{Region: true}, regions, regionFollow)
		products := map[quota.Key]review.Figures{}
		for _, r := range s.Products {
			products[quota.Key{Product: r.Product}] = r.Figures
		}
		figures(quota.Grouping{Product: true}, products, nil)
		cells := map[quota.Key]review.Figures{}
		for _, r := range s.Cells {
			cells[quota.Key{Rep: r.Rep, Product: r.Product}] = r.Figures
		}
		figures(quota.Grouping{Rep: true, Product: true}, cells, nil)

		// Goals: attainment of all deals, the forecast of those that
		// existed at the as-of time.
		att, err := quota.Attain(m.goals, quota.Refs(m.deals), m.asOf, opts)
		require.NoError(t, err)
		var existed []pipeline.Deal
		for _, d := range m.deals {
			if !d.Created.After(m.asOf) || !d.Closed.IsZero() && !d.Closed.After(m.asOf) {
				existed = append(existed, d)
			}
		}
		fc, err := quota.Forecast(m.goals, quota.Refs(existed), m.asOf, opts)
		require.NoError(t, err)
		require.Len(t, s.Goals, len(m.goals))
		for _, row := range s.Goals {
			i := -1
			for j, g := range m.goals {
				if g.String() == row.Goal.String() {
					i = j
				}
			}
			require.GreaterOrEqual(t, i, 0, "seed %d goal %v", seed, row.Goal)
			a, o := att[i], fc[i]
			assert.Equal(t, a.Attained.String(), row.Booked.String(), "seed %d %v booked", seed, row.Goal)
			assert.Equal(t, a.Gap.String(), row.Gap.String(), "seed %d %v gap", seed, row.Goal)
			assert.Equal(t, a.Percent.String(), row.Percent.String(), "seed %d %v percent", seed, row.Goal)
			assert.Equal(t, a.Elapsed, row.Elapsed, "seed %d %v elapsed", seed, row.Goal)
			assert.Equal(t, a.Status, row.Status, "seed %d %v status", seed, row.Goal)
			assert.Equal(t, o.Booked.String(), row.Booked.String(), "seed %d %v forecast booked", seed, row.Goal)
			assert.Equal(t, o.Open, row.Open, "seed %d %v open", seed, row.Goal)
			assert.Equal(t, o.Pipeline.String(), row.Pipeline.String(), "seed %d %v pipeline", seed, row.Goal)
			assert.Equal(t, o.Weighted.String(), row.Weighted.String(), "seed %d %v weighted", seed, row.Goal)
			assert.Equal(t, o.Chance.Method, row.Method, "seed %d %v method", seed, row.Goal)
			assert.Equal(t, o.Chance.Shortfall.String(), row.Shortfall.String(), "seed %d %v shortfall", seed, row.Goal)
		}
	}
}

// estimateText writes out a rate estimate for comparison.
func estimateText(e quota.RateEstimate) string {
	return fmt.Sprintf("%s %s %v %v", e.Rate, e.Value, e.Wilson, e.Shrunk)
}
