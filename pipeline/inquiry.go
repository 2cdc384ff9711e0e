package pipeline

import (
	"fmt"
	"iter"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// NewInquiryMachine returns the stage machine of inquiries: New →
// Contacted → Qualified → Converted, Disqualified from any open stage, and
// Disqualified reopened to New. It has no guards or hooks; the [Engine]
// applies the inquiry rules around it. Each call builds a new machine,
// which is immutable and safe for concurrent use.
func NewInquiryMachine() *Machine[InquiryStage, *Inquiry] {
	type def = StageDef[InquiryStage, *Inquiry]
	type move = EdgeDef[InquiryStage, *Inquiry]
	m, err := NewMachine(MachineSpec[InquiryStage, *Inquiry]{
		Name:    "inquiry",
		Initial: InquiryNew,
		Stages: []def{
			{Stage: InquiryNew, Name: "New"},
			{Stage: InquiryContacted, Name: "Contacted"},
			{Stage: InquiryQualified, Name: "Qualified"},
			{Stage: InquiryConverted, Name: "Converted", Terminal: true},
			{Stage: InquiryDisqualified, Name: "Disqualified", Terminal: true},
		},
		Edges: []move{
			{From: InquiryNew, To: InquiryContacted},
			{From: InquiryContacted, To: InquiryQualified},
			{From: InquiryQualified, To: InquiryConverted},
			{From: InquiryNew, To: InquiryDisqualified},
			{From: InquiryContacted, To: InquiryDisqualified},
			{From: InquiryQualified, To: InquiryDisqualified},
			{From: InquiryDisqualified, To: InquiryNew, Reopen: true},
		},
	})
	if err != nil { // unreachable: the spec above is valid; kept as a guard
		panic(err)
	}
	return m
}

// NewServiceMachine returns the stage machine of the after-sale part of a
// won deal: AwaitingDelivery → Delivered → FollowedUp. Each call builds a
// new machine, which is immutable and safe for concurrent use.
func NewServiceMachine() *Machine[ServiceStage, *Service] {
	m, err := NewMachine(MachineSpec[ServiceStage, *Service]{
		Name:    "service",
		Initial: ServiceAwaitingDelivery,
		Stages: []StageDef[ServiceStage, *Service]{
			{Stage: ServiceAwaitingDelivery, Name: "Awaiting delivery"},
			{Stage: ServiceDelivered, Name: "Delivered"},
			{Stage: ServiceFollowedUp, Name: "Followed up", Terminal: true},
		},
		Edges: []EdgeDef[ServiceStage, *Service]{
			{From: ServiceAwaitingDelivery, To: ServiceDelivered},
			{From: ServiceDelivered, To: ServiceFollowedUp},
		},
	})
	if err != nil { // unreachable: the spec above is valid; kept as a guard
		panic(err)
	}
	return m
}

// validateNew checks the fields of an inquiry as received.
func (in Inquiry) validateNew() error {
	if err := in.ID.Validate(); err != nil {
		return sp.InField("id", err)
	}
	if err := in.Channel.Validate(); err != nil {
		return sp.InField("channel", err)
	}
	if err := in.Region.Validate(); err != nil {
		return sp.InField("region", err)
	}
	if err := in.Product.Validate(); err != nil {
		return sp.InField("product", err)
	}
	if err := in.Customer.Validate(); err != nil {
		return sp.InField("customer", err)
	}
	if err := optional(in.Campaign); err != nil {
		return sp.InField("campaign", err)
	}
	if err := optional(in.Owner); err != nil {
		return sp.InField("owner", err)
	}
	if err := checkName("locality", in.Locality); err != nil {
		return err
	}
	if in.Stage != "" || len(in.History) > 0 || in.Version != 0 || in.Deal != "" || in.DisqualifyReason != "" {
		return sp.Invalid("stage", "a received inquiry has no stage, history, version, deal or disqualify reason yet")
	}
	if err := checkTime("received", in.Received); err != nil {
		return err
	}
	return checkActivities(in.Activities)
}

// FollowUpPolicy says how soon inquiries must be followed up: the first
// contact within FirstContact of receipt, and each next touch within
// NextTouch of the one before, for as long as the inquiry is open (New,
// Contacted or Qualified). The first contact is as the function
// [FirstContact] finds it. A touch is an activity done or a move of the
// inquiry's stage (a qualification, say): the next one is due NextTouch
// after the latest of them; a planned activity is none. Until the first
// contact, the due time is FirstContact after receipt whatever else
// happened: an inquiry disqualified while New and reopened after that time
// is overdue at once, until someone contacts it. The limits are
// elapsed time, not calendar days or readings of a clock: a next touch
// within 72h of a call at 10:30 on the Friday before clocks turn back an
// hour (Europe/Berlin, October 25, 2026) is due at 09:30 on Monday by the
// region's clock, and one across the spring change at 11:30. A zero duration
// means no limit of that kind. A negative one is invalid:
// [FollowUpPolicy.Validate], the JSON decoding and the Overdue listings
// refuse it with an error wrapping [sp.ErrInvalid], and
// [FollowUpPolicy.Check] and [FollowUpPolicy.Due], which report no errors,
// take it as no limit.
//
// The JSON form has each duration as text, as [sp.Duration] writes it
// ({"first_contact":"24h0m0s"} for 24 hours), as the rules document of
// package review writes the same policy, which it gives by its
// FollowUpSignal.Policy. Decoding reads that text, any text
// [time.ParseDuration] reads, and an integer of nanoseconds, the form
// encoding/json gives a [time.Duration] ({"first_contact":86400000000000}),
// and refuses a member it does not know, a misspelt limit that would
// otherwise be none, naming it. The zero FollowUpPolicy sets no limit: its
// Validate accepts it, and no inquiry is ever overdue under it.
type FollowUpPolicy struct {
	FirstContact time.Duration `json:"first_contact"`
	NextTouch    time.Duration `json:"next_touch"`
}

// Validate reports whether p is a valid policy, as a host checks one read
// from its configuration: a negative duration is an error wrapping
// [sp.ErrInvalid] that names it ("follow_up_policy.first_contact").
func (p FollowUpPolicy) Validate() error {
	switch {
	case p.FirstContact < 0:
		return sp.Invalid("follow_up_policy.first_contact", "%s is negative", p.FirstContact)
	case p.NextTouch < 0:
		return sp.Invalid("follow_up_policy.next_touch", "%s is negative", p.NextTouch)
	}
	return nil
}

// FirstContact returns when in was first contacted: the earlier of its
// first done activity and its move to Contacted, counting only those at or
// after its receipt (an activity dated before the inquiry arrived answers
// nothing), and false if neither happened.
func FirstContact(in Inquiry) (time.Time, bool) {
	return firstContact(&in, time.Time{})
}

// firstContact is [FirstContact] counting only what happened by until, or
// everything if until is zero.
func firstContact(in *Inquiry, until time.Time) (time.Time, bool) {
	var first time.Time
	for _, a := range in.Activities {
		if a.IsDone() && !a.Done.Before(in.Received) && notAfter(a.Done, until) && (first.IsZero() || a.Done.Before(first)) {
			first = a.Done
		}
	}
	for _, t := range in.History {
		if t.To == InquiryContacted && !t.At.Before(in.Received) && notAfter(t.At, until) && (first.IsZero() || t.At.Before(first)) {
			first = t.At
		}
	}
	return first, !first.IsZero()
}

// notAfter reports whether t is not after until; a zero until bounds nothing.
func notAfter(t, until time.Time) bool { return until.IsZero() || !t.After(until) }

// FirstResponse returns the time from receipt to the first contact of in
// (see [FirstContact]), never negative, and false if it was never
// contacted.
func FirstResponse(in Inquiry) (time.Duration, bool) {
	first, ok := FirstContact(in)
	if !ok {
		return 0, false
	}
	return first.Sub(in.Received), true
}

// lastTouch returns the latest done activity or stage change of in by
// until (see firstContact).
func lastTouch(in *Inquiry, until time.Time) time.Time {
	var last time.Time
	for _, a := range in.Activities {
		if a.Done.After(last) && notAfter(a.Done, until) {
			last = a.Done
		}
	}
	for _, t := range in.History {
		if t.From != "" && t.At.After(last) && notAfter(t.At, until) {
			last = t.At
		}
	}
	return last
}

// StageAt returns the stage in was in at time at, by its history: its
// stage, unless a move of its history came later, and then the stage the
// first such move left. Before the first move of its history, its
// recording, that is the empty stage, except from its Received time on: an
// inquiry recorded later than it was received was in the stage it was
// recorded in (New) from its receipt, as [FollowUpPolicy.Check] counts it.
func (in Inquiry) StageAt(at time.Time) InquiryStage { return stageAt(&in, at) }

func stageAt(in *Inquiry, at time.Time) InquiryStage {
	for i, t := range in.History {
		if t.At.After(at) {
			if i == 0 && t.From == "" && !at.Before(in.Received) {
				return t.To // received before it was recorded
			}
			return t.From
		}
	}
	return in.Stage
}

// Overdue describes an inquiry whose follow-up is late. The zero Overdue is
// what [FollowUpPolicy.Check] returns for an inquiry that is not overdue.
type Overdue struct {
	Inquiry sp.InquiryID `json:"inquiry"`
	Owner   sp.RepID     `json:"owner,omitempty"`
	// FirstContact is true when the inquiry awaits its first contact, false
	// when it awaits its next touch.
	FirstContact bool `json:"first_contact"`
	// Due is when the contact or touch was due.
	Due time.Time `json:"due"`
	// Late is how late it is at the time asked about. The JSON form has it
	// as text ("26h30m0s"); decoding reads an integer of nanoseconds too
	// (see [sp.Duration]).
	Late time.Duration `json:"late"`
}

// Due returns when in must next be touched under p, and whether that is a
// first contact; ok is false when in is closed (converted or disqualified)
// or p sets no limit for its case.
func (p FollowUpPolicy) Due(in Inquiry) (due time.Time, first, ok bool) {
	return p.due(&in, in.Stage, time.Time{})
}

// due is [FollowUpPolicy.Due] for in in stage, counting only the contacts
// and touches made by until (see firstContact).
func (p FollowUpPolicy) due(in *Inquiry, stage InquiryStage, until time.Time) (due time.Time, first, ok bool) {
	if !stage.IsOpen() {
		return time.Time{}, false, false
	}
	if _, contacted := firstContact(in, until); !contacted {
		if p.FirstContact <= 0 {
			return time.Time{}, true, false
		}
		return in.Received.Add(p.FirstContact), true, true
	}
	if p.NextTouch <= 0 {
		return time.Time{}, false, false
	}
	return lastTouch(in, until).Add(p.NextTouch), false, true
}

// Check reports whether in is overdue at time at under p, and how. It
// judges in as it was at that time: in its stage then ([Inquiry.StageAt]),
// by the activities done and the moves made by then, so that a contact or
// a close after at does not hide a follow-up that was late. The follow-up
// clock starts at its receipt: from Received on, an inquiry recorded later
// than it was received is judged in the stage it was recorded in (New)
// before the first entry of its history too.
func (p FollowUpPolicy) Check(in Inquiry, at time.Time) (Overdue, bool) {
	due, first, ok := p.due(&in, stageAt(&in, at), at)
	if !ok || !at.After(due) {
		return Overdue{}, false
	}
	return Overdue{Inquiry: in.ID, Owner: in.Owner, FirstContact: first, Due: due, Late: at.Sub(due)}, true
}

// Overdue returns the inquiries of seq that are overdue at time at, in the
// order of seq. An error of seq is yielded and ends the sequence; a nil seq
// yields nothing. A negative duration in p is yielded as an error wrapping
// [sp.ErrInvalid], alone. Each iteration ranges over seq again: the
// sequence is as reusable as seq is.
func (p FollowUpPolicy) Overdue(seq iter.Seq2[Inquiry, error], at time.Time) iter.Seq2[Overdue, error] {
	return func(yield func(Overdue, error) bool) {
		if err := p.Validate(); err != nil {
			yield(Overdue{}, fmt.Errorf("pipeline: overdue: %w", err))
			return
		}
		if seq == nil {
			return
		}
		for in, err := range seq {
			if err != nil {
				yield(Overdue{}, err)
				return
			}
			if o, late := p.Check(in, at); late && !yield(o, nil) {
				return
			}
		}
	}
}
