package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// FuzzParseRules checks that any document either parses into valid rules
// that marshal and parse back to the same bytes, or is refused with an
// error wrapping ErrInvalid that names the field at fault.
func FuzzParseRules(f *testing.F) {
	def, err := json.Marshal(review.DefaultRules())
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(def),
		`{"version": 1}`,
		`{"version": 1, "rules": {}}`,
		`{"version": 1, "rules": {"target_met": null, "thin_pipeline": {"min_chance": "0.25"}}}`,
		`{"version": 1, "analysis": {"confidence": "0.99", "adjustment": "none", "product": {"loss_categories": ["price", "product"]}}}`,
		`{"version": 1, "analysis": {"follow_up": {"first_contact": "90m", "next_touch": null}}}`,
		`{"version": 1, "rules": {"target_missed": {"statuses": ["behind"]}, "feedback_pileup": {"sources": ["rep"]}}}`,
		`{"version": 1, "custom": {"big": {"x": [1, 2, {"y": null}]}}}`,
		`{"version": 2}`,
		`{"version": 1, "version": 1}`,
		`{"version": 1, "analysis": {"confidence": 0.95}}`,
		`{"version": 1, "analysis": {"places": 1e2}}`,
		`{"version": 1, "rules": {"target_met": {"min_percent": "-1"}}}`,
		`{"version": 1, "custom": {"target_met": {}}}`,
		`{"version": 1} trailing`,
		`[]`, `null`, `"x"`, ``, `{`, "\f{\"version\": 1}", "{\"version\": 1}\u00a0",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := review.ParseRules(data)
		if err != nil {
			var ve *sp.ValidationError
			if !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) {
				t.Fatalf("error %v does not wrap ErrInvalid with a ValidationError", err)
			}
			// A refusal leaves the rules it decodes into as they were.
			u := review.DefaultRules()
			if u.UnmarshalJSON(data) == nil {
				t.Fatalf("ParseRules refused %q but UnmarshalJSON took it", data)
			}
			if got, _ := json.Marshal(u); string(got) != string(def) {
				t.Fatalf("a failed UnmarshalJSON changed the rules: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("took %q, which is not JSON", data)
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("parsed rules are invalid: %v", err)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := review.ParseRules(out)
		if err != nil {
			t.Fatalf("parse %s: %v", out, err)
		}
		again, err := json.Marshal(back)
		if err != nil {
			t.Fatalf("marshal again: %v", err)
		}
		if string(out) != string(again) {
			t.Fatalf("round trip differs:\n%s\n%s", out, again)
		}
	})
}

// fuzzBytes reads small numbers from fuzz input, zero once it runs out.
type fuzzBytes []byte

func (b *fuzzBytes) next() int {
	if len(*b) == 0 {
		return 0
	}
	x := int((*b)[0])
	*b = (*b)[1:]
	return x
}

// fuzzInput builds a small review input from fuzz data: a few reps,
// regions and products, deals in every stage with and without amounts,
// losses and feedback, inquiries with activities, goals of every level.
func fuzzInput(data []byte) review.Input {
	b := fuzzBytes(data)
	start := november.Start()
	// The as-of time and the goals come first: read after the records,
	// they would take the zeros past the input's end, and every input would
	// be reviewed three hours into the month without goals.
	asOf := start.Add(time.Duration(1+b.next()) * 3 * time.Hour)
	nGoals := b.next() % 5
	when := func() time.Time {
		x := b.next()
		if x == 0 {
			return time.Time{}
		}
		return start.Add(time.Duration(x-20) * 4 * time.Hour)
	}
	reps := []sp.RepID{"ann", "bob", "cy", "dee"}
	regions := []sp.RegionID{north, south}
	products := []sp.ProductID{widget, gadget}
	stages := []pipeline.DealStage{pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal, pipeline.DealNegotiation,
		pipeline.DealWon, pipeline.DealLost, pipeline.DealWon, pipeline.DealLost}
	losses := []pipeline.LossCategory{pipeline.LossProduct, pipeline.LossPrice, pipeline.LossCompetitor, pipeline.LossRepExecution}
	var deals []pipeline.Deal
	var inquiries []pipeline.Inquiry
	for i := 0; len(b) > 0 && i < 60; i++ {
		d := pipeline.Deal{
			ID: sp.DealID(fmt.Sprintf("d%02d", i)), Owner: reps[b.next()%4], Region: regions[b.next()%2], Product: products[b.next()%2],
			Customer: "c", Stage: stages[b.next()%len(stages)], Created: when(), ExpectedClose: when(),
			Probability: decimal.New(int64(b.next()%101), -2),
		}
		if x := b.next(); x%5 != 0 {
			d.Amount = pipelinetestEUR(fmt.Sprintf("%d.00", x*10))
		}
		switch d.Stage {
		case pipeline.DealWon:
			d.Closed = when()
			if b.next()%3 == 0 {
				d.Service = &pipeline.Service{Feedback: []sp.Feedback{{ID: sp.FeedbackID("f" + string(d.ID)), Product: d.Product,
					Rating: 1 + b.next()%5, Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: when()}}}
			}
		case pipeline.DealLost:
			d.Closed = when()
			d.Loss = &pipeline.LossReason{Category: losses[b.next()%len(losses)], Detail: "x"}
		}
		deals = append(deals, d)
		in := pipeline.Inquiry{ID: sp.InquiryID(fmt.Sprintf("i%02d", i)), Owner: d.Owner, Region: d.Region, Product: d.Product,
			Received: when(), Stage: pipeline.InquiryNew}
		if b.next()%2 == 0 {
			in.Deal = d.ID
			in.Stage = pipeline.InquiryConverted
		}
		if t := when(); !t.IsZero() {
			in.Activities = []pipeline.Activity{{Kind: pipeline.ActivityCall, Done: t}}
		}
		inquiries = append(inquiries, in)
	}
	goals := []quota.Goal{
		{Rep: "ann", Region: north, Period: november, Revenue: pipelinetestEUR("5000.00")},
		{Rep: "bob", Region: north, Period: november, Deals: 3},
		{Region: south, Period: november, Revenue: pipelinetestEUR("9000.00")},
		{Period: november, Product: widget, Deals: 10},
	}
	return review.Input{
		Period: november, AsOf: asOf,
		Deals: quota.Refs(deals), Inquiries: quota.Refs(inquiries), Goals: goals[:nGoals],
		Products: []sp.Product{{ID: widget, Name: "Widget", Owner: "pm"}},
	}
}

// FuzzReview reviews arbitrary small months under the default rules: no
// panic, errors wrap the sentinels, every finding validates, and the same
// input gives the same report, which round-trips through its JSON form.
// With a host rule's retraining actions for curricula that share modules,
// each assignment's reason names each curriculum that assigned it once
// (checkCurriculaReasons).
func FuzzReview(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add(bytes.Repeat([]byte{7, 0, 1, 4, 30, 40, 60, 8, 25, 2, 9, 50}, 12))
	f.Add(bytes.Repeat([]byte{3, 1, 0, 5, 21, 22, 99, 3, 30, 1, 0, 21, 1}, 20))
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(),
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true }})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := r.Review(context.Background(), fuzzInput(data))
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) && !errors.Is(err, sp.ErrCurrencyMismatch) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		for _, fd := range rep.Findings {
			if err := fd.Validate(); err != nil {
				t.Fatalf("finding %s: %v", fd.ID, err)
			}
		}
		var a, b bytes.Buffer
		if err := rep.WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		again, err := r.Review(context.Background(), fuzzInput(data))
		if err != nil {
			t.Fatalf("the same input failed the second time: %v", err)
		}
		if err := again.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("the same input gave two reports")
		}
		back, err := review.ParseReport(a.Bytes())
		if err != nil {
			t.Fatalf("parse the report: %v", err)
		}
		b.Reset()
		if err := back.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("the report does not round-trip through JSON")
		}
		if err := back.Markdown(io.Discard); err != nil {
			t.Fatal(err)
		}
		checkCurriculaReasons(t, data)
	})
}

// fuzzCurricula are the curricula of checkCurriculaReasons: each shares a
// module with each other, so that one assignment may be made for several.
var fuzzCurricula = map[training.CurriculumID][]training.ModuleID{
	"cert-a": {"mod-1", "mod-2"}, "cert-b": {"mod-2", "mod-3"}, "cert-c": {"mod-3", "mod-1", "mod-3"},
}

// checkCurriculaReasons reviews the input of data with Options.Curricula
// and a host rule whose findings, from the last bytes of data, carry
// retraining actions for curricula (known or not, with a module or not).
// It checks that the Reason of each assignment names each curriculum once
// whose actions without a module assigned it (the rep's, for a curriculum
// that holds the module), and no other.
func checkCurriculaReasons(t *testing.T, data []byte) {
	t.Helper()
	tail := data[max(0, len(data)-16):]
	b := fuzzBytes(tail)
	names := []training.CurriculumID{"cert-a", "cert-b", "cert-c", "cert-gone"}
	reps := []sp.RepID{"ann", "bob"}
	var findings []review.Finding
	for i := 0; len(b) > 0 && i < 4; i++ {
		rep := reps[b.next()%len(reps)]
		f := review.Finding{Subject: review.RepSubject(rep), Severity: review.SeverityWarning, Summary: fmt.Sprintf("host finding %d", i)}
		for n := 1 + b.next()%3; n > 0; n-- {
			x := b.next()
			a := review.Action{Kind: review.ActionRetrain, Rep: rep, Product: widget, Curriculum: names[x%len(names)]}
			if x&4 != 0 {
				a.Module = "mod-2" // a module of its own: not for the curriculum
			}
			f.Actions = append(f.Actions, a)
		}
		findings = append(findings, f)
	}
	rule := review.NewRule("host", func(context.Context, *review.Snapshot) ([]review.Finding, error) {
		return findings, nil
	})
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock(), Rules: []review.Rule{rule},
		Modules: func(sp.ProductID) (training.ModuleID, bool) { return "widget-basics", true },
		Curricula: func(id training.CurriculumID) ([]training.ModuleID, bool) {
			ms, ok := fuzzCurricula[id]
			return ms, ok
		}})
	require.NoError(t, err)
	rep, err := r.Review(context.Background(), fuzzInput(data))
	if err != nil {
		if !errors.Is(err, sp.ErrInvalid) && !errors.Is(err, sp.ErrCurrencyMismatch) {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		return
	}
	type key struct {
		rep    sp.RepID
		module training.ModuleID
	}
	want := map[key]map[training.CurriculumID]bool{}
	for _, f := range rep.Findings {
		for _, a := range f.Actions {
			if a.Kind != review.ActionRetrain || a.Module != "" {
				continue
			}
			for _, m := range fuzzCurricula[a.Curriculum] {
				k := key{a.Rep, m}
				if want[k] == nil {
					want[k] = map[training.CurriculumID]bool{}
				}
				want[k][a.Curriculum] = true
			}
		}
	}
	for _, ar := range rep.Outcome.Assignments {
		as := ar.Assignment
		for _, cu := range names {
			n := strings.Count(as.Reason, string(cu))
			if w := want[key{as.Rep, as.Module}][cu]; w && n != 1 || !w && n != 0 {
				t.Fatalf("the reason of %s names %s %d times; want it named %v: %q", as.ID, cu, n, w, as.Reason)
			}
		}
		delete(want, key{as.Rep, as.Module})
	}
	for k := range want {
		t.Fatalf("no assignment of %s to %s, which curricula assign", k.module, k.rep)
	}
}

// FuzzEnumText checks UnmarshalText of the package's string enumerations
// and of Duration: unknown text wraps ErrInvalid with a ValidationError
// and leaves the value alone; known text validates, marshals, and its
// text decodes back to the same value.
func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"", "info", "critical", "rep", "data", "rep_product", "retrain", "done", "win_rate", "bonferroni", "24h", "-1h", "1e9h", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		check := func(v enumText, get func() string, validate func() error) {
			before := get()
			if err := v.UnmarshalText([]byte(text)); err != nil {
				var ve *sp.ValidationError
				if !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) {
					t.Fatalf("%T: error %v does not wrap ErrInvalid with a ValidationError", v, err)
				}
				if get() != before {
					t.Fatalf("%T: a failed UnmarshalText changed the value", v)
				}
				return
			}
			if validate != nil && text != "" {
				if err := validate(); err != nil {
					t.Fatalf("%T: %q decodes but does not validate: %v", v, text, err)
				}
			}
			out, err := v.MarshalText()
			if err != nil {
				t.Fatalf("%T: %q decodes but does not marshal: %v", v, text, err)
			}
			back := reflect.New(reflect.TypeOf(v).Elem()).Interface().(enumText)
			if err := back.UnmarshalText(out); err != nil {
				t.Fatalf("%T: %q marshals to %q, which does not decode: %v", v, text, out, err)
			}
			if !reflect.DeepEqual(reflect.ValueOf(back).Elem().Interface(), reflect.ValueOf(v).Elem().Interface()) {
				t.Fatalf("%T: %q does not round-trip through %q", v, text, out)
			}
		}
		sev := review.SeverityInfo
		check(&sev, func() string { return string(sev) }, func() error { return sev.Validate() })
		cause := review.CauseRep
		check(&cause, func() string { return string(cause) }, func() error { return cause.Validate() })
		kind := review.SubjectRep
		check(&kind, func() string { return string(kind) }, func() error { return kind.Validate() })
		ak := review.ActionCoach
		check(&ak, func() string { return string(ak) }, func() error { return ak.Validate() })
		st := review.StatusDone
		check(&st, func() string { return string(st) }, func() error { return st.Validate() })
		rk := review.RateWinRate
		check(&rk, func() string { return string(rk) }, func() error { return rk.Validate() })
		adj := review.AdjustBonferroni
		check(&adj, func() string { return string(adj) }, func() error { return adj.Validate() })
		d := review.Duration(time.Hour)
		check(&d, func() string { return d.String() }, nil)
	})
}

// enumText is what FuzzEnumText checks of each type.
type enumText interface {
	MarshalText() ([]byte, error)
	UnmarshalText([]byte) error
}

// FuzzParseReport decodes arbitrary documents as reports and as every
// type of the package with a JSON form (the rules document has
// FuzzParseRules): an error wraps ErrInvalid with a ValidationError and
// changes nothing; a value that decodes encodes to JSON that decodes and
// encodes to the same bytes; a report that parses writes JSON that parses
// back to the same bytes.
func FuzzParseReport(f *testing.F) {
	r, err := review.New(review.DefaultRules(), &review.Options{Clock: reviewClock()})
	require.NoError(f, err)
	rep, err := r.Review(context.Background(), fuzzInput([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}))
	require.NoError(f, err)
	var seed bytes.Buffer
	require.NoError(f, rep.WriteJSON(&seed))
	f.Add(seed.Bytes())
	seedReport := rep
	for _, s := range []string{`{"version": 1}`, `{"version": 1, "rules": {"version": 1}, "findings": [{"severity": "x"}]}`, `{"version": 2}`, `{"version": 1, "rules": {"version": 1}, "snapshot": {"rate": "conversion", "confidence": "0.9"}}`, `[`, "\fnull", "null\u0085"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		requireInvalid := func(what string, err error) {
			var ve *sp.ValidationError
			if !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) {
				t.Fatalf("%s: error %v does not wrap ErrInvalid with a ValidationError", what, err)
			}
		}
		for _, v := range []any{new(review.Subject), new(review.Finding), new(review.Action), new(review.Evidence), new(review.Snapshot),
			new(review.GoalRow), new(review.TeamRow), new(review.RepRow), new(review.RegionRow), new(review.ProductRow), new(review.CellRow),
			new(review.FollowUp), new(review.FeedbackFigures), new(review.LossSample), new(review.Outcome), new(review.AssignmentResult),
			new(review.GoalProposal), new(review.Diagnosis), new(review.ProductFeedback), new(review.Analysis), new(review.ProductSignal),
			new(review.MarketSignal), new(review.FollowUpSignal), new(review.ActionSettings), new(review.RuleSet), new(review.TargetMet),
			new(review.TargetMissed), new(review.ConversionBelowPeers), new(review.RepProductLag), new(review.SlowFollowUp),
			new(review.ProductLosses), new(review.ThinPipeline), new(review.Certification), new(review.FeedbackPileup),
			new(review.Changes), new(review.Recurrence), new(review.Resolution)} {
			if err := json.Unmarshal(data, v); err != nil {
				if json.Valid(data) {
					requireInvalid(fmt.Sprintf("%T", v), err)
				}
				if !reflect.ValueOf(v).Elem().IsZero() {
					t.Fatalf("%T: a failed decoding changed the value: %v", v, err)
				}
				continue
			}
			// What decodes encodes to a form that decodes and encodes
			// to the same bytes; only what JSON cannot carry (a time
			// beyond the year 9999) does not encode.
			once, err := json.Marshal(v)
			if err != nil {
				if !errors.Is(err, sp.ErrInvalid) {
					t.Fatalf("%T: encode what decoded: %v", v, err)
				}
				continue
			}
			w := reflect.New(reflect.TypeOf(v).Elem()).Interface()
			if err := json.Unmarshal(once, w); err != nil {
				t.Fatalf("%T: decode %s: %v", v, once, err)
			}
			if twice, err := json.Marshal(w); err != nil || !bytes.Equal(once, twice) {
				t.Fatalf("%T does not round-trip:\n%s\n%s (%v)", v, once, twice, err)
			}
		}
		rep, err := review.ParseReport(data)
		if err != nil {
			requireInvalid("report", err)
			// A refusal leaves the report it decodes into as it was.
			u := seedReport
			if u.UnmarshalJSON(data) == nil {
				t.Fatalf("ParseReport refused the document but UnmarshalJSON took it")
			}
			var b bytes.Buffer
			if err := u.WriteJSON(&b); err != nil || !bytes.Equal(b.Bytes(), seed.Bytes()) {
				t.Fatalf("a failed UnmarshalJSON changed the report: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("took %q, which is not JSON", data)
		}
		var a, b bytes.Buffer
		if err := rep.WriteJSON(&a); err != nil {
			// Only what JSON cannot carry: a time beyond the year 9999.
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("write a parsed report: %v", err)
			}
			return
		}
		back, err := review.ParseReport(a.Bytes())
		if err != nil {
			t.Fatalf("parse a written report: %v\n%s", err, a.Bytes())
		}
		if err := back.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("the report does not round-trip:\n%s\n%s", a.Bytes(), b.Bytes())
		}
		_ = back.Markdown(io.Discard)
		_ = back.Text(io.Discard)
		for _, row := range back.Snapshot.Reps {
			_ = back.Snapshot.Diagnose(review.RepSubject(row.Rep), back.Snapshot.Rate)
		}
	})
}
