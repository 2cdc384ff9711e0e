package pipeline

import (
	"fmt"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// ErrActivityDone reports a planned activity to be completed that is done
// already, by an earlier completion or as it was logged. It wraps
// [sp.ErrInvalid]: the same command sent again without an idempotency key
// (a retry of one that succeeded) gets it, and reading the record again
// does not make it succeed, as it would after an [sp.ErrConflict].
var ErrActivityDone = fmt.Errorf("pipeline: activity already done: %w", sp.ErrInvalid)

// ActivityCompletion says how a planned [Activity] was done, for
// [Engine.CompleteInquiryActivity] and [Engine.CompleteDealActivity].
// Its zero value completes an activity at the engine's time, its outcome
// and notes as they were.
type ActivityCompletion struct {
	// Done is when the activity was done; zero means the engine's time at
	// the command (its clock's reading).
	Done time.Time `json:"done"`
	// Outcome, when not empty, replaces the activity's outcome (up to 1
	// KiB); empty keeps it.
	Outcome string `json:"outcome,omitempty"`
	// Notes, when not empty, are appended to the activity's notes, after a
	// line break when it has some, so that the notes made when it was
	// planned (what to ask, say) stay beside what was said; empty keeps
	// them. The notes together hold up to 8 KiB, as an activity's do.
	Notes string `json:"notes,omitempty"`
}

// Validate reports whether c is well formed: a Done that is zero or a
// time [sp.ValidateTime] takes, and an outcome (up to 1 KiB) and notes
// (up to 8 KiB) of valid UTF-8 without control characters other than tabs
// and line breaks, as [Activity.Validate] checks them. Errors wrap
// [sp.ErrInvalid] and name the field ("done"). It does not check c against
// the activity it completes: the engine's commands do.
func (c ActivityCompletion) Validate() error {
	if err := checkTime("done", c.Done); err != nil {
		return err
	}
	if err := checkText("outcome", c.Outcome, maxReason, true); err != nil {
		return err
	}
	return checkText("notes", c.Notes, maxNotes, true)
}

// completeArgs are the arguments of a completion, as a keyed command's
// fingerprint takes them.
type completeArgs struct {
	Activity   string             `json:"activity_id"`
	Completion ActivityCompletion `json:"completion"`
}

// checkCompletion validates the arguments of a completion before the
// record is read: the ID as [Activity.Validate] checks one, named
// "activity_id", and c, named below "completion".
func checkCompletion(activityID string, c ActivityCompletion) error {
	if err := checkActivityID("activity_id", activityID); err != nil {
		return err
	}
	return sp.InField("completion", c.Validate())
}

// completeActivity marks the planned activity activityID of list done as
// comp says, for call c: it returns the list changed, a copy, and the
// activity as completed, or an error with list unchanged. A done time
// after the engine's time is refused, and so is one before since unless
// since is zero (an inquiry's receipt, which what names in the error).
func completeActivity(list []Activity, activityID string, comp ActivityCompletion, c *call, since time.Time, what string) ([]Activity, *Activity, error) {
	i := slices.IndexFunc(list, func(a Activity) bool { return a.ID == activityID })
	if i < 0 {
		return nil, nil, fmt.Errorf("no activity %s: %w", sp.Quote(activityID), sp.ErrNotFound)
	}
	a := list[i]
	if a.IsDone() {
		return nil, nil, fmt.Errorf("activity %s was done at %s: %w", sp.Quote(activityID), sp.FormatTime(a.Done), unprefixed{ErrActivityDone})
	}
	done := comp.Done
	if done.IsZero() {
		done = c.now
	}
	// It took place: not later than the engine's time, nor before an
	// inquiry's receipt, where FirstContact would not count it.
	switch {
	case done.After(c.now):
		return nil, nil, sp.Invalid("completion.done", "%s is after the engine's time %s", sp.FormatTime(done), sp.FormatTime(c.now))
	case !since.IsZero() && done.Before(since):
		return nil, nil, sp.Invalid("completion.done", "%s is before the %s at %s", sp.FormatTime(done), what, sp.FormatTime(since))
	}
	a.Done = done
	if comp.Outcome != "" {
		a.Outcome = comp.Outcome
	}
	if comp.Notes != "" {
		if a.Notes != "" {
			a.Notes += "\n"
		}
		a.Notes += comp.Notes
		if len(a.Notes) > maxNotes {
			return nil, nil, sp.Invalid("completion.notes", "with the activity's notes, %d bytes, more than %d", len(a.Notes), maxNotes)
		}
	}
	out := slices.Clone(list)
	out[i] = a
	return out, &out[i], nil
}
