package main

import (
	"errors"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// The company of the story, Sunfield Energy, sells home solar equipment
// in two regional sales divisions. Everything here is plain data in the
// library's root types; the story steps put it to work.

// The products: the SunBox, a home battery about to be field-tested and
// launched, and the panel kit the company has sold for years, sold by the
// panel.
const (
	sunbox   sp.ProductID = "sunbox"
	panelKit sp.ProductID = "panel-kit"
)

// The distribution channels, and the regional divisions.
const (
	visits sp.ChannelID = "visits"
	phone  sp.ChannelID = "phone"
	web    sp.ChannelID = "web"

	central sp.RegionID = "central"
	west    sp.RegionID = "west"
)

// company holds the cast of the story, built for the month under review
// by newCompany.
type company struct {
	Name     string
	Currency sp.Currency
	// HQ is the head office's time zone: the month under review is the
	// calendar month there.
	HQ       *time.Location
	Products []sp.Product
	Channels []sp.Channel
	Regions  []sp.Region
	// Localities are the towns each region's customers live in.
	Localities map[sp.RegionID][]string
	Team       []member
	Campaigns  []campaign
}

// member is a rep of the team, with what the story needs to know about
// them: where they will sell, their monthly goal, how they did in their
// assessments, and how well they sell each product.
type member struct {
	sp.Rep
	// Division is the regional division the rep is to join.
	Division    sp.RegionID
	MonthlyGoal sp.Money
	// Ramp is the new rep's ramp: the share of the monthly goal in their
	// first months.
	Ramp []string
	// Scores are the rep's attempts at the assessments, in order: a rep
	// who fails retakes.
	Scores map[training.ModuleID][]int
	// Skill multiplies the chance of winning a deal of each product: 1 is
	// the team's usual, below 1 a rep who struggles with the product.
	Skill map[sp.ProductID]float64
	// Share is the rep's share of the region's inquiries, relative to the
	// region's other reps.
	Share float64
	// PanelCertified is when the rep last took the panel-kit curriculum,
	// if before the training round of step 1.
	PanelCertified time.Time
}

// campaign is a marketing campaign of the month with what drives its
// inquiries: how many it brings and how many of them turn out to be worth
// a deal.
type campaign struct {
	sp.Campaign
	// Inquiries is how many inquiries the campaign brings at least, and
	// Extra how many more at most, drawn by the seed.
	Inquiries, Extra int
	// Qualify is the share of its inquiries that qualify.
	Qualify float64
}

// newCompany returns the company in the month under review, month, a
// calendar month in the head office's zone.
func newCompany(month sp.Period) (*company, error) {
	berlin := month.Location()
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		return nil, err
	}
	var errs []error // of the amounts below, reported together
	eur := func(s string) sp.Money {
		m, err := sp.ParseMoney(s + " EUR")
		errs = append(errs, err)
		return m
	}
	certified := func(monthsAgo, day int) time.Time {
		y, m, _ := month.Start().Date()
		return time.Date(y, m-time.Month(monthsAgo), day, 10, 0, 0, 0, berlin)
	}
	scores := func(sunboxBasics, panelBasics, visitSelling, phoneSelling []int) map[training.ModuleID][]int {
		return map[training.ModuleID][]int{
			"sunbox-basics": sunboxBasics, "panel-basics": panelBasics,
			"visit-selling": visitSelling, "phone-selling": phoneSelling,
		}
	}
	skill := func(onSunbox, onPanels float64) map[sp.ProductID]float64 {
		return map[sp.ProductID]float64{sunbox: onSunbox, panelKit: onPanels}
	}
	c := &company{
		Name: "Sunfield Energy", Currency: "EUR", HQ: berlin,
		Products: []sp.Product{
			{ID: sunbox, Name: "SunBox home battery", Owner: "pm-sunbox", Price: eur("5200.00")},
			{ID: panelKit, Name: "Solar panel kit", Owner: "pm-panels", Price: eur("450.00")},
		},
		Channels: []sp.Channel{
			{ID: visits, Name: "Field visits", Kind: sp.ChannelFieldVisit},
			{ID: phone, Name: "Phone", Kind: sp.ChannelPhone},
			{ID: web, Name: "Web shop", Kind: sp.ChannelOnline},
		},
		Regions: []sp.Region{
			{ID: central, Name: "Central", Location: berlin, Manager: "mgr-central"},
			{ID: west, Name: "West", Location: lisbon, Manager: "mgr-west"},
		},
		Localities: map[sp.RegionID][]string{
			central: {"Freiburg", "Leipzig", "Kassel"},
			west:    {"Porto", "Braga", "Coimbra"},
		},
		Team: []member{
			{Rep: sp.Rep{ID: "ana", Name: "Ana Weber"}, Division: central, MonthlyGoal: eur("70000.00"),
				Scores: scores([]int{18}, []int{17}, []int{86}, []int{80}), Skill: skill(1.1, 1.1), Share: 1},
			{Rep: sp.Rep{ID: "ben", Name: "Ben Fischer"}, Division: central, MonthlyGoal: eur("70000.00"),
				Scores: scores([]int{16}, []int{15}, []int{78}, []int{84}), Skill: skill(1, 1), Share: 1},
			// Dev scrapes through the SunBox assessment and will struggle to
			// sell it.
			{Rep: sp.Rep{ID: "dev", Name: "Dev Sharma"}, Division: central, MonthlyGoal: eur("70000.00"),
				Scores: scores([]int{12, 14}, []int{17}, []int{81}, []int{75}), Skill: skill(0.2, 1.05), Share: 1},
			{Rep: sp.Rep{ID: "eva", Name: "Eva Costa"}, Division: west, MonthlyGoal: eur("75000.00"),
				Scores: scores([]int{19}, []int{16}, []int{90}, []int{77}), Skill: skill(1.05, 1), Share: 1},
			// Hugo's panel-kit certificate dates from last year.
			{Rep: sp.Rep{ID: "hugo", Name: "Hugo Silva"}, Division: west, MonthlyGoal: eur("75000.00"),
				Scores: scores([]int{17}, []int{16}, []int{74}, []int{88}), Skill: skill(1, 0.95), Share: 1,
				PanelCertified: certified(11, 20)},
			// Lia joins this month: half her goal in her first month, three
			// quarters in her second.
			{Rep: sp.Rep{ID: "lia", Name: "Lia Moreira"}, Division: west, MonthlyGoal: eur("75000.00"), Ramp: []string{"0.5", "0.75"},
				Scores: scores([]int{15}, []int{15}, []int{72}, []int{61, 79}), Skill: skill(0.95, 0.95), Share: 0.6},
		},
		Campaigns: []campaign{
			{Campaign: sp.Campaign{ID: "roof-check", Name: "Free roof check", Channel: visits, Period: month, Budget: eur("6000.00")},
				Inquiries: 60, Extra: 20, Qualify: 0.9},
			{Campaign: sp.Campaign{ID: "sunbox-radio", Name: "SunBox launch on the radio", Channel: phone, Product: sunbox, Period: month, Budget: eur("15000.00")},
				Inquiries: 90, Extra: 30, Qualify: 0.7},
			{Campaign: sp.Campaign{ID: "search-ads", Name: "Search ads", Channel: web, Period: month, Budget: eur("4000.00")},
				Inquiries: 110, Extra: 40, Qualify: 0.35},
		},
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// region returns the region with id.
func (c *company) region(id sp.RegionID) sp.Region {
	for _, r := range c.Regions {
		if r.ID == id {
			return r
		}
	}
	return sp.Region{}
}

// repZone returns the time zone of the division of the rep with id, in
// which the trainer counts a certificate's months and the review writes
// its expiry; nil, the default, for a rep not in the team.
func (c *company) repZone(id sp.RepID) *time.Location {
	for _, m := range c.Team {
		if m.ID == id {
			return c.region(m.Division).Loc()
		}
	}
	return nil
}

// product returns the product with id.
func (c *company) product(id sp.ProductID) sp.Product {
	for _, p := range c.Products {
		if p.ID == id {
			return p
		}
	}
	return sp.Product{}
}
