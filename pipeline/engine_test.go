package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	ann    = pipelinetest.Rep(pipelinetest.RepAnn)
	bob    = pipelinetest.Rep(pipelinetest.RepBob)
	system = pipelinetest.System()
)

func TestEngineLifecycle(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, &pipeline.Options{
		Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}, pipelinetest.RepBob: {pipelinetest.ProductWidget}},
	})
	e := s.Engine

	in, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), &pipeline.CommandOptions{Reason: "web form"})
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryNew, in.Stage)
	assert.Equal(t, int64(1), in.Version)
	require.Len(t, in.History, 1)
	assert.Equal(t, "web form", in.History[0].Reason)

	in, err = e.AssignInquiry(ctx, pipelinetest.Manager(pipelinetest.RegionNorth), "i1", pipelinetest.RepBob, nil)
	require.NoError(t, err)
	assert.Equal(t, pipelinetest.RepBob, in.Owner)
	assert.Equal(t, int64(2), in.Version)

	planned := pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall, Due: s.Clock.Peek().Add(time.Hour)}
	in, err = e.LogInquiryActivity(ctx, bob, "i1", planned, nil)
	require.NoError(t, err)
	assert.Equal(t, sp.ActorID(pipelinetest.RepBob), in.Activities[0].Actor, "the actor defaults to the acting one")

	in, err = e.Contact(ctx, bob, "i1", pipeline.Activity{ID: "call-2", Kind: pipeline.ActivityCall, Outcome: "interested"}, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryContacted, in.Stage)
	assert.False(t, in.Activities[1].Done.IsZero(), "the contact's activity is done")
	first, ok := pipeline.FirstResponse(in)
	assert.True(t, ok)
	assert.Greater(t, first, time.Duration(0))

	in, err = e.Qualify(ctx, bob, "i1", nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryQualified, in.Stage)

	in, d, err := e.Convert(ctx, bob, "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("1500")}}, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryConverted, in.Stage)
	assert.Equal(t, sp.DealID("i1"), in.Deal)
	assert.Equal(t, sp.InquiryID("i1"), d.Inquiry)
	assert.Equal(t, pipelinetest.RepBob, d.Owner)
	assert.Equal(t, pipelinetest.RegionNorth, d.Region)
	assert.Equal(t, pipeline.DealProspecting, d.Stage)
	assert.Equal(t, "1500.00 EUR", d.Amount.String())
	assert.Equal(t, int64(1), d.Version)

	d, err = e.SetTerms(ctx, bob, d.ID, pipeline.Terms{
		Lines: []pipeline.Line{
			{Product: pipelinetest.ProductWidget, Quantity: 3, UnitPrice: pipelinetest.MustEUR("19.99"), Discount: dec("0.15")},
			{Product: pipelinetest.ProductGadget, Quantity: 1, UnitPrice: pipelinetest.MustEUR("100")},
		},
		ExpectedClose: pipelinetest.Epoch().AddDate(0, 2, 0),
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, "150.97 EUR", d.Amount.String(), "3 × 19.99 × 0.85 = 50.9745 → 50.97, plus 100")

	d, err = e.Advance(ctx, bob, d.ID, pipeline.DealProposal, &pipeline.CommandOptions{Reason: "sent"})
	require.NoError(t, err)
	d, err = e.OverrideProbability(ctx, bob, d.ID, dec("0.65"), nil)
	require.NoError(t, err)
	assert.True(t, d.Overridden)
	d, err = e.ResetProbability(ctx, bob, d.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "0.5", d.Probability.String())
	d, err = e.LogDealActivity(ctx, bob, d.ID, pipeline.Activity{ID: "demo", Kind: pipeline.ActivityDemo, Done: s.Clock.Peek()}, nil)
	require.NoError(t, err)
	d, err = e.Advance(ctx, bob, d.ID, pipeline.DealNegotiation, nil)
	require.NoError(t, err)
	d, err = e.Win(ctx, bob, d.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealWon, d.Stage)
	assert.False(t, d.Closed.IsZero())
	require.NotNil(t, d.Service)
	assert.Equal(t, pipeline.ServiceAwaitingDelivery, d.Service.Stage)

	d, err = e.Deliver(ctx, system, d.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.ServiceDelivered, d.Service.Stage)
	d, err = e.FollowUp(ctx, bob, d.ID, []sp.Feedback{{ID: "fb-1", Rating: 4, Category: sp.FeedbackDelivery, Text: "late"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.ServiceFollowedUp, d.Service.Stage)
	require.Len(t, d.Service.Feedback, 1)
	fb := d.Service.Feedback[0]
	assert.Equal(t, d.ID, fb.Deal)
	assert.Equal(t, pipelinetest.CustomerAcme, fb.Customer)
	assert.Equal(t, pipelinetest.ProductWidget, fb.Product)
	assert.Equal(t, sp.FromCustomer, fb.Source)
	assert.NoError(t, pipeline.CheckHistory(d.Stage, d.History))
	assert.NoError(t, pipeline.CheckHistory(d.Service.Stage, d.Service.History))
	assert.Equal(t, int64(10), d.Version)

	stored, err := e.GetDeal(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, d.Version, stored.Version)

	assert.Equal(t, []string{
		pipeline.EventInquiryReceived, pipeline.EventInquiryAssigned, pipeline.EventInquiryActivity,
		pipeline.EventInquiryContacted, pipeline.EventInquiryQualified, pipeline.EventDealOpened,
		pipeline.EventInquiryConverted, pipeline.EventDealTermsSet, pipeline.EventDealAdvanced,
		pipeline.EventDealProbability, pipeline.EventDealProbability, pipeline.EventDealActivity,
		pipeline.EventDealAdvanced, pipeline.EventDealWon, pipeline.EventDealDelivered, pipeline.EventDealFollowedUp,
	}, s.Events.Types())
	events := s.Events.Events()
	last := events[len(events)-1]
	assert.Equal(t, "pipeline/deal/i1/10", last.ID)
	assert.Equal(t, "i1", last.Subject)
	assert.Equal(t, sp.ActorID(pipelinetest.RepBob), last.Actor)
	assert.NoError(t, last.Validate())
	var data pipeline.DealEvent
	require.NoError(t, json.Unmarshal(last.Data, &data))
	assert.Equal(t, pipeline.ServiceFollowedUp, data.Service)
	assert.Len(t, data.Feedback, 1)
	var advanced pipeline.DealEvent
	require.NoError(t, json.Unmarshal(events[8].Data, &advanced))
	assert.Equal(t, pipeline.DealProspecting, advanced.From)
	assert.Equal(t, pipeline.DealProposal, advanced.Stage)
	assert.Equal(t, "sent", advanced.Reason)
	var received pipeline.InquiryEvent
	require.NoError(t, json.Unmarshal(events[0].Data, &received))
	assert.Equal(t, sp.InquiryID("i1"), received.Inquiry)
	assert.Equal(t, "pipeline/inquiry/i1/1", events[0].ID)

	var ids []string
	for d, err := range e.ListDeals(ctx, pipeline.DealFilter{Inquiry: "i1"}) {
		require.NoError(t, err)
		ids = append(ids, string(d.ID))
	}
	assert.Equal(t, []string{"i1"}, ids)
	n := 0
	for _, err := range e.ListInquiries(ctx, pipeline.InquiryFilter{Owner: pipelinetest.RepBob}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)
}

func TestEngineInquiryPaths(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	_, err := e.ReceiveInquiry(ctx, ann, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)

	in, err := e.Disqualify(ctx, ann, "i1", "no budget", nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryDisqualified, in.Stage)
	assert.Equal(t, "no budget", in.DisqualifyReason)
	assert.Equal(t, "no budget", in.History[1].Reason)

	_, err = e.ReopenInquiry(ctx, ann, "i1", nil)
	assert.ErrorIs(t, err, sp.ErrForbidden, "reopening is a manager's act")
	in, err = e.ReopenInquiry(ctx, pipelinetest.Manager(pipelinetest.RegionNorth), "i1", &pipeline.CommandOptions{Reason: "budget found"})
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryNew, in.Stage)
	assert.Empty(t, in.DisqualifyReason)

	for _, tt := range []struct {
		name string
		run  func() error
		is   error
	}{
		{"err_qualify_new", func() error { _, err := e.Qualify(ctx, ann, "i1", nil); return err }, sp.ErrInvalidTransition},
		{"err_convert_new", func() error {
			_, _, err := e.Convert(ctx, ann, "i1", pipeline.Conversion{}, nil)
			return err
		}, sp.ErrInvalidTransition},
		{"err_disqualify_without_reason", func() error { _, err := e.Disqualify(ctx, ann, "i1", "", nil); return err }, sp.ErrInvalid},
		{"err_disqualify_long_reason", func() error {
			_, err := e.Disqualify(ctx, ann, "i1", strings.Repeat("x", 2000), nil)
			return err
		}, sp.ErrInvalid},
		{"err_contact_with_bad_activity", func() error {
			_, err := e.Contact(ctx, ann, "i1", pipeline.Activity{ID: "a", Kind: "telegram"}, nil)
			return err
		}, sp.ErrInvalid},
		{"err_activity_without_time", func() error {
			_, err := e.LogInquiryActivity(ctx, ann, "i1", pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall}, nil)
			return err
		}, sp.ErrInvalid},
		{"err_assign_bad_rep", func() error { _, err := e.AssignInquiry(ctx, system, "i1", " x", nil); return err }, sp.ErrInvalid},
		{"err_missing_inquiry", func() error { _, err := e.Qualify(ctx, ann, "nope", nil); return err }, sp.ErrNotFound},
		{"err_bad_id", func() error { _, err := e.Qualify(ctx, ann, "", nil); return err }, sp.ErrInvalid},
		{"err_receive_duplicate", func() error {
			_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
			return err
		}, sp.ErrDuplicate},
		{"err_receive_invalid", func() error {
			in := pipelinetest.NewInquiry("i9")
			in.Product = ""
			_, err := e.ReceiveInquiry(ctx, system, in, nil)
			return err
		}, sp.ErrInvalid},
		{"err_receive_with_stage", func() error {
			in := pipelinetest.NewInquiry("i9")
			in.Stage = pipeline.InquiryQualified
			_, err := e.ReceiveInquiry(ctx, system, in, nil)
			return err
		}, sp.ErrInvalid},
		{"err_receive_bad_activity", func() error {
			in := pipelinetest.NewInquiry("i9")
			in.Activities = []pipeline.Activity{{ID: "x"}}
			_, err := e.ReceiveInquiry(ctx, system, in, nil)
			return err
		}, sp.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, err := e.GetInquiry(ctx, "i1")
			require.NoError(t, err)
			assert.ErrorIs(t, tt.run(), tt.is)
			after, err := e.GetInquiry(ctx, "i1")
			require.NoError(t, err)
			assert.Equal(t, before, after, "a refused command stores nothing")
		})
	}

	_, err = e.LogInquiryActivity(ctx, ann, "i1", pipeline.Activity{ID: "a1", Kind: pipeline.ActivityEmail, Done: t0}, nil)
	require.NoError(t, err)
	_, err = e.LogInquiryActivity(ctx, ann, "i1", pipeline.Activity{ID: "a1", Kind: pipeline.ActivityEmail, Done: t0}, nil)
	assert.ErrorIs(t, err, sp.ErrDuplicate)
	_, err = e.Contact(ctx, ann, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = e.Disqualify(ctx, ann, "i1", "went quiet", nil)
	require.NoError(t, err)
	_, err = e.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	assert.ErrorIs(t, err, sp.ErrInvalidTransition, "closed inquiries are not assigned")
	assert.EqualError(t, err, `pipeline: assign inquiry "i1": inquiry: disqualified → disqualified: a closed inquiry is not assigned; reopen the inquiry first (reopen_inquiry, a manager's act)`)

	unowned := pipelinetest.NewInquiry("i2")
	unowned.Owner = ""
	unowned.Received = time.Time{}
	in, err = e.ReceiveInquiry(ctx, system, unowned, nil)
	require.NoError(t, err)
	assert.False(t, in.Received.IsZero(), "received defaults to now")
	_, err = e.Contact(ctx, system, "i2", pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = e.Qualify(ctx, system, "i2", nil)
	require.NoError(t, err)
	_, _, err = e.Convert(ctx, system, "i2", pipeline.Conversion{}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid, "a deal needs an owner")
	_, _, err = e.Convert(ctx, system, "i2", pipeline.Conversion{Owner: pipelinetest.RepAnn, Pipeline: "nope"}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid, "unknown pipeline")
	_, _, err = e.Convert(ctx, system, "i2", pipeline.Conversion{Owner: "bad owner "}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, _, err = e.Convert(ctx, system, "", pipeline.Conversion{}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, _, err = e.Convert(ctx, system, "i2", pipeline.Conversion{Owner: pipelinetest.RepAnn, Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("-1")}}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid, "negative amount")
	_, d, err := e.Convert(ctx, system, "i2", pipeline.Conversion{Owner: pipelinetest.RepAnn}, nil)
	require.NoError(t, err)
	assert.Equal(t, pipelinetest.RepAnn, d.Owner)
	_, _, err = e.Convert(ctx, system, "i2", pipeline.Conversion{Owner: pipelinetest.RepAnn}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalidTransition, "converted once")
	var te *pipeline.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, `convert inquiry "i2"`, te.Record)
	// Named as the Engine's other errors of a command are: the command first.
	assert.Equal(t, `pipeline: convert inquiry "i2": inquiry: converted → converted: no such move; already converted to deal "i2"`, err.Error())
}

func TestEngineDealPaths(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	d, err := e.OpenDeal(ctx, ann, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	assert.Equal(t, "1080.00 EUR", d.Amount.String())
	assert.Equal(t, "0.1", d.Probability.String())

	for _, tt := range []struct {
		name string
		run  func() error
		is   error
	}{
		{"err_new_to_won_without_amount_is_checked_after_terms", func() error {
			_, err := e.SetTerms(ctx, ann, "d1", pipeline.Terms{Lines: []pipeline.Line{{Product: "widget", Quantity: 0}}}, nil)
			return err
		}, sp.ErrInvalid},
		{"err_lose_bad_reason", func() error {
			_, err := e.Lose(ctx, ann, "d1", pipeline.LossReason{Category: pipeline.LossPrice}, nil)
			return err
		}, sp.ErrInvalid},
		{"err_reopen_open", func() error { _, err := e.ReopenDeal(ctx, ann, "d1", pipeline.DealProposal, nil); return err }, sp.ErrInvalidTransition},
		{"err_deliver_open", func() error { _, err := e.Deliver(ctx, ann, "d1", nil); return err }, sp.ErrInvalidTransition},
		{"err_follow_up_open", func() error { _, err := e.FollowUp(ctx, ann, "d1", nil, nil); return err }, sp.ErrInvalidTransition},
		{"err_override_range", func() error { _, err := e.OverrideProbability(ctx, ann, "d1", dec("2"), nil); return err }, sp.ErrInvalid},
		{"err_assign_bad_rep", func() error { _, err := e.AssignDeal(ctx, system, "d1", "", nil); return err }, sp.ErrInvalid},
		{"err_activity_duplicate_field", func() error {
			_, err := e.LogDealActivity(ctx, ann, "d1", pipeline.Activity{ID: strings.Repeat("x", 200), Kind: pipeline.ActivityCall, Done: t0}, nil)
			return err
		}, sp.ErrInvalid},
		{"err_bad_stage_option", func() error {
			_, err := e.Win(ctx, ann, "d1", &pipeline.CommandOptions{Stage: "Won!"})
			return err
		}, sp.ErrInvalid},
		{"err_bad_actor", func() error { _, err := e.Win(ctx, sp.Actor{ID: "x", Role: "king"}, "d1", nil); return err }, sp.ErrInvalid},
		{"err_bad_reason", func() error {
			_, err := e.Win(ctx, ann, "d1", &pipeline.CommandOptions{Reason: "\xff"})
			return err
		}, sp.ErrInvalid},
		{"err_key_too_long", func() error {
			_, err := e.Win(ctx, ann, "d1", &pipeline.CommandOptions{IdempotencyKey: strings.Repeat("k", 300)})
			return err
		}, sp.ErrInvalid},
		{"err_missing_deal", func() error { _, err := e.Win(ctx, ann, "nope", nil); return err }, sp.ErrNotFound},
		{"err_bad_deal_id", func() error { _, err := e.Win(ctx, ann, "", nil); return err }, sp.ErrInvalid},
		{"err_forbidden", func() error { _, err := e.Win(ctx, bob, "d1", nil); return err }, sp.ErrForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, err := e.GetDeal(ctx, "d1")
			require.NoError(t, err)
			assert.ErrorIs(t, tt.run(), tt.is)
			after, err := e.GetDeal(ctx, "d1")
			require.NoError(t, err)
			assert.Equal(t, before, after, "a refused command stores nothing")
		})
	}

	d, err = e.AssignDeal(ctx, system, "d1", pipelinetest.RepBob, nil)
	require.NoError(t, err)
	assert.Equal(t, pipelinetest.RepBob, d.Owner)
	d, err = e.Lose(ctx, bob, "d1", pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealLost, d.Stage)
	_, err = e.SetTerms(ctx, bob, "d1", pipeline.Terms{}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalidTransition, "closed deals keep their terms")
	assert.EqualError(t, err, `pipeline: set_terms deal "d1": deal pipeline: lost → lost: a closed deal keeps its terms; reopen it first`)
	_, err = e.AssignDeal(ctx, system, "d1", pipelinetest.RepAnn, nil)
	assert.ErrorIs(t, err, sp.ErrInvalidTransition, "closed deals keep their owner")
	assert.EqualError(t, err, `pipeline: assign deal "d1": deal pipeline: lost → lost: a closed deal is not assigned; reopen it first`)
	d, err = e.ReopenDeal(ctx, bob, "d1", pipeline.DealNegotiation, nil)
	require.NoError(t, err)
	assert.Equal(t, "0.8", d.Probability.String())
	d, err = e.Advance(ctx, bob, "d1", pipeline.DealWon, nil)
	require.NoError(t, err)
	require.NotNil(t, d.Service, "winning by Advance starts the after-sale part too")
	assert.Equal(t, pipeline.EventDealWon, s.Events.Types()[len(s.Events.Types())-1])
	_, err = e.FollowUp(ctx, bob, "d1", nil, nil)
	assert.ErrorIs(t, err, sp.ErrInvalidTransition, "follow-up comes after delivery")
	_, err = e.Deliver(ctx, bob, "d1", nil)
	require.NoError(t, err)
	_, err = e.FollowUp(ctx, bob, "d1", []sp.Feedback{{ID: "f", Rating: 9, Category: sp.FeedbackPrice}}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid, "rating out of range")
	d, err = e.FollowUp(ctx, bob, "d1", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, pipeline.ServiceFollowedUp, d.Service.Stage)
	_, err = e.ReopenDeal(ctx, bob, "d1", pipeline.DealNegotiation, nil)
	assert.ErrorIs(t, err, sp.ErrInvalidTransition, "a delivered deal is not reopened")

	open := func(id sp.DealID, edit func(*pipeline.Deal)) error {
		d := pipelinetest.NewDeal(id)
		edit(&d)
		_, err := e.OpenDeal(ctx, system, d, nil)
		return err
	}
	assert.ErrorIs(t, open("d1", func(*pipeline.Deal) {}), sp.ErrDuplicate)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Stage = "won" }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Pipeline = "nope" }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Customer = "" }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Owner = "" }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Product = "" }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.ID = "" }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Channel = " x" }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Lines[0].Discount = dec("1.5") }), sp.ErrInvalid)
	assert.ErrorIs(t, open("d2", func(d *pipeline.Deal) { d.Activities = []pipeline.Activity{{ID: "a"}} }), sp.ErrInvalid)
	_, err = e.GetDeal(ctx, "d2")
	assert.ErrorIs(t, err, sp.ErrNotFound)
}

func TestEnginePolicy(t *testing.T) {
	ctx := context.Background()
	north := pipelinetest.Manager(pipelinetest.RegionNorth)
	south := sp.ManagerActor("mgr-south", pipelinetest.RegionSouth)
	tests := []struct {
		name string
		by   sp.Actor
		ok   bool
	}{
		{"ok_owner_rep", ann, true},
		{"err_other_rep", bob, false},
		{"ok_manager_of_region", north, true},
		{"err_manager_of_other_region", south, false},
		{"ok_admin", pipelinetest.Admin(), true},
		{"ok_system", system, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pipelinetest.NewScenario(t, nil)
			_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
			require.NoError(t, err)
			_, err = s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
			require.NoError(t, err)
			n := len(s.Events.Types())
			_, derr := s.Engine.Advance(ctx, tt.by, "d1", pipeline.DealQualification, nil)
			_, ierr := s.Engine.Contact(ctx, tt.by, "i1", pipeline.Activity{}, nil)
			d, _ := s.Engine.GetDeal(ctx, "d1")
			in, _ := s.Engine.GetInquiry(ctx, "i1")
			if tt.ok {
				assert.NoError(t, derr)
				assert.NoError(t, ierr)
				assert.Equal(t, int64(2), d.Version)
				assert.Equal(t, int64(2), in.Version)
				return
			}
			assert.ErrorIs(t, derr, sp.ErrForbidden)
			assert.ErrorIs(t, ierr, sp.ErrForbidden)
			assert.Equal(t, int64(1), d.Version, "a refusal changes nothing")
			assert.Equal(t, int64(1), in.Version)
			assert.Len(t, s.Events.Types(), n, "and emits nothing")
		})
	}
	t.Run("err_rep_receives_for_another", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		_, err := s.Engine.ReceiveInquiry(ctx, bob, pipelinetest.NewInquiry("i1"), nil)
		assert.ErrorIs(t, err, sp.ErrForbidden)
	})
	t.Run("err_unknown_role", func(t *testing.T) {
		err := pipeline.DefaultPolicy{}.Authorize(ctx, sp.Actor{ID: "x", Role: "guest"}, pipeline.CmdWin, pipeline.Target{})
		assert.ErrorIs(t, err, sp.ErrForbidden)
	})
	t.Run("ok_rep_hands_over_converts_and_reopens_own", func(t *testing.T) {
		// As DefaultPolicy's doc says: on their own record, these are the
		// rep's acts; on another's, they are refused.
		policy := pipeline.DefaultPolicy{}
		for _, tc := range []struct {
			cmd    pipeline.Command
			target pipeline.Target
		}{
			{pipeline.CmdAssign, pipeline.Target{Kind: "deal", ID: "d1", Owner: pipelinetest.RepAnn, NewOwner: pipelinetest.RepBob}},
			{pipeline.CmdAssign, pipeline.Target{Kind: "inquiry", ID: "i1", Owner: pipelinetest.RepAnn, NewOwner: pipelinetest.RepBob}},
			{pipeline.CmdConvert, pipeline.Target{Kind: "inquiry", ID: "i1", Owner: pipelinetest.RepAnn, NewOwner: pipelinetest.RepBob}},
			{pipeline.CmdReopen, pipeline.Target{Kind: "deal", ID: "d1", Owner: pipelinetest.RepAnn, Stage: string(pipeline.DealWon)}},
		} {
			assert.NoError(t, policy.Authorize(ctx, ann, tc.cmd, tc.target), "%s %s", tc.cmd, tc.target.Kind)
			assert.ErrorIs(t, policy.Authorize(ctx, bob, tc.cmd, tc.target), sp.ErrForbidden, "%s %s", tc.cmd, tc.target.Kind)
		}
	})
	t.Run("custom_policy_failure_passes_through", func(t *testing.T) {
		boom := errors.New("policy store down")
		s := pipelinetest.NewScenario(t, &pipeline.Options{Policy: pipeline.PolicyFunc(func(_ context.Context, _ sp.Actor, cmd pipeline.Command, tg pipeline.Target) error {
			if cmd == pipeline.CmdAssign && tg.NewOwner == pipelinetest.RepBob {
				return boom
			}
			return nil
		})})
		_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		_, err = s.Engine.AssignDeal(ctx, system, "d1", pipelinetest.RepBob, nil)
		assert.ErrorIs(t, err, boom)
		assert.NotErrorIs(t, err, sp.ErrForbidden)
	})
}

func TestEngineEligibility(t *testing.T) {
	ctx := context.Background()
	storage := errors.New("training store down")
	var down bool
	cert := pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}}
	elig := pipeline.EligibilityFunc(func(ctx context.Context, rep sp.RepID, p sp.ProductID, ch sp.ChannelID, at time.Time) error {
		if down {
			return storage
		}
		return cert.Eligible(ctx, rep, p, ch, at)
	})
	s := pipelinetest.NewScenario(t, &pipeline.Options{Eligibility: elig})
	e := s.Engine
	in := pipelinetest.NewInquiry("i1")
	in.Owner = pipelinetest.RepBob
	_, err := e.ReceiveInquiry(ctx, system, in, nil)
	assert.ErrorIs(t, err, sp.ErrForbidden, "an uncertified owner at receipt")
	in.Owner = ""
	_, err = e.ReceiveInquiry(ctx, system, in, nil)
	require.NoError(t, err)
	_, err = e.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	assert.ErrorIs(t, err, sp.ErrForbidden)
	assert.Contains(t, err.Error(), `rep "rep-bob" may not own work for product "widget"`)
	down = true
	_, err = e.AssignInquiry(ctx, system, "i1", pipelinetest.RepAnn, nil)
	assert.ErrorIs(t, err, storage)
	assert.NotErrorIs(t, err, sp.ErrForbidden, "a failure is not a refusal")
	down = false
	_, err = e.AssignInquiry(ctx, system, "i1", pipelinetest.RepAnn, nil)
	require.NoError(t, err)

	d := pipelinetest.NewDeal("d1")
	d.Owner = pipelinetest.RepBob
	_, err = e.OpenDeal(ctx, system, d, nil)
	assert.ErrorIs(t, err, sp.ErrForbidden)
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = e.AssignDeal(ctx, system, "d1", pipelinetest.RepBob, nil)
	assert.ErrorIs(t, err, sp.ErrForbidden)
	_, _ = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	_, _ = e.Qualify(ctx, system, "i1", nil)
	_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{Owner: pipelinetest.RepBob}, nil)
	assert.ErrorIs(t, err, sp.ErrForbidden)
}

// crashStore is a Store without transactions whose next UpdateInquiry
// fails as if the process died after the write before it.
type crashStore struct {
	pipeline.Store
	crash bool
}

func (c *crashStore) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, v int64) error {
	if c.crash {
		c.crash = false
		return errors.New("crash")
	}
	return c.Store.UpdateInquiry(ctx, in, v)
}

func TestConvertCompletesAfterCrash(t *testing.T) {
	ctx := context.Background()
	mem := pipelinetest.NewMemStore()
	cs := &crashStore{Store: mem}
	e, err := pipeline.NewEngine(cs, cs, &pipeline.Options{
		Clock:     pipelinetest.NewClock(),
		DealIDFor: func(id sp.InquiryID) sp.DealID { return sp.DealID("deal-" + id) },
	})
	require.NoError(t, err)
	qualified(t, e, "i1")

	cs.crash = true
	conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900")}}
	_, _, err = e.Convert(ctx, system, "i1", conv, nil)
	require.Error(t, err)
	half, err := mem.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, pipeline.InquiryQualified, half.Stage, "the crash left the inquiry unconverted")
	_, err = mem.GetDeal(ctx, "deal-i1")
	require.NoError(t, err, "but the deal was created")

	in, d, err := e.Convert(ctx, system, "i1", conv, nil)
	require.NoError(t, err, "a retry completes the conversion")
	assert.Equal(t, sp.DealID("deal-i1"), in.Deal)
	assert.Equal(t, sp.InquiryID("i1"), d.Inquiry)
	n := 0
	for _, err := range mem.ListDeals(ctx, pipeline.DealFilter{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n, "no second deal")

	// A deal of that ID for another inquiry is not taken over.
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i2"), nil)
	require.NoError(t, err)
	_, _ = e.Contact(ctx, system, "i2", pipeline.Activity{}, nil)
	_, _ = e.Qualify(ctx, system, "i2", nil)
	other := pipelinetest.NewDeal("deal-i2")
	_, err = e.OpenDeal(ctx, system, other, nil)
	require.NoError(t, err)
	_, _, err = e.Convert(ctx, system, "i2", conv, nil)
	assert.ErrorIs(t, err, sp.ErrDuplicate)

	// The ID of an inquiry's deal is the conversion's: a deal opened with it
	// and that inquiry, which a conversion would take for its own, is
	// refused, and the conversion then opens the deal it was asked for.
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i3"), nil)
	require.NoError(t, err)
	_, _ = e.Contact(ctx, system, "i3", pipeline.Activity{}, nil)
	_, _ = e.Qualify(ctx, system, "i3", nil)
	squat := pipelinetest.NewDeal("deal-i3")
	squat.Owner, squat.Inquiry = pipelinetest.RepBob, "i3"
	_, err = e.OpenDeal(ctx, system, squat, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, `pipeline: open deal "deal-i3": invalid id: the ID of the deal inquiry "i3" converts to; only Convert opens it`, err.Error())
	_, err = mem.GetDeal(ctx, "deal-i3")
	require.ErrorIs(t, err, sp.ErrNotFound, "nothing is stored")
	squat.ID = "deal-i3-by-hand"
	_, err = e.OpenDeal(ctx, system, squat, nil)
	require.NoError(t, err, "another ID is the host's to give")
	in, d, err = e.Convert(ctx, system, "i3", conv, nil)
	require.NoError(t, err)
	assert.Equal(t, sp.DealID("deal-i3"), in.Deal)
	assert.Equal(t, pipelinetest.RepAnn, d.Owner, "the conversion's owner")
	assert.Equal(t, "900.00 EUR", d.Amount.String(), "the conversion's terms")

	// Without DealIDFor the deal's ID is the inquiry's.
	plain := pipelinetest.NewScenario(t, nil)
	squat = pipelinetest.NewDeal("i1")
	squat.Inquiry = "i1"
	_, err = plain.Engine.OpenDeal(ctx, system, squat, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)

	bad, err := pipeline.NewEngine(cs, cs, &pipeline.Options{DealIDFor: func(sp.InquiryID) sp.DealID { return "" }})
	require.NoError(t, err)
	_, _, err = bad.Convert(ctx, system, "i2", conv, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
}

func TestIdempotency(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T, opts *pipeline.Options, st pipeline.Store) *pipeline.Engine {
		if opts == nil {
			opts = &pipeline.Options{}
		}
		opts.Clock = pipelinetest.NewClock()
		e, err := pipeline.NewEngine(st, st, opts)
		require.NoError(t, err)
		_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		return e
	}
	mem := pipelinetest.NewMemStore()
	type plain struct{ pipeline.Store } // hides Transactor and IdempotencyStore
	stores := map[string]func() (*pipeline.Engine, pipeline.Store){
		"transactional": func() (*pipeline.Engine, pipeline.Store) {
			mem = pipelinetest.NewMemStore()
			return setup(t, nil, mem), mem
		},
		"separate_outcome_store": func() (*pipeline.Engine, pipeline.Store) {
			mem = pipelinetest.NewMemStore()
			st := plain{mem}
			return setup(t, &pipeline.Options{Idempotency: pipelinetest.NewMemStore()}, st), st
		},
	}
	for name, mk := range stores {
		t.Run(name, func(t *testing.T) {
			e, st := mk()
			key := &pipeline.CommandOptions{IdempotencyKey: "req-1", Reason: "signed"}
			first, err := e.Advance(ctx, ann, "d1", pipeline.DealProposal, key)
			require.NoError(t, err)
			again, err := e.Advance(ctx, ann, "d1", pipeline.DealProposal, key)
			require.NoError(t, err, "a retry gets the first outcome")
			assert.Equal(t, first.Version, again.Version)
			assert.Equal(t, first.Stage, again.Stage)
			stored, err := st.GetDeal(ctx, "d1")
			require.NoError(t, err)
			assert.Equal(t, int64(2), stored.Version, "applied once")

			_, err = e.Advance(ctx, ann, "d1", pipeline.DealNegotiation, key)
			assert.ErrorIs(t, err, pipeline.ErrKeyReused, "same key, other arguments")
			assert.ErrorIs(t, err, sp.ErrInvalid)
			_, err = e.Win(ctx, ann, "d1", key)
			assert.ErrorIs(t, err, pipeline.ErrKeyReused, "same key, other command")

			// Concurrent retries of one request apply it once.
			k2 := &pipeline.CommandOptions{IdempotencyKey: "req-2"}
			var wg sync.WaitGroup
			versions := make(chan int64, 8)
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						d, err := e.OverrideProbability(ctx, ann, "d1", dec("0.42"), k2)
						if errors.Is(err, sp.ErrConflict) {
							continue
						}
						if assert.NoError(t, err) {
							versions <- d.Version
						}
						return
					}
				}()
			}
			wg.Wait()
			close(versions)
			for v := range versions {
				assert.Equal(t, int64(3), v)
			}
			stored, err = st.GetDeal(ctx, "d1")
			require.NoError(t, err)
			assert.Equal(t, int64(3), stored.Version)

			// Keyed creation and conversion.
			k3 := &pipeline.CommandOptions{IdempotencyKey: "req-3"}
			_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), k3)
			require.NoError(t, err)
			in, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), k3)
			require.NoError(t, err, "not a duplicate: the same request")
			assert.Equal(t, int64(1), in.Version)
			_, _ = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
			_, _ = e.Qualify(ctx, system, "i1", nil)
			k4 := &pipeline.CommandOptions{IdempotencyKey: "req-4"}
			_, d1, err := e.Convert(ctx, system, "i1", pipeline.Conversion{}, k4)
			require.NoError(t, err)
			in, d2, err := e.Convert(ctx, system, "i1", pipeline.Conversion{}, k4)
			require.NoError(t, err)
			assert.Equal(t, d1.ID, d2.ID)
			assert.Equal(t, pipeline.InquiryConverted, in.Stage)
			k5 := &pipeline.CommandOptions{IdempotencyKey: "req-5"}
			_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d9"), k5)
			require.NoError(t, err)
			_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d9"), k5)
			require.NoError(t, err)
		})
	}
	t.Run("err_no_outcome_store", func(t *testing.T) {
		type plain struct{ pipeline.Store }
		st := plain{pipelinetest.NewMemStore()}
		e := setup(t, nil, st)
		_, err := e.Win(ctx, ann, "d1", &pipeline.CommandOptions{IdempotencyKey: "k"})
		assert.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), "no idempotency store")
		assert.Contains(t, err.Error(), "Options.Idempotency", "the error says how to give the engine one")
	})
	t.Run("err_outcome_store_fails", func(t *testing.T) {
		boom := errors.New("outcomes down")
		type plain struct{ pipeline.Store }
		st := plain{pipelinetest.NewMemStore()}
		e := setup(t, &pipeline.Options{Idempotency: failingOutcomes{boom}}, st)
		_, err := e.Win(ctx, ann, "d1", &pipeline.CommandOptions{IdempotencyKey: "k"})
		assert.ErrorIs(t, err, boom)
	})
	t.Run("err_corrupt_outcome", func(t *testing.T) {
		mem := pipelinetest.NewMemStore()
		e := setup(t, nil, mem)
		_, err := e.Win(ctx, ann, "d1", &pipeline.CommandOptions{IdempotencyKey: "k"})
		require.NoError(t, err)
		o, err := mem.GetOutcome(ctx, "k")
		require.NoError(t, err)
		o.Key, o.Result = "k2", json.RawMessage(`{"version":"x"}`)
		require.NoError(t, mem.AddOutcome(ctx, o))
		_, err = e.Win(ctx, ann, "d1", &pipeline.CommandOptions{IdempotencyKey: "k2"})
		assert.Error(t, err)
	})
}

type failingOutcomes struct{ err error }

func (f failingOutcomes) GetOutcome(context.Context, string) (pipeline.Outcome, error) {
	return pipeline.Outcome{}, f.err
}
func (f failingOutcomes) AddOutcome(context.Context, pipeline.Outcome) error { return f.err }

func TestEngineOptionsAndFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("err_nil_pipeline", func(t *testing.T) {
		_, err := pipeline.NewEngine(nil, nil, &pipeline.Options{Pipelines: []*pipeline.Definition{nil}})
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
	t.Run("err_zero_pipeline", func(t *testing.T) {
		// A Definition not built by NewDefinition would replace the default
		// pipeline with one on which every deal command fails.
		_, err := pipeline.NewEngine(nil, nil, &pipeline.Options{Pipelines: []*pipeline.Definition{{}}})
		assert.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "pipelines[0]", ve.Field)
	})
	t.Run("err_duplicate_pipeline", func(t *testing.T) {
		p := pipeline.DefaultDefinition()
		_, err := pipeline.NewEngine(nil, nil, &pipeline.Options{Pipelines: []*pipeline.Definition{p, p}})
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
	t.Run("no_stores", func(t *testing.T) {
		e, err := pipeline.NewEngine(nil, nil, nil)
		require.NoError(t, err)
		_, ok := e.Pipeline("")
		assert.True(t, ok)
		_, ok = e.Pipeline("x")
		assert.False(t, ok)
		checks := []error{}
		_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i"), nil)
		checks = append(checks, err)
		_, err = e.Qualify(ctx, system, "i", nil)
		checks = append(checks, err)
		_, _, err = e.Convert(ctx, system, "i", pipeline.Conversion{}, nil)
		checks = append(checks, err)
		_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d"), nil)
		checks = append(checks, err)
		_, err = e.Win(ctx, system, "d", nil)
		checks = append(checks, err)
		_, err = e.GetInquiry(ctx, "i")
		checks = append(checks, err)
		_, err = e.GetDeal(ctx, "d")
		checks = append(checks, err)
		for _, err := range e.ListInquiries(ctx, pipeline.InquiryFilter{}) {
			checks = append(checks, err)
		}
		for _, err := range e.ListDeals(ctx, pipeline.DealFilter{}) {
			checks = append(checks, err)
		}
		for _, err := range e.Overdue(ctx, pipeline.FollowUpPolicy{FirstContact: time.Hour}, pipeline.InquiryFilter{}) {
			checks = append(checks, err)
		}
		require.Len(t, checks, 10)
		for i, err := range checks {
			assert.ErrorIs(t, err, sp.ErrInvalid, "check %d", i)
		}
		mem := pipelinetest.NewMemStore()
		onlyDeals, err := pipeline.NewEngine(nil, mem, nil)
		require.NoError(t, err)
		_, _, err = onlyDeals.Convert(ctx, system, "i", pipeline.Conversion{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
		onlyInquiries, err := pipeline.NewEngine(mem, nil, nil)
		require.NoError(t, err)
		_, _, err = onlyInquiries.Convert(ctx, system, "i", pipeline.Conversion{}, nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
	t.Run("publisher_failure_keeps_the_change", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		s.Events.Err = errors.New("queue full")
		d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		assert.ErrorIs(t, err, s.Events.Err)
		assert.Contains(t, err.Error(), "stored at version 1")
		assert.Equal(t, int64(1), d.Version)
		_, err = s.Engine.GetDeal(ctx, "d1")
		assert.NoError(t, err)
	})
	t.Run("publisher_failure_is_not_retried_by_a_keyed_retry", func(t *testing.T) {
		// At most once without an Outbox: the change and its outcome are
		// stored, so a retry with the key replays the outcome and the event
		// the Publisher refused is not published again.
		s := pipelinetest.NewScenario(t, nil)
		s.Events.Err = errors.New("queue full")
		key := &pipeline.CommandOptions{IdempotencyKey: "k-open"}
		_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), key)
		assert.ErrorIs(t, err, s.Events.Err)
		s.Events.Err = nil
		d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), key)
		require.NoError(t, err, "the retry replays the stored outcome")
		assert.Equal(t, int64(1), d.Version)
		assert.Len(t, s.Events.Events(), 1, "only the refused attempt: the retry publishes nothing")
	})
	t.Run("event_ids_from_host", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, &pipeline.Options{EventID: func(kind, id string, v int64) string {
			return fmt.Sprintf("%s:%s:%d", kind, id, v)
		}})
		_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		assert.Equal(t, "deal:d1:1", s.Events.Events()[0].ID)
	})
	t.Run("custom_default_pipeline", func(t *testing.T) {
		spec := pipeline.DefaultSpec()
		spec.Stages[0].Probability = dec("0.05")
		s := pipelinetest.NewScenario(t, &pipeline.Options{Pipelines: []*pipeline.Definition{pipeline.MustDefinition(spec)}})
		d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		assert.Equal(t, "0.05", d.Probability.String())
	})
	t.Run("advance_meets_the_gates_of_skipped_stages", func(t *testing.T) {
		spec := pipeline.DefaultSpec()
		spec.Stages[2].Gates = []pipeline.Gate{{Name: "a review", Check: func(context.Context, *pipeline.Deal, pipeline.Transition[pipeline.DealStage]) error {
			return errors.New("not reviewed")
		}}}
		s := pipelinetest.NewScenario(t, &pipeline.Options{Pipelines: []*pipeline.Definition{pipeline.MustDefinition(spec)}})
		_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		_, err = s.Engine.Advance(ctx, system, "d1", pipeline.DealNegotiation, nil)
		var te *pipeline.TransitionError
		require.ErrorAs(t, err, &te, "negotiation skips the gated proposal")
		assert.Equal(t, "a review", te.Guard)
	})
	t.Run("conflict_is_reported", func(t *testing.T) {
		mem := pipelinetest.NewMemStore()
		st := &racingStore{Store: mem}
		e, err := pipeline.NewEngine(st, st, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		st.race = func() {
			d, _ := mem.GetDeal(ctx, "d1")
			d.Version++
			_ = mem.UpdateDeal(ctx, d, d.Version-1)
		}
		_, err = e.Advance(ctx, system, "d1", pipeline.DealProposal, nil)
		assert.ErrorIs(t, err, sp.ErrConflict)
		err = pipelinetest.Retry(3, func() error {
			_, err := e.Advance(ctx, system, "d1", pipeline.DealProposal, nil)
			return err
		})
		assert.NoError(t, err)
	})
	t.Run("cancelled_context", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := s.Engine.OpenDeal(cctx, system, pipelinetest.NewDeal("d1"), nil)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// racingStore lets another writer in between the engine's read and write.
type racingStore struct {
	pipeline.Store
	race func()
}

func (r *racingStore) GetDeal(ctx context.Context, id sp.DealID) (pipeline.Deal, error) {
	d, err := r.Store.GetDeal(ctx, id)
	if r.race != nil {
		race := r.race
		r.race = nil
		race()
	}
	return d, err
}

func TestOverdue(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	for _, id := range []sp.InquiryID{"i1", "i2", "i3"} {
		in := pipelinetest.NewInquiry(id)
		_, err := e.ReceiveInquiry(ctx, system, in, nil)
		require.NoError(t, err)
	}
	_, err := e.Contact(ctx, system, "i2", pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = e.Disqualify(ctx, system, "i3", "spam", nil)
	require.NoError(t, err)
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 48 * time.Hour}
	s.Clock.Set(pipelinetest.Epoch().Add(5 * time.Hour))
	var got []pipeline.Overdue
	for o, err := range e.Overdue(ctx, p, pipeline.InquiryFilter{}) {
		require.NoError(t, err)
		got = append(got, o)
	}
	require.Len(t, got, 1)
	assert.Equal(t, sp.InquiryID("i1"), got[0].Inquiry)
	assert.True(t, got[0].FirstContact)
	assert.Equal(t, time.Hour, got[0].Late)

	s.Clock.Set(pipelinetest.Epoch().Add(60 * time.Hour))
	got = nil
	for o, err := range e.Overdue(ctx, p, pipeline.InquiryFilter{}) {
		require.NoError(t, err)
		got = append(got, o)
	}
	require.Len(t, got, 2)
	assert.False(t, got[1].FirstContact)
	n := 0
	for range e.Overdue(ctx, p, pipeline.InquiryFilter{}) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestDealEventDecimal(t *testing.T) {
	ev := pipeline.DealEvent{Deal: "d", Probability: decimal.New(25, -2), Amount: eur("1.50")}
	raw, err := json.Marshal(ev)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"probability":"0.25"`)
	assert.Contains(t, string(raw), `"amount":{"amount":"1.50","currency":"EUR"}`)
}

// TestNilInputs checks that nil receivers and records fail with an error
// wrapping ErrInvalid instead of panicking.
func TestNilInputs(t *testing.T) {
	ctx := context.Background()
	var e *pipeline.Engine
	_, err := e.Win(ctx, system, "d1", nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{}, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, ok := e.Pipeline("")
	assert.False(t, ok)
	for _, err := range e.Overdue(ctx, pipeline.FollowUpPolicy{}, pipeline.InquiryFilter{}) {
		assert.ErrorIs(t, err, sp.ErrInvalid)
	}

	// A nil *DefaultPolicy is the default policy, as a nil PolicyFunc is.
	store := pipelinetest.NewMemStore()
	withNilPolicy, err := pipeline.NewEngine(store, store, &pipeline.Options{Policy: (*pipeline.DefaultPolicy)(nil)})
	require.NoError(t, err)
	_, err = withNilPolicy.OpenDeal(ctx, sp.RepActor(pipelinetest.RepAnn), pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = withNilPolicy.Advance(ctx, sp.RepActor("rep-other"), "d1", pipeline.DealQualification, nil)
	assert.ErrorIs(t, err, sp.ErrForbidden)

	var p *pipeline.Definition
	def := pipeline.DefaultDefinition()
	for _, run := range []func(*pipeline.Definition, *pipeline.Deal) error{
		func(p *pipeline.Definition, d *pipeline.Deal) error { return p.Start(d, stamp(0)) },
		func(p *pipeline.Definition, d *pipeline.Deal) error { return p.Advance(ctx, d, "proposal", stamp(0)) },
		func(p *pipeline.Definition, d *pipeline.Deal) error { return p.Win(ctx, d, "", stamp(0)) },
		func(p *pipeline.Definition, d *pipeline.Deal) error {
			return p.Lose(ctx, d, "", pipeline.LossReason{Category: pipeline.LossOther, Detail: "x"}, stamp(0))
		},
		func(p *pipeline.Definition, d *pipeline.Deal) error { return p.Reopen(ctx, d, "proposal", stamp(0)) },
		func(p *pipeline.Definition, d *pipeline.Deal) error { return p.Override(d, dec("0.5")) },
		func(p *pipeline.Definition, d *pipeline.Deal) error { return p.ResetProbability(d) },
	} {
		assert.ErrorIs(t, run(p, &pipeline.Deal{}), sp.ErrInvalid)
		assert.ErrorIs(t, run(def, nil), sp.ErrInvalid)
	}

	m := pipeline.NewServiceMachine()
	var s *pipeline.Service
	assert.ErrorIs(t, m.Start(s, stamp(0)), sp.ErrInvalid)
	assert.ErrorIs(t, m.Fire(ctx, s, pipeline.ServiceDelivered, stamp(0)), sp.ErrInvalid)
	assert.ErrorIs(t, pipeline.NewInquiryMachine().Fire(ctx, (*pipeline.Inquiry)(nil), pipeline.InquiryContacted, stamp(0)), sp.ErrInvalid)
	assert.ErrorIs(t, pipeline.DefaultDefinition().Machine().Fire(ctx, (*pipeline.Deal)(nil), pipeline.DealProposal, stamp(0)), sp.ErrInvalid)
}

// TestClockSteppingBack checks that a clock reading earlier than a
// record's last transition (stepped back, or another host's) does not
// write a history that goes back in time: the change takes the time of
// that transition.
func TestClockSteppingBack(t *testing.T) {
	ctx := context.Background()
	clock := pipelinetest.NewClock()
	s := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: clock})
	require.NoError(t, err)
	sys := pipelinetest.System()

	in, err := e.ReceiveInquiry(ctx, sys, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	received := in.History[0].At
	clock.Set(received.Add(-time.Hour))
	in, err = e.Contact(ctx, sys, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	assert.Equal(t, received, in.History[1].At)
	require.NoError(t, pipeline.CheckHistory(in.Stage, in.History))

	d, err := e.OpenDeal(ctx, sys, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	opened := d.History[0].At
	clock.Set(opened.Add(-time.Hour))
	d, err = e.Win(ctx, sys, "d1", nil)
	require.NoError(t, err)
	assert.Equal(t, opened, d.History[len(d.History)-1].At)
	assert.Equal(t, opened, d.Closed)
	require.NoError(t, pipeline.CheckHistory(d.Stage, d.History))

	clock.Set(opened.Add(2 * time.Hour))
	d, err = e.Deliver(ctx, sys, "d1", nil)
	require.NoError(t, err)
	delivered := d.Service.History[len(d.Service.History)-1].At
	clock.Set(opened)
	d, err = e.FollowUp(ctx, sys, "d1", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, delivered, d.Service.History[len(d.Service.History)-1].At, "after the service's own last transition")
}

// A refused command's error names the package once, then the command, then
// why: the policy's or the eligibility's own "pipeline: " is not repeated.
func TestRefusalsArePrefixedOnce(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, &pipeline.Options{
		Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}},
	})
	_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)

	_, err = s.Engine.Contact(ctx, pipelinetest.Rep(pipelinetest.RepBob), "i1", pipeline.Activity{}, nil)
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Equal(t, `pipeline: contact inquiry "i1": rep "rep-bob" does not own inquiry "i1": salesprocess: forbidden`, err.Error())

	_, err = s.Engine.ReopenInquiry(ctx, pipelinetest.Rep(pipelinetest.RepAnn), "i1", nil)
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Equal(t, `pipeline: reopen_inquiry inquiry "i1": reopening an inquiry is a manager's act, not rep "rep-ann"'s: salesprocess: forbidden`, err.Error())

	_, err = s.Engine.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Equal(t, `pipeline: assign inquiry "i1": rep "rep-bob" may not own work for product "widget": pipelinetest: rep "rep-bob" is not certified for "widget": salesprocess: forbidden`, err.Error())
}

// The deal OpenDeal and SetTerms return, and the one they store, have lines
// of their own: a caller reusing the slice it passed changes neither.
func TestDealLinesAreTheEnginesOwn(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	in := pipelinetest.NewDeal("d1")
	got, err := e.OpenDeal(ctx, system, in, nil)
	require.NoError(t, err)
	in.Lines[0].Quantity = 99
	assert.Equal(t, int64(10), got.Lines[0].Quantity, "the deal OpenDeal returned")
	stored, err := e.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, int64(10), stored.Lines[0].Quantity, "the stored deal")

	lines := []pipeline.Line{{Product: pipelinetest.ProductWidget, Quantity: 2, UnitPrice: pipelinetest.MustEUR("50.00")}}
	got, err = e.SetTerms(ctx, system, "d1", pipeline.Terms{Lines: lines}, nil)
	require.NoError(t, err)
	lines[0].Quantity = 99
	assert.Equal(t, int64(2), got.Lines[0].Quantity, "the deal SetTerms returned")
	assert.Equal(t, "100.00 EUR", got.Amount.String())
	stored, err = e.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), stored.Lines[0].Quantity, "the stored deal")
}

// A command whose argument the engine's Definition refuses names the
// command once: the Definition's own "lose deal" or "override_probability deal"
// is not repeated after the engine's prefix. Nothing is stored.
func TestArgumentErrorsNameTheCommandOnce(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)

	_, err = s.Engine.Lose(ctx, system, "d1", pipeline.LossReason{Category: "weather", Detail: "rain"}, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, 1, strings.Count(err.Error(), `deal "d1"`), "%v", err)
	assert.True(t, strings.HasPrefix(err.Error(), `pipeline: lose deal "d1": `), "%v", err)

	_, err = s.Engine.OverrideProbability(ctx, system, "d1", decimal.New(15, -1), nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, 1, strings.Count(err.Error(), `deal "d1"`), "%v", err)
	assert.True(t, strings.HasPrefix(err.Error(), `pipeline: override_probability deal "d1": `), "%v", err)

	d, err := s.Engine.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), d.Version, "nothing stored")
}

// Lines in several currencies are a bad argument like any other: a
// *sp.ValidationError naming the first line in another currency, wrapping
// sp.ErrInvalid, and sp.ErrCurrencyMismatch as well; nothing is stored.
func TestMixedCurrencyLinesAreABadArgument(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	usd, err := sp.ParseMoney("5 USD")
	require.NoError(t, err)
	mixed := append(pipelinetest.NewDeal("d1").Lines, pipeline.Line{Product: "gadget", Quantity: 1, UnitPrice: usd})
	check := func(err error, field string) {
		t.Helper()
		require.ErrorIs(t, err, sp.ErrInvalid)
		require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
	}
	d := pipelinetest.NewDeal("d2")
	d.Lines = mixed
	_, err = s.Engine.OpenDeal(ctx, system, d, nil)
	check(err, fmt.Sprintf("lines[%d].unit_price", len(mixed)-1))
	_, err = s.Engine.GetDeal(ctx, "d2")
	require.ErrorIs(t, err, sp.ErrNotFound)

	_, err = s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.SetTerms(ctx, system, "d1", pipeline.Terms{Lines: mixed}, nil)
	check(err, fmt.Sprintf("terms.lines[%d].unit_price", len(mixed)-1))
	got, err := s.Engine.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Version, "nothing stored")
}

// A bad argument is refused before the record is read: an empty disqualify
// reason, a bad loss or probability, on a record that does not exist, is
// ErrInvalid, not ErrNotFound.
func TestArgumentsCheckedBeforeReading(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.Disqualify(ctx, system, "nowhere", "", nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.NotErrorIs(t, err, sp.ErrNotFound)
	assert.True(t, strings.HasPrefix(err.Error(), `pipeline: disqualify inquiry "nowhere": `), "%v", err)
	_, err = s.Engine.Lose(ctx, system, "nowhere", pipeline.LossReason{}, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.NotErrorIs(t, err, sp.ErrNotFound)
	_, err = s.Engine.OverrideProbability(ctx, system, "nowhere", decimal.New(-1, 0), nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.NotErrorIs(t, err, sp.ErrNotFound)
}

// A time whose zone is a day or more off UTC has no RFC 3339 form (the
// offset's hours have two digits, up to 23): an activity done at one is
// refused, and nothing is stored, where the deal was stored with it and
// the command then failed on its event. An offset just short of a day is
// fine.
func TestActivityInAZoneADayOffIsRefused(t *testing.T) {
	ctx := context.Background()
	for name, offset := range map[string]int{
		"a_day_ahead":   24 * 3600,
		"a_day_behind":  -24 * 3600,
		"ok_just_short": 23*3600 + 59*60,
	} {
		t.Run(name, func(t *testing.T) {
			s := fixture(t, nil)
			before, events := snapshot(t, s), len(s.Events.Events())
			at := pipelinetest.Epoch().In(time.FixedZone("far", offset))
			_, err := s.Engine.LogDealActivity(ctx, system, dOpen, pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Done: at}, nil)
			if strings.HasPrefix(name, "ok") {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Equal(t, before, snapshot(t, s), "the store changed")
			assert.Len(t, s.Events.Events(), events, "an event was published")
		})
	}
}

// The outcome of a keyed command holds, as its Result, the JSON of what the
// command returned: the record, or for a conversion both records, under
// "inquiry" and "deal".
func TestOutcomeResultIsWhatTheCommandReturned(t *testing.T) {
	ctx := context.Background()
	s := fixture(t, nil)
	in, d, err := s.Engine.Convert(ctx, system, iQualified, pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("900")}},
		&pipeline.CommandOptions{IdempotencyKey: "k-convert"})
	require.NoError(t, err)
	o, err := s.Store.GetOutcome(ctx, "k-convert")
	require.NoError(t, err)
	want, err := json.Marshal(map[string]any{"inquiry": in, "deal": d})
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(o.Result))
	assert.Equal(t, string(iQualified), o.Subject)
	assert.Equal(t, in.Version, o.Version)

	won, err := s.Engine.Win(ctx, system, dOpen, &pipeline.CommandOptions{IdempotencyKey: "k-win"})
	require.NoError(t, err)
	o, err = s.Store.GetOutcome(ctx, "k-win")
	require.NoError(t, err)
	want, err = json.Marshal(won)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(o.Result))
}

// The listings of the engine prefix their store's errors, as GetInquiry
// and GetDeal do, and keep what they wrap.
func TestListingsPrefixTheStoresErrors(t *testing.T) {
	s := pipelinetest.NewScenario(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errs []error
	for _, err := range s.Engine.ListInquiries(ctx, pipeline.InquiryFilter{}) {
		errs = append(errs, err)
	}
	for _, err := range s.Engine.ListDeals(ctx, pipeline.DealFilter{}) {
		errs = append(errs, err)
	}
	for _, err := range s.Engine.Overdue(ctx, pipeline.FollowUpPolicy{FirstContact: time.Hour}, pipeline.InquiryFilter{}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 3)
	for i, want := range []string{"pipeline: list inquiries: ", "pipeline: list deals: ", "pipeline: list inquiries: "} {
		assert.ErrorIs(t, errs[i], context.Canceled)
		assert.True(t, strings.HasPrefix(errs[i].Error(), want), "%v", errs[i])
	}
}

// ReceiveInquiry refuses an inquiry that already has a version, as
// OpenDeal refuses such a deal, instead of storing it at version 1 as if
// it were new.
func TestReceiveRefusesAVersion(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	in := pipelinetest.NewInquiry("i1")
	in.Version = 7
	_, err := s.Engine.ReceiveInquiry(ctx, system, in, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	_, err = s.Engine.GetInquiry(ctx, "i1")
	assert.ErrorIs(t, err, sp.ErrNotFound, "stored")
	assert.Empty(t, s.Events.Events())

	d := pipelinetest.NewDeal("d1")
	d.Version = 7
	_, err = s.Engine.OpenDeal(ctx, system, d, nil)
	assert.ErrorIs(t, err, sp.ErrInvalid, "as OpenDeal")
}

// An assignment to a malformed rep is invalid input, refused before the
// record is read: not a refusal the Policy makes and OnRefused reports,
// nor a missing record.
func TestAssignmentToAMalformedRepIsInvalid(t *testing.T) {
	ctx := context.Background()
	audit := &auditLog{}
	s := fixture(t, &pipeline.Options{OnRefused: audit.record})
	asked := false
	inner := pipeline.DefaultPolicy{}
	s2 := fixture(t, &pipeline.Options{Policy: pipeline.PolicyFunc(func(ctx context.Context, a sp.Actor, cmd pipeline.Command, tg pipeline.Target) error {
		if cmd == pipeline.CmdAssign && tg.NewOwner == "" {
			asked = true
		}
		return inner.Authorize(ctx, a, cmd, tg)
	})})
	for _, e := range []*pipeline.Engine{s.Engine, s2.Engine} {
		for name, run := range map[string]func(by sp.Actor, inq sp.InquiryID, deal sp.DealID) error{
			"inquiry": func(by sp.Actor, inq sp.InquiryID, _ sp.DealID) error {
				_, err := e.AssignInquiry(ctx, by, inq, "", nil)
				return err
			},
			"deal": func(by sp.Actor, _ sp.InquiryID, deal sp.DealID) error {
				_, err := e.AssignDeal(ctx, by, deal, "", nil)
				return err
			},
		} {
			err := run(bob, iNew, dOpen)
			assert.ErrorIs(t, err, sp.ErrInvalid, "%s, by a rep the policy refuses", name)
			assert.NotErrorIs(t, err, sp.ErrForbidden, name)
			err = run(system, "nowhere", "nowhere")
			assert.ErrorIs(t, err, sp.ErrInvalid, "%s, on a missing record", name)
			assert.NotErrorIs(t, err, sp.ErrNotFound, name)
		}
	}
	assert.Empty(t, audit.refusals(), "reported as refusals")
	assert.False(t, asked, "the policy was asked about an empty new owner")
}

// An inquiry received later than the engine's clock reads would have its
// first contact timed before its receipt, which FirstContact ignores, and
// Overdue would report it as still awaiting first contact: ReceiveInquiry
// refuses it, with a key or without, and stores nothing. Received equal to
// the engine's time is fine.
func TestReceiveInquiryRefusesAReceiptAfterNow(t *testing.T) {
	ctx := context.Background()
	for _, key := range []string{"", "k-receive"} {
		t.Run("key="+key, func(t *testing.T) {
			now := pipelinetest.Epoch()
			rec := &pipelinetest.Recorder{}
			mem := pipelinetest.NewMemStore()
			e, err := pipeline.NewEngine(mem, mem, &pipeline.Options{Clock: sp.FixedClock(now), Publisher: rec})
			require.NoError(t, err)
			opts := &pipeline.CommandOptions{IdempotencyKey: key}
			in := pipelinetest.NewInquiry("i1")
			in.Received = now.Add(time.Second)
			_, err = e.ReceiveInquiry(ctx, system, in, opts)
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.ErrorContains(t, err, "received")
			_, err = mem.GetInquiry(ctx, "i1")
			require.ErrorIs(t, err, sp.ErrNotFound, "nothing stored")
			assert.Empty(t, rec.Types(), "nothing published")

			in.Received = now
			got, err := e.ReceiveInquiry(ctx, system, in, opts)
			require.NoError(t, err, "a receipt at the engine's time")
			assert.True(t, got.Received.Equal(now))
		})
	}
}

// nilListings is a store whose listings are nil iterators.
type nilListings struct{ *pipelinetest.MemStore }

func (nilListings) ListInquiries(context.Context, pipeline.InquiryFilter) iter.Seq2[pipeline.Inquiry, error] {
	return nil
}

func (nilListings) ListDeals(context.Context, pipeline.DealFilter) iter.Seq2[pipeline.Deal, error] {
	return nil
}

// The listings of the engine over a store that returns a nil iterator
// yield nothing rather than panic, as no public function of the engine
// does.
func TestListingsOfANilIteratorYieldNothing(t *testing.T) {
	ctx := context.Background()
	st := nilListings{pipelinetest.NewMemStore()}
	e, err := pipeline.NewEngine(st, st, nil)
	require.NoError(t, err)
	n := 0
	require.NotPanics(t, func() {
		for range e.ListInquiries(ctx, pipeline.InquiryFilter{}) {
			n++
		}
		for range e.ListDeals(ctx, pipeline.DealFilter{}) {
			n++
		}
	})
	assert.Zero(t, n)
}

// ReceiveInquiry refuses a negative version too: the inquiry it records
// has no version yet, and stores nothing.
func TestReceiveRefusesANegativeVersion(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	in := pipelinetest.NewInquiry("i1")
	in.Version = -1
	_, err := s.Engine.ReceiveInquiry(ctx, system, in, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	_, err = s.Engine.GetInquiry(ctx, "i1")
	assert.ErrorIs(t, err, sp.ErrNotFound, "stored")
	assert.Empty(t, s.Events.Events())
}

// The arguments a command checks before it reads its record give errors
// prefixed "pipeline: ", the command and the record, as its other errors
// are.
func TestArgumentErrorsNameTheCommand(t *testing.T) {
	ctx := context.Background()
	s := fixture(t, nil)
	e := s.Engine
	bad := pipeline.Terms{Amount: pipelinetest.MustEUR("-1")}
	badProb := pipelinetest.NewDeal("d-new")
	badProb.Probability = decimal.New(1, -100)
	for want, run := range map[string]func() error{
		`pipeline: assign inquiry "` + string(iNew) + `": `:  func() error { _, err := e.AssignInquiry(ctx, system, iNew, "", nil); return err },
		`pipeline: assign deal "` + string(dOpen) + `": `:    func() error { _, err := e.AssignDeal(ctx, system, dOpen, "", nil); return err },
		`pipeline: set_terms deal "` + string(dOpen) + `": `: func() error { _, err := e.SetTerms(ctx, system, dOpen, bad, nil); return err },
		`pipeline: convert inquiry "` + string(iQualified) + `": `: func() error {
			_, _, err := e.Convert(ctx, system, iQualified, pipeline.Conversion{Terms: bad}, nil)
			return err
		},
		`pipeline: open deal "d-new": `: func() error { _, err := e.OpenDeal(ctx, system, badProb, nil); return err },
	} {
		err := run()
		require.ErrorIs(t, err, sp.ErrInvalid, want)
		assert.True(t, strings.HasPrefix(err.Error(), want), "%v, want the prefix %s", err, want)
	}
}

// TestEngineNilContextNamesOperation: the engine's reads given a nil
// context refuse it with an error that names the operation, as their other
// errors do, wrapping sp.ErrInvalid with the field "ctx".
func TestEngineNilContextNamesOperation(t *testing.T) {
	mem := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(mem, mem, nil)
	require.NoError(t, err)
	var nilCtx context.Context
	firstErr := func(seq func(yield func(error) bool)) error {
		var got error
		seq(func(err error) bool { got = err; return false })
		return got
	}
	for _, tc := range []struct {
		op  string
		run func() error
	}{
		{"get inquiry", func() error { _, err := e.GetInquiry(nilCtx, "i1"); return err }},
		{"get deal", func() error { _, err := e.GetDeal(nilCtx, "d1"); return err }},
		{"list inquiries", func() error {
			return firstErr(func(yield func(error) bool) {
				for _, err := range e.ListInquiries(nilCtx, pipeline.InquiryFilter{}) {
					if !yield(err) {
						return
					}
				}
			})
		}},
		{"list deals", func() error {
			return firstErr(func(yield func(error) bool) {
				for _, err := range e.ListDeals(nilCtx, pipeline.DealFilter{}) {
					if !yield(err) {
						return
					}
				}
			})
		}},
		{"overdue", func() error {
			return firstErr(func(yield func(error) bool) {
				for _, err := range e.Overdue(nilCtx, pipeline.FollowUpPolicy{}, pipeline.InquiryFilter{}) {
					if !yield(err) {
						return
					}
				}
			})
		}},
	} {
		err := tc.run()
		require.ErrorIs(t, err, sp.ErrInvalid, tc.op)
		require.EqualError(t, err, "pipeline: "+tc.op+": invalid ctx: nil context", tc.op)
	}
}

// A clock's time is stamped without its monotonic reading, which the
// store drops: compared with one, a stored time read back would compare
// by wall clock, and a clock stepped back would go unseen.
func TestEngineStampsWallClockTimes(t *testing.T) {
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: sp.ClockFunc(time.Now)})
	require.NoError(t, err)
	in, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	in, err = e.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	require.NoError(t, err)
	require.Len(t, in.History, 1)
	for _, at := range []time.Time{in.Received, in.History[0].At} {
		assert.NotContains(t, at.String(), "m=", "a monotonic reading kept")
	}
}

// Terms with lines may give their total as the amount too, as a form that
// sends both does; another amount is refused, not replaced by the total.
func TestTermsAmountBesideLines(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	lines := []pipeline.Line{{Product: pipelinetest.ProductWidget, Quantity: 3, UnitPrice: pipelinetest.MustEUR("100.00")}}
	d, err = s.Engine.SetTerms(ctx, system, d.ID, pipeline.Terms{Lines: lines, Amount: pipelinetest.MustEUR("300")}, nil)
	require.NoError(t, err, "the lines' total, written otherwise")
	assert.Equal(t, "300.00 EUR", d.Amount.String())
	_, err = s.Engine.SetTerms(ctx, system, d.ID, pipeline.Terms{Lines: lines, Amount: pipelinetest.MustEUR("250.00")}, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorContains(t, err, "invalid terms.amount: 250.00 EUR, where the lines total 300.00 EUR")
	got, err := s.Engine.GetDeal(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, d.Version, got.Version, "nothing changed")
}

// lookups counts the outcomes looked up, by key.
type lookups struct {
	pipeline.IdempotencyStore
	keys []string
}

func (l *lookups) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	l.keys = append(l.keys, key)
	return l.IdempotencyStore.GetOutcome(ctx, key)
}

// An amount beside lines that is not their total is refused once a keyed
// command has looked up its key: a command that an earlier release took
// and stored with such terms replays on a retry after the upgrade, rather
// than being refused.
func TestTermsAmountIsJudgedAfterTheReplay(t *testing.T) {
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	seen := &lookups{IdempotencyStore: store}
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: seen})
	require.NoError(t, err)
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = e.Contact(ctx, system, "i1", pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
	require.NoError(t, err)
	_, err = e.Qualify(ctx, system, "i1", nil)
	require.NoError(t, err)
	lines := []pipeline.Line{{Product: pipelinetest.ProductWidget, Quantity: 3, UnitPrice: pipelinetest.MustEUR("100.00")}}
	terms := pipeline.Terms{Lines: lines, Amount: pipelinetest.MustEUR("250.00")}
	open := pipelinetest.NewDeal("d2")
	open.Lines, open.Amount = lines, terms.Amount
	for name, run := range map[string]func(key *pipeline.CommandOptions) error{
		"set_terms": func(key *pipeline.CommandOptions) error {
			_, err := e.SetTerms(ctx, system, "d1", terms, key)
			return err
		},
		"open": func(key *pipeline.CommandOptions) error {
			_, err := e.OpenDeal(ctx, system, open, key)
			return err
		},
		"convert": func(key *pipeline.CommandOptions) error {
			_, _, err := e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: terms}, key)
			return err
		},
	} {
		seen.keys = nil
		err := run(&pipeline.CommandOptions{IdempotencyKey: "k-" + name})
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		assert.ErrorContains(t, err, "250.00 EUR, where the lines total 300.00 EUR", name)
		assert.Contains(t, seen.keys, "k-"+name, "%s: the key was looked up first", name)
	}
}

// An amount beside lines in another currency than theirs wraps
// ErrCurrencyMismatch too.
func TestTermsAmountInAnotherCurrencyThanTheLines(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	usd, err := sp.ParseMoney("300.00 USD")
	require.NoError(t, err)
	lines := []pipeline.Line{{Product: pipelinetest.ProductWidget, Quantity: 3, UnitPrice: pipelinetest.MustEUR("100.00")}}
	_, err = s.Engine.SetTerms(ctx, system, d.ID, pipeline.Terms{Lines: lines, Amount: usd}, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "terms.amount", ve.Field)
}
