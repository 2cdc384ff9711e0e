package pipelinetest_test

import (
	"context"
	"errors"
	"fmt"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// errSkipped tells hooked to report success without storing.
var errSkipped = errors.New("skipped")

// hooks change what hooked stores, in transactions and out of them: the
// inquiry or deal of an update (or refuse it, or skip it with
// errSkipped), the outcomes kept and how many times an event is appended;
// and the error of reading an inquiry out of a transaction.
type hooks struct {
	inquiry func(pipeline.Inquiry) pipeline.Inquiry
	deal    func(pipeline.Deal) (pipeline.Deal, error)
	outcome func(pipeline.Outcome) bool
	event   func(sp.Event) int
	read    func(pipeline.Inquiry) error
}

func (h *hooks) updateInquiry(ctx context.Context, s pipeline.Store, in pipeline.Inquiry, expected int64) error {
	if h.inquiry != nil {
		in = h.inquiry(in.Clone())
	}
	return s.UpdateInquiry(ctx, in, expected)
}

func (h *hooks) updateDeal(ctx context.Context, s pipeline.Store, d pipeline.Deal, expected int64) error {
	if h.deal != nil {
		var err error
		if d, err = h.deal(d.Clone()); errors.Is(err, errSkipped) {
			return nil
		} else if err != nil {
			return err
		}
	}
	return s.UpdateDeal(ctx, d, expected)
}

func (h *hooks) addOutcome(ctx context.Context, s pipeline.IdempotencyStore, o pipeline.Outcome) error {
	if h.outcome != nil && !h.outcome(o) {
		return nil
	}
	return s.AddOutcome(ctx, o)
}

func (h *hooks) appendEvent(ctx context.Context, s pipeline.Outbox, e sp.Event) error {
	n := 1
	if h.event != nil {
		n = h.event(e)
	}
	for i := range n {
		if i > 0 {
			e.ID += fmt.Sprint("-again-", i)
		}
		if err := s.AppendEvent(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// hooked is an OutboxMemStore changed by its hooks, whose commands
// through an engine each run in a transaction.
type hooked struct {
	*pipelinetest.OutboxMemStore
	h *hooks
}

func (s hooked) GetInquiry(ctx context.Context, id sp.InquiryID) (pipeline.Inquiry, error) {
	in, err := s.OutboxMemStore.GetInquiry(ctx, id)
	if err == nil && s.h.read != nil {
		if err = s.h.read(in); err != nil {
			return pipeline.Inquiry{}, err
		}
	}
	return in, err
}

func (s hooked) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	return s.h.updateInquiry(ctx, s.OutboxMemStore, in, expected)
}

func (s hooked) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	return s.h.updateDeal(ctx, s.OutboxMemStore, d, expected)
}

func (s hooked) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	return s.h.addOutcome(ctx, s.OutboxMemStore, o)
}

func (s hooked) AppendEvent(ctx context.Context, e sp.Event) error {
	return s.h.appendEvent(ctx, s.OutboxMemStore, e)
}

func (s hooked) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	return s.OutboxMemStore.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
		return fn(ctx, hookedTx{tx, s.h})
	})
}

// hookedTx is a transaction of hooked.
type hookedTx struct {
	pipeline.Store
	h *hooks
}

func (tx hookedTx) UpdateInquiry(ctx context.Context, in pipeline.Inquiry, expected int64) error {
	return tx.h.updateInquiry(ctx, tx.Store, in, expected)
}

func (tx hookedTx) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	return tx.h.updateDeal(ctx, tx.Store, d, expected)
}

func (tx hookedTx) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	return tx.Store.(pipeline.IdempotencyStore).GetOutcome(ctx, key)
}

func (tx hookedTx) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	return tx.h.addOutcome(ctx, tx.Store.(pipeline.IdempotencyStore), o)
}

func (tx hookedTx) AppendEvent(ctx context.Context, e sp.Event) error {
	return tx.h.appendEvent(ctx, tx.Store.(pipeline.Outbox), e)
}

// The broken stores of commands on distinct records: each breaks one
// record of what a writer's commands leave, which the suite's check of
// the records on distinct records must name.
func init() {
	add := func(name, clause string, h hooks) {
		brokenStores[name] = struct {
			store  func() pipeline.Store
			clause string
		}{func() pipeline.Store { return hooked{pipelinetest.NewOutboxMemStore(), &h} }, clause}
	}
	const (
		inquiryWhole = "UpdateInquiry must keep every command on distinct records whole: inquiry distinct-"
		dealWhole    = "UpdateDeal must keep every command on distinct records whole: deal "
	)
	add("distinct_records_stale_inquiry_history", inquiryWhole, hooks{inquiry: func(in pipeline.Inquiry) pipeline.Inquiry {
		if in.Stage == pipeline.InquiryConverted && len(in.History) > 0 {
			in.History = in.History[:len(in.History)-1]
		}
		return in
	}})
	add("distinct_records_stale_deal_history", dealWhole, hooks{deal: func(d pipeline.Deal) (pipeline.Deal, error) {
		if d.Stage == pipeline.DealWon && len(d.History) > 0 {
			d.History = d.History[:len(d.History)-1]
		}
		return d, nil
	}})
	add("distinct_records_deal_unlinked", inquiryWhole, hooks{inquiry: func(in pipeline.Inquiry) pipeline.Inquiry {
		in.Deal = ""
		return in
	}})
	add("distinct_records_activity_lost", inquiryWhole, hooks{inquiry: func(in pipeline.Inquiry) pipeline.Inquiry {
		in.Activities = in.Activities[:min(len(in.Activities), 1)]
		return in
	}})
	add("distinct_records_win_lost", dealWhole, hooks{deal: func(d pipeline.Deal) (pipeline.Deal, error) {
		if d.Stage == pipeline.DealWon {
			return d, errSkipped
		}
		return d, nil
	}})
	add("distinct_records_win_fails", "commands on distinct records must not fail for each other's sake", hooks{deal: func(d pipeline.Deal) (pipeline.Deal, error) {
		if d.Stage == pipeline.DealWon {
			return d, fmt.Errorf("could not serialize access: %w", sp.ErrConflict)
		}
		return d, nil
	}})
	add("distinct_records_win_outcome_lost", "AddOutcome must keep the outcome of every keyed command on distinct records: GetOutcome distinct/win/",
		hooks{outcome: func(o pipeline.Outcome) bool { return o.Command != pipeline.CmdWin }})
	add("distinct_records_win_event_lost", "commands of 2 writers on distinct records, want 16",
		hooks{event: func(e sp.Event) int {
			if e.Type == pipeline.EventDealWon {
				return 0
			}
			return 1
		}})
	add("distinct_records_converted_unreadable", "GetInquiry distinct-", hooks{read: func(in pipeline.Inquiry) error {
		if in.Stage == pipeline.InquiryConverted {
			return fmt.Errorf("inquiry %s: %w", in.ID, sp.ErrNotFound)
		}
		return nil
	}})
	add("distinct_records_events_twice", "commands of 2 writers on distinct records, want 16",
		hooks{event: func(sp.Event) int { return 2 }})
}
