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
	if err := run(context.Background(), os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		switch {
		case errors.Is(err, flag.ErrHelp):
			return // the usage is printed
		case errors.Is(err, errUsage):
			os.Exit(2) // the flag's error and the usage are printed
		}
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// errUsage marks a flag the program does not take or cannot parse: the
// flag package has written the error and the usage to errOut.
var errUsage = errors.New("bad usage")

// run parses the flags in args, runs the month and writes the report to w;
// the usage, asked for or after a bad flag, goes to errOut.
func run(ctx context.Context, w, errOut io.Writer, args []string) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(errOut)
	seed := fs.Uint64("seed", 3, "the seed of the market's randomness")
	monthText := fs.String("month", "2026-11", "the month to run, as 2026-11")
	format := fs.String("format", "markdown", "the output format: markdown or json")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
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
