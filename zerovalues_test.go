package salesprocess_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
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

// The zero values of the vocabulary's and the packages' other types are
// as their docs say.
func TestZeroValuesAsDocumented(t *testing.T) {
	t.Run("Region_Campaign", func(t *testing.T) {
		assert.ErrorIs(t, sp.Region{}.Validate(), sp.ErrInvalid)
		assert.Equal(t, time.UTC, sp.Region{}.Loc())
		assert.ErrorIs(t, sp.Campaign{}.Validate(), sp.ErrInvalid)
	})
	t.Run("quota", func(t *testing.T) {
		assert.Equal(t, "all", quota.Key{}.String())
		assert.NoError(t, quota.Prior{}.Validate())
		shrunk, err := quota.Rate{Num: 1, Den: 4}.Shrink(quota.Prior{}, 2)
		require.NoError(t, err)
		assert.Equal(t, "0.25", shrunk.String())
		assert.Equal(t, "[0, 0]", quota.Interval{}.String())
	})
	t.Run("training", func(t *testing.T) {
		assert.True(t, training.CertificateFilter{}.Match(training.Certificate{Rep: "rep-1", Product: "p-1", Channel: "phone"}))
		assert.True(t, training.Report{}.Clean())
		assert.Empty(t, training.Report{}.Worst())
		assert.ErrorIs(t, &training.NotReadyError{}, sp.ErrForbidden)
		assert.ErrorIs(t, &training.IncompleteError{}, sp.ErrForbidden)
		var v training.Verdict
		assert.False(t, v.Ready)
		var nr *training.NotReadyError
		require.ErrorAs(t, v.Err(), &nr)
		assert.Empty(t, nr.Reasons)
	})
	t.Run("review", func(t *testing.T) {
		var r review.Report
		var b bytes.Buffer
		assert.NoError(t, r.Markdown(&b))
		assert.Contains(t, b.String(), "## Findings (0)")
		b.Reset()
		assert.NoError(t, r.Text(&b))
		assert.NotEmpty(t, b.String())
		b.Reset()
		require.NoError(t, r.WriteJSON(&b))
		var back review.Report
		assert.ErrorIs(t, json.Unmarshal(b.Bytes(), &back), sp.ErrInvalid)
		_, err := review.ParseReport(b.Bytes())
		assert.ErrorIs(t, err, sp.ErrInvalid)

		var c review.Changes
		b.Reset()
		assert.NoError(t, c.Markdown(&b))
		b.Reset()
		assert.NoError(t, c.Text(&b))
		data, err := json.Marshal(c)
		require.NoError(t, err)
		var cb review.Changes
		require.NoError(t, json.Unmarshal(data, &cb))
		assert.Empty(t, cb.New)
		assert.Empty(t, cb.Recurring)
		assert.Empty(t, cb.Resolved)

		_, err = review.New(review.DefaultRules(), &review.Options{})
		assert.NoError(t, err)
	})
}
