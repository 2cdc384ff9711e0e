package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// One Engine whose Options hold a policy, an eligibility, EventID,
// DealIDFor and OnRefused serves 16 goroutines at once, each taking an
// inquiry of its own from receipt to conversion, which the policy refuses
// for half of them: every conversion gets the deal ID DealIDFor gives,
// every event the ID EventID gives, and OnRefused hears of each refusal
// once. Run with -race.
func TestEngineOptionsCalledFromConcurrentCommands(t *testing.T) {
	var eventIDs, dealIDs atomic.Int64
	var mu sync.Mutex
	refusals := map[string]int{}
	s := pipelinetest.NewScenario(t, &pipeline.Options{
		Eligibility: pipelinetest.Certified{pipelinetest.RepAnn: {pipelinetest.ProductWidget}},
		Policy: pipeline.PolicyFunc(func(_ context.Context, _ sp.Actor, cmd pipeline.Command, tg pipeline.Target) error {
			if cmd == pipeline.CmdConvert && strings.HasSuffix(tg.ID, "-odd") {
				return fmt.Errorf("no conversions of odd inquiries: %w", sp.ErrForbidden)
			}
			return nil
		}),
		EventID: func(kind, id string, version int64) string {
			eventIDs.Add(1)
			return fmt.Sprintf("evt/%s/%s/%d", kind, id, version)
		},
		DealIDFor: func(id sp.InquiryID) sp.DealID {
			dealIDs.Add(1)
			return sp.DealID("deal-" + id)
		},
		OnRefused: func(_ context.Context, _ sp.Actor, cmd pipeline.Command, tg pipeline.Target, err error) {
			if !errors.Is(err, sp.ErrForbidden) {
				t.Errorf("OnRefused of %s %s: %v does not wrap ErrForbidden", cmd, tg.ID, err)
			}
			mu.Lock()
			defer mu.Unlock()
			refusals[string(cmd)+" "+tg.ID]++
		},
	})
	ctx := context.Background()
	id := func(w int) sp.InquiryID {
		if w%2 == 1 {
			return sp.InquiryID(fmt.Sprintf("in-%d-odd", w))
		}
		return sp.InquiryID(fmt.Sprintf("in-%d", w))
	}
	errs := make([]error, sharers)
	var wg sync.WaitGroup
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = func() error {
				e := s.Engine
				if _, err := e.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry(id(w)), nil); err != nil {
					return err
				}
				if _, err := e.Contact(ctx, system, id(w), pipeline.Activity{}, nil); err != nil {
					return err
				}
				if _, err := e.Qualify(ctx, system, id(w), nil); err != nil {
					return err
				}
				in, d, err := e.Convert(ctx, system, id(w), pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("500")}}, nil)
				switch {
				case w%2 == 1 && !errors.Is(err, sp.ErrForbidden):
					return fmt.Errorf("converting %s: got %v, want ErrForbidden", id(w), err)
				case w%2 == 1:
					return nil
				case err != nil:
					return err
				case d.ID != sp.DealID("deal-"+id(w)) || in.Deal != d.ID || d.Inquiry != id(w):
					return fmt.Errorf("converting %s: deal %s of inquiry %s, inquiry's deal %s", id(w), d.ID, d.Inquiry, in.Deal)
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	for w := range sharers {
		require.NoError(t, errs[w], "goroutine %d", w)
	}

	// Receipt, contact and qualification of every inquiry, and the
	// conversions of half: an opened deal and a converted inquiry each.
	events := s.Events.Events()
	require.Len(t, events, 3*sharers+2*sharers/2)
	seen := map[string]bool{}
	for _, e := range events {
		assert.True(t, strings.HasPrefix(e.ID, "evt/"), "event %s of EventID", e.ID)
		assert.False(t, seen[e.ID], "event %s published twice", e.ID)
		seen[e.ID] = true
	}
	assert.GreaterOrEqual(t, eventIDs.Load(), int64(len(events)), "EventID calls")
	assert.GreaterOrEqual(t, dealIDs.Load(), int64(sharers/2), "DealIDFor calls")
	want := map[string]int{}
	for w := 1; w < sharers; w += 2 {
		want[string(pipeline.CmdConvert)+" "+string(id(w))] = 1
	}
	assert.Equal(t, want, refusals, "OnRefused, once per refusal")
	for w := 1; w < sharers; w += 2 {
		in, err := s.Engine.GetInquiry(ctx, id(w))
		require.NoError(t, err)
		assert.Equal(t, pipeline.InquiryQualified, in.Stage, "a refused conversion changes nothing: %s", id(w))
		_, err = s.Engine.GetDeal(ctx, sp.DealID("deal-"+id(w)))
		assert.ErrorIs(t, err, sp.ErrNotFound, "a refused conversion opens no deal: %s", id(w))
	}
}
