package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// realData is the shared copy of the data set, from this folder; the
// CRMDATA environment variable names another.
func realData() string {
	if dir := os.Getenv("CRMDATA"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "..", "shared", "data", "crm-sales-opportunities")
}

// runOK runs the program with args and returns its output.
func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, io.Discard, args))
	return out.Bytes()
}

// runJSON runs the program with args and -format json and decodes the
// report.
func runJSON(t *testing.T, args ...string) report {
	t.Helper()
	var rep report
	require.NoError(t, json.Unmarshal(runOK(t, append(args, "-format", "json")...), &rep))
	return rep
}

// TestGolden runs the program on the small data sets of testdata and
// compares its output with the golden files; go test -update rewrites them.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{name: "good", args: []string{"-data", "testdata/good"}},
		{name: "good_json", args: []string{"-data", "testdata/good", "-format", "json"}},
		{name: "good_goal", args: []string{"-data", "testdata/good", "-goal", "5000 USD"}},
		{name: "good_goal_json", args: []string{"-data", "testdata/good", "-goal", "5000 USD", "-format", "json"}},
		{name: "quirks", args: []string{"-data", "testdata/quirks", "-goal", "5000 USD"}},
		{name: "quirks_json", args: []string{"-data", "testdata/quirks", "-format", "json"}},
		{name: "good_review_april", args: []string{"-data", "testdata/good", "-goal", "5000 USD", "-month", "2017-04"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runOK(t, tt.args...)
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to write the golden files")
			assert.Equal(t, string(want), string(got))
			// The same run again gives the same bytes: maps come out sorted.
			assert.Equal(t, string(got), string(runOK(t, tt.args...)))
		})
	}
}

// TestFigures checks the figures of testdata/good computed by hand. It
// has CRLF line endings and byte-order marks, "GTXPro" for "GTX Pro",
// open deals without close fields, a Prospecting deal without an engage
// date, open deals without an account, Lost deals with close_value 0 and
// an agent without deals, like the real data.
func TestFigures(t *testing.T) {
	rep := runJSON(t, "-data", "testdata/good", "-goal", "5000 USD")

	assert.Equal(t, 12, rep.Deals.Total)
	assert.Equal(t, map[string]int{"Won": 6, "Lost": 3, "Engaging": 2, "Prospecting": 1}, rep.Deals.ByStage)
	assert.Equal(t, 0, rep.Deals.Skipped)

	// Win rates: won / (won + lost), half-up to four places.
	w := rep.WinRate
	assert.Equal(t, "0.6667", w.Overall) // 6 of 9
	assert.Equal(t, map[string]string{"Central": "0.6000", "East": "0.6667", "West": "1.0000"}, w.ByOffice)
	assert.Equal(t, map[string]string{"GTK 500": "1.0000", "GTX Pro": "0.7500", "MG Special": "0.5000"}, w.ByProduct)
	assert.Equal(t, map[string]string{
		"Anna Snelling": "0.6667", "Cecily Lampkin": "0.5000", "Hayden Neloms": "1.0000", "Violet Mclelland": "0.6667",
	}, w.ByAgent, "an agent without closed deals has no rate")
	assert.Equal(t, wonLost{Won: 3, Lost: 2}, w.Closed.ByOffice["Central"])

	// Won value: sums of close_value of Won deals, in whole units.
	v := rep.WonValue
	assert.Equal(t, "40242", v.Total)
	assert.Equal(t, map[string]string{"Central": "30564", "East": "4857", "West": "4821"}, v.ByOffice)
	assert.Equal(t, map[string]map[string]string{
		// A2 closes on 2017-03-31 and A5 on 2017-04-01 in Chicago: the
		// months are those of the dates, whatever UTC says.
		"Central": {"2017-03": "4564", "2017-04": "26000"},
		"East":    {"2017-03": "57", "2017-11": "4800"},
		"West":    {"2017-06": "4821"},
	}, v.ByOfficeMonth)
	assert.Equal(t, map[string]string{"2017-03": "4621", "2017-04": "26000", "2017-06": "4821", "2017-11": "4800"}, v.ByMonth)
	assert.Equal(t, map[string]string{"GTK 500": "26000", "GTX Pro": "14135", "MG Special": "107"}, v.ByProduct)

	// Cycle days, calendar days from engage to close of Won deals: V2
	// crosses the start of daylight-saving time and V1 its end, A1 both.
	c := rep.CycleDays
	assert.Equal(t, cycleStats{Count: 3, Median: "27", Mean: "60.0000", Min: 21, Max: 132}, c.ByOffice["Central"]) // 132, 21, 27
	assert.Equal(t, cycleStats{Count: 2, Median: "3.5", Mean: "3.5000", Min: 2, Max: 5}, c.ByOffice["East"])       // 5, 2
	assert.Equal(t, cycleStats{Count: 1, Median: "29", Mean: "29.0000", Min: 29, Max: 29}, c.ByOffice["West"])
	assert.Equal(t, cycleStats{Count: 6, Median: "24", Mean: "36.0000", Min: 2, Max: 132}, c.Overall)

	assert.Equal(t, []string{"Carl Lin"}, rep.AgentsWithoutDeals)
	assert.Equal(t, officeEntry{TimeZone: "America/Chicago", Managers: []string{"Dustin Brinkmann", "Melvin Marxen"}, Agents: 2}, rep.Offices["Central"])
	assert.Equal(t, map[string]string{"GTK 500": "26768", "GTX Pro": "4821", "MG Special": "55"}, rep.Products)

	// The quirks of SOURCE.md, counted.
	assert.Equal(t, quirks{
		OpenWithoutClose: 3, ProspectingWithoutEngage: 1, WithoutAccount: 3, WithoutAccountOpen: 3,
		LostWithZeroValue: 3, ProductSpellings: 3, AgentsWithoutDeals: 1,
		Goals: "none in the data; -goal sets a monthly revenue goal per rep",
	}, rep.Quirks)
	require.Len(t, rep.Fixes, 3)
	assert.Equal(t, fix{File: filePipeline, Kind: "product_name", From: "GTXPro", To: "GTX Pro", Count: 3, Examples: []string{"A1", "A7", "V1"}}, rep.Fixes[1])
	assert.Equal(t, "byte_order_mark", rep.Fixes[0].Kind)
	assert.Empty(t, rep.Skipped)

	// Attainment of 5000 a month: March to November, in each office's zone.
	a := rep.Attainment
	require.NotNil(t, a)
	assert.Equal(t, []string{"2017-03", "2017-04", "2017-05", "2017-06", "2017-07", "2017-08", "2017-09", "2017-10", "2017-11"}, a.Months)
	assert.Equal(t, attained{Won: "4564", Percent: "91.28", WinRate: "1.0000", Status: "missed"}, a.ByAgent["Anna Snelling"]["2017-03"])
	assert.Equal(t, attained{Won: "26000", Percent: "520.00", WinRate: "1.0000", Status: "met"}, a.ByAgent["Cecily Lampkin"]["2017-04"])
	assert.Equal(t, attained{Won: "4800", Percent: "96.00", WinRate: "1.0000", Status: "missed"}, a.ByAgent["Violet Mclelland"]["2017-11"])
	assert.Equal(t, attained{Won: "0", Percent: "0.00", WinRate: "0.0000", Status: "missed"}, a.ByAgent["Hayden Neloms"]["2017-03"])
	assert.NotContains(t, a.ByAgent, "Carl Lin", "agents without deals get no goal")
	assert.Equal(t, metCount{Met: 1, Reps: 4}, a.MetByMonth["2017-04"])
	assert.Equal(t, "2017-12-01T08:00:00Z", a.AsOf, "the end of November in Los Angeles")

	// The review of the last month: every rep missed 5000 in November,
	// with too few deals to say why.
	r := rep.Review
	require.NotNil(t, r)
	assert.Equal(t, "2017-11", r.Month)
	assert.Equal(t, "2017-11[America/New_York]", r.Period, "the easternmost office's zone")
	assert.Equal(t, "2017-12-01T08:00:00Z", r.AsOf, "the end of the month in the westernmost office")
	assert.Equal(t, 4, r.Goals)
	assert.Equal(t, map[string]int{"target_missed": 4}, r.ByRule)
	assert.Equal(t, map[string]int{"critical": 3, "warning": 1}, r.BySeverity)
	for _, f := range r.Findings {
		assert.Equal(t, review.CauseData, f.Cause, f.ID)
	}

	// April: Cecily's 26000 is applauded; the deal closed on April 1 in
	// Chicago counts for April, not for March.
	r = runJSON(t, "-data", "testdata/good", "-goal", "5000 USD", "-month", "2017-04").Review
	require.NotNil(t, r)
	assert.Equal(t, map[string]int{"target_met": 1, "target_missed": 3}, r.ByRule)
	require.NotEmpty(t, r.Findings)
	last := r.Findings[len(r.Findings)-1]
	assert.Equal(t, review.RuleTargetMet, last.Rule)
	assert.Equal(t, review.RepSubject("Cecily Lampkin"), last.Subject)
}

// TestQuirks checks that every kind of bad row of testdata/quirks is
// skipped with its reason and every correction listed.
func TestQuirks(t *testing.T) {
	rep := runJSON(t, "-data", "testdata/quirks")

	reasons := map[string]string{} // by file:line
	for _, s := range rep.Skipped {
		reasons[s.File+":"+strconv.Itoa(s.Line)] = s.Reason
	}
	want := map[string]string{
		"sales_teams.csv:3":     `agent "Anna Snelling" listed again (first on line 2)`,
		"sales_teams.csv:4":     "blank manager",
		"sales_teams.csv:8":     "blank regional_office",
		"products.csv:4":        "negative sales_price -3393",
		"products.csv:5":        `product "GTX Pro" listed again (first on line 2)`,
		"products.csv:6":        `sales_price "lots" is not a number`,
		"products.csv:7":        "blank product",
		"sales_pipeline.csv:7":  "blank opportunity_id",
		"sales_pipeline.csv:8":  "opportunity_id repeated (first on line 2)",
		"sales_pipeline.csv:9":  "blank sales_agent",
		"sales_pipeline.csv:10": `unknown sales_agent "Zed Unknown" (not in sales_teams.csv)`,
		"sales_pipeline.csv:11": `sales_agent "Moses Frase" has no usable row in sales_teams.csv`,
		"sales_pipeline.csv:12": "blank product",
		"sales_pipeline.csv:13": `unknown product "GTX Ultra" (not in products.csv)`,
		"sales_pipeline.csv:14": `product "MG Advanced" has no usable row in products.csv`,
		"sales_pipeline.csv:15": "blank deal_stage",
		"sales_pipeline.csv:16": `unknown deal_stage "Pending" (want Prospecting, Engaging, Won or Lost)`,
		"sales_pipeline.csv:17": `bad engage_date "2017-02-30" (want YYYY-MM-DD)`,
		"sales_pipeline.csv:18": `bad close_date "03/10/2017" (want YYYY-MM-DD)`,
		"sales_pipeline.csv:19": "negative close_value -5000",
		"sales_pipeline.csv:20": `close_value "5k" is not a number`,
		"sales_pipeline.csv:21": "close_date 2017-01-10 before engage_date 2017-03-10",
		"sales_pipeline.csv:22": "Won deal with a blank close_date",
		"sales_pipeline.csv:23": "Won deal with a blank close_value",
		"sales_pipeline.csv:24": "Won deal with close_value 0 (winning needs a positive amount)",
		"sales_pipeline.csv:25": "Engaging deal with a close_date",
		"sales_pipeline.csv:26": "Prospecting deal with a close_value",
		"sales_pipeline.csv:27": "Engaging deal with a blank engage_date",
		"sales_pipeline.csv:28": "Lost deal with a blank engage_date",
		"sales_pipeline.csv:29": "7 fields where the header has 8",
		"sales_pipeline.csv:30": `not readable as CSV: extraneous or missing " in quoted-field`,
		"sales_pipeline.csv:33": `account: invalid input: customer id "Acme\nCorp" has the non-printable character U+000A`,
		"sales_pipeline.csv:37": "9 fields where the header has 8",
		"sales_pipeline.csv:38": "not valid UTF-8",
		"sales_pipeline.csv:40": `bad engage_date "1850-02-01" (want a year from 1900 to 2100)`,
	}
	assert.Equal(t, want, reasons)

	kinds := map[string]int{}
	for _, f := range rep.Fixes {
		kinds[f.File+" "+f.Kind+" "+f.From] = f.Count
	}
	assert.Equal(t, map[string]int{
		"sales_pipeline.csv agent_name anna  snelling":                             1,
		"sales_pipeline.csv engage_date_ignored engage_date on a Prospecting deal": 1,
		"sales_pipeline.csv lost_value_ignored close_value of a Lost deal":         1,
		"sales_pipeline.csv product_name GTXPro":                                   1,
		"sales_pipeline.csv spaces_trimmed spaces around a field":                  1,
		"sales_pipeline.csv stage_name won":                                        1,
		"sales_teams.csv office_name east":                                         1,
		"sales_teams.csv office_time_zone North":                                   1,
		"sales_teams.csv spaces_trimmed spaces around a field":                     2,
	}, kinds)

	// What was kept: Q01-Q05, Q28 (a Lost deal needs no value), Q29 (a
	// fraction of a dollar is kept exactly), Q31, Q34.
	assert.Equal(t, 37, rep.Deals.Rows)
	assert.Equal(t, 9, rep.Deals.Total)
	assert.Equal(t, 28, rep.Deals.Skipped)
	assert.Equal(t, 28, pipelineSkips(rep))
	assert.Equal(t, map[string]int{"Won": 5, "Lost": 2, "Engaging": 1, "Prospecting": 1}, rep.Deals.ByStage)
	assert.Equal(t, "14882.5", rep.WonValue.Total) // 5000 + 60 + 1.5 + 5000 + 4821
	assert.Equal(t, "0.7143", rep.WinRate.Overall) // 5 of 7
	assert.Equal(t, "UTC", rep.Offices["North"].TimeZone)
	assert.Equal(t, "America/New_York", rep.Offices["East"].TimeZone, `"east" is East`)
	assert.True(t, rep.Quirks.NoAccountsFile)
}

// TestRealData runs the program on the shared copy of the data set, if
// there is one, and checks the totals SOURCE.md gives.
func TestRealData(t *testing.T) {
	dir := realData()
	if _, err := os.Stat(filepath.Join(dir, filePipeline)); err != nil {
		t.Skipf("no CRM Sales Opportunities data at %s (set CRMDATA to its folder): %v", dir, err)
	}
	rep := runJSON(t, "-data", dir, "-goal", "60000 USD")

	assert.Equal(t, 8800, rep.Deals.Total)
	assert.Equal(t, map[string]int{"Won": 4238, "Lost": 2473, "Engaging": 1589, "Prospecting": 500}, rep.Deals.ByStage)
	assert.Empty(t, rep.Skipped)
	assert.Equal(t, "0.6315", rep.WinRate.Overall) // 4238 of 6711
	assert.Equal(t, wonLost{Won: 4238, Lost: 2473}, rep.WinRate.Closed.Overall)
	assert.Len(t, rep.Offices, 3)
	assert.Len(t, rep.Agents, 35)
	assert.Len(t, rep.Products, 7)
	assert.Equal(t, []string{"Carl Lin", "Carol Thompson", "Elizabeth Anderson", "Mei-Mei Johns", "Natalya Ivanova"}, rep.AgentsWithoutDeals)
	require.Len(t, rep.Fixes, 1)
	assert.Equal(t, "GTXPro", rep.Fixes[0].From)
	assert.Equal(t, "GTX Pro", rep.Fixes[0].To)
	assert.Equal(t, 1480, rep.Fixes[0].Count)
	assert.Equal(t, quirks{
		OpenWithoutClose: 2089, ProspectingWithoutEngage: 500, WithoutAccount: 1425, WithoutAccountOpen: 1425,
		LostWithZeroValue: 2473, ProductSpellings: 1480, AgentsWithoutDeals: 5,
		Goals: "none in the data; -goal sets a monthly revenue goal per rep",
	}, rep.Quirks)

	// Figures computed from the CSVs by another program: sums of
	// close_value of Won rows, and days from engage_date to close_date.
	v := rep.WonValue
	assert.Equal(t, "10005534", v.Total)
	assert.Equal(t, map[string]string{"Central": "3346293", "East": "3090594", "West": "3568647"}, v.ByOffice)
	assert.Equal(t, "1134672", v.ByMonth["2017-03"])
	assert.Equal(t, "1131573", v.ByMonth["2017-12"])
	assert.Equal(t, "482373", v.ByOfficeMonth["West"]["2017-06"])
	assert.Equal(t, "3510578", v.ByProduct["GTX Pro"], `the "GTXPro" rows`)
	assert.Equal(t, "1153214", v.ByAgent["Darcel Schlecht"])
	assert.Equal(t, map[string]string{"Central": "0.6256", "East": "0.6302", "West": "0.6394"}, rep.WinRate.ByOffice)
	assert.Equal(t, wonLost{Won: 882, Lost: 536}, rep.WinRate.Closed.ByManager["Melvin Marxen"])
	assert.Equal(t, wonLost{Won: 729, Lost: 418}, rep.WinRate.Closed.ByProduct["GTX Pro"])
	assert.Equal(t, cycleStats{Count: 4238, Median: "57", Mean: "51.7820", Min: 1, Max: 138}, rep.CycleDays.Overall)
	assert.Equal(t, cycleStats{Count: 1629, Median: "58", Mean: "52.5599", Min: 1, Max: 138}, rep.CycleDays.ByOffice["Central"])
	assert.Equal(t, "50.6354", rep.CycleDays.ByOffice["East"].Mean)
	assert.Equal(t, "59", rep.CycleDays.ByOffice["West"].Median)

	require.NotNil(t, rep.Attainment)
	assert.Len(t, rep.Attainment.ByAgent, 30)
	assert.Len(t, rep.Attainment.Months, 10)
	assert.Equal(t, attained{Won: "122127", Percent: "203.55", WinRate: "0.8605", Status: "met"}, // 37 won, 6 lost
		rep.Attainment.ByAgent["Darcel Schlecht"]["2017-06"])
	assert.Equal(t, "1.95", rep.Attainment.ByAgent["Violet Mclelland"]["2017-10"].Percent)

	// The review of December: the three reps who made 60000 (as the
	// attainment says) are applauded, the other 27 examined.
	r := rep.Review
	require.NotNil(t, r)
	assert.Equal(t, "2017-12", r.Month)
	assert.Equal(t, 30, r.Goals)
	assert.Equal(t, 3, r.ByRule[review.RuleTargetMet])
	assert.Equal(t, 27, r.ByRule[review.RuleTargetMissed])
	met := 0
	for _, by := range rep.Attainment.ByAgent {
		if by["2017-12"].Status == "met" {
			met++
		}
	}
	assert.Equal(t, 3, met)

	// Rates and percentages whose exact value lies halfway between two
	// printed ones round up.
	assert.Equal(t, "0.6688", rep.WinRate.ByAgent["Cecily Lampkin"])                        // 107/160 = 0.66875
	assert.Equal(t, "74.25", rep.Attainment.ByAgent["Gladys Colclough"]["2017-03"].Percent) // 44547/600 = 74.245
	assert.Equal(t, "0.5938", rep.Attainment.ByAgent["Moses Frase"]["2017-05"].WinRate)     // 19/32 = 0.59375

	// The causes of December's shortfalls, as an independent computation
	// of the win rates, their Wilson and Newcombe intervals and the
	// review's steps found them: the products MG Advanced and GTX Plus
	// Basic are at fault (72 of 106 and 76 of 111 won, against 439 of 545
	// and 435 of 540 of the other products), the market of East is weak
	// (133 of 190 against 378 of 461), and no rep lags significantly.
	causes := map[review.Cause]int{}
	products := map[string]sp.ProductID{}
	proposals := map[sp.RepID]string{}
	for _, f := range r.Findings {
		if f.Rule != review.RuleTargetMissed {
			continue
		}
		causes[f.Cause]++
		for _, a := range f.Actions {
			switch a.Kind {
			case review.ActionProductFeedback:
				products[string(f.Subject.Rep)] = a.Product
			case review.ActionAdjustGoal:
				require.NotNil(t, a.Proposed)
				proposals[a.Rep] = a.Proposed.String()
			}
		}
	}
	assert.Equal(t, map[review.Cause]int{review.CauseData: 15, review.CauseProduct: 9, review.CauseMarket: 3}, causes)
	assert.Equal(t, map[string]sp.ProductID{
		"Cassey Cress": "MG Advanced", "Cecily Lampkin": "MG Advanced", "Daniell Hammack": "GTX Plus Basic",
		"Donn Cantrell": "MG Advanced", "Gladys Colclough": "MG Advanced", "Jonathan Berthelot": "GTX Plus Basic",
		"Kary Hendrixson": "GTX Plus Basic", "Niesha Huffines": "GTX Plus Basic", "Wilburn Farren": "MG Advanced",
	}, products)
	// 60000 × (133/190) / (378/461), rounded half-up to the cent.
	assert.Equal(t, map[sp.RepID]string{
		"Corliss Cosme": "51222.22 USD", "Garret Kinder": "51222.22 USD", "Rosie Papadopoulos": "51222.22 USD",
	}, proposals)
	assert.Equal(t, map[string]int{"critical": 18, "warning": 9, "info": 3}, r.BySeverity)

	// June: five reps met the goal, and no win rate stands out.
	r = runJSON(t, "-data", dir, "-goal", "60000 USD", "-month", "2017-06").Review
	require.NotNil(t, r)
	assert.Equal(t, map[string]int{review.RuleTargetMet: 5, review.RuleTargetMissed: 25}, r.ByRule)
	assert.Equal(t, map[string]int{"critical": 17, "warning": 8, "info": 5}, r.BySeverity)
	for _, f := range r.Findings {
		if f.Rule == review.RuleTargetMissed {
			assert.Equal(t, review.CauseData, f.Cause, f.Summary)
		}
	}
}

// TestEdgeData runs the program on data sets made in the test: a
// pipeline with no rows, one with only open deals, extra columns in
// another order, a product without a price.
func TestEdgeData(t *testing.T) {
	t.Run("no_rows", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n")
		rep := runJSON(t, "-data", dir, "-goal", "1 USD")
		assert.Equal(t, 0, rep.Deals.Total)
		assert.Equal(t, "0.0000", rep.WinRate.Overall)
		assert.Equal(t, "0", rep.WonValue.Total)
		assert.Equal(t, cycleStats{}, rep.CycleDays.Overall)
		assert.Len(t, rep.AgentsWithoutDeals, 5)
		require.NotNil(t, rep.Attainment)
		assert.Empty(t, rep.Attainment.ByAgent)
		assert.Nil(t, rep.Review, "no month to review")
		assert.Equal(t, "no deal has closed, so no month has goals", rep.Attainment.Note)
		text := string(runOK(t, "-data", dir, "-goal", "1 USD"))
		assert.Contains(t, text, "\nAttainment: goal 1 USD per rep per month: no deal has closed, so no month has goals\n")
		assert.NotContains(t, text, "as of  ")
		rep = runJSON(t, "-data", dir, "-month", "2017-01")
		require.NotNil(t, rep.Review)
		assert.Empty(t, rep.Review.Findings)
		assert.Contains(t, string(runOK(t, "-data", dir, "-month", "2017-01")), "as of 2017-02-01T08:00:00Z, no goals (pass -goal)")
		text = string(runOK(t, "-data", dir, "-month", "2017-01", "-goal", "1 USD"))
		assert.Contains(t, text, "no goals: no agent has deals): 0 findings")
	})
	t.Run("open_only", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\r\n"+
			"X1,Anna Snelling,GTX Pro,,Engaging,2017-04-02,,\r\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, 1, rep.Deals.Total)
		assert.Equal(t, "0.0000", rep.WinRate.Overall)
		assert.Empty(t, rep.WinRate.ByOffice)
	})
	t.Run("unclosed_quote", func(t *testing.T) {
		// The CSV reader reads on from a quote never closed to the end of
		// the file, as one field: the row alone is bad, and the rows after
		// it are read.
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"+
			"A1,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,100\n"+
			"B1,Anna Snelling,\"GTX Pro,,Won,2017-03-01,2017-03-02,200\n"+
			"A2,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,300\n"+
			"A3,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,400\n"+
			"A4,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,500\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, 5, rep.Deals.Rows)
		assert.Equal(t, 4, rep.Deals.Total)
		assert.Equal(t, "1300", rep.WonValue.Total)
		var lines []int
		for _, sk := range rep.Skipped {
			if sk.File == filePipeline {
				lines = append(lines, sk.Line)
				assert.Contains(t, sk.Reason, "not readable as CSV")
			}
		}
		assert.Equal(t, []int{3}, lines)
	})
	t.Run("line_break_in_a_skipped_id", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"+
			"\"X1\nEurope\",Nobody Known,GTX Pro,,Won,2017-03-01,2017-03-02,100\n")
		text := string(runOK(t, "-data", dir))
		assert.Contains(t, text, `sales_pipeline.csv:2 "X1\nEurope": `)
		for _, line := range strings.Split(text, "\n") {
			assert.False(t, strings.HasPrefix(line, "Europe"), "a line of the report begins with the rest of an ID: %q", line)
		}
	})
	t.Run("bom_before_quoted_header", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, "\uFEFF\"opportunity_id\",\"sales_agent\",\"product\",\"account\",\"deal_stage\",\"engage_date\",\"close_date\",\"close_value\"\n"+
			"\"A1\",\"Anna Snelling\",\"GTX Pro\",\"\",\"Won\",\"2017-03-01\",\"2017-03-02\",\"100\"\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, "100", rep.WonValue.Total)
		require.NotEmpty(t, rep.Fixes)
		assert.Equal(t, "byte_order_mark", rep.Fixes[0].Kind)
	})
	t.Run("columns_reordered_and_extra", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, "note,close_value,close_date,engage_date,deal_stage,account,product,sales_agent,opportunity_id\n"+
			"hi,4514,2017-03-01,2016-10-20,Won,Cancity,GTX Pro,Anna Snelling,A1\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, "4514", rep.WonValue.Total)
		assert.Equal(t, "132", rep.CycleDays.Overall.Median)
	})
	t.Run("long_span", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"+
			"X1,Anna Snelling,GTX Pro,,Won,1901-01-01,1901-01-02,1\n"+
			"X2,Anna Snelling,GTX Pro,,Won,2099-01-01,2099-12-31,1\n")
		rep := runJSON(t, "-data", dir, "-goal", "1 USD")
		require.NotNil(t, rep.Attainment)
		assert.Equal(t, "the closes span 2388 months; goals are set for the last 120", rep.Attainment.Note)
		assert.Len(t, rep.Attainment.Months, 120)
		assert.Equal(t, "2099-12", rep.Attainment.Months[119])
		assert.Equal(t, "1", rep.WonValue.ByOfficeMonth["Central"]["1901-01"])
	})
	t.Run("blank_and_zero_price", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, fileProducts, "product,series,sales_price\nGTX Pro,GTX,\nMG Special,MG,0\nGTK 500,GTK,26768\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, map[string]string{"GTX Pro": "", "MG Special": "0", "GTK 500": "26768"}, rep.Products,
			"a blank sales_price is unknown, not free")
		assert.Equal(t, 1, rep.Quirks.ProductsWithoutPrice)
		assert.Equal(t, 12, rep.Deals.Total)
		text := string(runOK(t, "-data", dir))
		assert.Regexp(t, `(?m)^  GTX Pro +- +3 +1 `, text)
		assert.Regexp(t, `(?m)^  MG Special +0 +`, text)
		assert.Contains(t, text, "products with blank sales_price: 1 (list price shown as -)\n")
	})
	t.Run("no_accounts_file", func(t *testing.T) {
		dir := copyGood(t)
		require.NoError(t, os.Remove(filepath.Join(dir, fileAccounts)))
		rep := runJSON(t, "-data", dir)
		assert.True(t, rep.Quirks.NoAccountsFile)
		assert.Equal(t, 12, rep.Deals.Total)
	})
	t.Run("same_day_close", func(t *testing.T) {
		// Only a close before the engage date is refused: a deal closed
		// on the day it was engaged took 0 days.
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, pipelineHeader+"X1,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-01,10\n")
		rep := runJSON(t, "-data", dir)
		assert.Empty(t, rep.Skipped)
		assert.Equal(t, 1, rep.Deals.Total)
		assert.Equal(t, cycleStats{Count: 1, Median: "0", Mean: "0.0000", Min: 0, Max: 0}, rep.CycleDays.Overall)
	})
	t.Run("mean_cycle_rounded_to_four_places", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, pipelineHeader+
			"X1,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,1\n"+
			"X2,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-03,1\n"+
			"X3,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-03,1\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, cycleStats{Count: 3, Median: "2", Mean: "1.6667", Min: 1, Max: 2}, rep.CycleDays.Overall) // 5/3, half-up
	})
	t.Run("closed_deal_without_account", func(t *testing.T) {
		// A closed deal with a blank account counts as without account,
		// but not as an open one.
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, pipelineHeader+
			"X1,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,1\n"+
			"X2,Anna Snelling,GTX Pro,,Engaging,2017-03-01,,\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, 2, rep.Quirks.WithoutAccount)
		assert.Equal(t, 1, rep.Quirks.WithoutAccountOpen)
	})
	t.Run("account_spelled_differently", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, pipelineHeader+"X1,Anna Snelling,GTX Pro,CANCITY,Won,2017-03-01,2017-03-02,1\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, 0, rep.Quirks.AccountsNotInAccountsFile)
		assert.Contains(t, rep.Fixes, fix{File: filePipeline, Kind: "account_name", From: "CANCITY", To: "Cancity", Count: 1, Examples: []string{"X1"}})
	})
	t.Run("fix_examples_capped", func(t *testing.T) {
		// A fix counts every row it corrected and names the first five.
		dir := copyGood(t)
		rows := pipelineHeader
		for i := 1; i <= maxExamples+2; i++ {
			rows += "X" + itoa(i) + ",Anna Snelling,GTXPro,,Engaging,2017-03-01,,\n"
		}
		writeFile(t, dir, filePipeline, rows)
		rep := runJSON(t, "-data", dir)
		assert.Contains(t, rep.Fixes, fix{File: filePipeline, Kind: "product_name", From: "GTXPro", To: "GTX Pro",
			Count: maxExamples + 2, Examples: []string{"X1", "X2", "X3", "X4", "X5"}})
		assert.Equal(t, maxExamples+2, rep.Quirks.ProductSpellings)
	})
	t.Run("id_repeated_after_a_skipped_row", func(t *testing.T) {
		// An ID is repeated whether or not its first row was usable.
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, pipelineHeader+
			"X1,Nobody,GTX Pro,,Won,2017-03-01,2017-03-02,1\n"+
			"X1,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,1\n")
		rep := runJSON(t, "-data", dir)
		assert.Equal(t, 0, rep.Deals.Total)
		require.Len(t, rep.Skipped, 2)
		assert.Equal(t, skipped{File: filePipeline, Line: 3, ID: "X1", Reason: "opportunity_id repeated (first on line 2)"}, rep.Skipped[1])
	})
	t.Run("skipped_row_named_by_trimmed_id", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, pipelineHeader+" X1 ,Anna Snelling,GTX Pro\n")
		rep := runJSON(t, "-data", dir)
		require.Len(t, rep.Skipped, 1)
		assert.Equal(t, skipped{File: filePipeline, Line: 2, ID: "X1", Reason: "3 fields where the header has 8"}, rep.Skipped[0])
	})
	t.Run("span_of_120_and_121_months", func(t *testing.T) {
		// Closes spanning exactly the most months the attainment covers
		// get a goal for every one of them, and no note; a month more, and
		// the first is left out, with a note that says so.
		for first, note := range map[string]string{
			"2008-01-01": "",
			"2007-12-01": "the closes span 121 months; goals are set for the last 120",
		} {
			dir := copyGood(t)
			writeFile(t, dir, filePipeline, pipelineHeader+
				"X1,Anna Snelling,GTX Pro,,Won,2007-12-01,"+first+",1\n"+
				"X2,Anna Snelling,GTX Pro,,Won,2017-12-01,2017-12-02,1\n")
			rep := runJSON(t, "-data", dir, "-goal", "1 USD")
			require.NotNil(t, rep.Attainment, first)
			assert.Equal(t, note, rep.Attainment.Note, first)
			require.Len(t, rep.Attainment.Months, maxMonths, first)
			assert.Equal(t, "2008-01", rep.Attainment.Months[0], first)
			assert.Equal(t, "2017-12", rep.Attainment.Months[maxMonths-1], first)
		}
	})
	t.Run("last_close_on_the_first_of_a_month", func(t *testing.T) {
		dir := copyGood(t)
		writeFile(t, dir, filePipeline, pipelineHeader+
			"X1,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-15,1\n"+
			"X2,Anna Snelling,GTX Pro,,Won,2017-03-01,2017-04-01,1\n")
		rep := runJSON(t, "-data", dir, "-goal", "1 USD")
		require.NotNil(t, rep.Attainment)
		assert.Equal(t, []string{"2017-03", "2017-04"}, rep.Attainment.Months)
		assert.Equal(t, "met", string(rep.Attainment.ByAgent["Anna Snelling"]["2017-04"].Status))
	})
	t.Run("unknown_office_spelled_twice", func(t *testing.T) {
		// An office not in the list of zones is added by its first
		// spelling; another spelling of it is fixed to that one.
		dir := copyGood(t)
		before, err := os.ReadFile(filepath.Join(dir, fileTeams))
		require.NoError(t, err)
		writeFile(t, dir, fileTeams, string(before)+"Zoe New,Nora Boss,North\r\nYan Ng,Nora Boss,north\r\n")
		rep := runJSON(t, "-data", dir)
		assert.Empty(t, rep.Skipped)
		assert.NotContains(t, rep.Offices, "north")
		assert.Equal(t, officeEntry{TimeZone: "UTC", Managers: []string{"Nora Boss"}, Agents: 2}, rep.Offices["North"])
		assert.Equal(t, "North", rep.Agents["Yan Ng"].Office)
		assert.Contains(t, rep.Fixes, fix{File: fileTeams, Kind: "office_name", From: "north", To: "North", Count: 1, Examples: []string{"line 8"}})
	})
	t.Run("huge_name_of_a_skipped_agent", func(t *testing.T) {
		// A deal of an agent whose row was skipped says so, quoting the
		// name clipped.
		long := strings.Repeat("z", 100_000)
		dir := copyGood(t)
		before, err := os.ReadFile(filepath.Join(dir, fileTeams))
		require.NoError(t, err)
		writeFile(t, dir, fileTeams, string(before)+long+",Nora Boss,Central\r\n")
		writeFile(t, dir, filePipeline, pipelineHeader+"X1,"+long+",GTX Pro,,Engaging,2017-03-01,,\n")
		rep := runJSON(t, "-data", dir)
		require.Len(t, rep.Skipped, 2)
		got := rep.Skipped[0]
		assert.Equal(t, filePipeline, got.File)
		assert.Contains(t, got.Reason, "has no usable row in sales_teams.csv")
		assert.Less(t, len(got.Reason), 500, "the reason quotes no huge field")
		assert.LessOrEqual(t, len(rep.Skipped[1].ID), maxQuote+len("..."), "the ID is clipped")
	})
	t.Run("unnamed_columns", func(t *testing.T) {
		// Trailing commas make unnamed columns, which are ignored.
		dir := copyGood(t)
		writeFile(t, dir, fileProducts, "product,series,sales_price,,\nGTX Pro,GTX,4821,,\nMG Special,MG,55,,\nGTK 500,GTK,26768,,\n")
		rep := runJSON(t, "-data", dir)
		assert.Empty(t, rep.Skipped)
		assert.Equal(t, map[string]string{"GTX Pro": "4821", "MG Special": "55", "GTK 500": "26768"}, rep.Products)
	})
}

// pipelineHeader is the header of sales_pipeline.csv.
const pipelineHeader = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"

// TestReviewMarketShortfall reviews a month in which both reps of one
// office win far less often than the other offices' reps: the review
// traces their shortfalls to the market and proposes to adjust their
// goals, and the text names the rep and the office of each proposal.
func TestReviewMarketShortfall(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, fileTeams, "sales_agent,manager,regional_office\nC1,MC,Central\nC2,MC,Central\nE1,ME,East\nE2,ME,East\nW1,MW,West\nW2,MW,West\n")
	writeFile(t, dir, fileProducts, "product,series,sales_price\nGTX Pro,GTX,100\n")
	var b strings.Builder
	b.WriteString(pipelineHeader)
	n := 0
	for _, agent := range []string{"C1", "C2", "W1", "W2", "E1", "E2"} {
		won, lost := 20, 5
		if agent[0] == 'E' {
			won, lost = 3, 20
		}
		for i := range won + lost {
			n++
			stage, value := "Won", "100"
			if i >= won {
				stage, value = "Lost", "0"
			}
			fmt.Fprintf(&b, "D%d,%s,GTX Pro,,%s,2017-06-01,2017-06-%02d,%s\n", n, agent, stage, 10+i%15, value)
		}
	}
	writeFile(t, dir, filePipeline, b.String())

	rep := runJSON(t, "-data", dir, "-goal", "1000000 USD")
	require.NotNil(t, rep.Review)
	assert.Equal(t, "2017-06", rep.Review.Month)
	causes := map[string]review.Cause{}
	for _, f := range rep.Review.Findings {
		causes[f.Subject.String()] = f.Cause
		if f.Subject == review.RepSubject("E1") {
			require.Len(t, f.Actions, 1)
			assert.Equal(t, review.ActionAdjustGoal, f.Actions[0].Kind)
			assert.Equal(t, sp.RegionID("East"), f.Actions[0].Region)
		}
	}
	assert.Equal(t, map[string]review.Cause{
		"rep C1": review.CauseData, "rep C2": review.CauseData, "rep W1": review.CauseData, "rep W2": review.CauseData,
		"rep E1": review.CauseMarket, "rep E2": review.CauseMarket,
	}, causes)
	text := string(runOK(t, "-data", dir, "-goal", "1000000 USD"))
	// The text names the proposed goal, which the action is about, in
	// words, and counts the findings by severity and by rule apart.
	assert.Regexp(t, `\] target_missed, cause market: rep E1 attained .*\n(      .*\n)*      actions: adjust the goal from 1000000\.00 USD to \d+\.\d\d USD\n`, text)
	assert.Regexp(t, `\] target_missed, cause market: rep E2 attained .*\n(      .*\n)*      actions: adjust the goal from 1000000\.00 USD to \d+\.\d\d USD\n`, text)
	assert.Contains(t, text, "\n  by severity: critical 6; by rule: target_missed 6\n")
	assert.NotContains(t, text, "adjust_goal")
}

// TestWriteErrors runs the program into a writer that fails part way:
// the run ends with the writer's error, wherever the report was cut.
func TestWriteErrors(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		args := []string{"-data", "testdata/good", "-goal", "5000 USD", "-format", format}
		size := len(runOK(t, args...))
		for _, n := range []int{0, size / 2, size - 1} {
			err := run(context.Background(), &failingWriter{n: n}, io.Discard, args)
			assert.ErrorIs(t, err, errWrite, "%s, failing after %d of %d bytes", format, n, size)
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
	noProducts := copyGood(t)
	require.NoError(t, os.Remove(filepath.Join(noProducts, fileProducts)))
	noColumn := copyGood(t)
	writeFile(t, noColumn, filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date\nA1,Anna Snelling,GTX Pro,,Engaging,2017-04-02,\n")
	twice := copyGood(t)
	writeFile(t, twice, fileTeams, "sales_agent,manager,regional_office,manager\n")
	empty := copyGood(t)
	writeFile(t, empty, fileTeams, "")
	crOnly := copyGood(t)
	writeFile(t, crOnly, filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\r"+
		"A1,Anna Snelling,GTX Pro,,Engaging,2017-04-02,,\r")
	aFile := filepath.Join(copyGood(t), fileTeams)

	tests := []struct {
		name      string
		ctx       context.Context
		args      []string
		wantIs    error
		wantMsg   string
		wantUsage bool // the usage on errOut
	}{
		{name: "err_no_data", args: nil, wantMsg: "-data is required"},
		{name: "err_format", args: []string{"-data", "testdata/good", "-format", "xml"}, wantMsg: `-format "xml": want text or json`},
		{name: "err_goal", args: []string{"-data", "testdata/good", "-goal", "60000"}, wantIs: sp.ErrInvalid},
		{name: "err_goal_currency", args: []string{"-data", "testdata/good", "-goal", "60000 EUR"}, wantMsg: "the data's amounts are in USD"},
		{name: "err_goal_negative", args: []string{"-data", "testdata/good", "-goal", "-1 USD"}, wantIs: sp.ErrInvalid},
		{name: "err_goal_zero", args: []string{"-data", "testdata/good", "-goal", "0 USD"}, wantIs: sp.ErrInvalid},
		{name: "err_month", args: []string{"-data", "testdata/good", "-month", "2017-13"}, wantIs: sp.ErrInvalid, wantMsg: `-month "2017-13"`},
		{name: "err_month_form", args: []string{"-data", "testdata/good", "-month", "Dec 2017"}, wantIs: sp.ErrInvalid},
		{name: "err_args", args: []string{"testdata/good"}, wantMsg: "pass the folder with -data"},
		{name: "err_flag", args: []string{"-nope"}, wantIs: errUsage, wantMsg: "flag provided but not defined", wantUsage: true},
		{name: "help", args: []string{"-h"}, wantIs: flag.ErrHelp, wantUsage: true},
		{name: "err_cancelled", ctx: cancelled, args: []string{"-data", "testdata/good"}, wantIs: context.Canceled},
		{name: "err_no_folder", args: []string{"-data", "testdata/nothing-here"}, wantIs: os.ErrNotExist, wantMsg: "data folder"},
		{name: "err_not_a_folder", args: []string{"-data", aFile}, wantMsg: "is not a folder"},
		{name: "err_no_file", args: []string{"-data", noProducts}, wantIs: os.ErrNotExist, wantMsg: fileProducts},
		{name: "err_no_column", args: []string{"-data", noColumn}, wantMsg: "sales_pipeline.csv: header lacks column close_value"},
		{name: "err_column_twice", args: []string{"-data", twice}, wantMsg: `sales_teams.csv: header names column "manager" twice`},
		{name: "err_empty_file", args: []string{"-data", empty}, wantMsg: "sales_teams.csv: empty file: no header"},
		{name: "err_cr_only", args: []string{"-data", crOnly}, wantMsg: "sales_pipeline.csv: its lines end in a carriage return alone"},
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

// FuzzPipeline feeds arbitrary bytes to the program as sales_pipeline.csv:
// it may refuse the file, but never panics, and what it loads plus what it
// skips is every row it read.
func FuzzPipeline(f *testing.F) {
	for _, name := range []string{"testdata/good/sales_pipeline.csv", "testdata/quirks/sales_pipeline.csv"} {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\nZ,Anna Snelling,GTX Pro,,Won,2017-01-01,2017-01-01,1\n"))
	dir := copyGood(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, filePipeline), data, 0o644))
		var out bytes.Buffer
		if err := run(context.Background(), &out, io.Discard, []string{"-data", dir, "-format", "json", "-goal", "100 USD"}); err != nil {
			return
		}
		var rep report
		require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
		assert.Equal(t, rep.Deals.Rows, rep.Deals.Total+pipelineSkips(rep))
	})
}

// copyGood copies testdata/good to a temporary folder and returns it.
func copyGood(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, name := range []string{fileTeams, fileProducts, fileAccounts, filePipeline} {
		b, err := os.ReadFile(filepath.Join("testdata", "good", name))
		require.NoError(tb, err)
		writeFile(tb, dir, name, string(b))
	}
	return dir
}

func writeFile(tb testing.TB, dir, name, text string) {
	tb.Helper()
	require.NoError(tb, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
}

// pipelineSkips counts the skipped rows of sales_pipeline.csv.
func pipelineSkips(rep report) int {
	n := 0
	for _, s := range rep.Skipped {
		if s.File == filePipeline {
			n++
		}
	}
	return n
}

// An office east of UTC whose last close is on the first of a month: that
// close is in that month on the office's clock, though the instant is
// still in the month before in UTC and in the western offices, and the
// attainment covers that month too.
func TestAttainmentMonthsOfAnOfficeEastOfUTC(t *testing.T) {
	saved := officeZones["East"]
	officeZones["East"] = "Asia/Tokyo"
	t.Cleanup(func() { officeZones["East"] = saved })
	dir := t.TempDir()
	writeFile(t, dir, fileTeams, "sales_agent,manager,regional_office\nE1,ME,East\nW1,MW,West\n")
	writeFile(t, dir, fileProducts, "product,series,sales_price\nGTX Pro,GTX,100\n")
	writeFile(t, dir, filePipeline, pipelineHeader+
		"D1,W1,GTX Pro,,Won,2017-02-01,2017-03-31,100\n"+
		"D2,E1,GTX Pro,,Won,2017-03-01,2017-04-01,200\n")
	rep := runJSON(t, "-data", dir, "-goal", "150 USD")
	require.NotNil(t, rep.Attainment)
	assert.Equal(t, []string{"2017-03", "2017-04"}, rep.Attainment.Months)
	assert.Equal(t, "200", rep.Attainment.ByAgent["E1"]["2017-04"].Won)
	assert.EqualValues(t, "met", rep.Attainment.ByAgent["E1"]["2017-04"].Status)
}

// TestTablesFitIn100Columns checks that the text's tables read within a
// terminal of 100 columns: the offices' deals are a table apart from the
// offices, and the attainment shows six months to a table, the months met
// in the last, whose head names them.
func TestTablesFitIn100Columns(t *testing.T) {
	text := string(runOK(t, "-data", "testdata/good", "-goal", "5000 USD"))
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "  [") || strings.HasPrefix(l, "    ") || strings.Contains(l, ": ") {
			continue // not a table's row: a finding, its evidence, a list
		}
		assert.LessOrEqual(t, utf8.RuneCountInString(l), 100, "%q", l)
	}
	assert.Contains(t, text, "\nDeals by office (the sales cycle of won deals in days)\n  Office ")
	assert.Regexp(t, `\n  Agent +2017-03 +2017-04 +2017-05 +2017-06 +2017-07 +2017-08\n`, text)
	assert.Regexp(t, `\n  Agent +2017-09 +2017-10 +2017-11 +Months met\n`, text)
}

// TestCycleWithoutWonDeals checks that an office without a won deal shows
// no sales cycle, where a median of 0 days would read as deals won on the
// day they were engaged.
func TestCycleWithoutWonDeals(t *testing.T) {
	text := string(runOK(t, "-data", "testdata/quirks", "-goal", "5000 USD"))
	assert.Regexp(t, `\n  North +1 +0 +0 +0 +- +0 +- +-\n`, text)
	assert.NotRegexp(t, `\n  North .* 0\.0000\n`, text)

	dir := t.TempDir()
	writeFile(t, dir, fileTeams, "sales_agent,manager,regional_office\nC1,MC,Central\n")
	writeFile(t, dir, fileProducts, "product,series,sales_price\nGTX Pro,GTX,100\n")
	writeFile(t, dir, filePipeline, pipelineHeader+"D1,C1,GTX Pro,,Lost,2017-06-01,2017-06-10,0\n")
	text = string(runOK(t, "-data", dir))
	assert.Contains(t, text, "\nSales cycle of won deals: none won\n")
	assert.Regexp(t, `\n  Central +0 +0 +0 +1 +0\.0000 +0 +- +-\n`, text)
}
