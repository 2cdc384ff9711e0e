// Crmdata reads the public CRM Sales Opportunities data set (MavenTech's
// B2B pipeline: 8,800 opportunities, 35 agents in 3 regional offices,
// 7 products) into the library through its public API and prints a
// report: deals by stage, win rates, won value, sales-cycle days, with a
// goal each rep's monthly attainment, and a review of a month.
//
//	go run ./examples/crmdata -data ../shared/data/crm-sales-opportunities
//	go run ./examples/crmdata -data ../shared/data/crm-sales-opportunities -format json
//	go run ./examples/crmdata -data ../shared/data/crm-sales-opportunities -goal "60000 USD"
//	go run ./examples/crmdata -data ../shared/data/crm-sales-opportunities -goal "60000 USD" -month 2017-06
//
// # Flags
//
//   - -data: the folder holding sales_pipeline.csv, sales_teams.csv,
//     products.csv and (optionally) accounts.csv. Required.
//   - -format: text (the default: a report with tables) or json.
//   - -goal: a monthly revenue goal per rep, as "60000 USD". The data has no
//     goals; with this flag every agent with deals gets it for each month
//     from the first close to the last, and the report adds their
//     attainment, and the review has the goals of its month.
//   - -month: the month to review, as 2017-06; by default the month of the
//     last close. Any month of the years 1900 to 2100 is reviewed, within
//     the data's closes or not: in a month in which no deal closed the
//     review finds nothing, or, with -goal, which sets the goals of the
//     month reviewed whatever it is, every agent's goal missed.
//
// The report goes to standard output. -h prints the usage to standard
// error; a flag the program does not take, or cannot parse, prints its
// error and the usage there and exits with status 2; any other error is one
// line on standard error and status 1.
//
// # How the data becomes records
//
// Regional offices become regions (sp.Region) in a time zone: Central in
// America/Chicago, East in America/New_York, West in America/Los_Angeles,
// any other office in UTC. The library's Region has one Manager; the data
// has two managers per office, so the first listed is the Region's and all
// are reported. Agents become reps (sp.Rep) in their office, products
// products (sp.Product, the list price as Money; a blank sales_price
// leaves it unset, reported as unknown: "" in JSON, "-" in the text, and
// counted under "quirks"), accounts customers, and opportunities deals
// (pipeline.Deal) on a pipeline built with pipeline.NewDefinition:
// Prospecting and Engaging open, Won and Lost closed. Each deal is moved
// along it as the row says, Engaging at the engage date and Won or Lost at
// the close date, every date being the start of that day in the office's
// time zone, and stored in a pipelinetest.MemStore from which the quota
// calculators stream it.
//
// The reader is csv.go and load.go, which need nothing else of this
// program: a program of one's own that imports the data set copies the two
// files and calls load, whose dataset holds the records (its Store, its
// Agents, Offices and Products) and the crm pipeline's Definition (the
// program gives quota and review quota.OutcomeBy of it, to tell won deals
// from lost ones).
//
// Amounts are taken to be whole US dollars (the data says "revenue" in
// whole units; its accounts' revenues are in millions of USD) and printed
// in those units: "4514", never "4514.00", except in the review's
// findings, which are package review's text and print money with at least
// the currency's minor unit ("60000.00 USD"), and more places where an
// amount has them (a close_value of "4698.135" as "4698.135 USD"). Lost
// deals carry no amount (their close_value is 0 in the data).
//
// # Figures
//
//   - Deals by stage, and per office.
//   - Win rate = won / (won + lost), exactly, overall and by office, agent,
//     product and manager, from quota.WinRates; rendered rounded half-up to
//     four places. A group with no closed deal has no rate.
//   - Won value: the exact sum of close_value of Won deals, in total, by
//     office, by office and close month ("2017-03", the month in the
//     office's zone), by month (the sum of the offices' months: each deal
//     in its close month in its office's zone), agent and product
//     (quota.WinRates and sp.Accumulator).
//   - No conversion rate: the data has no inquiries, so won deals /
//     inquiries cannot be computed, and the win rate above, of the deals
//     that closed, is the rate the report gives and the review compares.
//   - Sales cycle: the calendar days from engage_date to close_date of Won
//     deals, by office: count, median (the mean of the middle two for an
//     even count), mean (rounded half-up to four places), min and max;
//     an office without a won deal has its count alone, {"count":0} in
//     the JSON form and "-" in the text. quota.SalesCycle measures elapsed
//     time, in which a daylight-saving change adds or removes an hour, so
//     the days are counted here.
//   - With -goal, quota.Attain per rep and month at the end of the last
//     month: won value, percent of the goal (rounded half-up to two
//     places), win rate (as above, of the rep's deals closed in the
//     month), status (met or missed, every month being over).
//   - A review of one month by package review with its default rules: the
//     findings (target met or missed with the cause of a shortfall, a rep
//     who lags on a product, ...) and their actions. Its period is the
//     month in the easternmost office's zone, which holds every office's
//     dates of that month, and it looks from the end of the month in the
//     westernmost office, with a clock fixed there. The data has no
//     inquiries, activities, loss reasons, certificates or feedback, so
//     the rules that need them find nothing.
//
// # Tests
//
// The tests run the program on small copies of the data in testdata, and
// on the real data set when it is there: in
// ../shared/data/crm-sales-opportunities beside the repository, or in the
// folder the CRMDATA environment variable names.
//
// # Bad input
//
// The run never panics. A missing folder or file, an empty file, a file
// whose lines end in a carriage return alone (LF and CRLF both work) or a
// header without a required column ends it with an error. A row that
// cannot be used is skipped and listed with its file, line, ID and reason:
// unreadable CSV (a quote never closed spoils its own row, and the next
// line is read as the next row), a wrong number of fields, a blank
// mandatory field, a repeated ID, an unknown agent, product or stage, a
// bad date, a value that is not a number, is negative or has more than 40
// digits before or after the point, a close date on an open deal or a
// blank one on a closed deal, a Won deal without a positive value, a close
// before the engage date. Corrections are listed as fixes with a count and
// example rows: product, agent, office, stage and account names spelled
// differently from their lists (compared without case and spaces, as
// "GTXPro" → "GTX Pro"), spaces around fields, a byte-order mark, the
// close_value of a Lost deal (not counted), the engage_date of a
// Prospecting deal (ignored). The quirks the data set's SOURCE.md
// describes are counted under "quirks". Blank accounts are allowed.
package main
