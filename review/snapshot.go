package review

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// Snapshot is the state of sales in a period as of a time, per rep,
// region, product and rep × product, and per goal: what the rules judge and
// what the report's tables show. Counts are exact, money is exact, rates
// are exact pairs of counts with their value, Wilson interval and shrunk
// estimate rounded half-up to [Analysis.Places], and comparisons are
// [quota.CompareAmong] at [Analysis.Confidence], among the comparisons of
// their kind under [AdjustBonferroni] and alone under [AdjustNone].
//
// Rows are sorted by ID (cells by rep, then product; goals by level,
// region, rep, product, period, metric and target), and a Snapshot is not
// changed once built, so rules may read it from any goroutine. Its fields
// are exported to be read and encoded, not edited: the lookups search the
// rows by that order, so a row whose ID was changed, or rows put out of
// order, are not found (build or decode another Snapshot instead). A row
// that a lookup ([Snapshot.Rep], [Snapshot.Cell]) returns is a copy, but
// the maps it holds (the losses by category, the feedback's categories) and
// the Wilson intervals of its rates are the snapshot's own: read them, do
// not change them, as a rule must not change the snapshot. A Snapshot
// decoded from JSON answers [Snapshot.Diagnose] with the default rules and
// its own rate, confidence and adjustment; one decoded within a [Report],
// with the report's rules. The zero Snapshot has no rows: its lookups find
// nothing, and, judging by the default rules, Diagnose puts any subject
// down to data.
type Snapshot struct {
	Period sp.Period `json:"period"`
	AsOf   time.Time `json:"as_of"`
	// Rate is the rate the rows' comparisons (VsTeam, VsPeers, VsRest)
	// are made on, Confidence the confidence level they hold at together,
	// and Adjustment how each one's confidence, and its p-value, follow
	// from it (see [Adjustment]).
	Rate       RateKind        `json:"rate"`
	Confidence decimal.Decimal `json:"confidence"`
	Adjustment Adjustment      `json:"adjustment"`
	Team       TeamRow         `json:"team"`
	Goals      []GoalRow       `json:"goals"`
	Reps       []RepRow        `json:"reps"`
	Regions    []RegionRow     `json:"regions"`
	Products   []ProductRow    `json:"products"`
	Cells      []CellRow       `json:"cells"`
	// Expiring are the certificates of the review's reps that expire
	// after AsOf (a certificate is valid up to, not including, its
	// expiry) and at most the certification rule's ExpiringWithinDays
	// calendar days after it in Period's time zone (that time included),
	// by expiry. The review's reps are those of the Reps rows: the reps of
	// [Input].Reps and of its goals, and the owners of the records it
	// counts, so that a rep who has no goal and neither sold nor worked in
	// the period is warned only when listed in Input.Reps. Their Issued
	// and Expires are in the zone [Options].Location gives their rep, or
	// else in Period's, whatever zone the store gave them in: the report
	// writes an expiry on that calendar.
	Expiring []training.Certificate `json:"expiring"`

	rules *Rules
	x     *extras
	fam   *[2][numFamilies]int64 // comparisons judged, by rate and family
}

// Figures are the counts and rates of a group of deals and inquiries in the
// period: the company, a rep, a region, a product or a rep's sales of one
// product. The zero Figures count nothing: both rates are 0/0, without
// data.
type Figures struct {
	// Won and Lost count the deals closed in the period up to the as-of
	// time, by owner; WonAmount is the exact sum of the won ones (the zero
	// Money when none has an amount).
	Won       int64    `json:"won"`
	Lost      int64    `json:"lost"`
	WonAmount sp.Money `json:"won_amount"`
	// WinRate is Won of Won + Lost.
	WinRate quota.RateEstimate `json:"win_rate"`
	// Inquiries counts the inquiries received in the period up to the
	// as-of time, by owner, and Converted those of them that became won
	// deals by the as-of time; Conversion is Converted of Inquiries (the
	// cohort conversion, [quota.CohortConversion]).
	Inquiries  int64              `json:"inquiries"`
	Converted  int64              `json:"converted"`
	Conversion quota.RateEstimate `json:"conversion"`
	// Open counts the deals open at the as-of time, created by then, and
	// OpenAmount sums their amounts.
	Open       int64    `json:"open"`
	OpenAmount sp.Money `json:"open_amount"`
	// Activities counts the follow-up activities done in the period up to
	// the as-of time on those deals and inquiries.
	Activities int64 `json:"activities"`
	// Losses counts the lost deals by loss category.
	Losses LossCounts `json:"losses,omitempty"`
}

// Rate returns the exact rate of kind k: [Figures.WinRate] or
// [Figures.Conversion].
func (f *Figures) Rate(k RateKind) quota.Rate {
	if f == nil {
		return quota.Rate{}
	}
	if k == RateConversion {
		return f.Conversion.Rate
	}
	return f.WinRate.Rate
}

// Closed returns Won + Lost.
func (f *Figures) Closed() int64 {
	if f == nil {
		return 0
	}
	return f.Won + f.Lost
}

// FollowUp are the follow-up figures of a rep, a region or the company: how
// fast the period's inquiries got their first response, and how many open
// inquiries are overdue under the analysis' follow-up policy, judged from
// the inquiries as they stood at the as-of time. The zero FollowUp counts
// no inquiry: its OverdueRate is 0/0.
type FollowUp struct {
	// FirstResponse summarizes the time from receipt to first contact
	// ([pipeline.FirstContact], which does not count a contact dated
	// before the receipt) of the period's inquiries that had one by the
	// as-of time.
	FirstResponse quota.Durations `json:"first_response"`
	// Pending counts the period's inquiries without a first contact by
	// the as-of time, such as one contacted only before its receipt.
	Pending int64 `json:"pending"`
	// Open counts the inquiries open at the as-of time, and Overdue those
	// of them whose next contact was late then.
	Open    int64 `json:"open"`
	Overdue int64 `json:"overdue"`
}

// OverdueRate returns Overdue of Open.
func (f FollowUp) OverdueRate() quota.Rate { return quota.Rate{Num: f.Overdue, Den: f.Open} }

// TeamRow is the whole company. The zero TeamRow counts nothing.
type TeamRow struct {
	Figures
	FollowUp FollowUp `json:"follow_up"`
}

// RepRow is one rep. VsTeam compares the rep's rate ([Snapshot.Rate]) with
// the rest of the team's. The zero RepRow names no rep and counts nothing.
type RepRow struct {
	Rep    sp.RepID    `json:"rep"`
	Name   string      `json:"name,omitempty"`
	Region sp.RegionID `json:"region,omitempty"`
	Figures
	FollowUp FollowUp         `json:"follow_up"`
	VsTeam   quota.Comparison `json:"vs_team"`
}

// RegionRow is one region, by the region of the deals and inquiries. VsRest
// compares its rate with the rest of the company's; Reps counts the reps
// assigned to it, and RepsBelow those of them with enough data whose rate
// is below the rest of the company's. The zero RegionRow names no region
// and counts nothing.
type RegionRow struct {
	Region  sp.RegionID `json:"region"`
	Name    string      `json:"name,omitempty"`
	Manager sp.ActorID  `json:"manager,omitempty"`
	Figures
	FollowUp  FollowUp         `json:"follow_up"`
	VsRest    quota.Comparison `json:"vs_rest"`
	Reps      int64            `json:"reps"`
	RepsBelow int64            `json:"reps_below"`
}

// ProductRow is one product. VsRest compares its rate with the other
// products'. Reps counts the reps who closed deals on it, RepsWithLosses
// those of them who lost deals for a reason of the product signal's
// categories, and SignalLosses those losses. The zero ProductRow names no
// product and counts nothing.
type ProductRow struct {
	Product sp.ProductID `json:"product"`
	Name    string       `json:"name,omitempty"`
	Owner   sp.ActorID   `json:"owner,omitempty"`
	Figures
	VsRest         quota.Comparison `json:"vs_rest"`
	Reps           int64            `json:"reps"`
	RepsWithLosses int64            `json:"reps_with_losses"`
	SignalLosses   int64            `json:"signal_losses"`
	Feedback       FeedbackFigures  `json:"feedback"`
}

// FeedbackFigures sum up the feedback about a product in the period from
// the feedback rule's sources: how much, how much of it rated low (at most
// the rule's MaxRating), the average rating as an exact fraction, and the
// count by category. The zero FeedbackFigures count no feedback: the Rating
// is 0/0.
type FeedbackFigures struct {
	Count      int64          `json:"count"`
	Low        int64          `json:"low"`
	Rating     sp.Fraction    `json:"rating"`
	Categories FeedbackCounts `json:"categories,omitempty"`
}

// CellRow is one rep's sales of one product. VsPeers compares the rep's
// rate on the product with the other reps' on it. Certification is the
// rep's certification for the product at the as-of time, asked of
// [Options.Certificates] for the cells with deals or inquiries in the
// period and for rep goals of a product; empty when not asked. Curriculum
// is the curriculum that earned the certificate in that state when it has
// expired (a withdrawn one too) or is outdated, as a [CertificateFinder]
// finds it, or, when the rep holds no certificate for the product
// ([training.CertMissing]), the curriculum that certifies the product, as
// [Options.Certifying] names it; empty in any other state, without a
// CertificateFinder or Certifying, when they find none, and for a
// certificate earned otherwise. The zero CellRow names no rep or product
// and counts nothing.
type CellRow struct {
	Rep     sp.RepID     `json:"rep"`
	Product sp.ProductID `json:"product"`
	Figures
	VsPeers       quota.Comparison      `json:"vs_peers"`
	Certification training.CertStatus   `json:"certification,omitempty"`
	Curriculum    training.CurriculumID `json:"curriculum,omitempty"`
}

// GoalRow is a goal at the as-of time: its attainment (as [quota.Attain]
// measures it, status by the same rule) and its forecast (as
// [quota.Forecast] gives it, from the deals created by the as-of time).
// Open, Pipeline and Weighted are the open deals that may still count for
// the goal ([quota.Outlook]): none once its period is over, unlike the open
// deals of [Figures]. Percent is rounded half-up to two places (the
// report's text rounds it down instead where a goal short of its target
// would read 100.00, from 99.995 %), Chance half-up to [Analysis.Places], and
// ChanceBound, the forecast's error bound plus what rounding moved Chance,
// up to them: the probability of reaching the goal lies within ChanceBound
// of Chance. The zero GoalRow is of the zero [quota.Goal]: its Subject is
// the company, and its period, the zero Period, is Over at any as-of time.
type GoalRow struct {
	Goal        quota.Goal          `json:"goal"`
	Booked      quota.Amount        `json:"booked"`
	Percent     decimal.Decimal     `json:"percent"`
	Gap         quota.Amount        `json:"gap"`
	Elapsed     sp.Fraction         `json:"elapsed"`
	Status      quota.Status        `json:"status"`
	Open        int64               `json:"open"`
	Pipeline    quota.Amount        `json:"pipeline"`
	Weighted    quota.Amount        `json:"weighted"`
	Coverage    decimal.NullDecimal `json:"coverage"`
	Chance      decimal.Decimal     `json:"chance"`
	ChanceBound decimal.Decimal     `json:"chance_bound"`
	Method      quota.Method        `json:"method"`
	Shortfall   quota.Amount        `json:"shortfall"`
}

// Subject returns the subject of the goal: a rep (or a rep's sales of a
// product), a region, a product or the company.
func (g GoalRow) Subject() Subject {
	switch {
	case g.Goal.Rep != "" && g.Goal.Product != "":
		return RepProductSubject(g.Goal.Rep, g.Goal.Product)
	case g.Goal.Rep != "":
		return RepSubject(g.Goal.Rep)
	case g.Goal.Region != "":
		return RegionSubject(g.Goal.Region)
	case g.Goal.Product != "":
		return ProductSubject(g.Goal.Product)
	}
	return CompanySubject()
}

// Over reports whether the goal's period is over at the as-of time.
func (g GoalRow) Over(asOf time.Time) bool { return !asOf.Before(g.Goal.Period.End()) }

// id returns the goal as finding IDs name it: its subject's key and its
// key ("rep=ann:2026-11,revenue" in UTC,
// "rep=ann:2026-11[Europe/Berlin],revenue" elsewhere). Two goals of one
// id are the same goal, which a review refuses, unless their IDs hold the
// id's separators (rep "ann,product=widget" and rep ann on widget): the
// review tells goals apart by the parts of the id, and their findings by
// the "#2" that makes a finding ID unique.
func (g GoalRow) id() string { return g.Subject().Key() + ":" + g.key() }

// key returns the goal's part of a finding ID: its period and metric,
// and its product when the subject does not name it (a region's goal for
// one product).
func (g GoalRow) key() string {
	k := g.Goal.Period.String() + "," + string(g.Goal.Metric())
	if g.Goal.Product != "" && g.Subject().Product == "" {
		k += ",product=" + string(g.Goal.Product)
	}
	return k
}

// name describes the goal's subject for people: the subject, and the
// product when the subject does not name it ("region north on widget").
func (g GoalRow) name() string {
	subj := g.Subject()
	if g.Goal.Product != "" && subj.Product == "" {
		return subj.String() + " on " + string(g.Goal.Product)
	}
	return subj.String()
}

// LossSample is one lost deal behind a product feedback. The zero
// LossSample names no deal.
type LossSample struct {
	Deal     sp.DealID             `json:"deal"`
	Rep      sp.RepID              `json:"rep,omitempty"`
	Category pipeline.LossCategory `json:"category"`
	Detail   string                `json:"detail"`
}

// extras are what a Snapshot keeps besides its tables: the material of
// product feedback and the signals of the root-cause analysis.
type extras struct {
	losses   map[sp.ProductID][]LossSample
	feedback map[sp.ProductID][]sp.Feedback
	signals  [2]*signals // by rate kind: win rate, conversion
	// regionProduct holds the rates of the cells of each region and
	// product, by rate kind, when a region is weak: nil otherwise.
	regionProduct map[regionProduct][2]quota.Rate
	// productCells lists the indexes of the cell rows of each product,
	// in order; regionReps, of the rep rows of each region.
	productCells map[sp.ProductID][]int32
	regionReps   map[sp.RegionID][]int32
	// productsSorted is whether the product rows are in the order of
	// their IDs, as [Snapshot.Product] finds them.
	productsSorted bool
	// tables are the tables all these were made of (see
	// [Snapshot.tables]).
	tables tables
}

// tables identifies the tables that the signals and the lookups of
// [extras] index (reps, regions, products and cells), each by the address
// of its first row and its length: a table replaced, grown or shrunk since
// is told apart from it, a row edited in place is not.
type tables struct {
	reps     *RepRow
	regions  *RegionRow
	products *ProductRow
	cells    *CellRow
	counts   [4]int
}

func (s *Snapshot) tables() tables {
	return tables{
		reps: firstRow(s.Reps), regions: firstRow(s.Regions), products: firstRow(s.Products), cells: firstRow(s.Cells),
		counts: [4]int{len(s.Reps), len(s.Regions), len(s.Products), len(s.Cells)},
	}
}

// firstRow returns the address of rows[0], or nil when rows is empty.
func firstRow[T any](rows []T) *T {
	if len(rows) == 0 {
		return nil
	}
	return &rows[0]
}

// Rep returns the row of rep id. Its maps and Wilson intervals are the
// snapshot's (see [Snapshot]): do not change them.
func (s *Snapshot) Rep(id sp.RepID) (RepRow, bool) {
	if s == nil {
		return RepRow{}, false
	}
	i, ok := slices.BinarySearchFunc(s.Reps, id, func(r RepRow, id sp.RepID) int { return cmp.Compare(r.Rep, id) })
	if !ok {
		return RepRow{}, false
	}
	return s.Reps[i], true
}

// Region returns the row of region id. Its maps and Wilson intervals are
// the snapshot's (see [Snapshot]): do not change them.
func (s *Snapshot) Region(id sp.RegionID) (RegionRow, bool) {
	i, ok := s.regionIndex(id)
	if !ok {
		return RegionRow{}, false
	}
	return s.Regions[i], true
}

func (s *Snapshot) regionIndex(id sp.RegionID) (int, bool) {
	if s == nil {
		return 0, false
	}
	return slices.BinarySearchFunc(s.Regions, id, func(r RegionRow, id sp.RegionID) int { return cmp.Compare(r.Region, id) })
}

// Product returns the row of product id. Its maps and Wilson intervals are
// the snapshot's (see [Snapshot]): do not change them.
func (s *Snapshot) Product(id sp.ProductID) (ProductRow, bool) {
	i, ok := s.productIndex(id)
	if !ok {
		return ProductRow{}, false
	}
	return s.Products[i], true
}

func (s *Snapshot) productIndex(id sp.ProductID) (int, bool) {
	if s == nil {
		return 0, false
	}
	return slices.BinarySearchFunc(s.Products, id, func(r ProductRow, id sp.ProductID) int { return cmp.Compare(r.Product, id) })
}

func compareCell(c CellRow, rep sp.RepID, product sp.ProductID) int {
	return cmp.Or(cmp.Compare(c.Rep, rep), cmp.Compare(c.Product, product))
}

// Cell returns the row of rep's sales of product. Its maps and Wilson
// intervals are the snapshot's (see [Snapshot]): do not change them.
func (s *Snapshot) Cell(rep sp.RepID, product sp.ProductID) (CellRow, bool) {
	if s == nil {
		return CellRow{}, false
	}
	i, ok := slices.BinarySearchFunc(s.Cells, rep, func(c CellRow, rep sp.RepID) int { return compareCell(c, rep, product) })
	if !ok {
		return CellRow{}, false
	}
	return s.Cells[i], true
}

// CellsOf returns the rows of rep's sales, one per product, by product.
// The slice is part of the snapshot: do not change it.
func (s *Snapshot) CellsOf(rep sp.RepID) []CellRow {
	if s == nil {
		return nil
	}
	lo, _ := slices.BinarySearchFunc(s.Cells, rep, func(c CellRow, rep sp.RepID) int { return compareCell(c, rep, "") })
	hi := lo
	for hi < len(s.Cells) && s.Cells[hi].Rep == rep {
		hi++
	}
	return s.Cells[lo:hi:hi]
}

// GoalsOf returns the goals of subject, in the order of [Snapshot.Goals].
// It looks at every row as it is when called, so that it sees a host's
// changes to the rows.
func (s *Snapshot) GoalsOf(subject Subject) []GoalRow {
	if s == nil {
		return nil
	}
	var out []GoalRow
	for i := range s.Goals {
		// A goal's subject has the goal's rep (none but for reps'
		// goals): comparing the reps first tells most rows apart without
		// making their subjects.
		if g := &s.Goals[i]; g.Goal.Rep == subject.Rep && g.Subject() == subject {
			out = append(out, *g)
		}
	}
	return out
}

// Settings returns the settings of the host's rule name from the rules
// document ([Rules.Custom]), or nil.
func (s *Snapshot) Settings(name string) json.RawMessage {
	if s == nil {
		return nil
	}
	return slices.Clone(s.cfg().Custom[name])
}

// Compare compares the proportion r with peers at the snapshot's
// confidence by [quota.Compare], rounding to [Analysis.Places]. Rates that
// are not proportions get the verdict [quota.VerdictNoData].
func (s *Snapshot) Compare(r, peers quota.Rate) quota.Comparison {
	if s == nil {
		s = &Snapshot{}
	}
	c, err := quota.Compare(r, peers, s.confidence(), s.places())
	if err != nil {
		return quota.Comparison{Verdict: quota.VerdictNoData}
	}
	return c
}

// cfg returns the rules of the snapshot: those of its review, or the
// default ones for a Snapshot made by hand, which are not stored in it, so
// that reading a Snapshot never writes to it.
func (s *Snapshot) cfg() *Rules {
	if s.rules == nil {
		r := DefaultRules()
		return &r
	}
	return s.rules
}

func (s *Snapshot) confidence() float64 { return level(s.cfg().Analysis.Confidence) }

// level returns the confidence level c, strictly between 0 and 1, as a
// float64 strictly between 0 and 1: the nearest float64 to a c within
// 1e-17 of 1 is 1, which quota refuses.
func level(c decimal.Decimal) float64 {
	return min(max(c.InexactFloat64(), math.SmallestNonzeroFloat64), math.Nextafter(1, 0))
}

func (s *Snapshot) places() int32 { return s.cfg().Analysis.Places }

// UnmarshalJSON implements [json.Unmarshaler]: it decodes the tables and
// prepares the signals of [Snapshot.Diagnose] under the default rules with
// the snapshot's rate, confidence and adjustment.
// Errors wrap [sp.ErrInvalid] and name the field (see
// [sp.DecodeJSON]); on error s is left unchanged.
func (s *Snapshot) UnmarshalJSON(data []byte) error {
	if err := sp.CheckTarget(s); err != nil {
		return err
	}
	type plain Snapshot
	var v plain
	if err := sp.DecodeJSON("snapshot", data, &v); err != nil {
		return err
	}
	*s = Snapshot(v)
	r := DefaultRules()
	if s.Rate.Validate() == nil {
		r.Analysis.Rate = s.Rate
	}
	if share("", s.Confidence, false) == nil {
		r.Analysis.Confidence = s.Confidence
	}
	if s.Adjustment.Validate() == nil {
		r.Analysis.Adjustment = s.Adjustment
	}
	s.rules = &r
	s.x = &extras{}
	s.prepare()
	return nil
}
