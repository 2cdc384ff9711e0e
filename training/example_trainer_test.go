package training_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// ExampleTrainer_RecordSale records the sales of a pilot of March in
// Berlin that runs in Leipzig and Fresno: a retried sale is a duplicate,
// not one more; a sale beyond the units left is refused, naming
// "sale.units"; and the period is one span of instants, so a sale at
// 15:00 on February 28 in Fresno, midnight in Berlin, is in it, and one a
// second earlier is not.
func ExampleTrainer_RecordSale() {
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	fresno, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		fmt.Println(err)
		return
	}
	// The trainer's clock reads the end of the pilot's March: the sales
	// recorded have been made by then.
	march := salesprocess.Month(2027, time.March, berlin)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), nil, &training.Options{Clock: salesprocess.FixedClock(march.End())})
	_, err = trainer.StartPilot(ctx, training.Pilot{
		ID: "pump-pilot", Product: "pump", Version: training.MustParseVersion("1.0"),
		Localities: []string{"Leipzig", "Fresno"}, Quantity: 50, Period: march,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	record := func(id training.SaleID, locality string, units int64, at time.Time) {
		err := trainer.RecordSale(ctx, training.Sale{ID: id, Pilot: "pump-pilot", Locality: locality, Units: units, Time: at})
		var ve *salesprocess.ValidationError
		switch {
		case err == nil:
			fmt.Println(id, "recorded")
		case errors.Is(err, salesprocess.ErrDuplicate):
			fmt.Println(id, "stored already")
		case errors.As(err, &ve):
			fmt.Println(id, "refused:", ve.Field, "-", err)
		default:
			fmt.Println(id, err)
		}
	}
	record("s1", "Fresno", 20, time.Date(2027, 2, 28, 15, 0, 0, 0, fresno))
	record("s0", "Fresno", 1, time.Date(2027, 2, 28, 14, 59, 59, 0, fresno))
	record("s2", "Leipzig", 25, time.Date(2027, 3, 10, 11, 0, 0, 0, berlin))
	record("s2", "Leipzig", 25, time.Date(2027, 3, 10, 11, 0, 0, 0, berlin)) // a retry
	record("s3", "Leipzig", 6, time.Date(2027, 3, 11, 9, 0, 0, 0, berlin))
	record("s4", "leipzig", 5, time.Date(2027, 3, 11, 9, 0, 0, 0, berlin))
	record("s5", "Leipzig", 5, time.Date(2027, 3, 11, 9, 0, 0, 0, berlin))
	// Output:
	// s1 recorded
	// s0 refused: sale.time - training: record sale: invalid sale.time: outside the pilot period 2027-03[Europe/Berlin]
	// s2 recorded
	// s2 stored already
	// s3 refused: sale.units - training: record sale: invalid sale.units: 6 wanted, 5 left of the pilot's 50 units
	// s4 refused: sale.locality - training: record sale: invalid sale.locality: "leipzig" is not a locality of pilot "pump-pilot"
	// s5 recorded
}

// ExampleTrainer_Improve runs a field test through a Trainer: an issue
// found in one locality blocks the launch until an improvement, whose
// version has a brief, resolves it; the decision then lists every
// criterion with its figures.
func ExampleTrainer_Improve() {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		fmt.Println(err)
		return
	}
	april := salesprocess.Month(2027, time.April, tokyo)
	// The trainer's clock reads the end of April: the feedback recorded
	// has been given by then.
	trainer := training.NewTrainer(trainingtest.NewMemStore(), nil, &training.Options{Clock: salesprocess.FixedClock(april.End())})
	brief := training.Brief{Product: "pump", Version: training.MustParseVersion("1.0"), Published: april.Start()}
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	_, err = trainer.StartPilot(ctx, training.Pilot{
		ID: "pump-pilot", Product: "pump", Version: brief.Version, Localities: []string{"Osaka", "Kobe"}, Quantity: 40, Period: april,
		Criteria: training.Criteria{RequireEnded: true, MinSellThrough: decimal.RequireFromString("0.5"), MinAverageRating: decimal.RequireFromString("3.5")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	day := func(d int) time.Time { return time.Date(2027, time.April, d, 10, 0, 0, 0, tokyo) }
	for i, units := range []int64{12, 9} {
		s := training.Sale{ID: training.SaleID(fmt.Sprint("s", i)), Pilot: "pump-pilot", Locality: []string{"Osaka", "Kobe"}[i], Units: units, Time: day(3 + i)}
		if err := trainer.RecordSale(ctx, s); err != nil {
			fmt.Println(err)
			return
		}
	}
	for i, rating := range []int{4, 2, 5} {
		f := salesprocess.Feedback{ID: salesprocess.FeedbackID(fmt.Sprint("f", i)), Product: "pump", Rating: rating, Category: salesprocess.FeedbackQuality,
			Source: salesprocess.FromFieldTest, Locality: "Osaka", Time: day(5 + i)}
		if err := trainer.RecordFeedback(ctx, f); err != nil {
			fmt.Println(err)
			return
		}
	}
	_, err = trainer.OpenIssue(ctx, "pump-pilot", training.Issue{ID: "NOISE", Title: "fan too loud at night", Severity: training.SeverityCritical, Locality: "Osaka", Opened: day(6)})
	if err != nil {
		fmt.Println(err)
		return
	}
	decide := func(at time.Time) {
		d, err := trainer.Decide(ctx, "pump-pilot", at)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("version", d.Version, "launch:", d.Launch)
		for _, r := range d.Reasons {
			fmt.Printf("  %-5v %s: want %s, got %s\n", r.Met, r.Criterion, r.Want, r.Got)
		}
	}
	decide(april.End())

	// The fix is a new major version: its brief comes first.
	brief.Version, brief.Published, brief.Changes = training.MustParseVersion("2.0"), day(20), "quieter fan"
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	_, err = trainer.Improve(ctx, "pump-pilot", training.Improvement{Version: brief.Version, Summary: "quieter fan", Resolves: []training.IssueID{"NOISE"}, Time: day(20)})
	if err != nil {
		fmt.Println(err)
		return
	}
	decide(april.End())
	// Output:
	// version 1.0 launch: false
	//   true  require_ended: want 2027-05-01T00:00:00+09:00, got 2027-05-01T00:00:00+09:00
	//   true  min_sell_through: want 0.5, got 0.525
	//   true  min_average_rating: want 3.5, got 3.67
	//   false no_blocking_issues: want none, got NOISE
	// version 2.0 launch: true
	//   true  require_ended: want 2027-05-01T00:00:00+09:00, got 2027-05-01T00:00:00+09:00
	//   true  min_sell_through: want 0.5, got 0.525
	//   true  min_average_rating: want 3.5, got 3.67
	//   true  no_blocking_issues: want none, got none
}

// ExampleTrainer_Certify_newMajorVersion follows a rep through a new major
// version of a product's brief: the certificate earned on 1.0 is outdated
// from 2.0's publication on, and the rep requalifies on a new Catalog whose
// product-knowledge module teaches 2.0 and whose curriculum keeps its ID,
// passing every module again, the selling technique too.
func ExampleTrainer_Certify_newMajorVersion() {
	ctx := context.Background()
	store := trainingtest.NewMemStore()
	clock := salesprocess.NewSteppingClock(time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC), 0)
	catalog := func(module training.ModuleID, brief string) (*training.Catalog, error) {
		return training.NewCatalog(
			[]training.Module{
				{ID: module, Title: "The pump " + brief, Kind: training.ModuleProductKnowledge, Product: "pump",
					BriefVersion: training.MustParseVersion(brief), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}},
				{ID: "visits", Title: "Field visits", Kind: training.ModuleSellingTechnique, Channel: "field",
					Assessment: training.Assessment{MaxScore: 10, PassMark: 7}},
			},
			[]training.Curriculum{{ID: "pump-field", Title: "The pump in the field", Product: "pump", Channel: "field",
				Modules: []training.ModuleID{module, "visits"}, ValidMonths: 12}},
		)
	}
	catalog1, err := catalog("pump-1", "1.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	trainer := training.NewTrainer(store, catalog1, &training.Options{Clock: clock})
	brief := training.Brief{Product: "pump", Version: training.MustParseVersion("1.0"), Published: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	pass := func(t *training.Trainer, id training.AttemptID, module training.ModuleID) {
		if _, err := t.RecordAttempt(ctx, training.Attempt{ID: id, Rep: "ana", Module: module, Score: 9}); err != nil {
			fmt.Println(err)
		}
	}
	pass(trainer, "a1", "pump-1")
	pass(trainer, "a2", "visits")
	cert, err := trainer.Certify(ctx, "ana", "pump-field")
	fmt.Println("certified on", cert.BriefVersion, "until", cert.Expires.Format(time.DateOnly), err)

	brief.Version, brief.Published = training.MustParseVersion("2.0"), time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	if err := trainer.PublishBrief(ctx, brief); err != nil {
		fmt.Println(err)
		return
	}
	clock.Set(time.Date(2027, 6, 2, 9, 0, 0, 0, time.UTC))
	v, err := trainer.Readiness().Check(ctx, "ana", "pump", "field", clock.Peek())
	fmt.Println("ready:", v.Ready, v.Reasons, err)

	catalog2, err := catalog("pump-2", "2.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	trainer2 := training.NewTrainer(store, catalog2, &training.Options{Clock: clock})
	pass(trainer2, "a3", "pump-2")
	_, err = trainer2.Certify(ctx, "ana", "pump-field")
	fmt.Println(err)
	pass(trainer2, "a4", "visits")
	cert, err = trainer2.Certify(ctx, "ana", "pump-field")
	fmt.Println("certified on", cert.BriefVersion, "until", cert.Expires.Format(time.DateOnly), err)
	// Output:
	// certified on 1.0 until 2028-01-04 <nil>
	// ready: false [{brief_outdated field earned on brief 1.0, brief 2.0 in force}] <nil>
	// training: rep "ana" has not completed curriculum "pump-field": modules not passed since 2027-01-04T09:00:00Z: visits
	// certified on 2.0 until 2028-06-02 <nil>
}

// ExampleTrainer_Certify_renew renews a certificate early, through a
// Trainer whose clock reads the zone of the rep's region, so that its
// months are Tokyo's: certified at midnight on May 31 there for six months,
// the rep holds the certificate until midnight on November 30. Asked again
// before passing the curriculum again, Certify returns the certificate
// unchanged; once the rep has passed it again, it issues one for six months
// from then.
func ExampleTrainer_Certify_renew() {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		fmt.Println(err)
		return
	}
	catalog, err := training.NewCatalog(
		[]training.Module{{ID: "pump-1", Title: "The pump", Kind: training.ModuleProductKnowledge, Product: "pump",
			BriefVersion: training.MustParseVersion("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 8}}},
		[]training.Curriculum{{ID: "pump", Title: "The pump", Product: "pump", Modules: []training.ModuleID{"pump-1"}, ValidMonths: 6}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	clock := salesprocess.NewSteppingClock(time.Date(2027, 5, 31, 0, 0, 0, 0, tokyo), 0)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: clock})
	if err := trainer.PublishBrief(ctx, training.Brief{Product: "pump", Version: training.MustParseVersion("1.0"), Published: time.Date(2027, 5, 1, 0, 0, 0, 0, tokyo)}); err != nil {
		fmt.Println(err)
		return
	}
	pass := func(id training.AttemptID, at time.Time) {
		if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: id, Rep: "kei", Module: "pump-1", Score: 9, Time: at}); err != nil {
			fmt.Println(err)
		}
	}
	show := func(c training.Certificate, err error) {
		fmt.Println(c.Issued.Format(time.RFC3339), "to", c.Expires.Format(time.RFC3339), err)
	}
	pass("k1", time.Date(2027, 5, 30, 15, 0, 0, 0, tokyo))
	show(trainer.Certify(ctx, "kei", "pump"))

	clock.Set(time.Date(2027, 11, 1, 9, 0, 0, 0, tokyo))
	show(trainer.Certify(ctx, "kei", "pump")) // not passed again: unchanged
	pass("k2", time.Date(2027, 10, 28, 10, 0, 0, 0, tokyo))
	show(trainer.Certify(ctx, "kei", "pump"))
	// Output:
	// 2027-05-31T00:00:00+09:00 to 2027-11-30T00:00:00+09:00 <nil>
	// 2027-05-31T00:00:00+09:00 to 2027-11-30T00:00:00+09:00 <nil>
	// 2027-11-01T09:00:00+09:00 to 2028-05-01T09:00:00+09:00 <nil>
}

// ExampleTrainer_Assignments sends a rep back to a module by a due time
// and follows the assignment: overdue at the due time, done once the rep
// passes the module.
func ExampleTrainer_Assignments() {
	ctx := context.Background()
	catalog, err := training.NewCatalog(
		[]training.Module{{ID: "visits", Title: "Field visits", Kind: training.ModuleSellingTechnique, Channel: "field",
			Assessment: training.Assessment{MaxScore: 10, PassMark: 7}}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	assigned := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := salesprocess.NewSteppingClock(assigned, 0)
	trainer := training.NewTrainer(trainingtest.NewMemStore(), catalog, &training.Options{Clock: clock})
	_, err = trainer.AssignModule(ctx, training.Assignment{ID: "as-1", Rep: "ana", Module: "visits", Due: assigned.AddDate(0, 0, 7), Reason: "slow follow-up"})
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func(at time.Time) {
		ps, err := trainer.Assignments(ctx, "ana", at)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, p := range ps {
			fmt.Println(at.Format(time.DateOnly), p.Assignment.Module, "done:", p.Done, "overdue:", p.Overdue)
		}
	}
	show(assigned.AddDate(0, 0, 7))
	// Two days later the rep passes, and the pass is recorded then.
	clock.Set(assigned.AddDate(0, 0, 9))
	if _, err := trainer.RecordAttempt(ctx, training.Attempt{ID: "a1", Rep: "ana", Module: "visits", Score: 8, Time: assigned.AddDate(0, 0, 9)}); err != nil {
		fmt.Println(err)
		return
	}
	show(assigned.AddDate(0, 0, 10))
	// Output:
	// 2027-03-08 visits done: false overdue: true
	// 2027-03-11 visits done: true overdue: false
}

// ExampleTrainer_RecordPilotFeedback records field-test feedback against
// its pilot: feedback from "osaka", which the pilot does not name (its
// localities are matched byte for byte), is refused, where RecordFeedback
// would store it to count for no decision; from "Osaka" it is recorded, as
// field-test feedback since no source is given, and the pilot's decision
// counts it.
func ExampleTrainer_RecordPilotFeedback() {
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		fmt.Println(err)
		return
	}
	// The trainer's clock reads the evening the feedback is given.
	clock := salesprocess.FixedClock(time.Date(2027, 5, 12, 21, 0, 0, 0, tokyo))
	trainer := training.NewTrainer(trainingtest.NewMemStore(), nil, &training.Options{Clock: clock})
	_, err = trainer.StartPilot(ctx, training.Pilot{
		ID: "p1", Product: "kettle", Version: training.MustParseVersion("1.0"),
		Localities: []string{"Osaka", "Kyoto"}, Quantity: 40, Period: salesprocess.Month(2027, time.May, tokyo),
		Criteria: training.Criteria{MinFeedback: 1, MinAverageRating: decimal.NewFromInt(4)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := salesprocess.Feedback{
		ID: "fb1", Product: "kettle", Rating: 5, Category: salesprocess.FeedbackQuality,
		Text: "boils fast", Locality: "osaka", Time: time.Date(2027, 5, 12, 18, 0, 0, 0, tokyo),
	}
	err = trainer.RecordPilotFeedback(ctx, "p1", f)
	var ve *salesprocess.ValidationError
	if errors.As(err, &ve) {
		fmt.Println("refused:", ve.Field)
		fmt.Println(err)
	}
	f.Locality = "Osaka"
	if err := trainer.RecordPilotFeedback(ctx, "p1", f); err != nil {
		fmt.Println(err)
		return
	}
	d, err := trainer.Decide(ctx, "p1", time.Date(2027, 6, 1, 0, 0, 0, 0, tokyo))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("launch:", d.Launch)
	for _, r := range d.Reasons {
		fmt.Printf("%s: %s\n", r.Criterion, r.Detail)
	}
	for _, lf := range d.Figures.Localities {
		fmt.Printf("%s: %d\n", lf.Locality, lf.Feedback)
	}
	// Output:
	// refused: feedback.locality
	// training: record pilot feedback: invalid feedback.locality: "osaka" is not a locality of pilot "p1" (its localities: "Osaka", "Kyoto")
	// launch: true
	// min_feedback: 1 piece of field-test feedback; at least 1 wanted
	// min_average_rating: average rating 5 from 1 rating; at least 4 wanted
	// no_blocking_issues: no open issue of severity critical or worse
	// Osaka: 1
	// Kyoto: 0
}
