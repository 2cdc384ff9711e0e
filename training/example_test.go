package training_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

func ExampleNewChecker() {
	brief := training.Brief{
		Product: "solar-kit", Version: training.MustParseVersion("2.1"),
		Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Prohibited: []training.Claim{
			{Phrase: "guaranteed returns", Variants: []string{"returns guaranteed"}, Reason: "investment advice is not allowed", Severity: training.SeverityCritical},
			{Phrase: "free", Reason: "installation is charged", Severity: training.SeverityWarning},
		},
		Disclosures: []training.Disclosure{
			{Phrase: "prices exclude installation", Severity: training.SeverityWarning},
		},
	}
	checker, err := training.NewChecker(brief, "phone")
	if err != nil {
		fmt.Println(err)
		return
	}
	text := "Hi! Our kit has GUARANTEED   returns - and setup is free."
	report := checker.Check(text)
	for _, v := range report.Violations {
		fmt.Printf("%s %q at [%d:%d): %s\n", v.Severity, text[v.Start:v.End], v.Start, v.End, v.Reason)
	}
	for _, d := range report.Missing {
		fmt.Printf("missing %q\n", d.Phrase)
	}
	fmt.Println("worst:", report.Worst())
	// Output:
	// critical "GUARANTEED   returns" at [16:36): investment advice is not allowed
	// warning "free" at [52:56): installation is charged
	// missing "prices exclude installation"
	// worst: critical
}

func ExampleNormalize() {
	fmt.Println(training.Normalize("Guaranteed   RETURNS!"))
	fmt.Println(training.Normalize("Risk-free, 100% \u212aelvin"))
	fmt.Println(training.Normalize("完全無料です"))
	fmt.Println(training.Normalize("IŞIK ışık İndirim indirim ＦＲＥＥ x²"))
	// Output:
	// guaranteed returns
	// risk free 100 kelvin
	// 完 全 無 料 で す
	// işik ışık İndirim indirim ｆｒｅｅ x²
}

func ExampleParseVersion() {
	v, err := training.ParseVersion("2.1")
	fmt.Println(v, err, v.NextMinor(), v.NextMajor())
	_, err = training.ParseVersion("2.01")
	fmt.Println(err)
	// Output:
	// 2.1 <nil> 2.2 3.0
	// training: invalid version: want major.minor such as 2.1 with parts from 0 to 999999, got "2.01"
}

// ExampleTrainer_Certify trains a rep, certifies them and asks whether
// they may sell.
func ExampleTrainer_Certify() {
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	catalog, err := training.NewCatalog(
		[]training.Module{
			{ID: "kit-basics", Title: "Solar kit basics", Kind: training.ModuleProductKnowledge, Product: "solar-kit",
				BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "phone-sales", Title: "Selling by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 100, PassMark: 70}},
		},
		[]training.Curriculum{{ID: "kit-phone", Title: "Solar kit by phone", Product: "solar-kit", Channel: "phone",
			Modules: []training.ModuleID{"kit-basics", "phone-sales"}, ValidMonths: 12}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	clock := salesprocess.NewSteppingClock(start, time.Hour)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: clock})
	brief := training.Brief{Product: "solar-kit", Version: training.MustParseVersion("1.0"), Published: start.Add(-time.Hour)}
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range []training.Attempt{
		{ID: "a1", Rep: "ann", Module: "kit-basics", Score: 9},
		{ID: "a2", Rep: "ann", Module: "phone-sales", Score: 85},
	} {
		if _, err := trainer.RecordAttempt(ctx, a); err != nil {
			fmt.Println(err)
			return
		}
	}
	cert, err := trainer.Certify(ctx, "ann", "kit-phone")
	fmt.Println("certified:", cert.Product, cert.Channel, cert.BriefVersion, cert.Expires.Format(time.DateOnly), err)

	r := trainer.Readiness()
	at := start.Add(30 * 24 * time.Hour)
	fmt.Println("ann by phone:", r.Eligible(ctx, "ann", "solar-kit", "phone", at))
	fmt.Println("ann online:", r.Eligible(ctx, "ann", "solar-kit", "online", at))
	err = r.Eligible(ctx, "bob", "solar-kit", "phone", at)
	fmt.Println("bob:", errors.Is(err, salesprocess.ErrForbidden), err)

	// A new major version of the brief sends Ann back to training.
	brief.Version, brief.Published = training.MustParseVersion("2.0"), at
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	status, _ := r.Status(ctx, "ann", "solar-kit", at)
	fmt.Println("status:", status)
	// Output:
	// certified: solar-kit phone 1.0 2027-03-01 <nil>
	// ann by phone: <nil>
	// ann online: training: rep "ann" not ready for product "solar-kit" on channel "online": wrong_channel (certified for channel "phone" only)
	// bob: true training: rep "bob" not ready for product "solar-kit" on channel "phone": no_certificate (no certificate for the product)
	// status: outdated
}

// Eligibility is the interface package pipeline declares for "may this
// rep own work for this product on this channel?"; *training.Readiness
// satisfies it without either package importing the other.
type Eligibility interface {
	Eligible(ctx context.Context, rep salesprocess.RepID, product salesprocess.ProductID, channel salesprocess.ChannelID, at time.Time) error
}

// ExampleNewReadiness wires readiness into a pipeline-like assignment
// check.
func ExampleNewReadiness() {
	ctx := context.Background()
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	store := trainingtest.NewMemStore()
	_ = store.AddBrief(ctx, training.Brief{Product: "kit", Version: training.MustParseVersion("1.0"), Published: day})
	_ = store.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: "kit", BriefVersion: training.MustParseVersion("1.0"),
		Issued: day, Expires: day.AddDate(0, 6, 0)})

	var elig Eligibility = training.NewReadiness(store, store, nil)
	assign := func(rep salesprocess.RepID, at time.Time) {
		err := elig.Eligible(ctx, rep, "kit", "retail", at)
		var nre *training.NotReadyError
		switch {
		case err == nil:
			fmt.Println(rep, "may own the deal")
		case errors.As(err, &nre):
			fmt.Println(rep, "may not:", nre.Reasons[0].Code)
		default:
			fmt.Println("store failure:", err)
		}
	}
	assign("ann", day.AddDate(0, 1, 0))
	assign("ann", day.AddDate(0, 7, 0))
	assign("bob", day.AddDate(0, 1, 0))
	// Output:
	// ann may own the deal
	// ann may not: expired
	// bob may not: no_certificate
}

func ExampleExpiring() {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	certs := []training.Certificate{
		{Rep: "ann", Product: "kit", Expires: day.AddDate(0, 0, 10)},
		{Rep: "bob", Product: "kit", Expires: day.AddDate(0, 2, 0)},
	}
	window := salesprocess.Month(2026, time.March, nil)
	for c := range training.Expiring(slices.Values(certs), window) {
		fmt.Println(c.Rep, c.Expires.Format(time.DateOnly))
	}
	// Output:
	// ann 2026-03-11
}

func ExampleDecide() {
	march := salesprocess.Month(2026, time.March, nil)
	pilot := training.Pilot{
		ID: "kit-pilot", Product: "kit", Version: training.MustParseVersion("1.0"),
		Localities: []string{"Springfield", "Shelbyville"}, Quantity: 200, Period: march,
		Criteria: training.Criteria{
			RequireEnded: true, MinUnitsSold: 100, MinSellThrough: decimal.RequireFromString("0.6"),
			MinAverageRating: decimal.RequireFromString("4"),
		},
		Issues: []training.Issue{{ID: "LEAK", Title: "seal leaks in rain", Severity: training.SeverityCritical, Opened: march.Start()}},
	}
	at := march.Start().Add(24 * time.Hour)
	sales := []training.Sale{
		{ID: "s1", Pilot: "kit-pilot", Locality: "Springfield", Units: 80, Time: at},
		{ID: "s2", Pilot: "kit-pilot", Locality: "Shelbyville", Units: 50, Time: at},
	}
	var feedback []salesprocess.Feedback
	for i, r := range []int{5, 4, 4, 3} {
		feedback = append(feedback, salesprocess.Feedback{ID: salesprocess.FeedbackID(fmt.Sprint("f", i)), Product: "kit", Rating: r,
			Category: salesprocess.FeedbackQuality, Source: salesprocess.FromFieldTest, Locality: "Springfield", Time: at})
	}
	d, err := training.Decide(pilot, sales, feedback, march.End())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("launch:", d.Launch)
	for _, r := range d.Reasons {
		fmt.Printf("  %-5v %s\n", r.Met, r.Detail)
	}
	// Output:
	// launch: false
	//   true  the pilot period has ended
	//   true  130 units sold; at least 100 wanted
	//   true  130 of 200 units sold (65 %); at least 60 % wanted
	//   true  average rating 4 from 4 ratings; at least 4 wanted
	//   false 1 open issue of severity critical or worse: LEAK
}

func ExampleOnboarding_Goal() {
	goal, _ := salesprocess.ParseMoney("8000.00 EUR")
	o := training.Onboarding{
		Rep: "ann", Region: "north", Start: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), MonthlyGoal: goal,
		Ramp: []decimal.Decimal{decimal.RequireFromString("0.25"), decimal.RequireFromString("0.5"), decimal.RequireFromString("0.75")},
	}
	fmt.Println(o.Validate())
	for i := range 4 {
		fmt.Println(i, o.Goal(i).Round(salesprocess.HalfUp))
	}
	// Output:
	// <nil>
	// 0 2000.00 EUR
	// 1 4000.00 EUR
	// 2 6000.00 EUR
	// 3 8000.00 EUR
}

// ExampleTrainer_Onboard onboards a certified rep into the Lisbon division
// from 11 November with a ramp, turns the onboarding into monthly goals
// with package quota (in the region's time zone, the first month prorated
// by the days left in it) and assigns the rep to the region.
func ExampleTrainer_Onboard() {
	ctx := context.Background()
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, lisbon)
	catalog, err := training.NewCatalog(
		[]training.Module{{ID: "kit-basics", Title: "Solar kit basics", Kind: training.ModuleProductKnowledge, Product: "solar-kit",
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}}},
		[]training.Curriculum{{ID: "kit", Title: "Solar kit", Product: "solar-kit", Modules: []training.ModuleID{"kit-basics"}, ValidMonths: 12}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog,
		&training.Options{Clock: salesprocess.NewSteppingClock(start, time.Hour)})
	if err := trainer.PublishBrief(ctx, training.Brief{Product: "solar-kit", Version: training.MustParseVersion("1.0"), Published: start}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: "eva-1", Rep: "eva", Module: "kit-basics", Score: 9}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := trainer.Certify(ctx, "eva", "kit"); err != nil {
		fmt.Println(err)
		return
	}

	goal, _ := salesprocess.ParseMoney("9000.00 EUR")
	o, err := trainer.Onboard(ctx, training.Onboarding{
		Rep: "eva", Region: "south", Start: time.Date(2026, 11, 11, 0, 0, 0, 0, lisbon), MonthlyGoal: goal,
		Ramp: []decimal.Decimal{decimal.RequireFromString("0.5"), decimal.RequireFromString("0.75")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	goals, err := quota.Ramp{Rep: o.Rep, Region: o.Region, Start: o.Start, Monthly: o.MonthlyGoal, Steps: o.Ramp, Location: lisbon}.Goals(3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range goals {
		fmt.Println(g)
	}
	rep, err := o.Assign(salesprocess.Rep{ID: "eva", Name: "Eva"})
	fmt.Println(rep.Name, "in", rep.Region, err)

	// A rep without a certificate is not onboarded.
	_, err = trainer.Onboard(ctx, training.Onboarding{Rep: "max", Region: "south", Start: o.Start, MonthlyGoal: goal})
	fmt.Println(errors.Is(err, salesprocess.ErrForbidden), err)
	// Output:
	// rep eva (south) 2026-11-11/2026-12-01[Europe/Lisbon]: 3000.00 EUR
	// rep eva (south) 2026-12[Europe/Lisbon]: 6750.00 EUR
	// rep eva (south) 2027-01[Europe/Lisbon]: 9000.00 EUR
	// Eva in south <nil>
	// true training: rep "max" not ready: no_certificate (no certificate for any product)
}

func ExampleBrief_ForChannel() {
	b := training.Brief{
		Product: "kit", Version: training.MustParseVersion("1.0"), Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Prohibited: []training.Claim{{Phrase: "lowest price", Reason: "not true online", Severity: training.SeverityWarning}},
		Objections: []training.Objection{{Objection: "Too expensive", Answer: "It pays for itself in two years"}},
		Channels: []training.ChannelOverride{{
			Channel: "retail", Permitted: []string{"lowest price"},
			Objections: []training.Objection{{Objection: "too expensive", Answer: "Ask about the in-store discount"}},
		}},
	}
	fmt.Println(len(b.ForChannel("online").Prohibited), len(b.ForChannel("retail").Prohibited))
	a, _ := b.Answer("retail", "TOO EXPENSIVE!")
	fmt.Println(a)
	// Output:
	// 1 0
	// Ask about the in-store discount
}

func ExampleNewCatalog() {
	_, err := training.NewCatalog(
		[]training.Module{{ID: "m1", Title: "Basics", Kind: training.ModuleProductKnowledge, Product: "kit",
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}}},
		[]training.Curriculum{{ID: "c1", Title: "Kit", Product: "kit", Modules: []training.ModuleID{"m1", "m2"}, ValidMonths: 12}},
	)
	fmt.Println(err)
	// Output:
	// training: new catalog: invalid curricula[0].modules[1]: unknown module "m2"
}

// Launch criteria kept in a product manager's file are decoded strictly, so
// that a misspelt criterion is refused, naming it, rather than dropped:
// json.Unmarshal takes criteria as a pilot's record holds them, ignoring a
// member it does not know, and the misspelt criterion would check nothing.
func ExampleCriteria_configuration() {
	file := []byte(`{"min_units_sold": 100, "min_sell_thru": "0.6"}`)

	var lenient training.Criteria
	err := json.Unmarshal(file, &lenient)
	fmt.Println(err, lenient.MinUnitsSold, lenient.MinSellThrough)

	type plain training.Criteria
	var c training.Criteria
	err = salesprocess.DecodeJSONStrict("criteria", file, (*plain)(&c))
	fmt.Println(err, errors.Is(err, salesprocess.ErrInvalid))

	err = salesprocess.DecodeJSONStrict("criteria", []byte(`{"min_units_sold": 100, "min_sell_through": "0.6"}`), (*plain)(&c))
	fmt.Println(err, c.MinUnitsSold, c.MinSellThrough, c.Validate())
	// Output:
	// <nil> 100 0
	// invalid criteria.min_sell_thru: unknown field true
	// <nil> 100 0.6 <nil>
}
