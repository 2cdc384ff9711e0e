package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// Adversarial texts.
var (
	huge    = strings.Repeat("x", 100_000)
	nul     = "a\x00b"
	badUTF8 = "a\xffb"
	far     = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// The records of the catalogue's fixture, one per state a command may
// meet, and what they hold.
const (
	iNew, iContacted, iQualified, iDisq, iConv sp.InquiryID = "i-new", "i-contacted", "i-qualified", "i-disq", "i-conv"
	dOpen, dNoAmount, dWon, dDelivered, dLost  sp.DealID    = "d-open", "d-no-amount", "d-won", "d-delivered", "d-lost"
	dFollowed                                  sp.DealID    = "d-followed"
	usedKey                                                 = "key-used" // an idempotency key with an outcome
	repCarl                                    sp.RepID     = "rep-carl" // certified for nothing
	// plannedCall is a planned call of iNew and of dOpen, to be completed.
	plannedCall = "call-planned"
)

// fixture returns a scenario whose store holds a record in every state a
// command may meet, with Ann and Bob certified for the widget and Carl
// for nothing.
func fixture(t *testing.T, opts *pipeline.Options) *pipelinetest.Scenario {
	t.Helper()
	ctx := context.Background()
	o := pipeline.Options{Eligibility: pipelinetest.Certified{
		pipelinetest.RepAnn: {pipelinetest.ProductWidget}, pipelinetest.RepBob: {pipelinetest.ProductWidget},
	}}
	if opts != nil {
		o = *opts
	}
	s := pipelinetest.NewScenario(t, &o)
	e := s.Engine
	must := func(_ any, err error) {
		t.Helper()
		require.NoError(t, err)
	}
	for _, id := range []sp.InquiryID{iNew, iContacted, iQualified, iDisq, iConv} {
		must(e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry(id), nil))
	}
	for _, id := range []sp.InquiryID{iContacted, iQualified, iDisq, iConv} {
		must(e.Contact(ctx, system, id, pipeline.Activity{}, nil))
	}
	must(e.Qualify(ctx, system, iQualified, nil))
	must(e.Qualify(ctx, system, iConv, nil))
	must(e.Disqualify(ctx, system, iDisq, "no budget", nil))
	_, _, err := e.Convert(ctx, system, iConv, pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("500")}}, nil)
	require.NoError(t, err)
	for _, id := range []sp.DealID{dOpen, dWon, dDelivered, dFollowed, dLost} {
		must(e.OpenDeal(ctx, system, pipelinetest.NewDeal(id), nil))
	}
	noAmount := pipelinetest.NewDeal(dNoAmount)
	noAmount.Lines = nil
	must(e.OpenDeal(ctx, system, noAmount, nil))
	for _, id := range []sp.DealID{dWon, dDelivered, dFollowed} {
		must(e.Win(ctx, system, id, nil))
	}
	must(e.Deliver(ctx, system, dDelivered, nil))
	must(e.Deliver(ctx, system, dFollowed, nil))
	must(e.FollowUp(ctx, system, dFollowed, nil, nil))
	must(e.Lose(ctx, system, dLost, pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}, nil))
	planned := pipeline.Activity{ID: plannedCall, Kind: pipeline.ActivityCall, Due: pipelinetest.Epoch().Add(48 * time.Hour), Notes: "ask about the budget"}
	must(e.LogInquiryActivity(ctx, system, iNew, planned, nil))
	must(e.LogDealActivity(ctx, system, dOpen, planned, nil))
	must(e.OverrideProbability(ctx, system, dOpen, dec("0.3"), &pipeline.CommandOptions{IdempotencyKey: usedKey}))
	return s
}

// snapshot returns every record of s's store, and the outcome of the
// fixture's key, as JSON: two snapshots are equal when the store is.
func snapshot(t *testing.T, s *pipelinetest.Scenario) string {
	t.Helper()
	ctx := context.Background()
	var parts []any
	for in, err := range s.Store.ListInquiries(ctx, pipeline.InquiryFilter{}) {
		require.NoError(t, err)
		parts = append(parts, in)
	}
	for d, err := range s.Store.ListDeals(ctx, pipeline.DealFilter{}) {
		require.NoError(t, err)
		parts = append(parts, d)
	}
	o, err := s.Store.GetOutcome(ctx, usedKey)
	require.NoError(t, err)
	parts = append(parts, o)
	raw, err := json.Marshal(parts)
	require.NoError(t, err)
	return string(raw)
}

// command is a bad call of an Engine command.
type command struct {
	name  string
	run   func(ctx context.Context, e *pipeline.Engine) error
	is    error
	field string // the field of the *ValidationError, else a substring of the message
}

// checkErr checks that err wraps is and names field.
func checkErr(t *testing.T, err error, is error, field string) {
	t.Helper()
	require.Error(t, err, "bad input accepted")
	assert.ErrorIs(t, err, is)
	var ve *sp.ValidationError
	if errors.As(err, &ve) && ve.Field != "" {
		assert.Equal(t, field, ve.Field, "error: %v", err)
	} else {
		assert.Contains(t, err.Error(), field)
	}
	assert.True(t, strings.Contains(err.Error(), "pipeline: ") || strings.HasPrefix(err.Error(), "invalid ") ||
		strings.Contains(err.Error(), "salesprocess: "), "message %q says where it comes from or what is invalid", err)
	assert.NotContains(t, err.Error(), ": pipeline: ", "the package is named once, first")
}

// keyed returns command options with an idempotency key.
func keyed(key string) *pipeline.CommandOptions { return &pipeline.CommandOptions{IdempotencyKey: key} }

// TestFollowUpTakesAThousandPiecesOfFeedback checks the bound FollowUp
// documents from the side that is allowed: 1000 pieces of feedback are
// taken, all of them, where TestBadInputCatalogue refuses 1001.
func TestFollowUpTakesAThousandPiecesOfFeedback(t *testing.T) {
	ctx := context.Background()
	s := fixture(t, nil)
	fb := make([]sp.Feedback, 1000)
	for i := range fb {
		fb[i] = sp.Feedback{ID: sp.FeedbackID(fmt.Sprintf("f%d", i)), Rating: 4, Category: sp.FeedbackService}
	}
	d, err := s.Engine.FollowUp(ctx, system, dDelivered, fb, nil)
	require.NoError(t, err)
	require.NotNil(t, d.Service)
	assert.Equal(t, pipeline.ServiceFollowedUp, d.Service.Stage)
	assert.Len(t, d.Service.Feedback, 1000)
}

// Feedback at a follow-up is about the deal followed up and from its
// customer: a piece may name them (TestBadInputCatalogue refuses one that
// names another deal or customer), or leave them to be filled in.
func TestFollowUpFeedbackNamesTheDealAndItsCustomer(t *testing.T) {
	ctx := context.Background()
	s := fixture(t, nil)
	fb := []sp.Feedback{
		{ID: "f1", Rating: 4, Category: sp.FeedbackService, Deal: dDelivered, Customer: pipelinetest.CustomerAcme},
		{ID: "f2", Rating: 2, Category: sp.FeedbackPrice},
	}
	d, err := s.Engine.FollowUp(ctx, system, dDelivered, fb, nil)
	require.NoError(t, err)
	require.Len(t, d.Service.Feedback, 2)
	for _, f := range d.Service.Feedback {
		assert.Equal(t, dDelivered, f.Deal)
		assert.Equal(t, pipelinetest.CustomerAcme, f.Customer)
	}
}

// TestBadInputCatalogue runs every Engine command with every class of
// invalid input on a store holding a record in every state: each call
// fails with the right sentinel and names the field, the store is byte for
// byte what it was, and no event is published.
func TestBadInputCatalogue(t *testing.T) {
	var rows []command
	add := func(c ...command) { rows = append(rows, c...) }
	// setups prepare the store of a row before the snapshot.
	setups := map[string]func(ctx context.Context, e *pipeline.Engine) error{
		"log_inquiry_activity/duplicate": func(ctx context.Context, e *pipeline.Engine) error {
			a := pipeline.Activity{ID: "a-dup", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}
			_, err := e.LogInquiryActivity(ctx, system, iContacted, a, nil)
			return err
		},
		"convert/deal_of_other_inquiry": func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.OpenDeal(ctx, system, pipelinetest.NewDeal(sp.DealID(iQualified)), nil)
			return err
		},
	}
	okIn := pipelinetest.NewInquiry("i-fresh")
	okDeal := pipelinetest.NewDeal("d-fresh")
	loss := pipeline.LossReason{Category: pipeline.LossCompetitor, Detail: "cheaper offer"}
	act := pipeline.Activity{ID: "a-1", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: pipelinetest.Epoch()}

	// The common parts of every command: the actor, the options, the
	// context. Each is tried on one command of each kind.
	badActors := map[string]struct {
		by    sp.Actor
		field string
	}{
		"actor_empty_id":       {sp.Actor{Role: sp.RoleAdmin}, "actor.id"},
		"actor_nul_id":         {sp.Actor{ID: sp.ActorID(nul), Role: sp.RoleAdmin}, "actor.id"},
		"actor_huge_id":        {sp.Actor{ID: sp.ActorID(huge), Role: sp.RoleAdmin}, "actor.id"},
		"actor_empty_role":     {sp.Actor{ID: "x"}, "actor.role"},
		"actor_unknown_role":   {sp.Actor{ID: "x", Role: "root"}, "actor.role"},
		"actor_bad_region":     {sp.ManagerActor("m", pipelinetest.RegionNorth, " south"), "actor.regions[1]"},
		"actor_zero":           {sp.Actor{}, "actor.id"},
		"actor_utf8_id":        {sp.Actor{ID: sp.ActorID(badUTF8), Role: sp.RoleSystem}, "actor.id"},
		"actor_rep_spaced_own": {sp.Actor{ID: " " + sp.ActorID(pipelinetest.RepAnn), Role: sp.RoleRep}, "actor.id"},
	}
	badOpts := map[string]struct {
		opts  *pipeline.CommandOptions
		field string
	}{
		"opts_reason_huge":    {&pipeline.CommandOptions{Reason: huge}, "reason"},
		"opts_reason_nul":     {&pipeline.CommandOptions{Reason: nul}, "reason"},
		"opts_reason_utf8":    {&pipeline.CommandOptions{Reason: badUTF8}, "reason"},
		"opts_stage_bad":      {&pipeline.CommandOptions{Stage: "Won!"}, "stage"},
		"opts_stage_huge":     {&pipeline.CommandOptions{Stage: pipeline.DealStage(huge)}, "stage"},
		"opts_key_huge":       {keyed(strings.Repeat("k", 257)), "idempotency_key"},
		"opts_key_nul":        {keyed("k\x00"), "idempotency_key"},
		"opts_key_utf8":       {keyed(badUTF8), "idempotency_key"},
		"opts_key_newline":    {keyed("k\n1"), "idempotency_key"},
		"opts_key_reused_cmd": {keyed(usedKey), "key-used"},
	}
	type anyCommand struct {
		name string
		run  func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error
	}
	all := []anyCommand{
		{"receive", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.ReceiveInquiry(ctx, by, okIn, o)
			return err
		}},
		{"assign_inquiry", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.AssignInquiry(ctx, by, iNew, pipelinetest.RepBob, o)
			return err
		}},
		{"log_inquiry_activity", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.LogInquiryActivity(ctx, by, iNew, act, o)
			return err
		}},
		{"complete_inquiry_activity", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.CompleteInquiryActivity(ctx, by, iNew, plannedCall, pipeline.ActivityCompletion{}, o)
			return err
		}},
		{"contact", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.Contact(ctx, by, iNew, pipeline.Activity{}, o)
			return err
		}},
		{"qualify", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.Qualify(ctx, by, iContacted, o)
			return err
		}},
		{"disqualify", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.Disqualify(ctx, by, iNew, "spam", o)
			return err
		}},
		{"reopen_inquiry", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.ReopenInquiry(ctx, by, iDisq, o)
			return err
		}},
		{"convert", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, _, err := e.Convert(ctx, by, iQualified, pipeline.Conversion{}, o)
			return err
		}},
		{"open", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.OpenDeal(ctx, by, okDeal, o)
			return err
		}},
		{"assign_deal", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.AssignDeal(ctx, by, dOpen, pipelinetest.RepBob, o)
			return err
		}},
		{"log_deal_activity", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.LogDealActivity(ctx, by, dOpen, act, o)
			return err
		}},
		{"complete_deal_activity", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.CompleteDealActivity(ctx, by, dOpen, plannedCall, pipeline.ActivityCompletion{}, o)
			return err
		}},
		{"set_terms", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.SetTerms(ctx, by, dOpen, pipeline.Terms{Amount: pipelinetest.MustEUR("10")}, o)
			return err
		}},
		{"advance", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.Advance(ctx, by, dOpen, pipeline.DealProposal, o)
			return err
		}},
		{"win", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.Win(ctx, by, dOpen, o)
			return err
		}},
		{"lose", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.Lose(ctx, by, dOpen, loss, o)
			return err
		}},
		{"reopen_deal", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.ReopenDeal(ctx, by, dLost, pipeline.DealProposal, o)
			return err
		}},
		{"override", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.OverrideProbability(ctx, by, dOpen, dec("0.9"), o)
			return err
		}},
		{"reset", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.ResetProbability(ctx, by, dOpen, o)
			return err
		}},
		{"deliver", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.Deliver(ctx, by, dWon, o)
			return err
		}},
		{"follow_up", func(ctx context.Context, e *pipeline.Engine, by sp.Actor, o *pipeline.CommandOptions) error {
			_, err := e.FollowUp(ctx, by, dDelivered, nil, o)
			return err
		}},
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range all {
		for name, a := range badActors {
			add(command{c.name + "/" + name, func(ctx context.Context, e *pipeline.Engine) error { return c.run(ctx, e, a.by, nil) }, sp.ErrInvalid, a.field})
		}
		for name, o := range badOpts {
			is := sp.ErrInvalid
			if name == "opts_key_reused_cmd" {
				is = pipeline.ErrKeyReused
			}
			add(command{c.name + "/" + name, func(ctx context.Context, e *pipeline.Engine) error { return c.run(ctx, e, system, o.opts) }, is, o.field})
		}
		add(
			command{c.name + "/nil_context", func(_ context.Context, e *pipeline.Engine) error {
				var nilCtx context.Context
				return c.run(nilCtx, e, system, nil)
			}, sp.ErrInvalid, "ctx"},
			command{c.name + "/cancelled_context", func(_ context.Context, e *pipeline.Engine) error {
				return c.run(cancelled, e, system, nil)
			}, context.Canceled, "canceled"},
			command{name: c.name + "/no_store", run: func(ctx context.Context, _ *pipeline.Engine) error {
				e, _ := pipeline.NewEngine(nil, nil, nil)
				return c.run(ctx, e, system, nil)
			}, is: sp.ErrInvalid, field: "store"},
			command{name: c.name + "/nil_engine", run: func(ctx context.Context, _ *pipeline.Engine) error {
				return c.run(ctx, nil, system, nil)
			}, is: sp.ErrInvalid, field: "store"},
		)
	}
	// The same key with other arguments.
	add(
		command{"override/key_reused_args", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.OverrideProbability(ctx, system, dOpen, dec("0.31"), keyed(usedKey))
			return err
		}, pipeline.ErrKeyReused, "key-used"},
		command{"override/key_reused_actor", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.OverrideProbability(ctx, pipelinetest.Admin(), dOpen, dec("0.3"), keyed(usedKey))
			return err
		}, pipeline.ErrKeyReused, "key-used"},
		command{"override/key_reused_reason", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.OverrideProbability(ctx, system, dOpen, dec("0.3"), &pipeline.CommandOptions{IdempotencyKey: usedKey, Reason: "x"})
			return err
		}, pipeline.ErrKeyReused, "key-used"},
		command{"override/key_reused_subject", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.OverrideProbability(ctx, system, dNoAmount, dec("0.3"), keyed(usedKey))
			return err
		}, pipeline.ErrKeyReused, "key-used"},
	)

	// Records: empty, oversized, malformed and unknown IDs, for every command
	// on a stored record.
	badIDs := map[string]string{"empty": "", "huge": huge, "nul": nul, "utf8": badUTF8, "spaced": " i", "newline": "i\n"}
	for name, id := range badIDs {
		inq, deal := sp.InquiryID(id), sp.DealID(id)
		add(
			command{"assign_inquiry/id_" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.AssignInquiry(ctx, system, inq, pipelinetest.RepBob, nil)
				return err
			}, sp.ErrInvalid, "id"},
			command{"contact/id_" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.Contact(ctx, system, inq, pipeline.Activity{}, nil)
				return err
			}, sp.ErrInvalid, "id"},
			command{"convert/id_" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, _, err := e.Convert(ctx, system, inq, pipeline.Conversion{}, nil)
				return err
			}, sp.ErrInvalid, "id"},
			command{"win/id_" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.Win(ctx, system, deal, nil)
				return err
			}, sp.ErrInvalid, "id"},
			command{"follow_up/id_" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.FollowUp(ctx, system, deal, nil, nil)
				return err
			}, sp.ErrInvalid, "id"},
		)
	}
	for _, c := range []struct {
		name string
		run  func(ctx context.Context, e *pipeline.Engine) error
	}{
		{"assign_inquiry", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignInquiry(ctx, system, "i-missing", pipelinetest.RepBob, nil)
			return err
		}},
		{"qualify", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Qualify(ctx, system, "i-missing", nil)
			return err
		}},
		{"convert", func(ctx context.Context, e *pipeline.Engine) error {
			_, _, err := e.Convert(ctx, system, "i-missing", pipeline.Conversion{}, nil)
			return err
		}},
		{"advance", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Advance(ctx, system, "d-missing", pipeline.DealProposal, nil)
			return err
		}},
		{"reset", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.ResetProbability(ctx, system, "d-missing", nil)
			return err
		}},
		{"deliver", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Deliver(ctx, system, "d-missing", nil)
			return err
		}},
	} {
		add(command{c.name + "/unknown_id", c.run, sp.ErrNotFound, "missing"})
	}

	// ReceiveInquiry: every field.
	for name, tc := range map[string]struct {
		edit  func(*pipeline.Inquiry)
		is    error
		field string
	}{
		"duplicate_id":         {func(in *pipeline.Inquiry) { in.ID = iNew }, sp.ErrDuplicate, "i-new"},
		"empty_id":             {func(in *pipeline.Inquiry) { in.ID = "" }, sp.ErrInvalid, "id"},
		"huge_id":              {func(in *pipeline.Inquiry) { in.ID = sp.InquiryID(huge) }, sp.ErrInvalid, "id"},
		"empty_channel":        {func(in *pipeline.Inquiry) { in.Channel = "" }, sp.ErrInvalid, "channel"},
		"empty_region":         {func(in *pipeline.Inquiry) { in.Region = "" }, sp.ErrInvalid, "region"},
		"empty_product":        {func(in *pipeline.Inquiry) { in.Product = "" }, sp.ErrInvalid, "product"},
		"empty_customer":       {func(in *pipeline.Inquiry) { in.Customer = "" }, sp.ErrInvalid, "customer"},
		"bad_campaign":         {func(in *pipeline.Inquiry) { in.Campaign = "c\x00" }, sp.ErrInvalid, "campaign"},
		"bad_owner":            {func(in *pipeline.Inquiry) { in.Owner = " ann" }, sp.ErrInvalid, "owner"},
		"huge_locality":        {func(in *pipeline.Inquiry) { in.Locality = huge }, sp.ErrInvalid, "locality"},
		"nul_locality":         {func(in *pipeline.Inquiry) { in.Locality = nul }, sp.ErrInvalid, "locality"},
		"newline_locality":     {func(in *pipeline.Inquiry) { in.Locality = "a\nb" }, sp.ErrInvalid, "locality"},
		"stage_set":            {func(in *pipeline.Inquiry) { in.Stage = pipeline.InquiryQualified }, sp.ErrInvalid, "stage"},
		"history_set":          {func(in *pipeline.Inquiry) { in.History = []pipeline.Transition[pipeline.InquiryStage]{{To: "new"}} }, sp.ErrInvalid, "stage"},
		"deal_set":             {func(in *pipeline.Inquiry) { in.Deal = "d1" }, sp.ErrInvalid, "stage"},
		"disqualify_reason":    {func(in *pipeline.Inquiry) { in.DisqualifyReason = "x" }, sp.ErrInvalid, "stage"},
		"received_far":         {func(in *pipeline.Inquiry) { in.Received = far }, sp.ErrInvalid, "received"},
		"received_before_1":    {func(in *pipeline.Inquiry) { in.Received = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }, sp.ErrInvalid, "received"},
		"bad_activity":         {func(in *pipeline.Inquiry) { in.Activities = []pipeline.Activity{{ID: "a"}} }, sp.ErrInvalid, "activities[0].kind"},
		"duplicate_activities": {func(in *pipeline.Inquiry) { in.Activities = []pipeline.Activity{act, act} }, sp.ErrInvalid, "activities[1].id"},
		"too_many_activities": {func(in *pipeline.Inquiry) {
			in.Activities = make([]pipeline.Activity, 1001)
		}, sp.ErrInvalid, "activities"},
		"ineligible_owner":   {func(in *pipeline.Inquiry) { in.Owner = repCarl }, sp.ErrForbidden, "rep-carl"},
		"unassigned_for_rep": {func(in *pipeline.Inquiry) { in.Owner = "" }, sp.ErrForbidden, "does not own"},
	} {
		add(command{"receive/" + name, func(ctx context.Context, e *pipeline.Engine) error {
			in := okIn.Clone()
			tc.edit(&in)
			by := system
			if name == "unassigned_for_rep" {
				by = ann
			}
			_, err := e.ReceiveInquiry(ctx, by, in, nil)
			return err
		}, tc.is, tc.field})
	}

	// Activities, wherever they are logged.
	badActivities := map[string]struct {
		a     pipeline.Activity
		field string
	}{
		"empty_id":      {pipeline.Activity{Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}, "activity.id"},
		"huge_id":       {pipeline.Activity{ID: huge, Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}, "activity.id"},
		"nul_id":        {pipeline.Activity{ID: nul, Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}, "activity.id"},
		"no_kind":       {pipeline.Activity{ID: "a", Done: pipelinetest.Epoch()}, "activity.kind"},
		"unknown_kind":  {pipeline.Activity{ID: "a", Kind: "telegram", Done: pipelinetest.Epoch()}, "activity.kind"},
		"bad_actor":     {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Actor: "\x01", Done: pipelinetest.Epoch()}, "activity.actor"},
		"no_time":       {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Outcome: "x"}, "activity.done"},
		"due_far":       {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Due: far}, "activity.due"},
		"done_far":      {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Done: far}, "activity.done"},
		"huge_outcome":  {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch(), Outcome: huge}, "activity.outcome"},
		"nul_notes":     {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch(), Notes: nul}, "activity.notes"},
		"utf8_notes":    {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch(), Notes: badUTF8}, "activity.notes"},
		"control_notes": {pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch(), Notes: "a\x1bb"}, "activity.notes"},
	}
	for name, tc := range badActivities {
		add(
			command{"log_inquiry_activity/" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.LogInquiryActivity(ctx, system, iNew, tc.a, nil)
				return err
			}, sp.ErrInvalid, tc.field},
			command{"log_deal_activity/" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.LogDealActivity(ctx, system, dOpen, tc.a, nil)
				return err
			}, sp.ErrInvalid, tc.field},
		)
		if name != "no_time" { // Contact defaults Done to now
			add(command{"contact/" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.Contact(ctx, system, iNew, tc.a, nil)
				return err
			}, sp.ErrInvalid, tc.field})
		}
	}
	add(
		command{name: "log_inquiry_activity/duplicate", run: func(ctx context.Context, e *pipeline.Engine) error {
			a := act
			a.ID = "a-dup"
			_, err := e.LogInquiryActivity(ctx, system, iContacted, a, nil)
			return err
		}, is: sp.ErrDuplicate, field: "already logged"},
		command{"log_inquiry_activity/closed_inquiry_unknown", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.LogInquiryActivity(ctx, system, "i-missing", act, nil)
			return err
		}, sp.ErrNotFound, "i-missing"},
	)

	// Completing a planned activity, of an inquiry and of a deal: the
	// fixture's clock reads less than a year past Epoch at the command,
	// and iNew was received at Epoch ("done_before_start" is an inquiry's
	// alone: a deal has no lower bound).
	late := pipelinetest.Epoch().Add(365 * 24 * time.Hour)
	early := pipelinetest.Epoch().Add(-time.Hour)
	for name, tc := range map[string]struct {
		activity string
		c        pipeline.ActivityCompletion
		is       error
		field    string
	}{
		"unknown_activity":   {"call-missing", pipeline.ActivityCompletion{}, sp.ErrNotFound, "call-missing"},
		"done_activity":      {"a-done", pipeline.ActivityCompletion{}, pipeline.ErrActivityDone, "was done at"},
		"twice":              {plannedCall, pipeline.ActivityCompletion{}, pipeline.ErrActivityDone, "was done at"},
		"empty_activity_id":  {"", pipeline.ActivityCompletion{}, sp.ErrInvalid, "activity_id"},
		"huge_activity_id":   {huge, pipeline.ActivityCompletion{}, sp.ErrInvalid, "activity_id"},
		"nul_activity_id":    {nul, pipeline.ActivityCompletion{}, sp.ErrInvalid, "activity_id"},
		"utf8_activity_id":   {badUTF8, pipeline.ActivityCompletion{}, sp.ErrInvalid, "activity_id"},
		"done_in_the_future": {plannedCall, pipeline.ActivityCompletion{Done: late}, sp.ErrInvalid, "completion.done"},
		"done_before_start":  {plannedCall, pipeline.ActivityCompletion{Done: early}, sp.ErrInvalid, "completion.done"},
		"done_far":           {plannedCall, pipeline.ActivityCompletion{Done: far}, sp.ErrInvalid, "completion.done"},
		"huge_outcome":       {plannedCall, pipeline.ActivityCompletion{Outcome: huge}, sp.ErrInvalid, "completion.outcome"},
		"nul_outcome":        {plannedCall, pipeline.ActivityCompletion{Outcome: nul}, sp.ErrInvalid, "completion.outcome"},
		"utf8_notes":         {plannedCall, pipeline.ActivityCompletion{Notes: badUTF8}, sp.ErrInvalid, "completion.notes"},
		"control_notes":      {plannedCall, pipeline.ActivityCompletion{Notes: "a\x1bb"}, sp.ErrInvalid, "completion.notes"},
		"huge_notes":         {plannedCall, pipeline.ActivityCompletion{Notes: huge}, sp.ErrInvalid, "completion.notes"},
		// 8 KiB alone, but not with the planned call's notes.
		"notes_too_long_together": {plannedCall, pipeline.ActivityCompletion{Notes: strings.Repeat("n", 8192)}, sp.ErrInvalid, "completion.notes"},
	} {
		add(command{"complete_inquiry_activity/" + name, func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.CompleteInquiryActivity(ctx, system, iNew, tc.activity, tc.c, nil)
			return err
		}, tc.is, tc.field})
		if name != "done_before_start" {
			add(command{"complete_deal_activity/" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.CompleteDealActivity(ctx, system, dOpen, tc.activity, tc.c, nil)
				return err
			}, tc.is, tc.field})
		}
	}
	// "done_activity" finds a call logged done, "twice" the planned call
	// completed once already.
	setups["complete_inquiry_activity/done_activity"] = func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.LogInquiryActivity(ctx, system, iNew, pipeline.Activity{ID: "a-done", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}, nil)
		return err
	}
	setups["complete_deal_activity/done_activity"] = func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.LogDealActivity(ctx, system, dOpen, pipeline.Activity{ID: "a-done", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}, nil)
		return err
	}
	setups["complete_inquiry_activity/twice"] = func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.CompleteInquiryActivity(ctx, system, iNew, plannedCall, pipeline.ActivityCompletion{}, nil)
		return err
	}
	setups["complete_deal_activity/twice"] = func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.CompleteDealActivity(ctx, system, dOpen, plannedCall, pipeline.ActivityCompletion{}, nil)
		return err
	}
	add(
		command{"complete_inquiry_activity/unknown_inquiry", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.CompleteInquiryActivity(ctx, system, "i-missing", plannedCall, pipeline.ActivityCompletion{}, nil)
			return err
		}, sp.ErrNotFound, "i-missing"},
		command{"complete_deal_activity/unknown_deal", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.CompleteDealActivity(ctx, system, "d-missing", plannedCall, pipeline.ActivityCompletion{}, nil)
			return err
		}, sp.ErrNotFound, "d-missing"},
		command{"complete_inquiry_activity/id_empty", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.CompleteInquiryActivity(ctx, system, "", plannedCall, pipeline.ActivityCompletion{}, nil)
			return err
		}, sp.ErrInvalid, "id"},
		command{"complete_deal_activity/id_empty", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.CompleteDealActivity(ctx, system, "", plannedCall, pipeline.ActivityCompletion{}, nil)
			return err
		}, sp.ErrInvalid, "id"},
		command{"complete_inquiry_activity/other_rep", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.CompleteInquiryActivity(ctx, bob, iNew, plannedCall, pipeline.ActivityCompletion{}, nil)
			return err
		}, sp.ErrForbidden, "does not own"},
	)

	// The inquiry stage machine: moves it does not have.
	add(
		command{"contact/from_contacted", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Contact(ctx, system, iContacted, pipeline.Activity{}, nil)
			return err
		}, sp.ErrInvalidTransition, "contacted → contacted"},
		command{"contact/from_converted", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Contact(ctx, system, iConv, act, nil)
			return err
		}, sp.ErrInvalidTransition, "closed"},
		command{"qualify/from_new", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Qualify(ctx, system, iNew, nil)
			return err
		}, sp.ErrInvalidTransition, "new → qualified"},
		command{"qualify/from_disqualified", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Qualify(ctx, system, iDisq, nil)
			return err
		}, sp.ErrInvalidTransition, "closed"},
		command{"disqualify/from_converted", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Disqualify(ctx, system, iConv, "late", nil)
			return err
		}, sp.ErrInvalidTransition, "closed"},
		command{"disqualify/twice", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Disqualify(ctx, system, iDisq, "again", nil)
			return err
		}, sp.ErrInvalidTransition, "disqualified"},
		command{"disqualify/empty_reason", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Disqualify(ctx, system, iNew, "", nil)
			return err
		}, sp.ErrInvalid, "reason"},
		command{"disqualify/huge_reason", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Disqualify(ctx, system, iNew, huge, nil)
			return err
		}, sp.ErrInvalid, "reason"},
		command{"disqualify/nul_reason", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.Disqualify(ctx, system, iNew, nul, nil)
			return err
		}, sp.ErrInvalid, "reason"},
		command{"reopen_inquiry/open_inquiry", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.ReopenInquiry(ctx, system, iNew, nil)
			return err
		}, sp.ErrInvalidTransition, "new → new"},
		command{"reopen_inquiry/contacted", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.ReopenInquiry(ctx, system, iContacted, nil)
			return err
		}, sp.ErrInvalidTransition, "only a closed stage"},
		command{"reopen_inquiry/converted", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.ReopenInquiry(ctx, system, iConv, nil)
			return err
		}, sp.ErrInvalidTransition, "converted → new"},
		command{"reopen_inquiry/by_rep", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.ReopenInquiry(ctx, ann, iDisq, nil)
			return err
		}, sp.ErrForbidden, "manager's act"},
	)

	// Assignment.
	add(
		command{"assign_inquiry/empty_rep", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignInquiry(ctx, system, iNew, "", nil)
			return err
		}, sp.ErrInvalid, "rep"},
		command{"assign_inquiry/nul_rep", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignInquiry(ctx, system, iNew, sp.RepID(nul), nil)
			return err
		}, sp.ErrInvalid, "rep"},
		command{"assign_inquiry/closed", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignInquiry(ctx, system, iDisq, pipelinetest.RepBob, nil)
			return err
		}, sp.ErrInvalidTransition, "a closed inquiry is not assigned"},
		command{"assign_inquiry/ineligible", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignInquiry(ctx, system, iNew, repCarl, nil)
			return err
		}, sp.ErrForbidden, "rep-carl"},
		command{"assign_deal/empty_rep", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignDeal(ctx, system, dOpen, "", nil)
			return err
		}, sp.ErrInvalid, "rep"},
		command{"assign_deal/closed", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignDeal(ctx, system, dWon, pipelinetest.RepBob, nil)
			return err
		}, sp.ErrInvalidTransition, "a closed deal is not assigned"},
		command{"assign_deal/ineligible", func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.AssignDeal(ctx, system, dOpen, repCarl, nil)
			return err
		}, sp.ErrForbidden, "rep-carl"},
	)

	// Terms, wherever they are given: lines, amounts, dates.
	line := okDeal.Lines[0]
	badTerms := map[string]struct {
		terms pipeline.Terms
		is    error
		field string
	}{
		"negative_amount":    {pipeline.Terms{Amount: pipelinetest.MustEUR("-1")}, sp.ErrInvalid, "terms.amount"},
		"out_of_bounds_amt":  {pipeline.Terms{Amount: pipelinetest.MustEUR("1").Mul(decimal.New(1, 60))}, sp.ErrInvalid, "terms.amount.amount"},
		"expected_close_far": {pipeline.Terms{ExpectedClose: far}, sp.ErrInvalid, "terms.expected_close"},
		"line_no_product":    {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) { l.Product = "" })}}, sp.ErrInvalid, "terms.lines[0].product"},
		"line_zero_quantity": {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) { l.Quantity = 0 })}}, sp.ErrInvalid, "terms.lines[0].quantity"},
		"line_negative_qty":  {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) { l.Quantity = math.MinInt64 })}}, sp.ErrInvalid, "terms.lines[0].quantity"},
		"line_huge_total": {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) {
			l.Quantity, l.UnitPrice = math.MaxInt64, pipelinetest.MustEUR(strings.Repeat("9", 30))
		})}}, sp.ErrInvalid, "terms.lines[0].quantity"},
		"line_unset_price":    {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) { l.UnitPrice = sp.Money{} })}}, sp.ErrInvalid, "terms.lines[0].unit_price.currency"},
		"line_negative_price": {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) { l.UnitPrice = pipelinetest.MustEUR("-1") })}}, sp.ErrInvalid, "terms.lines[0].unit_price"},
		"line_discount_above": {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) { l.Discount = dec("1.01") })}}, sp.ErrInvalid, "terms.lines[0].discount"},
		"line_discount_below": {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) { l.Discount = dec("-0.01") })}}, sp.ErrInvalid, "terms.lines[0].discount"},
		"line_discount_tiny_exponent": {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) {
			l.Discount = decimal.New(1, -2000000000)
		})}}, sp.ErrInvalid, "terms.lines[0].discount"},
		"line_discount_huge_exponent": {pipeline.Terms{Lines: []pipeline.Line{withLine(line, func(l *pipeline.Line) {
			l.Discount = decimal.New(0, math.MaxInt32)
		})}}, sp.ErrInvalid, "terms.lines[0].discount"},
		"lines_mixed_currency": {pipeline.Terms{Lines: []pipeline.Line{line, withLine(line, func(l *pipeline.Line) {
			l.UnitPrice = mustMoney(t, "5 USD")
		})}}, sp.ErrCurrencyMismatch, "terms.lines[1].unit_price"},
		"too_many_lines": {pipeline.Terms{Lines: slices.Repeat([]pipeline.Line{line}, 1001)}, sp.ErrInvalid, "terms.lines"},
		// An amount beside lines that is not their total was replaced by
		// it without a word.
		"amount_not_the_lines_total": {pipeline.Terms{Lines: []pipeline.Line{line}, Amount: pipelinetest.MustEUR("1")}, sp.ErrInvalid, "terms.amount"},
		"lines_sum_beyond_bounds": {pipeline.Terms{Lines: slices.Repeat([]pipeline.Line{withLine(line, func(l *pipeline.Line) {
			l.Quantity, l.UnitPrice, l.Discount = 1, pipelinetest.MustEUR(strings.Repeat("9", 40)), decimal.Zero
		})}, 20)}, sp.ErrInvalid, "terms.lines"},
	}
	for name, tc := range badTerms {
		add(
			command{"set_terms/" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, err := e.SetTerms(ctx, system, dOpen, tc.terms, nil)
				return err
			}, tc.is, tc.field},
			command{"convert/" + name, func(ctx context.Context, e *pipeline.Engine) error {
				_, _, err := e.Convert(ctx, system, iQualified, pipeline.Conversion{Terms: tc.terms}, nil)
				return err
			}, tc.is, tc.field},
			command{"open/" + name, func(ctx context.Context, e *pipeline.Engine) error {
				d := okDeal.Clone()
				d.Lines, d.Amount, d.ExpectedClose = tc.terms.Lines, tc.terms.Amount, tc.terms.ExpectedClose
				_, err := e.OpenDeal(ctx, system, d, nil)
				return err
			}, tc.is, strings.TrimPrefix(tc.field, "terms.")},
		)
	}
	add(command{"set_terms/closed_deal", func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.SetTerms(ctx, system, dWon, pipeline.Terms{Amount: pipelinetest.MustEUR("1")}, nil)
		return err
	}, sp.ErrInvalidTransition, "a closed deal keeps its terms"})

	// OpenDeal: every field.
	for name, tc := range map[string]struct {
		edit  func(*pipeline.Deal)
		is    error
		field string
	}{
		"duplicate_id":     {func(d *pipeline.Deal) { d.ID = dOpen }, sp.ErrDuplicate, "d-open"},
		"empty_id":         {func(d *pipeline.Deal) { d.ID = "" }, sp.ErrInvalid, "id"},
		"empty_owner":      {func(d *pipeline.Deal) { d.Owner = "" }, sp.ErrInvalid, "owner"},
		"empty_customer":   {func(d *pipeline.Deal) { d.Customer = "" }, sp.ErrInvalid, "customer"},
		"empty_product":    {func(d *pipeline.Deal) { d.Product = "" }, sp.ErrInvalid, "product"},
		"bad_region":       {func(d *pipeline.Deal) { d.Region = sp.RegionID(nul) }, sp.ErrInvalid, "region"},
		"bad_channel":      {func(d *pipeline.Deal) { d.Channel = " x" }, sp.ErrInvalid, "channel"},
		"bad_campaign":     {func(d *pipeline.Deal) { d.Campaign = sp.CampaignID(huge) }, sp.ErrInvalid, "campaign"},
		"bad_inquiry":      {func(d *pipeline.Deal) { d.Inquiry = sp.InquiryID(badUTF8) }, sp.ErrInvalid, "inquiry"},
		"unknown_pipeline": {func(d *pipeline.Deal) { d.Pipeline = "nope" }, sp.ErrInvalid, "pipeline"},
		"stage_set":        {func(d *pipeline.Deal) { d.Stage = pipeline.DealWon }, sp.ErrInvalid, "stage"},
		"version_set":      {func(d *pipeline.Deal) { d.Version = 7 }, sp.ErrInvalid, "stage"},
		"closed_set":       {func(d *pipeline.Deal) { d.Closed = pipelinetest.Epoch() }, sp.ErrInvalid, "stage"},
		"loss_set":         {func(d *pipeline.Deal) { d.Loss = &loss }, sp.ErrInvalid, "stage"},
		"service_set":      {func(d *pipeline.Deal) { d.Service = &pipeline.Service{} }, sp.ErrInvalid, "stage"},
		"history_set": {func(d *pipeline.Deal) {
			d.History = []pipeline.Transition[pipeline.DealStage]{{To: pipeline.DealProspecting}}
		}, sp.ErrInvalid, "stage"},
		"bad_activity":         {func(d *pipeline.Deal) { d.Activities = []pipeline.Activity{{ID: "a", Kind: "x"}} }, sp.ErrInvalid, "activities[0].kind"},
		"duplicate_activities": {func(d *pipeline.Deal) { d.Activities = []pipeline.Activity{act, act} }, sp.ErrInvalid, "activities[1].id"},
		"ineligible_owner":     {func(d *pipeline.Deal) { d.Owner = repCarl }, sp.ErrForbidden, "rep-carl"},
		"created_far":          {func(d *pipeline.Deal) { d.Created = far }, sp.ErrInvalid, "created"},
		"created_day_offset":   {func(d *pipeline.Deal) { d.Created = pipelinetest.Epoch().In(dayOff) }, sp.ErrInvalid, "created"},
	} {
		add(command{"open/" + name, func(ctx context.Context, e *pipeline.Engine) error {
			d := okDeal.Clone()
			tc.edit(&d)
			_, err := e.OpenDeal(ctx, system, d, nil)
			return err
		}, tc.is, tc.field})
	}

	// Convert.
	add(
		command{"convert/not_qualified", func(ctx context.Context, e *pipeline.Engine) error {
			_, _, err := e.Convert(ctx, system, iContacted, pipeline.Conversion{}, nil)
			return err
		}, sp.ErrInvalidTransition, "contacted → converted"},
		command{"convert/twice", func(ctx context.Context, e *pipeline.Engine) error {
			_, _, err := e.Convert(ctx, system, iConv, pipeline.Conversion{}, nil)
			return err
		}, sp.ErrInvalidTransition, "converted → converted"},
		command{"convert/bad_owner", func(ctx context.Context, e *pipeline.Engine) error {
			_, _, err := e.Convert(ctx, system, iQualified, pipeline.Conversion{Owner: sp.RepID(nul)}, nil)
			return err
		}, sp.ErrInvalid, "owner"},
		command{"convert/ineligible_owner", func(ctx context.Context, e *pipeline.Engine) error {
			_, _, err := e.Convert(ctx, system, iQualified, pipeline.Conversion{Owner: repCarl}, nil)
			return err
		}, sp.ErrForbidden, "rep-carl"},
		command{"convert/unknown_pipeline", func(ctx context.Context, e *pipeline.Engine) error {
			_, _, err := e.Convert(ctx, system, iQualified, pipeline.Conversion{Pipeline: "nope"}, nil)
			return err
		}, sp.ErrInvalid, "pipeline"},
		command{name: "convert/deal_of_other_inquiry", run: func(ctx context.Context, e *pipeline.Engine) error {
			_, _, err := e.Convert(ctx, system, iQualified, pipeline.Conversion{}, nil)
			return err
		}, is: sp.ErrDuplicate, field: "another inquiry"},
	)

	// The deal pipeline: moves it does not have, and the deal rules.
	for name, tc := range map[string]struct {
		run   func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error)
		is    error
		field string
	}{
		"advance/unknown_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dOpen, "closing", nil)
		}, sp.ErrInvalidTransition, "not a stage"},
		"advance/malformed_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dOpen, "Won!\x00", nil)
		}, sp.ErrInvalidTransition, "not a stage"},
		"advance/empty_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dOpen, "", nil)
		}, sp.ErrInvalidTransition, "not a stage"},
		"advance/same_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dOpen, pipeline.DealProspecting, nil)
		}, sp.ErrInvalidTransition, "already in that stage"},
		"advance/backward": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dWon, pipeline.DealProspecting, nil)
		}, sp.ErrInvalidTransition, "closed"},
		"advance/skip_back": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.ReopenDeal(ctx, system, dWon, pipeline.DealWon, nil)
		}, sp.ErrInvalidTransition, "won → won"},
		"advance/to_lost": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dOpen, pipeline.DealLost, nil)
		}, sp.ErrInvalidTransition, "loss reason"},
		"advance/out_of_won": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dWon, pipeline.DealNegotiation, nil)
		}, sp.ErrInvalidTransition, "closed"},
		"advance/to_won_without_amount": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Advance(ctx, system, dNoAmount, pipeline.DealWon, nil)
		}, sp.ErrInvalidTransition, "amount"},
		"win/without_amount": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Win(ctx, system, dNoAmount, nil)
		}, sp.ErrInvalidTransition, "amount"},
		"win/twice": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Win(ctx, system, dWon, nil)
		}, sp.ErrInvalidTransition, "won → won"},
		"win/lost_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Win(ctx, system, dLost, nil)
		}, sp.ErrInvalidTransition, "closed"},
		"win/in_lost_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Win(ctx, system, dOpen, &pipeline.CommandOptions{Stage: pipeline.DealLost})
		}, sp.ErrInvalidTransition, "not a won stage"},
		"win/in_open_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Win(ctx, system, dOpen, &pipeline.CommandOptions{Stage: pipeline.DealProposal})
		}, sp.ErrInvalidTransition, "not a won stage"},
		"lose/without_reason": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dOpen, pipeline.LossReason{}, nil)
		}, sp.ErrInvalid, "loss.category"},
		"lose/without_detail": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dOpen, pipeline.LossReason{Category: pipeline.LossPrice}, nil)
		}, sp.ErrInvalid, "loss.detail"},
		"lose/unknown_category": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dOpen, pipeline.LossReason{Category: "weather", Detail: "rain"}, nil)
		}, sp.ErrInvalid, "loss.category"},
		"lose/huge_detail": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dOpen, pipeline.LossReason{Category: pipeline.LossPrice, Detail: huge}, nil)
		}, sp.ErrInvalid, "loss.detail"},
		"lose/nul_detail": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dOpen, pipeline.LossReason{Category: pipeline.LossPrice, Detail: nul}, nil)
		}, sp.ErrInvalid, "loss.detail"},
		"lose/twice": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dLost, loss, nil)
		}, sp.ErrInvalidTransition, "lost → lost"},
		"lose/won_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dWon, loss, nil)
		}, sp.ErrInvalidTransition, "closed"},
		"lose/in_won_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Lose(ctx, system, dOpen, loss, &pipeline.CommandOptions{Stage: pipeline.DealWon})
		}, sp.ErrInvalidTransition, "not a lost stage"},
		"reopen_deal/open_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.ReopenDeal(ctx, system, dOpen, pipeline.DealProposal, nil)
		}, sp.ErrInvalidTransition, "only a closed stage"},
		"reopen_deal/delivered": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.ReopenDeal(ctx, system, dDelivered, pipeline.DealProposal, nil)
		}, sp.ErrInvalidTransition, "delivered"},
		"reopen_deal/to_closed_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.ReopenDeal(ctx, system, dLost, pipeline.DealWon, nil)
		}, sp.ErrInvalidTransition, "lost → won"},
		"reopen_deal/unknown_stage": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.ReopenDeal(ctx, system, dLost, "limbo", nil)
		}, sp.ErrInvalidTransition, "not a stage"},
		"override/above_one": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.OverrideProbability(ctx, system, dOpen, dec("1.0001"), nil)
		}, sp.ErrInvalid, "probability"},
		"override/negative": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.OverrideProbability(ctx, system, dOpen, dec("-0.1"), nil)
		}, sp.ErrInvalid, "probability"},
		"override/tiny_exponent": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.OverrideProbability(ctx, system, dOpen, decimal.New(1, -2000000000), nil)
		}, sp.ErrInvalid, "probability"},
		"override/huge_exponent": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.OverrideProbability(ctx, system, dOpen, decimal.New(1, math.MaxInt32), nil)
		}, sp.ErrInvalid, "probability"},
		"override/closed_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.OverrideProbability(ctx, system, dWon, dec("0.5"), nil)
		}, sp.ErrInvalidTransition, "closed deal"},
		"reset/closed_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.ResetProbability(ctx, system, dLost, nil)
		}, sp.ErrInvalidTransition, "closed deal"},
		"deliver/open_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Deliver(ctx, system, dOpen, nil)
		}, sp.ErrInvalidTransition, "not won"},
		"deliver/lost_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Deliver(ctx, system, dLost, nil)
		}, sp.ErrInvalidTransition, "not won"},
		"deliver/twice": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.Deliver(ctx, system, dDelivered, nil)
		}, sp.ErrInvalidTransition, "delivered → delivered"},
		"follow_up/before_delivery": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.FollowUp(ctx, system, dWon, nil, nil)
		}, sp.ErrInvalidTransition, "awaiting_delivery → followed_up"},
		"follow_up/twice": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.FollowUp(ctx, system, dFollowed, nil, nil)
		}, sp.ErrInvalidTransition, "followed_up → followed_up"},
		"follow_up/open_deal": {func(ctx context.Context, e *pipeline.Engine) (pipeline.Deal, error) {
			return e.FollowUp(ctx, system, dOpen, nil, nil)
		}, sp.ErrInvalidTransition, "not won"},
	} {
		add(command{name, func(ctx context.Context, e *pipeline.Engine) error { _, err := tc.run(ctx, e); return err }, tc.is, tc.field})
	}

	// Feedback at the follow-up.
	fb := sp.Feedback{ID: "f1", Rating: 5, Category: sp.FeedbackQuality}
	for name, tc := range map[string]struct {
		feedback []sp.Feedback
		field    string
	}{
		"feedback_no_id":          {[]sp.Feedback{{Rating: 5, Category: sp.FeedbackQuality}}, "feedback[0].id"},
		"feedback_rating_0":       {[]sp.Feedback{{ID: "f1", Category: sp.FeedbackQuality}}, "feedback[0].rating"},
		"feedback_rating_huge":    {[]sp.Feedback{{ID: "f1", Rating: math.MaxInt, Category: sp.FeedbackQuality}}, "feedback[0].rating"},
		"feedback_no_category":    {[]sp.Feedback{{ID: "f1", Rating: 3}}, "feedback[0].category"},
		"feedback_bad_source":     {[]sp.Feedback{{ID: "f1", Rating: 3, Category: sp.FeedbackOther, Source: "gossip"}}, "feedback[0].source"},
		"feedback_nul_text":       {[]sp.Feedback{{ID: "f1", Rating: 3, Category: sp.FeedbackOther, Text: nul}}, "feedback[0].text"},
		"feedback_far_time":       {[]sp.Feedback{{ID: "f1", Rating: 3, Category: sp.FeedbackOther, Time: far}}, "feedback[0].time"},
		"feedback_future":         {[]sp.Feedback{fb, {ID: "f2", Rating: 3, Category: sp.FeedbackOther, Time: pipelinetest.Epoch().AddDate(1, 0, 0)}}, "feedback[1].time"},
		"feedback_field_test":     {[]sp.Feedback{{ID: "f1", Rating: 3, Category: sp.FeedbackOther, Source: sp.FromFieldTest}}, "feedback[0].locality"},
		"feedback_duplicate_ids":  {[]sp.Feedback{fb, fb}, "feedback[1].id"},
		"feedback_too_many":       {slices.Repeat([]sp.Feedback{fb}, 1001), "feedback"},
		"feedback_other_deal":     {[]sp.Feedback{fb, {ID: "f2", Rating: 3, Category: sp.FeedbackOther, Deal: dOpen}}, "feedback[1].deal"},
		"feedback_other_customer": {[]sp.Feedback{fb, {ID: "f2", Rating: 3, Category: sp.FeedbackOther, Customer: "cust-other"}}, "feedback[1].customer"},
	} {
		add(command{"follow_up/" + name, func(ctx context.Context, e *pipeline.Engine) error {
			_, err := e.FollowUp(ctx, system, dDelivered, tc.feedback, nil)
			return err
		}, sp.ErrInvalid, tc.field})
	}

	slices.SortFunc(rows, func(a, b command) int { return strings.Compare(a.name, b.name) })
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			ctx := context.Background()
			s := fixture(t, nil)
			if setup := setups[row.name]; setup != nil {
				require.NoError(t, setup(ctx, s.Engine))
			}
			before, events := snapshot(t, s), len(s.Events.Events())
			var err error
			require.NotPanics(t, func() { err = row.run(ctx, s.Engine) })
			checkErr(t, err, row.is, row.field)
			assert.Equal(t, before, snapshot(t, s), "the store changed")
			assert.Len(t, s.Events.Events(), events, "an event was published")
		})
	}
	t.Logf("%d rows", len(rows))
}

// dayOff is a zone a day and an hour off UTC, whose times RFC 3339 cannot
// write.
var dayOff = time.FixedZone("day-off", 25*3600)

// TestCallerTimesRefusedKeyedAsUnkeyed gives every command each time it
// takes from the caller out of the range JSON can hold, once with an
// idempotency key and once without: both are refused with an error
// wrapping sp.ErrInvalid that names the same field, before anything is
// stored or published.
func TestCallerTimesRefusedKeyedAsUnkeyed(t *testing.T) {
	type run func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error
	withTime := func(at time.Time) map[string]struct {
		run   run
		field string
	} {
		openWith := func(edit func(d *pipeline.Deal)) run {
			return func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				d := pipelinetest.NewDeal("d-fresh")
				edit(&d)
				_, err := e.OpenDeal(ctx, system, d, o)
				return err
			}
		}
		act := pipeline.Activity{ID: "a-1", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: pipelinetest.Epoch()}
		due, done := act, act
		due.Due, done.Done = at, at
		return map[string]struct {
			run   run
			field string
		}{
			"receive/received": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				in := pipelinetest.NewInquiry("i-fresh")
				in.Received = at
				_, err := e.ReceiveInquiry(ctx, system, in, o)
				return err
			}, "received"},
			"receive/activity_done": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				in := pipelinetest.NewInquiry("i-fresh")
				in.Activities = []pipeline.Activity{done}
				_, err := e.ReceiveInquiry(ctx, system, in, o)
				return err
			}, "activities[0].done"},
			"open/created":        {openWith(func(d *pipeline.Deal) { d.Created = at }), "created"},
			"open/expected_close": {openWith(func(d *pipeline.Deal) { d.ExpectedClose = at }), "expected_close"},
			"open/activity_due":   {openWith(func(d *pipeline.Deal) { d.Activities = []pipeline.Activity{due} }), "activities[0].due"},
			"convert/expected_close": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				_, _, err := e.Convert(ctx, system, iQualified, pipeline.Conversion{Terms: pipeline.Terms{ExpectedClose: at}}, o)
				return err
			}, "terms.expected_close"},
			"set_terms/expected_close": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				_, err := e.SetTerms(ctx, system, dOpen, pipeline.Terms{ExpectedClose: at}, o)
				return err
			}, "terms.expected_close"},
			"log_inquiry_activity/due": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				_, err := e.LogInquiryActivity(ctx, system, iNew, due, o)
				return err
			}, "activity.due"},
			"log_deal_activity/done": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				_, err := e.LogDealActivity(ctx, system, dOpen, done, o)
				return err
			}, "activity.done"},
			"complete_inquiry_activity/done": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				_, err := e.CompleteInquiryActivity(ctx, system, iNew, plannedCall, pipeline.ActivityCompletion{Done: at}, o)
				return err
			}, "completion.done"},
			"complete_deal_activity/done": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				_, err := e.CompleteDealActivity(ctx, system, dOpen, plannedCall, pipeline.ActivityCompletion{Done: at}, o)
				return err
			}, "completion.done"},
			"contact/done": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				_, err := e.Contact(ctx, system, iNew, done, o)
				return err
			}, "activity.done"},
			"follow_up/time": {func(ctx context.Context, e *pipeline.Engine, o *pipeline.CommandOptions) error {
				fb := []sp.Feedback{{ID: "f1", Rating: 3, Category: sp.FeedbackOther, Time: at}}
				_, err := e.FollowUp(ctx, system, dDelivered, fb, o)
				return err
			}, "feedback[0].time"},
		}
	}
	for _, at := range []struct {
		name string
		t    time.Time
	}{{"far", far}, {"day_offset", pipelinetest.Epoch().In(dayOff)}} {
		for name, tc := range withTime(at.t) {
			t.Run(name+"/"+at.name, func(t *testing.T) {
				ctx := context.Background()
				for _, o := range []*pipeline.CommandOptions{nil, keyed("k-time")} {
					s := fixture(t, nil)
					before, events := snapshot(t, s), len(s.Events.Events())
					var err error
					require.NotPanics(t, func() { err = tc.run(ctx, s.Engine, o) })
					var ve *sp.ValidationError
					require.ErrorAs(t, err, &ve, "keyed: %v", o != nil)
					assert.ErrorIs(t, err, sp.ErrInvalid)
					assert.Equal(t, tc.field, ve.Field, "keyed: %v; error: %v", o != nil, err)
					assert.Equal(t, before, snapshot(t, s), "the store changed")
					assert.Len(t, s.Events.Events(), events, "an event was published")
				}
			})
		}
	}
}

// withLine returns l changed by edit.
func withLine(l pipeline.Line, edit func(*pipeline.Line)) pipeline.Line {
	edit(&l)
	return l
}

func mustMoney(tb testing.TB, s string) sp.Money {
	tb.Helper()
	m, err := sp.ParseMoney(s)
	require.NoError(tb, err)
	return m
}

// badValue is a row of TestBadValueCatalogue: a call of a function that
// takes no store.
type badValue struct {
	name  string
	call  func() error
	is    error
	field string
}

// TestBadValueCatalogue lists the exported constructors, parsers,
// validators and decoders of the package that take no store, and the
// methods of machines and pipelines, with every class of invalid input;
// a call on a record checks that the record is unchanged.
func TestBadValueCatalogue(t *testing.T) {
	ctx := context.Background()
	var rows []badValue
	add := func(r ...badValue) { rows = append(rows, r...) }

	// Stage keys and enumerations.
	for name, s := range map[string]string{
		"empty": "", "upper": "Won", "space": "won ", "dash": "won-deal", "digit_first": "1st", "huge": huge,
		"nul": "w\x00n", "utf8": "w\xffn", "unicode": "gewönnen", "too_long": strings.Repeat("a", 65),
	} {
		add(
			badValue{"deal_stage/parse_" + name, func() error { _, err := pipeline.ParseDealStage(s); return err }, sp.ErrInvalid, "stage key"},
			badValue{"deal_stage/validate_" + name, pipeline.DealStage(s).Validate, sp.ErrInvalid, "stage key"},
		)
		if s != "" {
			add(badValue{"deal_stage/unmarshal_" + name, keepsText(pipeline.DealProposal, s), sp.ErrInvalid, "stage key"})
		}
	}
	type enum struct {
		kind     string
		validate func(string) error
		text     func(string) func() error
		// marshal encodes the value named s: an unknown one is refused,
		// as decoding it is.
		marshal func(string) error
	}
	for _, e := range []enum{
		{"inquiry stage", func(s string) error { _, err := pipeline.ParseInquiryStage(s); return err },
			func(s string) func() error { return keepsText(pipeline.InquiryContacted, s) },
			func(s string) error { _, err := pipeline.InquiryStage(s).MarshalText(); return err }},
		{"service stage", func(s string) error { _, err := pipeline.ParseServiceStage(s); return err },
			func(s string) func() error { return keepsText(pipeline.ServiceDelivered, s) },
			func(s string) error { _, err := pipeline.ServiceStage(s).MarshalText(); return err }},
		{"activity kind", func(s string) error { return pipeline.ActivityKind(s).Validate() },
			func(s string) func() error { return keepsText(pipeline.ActivityDemo, s) },
			func(s string) error { _, err := pipeline.ActivityKind(s).MarshalText(); return err }},
		{"loss category", func(s string) error { return pipeline.LossCategory(s).Validate() },
			func(s string) func() error { return keepsText(pipeline.LossTiming, s) },
			func(s string) error { _, err := pipeline.LossCategory(s).MarshalText(); return err }},
		{"stage kind", func(s string) error { return pipeline.StageKind(s).Validate() },
			func(s string) func() error { return keepsText(pipeline.KindWon, s) },
			func(s string) error { _, err := pipeline.StageKind(s).MarshalText(); return err }},
		{"command", func(s string) error { return pipeline.Command(s).Validate() },
			func(s string) func() error { return keepsText(pipeline.CmdWin, s) },
			func(s string) error { _, err := pipeline.Command(s).MarshalText(); return err }},
	} {
		k := strings.ReplaceAll(e.kind, " ", "_")
		add(badValue{k + "/validate_empty", func() error { return e.validate("") }, sp.ErrInvalid, "missing " + e.kind})
		for name, s := range map[string]string{"unknown": "limbo", "upper": "NEW", "nul": "\x00", "huge": huge, "utf8": "\xff"} {
			add(
				badValue{k + "/validate_" + name, func() error { return e.validate(s) }, sp.ErrInvalid, "unknown " + e.kind},
				badValue{k + "/unmarshal_" + name, e.text(s), sp.ErrInvalid, "unknown " + e.kind},
				badValue{k + "/marshal_" + name, func() error { return e.marshal(s) }, sp.ErrInvalid, "unknown " + e.kind},
			)
		}
	}

	// Lines, loss reasons, activities, histories.
	line := pipelinetest.NewDeal("d").Lines[0]
	for name, tc := range map[string]struct {
		edit  func(*pipeline.Line)
		field string
	}{
		"no_product":     {func(l *pipeline.Line) { l.Product = "" }, "product"},
		"zero_quantity":  {func(l *pipeline.Line) { l.Quantity = 0 }, "quantity"},
		"negative_qty":   {func(l *pipeline.Line) { l.Quantity = -1 }, "quantity"},
		"unset_price":    {func(l *pipeline.Line) { l.UnitPrice = sp.Money{} }, "unit_price.currency"},
		"negative_price": {func(l *pipeline.Line) { l.UnitPrice = pipelinetest.MustEUR("-0.01") }, "unit_price"},
		"discount_2":     {func(l *pipeline.Line) { l.Discount = dec("2") }, "discount"},
		"discount_tiny":  {func(l *pipeline.Line) { l.Discount = decimal.New(1, -2000000000) }, "discount"},
		"discount_huge":  {func(l *pipeline.Line) { l.Discount = decimal.New(1, 2000000000) }, "discount"},
		"total_beyond": {func(l *pipeline.Line) {
			l.Quantity, l.Discount = math.MaxInt64, decimal.Zero
			l.UnitPrice = pipelinetest.MustEUR(strings.Repeat("9", 30))
		}, "quantity"},
	} {
		l := line
		tc.edit(&l)
		add(
			badValue{"line/total_" + name, func() error { _, err := l.Total(); return err }, sp.ErrInvalid, tc.field},
			badValue{"line/lines_total_" + name, func() error { _, err := pipeline.LinesTotal([]pipeline.Line{line, l}); return err }, sp.ErrInvalid, "lines[1]." + tc.field},
		)
	}
	add(
		badValue{"line/lines_total_none", func() error { _, err := pipeline.LinesTotal(nil); return err }, sp.ErrInvalid, "lines"},
		badValue{"line/lines_total_too_many", func() error { _, err := pipeline.LinesTotal(make([]pipeline.Line, 1001)); return err }, sp.ErrInvalid, "lines"},
		badValue{"line/lines_total_mixed", func() error {
			other := line
			other.UnitPrice = mustMoney(t, "1 JPY")
			_, err := pipeline.LinesTotal([]pipeline.Line{line, other})
			return err
		}, sp.ErrCurrencyMismatch, "lines[1].unit_price"},
		badValue{"loss/empty", pipeline.LossReason{}.Validate, sp.ErrInvalid, "category"},
		badValue{"loss/no_detail", pipeline.LossReason{Category: pipeline.LossOther}.Validate, sp.ErrInvalid, "detail"},
		badValue{"loss/space_detail_nul", pipeline.LossReason{Category: pipeline.LossOther, Detail: "\x00"}.Validate, sp.ErrInvalid, "detail"},
		badValue{"activity/zero", pipeline.Activity{}.Validate, sp.ErrInvalid, "id"},
		badValue{"activity/no_actor", pipeline.Activity{ID: "a", Kind: pipeline.ActivityDemo, Done: t0}.Validate, sp.ErrInvalid, "actor"},
		badValue{"activity/no_time", pipeline.Activity{ID: "a", Kind: pipeline.ActivityDemo, Actor: "x"}.Validate, sp.ErrInvalid, "done"},
		badValue{"activity/due_year_0", pipeline.Activity{ID: "a", Kind: pipeline.ActivityDemo, Actor: "x", Due: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)}.Validate, sp.ErrInvalid, "due"},
		badValue{"history/empty", func() error { return pipeline.CheckHistory[pipeline.DealStage]("won", nil) }, sp.ErrInvalid, "history"},
		badValue{"history/first_not_from_empty", func() error {
			return pipeline.CheckHistory("b", []pipeline.Transition[pipeline.DealStage]{{From: "a", To: "b"}})
		}, sp.ErrInvalid, "history[0].from"},
		badValue{"history/gap", func() error {
			return pipeline.CheckHistory("c", []pipeline.Transition[pipeline.DealStage]{{To: "a"}, {From: "b", To: "c"}})
		}, sp.ErrInvalid, "history[1].from"},
		badValue{"history/time_backward", func() error {
			return pipeline.CheckHistory("b", []pipeline.Transition[pipeline.DealStage]{{To: "a", At: t0}, {From: "a", To: "b", At: t0.Add(-1)}})
		}, sp.ErrInvalid, "history[1].at"},
		badValue{"history/other_stage", func() error {
			return pipeline.CheckHistory("c", []pipeline.Transition[pipeline.DealStage]{{To: "a"}})
		}, sp.ErrInvalid, "history"},
	)

	// Machines and pipelines: specs they refuse.
	add(
		badValue{"machine/no_stages", func() error { _, err := pipeline.NewMachine(testSpec{}); return err }, sp.ErrInvalid, "stages"},
		badValue{"machine/too_many_stages", func() error {
			spec := validSpec()
			for i := range pipeline.MaxStages {
				spec.Stages = append(spec.Stages, testStage{Stage: pipeline.DealStage("s" + strings.Repeat("x", i%60))})
			}
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "stages"},
		badValue{"machine/bad_key", func() error {
			spec := validSpec()
			spec.Stages[1].Stage = "B"
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "stages[1]"},
		badValue{"machine/duplicate_stage", func() error {
			spec := validSpec()
			spec.Stages = append(spec.Stages, testStage{Stage: "a"})
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "stages.a"},
		badValue{"machine/unknown_initial", func() error {
			spec := validSpec()
			spec.Initial = "z"
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "initial"},
		badValue{"machine/nul_name", func() error {
			spec := validSpec()
			spec.Stages[0].Name = nul
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "stages.a"},
		badValue{"machine/guard_without_check", func() error {
			spec := validSpec()
			spec.Edges[0].Guards = []testGuard{{Name: "g"}}
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "edges.a->b"},
		badValue{"machine/nil_hook", func() error {
			spec := validSpec()
			spec.Stages[0].OnEnter = []testHook{nil}
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "stages.a"},
		badValue{"machine/terminal_exit_not_reopen", func() error {
			spec := validSpec()
			spec.Edges[3].Reopen = false
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "stages.done"},
		badValue{"machine/dead_end", func() error {
			spec := validSpec()
			spec.Stages = append(spec.Stages, testStage{Stage: "trap"})
			spec.Edges = append(spec.Edges, testEdge{From: "a", To: "trap"})
			_, err := pipeline.NewMachine(spec)
			return err
		}, sp.ErrInvalid, "stages.trap"},
		badValue{"machine/key_its_stage_type_cannot_write", func() error {
			type S = pipeline.ServiceStage
			_, err := pipeline.NewMachine(pipeline.MachineSpec[S, *pipeline.Service]{
				Name: "test", Initial: pipeline.ServiceAwaitingDelivery,
				Stages: []pipeline.StageDef[S, *pipeline.Service]{{Stage: pipeline.ServiceAwaitingDelivery}, {Stage: "lost", Terminal: true}},
				Edges:  []pipeline.EdgeDef[S, *pipeline.Service]{{From: pipeline.ServiceAwaitingDelivery, To: "lost"}},
			})
			return err
		}, sp.ErrInvalid, "stages.lost"},
	)
	specWith := func(edit func(*pipeline.Spec)) func() error {
		return func() error {
			spec := pipeline.DefaultSpec()
			edit(&spec)
			_, err := pipeline.NewDefinition(spec)
			return err
		}
	}
	add(
		badValue{"definition/nul_name", specWith(func(s *pipeline.Spec) { s.Name = nul }), sp.ErrInvalid, "name"},
		badValue{"definition/no_stages", specWith(func(s *pipeline.Spec) { s.Stages = nil }), sp.ErrInvalid, "stages"},
		badValue{"definition/unknown_kind", specWith(func(s *pipeline.Spec) { s.Stages[0].Kind = "maybe" }), sp.ErrInvalid, "stages.prospecting.kind"},
		badValue{"definition/repeated_order", specWith(func(s *pipeline.Spec) { s.Stages[1].Order = 1 }), sp.ErrInvalid, "stages.qualification"},
		badValue{"definition/probability_above_one", specWith(func(s *pipeline.Spec) { s.Stages[0].Probability = dec("1.5") }), sp.ErrInvalid, "stages.prospecting.probability"},
		badValue{"definition/probability_negative", specWith(func(s *pipeline.Spec) { s.Stages[0].Probability = dec("-0.5") }), sp.ErrInvalid, "stages.prospecting.probability"},
		badValue{"definition/probability_tiny_exponent", specWith(func(s *pipeline.Spec) {
			s.Stages[0].Probability = decimal.New(5, -2000000000)
		}), sp.ErrInvalid, "stages.prospecting.probability"},
		badValue{"definition/won_probability_huge_exponent", specWith(func(s *pipeline.Spec) {
			s.Stages[4].Probability = decimal.New(1, math.MaxInt32)
		}), sp.ErrInvalid, "stages.won.probability"},
		badValue{"definition/won_probability_half", specWith(func(s *pipeline.Spec) { s.Stages[4].Probability = dec("0.5") }), sp.ErrInvalid, "stages.won.probability"},
		badValue{"definition/lost_probability", specWith(func(s *pipeline.Spec) { s.Stages[5].Probability = dec("0.1") }), sp.ErrInvalid, "stages.lost.probability"},
		badValue{"definition/no_won_stage", specWith(func(s *pipeline.Spec) { s.Stages = slices.Delete(s.Stages, 4, 5); s.Reopen = nil }), sp.ErrInvalid, "stages"},
		badValue{"definition/move_out_of_closed", specWith(func(s *pipeline.Spec) {
			s.Moves = []pipeline.Move{{From: "won", To: "proposal"}}
		}), sp.ErrInvalid, "stages.won"},
		badValue{"definition/reopen_from_open", specWith(func(s *pipeline.Spec) {
			s.Reopen = []pipeline.Move{{From: "proposal", To: "prospecting"}}
		}), sp.ErrInvalid, "stages.proposal"},
		badValue{"definition/duplicate_key", specWith(func(s *pipeline.Spec) { s.Stages[1].Key = "prospecting" }), sp.ErrInvalid, "stages.prospecting"},
		badValue{"definition/engine_nil_pipeline", func() error {
			_, err := pipeline.NewEngine(nil, nil, &pipeline.Options{Pipelines: []*pipeline.Definition{nil}})
			return err
		}, sp.ErrInvalid, "pipelines[0]"},
		badValue{"definition/engine_duplicate_pipeline", func() error {
			p := pipeline.DefaultDefinition()
			_, err := pipeline.NewEngine(nil, nil, &pipeline.Options{Pipelines: []*pipeline.Definition{p, p}})
			return err
		}, sp.ErrInvalid, "pipelines[1]"},
	)

	// Moves made with a pipeline or a machine directly: the record is left
	// as it was.
	def := pipeline.DefaultDefinition()
	var zeroDef pipeline.Definition
	var zeroMachine pipeline.Machine[pipeline.ServiceStage, *pipeline.Service]
	open := openDeal(t, def)
	noAmount := openDeal(t, def)
	noAmount.Amount = sp.Money{}
	won := openDeal(t, def)
	won.Amount = pipelinetest.MustEUR("100")
	require.NoError(t, def.Win(ctx, won, "", stamp(1)))
	onDeal := func(d *pipeline.Deal, move func(*pipeline.Deal) error) func() error {
		return func() error {
			c := d.Clone()
			err := move(&c)
			if !sameJSON(c, *d) {
				return errors.Join(err, errors.New("the deal changed"))
			}
			return err
		}
	}
	add(
		badValue{"definition/advance_unknown", onDeal(open, func(d *pipeline.Deal) error { return def.Advance(ctx, d, "nope", stamp(2)) }), sp.ErrInvalidTransition, "not a stage"},
		badValue{"definition/advance_from_won", onDeal(won, func(d *pipeline.Deal) error { return def.Advance(ctx, d, "proposal", stamp(2)) }), sp.ErrInvalidTransition, "closed"},
		badValue{"definition/win_no_amount", onDeal(noAmount, func(d *pipeline.Deal) error { return def.Win(ctx, d, "", stamp(2)) }), sp.ErrInvalidTransition, "amount"},
		badValue{"definition/lose_no_reason", onDeal(open, func(d *pipeline.Deal) error { return def.Lose(ctx, d, "", pipeline.LossReason{}, stamp(2)) }), sp.ErrInvalid, "loss.category"},
		badValue{"definition/reopen_open", onDeal(open, func(d *pipeline.Deal) error { return def.Reopen(ctx, d, "proposal", stamp(2)) }), sp.ErrInvalidTransition, "only a closed stage"},
		badValue{"definition/override_closed", onDeal(won, func(d *pipeline.Deal) error { return def.Override(d, dec("0.5")) }), sp.ErrInvalidTransition, "closed deal"},
		badValue{"definition/override_tiny_exponent", onDeal(open, func(d *pipeline.Deal) error { return def.Override(d, decimal.New(1, -999999999)) }), sp.ErrInvalid, "probability"},
		badValue{"definition/start_started", onDeal(open, func(d *pipeline.Deal) error { return def.Start(d, stamp(2)) }), sp.ErrInvalidTransition, "already started"},
		badValue{"definition/other_pipeline", onDeal(open, func(d *pipeline.Deal) error {
			d.Pipeline = "other"
			err := def.Advance(ctx, d, "proposal", stamp(2))
			d.Pipeline = ""
			return err
		}), sp.ErrInvalidTransition, "another pipeline"},
		badValue{"definition/reset_unknown_stage", onDeal(open, func(d *pipeline.Deal) error {
			d.Stage = "limbo"
			err := def.ResetProbability(d)
			d.Stage = pipeline.DealProspecting
			return err
		}), sp.ErrInvalidTransition, "not a stage"},
		badValue{"definition/zero_definition", onDeal(open, func(d *pipeline.Deal) error { return zeroDef.Advance(ctx, d, "proposal", stamp(2)) }), sp.ErrInvalid, "nil deal or pipeline"},
		badValue{"definition/nil_definition", onDeal(open, func(d *pipeline.Deal) error {
			var p *pipeline.Definition
			return p.Win(ctx, d, "", stamp(2))
		}), sp.ErrInvalid, "nil deal or pipeline"},
		badValue{"machine/fire_from_terminal", func() error {
			m := pipeline.NewServiceMachine()
			s := &pipeline.Service{}
			require.NoError(t, m.Start(s, stamp(0)))
			require.NoError(t, m.Fire(ctx, s, pipeline.ServiceDelivered, stamp(1)))
			require.NoError(t, m.Fire(ctx, s, pipeline.ServiceFollowedUp, stamp(2)))
			err := m.Fire(ctx, s, pipeline.ServiceDelivered, stamp(3))
			if s.Stage != pipeline.ServiceFollowedUp || len(s.History) != 3 {
				return errors.Join(err, errors.New("the record changed"))
			}
			return err
		}, sp.ErrInvalidTransition, "closed"},
		badValue{"machine/zero_machine_fire", func() error {
			return zeroMachine.Fire(ctx, &pipeline.Service{}, pipeline.ServiceDelivered, stamp(0))
		}, sp.ErrInvalid, "machine"},
		badValue{"machine/zero_machine_start", func() error { return zeroMachine.Start(&pipeline.Service{}, stamp(0)) }, sp.ErrInvalid, "machine"},
		badValue{"machine/nil_machine_reopen", func() error {
			var m *pipeline.Machine[pipeline.ServiceStage, *pipeline.Service]
			return m.Reopen(ctx, &pipeline.Service{Stage: pipeline.ServiceFollowedUp}, pipeline.ServiceDelivered, stamp(0))
		}, sp.ErrInvalid, "machine"},
	)

	// Getters of the engine.
	s := pipelinetest.NewScenario(t, nil)
	add(
		badValue{"engine/get_inquiry_nil_context", func() error {
			var nilCtx context.Context
			_, err := s.Engine.GetInquiry(nilCtx, "i1")
			return err
		}, sp.ErrInvalid, "ctx"},
		badValue{"engine/get_deal_nil_context", func() error {
			var nilCtx context.Context
			_, err := s.Engine.GetDeal(nilCtx, "d1")
			return err
		}, sp.ErrInvalid, "ctx"},
		badValue{"engine/list_deals_nil_context", func() error {
			var nilCtx context.Context
			for _, err := range s.Engine.ListDeals(nilCtx, pipeline.DealFilter{}) {
				return err
			}
			return nil
		}, sp.ErrInvalid, "ctx"},
		badValue{"engine/overdue_nil_context", func() error {
			var nilCtx context.Context
			for _, err := range s.Engine.Overdue(nilCtx, pipeline.FollowUpPolicy{}, pipeline.InquiryFilter{}) {
				return err
			}
			return nil
		}, sp.ErrInvalid, "ctx"},
		badValue{"engine/get_deal_missing", func() error { _, err := s.Engine.GetDeal(ctx, "d-none"); return err }, sp.ErrNotFound, "d-none"},
	)

	// Malformed JSON for every type that leaves the process.
	for _, jc := range []struct {
		kind   string
		decode func(string) func() error
		cases  map[string][2]string // name → data, field
	}{
		{"inquiry", decodeJSON[pipeline.Inquiry], map[string][2]string{
			"malformed": {`{"id":`, "inquiry"}, "number_id": {`{"id":7}`, "inquiry.id"},
			"bad_stage": {`{"stage":"won"}`, "inquiry.stage"}, "bad_received": {`{"received":"today"}`, "inquiry.received"},
			"history_object": {`{"history":{}}`, "inquiry.history"}, "version_text": {`{"version":"1"}`, "inquiry.version"},
			"activities_bad_kind": {`{"activities":[{"kind":"telegram"}]}`, "inquiry.activities[0].kind"},
		}},
		{"deal", decodeJSON[pipeline.Deal], map[string][2]string{
			"malformed": {`{"lines":[`, "deal"}, "bad_stage": {`{"stage":"Won!"}`, "deal.stage"},
			"bad_amount":      {`{"amount":{"amount":"1e3","currency":"EUR"}}`, "deal.amount.amount"},
			"bad_probability": {`{"probability":"maybe"}`, "deal.probability"}, "version_float": {`{"version":1.5}`, "deal.version"},
			"bad_loss": {`{"loss":{"category":"weather"}}`, "deal.loss.category"}, "bad_service": {`{"service":{"stage":"shipped"}}`, "deal.service.stage"},
			"line_quantity_text": {`{"lines":[{"quantity":"ten"}]}`, "deal.lines[0].quantity"},
			"history_bad_at":     {`{"history":[{"at":"noon"}]}`, "deal.history[0].at"}, "history_bad_to": {`{"history":[{"to":"Won!"}]}`, "deal.history[0].to"},
			"probability_written_out": {`{"probability":1e9999}`, "deal.probability"},
			"discount_written_out":    {`{"lines":[{},{"discount":"1e-9999"}]}`, "deal.lines[1].discount"},
		}},
		{"activity", decodeJSON[pipeline.Activity], map[string][2]string{
			"malformed": {`{`, "activity"}, "bad_kind": {`{"kind":"fax"}`, "activity.kind"}, "bad_due": {`{"due":5}`, "activity.due"},
		}},
		{"line", decodeJSON[pipeline.Line], map[string][2]string{
			"malformed": {`[`, "line"}, "bad_price": {`{"unit_price":"12 EUR"}`, "line.unit_price"},
			"bad_discount": {`{"discount":"ten percent"}`, "line.discount"}, "huge_quantity": {`{"quantity":1e30}`, "line.quantity"},
			"discount_exponent":    {`{"discount":"1e-2000000000"}`, "line.discount"},
			"discount_written_out": {`{"discount":"1e-9999"}`, "line.discount"},
		}},
		{"loss_reason", decodeJSON[pipeline.LossReason], map[string][2]string{
			"malformed": {`{"category":"price"`, "loss_reason"}, "bad_category": {`{"category":"weather"}`, "loss_reason.category"},
		}},
		{"service", decodeJSON[pipeline.Service], map[string][2]string{
			"malformed": {`}`, "service"}, "bad_feedback": {`{"feedback":[{"rating":"5"}]}`, "service.feedback[0].rating"},
		}},
		{"terms", decodeJSON[pipeline.Terms], map[string][2]string{
			"malformed": {`{"amount":}`, "terms"}, "bad_close": {`{"expected_close":"soon"}`, "terms.expected_close"},
		}},
		{"conversion", decodeJSON[pipeline.Conversion], map[string][2]string{
			"malformed": {`{"owner"`, "conversion"}, "owner_number": {`{"owner":1}`, "conversion.owner"},
		}},
		{"outcome", decodeJSON[pipeline.Outcome], map[string][2]string{
			"malformed": {`{"result":`, "outcome"}, "version_text": {`{"version":"2"}`, "outcome.version"},
		}},
		{"inquiry_filter", decodeJSON[pipeline.InquiryFilter], map[string][2]string{
			"malformed": {`{"stages":[`, "inquiry_filter"}, "bad_stage": {`{"stages":["limbo"]}`, "inquiry_filter.stages[0]"},
			"bad_period": {`{"received":"2026-13"}`, "inquiry_filter.received"},
		}},
		{"spec", decodeJSON[pipeline.Spec], map[string][2]string{
			"malformed": {`{"stages":[`, "spec"}, "name_number": {`{"name":7}`, "spec.name"},
			"stage_key_malformed":     {`{"stages":[{"key":"open"},{"key":"Won!"}]}`, "spec.stages[1].key"},
			"stage_kind_unknown":      {`{"stages":[{"key":"open","kind":"vibes"}]}`, "spec.stages[0].kind"},
			"stage_order_fraction":    {`{"stages":[{"key":"open","order":1.5}]}`, "spec.stages[0].order"},
			"probability_text":        {`{"stages":[{"key":"open","probability":"most likely"}]}`, "spec.stages[0].probability"},
			"probability_digits":      {`{"stages":[{"key":"open","probability":"0.` + strings.Repeat("1", sp.MaxDigitRun) + `"}]}`, "spec"},
			"probability_written_out": {`{"stages":[{"key":"open"},{"key":"won","probability":1e9999}]}`, "spec.stages[1].probability"},
			"move_malformed":          {`{"moves":[{"from":"open","to":"won"},{"from":"open","to":""},{"from":"Open"}]}`, "spec.moves[2].from"},
			"reopen_not_object":       {`{"reopen":["won"]}`, "spec.reopen[0]"},
			"backward_text":           {`{"backward":"yes"}`, "spec.backward"},
			"member_unknown":          {`{"name":"b2b","nmae":"b2c"}`, "spec.nmae"},
			"stage_member_unknown":    {`{"stages":[{"key":"open"},{"key":"won","probabilty":"1"}]}`, "spec.stages[1].probabilty"},
			"stage_gates":             {`{"stages":[{"key":"open","gates":[]}]}`, "spec.stages[0].gates"},
			"move_member_unknown":     {`{"moves":[{"from":"open","to":"won"},{"from":"open","too":"lost"}]}`, "spec.moves[1].too"},
			"reopen_member_unknown":   {`{"reopen":[{"form":"lost","to":"open"}]}`, "spec.reopen[0].form"},
		}},
		{"stage_spec", decodeJSON[pipeline.StageSpec], map[string][2]string{
			"malformed": {`{`, "stage_spec"}, "kind_unknown": {`{"kind":"closed"}`, "stage_spec.kind"},
			"member_unknown": {`{"key":"open","on_enter":null}`, "stage_spec.on_enter"},
		}},
		{"move", decodeJSON[pipeline.Move], map[string][2]string{
			"malformed": {`[`, "move"}, "to_malformed": {`{"to":"Won"}`, "move.to"},
			"member_unknown": {`{"from":"open","to":"won","reason":"x"}`, "move.reason"},
		}},
		{"deal_filter", decodeJSON[pipeline.DealFilter], map[string][2]string{
			"malformed": {`{`, "deal_filter"}, "bad_period": {`{"closed":"2026[Local]"}`, "deal_filter.closed"},
		}},
		{"follow_up_policy", decodeJSON[pipeline.FollowUpPolicy], map[string][2]string{
			"malformed": {`{"first_contact":`, "follow_up_policy"}, "duration_text": {`{"first_contact":"a day"}`, "follow_up_policy.first_contact"},
			"duration_fraction": {`{"next_touch":1.5}`, "follow_up_policy.next_touch"}, "duration_bool": {`{"next_touch":true}`, "follow_up_policy.next_touch"},
			"member_unknown": {`{"first_contact":"4h","next_tuch":"48h"}`, "follow_up_policy.next_tuch"},
		}},
		{"inquiry_event", decodeJSON[pipeline.InquiryEvent], map[string][2]string{
			"malformed": {`{"stage"`, "inquiry_event"}, "bad_stage": {`{"stage":"won"}`, "inquiry_event.stage"},
		}},
		{"deal_event", decodeJSON[pipeline.DealEvent], map[string][2]string{
			"malformed": {`{"deal":`, "deal_event"}, "bad_service": {`{"service":"lost"}`, "deal_event.service"},
		}},
		{"overdue", decodeJSON[pipeline.Overdue], map[string][2]string{
			"malformed": {`{"late":`, "overdue"}, "late_text": {`{"late":"1 hour"}`, "overdue.late"},
			"late_overflow": {`{"late":9223372036854775808}`, "overdue.late"}, "bad_due": {`{"due":"today"}`, "overdue.due"},
		}},
	} {
		for name, c := range jc.cases {
			add(badValue{"json/" + jc.kind + "/" + name, jc.decode(c[0]), sp.ErrInvalid, c[1]})
		}
	}

	slices.SortFunc(rows, func(a, b badValue) int { return strings.Compare(a.name, b.name) })
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = row.call() })
			checkErr(t, err, row.is, row.field)
			assert.NotContains(t, err.Error(), "changed", "a failed call changed its target")
		})
	}
	t.Logf("%d rows", len(rows))
}

// keepsText unmarshals text into a copy of v and joins an error when the
// copy changed.
func keepsText[T ~string, P interface {
	*T
	UnmarshalText([]byte) error
}](v T, text string) func() error {
	return func() error {
		c := v
		err := P(&c).UnmarshalText([]byte(text))
		if c != v {
			return errors.Join(err, errors.New("the value changed"))
		}
		return err
	}
}

// decodeJSON decodes data into a new T as hosts do, with encoding/json;
// malformed JSON, which encoding/json refuses before it calls any method,
// with the type's own UnmarshalJSON.
func decodeJSON[T any, P interface {
	*T
	json.Unmarshaler
}](data string) func() error {
	return func() error {
		var v T
		if json.Valid([]byte(data)) {
			return json.Unmarshal([]byte(data), &v)
		}
		return P(&v).UnmarshalJSON([]byte(data))
	}
}
