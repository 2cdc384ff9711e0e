package review

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// Severity says how urgent a [Finding] is. Its text form is its name. The
// zero Severity is unset: it encodes as empty text and back, and Validate
// refuses it.
type Severity string

// The severities, from the least urgent.
const (
	SeverityInfo     Severity = "info"     // for the record: applause, an expiry ahead
	SeverityWarning  Severity = "warning"  // worth examining
	SeverityCritical Severity = "critical" // needs action now
)

var severities = []Severity{SeverityInfo, SeverityWarning, SeverityCritical}

// Validate reports whether s is a known severity.
func (s Severity) Validate() error { return sp.CheckEnum("severity", s, severities...) }

// String returns s as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (s Severity) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown severity is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (s Severity) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("severity", s, severities...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid]; empty text gives the zero
// Severity.
func (s *Severity) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("severity", s, text, severities...)
}

// Rank returns 1 for info, 2 for warning, 3 for critical and 0 otherwise.
func (s Severity) Rank() int {
	for i, v := range severities {
		if v == s {
			return i + 1
		}
	}
	return 0
}

// AtLeast reports whether s is as urgent as o or more, as a host filters
// findings ("warnings and worse"); an unknown severity is below every
// known one. It orders as [training.Severity.AtLeast] does.
func (s Severity) AtLeast(o Severity) bool { return s.Rank() >= o.Rank() }

// Cause is what a shortfall is traced to (see the package documentation
// for the method). Its text form is its name; the zero Cause, for findings
// that need no cause (applause), is empty.
type Cause string

// The causes.
const (
	CauseProduct Cause = "product" // a shortcoming of the product
	CauseRep     Cause = "rep"     // the rep's competence
	CauseMarket  Cause = "market"  // the region's market
	CauseProcess Cause = "process" // slow or missing follow-up
	CauseData    Cause = "data"    // too few cases to judge, or nothing significant
)

var causes = []Cause{CauseProduct, CauseRep, CauseMarket, CauseProcess, CauseData}

// Validate reports whether c is a known cause or the zero Cause.
func (c Cause) Validate() error {
	if c == "" {
		return nil
	}
	return sp.CheckEnum("cause", c, causes...)
}

// String returns c as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (c Cause) String() string { return string(c) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown cause is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (c Cause) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("cause", c, causes...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid]; empty text gives the zero
// Cause.
func (c *Cause) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("cause", c, text, causes...)
}

// SubjectKind says what a [Subject] is. Its text form is its name. The zero
// SubjectKind is unset: it encodes as empty text and back, and Validate
// refuses it.
type SubjectKind string

// The kinds of subject, in the order reports list them.
const (
	SubjectCompany    SubjectKind = "company"
	SubjectRegion     SubjectKind = "region"
	SubjectProduct    SubjectKind = "product"
	SubjectRep        SubjectKind = "rep"
	SubjectRepProduct SubjectKind = "rep_product" // a rep's sales of one product
)

var subjectKinds = []SubjectKind{SubjectCompany, SubjectRegion, SubjectProduct, SubjectRep, SubjectRepProduct}

// Validate reports whether k is a known kind.
func (k SubjectKind) Validate() error { return sp.CheckEnum("subject kind", k, subjectKinds...) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k SubjectKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown subject kind is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (k SubjectKind) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("subject kind", k, subjectKinds...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid]; empty text gives the zero
// SubjectKind.
func (k *SubjectKind) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("subject kind", k, text, subjectKinds...)
}

func (k SubjectKind) rank() int {
	for i, v := range subjectKinds {
		if v == k {
			return i
		}
	}
	return len(subjectKinds)
}

// Subject is what a [Finding] is about: the company, a region, a product,
// a rep, or a rep's sales of one product. Only the IDs its Kind needs are
// set. The zero Subject is invalid: its Validate refuses it.
type Subject struct {
	Kind    SubjectKind  `json:"kind"`
	Rep     sp.RepID     `json:"rep,omitempty"`
	Region  sp.RegionID  `json:"region,omitempty"`
	Product sp.ProductID `json:"product,omitempty"`
}

// CompanySubject returns the subject of the whole company.
func CompanySubject() Subject { return Subject{Kind: SubjectCompany} }

// RegionSubject returns the subject of region id.
func RegionSubject(id sp.RegionID) Subject { return Subject{Kind: SubjectRegion, Region: id} }

// ProductSubject returns the subject of product id.
func ProductSubject(id sp.ProductID) Subject { return Subject{Kind: SubjectProduct, Product: id} }

// RepSubject returns the subject of rep id.
func RepSubject(id sp.RepID) Subject { return Subject{Kind: SubjectRep, Rep: id} }

// RepProductSubject returns the subject of rep's sales of product.
func RepProductSubject(rep sp.RepID, product sp.ProductID) Subject {
	return Subject{Kind: SubjectRepProduct, Rep: rep, Product: product}
}

// Validate reports whether s has a known kind and exactly the valid IDs
// its kind needs.
func (s Subject) Validate() error {
	if err := sp.InField("subject.kind", s.Kind.Validate()); err != nil {
		return err
	}
	k := s.Kind
	if err := needID(k, "rep", k == SubjectRep || k == SubjectRepProduct, s.Rep); err != nil {
		return err
	}
	if err := needID(k, "region", k == SubjectRegion, s.Region); err != nil {
		return err
	}
	return needID(k, "product", k == SubjectProduct || k == SubjectRepProduct, s.Product)
}

// validID is an ID type of the package's records.
type validID interface {
	~string
	Validate() error
}

// needID checks the ID of field of a subject of kind k: valid where the
// kind needs it (needed), empty where not.
func needID[T validID](k SubjectKind, field string, needed bool, id T) error {
	switch {
	case needed && id == "":
		return sp.Invalid("subject."+field, "missing for a %s subject", k)
	case needed:
		if err := id.Validate(); err != nil { // the field is written out only for an error
			return sp.InField("subject."+field, err)
		}
	case id != "":
		return sp.Invalid("subject."+field, "set for a %s subject", k)
	}
	return nil
}

// optionalID checks id, named field, unless it is empty.
func optionalID[T validID](field string, id T) error {
	if id == "" {
		return nil
	}
	return sp.InField(field, id.Validate())
}

// String returns the subject for people: "company", "region north",
// "product widget", "rep ann", "rep ann on widget".
func (s Subject) String() string {
	switch s.Kind {
	case SubjectCompany:
		return "company"
	case SubjectRegion:
		return "region " + string(s.Region)
	case SubjectProduct:
		return "product " + string(s.Product)
	case SubjectRep:
		return "rep " + string(s.Rep)
	case SubjectRepProduct:
		return "rep " + string(s.Rep) + " on " + string(s.Product)
	}
	return string(s.Kind)
}

// Key returns the subject as finding IDs spell it: "company",
// "region=north", "product=widget", "rep=ann", "rep=ann,product=widget".
func (s Subject) Key() string {
	var parts []string
	if s.Rep != "" {
		parts = append(parts, "rep="+string(s.Rep))
	}
	if s.Region != "" {
		parts = append(parts, "region="+string(s.Region))
	}
	if s.Product != "" {
		parts = append(parts, "product="+string(s.Product))
	}
	if len(parts) == 0 {
		return string(s.Kind)
	}
	return strings.Join(parts, ",")
}

// Compare orders subjects by kind (company, region, product, rep, rep on
// product) and then by their IDs.
func (s Subject) Compare(o Subject) int {
	return cmp.Or(
		cmp.Compare(s.Kind.rank(), o.Kind.rank()),
		cmp.Compare(s.Rep, o.Rep),
		cmp.Compare(s.Region, o.Region),
		cmp.Compare(s.Product, o.Product),
	)
}

// Evidence is one figure behind a finding or a diagnosis, as text for
// people and machines alike: "win rate" → "2/20 = 0.1000, 95 % Wilson
// 0.0279 to 0.3010". The zero Evidence has no name and no value.
type Evidence struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ActionKind says what an [Action] asks for. Its text form is its name. The
// zero ActionKind is unset: it encodes as empty text and back, and Validate
// refuses it.
type ActionKind string

// The kinds of action.
const (
	// ActionRecognize: applaud the rep or the region's team.
	ActionRecognize ActionKind = "recognize"
	// ActionCoach: a manager coaches the rep (or the region's reps) on
	// Action.Topic.
	ActionCoach ActionKind = "coach"
	// ActionRetrain: the rep retakes the training module for a product,
	// or every module of a curriculum, by a due date; it becomes a
	// [training.Assignment] per module.
	ActionRetrain ActionKind = "retrain"
	// ActionProductFeedback: the product's loss reasons and customers'
	// feedback go to its owner (see [ProductFeedback]).
	ActionProductFeedback ActionKind = "product_feedback"
	// ActionAdjustGoal: a proposal to change a goal's target (see
	// [GoalProposal]).
	ActionAdjustGoal ActionKind = "adjust_goal"
)

var actionKinds = []ActionKind{ActionRecognize, ActionCoach, ActionRetrain, ActionProductFeedback, ActionAdjustGoal}

// Validate reports whether k is a known kind.
func (k ActionKind) Validate() error { return sp.CheckEnum("action kind", k, actionKinds...) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k ActionKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown action kind is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (k ActionKind) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("action kind", k, actionKinds...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid]; empty text gives the zero
// ActionKind.
func (k *ActionKind) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("action kind", k, text, actionKinds...)
}

// Action is what a finding asks for. The fields its Kind needs are set:
//
//   - recognize: Rep, or Region for a region's team;
//   - coach: Rep (or Region) and Topic;
//   - retrain: Rep and Product, and, once the [Reviewer] has resolved
//     them, Module (from [Options.Modules], unless the rule set it) and Due
//     (the rule's, if it set one after the review's time and before
//     [ActionSettings.RetrainDueDays] have passed; that default otherwise);
//     Curriculum, when set, names the curriculum whose certificate the
//     retraining is to renew: an action without a Module whose Curriculum
//     [Options.Curricula] knows keeps no Module, and assigns every module
//     of the curriculum instead (see [AssignmentResult]);
//   - product_feedback: Product, and Owner once resolved from the
//     product ([sp.Product.Owner]);
//   - adjust_goal: Goal and Proposed.
//
// The zero Action is invalid: its Validate refuses it.
type Action struct {
	Kind       ActionKind            `json:"kind"`
	Rep        sp.RepID              `json:"rep,omitempty"`
	Region     sp.RegionID           `json:"region,omitempty"`
	Product    sp.ProductID          `json:"product,omitempty"`
	Module     training.ModuleID     `json:"module,omitempty"`
	Curriculum training.CurriculumID `json:"curriculum,omitempty"`
	Due        time.Time             `json:"due"`
	Owner      sp.ActorID            `json:"owner,omitempty"`
	Topic      string                `json:"topic,omitempty"`
	// Goal is the goal to adjust and Proposed its proposed target.
	Goal     *quota.Goal   `json:"goal,omitempty"`
	Proposed *quota.Amount `json:"proposed,omitempty"`
	// Note says more, for people: why no module was assigned, how a
	// proposal was computed. Where the [Reviewer] adds to a rule's note
	// (that no module is known), its words follow the rule's after "; ",
	// the rule's cut at a character's boundary if the two would pass the
	// 8 KiB a note may hold.
	Note string `json:"note,omitempty"`
}

// Validate reports whether a has a known kind and the fields its kind
// needs, whether the IDs, due time and texts it has are valid, and whether
// a proposed target is a valid amount of the goal's metric (one in another
// currency than the goal's wraps [sp.ErrCurrencyMismatch] as well). A goal
// or proposal on an action of another kind must be valid too.
func (a Action) Validate() error {
	if err := sp.InField("action.kind", a.Kind.Validate()); err != nil {
		return err
	}
	if err := cmp.Or(optionalID("action.rep", a.Rep), optionalID("action.region", a.Region),
		optionalID("action.product", a.Product), optionalID("action.module", a.Module),
		optionalID("action.curriculum", a.Curriculum), optionalID("action.owner", a.Owner)); err != nil {
		return err
	}
	if err := sp.ValidateTime(a.Due); err != nil {
		return sp.InField("action.due", err)
	}
	if err := checkText("action.topic", a.Topic, maxLine, false); err != nil {
		return err
	}
	if err := checkText("action.note", a.Note, maxText, true); err != nil {
		return err
	}
	switch a.Kind {
	case ActionRecognize, ActionCoach:
		if a.Rep == "" && a.Region == "" {
			return sp.Invalid("action.rep", "missing: a %s action needs a rep or a region", a.Kind)
		}
	case ActionRetrain:
		if err := a.Rep.Validate(); err != nil {
			return sp.InField("action.rep", err)
		}
		if err := a.Product.Validate(); err != nil {
			return sp.InField("action.product", err)
		}
	case ActionProductFeedback:
		if err := a.Product.Validate(); err != nil {
			return sp.InField("action.product", err)
		}
	case ActionAdjustGoal:
		if a.Goal == nil || a.Proposed == nil {
			return sp.Invalid("action.goal", "an adjust_goal action needs a goal and a proposed target")
		}
		if err := a.Goal.Validate(); err != nil {
			return sp.InField("action", err) // the goal's errors name it
		}
		switch {
		case a.Proposed.Metric() != a.Goal.Metric():
			return sp.Invalid("action.proposed", "%s is not in the goal's metric, %s", a.Proposed, a.Goal.Metric())
		case a.Proposed.Money.Currency() != a.Goal.Revenue.Currency():
			return fmt.Errorf("%w: %w", sp.Invalid("action.proposed", "%s, where the goal is in %s",
				a.Proposed, a.Goal.Revenue.Currency()), sp.ErrCurrencyMismatch)
		}
		if err := checkAmount("action.proposed", *a.Proposed); err != nil {
			return err
		}
		return nil
	}
	// Other kinds do not use a goal or a proposal, but one they carry must
	// still be well formed, or the action would not encode.
	if a.Goal != nil {
		if err := a.Goal.Validate(); err != nil {
			return sp.InField("action", err)
		}
	}
	if a.Proposed != nil {
		if err := checkAmount("action.proposed", *a.Proposed); err != nil {
			return err
		}
	}
	return nil
}

// checkAmount reports whether a is a well-formed amount: valid money, or
// a count within the bounds of [checkScale], and not both.
func checkAmount(field string, a quota.Amount) error {
	if err := checkScale(field+".deals", a.Deals); err != nil {
		return err
	}
	if a.Metric() == quota.MetricWonDeals {
		return nil
	}
	if err := a.Money.Validate(); err != nil {
		return sp.InField(field+".money", err)
	}
	if !a.Deals.IsZero() {
		return sp.Invalid(field+".deals", "a count besides money")
	}
	return nil
}

// The longest texts of findings and actions, in bytes: a line (a name,
// a topic, an ID) and a text (a summary, a note, an evidence's value).
const (
	maxLine = 256
	maxText = 8 << 10
)

// checkText applies [sp.ValidateText] to field.
func checkText(field, s string, max int, multiline bool) error {
	return sp.InField(field, sp.ValidateText(s, max, multiline))
}

// Finding is what a rule found about a subject: how urgent it is, the
// cause it was traced to, the figures that decided it, and the actions it
// calls for. The zero Finding is invalid: its Validate refuses it.
type Finding struct {
	// ID identifies the finding within a review:
	// "<rule>:<subject key>", with the goal's period and metric appended
	// for findings about goals (and its product, for a region's goal for
	// one product), and ":expiring" (and ",channel=<channel>" for a
	// certificate of one channel) for the certification rule's finding
	// of a certificate about to expire, so that it differs from the
	// finding of the rep's missing or invalid certificate. A finding whose
	// ID another finding of the review has already gets "#2" appended,
	// then "#3", and so on; a host rule's finding that this makes longer
	// than [Finding.Validate] allows is an error of the rule. The same
	// inputs give the same IDs. The ID of a finding about a goal holds the
	// goal's period ("target_missed:rep=bob:2026-11,revenue"), so the
	// same shortfall in the review of the next month has another ID:
	// [Compare] follows findings from one review to the next by Rule,
	// Subject and the ID without the goal's period, rather than by ID.
	ID       string     `json:"id"`
	Rule     string     `json:"rule"`
	Subject  Subject    `json:"subject"`
	Severity Severity   `json:"severity"`
	Cause    Cause      `json:"cause,omitempty"`
	Summary  string     `json:"summary"`
	Evidence []Evidence `json:"evidence,omitempty"`
	Actions  []Action   `json:"actions,omitempty"`
}

// Validate reports whether f has a valid subject, severity, cause and
// actions, a summary, and texts (ID, rule, evidence) of valid UTF-8
// without control characters, within the bounds of a line (256 bytes; 512
// for the ID and an evidence's name, which may hold two IDs of records,
// such as a rep's and a product's) or of a text (8 KiB).
func (f Finding) Validate() error {
	if err := f.Subject.Validate(); err != nil {
		return err
	}
	if err := checkText("id", f.ID, 2*maxLine, false); err != nil {
		return err
	}
	if err := checkText("rule", f.Rule, maxLine, false); err != nil {
		return err
	}
	if err := sp.InField("severity", f.Severity.Validate()); err != nil {
		return err
	}
	if err := sp.InField("cause", f.Cause.Validate()); err != nil {
		return err
	}
	if strings.TrimSpace(f.Summary) == "" {
		return sp.Invalid("summary", "empty")
	}
	if err := checkText("summary", f.Summary, maxText, true); err != nil {
		return err
	}
	for i, e := range f.Evidence {
		// The field is written out only for an error: this runs for every
		// finding of a review.
		if err := sp.ValidateText(e.Name, 2*maxLine, false); err != nil {
			return sp.InField(fmt.Sprintf("evidence[%d].name", i), err)
		}
		if err := sp.ValidateText(e.Value, maxText, true); err != nil {
			return sp.InField(fmt.Sprintf("evidence[%d].value", i), err)
		}
	}
	for i, a := range f.Actions {
		if err := a.Validate(); err != nil {
			return sp.InElement("actions", i, "action", err)
		}
	}
	return nil
}

// compareFindings orders findings the way reports list them: the most
// severe first, then by subject, rule and ID.
func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
		a.Subject.Compare(b.Subject),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.ID, b.ID),
	)
}
