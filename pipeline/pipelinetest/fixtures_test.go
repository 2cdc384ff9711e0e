package pipelinetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

func TestRetry(t *testing.T) {
	t.Run("ok_after_conflicts", func(t *testing.T) {
		calls := 0
		err := pipelinetest.Retry(3, func() error {
			calls++
			if calls < 3 {
				return fmt.Errorf("race: %w", sp.ErrConflict)
			}
			return nil
		})
		assert.NoError(t, err)
		assert.Equal(t, 3, calls)
	})
	t.Run("err_conflicts_exhaust_attempts", func(t *testing.T) {
		calls := 0
		err := pipelinetest.Retry(2, func() error { calls++; return sp.ErrConflict })
		assert.ErrorIs(t, err, sp.ErrConflict)
		assert.Equal(t, 2, calls)
	})
	t.Run("no_attempts_runs_once", func(t *testing.T) {
		calls := 0
		err := pipelinetest.Retry(0, func() error { calls++; return sp.ErrConflict })
		assert.ErrorIs(t, err, sp.ErrConflict)
		assert.Equal(t, 1, calls)
	})
	t.Run("err_nil_func", func(t *testing.T) {
		assert.ErrorIs(t, pipelinetest.Retry(3, nil), sp.ErrInvalid)
	})
}

func TestNewScenarioNilTB(t *testing.T) {
	ctx := context.Background()
	t.Run("ok", func(t *testing.T) {
		var s *pipelinetest.Scenario
		require.NotPanics(t, func() { s = pipelinetest.NewScenario(nil, nil) })
		require.NotNil(t, s.Engine)
		in, err := s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("inq-1"), nil)
		require.NoError(t, err)
		assert.Equal(t, int64(1), in.Version)
		assert.Equal(t, []string{pipeline.EventInquiryReceived}, s.Events.Types())
	})
	t.Run("err_engine_not_built", func(t *testing.T) {
		var s *pipelinetest.Scenario
		opts := &pipeline.Options{Pipelines: []*pipeline.Definition{nil}}
		require.NotPanics(t, func() { s = pipelinetest.NewScenario(nil, opts) })
		assert.Nil(t, s.Engine)
		_, err := s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("inq-1"), nil)
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
}

// fatalTB records a Fatalf instead of ending the test, so that a test can
// check that a helper fails its tb; its other methods are those of a nil
// testing.TB and must not be called.
type fatalTB struct {
	testing.TB
	msgs []string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func TestScenarioDealsAndInquiries(t *testing.T) {
	ctx := context.Background()
	t.Run("ok", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		assert.Empty(t, s.Deals(t))
		assert.Empty(t, s.Inquiries(t))
		ann := pipelinetest.Rep(pipelinetest.RepAnn)
		for _, id := range []sp.DealID{"d-2", "d-1"} {
			_, err := s.Engine.OpenDeal(ctx, ann, pipelinetest.NewDeal(id), nil)
			require.NoError(t, err)
		}
		for _, id := range []sp.InquiryID{"i-2", "i-3", "i-1"} {
			_, err := s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry(id), nil)
			require.NoError(t, err)
		}
		_, err := s.Engine.Win(ctx, ann, "d-1", nil)
		require.NoError(t, err)

		deals := s.Deals(t)
		require.Len(t, deals, 2)
		assert.Equal(t, []sp.DealID{"d-1", "d-2"}, []sp.DealID{deals[0].ID, deals[1].ID})
		assert.Equal(t, pipeline.DealWon, deals[0].Stage, "as stored at the call")
		assert.Equal(t, "1080.00 EUR", deals[1].Amount.String())
		inquiries := s.Inquiries(t)
		require.Len(t, inquiries, 3)
		assert.Equal(t, []sp.InquiryID{"i-1", "i-2", "i-3"},
			[]sp.InquiryID{inquiries[0].ID, inquiries[1].ID, inquiries[2].ID})

		// The slices are the caller's: changing them changes nothing stored.
		deals[0].Stage, deals[0].Lines[0].Quantity = pipeline.DealLost, 99
		inquiries[0].Owner = pipelinetest.RepBob
		again := s.Deals(t)
		assert.Equal(t, pipeline.DealWon, again[0].Stage)
		assert.Equal(t, int64(10), again[0].Lines[0].Quantity)
		assert.Equal(t, pipelinetest.RepAnn, s.Inquiries(t)[0].Owner)
	})
	t.Run("err_nil_store_fails_tb", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		s.Store = nil
		tb := &fatalTB{}
		assert.Nil(t, s.Deals(tb))
		assert.Nil(t, s.Inquiries(tb))
		require.Len(t, tb.msgs, 2)
		assert.Contains(t, tb.msgs[0], "pipelinetest: list deals: ")
		assert.Contains(t, tb.msgs[1], "pipelinetest: list inquiries: ")
		for _, m := range tb.msgs {
			assert.Contains(t, m, sp.ErrInvalid.Error())
		}
	})
	t.Run("err_nil_scenario_fails_tb", func(t *testing.T) {
		var s *pipelinetest.Scenario
		tb := &fatalTB{}
		assert.Nil(t, s.Deals(tb))
		assert.Nil(t, s.Inquiries(tb))
		assert.Equal(t, []string{
			"pipelinetest: list deals: nil scenario: " + sp.ErrInvalid.Error(),
			"pipelinetest: list inquiries: nil scenario: " + sp.ErrInvalid.Error(),
		}, tb.msgs)
	})
	t.Run("err_nil_tb_returns_nil", func(t *testing.T) {
		var s *pipelinetest.Scenario
		require.NotPanics(t, func() {
			assert.Nil(t, s.Deals(nil))
			assert.Nil(t, s.Inquiries(nil))
		})
		s = pipelinetest.NewScenario(nil, nil)
		_, err := s.Engine.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("i-1"), nil)
		require.NoError(t, err)
		assert.Len(t, s.Inquiries(nil), 1)
		s.Store = nil
		require.NotPanics(t, func() { assert.Nil(t, s.Inquiries(nil)) })
	})
}

func TestScenarioReceive(t *testing.T) {
	ctx := context.Background()
	t.Run("ok_at_the_clocks_time", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, nil)
		day3 := pipelinetest.Epoch().AddDate(0, 0, 2).Add(5 * time.Hour)
		s.Clock.Set(day3)
		in := pipelinetest.NewInquiry("inq-1")
		in.Owner = pipelinetest.RepBob
		got, err := s.Receive(ctx, in)
		require.NoError(t, err)
		assert.True(t, got.Received.Equal(day3), "received at %v", got.Received)
		require.Len(t, got.History, 1)
		assert.True(t, got.History[0].At.Equal(got.Received), "the first transition is at the receipt")
		assert.Equal(t, pipelinetest.SystemJob, got.History[0].Actor)
		assert.Equal(t, pipelinetest.RepBob, got.Owner, "the rest of in is kept")
		assert.True(t, in.Received.Equal(pipelinetest.Epoch()), "the caller's inquiry is not changed")
		stored, err := s.Engine.GetInquiry(ctx, "inq-1")
		require.NoError(t, err)
		assert.True(t, stored.Received.Equal(day3))

		// A Received the caller set is replaced too, by the clock's time.
		s.Clock.Set(day3.Add(time.Hour))
		in = pipelinetest.NewInquiry("inq-2")
		in.Received = day3.Add(-time.Hour)
		got, err = s.Receive(ctx, in)
		require.NoError(t, err)
		assert.True(t, got.Received.Equal(day3.Add(time.Hour)), "received at %v", got.Received)
	})
	t.Run("err_refusal_passes_through", func(t *testing.T) {
		s := pipelinetest.NewScenario(t, &pipeline.Options{Eligibility: pipelinetest.Certified{}})
		_, err := s.Receive(ctx, pipelinetest.NewInquiry("inq-1"))
		require.ErrorIs(t, err, sp.ErrForbidden)
		_, err = s.Engine.GetInquiry(ctx, "inq-1")
		assert.ErrorIs(t, err, sp.ErrNotFound)
		_, err = s.Receive(ctx, pipelinetest.NewInquiry("bad id "))
		assert.ErrorIs(t, err, sp.ErrInvalid)
	})
	t.Run("err_nil_scenario", func(t *testing.T) {
		var s *pipelinetest.Scenario
		_, err := s.Receive(ctx, pipelinetest.NewInquiry("inq-1"))
		assert.ErrorIs(t, err, sp.ErrInvalid)
		_, err = (&pipelinetest.Scenario{}).Receive(ctx, pipelinetest.NewInquiry("inq-1"))
		assert.ErrorIs(t, err, sp.ErrInvalid, "a Scenario without an engine")
	})
}
