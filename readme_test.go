package salesprocess_test

import (
	"bufio"
	"context"
	"fmt"
	"iter"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// The README's Go snippets, each between "// readme:begin NAME" and
// "// readme:end NAME" markers, verbatim: TestReadmeSnippetsMatch holds
// them to the README, and the tests around them declare what the snippets
// take from elsewhere (ctx, clock, berlin, catalog, brief, price, ...) and
// check what their comments say.
//
// The snippets, like much code in READMEs, assign a step's error to err and
// go on to the next step; the tests check the last err and the effects that
// show every step before it succeeded.
//
//lint:file-ignore SA4006 the README's snippets overwrite err between steps

// readmeBlocks names the README's ```go blocks in the order they appear.
var readmeBlocks = []string{"root", "training", "pipeline", "quota", "review", "store"}

// TestReadmeSnippetsMatch requires each ```go block of README.md to be the
// lines between its markers in this file, less the markers' indentation.
func TestReadmeSnippetsMatch(t *testing.T) {
	readme := readFileLines(t, "README.md")
	var blocks [][]string
	for i := 0; i < len(readme); i++ {
		if readme[i] != "```go" {
			continue
		}
		end := i + 1
		for end < len(readme) && readme[end] != "```" {
			end++
		}
		require.Less(t, end, len(readme), "README.md: the ```go block at line %d is not closed", i+1)
		blocks = append(blocks, readme[i+1:end])
		i = end
	}
	require.Len(t, blocks, len(readmeBlocks), "README.md's ```go blocks; readmeBlocks names one test per block")

	src := readFileLines(t, "readme_test.go")
	for i, name := range readmeBlocks {
		begin, end := "// readme:begin "+name, "// readme:end "+name
		var marked []string
		found := false
		for j := 0; j < len(src) && !found; j++ {
			indent, ok := strings.CutSuffix(src[j], begin)
			if !ok || strings.Trim(indent, "\t") != "" {
				continue
			}
			found = true
			for k := j + 1; ; k++ {
				require.Less(t, k, len(src), "readme_test.go: %q without %q", begin, end)
				if src[k] == indent+end {
					break
				}
				line, ok := strings.CutPrefix(src[k], indent)
				if !ok && src[k] != "" {
					t.Fatalf("readme_test.go:%d: less indented than its %q marker", k+1, begin)
				}
				marked = append(marked, line)
			}
		}
		for len(marked) > 0 && marked[len(marked)-1] == "" { // gofmt's blank line after a declaration
			marked = marked[:len(marked)-1]
		}
		require.True(t, found, "readme_test.go: no %q marker", begin)
		assert.Equal(t, strings.Join(blocks[i], "\n"), strings.Join(marked, "\n"),
			"README.md's ```go block %d differs from the lines between the %q markers in readme_test.go", i+1, name)
	}
}

func readFileLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.NoError(t, sc.Err())
	return lines
}

// captureStdout sends os.Stdout to a file until the function it returns is
// called, which restores os.Stdout and returns what was written.
func captureStdout(t *testing.T) func() string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdout")
	require.NoError(t, err)
	old := os.Stdout
	os.Stdout = f
	restore := func() {
		if os.Stdout == f {
			os.Stdout = old
		}
	}
	t.Cleanup(func() {
		restore()
		f.Close()
	})
	return func() string {
		restore()
		b, err := os.ReadFile(f.Name())
		require.NoError(t, err)
		return string(b)
	}
}

// readmeWorld holds what the snippets take from elsewhere: Sunfield
// Energy's Berlin division, its sunbox and its catalog, and a clock in the
// month under way.
type readmeWorld struct {
	ctx     context.Context
	berlin  *time.Location
	month   sp.Period
	clock   *sp.SteppingClock
	catalog *training.Catalog
	brief   training.Brief
	price   sp.Money
	goal    sp.Money
}

func newReadmeWorld(t *testing.T, year int) readmeWorld {
	t.Helper()
	berlin := location(t, "Europe/Berlin")
	month := sp.Month(year, time.November, berlin)
	catalog, err := training.NewCatalog(
		[]training.Module{{ID: "sunbox-basics", Title: "Sunbox basics", Kind: training.ModuleProductKnowledge, Product: "sunbox",
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 20, PassMark: 15}}},
		[]training.Curriculum{{ID: "sunbox-cert", Title: "Selling the sunbox", Product: "sunbox",
			Modules: []training.ModuleID{"sunbox-basics"}, ValidMonths: 12}},
	)
	require.NoError(t, err)
	start := month.Start().Add(9 * time.Hour) // the 1st, 09:00
	return readmeWorld{
		ctx:     context.Background(),
		berlin:  berlin,
		month:   month,
		clock:   sp.NewSteppingClock(start, time.Minute),
		catalog: catalog,
		brief: training.Brief{
			Product: "sunbox", Version: training.MustParseVersion("1.0"), Published: month.Start().AddDate(0, -1, 0),
			Pros:        []string{"stores the day's solar power for the evening"},
			KeyMessages: []string{"pays for itself in about eight years at today's prices"},
			Prohibited: []training.Claim{{Phrase: "guaranteed savings", Reason: "savings depend on use and prices",
				Severity: training.SeverityCritical}},
		},
		price: money(t, "104500.00 EUR"),
		goal:  money(t, "100000.00 EUR"),
	}
}

// certifiedTrainer returns a trainer on a fresh store that has published
// the brief and certified ann, as the training snippet does.
func (w readmeWorld) certifiedTrainer(t *testing.T) *training.Trainer {
	t.Helper()
	trainer := training.NewTrainer(trainingtest.NewMemStore(), w.catalog, &training.Options{Clock: w.clock})
	require.NoError(t, trainer.PublishBrief(w.ctx, w.brief))
	_, err := trainer.RecordAttempt(w.ctx, training.Attempt{ID: "ann-1", Rep: "ann", Module: "sunbox-basics", Score: 17})
	require.NoError(t, err)
	_, err = trainer.Certify(w.ctx, "ann", "sunbox-cert")
	require.NoError(t, err)
	return trainer
}

// salesStore returns a pipeline store holding ann's month as the pipeline
// snippet makes it: inq-1 converted to a deal she won, and inq-2, received
// and still new.
func (w readmeWorld) salesStore(t *testing.T, trainer *training.Trainer) *pipelinetest.MemStore {
	t.Helper()
	store := pipelinetest.NewMemStore()
	engine, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: w.clock, Eligibility: trainer.Readiness()})
	require.NoError(t, err)
	ctx, ann, web := w.ctx, sp.RepActor("ann"), sp.SystemActor("web-form")
	for _, id := range []sp.InquiryID{"inq-1", "inq-2"} {
		_, err = engine.ReceiveInquiry(ctx, web, pipeline.Inquiry{
			ID: id, Channel: "web", Region: "north", Product: "sunbox", Customer: sp.CustomerID("cust-" + id[4:]), Owner: "ann"}, nil)
		require.NoError(t, err)
	}
	_, err = engine.Contact(ctx, ann, "inq-1", pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
	require.NoError(t, err)
	_, err = engine.Qualify(ctx, ann, "inq-1", nil)
	require.NoError(t, err)
	_, deal, err := engine.Convert(ctx, ann, "inq-1", pipeline.Conversion{Terms: pipeline.Terms{Amount: w.price}}, nil)
	require.NoError(t, err)
	_, err = engine.Win(ctx, ann, deal.ID, nil)
	require.NoError(t, err)
	return store
}

func TestReadmeRoot(t *testing.T) {
	berlin := newReadmeWorld(t, 2026).berlin
	stdout := captureStdout(t)

	// readme:begin root
	goal, _ := sp.ParseMoney("100000.00 EUR")
	parts, _ := goal.Allocate(31, 28, 31) // by the days of the months: 34444.45, 31111.11, 34444.44 EUR, summing exactly

	nov := sp.Month(2026, time.November, berlin)
	hired, _ := sp.NewPeriod(time.Date(2026, 11, 11, 0, 0, 0, 0, berlin), nov.End())
	fmt.Println(nov.Coverage(hired)) // 2/3: a rep hired on the 11th works 20 of November's 30 days
	// readme:end root

	assert.Equal(t, "2/3\n", stdout())
	assert.Equal(t, "100000.00 EUR", goal.String())
	assert.Equal(t, "[34444.45 EUR 31111.11 EUR 34444.44 EUR]", fmt.Sprint(parts))
	sum, err := sp.Sum(goal.Currency(), slices.Values(parts))
	require.NoError(t, err)
	assert.True(t, sum.Equal(goal), "the parts sum to %s", sum)
	assert.Equal(t, 20, int(hired.End().Sub(hired.Start()).Hours()/24), "hired's days")
}

func TestReadmeTraining(t *testing.T) {
	w := newReadmeWorld(t, 2026)
	ctx, clock, catalog, brief := w.ctx, w.clock, w.catalog, w.brief
	at := w.month.Start().AddDate(0, 0, 14) // mid-November
	stdout := captureStdout(t)

	// readme:begin training
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: clock})
	err := trainer.PublishBrief(ctx, brief)
	check, _ := training.CheckPitch(brief, "phone", "Guaranteed SAVINGS, from day one!")
	fmt.Println(check.Worst()) // critical: "guaranteed savings" is a prohibited claim

	_, err = trainer.RecordAttempt(ctx, training.Attempt{ID: "ann-1", Rep: "ann", Module: "sunbox-basics", Score: 17})
	cert, err := trainer.Certify(ctx, "ann", "sunbox-cert")
	err = trainer.Readiness().Eligible(ctx, "ann", "sunbox", "phone", at) // nil: Ann may sell it
	// readme:end training

	assert.Equal(t, "critical\n", stdout())
	require.Len(t, check.Violations, 1)
	assert.Equal(t, "guaranteed savings", check.Violations[0].Claim)
	assert.NoError(t, err, "Ann may sell it")
	assert.Equal(t, sp.RepID("ann"), cert.Rep)
	assert.Equal(t, sp.ProductID("sunbox"), cert.Product)
}

func TestReadmePipeline(t *testing.T) {
	w := newReadmeWorld(t, 2026)
	ctx, clock, price := w.ctx, w.clock, w.price
	trainer := w.certifiedTrainer(t)

	// readme:begin pipeline
	store := pipelinetest.NewMemStore() // or the host's own pipeline.Store
	engine, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: clock, Eligibility: trainer.Readiness()})

	ann := sp.RepActor("ann")
	_, err = engine.ReceiveInquiry(ctx, sp.SystemActor("web-form"), pipeline.Inquiry{
		ID: "inq-1", Channel: "web", Region: "north", Product: "sunbox", Customer: "cust-1", Owner: "ann"}, nil)
	_, err = engine.Contact(ctx, ann, "inq-1", pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
	_, err = engine.Qualify(ctx, ann, "inq-1", nil)
	_, deal, err := engine.Convert(ctx, ann, "inq-1", pipeline.Conversion{Terms: pipeline.Terms{Amount: price}}, nil)
	deal, err = engine.Win(ctx, ann, deal.ID, nil) // or Lose, with a LossReason
	// readme:end pipeline

	require.NoError(t, err)
	assert.Equal(t, pipeline.DealWon, deal.Stage)
	assert.True(t, deal.Amount.Equal(price))
	inq, err := store.GetInquiry(ctx, "inq-1")
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryConverted, inq.Stage)
	assert.Equal(t, deal.ID, inq.Deal)
}

func TestReadmeQuota(t *testing.T) {
	w := newReadmeWorld(t, 2026)
	ctx, nov, goal := w.ctx, w.month, w.goal
	// Deal listings that can be ranged over once, as a database cursor's.
	store := singleUse{w.salesStore(t, w.certifiedTrainer(t))}
	asOf := nov.Start().AddDate(0, 0, 14) // halfway through

	// readme:begin quota
	var listErr error // the store's, if a listing ends early: check it after each calculator
	// A store's listing may be single-use: one per calculator.
	deals := func() iter.Seq[*pipeline.Deal] {
		return quota.Records(store.ListDeals(ctx, pipeline.DealFilter{}), &listErr)
	}
	inquiries := func() iter.Seq[*pipeline.Inquiry] {
		return quota.Records(store.ListInquiries(ctx, pipeline.InquiryFilter{}), &listErr)
	}
	goals := []quota.Goal{{Rep: "ann", Region: "north", Period: nov, Revenue: goal}}

	outlooks, _ := quota.Forecast(goals, deals(), asOf, nil) // outlooks[0].Chance.Value: P(reaching the goal)
	conv, _ := quota.CohortConversion(inquiries(), deals(), nov, asOf, quota.Grouping{Channel: true}, nil)
	iv, _ := quota.Rate{Num: 7, Den: 20}.Wilson(0.95, 4) // [0.1812, 0.5671]
	// readme:end quota

	require.NoError(t, listErr)
	require.Len(t, outlooks, 1)
	assert.Equal(t, 1.0, outlooks[0].Chance.Value, "ann has won more than her goal")
	require.Len(t, conv.Groups, 1)
	assert.Equal(t, sp.ChannelID("web"), conv.Groups[0].Key.Channel)
	assert.Equal(t, [2]int64{2, 1}, [2]int64{conv.Groups[0].Inquiries, conv.Groups[0].Won})
	assert.Equal(t, "[0.1812, 0.5671]", iv.String())
}

// singleUse is a store whose listings, like a database cursor, can be
// ranged over once: a second range yields nothing.
type singleUse struct{ *pipelinetest.MemStore }

func (s singleUse) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return once(s.MemStore.ListDeals(ctx, f))
}

func (s singleUse) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return once(s.MemStore.ListInquiries(ctx, f))
}

// once returns seq, which yields nothing after its first range.
func once[T any](seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	used := false
	return func(yield func(T, error) bool) {
		if used {
			return
		}
		used = true
		seq(yield)
	}
}

func TestReadmeReview(t *testing.T) {
	// The snippet's Reviewer has no Clock: it reviews as of the system
	// clock's time, or the end of the period if that is earlier. A past
	// November makes that its end whenever the test runs.
	w := newReadmeWorld(t, 2025)
	ctx, nov, catalog := w.ctx, w.month, w.catalog
	trainer := w.certifiedTrainer(t)
	store := singleUse{w.salesStore(t, trainer)}
	var listErr error
	deals := func() iter.Seq[*pipeline.Deal] {
		return quota.Records(store.ListDeals(ctx, pipeline.DealFilter{}), &listErr)
	}
	inquiries := func() iter.Seq[*pipeline.Inquiry] {
		return quota.Records(store.ListInquiries(ctx, pipeline.InquiryFilter{}), &listErr)
	}
	goals := []quota.Goal{{Rep: "ann", Region: "north", Period: nov, Revenue: w.goal}}
	stdout := captureStdout(t)

	// readme:begin review
	r, err := review.New(review.DefaultRules(), &review.Options{
		Certificates: trainer.Readiness(),               // who is certified
		Assigner:     trainer,                           // retraining becomes training assignments
		Modules:      review.CatalogModules(catalog),    // the module that teaches a product
		Curricula:    review.CatalogCurricula(catalog),  // a curriculum's modules, to renew its certificate
		Certifying:   review.CatalogCertifying(catalog), // the curriculum that earns a product's certificate
	})
	report, err := r.Review(ctx, review.Input{Period: nov, Deals: deals(), Inquiries: inquiries(), Goals: goals})
	for _, f := range report.Findings {
		fmt.Println(f.Severity, f.Subject, f.Rule, f.Cause) // info rep ann target_met
	}
	err = report.Markdown(os.Stdout) // or report.WriteJSON(w), which review.ParseReport reads back
	// readme:end review

	out := stdout()
	require.NoError(t, err)
	require.NoError(t, listErr)
	first, markdown, _ := strings.Cut(out, "\n")
	// A finding traced to no cause prints its empty Cause after a space.
	assert.Equal(t, "info rep ann target_met ", first, "the findings, then the Markdown report:\n%s", out)
	assert.Len(t, report.Findings, 1)
	assert.Contains(t, markdown, "target_met")
}

// readmeDB is a host's database in the store snippet: one value that is a
// pipeline.Store, a training.Store and a quota.GoalStore, here the
// in-memory stores of the test packages.
type readmeDB struct {
	*pipelineMem
	*trainingMem
	*quotatest.MemGoalStore
}

// Aliases give the embedded stores, both named MemStore, distinct fields.
type (
	pipelineMem = pipelinetest.MemStore
	trainingMem = trainingtest.MemStore
)

func newTestDB(*testing.T) *readmeDB {
	return &readmeDB{pipelinetest.NewMemStore(), trainingtest.NewMemStore(), new(quotatest.MemGoalStore)}
}

// readme:begin store
func TestStore(t *testing.T) {
	pipelinetest.RunStoreTests(t, func(t *testing.T) pipeline.Store { return newTestDB(t) })
	trainingtest.RunStoreTests(t, func(t *testing.T) training.Store { return newTestDB(t) })
	quotatest.RunGoalStoreTests(t, func(t *testing.T) quota.GoalStore { return newTestDB(t) })
}

// readme:end store
