package review_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/review"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// inquire receives n inquiries for rep about product; the first contacted
// are contacted after delay, converted of them are converted to won deals
// and, if closeRest, the others disqualified; the rest are left without a
// contact.
func (w *world) inquire(rep sp.RepID, region sp.RegionID, product sp.ProductID, n, contacted, converted int, delay time.Duration, closeRest bool) {
	w.t.Helper()
	var ids []sp.InquiryID
	for range n {
		w.n++
		id := sp.InquiryID(fmt.Sprintf("i-%04d", w.n))
		ids = append(ids, id)
		_, err := w.sc.Engine.ReceiveInquiry(w.ctx, pipelinetest.System(), pipeline.Inquiry{
			ID: id, Channel: pipelinetest.ChannelPhone, Region: region, Product: product,
			Customer: sp.CustomerID(fmt.Sprintf("c-%04d", w.n)), Owner: rep,
		}, nil)
		require.NoError(w.t, err)
	}
	w.sc.Clock.Advance(delay)
	for i, id := range ids[:contacted] {
		_, err := w.sc.Engine.Contact(w.ctx, pipelinetest.System(), id, pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
		require.NoError(w.t, err)
		if i >= converted {
			if closeRest {
				_, err = w.sc.Engine.Disqualify(w.ctx, pipelinetest.System(), id, "no budget", nil)
				require.NoError(w.t, err)
			}
			continue
		}
		_, err = w.sc.Engine.Qualify(w.ctx, pipelinetest.System(), id, nil)
		require.NoError(w.t, err)
		_, d, err := w.sc.Engine.Convert(w.ctx, pipelinetest.System(), id, pipeline.Conversion{Terms: pipeline.Terms{
			Amount: pipelinetest.MustEUR("1000.00"), ExpectedClose: time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC)}}, nil)
		require.NoError(w.t, err)
		_, err = w.sc.Engine.Win(w.ctx, pipelinetest.System(), d.ID, nil)
		require.NoError(w.t, err)
	}
}

// goldenWorld is a month of a small company, reviewed on November 20:
// two regions, seven reps, two products. Ann is over target; Bob lags on
// widgets; the gadget loses for product reasons across the north and its
// customers complain; Dan answers inquiries late and leaves some
// unanswered; Fay sells gadgets without a certificate; Eve's widget
// certificate expires in December; Gus has a thin pipeline.
func goldenWorld(t testing.TB) *world {
	w := newWorld(t)
	for _, r := range []sp.RepID{"ann", "bob", "cat", "dan"} {
		w.rep(r, north)
	}
	w.rep("eve", south)
	w.reps = append(w.reps, sp.Rep{ID: "fay", Name: "Rep fay", Region: south})
	w.certify("fay", widget, time.Date(2027, time.October, 1, 0, 0, 0, 0, time.UTC))
	w.rep("gus", south)
	w.certify("eve", widget, time.Date(2026, time.December, 10, 0, 0, 0, 0, time.UTC))

	for _, r := range []sp.RepID{"ann", "cat", "dan", "eve", "fay", "gus"} {
		w.sell(r, regionOf(r), widget, 14, 6, pipeline.LossCompetitor)
	}
	w.sell("bob", north, widget, 3, 17, pipeline.LossRepExecution)
	var won []sp.DealID
	for _, r := range []sp.RepID{"ann", "bob", "cat"} {
		won = append(won, w.sell(r, north, gadget, 3, 5, pipeline.LossProduct)...)
		w.sell(r, north, gadget, 0, 2, pipeline.LossPrice)
	}
	w.sell("dan", north, gadget, 5, 5, pipeline.LossPrice)
	w.sell("fay", south, gadget, 6, 4, pipeline.LossPrice)
	w.sell("ann", north, widget, 6, 0, "")
	for i, id := range won[:6] {
		w.followUp(id, 1+i%3, []sp.FeedbackCategory{sp.FeedbackQuality, sp.FeedbackQuality, sp.FeedbackService}[i%3],
			"stopped working after a few days")
	}
	w.feedback = append(w.feedback, sp.Feedback{ID: "fb-field", Product: gadget, Rating: 2, Category: sp.FeedbackMissingFeature,
		Source: sp.FromCustomer, Customer: "c-9999", Text: "needs a longer cable", Time: time.Date(2026, time.November, 10, 0, 0, 0, 0, time.UTC)})

	w.inquire("ann", north, widget, 10, 10, 6, 2*time.Hour, true)
	w.inquire("cat", north, widget, 10, 10, 5, 3*time.Hour, true)
	w.inquire("dan", north, widget, 10, 6, 2, 40*time.Hour, false)

	for _, o := range []struct {
		rep sp.RepID
		n   int
	}{{"cat", 3}, {"dan", 4}, {"eve", 3}, {"fay", 3}} {
		for range o.n {
			id := w.open(o.rep, regionOf(o.rep), widget)
			_, err := w.sc.Engine.Advance(w.ctx, pipelinetest.System(), id, pipeline.DealNegotiation, nil)
			require.NoError(t, err)
		}
	}
	w.open("gus", south, widget)
	w.open("gus", south, widget)
	for _, r := range []sp.RepID{"ann", "bob", "cat", "dan"} {
		w.goal(r, north, "24000.00")
	}
	w.goal("eve", south, "16000.00")
	w.goal("fay", south, "22000.00")
	w.goal("gus", south, "22000.00")
	return w
}

func regionOf(r sp.RepID) sp.RegionID {
	switch r {
	case "eve", "fay", "gus":
		return south
	}
	return north
}

func goldenReport(t *testing.T) (review.Report, *pipelinetest.Recorder) {
	w := goldenWorld(t)
	events := &pipelinetest.Recorder{}
	r, err := review.New(review.DefaultRules(), w.options(events))
	require.NoError(t, err)
	in := w.input()
	in.AsOf = time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC)
	rep, err := r.Review(w.ctx, in)
	require.NoError(t, err)
	return rep, events
}

// golden compares got with the golden file name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden files")
	assert.Equal(t, string(want), string(got), "golden file %s differs; run go test -update after checking the change", path)
}

func TestGoldenReport(t *testing.T) {
	rep, events := goldenReport(t)

	var js, md, txt bytes.Buffer
	require.NoError(t, rep.WriteJSON(&js))
	require.NoError(t, rep.Markdown(&md))
	require.NoError(t, rep.Text(&txt))
	golden(t, "report.json", js.Bytes())
	golden(t, "report.md", md.Bytes())
	golden(t, "report.txt", txt.Bytes())

	// The JSON round-trips exactly, and the decoded report renders the
	// same and diagnoses the same.
	back, err := review.ParseReport(js.Bytes())
	require.NoError(t, err)
	var js2, md2 bytes.Buffer
	require.NoError(t, back.WriteJSON(&js2))
	require.NoError(t, back.Markdown(&md2))
	assert.Equal(t, js.String(), js2.String())
	assert.Equal(t, md.String(), md2.String())
	for _, subj := range []review.Subject{review.RepSubject("bob"), review.ProductSubject(gadget), review.RegionSubject(north), review.CompanySubject()} {
		assert.Equal(t, rep.Snapshot.Diagnose(subj, review.RateWinRate), back.Snapshot.Diagnose(subj, review.RateWinRate), subj.String())
	}

	// A report written with the durations of its follow-up figures in
	// nanoseconds, as encoding/json writes a time.Duration, reads as the
	// same report.
	durText := regexp.MustCompile(`"(mean|min|p25|median|p75|p90|max)": "([^"]*)"`)
	n := 0
	old := durText.ReplaceAllStringFunc(js.String(), func(m string) string {
		parts := durText.FindStringSubmatch(m)
		d, err := time.ParseDuration(parts[2])
		require.NoError(t, err, m)
		n++
		return fmt.Sprintf("%q: %d", parts[1], int64(d))
	})
	require.Positive(t, n, "the report holds durations as text")
	fromOld, err := review.ParseReport([]byte(old))
	require.NoError(t, err)
	var js3 bytes.Buffer
	require.NoError(t, fromOld.WriteJSON(&js3))
	assert.Equal(t, js.String(), js3.String())

	// Every rule of the defaults found something in this month.
	rules := map[string]bool{}
	for _, f := range rep.Findings {
		rules[f.Rule] = true
	}
	for _, name := range []string{review.RuleTargetMet, review.RuleTargetMissed, review.RuleRepProductLag,
		review.RuleSlowFollowUp, review.RuleProductLosses, review.RuleThinPipeline, review.RuleCertification,
		review.RuleFeedbackPileup} {
		assert.True(t, rules[name], "no finding of %s", name)
	}
	assert.Len(t, rep.Outcome.Events, len(events.Events()))
	for _, e := range events.Events() {
		assert.NoError(t, e.Validate())
	}
}
