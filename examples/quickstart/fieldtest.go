package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// The field test: three localities, a month, a limited quantity.
const (
	pilotID       training.PilotID = "sunbox-pilot"
	pilotQuantity int64            = 120
)

var pilotLocalities = []string{"Freiburg", "Leipzig", "Porto"}

// fieldTest is where the process begins, before launch: the SunBox is sold
// in limited quantity in three localities for a month, the response is
// recorded, the product is improved, and the pilot's criteria decide
// whether it may launch with a full marketing campaign.
func (s *story) fieldTest(ctx context.Context) error {
	period := s.monthsBefore(3)
	start := period.Start()
	at := func(day, hour int) time.Time { return start.AddDate(0, 0, day-1).Add(time.Duration(hour) * time.Hour) }

	// The version on test gets a brief first, so that the reps of the
	// pilot know what to say about it.
	if err := s.trainer.PublishBrief(ctx, sunboxBrief(training.MustParseVersion("0.9"), start.AddDate(0, 0, -7))); err != nil {
		return err
	}
	_, err := s.trainer.StartPilot(ctx, training.Pilot{
		ID: pilotID, Product: sunbox, Version: training.MustParseVersion("0.9"),
		Localities: pilotLocalities, Quantity: pilotQuantity, Period: period,
		// What the product manager wants to see before a full launch.
		Criteria: training.Criteria{
			RequireEnded:           true,
			MinUnitsSold:           100,
			MinSellThrough:         decimal.RequireFromString("0.8"),
			MinLocalitiesWithSales: 3,
			MinFeedback:            30,
			MinAverageRating:       decimal.RequireFromString("3.5"),
			MinLocalityRating:      decimal.RequireFromString("3"),
		},
	})
	if err != nil {
		return err
	}

	// Every day each locality orders a few units, until the pilot's
	// quantity is gone; the trainer refuses the orders beyond it. Many
	// buyers say what they think.
	var orders, turnedAway int
	var refusal error
	issue := training.Issue{ID: "DISPLAY", Title: "display unreadable in sunlight", Severity: training.SeverityCritical, Opened: at(6, 9)}
	fixed := at(14, 9)
	for d := 1; d <= period.Days(); d++ {
		switch d {
		case 6:
			// Early buyers complain; the product manager records the issue,
			// which blocks the launch while it is open.
			if _, err := s.trainer.OpenIssue(ctx, pilotID, issue); err != nil {
				return err
			}
		case 14:
			// Version 1.0 brings a brighter display: its brief is published
			// and the pilot moves on to it.
			if err := s.trainer.PublishBrief(ctx, sunboxBrief(training.MustParseVersion("1.0"), fixed)); err != nil {
				return err
			}
			if _, err := s.trainer.Improve(ctx, pilotID, training.Improvement{
				Version: training.MustParseVersion("1.0"), Summary: "brighter display", Resolves: []training.IssueID{issue.ID}, Time: fixed,
			}); err != nil {
				return err
			}
		}
		for _, loc := range pilotLocalities {
			for range s.rng.IntN(4) {
				orders++
				t := at(d, 9+s.rng.IntN(9))
				sale := training.Sale{
					ID: training.SaleID(fmt.Sprintf("sale-%03d", orders)), Pilot: pilotID, Locality: loc,
					Units: 1, Amount: s.co.product(sunbox).Price, Time: t,
				}
				err := s.trainer.RecordSale(ctx, sale)
				if soldOut(err) {
					turnedAway++
					refusal = err
					continue
				}
				if err != nil {
					return err
				}
				if s.rng.IntN(2) == 0 {
					if err := s.trainer.RecordPilotFeedback(ctx, pilotID, s.pilotFeedback(string(sale.ID), loc, t.Add(48*time.Hour), t.Before(fixed))); err != nil {
						return err
					}
				}
			}
		}
	}

	// At the end of the pilot, its criteria decide.
	decision, err := s.trainer.Decide(ctx, pilotID, period.End())
	if err != nil {
		return err
	}
	pilot, err := s.trainingStore.GetPilot(ctx, pilotID)
	if err != nil {
		return err
	}
	s.writeFieldTest(pilot, decision, turnedAway, refusal)
	if !decision.Launch {
		return fmt.Errorf("the field test did not clear the SunBox for launch: %d criteria unmet", len(decision.Unmet()))
	}
	return nil
}

// soldOut reports whether err is the trainer's refusal of a valid sale
// beyond the quantity the pilot has left.
func soldOut(err error) bool {
	var ve *sp.ValidationError
	return errors.As(err, &ve) && ve.Field == "sale.units"
}

// writeFieldTest writes how the pilot went: its sales and feedback by
// locality, the orders turned away once it sold out (with the trainer's
// refusal), its issues, and the launch decision with its reasons.
func (s *story) writeFieldTest(pilot training.Pilot, decision training.Decision, turnedAway int, refusal error) {
	s.md.h(2, "Step 0. Field test: the SunBox in three localities")
	s.md.p("In %s, three months before the month under review, the %s went on sale as version 0.9 in %s, limited to %d units. The trainer recorded every sale and what the buyers said:",
		pilot.Period.Start().Format("January 2006"), s.co.product(sunbox).Name, and(pilot.Localities), pilot.Quantity)
	// The ratings to 2 places without trailing zeros, as the launch
	// criteria below print them (training.DecisionReason.Got).
	var rows [][]string
	for _, l := range decision.Figures.Localities {
		rows = append(rows, []string{l.Locality, fmt.Sprint(l.UnitsSold), fmt.Sprint(l.Feedback), l.Rating.Decimal(2).String()})
	}
	f := decision.Figures
	rows = append(rows, []string{"all", fmt.Sprint(f.UnitsSold), fmt.Sprint(f.Feedback), f.Rating.Decimal(2).String()})
	s.md.table("lrrr", []string{"Locality", "Units sold", "Feedback", "Average rating"}, rows)
	if turnedAway > 0 {
		s.md.p("Once the %d units were gone the trainer turned %d more orders away (%q).", pilot.Quantity, turnedAway, refusal.Error())
	}
	for _, is := range pilot.Issues {
		s.md.p("Early buyers found the %s: issue %s (%s), opened on %s, was fixed on %s by version %s (%s).",
			is.Title, is.ID, is.Severity, date(is.Opened), date(is.Resolved), is.FixedIn, pilot.Improvements[0].Summary)
	}
	verdict := "**launch**"
	if !decision.Launch {
		verdict = "**do not launch**"
	}
	s.md.p("The launch decision at the end of the pilot, %s, version %s: %s.", date(decision.At), decision.Version, verdict)
	var reasons []string
	for _, r := range decision.Reasons {
		mark := "✓"
		if !r.Met {
			mark = "✗"
		}
		reasons = append(reasons, mark+" "+r.Detail)
	}
	s.md.list(reasons...)
}

// pilotFeedback returns the feedback of a field-test buyer in locality
// loc; before the display was fixed, many complain about it.
func (s *story) pilotFeedback(id, loc string, t time.Time, beforeFix bool) sp.Feedback {
	f := sp.Feedback{
		ID: sp.FeedbackID("fb-" + id), Product: sunbox, Source: sp.FromFieldTest, Locality: loc, Time: t,
		Rating: 5, Category: sp.FeedbackQuality, Text: "kept the lights on in a power cut",
	}
	switch r := s.rng.Float64(); {
	case beforeFix && r < 0.4:
		f.Rating, f.Text = 2, "cannot read the display in the sun"
	case r < 0.15:
		f.Rating, f.Category, f.Text = 3, sp.FeedbackService, "the installer came a week late"
	case r < 0.6:
		f.Rating, f.Text = 4, "quiet and compact"
	}
	return f
}
