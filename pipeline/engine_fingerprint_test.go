package pipeline_test

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// money returns amount in currency c, keeping the amount's scale.
func money(t *testing.T, amount string, c sp.Currency) sp.Money {
	t.Helper()
	m, err := sp.NewMoney(dec(amount), c)
	require.NoError(t, err)
	return m
}

// A retry whose decimal arguments are equal to the first run's, written
// with another number of decimal places, is the same command: it gets the
// first outcome. Other amounts, currencies or fractions are other
// arguments.
func TestFingerprintComparesDecimalsByValue(t *testing.T) {
	ctx := context.Background()
	withAmount := func(amount sp.Money) pipeline.Deal {
		d := pipelinetest.NewDeal("d2")
		d.Lines, d.Amount = nil, amount
		return d
	}
	withLine := func(price sp.Money, discount string) pipeline.Deal {
		d := pipelinetest.NewDeal("d2")
		d.Lines[0].UnitPrice, d.Lines[0].Discount = price, dec(discount)
		return d
	}
	terms := func(amount sp.Money) pipeline.Terms {
		return pipeline.Terms{Amount: amount, ExpectedClose: pipelinetest.Epoch().AddDate(0, 2, 0)}
	}
	type run func(e *pipeline.Engine, key *pipeline.CommandOptions) (int64, error)
	open := func(d pipeline.Deal) run {
		return func(e *pipeline.Engine, key *pipeline.CommandOptions) (int64, error) {
			got, err := e.OpenDeal(ctx, system, d, key)
			return got.Version, err
		}
	}
	setTerms := func(tm pipeline.Terms) run {
		return func(e *pipeline.Engine, key *pipeline.CommandOptions) (int64, error) {
			got, err := e.SetTerms(ctx, system, "d1", tm, key)
			return got.Version, err
		}
	}
	override := func(p string) run {
		return func(e *pipeline.Engine, key *pipeline.CommandOptions) (int64, error) {
			got, err := e.OverrideProbability(ctx, system, "d1", dec(p), key)
			return got.Version, err
		}
	}
	convert := func(amount sp.Money) run {
		return func(e *pipeline.Engine, key *pipeline.CommandOptions) (int64, error) {
			in, _, err := e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: terms(amount)}, key)
			return in.Version, err
		}
	}
	for _, tc := range []struct {
		name          string
		first, second run
		same          bool
	}{
		{"amount/scale", open(withAmount(money(t, "100.5", "EUR"))), open(withAmount(money(t, "100.500", "EUR"))), true},
		{"amount/exponent", open(withAmount(money(t, "100", "JPY"))), open(withAmount(money(t, "100.0", "JPY"))), true},
		{"amount/value", open(withAmount(money(t, "100.5", "EUR"))), open(withAmount(money(t, "100.501", "EUR"))), false},
		{"amount/currency", open(withAmount(money(t, "100.5", "EUR"))), open(withAmount(money(t, "100.5", "USD"))), false},
		{"line/scale", open(withLine(money(t, "12.5", "EUR"), "0.1")), open(withLine(money(t, "12.5000", "EUR"), "0.100")), true},
		{"line/price", open(withLine(money(t, "12.5", "EUR"), "0.1")), open(withLine(money(t, "12.6", "EUR"), "0.1")), false},
		{"line/discount", open(withLine(money(t, "12.5", "EUR"), "0.1")), open(withLine(money(t, "12.5", "EUR"), "0.15")), false},
		{"terms/scale", setTerms(terms(money(t, "7.25", "EUR"))), setTerms(terms(money(t, "7.250", "EUR"))), true},
		{"terms/value", setTerms(terms(money(t, "7.25", "EUR"))), setTerms(terms(money(t, "7.26", "EUR"))), false},
		{"probability/scale", override("0.5"), override("0.50"), true},
		{"probability/value", override("0.5"), override("0.51"), false},
		{"convert/scale", convert(money(t, "900", "EUR")), convert(money(t, "900.000", "EUR")), true},
		{"convert/currency", convert(money(t, "900", "EUR")), convert(money(t, "900", "GBP")), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pipelinetest.NewMemStore()
			rec := &pipelinetest.Recorder{}
			e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
			require.NoError(t, err)
			_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
			require.NoError(t, err)
			qualified(t, e, "i1")
			events := len(rec.Types())

			key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
			first, err := tc.first(e, key)
			require.NoError(t, err)
			after := len(rec.Types())
			second, err := tc.second(e, key)
			if !tc.same {
				assert.ErrorIs(t, err, pipeline.ErrKeyReused)
				assert.ErrorIs(t, err, sp.ErrInvalid)
				return
			}
			require.NoError(t, err, "a retry with equal decimals gets the first outcome")
			assert.Equal(t, first, second)
			assert.Greater(t, after, events, "the first run emitted")
			assert.Equal(t, after, len(rec.Types()), "the retry emits nothing")
		})
	}
}

// An inquiry and a deal may share an ID (a conversion gives the deal the
// inquiry's), and assigning, logging an activity or completing one is one
// command for both: a key used on the inquiry is another command on the
// deal, not a replay of the inquiry's outcome as a deal.
func TestKeyReusedAcrossInquiryAndDeal(t *testing.T) {
	ctx := context.Background()
	act := pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}
	// Both records are created with a planned call, to be completed.
	planned := pipeline.Activity{ID: "call-0", Kind: pipeline.ActivityCall, Actor: "rep-ann", Due: pipelinetest.Epoch()}
	for _, tc := range []struct {
		name          string
		inquiry, deal func(e *pipeline.Engine, key *pipeline.CommandOptions) error
	}{
		{"assign", func(e *pipeline.Engine, key *pipeline.CommandOptions) error {
			_, err := e.AssignInquiry(ctx, system, "x", pipelinetest.RepBob, key)
			return err
		}, func(e *pipeline.Engine, key *pipeline.CommandOptions) error {
			_, err := e.AssignDeal(ctx, system, "x", pipelinetest.RepBob, key)
			return err
		}},
		{"log_activity", func(e *pipeline.Engine, key *pipeline.CommandOptions) error {
			_, err := e.LogInquiryActivity(ctx, system, "x", act, key)
			return err
		}, func(e *pipeline.Engine, key *pipeline.CommandOptions) error {
			_, err := e.LogDealActivity(ctx, system, "x", act, key)
			return err
		}},
		{"complete_activity", func(e *pipeline.Engine, key *pipeline.CommandOptions) error {
			_, err := e.CompleteInquiryActivity(ctx, system, "x", planned.ID, pipeline.ActivityCompletion{}, key)
			return err
		}, func(e *pipeline.Engine, key *pipeline.CommandOptions) error {
			_, err := e.CompleteDealActivity(ctx, system, "x", planned.ID, pipeline.ActivityCompletion{}, key)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pipelinetest.NewScenario(t, nil)
			in := pipelinetest.NewInquiry("x")
			in.Activities = []pipeline.Activity{planned}
			_, err := s.Engine.ReceiveInquiry(ctx, system, in, nil)
			require.NoError(t, err)
			d := pipelinetest.NewDeal("x")
			d.Activities = []pipeline.Activity{planned}
			_, err = s.Engine.OpenDeal(ctx, system, d, nil)
			require.NoError(t, err)
			key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
			require.NoError(t, tc.inquiry(s.Engine, key))
			events := len(s.Events.Types())

			err = tc.deal(s.Engine, key)
			assert.ErrorIs(t, err, pipeline.ErrKeyReused)
			d, gerr := s.Engine.GetDeal(ctx, "x")
			require.NoError(t, gerr)
			assert.Equal(t, int64(1), d.Version, "a reused key changes nothing")
			assert.Len(t, s.Events.Types(), events)
		})
	}
}

// A manager's regions are a set: a retry that lists them in another order,
// or one of them twice, is the same actor and gets the first outcome. A
// manager of other regions is another actor.
func TestFingerprintTakesRegionsAsASet(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		retry sp.Actor
		same  bool
	}{
		{"same", sp.ManagerActor(pipelinetest.ManagerNorth, "north", "south"), true},
		{"order", sp.ManagerActor(pipelinetest.ManagerNorth, "south", "north"), true},
		{"repeated", sp.ManagerActor(pipelinetest.ManagerNorth, "north", "south", "north"), true},
		{"fewer", sp.ManagerActor(pipelinetest.ManagerNorth, "north"), false},
		{"other", sp.ManagerActor(pipelinetest.ManagerNorth, "north", "east"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pipelinetest.NewScenario(t, nil)
			_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
			require.NoError(t, err)
			key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
			first, err := s.Engine.Advance(ctx, sp.ManagerActor(pipelinetest.ManagerNorth, "north", "south"), "d1", pipeline.DealProposal, key)
			require.NoError(t, err)
			events := len(s.Events.Types())

			second, err := s.Engine.Advance(ctx, tc.retry, "d1", pipeline.DealProposal, key)
			if !tc.same {
				assert.ErrorIs(t, err, pipeline.ErrKeyReused)
				return
			}
			require.NoError(t, err, "the same manager gets the first outcome")
			assert.Equal(t, first.Version, second.Version)
			assert.Len(t, s.Events.Types(), events, "the retry emits nothing")
		})
	}
}

// A keyed command whose terms hold a fraction of absurd precision is
// refused as the same command without a key is, before its arguments are
// fingerprinted: encoding 1e-50000000 as JSON writes fifty million digits
// (and 1e-2000000000 two billion), where checking it costs nothing. So is
// a deal to open whose probability, which the engine replaces, is such a
// decimal.
func TestKeyedTermsAreCheckedBeforeTheFingerprint(t *testing.T) {
	ctx := context.Background()
	tiny := decimal.New(1, -50_000_000)
	lines := func() []pipeline.Line {
		l := pipelinetest.NewDeal("x").Lines
		l[0].Discount = tiny
		return l
	}
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = s.Engine.Qualify(ctx, system, "i1", nil)
	require.NoError(t, err)

	for name, run := range map[string]func(o *pipeline.CommandOptions) error{
		"open": func(o *pipeline.CommandOptions) error {
			d := pipelinetest.NewDeal("d2")
			d.Lines = lines()
			_, err := s.Engine.OpenDeal(ctx, system, d, o)
			return err
		},
		"open_with_a_probability": func(o *pipeline.CommandOptions) error {
			d := pipelinetest.NewDeal("d3")
			d.Probability = tiny
			_, err := s.Engine.OpenDeal(ctx, system, d, o)
			return err
		},
		"set_terms": func(o *pipeline.CommandOptions) error {
			_, err := s.Engine.SetTerms(ctx, system, "d1", pipeline.Terms{Lines: lines()}, o)
			return err
		},
		"convert": func(o *pipeline.CommandOptions) error {
			_, _, err := s.Engine.Convert(ctx, system, "i1", pipeline.Conversion{Terms: pipeline.Terms{Lines: lines()}}, o)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := run(&pipeline.CommandOptions{IdempotencyKey: "k-" + name})
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Regexp(t, "discount|probability", err.Error())
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated to refuse it")
		})
	}
}

// No feedback is no feedback: a follow-up retried with an empty slice
// where the first run had nil, or the other way round, is the same
// command and gets the first outcome.
func TestFingerprintTakesNoFeedbackAsNone(t *testing.T) {
	ctx := context.Background()
	for name, fbs := range map[string][2][]sp.Feedback{
		"nil_then_empty": {nil, {}},
		"empty_then_nil": {{}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			s := fixture(t, nil)
			key := &pipeline.CommandOptions{IdempotencyKey: "k-follow-up"}
			first, err := s.Engine.FollowUp(ctx, system, dDelivered, fbs[0], key)
			require.NoError(t, err)
			events := len(s.Events.Events())
			again, err := s.Engine.FollowUp(ctx, system, dDelivered, fbs[1], key)
			require.NoError(t, err)
			assert.Equal(t, first.Version, again.Version)
			assert.Len(t, s.Events.Events(), events)
		})
	}
}

// A malformed stage is refused alike with a key and without: as a
// *TransitionError, the target not being a stage of the pipeline, rather
// than, with a key, as arguments that cannot be fingerprinted.
func TestKeyedMoveToAMalformedStageIsATransitionError(t *testing.T) {
	ctx := context.Background()
	s := fixture(t, nil)
	for _, key := range []string{"", "k-move"} {
		o := &pipeline.CommandOptions{IdempotencyKey: key}
		_, err := s.Engine.Advance(ctx, system, dOpen, "Won!", o)
		var te *pipeline.TransitionError
		if assert.ErrorAs(t, err, &te, "advance, key %q", key) {
			assert.Equal(t, "Won!", te.To)
		}
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
		_, err = s.Engine.ReopenDeal(ctx, system, dLost, "Lost\x00", o)
		assert.ErrorAs(t, err, &te, "reopen, key %q", key)
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
	}
	_, err := s.Store.GetOutcome(ctx, "k-move")
	assert.ErrorIs(t, err, sp.ErrNotFound, "a refusal leaves no outcome")
}

// A keyed command with a bad activity or bad feedback, whose arguments its
// fingerprint cannot encode (an unknown kind or category, a time beyond
// the year 9999), fails with the error the same command gets without a
// key, which names the field, not with one about the fingerprint.
func TestKeyedActivitiesAndFeedbackAreCheckedBeforeTheFingerprint(t *testing.T) {
	ctx := context.Background()
	far := time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.Win(ctx, system, "d1", nil)
	require.NoError(t, err)
	_, err = s.Engine.Deliver(ctx, system, "d1", nil)
	require.NoError(t, err)

	call := pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}
	badKind, badDone := call, call
	badKind.Kind = "telepathy"
	badDone.Done = far
	fb := sp.Feedback{ID: "f1", Rating: 4, Category: sp.FeedbackQuality}
	badCategory, badTime := fb, fb
	badCategory.Category = "vibes"
	badTime.Time = far
	for name, tc := range map[string]struct {
		field string
		run   func(o *pipeline.CommandOptions) error
	}{
		"log_inquiry_activity_kind": {"activity.kind", func(o *pipeline.CommandOptions) error {
			_, err := s.Engine.LogInquiryActivity(ctx, system, "i1", badKind, o)
			return err
		}},
		"log_inquiry_activity_done": {"activity.done", func(o *pipeline.CommandOptions) error {
			_, err := s.Engine.LogInquiryActivity(ctx, system, "i1", badDone, o)
			return err
		}},
		"log_deal_activity_kind": {"activity.kind", func(o *pipeline.CommandOptions) error {
			_, err := s.Engine.LogDealActivity(ctx, system, "d1", badKind, o)
			return err
		}},
		"contact_kind": {"activity.kind", func(o *pipeline.CommandOptions) error {
			a := badKind
			a.Done = time.Time{} // defaults to now
			_, err := s.Engine.Contact(ctx, system, "i1", a, o)
			return err
		}},
		"contact_due": {"activity.due", func(o *pipeline.CommandOptions) error {
			a := call
			a.Done, a.Due = time.Time{}, far
			_, err := s.Engine.Contact(ctx, system, "i1", a, o)
			return err
		}},
		"follow_up_category": {"feedback[1].category", func(o *pipeline.CommandOptions) error {
			_, err := s.Engine.FollowUp(ctx, system, "d1", []sp.Feedback{fb, badCategory}, o)
			return err
		}},
		"follow_up_time": {"feedback[0].time", func(o *pipeline.CommandOptions) error {
			_, err := s.Engine.FollowUp(ctx, system, "d1", []sp.Feedback{badTime}, o)
			return err
		}},
	} {
		t.Run(name, func(t *testing.T) {
			plain := tc.run(nil)
			require.ErrorIs(t, plain, sp.ErrInvalid)
			keyed := tc.run(&pipeline.CommandOptions{IdempotencyKey: "k-" + name})
			require.ErrorIs(t, keyed, sp.ErrInvalid)
			assert.Equal(t, plain.Error(), keyed.Error(), "the same error with a key")
			assert.Contains(t, keyed.Error(), tc.field)
		})
	}
}

// A retry whose times are the first run's instants written in another
// time zone is the same command: it gets the first outcome. Another
// instant is another argument, and so is text that merely reads as a
// time.
func TestFingerprintComparesTimesAsInstants(t *testing.T) {
	ctx := context.Background()
	zone := time.FixedZone("UTC+2", 2*60*60)
	at := pipelinetest.Epoch()
	type run func(e *pipeline.Engine, key *pipeline.CommandOptions) (any, error)
	receive := func(received time.Time) run {
		return func(e *pipeline.Engine, key *pipeline.CommandOptions) (any, error) {
			in := pipelinetest.NewInquiry("i2")
			in.Received = received
			return e.ReceiveInquiry(ctx, system, in, key)
		}
	}
	logActivity := func(done time.Time, notes string) run {
		return func(e *pipeline.Engine, key *pipeline.CommandOptions) (any, error) {
			a := pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Done: done, Notes: notes}
			return e.LogInquiryActivity(ctx, system, "i1", a, key)
		}
	}
	setTerms := func(close time.Time) run {
		return func(e *pipeline.Engine, key *pipeline.CommandOptions) (any, error) {
			return e.SetTerms(ctx, system, "d1", pipeline.Terms{Amount: pipelinetest.MustEUR("900"), ExpectedClose: close}, key)
		}
	}
	for _, tc := range []struct {
		name          string
		first, second run
		same          bool
	}{
		{"receive/zone", receive(at), receive(at.In(zone)), true},
		{"receive/instant", receive(at), receive(at.Add(-time.Second)), false},
		{"activity/zone", logActivity(at.In(zone), ""), logActivity(at, ""), true},
		{"activity/instant", logActivity(at, ""), logActivity(at.Add(time.Nanosecond), ""), false},
		{"activity/notes", logActivity(at, "2026-11-02T09:00:00Z"), logActivity(at, "2026-11-02T11:00:00+02:00"), false},
		{"terms/zone", setTerms(at.AddDate(0, 1, 0)), setTerms(at.AddDate(0, 1, 0).In(zone)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pipelinetest.NewMemStore()
			e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock()})
			require.NoError(t, err)
			_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
			require.NoError(t, err)
			_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
			require.NoError(t, err)

			key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
			first, err := tc.first(e, key)
			require.NoError(t, err)
			second, err := tc.second(e, key)
			if !tc.same {
				assert.ErrorIs(t, err, pipeline.ErrKeyReused)
				return
			}
			require.NoError(t, err, "a retry with the same instants gets the first outcome")
			want, err := json.Marshal(first)
			require.NoError(t, err)
			got, err := json.Marshal(second)
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(got), "the first outcome, its times at the first run's offsets")
		})
	}
}
