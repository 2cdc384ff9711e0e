package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func eur(s string) sp.Money {
	m, err := sp.ParseMoney(s + " EUR")
	if err != nil {
		panic(err)
	}
	return m
}

type dealTrans = pipeline.Transition[pipeline.DealStage]

// openDeal returns a deal started on p, with an amount.
func openDeal(t *testing.T, p *pipeline.Definition) *pipeline.Deal {
	t.Helper()
	d := &pipeline.Deal{ID: "d1", Owner: "rep-ann", Product: "widget", Amount: eur("1000.00")}
	require.NoError(t, p.Start(d, stamp(0)))
	return d
}

func TestNewDefinitionRefuses(t *testing.T) {
	base := pipeline.DefaultSpec
	tests := []struct {
		name  string
		edit  func(*pipeline.Spec)
		stage string
	}{
		{"err_unknown_kind", func(s *pipeline.Spec) { s.Stages[1].Kind = "maybe" }, "stages.qualification.kind"},
		{"err_missing_kind", func(s *pipeline.Spec) { s.Stages[1].Kind = "" }, "stages.qualification.kind"},
		{"err_duplicate_order", func(s *pipeline.Spec) { s.Stages[2].Order = 2 }, "stages.proposal"},
		{"err_probability_negative", func(s *pipeline.Spec) { s.Stages[1].Probability = dec("-0.1") }, "stages.qualification.probability"},
		{"err_probability_above_one", func(s *pipeline.Spec) { s.Stages[1].Probability = dec("1.5") }, "stages.qualification.probability"},
		{"err_won_probability", func(s *pipeline.Spec) { s.Stages[4].Probability = dec("0.9") }, "stages.won.probability"},
		{"err_lost_probability", func(s *pipeline.Spec) { s.Stages[5].Probability = dec("0.1") }, "stages.lost.probability"},
		{"err_no_open_stage", func(s *pipeline.Spec) { s.Stages = s.Stages[4:]; s.Reopen = nil }, "no open stage"},
		{"err_no_won_stage", func(s *pipeline.Spec) { s.Stages = slices.Delete(s.Stages, 4, 5); s.Reopen = nil }, "no won stage"},
		{"err_no_lost_stage", func(s *pipeline.Spec) { s.Stages = s.Stages[:5]; s.Reopen = nil }, "no lost stage"},
		{"err_duplicate_stage", func(s *pipeline.Spec) {
			s.Stages = append(s.Stages, pipeline.StageSpec{Key: pipeline.DealProposal, Order: 9, Kind: pipeline.KindOpen})
		}, "stages.proposal"},
		{"err_bad_key", func(s *pipeline.Spec) { s.Stages[1].Key = "Qualification" }, "Qualification"},
		{"err_bad_name", func(s *pipeline.Spec) { s.Name = "tab\there" }, "name"},
		{"err_move_from_closed", func(s *pipeline.Spec) { s.Moves = []pipeline.Move{{From: "won", To: "proposal"}} }, "stages.won"},
		{"err_move_unknown_stage", func(s *pipeline.Spec) {
			s.Moves = []pipeline.Move{{From: "prospecting", To: "won"}, {From: "prospecting", To: "review"}}
		}, "stages.review"},
		{"err_reopen_from_open", func(s *pipeline.Spec) { s.Reopen = []pipeline.Move{{From: "proposal", To: "prospecting"}} }, "stages.proposal"},
		{"err_reopen_to_closed", func(s *pipeline.Spec) { s.Reopen = []pipeline.Move{{From: "lost", To: "won"}} }, "stages.won"},
		{"err_unreachable", func(s *pipeline.Spec) {
			s.Reopen = nil
			s.Moves = []pipeline.Move{
				{From: "prospecting", To: "qualification"}, {From: "qualification", To: "won"},
				{From: "qualification", To: "lost"}, {From: "proposal", To: "won"}, {From: "negotiation", To: "lost"},
			}
		}, "stages.proposal"},
		{"err_dead_end", func(s *pipeline.Spec) {
			s.Moves = []pipeline.Move{
				{From: "prospecting", To: "qualification"}, {From: "prospecting", To: "proposal"},
				{From: "proposal", To: "negotiation"}, {From: "negotiation", To: "proposal"},
				{From: "qualification", To: "won"}, {From: "qualification", To: "lost"},
			}
		}, "stages.proposal"},
		{"err_nil_gate", func(s *pipeline.Spec) { s.Stages[2].Gates = []pipeline.Gate{{Name: "x"}} }, "stages.proposal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := base()
			spec.Name = "custom"
			tt.edit(&spec)
			def, err := pipeline.NewDefinition(spec)
			require.Error(t, err)
			assert.Nil(t, def)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), tt.stage)
			assert.True(t, strings.HasPrefix(err.Error(), "pipeline: deal pipeline "), err.Error())
			assert.Panics(t, func() { pipeline.MustDefinition(spec) })
		})
	}
}

// TestNewDefinitionRefusesTooManyStagesFirst gives NewDefinition a spec of
// 300 stages: it is refused for its size before the default moves between
// them (a number growing with the square of the stages, each looking at
// every stage for the gates it skips) are built.
func TestNewDefinitionRefusesTooManyStagesFirst(t *testing.T) {
	spec := pipeline.DefaultSpec()
	for i := range 300 {
		spec.Stages = append(spec.Stages, pipeline.StageSpec{Key: pipeline.DealStage(fmt.Sprintf("extra_%d", i)), Order: 100 + i, Kind: pipeline.KindOpen})
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	def, err := pipeline.NewDefinition(spec)
	runtime.ReadMemStats(&after)
	assert.Nil(t, def)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), "more than 64")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated to refuse the spec")
}

// TestNewDefinitionNamesTheSpecIndexOfABadKey gives stages out of order,
// one without a key: the error names its index in Spec.Stages, not its
// place among the stages sorted by order.
func TestNewDefinitionNamesTheSpecIndexOfABadKey(t *testing.T) {
	for _, key := range []pipeline.DealStage{"", "Bad"} {
		spec := pipeline.DefaultSpec()
		slices.Reverse(spec.Stages)
		spec.Stages[4].Key = key // qualification, second by order
		_, err := pipeline.NewDefinition(spec)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "stages[4]", ve.Field, "key %q", key)
	}
}

// TestNewDefinitionExtremeOrders builds a pipeline whose orders span the
// whole int range: stages are sorted by comparing orders, not by their
// difference, which overflows.
func TestNewDefinitionExtremeOrders(t *testing.T) {
	spec := pipeline.Spec{Stages: []pipeline.StageSpec{
		{Key: "late", Order: 1, Kind: pipeline.KindOpen},
		{Key: "early", Order: math.MinInt, Kind: pipeline.KindOpen},
		{Key: "won", Order: math.MaxInt, Kind: pipeline.KindWon},
		{Key: "lost", Order: math.MaxInt - 1, Kind: pipeline.KindLost},
	}}
	p, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	assert.Equal(t, pipeline.DealStage("early"), p.Initial())
	var keys []pipeline.DealStage
	for st := range p.Stages() {
		keys = append(keys, st.Key)
	}
	assert.Equal(t, []pipeline.DealStage{"early", "late", "lost", "won"}, keys)
	assert.True(t, p.Machine().Allows("early", "late", false))
	assert.False(t, p.Machine().Allows("late", "early", false))
}

func TestDefaultDefinition(t *testing.T) {
	p := pipeline.DefaultDefinition()
	assert.Equal(t, "", p.Name())
	assert.Equal(t, pipeline.DealProspecting, p.Initial())
	var keys []pipeline.DealStage
	var probs []string
	for st := range p.Stages() {
		keys = append(keys, st.Key)
		probs = append(probs, st.Probability.String())
	}
	assert.Equal(t, []pipeline.DealStage{"prospecting", "qualification", "proposal", "negotiation", "won", "lost"}, keys)
	assert.Equal(t, []string{"0.1", "0.2", "0.5", "0.8", "1", "0"}, probs)
	for range p.Stages() {
		break
	}
	k, ok := p.Kind(pipeline.DealLost)
	assert.True(t, ok)
	assert.Equal(t, pipeline.KindLost, k)
	_, ok = p.Kind("nope")
	assert.False(t, ok)
	pr, ok := p.Probability(pipeline.DealNegotiation)
	assert.True(t, ok)
	assert.Equal(t, "0.8", pr.String())
	_, ok = p.Probability("nope")
	assert.False(t, ok)
	assert.True(t, p.IsOpen(pipeline.DealProposal))
	assert.False(t, p.IsOpen(pipeline.DealWon))
	assert.True(t, p.Machine().Allows(pipeline.DealProspecting, pipeline.DealWon, false), "forward to a terminal")
	assert.False(t, p.Machine().Allows(pipeline.DealProposal, pipeline.DealQualification, false), "no backward move by default")
	assert.True(t, p.Machine().Allows(pipeline.DealLost, pipeline.DealNegotiation, true))
}

func TestDealIllegalMoves(t *testing.T) {
	ctx := context.Background()
	p := pipeline.DefaultDefinition()
	lost := func(t *testing.T) *pipeline.Deal {
		d := openDeal(t, p)
		require.NoError(t, p.Lose(ctx, d, "", pipeline.LossReason{Category: pipeline.LossPrice, Detail: "too dear"}, stamp(1)))
		return d
	}
	won := func(t *testing.T) *pipeline.Deal {
		d := openDeal(t, p)
		require.NoError(t, p.Win(ctx, d, "", stamp(1)))
		return d
	}
	tests := []struct {
		name     string
		deal     func(*testing.T) *pipeline.Deal
		move     func(*pipeline.Deal) error
		from, to string
	}{
		{"new_deal_without_amount_to_won", func(t *testing.T) *pipeline.Deal {
			d := openDeal(t, p)
			d.Amount = sp.Money{}
			return d
		}, func(d *pipeline.Deal) error { return p.Win(ctx, d, "", stamp(2)) }, "prospecting", "won"},
		{"lost_to_negotiation_without_reopen", lost, func(d *pipeline.Deal) error {
			return p.Advance(ctx, d, pipeline.DealNegotiation, stamp(2))
		}, "lost", "negotiation"},
		{"won_to_lost", won, func(d *pipeline.Deal) error {
			return p.Lose(ctx, d, "", pipeline.LossReason{Category: pipeline.LossOther, Detail: "x"}, stamp(2))
		}, "won", "lost"},
		{"backward", func(t *testing.T) *pipeline.Deal {
			d := openDeal(t, p)
			require.NoError(t, p.Advance(ctx, d, pipeline.DealProposal, stamp(1)))
			return d
		}, func(d *pipeline.Deal) error { return p.Advance(ctx, d, pipeline.DealQualification, stamp(2)) }, "proposal", "qualification"},
		{"advance_into_lost", func(t *testing.T) *pipeline.Deal { return openDeal(t, p) }, func(d *pipeline.Deal) error {
			return p.Advance(ctx, d, pipeline.DealLost, stamp(2))
		}, "prospecting", "lost"},
		{"win_into_open_stage", func(t *testing.T) *pipeline.Deal { return openDeal(t, p) }, func(d *pipeline.Deal) error {
			return p.Win(ctx, d, pipeline.DealProposal, stamp(2))
		}, "prospecting", "proposal"},
		{"lose_into_won_stage", func(t *testing.T) *pipeline.Deal { return openDeal(t, p) }, func(d *pipeline.Deal) error {
			return p.Lose(ctx, d, pipeline.DealWon, pipeline.LossReason{Category: pipeline.LossOther, Detail: "x"}, stamp(2))
		}, "prospecting", "won"},
		{"reopen_open_deal", func(t *testing.T) *pipeline.Deal { return openDeal(t, p) }, func(d *pipeline.Deal) error {
			return p.Reopen(ctx, d, pipeline.DealQualification, stamp(2))
		}, "prospecting", "qualification"},
		{"reopen_delivered", func(t *testing.T) *pipeline.Deal {
			d := won(t)
			d.Service = &pipeline.Service{Stage: pipeline.ServiceDelivered}
			return d
		}, func(d *pipeline.Deal) error { return p.Reopen(ctx, d, pipeline.DealNegotiation, stamp(2)) }, "won", "negotiation"},
		{"unknown_stage", func(t *testing.T) *pipeline.Deal { return openDeal(t, p) }, func(d *pipeline.Deal) error {
			return p.Advance(ctx, d, "review", stamp(2))
		}, "prospecting", "review"},
		{"other_pipeline", func(t *testing.T) *pipeline.Deal {
			d := openDeal(t, p)
			d.Pipeline = "retail"
			return d
		}, func(d *pipeline.Deal) error { return p.Advance(ctx, d, pipeline.DealProposal, stamp(2)) }, "prospecting", "proposal"},
		{"override_closed", lost, func(d *pipeline.Deal) error { return p.Override(d, dec("0.5")) }, "lost", "lost"},
		{"reset_closed", lost, func(d *pipeline.Deal) error { return p.ResetProbability(d) }, "lost", "lost"},
		{"start_started", func(t *testing.T) *pipeline.Deal { return openDeal(t, p) }, func(d *pipeline.Deal) error {
			return p.Start(d, stamp(2))
		}, "prospecting", "prospecting"},
		{"reset_unknown_stage", func(t *testing.T) *pipeline.Deal { return &pipeline.Deal{Stage: "review"} }, func(d *pipeline.Deal) error {
			return p.ResetProbability(d)
		}, "review", "review"},
		{"override_other_pipeline", func(t *testing.T) *pipeline.Deal {
			d := openDeal(t, p)
			d.Pipeline = "retail" // a stage of the same key on another pipeline
			return d
		}, func(d *pipeline.Deal) error { return p.Override(d, dec("0.5")) }, "prospecting", "prospecting"},
		{"reset_other_pipeline", func(t *testing.T) *pipeline.Deal {
			d := openDeal(t, p)
			d.Pipeline = "retail"
			d.Probability = dec("0.4") // the default of retail's prospecting
			return d
		}, func(d *pipeline.Deal) error { return p.ResetProbability(d) }, "prospecting", "prospecting"},
	}
	for _, tt := range tests {
		t.Run("err_"+tt.name, func(t *testing.T) {
			d := tt.deal(t)
			before := d.Clone()
			err := tt.move(d)
			require.ErrorIs(t, err, sp.ErrInvalidTransition)
			var te *pipeline.TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.from, te.From)
			assert.Equal(t, tt.to, te.To)
			assert.Equal(t, before, *d, "the deal is unchanged")
		})
	}
	t.Run("err_bad_loss", func(t *testing.T) {
		d := openDeal(t, p)
		before := d.Clone()
		err := p.Lose(ctx, d, "", pipeline.LossReason{Category: "weather", Detail: "rain"}, stamp(1))
		assert.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), "loss.category")
		assert.Equal(t, before, *d)
	})
	t.Run("err_bad_override", func(t *testing.T) {
		d := openDeal(t, p)
		before := d.Clone()
		assert.ErrorIs(t, p.Override(d, dec("1.01")), sp.ErrInvalid)
		assert.ErrorIs(t, p.Override(d, dec("-0.01")), sp.ErrInvalid)
		assert.Equal(t, before, *d)
	})
	t.Run("err_override_unknown_stage", func(t *testing.T) {
		d := openDeal(t, p)
		d.Stage = "review" // a stage of another pipeline
		err := p.Override(d, dec("0.5"))
		var te *pipeline.TransitionError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "the current stage is not a stage of this machine", te.Reason, "not a closed deal")
		assert.False(t, d.Overridden)
	})
}

func TestProbabilityRules(t *testing.T) {
	ctx := context.Background()
	p := pipeline.DefaultDefinition()
	d := openDeal(t, p)
	assert.Equal(t, "0.1", d.Probability.String())
	assert.False(t, d.Overridden)

	require.NoError(t, p.Override(d, dec("0.35")))
	assert.Equal(t, "0.35", d.Probability.String())
	assert.True(t, d.Overridden)

	require.NoError(t, p.Advance(ctx, d, pipeline.DealProposal, stamp(1)))
	assert.Equal(t, "0.5", d.Probability.String(), "a stage change clears the override")
	assert.False(t, d.Overridden)

	require.NoError(t, p.Override(d, dec("0.05")))
	require.NoError(t, p.ResetProbability(d))
	assert.Equal(t, "0.5", d.Probability.String())
	assert.False(t, d.Overridden)

	require.NoError(t, p.Override(d, dec("0.3")))
	require.NoError(t, p.Win(ctx, d, "", stamp(2)))
	assert.True(t, d.Probability.Equal(decimal.NewFromInt(1)), "won is 1 whatever was overridden")
	assert.False(t, d.Overridden)
	assert.Equal(t, t0.Add(2*time.Minute), d.Closed)

	d.Service = &pipeline.Service{Stage: pipeline.ServiceAwaitingDelivery}
	require.NoError(t, p.Reopen(ctx, d, pipeline.DealNegotiation, stamp(3)))
	assert.Equal(t, "0.8", d.Probability.String(), "a reopened deal takes its stage's default (odoo/odoo#49027)")
	assert.False(t, d.Overridden)
	assert.True(t, d.Closed.IsZero())
	assert.Nil(t, d.Service, "a deal reopened before delivery loses its after-sale part")

	require.NoError(t, p.Override(d, dec("0.95")))
	require.NoError(t, p.Lose(ctx, d, "", pipeline.LossReason{Category: pipeline.LossCompetitor, Detail: "cheaper rival"}, stamp(4)))
	assert.True(t, d.Probability.IsZero(), "lost is 0 whatever was overridden")
	assert.False(t, d.Overridden)
	require.NotNil(t, d.Loss)
	assert.Equal(t, pipeline.LossCompetitor, d.Loss.Category)
	assert.Equal(t, "competitor: cheaper rival", d.History[len(d.History)-1].Reason)

	require.NoError(t, p.Reopen(ctx, d, pipeline.DealQualification, stamp(5)))
	assert.Equal(t, "0.2", d.Probability.String())
	assert.Nil(t, d.Loss)
	assert.True(t, d.Closed.IsZero())

	require.NoError(t, pipeline.CheckHistory(d.Stage, d.History))
	var path []pipeline.DealStage
	for _, tr := range d.History {
		path = append(path, tr.To)
	}
	assert.Equal(t, []pipeline.DealStage{"prospecting", "proposal", "won", "negotiation", "lost", "qualification"}, path)
}

func TestGatesAndHooks(t *testing.T) {
	ctx := context.Background()
	certified := map[sp.RepID]bool{"rep-ann": true}
	storage := errors.New("training store down")
	var down bool
	elig := pipeline.EligibilityFunc(func(_ context.Context, rep sp.RepID, _ sp.ProductID, _ sp.ChannelID, _ time.Time) error {
		if down {
			return storage
		}
		if !certified[rep] {
			return errors.Join(errors.New("not certified"), sp.ErrForbidden)
		}
		return nil
	})
	var entered []string
	spec := pipeline.DefaultSpec()
	spec.Name = "gated"
	spec.Stages[2].Gates = []pipeline.Gate{pipeline.RequireAmount()}
	spec.Stages[3].Gates = []pipeline.Gate{pipeline.RequireCertifiedOwner(elig)}
	spec.Stages[3].OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(d *pipeline.Deal, tr dealTrans) {
		entered = append(entered, string(tr.To)+" at "+d.Probability.String())
	}}
	spec.Stages[1].OnExit = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(d *pipeline.Deal, tr dealTrans) {
		entered = append(entered, "left "+string(tr.From))
	}}
	p, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	newDeal := func(owner sp.RepID, amount sp.Money) *pipeline.Deal {
		d := &pipeline.Deal{ID: "d1", Pipeline: "gated", Owner: owner, Product: "widget", Amount: amount}
		require.NoError(t, p.Start(d, stamp(0)))
		return d
	}
	tests := []struct {
		name   string
		owner  sp.RepID
		amount sp.Money
		down   bool
		to     pipeline.DealStage
		gate   string
		is     error
	}{
		{"err_proposal_without_amount", "rep-ann", sp.Money{}, false, pipeline.DealProposal, "an amount", sp.ErrInvalidTransition},
		{"err_skip_proposal_without_amount", "rep-ann", sp.Money{}, false, pipeline.DealNegotiation, "an amount", sp.ErrInvalidTransition},
		{"err_negotiation_uncertified", "rep-bob", eur("10"), false, pipeline.DealNegotiation, "a certified owner", sp.ErrForbidden},
		{"err_won_skipping_uncertified", "rep-bob", eur("10"), false, pipeline.DealWon, "a certified owner", sp.ErrForbidden},
		{"err_negotiation_no_owner", "", eur("10"), false, pipeline.DealNegotiation, "a certified owner", sp.ErrForbidden},
		{"err_eligibility_failure_passes_through", "rep-ann", eur("10"), true, pipeline.DealNegotiation, "", storage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			down = tt.down
			d := newDeal(tt.owner, tt.amount)
			before := d.Clone()
			err := p.Advance(ctx, d, tt.to, stamp(1))
			require.ErrorIs(t, err, tt.is)
			var te *pipeline.TransitionError
			if tt.gate != "" {
				require.ErrorAs(t, err, &te)
				assert.Equal(t, tt.gate, te.Guard)
				assert.Contains(t, err.Error(), "needs "+tt.gate)
			} else {
				assert.False(t, errors.As(err, &te), "a failure is not a refusal")
			}
			assert.Equal(t, before, *d)
		})
	}
	down = false
	t.Run("ok_lost_skips_gates", func(t *testing.T) {
		d := newDeal("rep-bob", sp.Money{})
		require.NoError(t, p.Lose(ctx, d, "", pipeline.LossReason{Category: pipeline.LossTiming, Detail: "next year"}, stamp(1)))
	})
	t.Run("ok_hooks_see_the_new_probability", func(t *testing.T) {
		entered = nil
		d := newDeal("rep-ann", eur("10"))
		require.NoError(t, p.Advance(ctx, d, pipeline.DealQualification, stamp(1)))
		require.NoError(t, p.Advance(ctx, d, pipeline.DealNegotiation, stamp(2)))
		assert.Equal(t, []string{"left qualification", "negotiation at 0.8"}, entered)
	})
	assert.Contains(t, p.Mermaid(), "qualification --> negotiation: an amount, a certified owner\n")
	assert.Contains(t, p.DOT(), `"prospecting" -> "won" [label="an amount, a certified owner, a positive amount"];`)
}

func TestPipelineWithSeveralClosedStages(t *testing.T) {
	ctx := context.Background()
	p, err := pipeline.NewDefinition(pipeline.Spec{
		Name: "retail",
		Stages: []pipeline.StageSpec{
			{Key: "lead", Order: 10, Kind: pipeline.KindOpen, Probability: dec("0.25")},
			{Key: "offer", Order: 20, Kind: pipeline.KindOpen, Probability: dec("0.6")},
			{Key: "won_online", Order: 30, Kind: pipeline.KindWon},
			{Key: "won_store", Order: 31, Kind: pipeline.KindWon, Probability: dec("1")},
			{Key: "lost_price", Order: 40, Kind: pipeline.KindLost},
			{Key: "lost_other", Order: 41, Kind: pipeline.KindLost},
		},
		Backward: true,
		Reopen:   []pipeline.Move{{From: "lost_price", To: "offer"}},
	})
	require.NoError(t, err)
	d := &pipeline.Deal{ID: "r1", Pipeline: "retail", Amount: eur("5")}
	require.NoError(t, p.Start(d, stamp(0)))
	assert.Equal(t, pipeline.DealStage("lead"), d.Stage)
	require.NoError(t, p.Advance(ctx, d, "offer", stamp(1)))
	require.NoError(t, p.Advance(ctx, d, "lead", stamp(2)), "backward allowed")
	require.NoError(t, p.Lose(ctx, d, "lost_other", pipeline.LossReason{Category: pipeline.LossNoDecision, Detail: "silent"}, stamp(3)))
	assert.ErrorIs(t, p.Reopen(ctx, d, "offer", stamp(4)), sp.ErrInvalidTransition, "only lost_price reopens")
	d2 := &pipeline.Deal{ID: "r2", Pipeline: "retail", Amount: eur("5")}
	require.NoError(t, p.Start(d2, stamp(0)))
	require.NoError(t, p.Win(ctx, d2, "won_store", stamp(1)))
	assert.Equal(t, pipeline.DealStage("won_store"), d2.Stage)
	d3 := &pipeline.Deal{ID: "r3", Pipeline: "retail", Amount: eur("5")}
	require.NoError(t, p.Start(d3, stamp(0)))
	require.NoError(t, p.Advance(ctx, d3, "won_online", stamp(1)), "advance into a won stage wins")
	assert.Equal(t, t0.Add(time.Minute), d3.Closed)

	explicit, err := pipeline.NewDefinition(pipeline.Spec{
		Name: "explicit",
		Stages: []pipeline.StageSpec{
			{Key: "a", Order: 1, Kind: pipeline.KindOpen},
			{Key: "b", Order: 2, Kind: pipeline.KindOpen},
			{Key: "w", Order: 3, Kind: pipeline.KindWon},
			{Key: "l", Order: 4, Kind: pipeline.KindLost},
		},
		Moves: []pipeline.Move{{From: "a", To: "b"}, {From: "b", To: "a"}, {From: "b", To: "w"}, {From: "a", To: "l"}, {From: "b", To: "l"}},
	})
	require.NoError(t, err)
	assert.False(t, explicit.Machine().Allows("a", "w", false))
	assert.True(t, explicit.Machine().Allows("b", "a", false))
}

func TestDefinitionOnDecodedDeal(t *testing.T) {
	ctx := context.Background()
	p := pipeline.DefaultDefinition()
	var d pipeline.Deal
	require.NoError(t, json.Unmarshal([]byte(`{"id":"d1","stage":"proposal","amount":{"amount":"10.00","currency":"EUR"},"history":[{"from":"","to":"proposal","at":"2026-11-02T09:00:00Z","actor":"rep"}]}`), &d))
	require.NoError(t, p.Advance(ctx, &d, pipeline.DealStage(strings.Clone("negotiation")), stamp(1)))
	assert.Equal(t, "0.8", d.Probability.String())
	err := p.Advance(ctx, &d, pipeline.DealStage(strings.Clone("proposal")), stamp(2))
	assert.ErrorIs(t, err, sp.ErrInvalidTransition)
	require.NoError(t, p.Win(ctx, &d, pipeline.DealStage(strings.Clone("won")), stamp(3)))
}

// A hook on a won stage sends the move the long way; the built-in amount
// gate must still hold there.
func TestWonStageHookKeepsAmountGate(t *testing.T) {
	ctx := context.Background()
	spec := pipeline.DefaultSpec()
	var won int
	for i := range spec.Stages {
		if spec.Stages[i].Kind == pipeline.KindWon {
			spec.Stages[i].OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(*pipeline.Deal, dealTrans) { won++ }}
		}
	}
	p, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)

	d := &pipeline.Deal{ID: "d1", Owner: "rep-ann"}
	require.NoError(t, p.Start(d, stamp(0)))
	before := d.Clone()
	err = p.Win(ctx, d, "", stamp(1))
	var te *pipeline.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "a positive amount", te.Guard)
	assert.Equal(t, before, *d)
	assert.Zero(t, won)

	d.Amount = eur("10")
	require.NoError(t, p.Win(ctx, d, "", stamp(2)))
	assert.Equal(t, pipeline.DealWon, d.Stage)
	assert.Equal(t, 1, won)
}

// Start puts a deal in the initial stage without its gates or hooks, as
// Definition.Start and StageSpec say.
func TestDefinitionStartRunsNoGateOrHook(t *testing.T) {
	spec := pipeline.DefaultSpec()
	var ran []string
	spec.Stages[0].Gates = []pipeline.Gate{{Name: "never", Check: func(context.Context, *pipeline.Deal, dealTrans) error {
		ran = append(ran, "gate")
		return errors.New("closed")
	}}}
	spec.Stages[0].OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(*pipeline.Deal, dealTrans) { ran = append(ran, "enter") }}
	p, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	d := &pipeline.Deal{ID: "d1"}
	require.NoError(t, p.Start(d, stamp(0)))
	assert.Equal(t, pipeline.DealProspecting, d.Stage)
	assert.Empty(t, ran)
}

// TestDefaultMovesReachClosedStagesOfAnyOrder checks that the default moves
// go from an open stage to every closed one, whatever their orders, and
// forward only between open stages unless Backward is set.
func TestDefaultMovesReachClosedStagesOfAnyOrder(t *testing.T) {
	ctx := context.Background()
	p, err := pipeline.NewDefinition(pipeline.Spec{
		Name: "closed_first",
		Stages: []pipeline.StageSpec{
			{Key: "won", Order: 0, Kind: pipeline.KindWon},
			{Key: "lost", Order: 1, Kind: pipeline.KindLost},
			{Key: "lead", Order: 2, Kind: pipeline.KindOpen, Probability: dec("0.2")},
			{Key: "offer", Order: 3, Kind: pipeline.KindOpen, Probability: dec("0.6")},
		},
	})
	require.NoError(t, err)
	m := p.Machine()
	for _, from := range []pipeline.DealStage{"lead", "offer"} {
		assert.True(t, m.Allows(from, "won", false), "%s to won", from)
		assert.True(t, m.Allows(from, "lost", false), "%s to lost", from)
	}
	assert.True(t, m.Allows("lead", "offer", false))
	assert.False(t, m.Allows("offer", "lead", false), "backward not allowed")
	d := &pipeline.Deal{ID: "c1", Pipeline: "closed_first", Amount: eur("5")}
	require.NoError(t, p.Start(d, stamp(0)))
	require.NoError(t, p.Advance(ctx, d, "offer", stamp(1)))
	require.NoError(t, p.Win(ctx, d, "", stamp(2)))
	assert.Equal(t, pipeline.DealStage("won"), d.Stage)
}

// Lose writes "<category>: <detail>" as the transition's reason only when the
// stamp has none; a reason given is kept, and the loss is recorded either way.
func TestLoseKeepsTheStampsReason(t *testing.T) {
	ctx := context.Background()
	p := pipeline.DefaultDefinition()
	loss := pipeline.LossReason{Category: pipeline.LossCompetitor, Detail: "cheaper rival"}

	d := openDeal(t, p)
	require.NoError(t, p.Lose(ctx, d, "", loss, stamp(1)))
	assert.Equal(t, "competitor: cheaper rival", d.History[len(d.History)-1].Reason)

	d = openDeal(t, p)
	s := stamp(1)
	s.Reason = "the buyer chose Rival Inc"
	require.NoError(t, p.Lose(ctx, d, "", loss, s))
	assert.Equal(t, pipeline.DealLost, d.Stage)
	assert.Equal(t, "the buyer chose Rival Inc", d.History[len(d.History)-1].Reason)
	require.NotNil(t, d.Loss)
	assert.Equal(t, loss, *d.Loss)
}

// A move into a won stage passes the gates of every open stage after its
// source, whatever the won stage's order: a pipeline that lists its closed
// stages first does not let a Win bypass a gate.
func TestWinPassesTheGatesOfLaterOpenStagesWhateverTheWonOrder(t *testing.T) {
	ctx := context.Background()
	never := pipeline.Gate{Name: "a review", Check: func(context.Context, *pipeline.Deal, dealTrans) error {
		return errors.New("not reviewed")
	}}
	for _, wonOrder := range []int{0, 3, 10} { // before, between and after the open stages
		p, err := pipeline.NewDefinition(pipeline.Spec{
			Name: "gated",
			Stages: []pipeline.StageSpec{
				{Key: "won", Order: wonOrder, Kind: pipeline.KindWon},
				{Key: "lost", Order: 1, Kind: pipeline.KindLost},
				{Key: "lead", Order: 2, Kind: pipeline.KindOpen, Probability: dec("0.2")},
				{Key: "offer", Order: 4, Kind: pipeline.KindOpen, Probability: dec("0.6"), Gates: []pipeline.Gate{never}},
				{Key: "closing", Order: 5, Kind: pipeline.KindOpen, Probability: dec("0.8")},
			},
		})
		require.NoError(t, err)
		d := &pipeline.Deal{ID: "d1", Pipeline: "gated", Amount: eur("5")}
		require.NoError(t, p.Start(d, stamp(0)))
		before := d.Clone()
		for _, to := range []pipeline.DealStage{"", "won"} {
			err = p.Win(ctx, d, to, stamp(1))
			var te *pipeline.TransitionError
			require.ErrorAs(t, err, &te, "won order %d", wonOrder)
			assert.Equal(t, "a review", te.Guard)
			assert.Equal(t, before, *d)
		}
		require.NoError(t, p.Lose(ctx, d, "", pipeline.LossReason{Category: pipeline.LossTiming, Detail: "later"}, stamp(1)), "a lost stage has only its own gates")
		d = &pipeline.Deal{ID: "d2", Pipeline: "gated", Amount: eur("5")}
		require.NoError(t, p.Start(d, stamp(0)))
		d.Stage, d.History[0].To = "closing", "closing" // past the gate
		require.NoError(t, p.Win(ctx, d, "", stamp(1)), "won order %d", wonOrder)
	}
}

// A Spec marshals to JSON and back, the gates and hooks of its stages
// left out, and a spec kept as JSON builds the same pipeline.
func TestSpecJSON(t *testing.T) {
	t.Run("default_round_trip", func(t *testing.T) {
		spec := pipeline.DefaultSpec()
		data, err := json.Marshal(spec)
		require.NoError(t, err)
		assert.NotContains(t, string(data), `"moves"`, "nil Moves is left out")
		var back pipeline.Spec
		require.NoError(t, json.Unmarshal(data, &back))
		again, err := json.Marshal(back)
		require.NoError(t, err)
		assert.Equal(t, string(data), string(again))
		assert.Nil(t, back.Moves)
		assert.Equal(t, spec.Reopen, back.Reopen)
		require.Len(t, back.Stages, len(spec.Stages))
		for i, st := range spec.Stages {
			got := back.Stages[i]
			assert.True(t, st.Probability.Equal(got.Probability), "stage %s: probability %s", st.Key, got.Probability)
			got.Probability = st.Probability
			assert.Equal(t, st, got)
		}
		_, err = pipeline.NewDefinition(back)
		require.NoError(t, err)
	})
	t.Run("form", func(t *testing.T) {
		spec := pipeline.Spec{Name: "renewals", Backward: true, Stages: []pipeline.StageSpec{
			{Key: "talk", Order: 1, Probability: dec("0.3"), Kind: pipeline.KindOpen},
			{Key: "renewed", Name: "Renewed", Order: 2, Probability: dec("1"), Kind: pipeline.KindWon},
			{Key: "churned", Order: 3, Kind: pipeline.KindLost},
		}, Moves: []pipeline.Move{{From: "talk", To: "renewed"}, {From: "talk", To: "churned"}}}
		data, err := json.Marshal(spec)
		require.NoError(t, err)
		assert.JSONEq(t, `{"name":"renewals","backward":true,"stages":[
			{"key":"talk","order":1,"probability":"0.3","kind":"open"},
			{"key":"renewed","name":"Renewed","order":2,"probability":"1","kind":"won"},
			{"key":"churned","order":3,"probability":"0","kind":"lost"}],
			"moves":[{"from":"talk","to":"renewed"},{"from":"talk","to":"churned"}]}`, string(data))
	})
	t.Run("empty_moves_kept", func(t *testing.T) {
		// Moves empty and Moves nil differ (no moves, the default moves):
		// each reads back as it was.
		spec := pipeline.DefaultSpec()
		spec.Moves = []pipeline.Move{}
		data, err := json.Marshal(spec)
		require.NoError(t, err)
		assert.Contains(t, string(data), `"moves":[]`)
		var back pipeline.Spec
		require.NoError(t, json.Unmarshal(data, &back))
		require.NotNil(t, back.Moves)
		assert.Empty(t, back.Moves)
		_, errSpec := pipeline.NewDefinition(spec)
		_, errBack := pipeline.NewDefinition(back)
		require.Error(t, errSpec)
		assert.Equal(t, errSpec.Error(), errBack.Error())
	})
	t.Run("gates_and_hooks_attached_in_code", func(t *testing.T) {
		// A pipeline kept in a host's configuration, probabilities as JSON
		// numbers or strings; its gates and hooks come from code.
		doc := `{"name":"field","stages":[
			{"key":"visit","order":1,"probability":0.2,"kind":"open"},
			{"key":"quote","order":2,"probability":"0.6","kind":"open"},
			{"key":"won","order":3,"probability":1,"kind":"won"},
			{"key":"lost","order":4,"kind":"lost"}],
			"reopen":[{"from":"lost","to":"visit"}]}`
		var spec pipeline.Spec
		require.NoError(t, json.Unmarshal([]byte(doc), &spec))
		entered := 0
		for i := range spec.Stages {
			if spec.Stages[i].Key == "quote" {
				spec.Stages[i].Gates = []pipeline.Gate{pipeline.RequireAmount()}
				spec.Stages[i].OnEnter = []pipeline.Hook[pipeline.DealStage, *pipeline.Deal]{func(*pipeline.Deal, dealTrans) { entered++ }}
			}
		}
		def, err := pipeline.NewDefinition(spec)
		require.NoError(t, err)
		d := &pipeline.Deal{ID: "d1", Owner: "rep-ann", Product: "widget"}
		require.NoError(t, def.Start(d, stamp(0)))
		require.ErrorIs(t, def.Advance(context.Background(), d, "quote", stamp(1)), sp.ErrInvalidTransition, "the gate attached in code holds")
		d.Amount = eur("10.00")
		require.NoError(t, def.Advance(context.Background(), d, "quote", stamp(2)))
		assert.Equal(t, 1, entered)
		assert.True(t, dec("0.6").Equal(d.Probability))

		// Encoding the spec leaves the functions out; it reads back
		// without them.
		data, err := json.Marshal(spec)
		require.NoError(t, err)
		var members []map[string]json.RawMessage
		var raw struct{ Stages json.RawMessage }
		require.NoError(t, json.Unmarshal(data, &raw))
		require.NoError(t, json.Unmarshal(raw.Stages, &members))
		for _, m := range members {
			assert.ElementsMatch(t, []string{"key", "order", "probability", "kind"}, slices.Collect(maps.Keys(m)))
		}
		var back pipeline.Spec
		require.NoError(t, json.Unmarshal(data, &back))
		for _, st := range back.Stages {
			assert.Nil(t, st.Gates)
			assert.Nil(t, st.OnEnter)
			assert.Nil(t, st.OnExit)
		}
	})
}

// A Spec is configuration that a person writes: a member that no field of
// the spec, of a stage or of a move decodes (a misspelt setting, gates or
// hooks, which have no JSON form), and a member given twice, by the same
// key or by one that encoding/json matches to the same field (which would
// otherwise leave the field at the last of its values: the moves of the
// "top_twice" document nil, the default moves), are refused, named by
// their paths, and the spec is left as it was, whether it is decoded
// through json.Unmarshal or by a direct call; a StageSpec, a Move and a
// FollowUpPolicy alone likewise. Records stay lenient.
func TestSpecJSONStrict(t *testing.T) {
	const stages = `{"key":"lead","order":1,"probability":"0.2","kind":"open"},` +
		`{"key":"won","order":2,"kind":"won"},{"key":"lost","order":3,"kind":"lost"}`
	for _, tt := range []struct{ name, doc, field, reason string }{
		{"top", `{"name":"b2b","stages":[` + stages + `],"backwards":true}`, "spec.backwards", "unknown field"},
		{"stage", `{"stages":[{"key":"lead","order":1,"probabilty":"0.4","kind":"open"}]}`, "spec.stages[0].probabilty", "unknown field"},
		{"second_stage", `{"stages":[` + stages + `,{"key":"demo","order":4,"kind":"open","Order ":5}]}`, `spec.stages[3]."Order "`, "unknown field"},
		{"stage_gates", `{"stages":[{"key":"lead","order":1,"kind":"open","gates":["a certified owner"]}]}`, "spec.stages[0].gates", "unknown field"},
		{"stage_hook", `{"stages":[{"key":"won","order":2,"kind":"won","OnEnter":[]}]}`, "spec.stages[0].OnEnter", "unknown field"},
		{"move", `{"stages":[` + stages + `],"moves":[{"from":"lead","to":"won"},{"from":"lead","to":"lost","why":"x"}]}`, "spec.moves[1].why", "unknown field"},
		{"reopen", `{"stages":[` + stages + `],"reopen":[{"from":"lost","to":"lead","reason":""}]}`, "spec.reopen[0].reason", "unknown field"},
		{"top_twice", `{"stages":[` + stages + `],"moves":[{"from":"lead","to":"won"}],"moves":null}`, "spec.moves", "given twice"},
		{"top_other_case_twice", `{"stages":[` + stages + `],"Moves":[{"from":"lead","to":"won"}],"moves":null}`, "spec.moves", "given twice, first as Moves"},
		{"top_name_twice", `{"name":"a","stages":[` + stages + `],"NAME":"b"}`, "spec.NAME", "given twice, first as name"},
		{"top_stages_twice", `{"stages":[` + stages + `],"stages":[]}`, "spec.stages", "given twice"},
		{"stage_twice", `{"stages":[` + stages + `,{"key":"demo","order":4,"kind":"open","order":5}]}`, "spec.stages[3].order", "given twice"},
		{"stage_other_case_twice", `{"stages":[{"key":"lead","order":1,"Order":2,"kind":"open"}]}`, "spec.stages[0].Order", "given twice, first as order"},
		{"stage_probability_twice", `{"stages":[{"key":"lead","probability":"0.2","PROBABILITY":"0.9"}]}`, "spec.stages[0].PROBABILITY", "given twice, first as probability"},
		{"move_twice", `{"stages":[` + stages + `],"moves":[{"from":"lead","to":"won"},{"from":"lead","to":"lost","to":"won"}]}`, "spec.moves[1].to", "given twice"},
		{"move_other_case_twice", `{"stages":[` + stages + `],"moves":[{"from":"lead","From":"won","to":"lost"}]}`, "spec.moves[0].From", "given twice, first as from"},
		{"reopen_twice", `{"stages":[` + stages + `],"reopen":[{"from":"lost","to":"lead","To":"won"}]}`, "spec.reopen[0].To", "given twice, first as to"},
	} {
		t.Run("err_"+tt.name, func(t *testing.T) {
			held := pipeline.DefaultSpec()
			for _, decode := range []func(*pipeline.Spec) error{
				func(s *pipeline.Spec) error { return json.Unmarshal([]byte(tt.doc), s) },
				func(s *pipeline.Spec) error { return s.UnmarshalJSON([]byte(tt.doc)) },
			} {
				s := pipeline.DefaultSpec()
				err := decode(&s)
				require.ErrorIs(t, err, sp.ErrInvalid)
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, "%v", err)
				assert.Equal(t, tt.reason, ve.Reason)
				assert.Equal(t, held, s, "a failed decoding changes nothing")
			}
		})
	}
	t.Run("err_stage_and_move_alone", func(t *testing.T) {
		st := pipeline.StageSpec{Key: "lead"}
		err := json.Unmarshal([]byte(`{"key":"demo","order":1,"kind":"open","probabilty":"0.4"}`), &st)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid stage_spec.probabilty: unknown field")
		assert.Equal(t, pipeline.StageSpec{Key: "lead"}, st)
		m := pipeline.Move{From: "a", To: "b"}
		err = json.Unmarshal([]byte(`{"from":"lead","to":"won","form":"x"}`), &m)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid move.form: unknown field")
		assert.Equal(t, pipeline.Move{From: "a", To: "b"}, m)
	})
	t.Run("err_follow_up_policy", func(t *testing.T) {
		p := pipeline.FollowUpPolicy{FirstContact: time.Hour}
		err := json.Unmarshal([]byte(`{"first_contact":"4h","next_tuch":"48h"}`), &p)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid follow_up_policy.next_tuch: unknown field")
		assert.Equal(t, pipeline.FollowUpPolicy{FirstContact: time.Hour}, p)
	})
	t.Run("err_twice_stage_move_and_policy_alone", func(t *testing.T) {
		st := pipeline.StageSpec{Key: "lead"}
		err := json.Unmarshal([]byte(`{"key":"demo","order":1,"kind":"open","key":"lead"}`), &st)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid stage_spec.key: given twice")
		assert.Equal(t, pipeline.StageSpec{Key: "lead"}, st)

		m := pipeline.Move{From: "a", To: "b"}
		err = json.Unmarshal([]byte(`{"from":"lead","to":"won","TO":"lost"}`), &m)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid move.TO: given twice, first as to")
		assert.Equal(t, pipeline.Move{From: "a", To: "b"}, m)

		p := pipeline.FollowUpPolicy{FirstContact: time.Hour}
		for doc, want := range map[string]string{
			`{"first_contact":"4h","next_touch":"48h","next_touch":"72h"}`: "invalid follow_up_policy.next_touch: given twice",
			`{"first_contact":"4h","First_Contact":"8h"}`:                  "invalid follow_up_policy.First_Contact: given twice, first as first_contact",
		} {
			err = json.Unmarshal([]byte(doc), &p)
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.EqualError(t, err, want)
			assert.Equal(t, pipeline.FollowUpPolicy{FirstContact: time.Hour}, p)
		}
	})
	t.Run("ok_same_keys_in_other_objects", func(t *testing.T) {
		// Each stage and each move has its own members: the same keys in
		// another object, and a member spelt in another case once, decode.
		doc := `{"name":"b2b","stages":[{"key":"lead","order":1,"probability":"0.2","kind":"open"},` +
			`{"key":"won","ORDER":2,"kind":"won"},{"key":"lost","order":3,"Kind":"lost"}],` +
			`"moves":[{"from":"lead","to":"won"},{"from":"lead","To":"lost"}],"Reopen":[{"from":"lost","to":"lead"}]}`
		var s pipeline.Spec
		require.NoError(t, json.Unmarshal([]byte(doc), &s))
		require.Len(t, s.Stages, 3)
		assert.Equal(t, 2, s.Stages[1].Order)
		assert.Equal(t, pipeline.KindLost, s.Stages[2].Kind)
		assert.Equal(t, []pipeline.Move{{From: "lead", To: "won"}, {From: "lead", To: "lost"}}, s.Moves)
		assert.Equal(t, []pipeline.Move{{From: "lost", To: "lead"}}, s.Reopen)
		_, err := pipeline.NewDefinition(s)
		require.NoError(t, err)

		var p pipeline.FollowUpPolicy
		require.NoError(t, json.Unmarshal([]byte(`{"first_contact":"4h","Next_Touch":"48h"}`), &p))
		assert.Equal(t, pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 48 * time.Hour}, p)
	})
	t.Run("ok_records_take_the_last", func(t *testing.T) {
		// A record stays lenient: encoding/json takes the last value.
		var d pipeline.Deal
		require.NoError(t, json.Unmarshal([]byte(`{"id":"d1","stage":"prospecting","ID":"d2"}`), &d))
		assert.Equal(t, sp.DealID("d2"), d.ID)
	})
	t.Run("ok_known_members", func(t *testing.T) {
		// Every member the JSON form has, in any case, as encoding/json
		// matches them.
		doc := `{"name":"b2b","backward":true,"stages":[{"key":"lead","name":"Lead","order":1,"probability":"0.2","kind":"open"},` +
			`{"key":"won","order":2,"kind":"won"},{"key":"lost","order":3,"kind":"lost"}],` +
			`"moves":[{"from":"lead","to":"won"},{"from":"lead","to":"lost"}],"Reopen":[{"FROM":"lost","to":"lead"}]}`
		var s pipeline.Spec
		require.NoError(t, json.Unmarshal([]byte(doc), &s))
		assert.Equal(t, "b2b", s.Name)
		assert.True(t, s.Backward)
		require.Len(t, s.Stages, 3)
		assert.Equal(t, "Lead", s.Stages[0].Name)
		assert.True(t, s.Stages[0].Probability.Equal(dec("0.2")))
		assert.Equal(t, []pipeline.Move{{From: "lead", To: "won"}, {From: "lead", To: "lost"}}, s.Moves)
		assert.Equal(t, []pipeline.Move{{From: "lost", To: "lead"}}, s.Reopen)
		_, err := pipeline.NewDefinition(s)
		require.ErrorIs(t, err, sp.ErrInvalid, "backward beside moves")
		s.Backward = false
		_, err = pipeline.NewDefinition(s)
		require.NoError(t, err)
	})
	t.Run("ok_records_stay_lenient", func(t *testing.T) {
		var d pipeline.Deal
		require.NoError(t, json.Unmarshal([]byte(`{"id":"d1","stage":"prospecting","added_later":true}`), &d))
		assert.Equal(t, sp.DealID("d1"), d.ID)
	})
}

// Spec.Stage finds a stage by key, the first of a repeated key, and gives
// a pointer into the spec's own stages, so that what is attached through
// it reaches the definition; an absent key gives nil.
func TestSpecStage(t *testing.T) {
	spec := pipeline.DefaultSpec()
	st := spec.Stage(pipeline.DealProposal)
	if st == nil || st.Key != pipeline.DealProposal {
		t.Fatalf("Stage(proposal) = %+v, want the proposal stage", st)
	}
	if &spec.Stages[slices.IndexFunc(spec.Stages, func(s pipeline.StageSpec) bool { return s.Key == pipeline.DealProposal })] != st {
		t.Error("Stage returns a copy, not a pointer into spec.Stages")
	}
	if got := spec.Stage("nowhere"); got != nil {
		t.Errorf("Stage of an absent key = %+v, want nil", got)
	}
	if got := (&pipeline.Spec{}).Stage(pipeline.DealWon); got != nil {
		t.Errorf("Stage of an empty spec = %+v, want nil", got)
	}
	twice := pipeline.Spec{Stages: []pipeline.StageSpec{{Key: "a", Order: 1}, {Key: "a", Order: 2}}}
	if got := twice.Stage("a"); got == nil || got.Order != 1 {
		t.Errorf("Stage of a repeated key = %+v, want the first", got)
	}

	refused := errors.New("not before the amount is agreed")
	st.Gates = append(st.Gates, pipeline.Gate{Name: "an agreed amount", Check: func(context.Context, *pipeline.Deal, pipeline.Transition[pipeline.DealStage]) error {
		return refused
	}})
	def, err := pipeline.NewDefinition(spec)
	require.NoError(t, err)
	d := &pipeline.Deal{ID: "d1"}
	require.NoError(t, def.Start(d, stamp(0)))
	d.Amount = eur("100.00")
	err = def.Advance(context.Background(), d, pipeline.DealProposal, stamp(1))
	assert.ErrorIs(t, err, refused, "a gate attached through Stage refuses the move")
	assert.Equal(t, pipeline.DealProspecting, d.Stage)
}
