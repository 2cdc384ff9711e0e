package salesprocess_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// The fuzz targets check that no parser panics, that every error wraps
// ErrInvalid, and that what parses formats to a text that parses back to an
// equal value and formats the same again; FuzzParsePeriod checks too that
// a period's neighbours and months are adjacent to it, and that its months'
// coverage adds up to it.

var moneySeeds = []string{
	"12.30 EUR", "-5 JPY", "0.125 USD", "-0.00 EUR", "007.50 GBP", "1.2300 KWD",
	strings.Repeat("9", 40) + "." + strings.Repeat("9", 40) + " CLF",
	"", "12.30", "12.30 eur", "1 XTS", "EUR 12.30", "12.30  EUR", "+1 EUR", "1e3 EUR",
	"1,000.00 EUR", ".5 EUR", "5. EUR", "--5 EUR", "- EUR", "NaN EUR", " 1 EUR",
	strings.Repeat("1", 41) + " EUR", "0." + strings.Repeat("1", 41) + " EUR",
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := sp.ParseMoney(s)
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.True(t, m.IsUnset())
			return
		}
		require.NoError(t, m.Validate())
		text := m.String()
		back, err := sp.ParseMoney(text)
		require.NoError(t, err, "format of %q is %q", s, text)
		require.True(t, back.Equal(m), "%q → %q → %s", s, text, back)
		require.Equal(t, text, back.String(), "format is stable")

		var u sp.Money
		require.NoError(t, u.UnmarshalText([]byte(s)))
		require.True(t, u.Equal(m))
		marshaled, err := m.MarshalText()
		require.NoError(t, err)
		require.Equal(t, text, string(marshaled))

		data, err := json.Marshal(m)
		require.NoError(t, err)
		var j sp.Money
		require.NoError(t, json.Unmarshal(data, &j), "%s", data)
		require.True(t, j.Equal(m))
		require.Equal(t, text, j.String())
	})
}

func FuzzMoneyUnmarshalText(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		before := sp.Money{}
		m := before
		if err := m.UnmarshalText(text); err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.True(t, m.Equal(before), "a failed decode leaves the value")
			return
		}
		out, err := m.MarshalText()
		require.NoError(t, err)
		var back sp.Money
		require.NoError(t, back.UnmarshalText(out))
		require.True(t, back.Equal(m))
		again, err := back.MarshalText()
		require.NoError(t, err)
		require.Equal(t, string(out), string(again))
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"0", "-0", "12.30", "-0.001", "007", strings.Repeat("9", 40), "1e5", "", "-", ".", "1.", ".1", "1.2.3", "+1", "١٢", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := sp.ParseAmount(s)
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			return
		}
		text := d.String()
		back, err := sp.ParseAmount(text)
		require.NoError(t, err, "format of %q is %q", s, text)
		require.True(t, back.Equal(d))
		require.Equal(t, text, back.String())
		// What ParseAmount accepts is within the bounds of Money.
		_, err = sp.NewMoney(d, "EUR")
		require.NoError(t, err)
	})
}

func FuzzParseCurrency(f *testing.F) {
	for _, s := range []string{"EUR", "JPY", "KWD", "CLF", "eur", "XTS", "XAU", "", "EUR ", "EURO", strings.Repeat("A", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := sp.ParseCurrency(s)
		var u sp.Currency = "USD"
		uerr := u.UnmarshalText([]byte(s))
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.Empty(t, c)
			_, ok := sp.Currency(s).MinorUnits()
			require.False(t, ok)
			if s != "" {
				require.ErrorIs(t, uerr, sp.ErrInvalid)
				require.Equal(t, sp.Currency("USD"), u, "a failed decode leaves the value")
			}
			return
		}
		require.NoError(t, uerr)
		require.Equal(t, c, u)
		require.Equal(t, s, c.String())
		text, err := c.MarshalText()
		require.NoError(t, err)
		require.Equal(t, s, string(text))
		places, ok := c.MinorUnits()
		require.True(t, ok)
		require.True(t, places >= 0 && places <= 4)
	})
}

func FuzzMoneyUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"amount":"12.30","currency":"EUR"}`, `{"amount":"-0.125","currency":"KWD"}`, `null`, ` null `,
		`{"amount":12.30,"currency":"EUR"}`, `{"currency":"EUR"}`, `{"amount":"1"}`, `{"amount":null,"currency":"EUR"}`,
		`{"amount":"1","currency":"EURO"}`, `{"amount":"1e2","currency":"EUR"}`, `"12.30 EUR"`, `[]`, `{`, ``,
		`{"AMOUNT":"1","Currency":"JPY"}`, `{"amount":"1","currency":"EUR","extra":true}`,
		"\fnull", "null\u00a0", "\u0085{\"amount\":\"1\",\"currency\":\"EUR\"}",
	} {
		f.Add([]byte(s))
	}
	before, err := sp.ParseMoney("1.50 EUR")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		m := before
		if err := m.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.True(t, m.Equal(before), "a failed decode leaves the value")
			return
		}
		// A direct call sees what json.Unmarshal would refuse before
		// calling it, and refuses it too.
		require.True(t, json.Valid(data), "%q is not JSON", data)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		var back sp.Money
		require.NoError(t, json.Unmarshal(out, &back), "%s", out)
		require.True(t, back.Equal(m))
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(out), string(again))
	})
}

var periodSeeds = []string{
	"2026", "2026-Q4", "2026-11", "2026-W48", "2026-W53", "2026-11[Europe/Berlin]", "2026[UTC]",
	"2026-11-03/2026-11-17", "2026-11-03/2026-11-17[Asia/Tokyo]", "2026-11-01/2026-12-01",
	"2026-11-03T09:30:00+01:00/2026-11-03T17:00:00.123456789+01:00[Europe/Berlin]",
	"2026-10-25T02:30:00+02:00/2026-10-25T02:10:00+01:00[Europe/Berlin]",
	"0001", "9999", "9999-W52", "0001-W01", "0000", "2026-13", "2026-Q5", "2027-W53", "2026-11-17/2026-11-03",
	"2026-02-30/2026-03-03", "2026[Mars/Olympus]", "2026[]", "2026]", "2026[[UTC]]", "2026[Local]", "2026[../etc]",
	"0001-01-01T00:00:00Z/0001-01-02T00:00:00Z[America/New_York]", "",
	// Clocks spring forward at midnight, or skip a whole day.
	"2023-10[America/Asuncion]", "2023-Q4[America/Asuncion]", "2023-10-01/2023-10-02[America/Asuncion]",
	"2011-12-29/2011-12-31[Pacific/Apia]", "2011-12-30/2011-12-31[Pacific/Apia]", "2011-12[Pacific/Apia]",
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range periodSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := sp.ParsePeriod(s)
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.True(t, p.IsZero())
			return
		}
		require.True(t, p.Start().Before(p.End()), "parsed period %q is empty", s)
		text, err := p.MarshalText()
		require.NoError(t, err, "parsed %q", s)
		require.NoError(t, p.Validate(), "parsed %q", s)
		require.Equal(t, p.String(), string(text))
		back, err := sp.ParsePeriod(string(text))
		require.NoError(t, err, "format of %q is %q", s, text)
		require.True(t, back.Equal(p), "%q → %q → %s", s, text, back)
		require.Equal(t, string(text), back.String(), "format is stable")
		require.Equal(t, p.Kind(), back.Kind())

		// The derived values do not panic either.
		_ = p.Days()
		_ = p.Coverage(p)

		// The next and previous periods are adjacent to p and not empty;
		// a calendar period's are of its kind, and step back to p.
		next, prev := p.Next(), p.Prev()
		// Validate refuses what MarshalText refuses, with its error: a
		// neighbour may reach past the years 1 to 9999.
		for _, n := range []sp.Period{next, prev} {
			_, merr := n.MarshalText()
			if verr := n.Validate(); verr == nil || merr == nil {
				require.Equal(t, merr == nil, verr == nil, "%s: marshal %v, validate %v", n, merr, verr)
			} else {
				require.ErrorIs(t, verr, sp.ErrInvalid)
				require.Equal(t, "salesprocess: marshal period: "+verr.Error(), merr.Error())
			}
		}
		require.True(t, next.Start().Equal(p.End()) && next.Start().Before(next.End()), "%s: next %s", p, next)
		require.True(t, prev.End().Equal(p.Start()) && prev.Start().Before(prev.End()), "%s: previous %s", p, prev)
		if k := p.Kind(); k != sp.KindCustom {
			require.Equal(t, k, next.Kind(), "%s: next %s", p, next)
			require.Equal(t, k, prev.Kind(), "%s: previous %s", p, prev)
			require.True(t, next.Prev().Equal(p) && prev.Next().Equal(p), "%s: next %s, previous %s", p, next, prev)
		}

		// The months of p are not empty and cover it end to end, each
		// within one calendar month. p covers all of itself, and its
		// months' shares of it add up to it (where the shares are exact,
		// for spans short of centuries), unless daylight saving folds it
		// to nothing.
		whole := p.Coverage(p)
		exact := whole.Defined() && p.End().Before(p.Start().AddDate(250, 0, 0))
		require.True(t, !whole.Defined() || whole == sp.Fraction{Num: 1, Den: 1}, "%s covers %s of itself", p, whole)
		at, sum := p.Start(), new(big.Rat)
		for m := range p.Months() {
			require.True(t, m.Start().Equal(at) && m.Start().Before(m.End()), "%s: month %s after %s", p, m, at)
			require.False(t, m.End().After(sp.MonthOf(m.Start()).End()), "%s: month %s", p, m)
			at = m.End()
			if c := p.Coverage(m); exact {
				require.True(t, c.Defined() && c.Num >= 0 && c.Num <= c.Den, "%s: month %s covers %s", p, m, c)
				sum.Add(sum, big.NewRat(c.Num, c.Den))
			}
		}
		require.True(t, at.Equal(p.End()), "%s: the months end at %s", p, at)
		require.True(t, !exact || sum.Cmp(big.NewRat(1, 1)) == 0, "%s: its months cover %s of it", p, sum)
	})
}

func FuzzPeriodUnmarshalText(f *testing.F) {
	for _, s := range periodSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		before := sp.Year(2026, nil)
		p := before
		if err := p.UnmarshalText(text); err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.True(t, p.Equal(before), "a failed decode leaves the value")
			return
		}
		out, err := p.MarshalText()
		require.NoError(t, err)
		var back sp.Period
		require.NoError(t, back.UnmarshalText(out))
		require.True(t, back.Equal(p))
		again, err := back.MarshalText()
		require.NoError(t, err)
		require.Equal(t, string(out), string(again), "format is stable")
	})
}

func FuzzRegionUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"de","name":"Germany","time_zone":"Europe/Berlin","manager":"m1"}`, `{"id":"x","name":"X"}`,
		`{"id":"x","name":"X","time_zone":"UTC"}`, `{"time_zone":"Local"}`, `null`, `{"time_zone":"Mars/Base"}`,
		`{"time_zone":"../../etc/passwd"}`, `"x"`, `{"id":1}`, `{`, `{"id":"\u00ff\ud800"}`, "\vnull", "\u00a0null",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := sp.Region{ID: "keep"}
		if err := r.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.Equal(t, sp.RegionID("keep"), r.ID, "a failed decode leaves the value")
			return
		}
		require.True(t, json.Valid(data), "%q is not JSON", data)
		out, err := json.Marshal(r)
		require.NoError(t, err)
		var back sp.Region
		require.NoError(t, json.Unmarshal(out, &back), "%s", out)
		require.Equal(t, r.ID, back.ID)
		require.Equal(t, r.Name, back.Name)
		require.Equal(t, r.Manager, back.Manager)
		require.Equal(t, r.Loc().String(), back.Loc().String())
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(out), string(again))
	})
}

// enumValue is what the enum types of the root package have in common.
type enumValue interface {
	MarshalText() ([]byte, error)
	UnmarshalText([]byte) error
	Validate() error
}

func FuzzEnumUnmarshalText(f *testing.F) {
	for _, s := range []string{"rep", "manager", "admin", "system", "field_visit", "phone", "online", "retail",
		"partner", "wholesale", "quality", "price", "missing_feature", "delivery", "service", "other",
		"customer", "field_test", "half_up", "half_even", "month", "quarter", "year", "week", "custom",
		"", "Rep", " rep", "king", "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		// Each starts as a valid value, so that a refusal that clears it
		// shows.
		role, kind, cat, src, mode, pk := sp.RoleRep, sp.ChannelPhone, sp.FeedbackQuality, sp.FromCustomer, sp.HalfUp, sp.KindMonth
		for _, v := range []enumValue{&role, &kind, &cat, &src, &mode, &pk} {
			before := stringOf(v)
			err := v.UnmarshalText(text)
			if err != nil {
				require.ErrorIs(t, err, sp.ErrInvalid)
				require.Equal(t, before, stringOf(v), "a failed decode leaves the value")
				continue
			}
			require.Equal(t, string(text), stringOf(v))
			if len(text) > 0 {
				require.NoError(t, v.Validate())
			}
			// What decodes marshals, and its text decodes back to the
			// same value, into a value that held another.
			out, err := v.MarshalText()
			require.NoError(t, err, "%T %q decodes but does not marshal", v, text)
			back := reflect.New(reflect.TypeOf(v).Elem())
			back.Elem().SetString("prior")
			require.NoError(t, back.Interface().(enumValue).UnmarshalText(out), "%T %q marshals to %q, which does not decode", v, text, out)
			require.Equal(t, stringOf(v), back.Elem().String(), "%T %q does not round-trip through %q", v, text, out)
		}
	})
}

// weightsFrom turns fuzz bytes into weights: single bytes (small weights,
// often zero, often tied) when the first byte is even, else 8-byte
// non-negative integers (huge weights); at most 64 weights.
func weightsFrom(b []byte) []int64 {
	if len(b) == 0 {
		return nil
	}
	var ws []int64
	if b[0]%2 == 0 {
		for _, x := range b[1:] {
			ws = append(ws, int64(x%8))
		}
	} else {
		for b = b[1:]; len(b) >= 8; b = b[8:] {
			ws = append(ws, int64(binary.LittleEndian.Uint64(b)&math.MaxInt64))
		}
	}
	if len(ws) > 64 {
		ws = ws[:64]
	}
	return ws
}

var fuzzCurrencies = []sp.Currency{"EUR", "JPY", "KWD", "CLF"}

func FuzzAllocate(f *testing.F) {
	f.Add(int64(10000), uint8(2), uint8(0), []byte{0, 1, 1, 1})
	f.Add(int64(-10000), uint8(2), uint8(0), []byte{0, 1, 0, 2, 0})
	f.Add(int64(100), uint8(0), uint8(1), []byte{0, 1, 1, 1})
	f.Add(int64(math.MaxInt64), uint8(7), uint8(2), []byte{1, 255, 255, 255, 255, 255, 255, 255, 127, 1, 0, 0, 0, 0, 0, 0, 0})
	f.Add(int64(math.MinInt64), uint8(3), uint8(3), []byte{0, 7, 7, 7, 7, 7, 7, 7})
	f.Add(int64(1), uint8(2), uint8(0), []byte{0, 0, 0})
	f.Add(int64(0), uint8(2), uint8(0), []byte{0, 3})
	f.Add(int64(5), uint8(2), uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, units int64, places uint8, cur uint8, weightBytes []byte) {
		c := fuzzCurrencies[int(cur)%len(fuzzCurrencies)]
		m, err := sp.NewMoney(decimal.New(units, -int32(places%10)), c)
		require.NoError(t, err)
		ws := weightsFrom(weightBytes)

		parts, err := m.Allocate(ws...)
		total := new(big.Int)
		for _, w := range ws {
			total.Add(total, big.NewInt(w))
		}
		if len(ws) == 0 || total.Sign() == 0 {
			require.ErrorIs(t, err, sp.ErrInvalid)
			return
		}
		require.NoError(t, err)
		require.Len(t, parts, len(ws))

		// The parts sum exactly to the amount.
		sum, err := sp.Sum(c, slices.Values(parts))
		require.NoError(t, err)
		require.True(t, sum.Equal(m), "parts sum to %s, want %s", sum, m)

		// Each part is within one allocation unit of its exact share, has
		// the amount's sign (or is zero), and is zero for a zero weight.
		minor, _ := c.MinorUnits()
		scale := max(minor, -m.Amount().Exponent())
		unit := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
		amount := m.Amount().Rat()
		for i, p := range parts {
			require.Equal(t, c, p.Currency())
			share := new(big.Rat).Mul(amount, new(big.Rat).SetFrac(big.NewInt(ws[i]), total))
			diff := new(big.Rat).Sub(p.Amount().Rat(), share)
			require.Negative(t, diff.Abs(diff).Cmp(unit), "part %d is %s, exact share %s", i, p, share.FloatString(int(scale)+2))
			require.True(t, p.Sign() == 0 || p.Sign() == m.Sign(), "part %d is %s of %s", i, p, m)
			if ws[i] == 0 {
				require.True(t, p.IsZero(), "part %d of weight 0 is %s", i, p)
			}
		}

		// The split is deterministic.
		again, err := m.Allocate(ws...)
		require.NoError(t, err)
		require.Equal(t, moneyStrings(parts), moneyStrings(again))

		// Decimal weights with the same ratios split the same way.
		dws := make([]decimal.Decimal, len(ws))
		for i, w := range ws {
			dws[i] = decimal.New(w, -3)
		}
		byDecimal, err := m.AllocateDecimal(dws...)
		require.NoError(t, err)
		require.Equal(t, moneyStrings(parts), moneyStrings(byDecimal))

		// Decimal weights of mixed exponents, whose ratios differ from
		// the integers': the parts still sum exactly, each within one
		// unit of its exact share.
		mixed := make([]decimal.Decimal, len(ws))
		mixedTotal := new(big.Rat)
		for i, w := range ws {
			mixed[i] = decimal.New(w, -int32(i%7))
			mixedTotal.Add(mixedTotal, mixed[i].Rat())
		}
		byMixed, err := m.AllocateDecimal(mixed...)
		if mixedTotal.Sign() == 0 {
			require.ErrorIs(t, err, sp.ErrInvalid)
			return
		}
		require.NoError(t, err)
		require.Len(t, byMixed, len(ws))
		sum, err = sp.Sum(c, slices.Values(byMixed))
		require.NoError(t, err)
		require.True(t, sum.Equal(m), "parts by %v sum to %s, want %s", mixed, sum, m)
		for i, p := range byMixed {
			share := new(big.Rat).Mul(amount, new(big.Rat).Quo(mixed[i].Rat(), mixedTotal))
			diff := new(big.Rat).Sub(p.Amount().Rat(), share)
			require.Negative(t, diff.Abs(diff).Cmp(unit), "part %d by weight %s is %s, exact share %s", i, mixed[i], p, share.FloatString(int(scale)+2))
		}
	})
}

// amountsFrom turns fuzz bytes into amounts in EUR: each takes a control
// byte and 8 bytes of coefficient. The control byte picks the exponent
// (-20 to +11) and, with its top bits, whether to widen the coefficient
// beyond 18 digits or keep it small; so the amounts mix exponents, cross
// the int64 range and overflow int64 sums.
func amountsFrom(tb testing.TB, b []byte) []sp.Money {
	tb.Helper()
	var ms []sp.Money
	for ; len(b) >= 9 && len(ms) < 256; b = b[9:] {
		ctl := b[0]
		coef := int64(binary.LittleEndian.Uint64(b[1:9]))
		exp := int32(ctl&31) - 20
		d := decimal.New(coef, exp)
		switch ctl >> 6 {
		case 1: // more than 18 digits: spill into the exact decimal
			d = d.Mul(decimal.New(coef|1, 0))
		case 2: // cents, as most amounts are
			d = decimal.New(coef%1_000_000_00, -2)
		}
		m, err := sp.NewMoney(d, "EUR")
		if err != nil {
			continue // beyond the bounds of Money
		}
		ms = append(ms, m)
	}
	return ms
}

func FuzzAccumulator(f *testing.F) {
	maxInt := binary.LittleEndian.AppendUint64(nil, math.MaxInt64)
	minInt := binary.LittleEndian.AppendUint64(nil, 1<<63)
	f.Add(slices.Concat([]byte{20}, maxInt, []byte{20}, maxInt, []byte{20}, maxInt))
	f.Add(slices.Concat([]byte{20}, minInt, []byte{20}, minInt))
	f.Add(slices.Concat([]byte{0}, maxInt, []byte{31}, maxInt, []byte{84}, maxInt))
	f.Add(slices.Concat([]byte{128}, maxInt, []byte{128}, minInt, []byte{18}, []byte{1, 0, 0, 0, 0, 0, 0, 0}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ms := amountsFrom(t, data)
		acc := sp.NewAccumulator("EUR")
		var half1, half2 sp.Accumulator
		for i, m := range ms {
			require.NoError(t, acc.Add(m))
			if i%2 == 0 {
				require.NoError(t, half1.Add(m))
			} else {
				require.NoError(t, half2.Add(m))
			}
		}
		want := decimalSum(ms)
		got := acc.Total()
		require.True(t, got.Amount().Equal(want), "Accumulator %s, decimal.Add %s", got.Amount(), want)
		require.Equal(t, len(ms), acc.Count())

		sum, err := sp.Sum("EUR", slices.Values(ms))
		require.NoError(t, err)
		require.True(t, sum.Amount().Equal(want))

		require.NoError(t, half1.Merge(&half2))
		if len(ms) > 0 {
			assert.True(t, half1.Total().Amount().Equal(want), "merged %s, decimal.Add %s", half1.Total().Amount(), want)
			assert.Equal(t, len(ms), half1.Count())
		}
	})
}

// FuzzParsePeriodIn parses in each of a few default locations, fixed zones
// under any name and "Local" among them: what parses is not empty; in a
// location that cannot leave the process, Validate refuses it naming the
// field "period", with the error MarshalText wraps; otherwise Validate
// accepts it, and it lies in the years of its text form and round-trips.
func FuzzParsePeriodIn(f *testing.F) {
	for i, s := range periodSeeds {
		f.Add(s, uint8(i))
	}
	// The default locations, and whether a period in each can leave the
	// process: a fixed zone only under the name of the IANA zone of its
	// offset, and not the machine's "Local".
	locs := []struct {
		loc *time.Location
		ok  bool
	}{
		{nil, true}, {time.UTC, true}, {location(f, "Europe/Berlin"), true}, {location(f, "Pacific/Kiritimati"), true},
		{location(f, "America/St_Johns"), true}, {time.FixedZone("Etc/GMT-1", 3600), true},
		{time.FixedZone("XYZ", 3600), false}, {time.FixedZone("Europe/Berlin", 3600), false},
		{time.FixedZone("", -7200), false}, {machineLocal, false},
	}
	for i, s := range periodSeeds {
		if !strings.Contains(s, "[") {
			f.Add(s, uint8(6+i%4)) // without a location of its own, in one that cannot leave
		}
	}
	f.Fuzz(func(t *testing.T, s string, l uint8) {
		z := locs[int(l)%len(locs)]
		loc := z.loc
		p, err := sp.ParsePeriodIn(s, loc)
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, "period", ve.Field)
			return
		}
		require.True(t, p.Start().Before(p.End()))
		// Validate refuses what MarshalText refuses, with its error: the
		// period in a location that cannot leave the process, unless its
		// text named its own.
		_, merr := p.MarshalText()
		verr := p.Validate()
		if z.ok || p.Location() != loc {
			require.NoError(t, verr, "%q in %s", s, p.Location())
		} else {
			require.Error(t, verr, "%q in %s", s, p.Location())
			require.ErrorIs(t, verr, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, verr, &ve)
			require.Equal(t, "period", ve.Field)
			require.Error(t, merr)
			require.Equal(t, "salesprocess: marshal period: "+verr.Error(), merr.Error())
			return
		}
		// The text form names every location but UTC, so it parses back
		// by ParsePeriod, whose default is UTC.
		text, err := p.MarshalText()
		require.NoError(t, err, "parsed %q", s)
		back, err := sp.ParsePeriod(string(text))
		require.NoError(t, err, "format of %q is %q", s, text)
		require.True(t, back.Equal(p), "%q → %q → %s", s, text, back)
	})
}

// FuzzValidateID checks the identifier rules: what passes is 1 to
// MaxIDLength bytes of printable UTF-8 without surrounding space, and
// what fails wraps ErrInvalid with a short message.
func FuzzValidateID(f *testing.F) {
	for _, s := range []string{"rep-1", "", " a", "a ", "a\x00", "\xff", "Müller", strings.Repeat("x", 129), "a\u200bb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := sp.RepID(s).Validate()
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			require.Less(t, len(err.Error()), 300, "the message quotes the ID briefly")
			return
		}
		require.NotEmpty(t, s)
		require.LessOrEqual(t, len(s), sp.MaxIDLength)
		require.True(t, utf8.ValidString(s))
		require.Equal(t, strings.TrimSpace(s), s)
	})
}

// FuzzEntityJSON decodes arbitrary JSON into each entity type: no decoder
// panics, every error wraps ErrInvalid, and a value that decodes and
// validates encodes to JSON that decodes to the same value.
func FuzzEntityJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"r1","name":"Ana","region":"north","hired":"2026-01-05T00:00:00Z"}`,
		`{"id":"p1","name":"Widget","owner":"pm","price":{"amount":"12.30","currency":"EUR"}}`,
		`{"id":"c1","name":"Phone","kind":"phone"}`,
		`{"id":"k1","name":"Fall","channel":"c1","period":"2026-11[Europe/Berlin]","budget":{"amount":"1","currency":"JPY"}}`,
		`{"id":"cu1","name":"Acme","locality":"Köln","region":"de"}`,
		`{"id":"f1","product":"p1","rating":4,"category":"quality","source":"field_test","locality":"Köln","time":"2026-11-02T09:00:00Z"}`,
		`{"id":"e1","type":"t","time":"2026-11-02T09:00:00+01:00","actor":"a","subject":"s","data":{"x":[1]}}`,
		`{"id":"m1","role":"manager","regions":["north","south"]}`,
		`{"num":1,"den":3}`, `{"id":"de","name":"Germany","time_zone":"Europe/Berlin"}`,
		`{"hired":"10000-01-01T00:00:00Z"}`, `{"rating":1e400}`, `{"period":"2026[Local]"}`, `{`, `null`, `[]`, `"x"`,
		"null\f", "\u2028null",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzJSON(t, data, func(r sp.Rep) error { return r.Validate() })
		fuzzJSON(t, data, func(p sp.Product) error { return p.Validate() })
		fuzzJSON(t, data, func(c sp.Channel) error { return c.Validate() })
		fuzzJSON(t, data, func(c sp.Campaign) error { return c.Validate() })
		fuzzJSON(t, data, func(c sp.Customer) error { return c.Validate() })
		fuzzJSON(t, data, func(fb sp.Feedback) error { return fb.Validate() })
		fuzzJSON(t, data, func(e sp.Event) error { return e.Validate() })
		fuzzJSON(t, data, func(a sp.Actor) error { return a.Validate() })
		fuzzJSON(t, data, func(r sp.Region) error { return r.Validate() })
		fuzzJSON(t, data, func(sp.Fraction) error { return nil })
	})
}

// fuzzJSON decodes data into a T with its UnmarshalJSON method and checks
// the contract of FuzzEntityJSON, and that what the method takes is JSON,
// as json.Unmarshal, which checks it before calling the method, would
// take it.
func fuzzJSON[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte, validate func(T) error) {
	t.Helper()
	var v T
	if err := P(&v).UnmarshalJSON(data); err != nil {
		require.ErrorIs(t, err, sp.ErrInvalid, "%T", v)
		require.True(t, reflect.ValueOf(v).IsZero(), "%T: a failed decoding changed the value", v)
		return
	}
	require.True(t, json.Valid(data), "%T: %q is not JSON", v, data)
	if validate(v) != nil {
		return
	}
	out, err := json.Marshal(v)
	require.NoError(t, err, "a valid %T marshals", v)
	var back T
	require.NoError(t, json.Unmarshal(out, &back), "%T: %s", v, out)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.JSONEq(t, string(out), string(again), "%T round-trips", v)
}

// FuzzMoneyArithmetic multiplies, rounds and formats amounts by factors
// of any exponent: nothing panics, a valid result formats and parses back
// and rounds, by Round and by RoundTo to places of either sign, to what
// exact rational arithmetic gives, and an invalid one formats briefly.
func FuzzMoneyArithmetic(f *testing.F) {
	f.Add(int64(-125), int32(-3), int64(1), int32(0), uint8(0))
	f.Add(int64(135), int32(-3), int64(1), int32(0), uint8(0))
	f.Add(int64(-12345), int32(-1), int64(1), int32(0), uint8(254))
	f.Add(int64(5), int32(-41), int64(1), int32(0), uint8(41))
	f.Add(int64(1234), int32(-2), int64(3), int32(-1), uint8(0))
	f.Add(int64(1), int32(0), int64(7), int32(math.MaxInt32), uint8(1))
	f.Add(int64(-5), int32(-40), int64(1), int32(math.MinInt32), uint8(2))
	f.Add(int64(0), int32(5), int64(0), int32(math.MaxInt32), uint8(3))
	f.Add(int64(math.MinInt64), int32(0), int64(math.MinInt64), int32(0), uint8(3))
	f.Fuzz(func(t *testing.T, coef int64, exp int32, fcoef int64, fexp int32, cur uint8) {
		c := fuzzCurrencies[int(cur)%len(fuzzCurrencies)]
		m, err := sp.NewMoney(decimal.New(coef, exp), c)
		if err != nil {
			require.ErrorIs(t, err, sp.ErrInvalid)
			return
		}
		p := m.Mul(decimal.New(fcoef, fexp))
		s := p.String()
		if p.Validate() != nil {
			require.True(t, strings.HasPrefix(s, "!"), s)
			require.Less(t, len(s), 200)
			_, err := p.MarshalText()
			require.ErrorIs(t, err, sp.ErrInvalid)
			return
		}
		back, err := sp.ParseMoney(s)
		require.NoError(t, err, "%s", s)
		require.True(t, back.Equal(p))
		// Rounding gives the nearest multiple of the unit, a half away
		// from zero or to the even neighbour; places beyond 40 either way
		// count as 40.
		places := max(-40, min(int32(int8(cur)), 40))
		for _, mode := range []sp.RoundingMode{sp.HalfUp, sp.HalfEven} {
			r := p.Round(mode)
			minor, _ := c.MinorUnits()
			require.Equal(t, -minor, r.Amount().Exponent())
			want := roundRat(p.Amount().Rat(), minor, mode == sp.HalfEven)
			require.Zero(t, r.Amount().Rat().Cmp(want), "%s rounds %s to %s, want %s", mode, p, r, want.FloatString(int(minor)))
			r = p.RoundTo(int32(int8(cur)), mode)
			want = roundRat(p.Amount().Rat(), places, mode == sp.HalfEven)
			require.Zero(t, r.Amount().Rat().Cmp(want), "%s rounds %s to %d places as %s, want %s", mode, p, int8(cur), r, want.RatString())
			require.Equal(t, c, r.Currency())
		}
		sum, err := p.Add(m)
		require.NoError(t, err)
		diff, err := sum.Sub(m)
		require.NoError(t, err)
		require.True(t, diff.Equal(p))
	})
}

// roundRat returns x rounded to places decimal places (negative: tens,
// hundreds, ...), a half away from zero, or to the even neighbour if even.
func roundRat(x *big.Rat, places int32, even bool) *big.Rat {
	unit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(places))), nil))
	if places > 0 {
		unit.Inv(unit)
	}
	q := new(big.Rat).Quo(x, unit)
	// n is q truncated toward zero, frac what is left, |frac| < 1.
	n := new(big.Int).Quo(q.Num(), q.Denom())
	frac := new(big.Rat).Sub(q, new(big.Rat).SetInt(n))
	half := big.NewRat(1, 2)
	away := false
	switch c := new(big.Rat).Abs(frac).Cmp(half); {
	case c > 0:
		away = true
	case c == 0:
		away = !even || n.Bit(0) == 1
	}
	if away {
		n.Add(n, big.NewInt(int64(frac.Sign())))
	}
	return new(big.Rat).Mul(new(big.Rat).SetInt(n), unit)
}

func abs32(x int32) int64 {
	if x < 0 {
		return -int64(x)
	}
	return int64(x)
}

// FuzzDurationText checks that the text of every Duration, the bounds
// included, reads back as the same Duration, as text, as JSON and as the
// JSON integer of nanoseconds that encoding/json writes for a
// time.Duration.
func FuzzDurationText(f *testing.F) {
	for _, n := range []int64{0, 1, -1, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, math.MaxInt64 - 1,
		int64(24 * time.Hour), int64(1500 * time.Microsecond), 999_999_999, -1_000_000_001} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		d := sp.Duration(n)
		text, err := d.MarshalText()
		require.NoError(t, err)
		require.Equal(t, time.Duration(n).String(), string(text))
		back := sp.Duration(n ^ 1)
		require.NoError(t, back.UnmarshalText(text), "%d", n)
		require.Equal(t, d, back, "%q", text)

		data, err := json.Marshal(d)
		require.NoError(t, err)
		back = sp.Duration(n ^ 1)
		require.NoError(t, json.Unmarshal(data, &back), "%s", data)
		require.Equal(t, d, back, "%s", data)

		back = sp.Duration(n ^ 1)
		require.NoError(t, back.UnmarshalJSON([]byte(strconv.FormatInt(n, 10))))
		require.Equal(t, d, back)
	})
}

// FuzzDurationUnmarshal decodes arbitrary bytes as a Duration's text and
// JSON: an error wraps ErrInvalid and changes nothing; what decodes
// writes a text that decodes to the same Duration.
func FuzzDurationUnmarshal(f *testing.F) {
	for _, s := range []string{"24h", "1h30m", "1.5h", "-0", "0", "+5s", ".5s", "5.s", "300µs", "1e3s", "",
		"24", "2562047h47m16.854775807s", "-2562047h47m16.854775808s", "2562047h47m16.854775808s",
		`"24h"`, `"24h`, `86400000000000`, `-9223372036854775808`, `9223372036854775808`, `1.5`, `1e9`,
		`null`, `true`, `{}`, `[]`, `"\u0031h"`, ` 7 `, `-`, `--1`, `01`, "\fnull", "\v7", "\u00a0\"24h\""} {
		f.Add([]byte(s))
	}
	const prior = sp.Duration(-42)
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, decode := range map[string]func(*sp.Duration) error{
			"text": func(d *sp.Duration) error { return d.UnmarshalText(data) },
			"json": func(d *sp.Duration) error { return d.UnmarshalJSON(data) },
		} {
			d := prior
			if err := decode(&d); err != nil {
				require.ErrorIs(t, err, sp.ErrInvalid, name)
				require.Equal(t, prior, d, "%s: a failed decoding changed the value", name)
				continue
			}
			if name == "json" {
				require.True(t, json.Valid(data), "%q is not JSON", data)
			}
			text, err := d.MarshalText()
			require.NoError(t, err)
			back := prior
			require.NoError(t, back.UnmarshalText(text), "%s %q wrote %q", name, data, text)
			require.Equal(t, d, back, "%s %q wrote %q", name, data, text)
			again, err := back.MarshalText()
			require.NoError(t, err)
			require.Equal(t, string(text), string(again))
		}
	})
}

// FuzzDecodeJSONStrict decodes arbitrary JSON as a host's configuration
// (strictConfig, which has every shape a member can take) into a held
// value. It checks: an error wraps ErrInvalid with a ValidationError
// naming "config" or a member below it, and leaves the value as it was;
// DecodeJSONStrict takes a document exactly when oracleConfig, decoded by
// encoding/json told to disallow unknown fields and refusing a field or a
// map key decoded twice, does (for JSON that DecodeJSON's other checks
// leave alone), and then to the value DecodeJSON gives; and what DecodeJSON
// takes and DecodeJSONStrict refuses is refused as an unknown field or as
// given twice.
func FuzzDecodeJSONStrict(f *testing.F) {
	for _, s := range []string{
		`{"region":"north","name":"a","nested":{"name":"n","limit":2},"items":[{"name":"i"}],"grid":[[{"name":"g"}]],` +
			`"by_key":{"k":{"name":"m"}},"ptr":{"name":"p"},"limits":{"max":3,"levels":[{"at":1}]},"price":{"amount":"1.50","currency":"EUR"}}`,
		`{"NAME":"a","Region":"r","Nested":{"Limit":2}}`, `{"name":"a","nmae":"b"}`, `{"grid":[[{"name":"g"}],[{},{"x":1}]]}`,
		`{"by_key":{"k":{"name":"m"},"l":{"nam":"m"}}}`, `{"limits":{"levels":[{"at":1},{"at":2,"to":3}]}}`, `{"Hook":null}`,
		`{"private":1}`, "{\"na me\\n\":1}", `{"price":{"amount":"1","currency":"EUR","note":"x"}}`, `{"name":1,"x":2}`,
		`{"ptr":null,"items":null,"by_key":{"a":null}}`, `null`, `[]`, `{`, `{"name":"\u017f"}`, `{"ſtrict":1}`,
		`{"name":"a","NAME":"b"}`, `{"items":[{},{"limit":1,"Limit":2}]}`, `{"by_key":{"k":{},"k":null}}`,
		`{"by_num":{"1":{},"01":{}}}`, `{"by_code":{"EUR":1,"eur":1}}`, `{"extra":[{"a":1,"b":{"a":1,"a":2}}]}`,
		`{"limits":{"max":1,"MAX":2}}`, `{"region":"a","REGION":"b"}`, `{"price":{"amount":"1","amount":"2","currency":"EUR"}}`,
		`{"by_num":{"1":{},"-1":{},"+1":{}}}`, `{"extra":{"a":1},"EXTRA":null}`, "\fnull", "null\u0085",
	} {
		f.Add([]byte(s))
	}
	held := func() strictConfig { return strictConfig{Name: "held", Limits: strictLimits{Max: 9}} }
	f.Fuzz(func(t *testing.T, data []byte) {
		strict := held()
		errStrict := sp.DecodeJSONStrict("config", data, &strict)
		lenient := held()
		errLenient := sp.DecodeJSON("config", data, &lenient)
		if errStrict != nil {
			require.ErrorIs(t, errStrict, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, errStrict, &ve)
			require.True(t, ve.Field == "config" || strings.HasPrefix(ve.Field, "config.") || strings.HasPrefix(ve.Field, "config["),
				"field %q: %v", ve.Field, errStrict)
			require.True(t, reflect.DeepEqual(held(), strict), "a failed decoding changed the value: %v", errStrict)
			if errLenient == nil {
				require.True(t, ve.Reason == "unknown field" || strings.Contains(ve.Reason, "given twice"),
					"what DecodeJSON takes is refused only as unknown or given twice: %v", errStrict)
			}
		} else {
			require.NoError(t, errLenient, "what DecodeJSONStrict takes, DecodeJSON takes")
			require.True(t, reflect.DeepEqual(lenient, strict), "the two decodings differ")
		}
		if !json.Valid(data) {
			require.Error(t, errLenient, "%q is not JSON", data)
			return
		}
		if errLenient != nil {
			return
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		var oracle oracleConfig
		errOracle := dec.Decode(&oracle)
		require.Equal(t, errOracle == nil, errStrict == nil, "oracle: %v; DecodeJSONStrict: %v", errOracle, errStrict)
	})
}

// oracleConfig is strictConfig as an oracle of DecodeJSONStrict decodes
// it: each field, at every depth DecodeJSONStrict checks, is an oracleOnce,
// which encoding/json decodes anew for each member it matches to the field
// and which refuses a second, and each map an oracleMap, which refuses a
// key that encoding/json would store under the key of one before it. So
// that the oracle shares nothing with DecodeJSONStrict, encoding/json
// alone says which member goes to which field and what key a map stores.
type oracleConfig struct {
	oracleEmbedded
	Name   oracleOnce[string]                                `json:"name"`
	Nested oracleOnce[oracleSettings]                        `json:"nested"`
	Items  oracleOnce[[]oracleSettings]                      `json:"items,omitempty"`
	Grid   oracleOnce[[][]oracleSettings]                    `json:"grid,omitempty"`
	ByKey  oracleOnce[oracleMap[string, oracleSettings]]     `json:"by_key,omitempty"`
	Ptr    oracleOnce[*oracleSettings]                       `json:"ptr,omitempty"`
	Limits oracleOnce[oracleLimits]                          `json:"limits"`
	Price  oracleOnce[sp.Money]                              `json:"price"`
	ByNum  oracleOnce[oracleMap[int, oracleSettings]]        `json:"by_num,omitempty"`
	ByCode oracleOnce[oracleMap[foldedKey, oracleOnce[int]]] `json:"by_code,omitempty"`
	Extra  oracleOnce[oracleAny]                             `json:"extra,omitempty"`
	Hook   func()                                            `json:"-"`
	//lint:ignore U1000 encoding/json decodes no unexported field, which is the point
	private int
}

type oracleEmbedded struct {
	Region oracleOnce[string] `json:"region"`
}

type oracleSettings struct {
	Name  oracleOnce[string] `json:"name"`
	Limit oracleOnce[int]    `json:"limit,omitempty"`
}

type oracleLimits struct {
	Max    oracleOnce[int]           `json:"max"`
	Levels oracleOnce[[]oracleLevel] `json:"levels,omitempty"`
}

type oracleLevel struct {
	At oracleOnce[int] `json:"at"`
}

// oracleOnce is a field of the oracle: it decodes a T by encoding/json, told to
// disallow unknown fields, and refuses to be decoded a second time.
type oracleOnce[T any] struct {
	v    T
	seen bool
}

func (o *oracleOnce[T]) UnmarshalJSON(data []byte) error {
	if o.seen {
		return errors.New("given twice")
	}
	o.seen = true
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(&o.v)
}

// oracleMap is a map of the oracle: it decodes each member's key alone
// into a map[K] by encoding/json, and refuses a key already stored.
type oracleMap[K comparable, V any] map[K]V

func (m *oracleMap[K, V]) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	tok, err := dec.Token()
	if err != nil || tok == nil {
		return err // null
	}
	if tok != json.Delim('{') {
		return errors.New("not an object")
	}
	out := oracleMap[K, V]{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		quoted, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		var one map[K]bool
		if err := json.Unmarshal([]byte("{"+string(quoted)+":true}"), &one); err != nil || len(one) != 1 {
			return fmt.Errorf("key %s: %v", quoted, err)
		}
		for k := range one {
			if _, twice := out[k]; twice {
				return fmt.Errorf("key %s given twice", quoted)
			}
			var v V
			if err := dec.Decode(&v); err != nil {
				return err
			}
			out[k] = v
		}
	}
	*m = out
	return nil
}

// oracleAny is a free-form member of the oracle: any JSON in which no
// object has a key twice, as encoding/json spells it.
type oracleAny struct{}

func (oracleAny) UnmarshalJSON(data []byte) error {
	var walk func(v any) error
	walk = func(v any) error {
		switch v := v.(type) {
		case oracleObject:
			seen := map[string]bool{}
			for _, m := range v {
				if seen[m.key] {
					return fmt.Errorf("key %q given twice", m.key)
				}
				seen[m.key] = true
				if err := walk(m.value); err != nil {
					return err
				}
			}
		case []any:
			for _, e := range v {
				if err := walk(e); err != nil {
					return err
				}
			}
		}
		return nil
	}
	v, err := readOrdered(json.NewDecoder(bytes.NewReader(data)))
	if err != nil {
		return err
	}
	return walk(v)
}

// oracleObject is a JSON object with its members in order, duplicates
// kept.
type oracleObject []struct {
	key   string
	value any
}

// readOrdered reads the next JSON value from dec: an oracleObject for an
// object, a []any for an array, the token otherwise.
func readOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		var obj oracleObject
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, struct {
				key   string
				value any
			}{key.(string), v})
		}
		_, err := dec.Token()
		return obj, err
	case json.Delim('['):
		var arr []any
		for dec.More() {
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.Token()
		return arr, err
	}
	return tok, nil
}

// FuzzDecodeJSONHostTypes decodes arbitrary JSON into each of the host
// types of hostShapes, by DecodeJSON and DecodeJSONStrict, which must
// not panic: a type json.Unmarshal panics on is refused, and what is
// refused wraps ErrInvalid and changes nothing. For a type DecodeJSON
// takes, json.Unmarshal must not panic on the document either (a shape
// the refusal misses), and DecodeJSON takes the document exactly when
// json.Unmarshal does.
func FuzzDecodeJSONHostTypes(f *testing.F) {
	for _, tt := range hostShapes {
		for _, doc := range tt.docs {
			f.Add([]byte(doc))
		}
	}
	f.Add([]byte(`{"loop":null}`))
	f.Add([]byte("\fnull"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > sp.MaxDigitRun {
			return // refused before decoding, whatever the type
		}
		for _, tt := range hostShapes {
			errs := map[string]error{}
			for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
				v := tt.v()
				err := decodeRecovered(decode, "host", data, v)
				require.NotContains(t, fmt.Sprint(err), "panicked", "%s %s", tt.name, name)
				if err != nil {
					require.ErrorIs(t, err, sp.ErrInvalid, "%s %s", tt.name, name)
					require.True(t, reflect.DeepEqual(tt.v(), v), "%s %s: a failed decoding changed the value", tt.name, name)
				}
				errs[name] = err
			}
			if tt.refused != "" {
				require.EqualError(t, errs["lenient"], "invalid host: "+tt.refused, tt.name)
				continue
			}
			p, want := unmarshalRecovered(data, tt.v())
			require.Nil(t, p, "%s: json.Unmarshal panics on a type DecodeJSON takes", tt.name)
			require.Equal(t, want == nil, errs["lenient"] == nil, "%s: json.Unmarshal: %v; DecodeJSON: %v", tt.name, want, errs["lenient"])
		}
	})
}
