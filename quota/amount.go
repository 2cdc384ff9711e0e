package quota

import (
	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

// Metric is what a goal counts. Its text form is its name. The zero Metric
// is unset: it encodes as empty text and back, and Validate refuses it.
type Metric string

// The metrics of a goal.
const (
	// MetricRevenue counts the amount of won deals, as [sp.Money].
	MetricRevenue Metric = "revenue"
	// MetricWonDeals counts won deals. Under split credit a rep is credited
	// with a share of a deal, so counts may be fractional.
	MetricWonDeals Metric = "won_deals"
)

// Amount is a quantity of a goal's metric: revenue as Money for a revenue
// goal, or a number of won deals for a count goal. Exactly one of the two
// is in use, as [Amount.Metric] tells: a count has the zero Money, and the
// count of a revenue amount is zero. The zero Amount is a count of zero.
//
// Amount is a value; its JSON form is {"money":{...},"deals":"0"} for
// revenue and {"money":null,"deals":"3.5"} for a count.
type Amount struct {
	Money sp.Money        `json:"money"`
	Deals decimal.Decimal `json:"deals"`
}

// Metric returns [MetricRevenue] when a holds money and [MetricWonDeals]
// otherwise.
func (a Amount) Metric() Metric {
	if a.Money.IsUnset() {
		return MetricWonDeals
	}
	return MetricRevenue
}

// Sign returns -1, 0 or +1 as a is negative, zero or positive.
func (a Amount) Sign() int {
	if a.Metric() == MetricRevenue {
		return a.Money.Sign()
	}
	return a.Deals.Sign()
}

// Equal reports whether a and b are of the same metric (and currency) and
// numerically equal.
func (a Amount) Equal(b Amount) bool {
	return a.Money.Equal(b.Money) && a.Deals.Equal(b.Deals)
}

// String returns the money's text form ("1200.00 EUR") or the count
// followed by "deals" ("3.5 deals").
func (a Amount) String() string {
	if a.Metric() == MetricRevenue {
		return a.Money.String()
	}
	return a.Deals.String() + " deals"
}

// validate reports whether a is well formed: a valid amount of money and
// no count, or a count within the bounds of [checkScale]. Errors name the
// fields below field.
func (a Amount) validate(field string) error {
	if a.Metric() == MetricWonDeals {
		// The field is joined only for an error.
		if err := sp.ValidateDecimal(a.Deals); err != nil {
			return sp.InField(field+".deals", err)
		}
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

// value returns the number of a, whatever its metric.
func (a Amount) value() decimal.Decimal {
	if a.Metric() == MetricRevenue {
		return a.Money.Amount()
	}
	return a.Deals
}

// withValue returns an Amount of a's metric and currency holding v.
func (a Amount) withValue(v decimal.Decimal) Amount {
	if a.Metric() == MetricRevenue {
		m, _ := sp.NewMoney(v, a.Money.Currency()) // the currency is valid
		return Amount{Money: m}
	}
	return Amount{Deals: v}
}

// sub returns a − b; different metrics or currencies are an error wrapping
// [sp.ErrCurrencyMismatch] or [sp.ErrInvalid].
func (a Amount) sub(b Amount) (Amount, error) {
	if a.Metric() != b.Metric() {
		return Amount{}, sp.Invalid("amount", "%s and %s are of different metrics", a, b)
	}
	if a.Metric() == MetricRevenue {
		m, err := a.Money.Sub(b.Money)
		return Amount{Money: m}, err
	}
	return Amount{Deals: a.Deals.Sub(b.Deals)}, nil
}

// countPlaces is the number of decimal places of derived deal counts
// (expected and projected counts), rounded half-up.
const countPlaces = 2

// tally sums Amounts of one metric and currency exactly: money with an
// [sp.Accumulator], counts as whole deals plus the fractional
// credit of split deals.
type tally struct {
	revenue bool
	money   sp.Accumulator
	whole   int64
	frac    decimal.Decimal
}

func newTally(metric Metric, c sp.Currency) tally {
	return tally{revenue: metric == MetricRevenue, money: sp.NewAccumulator(c)}
}

// add adds a; an amount of another metric or currency is an error.
func (t *tally) add(a Amount) error {
	if t.revenue {
		if a.Metric() != MetricRevenue {
			return sp.Invalid("amount", "a count of deals added to revenue")
		}
		return t.money.Add(a.Money)
	}
	if a.Metric() != MetricWonDeals {
		return sp.Invalid("amount", "revenue added to a count of deals")
	}
	t.addDeals(a.Deals)
	return nil
}

// addDeals adds a count, fast when it is whole.
func (t *tally) addDeals(n decimal.Decimal) {
	if n.IsInteger() && n.Abs().LessThan(decimal.New(1, 15)) {
		x := n.IntPart()
		if s := t.whole + x; (s^t.whole)&(s^x) >= 0 { // no overflow
			t.whole = s
			return
		}
	}
	t.frac = t.frac.Add(n)
}

// total returns the sum.
func (t *tally) total() Amount {
	if t.revenue {
		return Amount{Money: t.money.Total()}
	}
	return Amount{Deals: t.frac.Add(decimal.NewFromInt(t.whole))}
}

// maxScale bounds the places quota rounds to, as [sp.ValidateDecimal]
// bounds the digits of the decimals it takes.
const maxScale = 40

// checkScale reports an error wrapping [sp.ErrInvalid] that names
// field unless d is within the digit bounds of [sp.ValidateDecimal]. Call it
// before anything compares, formats or computes with a decimal from the
// caller: comparing 1e-1000000000 with 1 would write out a billion digits.
func checkScale(field string, d decimal.Decimal) error {
	return sp.InField(field, sp.ValidateDecimal(d))
}
