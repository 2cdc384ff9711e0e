package pipelinetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/shopspring/decimal"
)

// Identifiers the fixtures use.
const (
	RepAnn        sp.RepID      = "rep-ann"
	RepBob        sp.RepID      = "rep-bob"
	RegionNorth   sp.RegionID   = "north"
	RegionSouth   sp.RegionID   = "south"
	ProductWidget sp.ProductID  = "widget"
	ProductGadget sp.ProductID  = "gadget"
	ChannelPhone  sp.ChannelID  = "phone"
	ChannelWeb    sp.ChannelID  = "web"
	CampaignFall  sp.CampaignID = "fall-2026"
	CustomerAcme  sp.CustomerID = "acme"
	ManagerNorth  sp.ActorID    = "mgr-north"
	SystemJob     sp.ActorID    = "job-intake"
	AdminID       sp.ActorID    = "admin"
)

// Epoch is the start of fixture time: Monday 2 November 2026, 09:00 UTC,
// in whole seconds, so that a store that keeps microseconds returns the
// times it was given.
func Epoch() time.Time { return time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC) }

// NewClock returns a stepping clock whose first reading is [Epoch] and each
// later reading one minute after the one before: every change in a
// scenario gets its own time, and no test sleeps. Each call returns a new
// clock.
func NewClock() *sp.SteppingClock { return sp.NewSteppingClock(Epoch(), time.Minute) }

// Actors of the fixtures.

// Rep returns rep id acting for themselves: its ID is id, its role
// [sp.RoleRep], with no regions.
func Rep(id sp.RepID) sp.Actor { return sp.RepActor(id) }

// Manager returns the manager of regions, whatever they are, as the
// actor [ManagerNorth]. The ID does not make a manager of the north
// region: Manager() manages no region, and [pipeline.DefaultPolicy]
// refuses it every record; Manager([RegionNorth]) manages the
// fixtures' records.
func Manager(regions ...sp.RegionID) sp.Actor { return sp.ManagerActor(ManagerNorth, regions...) }

// System returns the system actor of the fixtures, [SystemJob].
func System() sp.Actor { return sp.SystemActor(SystemJob) }

// Admin returns an administrator, [AdminID].
func Admin() sp.Actor { return sp.AdminActor(AdminID) }

// MustEUR returns amount, in plain decimal notation ("1200.50"), in euros.
// It panics on malformed text, as its name says: it is meant for literals
// in tests; parse any other text with [sp.ParseMoney].
func MustEUR(amount string) sp.Money {
	m, err := sp.ParseMoney(amount + " EUR")
	if err != nil {
		panic(err)
	}
	return m
}

// NewInquiry returns an inquiry ready for [pipeline.Engine.ReceiveInquiry]:
// from the phone channel and the fall campaign, in the locality
// "Springfield" of the north region, about the widget, from Acme, owned by
// Ann, received at [Epoch], with no stage, history or version. The engine
// keeps a Received it is given: set it to the zero time for the time of
// the engine's clock, or receive the inquiry with [Scenario.Receive],
// which does.
func NewInquiry(id sp.InquiryID) pipeline.Inquiry {
	return pipeline.Inquiry{
		ID: id, Channel: ChannelPhone, Campaign: CampaignFall, Locality: "Springfield",
		Region: RegionNorth, Product: ProductWidget, Customer: CustomerAcme, Owner: RepAnn,
		Received: Epoch(),
	}
}

// NewDeal returns a deal ready for [pipeline.Engine.OpenDeal]: owned by Ann
// in the north region, for Acme, about the widget, on the phone channel,
// with no campaign or inquiry, one line of 10 widgets at 120.00 EUR with
// 10 % off, expected to close a month after [Epoch] (AddDate(0, 1, 0)).
// Its Amount is left zero: the engine sets it to the lines' total, 1080.00
// EUR, when it opens the deal.
func NewDeal(id sp.DealID) pipeline.Deal {
	return pipeline.Deal{
		ID: id, Owner: RepAnn, Region: RegionNorth, Customer: CustomerAcme, Product: ProductWidget,
		Channel: ChannelPhone,
		Lines: []pipeline.Line{{
			Product: ProductWidget, Quantity: 10, UnitPrice: MustEUR("120.00"), Discount: decimal.New(1, -1),
		}},
		ExpectedClose: Epoch().AddDate(0, 1, 0),
	}
}

// Certified is a fake [pipeline.Eligibility]: a rep is eligible for the
// products listed for them, on every channel at every time; any other rep
// or product gets an error wrapping [sp.ErrForbidden], and a nil Certified
// refuses everyone. It must not be changed while in use; unchanged, it may
// be shared by parallel tests.
type Certified map[sp.RepID][]sp.ProductID

var _ pipeline.Eligibility = Certified(nil)

// Eligible implements [pipeline.Eligibility].
func (c Certified) Eligible(_ context.Context, rep sp.RepID, product sp.ProductID, _ sp.ChannelID, _ time.Time) error {
	if slices.Contains(c[rep], product) {
		return nil
	}
	return fmt.Errorf("pipelinetest: rep %q is not certified for %q: %w", rep, product, sp.ErrForbidden)
}

// Recorder is a [sp.Publisher] that keeps the events it is given.
// It is safe for concurrent use; the zero Recorder is ready to use. A nil
// *Recorder keeps nothing: its Publish returns an error wrapping
// [sp.ErrInvalid], its Events and Types nil.
type Recorder struct {
	mu     sync.Mutex
	events []sp.Event
	// Err, when not nil, is returned by every Publish, after the event is
	// kept. A test may set or clear it between commands, but not while a
	// Publish may run.
	Err error
}

var _ sp.Publisher = (*Recorder)(nil)

// Publish implements [sp.Publisher].
func (r *Recorder) Publish(_ context.Context, e sp.Event) error {
	if r == nil {
		return fmt.Errorf("pipelinetest: publish to a nil recorder: %w", sp.ErrInvalid)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e.Data = slices.Clone(e.Data)
	r.events = append(r.events, e)
	return r.Err
}

// Events returns a copy of the events kept so far, in order; their
// payloads are copies too.
func (r *Recorder) Events() []sp.Event {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.events)
	for i := range out {
		out[i].Data = slices.Clone(out[i].Data)
	}
	return out
}

// Types returns the types of the events kept so far, in order; nil if
// none, as Events is.
func (r *Recorder) Types() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return nil
	}
	out := make([]string, len(r.events))
	for i, e := range r.events {
		out[i] = e.Type
	}
	return out
}

// Scenario bundles what a scenario test needs: a [MemStore], a stepping
// clock, an event [Recorder] and a [pipeline.Engine] wired to them. The
// zero Scenario has no engine, store or clock: its Receive fails with an
// error wrapping [sp.ErrInvalid], as its listings fail; make one with
// [NewScenario].
type Scenario struct {
	Store  *MemStore
	Clock  *sp.SteppingClock
	Events *Recorder
	Engine *pipeline.Engine
}

// NewScenario returns a Scenario with a new, empty MemStore, a new clock
// from [NewClock] (its first reading is [Epoch], each next one a minute
// later) and a new Recorder. opts may set the engine's policy,
// eligibility, pipelines and the rest; the engine gets a copy of it whose
// Clock and Publisher are the Scenario's, and opts itself is not changed,
// so parallel tests may share one. It fails tb if the engine cannot be
// built. A nil tb, for an Example or a program, which have none, is
// allowed: an engine that cannot be built is then left nil, and the
// commands of a nil *pipeline.Engine fail with an error wrapping
// [sp.ErrInvalid].
//
// Services a test runs beside the engine (a training Trainer, a review
// Reviewer) share its timeline when given the Scenario's Clock; each of
// their readings takes a step too. An Eligibility or a gate in opts is
// built before the Scenario, from what reads no clock: a training
// Readiness made by training.NewReadiness on the training store, say.
func NewScenario(tb testing.TB, opts *pipeline.Options) *Scenario {
	if tb != nil {
		tb.Helper()
	}
	s := &Scenario{Store: NewMemStore(), Clock: NewClock(), Events: &Recorder{}}
	var o pipeline.Options
	if opts != nil {
		o = *opts
	}
	o.Clock, o.Publisher = s.Clock, s.Events
	e, err := pipeline.NewEngine(s.Store, s.Store, &o)
	if err != nil && tb != nil {
		tb.Fatalf("pipelinetest: new scenario: %v", err)
	}
	s.Engine = e
	return s
}

// Deals returns every deal in the Scenario's Store, in ascending ID order,
// as they are at the call: the input of a calculator of package quota or
// of a review, through quota.Refs, in place of a listing read through
// quota.Records and its error checked after each calculator:
//
//	att, err := quota.Attain(goals, quota.Refs(s.Deals(t)), asOf, nil)
//
// The slice is the caller's and may be read as often as needed; call Deals
// again after further commands. A listing that fails (a nil *Scenario, a
// nil Store) fails tb with the listing's error, before any calculator or
// review reads a part of the records as the whole; with a nil tb, for an
// Example, Deals then returns nil.
func (s *Scenario) Deals(tb testing.TB) []pipeline.Deal {
	if tb != nil {
		tb.Helper()
	}
	if s == nil {
		return listAll[pipeline.Deal](tb, "deals", nil)
	}
	return listAll(tb, "deals", s.Store.ListDeals(context.Background(), pipeline.DealFilter{}))
}

// Inquiries returns every inquiry in the Scenario's Store, in ascending ID
// order, as they are at the call, as [Scenario.Deals] returns the deals:
//
//	conv, err := quota.CohortConversion(quota.Refs(s.Inquiries(t)), quota.Refs(s.Deals(t)),
//		month, asOf, quota.Grouping{Campaign: true}, nil)
func (s *Scenario) Inquiries(tb testing.TB) []pipeline.Inquiry {
	if tb != nil {
		tb.Helper()
	}
	if s == nil {
		return listAll[pipeline.Inquiry](tb, "inquiries", nil)
	}
	return listAll(tb, "inquiries", s.Store.ListInquiries(context.Background(), pipeline.InquiryFilter{}))
}

// Receive receives the inquiry in through the Scenario's engine, as the
// [System] actor, at the time of the Scenario's clock: it clears in's
// Received, whatever it holds, so that the engine stamps the inquiry with
// its own reading of the clock, the time of its first transition too. It
// returns what [pipeline.Engine.ReceiveInquiry] returns, a refusal
// included, and changes nothing else of in. [NewInquiry]'s Received,
// [Epoch], suits a scenario only until its clock moves:
//
//	s.Clock.Set(day3)
//	got, err := s.Receive(ctx, pipelinetest.NewInquiry("inq-1")) // got.Received is day3
//
// Call the engine for another actor or for [pipeline.CommandOptions]. A
// nil *Scenario is an error wrapping [sp.ErrInvalid], as the commands of
// its nil Engine are.
func (s *Scenario) Receive(ctx context.Context, in pipeline.Inquiry) (pipeline.Inquiry, error) {
	if s == nil {
		return pipeline.Inquiry{}, fmt.Errorf("pipelinetest: receive: nil scenario: %w", sp.ErrInvalid)
	}
	in.Received = time.Time{}
	return s.Engine.ReceiveInquiry(ctx, System(), in, nil)
}

// listAll gathers seq, failing tb (or, with a nil tb, returning nil) at its
// first error; a nil seq is the listing of a nil Scenario.
func listAll[T any](tb testing.TB, what string, seq iter.Seq2[T, error]) []T {
	if tb != nil {
		tb.Helper()
	}
	if seq == nil {
		if tb != nil {
			tb.Fatalf("pipelinetest: list %s: nil scenario: %v", what, sp.ErrInvalid)
		}
		return nil
	}
	var out []T
	for v, err := range seq {
		if err != nil {
			if tb != nil {
				tb.Fatalf("pipelinetest: list %s: %v", what, err)
			}
			return nil
		}
		out = append(out, v)
	}
	return out
}

// Retry runs fn until it returns an error that does not wrap
// [sp.ErrConflict], at most attempts times (once if attempts is less than
// 1), and returns its last error: the loop a caller of the engine runs
// around a command that races with others. It retries at once, without
// waiting, and fn must reload what it changes (a [pipeline.Engine]
// command does). A nil fn is an error wrapping [sp.ErrInvalid].
func Retry(attempts int, fn func() error) error {
	if fn == nil {
		return fmt.Errorf("pipelinetest: retry: nil func: %w", sp.ErrInvalid)
	}
	var err error
	for range max(attempts, 1) {
		if err = fn(); !errors.Is(err, sp.ErrConflict) {
			return err
		}
	}
	return err
}
