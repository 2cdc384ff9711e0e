package quota_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
)

// badInput is one row of the bad-input catalogue: a call with an invalid
// input, the sentinel its error must wrap, and the field it must name: the
// Field of the *ValidationError in its chain when it has one, else a
// substring of its message. A call that changes a value or a store checks
// itself that a failed call left it alone, and joins errChanged to its
// error otherwise.
type badInput struct {
	name  string
	call  func() error
	is    error
	field string
}

// errChanged marks a failed call that changed its target.
var errChanged = errors.New("the target changed")

// checkBadInput runs one row of the catalogue.
func checkBadInput(t *testing.T, row badInput) {
	t.Helper()
	var err error
	require.NotPanics(t, func() { err = row.call() })
	require.Error(t, err, "bad input accepted")
	assert.ErrorIs(t, err, row.is)
	assert.NotErrorIs(t, err, errChanged, "a failed call changed its target")
	var ve *sp.ValidationError
	if errors.As(err, &ve) && ve.Field != "" {
		assert.Equal(t, row.field, ve.Field, "error: %v", err)
	} else {
		assert.Contains(t, err.Error(), row.field)
	}
	if !errors.Is(err, context.Canceled) {
		assert.True(t, strings.HasPrefix(err.Error(), "quota: ") || strings.HasPrefix(err.Error(), "quotatest: ") ||
			strings.HasPrefix(err.Error(), "invalid "), "message %q says where it comes from or what is invalid", err)
	}
	assert.Less(t, len(err.Error()), 1000, "the message quotes no huge input")
}

// keeps runs decode on a copy of before and joins errChanged to its error
// when the copy no longer equals before.
func keeps[T comparable](before T, decode func(*T) error) func() error {
	return func() error {
		v := before
		err := decode(&v)
		if v != before {
			return errors.Join(err, errChanged)
		}
		return err
	}
}

// textOf returns a function that unmarshals text into *T.
func textOf[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](text string) func(*T) error {
	return func(v *T) error { return P(v).UnmarshalText([]byte(text)) }
}

// decode decodes data into a new T: with json.Unmarshal when data is
// well-formed JSON, as hosts do, and with the UnmarshalJSON method
// otherwise, since encoding/json refuses malformed JSON before it calls
// any method.
func decode[T any, P interface {
	*T
	json.Unmarshaler
}](data string) func() error {
	return func() error {
		var v T
		if json.Valid([]byte(data)) {
			return json.Unmarshal([]byte(data), &v)
		}
		return P(&v).UnmarshalJSON([]byte(data))
	}
}

// Adversarial inputs.
var (
	long   = strings.Repeat("x", 100_000)
	nul    = "a\x00b"
	badUTF = "a\xffb"
	// absurd decimals, which a comparison would scale to billions of digits
	absurdSmall = decimal.New(1, math.MinInt32)
	absurdLarge = decimal.New(1, math.MaxInt32)
)

// calculator runs one of the grouped calculators on deals and inquiries.
type calculator struct {
	name string
	// inquiries and deals say which records it reads.
	inquiries, deals bool
	run              func(ins iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error
}

func calculators(asOf time.Time) []calculator {
	return []calculator{
		{"win_rates", false, true, func(_ iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.WinRates(ds, p, by, o)
			return err
		}},
		{"funnel", false, true, func(_ iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.Funnel(ds, p, by, o)
			return err
		}},
		{"velocity", false, true, func(_ iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.Velocity(ds, p, by, o)
			return err
		}},
		{"sales_cycle", false, true, func(_ iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.SalesCycle(ds, p, by, o)
			return err
		}},
		{"weighted_pipeline", false, true, func(_ iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.WeightedPipeline(ds, p, by, o)
			return err
		}},
		{"cohort_conversion", true, true, func(ins iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.CohortConversion(ins, ds, p, asOf, by, o)
			return err
		}},
		{"period_conversion", true, true, func(ins iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.PeriodConversion(ins, ds, p, by, o)
			return err
		}},
		{"time_to_convert", true, true, func(ins iter.Seq[*pipeline.Inquiry], ds iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.TimeToConvert(ins, ds, p, asOf, by, o)
			return err
		}},
		{"first_response", true, false, func(ins iter.Seq[*pipeline.Inquiry], _ iter.Seq[*pipeline.Deal], p sp.Period, by quota.Grouping, o *quota.Options) error {
			_, err := quota.FirstResponse(ins, p, asOf, by, o)
			return err
		}},
	}
}

// nilDeal and nilInquiry yield a nil record.
func nilDeal(yield func(*pipeline.Deal) bool)                 { yield(nil) }
func nilInquiry(yield func(*pipeline.Inquiry) bool)           { yield(nil) }
func noDeals(func(*pipeline.Deal) bool)                       {}
func noInquiries(func(*pipeline.Inquiry) bool)                {}
func prospects(ps ...quota.Prospect) iter.Seq[quota.Prospect] { return slices.Values(ps) }

// TestBadInputCatalogue lists every exported function and method of the
// package that takes input, with every class of invalid input, and checks
// the error: it wraps the right sentinel, names the field, and leaves the
// value or store it was given alone.
func TestBadInputCatalogue(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	asOf := nov.Start().Add(15 * 24 * time.Hour)
	eur := cents(100_000)
	usd := money(t, "1000.00 USD")
	huge := eur.Mul(absurdLarge) // beyond the bounds of Money
	far := sp.Month(10000, time.January, nil)
	local := sp.Month(2026, time.November, machineLocal)
	unnamed := sp.Month(2026, time.November, time.FixedZone("", 3600))
	goal := quota.Goal{Rep: "ann", Region: "north", Period: nov, Revenue: eur}
	won := pipeline.Deal{ID: "d1", Owner: "ann", Region: "north", Product: "widget", Stage: pipeline.DealWon,
		Amount: cents(50_000), Created: nov.Start(), Closed: nov.Start().Add(48 * time.Hour), Probability: decimal.New(1, 0)}
	open := pipeline.Deal{ID: "d2", Owner: "ann", Region: "north", Product: "widget", Stage: pipeline.DealProposal,
		Amount: cents(20_000), Created: nov.Start(), ExpectedClose: nov.Start().Add(20 * 24 * time.Hour), Probability: decimal.New(5, -1)}
	inquiry := pipeline.Inquiry{ID: "i1", Owner: "ann", Region: "north", Product: "widget", Received: nov.Start().Add(time.Hour)}

	var rows []badInput
	add := func(r ...badInput) { rows = append(rows, r...) }
	invalid := func(name string, call func() error, field string) {
		add(badInput{name, call, sp.ErrInvalid, field})
	}

	// Goals: every class of invalid goal, through Goal.Validate and every
	// function that takes a goal.
	badGoals := map[string]struct {
		edit  func(*quota.Goal)
		field string
	}{
		"empty_rep_of_spaces": {func(g *quota.Goal) { g.Rep = " " }, "goal.rep"},
		"rep_too_long":        {func(g *quota.Goal) { g.Rep = sp.RepID(long) }, "goal.rep"},
		"rep_nul":             {func(g *quota.Goal) { g.Rep = sp.RepID(nul) }, "goal.rep"},
		"rep_bad_utf8":        {func(g *quota.Goal) { g.Rep = sp.RepID(badUTF) }, "goal.rep"},
		"bad_region":          {func(g *quota.Goal) { g.Region = " north" }, "goal.region"},
		"bad_product":         {func(g *quota.Goal) { g.Product = sp.ProductID(nul) }, "goal.product"},
		"zero_period":         {func(g *quota.Goal) { g.Period = sp.Period{} }, "goal.period"},
		"far_period":          {func(g *quota.Goal) { g.Period = far }, "goal.period"},
		"local_period":        {func(g *quota.Goal) { g.Period = local }, "goal.period"},
		"unnamed_zone_period": {func(g *quota.Goal) { g.Period = unnamed }, "goal.period"},
		"no_target":           {func(g *quota.Goal) { g.Revenue = sp.Money{} }, "goal"},
		"two_targets":         {func(g *quota.Goal) { g.Deals = 3 }, "goal"},
		"zero_revenue":        {func(g *quota.Goal) { g.Revenue = cents(0) }, "goal.revenue"},
		"negative_revenue":    {func(g *quota.Goal) { g.Revenue = eur.Neg() }, "goal.revenue"},
		"revenue_beyond":      {func(g *quota.Goal) { g.Revenue = huge }, "goal.revenue.amount"},
		"negative_deals":      {func(g *quota.Goal) { g.Revenue, g.Deals = sp.Money{}, -1 }, "goal.deals"},
		"min_deals":           {func(g *quota.Goal) { g.Revenue, g.Deals = sp.Money{}, math.MinInt64 }, "goal.deals"},
	}
	for how, c := range badGoals {
		g := goal
		c.edit(&g)
		invalid("goal_validate/"+how, g.Validate, c.field)
		invalid("spread/goal_"+how, func() error { _, err := quota.Spread(g, nil); return err }, c.field)
		invalid("prorate/goal_"+how, func() error { _, err := quota.Prorate(g, nov); return err }, c.field)
		invalid("reassign/goal_"+how, func() error { _, err := quota.Reassign(g, asOf, "south"); return err }, c.field)
		invalid("attain/goal_"+how, func() error {
			_, err := quota.Attain([]quota.Goal{goal, g}, quota.Refs([]pipeline.Deal{won}), asOf, nil)
			return err
		}, "goals[1]"+strings.TrimPrefix(c.field, "goal"))
		invalid("forecast/goal_"+how, func() error {
			_, err := quota.Forecast([]quota.Goal{g}, quota.Refs([]pipeline.Deal{open}), asOf, nil)
			return err
		}, "goals[0]"+strings.TrimPrefix(c.field, "goal"))
		invalid("roll_up/goal_"+how, func() error {
			_, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values([]quota.Goal{goal, g}))
			return err
		}, "goals[1]"+strings.TrimPrefix(c.field, "goal"))
		store := &quotatest.MemGoalStore{}
		invalid("mem_goal_store/put_"+how, unchanged(store, goal, func() error { return store.PutGoal(context.Background(), g) }), c.field)
	}

	// Spread, Prorate, Reassign: their own arguments.
	year := quota.Goal{Rep: "ann", Period: sp.Year(2026, nil), Revenue: eur}
	weights := func(n int, edit func([]decimal.Decimal)) []decimal.Decimal {
		w := make([]decimal.Decimal, n)
		for i := range w {
			w[i] = decimal.New(1, 0)
		}
		if edit != nil {
			edit(w)
		}
		return w
	}
	for how, c := range map[string]struct {
		w     []decimal.Decimal
		field string
	}{
		"too_few_weights":  {weights(11, nil), "weights"},
		"too_many_weights": {weights(13, nil), "weights"},
		"no_weights":       {[]decimal.Decimal{}, "weights"},
		"negative_weight":  {weights(12, func(w []decimal.Decimal) { w[3] = decimal.New(-1, 0) }), "weights"},
		"all_zero":         {make([]decimal.Decimal, 12), "weights"},
		"absurd_small":     {weights(12, func(w []decimal.Decimal) { w[0] = absurdSmall }), "weights"},
		"absurd_large":     {weights(12, func(w []decimal.Decimal) { w[11] = absurdLarge }), "weights"},
	} {
		invalid("spread/"+how, func() error { _, err := quota.Spread(year, c.w); return err }, c.field)
	}
	firstHalf, _ := sp.NewPeriod(nov.Start(), nov.Start().Add(15*24*time.Hour))
	secondHalf, _ := sp.NewPeriod(nov.Start().Add(15*24*time.Hour), nov.End())
	overlapping, _ := sp.NewPeriod(nov.Start().Add(10*24*time.Hour), nov.End())
	beyond, _ := sp.NewPeriod(nov.Start(), nov.End().Add(time.Hour))
	before, _ := sp.NewPeriod(nov.Start().Add(-time.Hour), nov.Start().Add(time.Hour))
	for how, c := range map[string]struct {
		parts []sp.Period
		field string
	}{
		"no_parts":       {nil, "parts"},
		"zero_part":      {[]sp.Period{firstHalf, {}}, "parts[1]"},
		"part_beyond":    {[]sp.Period{beyond}, "parts[0]"},
		"part_before":    {[]sp.Period{secondHalf, before}, "parts[1]"},
		"part_overlaps":  {[]sp.Period{firstHalf, overlapping}, "parts[1]"},
		"part_far":       {[]sp.Period{far}, "parts[0]"},
		"part_in_local":  {[]sp.Period{local}, "parts[0]"},
		"part_the_whole": {[]sp.Period{nov, nov}, "parts[1]"},
	} {
		invalid("prorate/"+how, func() error { _, err := quota.Prorate(goal, c.parts...); return err }, c.field)
	}
	invalid("reassign/region_goal", func() error {
		_, err := quota.Reassign(quota.Goal{Region: "north", Period: nov, Revenue: eur}, asOf, "south")
		return err
	}, "goal.rep")
	invalid("reassign/company_goal", func() error {
		_, err := quota.Reassign(quota.Goal{Period: nov, Deals: 4}, asOf, "south")
		return err
	}, "goal.rep")
	for how, to := range map[string]sp.RegionID{"empty": "", "spaces": " a ", "nul": sp.RegionID(nul), "long": sp.RegionID(long), "bad_utf8": sp.RegionID(badUTF)} {
		invalid("reassign/to_"+how, func() error { _, err := quota.Reassign(goal, asOf, to); return err }, "to")
	}

	// Ramp.Goals.
	ramp := quota.Ramp{Rep: "ann", Region: "north", Start: time.Date(2026, 11, 11, 9, 0, 0, 0, time.UTC), Monthly: eur,
		Steps: []decimal.Decimal{decimal.New(25, -2), decimal.New(5, -1)}}
	for how, c := range map[string]struct {
		edit   func(*quota.Ramp)
		months int
		field  string
	}{
		"empty_rep":        {func(r *quota.Ramp) { r.Rep = "" }, 3, "ramp.rep"},
		"rep_nul":          {func(r *quota.Ramp) { r.Rep = sp.RepID(nul) }, 3, "ramp.rep"},
		"bad_region":       {func(r *quota.Ramp) { r.Region = sp.RegionID(badUTF) }, 3, "ramp.region"},
		"zero_start":       {func(r *quota.Ramp) { r.Start = time.Time{} }, 3, "ramp.start"},
		"start_far":        {func(r *quota.Ramp) { r.Start = time.Date(9500, 1, 1, 0, 0, 0, 0, time.UTC) }, 3, "ramp.start"},
		"start_negative":   {func(r *quota.Ramp) { r.Start = time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC) }, 3, "ramp.start"},
		"no_monthly":       {func(r *quota.Ramp) { r.Monthly = sp.Money{} }, 3, "ramp.monthly.currency"},
		"zero_monthly":     {func(r *quota.Ramp) { r.Monthly = cents(0) }, 3, "ramp.monthly"},
		"negative_monthly": {func(r *quota.Ramp) { r.Monthly = eur.Neg() }, 3, "ramp.monthly"},
		"monthly_beyond":   {func(r *quota.Ramp) { r.Monthly = huge }, 3, "ramp.monthly.amount"},
		"step_negative":    {func(r *quota.Ramp) { r.Steps[1] = decimal.New(-1, -1) }, 3, "ramp.steps[1]"},
		"step_above_one":   {func(r *quota.Ramp) { r.Steps[0] = decimal.New(11, -1) }, 3, "ramp.steps[0]"},
		"step_absurd":      {func(r *quota.Ramp) { r.Steps[0] = absurdSmall }, 3, "ramp.steps[0]"},
		"step_huge":        {func(r *quota.Ramp) { r.Steps[1] = absurdLarge }, 3, "ramp.steps[1]"},
		"local_zone":       {func(r *quota.Ramp) { r.Location = machineLocal }, 3, "ramp.location"},
		"zero_months":      {nil, 0, "months"},
		"negative_months":  {nil, -1, "months"},
		"too_many_months":  {nil, 1201, "months"},
		"max_int_months":   {nil, math.MaxInt, "months"},
	} {
		r := ramp
		r.Steps = slices.Clone(ramp.Steps)
		if c.edit != nil {
			c.edit(&r)
		}
		invalid("ramp_goals/"+how, func() error { _, err := r.Goals(c.months); return err }, c.field)
		if c.edit != nil {
			// Validate refuses the ramp as Goals does, naming the field.
			invalid("ramp_validate/"+how, r.Validate, c.field)
		}
	}

	// Credits, and split credit through Attain and Forecast.
	pct := func(s string) decimal.Decimal { return dec(t, s) }
	badSplits := map[string]struct {
		splits []quota.Split
		field  string
	}{
		"none":            {nil, "splits"},
		"empty":           {[]quota.Split{}, "splits"},
		"empty_rep":       {[]quota.Split{{Rep: "", Percent: pct("100")}}, "splits[0].rep"},
		"rep_nul":         {[]quota.Split{{Rep: "ann", Percent: pct("50")}, {Rep: sp.RepID(nul), Percent: pct("50")}}, "splits[1].rep"},
		"duplicate_rep":   {[]quota.Split{{Rep: "ann", Percent: pct("50")}, {Rep: "ann", Percent: pct("50")}}, "splits[1].rep"},
		"zero_percent":    {[]quota.Split{{Rep: "ann", Percent: pct("100")}, {Rep: "bob", Percent: pct("0")}}, "splits[1].percent"},
		"negative":        {[]quota.Split{{Rep: "ann", Percent: pct("110")}, {Rep: "bob", Percent: pct("-10")}}, "splits[0].percent"},
		"above_100":       {[]quota.Split{{Rep: "ann", Percent: pct("100.01")}}, "splits[0].percent"},
		"sum_99_99":       {[]quota.Split{{Rep: "ann", Percent: pct("33.33")}, {Rep: "bob", Percent: pct("33.33")}, {Rep: "cy", Percent: pct("33.33")}}, "splits"},
		"sum_above":       {[]quota.Split{{Rep: "ann", Percent: pct("60")}, {Rep: "bob", Percent: pct("41")}}, "splits"},
		"sum_fine":        {[]quota.Split{{Rep: "ann", Percent: pct("50.0000000000000000001")}, {Rep: "bob", Percent: pct("49.9999999999999999998")}}, "splits"},
		"absurd_small":    {[]quota.Split{{Rep: "ann", Percent: absurdSmall}}, "splits[0].percent"},
		"absurd_large":    {[]quota.Split{{Rep: "ann", Percent: absurdLarge}}, "splits[0].percent"},
		"absurd_negative": {[]quota.Split{{Rep: "ann", Percent: absurdLarge.Neg()}}, "splits[0].percent"},
	}
	for how, c := range badSplits {
		invalid("credits/"+how, func() error { _, err := quota.Credits(eur, c.splits); return err }, c.field)
		if len(c.splits) == 0 {
			continue // no splits credit the owner
		}
		opts := &quota.Options{Splits: func(*pipeline.Deal) []quota.Split { return c.splits }}
		invalid("attain/splits_"+how, func() error {
			_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{won}), asOf, opts)
			return err
		}, c.field)
		invalid("forecast/splits_"+how, func() error {
			_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{open}), asOf, opts)
			return err
		}, c.field)
	}
	for how, c := range map[string]struct {
		amount sp.Money
		field  string
	}{"unset": {sp.Money{}, "amount.currency"}, "beyond": {huge, "amount.amount"}} {
		invalid("credits/amount_"+how, func() error {
			_, err := quota.Credits(c.amount, []quota.Split{{Rep: "ann", Percent: pct("100")}})
			return err
		}, c.field)
	}

	// Options: every bad option through every function that takes them.
	badOptions := map[string]struct {
		opts  quota.Options
		field string
	}{
		"confidence_one":      {quota.Options{Confidence: 1}, "options.confidence"},
		"confidence_negative": {quota.Options{Confidence: -0.5}, "options.confidence"},
		"confidence_nan":      {quota.Options{Confidence: math.NaN()}, "options.confidence"},
		"confidence_inf":      {quota.Options{Confidence: math.Inf(1)}, "options.confidence"},
		"strength_negative":   {quota.Options{PriorStrength: -1}, "options.prior_strength"},
		"strength_nan":        {quota.Options{PriorStrength: math.NaN()}, "options.prior_strength"},
		"strength_inf":        {quota.Options{PriorStrength: math.Inf(1)}, "options.prior_strength"},
		"places_negative":     {quota.Options{Places: -1}, "options.places"},
		"places_19":           {quota.Options{Places: 19}, "options.places"},
		"places_max":          {quota.Options{Places: math.MaxInt32}, "options.places"},
		"on_pace_negative":    {quota.Options{Thresholds: quota.Thresholds{OnPace: pct("-1")}}, "options.thresholds.on_pace"},
		"behind_negative":     {quota.Options{Thresholds: quota.Thresholds{Behind: pct("-0.5")}}, "options.thresholds.behind"},
		"behind_above_pace":   {quota.Options{Thresholds: quota.Thresholds{OnPace: pct("0.9"), Behind: pct("0.95")}}, "options.thresholds.behind"},
		"on_pace_absurd":      {quota.Options{Thresholds: quota.Thresholds{OnPace: absurdSmall}}, "options.thresholds.on_pace"},
		"behind_absurd":       {quota.Options{Thresholds: quota.Thresholds{Behind: absurdLarge}}, "options.thresholds.behind"},
		"one_stage":           {quota.Options{Stages: []pipeline.DealStage{pipeline.DealWon}}, "options.stages"},
		"empty_stages":        {quota.Options{Stages: []pipeline.DealStage{}}, "options.stages"},
		"too_many_stages":     {quota.Options{Stages: manyStages(pipeline.MaxStages + 1)}, "options.stages"},
		"repeated_stage":      {quota.Options{Stages: []pipeline.DealStage{"a", "b", "a"}}, "options.stages[2]"},
		"malformed_stage":     {quota.Options{Stages: []pipeline.DealStage{"a", "B c"}}, "options.stages[1]"},
		"empty_stage":         {quota.Options{Stages: []pipeline.DealStage{"", "won"}}, "options.stages[0]"},
	}
	for how, c := range badOptions {
		o := c.opts
		invalid("attain/options_"+how, func() error { _, err := quota.Attain([]quota.Goal{goal}, nil, asOf, &o); return err }, c.field)
		invalid("forecast/options_"+how, func() error { _, err := quota.Forecast([]quota.Goal{goal}, nil, asOf, &o); return err }, c.field)
		for _, calc := range calculators(asOf) {
			invalid(calc.name+"/options_"+how, func() error { return calc.run(nil, nil, nov, quota.Grouping{}, &o) }, c.field)
		}
	}

	// The grouped calculators: periods, custom groupings, nil records and
	// months that cannot be keys.
	for _, calc := range calculators(asOf) {
		for how, p := range map[string]sp.Period{"zero": {}, "far": far, "local": local, "unnamed_zone": unnamed} {
			field := "period"
			if calc.name == "weighted_pipeline" {
				if p.IsZero() {
					continue // all open deals
				}
				field = "closing"
			}
			invalid(calc.name+"/period_"+how, func() error { return calc.run(nil, nil, p, quota.Grouping{}, nil) }, field)
		}
		custom := func(*pipeline.Deal) string { return "x" }
		customIn := func(*pipeline.Inquiry) string { return "x" }
		if calc.inquiries {
			invalid(calc.name+"/custom_without_inquiry_key", func() error {
				return calc.run(nil, nil, nov, quota.Grouping{Deal: custom}, nil)
			}, "grouping.inquiry")
			invalid(calc.name+"/nil_inquiry", func() error { return calc.run(nilInquiry, noDeals, nov, quota.Grouping{}, nil) }, "inquiries")
			late := inquiry
			late.Received = time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)
			invalid(calc.name+"/month_beyond_9999", func() error {
				return calc.run(quota.Refs([]pipeline.Inquiry{late}), noDeals, sp.Year(9999, nil), quota.Grouping{Month: true},
					&quota.Options{Location: func(sp.RegionID) *time.Location { return location(t, "Pacific/Kiritimati") }})
			}, "inquiry.received")
		}
		if calc.deals && calc.name != "period_conversion" {
			// period_conversion needs both keys; its missing inquiry key is
			// the row above.
			if !calc.inquiries {
				invalid(calc.name+"/custom_without_deal_key", func() error {
					return calc.run(nil, nil, nov, quota.Grouping{Inquiry: customIn}, nil)
				}, "grouping.deal")
			}
		}
		if calc.name == "period_conversion" {
			invalid(calc.name+"/custom_without_deal_key", func() error {
				return calc.run(nil, nil, nov, quota.Grouping{Inquiry: customIn}, nil)
			}, "grouping.deal")
		}
		if calc.deals {
			invalid(calc.name+"/nil_deal", func() error { return calc.run(noInquiries, nilDeal, nov, quota.Grouping{}, nil) }, "deals")
		}
	}
	farOpen := open
	farOpen.ExpectedClose = time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)
	invalid("weighted_pipeline/month_beyond_9999", func() error {
		_, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{open, farOpen}), sp.Period{}, quota.Grouping{Month: true}, nil)
		return err
	}, "deal.expected_close")
	invalid("velocity/month_beyond_9999", func() error {
		_, err := quota.Velocity(quota.Refs([]pipeline.Deal{farOpen}), nov, quota.Grouping{Rep: true, Month: true}, nil)
		return err
	}, "deal.expected_close")
	for how, p := range map[string]sp.Period{"far": far, "local": local} {
		invalid("weighted_pipeline/closing_"+how, func() error {
			_, err := quota.WeightedPipeline(nil, p, quota.Grouping{}, nil)
			return err
		}, "closing")
	}

	// Deals that the calculators refuse: probabilities, currencies, amounts.
	withProb := func(p decimal.Decimal) pipeline.Deal { d := open; d.Probability = p; return d }
	for how, p := range map[string]decimal.Decimal{
		"negative": pct("-0.01"), "above_one": pct("1.0000001"), "hundred": pct("100"),
		"absurd_small": absurdSmall, "absurd_large": absurdLarge, "absurd_zero": decimal.New(0, math.MaxInt32),
	} {
		d := withProb(p)
		invalid("weighted_pipeline/probability_"+how, func() error {
			_, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{d}), sp.Period{}, quota.Grouping{}, nil)
			return err
		}, "deal.probability")
		invalid("forecast/probability_"+how, func() error {
			_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{d}), asOf, nil)
			return err
		}, "deal.probability")
		undated := d
		undated.ExpectedClose = time.Time{}
		invalid("forecast/probability_"+how+"_without_expected_close", func() error {
			_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{undated}), asOf, nil)
			return err
		}, "deal.probability")
	}
	dollars := won
	dollars.ID, dollars.Amount = "d3", usd
	openDollars := open
	openDollars.ID, openDollars.Amount = "d4", usd
	mismatch := func(name string, call func() error) {
		add(badInput{name, call, sp.ErrCurrencyMismatch, "d"})
	}
	mismatch("attain/deal_in_other_currency", func() error {
		_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{won, dollars}), asOf, nil)
		return err
	})
	mismatch("forecast/open_deal_in_other_currency", func() error {
		_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{openDollars}), asOf, nil)
		return err
	})
	mismatch("win_rates/amounts_in_two_currencies", func() error {
		_, err := quota.WinRates(quota.Refs([]pipeline.Deal{won, dollars}), nov, quota.Grouping{}, nil)
		return err
	})
	mismatch("velocity/amounts_in_two_currencies", func() error {
		_, err := quota.Velocity(quota.Refs([]pipeline.Deal{won, dollars}), nov, quota.Grouping{}, nil)
		return err
	})
	mismatch("weighted_pipeline/amounts_in_two_currencies", func() error {
		_, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{open, openDollars}), sp.Period{}, quota.Grouping{}, nil)
		return err
	})
	negativeWon := won
	negativeWon.Amount = eur.Neg()
	negativeOpen := open
	negativeOpen.Amount = eur.Neg()
	invalid("weighted_pipeline/negative_amount", func() error {
		_, err := quota.WeightedPipeline(quota.Refs([]pipeline.Deal{negativeOpen}), sp.Period{}, quota.Grouping{}, nil)
		return err
	}, "deal.amount")
	invalid("win_rates/negative_won_amount", func() error {
		_, err := quota.WinRates(quota.Refs([]pipeline.Deal{negativeWon}), nov, quota.Grouping{}, nil)
		return err
	}, "deal.amount")
	invalid("forecast/negative_open_amount", func() error {
		_, err := quota.Forecast([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{negativeOpen}), asOf, nil)
		return err
	}, "deal.amount")
	invalid("velocity/negative_won_amount", func() error {
		_, err := quota.Velocity(quota.Refs([]pipeline.Deal{negativeWon}), nov, quota.Grouping{}, nil)
		return err
	}, "deal.amount")
	invalid("attain/negative_won_amount", func() error {
		_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{negativeWon}), asOf, nil)
		return err
	}, "deal.amount")
	noAmount := won
	noAmount.Amount = sp.Money{}
	invalid("attain/won_deal_without_amount", func() error {
		_, err := quota.Attain([]quota.Goal{goal}, quota.Refs([]pipeline.Deal{noAmount}), asOf, nil)
		return err
	}, "deal.amount")
	invalid("attain/nil_deal", func() error { _, err := quota.Attain([]quota.Goal{goal}, nilDeal, asOf, nil); return err }, "deals")
	// A zero asOf is the year 1, not now: refused by each calculator that
	// takes one.
	var zero time.Time
	invalid("attain/zero_as_of", func() error { _, err := quota.Attain([]quota.Goal{goal}, noDeals, zero, nil); return err }, "as_of")
	invalid("forecast/zero_as_of", func() error { _, err := quota.Forecast([]quota.Goal{goal}, noDeals, zero, nil); return err }, "as_of")
	invalid("cohort_conversion/zero_as_of", func() error {
		_, err := quota.CohortConversion(noInquiries, noDeals, goal.Period, zero, quota.Grouping{Rep: true}, nil)
		return err
	}, "as_of")
	invalid("time_to_convert/zero_as_of", func() error {
		_, err := quota.TimeToConvert(noInquiries, noDeals, goal.Period, zero, quota.Grouping{Rep: true}, nil)
		return err
	}, "as_of")
	invalid("first_response/zero_as_of", func() error {
		_, err := quota.FirstResponse(noInquiries, goal.Period, zero, quota.Grouping{Rep: true}, nil)
		return err
	}, "as_of")
	invalid("forecast/nil_deal", func() error { _, err := quota.Forecast([]quota.Goal{goal}, nilDeal, asOf, nil); return err }, "deals")

	// RollUp's own arguments.
	for how, p := range map[string]sp.Period{"zero": {}, "far": far, "local": local} {
		invalid("roll_up/period_"+how, func() error { _, err := quota.RollUp(p, quota.MetricRevenue, nil); return err }, "period")
	}
	for how, m := range map[string]quota.Metric{"empty": "", "unknown": "profit", "long": quota.Metric(long)} {
		invalid("roll_up/metric_"+how, func() error { _, err := quota.RollUp(nov, m, nil); return err }, "metric")
	}
	invalid("roll_up/straddling_goal", func() error {
		_, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values([]quota.Goal{{Rep: "ann", Period: sp.Quarter(2026, 4, nil), Revenue: eur}}))
		return err
	}, "goals[0].period")
	mismatch("roll_up/goals_in_two_currencies", func() error {
		_, err := quota.RollUp(nov, quota.MetricRevenue, slices.Values([]quota.Goal{goal, {Rep: "bob", Region: "north", Period: nov, Revenue: usd}}))
		return err
	})

	// Reach and Simulate.
	p := func(amount sp.Money, prob string) quota.Prospect {
		return quota.Prospect{Amount: amount, Probability: pct(prob)}
	}
	reachRows := map[string]struct {
		goal, booked sp.Money
		open         []quota.Prospect
		is           error
		field        string
	}{
		"goal_unset":            {sp.Money{}, sp.Money{}, nil, sp.ErrInvalid, "goal.currency"},
		"goal_beyond":           {huge, sp.Money{}, nil, sp.ErrInvalid, "goal.amount"},
		"booked_other_currency": {eur, usd, nil, sp.ErrCurrencyMismatch, "booked"},
		"prospect_other":        {eur, sp.Money{}, []quota.Prospect{p(usd, "0.5")}, sp.ErrCurrencyMismatch, "prospects[0]"},
		"prospect_unset":        {eur, sp.Money{}, []quota.Prospect{p(eur, "0.5"), {Probability: pct("0.5")}}, sp.ErrInvalid, "prospects[1].amount.currency"},
		"prospect_beyond":       {eur, sp.Money{}, []quota.Prospect{{Amount: huge, Probability: pct("0.5")}}, sp.ErrInvalid, "prospects[0].amount.amount"},
		"prospect_negative":     {eur, sp.Money{}, []quota.Prospect{p(eur.Neg(), "0.5")}, sp.ErrInvalid, "prospects[0].amount"},
		"probability_negative":  {eur, sp.Money{}, []quota.Prospect{p(eur, "-0.5")}, sp.ErrInvalid, "prospects[0].probability"},
		"probability_above_one": {eur, sp.Money{}, []quota.Prospect{p(eur, "1.5")}, sp.ErrInvalid, "prospects[0].probability"},
		"probability_absurd":    {eur, sp.Money{}, []quota.Prospect{{Amount: eur, Probability: absurdSmall}}, sp.ErrInvalid, "prospects[0].probability"},
		"probability_huge":      {eur, sp.Money{}, []quota.Prospect{{Amount: eur, Probability: absurdLarge}}, sp.ErrInvalid, "prospects[0].probability"},
		"amounts_too_large": {money(t, "1.00 EUR"), sp.Money{}, []quota.Prospect{
			p(money(t, "30000000000000000000000000000000000.00 EUR"), "0.5"), p(money(t, "0.01 EUR"), "0.5")}, sp.ErrInvalid, "amounts"},
	}
	for how, c := range reachRows {
		add(badInput{"reach/" + how, func() error { _, err := quota.Reach(c.goal, c.booked, prospects(c.open...)); return err }, c.is, c.field})
		add(badInput{"simulate/" + how, func() error { _, err := quota.Simulate(c.goal, c.booked, prospects(c.open...), 100, 1); return err }, c.is, c.field})
	}
	badDraws := map[string]int{"zero": 0, "negative": -1, "min": math.MinInt}
	if above := int64(1)<<32 + 1; int64(int(above)) == above { // int has 64 bits
		badDraws["above_2_32"] = int(above)
	}
	for how, n := range badDraws {
		invalid("simulate/draws_"+how, func() error { _, err := quota.Simulate(eur, sp.Money{}, nil, n, 1); return err }, "draws")
	}

	// Rates and their statistics.
	badRates := map[string]quota.Rate{
		"num_above_den": {Num: 3, Den: 2}, "negative_num": {Num: -1, Den: 2}, "negative_den": {Num: 0, Den: -2},
		"min_int": {Num: math.MinInt64, Den: math.MinInt64}, "max_over_zero": {Num: math.MaxInt64, Den: 0},
	}
	for how, r := range badRates {
		invalid("wilson/rate_"+how, func() error { _, err := r.Wilson(0.95, 4); return err }, "rate")
		invalid("shrink/rate_"+how, func() error { _, err := r.Shrink(quota.Prior{Mean: 0.5, Strength: 2}, 4); return err }, "rate")
		invalid("compare/rate_"+how, func() error { _, err := quota.Compare(r, quota.Rate{Num: 1, Den: 2}, 0.95, 4); return err }, "rate")
		invalid("compare/peers_"+how, func() error { _, err := quota.Compare(quota.Rate{Num: 1, Den: 2}, r, 0.95, 4); return err }, "rate")
		invalid("fit_prior/"+how, func() error { _, err := quota.FitPrior(slices.Values([]quota.Rate{{Num: 1, Den: 2}, r})); return err }, "rate")
		invalid("inquiries_needed/rate_"+how, func() error {
			_, err := quota.InquiriesNeeded(quota.Amount{Money: eur}, r, eur, 0.95)
			return err
		}, "rate")
	}
	for how, m := range map[string]int64{"zero": 0, "negative": -1, "min": math.MinInt64} {
		invalid("compare_among/m_"+how, func() error {
			_, err := quota.CompareAmong(quota.Rate{Num: 1, Den: 2}, quota.Rate{Num: 1, Den: 3}, 0.95, m, 4)
			return err
		}, "m")
	}
	for how, c := range map[string]float64{"zero": 0, "one": 1, "negative": -0.1, "above": 1.5, "nan": math.NaN(), "inf": math.Inf(-1)} {
		invalid("wilson/confidence_"+how, func() error { _, err := quota.Rate{Num: 1, Den: 2}.Wilson(c, 4); return err }, "confidence")
		invalid("compare/confidence_"+how, func() error {
			_, err := quota.Compare(quota.Rate{Num: 1, Den: 2}, quota.Rate{Num: 1, Den: 3}, c, 4)
			return err
		}, "confidence")
		invalid("inquiries_needed/confidence_"+how, func() error {
			_, err := quota.InquiriesNeeded(quota.Amount{Money: eur}, quota.Rate{Num: 1, Den: 2}, eur, c)
			return err
		}, "confidence")
	}
	for how, places := range map[string]int32{"negative": -1, "19": 19, "min": math.MinInt32, "max": math.MaxInt32} {
		invalid("wilson/places_"+how, func() error { _, err := quota.Rate{Num: 1, Den: 2}.Wilson(0.95, places); return err }, "places")
		invalid("shrink/places_"+how, func() error { _, err := quota.Rate{Num: 1, Den: 2}.Shrink(quota.Prior{}, places); return err }, "places")
		invalid("compare/places_"+how, func() error {
			_, err := quota.Compare(quota.Rate{Num: 1, Den: 2}, quota.Rate{Num: 1, Den: 3}, 0.95, places)
			return err
		}, "places")
	}
	for how, c := range map[string]struct {
		p     quota.Prior
		field string
	}{
		"mean_negative":     {quota.Prior{Mean: -0.1}, "prior.mean"},
		"mean_above_one":    {quota.Prior{Mean: 1.1}, "prior.mean"},
		"mean_nan":          {quota.Prior{Mean: math.NaN()}, "prior.mean"},
		"strength_negative": {quota.Prior{Mean: 0.5, Strength: -1}, "prior.strength"},
		"strength_nan":      {quota.Prior{Mean: 0.5, Strength: math.NaN()}, "prior.strength"},
		"strength_inf":      {quota.Prior{Mean: 0.5, Strength: math.Inf(1)}, "prior.strength"},
	} {
		invalid("prior_validate/"+how, c.p.Validate, c.field)
		invalid("shrink/prior_"+how, func() error { _, err := quota.Rate{Num: 1, Den: 2}.Shrink(c.p, 4); return err }, c.field)
	}
	for how, part := range map[string]quota.Rate{
		"negative_num": {Num: -1, Den: 1}, "negative_den": {Num: 0, Den: -1}, "num_beyond": {Num: 8, Den: 9}, "den_beyond": {Num: 1, Den: 11},
	} {
		invalid("without/"+how, func() error { _, err := quota.Rate{Num: 7, Den: 10}.Without(part); return err }, "rate")
	}

	// InquiriesNeeded's amounts.
	for how, c := range map[string]struct {
		gap   quota.Amount
		avg   sp.Money
		is    error
		field string
	}{
		"average_unset":          {quota.Amount{Money: eur}, sp.Money{}, sp.ErrInvalid, "average_won.currency"},
		"average_zero":           {quota.Amount{Money: eur}, cents(0), sp.ErrInvalid, "average_won"},
		"average_negative":       {quota.Amount{Money: eur}, eur.Neg(), sp.ErrInvalid, "average_won"},
		"average_beyond":         {quota.Amount{Money: eur}, huge, sp.ErrInvalid, "average_won.amount"},
		"average_other_currency": {quota.Amount{Money: eur}, usd, sp.ErrCurrencyMismatch, "average_won: "},
		"gap_beyond":             {quota.Amount{Money: huge}, eur, sp.ErrInvalid, "gap.money.amount"},
		"gap_money_and_count":    {quota.Amount{Money: eur, Deals: pct("2")}, eur, sp.ErrInvalid, "gap.deals"},
		"gap_count_absurd":       {quota.Amount{Deals: absurdLarge}, sp.Money{}, sp.ErrInvalid, "gap.deals"},
		"gap_count_absurd_small": {quota.Amount{Deals: absurdSmall}, sp.Money{}, sp.ErrInvalid, "gap.deals"},
	} {
		add(badInput{"inquiries_needed/" + how, func() error {
			_, err := quota.InquiriesNeeded(c.gap, quota.Rate{Num: 1, Den: 4}, c.avg, 0.95)
			return err
		}, c.is, c.field})
	}

	// The string enumerations: Validate and UnmarshalText, which leaves the
	// value alone.
	for _, bad := range []string{"unknown", "MET", " met", long, nul, badUTF} {
		name := bad
		if len(name) > 12 {
			name = "long"
		}
		invalid("level/"+name, quota.Level(bad).Validate, "level")
		invalid("level_text/"+name, keeps(quota.LevelRep, textOf[quota.Level](bad)), "level")
		invalid("metric/"+name, quota.Metric(bad).Validate, "metric")
		invalid("metric_text/"+name, keeps(quota.MetricRevenue, textOf[quota.Metric](bad)), "metric")
		invalid("outcome/"+name, quota.Outcome(bad).Validate, "outcome")
		invalid("outcome_text/"+name, keeps(quota.OutcomeWon, textOf[quota.Outcome](bad)), "outcome")
		invalid("status/"+name, quota.Status(bad).Validate, "status")
		invalid("status_text/"+name, keeps(quota.StatusAtRisk, textOf[quota.Status](bad)), "status")
		invalid("basis/"+name, quota.Basis(bad).Validate, "basis")
		invalid("basis_text/"+name, keeps(quota.BasisCohort, textOf[quota.Basis](bad)), "basis")
		invalid("method/"+name, quota.Method(bad).Validate, "method")
		invalid("method_text/"+name, keeps(quota.MethodLattice, textOf[quota.Method](bad)), "method")
		invalid("verdict/"+name, quota.Verdict(bad).Validate, "verdict")
		invalid("verdict_text/"+name, keeps(quota.VerdictBelow, textOf[quota.Verdict](bad)), "verdict")
	}
	for _, v := range []interface{ Validate() error }{quota.Level(""), quota.Metric(""), quota.Outcome(""), quota.Status(""),
		quota.Basis(""), quota.Method(""), quota.Verdict("")} {
		invalid(fmt.Sprintf("%T/empty", v), v.Validate, "missing")
	}

	// Malformed JSON for every type with a JSON form.
	jsonCases := []struct {
		kind   string
		decode func(string) func() error
		cases  map[string][2]string // name → data, field
	}{
		{"goal", decode[quota.Goal], map[string][2]string{
			"malformed": {`{"rep":`, "goal"}, "array": {`[]`, "goal"}, "number_rep": {`{"rep":1}`, "goal.rep"},
			"bad_period": {`{"period":"2026-13"}`, "goal.period"}, "local_period": {`{"period":"2026-11[Local]"}`, "goal.period"},
			"number_period": {`{"period":202611}`, "goal.period"}, "revenue_text": {`{"revenue":"100 EUR"}`, "goal.revenue"},
			"revenue_currency": {`{"revenue":{"amount":"1","currency":"XXX"}}`, "goal.revenue.currency"},
			"float_deals":      {`{"deals":1.5}`, "goal.deals"}, "huge_deals": {`{"deals":1e19}`, "goal.deals"},
			"text_deals": {`{"deals":"3"}`, "goal.deals"},
		}},
		{"ramp", decode[quota.Ramp], map[string][2]string{
			"malformed": {`{"rep":`, "ramp"}, "number_rep": {`{"rep":1}`, "ramp.rep"},
			"start_bad_date": {`{"start":"2026-11-31"}`, "ramp.start"}, "monthly_text": {`{"monthly":"9000 EUR"}`, "ramp.monthly"},
			"step_word": {`{"steps":["0.5","half"]}`, "ramp.steps[1]"}, "steps_object": {`{"steps":{}}`, "ramp.steps"},
			"step_digits":      {`{"steps":["0.` + strings.Repeat("5", sp.MaxDigitRun) + `"]}`, "ramp"},
			"step_written_out": {`{"steps":["0.5","1e-9999"]}`, "ramp.steps[1]"},
			"zone_unknown":     {`{"rep":"eva","time_zone":"Mars/Olympus_Mons"}`, "ramp.time_zone"},
			"zone_local":       {`{"rep":"eva","time_zone":"Local"}`, "ramp.time_zone"},
			"zone_number":      {`{"time_zone":1}`, "ramp.time_zone"},
			"zone_misspelt":    {`{"rep":"eva","timezone":"Europe/Lisbon"}`, "ramp.timezone"},
			"location":         {`{"rep":"eva","Location":"Europe/Lisbon"}`, "ramp.Location"},
		}},
		{"split", decode[quota.Split], map[string][2]string{
			"malformed": {`{"rep":"a",}`, "split"}, "bool_rep": {`{"rep":true}`, "split.rep"},
			"percent_word": {`{"percent":"half"}`, "split.percent"}, "percent_object": {`{"percent":{}}`, "split.percent"},
		}},
		{"prospect", decode[quota.Prospect], map[string][2]string{
			"malformed": {`{"amount":null`, "prospect"}, "amount_number": {`{"amount":12}`, "prospect.amount"},
			"probability_word": {`{"probability":"likely"}`, "prospect.probability"},
		}},
		{"rate", decode[quota.Rate], map[string][2]string{
			"malformed": {`{"num":1,"den":`, "rate"}, "float": {`{"num":0.5,"den":1}`, "rate.num"},
			"text": {`{"num":1,"den":"2"}`, "rate.den"}, "overflow": {`{"num":1,"den":1e30}`, "rate.den"},
		}},
		{"prior", decode[quota.Prior], map[string][2]string{
			"malformed": {`{"mean":}`, "prior"}, "text_mean": {`{"mean":"0.5"}`, "prior.mean"}, "huge": {`{"strength":1e999}`, "prior.strength"},
		}},
		{"thresholds", decode[quota.Thresholds], map[string][2]string{
			"malformed": {`{"on_pace":"1"`, "thresholds"}, "word": {`{"behind":"most"}`, "thresholds.behind"},
			"member_unknown": {`{"on_pace":"1","behnd":"0.9"}`, "thresholds.behnd"},
		}},
		{"amount", decode[quota.Amount], map[string][2]string{
			"malformed": {`{"money":{`, "amount"}, "money_bad": {`{"money":{"amount":"1.2.3","currency":"EUR"}}`, "amount.money.amount"},
			"deals_word": {`{"deals":"some"}`, "amount.deals"},
		}},
		{"interval", decode[quota.Interval], map[string][2]string{
			"malformed": {`{"lower":"0.1","upper":"0.2"`, "interval"}, "word": {`{"lower":"low"}`, "interval.lower"},
		}},
		{"credit", decode[quota.Credit], map[string][2]string{
			"malformed": {`{"rep"`, "credit"}, "amount_array": {`{"amount":[]}`, "credit.amount"},
		}},
		{"key", decode[quota.Key], map[string][2]string{
			"malformed": {`{"rep":"a"]`, "key"}, "bad_month": {`{"month":"2026-00"}`, "key.month"}, "number_custom": {`{"custom":7}`, "key.custom"},
		}},
		{"goal_key", decode[quota.GoalKey], map[string][2]string{
			"malformed": {`{`, "goal_key"}, "unknown_metric": {`{"metric":"profit"}`, "goal_key.metric"}, "number_period": {`{"period":3}`, "goal_key.period"},
		}},
		{"durations", decode[quota.Durations], map[string][2]string{
			"malformed": {`{"count":`, "durations"}, "text_mean": {`{"mean":"1 hour"}`, "durations.mean"},
			"fraction_p90": {`{"p90":1.5}`, "durations.p90"}, "overflow_max": {`{"max":"2562047h47m16.854775808s"}`, "durations.max"}, "float_count": {`{"count":1.5}`, "durations.count"},
		}},
		{"rate_estimate", decode[quota.RateEstimate], map[string][2]string{
			"malformed": {`{"rate":{}`, "rate_estimate"}, "rate_text": {`{"rate":"1/2"}`, "rate_estimate.rate"},
			"wilson_bad": {`{"wilson":{"lower":"x"}}`, "rate_estimate.wilson.lower"},
		}},
		{"comparison", decode[quota.Comparison], map[string][2]string{
			"malformed": {`{"verdict":"below"`, "comparison"}, "unknown_verdict": {`{"verdict":"worse"}`, "comparison.verdict"},
		}},
		{"chance", decode[quota.Chance], map[string][2]string{
			"malformed": {`{"value":0.5,}`, "chance"}, "unknown_method": {`{"method":"guess"}`, "chance.method"},
			"text_value": {`{"value":"0.5"}`, "chance.value"}, "float_deals": {`{"deals":2.5}`, "chance.deals"},
		}},
		{"simulation", decode[quota.Simulation], map[string][2]string{
			"malformed": {`{"draws":}`, "simulation"}, "negative_seed": {`{"seed":-1}`, "simulation.seed"},
		}},
		{"inquiry_need", decode[quota.InquiryNeed], map[string][2]string{
			"malformed": {`{"needed":1`, "inquiry_need"}, "float": {`{"needed":1.5}`, "inquiry_need.needed"},
		}},
		{"attainment", decode[quota.Attainment], map[string][2]string{
			"malformed": {`{"goal":{}`, "attainment"}, "unknown_status": {`{"status":"great"}`, "attainment.status"},
			"bad_goal_period": {`{"goal":{"period":"x"}}`, "attainment.goal.period"}, "as_of_text": {`{"as_of":"today"}`, "attainment.as_of"},
			"won_text": {`{"won":"3"}`, "attainment.won"}, "elapsed_float": {`{"elapsed":{"num":0.5,"den":1}}`, "attainment.elapsed.num"},
		}},
		{"outlook", decode[quota.Outlook], map[string][2]string{
			"malformed": {`{"chance":{`, "outlook"}, "coverage_word": {`{"coverage":"lots"}`, "outlook.coverage"},
			"chance_method": {`{"chance":{"method":"x"}}`, "outlook.chance.method"},
		}},
		{"rollup_node", decode[quota.RollupNode], map[string][2]string{
			"malformed": {`{"children":[`, "rollup_node"}, "unknown_level": {`{"level":"planet"}`, "rollup_node.level"},
			"child_level": {`{"children":[{"level":"x"}]}`, "rollup_node.children[0].level"}, "has_own_text": {`{"has_own":"yes"}`, "rollup_node.has_own"},
		}},
		{"win_rate_group", decode[quota.WinRateGroup], map[string][2]string{
			"malformed": {`{"key":{}`, "win_rate_group"}, "won_text": {`{"won":"1"}`, "win_rate_group.won"},
		}},
		{"win_rate_report", decode[quota.WinRateReport], map[string][2]string{
			"malformed": {`{"groups":[}`, "win_rate_report"}, "bad_period": {`{"period":"someday"}`, "win_rate_report.period"},
			"groups_object": {`{"groups":{}}`, "win_rate_report.groups"},
		}},
		{"conversion_group", decode[quota.ConversionGroup], map[string][2]string{
			"malformed": {`{"inquiries":`, "conversion_group"}, "inquiries_text": {`{"inquiries":"9"}`, "conversion_group.inquiries"},
		}},
		{"conversion_report", decode[quota.ConversionReport], map[string][2]string{
			"malformed": {`{"basis":"cohort"`, "conversion_report"}, "unknown_basis": {`{"basis":"vibes"}`, "conversion_report.basis"},
			"confidence_word": {`{"confidence":"high"}`, "conversion_report.confidence"}, "confidence_nan": {`{"confidence":"NaN"}`, "conversion_report.confidence"},
			"confidence_spaced": {`{"confidence":" 0.95"}`, "conversion_report.confidence"}, "confidence_bool": {`{"confidence":true}`, "conversion_report.confidence"},
		}},
		{"funnel_step", decode[quota.FunnelStep], map[string][2]string{
			"malformed": {`{"from":`, "funnel_step"}, "bad_stage": {`{"from":"Not A Stage"}`, "funnel_step.from"},
		}},
		{"funnel_group", decode[quota.FunnelGroup], map[string][2]string{
			"malformed": {`{"steps":[{]}`, "funnel_group"}, "steps_object": {`{"steps":{}}`, "funnel_group.steps"},
		}},
		{"funnel_report", decode[quota.FunnelReport], map[string][2]string{
			"malformed": {`{"stages":["a",]}`, "funnel_report"}, "priors_text": {`{"priors":"none"}`, "funnel_report.priors"},
		}},
		{"cycle_group", decode[quota.CycleGroup], map[string][2]string{
			"malformed": {`{"pending":1,`, "cycle_group"}, "pending_text": {`{"pending":"1"}`, "cycle_group.pending"},
			"bad_median": {`{"durations":{"median":"soon"}}`, "cycle_group.durations.median"},
		}},
		{"cycle_report", decode[quota.CycleReport], map[string][2]string{
			"malformed": {`{"total":`, "cycle_report"}, "total_array": {`{"total":[]}`, "cycle_report.total"},
		}},
		{"pipeline_group", decode[quota.PipelineGroup], map[string][2]string{
			"malformed": {`{"open":`, "pipeline_group"}, "weighted_bad": {`{"weighted":{"amount":"x","currency":"EUR"}}`, "pipeline_group.weighted.amount"},
		}},
		{"pipeline_report", decode[quota.PipelineReport], map[string][2]string{
			"malformed": {`{"closing":"2026-11"`, "pipeline_report"}, "bad_closing": {`{"closing":"2026-W99"}`, "pipeline_report.closing"},
		}},
		{"velocity_group", decode[quota.VelocityGroup], map[string][2]string{
			"malformed": {`{"cycle":`, "velocity_group"}, "cycle_text": {`{"cycle":"3d"}`, "velocity_group.cycle"},
			"cycle_bool": {`{"cycle":false}`, "velocity_group.cycle"}, "bad_per_day": {`{"cycle":"1h","per_day":{"amount":"x","currency":"EUR"}}`, "velocity_group.per_day.amount"},
		}},
		{"velocity_report", decode[quota.VelocityReport], map[string][2]string{
			"malformed": {`{"groups":[{"open":1}]`, "velocity_report"}, "groups_number": {`{"groups":1}`, "velocity_report.groups"},
			"bad_cycle": {`{"groups":[{"cycle":"1h"},{"cycle":"1x"}]}`, "velocity_report.groups[1].cycle"},
		}},
	}
	for _, jc := range jsonCases {
		for name, c := range jc.cases {
			invalid("json/"+jc.kind+"/"+name, jc.decode(c[0]), c[1])
		}
	}

	// The in-memory goal store: a done context changes nothing either.
	store := &quotatest.MemGoalStore{}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	add(badInput{"mem_goal_store/put_cancelled", unchanged(store, goal, func() error {
		g := goal
		g.Revenue = cents(1)
		return store.PutGoal(done, g)
	}), context.Canceled, "canceled"})

	slices.SortFunc(rows, func(a, b badInput) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(rows); i++ {
		require.NotEqual(t, rows[i-1].name, rows[i].name, "row names must be unique")
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) { checkBadInput(t, row) })
	}
	t.Logf("%d rows", len(rows))
}

// unchanged stores g in store, then runs call, and joins errChanged to
// call's error if the store no longer holds exactly g.
func unchanged(store *quotatest.MemGoalStore, g quota.Goal, call func() error) func() error {
	return func() error {
		ctx := context.Background()
		if err := store.PutGoal(ctx, g); err != nil {
			return fmt.Errorf("setup: %v", err) // wraps no sentinel: the row fails
		}
		err := call()
		var got []quota.Goal
		for s, e := range store.ListGoals(ctx, sp.Period{}) {
			if e != nil {
				return errors.Join(err, e)
			}
			got = append(got, s)
		}
		if len(got) != 1 || got[0].Key() != g.Key() || !got[0].Revenue.Equal(g.Revenue) || got[0].Deals != g.Deals {
			return errors.Join(err, errChanged)
		}
		return err
	}
}

// manyStages returns n distinct well-formed stages.
func manyStages(n int) []pipeline.DealStage {
	out := make([]pipeline.DealStage, n)
	for i := range out {
		out[i] = pipeline.DealStage(fmt.Sprintf("s%d", i))
	}
	return out
}

// TestAdversarialInputsDoNotPanic feeds strange but legal inputs to the
// functions of the package, those that return no error among them: none
// panics or hangs (the test's timeout catches a hang), and what they
// promise still holds.
func TestAdversarialInputsDoNotPanic(t *testing.T) {
	nov := sp.Month(2026, time.November, nil)
	asOf := nov.Start().Add(15 * 24 * time.Hour)
	goal := quota.Goal{Rep: "ann", Period: nov, Revenue: cents(100_000)}
	everything, err := sp.NewPeriod(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"nil_sequences_are_empty", func(t *testing.T) {
			at, err := quota.Attain([]quota.Goal{goal}, nil, asOf, nil)
			require.NoError(t, err)
			assert.True(t, at[0].Attained.Money.IsZero())
			_, err = quota.Forecast([]quota.Goal{goal}, nil, asOf, nil)
			require.NoError(t, err)
			for _, calc := range calculators(asOf) {
				require.NoError(t, calc.run(nil, nil, nov, quota.Grouping{Rep: true, Month: true}, nil), calc.name)
			}
			node, err := quota.RollUp(nov, quota.MetricRevenue, nil)
			require.NoError(t, err)
			assert.False(t, node.HasOwn)
			c, err := quota.Reach(cents(100), cents(0), nil)
			require.NoError(t, err)
			assert.Equal(t, 0.0, c.Value)
			sim, err := quota.Simulate(cents(100), cents(100), nil, 10, 1)
			require.NoError(t, err)
			assert.Equal(t, 1.0, sim.Value)
			prior, err := quota.FitPrior(nil)
			require.NoError(t, err)
			assert.Equal(t, quota.Prior{}, prior)
			assert.Equal(t, quota.Durations{}, quota.Summarize(nil))
			for range quota.Records[pipeline.Deal](nil, nil) {
				t.Fatal("a nil listing has no records")
			}
			for range quota.Refs[pipeline.Deal](nil) {
				t.Fatal("a nil slice has no records")
			}
		}},
		{"records_stops_at_error", func(t *testing.T) {
			var err error
			n := 0
			for range quota.Records(func(yield func(pipeline.Deal, error) bool) {
				_ = yield(pipeline.Deal{ID: "a"}, nil) && yield(pipeline.Deal{}, sp.ErrNotFound) && yield(pipeline.Deal{ID: "b"}, nil)
			}, &err) {
				n++
			}
			assert.Equal(t, 1, n)
			assert.ErrorIs(t, err, sp.ErrNotFound)
		}},
		{"outcomes_of_nil_deal", func(t *testing.T) {
			assert.Equal(t, quota.OutcomeOpen, quota.DefaultOutcome(nil))
			assert.Equal(t, quota.OutcomeOpen, quota.OutcomeBy(nil, nil)(nil))
			assert.Equal(t, quota.OutcomeOpen, quota.OutcomeBy()(&pipeline.Deal{Pipeline: long, Stage: "x"}))
		}},
		{"funnel_stages_of_nil", func(t *testing.T) {
			assert.Len(t, quota.FunnelStages(nil), 5)
		}},
		{"nil_calendar_func", func(t *testing.T) {
			assert.False(t, quota.CalendarFunc(nil).WorkingDay(asOf))
			assert.Equal(t, quota.Elapsed(nov, asOf, nil), quota.Elapsed(nov, asOf, quota.CalendarFunc(nil)))
			at, err := quota.Attain([]quota.Goal{goal}, nil, asOf, &quota.Options{Calendar: quota.CalendarFunc(nil)})
			require.NoError(t, err)
			assert.Equal(t, "1/2", at[0].Elapsed.String())
		}},
		{"elapsed_extremes", func(t *testing.T) {
			for _, at := range []time.Time{{}, time.Unix(math.MaxInt64/2, 0), time.Unix(math.MinInt64/2, 0), asOf} {
				for _, p := range []sp.Period{{}, nov, everything} {
					e := quota.Elapsed(p, at, quota.Weekdays())
					if e.Defined() {
						assert.True(t, e.Num >= 0 && e.Num <= e.Den, "%s", e)
					}
				}
			}
		}},
		{"summarize_extremes", func(t *testing.T) {
			d := quota.Summarize(slices.Values([]time.Duration{math.MaxInt64, math.MaxInt64, -1, 0, math.MinInt64}))
			assert.Equal(t, int64(3), d.Count)
			assert.Equal(t, time.Duration(math.MaxInt64), d.Max)
			assert.True(t, d.Mean > 0, "the mean of large durations does not overflow: %v", d.Mean)
		}},
		{"rate_extremes", func(t *testing.T) {
			for _, r := range []quota.Rate{{Num: math.MinInt64, Den: -1}, {Num: 1, Den: math.MinInt64}, {Num: math.MaxInt64, Den: math.MaxInt64}, {}} {
				_ = r.Decimal(math.MaxInt32)
				_ = r.Percent(math.MaxInt32)
				_ = r.Percent(math.MinInt32)
				_ = r.Cmp(quota.Rate{Num: 1, Den: 2})
				_ = r.String()
				_, _ = r.Without(r)
			}
			iv, err := quota.Rate{Num: math.MaxInt64, Den: math.MaxInt64}.Wilson(0.999999999, 18)
			require.NoError(t, err)
			assert.Equal(t, "1", iv.Upper.String())
		}},
		{"spread_whole_calendar", func(t *testing.T) {
			goals, err := quota.Spread(quota.Goal{Period: everything, Deals: math.MaxInt64}, nil)
			require.NoError(t, err)
			assert.Len(t, goals, 9999*12)
		}},
		{"reach_a_million_prospects", func(t *testing.T) {
			if testing.Short() {
				t.Skip("a million prospects")
			}
			c, err := quota.Reach(cents(1_000_000_000), cents(0), func(yield func(quota.Prospect) bool) {
				for i := range 1_000_000 {
					if !yield(quota.Prospect{Amount: cents(int64(i%1000 + 1)), Probability: decimal.New(int64(i%97+1), -2)}) {
						return
					}
				}
			})
			require.NoError(t, err)
			assert.True(t, c.Value >= 0 && c.Value <= 1)
		}},
		{"grouping_keys_adversarial", func(t *testing.T) {
			deals := []pipeline.Deal{
				{ID: "a", Owner: sp.RepID(long), Stage: pipeline.DealWon, Closed: asOf, Amount: cents(1)},
				{ID: "b", Owner: sp.RepID(nul), Stage: pipeline.DealLost, Closed: asOf},
				{ID: "c", Owner: sp.RepID(badUTF), Stage: pipeline.DealWon, Closed: asOf, Amount: cents(2)},
			}
			rep, err := quota.WinRates(quota.Refs(deals), nov, quota.Grouping{Rep: true, Deal: func(d *pipeline.Deal) string { return long + string(d.ID) }}, nil)
			require.NoError(t, err)
			assert.Len(t, rep.Groups, 3)
			_, err = json.Marshal(rep)
			require.NoError(t, err)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotPanics(t, func() { tt.run(t) })
		})
	}
}
