package salesprocess_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// The records whose docs say that their zero value is invalid: Validate
// refuses it with an error wrapping ErrInvalid.
func TestZeroRecordsAreInvalid(t *testing.T) {
	for _, v := range []interface{ Validate() error }{
		sp.Actor{}, sp.Rep{}, sp.Product{}, sp.Channel{}, sp.Customer{}, sp.Event{}, sp.Feedback{},
		pipeline.LossReason{},
		review.Subject{}, review.Action{}, review.Finding{},
		training.Brief{}, training.Assignment{}, training.Attempt{}, training.Pilot{}, training.Sale{},
		training.Improvement{}, training.Onboarding{},
	} {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			assert.ErrorIs(t, v.Validate(), sp.ErrInvalid)
		})
	}
}

// The zero values that their docs say are usable are: SystemClock reads
// the time, the zero ValidationError still wraps ErrInvalid, and the zero
// DefaultPolicy decides.
func TestZeroValuesThatWork(t *testing.T) {
	assert.False(t, sp.SystemClock{}.Now().IsZero())
	var ve sp.ValidationError
	assert.Equal(t, "invalid input: ", ve.Error())
	assert.ErrorIs(t, &ve, sp.ErrInvalid)
	assert.NoError(t, pipeline.DefaultPolicy{}.Authorize(context.Background(), sp.SystemActor("job"), pipeline.CmdWin, pipeline.Target{Kind: "deal", ID: "d-1"}))
}
