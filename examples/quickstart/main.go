// Quickstart runs a month of a small company's sales process through the
// library's public API, on in-memory stores, and prints the month's review
// as a Markdown report.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -seed 7 -month 2027-03
//	go run ./examples/quickstart -format json
//
// The company, Sunfield Energy, sells home solar equipment in two regional
// divisions, Central (Europe/Berlin) and West (Europe/Lisbon). The story
// follows the steps of the process, each in a file of its own:
//
//   - Step 0, fieldtest.go: three months before the month under review the
//     new SunBox battery is sold in limited quantity in three localities
//     (a training.Pilot run by a training.Trainer); buyers' feedback finds
//     an issue, a new version fixes it, and the pilot's criteria decide the
//     launch.
//   - Step 1, training.go: the briefs say what to say and what not to say
//     (a pitch check catches both), six reps pass their assessments and are
//     certified, and onboarding assigns them to the divisions with monthly
//     goals, the new rep on a ramp (quota.Ramp).
//   - Step 2, selling.go: three campaigns on three channels bring a few
//     hundred inquiries; a pipeline.Engine records them, the managers
//     assign them to certified reps (training.Readiness is the engine's
//     eligibility), the reps call and visit, qualify or disqualify, convert
//     them to deals and win or lose them with a reason; won deals are
//     delivered and followed up, and customers give feedback. Halfway
//     through the month quota.Attain and quota.Forecast say how each rep
//     stands and the chance of reaching the goal.
//   - Step 3, review.go: a review.Reviewer reviews the month with its
//     default rules, traces each shortfall to its cause, and closes the
//     loop: retraining becomes training assignments, the product's
//     shortcomings go to its owner. The conversion by channel and by
//     campaign, with Wilson intervals (quota.CohortConversion), follows the
//     report.
//
// The company's cast is in company.go. The company's clock is a
// salesprocess.SteppingClock. Steps 0 and 1 give each record its time and
// set the clock before each certificate, which the trainer issues at the
// clock's time; in step 2 things happen in time order on an agenda
// (agenda.go), which sets the clock to the time of each of them. Nothing
// reads the wall clock. The market, in market.go (how many inquiries, about what,
// who qualifies, who buys, why deals are lost), is drawn from a
// math/rand/v2 PCG generator seeded with -seed, so the same flags print
// the same bytes.
//
// # Flags
//
//   - -seed: the seed of the market; default 3, a month in which the
//     review finds every cause the story is about. Other seeds give other
//     months.
//   - -month: the month under review, as 2026-11, from 2000-01 to 2999-12
//     (a calendar month at the head office, in Europe/Berlin); default
//     2026-11. The field test runs three months before it, the training
//     round on the 15th two months before it.
//   - -format: markdown (the default: the story, the review's report and
//     the conversion tables) or json (the review's report alone, in its
//     stable JSON form, which review.ParseReport reads back).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // the divisions' time zones also on machines without zoneinfo

	sp "github.com/salesprocess/salesprocess"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // the usage is printed
		}
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run parses the flags in args, runs the month and writes the report to w.
func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(w)
	seed := fs.Uint64("seed", 3, "the seed of the market's randomness")
	monthText := fs.String("month", "2026-11", "the month to run, as 2026-11")
	format := fs.String("format", "markdown", "the output format: markdown or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *format != "markdown" && *format != "json" {
		return fmt.Errorf("-format %q: want markdown or json", *format)
	}
	hq, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return err
	}
	month, err := sp.ParsePeriodIn(*monthText, hq)
	if err != nil || month.Kind() != sp.KindMonth || month.Location().String() != hq.String() ||
		month.Start().Year() < 2000 || month.Start().Year() > 2999 {
		return fmt.Errorf("-month %q: %w", *monthText, sp.Invalid("month", "want a month at the head office from 2000-01 to 2999-12, as 2026-11"))
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	s, err := newStory(*seed, month)
	if err != nil {
		return err
	}
	s.md.h(1, "%s: a month of sales, %s", s.co.Name, s.label())
	s.md.p("Seed %d. Every record below went through the library's public API on in-memory stores: the field test and the training through training.Trainer, the inquiries and deals through pipeline.Engine, the goals and forecasts through package quota, and the review through review.Reviewer.", *seed)

	// Step 0: the field test decides whether the SunBox may launch.
	if err := s.fieldTest(ctx); err != nil {
		return err
	}
	// Step 1: the reps are trained, certified, and onboarded with goals.
	if err := s.train(ctx); err != nil {
		return err
	}
	// Step 2: the campaigns bring inquiries; the reps follow them up and
	// close deals.
	if err := s.sell(ctx); err != nil {
		return err
	}
	// Step 3: the month is reviewed and the findings go back to training
	// and to the products' owners.
	report, err := s.review(ctx)
	if err != nil {
		return err
	}

	if *format == "json" {
		return report.WriteJSON(w)
	}
	s.md.h(2, "Step 3. Feedback and analysis")
	s.md.p("The review of the month follows, as review.Report.Markdown renders it.")
	if _, err := w.Write(s.md.Bytes()); err != nil {
		return err
	}
	if err := report.Markdown(w); err != nil {
		return err
	}
	var after doc
	after.WriteString("\n")
	if err := s.afterReview(ctx, &after); err != nil {
		return err
	}
	_, err = w.Write(after.Bytes())
	return err
}
