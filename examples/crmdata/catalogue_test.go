package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// A badRow is one row of the catalogue of bad rows: a line appended to one
// file of testdata/good, and the reason it must be skipped with (a
// substring, which names the column at fault). The program must go on,
// listing the row under skipped by its file and line, and the records of
// the good rows must come out as they do without it.
type badRow struct {
	name   string
	file   string
	line   string
	reason string
}

// A badFile is one row of the catalogue of bad files: the content of one
// file of testdata/good replaced (or the file removed, for a nil content),
// and the error the run must end with: the sentinel it wraps (nil for
// none) and a substring naming the file and what is wrong.
type badFile struct {
	name    string
	file    string
	content *string
	is      error
	msg     string
}

func text(s string) *string { return &s }

// baseline returns the report of testdata/good, the records that a bad
// row must leave as they are.
func baseline(t *testing.T) report {
	t.Helper()
	return runJSON(t, "-data", "testdata/good", "-goal", "5000 USD")
}

// TestBadInputCatalogue lists every class of bad row of every file of the
// data set, and every class of bad file, with what the program does with
// each: a row is skipped with a reason that names its column, and changes
// no record loaded from the good rows; a file ends the run with an error
// that names it.
func TestBadInputCatalogue(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	const (
		P = "P1,Anna Snelling,GTX Pro,Cancity,Won,2017-03-01,2017-03-02,100" // a good pipeline row, edited below
	)
	pipelineRow := func(edit func(f []string)) string {
		f := strings.Split(P, ",")
		edit(f)
		return strings.Join(f, ",")
	}
	set := func(i int, v string) func([]string) { return func(f []string) { f[i] = v } }
	rows := []badRow{
		// sales_pipeline.csv: every column blank, malformed, oversized.
		{"pipeline/blank_id", filePipeline, pipelineRow(set(0, "")), "blank opportunity_id"},
		{"pipeline/repeated_id", filePipeline, pipelineRow(set(0, "A1")), "opportunity_id repeated"},
		{"pipeline/id_too_long", filePipeline, pipelineRow(set(0, strings.Repeat("i", 200))), "opportunity_id: invalid input: deal id longer than 128 bytes"},
		{"pipeline/id_nul", filePipeline, pipelineRow(set(0, "P\x001")), "opportunity_id"},
		{"pipeline/id_control", filePipeline, pipelineRow(set(0, "P\x7f1")), "opportunity_id"},
		{"pipeline/blank_agent", filePipeline, pipelineRow(set(1, "")), "blank sales_agent"},
		{"pipeline/unknown_agent", filePipeline, pipelineRow(set(1, "Nobody")), `unknown sales_agent "Nobody"`},
		{"pipeline/agent_huge", filePipeline, pipelineRow(set(1, long)), "unknown sales_agent"},
		{"pipeline/blank_product", filePipeline, pipelineRow(set(2, "")), "blank product"},
		{"pipeline/unknown_product", filePipeline, pipelineRow(set(2, "GTX Ultra")), `unknown product "GTX Ultra"`},
		{"pipeline/account_nul", filePipeline, pipelineRow(set(3, "Acme\x00")), "account: invalid input: customer id"},
		{"pipeline/account_too_long", filePipeline, pipelineRow(set(3, strings.Repeat("a", 129))), "account: invalid input: customer id longer than 128 bytes"},
		{"pipeline/blank_stage", filePipeline, pipelineRow(set(4, "")), "blank deal_stage"},
		{"pipeline/unknown_stage", filePipeline, pipelineRow(set(4, "Pending")), `unknown deal_stage "Pending"`},
		{"pipeline/stage_huge", filePipeline, pipelineRow(set(4, long)), "unknown deal_stage"},
		{"pipeline/engage_not_a_date", filePipeline, pipelineRow(set(5, "soon")), `bad engage_date "soon"`},
		{"pipeline/engage_day_32", filePipeline, pipelineRow(set(5, "2017-01-32")), "bad engage_date"},
		{"pipeline/engage_us_form", filePipeline, pipelineRow(set(5, "03/01/2017")), "bad engage_date"},
		{"pipeline/engage_with_time", filePipeline, pipelineRow(set(5, "2017-03-01T10:00:00Z")), "bad engage_date"},
		{"pipeline/engage_year_0", filePipeline, pipelineRow(set(5, "0000-01-01")), "bad engage_date"},
		{"pipeline/engage_year_9999", filePipeline, pipelineRow(set(5, "9999-01-01")), "bad engage_date"},
		{"pipeline/close_not_a_date", filePipeline, pipelineRow(set(6, "2017-02-29")), "bad close_date"},
		{"pipeline/close_before_engage", filePipeline, pipelineRow(set(6, "2017-02-28")), "close_date 2017-02-28 before engage_date"},
		{"pipeline/won_blank_close", filePipeline, pipelineRow(set(6, "")), "Won deal with a blank close_date"},
		{"pipeline/won_blank_engage", filePipeline, pipelineRow(set(5, "")), "Won deal with a blank engage_date"},
		{"pipeline/won_blank_value", filePipeline, pipelineRow(set(7, "")), "Won deal with a blank close_value"},
		{"pipeline/won_zero_value", filePipeline, pipelineRow(set(7, "0")), "Won deal with close_value 0"},
		{"pipeline/value_negative", filePipeline, pipelineRow(set(7, "-100")), "negative close_value"},
		{"pipeline/value_word", filePipeline, pipelineRow(set(7, "a lot")), `close_value "a lot" is not a number`},
		{"pipeline/value_exponent", filePipeline, pipelineRow(set(7, "1e9")), `close_value "1e9" is not a number`},
		{"pipeline/value_41_digits", filePipeline, pipelineRow(set(7, strings.Repeat("9", 41))), `close_value "` + strings.Repeat("9", 41) + `" is out of range (invalid amount: more than 40 digits`},
		{"pipeline/value_41_decimals", filePipeline, pipelineRow(set(7, "1."+strings.Repeat("0", 41))), `close_value "1.` + strings.Repeat("0", 41) + `" is out of range`},
		{"pipeline/value_point", filePipeline, pipelineRow(set(7, ".")), `close_value "." is not a number`},
		{"pipeline/value_point_first", filePipeline, pipelineRow(set(7, ".5")), `close_value ".5" is not a number`},
		{"pipeline/value_point_last", filePipeline, pipelineRow(set(7, "5.")), `close_value "5." is not a number`},
		{"pipeline/value_thousands", filePipeline, pipelineRow(set(7, `"1,000"`)), "close_value"},
		{"pipeline/value_currency", filePipeline, pipelineRow(set(7, "$100")), "close_value"},
		{"pipeline/value_huge", filePipeline, pipelineRow(set(7, strings.Repeat("9", 41))), "close_value"},
		{"pipeline/value_nan", filePipeline, pipelineRow(set(7, "NaN")), "close_value"},
		{"pipeline/open_with_close", filePipeline, pipelineRow(func(f []string) { f[4], f[7] = "Engaging", "" }), "Engaging deal with a close_date"},
		{"pipeline/open_with_value", filePipeline, pipelineRow(func(f []string) { f[4], f[6] = "Prospecting", "" }), "Prospecting deal with a close_value"},
		{"pipeline/engaging_blank_engage", filePipeline, pipelineRow(func(f []string) { f[4], f[5], f[6], f[7] = "Engaging", "", "", "" }), "Engaging deal with a blank engage_date"},
		{"pipeline/lost_blank_close", filePipeline, pipelineRow(func(f []string) { f[4], f[6], f[7] = "Lost", "", "0" }), "Lost deal with a blank close_date"},
		{"pipeline/too_few_fields", filePipeline, "P1,Anna Snelling,GTX Pro", "3 fields where the header has 8"},
		{"pipeline/too_many_fields", filePipeline, P + ",extra", "9 fields where the header has 8"},
		{"pipeline/bad_quote", filePipeline, `P1,"Anna" Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,100`, "not readable as CSV"},
		{"pipeline/bad_utf8", filePipeline, pipelineRow(set(3, "Acme\xff")), "not valid UTF-8"},
		{"pipeline/header_again", filePipeline, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value", "unknown sales_agent"},

		// sales_teams.csv.
		{"teams/blank_agent", fileTeams, ",Dustin Brinkmann,Central", "blank sales_agent"},
		{"teams/blank_manager", fileTeams, "Zoe New,,Central", "blank manager"},
		{"teams/blank_office", fileTeams, "Zoe New,Dustin Brinkmann,", "blank regional_office"},
		{"teams/agent_again", fileTeams, "anna snelling,Dustin Brinkmann,Central", `agent "Anna Snelling" listed again`},
		{"teams/agent_too_long", fileTeams, strings.Repeat("z", 129) + ",Dustin Brinkmann,Central", "agent: invalid rep.id: rep id longer than 128 bytes"},
		{"teams/agent_nul", fileTeams, "Zoe\x00New,Dustin Brinkmann,Central", "agent: "},
		{"teams/manager_nul", fileTeams, "Zoe New,Dus\x00tin,Central", "manager"},
		{"teams/manager_too_long", fileTeams, "Zoe New," + strings.Repeat("m", 129) + ",Central", "manager"},
		{"teams/office_nul", fileTeams, "Zoe New,Dustin Brinkmann,Nor\x00th", "office: "},
		// A refused agent leaves no trace of its office: no fix of its
		// spelling or zone, no new office, no manager added.
		{"teams/agent_nul_office_respelled", fileTeams, "Zoe\x00New,Dustin Brinkmann,central", "agent: "},
		{"teams/agent_nul_new_office", fileTeams, "Zoe\x00New,Dustin Brinkmann,North", "agent: "},
		{"teams/agent_nul_new_manager", fileTeams, "Zoe\x00New,Zed Manager,Central", "agent: "},
		{"teams/office_too_long", fileTeams, "Zoe New,Dustin Brinkmann," + strings.Repeat("o", 129), "office: "},
		{"teams/too_few_fields", fileTeams, "Zoe New,Dustin Brinkmann", "2 fields where the header has 3"},
		{"teams/bad_utf8", fileTeams, "Zoe New\xff,Dustin Brinkmann,Central", "not valid UTF-8"},
		{"teams/bad_quote", fileTeams, `Zoe "New",Dustin Brinkmann,Central`, "not readable as CSV"},

		// products.csv.
		{"products/blank_product", fileProducts, ",GTX,100", "blank product"},
		{"products/product_again", fileProducts, "gtx pro,GTX,4821", `product "GTX Pro" listed again`},
		{"products/price_word", fileProducts, "GTX Max,GTX,cheap", `sales_price "cheap" is not a number`},
		{"products/price_negative", fileProducts, "GTX Max,GTX,-1", "negative sales_price"},
		{"products/price_exponent", fileProducts, "GTX Max,GTX,1e3", `sales_price "1e3" is not a number`},
		{"products/price_41_digits", fileProducts, "GTX Max,GTX," + strings.Repeat("9", 41), "is out of range (invalid amount: more than 40 digits"},
		{"products/price_huge", fileProducts, "GTX Max,GTX," + strings.Repeat("9", 41), "sales_price"},
		{"products/product_too_long", fileProducts, strings.Repeat("p", 129) + ",GTX,1", "product: invalid product.id: product id longer than 128 bytes"},
		{"products/product_nul", fileProducts, "GTX\x00Max,GTX,1", "product: "},
		{"products/too_many_fields", fileProducts, "GTX Max,GTX,1,2", "4 fields where the header has 3"},
		{"products/bad_utf8", fileProducts, "GTX Max,GTX\xfe,1", "not valid UTF-8"},

		// accounts.csv.
		{"accounts/blank_account", fileAccounts, ",retail,2001,1,1,United States,", "blank account"},
		{"accounts/account_again", fileAccounts, "cancity,retail,2001,1,1,United States,", `account "Cancity" listed again`},
		{"accounts/account_too_long", fileAccounts, strings.Repeat("a", 129) + ",retail,2001,1,1,United States,", "account: invalid customer.id: customer id longer than 128 bytes"},
		{"accounts/account_nul", fileAccounts, "Acme\x00,retail,2001,1,1,United States,", "account: "},
		{"accounts/locality_control", fileAccounts, "Acme,retail,2001,1,1,United\x01States,", "account: "},
		{"accounts/locality_huge", fileAccounts, "Acme,retail,2001,1,1," + long + ",", "account: "},
		{"accounts/too_few_fields", fileAccounts, "Acme,retail", "2 fields where the header has 7"},
	}

	base := baseline(t)
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dir := copyGood(t)
			path := filepath.Join(dir, r.file)
			before, err := os.ReadFile(path)
			require.NoError(t, err)
			content := strings.TrimRight(string(before), "\n") + "\n" + r.line + "\n"
			writeFile(t, dir, r.file, content)
			line := strings.Count(content, "\n") // the appended row is the last line

			var out bytes.Buffer
			require.NotPanics(t, func() {
				err = run(context.Background(), &out, io.Discard, []string{"-data", dir, "-format", "json", "-goal", "5000 USD"})
			})
			require.NoError(t, err, "a bad row must not end the run")
			var rep report
			require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
			var got *skipped
			for i, s := range rep.Skipped {
				if s.File == r.file && s.Line == line {
					got = &rep.Skipped[i]
				}
			}
			require.NotNil(t, got, "the row is not listed as skipped: %+v", rep.Skipped)
			assert.Contains(t, got.Reason, r.reason)
			assert.Less(t, len(got.Reason), 500, "the reason quotes no huge field")
			assert.LessOrEqual(t, len(got.ID), maxQuote+len("..."), "the ID is clipped")
			assert.Equal(t, len(base.Skipped)+1, len(rep.Skipped), "only the bad row is skipped")

			// Nothing loaded from the good rows changed.
			assert.Equal(t, base.Deals.Total, rep.Deals.Total)
			assert.Equal(t, base.Deals.ByStage, rep.Deals.ByStage)
			assert.Equal(t, base.WonValue, rep.WonValue)
			assert.Equal(t, base.WinRate, rep.WinRate)
			assert.Equal(t, base.CycleDays, rep.CycleDays)
			assert.Equal(t, base.Attainment, rep.Attainment)
			assert.Equal(t, base.Products, rep.Products)
			if r.file == filePipeline {
				assert.Equal(t, base.Quirks, rep.Quirks, "a skipped deal counts as no quirk")
			}
			assert.Equal(t, base.Fixes, rep.Fixes, "a skipped row counts as no fix")
			assert.Equal(t, base.Offices, rep.Offices)
			for name, a := range base.Agents {
				assert.Equal(t, a, rep.Agents[name], "agent %s", name)
			}
			// The report still reads as text.
			out.Reset()
			require.NoError(t, run(context.Background(), &out, io.Discard, []string{"-data", dir}))
		})
	}

	header := map[string]string{
		fileTeams:    "sales_agent,manager,regional_office\n",
		fileProducts: "product,series,sales_price\n",
		filePipeline: "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n",
	}
	files := []badFile{
		{"missing_teams", fileTeams, nil, os.ErrNotExist, fileTeams},
		{"missing_products", fileProducts, nil, os.ErrNotExist, fileProducts},
		{"missing_pipeline", filePipeline, nil, os.ErrNotExist, filePipeline},
		{"empty_teams", fileTeams, text(""), nil, "sales_teams.csv: empty file: no header"},
		{"empty_pipeline", filePipeline, text(""), nil, "sales_pipeline.csv: empty file: no header"},
		{"empty_accounts", fileAccounts, text(""), nil, "accounts.csv: empty file: no header"},
		{"teams_lacks_manager", fileTeams, text("sales_agent,regional_office\nA,Central\n"), nil, "sales_teams.csv: header lacks column manager"},
		{"products_lacks_price", fileProducts, text("product,series\nA,B\n"), nil, "products.csv: header lacks column sales_price"},
		{"accounts_lacks_account", fileAccounts, text("name,sector\nA,B\n"), nil, "accounts.csv: header lacks column account"},
		{"pipeline_lacks_columns", filePipeline, text("opportunity_id,sales_agent\nA,B\n"), nil, "sales_pipeline.csv: header lacks column product, account, deal_stage"},
		{"pipeline_column_twice", filePipeline, text(strings.TrimSuffix(header[filePipeline], "\n") + ",Product\n"), nil, `sales_pipeline.csv: header names column "product" twice`},
		{"products_header_unreadable", fileProducts, text("product,\"series\n"), nil, "products.csv: header"},
		{"teams_header_not_utf8", fileTeams, text("sales_agent\xff,manager,regional_office\n"), nil, "sales_teams.csv: header lacks column sales_agent"},
		{"pipeline_binary", filePipeline, text("\x00\x01\x02\x03"), nil, "sales_pipeline.csv: header lacks column"},
	}
	for _, f := range files {
		t.Run("file/"+f.name, func(t *testing.T) {
			dir := copyGood(t)
			if f.content == nil {
				require.NoError(t, os.Remove(filepath.Join(dir, f.file)))
			} else {
				writeFile(t, dir, f.file, *f.content)
			}
			var out bytes.Buffer
			var err error
			require.NotPanics(t, func() { err = run(context.Background(), &out, io.Discard, []string{"-data", dir}) })
			require.Error(t, err)
			if f.is != nil {
				assert.ErrorIs(t, err, f.is)
			}
			assert.ErrorContains(t, err, f.msg)
		})
	}
	t.Run("file/folder_as_file", func(t *testing.T) {
		dir := copyGood(t)
		require.NoError(t, os.Remove(filepath.Join(dir, fileProducts)))
		require.NoError(t, os.Mkdir(filepath.Join(dir, fileProducts), 0o755))
		err := run(context.Background(), &bytes.Buffer{}, io.Discard, []string{"-data", dir})
		require.Error(t, err)
		assert.ErrorContains(t, err, fileProducts)
	})

	// The flags.
	flags := []struct {
		name string
		args []string
		is   error
		msg  string
	}{
		{"goal_no_currency", []string{"-goal", "60000"}, sp.ErrInvalid, "-goal"},
		{"goal_unknown_currency", []string{"-goal", "60000 XYZ"}, sp.ErrInvalid, "-goal"},
		{"goal_other_currency", []string{"-goal", "60000 EUR"}, nil, "the data's amounts are in USD"},
		{"goal_zero", []string{"-goal", "0 USD"}, sp.ErrInvalid, "goal"},
		{"goal_negative", []string{"-goal", "-5 USD"}, sp.ErrInvalid, "goal"},
		{"goal_exponent", []string{"-goal", "1e5 USD"}, sp.ErrInvalid, "-goal"},
		{"goal_huge", []string{"-goal", strings.Repeat("9", 41) + " USD"}, sp.ErrInvalid, "-goal"},
		{"month_13", []string{"-month", "2017-13"}, sp.ErrInvalid, "month"},
		{"month_form", []string{"-month", "June 2017"}, sp.ErrInvalid, "month"},
		{"month_day", []string{"-month", "2017-06-01"}, sp.ErrInvalid, "month"},
		{"month_far", []string{"-month", "9999-12"}, sp.ErrInvalid, "month"},
		{"month_early", []string{"-month", "0001-01"}, sp.ErrInvalid, "month"},
		{"format", []string{"-format", "yaml"}, nil, "-format"},
	}
	for _, f := range flags {
		t.Run("flag/"+f.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() {
				err = run(context.Background(), &bytes.Buffer{}, io.Discard, append([]string{"-data", "testdata/good"}, f.args...))
			})
			require.Error(t, err)
			if f.is != nil {
				assert.ErrorIs(t, err, f.is)
			}
			assert.ErrorContains(t, err, f.msg)

			// A bad flag is refused before any data is read.
			err = run(context.Background(), &bytes.Buffer{}, io.Discard, append([]string{"-data", "testdata/nothing-here"}, f.args...))
			require.Error(t, err)
			assert.NotErrorIs(t, err, os.ErrNotExist, "the flag is checked first")
			assert.ErrorContains(t, err, f.msg)
		})
	}
	t.Logf("%d rows, %d files, %d flags", len(rows), len(files)+1, len(flags))
}

// TestCancelledMidway stops a run whose context is cancelled while it
// reads the pipeline: the context cancels itself after a thousand checks,
// about a fifth of the way through the rows, and the run must end with
// its error within a few more checks, writing no report.
func TestCancelledMidway(t *testing.T) {
	dir := copyGood(t)
	var b strings.Builder
	b.WriteString("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n")
	for i := range 5000 {
		b.WriteString("X" + strings.Repeat("0", 4-len(itoa(i))) + itoa(i) + ",Anna Snelling,GTX Pro,,Won,2017-03-01,2017-03-02,1\n")
	}
	writeFile(t, dir, filePipeline, b.String())
	const checks = 1000
	ctx := cancelAfter(t, checks)
	var out bytes.Buffer
	err := run(ctx, &out, io.Discard, []string{"-data", dir})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, out.String(), "a cancelled run writes no report")
	assert.Greater(t, ctx.calls.Load(), int64(checks), "the run was cancelled while it worked")
	assert.Less(t, ctx.calls.Load(), int64(checks+10), "the run stops within a few checks of the cancellation")
}

// countingContext is a context that cancels itself when its Err is asked
// for more than n times: a run sees it cancelled at a point of its work
// given by a count of checks, not by time. calls counts the checks.
type countingContext struct {
	context.Context
	cancel context.CancelFunc
	n      int64
	calls  atomic.Int64
}

// cancelAfter returns a countingContext cancelled after n checks.
func cancelAfter(t *testing.T, n int64) *countingContext {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return &countingContext{Context: ctx, cancel: cancel, n: n}
}

func (c *countingContext) Err() error {
	if c.calls.Add(1) > c.n {
		c.cancel()
	}
	return c.Context.Err()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

// FuzzTables feeds arbitrary bytes to the program as sales_teams.csv,
// products.csv or accounts.csv: it may refuse the file, but never panics,
// and every pipeline row is loaded or skipped.
func FuzzTables(f *testing.F) {
	for i, name := range []string{fileTeams, fileProducts, fileAccounts} {
		for _, set := range []string{"good", "quirks"} {
			b, err := os.ReadFile(filepath.Join("testdata", set, name))
			if err == nil {
				f.Add(uint8(i), b)
			}
		}
	}
	f.Add(uint8(0), []byte("sales_agent,manager,regional_office\nAnna Snelling,M\x00,Central\n"))
	f.Add(uint8(1), []byte("product,sales_price\nGTX Pro,1e3\n"))
	dir := copyGood(f)
	good := map[string][]byte{}
	for _, name := range []string{fileTeams, fileProducts, fileAccounts} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(f, err)
		good[name] = b
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := []string{fileTeams, fileProducts, fileAccounts}[which%3]
		for n, b := range good {
			require.NoError(t, os.WriteFile(filepath.Join(dir, n), b, 0o644))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
		var out bytes.Buffer
		if err := run(context.Background(), &out, io.Discard, []string{"-data", dir, "-format", "json", "-goal", "100 USD"}); err != nil {
			return
		}
		var rep report
		require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
		assert.Equal(t, rep.Deals.Rows, rep.Deals.Total+pipelineSkips(rep))
		for _, s := range rep.Skipped {
			require.NotEmpty(t, s.Reason)
			require.Less(t, len(s.Reason), 1000)
		}
	})
}

// FuzzParseDate checks the dates of the data: a date parses only in the
// form YYYY-MM-DD, within the years the program takes, to the start of
// that day, and formats back to itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2017-03-01", "", "2017-02-29", "1899-12-31", "2100-12-31", "17-3-1", "2017-03-01T00:00:00Z", "+2017-03-01"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("America/Chicago")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s, loc)
		if err != nil {
			require.True(t, d.IsZero())
			return
		}
		if s == "" {
			require.True(t, d.IsZero())
			return
		}
		require.Equal(t, s, d.Format(time.DateOnly))
		require.True(t, d.Year() >= firstYear && d.Year() <= lastYear)
		h, m, sec := d.Clock()
		require.Equal(t, [3]int{0, 0, 0}, [3]int{h, m, sec})
		require.Equal(t, loc, d.Location())
	})
}

// TestParseDateWhereMidnightIsSkipped: in a zone whose clocks skip from
// midnight to 01:00, a date is the first instant of that day, not an hour
// of the day before (which put a deal closed on the 1st in the month
// before).
func TestParseDateWhereMidnightIsSkipped(t *testing.T) {
	asuncion, err := time.LoadLocation("America/Asuncion")
	require.NoError(t, err)
	d, err := parseDate("2023-10-01", asuncion)
	require.NoError(t, err)
	assert.Equal(t, "2023-10-01T01:00:00-03:00", d.Format(time.RFC3339))
	assert.Equal(t, time.October, sp.MonthOf(d).Start().Month())
}

// TestDateBounds checks the bounds of the years the program takes: the
// first and last days of those years parse, the days just outside them do
// not, and -month takes the same years.
func TestDateBounds(t *testing.T) {
	for s, ok := range map[string]bool{"1900-01-01": true, "2100-12-31": true, "1899-12-31": false, "2101-01-01": false} {
		d, err := parseDate(s, time.UTC)
		if ok {
			require.NoError(t, err, s)
			assert.Equal(t, s, d.Format(time.DateOnly))
		} else {
			assert.Error(t, err, s)
		}
	}
	for _, m := range []string{"1900-01", "2100-12"} {
		r := runJSON(t, "-data", "testdata/good", "-month", m).Review
		require.NotNil(t, r, m)
		assert.Equal(t, m, r.Month)
	}
}

// TestClip checks how a message quotes a field: whole up to maxQuote
// bytes, and past that cut at a rune boundary, "..." marking the cut.
func TestClip(t *testing.T) {
	exact := strings.Repeat("x", maxQuote)
	assert.Equal(t, exact, clip(exact), "a field of maxQuote bytes is quoted whole")
	assert.Equal(t, exact+"...", clip(exact+"y"))
	euros := strings.Repeat("€", maxQuote) // three bytes each
	assert.Equal(t, strings.Repeat("€", maxQuote/3)+"...", clip(euros), "never half a rune")
}

// TestTeamsRefusedRowKeepsNoName: an agent's row refused for its office or
// its name does not hold the name, so a later good row of the agent is
// kept rather than skipped as listed again, as after a row refused for a
// blank manager.
func TestTeamsRefusedRowKeepsNoName(t *testing.T) {
	for name, bad := range map[string]string{
		"office": "Zoe New,Dustin Brinkmann,Nor\x00th",
		"agent":  "Zoe\vNew,Dustin Brinkmann,Central", // the same name but for a control character
	} {
		t.Run(name, func(t *testing.T) {
			dir := copyGood(t)
			before, err := os.ReadFile(filepath.Join(dir, fileTeams))
			require.NoError(t, err)
			content := strings.TrimRight(string(before), "\n") + "\n" + bad + "\nZoe New,Dustin Brinkmann,Central\n"
			writeFile(t, dir, fileTeams, content)
			last := strings.Count(content, "\n")

			rep := runJSON(t, "-data", dir, "-goal", "5000 USD")
			var lines []int
			for _, s := range rep.Skipped {
				if s.File == fileTeams {
					lines = append(lines, s.Line)
				}
			}
			assert.Equal(t, []int{last - 1}, lines, "only the refused row is skipped")
			assert.Contains(t, rep.Agents, "Zoe New")
		})
	}
}
