package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// Who acts besides the reps and their managers.
var (
	intake      = sp.SystemActor("intake")       // the web form, the phone line, the field team's app
	serviceDesk = sp.SystemActor("service-desk") // delivery and after-sale follow-up
)

// lead is an inquiry as the story follows it through the month.
type lead struct {
	id       sp.InquiryID // empty for a deal carried over
	deal     sp.DealID
	campaign campaign
	channel  sp.ChannelID
	region   sp.Region
	product  sp.ProductID
	rep      member
}

// by is the rep who owns the lead, acting on it.
func (l *lead) by() sp.Actor { return sp.RepActor(l.rep.ID) }

// later returns the time d after t, in working hours in the lead's region.
func (l *lead) later(t time.Time, d time.Duration) time.Time {
	return workHours(t.Add(d), l.region.Loc())
}

// sell is step 2 of the process, the execution of the sales plan: the
// campaigns bring inquiries, each division's manager hands them to reps,
// the reps follow each one up with calls and visits, and the inquiries
// worth it become deals that are won or lost. Halfway through the month
// the reps' chances of reaching their goals are forecast.
func (s *story) sell(ctx context.Context) error {
	a := &agenda{clock: s.clock}
	// Each rep but the new one starts the month with the deals opened in
	// the last two weeks of the previous month.
	for _, m := range s.co.Team {
		if len(m.Ramp) > 0 {
			continue
		}
		for range 6 + s.rng.IntN(4) {
			a.at(workHours(s.month.Start().Add(-s.days(1, 14)), s.co.region(m.Division).Loc()), func(ctx context.Context) error { return s.carryOver(ctx, a, m) })
		}
	}
	y, m, _ := s.month.Start().Date()
	for _, c := range s.co.Campaigns {
		// Each campaign brings its inquiries over the month, in the daytime
		// of the customer's region.
		for range c.Inquiries + s.rng.IntN(c.Extra+1) {
			region := s.co.Regions[s.rng.IntN(len(s.co.Regions))]
			t := time.Date(y, m, 1+s.rng.IntN(s.month.Days()), 7, s.rng.IntN(14*60), 0, 0, region.Loc())
			a.at(t, func(ctx context.Context) error { return s.arrive(ctx, a, c, region) })
		}
	}

	// Halfway through the month: will each rep reach the goal?
	mid := s.month.Start().AddDate(0, 0, s.month.Days()/2)
	if err := a.runUntil(ctx, mid); err != nil {
		return err
	}
	s.md.h(2, "Step 2. Sales plan execution")
	var stages []string
	for st := range s.dealPipeline.Stages() {
		if st.Kind == pipeline.KindOpen {
			stages = append(stages, fmt.Sprintf("%s %s %%", st.Key, st.Probability.Shift(2)))
		}
	}
	s.md.p("The campaigns start on the 1st. Each rep but the new one also brings the deals opened in the two weeks before. Deals go through the company's pipeline, whose stages give the chance of winning a deal in them: %s.", strings.Join(stages, ", "))
	if err := s.forecast(ctx, mid); err != nil {
		return err
	}
	// Then to the end of the month in every division; what is planned for
	// later is next month's business, and those deals stay open.
	if err := a.runUntil(ctx, s.asOf()); err != nil {
		return err
	}
	return s.summarize(ctx)
}

// asOf is the end of the month under review in every division: the end of
// the month in the westernmost one.
func (s *story) asOf() time.Time {
	y, m, _ := s.month.Start().Date()
	end := s.month.End()
	for _, r := range s.co.Regions {
		end = maxTime(end, r.Month(y, m).End())
	}
	return end
}

// arrive records an inquiry from campaign c in region: the intake receives
// it, the division's manager assigns it to one of the division's reps, and
// the rep calls back within hours.
func (s *story) arrive(ctx context.Context, a *agenda, c campaign, region sp.Region) error {
	l := &lead{campaign: c, channel: c.Channel, region: region, product: c.Product}
	if l.product == "" { // a campaign for the whole range
		l.product = []sp.ProductID{sunbox, panelKit}[s.rng.IntN(2)]
	}
	n := len(s.leads) + 1
	l.id = sp.InquiryID(fmt.Sprintf("inq-%04d", n))
	localities := s.co.Localities[region.ID]
	if _, err := s.engine.ReceiveInquiry(ctx, intake, pipeline.Inquiry{
		ID: l.id, Channel: c.Channel, Campaign: c.ID, Region: region.ID, Product: l.product,
		Customer: sp.CustomerID(fmt.Sprintf("cust-%04d", n)), Locality: localities[s.rng.IntN(len(localities))],
	}, nil); err != nil {
		return err
	}
	s.leads = append(s.leads, l)

	// The manager may hand it only to a rep the trainer has certified for
	// the product: the engine asks.
	l.rep = s.pickRep(region.ID)
	if _, err := s.engine.AssignInquiry(ctx, sp.ManagerActor(region.Manager, region.ID), l.id, l.rep.ID, nil); err != nil {
		return err
	}
	a.at(l.later(s.clock.Peek(), s.hours(1, 12)), func(ctx context.Context) error { return s.callBack(ctx, a, l) })
	return nil
}

// callBack is the rep's first contact: a call. A day or two later the rep
// visits (for the panel kit, to survey the roof, and for leads of the
// field team) or calls again to assess what the customer needs.
func (s *story) callBack(ctx context.Context, a *agenda, l *lead) error {
	if _, err := s.engine.Contact(ctx, l.by(), l.id, pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall, Outcome: "reached"}, nil); err != nil {
		return err
	}
	a.at(l.later(s.clock.Peek(), s.hours(20, 50)), func(ctx context.Context) error { return s.assess(ctx, a, l) })
	return nil
}

// assess is the second touch, after which the rep qualifies the inquiry or
// disqualifies it with a reason. A qualified inquiry becomes a deal a few
// hours to a day or so later.
func (s *story) assess(ctx context.Context, a *agenda, l *lead) error {
	touch := pipeline.Activity{ID: "call-2", Kind: pipeline.ActivityCall, Outcome: "needs assessed"}
	if l.channel == visits || l.product == panelKit {
		touch = pipeline.Activity{ID: "visit-1", Kind: pipeline.ActivityVisit, Outcome: "site surveyed"}
	}
	touch.Done = s.clock.Peek()
	if _, err := s.engine.LogInquiryActivity(ctx, l.by(), l.id, touch, nil); err != nil {
		return err
	}
	if s.rng.Float64() >= l.campaign.Qualify {
		_, err := s.engine.Disqualify(ctx, l.by(), l.id, disqualifications[s.rng.IntN(len(disqualifications))], nil)
		return err
	}
	if _, err := s.engine.Qualify(ctx, l.by(), l.id, nil); err != nil {
		return err
	}
	a.at(l.later(s.clock.Peek(), s.hours(4, 30)), func(ctx context.Context) error { return s.convert(ctx, a, l) })
	return nil
}

// convert turns the qualified inquiry into a deal with its product line
// and expected close date, and plans the deal's course.
func (s *story) convert(ctx context.Context, a *agenda, l *lead) error {
	c := s.course(l, 1, 5)
	_, deal, err := s.engine.Convert(ctx, l.by(), l.id, pipeline.Conversion{
		Terms: pipeline.Terms{Lines: []pipeline.Line{s.line(l.product)}, ExpectedClose: c.close(s.clock.Peek())},
	}, nil)
	if err != nil {
		return err
	}
	l.deal = deal.ID
	s.follow(a, l, s.clock.Peek(), c)
	return nil
}

// carryOver opens one of the deals rep m brings from the previous month,
// a deal of a customer who came to them directly, and plans its course.
func (s *story) carryOver(ctx context.Context, a *agenda, m member) error {
	n := len(s.carried) + 1
	l := &lead{rep: m, region: s.co.region(m.Division), channel: []sp.ChannelID{visits, phone}[s.rng.IntN(2)],
		product: []sp.ProductID{sunbox, panelKit}[s.rng.IntN(2)], deal: sp.DealID(fmt.Sprintf("deal-carried-%02d", n))}
	c := s.course(l, 2, 6)
	if _, err := s.engine.OpenDeal(ctx, l.by(), pipeline.Deal{
		ID: l.deal, Owner: m.ID, Region: m.Division, Customer: sp.CustomerID(fmt.Sprintf("cust-carried-%02d", n)),
		Product: l.product, Channel: l.channel, Lines: []pipeline.Line{s.line(l.product)}, ExpectedClose: c.close(s.clock.Peek()),
	}, nil); err != nil {
		return err
	}
	s.carried = append(s.carried, l)
	s.follow(a, l, s.clock.Peek(), c)
	return nil
}

// follow plans the deal's course from start: it advances stage by stage
// and is won at the close, or lost on the way.
func (s *story) follow(a *agenda, l *lead, start time.Time, c course) {
	t := start
	for i, stage := range []pipeline.DealStage{pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation} {
		t = l.later(t, c.gaps[i])
		if !c.won && stage == c.lostAt {
			a.at(t, func(ctx context.Context) error { return s.lose(ctx, l) })
			return
		}
		a.at(t, func(ctx context.Context) error { return s.advance(ctx, l, stage) })
	}
	a.at(l.later(t, c.gaps[3]), func(ctx context.Context) error { return s.win(ctx, a, l) })
}

// advance moves the deal on; the proposal is presented in person or on
// the phone.
func (s *story) advance(ctx context.Context, l *lead, to pipeline.DealStage) error {
	if to == pipeline.DealProposal {
		kind := pipeline.ActivityCall
		if l.channel == visits || l.product == panelKit {
			kind = pipeline.ActivityVisit
		}
		if _, err := s.engine.LogDealActivity(ctx, l.by(), l.deal, pipeline.Activity{ID: "proposal", Kind: kind, Done: s.clock.Peek(), Outcome: "proposal presented"}, nil); err != nil {
			return err
		}
	}
	_, err := s.engine.Advance(ctx, l.by(), l.deal, to, nil)
	return err
}

// lose closes the deal as lost, with the reason the customer gave.
func (s *story) lose(ctx context.Context, l *lead) error {
	_, err := s.engine.Lose(ctx, l.by(), l.deal, s.lossReason(l), nil)
	return err
}

// win closes the deal as won. A week or so later it is delivered, and a
// few days after that the service desk calls the customer, whose feedback
// goes back to the company.
func (s *story) win(ctx context.Context, a *agenda, l *lead) error {
	if _, err := s.engine.Win(ctx, l.by(), l.deal, nil); err != nil {
		return err
	}
	delivered := l.later(s.clock.Peek(), s.days(5, 10))
	a.at(delivered, func(ctx context.Context) error {
		_, err := s.engine.Deliver(ctx, serviceDesk, l.deal, nil)
		return err
	})
	a.at(l.later(delivered, s.days(2, 5)), func(ctx context.Context) error {
		_, err := s.engine.FollowUp(ctx, serviceDesk, l.deal, []sp.Feedback{s.customerFeedback(l)}, nil)
		return err
	})
	return nil
}

// forecast prints how each goal stands at time asOf: what is booked, the
// pace and the run rate (quota.Attain), and the chance of reaching the
// goal from the deals open now (quota.Forecast).
func (s *story) forecast(ctx context.Context, asOf time.Time) error {
	var aerr, ferr error
	attained, err := quota.Attain(s.goals, s.deals(ctx, &aerr), asOf, nil)
	if err := firstErr(aerr, err); err != nil {
		return err
	}
	outlooks, err := quota.Forecast(s.goals, s.deals(ctx, &ferr), asOf, nil)
	if err := firstErr(ferr, err); err != nil {
		return err
	}
	var rows [][]string
	for i, o := range outlooks {
		a := attained[i]
		rows = append(rows, []string{string(o.Goal.Rep), o.Goal.Revenue.String(), a.Attained.String(),
			a.Pace.StringFixed(0) + " %", a.Projected.String(), fmt.Sprint(o.Open), o.Weighted.Money.Round(sp.HalfUp).String(),
			fmt.Sprintf("%.4f", o.Chance.Value)})
	}
	s.md.h(3, "Halfway: will the reps reach their goals?")
	s.md.p("On %s %s time, %d of the month's %d days have gone. quota.Attain gives what each rep has booked, the pace (booked against the part of the goal expected by now) and the run rate to the end of the month, both counting the time gone in the rep's own division's time zone; quota.Forecast gives the chance of reaching the goal with the deals open now and expected to close this month, each won with its stage's chance. The run rate counts on business to come, the chance only on the deals open now.", day(asOf), asOf.Location(), asOf.Day()-1, s.month.Days())
	s.md.table("lrrrrrrr", []string{"Rep", "Goal", "Booked", "Pace", "Run rate", "Open deals", "Weighted", "P(goal)"}, rows)
	return nil
}

// summarize prints what the month's campaigns brought and what came of
// it, read back from the store.
func (s *story) summarize(ctx context.Context) error {
	byCampaign := map[sp.CampaignID]int{}
	stages := map[pipeline.InquiryStage]int{}
	touches := map[pipeline.ActivityKind]int{}     // on inquiries
	dealTouches := map[pipeline.ActivityKind]int{} // on deals, in the month
	reasons := map[string]int{}
	for in, err := range s.salesStore.ListInquiries(ctx, pipeline.InquiryFilter{}) {
		if err != nil {
			return err
		}
		byCampaign[in.Campaign]++
		stages[in.Stage]++
		for _, a := range in.Activities {
			touches[a.Kind]++
		}
		if in.DisqualifyReason != "" {
			reasons[in.DisqualifyReason]++
		}
	}
	var won, lost, open int
	losses := map[string]int{}
	wonAmount := sp.NewAccumulator(s.co.Currency)
	// The month is the head office's, the review's period, in which the
	// review counts every deal's activities and close.
	month := s.month
	for d, err := range s.salesStore.ListDeals(ctx, pipeline.DealFilter{}) {
		if err != nil {
			return err
		}
		for _, a := range d.Activities {
			if month.Contains(a.Done) {
				dealTouches[a.Kind]++
			}
		}
		switch {
		case s.dealPipeline.IsOpen(d.Stage):
			open++
		case !month.Contains(d.Closed):
			// closed in the month before
		case d.Stage == pipeline.DealWon:
			won++
			if err := wonAmount.Add(d.Amount); err != nil {
				return err
			}
		default:
			lost++
			losses[string(d.Loss.Category)]++
		}
	}

	s.md.h(3, "The month's campaigns and follow-ups")
	var rows [][]string
	for _, c := range s.co.Campaigns {
		product := "all"
		if c.Product != "" {
			product = string(c.Product)
		}
		rows = append(rows, []string{string(c.ID), c.Name, string(c.Channel), product, c.Budget.String(), fmt.Sprint(byCampaign[c.ID])})
	}
	s.md.table("llllrr", []string{"Campaign", "Name", "Channel", "Product", "Budget", "Inquiries"}, rows)
	total := 0
	for _, n := range byCampaign {
		total += n
	}
	s.md.p("%d inquiries came in. The reps followed them up with %d calls and %d visits, and made %d calls and %d visits on deals in the month (%d activities in all): %d inquiries were disqualified (%s), %d converted to deals, %d still open at the end of the month. The review below counts as converted only the inquiries whose deal was won by the end of the month.",
		total, touches[pipeline.ActivityCall], touches[pipeline.ActivityVisit], dealTouches[pipeline.ActivityCall], dealTouches[pipeline.ActivityVisit],
		touches[pipeline.ActivityCall]+touches[pipeline.ActivityVisit]+dealTouches[pipeline.ActivityCall]+dealTouches[pipeline.ActivityVisit],
		stages[pipeline.InquiryDisqualified], counts(reasons),
		stages[pipeline.InquiryConverted], stages[pipeline.InquiryNew]+stages[pipeline.InquiryContacted]+stages[pipeline.InquiryQualified])
	s.md.p("In the month %d deals were won, for %s in all, and %d lost (%s); %d are still open.", won, wonAmount.Total(), lost, counts(losses), open)
	return nil
}
