package salesprocess_test

import (
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
