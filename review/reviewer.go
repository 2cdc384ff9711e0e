package review

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// Rule is a review rule: it reads a [Snapshot] and returns its findings.
// The built-in rules are configured by the rules document ([Rules]); a
// host adds its own through [Options.Rules].
//
// Name returns the rule's name: 1 to 64 lower-case ASCII letters, digits
// and underscores, starting with a letter, unique among the rules of a
// [Reviewer]. Evaluate must not change the snapshot, must stop promptly
// when ctx is done, and must be safe for concurrent use, since one Reviewer
// may run several reviews at once. A finding's Rule and ID may be left
// empty: the Reviewer sets them to the rule's name and to
// "<name>:<subject key>"; a Rule of another name is an error wrapping
// [sp.ErrInvalid], as is a finding that fails [Finding.Validate]. An
// error ends the review.
type Rule interface {
	Name() string
	Evaluate(ctx context.Context, s *Snapshot) ([]Finding, error)
}

// NewRule returns a [Rule] named name that evaluates by fn. It checks
// neither: [New] refuses a rule whose name breaks the rules of [Rule], and
// a nil fn finds nothing.
func NewRule(name string, fn func(ctx context.Context, s *Snapshot) ([]Finding, error)) Rule {
	return funcRule{name: name, fn: fn}
}

type funcRule struct {
	name string
	fn   func(context.Context, *Snapshot) ([]Finding, error)
}

func (r funcRule) Name() string { return r.name }

func (r funcRule) Evaluate(ctx context.Context, s *Snapshot) ([]Finding, error) {
	if r.fn == nil {
		return nil, nil
	}
	return r.fn(ctx, s)
}

// Certificates tells the state of a rep's certification for a product at a
// time; *[training.Readiness] satisfies it. Status returns an error only
// when it cannot tell (a store failure, an invalid ID), and must be safe
// for concurrent use. An error, or a state that is not one of
// [training.CertStatus]'s (an error wrapping [sp.ErrInvalid]), fails the
// review.
type Certificates interface {
	Status(ctx context.Context, rep sp.RepID, product sp.ProductID, at time.Time) (training.CertStatus, error)
}

// ExpiryLister is an optional capability of [Certificates]: listing the
// certificates that expire within a window, as *[training.Readiness]
// does. The certification rule uses it to warn of expiries ahead, for the
// certificates of the review's reps only (see [Snapshot].Expiring): list
// every rep in [Input].Reps to be warned of all. An error, or a listed
// certificate of a rep of the review that is not valid
// ([training.Certificate.Validate]), fails the review. A review ranges
// over the sequence once, so it may be single-use; Expiring must be safe
// for concurrent use, as reviews run at once call it concurrently (see
// [Reviewer]).
type ExpiryLister interface {
	Expiring(ctx context.Context, window sp.Period) iter.Seq2[training.Certificate, error]
}

// CertificateFinder is an optional capability of [Certificates]: finding
// the certificate of a rep for a product whose state Status gives at a
// time, as *[training.Readiness] does ([training.Readiness.Certificate]),
// with an error wrapping [sp.ErrNotFound] when the rep holds none. The
// review asks it for each rep × product whose certification has expired
// (a withdrawn certificate's too) or is outdated, for the curriculum that
// earned the certificate ([CellRow].Curriculum), so that the certification
// rule's retraining can assign every module of it, which renews the
// certificate. Not found leaves the curriculum unknown; any other error
// fails the review, as a failing Status does, and so does a certificate
// whose curriculum is set but not a valid ID (an error wrapping
// [sp.ErrInvalid]). Certificate must be safe for concurrent use.
type CertificateFinder interface {
	Certificate(ctx context.Context, rep sp.RepID, product sp.ProductID, at time.Time) (training.Certificate, error)
}

// Assigner assigns a training module to a rep; *[training.Trainer]
// satisfies it. AssignModule returns the assignment as stored; an
// assignment whose ID is already stored is an error wrapping
// [sp.ErrDuplicate], which the review takes as already done; any other
// error fails the review. The review calls it once for each assignment,
// in order, and stops before the next call once ctx is done. AssignModule
// must be safe for concurrent use, as reviews run at once call it
// concurrently (see [Reviewer]); a is a value of its own, which it may keep.
type Assigner interface {
	AssignModule(ctx context.Context, a training.Assignment) (training.Assignment, error)
}

// What training offers satisfies the interfaces above.
var (
	_ Certificates      = (*training.Readiness)(nil)
	_ ExpiryLister      = (*training.Readiness)(nil)
	_ CertificateFinder = (*training.Readiness)(nil)
	_ Assigner          = (*training.Trainer)(nil)
)

// CatalogModules returns the lookup [Options.Modules] wants from a
// training catalog: the product-knowledge module of the product's brief of
// the highest version among the modules of the product's curricula (on a
// tie, the first in the catalog's order of those curricula and each one's
// order of modules, not the catalog's order of modules), and false when the
// catalog teaches no such module. A nil catalog knows no module. The
// lookup, safe for concurrent use, finds a product's module once and keeps
// it, since the catalog does not change: a review that retrains many reps
// on a product whose curricula hold many modules goes through them once.
func CatalogModules(c *training.Catalog) func(sp.ProductID) (training.ModuleID, bool) {
	type found struct {
		id training.ModuleID
		ok bool
	}
	var known sync.Map // sp.ProductID → found
	return func(product sp.ProductID) (training.ModuleID, bool) {
		if f, ok := known.Load(product); ok {
			return f.(found).id, f.(found).ok
		}
		id, ok := catalogModule(c, product)
		known.Store(product, found{id, ok})
		return id, ok
	}
}

// catalogModule is the module [CatalogModules] finds for product in c.
func catalogModule(c *training.Catalog, product sp.ProductID) (training.ModuleID, bool) {
	var best training.Module
	found := false
	for _, cu := range c.Curricula(product) {
		for _, id := range cu.Modules {
			m, ok := c.Module(id)
			if !ok || m.Kind != training.ModuleProductKnowledge || m.Product != product {
				continue
			}
			if !found || m.BriefVersion.Compare(best.BriefVersion) > 0 {
				best, found = m, true
			}
		}
	}
	return best.ID, found
}

// CatalogCurricula returns the lookup [Options.Curricula] wants from a
// training catalog: the modules of the catalog's curriculum of that ID, in
// the curriculum's order, on a copy the caller may change, and false when
// the catalog has no such curriculum. A nil catalog knows no curriculum.
func CatalogCurricula(c *training.Catalog) func(training.CurriculumID) ([]training.ModuleID, bool) {
	return func(id training.CurriculumID) ([]training.ModuleID, bool) {
		cu, ok := c.Curriculum(id) // a copy of the catalog's modules
		if !ok {
			return nil, false
		}
		return cu.Modules, true
	}
}

// CatalogCertifying returns the lookup [Options.Certifying] wants from a
// training catalog: the product's one curriculum for every channel (one
// without a channel) or, when it has none such, its one curriculum for a
// channel; false when the catalog has no curriculum for the product, or
// several to choose from of the first kind, or, without one of that kind,
// of the second. A nil catalog knows none.
func CatalogCertifying(c *training.Catalog) func(sp.ProductID) (training.CurriculumID, bool) {
	return func(product sp.ProductID) (training.CurriculumID, bool) {
		var every, one []training.CurriculumID
		for _, cu := range c.Curricula(product) {
			if cu.Channel == "" {
				every = append(every, cu.ID)
			} else {
				one = append(one, cu.ID)
			}
		}
		switch {
		case len(every) == 1:
			return every[0], true
		case len(every) == 0 && len(one) == 1:
			return one[0], true
		}
		return "", false
	}
}

// Options configure a [Reviewer]; a nil *Options means every default. The
// zero Options are every default too.
type Options struct {
	// Clock gives the time of the report and of the actions it takes, and
	// the as-of time of a review without one; nil means
	// [sp.SystemClock].
	Clock sp.Clock
	// Publisher receives an event per finding and per product feedback
	// (see [EventFinding] and [EventProductFeedback]), each with an ID of
	// at most [MaxEventIDLength] bytes, of the form that its doc gives;
	// nil, or a nil [sp.PublisherFunc], discards them.
	Publisher sp.Publisher
	// Actor is who the review acts as, in events and assignments; empty
	// means "review".
	Actor sp.ActorID
	// Quota is given to the calculators of package quota: how deals are
	// classified as won or lost (Outcome), split credit, the working-day
	// calendar and the status thresholds of attainment. Nil means quota's
	// defaults. [New] keeps a copy of it. Its other fields (Stages,
	// Location, Confidence, PriorStrength, Places) play no part, though New
	// refuses invalid ones: the review's confidence and decimal places are
	// those of the rules document's [Analysis], and its shrunk estimates
	// fit their priors to the data ([quota.FitPrior]).
	Quota *quota.Options
	// Certificates tells reps' certification; nil leaves it unknown, and
	// the certification rule finds nothing. With [ExpiryLister] it lists
	// the certificates that expire soon, and with [CertificateFinder] it
	// finds the curriculum of a certificate that has expired or is
	// outdated.
	Certificates Certificates
	// Assigner receives the retraining assignments; nil only proposes
	// them in the report. A nil *[training.Trainer] is not nil here: [New]
	// refuses it.
	Assigner Assigner
	// Modules names the training module that teaches a product (see
	// [CatalogModules]); nil, or a product without one, leaves retraining
	// actions that name no module, and no curriculum that Curricula
	// resolves, without an assignment.
	Modules func(sp.ProductID) (training.ModuleID, bool)
	// Curricula lists the modules of a curriculum (see
	// [CatalogCurricula]). A retraining action that names a curriculum
	// (as the certification rule's does for a certificate earned by one
	// that expires soon, or, with [CertificateFinder], that has expired or
	// is outdated) and no module becomes an assignment of every module of the
	// curriculum, which is what renews its certificate
	// ([training.Trainer.Certify]); empty IDs among the modules are
	// skipped. Nil, a curriculum it does not know, or one it gives no
	// modules for leaves such an action to Modules, whose module alone
	// does not renew the certificate of a curriculum of more than it. The
	// curriculum is the certificate's ([training.Certificate].Curriculum):
	// a catalog made for a new major version of a product's brief keeps
	// the IDs of the curricula it renews, so that the curriculum of a
	// certificate the version outdated is found in it.
	Curricula func(training.CurriculumID) ([]training.ModuleID, bool)
	// Certifying names the curriculum whose passes certify a rep for a
	// product (see [CatalogCertifying]). The certification rule's action
	// on a rep who holds no certificate for the product
	// ([training.CertMissing]) names it ([CellRow].Curriculum), and with
	// Curricula assigns every module of it, which is what earns the
	// certificate ([training.Trainer.Certify]). Nil, or a product it gives
	// none for, leaves such an action to Modules: the product's one module,
	// whose pass alone certifies nothing. A curriculum it gives that is not
	// a valid ID fails the review with an error wrapping [sp.ErrInvalid].
	Certifying func(sp.ProductID) (training.CurriculumID, bool)
	// Location returns the time zone of a rep, as [training.Options]
	// Location does for the trainer that certifies the rep (pass the same
	// function): the certificates of [Snapshot].Expiring give their
	// Issued and Expires there, so that the report writes an expiry, in
	// the finding, its evidence, the table of certificates and the
	// retraining action due by it, on the date and at the time of the
	// rep's calendar, on which [training.Trainer.Certify] counted the
	// certificate's months. Nil, or a nil result for a rep, means the
	// period's zone, whatever zone the store gave the times in. It moves
	// no instant: the window of expiries ahead is the same (see
	// [Certification]). It is called with a valid rep ID, once per
	// certificate listed, from the goroutine of the review. A zone in
	// which such a time has no RFC 3339 form (an offset of a day or more,
	// see [sp.ValidateTime]) fails the review with an error wrapping
	// [sp.ErrInvalid] that names "options.location".
	Location func(sp.RepID) *time.Location
	// Rules are the host's rules, run after the built-in ones in the
	// order given, unless the rules document switches them off. None, the
	// default, runs the built-in rules alone.
	Rules []Rule
}

// Input is what a review reads: the period and the records of the sales
// in it. Only Period is required: a nil sequence holds no records (a nil
// record in one is an error, as is a record whose owner, product or region
// is set but not a valid ID, a deal open or won in the period with a
// negative amount, and feedback of the period that fails
// [sp.Feedback.Validate]), and Goals, Reps, Regions and Products
// must be valid, the entities distinct by ID and the goals distinct: two
// goals of one subject, product, period (its text, location included)
// and metric are one goal given twice, whatever their targets (the region
// of a rep's goal does not tell it apart). A review reads Goals, Reps,
// Regions and Products when it is called, so the caller may reuse their
// slices while the review reads the sequences.
//
// A review acts on what it reads: a sequence that ends early, as one made
// by [quota.Records] does when its listing fails, is taken as all of its
// records, and the review assigns retraining and publishes findings on them
// before its caller can look at the listing's error. To have such a failure
// fail the review instead, cancel the review's ctx when a listing fails
// ([context.WithCancelCause] keeps the cause): the review then returns
// ctx.Err() and assigns and publishes nothing. The zero Input has no
// Period: [Reviewer.Review] refuses it.
type Input struct {
	// Period is the period under review, usually a month in the company's
	// time zone.
	Period sp.Period
	// AsOf is the time the review looks from. Records created, received or
	// closed after it do not count as such: a deal closed later was open
	// then, and an inquiry's stage is read from its history. But a deal
	// closed and then reopened is judged as it is now, open. AsOf may not
	// be before the period's start.
	//
	// Goals are judged at AsOf, whatever their periods. A goal whose period
	// ends after AsOf is still under way, and its status is never missed:
	// an unmet one is on_pace, behind or at_risk by its pace. So
	// target_missed by default examines it only when at_risk, and
	// thin_pipeline may find its pipeline thin and propose to lower it.
	//
	// Zero means the clock's time, or the time the period ended for the
	// review if that is earlier. That time is the end of the period, or a
	// later end of a goal whose period ends at the same reading of its own
	// zone's clocks as the period ends on its zone's clocks (the same month
	// in a zone west of the period's): the latest such end. A goal that
	// ends later at another reading (a quarter reviewed in its first month)
	// does not move it. One whose period ends with the period's on its own
	// clocks does, whatever its span (a region's quarter or year reviewed in
	// its last month).
	//
	// So a month-end review of regions in several time zones, whose goals
	// are months in their regions' zones ([sp.Region.Month]), works as
	// follows. It reviews the month of the company's zone, which ends
	// before the month of a zone west of it: November in Europe/Berlin ends
	// an hour before November in Europe/Lisbon. Run once the clock is past
	// the last of them, it looks from the end of that one, and judges no
	// region's goal as still under way (see ExampleInput_asOf).
	//
	// Records count in the review's figures (the [Snapshot]'s rows) by the
	// period and the as-of time alike. So an AsOf after the period's end,
	// given or by default, counts no deal closed and no inquiry received
	// between the two as the period's. A deal won then in a western
	// region's month counts in the goal whose period holds it, and neither
	// as won nor as open in the rows. A deal created then and open at AsOf
	// counts as open, and an inquiry received then and open at AsOf counts
	// among the open ones of the follow-up, as those of before the period
	// do.
	AsOf time.Time
	// Deals and Inquiries are read once each, inquiries first, through
	// pointers that are not kept (see [quota.Records] to read a store
	// listing). Deals should include the open ones and those closed in the
	// period; others are skipped. A deal is won, lost or open as
	// [Options].Quota's Outcome classes it by its stage (by default won in
	// [pipeline.DealWon], lost in [pipeline.DealLost], and open in any other
	// stage, one the host misspelt included), and a won or lost one belongs to
	// the period by its Closed time, so that one with a zero Closed counts in
	// no period. An inquiry belongs to the period by its Received time. The
	// forecast of a goal (the Weighted and Chance of [GoalRow]) takes an open
	// deal's Probability as it is: a deal made by hand without one counts at
	// 0, not at its stage's default. Each deal is taken as one: a deal listed
	// twice counts twice, as in the calculators of package quota. An inquiry
	// listed twice (a repeated ID) counts once in every figure, as quota's
	// calculators that follow inquiries to deals count it; inquiries without
	// an ID each count. Two records of one ID that disagree on the receipt,
	// one in the period and one before it, count once on each side: the one in
	// the period in the period's cohort, as in quota's cohorts, the other in
	// the follow-up of earlier inquiries.
	Deals     iter.Seq[*pipeline.Deal]
	Inquiries iter.Seq[*pipeline.Inquiry]
	// Goals are the goals to measure; those of reps, regions, the company
	// and products alike.
	Goals []quota.Goal
	// Reps, Regions and Products name the entities; the rows of those
	// listed appear even without sales. A rep's region is the one given
	// here, or else the one all their records share.
	Reps     []sp.Rep
	Regions  []sp.Region
	Products []sp.Product
	// Feedback is feedback about products besides what the deals carry from
	// their follow-up ([pipeline.Service]); each piece counts once by ID. It
	// is read once, after the deals, through pointers that are not kept, as
	// Deals and Inquiries are: [quota.Records] reads a store's listing, such
	// as training's Trainer.FieldFeedback, and [quota.Refs] a slice.
	// Trainer.FieldFeedback lists the feedback of every product it is given
	// in one sequence, so one call feeds a review of several products. The
	// pieces of the period are copied and kept. Of those, and of the deals'
	// pieces, only the pieces from the sources of the feedback_pileup rule
	// ([FeedbackPileup].Sources; customers' only by default, and when the
	// rule does not run) count, in the product rows and in the product
	// feedback sent to the owner: the field-test feedback of
	// Trainer.FieldFeedback counts where the rules document lists
	// "field_test".
	Feedback iter.Seq[*sp.Feedback]
}

// Reviewer runs reviews under a rules document. It is immutable and safe for
// concurrent use when what its Options hold is: the Clock, the Publisher,
// the Certificates, the Assigner, the Modules, Curricula, Certifying and
// Location functions, the Rules and the functions of Options.Quota, which
// reviews run at once call concurrently, though each calculator of package
// quota calls them from its caller's goroutine only. Make one with [New]:
// the zero Reviewer reviews nothing, its Review returning an error wrapping
// [sp.ErrInvalid].
type Reviewer struct {
	rules Rules
	opts  Options
	run   []Rule
}

// New returns a Reviewer for the rules document rules. It refuses, with an
// error wrapping [sp.ErrInvalid]: an invalid document; a nil
// host rule, one with an invalid name, the name of a built-in rule or of
// another host rule; settings in the document for a rule it does not know;
// invalid quota options; and a nil *[training.Trainer] as the Assigner.
//
// New keeps copies of rules, of opts and of opts.Quota (its Stages
// included), and reads the slice opts.Rules only here, so the caller may
// change or reuse them afterwards without changing the Reviewer; the host
// rules, functions and interfaces they hold it keeps and calls.
func New(rules Rules, opts *Options) (*Reviewer, error) {
	if err := rules.Validate(); err != nil {
		return nil, err
	}
	r := &Reviewer{rules: rules.clone()}
	if opts != nil {
		r.opts = *opts
	}
	if r.opts.Quota != nil { // a copy, so that later changes to it do not reach the Reviewer
		q := *r.opts.Quota
		q.Stages = slices.Clone(q.Stages)
		r.opts.Quota = &q
	}
	if r.opts.Clock == nil {
		r.opts.Clock = sp.SystemClock{}
	}
	if f, ok := r.opts.Publisher.(sp.PublisherFunc); ok && f == nil {
		r.opts.Publisher = nil
	}
	if r.opts.Actor == "" {
		r.opts.Actor = "review"
	}
	if err := r.opts.Actor.Validate(); err != nil {
		return nil, fmt.Errorf("review: new: %w", sp.InField("options.actor", err))
	}
	if tr, ok := r.opts.Assigner.(*training.Trainer); ok && tr == nil {
		return nil, fmt.Errorf("review: new: %w", sp.Invalid("options.assigner", "a nil *training.Trainer"))
	}
	if err := r.opts.Quota.Validate(); err != nil {
		// Named as a field of Options.Quota, not of quota's Options.
		var ve *sp.ValidationError
		if errors.As(err, &ve) {
			err = sp.Invalid("options.quota."+strings.TrimPrefix(ve.Field, "options."), "%s", ve.Reason)
		}
		return nil, fmt.Errorf("review: new: %w", err)
	}
	r.run = builtinRules(&r.rules)
	names := slices.Clone(builtinNames)
	for i, rule := range r.opts.Rules {
		field := fmt.Sprintf("options.rules[%d]", i)
		if rule == nil {
			return nil, fmt.Errorf("review: new: %w", sp.Invalid(field, "nil"))
		}
		name := rule.Name()
		if err := validRuleName(name); err != nil {
			return nil, fmt.Errorf("review: new: %w", sp.InField(field, err))
		}
		if slices.Contains(names, name) {
			return nil, fmt.Errorf("review: new: %w", sp.Invalid(field, "rule %s defined twice", sp.Quote(name)))
		}
		names = append(names, name)
		if enabled(r.rules.Custom[name]) {
			r.run = append(r.run, rule)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(rules.Custom)) {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("review: new: %w", sp.Invalid("custom."+name, "no such rule"))
		}
	}
	return r, nil
}

// Rules returns a copy of the rules document the reviewer runs.
func (r *Reviewer) Rules() Rules {
	if r == nil {
		return Rules{}
	}
	return r.rules.clone()
}

// Review reviews the sales of in.Period: it builds the [Snapshot] in one
// pass over the inquiries and one over the deals (the deals' pass feeding
// [quota.Forecast] as well), runs the rules, traces shortfalls to their
// causes, and closes the loop: retraining actions become assignments
// through [Options.Assigner], product feedback and findings become events
// through [Options.Publisher], goal adjustments become proposals. It
// returns the [Report].
//
// The same inputs and clock give the same report, and the same assignment
// and event IDs, so a review retried after a failure does not assign
// anything twice: an assignment already stored counts as done, and the
// rerun's report differs only in giving it the status [StatusExisting]
// rather than [StatusDone]. It publishes again the events published
// before the failure, under the same IDs, by which the publisher can drop
// those it has delivered; the event IDs include the as-of time, so they
// are the same only if the retry gives the same [Input].AsOf, or a zero
// one once the clock is past the period and the goals that end with it
// (before that, a zero one is the clock's reading, which a live clock
// does not repeat).
// Invalid input is an error wrapping [sp.ErrInvalid]; amounts of
// different currencies within a group, or a deal of another currency than
// a revenue goal it counts for, [sp.ErrCurrencyMismatch] (naming the goal
// by its index in [Input].Goals, subject and period, as [quota.Forecast]
// does);
// a failing service or rule, its error, wrapped; a done ctx, ctx.Err(),
// with no assignment made and no event published after it was done,
// whether or not the services look at ctx. Errors are prefixed "review: ".
func (r *Reviewer) Review(ctx context.Context, in Input) (Report, error) {
	switch {
	case r == nil:
		return Report{}, fmt.Errorf("review: nil reviewer: %w", sp.ErrInvalid)
	case r.opts.Clock == nil:
		return Report{}, fmt.Errorf("review: reviewer not made by New: %w", sp.ErrInvalid)
	case ctx == nil:
		return Report{}, fmt.Errorf("review: %w", sp.Invalid("ctx", "nil context"))
	}
	// The goals are read again once the inquiries are: a copy, so that
	// the caller may reuse its slice meanwhile.
	in.Goals = slices.Clone(in.Goals)
	now := r.opts.Clock.Now().Round(0) // see sp.Clock
	asOf, err := checkInput(&in, now)
	if err != nil {
		return Report{}, fmt.Errorf("review: %w", err)
	}
	snap, err := r.snapshot(ctx, &in, asOf)
	if err != nil {
		return Report{}, fmt.Errorf("review: %w", err)
	}
	findings, err := r.evaluate(ctx, snap)
	if err != nil {
		return Report{}, fmt.Errorf("review: %w", err)
	}
	rep := Report{
		Version: ReportVersion, Period: in.Period, AsOf: asOf, Generated: now, Rules: r.rules.clone(),
		Snapshot: *snap, Findings: findings,
	}
	if err := r.act(ctx, &rep, snap); err != nil {
		return Report{}, fmt.Errorf("review: %w", err)
	}
	return rep, nil
}

// checkInput validates in and returns the as-of time.
func checkInput(in *Input, now time.Time) (time.Time, error) {
	if err := sp.ValidateTime(now); err != nil {
		return time.Time{}, sp.InField("options.clock", err)
	}
	if in.Period.IsZero() {
		return time.Time{}, sp.Invalid("input.period", "missing")
	}
	if err := in.Period.Validate(); err != nil {
		return time.Time{}, sp.InField("input", err) // Validate names "period"
	}
	if err := sp.ValidateTime(in.AsOf); err != nil {
		return time.Time{}, sp.InField("input.as_of", err)
	}
	asOf := in.AsOf
	if asOf.IsZero() {
		asOf = defaultAsOf(in.Period, in.Goals, now)
	}
	if asOf.Before(in.Period.Start()) {
		return time.Time{}, sp.Invalid("input.as_of", "%s is before the period %s", timeText(asOf), in.Period)
	}
	// A goal is its subject, product, period text and metric: the parts of
	// its finding IDs, each apart, so that IDs that spell one text do not
	// make distinct goals one.
	type goalID struct {
		subject Subject
		product sp.ProductID
		period  string
		metric  quota.Metric
	}
	goals := make(map[goalID]int, len(in.Goals))
	for i, g := range in.Goals {
		field := fmt.Sprintf("input.goals[%d]", i)
		if err := g.Validate(); err != nil {
			return time.Time{}, sp.InElement("input.goals", i, "goal", err)
		}
		id := goalID{GoalRow{Goal: g}.Subject(), g.Product, g.Period.String(), g.Metric()}
		if j, dup := goals[id]; dup {
			return time.Time{}, sp.Invalid(field, "same goal as input.goals[%d]", j)
		}
		goals[id] = i
	}
	if err := checkEntities("input.reps", "rep", in.Reps, func(e sp.Rep) sp.RepID { return e.ID }); err != nil {
		return time.Time{}, err
	}
	if err := checkEntities("input.regions", "region", in.Regions, func(e sp.Region) sp.RegionID { return e.ID }); err != nil {
		return time.Time{}, err
	}
	if err := checkEntities("input.products", "product", in.Products, func(e sp.Product) sp.ProductID { return e.ID }); err != nil {
		return time.Time{}, err
	}
	return asOf, nil
}

// defaultAsOf returns the as-of time of a review of period without one at
// the clock's time now: the end of period, or, where a goal's period ends
// later at the same reading of its own zone's clocks as period ends on
// its zone's clocks (the same month in a zone west of period's), the
// latest such end; but now if that is not later.
func defaultAsOf(period sp.Period, goals []quota.Goal, now time.Time) time.Time {
	end := period.End()
	if !now.After(end) {
		return now
	}
	asOf, wall := end, wallReading(end)
	for i := range goals {
		e := goals[i].Period.End()
		// Only an end between asOf and now can move it: most goals end
		// with the period, and their readings are not needed.
		if e.After(asOf) && wallReading(e).Equal(wall) {
			asOf = e
		}
	}
	if !now.After(asOf) {
		return now
	}
	return asOf
}

// wallReading returns the date and time of day that t reads on the clocks
// of its location, as a time in UTC; the first instant of a day reads as
// its midnight, even where clocks spring forward at midnight and the day
// begins at 01:00, as the periods of package salesprocess begin it.
func wallReading(t time.Time) time.Time {
	y, m, d := t.Date()
	if t.Equal(sp.DayStart(y, m, d, t.Location())) {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), time.UTC)
}

// checkEntities validates the entities es of the input's field, whose
// errors name their type kind first, and refuses an ID given twice.
func checkEntities[E interface{ Validate() error }, ID ~string](field, kind string, es []E, id func(E) ID) error {
	seen := make(map[ID]int, len(es))
	for i, e := range es {
		if err := e.Validate(); err != nil {
			return sp.InElement(field, i, kind, err)
		}
		if j, dup := seen[id(e)]; dup {
			return sp.Invalid(fmt.Sprintf("%s[%d].id", field, i), "%s also %s[%d]", sp.Quote(string(id(e))), field, j)
		}
		seen[id(e)] = i
	}
	return nil
}

// snapshot builds the snapshot of in.
func (r *Reviewer) snapshot(ctx context.Context, in *Input, asOf time.Time) (*Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	outcome := quota.DefaultOutcome
	if r.opts.Quota != nil && r.opts.Quota.Outcome != nil {
		outcome = r.opts.Quota.Outcome
	}
	b := newBuilder(ctx, &r.rules, in, asOf, outcome)
	if err := b.inquiries(in.Inquiries); err != nil {
		return nil, fmt.Errorf("inquiries: %w", err)
	}
	var passErr error
	deals := func(yield func(*pipeline.Deal) bool) {
		if in.Deals == nil {
			return
		}
		for d := range in.Deals {
			if passErr = b.deal(d); passErr != nil {
				return
			}
			// A deal created after the as-of time did not exist then: the
			// forecast takes it neither as open nor as booked, as the
			// figures do not.
			if d.Created.After(asOf) && (d.Closed.IsZero() || d.Closed.After(asOf)) {
				continue
			}
			if !yield(d) {
				return
			}
		}
	}
	var outlooks []quota.Outlook
	if len(in.Goals) > 0 {
		var err error
		outlooks, err = quota.Forecast(in.Goals, deals, asOf, r.opts.Quota)
		if passErr == nil && err != nil {
			return nil, err
		}
	} else {
		deals(func(*pipeline.Deal) bool { return true })
	}
	if passErr != nil {
		return nil, fmt.Errorf("deals: %w", passErr)
	}
	if err := b.feedbackFrom(in.Feedback); err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	// The builder looks at ctx every few thousand records only: a listing
	// that failed and cancelled ctx may have ended the input since.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := b.finish(outlooks, r.opts.Quota)
	if err := b.certify(s, r.opts.Certificates, r.opts.Certifying, r.opts.Location); err != nil {
		return nil, err
	}
	s.prepare()
	s.countRepsBelow()
	return s, nil
}

// evaluate runs the rules and returns their findings, completed, checked
// and sorted.
func (r *Reviewer) evaluate(ctx context.Context, s *Snapshot) ([]Finding, error) {
	out := []Finding{}
	ids := map[string]int{}
	for _, rule := range r.run {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := rule.Name()
		fs, err := rule.Evaluate(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", sp.Quote(name), err)
		}
		for i, f := range fs {
			switch f.Rule {
			case "":
				f.Rule = name
			case name:
			default:
				return nil, fmt.Errorf("rule %s: %w", sp.Quote(name), sp.Invalid(fmt.Sprintf("findings[%d].rule", i), "%s is another rule's name", sp.Quote(f.Rule)))
			}
			if f.ID == "" {
				f.ID = name + ":" + f.Subject.Key()
			}
			if n := ids[f.ID]; n > 0 {
				// The next "<id>#<n>" that no finding has yet.
				base := f.ID
				for ids[f.ID] > 0 {
					n++
					f.ID = fmt.Sprintf("%s#%d", base, n)
				}
				ids[base] = n
			}
			ids[f.ID] = max(ids[f.ID], 1)
			// Checked with its ID made unique, which may make it too long.
			if err := f.Validate(); err != nil {
				return nil, fmt.Errorf("rule %s: %w", sp.Quote(name), sp.InField(fmt.Sprintf("findings[%d]", i), err))
			}
			f.Evidence = slices.Clone(f.Evidence)
			f.Actions = slices.Clone(f.Actions)
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, compareFindings)
	return out, nil
}

// isDuplicate reports an error that says a record already exists.
func isDuplicate(err error) bool { return errors.Is(err, sp.ErrDuplicate) }
