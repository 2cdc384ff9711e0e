package review_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errBoom = errors.New("boom")

func mustDecimal(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// failingCerts fails Status or Expiring.
type failingCerts struct {
	statusErr, expiringErr error
	expiring               []training.Certificate
}

func (f failingCerts) Status(context.Context, sp.RepID, sp.ProductID, time.Time) (training.CertStatus, error) {
	return training.CertValid, f.statusErr
}

func (f failingCerts) Expiring(context.Context, sp.Period) iter.Seq2[training.Certificate, error] {
	return func(yield func(training.Certificate, error) bool) {
		for _, c := range f.expiring {
			if !yield(c, nil) {
				return
			}
		}
		if f.expiringErr != nil {
			yield(training.Certificate{}, f.expiringErr)
		}
	}
}

type assignerFunc func(context.Context, training.Assignment) (training.Assignment, error)

func (f assignerFunc) AssignModule(ctx context.Context, a training.Assignment) (training.Assignment, error) {
	return f(ctx, a)
}

// deal returns a deal of the default pipeline closed in November.
func deal(id sp.DealID, rep sp.RepID, product sp.ProductID, won bool, amount string) pipeline.Deal {
	d := pipeline.Deal{ID: id, Owner: rep, Product: product, Region: north, Customer: "c",
		Created: november.Start(), Closed: november.Start().Add(48 * time.Hour), Stage: pipeline.DealLost,
		Loss: &pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too expensive"}}
	if won {
		d.Stage, d.Loss, d.Amount = pipeline.DealWon, nil, mustMoney(amount)
	}
	return d
}

// lagging is a small team in which bob lags on widgets.
func lagging() []pipeline.Deal {
	var ds []pipeline.Deal
	add := func(rep sp.RepID, won, lost int) {
		for i := range won + lost {
			ds = append(ds, deal(sp.DealID(fmt.Sprintf("d-%s-%02d", rep, i)), rep, widget, i < won, "100.00 EUR"))
		}
	}
	add("ann", 16, 4)
	add("cat", 15, 5)
	add("bob", 1, 19)
	return ds
}

func TestReviewErrors(t *testing.T) {
	ctx := context.Background()
	base := func() review.Input {
		return review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(lagging())}
	}
	modules := func(p sp.ProductID) (training.ModuleID, bool) { return training.ModuleID(p + "-basics"), true }
	tests := []struct {
		name   string
		rules  func(*review.Rules)
		opts   review.Options
		input  func(*review.Input)
		ctx    func() context.Context
		target error
		text   string
	}{
		{name: "err_no_period", input: func(in *review.Input) { in.Period = sp.Period{} }, target: sp.ErrInvalid, text: "invalid input.period: missing"},
		{name: "err_far_period", input: func(in *review.Input) { in.Period = sp.Month(10000, 1, nil) }, target: sp.ErrInvalid,
			text: "invalid input.period: outside the years 1 to 9999"},
		{name: "err_local_period", input: func(in *review.Input) { in.Period = sp.Month(2026, 11, machineLocal) }, target: sp.ErrInvalid,
			text: `invalid input.period: the machine's local time zone "Local"`},
		{name: "err_as_of", input: func(in *review.Input) { in.AsOf = november.Start().Add(-time.Hour) }, target: sp.ErrInvalid, text: "input.as_of"},
		{name: "err_rep", input: func(in *review.Input) { in.Reps = []sp.Rep{{ID: "ann"}} }, target: sp.ErrInvalid, text: "input.reps[0].name"},
		{name: "err_region", input: func(in *review.Input) { in.Regions = []sp.Region{{ID: " x", Name: "X"}} }, target: sp.ErrInvalid, text: "input.regions[0].id"},
		{name: "err_product", input: func(in *review.Input) { in.Products = []sp.Product{{ID: "p"}} }, target: sp.ErrInvalid, text: "input.products[0].name"},
		{name: "err_goal", input: func(in *review.Input) { in.Goals = []quota.Goal{{Rep: "ann", Period: november}} }, target: sp.ErrInvalid, text: "goals[0]"},
		{name: "err_currency", input: func(in *review.Input) {
			ds := lagging()
			ds = append(ds, deal("usd", "ann", widget, true, "5.00 USD"))
			in.Deals = quota.Refs(ds)
		}, target: sp.ErrCurrencyMismatch, text: `deal "usd"`},
		{name: "err_currency_with_goals", input: func(in *review.Input) {
			ds := lagging()
			ds = append(ds, deal("usd", "cat", widget, true, "5.00 USD"))
			in.Deals = quota.Refs(ds)
			in.Goals = []quota.Goal{{Rep: "ann", Period: november, Revenue: mustMoney("100.00 EUR")}}
		}, target: sp.ErrCurrencyMismatch, text: `deal "usd"`},
		{name: "err_goal_currency", input: func(in *review.Input) {
			in.Deals = quota.Refs(lagging())
			in.Goals = []quota.Goal{{Rep: "ann", Period: november, Revenue: mustMoney("100.00 EUR")},
				{Rep: "bob", Region: north, Product: widget, Period: november, Revenue: mustMoney("100.00 USD")}}
		}, target: sp.ErrCurrencyMismatch, text: `review: quota: forecast: goals[1] (rep "bob", product "widget", 2026-11): deal "`},
		{name: "err_cancelled", ctx: func() context.Context {
			c, cancel := context.WithCancel(ctx)
			cancel()
			return c
		}, target: context.Canceled},
		{name: "err_certificates", opts: review.Options{Certificates: failingCerts{statusErr: errBoom}}, target: errBoom, text: "certification of rep"},
		{name: "err_expiring", opts: review.Options{Certificates: failingCerts{expiringErr: errBoom}}, target: errBoom, text: "expiring certificates"},
		{name: "err_assigner", opts: review.Options{Modules: modules, Assigner: assignerFunc(func(context.Context, training.Assignment) (training.Assignment, error) {
			return training.Assignment{}, errBoom
		})}, target: errBoom, text: `assign module "widget-basics" to rep "bob"`},
		{name: "err_publisher", opts: review.Options{Publisher: sp.PublisherFunc(func(context.Context, sp.Event) error { return errBoom })},
			target: errBoom, text: "publish review/2026-11/"},
		{name: "err_rule", opts: review.Options{Rules: []review.Rule{review.NewRule("broken", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
			return nil, errBoom
		})}}, target: errBoom, text: `rule "broken"`},
		{name: "err_rule_finding", opts: review.Options{Rules: []review.Rule{review.NewRule("sloppy", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
			return []review.Finding{{Subject: review.RepSubject("ann"), Severity: "loud", Summary: "x"}}, nil
		})}}, target: sp.ErrInvalid, text: `rule "sloppy": invalid findings[0].severity`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := review.DefaultRules()
			if tt.rules != nil {
				tt.rules(&rules)
			}
			opts := tt.opts
			opts.Clock = reviewClock()
			r, err := review.New(rules, &opts)
			require.NoError(t, err)
			in := base()
			if tt.input != nil {
				tt.input(&in)
			}
			c := ctx
			if tt.ctx != nil {
				c = tt.ctx()
			}
			_, err = r.Review(c, in)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.target)
			assert.True(t, strings.HasPrefix(err.Error(), "review: "), err.Error())
			assert.Contains(t, err.Error(), tt.text)
		})
	}
	var nilReviewer *review.Reviewer
	_, err := nilReviewer.Review(ctx, base())
	assert.ErrorIs(t, err, sp.ErrInvalid)
}

func TestReviewEdges(t *testing.T) {
	ctx := context.Background()
	t.Run("defaults", func(t *testing.T) {
		// No options: the system clock; no as-of time: now, or the
		// period's end if it is over; no goals: no forecast.
		r, err := review.New(review.DefaultRules(), nil)
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: november, Deals: quota.Refs(lagging())})
		require.NoError(t, err)
		assert.False(t, rep.AsOf.IsZero())
		assert.False(t, rep.AsOf.After(november.End()))
		assert.Equal(t, review.ReportVersion, rep.Version)
		lag := findings(rep, review.RepProductSubject("bob", widget))[review.RuleRepProductLag]
		require.Len(t, lag.Actions, 2)
		assert.Contains(t, lag.Actions[0].Note, "no training module is known for product widget")
		assert.Empty(t, rep.Outcome.Assignments)
		assert.Empty(t, rep.Outcome.Events)
	})
	t.Run("as_of_now", func(t *testing.T) {
		now := november.Start().Add(100 * time.Hour)
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: november})
		require.NoError(t, err)
		assert.True(t, rep.AsOf.Equal(now))
		assert.Empty(t, rep.Findings)
		assert.NotNil(t, rep.Snapshot.Reps)
	})
	t.Run("proposed_actions", func(t *testing.T) {
		// Without an assigner the assignment is proposed; a long ID is
		// replaced by a digest.
		long := sp.RepID(strings.Repeat("b", 120))
		ds := lagging()
		for i := range ds {
			if ds[i].Owner == "bob" {
				ds[i].Owner = long
			}
		}
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(),
			Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: november, Deals: quota.Refs(ds)})
		require.NoError(t, err)
		require.Len(t, rep.Outcome.Assignments, 1)
		a := rep.Outcome.Assignments[0]
		assert.Equal(t, review.StatusProposed, a.Status)
		assert.True(t, strings.HasPrefix(string(a.Assignment.ID), "review-"), a.Assignment.ID)
		assert.NoError(t, a.Assignment.Validate())
	})
	t.Run("custom_rule_duplicates", func(t *testing.T) {
		rule := review.NewRule("twice", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
			f := review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "hello"}
			return []review.Finding{f, f}, nil
		})
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Rules: []review.Rule{rule}})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: november})
		require.NoError(t, err)
		var ids []string
		for _, f := range rep.Findings {
			ids = append(ids, f.ID)
		}
		assert.Equal(t, []string{"twice:company", "twice:company#2"}, ids)
	})
	t.Run("feedback_once", func(t *testing.T) {
		// Feedback given both on a deal and in the input counts once;
		// feedback outside the period, or from another source, not at all.
		ds := lagging()
		at := november.Start().Add(72 * time.Hour)
		fb := sp.Feedback{ID: "f1", Product: widget, Rating: 1, Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: at}
		ds[0].Service = &pipeline.Service{Stage: pipeline.ServiceFollowedUp, Feedback: []sp.Feedback{fb}}
		extra := []sp.Feedback{
			fb,
			{ID: "f2", Product: widget, Rating: 4, Category: sp.FeedbackPrice, Source: sp.FromCustomer, Time: at},
			{ID: "f3", Product: widget, Rating: 1, Category: sp.FeedbackPrice, Source: sp.FromRep, Time: at},
			{ID: "f4", Product: widget, Rating: 1, Category: sp.FeedbackPrice, Source: sp.FromCustomer, Time: november.End()},
			{ID: "f5", Product: "new", Rating: 2, Category: sp.FeedbackOther, Source: sp.FromCustomer, Time: at},
		}
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: november, Deals: quota.Refs(ds), Feedback: func(yield func(*sp.Feedback) bool) {
			// One variable for every piece, as quota.Records yields a
			// listing's records: the review copies what it keeps.
			var f sp.Feedback
			for _, f = range extra {
				if !yield(&f) {
					return
				}
			}
		}, Products: []sp.Product{{ID: "new", Name: "New thing", Owner: "pm"}}})
		require.NoError(t, err)
		p, ok := rep.Snapshot.Product(widget)
		require.True(t, ok)
		assert.Equal(t, int64(2), p.Feedback.Count)
		assert.Equal(t, int64(1), p.Feedback.Low)
		assert.Equal(t, "5/2", p.Feedback.Rating.String())
		n, ok := rep.Snapshot.Product("new")
		require.True(t, ok)
		assert.Equal(t, int64(1), n.Feedback.Count)
		assert.Equal(t, sp.ActorID("pm"), n.Owner)
	})
	t.Run("deal_feedback_of_the_period", func(t *testing.T) {
		// A deal's follow-up feedback outside the period, before it or
		// after the as-of time, is neither counted nor checked: only
		// feedback of the period that fails Validate is an error.
		ds := lagging()
		in := sp.Feedback{ID: "f-in", Product: widget, Rating: 1, Category: sp.FeedbackQuality, Source: sp.FromCustomer,
			Time: november.Start().Add(72 * time.Hour)}
		before := in
		before.ID, before.Time = "f-before", november.Start().Add(-time.Hour)
		after := in
		after.ID, after.Time, after.Rating = "f-after", november.End().Add(time.Hour), 99 // invalid, but not of the period
		ds[0].Service = &pipeline.Service{Stage: pipeline.ServiceFollowedUp, Feedback: []sp.Feedback{before, in, after}}
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(ds)})
		require.NoError(t, err)
		p, ok := rep.Snapshot.Product(widget)
		require.True(t, ok)
		assert.Equal(t, int64(1), p.Feedback.Count)
		assert.Equal(t, int64(1), p.Feedback.Low)
	})
}

// Goals of every level, in revenue and in won deals, with certificates
// expiring on one channel.
func TestGoalLevels(t *testing.T) {
	ctx := context.Background()
	ds := lagging()
	open := deal("open-1", "ann", widget, false, "")
	open.Stage, open.Loss, open.Closed, open.Amount = pipeline.DealProposal, nil, time.Time{}, mustMoney("100.00 EUR")
	open.Probability, open.ExpectedClose = mustDecimal("0.5"), november.Start().Add(20*24*time.Hour)
	ds = append(ds, open)
	asOf := november.Start().Add(10 * 24 * time.Hour)
	goals := []quota.Goal{
		{Period: november, Deals: 100},
		{Region: north, Period: november, Revenue: mustMoney("1000.00 EUR")},
		{Product: widget, Period: november, Deals: 20},
		{Rep: "ann", Product: widget, Period: november, Revenue: mustMoney("1000.00 EUR")},
		{Rep: "bob", Period: november, Deals: 10},
	}
	certs := failingCerts{expiring: []training.Certificate{
		{Rep: "ann", Product: widget, Channel: pipelinetest.ChannelPhone, BriefVersion: training.MustParseVersion("1.0"),
			Issued: november.Start().AddDate(-1, 0, 0), Expires: asOf.Add(24 * time.Hour)},
		{Rep: "stranger", Product: widget, Expires: asOf.Add(24 * time.Hour)},
	}}
	events := &pipelinetest.Recorder{}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf), Certificates: certs, Publisher: events,
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }, Actor: "weekly-review"})
	require.NoError(t, err)
	rep, err := r.Review(ctx, review.Input{Period: november, AsOf: asOf, Deals: quota.Refs(ds), Goals: goals})
	require.NoError(t, err)

	var subjects []string
	for _, g := range rep.Snapshot.Goals {
		subjects = append(subjects, g.Subject().String()+" "+string(g.Goal.Metric()))
	}
	assert.Equal(t, []string{"company won_deals", "product widget won_deals", "region north revenue",
		"rep ann on widget revenue", "rep bob won_deals"}, subjects)

	north := findings(rep, review.RegionSubject(north))
	require.Contains(t, north, review.RuleTargetMet)
	assert.Equal(t, []review.Action{{Kind: review.ActionRecognize, Region: "north"}}, north[review.RuleTargetMet].Actions)
	assert.Contains(t, findings(rep, review.RepProductSubject("ann", widget)), review.RuleTargetMet)

	company := findings(rep, review.CompanySubject())
	require.Contains(t, company, review.RuleThinPipeline)
	for _, a := range company[review.RuleThinPipeline].Actions {
		assert.NotEqual(t, review.ActionCoach, a.Kind) // nobody to coach for the whole company
	}

	bob := findings(rep, review.RepSubject("bob"))[review.RuleThinPipeline]
	var proposal *review.Action
	for _, a := range bob.Actions {
		if a.Kind == review.ActionAdjustGoal {
			proposal = &a
		}
	}
	require.NotNil(t, proposal)
	assert.Equal(t, "1 deals", proposal.Proposed.String())

	expiry := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	assert.Equal(t, "certification:rep=ann,product=widget:expiring,channel=phone", expiry.ID)
	assert.Len(t, rep.Snapshot.Expiring, 1)
	for _, a := range rep.Outcome.Assignments {
		if a.Assignment.Rep == "ann" {
			assert.True(t, a.Assignment.Due.Equal(asOf.Add(24*time.Hour)))
			assert.Equal(t, sp.ActorID("weekly-review"), a.Assignment.AssignedBy)
		}
	}
	for _, e := range events.Events() {
		assert.Equal(t, sp.ActorID("weekly-review"), e.Actor)
		var f review.Finding
		if e.Type == review.EventFinding {
			require.NoError(t, json.Unmarshal(e.Data, &f))
			assert.NotEmpty(t, f.ID)
		}
	}
}

func TestFindingValidate(t *testing.T) {
	goal := quota.Goal{Rep: "ann", Period: november, Revenue: mustMoney("10.00 EUR")}
	eur, deals := quota.Amount{Money: mustMoney("5.00 EUR")}, quota.Amount{Deals: mustDecimal("3")}
	tests := []struct {
		name  string
		f     review.Finding
		field string
	}{
		{"ok", review.Finding{Subject: review.RepSubject("ann"), Severity: review.SeverityInfo, Summary: "x"}, ""},
		{"ok_actions", review.Finding{Subject: review.RegionSubject("north"), Severity: review.SeverityWarning, Cause: review.CauseMarket, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionCoach, Region: "north"}, {Kind: review.ActionAdjustGoal, Goal: &goal, Proposed: &eur},
				{Kind: review.ActionRetrain, Rep: "ann", Product: "p"}, {Kind: review.ActionProductFeedback, Product: "p"}}}, ""},
		{"ok_id_512", review.Finding{ID: strings.Repeat("i", 512), Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x"}, ""},
		{"err_id_513", review.Finding{ID: strings.Repeat("i", 513), Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x"}, "id"},
		{"ok_rule_256", review.Finding{Rule: strings.Repeat("r", 256), Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x"}, ""},
		{"err_rule_257", review.Finding{Rule: strings.Repeat("r", 257), Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x"}, "rule"},
		{"err_kind", review.Finding{Subject: review.Subject{Kind: "team"}, Severity: review.SeverityInfo, Summary: "x"}, "subject.kind"},
		{"err_rep_missing", review.Finding{Subject: review.Subject{Kind: review.SubjectRep}, Severity: review.SeverityInfo, Summary: "x"}, "subject.rep"},
		{"err_rep_bad", review.Finding{Subject: review.RepSubject(" ann"), Severity: review.SeverityInfo, Summary: "x"}, "subject.rep"},
		{"err_extra_region", review.Finding{Subject: review.Subject{Kind: review.SubjectRep, Rep: "a", Region: "n"}, Severity: review.SeverityInfo, Summary: "x"}, "subject.region"},
		{"err_product_missing", review.Finding{Subject: review.Subject{Kind: review.SubjectRepProduct, Rep: "a"}, Severity: review.SeverityInfo, Summary: "x"}, "subject.product"},
		{"err_cause", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Cause: "luck", Summary: "x"}, "cause"},
		{"err_summary", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: " "}, "summary"},
		{"err_action_kind", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: "fire"}}}, "actions[0].kind"},
		{"err_coach_nobody", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionCoach}}}, "actions[0].rep"},
		{"err_retrain_rep", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionRetrain, Product: "p"}}}, "actions[0].rep"},
		{"err_retrain_product", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "a"}}}, "actions[0].product"},
		{"err_feedback_product", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionProductFeedback}}}, "actions[0].product"},
		{"err_adjust_missing", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionAdjustGoal}}}, "actions[0].goal"},
		{"err_adjust_goal", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionAdjustGoal, Goal: &quota.Goal{}, Proposed: &eur}}}, "actions[0].goal.period"},
		{"err_adjust_metric", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionAdjustGoal, Goal: &goal, Proposed: &deals}}}, "actions[0].proposed"},
		{"err_coach_goal", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionCoach, Rep: "ann", Goal: &quota.Goal{}}}}, "actions[0].goal.period"},
		{"err_recognize_proposed", review.Finding{Subject: review.CompanySubject(), Severity: review.SeverityInfo, Summary: "x",
			Actions: []review.Action{{Kind: review.ActionRecognize, Rep: "ann", Proposed: &quota.Amount{Deals: mustDecimal("1e100")}}}},
			"actions[0].proposed.deals"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	s := review.Subject{Kind: "team"}
	assert.Equal(t, "team", s.String())
	assert.Equal(t, "team", s.Key())
	assert.Equal(t, "rep=a,product=p", review.RepProductSubject("a", "p").Key())
}

func TestParseReportErrors(t *testing.T) {
	tests := []struct {
		name, doc, text string
	}{
		{"err_json", `{`, "invalid report: malformed JSON"},
		{"err_version", `{"version": 2}`, "version: 2 is not supported"},
		{"err_rules", `{"version": 1, "rules": {"version": 9}}`, "invalid report.rules.version"},
		{"err_type", `{"version": 1, "rules": {"version": 1}, "findings": 3}`, "invalid report.findings"},
		{"err_money", `{"version": 1, "rules": {"version": 1}, "outcome": {"goal_proposals": [{"proposed": {"money": {"amount": "x", "currency": "EUR"}}}]}}`, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := review.ParseReport([]byte(tt.doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), tt.text)
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errBoom }

func TestRenderErrors(t *testing.T) {
	rep, _ := goldenReport(t)
	assert.ErrorIs(t, rep.Markdown(failWriter{}), errBoom)
	assert.ErrorIs(t, rep.Text(failWriter{}), errBoom)
	assert.ErrorIs(t, rep.WriteJSON(failWriter{}), errBoom)
	// Prefixed as the package's errors are, the writer's among them.
	for name, render := range map[string]func(io.Writer) error{"markdown": rep.Markdown, "text": rep.Text, "json": rep.WriteJSON} {
		assert.Equal(t, "review: report: "+errBoom.Error(), render(failWriter{}).Error(), name)
	}

	// A nil writer is invalid input, not a panic.
	assert.ErrorIs(t, rep.Markdown(nil), sp.ErrInvalid)
	assert.ErrorIs(t, rep.Text(nil), sp.ErrInvalid)
	assert.ErrorIs(t, rep.WriteJSON(nil), sp.ErrInvalid)

	// A report decoded from JSON renders as the original does even
	// without its rules pointer.
	var empty review.Report
	var b strings.Builder
	require.NoError(t, empty.Markdown(&b))
	assert.Contains(t, b.String(), "# Sales review")
	assert.Contains(t, b.String(), "None.")
}

func TestCatalogModules(t *testing.T) {
	catalog, err := training.NewCatalog(
		[]training.Module{
			{ID: "w1", Title: "Widget 1", Kind: training.ModuleProductKnowledge, Product: widget, BriefVersion: training.MustParseVersion("1.0"),
				Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "w2", Title: "Widget 2", Kind: training.ModuleProductKnowledge, Product: widget, BriefVersion: training.MustParseVersion("2.0"),
				Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
			{ID: "phone", Title: "Phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
		},
		[]training.Curriculum{
			{ID: "c1", Title: "C1", Product: widget, Modules: []training.ModuleID{"phone", "w1"}, ValidMonths: 12},
			{ID: "c2", Title: "C2", Product: widget, Modules: []training.ModuleID{"w2", "w1"}, ValidMonths: 12},
		})
	require.NoError(t, err)
	m, ok := review.CatalogModules(catalog)(widget)
	assert.True(t, ok)
	assert.Equal(t, training.ModuleID("w2"), m)
	_, ok = review.CatalogModules(catalog)(gadget)
	assert.False(t, ok)
	_, ok = review.CatalogModules(nil)(widget)
	assert.False(t, ok)

	// One lookup asked again, from several goroutines, answers as a new
	// one does, for a product with a module and one without.
	lookup := review.CatalogModules(catalog)
	type answer struct {
		m  training.ModuleID
		ok bool
	}
	answers := make([][]answer, 8)
	var wg sync.WaitGroup
	for g := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				for _, p := range []sp.ProductID{widget, gadget} {
					m, ok := lookup(p)
					answers[g] = append(answers[g], answer{m, ok})
				}
			}
		}()
	}
	wg.Wait()
	for g := range answers {
		for i, a := range answers[g] {
			want := answer{"w2", true}
			if i%2 == 1 {
				want = answer{}
			}
			assert.Equal(t, want, a, "goroutine %d, answer %d", g, i)
		}
	}
}

func TestNilSafety(t *testing.T) {
	var s *review.Snapshot
	_, ok := s.Rep("a")
	assert.False(t, ok)
	_, ok = s.Region("a")
	assert.False(t, ok)
	_, ok = s.Product("a")
	assert.False(t, ok)
	_, ok = s.Cell("a", "b")
	assert.False(t, ok)
	assert.Nil(t, s.CellsOf("a"))
	assert.Nil(t, s.GoalsOf(review.CompanySubject()))
	assert.Nil(t, s.Settings("a"))
	assert.Equal(t, quota.VerdictBelow, s.Compare(quota.Rate{Num: 0, Den: 50}, quota.Rate{Num: 50, Den: 50}).Verdict)
	assert.Equal(t, review.CauseData, s.Diagnose(review.RepSubject("a"), review.RateWinRate).Cause)
	var f *review.Figures
	assert.Equal(t, quota.Rate{}, f.Rate(review.RateWinRate))
	assert.Zero(t, f.Closed())
	var rep *review.Report
	assert.ErrorIs(t, rep.Markdown(failWriter{}), sp.ErrInvalid)
	assert.ErrorIs(t, rep.WriteJSON(failWriter{}), sp.ErrInvalid)
	var r *review.Reviewer
	assert.Equal(t, review.Rules{}, r.Rules())
}

// One Reviewer runs reviews at once; run with -race.
func TestConcurrentReviews(t *testing.T) {
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(),
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
	require.NoError(t, err)
	ds := lagging()
	reports := make([]review.Report, 4)
	errs := make([]error, 4)
	done := make(chan int)
	for i := range reports {
		go func() {
			reports[i], errs[i] = r.Review(context.Background(), review.Input{Period: november, Deals: quota.Refs(ds)})
			done <- i
		}()
	}
	for range reports {
		<-done
	}
	for i := range reports {
		require.NoError(t, errs[i])
		var a, b strings.Builder
		require.NoError(t, reports[0].Markdown(&a))
		require.NoError(t, reports[i].Markdown(&b))
		assert.Equal(t, a.String(), b.String())
	}
}

// A nil context and a Reviewer not made by New are invalid input, not a
// panic.
func TestReviewNilContextAndZeroReviewer(t *testing.T) {
	in := review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs(lagging())}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(t, err)
	var nilCtx context.Context
	_, err = r.Review(nilCtx, in)
	assert.ErrorIs(t, err, sp.ErrInvalid)

	var zero review.Reviewer
	_, err = zero.Review(context.Background(), in)
	assert.ErrorIs(t, err, sp.ErrInvalid)
}

// outdatedCerts says every certification is outdated and lists the
// certificates expiring.
type outdatedCerts struct{ expiring []training.Certificate }

func (outdatedCerts) Status(context.Context, sp.RepID, sp.ProductID, time.Time) (training.CertStatus, error) {
	return training.CertOutdated, nil
}

func (c outdatedCerts) Expiring(context.Context, sp.Period) iter.Seq2[training.Certificate, error] {
	return func(yield func(training.Certificate, error) bool) {
		for _, x := range c.expiring {
			if !yield(x, nil) {
				return
			}
		}
	}
}

// A rep with a goal for a product but no work on it in the period is not
// flagged for an uncertified sale, so the expiry of their certificate is
// not skipped as flagged already.
func TestCertificationExpiryWithoutWork(t *testing.T) {
	asOf := november.Start().Add(10 * 24 * time.Hour)
	certs := outdatedCerts{expiring: []training.Certificate{{Rep: "ann", Product: widget, BriefVersion: training.MustParseVersion("1.0"),
		Issued: november.Start().AddDate(-1, 0, 0), Expires: asOf.Add(24 * time.Hour)}}}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf), Certificates: certs})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf,
		Goals: []quota.Goal{{Rep: "ann", Product: widget, Period: november, Deals: 2}}})
	require.NoError(t, err)
	cell, ok := rep.Snapshot.Cell("ann", widget)
	require.True(t, ok)
	require.Equal(t, training.CertOutdated, cell.Certification)
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok, "no certification finding: %v", rep.Findings)
	assert.Equal(t, "certification:rep=ann,product=widget:expiring", f.ID)
	require.Len(t, f.Actions, 1)
	// No curriculum to name; no module known for the product, which the
	// review adds.
	assert.Equal(t, "recertify before the certificate expires; no training module is known for product widget", f.Actions[0].Note)
}

// Renewing a certificate takes a pass of every module of its curriculum
// again, not only of the module a retraining assigns: the action says so.
func TestCertificationExpiryNamesTheCurriculum(t *testing.T) {
	asOf := november.Start().Add(10 * 24 * time.Hour)
	certs := outdatedCerts{expiring: []training.Certificate{{Rep: "ann", Product: widget, BriefVersion: training.MustParseVersion("1.0"),
		Curriculum: "widget-cert", Issued: november.Start().AddDate(-1, 0, 0), Expires: asOf.Add(24 * time.Hour)}}}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf), Certificates: certs})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: asOf,
		Goals: []quota.Goal{{Rep: "ann", Product: widget, Period: november, Deals: 2}}})
	require.NoError(t, err)
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok, "no certification finding: %v", rep.Findings)
	require.Len(t, f.Actions, 1)
	assert.Equal(t, training.CurriculumID("widget-cert"), f.Actions[0].Curriculum)
	assert.Equal(t, "recertify before the certificate expires: pass every module of curriculum widget-cert again; no training module is known for product widget or curriculum widget-cert", f.Actions[0].Note)
}

// A certificate is valid up to, not including, its expiry, so one that
// expires exactly at the as-of time has expired by then: it is not listed
// as expiring, nor is one that expired before; one that expires just after
// is. The window includes its end: a certificate that expires exactly
// expiring_within_days (30) days after the as-of time is listed, one a
// nanosecond later is not.
func TestCertificationExpiringBoundary(t *testing.T) {
	ctx := context.Background()
	asOf := november.Start().Add(10 * 24 * time.Hour)
	end := asOf.AddDate(0, 0, 30)
	store := trainingtest.NewMemStore()
	var goals []quota.Goal
	for rep, expires := range map[sp.RepID]time.Time{
		"before": asOf.Add(-time.Nanosecond), "at": asOf, "after": asOf.Add(time.Nanosecond),
		"end": end, "past_end": end.Add(time.Nanosecond),
	} {
		require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: rep, Product: widget,
			BriefVersion: training.MustParseVersion("1.0"), Issued: november.Start().AddDate(-1, 0, 0), Expires: expires}))
		goals = append(goals, quota.Goal{Rep: rep, Product: widget, Period: november, Deals: 2})
	}
	certs := training.NewReadiness(store, store, nil)
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf), Certificates: certs})
	require.NoError(t, err)
	rep, err := r.Review(ctx, review.Input{Period: november, AsOf: asOf, Goals: goals})
	require.NoError(t, err)
	var expiring []sp.RepID
	for _, c := range rep.Snapshot.Expiring {
		expiring = append(expiring, c.Rep)
	}
	assert.Equal(t, []sp.RepID{"after", "end"}, expiring)
	for _, id := range []sp.RepID{"before", "at", "past_end"} {
		assert.NotContains(t, findings(rep, review.RepProductSubject(id, widget)), review.RuleCertification, id)
	}
	for _, id := range []sp.RepID{"after", "end"} {
		assert.Contains(t, findings(rep, review.RepProductSubject(id, widget)), review.RuleCertification, id)
	}
}

// The days of expiring_within_days are days of the period's time zone,
// whatever zone the as-of time is given in: reviewing October in Berlin as
// of October 10, a certificate that expires at midnight 30 days on, on
// November 9 after clocks turned back, is expiring, with the as-of time in
// UTC as in Berlin.
func TestCertificationExpiringDaysInPeriodZone(t *testing.T) {
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	october := sp.Month(2026, time.October, berlin)
	asOf := time.Date(2026, time.October, 10, 0, 0, 0, 0, berlin)
	store := trainingtest.NewMemStore()
	require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: widget,
		BriefVersion: training.MustParseVersion("1.0"), Issued: asOf.AddDate(-1, 0, 0),
		Expires: time.Date(2026, time.November, 9, 0, 0, 0, 0, berlin)}))
	certs := training.NewReadiness(store, store, nil)
	for _, at := range []time.Time{asOf, asOf.UTC()} {
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(at), Certificates: certs})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: october, AsOf: at, Reps: []sp.Rep{{ID: "ann", Name: "Ann"}}})
		require.NoError(t, err)
		assert.Len(t, rep.Snapshot.Expiring, 1, "as of %s", at)
	}
}

// Two findings that call for the same retraining, one of them by a
// certificate's expiry two days ahead, make one assignment due at the
// earlier date, whichever finding comes first in the report.
func TestMergedAssignmentKeepsEarliestDue(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	soon := now.Add(48 * time.Hour)
	subj := review.RepProductSubject("ann", widget)
	lag := review.NewRule("lag", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: subj, Severity: review.SeverityWarning, Cause: review.CauseRep, Summary: "lags",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget}}}}, nil
	})
	expiry := review.NewRule("expiry", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: subj, Severity: review.SeverityInfo, Cause: review.CauseRep, Summary: "expires",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Due: soon}}}}, nil
	})
	for _, rules := range [][]review.Rule{{lag, expiry}, {expiry, lag}} {
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: rules,
			Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now})
		require.NoError(t, err)
		require.Len(t, rep.Outcome.Assignments, 1)
		a := rep.Outcome.Assignments[0]
		assert.Len(t, a.Findings, 2)
		assert.True(t, a.Assignment.Due.Equal(soon), "due %s, want %s", a.Assignment.Due, soon)
	}
}

// A review retried after its publisher failed publishes again the events
// it published before the failure, under the same IDs, so that the
// publisher can tell them apart from new ones.
func TestRetryAfterPublishFailure(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	rule := review.NewRule("many", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{
			{Subject: review.RepSubject("ann"), Severity: review.SeverityInfo, Summary: "one"},
			{Subject: review.RepSubject("bob"), Severity: review.SeverityInfo, Summary: "two"},
		}, nil
	})
	var published []string
	fail := true
	pub := sp.PublisherFunc(func(_ context.Context, e sp.Event) error {
		if fail && len(published) == 1 {
			return errors.New("queue down")
		}
		published = append(published, e.ID)
		return nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule}, Publisher: pub})
	require.NoError(t, err)
	in := review.Input{Period: november, AsOf: now}
	_, err = r.Review(context.Background(), in)
	require.Error(t, err)
	require.Len(t, published, 1)
	fail = false
	rep, err := r.Review(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, rep.Outcome.Events, published[1:])
	assert.Equal(t, published[0], published[1], "the first event again, under the same ID")
}

type uncertified struct{}

func (uncertified) Status(context.Context, sp.RepID, sp.ProductID, time.Time) (training.CertStatus, error) {
	return training.CertMissing, nil
}

// A rep who only has an open deal of a product they are not certified
// for is flagged for the work, without being said to have sold it.
func TestCertificationOpenDealOnly(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	open := deal("open-1", "ann", widget, false, "")
	open.Stage, open.Loss, open.Closed, open.Amount = pipeline.DealProposal, nil, time.Time{}, mustMoney("100.00 EUR")
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Certificates: uncertified{}})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now, Deals: quota.Refs([]pipeline.Deal{open})})
	require.NoError(t, err)
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok)
	assert.NotContains(t, f.Summary, "sold")
	assert.Contains(t, f.Summary, "worked on product widget")
}

// The date a certificate expires on is the date in the period's time
// zone, not in whatever zone the certificate store gives its time in: a
// certificate expiring at midnight in Tokyo, stored in UTC, expires on
// that day, not the day before.
func TestExpiryDateInPeriodZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	period := sp.Month(2026, time.November, tokyo)
	asOf := time.Date(2026, time.December, 1, 9, 0, 0, 0, tokyo)
	expires := time.Date(2026, time.December, 15, 0, 0, 0, 0, tokyo).UTC()
	certs := failingCerts{expiring: []training.Certificate{{Rep: "ann", Product: widget,
		BriefVersion: training.MustParseVersion("1.0"), Issued: expires.AddDate(-1, 0, 0), Expires: expires}}}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(asOf), Certificates: certs})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: period, AsOf: asOf, Reps: []sp.Rep{{ID: "ann", Name: "Ann"}}})
	require.NoError(t, err)
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok)
	assert.Contains(t, f.Summary, "expires on 2026-12-15")
}

// A retraining due at or before the review's time is due retrain_due_days
// after it instead, as is one without a due date.
func TestRetrainDueNotInPast(t *testing.T) {
	now := november.End().Add(8 * time.Hour)
	for name, due := range map[string]time.Time{"past": now.Add(-time.Hour), "now": now, "none": {}} {
		t.Run(name, func(t *testing.T) {
			rule := review.NewRule("late", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
				return []review.Finding{{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "late",
					Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Due: due}}}}, nil
			})
			r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule},
				Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
			require.NoError(t, err)
			rep, err := r.Review(context.Background(), review.Input{Period: november})
			require.NoError(t, err)
			require.Len(t, rep.Outcome.Assignments, 1)
			want := now.AddDate(0, 0, 14)
			got := rep.Outcome.Assignments[0].Assignment.Due
			assert.True(t, got.Equal(want), "due %s, want %s", got, want)
		})
	}
}

// The default due date of a retraining is retrain_due_days calendar days
// in the period's time zone, whatever zone the clock's time is in: across
// the end of summer time in Berlin, 14 days from 12:00 UTC (14:00 CEST)
// are 13:00 UTC (14:00 CET).
func TestRetrainDueInDaysOfThePeriodsZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	now := time.Date(2026, time.October, 20, 12, 0, 0, 0, time.UTC)
	rule := review.NewRule("late", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "late",
			Actions: []review.Action{{Kind: review.ActionRetrain, Rep: "ann", Product: widget}}}}, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule},
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: sp.Month(2026, time.October, berlin)})
	require.NoError(t, err)
	require.Len(t, rep.Outcome.Assignments, 1)
	got := rep.Outcome.Assignments[0].Assignment.Due
	assert.Equal(t, time.Date(2026, time.November, 3, 13, 0, 0, 0, time.UTC), got.UTC())
	assert.Equal(t, time.UTC, got.Location(), "in the clock time's location")
}

// A rep whose only work on a product they are not certified for is an
// inquiry of the period is flagged for it too.
func TestCertificationInquiryOnly(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	in := pipeline.Inquiry{ID: "i-1", Channel: "web", Region: north, Product: widget, Customer: "c", Owner: "ann",
		Received: november.Start().Add(24 * time.Hour), Stage: pipeline.InquiryNew}
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Certificates: uncertified{}})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now, Inquiries: quota.Refs([]pipeline.Inquiry{in})})
	require.NoError(t, err)
	f, ok := findings(rep, review.RepProductSubject("ann", widget))[review.RuleCertification]
	require.True(t, ok, "no certification finding: %v", rep.Findings)
	assert.Contains(t, f.Summary, "worked on product widget")
	assert.Equal(t, []review.ActionKind{review.ActionRetrain}, actionKinds(f))
}

// A finding that calls for one action twice is named once among the
// findings behind it: the outcome lists each action once with the IDs of
// the findings that call for it.
func TestOutcomeNamesAFindingOnce(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	g := quota.Goal{Rep: "ann", Period: november, Revenue: mustMoney("100.00 EUR")}
	p := quota.Amount{Money: mustMoney("50.00 EUR")}
	twice := []review.Action{
		{Kind: review.ActionRetrain, Rep: "ann", Product: widget}, {Kind: review.ActionRetrain, Rep: "ann", Product: widget},
		{Kind: review.ActionProductFeedback, Product: widget}, {Kind: review.ActionProductFeedback, Product: widget},
		{Kind: review.ActionAdjustGoal, Goal: &g, Proposed: &p}, {Kind: review.ActionAdjustGoal, Goal: &g, Proposed: &p},
	}
	rule := review.NewRule("mine", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{
			{Subject: review.RepSubject("ann"), Severity: review.SeverityInfo, Summary: "one", Actions: twice},
			{Subject: review.RepSubject("bob"), Severity: review.SeverityInfo, Summary: "two", Actions: twice},
		}, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule},
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november, AsOf: now})
	require.NoError(t, err)
	want := []string{"mine:rep=ann", "mine:rep=bob"}
	o := rep.Outcome
	require.Len(t, o.Assignments, 1)
	require.Len(t, o.ProductFeedback, 1)
	require.Len(t, o.GoalProposals, 1)
	assert.Equal(t, want, o.Assignments[0].Findings)
	assert.Equal(t, want, o.ProductFeedback[0].Findings)
	assert.Equal(t, want, o.GoalProposals[0].Findings)
}

// A record's ID in an error is cut to a line, as it is for the other
// errors of a deal: a crafted ID of 64 KiB in a deal whose currency is
// not its group's does not make the error 64 KiB long.
func TestDealErrorCutsTheID(t *testing.T) {
	now := november.Start().Add(10 * 24 * time.Hour)
	eur := deal("a", "ann", widget, true, "100.00 EUR")
	usd := deal(sp.DealID(strings.Repeat("b", 1<<16)), "ann", widget, true, "100.00 USD")
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now)})
	require.NoError(t, err)
	_, err = r.Review(context.Background(), review.Input{Period: november, AsOf: now, Deals: quota.Refs([]pipeline.Deal{eur, usd})})
	require.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	assert.Less(t, len(err.Error()), 1024)
}

// On a tie of brief versions CatalogModules takes the module that comes
// first in the product's curricula, in the catalog's order of curricula
// and each one's order of modules, not in the catalog's order of modules.
func TestCatalogModulesTie(t *testing.T) {
	module := func(id training.ModuleID) training.Module {
		return training.Module{ID: id, Title: string(id), Kind: training.ModuleProductKnowledge, Product: widget,
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}}
	}
	catalog, err := training.NewCatalog(
		[]training.Module{module("w1"), module("w2"), module("w3")},
		[]training.Curriculum{
			{ID: "c2", Title: "C2", Product: widget, Modules: []training.ModuleID{"w3", "w1"}, ValidMonths: 12},
			{ID: "c3", Title: "C3", Product: widget, Modules: []training.ModuleID{"w2"}, ValidMonths: 12},
		})
	require.NoError(t, err)
	m, ok := review.CatalogModules(catalog)(widget)
	assert.True(t, ok)
	assert.Equal(t, training.ModuleID("w3"), m)
}
