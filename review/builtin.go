package review

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// builtinRules returns the built-in rules the document runs, in the
// order of [RuleSet].
func builtinRules(r *Rules) []Rule {
	var out []Rule
	rs := r.Rules
	if rs.TargetMet != nil {
		out = append(out, targetMetRule{rs.TargetMet})
	}
	if rs.TargetMissed != nil {
		out = append(out, targetMissedRule{rs.TargetMissed})
	}
	if rs.ConversionBelowPeers != nil {
		out = append(out, belowPeersRule{rs.ConversionBelowPeers})
	}
	if rs.RepProductLag != nil {
		out = append(out, productLagRule{rs.RepProductLag})
	}
	if rs.SlowFollowUp != nil {
		out = append(out, followUpRule{rs.SlowFollowUp})
	}
	if rs.ProductLosses != nil {
		out = append(out, productLossesRule{rs.ProductLosses})
	}
	if rs.ThinPipeline != nil {
		out = append(out, thinPipelineRule{rs.ThinPipeline})
	}
	if rs.Certification != nil {
		out = append(out, certificationRule{rs.Certification})
	}
	if rs.FeedbackPileup != nil {
		out = append(out, feedbackRule{rs.FeedbackPileup})
	}
	return out
}

var hundred = decimal.New(100, 0)

// percentText writes g's Percent to two places, but for a goal short of
// its target whose Percent rounds up to 100 (99.995 %): its percentage is
// then rounded down (99.99), so that a missed goal does not read as met.
// A row of a report made or decoded by hand may have a target that is not
// positive, which no percentage is computed of: its Percent is written as
// it is.
func (g GoalRow) percentText() string {
	target, booked := amountValue(g.Goal.Target()), amountValue(g.Booked)
	if g.Percent.LessThan(hundred) || !booked.LessThan(target) || target.Sign() <= 0 {
		return g.Percent.StringFixed(2)
	}
	q, _ := booked.Mul(hundred).QuoRem(target, 2)
	return q.StringFixed(2)
}

// goalEvidence are the figures of a goal.
func goalEvidence(g GoalRow) []Evidence {
	ev := []Evidence{
		{"target", g.Goal.Target().String()},
		{"attained", fmt.Sprintf("%s (%s %% of the target)", g.Booked, g.percentText())},
		{"status", words(g.Status)},
	}
	return ev
}

// goalFinding starts a finding about goal g.
func goalFinding(rule string, g GoalRow) Finding {
	return Finding{ID: rule + ":" + g.id(), Rule: rule, Subject: g.Subject()}
}

// goalText describes a goal and what its subject attained of it, at the
// start of a summary: "rep ann attained 25.00 % of the goal of 10000.00
// EUR for 2026-11".
func goalText(g GoalRow) string {
	return fmt.Sprintf("%s attained %s %% of the goal of %s for %s", g.name(), g.percentText(), g.Goal.Target(), g.Goal.Period)
}

// recognize returns the applause for the subject of a goal.
func recognize(subj Subject) []Action {
	switch {
	case subj.Rep != "":
		return []Action{{Kind: ActionRecognize, Rep: subj.Rep}}
	case subj.Region != "":
		return []Action{{Kind: ActionRecognize, Region: subj.Region}}
	}
	return nil
}

type targetMetRule struct{ c *TargetMet }

func (targetMetRule) Name() string { return RuleTargetMet }

func (r targetMetRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	var out []Finding
	for _, g := range s.Goals {
		target, booked := amountValue(g.Goal.Target()), amountValue(g.Booked)
		if booked.Mul(hundred).LessThan(r.c.MinPercent.Mul(target)) {
			continue
		}
		f := goalFinding(RuleTargetMet, g)
		f.Severity = SeverityInfo
		f.Summary = goalText(g) + ": applause"
		f.Evidence = goalEvidence(g)
		f.Actions = recognize(f.Subject)
		out = append(out, f)
	}
	return out, nil
}

type targetMissedRule struct{ c *TargetMissed }

func (targetMissedRule) Name() string { return RuleTargetMissed }

func (r targetMissedRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	var out []Finding
	for _, g := range s.Goals {
		if !slices.Contains(r.c.Statuses, g.Status) {
			continue
		}
		f := goalFinding(RuleTargetMissed, g)
		f.Severity = SeverityWarning
		// Exactly, as target_met compares: Percent is rounded.
		target, booked := amountValue(g.Goal.Target()), amountValue(g.Booked)
		if booked.Mul(hundred).LessThan(r.c.CriticalBelowPercent.Mul(target)) {
			f.Severity = SeverityCritical
		}
		d := s.Diagnose(f.Subject, s.Rate)
		f.Cause = d.Cause
		f.Summary = fmt.Sprintf("%s and %s; %s", goalText(g), statusWords(g.Status), d.Summary)
		f.Evidence = append(goalEvidence(g), d.Evidence...)
		f.Actions = s.actionsFor(d, f.Subject, &g)
		out = append(out, f)
	}
	return out, nil
}

type belowPeersRule struct{ c *ConversionBelowPeers }

func (belowPeersRule) Name() string { return RuleConversionBelowPeers }

func (r belowPeersRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	k := r.c.Rate
	var out []Finding
	for i := range s.Reps {
		rep := &s.Reps[i]
		if !s.judged(&rep.Figures, k) {
			continue
		}
		c := rep.VsTeam
		rest, _ := s.Team.Rate(k).Without(rep.Rate(k))
		if k != s.Rate || c.Verdict == "" {
			c = s.compare(famReps, k, rep.Rate(k), rest)
		}
		if c.Verdict != quota.VerdictBelow {
			continue
		}
		subj := RepSubject(rep.Rep)
		d := s.Diagnose(subj, k)
		summary := belowText(k, "rep "+string(rep.Rep), rep.Rate(k), "the rest of the team", rest)
		switch {
		case d.Cause == CauseRep && d.Product == "":
			// The rep's lag overall would say the same again.
		case d.Cause == CauseRep && d.Rep == rep.Rep:
			summary += "; " + s.oneProductText(rep, d.Product, k, rest, d.Summary)
		default:
			summary += "; " + d.Summary
		}
		out = append(out, Finding{
			Rule: RuleConversionBelowPeers, Subject: subj, Severity: SeverityWarning, Cause: d.Cause,
			Summary: summary,
			Evidence: append([]Evidence{
				{label(k) + " of rep " + string(rep.Rep), s.rateText(rep.Rate(k))},
				{label(k) + " of the rest of the team", s.rateText(rest)},
				{"difference", s.comparisonText(c, famReps, k)},
			}, d.Evidence...),
			Actions: s.actionsFor(d, subj, nil),
		})
	}
	return out, nil
}

// oneProductText words the cause of the lag of rep, given the rate rest
// of the rest of the team: the rep's lag on product, as summary says it,
// but for a rep whose every case of rate kind k is of product, whose
// counts there are those said already. Then it is "all of them on
// <product>" when the rest of the team's are all on it too, and otherwise
// "all of the rep's on <product>, against <counts> by <the other reps on
// it>".
func (s *Snapshot) oneProductText(rep *RepRow, product sp.ProductID, k RateKind, rest quota.Rate, summary string) string {
	c, ok := s.Cell(rep.Rep, product)
	if !ok || c.Rate(k) != rep.Rate(k) {
		return summary
	}
	_, peers, region := s.cellPeers(c, k)
	if peers == rest {
		return "all of them on " + string(product)
	}
	_, whoOnIt := peersWords(product, region)
	return "all of the rep's on " + string(product) + ", against " + rateCounts(k, peers) + " by " + whoOnIt
}

type productLagRule struct{ c *RepProductLag }

func (productLagRule) Name() string { return RuleRepProductLag }

func (r productLagRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	k := r.c.Rate
	var out []Finding
	for _, c := range s.Cells {
		if !s.judged(&c.Figures, k) || s.productWeak(k, c.Product).weak {
			continue
		}
		d, _, lags := s.cellLag(c, k)
		if !lags {
			continue
		}
		subj := RepProductSubject(c.Rep, c.Product)
		out = append(out, Finding{
			Rule: RuleRepProductLag, Subject: subj, Severity: SeverityWarning, Cause: CauseRep,
			Summary: d.Summary, Evidence: d.Evidence, Actions: s.actionsFor(d, subj, nil),
		})
	}
	return out, nil
}

type followUpRule struct{ c *SlowFollowUp }

func (followUpRule) Name() string { return RuleSlowFollowUp }

func (r followUpRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	var out []Finding
	for i := range s.Reps {
		rep := &s.Reps[i]
		ev, summary := s.slowFollowUp(&rep.Figures, rep.FollowUp, "of rep "+string(rep.Rep))
		if ev == nil {
			continue
		}
		sev := SeverityWarning
		u := rep.FollowUp
		if decimal.NewFromInt(u.Overdue).GreaterThan(r.c.CriticalOverdueShare.Mul(decimal.NewFromInt(u.Open))) {
			sev = SeverityCritical
		}
		subj := RepSubject(rep.Rep)
		d := Diagnosis{Cause: CauseProcess, Rep: rep.Rep}
		out = append(out, Finding{
			Rule: RuleSlowFollowUp, Subject: subj, Severity: sev, Cause: CauseProcess,
			Summary:  summary,
			Evidence: ev, Actions: s.actionsFor(d, subj, nil),
		})
	}
	return out, nil
}

type productLossesRule struct{ c *ProductLosses }

func (productLossesRule) Name() string { return RuleProductLosses }

func (r productLossesRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	var out []Finding
	for _, p := range s.Products {
		w := s.productWeak(s.Rate, p.Product)
		if !w.losses {
			continue
		}
		sev := SeverityWarning
		if atLeast(p.SignalLosses, p.Lost, r.c.CriticalLossShare) {
			sev = SeverityCritical
		}
		out = append(out, Finding{
			Rule: RuleProductLosses, Subject: ProductSubject(p.Product), Severity: sev, Cause: CauseProduct,
			Summary: w.summary, Evidence: w.evidence,
			Actions: []Action{{Kind: ActionProductFeedback, Product: p.Product}},
		})
	}
	return out, nil
}

type thinPipelineRule struct{ c *ThinPipeline }

func (thinPipelineRule) Name() string { return RuleThinPipeline }

// marketReaches reports whether a weak market of its region touches
// subject: a rep's only where the rep's rate is below the other regions',
// as in the market step of the diagnosis; a region's always.
func (s *Snapshot) marketReaches(subject Subject) bool {
	if subject.Rep == "" {
		return true
	}
	r, ok := s.Rep(subject.Rep)
	return ok && s.belowOtherRegions(&r, s.Rate)
}

func (r thinPipelineRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	var out []Finding
	for _, g := range s.Goals {
		if g.Status == quota.StatusMet || g.Over(s.AsOf) {
			continue
		}
		// Exactly, as target_met compares: Coverage is rounded.
		thinCover := g.Coverage.Valid && amountValue(g.Weighted).LessThan(r.c.MinCoverage.Mul(amountValue(g.Gap)))
		lowChance := g.Chance.LessThan(r.c.MinChance)
		if !thinCover && !lowChance {
			continue
		}
		f := goalFinding(RuleThinPipeline, g)
		f.Severity = SeverityWarning
		f.Cause = CauseProcess
		market := ""
		if region := s.regionOf(f.Subject); region != "" && s.regionWeak(s.Rate, region).weak && s.marketReaches(f.Subject) {
			f.Cause = CauseMarket
			market = ", in the weak market of region " + string(region)
		}
		coverage := "none (no gap)"
		if g.Coverage.Valid {
			coverage = g.Coverage.Decimal.StringFixed(2)
			if thinCover && !g.Coverage.Decimal.LessThan(r.c.MinCoverage) {
				// Rounded up to the minimum: told to more places, rounded
				// down, so that it reads below the minimum it is below.
				q, _ := amountValue(g.Weighted).QuoRem(amountValue(g.Gap), s.places())
				coverage = q.StringFixed(s.places())
			}
		}
		f.Summary = fmt.Sprintf("%s, %s, with a chance of %s of reaching it: the open pipeline is thin",
			goalText(g), words(g.Status), g.Chance.StringFixed(s.places()))
		if g.Coverage.Valid {
			f.Summary += fmt.Sprintf(", weighted at %s times the %s still to win", coverage, g.Gap)
		}
		f.Summary += market
		f.Evidence = append(goalEvidence(g),
			Evidence{"open deals", fmt.Sprintf("%d, %s, weighted %s", g.Open, g.Pipeline, roundAmount(g.Weighted))},
			Evidence{"coverage", fmt.Sprintf("%s (weighted pipeline over the gap of %s), at least %s wanted", coverage, g.Gap, r.c.MinCoverage)},
			Evidence{"chance of reaching the goal", fmt.Sprintf("%s ± %s (%s), at least %s wanted",
				g.Chance.StringFixed(s.places()), g.ChanceBound.StringFixed(s.places()), g.Method, r.c.MinChance)},
		)
		switch {
		case f.Subject.Rep != "":
			f.Actions = append(f.Actions, Action{Kind: ActionCoach, Rep: f.Subject.Rep, Topic: "building pipeline"})
		case f.Subject.Region != "":
			f.Actions = append(f.Actions, Action{Kind: ActionCoach, Region: f.Subject.Region, Topic: "building pipeline"})
		}
		// Down to the expected attainment; never up, for a goal unlikely
		// to be reached whose pipeline is a few big, unlikely deals.
		if expected := amountValue(g.Booked).Add(amountValue(g.Weighted)); g.Chance.LessThan(r.c.AdjustBelowChance) &&
			expected.LessThan(amountValue(g.Goal.Target())) {
			if a, ok := proposal(g, expected, "the expected attainment: booked plus the weighted open pipeline"); ok {
				f.Actions = append(f.Actions, a)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// regionOf returns the region of a subject: its own, or its rep's.
func (s *Snapshot) regionOf(subj Subject) sp.RegionID {
	if subj.Region != "" {
		return subj.Region
	}
	if r, ok := s.Rep(subj.Rep); ok {
		return r.Region
	}
	return ""
}

type certificationRule struct{ c *Certification }

func (certificationRule) Name() string { return RuleCertification }

func (r certificationRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	// flagged reports whether the first loop below flags cell c.
	flagged := func(c CellRow) bool {
		st := c.Certification
		return st != "" && st != training.CertValid && c.Closed()+c.Open+c.Inquiries > 0
	}
	var out []Finding
	for _, c := range s.Cells {
		st := c.Certification
		if !flagged(c) {
			continue
		}
		subj := RepProductSubject(c.Rep, c.Product)
		verb := "worked on" // open or lost deals, inquiries
		if c.Won > 0 {
			verb = "sold"
		}
		with := "with a certificate for it that is " + words(st)
		switch st {
		case training.CertMissing:
			with = "without a certificate for it"
		case training.CertExpired:
			with = "with an expired certificate for it"
		case training.CertOutdated:
			with = "with an outdated certificate for it"
		}
		out = append(out, Finding{
			Rule: RuleCertification, Subject: subj, Severity: SeverityWarning, Cause: CauseRep,
			Summary: fmt.Sprintf("rep %s %s product %s in the period %s", c.Rep, verb, c.Product, with),
			Evidence: []Evidence{
				{"certification", words(st)},
				{"work in the period", fmt.Sprintf("%d deals won, %d lost, %d open; %d inquiries", c.Won, c.Lost, c.Open, c.Inquiries)},
			},
			Actions: []Action{{Kind: ActionRetrain, Rep: c.Rep, Product: c.Product, Curriculum: c.Curriculum,
				Note: certificationNote(st, c.Curriculum)}},
		})
	}
	for _, cert := range s.Expiring {
		if c, ok := s.Cell(cert.Rep, cert.Product); ok && flagged(c) {
			continue // already flagged
		}
		subj := RepProductSubject(cert.Rep, cert.Product)
		channel := "every channel"
		if cert.Channel != "" {
			channel = "channel " + string(cert.Channel)
		}
		// On the date of the zone its times carry, the rep's or else the
		// period's (see Snapshot.Expiring), as the table of certificates
		// and the action's due time write it.
		expires := cert.Expires
		out = append(out, Finding{
			ID:   RuleCertification + ":" + subj.Key() + ":expiring" + channelKey(cert.Channel),
			Rule: RuleCertification, Subject: subj, Severity: SeverityInfo, Cause: CauseRep,
			Summary: fmt.Sprintf("the certificate of rep %s for product %s (%s) expires on %s",
				cert.Rep, cert.Product, channel, expires.Format("2006-01-02")),
			Evidence: []Evidence{
				{"expires", sp.FormatTime(expires)},
				{"brief version", cert.BriefVersion.String()},
			},
			Actions: []Action{{Kind: ActionRetrain, Rep: cert.Rep, Product: cert.Product, Curriculum: cert.Curriculum,
				Due: cert.Expires, Note: recertifyNote(cert)}},
		})
	}
	return out, nil
}

// certificationNote is the note of the action on a rep's certification
// that is not valid: its state and, for a certificate that has expired
// (withdrawn ones included) or that a major brief version has outdated,
// that renewing it takes a pass of every module of its curriculum again
// (see [training.Trainer.Certify]): of curriculum cu when the cell knows
// the curriculum that earned it ([CertificateFinder]), of the one that
// earned it, if any, otherwise; and for a rep without any certificate,
// that earning one takes a pass of every module of curriculum cu when
// [Options.Certifying] names it.
func certificationNote(st training.CertStatus, cu training.CurriculumID) string {
	note := "certification " + words(st)
	switch {
	case st == training.CertMissing && cu != "":
		note += ": pass every module of curriculum " + string(cu) + " to earn the certificate"
	case st != training.CertExpired && st != training.CertOutdated:
	case cu != "":
		note += ": pass every module of curriculum " + string(cu) + " again to renew the certificate"
	default:
		note += ": a certificate earned by a curriculum is renewed only by passing every module of the curriculum again"
	}
	return note
}

// recertifyNote is the note of the action on a certificate that expires
// soon: renewing it takes a pass of every module of its curriculum again
// (see [training.Trainer.Certify]), not only of the module assigned.
func recertifyNote(cert training.Certificate) string {
	if cert.Curriculum == "" {
		return "recertify before the certificate expires"
	}
	return "recertify before the certificate expires: pass every module of curriculum " + string(cert.Curriculum) + " again"
}

func channelKey(ch sp.ChannelID) string {
	if ch == "" {
		return ""
	}
	return ",channel=" + string(ch)
}

type feedbackRule struct{ c *FeedbackPileup }

func (feedbackRule) Name() string { return RuleFeedbackPileup }

func (r feedbackRule) Evaluate(_ context.Context, s *Snapshot) ([]Finding, error) {
	var out []Finding
	for _, p := range s.Products {
		f := p.Feedback
		if f.Count < r.c.MinCount || !atLeast(f.Low, f.Count, r.c.MinLowShare) {
			continue
		}
		cats := slices.Sorted(maps.Keys(f.Categories))
		slices.SortStableFunc(cats, func(a, b sp.FeedbackCategory) int { return int(f.Categories[b] - f.Categories[a]) })
		var parts []string
		for _, c := range cats {
			parts = append(parts, fmt.Sprintf("%s %d", words(c), f.Categories[c]))
		}
		out = append(out, Finding{
			Rule: RuleFeedbackPileup, Subject: ProductSubject(p.Product), Severity: SeverityWarning, Cause: CauseProduct,
			Summary: fmt.Sprintf("%d of the %d pieces of feedback on product %s in the period are rated %d or lower on a scale of %d to %d",
				f.Low, f.Count, p.Product, r.c.MaxRating, sp.MinRating, sp.MaxRating),
			Evidence: []Evidence{
				{"feedback", fmt.Sprintf("%d pieces, %d of them rated %d or lower (%s)", f.Count, f.Low, r.c.MaxRating, ratio(f.Low, f.Count, s.places()))},
				{"average rating", fmt.Sprintf("%s on a scale of %d to %d", f.Rating.Decimal(2).StringFixed(2), sp.MinRating, sp.MaxRating)},
				{"by category", strings.Join(parts, ", ")},
			},
			Actions: []Action{{Kind: ActionProductFeedback, Product: p.Product}},
		})
	}
	return out, nil
}

// actionsFor returns the actions a diagnosis calls for: retraining and
// coaching for a rep who lags on a product, coaching for a rep who lags
// overall or follows up slowly, product feedback for a product at fault, a
// goal adjustment of the weak market's region or of one of its reps for a
// weak market, nothing for too little data.
func (s *Snapshot) actionsFor(d Diagnosis, subj Subject, g *GoalRow) []Action {
	rep := d.Rep
	if rep == "" {
		rep = subj.Rep
	}
	switch d.Cause {
	case CauseRep:
		if d.Product != "" {
			return []Action{
				{Kind: ActionRetrain, Rep: rep, Product: d.Product},
				{Kind: ActionCoach, Rep: rep, Topic: "selling " + string(d.Product)},
			}
		}
		return []Action{{Kind: ActionCoach, Rep: rep, Topic: "converting inquiries and closing deals"}}
	case CauseProduct:
		return []Action{{Kind: ActionProductFeedback, Product: d.Product}}
	case CauseProcess:
		region := d.Region
		if rep == "" && region == "" {
			region = subj.Region
		}
		if rep == "" && region == "" {
			return nil
		}
		if rep != "" {
			region = ""
		}
		return []Action{{Kind: ActionCoach, Rep: rep, Region: region, Topic: "following up inquiries promptly"}}
	case CauseMarket:
		// The region's rate scales the goals of the region and its reps
		// only: not the company's, most of whose sales are elsewhere.
		if g == nil || s.regionOf(subj) != d.Region {
			return nil
		}
		return s.marketProposal(d.Region, *g)
	}
	return nil
}

// marketProposal proposes to scale goal g by the weak market's rate
// relative to the rest of the company's.
func (s *Snapshot) marketProposal(region sp.RegionID, g GoalRow) []Action {
	reg, ok := s.Region(region)
	if !ok {
		return nil
	}
	k := s.Rate
	rate := reg.Rate(k)
	rest, _ := s.Team.Rate(k).Without(rate)
	if rate.Den == 0 || rest.Num == 0 {
		return nil
	}
	num := decimal.NewFromInt(rate.Num).Mul(decimal.NewFromInt(rest.Den))
	den := decimal.NewFromInt(rate.Den).Mul(decimal.NewFromInt(rest.Num))
	if num.GreaterThan(den) {
		return nil
	}
	note := fmt.Sprintf("the target times %s, the %s of region %s (%s) relative to the other regions' (%s)",
		num.DivRound(den, 4).StringFixed(4), label(k), region, rate, rest)
	// Rounded once, to what proposal rounds to.
	places := int32(0)
	if g.Goal.Metric() == quota.MetricRevenue {
		places, _ = g.Goal.Revenue.Currency().MinorUnits()
	}
	if a, ok := proposal(g, amountValue(g.Goal.Target()).Mul(num).DivRound(den, places), note); ok {
		return []Action{a}
	}
	return nil
}

// proposal returns an action to adjust goal g to v, rounded half-up to the
// currency's minor unit (whole deals for a won-deal goal); false when the
// rounded target is not positive or is the goal's own.
func proposal(g GoalRow, v decimal.Decimal, note string) (Action, bool) {
	goal := g.Goal
	var amt quota.Amount
	if goal.Metric() == quota.MetricRevenue {
		m, err := sp.NewMoney(v, goal.Revenue.Currency())
		if err != nil {
			return Action{}, false
		}
		amt.Money = m.Round(sp.HalfUp)
	} else {
		amt.Deals = v.Round(0)
	}
	if amt.Sign() <= 0 || amountValue(amt).Equal(amountValue(goal.Target())) {
		return Action{}, false
	}
	return Action{Kind: ActionAdjustGoal, Rep: goal.Rep, Region: goal.Region, Product: goal.Product, Goal: &goal, Proposed: &amt, Note: note}, true
}
