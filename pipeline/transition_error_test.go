package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// The engine names the record in a *TransitionError it returns without
// changing one it was given: a guard's error, shared by every command
// the guard refuses, stays as the guard made it. Run with -race.
func TestEngineDoesNotChangeAGuardsTransitionError(t *testing.T) {
	shared := &pipeline.TransitionError{Machine: "approval", From: "draft", To: "approved", Reason: "not approved"}
	spec := pipeline.DefaultSpec()
	for i := range spec.Stages {
		if spec.Stages[i].Key == pipeline.DealProposal {
			spec.Stages[i].Gates = []pipeline.Gate{{Name: "approved", Check: func(context.Context, *pipeline.Deal, pipeline.Transition[pipeline.DealStage]) error {
				return pipeline.Abort(shared)
			}}}
		}
	}
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{pipeline.MustDefinition(spec)}})
	require.NoError(t, err)
	ids := []sp.DealID{"d-1", "d-2", "d-3", "d-4"}
	for _, id := range ids {
		_, err := e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal(id), nil)
		require.NoError(t, err)
	}
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.Advance(ctx, pipelinetest.System(), id, pipeline.DealProposal, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		var te *pipeline.TransitionError
		require.True(t, errors.As(err, &te), "deal %s: %v", ids[i], err)
		assert.Equal(t, `advance deal "`+string(ids[i])+`"`, te.Record)
	}
	assert.Empty(t, shared.Record, "the guard's error was changed")
}

// A *TransitionError that already names its record, another command's
// refusal a guard aborts with, keeps that name: the engine names its own
// command and record before it rather than putting them in its place.
func TestEngineKeepsTheRecordATransitionErrorNames(t *testing.T) {
	other := &pipeline.TransitionError{Machine: "approval", Record: `win deal "d-other"`, From: "draft", To: "approved", Reason: "not approved"}
	spec := pipeline.DefaultSpec()
	for i := range spec.Stages {
		if spec.Stages[i].Key == pipeline.DealProposal {
			spec.Stages[i].Gates = []pipeline.Gate{{Name: "approved", Check: func(context.Context, *pipeline.Deal, pipeline.Transition[pipeline.DealStage]) error {
				return pipeline.Abort(other)
			}}}
		}
	}
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{pipeline.MustDefinition(spec)}})
	require.NoError(t, err)
	_, err = e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal("d-1"), nil)
	require.NoError(t, err)
	_, err = e.Advance(ctx, pipelinetest.System(), "d-1", pipeline.DealProposal, nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	var te *pipeline.TransitionError
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, `win deal "d-other"`, te.Record)
	assert.EqualError(t, err, `pipeline: advance deal "d-1": win deal "d-other": approval: draft → approved: not approved`)
	assert.Equal(t, `win deal "d-other"`, other.Record, "the guard's error was changed")
}

// A *TransitionError quotes a stage that is not a well-formed stage key, as
// the package quotes every value of the caller's, cut to 40 bytes: a
// target with control characters or of any length cannot forge lines of a
// log or make the message unbounded. Stages of the machine stay bare.
func TestTransitionErrorQuotesMalformedStages(t *testing.T) {
	ctx := context.Background()
	const evil = "x\n[ERROR] forged\x1b[2J"
	long := evil + strings.Repeat("k", 10000)
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	_, err = e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal("d-1"), nil)
	require.NoError(t, err)

	_, err = e.Advance(ctx, pipelinetest.System(), "d-1", pipeline.DealStage(long), nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	msg := err.Error()
	assert.Less(t, len(msg), 300, msg)
	assert.False(t, strings.ContainsFunc(msg, func(r rune) bool { return r < ' ' }), "%q", msg)
	assert.Contains(t, msg, `prospecting → "x\n[ERROR] forged\x1b[2J`)

	d := pipelinetest.NewDeal("d-2")
	require.NoError(t, pipeline.DefaultDefinition().Start(&d, stamp(1)))
	d.Stage = "Won!\x00"
	err = pipeline.DefaultDefinition().Advance(ctx, &d, pipeline.DealProposal, stamp(2))
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	assert.Equal(t, `pipeline: deal pipeline: "Won!\x00" → proposal: the current stage is not a stage of this machine`, err.Error())

	te := &pipeline.TransitionError{Machine: "deal pipeline", From: "won", To: "Won", Reason: "r"}
	assert.Equal(t, `pipeline: deal pipeline: won → "Won": r`, te.Error())
}

// A command that needs an open record writes the stage of one that is not
// open as a *TransitionError does: a malformed stage, read from a host's
// store, is quoted.
func TestOpenOnlyCommandsQuoteMalformedStages(t *testing.T) {
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	d := pipelinetest.NewDeal("d-1")
	d.Stage, d.Version = "x\n[ERROR] forged", 1
	require.NoError(t, store.CreateDeal(ctx, d))
	in := pipelinetest.NewInquiry("i-1")
	in.Stage, in.Version = "x\n[ERROR] forged", 1
	require.NoError(t, store.CreateInquiry(ctx, in))

	_, err = e.SetTerms(ctx, pipelinetest.System(), "d-1", pipeline.Terms{Amount: pipelinetest.MustEUR("5")}, nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	assert.Equal(t, `pipeline: set_terms deal "d-1": deal pipeline: "x\n[ERROR] forged" → "x\n[ERROR] forged": the current stage is not a stage of this machine`, err.Error())
	_, err = e.AssignDeal(ctx, pipelinetest.System(), "d-1", pipelinetest.RepAnn, nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	assert.Equal(t, `pipeline: assign deal "d-1": deal pipeline: "x\n[ERROR] forged" → "x\n[ERROR] forged": the current stage is not a stage of this machine`, err.Error())
	_, err = e.AssignInquiry(ctx, pipelinetest.System(), "i-1", pipelinetest.RepAnn, nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	assert.Equal(t, `pipeline: assign inquiry "i-1": inquiry: "x\n[ERROR] forged" → "x\n[ERROR] forged": the current stage is not a stage of this machine`, err.Error())

	_, err = e.Win(ctx, pipelinetest.System(), "d-1", nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	assert.Equal(t, `pipeline: win deal "d-1": deal pipeline: "x\n[ERROR] forged" → won: the current stage is not a stage of this machine`, err.Error())
}

// The Definition's own errors about an argument start as the Engine's
// errors of the same command do: "pipeline: <command> deal "<id>": ".
func TestDefinitionArgumentErrorsNameTheCommandAsTheEngine(t *testing.T) {
	d := pipelinetest.NewDeal("d-1")
	def := pipeline.DefaultDefinition()
	require.NoError(t, def.Start(&d, stamp(1)))
	err := def.Override(&d, decimal.New(15, -1))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Equal(t, `pipeline: override_probability deal "d-1": invalid probability: 1.5 outside 0 to 1`, err.Error())
	err = def.Lose(context.Background(), &d, "", pipeline.LossReason{Category: "weather", Detail: "rain"}, stamp(2))
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.True(t, strings.HasPrefix(err.Error(), `pipeline: lose deal "d-1": `), "%v", err)
}

// A received time after the engine's is written, in the refusal, as
// package salesprocess writes a time: in UTC where its zone's offset has
// seconds, which RFC 3339 cannot write.
func TestReceivedAfterNowWritesAnOffsetWithSecondsInUTC(t *testing.T) {
	ctx := context.Background()
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: sp.FixedClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))})
	require.NoError(t, err)
	in := pipelinetest.NewInquiry("i-1")
	in.Received = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC).In(time.FixedZone("odd", 30))
	_, err = e.ReceiveInquiry(ctx, pipelinetest.System(), in, nil)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.EqualError(t, err, `pipeline: receive inquiry "i-1": invalid received: 2026-11-02T10:00:00Z is after the engine's time 2026-11-02T09:00:00Z`)
}

// A closed stage that comes first in its pipeline's order is a stage of
// the pipeline like any other: a command that a deal on it does not
// allow is refused for the stage being closed, not as an unknown stage.
func TestCommandRefusedOnAClosedStageFirstInOrder(t *testing.T) {
	ctx := context.Background()
	p, err := pipeline.NewDefinition(pipeline.Spec{
		Name: "early",
		Stages: []pipeline.StageSpec{
			{Key: "dropped", Order: 1, Kind: pipeline.KindLost},
			{Key: "talk", Order: 2, Kind: pipeline.KindOpen, Probability: dec("0.5")},
			{Key: "signed", Order: 3, Kind: pipeline.KindWon},
		},
	})
	require.NoError(t, err)
	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{p}})
	require.NoError(t, err)
	d := pipelinetest.NewDeal("d-1")
	d.Pipeline = "early"
	_, err = e.OpenDeal(ctx, system, d, nil)
	require.NoError(t, err)
	lost, err := e.Lose(ctx, system, "d-1", pipeline.LossReason{Category: pipeline.LossNoDecision, Detail: "silent"}, nil)
	require.NoError(t, err)
	require.Equal(t, pipeline.DealStage("dropped"), lost.Stage)

	_, err = e.AssignDeal(ctx, system, "d-1", pipelinetest.RepBob, nil)
	var te *pipeline.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "dropped", te.From)
	assert.Equal(t, "dropped", te.To)
	// The pipeline has no Reopen move: it is not told to reopen the deal.
	assert.Equal(t, "a closed deal is not assigned; its stage cannot be reopened", te.Reason)
	_, err = e.Advance(ctx, system, "d-1", "talk", nil)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "the stage is closed and cannot be reopened", te.Reason)
	require.ErrorAs(t, p.Advance(ctx, &lost, "talk", pipeline.Stamp{At: lost.Closed}), &te)
	assert.Equal(t, "the stage is closed and cannot be reopened", te.Reason, "the definition used directly")
	got, err := store.GetDeal(ctx, "d-1")
	require.NoError(t, err)
	assert.Equal(t, lost.Version, got.Version, "nothing changed")
}

// A closed stage that a Reopen move leaves is said to be reopened first,
// by a command that moves no stage and by a move alike; the stage of a
// pipeline without a Reopen move out of it is said not to be.
func TestClosedStageReasonFollowsReopen(t *testing.T) {
	ctx := context.Background()
	stages := []pipeline.StageSpec{
		{Key: "talk", Order: 1, Kind: pipeline.KindOpen, Probability: dec("0.5")},
		{Key: "signed", Order: 2, Kind: pipeline.KindWon},
		{Key: "dropped", Order: 3, Kind: pipeline.KindLost},
	}
	for _, tt := range []struct {
		name           string
		reopen         []pipeline.Move
		move, assigned string
	}{
		{"reopens", []pipeline.Move{{From: "dropped", To: "talk"}}, "the stage is closed; reopen it", "a closed deal keeps its terms; reopen it first"},
		{"reopens_the_other", []pipeline.Move{{From: "signed", To: "talk"}}, "the stage is closed and cannot be reopened", "a closed deal keeps its terms; its stage cannot be reopened"},
		{"never", nil, "the stage is closed and cannot be reopened", "a closed deal keeps its terms; its stage cannot be reopened"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := pipeline.NewDefinition(pipeline.Spec{Name: "p", Stages: stages, Reopen: tt.reopen})
			require.NoError(t, err)
			store := pipelinetest.NewMemStore()
			e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{p}})
			require.NoError(t, err)
			d := pipelinetest.NewDeal("d-1")
			d.Pipeline = "p"
			_, err = e.OpenDeal(ctx, system, d, nil)
			require.NoError(t, err)
			lost, err := e.Lose(ctx, system, "d-1", pipeline.LossReason{Category: pipeline.LossNoDecision, Detail: "silent"}, nil)
			require.NoError(t, err)

			var te *pipeline.TransitionError
			_, err = e.Advance(ctx, system, "d-1", "talk", nil)
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.move, te.Reason)
			require.ErrorAs(t, p.Advance(ctx, &lost, "talk", pipeline.Stamp{At: lost.Closed}), &te)
			assert.Equal(t, tt.move, te.Reason, "the definition used directly")
			_, err = e.SetTerms(ctx, system, "d-1", pipeline.Terms{Amount: pipelinetest.MustEUR("10")}, nil)
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.assigned, te.Reason)
			// Reopening it: made where a Reopen move leaves its stage,
			// else refused as a stage that cannot be reopened.
			err = p.Reopen(ctx, &lost, "talk", pipeline.Stamp{At: lost.Closed})
			if tt.reopen != nil && tt.reopen[0].From == "dropped" {
				require.NoError(t, err)
				return
			}
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "the stage is closed and cannot be reopened", te.Reason)
		})
	}
}

// The doc of TransitionError.Machine: the default pipeline is "deal
// pipeline", a named one that and its quoted name.
func TestTransitionErrorMachineOfNamedPipeline(t *testing.T) {
	ctx := context.Background()
	spec := pipeline.DefaultSpec()
	spec.Name = "b2b"
	for _, p := range []struct {
		def  *pipeline.Definition
		want string
	}{
		{pipeline.DefaultDefinition(), "deal pipeline"},
		{pipeline.MustDefinition(spec), `deal pipeline "b2b"`},
	} {
		d := &pipeline.Deal{ID: "d-1", Owner: "rep-ann"}
		at := pipelinetest.Epoch()
		require.NoError(t, p.def.Start(d, pipeline.Stamp{At: at, Actor: "rep-ann"}))
		err := p.def.Advance(ctx, d, pipeline.DealLost, pipeline.Stamp{At: at, Actor: "rep-ann"})
		var te *pipeline.TransitionError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, p.want, te.Machine)
	}
}

// A Definition keeps the error of a move it refuses for the move itself
// (see TransitionError). After every move of each mode between every pair
// of stages has been tried once, each refused move tried again, its
// stages given by the definition's keys or by copies of them, returns the
// error it returned the first time, which is the one a definition that
// has refused nothing before makes for it, and leaves the deal as it was.
func TestDefinitionKeepsItsRefusals(t *testing.T) {
	wide := pipeline.Spec{Name: "wide", Reopen: []pipeline.Move{{From: "won", To: "s3"}}}
	for i := range 8 { // more stages than a scan finds by bytes
		wide.Stages = append(wide.Stages, pipeline.StageSpec{Key: pipeline.DealStage(fmt.Sprint("s", i)), Order: i + 1,
			Kind: pipeline.KindOpen, Probability: decimal.New(int64(i+1), -1)})
	}
	wide.Stages = append(wide.Stages, pipeline.StageSpec{Key: "won", Order: 9, Kind: pipeline.KindWon},
		pipeline.StageSpec{Key: "lost", Order: 10, Kind: pipeline.KindLost})
	ctx := context.Background()
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	loss := pipeline.LossReason{Category: pipeline.LossPrice, Detail: "dear"}
	modes := []struct {
		name string
		move func(p *pipeline.Definition, d *pipeline.Deal, to pipeline.DealStage) error
	}{
		{"advance", func(p *pipeline.Definition, d *pipeline.Deal, to pipeline.DealStage) error {
			return p.Advance(ctx, d, to, s)
		}},
		{"win", func(p *pipeline.Definition, d *pipeline.Deal, to pipeline.DealStage) error {
			return p.Win(ctx, d, to, s)
		}},
		{"lose", func(p *pipeline.Definition, d *pipeline.Deal, to pipeline.DealStage) error {
			return p.Lose(ctx, d, to, loss, s)
		}},
		{"reopen", func(p *pipeline.Definition, d *pipeline.Deal, to pipeline.DealStage) error {
			return p.Reopen(ctx, d, to, s)
		}},
	}
	amount, err := sp.NewMoneyFromMinor(100000, "EUR")
	require.NoError(t, err)
	for _, spec := range []pipeline.Spec{pipeline.DefaultSpec(), wide} {
		shared := pipeline.MustDefinition(spec)
		deal := func(stage pipeline.DealStage) pipeline.Deal {
			return pipeline.Deal{ID: "d1", Pipeline: spec.Name, Owner: "rep", Stage: stage, Amount: amount,
				History: make([]pipeline.Transition[pipeline.DealStage], 0, 4)}
		}
		first := map[string]*pipeline.TransitionError{}
		refused := 0
		for pass := range 2 {
			for _, m := range modes {
				for _, from := range spec.Stages {
					for _, to := range spec.Stages {
						name := fmt.Sprintf("%s %s: %s → %s", spec.Name, m.name, from.Key, to.Key)
						var want *pipeline.TransitionError
						if _, tried := first[name]; pass == 1 && !tried {
							continue
						}
						if pass == 0 {
							d := deal(from.Key)
							if !errors.As(m.move(pipeline.MustDefinition(spec), &d, to.Key), &want) || want.Guard != "" {
								continue // allowed, or refused by a gate
							}
						}
						for _, keys := range []struct{ from, to pipeline.DealStage }{
							{from.Key, to.Key},
							{pipeline.DealStage(strings.Clone(string(from.Key))), pipeline.DealStage(strings.Clone(string(to.Key)))},
						} {
							d := deal(keys.from)
							before := d
							var te *pipeline.TransitionError
							require.ErrorAs(t, m.move(shared, &d, keys.to), &te, name)
							assert.Equal(t, before, d, name)
							if kept, ok := first[name]; ok {
								assert.Same(t, kept, te, name)
								continue
							}
							require.Equal(t, *want, *te, name)
							first[name] = te
							refused++
						}
					}
				}
			}
		}
		assert.Greater(t, refused, 3*len(spec.Stages), spec.Name)
	}
}

// Goroutines that first refuse one move at once each get an error for it,
// and the definition keeps one of them; an engine's refusal of the move
// names its record in a copy, and the kept error names none. Run with
// -race.
func TestDefinitionRefusalsConcurrently(t *testing.T) {
	p := pipeline.MustDefinition(pipeline.DefaultSpec())
	ctx := context.Background()
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	errs := make([]error, 16)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := pipeline.Deal{ID: "d1", Stage: pipeline.DealNegotiation}
			<-start
			errs[i] = p.Advance(ctx, &d, pipeline.DealProspecting, s)
		}()
	}
	close(start)
	wg.Wait()
	d := pipeline.Deal{ID: "d1", Stage: pipeline.DealNegotiation}
	kept := p.Advance(ctx, &d, pipeline.DealProspecting, s)
	var te *pipeline.TransitionError
	require.ErrorAs(t, kept, &te)
	assert.Equal(t, pipeline.TransitionError{Machine: "deal pipeline", From: "negotiation", To: "prospecting", Reason: te.Reason}, *te)
	assert.NotEmpty(t, te.Reason)
	for _, err := range errs {
		var each *pipeline.TransitionError
		require.ErrorAs(t, err, &each)
		assert.Equal(t, *te, *each)
	}

	store := pipelinetest.NewMemStore()
	e, err := pipeline.NewEngine(store, store, &pipeline.Options{Clock: pipelinetest.NewClock(), Pipelines: []*pipeline.Definition{p}})
	require.NoError(t, err)
	_, err = e.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal("d-1"), nil)
	require.NoError(t, err)
	_, err = e.Advance(ctx, pipelinetest.System(), "d-1", pipeline.DealProspecting, nil)
	var named *pipeline.TransitionError
	require.ErrorAs(t, err, &named)
	assert.Equal(t, `advance deal "d-1"`, named.Record)
	d = pipeline.Deal{ID: "d1", Stage: pipeline.DealProspecting}
	again := p.Advance(ctx, &d, pipeline.DealProspecting, s)
	require.ErrorAs(t, again, &te)
	assert.Empty(t, te.Record)
	assert.Same(t, again, p.Advance(ctx, &d, pipeline.DealProspecting, s))
}

// A Machine keeps the error of a move it refuses between two of its stages
// too: each move Fire or Reopen refuses, tried again after all have been
// tried, returns the error it returned the first time, which is the one a
// new machine makes for it, and leaves the record as it was.
func TestMachineKeepsItsRefusals(t *testing.T) {
	checkKeptRefusals(t, pipeline.NewInquiryMachine, func(s pipeline.InquiryStage) *pipeline.Inquiry {
		return &pipeline.Inquiry{ID: "i1", Stage: s}
	})
	checkKeptRefusals(t, pipeline.NewServiceMachine, func(s pipeline.ServiceStage) *pipeline.Service {
		return &pipeline.Service{Stage: s}
	})
}

func checkKeptRefusals[S ~string, R pipeline.Record[S]](t *testing.T, newMachine func() *pipeline.Machine[S, R], record func(S) R) {
	t.Helper()
	ctx := context.Background()
	s := pipeline.Stamp{At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "rep"}
	shared := newMachine()
	move := func(m *pipeline.Machine[S, R], r R, to S, reopen bool) error {
		if reopen {
			return m.Reopen(ctx, r, to, s)
		}
		return m.Fire(ctx, r, to, s)
	}
	first := map[string]*pipeline.TransitionError{}
	for pass := range 2 {
		for _, reopen := range []bool{false, true} {
			for from := range shared.Stages() {
				for to := range shared.Stages() {
					name := fmt.Sprintf("%s reopen %v: %s → %s", shared.Name(), reopen, from, to)
					var want *pipeline.TransitionError
					if _, tried := first[name]; pass == 1 && !tried {
						continue
					}
					if pass == 0 && (!errors.As(move(newMachine(), record(from), to, reopen), &want) || want.Guard != "") {
						continue // allowed, or refused by a guard
					}
					r := record(from)
					var te *pipeline.TransitionError
					require.ErrorAs(t, move(shared, r, to, reopen), &te, name)
					assert.Equal(t, record(from), r, name)
					if kept, ok := first[name]; ok {
						assert.Same(t, kept, te, name)
						continue
					}
					require.Equal(t, *want, *te, name)
					first[name] = te
				}
			}
		}
	}
	assert.Greater(t, len(first), 8, shared.Name())
}
