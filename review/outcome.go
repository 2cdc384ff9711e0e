package review

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// The types of the events a review emits through [Options.Publisher].
// Their Subject is the finding's subject key ([Subject.Key]) or the
// product's ID, and their Data the JSON of the [Finding] or of the
// [ProductFeedback].
const (
	EventFinding         = "review.finding.raised"
	EventProductFeedback = "review.product_feedback.sent"
)

// ActionStatus says how far an action of the outcome got. Its text form
// is its name. The zero ActionStatus is unset: it encodes as empty text and
// back, and Validate refuses it.
type ActionStatus string

// The action statuses.
const (
	// StatusProposed: not carried out, for want of an [Options.Assigner]
	// or an [Options.Publisher], or because it is a proposal.
	StatusProposed ActionStatus = "proposed"
	// StatusDone: the assignment was stored, the event published.
	StatusDone ActionStatus = "done"
	// StatusExisting: the assignment was stored already, by an earlier
	// run of the same review.
	StatusExisting ActionStatus = "existing"
)

var actionStatuses = []ActionStatus{StatusProposed, StatusDone, StatusExisting}

// Validate reports whether s is a known status.
func (s ActionStatus) Validate() error { return sp.CheckEnum("action status", s, actionStatuses...) }

// String returns s as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (s ActionStatus) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown action status is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (s ActionStatus) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("action status", s, actionStatuses...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid]; empty text gives the zero
// ActionStatus.
func (s *ActionStatus) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("action status", s, text, actionStatuses...)
}

// Outcome is what the review's actions came to: the retraining assignments
// (one per module, a curriculum's action making one for each of its
// modules; see [AssignmentResult]), the product feedback sent to product
// owners, the goal adjustments proposed, and the IDs of the events
// published. Each action appears once however many findings call for it,
// with the IDs of those findings in the report's order. Assignments are
// sorted by ID, product feedback by product, and goal proposals by the
// goal's rep, region, product, period and metric, then by the proposed
// target. The zero Outcome is that of a review that took no action: it
// encodes every list as [] and decodes back.
type Outcome struct {
	Assignments     []AssignmentResult `json:"assignments"`
	ProductFeedback []ProductFeedback  `json:"product_feedback"`
	GoalProposals   []GoalProposal     `json:"goal_proposals"`
	Events          []string           `json:"events"`
}

// AssignmentResult is a retraining assignment of the review: a module the
// rep is to retake for Product by the due date, the earliest that the
// actions of its findings set. A retraining action assigns the module it
// names or, when it names none, every module of its curriculum that
// [Options.Curricula] gives (passing them all is what earns the
// certificate of the curriculum, and passing them all again what renews
// it, see [training.Trainer.Certify]), or else the module of its product
// that [Options.Modules] gives.
//
// The review makes one assignment per rep and module, whatever the number of
// its findings and actions. Its ID is "review/<period>/<rep>/<module>", the
// period in the form of [sp.Period.String] ("2026-11",
// "2026-11[Europe/Berlin]"), or "review-" and a digest of that text when it
// is not a valid ID or the rep or module holds a "/" (which would make it
// the text of another pair); its Reason is "review <period>: " and the
// summary of its first finding in the report's order, followed, when any
// of the actions that assign it did so for a curriculum, by "; every module
// of curriculum <curriculum> is assigned, to renew its certificate", or,
// when they did so for several (a module that two curricula share), by
// "; every module of curricula <a>, <b> and <c> is assigned, to renew
// their certificates", each curriculum once, in the report's order of
// their actions; the curricula of actions on a rep who holds no
// certificate for the action's product ([Options.Certifying]) follow in a
// clause of their own that says "to earn" in place of "to renew"; the
// whole cut to 4 KiB; AssignedBy is [Options.Actor] ("review" when empty)
// and Assigned the review's time.
// So a rerun of the review of the same period, at any as-of time, finds
// the assignment stored and reports [StatusExisting], but the review of a
// later period assigns the module again under a new ID, even when the rep
// has passed it since the earlier assignment: the new one is done only by
// a pass at or after its own Assigned time (see [training.Assignment]).
//
// With StatusDone, Assignment is the assignment as the [Assigner] stored
// it. With StatusExisting, it is the one this run would have made: the
// stored one keeps the Due and Assigned of the run that stored it, which
// differ when the runs' clocks differ; read it from the training store
// by its ID.
//
// The review does not certify. Once the rep has passed every module of a
// curriculum again (or, for a rep who held no certificate, every module of
// the curriculum that certifies the product), the host calls
// [training.Trainer.Certify] with it to renew or earn the certificate: the
// curricula are those of Curricula, across the assignments of the rep that
// name them. Until then the certificate stays as it was (about to expire,
// expired or missing), and the reviews of later periods find it so again
// and assign its modules again. The zero AssignmentResult assigns nothing:
// its Assignment is the zero [training.Assignment], which Validate refuses.
type AssignmentResult struct {
	Assignment training.Assignment `json:"assignment"`
	Product    sp.ProductID        `json:"product"`
	Status     ActionStatus        `json:"status"`
	Findings   []string            `json:"findings"`
	// Curricula are the curricula whose every module the review assigned to
	// the rep, this assignment's module among them, to renew or to earn
	// their certificates, each once, in the report's order of the actions
	// that assigned them: those the Reason names. A module that two
	// curricula share is assigned once for both. Empty, and left out of the
	// JSON form, when no action assigned the module for a curriculum (one
	// that names a module, or whose curriculum [Options.Curricula] does not
	// resolve, assigns it for its product alone).
	Curricula []training.CurriculumID `json:"curricula,omitempty"`
}

// ProductFeedback is what the review sends to a product's owner: the
// product's losses by category in the period, the reasons of the lost deals
// of the product signal's categories (the ones with the smallest deal IDs,
// at most [ActionSettings.MaxItems]), and the feedback of the period from
// the feedback rule's sources, customers' by default (lowest rating first,
// at most MaxItems of FeedbackCount). The zero ProductFeedback names no
// product and carries nothing.
type ProductFeedback struct {
	Product       sp.ProductID  `json:"product"`
	Name          string        `json:"name,omitempty"`
	Owner         sp.ActorID    `json:"owner,omitempty"`
	Period        sp.Period     `json:"period"`
	Losses        LossCounts    `json:"losses,omitempty"`
	LossReasons   []LossSample  `json:"loss_reasons"`
	FeedbackCount int64         `json:"feedback_count"`
	Feedback      []sp.Feedback `json:"feedback"`
	Findings      []string      `json:"findings"`
	// Event is the ID of the event that carried it (see
	// [MaxEventIDLength]); empty when proposed.
	Event  string       `json:"event,omitempty"`
	Status ActionStatus `json:"status"`
}

// GoalProposal proposes a new target for a goal. Findings that propose
// different targets for the same goal make one proposal each. The zero
// GoalProposal proposes nothing, for the zero goal.
type GoalProposal struct {
	Goal     quota.Goal   `json:"goal"`
	Proposed quota.Amount `json:"proposed"`
	Note     string       `json:"note"`
	Findings []string     `json:"findings"`
}

// proposalKey is a goal and a proposed target, which one goal proposal
// makes: the goal's key, of its IDs each apart, and the target's number.
type proposalKey struct {
	goal   quota.GoalKey
	target string
}

// maxReason bounds the reason of an assignment, as training does.
const maxReason = 4096

// act resolves the actions of the findings, carries them out and records
// the outcome in rep.
func (r *Reviewer) act(ctx context.Context, rep *Report, s *Snapshot) error {
	out := r.resolve(rep, s)
	// The services may not look at ctx: a done ctx stops the review before
	// each call, so that it neither assigns nor publishes any more.
	if err := r.assign(ctx, out.Assignments); err != nil {
		return err
	}
	if err := r.publishOutcome(ctx, rep, &out); err != nil {
		return err
	}
	rep.Outcome = out
	return nil
}

// outcomeBuilder gathers the outcome of a review's actions, one action
// after the other in the report's order, each action of the outcome once
// with the findings that call for it.
type outcomeBuilder struct {
	r          *Reviewer
	rep        *Report
	s          *Snapshot
	out        Outcome
	period     string    // the period's text, in assignments' IDs and reasons
	defaultDue time.Time // the due date of a retraining action that sets none
	// The index in out of each action, by what makes it one.
	assignments map[string]int // by rep and module
	feedback    map[sp.ProductID]int
	proposals   map[proposalKey]int
	// reasons[i] makes the Reason of out.Assignments[i], once every action
	// is in.
	reasons []reason
}

// resolve returns the outcome of the actions of rep's findings as
// proposed, each action once, sorted, and carries nothing out. It
// completes the actions it reads in rep: a retraining action's module
// from [Options.Modules] (or a note that none is known) and its due date,
// and a product feedback action's owner.
func (r *Reviewer) resolve(rep *Report, s *Snapshot) Outcome {
	// Calendar days of the period's zone (see addDays), in the location
	// of the clock's time, as the report's other times.
	defaultDue := addDays(rep.Generated.In(rep.Period.Location()), r.rules.Actions.RetrainDueDays).In(rep.Generated.Location())
	o := outcomeBuilder{
		r: r, rep: rep, s: s,
		out:    Outcome{Assignments: []AssignmentResult{}, ProductFeedback: []ProductFeedback{}, GoalProposals: []GoalProposal{}, Events: []string{}},
		period: rep.Period.String(), defaultDue: defaultDue,
		assignments: map[string]int{}, feedback: map[sp.ProductID]int{}, proposals: map[proposalKey]int{},
	}
	for fi := range rep.Findings {
		f := &rep.Findings[fi]
		for ai := range f.Actions {
			a := &f.Actions[ai]
			switch a.Kind {
			case ActionRetrain:
				o.retrain(f, a)
			case ActionProductFeedback:
				o.productFeedback(f, a)
			case ActionAdjustGoal:
				o.adjustGoal(f, a)
			}
		}
	}
	return o.finish()
}

// retrain adds the assignments of the retraining action a of finding f:
// every module of its curriculum (see [Reviewer.curriculumModules]), or
// else its module or the one [Options.Modules] gives for its product,
// which it sets in a. An action without any gets a note saying so and
// assigns nothing. A due date a does not set, or sets after the default
// one or not after the review's time, becomes the default one. A module
// the rep is assigned already takes f among its findings and the earlier
// due date.
func (o *outcomeBuilder) retrain(f *Finding, a *Action) {
	plain := fmt.Sprintf("review %s: %s", o.period, f.Summary)
	var renewal training.CurriculumID // the curriculum the modules are assigned for
	earn := false                     // to earn its certificate, not to renew it
	modules := o.r.curriculumModules(*a)
	if modules != nil {
		renewal = a.Curriculum
		c, _ := o.s.Cell(a.Rep, a.Product)
		earn = c.Certification == training.CertMissing
	} else {
		if a.Module == "" && o.r.opts.Modules != nil {
			a.Module, _ = o.r.opts.Modules(a.Product)
		}
		if a.Module == "" {
			known := fmt.Sprintf("product %s", a.Product)
			if a.Curriculum != "" {
				known += fmt.Sprintf(" or curriculum %s", a.Curriculum)
			}
			a.Note = joinNote(a.Note, "no training module is known for "+known)
			return
		}
		modules = []training.ModuleID{a.Module}
	}
	if a.Due.IsZero() || a.Due.After(o.defaultDue) || !a.Due.After(o.rep.Generated) {
		a.Due = o.defaultDue
	}
	for _, m := range modules {
		key := string(a.Rep) + "\x00" + string(m)
		if i, ok := o.assignments[key]; ok {
			ar := &o.out.Assignments[i]
			ar.Findings = addFinding(ar.Findings, f.ID)
			if a.Due.Before(ar.Assignment.Due) {
				ar.Assignment.Due = a.Due
			}
			o.reasons[i].add(renewal, earn)
			continue
		}
		o.assignments[key] = len(o.out.Assignments)
		rs := reason{plain: plain}
		rs.add(renewal, earn)
		o.reasons = append(o.reasons, rs)
		o.out.Assignments = append(o.out.Assignments, AssignmentResult{
			Assignment: training.Assignment{
				ID: assignmentID(o.period, a.Rep, m), Rep: a.Rep, Module: m, Due: a.Due,
				AssignedBy: o.r.opts.Actor, Assigned: o.rep.Generated,
			},
			Product: a.Product, Status: StatusProposed, Findings: []string{f.ID},
		})
	}
}

// productFeedback adds the product feedback of action a of finding f,
// setting a's owner to the product's: the product's losses, its sampled
// loss reasons and at most MaxItems of its feedback, from the snapshot.
// A product with feedback already takes f among its findings.
func (o *outcomeBuilder) productFeedback(f *Finding, a *Action) {
	p, _ := o.s.Product(a.Product)
	a.Owner = p.Owner
	if i, ok := o.feedback[a.Product]; ok {
		o.out.ProductFeedback[i].Findings = addFinding(o.out.ProductFeedback[i].Findings, f.ID)
		return
	}
	o.feedback[a.Product] = len(o.out.ProductFeedback)
	pf := ProductFeedback{
		Product: a.Product, Name: p.Name, Owner: p.Owner, Period: o.rep.Period, Losses: maps.Clone(p.Losses),
		LossReasons: []LossSample{}, Feedback: []sp.Feedback{}, FeedbackCount: p.Feedback.Count,
		Findings: []string{f.ID}, Status: StatusProposed,
	}
	if x := o.s.x; x != nil {
		pf.LossReasons = append(pf.LossReasons, x.losses[a.Product]...)
		fs := x.feedback[a.Product]
		pf.Feedback = append(pf.Feedback, fs[:min(len(fs), o.r.rules.Actions.MaxItems)]...)
	}
	o.out.ProductFeedback = append(o.out.ProductFeedback, pf)
}

// adjustGoal adds the goal proposal of action a of finding f. A proposal
// of the same goal and an equal target, of any scale, takes f among its
// findings.
func (o *outcomeBuilder) adjustGoal(f *Finding, a *Action) {
	key := proposalKey{a.Goal.Key(), amountValue(*a.Proposed).String()} // equal targets of any scale are one
	if i, ok := o.proposals[key]; ok {
		o.out.GoalProposals[i].Findings = addFinding(o.out.GoalProposals[i].Findings, f.ID)
		return
	}
	o.proposals[key] = len(o.out.GoalProposals)
	o.out.GoalProposals = append(o.out.GoalProposals, GoalProposal{
		Goal: *a.Goal, Proposed: *a.Proposed, Note: a.Note, Findings: []string{f.ID},
	})
}

// finish returns the outcome once every action is in: each assignment
// with its reason, and the assignments, product feedback and goal
// proposals sorted as [Outcome] says.
func (o *outcomeBuilder) finish() Outcome {
	out := o.out
	for i, rs := range o.reasons {
		out.Assignments[i].Assignment.Reason = rs.String()
		out.Assignments[i].Curricula = rs.curricula
	}
	slices.SortFunc(out.Assignments, func(x, y AssignmentResult) int {
		return cmp.Compare(x.Assignment.ID, y.Assignment.ID)
	})
	slices.SortFunc(out.ProductFeedback, func(x, y ProductFeedback) int { return cmp.Compare(x.Product, y.Product) })
	slices.SortStableFunc(out.GoalProposals, func(x, y GoalProposal) int {
		kx, ky := x.Goal.Key(), y.Goal.Key()
		return cmp.Or(cmp.Compare(kx.Rep, ky.Rep), cmp.Compare(kx.Region, ky.Region), cmp.Compare(kx.Product, ky.Product),
			cmp.Compare(kx.Period, ky.Period), cmp.Compare(kx.Metric, ky.Metric), amountValue(x.Proposed).Cmp(amountValue(y.Proposed)))
	})
	return out
}

// assign stores the assignments with [Options.Assigner], if any, in
// order, setting each one's status: done, with the assignment as stored,
// or existing when the Assigner has it already. It stops at the first
// other error, and before each call once ctx is done.
func (r *Reviewer) assign(ctx context.Context, assignments []AssignmentResult) error {
	if r.opts.Assigner == nil {
		return nil
	}
	for i := range assignments {
		if err := ctx.Err(); err != nil {
			return err
		}
		ar := &assignments[i]
		stored, err := r.opts.Assigner.AssignModule(ctx, ar.Assignment)
		switch {
		case isDuplicate(err):
			ar.Status = StatusExisting
		case err != nil:
			return fmt.Errorf("assign module %s to rep %s: %w", sp.Quote(string(ar.Assignment.Module)), sp.Quote(string(ar.Assignment.Rep)), err)
		default:
			ar.Assignment, ar.Status = stored, StatusDone
		}
	}
	return nil
}

// MaxEventIDLength is the longest ID, in bytes, of an event that a review
// publishes through [Options].Publisher: four times [sp.MaxIDLength], so
// that a host's outbox can index it as it indexes a text of a record.
//
// An event's ID is "review/<period>/<as-of time>/" (the period as
// [sp.Period.String] writes it, the as-of time in UTC as RFC 3339 with
// nanoseconds) followed by "product_feedback/<product>" or
// "finding/<finding ID>". One that would be longer than MaxEventIDLength
// (a finding's ID may have 512 bytes, and the period's text, in a zone of
// a long name and bounded at nanoseconds, more than 100) has a "#" in
// place of the "/" after the kind, then the first 16 bytes of the SHA-256
// of the longer text in hex, a "/", and as much of the product's or the
// finding's ID as fits, cut at a character's boundary:
// "review/<period>/<as-of time>/finding#<32 hex digits>/<start of the
// finding ID>". Where the period's text leaves no room for that, the ID
// is "review/finding#<32 hex digits>" (or "review/product_feedback#...").
// So IDs stay distinct, as their digests are, and the same inputs give
// the same IDs on every run.
const MaxEventIDLength = 512

// publishOutcome publishes, with [Options.Publisher], if any, the product
// feedback of out, each marked done with its event's ID, and then every
// finding of rep, listing the events' IDs in out. An event's ID is that of
// [eventID]. It stops at the first error, and before each event once ctx
// is done.
func (r *Reviewer) publishOutcome(ctx context.Context, rep *Report, out *Outcome) error {
	if r.opts.Publisher == nil {
		return nil
	}
	prefix := "review/" + rep.Period.String() + "/" + rep.AsOf.UTC().Format(time.RFC3339Nano) + "/"
	for i := range out.ProductFeedback {
		pf := &out.ProductFeedback[i]
		pf.Event, pf.Status = eventID(prefix, "product_feedback", string(pf.Product)), StatusDone
		if err := r.publish(ctx, pf.Event, EventProductFeedback, rep.Generated, string(pf.Product), pf); err != nil {
			return err
		}
		out.Events = append(out.Events, pf.Event)
	}
	for _, f := range rep.Findings {
		id := eventID(prefix, "finding", f.ID)
		if err := r.publish(ctx, id, EventFinding, rep.Generated, f.Subject.Key(), f); err != nil {
			return err
		}
		out.Events = append(out.Events, id)
	}
	return nil
}

// reason makes the Reason of an assignment: "review <period>: " and the
// summary of its first finding, and the curricula whose actions assigned
// it, each once, in the report's order: to renew a certificate or, for a
// rep who holds none for the action's product, to earn one.
type reason struct {
	plain       string
	renew, earn []training.CurriculumID
	curricula   []training.CurriculumID // both, in the order they came
}

// add records that an action for curriculum cu, if any, assigned the
// module: to earn its certificate, or else to renew it.
func (r *reason) add(cu training.CurriculumID, earn bool) {
	if cu == "" || slices.Contains(r.curricula, cu) {
		return
	}
	r.curricula = append(r.curricula, cu)
	if earn {
		r.earn = append(r.earn, cu)
	} else {
		r.renew = append(r.renew, cu)
	}
}

// String returns the reason, cut to 4 KiB.
func (r reason) String() string {
	return clip(r.plain+curriculaText(r.renew, "renew")+curriculaText(r.earn, "earn"), maxReason)
}

// curriculaText is the wording an assignment's reason ends with when
// actions for curricula assigned it, to verb ("renew" or "earn") their
// certificates: "; every module of curriculum a is assigned, to renew its
// certificate", or of "curricula a, b and c" and "their certificates" for
// several; "" for none.
func curriculaText(curricula []training.CurriculumID, verb string) string {
	switch len(curricula) {
	case 0:
		return ""
	case 1:
		return "; every module of curriculum " + string(curricula[0]) + " is assigned, to " + verb + " its certificate"
	}
	var b strings.Builder
	b.WriteString("; every module of curricula ")
	for i, cu := range curricula {
		switch {
		case i == len(curricula)-1:
			b.WriteString(" and ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(string(cu))
	}
	b.WriteString(" is assigned, to " + verb + " their certificates")
	return b.String()
}

// curriculumModules returns the modules to assign for a retraining
// action that names a curriculum and no module, from [Options.Curricula],
// less empty IDs; nil when the action names a module or no curriculum, or
// Curricula does not know its curriculum or gives it no modules.
func (r *Reviewer) curriculumModules(a Action) []training.ModuleID {
	if a.Module != "" || a.Curriculum == "" || r.opts.Curricula == nil {
		return nil
	}
	ms, ok := r.opts.Curricula(a.Curriculum)
	if !ok {
		return nil
	}
	var out []training.ModuleID
	for _, m := range ms {
		if m != "" {
			out = append(out, m)
		}
	}
	return out
}

// publish sends [Options.Publisher] the event id of type typ at time at
// about subject, by [Options.Actor], whose data is the JSON of v, unless
// ctx is done. A v that cannot be encoded and the Publisher's error are
// returned naming the event.
func (r *Reviewer) publish(ctx context.Context, id, typ string, at time.Time, subject string, v any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("event %s: %w", id, jsonError(err))
	}
	e := sp.Event{ID: id, Type: typ, Time: at, Actor: r.opts.Actor, Subject: subject, Data: data}
	if err := r.opts.Publisher.Publish(ctx, e); err != nil {
		return fmt.Errorf("publish %s: %w", id, err)
	}
	return nil
}

// eventID returns the ID of the event of kind ("finding" or
// "product_feedback") about key (the finding's ID, the product's) of the
// review whose IDs begin with prefix ("review/<period>/<as-of time>/"),
// as [MaxEventIDLength] says: prefix + kind + "/" + key, or, when that is
// longer than MaxEventIDLength, prefix + kind + "#", the digest of that
// text, "/" and as much of key as fits; where even prefix leaves no room
// (a zone of a name of hundreds of bytes), "review/" + kind + "#" and the
// digest. A period's text holds no "#" (no IANA zone's name does), so no
// ID of the first form has one right after its kind, and an ID of the
// other forms is another's only if their digests are.
func eventID(prefix, kind, key string) string {
	id := prefix + kind + "/" + key
	if len(id) <= MaxEventIDLength {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	head := prefix + kind + "#" + hex.EncodeToString(sum[:16]) + "/"
	if len(head) >= MaxEventIDLength {
		return "review/" + kind + "#" + hex.EncodeToString(sum[:16])
	}
	return head + clip(key, MaxEventIDLength-len(head))
}

// assignmentID returns the ID of the assignment of module to rep by the
// review of period: "review/<period>/<rep>/<module>", or, when that is not
// a valid ID, "review-" and a digest of it. A rep or module holding a "/"
// would make that text one of another pair ("ann/x" on "m", "ann" on
// "x/m"): its digest is then of the parts kept apart.
func assignmentID(period string, rep sp.RepID, module training.ModuleID) training.AssignmentID {
	id := "review/" + period + "/" + string(rep) + "/" + string(module)
	if strings.Contains(string(rep), "/") || strings.Contains(string(module), "/") {
		id = "review\x00" + period + "\x00" + string(rep) + "\x00" + string(module) // IDs hold no NUL
	} else if training.AssignmentID(id).Validate() == nil {
		return training.AssignmentID(id)
	}
	sum := sha256.Sum256([]byte(id))
	return training.AssignmentID("review-" + hex.EncodeToString(sum[:16]))
}

// clip cuts s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// addFinding adds the finding id to the findings ids of an action of the
// outcome, unless it is there already: the findings are read one after
// the other, so a finding that calls for the action twice is the last.
func addFinding(ids []string, id string) []string {
	if len(ids) > 0 && ids[len(ids)-1] == id {
		return ids
	}
	return append(ids, id)
}

// joinNote returns note a followed by b, joined by "; " when a is not
// empty, within the 8 KiB of an action's note: b in full (a short note of
// the review's) and a cut at a rune boundary to make room.
func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	const sep = "; "
	return clip(a, max(0, maxText-len(sep)-len(b))) + sep + b
}
