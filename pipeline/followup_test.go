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

// An activity dated before the inquiry arrived is no response to it: the
// first contact is the first one at or after receipt.
func TestFirstContactIgnoresActivitiesBeforeReceipt(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch() // received at 09:00
	in := pipelinetest.NewInquiry("i1")
	in.Activities = []pipeline.Activity{{ID: "old-call", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: ep.Add(-time.Hour)}}
	_, err := e.ReceiveInquiry(ctx, system, in, nil)
	require.NoError(t, err)

	got, err := e.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	_, ok := pipeline.FirstContact(got)
	assert.False(t, ok, "a call at 08:00 does not answer an inquiry of 09:00")
	_, ok = pipeline.FirstResponse(got)
	assert.False(t, ok)
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 24 * time.Hour}
	due, first, ok := p.Due(got)
	assert.True(t, ok)
	assert.True(t, first, "it still awaits its first contact")
	assert.Equal(t, ep.Add(4*time.Hour), due)

	s.Clock.Set(ep.Add(2 * time.Hour)) // contacted at 11:00
	got, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	fc, ok := pipeline.FirstContact(got)
	require.True(t, ok)
	assert.Equal(t, ep.Add(2*time.Hour), fc)
	resp, ok := pipeline.FirstResponse(got)
	require.True(t, ok)
	assert.Equal(t, 2*time.Hour, resp, "never negative")
}

// Check answers as of the time asked about: what happened after it, a
// contact or a close, does not change whether the inquiry was overdue then.
func TestFollowUpCheckAsOfAPastTime(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	p := pipeline.FollowUpPolicy{FirstContact: 2 * time.Hour, NextTouch: 24 * time.Hour}

	// i1: received 09:00, contacted 19:00, qualified 19:01, converted 19:02.
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(10 * time.Hour))
	_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	_, err = e.Qualify(ctx, system, "i1", nil)
	require.NoError(t, err)
	_, _, err = e.Convert(ctx, system, "i1", pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100")}}, nil)
	require.NoError(t, err)
	i1, err := e.GetInquiry(ctx, "i1")
	require.NoError(t, err)

	o, late := p.Check(i1, ep.Add(6*time.Hour)) // 15:00: due at 11:00, not contacted until 19:00
	require.True(t, late, "at 15:00 the first contact was four hours late")
	assert.True(t, o.FirstContact)
	assert.Equal(t, ep.Add(2*time.Hour), o.Due)
	assert.Equal(t, 4*time.Hour, o.Late)
	_, late = p.Check(i1, ep.Add(11*time.Hour))
	assert.False(t, late, "converted by 20:00")

	// i2: received 09:00, disqualified at 12:00 without a contact.
	s.Clock.Set(ep)
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i2"), nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(3 * time.Hour))
	_, err = e.Disqualify(ctx, system, "i2", "spam", nil)
	require.NoError(t, err)
	i2, err := e.GetInquiry(ctx, "i2")
	require.NoError(t, err)
	o, late = p.Check(i2, ep.Add(150*time.Minute)) // 11:30: open, due at 11:00
	require.True(t, late)
	assert.Equal(t, 30*time.Minute, o.Late)
	_, late = p.Check(i2, ep.Add(3*time.Hour))
	assert.False(t, late, "closed at 12:00")
	_, late = p.Check(i2, ep.Add(-time.Hour))
	assert.False(t, late, "not yet received")

	// i3: received 09:00, contacted 10:00, called again the next day at
	// 12:00; the next touch was due at 10:00 that day.
	s.Clock.Set(ep)
	_, err = e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i3"), nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(time.Hour))
	_, err = e.Contact(ctx, system, "i3", pipeline.Activity{}, nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(27 * time.Hour))
	i3, err := e.LogInquiryActivity(ctx, system, "i3", pipeline.Activity{ID: "call-2", Kind: pipeline.ActivityCall, Done: ep.Add(27 * time.Hour)}, nil)
	require.NoError(t, err)
	o, late = p.Check(i3, ep.Add(26*time.Hour)) // 11:00 the next day
	require.True(t, late, "the call at 12:00 had not happened yet")
	assert.False(t, o.FirstContact)
	assert.Equal(t, ep.Add(25*time.Hour), o.Due)
	assert.Equal(t, time.Hour, o.Late)
	_, late = p.Check(i3, ep.Add(28*time.Hour))
	assert.False(t, late, "touched at 12:00, next due the day after")
}

// StageAt reads the stage an inquiry was in at a time from its history.
func TestInquiryStageAt(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(time.Hour))
	_, err = e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(3 * time.Hour))
	in, err := e.Disqualify(ctx, system, "i1", "spam", nil)
	require.NoError(t, err)

	for _, tt := range []struct {
		at   time.Time
		want pipeline.InquiryStage
	}{
		{ep.Add(-time.Minute), ""},
		{ep, pipeline.InquiryNew},
		{ep.Add(59 * time.Minute), pipeline.InquiryNew},
		{ep.Add(time.Hour), pipeline.InquiryContacted},
		{ep.Add(2 * time.Hour), pipeline.InquiryContacted},
		{ep.Add(3 * time.Hour), pipeline.InquiryDisqualified},
		{ep.Add(100 * time.Hour), pipeline.InquiryDisqualified},
	} {
		assert.Equal(t, tt.want, in.StageAt(tt.at), "at %s", tt.at.Sub(ep))
	}
}

// The follow-up clock starts when the inquiry was received, not when it
// was recorded: an inquiry received at 09:00 and recorded at 15:00 was
// already late for a first contact due at 13:00 when asked about 14:00.
// StageAt agrees: it was New from 09:00.
func TestOverdueFromReceiptBeforeRecording(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	ep := pipelinetest.Epoch() // received at 09:00
	s.Clock.Set(ep.Add(6 * time.Hour))
	in, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	require.Equal(t, ep, in.Received)
	require.True(t, in.History[0].At.After(ep), "recorded after its receipt")
	assert.Equal(t, pipeline.InquiryStage(""), in.StageAt(ep.Add(-time.Nanosecond)), "not received yet")
	assert.Equal(t, pipeline.InquiryNew, in.StageAt(ep), "New from its receipt")
	assert.Equal(t, pipeline.InquiryNew, in.StageAt(ep.Add(5*time.Hour)), "New before it was recorded")
	assert.Equal(t, pipeline.InquiryNew, in.StageAt(ep.Add(6*time.Hour)), "New when recorded")

	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour}
	o, late := p.Check(in, ep.Add(5*time.Hour))
	require.True(t, late, "due at 13:00, asked about 14:00")
	assert.True(t, o.FirstContact)
	assert.Equal(t, ep.Add(4*time.Hour), o.Due)
	assert.Equal(t, time.Hour, o.Late)
	_, late = p.Check(in, ep.Add(3*time.Hour))
	assert.False(t, late, "not yet due at 12:00")
	_, late = p.Check(in, ep.Add(-time.Hour))
	assert.False(t, late, "not received yet")
}

// Check counts what happened by the time asked about, that time included: an
// inquiry contacted at exactly that time is not awaiting its first contact.
func TestFollowUpCheckCountsAContactAtTheTimeAsked(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	e := s.Engine
	ep := pipelinetest.Epoch()
	_, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	s.Clock.Set(ep.Add(2 * time.Hour))
	in, err := e.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	contacted := in.History[len(in.History)-1].At
	require.Equal(t, pipeline.InquiryContacted, in.StageAt(contacted))

	p := pipeline.FollowUpPolicy{FirstContact: time.Hour, NextTouch: 24 * time.Hour}
	_, late := p.Check(in, contacted)
	assert.False(t, late, "contacted at the time asked about; the next touch is due a day later")
	o, late := p.Check(in, contacted.Add(-time.Nanosecond))
	require.True(t, late, "a moment before, the first contact was late")
	assert.True(t, o.FirstContact)

	// The same for a done activity logged while the inquiry is still New.
	call := ep.Add(90 * time.Minute)
	fresh := pipelinetest.NewInquiry("i2")
	fresh.Stage = pipeline.InquiryNew
	fresh.History = []pipeline.Transition[pipeline.InquiryStage]{{To: pipeline.InquiryNew, At: ep}}
	fresh.Activities = []pipeline.Activity{{ID: "call", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: call}}
	_, late = p.Check(fresh, call)
	assert.False(t, late, "called at the time asked about")
	due, first, ok := p.Due(fresh)
	require.True(t, ok)
	assert.False(t, first)
	assert.Equal(t, call.Add(24*time.Hour), due)
}

// The next touch is due NextTouch after the last contact with the customer:
// recording the inquiry, later than its receipt and its first call, is no
// touch, and does not push the next one back.
func TestNextTouchIsNotCountedFromTheRecording(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	ep := pipelinetest.Epoch() // received at 09:00
	in := pipelinetest.NewInquiry("i1")
	in.Activities = []pipeline.Activity{{ID: "call", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: ep.Add(time.Hour)}}
	s.Clock.Set(ep.Add(3 * time.Hour)) // recorded at 12:00
	in, err := s.Engine.ReceiveInquiry(ctx, system, in, nil)
	require.NoError(t, err)
	require.Equal(t, ep.Add(3*time.Hour), in.History[0].At)

	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: time.Hour}
	due, first, ok := p.Due(in)
	require.True(t, ok)
	assert.False(t, first, "called at 10:00")
	assert.Equal(t, ep.Add(2*time.Hour), due, "an hour after the call at 10:00")
	o, late := p.Check(in, ep.Add(4*time.Hour))
	require.True(t, late, "at 13:00 the touch due at 11:00 is late")
	assert.False(t, o.FirstContact)
	assert.Equal(t, ep.Add(2*time.Hour), o.Due)
	assert.Equal(t, 2*time.Hour, o.Late)
}

// An error of the listed inquiries ends Overdue's sequence: nothing after
// it is yielded.
func TestOverdueEndsAtAnError(t *testing.T) {
	p := pipeline.FollowUpPolicy{FirstContact: time.Hour}
	late := pipeline.Inquiry{ID: "i1", Stage: pipeline.InquiryNew, Received: t0,
		History: []pipeline.Transition[pipeline.InquiryStage]{{To: pipeline.InquiryNew, At: t0}}}
	_, isLate := p.Check(late, t0.Add(2*time.Hour))
	require.True(t, isLate)
	boom := errors.New("list failed")
	seq := func(yield func(pipeline.Inquiry, error) bool) {
		if !yield(pipeline.Inquiry{}, boom) {
			return
		}
		yield(late, nil)
	}
	var got []error
	for o, err := range p.Overdue(seq, t0.Add(2*time.Hour)) {
		assert.Equal(t, pipeline.Overdue{}, o)
		got = append(got, err)
	}
	assert.Equal(t, []error{boom}, got)
}

// A negative duration is no policy, as the review's rules refuse it: the
// listings of overdue inquiries refuse it, naming the field, instead of
// taking it as no limit and reporting nothing overdue.
func TestOverdueRefusesANegativePolicy(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	for field, p := range map[string]pipeline.FollowUpPolicy{
		"follow_up_policy.first_contact": {FirstContact: -time.Hour, NextTouch: time.Hour},
		"follow_up_policy.next_touch":    {FirstContact: time.Hour, NextTouch: -time.Nanosecond},
	} {
		for name, seq := range map[string]func(func(pipeline.Overdue, error) bool){
			"engine": s.Engine.Overdue(ctx, p, pipeline.InquiryFilter{}),
			"policy": p.Overdue(s.Engine.ListInquiries(ctx, pipeline.InquiryFilter{}), pipelinetest.Epoch().Add(48*time.Hour)),
		} {
			var errs []error
			for o, err := range seq {
				assert.Equal(t, pipeline.Overdue{}, o)
				errs = append(errs, err)
			}
			require.Len(t, errs, 1, name)
			require.ErrorIs(t, errs[0], sp.ErrInvalid, name)
			var ve *sp.ValidationError
			require.ErrorAs(t, errs[0], &ve, name)
			assert.Equal(t, field, ve.Field, name)
			assert.Contains(t, errs[0].Error(), "pipeline: ", name)
		}
	}
}

// A zero duration is no limit of that kind, not an invalid one: the Overdue
// listings take it without an error.
func TestOverdueTakesAZeroDurationAsNoLimit(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	at := pipelinetest.Epoch().Add(48 * time.Hour)
	s.Clock.Set(at)
	for _, tc := range []struct {
		p       pipeline.FollowUpPolicy
		overdue bool
	}{
		{pipeline.FollowUpPolicy{}, false},
		{pipeline.FollowUpPolicy{NextTouch: time.Hour}, false},
		{pipeline.FollowUpPolicy{FirstContact: time.Hour}, true},
	} {
		for name, seq := range map[string]func(func(pipeline.Overdue, error) bool){
			"engine": s.Engine.Overdue(ctx, tc.p, pipeline.InquiryFilter{}),
			"policy": tc.p.Overdue(s.Engine.ListInquiries(ctx, pipeline.InquiryFilter{}), at),
		} {
			var got []sp.InquiryID
			for o, err := range seq {
				require.NoError(t, err, "%s %+v", name, tc.p)
				assert.True(t, o.FirstContact, "%s %+v", name, tc.p)
				got = append(got, o.Inquiry)
			}
			if tc.overdue {
				assert.Equal(t, []sp.InquiryID{"i1"}, got, "%s %+v", name, tc.p)
			} else {
				assert.Empty(t, got, "%s %+v", name, tc.p)
			}
		}
	}
}

// The JSON form of a FollowUpPolicy has its durations as text, as the
// review's rules document has them, and reads back; the integers of
// nanoseconds that encoding/json writes for a time.Duration, the form of
// earlier versions, read too. A failed decoding changes nothing.
func TestFollowUpPolicyJSONAsText(t *testing.T) {
	p := pipeline.FollowUpPolicy{FirstContact: 24 * time.Hour, NextTouch: 90 * time.Minute}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Equal(t, `{"first_contact":"24h0m0s","next_touch":"1h30m0s"}`, string(b))
	var back pipeline.FollowUpPolicy
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p, back)

	for _, old := range []string{`{"first_contact":86400000000000,"next_touch":5400000000000}`, `{"first_contact":"24h","next_touch":"90m"}`,
		`{"first_contact":86400000000000,"next_touch":"1h30m"}`} {
		back = pipeline.FollowUpPolicy{NextTouch: time.Second}
		require.NoError(t, json.Unmarshal([]byte(old), &back), old)
		assert.Equal(t, p, back, old)
	}
	back = pipeline.FollowUpPolicy{FirstContact: time.Hour, NextTouch: time.Second}
	require.NoError(t, json.Unmarshal([]byte(`{"next_touch":1}`), &back))
	assert.Equal(t, pipeline.FollowUpPolicy{NextTouch: 1}, back, "a member left out is zero")
	require.NoError(t, json.Unmarshal([]byte(`null`), &back))
	assert.Equal(t, pipeline.FollowUpPolicy{NextTouch: 1}, back, "null changes nothing")

	err = back.UnmarshalJSON([]byte(`{"first_contact":"2h","next_touch":"soon"}`))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `invalid follow_up_policy.next_touch: want a duration such as "24h", got "soon"`)
	assert.Equal(t, pipeline.FollowUpPolicy{NextTouch: 1}, back, "a failed decoding changes nothing")
	assert.ErrorIs(t, (*pipeline.FollowUpPolicy)(nil).UnmarshalJSON(b), sp.ErrInvalid)
}

// The JSON form of an Overdue has Late as text, last, and reads back; an
// integer of nanoseconds reads too.
func TestOverdueJSONAsText(t *testing.T) {
	due := time.Date(2026, time.November, 3, 9, 0, 0, 0, time.UTC)
	o := pipeline.Overdue{Inquiry: "i1", Owner: "ann", FirstContact: true, Due: due, Late: 26*time.Hour + 30*time.Minute}
	b, err := json.Marshal(o)
	require.NoError(t, err)
	assert.Equal(t, `{"inquiry":"i1","owner":"ann","first_contact":true,"due":"2026-11-03T09:00:00Z","late":"26h30m0s"}`, string(b))
	var back pipeline.Overdue
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, o, back)
	back = pipeline.Overdue{}
	require.NoError(t, json.Unmarshal([]byte(`{"inquiry":"i1","owner":"ann","first_contact":true,"due":"2026-11-03T09:00:00Z","late":95400000000000}`), &back))
	assert.Equal(t, o, back)

	err = back.UnmarshalJSON([]byte(`{"inquiry":"i2","late":"late"}`))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `invalid overdue.late: want a duration such as "24h", got "late"`)
	assert.Equal(t, o, back, "a failed decoding changes nothing")
	assert.ErrorIs(t, (*pipeline.Overdue)(nil).UnmarshalJSON(b), sp.ErrInvalid)

	// Late to the nanosecond, as the engine's clock may give it, reads
	// back the same.
	o.Late = 26*time.Hour + 30*time.Minute + 1500*time.Millisecond + 7
	b, err = json.Marshal(o)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"late":"26h30m1.500000007s"`)
	back = pipeline.Overdue{}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, o, back)

	// A Due that cannot be encoded is named, as the other encoders of the
	// package name the member at fault.
	o.Due = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
	_, err = json.Marshal(o)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "overdue.due", ve.Field)
}

// A policy read from configuration is checked as it is read: Validate and
// the JSON decoding refuse a negative duration, naming it, and the
// decoding leaves the policy as it was; zero, no limit, is valid.
func TestFollowUpPolicyValidate(t *testing.T) {
	assert.NoError(t, pipeline.FollowUpPolicy{}.Validate())
	assert.NoError(t, pipeline.FollowUpPolicy{FirstContact: time.Hour, NextTouch: 72 * time.Hour}.Validate())
	for doc, field := range map[string]string{
		`{"first_contact":"-1h","next_touch":"72h"}`:   "follow_up_policy.first_contact",
		`{"first_contact":"24h","next_touch":"-1ns"}`:  "follow_up_policy.next_touch",
		`{"first_contact":-3600000000000}`:             "follow_up_policy.first_contact",
		`{"next_touch":"-72h","first_contact":"-24h"}`: "follow_up_policy.first_contact",
	} {
		kept := pipeline.FollowUpPolicy{FirstContact: 2 * time.Hour, NextTouch: 3 * time.Hour}
		p := kept
		err := json.Unmarshal([]byte(doc), &p)
		require.ErrorIs(t, err, sp.ErrInvalid, doc)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, doc)
		assert.Equal(t, field, ve.Field, doc)
		assert.Contains(t, err.Error(), "negative", doc)
		assert.Equal(t, kept, p, "%s: a refused document changes nothing", doc)

		var decoded struct {
			FirstContact sp.Duration `json:"first_contact"`
			NextTouch    sp.Duration `json:"next_touch"`
		}
		require.NoError(t, json.Unmarshal([]byte(doc), &decoded))
		err = pipeline.FollowUpPolicy{FirstContact: time.Duration(decoded.FirstContact), NextTouch: time.Duration(decoded.NextTouch)}.Validate()
		require.ErrorAs(t, err, &ve, doc)
		assert.Equal(t, field, ve.Field, "Validate names the field as the decoding does: %s", doc)
	}
}

// A done activity took place: logging one whose Done is after the engine's
// time is refused, naming activity.done, on an inquiry, on a deal and with
// a contact, and changes nothing; one done at the engine's time is taken.
func TestLogActivityRefusesADoneTimeToCome(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	in, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	now := s.Clock.Now()
	soon := pipeline.Activity{ID: "call", Kind: pipeline.ActivityCall, Done: now.Add(time.Hour)}
	for name, run := range map[string]func() error{
		"inquiry": func() error { _, err := s.Engine.LogInquiryActivity(ctx, system, "i1", soon, nil); return err },
		"deal":    func() error { _, err := s.Engine.LogDealActivity(ctx, system, "d1", soon, nil); return err },
		"contact": func() error { _, err := s.Engine.Contact(ctx, system, "i1", soon, nil); return err },
	} {
		err := run()
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, "activity.done", ve.Field, name)
	}
	got, err := s.Engine.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, in.Version, got.Version, "nothing changed")
	gotDeal, err := s.Engine.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, d.Version, gotDeal.Version, "nothing changed")
	s.Clock.Set(now.Add(time.Hour))
	got, err = s.Engine.LogInquiryActivity(ctx, system, "i1", soon, nil)
	require.NoError(t, err, "done at the engine's time")
	assert.Len(t, got.Activities, 1)
}
