package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // the offices' time zones also on machines without zoneinfo

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
		fmt.Fprintln(os.Stderr, "crmdata:", err)
		os.Exit(1)
	}
}

// errUsage marks a flag the program does not take or cannot parse: the
// flag package has written the error and the usage to errOut.
var errUsage = errors.New("bad usage")

// run parses the flags in args, reads the data set and writes the report
// to w; the usage, asked for or after a bad flag, goes to errOut.
func run(ctx context.Context, w, errOut io.Writer, args []string) error {
	fs := flag.NewFlagSet("crmdata", flag.ContinueOnError)
	fs.SetOutput(errOut)
	dir := fs.String("data", "", "the folder of the CRM Sales Opportunities CSVs (required)")
	format := fs.String("format", "text", "the output format: text or json")
	goalText := fs.String("goal", "", `a monthly revenue goal per rep, as "60000 USD"`)
	month := fs.String("month", "", "the month to review, as 2017-12 (default: the month of the last close)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q; pass the folder with -data", fs.Args())
	}
	if *dir == "" {
		return errors.New("-data is required: the folder of the CRM Sales Opportunities CSVs, as -data ../shared/data/crm-sales-opportunities")
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("-format %q: want text or json", *format)
	}
	var goal sp.Money
	if *goalText != "" {
		var err error
		if goal, err = sp.ParseMoney(*goalText); err != nil {
			return fmt.Errorf("-goal: %w", err)
		}
		if goal.Currency() != currency {
			return fmt.Errorf("-goal %s: the data's amounts are in %s", goal, currency)
		}
		if goal.Sign() <= 0 {
			return fmt.Errorf("-goal %s: %w", goal, sp.Invalid("goal", "not positive"))
		}
	}
	if *month != "" {
		m, err := time.Parse("2006-01", *month)
		if err != nil {
			return fmt.Errorf("-month %q: %w", clip(*month), sp.Invalid("month", "want a month as 2017-12"))
		}
		if y := m.Year(); y < firstYear || y > lastYear {
			return fmt.Errorf("-month %q: %w", *month, sp.Invalid("month", "want a year from %d to %d, as the data's dates", firstYear, lastYear))
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	ds, err := load(ctx, *dir)
	if err != nil {
		return err
	}
	rep, err := build(ctx, ds, goal, *month)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(w, rep)
	}
	return writeText(w, rep)
}
