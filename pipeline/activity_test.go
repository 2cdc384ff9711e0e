package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// plannedCallAt returns a call planned for due, with notes.
func plannedCallAt(id string, due time.Time) pipeline.Activity {
	return pipeline.Activity{ID: id, Kind: pipeline.ActivityCall, Due: due, Notes: "ask about the budget"}
}

// inquiryEvents returns the payloads of the events of type typ that s
// recorded.
func inquiryEvents(t *testing.T, s *pipelinetest.Scenario, typ string) []pipeline.InquiryEvent {
	t.Helper()
	var out []pipeline.InquiryEvent
	for _, ev := range s.Events.Events() {
		if ev.Type != typ {
			continue
		}
		var p pipeline.InquiryEvent
		require.NoError(t, json.Unmarshal(ev.Data, &p))
		out = append(out, p)
	}
	return out
}

// A planned call completed is the same activity, done: its kind, due time
// and actor kept, its outcome replaced, its notes appended to, at the time
// given or the engine's; the inquiry's version grows by one, its stage
// stays, and one event carries the activity as completed.
func TestCompleteInquiryActivity(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = e.LogInquiryActivity(ctx, ann, "i1", plannedCallAt("call-1", ep.Add(3*time.Hour)), nil)
	require.NoError(t, err)
	visit := pipeline.Activity{ID: "visit-1", Kind: pipeline.ActivityVisit, Due: ep.Add(48 * time.Hour), Outcome: "confirmed by mail", Notes: "bring samples"}
	before, err := e.LogInquiryActivity(ctx, ann, "i1", visit, nil)
	require.NoError(t, err)

	t.Run("at_the_time_given", func(t *testing.T) {
		s.Clock.Set(ep.Add(4 * time.Hour))
		done := ep.Add(2 * time.Hour).In(time.FixedZone("CET", 3600))
		got, err := e.CompleteInquiryActivity(ctx, ann, "i1", "call-1",
			pipeline.ActivityCompletion{Done: done, Outcome: "wants a demo", Notes: "budget approved"}, &pipeline.CommandOptions{Reason: "call made"})
		require.NoError(t, err)
		assert.Equal(t, before.Version+1, got.Version)
		assert.Equal(t, pipeline.InquiryNew, got.Stage, "completing a call moves no stage")
		assert.Len(t, got.History, len(before.History))
		require.Len(t, got.Activities, 2, "no activity added")
		a := got.Activities[0]
		assert.Equal(t, "call-1", a.ID)
		assert.Equal(t, pipeline.ActivityCall, a.Kind)
		assert.Equal(t, sp.ActorID(pipelinetest.RepAnn), a.Actor)
		assert.True(t, a.Due.Equal(ep.Add(3*time.Hour)), "due kept: %v", a.Due)
		assert.True(t, a.Done.Equal(done), "done: %v", a.Done)
		assert.True(t, a.IsDone())
		assert.Equal(t, "wants a demo", a.Outcome)
		assert.Equal(t, "ask about the budget\nbudget approved", a.Notes)
		assert.Equal(t, before.Activities[1], got.Activities[1], "the other activity is untouched")

		stored, err := e.GetInquiry(ctx, "i1")
		require.NoError(t, err)
		assert.True(t, sameJSON(stored, got), "returned what was stored")

		evs := inquiryEvents(t, s, pipeline.EventInquiryActivityCompleted)
		require.Len(t, evs, 1)
		assert.Equal(t, got.Version, evs[0].Version)
		assert.Equal(t, "call made", evs[0].Reason)
		require.NotNil(t, evs[0].Activity)
		assert.True(t, sameJSON(a, *evs[0].Activity), "the event carries the activity as completed")
		assert.Empty(t, evs[0].From, "no move")
	})
	t.Run("at_the_engine_time_by_default", func(t *testing.T) {
		s.Clock.Set(ep.Add(50 * time.Hour))
		got, err := e.CompleteInquiryActivity(ctx, ann, "i1", "visit-1", pipeline.ActivityCompletion{}, nil)
		require.NoError(t, err)
		a := got.Activities[1]
		assert.True(t, a.Done.Equal(ep.Add(50*time.Hour)), "done: %v", a.Done)
		assert.Equal(t, "confirmed by mail", a.Outcome, "no outcome given: the activity's kept")
		assert.Equal(t, "bring samples", a.Notes, "no notes given: the activity's kept")
	})
}

// Completing a deal's planned demo: the same rules, the deal's event.
func TestCompleteDealActivity(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	d, err := e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	demo := pipeline.Activity{ID: "demo-1", Kind: pipeline.ActivityDemo, Due: ep.Add(24 * time.Hour), Outcome: "tentative"}
	d, err = e.LogDealActivity(ctx, ann, "d1", demo, nil)
	require.NoError(t, err)

	s.Clock.Set(ep.Add(26 * time.Hour))
	got, err := e.CompleteDealActivity(ctx, ann, "d1", "demo-1", pipeline.ActivityCompletion{Outcome: "liked it", Notes: "send a quote"}, nil)
	require.NoError(t, err)
	assert.Equal(t, d.Version+1, got.Version)
	assert.Equal(t, d.Stage, got.Stage)
	require.Len(t, got.Activities, 1)
	a := got.Activities[0]
	assert.True(t, a.Done.Equal(ep.Add(26*time.Hour)), "done: %v", a.Done)
	assert.Equal(t, "liked it", a.Outcome, "the outcome replaced")
	assert.Equal(t, "send a quote", a.Notes, "notes of their own when it had none")

	var evs []pipeline.DealEvent
	for _, ev := range s.Events.Events() {
		if ev.Type == pipeline.EventDealActivityCompleted {
			var p pipeline.DealEvent
			require.NoError(t, json.Unmarshal(ev.Data, &p))
			evs = append(evs, p)
		}
	}
	require.Len(t, evs, 1)
	require.NotNil(t, evs[0].Activity)
	assert.True(t, sameJSON(a, *evs[0].Activity))
	assert.Equal(t, got.Version, evs[0].Version)
}

// An inquiry whose only follow-up is a planned call is overdue for its
// first contact until the call is completed, and from then on it awaits
// its next touch, counted from the call's done time; asked about a time
// before the call was done, it was overdue then.
func TestCompletedActivityEndsOverdue(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch() // received at 09:00
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 24 * time.Hour}
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = e.LogInquiryActivity(ctx, ann, "i1", plannedCallAt("call-1", ep.Add(2*time.Hour)), nil)
	require.NoError(t, err)

	overdue := func() []pipeline.Overdue {
		t.Helper()
		var out []pipeline.Overdue
		for o, err := range e.Overdue(ctx, p, pipeline.InquiryFilter{}) {
			require.NoError(t, err)
			out = append(out, o)
		}
		return out
	}
	s.Clock.Set(ep.Add(6 * time.Hour)) // 15:00: the call was due by 13:00
	got := overdue()
	require.Len(t, got, 1, "a planned call is no contact")
	assert.True(t, got[0].FirstContact)
	assert.Equal(t, 2*time.Hour, got[0].Late)

	s.Clock.Set(ep.Add(7 * time.Hour)) // logged at 16:00, made at 14:30
	in, err := e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{Done: ep.Add(5*time.Hour + 30*time.Minute)}, nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(8 * time.Hour))
	assert.Empty(t, overdue(), "contacted at 14:30")

	fc, ok := pipeline.FirstContact(in)
	require.True(t, ok)
	assert.True(t, fc.Equal(ep.Add(5*time.Hour+30*time.Minute)), "first contact at the done time: %v", fc)
	resp, ok := pipeline.FirstResponse(in)
	require.True(t, ok)
	assert.Equal(t, 5*time.Hour+30*time.Minute, resp)

	// As of 14:00 it was late still: the call was done at 14:30.
	o, late := p.Check(in, ep.Add(5*time.Hour))
	require.True(t, late)
	assert.True(t, o.FirstContact)
	// The next touch is due 24h after the call's done time.
	due, first, ok := p.Due(in)
	require.True(t, ok)
	assert.False(t, first)
	assert.True(t, due.Equal(ep.Add(29*time.Hour+30*time.Minute)), "next touch due %v", due)
	s.Clock.Set(ep.Add(30 * time.Hour))
	if got := overdue(); assert.Len(t, got, 1) {
		assert.False(t, got[0].FirstContact, "awaits its next touch")
		assert.Equal(t, 30*time.Minute, got[0].Late)
	}
}

// A retry without a key of a completion that succeeded gets
// ErrActivityDone, which wraps ErrInvalid, not ErrConflict (reading again
// would not help); with a key it gets the first outcome; the same key for
// another activity is refused. None of them changes anything.
func TestCompleteActivityRetried(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	for _, id := range []string{"call-1", "call-2"} {
		_, err = e.LogInquiryActivity(ctx, ann, "i1", plannedCallAt(id, ep.Add(2*time.Hour)), nil)
		require.NoError(t, err)
	}
	key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
	first, err := e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{}, key)
	require.NoError(t, err)
	events := len(s.Events.Events())

	again, err := e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{}, key)
	require.NoError(t, err, "a keyed retry gets the first outcome")
	assert.True(t, sameJSON(first, again))

	_, err = e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{}, nil)
	require.ErrorIs(t, err, pipeline.ErrActivityDone)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.NotErrorIs(t, err, sp.ErrConflict, "reading again would not help")
	assert.Contains(t, err.Error(), `activity "call-1" was done at 2026-11-02T09:`)

	_, err = e.CompleteInquiryActivity(ctx, ann, "i1", "call-2", pipeline.ActivityCompletion{}, key)
	assert.ErrorIs(t, err, pipeline.ErrKeyReused, "the same key for another activity")
	_, err = e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{Outcome: "other"}, key)
	assert.ErrorIs(t, err, pipeline.ErrKeyReused, "the same key with another completion")
	_, err = e.LogInquiryActivity(ctx, ann, "i1", plannedCallAt("call-3", ep), key)
	assert.ErrorIs(t, err, pipeline.ErrKeyReused, "the same key for another command")

	now, err := e.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	assert.True(t, sameJSON(first, now), "nothing changed since the first completion")
	assert.Len(t, s.Events.Events(), events, "nothing published since")
	assert.False(t, now.Activities[1].IsDone(), "call-2 is planned still")
}

// A done time is refused after the engine's time, and for an inquiry
// before its receipt, where FirstContact would not count it; at either
// bound it is taken. A deal has no lower bound: a call planned with a deal
// opened today may have been made before the deal was recorded.
func TestCompleteActivityDoneTimeBounds(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	in := pipelinetest.NewInquiry("i1")
	in.Received = ep.Add(-time.Hour) // received at 08:00, recorded at 09:00
	_, err := e.ReceiveInquiry(ctx, system, in, nil)
	require.NoError(t, err)
	d := pipelinetest.NewDeal("d1")
	for _, id := range []string{"c1", "c2", "c3"} {
		a := plannedCallAt(id, ep.Add(-48*time.Hour))
		a.Actor = sp.ActorID(pipelinetest.RepAnn)
		d.Activities = append(d.Activities, a)
		_, err = e.LogInquiryActivity(ctx, ann, "i1", plannedCallAt(id, ep), nil)
		require.NoError(t, err)
	}
	_, err = e.OpenDeal(ctx, system, d, nil) // created at 09:01
	require.NoError(t, err)
	s.Clock.Set(ep.Add(time.Hour))
	var ve *sp.ValidationError

	t.Run("inquiry", func(t *testing.T) {
		_, err := e.CompleteInquiryActivity(ctx, ann, "i1", "c1", pipeline.ActivityCompletion{Done: in.Received.Add(-time.Nanosecond)}, nil)
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "completion.done", ve.Field)
		assert.EqualError(t, err, `pipeline: complete_activity inquiry "i1": invalid completion.done: 2026-11-02T07:59:59.999999999Z is before the inquiry's receipt at 2026-11-02T08:00:00Z`)

		_, err = e.CompleteInquiryActivity(ctx, ann, "i1", "c1", pipeline.ActivityCompletion{Done: s.Clock.Peek().Add(time.Nanosecond)}, nil)
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "completion.done", ve.Field)
		assert.Contains(t, err.Error(), "after the engine's time")

		_, err = e.CompleteInquiryActivity(ctx, ann, "i1", "c2", pipeline.ActivityCompletion{Done: in.Received}, nil)
		require.NoError(t, err, "at its receipt")
		_, err = e.CompleteInquiryActivity(ctx, ann, "i1", "c3", pipeline.ActivityCompletion{Done: s.Clock.Peek()}, nil)
		require.NoError(t, err, "at the engine's time")
		got, err := e.GetInquiry(ctx, "i1")
		require.NoError(t, err)
		assert.False(t, got.Activities[0].IsDone(), "c1 refused twice, planned still")
	})
	t.Run("deal", func(t *testing.T) {
		_, err := e.CompleteDealActivity(ctx, ann, "d1", "c1", pipeline.ActivityCompletion{Done: s.Clock.Peek().Add(time.Nanosecond)}, nil)
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "completion.done", ve.Field)
		got, err := e.CompleteDealActivity(ctx, ann, "d1", "c2", pipeline.ActivityCompletion{Done: ep.Add(-47 * time.Hour)}, nil)
		require.NoError(t, err, "before the deal was recorded")
		assert.True(t, got.Activities[1].Done.Equal(ep.Add(-47*time.Hour)))
		assert.True(t, got.Created.After(got.Activities[1].Done))
	})
}

// ActivityCompletion's JSON round-trips, its time as the same instant at
// the same offset; a malformed member is an error wrapping ErrInvalid that
// names it, leaving the value unchanged.
func TestActivityCompletionJSON(t *testing.T) {
	c := pipeline.ActivityCompletion{Done: pipelinetest.Epoch().In(time.FixedZone("", 5400)), Outcome: "won them over", Notes: "a\nb"}
	raw, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, `{"done":"2026-11-02T10:30:00+01:30","outcome":"won them over","notes":"a\nb"}`, string(raw))
	var back pipeline.ActivityCompletion
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, c.Done.String(), back.Done.String())
	assert.Equal(t, c.Outcome, back.Outcome)
	assert.Equal(t, c.Notes, back.Notes)

	keep := pipeline.ActivityCompletion{Outcome: "kept"}
	err = keep.UnmarshalJSON([]byte(`{"done":"yesterday"}`))
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "completion.done", ve.Field)
	assert.Equal(t, pipeline.ActivityCompletion{Outcome: "kept"}, keep)
}

// ActivityCompletion.Validate checks the completion alone, naming the
// field; the zero completion is valid.
func TestActivityCompletionValidate(t *testing.T) {
	require.NoError(t, pipeline.ActivityCompletion{}.Validate())
	for name, tc := range map[string]struct {
		c     pipeline.ActivityCompletion
		field string
	}{
		"done_far":     {pipeline.ActivityCompletion{Done: far}, "done"},
		"outcome_huge": {pipeline.ActivityCompletion{Outcome: strings.Repeat("o", 1025)}, "outcome"},
		"outcome_line": {pipeline.ActivityCompletion{Outcome: "a\x00"}, "outcome"},
		"notes_huge":   {pipeline.ActivityCompletion{Notes: strings.Repeat("n", 8193)}, "notes"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.c.Validate()
			var ve *sp.ValidationError
			require.True(t, errors.As(err, &ve), "error: %v", err)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.NoError(t, pipeline.ActivityCompletion{Outcome: strings.Repeat("o", 1024), Notes: strings.Repeat("n", 8192)}.Validate())
}

// A keyed retry gives the done time as the same instant at another
// offset: it is the same argument, and gets the first outcome.
func TestCompleteActivityKeyTakesDoneAsAnInstant(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = e.LogInquiryActivity(ctx, ann, "i1", plannedCallAt("call-1", ep), nil)
	require.NoError(t, err)
	key := &pipeline.CommandOptions{IdempotencyKey: "req-1"}
	done := ep.Add(time.Minute)
	first, err := e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{Done: done}, key)
	require.NoError(t, err)
	again, err := e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{Done: done.In(time.FixedZone("", 7200))}, key)
	require.NoError(t, err)
	assert.True(t, sameJSON(first, again))
	_, err = e.CompleteInquiryActivity(ctx, ann, "i1", "call-1", pipeline.ActivityCompletion{Done: done.Add(time.Second)}, key)
	assert.ErrorIs(t, err, pipeline.ErrKeyReused, "another instant")
}

// A deal or an inquiry created with an activity ID listed twice is refused
// naming the second listing, wherever the first is, and nothing is stored;
// an activity not valid before the repeated one is named first.
func TestCreateActivityListedTwice(t *testing.T) {
	ctx := context.Background()
	due := pipelinetest.Epoch().Add(time.Hour)
	acts := func(ids ...string) []pipeline.Activity {
		out := make([]pipeline.Activity, 0, len(ids))
		for _, id := range ids {
			a := plannedCallAt(id, due)
			a.Actor = sp.ActorID(pipelinetest.RepAnn)
			out = append(out, a)
		}
		return out
	}
	for name, tc := range map[string]struct {
		acts  []pipeline.Activity
		field string
	}{
		"far_apart":   {acts("a", "b", "c", "d", "e", "b", "c"), "activities[5].id"},
		"adjacent":    {acts("a", "a", "a"), "activities[1].id"},
		"bad_first":   {append(acts("a", "b"), pipeline.Activity{ID: "c"}, acts("a")[0]), "activities[2].kind"},
		"after_valid": {append(acts("a", "b", "c"), acts("c")...), "activities[3].id"},
	} {
		store := pipelinetest.NewMemStore()
		e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		d := pipelinetest.NewDeal("d")
		d.Owner, d.Activities = pipelinetest.RepAnn, tc.acts
		_, err = e.OpenDeal(ctx, pipelinetest.System(), d, nil)
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, tc.field, ve.Field, name)
		_, err = store.GetDeal(ctx, "d")
		assert.ErrorIs(t, err, sp.ErrNotFound, name)

		in := pipelinetest.NewInquiry("i")
		in.Owner, in.Activities = pipelinetest.RepAnn, tc.acts
		_, err = e.ReceiveInquiry(ctx, pipelinetest.System(), in, nil)
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, tc.field, ve.Field, name)
		_, err = store.GetInquiry(ctx, "i")
		assert.ErrorIs(t, err, sp.ErrNotFound, name)
	}
}
