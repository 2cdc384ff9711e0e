package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The machines of these tests move deals: a DealStage takes any
// well-formed key, where an InquiryStage or a ServiceStage takes only the
// package's own.
type (
	testStage = pipeline.StageDef[pipeline.DealStage, *pipeline.Deal]
	testEdge  = pipeline.EdgeDef[pipeline.DealStage, *pipeline.Deal]
	testSpec  = pipeline.MachineSpec[pipeline.DealStage, *pipeline.Deal]
	testGuard = pipeline.Guard[pipeline.DealStage, *pipeline.Deal]
	testHook  = pipeline.Hook[pipeline.DealStage, *pipeline.Deal]
	testTrans = pipeline.Transition[pipeline.DealStage]
	svcTrans  = pipeline.Transition[pipeline.ServiceStage]
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func stamp(min int) pipeline.Stamp {
	return pipeline.Stamp{At: t0.Add(time.Duration(min) * time.Minute), Actor: "rep-ann"}
}

// validSpec is a small valid machine: a → b → done, b → a, done → a
// (reopen), with x → done for a stage reachable from a.
func validSpec() testSpec {
	return testSpec{
		Name: "test", Initial: "a",
		Stages: []testStage{{Stage: "a", Name: "A"}, {Stage: "b", Name: "B"}, {Stage: "done", Name: "Done", Terminal: true}},
		Edges: []testEdge{
			{From: "a", To: "b"}, {From: "b", To: "a"}, {From: "b", To: "done"},
			{From: "done", To: "a", Reopen: true},
		},
	}
}

func TestNewMachineRefuses(t *testing.T) {
	okCheck := func(context.Context, *pipeline.Deal, testTrans) error { return nil }
	tests := []struct {
		name  string
		edit  func(*testSpec)
		stage string // the stage the error must name
	}{
		{"err_no_stages", func(s *testSpec) { s.Stages = nil }, "stages"},
		{"err_too_many_stages", func(s *testSpec) {
			for i := range pipeline.MaxStages {
				s.Stages = append(s.Stages, testStage{Stage: pipeline.DealStage(fmt.Sprintf("s%d", i))})
			}
		}, "stages"},
		{"err_bad_key", func(s *testSpec) { s.Stages[1].Stage = "B stage" }, "B stage"},
		{"err_empty_key", func(s *testSpec) { s.Stages[1].Stage = "" }, "stages[1]"},
		{"err_long_key", func(s *testSpec) { s.Stages[1].Stage = pipeline.DealStage("b" + strings.Repeat("x", 64)) }, "longer than 64"},
		{"err_key_digit_first", func(s *testSpec) { s.Stages[1].Stage = "1b" }, "1b"},
		{"err_duplicate_stage", func(s *testSpec) { s.Stages = append(s.Stages, testStage{Stage: "b"}) }, "stages.b"},
		{"err_bad_name", func(s *testSpec) { s.Stages[1].Name = "line\nbreak" }, "stages.b"},
		{"err_nil_hook", func(s *testSpec) { s.Stages[1].OnEnter = []testHook{nil} }, "stages.b"},
		{"err_guard_without_check", func(s *testSpec) { s.Stages[1].Guards = []testGuard{{Name: "x"}} }, "stages.b"},
		{"err_unknown_initial", func(s *testSpec) { s.Initial = "zz" }, "zz"},
		{"err_terminal_initial", func(s *testSpec) { s.Initial = "done" }, "stages.done"},
		{"err_unknown_from", func(s *testSpec) { s.Edges = append(s.Edges, testEdge{From: "zz", To: "a"}) }, "stages.zz"},
		{"err_unknown_to", func(s *testSpec) { s.Edges = append(s.Edges, testEdge{From: "a", To: "zz"}) }, "stages.zz"},
		{"err_self_move", func(s *testSpec) { s.Edges = append(s.Edges, testEdge{From: "a", To: "a"}) }, "stages.a"},
		{"err_duplicate_move", func(s *testSpec) { s.Edges = append(s.Edges, testEdge{From: "a", To: "b"}) }, "a->b"},
		{"err_terminal_move_not_reopen", func(s *testSpec) { s.Edges = append(s.Edges, testEdge{From: "done", To: "b"}) }, "stages.done"},
		{"err_reopen_from_open", func(s *testSpec) { s.Edges = append(s.Edges, testEdge{From: "a", To: "done", Reopen: true}) }, "stages.a"},
		{"err_reopen_to_terminal", func(s *testSpec) {
			s.Stages = append(s.Stages, testStage{Stage: "gone", Terminal: true})
			s.Edges = append(s.Edges, testEdge{From: "a", To: "gone"}, testEdge{From: "done", To: "gone", Reopen: true})
		}, "stages.gone"},
		{"err_edge_guard_without_check", func(s *testSpec) { s.Edges[0].Guards = []testGuard{{Name: "x"}} }, "a->b"},
		{"err_edge_guard_bad_name", func(s *testSpec) { s.Edges[0].Guards = []testGuard{{Name: "\x00", Check: okCheck}} }, "a->b"},
		{"err_no_terminal", func(s *testSpec) { s.Stages[2].Terminal = false; s.Edges = s.Edges[:3] }, "no terminal stage"},
		{"err_unreachable", func(s *testSpec) {
			s.Stages = append(s.Stages, testStage{Stage: "island"})
			s.Edges = append(s.Edges, testEdge{From: "island", To: "done"})
		}, "stages.island"},
		{"err_dead_end", func(s *testSpec) {
			s.Stages = append(s.Stages, testStage{Stage: "trap"}, testStage{Stage: "trap2"})
			s.Edges = append(s.Edges, testEdge{From: "a", To: "trap"}, testEdge{From: "trap", To: "trap2"}, testEdge{From: "trap2", To: "trap"})
		}, "stages.trap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := validSpec()
			tt.edit(&spec)
			m, err := pipeline.NewMachine(spec)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			assert.ErrorAs(t, err, &ve)
			assert.Contains(t, err.Error(), tt.stage)
			assert.True(t, strings.HasPrefix(err.Error(), "pipeline: test: "), err.Error())
		})
	}
	t.Run("err_bad_machine_name", func(t *testing.T) {
		// A NUL in the name made DOT output that Graphviz cannot parse.
		for _, name := range []string{"a\x00b", "bad\xffutf8", strings.Repeat("n", 257)} {
			spec := validSpec()
			spec.Name = name
			m, err := pipeline.NewMachine(spec)
			assert.Nil(t, m)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "name", ve.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "pipeline: machine: "), err.Error())
		}
	})
	t.Run("err_unnamed_machine", func(t *testing.T) {
		_, err := pipeline.NewMachine(testSpec{})
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "pipeline: machine: "), err.Error())
	})
}

func TestMachineQueries(t *testing.T) {
	m, err := pipeline.NewMachine(validSpec())
	require.NoError(t, err)
	assert.Equal(t, "test", m.Name())
	assert.Equal(t, pipeline.DealStage("a"), m.Initial())
	assert.Equal(t, []pipeline.DealStage{"a", "b", "done"}, slices.Collect(m.Stages()))
	assert.True(t, m.Has("b"))
	assert.False(t, m.Has("zz"))
	assert.False(t, m.Has(""))
	assert.True(t, m.IsTerminal("done"))
	assert.False(t, m.IsTerminal("a"))
	assert.False(t, m.IsTerminal("zz"))
	name, ok := m.StageName("b")
	assert.True(t, ok)
	assert.Equal(t, "B", name)
	_, ok = m.StageName("zz")
	assert.False(t, ok)
	assert.True(t, m.Allows("a", "b", false))
	assert.False(t, m.Allows("a", "b", true))
	assert.True(t, m.Allows("done", "a", true))
	assert.False(t, m.Allows("done", "a", false))
	assert.False(t, m.Allows("zz", "a", false))
	var edges []string
	for e := range m.Edges() {
		edges = append(edges, fmt.Sprintf("%s>%s:%v", e.From, e.To, e.Reopen))
	}
	assert.Equal(t, []string{"a>b:false", "b>a:false", "b>done:false", "done>a:true"}, edges)
	n := 0
	for range m.Edges() {
		n++
		break
	}
	for range m.Stages() {
		n++
		break
	}
	assert.Equal(t, 2, n)

	// A terminal stage declared first, before the initial one, is terminal.
	first := validSpec()
	first.Stages = append([]testStage{first.Stages[2]}, first.Stages[:2]...)
	m, err = pipeline.NewMachine(first)
	require.NoError(t, err)
	assert.Equal(t, []pipeline.DealStage{"done", "a", "b"}, slices.Collect(m.Stages()))
	assert.True(t, m.IsTerminal("done"))
	assert.False(t, m.IsTerminal("a"))
}

func TestMachineFire(t *testing.T) {
	ctx := context.Background()
	var log []string
	spec := validSpec()
	hook := func(tag string) testHook {
		return func(s *pipeline.Deal, tr testTrans) {
			log = append(log, fmt.Sprintf("%s %s>%s at %s", tag, tr.From, tr.To, s.Stage))
		}
	}
	spec.Stages[0].OnExit = []testHook{hook("exit-a")}
	spec.Stages[1].OnEnter = []testHook{hook("enter-b")}
	spec.Stages[1].Guards = []testGuard{{Name: "an activity", Check: func(_ context.Context, s *pipeline.Deal, tr testTrans) error {
		log = append(log, "gate-b")
		if len(s.Activities) == 0 {
			return errors.New("no activity yet")
		}
		return nil
	}}}
	spec.Edges[0].Guards = []testGuard{{Name: "edge", Check: func(context.Context, *pipeline.Deal, testTrans) error {
		log = append(log, "edge-a-b")
		return nil
	}}}
	m, err := pipeline.NewMachine(spec)
	require.NoError(t, err)

	s := &pipeline.Deal{}
	require.NoError(t, m.Start(s, stamp(0)))
	assert.Equal(t, pipeline.DealStage("a"), s.Stage)
	require.Len(t, s.History, 1)
	assert.Equal(t, testTrans{To: "a", At: t0, Actor: "rep-ann"}, s.History[0])

	t.Run("err_start_twice", func(t *testing.T) {
		err := m.Start(s, stamp(0))
		var te *pipeline.TransitionError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "a", te.From)
		assert.Len(t, s.History, 1)
	})
	t.Run("err_guard_refuses", func(t *testing.T) {
		log = nil
		before := s.Clone()
		err := m.Fire(ctx, s, "b", stamp(1))
		require.Error(t, err)
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
		var te *pipeline.TransitionError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "test", te.Machine)
		assert.Equal(t, "a", te.From)
		assert.Equal(t, "b", te.To)
		assert.Equal(t, "an activity", te.Guard)
		assert.EqualError(t, te.Err, "no activity yet")
		assert.Equal(t, "pipeline: test: a → b: needs an activity: no activity yet", err.Error())
		assert.Equal(t, []string{"edge-a-b", "gate-b"}, log, "the move's guards run before the target's gates; no hook runs")
		assert.Equal(t, before, *s)
	})
	t.Run("ok_guards_then_hooks", func(t *testing.T) {
		log = nil
		s.Activities = []pipeline.Activity{{ID: "a"}}
		require.NoError(t, m.Fire(ctx, s, "b", pipeline.Stamp{At: t0.Add(time.Minute), Actor: "x", Reason: "why"}))
		assert.Equal(t, []string{"edge-a-b", "gate-b", "exit-a a>b at a", "enter-b a>b at b"}, log)
		assert.Equal(t, pipeline.DealStage("b"), s.Stage)
		assert.Equal(t, testTrans{From: "a", To: "b", At: t0.Add(time.Minute), Actor: "x", Reason: "why"}, s.History[1])
	})
	illegal := []struct {
		name     string
		from, to pipeline.DealStage
		reopen   bool
		reason   string
	}{
		{"err_no_such_move", "a", "done", false, "no such move"},
		{"err_same_stage", "b", "b", false, "already in that stage"},
		{"err_unknown_target", "b", "zz", false, "not a stage"},
		{"err_unknown_current", "zz", "a", false, "not a stage"},
		{"err_empty_current", "", "a", false, "not a stage"},
		{"err_leave_closed_without_reopen", "done", "a", false, "reopen it"},
		{"err_reopen_open_stage", "b", "a", true, "only a closed stage"},
		{"err_reopen_without_move", "done", "b", true, "no such move"},
	}
	for _, tt := range illegal {
		t.Run(tt.name, func(t *testing.T) {
			r := &pipeline.Deal{Stage: tt.from, History: []testTrans{{To: tt.from}}}
			before := r.Clone()
			var err error
			if tt.reopen {
				err = m.Reopen(ctx, r, tt.to, stamp(5))
			} else {
				err = m.Fire(ctx, r, tt.to, stamp(5))
			}
			require.ErrorIs(t, err, sp.ErrInvalidTransition)
			var te *pipeline.TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, string(tt.from), te.From)
			assert.Equal(t, string(tt.to), te.To)
			assert.Contains(t, te.Reason, tt.reason)
			assert.Contains(t, err.Error(), tt.reason)
			assert.Equal(t, before, *r, "a refused move changes nothing")
		})
	}
	t.Run("ok_reopen", func(t *testing.T) {
		r := &pipeline.Deal{Stage: "done", History: []testTrans{{To: "done"}}}
		require.NoError(t, m.Reopen(ctx, r, "a", stamp(6)))
		assert.Equal(t, pipeline.DealStage("a"), r.Stage)
		assert.Equal(t, testTrans{From: "done", To: "a", At: t0.Add(6 * time.Minute), Actor: "rep-ann"}, r.History[1])
	})
}

// TestMachineClosedStageReason fires the built-in machines, used
// directly, from their terminal stages: a stage that a move leaves by
// reopening says to reopen it; one that nothing reopens (a converted
// inquiry, a followed-up service) says it cannot be reopened.
func TestMachineClosedStageReason(t *testing.T) {
	ctx := context.Background()
	at := pipeline.Stamp{At: time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC), Actor: "rep-ann"}
	im := pipeline.NewInquiryMachine()
	for _, tt := range []struct {
		name   string
		from   pipeline.InquiryStage
		to     pipeline.InquiryStage
		reason string
	}{
		{"disqualified", pipeline.InquiryDisqualified, pipeline.InquiryContacted, "the stage is closed; reopen it"},
		{"converted", pipeline.InquiryConverted, pipeline.InquiryNew, "the stage is closed and cannot be reopened"},
		{"converted_to_disqualified", pipeline.InquiryConverted, pipeline.InquiryDisqualified, "the stage is closed and cannot be reopened"},
	} {
		t.Run("inquiry_"+tt.name, func(t *testing.T) {
			in := &pipeline.Inquiry{ID: "i1", Stage: tt.from}
			err := im.Fire(ctx, in, tt.to, at)
			require.ErrorIs(t, err, sp.ErrInvalidTransition)
			var te *pipeline.TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.reason, te.Reason)
			assert.Equal(t, tt.from, in.Stage, "a refused move changes nothing")
		})
	}
	t.Run("service_followed_up", func(t *testing.T) {
		sv := &pipeline.Service{Stage: pipeline.ServiceFollowedUp}
		err := pipeline.NewServiceMachine().Fire(ctx, sv, pipeline.ServiceDelivered, at)
		var te *pipeline.TransitionError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "the stage is closed and cannot be reopened", te.Reason)
	})
}

// TestMachineStartRefusesHistory starts records of each kind that have no
// stage but a history: Start refuses them, as its doc says, and leaves
// them unchanged, since starting would put a second beginning in the
// history.
func TestMachineStartRefusesHistory(t *testing.T) {
	old := stamp(-10)
	t.Run("service", func(t *testing.T) {
		s := &pipeline.Service{History: []svcTrans{{To: pipeline.ServiceAwaitingDelivery, At: old.At}}}
		before := s.Clone()
		err := pipeline.NewServiceMachine().Start(s, stamp(0))
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
		assert.Equal(t, before, *s)
	})
	t.Run("inquiry", func(t *testing.T) {
		in := &pipeline.Inquiry{History: []pipeline.Transition[pipeline.InquiryStage]{{To: pipeline.InquiryNew, At: old.At}}}
		before := in.Clone()
		err := pipeline.NewInquiryMachine().Start(in, stamp(0))
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
		assert.Equal(t, before, *in)
	})
	t.Run("deal", func(t *testing.T) {
		d := &pipeline.Deal{History: []dealTrans{{To: pipeline.DealProspecting, At: old.At}}}
		before := d.Clone()
		err := pipeline.DefaultDefinition().Machine().Start(d, stamp(0))
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
		assert.Equal(t, before, *d)
	})
	t.Run("host_type", func(t *testing.T) {
		m, err := pipeline.NewMachine(pipeline.MachineSpec[pipeline.InquiryStage, *hostLead]{
			Name: "lead", Initial: pipeline.InquiryNew,
			Stages: []pipeline.StageDef[pipeline.InquiryStage, *hostLead]{
				{Stage: pipeline.InquiryNew}, {Stage: pipeline.InquiryConverted, Terminal: true}},
			Edges: []pipeline.EdgeDef[pipeline.InquiryStage, *hostLead]{{From: pipeline.InquiryNew, To: pipeline.InquiryConverted}},
		})
		require.NoError(t, err)
		r := &hostLead{Inquiry: pipeline.Inquiry{History: []pipeline.Transition[pipeline.InquiryStage]{{To: pipeline.InquiryNew, At: old.At}}}}
		before := r.Clone()
		err = m.Start(r, stamp(0))
		assert.ErrorIs(t, err, sp.ErrInvalidTransition)
		assert.Equal(t, before, r.Inquiry)
	})
}

// hostLead is a host's own record: it embeds an Inquiry, so a Machine moves
// it.
type hostLead struct {
	pipeline.Inquiry
	Score int
}

func TestGuardErrors(t *testing.T) {
	ctx := context.Background()
	storage := errors.New("storage down")
	var verdict error
	spec := validSpec()
	spec.Stages[1].Guards = []testGuard{{Name: "check", Check: func(context.Context, *pipeline.Deal, testTrans) error { return verdict }}}
	m, err := pipeline.NewMachine(spec)
	require.NoError(t, err)
	tests := []struct {
		name    string
		verdict error
		refusal bool
		is      error
	}{
		{"refusal_wraps_both", fmt.Errorf("not certified: %w", sp.ErrForbidden), true, sp.ErrForbidden},
		{"abort_passes_through", pipeline.Abort(storage), false, storage},
		{"context_passes_through", fmt.Errorf("asking: %w", context.DeadlineExceeded), false, context.DeadlineExceeded},
		{"cancel_passes_through", context.Canceled, false, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verdict = tt.verdict
			r := &pipeline.Deal{Stage: "a", History: []testTrans{{To: "a"}}}
			err := m.Fire(ctx, r, "b", stamp(1))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.is)
			assert.Equal(t, tt.refusal, errors.Is(err, sp.ErrInvalidTransition))
			assert.Equal(t, pipeline.DealStage("a"), r.Stage)
			assert.Len(t, r.History, 1)
		})
	}
	assert.NoError(t, pipeline.Abort(nil))
	assert.Equal(t, "storage down", pipeline.Abort(storage).Error())
	te := &pipeline.TransitionError{Machine: "m", Err: errors.New("x")}
	assert.Equal(t, `pipeline: m: "" → "": refused: x`, te.Error())
}

func TestMachineRender(t *testing.T) {
	spec := validSpec()
	spec.Stages[1].Name = `B "quoted"; #1 <x>`
	spec.Edges[0].Guards = []testGuard{{Name: "a gate", Check: func(context.Context, *pipeline.Deal, testTrans) error { return nil }}}
	m, err := pipeline.NewMachine(spec)
	require.NoError(t, err)
	assert.Equal(t, `stateDiagram-v2
    [*] --> a
    a: A
    b: B #quot;quoted#quot;#59; #35;1 #lt;x#gt;
    done: Done
    a --> b: a gate
    b --> a
    b --> done
    done --> a: reopen
    done --> [*]
`, m.Mermaid())
	assert.Equal(t, `digraph "test" {
    rankdir=LR;
    node [shape=box, style=rounded];
    "[*]" [shape=point, label=""];
    "[*]" -> "a";
    "a" [label="A"];
    "b" [label="B \"quoted\"; #1 <x>"];
    "done" [label="Done", peripheries=2];
    "a" -> "b" [label="a gate"];
    "b" -> "a";
    "b" -> "done";
    "done" -> "a" [label="reopen", style=dashed];
}
`, m.DOT())
}

func TestMachinesOfRecords(t *testing.T) {
	ctx := context.Background()
	im := pipeline.NewInquiryMachine()
	in := &pipeline.Inquiry{}
	require.NoError(t, im.Start(in, stamp(0)))
	for _, to := range []pipeline.InquiryStage{pipeline.InquiryContacted, pipeline.InquiryQualified, pipeline.InquiryConverted} {
		require.NoError(t, im.Fire(ctx, in, to, stamp(1)))
	}
	assert.Equal(t, pipeline.InquiryConverted, in.Stage)
	require.NoError(t, pipeline.CheckHistory(in.Stage, in.History))
	err := im.Reopen(ctx, in, pipeline.InquiryNew, stamp(2))
	assert.ErrorIs(t, err, sp.ErrInvalidTransition, "a converted inquiry is not reopened")

	sm := pipeline.NewServiceMachine()
	s := &pipeline.Service{}
	require.NoError(t, sm.Start(s, stamp(0)))
	require.NoError(t, sm.Fire(ctx, s, pipeline.ServiceDelivered, stamp(1)))
	require.NoError(t, sm.Fire(ctx, s, pipeline.ServiceFollowedUp, stamp(2)))
	assert.True(t, sm.IsTerminal(s.Stage))
	assert.ErrorIs(t, sm.Fire(ctx, s, pipeline.ServiceDelivered, stamp(3)), sp.ErrInvalidTransition)
}

// TestStageLookup exercises the three ways a machine finds a stage: by the
// bytes it shares with a key, by scanning few keys, and by hashing (or a
// map) many, with stages that share no bytes with the keys.
func TestStageLookup(t *testing.T) {
	ctx := context.Background()
	chain := func(keys []string) testSpec {
		spec := testSpec{Name: "chain", Initial: pipeline.DealStage(keys[0])}
		for i, k := range keys {
			spec.Stages = append(spec.Stages, testStage{Stage: pipeline.DealStage(k), Terminal: i == len(keys)-1})
			if i > 0 {
				spec.Edges = append(spec.Edges, testEdge{From: pipeline.DealStage(keys[i-1]), To: pipeline.DealStage(k)})
			}
		}
		return spec
	}
	var distinct, colliding []string
	for i := range 20 {
		distinct = append(distinct, fmt.Sprintf("s%d_%s", i, strings.Repeat("x", i)))
		colliding = append(colliding, fmt.Sprintf("st%c%cge", 'a'+i%26, 'a'+i/26)) // same length and first, middle and last bytes
	}
	for name, keys := range map[string][]string{"scan": distinct[:5], "hash": distinct, "map": colliding} {
		t.Run(name, func(t *testing.T) {
			m, err := pipeline.NewMachine(chain(keys))
			require.NoError(t, err)
			r := &pipeline.Deal{}
			require.NoError(t, m.Start(r, stamp(0)))
			for i, k := range keys[1:] {
				// A stage built at run time shares no bytes with the key.
				to := pipeline.DealStage(strings.Clone(k))
				r.Stage = pipeline.DealStage(strings.Clone(string(r.Stage)))
				require.NoError(t, m.Fire(ctx, r, to, stamp(i+1)), "to %s", k)
				assert.True(t, m.Has(to))
			}
			assert.False(t, m.Has("nope"))
			assert.False(t, m.Has(pipeline.DealStage(strings.Repeat("z", len(keys[0])))))
			assert.Equal(t, pipeline.DealStage(keys[len(keys)-1]), r.Stage)
			require.NoError(t, pipeline.CheckHistory(r.Stage, r.History))
		})
	}
}

// TestErrorsCutLongTextAtARune checks that an error quoting a long text
// cuts it between runes, not inside one: before the rune that byte 40
// falls in.
func TestErrorsCutLongTextAtARune(t *testing.T) {
	key := pipeline.DealStage("x" + strings.Repeat("ä", 50)) // byte 40 is inside an ä
	_, err := pipeline.NewMachine(pipeline.MachineSpec[pipeline.DealStage, *pipeline.Deal]{
		Name: "cut", Initial: key,
		Stages: []pipeline.StageDef[pipeline.DealStage, *pipeline.Deal]{{Stage: key}},
	})
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.NotContains(t, err.Error(), `\x`, "%v", err)
	assert.Contains(t, err.Error(), `"x`+strings.Repeat("ä", 19)+`"...`)
}

// NewMachine copies the slices of its spec: changing the spec's hooks after
// the machine is built changes nothing the machine runs.
func TestMachineCopiesItsSpecsHooks(t *testing.T) {
	ctx := context.Background()
	var log []string
	hook := func(tag string) testHook {
		return func(*pipeline.Deal, testTrans) { log = append(log, tag) }
	}
	spec := validSpec()
	spec.Stages[0].OnExit = []testHook{hook("exit-a")}
	spec.Stages[1].OnEnter = []testHook{hook("enter-b")}
	m, err := pipeline.NewMachine(spec)
	require.NoError(t, err)
	spec.Stages[0].OnExit[0] = hook("changed-exit")
	spec.Stages[1].OnEnter[0] = hook("changed-enter")

	s := &pipeline.Deal{}
	require.NoError(t, m.Start(s, stamp(0)))
	require.NoError(t, m.Fire(ctx, s, "b", stamp(1)))
	assert.Equal(t, []string{"exit-a", "enter-b"}, log)
}

// TestSpecErrorsQuoteUnknownStages checks that an error naming a stage key
// that is not a valid key (an initial stage, or a move's end, that no stage
// declares) quotes it and cuts it, as the errors of a malformed stage key
// do, so that a spec read from a host's configuration cannot put line
// breaks or terminal escapes into the message, nor its whole length.
func TestSpecErrorsQuoteUnknownStages(t *testing.T) {
	const evil = "x\n[ERROR] forged\x1b[2J"
	long := evil + strings.Repeat("k", 10000)
	cases := map[string]func() error{
		"machine_initial": func() error {
			s := validSpec()
			s.Initial = pipeline.DealStage(long)
			_, err := pipeline.NewMachine(s)
			return err
		},
		"machine_from": func() error {
			s := validSpec()
			s.Edges = append(s.Edges, testEdge{From: pipeline.DealStage(long), To: pipeline.DealStage(long + "y")})
			_, err := pipeline.NewMachine(s)
			return err
		},
		"machine_to": func() error {
			s := validSpec()
			s.Edges = append(s.Edges, testEdge{From: "a", To: pipeline.DealStage(long)})
			_, err := pipeline.NewMachine(s)
			return err
		},
		"definition_move_out_of_closed": func() error {
			s := pipeline.DefaultSpec()
			s.Moves = []pipeline.Move{{From: pipeline.DealWon, To: pipeline.DealStage(long)}}
			_, err := pipeline.NewDefinition(s)
			return err
		},
		"definition_unknown_move": func() error {
			s := pipeline.DefaultSpec()
			s.Moves = []pipeline.Move{{From: pipeline.DealStage(long), To: pipeline.DealWon}}
			_, err := pipeline.NewDefinition(s)
			return err
		},
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			err := run()
			require.ErrorIs(t, err, sp.ErrInvalid)
			msg := err.Error()
			assert.Less(t, len(msg), 300, msg)
			assert.False(t, strings.ContainsFunc(msg, func(r rune) bool { return r < ' ' }), "%q", msg)
			assert.Contains(t, msg, `"x\n[ERROR] forged\x1b[2J`)
		})
	}
}

// TestSpecErrorsQuoteUnknownStagesAt40Bytes checks where the quoting of an
// unknown stage in a spec's error cuts, as [sp.Quote] does: a key of 40
// bytes is quoted whole, a longer one cut to 40 bytes, or fewer where a
// character would be split, and followed by "...".
func TestSpecErrorsQuoteUnknownStagesAt40Bytes(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{strings.Repeat("É", 20), `"` + strings.Repeat("É", 20) + `"`},
		{strings.Repeat("É", 21), `"` + strings.Repeat("É", 20) + `"...`},
		{"a" + strings.Repeat("É", 20), `"a` + strings.Repeat("É", 19) + `"...`},
		{strings.Repeat("k", 41), `"` + strings.Repeat("k", 40) + `"...`},
	} {
		s := validSpec()
		s.Initial = pipeline.DealStage(tc.key)
		_, err := pipeline.NewMachine(s)
		require.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "initial", ve.Field)
		assert.Equal(t, "unknown stage "+tc.want, ve.Reason)
	}
}

// hostRefLead embeds a pointer to an Inquiry, which may be nil.
type hostRefLead struct {
	*pipeline.Inquiry
}

// TestMachineRefusesNilHostRecords gives a machine of a host's records a
// nil pointer to one, and one whose embedded record is a nil pointer: like
// a nil *Inquiry, they are errors wrapping ErrInvalid, not panics.
func TestMachineRefusesNilHostRecords(t *testing.T) {
	ctx := context.Background()
	type lead = pipeline.StageDef[pipeline.InquiryStage, *hostLead]
	m, err := pipeline.NewMachine(pipeline.MachineSpec[pipeline.InquiryStage, *hostLead]{
		Name: "lead", Initial: pipeline.InquiryNew,
		Stages: []lead{{Stage: pipeline.InquiryNew}, {Stage: pipeline.InquiryConverted, Terminal: true}},
		Edges: []pipeline.EdgeDef[pipeline.InquiryStage, *hostLead]{
			{From: pipeline.InquiryNew, To: pipeline.InquiryConverted},
			{From: pipeline.InquiryConverted, To: pipeline.InquiryNew, Reopen: true}},
	})
	require.NoError(t, err)
	var nilLead *hostLead
	assert.ErrorIs(t, m.Start(nilLead, stamp(0)), sp.ErrInvalid)
	assert.ErrorIs(t, m.Fire(ctx, nilLead, pipeline.InquiryConverted, stamp(0)), sp.ErrInvalid)
	assert.ErrorIs(t, m.Reopen(ctx, nilLead, pipeline.InquiryNew, stamp(0)), sp.ErrInvalid)

	type ref = pipeline.StageDef[pipeline.InquiryStage, hostRefLead]
	rm, err := pipeline.NewMachine(pipeline.MachineSpec[pipeline.InquiryStage, hostRefLead]{
		Name: "lead", Initial: pipeline.InquiryNew,
		Stages: []ref{{Stage: pipeline.InquiryNew}, {Stage: pipeline.InquiryConverted, Terminal: true}},
		Edges:  []pipeline.EdgeDef[pipeline.InquiryStage, hostRefLead]{{From: pipeline.InquiryNew, To: pipeline.InquiryConverted}},
	})
	require.NoError(t, err)
	assert.ErrorIs(t, rm.Start(hostRefLead{}, stamp(0)), sp.ErrInvalid)
	assert.ErrorIs(t, rm.Fire(ctx, hostRefLead{}, pipeline.InquiryConverted, stamp(0)), sp.ErrInvalid)

	// A record that is there is moved as usual.
	in := &pipeline.Inquiry{}
	require.NoError(t, rm.Start(hostRefLead{in}, stamp(0)))
	require.NoError(t, rm.Fire(ctx, hostRefLead{in}, pipeline.InquiryConverted, stamp(1)))
	assert.Equal(t, pipeline.InquiryConverted, in.Stage)
	assert.NoError(t, pipeline.CheckHistory(in.Stage, in.History))
}

// Host records that embed a Deal or a Service, by value or by pointer, as
// the Record doc allows for each of the three records.
type (
	hostOrder    struct{ pipeline.Deal }
	hostOrderRef struct{ *pipeline.Deal }
	hostCase     struct{ pipeline.Service }
	hostCaseRef  struct{ *pipeline.Service }
)

// hostMachine makes a machine of two stages, a to b, over a host's record
// type R.
func hostMachine[S ~string, R pipeline.Record[S]](t *testing.T, a, b S) *pipeline.Machine[S, R] {
	t.Helper()
	m, err := pipeline.NewMachine(pipeline.MachineSpec[S, R]{
		Name: "host", Initial: a,
		Stages: []pipeline.StageDef[S, R]{{Stage: a}, {Stage: b, Terminal: true}},
		Edges:  []pipeline.EdgeDef[S, R]{{From: a, To: b}},
	})
	require.NoError(t, err)
	return m
}

// TestMachineHostDealsAndServices gives machines of hosts' records that
// embed a Deal or a Service what TestMachineStartRefusesHistory and
// TestMachineRefusesNilHostRecords give those that embed an Inquiry: Start
// refuses a record with a history but no stage and leaves it alone, and an
// embedded record that is a nil pointer is an error wrapping ErrInvalid,
// not a panic.
func TestMachineHostDealsAndServices(t *testing.T) {
	ctx := context.Background()
	old := stamp(-10)
	t.Run("deal", func(t *testing.T) {
		m := hostMachine[pipeline.DealStage, *hostOrder](t, pipeline.DealProspecting, pipeline.DealQualification)
		r := &hostOrder{pipeline.Deal{History: []dealTrans{{To: pipeline.DealProspecting, At: old.At}}}}
		before := r.Clone()
		assert.ErrorIs(t, m.Start(r, stamp(0)), sp.ErrInvalidTransition)
		assert.Equal(t, before, r.Deal)

		rm := hostMachine[pipeline.DealStage, hostOrderRef](t, pipeline.DealProspecting, pipeline.DealQualification)
		assert.ErrorIs(t, rm.Start(hostOrderRef{}, stamp(0)), sp.ErrInvalid)
		assert.ErrorIs(t, rm.Fire(ctx, hostOrderRef{}, pipeline.DealQualification, stamp(0)), sp.ErrInvalid)
		d := &pipeline.Deal{}
		require.NoError(t, rm.Start(hostOrderRef{d}, stamp(0)))
		require.NoError(t, rm.Fire(ctx, hostOrderRef{d}, pipeline.DealQualification, stamp(1)))
		assert.Equal(t, pipeline.DealQualification, d.Stage)
	})
	t.Run("service", func(t *testing.T) {
		m := hostMachine[pipeline.ServiceStage, *hostCase](t, pipeline.ServiceAwaitingDelivery, pipeline.ServiceDelivered)
		r := &hostCase{pipeline.Service{History: []svcTrans{{To: pipeline.ServiceAwaitingDelivery, At: old.At}}}}
		before := r.Clone()
		assert.ErrorIs(t, m.Start(r, stamp(0)), sp.ErrInvalidTransition)
		assert.Equal(t, before, r.Service)

		rm := hostMachine[pipeline.ServiceStage, hostCaseRef](t, pipeline.ServiceAwaitingDelivery, pipeline.ServiceDelivered)
		assert.ErrorIs(t, rm.Start(hostCaseRef{}, stamp(0)), sp.ErrInvalid)
		assert.ErrorIs(t, rm.Fire(ctx, hostCaseRef{}, pipeline.ServiceDelivered, stamp(0)), sp.ErrInvalid)
		s := &pipeline.Service{}
		require.NoError(t, rm.Start(hostCaseRef{s}, stamp(0)))
		require.NoError(t, rm.Fire(ctx, hostCaseRef{s}, pipeline.ServiceDelivered, stamp(1)))
		assert.Equal(t, pipeline.ServiceDelivered, s.Stage)
	})
}

// A machine over a stage type with a text form of its own, as InquiryStage
// and ServiceStage have, takes only the keys that form writes: a record
// in a stage of another key could not be written as JSON. NewMachine
// refuses such a key when it builds the machine, naming the stage.
func TestNewMachineRefusesKeysItsStageTypeCannotWrite(t *testing.T) {
	type svc = pipeline.StageDef[pipeline.ServiceStage, *pipeline.Service]
	_, err := pipeline.NewMachine(pipeline.MachineSpec[pipeline.ServiceStage, *pipeline.Service]{
		Name: "returns", Initial: pipeline.ServiceAwaitingDelivery,
		Stages: []svc{{Stage: pipeline.ServiceAwaitingDelivery}, {Stage: "returned", Terminal: true}},
		Edges:  []pipeline.EdgeDef[pipeline.ServiceStage, *pipeline.Service]{{From: pipeline.ServiceAwaitingDelivery, To: "returned"}},
	})
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "stages.returned", ve.Field)
	assert.Contains(t, err.Error(), "unknown service stage")

	type lead = pipeline.StageDef[pipeline.InquiryStage, *hostLead]
	_, err = pipeline.NewMachine(pipeline.MachineSpec[pipeline.InquiryStage, *hostLead]{
		Name: "lead", Initial: pipeline.InquiryNew,
		Stages: []lead{{Stage: pipeline.InquiryNew}, {Stage: "nurturing"}, {Stage: pipeline.InquiryConverted, Terminal: true}},
		Edges: []pipeline.EdgeDef[pipeline.InquiryStage, *hostLead]{
			{From: pipeline.InquiryNew, To: "nurturing"}, {From: "nurturing", To: pipeline.InquiryConverted}},
	})
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "stages.nurturing", ve.Field)

	// The package's own keys build, and a record in any of their stages
	// is written as JSON.
	m, err := pipeline.NewMachine(pipeline.MachineSpec[pipeline.InquiryStage, *hostLead]{
		Name: "lead", Initial: pipeline.InquiryNew,
		Stages: []lead{{Stage: pipeline.InquiryNew}, {Stage: pipeline.InquiryConverted, Terminal: true}},
		Edges:  []pipeline.EdgeDef[pipeline.InquiryStage, *hostLead]{{From: pipeline.InquiryNew, To: pipeline.InquiryConverted}},
	})
	require.NoError(t, err)
	r := &hostLead{}
	require.NoError(t, m.Start(r, stamp(0)))
	require.NoError(t, m.Fire(context.Background(), r, pipeline.InquiryConverted, stamp(1)))
	_, err = json.Marshal(r.Inquiry)
	assert.NoError(t, err)
}
