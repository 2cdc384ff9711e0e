package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// Deals are counted as they stood at the as-of time: one won or lost
// after it was still open then, and one created after it did not exist.
func TestOpenAtAsOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	deal := func(id sp.DealID, stage pipeline.DealStage, created, closed time.Time) pipeline.Deal {
		d := pipeline.Deal{ID: id, Owner: "ann", Region: north, Product: widget, Customer: "c", Stage: stage,
			Amount: mustMoney("1000.00 EUR"), Created: created, Closed: closed, Probability: decimal.New(5, -1)}
		if stage == pipeline.DealLost {
			d.Loss = &pipeline.LossReason{Category: pipeline.LossPrice, Detail: "price"}
		}
		return d
	}
	deals := []pipeline.Deal{
		deal("won-before", pipeline.DealWon, day(2), day(5)),
		deal("won-after", pipeline.DealWon, day(10), day(25)),
		deal("lost-after", pipeline.DealLost, day(12), day(26)),
		deal("open", pipeline.DealProposal, day(15), time.Time{}),
		deal("created-after", pipeline.DealProposal, day(21), time.Time{}),
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(20), Deals: quota.Refs(deals)})
	require.NoError(t, err)
	ann, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(1), ann.Won)
	assert.Equal(t, int64(0), ann.Lost)
	assert.Equal(t, int64(3), ann.Open)
	assert.Equal(t, "3000.00 EUR", ann.OpenAmount.String())
	assert.Equal(t, int64(3), rep.Snapshot.Team.Open)
}

// Inquiries are judged as they stood at the as-of time too: one closed
// after it was still open then, and overdue if its follow-up was late.
func TestInquiriesOpenAtAsOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	move := func(from, to pipeline.InquiryStage, at time.Time) pipeline.Transition[pipeline.InquiryStage] {
		return pipeline.Transition[pipeline.InquiryStage]{From: from, To: to, At: at, Actor: "rep-ann"}
	}
	inquiry := func(id sp.InquiryID, received time.Time, stage pipeline.InquiryStage, history ...pipeline.Transition[pipeline.InquiryStage]) pipeline.Inquiry {
		return pipeline.Inquiry{ID: id, Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
			Received: received, Stage: stage, History: append([]pipeline.Transition[pipeline.InquiryStage]{move("", pipeline.InquiryNew, received)}, history...)}
	}
	contacted := inquiry("contacted-then-converted", day(10), pipeline.InquiryConverted,
		move(pipeline.InquiryNew, pipeline.InquiryContacted, day(11)),
		move(pipeline.InquiryContacted, pipeline.InquiryQualified, day(22)),
		move(pipeline.InquiryQualified, pipeline.InquiryConverted, day(22)))
	contacted.Activities = []pipeline.Activity{{ID: "call", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: day(11)}}
	inquiries := []pipeline.Inquiry{
		// Never contacted, disqualified after the as-of time: open and
		// overdue then (first contact due within a day).
		inquiry("disqualified-after", day(10), pipeline.InquiryDisqualified, move(pipeline.InquiryNew, pipeline.InquiryDisqualified, day(25))),
		// Contacted on the 11th, converted after the as-of time: open then,
		// its next touch (within three days) late since the 14th.
		contacted,
		// Disqualified before the as-of time: closed then.
		inquiry("disqualified-before", day(12), pipeline.InquiryDisqualified, move(pipeline.InquiryNew, pipeline.InquiryDisqualified, day(15))),
		// Received after the as-of time.
		inquiry("received-after", day(21), pipeline.InquiryNew),
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(20), Inquiries: quota.Refs(inquiries)})
	require.NoError(t, err)
	ann, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(2), ann.FollowUp.Open)
	assert.Equal(t, int64(2), ann.FollowUp.Overdue)
	assert.Equal(t, int64(2), rep.Snapshot.Team.FollowUp.Open)
}

// A review without an as-of time looks from the clock's time, or from the
// end of the period when the clock is past it.
func TestAsOfDefaultsToPeriodEnd(t *testing.T) {
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()}) // December 1
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november})
	require.NoError(t, err)
	assert.True(t, rep.AsOf.Equal(november.End()), "as of %s, want %s", rep.AsOf, november.End())
}

// What happened after the as-of time does not count: an inquiry received
// after it, a first contact made after it, a deal won after it from an
// inquiry of the period.
func TestInquiryFiguresAtAsOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	asOf := day(20)
	received := func(id sp.InquiryID, at time.Time, deal sp.DealID) pipeline.Inquiry {
		return pipeline.Inquiry{ID: id, Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
			Received: at, Stage: pipeline.InquiryNew, Deal: deal}
	}
	// Received after the as-of time, with no history: not yet there.
	later := received("received-after", day(21), "")
	later.Owner = "bob"
	// Contacted only after the as-of time: still waiting for its first
	// response then.
	waiting := received("contacted-after", day(10), "")
	waiting.Stage = pipeline.InquiryContacted
	waiting.History = []pipeline.Transition[pipeline.InquiryStage]{
		{From: "", To: pipeline.InquiryNew, At: day(10), Actor: "rep-ann"},
		{From: pipeline.InquiryNew, To: pipeline.InquiryContacted, At: day(22), Actor: "rep-ann"},
	}
	// Converted to deals: one won before the as-of time, one after.
	wonBefore := received("won-before", day(5), "d-before")
	wonBefore.Stage = pipeline.InquiryConverted
	wonAfter := received("won-after", day(6), "d-after")
	wonAfter.Stage = pipeline.InquiryConverted
	won := func(id sp.DealID, inquiry sp.InquiryID, closed time.Time) pipeline.Deal {
		return pipeline.Deal{ID: id, Owner: "ann", Region: north, Product: widget, Customer: "c", Stage: pipeline.DealWon,
			Inquiry: inquiry, Amount: mustMoney("1000.00 EUR"), Created: day(7), Closed: closed}
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf,
		Inquiries: quota.Refs([]pipeline.Inquiry{later, waiting, wonBefore, wonAfter}),
		Deals:     quota.Refs([]pipeline.Deal{won("d-before", "won-before", day(15)), won("d-after", "won-after", day(25))})})
	require.NoError(t, err)
	s := &rep.Snapshot
	assert.Equal(t, int64(3), s.Team.Inquiries, "the inquiry received after the as-of time is not counted")
	_, ok := s.Rep("bob")
	assert.False(t, ok, "a rep whose only record came after the as-of time has no row")
	assert.Equal(t, int64(1), s.Team.FollowUp.Open, "only the inquiry contacted after the as-of time was open then")
	ann, ok := s.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(1), ann.Converted, "only the deal won by the as-of time converts its inquiry")
	assert.Equal(t, "1/3", ann.Conversion.Rate.String())
	assert.Equal(t, int64(3), ann.FollowUp.Pending, "no first response by the as-of time")
	assert.Equal(t, int64(0), ann.FollowUp.FirstResponse.Count)
}

// A goal's forecast at the as-of time takes no deal created after it,
// as the figures do not: the deal did not exist then.
func TestGoalForecastAtAsOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	deal := func(id sp.DealID, created time.Time) pipeline.Deal {
		return pipeline.Deal{ID: id, Owner: "ann", Region: north, Product: widget, Customer: "c", Stage: pipeline.DealProposal,
			Amount: mustMoney("1000.00 EUR"), Created: created, ExpectedClose: day(28), Probability: decimal.New(5, -1)}
	}
	deals := []pipeline.Deal{deal("open", day(15)), deal("created-after", day(21))}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	goal := quota.Goal{Rep: "ann", Region: north, Period: november, Revenue: mustMoney("5000.00 EUR")}
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(20), Deals: quota.Refs(deals),
		Goals: []quota.Goal{goal}})
	require.NoError(t, err)
	ann, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(1), ann.Open)
	require.Len(t, rep.Snapshot.Goals, 1)
	row := rep.Snapshot.Goals[0]
	assert.Equal(t, int64(1), row.Open)
	assert.Equal(t, "1000.00 EUR", row.Pipeline.String())
	assert.Equal(t, "500.00 EUR", row.Weighted.String())
}

// A contact dated before the inquiry was received answers nothing, as
// [pipeline.FirstContact] has it: an inquiry with no other contact is
// still pending, and one contacted again after its receipt counts its
// first response from there.
func TestContactBeforeReceipt(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.November, d, 12, 0, 0, 0, time.UTC) }
	call := func(done time.Time) pipeline.Activity {
		return pipeline.Activity{ID: "call-" + done.Format("02"), Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: done}
	}
	early := pipeline.Inquiry{ID: "early", Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
		Received: day(10), Stage: pipeline.InquiryNew, Activities: []pipeline.Activity{call(day(9))}}
	again := early
	again.ID = "again"
	again.Activities = []pipeline.Activity{call(day(9)), call(day(11))}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(20),
		Inquiries: quota.Refs([]pipeline.Inquiry{early, again})})
	require.NoError(t, err)
	ann, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(1), ann.FollowUp.Pending, "the contact before receipt is no first contact")
	require.Equal(t, int64(1), ann.FollowUp.FirstResponse.Count)
	assert.Equal(t, 24*time.Hour, ann.FollowUp.FirstResponse.Median)
}

// An inquiry listed twice counts once, as quota's calculators count a
// repeated inquiry ID: one received before the period that is still open
// adds one to the open and overdue figures and its activities once, as one
// received in the period does.
func TestRepeatedInquiryCountsOnce(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	call := pipeline.Activity{ID: "call", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: day(time.November, 3)}
	inquiry := func(id sp.InquiryID, received time.Time) pipeline.Inquiry {
		return pipeline.Inquiry{ID: id, Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
			Received: received, Stage: pipeline.InquiryNew, Activities: []pipeline.Activity{call}}
	}
	earlier, inPeriod := inquiry("earlier", day(time.October, 20)), inquiry("in-period", day(time.November, 2))
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	once, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(time.November, 20),
		Inquiries: quota.Refs([]pipeline.Inquiry{earlier, inPeriod})})
	require.NoError(t, err)
	twice, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(time.November, 20),
		Inquiries: quota.Refs([]pipeline.Inquiry{earlier, inPeriod, earlier, inPeriod})})
	require.NoError(t, err)
	for _, rep := range []review.Report{once, twice} {
		ann, ok := rep.Snapshot.Rep("ann")
		require.True(t, ok)
		assert.Equal(t, int64(2), ann.FollowUp.Open)
		assert.Equal(t, int64(2), ann.FollowUp.Overdue)
		assert.Equal(t, int64(2), rep.Snapshot.Team.FollowUp.Open)
		assert.Equal(t, int64(2), rep.Snapshot.Team.FollowUp.Overdue)
		assert.Equal(t, int64(2), ann.Activities)
		assert.Equal(t, int64(1), ann.Inquiries)
	}
	assert.Equal(t, once.Snapshot.Team, twice.Snapshot.Team)
}

// Inquiries without an ID each count, even alike: two received in the
// period count two inquiries, and two received before it that are still
// open count two open ones and their activities twice.
func TestInquiriesWithoutIDEachCount(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	call := pipeline.Activity{ID: "call", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: day(time.November, 3)}
	inquiry := func(received time.Time) pipeline.Inquiry {
		return pipeline.Inquiry{Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
			Received: received, Stage: pipeline.InquiryNew, Activities: []pipeline.Activity{call}}
	}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	for _, received := range []time.Time{day(time.October, 20), day(time.November, 2)} {
		rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: day(time.November, 20),
			Inquiries: quota.Refs([]pipeline.Inquiry{inquiry(received), inquiry(received)})})
		require.NoError(t, err)
		ann, ok := rep.Snapshot.Rep("ann")
		require.True(t, ok)
		assert.Equal(t, int64(2), ann.FollowUp.Open, received)
		assert.Equal(t, int64(2), ann.Activities, received)
		assert.Equal(t, int64(2), rep.Snapshot.Team.FollowUp.Open, received)
		if november.Contains(received) {
			assert.Equal(t, int64(2), ann.Inquiries, received)
		}
	}
}

// zones loads the named time zones.
func zones(t *testing.T, names ...string) []*time.Location {
	t.Helper()
	locs := make([]*time.Location, len(names))
	for i, name := range names {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		locs[i] = loc
	}
	return locs
}

// A month-end review with the zero AsOf, run the next morning, looks from
// the end of the month of the westernmost goal: Cat's Lisbon November
// ends an hour after Berlin's, so her goal is missed then, examined and
// traced to her lag on widgets, and thin_pipeline neither finds its
// pipeline thin nor proposes to lower it. Her deal won in Lisbon's last
// hour counts toward her goal, but not in the rows of Berlin's November.
func TestZeroAsOfLooksFromWesternGoalsEnd(t *testing.T) {
	locs := zones(t, "Europe/Berlin", "Europe/Lisbon")
	berlin, lisbon := locs[0], locs[1]
	nov := sp.Month(2026, time.November, berlin)
	lisbonNov := sp.Month(2026, time.November, lisbon)
	target := mustMoney("11000.00 EUR")
	goals := []quota.Goal{
		{Rep: "ann", Region: north, Period: sp.Month(2026, time.November, berlin), Revenue: target},
		{Rep: "cat", Region: south, Period: lisbonNov, Revenue: target},
	}
	deals := append(monthDeals("ann", north, widget, berlin, 2026, time.November, 14, 4),
		monthDeals("dan", north, widget, berlin, 2026, time.November, 12, 5)...)
	deals = append(deals, monthDeals("cat", south, widget, lisbon, 2026, time.November, 9, 14)...)
	late := deals[0]
	late.ID, late.Owner, late.Region = "late", "cat", south
	late.Closed = time.Date(2026, time.November, 30, 23, 30, 0, 0, lisbon) // 00:30 in Berlin
	deals = append(deals, late)

	events := &pipelinetest.Recorder{}
	r, err := review.New(review.DefaultRules(), &review.Options{
		Clock: sp.FixedClock(time.Date(2026, time.December, 1, 8, 0, 0, 0, berlin)), Publisher: events,
	})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: nov, Deals: quota.Refs(deals), Goals: goals})
	require.NoError(t, err)

	assert.True(t, rep.AsOf.Equal(lisbonNov.End()), "as of %s, want %s", rep.AsOf, lisbonNov.End())
	assert.True(t, rep.Snapshot.AsOf.Equal(rep.AsOf))
	require.Len(t, rep.Snapshot.Goals, 2)
	cat := rep.Snapshot.Goals[1]
	require.Equal(t, review.RepSubject("cat"), cat.Subject())
	assert.Equal(t, quota.StatusMissed, cat.Status)
	assert.Equal(t, "10000.00 EUR", cat.Booked.String(), "the deal won in Lisbon's last hour counts toward the goal")
	assert.Equal(t, int64(0), cat.Open)

	catRow, ok := rep.Snapshot.Rep("cat")
	require.True(t, ok)
	assert.Equal(t, int64(9), catRow.Won, "the deal closed after Berlin's November is not the period's")
	assert.Equal(t, int64(0), catRow.Open, "nor open at the as-of time")

	missed, ok := findings(rep, review.RepSubject("cat"))[review.RuleTargetMissed]
	require.True(t, ok, "target_missed examines the missed goal: %v", rep.Findings)
	assert.Equal(t, review.CauseRep, missed.Cause)
	assert.Contains(t, missed.Summary, "widget")
	_, thin := findings(rep, review.RepSubject("cat"))[review.RuleThinPipeline]
	assert.False(t, thin, "no thin pipeline for a goal that is over")
	assert.Empty(t, rep.Outcome.GoalProposals)

	// The events are named by the as-of time.
	require.NotEmpty(t, rep.Outcome.Events)
	for _, id := range rep.Outcome.Events {
		assert.Contains(t, id, "/2026-12-01T00:00:00Z/")
	}
}

// The zero AsOf is the clock's time while a goal that ends with the
// period on its own zone's clocks is still under way: after Berlin's
// November, before Lisbon's.
func TestZeroAsOfIsClockBeforeWesternGoalsEnd(t *testing.T) {
	locs := zones(t, "Europe/Berlin", "Europe/Lisbon")
	berlin, lisbon := locs[0], locs[1]
	goal := quota.Goal{Rep: "cat", Region: south, Period: sp.Month(2026, time.November, lisbon), Revenue: mustMoney("100.00 EUR")}
	now := time.Date(2026, time.December, 1, 0, 30, 0, 0, berlin)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: sp.Month(2026, time.November, berlin), Goals: []quota.Goal{goal}})
	require.NoError(t, err)
	assert.True(t, rep.AsOf.Equal(now), "as of %s, want %s", rep.AsOf, now)
	require.Len(t, rep.Snapshot.Goals, 1)
	assert.False(t, rep.Snapshot.Goals[0].Over(rep.AsOf))
}

// Only goals whose periods end at the same reading of their own zones'
// clocks as the period does move the zero AsOf past the period's end: the
// same month in a zone to the west, or a quarter or a year reviewed in
// its last month; not one of another end (a quarter reviewed in its
// first month), nor one in a zone to the east, which ends earlier. A
// month that begins at 01:00, where clocks spring forward at midnight,
// ends with the period too.
func TestZeroAsOfGoalsThatEndWithThePeriod(t *testing.T) {
	locs := zones(t, "Europe/Berlin", "Europe/Lisbon", "Europe/Helsinki", "America/New_York", "America/Asuncion")
	berlin, lisbon, helsinki, newYork, asuncion := locs[0], locs[1], locs[2], locs[3], locs[4]
	goal := func(p sp.Period) quota.Goal {
		return quota.Goal{Rep: "cat", Period: p, Revenue: mustMoney("100.00 EUR")}
	}
	for _, tc := range []struct {
		name   string
		period sp.Period
		goals  []sp.Period
		want   time.Time
	}{
		{"same_month_west", sp.Month(2026, time.November, berlin),
			[]sp.Period{sp.Month(2026, time.November, lisbon)}, sp.Month(2026, time.November, lisbon).End()},
		{"westernmost_of_several", sp.Month(2026, time.November, berlin),
			[]sp.Period{sp.Month(2026, time.November, lisbon), sp.Month(2026, time.November, newYork), sp.Month(2026, time.November, helsinki)},
			sp.Month(2026, time.November, newYork).End()},
		{"east_only", sp.Month(2026, time.November, berlin),
			[]sp.Period{sp.Month(2026, time.November, helsinki)}, sp.Month(2026, time.November, berlin).End()},
		{"quarter_in_its_first_month", sp.Month(2026, time.October, berlin),
			[]sp.Period{sp.Quarter(2026, 4, lisbon), sp.Year(2026, newYork)}, sp.Month(2026, time.October, berlin).End()},
		{"quarter_and_year_in_their_last_month", sp.Month(2026, time.December, berlin),
			[]sp.Period{sp.Quarter(2026, 4, lisbon), sp.Year(2026, newYork)}, sp.Year(2026, newYork).End()},
		{"next_month_west", sp.Month(2026, time.November, berlin),
			[]sp.Period{sp.Month(2026, time.December, lisbon)}, sp.Month(2026, time.November, berlin).End()},
		{"month_ending_at_a_day_that_begins_at_1am", sp.Month(2023, time.September, berlin),
			[]sp.Period{sp.Month(2023, time.September, asuncion)}, sp.Month(2023, time.September, asuncion).End()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var goals []quota.Goal
			for _, p := range tc.goals {
				goals = append(goals, goal(p))
			}
			now := tc.period.End().AddDate(0, 0, 3)
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: tc.period, Goals: goals})
			require.NoError(t, err)
			assert.True(t, rep.AsOf.Equal(tc.want), "as of %s, want %s", rep.AsOf, tc.want)
		})
	}
}

// Records count in the rows by the period and the as-of time alike: with
// the zero AsOf at the end of a western goal's month, a deal created and
// an inquiry received in between, both still open, count as open, as
// those of before the period do, but not among the period's deals or
// inquiries; a deal won in between counts in no row.
func TestZeroAsOfRecordsAfterThePeriod(t *testing.T) {
	locs := zones(t, "Europe/Berlin", "Europe/Lisbon")
	berlin, lisbon := locs[0], locs[1]
	nov := sp.Month(2026, time.November, berlin)
	between := time.Date(2026, time.December, 1, 0, 30, 0, 0, berlin)
	goal := quota.Goal{Rep: "cat", Region: south, Period: sp.Month(2026, time.November, lisbon), Revenue: mustMoney("100.00 EUR")}
	deal := func(id sp.DealID, stage pipeline.DealStage, closed time.Time) pipeline.Deal {
		return pipeline.Deal{ID: id, Owner: "ann", Region: north, Product: widget, Customer: "c", Stage: stage,
			Amount: mustMoney("1000.00 EUR"), Created: between, Closed: closed, Probability: decimal.New(5, -1)}
	}
	inquiry := pipeline.Inquiry{ID: "i", Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
		Received: between, Stage: pipeline.InquiryNew}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(time.Date(2026, time.December, 2, 0, 0, 0, 0, berlin))})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: nov, Goals: []quota.Goal{goal},
		Deals:     quota.Refs([]pipeline.Deal{deal("open", pipeline.DealProposal, time.Time{}), deal("won", pipeline.DealWon, between.Add(time.Minute))}),
		Inquiries: quota.Refs([]pipeline.Inquiry{inquiry})})
	require.NoError(t, err)
	require.True(t, rep.AsOf.After(between))
	ann, ok := rep.Snapshot.Rep("ann")
	require.True(t, ok)
	assert.Equal(t, int64(1), ann.Open)
	assert.Equal(t, int64(0), ann.Won)
	assert.Equal(t, "1000.00 EUR", ann.OpenAmount.String())
	assert.Equal(t, int64(0), ann.Inquiries)
	assert.Equal(t, int64(1), ann.FollowUp.Open)
}
