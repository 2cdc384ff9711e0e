package salesprocess

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Money is an exact decimal amount in one ISO 4217 [Currency].
//
// Money is an immutable value: every method returns a new Money and leaves
// its receiver alone, so Money is safe to copy and to share between
// goroutines. Arithmetic is exact; rounding happens only when asked for, with
// [Money.Round]. Amounts of different currencies never mix: arithmetic and
// comparison between them return an error wrapping [ErrCurrencyMismatch].
//
// Compare Money with [Money.Equal] or [Money.Cmp], never with ==: 12.3 EUR
// and 12.30 EUR are equal but differ in representation, and the amount
// holds a pointer, so that == tells apart even two Moneys read from the
// same text. For the same reason Money is no map key (nor is a struct that
// holds one): a lookup with an amount equal to a key finds nothing. Key a
// map by the text of [Money.String] instead, if need be; equal amounts
// written with more places (12.345 EUR and 12.3450 EUR) have different
// texts. encoding/json, besides, writes a Money map key by MarshalText but,
// before Go 1.27, reads it back by UnmarshalJSON
// (https://go.dev/issue/29732), which refuses the text with an error
// wrapping [ErrInvalid]; the encoding/json of Go 1.27 reads it by
// UnmarshalText.
//
// The zero Money has no currency and a zero amount. It is what an optional
// field holds when unset: it encodes as empty text and as JSON null, and
// both decode back to it. It mixes with no currency: adding it to an amount
// in EUR is a currency mismatch (two zero Moneys add up to the zero Money),
// and an [Accumulator] refuses it.
//
// An amount has at most 40 digits before and 40 after the decimal point, so
// that its text form stays bounded; constructors refuse larger amounts.
// Arithmetic does not: a sum of amounts near the bound, like a product of
// [Money.Mul], is exact beyond it, and [Money.Validate] and the text and
// JSON forms refuse it. Zero is zero whatever its exponent: a zero amount,
// given or computed, is kept with at most 40 places and none from a
// positive exponent (see [NewMoney]), so it is always within bounds.
//
// The text and JSON forms write the amount as [Money.String] does, with at
// least the currency's minor-unit places: they keep the currency and any
// finer places, but not a shorter exponent. 12.3 EUR is written "12.30" and
// reads back as 12.30 EUR, equal to it by [Money.Equal]; 12.345 EUR reads
// back as 12.345 EUR. Encoding the decoded value again gives the same bytes.
type Money struct {
	amount   decimal.Decimal
	currency Currency
	// coef and exp repeat amount as coef×10^exp when its coefficient has at
	// most 18 digits (small is then true), so that summing reads the amount
	// from the Money itself instead of chasing the decimal's pointer to a
	// big.Int: over a million deals that memory access, not the addition,
	// is the cost.
	coef  int64
	exp   int32
	small bool
}

// makeMoney returns amount in c with the inline copy of small amounts. Every
// Money this package makes goes through it.
func makeMoney(amount decimal.Decimal, c Currency) Money {
	amount = zeroInBounds(amount)
	m := Money{amount: amount, currency: c}
	if amount.NumDigits() <= 18 {
		m.coef, m.exp, m.small = amount.CoefficientInt64(), amount.Exponent(), true
	}
	return m
}

// maxAmountDigits bounds the digits of an amount on either side of the
// decimal point.
const maxAmountDigits = 40

// zeroInBounds returns d, but for a zero with a positive exponent, which it
// returns as 0, and a zero with more than maxAmountDigits places, which it
// returns with maxAmountDigits places: zero is zero whatever its exponent.
// Such a zero, written by a product or a rounding or given by a caller,
// would otherwise be scaled by 10^exponent when compared or rounded, or
// break the digit bounds. Any zero is made anew, so that a zero computed
// (whose big.Int keeps an empty slice of words) and one parsed (which has
// none) of the same text are alike to [reflect.DeepEqual], as other
// amounts of the same text are.
func zeroInBounds(d decimal.Decimal) decimal.Decimal {
	if !d.IsZero() {
		return d
	}
	return decimal.New(0, min(0, max(d.Exponent(), -maxAmountDigits)))
}

// NewMoney returns amount in currency c. The amount keeps its exponent:
// NewMoney of 12.3 formats as "12.30 EUR" (padded to the minor unit), of
// 12.345 as "12.345 EUR". Zero is zero whatever its exponent: a zero with a
// positive exponent is taken as 0, one with more than 40 places (0e-50) as
// zero with 40. An unknown currency, or an amount beyond the bounds
// documented on [Money], is an error wrapping [ErrInvalid].
func NewMoney(amount decimal.Decimal, c Currency) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	amount = zeroInBounds(amount)
	if err := checkAmount(amount); err != nil {
		return Money{}, err
	}
	return makeMoney(amount, c), nil
}

// NewMoneyFromMinor returns the amount of units minor units of currency c:
// 1234 EUR cents is 12.34 EUR, 1234 JPY is 1234 JPY, 1234 KWD fils is
// 1.234 KWD. An unknown currency is an error wrapping [ErrInvalid].
func NewMoneyFromMinor(units int64, c Currency) (Money, error) {
	mu, ok := c.MinorUnits()
	if !ok {
		return Money{}, c.Validate()
	}
	return makeMoney(decimal.New(units, -mu), c), nil
}

// ParseMoney parses the text form of Money: an amount in plain decimal
// notation (an optional leading '-', digits, and optionally '.' and more
// digits), one space, and an ISO 4217 code, as in "12.30 EUR" or "-5 JPY".
// Exponents, thousands separators, a leading '+' and other spacing are
// refused. Empty text is an error; use [Money.UnmarshalText] to accept it as
// the zero Money. Errors wrap [ErrInvalid].
func ParseMoney(s string) (Money, error) {
	amount, code, ok := strings.Cut(s, " ")
	if !ok {
		return Money{}, Invalid("money", "want \"<amount> <currency>\", got %s", Quote(s))
	}
	c, err := ParseCurrency(code)
	if err != nil {
		return Money{}, err
	}
	d, err := ParseAmount(amount)
	if err != nil {
		return Money{}, err
	}
	return makeMoney(d, c), nil
}

// ParseAmount parses a decimal amount in plain notation, the amount part of
// the text form of [Money]: an optional leading '-', at least one digit,
// and optionally a '.' followed by at least one digit, within the digit
// bounds documented on [Money]. Errors wrap [ErrInvalid].
func ParseAmount(s string) (decimal.Decimal, error) {
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(body, ".")
	switch {
	case !isDigits(intPart) || (hasPoint && !isDigits(frac)):
		return decimal.Decimal{}, Invalid("amount", "want plain decimal notation such as -12.30, got %s", Quote(s))
	case len(intPart) > maxAmountDigits || len(frac) > maxAmountDigits:
		return decimal.Decimal{}, Invalid("amount", "more than %d digits before or after the point", maxAmountDigits)
	}
	d, err := decimal.NewFromString(s)
	if err != nil { // unreachable after the checks above; kept as a guard
		return decimal.Decimal{}, Invalid("amount", "%v", err)
	}
	return d, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkAmount enforces the digit bounds documented on Money.
func checkAmount(d decimal.Decimal) error {
	if reason := beyondDigits(d); reason != "" {
		return Invalid("amount", "%s", reason)
	}
	return nil
}

// Quote quotes s, a caller's value, for an error message, as every package
// of this module does: escaped as by [strconv.Quote] (so that control
// characters and invalid UTF-8 show as escapes) and cut to 40 bytes, at the
// start of a character (or at 40 bytes where the bytes there are not
// UTF-8, which show as escapes), with "..." after a cut, so that a value of
// any length gives a short, printable message.
func Quote(s string) string {
	const max = 40
	if len(s) > max {
		// A character starts at most utf8.UTFMax-1 bytes before the
		// cut; bytes that are not UTF-8 are cut where they are.
		cut := max
		for cut > max-(utf8.UTFMax-1) && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if !utf8.RuneStart(s[cut]) {
			cut = max
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}

// Amount returns the decimal amount.
func (m Money) Amount() decimal.Decimal { return m.amount }

// Currency returns the currency; empty for the zero Money.
func (m Money) Currency() Currency { return m.currency }

// IsZero reports whether the amount is zero, whatever the currency.
func (m Money) IsZero() bool { return m.amount.IsZero() }

// IsUnset reports whether m is the zero Money, the value with no currency.
func (m Money) IsUnset() bool { return m.currency == "" && m.amount.IsZero() }

// Sign returns -1, 0 or +1 as the amount is negative, zero or positive.
func (m Money) Sign() int {
	if m.small { // no pointer to follow
		switch {
		case m.coef > 0:
			return 1
		case m.coef < 0:
			return -1
		}
		return 0
	}
	return m.amount.Sign()
}

// Validate reports whether m has a known currency and an amount within
// bounds. The zero Money is not valid; an optional field checks
// [Money.IsUnset] first.
func (m Money) Validate() error {
	if err := m.currency.Validate(); err != nil {
		return err
	}
	if m.small && m.exp >= -maxAmountDigits && m.exp <= maxAmountDigits-18 {
		// At most 18 digits, at most 40 places and at most 40 digits
		// before the point: within bounds, known from the inline copy
		// without reading the decimal's big.Int, which for amounts read
		// from many records is a miss of the cache each.
		return nil
	}
	return checkAmount(m.amount)
}

func mismatch(op string, a, b Currency) error {
	return fmt.Errorf("%s %q and %q: %w", op, a, b, ErrCurrencyMismatch)
}

// Add returns m + o. Different currencies give an error wrapping
// [ErrCurrencyMismatch].
func (m Money) Add(o Money) (Money, error) {
	if m.currency != o.currency {
		return Money{}, mismatch("add", m.currency, o.currency)
	}
	return makeMoney(m.amount.Add(o.amount), m.currency), nil
}

// Sub returns m - o. Different currencies give an error wrapping
// [ErrCurrencyMismatch].
func (m Money) Sub(o Money) (Money, error) {
	if m.currency != o.currency {
		return Money{}, mismatch("subtract", m.currency, o.currency)
	}
	return makeMoney(m.amount.Sub(o.amount), m.currency), nil
}

// Neg returns -m.
func (m Money) Neg() Money { return makeMoney(m.amount.Neg(), m.currency) }

// Abs returns |m|.
func (m Money) Abs() Money { return makeMoney(m.amount.Abs(), m.currency) }

// Mul returns m multiplied by factor, exactly: the result may carry more
// decimal places than the currency's minor unit; call [Money.Round] to get
// back to it.
//
// The factor is the caller's to check. A product beyond the digit bounds
// documented on [Money] is refused by [Money.Validate] and by the text and
// JSON forms; one whose exponent is far out of them (a factor such as
// decimal.New(1, -1000000000)) makes arithmetic and rounding on the result
// scale a number of that many digits, which takes minutes. Check factors that
// come from outside, as [NewMoney] checks amounts. A product whose exponent
// does not fit in 32 bits, which no decimal can hold, keeps its digits with
// the exponent at the nearest limit: never a valid amount, unless it is
// zero. A zero product is zero, within bounds, whatever the factor's
// exponent.
func (m Money) Mul(factor decimal.Decimal) Money {
	if exp := int64(m.amount.Exponent()) + int64(factor.Exponent()); exp < math.MinInt32 || exp > math.MaxInt32 {
		c := m.amount.Coefficient()
		c.Mul(c, factor.Coefficient())
		return makeMoney(decimal.NewFromBigInt(c, int32(max(math.MinInt32, min(exp, math.MaxInt32)))), m.currency)
	}
	return makeMoney(m.amount.Mul(factor), m.currency)
}

// Cmp compares m and o: -1 if m < o, 0 if equal, +1 if m > o. Different
// currencies give an error wrapping [ErrCurrencyMismatch].
func (m Money) Cmp(o Money) (int, error) {
	if m.currency != o.currency {
		return 0, mismatch("compare", m.currency, o.currency)
	}
	return m.amount.Cmp(o.amount), nil
}

// Equal reports whether m and o have the same currency and numerically
// equal amounts (12.3 EUR equals 12.30 EUR).
func (m Money) Equal(o Money) bool {
	return m.currency == o.currency && m.amount.Equal(o.amount)
}

// RoundingMode says how [Money.Round] resolves a digit exactly halfway
// between two minor units. Its text form is its name. The zero RoundingMode
// is unset: it encodes as empty text and back, and Validate refuses it.
type RoundingMode string

const (
	// HalfUp rounds halves away from zero: 0.125 → 0.13, -0.125 → -0.13.
	// It is the commercial rounding most invoices use.
	HalfUp RoundingMode = "half_up"
	// HalfEven rounds halves to the even neighbour (banker's rounding):
	// 0.125 → 0.12, 0.135 → 0.14. It has no bias over many roundings.
	HalfEven RoundingMode = "half_even"
)

var roundingModes = []RoundingMode{HalfUp, HalfEven}

// Validate reports whether m is a known rounding mode.
func (m RoundingMode) Validate() error { return CheckEnum("rounding mode", m, roundingModes...) }

// String returns m as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (m RoundingMode) String() string { return string(m) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown rounding mode is an error wrapping
// [ErrInvalid], as UnmarshalText would refuse it.
func (m RoundingMode) MarshalText() ([]byte, error) {
	return MarshalEnum("rounding mode", m, roundingModes...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [ErrInvalid]; empty text gives the zero RoundingMode.
func (m *RoundingMode) UnmarshalText(text []byte) error {
	return UnmarshalEnum("rounding mode", m, text, roundingModes...)
}

// Round returns m rounded to its currency's minor unit (2 places for EUR, 0
// for JPY) by mode; the result always carries exactly that many places.
// Rounding the zero Money, or by a mode other than [HalfUp] and [HalfEven],
// returns m unchanged.
func (m Money) Round(mode RoundingMode) Money {
	places, ok := m.currency.MinorUnits()
	if !ok {
		return m
	}
	return m.RoundTo(places, mode)
}

// RoundTo returns m rounded to places decimal places by mode. A mode other
// than [HalfUp] and [HalfEven] returns m unchanged. Places beyond the digit
// bounds documented on [Money] count as those bounds: rounding to 50 places
// rounds to 40.
func (m Money) RoundTo(places int32, mode RoundingMode) Money {
	places = max(-maxAmountDigits, min(places, maxAmountDigits))
	switch mode {
	case HalfUp:
		return makeMoney(m.amount.Round(places), m.currency)
	case HalfEven:
		return makeMoney(m.amount.RoundBank(places), m.currency)
	}
	return m
}

// appendText appends the amount as written in the text form to b. An
// amount of up to 18 digits is written from its inline copy, without the
// big.Int that formatting the decimal takes.
func (m Money) appendText(b []byte) []byte {
	scale := m.scale()
	if m.small {
		if v, ok := mulPow10(m.coef, scale+m.exp); ok {
			return appendFixed(b, v, int(scale))
		}
	}
	return append(b, m.amount.StringFixed(scale)...)
}

// appendFixed appends v / 10^scale to b with scale decimal places, as
// decimal.Decimal.StringFixed writes it: "-0.05", not "-.05".
func appendFixed(b []byte, v int64, scale int) []byte {
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = -u
	}
	var buf [20]byte
	digits := strconv.AppendUint(buf[:0], u, 10)
	if scale == 0 {
		return append(b, digits...)
	}
	if whole := len(digits) - scale; whole > 0 {
		b = append(b, digits[:whole]...)
		b = append(b, '.')
		return append(b, digits[whole:]...)
	}
	b = append(b, '0', '.')
	for range scale - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// scale is the number of decimal places m is written with: at least the
// currency's minor unit, more if the amount carries more.
func (m Money) scale() int32 {
	places, _ := m.currency.MinorUnits()
	if e := -m.amount.Exponent(); e > places {
		return e
	}
	return places
}

// String returns the text form, "12.30 EUR": the amount with at least as
// many decimal places as the currency's minor unit (more if the amount has
// more), a space and the code. The zero Money gives "". An amount beyond
// the digit bounds documented on [Money] (the product of [Money.Mul] by an
// unchecked factor) gives "!" and the reason, not its digits, which could
// be billions.
func (m Money) String() string {
	if m.IsUnset() {
		return ""
	}
	if err := checkAmount(m.amount); err != nil {
		return "!" + err.Error() + " " + string(m.currency)
	}
	b := make([]byte, 0, 24+len(m.currency))
	b = m.appendText(b)
	b = append(b, ' ')
	return string(append(b, m.currency...))
}

// MarshalText implements [encoding.TextMarshaler] with the form of
// [Money.String].
func (m Money) MarshalText() ([]byte, error) {
	if err := m.marshalable(); err != nil {
		return nil, err
	}
	return []byte(m.String()), nil
}

func (m Money) marshalable() error {
	if m.IsUnset() {
		return nil
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("salesprocess: marshal money: %w", err)
	}
	return nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] for the form of
// [ParseMoney]; empty text decodes to the zero Money. On error m is left
// unchanged.
func (m *Money) UnmarshalText(text []byte) error {
	if err := CheckTarget(m); err != nil {
		return err
	}
	if len(text) == 0 {
		*m = Money{}
		return nil
	}
	v, err := ParseMoney(string(text))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

type moneyJSON struct {
	Amount   *string `json:"amount"`
	Currency *string `json:"currency"`
}

// MarshalJSON encodes m as {"amount":"12.30","currency":"EUR"}: the amount
// as a string so that no JSON reader turns it into a float. The zero Money
// encodes as null.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.IsUnset() {
		return []byte("null"), nil
	}
	if err := m.marshalable(); err != nil {
		return nil, err
	}
	// Written out rather than by json.Marshal, which would look the
	// struct up by reflection: the amount's digits, '-' and '.' and a
	// valid code's three letters need no escaping, so the bytes are the
	// same.
	b := make([]byte, 0, len(`{"amount":"","currency":""}`)+24+len(m.currency))
	b = append(b, `{"amount":"`...)
	b = m.appendText(b)
	b = append(b, `","currency":"`...)
	b = append(b, m.currency...)
	return append(b, `"}`...), nil
}

// UnmarshalJSON decodes the form of [Money.MarshalJSON]. Both fields are
// required, the amount as a JSON string in the notation of [ParseAmount];
// null decodes to the zero Money. On error m is left unchanged; errors wrap
// [ErrInvalid].
func (m *Money) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(m); err != nil {
		return err
	}
	if isNull(data) {
		*m = Money{}
		return nil
	}
	if amount, code, ok := canonicalMoney(data); ok {
		return m.set(amount, code)
	}
	var raw moneyJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		const want = `{"amount":"12.30","currency":"EUR"}`
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field != "":
			return Invalid("money."+te.Field, "a JSON %s; want a string, as in %s", te.Value, want)
		case errors.As(err, &te):
			return Invalid("money", "a JSON %s; want an object, as in %s", te.Value, want)
		}
		return Invalid("money", "want %s: %v", want, err)
	}
	if raw.Amount == nil {
		return Invalid("money.amount", "missing")
	}
	if raw.Currency == nil {
		return Invalid("money.currency", "missing")
	}
	return m.set(*raw.Amount, *raw.Currency)
}

// set parses the members of the JSON form into m, leaving m unchanged on
// error.
func (m *Money) set(amount, code string) error {
	c, err := ParseCurrency(code)
	if err != nil {
		return InField("money", err)
	}
	d, err := ParseAmount(amount)
	if err != nil {
		return InField("money", err)
	}
	*m = makeMoney(d, c)
	return nil
}

// canonicalMoney returns the members of data when it is written exactly as
// MarshalJSON writes it, {"amount":"12.30","currency":"EUR"}, with an
// amount of digits, '-' and '.' and a code of capital letters, as a host
// reads back what it stored: for those bytes, decoding them as JSON gives
// the same strings, without the reflection it takes. Anything else (other
// spacing or order, escapes, other characters) is decoded as JSON.
func canonicalMoney(data []byte) (amount, code string, ok bool) {
	const open, mid, end = `{"amount":"`, `","currency":"`, `"}`
	if len(data) < len(open)+len(mid)+len(end) || string(data[:len(open)]) != open || string(data[len(data)-len(end):]) != end {
		return "", "", false
	}
	rest := data[len(open) : len(data)-len(end)]
	i := 0
	for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '-' || rest[i] == '.') {
		i++
	}
	a, rest := rest[:i], rest[i:]
	if len(rest) < len(mid) || string(rest[:len(mid)]) != mid {
		return "", "", false
	}
	c := rest[len(mid):]
	for _, b := range c {
		if b < 'A' || b > 'Z' {
			return "", "", false
		}
	}
	return string(a), string(c), true
}
