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
	_, cause := far.MarshalJSON()
	require.Error(t, cause)
	return cause
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
		s := pipelinetest.NewScenario(t, nil)
		_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		d, err := s.Engine.Win(ctx, system, "d1", nil)
		require.NoError(t, err)
		d.Loss = &pipeline.LossReason{Category: "vibes", Detail: "stored by the host"}
		d.Version++
		require.NoError(t, s.Store.UpdateDeal(ctx, d, d.Version-1))
		events := len(s.Events.Events())
		_, err = s.Engine.Deliver(ctx, system, "d1", keyed("k-ev"))
		checkEncodeError(t, err, pipeline.LossCategory("vibes").Validate())
		got, gerr := s.Store.GetDeal(ctx, "d1")
		require.NoError(t, gerr)
		assert.Equal(t, d.Version, got.Version, "the deal is unchanged")
		assert.Len(t, s.Events.Events(), events)
	})
}

// The outcome of a keyed command that cannot be encoded is an error
// wrapping sp.ErrInvalid and the value's own error, and changes nothing.
func TestOutcomeThatCannotBeEncodedWrapsTheCause(t *testing.T) {
	ctx := context.Background()
	st := pipelinetest.NewMemStore()
	// No publisher and no outbox: no event is encoded before the outcome.
	e, err := pipeline.NewEngine(st, st, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	cause := storeFarInquiry(t, st)
	_, err = e.LogInquiryActivity(ctx, system, "i1", callActivity, keyed("k-far"))
	checkEncodeError(t, err, cause)
	in, gerr := st.GetInquiry(ctx, "i1")
	require.NoError(t, gerr)
	assert.Equal(t, int64(1), in.Version, "the inquiry is unchanged")
	_, gerr = st.GetOutcome(ctx, "k-far")
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
		s := pipelinetest.NewScenario(t, nil)
		_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
		require.NoError(t, err)
		d, err := s.Engine.Win(ctx, system, "d1", nil)
		require.NoError(t, err)
		d.Loss = &pipeline.LossReason{Category: "vibes", Detail: "stored by the host"}
		d.Version++
		require.NoError(t, s.Store.UpdateDeal(ctx, d, d.Version-1))
		events := len(s.Events.Events())
		_, err = s.Engine.Deliver(ctx, system, "d1", nil)
		checkEncodeError(t, err, pipeline.LossCategory("vibes").Validate())
		got, gerr := s.Store.GetDeal(ctx, "d1")
		require.NoError(t, gerr)
		assert.Equal(t, d.Version, got.Version, "the deal is unchanged")
		assert.Len(t, s.Events.Events(), events)
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
		_, cause := far.MarshalJSON()
		checkEncodeError(t, err, cause)
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
		_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.EUR("100")}}, nil)
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
		st := faultStore{s: mem, f: &injector{}}
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
	})
	t.Run("convert_outcome_inquiries_apart", func(t *testing.T) {
		inquiries, deals := pipelinetest.NewMemStore(), pipelinetest.NewMemStore()
		e, err := pipeline.NewEngine(inquiries, deals, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		cause := storeFarQualified(t, inquiries)
		_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.EUR("100")}}, keyed("k-far"))
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

// DealEvent.MarshalJSON, called directly, names the member that cannot be
// encoded, with an error wrapping sp.ErrInvalid and the value's own error,
// not encoding/json's wrapper; json.Marshal of the event reaches both too.
func TestDealEventMarshalJSONErrorWrapsTheCause(t *testing.T) {
	far := time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
	_, farCause := far.MarshalJSON()
	require.Error(t, farCause)
	for name, tc := range map[string]struct {
		ev    pipeline.DealEvent
		cause error
		field string
	}{
		"closed_far": {pipeline.DealEvent{Deal: "d1", Closed: far}, farCause, "closed"},
		"loss_unknown": {pipeline.DealEvent{Deal: "d1", Loss: &pipeline.LossReason{Category: "vibes"}},
			pipeline.LossCategory("vibes").Validate(), "loss"},
		"activity_far": {pipeline.DealEvent{Deal: "d1", Activity: &pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Due: far}},
			farCause, "activity"},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := tc.ev.MarshalJSON()
			assert.Nil(t, raw)
			checkEncodeError(t, err, tc.cause)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field, "error: %v", err)
			_, err = json.Marshal(tc.ev)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), tc.cause.Error())
		})
	}
}
