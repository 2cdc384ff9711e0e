package training_test

import (
	"context"
	"fmt"
	"iter"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

func testModules() []training.Module {
	return []training.Module{
		{ID: "p1-basics", Title: "P1 basics", Kind: training.ModuleProductKnowledge, Product: "p1", BriefVersion: v("1.0"),
			Assessment: training.Assessment{MaxScore: 10, PassMark: 8, MaxAttempts: 3}},
		{ID: "phone", Title: "Selling by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
			Assessment: training.Assessment{MaxScore: 100, PassMark: 70}},
		{ID: "web", Title: "Selling online", Kind: training.ModuleSellingTechnique, Channel: "web", Product: "p1",
			Assessment: training.Assessment{MaxScore: 100, PassMark: 70}},
	}
}

func testCurricula() []training.Curriculum {
	return []training.Curriculum{
		{ID: "p1-phone", Title: "P1 by phone", Product: "p1", Channel: "phone", Modules: []training.ModuleID{"p1-basics", "phone"}, ValidMonths: 12},
		{ID: "p1-all", Title: "P1", Product: "p1", Modules: []training.ModuleID{"p1-basics"}, ValidMonths: 6},
	}
}

type env struct {
	store   *trainingtest.MemStore
	clock   *salesprocess.SteppingClock
	trainer *training.Trainer
	ctx     context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	e := &env{store: trainingtest.NewMemStore(), clock: salesprocess.NewSteppingClock(t0.Add(time.Minute), time.Minute), ctx: context.Background()}
	e.trainer = training.NewTrainer(e.store, cat, &training.Options{Clock: e.clock})
	require.NoError(t, e.trainer.PublishBrief(e.ctx, testBrief("1.0")))
	return e
}

func (e *env) attempt(t *testing.T, id training.AttemptID, rep salesprocess.RepID, m training.ModuleID, score int) training.Attempt {
	t.Helper()
	a, err := e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: id, Rep: rep, Module: m, Score: score})
	require.NoError(t, err)
	return a
}

func TestCatalog(t *testing.T) {
	mods, curs := testModules(), testCurricula()
	for _, tc := range []struct {
		name  string
		edit  func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum)
		field string
	}{
		{"ok", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			return m, c
		}, ""},
		{"err_module_invalid", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			m[1].Title = ""
			return m, c
		}, "modules[1].title"},
		{"err_module_twice", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			return append(m, m[0]), c
		}, "modules[3].id"},
		{"err_curriculum_invalid", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			c[0].ValidMonths = 0
			return m, c
		}, "curricula[0].valid_months"},
		{"err_curriculum_twice", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			return m, append(c, c[1])
		}, "curricula[2].id"},
		{"err_unknown_module", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			c[0].Modules = []training.ModuleID{"nope"}
			return m, c
		}, "curricula[0].modules[0]"},
		{"err_module_of_other_product", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			c[0].Product = "p2"
			return m, c
		}, "curricula[0].modules[0]"},
		{"err_module_of_other_channel", func(m []training.Module, c []training.Curriculum) ([]training.Module, []training.Curriculum) {
			c[0].Modules = []training.ModuleID{"web"}
			return m, c
		}, "curricula[0].modules[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := tc.edit(append([]training.Module(nil), mods...), append([]training.Curriculum(nil), curs...))
			cat, err := training.NewCatalog(m, c)
			assertField(t, err, tc.field)
			if tc.field == "" {
				got, ok := cat.Curriculum("p1-phone")
				require.True(t, ok)
				got.Modules[0] = "changed"
				again, _ := cat.Curriculum("p1-phone")
				assert.Equal(t, training.ModuleID("p1-basics"), again.Modules[0], "the catalog hands out copies")
				assert.Len(t, cat.Curricula("p1"), 2)
				assert.Empty(t, cat.Curricula("p2"))
				_, ok = cat.Module("phone")
				assert.True(t, ok)
			} else {
				assert.Nil(t, cat)
			}
		})
	}
	t.Run("ok_copies", func(t *testing.T) {
		curs := testCurricula()
		cat, err := training.NewCatalog(testModules(), curs)
		require.NoError(t, err)
		curs[0].Modules[0] = "changed"
		got, _ := cat.Curriculum("p1-phone")
		assert.Equal(t, []training.ModuleID{"p1-basics", "phone"}, got.Modules, "NewCatalog copies the slices")
		list := cat.Curricula("p1")
		require.Len(t, list, 2)
		list[0].Modules[0] = "changed"
		assert.Equal(t, testCurricula(), cat.Curricula("p1"), "Curricula hands out copies")
	})
	t.Run("ok_nil_catalog", func(t *testing.T) {
		var cat *training.Catalog
		_, ok := cat.Module("x")
		assert.False(t, ok)
		_, ok = cat.Curriculum("x")
		assert.False(t, ok)
		assert.Nil(t, cat.Curricula("p1"))
		tr := training.NewTrainer(trainingtest.NewMemStore(), nil, nil)
		_, ok = tr.Catalog().Module("x")
		assert.False(t, ok)
	})
}

func TestModuleValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*training.Module)
		field string
	}{
		{"ok", func(*training.Module) {}, ""},
		{"err_id", func(m *training.Module) { m.ID = "" }, "module.id"},
		{"err_kind", func(m *training.Module) { m.Kind = "x" }, "module.kind"},
		{"err_channel", func(m *training.Module) { m.Channel = " x" }, "module.channel"},
		{"err_product_id", func(m *training.Module) { m.Product = " x" }, "module.product"},
		{"err_product_missing", func(m *training.Module) { m.Product = "" }, "module.product"},
		{"err_brief_version", func(m *training.Module) { m.BriefVersion = training.Version{} }, "module.brief_version"},
		{"err_technique_without_channel", func(m *training.Module) { m.Kind = training.ModuleSellingTechnique }, "module.channel"},
		{"err_technique_with_version", func(m *training.Module) { m.Kind, m.Channel = training.ModuleSellingTechnique, "web" }, "module.brief_version"},
		{"err_product_with_channel", func(m *training.Module) { m.Channel = "web" }, "module.channel"},
		{"err_max_score", func(m *training.Module) { m.Assessment.MaxScore = 0 }, "module.assessment.max_score"},
		{"ok_pass_mark_max", func(m *training.Module) { m.Assessment.PassMark = m.Assessment.MaxScore }, ""},
		{"err_pass_mark", func(m *training.Module) { m.Assessment.PassMark = 11 }, "module.assessment.pass_mark"},
		{"err_attempts", func(m *training.Module) { m.Assessment.MaxAttempts = -1 }, "module.assessment.max_attempts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testModules()[0]
			tc.edit(&m)
			assertField(t, m.Validate(), tc.field)
		})
	}
	assert.True(t, training.Assessment{MaxScore: 10, PassMark: 8}.Passes(8))
	assert.False(t, training.Assessment{MaxScore: 10, PassMark: 8}.Passes(7))
	assert.False(t, training.Assessment{MaxScore: 10, PassMark: 8}.Passes(11))
	// An assessment that Module.Validate refuses, the zero one among them,
	// passes no score.
	for _, a := range []training.Assessment{{}, {MaxScore: 10}, {MaxScore: 10, PassMark: -1}, {MaxScore: 5, PassMark: 8}} {
		for _, score := range []int{-1, 0, 5, 8, 10} {
			assert.False(t, a.Passes(score), "%+v passes %d", a, score)
		}
	}
}

func TestCurriculumValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*training.Curriculum)
		field string
	}{
		{"ok", func(*training.Curriculum) {}, ""},
		{"err_id", func(c *training.Curriculum) { c.ID = "" }, "curriculum.id"},
		{"err_title", func(c *training.Curriculum) { c.Title = "" }, "curriculum.title"},
		{"err_product", func(c *training.Curriculum) { c.Product = "" }, "curriculum.product"},
		{"err_channel", func(c *training.Curriculum) { c.Channel = " " }, "curriculum.channel"},
		{"err_no_modules", func(c *training.Curriculum) { c.Modules = nil }, "curriculum.modules"},
		{"err_module_id", func(c *training.Curriculum) { c.Modules = []training.ModuleID{""} }, "curriculum.modules[0]"},
		{"err_module_twice", func(c *training.Curriculum) { c.Modules = []training.ModuleID{"a", "a"} }, "curriculum.modules[1]"},
		{"ok_valid_months_max", func(c *training.Curriculum) { c.ValidMonths = training.MaxValidMonths }, ""},
		{"err_valid_months", func(c *training.Curriculum) { c.ValidMonths = training.MaxValidMonths + 1 }, "curriculum.valid_months"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testCurricula()[0]
			tc.edit(&c)
			assertField(t, c.Validate(), tc.field)
		})
	}
}

func TestAttemptValidate(t *testing.T) {
	ok := training.Attempt{ID: "a1", Rep: "r1", Module: "m1", BriefVersion: v("1.0"), Score: 3, Time: t0}
	for _, tc := range []struct {
		name  string
		edit  func(*training.Attempt)
		field string
	}{
		{"ok", func(*training.Attempt) {}, ""},
		{"err_id", func(a *training.Attempt) { a.ID = "" }, "attempt.id"},
		{"err_rep", func(a *training.Attempt) { a.Rep = "" }, "attempt.rep"},
		{"err_module", func(a *training.Attempt) { a.Module = "" }, "attempt.module"},
		{"err_version", func(a *training.Attempt) { a.BriefVersion = training.Version{Major: -1} }, "attempt.brief_version"},
		{"err_score", func(a *training.Attempt) { a.Score = -1 }, "attempt.score"},
		{"err_time", func(a *training.Attempt) { a.Time = time.Time{} }, "attempt.time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ok
			tc.edit(&a)
			assertField(t, a.Validate(), tc.field)
		})
	}
}

func TestRecordAttempt(t *testing.T) {
	e := newEnv(t)
	a := e.attempt(t, "a1", "r1", "p1-basics", 7)
	assert.False(t, a.Passed)
	assert.Equal(t, v("1.0"), a.BriefVersion)
	assert.True(t, a.Time.Equal(t0.Add(time.Minute)), "the clock's time, after the brief's publication")
	a = e.attempt(t, "a2", "r1", "p1-basics", 8)
	assert.True(t, a.Passed)

	for _, tc := range []struct {
		name string
		a    training.Attempt
		want error
	}{
		{"err_unknown_module", training.Attempt{ID: "x1", Rep: "r1", Module: "nope", Score: 1}, salesprocess.ErrInvalid},
		{"err_score_above_max", training.Attempt{ID: "x2", Rep: "r1", Module: "p1-basics", Score: 11}, salesprocess.ErrInvalid},
		{"err_negative_score", training.Attempt{ID: "x3", Rep: "r1", Module: "p1-basics", Score: -1}, salesprocess.ErrInvalid},
		{"err_duplicate", training.Attempt{ID: "a1", Rep: "r2", Module: "p1-basics", Score: 1}, salesprocess.ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.trainer.RecordAttempt(e.ctx, tc.a)
			require.ErrorIs(t, err, tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "training: record attempt: "), err.Error())
		})
	}
	t.Run("err_attempts_used_up", func(t *testing.T) {
		// a2 passed: the attempts before it no longer count, the three
		// failed ones after it do.
		e.attempt(t, "a3", "r1", "p1-basics", 2)
		e.attempt(t, "a5", "r1", "p1-basics", 3)
		e.attempt(t, "a6", "r1", "p1-basics", 4)
		_, err := e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a4", Rep: "r1", Module: "p1-basics", Score: 9})
		require.ErrorIs(t, err, salesprocess.ErrForbidden)
		_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a3", Rep: "r1", Module: "p1-basics", Score: 2})
		require.ErrorIs(t, err, salesprocess.ErrDuplicate, "a retry of the rep's own attempt")
		e.attempt(t, "b1", "r2", "p1-basics", 9) // another rep has their own attempts
		e.attempt(t, "c1", "r1", "phone", 1)     // no limit on this module
		// As documented, an ID stored for another rep is not looked up
		// before the limit: the store has no lookup by ID.
		_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "b1", Rep: "r1", Module: "p1-basics", Score: 9})
		require.ErrorIs(t, err, salesprocess.ErrForbidden)
	})
	t.Run("ok_attempts_per_major_version", func(t *testing.T) {
		// The module moves to brief 2.0: r1's three attempts on 1.0 do not count.
		mods := testModules()
		mods[0].BriefVersion = v("2.0")
		cat, err := training.NewCatalog(mods, nil)
		require.NoError(t, err)
		tr := training.NewTrainer(e.store, cat, &training.Options{Clock: e.clock})
		for _, id := range []training.AttemptID{"d1", "d2", "d3"} {
			a, err := tr.RecordAttempt(e.ctx, training.Attempt{ID: id, Rep: "r1", Module: "p1-basics", Score: 1})
			require.NoError(t, err)
			assert.Equal(t, v("2.0"), a.BriefVersion)
		}
		_, err = tr.RecordAttempt(e.ctx, training.Attempt{ID: "d4", Rep: "r1", Module: "p1-basics", Score: 1})
		require.ErrorIs(t, err, salesprocess.ErrForbidden)
	})
}

func TestCertify(t *testing.T) {
	e := newEnv(t)
	_, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.Equal(t, []training.ModuleID{"p1-basics", "phone"}, ie.Missing)
	assert.Contains(t, err.Error(), "p1-basics, phone")

	e.attempt(t, "a1", "r1", "p1-basics", 9)
	e.attempt(t, "a2", "r1", "phone", 50)
	p, err := e.trainer.Progress(e.ctx, "r1", "p1-phone", e.clock.Peek())
	require.NoError(t, err)
	assert.False(t, p.Complete)
	assert.Equal(t, []training.ModuleProgress{
		{Module: "p1-basics", Attempts: 1, BestScore: 9, Passed: true, PassedAt: t0.Add(2 * time.Minute)},
		{Module: "phone", Attempts: 1, BestScore: 50},
	}, p.Modules)
	e.attempt(t, "a3", "r1", "phone", 80)

	c, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	issued := t0.Add(5 * time.Minute)
	assert.Equal(t, training.Certificate{Rep: "r1", Product: "p1", Channel: "phone", BriefVersion: v("1.0"), Curriculum: "p1-phone",
		Issued: issued, Expires: issued.AddDate(1, 0, 0)}, c)

	r := e.trainer.Readiness()
	require.NoError(t, r.Eligible(e.ctx, "r1", "p1", "phone", issued.Add(time.Hour)))
	err = r.Eligible(e.ctx, "r1", "p1", "web", issued.Add(time.Hour))
	var nre *training.NotReadyError
	require.ErrorAs(t, err, &nre)
	assert.True(t, nre.Has(training.ReasonWrongChannel))

	// A major version of the brief sends the rep back to training.
	b2 := testBrief("2.0")
	b2.Published = issued.Add(24 * time.Hour)
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b2))
	err = r.Eligible(e.ctx, "r1", "p1", "phone", b2.Published)
	require.ErrorAs(t, err, &nre)
	assert.True(t, nre.Has(training.ReasonBriefOutdated))

	e.clock.Set(b2.Published.Add(time.Hour))
	p, err = e.trainer.Progress(e.ctx, "r1", "p1-phone", e.clock.Peek())
	require.NoError(t, err)
	assert.False(t, p.Modules[0].Passed, "attempts on brief 1.x do not count for 2.0")
	assert.Equal(t, 0, p.Modules[0].Attempts)
	assert.Contains(t, p.Modules[0].Detail, "teaches brief 1.0")
	assert.True(t, p.Modules[1].Passed)
	// The outdated certificate is not renewed from the passes that earned
	// it; passes since its issue on brief 1.x do not count either.
	_, err = e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []training.ModuleID{"p1-basics", "phone"}, ie.Missing)
	e.attempt(t, "a4", "r1", "p1-basics", 9)
	e.attempt(t, "a5", "r1", "phone", 80)
	_, err = e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []training.ModuleID{"p1-basics"}, ie.Missing)
	assert.Contains(t, err.Error(), "modules not passed since "+issued.Format(time.RFC3339)+": p1-basics (brief 2.0 is in force and needs a pass on major version 2; "+
		"passed on brief 1.0; the module teaches brief 1.0)", "the error says which version is needed and which was passed")
	assert.True(t, ie.Since.Equal(issued), "Since is the earlier certificate's issue: %s", ie.Since)
	assert.Equal(t, []string{"brief 2.0 is in force and needs a pass on major version 2; passed on brief 1.0; the module teaches brief 1.0"}, ie.Notes,
		"a host reads each missing module's note from the error's fields")

	t.Run("err_progress", func(t *testing.T) {
		_, err := e.trainer.Progress(e.ctx, "", "p1-phone", t0)
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
		_, err = e.trainer.Progress(e.ctx, "r1", "nope", t0)
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
		_, err = e.trainer.Progress(e.ctx, "r1", "p1-phone", t0.Add(-1))
		require.ErrorIs(t, err, salesprocess.ErrNotFound)
		_, err = e.trainer.Certify(e.ctx, "", "p1-phone")
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
	})
}

// Progress counts the attempts made up to its time, and a module is passed
// at its first passing attempt.
func TestProgressUpToItsTime(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(t0.Add(3 * time.Hour)) // the attempts are recorded once made
	for i, score := range []int{9, 8, 10} {
		_, err := e.trainer.RecordAttempt(e.ctx, training.Attempt{
			ID: training.AttemptID("a" + itoa(i)), Rep: "r1", Module: "p1-basics", Score: score, Time: t0.Add(time.Duration(i+1) * time.Hour),
		})
		require.NoError(t, err)
	}
	p, err := e.trainer.Progress(e.ctx, "r1", "p1-all", t0.Add(150*time.Minute))
	require.NoError(t, err)
	assert.True(t, p.Complete)
	assert.Equal(t, []training.ModuleProgress{
		{Module: "p1-basics", Attempts: 2, BestScore: 9, Passed: true, PassedAt: t0.Add(time.Hour)},
	}, p.Modules, "the attempt at t0+3h is after the time asked about; the first pass is at t0+1h")

	p, err = e.trainer.Progress(e.ctx, "r1", "p1-all", t0.Add(time.Hour-1))
	require.NoError(t, err)
	assert.False(t, p.Complete)
	assert.Equal(t, []training.ModuleProgress{{Module: "p1-basics"}}, p.Modules)
}

func TestPublishBrief(t *testing.T) {
	e := newEnv(t)
	require.ErrorIs(t, e.trainer.PublishBrief(e.ctx, testBrief("1.0")), salesprocess.ErrDuplicate)
	require.ErrorIs(t, e.trainer.PublishBrief(e.ctx, training.Brief{}), salesprocess.ErrInvalid)
}

func TestAssignments(t *testing.T) {
	e := newEnv(t)
	a, err := e.trainer.AssignModule(e.ctx, training.Assignment{ID: "x1", Rep: "r1", Module: "phone", Due: t0.Add(7 * day), Reason: "conversion below peers", AssignedBy: "m1"})
	require.NoError(t, err)
	assert.True(t, a.Assigned.Equal(t0.Add(time.Minute)))
	_, err = e.trainer.AssignModule(e.ctx, training.Assignment{ID: "x2", Rep: "r2", Module: "p1-basics", Due: t0.Add(3 * day), Assigned: t0})
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		a    training.Assignment
		want error
	}{
		{"err_unknown_module", training.Assignment{ID: "x3", Rep: "r1", Module: "nope", Due: t0.Add(day)}, salesprocess.ErrInvalid},
		{"err_due_before", training.Assignment{ID: "x3", Rep: "r1", Module: "phone", Due: t0.Add(-day)}, salesprocess.ErrInvalid},
		{"err_duplicate", training.Assignment{ID: "x1", Rep: "r1", Module: "phone", Due: t0.Add(day)}, salesprocess.ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.trainer.AssignModule(e.ctx, tc.a)
			require.ErrorIs(t, err, tc.want)
		})
	}

	// r1 passed the module before the assignment: that does not count.
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a0", Rep: "r1", Module: "phone", Score: 90, Time: t0})
	require.NoError(t, err)
	e.clock.Set(t0.Add(2 * day)) // the pass is recorded once made
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "phone", Score: 90, Time: t0.Add(2 * day)})
	require.NoError(t, err)

	got, err := e.trainer.Assignments(e.ctx, "", t0.Add(5*day))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, training.AssignmentID("x2"), got[0].Assignment.ID)
	assert.False(t, got[0].Done)
	assert.True(t, got[0].Overdue)
	assert.True(t, got[1].Done)
	assert.True(t, got[1].DoneAt.Equal(t0.Add(2*day)))
	assert.False(t, got[1].Overdue)

	got, err = e.trainer.Assignments(e.ctx, "r1", t0.Add(day))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.False(t, got[0].Done, "not done as of a time before the passing attempt")
	assert.False(t, got[0].Overdue)

	// x2 is due at t0+3d: overdue from that instant on, not before.
	got, err = e.trainer.Assignments(e.ctx, "r2", t0.Add(3*day-1))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.False(t, got[0].Overdue)
	got, err = e.trainer.Assignments(e.ctx, "r2", t0.Add(3*day))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, got[0].Overdue, "overdue at the due time")

	// A pass at the very instant of the assignment counts, as of that very
	// instant: "at or after the assignment", and by the time asked about.
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a2", Rep: "r2", Module: "p1-basics", Score: 10, Time: t0})
	require.NoError(t, err)
	got, err = e.trainer.Assignments(e.ctx, "r2", t0)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, got[0].Done, "passed at the assignment's instant, asked at it")
	assert.True(t, got[0].DoneAt.Equal(t0))

	t.Run("err_validate", func(t *testing.T) {
		ok := training.Assignment{ID: "x1", Rep: "r1", Module: "m", Due: t0.Add(day), Assigned: t0}
		for _, tc := range []struct {
			name  string
			edit  func(*training.Assignment)
			field string
		}{
			{"err_id", func(a *training.Assignment) { a.ID = "" }, "assignment.id"},
			{"err_rep", func(a *training.Assignment) { a.Rep = "" }, "assignment.rep"},
			{"err_module", func(a *training.Assignment) { a.Module = "" }, "assignment.module"},
			{"err_by", func(a *training.Assignment) { a.AssignedBy = " m" }, "assignment.assigned_by"},
			{"err_reason", func(a *training.Assignment) { a.Reason = "\xff" }, "assignment.reason"},
			{"err_assigned", func(a *training.Assignment) { a.Assigned = time.Time{} }, "assignment.assigned"},
			{"err_due_at_assigned", func(a *training.Assignment) { a.Due = a.Assigned }, "assignment.due"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := ok
				tc.edit(&a)
				assertField(t, a.Validate(), tc.field)
			})
		}
	})
}

func TestOnboard(t *testing.T) {
	e := newEnv(t)
	goal, err := salesprocess.ParseMoney("10000.00 EUR")
	require.NoError(t, err)
	o := training.Onboarding{Rep: "r1", Region: "north", Start: t0.Add(30 * day), MonthlyGoal: goal,
		Ramp: []decimal.Decimal{dec("0.25"), dec("0.5"), dec("0.75")}}

	_, err = e.trainer.Onboard(e.ctx, o)
	var nre *training.NotReadyError
	require.ErrorAs(t, err, &nre)
	assert.Equal(t, []training.ReasonCode{training.ReasonNoCertificate}, codes(nre))

	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"), Issued: t0, Expires: t0.Add(10 * day)}))
	_, err = e.trainer.Onboard(e.ctx, o)
	require.ErrorAs(t, err, &nre)
	assert.Equal(t, []training.ReasonCode{training.ReasonExpired}, codes(nre))

	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", Channel: "web", BriefVersion: v("1.0"), Issued: t0, Expires: t0.Add(100 * day)}))
	got, err := e.trainer.Onboard(e.ctx, o)
	require.NoError(t, err)
	assert.Equal(t, o.Rep, got.Rep)

	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{})
	require.ErrorIs(t, err, salesprocess.ErrInvalid)

	t.Run("err_outdated", func(t *testing.T) {
		e := newEnv(t)
		b2 := testBrief("2.0")
		b2.Published = t0.Add(day)
		require.NoError(t, e.trainer.PublishBrief(e.ctx, b2))
		require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"), Issued: t0, Expires: t0.Add(100 * day)}))
		_, err := e.trainer.Onboard(e.ctx, o)
		require.ErrorAs(t, err, &nre)
		require.ErrorIs(t, err, salesprocess.ErrForbidden)
		assert.Equal(t, []training.ReasonCode{training.ReasonBriefOutdated}, codes(nre), "a certificate earned on brief 1.0 is not valid under 2.0")
	})

	t.Run("at_start", func(t *testing.T) {
		// The certificate must be valid at o.Start itself: one issued
		// then is, one that expires then is not (valid up to, not
		// including, its expiry).
		start := o
		start.Start = t0.Add(10 * day)
		e := newEnv(t)
		require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"), Issued: t0, Expires: start.Start}))
		_, err := e.trainer.Onboard(e.ctx, start)
		require.ErrorAs(t, err, &nre)
		assert.Equal(t, []training.ReasonCode{training.ReasonExpired}, codes(nre), "expired at Start")
		e = newEnv(t)
		require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", BriefVersion: v("1.0"), Issued: start.Start, Expires: t0.Add(100 * day)}))
		_, err = e.trainer.Onboard(e.ctx, start)
		require.NoError(t, err, "issued at Start")
	})

	s := failing{e.store, "ListCertificates"}
	_, err = training.NewTrainer(s, nil, nil).Onboard(e.ctx, o)
	require.ErrorIs(t, err, errBroken)
}

func codes(e *training.NotReadyError) []training.ReasonCode {
	var out []training.ReasonCode
	for _, r := range e.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestOnboarding(t *testing.T) {
	goal, err := salesprocess.ParseMoney("10000.00 EUR")
	require.NoError(t, err)
	ok := training.Onboarding{Rep: "r1", Region: "north", Start: t0, MonthlyGoal: goal, Ramp: []decimal.Decimal{dec("0.25"), dec("0.5")}}
	for _, tc := range []struct {
		name  string
		edit  func(*training.Onboarding)
		field string
	}{
		{"ok", func(*training.Onboarding) {}, ""},
		{"ok_no_ramp", func(o *training.Onboarding) { o.Ramp = nil }, ""},
		{"err_rep", func(o *training.Onboarding) { o.Rep = "" }, "onboarding.rep"},
		{"err_region", func(o *training.Onboarding) { o.Region = "" }, "onboarding.region"},
		{"err_start", func(o *training.Onboarding) { o.Start = time.Time{} }, "onboarding.start"},
		{"err_goal_unset", func(o *training.Onboarding) { o.MonthlyGoal = salesprocess.Money{} }, "onboarding.monthly_goal"},
		{"err_goal_zero", func(o *training.Onboarding) { o.MonthlyGoal = goal.Mul(decimal.Zero) }, "onboarding.monthly_goal"},
		{"ok_ramp_max", func(o *training.Onboarding) { o.Ramp = make([]decimal.Decimal, training.MaxRampMonths) }, ""},
		{"err_ramp_long", func(o *training.Onboarding) { o.Ramp = make([]decimal.Decimal, training.MaxRampMonths+1) }, "onboarding.ramp"},
		{"err_ramp_above_one", func(o *training.Onboarding) { o.Ramp = []decimal.Decimal{dec("1.5")} }, "onboarding.ramp[0]"},
		{"err_ramp_negative", func(o *training.Onboarding) { o.Ramp = []decimal.Decimal{dec("0.5"), dec("-0.1")} }, "onboarding.ramp[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := ok
			tc.edit(&o)
			assertField(t, o.Validate(), tc.field)
		})
	}
	assert.Equal(t, "2500.00 EUR", ok.Goal(0).Round(salesprocess.HalfUp).String())
	assert.Equal(t, "5000.00 EUR", ok.Goal(1).Round(salesprocess.HalfUp).String())
	assert.Equal(t, "10000.00 EUR", ok.Goal(2).Round(salesprocess.HalfUp).String())
	assert.True(t, ok.Factor(-1).IsZero())

	rep, err := ok.Assign(salesprocess.Rep{ID: "r1", Name: "Ann"})
	require.NoError(t, err)
	assert.Equal(t, salesprocess.RegionID("north"), rep.Region)
	rep, err = ok.Assign(salesprocess.Rep{ID: "r2", Name: "Bob"})
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.Empty(t, rep.Region)

	// An onboarding without a valid region does not take the rep out of
	// theirs, nor put them in a region that cannot be.
	for _, region := range []salesprocess.RegionID{"", "no such/region\x00"} {
		o := ok
		o.Region = region
		rep, err = o.Assign(salesprocess.Rep{ID: "r1", Name: "Ann", Region: "south"})
		require.ErrorIs(t, err, salesprocess.ErrInvalid, "region %q", region)
		assertField(t, err, "onboarding.region")
		assert.Equal(t, salesprocess.RegionID("south"), rep.Region)
	}
}

func TestPilotFlow(t *testing.T) {
	e := newEnv(t)
	p, err := e.trainer.StartPilot(e.ctx, testPilot(training.Criteria{MinUnitsSold: 10, MinAverageRating: dec("4")}))
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.Rev)
	_, err = e.trainer.StartPilot(e.ctx, testPilot(training.Criteria{}))
	require.ErrorIs(t, err, salesprocess.ErrDuplicate)
	_, err = e.trainer.StartPilot(e.ctx, training.Pilot{})
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	for _, rev := range []int64{-1, 7} { // the Rev given is ignored: a new pilot has Rev 1
		q := testPilot(training.Criteria{})
		q.ID, q.Rev = training.PilotID("rev"+itoa(int(rev+1))), rev
		got, err := e.trainer.StartPilot(e.ctx, q)
		require.NoError(t, err)
		assert.Equal(t, int64(1), got.Rev)
		stored, err := e.store.GetPilot(e.ctx, q.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), stored.Rev)
	}

	// Two days on: the sales and the feedback recorded from here on have
	// been made.
	e.clock.Set(t0.Add(2 * day))
	for _, tc := range []struct {
		name string
		s    training.Sale
		want error
	}{
		{"ok", training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 60, Time: t0}, nil},
		{"ok_last_units", training.Sale{ID: "s2", Pilot: "f1", Locality: "Shelbyville", Units: 40, Time: t0.Add(time.Hour)}, nil},
		{"err_over_quantity", training.Sale{ID: "s3", Pilot: "f1", Locality: "Shelbyville", Units: 1, Time: t0.Add(time.Hour)}, salesprocess.ErrInvalid},
		// A retry of the sale that took the last units is a duplicate,
		// not a sale beyond the quantity.
		{"err_retry_of_last_sale", training.Sale{ID: "s2", Pilot: "f1", Locality: "Shelbyville", Units: 40, Time: t0.Add(time.Hour)}, salesprocess.ErrDuplicate},
		{"err_locality", training.Sale{ID: "s3", Pilot: "f1", Locality: "Ogdenville", Units: 1, Time: t0}, salesprocess.ErrInvalid},
		{"err_outside_period", training.Sale{ID: "s3", Pilot: "f1", Locality: "Springfield", Units: 1, Time: march.Start().Add(-time.Nanosecond)}, salesprocess.ErrInvalid},
		{"err_unknown_pilot", training.Sale{ID: "s3", Pilot: "f9", Locality: "Springfield", Units: 1, Time: t0}, salesprocess.ErrNotFound},
		{"err_invalid", training.Sale{ID: "s3", Pilot: "f1", Locality: "Springfield", Units: 0, Time: t0}, salesprocess.ErrInvalid},
	} {
		t.Run("sale_"+tc.name, func(t *testing.T) {
			err := e.trainer.RecordSale(e.ctx, tc.s)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
		})
	}

	for _, f := range ratings("Springfield:5", "Shelbyville:2") {
		require.NoError(t, e.trainer.RecordFeedback(e.ctx, f))
	}
	require.ErrorIs(t, e.trainer.RecordFeedback(e.ctx, ratings("Springfield:5")[0]), salesprocess.ErrDuplicate)
	require.ErrorIs(t, e.trainer.RecordFeedback(e.ctx, salesprocess.Feedback{}), salesprocess.ErrInvalid)
	require.NoError(t, e.trainer.RecordFeedback(e.ctx, salesprocess.Feedback{ID: "c1", Product: "p1", Rating: 1, Category: salesprocess.FeedbackPrice,
		Source: salesprocess.FromCustomer, Time: t0}))

	var fb []salesprocess.FeedbackID
	for f, err := range e.trainer.FieldFeedback(e.ctx, "p1") {
		require.NoError(t, err)
		fb = append(fb, f.ID)
	}
	assert.Equal(t, []salesprocess.FeedbackID{"b0", "b1"}, fb, "field-test feedback only")
	for range e.trainer.FieldFeedback(e.ctx, "p1") {
		break
	}

	p, err = e.trainer.OpenIssue(e.ctx, "f1", training.Issue{ID: "I1", Title: "lid leaks", Severity: training.SeverityCritical, Locality: "Springfield"})
	require.NoError(t, err)
	assert.Equal(t, int64(2), p.Rev)
	// An issue ID the pilot has is a duplicate, as a retry of an issue
	// opened already is, not invalid input; the pilot keeps one.
	_, err = e.trainer.OpenIssue(e.ctx, "f1", training.Issue{ID: "I1", Title: "lid leaks", Severity: training.SeverityCritical, Locality: "Springfield"})
	require.ErrorIs(t, err, salesprocess.ErrDuplicate)
	assert.NotErrorIs(t, err, salesprocess.ErrInvalid)
	_, err = e.trainer.OpenIssue(e.ctx, "f1", training.Issue{ID: "I1", Title: "again", Severity: training.SeverityInfo})
	require.ErrorIs(t, err, salesprocess.ErrDuplicate)
	_, err = e.trainer.OpenIssue(e.ctx, "f1", training.Issue{ID: "I1", Severity: training.SeverityInfo})
	require.ErrorIs(t, err, salesprocess.ErrInvalid, "an invalid issue is invalid, whatever its ID")
	stored, err := e.store.GetPilot(e.ctx, "f1")
	require.NoError(t, err)
	assert.Len(t, stored.Issues, 1)
	assert.Equal(t, int64(2), stored.Rev)
	_, err = e.trainer.OpenIssue(e.ctx, "f9", training.Issue{ID: "I2", Title: "x", Severity: training.SeverityInfo})
	require.ErrorIs(t, err, salesprocess.ErrNotFound)

	d, err := e.trainer.Decide(e.ctx, "f1", march.End())
	require.NoError(t, err)
	assert.False(t, d.Launch)
	assert.Equal(t, []training.Criterion{training.CriterionAverageRating, training.CriterionNoBlockingIssues}, criteria(d.Unmet()))

	// Improve: the version needs a brief first.
	im := training.Improvement{Version: v("1.1"), Summary: "new seal", Resolves: []training.IssueID{"I1"}}
	_, err = e.trainer.Improve(e.ctx, "f1", im)
	require.ErrorIs(t, err, salesprocess.ErrNotFound)
	assert.Contains(t, err.Error(), `training: improve: no brief 1.1 of product "p1" (publish it before the improvement): `)
	b := testBrief("1.1")
	b.Changes = "new seal"
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b))
	for _, tc := range []struct {
		name string
		im   training.Improvement
		want error
	}{
		{"err_version_not_after", training.Improvement{Version: v("1.0"), Summary: "x"}, salesprocess.ErrInvalid},
		{"err_unknown_issue", training.Improvement{Version: v("1.1"), Summary: "x", Resolves: []training.IssueID{"I9"}}, salesprocess.ErrInvalid},
		{"err_before_issue", training.Improvement{Version: v("1.1"), Summary: "x", Resolves: []training.IssueID{"I1"}, Time: t0.Add(-day)}, salesprocess.ErrInvalid},
		{"err_invalid", training.Improvement{Version: v("1.1")}, salesprocess.ErrInvalid},
		{"err_unknown_pilot", im, salesprocess.ErrNotFound},
	} {
		t.Run("improve_"+tc.name, func(t *testing.T) {
			id := training.PilotID("f1")
			if tc.name == "err_unknown_pilot" {
				id = "f9"
			}
			_, err := e.trainer.Improve(e.ctx, id, tc.im)
			require.ErrorIs(t, err, tc.want)
		})
	}
	p, err = e.trainer.Improve(e.ctx, "f1", im)
	require.NoError(t, err)
	assert.Equal(t, v("1.1"), p.Version)
	assert.Equal(t, v("1.1"), p.Issues[0].FixedIn)
	assert.False(t, p.Issues[0].Resolved.IsZero())
	require.Len(t, p.Improvements, 1)
	_, err = e.trainer.Improve(e.ctx, "f1", training.Improvement{Version: v("1.2"), Summary: "x", Resolves: []training.IssueID{"I1"}})
	require.ErrorIs(t, err, salesprocess.ErrInvalid, "already resolved")
	// A retry of the improvement recorded is a duplicate, not a version
	// that is not after the pilot's, and changes nothing.
	_, err = e.trainer.Improve(e.ctx, "f1", im)
	require.ErrorIs(t, err, salesprocess.ErrDuplicate)
	assert.NotErrorIs(t, err, salesprocess.ErrInvalid)

	stored, err = e.store.GetPilot(e.ctx, "f1")
	require.NoError(t, err)
	assert.Equal(t, p.Rev, stored.Rev)

	d, err = e.trainer.Decide(e.ctx, "f1", march.End())
	require.NoError(t, err)
	assert.Equal(t, []training.Criterion{training.CriterionAverageRating}, criteria(d.Unmet()))
	assert.Equal(t, v("1.1"), d.Version)

	require.NoError(t, e.trainer.RecordFeedback(e.ctx, salesprocess.Feedback{ID: "b9", Product: "p1", Rating: 5, Category: salesprocess.FeedbackQuality,
		Source: salesprocess.FromFieldTest, Locality: "Shelbyville", Time: t0.Add(day)}))
	d, err = e.trainer.Decide(e.ctx, "f1", march.End())
	require.NoError(t, err)
	assert.True(t, d.Launch, "%+v", d.Unmet())

	_, err = e.trainer.Decide(e.ctx, "f9", march.End())
	require.ErrorIs(t, err, salesprocess.ErrNotFound)
}

// RecordSale adds up the units of the stored sales without wrapping
// around: stores do not validate, and two sales of MaxInt64 units leave
// nothing of the pilot's quantity.
func TestRecordSaleStoredUnitsDoNotOverflow(t *testing.T) {
	e := newEnv(t)
	_, err := e.trainer.StartPilot(e.ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	for _, id := range []training.SaleID{"h1", "h2"} {
		require.NoError(t, e.store.AddSale(e.ctx, training.Sale{ID: id, Pilot: "f1", Locality: "Springfield", Units: math.MaxInt64, Time: t0}))
	}
	err = e.trainer.RecordSale(e.ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 1, Time: t0})
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.Contains(t, err.Error(), "sale.units")
}

func criteria(rs []training.DecisionReason) []training.Criterion {
	var out []training.Criterion
	for _, r := range rs {
		out = append(out, r.Criterion)
	}
	return out
}

// TestStoreErrors checks that the trainer passes store failures on,
// wrapped.
func TestStoreErrors(t *testing.T) {
	e := newEnv(t)
	s := broken{e.store}
	tr := training.NewTrainer(s, e.trainer.Catalog(), nil)
	ctx := e.ctx
	checks := map[string]error{}
	_, checks["RecordAttempt"] = tr.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "p1-basics", Score: 1, Time: t0})
	_, checks["Progress"] = tr.Progress(ctx, "r1", "p1-phone", t0)
	_, checks["Assignments"] = tr.Assignments(ctx, "r1", t0)
	checks["RecordSale"] = tr.RecordSale(ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "x", Units: 1, Time: t0})
	_, checks["Decide"] = tr.Decide(ctx, "f1", t0)
	for _, err := range tr.FieldFeedback(ctx, "p1") {
		checks["FieldFeedback"] = err
	}
	for name, err := range checks {
		assert.ErrorIs(t, err, errBroken, name)
		assert.True(t, err != nil && strings.HasPrefix(err.Error(), "training: "), name)
	}
}

// broken is a store whose listings and pilot reads fail.
type broken struct{ *trainingtest.MemStore }

func (broken) ListAttempts(context.Context, salesprocess.RepID, training.ModuleID) iter.Seq2[training.Attempt, error] {
	return func(yield func(training.Attempt, error) bool) { yield(training.Attempt{}, errBroken) }
}

func (broken) ListAssignments(context.Context, salesprocess.RepID) iter.Seq2[training.Assignment, error] {
	return func(yield func(training.Assignment, error) bool) { yield(training.Assignment{}, errBroken) }
}

func (broken) ListFeedback(context.Context, salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return func(yield func(salesprocess.Feedback, error) bool) { yield(salesprocess.Feedback{}, errBroken) }
}

func (broken) GetPilot(context.Context, training.PilotID) (training.Pilot, error) {
	return training.Pilot{}, errBroken
}

func (b broken) BriefAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Brief, error) {
	return b.MemStore.BriefAt(ctx, p, at.Add(24*time.Hour))
}

func (b broken) BriefVersionAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Version, error) {
	return b.MemStore.BriefVersionAt(ctx, p, at.Add(24*time.Hour))
}

// brokenWrites is a MemStore whose writes fail.
type brokenWrites struct{ *trainingtest.MemStore }

func (brokenWrites) AddBrief(context.Context, training.Brief) error             { return errBroken }
func (brokenWrites) PutCertificate(context.Context, training.Certificate) error { return errBroken }
func (brokenWrites) AddAttempt(context.Context, training.Attempt) error         { return errBroken }
func (brokenWrites) AddAssignment(context.Context, training.Assignment) error   { return errBroken }
func (brokenWrites) CreatePilot(context.Context, training.Pilot) error          { return errBroken }
func (brokenWrites) UpdatePilot(context.Context, training.Pilot, int64) error   { return errBroken }
func (brokenWrites) AddSale(context.Context, training.Sale) error               { return errBroken }
func (brokenWrites) AddFeedback(context.Context, salesprocess.Feedback) error   { return errBroken }
func (brokenWrites) AddSaleWithin(context.Context, training.Sale, int64) (int64, bool, error) {
	return 0, false, errBroken
}

// A failed write is returned wrapped, with the package and the operation.
func TestStoreWriteErrors(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	_, err := e.trainer.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	b11 := testBrief("1.1")
	require.NoError(t, e.trainer.PublishBrief(ctx, b11))

	tr := training.NewTrainer(brokenWrites{e.store}, e.trainer.Catalog(), &training.Options{Clock: e.clock})
	checks := map[string]error{}
	checks["training: publish brief "] = tr.PublishBrief(ctx, testBrief("1.2"))
	_, checks["training: record attempt: "] = tr.RecordAttempt(ctx, training.Attempt{ID: "a2", Rep: "r1", Module: "phone", Score: 1})
	_, checks["training: certify: "] = tr.Certify(ctx, "r1", "p1-all")
	_, checks["training: assign module: "] = tr.AssignModule(ctx, training.Assignment{ID: "x1", Rep: "r1", Module: "phone", Due: t0.Add(day)})
	p2 := testPilot(training.Criteria{})
	p2.ID = "f2"
	_, checks["training: start pilot: "] = tr.StartPilot(ctx, p2)
	checks["training: record sale: "] = tr.RecordSale(ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 1, Time: t0})
	checks["training: record feedback: "] = tr.RecordFeedback(ctx, ratings("Springfield:4")[0])
	_, checks["training: open issue: "] = tr.OpenIssue(ctx, "f1", training.Issue{ID: "I1", Title: "lid", Severity: training.SeverityInfo})
	_, checks["training: improve: "] = tr.Improve(ctx, "f1", training.Improvement{Version: b11.Version, Summary: "new lid"})
	for prefix, err := range checks {
		require.ErrorIs(t, err, errBroken, prefix)
		assert.True(t, strings.HasPrefix(err.Error(), prefix), "%q does not start with %q", err, prefix)
	}
}

// TestNoStore checks that services without a store, and nil services,
// fail with errors instead of panicking.
func TestNoStore(t *testing.T) {
	ctx := context.Background()
	var nilTrainer *training.Trainer
	for name, tr := range map[string]*training.Trainer{"nil_trainer": nilTrainer, "nil_store": training.NewTrainer(nil, nil, nil)} {
		t.Run(name, func(t *testing.T) {
			errs := map[string]error{}
			errs["PublishBrief"] = tr.PublishBrief(ctx, testBrief("1.0"))
			_, errs["RecordAttempt"] = tr.RecordAttempt(ctx, training.Attempt{ID: "a", Rep: "r", Module: "m", Time: t0})
			_, errs["Progress"] = tr.Progress(ctx, "r1", "c1", t0)
			_, errs["Certify"] = tr.Certify(ctx, "r1", "c1")
			_, errs["AssignModule"] = tr.AssignModule(ctx, training.Assignment{ID: "x", Rep: "r", Module: "m", Due: t0.Add(day), Assigned: t0})
			_, errs["Assignments"] = tr.Assignments(ctx, "r1", t0)
			goal, _ := salesprocess.ParseMoney("1.00 EUR")
			_, errs["Onboard"] = tr.Onboard(ctx, training.Onboarding{Rep: "r", Region: "x", Start: t0, MonthlyGoal: goal})
			_, errs["StartPilot"] = tr.StartPilot(ctx, testPilot(training.Criteria{}))
			errs["RecordSale"] = tr.RecordSale(ctx, training.Sale{ID: "s", Pilot: "f1", Locality: "x", Units: 1, Time: t0})
			errs["RecordFeedback"] = tr.RecordFeedback(ctx, ratings("Springfield:4")[0])
			_, errs["OpenIssue"] = tr.OpenIssue(ctx, "f1", training.Issue{ID: "i", Title: "t", Severity: training.SeverityInfo})
			_, errs["Improve"] = tr.Improve(ctx, "f1", training.Improvement{Version: v("1.1"), Summary: "s"})
			_, errs["Decide"] = tr.Decide(ctx, "f1", t0)
			for _, err := range tr.FieldFeedback(ctx, "p1") {
				errs["FieldFeedback"] = err
			}
			r := tr.Readiness()
			errs["Eligible"] = r.Eligible(ctx, "r1", "p1", "web", t0)
			_, errs["Status"] = r.Status(ctx, "r1", "p1", t0)
			window, _ := salesprocess.NewPeriod(t0, t0.Add(day))
			for _, err := range r.Expiring(ctx, window) {
				errs["Expiring"] = err
			}
			for op, err := range errs {
				assert.ErrorIs(t, err, salesprocess.ErrInvalid, op)
				if err != nil {
					assert.Equal(t, 1, strings.Count(err.Error(), "training:"), "%s names the package once: %v", op, err)
				}
			}
		})
	}
	var r *training.Readiness
	require.ErrorIs(t, r.Eligible(ctx, "r1", "p1", "web", t0), salesprocess.ErrInvalid)
	_, err := r.Status(ctx, "r1", "p1", t0)
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	for _, err := range training.NewReadiness(nil, nil, nil).Expiring(ctx, march) {
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
	}
}

// A certificate valid for n calendar months from January 31 expires at the
// end of the month n months on when that month is shorter, not days into
// the next one.
func TestCertifyExpiresAfterCalendarMonths(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	newYork, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	havana, err := time.LoadLocation("America/Havana")
	require.NoError(t, err)
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	require.NoError(t, err)
	auckland, err := time.LoadLocation("Pacific/Auckland")
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		issued time.Time
		months int
		want   time.Time
	}{
		{"jan31_plus_1", time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC), 1, time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC)},
		{"jan31_plus_1_leap", time.Date(2028, 1, 31, 9, 0, 0, 0, time.UTC), 1, time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC)},
		{"feb29_plus_12", time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC), 12, time.Date(2029, 2, 28, 9, 0, 0, 0, time.UTC)},
		{"aug31_plus_1", time.Date(2026, 8, 31, 9, 0, 0, 0, time.UTC), 1, time.Date(2026, 9, 30, 9, 0, 0, 0, time.UTC)},
		{"mar15_plus_6", time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC), 6, time.Date(2026, 9, 15, 9, 0, 0, 0, time.UTC)},
		// The months are counted in the clock's zone: January 31 in Tokyo
		// is January 30 in UTC, whose month would end on February 28 at
		// 20:00 UTC.
		{"jan31_tokyo_plus_1", time.Date(2026, 1, 31, 5, 0, 0, 0, tokyo), 1, time.Date(2026, 2, 28, 5, 0, 0, 0, tokyo)},
		// New York's clocks spring forward on March 8, 2026: 02:30 does
		// not exist that day and becomes 03:30.
		{"feb8_new_york_plus_1", time.Date(2026, 2, 8, 2, 30, 0, 0, newYork), 1, time.Date(2026, 3, 8, 3, 30, 0, 0, newYork)},
		// Havana's spring forward at midnight skips 00:30 on March 8.
		{"feb8_havana_plus_1", time.Date(2026, 2, 8, 0, 30, 0, 0, havana), 1, time.Date(2026, 3, 8, 1, 30, 0, 0, havana)},
		// Where clocks turn back over the time of day, it comes twice and
		// the certificate expires at the first, whatever side of UTC the
		// zone is on: Lisbon turns back from 02:00 to 01:00 on October
		// 25, 2026, New York from 02:00 to 01:00 on November 1, and
		// Havana from 01:00 to midnight that day.
		{"sep25_lisbon_plus_1", time.Date(2026, 9, 25, 1, 30, 0, 0, lisbon), 1, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC).In(lisbon)},
		{"oct1_new_york_plus_1", time.Date(2026, 10, 1, 1, 30, 0, 0, newYork), 1, time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC).In(newYork)},
		{"oct1_havana_plus_1", time.Date(2026, 10, 1, 0, 30, 0, 0, havana), 1, time.Date(2026, 11, 1, 4, 30, 0, 0, time.UTC).In(havana)},
		// A rep in Auckland certified at 09:00 on March 1, 2027 (+13:00)
		// by a trainer whose clock reads UTC, where it is 20:00 on
		// February 28, holds the certificate for one month of UTC's
		// calendar, to 09:00 on March 29 in Auckland; by a clock in
		// Auckland's zone, to 09:00 on April 1 (+13:00 still; clocks turn
		// back on April 4).
		{"mar1_auckland_clock_in_utc_plus_1", time.Date(2027, 3, 1, 9, 0, 0, 0, auckland).UTC(), 1, time.Date(2027, 3, 29, 9, 0, 0, 0, auckland).UTC()},
		{"mar1_auckland_clock_in_auckland_plus_1", time.Date(2027, 3, 1, 9, 0, 0, 0, auckland), 1, time.Date(2027, 4, 1, 9, 0, 0, 0, auckland)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mods := []training.Module{{ID: "phone", Title: "Selling by phone", Kind: training.ModuleSellingTechnique, Channel: "phone",
				Assessment: training.Assessment{MaxScore: 100, PassMark: 70}}}
			curs := []training.Curriculum{{ID: "c", Title: "C", Product: "p1", Modules: []training.ModuleID{"phone"}, ValidMonths: tc.months}}
			cat, err := training.NewCatalog(mods, curs)
			require.NoError(t, err)
			ctx := context.Background()
			tr := training.NewTrainer(trainingtest.NewMemStore(), cat, &training.Options{Clock: salesprocess.FixedClock(tc.issued)})
			b := testBrief("1.0")
			b.Published = tc.issued.AddDate(-1, 0, 0)
			require.NoError(t, tr.PublishBrief(ctx, b))
			_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "phone", Score: 80})
			require.NoError(t, err)
			c, err := tr.Certify(ctx, "r1", "c")
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Expires)
		})
	}
}

// Onboard's reasons are one per product, from the best certificate on any
// channel, and name no channel, though the certificate judged is for one.
func TestOnboardReasonsPerProduct(t *testing.T) {
	e := newEnv(t)
	b := testBrief("1.0")
	b.Product = "p2"
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b))
	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", Channel: "web", BriefVersion: v("1.0"), Issued: t0, Expires: t0.Add(10 * day)}))
	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", Channel: "phone", BriefVersion: v("1.0"), Issued: t0.Add(40 * day), Expires: t0.Add(100 * day)}))
	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p2", Channel: "phone", BriefVersion: v("1.0"), Issued: t0, Expires: t0.Add(20 * day)}))
	goal, err := salesprocess.ParseMoney("10000.00 EUR")
	require.NoError(t, err)
	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "north", Start: t0.Add(30 * day), MonthlyGoal: goal})
	var nre *training.NotReadyError
	require.ErrorAs(t, err, &nre)
	assert.Equal(t, []training.Reason{
		{Code: training.ReasonExpired, Detail: `certificate for product "p1" expired at 2026-03-12T09:00:00Z`},
		{Code: training.ReasonExpired, Detail: `certificate for product "p2" expired at 2026-03-22T09:00:00Z`},
	}, nre.Reasons, "expired beats not yet valid for p1; no reason names a channel")
}

// A withdrawn certificate stays withdrawn: Certify does not issue it again
// from the passes made before the withdrawal, only from passes made at or
// after it. A retry of Certify once it has issued a certificate returns
// it unchanged.
func TestCertifyAfterWithdrawal(t *testing.T) {
	e := newEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	e.attempt(t, "a2", "r1", "phone", 80)
	c, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	again, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err, "a retry while the certificate is valid")
	assert.Equal(t, c, again, "no pass since the issue: the certificate is returned unchanged")

	// Withdrawn an hour on.
	withdrawn := again.Issued.Add(time.Hour)
	e.clock.Set(withdrawn)
	again.Expires = withdrawn
	require.NoError(t, e.store.PutCertificate(e.ctx, again))
	e.clock.Set(withdrawn.Add(time.Hour))
	_, err = e.trainer.Certify(e.ctx, "r1", "p1-phone")
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.Equal(t, []training.ModuleID{"p1-basics", "phone"}, ie.Missing)
	assert.Contains(t, err.Error(), "since "+withdrawn.Format(time.RFC3339))
	st, err := e.trainer.Readiness().Status(e.ctx, "r1", "p1", e.clock.Peek())
	require.NoError(t, err)
	assert.Equal(t, training.CertExpired, st, "the refusal changed nothing")

	// Passes after the withdrawal count; the other module's earlier pass
	// does not.
	e.attempt(t, "a3", "r1", "p1-basics", 8)
	_, err = e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []training.ModuleID{"phone"}, ie.Missing)
	e.attempt(t, "a4", "r1", "phone", 70)
	c, err = e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	require.NoError(t, e.trainer.Readiness().Eligible(e.ctx, "r1", "p1", "phone", c.Issued))
	retry, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err, "a retry")
	assert.Equal(t, c, retry)
}

// When a rep passed a module only on an earlier major version of the
// brief, Certify's error says which version is needed and which the rep
// passed on.
func TestCertifyNeedsTheVersionInForce(t *testing.T) {
	e := newEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	b2 := testBrief("2.1")
	b2.Published = t0.Add(time.Hour)
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b2))

	// The catalog's module for brief 2.0 keeps the ID of that for 1.0.
	mods := testModules()
	mods[0].BriefVersion = v("2.0")
	cat, err := training.NewCatalog(mods, testCurricula())
	require.NoError(t, err)
	tr := training.NewTrainer(e.store, cat, &training.Options{Clock: salesprocess.FixedClock(t0.Add(2 * time.Hour))})
	_, err = tr.Certify(e.ctx, "r1", "p1-all")
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []training.ModuleID{"p1-basics"}, ie.Missing)
	assert.Equal(t, `training: rep "r1" has not completed curriculum "p1-all": modules not passed: `+
		"p1-basics (brief 2.1 is in force and needs a pass on major version 2; passed on brief 1.0)", err.Error())

	// A rep who never passed it gets the module's name alone.
	_, err = tr.Certify(e.ctx, "r2", "p1-all")
	require.Error(t, err)
	assert.Equal(t, `training: rep "r2" has not completed curriculum "p1-all": modules not passed: p1-basics`, err.Error())
}

// The detail of an Onboard reason writes the certificate's state in words,
// not as its code: "not yet valid", not "not_yet_valid", and says what put
// it there, so that a host knows whether to move the start or retrain the
// rep: the time a certificate is valid from, the time one lapsed, the
// brief one was earned on.
func TestOnboardReasonDetailInWords(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.store.PutCertificate(e.ctx, training.Certificate{Rep: "r1", Product: "p1", Channel: "phone", BriefVersion: v("1.0"), Issued: t0.Add(40 * day), Expires: t0.Add(100 * day)}))
	goal, err := salesprocess.ParseMoney("10000.00 EUR")
	require.NoError(t, err)
	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "north", Start: t0.Add(30 * day), MonthlyGoal: goal})
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.EqualError(t, err, `training: rep "r1" not ready: not_yet_valid (certificate for product "p1" not yet valid: issued at 2026-04-11T09:00:00Z)`)

	b := testBrief("2.0")
	b.Published = t0.Add(50 * day)
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b))
	_, err = e.trainer.Onboard(e.ctx, training.Onboarding{Rep: "r1", Region: "north", Start: t0.Add(60 * day), MonthlyGoal: goal})
	assert.EqualError(t, err, `training: rep "r1" not ready: brief_outdated (certificate for product "p1" outdated: earned on brief 1.0, before the major version in force)`)
}

// A rep renews a certificate by passing its modules again, however small
// their limit of attempts: a pass ends the attempts counted, so that a
// module of one attempt, passed, may be taken again after the certificate
// expires. Before, the attempts were counted for good, and a renewal after
// MaxAttempts passes was refused.
func TestRecordAttemptRenewsAfterAPass(t *testing.T) {
	ctx := context.Background()
	mods := testModules()
	mods[0].Assessment.MaxAttempts = 1
	mods[1].Assessment.MaxAttempts = 1
	cat, err := training.NewCatalog(mods, testCurricula())
	require.NoError(t, err)
	clock := salesprocess.NewSteppingClock(t0.Add(time.Minute), time.Minute)
	tr := training.NewTrainer(trainingtest.NewMemStore(), cat, &training.Options{Clock: clock})
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	for year := range 4 {
		for m, score := range map[training.ModuleID]int{"p1-basics": 9, "phone": 80} {
			_, err := tr.RecordAttempt(ctx, training.Attempt{ID: training.AttemptID(fmt.Sprintf("%s-%d", m, year)), Rep: "r1", Module: m, Score: score})
			require.NoError(t, err, "year %d, module %s", year, m)
		}
		c, err := tr.Certify(ctx, "r1", "p1-phone")
		require.NoError(t, err, "year %d", year)
		clock.Set(c.Expires.Add(time.Hour))
	}
	// A failed attempt after the last pass takes the one attempt.
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "fail", Rep: "r1", Module: "phone", Score: 0})
	require.NoError(t, err)
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "again", Rep: "r1", Module: "phone", Score: 80})
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
}

// The refusal of an attempt beyond the module's limit counts in good
// grammar: "the only attempt" for a limit of one, "all 3 attempts" else.
func TestRecordAttemptLimitInWords(t *testing.T) {
	ctx := context.Background()
	mods := testModules()
	mods[0].Assessment.MaxAttempts = 1
	cat, err := training.NewCatalog(mods, testCurricula())
	require.NoError(t, err)
	store := trainingtest.NewMemStore()
	tr := training.NewTrainer(store, cat, &training.Options{Clock: salesprocess.NewSteppingClock(t0.Add(time.Minute), time.Minute)})
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "p1-basics", Score: 1})
	require.NoError(t, err)
	_, err = tr.RecordAttempt(ctx, training.Attempt{ID: "a2", Rep: "r1", Module: "p1-basics", Score: 9})
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.EqualError(t, err, `training: record attempt: rep "r1" has used the only attempt at module "p1-basics": salesprocess: forbidden`)

	e := newEnv(t)
	for _, id := range []training.AttemptID{"a1", "a2", "a3"} {
		e.attempt(t, id, "r1", "p1-basics", 1)
	}
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a4", Rep: "r1", Module: "p1-basics", Score: 9})
	assert.EqualError(t, err, `training: record attempt: rep "r1" has used all 3 attempts at module "p1-basics": salesprocess: forbidden`)
}

// The refusals that count a pilot's units and localities count one in
// the singular: "the pilot's 1 unit", "the pilot's 1 locality".
func TestPilotRefusalsCountOneInTheSingular(t *testing.T) {
	e := newEnv(t)
	p := testPilot(training.Criteria{})
	p.Quantity, p.Localities = 1, []string{"Springfield"}
	_, err := e.trainer.StartPilot(e.ctx, p)
	require.NoError(t, err)
	err = e.trainer.RecordSale(e.ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 2, Time: t0})
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.EqualError(t, err, "training: record sale: invalid sale.units: 2 wanted, 1 left of the pilot's 1 unit")

	p.Criteria.MinLocalitiesWithSales = 2
	assert.EqualError(t, p.Validate(), "invalid pilot.criteria.min_localities_with_sales: 2 is more than the pilot's 1 locality")
	p.Localities = []string{"Springfield", "Shelbyville"}
	p.Criteria.MinLocalitiesWithSales = 3
	assert.EqualError(t, p.Validate(), "invalid pilot.criteria.min_localities_with_sales: 3 is more than the pilot's 2 localities")

	// A criterion no sale can meet: the pilot sells at most its quantity.
	p.Criteria.MinLocalitiesWithSales = 0
	p.Criteria.MinUnitsSold = 2
	assert.EqualError(t, p.Validate(), "invalid pilot.criteria.min_units_sold: 2 is more than the pilot's 1 unit")
	p.Quantity = 100
	p.Criteria.MinUnitsSold = 101
	assert.EqualError(t, p.Validate(), "invalid pilot.criteria.min_units_sold: 101 is more than the pilot's 100 units")
	p.Criteria.MinUnitsSold = 100
	assert.NoError(t, p.Validate())
}

// Curricula lists a product's curricula in the order given to NewCatalog,
// interleaved as they may be with other products'.
func TestCatalogCurriculaOrder(t *testing.T) {
	products := []salesprocess.ProductID{"p1", "p2", "p3"}
	var mods []training.Module
	var curs []training.Curriculum
	for i := range 30 {
		p := products[(i*7+i/3)%len(products)]
		id := training.ModuleID("m" + strings.Repeat("x", i))
		mods = append(mods, training.Module{ID: id, Title: "t", Kind: training.ModuleProductKnowledge, Product: p, BriefVersion: v("1.0"),
			Assessment: training.Assessment{MaxScore: 10, PassMark: 8}})
		curs = append(curs, training.Curriculum{ID: training.CurriculumID("c" + strings.Repeat("y", 30-i)), Title: "t", Product: p,
			Modules: []training.ModuleID{id}, ValidMonths: 12})
	}
	cat, err := training.NewCatalog(mods, curs)
	require.NoError(t, err)
	for _, p := range append(products, "p4") {
		var want []training.Curriculum
		for _, cu := range curs {
			if cu.Product == p {
				want = append(want, cu)
			}
		}
		assert.Equal(t, want, cat.Curricula(p), "curricula of %s", p)
	}
	assert.Empty(t, (&training.Catalog{}).Curricula("p1"))
}

// The note on a module passed only on another major version of the brief
// names the latest version the rep passed it on, and a failed attempt is
// no pass to name.
func TestCertifyNoteNamesTheLatestPass(t *testing.T) {
	e := newEnv(t)
	b2 := testBrief("2.1")
	b2.Published = t0.Add(time.Hour)
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b2))
	for _, a := range []training.Attempt{
		{ID: "a1", Rep: "r1", Module: "p1-basics", BriefVersion: v("1.0"), Score: 9, Passed: true, Time: t0.Add(time.Minute)},
		{ID: "a2", Rep: "r1", Module: "p1-basics", BriefVersion: v("1.2"), Score: 9, Passed: true, Time: t0.Add(2 * time.Minute)},
		{ID: "a3", Rep: "r1", Module: "p1-basics", BriefVersion: v("1.5"), Score: 3, Time: t0.Add(3 * time.Minute)},
		{ID: "a4", Rep: "r2", Module: "p1-basics", BriefVersion: v("1.0"), Score: 3, Time: t0.Add(time.Minute)},
	} {
		require.NoError(t, e.store.AddAttempt(e.ctx, a))
	}
	mods := testModules()
	mods[0].BriefVersion = v("2.0")
	cat, err := training.NewCatalog(mods, testCurricula())
	require.NoError(t, err)
	tr := training.NewTrainer(e.store, cat, &training.Options{Clock: salesprocess.FixedClock(t0.Add(2 * time.Hour))})

	_, err = tr.Certify(e.ctx, "r1", "p1-all")
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.Equal(t, `training: rep "r1" has not completed curriculum "p1-all": modules not passed: `+
		"p1-basics (brief 2.1 is in force and needs a pass on major version 2; passed on brief 1.2)", err.Error())

	// A rep who only failed it on another major version has passed nothing.
	_, err = tr.Certify(e.ctx, "r2", "p1-all")
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.Equal(t, `training: rep "r2" has not completed curriculum "p1-all": modules not passed: p1-basics`, err.Error())
}

// noBriefAt is a store whose BriefAt must not be called: it is a
// BriefVersionSource, as MemStore is.
type noBriefAt struct {
	*trainingtest.MemStore
	t *testing.T
}

func (s noBriefAt) BriefAt(context.Context, salesprocess.ProductID, time.Time) (training.Brief, error) {
	s.t.Error("the trainer calls BriefAt of a BriefVersionSource")
	return training.Brief{}, errBroken
}

// Progress (and so Certify) reads only the version of the brief in force
// from a store that is a BriefVersionSource, with the same answers.
func TestTrainerReadsBriefVersion(t *testing.T) {
	e := newEnv(t)
	tr := training.NewTrainer(noBriefAt{e.store, t}, e.trainer.Catalog(), nil)
	for _, at := range []time.Time{t0, t0.AddDate(1, 0, 0)} {
		want, err := e.trainer.Progress(e.ctx, "r1", "p1-phone", at)
		require.NoError(t, err)
		got, err := tr.Progress(e.ctx, "r1", "p1-phone", at)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

// racingStore changes a pilot behind the Trainer's back once, between the
// Trainer's read and its write, as a concurrent writer would.
type racingStore struct {
	*trainingtest.MemStore
	raced bool
}

func (s *racingStore) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	if !s.raced {
		s.raced = true
		other, err := s.MemStore.GetPilot(ctx, p.ID)
		if err != nil {
			return err
		}
		other.Issues = append(other.Issues, training.Issue{ID: "OTHER", Title: "found elsewhere", Severity: training.SeverityInfo, Opened: t0})
		other.Rev++
		if err := s.MemStore.UpdatePilot(ctx, other, other.Rev-1); err != nil {
			return err
		}
	}
	return s.MemStore.UpdatePilot(ctx, p, expectedRev)
}

// A concurrent change of a pilot makes OpenIssue fail with ErrConflict and
// store nothing; the Trainer does not retry, and a second call, which
// reads the pilot afresh, stores the issue beside the other writer's.
func TestOpenIssueConflictStoresNothing(t *testing.T) {
	ctx := context.Background()
	store := &racingStore{MemStore: trainingtest.NewMemStore()}
	tr := training.NewTrainer(store, nil, &training.Options{Clock: salesprocess.FixedClock(t0)})
	_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	is := training.Issue{ID: "I1", Title: "lid leaks", Severity: training.SeverityCritical}
	_, err = tr.OpenIssue(ctx, "f1", is)
	require.ErrorIs(t, err, salesprocess.ErrConflict)
	p, err := store.GetPilot(ctx, "f1")
	require.NoError(t, err)
	assert.Equal(t, []training.IssueID{"OTHER"}, issueIDs(p), "the conflict stored nothing of the Trainer's")
	assert.Equal(t, int64(2), p.Rev)

	p, err = tr.OpenIssue(ctx, "f1", is)
	require.NoError(t, err)
	assert.Equal(t, []training.IssueID{"OTHER", "I1"}, issueIDs(p))
	assert.Equal(t, int64(3), p.Rev)
}

func issueIDs(p training.Pilot) []training.IssueID {
	var ids []training.IssueID
	for _, is := range p.Issues {
		ids = append(ids, is.ID)
	}
	return ids
}

// An assignment of a module gives the rep its attempts anew: a rep who
// used them all can do the retraining a review assigns. An assignment made
// after an attempt does not free that attempt.
func TestAssignmentGivesAttemptsAnew(t *testing.T) {
	e := newEnv(t)
	for _, id := range []training.AttemptID{"a1", "a2", "a3"} {
		e.attempt(t, id, "bob", "p1-basics", 1)
	}
	_, err := e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a4", Rep: "bob", Module: "p1-basics", Score: 9})
	require.ErrorIs(t, err, salesprocess.ErrForbidden, "all three used")
	attemptTime := e.clock.Now() // before the assignment
	_, err = e.trainer.AssignModule(e.ctx, training.Assignment{ID: "re-1", Rep: "bob", Module: "p1-basics", Due: t0.Add(30 * 24 * time.Hour), Reason: "review"})
	require.NoError(t, err)
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a4", Rep: "bob", Module: "p1-basics", Score: 1, Time: attemptTime})
	require.ErrorIs(t, err, salesprocess.ErrForbidden, "an attempt made before the assignment is not given anew")
	for _, id := range []training.AttemptID{"a5", "a6", "a7"} {
		e.attempt(t, id, "bob", "p1-basics", 1)
	}
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a8", Rep: "bob", Module: "p1-basics", Score: 9})
	require.ErrorIs(t, err, salesprocess.ErrForbidden, "three more, then used up again")
	_, err = e.trainer.AssignModule(e.ctx, training.Assignment{ID: "re-2", Rep: "bob", Module: "phone", Due: t0.Add(30 * 24 * time.Hour)})
	require.NoError(t, err)
	_, err = e.trainer.RecordAttempt(e.ctx, training.Attempt{ID: "a8", Rep: "bob", Module: "p1-basics", Score: 9})
	require.ErrorIs(t, err, salesprocess.ErrForbidden, "another module's assignment gives none")
}
