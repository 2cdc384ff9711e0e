package training_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// fuzzBytes hands out fuzz bytes, then zeros.
type fuzzBytes struct {
	b []byte
	i int
}

func (r *fuzzBytes) next() int {
	if r.i >= len(r.b) {
		return 0
	}
	r.i++
	return int(r.b[r.i-1])
}

func (r *fuzzBytes) more() bool { return r.i < len(r.b) }

// FuzzTrainingJSON decodes arbitrary JSON into every JSON type of the
// package: no decoder panics, every error wraps ErrInvalid, and what
// decodes and encodes decodes again to the same JSON.
func FuzzTrainingJSON(f *testing.F) {
	for _, v := range []any{fullBrief(), testPilot(training.Criteria{MinSellThrough: dec("0.5")}), testModules()[0], testCurricula()[0],
		training.Attempt{ID: "a", Rep: "r", Module: "m", Score: 3, Time: t0}, training.Onboarding{Rep: "r", Ramp: []decimal.Decimal{dec("0.5")}}} {
		raw, _ := json.Marshal(v)
		f.Add(raw)
	}
	for _, s := range []string{`{"version":"2"}`, `{"period":"2026[Local]"}`, `{"ramp":["1e-99999"]}`, `{"published":"x"}`,
		`{"prohibited":[{"severity":"x"}]}`, `null`, `[]`, `{"figures":{"rating":{"num":1e30}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode[training.Brief](t, data)
		fuzzDecode[training.Claim](t, data)
		fuzzDecode[training.Disclosure](t, data)
		fuzzDecode[training.Objection](t, data)
		fuzzDecode[training.ChannelOverride](t, data)
		fuzzDecode[training.Module](t, data)
		fuzzDecode[training.Assessment](t, data)
		fuzzDecode[training.Attempt](t, data)
		fuzzDecode[training.Curriculum](t, data)
		fuzzDecode[training.Certificate](t, data)
		fuzzDecode[training.Assignment](t, data)
		fuzzDecode[training.AssignmentProgress](t, data)
		fuzzDecode[training.Onboarding](t, data)
		fuzzDecode[training.Pilot](t, data)
		fuzzDecode[training.Sale](t, data)
		fuzzDecode[training.Issue](t, data)
		fuzzDecode[training.Improvement](t, data)
		fuzzDecode[training.Criteria](t, data)
		fuzzDecode[training.Decision](t, data)
		fuzzDecode[training.DecisionReason](t, data)
		fuzzDecode[training.Figures](t, data)
		fuzzDecode[training.LocalityFigures](t, data)
		fuzzDecode[training.Report](t, data)
		fuzzDecode[training.Violation](t, data)
		fuzzDecode[training.Verdict](t, data)
		fuzzDecode[training.Reason](t, data)
		fuzzDecode[training.Progress](t, data)
		fuzzDecode[training.ModuleProgress](t, data)
	})
}

func fuzzDecode[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte) {
	var v T
	if err := P(&v).UnmarshalJSON(data); err != nil {
		if !errors.Is(err, salesprocess.ErrInvalid) {
			t.Fatalf("%T: error without ErrInvalid: %v", v, err)
		}
		if !reflect.ValueOf(v).IsZero() {
			t.Fatalf("%T: a failed decoding changed the value: %v", v, err)
		}
		return
	}
	out, err := json.Marshal(v)
	if err != nil {
		return // a decoded value may not encode (a version out of range, a year past 9999)
	}
	var again T
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%T: re-decoding %s: %v", v, out, err)
	}
	back, _ := json.Marshal(again)
	if string(back) != string(out) {
		t.Fatalf("%T: the round trip changed %s into %s", v, out, back)
	}
}

// FuzzDecide decides random pilots on random sales and feedback: an
// invalid pilot is refused with ErrInvalid, and a decision's figures are
// the counts of the sales and feedback that qualify, its reasons follow
// the order of the criteria, and it launches exactly when every reason is
// met.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, int32(-2))
	f.Add([]byte{255, 0, 255, 0, 255, 0, 1, 1, 1, 1, 1}, int32(math.MinInt32))
	f.Add([]byte("a pilot with many sales and much feedback, some of it out of place"), int32(3))
	f.Fuzz(func(t *testing.T, data []byte, exp int32) {
		r := &fuzzBytes{b: data}
		c := training.Criteria{
			RequireEnded: r.next()%2 == 0, MinUnitsSold: int64(r.next()) - 10,
			MinSellThrough: decimal.New(int64(r.next()%120), -2), MinLocalitiesWithSales: r.next() % 4,
			MinFeedback: r.next() % 6, MinAverageRating: decimal.New(int64(r.next()%60), -1),
			MinLocalityRating: decimal.New(int64(r.next()%60), -1),
			BlockingSeverity:  []training.Severity{"", training.SeverityInfo, training.SeverityWarning, training.SeverityCritical, "x"}[r.next()%5],
		}
		if r.next()%7 == 0 {
			c.MinAverageRating = decimal.New(int64(r.next()), exp)
		}
		p := testPilot(c)
		p.Quantity = int64(r.next()) * int64(r.next()+1)
		if r.next()%5 == 0 {
			p.Issues = []training.Issue{{ID: "I1", Title: "t", Severity: []training.Severity{training.SeverityInfo, training.SeverityCritical}[r.next()%2],
				Opened: t0.Add(time.Duration(r.next()) * time.Hour)}}
		}
		locs := []string{"Springfield", "Shelbyville", "Ogdenville"}
		var sales []training.Sale
		var feedback []salesprocess.Feedback
		for i := 0; r.more() && i < 60; i++ {
			at := march.Start().Add(time.Duration(r.next()*6-200) * time.Hour)
			if r.next()%2 == 0 {
				sales = append(sales, training.Sale{ID: training.SaleID(fmt.Sprint("s", i)), Pilot: []training.PilotID{"f1", "f2"}[r.next()%5/4],
					Locality: locs[r.next()%3], Units: int64(r.next()) - 3, Time: at})
			} else {
				feedback = append(feedback, salesprocess.Feedback{ID: salesprocess.FeedbackID(fmt.Sprint("b", i)),
					Product: []salesprocess.ProductID{"p1", "p2"}[r.next()%5/4], Rating: r.next()%7 - 1,
					Source:   []salesprocess.FeedbackSource{salesprocess.FromFieldTest, salesprocess.FromCustomer}[r.next()%4/3],
					Locality: locs[r.next()%3], Time: at})
			}
		}
		at := march.Start().Add(time.Duration(r.next()*4) * time.Hour)
		d, err := training.Decide(p, sales, feedback, at)
		if verr := p.Validate(); verr != nil {
			if !errors.Is(err, salesprocess.ErrInvalid) {
				t.Fatalf("an invalid pilot (%v) decided: %v", verr, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("a valid pilot is refused: %v", err)
		}
		var units, count, sum int64
		for _, s := range sales {
			if s.Pilot == p.ID && p.HasLocality(s.Locality) && p.Period.Contains(s.Time) && !s.Time.After(at) && s.Units >= 1 {
				units += s.Units
			}
		}
		for _, fb := range feedback {
			if fb.Product == p.Product && fb.Source == salesprocess.FromFieldTest && p.HasLocality(fb.Locality) &&
				!fb.Time.Before(p.Period.Start()) && !fb.Time.After(at) && fb.Rating >= 1 && fb.Rating <= 5 {
				count++
				sum += int64(fb.Rating)
			}
		}
		fig := d.Figures
		if fig.UnitsSold != units || fig.Feedback != count || fig.Rating != (salesprocess.Fraction{Num: sum, Den: count}) {
			t.Fatalf("figures %+v; counted %d units, %d ratings summing to %d", fig, units, count, sum)
		}
		if fig.SellThrough != (salesprocess.Fraction{Num: units, Den: p.Quantity}) {
			t.Fatalf("sell-through %v of %d units and quantity %d", fig.SellThrough, units, p.Quantity)
		}
		launch, last := true, -1
		order := []training.Criterion{training.CriterionEnded, training.CriterionUnitsSold, training.CriterionSellThrough,
			training.CriterionLocalitiesSales, training.CriterionFeedback, training.CriterionAverageRating,
			training.CriterionLocalityRating, training.CriterionNoBlockingIssues}
		for _, reason := range d.Reasons {
			launch = launch && reason.Met
			i := 0
			for i < len(order) && order[i] != reason.Criterion {
				i++
			}
			if i < last || i == len(order) {
				t.Fatalf("reasons out of order: %v", d.Reasons)
			}
			last = i
		}
		if d.Launch != launch || len(d.Reasons) == 0 || d.Reasons[len(d.Reasons)-1].Criterion != training.CriterionNoBlockingIssues {
			t.Fatalf("launch %v with reasons %+v", d.Launch, d.Reasons)
		}
	})
}

// FuzzOnboardingGoal validates onboardings with ramps of any exponent and
// computes their goals: Validate answers at once, and a valid
// onboarding's goal for each month lies between zero and the monthly goal,
// which it reaches once the ramp is over.
func FuzzOnboardingGoal(f *testing.F) {
	f.Add(int64(100000), []byte{25, 2, 50, 2, 75, 2}, int32(0))
	f.Add(int64(1), []byte{1, 0, 0, 1}, int32(math.MaxInt32))
	f.Add(int64(-5), []byte{}, int32(math.MinInt32))
	f.Fuzz(func(t *testing.T, cents int64, ramp []byte, exp int32) {
		goal, err := salesprocess.NewMoneyFromMinor(cents, "EUR")
		if err != nil {
			t.Fatal(err)
		}
		o := training.Onboarding{Rep: "r", Region: "x", Start: t0, MonthlyGoal: goal}
		for i := 0; i+1 < len(ramp) && len(o.Ramp) < 40; i += 2 {
			e := -int32(ramp[i+1] % 4)
			if ramp[i+1] == 255 {
				e = exp
			}
			o.Ramp = append(o.Ramp, decimal.New(int64(ramp[i]), e))
		}
		if err := o.Validate(); err != nil {
			if !errors.Is(err, salesprocess.ErrInvalid) || len(err.Error()) > 300 {
				t.Fatalf("refusal %v", err)
			}
			return
		}
		for i := -1; i <= len(o.Ramp)+1; i++ {
			g := o.Goal(i)
			if g.Sign() < 0 {
				t.Fatalf("month %d: negative goal %s", i, g)
			}
			if c, err := g.Cmp(goal); err != nil || c > 0 {
				t.Fatalf("month %d: goal %s above the monthly goal %s (%v)", i, g, goal, err)
			}
		}
		if !o.Goal(len(o.Ramp)).Equal(goal) {
			t.Fatalf("after the ramp the goal is %s, not %s", o.Goal(len(o.Ramp)), goal)
		}
	})
}

// FuzzTrainerOps runs random sequences of trainer operations with random,
// often invalid, arguments: every error wraps a sentinel, a failed
// operation writes nothing, a successful one writes one record (queries
// none), a pilot's revision grows by one per change, sales never exceed
// the pilot's quantity, every stored certificate and attempt is valid,
// readiness's Check, Eligible and Status agree, and only a rep with a
// valid certificate is onboarded.
func FuzzTrainerOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 1, 0, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte("attempts, certificates, sales, issues and improvements in any order"))
	f.Add([]byte{0, 1, 0, 0, 30, 1, 0, 1, 8, 0, 0, 25, 9, 0, 3}) // pass, certify, check readiness, onboard
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r := &fuzzBytes{b: data}
		cat, err := training.NewCatalog(testModules(), testCurricula())
		if err != nil {
			t.Fatal(err)
		}
		store := &countingStore{MemStore: trainingtest.NewMemStore()}
		tr := training.NewTrainer(store, cat, &training.Options{Clock: salesprocess.NewSteppingClock(t0.Add(time.Hour), time.Hour)})
		if err := tr.PublishBrief(ctx, testBrief("1.0")); err != nil {
			t.Fatal(err)
		}
		if _, err := tr.StartPilot(ctx, testPilot(training.Criteria{})); err != nil {
			t.Fatal(err)
		}
		reps := []salesprocess.RepID{"ann", "bob", "", " x"}
		modules := []training.ModuleID{"p1-basics", "phone", "web", "nope"}
		goal, err := salesprocess.NewMoneyFromMinor(100000, "EUR")
		if err != nil {
			t.Fatal(err)
		}
		for step := 0; r.more() && step < 60; step++ {
			before := store.writes.Load()
			p0, err := store.Pilot(ctx, "f1")
			if err != nil {
				t.Fatal(err)
			}
			var oerr error
			readOnly := false
			switch r.next() % 10 {
			case 0:
				_, oerr = tr.RecordAttempt(ctx, training.Attempt{ID: training.AttemptID(fmt.Sprint("a", r.next()%20)),
					Rep: reps[r.next()%4], Module: modules[r.next()%4], Score: r.next() - 20})
			case 1:
				_, oerr = tr.Certify(ctx, reps[r.next()%4], []training.CurriculumID{"p1-phone", "p1-all", "x"}[r.next()%3])
			case 2:
				_, oerr = tr.AssignModule(ctx, training.Assignment{ID: training.AssignmentID(fmt.Sprint("as", r.next()%5)),
					Rep: reps[r.next()%4], Module: modules[r.next()%4], Due: t0.Add(time.Duration(r.next()-50) * time.Hour)})
			case 3:
				oerr = tr.RecordSale(ctx, training.Sale{ID: training.SaleID(fmt.Sprint("s", r.next()%30)), Pilot: "f1",
					Locality: []string{"Springfield", "Shelbyville", "Elsewhere"}[r.next()%3], Units: int64(r.next()) - 5,
					Time: t0.Add(time.Duration(r.next()) * time.Hour)})
			case 4:
				_, oerr = tr.OpenIssue(ctx, "f1", training.Issue{ID: training.IssueID(fmt.Sprint("I", r.next()%4)), Title: "t",
					Severity: []training.Severity{training.SeverityInfo, "bad"}[r.next()%2]})
			case 5:
				minor := r.next() % 3
				_, oerr = tr.Improve(ctx, "f1", training.Improvement{Version: training.Version{Major: 1, Minor: minor}, Summary: "s",
					Resolves: []training.IssueID{training.IssueID(fmt.Sprint("I", r.next()%4))}})
			case 6:
				b := testBrief(fmt.Sprintf("1.%d", r.next()%3))
				b.Published = t0.Add(time.Duration(r.next()) * time.Minute)
				oerr = tr.PublishBrief(ctx, b)
			case 7:
				fb := ratings(fmt.Sprintf("Springfield:%d", r.next()%7))[0]
				fb.ID = salesprocess.FeedbackID(fmt.Sprint("b", r.next()%10))
				oerr = tr.RecordFeedback(ctx, fb)
			case 8:
				// Readiness: Check, Eligible and Status agree.
				readOnly = true
				rep, ch := reps[r.next()%4], []salesprocess.ChannelID{"", "phone", "web"}[r.next()%3]
				at := t0.Add(time.Duration(r.next()-20) * 24 * time.Hour)
				v, err := tr.Readiness().Check(ctx, rep, "p1", ch, at)
				eerr := tr.Readiness().Eligible(ctx, rep, "p1", ch, at)
				st, serr := tr.Readiness().Status(ctx, rep, "p1", at)
				switch {
				case err != nil:
					if eerr == nil || serr == nil {
						t.Fatalf("step %d: Check refused %q (%v) but Eligible %v and Status %v", step, rep, err, eerr, serr)
					}
					oerr = err
				case v.Ready != (len(v.Reasons) == 0):
					t.Fatalf("step %d: ready %v with reasons %v", step, v.Ready, v.Reasons)
				case v.Ready != (eerr == nil) || (eerr != nil && !errors.Is(eerr, salesprocess.ErrForbidden)):
					t.Fatalf("step %d: ready %v but Eligible %v", step, v.Ready, eerr)
				case serr != nil || (v.Ready && st != training.CertValid):
					t.Fatalf("step %d: ready %v on %q but status %s (%v)", step, v.Ready, ch, st, serr)
				}
			case 9:
				readOnly = true
				o := training.Onboarding{Rep: reps[r.next()%4], Region: "north", Start: t0.Add(time.Duration(r.next()) * 24 * time.Hour),
					MonthlyGoal: goal}
				got, err := tr.Onboard(ctx, o)
				if err == nil && got.Rep != o.Rep {
					t.Fatalf("step %d: onboarded %q as %q", step, o.Rep, got.Rep)
				}
				if err == nil {
					if st, serr := tr.Readiness().Status(ctx, o.Rep, "p1", o.Start); serr != nil || st != training.CertValid {
						t.Fatalf("step %d: onboarded %q without a valid certificate: %s %v", step, o.Rep, st, serr)
					}
				}
				oerr = err
			}
			p1, err := store.Pilot(ctx, "f1")
			if err != nil {
				t.Fatal(err)
			}
			wrote := store.writes.Load() - before
			if oerr != nil {
				if !errors.Is(oerr, salesprocess.ErrInvalid) && !errors.Is(oerr, salesprocess.ErrDuplicate) &&
					!errors.Is(oerr, salesprocess.ErrForbidden) && !errors.Is(oerr, salesprocess.ErrNotFound) {
					t.Fatalf("step %d: error without a sentinel: %v", step, oerr)
				}
				if wrote != 0 || p1.Rev != p0.Rev {
					t.Fatalf("step %d: a failed operation wrote %d records: %v", step, wrote, oerr)
				}
			} else if want := map[bool]int64{false: 1, true: 0}[readOnly]; wrote != want {
				t.Fatalf("step %d: a successful operation wrote %d records, want %d", step, wrote, want)
			}
			if p1.Rev != p0.Rev && p1.Rev != p0.Rev+1 {
				t.Fatalf("step %d: pilot revision %d after %d", step, p1.Rev, p0.Rev)
			}
			if err := p1.Validate(); err != nil {
				t.Fatalf("step %d: stored pilot is invalid: %v", step, err)
			}
		}
		var sold int64
		for s, err := range store.Sales(ctx, "f1") {
			if err != nil {
				t.Fatal(err)
			}
			sold += s.Units
		}
		if sold > 100 {
			t.Fatalf("%d units sold of a pilot of 100", sold)
		}
		for c, err := range store.Certificates(ctx, training.CertificateFilter{}) {
			if err != nil || c.Validate() != nil {
				t.Fatalf("stored certificate %+v: %v", c, err)
			}
		}
	})
}
