package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// An engine on an in-memory SQLite store: an inquiry is received, followed
// up and converted to a deal in one transaction; the deal is won by a
// command with an idempotency key, whose retry applies nothing again.
func ExampleOpen() {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.SQLite, "", nil) // or a file name, or PostgreSQL and its DSN
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	clock := sp.NewSteppingClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), time.Minute)
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}

	ann := sp.RepActor("rep-ann")
	in := pipeline.Inquiry{ID: "inq-1", Channel: "phone", Region: "north", Product: "widget", Customer: "acme", Owner: "rep-ann"}
	if _, err := e.ReceiveInquiry(ctx, sp.SystemActor("web-form"), in, nil); err != nil {
		fmt.Println(err)
		return
	}
	_, _ = e.Contact(ctx, ann, "inq-1", pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
	_, _ = e.Qualify(ctx, ann, "inq-1", nil)
	amount, _ := sp.ParseMoney("2400.00 EUR")
	_, d, err := e.Convert(ctx, ann, "inq-1", pipeline.Conversion{Terms: pipeline.Terms{Amount: amount}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 2 { // a request and its retry
		d, err = e.Win(ctx, ann, d.ID, &pipeline.CommandOptions{IdempotencyKey: "req-42"})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(d.ID, d.Stage, d.Version, d.Amount)

	won := pipeline.DealFilter{Stages: []pipeline.DealStage{pipeline.DealWon}, Closed: sp.Month(2026, time.November, time.UTC)}
	for d, err := range s.ListDeals(ctx, won) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("won in November:", d.ID, "from", d.Inquiry, "at", d.Closed.Format(time.Kitchen))
	}
	got, _ := s.GetInquiry(ctx, "inq-1")
	fmt.Println(got.ID, got.Stage, got.Deal, got.Version)
	// Output:
	// inq-1 won 2 2400.00 EUR
	// won in November: inq-1 from inq-1 at 9:04AM
	// inq-1 converted inq-1 4
}

// A Store on a database the host opened: Migrate applies the schema, and
// the store keeps training's records too.
func ExampleNew() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:/example-new?vfs=memdb&_pragma=busy_timeout(5000)&_txlock=immediate")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	s, err := sqlstore.New(db, sqlstore.SQLite, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	v, _ := s.SchemaVersion(ctx)
	fmt.Println("schema version", v)

	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, version := range []string{"1.0", "1.1", "2.0"} {
		b := training.Brief{Product: "widget", Version: training.MustParseVersion(version), Published: day.AddDate(0, i, 0),
			Pros: []string{"fast"}}
		if err := s.AddBrief(ctx, b); err != nil {
			fmt.Println(err)
			return
		}
	}
	b, err := s.BriefAt(ctx, "widget", time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC))
	fmt.Println("in force on 15 April:", b.Version, err)
	// Output:
	// schema version 5
	// in force on 15 April: 1.1 <nil>
}

// The schema migrations, the same steps for both dialects.
func ExampleMigrations() {
	ms, err := sqlstore.Migrations(sqlstore.PostgreSQL)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range ms {
		fmt.Println(m.Version, m.Name)
	}
	// Output:
	// 1 pipeline
	// 2 training
	// 3 quota
	// 4 outbox
	// 5 sale_units
}

// A relay of the outbox: the engine appends each command's events with its
// change; the relay delivers them in order, a batch at a time, then
// deletes what it delivered.
func ExampleStore_ListEvents() {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.SQLite, "", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	clock := sp.NewSteppingClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), time.Minute)
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor("rep-ann")
	in := pipeline.Inquiry{ID: "inq-1", Channel: "phone", Region: "north", Product: "widget", Customer: "acme", Owner: "rep-ann"}
	_, _ = e.ReceiveInquiry(ctx, sp.SystemActor("web-form"), in, nil)
	_, _ = e.Contact(ctx, ann, "inq-1", pipeline.Activity{ID: "call-1", Kind: pipeline.ActivityCall}, nil)
	_, _ = e.Qualify(ctx, ann, "inq-1", nil)

	// deliver stands for the host's queue or webhook.
	deliver := func(ev sqlstore.OutboxEvent) error {
		fmt.Println(ev.Seq, ev.Event.Type, ev.Event.Subject, ev.Event.Time.Format(time.Kitchen))
		return nil
	}
	const batch = 2
	for {
		var last int64
		n := 0
		for ev, err := range s.ListEvents(ctx, 0) {
			if err == nil {
				err = deliver(ev)
			}
			if err != nil {
				fmt.Println(err)
				return
			}
			last, n = ev.Seq, n+1
			if n == batch {
				break
			}
		}
		if n == 0 {
			break // a real relay waits, then looks again
		}
		if err := s.DeleteEvents(ctx, last); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("delivered through", last)
	}
	// Output:
	// 1 pipeline.inquiry.received inq-1 9:00AM
	// 2 pipeline.inquiry.contacted inq-1 9:01AM
	// delivered through 2
	// 3 pipeline.inquiry.qualified inq-1 9:02AM
	// delivered through 3
}

// A field test on the store: a Trainer records the pilot's sales, and the
// store, a training.LimitedSaleStore, adds each one only within the
// pilot's quantity, in one transaction that locks the pilot's row, so that
// concurrent sales (from several instances too) cannot together pass it.
func ExampleStore_AddSaleWithin() {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.SQLite, "", nil) // or PostgreSQL and its DSN
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	nov := sp.Month(2026, time.November, time.UTC)
	// The trainer's clock reads the end of November: the sales recorded
	// have been made by then.
	trainer := training.NewTrainer(s, nil, &training.Options{Clock: sp.FixedClock(nov.End())})
	pilot := training.Pilot{ID: "kit-pilot", Product: "kit", Version: training.MustParseVersion("1.0"),
		Localities: []string{"Springfield"}, Quantity: 10, Period: nov,
		Criteria: training.Criteria{MinUnitsSold: 8}}
	if _, err := trainer.StartPilot(ctx, pilot); err != nil {
		fmt.Println(err)
		return
	}
	for i, units := range []int64{4, 5, 2} {
		sale := training.Sale{ID: training.SaleID(fmt.Sprint("sale-", i+1)), Pilot: "kit-pilot", Locality: "Springfield",
			Units: units, Time: nov.Start().Add(time.Duration(i) * time.Hour)}
		fmt.Println(sale.ID, units, "units:", trainer.RecordSale(ctx, sale))
	}
	retry := training.Sale{ID: "sale-1", Pilot: "kit-pilot", Locality: "Springfield", Units: 4, Time: nov.Start()}
	fmt.Println("retry of sale-1:", errors.Is(trainer.RecordSale(ctx, retry), sp.ErrDuplicate))
	d, err := trainer.Decide(ctx, "kit-pilot", nov.End())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("launch:", d.Launch, d.Figures.UnitsSold, "units sold")
	// Output:
	// sale-1 4 units: <nil>
	// sale-2 5 units: <nil>
	// sale-3 2 units: training: record sale: invalid sale.units: 2 wanted, 1 left of the pilot's 10 units
	// retry of sale-1: true
	// launch: true 9 units sold
}

// Goals kept in the store, and their attainment from the deals the store
// lists: each calculator of package quota takes a listing of its own
// through quota.Records, and the listing's error is checked after it.
func ExampleStore_PutGoal() {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqlstore.SQLite, "", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	nov := sp.Month(2026, time.November, time.UTC)
	clock := sp.NewSteppingClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), time.Hour)
	e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann := sp.RepActor("rep-ann")
	for i, price := range []string{"2400.00 EUR", "1100.00 EUR"} {
		amount, _ := sp.ParseMoney(price)
		d := pipeline.Deal{ID: sp.DealID(fmt.Sprint("deal-", i+1)), Owner: "rep-ann", Region: "north", Customer: "acme",
			Product: "widget", Amount: amount}
		if _, err := e.OpenDeal(ctx, ann, d, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	if _, err := e.Win(ctx, ann, "deal-1", nil); err != nil {
		fmt.Println(err)
		return
	}

	target, _ := sp.ParseMoney("6000.00 EUR")
	if err := s.PutGoal(ctx, quota.Goal{Rep: "rep-ann", Region: "north", Period: nov, Revenue: target}); err != nil {
		fmt.Println(err)
		return
	}
	var goals []quota.Goal
	for g, err := range s.ListGoals(ctx, nov) {
		if err != nil {
			fmt.Println(err)
			return
		}
		goals = append(goals, g)
	}
	var listErr error
	deals := quota.Records(s.ListDeals(ctx, pipeline.DealFilter{Closed: nov}), &listErr)
	results, err := quota.Attain(goals, deals, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), nil)
	if err = errors.Join(err, listErr); err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range results {
		fmt.Printf("%s: attained %s (%s%%), %s\n", a.Goal, a.Attained, a.Percent, a.Status)
	}
	// Output:
	// rep rep-ann (north) 2026-11: 6000.00 EUR: attained 2400.00 EUR (40%), behind
}
