package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// Feedback at a follow-up dated after the engine's time, by a nanosecond
// or by half an hour, is refused, naming the piece's time and writing
// both times; feedback dated at the engine's time is taken.
func TestFollowUpFeedbackTimeBound(t *testing.T) {
	ctx := context.Background()
	s := fixture(t, nil)
	for name, after := range map[string]time.Duration{"nanosecond": time.Nanosecond, "half_hour": 30 * time.Minute} {
		now := s.Clock.Peek() // the engine's reading for the next call
		at := now.Add(after)
		fb := []sp.Feedback{{ID: "f1", Rating: 4, Category: sp.FeedbackService, Time: now}, {ID: "f2", Rating: 3, Category: sp.FeedbackService, Time: at}}
		_, err := s.Engine.FollowUp(ctx, system, dDelivered, fb, nil)
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		var ve *sp.ValidationError
		require.True(t, errors.As(err, &ve), name)
		assert.Equal(t, "feedback[1].time", ve.Field, name)
		assert.Contains(t, err.Error(), "invalid feedback[1].time: "+sp.FormatTime(at)+" is after the engine's time "+sp.FormatTime(now)+
			": feedback is recorded once given", name)
	}
	now := s.Clock.Peek()
	d, err := s.Engine.FollowUp(ctx, system, dDelivered, []sp.Feedback{{ID: "f1", Rating: 4, Category: sp.FeedbackService, Time: now}}, nil)
	require.NoError(t, err, "feedback at the engine's time")
	require.Len(t, d.Service.Feedback, 1)
	assert.True(t, d.Service.Feedback[0].Time.Equal(now))
}
