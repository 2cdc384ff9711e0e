package quota_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// yearData is a year of inquiries and the deals some of them became, as
// records with their histories and activities: the input of the
// calculators that read more than a deal's outcome (conversion, funnel,
// cycles, first response).
type yearData struct {
	inquiries []pipeline.Inquiry
	deals     []pipeline.Deal
}

var (
	yearOnce sync.Once
	yearSet  *yearData
)

// benchYear returns the shared data set: 200,000 inquiries of 2026 from
// 8 channels across 100 reps, 80 % of them answered by a call, 30 %
// converted to deals, of which 40 % are won, 40 % lost and the rest open,
// each deal with the history of the stages it went through.
func benchYear() *yearData {
	yearOnce.Do(func() {
		const n = 200_000
		r := rand.New(rand.NewPCG(2026, 12))
		reps := benchReps(100)
		channels := []sp.ChannelID{"field", "phone", "online", "retail", "partner", "fair", "mail", "referral"}
		open := []pipeline.DealStage{pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		f := &yearData{inquiries: make([]pipeline.Inquiry, n)}
		for i := range f.inquiries {
			in := &f.inquiries[i]
			in.ID = sp.InquiryID(fmt.Sprintf("inq-%06d", i))
			in.Channel = channels[r.IntN(len(channels))]
			in.Owner = reps[r.IntN(len(reps))]
			in.Product = benchProducts[r.IntN(len(benchProducts))]
			in.Received = start.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
			in.Stage = pipeline.InquiryNew
			if r.IntN(10) < 8 {
				in.Stage = pipeline.InquiryContacted
				in.Activities = []pipeline.Activity{{ID: "a1", Kind: pipeline.ActivityCall, Actor: sp.ActorID(in.Owner),
					Done: in.Received.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))}}
			}
			if r.IntN(10) >= 3 {
				continue
			}
			in.Stage = pipeline.InquiryConverted
			d := pipeline.Deal{
				ID: sp.DealID(fmt.Sprintf("deal-%06d", i)), Inquiry: in.ID, Owner: in.Owner, Product: in.Product,
				Channel: in.Channel, Amount: cents(r.Int64N(10_000_000) + 100),
				Created: in.Received.Add(time.Duration(r.Int64N(int64(96 * time.Hour)))),
			}
			in.Deal = d.ID
			at, from := d.Created, pipeline.DealStage("")
			reached := 1 + r.IntN(len(open))
			for _, st := range open[:reached] {
				d.History = append(d.History, pipeline.Transition[pipeline.DealStage]{From: from, To: st, At: at})
				from, at = st, at.Add(time.Duration(r.Int64N(int64(20*24*time.Hour))))
			}
			d.Stage = from
			switch x := r.IntN(10); {
			case x < 4:
				d.Stage = pipeline.DealWon
			case x < 8:
				d.Stage = pipeline.DealLost
			}
			if d.Stage != from {
				d.History = append(d.History, pipeline.Transition[pipeline.DealStage]{From: from, To: d.Stage, At: at})
				d.Closed = at
			}
			f.deals = append(f.deals, d)
		}
		yearSet = f
	})
	return yearSet
}

// tally is what the year's data holds, for the totals the calculators
// must report: the deals won (ever, and closed within the year) and lost
// within it, the deals created in it, and the inquiries answered.
type tally struct {
	won, wonInYear, lostInYear, created, answered int64
}

func (f *yearData) tally(year sp.Period) tally {
	var t tally
	for _, d := range f.deals {
		if year.Contains(d.Created) {
			t.created++
		}
		switch {
		case d.Stage == pipeline.DealWon:
			t.won++
			if year.Contains(d.Closed) {
				t.wonInYear++
			}
		case d.Stage == pipeline.DealLost && year.Contains(d.Closed):
			t.lostInYear++
		}
	}
	for _, in := range f.inquiries {
		if len(in.Activities) > 0 {
			t.answered++
		}
	}
	return t
}

// calc is one calculator run over the year's data: it reads records
// records, and its report's totals must be want. They are checked before
// the timing, so that a benchmark times the computation it names.
type calc struct {
	name    string
	records int
	run     func() (any, error)
	total   func(report any) [2]int64
	want    [2]int64
}

// benchCalcs runs each calculator of cs as a sub-benchmark, reporting the
// time per record read.
func benchCalcs(b *testing.B, cs []calc) {
	for _, c := range cs {
		out, err := c.run()
		if err != nil {
			b.Fatal(err)
		}
		if got := c.total(out); got != c.want {
			b.Fatalf("%s: totals %v, want %v", c.name, got, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				out, err := c.run()
				if err != nil {
					b.Fatal(err)
				}
				benchSink = out
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.records), "ns/record")
		})
	}
}

// later is an as-of time by which every deal of the year's inquiries has
// closed and every inquiry has been answered, if it ever was.
var later = time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkConversion is the conversion of a year's inquiries, by both
// definitions, grouped by rep and by channel: 200,000 inquiries and the
// 60,000 deals they became.
func BenchmarkConversion(b *testing.B) {
	f := benchYear()
	year := sp.Year(2026, nil)
	t := f.tally(year)
	n := len(f.inquiries) + len(f.deals)
	total := func(r any) [2]int64 { t := r.(quota.ConversionReport).Total; return [2]int64{t.Inquiries, t.Won} }
	var cs []calc
	for _, by := range []struct {
		name string
		by   quota.Grouping
	}{{"rep", quota.Grouping{Rep: true}}, {"channel", quota.Grouping{Channel: true}}} {
		cs = append(cs,
			calc{"cohort/" + by.name, n, func() (any, error) {
				return quota.CohortConversion(quota.Refs(f.inquiries), quota.Refs(f.deals), year, later, by.by, nil)
			}, total, [2]int64{int64(len(f.inquiries)), t.won}},
			calc{"period/" + by.name, n, func() (any, error) {
				return quota.PeriodConversion(quota.Refs(f.inquiries), quota.Refs(f.deals), year, by.by, nil)
			}, total, [2]int64{int64(len(f.inquiries)), t.wonInYear}})
	}
	benchCalcs(b, cs)
}

// BenchmarkDealMetrics is the calculators that read a year's 60,000 deals
// with their histories, grouped by rep: the stage-to-stage funnel, the
// sales cycle, the velocity and the win rates.
func BenchmarkDealMetrics(b *testing.B) {
	f := benchYear()
	year := sp.Year(2026, nil)
	t := f.tally(year)
	n := len(f.deals)
	by := quota.Grouping{Rep: true}
	benchCalcs(b, []calc{
		{"funnel", n, func() (any, error) { return quota.Funnel(quota.Refs(f.deals), year, by, nil) },
			func(r any) [2]int64 { return [2]int64{r.(quota.FunnelReport).Total.Deals} }, [2]int64{t.created}},
		{"cycle", n, func() (any, error) { return quota.SalesCycle(quota.Refs(f.deals), year, by, nil) },
			func(r any) [2]int64 { return [2]int64{r.(quota.CycleReport).Total.Durations.Count} }, [2]int64{t.wonInYear}},
		{"velocity", n, func() (any, error) { return quota.Velocity(quota.Refs(f.deals), year, by, nil) },
			func(r any) [2]int64 { t := r.(quota.VelocityReport).Total; return [2]int64{t.Won, t.Lost} },
			[2]int64{t.wonInYear, t.lostInYear}},
		{"win_rates", n, func() (any, error) { return quota.WinRates(quota.Refs(f.deals), year, by, nil) },
			func(r any) [2]int64 { t := r.(quota.WinRateReport).Total; return [2]int64{t.Won, t.Lost} },
			[2]int64{t.wonInYear, t.lostInYear}},
	})
}

// BenchmarkInquiryTimes is the times of a year's inquiries, grouped by
// rep: from receipt to the first response (200,000 inquiries; also not
// grouped), and to the won deal (and the 60,000 deals).
func BenchmarkInquiryTimes(b *testing.B) {
	f := benchYear()
	year := sp.Year(2026, nil)
	t := f.tally(year)
	by := quota.Grouping{Rep: true}
	count := func(r any) [2]int64 { t := r.(quota.CycleReport).Total; return [2]int64{t.Durations.Count, t.Pending} }
	benchCalcs(b, []calc{
		{"first_response", len(f.inquiries), func() (any, error) {
			return quota.FirstResponse(quota.Refs(f.inquiries), year, later, by, nil)
		}, count, [2]int64{t.answered, int64(len(f.inquiries)) - t.answered}},
		{"first_response_ungrouped", len(f.inquiries), func() (any, error) {
			return quota.FirstResponse(quota.Refs(f.inquiries), year, later, quota.Grouping{}, nil)
		}, count, [2]int64{t.answered, int64(len(f.inquiries)) - t.answered}},
		{"time_to_convert", len(f.inquiries) + len(f.deals), func() (any, error) {
			return quota.TimeToConvert(quota.Refs(f.inquiries), quota.Refs(f.deals), year, later, by, nil)
		}, count, [2]int64{t.won, int64(len(f.inquiries)) - t.won}},
	})
}

// BenchmarkGoalArithmetic is the exact goal arithmetic a host runs per
// rep and per deal: a yearly goal spread over months by weights, a monthly
// goal prorated for a rep hired on the 11th, and a deal's amount credited
// to three reps.
func BenchmarkGoalArithmetic(b *testing.B) {
	yearly := quota.Goal{Rep: "rep-001", Period: sp.Year(2026, nil), Revenue: eur("1234567.89")}
	weights := make([]decimal.Decimal, 12)
	for i := range weights {
		weights[i] = decimal.New(int64(7+i%5), 0)
	}
	benchResult(b, "spread", func() ([]quota.Goal, error) { return quota.Spread(yearly, weights) })
	month := sp.Month(2026, time.November, nil)
	monthly := quota.Goal{Rep: "rep-001", Period: month, Revenue: eur("102880.66")}
	hired, err := sp.NewPeriod(time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), month.End())
	if err != nil {
		b.Fatal(err)
	}
	benchResult(b, "prorate", func() ([]quota.Goal, error) { return quota.Prorate(monthly, hired) })
	splits := []quota.Split{{Rep: "rep-001", Percent: decimal.New(50, 0)}, {Rep: "rep-002", Percent: decimal.New(3333, -2)}, {Rep: "rep-003", Percent: decimal.New(1667, -2)}}
	amount := eur("10000.01")
	benchResult(b, "credits", func() ([]quota.Credit, error) { return quota.Credits(amount, splits) })
}

// benchResult runs run as the sub-benchmark name, once first so that an
// error fails it rather than timing the error's path.
func benchResult[T any](b *testing.B, name string, run func() (T, error)) {
	b.Helper()
	if _, err := run(); err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		var out T
		for range b.N {
			var err error
			if out, err = run(); err != nil {
				b.Fatal(err)
			}
		}
		benchSink = out
	})
}

// BenchmarkAttainSplits is the attainment of benchmark (a) with split
// credit: a third of the million deals (by their close time) are split
// 60/40 between their owner and the next rep, by splits the host keeps per
// rep. Before the timing, each rep's attained amount must be what its
// credits sum to, with decimal.Add into a map, and the reps' amounts must
// sum to the won amount, as the same pass without splits gives it.
func BenchmarkAttainSplits(b *testing.B) {
	c := benchDeals()
	goals := benchGoals(c)
	asOf := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	byRep := map[sp.RepID][]quota.Split{}
	for i, r := range c.reps {
		byRep[r] = []quota.Split{{Rep: r, Percent: decimal.New(60, 0)}, {Rep: c.reps[(i+1)%len(c.reps)], Percent: decimal.New(40, 0)}}
	}
	splits := func(d *pipeline.Deal) []quota.Split {
		if d.Closed.Unix()%3 != 0 {
			return nil
		}
		return byRep[d.Owner]
	}
	opts := &quota.Options{Splits: splits}
	total := func(as []quota.Attainment) sp.Money {
		ms := make([]sp.Money, len(as))
		for i, a := range as {
			ms[i] = a.Attained.Money
		}
		sum, err := sp.Sum("EUR", slices.Values(ms))
		if err != nil {
			b.Fatal(err)
		}
		return sum
	}
	whole, err := quota.Attain(goals, c.cursor(), asOf, nil)
	if err != nil {
		b.Fatal(err)
	}
	split, err := quota.Attain(goals, c.cursor(), asOf, opts)
	if err != nil {
		b.Fatal(err)
	}
	if w, s := total(whole), total(split); !s.Equal(w) {
		b.Fatalf("split credit sums to %s, the deals to %s", s, w)
	}
	want := map[sp.RepID]decimal.Decimal{}
	for d := range c.cursor() {
		if d.Stage != pipeline.DealWon || !goals[0].Period.Contains(d.Closed) {
			continue
		}
		s := splits(d)
		if s == nil {
			want[d.Owner] = want[d.Owner].Add(d.Amount.Amount())
			continue
		}
		credits, err := quota.Credits(d.Amount, s)
		if err != nil {
			b.Fatal(err)
		}
		for _, cr := range credits {
			want[cr.Rep] = want[cr.Rep].Add(cr.Amount.Amount())
		}
	}
	for i, a := range split {
		if got, w := a.Attained.Money.Amount(), want[a.Goal.Rep]; !got.Equal(w) || got.Equal(whole[i].Attained.Money.Amount()) {
			b.Fatalf("%s: attained %s with split credit, %s without; its credits sum to %s", a.Goal.Rep, got, whole[i].Attained, w)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		out, err := quota.Attain(goals, c.cursor(), asOf, opts)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = out
	}
}

// BenchmarkAttainManyGoals is the attainment of 10 reps, each with a
// monthly goal for 10 and for 100 years (120 and 1,200 goals a rep), over
// 100,000 deals closed in those years, won or lost, and the forecast of
// the same goals in the last month from the deals open, then overdue but
// for a few: a deal is checked against the goals
// whose months may hold its close, not every goal of its owner, so the
// cost should not grow with the years. Before the timing, the reps'
// attained amounts must sum to the won amount.
func BenchmarkAttainManyGoals(b *testing.B) {
	reps := benchReps(10)
	for _, years := range []int{10, 100} {
		var goals []quota.Goal
		for _, rep := range reps {
			for y := range years {
				for m := range 12 {
					goals = append(goals, quota.Goal{Rep: rep, Period: sp.Month(2000+y, time.Month(1+m), nil), Revenue: eur("1000.00")})
				}
			}
		}
		r := rand.New(rand.NewPCG(uint64(years), 2))
		start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		span := time.Date(2000+years, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start)
		deals := make([]pipeline.Deal, 100_000)
		var won []sp.Money
		for i := range deals {
			d := &deals[i]
			d.ID, d.Owner, d.Amount = sp.DealID(fmt.Sprintf("d%06d", i)), reps[r.IntN(len(reps))], cents(100+r.Int64N(1_000_000))
			at := start.Add(time.Duration(r.Int64N(int64(span))))
			switch r.IntN(3) {
			case 0:
				d.Stage, d.Closed = pipeline.DealWon, at
				won = append(won, d.Amount)
			case 1:
				d.Stage, d.Closed = pipeline.DealLost, at
			default:
				d.Stage, d.ExpectedClose, d.Probability = pipeline.DealProposal, at, decimal.New(5, -1)
			}
		}
		asOf := start.Add(span)
		lastMonth := asOf.AddDate(0, -1, 0) // the open deals overdue then count for its month
		got, err := quota.Attain(goals, quota.Refs(deals), asOf, nil)
		if err != nil {
			b.Fatal(err)
		}
		attained := make([]sp.Money, len(got))
		for i, a := range got {
			attained[i] = a.Attained.Money
		}
		want, err1 := sp.Sum("EUR", slices.Values(won))
		sum, err2 := sp.Sum("EUR", slices.Values(attained))
		if err1 != nil || err2 != nil || !sum.Equal(want) {
			b.Fatalf("the goals attained %s, the deals won %s (%v, %v)", sum, want, err1, err2)
		}
		b.Run(fmt.Sprintf("attain/years=%d", years), func(b *testing.B) {
			for range b.N {
				if _, err := quota.Attain(goals, quota.Refs(deals), asOf, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("forecast/years=%d", years), func(b *testing.B) {
			for range b.N {
				if _, err := quota.Forecast(goals, quota.Refs(deals), lastMonth, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
