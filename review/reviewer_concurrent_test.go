package review_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// sharers is the number of goroutines of the tests of this file.
const sharers = 16

// One Reviewer whose Options hold quota functions (an OutcomeBy
// classification, splits, zones, a calendar), a host rule, a Publisher
// and module lookups runs 16 reviews of one shared input at once: each
// gives the report a serial review gives, byte for byte, and every
// review calls the host rule and publishes the serial review's events.
// Run with -race.
func TestReviewerOptionsSharedByConcurrentReviews(t *testing.T) {
	deals := lagging()
	for i := range deals {
		deals[i].Pipeline = "retail"
	}
	spec := pipeline.DefaultSpec()
	spec.Name = "retail"
	def, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	var evaluated, split atomic.Int64
	hostRule := review.NewRule("bob_watch", func(_ context.Context, s *review.Snapshot) ([]review.Finding, error) {
		evaluated.Add(1)
		row, ok := s.Rep("bob")
		if !ok || row.Won >= row.Lost {
			return nil, nil
		}
		return []review.Finding{{Subject: review.RepSubject("bob"), Severity: review.SeverityInfo,
			Summary: fmt.Sprintf("bob won %d of %d", row.Won, row.Won+row.Lost)}}, nil
	})
	events := &pipelinetest.Recorder{}
	r, err := review.New(review.DefaultRules(), &review.Options{
		Clock: reviewClock(), Publisher: events, Rules: []review.Rule{hostRule},
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true },
		Quota: &quota.Options{
			Outcome: quota.OutcomeBy(def),
			Splits: func(d *pipeline.Deal) []quota.Split {
				split.Add(1)
				if d.Owner != "ann" {
					return nil
				}
				return []quota.Split{{Rep: "ann", Percent: decimal.New(75, 0)}, {Rep: "cat", Percent: decimal.New(25, 0)}}
			},
			Location: func(sp.RegionID) *time.Location { return time.UTC },
			Calendar: quota.Weekdays(),
		},
	})
	require.NoError(t, err)
	goals := []quota.Goal{
		{Rep: "ann", Region: north, Period: november, Revenue: mustMoney("1000.00 EUR")},
		{Rep: "bob", Region: north, Period: november, Revenue: mustMoney("1000.00 EUR")},
		{Rep: "cat", Region: north, Period: november, Revenue: mustMoney("1000.00 EUR")},
	}
	in := review.Input{Period: november, Deals: quota.Refs(deals), Goals: goals}
	report := func() (string, error) {
		rep, err := r.Review(context.Background(), in)
		if err != nil {
			return "", err
		}
		var b bytes.Buffer
		err = rep.WriteJSON(&b)
		return b.String(), err
	}
	want, err := report()
	require.NoError(t, err)
	require.Contains(t, want, `"summary": "bob won 1 of 20"`, "the host rule's finding")
	require.Contains(t, want, `"reason": "review 2026-11: rep bob`, "the retraining, from the modules lookup")
	require.Positive(t, split.Load(), "the splits were asked")
	require.Contains(t, want, "attained 120.00 %", "ann's goal counts her 75 % of her won deals")
	serialEvents := len(events.Events())
	require.Positive(t, serialEvents)

	const runs = sharers
	got := make([]string, runs)
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = report()
		}()
	}
	wg.Wait()
	for i := range runs {
		require.NoError(t, errs[i], "review %d", i)
		assert.Equal(t, want, got[i], "review %d", i)
	}
	assert.Equal(t, int64(runs+1), evaluated.Load(), "host rule evaluations")
	assert.Len(t, events.Events(), (runs+1)*serialEvents, "events published")
}

// One report, as a review built it and as decoded from its JSON form, is
// rendered and written by 16 goroutines at once: each gets the Markdown,
// the text and the JSON a serial rendering gives. Run with -race.
func TestReportRenderedConcurrently(t *testing.T) {
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(),
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
	require.NoError(t, err)
	built, err := r.Review(context.Background(), review.Input{Period: november, Deals: quota.Refs(lagging())})
	require.NoError(t, err)
	render := func(rep *review.Report) (string, error) {
		var md, text, js bytes.Buffer
		if err := rep.Markdown(&md); err != nil {
			return "", err
		}
		if err := rep.Text(&text); err != nil {
			return "", err
		}
		if err := rep.WriteJSON(&js); err != nil {
			return "", err
		}
		return md.String() + "\n---\n" + text.String() + "\n---\n" + js.String(), nil
	}
	want, err := render(&built)
	require.NoError(t, err)
	require.Contains(t, want, "bob")
	js := want[strings.LastIndex(want, "\n---\n")+len("\n---\n"):]
	decoded, err := review.ParseReport([]byte(js))
	require.NoError(t, err)

	for name, rep := range map[string]*review.Report{"built": &built, "decoded": &decoded} {
		got := make([]string, sharers)
		errs := make([]error, sharers)
		var wg sync.WaitGroup
		for i := range sharers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = render(rep)
			}()
		}
		wg.Wait()
		for i := range sharers {
			require.NoError(t, errs[i], "%s report, goroutine %d", name, i)
			assert.Equal(t, want, got[i], "%s report, goroutine %d", name, i)
		}
	}
}
