package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultMode is how an injector fails the call it is armed for.
type faultMode int

const (
	faultErr      faultMode = iota // the call returns an error of its own
	faultCancel                    // the context is cancelled as the call starts
	faultConflict                  // the call returns an error wrapping sp.ErrConflict
)

func (m faultMode) String() string { return [...]string{"error", "cancel", "conflict"}[m] }

var errInjected = errors.New("injected fault")

// injector counts the store calls of the stores that share it, the commit
// of a transaction among them, and fails the k-th.
type injector struct {
	k, n   int
	mode   faultMode
	cancel context.CancelFunc
	hit    string // the call that failed, if any
}

// at is called as call starts; a non-nil error fails it.
func (f *injector) at(ctx context.Context, call string) error {
	f.n++
	if f.k == 0 || f.n != f.k {
		return nil
	}
	f.hit = call
	switch f.mode {
	case faultCancel:
		f.cancel()
		return ctx.Err()
	case faultConflict:
		return fmt.Errorf("%s: %w", call, sp.ErrConflict)
	}
	return fmt.Errorf("%s: %w", call, errInjected)
}

// faultStore is a Store and IdempotencyStore whose calls go through an
// injector. faultTx adds the transactions of the store under it, whose
// Stores go through the injector too, and faultOutbox its outbox.
type faultStore struct {
	s interface {
		pipeline.Store
		pipeline.IdempotencyStore
	}
	f *injector
}

func (s faultStore) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	if err := s.f.at(ctx, "GetInquiry"); err != nil {
		return pipeline.Inquiry{}, err
	}
	return s.s.GetInquiry(ctx, id)
}

func (s faultStore) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	if err := s.f.at(ctx, "CreateInquiry"); err != nil {
		return err
	}
	return s.s.CreateInquiry(ctx, in)
}

func (s faultStore) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, v int64) error {
	if err := s.f.at(ctx, "UpdateInquiry"); err != nil {
		return err
	}
	return s.s.UpdateInquiry(ctx, in, v)
}

func (s faultStore) ListInquiries(ctx context.Context, f pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return s.s.ListInquiries(ctx, f)
}

func (s faultStore) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	if err := s.f.at(ctx, "GetDeal"); err != nil {
		return pipeline.Deal{}, err
	}
	return s.s.GetDeal(ctx, id)
}

func (s faultStore) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	if err := s.f.at(ctx, "CreateDeal"); err != nil {
		return err
	}
	return s.s.CreateDeal(ctx, d)
}

func (s faultStore) UpdateDeal(ctx context.Context, d pipeline.Deal, v int64) error {
	if err := s.f.at(ctx, "UpdateDeal"); err != nil {
		return err
	}
	return s.s.UpdateDeal(ctx, d, v)
}

func (s faultStore) ListDeals(ctx context.Context, f pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return s.s.ListDeals(ctx, f)
}

func (s faultStore) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	if err := s.f.at(ctx, "GetOutcome"); err != nil {
		return pipeline.Outcome{}, err
	}
	return s.s.GetOutcome(ctx, key)
}

func (s faultStore) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if err := s.f.at(ctx, "AddOutcome"); err != nil {
		return err
	}
	return s.s.AddOutcome(ctx, o)
}

// faultTx fails, besides the store calls, the start of a transaction
// and its commit.
type faultTx struct{ faultStore }

func (s faultTx) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	if err := s.f.at(ctx, "Atomically"); err != nil {
		return err
	}
	return s.s.(pipeline.Transactor).Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		var wrapped pipeline.Store = faultStore{tx.(txStoreNoOutbox), s.f}
		if ob, ok := tx.(pipeline.Outbox); ok {
			wrapped = faultOutbox{faultStore{tx.(txStoreNoOutbox), s.f}, ob}
		}
		if err := fn(ctx, wrapped); err != nil {
			return err
		}
		return s.f.at(ctx, "commit")
	})
}

// txStoreNoOutbox is what the Store of a MemStore's transaction
// implements.
type txStoreNoOutbox interface {
	pipeline.Store
	pipeline.IdempotencyStore
}

type faultOutbox struct {
	faultStore
	ob pipeline.Outbox
}

func (s faultOutbox) AppendEvent(ctx context.Context, e sp.Event) error {
	if err := s.f.at(ctx, "AppendEvent"); err != nil {
		return err
	}
	return s.ob.AppendEvent(ctx, e)
}

type faultTxOutbox struct {
	faultTx
	ob pipeline.Outbox
}

func (s faultTxOutbox) AppendEvent(ctx context.Context, e sp.Event) error {
	if err := s.f.at(ctx, "AppendEvent"); err != nil {
		return err
	}
	return s.ob.AppendEvent(ctx, e)
}

// faultRig is an engine on stores that fail where its injector says.
type faultRig struct {
	f         *injector
	engine    *pipeline.Engine
	rec       *pipelinetest.Recorder
	inquiries *pipelinetest.MemStore // where the inquiries are
	deals     *pipelinetest.MemStore
	outcomes  *pipelinetest.MemStore
	outbox    *pipelinetest.OutboxMemStore
}

// faultConfig says which stores an engine of a faultRig has.
type faultConfig struct {
	name string
	// atomic says that a failed command must leave everything as it was.
	atomic       bool
	tx, outbox   bool
	ownInquiries bool
	ownOutcomes  bool
}

var faultConfigs = []faultConfig{
	{name: "transactor", atomic: true, tx: true},
	{name: "outbox", atomic: true, tx: true, outbox: true},
	{name: "direct"},
	{name: "own_inquiries", tx: true, ownInquiries: true},
	{name: "own_outcomes", tx: true, ownOutcomes: true},
}

// faultBase returns the records faultSetup makes.
func faultBase(t *testing.T) ([]pipeline.Inquiry, []pipeline.Deal) {
	ctx := context.Background()
	mem := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(mem, mem, &pipeline.Options{Clock: sp.FixedClock(pipelinetest.Epoch())})
	require.NoError(t, err)
	faultSetup(t, e)
	var ins []pipeline.Inquiry
	for in, err := range mem.ListInquiries(ctx, pipeline.InquiryFilter{}) {
		require.NoError(t, err)
		ins = append(ins, in)
	}
	var ds []pipeline.Deal
	for d, err := range mem.ListDeals(ctx, pipeline.DealFilter{}) {
		require.NoError(t, err)
		ds = append(ds, d)
	}
	return ins, ds
}

// load stores the records of faultBase in r's stores, past its injector.
func (r *faultRig) load(t *testing.T, ins []pipeline.Inquiry, ds []pipeline.Deal) {
	ctx := context.Background()
	for _, in := range ins {
		require.NoError(t, r.inquiries.CreateInquiry(ctx, in))
	}
	for _, d := range ds {
		require.NoError(t, r.deals.CreateDeal(ctx, d))
	}
}

func newFaultRig(t *testing.T, cfg faultConfig) *faultRig {
	r := &faultRig{f: &injector{}, rec: &pipelinetest.Recorder{}}
	var mem interface {
		pipeline.Store
		pipeline.IdempotencyStore
		pipeline.Transactor
	}
	if cfg.outbox {
		r.outbox = pipelinetest.NewOutboxMemStore()
		mem, r.deals = r.outbox, &r.outbox.MemStore
	} else {
		r.deals = pipelinetest.NewMemStore()
		mem = r.deals
	}
	r.inquiries, r.outcomes = r.deals, r.deals
	base := faultStore{mem, r.f}
	var deals pipeline.Store = base
	switch {
	case cfg.outbox:
		deals = faultTxOutbox{faultTx{base}, r.outbox}
	case cfg.tx:
		deals = faultTx{base}
	}
	var inquiries pipeline.InquiryStore = deals
	if cfg.ownInquiries {
		r.inquiries = pipelinetest.NewMemStore()
		inquiries = faultStore{r.inquiries, r.f}
	}
	opts := &pipeline.Options{Clock: sp.FixedClock(pipelinetest.Epoch()), Publisher: r.rec,
		Pipelines: []*pipeline.Definition{faultPipeline}}
	if cfg.ownOutcomes {
		r.outcomes = pipelinetest.NewMemStore()
		opts.Idempotency = faultStore{r.outcomes, r.f}
	}
	var err error
	r.engine, err = pipeline.NewEngine(inquiries, deals, opts)
	require.NoError(t, err)
	return r
}

// faultPipeline is the default pipeline, built once for the many engines
// of the fault tests.
var faultPipeline = pipeline.DefaultDefinition()

// faultSetup makes the records the commands of faultCommands act on.
func faultSetup(t *testing.T, e *pipeline.Engine) {
	ctx := context.Background()
	by := pipelinetest.Admin()
	check := func(_ any, err error) { t.Helper(); require.NoError(t, err) }
	for _, id := range []sp.InquiryID{"i-new", "i-contacted", "i-qualified", "i-disq"} {
		check(e.ReceiveInquiry(ctx, by, pipelinetest.NewInquiry(id), nil))
	}
	for _, id := range []sp.InquiryID{"i-contacted", "i-qualified", "i-disq"} {
		check(e.Contact(ctx, by, id, pipeline.Activity{}, nil))
	}
	check(e.Qualify(ctx, by, "i-qualified", nil))
	check(e.Disqualify(ctx, by, "i-disq", "no budget", nil))
	for _, id := range []sp.DealID{"d-open", "d-over", "d-won", "d-delivered", "d-lost"} {
		check(e.OpenDeal(ctx, by, pipelinetest.NewDeal(id), nil))
	}
	check(e.OverrideProbability(ctx, by, "d-over", decimal.New(3, -1), nil))
	for _, id := range []sp.DealID{"d-won", "d-delivered"} {
		check(e.Win(ctx, by, id, nil))
	}
	check(e.Deliver(ctx, by, "d-delivered", nil))
	check(e.Lose(ctx, by, "d-lost", pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}, nil))
}

// faultCommands are engine commands, each on a record faultSetup made: one
// of each pattern of store calls (the other commands that change an
// inquiry or a deal call the stores as Contact and Win do), and the ones
// with more to them.
var faultCommands = []struct {
	name string
	run  func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error
}{
	{"receive", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.ReceiveInquiry(ctx, pipelinetest.Admin(), pipelinetest.NewInquiry("i-fresh"), o)
		return err
	}},
	{"assign_inquiry", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.AssignInquiry(ctx, pipelinetest.Admin(), "i-new", pipelinetest.RepBob, o)
		return err
	}},
	{"contact", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.Contact(ctx, pipelinetest.Admin(), "i-new", pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall}, o)
		return err
	}},
	{"disqualify", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.Disqualify(ctx, pipelinetest.Admin(), "i-new", "spam", o)
		return err
	}},
	{"convert", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, _, err := e.Convert(ctx, pipelinetest.Admin(), "i-qualified", conv100, o)
		return err
	}},
	{"open", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.OpenDeal(ctx, pipelinetest.Admin(), pipelinetest.NewDeal("d-fresh"), o)
		return err
	}},
	{"win", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.Win(ctx, pipelinetest.Admin(), "d-open", o)
		return err
	}},
	{"lose", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.Lose(ctx, pipelinetest.Admin(), "d-open", pipeline.LossReason{Category: pipeline.LossTiming, Detail: "next year"}, o)
		return err
	}},
	{"follow_up", func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
		_, err := e.FollowUp(ctx, pipelinetest.Admin(), "d-delivered", []sp.Feedback{{ID: "f1", Rating: 4, Category: sp.FeedbackQuality}}, o)
		return err
	}},
}

// faultDump is everything a rig's stores and publisher hold: records,
// outcomes (of the one key the tests use) and events.
type faultDump struct {
	Records []any
	Outcome string
	Events  []string
}

const faultKey = "k-fault"

func (r *faultRig) dump(t *testing.T) faultDump {
	t.Helper()
	ctx := context.Background()
	var recs []any
	for in, err := range r.inquiries.ListInquiries(ctx, pipeline.InquiryFilter{}) {
		require.NoError(t, err)
		recs = append(recs, in)
	}
	for d, err := range r.deals.ListDeals(ctx, pipeline.DealFilter{}) {
		require.NoError(t, err)
		recs = append(recs, d)
	}
	d := faultDump{Records: recs}
	if o, err := r.outcomes.GetOutcome(ctx, faultKey); err == nil {
		js, err := json.Marshal(o)
		require.NoError(t, err)
		d.Outcome = string(js)
	} else {
		require.ErrorIs(t, err, sp.ErrNotFound)
	}
	var events []sp.Event
	if r.outbox != nil {
		events = r.outbox.Events()
	}
	for _, ev := range append(events, r.rec.Events()...) {
		d.Events = append(d.Events, ev.ID+" "+ev.Type)
	}
	return d
}

// Every command, failed by each of its store calls in turn: with every
// store in one Transactor, the failed command leaves everything as it was;
// otherwise it leaves at most what the docs say a failure may, and a retry
// completes it without applying anything twice.
func TestEngineStoreFaults(t *testing.T) {
	ins, ds := faultBase(t)
	for _, cfg := range faultConfigs {
		for _, keyed := range []bool{false, true} {
			for _, cmd := range faultCommands {
				name := fmt.Sprintf("%s/keyed=%v/%s", cfg.name, keyed, cmd.name)
				t.Run(name, func(t *testing.T) {
					var o *pipeline.CommandOptions
					if keyed {
						o = &pipeline.CommandOptions{IdempotencyKey: faultKey}
					}
					clean := newFaultRig(t, cfg)
					clean.load(t, ins, ds)
					before := clean.dump(t)
					require.NoError(t, cmd.run(context.Background(), clean.engine, o))
					want := clean.dump(t)
					calls := clean.f.n

					modes := []faultMode{faultErr}
					if keyed && !cfg.outbox && !cfg.ownInquiries {
						// A failed keyed command looks its key up again.
						modes = append(modes, faultCancel, faultConflict)
					}
					for _, mode := range modes {
						for k := 1; k <= calls+1; k++ {
							r := newFaultRig(t, cfg)
							r.load(t, ins, ds)
							ctx, cancel := context.WithCancel(context.Background())
							r.f.n, r.f.k, r.f.mode, r.f.cancel = 0, k, mode, cancel
							err := cmd.run(ctx, r.engine, o)
							cancel()
							r.f.k = 0
							hit := r.f.hit
							if hit == "" {
								require.NoError(t, err, "k=%d: no fault", k)
								assert.Equal(t, want, r.dump(t), "k=%d: no fault", k)
								continue
							}
							if err == nil {
								assert.Equal(t, want, r.dump(t), "%s at %s (k=%d): the command succeeded", mode, hit, k)
								continue
							}
							switch mode {
							case faultErr:
								assert.ErrorIs(t, err, errInjected, "%s at %s (k=%d)", mode, hit, k)
							case faultCancel:
								assert.ErrorIs(t, err, context.Canceled, "%s at %s (k=%d)", mode, hit, k)
							case faultConflict:
								assert.ErrorIs(t, err, sp.ErrConflict, "%s at %s (k=%d)", mode, hit, k)
							}
							got := r.dump(t)
							if cfg.atomic {
								assert.Equal(t, before, got, "%s at %s (k=%d): the failed command left a change", mode, hit, k)
							}
							if !assert.ObjectsAreEqual(got.Records, before.Records) && got.Outcome == "" && keyed && hit == "AddOutcome" {
								// The record is stored, but its outcome not: a
								// retry may apply it again (see IdempotencyStore).
								assert.ErrorContains(t, err, "stored at version", "%s at %s (k=%d): the error says so", mode, hit, k)
								assert.Equal(t, want.Records, got.Records, "%s at %s (k=%d)", mode, hit, k)
								assert.Equal(t, want.Events, got.Events, "%s at %s (k=%d): the events of the stored change", mode, hit, k)
								continue
							}
							wantEvents := before.Events
							wantAfter := want
							if !assert.ObjectsAreEqual(got.Records, before.Records) {
								// Else only a conversion may leave something: its
								// deal, created before the inquiry's update failed,
								// whose opening is published with it. The retry,
								// finding the deal at version 1, publishes it again,
								// with the same ID (see Engine.Convert).
								assert.Equal(t, "convert", cmd.name, "%s at %s (k=%d): the failed command left a change", mode, hit, k)
								assert.Equal(t, "UpdateInquiry", hit, "%s at %s (k=%d): the failed command left a change", mode, hit, k)
								rest := slices.DeleteFunc(slices.Clone(got.Records), func(rec any) bool {
									d, ok := rec.(pipeline.Deal)
									return ok && d.Inquiry == "i-qualified"
								})
								assert.Equal(t, before.Records, rest, "%s at %s (k=%d): the deal, and nothing else", mode, hit, k)
								opened := "pipeline/deal/i-qualified/1 " + pipeline.EventDealOpened
								wantEvents = append(slices.Clone(before.Events), opened)
								wantAfter.Events = append(slices.Clone(wantEvents), want.Events[len(before.Events):]...)
							}
							assert.Equal(t, wantEvents, got.Events, "%s at %s (k=%d): the failed command's events", mode, hit, k)
							// A retry completes the command, once.
							err = cmd.run(context.Background(), r.engine, o)
							require.NoError(t, err, "%s at %s (k=%d): the retry", mode, hit, k)
							assert.Equal(t, wantAfter, r.dump(t), "%s at %s (k=%d): after the retry", mode, hit, k)
						}
					}
				})
			}
		}
	}
}
