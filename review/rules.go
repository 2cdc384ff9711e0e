package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// RulesVersion is the version of the rules document this package reads
// and writes, the value of [Rules.Version].
const RulesVersion = 1

// Rules is the rules document: which rules run, their thresholds, and the
// settings of the analysis behind them. A manager tunes it as JSON without
// touching code; [ParseRules] reads it and [DefaultRules] is the document
// the package ships with. Its JSON form is
//
//	{"version": 1, "analysis": {...}, "actions": {...}, "rules": {...}, "custom": {...}}
//
// with every decimal as a string ("0.95"), every duration as text
// ("24h"), and counts as JSON integers. The zero Rules is not valid; start
// from DefaultRules.
type Rules struct {
	// Version is the version of the document's format, [RulesVersion].
	Version int `json:"version"`
	// Analysis sets the statistics and the signals of the root-cause
	// analysis (see the package documentation).
	Analysis Analysis `json:"analysis"`
	// Actions sets how actions are carried out.
	Actions ActionSettings `json:"actions"`
	// Rules holds one entry per built-in rule that runs; a nil entry does
	// not run.
	Rules RuleSet `json:"rules"`
	// Custom holds the settings of the host's rules (see [Options.Rules]),
	// by rule name, as JSON objects that [Snapshot.Settings] hands to them.
	// A rule whose settings hold "enabled": false does not run; "enabled"
	// of another type than a boolean (or null) is invalid, and so is a key
	// given twice in an object of the settings, at any depth, and so are
	// more than [sp.MaxDigitRun] digits in a row, which a report holding
	// the settings could not be read back with. Every name must be a rule
	// the [Reviewer] knows.
	Custom map[string]json.RawMessage `json:"custom,omitempty"`
}

// RateKind names the rate a comparison is made on. Its text form is its
// name. The zero RateKind is unset: it encodes as empty text and back, and
// Validate refuses it.
type RateKind string

// The rates comparisons are made on.
const (
	// RateWinRate is won / (won + lost) of the deals closed in the period.
	RateWinRate RateKind = "win_rate"
	// RateConversion is the cohort conversion: of the inquiries received
	// in the period, the share that became won deals by the as-of time
	// ([quota.CohortConversion]).
	RateConversion RateKind = "conversion"
)

var rateKinds = []RateKind{RateWinRate, RateConversion}

// Validate reports whether k is a known rate.
func (k RateKind) Validate() error { return sp.CheckEnum("rate", k, rateKinds...) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k RateKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown rate is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (k RateKind) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("rate", k, rateKinds...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid]; empty text gives the zero
// RateKind.
func (k *RateKind) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("rate", k, text, rateKinds...)
}

// Adjustment is how the confidence of a comparison is adjusted for the
// many comparisons a review makes. Its text form is its name. The zero
// Adjustment is unset: it encodes as empty text and back, and Validate
// refuses it.
type Adjustment string

// The adjustments.
const (
	// AdjustBonferroni: the comparisons of one kind (reps against the
	// team, reps on a product against the other reps on it, products
	// against the other products, regions against the other regions) hold
	// together at the analysis' confidence: each of m is made at
	// 1 − (1 − confidence)/m, and its p-value ([quota.Comparison.PValue])
	// is the adjusted one, m × p up to 1. So that a company of 1,000 reps
	// selling 10 products does not get some 250 false findings at 95 %, a
	// small team few.
	AdjustBonferroni Adjustment = "bonferroni"
	// AdjustNone: each comparison at the analysis' confidence, with its
	// plain p-value.
	AdjustNone Adjustment = "none"
)

var adjustments = []Adjustment{AdjustBonferroni, AdjustNone}

// Validate reports whether a is a known adjustment.
func (a Adjustment) Validate() error { return sp.CheckEnum("adjustment", a, adjustments...) }

// String returns a as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (a Adjustment) String() string { return string(a) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown adjustment is an error wrapping
// [sp.ErrInvalid], as UnmarshalText would refuse it.
func (a Adjustment) MarshalText() ([]byte, error) {
	return sp.MarshalEnum("adjustment", a, adjustments...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [sp.ErrInvalid]; empty text gives the zero
// Adjustment.
func (a *Adjustment) UnmarshalText(text []byte) error {
	return sp.UnmarshalEnum("adjustment", a, text, adjustments...)
}

// Duration is [sp.Duration], a [time.Duration] whose text form is that of
// [time.Duration.String] ("24h0m0s"); it reads any form
// [time.ParseDuration] accepts ("24h", "90m"). The rules document takes
// a duration as text only, in a JSON string: a bare number is refused,
// since 24 would be read as 24 nanoseconds.
type Duration = sp.Duration

// Analysis sets the statistics of the review and the signals the root-cause
// analysis decides by. The zero Analysis is invalid: [Rules.Validate]
// refuses it; [DefaultRules] holds the defaults.
type Analysis struct {
	// Confidence is the confidence level of every interval and comparison,
	// strictly between 0 and 1; default "0.95".
	Confidence decimal.Decimal `json:"confidence"`
	// Adjustment adjusts the confidence of each comparison for their
	// number; default bonferroni.
	Adjustment Adjustment `json:"adjustment"`
	// Rate is the rate that targets and shortfalls are traced by; default
	// win_rate.
	Rate RateKind `json:"rate"`
	// MinDeals is the fewest closed deals (won + lost) on which a win rate
	// is judged, and MinInquiries the fewest inquiries on which a
	// conversion rate is; below them the cause is data. Defaults 5 and 5.
	MinDeals     int64 `json:"min_deals"`
	MinInquiries int64 `json:"min_inquiries"`
	// Places is the number of decimal places of reported rates,
	// intervals and probabilities, rounded half-up, 1 to 18; default 4.
	Places int32 `json:"places"`
	// Product is the signal that the product, not the reps, is at fault.
	Product ProductSignal `json:"product"`
	// Market is the signal that a region's market is at fault.
	Market MarketSignal `json:"market"`
	// FollowUp is the follow-up policy and the signal that the process is
	// at fault.
	FollowUp FollowUpSignal `json:"follow_up"`
}

// ProductSignal says when the losses of a product point at the product: at
// least MinLosses of its lost deals name one of LossCategories, making at
// least MinLossShare of its losses, from at least MinReps reps who are at
// least MinRepShare of the reps who closed deals on it. A product is also
// at fault when its rate is significantly below the other products' and at
// least MinRepShare (and MinReps) of the reps who sold it did worse on it
// than the other products' rate. A product at fault explains the shortfall
// of a rep, a region or the company when at least MinShareOfSales of their
// closed deals (of their inquiries, for conversion) are of it and their
// rate on it is below their rate on the other products (below the other
// products' rate, where they sold nothing else). The zero ProductSignal is
// invalid: [Rules.Validate] refuses it.
type ProductSignal struct {
	// LossCategories are the loss categories that point at the product;
	// default ["product"].
	LossCategories []pipeline.LossCategory `json:"loss_categories"`
	// MinLosses defaults to 3, MinLossShare to "0.5", MinReps to 2 and
	// MinRepShare to "0.5".
	MinLosses    int64           `json:"min_losses"`
	MinLossShare decimal.Decimal `json:"min_loss_share"`
	MinReps      int64           `json:"min_reps"`
	MinRepShare  decimal.Decimal `json:"min_rep_share"`
	// MinShareOfSales defaults to "0.25".
	MinShareOfSales decimal.Decimal `json:"min_share_of_sales"`
}

// MarketSignal says when a region's market is at fault: its rate is
// significantly below the rest of the company's, and at least MinRepShare
// of its reps with enough data, and at least MinReps of them, did worse
// than the rest of the company. Defaults 2 and "0.5". The zero MarketSignal
// is invalid: [Rules.Validate] refuses it.
type MarketSignal struct {
	MinReps     int64           `json:"min_reps"`
	MinRepShare decimal.Decimal `json:"min_rep_share"`
}

// FollowUpSignal is the follow-up policy inquiries are judged by and the
// signal that the follow-up process is at fault: the median first response
// of the period's inquiries above MaxMedianFirstResponse, or more than
// MaxOverdueShare of the open inquiries overdue, for a subject with at
// least [Analysis.MinInquiries] inquiries in the period. The zero
// FollowUpSignal is valid and sets no limit: its Policy is the zero
// [pipeline.FollowUpPolicy], under which no inquiry is overdue.
type FollowUpSignal struct {
	// FirstContact and NextTouch are the [pipeline.FollowUpPolicy], in
	// elapsed time, not calendar days: 72h from 10:30 on the Friday before
	// clocks turn back is 09:30 on Monday by the region's clock; defaults
	// 24h and 72h. Zero means no limit.
	FirstContact Duration `json:"first_contact"`
	NextTouch    Duration `json:"next_touch"`
	// MaxMedianFirstResponse defaults to 24h; zero means no limit.
	MaxMedianFirstResponse Duration `json:"max_median_first_response"`
	// MaxOverdueShare defaults to "0.25".
	MaxOverdueShare decimal.Decimal `json:"max_overdue_share"`
}

// Policy returns the follow-up policy of f.
func (f FollowUpSignal) Policy() pipeline.FollowUpPolicy {
	return pipeline.FollowUpPolicy{FirstContact: time.Duration(f.FirstContact), NextTouch: time.Duration(f.NextTouch)}
}

// ActionSettings set how actions are carried out. The zero ActionSettings
// are invalid: [Rules.Validate] refuses them.
type ActionSettings struct {
	// RetrainDueDays is how many days a rep has for a retraining
	// assignment, from the review's time: calendar days in the time zone
	// of the period under review, to the same time of day (or as much
	// later as clocks spring forward over it that day, and the first time
	// it comes where they turn back over it, as training's Certify counts
	// months); 1 to 366, default 14. A rule may set an earlier due time
	// on its action, which is kept if it is after the review's time: the
	// certification rule sets the expiry of a certificate about to
	// expire.
	RetrainDueDays int `json:"retrain_due_days"`
	// MaxItems is the most loss reasons and the most pieces of feedback a
	// product feedback carries; 0 to 1000, default 10.
	MaxItems int `json:"max_items"`
}

// RuleSet holds the settings of the built-in rules that run; a nil field
// does not run. See the package documentation for what each rule does. The
// zero RuleSet is valid and runs no built-in rule.
type RuleSet struct {
	TargetMet            *TargetMet            `json:"target_met,omitempty"`
	TargetMissed         *TargetMissed         `json:"target_missed,omitempty"`
	ConversionBelowPeers *ConversionBelowPeers `json:"conversion_below_peers,omitempty"`
	RepProductLag        *RepProductLag        `json:"rep_product_lag,omitempty"`
	SlowFollowUp         *SlowFollowUp         `json:"slow_follow_up,omitempty"`
	ProductLosses        *ProductLosses        `json:"product_losses,omitempty"`
	ThinPipeline         *ThinPipeline         `json:"thin_pipeline,omitempty"`
	Certification        *Certification        `json:"certification,omitempty"`
	FeedbackPileup       *FeedbackPileup       `json:"feedback_pileup,omitempty"`
}

// The names of the built-in rules, as the rules document and
// [Finding.Rule] spell them.
const (
	RuleTargetMet            = "target_met"
	RuleTargetMissed         = "target_missed"
	RuleConversionBelowPeers = "conversion_below_peers"
	RuleRepProductLag        = "rep_product_lag"
	RuleSlowFollowUp         = "slow_follow_up"
	RuleProductLosses        = "product_losses"
	RuleThinPipeline         = "thin_pipeline"
	RuleCertification        = "certification"
	RuleFeedbackPileup       = "feedback_pileup"
)

var builtinNames = []string{
	RuleTargetMet, RuleTargetMissed, RuleConversionBelowPeers, RuleRepProductLag, RuleSlowFollowUp,
	RuleProductLosses, RuleThinPipeline, RuleCertification, RuleFeedbackPileup,
}

// TargetMet applauds a goal that is met: its attained share of the target
// at least MinPercent (default "100"). The zero TargetMet is invalid:
// [Rules.Validate] refuses it; in a rules document, {} is the default.
type TargetMet struct {
	MinPercent decimal.Decimal `json:"min_percent"`
}

// TargetMissed examines a goal whose status (as [quota.Attain] classifies
// it) is one of Statuses (default missed and at_risk): a finding with the
// root cause and the actions it calls for, critical when less than
// CriticalBelowPercent (default "70") of the target is attained. The zero
// TargetMissed is invalid: [Rules.Validate] refuses it; in a rules
// document, {} is the default.
type TargetMissed struct {
	Statuses             []quota.Status  `json:"statuses"`
	CriticalBelowPercent decimal.Decimal `json:"critical_below_percent"`
}

// ConversionBelowPeers flags a rep whose Rate (default conversion) is
// significantly below the rest of the team's at the analysis' confidence,
// by [quota.Compare]; a rep with too little data is not flagged. The zero
// ConversionBelowPeers is invalid: [Rules.Validate] refuses it; in a rules
// document, {} is the default.
type ConversionBelowPeers struct {
	Rate RateKind `json:"rate"`
}

// RepProductLag flags a rep whose Rate (default win_rate) on a product is
// significantly below the other reps' on the same product, where the
// product itself is not at fault. The zero RepProductLag is invalid:
// [Rules.Validate] refuses it; in a rules document, {} is the default.
type RepProductLag struct {
	Rate RateKind `json:"rate"`
}

// SlowFollowUp flags a rep whose follow-up is slow or missing by the
// analysis' [FollowUpSignal], with cause process and an action to coach the
// rep on following up; critical when more than CriticalOverdueShare
// (default "0.5") of the rep's open inquiries are overdue. The zero
// SlowFollowUp is valid: a rep it flags with an inquiry overdue is
// critical.
type SlowFollowUp struct {
	CriticalOverdueShare decimal.Decimal `json:"critical_overdue_share"`
}

// ProductLosses flags a product whose losses point at it by the analysis'
// [ProductSignal] and sends product feedback to its owner; critical when at
// least CriticalLossShare (default "0.75") of its losses are of the
// signal's categories. The zero ProductLosses is valid: every product it
// flags is critical.
type ProductLosses struct {
	CriticalLossShare decimal.Decimal `json:"critical_loss_share"`
}

// ThinPipeline flags a goal not yet met, in a period not yet over, whose
// pipeline coverage (weighted open pipeline over the remaining gap) is
// below MinCoverage (default "1") or whose chance of being reached is below
// MinChance (default "0.5"): a warning with cause process, or market when
// the goal's region (its rep's, for a rep's goal) is weak and, for a rep's
// goal, the rep's rate is below the other regions', and for a rep's or a
// region's goal an action to coach the rep or the region's team on building
// pipeline. Below AdjustBelowChance (default "0.1") it proposes to lower
// the goal to the expected attainment (booked plus the weighted open
// pipeline), when that is below the target. The chance is judged as the
// goal's row shows it, rounded half-up to [Analysis.Places]: quota computes
// it in float64 with an error bound, so an unrounded chance of one deal at
// 0.1 can fall a hair below 0.1. The zero ThinPipeline is valid and flags
// no goal.
type ThinPipeline struct {
	MinCoverage       decimal.Decimal `json:"min_coverage"`
	MinChance         decimal.Decimal `json:"min_chance"`
	AdjustBelowChance decimal.Decimal `json:"adjust_below_chance"`
}

// Certification flags a rep who worked on a product in the period (a deal
// of it won or lost in the period or open at the as-of time, or an inquiry
// about it received in the period; activities alone do not count) without a
// valid certificate for it, and a certificate that expires after the as-of
// time and at most ExpiringWithinDays (default 30, 0 to 3660; 0 lists none)
// calendar days after it in the period's time zone, that time included (the
// same time of day, or as much later as clocks spring forward over it that
// day, and the first time it comes where they turn back over it); both get
// a retraining action, due by the certificate's expiry when that comes
// after the review's time and before [ActionSettings.RetrainDueDays] have
// passed. The window is one interval of instants for every rep, counted on
// the review's calendar; the expiry is written on the rep's, with
// [Options].Location (see [Snapshot].Expiring). [training.Trainer.Certify]
// renews a certificate earned by a curriculum only once the rep has passed
// every module of the curriculum again. The action on an expiring
// certificate earned by one names the curriculum (Action.Curriculum), and
// notes to recertify before it expires by passing every module of it again;
// with [Options.Curricula] it assigns every module of the curriculum,
// without it only the product's module ([Options.Modules]), whose pass does
// the assignment but does not renew the certificate alone. A rep's
// certification that has expired (a withdrawn certificate's too) or is
// outdated is known by its state ([CellRow].Certification) and, when
// [Options.Certificates] is a [CertificateFinder], by the curriculum of its
// certificate ([CellRow].Curriculum): the action then names the curriculum,
// and notes to pass every module of it again to renew the certificate,
// which with [Options.Curricula] it assigns, as for an expiring one.
// Without a curriculum found (no CertificateFinder, no certificate found,
// one earned otherwise) the action names none, assigns the product's
// module, and notes that a certificate earned by a curriculum is renewed
// only by passing every module of it again. A rep who holds no certificate
// for the product ([training.CertMissing]) is known by [Options.Certifying]
// to need the curriculum that certifies it: the action then names that
// curriculum and notes to pass every module of it to earn the certificate,
// which with Options.Curricula it assigns; without Certifying, or when it
// names none, the action assigns the product's module alone. The zero
// Certification is valid: it flags reps without a valid certificate, and no
// certificate about to expire.
type Certification struct {
	ExpiringWithinDays int `json:"expiring_within_days"`
}

// FeedbackPileup flags a product with at least MinCount (default 5) pieces
// of feedback from Sources (default customer) in the period, at least
// MinLowShare (default "0.5") of them rated MaxRating (default 2) or lower,
// and sends product feedback to its owner. The zero FeedbackPileup is
// invalid: [Rules.Validate] refuses it; in a rules document, {} is the
// default.
type FeedbackPileup struct {
	Sources     []sp.FeedbackSource `json:"sources"`
	MinCount    int64               `json:"min_count"`
	MaxRating   int                 `json:"max_rating"`
	MinLowShare decimal.Decimal     `json:"min_low_share"`
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func defaultAnalysis() Analysis {
	return Analysis{
		Confidence: dec("0.95"), Adjustment: AdjustBonferroni, Rate: RateWinRate, MinDeals: 5, MinInquiries: 5, Places: 4,
		Product: ProductSignal{
			LossCategories: []pipeline.LossCategory{pipeline.LossProduct},
			MinLosses:      3, MinLossShare: dec("0.5"), MinReps: 2, MinRepShare: dec("0.5"),
			MinShareOfSales: dec("0.25"),
		},
		Market: MarketSignal{MinReps: 2, MinRepShare: dec("0.5")},
		FollowUp: FollowUpSignal{
			FirstContact: Duration(24 * time.Hour), NextTouch: Duration(72 * time.Hour),
			MaxMedianFirstResponse: Duration(24 * time.Hour), MaxOverdueShare: dec("0.25"),
		},
	}
}

func defaultActions() ActionSettings { return ActionSettings{RetrainDueDays: 14, MaxItems: 10} }

func defaultTargetMet() *TargetMet { return &TargetMet{MinPercent: dec("100")} }
func defaultTargetMissed() *TargetMissed {
	return &TargetMissed{Statuses: []quota.Status{quota.StatusMissed, quota.StatusAtRisk}, CriticalBelowPercent: dec("70")}
}
func defaultConversionBelowPeers() *ConversionBelowPeers {
	return &ConversionBelowPeers{Rate: RateConversion}
}
func defaultRepProductLag() *RepProductLag { return &RepProductLag{Rate: RateWinRate} }
func defaultSlowFollowUp() *SlowFollowUp   { return &SlowFollowUp{CriticalOverdueShare: dec("0.5")} }
func defaultProductLosses() *ProductLosses { return &ProductLosses{CriticalLossShare: dec("0.75")} }
func defaultThinPipeline() *ThinPipeline {
	return &ThinPipeline{MinCoverage: dec("1"), MinChance: dec("0.5"), AdjustBelowChance: dec("0.1")}
}
func defaultCertification() *Certification { return &Certification{ExpiringWithinDays: 30} }
func defaultFeedbackPileup() *FeedbackPileup {
	return &FeedbackPileup{Sources: []sp.FeedbackSource{sp.FromCustomer}, MinCount: 5, MaxRating: 2, MinLowShare: dec("0.5")}
}

func defaultRuleSet() RuleSet {
	return RuleSet{
		TargetMet: defaultTargetMet(), TargetMissed: defaultTargetMissed(),
		ConversionBelowPeers: defaultConversionBelowPeers(), RepProductLag: defaultRepProductLag(),
		SlowFollowUp: defaultSlowFollowUp(), ProductLosses: defaultProductLosses(),
		ThinPipeline: defaultThinPipeline(), Certification: defaultCertification(),
		FeedbackPileup: defaultFeedbackPileup(),
	}
}

// DefaultRules returns the rules document the package ships with: every
// built-in rule with its default thresholds, as documented on each field.
// Each call returns a new document that the caller may change.
func DefaultRules() Rules {
	return Rules{Version: RulesVersion, Analysis: defaultAnalysis(), Actions: defaultActions(), Rules: defaultRuleSet()}
}

// ParseRules reads a rules document from its JSON form. "version" is
// required. Other missing parts take their defaults: a document without
// "analysis" has the default analysis, an analysis without "confidence"
// the default confidence, and so on; a document without "rules" runs
// every built-in rule, one with "rules" runs exactly the rules it lists
// (an empty object, or null, for the defaults of a rule). Null anywhere
// else is as if the member were missing: "analysis": null, "rules": null or
// "confidence": null keep their defaults. Unknown fields
// and rule names, fields given twice (at any depth of the settings under
// "custom" too, which are otherwise the host's), values of the wrong type
// (decimals must be strings), and values out of range are refused with an
// error that wraps [sp.ErrInvalid] and whose [*sp.ValidationError] names
// the field by its JSON path ("rules.thin_pipeline.min_chance"). A key that
// is not a plain name (at most 128 ASCII letters, digits, underscores and
// hyphens) is quoted in the path as by [strconv.Quote], as in
// custom."Big Deals", and cut after 40 bytes, so that a crafted key puts
// no line break or terminal escape into the error.
func ParseRules(data []byte) (Rules, error) {
	var r Rules
	if err := r.UnmarshalJSON(data); err != nil {
		return Rules{}, err
	}
	return r, nil
}

// UnmarshalJSON implements [json.Unmarshaler] with the rules of
// [ParseRules]. On error r is left unchanged.
func (r *Rules) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(r); err != nil {
		return fmt.Errorf("review: rules: %w", err)
	}
	out, err := decodeRules(data)
	if err != nil {
		return fmt.Errorf("review: rules: %w", err)
	}
	if err := out.Validate(); err != nil {
		return err
	}
	*r = out
	return nil
}

func decodeRules(data []byte) (Rules, error) {
	if !json.Valid(data) {
		return Rules{}, sp.Invalid("", "not valid JSON")
	}
	r := DefaultRules()
	r.Version = 0
	versioned := false
	err := decodeObject(data, map[string]fieldFunc{
		"version": func(raw []byte) error {
			versioned = !isNull(raw)
			return intField(&r.Version)(raw)
		},
		"analysis": section(func(raw []byte) error { return decodeAnalysis(raw, &r.Analysis) }),
		"actions": section(func(raw []byte) error {
			return decodeObject(raw, map[string]fieldFunc{
				"retrain_due_days": intField(&r.Actions.RetrainDueDays),
				"max_items":        intField(&r.Actions.MaxItems),
			})
		}),
		"rules":  section(func(raw []byte) error { return decodeRuleSet(raw, &r.Rules) }),
		"custom": func(raw []byte) error { return decodeCustom(raw, &r.Custom) },
	})
	if err != nil {
		return Rules{}, err
	}
	if !versioned {
		return Rules{}, sp.Invalid("version", "missing; want %d", RulesVersion)
	}
	return r, nil
}

func decodeAnalysis(raw []byte, a *Analysis) error {
	return decodeObject(raw, map[string]fieldFunc{
		"confidence":    decimalField(&a.Confidence),
		"adjustment":    textField(&a.Adjustment),
		"rate":          textField(&a.Rate),
		"min_deals":     intField(&a.MinDeals),
		"min_inquiries": intField(&a.MinInquiries),
		"places":        intField(&a.Places),
		"product": section(func(raw []byte) error {
			p := &a.Product
			return decodeObject(raw, map[string]fieldFunc{
				"loss_categories":    listField(&p.LossCategories),
				"min_losses":         intField(&p.MinLosses),
				"min_loss_share":     decimalField(&p.MinLossShare),
				"min_reps":           intField(&p.MinReps),
				"min_rep_share":      decimalField(&p.MinRepShare),
				"min_share_of_sales": decimalField(&p.MinShareOfSales),
			})
		}),
		"market": section(func(raw []byte) error {
			m := &a.Market
			return decodeObject(raw, map[string]fieldFunc{
				"min_reps":      intField(&m.MinReps),
				"min_rep_share": decimalField(&m.MinRepShare),
			})
		}),
		"follow_up": section(func(raw []byte) error {
			f := &a.FollowUp
			return decodeObject(raw, map[string]fieldFunc{
				"first_contact":             textField(&f.FirstContact),
				"next_touch":                textField(&f.NextTouch),
				"max_median_first_response": textField(&f.MaxMedianFirstResponse),
				"max_overdue_share":         decimalField(&f.MaxOverdueShare),
			})
		}),
	})
}

// section decodes a section of the document, an object, with f; null, as
// a missing section, leaves its defaults.
func section(f fieldFunc) fieldFunc {
	return func(raw []byte) error {
		if isNull(raw) {
			return nil
		}
		return f(raw)
	}
}

func decodeRuleSet(raw []byte, rs *RuleSet) error {
	*rs = RuleSet{}
	return decodeObject(raw, map[string]fieldFunc{
		RuleTargetMet: ruleField(&rs.TargetMet, defaultTargetMet, func(c *TargetMet) map[string]fieldFunc {
			return map[string]fieldFunc{"min_percent": decimalField(&c.MinPercent)}
		}),
		RuleTargetMissed: ruleField(&rs.TargetMissed, defaultTargetMissed, func(c *TargetMissed) map[string]fieldFunc {
			return map[string]fieldFunc{
				"statuses":               listField(&c.Statuses),
				"critical_below_percent": decimalField(&c.CriticalBelowPercent),
			}
		}),
		RuleConversionBelowPeers: ruleField(&rs.ConversionBelowPeers, defaultConversionBelowPeers, func(c *ConversionBelowPeers) map[string]fieldFunc {
			return map[string]fieldFunc{"rate": textField(&c.Rate)}
		}),
		RuleRepProductLag: ruleField(&rs.RepProductLag, defaultRepProductLag, func(c *RepProductLag) map[string]fieldFunc {
			return map[string]fieldFunc{"rate": textField(&c.Rate)}
		}),
		RuleSlowFollowUp: ruleField(&rs.SlowFollowUp, defaultSlowFollowUp, func(c *SlowFollowUp) map[string]fieldFunc {
			return map[string]fieldFunc{"critical_overdue_share": decimalField(&c.CriticalOverdueShare)}
		}),
		RuleProductLosses: ruleField(&rs.ProductLosses, defaultProductLosses, func(c *ProductLosses) map[string]fieldFunc {
			return map[string]fieldFunc{"critical_loss_share": decimalField(&c.CriticalLossShare)}
		}),
		RuleThinPipeline: ruleField(&rs.ThinPipeline, defaultThinPipeline, func(c *ThinPipeline) map[string]fieldFunc {
			return map[string]fieldFunc{
				"min_coverage":        decimalField(&c.MinCoverage),
				"min_chance":          decimalField(&c.MinChance),
				"adjust_below_chance": decimalField(&c.AdjustBelowChance),
			}
		}),
		RuleCertification: ruleField(&rs.Certification, defaultCertification, func(c *Certification) map[string]fieldFunc {
			return map[string]fieldFunc{"expiring_within_days": intField(&c.ExpiringWithinDays)}
		}),
		RuleFeedbackPileup: ruleField(&rs.FeedbackPileup, defaultFeedbackPileup, func(c *FeedbackPileup) map[string]fieldFunc {
			return map[string]fieldFunc{
				"sources":       listField(&c.Sources),
				"min_count":     intField(&c.MinCount),
				"max_rating":    intField(&c.MaxRating),
				"min_low_share": decimalField(&c.MinLowShare),
			}
		}),
	})
}

// ruleField decodes the settings of a built-in rule over its defaults.
func ruleField[T any](dst **T, def func() *T, fields func(*T) map[string]fieldFunc) fieldFunc {
	return func(raw []byte) error {
		c := def()
		if !isNull(raw) {
			if err := decodeObject(raw, fields(c)); err != nil {
				return err
			}
		}
		*dst = c
		return nil
	}
}

func decodeCustom(raw []byte, dst *map[string]json.RawMessage) error {
	if isNull(raw) {
		*dst = nil
		return nil
	}
	if err := expectObject(raw); err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return sp.Invalid("", "%v", err)
	}
	// decodeObject catches rule names given twice; Validate, keys given
	// twice within their settings, which are otherwise the host's.
	fields := make(map[string]fieldFunc, len(m))
	out := make(map[string]json.RawMessage, len(m))
	for name := range m {
		fields[name] = func(v []byte) error {
			if err := expectObject(v); err != nil {
				return err
			}
			var b bytes.Buffer
			_ = json.Compact(&b, v) // v is valid JSON
			out[name] = b.Bytes()
			return nil
		}
	}
	if err := decodeObject(raw, fields); err != nil {
		return err
	}
	*dst = out
	return nil
}

// fieldFunc decodes the JSON value of one field of an object.
type fieldFunc func(raw []byte) error

// decodeObject decodes the JSON object data field by field, in document
// order: every key must be in fields and appear once, and the errors of a
// field's decoder are placed under its key.
func decodeObject(data []byte, fields map[string]fieldFunc) error {
	if err := expectObject(data); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(data))
	if _, err := d.Token(); err != nil { // the opening brace
		return sp.Invalid("", "%v", err)
	}
	seen := make(map[string]bool, len(fields))
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return sp.Invalid("", "%v", err)
		}
		key, _ := tok.(string) // object keys are strings
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return sp.Invalid(fieldKey(key), "%v", err)
		}
		f, ok := fields[key]
		switch {
		case !ok:
			return sp.Invalid(fieldKey(key), "unknown field")
		case seen[key]:
			return sp.Invalid(fieldKey(key), "given twice")
		}
		seen[key] = true
		if err := f(raw); err != nil {
			return inField(fieldKey(key), err)
		}
	}
	return nil
}

// fieldKey returns key as the field of an error names it: as it is when
// it is at most 128 ASCII letters, digits, underscores and hyphens, as
// every field name is; quoted as by [strconv.Quote] and cut to 40 bytes
// otherwise, so that a key of an uploaded document cannot put line breaks,
// terminal escapes or its whole length into an error message.
func fieldKey(key string) string {
	plain := len(key) <= 128
	for i := 0; plain && i < len(key); i++ {
		c := key[i]
		plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
	}
	if plain {
		return key
	}
	const max = 40
	if len(key) <= max {
		return strconv.Quote(key)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return strconv.Quote(key[:cut]) + "..."
}

// inField is [sp.InField], joining an index ("[1]") to its
// parent without a dot.
func inField(parent string, err error) error {
	var ve *sp.ValidationError
	if errors.As(err, &ve) && strings.HasPrefix(ve.Field, "[") {
		return &sp.ValidationError{Field: parent + ve.Field, Reason: ve.Reason}
	}
	return sp.InField(parent, err)
}

// expectObject reports an error unless data is a JSON object.
func expectObject(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return sp.Invalid("", "want a JSON object, got %s", jsonKind(data))
	}
	return nil
}

func jsonKind(data []byte) string {
	switch {
	case len(data) == 0:
		return "nothing"
	case data[0] == '"':
		return "a string"
	case data[0] == '[':
		return "an array"
	case data[0] == 't' || data[0] == 'f':
		return "a boolean"
	case data[0] == 'n':
		return "null"
	case data[0] == '{':
		return "an object"
	}
	return "a number"
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// jsonString decodes a JSON string.
func jsonString(raw []byte) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return "", sp.Invalid("", "want a string, got %s", jsonKind(raw))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", sp.Invalid("", "%v", err)
	}
	return s, nil
}

// maxDecimalDigits is the most digits a decimal of the rules may have on
// either side of the point, as [sp.ParseAmount] takes.
const maxDecimalDigits = 40

// decimalField decodes a decimal written as a JSON string in plain
// notation; null keeps the default.
func decimalField(dst *decimal.Decimal) fieldFunc {
	return func(raw []byte) error {
		if isNull(raw) {
			return nil
		}
		s, err := jsonString(raw)
		if err != nil {
			return sp.Invalid("", "want a decimal as a string such as \"0.95\", got %s", jsonKind(bytes.TrimSpace(raw)))
		}
		v, err := sp.ParseAmount(s)
		if err != nil {
			return sp.Invalid("", "want a decimal in plain notation, of at most %d digits before and after the point, such as \"0.95\", got %s", maxDecimalDigits, sp.Quote(s))
		}
		*dst = v
		return nil
	}
}

// intField decodes a JSON integer; null keeps the default.
func intField[T int | int32 | int64](dst *T) fieldFunc {
	return func(raw []byte) error {
		if isNull(raw) {
			return nil
		}
		raw = bytes.TrimSpace(raw)
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || int64(T(n)) != n {
			return sp.Invalid("", "want an integer, got %s", shortJSON(raw))
		}
		*dst = T(n)
		return nil
	}
}

// textField decodes a JSON string by the destination's UnmarshalText;
// null keeps the default.
func textField[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](dst P) fieldFunc {
	return func(raw []byte) error {
		if isNull(raw) {
			return nil
		}
		s, err := jsonString(raw)
		if err != nil {
			return err
		}
		if s == "" {
			return sp.Invalid("", "empty")
		}
		var v T
		if err := P(&v).UnmarshalText([]byte(s)); err != nil {
			return err
		}
		*dst = v
		return nil
	}
}

// listField decodes a JSON array of strings by the elements'
// UnmarshalText; null keeps the default.
func listField[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](dst *[]T) fieldFunc {
	return func(raw []byte) error {
		if isNull(raw) {
			return nil
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '[' {
			return sp.Invalid("", "want an array of strings, got %s", jsonKind(raw))
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return sp.Invalid("", "%v", err)
		}
		out := make([]T, len(items))
		for i, item := range items {
			if err := textField[T, P](&out[i])(item); err != nil {
				return sp.InField(fmt.Sprintf("[%d]", i), err)
			}
		}
		*dst = out
		return nil
	}
}

// shortfalls are the statuses of a goal that falls short, which
// [TargetMissed] may examine.
var shortfalls = []quota.Status{quota.StatusMissed, quota.StatusAtRisk, quota.StatusBehind}

// checkShortfall reports an error unless s is a shortfall status.
func checkShortfall(s quota.Status) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return sp.CheckEnum("shortfall status", s, shortfalls...)
}

func shortJSON(raw []byte) string {
	if len(raw) > 0 && raw[0] != '"' && raw[0] != '{' && raw[0] != '[' {
		return shorten(string(raw))
	}
	return jsonKind(raw)
}

// shorten clips s for an error message.
func shorten(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// MarshalJSON encodes r in the form [ParseRules] reads, its decimals as
// strings whatever decimal.MarshalJSONWithoutQuotes says, its lists as []
// when empty (the zero Rules' too). It does not validate r as
// [Rules.Validate] does, but a value of an enumeration that
// would not read back (a rate kind or an adjustment of no known name) is
// an error wrapping [sp.ErrInvalid], as its MarshalText makes it.
func (r Rules) MarshalJSON() ([]byte, error) {
	type plain Rules // without the methods, so that the encoder uses the fields
	// r is a copy; the rules it points at are the caller's, copied to be
	// changed.
	r.Analysis.Product.LossCategories = list(r.Analysis.Product.LossCategories)
	if c := r.Rules.TargetMissed; c != nil && c.Statuses == nil {
		c := *c
		c.Statuses, r.Rules.TargetMissed = list(c.Statuses), &c
	}
	if c := r.Rules.FeedbackPileup; c != nil && c.Sources == nil {
		c := *c
		c.Sources, r.Rules.FeedbackPileup = list(c.Sources), &c
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(plain(r)); err != nil {
		return nil, fmt.Errorf("review: rules: %w", jsonError(err))
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// clone returns a deep copy of r, so that a Reviewer's rules are its own.
func (r Rules) clone() Rules {
	c := r
	c.Analysis.Product.LossCategories = slices.Clone(r.Analysis.Product.LossCategories)
	c.Rules = RuleSet{
		TargetMet: clonePtr(r.Rules.TargetMet), TargetMissed: clonePtr(r.Rules.TargetMissed),
		ConversionBelowPeers: clonePtr(r.Rules.ConversionBelowPeers), RepProductLag: clonePtr(r.Rules.RepProductLag),
		SlowFollowUp: clonePtr(r.Rules.SlowFollowUp), ProductLosses: clonePtr(r.Rules.ProductLosses),
		ThinPipeline: clonePtr(r.Rules.ThinPipeline), Certification: clonePtr(r.Rules.Certification),
		FeedbackPileup: clonePtr(r.Rules.FeedbackPileup),
	}
	if c.Rules.TargetMissed != nil {
		c.Rules.TargetMissed.Statuses = slices.Clone(c.Rules.TargetMissed.Statuses)
	}
	if c.Rules.FeedbackPileup != nil {
		c.Rules.FeedbackPileup.Sources = slices.Clone(c.Rules.FeedbackPileup.Sources)
	}
	if r.Custom != nil {
		c.Custom = make(map[string]json.RawMessage, len(r.Custom))
		for k, v := range r.Custom {
			c.Custom[k] = slices.Clone(v)
		}
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Validate reports whether r is a valid rules document: the version this
// package reads and every setting within its range. The error wraps
// [sp.ErrInvalid], is prefixed "review: rules: " and its
// [*sp.ValidationError] names the field by its JSON path.
func (r Rules) Validate() error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("review: rules: %w", err)
	}
	return nil
}

func (r Rules) validate() error {
	if r.Version != RulesVersion {
		return sp.Invalid("version", "%d is not supported; want %d", r.Version, RulesVersion)
	}
	if err := r.Analysis.validate(); err != nil {
		return sp.InField("analysis", err)
	}
	a := r.Actions
	if err := intRange("actions.retrain_due_days", a.RetrainDueDays, 1, 366); err != nil {
		return err
	}
	if err := intRange("actions.max_items", a.MaxItems, 0, 1000); err != nil {
		return err
	}
	if err := r.Rules.validate(); err != nil {
		return sp.InField("rules", err)
	}
	for _, name := range slices.Sorted(maps.Keys(r.Custom)) {
		raw := r.Custom[name]
		if err := validRuleName(name); err != nil {
			return sp.InField("custom", err)
		}
		if slices.Contains(builtinNames, name) {
			return sp.Invalid("custom."+name, "is a built-in rule; set it under \"rules\"")
		}
		if err := expectObject(raw); err != nil || !json.Valid(raw) {
			return sp.Invalid("custom."+name, "want a JSON object")
		}
		if err := keysOnce(raw); err != nil {
			return sp.InField("custom."+name, err)
		}
		// The bound sp.DecodeJSON sets on every document (sp.MaxDigitRun),
		// so that a report that holds these rules reads back.
		if err := sp.DecodeJSON("custom."+name, raw, new(json.RawMessage)); err != nil {
			return err
		}
		if e, ok := enabledSetting(raw); ok {
			switch e := bytes.TrimSpace(e); string(e) {
			case "true", "false", "null":
			default:
				return sp.Invalid("custom."+name+".enabled", "want true or false, got %s", shortJSON(e))
			}
		}
	}
	return nil
}

func (a Analysis) validate() error {
	if err := share("confidence", a.Confidence, false); err != nil {
		return err
	}
	if err := sp.InField("adjustment", a.Adjustment.Validate()); err != nil {
		return err
	}
	if err := sp.InField("rate", a.Rate.Validate()); err != nil {
		return err
	}
	if err := intRange("min_deals", a.MinDeals, 1, 1e9); err != nil {
		return err
	}
	if err := intRange("min_inquiries", a.MinInquiries, 1, 1e9); err != nil {
		return err
	}
	if err := intRange("places", a.Places, 1, 18); err != nil {
		return err
	}
	p := a.Product
	if err := enumList("product.loss_categories", p.LossCategories); err != nil {
		return err
	}
	if err := intRange("product.min_losses", p.MinLosses, 1, 1e9); err != nil {
		return err
	}
	if err := share("product.min_loss_share", p.MinLossShare, true); err != nil {
		return err
	}
	if err := intRange("product.min_reps", p.MinReps, 1, 1e9); err != nil {
		return err
	}
	if err := share("product.min_rep_share", p.MinRepShare, true); err != nil {
		return err
	}
	if err := share("product.min_share_of_sales", p.MinShareOfSales, true); err != nil {
		return err
	}
	if err := intRange("market.min_reps", a.Market.MinReps, 1, 1e9); err != nil {
		return err
	}
	if err := share("market.min_rep_share", a.Market.MinRepShare, true); err != nil {
		return err
	}
	f := a.FollowUp
	for _, d := range []struct {
		name string
		v    Duration
	}{
		{"follow_up.first_contact", f.FirstContact},
		{"follow_up.next_touch", f.NextTouch},
		{"follow_up.max_median_first_response", f.MaxMedianFirstResponse},
	} {
		if d.v < 0 {
			return sp.Invalid(d.name, "%s is negative", d.v)
		}
	}
	return share("follow_up.max_overdue_share", f.MaxOverdueShare, true)
}

func (rs RuleSet) validate() error {
	if c := rs.TargetMet; c != nil {
		if err := checkScale(RuleTargetMet+".min_percent", c.MinPercent); err != nil {
			return err
		}
		if c.MinPercent.Sign() <= 0 || c.MinPercent.GreaterThan(decimal.New(1, 6)) {
			return sp.Invalid(RuleTargetMet+".min_percent", "%s outside (0, 1000000]", c.MinPercent)
		}
	}
	if c := rs.TargetMissed; c != nil {
		if err := enumList(RuleTargetMissed+".statuses", c.Statuses); err != nil {
			return err
		}
		for i, s := range c.Statuses {
			if err := checkShortfall(s); err != nil {
				return sp.InField(fmt.Sprintf("%s.statuses[%d]", RuleTargetMissed, i), err)
			}
		}
		if err := checkScale(RuleTargetMissed+".critical_below_percent", c.CriticalBelowPercent); err != nil {
			return err
		}
		if c.CriticalBelowPercent.Sign() < 0 || c.CriticalBelowPercent.GreaterThan(decimal.New(100, 0)) {
			return sp.Invalid(RuleTargetMissed+".critical_below_percent", "%s outside 0 to 100", c.CriticalBelowPercent)
		}
	}
	if c := rs.ConversionBelowPeers; c != nil {
		if err := sp.InField(RuleConversionBelowPeers+".rate", c.Rate.Validate()); err != nil {
			return err
		}
	}
	if c := rs.RepProductLag; c != nil {
		if err := sp.InField(RuleRepProductLag+".rate", c.Rate.Validate()); err != nil {
			return err
		}
	}
	if c := rs.SlowFollowUp; c != nil {
		if err := share(RuleSlowFollowUp+".critical_overdue_share", c.CriticalOverdueShare, true); err != nil {
			return err
		}
	}
	if c := rs.ProductLosses; c != nil {
		if err := share(RuleProductLosses+".critical_loss_share", c.CriticalLossShare, true); err != nil {
			return err
		}
	}
	if c := rs.ThinPipeline; c != nil {
		if err := checkScale(RuleThinPipeline+".min_coverage", c.MinCoverage); err != nil {
			return err
		}
		if c.MinCoverage.Sign() < 0 || c.MinCoverage.GreaterThan(decimal.New(1, 6)) {
			return sp.Invalid(RuleThinPipeline+".min_coverage", "%s outside 0 to 1000000", c.MinCoverage)
		}
		if err := share(RuleThinPipeline+".min_chance", c.MinChance, true); err != nil {
			return err
		}
		if err := share(RuleThinPipeline+".adjust_below_chance", c.AdjustBelowChance, true); err != nil {
			return err
		}
	}
	if c := rs.Certification; c != nil {
		if err := intRange(RuleCertification+".expiring_within_days", c.ExpiringWithinDays, 0, 3660); err != nil {
			return err
		}
	}
	if c := rs.FeedbackPileup; c != nil {
		if err := enumList(RuleFeedbackPileup+".sources", c.Sources); err != nil {
			return err
		}
		if err := intRange(RuleFeedbackPileup+".min_count", c.MinCount, 1, 1e9); err != nil {
			return err
		}
		if err := intRange(RuleFeedbackPileup+".max_rating", c.MaxRating, sp.MinRating, sp.MaxRating); err != nil {
			return err
		}
		if err := share(RuleFeedbackPileup+".min_low_share", c.MinLowShare, true); err != nil {
			return err
		}
	}
	return nil
}

// checkScale reports an error naming field unless v is within the digit
// bounds of [sp.ValidateDecimal]. It comes before anything compares or
// formats v: a document built in Go may hold any decimal.
func checkScale(field string, v decimal.Decimal) error {
	return sp.InField(field, sp.ValidateDecimal(v))
}

// share checks that v lies in [0, 1], or in (0, 1) unless closed.
func share(field string, v decimal.Decimal, closed bool) error {
	if err := checkScale(field, v); err != nil {
		return err
	}
	switch {
	case closed && (v.Sign() < 0 || v.GreaterThan(decimal.New(1, 0))):
		return sp.Invalid(field, "%s outside 0 to 1", v)
	case !closed && (v.Sign() <= 0 || !v.LessThan(decimal.New(1, 0))):
		return sp.Invalid(field, "%s is not strictly between 0 and 1", v)
	}
	return nil
}

func intRange[T int | int32 | int64](field string, v, lo, hi T) error {
	if v < lo || v > hi {
		return sp.Invalid(field, "%d outside %d to %d", v, lo, hi)
	}
	return nil
}

// enumList checks a non-empty list of distinct valid values.
func enumList[T interface {
	~string
	Validate() error
}](field string, vs []T) error {
	if len(vs) == 0 {
		return sp.Invalid(field, "empty")
	}
	for i, v := range vs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := v.Validate(); err != nil {
			return sp.InField(f, err)
		}
		if slices.Index(vs, v) < i {
			return sp.Invalid(f, "%s given twice", v)
		}
	}
	return nil
}

// validRuleName checks the name of a rule: 1 to 64 bytes of lower-case
// ASCII letters, digits and underscores, starting with a letter.
func validRuleName(name string) error {
	if name == "" || len(name) > 64 || name[0] < 'a' || name[0] > 'z' {
		return sp.Invalid(fieldKey(name), "rule names are 1 to 64 lower-case letters, digits and underscores, starting with a letter")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return sp.Invalid(fieldKey(name), "rule names are 1 to 64 lower-case letters, digits and underscores, starting with a letter")
		}
	}
	return nil
}

// keysOnce reports an error naming the first key given twice in an object
// of the valid JSON raw, at any depth: the settings of a host's rule are
// read by encoding/json, which would keep the last of them silently.
func keysOnce(raw []byte) error {
	return valueKeysOnce(json.NewDecoder(bytes.NewReader(raw)))
}

func valueKeysOnce(d *json.Decoder) error {
	tok, err := d.Token()
	if err != nil {
		return sp.Invalid("", "%v", err)
	}
	switch tok {
	case json.Delim('{'):
		seen := make(map[string]bool)
		for d.More() {
			tok, err := d.Token()
			if err != nil {
				return sp.Invalid("", "%v", err)
			}
			key, _ := tok.(string) // object keys are strings
			if seen[key] {
				return sp.Invalid(fieldKey(key), "given twice")
			}
			seen[key] = true
			if err := valueKeysOnce(d); err != nil {
				return inField(fieldKey(key), err)
			}
		}
	case json.Delim('['):
		for i := 0; d.More(); i++ {
			if err := valueKeysOnce(d); err != nil {
				return inField(fmt.Sprintf("[%d]", i), err)
			}
		}
	default:
		return nil
	}
	if _, err := d.Token(); err != nil { // the closing brace or bracket
		return sp.Invalid("", "%v", err)
	}
	return nil
}

// enabled reports whether the custom settings raw leave a rule on: they
// do unless they hold "enabled": false.
func enabled(raw json.RawMessage) bool {
	e, ok := enabledSetting(raw)
	return !ok || string(bytes.TrimSpace(e)) != "false"
}

// enabledSetting returns the value of the key "enabled" of the custom
// settings raw, spelt exactly so (encoding/json would match a struct
// field's name in any case), and whether raw holds one.
func enabledSetting(raw json.RawMessage) (json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	e, ok := m["enabled"]
	return e, ok
}
