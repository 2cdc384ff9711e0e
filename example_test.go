package salesprocess_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

func ExampleParseMoney() {
	price, err := sp.ParseMoney("12.3 EUR")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(price)
	fmt.Println(price.Amount(), price.Currency())

	_, err = sp.ParseMoney("12,30 EUR")
	fmt.Println(err)
	fmt.Println(errors.Is(err, sp.ErrInvalid))
	// Output:
	// 12.30 EUR
	// 12.3 EUR
	// invalid amount: want plain decimal notation such as -12.30, got "12,30"
	// true
}

func ExampleMoney_Add() {
	a, _ := sp.ParseMoney("0.10 EUR")
	b, _ := sp.ParseMoney("0.20 EUR")
	sum, _ := a.Add(b)
	fmt.Println(sum)

	dollars, _ := sp.ParseMoney("1.00 USD")
	_, err := a.Add(dollars)
	fmt.Println(err)
	fmt.Println(errors.Is(err, sp.ErrCurrencyMismatch))
	// Output:
	// 0.30 EUR
	// add "EUR" and "USD": salesprocess: currency mismatch
	// true
}

func ExampleMoney_Round() {
	net, _ := sp.ParseMoney("10.25 EUR")
	tax := net.Mul(decimal.RequireFromString("0.19")) // exact: 1.9475
	fmt.Println(tax)
	fmt.Println(tax.Round(sp.HalfUp))

	half, _ := sp.ParseMoney("0.125 EUR")
	fmt.Println(half.Round(sp.HalfUp), half.Round(sp.HalfEven))
	// Output:
	// 1.9475 EUR
	// 1.95 EUR
	// 0.13 EUR 0.12 EUR
}

func ExampleMoney_MarshalJSON() {
	price, _ := sp.ParseMoney("12.30 EUR")
	data, _ := json.Marshal(map[string]sp.Money{"price": price})
	fmt.Println(string(data))
	// Output:
	// {"price":{"amount":"12.30","currency":"EUR"}}
}

func ExampleMoney_Allocate() {
	goal, _ := sp.ParseMoney("100.00 EUR")
	parts, _ := goal.Allocate(1, 1, 1)
	fmt.Println(parts)

	// A region's goal split by the reps' weights: 50%, 30%, 20%.
	regionGoal, _ := sp.ParseMoney("12345.67 EUR")
	shares, _ := regionGoal.Allocate(50, 30, 20)
	fmt.Println(shares)
	// Output:
	// [33.34 EUR 33.33 EUR 33.33 EUR]
	// [6172.84 EUR 3703.70 EUR 2469.13 EUR]
}

func ExampleSum() {
	var won []sp.Money
	for _, s := range []string{"1200.00 EUR", "350.50 EUR", "0.10 EUR", "0.20 EUR"} {
		m, _ := sp.ParseMoney(s)
		won = append(won, m)
	}
	total, err := sp.Sum("EUR", slices.Values(won))
	fmt.Println(total, err)
	// Output:
	// 1550.80 EUR <nil>
}

func ExampleAccumulator() {
	acc := sp.NewAccumulator("EUR")
	for _, cents := range []int64{1999, 2500, -500} {
		m, _ := sp.NewMoneyFromMinor(cents, "EUR")
		if err := acc.Add(m); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(acc.Total(), acc.Count())
	// Output:
	// 39.99 EUR 3
}

func ExampleMonth() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	march := sp.Month(2026, time.March, berlin)
	fmt.Println(march)
	fmt.Println(march.Days(), "days,", march.Duration(), "elapsed")
	fmt.Println(march.Contains(march.Start()), march.Contains(march.End()))
	// Output:
	// 2026-03[Europe/Berlin]
	// 31 days, 743h0m0s elapsed
	// true false
}

func ExampleDayStart() {
	santiago, _ := time.LoadLocation("America/Santiago")
	// Clocks spring forward at midnight there: the day begins at 01:00.
	fmt.Println(sp.DayStart(2026, time.September, 6, santiago).Format(time.DateTime))
	fmt.Println(sp.DayStart(2026, time.September, 7, santiago).Format(time.DateTime))
	// Output:
	// 2026-09-06 01:00:00
	// 2026-09-07 00:00:00
}

func ExamplePeriod_Months() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	q4 := sp.Quarter(2026, 4, berlin)
	for m := range q4.Months() {
		fmt.Println(m, m.Days())
	}
	// Output:
	// 2026-10[Europe/Berlin] 31
	// 2026-11[Europe/Berlin] 30
	// 2026-12[Europe/Berlin] 31
}

func ExamplePeriod_Coverage() {
	april := sp.Month(2026, time.April, nil)
	firstTenDays, _ := sp.NewPeriod(april.Start(), april.Start().AddDate(0, 0, 10))
	share := april.Coverage(firstTenDays)
	fmt.Println(share, share.Decimal(4))

	// Prorate a monthly goal for a rep who starts on April 21.
	goal, _ := sp.ParseMoney("3000.00 EUR")
	rest, _ := sp.NewPeriod(april.Start().AddDate(0, 0, 20), april.End())
	c := april.Coverage(rest)
	parts, _ := goal.Allocate(c.Num, c.Den-c.Num) // the covered share and the rest, exactly
	fmt.Println(c, parts[0])
	// Output:
	// 1/3 0.3333
	// 1/3 1000.00 EUR
}

func ExampleParsePeriod() {
	for _, s := range []string{"2026", "2026-Q4", "2026-11[Europe/Berlin]", "2026-W48", "2026-11-03/2026-11-17"} {
		p, err := sp.ParsePeriod(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-24s %-7s %s .. %s\n", p, p.Kind(), p.Start().Format(time.DateOnly), p.End().Format(time.DateOnly))
	}
	_, err := sp.ParsePeriod("2026-13")
	fmt.Println(err)
	// Output:
	// 2026                     year    2026-01-01 .. 2027-01-01
	// 2026-Q4                  quarter 2026-10-01 .. 2027-01-01
	// 2026-11[Europe/Berlin]   month   2026-11-01 .. 2026-12-01
	// 2026-W48                 week    2026-11-23 .. 2026-11-30
	// 2026-11-03/2026-11-17    custom  2026-11-03 .. 2026-11-17
	// invalid period: "2026-13": month 13 out of range
}

func ExampleFixedClock() {
	var clock sp.Clock = sp.FixedClock(time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC))
	now := clock.Now()
	fmt.Println(now, sp.MonthOf(now))
	// Output:
	// 2026-11-03 09:00:00 +0000 UTC 2026-11
}

func ExampleNewSteppingClock() {
	clock := sp.NewSteppingClock(time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), time.Minute)
	fmt.Println(clock.Now().Format(time.Kitchen))
	fmt.Println(clock.Now().Format(time.Kitchen))
	clock.Advance(time.Hour)
	fmt.Println(clock.Now().Format(time.Kitchen))
	// Output:
	// 9:00AM
	// 9:01AM
	// 10:02AM
}

// hostSettings is a host's own configuration, which a person writes.
type hostSettings struct {
	Team     string   `json:"team"`
	MaxDeals int      `json:"max_deals"`
	Budget   sp.Money `json:"budget"`
}

// UnmarshalJSON refuses a misspelt setting rather than leave it at zero.
func (s *hostSettings) UnmarshalJSON(data []byte) error {
	type plain hostSettings
	return sp.DecodeJSONStrict("settings", data, (*plain)(s))
}

// A host's configuration decoded strictly: a misspelt member is an error
// naming it, where json.Unmarshal alone would leave max_deals at 0.
func ExampleDecodeJSONStrict() {
	var s hostSettings
	err := json.Unmarshal([]byte(`{"team":"north","max_deal":40}`), &s)
	fmt.Println(err, errors.Is(err, sp.ErrInvalid))
	err = json.Unmarshal([]byte(`{"team":"north","max_deals":40,"budget":{"amount":"900.00","currency":"EUR"}}`), &s)
	fmt.Println(err, s.Team, s.MaxDeals, s.Budget)
	// Output:
	// invalid settings.max_deal: unknown field true
	// <nil> north 40 900.00 EUR
}

// hostRequest is the body of a host's HTTP request, which a client sends: a
// list of the module's records.
type hostRequest struct {
	Regions []sp.Region `json:"regions"`
	Reps    []sp.Rep    `json:"reps"`
}

// A host's request body decoded by DecodeJSONStrict names a fault within an
// element by the element's index ("request.regions[1].time_zone"), where
// json.Unmarshal into the same type reports the error of the element's own
// UnmarshalJSON, which knows no index ("region.time_zone"), and lets a
// misspelt member of the envelope pass. The members of the module's records
// within it (a Rep's "nmae") are left to their own decoding, which ignores a
// member it does not know, as records do.
func ExampleDecodeJSON_request() {
	body := []byte(`{"regions":[{"id":"north","name":"North","time_zone":"Europe/Berlin"},` +
		`{"id":"south","name":"South","time_zone":"Europe/Lisbn"}]}`)
	var req hostRequest
	fmt.Println(json.Unmarshal(body, &req))
	type plain hostRequest
	err := sp.DecodeJSONStrict("request", body, (*plain)(&req))
	fmt.Println(err)
	var ve *sp.ValidationError
	if errors.As(err, &ve) {
		fmt.Printf("field %q, reason %q\n", ve.Field, ve.Reason)
	}

	err = sp.DecodeJSONStrict("request", []byte(`{"reps":[{"id":"ann","nmae":"Ann"}],"regoins":[]}`), (*plain)(&req))
	fmt.Println(err)
	err = sp.DecodeJSONStrict("request", []byte(`{"reps":[{"id":"ann","nmae":"Ann"}]}`), (*plain)(&req))
	fmt.Printf("%v %q\n", err, req.Reps[0].Name)
	// Output:
	// invalid region.time_zone: unknown time zone "Europe/Lisbn"
	// invalid request.regions[1].time_zone: unknown time zone "Europe/Lisbn"
	// field "request.regions[1].time_zone", reason "unknown time zone \"Europe/Lisbn\""
	// invalid request.regoins: unknown field
	// <nil> ""
}

// hostNote is a host's record with a MarshalJSON method of its own, which
// encodes through EncodeJSON, as the module's types do.
type hostNote struct {
	Text string `json:"text"`
}

func (n hostNote) MarshalJSON() ([]byte, error) {
	type plain hostNote
	return sp.EncodeJSON(plain(n))
}

// A value whose MarshalJSON encodes through EncodeJSON leaves the escaping
// of <, > and & to the encoder that writes it: json.Marshal escapes them,
// an encoder set not to writes the text as it is.
func ExampleEncodeJSON() {
	note := hostNote{Text: "price < 100 & fast"}
	raw, _ := json.Marshal(note)
	fmt.Println(string(raw))
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(note)
	// Output:
	// {"text":"price \u003c 100 \u0026 fast"}
	// {"text":"price < 100 & fast"}
}
