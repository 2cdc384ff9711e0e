package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// badInput is one row of the bad-input catalogue: a call with an invalid
// input, the sentinel its error must wrap, and the field it must name: the
// Field of the *ValidationError in its chain when it has one, else a
// substring of its message. A call that could change a value, a store or
// the outside world checks itself that a failed call changed nothing, and
// joins errChanged to its error otherwise.
type badInput struct {
	name  string
	call  func() error
	is    error
	field string
}

// errChanged marks a failed call that changed something.
var errChanged = errors.New("a failed call changed something")

// rowTimeout bounds the time a row's call may take. Every call returns in
// milliseconds when it refuses its input up front; a bad input that gets
// past validation can reach work that nothing bounds then (the decimal
// 1e2147483647 made text takes a power of ten of two billion digits), and
// the row fails after rowTimeout instead of hanging the test binary until
// its own timeout.
const rowTimeout = 30 * time.Second

func checkBadInput(t *testing.T, row badInput) {
	t.Helper()
	err := callWithin(t, row.call, rowTimeout)
	require.Error(t, err, "bad input accepted")
	assert.ErrorIs(t, err, row.is)
	assert.NotErrorIs(t, err, errChanged, "a failed call changed something")
	var ve *sp.ValidationError
	if errors.As(err, &ve) && ve.Field != "" {
		assert.Equal(t, row.field, ve.Field, "error: %v", err)
	} else {
		assert.Contains(t, err.Error(), row.field)
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, errRule) {
		assert.True(t, strings.HasPrefix(err.Error(), "review: ") || strings.HasPrefix(err.Error(), "invalid "),
			"message %q says where it comes from or what is invalid", err)
	}
	assert.Less(t, len(err.Error()), 1000, "the message quotes no huge input")
}

// callWithin runs call on a goroutine of its own and returns its error,
// failing t if it panics, or if it has not returned after limit: then its
// goroutine is left running, and t says so.
func callWithin(t *testing.T, call func() error, limit time.Duration) error {
	t.Helper()
	type result struct {
		err      error
		returned bool
		panicked any
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if !r.returned {
				r.panicked = recover()
			}
			done <- r
		}()
		r.err = call()
		r.returned = true
	}()
	select {
	case r := <-done:
		switch {
		case r.panicked != nil:
			t.Fatalf("the call panicked: %v", r.panicked)
		case !r.returned:
			// It stopped its goroutine (a require that failed in it) and
			// has said why.
			t.FailNow()
		}
		return r.err
	case <-time.After(limit):
		t.Fatalf("the call has not returned after %v: the bad input got past validation into work that nothing bounds (left running)", limit)
		return nil
	}
}

// keeps runs decode on a copy of before and joins errChanged to its error
// when the copy no longer equals before.
func keeps[T any](before T, equal func(a, b T) bool, decode func(*T) error) func() error {
	return func() error {
		v := before
		err := decode(&v)
		if !equal(v, before) {
			return errors.Join(err, errChanged)
		}
		return err
	}
}

func eq[T comparable](a, b T) bool { return a == b }

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
	long        = strings.Repeat("x", 100_000)
	nul         = "a\x00b"
	badUTF      = "a\xffb"
	absurdSmall = decimal.New(1, math.MinInt32)
	absurdLarge = decimal.New(1, math.MaxInt32)
	errRule     = errors.New("the host rule failed")
)

// sideEffects records what a review did to the outside world: the
// assignments it stored and the events it published.
type sideEffects struct {
	mu          sync.Mutex
	assignments int
	events      int
}

func (s *sideEffects) AssignModule(_ context.Context, a training.Assignment) (training.Assignment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.assignments++
	return a, nil
}

func (s *sideEffects) Publish(context.Context, sp.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events++
	return nil
}

// sales is a month of a small team whose review, when it succeeds, makes
// findings, assignments and events: one rep lags on widget, a goal is
// missed.
type sales struct {
	deals     []pipeline.Deal
	inquiries []pipeline.Inquiry
	goals     []quota.Goal
	reps      []sp.Rep
	products  []sp.Product
}

func newSales() sales {
	var s sales
	at := november.Start().Add(48 * time.Hour)
	for i := range 40 {
		rep := sp.RepID(fmt.Sprintf("rep-%d", i%4))
		d := pipeline.Deal{
			ID: sp.DealID(fmt.Sprintf("d-%02d", i)), Owner: rep, Region: north, Product: widget, Customer: "c",
			Amount: pipelinetestEUR("1000.00"), Created: at, Closed: at.Add(time.Duration(i) * time.Hour),
			Stage: pipeline.DealWon, Probability: decimal.New(1, 0),
		}
		if rep == "rep-0" || i%3 == 0 {
			d.Stage, d.Probability = pipeline.DealLost, decimal.Zero
			d.Loss = &pipeline.LossReason{Category: pipeline.LossRepExecution, Detail: "slow"}
		}
		s.deals = append(s.deals, d)
		s.inquiries = append(s.inquiries, pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i-%02d", i)), Owner: rep, Region: north,
			Product: widget, Received: at, Stage: pipeline.InquiryNew})
	}
	for i := range 4 {
		id := sp.RepID(fmt.Sprintf("rep-%d", i))
		s.reps = append(s.reps, sp.Rep{ID: id, Name: "Rep", Region: north})
		s.goals = append(s.goals, quota.Goal{Rep: id, Region: north, Period: november, Revenue: pipelinetestEUR("20000.00")})
	}
	s.products = []sp.Product{{ID: widget, Name: "Widget", Owner: "pm-widget"}}
	return s
}

func pipelinetestEUR(s string) sp.Money {
	m, _ := sp.ParseMoney(s + " EUR")
	return m
}

func (s sales) input() review.Input {
	return review.Input{
		Period: november, Deals: quota.Refs(s.deals), Inquiries: quota.Refs(s.inquiries), Goals: s.goals,
		Reps: s.reps, Products: s.products,
	}
}

// reviewing returns a call that reviews in with a reviewer under rules
// and opts wired to a fresh sideEffects, and joins errChanged to its
// error if the review assigned or published anything.
func reviewing(t *testing.T, rules review.Rules, opts review.Options, ctx context.Context, in review.Input) func() error {
	return func() error {
		fx := &sideEffects{}
		opts.Assigner, opts.Publisher = fx, fx
		if opts.Clock == nil {
			opts.Clock = reviewClock()
		}
		if opts.Modules == nil {
			opts.Modules = func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }
		}
		r, err := review.New(rules, &opts)
		require.NoError(t, err)
		_, err = r.Review(ctx, in)
		if fx.assignments > 0 || fx.events > 0 {
			return errors.Join(err, errChanged)
		}
		return err
	}
}

// TestReviewOfSalesActs makes sure that the sales of the catalogue make a
// review act, so that the rows that fail show it did not.
func TestReviewOfSalesActs(t *testing.T) {
	fx := &sideEffects{}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Assigner: fx, Publisher: fx,
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), newSales().input())
	require.NoError(t, err)
	assert.NotEmpty(t, rep.Findings)
	assert.Positive(t, fx.events)
	assert.Positive(t, fx.assignments)
}

// TestBadInputCatalogue lists every exported function and method of the
// package that takes input, with every class of invalid input, and checks
// the error: it wraps the right sentinel, names the field, and changes
// nothing: no value decoded into, no assignment stored, no event sent.
func TestBadInputCatalogue(t *testing.T) {
	ctx := context.Background()
	s := newSales()
	def := review.DefaultRules()

	var rows []badInput
	add := func(r ...badInput) { rows = append(rows, r...) }
	invalid := func(name string, call func() error, field string) { add(badInput{name, call, sp.ErrInvalid, field}) }

	// The rules document as JSON: every field, of the wrong type and out
	// of range, through ParseRules and Rules.UnmarshalJSON (which leaves
	// the rules alone), and through Report.UnmarshalJSON.
	docs := map[string]struct{ doc, field string }{
		"not_json":            {`{"version": 1,`, ""},
		"empty":               {``, ""},
		"null":                {`null`, ""},
		"array":               {`[]`, ""},
		"string":              {`"rules"`, ""},
		"trailing":            {`{"version": 1} {}`, ""},
		"no_version":          {`{}`, "version"},
		"version_0":           {`{"version": 0}`, "version"},
		"version_2":           {`{"version": 2}`, "version"},
		"version_text":        {`{"version": "1"}`, "version"},
		"version_float":       {`{"version": 1.0}`, "version"},
		"version_huge":        {`{"version": 1e400}`, "version"},
		"version_twice":       {`{"version": 1, "version": 1}`, "version"},
		"unknown_top":         {`{"version": 1, "extra": {}}`, "extra"},
		"analysis_array":      {`{"version": 1, "analysis": []}`, "analysis"},
		"analysis_twice":      {`{"version": 1, "analysis": {}, "analysis": {}}`, "analysis"},
		"analysis_unknown":    {`{"version": 1, "analysis": {"confidance": "0.9"}}`, "analysis.confidance"},
		"confidence_number":   {`{"version": 1, "analysis": {"confidence": 0.9}}`, "analysis.confidence"},
		"confidence_exponent": {`{"version": 1, "analysis": {"confidence": "9e-1"}}`, "analysis.confidence"},
		"confidence_one":      {`{"version": 1, "analysis": {"confidence": "1"}}`, "analysis.confidence"},
		"confidence_zero":     {`{"version": 1, "analysis": {"confidence": "0"}}`, "analysis.confidence"},
		"confidence_long":     {`{"version": 1, "analysis": {"confidence": "0.` + strings.Repeat("9", 100) + `"}}`, "analysis.confidence"},
		"adjustment_unknown":  {`{"version": 1, "analysis": {"adjustment": "holm"}}`, "analysis.adjustment"},
		"adjustment_empty":    {`{"version": 1, "analysis": {"adjustment": ""}}`, "analysis.adjustment"},
		"adjustment_number":   {`{"version": 1, "analysis": {"adjustment": 1}}`, "analysis.adjustment"},
		"rate_unknown":        {`{"version": 1, "analysis": {"rate": "close_rate"}}`, "analysis.rate"},
		"min_deals_zero":      {`{"version": 1, "analysis": {"min_deals": 0}}`, "analysis.min_deals"},
		"min_deals_text":      {`{"version": 1, "analysis": {"min_deals": "5"}}`, "analysis.min_deals"},
		"min_deals_float":     {`{"version": 1, "analysis": {"min_deals": 5.5}}`, "analysis.min_deals"},
		"min_deals_huge":      {`{"version": 1, "analysis": {"min_deals": 10000000000}}`, "analysis.min_deals"},
		"min_inquiries_neg":   {`{"version": 1, "analysis": {"min_inquiries": -1}}`, "analysis.min_inquiries"},
		"places_zero":         {`{"version": 1, "analysis": {"places": 0}}`, "analysis.places"},
		"places_overflow":     {`{"version": 1, "analysis": {"places": 4294967297}}`, "analysis.places"},
		"loss_cats_empty":     {`{"version": 1, "analysis": {"product": {"loss_categories": []}}}`, "analysis.product.loss_categories"},
		"loss_cats_unknown":   {`{"version": 1, "analysis": {"product": {"loss_categories": ["weather"]}}}`, "analysis.product.loss_categories[0]"},
		"loss_cats_twice":     {`{"version": 1, "analysis": {"product": {"loss_categories": ["price", "price"]}}}`, "analysis.product.loss_categories[1]"},
		"loss_cats_object":    {`{"version": 1, "analysis": {"product": {"loss_categories": {}}}}`, "analysis.product.loss_categories"},
		"min_losses_zero":     {`{"version": 1, "analysis": {"product": {"min_losses": 0}}}`, "analysis.product.min_losses"},
		"min_loss_share_neg":  {`{"version": 1, "analysis": {"product": {"min_loss_share": "-0.5"}}}`, "analysis.product.min_loss_share"},
		"product_min_reps":    {`{"version": 1, "analysis": {"product": {"min_reps": 0}}}`, "analysis.product.min_reps"},
		"product_rep_share":   {`{"version": 1, "analysis": {"product": {"min_rep_share": "1.5"}}}`, "analysis.product.min_rep_share"},
		"share_of_sales":      {`{"version": 1, "analysis": {"product": {"min_share_of_sales": "2"}}}`, "analysis.product.min_share_of_sales"},
		"product_unknown":     {`{"version": 1, "analysis": {"product": {"min_loss": 1}}}`, "analysis.product.min_loss"},
		"market_min_reps":     {`{"version": 1, "analysis": {"market": {"min_reps": -2}}}`, "analysis.market.min_reps"},
		"market_rep_share":    {`{"version": 1, "analysis": {"market": {"min_rep_share": "x"}}}`, "analysis.market.min_rep_share"},
		"first_contact_bad":   {`{"version": 1, "analysis": {"follow_up": {"first_contact": "soon"}}}`, "analysis.follow_up.first_contact"},
		"first_contact_num":   {`{"version": 1, "analysis": {"follow_up": {"first_contact": 24}}}`, "analysis.follow_up.first_contact"},
		"next_touch_negative": {`{"version": 1, "analysis": {"follow_up": {"next_touch": "-72h"}}}`, "analysis.follow_up.next_touch"},
		"max_median_negative": {`{"version": 1, "analysis": {"follow_up": {"max_median_first_response": "-1s"}}}`, "analysis.follow_up.max_median_first_response"},
		"max_overdue_share":   {`{"version": 1, "analysis": {"follow_up": {"max_overdue_share": "1.01"}}}`, "analysis.follow_up.max_overdue_share"},
		"due_days_zero":       {`{"version": 1, "actions": {"retrain_due_days": 0}}`, "actions.retrain_due_days"},
		"due_days_367":        {`{"version": 1, "actions": {"retrain_due_days": 367}}`, "actions.retrain_due_days"},
		"max_items_1001":      {`{"version": 1, "actions": {"max_items": 1001}}`, "actions.max_items"},
		"actions_unknown":     {`{"version": 1, "actions": {"max": 1}}`, "actions.max"},
		"rules_array":         {`{"version": 1, "rules": []}`, "rules"},
		"rules_unknown":       {`{"version": 1, "rules": {"target_exceeded": {}}}`, "rules.target_exceeded"},
		"rule_twice":          {`{"version": 1, "rules": {"target_met": {}, "target_met": {}}}`, "rules.target_met"},
		"rule_array":          {`{"version": 1, "rules": {"target_met": []}}`, "rules.target_met"},
		"rule_field_unknown":  {`{"version": 1, "rules": {"target_met": {"percent": "90"}}}`, "rules.target_met.percent"},
		"min_percent_zero":    {`{"version": 1, "rules": {"target_met": {"min_percent": "0"}}}`, "rules.target_met.min_percent"},
		"min_percent_huge":    {`{"version": 1, "rules": {"target_met": {"min_percent": "1000001"}}}`, "rules.target_met.min_percent"},
		"statuses_met":        {`{"version": 1, "rules": {"target_missed": {"statuses": ["met"]}}}`, "rules.target_missed.statuses[0]"},
		"statuses_unknown":    {`{"version": 1, "rules": {"target_missed": {"statuses": ["late"]}}}`, "rules.target_missed.statuses[0]"},
		"statuses_twice":      {`{"version": 1, "rules": {"target_missed": {"statuses": ["missed", "missed"]}}}`, "rules.target_missed.statuses[1]"},
		"statuses_empty":      {`{"version": 1, "rules": {"target_missed": {"statuses": []}}}`, "rules.target_missed.statuses"},
		"critical_percent":    {`{"version": 1, "rules": {"target_missed": {"critical_below_percent": "-1"}}}`, "rules.target_missed.critical_below_percent"},
		"peers_rate":          {`{"version": 1, "rules": {"conversion_below_peers": {"rate": "speed"}}}`, "rules.conversion_below_peers.rate"},
		"lag_rate":            {`{"version": 1, "rules": {"rep_product_lag": {"rate": null, "x": 1}}}`, "rules.rep_product_lag.x"},
		"overdue_share":       {`{"version": 1, "rules": {"slow_follow_up": {"critical_overdue_share": "5"}}}`, "rules.slow_follow_up.critical_overdue_share"},
		"loss_share":          {`{"version": 1, "rules": {"product_losses": {"critical_loss_share": "-1"}}}`, "rules.product_losses.critical_loss_share"},
		"min_coverage":        {`{"version": 1, "rules": {"thin_pipeline": {"min_coverage": "1000001"}}}`, "rules.thin_pipeline.min_coverage"},
		"min_chance":          {`{"version": 1, "rules": {"thin_pipeline": {"min_chance": "-0.1"}}}`, "rules.thin_pipeline.min_chance"},
		"adjust_chance":       {`{"version": 1, "rules": {"thin_pipeline": {"adjust_below_chance": "1.5"}}}`, "rules.thin_pipeline.adjust_below_chance"},
		"expiring_days":       {`{"version": 1, "rules": {"certification": {"expiring_within_days": -1}}}`, "rules.certification.expiring_within_days"},
		"sources_unknown":     {`{"version": 1, "rules": {"feedback_pileup": {"sources": ["press"]}}}`, "rules.feedback_pileup.sources[0]"},
		"sources_twice":       {`{"version": 1, "rules": {"feedback_pileup": {"sources": ["rep", "rep"]}}}`, "rules.feedback_pileup.sources[1]"},
		"min_count_zero":      {`{"version": 1, "rules": {"feedback_pileup": {"min_count": 0}}}`, "rules.feedback_pileup.min_count"},
		"max_rating_zero":     {`{"version": 1, "rules": {"feedback_pileup": {"max_rating": 0}}}`, "rules.feedback_pileup.max_rating"},
		"min_low_share":       {`{"version": 1, "rules": {"feedback_pileup": {"min_low_share": "1.1"}}}`, "rules.feedback_pileup.min_low_share"},
		"custom_array":        {`{"version": 1, "custom": []}`, "custom"},
		"custom_builtin":      {`{"version": 1, "custom": {"thin_pipeline": {}}}`, "custom.thin_pipeline"},
		"custom_bad_name":     {`{"version": 1, "custom": {"Big Deals": {}}}`, `custom."Big Deals"`},
		"custom_empty_name":   {`{"version": 1, "custom": {"": {}}}`, "custom"},
		"custom_long_name":    {`{"version": 1, "custom": {"a` + strings.Repeat("b", 64) + `": {}}}`, "custom.a" + strings.Repeat("b", 64)},
		"custom_not_object":   {`{"version": 1, "custom": {"big": "on"}}`, "custom.big"},
		"custom_twice":        {`{"version": 1, "custom": {"big": {}, "big": {"x": 1}}}`, "custom.big"},
		"nul_in_key":          {"{\"version\": 1, \"a\\u0000\": 1}", `"a\x00"`},
	}
	for how, c := range docs {
		invalid("parse_rules/"+how, func() error { _, err := review.ParseRules([]byte(c.doc)); return err }, c.field)
		invalid("rules_unmarshal_json/"+how, keeps(def, rulesEqual, func(r *review.Rules) error { return r.UnmarshalJSON([]byte(c.doc)) }), c.field)
		if json.Valid([]byte(c.doc)) {
			invalid("parse_report/rules_"+how, func() error {
				_, err := review.ParseReport([]byte(`{"version": 1, "rules": ` + c.doc + `}`))
				return err
			}, strings.TrimSuffix("report.rules."+c.field, "."))
		}
	}

	// The rules document built in Go: every setting out of range, through
	// Rules.Validate and New.
	edits := map[string]struct {
		edit  func(*review.Rules)
		field string
	}{
		"zero_rules":          {func(r *review.Rules) { *r = review.Rules{} }, "version"},
		"version_2":           {func(r *review.Rules) { r.Version = 2 }, "version"},
		"confidence_absurd":   {func(r *review.Rules) { r.Analysis.Confidence = absurdSmall }, "analysis.confidence"},
		"confidence_huge":     {func(r *review.Rules) { r.Analysis.Confidence = absurdLarge }, "analysis.confidence"},
		"confidence_negative": {func(r *review.Rules) { r.Analysis.Confidence = decimal.New(-95, -2) }, "analysis.confidence"},
		"adjustment_unknown":  {func(r *review.Rules) { r.Analysis.Adjustment = "holm" }, "analysis.adjustment"},
		"rate_empty":          {func(r *review.Rules) { r.Analysis.Rate = "" }, "analysis.rate"},
		"min_deals_min":       {func(r *review.Rules) { r.Analysis.MinDeals = math.MinInt64 }, "analysis.min_deals"},
		"min_inquiries_max":   {func(r *review.Rules) { r.Analysis.MinInquiries = math.MaxInt64 }, "analysis.min_inquiries"},
		"places_max":          {func(r *review.Rules) { r.Analysis.Places = math.MaxInt32 }, "analysis.places"},
		"loss_cats_nil":       {func(r *review.Rules) { r.Analysis.Product.LossCategories = nil }, "analysis.product.loss_categories"},
		"loss_cat_nul": {func(r *review.Rules) {
			r.Analysis.Product.LossCategories = []pipeline.LossCategory{pipeline.LossCategory(nul)}
		}, "analysis.product.loss_categories[0]"},
		"min_loss_share_absurd": {func(r *review.Rules) { r.Analysis.Product.MinLossShare = absurdLarge.Neg() }, "analysis.product.min_loss_share"},
		"rep_share_absurd":      {func(r *review.Rules) { r.Analysis.Market.MinRepShare = absurdSmall }, "analysis.market.min_rep_share"},
		"first_contact_neg":     {func(r *review.Rules) { r.Analysis.FollowUp.FirstContact = review.Duration(math.MinInt64) }, "analysis.follow_up.first_contact"},
		"overdue_share_absurd":  {func(r *review.Rules) { r.Analysis.FollowUp.MaxOverdueShare = absurdLarge }, "analysis.follow_up.max_overdue_share"},
		"due_days_max":          {func(r *review.Rules) { r.Actions.RetrainDueDays = math.MaxInt }, "actions.retrain_due_days"},
		"max_items_negative":    {func(r *review.Rules) { r.Actions.MaxItems = -1 }, "actions.max_items"},
		"min_percent_absurd":    {func(r *review.Rules) { r.Rules.TargetMet.MinPercent = absurdSmall }, "rules.target_met.min_percent"},
		"min_percent_huge":      {func(r *review.Rules) { r.Rules.TargetMet.MinPercent = absurdLarge }, "rules.target_met.min_percent"},
		"statuses_nil":          {func(r *review.Rules) { r.Rules.TargetMissed.Statuses = nil }, "rules.target_missed.statuses"},
		"statuses_on_pace":      {func(r *review.Rules) { r.Rules.TargetMissed.Statuses = []quota.Status{quota.StatusOnPace} }, "rules.target_missed.statuses[0]"},
		"statuses_unknown":      {func(r *review.Rules) { r.Rules.TargetMissed.Statuses = []quota.Status{"late"} }, "rules.target_missed.statuses[0]"},
		"critical_absurd":       {func(r *review.Rules) { r.Rules.TargetMissed.CriticalBelowPercent = absurdLarge }, "rules.target_missed.critical_below_percent"},
		"peers_rate_unknown":    {func(r *review.Rules) { r.Rules.ConversionBelowPeers.Rate = "x" }, "rules.conversion_below_peers.rate"},
		"lag_rate_empty":        {func(r *review.Rules) { r.Rules.RepProductLag.Rate = "" }, "rules.rep_product_lag.rate"},
		"overdue_share_neg":     {func(r *review.Rules) { r.Rules.SlowFollowUp.CriticalOverdueShare = decimal.New(-1, 0) }, "rules.slow_follow_up.critical_overdue_share"},
		"loss_share_absurd":     {func(r *review.Rules) { r.Rules.ProductLosses.CriticalLossShare = absurdSmall }, "rules.product_losses.critical_loss_share"},
		"coverage_absurd":       {func(r *review.Rules) { r.Rules.ThinPipeline.MinCoverage = absurdLarge }, "rules.thin_pipeline.min_coverage"},
		"chance_absurd":         {func(r *review.Rules) { r.Rules.ThinPipeline.MinChance = absurdSmall }, "rules.thin_pipeline.min_chance"},
		"adjust_chance_two":     {func(r *review.Rules) { r.Rules.ThinPipeline.AdjustBelowChance = decimal.New(2, 0) }, "rules.thin_pipeline.adjust_below_chance"},
		"expiring_days_max":     {func(r *review.Rules) { r.Rules.Certification.ExpiringWithinDays = math.MaxInt }, "rules.certification.expiring_within_days"},
		"sources_empty":         {func(r *review.Rules) { r.Rules.FeedbackPileup.Sources = []sp.FeedbackSource{} }, "rules.feedback_pileup.sources"},
		"sources_unknown":       {func(r *review.Rules) { r.Rules.FeedbackPileup.Sources = []sp.FeedbackSource{"press"} }, "rules.feedback_pileup.sources[0]"},
		"min_count_negative":    {func(r *review.Rules) { r.Rules.FeedbackPileup.MinCount = -1 }, "rules.feedback_pileup.min_count"},
		"max_rating_six":        {func(r *review.Rules) { r.Rules.FeedbackPileup.MaxRating = 6 }, "rules.feedback_pileup.max_rating"},
		"low_share_absurd":      {func(r *review.Rules) { r.Rules.FeedbackPileup.MinLowShare = absurdSmall }, "rules.feedback_pileup.min_low_share"},
		"custom_bad_name":       {func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"9lives": json.RawMessage(`{}`)} }, "custom.9lives"},
		"custom_builtin":        {func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"certification": json.RawMessage(`{}`)} }, "custom.certification"},
		"custom_not_json":       {func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"big": json.RawMessage(`{`)} }, "custom.big"},
		"custom_nil":            {func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"big": nil} }, "custom.big"},
		"custom_array":          {func(r *review.Rules) { r.Custom = map[string]json.RawMessage{"big": json.RawMessage(`[]`)} }, "custom.big"},
	}
	for how, c := range edits {
		r := review.DefaultRules()
		c.edit(&r)
		invalid("rules_validate/"+how, r.Validate, c.field)
		invalid("new/rules_"+how, func() error { _, err := review.New(r, nil); return err }, c.field)
	}

	// New's options.
	rule := func(name string) review.Rule { return review.NewRule(name, nil) }
	for how, c := range map[string]struct {
		rules  review.Rules
		opts   review.Options
		field  string
		custom map[string]json.RawMessage
	}{
		"nil_rule":          {def, review.Options{Rules: []review.Rule{nil}}, "options.rules[0]", nil},
		"rule_empty_name":   {def, review.Options{Rules: []review.Rule{rule("")}}, "options.rules[0]", nil},
		"rule_upper_name":   {def, review.Options{Rules: []review.Rule{rule("Big")}}, "options.rules[0].Big", nil},
		"rule_long_name":    {def, review.Options{Rules: []review.Rule{rule("a" + strings.Repeat("b", 64))}}, "options.rules[0].a" + strings.Repeat("b", 64), nil},
		"rule_nul_name":     {def, review.Options{Rules: []review.Rule{rule("a\x00")}}, `options.rules[0]."a\x00"`, nil},
		"rule_builtin_name": {def, review.Options{Rules: []review.Rule{rule(review.RuleTargetMet)}}, "options.rules[0]", nil},
		"rule_twice":        {def, review.Options{Rules: []review.Rule{rule("big"), rule("big")}}, "options.rules[1]", nil},
		"custom_unknown":    {def, review.Options{}, "custom.big", map[string]json.RawMessage{"big": json.RawMessage(`{}`)}},
		"actor_nul":         {def, review.Options{Actor: sp.ActorID(nul)}, "options.actor", nil},
		"actor_long":        {def, review.Options{Actor: sp.ActorID(long)}, "options.actor", nil},
		"quota_confidence":  {def, review.Options{Quota: &quota.Options{Confidence: 2}}, "options.quota.confidence", nil},
		"quota_places":      {def, review.Options{Quota: &quota.Options{Places: -3}}, "options.quota.places", nil},
		"quota_thresholds":  {def, review.Options{Quota: &quota.Options{Thresholds: quota.Thresholds{OnPace: absurdSmall}}}, "options.quota.thresholds.on_pace", nil},
		"quota_stages":      {def, review.Options{Quota: &quota.Options{Stages: []pipeline.DealStage{"won"}}}, "options.quota.stages", nil},
		"quota_strength":    {def, review.Options{Quota: &quota.Options{PriorStrength: math.NaN()}}, "options.quota.prior_strength", nil},
	} {
		r := c.rules
		if c.custom != nil {
			r = review.DefaultRules()
			r.Custom = c.custom
		}
		invalid("new/"+how, func() error { _, err := review.New(r, &c.opts); return err }, c.field)
	}

	// Reviewer.Review: every class of invalid input, with a reviewer that
	// would assign and publish, which it must not do.
	withInput := func(edit func(*review.Input)) review.Input {
		in := s.input()
		edit(&in)
		return in
	}
	berlin := location(t, "Europe/Berlin")
	for how, c := range map[string]struct {
		in    review.Input
		field string
	}{
		"zero_period":         {withInput(func(in *review.Input) { in.Period = sp.Period{} }), "input.period"},
		"far_period":          {withInput(func(in *review.Input) { in.Period = sp.Month(10000, 1, nil) }), "input.period"},
		"local_period":        {withInput(func(in *review.Input) { in.Period = sp.Month(2026, 11, machineLocal) }), "input.period"},
		"unnamed_zone_period": {withInput(func(in *review.Input) { in.Period = sp.Month(2026, 11, time.FixedZone("", 3600)) }), "input.period"},
		"as_of_before":        {withInput(func(in *review.Input) { in.AsOf = november.Start().Add(-time.Second) }), "input.as_of"},
		"as_of_far":           {withInput(func(in *review.Input) { in.AsOf = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "input.as_of"},
		"as_of_far_zone": {withInput(func(in *review.Input) {
			in.AsOf = time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC).In(location(t, "Pacific/Kiritimati"))
		}), "input.as_of"},
		"goal_invalid": {withInput(func(in *review.Input) {
			in.Goals = append(slices.Clone(in.Goals), quota.Goal{Rep: "x", Period: november})
		}), "input.goals[4]"},
		"goal_twice": {withInput(func(in *review.Input) {
			g := in.Goals[1]
			g.Region, g.Revenue = south, pipelinetestEUR("1.00")
			in.Goals = append(slices.Clone(in.Goals), g)
		}), "input.goals[4]"},
		"goal_local_period": {withInput(func(in *review.Input) { in.Goals = []quota.Goal{{Period: sp.Month(2026, 11, machineLocal), Deals: 3}} }), "input.goals[0].period"},
		"goal_bad_rep":      {withInput(func(in *review.Input) { in.Goals = []quota.Goal{{Rep: sp.RepID(badUTF), Period: november, Deals: 3}} }), "input.goals[0].rep"},
		"rep_invalid":       {withInput(func(in *review.Input) { in.Reps = []sp.Rep{{ID: "a"}} }), "input.reps[0].name"},
		"rep_nul_id":        {withInput(func(in *review.Input) { in.Reps = []sp.Rep{{ID: sp.RepID(nul), Name: "A"}} }), "input.reps[0].id"},
		"rep_twice":         {withInput(func(in *review.Input) { in.Reps = append(slices.Clone(in.Reps), in.Reps[1]) }), "input.reps[4].id"},
		"region_invalid":    {withInput(func(in *review.Input) { in.Regions = []sp.Region{{ID: north}} }), "input.regions[0].name"},
		"region_twice": {withInput(func(in *review.Input) {
			in.Regions = []sp.Region{{ID: north, Name: "N"}, {ID: north, Name: "N2", Location: berlin}}
		}), "input.regions[1].id"},
		"product_invalid": {withInput(func(in *review.Input) {
			in.Products = []sp.Product{{ID: widget, Name: "W", Price: pipelinetestEUR("1").Mul(absurdLarge)}}
		}), "input.products[0].price.amount"},
		"product_twice": {withInput(func(in *review.Input) { in.Products = append(slices.Clone(in.Products), in.Products[0]) }), "input.products[1].id"},
		"nil_deal": {withInput(func(in *review.Input) {
			in.Deals = func(yield func(*pipeline.Deal) bool) { _ = yield(&s.deals[0]) && yield(nil) }
		}), "input.deals"},
		"nil_inquiry": {withInput(func(in *review.Input) { in.Inquiries = func(yield func(*pipeline.Inquiry) bool) { yield(nil) } }), "input.inquiries"},
		"nil_deal_without_goals": {withInput(func(in *review.Input) {
			in.Goals = nil
			in.Deals = func(yield func(*pipeline.Deal) bool) { yield(nil) }
		}), "input.deals"},
		"deal_owner_nul": {withInput(func(in *review.Input) {
			in.Deals = quota.Refs(editDeal(s.deals, 7, func(d *pipeline.Deal) { d.Owner = sp.RepID(nul) }))
		}), "input.deals.owner"},
		"deal_product_huge": {withInput(func(in *review.Input) {
			in.Deals = quota.Refs(editDeal(s.deals, 9, func(d *pipeline.Deal) { d.Product = sp.ProductID(long) }))
		}), "input.deals.product"},
		"deal_negative_amount": {withInput(func(in *review.Input) {
			in.Deals = quota.Refs(editDeal(s.deals, 5, func(d *pipeline.Deal) { d.Amount = d.Amount.Neg() }))
		}), "input.deals.amount"},
		"deal_negative_amount_without_goals": {withInput(func(in *review.Input) {
			in.Goals = nil
			in.Deals = quota.Refs(editDeal(s.deals, 5, func(d *pipeline.Deal) { d.Amount = d.Amount.Neg() }))
		}), "input.deals.amount"},
		"deal_region_bad_utf8": {withInput(func(in *review.Input) {
			in.Deals = quota.Refs(editDeal(s.deals, 0, func(d *pipeline.Deal) { d.Region = sp.RegionID(badUTF) }))
		}), "input.deals.region"},
		"inquiry_owner_spaces": {withInput(func(in *review.Input) {
			in.Inquiries = quota.Refs(editInquiry(s.inquiries, 3, func(i *pipeline.Inquiry) { i.Owner = " ann " }))
		}), "input.inquiries.owner"},
		"inquiry_product_nul": {withInput(func(in *review.Input) {
			in.Inquiries = quota.Refs(editInquiry(s.inquiries, 3, func(i *pipeline.Inquiry) { i.Product = sp.ProductID(nul) }))
		}), "input.inquiries.product"},
		"deal_feedback_rating": {withInput(func(in *review.Input) {
			in.Deals = quota.Refs(editDeal(s.deals, 1, func(d *pipeline.Deal) {
				d.Service = &pipeline.Service{Feedback: []sp.Feedback{{ID: "f0", Product: widget, Rating: 4,
					Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: d.Closed}, {ID: "f", Product: widget, Rating: 99,
					Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: d.Closed}}}
			}))
		}), "input.deals.service.feedback[1].rating"},
		"feedback_invalid": {withInput(func(in *review.Input) {
			in.Feedback = quota.Refs([]sp.Feedback{{ID: "f", Product: widget, Rating: 3, Category: "smell",
				Source: sp.FromCustomer, Time: november.Start().Add(time.Hour)}})
		}), "input.feedback.category"},
		"feedback_nil": {withInput(func(in *review.Input) {
			in.Feedback = func(yield func(*sp.Feedback) bool) { yield(nil) }
		}), "input.feedback"},
	} {
		invalid("review/"+how, reviewing(t, def, review.Options{}, ctx, c.in), c.field)
	}
	for how, clock := range map[string]sp.Clock{
		"far":      sp.FixedClock(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)),
		"negative": sp.FixedClock(time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)),
	} {
		invalid("review/clock_"+how, reviewing(t, def, review.Options{Clock: clock}, ctx, s.input()), "options.clock")
	}
	dollars := slices.Clone(s.deals)
	dollars[5].Amount = must(sp.ParseMoney("1000.00 USD"))
	add(badInput{"review/deals_in_two_currencies", reviewing(t, def, review.Options{}, ctx,
		withInput(func(in *review.Input) { in.Deals = quota.Refs(dollars) })), sp.ErrCurrencyMismatch, "USD"})
	dollars2 := slices.Clone(s.deals)
	dollars2[5].Amount = must(sp.ParseMoney("1000.00 USD"))
	add(badInput{"review/deals_in_two_currencies_without_goals", reviewing(t, def, review.Options{}, ctx,
		withInput(func(in *review.Input) { in.Deals, in.Goals = quota.Refs(dollars2), nil })), sp.ErrCurrencyMismatch, "USD"})
	badProb := slices.Clone(s.deals)
	badProb[3].Stage, badProb[3].Closed, badProb[3].Probability = pipeline.DealProposal, time.Time{}, decimal.New(15, -1)
	badProb[3].ExpectedClose = november.End().Add(-time.Hour)
	invalid("review/open_deal_probability_above_one", reviewing(t, def, review.Options{}, ctx,
		withInput(func(in *review.Input) { in.Deals = quota.Refs(badProb) })), "deal.probability")
	done, cancel := context.WithCancel(ctx)
	cancel()
	add(badInput{"review/cancelled_context", reviewing(t, def, review.Options{}, done, s.input()), context.Canceled, "canceled"})
	invalid("review/nil_reviewer", func() error { var r *review.Reviewer; _, err := r.Review(ctx, s.input()); return err }, "nil reviewer")

	// Host rules that fail or return invalid findings: the review fails
	// after the built-in rules found what they found, and acts on none.
	finding := review.Finding{Subject: review.RepSubject("rep-0"), Severity: review.SeverityWarning, Summary: "big deals missing"}
	hostRule := func(fs ...review.Finding) review.Rule {
		return review.NewRule("big", func(context.Context, *review.Snapshot) ([]review.Finding, error) { return fs, nil })
	}
	withF := func(edit func(*review.Finding)) review.Finding {
		f := finding
		f.Evidence = []review.Evidence{{Name: "deals", Value: "3"}}
		f.Actions = []review.Action{{Kind: review.ActionCoach, Rep: "rep-0", Topic: "big deals"}}
		edit(&f)
		return f
	}
	badFindings := map[string]struct {
		f     review.Finding
		field string
	}{
		"no_subject":            {withF(func(f *review.Finding) { f.Subject = review.Subject{} }), "subject.kind"},
		"subject_unknown":       {withF(func(f *review.Finding) { f.Subject.Kind = "team" }), "subject.kind"},
		"subject_missing_rep":   {withF(func(f *review.Finding) { f.Subject = review.Subject{Kind: review.SubjectRep} }), "subject.rep"},
		"subject_extra_product": {withF(func(f *review.Finding) { f.Subject.Product = widget }), "subject.product"},
		"subject_bad_rep":       {withF(func(f *review.Finding) { f.Subject.Rep = sp.RepID(nul) }), "subject.rep"},
		"severity_empty":        {withF(func(f *review.Finding) { f.Severity = "" }), "severity"},
		"severity_unknown":      {withF(func(f *review.Finding) { f.Severity = "fatal" }), "severity"},
		"cause_unknown":         {withF(func(f *review.Finding) { f.Cause = "luck" }), "cause"},
		"summary_empty":         {withF(func(f *review.Finding) { f.Summary = "" }), "summary"},
		"summary_blank":         {withF(func(f *review.Finding) { f.Summary = " \n\t " }), "summary"},
		"summary_huge":          {withF(func(f *review.Finding) { f.Summary = long }), "summary"},
		"summary_nul":           {withF(func(f *review.Finding) { f.Summary = nul }), "summary"},
		"summary_bad_utf8":      {withF(func(f *review.Finding) { f.Summary = badUTF }), "summary"},
		"id_newline":            {withF(func(f *review.Finding) { f.ID = "a\nb" }), "id"},
		"id_huge":               {withF(func(f *review.Finding) { f.ID = long }), "id"},
		"rule_of_another":       {withF(func(f *review.Finding) { f.Rule = review.RuleTargetMet }), "findings[0].rule"},
		"evidence_name_nul":     {withF(func(f *review.Finding) { f.Evidence[0].Name = nul }), "evidence[0].name"},
		"evidence_value_huge":   {withF(func(f *review.Finding) { f.Evidence[0].Value = long }), "evidence[0].value"},
		"action_kind_empty":     {withF(func(f *review.Finding) { f.Actions[0].Kind = "" }), "actions[0].kind"},
		"action_kind_unknown":   {withF(func(f *review.Finding) { f.Actions[0].Kind = "fire" }), "actions[0].kind"},
		"coach_nobody":          {withF(func(f *review.Finding) { f.Actions[0].Rep = "" }), "actions[0].rep"},
		"coach_bad_rep":         {withF(func(f *review.Finding) { f.Actions[0].Rep = sp.RepID(badUTF) }), "actions[0].rep"},
		"coach_bad_region":      {withF(func(f *review.Finding) { f.Actions[0].Region = " n" }), "actions[0].region"},
		"topic_nul":             {withF(func(f *review.Finding) { f.Actions[0].Topic = nul }), "actions[0].topic"},
		"topic_newline":         {withF(func(f *review.Finding) { f.Actions[0].Topic = "a\nb" }), "actions[0].topic"},
		"note_huge":             {withF(func(f *review.Finding) { f.Actions[0].Note = long }), "actions[0].note"},
		"due_far":               {withF(func(f *review.Finding) { f.Actions[0].Due = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "actions[0].due"},
		"second_action_bad": {withF(func(f *review.Finding) {
			f.Actions = append(f.Actions, review.Action{Kind: review.ActionCoach, Rep: "rep-1", Topic: nul})
		}), "actions[1].topic"},
		"retrain_no_product": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionRetrain, Rep: "rep-0"}
		}), "actions[0].product"},
		"retrain_no_rep": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionRetrain, Product: widget}
		}), "actions[0].rep"},
		"retrain_bad_module": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionRetrain, Rep: "rep-0", Product: widget, Module: training.ModuleID(nul)}
		}), "actions[0].module"},
		"retrain_bad_curriculum": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionRetrain, Rep: "rep-0", Product: widget, Curriculum: training.CurriculumID(nul)}
		}), "actions[0].curriculum"},
		"feedback_no_product": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionProductFeedback}
		}), "actions[0].product"},
		"feedback_bad_owner": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionProductFeedback, Product: widget, Owner: sp.ActorID(long)}
		}), "actions[0].owner"},
		"adjust_no_goal": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionAdjustGoal}
		}), "actions[0].goal"},
		"adjust_invalid_goal": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionAdjustGoal, Goal: &quota.Goal{Period: november}, Proposed: &quota.Amount{Deals: decimal.New(3, 0)}}
		}), "actions[0].goal"},
		"adjust_other_metric": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionAdjustGoal, Goal: &s.goals[0], Proposed: &quota.Amount{Deals: decimal.New(3, 0)}}
		}), "actions[0].proposed"},
		"adjust_other_currency": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionAdjustGoal, Goal: &s.goals[0], Proposed: &quota.Amount{Money: must(sp.ParseMoney("5.00 USD"))}}
		}), "actions[0].proposed"},
		"adjust_absurd_count": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionAdjustGoal, Goal: &quota.Goal{Period: november, Deals: 4}, Proposed: &quota.Amount{Deals: absurdLarge}}
		}), "actions[0].proposed.deals"},
		"adjust_money_and_count": {withF(func(f *review.Finding) {
			f.Actions[0] = review.Action{Kind: review.ActionAdjustGoal, Goal: &s.goals[0], Proposed: &quota.Amount{Money: pipelinetestEUR("5.00"), Deals: decimal.New(1, 0)}}
		}), "actions[0].proposed.deals"},
	}
	for how, c := range badFindings {
		field := c.field
		if !strings.HasPrefix(field, "findings[") {
			field = "findings[0]." + field
		}
		invalid("review/host_finding_"+how, reviewing(t, def, review.Options{Rules: []review.Rule{hostRule(c.f)}}, ctx, s.input()), field)
		if how != "rule_of_another" {
			invalid("finding_validate/"+how, c.f.Validate, c.field)
		}
	}
	add(badInput{"review/host_rule_fails", reviewing(t, def, review.Options{Rules: []review.Rule{
		review.NewRule("big", func(context.Context, *review.Snapshot) ([]review.Finding, error) { return nil, errRule }),
	}}, ctx, s.input()), errRule, `rule "big"`})

	// Subjects and actions on their own.
	for how, c := range map[string]struct {
		s     review.Subject
		field string
	}{
		"zero":                  {review.Subject{}, "subject.kind"},
		"company_with_rep":      {review.Subject{Kind: review.SubjectCompany, Rep: "a"}, "subject.rep"},
		"region_without_id":     {review.RegionSubject(""), "subject.region"},
		"region_bad_id":         {review.RegionSubject(sp.RegionID(long)), "subject.region"},
		"product_without_id":    {review.ProductSubject(""), "subject.product"},
		"product_with_region":   {review.Subject{Kind: review.SubjectProduct, Product: "p", Region: "r"}, "subject.region"},
		"rep_product_no_prod":   {review.RepProductSubject("a", ""), "subject.product"},
		"rep_product_bad_rep":   {review.RepProductSubject(sp.RepID(nul), "p"), "subject.rep"},
		"rep_with_region":       {review.Subject{Kind: review.SubjectRep, Rep: "a", Region: "r"}, "subject.region"},
		"unknown_kind_with_ids": {review.Subject{Kind: "team", Rep: "a"}, "subject.kind"},
	} {
		invalid("subject_validate/"+how, c.s.Validate, c.field)
	}
	for how, c := range map[string]struct {
		a     review.Action
		field string
	}{
		"zero":              {review.Action{}, "action.kind"},
		"recognize_nobody":  {review.Action{Kind: review.ActionRecognize}, "action.rep"},
		"recognize_bad_rep": {review.Action{Kind: review.ActionRecognize, Rep: sp.RepID(long)}, "action.rep"},
		"retrain_bad_prod":  {review.Action{Kind: review.ActionRetrain, Rep: "a", Product: sp.ProductID(badUTF)}, "action.product"},
		"due_negative_year": {review.Action{Kind: review.ActionRecognize, Rep: "a", Due: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, "action.due"},
		"topic_huge":        {review.Action{Kind: review.ActionCoach, Rep: "a", Topic: long}, "action.topic"},
		"adjust_no_target":  {review.Action{Kind: review.ActionAdjustGoal, Goal: &s.goals[0]}, "action.goal"},
	} {
		invalid("action_validate/"+how, c.a.Validate, c.field)
	}

	// The string enumerations, and Duration: Validate and UnmarshalText,
	// which leaves the value alone.
	for _, bad := range []string{"unknown", "INFO", " info", long, nul, badUTF} {
		name := bad
		if len(name) > 12 {
			name = "long"
		}
		invalid("severity/"+name, review.Severity(bad).Validate, "severity")
		invalid("severity_text/"+name, keeps(review.SeverityInfo, eq, textOf[review.Severity](bad)), "severity")
		invalid("cause/"+name, review.Cause(bad).Validate, "cause")
		invalid("cause_text/"+name, keeps(review.CauseRep, eq, textOf[review.Cause](bad)), "cause")
		invalid("subject_kind/"+name, review.SubjectKind(bad).Validate, "subject kind")
		invalid("subject_kind_text/"+name, keeps(review.SubjectRep, eq, textOf[review.SubjectKind](bad)), "subject kind")
		invalid("action_kind/"+name, review.ActionKind(bad).Validate, "action kind")
		invalid("action_kind_text/"+name, keeps(review.ActionCoach, eq, textOf[review.ActionKind](bad)), "action kind")
		invalid("action_status/"+name, review.ActionStatus(bad).Validate, "action status")
		invalid("action_status_text/"+name, keeps(review.StatusDone, eq, textOf[review.ActionStatus](bad)), "action status")
		invalid("rate_kind/"+name, review.RateKind(bad).Validate, "rate")
		invalid("rate_kind_text/"+name, keeps(review.RateWinRate, eq, textOf[review.RateKind](bad)), "rate")
		invalid("adjustment/"+name, review.Adjustment(bad).Validate, "adjustment")
		invalid("adjustment_text/"+name, keeps(review.AdjustBonferroni, eq, textOf[review.Adjustment](bad)), "adjustment")
		invalid("duration_text/"+name, keeps(review.Duration(time.Hour), eq, textOf[review.Duration](bad)), "duration")
	}
	for _, v := range []interface{ Validate() error }{review.Severity(""), review.SubjectKind(""), review.ActionKind(""),
		review.ActionStatus(""), review.RateKind(""), review.Adjustment("")} {
		invalid(fmt.Sprintf("%T/empty", v), v.Validate, "missing")
	}
	for how, text := range map[string]string{"empty": "", "overflow": "9999999999h", "unit": "3 days", "number": "24"} {
		invalid("duration_text/"+how, keeps(review.Duration(time.Hour), eq, textOf[review.Duration](text)), "duration")
	}

	// ParseReport and the JSON of every type.
	for how, c := range map[string]struct{ doc, field string }{
		"malformed":        {`{"version": 1`, "report"},
		"empty":            {``, "report"},
		"array":            {`[]`, "report"},
		"no_version":       {`{}`, "report.version"},
		"no_rules":         {`{"version": 1}`, "report.rules"},
		"null_rules":       {`{"version": 1, "rules": null}`, "report.rules"},
		"version_2":        {`{"version": 2}`, "report.version"},
		"version_text":     {`{"version": "1"}`, "report.version"},
		"bad_period":       {`{"version": 1, "rules": {"version": 1}, "period": "2026-13"}`, "report.period"},
		"bad_as_of":        {`{"version": 1, "rules": {"version": 1}, "as_of": "yesterday"}`, "report.as_of"},
		"findings_object":  {`{"version": 1, "rules": {"version": 1}, "findings": {}}`, "report.findings"},
		"finding_severity": {`{"version": 1, "rules": {"version": 1}, "findings": [{"severity": "fatal"}]}`, "report.findings[0].severity"},
		"snapshot_rate":    {`{"version": 1, "rules": {"version": 1}, "snapshot": {"rate": "speed"}}`, "report.snapshot.rate"},
		"snapshot_goals":   {`{"version": 1, "rules": {"version": 1}, "snapshot": {"goals": [{"status": "great"}]}}`, "report.snapshot.goals[0].status"},
		"outcome_status":   {`{"version": 1, "rules": {"version": 1}, "outcome": {"assignments": [{"status": "maybe"}]}}`, "report.outcome.assignments[0].status"},
		"proposal_money":   {`{"version": 1, "rules": {"version": 1}, "outcome": {"goal_proposals": [{"proposed": {"money": {"amount": "x", "currency": "EUR"}}}]}}`, "report.outcome.goal_proposals[0].proposed.money.amount"},
	} {
		invalid("parse_report/"+how, func() error { _, err := review.ParseReport([]byte(c.doc)); return err }, c.field)
		invalid("report_unmarshal_json/"+how, keeps(review.Report{Version: 7}, func(a, b review.Report) bool { return a.Version == b.Version && a.Period.Equal(b.Period) },
			func(r *review.Report) error { return r.UnmarshalJSON([]byte(c.doc)) }), c.field)
	}
	jsonCases := []struct {
		kind   string
		decode func(string) func() error
		cases  map[string][2]string // name → data, field
	}{
		{"subject", decode[review.Subject], map[string][2]string{
			"malformed": {`{"kind":`, "subject"}, "unknown_kind": {`{"kind":"team"}`, "subject.kind"}, "number_rep": {`{"rep":1}`, "subject.rep"}}},
		{"evidence", decode[review.Evidence], map[string][2]string{
			"malformed": {`{"name":"x"`, "evidence"}, "value_object": {`{"value":{}}`, "evidence.value"}}},
		{"action", decode[review.Action], map[string][2]string{
			"malformed": {`{"kind":"coach",}`, "action"}, "unknown_kind": {`{"kind":"fire"}`, "action.kind"},
			"due_text": {`{"due":"soon"}`, "action.due"}, "goal_bad": {`{"goal":{"period":"x"}}`, "action.goal.period"},
			"proposed_bad": {`{"proposed":{"deals":"many"}}`, "action.proposed.deals"}}},
		{"finding", decode[review.Finding], map[string][2]string{
			"malformed": {`{"id":`, "finding"}, "bad_severity": {`{"severity":"fatal"}`, "finding.severity"},
			"bad_cause": {`{"cause":"luck"}`, "finding.cause"}, "actions_object": {`{"actions":{}}`, "finding.actions"},
			"evidence_string": {`{"evidence":"x"}`, "finding.evidence"}}},
		{"diagnosis", decode[review.Diagnosis], map[string][2]string{
			"malformed": {`{"cause":"rep"`, "diagnosis"}, "bad_cause": {`{"cause":"stars"}`, "diagnosis.cause"}}},
		{"goal_row", decode[review.GoalRow], map[string][2]string{
			"malformed": {`{"goal":`, "goal_row"}, "bad_status": {`{"status":"great"}`, "goal_row.status"},
			"bad_method": {`{"method":"guess"}`, "goal_row.method"}, "percent_word": {`{"percent":"lots"}`, "goal_row.percent"},
			"open_text": {`{"open":"3"}`, "goal_row.open"}}},
		{"rep_row", decode[review.RepRow], map[string][2]string{
			"malformed": {`{"rep":"a",`, "rep_row"}, "won_text": {`{"won":"1"}`, "rep_row.won"},
			"win_rate_bad": {`{"win_rate":{"rate":{"num":0.5}}}`, "rep_row.win_rate.rate.num"},
			"verdict_bad":  {`{"vs_team":{"verdict":"worse"}}`, "rep_row.vs_team.verdict"}}},
		{"team_row", decode[review.TeamRow], map[string][2]string{
			"malformed": {`{`, "team_row"}, "losses_bad": {`{"losses":{"weather":1}}`, "team_row.losses"},
			"follow_up_bad": {`{"follow_up":{"pending":"x"}}`, "team_row.follow_up.pending"}}},
		{"region_row", decode[review.RegionRow], map[string][2]string{
			"malformed": {`{"region":]`, "region_row"}, "reps_float": {`{"reps":1.5}`, "region_row.reps"}}},
		{"product_row", decode[review.ProductRow], map[string][2]string{
			"malformed": {`{"feedback":{`, "product_row"}, "feedback_bad": {`{"feedback":{"categories":{"smell":1}}}`, "product_row.feedback.categories"}}},
		{"cell_row", decode[review.CellRow], map[string][2]string{
			"malformed": {`{"rep":1`, "cell_row"}, "cert_bad": {`{"certification":"maybe"}`, "cell_row.certification"}}},
		{"follow_up", decode[review.FollowUp], map[string][2]string{
			"malformed": {`{"open":`, "follow_up"}, "first_response_bad": {`{"first_response":{"count":"1"}}`, "follow_up.first_response.count"}}},
		{"feedback_figures", decode[review.FeedbackFigures], map[string][2]string{
			"malformed": {`{"count":1,}`, "feedback_figures"}, "rating_bad": {`{"rating":{"num":"1"}}`, "feedback_figures.rating.num"}}},
		{"loss_sample", decode[review.LossSample], map[string][2]string{
			"malformed": {`{"deal":"d"`, "loss_sample"}, "category_bad": {`{"category":"weather"}`, "loss_sample.category"}}},
		{"outcome", decode[review.Outcome], map[string][2]string{
			"malformed": {`{"events":[`, "outcome"}, "events_numbers": {`{"events":["a",1]}`, "outcome.events[1]"}}},
		{"assignment_result", decode[review.AssignmentResult], map[string][2]string{
			"malformed": {`{"status":"done"`, "assignment_result"}, "status_bad": {`{"status":"maybe"}`, "assignment_result.status"}}},
		{"product_feedback", decode[review.ProductFeedback], map[string][2]string{
			"malformed": {`{"product":`, "product_feedback"}, "period_bad": {`{"period":"soon"}`, "product_feedback.period"},
			"feedback_bad": {`{"feedback":[{"rating":"5"}]}`, "product_feedback.feedback[0].rating"}}},
		{"goal_proposal", decode[review.GoalProposal], map[string][2]string{
			"malformed": {`{"note":"x"`, "goal_proposal"}, "goal_bad": {`{"goal":{"deals":"3"}}`, "goal_proposal.goal.deals"}}},
		{"snapshot", decode[review.Snapshot], map[string][2]string{
			"malformed": {`{"reps":[`, "snapshot"}, "rate_bad": {`{"rate":"speed"}`, "snapshot.rate"},
			"confidence_word": {`{"confidence":"high"}`, "snapshot.confidence"}, "reps_object": {`{"reps":{}}`, "snapshot.reps"}}},
		{"analysis", decode[review.Analysis], map[string][2]string{
			"malformed": {`{"places":`, "analysis"}, "rate_bad": {`{"rate":"x"}`, "analysis.rate"}, "duration_bad": {`{"follow_up":{"next_touch":"x"}}`, "analysis.follow_up.next_touch"}}},
		{"action_settings", decode[review.ActionSettings], map[string][2]string{
			"malformed": {`{`, "action_settings"}, "days_text": {`{"retrain_due_days":"14"}`, "action_settings.retrain_due_days"}}},
		{"rule_set", decode[review.RuleSet], map[string][2]string{
			"malformed": {`{"target_met":{`, "rule_set"}, "statuses_bad": {`{"target_missed":{"statuses":["late"]}}`, "rule_set.target_missed.statuses[0]"}}},
		{"thin_pipeline", decode[review.ThinPipeline], map[string][2]string{
			"malformed": {`{"min_chance":`, "thin_pipeline"}, "chance_word": {`{"min_chance":"half"}`, "thin_pipeline.min_chance"}}},
		{"changes", decode[review.Changes], map[string][2]string{
			"malformed": {`{"new":[`, "changes"}, "period_bad": {`{"previous":"2026-13"}`, "changes.previous"},
			"rules_changed_text": {`{"rules_changed":"yes"}`, "changes.rules_changed"},
			"new_severity":       {`{"new":[{"severity":"fatal"}]}`, "changes.new[0].severity"},
			"retraining_status":  {`{"resolved":[{"retraining":[{"status":"maybe"}]}]}`, "changes.resolved[0].retraining[0].status"}}},
		{"recurrence", decode[review.Recurrence], map[string][2]string{
			"malformed": {`{"previous":{`, "recurrence"}, "current_cause": {`{"current":{"cause":"luck"}}`, "recurrence.current.cause"}}},
		{"resolution", decode[review.Resolution], map[string][2]string{
			"malformed": {`{"previous":`, "resolution"}, "retraining_object": {`{"retraining":{}}`, "resolution.retraining"}}},
		{"feedback_pileup", decode[review.FeedbackPileup], map[string][2]string{
			"malformed": {`{"sources":[`, "feedback_pileup"}, "source_bad": {`{"sources":["press"]}`, "feedback_pileup.sources[0]"}}},
	}
	for _, jc := range jsonCases {
		for name, c := range jc.cases {
			invalid("json/"+jc.kind+"/"+name, jc.decode(c[0]), c[1])
		}
	}

	// Counts under a category decoding would refuse: encoding/json writes a
	// string-typed map key as it is, so the maps refuse it themselves.
	badLosses := review.Report{Version: review.ReportVersion, Rules: review.DefaultRules(),
		Snapshot: review.Snapshot{Reps: []review.RepRow{{Rep: "ann", Figures: review.Figures{Losses: review.LossCounts{"price": 1, "weather": 2, "mood": 1}}}}}}
	invalid("report_write_json/unknown_loss_category", func() error { return badLosses.WriteJSON(&bytes.Buffer{}) }, `"mood"`)
	badFeedback := review.Report{Version: review.ReportVersion, Rules: review.DefaultRules(),
		Outcome: review.Outcome{ProductFeedback: []review.ProductFeedback{{Product: "p", Losses: review.LossCounts{"bribe": 1}}}}}
	invalid("report_write_json/unknown_loss_category_in_feedback", func() error { return badFeedback.WriteJSON(&bytes.Buffer{}) }, `"bribe"`)
	badCategories := review.Report{Version: review.ReportVersion, Rules: review.DefaultRules(),
		Snapshot: review.Snapshot{Products: []review.ProductRow{{Product: "p", Feedback: review.FeedbackFigures{Categories: review.FeedbackCounts{"quality": 1, "vibes": 1}}}}}}
	invalid("report_write_json/unknown_feedback_category", func() error { return badCategories.WriteJSON(&bytes.Buffer{}) }, `"vibes"`)

	// Rendering and writing a nil report.
	var nilReport *review.Report
	invalid("report_write_json/nil", func() error { return nilReport.WriteJSON(&bytes.Buffer{}) }, "nil report")
	invalid("report_markdown/nil", func() error { return nilReport.Markdown(&bytes.Buffer{}) }, "nil report")
	invalid("report_text/nil", func() error { return nilReport.Text(&bytes.Buffer{}) }, "nil report")
	var nilChanges *review.Changes
	invalid("changes_markdown/nil", func() error { return nilChanges.Markdown(&bytes.Buffer{}) }, "nil changes")
	invalid("changes_text/nil", func() error { return nilChanges.Text(&bytes.Buffer{}) }, "nil changes")
	invalid("changes_markdown/nil_writer", func() error { return (&review.Changes{}).Markdown(nil) }, "nil writer")

	// Compare: reports out of order, and reports ParseReport would refuse.
	compared := func(period sp.Period) review.Report {
		return review.Report{Version: review.ReportVersion, Period: period, AsOf: period.End(), Rules: review.DefaultRules()}
	}
	twice := compared(november.Next())
	twice.Findings = []review.Finding{{ID: "x", Rule: "big", Subject: review.CompanySubject()}, {ID: "x", Rule: "big", Subject: review.CompanySubject()}}
	for name, c := range map[string]struct {
		prev, cur review.Report
		field     string
	}{
		"version":       {review.Report{Period: november, Rules: review.DefaultRules()}, compared(november.Next()), "previous.version"},
		"no_period":     {compared(november), review.Report{Version: review.ReportVersion, Rules: review.DefaultRules()}, "current.period"},
		"no_rules":      {compared(november), review.Report{Version: review.ReportVersion, Period: november.Next()}, "current.rules.version"},
		"out_of_order":  {compared(november.Next()), compared(november), "previous.period"},
		"finding_twice": {compared(november), twice, "current.findings[1].id"},
	} {
		invalid("compare/"+name, func() error { _, err := review.Compare(c.prev, c.cur); return err }, c.field)
	}

	slices.SortFunc(rows, func(a, b badInput) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(rows); i++ {
		require.NotEqual(t, rows[i-1].name, rows[i].name, "row names must be unique")
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) { checkBadInput(t, row) })
	}
	t.Logf("%d rows", len(rows))
}

// rulesEqual compares two rules documents by their JSON form.
func rulesEqual(a, b review.Rules) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// location loads the time zone name, failing the test if it is unknown.
func location(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(tb, err)
	return loc
}

// editDeal returns a copy of ds with ds[i] edited.
func editDeal(ds []pipeline.Deal, i int, edit func(*pipeline.Deal)) []pipeline.Deal {
	out := slices.Clone(ds)
	edit(&out[i])
	return out
}

// editInquiry returns a copy of ins with ins[i] edited.
func editInquiry(ins []pipeline.Inquiry, i int, edit func(*pipeline.Inquiry)) []pipeline.Inquiry {
	out := slices.Clone(ins)
	edit(&out[i])
	return out
}
