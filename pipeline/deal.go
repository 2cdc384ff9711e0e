package pipeline

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/shopspring/decimal"
)

// Limits on free text, in bytes.
const (
	maxReason = 1024 // a reason, a loss detail, an outcome
	maxNotes  = 8192 // the notes of an activity
	maxLines  = 1000 // the lines of a deal

	maxActivities = 1000 // the activities a record is created with
	maxFeedback   = 1000 // the pieces of feedback of a follow-up
)

// Validate reports whether l has a known category and a detail of 1 to
// 1024 bytes of UTF-8.
func (l LossReason) Validate() error {
	if err := l.Category.Validate(); err != nil {
		return sp.InField("category", err)
	}
	if l.Detail == "" {
		return sp.Invalid("detail", "empty")
	}
	return checkText("detail", l.Detail, maxReason, true)
}

// Total returns the line's amount: Quantity × UnitPrice × (1 − Discount),
// rounded half-up to the currency's minor unit. It refuses, with an error
// wrapping [sp.ErrInvalid], a product that is not a valid ID, a
// quantity below 1, an invalid or negative unit price, a discount outside
// 0 to 1, and a total beyond the bounds of [sp.Money].
func (l Line) Total() (sp.Money, error) {
	if err := l.Product.Validate(); err != nil {
		return sp.Money{}, sp.InField("product", err)
	}
	if l.Quantity < 1 {
		return sp.Money{}, sp.Invalid("quantity", "%d; want at least 1", l.Quantity)
	}
	if err := l.UnitPrice.Validate(); err != nil {
		return sp.Money{}, sp.InField("unit_price", err)
	}
	if l.UnitPrice.Sign() < 0 {
		return sp.Money{}, sp.Invalid("unit_price", "negative")
	}
	if err := checkUnit("discount", l.Discount); err != nil {
		return sp.Money{}, err
	}
	gross := l.UnitPrice.Mul(decimal.NewFromInt(l.Quantity))
	total := gross.Mul(decOne().Sub(l.Discount)).Round(sp.HalfUp)
	if err := total.Validate(); err != nil {
		return sp.Money{}, sp.Invalid("quantity", "%d units at %s make an amount beyond the bounds of money", l.Quantity, l.UnitPrice)
	}
	return total, nil
}

// LinesTotal returns the sum of the totals of lines (see [Line.Total]),
// all of one currency. No lines or more than 1000, a bad line (named by its
// index), a sum beyond the bounds of [sp.Money], or lines of several
// currencies are errors wrapping [sp.ErrInvalid] with a
// [*sp.ValidationError]; a line in another currency than the first
// ("lines[1].unit_price") wraps [sp.ErrCurrencyMismatch] as well.
func LinesTotal(lines []Line) (sp.Money, error) {
	switch {
	case len(lines) == 0:
		return sp.Money{}, sp.Invalid("lines", "none")
	case len(lines) > maxLines:
		return sp.Money{}, sp.Invalid("lines", "%d lines, more than %d", len(lines), maxLines)
	}
	currency := lines[0].UnitPrice.Currency()
	acc := sp.NewAccumulator(currency)
	for i, l := range lines {
		t, err := l.Total()
		if err != nil {
			return sp.Money{}, sp.InField("lines["+strconv.Itoa(i)+"]", err)
		}
		if t.Currency() != currency {
			return sp.Money{}, fmt.Errorf("%w: %w", sp.Invalid("lines["+strconv.Itoa(i)+"].unit_price",
				"in %s, where lines[0] is in %s", t.Currency(), currency), sp.ErrCurrencyMismatch)
		}
		if err := acc.Add(t); err != nil {
			return sp.Money{}, fmt.Errorf("lines[%d]: %w", i, err)
		}
	}
	total := acc.Total()
	if err := total.Validate(); err != nil {
		return sp.Money{}, sp.Invalid("lines", "the total is beyond the bounds of money")
	}
	return total, nil
}

// Terms are what a deal sells and when it is expected to close: product
// lines, or an amount without lines, and the expected close date. The zero
// Terms are no lines, no amount and no expected close date:
// [Engine.SetTerms] with them leaves the deal without an amount.
type Terms struct {
	// Lines, when not empty, make the amount: [LinesTotal] of them.
	Lines []Line `json:"lines,omitempty"`
	// Amount is the deal's value when it has no lines. With lines it may be
	// left unset, or be their total (a form that sends both); another
	// amount is refused, rather than silently replaced by the total. The
	// zero Money leaves a deal without lines without an amount.
	Amount sp.Money `json:"amount"`
	// ExpectedClose is when the deal is expected to close; zero if unknown.
	// It is an instant, which package quota's forecasts compare with the
	// bounds of goals' periods: a date belongs at the start of that day in
	// the deal's region's time zone ([sp.DayStart]), since midnight UTC of
	// December 1 is still November 30 west of UTC, in a region's November.
	ExpectedClose time.Time `json:"expected_close"`
}

// apply sets the terms on d after checking them; on error d is unchanged.
// An amount beside lines is replaced by their total: whether it is that
// total is for [Terms.agrees] to say.
func (t Terms) apply(d *Deal) error {
	if err := checkTime("expected_close", t.ExpectedClose); err != nil {
		return err
	}
	amount := t.Amount
	if len(t.Lines) > 0 {
		total, err := LinesTotal(t.Lines)
		if err != nil {
			return err
		}
		amount = total
	} else if !amount.IsUnset() {
		if err := amount.Validate(); err != nil {
			return sp.InField("amount", err)
		}
		if amount.Sign() < 0 {
			return sp.Invalid("amount", "negative")
		}
	}
	d.Lines = slices.Clone(t.Lines)
	d.Amount = amount
	d.ExpectedClose = t.ExpectedClose
	return nil
}

// agrees reports an error wrapping [sp.ErrInvalid] unless the amount of
// terms with lines is unset or total, the amount [Terms.apply] set from
// them. The commands ask it once the write has begun, after the outcome of
// a keyed retry has had its chance to replay: a command stored before the
// check was made, with another amount, replays across an upgrade rather
// than being refused.
func (t Terms) agrees(total sp.Money) error {
	if len(t.Lines) == 0 || t.Amount.IsUnset() || t.Amount.Equal(total) {
		return nil
	}
	err := sp.Invalid("amount", "%s, where the lines total %s: leave it unset, or give their total", t.Amount, total)
	if t.Amount.Currency() != total.Currency() {
		return fmt.Errorf("%w: %w", err, sp.ErrCurrencyMismatch)
	}
	return err
}

// Clone returns a deep copy of d: its slices and pointers are its own, so
// that changing one does not change the other.
func (d Deal) Clone() Deal {
	c := d
	c.Lines = slices.Clone(d.Lines)
	c.History = slices.Clone(d.History)
	c.Activities = slices.Clone(d.Activities)
	if d.Loss != nil {
		l := *d.Loss
		c.Loss = &l
	}
	if d.Service != nil {
		s := d.Service.Clone()
		c.Service = &s
	}
	return c
}

// Clone returns a deep copy of s.
func (s Service) Clone() Service {
	c := s
	c.History = slices.Clone(s.History)
	c.Feedback = slices.Clone(s.Feedback)
	return c
}

// Clone returns a deep copy of in: its slices are its own.
func (in Inquiry) Clone() Inquiry {
	c := in
	c.History = slices.Clone(in.History)
	c.Activities = slices.Clone(in.Activities)
	return c
}

// Validate reports whether a is complete: an ID of 1 to 128 bytes, a known
// kind, a valid actor, a due or a done time (times that [sp.ValidateTime]
// takes: within the years 1 to 9999, less than a day off UTC), and an
// outcome (up to 1 KiB) and notes (up to 8 KiB) of valid UTF-8 without
// control characters other than tabs and line breaks.
func (a Activity) Validate() error {
	if err := checkActivityID("id", a.ID); err != nil {
		return err
	}
	if err := a.Kind.Validate(); err != nil {
		return sp.InField("kind", err)
	}
	if err := a.Actor.Validate(); err != nil {
		return sp.InField("actor", err)
	}
	if a.Due.IsZero() && a.Done.IsZero() {
		return sp.Invalid("done", "neither due nor done")
	}
	if err := checkTime("due", a.Due); err != nil {
		return err
	}
	if err := checkTime("done", a.Done); err != nil {
		return err
	}
	if err := checkText("outcome", a.Outcome, maxReason, true); err != nil {
		return err
	}
	return checkText("notes", a.Notes, maxNotes, true)
}

// checkActivityID refuses, naming field, an activity ID that is empty,
// longer than [sp.MaxIDLength] bytes or not a name (see [sp.ValidateText]).
func checkActivityID(field, id string) error {
	switch {
	case id == "":
		return sp.Invalid(field, "empty")
	case len(id) > sp.MaxIDLength:
		return sp.Invalid(field, "longer than %d bytes", sp.MaxIDLength)
	}
	return checkName(field, id)
}

// IsDone reports whether a was done (Done set).
func (a Activity) IsDone() bool { return !a.Done.IsZero() }

// CheckHistory reports whether history agrees with stage: it is not empty,
// its first transition comes from the empty stage, each one goes to a
// stage, at a time that is not zero, starts where the one before ended,
// and does not go back in time, and the last one ends in stage. A history
// of the zero [Transition], or stamped with the zero [Stamp], is refused.
// Errors wrap [sp.ErrInvalid].
func CheckHistory[S ~string](stage S, history []Transition[S]) error {
	if len(history) == 0 {
		return sp.Invalid("history", "empty")
	}
	if history[0].From != "" {
		return sp.Invalid("history[0].from", "%q; want the empty stage", history[0].From)
	}
	for i := 1; i < len(history); i++ {
		if history[i].From != history[i-1].To {
			return sp.Invalid("history["+strconv.Itoa(i)+"].from", "%q; the transition before ends in %q", history[i].From, history[i-1].To)
		}
		if history[i].At.Before(history[i-1].At) {
			return sp.Invalid("history["+strconv.Itoa(i)+"].at", "before the transition before")
		}
	}
	if last := history[len(history)-1].To; last != stage {
		return sp.Invalid("history", "ends in %q; the stage is %q", last, stage)
	}
	for i, t := range history {
		if t.To == "" {
			return sp.Invalid("history["+strconv.Itoa(i)+"].to", "empty")
		}
		if t.At.IsZero() {
			return sp.Invalid("history["+strconv.Itoa(i)+"].at", "zero")
		}
	}
	return nil
}

// TimeInStages returns how long a record spent in each stage of history:
// from each transition to the next, and from the last one to until, in
// elapsed time: a week in a stage across the night clocks spring forward is
// 6 days 23 hours. Time spent in a stage over several visits adds up. Every
// stage entered has an entry; a span that is not positive (until before the
// last transition, times that go backward) counts as zero. until bounds the
// last span only: transitions after it count in full, so pass the history
// up to until for the time in stages as of then. A time in a stage beyond
// the largest Duration (some 292 years) is the largest Duration.
func TimeInStages[S ~string](history []Transition[S], until time.Time) map[S]time.Duration {
	out := make(map[S]time.Duration)
	for i, t := range history {
		end := until
		if i+1 < len(history) {
			end = history[i+1].At
		}
		if d := end.Sub(t.At); d > 0 {
			out[t.To] = addCapped(out[t.To], d)
		} else if _, ok := out[t.To]; !ok {
			out[t.To] = 0
		}
	}
	return out
}

// addCapped returns a+b, of two durations that are not negative, or the
// largest Duration where the sum is beyond it.
func addCapped(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// TimeInStages returns how long the deal spent in each stage, counting the
// current one until until, or, if the deal is closed, until its close time
// whatever until says (see the function TimeInStages).
func (d Deal) TimeInStages(until time.Time) map[DealStage]time.Duration {
	if !d.Closed.IsZero() {
		until = d.Closed
	}
	return TimeInStages(d.History, until)
}

// TimeInStages returns how long the inquiry spent in each stage, counting
// the current one until until.
func (in Inquiry) TimeInStages(until time.Time) map[InquiryStage]time.Duration {
	return TimeInStages(in.History, until)
}

// validateNew checks the fields of a deal a host opens: IDs, owner, terms.
func (d Deal) validateNew() error {
	if err := d.ID.Validate(); err != nil {
		return sp.InField("id", err)
	}
	if err := d.Owner.Validate(); err != nil {
		return sp.InField("owner", err)
	}
	if err := d.Customer.Validate(); err != nil {
		return sp.InField("customer", err)
	}
	if err := d.Product.Validate(); err != nil {
		return sp.InField("product", err)
	}
	for _, opt := range []struct {
		field string
		err   error
	}{
		{"region", optional(d.Region)},
		{"channel", optional(d.Channel)},
		{"campaign", optional(d.Campaign)},
		{"inquiry", optional(d.Inquiry)},
	} {
		if opt.err != nil {
			return sp.InField(opt.field, opt.err)
		}
	}
	return nil
}

// checkActivities validates the activities a new record comes with: each
// one valid, no ID twice, at most maxActivities.
func checkActivities(as []Activity) error {
	if len(as) > maxActivities {
		return sp.Invalid("activities", "%d activities, more than %d", len(as), maxActivities)
	}
	seen := make(map[string]struct{}, len(as))
	for i, a := range as {
		field := "activities[" + strconv.Itoa(i) + "]"
		if err := a.Validate(); err != nil {
			return sp.InField(field, err)
		}
		if _, dup := seen[a.ID]; dup {
			return sp.Invalid(field+".id", "activity %s listed twice", sp.Quote(a.ID))
		}
		seen[a.ID] = struct{}{}
	}
	return nil
}

// optional validates id unless it is empty.
func optional[T interface {
	~string
	Validate() error
}](id T) error {
	if id == "" {
		return nil
	}
	return id.Validate()
}
