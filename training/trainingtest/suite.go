package trainingtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// t0 is the base time of the fixtures.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func brief(p salesprocess.ProductID, v string, published time.Time) training.Brief {
	return training.Brief{
		Product: p, Version: training.MustParseVersion(v), Published: published,
		Pros:       []string{"fast"},
		Prohibited: []training.Claim{{Phrase: "guaranteed returns", Variants: []string{"returns guaranteed"}, Reason: "not allowed", Severity: training.SeverityCritical}},
		Channels:   []training.ChannelOverride{{Channel: "web", KeyMessages: []string{"order online"}}},
	}
}

// fullBrief is brief with every part set: cons, key messages,
// disclosures, objections, and a channel's claims, disclosures,
// objections and permitted claims.
func fullBrief(p salesprocess.ProductID, v string, published time.Time) training.Brief {
	b := brief(p, v, published)
	b.Changes = "first version"
	b.Cons = []string{"pricey"}
	b.KeyMessages = []string{"lasts for years"}
	b.Disclosures = []training.Disclosure{{Phrase: "prices exclude shipping", Reason: "law", Severity: training.SeverityWarning}}
	b.Objections = []training.Objection{{Objection: "too expensive", Answer: "it pays for itself"}}
	b.Channels[0].Prohibited = []training.Claim{{Phrase: "free delivery", Variants: []string{"delivery free"}, Reason: "not on the web", Severity: training.SeverityWarning}}
	b.Channels[0].Permitted = []string{"guaranteed returns"}
	b.Channels[0].Disclosures = []training.Disclosure{{Phrase: "cookies are used", Severity: training.SeverityInfo}}
	b.Channels[0].Objections = []training.Objection{{Objection: "no time", Answer: "order in a minute"}}
	return b
}

// scribbled is what scribble appends to the strings it changes.
const scribbled = " (scribbled)"

// scribble changes every exported string in v, a pointer, and in all that
// v's slices and pointers reach: what a store that kept or handed out the
// slices of the values it was given or returned would show.
func scribble(v any) {
	eachString(reflect.ValueOf(v).Elem(), func(s reflect.Value) bool {
		if s.CanSet() {
			s.SetString(s.String() + scribbled)
		}
		return false
	})
}

// showsScribbles reports whether an exported string in v, or in all that
// its slices and pointers reach, was changed by scribble.
func showsScribbles(v any) bool {
	return eachString(reflect.ValueOf(v), func(s reflect.Value) bool { return strings.HasSuffix(s.String(), scribbled) })
}

// eachString calls f with every exported string in v and in all that its
// slices and pointers reach, until f returns true, and reports whether it
// did.
func eachString(v reflect.Value, f func(reflect.Value) bool) bool {
	switch v.Kind() {
	case reflect.String:
		return f(v)
	case reflect.Pointer:
		return !v.IsNil() && eachString(v.Elem(), f)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && eachString(v.Field(i), f) {
				return true
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if eachString(v.Index(i), f) {
				return true
			}
		}
	}
	return false
}

func pilot(id training.PilotID, p salesprocess.ProductID) training.Pilot {
	return training.Pilot{
		ID: id, Product: p, Version: training.MustParseVersion("1.0"), Localities: []string{"Springfield", "Shelbyville"},
		Quantity: 100, Period: salesprocess.Month(2026, 3, nil),
		Criteria: training.Criteria{MinUnitsSold: 10, MinSellThrough: decimal.RequireFromString("0.5")},
		Issues:   []training.Issue{{ID: "I1", Title: "loose lid", Severity: training.SeverityWarning, Opened: t0}},
		Rev:      1,
	}
}

func feedback(id salesprocess.FeedbackID, p salesprocess.ProductID, at time.Time) salesprocess.Feedback {
	return salesprocess.Feedback{ID: id, Product: p, Rating: 4, Category: salesprocess.FeedbackQuality,
		Source: salesprocess.FromFieldTest, Locality: "Springfield", Time: at}
}

// all drains seq, failing t on an error.
func all[T any](t *testing.T, clause string, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("%s: listing failed: %v", clause, err)
		}
		out = append(out, v)
	}
	return out
}

func must(t *testing.T, clause string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", clause, err)
	}
}

func wantErr(t *testing.T, clause string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want one wrapping %v", clause, err, target)
	}
}

var ctx = context.Background()

func testBriefPutGet(t *testing.T, s view) {
	b := brief("p1", "1.0", t0)
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, b))
	got, err := s.GetBrief(ctx, "p1", b.Version)
	must(t, "GetBrief returns a stored version", err)
	if got.Version != b.Version || got.Product != b.Product || !got.Published.Equal(b.Published) ||
		len(got.Prohibited) != 1 || got.Prohibited[0].Variants[0] != "returns guaranteed" || len(got.Channels) != 1 {
		t.Errorf("GetBrief returns what AddBrief stored: got %+v, want %+v", got, b)
	}
}

func testBriefDuplicate(t *testing.T, s view) {
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, brief("p1", "1.0", t0)))
	must(t, "AddBrief stores another product's brief of the same version", s.AddBrief(ctx, brief("p2", "1.0", t0)))
	wantErr(t, "AddBrief of an existing product and version is ErrDuplicate", s.AddBrief(ctx, brief("p1", "1.0", t0.Add(time.Hour))), salesprocess.ErrDuplicate)
	got, err := s.GetBrief(ctx, "p1", training.MustParseVersion("1.0"))
	must(t, "GetBrief returns a stored version", err)
	if !got.Published.Equal(t0) {
		t.Errorf("a refused AddBrief changes nothing: published %v, want %v", got.Published, t0)
	}
}

func testBriefNotFound(t *testing.T, s view) {
	_, err := s.GetBrief(ctx, "p1", training.MustParseVersion("1.0"))
	wantErr(t, "GetBrief of a missing product is ErrNotFound", err, salesprocess.ErrNotFound)
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, brief("p1", "1.0", t0)))
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, brief("p1", "1.2", t0.Add(time.Hour))))
	_, err = s.GetBrief(ctx, "p1", training.MustParseVersion("1.1"))
	wantErr(t, "GetBrief of a missing version is ErrNotFound", err, salesprocess.ErrNotFound)
	for _, v := range []string{"1.0", "1.2"} {
		got, err := s.GetBrief(ctx, "p1", training.MustParseVersion(v))
		must(t, "GetBrief returns a stored version", err)
		if got.Version.String() != v {
			t.Errorf("GetBrief returns the version asked for: asked for %s, got %s", v, got.Version)
		}
	}
}

func testBriefAt(t *testing.T, s view) {
	// 1.2, a correction of the old major version, is published after 2.0:
	// it does not put 2.0 out of force.
	for _, b := range []training.Brief{
		brief("p1", "1.0", t0), brief("p1", "2.0", t0.Add(48*time.Hour)), brief("p1", "1.1", t0.Add(24*time.Hour)),
		brief("p1", "1.2", t0.Add(96*time.Hour)),
	} {
		must(t, "AddBrief stores a new version", s.AddBrief(ctx, b))
	}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{t0, "1.0"}, {t0.Add(24*time.Hour - 1), "1.0"}, {t0.Add(24 * time.Hour), "1.1"}, {t0.Add(72 * time.Hour), "2.0"},
		{t0.Add(120 * time.Hour), "2.0"},
	} {
		got, err := s.BriefAt(ctx, "p1", tc.at)
		must(t, "BriefAt finds the brief in force", err)
		if got.Version.String() != tc.want {
			t.Errorf("BriefAt returns the highest version published at or before the time: at %v got %s, want %s", tc.at, got.Version, tc.want)
		}
	}
	_, err := s.BriefAt(ctx, "p1", t0.Add(-time.Nanosecond))
	wantErr(t, "BriefAt before the first publication is ErrNotFound", err, salesprocess.ErrNotFound)
	// Times in other zones compare as instants, not as text: 17:00 in
	// UTC+9 is 08:00 UTC, before 1.0 of p1 was published; p2's 1.0,
	// published at 18:00 in UTC+9, is in force at 10:00 UTC.
	east := time.FixedZone("UTC+9", 9*60*60)
	_, err = s.BriefAt(ctx, "p1", t0.Add(-time.Hour).In(east))
	wantErr(t, "BriefAt compares instants, whatever the zones: before the first publication is ErrNotFound", err, salesprocess.ErrNotFound)
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, brief("p2", "1.0", t0.In(east))))
	if got, err := s.BriefAt(ctx, "p2", t0.Add(time.Hour)); err != nil || got.Version.String() != "1.0" {
		t.Errorf("BriefAt compares instants, whatever the zones: a brief published in another zone an hour before is in force; got %s (%v), want 1.0", got.Version, err)
	}
	_, err = s.BriefAt(ctx, "p9", t0)
	wantErr(t, "BriefAt of an unknown product is ErrNotFound", err, salesprocess.ErrNotFound)
}

// testBriefVersionAt checks a store that is a [training.BriefVersionSource]:
// BriefVersionAt gives the version of the brief BriefAt returns, and fails
// as BriefAt does.
func testBriefVersionAt(t *testing.T, s view) {
	vs, ok := s.BriefStore.(training.BriefVersionSource)
	if !ok {
		t.Skip("the store does not implement training.BriefVersionSource")
	}
	east := time.FixedZone("UTC+9", 9*60*60)
	for _, b := range []training.Brief{
		brief("p1", "1.0", t0), brief("p1", "2.0", t0.Add(48*time.Hour)), brief("p1", "1.1", t0.Add(24*time.Hour)),
		brief("p1", "1.2", t0.Add(96*time.Hour)), brief("p2", "1.0", t0.In(east)), brief("p2", "1.1", t0.Add(time.Hour)),
	} {
		must(t, "AddBrief stores a new version", s.AddBrief(ctx, b))
	}
	for _, p := range []salesprocess.ProductID{"p1", "p2", "p9"} {
		for _, at := range []time.Time{
			t0.Add(-time.Nanosecond), t0.Add(-time.Hour).In(east), t0, t0.Add(time.Hour - 1), t0.Add(time.Hour),
			t0.Add(24*time.Hour - 1), t0.Add(24 * time.Hour), t0.Add(72 * time.Hour), t0.Add(120 * time.Hour).In(east),
		} {
			b, errB := s.BriefAt(ctx, p, at)
			got, err := vs.BriefVersionAt(ctx, p, at)
			switch {
			case errors.Is(errB, salesprocess.ErrNotFound):
				wantErr(t, fmt.Sprintf("BriefVersionAt fails as BriefAt does: product %s at %v", p, at), err, salesprocess.ErrNotFound)
			case errB != nil:
				t.Fatalf("BriefAt finds the brief in force: %v", errB)
			case err != nil:
				t.Errorf("BriefVersionAt finds the brief BriefAt finds: product %s at %v: %v", p, at, err)
			case got != b.Version:
				t.Errorf("BriefVersionAt returns the version of the brief BriefAt returns: product %s at %v: got %s, want %s", p, at, got, b.Version)
			}
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := vs.BriefVersionAt(cctx, "p1", t0); !errors.Is(err, context.Canceled) {
		t.Errorf("BriefVersionAt with a cancelled context returns its error: got %v", err)
	}
}

func testBriefList(t *testing.T, s view) {
	for _, v := range []string{"2.0", "1.0", "1.10", "1.2"} {
		must(t, "AddBrief stores a new version", s.AddBrief(ctx, brief("p1", v, t0)))
	}
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, brief("p2", "9.0", t0)))
	var got []string
	for _, b := range all(t, "ListBriefs lists a product's versions", s.ListBriefs(ctx, "p1")) {
		got = append(got, b.Version.String())
	}
	if fmt.Sprint(got) != "[1.0 1.2 1.10 2.0]" {
		t.Errorf("ListBriefs lists one product's versions in version order: got %v, want [1.0 1.2 1.10 2.0]", got)
	}
	if n := len(all(t, "ListBriefs of an unknown product", s.ListBriefs(ctx, "p9"))); n != 0 {
		t.Errorf("ListBriefs of an unknown product is empty: got %d", n)
	}
	if n := len(all(t, "ListBriefs of the empty product", s.ListBriefs(ctx, ""))); n != 0 {
		t.Errorf("ListBriefs of the empty product, which names none, is empty: got %d", n)
	}
}

func testBriefCopied(t *testing.T, s view) {
	b := fullBrief("p1", "1.0", t0)
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, b))
	scribble(&b)
	got, err := s.GetBrief(ctx, "p1", b.Version)
	must(t, "GetBrief returns a stored version", err)
	if showsScribbles(got) {
		t.Errorf("AddBrief copies its argument, every part of it: the caller's later change showed through: %+v", got)
	}
	scribble(&got)
	again, err := s.BriefAt(ctx, "p1", t0)
	must(t, "BriefAt returns a stored version", err)
	if showsScribbles(again) {
		t.Errorf("GetBrief returns a copy, of every part: a change to the result showed through: %+v", again)
	}
	scribble(&again)
	for b, err := range s.ListBriefs(ctx, "p1") {
		if err != nil {
			t.Fatalf("ListBriefs of a stored product: %v", err)
		}
		if showsScribbles(b) {
			t.Errorf("BriefAt returns a copy, of every part: a change to the result showed through: %+v", b)
		}
		scribble(&b)
	}
	again, err = s.GetBrief(ctx, "p1", b.Version)
	must(t, "GetBrief returns a stored version", err)
	if showsScribbles(again) {
		t.Errorf("ListBriefs yields copies, of every part: a change to a listed brief showed through: %+v", again)
	}
}

func cert(rep salesprocess.RepID, p salesprocess.ProductID, ch salesprocess.ChannelID, expires time.Time) training.Certificate {
	return training.Certificate{Rep: rep, Product: p, Channel: ch, BriefVersion: training.MustParseVersion("1.0"), Issued: t0, Expires: expires}
}

func testCertReplace(t *testing.T, s view) {
	must(t, "PutCertificate stores", s.PutCertificate(ctx, cert("r1", "p1", "", t0.Add(time.Hour))))
	must(t, "PutCertificate stores", s.PutCertificate(ctx, cert("r1", "p1", "web", t0.Add(time.Hour))))
	must(t, "PutCertificate replaces", s.PutCertificate(ctx, cert("r1", "p1", "", t0.Add(2*time.Hour))))
	got := all(t, "ListCertificates lists", s.ListCertificates(ctx, training.CertificateFilter{Rep: "r1"}))
	if len(got) != 2 {
		t.Fatalf("PutCertificate keeps one certificate per rep, product and channel: got %d, want 2", len(got))
	}
	if got[0].Channel != "" || !got[0].Expires.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("PutCertificate replaces the certificate with the same key: got %+v", got[0])
	}
}

// testCertConcurrentReplace races puts of certificates with one rep,
// product and channel, as two certifications of one rep at once make:
// each replaces the one before, so one certificate stays, one of those
// put.
func testCertConcurrentReplace(t *testing.T, s view) {
	const n = 8
	errs := make([]error, n)
	together(n, func(i int) {
		errs[i] = s.PutCertificate(ctx, cert("r1", "p1", "", t0.Add(time.Duration(i+1)*time.Hour)))
	})
	for _, err := range errs {
		must(t, "concurrent PutCertificate calls with one key succeed", err)
	}
	got := all(t, "ListCertificates lists", s.ListCertificates(ctx, training.CertificateFilter{Rep: "r1"}))
	if len(got) != 1 {
		t.Fatalf("of concurrent PutCertificate calls with one key one certificate stays: got %d", len(got))
	}
	if h := got[0].Expires.Sub(t0); h < time.Hour || h > n*time.Hour || h%time.Hour != 0 {
		t.Errorf("of concurrent PutCertificate calls with one key one of those put stays: got %+v", got[0])
	}
}

func testCertFilter(t *testing.T, s view) {
	for _, c := range []training.Certificate{
		cert("r2", "p1", "", t0.Add(time.Hour)), cert("r1", "p2", "", t0.Add(time.Hour)),
		cert("r1", "p1", "web", t0.Add(time.Hour)), cert("r1", "p1", "", t0.Add(time.Hour)),
		// Byte-wise, "S1" comes before "r1"; with case ignored, after.
		cert("S1", "p1", "", t0.Add(time.Hour)),
	} {
		must(t, "PutCertificate stores", s.PutCertificate(ctx, c))
	}
	key := func(cs []training.Certificate) string {
		out := ""
		for _, c := range cs {
			out += fmt.Sprintf("%s/%s/%s ", c.Rep, c.Product, c.Channel)
		}
		return out
	}
	for _, tc := range []struct {
		f    training.CertificateFilter
		want string
	}{
		{training.CertificateFilter{}, "S1/p1/ r1/p1/ r1/p1/web r1/p2/ r2/p1/ "},
		{training.CertificateFilter{Rep: "r1"}, "r1/p1/ r1/p1/web r1/p2/ "},
		{training.CertificateFilter{Product: "p1"}, "S1/p1/ r1/p1/ r1/p1/web r2/p1/ "},
		{training.CertificateFilter{Rep: "r1", Product: "p2"}, "r1/p2/ "},
		{training.CertificateFilter{Rep: "r9"}, ""},
	} {
		if got := key(all(t, "ListCertificates lists", s.ListCertificates(ctx, tc.f))); got != tc.want {
			t.Errorf("ListCertificates selects by the filter and orders by rep, product, channel, byte-wise: filter %+v got %q, want %q", tc.f, got, tc.want)
		}
	}
}

func testCertExpiring(t *testing.T, s view) {
	window, err := salesprocess.NewPeriod(t0.Add(time.Hour), t0.Add(3*time.Hour))
	must(t, "fixture", err)
	for i, exp := range []time.Duration{time.Hour - 1, time.Hour, 2 * time.Hour, 3*time.Hour - 1, 3 * time.Hour} {
		must(t, "PutCertificate stores", s.PutCertificate(ctx, cert(salesprocess.RepID(fmt.Sprintf("r%d", i)), "p1", "", t0.Add(exp))))
	}
	var got []salesprocess.RepID
	for _, c := range all(t, "ListCertificates lists", s.ListCertificates(ctx, training.CertificateFilter{Expiring: window})) {
		got = append(got, c.Rep)
	}
	if fmt.Sprint(got) != "[r1 r2 r3]" {
		t.Errorf("ListCertificates with Expiring selects expiries in [start, end): got %v, want [r1 r2 r3]", got)
	}
	// The same window in a zone nine hours ahead: the instants decide,
	// not the wall clock.
	east := time.FixedZone("UTC+9", 9*60*60)
	window, err = salesprocess.NewPeriod(window.Start().In(east), window.End().In(east))
	must(t, "fixture", err)
	got = nil
	for _, c := range all(t, "ListCertificates lists", s.ListCertificates(ctx, training.CertificateFilter{Expiring: window})) {
		got = append(got, c.Rep)
	}
	if fmt.Sprint(got) != "[r1 r2 r3]" {
		t.Errorf("ListCertificates with Expiring in another zone selects expiries in [start, end) by instants: got %v, want [r1 r2 r3]", got)
	}
	// With a rep or a product too: both must hold.
	for _, tc := range []struct {
		f    training.CertificateFilter
		want string
	}{
		{training.CertificateFilter{Rep: "r2", Expiring: window}, "[r2]"},
		{training.CertificateFilter{Rep: "r0", Expiring: window}, "[]"},
		{training.CertificateFilter{Product: "p1", Expiring: window}, "[r1 r2 r3]"},
		{training.CertificateFilter{Product: "p9", Expiring: window}, "[]"},
		{training.CertificateFilter{Rep: "r3", Product: "p1", Expiring: window}, "[r3]"},
	} {
		got = nil
		for _, c := range all(t, "ListCertificates lists", s.ListCertificates(ctx, tc.f)) {
			got = append(got, c.Rep)
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("ListCertificates with Expiring and a rep or product selects what matches both: filter %+v got %v, want %v", tc.f, got, tc.want)
		}
	}
}

func attempt(id training.AttemptID, rep salesprocess.RepID, m training.ModuleID, at time.Time) training.Attempt {
	return training.Attempt{ID: id, Rep: rep, Module: m, Score: 7, Passed: true, Time: at, BriefVersion: training.MustParseVersion("1.0")}
}

func testAttempts(t *testing.T, s view) {
	for _, a := range []training.Attempt{
		attempt("a0", "r1", "m1", t0.Add(time.Hour)), attempt("a2", "r1", "m1", t0), attempt("a1", "r1", "m1", t0),
		attempt("a4", "r1", "m2", t0), attempt("a5", "r2", "m1", t0),
		// Byte order puts "A9" first: a collation that ignores case puts
		// it after "a2".
		attempt("A9", "r1", "m1", t0),
	} {
		must(t, "AddAttempt stores", s.AddAttempt(ctx, a))
	}
	var got []training.AttemptID
	for _, a := range all(t, "ListAttempts lists", s.ListAttempts(ctx, "r1", "m1")) {
		got = append(got, a.ID)
	}
	if fmt.Sprint(got) != "[A9 a1 a2 a0]" {
		t.Errorf("ListAttempts lists one rep's attempts at one module by time, then ID, in byte order: got %v, want [A9 a1 a2 a0]", got)
	}
	a := all(t, "ListAttempts lists", s.ListAttempts(ctx, "r2", "m1"))
	if len(a) != 1 {
		t.Errorf("ListAttempts returns what AddAttempt stored: got %+v", a)
	} else if ok, diff := same(normAttempt, attempt("a5", "r2", "m1", t0), a[0]); !ok {
		t.Errorf("ListAttempts returns what AddAttempt stored:%s", diff)
	}
}

func testAttemptDuplicate(t *testing.T, s view) {
	must(t, "AddAttempt stores", s.AddAttempt(ctx, attempt("a1", "r1", "m1", t0)))
	wantErr(t, "AddAttempt of an existing ID is ErrDuplicate", s.AddAttempt(ctx, attempt("a1", "r2", "m2", t0)), salesprocess.ErrDuplicate)
	if n := len(all(t, "ListAttempts lists", s.ListAttempts(ctx, "r2", "m2"))); n != 0 {
		t.Errorf("a refused AddAttempt changes nothing: found %d attempts", n)
	}
}

func assignment(id training.AssignmentID, rep salesprocess.RepID, due time.Time) training.Assignment {
	return training.Assignment{ID: id, Rep: rep, Module: "m1", Due: due, Reason: "lagging", Assigned: t0}
}

func testAssignments(t *testing.T, s view) {
	for _, a := range []training.Assignment{
		assignment("x3", "r1", t0.Add(48*time.Hour)), assignment("x2", "r1", t0.Add(24*time.Hour)),
		assignment("x1", "r2", t0.Add(24*time.Hour)), assignment("x0", "r1", t0.Add(48*time.Hour)),
	} {
		must(t, "AddAssignment stores", s.AddAssignment(ctx, a))
	}
	ids := func(as []training.Assignment) string {
		var out []training.AssignmentID
		for _, a := range as {
			out = append(out, a.ID)
		}
		return fmt.Sprint(out)
	}
	if got := ids(all(t, "ListAssignments lists", s.ListAssignments(ctx, "r1"))); got != "[x2 x0 x3]" {
		t.Errorf("ListAssignments lists one rep's assignments by due time, then ID: got %v, want [x2 x0 x3]", got)
	}
	if got := ids(all(t, "ListAssignments lists", s.ListAssignments(ctx, ""))); got != "[x1 x2 x0 x3]" {
		t.Errorf("ListAssignments of the empty rep lists every rep's: got %v, want [x1 x2 x0 x3]", got)
	}
	got := all(t, "ListAssignments lists", s.ListAssignments(ctx, "r2"))
	if len(got) != 1 {
		t.Errorf("ListAssignments returns what AddAssignment stored: got %+v", got)
	} else if ok, diff := same(normAssignment, assignment("x1", "r2", t0.Add(24*time.Hour)), got[0]); !ok {
		t.Errorf("ListAssignments returns what AddAssignment stored:%s", diff)
	}
}

func testAssignmentDuplicate(t *testing.T, s view) {
	must(t, "AddAssignment stores", s.AddAssignment(ctx, assignment("x1", "r1", t0.Add(time.Hour))))
	wantErr(t, "AddAssignment of an existing ID is ErrDuplicate", s.AddAssignment(ctx, assignment("x1", "r2", t0.Add(time.Hour))), salesprocess.ErrDuplicate)
	if n := len(all(t, "ListAssignments lists", s.ListAssignments(ctx, "r2"))); n != 0 {
		t.Errorf("a refused AddAssignment changes nothing: found %d", n)
	}
}

func testPilotCreateGet(t *testing.T, s view) {
	p := pilot("f1", "p1")
	p.Rev = 7
	must(t, "CreatePilot stores", s.CreatePilot(ctx, p))
	got, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	if got.Rev != 7 {
		t.Errorf("CreatePilot stores the pilot as given, Rev included: got Rev %d, want 7", got.Rev)
	}
	if got.Product != "p1" || len(got.Localities) != 2 || len(got.Issues) != 1 || !got.Period.Equal(p.Period) ||
		!got.Criteria.MinSellThrough.Equal(p.Criteria.MinSellThrough) || got.Quantity != 100 {
		t.Errorf("GetPilot returns what CreatePilot stored: got %+v", got)
	}
	q := pilot("f2", "p1")
	q.Rev = 0
	must(t, "CreatePilot stores", s.CreatePilot(ctx, q))
	if got, err := s.GetPilot(ctx, "f2"); err != nil || got.Rev != 0 {
		t.Errorf("CreatePilot stores the pilot as given, Rev included: got Rev %d (%v), want 0", got.Rev, err)
	}
	_, err = s.GetPilot(ctx, "f9")
	wantErr(t, "GetPilot of a missing ID is ErrNotFound", err, salesprocess.ErrNotFound)
}

func testPilotDuplicate(t *testing.T, s view) {
	must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot("f1", "p1")))
	wantErr(t, "CreatePilot of an existing ID is ErrDuplicate", s.CreatePilot(ctx, pilot("f1", "p2")), salesprocess.ErrDuplicate)
	got, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	if got.Product != "p1" {
		t.Errorf("a refused CreatePilot changes nothing: product %s", got.Product)
	}
}

func testPilotUpdate(t *testing.T, s view) {
	must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot("f1", "p1")))
	p, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	p.Quantity, p.Rev = 50, 2
	must(t, "UpdatePilot at the stored Rev succeeds", s.UpdatePilot(ctx, p, 1))
	got, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	if got.Rev != 2 || got.Quantity != 50 {
		t.Errorf("UpdatePilot stores the pilot as given: got rev %d quantity %d, want 2 and 50", got.Rev, got.Quantity)
	}
	got.Quantity, got.Rev = 40, 3
	must(t, "UpdatePilot at the stored Rev succeeds", s.UpdatePilot(ctx, got, 2))
	again, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	if again.Rev != 3 || again.Quantity != 40 {
		t.Errorf("UpdatePilot stores the pilot as given: got rev %d quantity %d, want 3 and 40", again.Rev, again.Quantity)
	}
	// A pilot created at a later revision updates from that revision.
	late := pilot("f2", "p1")
	late.Rev = 9
	must(t, "CreatePilot stores", s.CreatePilot(ctx, late))
	late.Quantity, late.Rev = 30, 10
	must(t, "UpdatePilot at the stored Rev succeeds", s.UpdatePilot(ctx, late, 9))
	if got, err := s.GetPilot(ctx, "f2"); err != nil || got.Rev != 10 || got.Quantity != 30 {
		t.Errorf("UpdatePilot stores the pilot as given: got rev %d quantity %d (%v), want 10 and 30", got.Rev, got.Quantity, err)
	}
}

func testPilotConflict(t *testing.T, s view) {
	must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot("f1", "p1")))
	p, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	stale := p.Clone()
	p.Quantity, p.Rev = 50, 2
	must(t, "UpdatePilot at the stored Rev succeeds", s.UpdatePilot(ctx, p, 1))
	stale.Quantity, stale.Rev = 10, 2
	wantErr(t, "UpdatePilot at a stale expected Rev is ErrConflict", s.UpdatePilot(ctx, stale, 1), salesprocess.ErrConflict)
	stale.Rev = 6
	wantErr(t, "UpdatePilot at a future expected Rev is ErrConflict", s.UpdatePilot(ctx, stale, 5), salesprocess.ErrConflict)
	got, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	if got.Quantity != 50 || got.Rev != 2 {
		t.Errorf("a refused UpdatePilot changes nothing: quantity %d rev %d, want 50 and 2", got.Quantity, got.Rev)
	}
}

func testPilotUpdateInvalid(t *testing.T, s view) {
	must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot("f1", "p1")))
	p, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	p.Quantity = 50
	for _, rev := range []int64{1, 3, 0, -1, math.MaxInt64} {
		p.Rev = rev
		wantErr(t, fmt.Sprintf("UpdatePilot at the stored Rev 1 storing Rev %d, not 2, is ErrInvalid", rev), s.UpdatePilot(ctx, p, 1), salesprocess.ErrInvalid)
	}
	top := pilot("f2", "p1")
	top.Rev = math.MaxInt64
	must(t, "CreatePilot stores", s.CreatePilot(ctx, top))
	for _, rev := range []int64{math.MinInt64, math.MaxInt64, 0} {
		q := top.Clone()
		q.Quantity, q.Rev = 50, rev
		wantErr(t, fmt.Sprintf("UpdatePilot from Rev math.MaxInt64, which no revision follows, storing Rev %d is ErrInvalid", rev), s.UpdatePilot(ctx, q, math.MaxInt64), salesprocess.ErrInvalid)
	}
	for _, id := range []training.PilotID{"f1", "f2"} {
		got, err := s.GetPilot(ctx, id)
		must(t, "GetPilot returns a stored pilot", err)
		if got.Quantity != 100 {
			t.Errorf("a refused UpdatePilot changes nothing: pilot %s quantity %d rev %d, want 100", id, got.Quantity, got.Rev)
		}
	}
}

func testPilotUpdateMissing(t *testing.T, s view) {
	p := pilot("f1", "p1")
	p.Rev = 2
	wantErr(t, "UpdatePilot of a missing pilot is ErrNotFound", s.UpdatePilot(ctx, p, 1), salesprocess.ErrNotFound)
	_, err := s.GetPilot(ctx, "f1")
	wantErr(t, "a refused UpdatePilot creates nothing", err, salesprocess.ErrNotFound)
	for _, product := range []salesprocess.ProductID{"", "p1"} {
		if n := len(all(t, "ListPilots lists", s.ListPilots(ctx, product))); n != 0 {
			t.Errorf("a refused UpdatePilot creates nothing: ListPilots(%q) lists %d pilots", product, n)
		}
	}
}

func testPilotList(t *testing.T, s view) {
	// Byte order puts "F9" first: a collation that ignores case puts it
	// last.
	for _, p := range []training.Pilot{pilot("f3", "p1"), pilot("f1", "p1"), pilot("f2", "p2"), pilot("F9", "p1")} {
		must(t, "CreatePilot stores", s.CreatePilot(ctx, p))
	}
	ids := func(ps []training.Pilot) string {
		var out []training.PilotID
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return fmt.Sprint(out)
	}
	if got := ids(all(t, "ListPilots lists", s.ListPilots(ctx, "p1"))); got != "[F9 f1 f3]" {
		t.Errorf("ListPilots lists one product's pilots by ID, in byte order: got %v, want [F9 f1 f3]", got)
	}
	if got := ids(all(t, "ListPilots lists", s.ListPilots(ctx, ""))); got != "[F9 f1 f2 f3]" {
		t.Errorf("ListPilots of the empty product lists all by ID, in byte order: got %v, want [F9 f1 f2 f3]", got)
	}
}

func testPilotCopied(t *testing.T, s view) {
	// stored returns the stored pilot, failing t with the clause when a
	// scribble shows through.
	stored := func(clause string) training.Pilot {
		t.Helper()
		got, err := s.GetPilot(ctx, "f1")
		must(t, "GetPilot returns a stored pilot", err)
		if showsScribbles(got) {
			t.Errorf("%s: %+v", clause, got)
		}
		return got
	}
	p := pilot("f1", "p1")
	p.Improvements = []training.Improvement{{Version: training.MustParseVersion("1.1"), Summary: "tighter lid", Resolves: []training.IssueID{"I1"}, Time: t0}}
	must(t, "CreatePilot stores", s.CreatePilot(ctx, p))
	scribble(&p)
	got := stored("CreatePilot copies its argument, every part of it: a later change showed through")
	scribble(&got)
	next := stored("GetPilot returns a copy, of every part: a change to the result showed through")
	next.Improvements = append(next.Improvements, training.Improvement{Version: training.MustParseVersion("1.2"), Summary: "new seal", Resolves: []training.IssueID{"I1"}, Time: t0})
	next.Rev = 2
	must(t, "UpdatePilot at the stored Rev succeeds", s.UpdatePilot(ctx, next, 1))
	scribble(&next)
	for p, err := range s.ListPilots(ctx, "p1") {
		if err != nil {
			t.Fatalf("ListPilots of a stored product: %v", err)
		}
		if showsScribbles(p) {
			t.Errorf("UpdatePilot copies its argument, every part of it: a later change showed through: %+v", p)
		}
		scribble(&p)
	}
	last := stored("ListPilots yields copies, of every part: a change to a listed pilot showed through")
	if len(last.Improvements) != 2 || last.Improvements[1].Resolves[0] != "I1" {
		t.Errorf("UpdatePilot replaces the pilot: got %+v", last)
	}
}

func testPilotConcurrent(t *testing.T, s view) {
	must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot("f1", "p1")))
	p, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	won := race(t, func(i int) error {
		// A read among the writes, which must not fail.
		if _, err := s.GetPilot(ctx, "f1"); err != nil {
			return fmt.Errorf("GetPilot among concurrent updates: %w", err)
		}
		q := p.Clone()
		q.Quantity, q.Rev = int64(i+1), p.Rev+1
		return s.UpdatePilot(ctx, q, p.Rev)
	}, salesprocess.ErrConflict, "UpdatePilot that loses a race is ErrConflict")
	if won != 1 {
		t.Errorf("of concurrent UpdatePilot calls with the same expected Rev exactly one wins: %d won", won)
	}
	got, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	if got.Rev != 2 {
		t.Errorf("of concurrent UpdatePilot calls with the same expected Rev exactly one is stored: rev %d, want 2", got.Rev)
	}
}

func sale(id training.SaleID, f training.PilotID, at time.Time) training.Sale {
	return training.Sale{ID: id, Pilot: f, Locality: "Springfield", Units: 3, Time: at}
}

func testSales(t *testing.T, s view) {
	for _, x := range []training.Sale{sale("s0", "f1", t0.Add(time.Hour)), sale("s2", "f1", t0), sale("s1", "f1", t0), sale("s4", "f2", t0)} {
		must(t, "AddSale stores", s.AddSale(ctx, x))
	}
	var got []training.SaleID
	for _, x := range all(t, "ListSales lists", s.ListSales(ctx, "f1")) {
		got = append(got, x.ID)
	}
	if fmt.Sprint(got) != "[s1 s2 s0]" {
		t.Errorf("ListSales lists one pilot's sales by time, then ID: got %v, want [s1 s2 s0]", got)
	}
	x := all(t, "ListSales lists", s.ListSales(ctx, "f2"))
	if len(x) != 1 || x[0].Units != 3 || x[0].Locality != "Springfield" || !x[0].Time.Equal(t0) {
		t.Errorf("ListSales returns what AddSale stored: got %+v", x)
	}
	if n := len(all(t, "ListSales of the empty pilot", s.ListSales(ctx, ""))); n != 0 {
		t.Errorf("ListSales of the empty pilot, which names none, is empty: got %d", n)
	}
}

func testSaleDuplicate(t *testing.T, s view) {
	must(t, "AddSale stores", s.AddSale(ctx, sale("s1", "f1", t0)))
	wantErr(t, "AddSale of an existing ID is ErrDuplicate", s.AddSale(ctx, sale("s1", "f2", t0)), salesprocess.ErrDuplicate)
	if n := len(all(t, "ListSales lists", s.ListSales(ctx, "f2"))); n != 0 {
		t.Errorf("a refused AddSale changes nothing: found %d", n)
	}
}

// limited returns s as a [training.LimitedSaleStore], skipping the test
// when it is not one.
func limited(t *testing.T, s view) training.LimitedSaleStore {
	t.Helper()
	ls, ok := s.SaleStore.(training.LimitedSaleStore)
	if !ok {
		t.Skip("the store does not implement training.LimitedSaleStore")
	}
	if s.PilotStore == nil {
		t.Skip("the store does not implement training.PilotStore, whose pilots AddSaleWithin counts the sales of")
	}
	return ls
}

// units returns a sale of pilot f with n units.
func units(id training.SaleID, f training.PilotID, n int64) training.Sale {
	x := sale(id, f, t0)
	x.Units = n
	return x
}

// testSaleWithin checks AddSaleWithin of a [training.LimitedSaleStore]:
// the limit and its exact boundary, the sales AddSale stored, duplicates
// of the pilot and of another pilot, an unknown pilot, stored sales of
// negative units, sums beyond int64 either way or only on the way, and a
// cancelled context.
func testSaleWithin(t *testing.T, s view) {
	ls := limited(t, s)
	for _, id := range []training.PilotID{"f1", "f2", "f3", "f4", "f5", "f6", "f7"} {
		must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot(id, "p1")))
	}
	type want struct {
		sold  int64
		added bool
		err   error
	}
	step := func(clause string, x training.Sale, limit int64, w want) {
		t.Helper()
		sold, added, err := ls.AddSaleWithin(ctx, x, limit)
		switch {
		case w.err != nil:
			wantErr(t, clause, err, w.err)
			if sold != 0 || added {
				t.Errorf("%s: an error returns sold 0 and false: got %d, %v", clause, sold, added)
			}
		case err != nil:
			t.Errorf("%s: %v", clause, err)
		case sold != w.sold || added != w.added:
			t.Errorf("%s: got sold %d, added %v; want %d, %v", clause, sold, added, w.sold, w.added)
		}
	}
	step("AddSaleWithin stores a sale within the limit", units("s1", "f1", 3), 10, want{0, true, nil})
	step("AddSaleWithin stores a sale that takes the units up to the limit exactly", units("s2", "f1", 7), 10, want{3, true, nil})
	step("AddSaleWithin refuses a sale one unit beyond the limit, returning the units sold", units("s3", "f1", 1), 10, want{10, false, nil})
	step("AddSaleWithin of an ID stored for the pilot is ErrDuplicate, even beyond the limit", units("s2", "f1", 7), 10, want{err: salesprocess.ErrDuplicate})
	step("AddSaleWithin of an ID stored for the pilot is ErrDuplicate within the limit", units("s1", "f1", 1), 100, want{err: salesprocess.ErrDuplicate})
	must(t, "AddSale stores", s.AddSale(ctx, units("s9", "f2", 3)))
	step("AddSaleWithin counts the sales AddSale stored", units("s4", "f2", 2), 4, want{3, false, nil})
	step("AddSaleWithin refuses a sale beyond the limit whose ID is stored for another pilot", units("s9", "f1", 1), 10, want{10, false, nil})
	step("AddSaleWithin of an ID stored for another pilot is ErrDuplicate within the limit", units("s9", "f1", 1), 20, want{err: salesprocess.ErrDuplicate})
	step("AddSaleWithin with a limit below the units sold refuses", units("s4", "f2", 1), 0, want{3, false, nil})
	step("AddSaleWithin stores a sale within the limit after refusals", units("s4", "f2", 1), 4, want{3, true, nil})
	step("AddSaleWithin sees the sales it stored", units("s5", "f1", 5), 15, want{10, true, nil})
	step("AddSaleWithin of a pilot not stored is ErrNotFound", units("s6", "f9", 1), 10, want{err: salesprocess.ErrNotFound})
	if n := len(all(t, "ListSales lists", s.ListSales(ctx, "f9"))); n != 0 {
		t.Errorf("AddSaleWithin of a pilot not stored stores nothing: found %d sales", n)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if sold, added, err := ls.AddSaleWithin(cctx, units("s7", "f1", 1), 100); !errors.Is(err, context.Canceled) || sold != 0 || added {
		t.Errorf("AddSaleWithin with a cancelled context returns its error: got %d, %v, %v", sold, added, err)
	}
	got := map[training.SaleID]int64{}
	for _, x := range all(t, "ListSales lists", s.ListSales(ctx, "f1")) {
		got[x.ID] = x.Units
	}
	if fmt.Sprint(got) != "map[s1:3 s2:7 s5:5]" {
		t.Errorf("AddSaleWithin stores the sales it adds and no other: sales of f1 %v, want map[s1:3 s2:7 s5:5]", got)
	}
	if n := len(all(t, "ListSales lists", s.ListSales(ctx, "f2"))); n != 2 {
		t.Errorf("AddSaleWithin stores the sales it adds and no other: %d sales of f2, want 2", n)
	}
	x := units("s8", "f4", 2)
	amount, err := salesprocess.ParseMoney("19.90 EUR")
	must(t, "ParseMoney parses", err)
	x.Amount, x.Customer = amount, "c1"
	step("AddSaleWithin stores a sale with every field", x, 100, want{0, true, nil})
	if back := all(t, "ListSales lists", s.ListSales(ctx, "f4")); len(back) != 1 {
		t.Errorf("AddSaleWithin stores the sale: got %d sales", len(back))
	} else if ok, diff := same(normSale, x, back[0]); !ok {
		t.Errorf("AddSaleWithin stores the sale whole: %s", diff)
	}

	// Units added up beyond int64 stop at its largest value; a sum
	// within it is exact.
	for _, id := range []training.SaleID{"h1", "h2"} {
		must(t, "AddSale stores", s.AddSale(ctx, units(id, "f3", math.MaxInt64)))
	}
	step("AddSaleWithin adds up the units sold without wrapping around", units("s10", "f3", 1), math.MaxInt64, want{math.MaxInt64, false, nil})
	must(t, "AddSale stores", s.AddSale(ctx, units("h3", "f4", math.MaxInt64-7)))
	step("AddSaleWithin adds up large units exactly", units("s11", "f4", 5), math.MaxInt64, want{math.MaxInt64 - 5, true, nil})
	step("AddSaleWithin adds up large units exactly, to the last unit", units("s12", "f4", 1), math.MaxInt64, want{math.MaxInt64, false, nil})

	// A store takes sales unvalidated: the units of a stored sale may be
	// negative, and count as they are; added up below int64 they stop at
	// its least value.
	for _, x := range []training.Sale{units("n1", "f5", 5), units("n2", "f5", -3), units("n3", "f6", math.MinInt64), units("n4", "f6", -1)} {
		must(t, "AddSale stores", s.AddSale(ctx, x))
	}
	step("AddSaleWithin counts a stored sale of negative units as it is", units("s13", "f5", 5), 6, want{2, false, nil})
	step("AddSaleWithin counts a stored sale of negative units as it is, to the limit exactly", units("s13", "f5", 4), 6, want{2, true, nil})
	step("AddSaleWithin adds up negative units without wrapping around", units("s14", "f6", 1), math.MinInt64, want{math.MinInt64, false, nil})
	step("AddSaleWithin adds up negative units beyond int64 to its least value", units("s14", "f6", 1), math.MinInt64+1, want{math.MinInt64, true, nil})

	// The sum is exact, whatever the order: a partial sum beyond int64
	// that later sales bring back does not stop at the bound.
	for _, x := range []training.Sale{units("m1", "f7", math.MaxInt64), units("m2", "f7", 10), units("m3", "f7", -math.MaxInt64)} {
		must(t, "AddSale stores", s.AddSale(ctx, x))
	}
	step("AddSaleWithin adds up exactly a sum that passes int64 on the way", units("s15", "f7", 1), 100, want{10, true, nil})
}

// testSaleWithinConcurrent races 16 goroutines adding sales of one pilot
// by AddSaleWithin: the units stored never pass the limit, every sale
// added is stored, every sale refused is not, and the calls answer as
// they would one after the other.
func testSaleWithinConcurrent(t *testing.T, s view) {
	ls := limited(t, s)
	must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot("f1", "p1")))
	const (
		workers = 16
		each    = 4
		limit   = 100 // 33 sales of 3 units fit; 64 are tried
	)
	type result struct {
		sold  int64
		added bool
		err   error
	}
	results := make([]result, workers*each)
	together(workers, func(w int) {
		for i := range each {
			k := w*each + i
			sold, added, err := ls.AddSaleWithin(ctx, sale(training.SaleID(fmt.Sprint("s", k)), "f1", t0), limit)
			results[k] = result{sold, added, err}
		}
	})
	var added []int64
	want := map[training.SaleID]bool{}
	for k, r := range results {
		switch {
		case r.err != nil:
			t.Errorf("concurrent AddSaleWithin calls of distinct sales succeed or refuse: sale s%d: %v", k, r.err)
		case r.added:
			added = append(added, r.sold)
			want[training.SaleID(fmt.Sprint("s", k))] = true
		case r.sold+3 <= limit:
			t.Errorf("AddSaleWithin refuses a sale only beyond the limit: sale s%d refused with %d units sold", k, r.sold)
		}
	}
	stored := 0
	var total int64
	for _, x := range all(t, "ListSales lists", s.ListSales(ctx, "f1")) {
		stored++
		total += x.Units
		if !want[x.ID] {
			t.Errorf("concurrent AddSaleWithin calls store only the sales they add: %s is stored", x.ID)
		}
	}
	if total > limit {
		t.Errorf("concurrent AddSaleWithin calls never pass the limit: %d units stored, limit %d", total, limit)
	}
	if stored != len(want) || len(want) != limit/3 {
		t.Errorf("concurrent AddSaleWithin calls store every sale they add, and add while the limit allows: %d added, %d stored, want %d", len(want), stored, limit/3)
	}
	slices.Sort(added)
	for i, sold := range added {
		if sold != int64(3*i) {
			t.Errorf("concurrent AddSaleWithin calls each see the sales added before them: the units sold before the added sales are %v, want 0, 3, 6, ...", added)
			break
		}
	}
}

func testFeedback(t *testing.T, s view) {
	for _, f := range []salesprocess.Feedback{
		feedback("b0", "p1", t0.Add(time.Hour)), feedback("b2", "p1", t0), feedback("b1", "p1", t0), feedback("b4", "p2", t0),
	} {
		must(t, "AddFeedback stores", s.AddFeedback(ctx, f))
	}
	var got []salesprocess.FeedbackID
	for _, f := range all(t, "ListFeedback lists", s.ListFeedback(ctx, "p1")) {
		got = append(got, f.ID)
	}
	if fmt.Sprint(got) != "[b1 b2 b0]" {
		t.Errorf("ListFeedback lists one product's feedback by time, then ID: got %v, want [b1 b2 b0]", got)
	}
	f := all(t, "ListFeedback lists", s.ListFeedback(ctx, "p2"))
	if len(f) != 1 || f[0].Rating != 4 || f[0].Locality != "Springfield" || f[0].Source != salesprocess.FromFieldTest || !f[0].Time.Equal(t0) {
		t.Errorf("ListFeedback returns what AddFeedback stored: got %+v", f)
	}
	if n := len(all(t, "ListFeedback of the empty product", s.ListFeedback(ctx, ""))); n != 0 {
		t.Errorf("ListFeedback of the empty product, which names none, is empty: got %d", n)
	}
}

func testFeedbackDuplicate(t *testing.T, s view) {
	must(t, "AddFeedback stores", s.AddFeedback(ctx, feedback("b1", "p1", t0)))
	wantErr(t, "AddFeedback of an existing ID is ErrDuplicate", s.AddFeedback(ctx, feedback("b1", "p2", t0)), salesprocess.ErrDuplicate)
	if n := len(all(t, "ListFeedback lists", s.ListFeedback(ctx, "p2"))); n != 0 {
		t.Errorf("a refused AddFeedback changes nothing: found %d", n)
	}
}

// together runs f(0) to f(n-1) in n goroutines released at once, so that
// they overlap rather than start one by one as they are launched, and
// waits for them all.
func together(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f(i)
		}()
	}
	close(start)
	wg.Wait()
}

// race runs racers calls of fn at once, each with its number, and returns
// how many succeeded; a call that fails otherwise than with loser breaks
// the rule in words.
func race(t *testing.T, fn func(i int) error, loser error, rule string) int {
	t.Helper()
	const racers = 8
	errs := make([]error, racers)
	together(racers, func(i int) { errs[i] = fn(i) })
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, loser):
			t.Errorf("%s: got %v", rule, err)
		}
	}
	return won
}

// expiring is a period that holds the expiries of the certificates
// fillCertificates puts.
var expiring = func() salesprocess.Period {
	p, err := salesprocess.NewPeriod(t0, t0.Add(3*time.Hour))
	if err != nil {
		panic(err) // fixed bounds, start before end
	}
	return p
}()

// The fill functions put two records for each listing of their part to
// yield, in each of its forms: two briefs of product p1; two certificates
// of rep r1, two of product p1 and two expiring in [expiring]; two
// attempts of rep r1 at module m1; two assignments of rep r1; two pilots
// of product p1; two sales of pilot f1; two pieces of feedback about
// product p1.

func fillBriefs(t *testing.T, s view) {
	t.Helper()
	for i := range 2 {
		must(t, "AddBrief stores a new version", s.AddBrief(ctx, brief("p1", fmt.Sprint("1.", i), t0.Add(time.Duration(i)*time.Hour))))
	}
}

func fillCertificates(t *testing.T, s view) {
	t.Helper()
	must(t, "PutCertificate stores", s.PutCertificate(ctx, cert("r1", "p2", "", t0.Add(time.Hour))))
	for i := range 2 {
		at := t0.Add(time.Duration(i) * time.Hour)
		must(t, "PutCertificate stores", s.PutCertificate(ctx, cert(salesprocess.RepID(fmt.Sprint("r", i)), "p1", "", at.Add(time.Hour))))
	}
}

func fillAttempts(t *testing.T, s view) {
	t.Helper()
	for i := range 2 {
		must(t, "AddAttempt stores", s.AddAttempt(ctx, attempt(training.AttemptID(fmt.Sprint("a", i)), "r1", "m1", t0.Add(time.Duration(i)*time.Hour))))
	}
}

func fillAssignments(t *testing.T, s view) {
	t.Helper()
	for i := range 2 {
		must(t, "AddAssignment stores", s.AddAssignment(ctx, assignment(training.AssignmentID(fmt.Sprint("x", i)), "r1", t0.Add(time.Duration(i+1)*time.Hour))))
	}
}

func fillPilots(t *testing.T, s view) {
	t.Helper()
	for i := range 2 {
		must(t, "CreatePilot stores", s.CreatePilot(ctx, pilot(training.PilotID(fmt.Sprint("f", i)), "p1")))
	}
}

func fillSales(t *testing.T, s view) {
	t.Helper()
	for i := range 2 {
		must(t, "AddSale stores", s.AddSale(ctx, sale(training.SaleID(fmt.Sprint("s", i)), "f1", t0.Add(time.Duration(i)*time.Hour))))
	}
}

func fillFeedback(t *testing.T, s view) {
	t.Helper()
	for i := range 2 {
		must(t, "AddFeedback stores", s.AddFeedback(ctx, feedback(salesprocess.FeedbackID(fmt.Sprint("b", i)), "p1", t0.Add(time.Duration(i)*time.Hour))))
	}
}

// stopsEarly checks that seq, of at least one item, ends when the loop
// breaks at its first item, and that the store then releases what it
// holds: write, run on a goroutine of its own, must not wait on the
// stopped listing. It reports false when the store still holds it.
func stopsEarly[T any](t *testing.T, name string, seq iter.Seq2[T, error], write func() error) bool {
	t.Helper()
	// Called directly rather than by a range loop, whose body the runtime
	// would not let the store call again.
	n := 0
	seq(func(_ T, err error) bool {
		n++
		if err != nil {
			t.Errorf("%s: want no error, got %v", name, err)
		}
		return false
	})
	if n != 1 {
		t.Errorf("%s must stop when the loop breaks: got %d items, want 1", name, n)
	}
	done := make(chan error, 1)
	go func() { done <- write() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("a write after an early stop of %s: want nil, got %v", name, err)
		}
		return true
	case <-time.After(stuckAfter):
		t.Errorf("%s must release what it holds when the loop breaks: a write after an early stop still waits after %v", name, stuckAfter)
		return false
	}
}

// cancelledWhileListing iterates list with a context it cancels after the
// first item and checks that the sequence ends with exactly one error, the
// context's, yielded with a zero value.
func cancelledWhileListing[T any](t *testing.T, name string, list func(context.Context) iter.Seq2[T, error]) {
	t.Helper()
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var last error
	n, errs, withValue := 0, 0, 0
	for v, err := range list(lctx) {
		n++
		cancel()
		if last = err; err != nil {
			errs++
			if !isZero(v) {
				withValue++
			}
		}
	}
	if errs != 1 || withValue != 0 || !errors.Is(last, context.Canceled) {
		t.Errorf("%s whose context is cancelled while it runs must yield its error once and stop, with a zero value; got %d items, %d errors (%d with a value that is not zero), the last %v", name, n, errs, withValue, last)
	}
}

// isZero reports whether v is the zero value of its type.
func isZero[T any](v T) bool { return reflect.ValueOf(&v).Elem().IsZero() }

// firstErr returns the first error seq yields, checking that it comes
// with a zero value and that the sequence then stops.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	var first error
	n, zero := 0, true
	for v, err := range seq {
		n++
		if err != nil && first == nil {
			first, zero = err, isZero(v)
		}
	}
	if first != nil && (n != 1 || !zero) {
		// Not wrapped: the caller's errors.Is must fail.
		return fmt.Errorf("a failing listing yields one (zero, error) pair and stops, got %d pairs, the error's value zero: %t: %v", n, zero, first)
	}
	return first
}

// rereads checks that listing seq, made on an empty store, finds the
// record write adds, and finds it again when iterated once more.
func rereads[T any](t *testing.T, name string, seq iter.Seq2[T, error], write func() error) {
	t.Helper()
	if n := len(all(t, name+" lists", seq)); n != 0 {
		t.Fatalf("a fresh store is empty: %s lists %d", name, n)
	}
	must(t, "a write to a fresh store succeeds", write())
	for i := range 2 {
		if n := len(all(t, name+" lists", seq)); n != 1 {
			t.Errorf("a listing may be iterated again and reads the store afresh: %s iterated %d times more after a write lists %d, want 1", name, i+1, n)
		}
	}
}

// same reports whether a and b, put in canonical form by norm (times in
// UTC, decimals by value), have the same JSON form, and how they differ.
func same[T any](norm func(T) T, want, got T) (bool, string) {
	jw, _ := json.Marshal(norm(want))
	jg, _ := json.Marshal(norm(got))
	return string(jw) == string(jg), fmt.Sprintf("\n got: %s\nwant: %s", jg, jw)
}

func normDecimal(d decimal.Decimal) decimal.Decimal {
	n, err := decimal.NewFromString(d.String())
	if err != nil {
		return d
	}
	return n
}

func normBrief(b training.Brief) training.Brief {
	b = b.Clone()
	b.Published = b.Published.UTC()
	return b
}

func normCert(c training.Certificate) training.Certificate {
	c.Issued, c.Expires = c.Issued.UTC(), c.Expires.UTC()
	return c
}

func normPilot(p training.Pilot) training.Pilot {
	p = p.Clone()
	c := &p.Criteria
	c.MinSellThrough, c.MinAverageRating, c.MinLocalityRating = normDecimal(c.MinSellThrough), normDecimal(c.MinAverageRating), normDecimal(c.MinLocalityRating)
	for i := range p.Issues {
		p.Issues[i].Opened, p.Issues[i].Resolved = p.Issues[i].Opened.UTC(), p.Issues[i].Resolved.UTC()
	}
	for i := range p.Improvements {
		p.Improvements[i].Time = p.Improvements[i].Time.UTC()
	}
	return p
}

func normAttempt(a training.Attempt) training.Attempt {
	a.Time = a.Time.UTC()
	return a
}

func normAssignment(a training.Assignment) training.Assignment {
	a.Due, a.Assigned = a.Due.UTC(), a.Assigned.UTC()
	return a
}

func normSale(x training.Sale) training.Sale {
	x.Time = x.Time.UTC()
	return x
}

func normFeedback(f salesprocess.Feedback) salesprocess.Feedback {
	f.Time = f.Time.UTC()
	return f
}

// stuckAfter is how long the suite waits for store calls made in the loop
// body of a listing before it takes the store to be waiting on itself.
var stuckAfter = 10 * time.Second

// keptAt is the time of the records of the records_kept_whole checks: an
// instant in a zone other than UTC.
var keptAt = t0.In(time.FixedZone("UTC+9", 9*60*60))

// keptWholeBrief checks that every field of a brief comes back as it was
// stored.
func keptWholeBrief(t *testing.T, s view) {
	b := brief("p1", "1.0", keptAt)
	b.Changes = "first version"
	b.Cons = []string{"pricey"}
	b.KeyMessages = []string{"saves time"}
	b.Disclosures = []training.Disclosure{{Phrase: "prices exclude shipping", Reason: "law", Severity: training.SeverityWarning}}
	b.Objections = []training.Objection{{Objection: "too expensive", Answer: "it pays for itself"}}
	b.Channels[0].Prohibited = []training.Claim{{Phrase: "free delivery", Reason: "not online", Severity: training.SeverityInfo}}
	b.Channels[0].Permitted = []string{"guaranteed returns"}
	b.Channels[0].Disclosures = []training.Disclosure{{Phrase: "order by noon", Severity: training.SeverityInfo}}
	b.Channels[0].Objections = []training.Objection{{Objection: "no time", Answer: "order online"}}
	must(t, "AddBrief stores a new version", s.AddBrief(ctx, b))
	got, err := s.GetBrief(ctx, "p1", b.Version)
	must(t, "GetBrief returns a stored version", err)
	if ok, diff := same(normBrief, b, got); !ok {
		t.Errorf("GetBrief returns every field AddBrief stored:%s", diff)
	}
}

// keptWholeCertificate checks that every field of a certificate comes
// back as it was stored.
func keptWholeCertificate(t *testing.T, s view) {
	c := training.Certificate{Rep: "r1", Product: "p1", Channel: "web", BriefVersion: training.MustParseVersion("2.3"),
		Curriculum: "c1", Issued: keptAt, Expires: keptAt.AddDate(1, 0, 0)}
	must(t, "PutCertificate stores", s.PutCertificate(ctx, c))
	certs := all(t, "ListCertificates lists", s.ListCertificates(ctx, training.CertificateFilter{}))
	if len(certs) != 1 {
		t.Fatalf("ListCertificates lists what PutCertificate stored: got %d certificates, want 1", len(certs))
	}
	if ok, diff := same(normCert, c, certs[0]); !ok {
		t.Errorf("ListCertificates returns every field PutCertificate stored:%s", diff)
	}
}

// keptWholeSale checks that every field of a sale comes back as it was
// stored.
func keptWholeSale(t *testing.T, s view) {
	x := sale("s1", "f1", keptAt)
	// Finer than the currency's minor unit: a store keeps it as given.
	amount, err := salesprocess.ParseMoney("12.505 USD")
	must(t, "fixture", err)
	x.Amount = amount
	x.Customer = "acme"
	must(t, "AddSale stores", s.AddSale(ctx, x))
	if xs := all(t, "ListSales lists", s.ListSales(ctx, "f1")); len(xs) != 1 {
		t.Errorf("ListSales lists what AddSale stored: got %d sales, want 1", len(xs))
	} else if ok, diff := same(normSale, x, xs[0]); !ok {
		t.Errorf("ListSales returns every field AddSale stored:%s", diff)
	}
}

// keptWholeAssignment checks that every field of an assignment comes back
// as it was stored.
func keptWholeAssignment(t *testing.T, s view) {
	a := assignment("x1", "r1", keptAt.Add(24*time.Hour))
	a.Assigned, a.AssignedBy = keptAt, "manager-1"
	must(t, "AddAssignment stores", s.AddAssignment(ctx, a))
	if as := all(t, "ListAssignments lists", s.ListAssignments(ctx, "r1")); len(as) != 1 {
		t.Errorf("ListAssignments lists what AddAssignment stored: got %d assignments, want 1", len(as))
	} else if ok, diff := same(normAssignment, a, as[0]); !ok {
		t.Errorf("ListAssignments returns every field AddAssignment stored:%s", diff)
	}
}

// keptWholeFeedback checks that every field of feedback comes back as it
// was stored.
func keptWholeFeedback(t *testing.T, s view) {
	f := feedback("b1", "p1", keptAt)
	f.Text, f.Customer, f.Deal, f.Source = "lid is loose", "acme", "d1", salesprocess.FromCustomer
	must(t, "AddFeedback stores", s.AddFeedback(ctx, f))
	if fs := all(t, "ListFeedback lists", s.ListFeedback(ctx, "p1")); len(fs) != 1 {
		t.Errorf("ListFeedback lists what AddFeedback stored: got %d, want 1", len(fs))
	} else if ok, diff := same(normFeedback, f, fs[0]); !ok {
		t.Errorf("ListFeedback returns every field AddFeedback stored:%s", diff)
	}
}

// keptWholePilot checks that every field of a pilot comes back as it was
// created and updated, its period in its own time zone.
func keptWholePilot(t *testing.T, s view) {
	at := keptAt
	p := pilot("f1", "p1")
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatalf("time zone data: %v", err)
	}
	p.Period = salesprocess.Month(2026, time.March, loc)
	p.Criteria = training.Criteria{RequireEnded: true, MinUnitsSold: 10, MinSellThrough: decimal.RequireFromString("0.5"),
		MinLocalitiesWithSales: 2, MinFeedback: 3, MinAverageRating: decimal.RequireFromString("3.5"),
		MinLocalityRating: decimal.RequireFromString("3"), BlockingSeverity: training.SeverityWarning}
	p.Issues[0].Locality = "Springfield"
	p.Issues[0].Opened = at
	must(t, "CreatePilot stores", s.CreatePilot(ctx, p))
	gotP, err := s.GetPilot(ctx, "f1")
	must(t, "GetPilot returns a stored pilot", err)
	if ok, diff := same(normPilot, p, gotP); !ok {
		t.Errorf("GetPilot returns every field CreatePilot stored:%s", diff)
	}
	if !gotP.Period.Equal(p.Period) {
		t.Errorf("GetPilot returns the period in its own time zone: got %v, want %v", gotP.Period, p.Period)
	}
	p.Version = training.MustParseVersion("1.1")
	p.Issues[0].Resolved, p.Issues[0].FixedIn = at.Add(time.Hour), p.Version
	p.Improvements = []training.Improvement{{Version: p.Version, Summary: "tighter lid", Resolves: []training.IssueID{"I1"}, Time: at.Add(time.Hour)}}
	p.Rev = 2
	must(t, "UpdatePilot at the stored Rev succeeds", s.UpdatePilot(ctx, p, 1))
	if ps := all(t, "ListPilots lists", s.ListPilots(ctx, "p1")); len(ps) != 1 {
		t.Errorf("ListPilots lists what CreatePilot stored: got %d pilots, want 1", len(ps))
	} else if ok, diff := same(normPilot, p, ps[0]); !ok {
		t.Errorf("ListPilots returns every field UpdatePilot stored:%s", diff)
	}
}
