package training_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// longest returns an ID of [salesprocess.MaxIDLength] bytes beginning with
// prefix.
func longest(prefix string) string {
	return prefix + strings.Repeat("x", salesprocess.MaxIDLength-len(prefix))
}

// filled returns n bytes of text beginning with prefix.
func filled(prefix string, n int) string { return prefix + strings.Repeat("y", n-len(prefix)) }

// A trainer works with IDs all of the longest length and texts at their
// bounds: a curriculum of 100 modules is passed and certified, a module
// assigned with a reason of 4 KiB and onboarding done, and a pilot in 100
// localities of 256 bytes, with issues, an improvement, sales and
// feedback, is decided, the decision round-tripping through JSON.
func TestTrainerOnLongestInputs(t *testing.T) {
	ctx := context.Background()
	v1 := training.MustParseVersion("1.0")
	product, rep := salesprocess.ProductID(longest("product-")), salesprocess.RepID(longest("rep-"))
	var modules []training.Module
	var ids []training.ModuleID
	for i := range 100 {
		id := training.ModuleID(longest(fmt.Sprintf("module-%03d-", i)))
		ids = append(ids, id)
		modules = append(modules, training.Module{ID: id, Title: filled("title ", 256), Kind: training.ModuleProductKnowledge,
			Product: product, BriefVersion: v1,
			Assessment: training.Assessment{MaxScore: 10, PassMark: 8}})
	}
	curriculum := training.CurriculumID(longest("curriculum-"))
	cat, err := training.NewCatalog(modules, []training.Curriculum{{ID: curriculum, Title: filled("curriculum ", 256),
		Product: product, Channel: salesprocess.ChannelID(longest("channel-")), Modules: ids, ValidMonths: 12}})
	require.NoError(t, err)
	store := trainingtest.NewMemStore()
	clock := salesprocess.NewSteppingClock(t0.Add(time.Minute), time.Minute)
	tr := training.NewTrainer(store, cat, &training.Options{Clock: clock})
	require.NoError(t, tr.PublishBrief(ctx, training.Brief{Product: product, Version: v1, Published: t0}))

	for i, m := range ids {
		_, err := tr.RecordAttempt(ctx, training.Attempt{ID: training.AttemptID(longest(fmt.Sprintf("attempt-%03d-", i))), Rep: rep, Module: m, Score: 9})
		require.NoError(t, err)
	}
	c, err := tr.Certify(ctx, rep, curriculum)
	require.NoError(t, err)
	assert.Equal(t, curriculum, c.Curriculum)
	_, err = tr.AssignModule(ctx, training.Assignment{ID: training.AssignmentID(longest("assignment-")), Rep: rep, Module: ids[99],
		Due: t0.AddDate(0, 1, 0), Reason: filled("reason ", training.MaxTextLength), AssignedBy: salesprocess.ActorID(longest("manager-"))})
	require.NoError(t, err)
	progress, err := tr.Assignments(ctx, rep, clock.Now())
	require.NoError(t, err)
	assert.Len(t, progress, 1)
	_, err = tr.Onboard(ctx, training.Onboarding{Rep: rep, Region: salesprocess.RegionID(longest("region-")), Start: c.Issued,
		MonthlyGoal: mustMoney(t, "1000.00 EUR")})
	require.NoError(t, err)

	var localities []string
	for i := range 100 {
		localities = append(localities, filled(fmt.Sprintf("locality %03d ", i), 256))
	}
	pilot := training.PilotID(longest("pilot-"))
	_, err = tr.StartPilot(ctx, training.Pilot{ID: pilot, Product: product, Version: v1, Localities: localities, Quantity: 1000,
		Period: march, Criteria: training.Criteria{MinUnitsSold: 1, MinFeedback: 1, MinLocalitiesWithSales: 100, BlockingSeverity: training.SeverityWarning}})
	require.NoError(t, err)
	for i := range 3 {
		_, err = tr.OpenIssue(ctx, pilot, training.Issue{ID: training.IssueID(longest(fmt.Sprintf("issue-%d-", i))), Title: filled("title ", 256),
			Severity: training.SeverityWarning, Locality: localities[i], Opened: t0})
		require.NoError(t, err)
	}
	require.NoError(t, tr.PublishBrief(ctx, training.Brief{Product: product, Version: training.MustParseVersion("1.1"), Published: t0.Add(time.Minute)}))
	_, err = tr.Improve(ctx, pilot, training.Improvement{Version: training.MustParseVersion("1.1"), Summary: filled("summary ", training.MaxTextLength),
		Resolves: []training.IssueID{training.IssueID(longest("issue-0-"))}, Time: t0.Add(time.Minute)})
	require.NoError(t, err)
	for i, l := range localities {
		require.NoError(t, tr.RecordSale(ctx, training.Sale{ID: training.SaleID(longest(fmt.Sprintf("sale-%03d-", i))), Pilot: pilot,
			Locality: l, Units: 1, Customer: salesprocess.CustomerID(longest("customer-")), Time: t0.Add(time.Minute)}))
		require.NoError(t, tr.RecordPilotFeedback(ctx, pilot, salesprocess.Feedback{ID: salesprocess.FeedbackID(longest(fmt.Sprintf("feedback-%03d-", i))),
			Product: product, Rating: 4, Category: salesprocess.FeedbackQuality, Locality: l, Text: filled("text ", 8192), Time: t0.Add(time.Minute)}))
	}
	d, err := tr.Decide(ctx, pilot, clock.Now())
	require.NoError(t, err)
	assert.False(t, d.Launch, "two blocking issues are open")
	assert.Equal(t, int64(100), d.Figures.Feedback)
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	var back training.Decision
	require.NoError(t, json.Unmarshal(raw, &back))
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(raw), string(again))
}

func mustMoney(t *testing.T, s string) salesprocess.Money {
	t.Helper()
	m, err := salesprocess.ParseMoney(s)
	require.NoError(t, err)
	return m
}

// A locality is a line, as feedback's is: one with a line break, which
// [salesprocess.Feedback.Validate] refuses, so that no feedback could come
// from it, is refused in a pilot, a sale and an issue, naming the field.
func TestLocalityIsALine(t *testing.T) {
	const broken = "North\nDistrict"
	f := salesprocess.Feedback{ID: "f", Product: "x", Rating: 3, Category: salesprocess.FeedbackQuality,
		Source: salesprocess.FromFieldTest, Locality: broken, Time: t0}
	require.ErrorIs(t, f.Validate(), salesprocess.ErrInvalid)
	for _, tc := range []struct {
		field string
		err   error
	}{
		{"pilot.localities[1]", training.Pilot{ID: "p", Product: "x", Version: training.MustParseVersion("1.0"),
			Localities: []string{"South", broken}, Quantity: 1, Period: march}.Validate()},
		{"sale.locality", training.Sale{ID: "s", Pilot: "p", Locality: broken, Units: 1, Time: t0}.Validate()},
		{"issue.locality", training.Issue{ID: "i", Title: "title", Severity: training.SeverityWarning, Locality: broken, Opened: t0}.Validate()},
	} {
		var ve *salesprocess.ValidationError
		require.ErrorAs(t, tc.err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.Contains(t, tc.err.Error(), "U+000A", tc.field)
	}
}
