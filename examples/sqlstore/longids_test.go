package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// longest returns an ID of [sp.MaxIDLength] bytes beginning with prefix.
func longest(prefix string) string { return prefix + strings.Repeat("x", sp.MaxIDLength-len(prefix)) }

// The engine runs on every backend with records whose IDs all have the
// longest length and idempotency keys of the longest length (256 bytes):
// the outcomes, the records and the events in the outbox, whose IDs the
// engine derives from the records', are kept; so is a goal of a rep, a
// region and a product of the longest IDs for a custom period bounded at
// nanoseconds in the zone of the longest name, whose text is in the key.
func TestLongestIDsKept(t *testing.T) {
	ctx := context.Background()
	zone, err := time.LoadLocation("America/Argentina/ComodRivadavia")
	require.NoError(t, err)
	period, err := sp.NewPeriod(time.Date(2026, time.November, 3, 10, 0, 0, 123456789, zone), time.Date(2026, time.December, 17, 10, 0, 0, 987654321, zone))
	require.NoError(t, err)
	goal := quota.Goal{Rep: sp.RepID(longest("rep-")), Region: sp.RegionID(longest("region-")), Product: sp.ProductID(longest("product-")),
		Period: period, Revenue: pipelinetest.MustEUR("1000.00")}
	require.NoError(t, goal.Validate())
	key := func(prefix string) *pipeline.CommandOptions {
		return &pipeline.CommandOptions{IdempotencyKey: prefix + strings.Repeat("k", 256-len(prefix))}
	}
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock()})
		require.NoError(t, err)
		by := sp.ManagerActor(sp.ActorID(longest("manager-")), sp.RegionID(longest("region-")))
		in := pipeline.Inquiry{ID: sp.InquiryID(longest("inquiry-")), Channel: sp.ChannelID(longest("channel-")),
			Campaign: sp.CampaignID(longest("campaign-")), Region: sp.RegionID(longest("region-")), Product: goal.Product,
			Customer: sp.CustomerID(longest("customer-")), Owner: goal.Rep}
		_, err = e.ReceiveInquiry(ctx, by, in, key("receive-"))
		require.NoError(t, err)
		_, err = e.Contact(ctx, by, in.ID, pipeline.Activity{ID: longest("call-"), Kind: pipeline.ActivityCall}, key("contact-"))
		require.NoError(t, err)
		_, err = e.Qualify(ctx, by, in.ID, key("qualify-"))
		require.NoError(t, err)
		_, d, err := e.Convert(ctx, by, in.ID, pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("1000.00"),
			ExpectedClose: time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)}}, key("convert-"))
		require.NoError(t, err)
		_, err = e.Win(ctx, by, d.ID, key("win-"))
		require.NoError(t, err)
		_, err = e.Win(ctx, by, d.ID, key("win-")) // the retry gets the outcome
		require.NoError(t, err)
		got, err := s.GetDeal(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, pipeline.DealWon, got.Stage)
		events := listEvents(t, s, 0)
		require.Len(t, events, 6)
		for _, ev := range events {
			assert.NoError(t, ev.Event.Validate())
		}
		_, err = s.GetOutcome(ctx, key("win-").IdempotencyKey)
		require.NoError(t, err)

		require.NoError(t, s.PutGoal(ctx, goal))
		goals := 0
		for g, err := range s.ListGoals(ctx, period) {
			require.NoError(t, err)
			assert.Equal(t, goal.Key(), g.Key())
			assert.Equal(t, goal.Period.String(), g.Period.String())
			goals++
		}
		assert.Equal(t, 1, goals)
	})
}

// A review whose event IDs would be longer than the outbox keeps (a
// custom period bounded at nanoseconds in the zone of the longest name, a
// goal of three IDs of the longest length, a host rule's finding of the
// longest ID a finding may have) publishes them into the outbox on every
// backend: the review keeps each within [review.MaxEventIDLength], which
// is [sqlstore.MaxTextLength], and the outbox holds every one.
func TestReviewEventsOfLongestIDsKept(t *testing.T) {
	ctx := context.Background()
	zone, err := time.LoadLocation("America/Argentina/ComodRivadavia")
	require.NoError(t, err)
	period, err := sp.NewPeriod(time.Date(2026, time.November, 3, 10, 0, 0, 123456789, zone), time.Date(2026, time.November, 27, 10, 0, 0, 987654321, zone))
	require.NoError(t, err)
	goal := quota.Goal{Rep: sp.RepID(longest("rep-")), Region: sp.RegionID(longest("region-")), Product: sp.ProductID(longest("product-")),
		Period: period, Revenue: pipelinetest.MustEUR("1000.00")}
	rule := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return []review.Finding{{ID: "host:" + strings.Repeat("h", 507), Subject: review.RepProductSubject(goal.Rep, goal.Product),
			Severity: review.SeverityInfo, Summary: "noted"}}, nil
	})
	require.Equal(t, sqlstore.MaxTextLength, review.MaxEventIDLength)
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		r, err := review.New(review.DefaultRules(), &review.Options{
			Clock: sp.FixedClock(time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)), Publisher: sp.PublisherFunc(s.AppendEvent),
			Actor: sp.ActorID(longest("reviewer-")), Rules: []review.Rule{rule},
		})
		require.NoError(t, err)
		rep, err := r.Review(ctx, review.Input{Period: period, AsOf: period.End(), Goals: []quota.Goal{goal}})
		require.NoError(t, err)
		require.Len(t, rep.Outcome.Events, 2, "the missed goal's finding and the host's")
		events := listEvents(t, s, 0)
		assert.Equal(t, rep.Outcome.Events, ids(events))
		for _, ev := range events {
			assert.NoError(t, ev.Event.Validate())
			assert.LessOrEqual(t, len(ev.Event.ID), review.MaxEventIDLength)
		}
	})
}
