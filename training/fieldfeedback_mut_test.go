package training_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// When ctx is done before a product's listing starts, the error names the
// product that was not listed, as an error of its listing does.
func TestFieldFeedbackCtxDoneNamesTheProduct(t *testing.T) {
	s := newFeedbackStore(t)
	s.lax = true
	tr := training.NewTrainer(s, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ids []salesprocess.FeedbackID
	var errs []error
	for f, err := range tr.FieldFeedback(ctx, "p1", "p2") {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, f.ID)
		cancel()
	}
	assert.Equal(t, []salesprocess.FeedbackID{"p1-a", "p1-c"}, ids, "a store that does not look at ctx lists p1 to its end")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.EqualError(t, errs[0], `training: field feedback about "p2": context canceled`)
}
