package training_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// TestRecordPilotFeedbackChecksBeforeTheRead: what RecordPilotFeedback can
// tell without the pilot (its ID, the feedback's own validity, its source)
// it refuses before it reads the store: a store whose GetPilot fails does
// not hide the refusal, and the error names the field.
func TestRecordPilotFeedbackChecksBeforeTheRead(t *testing.T) {
	ctx := context.Background()
	down := errors.New("pilots table unreadable")
	s := &pilotFeedbackFaults{MemStore: trainingtest.NewMemStore()}
	tr := training.NewTrainer(s, nil, nil)
	_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	s.getPilot = down
	for _, tc := range []struct {
		name  string
		id    training.PilotID
		edit  func(*salesprocess.Feedback)
		field string
	}{
		{"err_pilot_id", "", func(*salesprocess.Feedback) {}, "pilot"},
		{"err_rating", "f1", func(f *salesprocess.Feedback) { f.Rating = 9 }, "feedback.rating"},
		{"err_no_product", "f1", func(f *salesprocess.Feedback) { f.Product = "" }, "feedback.product"},
		{"err_source", "f1", func(f *salesprocess.Feedback) { f.Source = salesprocess.FromCustomer }, "feedback.source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ratings("Springfield:3")[0]
			tc.edit(&f)
			err := tr.RecordPilotFeedback(ctx, tc.id, f)
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			assert.NotErrorIs(t, err, down, "refused before the pilot is read")
			var ve *salesprocess.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Empty(t, storedFeedback(t, s, "p1"))
		})
	}
}

// bareLocalitiesStore is a MemStore whose GetPilot gives its pilot with
// the localities given, as a store may hold one that Pilot.Validate would
// refuse (none at all).
type bareLocalitiesStore struct {
	*trainingtest.MemStore
	localities []string
}

func (s *bareLocalitiesStore) GetPilot(ctx context.Context, id training.PilotID) (training.Pilot, error) {
	p, err := s.MemStore.GetPilot(ctx, id)
	p.Localities = s.localities
	return p, err
}

// The locality refusal lists ten localities whole, the eleventh as "and 1
// more", and "none" for a pilot without localities.
func TestRecordPilotFeedbackLocalityList(t *testing.T) {
	ctx := context.Background()
	list := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprint("L", i))
		}
		return out
	}
	ten := `"L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9"`
	for _, tc := range []struct {
		name       string
		localities []string
		want       string
	}{
		{"none", nil, "none"},
		{"one", list(1), `"L0"`},
		{"ten", list(10), ten},
		{"eleven", list(11), ten + ", and 1 more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &bareLocalitiesStore{MemStore: trainingtest.NewMemStore()}
			tr := training.NewTrainer(s, nil, nil)
			_, err := tr.StartPilot(ctx, testPilot(training.Criteria{}))
			require.NoError(t, err)
			s.localities = tc.localities
			err = tr.RecordPilotFeedback(ctx, "f1", ratings("osaka:5")[0])
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			assert.EqualError(t, err, `training: record pilot feedback: invalid feedback.locality: "osaka" is not a locality of pilot "f1" (its localities: `+tc.want+`)`)
			assert.Empty(t, storedFeedback(t, s, "p1"))
		})
	}
}
