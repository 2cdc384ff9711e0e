package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// change is a command that changes a record of the catalogue's fixture
// (see fixture), run by an actor with options; it returns what the command
// returned, as JSON.
type change struct {
	name string
	cmd  pipeline.Command
	run  func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error)
}

// asJSON returns the JSON of v and err.
func asJSON(v any, err error) (string, error) {
	raw, merr := json.Marshal(v)
	if merr != nil {
		return "", merr
	}
	return string(raw), err
}

// changes lists every Engine command that changes a record, each on a
// record of the fixture in the state it needs. All records belong to Ann
// in the north region.
func changes() []change {
	act := pipeline.Activity{ID: "a-new", Kind: pipeline.ActivityVisit, Done: pipelinetest.Epoch()}
	loss := pipeline.LossReason{Category: pipeline.LossTiming, Detail: "next year"}
	fb := []sp.Feedback{{ID: "fb-1", Rating: 4, Category: sp.FeedbackService}}
	return []change{
		{"receive", pipeline.CmdReceive, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.ReceiveInquiry(ctx, by, pipelinetest.NewInquiry("i-fresh"), o))
		}},
		{"assign_inquiry", pipeline.CmdAssign, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.AssignInquiry(ctx, by, iNew, pipelinetest.RepBob, o))
		}},
		{"log_inquiry_activity", pipeline.CmdLogActivity, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.LogInquiryActivity(ctx, by, iNew, act, o))
		}},
		{"complete_inquiry_activity", pipeline.CmdCompleteActivity, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.CompleteInquiryActivity(ctx, by, iNew, plannedCall, pipeline.ActivityCompletion{Outcome: "call back"}, o))
		}},
		{"contact", pipeline.CmdContact, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.Contact(ctx, by, iNew, act, o))
		}},
		{"qualify", pipeline.CmdQualify, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.Qualify(ctx, by, iContacted, o))
		}},
		{"disqualify", pipeline.CmdDisqualify, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.Disqualify(ctx, by, iNew, "a competitor's customer", o))
		}},
		{"reopen_inquiry", pipeline.CmdReopenInquiry, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.ReopenInquiry(ctx, by, iDisq, o))
		}},
		{"convert", pipeline.CmdConvert, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			in, d, err := e.Convert(ctx, by, iQualified, pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900")}}, o)
			return asJSON([]any{in, d}, err)
		}},
		{"open", pipeline.CmdOpen, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.OpenDeal(ctx, by, pipelinetest.NewDeal("d-fresh"), o))
		}},
		{"assign_deal", pipeline.CmdAssign, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.AssignDeal(ctx, by, dOpen, pipelinetest.RepBob, o))
		}},
		{"log_deal_activity", pipeline.CmdLogActivity, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.LogDealActivity(ctx, by, dOpen, act, o))
		}},
		{"complete_deal_activity", pipeline.CmdCompleteActivity, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.CompleteDealActivity(ctx, by, dOpen, plannedCall, pipeline.ActivityCompletion{Outcome: "demo booked"}, o))
		}},
		{"set_terms", pipeline.CmdSetTerms, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.SetTerms(ctx, by, dOpen, pipeline.Terms{Amount: pipelinetest.MustEUR("2500")}, o))
		}},
		{"advance", pipeline.CmdAdvance, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.Advance(ctx, by, dOpen, pipeline.DealNegotiation, o))
		}},
		{"win", pipeline.CmdWin, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.Win(ctx, by, dOpen, o))
		}},
		{"lose", pipeline.CmdLose, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.Lose(ctx, by, dOpen, loss, o))
		}},
		{"reopen_deal", pipeline.CmdReopen, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.ReopenDeal(ctx, by, dLost, pipeline.DealProposal, o))
		}},
		{"override", pipeline.CmdOverride, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.OverrideProbability(ctx, by, dOpen, dec("0.65"), o))
		}},
		{"reset", pipeline.CmdResetProb, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.ResetProbability(ctx, by, dOpen, o))
		}},
		{"deliver", pipeline.CmdDeliver, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.Deliver(ctx, by, dWon, o))
		}},
		{"follow_up", pipeline.CmdFollowUp, func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) (string, error) {
			return asJSON(e.FollowUp(ctx, by, dDelivered, fb, o))
		}},
	}
}

// refusal is one call of Options.OnRefused.
type refusal struct {
	actor  sp.Actor
	cmd    pipeline.Command
	target pipeline.Target
	err    error
}

// auditLog records the refusals an engine reports, as a host's audit
// would.
type auditLog struct {
	mu   sync.Mutex
	seen []refusal
}

func (a *auditLog) record(_ context.Context, by sp.Actor, cmd pipeline.Command, t pipeline.Target, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seen = append(a.seen, refusal{by, cmd, t, err})
}

func (a *auditLog) refusals() []refusal {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]refusal(nil), a.seen...)
}

// TestAuthorization runs every command that changes a record as every kind
// of actor under DefaultPolicy: a rep on their own and on another's
// record, a manager in and out of the record's region, an admin, the
// system, and actors that are not valid at all. A refusal wraps
// ErrForbidden, changes nothing, publishes nothing and is reported once to
// Options.OnRefused, the only trace it leaves; an invalid actor is invalid
// input.
func TestAuthorization(t *testing.T) {
	const (
		allowed = iota
		forbidden
		invalid
	)
	actors := []struct {
		name string
		by   sp.Actor
		want int
	}{
		{"rep_own", ann, allowed},
		{"rep_other", bob, forbidden},
		{"rep_other_claiming_region", sp.Actor{ID: sp.ActorID(pipelinetest.RepBob), Role: sp.RoleRep, Regions: []sp.RegionID{pipelinetest.RegionNorth}}, forbidden},
		{"manager_in_region", pipelinetest.Manager(pipelinetest.RegionNorth), allowed},
		{"manager_of_several", pipelinetest.Manager(pipelinetest.RegionSouth, pipelinetest.RegionNorth), allowed},
		{"manager_out_of_region", sp.ManagerActor("mgr-south", pipelinetest.RegionSouth), forbidden},
		{"manager_of_no_region", sp.ManagerActor("mgr-idle"), forbidden},
		{"owner_as_manager_elsewhere", sp.ManagerActor(sp.ActorID(pipelinetest.RepAnn), pipelinetest.RegionSouth), forbidden},
		{"admin", pipelinetest.Admin(), allowed},
		{"system", system, allowed},
		{"unknown_role", sp.Actor{ID: "guest-1", Role: "guest"}, invalid},
		{"empty_role", sp.Actor{ID: sp.ActorID(pipelinetest.RepAnn)}, invalid},
		{"invalid_id", sp.Actor{ID: "", Role: sp.RoleAdmin}, invalid},
		{"invalid_region", sp.ManagerActor("mgr", ""), invalid},
	}
	for _, c := range changes() {
		for _, a := range actors {
			want := a.want
			if c.name == "reopen_inquiry" && a.name == "rep_own" {
				want = forbidden // a manager's act
			}
			t.Run(c.name+"/"+a.name, func(t *testing.T) {
				ctx := context.Background()
				audit := &auditLog{}
				s := fixture(t, &pipeline.Options{
					Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}, pipelinetest.RepBob: {pipelinetest.ProductWidget}},
					OnRefused:   audit.record,
				})
				before, events := snapshot(t, s), len(s.Events.Events())
				_, err := c.run(ctx, s.Engine, a.by, &pipeline.CommandOptions{IdempotencyKey: "req-" + c.name})
				switch want {
				case allowed:
					require.NoError(t, err)
					assert.NotEqual(t, before, snapshot(t, s))
					assert.Greater(t, len(s.Events.Events()), events)
					assert.Empty(t, audit.refusals())
					return
				case invalid:
					assert.ErrorIs(t, err, sp.ErrInvalid)
					assert.NotErrorIs(t, err, sp.ErrForbidden)
					var ve *sp.ValidationError
					if assert.ErrorAs(t, err, &ve) {
						assert.Contains(t, ve.Field, "actor.")
					}
					assert.Empty(t, audit.refusals(), "invalid input is not a refusal")
				case forbidden:
					assert.ErrorIs(t, err, sp.ErrForbidden)
					assert.NotErrorIs(t, err, sp.ErrInvalid)
					if r := audit.refusals(); assert.Len(t, r, 1, "one report per refusal") {
						assert.Equal(t, a.by.ID, r[0].actor.ID)
						assert.Equal(t, c.cmd, r[0].cmd)
						assert.ErrorIs(t, r[0].err, sp.ErrForbidden)
						assert.Equal(t, pipelinetest.RegionNorth, r[0].target.Region)
						assert.NotEmpty(t, r[0].target.ID)
					}
				}
				assert.Equal(t, before, snapshot(t, s), "the store changed")
				assert.Len(t, s.Events.Events(), events, "an event was published")
				_, err = s.Store.GetOutcome(ctx, "req-"+c.name)
				assert.ErrorIs(t, err, sp.ErrNotFound, "a failed command leaves no outcome")
			})
		}
	}
	t.Run("ineligible_owner_reported", func(t *testing.T) {
		ctx := context.Background()
		audit := &auditLog{}
		s := fixture(t, &pipeline.Options{Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}}, OnRefused: audit.record})
		before := snapshot(t, s)
		_, err := s.Engine.AssignDeal(ctx, system, dOpen, pipelinetest.RepBob, nil)
		require.ErrorIs(t, err, sp.ErrForbidden)
		r := audit.refusals()
		require.Len(t, r, 1)
		assert.Equal(t, pipelinetest.RepBob, r[0].target.NewOwner)
		assert.Equal(t, pipeline.CmdAssign, r[0].cmd)
		assert.Equal(t, before, snapshot(t, s))
	})
	t.Run("gate_refusal_reported", func(t *testing.T) {
		ctx := context.Background()
		audit := &auditLog{}
		cert := pipelinetest.Certified{}
		spec := pipeline.DefaultSpec()
		spec.Name = "certified"
		spec.Stages[3].Gates = []pipeline.Gate{pipeline.RequireCertifiedOwner(cert)}
		s := pipelinetest.NewScenario(t, &pipeline.Options{OnRefused: audit.record, Pipelines: []*pipeline.Definition{pipeline.MustDefinition(spec)}})
		d := pipelinetest.NewDeal("d1")
		d.Pipeline = "certified"
		_, err := s.Engine.OpenDeal(ctx, system, d, nil)
		require.NoError(t, err)
		_, err = s.Engine.Advance(ctx, system, "d1", pipeline.DealNegotiation, nil)
		require.ErrorIs(t, err, sp.ErrForbidden)
		require.ErrorIs(t, err, sp.ErrInvalidTransition)
		assert.Len(t, audit.refusals(), 1)
	})
	t.Run("refusal_inside_a_transaction_is_reported_after_it", func(t *testing.T) {
		// The hook runs once the transaction is over, so it may use the
		// store itself: MemStore would deadlock inside Atomically.
		ctx := context.Background()
		var s *pipelinetest.Scenario
		var seen pipeline.Deal
		s = fixture(t, &pipeline.Options{OnRefused: func(ctx context.Context, _ sp.Actor, _ pipeline.Command, tg pipeline.Target, _ error) {
			d, err := s.Store.GetDeal(ctx, sp.DealID(tg.ID))
			assert.NoError(t, err)
			seen = d
		}})
		_, err := s.Engine.Win(ctx, bob, dOpen, &pipeline.CommandOptions{IdempotencyKey: "k-bob"})
		require.ErrorIs(t, err, sp.ErrForbidden)
		assert.Equal(t, dOpen, seen.ID)
	})
}

// TestIdempotentRetries runs every command that changes a record twice
// with one key: the retry returns what the first run returned, changes
// nothing more and publishes nothing; then the same key with another
// command, or the same command with other arguments, is refused and
// changes nothing.
func TestIdempotentRetries(t *testing.T) {
	for _, c := range changes() {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := fixture(t, nil)
			key := &pipeline.CommandOptions{IdempotencyKey: "req-" + c.name, Reason: "by request"}
			first, err := c.run(ctx, s.Engine, system, key)
			require.NoError(t, err)
			after, events := snapshot(t, s), len(s.Events.Events())

			again, err := c.run(ctx, s.Engine, system, key)
			require.NoError(t, err, "a retry gets the first outcome")
			assert.JSONEq(t, first, again)
			assert.Equal(t, after, snapshot(t, s), "a retry applies nothing")
			assert.Len(t, s.Events.Events(), events, "a retry publishes nothing")

			_, err = c.run(ctx, s.Engine, pipelinetest.Admin(), key)
			assert.ErrorIs(t, err, pipeline.ErrKeyReused, "same key, another actor")
			_, err = c.run(ctx, s.Engine, system, &pipeline.CommandOptions{IdempotencyKey: key.IdempotencyKey, Reason: "other"})
			assert.ErrorIs(t, err, pipeline.ErrKeyReused, "same key, other options")
			for _, other := range changes() {
				if other.name == c.name {
					continue
				}
				_, err := other.run(ctx, s.Engine, system, key)
				assert.ErrorIs(t, err, pipeline.ErrKeyReused, "same key, command %s", other.name)
				assert.ErrorIs(t, err, sp.ErrInvalid)
			}
			assert.Equal(t, after, snapshot(t, s), "a reused key changes nothing")
			assert.Len(t, s.Events.Events(), events)
		})
	}
}

// TestConcurrentKeyedRetries sends one keyed request from 64 goroutines at
// once, on a store with transactions and on one without (whose outcomes
// are kept apart): it is applied once, every caller gets its outcome, and
// one event is published.
func TestConcurrentKeyedRetries(t *testing.T) {
	type plain struct{ pipeline.Store } // hides Transactor and IdempotencyStore
	stores := []struct {
		name string
		opts func(s *pipelinetest.MemStore) (pipeline.Store, *pipeline.Options)
	}{
		{"transactions", func(s *pipelinetest.MemStore) (pipeline.Store, *pipeline.Options) { return s, &pipeline.Options{} }},
		{"no_transactions", func(s *pipelinetest.MemStore) (pipeline.Store, *pipeline.Options) {
			return plain{s}, &pipeline.Options{Idempotency: pipelinetest.NewMemStore()}
		}},
	}
	for _, st := range stores {
		for _, c := range changes() {
			t.Run(st.name+"/"+c.name, func(t *testing.T) {
				ctx := context.Background()
				base := fixture(t, nil)
				store, opts := st.opts(base.Store)
				events := &pipelinetest.Recorder{}
				opts.Clock, opts.Publisher = pipelinetest.NewClock(), events
				e, err := pipeline.NewEngine(store, store, opts)
				require.NoError(t, err)
				before := snapshot(t, base)
				const writers = 64
				results := make([]string, writers)
				errs := make([]error, writers)
				var wg sync.WaitGroup
				for w := range writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[w] = pipelinetest.Retry(100, func() error {
							var err error
							results[w], err = c.run(ctx, e, system, &pipeline.CommandOptions{IdempotencyKey: "req-concurrent"})
							return err
						})
					}()
				}
				wg.Wait()
				for w := range writers {
					require.NoError(t, errs[w], "writer %d", w)
					assert.JSONEq(t, results[0], results[w], "writer %d got another outcome", w)
				}
				assert.NotEqual(t, before, snapshot(t, base))
				n := len(events.Events())
				assert.True(t, n == 1 || (c.name == "convert" && n == 2), "%d events: %v", n, events.Types())
				// Applied once: running the same request again changes nothing.
				after := snapshot(t, base)
				again, err := c.run(ctx, e, system, &pipeline.CommandOptions{IdempotencyKey: "req-concurrent"})
				require.NoError(t, err)
				assert.JSONEq(t, results[0], again)
				assert.Equal(t, after, snapshot(t, base))
			})
		}
	}
}

// rcStore is a store whose transactions read what others committed as soon
// as they commit, as two transactions at READ COMMITTED do, while keeping
// their own writes until they commit (and discarding them on error). The
// first lookup of an outcome in one of its transactions lets race run
// after the lookup read: another instance of the host, running the same
// request, commits in between.
type rcStore struct {
	*pipelinetest.MemStore // what is committed
	race                   func()
}

var (
	_ pipeline.Transactor       = (*rcStore)(nil)
	_ pipeline.IdempotencyStore = (*rcTx)(nil)
)

func (s *rcStore) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	tx := &rcTx{rcStore: s, inquiries: map[sp.InquiryID]pipeline.Inquiry{}, deals: map[sp.DealID]pipeline.Deal{}, outcomes: map[string]pipeline.Outcome{}}
	if err := fn(ctx, tx); err != nil {
		return err
	}
	for _, op := range tx.ops {
		if err := op(ctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	return nil
}

// rcTx is a transaction of rcStore: reads see its own writes, then what is
// committed; writes check what is committed at once, as a statement does,
// and are applied at commit.
type rcTx struct {
	*rcStore
	inquiries map[sp.InquiryID]pipeline.Inquiry
	deals     map[sp.DealID]pipeline.Deal
	outcomes  map[string]pipeline.Outcome
	ops       []func(ctx context.Context) error
}

func (tx *rcTx) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	if in, ok := tx.inquiries[id]; ok {
		return in.Clone(), nil
	}
	return tx.MemStore.GetInquiry(ctx, id)
}

func (tx *rcTx) CreateInquiry(ctx context.Context, in pipeline.Inquiry) error {
	if _, err := tx.GetInquiry(ctx, in.ID); err == nil {
		return fmt.Errorf("inquiry %q: %w", in.ID, sp.ErrDuplicate)
	}
	in = in.Clone()
	tx.inquiries[in.ID] = in
	tx.ops = append(tx.ops, func(ctx context.Context) error { return tx.MemStore.CreateInquiry(ctx, in) })
	return nil
}

func (tx *rcTx) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	cur, err := tx.GetInquiry(ctx, in.ID)
	switch {
	case err != nil:
		return err
	case cur.Version != expected:
		return fmt.Errorf("inquiry %q: %w", in.ID, sp.ErrConflict)
	}
	in = in.Clone()
	tx.inquiries[in.ID] = in
	tx.ops = append(tx.ops, func(ctx context.Context) error {
		c, err := tx.MemStore.GetInquiry(ctx, in.ID)
		if err != nil {
			return err
		}
		in.Version = c.Version + 1
		return tx.MemStore.UpdateInquiry(ctx, in, c.Version)
	})
	return nil
}

func (tx *rcTx) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	if d, ok := tx.deals[id]; ok {
		return d.Clone(), nil
	}
	return tx.MemStore.GetDeal(ctx, id)
}

func (tx *rcTx) CreateDeal(ctx context.Context, d pipeline.Deal) error {
	if _, err := tx.GetDeal(ctx, d.ID); err == nil {
		return fmt.Errorf("deal %q: %w", d.ID, sp.ErrDuplicate)
	}
	d = d.Clone()
	tx.deals[d.ID] = d
	tx.ops = append(tx.ops, func(ctx context.Context) error { return tx.MemStore.CreateDeal(ctx, d) })
	return nil
}

func (tx *rcTx) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	cur, err := tx.GetDeal(ctx, d.ID)
	switch {
	case err != nil:
		return err
	case cur.Version != expected:
		return fmt.Errorf("deal %q: %w", d.ID, sp.ErrConflict)
	}
	d = d.Clone()
	tx.deals[d.ID] = d
	tx.ops = append(tx.ops, func(ctx context.Context) error {
		c, err := tx.MemStore.GetDeal(ctx, d.ID)
		if err != nil {
			return err
		}
		d.Version = c.Version + 1
		return tx.MemStore.UpdateDeal(ctx, d, c.Version)
	})
	return nil
}

func (tx *rcTx) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	if o, ok := tx.outcomes[key]; ok {
		return o, nil
	}
	o, err := tx.MemStore.GetOutcome(ctx, key)
	if race := tx.race; race != nil {
		tx.race = nil
		race()
	}
	return o, err
}

func (tx *rcTx) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	if _, err := tx.GetOutcome(ctx, o.Key); err == nil {
		return fmt.Errorf("outcome %q: %w", o.Key, sp.ErrDuplicate)
	}
	tx.outcomes[o.Key] = o
	tx.ops = append(tx.ops, func(ctx context.Context) error { return tx.MemStore.AddOutcome(ctx, o) })
	return nil
}

// TestKeyedRetryAtReadCommitted runs each command that changes a record
// on two instances of a host at once, with one key, on a store at READ
// COMMITTED: the second instance looks the key up before the first
// commits, and reads the record after. It must not fail on the state the
// first one left (a won deal, a converted inquiry, an owner the rep no
// longer is) but return the first one's outcome, apply nothing and publish
// nothing.
func TestKeyedRetryAtReadCommitted(t *testing.T) {
	for _, c := range changes() {
		for _, by := range []sp.Actor{system, ann} {
			if c.name == "reopen_inquiry" && by.Role == sp.RoleRep {
				continue // a manager's act
			}
			t.Run(c.name+"/"+string(by.Role), func(t *testing.T) {
				ctx := context.Background()
				s := fixture(t, nil) // the first instance: s.Engine
				audit := &auditLog{}
				rc := &rcStore{MemStore: s.Store}
				second := &pipelinetest.Recorder{}
				e, err := pipeline.NewEngine(rc, rc, &pipeline.Options{
					Clock: pipelinetest.NewClock(), Publisher: second, OnRefused: audit.record,
					Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}, pipelinetest.RepBob: {pipelinetest.ProductWidget}},
				})
				require.NoError(t, err)
				key := &pipeline.CommandOptions{IdempotencyKey: "req-both"}
				var first string
				var firstErr error
				rc.race = func() { first, firstErr = c.run(ctx, s.Engine, by, key) }
				events := len(s.Events.Events())

				got, err := c.run(ctx, e, by, key)
				require.NoError(t, firstErr, "the first instance")
				require.NoError(t, err, "the second instance gets the first one's outcome")
				assert.JSONEq(t, first, got)
				assert.Empty(t, second.Events(), "the second instance publishes nothing")
				assert.Greater(t, len(s.Events.Events()), events, "the first one did")
				assert.Empty(t, audit.refusals(), "a replayed outcome is no refusal")
				after := snapshot(t, s)
				again, err := c.run(ctx, s.Engine, by, key)
				require.NoError(t, err)
				assert.JSONEq(t, first, again)
				assert.Equal(t, after, snapshot(t, s), "applied once")
			})
		}
	}
	t.Run("other_failures_stay_failures", func(t *testing.T) {
		// A keyed command that fails with no outcome recorded for its key
		// gets its own error.
		ctx := context.Background()
		s := fixture(t, nil)
		_, err := s.Engine.Win(ctx, system, dNoAmount, &pipeline.CommandOptions{IdempotencyKey: "req-fails"})
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
		_, err = s.Store.GetOutcome(ctx, "req-fails")
		assert.True(t, errors.Is(err, sp.ErrNotFound))
	})
}

// lostRace is an IdempotencyStore on which every run loses the race for
// its key: AddOutcome finds the key taken, and GetOutcome then returns the
// winner's outcome, whose result is short.
type lostRace struct {
	mu   sync.Mutex
	lost *pipeline.Outcome
}

func (s *lostRace) GetOutcome(context.Context, string) (pipeline.Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lost == nil {
		return pipeline.Outcome{}, sp.ErrNotFound
	}
	return *s.lost, nil
}

func (s *lostRace) AddOutcome(_ context.Context, o pipeline.Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o.Result = json.RawMessage(`{"id":"d-open","version":9}`)
	s.lost = &o
	return sp.ErrDuplicate
}

// TestReplayDecodesIntoZeroResult checks that a run that lost the race
// for its key returns the winner's outcome as recorded, with none of its
// own fields left where the outcome has none.
func TestReplayDecodesIntoZeroResult(t *testing.T) {
	ctx := context.Background()
	type plain struct{ pipeline.Store } // hides Transactor and IdempotencyStore
	s := fixture(t, nil)
	e, err := pipeline.NewEngine(plain{s.Store}, plain{s.Store}, &pipeline.Options{Idempotency: &lostRace{}, Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	d, err := e.OverrideProbability(ctx, system, dOpen, dec("0.7"), &pipeline.CommandOptions{IdempotencyKey: "k"})
	require.NoError(t, err)
	got, err := json.Marshal(d)
	require.NoError(t, err)
	want, err := json.Marshal(pipeline.Deal{ID: dOpen, Version: 9})
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
}

// TestNilFuncAdapters checks that a nil PolicyFunc and a nil
// EligibilityFunc called directly (a host's policy that wraps another, say)
// mean what they mean in Options: DefaultPolicy, and everyone eligible, as a
// nil sp.ClockFunc is SystemClock and a nil sp.PublisherFunc discards, and
// do not panic.
func TestNilFuncAdapters(t *testing.T) {
	ctx := context.Background()
	var p pipeline.Policy = pipeline.PolicyFunc(nil)
	own := pipeline.Target{Kind: "deal", ID: "d1", Owner: "ann", Region: "north"}
	other := pipeline.Target{Kind: "deal", ID: "d2", Owner: "bob", Region: "north"}
	require.NotPanics(t, func() {
		assert.NoError(t, p.Authorize(ctx, sp.RepActor("ann"), pipeline.CmdAdvance, own))
		assert.ErrorIs(t, p.Authorize(ctx, sp.RepActor("ann"), pipeline.CmdAdvance, other), sp.ErrForbidden)
	})
	for _, tg := range []pipeline.Target{own, other} {
		assert.Equal(t, pipeline.DefaultPolicy{}.Authorize(ctx, sp.RepActor("ann"), pipeline.CmdAdvance, tg),
			p.Authorize(ctx, sp.RepActor("ann"), pipeline.CmdAdvance, tg))
	}

	var e pipeline.Eligibility = pipeline.EligibilityFunc(nil)
	require.NotPanics(t, func() {
		assert.NoError(t, e.Eligible(ctx, "ann", "sunbox", "phone", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)))
	})
}

// A conversion that hands the new deal to another rep is a hand-over, as
// an assignment is: the Policy sees the rep in NewOwner, so that a policy
// that restricts hand-overs cannot be bypassed by converting. A conversion
// that keeps the inquiry's owner has no NewOwner.
func TestConvertShowsThePolicyTheNewOwner(t *testing.T) {
	ctx := context.Background()
	var seen []pipeline.Target
	noHandOvers := pipeline.PolicyFunc(func(ctx context.Context, a sp.Actor, cmd pipeline.Command, tg pipeline.Target) error {
		if cmd == pipeline.CmdConvert {
			seen = append(seen, tg)
		}
		if tg.NewOwner != "" && a.Role != sp.RoleAdmin {
			return fmt.Errorf("only an admin hands work over: %w", sp.ErrForbidden)
		}
		return pipeline.DefaultPolicy{}.Authorize(ctx, a, cmd, tg)
	})
	conv := func(owner sp.RepID) pipeline.Conversion {
		return pipeline.Conversion{Owner: owner, Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("500")}}
	}

	s := fixture(t, &pipeline.Options{Policy: noHandOvers, Eligibility: pipelinetest.Certified{
		pipelinetest.RepAnn: {pipelinetest.ProductWidget}, pipelinetest.RepBob: {pipelinetest.ProductWidget},
	}})
	seen = nil // the fixture's own conversion
	before, events := snapshot(t, s), len(s.Events.Events())
	_, _, err := s.Engine.Convert(ctx, ann, iQualified, conv(pipelinetest.RepBob), nil)
	require.ErrorIs(t, err, sp.ErrForbidden, "a hand-over the policy refuses")
	require.Len(t, seen, 1)
	assert.Equal(t, pipelinetest.RepBob, seen[0].NewOwner)
	assert.Equal(t, pipelinetest.RepAnn, seen[0].Owner)
	assert.Equal(t, before, snapshot(t, s), "a refusal changes nothing")
	assert.Len(t, s.Events.Events(), events)

	for _, owner := range []sp.RepID{"", pipelinetest.RepAnn} {
		s := fixture(t, &pipeline.Options{Policy: noHandOvers})
		seen = nil
		_, _, err := s.Engine.Convert(ctx, ann, iQualified, conv(owner), nil)
		require.NoError(t, err, "owner %q keeps the inquiry's owner", owner)
		require.Len(t, seen, 1)
		assert.Empty(t, seen[0].NewOwner)
	}

	s = fixture(t, &pipeline.Options{Policy: noHandOvers})
	_, d, err := s.Engine.Convert(ctx, pipelinetest.Admin(), iQualified, conv(pipelinetest.RepBob), nil)
	require.NoError(t, err, "a hand-over the policy allows")
	assert.Equal(t, pipelinetest.RepBob, d.Owner)

	// DefaultPolicy looks at the record's owner, not the new one: a rep
	// converts their own inquiry into a deal for another rep.
	s = fixture(t, nil)
	_, _, err = s.Engine.Convert(ctx, bob, iQualified, conv(pipelinetest.RepBob), nil)
	assert.ErrorIs(t, err, sp.ErrForbidden, "but not another rep's inquiry")
	_, d, err = s.Engine.Convert(ctx, ann, iQualified, conv(pipelinetest.RepBob), nil)
	require.NoError(t, err)
	assert.Equal(t, pipelinetest.RepBob, d.Owner)
}

// DefaultPolicy does not judge the region of the rep work is handed to, as
// its doc says; a host that keeps reps to their division does it in a
// policy of its own, from the Target.
func TestDefaultPolicyLeavesTheNewOwnersRegionToTheHost(t *testing.T) {
	ctx := context.Background()
	south := pipelinetest.NewInquiry("s1")
	south.Region = "south"
	south.Owner = ""
	south.Deal = ""
	southManager := sp.ManagerActor("mgr-south", "south")
	target := pipeline.Target{Kind: "inquiry", ID: "s1", Region: "south", NewOwner: "ann"}
	require.NoError(t, pipeline.DefaultPolicy{}.Authorize(ctx, southManager, pipeline.CmdAssign, target))

	regionOf := map[sp.RepID]sp.RegionID{"ann": "north", "sam": "south"}
	division := pipeline.PolicyFunc(func(ctx context.Context, a sp.Actor, cmd pipeline.Command, t pipeline.Target) error {
		if t.NewOwner != "" && regionOf[t.NewOwner] != t.Region {
			return fmt.Errorf("rep %s works in another region: %w", t.NewOwner, sp.ErrForbidden)
		}
		return pipeline.DefaultPolicy{}.Authorize(ctx, a, cmd, t)
	})
	s := pipelinetest.NewScenario(t, &pipeline.Options{Policy: division})
	_, err := s.Engine.ReceiveInquiry(ctx, system, south, nil)
	require.NoError(t, err)
	_, err = s.Engine.AssignInquiry(ctx, southManager, "s1", "ann", nil)
	require.ErrorIs(t, err, sp.ErrForbidden)
	in, err := s.Engine.AssignInquiry(ctx, southManager, "s1", "sam", nil)
	require.NoError(t, err)
	assert.Equal(t, sp.RepID("sam"), in.Owner)
}
