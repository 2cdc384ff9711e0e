package pipeline_test

import (
	"context"
	"testing"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingTx is a transactional MemStore that counts its transactions.
type countingTx struct {
	*pipelinetest.MemStore
	n int
}

func (c *countingTx) Atomically(ctx context.Context, fn func(ctx context.Context, tx pipeline.Store) error) error {
	c.n++
	return c.MemStore.Atomically(ctx, fn)
}

// A command runs in a transaction of a transactional DealStore when it is
// keyed or converts an inquiry, but a conversion whose inquiries live
// outside the DealStore runs without one, keyed or not.
func TestEngineTransactions(t *testing.T) {
	type stores int
	const (
		shared stores = iota
		ownInquiries
		ownOutcomes
	)
	for _, tc := range []struct {
		name   string
		stores stores
		key    string
		// transactions of OpenDeal and of Convert
		open, convert int
	}{
		{"shared", shared, "", 0, 1},
		{"shared/keyed", shared, "k", 1, 1},
		{"own inquiries", ownInquiries, "", 0, 0},
		{"own inquiries/keyed", ownInquiries, "k", 1, 0},
		{"own outcomes", ownOutcomes, "", 0, 1},
		{"own outcomes/keyed", ownOutcomes, "k", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			deals := &countingTx{MemStore: pipelinetest.NewMemStore()}
			var inquiries pipeline.InquiryStore = deals
			opts := &pipeline.Options{Clock: pipelinetest.NewClock()}
			outcomes := pipeline.IdempotencyStore(deals)
			switch tc.stores {
			case ownInquiries:
				inquiries = pipelinetest.NewMemStore()
			case ownOutcomes:
				mem := pipelinetest.NewMemStore()
				opts.Idempotency, outcomes = mem, mem
			}
			e, err := pipeline.NewEngine(inquiries, deals, opts)
			require.NoError(t, err)
			qualified(t, e, "i1")
			require.Zero(t, deals.n, "commands neither keyed nor converting run without a transaction")

			key := func(k string) *pipeline.CommandOptions {
				if tc.key == "" {
					return nil
				}
				return &pipeline.CommandOptions{IdempotencyKey: tc.key + "-" + k}
			}
			_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), key("open"))
			require.NoError(t, err)
			assert.Equal(t, tc.open, deals.n, "transactions of OpenDeal")
			deals.n = 0
			conv := pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100")}}
			in, d, err := e.Convert(ctx, system, "i1", conv, key("convert"))
			require.NoError(t, err)
			assert.Equal(t, tc.convert, deals.n, "transactions of Convert")
			assert.Equal(t, pipeline.InquiryConverted, in.Stage)
			assert.Equal(t, d.ID, in.Deal)

			if tc.key == "" {
				return
			}
			for _, k := range []string{"k-open", "k-convert"} {
				_, err := outcomes.GetOutcome(ctx, k)
				assert.NoError(t, err, "the outcome of %s is kept", k)
			}
			again, _, err := e.Convert(ctx, system, "i1", conv, key("convert"))
			require.NoError(t, err, "a retry gets the first outcome")
			assert.Equal(t, in.Version, again.Version)
		})
	}
}
