package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorTree returns err and every error it wraps, depth first.
func errorTree(err error) []error {
	if err == nil {
		return nil
	}
	all := []error{err}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		all = append(all, errorTree(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			all = append(all, errorTree(e)...)
		}
	}
	return all
}

// encodingCause returns the error json.Marshal meets encoding v, which
// refuses to be encoded, without the *json.MarshalerError around it: the
// error of v's MarshalJSON or MarshalText method, or, for a time.Time on
// Go 1.27, whose encoding/json encodes a time itself, that of the
// encoder.
func encodingCause(t *testing.T, v any) error {
	t.Helper()
	_, err := json.Marshal(v)
	require.Error(t, err)
	if me, ok := err.(*json.MarshalerError); ok {
		return me.Err
	}
	return err
}

// checkEncodeError checks that err, of a command whose record or
// arguments hold a value that refuses to be encoded, wraps sp.ErrInvalid
// and the value's own error cause, without encoding/json's
// *json.MarshalerError around it or its wording.
func checkEncodeError(t *testing.T, err, cause error) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	var me *json.MarshalerError
	assert.False(t, errors.As(err, &me), "no *json.MarshalerError in %q", err)
	assert.NotContains(t, err.Error(), "json: error calling")
	assert.Contains(t, err.Error(), cause.Error())
	found := false
	for _, e := range errorTree(err) {
		found = found || (e.Error() == cause.Error() && errors.Is(e, sp.ErrInvalid) == errors.Is(cause, sp.ErrInvalid))
	}
	assert.True(t, found, "the value's own error %q is wrapped by %q", cause, err)
}

// storeFarInquiry stores, as a host store may hold it, the inquiry i1 at
// version 1 received in a year [time.Time.MarshalJSON] refuses, and
// returns that refusal.
func storeFarInquiry(t *testing.T, st pipeline.InquiryStore) error {
	t.Helper()
	far := time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
	in := pipelinetest.NewInquiry("i1")
	in.Received, in.Stage, in.Version = far, pipeline.InquiryNew, 1
	require.NoError(t, st.CreateInquiry(context.Background(), in))
	return encodingCause(t, far)
}

var callActivity = pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Done: pipelinetest.Epoch()}

// An event whose data cannot be encoded (a stored record holding a time
// or an enum its JSON refuses) is an error wrapping sp.ErrInvalid and the
// value's own error. The commands are keyed, so that they run in the
// MemStore's transaction, which the error rolls back: nothing changes.
func TestEventThatCannotBeEncodedWrapsTheCause(t *testing.T) {
	ctx := context.Background()
	t.Run("inquiry_event", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		cause := storeFarInquiry(t, s.Store)
		_, err := s.Engine.LogInquiryActivity(ctx, system, "i1", callActivity, keyed("k-ev"))
		checkEncodeError(t, err, cause)
		in, gerr := s.Store.GetInquiry(ctx, "i1")
		require.NoError(t, gerr)
		assert.Equal(t, int64(1), in.Version, "the inquiry is unchanged")
		assert.Empty(t, s.Events.Events())
	})
	t.Run("deal_event", func(t *testing.T) {
		deliverBadLoss(t, keyed("k-ev"))
	})
}

// deliverBadLoss stores a won deal d1 whose loss has a category its JSON
// refuses, as a host's store might hold, and checks that delivering it
// with opts fails with that refusal and changes nothing.
func deliverBadLoss(t *testing.T, opts *pipeline.CommandOptions) {
	t.Helper()
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	d, err := s.Engine.Win(ctx, system, "d1", nil)
	require.NoError(t, err)
	d.Loss = &pipeline.LossReason{Category: "vibes", Detail: "stored by the host"}
	d.Version++
	require.NoError(t, s.Store.UpdateDeal(ctx, d, d.Version-1))
	events := len(s.Events.Events())
	_, err = s.Engine.Deliver(ctx, system, "d1", opts)
	checkEncodeError(t, err, pipeline.LossCategory("vibes").Validate())
	got, gerr := s.Store.GetDeal(ctx, "d1")
	require.NoError(t, gerr)
	assert.Equal(t, d.Version, got.Version, "the deal is unchanged")
	assert.Len(t, s.Events.Events(), events)
}

// The outcome of a keyed command that cannot be encoded is an error
// wrapping sp.ErrInvalid and the value's own error, and changes nothing.
func TestOutcomeThatCannotBeEncodedWrapsTheCause(t *testing.T) {
	// No publisher and no outbox: no event is encoded before the outcome.
	st := pipelinetest.NewMemStore()
	logFarInquiryKeyed(t, st, st)
}

// logFarInquiryKeyed stores in mem an inquiry received in a year JSON
// refuses, logs an activity on it with a key through an engine on st
// (mem, or a store around it), without a Publisher, so that only the
// outcome is encoded, and checks that the command fails with that
// refusal and that neither the inquiry nor an outcome is stored.
func logFarInquiryKeyed(t *testing.T, st pipeline.Store, mem *pipelinetest.MemStore) {
	t.Helper()
	ctx := context.Background()
	e, err := pipeline.NewEngine(st, st, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	cause := storeFarInquiry(t, mem)
	_, err = e.LogInquiryActivity(ctx, system, "i1", callActivity, keyed("k-far"))
	checkEncodeError(t, err, cause)
	in, gerr := mem.GetInquiry(ctx, "i1")
	require.NoError(t, gerr)
	assert.Equal(t, int64(1), in.Version, "the inquiry is unchanged")
	_, gerr = mem.GetOutcome(ctx, "k-far")
	assert.ErrorIs(t, gerr, sp.ErrNotFound, "no outcome is recorded")
}

// storeFarQualified stores, in st, the qualified inquiry i1 received in a
// year [time.Time.MarshalJSON] refuses, and returns that refusal.
func storeFarQualified(t *testing.T, st pipeline.InquiryStore) error {
	t.Helper()
	cause := storeFarInquiry(t, st)
	ctx := context.Background()
	in, err := st.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	in.Stage, in.Version = pipeline.InquiryQualified, 2
	require.NoError(t, st.UpdateInquiry(ctx, in, 1))
	return cause
}

// A change whose event or outcome cannot be encoded fails the command
// before anything is written, wherever the command writes it: outside any
// transaction too (a command without a key, a store without transactions,
// inquiries kept apart from the deals), with the error of the value that
// cannot be encoded, and no event.
func TestChangeThatCannotBeEncodedIsNotStored(t *testing.T) {
	ctx := context.Background()
	t.Run("inquiry_update_unkeyed", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		cause := storeFarInquiry(t, s.Store)
		_, err := s.Engine.LogInquiryActivity(ctx, system, "i1", callActivity, nil)
		checkEncodeError(t, err, cause)
		in, gerr := s.Store.GetInquiry(ctx, "i1")
		require.NoError(t, gerr)
		assert.Equal(t, int64(1), in.Version, "the inquiry is unchanged")
		assert.Empty(t, in.Activities)
		assert.Empty(t, s.Events.Events())
	})
	t.Run("deal_update_unkeyed", func(t *testing.T) {
		deliverBadLoss(t, nil)
	})
	t.Run("deal_hook_unkeyed", func(t *testing.T) {
		// A host's hook that sets a value the event cannot hold.
		far := time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
		spec := pipeline.DefaultSpec()
		spec.Name = "stamped"
		for i := range spec.Stages {
			if spec.Stages[i].Key == pipeline.DealProposal {
				spec.Stages[i].OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{
					func(d *pipeline.Deal, _ pipeline.Transition[pipeline.DealStage]) { d.Closed = far },
				}
			}
		}
		p, err := pipeline.NewDefinition(spec)
		require.NoError(t, err)
		s := pipelinetest.NewScenario(t, &pipeline.Options{Pipelines: []*pipeline.Definition{p}})
		nd := pipelinetest.NewDeal("d1")
		nd.Pipeline = "stamped"
		_, err = s.Engine.OpenDeal(ctx, system, nd, nil)
		require.NoError(t, err)
		events := len(s.Events.Events())
		_, err = s.Engine.Advance(ctx, system, "d1", pipeline.DealProposal, nil)
		checkEncodeError(t, err, encodingCause(t, far))
		got, gerr := s.Store.GetDeal(ctx, "d1")
		require.NoError(t, gerr)
		assert.Equal(t, int64(1), got.Version, "the deal is unchanged")
		assert.Equal(t, pipeline.DealProspecting, got.Stage)
		assert.Len(t, s.Events.Events(), events)
	})
	t.Run("convert_inquiries_apart", func(t *testing.T) {
		// The inquiry's event cannot be encoded: the deal is not created.
		inquiries, deals := pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
		rec := &pipelinetest.Recorder{}
		e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock(), Publisher: rec})
		require.NoError(t, err)
		cause := storeFarQualified(t, inquiries)
		_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100")}}, nil)
		checkEncodeError(t, err, cause)
		_, gerr := deals.GetDeal(ctx, "i1")
		assert.ErrorIs(t, gerr, sp.ErrNotFound, "the deal is not created")
		in, gerr := inquiries.GetInquiry(ctx, "i1")
		require.NoError(t, gerr)
		assert.Equal(t, int64(2), in.Version, "the inquiry is unchanged")
		assert.Empty(t, rec.Events())
	})
	t.Run("outcome_without_transactions", func(t *testing.T) {
		// No Publisher: only the outcome is encoded, by a store that writes
		// each record at once.
		mem := pipelinetest.NewMemStore()
		logFarInquiryKeyed(t, faultStore{s: mem, f: &injector{}}, mem)
	})
	t.Run("convert_outcome_inquiries_apart", func(t *testing.T) {
		inquiries, deals := pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
		e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		cause := storeFarQualified(t, inquiries)
		_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100")}}, keyed("k-far"))
		checkEncodeError(t, err, cause)
		_, gerr := deals.GetDeal(ctx, "i1")
		assert.ErrorIs(t, gerr, sp.ErrNotFound, "the deal is not created")
		in, gerr := inquiries.GetInquiry(ctx, "i1")
		require.NoError(t, gerr)
		assert.Equal(t, int64(2), in.Version, "the inquiry is unchanged")
		_, gerr = deals.GetOutcome(ctx, "k-far")
		assert.ErrorIs(t, gerr, sp.ErrNotFound, "no outcome is recorded")
	})
}

// The MarshalJSON methods of pipeline's types, called directly, name the
// member that cannot be encoded below the type's name, with an error
// wrapping sp.ErrInvalid and the value's own error, not encoding/json's
// wrapper; json.Marshal of the value reaches both too.
func TestMarshalJSONErrorWrapsTheCause(t *testing.T) {
	far := time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
	farCause := encodingCause(t, far)
	unnamed := sp.Month(2026, time.March, time.FixedZone("", 3600))
	_, unnamedCause := unnamed.MarshalText()
	require.Error(t, unnamedCause)
	farActivity := &pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Due: far}
	for name, tc := range map[string]struct {
		v     json.Marshaler
		cause error
		field string
	}{
		"deal_event_closed_far": {pipeline.DealEvent{Deal: "d1", Closed: far}, farCause, "deal_event.closed"},
		"deal_event_loss_unknown": {pipeline.DealEvent{Deal: "d1", Loss: &pipeline.LossReason{Category: "vibes"}},
			pipeline.LossCategory("vibes").Validate(), "deal_event.loss"},
		"deal_event_activity_far": {pipeline.DealEvent{Deal: "d1", Activity: farActivity}, farCause, "deal_event.activity.due"},
		"deal_event_feedback_far": {pipeline.DealEvent{Deal: "d1", Feedback: []sp.Feedback{{ID: "f1"}, {ID: "f2", Time: far}}},
			farCause, "deal_event.feedback[1]"},
		"inquiry_event_received_far": {pipeline.InquiryEvent{Inquiry: "i1", Received: far}, farCause, "inquiry_event.received"},
		"inquiry_event_stage_unknown": {pipeline.InquiryEvent{Inquiry: "i1", Stage: "vibes"},
			pipeline.InquiryStage("vibes").Validate(), "inquiry_event.stage"},
		"inquiry_event_activity_far": {pipeline.InquiryEvent{Inquiry: "i1", Activity: farActivity}, farCause, "inquiry_event.activity.due"},
		"deal_filter_stage_malformed": {pipeline.DealFilter{Stages: []pipeline.DealStage{pipeline.DealWon, "Not a key"}},
			pipeline.DealStage("Not a key").Validate(), "deal_filter.stages[1]"},
		"deal_filter_created_unnamed_zone": {pipeline.DealFilter{Created: unnamed}, unnamedCause, "deal_filter.created"},
		"deal_filter_closed_unnamed_zone":  {pipeline.DealFilter{Closed: unnamed}, unnamedCause, "deal_filter.closed"},
		"inquiry_filter_stage_unknown": {pipeline.InquiryFilter{Stages: []pipeline.InquiryStage{"vibes"}},
			pipeline.InquiryStage("vibes").Validate(), "inquiry_filter.stages[0]"},
		"inquiry_filter_received_unnamed_zone": {pipeline.InquiryFilter{Received: unnamed}, unnamedCause, "inquiry_filter.received"},
		"spec_stage_key_malformed": {pipeline.Spec{Stages: []pipeline.StageSpec{{Key: "open", Kind: pipeline.KindOpen}, {Key: "Not a key"}}},
			pipeline.DealStage("Not a key").Validate(), "spec.stages[1]"},
		"spec_stage_kind_unknown": {pipeline.Spec{Stages: []pipeline.StageSpec{{Key: "open", Kind: "vibes"}}},
			pipeline.StageKind("vibes").Validate(), "spec.stages[0]"},
		"spec_move_malformed": {pipeline.Spec{Moves: []pipeline.Move{{From: "a", To: "b"}, {From: "a", To: "B"}}},
			pipeline.DealStage("B").Validate(), "spec.moves[1]"},
		"spec_reopen_malformed": {pipeline.Spec{Reopen: []pipeline.Move{{From: "-", To: "a"}}},
			pipeline.DealStage("-").Validate(), "spec.reopen[0]"},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := tc.v.MarshalJSON()
			assert.Nil(t, raw)
			checkEncodeError(t, err, tc.cause)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field, "error: %v", err)
			assert.Equal(t, "cannot be encoded", ve.Reason, "error: %v", err)
			_, err = json.Marshal(tc.v)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), "invalid "+tc.field+": cannot be encoded: "+tc.cause.Error())
		})
	}
}

// InquiryEvent.MarshalJSON encodes what encoding/json encoded before the
// event had the method: every field, a zero time too.
func TestInquiryEventMarshalJSONKeepsTheForm(t *testing.T) {
	ev := pipeline.InquiryEvent{Inquiry: "i1", Version: 2, Stage: pipeline.InquiryNew, Region: "north",
		Activity: &callActivity}
	got, err := json.Marshal(ev)
	require.NoError(t, err)
	type plain pipeline.InquiryEvent
	want, err := json.Marshal(plain(ev))
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	assert.Contains(t, string(got), `"received":"0001-01-01T00:00:00Z"`)
	var back pipeline.InquiryEvent
	require.NoError(t, json.Unmarshal(got, &back))
	assert.Equal(t, ev.Inquiry, back.Inquiry)
	assert.True(t, back.Activity.Done.Equal(callActivity.Done))
}
