package salesprocess

import (
	"cmp"
	"math/big"
	"math/bits"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// Allocate splits m into len(weights) parts proportional to weights that
// sum exactly to m. Each part is a whole number of the allocation unit: the
// currency's minor unit, or a finer unit if m itself carries more decimal
// places. The units that proportional shares leave over are handed out one
// each by the largest remainder (the Hamilton method), ties going to the
// earlier weight, so the result is deterministic:
//
//	100.00 EUR by 1, 1, 1 → 33.34, 33.33, 33.33
//	1.00 EUR by 1, 2      → 0.33, 0.67
//
// A negative amount is split as its absolute value and every part negated.
// Zero weights get zero parts. No weights, a negative weight, or weights
// that are all zero give an error wrapping [ErrInvalid], as does the zero
// Money.
func (m Money) Allocate(weights ...int64) ([]Money, error) {
	if len(weights) == 0 {
		return nil, Invalid("weights", "none given")
	}
	for i, w := range weights {
		if w < 0 {
			return nil, Invalid("weights", "weight %d is negative (%d)", i, w)
		}
	}
	small := make([]uint64, len(weights))
	for i, w := range weights {
		small[i] = uint64(w)
	}
	if out, ok := m.allocate64(small); ok {
		return out, nil
	}
	ws := make([]*big.Int, len(weights))
	for i, w := range weights {
		ws[i] = big.NewInt(w)
	}
	return m.allocate(ws)
}

// AllocateDecimal is [Money.Allocate] with decimal weights, such as
// percentages with decimals (33.5, 66.5) or monthly shares of a year
// (0.07, 0.08, ...). The weights need not sum to anything in particular; the
// parts are proportional to them. Each weight must lie within the digit
// bounds documented on Money (see [ValidateDecimal]): a larger or finer one
// is an error wrapping [ErrInvalid], as a negative one is. A zero weight is
// zero whatever its exponent, as for [NewMoney].
func (m Money) AllocateDecimal(weights ...decimal.Decimal) ([]Money, error) {
	if len(weights) == 0 {
		return nil, Invalid("weights", "none given")
	}
	minExp := int32(0)
	for i, w := range weights {
		w = zeroInBounds(w) // a zero weight is zero whatever its exponent
		// Bounds first: the message of a negative weight writes it out.
		if err := checkAmount(w); err != nil {
			return nil, Invalid("weights", "weight %d out of bounds", i)
		}
		if w.Sign() < 0 {
			return nil, Invalid("weights", "weight %d is negative (%s)", i, w)
		}
		minExp = min(minExp, w.Exponent())
	}
	if small, ok := smallWeights(weights, minExp); ok {
		if out, ok := m.allocate64(small); ok {
			return out, nil
		}
	}
	ws := make([]*big.Int, len(weights))
	for i, w := range weights {
		// Scale every weight to the same exponent so that they become
		// integers with the same ratios.
		w = zeroInBounds(w)
		c := w.Coefficient()
		ws[i] = c.Mul(c, pow10Big(w.Exponent()-minExp))
	}
	return m.allocate(ws)
}

func (m Money) allocate(weights []*big.Int) ([]Money, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	total := new(big.Int)
	for _, w := range weights {
		total.Add(total, w)
	}
	if total.Sign() == 0 {
		return nil, Invalid("weights", "all zero")
	}

	// units is |m| in allocation units, an integer.
	scale := m.scale()
	units := m.amount.Coefficient()
	units.Mul(units, pow10Big(m.amount.Exponent()+scale))
	negative := units.Sign() < 0
	units.Abs(units)

	type share struct {
		index int
		rem   *big.Int
	}
	parts := make([]*big.Int, len(weights))
	shares := make([]share, len(weights))
	given := new(big.Int)
	for i, w := range weights {
		q, r := new(big.Int), new(big.Int)
		q.QuoRem(new(big.Int).Mul(units, w), total, r)
		parts[i] = q
		shares[i] = share{index: i, rem: r}
		given.Add(given, q)
	}
	// The leftover is smaller than len(weights): each share lost less than
	// one unit to truncation.
	left := new(big.Int).Sub(units, given).Int64()
	sort.SliceStable(shares, func(a, b int) bool { return shares[a].rem.Cmp(shares[b].rem) > 0 })
	for i := int64(0); i < left; i++ {
		p := parts[shares[i].index]
		p.Add(p, big.NewInt(1))
	}

	out := make([]Money, len(parts))
	for i, p := range parts {
		if negative {
			p.Neg(p)
		}
		out[i] = makeMoney(decimal.NewFromBigInt(p, -scale), m.currency)
	}
	return out, nil
}

// smallWeights returns the weights, whose least exponent is minExp, as
// the integers with the same ratios that [Money.AllocateDecimal] gives
// [Money.allocate], and whether each fits in an int64.
func smallWeights(weights []decimal.Decimal, minExp int32) ([]uint64, bool) {
	ws := make([]uint64, len(weights))
	for i, w := range weights {
		w = zeroInBounds(w)
		if w.NumDigits() > 18 {
			return nil, false
		}
		c, ok := mulPow10(w.CoefficientInt64(), w.Exponent()-minExp)
		if !ok {
			return nil, false
		}
		ws[i] = uint64(c)
	}
	return ws, true
}

// allocate64 is [Money.allocate] in 64-bit integers, for a valid m whose
// amount in allocation units fits in an int64 and weights whose total
// fits in a uint64, with the same results; ok is false, and nothing done,
// for any other m or weights, and for weights that are all zero, which
// allocate reports.
func (m Money) allocate64(weights []uint64) (out []Money, ok bool) {
	if !m.small || m.Validate() != nil {
		return nil, false
	}
	var total, carry uint64
	for _, w := range weights {
		if total, carry = bits.Add64(total, w, 0); carry != 0 {
			return nil, false
		}
	}
	if total == 0 {
		return nil, false
	}
	scale := m.scale()
	units, ok := mulPow10(m.coef, m.exp+scale)
	if !ok {
		return nil, false
	}
	negative := units < 0
	u := uint64(units)
	if negative {
		u = -u // 2^63 for math.MinInt64, as it should be
	}
	type share struct {
		part, rem uint64
		index     int
	}
	shares := make([]share, len(weights))
	given := uint64(0)
	for i, w := range weights {
		// u·w/total ≤ u, so the quotient fits and Div64 cannot panic.
		hi, lo := bits.Mul64(u, w)
		q, r := bits.Div64(hi, lo, total)
		shares[i] = share{part: q, rem: r, index: i}
		given += q
	}
	slices.SortStableFunc(shares, func(a, b share) int { return cmp.Compare(b.rem, a.rem) })
	for i := uint64(0); i < u-given; i++ { // fewer than len(weights), as in allocate
		shares[i].part++
	}
	out = make([]Money, len(shares))
	for _, s := range shares {
		// s.part ≤ u: an int64 but for 2^63, whose negation int64 wraps to
		// math.MinInt64, which it is.
		p := int64(s.part)
		if negative {
			p = -p
		}
		out[s.index] = makeMoney(decimal.New(p, -scale), m.currency)
	}
	return out, true
}

// pow10Big returns 10^n for n ≥ 0.
func pow10Big(n int32) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
