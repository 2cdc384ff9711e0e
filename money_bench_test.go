package salesprocess_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

var valueSink any

// benchValue runs run as the sub-benchmark name, once first so that an
// error fails it rather than timing the error's path. The results are
// kept in a variable of their own type, so that boxing them is not timed.
func benchValue[T any](b *testing.B, name string, run func() (T, error)) {
	b.Helper()
	if _, err := run(); err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		var out T
		for range b.N {
			var err error
			if out, err = run(); err != nil {
				b.Fatal(err)
			}
		}
		valueSink = out
	})
}

// BenchmarkMoney is the arithmetic, rounding, allocation and text forms of
// one amount, as a host runs them per line, per deal or per record it
// reads or writes.
func BenchmarkMoney(b *testing.B) {
	price, err := sp.ParseMoney("1499.95 EUR")
	if err != nil {
		b.Fatal(err)
	}
	tax := decimal.New(19, -2)
	data, err := json.Marshal(price)
	if err != nil {
		b.Fatal(err)
	}
	benchValue(b, "add", func() (sp.Money, error) { return price.Add(price) })
	benchValue(b, "mul_round", func() (sp.Money, error) { return price.Mul(tax).Round(sp.HalfUp), nil })
	benchValue(b, "allocate", func() ([]sp.Money, error) { return price.Allocate(50, 30, 20) })
	benchValue(b, "parse", func() (sp.Money, error) { return sp.ParseMoney("1499.95 EUR") })
	benchValue(b, "string", func() (string, error) { return price.String(), nil })
	benchValue(b, "marshal_json", func() ([]byte, error) { return json.Marshal(price) })
	benchValue(b, "unmarshal_json", func() (sp.Money, error) {
		var m sp.Money
		err := json.Unmarshal(data, &m)
		return m, err
	})
}

// BenchmarkPeriod is the period arithmetic of the calculators: the month
// of a time in a region's zone, whether a period holds a time, and the
// share of a month a part of it covers.
func BenchmarkPeriod(b *testing.B) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Skip("no time zone database:", err)
	}
	at := time.Date(2026, 11, 29, 13, 30, 0, 0, berlin)
	month := sp.MonthOf(at)
	part, err := sp.NewPeriod(sp.DayStart(2026, 11, 11, berlin), month.End())
	if err != nil {
		b.Fatal(err)
	}
	if got := month.Coverage(part); got.Cmp(sp.Fraction{Num: 2, Den: 3}) != 0 {
		b.Fatalf("coverage %v, want 20/30", got)
	}
	benchValue(b, "month_of", func() (sp.Period, error) { return sp.MonthOf(at), nil })
	benchValue(b, "contains", func() (bool, error) { return month.Contains(at), nil })
	benchValue(b, "coverage", func() (sp.Fraction, error) { return month.Coverage(part), nil })
}
