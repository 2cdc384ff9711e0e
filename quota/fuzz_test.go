package quota_test

import (
	"errors"
	"hash/fnv"
	"math"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// wrapsSentinel reports whether err wraps one of the root sentinels.
func wrapsSentinel(err error) bool {
	return errors.Is(err, sp.ErrInvalid) || errors.Is(err, sp.ErrCurrencyMismatch)
}

// FuzzReach checks Reach on arbitrary small pipelines: no panic, a value
// within [0, 1], a bound that holds against enumeration, and errors that
// wrap the sentinels. The pipelines are mostly valid (amounts 0 to 65,025
// cents, probabilities 0 to 1 in hundredths), so that the bound is checked
// on most inputs; a byte of 255 before an amount or a probability makes
// it invalid (negative, or above 1), and goals and booked amounts range
// from negative to beyond the pipeline.
func FuzzReach(f *testing.F) {
	f.Add([]byte{10, 50, 3, 200, 9, 100, 7, 0, 255, 255})
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{255, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add([]byte{40, 90, 3, 30, 0, 200, 90, 0, 50, 60, 0, 120, 30, 0, 80, 99, 0, 10, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newFuzzStream(data)
		goal := cents(b.next()*b.next() + b.next() - 50)
		booked := cents(b.next() - 20)
		var ps []quota.Prospect
		for b.more() && len(ps) < 14 {
			amount := b.next() * b.next()
			if b.next() == 255 {
				amount = -amount - 1
			}
			prob := decimal.New(b.next()%101, -2)
			if b.next() == 255 {
				prob = decimal.New(101+b.next(), -2)
			}
			ps = append(ps, quota.Prospect{Amount: cents(amount), Probability: prob})
		}
		c, err := quota.Reach(goal, booked, slices.Values(ps))
		if err != nil {
			require.True(t, wrapsSentinel(err), "%v", err)
			return
		}
		require.True(t, c.Value >= 0 && c.Value <= 1, "%v", c.Value)
		require.True(t, c.ErrorBound >= 0 && c.ErrorBound <= 1)
		require.True(t, c.Shortfall.Money.Sign() >= 0, "%s", c.Shortfall)
		want, _ := bruteForce(goal, booked, ps)
		require.InDelta(t, want, c.Value, c.ErrorBound+1e-12)

		// The simulation agrees within Hoeffding's bound at a failure
		// probability of 1e-12 (√(ln(2e12)/2n)), and is deterministic.
		const draws = 4096
		sim, err := quota.Simulate(goal, booked, slices.Values(ps), draws, uint64(len(data)))
		require.NoError(t, err, "Simulate refuses what Reach takes")
		require.True(t, sim.Value >= 0 && sim.Value <= 1 && sim.StdErr >= 0, "%+v", sim)
		require.InDelta(t, want, sim.Value, math.Sqrt(math.Log(2e12)/(2*draws))+1e-12)
		again, err := quota.Simulate(goal, booked, slices.Values(ps), draws, uint64(len(data)))
		require.NoError(t, err)
		require.Equal(t, sim, again, "the same seed gives the same simulation")
	})
}

// FuzzCredits checks that split credit either fails with ErrInvalid or
// gives one credit per split, in their order, with the share of its
// percentage divided by 100, an amount of the amount's currency and sign
// (or zero) within one cent of its exact share, the amounts summing
// exactly to the amount.
func FuzzCredits(f *testing.F) {
	f.Add(int64(100000), []byte{50, 50})
	f.Add(int64(1), []byte{33, 33, 34})
	f.Add(int64(-7), []byte{100})
	f.Add(int64(-100), []byte{1, 1, 98})
	f.Fuzz(func(t *testing.T, amount int64, percents []byte) {
		var splits []quota.Split
		for i, p := range percents {
			splits = append(splits, quota.Split{Rep: sp.RepID(rune('a' + i%26)), Percent: decimal.New(int64(p), 0)})
		}
		total := cents(amount)
		cs, err := quota.Credits(total, splits)
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			return
		}
		require.Len(t, cs, len(splits))
		var ms []sp.Money
		cent := big.NewRat(1, 100)
		for i, c := range cs {
			require.Equal(t, splits[i].Rep, c.Rep)
			require.True(t, c.Share.Equal(splits[i].Percent.Shift(-2)), "share %s of %s %%", c.Share, splits[i].Percent)
			require.Equal(t, total.Currency(), c.Amount.Currency())
			require.True(t, c.Amount.Sign() == 0 || c.Amount.Sign() == total.Sign(), "credit %s of %s", c.Amount, total)
			exact := new(big.Rat).Mul(total.Amount().Rat(), new(big.Rat).Quo(splits[i].Percent.Rat(), big.NewRat(100, 1)))
			diff := new(big.Rat).Sub(c.Amount.Amount().Rat(), exact)
			require.Negative(t, diff.Abs(diff).Cmp(cent), "credit %s, exact share %s", c.Amount, exact.FloatString(4))
			ms = append(ms, c.Amount)
		}
		sum, err := sp.Sum("EUR", slices.Values(ms))
		require.NoError(t, err)
		require.True(t, sum.Equal(total))
	})
}

// fuzzStream reads small numbers from fuzz input, one byte each, and once
// the input runs out goes on with a pseudo-random sequence seeded by the
// input (splitmix64), so that the fields of a record cut short are neither
// all zero nor the same from one input to the next.
type fuzzStream struct {
	data  []byte
	state uint64
}

func newFuzzStream(data []byte) *fuzzStream {
	h := fnv.New64a()
	h.Write(data)
	return &fuzzStream{data: data, state: h.Sum64()}
}

// more reports whether input is left.
func (s *fuzzStream) more() bool { return len(s.data) > 0 }

// next returns the next byte of input, or of the sequence after it.
func (s *fuzzStream) next() int64 {
	if len(s.data) > 0 {
		x := int64(s.data[0])
		s.data = s.data[1:]
		return x
	}
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return int64((z ^ z>>31) >> 56)
}

// amount returns a deal's amount from a byte: mostly a positive amount of
// EUR, sometimes none (6 %) or zero; byte 0 a negative amount, which the
// calculators refuse where they would sum it, and byte 1 one in USD, which
// they refuse where they would add it to EUR.
func (s *fuzzStream) amount() sp.Money {
	switch a := s.next(); {
	case a == 0:
		return cents(-1 - s.next())
	case a == 1:
		m, _ := sp.NewMoneyFromMinor(100+s.next(), "USD")
		return m
	case a < 18:
		return sp.Money{}
	default:
		return cents((a-18)*(a-18)*5 + a - 18)
	}
}

// probability returns a deal's probability from a byte: 0 to 1 in
// hundredths, sometimes in ten-thousandths; bytes 254 and 255 one below 0
// and one above 1.
func (s *fuzzStream) probability() decimal.Decimal {
	switch p := s.next(); p {
	case 254:
		return decimal.New(-1, -2)
	case 255:
		return decimal.New(101, -2)
	case 253:
		return decimal.New(s.next()*39, -4)
	default:
		return decimal.New(p%101, -2)
	}
}

// durationsOrdered checks that d's statistics are in order.
func durationsOrdered(t *testing.T, d quota.Durations) {
	if d.Count == 0 {
		require.Equal(t, quota.Durations{}, d)
		return
	}
	require.True(t, 0 <= d.Min && d.Min <= d.P25 && d.P25 <= d.Median && d.Median <= d.P75 &&
		d.P75 <= d.P90 && d.P90 <= d.Max && d.Min <= d.Mean && d.Mean <= d.Max, "%+v", d)
}

// moneySum returns the sum of the set amounts of ms, and false when they
// are in more than one currency; the zero Money when none is set.
func moneySum(ms ...sp.Money) (sp.Money, bool) {
	var sum sp.Money
	for _, m := range ms {
		if m.IsUnset() {
			continue
		}
		if sum.IsUnset() {
			sum = m
			continue
		}
		var err error
		if sum, err = sum.Add(m); err != nil {
			return sp.Money{}, false
		}
	}
	return sum, true
}

// requireMoneyEqual fails unless a and b are equal Money, both unset
// included.
func requireMoneyEqual(t *testing.T, a, b sp.Money, msg string) {
	require.True(t, a.Equal(b), "%s: %s and %s", msg, a, b)
}

// FuzzCalculators feeds deals and inquiries made from fuzz input to every
// calculator: none panics, errors wrap the sentinels, and the results
// have the properties their documentation gives them: counts and amounts
// agree with the deals (the funnel's steps with funnelSteps), groups add
// up to the total, rates are within their counts, weighted amounts within
// amounts, and the calculators that count the same deals agree
// (Forecast's booked with Attain's attained, Velocity's and
// PeriodConversion's won deals with WinRates', Velocity's cycle with
// SalesCycle's, TimeToConvert's with CohortConversion's).
//
// Most inputs are valid: probabilities within 0 to 1, amounts of EUR that
// are positive, zero or unset. Invalid values come from explicit bytes, so
// that the fuzzer reaches the errors but rarely: a negative amount, one in
// USD, a probability out of range, a zero time.
func FuzzCalculators(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{0, 0, 0, 0, 255, 255, 255, 255, 128, 128, 128, 128})
	// Past the month, with working days: deals won, lost and open, ten
	// bytes each.
	f.Add([]byte{200, 1,
		0, 4, 100, 50, 20, 30, 60, 3, 10, 0,
		1, 5, 120, 50, 40, 30, 60, 3, 20, 1,
		2, 4, 90, 50, 60, 30, 60, 3, 30, 0,
		10, 3, 200, 70, 50, 0, 150, 2, 40, 7,
		11, 0, 40, 30, 55, 0, 140, 1, 60, 0})
	// Mid-month, with split credit: open deals with amounts and without.
	f.Add([]byte{110, 2,
		9, 3, 150, 253, 30, 20, 0, 100, 4, 5, 3,
		12, 2, 10, 80, 60, 0, 120, 1, 50, 0,
		20, 3, 220, 100, 70, 0, 130, 2, 80, 5})
	// After the month, a deal won in it (owner, stage, two bytes of
	// amount, probability, created, closed, expected close, earlier stage,
	// inquiry received, answer): of 1.05 USD; of -0.06 EUR, which the
	// calculators that sum won amounts refuse; and of 1.05 USD for rep a
	// with one of 337.02 EUR for rep b, which WinRates and Velocity take
	// by rep, with the total's won amount unset, and refuse ungrouped.
	f.Add([]byte{200, 0, 0, 4, 1, 5, 50, 40, 20, 60, 3, 10, 0})
	f.Add([]byte{200, 0, 0, 4, 0, 5, 50, 40, 20, 60, 3, 10, 0})
	f.Add([]byte{200, 0, 0, 4, 1, 5, 50, 40, 20, 60, 3, 10, 0, 1, 4, 100, 50, 40, 20, 60, 3, 10, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newCalcCase(data)
		n := c.counts()
		goals := calcGoals(c.month)
		att, attErr := checkAttain(t, &c, n, goals)
		checkForecast(t, &c, goals, att, attErr)
		for _, by := range []quota.Grouping{{}, {Rep: true}, {Rep: true, Month: true}} {
			checkGrouped(t, &c, n, by, att, attErr)
		}
	})
}

// calcCase is what FuzzCalculators gives the calculators: deals and
// inquiries of November 2026, a time to reckon as of, and options.
type calcCase struct {
	month     sp.Period
	asOf      time.Time
	opts      *quota.Options
	splits    bool // opts.Splits credits deals of product b to two reps
	deals     []pipeline.Deal
	inquiries []pipeline.Inquiry
}

// newCalcCase builds a calcCase from fuzz input: a header of two bytes
// (the as-of time; a calendar of weekdays or not, split credit or not),
// then up to 40 deals, each with an inquiry, of ten bytes each (more when
// the amount or the probability takes a second byte).
func newCalcCase(data []byte) calcCase {
	s := newFuzzStream(data)
	month := sp.Month(2026, time.November, nil)
	base := month.Start().Add(-5 * 24 * time.Hour)
	// at returns a time from a byte: byte 0 the zero time, others from
	// 5 days before the month to 7 days after it in steps of 4 hours.
	at := func(x int64) time.Time {
		if x == 0 {
			return time.Time{}
		}
		return base.Add(time.Duration(x) * 4 * time.Hour)
	}
	reps := []sp.RepID{"a", "b", "c"}
	stages := []pipeline.DealStage{pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal,
		pipeline.DealNegotiation, pipeline.DealWon, pipeline.DealLost, "other"}

	// The header: the as-of time, from 5 days before the month to 48
	// days into it, and the options.
	asOf := base.Add(time.Duration(s.next()) * 5 * time.Hour)
	flags := s.next()
	opts := &quota.Options{}
	if flags&1 != 0 {
		opts.Calendar = quota.Weekdays()
	}
	splits := flags&2 != 0
	if splits {
		// Deals of product b are credited 60/40 to the owner and the
		// next rep.
		opts.Splits = func(d *pipeline.Deal) []quota.Split {
			if d.Product != "b" {
				return nil
			}
			i := slices.Index(reps, d.Owner)
			return []quota.Split{{Rep: d.Owner, Percent: decimal.New(60, 0)}, {Rep: reps[(i+1)%3], Percent: decimal.New(40, 0)}}
		}
	}

	var deals []pipeline.Deal
	var inquiries []pipeline.Inquiry
	for i := 0; s.more() && i < 40; i++ {
		k := s.next()
		d := pipeline.Deal{
			ID:          sp.DealID(rune('A' + i)),
			Owner:       reps[k%3],
			Region:      sp.RegionID(reps[k/3%3]),
			Product:     sp.ProductID(reps[k/9%3]),
			Stage:       stages[s.next()%int64(len(stages))],
			Amount:      s.amount(),
			Probability: s.probability(),
			Created:     at(s.next()),
		}
		// Closed 2 hours to 21 days after creation; byte 0 not at all.
		if x := s.next(); x != 0 {
			d.Closed = d.Created.Add(time.Duration(x) * 2 * time.Hour)
		}
		d.ExpectedClose = at(s.next())
		d.History = []pipeline.Transition[pipeline.DealStage]{{To: stages[s.next()%int64(len(stages))]}, {To: d.Stage}}
		in := pipeline.Inquiry{ID: sp.InquiryID(rune('a' + i)), Owner: d.Owner, Region: d.Region, Received: at(s.next())}
		// The inquiry is linked to the deal from either side, or not.
		switch k / 27 % 3 {
		case 0:
			d.Inquiry = in.ID
		case 1:
			in.Deal = d.ID
		}
		// Answered 0 to 127 hours after its receipt, or not.
		if x := s.next(); x%2 == 1 {
			in.Activities = []pipeline.Activity{{Kind: pipeline.ActivityCall, Done: in.Received.Add(time.Duration(x/2) * time.Hour)}}
		}
		deals = append(deals, d)
		inquiries = append(inquiries, in)
	}
	return calcCase{month: month, asOf: asOf, opts: opts, splits: splits, deals: deals, inquiries: inquiries}
}

// calcCounts are what the calculators count, counted from the deals and
// inquiries themselves: the deals open now, open and expected to close in
// the month, created in it, created in it and open, won and lost in it,
// won in it by the as-of time, and the inquiries received in it.
type calcCounts struct {
	open, openClosing, created, createdOpen, won, lost, wonAsOf, receivedIn int64
}

func (c *calcCase) counts() calcCounts {
	month, asOf, deals, inquiries := c.month, c.asOf, c.deals, c.inquiries
	var open, openClosing, created, createdOpen, won, lost, wonAsOf, receivedIn int64
	for i := range deals {
		d := &deals[i]
		if month.Contains(d.Created) {
			created++
		}
		switch quota.DefaultOutcome(d) {
		case quota.OutcomeOpen:
			open++
			if month.Contains(d.ExpectedClose) {
				openClosing++
			}
			if month.Contains(d.Created) {
				createdOpen++
			}
		case quota.OutcomeWon:
			if month.Contains(d.Closed) {
				won++
				if !d.Closed.After(asOf) {
					wonAsOf++
				}
			}
		case quota.OutcomeLost:
			if month.Contains(d.Closed) {
				lost++
			}
		}
	}
	for i := range inquiries {
		if month.Contains(inquiries[i].Received) {
			receivedIn++
		}
	}
	return calcCounts{open, openClosing, created, createdOpen, won, lost, wonAsOf, receivedIn}
}

// calcGoals are the goals FuzzCalculators gives Attain and Forecast: each
// rep's revenue, the company's, and region a's count of deals.
func calcGoals(month sp.Period) []quota.Goal {
	return []quota.Goal{
		{Rep: "a", Period: month, Revenue: cents(100000)},
		{Rep: "b", Period: month, Revenue: cents(100000)},
		{Rep: "c", Period: month, Revenue: cents(100000)},
		{Period: month, Revenue: cents(300000)},
		{Region: "a", Period: month, Deals: 3},
	}
}

// succeeded reports whether the calculator name returned no error, and
// fails the test unless its error wraps a sentinel.
func succeeded(t *testing.T, name string, err error) bool {
	t.Helper()
	if err != nil {
		require.True(t, wrapsSentinel(err), "%s: %v", name, err)
		return false
	}
	return true
}

// checkAttain runs Attain on c and checks its attainments: the reps'
// add up to the company's, and agree with the counts n.
func checkAttain(t *testing.T, c *calcCase, n calcCounts, goals []quota.Goal) ([]quota.Attainment, error) {
	deals, asOf, opts, wonAsOf := c.deals, c.asOf, c.opts, n.wonAsOf
	att, attErr := quota.Attain(goals, quota.Refs(deals), asOf, opts)
	if succeeded(t, "attain", attErr) {
		sum := cents(0)
		var wonSum, lostSum int64
		for _, a := range att[:3] {
			var err error
			sum, err = sum.Add(a.Attained.Money)
			require.NoError(t, err)
			require.GreaterOrEqual(t, a.WinRate.Den, a.WinRate.Num)
			wonSum, lostSum = wonSum+a.Won, lostSum+a.Lost
		}
		require.True(t, sum.Equal(att[3].Attained.Money), "reps %s, company %s", sum, att[3].Attained)
		require.Equal(t, att[3].Won, wonSum, "each deal is won for its owner")
		require.Equal(t, att[3].Lost, lostSum)
		require.Equal(t, wonAsOf, att[3].Won, "the company won the deals won in the month by asOf")
		for i, a := range att {
			require.True(t, a.Goal.Revenue.Equal(goals[i].Revenue) && a.AsOf.Equal(asOf))
			require.Equal(t, quota.Rate{Num: a.Won, Den: a.Won + a.Lost}, a.WinRate)
			require.GreaterOrEqual(t, a.Attained.Sign(), 0, "%s", a.Attained)
			if a.Goal.Metric() == quota.MetricRevenue {
				gap, err := a.Goal.Revenue.Sub(a.Attained.Money)
				require.NoError(t, err)
				requireMoneyEqual(t, gap, a.Gap.Money, "the gap is the target less what is attained")
			} else {
				require.True(t, decimal.NewFromInt(a.Goal.Deals).Sub(a.Attained.Deals).Equal(a.Gap.Deals), "gap %s", a.Gap)
			}
		}
	}
	return att, attErr
}

// checkForecast runs Forecast on c and checks its outlooks: they agree
// with the attainments att (or Attain's error attErr), and the reps'
// pipelines add up to the company's.
func checkForecast(t *testing.T, c *calcCase, goals []quota.Goal, att []quota.Attainment, attErr error) {
	deals, asOf, opts, splits := c.deals, c.asOf, c.opts, c.splits
	if got, err := quota.Forecast(goals, quota.Refs(deals), asOf, opts); succeeded(t, "forecast", err) {
		require.NoError(t, attErr, "Forecast takes what Attain refuses")
		var pipe, weighted []sp.Money
		var opens int64
		for i, o := range got {
			require.True(t, o.Chance.Value >= 0 && o.Chance.Value <= 1 && !math.IsNaN(o.Chance.ErrorBound))
			require.True(t, o.Booked.Equal(att[i].Attained), "goals[%d]: booked %s, attained %s", i, o.Booked, att[i].Attained)
			require.True(t, o.Gap.Equal(att[i].Gap), "goals[%d]: gap %s, attainment's gap %s", i, o.Gap, att[i].Gap)
			require.Equal(t, o.Gap.Sign() > 0, o.Coverage.Valid, "coverage only of a positive gap")
			require.GreaterOrEqual(t, o.Open, int64(0))
			require.GreaterOrEqual(t, o.Weighted.Sign(), 0, "%s", o.Weighted)
			if o.Goal.Metric() == quota.MetricRevenue {
				if !o.Pipeline.Money.IsUnset() {
					cmp, err := o.Weighted.Money.Cmp(o.Pipeline.Money)
					require.NoError(t, err)
					require.LessOrEqual(t, cmp, 0, "weighted %s above the pipeline %s", o.Weighted, o.Pipeline)
				}
			} else {
				require.True(t, o.Pipeline.Deals.Equal(decimal.NewFromInt(o.Open)), "a count goal's pipeline is its open deals")
				require.True(t, o.Weighted.Deals.LessThanOrEqual(o.Pipeline.Deals))
			}
			if i < 3 {
				pipe, weighted = append(pipe, o.Pipeline.Money), append(weighted, o.Weighted.Money)
				opens += o.Open
			}
		}
		company := got[3]
		sum, ok := moneySum(pipe...)
		require.True(t, ok)
		requireMoneyEqual(t, sum, company.Pipeline.Money, "the reps' pipelines add up to the company's")
		sum, ok = moneySum(weighted...)
		require.True(t, ok)
		requireMoneyEqual(t, sum, company.Weighted.Money, "the reps' weighted pipelines add up to the company's")
		if !splits {
			require.Equal(t, company.Open, opens, "each open deal counts for its owner")
		}
	}
}

// funnelSteps returns the counts of the funnel steps through stages of
// the deals created in month, as Funnel documents them: a deal reached
// the stages up to the latest of its stage and history in that order
// (every stage once won); it advanced past the stages before that, and at
// that stage it dropped if lost and is pending if open.
func funnelSteps(deals []pipeline.Deal, month sp.Period, stages []pipeline.DealStage) []quota.FunnelStep {
	steps := make([]quota.FunnelStep, len(stages)-1)
	for k := range steps {
		steps[k].From, steps[k].To = stages[k], stages[k+1]
	}
	for i := range deals {
		d := &deals[i]
		if !month.Contains(d.Created) {
			continue
		}
		out := quota.DefaultOutcome(d)
		top := slices.Index(stages, d.Stage)
		for _, tr := range d.History {
			top = max(top, slices.Index(stages, tr.From), slices.Index(stages, tr.To))
		}
		if out == quota.OutcomeWon {
			top = len(stages) - 1
		}
		for k := range steps {
			switch {
			case top > k:
				steps[k].Reached++
				steps[k].Advanced++
			case top == k:
				steps[k].Reached++
				if out == quota.OutcomeLost {
					steps[k].Dropped++
				} else if out == quota.OutcomeOpen {
					steps[k].Pending++
				}
			}
		}
	}
	return steps
}

// checkGrouped runs the calculators that group on c, grouped by by, and
// checks their reports: groups add up to the total, the totals agree with
// the counts n, and the calculators that count the same deals agree with
// each other and, after the month, with the attainments att (or Attain's
// error attErr).
func checkGrouped(t *testing.T, c *calcCase, n calcCounts, by quota.Grouping, att []quota.Attainment, attErr error) {
	month, asOf, opts, deals, inquiries := c.month, c.asOf, c.opts, c.deals, c.inquiries
	open, openClosing, created, createdOpen, won, lost, receivedIn := n.open, n.openClosing, n.created, n.createdOpen, n.won, n.lost, n.receivedIn
	rates, ratesErr := quota.WinRates(quota.Refs(deals), month, by, opts)
	if succeeded(t, "win rates", ratesErr) {
		var wonN, lostN int64
		var amounts []sp.Money
		for _, g := range rates.Groups {
			require.LessOrEqual(t, g.WinRate.Rate.Num, g.WinRate.Rate.Den)
			require.Equal(t, g.Won+g.Lost, g.WinRate.Rate.Den)
			require.Equal(t, g.Won, g.WinRate.Rate.Num)
			require.Positive(t, g.Won+g.Lost, "a group of no closed deal")
			require.GreaterOrEqual(t, g.WonAmount.Sign(), 0)
			wonN, lostN = wonN+g.Won, lostN+g.Lost
			amounts = append(amounts, g.WonAmount)
		}
		require.Equal(t, rates.Total.Won, wonN, "groups add up to the total")
		require.Equal(t, rates.Total.Lost, lostN)
		require.Equal(t, won, rates.Total.Won, "the deals won in the month")
		require.Equal(t, lost, rates.Total.Lost, "the deals lost in the month")
		sum, ok := moneySum(amounts...)
		if !ok {
			sum = sp.Money{}
		}
		requireMoneyEqual(t, sum, rates.Total.WonAmount, "groups' won amounts add up to the total's")
		require.True(t, rates.Prior.Mean >= 0 && rates.Prior.Mean <= 1)
		if attErr == nil && !asOf.Before(month.End()) {
			require.Equal(t, att[3].Won, rates.Total.Won, "after the month, Attain counts the month's deals")
			require.Equal(t, att[3].Lost, rates.Total.Lost)
			if rates.Total.Won > 0 {
				requireMoneyEqual(t, att[3].Attained.Money, rates.Total.WonAmount, "company attained and won amount")
			}
		}
	}
	cohort, cohortErr := quota.CohortConversion(quota.Refs(inquiries), quota.Refs(deals), month, asOf, by, opts)
	if succeeded(t, "cohort conversion", cohortErr) {
		require.LessOrEqual(t, cohort.Total.Won, cohort.Total.Inquiries)
		require.Equal(t, receivedIn, cohort.Total.Inquiries, "the inquiries received in the month")
		var n, w int64
		for _, g := range cohort.Groups {
			require.LessOrEqual(t, g.Won, g.Inquiries)
			if iv := g.Conversion.Wilson; iv != nil {
				require.True(t, iv.Lower.Sign() >= 0 && iv.Upper.LessThanOrEqual(decimal.New(1, 0)), "%s", iv)
			}
			n, w = n+g.Inquiries, w+g.Won
		}
		require.Equal(t, cohort.Total.Inquiries, n)
		require.Equal(t, cohort.Total.Won, w)
	}
	if rep, err := quota.PeriodConversion(quota.Refs(inquiries), quota.Refs(deals), month, by, opts); succeeded(t, "period conversion", err) {
		var n, w int64
		for _, g := range rep.Groups {
			n, w = n+g.Inquiries, w+g.Won
		}
		require.Equal(t, rep.Total.Inquiries, n)
		require.Equal(t, rep.Total.Won, w)
		require.Equal(t, receivedIn, rep.Total.Inquiries, "the inquiries received in the month")
		require.Equal(t, won, rep.Total.Won, "the deals won in the month")
	}
	if rep, err := quota.Funnel(quota.Refs(deals), month, by, opts); succeeded(t, "funnel", err) {
		want := funnelSteps(deals, month, rep.Stages)
		require.Len(t, rep.Total.Steps, len(want))
		for i, st := range rep.Total.Steps {
			got := quota.FunnelStep{From: st.From, To: st.To, Reached: st.Reached, Advanced: st.Advanced, Dropped: st.Dropped, Pending: st.Pending}
			require.Equal(t, want[i], got, "step %d", i)
		}
		require.Equal(t, created, rep.Total.Deals, "the deals created in the month")
		var n int64
		for _, g := range rep.Groups {
			n += g.Deals
		}
		require.Equal(t, rep.Total.Deals, n, "groups add up to the total")
	}
	cycle, cycleErr := quota.SalesCycle(quota.Refs(deals), month, by, opts)
	if succeeded(t, "sales cycle", cycleErr) {
		durationsOrdered(t, cycle.Total.Durations)
		require.LessOrEqual(t, cycle.Total.Durations.Count, won, "only won deals have a cycle")
		require.Equal(t, createdOpen, cycle.Total.Pending, "the open deals created in the month are pending")
		var n, p int64
		for _, g := range cycle.Groups {
			durationsOrdered(t, g.Durations)
			n, p = n+g.Durations.Count, p+g.Pending
		}
		require.Equal(t, cycle.Total.Durations.Count, n)
		require.Equal(t, cycle.Total.Pending, p)
	}
	if rep, err := quota.TimeToConvert(quota.Refs(inquiries), quota.Refs(deals), month, asOf, by, opts); succeeded(t, "time to convert", err) {
		durationsOrdered(t, rep.Total.Durations)
		if cohortErr == nil {
			// The cohort's converted inquiries have a time, the others
			// are pending.
			require.Equal(t, cohort.Total.Won, rep.Total.Durations.Count)
			require.Equal(t, cohort.Total.Inquiries-cohort.Total.Won, rep.Total.Pending)
			require.Equal(t, len(cohort.Groups), len(rep.Groups))
			for i, g := range rep.Groups {
				durationsOrdered(t, g.Durations)
				require.Zero(t, g.Key.Compare(cohort.Groups[i].Key))
				require.Equal(t, cohort.Groups[i].Won, g.Durations.Count)
				require.Equal(t, cohort.Groups[i].Inquiries-cohort.Groups[i].Won, g.Pending)
			}
		}
	}
	if rep, err := quota.FirstResponse(quota.Refs(inquiries), month, asOf, by, opts); succeeded(t, "first response", err) {
		durationsOrdered(t, rep.Total.Durations)
		require.Equal(t, receivedIn, rep.Total.Durations.Count+rep.Total.Pending, "every inquiry received in the month is answered or pending")
		var n int64
		for _, g := range rep.Groups {
			durationsOrdered(t, g.Durations)
			n += g.Durations.Count + g.Pending
		}
		require.Equal(t, receivedIn, n)
	}
	vel, velErr := quota.Velocity(quota.Refs(deals), month, by, opts)
	require.Equal(t, ratesErr == nil, velErr == nil, "Velocity and WinRates refuse the same deals: %v; %v", velErr, ratesErr)
	if succeeded(t, "velocity", velErr) {
		require.Equal(t, open, vel.Total.Open, "the deals open now")
		require.Equal(t, rates.Total.Won, vel.Total.Won, "Velocity's won deals are WinRates'")
		require.Equal(t, rates.Total.Lost, vel.Total.Lost)
		requireMoneyEqual(t, rates.Total.WonAmount, vel.Total.WonAmount, "won amount")
		require.GreaterOrEqual(t, vel.Total.PerDay.Sign(), 0)
		if cycleErr == nil {
			require.Equal(t, cycle.Total.Durations.Mean, vel.Total.Cycle, "Velocity's cycle is the mean of SalesCycle's")
		}
		var opens int64
		var closed []quota.VelocityGroup
		for _, g := range vel.Groups {
			opens += g.Open
			require.GreaterOrEqual(t, g.PerDay.Sign(), 0)
			require.GreaterOrEqual(t, g.Cycle, time.Duration(0))
			if g.Won+g.Lost > 0 {
				closed = append(closed, g)
			}
		}
		require.Equal(t, vel.Total.Open, opens)
		require.Equal(t, len(rates.Groups), len(closed), "the groups with closed deals are WinRates'")
		for i, g := range closed {
			w := rates.Groups[i]
			require.Zero(t, g.Key.Compare(w.Key), "%s and %s", g.Key, w.Key)
			require.Equal(t, w.Won, g.Won)
			require.Equal(t, w.Lost, g.Lost)
			requireMoneyEqual(t, w.WonAmount, g.WonAmount, "a group's won amount")
		}
	}
	if rep, err := quota.WeightedPipeline(quota.Refs(deals), month, by, opts); succeeded(t, "weighted pipeline", err) {
		require.Equal(t, openClosing, rep.Total.Open, "the open deals expected to close in the month")
		var opens int64
		var amounts, weighted []sp.Money
		for _, g := range append([]quota.PipelineGroup{rep.Total}, rep.Groups...) {
			require.Equal(t, g.Amount.IsUnset(), g.Weighted.IsUnset(), "%s: an amount without a weighted one", g.Key)
			if g.Amount.IsUnset() {
				continue
			}
			require.GreaterOrEqual(t, g.Weighted.Sign(), 0, "%s: weighted %s", g.Key, g.Weighted)
			cmp, err := g.Weighted.Cmp(g.Amount)
			require.NoError(t, err)
			require.LessOrEqual(t, cmp, 0, "%s: weighted %s above the amount %s", g.Key, g.Weighted, g.Amount)
		}
		for _, g := range rep.Groups {
			require.Positive(t, g.Open, "a group of no open deal")
			opens += g.Open
			amounts, weighted = append(amounts, g.Amount), append(weighted, g.Weighted)
		}
		require.Equal(t, rep.Total.Open, opens, "groups add up to the total")
		sum, ok := moneySum(amounts...)
		if !ok {
			sum = sp.Money{}
		}
		requireMoneyEqual(t, sum, rep.Total.Amount, "groups' amounts add up to the total's")
		sum, ok = moneySum(weighted...)
		if !ok {
			sum = sp.Money{}
		}
		requireMoneyEqual(t, sum, rep.Total.Weighted, "groups' weighted amounts add up to the total's")
	}
}
