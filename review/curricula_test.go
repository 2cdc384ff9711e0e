package review_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// recordingAssigner stores what it is given, as a trainer would.
type recordingAssigner struct {
	mu  sync.Mutex
	got []training.Assignment
}

func (r *recordingAssigner) AssignModule(_ context.Context, a training.Assignment) (training.Assignment, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, a)
	return a, nil
}

// A retraining action with a curriculum that Options.Curricula knows
// becomes an assignment of each of its modules, deduplicated by rep and
// module with the other actions; an action that names a module keeps it;
// a curriculum unknown, or no Curricula at all, falls back to the module
// of the product.
func TestRetrainCurriculum(t *testing.T) {
	now := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	early, late := now.Add(3*24*time.Hour), now.Add(10*24*time.Hour)
	rule := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{
			{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "first", Actions: []review.Action{
				{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Curriculum: "widget-cert", Due: late},
				{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Curriculum: "widget-cert", Module: "widget-advanced"},
				{Kind: review.ActionRetrain, Rep: "ann", Product: gadget, Curriculum: "gone"},
			}},
			{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "second", Actions: []review.Action{
				{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Module: "visit", Due: early},
			}},
		}, nil
	})
	modules := func(p sp.ProductID) (training.ModuleID, bool) {
		return map[sp.ProductID]training.ModuleID{widget: "widget-basics", gadget: "gadget-basics"}[p], true
	}
	curricula := func(id training.CurriculumID) ([]training.ModuleID, bool) {
		switch id {
		case "widget-cert":
			return []training.ModuleID{"widget-basics", "", "visit", "widget-basics"}, true // an empty ID is skipped
		case "empty":
			return nil, true
		}
		return nil, false
	}
	run := func(t *testing.T, modules func(sp.ProductID) (training.ModuleID, bool),
		curricula func(training.CurriculumID) ([]training.ModuleID, bool),
	) (review.Report, *recordingAssigner) {
		t.Helper()
		as := &recordingAssigner{}
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Assigner: as,
			Modules: modules, Curricula: curricula, Rules: []review.Rule{rule}})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), review.Input{Period: november})
		require.NoError(t, err)
		return rep, as
	}
	byModule := func(rep review.Report) map[training.ModuleID]review.AssignmentResult {
		out := map[training.ModuleID]review.AssignmentResult{}
		for _, ar := range rep.Outcome.Assignments {
			require.Equal(t, sp.RepID("ann"), ar.Assignment.Rep)
			out[ar.Assignment.Module] = ar
		}
		return out
	}

	t.Run("known", func(t *testing.T) {
		rep, as := run(t, modules, curricula)
		first, second := rep.Findings[0], rep.Findings[1]
		require.Equal(t, "first", first.Summary)
		got := byModule(rep)
		require.Len(t, got, 4, "%v", got)
		assert.Len(t, as.got, 4, "each assignment once")

		basics := got["widget-basics"]
		assert.Equal(t, widget, basics.Product)
		assert.Equal(t, late, basics.Assignment.Due)
		assert.Equal(t, []string{first.ID}, basics.Findings)
		assert.Equal(t, "review 2026-11: first; every module of curriculum widget-cert is assigned, to renew its certificate", basics.Assignment.Reason)
		assert.Equal(t, []training.CurriculumID{"widget-cert"}, basics.Curricula)

		visit := got["visit"]
		assert.Equal(t, early, visit.Assignment.Due, "the earliest due kept")
		assert.Equal(t, []string{first.ID, second.ID}, visit.Findings, "findings merged")
		assert.Contains(t, visit.Assignment.Reason, "every module of curriculum widget-cert is assigned, to renew its certificate")
		assert.Equal(t, []training.CurriculumID{"widget-cert"}, visit.Curricula)

		adv := got["widget-advanced"]
		assert.Equal(t, "review 2026-11: first", adv.Assignment.Reason, "a module named by the rule is assigned as before")
		assert.Equal(t, "review 2026-11: first", got["gadget-basics"].Assignment.Reason, "an unknown curriculum falls back to the product's module")
		assert.Empty(t, adv.Curricula, "a module named by the rule is for no curriculum")
		assert.Empty(t, got["gadget-basics"].Curricula, "nor the product's module")

		assert.Empty(t, first.Actions[0].Module, "the action of the curriculum names no one module")
		assert.Equal(t, late, first.Actions[0].Due)
		assert.Equal(t, training.ModuleID("widget-advanced"), first.Actions[1].Module)
		assert.Equal(t, training.ModuleID("gadget-basics"), first.Actions[2].Module)
	})

	t.Run("nil", func(t *testing.T) {
		rep, _ := run(t, modules, nil)
		got := byModule(rep)
		require.Len(t, got, 4, "%v", got)
		basics := got["widget-basics"]
		assert.Equal(t, "review 2026-11: first", basics.Assignment.Reason)
		assert.Equal(t, []string{rep.Findings[0].ID}, basics.Findings)
		assert.Empty(t, basics.Curricula, "without Curricula the product's module is for no curriculum")
		assert.Contains(t, got, training.ModuleID("visit"))
		assert.Contains(t, got, training.ModuleID("widget-advanced"))
		assert.Contains(t, got, training.ModuleID("gadget-basics"))
		assert.Equal(t, training.ModuleID("widget-basics"), rep.Findings[0].Actions[0].Module)
	})

	t.Run("nothing known", func(t *testing.T) {
		rep, _ := run(t, nil, nil)
		assert.Equal(t, "no training module is known for product widget or curriculum widget-cert", rep.Findings[0].Actions[0].Note)
		assert.Equal(t, "no training module is known for product gadget or curriculum gone", rep.Findings[0].Actions[2].Note)
		assert.Len(t, rep.Outcome.Assignments, 2, "the actions that name a module")
	})

	t.Run("no modules", func(t *testing.T) {
		rep, _ := run(t, modules, func(training.CurriculumID) ([]training.ModuleID, bool) { return curricula("empty") })
		got := byModule(rep)
		require.Len(t, got, 4, "%v", got)
		assert.Equal(t, "review 2026-11: first", got["widget-basics"].Assignment.Reason)
	})
}

// CatalogCurricula looks curricula up in a catalog, on copies of their
// modules; a nil catalog knows none.
func TestCatalogCurricula(t *testing.T) {
	cat := kitCatalog(t, kitBasicsModule(kitBasics, "1.0"))
	look := review.CatalogCurricula(cat)
	mods, ok := look(kitAll)
	require.True(t, ok)
	assert.Equal(t, []training.ModuleID{kitBasics, kitPhone}, mods)
	mods[0] = "changed"
	mods, _ = look(kitAll)
	assert.Equal(t, []training.ModuleID{kitBasics, kitPhone}, mods, "the caller's copy")
	cu, _ := cat.Curriculum(kitAll)
	assert.Equal(t, []training.ModuleID{kitBasics, kitPhone}, cu.Modules)

	mods, ok = look("nope")
	assert.False(t, ok)
	assert.Nil(t, mods)
	mods, ok = review.CatalogCurricula(nil)(kitAll)
	assert.False(t, ok)
	assert.Nil(t, mods)
}

// An assignment that several actions make is for a curriculum when any of
// them is, not only the first: its Reason, that of its first finding, says
// so, cut to 4 KiB as ever; an assignment no curriculum made keeps the
// reason of its first finding alone.
func TestRetrainCurriculumAfterAPlainAction(t *testing.T) {
	now := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	const renew = "; every module of curriculum widget-cert is assigned, to renew its certificate"
	curricula := func(id training.CurriculumID) ([]training.ModuleID, bool) {
		if id == "widget-cert" {
			return []training.ModuleID{"widget-basics", "visit"}, true
		}
		return nil, false
	}
	run := func(t *testing.T, plain string) map[training.ModuleID]review.AssignmentResult {
		t.Helper()
		rule := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
			return []review.Finding{
				{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: plain, Actions: []review.Action{
					{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Module: "visit"},
					{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Module: "phone"},
				}},
				{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "cert", Actions: []review.Action{
					{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Curriculum: "widget-cert"},
				}},
			}, nil
		})
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
			Curricula: curricula, Rules: []review.Rule{rule}})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), review.Input{Period: november})
		require.NoError(t, err)
		require.Equal(t, plain, rep.Findings[0].Summary)
		out := map[training.ModuleID]review.AssignmentResult{}
		for _, ar := range rep.Outcome.Assignments {
			out[ar.Assignment.Module] = ar
		}
		require.Len(t, out, 3, "%v", out)
		return out
	}

	got := run(t, "plain")
	visit := got["visit"]
	assert.Len(t, visit.Findings, 2, "the actions merged")
	assert.Equal(t, "review 2026-11: plain"+renew, visit.Assignment.Reason)
	assert.Equal(t, "review 2026-11: cert"+renew, got["widget-basics"].Assignment.Reason)
	assert.Equal(t, "review 2026-11: plain", got["phone"].Assignment.Reason, "no curriculum, no wording")

	long := strings.Repeat("x", 4096-len("review 2026-11: ")-len(renew)/2)
	got = run(t, long)
	want := ("review 2026-11: " + long + renew)[:4096]
	assert.Equal(t, want, got["visit"].Assignment.Reason, "cut to 4 KiB")
	assert.Equal(t, "review 2026-11: "+long, got["phone"].Assignment.Reason)
}

// A module that several curricula share is assigned once, and its Reason
// names every curriculum whose action assigned it, each once, in the
// report's order of their actions, as the report's lines of those actions
// name them; a module of one curriculum names that one alone.
func TestRetrainSharedModuleNamesEveryCurriculum(t *testing.T) {
	now := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	curricula := func(id training.CurriculumID) ([]training.ModuleID, bool) {
		switch id {
		case "widget-cert":
			return []training.ModuleID{"widget-basics", "visit"}, true
		case "gadget-cert":
			return []training.ModuleID{"gadget-basics", "visit"}, true
		case "field-cert":
			return []training.ModuleID{"visit"}, true
		}
		return nil, false
	}
	run := func(t *testing.T, findings ...review.Finding) review.Report {
		t.Helper()
		rule := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
			return findings, nil
		})
		r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now),
			Curricula: curricula, Rules: []review.Rule{rule}})
		require.NoError(t, err)
		rep, err := r.Review(context.Background(), review.Input{Period: november})
		require.NoError(t, err)
		return rep
	}
	reasons := func(rep review.Report) map[training.ModuleID]string {
		out := map[training.ModuleID]string{}
		for _, ar := range rep.Outcome.Assignments {
			out[ar.Assignment.Module] = ar.Assignment.Reason
		}
		return out
	}
	retrain := func(p sp.ProductID, cu training.CurriculumID) review.Action {
		return review.Action{Kind: review.ActionRetrain, Rep: "ann", Product: p, Curriculum: cu}
	}
	finding := func(summary string, actions ...review.Action) review.Finding {
		return review.Finding{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: summary, Actions: actions}
	}

	t.Run("two", func(t *testing.T) {
		rep := run(t, finding("widget", retrain(widget, "widget-cert")), finding("gadget", retrain(gadget, "gadget-cert")))
		got := reasons(rep)
		require.Len(t, got, 3, "%v", got)
		assert.Equal(t, "review 2026-11: widget; every module of curricula widget-cert and gadget-cert is assigned, "+
			"to renew their certificates", got["visit"])
		assert.Equal(t, "review 2026-11: widget; every module of curriculum widget-cert is assigned, to renew its certificate",
			got["widget-basics"])
		assert.Equal(t, "review 2026-11: gadget; every module of curriculum gadget-cert is assigned, to renew its certificate",
			got["gadget-basics"])
		// The report's line of each action names its own curriculum.
		var b strings.Builder
		require.NoError(t, rep.Text(&b))
		assert.Contains(t, b.String(), "retrain rep ann on product widget: every module of curriculum widget-cert by ")
		assert.Contains(t, b.String(), "retrain rep ann on product gadget: every module of curriculum gadget-cert by ")
	})

	t.Run("three_once_each_in_report_order", func(t *testing.T) {
		rep := run(t,
			finding("first", retrain(gadget, "gadget-cert"), retrain(widget, "widget-cert")),
			finding("second", retrain(gadget, "field-cert"), retrain(widget, "widget-cert")),
			finding("third", review.Action{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Module: "visit"}),
		)
		require.Equal(t, "first", rep.Findings[0].Summary)
		got := reasons(rep)
		assert.Equal(t, "review 2026-11: first; every module of curricula gadget-cert, widget-cert and field-cert is assigned, "+
			"to renew their certificates", got["visit"])
		for _, ar := range rep.Outcome.Assignments {
			want := map[training.ModuleID][]training.CurriculumID{
				"visit": {"gadget-cert", "widget-cert", "field-cert"}, "gadget-basics": {"gadget-cert"}, "widget-basics": {"widget-cert"},
			}[ar.Assignment.Module]
			assert.Equal(t, want, ar.Curricula, "the curricula of %s, as its reason names them", ar.Assignment.Module)
		}
		again := reasons(run(t,
			finding("first", retrain(gadget, "gadget-cert"), retrain(widget, "widget-cert")),
			finding("second", retrain(gadget, "field-cert"), retrain(widget, "widget-cert")),
			finding("third", review.Action{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Module: "visit"}),
		))
		assert.Equal(t, got, again, "the same review gives the same reasons")
	})
}

// An assignment's curricula are in its JSON form, which reads back to
// them; an assignment for no curriculum has no such member, as in the
// reports written before it was added.
func TestAssignmentCurriculaJSON(t *testing.T) {
	now := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	rule := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{Subject: review.RepSubject("ann"), Severity: review.SeverityWarning, Summary: "s", Actions: []review.Action{
			{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Curriculum: "widget-cert"},
			{Kind: review.ActionRetrain, Rep: "ann", Product: widget, Module: "visit"},
		}}}, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: sp.FixedClock(now), Rules: []review.Rule{rule},
		Curricula: func(id training.CurriculumID) ([]training.ModuleID, bool) {
			return []training.ModuleID{"widget-basics"}, id == "widget-cert"
		}})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), review.Input{Period: november})
	require.NoError(t, err)
	require.Len(t, rep.Outcome.Assignments, 2)
	for _, ar := range rep.Outcome.Assignments {
		data, err := json.Marshal(ar)
		require.NoError(t, err)
		var back review.AssignmentResult
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, ar.Curricula, back.Curricula)
		switch ar.Assignment.Module {
		case "widget-basics":
			assert.Contains(t, string(data), `"curricula":["widget-cert"]`)
		default:
			assert.NotContains(t, string(data), `"curricula"`)
		}
	}
	var b strings.Builder
	require.NoError(t, rep.WriteJSON(&b))
	back, err := review.ParseReport([]byte(b.String()))
	require.NoError(t, err)
	assert.Equal(t, rep.Outcome.Assignments, back.Outcome.Assignments)
}
