package main

import (
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// The market: what the seeded randomness draws while the story runs, the
// outcomes that the library then records, counts and judges.

// workHours returns t if it falls in working hours, from 8:00 to 20:00
// in loc, and otherwise the time as many minutes past 8:00 the next
// morning (the same day's before 8:00).
func workHours(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	if h := l.Hour(); h >= 8 && h < 20 {
		return t
	}
	if l.Hour() >= 20 {
		l = l.AddDate(0, 0, 1)
	}
	return time.Date(l.Year(), l.Month(), l.Day(), 8, l.Minute(), 0, 0, loc)
}

// disqualifications are why inquiries come to nothing.
var disqualifications = []string{"rents the home, cannot install", "only comparing prices", "roof faces north", "no longer reachable"}

// line draws what a customer buys: a SunBox, or 8 to 16 panels, with 0, 5
// or 10 % off the list price.
func (s *story) line(product sp.ProductID) pipeline.Line {
	l := pipeline.Line{Product: product, Quantity: 1, UnitPrice: s.co.product(product).Price,
		Discount: decimal.New(int64(s.rng.IntN(3))*5, -2)}
	if product == panelKit {
		l.Quantity = int64(8 + s.rng.IntN(9))
	}
	return l
}

// course is how a deal will go: the time to each next stage
// (qualification, proposal, negotiation, close), and whether it is won or,
// if not, at which stage it is lost.
type course struct {
	gaps   [4]time.Duration
	won    bool
	lostAt pipeline.DealStage
}

// course draws the course of the deal of l, with lo to hi days between
// stages. Whether it will be won depends on the product and on how well
// the rep sells it.
func (s *story) course(l *lead, lo, hi int) course {
	c := course{
		won:    s.rng.Float64() < min(winRate[l.product]*l.rep.Skill[l.product], 0.95),
		lostAt: []pipeline.DealStage{pipeline.DealProposal, pipeline.DealNegotiation}[s.rng.IntN(2)],
	}
	for i := range c.gaps {
		c.gaps[i] = s.days(lo, hi)
	}
	return c
}

// close is when the deal is expected to close, from its start.
func (c course) close(start time.Time) time.Time {
	for _, g := range c.gaps {
		start = start.Add(g)
	}
	return start
}

// winRate is the usual chance of winning a deal of each product.
var winRate = map[sp.ProductID]float64{sunbox: 0.62, panelKit: 0.55}

// lossReason draws why the deal of l was lost. The panel kit loses many
// customers to its missing app; a rep who struggles with a product loses
// deals to their own execution.
func (s *story) lossReason(l *lead) pipeline.LossReason {
	reasons := lossReasons[l.product]
	if l.rep.Skill[l.product] < 0.5 {
		reasons = lossReasons[""]
	}
	r := s.rng.Float64()
	var loss pipeline.LossReason
	for _, c := range reasons {
		if loss = c.LossReason; r < c.share {
			break
		}
		r -= c.share
	}
	return loss
}

// lossReasons are why deals of each product are lost, with their shares;
// those under "" are a struggling rep's.
var lossReasons = map[sp.ProductID][]struct {
	pipeline.LossReason
	share float64
}{
	panelKit: {
		{pipeline.LossReason{Category: pipeline.LossProduct, Detail: "wants an app to see what the panels produce"}, 0.6},
		{pipeline.LossReason{Category: pipeline.LossPrice, Detail: "a neighbour's quote was cheaper"}, 0.25},
		{pipeline.LossReason{Category: pipeline.LossCompetitor, Detail: "went with the utility's offer"}, 0.15},
	},
	sunbox: {
		{pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too expensive without a subsidy"}, 0.45},
		{pipeline.LossReason{Category: pipeline.LossTiming, Detail: "waiting for next year's subsidy"}, 0.3},
		{pipeline.LossReason{Category: pipeline.LossCompetitor, Detail: "bought a battery from the installer"}, 0.25},
	},
	"": {
		{pipeline.LossReason{Category: pipeline.LossRepExecution, Detail: "could not explain how the backup switches over"}, 0.6},
		{pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too expensive without a subsidy"}, 0.4},
	},
}

// customerFeedback is what the customer of a won deal says at the
// follow-up: SunBox buyers are pleased, many panel-kit buyers miss an app.
func (s *story) customerFeedback(l *lead) sp.Feedback {
	f := sp.Feedback{ID: sp.FeedbackID("fb-" + string(l.deal)), Rating: 5, Category: sp.FeedbackQuality, Text: "kept the lights on in a power cut"}
	r := s.rng.Float64()
	switch {
	case l.product == panelKit && r < 0.6:
		f.Rating, f.Category, f.Text = 2, sp.FeedbackMissingFeature, "no app to see what the panels produce"
	case l.product == panelKit:
		f.Rating, f.Text = 4, "neat installation"
	case r < 0.4:
		f.Rating, f.Text = 4, "quiet and compact"
	}
	return f
}

// pickRep draws a rep of the division, by their share of its inquiries.
func (s *story) pickRep(region sp.RegionID) member {
	var team []member
	var total float64
	for _, m := range s.co.Team {
		if m.Division == region {
			team = append(team, m)
			total += m.Share
		}
	}
	r := s.rng.Float64() * total
	for _, m := range team {
		if r < m.Share {
			return m
		}
		r -= m.Share
	}
	return team[len(team)-1]
}

// hours draws a delay of lo to hi hours, in whole minutes.
func (s *story) hours(lo, hi int) time.Duration {
	return time.Duration(lo*60+s.rng.IntN((hi-lo)*60+1)) * time.Minute
}

// days draws a delay of lo to hi days, in whole minutes.
func (s *story) days(lo, hi int) time.Duration { return s.hours(24*lo, 24*hi) }
