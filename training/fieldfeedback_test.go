package training_test

import (
	"context"
	"errors"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// listedFeedback is a store that records the product of each ListFeedback
// call and, for the product in fail, yields its feedback up to the first
// piece and then errFeedbackStore. When lax, its listings do not look at
// ctx, as a careless host store might not.
type listedFeedback struct {
	*trainingtest.MemStore
	fail salesprocess.ProductID
	lax  bool

	mu     sync.Mutex
	listed []salesprocess.ProductID
}

var errFeedbackStore = errors.New("feedback table unreadable")

func (s *listedFeedback) ListFeedback(ctx context.Context, product salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return func(yield func(salesprocess.Feedback, error) bool) {
		s.mu.Lock()
		s.listed = append(s.listed, product)
		s.mu.Unlock()
		read := ctx
		if s.lax {
			read = context.Background()
		}
		n := 0
		for f, err := range s.MemStore.ListFeedback(read, product) {
			if product == s.fail && n == 1 {
				yield(salesprocess.Feedback{}, errFeedbackStore)
				return
			}
			n++
			if !yield(f, err) || err != nil {
				return
			}
		}
	}
}

func (s *listedFeedback) calls() []salesprocess.ProductID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]salesprocess.ProductID(nil), s.listed...)
}

// newFeedbackStore stores, for each of p1, p2 and p3, two pieces of
// field-test feedback and one of a customer's between them.
func newFeedbackStore(t *testing.T) *listedFeedback {
	t.Helper()
	s := &listedFeedback{MemStore: trainingtest.NewMemStore()}
	ctx := context.Background()
	for i, p := range []salesprocess.ProductID{"p1", "p2", "p3"} {
		for j, src := range []salesprocess.FeedbackSource{salesprocess.FromFieldTest, salesprocess.FromCustomer, salesprocess.FromFieldTest} {
			f := salesprocess.Feedback{
				ID: salesprocess.FeedbackID(string(p) + "-" + string(rune('a'+j))), Product: p, Rating: 3, Category: salesprocess.FeedbackQuality,
				Source: src, Time: t0.Add(time.Duration(3*i+j) * time.Hour),
			}
			if src == salesprocess.FromFieldTest {
				f.Locality = "Springfield"
			}
			require.NoError(t, s.AddFeedback(ctx, f))
		}
	}
	return s
}

// drain returns the IDs the sequence yields and the error it ends with.
func drain(seq iter.Seq2[salesprocess.Feedback, error]) ([]salesprocess.FeedbackID, error) {
	var ids []salesprocess.FeedbackID
	for f, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, f.ID)
	}
	return ids, nil
}

func TestFieldFeedbackOfSeveralProducts(t *testing.T) {
	ctx := context.Background()

	t.Run("ok_in_the_order_given_each_once", func(t *testing.T) {
		s := newFeedbackStore(t)
		tr := training.NewTrainer(s, nil, nil)
		products := []salesprocess.ProductID{"p3", "p1", "p3", "p9", "p1"}
		seq := tr.FieldFeedback(ctx, products...)
		// The products are taken when FieldFeedback is called.
		products[0], products[1] = "p2", "p2"
		ids, err := drain(seq)
		require.NoError(t, err)
		assert.Equal(t, []salesprocess.FeedbackID{"p3-a", "p3-c", "p1-a", "p1-c"}, ids,
			"each product's field-test feedback in the store's order, the products in the order given, each once")
		assert.Equal(t, []salesprocess.ProductID{"p3", "p1", "p9"}, s.calls(), "one listing per distinct product")

		one := []salesprocess.ProductID{"p1"}
		seq = tr.FieldFeedback(ctx, one...)
		one[0] = "p2"
		ids, err = drain(seq)
		require.NoError(t, err)
		assert.Equal(t, []salesprocess.FeedbackID{"p1-a", "p1-c"}, ids, "a single product is taken when FieldFeedback is called too")
	})

	t.Run("ok_reads_the_store_afresh", func(t *testing.T) {
		s := newFeedbackStore(t)
		tr := training.NewTrainer(s, nil, nil)
		seq := tr.FieldFeedback(ctx, "p1", "p2")
		ids, err := drain(seq)
		require.NoError(t, err)
		require.Len(t, ids, 4)
		require.NoError(t, tr.RecordFeedback(ctx, salesprocess.Feedback{ID: "p2-z", Product: "p2", Rating: 1, Category: salesprocess.FeedbackPrice,
			Source: salesprocess.FromFieldTest, Locality: "Springfield", Time: t0.Add(100 * time.Hour)}))
		ids, err = drain(seq)
		require.NoError(t, err)
		assert.Equal(t, []salesprocess.FeedbackID{"p1-a", "p1-c", "p2-a", "p2-c", "p2-z"}, ids)
	})

	t.Run("ok_stops_early_when_the_loop_breaks", func(t *testing.T) {
		s := newFeedbackStore(t)
		tr := training.NewTrainer(s, nil, nil)
		var ids []salesprocess.FeedbackID
		for f, err := range tr.FieldFeedback(ctx, "p1", "p2", "p3") {
			require.NoError(t, err)
			ids = append(ids, f.ID)
			if f.ID == "p2-a" {
				break
			}
		}
		assert.Equal(t, []salesprocess.FeedbackID{"p1-a", "p1-c", "p2-a"}, ids)
		assert.Equal(t, []salesprocess.ProductID{"p1", "p2"}, s.calls(), "no listing after the loop broke")
	})

	t.Run("err_in_the_second_listing_ends_the_sequence", func(t *testing.T) {
		s := newFeedbackStore(t)
		s.fail = "p2"
		tr := training.NewTrainer(s, nil, nil)
		var ids []salesprocess.FeedbackID
		var errs []error
		for f, err := range tr.FieldFeedback(ctx, "p1", "p2", "p3") {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, f.ID)
		}
		assert.Equal(t, []salesprocess.FeedbackID{"p1-a", "p1-c", "p2-a"}, ids, "the feedback before the error")
		require.Len(t, errs, 1, "one error, then the end")
		assert.ErrorIs(t, errs[0], errFeedbackStore)
		assert.Contains(t, errs[0].Error(), `"p2"`, "the error names the product whose listing failed")
		assert.Equal(t, []salesprocess.ProductID{"p1", "p2"}, s.calls(), "no listing after the error")
	})

	t.Run("err_ctx_done_between_products", func(t *testing.T) {
		s := newFeedbackStore(t)
		s.lax = true
		tr := training.NewTrainer(s, nil, nil)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var ids []salesprocess.FeedbackID
		var errs []error
		for f, err := range tr.FieldFeedback(cctx, "p1", "p2") {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, f.ID)
			if f.ID == "p1-c" {
				cancel()
			}
		}
		assert.Equal(t, []salesprocess.FeedbackID{"p1-a", "p1-c"}, ids)
		require.Len(t, errs, 1, "one error, then the end")
		assert.ErrorIs(t, errs[0], context.Canceled)
		assert.Equal(t, []salesprocess.ProductID{"p1"}, s.calls(), "no listing once ctx is done, though the store would not check it")
	})

	for name, tc := range map[string]struct {
		products []salesprocess.ProductID
		field    string
	}{
		"err_none":          {nil, "products"},
		"err_empty_first":   {[]salesprocess.ProductID{"", "p1"}, "products[0]"},
		"err_empty_second":  {[]salesprocess.ProductID{"p1", ""}, "products[1]"},
		"err_invalid_third": {[]salesprocess.ProductID{"p1", "p1", "p\x00"}, "products[2]"},
	} {
		t.Run(name, func(t *testing.T) {
			s := newFeedbackStore(t)
			tr := training.NewTrainer(s, nil, nil)
			ids, err := drain(tr.FieldFeedback(ctx, tc.products...))
			assert.Empty(t, ids, "nothing listed before the error")
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			var ve *salesprocess.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Empty(t, s.calls(), "no listing")
		})
	}
}
