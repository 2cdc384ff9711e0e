package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// newCatalog returns what the company teaches: a product-knowledge module
// per product, whose assessment ends with a score out of 20, a
// selling-technique module per channel reps sell on in person, and a
// curriculum per product, valid for a year, that certifies a rep to sell
// it on every channel.
func newCatalog() (*training.Catalog, error) {
	quiz := training.Assessment{MaxScore: 20, PassMark: 14, MaxAttempts: 3}
	roleplay := training.Assessment{MaxScore: 100, PassMark: 70, MaxAttempts: 3}
	return training.NewCatalog(
		[]training.Module{
			{ID: "sunbox-basics", Title: "The SunBox: pros, cons, what to say", Kind: training.ModuleProductKnowledge,
				Product: sunbox, BriefVersion: training.MustParseVersion("1.0"), Assessment: quiz},
			{ID: "panel-basics", Title: "The panel kit: pros, cons, what to say", Kind: training.ModuleProductKnowledge,
				Product: panelKit, BriefVersion: training.MustParseVersion("2.0"), Assessment: quiz},
			{ID: "visit-selling", Title: "Selling on a home visit", Kind: training.ModuleSellingTechnique, Channel: visits, Assessment: roleplay},
			{ID: "phone-selling", Title: "Selling on the phone", Kind: training.ModuleSellingTechnique, Channel: phone, Assessment: roleplay},
		},
		[]training.Curriculum{
			{ID: "sunbox-cert", Title: "SunBox certification", Product: sunbox,
				Modules: []training.ModuleID{"sunbox-basics", "visit-selling", "phone-selling"}, ValidMonths: 12},
			{ID: "panel-cert", Title: "Panel kit certification", Product: panelKit,
				Modules: []training.ModuleID{"panel-basics", "visit-selling", "phone-selling"}, ValidMonths: 12},
		},
	)
}

// sunboxBrief returns the brief of version v of the SunBox: what reps learn
// about it, what they must say and what they must never say.
func sunboxBrief(v training.Version, published time.Time) training.Brief {
	return training.Brief{
		Product: sunbox, Version: v, Published: published,
		Pros:        []string{"keeps the house running in a power cut", "stores the panels' midday power for the evening"},
		Cons:        []string{"pays off only with panels on the roof", "needs a dry place indoors"},
		KeyMessages: []string{"use more of your own solar power", "backup power for the essentials"},
		Prohibited: []training.Claim{
			{Phrase: "guaranteed savings", Variants: []string{"savings guaranteed"},
				Reason: "savings depend on use and tariffs", Severity: training.SeverityCritical},
			{Phrase: "unlimited backup", Reason: "backup lasts as long as the charge", Severity: training.SeverityWarning},
		},
		Disclosures: []training.Disclosure{{Phrase: "installation is priced separately", Severity: training.SeverityWarning}},
		Objections:  []training.Objection{{Objection: "too expensive", Answer: "most buyers get a storage subsidy"}},
	}
}

// panelBrief returns the brief of the panel kit, in force for years.
func panelBrief(published time.Time) training.Brief {
	return training.Brief{
		Product: panelKit, Version: training.MustParseVersion("2.0"), Published: published,
		Pros:       []string{"sized to the roof, panel by panel"},
		Cons:       []string{"no app to see what the panels produce"},
		Prohibited: []training.Claim{{Phrase: "no maintenance ever", Reason: "panels need cleaning", Severity: training.SeverityWarning}},
	}
}

// train is step 1 of the process: the reps learn the products' pros and
// cons, what to say and what not to say, and how to sell on each channel;
// they are certified, assigned to their regional divisions, and given
// their monthly goals.
func (s *story) train(ctx context.Context) error {
	round := s.monthsBefore(2).Start().AddDate(0, 0, 14).Add(9 * time.Hour) // the training round, after the launch decision
	if err := s.trainer.PublishBrief(ctx, panelBrief(s.monthsBefore(24).Start())); err != nil {
		return err
	}
	s.md.h(2, "Step 1. Training and onboarding")
	if err := s.checkPitch(ctx, round); err != nil {
		return err
	}
	if err := s.certify(ctx, round); err != nil {
		return err
	}
	return s.onboard(ctx)
}

// checkPitch shows what the SunBox's brief in force at time at tells reps
// to say and never to say, and a pitch check of a script against it.
func (s *story) checkPitch(ctx context.Context, at time.Time) error {
	brief, err := s.trainingStore.BriefAt(ctx, sunbox, at)
	if err != nil {
		return err
	}
	s.md.p("The %s brief %s tells reps what to say (%s) and what never to say (%s). A pitch check finds both in a script:",
		s.co.product(sunbox).Name, brief.Version, strings.Join(brief.KeyMessages, "; "), claims(brief.Prohibited))

	// A pitch check catches what a rep must not say before a customer
	// hears it.
	script := "Hi, Dev from Sunfield! With the SunBox you get Guaranteed SAVINGS and unlimited backup, from day one."
	check, err := training.CheckPitch(brief, phone, script)
	if err != nil {
		return err
	}
	var found []string
	for _, v := range check.Violations {
		found = append(found, fmt.Sprintf("%s: %q (%s)", v.Severity, script[v.Start:v.End], v.Reason))
	}
	for _, d := range check.Missing {
		found = append(found, fmt.Sprintf("%s: missing %q", d.Severity, d.Phrase))
	}
	s.md.p("> %s", script)
	s.md.list(found...)
	return nil
}

// certify has each rep take, in the training round, the assessments of
// both curricula, and certifies them for each product. Hugo took all but
// the SunBox's last year, for the panel-kit certificate he holds.
func (s *story) certify(ctx context.Context, round time.Time) error {
	var rows [][]string
	for _, m := range s.co.Team {
		row := []string{string(m.ID)}
		for _, mod := range []training.ModuleID{"sunbox-basics", "panel-basics", "visit-selling", "phone-selling"} {
			at := round
			if !m.PanelCertified.IsZero() && mod != "sunbox-basics" {
				at = m.PanelCertified
			}
			var cell []string
			for i, score := range m.Scores[mod] {
				a, err := s.trainer.RecordAttempt(ctx, training.Attempt{
					ID:  training.AttemptID(fmt.Sprintf("%s-%s-%d", m.ID, mod, i+1)),
					Rep: m.ID, Module: mod, Score: score, Time: at.Add(time.Duration(i) * 24 * time.Hour),
				})
				if err != nil {
					return err
				}
				module, _ := s.catalog.Module(mod)
				mark := ""
				if !a.Passed {
					mark = " ✗"
				}
				cell = append(cell, fmt.Sprintf("%d/%d%s", a.Score, module.Assessment.MaxScore, mark))
			}
			row = append(row, strings.Join(cell, ", "))
		}
		var certs []string
		for _, c := range []training.CurriculumID{"panel-cert", "sunbox-cert"} {
			// The certificate is issued, at the trainer's clock, a week
			// after the assessments.
			assessed := round
			if c == "panel-cert" && !m.PanelCertified.IsZero() {
				assessed = m.PanelCertified
			}
			s.clock.Set(assessed.Add(7 * 24 * time.Hour))
			cert, err := s.trainer.Certify(ctx, m.ID, c)
			if err != nil {
				return err
			}
			certs = append(certs, fmt.Sprintf("%s %s until %s", cert.Product, cert.BriefVersion, date(cert.Expires)))
		}
		rows = append(rows, append(row, strings.Join(certs, "; ")))
	}
	var earlier []string
	for _, m := range s.co.Team {
		if !m.PanelCertified.IsZero() {
			earlier = append(earlier, fmt.Sprintf("%s took all but SunBox basics earlier, on %s, and holds the panel-kit certificate issued a week later", m.ID, date(m.PanelCertified)))
		}
	}
	intro := "Every rep took the assessments (✗: failed, then retaken) and was certified a week later"
	if len(earlier) > 0 {
		intro += "; " + strings.Join(earlier, "; ")
	}
	s.md.p("%s:", intro)
	s.md.table("llllll", []string{"Rep", "SunBox basics", "Panel basics", "Home visits", "Phone", "Certified for"}, rows)
	return nil
}

// onboard assigns each certified rep to a division from the first of the
// month, with a monthly goal; package quota turns it into the month's
// goal, in the division's time zone, ramped for the new rep.
func (s *story) onboard(ctx context.Context) error {
	var rows [][]string
	y, mo, _ := s.month.Start().Date()
	for _, m := range s.co.Team {
		region := s.co.region(m.Division)
		o := training.Onboarding{Rep: m.ID, Region: region.ID, Start: region.Month(y, mo).Start(), MonthlyGoal: m.MonthlyGoal}
		for _, step := range m.Ramp {
			o.Ramp = append(o.Ramp, decimal.RequireFromString(step))
		}
		o, err := s.trainer.Onboard(ctx, o)
		if err != nil {
			return err
		}
		rep, err := o.Assign(m.Rep)
		if err != nil {
			return err
		}
		s.reps = append(s.reps, rep)
		goals, err := quota.Ramp{
			Rep: o.Rep, Region: o.Region, Start: o.Start, Monthly: o.MonthlyGoal, Steps: o.Ramp, Location: region.Loc(),
		}.Goals(1)
		if err != nil {
			return err
		}
		s.goals = append(s.goals, goals...)
		var ramp []string
		for _, f := range o.Ramp {
			ramp = append(ramp, f.Shift(2).String()+" %")
		}
		rows = append(rows, []string{string(rep.ID), fmt.Sprintf("%s (%s)", region.ID, region.Loc()), date(o.Start),
			o.MonthlyGoal.String(), strings.Join(ramp, ", "), goals[0].Revenue.String()})
	}
	s.md.p("Onboarding assigned each rep to a regional division with a monthly goal; Lia, new, is on a ramp:")
	s.md.table("lllrlr", []string{"Rep", "Division (time zone)", "From", "Monthly goal", "Ramp", "Goal for " + s.label()}, rows)
	return nil
}

// claims lists the phrases of prohibited claims.
func claims(cs []training.Claim) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%q", c.Phrase))
	}
	return strings.Join(out, ", ")
}
