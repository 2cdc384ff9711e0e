package main

import (
	"context"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// reviewTime is when the month is reviewed: the first morning of the next
// month at the head office.
func (s *story) reviewTime() time.Time {
	return s.month.End().Add(9 * time.Hour)
}

// review is step 3 of the process, feedback and analysis: the month's
// performance is measured against the goals, targets met are applauded,
// shortfalls are traced to their cause, from the product to the rep's
// competence, and the findings go back: retraining becomes training
// assignments, product shortcomings go to the product's owner.
func (s *story) review(ctx context.Context) (review.Report, error) {
	r, err := review.New(review.DefaultRules(), &review.Options{
		Clock: sp.FixedClock(s.reviewTime()),
		Actor: "sales-review",
		Quota: &quota.Options{Location: s.location},
		// Each rep's certificates are dated in the rep's division, as the
		// trainer counted their months there.
		Location: s.co.repZone,
		// The trainer tells who is certified, and takes the assignments;
		// the catalog names the module that teaches each product, the
		// modules of each curriculum, all of which a rep passes again to
		// renew its certificate, and the curriculum that certifies each
		// product, all of whose modules a rep without a certificate passes
		// to earn one.
		Certificates: s.trainer.Readiness(),
		Assigner:     s.trainer,
		Modules:      review.CatalogModules(s.catalog),
		Curricula:    review.CatalogCurricula(s.catalog),
		Certifying:   review.CatalogCertifying(s.catalog),
		// The findings and the product feedback go out as events; a host
		// would write them to an outbox table, the story keeps them.
		Publisher: sp.PublisherFunc(func(_ context.Context, e sp.Event) error {
			s.outbox = append(s.outbox, e)
			return nil
		}),
	})
	if err != nil {
		return review.Report{}, err
	}
	var derr, ierr error
	rep, err := r.Review(ctx, review.Input{
		// With no AsOf, the review looks from the end of the month in the
		// division whose month ends last, the westernmost, as the clock is
		// past it.
		Period:    s.month,
		Deals:     s.deals(ctx, &derr),
		Inquiries: s.inquiries(ctx, &ierr),
		Goals:     s.goals,
		Reps:      s.reps,
		Regions:   s.co.Regions,
		Products:  s.co.Products,
	})
	if err := firstErr(derr, ierr, err); err != nil {
		return review.Report{}, err
	}
	return rep, nil
}

// location returns the time zone of a region, in which package quota
// reckons a record's month.
func (s *story) location(id sp.RegionID) *time.Location { return s.co.region(id).Loc() }

// afterReview writes what the review's report does not show: the events
// it sent, the conversion of the month's inquiries by channel, by
// campaign and by campaign and product, with their intervals, and the
// retraining assignments as training holds them.
func (s *story) afterReview(ctx context.Context, d *doc) error {
	byType := map[string]int{}
	for _, e := range s.outbox {
		byType[e.Type]++
	}
	d.h(2, "Events")
	d.p("The review sent %d events to the host's outbox: %s.", len(s.outbox), counts(byType))

	opts := &quota.Options{Location: s.location}
	for _, by := range []struct {
		title, column string
		g             quota.Grouping
		key           func(quota.Key) string
	}{
		{"channel", "Channel", quota.Grouping{Channel: true}, func(k quota.Key) string { return string(k.Channel) }},
		{"campaign", "Campaign", quota.Grouping{Campaign: true}, func(k quota.Key) string { return string(k.Campaign) }},
		{"campaign and product", "Campaign and product", quota.Grouping{Campaign: true, Product: true}, func(k quota.Key) string { return string(k.Campaign) + ", " + string(k.Product) }},
	} {
		var derr, ierr error
		c, err := quota.CohortConversion(s.inquiries(ctx, &ierr), s.deals(ctx, &derr), s.month, s.asOf(), by.g, opts)
		if err := firstErr(ierr, derr, err); err != nil {
			return err
		}
		d.h(2, "Conversion by %s", by.title)
		var rows [][]string
		for _, g := range append(c.Groups, c.Total) {
			name := by.key(g.Key)
			if g.Key == (quota.Key{}) {
				name = "all"
			}
			rows = append(rows, []string{name, fmt.Sprint(g.Inquiries), fmt.Sprint(g.Won), rate(g.Conversion), wilson(g.Conversion), g.Conversion.Shrunk.Decimal.StringFixed(4)})
		}
		d.p("Of the inquiries received in %s, the share that became won deals by the end of the month (%s basis), with its 95 %% Wilson interval and the estimate shrunk toward the total (by a prior fitted to this table's rows, so that one group can shrink differently in two tables):", s.label(), c.Basis)
		d.table("lrrrlr", []string{by.column, "Inquiries", "Won", "Conversion", "95 % CI", "Shrunk"}, rows)
	}

	// The review's retraining actions are assignments in training now. A
	// week later each rep retakes the modules assigned, and passes with 90
	// % of the assessment's top score.
	assigned, err := s.trainer.Assignments(ctx, "", s.reviewTime())
	if err != nil {
		return err
	}
	d.h(2, "Retraining")
	if len(assigned) == 0 {
		d.p("The review assigned no retraining.")
		return nil
	}
	retake := s.reviewTime().AddDate(0, 0, 7)
	s.clock.Set(retake) // the retakes are recorded once taken
	for _, p := range assigned {
		a := p.Assignment
		m, _ := s.catalog.Module(a.Module)
		if _, err := s.trainer.RecordAttempt(ctx, training.Attempt{
			ID: training.AttemptID(fmt.Sprintf("%s-%s-retake", a.Rep, a.Module)), Rep: a.Rep, Module: a.Module,
			Score: m.Assessment.MaxScore * 9 / 10, Time: retake,
		}); err != nil {
			return err
		}
	}
	progress, err := s.trainer.Assignments(ctx, "", retake.Add(time.Hour))
	if err != nil {
		return err
	}
	d.p("The review's retraining actions are assignments in training. A week later, on %s, each rep retakes the modules assigned:", date(retake))
	var rows [][]string
	for _, p := range progress {
		a := p.Assignment
		m, _ := s.catalog.Module(a.Module)
		status := "open"
		if p.Done {
			status = "done on " + date(p.DoneAt)
		}
		rows = append(rows, []string{string(a.Rep), m.Title, date(a.Assigned), date(a.Due), status})
	}
	d.table("lllll", []string{"Rep", "Module", "Assigned", "Due", "Status"}, rows)
	return nil
}

// label is the month under review as "2026-11".
func (s *story) label() string { return s.month.Start().Format("2006-01") }
