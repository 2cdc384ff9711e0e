package quota

import (
	"bytes"
	"iter"
	"math"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

// Rate is an exact ratio of two counts, Num of Den: 7 won of 20 closed, 12
// converted of 300 inquiries. It keeps the counts as they are, unreduced,
// so that a rate says how many of how many; [Rate.Decimal] renders it.
//
// A zero denominator is the defined "no data" value: it is never NaN and
// never panics; [Rate.Defined] reports it, and [Rate.Decimal] gives zero
// for it. The zero Rate is 0 of 0, no data. A rate is a proportion when
// 0 ≤ Num ≤ Den; only proportions have Wilson intervals and shrunk
// estimates ([Rate.Wilson], [Rate.Shrink]). A ratio of two different
// populations, such as deals won in a month over inquiries received in it,
// may exceed one.
//
// Rate has the JSON form {"num":7,"den":20}.
type Rate sp.Fraction

// Defined reports whether the denominator is not zero.
func (r Rate) Defined() bool { return r.Den != 0 }

// IsProportion reports whether r is a proportion with data: 0 ≤ Num ≤ Den
// and Den > 0.
func (r Rate) IsProportion() bool { return r.Den > 0 && r.Num >= 0 && r.Num <= r.Den }

// Fraction returns r as a [sp.Fraction].
func (r Rate) Fraction() sp.Fraction { return sp.Fraction(r) }

// Decimal returns Num/Den rounded half-up (half away from zero) to places
// decimal places, or zero for no data.
func (r Rate) Decimal(places int32) decimal.Decimal { return sp.Fraction(r).Decimal(places) }

// Percent returns 100·Num/Den rounded half-up to places decimal places, or
// zero for no data. Places beyond 40 either way count as 40, as for
// [sp.Fraction.Decimal].
func (r Rate) Percent(places int32) decimal.Decimal {
	if r.Den == 0 {
		return decimal.Zero
	}
	places = min(max(places, -maxScale), maxScale)
	return decimal.NewFromInt(r.Num).Mul(decimal.New(100, 0)).DivRound(decimal.NewFromInt(r.Den), places)
}

// Cmp compares the values of r and o exactly, as [sp.Fraction.Cmp]
// does: no data sorts before every defined rate.
func (r Rate) Cmp(o Rate) int { return sp.Fraction(r).Cmp(sp.Fraction(o)) }

// String returns "num/den", as in "7/20": the counts as they are, so
// the zero Rate is "0/0" and 3 won deals of no inquiries "3/0".
func (r Rate) String() string { return sp.Fraction(r).String() }

// float returns Num/Den as a float64, for statistics; r must be defined.
func (r Rate) float() float64 { return float64(r.Num) / float64(r.Den) }

// checkProportion reports an error wrapping [sp.ErrInvalid] unless
// 0 ≤ Num ≤ Den.
func (r Rate) checkProportion() error {
	if r.Num < 0 || r.Den < 0 || r.Num > r.Den {
		return sp.Invalid("rate", "%s is not a proportion (want 0 ≤ num ≤ den)", r)
	}
	return nil
}

// Interval is a confidence interval for a proportion, its bounds rounded
// half-up to a stated number of decimal places. The zero Interval is [0, 0].
type Interval struct {
	Lower decimal.Decimal `json:"lower"`
	Upper decimal.Decimal `json:"upper"`
}

// Contains reports whether x lies in the interval, bounds included.
func (iv Interval) Contains(x decimal.Decimal) bool {
	return x.Cmp(iv.Lower) >= 0 && x.Cmp(iv.Upper) <= 0
}

// String returns "[lower, upper]".
func (iv Interval) String() string { return "[" + iv.Lower.String() + ", " + iv.Upper.String() + "]" }

// Wilson returns the Wilson score interval of the proportion r at the
// given confidence level (0.95 for 95 %), its bounds rounded half-up to
// places decimal places (0 to 18). With n = Den, p = Num/n and z the
// standard normal quantile of (1 + confidence)/2, the bounds are
//
//	(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n),
//
// computed in float64 and clipped to [0, 1]; the lower bound of 0 of n is
// exactly 0 and the upper bound of n of n exactly 1. No data (0 of 0) gives
// the whole range [0, 1]. A rate that is not a proportion, a confidence
// outside (0, 1) or places outside 0 to 18 is an error wrapping
// [sp.ErrInvalid].
func (r Rate) Wilson(confidence float64, places int32) (Interval, error) {
	if err := r.checkProportion(); err != nil {
		return Interval{}, quotaErr("wilson interval", err)
	}
	if err := checkConfidence(confidence); err != nil {
		return Interval{}, quotaErr("wilson interval", err)
	}
	if err := checkPlaces(places); err != nil {
		return Interval{}, quotaErr("wilson interval", err)
	}
	lo, hi := wilson(r, zScore(confidence))
	return Interval{Lower: roundFloat(lo, places), Upper: roundFloat(hi, places)}, nil
}

// wilson returns the Wilson bounds of the proportion r for the normal
// quantile z, in float64.
func wilson(r Rate, z float64) (lo, hi float64) {
	if r.Den == 0 {
		return 0, 1
	}
	n := float64(r.Den)
	p := r.float()
	z2 := z * z
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := z * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / den
	lo, hi = max(0, center-half), min(1, center+half)
	if r.Num == 0 {
		lo = 0
	}
	if r.Num == r.Den {
		hi = 1
	} else {
		// Within 1e-16 of 1 (Num a few short of Den beyond 10¹⁶) float64
		// rounds the lower bound up to 1, above the rate itself; the
		// float64 just below 1 is below any such rate.
		lo = min(lo, math.Nextafter(1, 0))
	}
	return lo, hi
}

// zScore returns the standard normal quantile of (1 + confidence)/2.
func zScore(confidence float64) float64 { return math.Sqrt2 * math.Erfinv(confidence) }

func checkConfidence(c float64) error {
	if !(c > 0 && c < 1) {
		return sp.Invalid("confidence", "%v is not strictly between 0 and 1", c)
	}
	return nil
}

func checkPlaces(places int32) error {
	if places < 0 || places > maxPlaces {
		return sp.Invalid("places", "%d outside 0 to %d", places, maxPlaces)
	}
	return nil
}

// roundFloat returns x as a decimal rounded half-up to places: the shortest
// decimal that reads back as x, then rounded. NaN and infinities, which the
// statistics here never produce, give zero.
func roundFloat(x float64, places int32) decimal.Decimal {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return decimal.Zero
	}
	if c, ok := roundShortest(x, places); ok {
		return decimal.New(c, -places)
	}
	return decimal.NewFromFloat(x).Round(places)
}

// roundShortest returns the coefficient of roundFloat(x, places), whose
// exponent is -places, and whether it fits in an int64 and places is 0 to
// 18: the shortest decimal digits that read back as x, from
// [strconv.AppendFloat] without allocating, rounded half away from zero,
// as [decimal.Decimal.Round] rounds them. x must be finite.
func roundShortest(x float64, places int32) (int64, bool) {
	if places < 0 || places > 18 {
		return 0, false
	}
	if x == 0 {
		return 0, true
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], x, 'e', -1, 64) // "-d.ddde-07"
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	e := bytes.IndexByte(b, 'e')
	exp := 0
	for _, c := range b[e+2:] {
		exp = exp*10 + int(c-'0')
	}
	if b[e+1] == '-' {
		exp = -exp
	}
	var digits [24]byte
	n := 0
	for _, c := range b[:e] {
		if c != '.' {
			digits[n] = c
			n++
		}
	}
	// x is 0.d₁d₂…dₙ × 10^(exp+1); keep the digits down to 10^-places.
	keep := exp + 1 + int(places)
	var c int64
	switch {
	case keep < 0:
		return 0, true
	case keep > 18:
		return 0, false
	}
	for i := 0; i < keep; i++ {
		d := int64(0)
		if i < n {
			d = int64(digits[i] - '0')
		}
		c = c*10 + d
	}
	if keep < n && digits[keep] >= '5' {
		c++
	}
	if neg {
		c = -c
	}
	return c, true
}

// Prior is a beta prior for the proportions of a set of groups, centred on
// the rate of all of them: Beta(Mean·Strength, (1−Mean)·Strength). Its
// Strength is how many trials' worth of evidence the group rate counts as
// when a single group's rate is shrunk toward it ([Rate.Shrink]): a group
// with few trials moves most of the way to Mean, one with many trials hardly
// moves. A zero Strength shrinks nothing: the zero Prior is valid and
// leaves every rate as it is.
type Prior struct {
	// Mean is the rate of all the groups together, from 0 to 1.
	Mean float64 `json:"mean"`
	// Strength is the prior's weight in pseudo-trials, at least 0.
	Strength float64 `json:"strength"`
}

// Validate reports whether p has a mean from 0 to 1 and a finite strength
// of at least 0; the error wraps [sp.ErrInvalid].
func (p Prior) Validate() error {
	if !(p.Mean >= 0 && p.Mean <= 1) {
		return sp.Invalid("prior.mean", "%v outside 0 to 1", p.Mean)
	}
	if !(p.Strength >= 0) || math.IsInf(p.Strength, 0) {
		return sp.Invalid("prior.strength", "%v is not a finite number of at least 0", p.Strength)
	}
	return nil
}

// FitPrior estimates a [Prior] from the proportions of a set of groups by
// the method of moments of the beta-binomial model. Mean is the pooled rate
// m = ΣNum/ΣDen. With k groups of nᵢ trials, N = Σnᵢ and
// S = Σnᵢ(rᵢ − m)², the intra-class correlation is
//
//	ρ = (S/(m(1−m)) − (k−1)) / (N − Σnᵢ²/N − (k−1))
//
// and Strength = 1/ρ − 1, clipped to [0, N]: groups that differ no more
// than chance allows (ρ ≤ 0), fewer than two groups with data, groups of
// one trial each (where ρ's denominator is 0), or a pooled rate of 0 or 1
// give the cap N, so that every group is pulled close to the pooled rate;
// groups that differ wildly (ρ ≥ 1) give 0, no shrinkage.
// Groups without data are skipped; no data at all gives the zero Prior.
// A rate that is not a proportion is an error wrapping
// [sp.ErrInvalid].
func FitPrior(rates iter.Seq[Rate]) (Prior, error) {
	var k, n, x, n2 float64
	var collected []Rate
	for r := range orEmpty(rates) {
		if err := r.checkProportion(); err != nil {
			return Prior{}, quotaErr("fit prior", err)
		}
		if r.Den == 0 {
			continue
		}
		collected = append(collected, r)
		k++
		n += float64(r.Den)
		x += float64(r.Num)
		n2 += float64(r.Den) * float64(r.Den)
	}
	if n == 0 {
		return Prior{}, nil
	}
	m := x / n
	p := Prior{Mean: m, Strength: n}
	if k < 2 || m == 0 || m == 1 {
		return p, nil
	}
	var s float64
	for _, r := range collected {
		d := r.float() - m
		s += float64(r.Den) * d * d
	}
	den := n - n2/n - (k - 1)
	if den <= 0 {
		return p, nil
	}
	rho := (s/(m*(1-m)) - (k - 1)) / den
	switch {
	case rho <= 0:
		// Cap: no more spread than chance.
	case rho >= 1:
		p.Strength = 0
	default:
		p.Strength = min(n, 1/rho-1)
	}
	return p, nil
}

// Shrink returns the empirical-Bayes estimate of the proportion r under
// prior p, the posterior mean (Num + Mean·Strength)/(Den + Strength),
// rounded half-up to places decimal places (0 to 18). No data gives the
// prior's mean. A rate that is not a proportion, an invalid prior or bad
// places is an error wrapping [sp.ErrInvalid].
func (r Rate) Shrink(p Prior, places int32) (decimal.Decimal, error) {
	if err := r.checkProportion(); err != nil {
		return decimal.Decimal{}, quotaErr("shrink", err)
	}
	if err := p.Validate(); err != nil {
		return decimal.Decimal{}, quotaErr("shrink", err)
	}
	if err := checkPlaces(places); err != nil {
		return decimal.Decimal{}, quotaErr("shrink", err)
	}
	return roundFloat(shrink(r, p), places), nil
}

func shrink(r Rate, p Prior) float64 {
	if r.Den == 0 {
		// Mean·Strength/Strength may be an ulp off Mean.
		return p.Mean
	}
	return (float64(r.Num) + p.Mean*p.Strength) / (float64(r.Den) + p.Strength)
}

// Verdict is the outcome of comparing a rate with its peers'. Its text
// form is its name. The zero Verdict is unset: it encodes as empty text and
// back, and Validate refuses it.
type Verdict string

// The verdicts of [Compare].
const (
	VerdictBelow        Verdict = "below"        // significantly below the peers
	VerdictAbove        Verdict = "above"        // significantly above the peers
	VerdictInconclusive Verdict = "inconclusive" // no significant difference
	VerdictNoData       Verdict = "no_data"      // a rate without data
)

// Comparison is the result of [Compare]: the difference between a rate and
// its peers' rate with its confidence interval, the p-value of the pooled
// two-proportion z-test, and the verdict. Decimals are rounded half-up to
// the places asked for. The zero Comparison has no verdict: its Verdict is
// the zero [Verdict], unset.
type Comparison struct {
	// Difference is rate − peers.
	Difference decimal.Decimal `json:"difference"`
	// Interval is Newcombe's hybrid score interval for the difference.
	Interval Interval `json:"interval"`
	// PValue is the two-sided p-value of the pooled two-proportion z-test,
	// for display; the verdict does not use it.
	PValue decimal.Decimal `json:"p_value"`
	// Verdict is [VerdictBelow] when the whole interval lies below zero,
	// [VerdictAbove] when it lies above, [VerdictInconclusive] otherwise,
	// [VerdictNoData] when either rate has no data. It goes by the interval
	// before its bounds are rounded: 2/7 against 16/23 is VerdictBelow, its
	// upper bound of −0.00004 reading 0 at four places.
	Verdict Verdict `json:"verdict"`
}

// Compare tells whether the proportion r is significantly below or above
// the proportion peers (for a rep, the rate of the other reps: the team's
// counts minus the rep's, see [Rate.Without]) at the given confidence
// level. The method is Newcombe's hybrid score interval for the difference
// of two independent proportions (Newcombe 1998, method 10), built from
// the two Wilson intervals (l₁, u₁) and (l₂, u₂) of p₁ = r and p₂ = peers:
//
//	d − √((p₁−l₁)² + (u₂−p₂)²)  to  d + √((u₁−p₁)² + (p₂−l₂)²),  d = p₁ − p₂.
//
// It keeps its coverage for small counts and near 0 and 1, where the plain
// z-test does not. Statistics are computed in float64 and rounded half-up to
// places (0 to 18). A rate that is not a proportion, a confidence outside
// (0, 1) or bad places is an error wrapping [sp.ErrInvalid].
func Compare(r, peers Rate, confidence float64, places int32) (Comparison, error) {
	return compare("compare", r, peers, confidence, 1, places)
}

// CompareAmong is [Compare] for one of m comparisons judged together, with
// Bonferroni's correction for their number: the interval is at confidence
// 1 − (1 − confidence)/m, so that the m intervals hold together at
// confidence, and the p-value is m × p, at most 1, so that it is read
// against 1 − confidence as the verdict is. With m = 1 it is Compare. An
// m below 1 is an error wrapping [sp.ErrInvalid], as are the arguments
// Compare refuses.
func CompareAmong(r, peers Rate, confidence float64, m int64, places int32) (Comparison, error) {
	return compare("compare among", r, peers, confidence, m, places)
}

func compare(op string, r, peers Rate, confidence float64, m int64, places int32) (Comparison, error) {
	for _, x := range []Rate{r, peers} {
		if err := x.checkProportion(); err != nil {
			return Comparison{}, quotaErr(op, err)
		}
	}
	if err := checkConfidence(confidence); err != nil {
		return Comparison{}, quotaErr(op, err)
	}
	if m < 1 {
		return Comparison{}, quotaErr(op, sp.Invalid("m", "%d comparisons; want at least 1", m))
	}
	if err := checkPlaces(places); err != nil {
		return Comparison{}, quotaErr(op, err)
	}
	if r.Den == 0 || peers.Den == 0 {
		return Comparison{Verdict: VerdictNoData}, nil
	}
	if m > 1 {
		// Below 1 however many comparisons, so that the interval stays
		// finite.
		confidence = min(1-(1-confidence)/float64(m), math.Nextafter(1, 0))
	}
	z := zScore(confidence)
	p1, p2 := r.float(), peers.float()
	l1, u1 := wilson(r, z)
	l2, u2 := wilson(peers, z)
	d := p1 - p2
	lo := d - math.Hypot(p1-l1, u2-p2)
	hi := d + math.Hypot(u1-p1, p2-l2)
	c := Comparison{
		Difference: roundFloat(d, places),
		Interval:   Interval{Lower: roundFloat(lo, places), Upper: roundFloat(hi, places)},
		PValue:     roundFloat(min(1, float64(m)*pooledPValue(r, peers)), places),
		Verdict:    VerdictInconclusive,
	}
	switch {
	case hi < 0:
		c.Verdict = VerdictBelow
	case lo > 0:
		c.Verdict = VerdictAbove
	}
	return c, nil
}

// pooledPValue returns the two-sided p-value of the pooled two-proportion
// z-test of a against b.
func pooledPValue(a, b Rate) float64 {
	n1, n2 := float64(a.Den), float64(b.Den)
	pool := (float64(a.Num) + float64(b.Num)) / (n1 + n2)
	se := math.Sqrt(pool * (1 - pool) * (1/n1 + 1/n2))
	if se == 0 {
		return 1
	}
	z := (a.float() - b.float()) / se
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// Without returns r less part, count by count: the rate of the peers of a
// member whose rate is part, when r is the whole group's. A part whose
// counts are negative or exceed r's is an error wrapping
// [sp.ErrInvalid].
func (r Rate) Without(part Rate) (Rate, error) {
	if part.Num < 0 || part.Den < 0 || part.Num > r.Num || part.Den > r.Den {
		return Rate{}, quotaErr("rate without", sp.Invalid("rate", "%s is not part of %s", part, r))
	}
	return Rate{Num: r.Num - part.Num, Den: r.Den - part.Den}, nil
}

// RateEstimate is a rate as grouped results report it: the exact counts,
// the value, the Wilson interval and the estimate shrunk toward the rate of
// all groups, the decimals rounded half-up to [Options.Places] at the
// confidence of [Options.Confidence]. The zero RateEstimate is that of no
// data: a rate of 0/0, without an interval or a shrunk value.
type RateEstimate struct {
	// Rate holds the exact counts.
	Rate Rate `json:"rate"`
	// Value is the rate as a decimal; zero for no data.
	Value decimal.Decimal `json:"value"`
	// Wilson is the Wilson score interval; [0, 1] for 0 of 0, nil when
	// the rate is not a proportion, as 1 won deal of 0 inquiries is not.
	Wilson *Interval `json:"wilson,omitempty"`
	// Shrunk is the rate shrunk toward the rate of all groups (see
	// [Prior]); the prior's mean for 0 of 0, not valid when the rate is not
	// a proportion.
	Shrunk decimal.NullDecimal `json:"shrunk"`
}

// estimate fills a RateEstimate of r under prior at the settings' places
// and confidence.
func (s *settings) estimate(r Rate, prior Prior) RateEstimate {
	e := RateEstimate{Rate: r, Value: r.Decimal(s.places)}
	if r.checkProportion() != nil {
		return e
	}
	lo, hi := wilson(r, zScore(s.confidence))
	e.Wilson = &Interval{Lower: roundFloat(lo, s.places), Upper: roundFloat(hi, s.places)}
	e.Shrunk = decimal.NullDecimal{Decimal: roundFloat(shrink(r, prior), s.places), Valid: true}
	return e
}

// prior returns the prior of a set of groups' rates: the configured
// strength around the pooled rate, or the method-of-moments fit.
func (s *settings) prior(rates iter.Seq[Rate]) Prior {
	var props []Rate
	for r := range rates {
		if r.checkProportion() == nil {
			props = append(props, r)
		}
	}
	p, _ := FitPrior(slices.Values(props)) // every rate is a proportion
	if s.strength > 0 {
		p.Strength = s.strength
	}
	return p
}
