package salesprocess

import (
	"iter"
	"math"
	"unsafe"

	"github.com/shopspring/decimal"
)

// Accumulator sums amounts of one currency exactly and fast: amounts whose
// decimal coefficient fits in 18 digits (every realistic price, deal or
// goal) are added as scaled 64-bit integers, with no allocation and no
// [decimal.Decimal.Add]; the rare amount that does not fit, or a sum that
// would overflow, spills into an exact decimal. The total is exact either
// way.
//
// The zero Accumulator is empty and ready to use; it takes its currency from
// the first amount added (or from [NewAccumulator]). An Accumulator is not
// safe for concurrent use; give each goroutine its own and [Accumulator.Merge]
// them. A nil *Accumulator reads as an empty one (Count, Currency and Total)
// and refuses Add and Merge.
type Accumulator struct {
	currency Currency
	sum      int64           // the fast part of the total, in units of 10^exp
	exp      int32           // exponent of sum
	spill    decimal.Decimal // the part of the total that did not fit in sum
	count    int
}

// NewAccumulator returns an empty Accumulator for currency c, so that the
// total of no amounts is zero in c and an amount in another currency is
// refused from the first. It does not check c: for an unknown code the
// total is zero in that code, a Money that [Money.Validate] refuses, and
// for the empty code the Accumulator is the zero one. [Sum] checks c.
func NewAccumulator(c Currency) Accumulator { return Accumulator{currency: c} }

// pow10 holds 10^0 .. 10^18, every power of ten an int64 holds.
var pow10 = [...]int64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
}

// Add adds m to the total. An amount of another currency than the
// accumulator's (the zero Money included) is refused with an error wrapping
// [ErrCurrencyMismatch], and the total is unchanged. A nil a is an error
// wrapping [ErrInvalid].
func (a *Accumulator) Add(m Money) error {
	// The usual amount, small, of the sum's currency and at its exponent,
	// takes the short way; add does the rest.
	if a != nil && m.small && m.exp == a.exp && sameCurrency(m.currency, a.currency) {
		if s := a.sum + m.coef; (s^a.sum)&(s^m.coef) >= 0 { // no overflow
			a.sum = s
			a.count++
			return nil
		}
	}
	return a.add(m)
}

func (a *Accumulator) add(m Money) error {
	if a == nil {
		return Invalid("", "cannot add to a nil *salesprocess.Accumulator")
	}
	if m.currency != a.currency || m.currency == "" {
		if a.currency != "" || m.currency == "" {
			return mismatch("add", a.currency, m.currency)
		}
		a.currency = m.currency
	}
	a.count++
	c, e := m.coef, m.exp
	if !m.small {
		d := m.amount
		if d.NumDigits() > 18 {
			a.spill = a.spill.Add(d)
			return nil
		}
		c, e = d.CoefficientInt64(), d.Exponent()
	}
	if a.sum == 0 {
		// A zero sum is zero at any exponent: take the amount's.
		a.exp = e
	}
	switch {
	case e > a.exp:
		// Scale the amount down to the sum's exponent.
		var ok bool
		if c, ok = mulPow10(c, e-a.exp); !ok {
			a.spill = a.spill.Add(m.amount)
			return nil
		}
	case e < a.exp:
		// Rescale the sum to the amount's finer exponent.
		s, ok := mulPow10(a.sum, a.exp-e)
		if !ok {
			a.flush()
			a.exp = e
			s = 0
		}
		a.sum, a.exp = s, e
	}
	if s, ok := addInt64(a.sum, c); ok {
		a.sum = s
		return nil
	}
	a.flush()
	a.sum = c
	return nil
}

// sameCurrency reports whether a and b are the same known currency, without
// a call when they share their bytes, as the currency of amounts read from
// one source usually does.
func sameCurrency(a, b Currency) bool {
	return len(a) == len(b) && len(a) > 0 &&
		(unsafe.StringData(string(a)) == unsafe.StringData(string(b)) || a == b)
}

// flush moves the fast part of the total into spill.
func (a *Accumulator) flush() {
	if a.sum != 0 {
		a.spill = a.spill.Add(decimal.New(a.sum, a.exp))
		a.sum = 0
	}
}

// mulPow10 returns x*10^n and whether it fits in an int64.
func mulPow10(x int64, n int32) (int64, bool) {
	if x == 0 {
		return 0, true
	}
	if n < 0 || n >= int32(len(pow10)) {
		return 0, false
	}
	p := pow10[n]
	if x > math.MaxInt64/p || x < math.MinInt64/p {
		return 0, false
	}
	return x * p, true
}

// addInt64 returns x+y and whether it did not overflow.
func addInt64(x, y int64) (int64, bool) {
	s := x + y
	return s, (x >= 0) != (y >= 0) || (s >= 0) == (x >= 0)
}

// Merge adds the total of b into a, as if every amount added to b had been
// added to a. Different currencies are refused with an error wrapping
// [ErrCurrencyMismatch]; a nil or empty b is always accepted. A nil a is an
// error wrapping [ErrInvalid], whatever b.
func (a *Accumulator) Merge(b *Accumulator) error {
	if a == nil {
		return Invalid("", "cannot merge into a nil *salesprocess.Accumulator")
	}
	if b == nil || b.count == 0 {
		return nil
	}
	if a.currency == "" && a.count == 0 {
		a.currency = b.currency
	}
	if a.currency != b.currency {
		return mismatch("merge", a.currency, b.currency)
	}
	a.count += b.count
	a.spill = a.spill.Add(b.spill)
	if b.sum != 0 {
		a.spill = a.spill.Add(decimal.New(b.sum, b.exp))
	}
	return nil
}

// Count returns how many amounts were added, 0 for a nil a.
func (a *Accumulator) Count() int {
	if a == nil {
		return 0
	}
	return a.count
}

// Currency returns the currency of the total; empty while the zero
// Accumulator has seen no amount, and for a nil a.
func (a *Accumulator) Currency() Currency {
	if a == nil {
		return ""
	}
	return a.currency
}

// Total returns the exact sum. With no amounts it is zero in the
// accumulator's currency, or the zero Money if it has none, as it is for a
// nil a.
func (a *Accumulator) Total() Money {
	if a == nil || a.currency == "" {
		return Money{}
	}
	return makeMoney(a.spill.Add(decimal.New(a.sum, a.exp)), a.currency)
}

// Sum returns the exact sum of the amounts of seq, all in currency c, using
// an [Accumulator]. An empty sequence, or a nil one, sums to zero in c. An
// amount in another currency stops the sum with an error wrapping
// [ErrCurrencyMismatch]; an unknown c is an error wrapping [ErrInvalid].
func Sum(c Currency, seq iter.Seq[Money]) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	acc := NewAccumulator(c)
	if seq == nil {
		return acc.Total(), nil
	}
	for m := range seq {
		if err := acc.Add(m); err != nil {
			return Money{}, err
		}
	}
	return acc.Total(), nil
}
