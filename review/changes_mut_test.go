package review_test

import (
	"bytes"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// TestCompareStems checks the stems Compare cuts from finding IDs: a
// "#<n>" of n from 2 up, without a sign or leading zeros and of at most
// nine digits, cut at the last "#", and matched with the ID without it.
func TestCompareStems(t *testing.T) {
	ann := review.RepSubject("ann")
	info := review.SeverityInfo
	for _, tt := range []struct {
		name                       string
		prev, cur                  []string
		added, recurring, resolved []string
	}{
		{
			// The second finding of a stem, alone in its report, is the
			// first of the stem there.
			name: "suffix_alone_matches_plain",
			prev: []string{"x#2"}, cur: []string{"x"},
			recurring: []string{"x#2->x"},
		},
		{
			name: "nine_digits_cut",
			prev: []string{"x", "x#999999999"}, cur: []string{"x#999999999"},
			recurring: []string{"x->x#999999999"}, resolved: []string{"x#999999999"},
		},
		{
			name: "ten_digits_not_cut",
			prev: []string{"x", "x#1000000000"}, cur: []string{"x#1000000000"},
			recurring: []string{"x#1000000000->x#1000000000"}, resolved: []string{"x"},
		},
		{
			name: "cut_at_the_last_hash",
			prev: []string{"a#b", "a#b#2"}, cur: []string{"a#b#2"},
			recurring: []string{"a#b->a#b#2"}, resolved: []string{"a#b#2"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var prev, cur []review.Finding
			for _, id := range tt.prev {
				prev = append(prev, handFinding(id, "big", ann, info))
			}
			for _, id := range tt.cur {
				cur = append(cur, handFinding(id, "big", ann, info))
			}
			ch, err := review.Compare(handReport(november, nil, prev...), handReport(december, nil, cur...))
			require.NoError(t, err)
			added, recurring, resolved := changeIDs(ch)
			assert.Equal(t, append([]string{}, tt.added...), added, "new")
			assert.Equal(t, append([]string{}, tt.recurring...), recurring, "recurring")
			assert.Equal(t, append([]string{}, tt.resolved...), resolved, "resolved")
		})
	}
}

// TestCompareWithItself checks that a report compared with itself, of
// one period and as-of time, has every finding recurring.
func TestCompareWithItself(t *testing.T) {
	r := handReport(november, []quota.Goal{revenueGoal("bob", november)},
		handFinding("target_missed:rep=bob:2026-11,revenue", review.RuleTargetMissed, review.RepSubject("bob"), review.SeverityCritical),
		handFinding("", "slow", review.RepSubject("ann"), review.SeverityWarning))
	ch, err := review.Compare(r, r)
	require.NoError(t, err)
	added, recurring, resolved := changeIDs(ch)
	assert.Empty(t, added)
	assert.Equal(t, []string{"target_missed:rep=bob:2026-11,revenue->target_missed:rep=bob:2026-11,revenue", "slow:rep=ann->slow:rep=ann"}, recurring)
	assert.Empty(t, resolved)
	assert.False(t, ch.RulesChanged)
}

// TestCompareGoalStemApartFromID checks that the stem of a goal is
// apart from an ID's: a host rule's finding whose ID reads as a goal's
// stem ("month,revenue") is not the finding of that goal.
func TestCompareGoalStemApartFromID(t *testing.T) {
	bob := review.RepSubject("bob")
	prev := handReport(november, []quota.Goal{revenueGoal("bob", november)},
		handFinding("lag:rep=bob:2026-11,revenue", "lag", bob, review.SeverityWarning))
	cur := handReport(december, nil, handFinding("month,revenue", "lag", bob, review.SeverityWarning))
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)
	added, recurring, resolved := changeIDs(ch)
	assert.Equal(t, []string{"month,revenue"}, added)
	assert.Empty(t, recurring)
	assert.Equal(t, []string{"lag:rep=bob:2026-11,revenue"}, resolved)

	// With the December goal, the finding of the goal recurs.
	cur = handReport(december, []quota.Goal{revenueGoal("bob", december)},
		handFinding("lag:rep=bob:2026-12,revenue", "lag", bob, review.SeverityWarning))
	ch, err = review.Compare(prev, cur)
	require.NoError(t, err)
	_, recurring, _ = changeIDs(ch)
	assert.True(t, slices.Equal([]string{"lag:rep=bob:2026-11,revenue->lag:rep=bob:2026-12,revenue"}, recurring), "recurring %v", recurring)
}

// TestCompareEarlierPeriodLaterAsOf checks that a previous report whose
// period starts before the current one's is compared whatever its as-of
// time: a quarter's review as of its end with a review of its last month
// taken before then.
func TestCompareEarlierPeriodLaterAsOf(t *testing.T) {
	quarter := sp.Quarter(2026, 4, time.UTC)
	prev := handReport(quarter, nil, handFinding("", "slow", review.RepSubject("ann"), review.SeverityWarning))
	cur := handReport(december, nil, handFinding("", "slow", review.RepSubject("ann"), review.SeverityWarning))
	cur.AsOf = december.Start().AddDate(0, 0, 14)
	require.True(t, prev.AsOf.After(cur.AsOf))
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)
	_, recurring, _ := changeIDs(ch)
	assert.Equal(t, []string{"slow:rep=ann->slow:rep=ann"}, recurring)
}

// TestCompareGoalFindingsWithSuffix checks that a goal's second finding,
// its ID with "#2", follows the goal into the next period as the first
// does.
func TestCompareGoalFindingsWithSuffix(t *testing.T) {
	bob := review.RepSubject("bob")
	prev := handReport(november, []quota.Goal{revenueGoal("bob", november)},
		handFinding("lag:rep=bob:2026-11,revenue", "lag", bob, review.SeverityWarning),
		handFinding("lag:rep=bob:2026-11,revenue#2", "lag", bob, review.SeverityWarning))
	cur := handReport(december, []quota.Goal{revenueGoal("bob", december)},
		handFinding("lag:rep=bob:2026-12,revenue", "lag", bob, review.SeverityWarning),
		handFinding("lag:rep=bob:2026-12,revenue#2", "lag", bob, review.SeverityWarning))
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)
	added, recurring, resolved := changeIDs(ch)
	assert.Empty(t, added)
	assert.Equal(t, []string{"lag:rep=bob:2026-11,revenue->lag:rep=bob:2026-12,revenue",
		"lag:rep=bob:2026-11,revenue#2->lag:rep=bob:2026-12,revenue#2"}, recurring)
	assert.Empty(t, resolved)
}

// TestCompareGoalsOfOneStemRankedByID checks that the findings of goals
// of one stem in a report (a rep's revenue goals of two months) are ranked
// by their IDs, whatever their order in the report: the earlier month's is
// matched with the earlier month's.
func TestCompareGoalsOfOneStemRankedByID(t *testing.T) {
	bob := review.RepSubject("bob")
	missed := review.RuleTargetMissed
	prev := handReport(november, []quota.Goal{revenueGoal("bob", october), revenueGoal("bob", november)},
		handFinding("target_missed:rep=bob:2026-10,revenue", missed, bob, review.SeverityWarning),
		handFinding("target_missed:rep=bob:2026-11,revenue", missed, bob, review.SeverityWarning))
	cur := handReport(december, []quota.Goal{revenueGoal("bob", november), revenueGoal("bob", december)},
		handFinding("target_missed:rep=bob:2026-12,revenue", missed, bob, review.SeverityWarning),
		handFinding("target_missed:rep=bob:2026-11,revenue", missed, bob, review.SeverityWarning))
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)
	_, recurring, _ := changeIDs(ch)
	assert.ElementsMatch(t, []string{
		"target_missed:rep=bob:2026-10,revenue->target_missed:rep=bob:2026-11,revenue",
		"target_missed:rep=bob:2026-11,revenue->target_missed:rep=bob:2026-12,revenue",
	}, recurring)
}

// TestChangesRenderExplainsRetrainingOfResolved checks that the text
// before the tables explains the retraining column when only a resolved
// finding has retraining, and that a recurring finding of the same
// severity and cause shows no "(was ...)".
func TestChangesRenderExplainsRetrainingOfResolved(t *testing.T) {
	bob := review.RepSubject("bob")
	prev := handReport(november, nil,
		handFinding("", "slow", bob, review.SeverityWarning),
		handFinding("", "big", review.CompanySubject(), review.SeverityInfo))
	prev.Outcome.Assignments = []review.AssignmentResult{{
		Assignment: training.Assignment{ID: "review/2026-11/bob/widget-basics", Rep: "bob", Module: "widget-basics",
			Due: time.Date(2026, 12, 15, 8, 0, 0, 0, time.UTC)},
		Product: "widget", Status: review.StatusProposed,
	}}
	cur := handReport(december, nil, handFinding("", "big", review.CompanySubject(), review.SeverityInfo))
	ch, err := review.Compare(prev, cur)
	require.NoError(t, err)
	require.Len(t, ch.Resolved, 1)
	require.Len(t, ch.Recurring, 1)
	require.Empty(t, ch.Recurring[0].Retraining)

	for name, render := range map[string]func(io.Writer) error{"markdown": ch.Markdown, "text": ch.Text} {
		var b bytes.Buffer
		require.NoError(t, render(&b), name)
		assert.Contains(t, b.String(), "Retraining assigned is what the previous review assigned the finding's rep", name)
		assert.Contains(t, b.String(), "module widget-basics on widget by 2026-12-15T08:00:00Z, proposed", name)
		assert.NotContains(t, b.String(), "(was ", name)
	}
}
