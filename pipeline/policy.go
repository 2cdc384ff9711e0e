package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// Eligibility answers whether a rep may own work for a product on a
// channel at a time: whether they are trained and certified for it. The
// training package's readiness satisfies it; pipeline does not import
// training. It is not told the record's region, and nothing in the package
// knows a rep's: a host whose reps own work only in their own regional
// division checks that in a [Policy] of its own, from [Target].Region and
// [Target].NewOwner (see [DefaultPolicy]).
//
// Eligible returns nil if the rep is eligible, an error wrapping
// [sp.ErrForbidden] that says why if not, and any other error
// (a storage failure) if it cannot tell; the engine passes such errors
// through as they are. channel may be empty when the work has none.
// Implementations must be safe for concurrent use. The engine may ask
// inside a transaction of its DealStore, where Eligible must not call the
// engine or its stores, and asks before it writes the change, without
// holding what Eligible read until the change is stored: a rep whose
// eligibility is withdrawn meanwhile keeps the record (see
// [Options].Eligibility).
type Eligibility interface {
	Eligible(ctx context.Context, rep sp.RepID, product sp.ProductID, channel sp.ChannelID, at time.Time) error
}

// EligibilityFunc adapts a function to [Eligibility]. A nil
// EligibilityFunc finds everyone eligible, as a nil Eligibility does in
// [Options] and [RequireCertifiedOwner].
type EligibilityFunc func(ctx context.Context, rep sp.RepID, product sp.ProductID, channel sp.ChannelID, at time.Time) error

var _ Eligibility = EligibilityFunc(nil)

// Eligible returns f(ctx, rep, product, channel, at), or nil if f is nil.
func (f EligibilityFunc) Eligible(ctx context.Context, rep sp.RepID, product sp.ProductID, channel sp.ChannelID, at time.Time) error {
	if f == nil {
		return nil
	}
	return f(ctx, rep, product, channel, at)
}

// eligibilityVerdict turns the answer of an Eligibility into a guard's
// result: a refusal stays one, any other error aborts the transition.
func eligibilityVerdict(err error) error {
	if err == nil || errors.Is(err, sp.ErrForbidden) {
		return err
	}
	return Abort(err)
}

// orNil returns nil for a nil EligibilityFunc, and e otherwise.
func orNil(e Eligibility) Eligibility {
	if f, ok := e.(EligibilityFunc); ok && f == nil {
		return nil
	}
	return e
}

// checkEligible asks e (nil: everyone is eligible) about rep, and words a
// refusal.
func checkEligible(ctx context.Context, e Eligibility, rep sp.RepID, product sp.ProductID, channel sp.ChannelID, at time.Time) error {
	if e == nil {
		return nil
	}
	err := e.Eligible(ctx, rep, product, channel, at)
	if err != nil && errors.Is(err, sp.ErrForbidden) {
		return fmt.Errorf("pipeline: rep %s may not own work for product %s: %w", sp.Quote(string(rep)), sp.Quote(string(product)), err)
	}
	return err
}

// Command names a command of the [Engine], as policies and idempotency
// records see it. Its text form is its name. The zero Command is unset: it
// encodes as empty text and back, and Validate refuses it.
type Command string

// The commands.
const (
	CmdReceive       Command = "receive"
	CmdAssign        Command = "assign"
	CmdLogActivity   Command = "log_activity"
	CmdContact       Command = "contact"
	CmdQualify       Command = "qualify"
	CmdDisqualify    Command = "disqualify"
	CmdConvert       Command = "convert"
	CmdOpen          Command = "open"
	CmdSetTerms      Command = "set_terms"
	CmdAdvance       Command = "advance"
	CmdWin           Command = "win"
	CmdLose          Command = "lose"
	CmdReopen        Command = "reopen"
	CmdOverride      Command = "override_probability"
	CmdResetProb     Command = "reset_probability"
	CmdDeliver       Command = "deliver"
	CmdFollowUp      Command = "follow_up"
	CmdReopenInquiry Command = "reopen_inquiry"
	// CmdCompleteActivity marks a planned activity done
	// ([Engine.CompleteInquiryActivity], [Engine.CompleteDealActivity]);
	// [DefaultPolicy] allows it to whom it allows [CmdLogActivity].
	CmdCompleteActivity Command = "complete_activity"
)

var commands = []Command{
	CmdReceive, CmdAssign, CmdLogActivity, CmdContact, CmdQualify, CmdDisqualify, CmdConvert, CmdOpen, CmdSetTerms,
	CmdAdvance, CmdWin, CmdLose, CmdReopen, CmdOverride, CmdResetProb, CmdDeliver, CmdFollowUp, CmdReopenInquiry,
	CmdCompleteActivity,
}

// Validate reports whether c is a command of the [Engine].
func (c Command) Validate() error { return checkEnum("command", c, commands) }

// String returns c as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (c Command) String() string { return string(c) }

// MarshalText implements [encoding.TextMarshaler]: the name; the zero
// command encodes as empty text. As for UnmarshalText, an unknown command
// is an error wrapping [sp.ErrInvalid].
func (c Command) MarshalText() ([]byte, error) { return marshalEnum(c, Command.Validate) }

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text gives
// the zero command; an unknown command is an error wrapping
// [sp.ErrInvalid] and leaves c unchanged.
func (c *Command) UnmarshalText(text []byte) error {
	return unmarshalEnum(c, text, Command.Validate)
}

// Target is a record as an authorization policy sees it: its kind ("inquiry"
// or "deal"), its ID, owner, region and stage. For a command that creates a
// record ([CmdReceive], [CmdOpen]) it describes the record to be created;
// for [CmdConvert], the inquiry to be converted; for [CmdAssign], the record
// before the assignment; for every other command, the record before the
// change, so that for [CmdReopen] and [CmdReopenInquiry] Stage is the closed
// stage the record leaves, not the stage it is reopened to. NewOwner is the
// rep work is handed to: for [CmdAssign], the rep the record is assigned to;
// for [CmdConvert], the [Conversion]'s Owner when it is not the inquiry's
// owner, so that a policy that restricts hand-overs sees those made by
// converting (empty when the deal goes to the inquiry's owner); for every
// other command, empty. The zero Target is a record of no kind, ID, owner or
// region: [DefaultPolicy] lets an admin and the system act on it and refuses
// a rep and a manager.
type Target struct {
	Kind     string
	ID       string
	Owner    sp.RepID
	Region   sp.RegionID
	Stage    string
	NewOwner sp.RepID
}

// Policy decides whether an actor may run a command on a record. Authorize
// returns nil to allow and an error wrapping [sp.ErrForbidden] to refuse;
// the engine then changes nothing. Any other error (a failure) is passed
// through. Implementations must be safe for concurrent use. The engine may
// ask inside a transaction of its DealStore, where Authorize must not call
// the engine or its stores (see "Callbacks and transactions" in [Options]).
// Authorize must not change a's Regions, the caller's slice, and may keep a
// copy of that slice; it may keep t, which is its own value.
//
// A policy sees the actor, the command and the [Target], not the command's
// other arguments (the probability of an override, the terms, the stage a
// deal is reopened to). A host rule on those either checks them before the
// call or puts them in the command's ctx, which the engine hands to
// Authorize (through [Transactor.Atomically] when the command runs in a
// transaction).
//
// The engine checks the acting actor first ([sp.Actor.Validate]): an actor
// with an empty ID or a role other than the four of [sp.Role] is an error
// wrapping [sp.ErrInvalid], and neither the Policy nor [Options].OnRefused
// sees it. A host's own roles (a sales assistant, say) are therefore given
// one of those roles and told apart by the policy, by the actor's ID.
type Policy interface {
	Authorize(ctx context.Context, a sp.Actor, cmd Command, t Target) error
}

// PolicyFunc adapts a function to [Policy]. A nil PolicyFunc is
// [DefaultPolicy], as a nil Policy is in [Options].
type PolicyFunc func(ctx context.Context, a sp.Actor, cmd Command, t Target) error

var (
	_ Policy = PolicyFunc(nil)
	_ Policy = DefaultPolicy{}
)

// Authorize returns f(ctx, a, cmd, t), or what [DefaultPolicy] says if f
// is nil.
func (f PolicyFunc) Authorize(ctx context.Context, a sp.Actor, cmd Command, t Target) error {
	if f == nil {
		return DefaultPolicy{}.Authorize(ctx, a, cmd, t)
	}
	return f(ctx, a, cmd, t)
}

// DefaultPolicy is the policy of an [Engine] without one: a rep acts on
// their own records (and may take on an unassigned one only through a
// manager), a manager on the records of the regions they manage, an admin
// and the system on any. Reopening a disqualified inquiry is a manager's
// act: reps may not do it. Every other command on a rep's own record is
// the rep's: handing it to another rep ([Target].NewOwner is not judged),
// converting an inquiry to a deal another rep owns, reopening a won or
// lost deal. A host that reserves any of these for managers says so in a
// [PolicyFunc] of its own that asks DefaultPolicy for the rest. Nor does it
// judge the new owner's region: a manager of the south may hand a south
// inquiry to a rep of the north, and an inquiry may be received for an
// owner of another region, since the package does not know the reps'
// regions; a host that keeps reps to their division checks NewOwner (and,
// for a command that creates a record, Owner) against the region there
// too. It has no state: the zero DefaultPolicy is the policy.
type DefaultPolicy struct{}

// Authorize implements [Policy].
func (DefaultPolicy) Authorize(_ context.Context, a sp.Actor, cmd Command, t Target) error {
	switch a.Role {
	case sp.RoleAdmin, sp.RoleSystem:
		return nil
	case sp.RoleManager:
		if a.Manages(t.Region) {
			return nil
		}
		if t.Region == "" {
			return fmt.Errorf("pipeline: manager %s manages regions, and %s %s has none: set its region, or act as an admin: %w",
				sp.Quote(string(a.ID)), t.Kind, sp.Quote(t.ID), sp.ErrForbidden)
		}
		return fmt.Errorf("pipeline: manager %s does not manage region %s of %s %s: %w",
			sp.Quote(string(a.ID)), sp.Quote(string(t.Region)), t.Kind, sp.Quote(t.ID), sp.ErrForbidden)
	case sp.RoleRep:
		if cmd == CmdReopenInquiry {
			return fmt.Errorf("pipeline: reopening an inquiry is a manager's act, not rep %s's: %w", sp.Quote(string(a.ID)), sp.ErrForbidden)
		}
		if t.Owner != "" && a.IsRep(t.Owner) {
			return nil
		}
		return fmt.Errorf("pipeline: rep %s does not own %s %s: %w", sp.Quote(string(a.ID)), t.Kind, sp.Quote(t.ID), sp.ErrForbidden)
	}
	return fmt.Errorf("pipeline: unknown role %s: %w", sp.Quote(string(a.Role)), sp.ErrForbidden)
}
