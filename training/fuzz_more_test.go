package training_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// fuzzStream hands out fuzz bytes, but once the input runs out it goes on
// with a pseudo-random sequence seeded by the input (splitmix64), so that
// what is built from the end of the input is neither all zeros nor the
// same from one input to the next.
type fuzzStream struct {
	data  []byte
	state uint64
}

func newFuzzStream(data []byte) *fuzzStream {
	h := fnv.New64a()
	h.Write(data)
	return &fuzzStream{data: data, state: h.Sum64()}
}

// more reports whether input is left.
func (s *fuzzStream) more() bool { return len(s.data) > 0 }

// next returns the next byte of input, or of the sequence after it.
func (s *fuzzStream) next() int {
	if len(s.data) > 0 {
		x := int(s.data[0])
		s.data = s.data[1:]
		return x
	}
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return int((z ^ z>>31) >> 56)
}

// FuzzTrainingJSON decodes arbitrary JSON into every JSON type of the
// package: no decoder panics, every error wraps ErrInvalid, and what
// decodes and encodes decodes again to the same JSON; and a certificate
// filter keeps the promises of checkCertificateFilterJSON.
func FuzzTrainingJSON(f *testing.F) {
	for _, v := range []any{fullBrief(), testPilot(training.Criteria{MinSellThrough: dec("0.5")}), testModules()[0], testCurricula()[0],
		training.Attempt{ID: "a", Rep: "r", Module: "m", Score: 3, Time: t0}, training.Onboarding{Rep: "r", Ramp: []decimal.Decimal{dec("0.5")}},
		training.CertificateFilter{Rep: "ann", Product: "p1", Expiring: march}, training.CertificateFilter{}} {
		raw, _ := json.Marshal(v)
		f.Add(raw)
	}
	for _, s := range []string{`{"version":"2"}`, `{"period":"2026[Local]"}`, `{"ramp":["1e-99999"]}`, `{"ramp":["0.5","1e-9999"]}`, `{"criteria":{"min_sell_through":1e9999}}`, `{"published":"x"}`,
		`{"prohibited":[{"severity":"x"}]}`, `null`, `[]`, `{"figures":{"rating":{"num":1e30}}}`,
		`{"rep":"","product":"p1","expiring":""}`, `{"expiring":"2026-11[Europe/Lisbon]"}`, `{"expiring":"9999-W52[Asia/Tokyo]"}`,
		"\fnull", "null\u00a0"} {
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
		fuzzDecode[training.CertificateFilter](t, data)
		checkCertificateFilterJSON(t, data)
	})
}

// checkCertificateFilterJSON decodes data into a filter that holds one: a
// refusal changes nothing, and so does null; a filter that decodes
// encodes unless its Expiring cannot be written, which the error names,
// with exactly its members that are not zero; and, given an
// Expiring in a zone without an IANA name or past the year 9999, its
// encoding is refused with an error wrapping ErrInvalid that names
// "certificate_filter.expiring".
func checkCertificateFilterJSON(t *testing.T, data []byte) {
	t.Helper()
	held := training.CertificateFilter{Rep: "bob", Product: "p2", Expiring: march}
	f := held
	if err := f.UnmarshalJSON(data); err != nil || string(bytes.Trim(data, " \t\r\n")) == "null" {
		if f != held {
			t.Fatalf("a failed decoding, or null, changed the filter: %v", err)
		}
		return
	}
	out, err := json.Marshal(f)
	if err != nil {
		var ve *salesprocess.ValidationError
		if f.Expiring.IsZero() || f.Expiring.Validate() == nil || !errors.As(err, &ve) || ve.Field != "certificate_filter.expiring" {
			t.Fatalf("%+v encodes with %v", f, err)
		}
		return
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(out, &members); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	_, rep := members["rep"]
	_, product := members["product"]
	_, expiring := members["expiring"]
	for name := range members {
		if name != "rep" && name != "product" && name != "expiring" {
			t.Fatalf("%+v written with the member %q: %s", f, name, out)
		}
	}
	if rep != (f.Rep != "") || product != (f.Product != "") || expiring != !f.Expiring.IsZero() {
		t.Fatalf("%+v written as %s", f, out)
	}
	bad := f
	if len(data)%2 == 0 {
		bad.Expiring = salesprocess.Month(2026, time.November, time.FixedZone("XYZ", 3600))
	} else {
		bad.Expiring = salesprocess.Month(10000, time.January, time.UTC)
	}
	_, err = json.Marshal(bad)
	var ve *salesprocess.ValidationError
	if !errors.Is(err, salesprocess.ErrInvalid) || !errors.As(err, &ve) || ve.Field != "certificate_filter.expiring" {
		t.Fatalf("%+v encodes with %v", bad, err)
	}
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
	// A direct call sees what json.Unmarshal would refuse before calling
	// it, and refuses it too.
	if !json.Valid(data) {
		t.Fatalf("%T: took %q, which is not JSON", v, data)
	}
	out, err := json.Marshal(v)
	if err != nil {
		// A decoded value may not encode (a version out of range, a
		// year past 9999), with an error wrapping ErrInvalid.
		if !errors.Is(err, salesprocess.ErrInvalid) {
			t.Fatalf("%T: encoding what decoded: error without ErrInvalid: %v", v, err)
		}
		return
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

// FuzzDecide decides random pilots on random sales and feedback. Mostly
// the criteria are valid and within reach, and most sales and feedback
// qualify (the pilot's, in its localities and period, with units and
// ratings in range), so that criteria are met and products launch often;
// a byte from 232 up (9 %) gives the pilot one flaw Validate refuses, one
// input in nine has a minimum average rating of any exponent, and about
// one sale or piece of feedback in six is out of place. It checks: a
// pilot is refused, with ErrInvalid, exactly when it is flawed; a
// decision's figures, in all and by locality, are the counts of the sales
// and feedback that qualify; it gives a reason for each criterion set (one
// per locality for the locality rating) and for blocking issues, in the
// order of the criteria, each met exactly when the counts reach it; and it
// launches exactly when every reason is met.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, int32(-2))
	f.Add([]byte{255, 0, 255, 0, 255, 0, 1, 1, 1, 1, 1}, int32(math.MinInt32))
	f.Add([]byte("a pilot with many sales and much feedback, some of it out of place"), int32(3))
	// A minimum rating by locality that a locality's feedback and all the
	// feedback do not both meet.
	f.Add([]byte("00000001100000000"), int32(0))
	// No criterion set, a quantity of 20 and no issue, then each of the 7
	// flaws: the byte b at index 11 chooses flaw b % 7.
	for b := byte(238); b <= 244; b++ {
		f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, b, 0}, int32(0))
	}
	// A minimum average rating of any exponent.
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 0, 0, 7, 0, 1, 0}, int32(-50))
	f.Fuzz(func(t *testing.T, data []byte, exp int32) {
		r := newFuzzStream(data)
		// Each criterion is set half the time, within reach.
		set := func() bool { return r.next()%2 == 0 }
		var c training.Criteria
		c.RequireEnded = r.next()%4 == 0
		if set() {
			c.MinUnitsSold = int64(r.next() % 30)
		}
		if set() {
			c.MinSellThrough = decimal.New(int64(r.next()%30), -2)
		}
		if set() {
			c.MinLocalitiesWithSales = 1 + r.next()%2
		}
		if set() {
			c.MinFeedback = r.next() % 6
		}
		if set() {
			c.MinAverageRating = decimal.New(int64(2+r.next()%7)*5, -1) // 1 to 4
		}
		if set() {
			c.MinLocalityRating = decimal.New(int64(2+r.next()%6)*5, -1)
		}
		c.BlockingSeverity = []training.Severity{"", training.SeverityInfo, training.SeverityWarning, training.SeverityCritical}[r.next()%4]
		anyExp := false // a rating of any exponent: valid or not
		if r.next()%9 == 0 {
			c.MinAverageRating, anyExp = decimal.New(int64(r.next()), exp), true
		}
		p := testPilot(c)
		p.Quantity = int64(20 + r.next())
		p.Criteria.MinUnitsSold = min(p.Criteria.MinUnitsSold, p.Quantity) // no more than the pilot may sell
		if r.next()%5 == 0 {
			p.Issues = []training.Issue{{ID: "I1", Title: "t", Severity: []training.Severity{training.SeverityInfo, training.SeverityCritical}[r.next()%2],
				Opened: t0.Add(time.Duration(r.next()) * time.Hour)}}
		}
		flaw := -1
		if b := r.next(); b >= 232 {
			switch flaw = b % 7; flaw {
			case 0:
				p.Criteria.MinUnitsSold = -1 - int64(r.next())
			case 1:
				p.Criteria.MinSellThrough = decimal.New(101+int64(r.next()), -2)
			case 2:
				p.Criteria.MinAverageRating = decimal.New(int64(51+r.next()), -1) // above 5
			case 3:
				p.Criteria.BlockingSeverity = "x"
			case 4:
				p.Quantity = -int64(r.next())
			case 5:
				p.Criteria.MinLocalitiesWithSales = 3 + r.next()%3 // more than the pilot's localities
			case 6:
				p.Criteria.MinFeedback = -1 - r.next()
			}
		}
		locs := []string{"Springfield", "Shelbyville", "Ogdenville"}
		var sales []training.Sale
		var feedback []salesprocess.Feedback
		for i := 0; r.more() && i < 60; i++ {
			// Mostly in the pilot's period and localities; byte values
			// below 40 (16 %) put it anywhere, for any pilot or product.
			odd := r.next() < 40
			at := march.Start().Add(time.Duration(r.next()*3) * time.Hour)
			if odd {
				at = march.Start().Add(time.Duration(r.next()*6-200) * time.Hour)
			}
			if r.next()%2 == 0 {
				s := training.Sale{ID: training.SaleID(fmt.Sprint("s", i)), Pilot: "f1", Locality: locs[r.next()%2],
					Units: int64(1 + r.next()%20), Time: at}
				if odd {
					s.Pilot, s.Locality, s.Units = []training.PilotID{"f1", "f2"}[r.next()%5/4], locs[r.next()%3], int64(r.next())-3
				}
				sales = append(sales, s)
			} else {
				fb := salesprocess.Feedback{ID: salesprocess.FeedbackID(fmt.Sprint("b", i)), Product: "p1", Rating: 2 + r.next()%4,
					Source: salesprocess.FromFieldTest, Locality: locs[r.next()%2], Time: at}
				if odd {
					fb.Product, fb.Rating = []salesprocess.ProductID{"p1", "p2"}[r.next()%5/4], r.next()%7-1
					fb.Source, fb.Locality = []salesprocess.FeedbackSource{salesprocess.FromFieldTest, salesprocess.FromCustomer}[r.next()%4/3], locs[r.next()%3]
				}
				feedback = append(feedback, fb)
			}
		}
		at := march.Start().Add(time.Duration(r.next()*4) * time.Hour)
		d, err := training.Decide(p, sales, feedback, at)
		verr := p.Validate()
		if flaw >= 0 && verr == nil || flaw < 0 && !anyExp && verr != nil {
			t.Fatalf("pilot with flaw %d: Validate %v", flaw, verr)
		}
		if verr != nil {
			if !errors.Is(err, salesprocess.ErrInvalid) {
				t.Fatalf("an invalid pilot (%v) decided: %v", verr, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("a valid pilot is refused: %v", err)
		}
		// The figures, in all and by locality, counted here.
		var units, count, sum int64
		byLoc := map[string]*training.LocalityFigures{}
		for _, l := range p.Localities {
			byLoc[l] = &training.LocalityFigures{Locality: l}
		}
		for _, s := range sales {
			if s.Pilot == p.ID && p.HasLocality(s.Locality) && p.Period.Contains(s.Time) && !s.Time.After(at) && s.Units >= 1 {
				units += s.Units
				byLoc[s.Locality].UnitsSold += s.Units
			}
		}
		for _, fb := range feedback {
			if fb.Product == p.Product && fb.Source == salesprocess.FromFieldTest && p.HasLocality(fb.Locality) &&
				!fb.Time.Before(p.Period.Start()) && !fb.Time.After(at) && fb.Rating >= 1 && fb.Rating <= 5 {
				count++
				sum += int64(fb.Rating)
				lf := byLoc[fb.Locality]
				lf.Feedback++
				lf.Rating.Num, lf.Rating.Den = lf.Rating.Num+int64(fb.Rating), lf.Rating.Den+1
			}
		}
		fig := d.Figures
		if fig.UnitsSold != units || fig.Feedback != count || fig.Rating != (salesprocess.Fraction{Num: sum, Den: count}) {
			t.Fatalf("figures %+v; counted %d units, %d ratings summing to %d", fig, units, count, sum)
		}
		if fig.SellThrough != (salesprocess.Fraction{Num: units, Den: p.Quantity}) {
			t.Fatalf("sell-through %v of %d units and quantity %d", fig.SellThrough, units, p.Quantity)
		}
		locsWithSales := 0
		if len(fig.Localities) != len(p.Localities) {
			t.Fatalf("figures for %d localities of %d", len(fig.Localities), len(p.Localities))
		}
		for i, lf := range fig.Localities {
			if want := *byLoc[p.Localities[i]]; lf != want {
				t.Fatalf("locality %d: figures %+v; counted %+v", i, lf, want)
			}
			if lf.UnitsSold > 0 {
				locsWithSales++
			}
		}
		// The reasons: one per criterion set, one per locality for the
		// locality rating, and always one for blocking issues, in the
		// order of the criteria, each met exactly when what was counted
		// here reaches it.
		want := wantReasons(p, at, units, count, sum, locsWithSales, byLoc)
		got := make([]reasonMet, len(d.Reasons))
		launch := true
		for i, reason := range d.Reasons {
			got[i] = reasonMet{reason.Criterion, reason.Locality, reason.Met}
			launch = launch && reason.Met
		}
		if !slices.Equal(got, want) {
			t.Fatalf("reasons %+v; want %+v; figures %+v, criteria %+v", got, want, fig, p.Criteria)
		}
		if d.Launch != launch {
			t.Fatalf("launch %v with reasons %+v", d.Launch, d.Reasons)
		}
	})
}

// reasonMet is what FuzzDecide checks of a [training.DecisionReason].
type reasonMet struct {
	Criterion training.Criterion
	Locality  string
	Met       bool
}

// wantReasons returns the reasons Decide must give for pilot p at time at,
// from the figures FuzzDecide counted: units sold, count ratings summing
// to sum, locs localities with sales, and each locality's figures.
func wantReasons(p training.Pilot, at time.Time, units, count, sum int64, locs int,
	byLoc map[string]*training.LocalityFigures) []reasonMet {
	c := p.Criteria
	// rated reports whether n ratings summing to total average at least min.
	rated := func(total, n int64, min decimal.Decimal) bool {
		return n > 0 && decimal.NewFromInt(total).GreaterThanOrEqual(min.Mul(decimal.NewFromInt(n)))
	}
	var out []reasonMet
	if c.RequireEnded {
		out = append(out, reasonMet{training.CriterionEnded, "", !at.Before(p.Period.End())})
	}
	if c.MinUnitsSold > 0 {
		out = append(out, reasonMet{training.CriterionUnitsSold, "", units >= c.MinUnitsSold})
	}
	if c.MinSellThrough.Sign() > 0 {
		met := decimal.NewFromInt(units).GreaterThanOrEqual(c.MinSellThrough.Mul(decimal.NewFromInt(p.Quantity)))
		out = append(out, reasonMet{training.CriterionSellThrough, "", met})
	}
	if c.MinLocalitiesWithSales > 0 {
		out = append(out, reasonMet{training.CriterionLocalitiesSales, "", locs >= c.MinLocalitiesWithSales})
	}
	if c.MinFeedback > 0 {
		out = append(out, reasonMet{training.CriterionFeedback, "", count >= int64(c.MinFeedback)})
	}
	if c.MinAverageRating.Sign() > 0 {
		out = append(out, reasonMet{training.CriterionAverageRating, "", rated(sum, count, c.MinAverageRating)})
	}
	if c.MinLocalityRating.Sign() > 0 {
		for _, l := range p.Localities {
			r := byLoc[l].Rating
			out = append(out, reasonMet{training.CriterionLocalityRating, l, rated(r.Num, r.Den, c.MinLocalityRating)})
		}
	}
	blocking := c.BlockingSeverity
	if blocking == "" {
		blocking = training.SeverityCritical
	}
	noBlocking := true
	for _, is := range p.Issues {
		if is.OpenAt(at) && is.Severity.AtLeast(blocking) {
			noBlocking = false
		}
	}
	return append(out, reasonMet{training.CriterionNoBlockingIssues, "", noBlocking})
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

// FuzzTrainerOps runs random sequences of trainer operations. Mostly each
// has valid arguments, for the reps ann and bob, with scores that often
// pass, so that reps are certified, ready and onboarded and the pilot
// sells, gets feedback and issues, improves and is decided; a byte from
// 232 up (9 %) runs an operation with random, often invalid, arguments. It
// checks: every error wraps a sentinel; a failed operation writes nothing;
// a successful one writes one record (queries none); a pilot's revision
// grows by one per change; an attempt passes exactly at the module's pass
// mark; Certify certifies no rep who has not passed every module of the
// curriculum since the issue of the rep's certificates whose work the new
// one's overlaps, returns the rep's certificate for the curriculum
// unchanged, writing nothing, to one who has not but holds it, refuses
// another with an *IncompleteError naming the modules missing, and a
// certificate it issues is valid from its issue; sales never exceed the
// pilot's quantity, and none dated after the clock's time is recorded (a
// valid sale moves the clock on to its time, a wild one does not); every
// stored certificate and attempt is valid; readiness's Check, Eligible,
// Status and Certificate agree; only a rep with a valid certificate is
// onboarded; and Trainer.Decide decides as the function Decide does on
// what is stored.
func FuzzTrainerOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 1, 0, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte("attempts, certificates, sales, issues and improvements in any order"))
	f.Add([]byte{0, 1, 0, 0, 30, 1, 0, 1, 8, 0, 0, 25, 9, 0, 3})
	// Ten sales of 12 units each: eight sell 96 of the pilot's 100 units,
	// and the other two are refused.
	f.Add(slices.Repeat([]byte{12, 0, 0, 9, 48}, 10))
	// Ann passes p1-basics and is certified for p1-all, valid 6 months;
	// a wild onboarding of hers 250 days on, her certificate expired, is
	// refused.
	f.Add([]byte{65, 50, 49, 67, 49, 48, 49, 240, 0, 0, 0, 250})
	// The same certificate, and a wild readiness check of Ann's 230 days
	// on: not ready.
	f.Add([]byte{65, 50, 49, 67, 49, 48, 49, 239, 0, 0, 0, 0, 250})
	// Operations with valid arguments, then ones with random arguments
	// (bytes from 232 up).
	f.Add([]byte{0, 0, 0, 9, 0, 9, 30, 0, 0, 50, 0, 0, 60, 0, 0, 70, 0, 0, 72, 0, 0, 80, 0, 0, 85, 0, 0, 90, 0, 0, 95, 0,
		240, 1, 2, 3, 4, 250, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r := newFuzzStream(data)
		cat, err := training.NewCatalog(testModules(), testCurricula())
		if err != nil {
			t.Fatal(err)
		}
		store := &countingStore{MemStore: trainingtest.NewMemStore()}
		clock := salesprocess.NewSteppingClock(t0.Add(time.Hour), time.Hour)
		tr := training.NewTrainer(store, cat, &training.Options{Clock: clock})
		if err := tr.PublishBrief(ctx, testBrief("1.0")); err != nil {
			t.Fatal(err)
		}
		criteria := training.Criteria{MinUnitsSold: 10, MinLocalitiesWithSales: 2, MinFeedback: 2, MinAverageRating: dec("3"),
			BlockingSeverity: training.SeverityCritical}
		if _, err := tr.StartPilot(ctx, testPilot(criteria)); err != nil {
			t.Fatal(err)
		}
		reps := []salesprocess.RepID{"ann", "bob", "", " x"}
		modules := []training.ModuleID{"p1-basics", "phone", "web", "nope"}
		goal, err := salesprocess.NewMoneyFromMinor(100000, "EUR")
		if err != nil {
			t.Fatal(err)
		}
		minor := 0                                                    // the brief 1.<minor> is the latest published
		passed := map[salesprocess.RepID]map[training.ModuleID]bool{} // the modules passed
		// When each rep last passed each module, and each rep's
		// certificates by channel. The clock runs an hour a call, and on
		// to the time of a sale (at most 255 hours after t0), so no
		// certificate expires and every one is valid from its issue on.
		lastPass := map[salesprocess.RepID]map[training.ModuleID]time.Time{}
		certs := map[salesprocess.RepID]map[salesprocess.ChannelID]training.Certificate{}
		certified := map[salesprocess.RepID]time.Time{} // when certified last
		var ids int                                     // for new IDs
		for step := 0; r.more() && step < 60; step++ {
			before := store.writes.Load()
			p0, err := store.GetPilot(ctx, "f1")
			if err != nil {
				t.Fatal(err)
			}
			c := r.next()
			wild := c >= 232
			op := c % 11
			if !wild { // in twentieths: attempts 4, certify 3, sales 3, readiness, decide, feedback 2, the others 1
				op = []int{0, 0, 0, 0, 1, 1, 1, 8, 8, 9, 10, 10, 3, 3, 3, 7, 7, 4, 5, 2}[c%20]
			}
			ids++
			id := fmt.Sprint(ids) // a new ID, or in wild operations a random one of a few
			rep := reps[r.next()%2]
			if wild {
				rep = reps[r.next()%4]
			}
			// Steps in order: a rep passes p1-basics before Certify, is
			// certified before readiness and onboarding; a brief is
			// published before the pilot improves to it.
			switch {
			case wild:
			case (op == 1 || op == 8 || op == 9) && !passed[rep]["p1-basics"]:
				op = 0
			case (op == 8 || op == 9) && certified[rep].IsZero():
				op = 1
			case op == 5 && minor <= p0.Version.Minor:
				op = 6
			}
			var oerr error
			readOnly := false
			switch op {
			case 0:
				a := training.Attempt{ID: training.AttemptID("a" + id), Rep: rep}
				if wild {
					a.ID, a.Module, a.Score = training.AttemptID(fmt.Sprint("a", r.next()%20)), modules[r.next()%4], r.next()-20
				} else {
					a.Module = modules[1+r.next()%2]
					if !passed[rep]["p1-basics"] {
						a.Module = "p1-basics" // at most three attempts
					}
					max := map[training.ModuleID]int{"p1-basics": 10, "phone": 100, "web": 100}[a.Module]
					a.Score = max * (60 + r.next()%41) / 100 // 60 % of the maximum or more
				}
				var got training.Attempt
				got, oerr = tr.RecordAttempt(ctx, a)
				if oerr == nil && got.Passed {
					if passed[rep] == nil {
						passed[rep] = map[training.ModuleID]bool{}
					}
					passed[rep][got.Module] = true
					if lastPass[rep] == nil {
						lastPass[rep] = map[training.ModuleID]time.Time{}
					}
					lastPass[rep][got.Module] = got.Time
				}
				if oerr == nil {
					pass := map[training.ModuleID]int{"p1-basics": 8, "phone": 70, "web": 70}[a.Module]
					if got.Passed != (a.Score >= pass) || got.Score != a.Score || got.ID != a.ID {
						t.Fatalf("step %d: attempt %+v recorded as %+v", step, a, got)
					}
				}
			case 1:
				cur := []training.CurriculumID{"p1-all", "p1-all", "p1-phone"}[r.next()%3]
				if wild {
					cur = []training.CurriculumID{"p1-phone", "p1-all", "x"}[r.next()%3]
				}
				var cert training.Certificate
				cert, oerr = tr.Certify(ctx, rep, cur)
				// The curriculum's modules the rep has not passed since the
				// issue of the rep's certificates for the same channel,
				// for every channel, or, for a curriculum for every
				// channel, for any channel.
				var missing []training.ModuleID
				var held training.Certificate
				holds := false
				if cu, ok := cat.Curriculum(cur); ok {
					var since time.Time
					for ch, c := range certs[rep] {
						if (ch == cu.Channel || ch == "" || cu.Channel == "") && c.Issued.After(since) {
							since = c.Issued
						}
					}
					held, holds = certs[rep][cu.Channel]
					for _, m := range cu.Modules {
						if at, ok := lastPass[rep][m]; !ok || at.Before(since) {
							missing = append(missing, m)
						}
					}
				}
				var inc *training.IncompleteError
				switch {
				case oerr == nil && len(missing) > 0:
					if !holds || cert != held || store.writes.Load() != before {
						t.Fatalf("step %d: %q certified for %s as %+v without passing %v (holding %+v: %v)", step, rep, cur, cert, missing, held, holds)
					}
					readOnly = true
				case oerr == nil:
					certified[rep] = cert.Issued
					if certs[rep] == nil {
						certs[rep] = map[salesprocess.ChannelID]training.Certificate{}
					}
					certs[rep][cert.Channel] = cert
					if st, err := tr.Readiness().Status(ctx, rep, "p1", cert.Issued); err != nil || st != training.CertValid {
						t.Fatalf("step %d: certificate %+v issued, but its status is %s (%v)", step, cert, st, err)
					}
				case errors.Is(oerr, salesprocess.ErrForbidden) && !errors.As(oerr, &inc):
					t.Fatalf("step %d: Certify refused %q without an IncompleteError: %v", step, rep, oerr)
				case inc != nil && (!slices.Equal(inc.Missing, missing) || holds):
					t.Fatalf("step %d: Certify found %v missing; %q has not passed %v (holding %+v: %v)", step, inc.Missing, rep, missing, held, holds)
				}
			case 2:
				a := training.Assignment{ID: training.AssignmentID("as" + id), Rep: rep, Module: modules[r.next()%3],
					Due: t0.Add(time.Duration(24+r.next()) * time.Hour)}
				if wild {
					a.ID, a.Module, a.Due = training.AssignmentID(fmt.Sprint("as", r.next()%5)), modules[r.next()%4], t0.Add(time.Duration(r.next()-50)*time.Hour)
				}
				_, oerr = tr.AssignModule(ctx, a)
			case 3:
				s := training.Sale{ID: training.SaleID("s" + id), Pilot: "f1", Locality: []string{"Springfield", "Shelbyville"}[r.next()%2],
					Units: int64(3 + r.next()%10), Time: t0.Add(time.Duration(r.next()) * time.Hour)}
				if wild {
					s.ID, s.Locality, s.Units = training.SaleID(fmt.Sprint("s", r.next()%30)), []string{"Springfield", "Shelbyville", "Elsewhere"}[r.next()%3], int64(r.next())-5
				} else if clock.Peek().Before(s.Time) {
					// A sale is recorded once made: the clock comes to its
					// time. A wild one is not waited for, and one dated
					// after the clock's time is refused.
					clock.Set(s.Time)
				}
				now := clock.Peek() // the time RecordSale reads
				oerr = tr.RecordSale(ctx, s)
				if oerr == nil && s.Time.After(now) {
					t.Fatalf("step %d: sale %+v dated after the clock's %s recorded", step, s, now)
				}
			case 4:
				is := training.Issue{ID: training.IssueID("I" + id), Title: "t",
					Severity: []training.Severity{training.SeverityInfo, training.SeverityWarning, training.SeverityWarning, training.SeverityCritical}[r.next()%4]}
				if wild {
					is.ID, is.Severity = training.IssueID(fmt.Sprint("I", r.next()%4)), []training.Severity{training.SeverityInfo, "bad"}[r.next()%2]
				}
				_, oerr = tr.OpenIssue(ctx, "f1", is)
			case 5:
				im := training.Improvement{Version: training.Version{Major: 1, Minor: minor}, Summary: "s"}
				for _, is := range p0.Issues { // resolve the open issues
					if is.Resolved.IsZero() {
						im.Resolves = append(im.Resolves, is.ID)
					}
				}
				if wild {
					im.Version.Minor, im.Resolves = r.next()%3, []training.IssueID{training.IssueID(fmt.Sprint("I", r.next()%4))}
				}
				var got training.Pilot
				got, oerr = tr.Improve(ctx, "f1", im)
				if oerr == nil {
					if got.Version != im.Version {
						t.Fatalf("step %d: improved to %s, the pilot is at %s", step, im.Version, got.Version)
					}
					for _, is := range got.Issues {
						if slices.Contains(im.Resolves, is.ID) && (is.Resolved.IsZero() || is.FixedIn != im.Version) {
							t.Fatalf("step %d: issue %s not resolved in %s: %+v", step, is.ID, im.Version, is)
						}
					}
				}
			case 6:
				next := minor + 1
				if wild {
					next = r.next() % 3
				}
				b := testBrief(fmt.Sprintf("1.%d", next))
				b.Published = t0.Add(time.Duration(r.next()) * time.Minute)
				if oerr = tr.PublishBrief(ctx, b); oerr == nil && next > minor {
					minor = next
				}
			case 7:
				fb := ratings(fmt.Sprintf("%s:%d", []string{"Springfield", "Shelbyville"}[r.next()%2], 2+r.next()%4))[0]
				fb.ID = salesprocess.FeedbackID("b" + id)
				if wild {
					fb = ratings(fmt.Sprintf("Springfield:%d", r.next()%7))[0]
					fb.ID = salesprocess.FeedbackID(fmt.Sprint("b", r.next()%10))
				}
				oerr = tr.RecordFeedback(ctx, fb)
			case 8:
				// Readiness: Check, Eligible, Status and Certificate agree.
				readOnly = true
				ch := []salesprocess.ChannelID{"", "phone", "web"}[r.next()%3]
				at := certified[rep].Add(time.Duration(r.next()%40) * 24 * time.Hour)
				if wild {
					at = t0.Add(time.Duration(r.next()-20) * 24 * time.Hour)
				}
				v, err := tr.Readiness().Check(ctx, rep, "p1", ch, at)
				eerr := tr.Readiness().Eligible(ctx, rep, "p1", ch, at)
				st, serr := tr.Readiness().Status(ctx, rep, "p1", at)
				cert, cerr := tr.Readiness().Certificate(ctx, rep, "p1", at)
				switch {
				case (err != nil) != (cerr != nil && !errors.Is(cerr, salesprocess.ErrNotFound)):
					t.Fatalf("step %d: Check %v but Certificate %v", step, err, cerr)
				case err == nil && (st == training.CertMissing) != (cerr != nil):
					t.Fatalf("step %d: status %s but Certificate %v", step, st, cerr)
				case err == nil && cerr == nil && (cert.Rep != rep || cert.Product != "p1" || cert.Status(v.BriefVersion, at) != st):
					t.Fatalf("step %d: status %s but Certificate %+v, %s at %s", step, st, cert, cert.Status(v.BriefVersion, at), at)
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
				o := training.Onboarding{Rep: rep, Region: "north", Start: certified[rep].Add(time.Duration(r.next()%40) * 24 * time.Hour),
					MonthlyGoal: goal}
				if wild {
					o.Start = t0.Add(time.Duration(r.next()) * 24 * time.Hour)
				}
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
			case 10:
				// Trainer.Decide decides as Decide does on what is stored.
				readOnly = true
				at := t0.Add(time.Duration(256+r.next()*2) * time.Hour) // after the sales
				if wild {
					at = t0.Add(time.Duration(r.next()) * 4 * time.Hour)
				}
				pid := training.PilotID("f1")
				if wild && r.next()%2 == 0 {
					pid = "f2"
				}
				d, err := tr.Decide(ctx, pid, at)
				oerr = err
				if err == nil {
					var sales []training.Sale
					for s, err := range store.ListSales(ctx, "f1") {
						if err != nil {
							t.Fatal(err)
						}
						sales = append(sales, s)
					}
					var fbs []salesprocess.Feedback
					for fb, err := range store.ListFeedback(ctx, "p1") {
						if err != nil {
							t.Fatal(err)
						}
						fbs = append(fbs, fb)
					}
					want, err := training.Decide(p0, sales, fbs, at)
					if err != nil || !reflect.DeepEqual(jsonOf(d), jsonOf(want)) {
						t.Fatalf("step %d: Trainer.Decide %s; Decide on the stored records %s (%v)", step, jsonOf(d), jsonOf(want), err)
					}
				}
			}
			p1, err := store.GetPilot(ctx, "f1")
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
		for s, err := range store.ListSales(ctx, "f1") {
			if err != nil {
				t.Fatal(err)
			}
			sold += s.Units
		}
		if sold > 100 {
			t.Fatalf("%d units sold of a pilot of 100", sold)
		}
		for c, err := range store.ListCertificates(ctx, training.CertificateFilter{}) {
			if err != nil || c.Validate() != nil {
				t.Fatalf("stored certificate %+v: %v", c, err)
			}
		}
	})
}

// jsonOf returns the JSON form of v.
func jsonOf(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}
