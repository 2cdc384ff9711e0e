package training

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess"
)

// MaxQuantity bounds the quantity of a [Pilot] and the units of a [Sale].
const MaxQuantity = 1_000_000_000_000

// Pilot is a field test: before launch a product is sold in limited
// quantity in selected localities for a period, its sales and the
// feedback of those localities are recorded, issues found are fixed in new
// versions of the product (and its brief), and the [Criteria] decide
// whether it may launch (see [Decide]). Its Period is one span of
// instants for all its localities, in the zone it is given in: a pilot of
// November in Europe/Berlin takes the sales made in a locality of
// Pacific/Auckland from 12:00 on November 1 there up to 12:00 on December
// 1, and has ended for all of them at midnight in Berlin. Its Localities
// are names that a sale or a piece of field-test feedback must give byte
// for byte (see [Pilot.HasLocality]): "osaka" is not "Osaka".
//
// Version is the version of the product now on test; each [Improvement]
// raises it. Rev counts the writes of the pilot for optimistic
// concurrency, as a deal's Version does in package pipeline (see
// [PilotStore]): [Trainer.StartPilot] stores a new pilot at Rev 1, whatever
// Rev the pilot given holds, and each update of the Trainer raises it by
// one. It is never negative. Pilot is a plain value; its slices are shared
// by copies, so use [Pilot.Clone] before changing one that others may
// hold. The zero Pilot is invalid: its Validate refuses it.
type Pilot struct {
	ID           PilotID                `json:"id"`
	Product      salesprocess.ProductID `json:"product"`
	Version      Version                `json:"version"`
	Localities   []string               `json:"localities"`
	Quantity     int64                  `json:"quantity"` // units the pilot may sell, in all localities together
	Period       salesprocess.Period    `json:"period"`
	Criteria     Criteria               `json:"criteria"`
	Issues       []Issue                `json:"issues,omitempty"`
	Improvements []Improvement          `json:"improvements,omitempty"`
	Rev          int64                  `json:"rev"`
}

// Clone returns a deep copy of p.
func (p Pilot) Clone() Pilot {
	p.Localities = slices.Clone(p.Localities)
	p.Issues = slices.Clone(p.Issues)
	if p.Improvements != nil {
		imps := make([]Improvement, len(p.Improvements))
		for i, im := range p.Improvements {
			im.Resolves = slices.Clone(im.Resolves)
			imps[i] = im
		}
		p.Improvements = imps
	}
	return p
}

// periodError returns why p has no text form that parses back, as the
// reason of field, or nil if it has one. It writes no text unless p has
// none.
func periodError(field string, p salesprocess.Period) error {
	err := p.Validate()
	if err == nil {
		return nil
	}
	var ve *salesprocess.ValidationError
	if errors.As(err, &ve) {
		return salesprocess.Invalid(field, "%s", ve.Reason)
	}
	return salesprocess.Invalid(field, "%v", err)
}

// HasLocality reports whether the pilot runs in locality l, compared
// byte for byte, as [Decide] and [Trainer.RecordSale] compare the
// localities of sales and feedback: without folding case or space.
func (p Pilot) HasLocality(l string) bool { return slices.Contains(p.Localities, l) }

// Validate reports whether p is complete: valid ID, product and version, at
// least one locality, each a line of at most 256 bytes (as feedback's
// locality is), and no locality twice, a quantity from 1 to
// [MaxQuantity], a period, valid criteria that want no more units sold
// than p may sell and sales in no more localities than p has, valid issues
// with distinct IDs and valid
// improvements that name known issues. The error wraps
// [salesprocess.ErrInvalid].
func (p Pilot) Validate() error {
	if err := requireID("pilot.id", p.ID); err != nil {
		return err
	}
	if err := requireID("pilot.product", p.Product); err != nil {
		return err
	}
	if err := p.Version.Validate(); err != nil {
		return salesprocess.InField("pilot.version", err)
	}
	if len(p.Localities) == 0 {
		return salesprocess.Invalid("pilot.localities", "empty")
	}
	localities := make(map[string]bool, len(p.Localities))
	for i, l := range p.Localities {
		f := fmt.Sprintf("pilot.localities[%d]", i)
		if err := validateLocality(f, l, true); err != nil {
			return err
		}
		if localities[l] {
			return salesprocess.Invalid(f, "locality %s listed twice", salesprocess.Quote(l))
		}
		localities[l] = true
	}
	switch {
	case p.Quantity < 1 || p.Quantity > MaxQuantity:
		return salesprocess.Invalid("pilot.quantity", "%d outside 1 to %d", p.Quantity, int64(MaxQuantity))
	case p.Period.IsZero():
		return salesprocess.Invalid("pilot.period", "missing")
	}
	if err := periodError("pilot.period", p.Period); err != nil {
		return err
	}
	if p.Rev < 0 {
		return salesprocess.Invalid("pilot.rev", "%d is negative", p.Rev)
	}
	if err := p.Criteria.Validate(); err != nil {
		return salesprocess.InField("pilot.criteria", err)
	}
	if n := p.Criteria.MinLocalitiesWithSales; n > len(p.Localities) {
		return salesprocess.Invalid("pilot.criteria.min_localities_with_sales", "%d is more than the pilot's %d %s", n, len(p.Localities), pick(len(p.Localities) == 1, "locality", "localities"))
	}
	if n := p.Criteria.MinUnitsSold; n > p.Quantity {
		return salesprocess.Invalid("pilot.criteria.min_units_sold", "%d is more than the pilot's %s", n, count(p.Quantity, "unit"))
	}
	issues := make(map[IssueID]bool, len(p.Issues))
	for i, is := range p.Issues {
		f := fmt.Sprintf("pilot.issues[%d]", i)
		if err := is.Validate(); err != nil {
			return salesprocess.InElement("pilot.issues", i, "issue", err)
		}
		if issues[is.ID] {
			return salesprocess.Invalid(f+".id", "issue %s listed twice", salesprocess.Quote(string(is.ID)))
		}
		issues[is.ID] = true
	}
	for i, im := range p.Improvements {
		f := fmt.Sprintf("pilot.improvements[%d]", i)
		if err := im.Validate(); err != nil {
			return salesprocess.InElement("pilot.improvements", i, "improvement", err)
		}
		for j, id := range im.Resolves {
			if !issues[id] {
				return salesprocess.Invalid(fmt.Sprintf("%s.resolves[%d]", f, j), "unknown issue %s", salesprocess.Quote(string(id)))
			}
		}
	}
	return nil
}

// Sale is a sale made in a field test: units of the piloted product sold
// in one of the pilot's localities. Amount (what the customer paid) and
// Customer are optional. The zero Sale is invalid: its Validate refuses it.
type Sale struct {
	ID       SaleID                  `json:"id"`
	Pilot    PilotID                 `json:"pilot"`
	Locality string                  `json:"locality"`
	Units    int64                   `json:"units"`
	Amount   salesprocess.Money      `json:"amount"`
	Customer salesprocess.CustomerID `json:"customer,omitempty"`
	Time     time.Time               `json:"time"`
}

// Validate reports whether s has valid IDs, a locality (a line of at most
// 256 bytes), 1 to [MaxQuantity] units, a valid non-negative amount if any
// and a time. The error wraps [salesprocess.ErrInvalid].
func (s Sale) Validate() error {
	if err := requireID("sale.id", s.ID); err != nil {
		return err
	}
	if err := requireID("sale.pilot", s.Pilot); err != nil {
		return err
	}
	if err := validateLocality("sale.locality", s.Locality, true); err != nil {
		return err
	}
	if s.Units < 1 || s.Units > MaxQuantity {
		return salesprocess.Invalid("sale.units", "%d outside 1 to %d", s.Units, int64(MaxQuantity))
	}
	if !s.Amount.IsUnset() {
		if err := s.Amount.Validate(); err != nil {
			return salesprocess.InField("sale.amount", err)
		}
		if s.Amount.Sign() < 0 {
			return salesprocess.Invalid("sale.amount", "negative")
		}
	}
	if err := optionalID("sale.customer", s.Customer); err != nil {
		return err
	}
	if err := validateTime("sale.time", s.Time, true); err != nil {
		return err
	}
	return nil
}

// Issue is a problem a field test found: a defect, a gap, a complaint that
// recurs. It is open from Opened until Resolved (zero while open); FixedIn
// is the product version that fixed it. The zero Issue is invalid: its
// Validate refuses it.
type Issue struct {
	ID       IssueID   `json:"id"`
	Title    string    `json:"title"`
	Severity Severity  `json:"severity"`
	Locality string    `json:"locality,omitempty"` // where it was found, if in one place
	Opened   time.Time `json:"opened"`
	Resolved time.Time `json:"resolved"`
	FixedIn  Version   `json:"fixed_in"`
}

// OpenAt reports whether the issue is open at time t: opened at or before
// t and not resolved by then.
func (i Issue) OpenAt(t time.Time) bool {
	return !i.Opened.After(t) && (i.Resolved.IsZero() || i.Resolved.After(t))
}

// Validate reports whether i has a valid ID, a title, a known severity, a
// locality that is a line of at most 256 bytes if any, an opening time and
// a resolution time not before it if any. The error wraps
// [salesprocess.ErrInvalid].
func (i Issue) Validate() error {
	if err := requireID("issue.id", i.ID); err != nil {
		return err
	}
	if err := validateText("issue.title", i.Title, MaxTextLength, true); err != nil {
		return err
	}
	if err := i.Severity.Validate(); err != nil {
		return salesprocess.InField("issue.severity", err)
	}
	if err := validateLocality("issue.locality", i.Locality, false); err != nil {
		return err
	}
	if err := validateTime("issue.opened", i.Opened, true); err != nil {
		return err
	}
	if err := validateTime("issue.resolved", i.Resolved, false); err != nil {
		return err
	}
	if !i.Resolved.IsZero() && i.Resolved.Before(i.Opened) {
		return salesprocess.Invalid("issue.resolved", "before the opening time")
	}
	if !i.FixedIn.IsZero() {
		if err := i.FixedIn.Validate(); err != nil {
			return salesprocess.InField("issue.fixed_in", err)
		}
	}
	return nil
}

// Improvement records a change made to the product during a field test:
// the new version (of the product and its brief), what changed, and the
// issues it resolves. The zero Improvement is invalid: its Validate refuses
// it.
type Improvement struct {
	Version  Version   `json:"version"`
	Summary  string    `json:"summary"`
	Resolves []IssueID `json:"resolves,omitempty"`
	Time     time.Time `json:"time"`
}

// Validate reports whether im has a valid version, a summary, valid issue
// IDs, each listed once, and a time. The error wraps
// [salesprocess.ErrInvalid].
func (im Improvement) Validate() error {
	if err := im.Version.Validate(); err != nil {
		return salesprocess.InField("improvement.version", err)
	}
	if err := validateText("improvement.summary", im.Summary, MaxTextLength, true); err != nil {
		return err
	}
	seen := make(map[IssueID]bool, len(im.Resolves))
	for i, id := range im.Resolves {
		f := fmt.Sprintf("improvement.resolves[%d]", i)
		if err := requireID(f, id); err != nil {
			return err
		}
		if seen[id] {
			return salesprocess.Invalid(f, "issue %s listed twice", salesprocess.Quote(string(id)))
		}
		seen[id] = true
	}
	if err := validateTime("improvement.time", im.Time, true); err != nil {
		return err
	}
	return nil
}

// Criteria say when a field-tested product is ready to launch. They are
// data, so that a product manager can tune them without code. Each zero
// field checks nothing, except BlockingSeverity, whose zero value means
// [SeverityCritical]: an open issue of at least that severity always
// blocks the launch.
//
// Criteria are part of a [Pilot], a record, and decode as records do: a
// member they do not know is ignored, so that a pilot written by a later
// version reads, and a misspelt criterion ("min_sell_thru") is dropped and
// checks nothing. A host that reads criteria a person wrote (a product
// manager's file) decodes them with [salesprocess.DecodeJSONStrict], which
// refuses such a member, naming it (see ExampleCriteria_configuration).
type Criteria struct {
	// RequireEnded makes the decision wait for the end of the pilot's
	// period.
	RequireEnded bool `json:"require_ended,omitempty"`
	// MinUnitsSold is the least number of units sold, in all localities.
	MinUnitsSold int64 `json:"min_units_sold,omitempty"`
	// MinSellThrough is the least share of the pilot's quantity sold, from
	// 0 to 1 (0.6 is 60 %).
	MinSellThrough decimal.Decimal `json:"min_sell_through"`
	// MinLocalitiesWithSales is the least number of localities with at
	// least one sale; at most the pilot's number of localities (see
	// [Pilot.Validate]).
	MinLocalitiesWithSales int `json:"min_localities_with_sales,omitempty"`
	// MinFeedback is the least number of pieces of field-test feedback.
	MinFeedback int `json:"min_feedback,omitempty"`
	// MinAverageRating is the least average rating of the field-test
	// feedback, from [salesprocess.MinRating] to [salesprocess.MaxRating]
	// (0 checks nothing).
	MinAverageRating decimal.Decimal `json:"min_average_rating"`
	// MinLocalityRating is the least average rating in every locality of
	// the pilot; a locality without feedback fails it (0 checks nothing).
	MinLocalityRating decimal.Decimal `json:"min_locality_rating"`
	// BlockingSeverity is the least severity of an open issue that blocks
	// the launch; empty means [SeverityCritical].
	BlockingSeverity Severity `json:"blocking_severity,omitempty"`
}

// Validate reports whether c is consistent: counts not negative, the
// sell-through from 0 to 1, ratings 0 or within the rating scale, a known
// blocking severity if any. The error wraps [salesprocess.ErrInvalid].
func (c Criteria) Validate() error {
	one := decimal.NewFromInt(1)
	minR, maxR := decimal.NewFromInt(salesprocess.MinRating), decimal.NewFromInt(salesprocess.MaxRating)
	rating := func(d decimal.Decimal) bool {
		return d.IsZero() || (d.Cmp(minR) >= 0 && d.Cmp(maxR) <= 0)
	}
	for _, f := range []struct {
		name string
		d    decimal.Decimal
	}{
		{"min_sell_through", c.MinSellThrough},
		{"min_average_rating", c.MinAverageRating},
		{"min_locality_rating", c.MinLocalityRating},
	} {
		if err := salesprocess.ValidateDecimal(f.d); err != nil {
			return salesprocess.InField(f.name, err)
		}
	}
	switch {
	case c.MinUnitsSold < 0:
		return salesprocess.Invalid("min_units_sold", "%d is negative", c.MinUnitsSold)
	case c.MinSellThrough.Sign() < 0 || c.MinSellThrough.Cmp(one) > 0:
		return salesprocess.Invalid("min_sell_through", "%s outside 0 to 1", c.MinSellThrough)
	case c.MinLocalitiesWithSales < 0:
		return salesprocess.Invalid("min_localities_with_sales", "%d is negative", c.MinLocalitiesWithSales)
	case c.MinFeedback < 0:
		return salesprocess.Invalid("min_feedback", "%d is negative", c.MinFeedback)
	case !rating(c.MinAverageRating):
		return salesprocess.Invalid("min_average_rating", "%s outside %d to %d", c.MinAverageRating, salesprocess.MinRating, salesprocess.MaxRating)
	case !rating(c.MinLocalityRating):
		return salesprocess.Invalid("min_locality_rating", "%s outside %d to %d", c.MinLocalityRating, salesprocess.MinRating, salesprocess.MaxRating)
	}
	if c.BlockingSeverity != "" {
		return salesprocess.InField("blocking_severity", c.BlockingSeverity.Validate())
	}
	return nil
}

// Criterion names a launch criterion in a [Decision]. Its text form is its
// name, the JSON name of the field of [Criteria] it checks. The zero
// Criterion is unset: it encodes as empty text and back, and Validate
// refuses it.
type Criterion string

// The criteria, in the order a [Decision] lists them.
const (
	CriterionEnded            Criterion = "require_ended"
	CriterionUnitsSold        Criterion = "min_units_sold"
	CriterionSellThrough      Criterion = "min_sell_through"
	CriterionLocalitiesSales  Criterion = "min_localities_with_sales"
	CriterionFeedback         Criterion = "min_feedback"
	CriterionAverageRating    Criterion = "min_average_rating"
	CriterionLocalityRating   Criterion = "min_locality_rating"
	CriterionNoBlockingIssues Criterion = "no_blocking_issues"
)

var criteria = []Criterion{
	CriterionEnded, CriterionUnitsSold, CriterionSellThrough, CriterionLocalitiesSales,
	CriterionFeedback, CriterionAverageRating, CriterionLocalityRating, CriterionNoBlockingIssues,
}

// Validate reports whether c is a known criterion.
func (c Criterion) Validate() error { return salesprocess.CheckEnum("criterion", c, criteria...) }

// String returns c as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (c Criterion) String() string { return string(c) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown criterion is an error wrapping
// [salesprocess.ErrInvalid], as UnmarshalText would refuse it.
func (c Criterion) MarshalText() ([]byte, error) {
	return salesprocess.MarshalEnum("criterion", c, criteria...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [salesprocess.ErrInvalid] and leaves c unchanged; empty
// text gives the zero Criterion.
func (c *Criterion) UnmarshalText(text []byte) error {
	return salesprocess.UnmarshalEnum("criterion", c, text, criteria...)
}

// DecisionReason is one criterion checked by a launch decision: whether it
// was met, what it wanted and what the pilot got (as text: "100",
// "0.6", "4.2", "ISSUE-1, ISSUE-2"), and a sentence for people.
//
// Want is the criterion's value in decimal. Got is the pilot's figure: a
// count in decimal; a sell-through to 4 decimal places and an average
// rating to 2, rounded half up unless that would put the figure on the
// other side of Want, when it is rounded towards its own side (110/120 is
// "0.9167" against 0.9, "0.9166" against 0.9167, which it does not reach),
// so Got may equal Want only when the criterion is met; "none" for an
// average rating without feedback, the pilot's or a locality's. For
// [CriterionEnded], Want is the end of the pilot's period and Got the
// decision's time, both in RFC 3339 in their own locations (in UTC where
// the offset has seconds, which RFC 3339 cannot write), with as many
// decimals of a second as they have. For [CriterionNoBlockingIssues], Want
// is "none" and Got the blocking open issues, joined by ", ", or "none".
// The exact figures are in [Figures]. The zero DecisionReason is of no
// criterion, not met.
type DecisionReason struct {
	Criterion Criterion `json:"criterion"`
	Locality  string    `json:"locality,omitempty"` // for a per-locality criterion
	Met       bool      `json:"met"`
	Want      string    `json:"want"`
	Got       string    `json:"got"`
	Detail    string    `json:"detail"`
}

// LocalityFigures are the figures of a pilot in one locality. The zero
// LocalityFigures name no locality and count nothing.
type LocalityFigures struct {
	Locality  string                `json:"locality"`
	UnitsSold int64                 `json:"units_sold"`
	Feedback  int64                 `json:"feedback"`
	Rating    salesprocess.Fraction `json:"rating"` // sum of ratings / number of ratings; 0/0 without feedback
}

// Figures are the measured results of a pilot on which a [Decision] rests,
// exact: rates are fractions of whole numbers. The zero Figures count
// nothing: SellThrough and Rating are 0/0.
type Figures struct {
	UnitsSold   int64                 `json:"units_sold"`
	SellThrough salesprocess.Fraction `json:"sell_through"` // units sold / quantity
	Feedback    int64                 `json:"feedback"`
	Rating      salesprocess.Fraction `json:"rating"` // sum of ratings / number of ratings; 0/0 without feedback
	Localities  []LocalityFigures     `json:"localities"`
	OpenIssues  []IssueID             `json:"open_issues,omitempty"` // open issues that block the launch
}

// Decision is the verdict on a pilot at a time: launch or not, with every
// criterion checked (met or not) in the order of the [Criterion] constants,
// and the figures behind them. A criterion whose field of [Criteria] is
// zero checks nothing and has no reason; the blocking issues are always
// checked. [CriterionLocalityRating] has one reason per locality, in the
// order of [Pilot.Localities]. The zero Decision does not launch, with no
// reason: Unmet is empty.
type Decision struct {
	Pilot   PilotID                `json:"pilot"`
	Product salesprocess.ProductID `json:"product"`
	Version Version                `json:"version"`
	At      time.Time              `json:"at"`
	Launch  bool                   `json:"launch"`
	Reasons []DecisionReason       `json:"reasons"`
	Figures Figures                `json:"figures"`
}

// Unmet returns the reasons not met, in order.
func (d Decision) Unmet() []DecisionReason {
	var out []DecisionReason
	for _, r := range d.Reasons {
		if !r.Met {
			out = append(out, r)
		}
	}
	return out
}

// Decide decides whether the product of pilot p may launch, judged at time
// at by p's criteria. It counts the sales of p (Pilot equal to p.ID) in
// p's localities made within p's period and not after at, and the
// field-test feedback ([salesprocess.FromFieldTest]) about p's product
// from p's localities given from the start of p's period up to and
// including at, after the period's end too; other sales and feedback are
// ignored. Issues count as open as of at.
//
// Rates are compared exactly. An invalid pilot, or an at that is zero (the
// year 1, a time left unset) or that [salesprocess.ValidateTime] refuses,
// is an error wrapping [salesprocess.ErrInvalid]; Decide does not validate
// the sales and feedback beyond ignoring units outside 1 to [MaxQuantity]
// and ratings outside the rating scale.
func Decide(p Pilot, sales []Sale, feedback []salesprocess.Feedback, at time.Time) (Decision, error) {
	if err := p.Validate(); err != nil {
		return Decision{}, fmt.Errorf("training: decide: %w", err)
	}
	if err := validateTime("at", at, true); err != nil {
		return Decision{}, fmt.Errorf("training: decide: %w", err)
	}
	d := Decision{Pilot: p.ID, Product: p.Product, Version: p.Version, At: at, Figures: tally(p, sales, feedback, at)}
	d.Reasons = judge(p, &d.Figures, at)
	d.Launch = true
	for _, r := range d.Reasons {
		d.Launch = d.Launch && r.Met
	}
	return d, nil
}

// tally counts, for [Decide], the sales and feedback of pilot p as of at,
// and the issues open then that block a launch.
func tally(p Pilot, sales []Sale, feedback []salesprocess.Feedback, at time.Time) Figures {
	var figures Figures
	fig := &figures
	locs := make(map[string]*LocalityFigures, len(p.Localities))
	fig.Localities = make([]LocalityFigures, len(p.Localities))
	for i, l := range p.Localities {
		fig.Localities[i].Locality = l
		locs[l] = &fig.Localities[i]
	}
	for _, s := range sales {
		lf := locs[s.Locality]
		if s.Pilot != p.ID || lf == nil || !p.Period.Contains(s.Time) || s.Time.After(at) || s.Units < 1 || s.Units > MaxQuantity {
			continue
		}
		lf.UnitsSold = satAdd(lf.UnitsSold, s.Units)
		fig.UnitsSold = satAdd(fig.UnitsSold, s.Units)
	}
	for _, f := range feedback {
		lf := locs[f.Locality]
		if f.Product != p.Product || f.Source != salesprocess.FromFieldTest || lf == nil ||
			f.Time.Before(p.Period.Start()) || f.Time.After(at) ||
			f.Rating < salesprocess.MinRating || f.Rating > salesprocess.MaxRating {
			continue
		}
		lf.Feedback++
		lf.Rating.Num += int64(f.Rating)
		lf.Rating.Den++
		fig.Feedback++
		fig.Rating.Num += int64(f.Rating)
		fig.Rating.Den++
	}
	fig.SellThrough = salesprocess.Fraction{Num: fig.UnitsSold, Den: p.Quantity}
	blocking := p.Criteria.blocking()
	for _, is := range p.Issues {
		if is.OpenAt(at) && is.Severity.AtLeast(blocking) {
			fig.OpenIssues = append(fig.OpenIssues, is.ID)
		}
	}
	return figures
}

// judge gives, for [Decide], the reason of each criterion of pilot p that
// its figures fig as of at meet or miss, in the order of [Criteria]'s
// fields, the blocking issues last.
func judge(p Pilot, fig *Figures, at time.Time) []DecisionReason {
	var reasons []DecisionReason
	blocking := p.Criteria.blocking()
	c := p.Criteria
	add := func(r DecisionReason) { reasons = append(reasons, r) }
	if c.RequireEnded {
		end := p.Period.End()
		met := !at.Before(end)
		add(DecisionReason{Criterion: CriterionEnded, Met: met, Want: salesprocess.FormatTime(end), Got: salesprocess.FormatTime(at),
			Detail: pick(met, "the pilot period has ended", "the pilot period ends at "+salesprocess.FormatTime(end))})
	}
	if c.MinUnitsSold > 0 {
		met := fig.UnitsSold >= c.MinUnitsSold
		add(DecisionReason{Criterion: CriterionUnitsSold, Met: met, Want: itoa(c.MinUnitsSold), Got: itoa(fig.UnitsSold),
			Detail: fmt.Sprintf("%s sold; at least %d %s", count(fig.UnitsSold, "unit"), c.MinUnitsSold, pick(met, "wanted", "required"))})
	}
	if c.MinSellThrough.Sign() > 0 {
		got := decimal.NewFromInt(fig.UnitsSold)
		met := got.Cmp(c.MinSellThrough.Mul(decimal.NewFromInt(p.Quantity))) >= 0
		shown := rounded(fig.SellThrough, 4, c.MinSellThrough, met)
		add(DecisionReason{Criterion: CriterionSellThrough, Met: met, Want: c.MinSellThrough.String(), Got: shown.String(),
			Detail: fmt.Sprintf("%d of %s sold (%s %%); at least %s %% %s", fig.UnitsSold, count(p.Quantity, "unit"),
				shown.Shift(2).String(), c.MinSellThrough.Shift(2).String(), pick(met, "wanted", "required"))})
	}
	if c.MinLocalitiesWithSales > 0 {
		n := 0
		for _, lf := range fig.Localities {
			if lf.UnitsSold > 0 {
				n++
			}
		}
		met := n >= c.MinLocalitiesWithSales
		add(DecisionReason{Criterion: CriterionLocalitiesSales, Met: met, Want: strconv.Itoa(c.MinLocalitiesWithSales), Got: strconv.Itoa(n),
			Detail: fmt.Sprintf("sales in %d of %d localities; at least %d %s", n, len(p.Localities), c.MinLocalitiesWithSales, pick(met, "wanted", "required"))})
	}
	if c.MinFeedback > 0 {
		met := fig.Feedback >= int64(c.MinFeedback)
		add(DecisionReason{Criterion: CriterionFeedback, Met: met, Want: strconv.Itoa(c.MinFeedback), Got: itoa(fig.Feedback),
			Detail: fmt.Sprintf("%s of field-test feedback; at least %d %s", count(fig.Feedback, "piece"), c.MinFeedback, pick(met, "wanted", "required"))})
	}
	if c.MinAverageRating.Sign() > 0 {
		add(ratingReason(CriterionAverageRating, "", fig.Rating, c.MinAverageRating))
	}
	if c.MinLocalityRating.Sign() > 0 {
		for _, lf := range fig.Localities {
			add(ratingReason(CriterionLocalityRating, lf.Locality, lf.Rating, c.MinLocalityRating))
		}
	}
	ids := make([]string, len(fig.OpenIssues))
	for i, id := range fig.OpenIssues {
		ids[i] = string(id)
	}
	met := len(ids) == 0
	add(DecisionReason{Criterion: CriterionNoBlockingIssues, Met: met, Want: "none", Got: pick(met, "none", strings.Join(ids, ", ")),
		Detail: pick(met, "no open issue of severity "+string(blocking)+" or worse",
			fmt.Sprintf("%s of severity %s or worse: %s", count(int64(len(ids)), "open issue"), blocking, strings.Join(ids, ", ")))})
	return reasons
}

// blocking returns the least severity of an open issue that blocks a
// launch: BlockingSeverity, or critical if unset.
func (c Criteria) blocking() Severity {
	if c.BlockingSeverity == "" {
		return SeverityCritical
	}
	return c.BlockingSeverity
}

// ratingReason checks an average rating sum/count against a minimum,
// exactly: sum >= min × count.
func ratingReason(c Criterion, locality string, avg salesprocess.Fraction, min decimal.Decimal) DecisionReason {
	where := ""
	if locality != "" {
		where = " in " + locality
	}
	r := DecisionReason{Criterion: c, Locality: locality, Want: min.String()}
	if avg.Den == 0 {
		r.Got = "none"
		r.Detail = "no field-test feedback" + where + "; an average rating of at least " + min.String() + " required"
		return r
	}
	r.Met = decimal.NewFromInt(avg.Num).Cmp(min.Mul(decimal.NewFromInt(avg.Den))) >= 0
	r.Got = rounded(avg, 2, min, r.Met).String()
	r.Detail = fmt.Sprintf("average rating%s %s from %s; at least %s %s", where, r.Got, count(avg.Den, "rating"), min, pick(r.Met, "wanted", "required"))
	return r
}

// rounded returns the non-negative fraction f, whose comparison with min
// gave met, to places decimals for a reason's text: rounded half up,
// unless that would put it on the other side of min (an unmet 0.59999
// shown as the 0.6 wanted), when it is rounded towards its own side.
func rounded(f salesprocess.Fraction, places int32, min decimal.Decimal, met bool) decimal.Decimal {
	d := f.Decimal(places)
	if f.Den == 0 || (d.Cmp(min) >= 0) == met {
		return d
	}
	q, rem := decimal.NewFromInt(f.Num).QuoRem(decimal.NewFromInt(f.Den), places)
	if met && rem.Sign() != 0 {
		q = q.Add(decimal.New(1, -places))
	}
	return q
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// count writes n things: "1 unit", "2 units".
func count(n int64, thing string) string {
	return itoa(n) + " " + thing + pick(n == 1, "", "s")
}

// satAdd returns a+b, stopping at the bounds of int64, so that it never
// wraps around.
func satAdd(a, b int64) int64 {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}

// clampInt64 returns v, or the bound of int64 that v passes.
func clampInt64(v *big.Int) int64 {
	switch {
	case v.IsInt64():
		return v.Int64()
	case v.Sign() > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}
