package quota_test

import (
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// The calculators share one *Options (an OutcomeBy classification of a
// Definition, splits, a calendar, a funnel order, zones) and one slice of
// deals and one of inquiries between goroutines that run them at once, as
// the reviews of one Reviewer do: each goroutine gets, every time, the
// results a serial run gives, and the shared records and options are left
// as they were. Run with -race.
func TestCalculatorsShareOptionsConcurrently(t *testing.T) {
	spec := pipeline.DefaultSpec()
	spec.Name = "retail"
	def, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	// sharedInputs gives the deals, on the custom pipeline, and an inquiry
	// of each, first called two hours after its receipt.
	sharedInputs := func() ([]pipeline.Deal, []pipeline.Inquiry) {
		deals := exampleDeals()
		inquiries := make([]pipeline.Inquiry, len(deals))
		for i := range deals {
			received := deals[i].Created.Add(time.Duration(i) * time.Hour)
			inquiries[i] = pipeline.Inquiry{ID: sp.InquiryID("i-" + deals[i].ID), Owner: deals[i].Owner, Region: deals[i].Region,
				Received: received, Activities: []pipeline.Activity{{ID: "a1", Kind: pipeline.ActivityCall, Done: received.Add(2 * time.Hour)}}}
			deals[i].Pipeline, deals[i].Inquiry = "retail", inquiries[i].ID
		}
		return deals, inquiries
	}
	deals, inquiries := sharedInputs()
	// ana shares each of her deals with ben, 60 to 40.
	shares := []quota.Split{{Rep: "ana", Percent: decimal.New(60, 0)}, {Rep: "ben", Percent: decimal.New(40, 0)}}
	opts := &quota.Options{
		Outcome: quota.OutcomeBy(def),
		Splits: func(d *pipeline.Deal) []quota.Split {
			if d.Owner == "ana" {
				return shares
			}
			return nil
		},
		Location:   func(sp.RegionID) *time.Location { return time.UTC },
		Calendar:   quota.Weekdays(),
		Stages:     quota.FunnelStages(def),
		Confidence: 0.9,
		Places:     3,
	}
	nov := sp.Month(2026, time.November, nil)
	goals := []quota.Goal{
		{Rep: "ana", Region: "north", Period: nov, Revenue: eur("10000.00")},
		{Rep: "ben", Region: "north", Period: nov, Revenue: eur("8000.00")},
		{Region: "north", Period: nov, Deals: 4},
	}
	asOf := time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	by := quota.Grouping{Rep: true, Month: true}
	run := func() (string, error) {
		var out []any
		for _, calc := range []func() (any, error){
			func() (any, error) { return quota.Attain(goals, quota.Refs(deals), asOf, opts) },
			func() (any, error) { return quota.Forecast(goals, quota.Refs(deals), asOf, opts) },
			func() (any, error) { return quota.WinRates(quota.Refs(deals), nov, by, opts) },
			func() (any, error) { return quota.Funnel(quota.Refs(deals), nov, by, opts) },
			func() (any, error) { return quota.Velocity(quota.Refs(deals), nov, by, opts) },
			func() (any, error) { return quota.SalesCycle(quota.Refs(deals), nov, by, opts) },
			func() (any, error) { return quota.WeightedPipeline(quota.Refs(deals), nov, by, opts) },
			func() (any, error) {
				return quota.CohortConversion(quota.Refs(inquiries), quota.Refs(deals), nov, asOf, by, opts)
			},
			func() (any, error) {
				return quota.PeriodConversion(quota.Refs(inquiries), quota.Refs(deals), nov, by, opts)
			},
			func() (any, error) {
				return quota.TimeToConvert(quota.Refs(inquiries), quota.Refs(deals), nov, asOf, by, opts)
			},
			func() (any, error) { return quota.FirstResponse(quota.Refs(inquiries), nov, asOf, by, opts) },
		} {
			r, err := calc()
			if err != nil {
				return "", err
			}
			out = append(out, r)
		}
		b, err := json.Marshal(out)
		return string(b), err
	}
	want, err := run()
	require.NoError(t, err)
	// The serial run counted the splits and the classification: ana's
	// share of her won deals, 60% of 6500.00, and ben's 40% of them
	// beside his own 1500.00.
	require.Contains(t, want, `"attained":{"money":{"amount":"3900.00","currency":"EUR"}`)
	require.Contains(t, want, `"attained":{"money":{"amount":"4100.00","currency":"EUR"}`)
	// ana's cohort converted 2 of 4, her first responses took 2 hours.
	require.Contains(t, want, `"conversion":{"rate":{"num":2,"den":4}`)
	require.Contains(t, want, `"median":"2h0m0s"`)

	const workers = 16
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	got := make([][]string, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				s, err := run()
				if err != nil {
					errs[w] = err
					return
				}
				got[w] = append(got[w], s)
			}
		}()
	}
	wg.Wait()
	for w := range workers {
		require.NoError(t, errs[w], "goroutine %d", w)
		require.Len(t, got[w], rounds, "goroutine %d", w)
		for i, s := range got[w] {
			assert.Equal(t, want, s, "goroutine %d, round %d", w, i)
		}
	}
	againDeals, againInquiries := sharedInputs()
	assert.Equal(t, fmt.Sprint(againDeals), fmt.Sprint(deals), "the shared deals are unchanged")
	assert.Equal(t, fmt.Sprint(againInquiries), fmt.Sprint(inquiries), "the shared inquiries are unchanged")
	assert.Equal(t, quota.FunnelStages(def), opts.Stages, "the shared funnel order is unchanged")
	assert.Equal(t, "60", shares[0].Percent.String(), "the shared splits are unchanged")
}

// Forecast computes the chances of its goals on several goroutines when
// their open deals are many: each goal's outlook among many goals is the
// one Forecast gives the goal alone, which it computes on the caller's
// goroutine. Run with -race.
func TestForecastGoalsInParallel(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	asOf := time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)
	var goals []quota.Goal
	var deals []pipeline.Deal
	const reps, open = 4, 60 // 240 open deals: the goals' chances are computed in parallel
	for r := range reps {
		rep := sp.RepID(fmt.Sprintf("r%d", r))
		goals = append(goals, quota.Goal{Rep: rep, Region: "north", Period: nov, Revenue: eur(fmt.Sprintf("%d.00", 20000+5000*r))})
		for i := range open {
			deals = append(deals, pipeline.Deal{
				ID: sp.DealID(fmt.Sprintf("%s-%d", rep, i)), Owner: rep, Region: "north", Stage: pipeline.DealProposal,
				Amount: eur(fmt.Sprintf("%d.%02d", 200+(i*37+r*11)%900, i%100)), Created: nov.Start(),
				ExpectedClose: asOf.AddDate(0, 0, 1+i%10), Probability: decimal.New(int64(1+(i*7+r)%9), -1),
			})
		}
	}
	all, err := quota.Forecast(goals, quota.Refs(deals), asOf, nil)
	require.NoError(t, err)
	require.Len(t, all, reps)
	for i, g := range goals {
		alone, err := quota.Forecast([]quota.Goal{g}, quota.Refs(deals), asOf, nil)
		require.NoError(t, err)
		require.Len(t, alone, 1)
		assert.Equal(t, int64(open), all[i].Open, "goal %d", i)
		assert.NotEqual(t, quota.MethodCertain, alone[0].Chance.Method, "goal %d is not decided by its booked deals", i)
		a, err := json.Marshal(all[i])
		require.NoError(t, err)
		b, err := json.Marshal(alone[0])
		require.NoError(t, err)
		assert.Equal(t, string(b), string(a), "goal %d among %d and alone", i, reps)
	}
}

// Reach and Simulate, which spread their work over the available CPUs,
// give with several what they give with one, as their docs say: the
// streams and chunks are fixed and summed in order. Run with -race, which
// checks that the goroutines write apart.
func TestChancesDoNotDependOnTheCPUs(t *testing.T) {
	ps := randomProspects(7, 3000, 1_000_000, 1)
	goal := nearMean(ps, 0.1)
	run := func() (quota.Chance, quota.Simulation) {
		c, err := quota.Reach(goal, cents(0), slices.Values(ps))
		require.NoError(t, err)
		s, err := quota.Simulate(goal, cents(0), slices.Values(ps), 1000, 3)
		require.NoError(t, err)
		return c, s
	}
	procs := runtime.GOMAXPROCS(0)
	if procs < 2 {
		t.Skip("one CPU: nothing runs in parallel")
	}
	c, s := run()
	runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(procs)
	c1, s1 := run()
	assert.NotEqual(t, quota.MethodEnumeration, c.Method, "a pipeline too large to enumerate")
	assert.Equal(t, c1.Value, c.Value, "Reach's value")
	assert.Equal(t, c1.ErrorBound, c.ErrorBound, "Reach's bound")
	assert.Equal(t, c1.Shortfall.String(), c.Shortfall.String(), "Reach's shortfall")
	assert.Equal(t, s1.Value, s.Value, "Simulate's value")
	assert.Equal(t, s1.Shortfall.String(), s.Shortfall.String(), "Simulate's shortfall")
}
