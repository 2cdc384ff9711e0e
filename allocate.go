package salesprocess

import (
	"math/big"
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
	ws := make([]*big.Int, len(weights))
	for i, w := range weights {
		if w < 0 {
			return nil, Invalid("weights", "weight %d is negative (%d)", i, w)
		}
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

// pow10Big returns 10^n for n ≥ 0.
func pow10Big(n int32) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
