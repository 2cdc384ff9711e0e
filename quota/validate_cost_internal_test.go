package quota

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// TestValidatorsAllocateNothing checks that the validators behind the
// calculators write no field name or text for valid input: each names the
// element at fault only when it refuses one.
func TestValidatorsAllocateNothing(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	eur, err := sp.ParseMoney("1000.00 EUR")
	if err != nil {
		t.Fatal(err)
	}
	stages := []pipeline.DealStage{pipeline.DealProposal, pipeline.DealNegotiation, pipeline.DealWon}
	ramp := Ramp{Rep: "ann", Region: "north", Start: time.Date(2026, 11, 11, 0, 0, 0, 0, berlin), Location: berlin,
		Monthly: eur, Steps: []decimal.Decimal{decimal.New(1, 0), decimal.New(1, 0), decimal.New(1, 0)}}
	deals := Amount{Deals: decimal.New(3, 0)}
	revenue := Amount{Money: eur}
	for name, check := range map[string]func() error{
		"period_utc":     func() error { return checkPeriod("period", sp.Month(2026, time.November, nil)) },
		"period_berlin":  func() error { return checkPeriod("", sp.Quarter(2026, 4, berlin)) },
		"stages":         func() error { return checkStages(stages) },
		"ramp":           func() error { return ramp.validate(6) },
		"amount_deals":   func() error { return deals.validate("gap") },
		"amount_revenue": func() error { return revenue.validate("gap") },
	} {
		t.Run(name, func(t *testing.T) {
			if err := check(); err != nil {
				t.Fatal(err)
			}
			if n := testing.AllocsPerRun(100, func() { _ = check() }); n != 0 {
				t.Errorf("%v allocations, want 0", n)
			}
		})
	}
}
