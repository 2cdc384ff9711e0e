package quota

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Split is one rep's share of a deal's credit, in percent: 50 for half,
// 33.33 for a third (with another share of 33.34 so that they sum to 100).
// A percentage has at most 38 places after the point, so that its share of
// the deal, a hundredth of it, has at most the 40 that the calculators
// take. The zero Split names no rep: [Credits] refuses it.
type Split struct {
	Rep     sp.RepID        `json:"rep"`
	Percent decimal.Decimal `json:"percent"`
}

// Credit is what a rep is credited with for a won deal: a part of its
// amount and the share of the deal, from 0 to 1, that counts toward a
// won-deal goal. The zero Credit names no rep and credits nothing.
type Credit struct {
	Rep    sp.RepID        `json:"rep"`
	Amount sp.Money        `json:"amount"`
	Share  decimal.Decimal `json:"share"`
}

var hundred = decimal.New(100, 0)

// Credits splits amount among the reps of splits by their percentages,
// which must be positive and sum to exactly 100. The credited amounts sum
// exactly to amount: they are allocated in minor units of its currency (or
// finer units, if amount carries more places) by
// [sp.Money.AllocateDecimal], the units left over by the
// proportional shares going to the largest remainders. Shares are the
// percentages divided by 100, exactly. Credits come in the order of
// splits.
//
// No splits, an invalid or repeated rep, a percentage that is not positive
// or has more than 38 places, percentages that do not sum to 100, or an
// invalid amount is an error wrapping [sp.ErrInvalid].
func Credits(amount sp.Money, splits []Split) ([]Credit, error) {
	out, err := credits(amount, splits)
	if err != nil {
		return nil, quotaErr("credits", err)
	}
	return out, nil
}

// credits is [Credits] with errors not prefixed, for the calculators that
// credit a deal and prefix their own.
func credits(amount sp.Money, splits []Split) ([]Credit, error) {
	parts, err := creditAmounts(amount, splits)
	if err != nil {
		return nil, err
	}
	return withShares(parts, splits), nil
}

// creditAmounts checks splits and allocates amount among them, in their
// order: the amounts of [Credits], without the shares.
func creditAmounts(amount sp.Money, splits []Split) ([]sp.Money, error) {
	if err := checkSplits(splits); err != nil {
		return nil, err
	}
	weights := make([]decimal.Decimal, len(splits))
	for i, s := range splits {
		weights[i] = s.Percent
	}
	parts, err := amount.AllocateDecimal(weights...)
	if err != nil {
		return nil, sp.InField("amount", err)
	}
	return parts, nil
}

// withShares returns the credits of splits with the amounts parts (none
// when parts is nil).
func withShares(parts []sp.Money, splits []Split) []Credit {
	out := make([]Credit, len(splits))
	for i, s := range splits {
		out[i] = Credit{Rep: s.Rep, Share: s.share()}
		if parts != nil {
			out[i].Amount = parts[i]
		}
	}
	return out
}

// share is the split's share of the deal, from 0 to 1: its percentage
// over 100, exactly.
func (s Split) share() decimal.Decimal { return s.Percent.Shift(-2) }

// dealCredits is [Credits] of deal d's amount by splits, with d named in
// the error. A deal without an amount is credited shares only, which is
// all a won-deal goal counts; a revenue goal refuses the missing amount
// when it is added.
func dealCredits(d *pipeline.Deal, splits []Split) ([]Credit, error) {
	parts, err := dealAmounts(d, splits)
	if err != nil {
		return nil, err
	}
	return withShares(parts, splits), nil
}

// dealAmounts is the amounts of [dealCredits], nil for a deal without an
// amount, whose splits it checks all the same.
func dealAmounts(d *pipeline.Deal, splits []Split) ([]sp.Money, error) {
	if d.Amount.IsUnset() {
		if err := checkSplits(splits); err != nil {
			return nil, fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err)
		}
		return nil, nil
	}
	parts, err := creditAmounts(d.Amount, splits)
	if err != nil {
		return nil, fmt.Errorf("deal %s: %w", sp.Quote(string(d.ID)), err)
	}
	return parts, nil
}

// checkSplits reports whether splits name distinct valid reps with
// positive percentages summing to exactly 100.
func checkSplits(splits []Split) error {
	if len(splits) == 0 {
		return sp.Invalid("splits", "none given")
	}
	// The index of each rep's split, to find a repeated rep among many
	// splits without comparing every pair; a few are compared.
	var index map[sp.RepID]int
	if len(splits) > 16 {
		index = make(map[sp.RepID]int, len(splits))
	}
	for i, s := range splits {
		// The field is written out only for an error: this runs for every
		// deal with splits.
		field := func() string { return fmt.Sprintf("splits[%d]", i) }
		if err := s.Rep.Validate(); err != nil {
			return sp.InField(field()+".rep", err)
		}
		j := -1
		if index != nil {
			if k, ok := index[s.Rep]; ok {
				j = k
			}
			index[s.Rep] = i
		} else {
			j = slices.IndexFunc(splits[:i], func(o Split) bool { return o.Rep == s.Rep })
		}
		if j >= 0 {
			return sp.Invalid(field()+".rep", "%q also has splits[%d]", s.Rep, j)
		}
		if err := sp.ValidateDecimal(s.Percent); err != nil {
			return sp.InField(field()+".percent", err)
		}
		if s.Percent.Sign() <= 0 {
			return sp.Invalid(field()+".percent", "%s is not positive", s.Percent)
		}
		if s.Percent.Exponent() < -maxPercentScale {
			return sp.Invalid(field()+".percent", "%s has more than %d places after the point", s.Percent, maxPercentScale)
		}
		if !below100(s.Percent) && s.Percent.GreaterThan(hundred) {
			return sp.Invalid(field()+".percent", "%s is more than 100", s.Percent)
		}
	}
	if !sumIs100(splits) {
		return sp.Invalid("splits", "percentages sum to %s, not 100", percentSum(splits))
	}
	return nil
}

// maxPercentScale bounds the places of a split's percentage, so that its
// share, a hundredth of it, has at most maxScale.
const maxPercentScale = maxScale - 2

// below100 reports whether the positive p is less than 100 by its digits
// alone (fewer than three before the point), as for the usual
// percentages, without the allocations of a decimal comparison.
func below100(p decimal.Decimal) bool {
	return p.NumDigits()+int(p.Exponent()) <= 2
}

// sumIs100 reports whether the percentages of splits, each positive and at
// most 100, sum to exactly 100. It adds them as 64-bit integers in units of
// their finest place when 100 in those units fits one, as for the usual
// percentages, and as decimals otherwise.
func sumIs100(splits []Split) bool {
	exp := int32(0)
	for _, s := range splits {
		exp = min(exp, s.Percent.Exponent())
	}
	if want, ok := scaledInt64(hundred, exp); ok {
		var sum int64
		for _, s := range splits {
			c, ok := scaledInt64(s.Percent, exp)
			if !ok || c > want-sum {
				return false // beyond 100 (want fits, so a part that does not exceeds it)
			}
			sum += c
		}
		return sum == want
	}
	return percentSum(splits).Equal(hundred)
}

// percentSum returns the sum of the percentages of splits, as decimals.
func percentSum(splits []Split) decimal.Decimal {
	var sum decimal.Decimal
	for _, s := range splits {
		sum = sum.Add(s.Percent)
	}
	return sum
}
