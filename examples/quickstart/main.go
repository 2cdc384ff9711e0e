// Quickstart splits a quarterly sales goal across the months of the quarter
// in a region's time zone, in proportion to their days, exactly to the cent.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -quarter 2026-Q4 -goal "250000.00 EUR" -tz America/New_York
//
// It is a placeholder for the full quickstart (a month of a small company,
// from field test to review), which comes with the process packages.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"
	_ "time/tzdata" // time zones also on machines without zoneinfo

	sp "github.com/salesprocess/salesprocess"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run parses the flags in args and writes the split of the goal to w.
func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(w)
	quarter := fs.String("quarter", "2026-Q1", "the quarter, as 2026-Q1")
	goal := fs.String("goal", "100000.00 EUR", "the quarter's goal, as \"100000.00 EUR\"")
	tz := fs.String("tz", "Europe/Berlin", "the region's time zone (IANA name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	q, err := sp.ParsePeriodIn(*quarter, loc)
	if err != nil {
		return err
	}
	if q.Kind() != sp.KindQuarter {
		return fmt.Errorf("%s is a %s, not a quarter", q, q.Kind())
	}
	total, err := sp.ParseMoney(*goal)
	if err != nil {
		return err
	}

	months := slices.Collect(q.Months())
	days := make([]int64, len(months))
	for i, m := range months {
		days[i] = int64(m.Days())
	}
	parts, err := total.Allocate(days...)
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "Goal %s for %s, split by days:\n", total, q)
	for i, m := range months {
		fmt.Fprintf(w, "  %-26s %2d days %4dh  %-6s %14s\n",
			m, m.Days(), m.Duration()/time.Hour, q.Coverage(m), parts[i])
	}
	sum, err := sp.Sum(total.Currency(), slices.Values(parts))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %-26s %2d days %4dh  %-6s %14s\n", "total", q.Days(), q.Duration()/time.Hour, q.Coverage(q), sum)
	return nil
}
