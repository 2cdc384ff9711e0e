package sqlstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// sentinels are the errors a differential test compares by errors.Is.
var sentinels = []error{sp.ErrNotFound, sp.ErrConflict, sp.ErrInvalid, sp.ErrInvalidTransition,
	sp.ErrForbidden, sp.ErrCurrencyMismatch, sp.ErrDuplicate, pipeline.ErrKeyReused, context.Canceled}

// kinds returns which sentinels err wraps, as text; "ok" for no error.
func kinds(err error) string {
	if err == nil {
		return "ok"
	}
	var out []string
	for _, s := range sentinels {
		if errors.Is(err, s) {
			out = append(out, s.Error())
		}
	}
	return fmt.Sprintf("error %q", out)
}

// canon returns the JSON of v with every time in UTC, so that records
// compare by instant whatever location a store reads them back in.
func canon(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var x any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	require.NoError(t, d.Decode(&x))
	b, err = json.Marshal(utcTimes(x))
	require.NoError(t, err)
	return string(b)
}

// utcTimes rewrites the RFC 3339 strings in a decoded JSON value to UTC.
func utcTimes(x any) any {
	switch v := x.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = utcTimes(e)
		}
	case []any:
		for i, e := range v {
			v[i] = utcTimes(e)
		}
	case string:
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	return x
}

// collectSeq returns the values of seq as text, ending with the error kind
// of its error, if any.
func collectSeq[T any](t *testing.T, seq iter.Seq2[T, error]) string {
	t.Helper()
	var out []string
	for v, err := range seq {
		if err != nil {
			out = append(out, kinds(err))
			break
		}
		out = append(out, canon(t, v))
	}
	return fmt.Sprint(out)
}

// diffSide is one of the two sides of a differential test: an engine on
// its stores.
type diffSide struct {
	inq    pipeline.InquiryStore
	store  pipeline.Store // the deals, the outcomes and, if it keeps them, the events
	engine *pipeline.Engine
	events func() []sp.Event // the events its store keeps, if any
	pub    *pipelinetest.Recorder
}

func newDiffSide(t *testing.T, inq pipeline.InquiryStore, s pipeline.Store, events func() []sp.Event) *diffSide {
	t.Helper()
	pub := new(pipelinetest.Recorder)
	e, err := pipeline.NewEngine(inq, s, &pipeline.Options{
		Clock:     sp.NewSteppingClock(pipelinetest.Epoch().Add(123456789), 7*time.Minute+13*time.Nanosecond),
		Publisher: pub,
		Eligibility: pipelinetest.Certified{
			pipelinetest.RepAnn: {pipelinetest.ProductWidget, pipelinetest.ProductGadget},
			pipelinetest.RepBob: {pipelinetest.ProductWidget},
		},
		Pipelines: []*pipeline.Definition{pingPong()},
		Policy: pipeline.PolicyFunc(func(ctx context.Context, a sp.Actor, cmd pipeline.Command, tg pipeline.Target) error {
			if cancel, ok := ctx.Value(cancelKey{}).(context.CancelFunc); ok {
				cancel() // the context ends while the command runs
			}
			return pipeline.DefaultPolicy{}.Authorize(ctx, a, cmd, tg)
		}),
	})
	require.NoError(t, err)
	return &diffSide{inq: inq, store: s, engine: e, events: events, pub: pub}
}

// cancelKey keys the context.CancelFunc that the Policy of a side calls,
// so that the context of a command ends while it runs.
type cancelKey struct{}

// noOutbox hides the Outbox of a store, so that an engine on it publishes
// the events instead.
type noOutbox struct {
	pipeline.Store
	pipeline.IdempotencyStore
	pipeline.Transactor
}

// diffStep is one step of the sequence: it runs on a side and returns what
// the step returned, to compare.
type diffStep struct {
	name string
	run  func(ctx context.Context, s *diffSide) (any, error)
}

// TestDifferential runs seeded random sequences of operations on the
// in-memory stores of pipelinetest, trainingtest and quotatest and on the
// SQL store, and compares after every step what each returned (the errors
// by the sentinels they wrap) and everything each store holds.
//
// The pipeline sequence mixes every command of the Engine, keyed and not,
// by actors of every role, many refused, with retries of keyed commands,
// keys reused for other commands, conversions, reopenings and after-sale
// steps, writes straight to the stores at current, stale and malformed
// versions, and contexts that end before or while a command runs. After
// each step it compares every record (Get, and List under filters of every
// field, periods in several zones and After), the overdue inquiries, the
// events the outbox keeps or the Publisher got (IDs, types, times,
// payloads) and the idempotency outcomes. It runs with the events in the
// outbox, published through a store that hides its outbox, and split, with
// the inquiries in a store of their own. The training sequence mixes the
// Trainer's operations with writes straight to the store and compares
// every listing; it dates most attempts, sales and feedback before the
// trainer's clock, the sales mostly within their pilot's period, and some
// after the clock, and fails unless it stored some of each kind and the
// Trainer refused every one dated after the clock; the goals sequence puts goals in periods of several zones,
// some across changes of offset, and compares the goals that overlap many
// periods.
func TestDifferential(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		if b.name == "sqlite_file" {
			t.Skip("the in-memory SQLite database runs the same SQL")
		}
		for _, seed := range diffSeeds {
			// The events go to the store's outbox; or, through a store
			// that hides its outbox, to the Publisher; or, with the
			// inquiries in a store of their own, the inquiries' events to
			// the Publisher and the deals' to the outbox.
			for _, config := range []string{"outbox", "publisher", "split"} {
				t.Run(fmt.Sprint("pipeline/", config, "/seed", seed), func(t *testing.T) {
					sqls := b.open(t, &sqlstore.Options{PageSize: 2})
					sqlEvents := func() []sp.Event {
						var out []sp.Event
						for e, err := range sqls.ListEvents(context.Background(), 0) {
							require.NoError(t, err)
							out = append(out, e.Event)
						}
						return out
					}
					var want, got *diffSide
					switch config {
					case "outbox":
						mem := pipelinetest.NewOutboxMemStore()
						want, got = newDiffSide(t, mem, mem, mem.Events), newDiffSide(t, sqls, sqls, sqlEvents)
					case "publisher":
						mem := pipelinetest.NewMemStore()
						want, got = newDiffSide(t, mem, mem, nil), newDiffSide(t, sqls, noOutbox{sqls, sqls, sqls}, sqlEvents)
					case "split":
						mem := pipelinetest.NewOutboxMemStore()
						want, got = newDiffSide(t, pipelinetest.NewMemStore(), mem, mem.Events),
							newDiffSide(t, pipelinetest.NewMemStore(), sqls, sqlEvents)
					}
					runDifferential(t, seed, diffSteps, want, got)
				})
			}
			t.Run(fmt.Sprint("training/seed", seed), func(t *testing.T) {
				runTrainingDifferential(t, seed, diffSteps,
					newTrainSide(t, trainingtest.NewMemStore()), newTrainSide(t, b.open(t, &sqlstore.Options{PageSize: 2})))
			})
			t.Run(fmt.Sprint("goals/seed", seed), func(t *testing.T) {
				runGoalsDifferential(t, seed, diffSteps/2, new(quotatest.MemGoalStore), b.open(t, &sqlstore.Options{PageSize: 2}))
			})
		}
	})
}

// diffSeeds are the seeds of the sequences, and diffSteps their length.
var (
	diffSeeds = []uint64{1}
	diffSteps = 120
)

func runDifferential(t *testing.T, seed uint64, steps int, want, got *diffSide) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, seed*7919))
	g := &diffGen{r: r, inquiries: want.inq, deals: want.store}
	var keys []string
	for i := range steps {
		st := g.step()
		if st.name == "" {
			continue
		}
		// Some steps run with a context that ended before, or that ends
		// while the command runs (when the Policy is asked).
		mode := g.pick(12)
		run := func(s *diffSide) (any, error) {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			switch mode {
			case 0:
				cancel()
			case 1:
				ctx = context.WithValue(ctx, cancelKey{}, cancel)
			}
			return st.run(ctx, s)
		}
		wv, werr := run(want)
		gv, gerr := run(got)
		where := fmt.Sprintf("step %d (context mode %d): %s", i, mode, st.name)
		if testing.Verbose() {
			t.Logf("%s -> %s %v", where, kinds(werr), werr)
		}
		require.Equal(t, kinds(werr), kinds(gerr), "%s: errors differ:\nmem: %v\nsql: %v", where, werr, gerr)
		require.Equal(t, canon(t, wv), canon(t, gv), "%s: results differ", where)
		for _, k := range g.keys {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		// Every fourth step, and the last, compares the listings and
		// every outcome; the others, the records and the step's outcome.
		full := i%4 == 3 || i == steps-1
		if full {
			compareStores(t, where, want, got, keys, true)
		} else {
			compareStores(t, where, want, got, g.keys, false)
		}
		g.keys = nil
	}
}

// The IDs of the inquiries (and of the deals they convert to), in byte
// order but for case, digits and letters beyond ASCII.
var diffInquiryIDs = []sp.InquiryID{"i0", "i1", "I1", "i10", "i2", "ï3"}

// Zones the generated times are in.
var diffZones = func() []*time.Location {
	out := []*time.Location{time.UTC, time.FixedZone("UTC+5:45", 5*3600+45*60)}
	for _, n := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe"} {
		if loc, err := time.LoadLocation(n); err == nil {
			out = append(out, loc)
		}
	}
	return out
}()

// diffGen generates the steps.
type diffGen struct {
	r     *rand.Rand
	n     int
	keys  []string // the keys of the last step, once it ran
	steps []diffStep
	used  []string // keys given so far
	// inquiries and deals are the stores of the side that leads, which
	// guide reads to pick commands that move records along rather than
	// fail.
	inquiries pipeline.InquiryStore
	deals     pipeline.DealStore
	// inq and deal, when set, are the IDs inquiryID and dealID return
	// next.
	inq  sp.InquiryID
	deal sp.DealID
	// stage, when set, is the stage dealStage returns next.
	stage pipeline.DealStage
	// service is the stage of the service of the deal dealID returns
	// next, when guide picked one that has a service.
	service pipeline.ServiceStage
	// records counts the times recordAt drew, by kind.
	records map[string]int
}

// guide returns the case of newStep that moves a stored record along, and
// sets the record's ID to be picked; -1 for none.
func (g *diffGen) guide() int {
	ctx := context.Background()
	var ins []pipeline.Inquiry
	for in, err := range g.inquiries.ListInquiries(ctx, pipeline.InquiryFilter{}) {
		if err == nil {
			ins = append(ins, in)
		}
	}
	var ds []pipeline.Deal
	for d, err := range g.deals.ListDeals(ctx, pipeline.DealFilter{}) {
		// A deal followed up after its delivery moves no further, nor does
		// one lost in ping_pong, which declares no move that reopens.
		done := d.Service != nil && d.Service.Stage == pipeline.ServiceFollowedUp || d.Pipeline == "ping_pong" && d.Stage == "lost"
		if err == nil && !done {
			ds = append(ds, d)
		}
	}
	// While the stores hold few records that move, receive an inquiry or
	// open a deal, so that the commands that move them have some to move.
	if len(ins)+len(ds) < 6 && g.pick(2) == 0 {
		return pickOf(g, 0, 0, 12)
	}
	if len(ins) > 0 && (len(ds) == 0 || g.pick(2) == 0) {
		in := pickOf(g, ins...)
		g.inq = in.ID
		switch in.Stage {
		case pipeline.InquiryNew:
			return pickOf(g, 5, 3, 4)
		case pipeline.InquiryContacted:
			return pickOf(g, 7, 8, 4)
		case pipeline.InquiryQualified:
			return pickOf(g, 10, 10, 8)
		default:
			return 9
		}
	}
	if len(ds) == 0 {
		return -1
	}
	d := pickOf(g, ds...)
	g.deal = d.ID
	switch {
	case d.Service != nil:
		g.service = d.Service.Stage
		return pickOf(g, 21, 21, 19)
	case d.Stage == pipeline.DealLost || d.Stage == "lost":
		// Mostly back to the stage it was lost from.
		if n := len(d.History); n > 0 && g.pick(4) != 0 {
			g.stage = d.History[n-1].From
		}
		return 19
	}
	c := pickOf(g, 17, 17, 18, 18, 14, 15, 16, 20, 23)
	if c == 17 && g.pick(4) != 0 {
		// Mostly on to the next stage of its pipeline.
		order := []pipeline.DealStage{pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal,
			pipeline.DealNegotiation, pipeline.DealWon}
		if d.Pipeline == "ping_pong" {
			order = []pipeline.DealStage{"ping", "pong", "won"}
		}
		if i := slices.Index(order, d.Stage); i >= 0 && i+1 < len(order) {
			g.stage = order[i+1]
		}
	}
	return c
}

func (g *diffGen) pick(n int) int { return g.r.IntN(n) }

func pickOf[T any](g *diffGen, vs ...T) T { return vs[g.pick(len(vs))] }

func (g *diffGen) inquiryID() sp.InquiryID {
	if id := g.inq; id != "" {
		g.inq = ""
		return id
	}
	return diffInquiryIDs[g.pick(len(diffInquiryIDs))]
}

func (g *diffGen) dealID() sp.DealID {
	if id := g.deal; id != "" {
		g.deal = ""
		return id
	}
	if g.pick(3) == 0 {
		return sp.DealID(g.inquiryID()) // a converted inquiry's deal
	}
	return sp.DealID(fmt.Sprintf("d%d", g.pick(5)))
}

func (g *diffGen) actor() sp.Actor {
	switch n := g.pick(20); {
	case n < 9:
		return pipelinetest.Admin()
	case n < 13:
		return pipelinetest.Rep(pipelinetest.RepAnn)
	case n < 15:
		return pipelinetest.Manager(pipelinetest.RegionNorth)
	}
	return pickOf(g,
		pipelinetest.Rep(pipelinetest.RepBob), pipelinetest.Rep("rep-carl"),
		sp.ManagerActor("mgr-south", pipelinetest.RegionSouth), pipelinetest.System(), pipelinetest.Rep(pipelinetest.RepAnn))
}

func (g *diffGen) rep() sp.RepID {
	return pickOf[sp.RepID](g, pipelinetest.RepAnn, pipelinetest.RepAnn, pipelinetest.RepAnn, pipelinetest.RepBob,
		pipelinetest.RepBob, "rep-carl", "")
}

// at returns a time near the epoch, in a zone, to the nanosecond.
func (g *diffGen) at() time.Time {
	if g.pick(6) == 0 {
		// An instant at an edge of the periods the filters use: the start
		// of a month, a quarter or a year in a zone, or a nanosecond
		// before it.
		loc := pickOf(g, diffZones...)
		t := pickOf(g, sp.Month(2026, time.Month(9+g.pick(4)), loc).Start(), sp.Year(2027, loc).Start(), sp.QuarterOf(pipelinetest.Epoch().In(loc)).End())
		return t.Add(-time.Duration(g.pick(2)))
	}
	base := pipelinetest.Epoch().AddDate(0, g.pick(7)-3, g.pick(61)-30)
	t := base.Add(time.Duration(g.r.Int64N(int64(48 * time.Hour))))
	return t.In(pickOf(g, diffZones...))
}

func (g *diffGen) activity() pipeline.Activity {
	g.n++
	a := pipeline.Activity{ID: fmt.Sprintf("a%d", g.n), Kind: pickOf(g, pipeline.ActivityCall, pipeline.ActivityVisit, pipeline.ActivityDemo, pipeline.ActivityEmail, pipeline.ActivityMeeting, "bogus"),
		Outcome: pickOf(g, "", "left a message"), Notes: pickOf(g, "", "wants a demo\nnext week")}
	switch g.pick(4) {
	case 0:
		a.Due = g.at()
	case 1:
		a.Done = g.at()
	case 2:
		a.Due, a.Done = g.at(), g.at()
	}
	if g.pick(16) == 0 {
		a.ID = "a1" // reused
	}
	return a
}

func (g *diffGen) terms() pipeline.Terms {
	var tm pipeline.Terms
	switch g.pick(5) {
	case 0, 3:
		tm.Lines = []pipeline.Line{{Product: pipelinetest.ProductWidget, Quantity: int64(1 + g.pick(20)),
			UnitPrice: pipelinetest.MustEUR(pickOf(g, "120.00", "0.01", "99.995")), Discount: decimal.New(int64(g.pick(30)), -2)}}
	case 1:
		tm.Amount = pickOf(g, pipelinetest.MustEUR("1080.50"), pipelinetest.MustEUR("1080.5"), pipelinetest.MustEUR("0"), pipelinetest.MustEUR("-5"))
	case 2:
		m, _ := sp.ParseMoney("250 JPY")
		tm.Amount = m
	}
	if g.pick(2) == 0 {
		tm.ExpectedClose = g.at()
	}
	return tm
}

func (g *diffGen) dealStage() pipeline.DealStage {
	if st := g.stage; st != "" {
		g.stage = ""
		return st
	}
	return pickOf(g, pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation,
		pipeline.DealWon, pipeline.DealLost, "ping", "pong", "nowhere")
}

// opts returns the command options of a step: often none, sometimes a key
// (new, or one given before: a retry if the step is the same, a reuse if
// not), a reason, a stage.
func (g *diffGen) opts() *pipeline.CommandOptions {
	o := &pipeline.CommandOptions{}
	if g.pick(3) == 0 {
		o.Reason = pickOf(g, "customer asked", "quarter end")
	}
	if g.pick(3) == 0 {
		if len(g.used) > 0 && g.pick(3) == 0 {
			o.IdempotencyKey = pickOf(g, g.used...)
		} else {
			g.n++
			o.IdempotencyKey = fmt.Sprintf("key-%d", g.n)
			g.used = append(g.used, o.IdempotencyKey)
		}
		g.keys = append(g.keys, o.IdempotencyKey)
	}
	if g.pick(10) == 0 {
		o.Stage = g.dealStage()
	}
	if *o == (pipeline.CommandOptions{}) && g.pick(2) == 0 {
		return nil
	}
	return o
}

func (g *diffGen) step() diffStep {
	st := g.newStep()
	if st.name == "" {
		return st
	}
	// A keyed step may be retried later, as it was.
	if len(g.keys) > 0 {
		g.steps = append(g.steps, st)
	}
	return st
}

func (g *diffGen) newStep() diffStep {
	if len(g.steps) > 0 && g.pick(10) == 0 {
		st := pickOf(g, g.steps...)
		return diffStep{name: "retry " + st.name, run: st.run}
	}
	by := g.actor()
	o := g.opts()
	name := func(cmd string, args ...any) string {
		return fmt.Sprintf("%s by %s/%s %v opts %+v", cmd, by.Role, by.ID, args, o)
	}
	g.inq, g.deal, g.stage, g.service = "", "", "", ""
	c := g.pick(24)
	if g.pick(2) == 0 {
		if gc := g.guide(); gc >= 0 {
			c = gc
		}
	}
	switch c {
	case 0, 1, 2:
		in := pipelinetest.NewInquiry(g.inquiryID())
		in.Owner = g.rep()
		in.Region = pickOf(g, pipelinetest.RegionNorth, pipelinetest.RegionNorth, pipelinetest.RegionSouth)
		in.Product = pickOf(g, pipelinetest.ProductWidget, pipelinetest.ProductWidget, pipelinetest.ProductGadget)
		in.Channel = pickOf(g, pipelinetest.ChannelPhone, pipelinetest.ChannelWeb)
		in.Campaign = pickOf(g, pipelinetest.CampaignFall, "")
		in.Received = pickOf(g, g.at(), time.Time{})
		return diffStep{name("ReceiveInquiry", in), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.ReceiveInquiry(ctx, by, in, o)
		}}
	case 3:
		id, rep := g.inquiryID(), g.rep()
		return diffStep{name("AssignInquiry", id, rep), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.AssignInquiry(ctx, by, id, rep, o)
		}}
	case 4:
		id, a := g.inquiryID(), g.activity()
		return diffStep{name("LogInquiryActivity", id, a), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.LogInquiryActivity(ctx, by, id, a, o)
		}}
	case 5, 6:
		id, a := g.inquiryID(), g.activity()
		return diffStep{name("Contact", id, a), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.Contact(ctx, by, id, a, o)
		}}
	case 7:
		id := g.inquiryID()
		return diffStep{name("Qualify", id), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.Qualify(ctx, by, id, o)
		}}
	case 8:
		id, reason := g.inquiryID(), pickOf(g, "no budget", "")
		return diffStep{name("Disqualify", id, reason), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.Disqualify(ctx, by, id, reason, o)
		}}
	case 9:
		id := g.inquiryID()
		return diffStep{name("ReopenInquiry", id), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.ReopenInquiry(ctx, by, id, o)
		}}
	case 10, 11:
		id := g.inquiryID()
		conv := pipeline.Conversion{Owner: g.rep(), Pipeline: pickOf(g, "", "", "ping_pong", "nope"), Terms: g.terms()}
		return diffStep{name("Convert", id, conv), func(ctx context.Context, s *diffSide) (any, error) {
			in, d, err := s.engine.Convert(ctx, by, id, conv, o)
			return []any{in, d}, err
		}}
	case 12, 13:
		d := pipelinetest.NewDeal(g.dealID())
		d.Owner = g.rep()
		d.Region = pickOf(g, pipelinetest.RegionNorth, pipelinetest.RegionNorth, pipelinetest.RegionSouth)
		d.Pipeline = pickOf(g, "", "ping_pong")
		d.Campaign = pickOf(g, pipelinetest.CampaignFall, "")
		if g.pick(4) == 0 {
			d.Inquiry = g.inquiryID()
		}
		if g.pick(3) == 0 {
			d.Lines, d.Amount = nil, pipelinetest.MustEUR("700.10")
		}
		if g.pick(3) == 0 {
			d.Created = g.at()
		}
		return diffStep{name("OpenDeal", d), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.OpenDeal(ctx, by, d, o)
		}}
	case 14:
		id, rep := g.dealID(), g.rep()
		return diffStep{name("AssignDeal", id, rep), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.AssignDeal(ctx, by, id, rep, o)
		}}
	case 15:
		id, a := g.dealID(), g.activity()
		return diffStep{name("LogDealActivity", id, a), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.LogDealActivity(ctx, by, id, a, o)
		}}
	case 16:
		id, tm := g.dealID(), g.terms()
		return diffStep{name("SetTerms", id, tm), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.SetTerms(ctx, by, id, tm, o)
		}}
	case 17:
		id, to := g.dealID(), g.dealStage()
		return diffStep{name("Advance", id, to), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.Advance(ctx, by, id, to, o)
		}}
	case 18:
		id := g.dealID()
		if g.pick(2) == 0 {
			return diffStep{name("Win", id), func(ctx context.Context, s *diffSide) (any, error) {
				return s.engine.Win(ctx, by, id, o)
			}}
		}
		loss := pipeline.LossReason{Category: pickOf(g, pipeline.LossPrice, pipeline.LossCompetitor, "bogus"), Detail: "cheaper elsewhere"}
		return diffStep{name("Lose", id, loss), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.Lose(ctx, by, id, loss, o)
		}}
	case 19:
		id, to := g.dealID(), g.dealStage()
		return diffStep{name("ReopenDeal", id, to), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.ReopenDeal(ctx, by, id, to, o)
		}}
	case 20:
		id := g.dealID()
		if g.pick(2) == 0 {
			p := decimal.New(int64(g.pick(12)), -1)
			return diffStep{name("OverrideProbability", id, p), func(ctx context.Context, s *diffSide) (any, error) {
				return s.engine.OverrideProbability(ctx, by, id, p, o)
			}}
		}
		return diffStep{name("ResetProbability", id), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.ResetProbability(ctx, by, id, o)
		}}
	case 21:
		id, deliver := g.dealID(), g.pick(2) == 0
		switch g.service { // mostly the step that moves its service on
		case pipeline.ServiceAwaitingDelivery:
			deliver = g.pick(4) != 0
		case pipeline.ServiceDelivered:
			deliver = g.pick(4) == 0
		}
		if deliver {
			return diffStep{name("Deliver", id), func(ctx context.Context, s *diffSide) (any, error) {
				return s.engine.Deliver(ctx, by, id, o)
			}}
		}
		g.n++
		fb := []sp.Feedback{{ID: sp.FeedbackID(fmt.Sprintf("f%d", g.n)), Rating: 1 + g.pick(5),
			Category: pickOf(g, sp.FeedbackQuality, sp.FeedbackService), Text: "works", Time: pickOf(g, time.Time{}, g.at())}}
		return diffStep{name("FollowUp", id, fb), func(ctx context.Context, s *diffSide) (any, error) {
			return s.engine.FollowUp(ctx, by, id, fb, o)
		}}
	case 22:
		// A write straight to the store, at the version read, a stale one
		// or a malformed one.
		g.keys = nil
		id, bump := g.inquiryID(), int64(g.pick(4)-1)
		return diffStep{fmt.Sprintf("UpdateInquiry %s version%+d", id, bump), func(ctx context.Context, s *diffSide) (any, error) {
			in, err := s.inq.GetInquiry(ctx, id)
			if err != nil {
				return nil, err
			}
			in.Locality = "changed"
			stored := in.Version
			in.Version = stored + 1
			if bump == 2 {
				in.Version = stored + 3 // malformed
				return nil, s.inq.UpdateInquiry(ctx, in, stored)
			}
			return nil, s.inq.UpdateInquiry(ctx, in, stored+bump) // stale unless bump is 0
		}}
	case 23:
		g.keys = nil
		id, bump := g.dealID(), int64(g.pick(4)-1)
		return diffStep{fmt.Sprintf("UpdateDeal %s version%+d", id, bump), func(ctx context.Context, s *diffSide) (any, error) {
			d, err := s.store.GetDeal(ctx, id)
			if err != nil {
				return nil, err
			}
			d.Owner = "rep-dora"
			if bump == 2 {
				d.Version += 2
				return nil, s.store.UpdateDeal(ctx, d, d.Version-2)
			}
			d.Version++
			return nil, s.store.UpdateDeal(ctx, d, d.Version-1+bump)
		}}
	}
	return diffStep{}
}

// compareStores compares the records, the events and the outcomes the two
// sides hold, and with lists, their listings too.
func compareStores(t *testing.T, where string, want, got *diffSide, keys []string, lists bool) {
	t.Helper()
	ctx := context.Background()
	for i, id := range diffInquiryIDs {
		wi, werr := want.inq.GetInquiry(ctx, id)
		gi, gerr := got.inq.GetInquiry(ctx, id)
		require.Equal(t, kinds(werr), kinds(gerr), "%s: get inquiry %s", where, id)
		require.Equal(t, canon(t, wi), canon(t, gi), "%s: get inquiry %s", where, id)
		for _, did := range []sp.DealID{sp.DealID(id), sp.DealID(fmt.Sprintf("d%d", i))} {
			wd, werr := want.store.GetDeal(ctx, did)
			gd, gerr := got.store.GetDeal(ctx, did)
			require.Equal(t, kinds(werr), kinds(gerr), "%s: get deal %s", where, did)
			require.Equal(t, canon(t, wd), canon(t, gd), "%s: get deal %s", where, did)
		}
	}
	if lists {
		compareListings(t, where, want, got)
	}
	var wantEvents []sp.Event
	if want.events != nil {
		wantEvents = want.events()
	}
	require.Equal(t, canon(t, wantEvents), canon(t, got.events()), "%s: the outboxes differ", where)
	require.Equal(t, canon(t, want.pub.Events()), canon(t, got.pub.Events()), "%s: the published events differ", where)
	for _, k := range keys {
		wo, werr := want.store.(pipeline.IdempotencyStore).GetOutcome(ctx, k)
		go_, gerr := got.store.(pipeline.IdempotencyStore).GetOutcome(ctx, k)
		require.Equal(t, kinds(werr), kinds(gerr), "%s: outcome %s", where, k)
		require.Equal(t, canon(t, wo), canon(t, go_), "%s: outcome %s", where, k)
		require.Equal(t, string(wo.Result), string(go_.Result), "%s: outcome %s, byte for byte", where, k)
	}
}

// compareListings compares what the two sides list under many filters, a
// page at a time too, and the overdue inquiries.
func compareListings(t *testing.T, where string, want, got *diffSide) {
	t.Helper()
	ctx := context.Background()
	for _, f := range diffInquiryFilters() {
		require.Equal(t, collectSeq(t, want.inq.ListInquiries(ctx, f)), collectSeq(t, got.inq.ListInquiries(ctx, f)),
			"%s: list inquiries %+v", where, f)
	}
	for _, f := range diffDealFilters() {
		require.Equal(t, collectSeq(t, want.store.ListDeals(ctx, f)), collectSeq(t, got.store.ListDeals(ctx, f)),
			"%s: list deals %+v", where, f)
	}
	// Keyset pagination, two records a page, walks through the same
	// records as one listing.
	for _, f := range []pipeline.InquiryFilter{{}, {Owner: pipelinetest.RepAnn}} {
		require.Equal(t, collectSeq(t, want.inq.ListInquiries(ctx, f)), inquiryPages(t, got.inq, f), "%s: pages of inquiries %+v", where, f)
	}
	for _, f := range []pipeline.DealFilter{{}, {Region: pipelinetest.RegionNorth}} {
		require.Equal(t, collectSeq(t, want.store.ListDeals(ctx, f)), dealPages(t, got.store, f), "%s: pages of deals %+v", where, f)
	}
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 48 * time.Hour}
	require.Equal(t, collectSeq(t, want.engine.Overdue(ctx, p, pipeline.InquiryFilter{})), collectSeq(t, got.engine.Overdue(ctx, p, pipeline.InquiryFilter{})),
		"%s: overdue", where)
}

// pages lists what list selects two at a time, the first page after the ID
// after and each other after the last ID of the one before, and returns
// the records as collectSeq does.
func pages[T any](t *testing.T, after string, list func(after string) iter.Seq2[T, error], id func(T) string) string {
	t.Helper()
	var out []string
	for {
		n := 0
		for rec, err := range list(after) {
			require.NoError(t, err)
			out = append(out, canon(t, rec))
			after = id(rec)
			if n++; n == 2 {
				break
			}
		}
		if n < 2 {
			return fmt.Sprint(out)
		}
	}
}

// inquiryPages lists the inquiries f selects by pages.
func inquiryPages(t *testing.T, s pipeline.InquiryStore, f pipeline.InquiryFilter) string {
	return pages(t, string(f.After), func(after string) iter.Seq2[pipeline.Inquiry, error] {
		f.After = sp.InquiryID(after)
		return s.ListInquiries(context.Background(), f)
	}, func(in pipeline.Inquiry) string { return string(in.ID) })
}

// dealPages lists the deals f selects by pages.
func dealPages(t *testing.T, s pipeline.DealStore, f pipeline.DealFilter) string {
	return pages(t, string(f.After), func(after string) iter.Seq2[pipeline.Deal, error] {
		f.After = sp.DealID(after)
		return s.ListDeals(context.Background(), f)
	}, func(d pipeline.Deal) string { return string(d.ID) })
}

func diffInquiryFilters() []pipeline.InquiryFilter {
	ny, _ := time.LoadLocation("America/New_York")
	if ny == nil {
		ny = time.FixedZone("UTC-5", -5*3600)
	}
	e := pipelinetest.Epoch()
	day, _ := sp.NewPeriod(e.Add(-12*time.Hour), e.Add(12*time.Hour))
	return []pipeline.InquiryFilter{
		{},
		{Owner: pipelinetest.RepAnn},
		{Owner: "rep-carl", Region: pipelinetest.RegionSouth},
		{Product: pipelinetest.ProductGadget, Channel: pipelinetest.ChannelWeb},
		{Campaign: pipelinetest.CampaignFall, Customer: pipelinetest.CustomerAcme},
		{Stages: []pipeline.InquiryStage{pipeline.InquiryQualified, pipeline.InquiryConverted}},
		{Stages: []pipeline.InquiryStage{pipeline.InquiryDisqualified}, After: "i2"},
		{Received: sp.Month(2026, time.November, ny)},
		{Received: sp.Month(2026, time.October, time.UTC), After: "i1"},
		{Received: day},
		{Received: sp.WeekOf(e.In(ny))},
		{After: "i3"},
		{After: "i"},
		{After: "i1"},
		{After: "I"},
		{After: "ï"},
	}
}

func diffDealFilters() []pipeline.DealFilter {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if berlin == nil {
		berlin = time.FixedZone("UTC+1", 3600)
	}
	e := pipelinetest.Epoch()
	return []pipeline.DealFilter{
		{},
		{Owner: pipelinetest.RepBob},
		{Region: pipelinetest.RegionNorth, Product: pipelinetest.ProductWidget},
		{Pipeline: "ping_pong"},
		{Inquiry: "i1"},
		{Campaign: pipelinetest.CampaignFall, Channel: pipelinetest.ChannelPhone, Customer: pipelinetest.CustomerAcme},
		{Stages: []pipeline.DealStage{pipeline.DealWon, "won"}},
		{Stages: []pipeline.DealStage{pipeline.DealLost, "ping"}, After: "d1"},
		{Created: sp.Month(2026, time.November, berlin)},
		{Created: sp.Year(2026, time.UTC), After: "d"},
		{Closed: sp.Month(2026, time.November, berlin)},
		{Closed: sp.Year(2026, berlin), Created: sp.QuarterOf(e)},
		{After: "i2"},
	}
}

// trainSide is one of the two stores of the training differential test,
// with a Trainer on it.
type trainSide struct {
	store   training.Store
	trainer *training.Trainer
}

func newTrainSide(t *testing.T, s training.Store) *trainSide {
	t.Helper()
	cat, err := training.NewCatalog(
		[]training.Module{
			{ID: "kit-basics", Title: "Kit basics", Kind: training.ModuleProductKnowledge, Product: "kit",
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 7, MaxAttempts: 4}},
			{ID: "gadget-basics", Title: "Gadget basics", Kind: training.ModuleProductKnowledge, Product: "gadget",
				BriefVersion: training.MustParseVersion("2.1"), Assessment: training.Assessment{MaxScore: 10, PassMark: 5}},
			{ID: "phone-sales", Title: "Selling by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 100, PassMark: 70}},
		},
		[]training.Curriculum{
			{ID: "kit-phone", Title: "Kit by phone", Product: "kit", Channel: "phone",
				Modules: []training.ModuleID{"kit-basics", "phone-sales"}, ValidMonths: 12},
			{ID: "kit", Title: "Kit", Product: "kit", Modules: []training.ModuleID{"kit-basics"}, ValidMonths: 1},
			{ID: "gadget", Title: "Gadget", Product: "gadget", Modules: []training.ModuleID{"gadget-basics"}, ValidMonths: 6},
		})
	require.NoError(t, err)
	clock := sp.NewSteppingClock(trainStart, 11*time.Hour+17*time.Nanosecond)
	return &trainSide{store: s, trainer: training.NewTrainer(s, cat, &training.Options{Clock: clock})}
}

type trainStep struct {
	name string
	run  func(ctx context.Context, s *trainSide) (any, error)
	// record is "attempt", "sale" or "feedback" for a step that records
	// one, and late tells that its time is after every reading of the
	// trainer's clock.
	record string
	late   bool
}

// recordSteps are the kinds of trainStep.record.
var recordSteps = []string{"attempt", "sale", "feedback"}

// trainStart is the first reading of the trainers' clocks: after every
// time that at draws, so that the attempts, sales and feedback dated by it
// have happened by the clock, and recordAt dates a few after the clock.
var trainStart = pipelinetest.Epoch().AddDate(0, 4, 15).Add(987654321)

// trainLate is a year after trainStart: after every reading of the clock in
// a sequence, which moves it 11 hours a reading.
var trainLate = trainStart.AddDate(1, 0, 0)

// recordAt returns the time of a record of a kind of recordSteps: one that
// at draws, before the trainer's clock, but every fourth time for the kind
// one at or after trainLate, after every reading the clock gives in a
// sequence, which the Trainer refuses.
func (g *diffGen) recordAt(kind string) time.Time {
	if g.records == nil {
		g.records = map[string]int{}
	}
	if g.records[kind]++; g.records[kind]%4 == 0 {
		return trainLate.AddDate(0, 0, g.pick(30)).Add(time.Duration(g.r.Int64N(int64(24 * time.Hour)))).In(pickOf(g, diffZones...))
	}
	return g.at()
}

// saleAt returns the time of a sale of the pilot that the store of the
// side that leads holds under id: three times in four within its period
// (a time before the trainer's clock), or as recordAt draws.
func (g *diffGen) saleAt(s training.Store, id training.PilotID) time.Time {
	p, err := s.GetPilot(context.Background(), id)
	length := p.Period.End().Sub(p.Period.Start())
	if err != nil || length <= 0 || g.pick(4) == 0 {
		return g.recordAt("sale")
	}
	return p.Period.Start().Add(time.Duration(g.r.Int64N(int64(length)))).In(pickOf(g, diffZones...))
}

var (
	trainReps     = []sp.RepID{"ann", "bob", "ann", "Ann"}
	trainProducts = []sp.ProductID{"kit", "gadget", "kit2"}
	trainModules  = []training.ModuleID{"kit-basics", "gadget-basics", "phone-sales", "none"}
	trainVersions = []string{"0.9", "1.0", "1.1", "1.2", "2.1", "2.2"}
	trainPilots   = []training.PilotID{"p1", "p2", "P0"}
)

func runTrainingDifferential(t *testing.T, seed uint64, steps int, want, got *trainSide) {
	ctx := context.Background()
	g := &diffGen{r: rand.New(rand.NewPCG(seed, seed*104729))}
	for _, b := range []training.Brief{
		{Product: "kit", Version: training.MustParseVersion("1.0"), Published: pipelinetest.Epoch().AddDate(-1, 0, 0)},
		{Product: "gadget", Version: training.MustParseVersion("2.1"), Published: pipelinetest.Epoch().AddDate(-1, 0, 0)},
	} {
		require.NoError(t, want.trainer.PublishBrief(ctx, b))
		require.NoError(t, got.trainer.PublishBrief(ctx, b))
	}
	for i, m := range []training.ModuleID{"kit-basics", "phone-sales", "gadget-basics"} {
		a := training.Attempt{ID: training.AttemptID(fmt.Sprint("pass", i)), Rep: "ann", Module: m, Score: 10}
		_, err := want.trainer.RecordAttempt(ctx, a)
		require.NoError(t, err)
		_, err = got.trainer.RecordAttempt(ctx, a)
		require.NoError(t, err)
	}
	// A certificate for ann, valid for six months from the trainer's time, to
	// onboard her.
	_, err := want.trainer.Certify(ctx, "ann", "gadget")
	require.NoError(t, err)
	_, err = got.trainer.Certify(ctx, "ann", "gadget")
	require.NoError(t, err)
	// A pilot to sell in from the start, with room for many sales.
	p := training.Pilot{ID: "p1", Product: "kit", Version: training.MustParseVersion("1.0"),
		Localities: []string{"Springfield", "Shelbyville"}, Quantity: 400, Period: sp.Month(2026, time.November, diffZones[len(diffZones)-1]),
		Criteria: training.Criteria{MinUnitsSold: 5, MinAverageRating: decimal.New(3, 0)}}
	_, err = want.trainer.StartPilot(ctx, p)
	require.NoError(t, err)
	_, err = got.trainer.StartPilot(ctx, p)
	require.NoError(t, err)
	// What the steps that record did: stored, refused as dated after the
	// clock, refused otherwise.
	type tally struct{ stored, late, refused int }
	tallies := map[string]*tally{}
	for _, r := range recordSteps {
		tallies[r] = new(tally)
	}
	for i := range steps {
		st := trainGen(g, want.store)
		wv, werr := st.run(ctx, want)
		gv, gerr := st.run(ctx, got)
		where := fmt.Sprintf("step %d: %s", i, st.name)
		if testing.Verbose() {
			t.Logf("%s -> %s %v", where, kinds(werr), werr)
		}
		require.Equal(t, kinds(werr), kinds(gerr), "%s: errors differ:\nmem: %v\nsql: %v", where, werr, gerr)
		require.Equal(t, canon(t, wv), canon(t, gv), "%s: results differ", where)
		if i%3 == 2 || i == steps-1 {
			compareTraining(t, where, want, got)
		}
		if st.record != "" {
			c := tallies[st.record]
			switch {
			case st.late:
				require.ErrorIs(t, werr, sp.ErrInvalid, "%s: a record dated after the clock", where)
				c.late++
			case werr == nil:
				c.stored++
			default:
				c.refused++
			}
		}
	}
	// The sequence stores records of every kind, and dates some after the
	// clock, so that the stores are compared on both.
	for _, r := range recordSteps {
		c := tallies[r]
		if testing.Verbose() {
			t.Logf("%s: %d stored, %d dated after the clock, %d refused otherwise", r, c.stored, c.late, c.refused)
		}
		assert.GreaterOrEqual(t, c.stored, 3, "%s records stored", r)
		assert.GreaterOrEqual(t, c.late, 1, "%s records dated after the clock", r)
	}
}

// trainGen returns a step; lead is the store of the side that leads, which
// it reads to date sales within their pilot's period.
func trainGen(g *diffGen, lead training.Store) trainStep {
	rep, product, module := pickOf(g, trainReps...), pickOf(g, trainProducts...), pickOf(g, trainModules...)
	pilot := pickOf(g, trainPilots...)
	switch g.pick(16) {
	case 0, 1:
		b := training.Brief{Product: product, Version: training.MustParseVersion(pickOf(g, trainVersions...)),
			Published: pickOf(g, g.at(), g.at(), pipelinetest.Epoch(), time.Time{}), Pros: []string{"cheap"}}
		return trainStep{name: fmt.Sprintf("PublishBrief %s %s %s", b.Product, b.Version, b.Published), run: func(ctx context.Context, s *trainSide) (any, error) {
			return nil, s.trainer.PublishBrief(ctx, b)
		}}
	case 2, 3:
		a := training.Attempt{ID: training.AttemptID(fmt.Sprintf("at%d", g.pick(40))), Rep: rep, Module: module,
			Score: pickOf(g, 6+g.pick(5), g.pick(12)), Time: pickOf(g, time.Time{}, time.Time{}, g.recordAt("attempt"))}
		if module == "phone-sales" {
			a.Score *= 10
		}
		return trainStep{name: fmt.Sprintf("RecordAttempt %+v", a), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.RecordAttempt(ctx, a)
		}, record: "attempt", late: !a.Time.Before(trainLate)}
	case 4:
		c := pickOf[training.CurriculumID](g, "kit-phone", "kit", "gadget", "none")
		return trainStep{name: fmt.Sprintf("Certify %s %s", rep, c), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.Certify(ctx, rep, c)
		}}
	case 5:
		// Mostly due after it is assigned (at the trainer's time when
		// Assigned is zero), sometimes at a time drawn as any other.
		a := training.Assignment{ID: training.AssignmentID(fmt.Sprintf("as%d", g.pick(20))), Rep: rep, Module: module,
			Reason: "retrain", Assigned: pickOf(g, time.Time{}, g.at())}
		switch {
		case g.pick(5) == 0:
			a.Due = g.at()
		case a.Assigned.IsZero():
			a.Due = trainLate.AddDate(0, 0, g.pick(60))
		default:
			a.Due = a.Assigned.AddDate(0, 0, 1+g.pick(60))
		}
		return trainStep{name: fmt.Sprintf("AssignModule %+v", a), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.AssignModule(ctx, a)
		}}
	case 6:
		at := g.at()
		return trainStep{name: fmt.Sprintf("Assignments %s %s", rep, at), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.Assignments(ctx, rep, at)
		}}
	case 7:
		// Mostly a start near the six months of the certificate ann holds
		// from the start of the sequence.
		start := trainStart.AddDate(0, 0, g.pick(200))
		if g.pick(3) == 0 {
			start = g.at()
		}
		o := training.Onboarding{Rep: rep, Region: "north", Start: start, MonthlyGoal: pipelinetest.MustEUR("1000.00"),
			Ramp: []decimal.Decimal{decimal.New(5, -1)}}
		return trainStep{name: fmt.Sprintf("Onboard %+v", o), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.Onboard(ctx, o)
		}}
	case 8:
		loc := pickOf(g, diffZones...)
		if loc.String() == "UTC+5:45" {
			loc = time.UTC
		}
		p := training.Pilot{ID: pilot, Product: product, Version: training.MustParseVersion("1.0"),
			Localities: []string{"Springfield", "Shelbyville"}, Quantity: int64(1 + g.pick(100)),
			Period:   sp.Month(2026, time.Month(10+g.pick(3)), loc),
			Criteria: training.Criteria{MinUnitsSold: 5, MinAverageRating: decimal.New(3, 0)}}
		return trainStep{name: fmt.Sprintf("StartPilot %s %s %s", p.ID, p.Product, p.Period), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.StartPilot(ctx, p)
		}}
	case 9, 14, 15:
		sale := training.Sale{ID: training.SaleID(fmt.Sprintf("s%d", g.pick(30))), Pilot: pilot,
			Locality: pickOf(g, "Springfield", "Shelbyville", "Springfield", "Shelbyville", "Ogdenville"),
			Units:    int64(1 + pickOf(g, g.pick(10), g.pick(30))), Time: g.saleAt(lead, pilot)}
		return trainStep{name: fmt.Sprintf("RecordSale %+v", sale), run: func(ctx context.Context, s *trainSide) (any, error) {
			return nil, s.trainer.RecordSale(ctx, sale)
		}, record: "sale", late: !sale.Time.Before(trainLate)}
	case 10:
		f := sp.Feedback{ID: sp.FeedbackID(fmt.Sprintf("f%d", g.pick(30))), Product: product, Rating: 1 + g.pick(5),
			Category: sp.FeedbackQuality, Source: pickOf(g, sp.FromFieldTest, sp.FromCustomer),
			Locality: pickOf(g, "Springfield", ""), Time: g.recordAt("feedback")}
		return trainStep{name: fmt.Sprintf("RecordFeedback %+v", f), run: func(ctx context.Context, s *trainSide) (any, error) {
			return nil, s.trainer.RecordFeedback(ctx, f)
		}, record: "feedback", late: !f.Time.Before(trainLate)}
	case 11:
		if g.pick(2) == 0 {
			is := training.Issue{ID: training.IssueID(fmt.Sprintf("I%d", g.pick(4))), Title: "leaks", Severity: training.SeverityCritical,
				Opened: g.at()}
			return trainStep{name: fmt.Sprintf("OpenIssue %s %+v", pilot, is), run: func(ctx context.Context, s *trainSide) (any, error) {
				return s.trainer.OpenIssue(ctx, pilot, is)
			}}
		}
		im := training.Improvement{Version: training.MustParseVersion(pickOf(g, trainVersions...)), Summary: "sealed",
			Resolves: []training.IssueID{training.IssueID(fmt.Sprintf("I%d", g.pick(4)))}, Time: g.at()}
		return trainStep{name: fmt.Sprintf("Improve %s %+v", pilot, im), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.Improve(ctx, pilot, im)
		}}
	case 12:
		// Straight to the store: a certificate put (replacing one), or a
		// pilot updated from its revision or a stale one, to the next
		// revision or (skip 1) one that does not follow.
		if g.pick(2) == 0 {
			c := training.Certificate{Rep: rep, Product: product, Channel: pickOf[sp.ChannelID](g, "", "phone", "web"),
				BriefVersion: training.MustParseVersion("1.0"), Issued: g.at(), Expires: g.at()}
			return trainStep{name: fmt.Sprintf("PutCertificate %+v", c), run: func(ctx context.Context, s *trainSide) (any, error) {
				return nil, s.store.PutCertificate(ctx, c)
			}}
		}
		stale, skip := int64(g.pick(3)-1), int64(g.pick(4)/3)
		return trainStep{name: fmt.Sprintf("UpdatePilot %s rev%+d skip %d", pilot, stale, skip), run: func(ctx context.Context, s *trainSide) (any, error) {
			p, err := s.store.GetPilot(ctx, pilot)
			if err != nil {
				return nil, err
			}
			expected := p.Rev + stale
			p.Quantity++
			p.Rev = expected + 1 + skip
			return nil, s.store.UpdatePilot(ctx, p, expected)
		}}
	default:
		at := g.at()
		if g.pick(2) == 0 {
			return trainStep{name: fmt.Sprintf("Decide %s %s", pilot, at), run: func(ctx context.Context, s *trainSide) (any, error) {
				return s.trainer.Decide(ctx, pilot, at)
			}}
		}
		ch := pickOf[sp.ChannelID](g, "phone", "web")
		return trainStep{name: fmt.Sprintf("Check %s %s %s %s", rep, product, ch, at), run: func(ctx context.Context, s *trainSide) (any, error) {
			return s.trainer.Readiness().Check(ctx, rep, product, ch, at)
		}}
	}
}

// compareTraining compares everything the two training stores hold.
func compareTraining(t *testing.T, where string, want, got *trainSide) {
	t.Helper()
	ctx := context.Background()
	same := func(what string, w, gv any, werr, gerr error) {
		t.Helper()
		require.Equal(t, kinds(werr), kinds(gerr), "%s: %s:\nmem: %v\nsql: %v", where, what, werr, gerr)
		require.Equal(t, canon(t, w), canon(t, gv), "%s: %s", where, what)
	}
	ats := []time.Time{{}, pipelinetest.Epoch(), pipelinetest.Epoch().AddDate(0, -2, 0), pipelinetest.Epoch().AddDate(1, 0, 0)}
	for _, p := range append(trainProducts, "") {
		require.Equal(t, collectSeq(t, want.store.ListBriefs(ctx, p)), collectSeq(t, got.store.ListBriefs(ctx, p)), "%s: briefs of %s", where, p)
		require.Equal(t, collectSeq(t, want.store.ListFeedback(ctx, p)), collectSeq(t, got.store.ListFeedback(ctx, p)), "%s: feedback on %s", where, p)
		require.Equal(t, collectSeq(t, want.store.ListPilots(ctx, p)), collectSeq(t, got.store.ListPilots(ctx, p)), "%s: pilots of %s", where, p)
		for _, at := range ats {
			w, werr := want.store.BriefAt(ctx, p, at)
			gv, gerr := got.store.BriefAt(ctx, p, at)
			same(fmt.Sprintf("brief of %s at %s", p, at), w, gv, werr, gerr)
		}
		for _, v := range trainVersions {
			w, werr := want.store.GetBrief(ctx, p, training.MustParseVersion(v))
			gv, gerr := got.store.GetBrief(ctx, p, training.MustParseVersion(v))
			same(fmt.Sprintf("brief %s %s", p, v), w, gv, werr, gerr)
		}
	}
	for _, rep := range append(trainReps, "") {
		require.Equal(t, collectSeq(t, want.store.ListAssignments(ctx, rep)), collectSeq(t, got.store.ListAssignments(ctx, rep)), "%s: assignments of %s", where, rep)
		for _, m := range append(trainModules, "") {
			require.Equal(t, collectSeq(t, want.store.ListAttempts(ctx, rep, m)), collectSeq(t, got.store.ListAttempts(ctx, rep, m)), "%s: attempts of %s at %s", where, rep, m)
		}
	}
	filters := []training.CertificateFilter{{}, {Rep: "ann"}, {Product: "kit"}, {Rep: "bob", Product: "gadget"}}
	for _, loc := range diffZones {
		filters = append(filters, training.CertificateFilter{Expiring: sp.Month(2026, time.November, loc)},
			training.CertificateFilter{Rep: "Ann", Expiring: sp.Year(2027, loc)})
	}
	for _, f := range filters {
		require.Equal(t, collectSeq(t, want.store.ListCertificates(ctx, f)), collectSeq(t, got.store.ListCertificates(ctx, f)), "%s: certificates %+v", where, f)
	}
	for _, id := range trainPilots {
		w, werr := want.store.GetPilot(ctx, id)
		gv, gerr := got.store.GetPilot(ctx, id)
		same("pilot "+string(id), w, gv, werr, gerr)
		require.Equal(t, collectSeq(t, want.store.ListSales(ctx, id)), collectSeq(t, got.store.ListSales(ctx, id)), "%s: sales of %s", where, id)
	}
}

func runGoalsDifferential(t *testing.T, seed uint64, steps int, want, got quota.GoalStore) {
	ctx := context.Background()
	g := &diffGen{r: rand.New(rand.NewPCG(seed, seed*15485863))}
	var zones []*time.Location
	for _, loc := range diffZones {
		if loc.String() != "UTC+5:45" { // goals need a zone with an IANA name
			zones = append(zones, loc)
		}
	}
	period := func() sp.Period {
		loc := pickOf(g, zones...)
		switch g.pick(4) {
		case 0:
			return sp.Month(2026, time.Month(9+g.pick(5)), loc)
		case 1:
			return sp.Quarter(2026+g.pick(2), 1+g.pick(4), loc)
		case 2:
			return sp.WeekOf(g.at().In(loc))
		}
		start := g.at().In(loc)
		if g.pick(2) == 0 {
			// Near a change of the zone's offset, where an hour passes
			// twice or not at all.
			_, end := start.ZoneBounds()
			if end.IsZero() {
				end = start
			}
			start = end.Add(time.Duration(g.r.Int64N(int64(2*time.Hour))) - time.Hour)
		}
		length := pickOf(g, time.Duration(1+g.r.Int64N(int64(40*24*time.Hour))), time.Duration(1+g.r.Int64N(int64(2*time.Hour))))
		p, err := sp.NewPeriod(start, start.Add(length))
		require.NoError(t, err)
		return p
	}
	for i := range steps {
		goal := quota.Goal{Period: period()}
		switch g.pick(3) {
		case 0:
			goal.Rep = pickOf[sp.RepID](g, "ann", "bob", "Ann")
		case 1:
			goal.Region = pickOf[sp.RegionID](g, "north", "south")
		}
		if g.pick(3) == 0 {
			goal.Product = "kit"
		}
		if g.pick(2) == 0 {
			goal.Deals = int64(g.pick(5))
		} else {
			goal.Revenue = pickOf(g, pipelinetest.MustEUR("9000.00"), pipelinetest.MustEUR("9000"), pipelinetest.MustEUR("0.01"))
		}
		werr, gerr := want.PutGoal(ctx, goal), got.PutGoal(ctx, goal)
		where := fmt.Sprintf("step %d: PutGoal %s", i, goal)
		if testing.Verbose() {
			t.Logf("%s -> %s %v", where, kinds(werr), werr)
		}
		require.Equal(t, kinds(werr), kinds(gerr), "%s: errors differ:\nmem: %v\nsql: %v", where, werr, gerr)
		ps := []sp.Period{{}, goal.Period}
		for range 6 {
			ps = append(ps, period())
		}
		for _, p := range ps {
			require.Equal(t, collectSeq(t, want.ListGoals(ctx, p)), collectSeq(t, got.ListGoals(ctx, p)), "%s: goals overlapping %s", where, p)
		}
	}
}
