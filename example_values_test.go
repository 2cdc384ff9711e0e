package salesprocess_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

func ExampleNewMoney() {
	price, err := sp.NewMoney(decimal.RequireFromString("12.3"), "EUR")
	fmt.Println(price, err)

	fine, _ := sp.NewMoney(decimal.RequireFromString("12.345"), "EUR")
	fmt.Println(fine) // the amount keeps its places

	_, err = sp.NewMoney(decimal.NewFromInt(5), "eur")
	fmt.Println(errors.Is(err, sp.ErrInvalid))
	// Output:
	// 12.30 EUR <nil>
	// 12.345 EUR
	// true
}

func ExampleNewMoneyFromMinor() {
	for _, c := range []sp.Currency{"EUR", "JPY", "KWD"} {
		m, _ := sp.NewMoneyFromMinor(1234, c)
		fmt.Println(m)
	}
	// Output:
	// 12.34 EUR
	// 1234 JPY
	// 1.234 KWD
}

func ExampleParseAmount() {
	d, err := sp.ParseAmount("-12.50")
	fmt.Println(d, err)

	for _, s := range []string{"1e3", "+5", "1,000"} {
		_, err := sp.ParseAmount(s)
		fmt.Println(s, errors.Is(err, sp.ErrInvalid))
	}
	// Output:
	// -12.5 <nil>
	// 1e3 true
	// +5 true
	// 1,000 true
}

func ExampleParseCurrency() {
	c, err := sp.ParseCurrency("JPY")
	places, _ := c.MinorUnits()
	fmt.Println(c, places, err)

	for _, s := range []string{"jpy", "XAU", "EURO"} {
		_, err := sp.ParseCurrency(s)
		fmt.Println(s, errors.Is(err, sp.ErrInvalid))
	}
	// Output:
	// JPY 0 <nil>
	// jpy true
	// XAU true
	// EURO true
}

func ExampleMoney_Sub() {
	target, _ := sp.ParseMoney("10000.00 EUR")
	won, _ := sp.ParseMoney("12500.00 EUR")
	gap, _ := target.Sub(won)
	fmt.Println(gap, gap.Sign())
	fmt.Println(gap.Neg(), gap.Abs())

	dollars, _ := sp.ParseMoney("1.00 USD")
	_, err := target.Sub(dollars)
	fmt.Println(errors.Is(err, sp.ErrCurrencyMismatch))
	// Output:
	// -2500.00 EUR -1
	// 2500.00 EUR 2500.00 EUR
	// true
}

func ExampleMoney_Cmp() {
	a, _ := sp.ParseMoney("1.5 EUR")
	b, _ := sp.ParseMoney("1.50 EUR")
	c, _ := sp.ParseMoney("2.00 EUR")
	ab, _ := a.Cmp(b)
	ac, _ := a.Cmp(c)
	fmt.Println(ab, ac, a.Equal(b))

	dollars, _ := sp.ParseMoney("1.50 USD")
	_, err := a.Cmp(dollars)
	fmt.Println(errors.Is(err, sp.ErrCurrencyMismatch), a.Equal(dollars))
	// Output:
	// 0 -1 true
	// true false
}

func ExampleMoney_RoundTo() {
	rate, _ := sp.ParseMoney("1.23456 EUR") // a price per unit, kept to more places
	fmt.Println(rate.RoundTo(4, sp.HalfUp))
	whole := rate.RoundTo(0, sp.HalfUp)
	fmt.Println(whole, whole.Amount()) // the text form pads to the minor unit

	half, _ := sp.ParseMoney("0.125 EUR")
	fmt.Println(half.RoundTo(2, sp.HalfUp), half.RoundTo(2, sp.HalfEven))
	// Output:
	// 1.2346 EUR
	// 1.00 EUR 1
	// 0.13 EUR 0.12 EUR
}

func ExampleParsePeriodIn() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := sp.ParsePeriodIn("2026-11", berlin)
	fmt.Println(p)
	fmt.Println(p.Start())

	// A bracketed location wins over the default.
	q, _ := sp.ParsePeriodIn("2026-Q4[America/New_York]", berlin)
	fmt.Println(q.Location())

	_, err = sp.ParsePeriodIn("2026-11[Local]", berlin)
	fmt.Println(errors.Is(err, sp.ErrInvalid))
	// Output:
	// 2026-11[Europe/Berlin]
	// 2026-11-01 00:00:00 +0100 CET
	// America/New_York
	// true
}

func ExamplePeriod_Intersect() {
	q4 := sp.Quarter(2026, 4, time.UTC)
	campaign, _ := sp.ParsePeriod("2026-11-15/2027-01-15")
	fmt.Println(q4.Overlaps(campaign))
	in, ok := q4.Intersect(campaign)
	fmt.Println(in, ok)

	_, ok = q4.Intersect(q4.Next())
	fmt.Println(q4.Overlaps(q4.Next()), ok) // half-open: they only touch
	// Output:
	// true
	// 2026-11-15/2027-01-01 true
	// false false
}

func ExamplePeriod_Prev() {
	m := sp.Month(2026, time.March, time.UTC)
	fmt.Println(m.Prev(), m.Next())
	fmt.Println(sp.Quarter(2026, 1, time.UTC).Prev())
	// Output:
	// 2026-02 2026-04
	// 2025-Q4
}

func ExampleMoney_AllocateDecimal() {
	// A year's goal spread over the quarters by seasonal shares.
	goal, _ := sp.ParseMoney("100000.00 EUR")
	parts, err := goal.AllocateDecimal(
		decimal.RequireFromString("0.2"), decimal.RequireFromString("0.25"),
		decimal.RequireFromString("0.25"), decimal.RequireFromString("0.3"))
	fmt.Println(parts, err)

	// Thirds do not divide the cents evenly: the parts still sum to the whole.
	third := decimal.RequireFromString("33.3")
	parts, _ = goal.AllocateDecimal(third, third, third)
	fmt.Println(parts)

	_, err = goal.AllocateDecimal(decimal.NewFromInt(1), decimal.NewFromInt(-1))
	fmt.Println(errors.Is(err, sp.ErrInvalid))
	// Output:
	// [20000.00 EUR 25000.00 EUR 25000.00 EUR 30000.00 EUR] <nil>
	// [33333.34 EUR 33333.33 EUR 33333.33 EUR]
	// true
}

func ExampleWeek() {
	fmt.Println(sp.Week(2026, 1, nil), sp.Week(2026, 1, nil).Start().Format(time.DateOnly))
	fmt.Println(sp.Year(2026, nil))

	// The period that holds a time, in the time's location.
	t := time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)
	fmt.Println(sp.WeekOf(t), sp.QuarterOf(t), sp.YearOf(t))

	// 1 January 2027 is a Friday: ISO week 53 of 2026.
	ny := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	fmt.Println(sp.WeekOf(ny), sp.YearOf(ny))
	// Output:
	// 2026-W01 2025-12-29
	// 2026
	// 2026-W48 2026-Q4 2026
	// 2026-W53 2027
}

func ExampleAccumulator_Merge() {
	// Two offices' totals, summed apart (on two goroutines, say), then merged.
	north, south := sp.NewAccumulator("EUR"), sp.NewAccumulator("EUR")
	for _, s := range []string{"1200.00 EUR", "800.50 EUR"} {
		m, _ := sp.ParseMoney(s)
		_ = north.Add(m)
	}
	m, _ := sp.ParseMoney("99.50 EUR")
	_ = south.Add(m)
	err := north.Merge(&south)
	fmt.Println(north.Total(), north.Count(), err)

	usd := sp.NewAccumulator("USD")
	fmt.Println(north.Merge(&usd)) // an empty one adds nothing, whatever its currency
	dollars, _ := sp.ParseMoney("5.00 USD")
	_ = usd.Add(dollars)
	err = north.Merge(&usd)
	fmt.Println(errors.Is(err, sp.ErrCurrencyMismatch), north.Total())
	// Output:
	// 2100.00 EUR 3 <nil>
	// <nil>
	// true 2100.00 EUR
}
