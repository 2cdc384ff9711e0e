package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// ReceiveInquiry records a new inquiry: in with its ID, channel, region,
// product and customer set (campaign, locality and owner optional), and no
// stage, history, version, deal or disqualify reason yet. It starts in New,
// at version 1, with Received set to now unless given; a Received after now
// (the engine's clock read by the command) is an error wrapping
// [sp.ErrInvalid] that names "received". An owner must be eligible for the
// product and channel. An inquiry with the same ID is an error wrapping
// [sp.ErrDuplicate]. Emits [EventInquiryReceived].
func (e *Engine) ReceiveInquiry(ctx context.Context, by sp.Actor, in Inquiry, opts *CommandOptions) (Inquiry, error) {
	const cmd = CmdReceive
	fail := func(err error) (Inquiry, error) { return Inquiry{}, opError(cmd, "inquiry", string(in.ID), err) }
	if e.noInquiries() {
		return fail(errNoStore("inquiry"))
	}
	if err := in.validateNew(); err != nil {
		return fail(err)
	}
	c, err := e.begin(ctx, cmd, by, eventKindInquiry, string(in.ID), in, opts)
	if err != nil {
		return fail(err)
	}
	var out Inquiry
	replayed, err := e.write(ctx, c, writesInquiry, &out, func(ctx context.Context, v view) (string, int64, error) {
		// A copy of the caller's inquiry, made in each run: a Transactor
		// may run fn again, and each run starts afresh.
		in := in.Clone()
		e.tick(c, time.Time{})
		if in.Received.IsZero() {
			in.Received = c.now
		}
		// Not later than its recording: its first contact, timed by the
		// same clock, would come before its receipt, which FirstContact
		// does not count.
		if in.Received.After(c.now) {
			return "", 0, sp.Invalid("received", "%s is after the engine's time %s", sp.FormatTime(in.Received), sp.FormatTime(c.now))
		}
		if err := e.authorize(ctx, c, inquiryTarget(&in)); err != nil {
			return "", 0, err
		}
		if in.Owner != "" {
			if err := checkEligible(ctx, e.opts.Eligibility, in.Owner, in.Product, in.Channel, c.now); err != nil {
				return "", 0, err
			}
		}
		if err := e.inquiryM.Start(&in, c.stamp()); err != nil {
			return "", 0, err
		}
		in.Version = 1
		out = in
		ev, err := e.event(v, c.now, c.by.ID, eventKindInquiry, EventInquiryReceived, string(in.ID), 1,
			inquiryEvent("", &out, change{reason: c.opts.Reason}))
		if err != nil {
			return "", 0, err
		}
		if err := e.store(ctx, c, v, ev, func() error { return v.inquiries.CreateInquiry(ctx, in) }); err != nil {
			return "", 0, err
		}
		return string(in.ID), 1, nil
	})
	if err != nil {
		return fail(err)
	}
	if replayed {
		return out, nil
	}
	return out, e.publish(ctx, c)
}

// updateInquiry runs a command that changes the inquiry id: load it,
// authorize, apply, store at the next version, publish.
func (e *Engine) updateInquiry(ctx context.Context, cmd Command, by sp.Actor, id sp.InquiryID, newOwner sp.RepID, args any, opts *CommandOptions,
	apply func(ctx context.Context, c *call, in *Inquiry) (change, error)) (Inquiry, error) {
	fail := func(err error) (Inquiry, error) { return Inquiry{}, opError(cmd, "inquiry", string(id), err) }
	if e.noInquiries() {
		return fail(errNoStore("inquiry"))
	}
	if err := id.Validate(); err != nil {
		return fail(sp.InField("id", err))
	}
	c, err := e.begin(ctx, cmd, by, eventKindInquiry, string(id), args, opts)
	if err != nil {
		return fail(err)
	}
	var (
		out    Inquiry
		before InquiryStage
		ch     change
	)
	replayed, err := e.write(ctx, c, writesInquiry, &out, func(ctx context.Context, v view) (string, int64, error) {
		in, err := v.inquiries.GetInquiry(ctx, id)
		if err != nil {
			return "", 0, err
		}
		e.tick(c, lastAt(in.History))
		t := inquiryTarget(&in)
		t.NewOwner = newOwner
		if err := e.authorize(ctx, c, t); err != nil {
			return "", 0, err
		}
		if err := c.expect(in.Version); err != nil {
			return "", 0, err
		}
		before = in.Stage
		expected := in.Version
		if ch, err = apply(ctx, c, &in); err != nil {
			return "", 0, err
		}
		in.Version = expected + 1
		out = in
		ev, err := e.event(v, c.now, c.by.ID, eventKindInquiry, ch.typ, string(id), in.Version, inquiryEvent(before, &out, ch))
		if err != nil {
			return "", 0, err
		}
		if err := e.store(ctx, c, v, ev, func() error { return v.inquiries.UpdateInquiry(ctx, in, expected) }); err != nil {
			return "", 0, err
		}
		return string(id), in.Version, nil
	})
	if err != nil {
		return fail(err)
	}
	if replayed {
		return out, nil
	}
	return out, e.publish(ctx, c)
}

// AssignInquiry makes rep the owner of the open inquiry id. The rep must be
// eligible for its product and channel. A converted or disqualified inquiry
// keeps its owner: the record's stage does not allow the command, which is
// refused with a [*TransitionError] that unwraps to
// [sp.ErrInvalidTransition], as a move its stage does not allow is, whose
// Reason says what to do instead (see [Engine.Qualify]): to reopen a
// disqualified inquiry first, or which deal a converted one became. Emits
// [EventInquiryAssigned].
func (e *Engine) AssignInquiry(ctx context.Context, by sp.Actor, id sp.InquiryID, rep sp.RepID, opts *CommandOptions) (Inquiry, error) {
	// Before any read, so that the Policy sees only a valid NewOwner.
	if err := rep.Validate(); err != nil {
		return Inquiry{}, opError(CmdAssign, "inquiry", string(id), sp.InField("rep", err))
	}
	return e.updateInquiry(ctx, CmdAssign, by, id, rep, rep, opts, func(ctx context.Context, c *call, in *Inquiry) (change, error) {
		if !in.Stage.IsOpen() {
			return change{}, refuseState(e.inquiryM, in.Stage, e.inquiryRefusal(CmdAssign, in, "a closed inquiry is not assigned"))
		}
		if err := checkEligible(ctx, e.opts.Eligibility, rep, in.Product, in.Channel, c.now); err != nil {
			return change{}, err
		}
		in.Owner = rep
		return change{typ: EventInquiryAssigned, reason: c.opts.Reason}, nil
	})
}

// LogInquiryActivity adds activity a to the inquiry id: planned (Due set) or
// done (Done set). Its Actor defaults to the acting actor. An invalid
// activity (see [Activity.Validate]) is refused before the inquiry is read,
// with an error wrapping [sp.ErrInvalid] that names the field, with an
// idempotency key or without; an activity ID the inquiry already has is an
// error wrapping [sp.ErrDuplicate], and a done activity whose Done is after
// the engine's time, which has not taken place yet, an error wrapping
// [sp.ErrInvalid] that names "activity.done" (a planned one has a Due). A
// planned activity that took place is marked done by
// [Engine.CompleteInquiryActivity], under its own ID: [FollowUpPolicy]
// counts done activities only. Emits [EventInquiryActivity].
//
// A record keeps its activities, as its history, for good: each one logged
// adds to what every later command on the record reads, copies and writes
// (the store keeps a record whole). A host that logs thousands on one
// record keeps the older ones in a log of its own.
func (e *Engine) LogInquiryActivity(ctx context.Context, by sp.Actor, id sp.InquiryID, a Activity, opts *CommandOptions) (Inquiry, error) {
	// As OpenDeal checks its terms: the activity before the fingerprint,
	// which cannot encode an unknown kind or an out-of-range time, and
	// before any read.
	if err := checkActivity(a, by); err != nil {
		return Inquiry{}, opError(CmdLogActivity, "inquiry", string(id), err)
	}
	return e.updateInquiry(ctx, CmdLogActivity, by, id, "", a, opts, func(_ context.Context, c *call, in *Inquiry) (change, error) {
		if err := addActivity(&in.Activities, a, c); err != nil {
			return change{}, err
		}
		return change{typ: EventInquiryActivity, reason: c.opts.Reason, activity: &in.Activities[len(in.Activities)-1]}, nil
	})
}

// CompleteInquiryActivity marks the planned activity activityID of the
// inquiry id done, as c says: at c.Done, or at the engine's time when it
// is zero; its outcome replaced and its notes appended to when c gives
// them (see [ActivityCompletion]); its kind, due time and actor kept (the
// acting actor is the event's). From its done time on the activity counts
// as any done one: [FirstContact], [FollowUpPolicy] and the Overdue
// listings count it, not before. It does not move the inquiry's stage (a
// first contact that moves New to Contacted is [Engine.Contact]); it is
// allowed in every stage, as logging an activity is, and the policy
// judges it as [CmdCompleteActivity] ([DefaultPolicy] as logging one).
//
// A malformed activity ID or completion is refused before the inquiry is
// read, with an error wrapping [sp.ErrInvalid] that names the field
// ("activity_id", "completion.notes"). Once it is read: an activity the
// inquiry does not have is an error wrapping [sp.ErrNotFound]; one done
// already is an error wrapping [ErrActivityDone], which wraps
// [sp.ErrInvalid] (a command sent again without an idempotency key gets
// it; with one, a retry gets the first outcome); a done time after the
// engine's time or before the inquiry's Received, and notes that together
// with the activity's pass 8 KiB, are errors wrapping [sp.ErrInvalid] that
// name "completion.done" or "completion.notes". Each changes nothing.
// Emits [EventInquiryActivityCompleted], whose Activity is the activity as
// completed.
func (e *Engine) CompleteInquiryActivity(ctx context.Context, by sp.Actor, id sp.InquiryID, activityID string, c ActivityCompletion, opts *CommandOptions) (Inquiry, error) {
	// As in LogInquiryActivity: the arguments before the fingerprint and
	// before any read.
	if err := checkCompletion(activityID, c); err != nil {
		return Inquiry{}, opError(CmdCompleteActivity, "inquiry", string(id), err)
	}
	args := completeArgs{Activity: activityID, Completion: c}
	return e.updateInquiry(ctx, CmdCompleteActivity, by, id, "", args, opts, func(_ context.Context, cl *call, in *Inquiry) (change, error) {
		acts, a, err := completeActivity(in.Activities, activityID, c, cl, in.Received, "inquiry's receipt")
		if err != nil {
			return change{}, err
		}
		in.Activities = acts
		return change{typ: EventInquiryActivityCompleted, reason: cl.opts.Reason, activity: a}, nil
	})
}

// checkActivity validates a as addActivity does, its actor defaulted to
// that of by; an acting actor that cannot be the default is left for
// Engine.begin to refuse, as it refuses it first when a is checked later.
func checkActivity(a Activity, by sp.Actor) error {
	if a.Actor == "" {
		if by.Validate() != nil {
			return nil
		}
		a.Actor = by.ID
	}
	return sp.InField("activity", a.Validate())
}

// addActivity validates a, defaulting its actor, and appends it to list.
func addActivity(list *[]Activity, a Activity, c *call) error {
	if a.Actor == "" {
		a.Actor = c.by.ID
	}
	if err := a.Validate(); err != nil {
		return sp.InField("activity", err)
	}
	if a.Done.After(c.now) {
		return sp.Invalid("activity.done", "%s is after the engine's time %s: a done activity took place", sp.FormatTime(a.Done), sp.FormatTime(c.now))
	}
	if slices.ContainsFunc(*list, func(x Activity) bool { return x.ID == a.ID }) {
		return fmt.Errorf("activity %s already logged: %w", sp.Quote(a.ID), sp.ErrDuplicate)
	}
	*list = append(*list, a)
	return nil
}

// Contact moves the inquiry id from New to Contacted: its first contact.
// If a is not the zero Activity it is logged with it, as done (Done
// defaults to now), and checked as [Engine.LogInquiryActivity] checks
// one. An inquiry in another stage is refused as [Engine.Qualify] says,
// the Reason of the refusal saying, for one contacted already, to log a
// later contact as an activity ([Engine.LogInquiryActivity]); for a
// disqualified one, to reopen it first; for a converted one, which deal
// it became. Emits [EventInquiryContacted].
func (e *Engine) Contact(ctx context.Context, by sp.Actor, id sp.InquiryID, a Activity, opts *CommandOptions) (Inquiry, error) {
	// As in LogInquiryActivity: the activity before the fingerprint. Its
	// Done defaults to now, a valid time, which any valid time stands for.
	if a != (Activity{}) {
		pre := a
		if pre.Done.IsZero() {
			pre.Done = time.Unix(0, 0).UTC()
		}
		if err := checkActivity(pre, by); err != nil {
			return Inquiry{}, opError(CmdContact, "inquiry", string(id), err)
		}
	}
	return e.updateInquiry(ctx, CmdContact, by, id, "", a, opts, func(ctx context.Context, c *call, in *Inquiry) (change, error) {
		ch := change{typ: EventInquiryContacted, reason: c.opts.Reason}
		a := a // a Transactor may run this again: each run times a afresh
		acts := in.Activities
		if a != (Activity{}) {
			if a.Done.IsZero() {
				a.Done = c.now
			}
			acts = slices.Clone(in.Activities)
			if err := addActivity(&acts, a, c); err != nil {
				return change{}, err
			}
			ch.activity = &acts[len(acts)-1]
		}
		if err := e.inquiryM.Fire(ctx, in, InquiryContacted, c.stamp()); err != nil {
			return change{}, e.hintRefusal(CmdContact, in, err)
		}
		in.Activities = acts
		return ch, nil
	})
}

// Qualify moves the inquiry id from Contacted to Qualified: a potential
// customer worth a deal. An inquiry in another stage is refused with the
// inquiry machine's [*TransitionError], from its stage to Qualified, which
// unwraps to [sp.ErrInvalidTransition] and changes nothing; after the
// machine's reason ("no such move", "the stage is closed"), its Reason says
// what to do first, where there is a step to take: for a new inquiry,
// "contact the inquiry first"; for a disqualified one, "reopen the inquiry
// first (reopen_inquiry, a manager's act), then contact it", naming the
// command of [Engine.ReopenInquiry], and who runs it only under
// [DefaultPolicy]; for a converted one, which it cannot leave, in place of
// the machine's "and cannot be reopened", the deal it was converted to ("already
// converted to deal "d-17"", or "already converted" when its Deal is
// empty). The other inquiry commands word their refusals the same way.
// Emits [EventInquiryQualified].
func (e *Engine) Qualify(ctx context.Context, by sp.Actor, id sp.InquiryID, opts *CommandOptions) (Inquiry, error) {
	return e.updateInquiry(ctx, CmdQualify, by, id, "", nil, opts, func(ctx context.Context, c *call, in *Inquiry) (change, error) {
		if err := e.inquiryM.Fire(ctx, in, InquiryQualified, c.stamp()); err != nil {
			return change{}, e.hintRefusal(CmdQualify, in, err)
		}
		return change{typ: EventInquiryQualified, reason: c.opts.Reason}, nil
	})
}

// Disqualify moves the open inquiry id to Disqualified for reason (1 to
// 1024 bytes), kept in [Inquiry.DisqualifyReason], and, in place of the
// options' Reason, in the history and the event. A missing or malformed
// reason is refused before the inquiry is read. A converted inquiry is
// refused as [Engine.Qualify] refuses it, the Reason naming the deal it
// became. Emits [EventInquiryDisqualified].
func (e *Engine) Disqualify(ctx context.Context, by sp.Actor, id sp.InquiryID, reason string, opts *CommandOptions) (Inquiry, error) {
	if reason == "" {
		return Inquiry{}, opError(CmdDisqualify, "inquiry", string(id), sp.Invalid("reason", "empty; disqualifying needs a reason"))
	}
	if err := checkText("reason", reason, maxReason, true); err != nil {
		return Inquiry{}, opError(CmdDisqualify, "inquiry", string(id), err)
	}
	return e.updateInquiry(ctx, CmdDisqualify, by, id, "", reason, opts, func(ctx context.Context, c *call, in *Inquiry) (change, error) {
		s := c.stamp()
		s.Reason = reason
		if err := e.inquiryM.Fire(ctx, in, InquiryDisqualified, s); err != nil {
			return change{}, e.hintRefusal(CmdDisqualify, in, err)
		}
		in.DisqualifyReason = reason
		return change{typ: EventInquiryDisqualified, reason: reason}, nil
	})
}

// ReopenInquiry moves the disqualified inquiry id back to New and clears
// its disqualify reason. Under [DefaultPolicy] it is a manager's act. A
// converted inquiry, which is not reopened, is refused as [Engine.Qualify]
// refuses it, the Reason naming the deal it became. Emits
// [EventInquiryReopened].
func (e *Engine) ReopenInquiry(ctx context.Context, by sp.Actor, id sp.InquiryID, opts *CommandOptions) (Inquiry, error) {
	return e.updateInquiry(ctx, CmdReopenInquiry, by, id, "", nil, opts, func(ctx context.Context, c *call, in *Inquiry) (change, error) {
		if err := e.inquiryM.Reopen(ctx, in, InquiryNew, c.stamp()); err != nil {
			return change{}, e.hintRefusal(CmdReopenInquiry, in, err)
		}
		in.DisqualifyReason = ""
		return change{typ: EventInquiryReopened, reason: c.opts.Reason}, nil
	})
}

// inquiryMoves names, at index i, the command that moves an inquiry on
// from the open stage of index i in New, Contacted, Qualified: the steps
// Engine.inquiryRefusal says to take first.
var inquiryMoves = [...]string{"contact", "qualify"}

// reasonStageClosed is reasonClosed without its "reopen it", and
// reasonFinal without its "and cannot be reopened", which
// Engine.inquiryRefusal replaces with what to do for the inquiry's closed
// stage.
const reasonStageClosed = "the stage is closed"

// inquiryRefusal returns the reason of the refusal of command cmd on the
// inquiry in, whose stage does not allow it: reason, the machine's (or,
// for a command that moves no stage, the command's own), followed, where
// one helps, by what to do instead. For a converted inquiry that is the
// deal it was converted to, as its record says; for one that a command
// needs further on (Assign needs it open, Contact new, Qualify contacted,
// Convert qualified), the steps to take first, reopening first for a
// disqualified one, named by its command and, under [DefaultPolicy], said
// to be a manager's act; for Contact on an inquiry contacted already, to
// log a later contact as an activity. The hint takes the place of
// reasonClosed's "reopen it" and of reasonFinal's "and cannot be
// reopened", which the machine says of a converted inquiry. Every
// inquiry command that its record's stage refuses words its refusal here.
func (e *Engine) inquiryRefusal(cmd Command, in *Inquiry, reason string) string {
	hint := ""
	switch {
	case in.Stage == InquiryConverted:
		hint = "already converted"
		if in.Deal != "" {
			hint += " to deal " + sp.Quote(string(in.Deal))
		}
	case cmd == CmdContact && (in.Stage == InquiryContacted || in.Stage == InquiryQualified):
		hint = "log a later contact as an activity (" + string(CmdLogActivity) + ")"
	default:
		hint = e.stepsFirst(cmd, in.Stage)
	}
	if hint == "" {
		return reason
	}
	if reason == reasonClosed || reason == reasonFinal {
		reason = reasonStageClosed
	}
	return reason + "; " + hint
}

// stepsFirst says what to do to an inquiry in stage from before command
// cmd, which needs it further on, is allowed: the moves from stage from to
// the stage cmd needs (New for Assign and Contact, Contacted for Qualify,
// Qualified for Convert), after reopening it, to New, when it is
// disqualified. It is empty when there is none to take, and for any other
// command or stage.
func (e *Engine) stepsFirst(cmd Command, from InquiryStage) string {
	need := 0
	switch cmd {
	case CmdAssign, CmdContact:
	case CmdQualify:
		need = 1
	case CmdConvert:
		need = 2
	default:
		return ""
	}
	at := 0
	switch from {
	case InquiryNew, InquiryDisqualified: // reopened to New
	case InquiryContacted:
		at = 1
	case InquiryQualified:
		at = 2
	default:
		return ""
	}
	steps := ""
	if at < need {
		steps = strings.Join(inquiryMoves[at:need], " and ")
	}
	if from != InquiryDisqualified {
		if steps == "" {
			return ""
		}
		return steps + " the inquiry first"
	}
	who := ""
	switch e.policy.(type) {
	case DefaultPolicy, *DefaultPolicy:
		who = ", a manager's act"
	}
	hint := "reopen the inquiry first (" + string(CmdReopenInquiry) + who + ")"
	if steps != "" {
		hint += ", then " + steps + " it"
	}
	return hint
}

// hintRefusal returns err, the inquiry machine's error for the move of
// command cmd on the inquiry in, with, when it is a refusal of the move
// (the inquiry machine has no guards), the reason of
// [Engine.inquiryRefusal] in place of the machine's.
func (e *Engine) hintRefusal(cmd Command, in *Inquiry, err error) error {
	te, ok := err.(*TransitionError)
	if !ok || te.Guard != "" || te.Err != nil {
		return err
	}
	hinted := *te
	hinted.Reason = e.inquiryRefusal(cmd, in, te.Reason)
	return &hinted
}
