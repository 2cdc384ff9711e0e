package review_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// A Reviewer is immutable: changing the quota options it was built with
// afterwards changes neither how it reviews nor whether it can.
func TestReviewerKeepsItsQuotaOptions(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.goal("ann", north, "5000.00")
	w.sell("ann", north, widget, 2, 1, pipeline.LossPrice)
	opts := w.options(nil)
	q := &quota.Options{Places: 4, Stages: quota.FunnelStages(nil)}
	opts.Quota = q
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	before, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)

	q.Places = 99             // invalid: New would refuse it
	q.Stages[1] = q.Stages[0] // a stage twice: invalid too
	q.Outcome = func(*pipeline.Deal) quota.Outcome { return quota.OutcomeOpen }
	after, err := r.Review(w.ctx, w.input())
	require.NoError(t, err, "a change to the options after New reached the Reviewer")
	require.Equal(t, before.Snapshot.Team.Won, after.Snapshot.Team.Won)
}

// A nil sp.PublisherFunc is no publisher, as it is to the pipeline engine:
// the review discards its events and reports none published, instead of
// calling the nil function.
func TestReviewerNilPublisherFunc(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.goal("ann", north, "5000.00")
	w.sell("ann", north, widget, 2, 1, pipeline.LossProduct)
	w.followUp(w.sell("ann", north, widget, 1, 0, "")[0], 2, sp.FeedbackQuality, "breaks")

	want, err := review.New(review.DefaultRules(), w.options(nil))
	require.NoError(t, err)
	wantRep, err := want.Review(w.ctx, w.input())
	require.NoError(t, err)

	opts := w.options(nil)
	opts.Publisher = sp.PublisherFunc(nil)
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	rep, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	require.NotEmpty(t, rep.Findings)
	require.Empty(t, rep.Outcome.Events)
	require.Equal(t, wantRep.Outcome, rep.Outcome)
}

// Of the quota options, the review reads only how deals are classified,
// split credit, the calendar and the thresholds, as Options.Quota says:
// the statistics' options leave the report as it is.
func TestReviewerIgnoresQuotaStatistics(t *testing.T) {
	w := newWorld(t)
	w.rep("ann", north)
	w.rep("bob", north)
	w.goal("ann", north, "5000.00")
	w.sell("ann", north, widget, 2, 3, pipeline.LossPrice)
	w.sell("bob", north, widget, 4, 1, pipeline.LossPrice)
	plain := w.review(review.DefaultRules(), nil)

	opts := w.options(nil)
	opts.Quota = &quota.Options{Confidence: 0.5, PriorStrength: 3, Places: 2, Stages: quota.FunnelStages(nil)}
	r, err := review.New(review.DefaultRules(), opts)
	require.NoError(t, err)
	tuned, err := r.Review(w.ctx, w.input())
	require.NoError(t, err)
	require.Equal(t, plain.Snapshot.Team, tuned.Snapshot.Team)
	require.Equal(t, plain.Snapshot.Reps, tuned.Snapshot.Reps)
}

// A nil *training.Trainer as the Assigner is an Assigner that cannot
// assign: New refuses it, rather than the review failing at its first
// assignment.
func TestReviewerRefusesNilTrainer(t *testing.T) {
	w := newWorld(t)
	opts := w.options(nil)
	var tr *training.Trainer
	opts.Assigner = tr
	r, err := review.New(review.DefaultRules(), opts)
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.Nil(t, r)
	var ve *sp.ValidationError
	require.True(t, errors.As(err, &ve), err.Error())
	require.Equal(t, "options.assigner", ve.Field)
	require.Equal(t, `review: new: invalid options.assigner: a nil *training.Trainer`, err.Error())
}

// New names a bad quota option as the field of Options.Quota it is, and
// not as an error of quota's Forecast, which the caller did not call.
func TestNewNamesBadQuotaOptionsUnderOptionsQuota(t *testing.T) {
	_, err := review.New(review.DefaultRules(), &review.Options{Quota: &quota.Options{Confidence: 2}})
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.EqualError(t, err, "review: new: invalid options.quota.confidence: 2 is not strictly between 0 and 1")
	_, err = review.New(review.DefaultRules(), &review.Options{Quota: &quota.Options{Stages: []pipeline.DealStage{"won", "B"}}})
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.EqualError(t, err, `review: new: invalid options.quota.stages[1]: stage key "B" does not start with a lower-case letter`)
}

// An entity listed twice in the input is refused with its ID quoted, as
// the package quotes a caller's IDs.
func TestReviewQuotesAnEntityListedTwice(t *testing.T) {
	r, err := review.New(review.DefaultRules(), nil)
	require.NoError(t, err)
	in := review.Input{Period: november, AsOf: november.End(), Reps: []sp.Rep{{ID: "ann", Name: "Ann"}, {ID: "ann", Name: "Ann"}}}
	_, err = r.Review(context.Background(), in)
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.EqualError(t, err, `review: invalid input.reps[1].id: "ann" also input.reps[0]`)
}

// An as-of time before the period is written as package salesprocess
// writes a time: in UTC where its zone's offset has seconds (Amsterdam's
// local mean time), which RFC 3339 cannot write.
func TestReviewWritesAnAsOfInLocalMeanTimeInUTC(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	require.NoError(t, err)
	r, err := review.New(review.DefaultRules(), nil)
	require.NoError(t, err)
	jan := sp.Month(1900, time.January, ams)
	_, err = r.Review(context.Background(), review.Input{Period: jan, AsOf: jan.Start().Add(-time.Second)})
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.EqualError(t, err, "review: invalid input.as_of: 1899-12-31T23:40:27Z is before the period 1900-01[Europe/Amsterdam]")
}

// A caller's value in an error is quoted as the other packages quote it
// (sp.Quote): cut to 40 bytes at the start of a character, "..." after
// the cut, so that a long or odd value gives a short, printable message.
func TestReviewQuotesCallersValuesAsTheOtherPackagesDo(t *testing.T) {
	r, err := review.New(review.DefaultRules(), nil)
	require.NoError(t, err)
	long := sp.DealID(strings.Repeat("d", 60))
	deal := pipeline.Deal{ID: long, Owner: "ann", Stage: pipeline.DealWon, Amount: pipelinetest.MustEUR("-1.00"), Closed: november.Start().Add(time.Hour)}
	in := review.Input{Period: november, AsOf: november.End(), Deals: quota.Refs([]pipeline.Deal{deal})}
	_, err = r.Review(context.Background(), in)
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.Contains(t, err.Error(), "deal "+sp.Quote(string(long))+": ")
	require.NotContains(t, err.Error(), string(long))

	// 39 bytes and a two-byte character: the cut falls before the
	// character, not inside it, which would print as an escape.
	text := strings.Repeat("x", 39) + "é"
	var d review.Duration
	err = d.UnmarshalText([]byte(text))
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.EqualError(t, err, `invalid input: want a duration such as "24h", got "`+strings.Repeat("x", 39)+`"...`)
}
