package salesprocess

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// Fraction is an exact ratio Num/Den of two integers, such as the share of a
// month a period covers (10/30) or a rate (7 won of 20 closed). It is kept
// as given, not reduced, so that a rate still says how many of how many;
// [Fraction.Reduce] gives lowest terms.
//
// A zero denominator means "undefined" (no data): such a Fraction is never
// NaN and never panics; [Fraction.Defined] reports it and [Fraction.Decimal]
// returns zero for it. The zero Fraction is 0/0, undefined.
type Fraction struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Defined reports whether the denominator is not zero.
func (f Fraction) Defined() bool { return f.Den != 0 }

// Decimal returns Num/Den rounded half away from zero to places decimal
// places (HalfUp), or zero when f is undefined. Places beyond 40 either way
// count as 40, as for [Money.RoundTo].
func (f Fraction) Decimal(places int32) decimal.Decimal {
	if f.Den == 0 {
		return decimal.Zero
	}
	places = max(-maxAmountDigits, min(places, maxAmountDigits))
	if c, ok := f.round64(places); ok {
		return decimal.New(c, -places)
	}
	return decimal.NewFromInt(f.Num).DivRound(decimal.NewFromInt(f.Den), places)
}

// round64 returns the coefficient of f.Decimal(places), whose exponent
// is -places, computed in 64-bit integers, and whether it could be: places
// from 0 to 18 and a result that fits in an int64. f must be defined.
func (f Fraction) round64(places int32) (int64, bool) {
	if places < 0 || places >= int32(len(pow10)) {
		return 0, false
	}
	num, den := absUint64(f.Num), absUint64(f.Den)
	hi, lo := bits.Mul64(num, uint64(pow10[places]))
	if hi >= den { // the quotient does not fit in 64 bits
		return 0, false
	}
	q, r := bits.Div64(hi, lo, den)
	if q > math.MaxInt64 { // and q+1 would not wrap past 2⁶⁴ below
		return 0, false
	}
	if r >= den-r { // 2r ≥ den: half away from zero
		q++
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	if (f.Num < 0) != (f.Den < 0) {
		return -int64(q), true
	}
	return int64(q), true
}

// absUint64 returns |x|, 2^63 for math.MinInt64.
func absUint64(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// UnmarshalJSON decodes a fraction from the JSON form [encoding/json] gives it;
// errors wrap [ErrInvalid] and name the field (see [DecodeJSON]).
func (f *Fraction) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(f); err != nil {
		return err
	}
	type plain Fraction
	return DecodeJSON("fraction", data, (*plain)(f))
}

// Cmp compares the values of two defined fractions exactly: -1, 0 or +1.
// An undefined fraction sorts before every defined one, and equal to
// another undefined one.
func (f Fraction) Cmp(g Fraction) int {
	switch {
	case f.Den == 0 || g.Den == 0:
		return cmpBool(f.Den != 0, g.Den != 0)
	}
	// Compare f.Num/f.Den with g.Num/g.Den exactly, without overflow.
	return new(big.Rat).SetFrac64(f.Num, f.Den).Cmp(new(big.Rat).SetFrac64(g.Num, g.Den))
}

// Reduce returns f in lowest terms with a positive denominator. An
// undefined f is returned unchanged, and so is one whose lowest terms do
// not fit in int64: -2^63/-1 and 1/-2^63 have no positive denominator form.
func (f Fraction) Reduce() Fraction {
	if f.Den == 0 {
		return f
	}
	r := new(big.Rat).SetFrac64(f.Num, f.Den)
	if !r.Num().IsInt64() || !r.Denom().IsInt64() {
		return f // only -MinInt64 does not fit; keep f as it is
	}
	return Fraction{Num: r.Num().Int64(), Den: r.Denom().Int64()}
}

// String returns "num/den".
func (f Fraction) String() string {
	return strconv.FormatInt(f.Num, 10) + "/" + strconv.FormatInt(f.Den, 10)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
