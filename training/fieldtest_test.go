package training_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

var march = salesprocess.Month(2026, time.March, nil)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// testPilot returns a valid pilot of p1 in two towns, 100 units, March 2026.
func testPilot(c training.Criteria) training.Pilot {
	return training.Pilot{
		ID: "f1", Product: "p1", Version: v("1.0"), Localities: []string{"Springfield", "Shelbyville"},
		Quantity: 100, Period: march, Criteria: c,
	}
}

func sales(units ...int64) []training.Sale {
	var out []training.Sale
	for i, u := range units {
		loc := "Springfield"
		if i%2 == 1 {
			loc = "Shelbyville"
		}
		out = append(out, training.Sale{ID: training.SaleID(fmt.Sprint("s", i)), Pilot: "f1", Locality: loc, Units: u, Time: t0.Add(time.Duration(i) * time.Hour)})
	}
	return out
}

// ratings returns field-test feedback about p1: "Springfield:5" etc.
func ratings(specs ...string) []salesprocess.Feedback {
	var out []salesprocess.Feedback
	for i, s := range specs {
		loc, r, _ := strings.Cut(s, ":")
		out = append(out, salesprocess.Feedback{
			ID: salesprocess.FeedbackID(fmt.Sprint("b", i)), Product: "p1", Rating: int(r[0] - '0'), Category: salesprocess.FeedbackQuality,
			Source: salesprocess.FromFieldTest, Locality: loc, Time: t0.Add(time.Duration(i) * time.Hour),
		})
	}
	return out
}

func TestDecide(t *testing.T) {
	end := march.End()
	full := training.Criteria{
		RequireEnded: true, MinUnitsSold: 50, MinSellThrough: dec("0.6"), MinLocalitiesWithSales: 2,
		MinFeedback: 3, MinAverageRating: dec("4"), MinLocalityRating: dec("3.5"),
	}
	critical := training.Issue{ID: "I1", Title: "lid leaks", Severity: training.SeverityCritical, Opened: t0}
	warning := training.Issue{ID: "I2", Title: "label faded", Severity: training.SeverityWarning, Opened: t0}
	for _, tc := range []struct {
		name     string
		criteria training.Criteria
		issues   []training.Issue
		sales    []training.Sale
		feedback []salesprocess.Feedback
		at       time.Time
		launch   bool
		reasons  []string // criterion[/locality]=met|unmet:got
	}{
		{
			name: "launch_all_met", criteria: full, sales: sales(40, 30), feedback: ratings("Springfield:5", "Shelbyville:4", "Springfield:4"),
			at: end, launch: true,
			reasons: []string{"require_ended=met:" + end.Format(time.RFC3339), "min_units_sold=met:70", "min_sell_through=met:0.7",
				"min_localities_with_sales=met:2", "min_feedback=met:3", "min_average_rating=met:4.33",
				"min_locality_rating/Springfield=met:4.5", "min_locality_rating/Shelbyville=met:4", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_before_the_end", criteria: training.Criteria{RequireEnded: true}, at: end.Add(-1),
			reasons: []string{"require_ended=unmet:" + end.Add(-1).Format(time.RFC3339Nano), "no_blocking_issues=met:none"},
		},
		{
			name: "hold_too_few_units", criteria: training.Criteria{MinUnitsSold: 50}, sales: sales(20, 29), at: end,
			reasons: []string{"min_units_sold=unmet:49", "no_blocking_issues=met:none"},
		},
		{
			name: "launch_sell_through_exactly_met", criteria: training.Criteria{MinSellThrough: dec("0.6")}, sales: sales(60), at: end, launch: true,
			reasons: []string{"min_sell_through=met:0.6", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_sell_through_just_short", criteria: training.Criteria{MinSellThrough: dec("0.6")}, sales: sales(59), at: end,
			reasons: []string{"min_sell_through=unmet:0.59", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_one_locality_only", criteria: training.Criteria{MinLocalitiesWithSales: 2}, sales: sales(10), at: end,
			reasons: []string{"min_localities_with_sales=unmet:1", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_too_little_feedback", criteria: training.Criteria{MinFeedback: 3}, feedback: ratings("Springfield:5"), at: end,
			reasons: []string{"min_feedback=unmet:1", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_average_rating_exactly_short", criteria: training.Criteria{MinAverageRating: dec("4")},
			feedback: ratings("Springfield:4", "Springfield:4", "Shelbyville:3"), at: end,
			reasons: []string{"min_average_rating=unmet:3.67", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_no_feedback_for_rating", criteria: training.Criteria{MinAverageRating: dec("4")}, at: end,
			reasons: []string{"min_average_rating=unmet:none", "no_blocking_issues=met:none"},
		},
		{
			name: "launch_locality_rated_at_the_minimum", criteria: training.Criteria{MinLocalityRating: dec("3.5")},
			feedback: ratings("Springfield:5", "Shelbyville:3", "Shelbyville:4"), at: end,
			reasons: []string{"min_locality_rating/Springfield=met:5", "min_locality_rating/Shelbyville=met:3.5", "no_blocking_issues=met:none"},
			launch:  true,
		},
		{
			name: "hold_locality_without_feedback", criteria: training.Criteria{MinLocalityRating: dec("3")}, feedback: ratings("Springfield:5"), at: end,
			reasons: []string{"min_locality_rating/Springfield=met:5", "min_locality_rating/Shelbyville=unmet:none", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_open_critical_issue", issues: []training.Issue{critical, warning}, at: end,
			reasons: []string{"no_blocking_issues=unmet:I1"},
		},
		{
			name: "launch_critical_issue_resolved", issues: []training.Issue{withResolved(critical, t0.Add(time.Hour)), warning}, at: end, launch: true,
			reasons: []string{"no_blocking_issues=met:none"},
		},
		{
			name: "hold_issue_resolved_after_decision", issues: []training.Issue{withResolved(critical, end.Add(time.Hour))}, at: end,
			reasons: []string{"no_blocking_issues=unmet:I1"},
		},
		{
			name: "hold_warning_blocks_when_configured", criteria: training.Criteria{BlockingSeverity: training.SeverityWarning},
			issues: []training.Issue{critical, warning}, at: end,
			reasons: []string{"no_blocking_issues=unmet:I1, I2"},
		},
		{
			name: "launch_ignores_other_records", criteria: training.Criteria{MinUnitsSold: 10, MinFeedback: 1},
			sales: append(sales(10), training.Sale{ID: "x1", Pilot: "f2", Locality: "Springfield", Units: 50, Time: t0},
				training.Sale{ID: "x2", Pilot: "f1", Locality: "Ogdenville", Units: 50, Time: t0},
				training.Sale{ID: "x3", Pilot: "f1", Locality: "Springfield", Units: 50, Time: end},
				training.Sale{ID: "x4", Pilot: "f1", Locality: "Springfield", Units: 0, Time: t0}),
			feedback: append(ratings("Springfield:5"),
				salesprocess.Feedback{ID: "y1", Product: "p2", Rating: 1, Source: salesprocess.FromFieldTest, Locality: "Springfield", Time: t0},
				salesprocess.Feedback{ID: "y2", Product: "p1", Rating: 1, Source: salesprocess.FromCustomer, Locality: "Springfield", Time: t0},
				salesprocess.Feedback{ID: "y3", Product: "p1", Rating: 1, Source: salesprocess.FromFieldTest, Locality: "Springfield", Time: march.Start().Add(-1)},
				salesprocess.Feedback{ID: "y4", Product: "p1", Rating: 9, Source: salesprocess.FromFieldTest, Locality: "Springfield", Time: t0}),
			at: end, launch: true,
			reasons: []string{"min_units_sold=met:10", "min_feedback=met:1", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_counts_only_up_to_the_decision", criteria: training.Criteria{MinUnitsSold: 20}, sales: sales(10, 10), at: t0.Add(30 * time.Minute),
			reasons: []string{"min_units_sold=unmet:10", "no_blocking_issues=met:none"},
		},
		{
			name: "hold_every_reason", criteria: full, issues: []training.Issue{critical}, at: t0,
			reasons: []string{"require_ended=unmet:" + t0.Format(time.RFC3339), "min_units_sold=unmet:0", "min_sell_through=unmet:0",
				"min_localities_with_sales=unmet:0", "min_feedback=unmet:0", "min_average_rating=unmet:none",
				"min_locality_rating/Springfield=unmet:none", "min_locality_rating/Shelbyville=unmet:none", "no_blocking_issues=unmet:I1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPilot(tc.criteria)
			p.Issues = tc.issues
			d, err := training.Decide(p, tc.sales, tc.feedback, tc.at)
			require.NoError(t, err)
			var got []string
			for _, r := range d.Reasons {
				k := string(r.Criterion)
				if r.Locality != "" {
					k += "/" + r.Locality
				}
				got = append(got, k+"="+map[bool]string{true: "met", false: "unmet"}[r.Met]+":"+r.Got)
				assert.NotEmpty(t, r.Detail)
				assert.NotEmpty(t, r.Want)
			}
			assert.Equal(t, tc.reasons, got)
			assert.Equal(t, tc.launch, d.Launch)
			assert.Equal(t, len(d.Unmet()) == 0, d.Launch)
			assert.Equal(t, p.ID, d.Pilot)
			assert.Equal(t, p.Version, d.Version)
			assert.True(t, tc.at.Equal(d.At))
		})
	}
}

func withResolved(i training.Issue, at time.Time) training.Issue {
	i.Resolved = at
	return i
}

// A pilot period that ends within a second, as one set to run for so long
// from the time it starts does: the end and the decision's time are
// written to the nanosecond, so that Want is the end itself and an unmet
// criterion does not read as Want equal to Got.
func TestDecideEndedToTheNanosecond(t *testing.T) {
	p := testPilot(training.Criteria{RequireEnded: true})
	start := t0.Add(250 * time.Millisecond)
	end := start.AddDate(0, 0, 30)
	var err error
	p.Period, err = salesprocess.NewPeriod(start, end)
	require.NoError(t, err)
	at := end.Add(-100 * time.Millisecond)
	d, err := training.Decide(p, nil, nil, at)
	require.NoError(t, err)
	r := d.Reasons[0]
	require.Equal(t, training.CriterionEnded, r.Criterion)
	assert.False(t, r.Met)
	assert.Equal(t, "2026-04-01T09:00:00.25Z", r.Want, "the end of the period")
	assert.Equal(t, "2026-04-01T09:00:00.15Z", r.Got, "the decision's time")
	assert.NotEqual(t, r.Want, r.Got, "an unmet criterion")
	assert.Contains(t, r.Detail, "ends at 2026-04-01T09:00:00.25Z")
}

func TestDecideFigures(t *testing.T) {
	p := testPilot(training.Criteria{})
	d, err := training.Decide(p, sales(40, 30, 5), ratings("Springfield:5", "Shelbyville:4", "Springfield:4"), march.End())
	require.NoError(t, err)
	assert.Equal(t, training.Figures{
		UnitsSold: 75, SellThrough: salesprocess.Fraction{Num: 75, Den: 100}, Feedback: 3, Rating: salesprocess.Fraction{Num: 13, Den: 3},
		Localities: []training.LocalityFigures{
			{Locality: "Springfield", UnitsSold: 45, Feedback: 2, Rating: salesprocess.Fraction{Num: 9, Den: 2}},
			{Locality: "Shelbyville", UnitsSold: 30, Feedback: 1, Rating: salesprocess.Fraction{Num: 4, Den: 1}},
		},
	}, d.Figures)

	t.Run("err_invalid_pilot", func(t *testing.T) {
		_, err := training.Decide(training.Pilot{}, nil, nil, t0)
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
		assert.Contains(t, err.Error(), "training: decide: ")
	})
}

func TestPilotValidate(t *testing.T) {
	ok := testPilot(training.Criteria{MinSellThrough: dec("0.5")})
	ok.Issues = []training.Issue{{ID: "I1", Title: "lid", Severity: training.SeverityWarning, Opened: t0, Resolved: t0.Add(time.Hour), FixedIn: v("1.1")}}
	ok.Improvements = []training.Improvement{{Version: v("1.1"), Summary: "new lid", Resolves: []training.IssueID{"I1"}, Time: t0.Add(time.Hour)}}
	for _, tc := range []struct {
		name  string
		edit  func(*training.Pilot)
		field string
	}{
		{"ok", func(*training.Pilot) {}, ""},
		{"err_id", func(p *training.Pilot) { p.ID = "" }, "pilot.id"},
		{"err_product", func(p *training.Pilot) { p.Product = "" }, "pilot.product"},
		{"err_version", func(p *training.Pilot) { p.Version = training.Version{} }, "pilot.version"},
		{"err_no_localities", func(p *training.Pilot) { p.Localities = nil }, "pilot.localities"},
		{"err_empty_locality", func(p *training.Pilot) { p.Localities = []string{""} }, "pilot.localities[0]"},
		{"err_locality_twice", func(p *training.Pilot) { p.Localities = []string{"a", "a"} }, "pilot.localities[1]"},
		{"err_quantity", func(p *training.Pilot) { p.Quantity = 0 }, "pilot.quantity"},
		{"ok_quantity_max", func(p *training.Pilot) { p.Quantity = training.MaxQuantity }, ""},
		{"err_quantity_too_big", func(p *training.Pilot) { p.Quantity = training.MaxQuantity + 1 }, "pilot.quantity"},
		{"err_period", func(p *training.Pilot) { p.Period = salesprocess.Period{} }, "pilot.period"},
		{"err_rev", func(p *training.Pilot) { p.Rev = -1 }, "pilot.rev"},
		{"err_units", func(p *training.Pilot) { p.Criteria.MinUnitsSold = -1 }, "pilot.criteria.min_units_sold"},
		{"ok_sell_through_all", func(p *training.Pilot) { p.Criteria.MinSellThrough = dec("1") }, ""},
		{"err_sell_through", func(p *training.Pilot) { p.Criteria.MinSellThrough = dec("1.01") }, "pilot.criteria.min_sell_through"},
		{"err_sell_through_negative", func(p *training.Pilot) { p.Criteria.MinSellThrough = dec("-0.1") }, "pilot.criteria.min_sell_through"},
		{"err_localities_with_sales", func(p *training.Pilot) { p.Criteria.MinLocalitiesWithSales = -1 }, "pilot.criteria.min_localities_with_sales"},
		{"ok_sales_in_every_locality", func(p *training.Pilot) { p.Criteria.MinLocalitiesWithSales = len(p.Localities) }, ""},
		{"err_sales_in_more_localities_than_the_pilot_has", func(p *training.Pilot) { p.Criteria.MinLocalitiesWithSales = len(p.Localities) + 1 },
			"pilot.criteria.min_localities_with_sales"},
		{"err_feedback", func(p *training.Pilot) { p.Criteria.MinFeedback = -1 }, "pilot.criteria.min_feedback"},
		{"ok_ratings_at_the_top", func(p *training.Pilot) {
			p.Criteria.MinAverageRating, p.Criteria.MinLocalityRating = dec("5"), dec("5")
		}, ""},
		{"err_rating_low", func(p *training.Pilot) { p.Criteria.MinAverageRating = dec("0.5") }, "pilot.criteria.min_average_rating"},
		{"err_locality_rating_high", func(p *training.Pilot) { p.Criteria.MinLocalityRating = dec("5.5") }, "pilot.criteria.min_locality_rating"},
		{"err_blocking", func(p *training.Pilot) { p.Criteria.BlockingSeverity = "fatal" }, "pilot.criteria.blocking_severity"},
		{"err_issue_id", func(p *training.Pilot) { p.Issues[0].ID = "" }, "pilot.issues[0].id"},
		{"err_issue_twice", func(p *training.Pilot) { p.Issues = append(p.Issues, p.Issues[0]) }, "pilot.issues[1].id"},
		{"err_issue_title", func(p *training.Pilot) { p.Issues[0].Title = "" }, "pilot.issues[0].title"},
		{"err_issue_severity", func(p *training.Pilot) { p.Issues[0].Severity = "" }, "pilot.issues[0].severity"},
		{"err_issue_locality", func(p *training.Pilot) { p.Issues[0].Locality = "\xff" }, "pilot.issues[0].locality"},
		{"err_issue_opened", func(p *training.Pilot) { p.Issues[0].Opened = time.Time{} }, "pilot.issues[0].opened"},
		{"err_issue_resolved", func(p *training.Pilot) { p.Issues[0].Resolved = t0.Add(-1) }, "pilot.issues[0].resolved"},
		{"err_issue_fixed_in", func(p *training.Pilot) { p.Issues[0].FixedIn = training.Version{Major: -1} }, "pilot.issues[0].fixed_in"},
		{"err_improvement_version", func(p *training.Pilot) { p.Improvements[0].Version = training.Version{} }, "pilot.improvements[0].version"},
		{"err_improvement_summary", func(p *training.Pilot) { p.Improvements[0].Summary = "" }, "pilot.improvements[0].summary"},
		{"err_improvement_resolves", func(p *training.Pilot) { p.Improvements[0].Resolves = []training.IssueID{""} }, "pilot.improvements[0].resolves[0]"},
		{"err_improvement_unknown_issue", func(p *training.Pilot) { p.Improvements[0].Resolves = []training.IssueID{"I9"} }, "pilot.improvements[0].resolves[0]"},
		{"err_improvement_time", func(p *training.Pilot) { p.Improvements[0].Time = time.Time{} }, "pilot.improvements[0].time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ok.Clone()
			tc.edit(&p)
			assertField(t, p.Validate(), tc.field)
		})
	}
}

func TestSaleValidate(t *testing.T) {
	eur := salesprocess.Currency("EUR")
	price, err := salesprocess.NewMoneyFromMinor(1999, eur)
	require.NoError(t, err)
	ok := training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 2, Amount: price, Customer: "c1", Time: t0}
	for _, tc := range []struct {
		name  string
		edit  func(*training.Sale)
		field string
	}{
		{"ok", func(*training.Sale) {}, ""},
		{"ok_no_amount", func(s *training.Sale) { s.Amount = salesprocess.Money{} }, ""},
		{"err_id", func(s *training.Sale) { s.ID = "" }, "sale.id"},
		{"err_pilot", func(s *training.Sale) { s.Pilot = "" }, "sale.pilot"},
		{"err_locality", func(s *training.Sale) { s.Locality = "" }, "sale.locality"},
		{"ok_units_max", func(s *training.Sale) { s.Units = training.MaxQuantity }, ""},
		{"err_units", func(s *training.Sale) { s.Units = 0 }, "sale.units"},
		{"err_units_too_many", func(s *training.Sale) { s.Units = training.MaxQuantity + 1 }, "sale.units"},
		{"err_amount_negative", func(s *training.Sale) { s.Amount = price.Neg() }, "sale.amount"},
		{"err_customer", func(s *training.Sale) { s.Customer = " c" }, "sale.customer"},
		{"err_time", func(s *training.Sale) { s.Time = time.Time{} }, "sale.time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.edit(&s)
			assertField(t, s.Validate(), tc.field)
		})
	}
}

// Decide counts a sale of 1 to MaxQuantity units and ignores one outside
// that range, as its doc says, since it does not validate the sales.
func TestDecideIgnoresUnitsOutOfRange(t *testing.T) {
	p := testPilot(training.Criteria{})
	ss := sales(training.MaxQuantity, training.MaxQuantity+1, 0, -5, 1)
	d, err := training.Decide(p, ss, nil, march.End())
	require.NoError(t, err)
	assert.Equal(t, int64(training.MaxQuantity+1), d.Figures.UnitsSold)
	assert.Equal(t, int64(training.MaxQuantity+1), d.Figures.Localities[0].UnitsSold, "Springfield: MaxQuantity and 1")
	assert.Equal(t, int64(0), d.Figures.Localities[1].UnitsSold, "Shelbyville: only units out of range")
}

// An issue is open from its opening up to, not including, its resolution.
func TestIssueOpenAt(t *testing.T) {
	is := training.Issue{ID: "I1", Title: "lid leaks", Severity: training.SeverityCritical, Opened: t0, Resolved: t0.Add(time.Hour)}
	assert.False(t, is.OpenAt(t0.Add(-1)))
	assert.True(t, is.OpenAt(t0))
	assert.True(t, is.OpenAt(t0.Add(time.Hour-1)))
	assert.False(t, is.OpenAt(t0.Add(time.Hour)), "resolved by then")
	open := is
	open.Resolved = time.Time{}
	assert.True(t, open.OpenAt(t0.Add(1000*time.Hour)))

	p := testPilot(training.Criteria{})
	p.Issues = []training.Issue{is}
	d, err := training.Decide(p, nil, nil, t0.Add(time.Hour-1))
	require.NoError(t, err)
	assert.False(t, d.Launch)
	assert.Equal(t, []training.IssueID{"I1"}, d.Figures.OpenIssues)
	d, err = training.Decide(p, nil, nil, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, d.Launch, "an issue resolved at the time of the decision blocks nothing")
	assert.Empty(t, d.Figures.OpenIssues)
}

func TestPilotClone(t *testing.T) {
	mk := func() training.Pilot {
		p := testPilot(training.Criteria{})
		p.Issues = []training.Issue{{ID: "I1", Title: "lid", Severity: training.SeverityWarning, Opened: t0}}
		p.Improvements = []training.Improvement{{Version: v("1.1"), Summary: "new lid", Resolves: []training.IssueID{"I1"}, Time: t0}}
		return p
	}
	p := mk()
	c := p.Clone()
	assert.Equal(t, p, c)
	c.Localities[0] = "x"
	c.Issues[0].Title = "x"
	c.Improvements[0].Summary = "x"
	c.Improvements[0].Resolves[0] = "x"
	assert.Equal(t, mk(), p, "Clone is a deep copy")
	assert.Equal(t, training.Pilot{}, training.Pilot{}.Clone())
}

// A pilot's period that cannot leave the process is refused with the
// Period's own reason, as package quota refuses a goal's: neither the
// period's "!invalid period: ..." text nor a guess between two causes.
func TestPilotValidatePeriodSaysWhy(t *testing.T) {
	for _, tc := range []struct {
		period salesprocess.Period
		want   string
	}{
		{salesprocess.Month(10001, 1, nil), "invalid pilot.period: outside the years 1 to 9999"},
		{salesprocess.Month(2026, 3, machineLocal), `invalid pilot.period: the machine's local time zone "Local"; use an IANA name such as "Europe/Berlin"`},
		{salesprocess.Month(2026, 3, time.FixedZone("XYZ", 3600)), `invalid pilot.period: a fixed zone "XYZ" at offset +01:00 that is not the IANA time zone of that name`},
	} {
		p := testPilot(training.Criteria{})
		p.Period = tc.period
		err := p.Validate()
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
		assert.EqualError(t, err, tc.want)
	}
}

// A locality is compared byte for byte: a sale in "springfield" is
// refused, feedback from it is stored but counts for no pilot, and
// without feedback an average rating, the pilot's as a locality's, is
// "none".
func TestLocalityComparedExactly(t *testing.T) {
	p := testPilot(training.Criteria{MinAverageRating: dec("3"), MinLocalityRating: dec("3")})
	assert.True(t, p.HasLocality("Springfield"))
	assert.False(t, p.HasLocality("springfield"))
	assert.False(t, p.HasLocality("Springfield "))

	d, err := training.Decide(p, nil, ratings("springfield:5"), march.End())
	require.NoError(t, err)
	assert.Equal(t, int64(0), d.Figures.Feedback)
	require.Len(t, d.Reasons, 4)
	for _, r := range d.Reasons[:3] {
		assert.False(t, r.Met, r.Criterion)
		assert.Equal(t, "none", r.Got, r.Criterion)
	}

	e := newEnv(t)
	_, err = e.trainer.StartPilot(e.ctx, p)
	require.NoError(t, err)
	err = e.trainer.RecordSale(e.ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "springfield", Units: 1, Time: march.Start()})
	var ve *salesprocess.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "sale.locality", ve.Field)
	require.NoError(t, e.trainer.RecordFeedback(e.ctx, ratings("springfield:5")[0]))
	d, err = e.trainer.Decide(e.ctx, "f1", march.End())
	require.NoError(t, err)
	assert.Equal(t, int64(0), d.Figures.Feedback)
}
