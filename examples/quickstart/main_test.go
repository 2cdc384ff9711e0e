package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runOK runs the program with args and returns its output.
func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, io.Discard, args))
	return out.Bytes()
}

// TestGolden runs the program with its default flags and compares its
// report with testdata/quickstart.md.golden; go test -update rewrites it.
func TestGolden(t *testing.T) {
	got := runOK(t)
	golden := filepath.Join("testdata", "quickstart.md.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update to write the golden file")
	assert.Equal(t, string(want), string(got))
}

// TestDeterministic runs the same flags twice and gets the same bytes,
// and another seed or month gets another month: in JSON, which does not
// print the seed, another review.
func TestDeterministic(t *testing.T) {
	for _, tt := range []struct{ args, base []string }{
		{args: []string{"-seed", "11"}},
		{args: []string{"-month", "2027-03"}}, // daylight-saving time starts in both divisions
		{args: []string{"-seed", "5", "-format", "json"}, base: []string{"-format", "json"}},
		{args: []string{"-seed", "2", "-format", "json"}, base: []string{"-format", "json"}},
	} {
		t.Run(strings.Join(tt.args, "_"), func(t *testing.T) {
			first := runOK(t, tt.args...)
			assert.Equal(t, string(first), string(runOK(t, tt.args...)))
			assert.NotEqual(t, string(runOK(t, tt.base...)), string(first))
		})
	}
}

// TestStory checks that the default month tells the story the README
// promises: the field test clears the launch, and the review traces the
// shortfalls to the rep who lags on the SunBox, to the panel kit and to
// nothing significant in the data, applauds the others, and sends the retraining to
// training.
func TestStory(t *testing.T) {
	md := string(runOK(t))
	for _, want := range []string{
		"## Step 0. Field test",
		"**launch**",
		"## Step 1. Training and onboarding",
		"critical: \"Guaranteed SAVINGS\"",
		"## Step 2. Sales plan execution",
		"### Halfway: will the reps reach their goals?",
		"# Sales review 2026-11[Europe/Berlin]",
		"## Conversion by channel",
		"## Conversion by campaign\n",
		"## Conversion by campaign and product",
		"## Retraining",
	} {
		assert.Contains(t, md, want)
	}
	// Each campaign's own conversion, with its interval, whatever the
	// products its inquiries asked about.
	for _, campaign := range []string{"roof-check", "sunbox-radio", "search-ads"} {
		assert.Regexp(t, `(?m)^\| `+campaign+` +\| +\d+ \| +\d+ \| +\d+/\d+ 0\.\d{4} \| 0\.\d{4} to 0\.\d{4} \|`, md)
	}

	rep, err := review.ParseReport(runOK(t, "-format", "json"))
	require.NoError(t, err)
	causes := map[string]review.Cause{}
	for _, f := range rep.Findings {
		causes[f.Rule+" "+f.Subject.String()] = f.Cause
	}
	assert.Equal(t, review.CauseRep, causes["target_missed rep dev"])
	assert.Equal(t, review.CauseRep, causes["rep_product_lag rep dev on sunbox"])
	assert.Equal(t, review.CauseProduct, causes["product_losses product panel-kit"])
	assert.Equal(t, review.CauseProduct, causes["target_missed rep eva"])
	assert.Equal(t, review.CauseData, causes["target_missed rep lia"], "the new rep's win rate does not differ significantly from the rest of the team's")
	assert.Contains(t, causes, "target_met rep ana")
	assert.Contains(t, causes, "certification rep hugo on panel-kit")

	var assigned []string
	for _, a := range rep.Outcome.Assignments {
		assert.Equal(t, review.StatusDone, a.Status)
		assigned = append(assigned, string(a.Assignment.Rep)+" "+string(a.Assignment.Module))
	}
	// hugo's certificate expires soon: he is to pass every module of its
	// curriculum again, which renews it.
	assert.Equal(t, []string{"dev sunbox-basics", "hugo panel-basics", "hugo phone-selling", "hugo visit-selling"}, assigned)
	require.Len(t, rep.Outcome.ProductFeedback, 1)
	assert.Equal(t, sp.ActorID("pm-panels"), rep.Outcome.ProductFeedback[0].Owner)
}

// TestHalfway checks that the forecast halfway through the month says how
// much of the month has gone, and in which time zone: in a month of 31
// days, 15 days are not half, and in Lisbon an hour fewer have gone.
func TestHalfway(t *testing.T) {
	assert.Contains(t, string(runOK(t)), "On 2026-11-16 00:00 Europe/Berlin time, 15 of the month's 30 days have gone.")
	md := string(runOK(t, "-month", "2027-03"))
	assert.Contains(t, md, "On 2027-03-16 00:00 Europe/Berlin time, 15 of the month's 31 days have gone.")
	assert.NotContains(t, md, "half of the month")
}

// TestJSON checks that -format json writes the review's report in its
// stable form: it parses, and encodes back to the same bytes.
func TestJSON(t *testing.T) {
	out := runOK(t, "-format", "json")
	rep, err := review.ParseReport(out)
	require.NoError(t, err)
	assert.Equal(t, review.ReportVersion, rep.Version)
	assert.Equal(t, "2026-11[Europe/Berlin]", rep.Period.String())
	assert.NotEmpty(t, rep.Findings)
	var again bytes.Buffer
	require.NoError(t, rep.WriteJSON(&again))
	assert.Equal(t, string(out), again.String())
}

// TestMonthBounds runs the first and the last month -month takes.
func TestMonthBounds(t *testing.T) {
	for _, m := range []string{"2000-01", "2999-12"} {
		rep, err := review.ParseReport(runOK(t, "-month", m, "-format", "json"))
		require.NoError(t, err, m)
		assert.Equal(t, m+"[Europe/Berlin]", rep.Period.String())
	}
}

// TestWriteErrors runs the program into a writer that fails part way:
// the run ends with the writer's error, wherever the report was cut.
func TestWriteErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"-format", "json"}} {
		size := len(runOK(t, args...))
		for _, n := range []int{0, size / 2, size - 1} {
			err := run(context.Background(), &failingWriter{n: n}, io.Discard, args)
			assert.ErrorIs(t, err, errWrite, "%v, failing after %d of %d bytes", args, n, size)
		}
	}
}

var errWrite = errors.New("disk full")

// failingWriter writes n bytes, then fails with errWrite.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestRunErrors(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name      string
		ctx       context.Context
		args      []string
		wantIs    error
		wantMsg   string
		wantUsage bool // the usage on errOut
	}{
		{name: "err_format", args: []string{"-format", "html"}, wantMsg: `-format "html": want markdown or json`},
		{name: "err_month", args: []string{"-month", "2026-13"}, wantIs: sp.ErrInvalid, wantMsg: `-month "2026-13"`},
		{name: "err_month_not_a_month", args: []string{"-month", "2026-Q4"}, wantIs: sp.ErrInvalid},
		{name: "err_month_out_of_range", args: []string{"-month", "1999-12"}, wantIs: sp.ErrInvalid},
		{name: "err_month_after_range", args: []string{"-month", "3000-01"}, wantIs: sp.ErrInvalid},
		{name: "err_month_other_zone", args: []string{"-month", "2026-11[America/New_York]"}, wantIs: sp.ErrInvalid},
		{name: "err_month_not_month", args: []string{"-month", "2026-W48"}, wantIs: sp.ErrInvalid},
		{name: "err_seed", args: []string{"-seed", "-1"}, wantIs: errUsage, wantMsg: "invalid value", wantUsage: true},
		{name: "err_flag", args: []string{"-nope"}, wantIs: errUsage, wantMsg: "flag provided but not defined", wantUsage: true},
		{name: "err_argument", args: []string{"extra"}, wantMsg: `unexpected arguments ["extra"]`},
		{name: "help", args: []string{"-h"}, wantIs: flag.ErrHelp, wantUsage: true},
		{name: "err_cancelled", ctx: cancelled, wantIs: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var out, errOut bytes.Buffer
			err := run(ctx, &out, &errOut, tt.args)
			require.Error(t, err)
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
			assert.ErrorContains(t, err, tt.wantMsg)
			assert.Empty(t, out.String(), "nothing on the report's output")
			if tt.wantUsage {
				assert.Contains(t, errOut.String(), "Usage of")
			} else {
				assert.Empty(t, errOut.String())
			}
		})
	}
}

// TestConvertedMeansTwoThings checks that the story, whose inquiries are
// "converted to deals" when they become deals, warns that the review's
// conversion counts only those whose deal was won, lest a reader divide
// the one by the inquiries and expect the other.
func TestConvertedMeansTwoThings(t *testing.T) {
	md := string(runOK(t))
	assert.Contains(t, md, "183 converted to deals, 29 still open at the end of the month. The review below counts as converted only the inquiries whose deal was won by the end of the month.")
	assert.Contains(t, md, "| all  |  74 |   79 | 364277.50 EUR | 74/153 0.4837 | 0.4059 to 0.5623 |")
	assert.Contains(t, md, "| all  |       302 | 54/302 0.1788 |")
}

// The field-test table and the launch criteria print each average rating
// alike, to the same places: a locality's row and its criterion, and the
// "all" row and the overall criterion.
func TestFieldTestRatingsReadAlike(t *testing.T) {
	for _, seed := range []string{"3", "11"} {
		out := string(runOK(t, "-seed", seed))
		_, table, ok := strings.Cut(out, "| Locality |")
		require.True(t, ok, "seed %s: no field-test table", seed)
		table, _, _ = strings.Cut(table, "\n\n")
		rows := 0
		for _, line := range strings.Split(table, "\n")[2:] {
			cells := strings.Split(line, "|")
			require.Len(t, cells, 6, "seed %s: %q", seed, line)
			loc, rating := strings.TrimSpace(cells[1]), strings.TrimSpace(cells[4])
			where := " in " + loc
			if loc == "all" {
				where = ""
			}
			assert.True(t, strings.Contains(out, "average rating"+where+" "+rating+" from "), "seed %s: %s rated %s in the table, not so in the criteria", seed, loc, rating)
			rows++
		}
		assert.Equal(t, 4, rows, "seed %s: three localities and all", seed)
	}
}

// The certificates are issued a week after the assessments, and the
// training table says so: hugo's panel-kit certificate, whose assessments
// the text dates, runs its twelve months from a week after them.
func TestCertifiedAWeekAfterTheAssessments(t *testing.T) {
	md := string(runOK(t))
	assert.Contains(t, md, "Every rep took the assessments (✗: failed, then retaken) and was certified a week later; "+
		"hugo took all but SunBox basics earlier, on 2025-12-20, and holds the panel-kit certificate issued a week later:")
	assert.Contains(t, md, "| hugo | 17/20          | 16/20        | 74/100      | 88/100           | panel-kit 2.0 until 2026-12-27;")
}

// The review writes hugo's expiring certificate in his division's zone,
// Lisbon's, in which the trainer counted its months, not in the head
// office's.
func TestExpiryInTheRepsZone(t *testing.T) {
	md := string(runOK(t))
	assert.Contains(t, md, "- expires: 2026-12-27T09:00:00Z\n")
	assert.Contains(t, md, "| hugo | panel-kit | all     | 2.0   | 2026-12-27T09:00:00Z |\n")
	assert.NotContains(t, md, "2026-12-27T10:00:00+01:00")
}
