package trainingtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// RunStoreTests checks that a [training.Store] keeps the contracts
// documented in package training: those every method keeps, stated on
// [training.Store], and each method's own; when the store is a
// [training.BriefVersionSource] too, that BriefVersionAt agrees with
// BriefAt, and when it is a [training.LimitedSaleStore], that
// AddSaleWithin keeps its contract, also for 16 goroutines adding sales of
// one pilot at once (each check is skipped for a store without the
// capability). It calls newStore for a fresh, empty store in every
// subtest; every failure names the clause of the contract broken. A nil
// newStore, or a nil store from it, fails t. A host runs it against its
// own store:
//
//	func TestStore(t *testing.T) {
//		trainingtest.RunStoreTests(t, func(t *testing.T) training.Store { return newTestDB(t) })
//	}
//
// It runs the cases of every part that [RunBriefStoreTests],
// [RunCertificateStoreTests], [RunAttemptStoreTests],
// [RunAssignmentStoreTests], [RunPilotStoreTests], [RunSaleStoreTests] and
// [RunFeedbackStoreTests] run, each once: a part's own cases under its
// name ("briefs/put_get", "sales/add_within_limit"), and the cases every
// part shares ("cancelled_context", "stopped_early", ...) each on one
// store, the parts one after another ("concurrent_adds_all_kept" at once),
// under the case's name. There the loop body of ListCertificates in
// "listing_loop_calls_store" adds and lists assignments too.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) training.Store) {
	t.Helper()
	if newStore == nil {
		t.Fatal("trainingtest: RunStoreTests: nil newStore")
	}
	open := func(t *testing.T) view {
		t.Helper()
		s := newStore(t)
		if s == nil {
			t.Fatal("trainingtest: newStore returned a nil store")
		}
		return view{s, s, s, s, s, s, s}
	}
	for _, p := range parts {
		for _, c := range p.cases {
			t.Run(p.name+"/"+c.name, func(t *testing.T) { c.run(t, open(t)) })
		}
	}
	t.Run("concurrent_adds_all_kept", func(t *testing.T) {
		var adders []adder
		for _, p := range parts {
			if p.adder != nil {
				adders = append(adders, *p.adder)
			}
		}
		testConcurrentAdds(t, open(t), adders)
	})
	for _, name := range sharedCases {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			for _, p := range parts {
				if piece := p.shared[name]; piece != nil && !piece(t, s) {
					return
				}
			}
		})
	}
}

// RunBriefStoreTests checks a [training.BriefStore] alone, for a host that
// keeps briefs apart from the rest of a [training.Store]: the cases of
// [RunStoreTests] that call only the methods of a BriefStore, the check of
// BriefVersionAt included when the store is a [training.BriefVersionSource].
// It calls newStore for a fresh, empty store in every subtest. A nil
// newStore, or a nil store from it, fails t.
func RunBriefStoreTests(t *testing.T, newStore func(t *testing.T) training.BriefStore) {
	t.Helper()
	runPart(t, "RunBriefStoreTests", partBriefs, newStore, func(s training.BriefStore) view { return view{BriefStore: s} })
}

// RunCertificateStoreTests checks a [training.CertificateStore] alone, as
// [RunBriefStoreTests] does a BriefStore.
func RunCertificateStoreTests(t *testing.T, newStore func(t *testing.T) training.CertificateStore) {
	t.Helper()
	runPart(t, "RunCertificateStoreTests", partCertificates, newStore, func(s training.CertificateStore) view { return view{CertificateStore: s} })
}

// RunAttemptStoreTests checks a [training.AttemptStore] alone, as
// [RunBriefStoreTests] does a BriefStore.
func RunAttemptStoreTests(t *testing.T, newStore func(t *testing.T) training.AttemptStore) {
	t.Helper()
	runPart(t, "RunAttemptStoreTests", partAttempts, newStore, func(s training.AttemptStore) view { return view{AttemptStore: s} })
}

// RunAssignmentStoreTests checks a [training.AssignmentStore] alone, as
// [RunBriefStoreTests] does a BriefStore.
func RunAssignmentStoreTests(t *testing.T, newStore func(t *testing.T) training.AssignmentStore) {
	t.Helper()
	runPart(t, "RunAssignmentStoreTests", partAssignments, newStore, func(s training.AssignmentStore) view { return view{AssignmentStore: s} })
}

// RunPilotStoreTests checks a [training.PilotStore] alone, as
// [RunBriefStoreTests] does a BriefStore.
func RunPilotStoreTests(t *testing.T, newStore func(t *testing.T) training.PilotStore) {
	t.Helper()
	runPart(t, "RunPilotStoreTests", partPilots, newStore, func(s training.PilotStore) view { return view{PilotStore: s} })
}

// RunSaleStoreTests checks a [training.SaleStore], as [RunBriefStoreTests]
// does a BriefStore. Its cases of AddSaleWithin ("add_within_limit" and
// "concurrent_adds_within_limit") need two parts together: they run when
// the store is a [training.LimitedSaleStore] and a [training.PilotStore]
// too, whose CreatePilot stores the pilots that AddSaleWithin counts the
// sales of, and are skipped otherwise; [RunPilotStoreTests] checks the
// PilotStore itself.
func RunSaleStoreTests(t *testing.T, newStore func(t *testing.T) training.SaleStore) {
	t.Helper()
	runPart(t, "RunSaleStoreTests", partSales, newStore, func(s training.SaleStore) view {
		v := view{SaleStore: s}
		if p, ok := s.(training.PilotStore); ok {
			v.PilotStore = p
		}
		return v
	})
}

// RunFeedbackStoreTests checks a [training.FeedbackStore] alone, as
// [RunBriefStoreTests] does a BriefStore.
func RunFeedbackStoreTests(t *testing.T, newStore func(t *testing.T) training.FeedbackStore) {
	t.Helper()
	runPart(t, "RunFeedbackStoreTests", partFeedback, newStore, func(s training.FeedbackStore) view { return view{FeedbackStore: s} })
}

// runPart runs the cases of p, its own and its pieces of the shared ones,
// each under its name, on a fresh store from newStore seen through see.
func runPart[S any](t *testing.T, fn string, p part, newStore func(t *testing.T) S, see func(S) view) {
	t.Helper()
	if newStore == nil {
		t.Fatalf("trainingtest: %s: nil newStore", fn)
	}
	open := func(t *testing.T) view {
		t.Helper()
		s := newStore(t)
		if any(s) == nil {
			t.Fatal("trainingtest: newStore returned a nil store")
		}
		return see(s)
	}
	for _, c := range p.cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
	}
	if p.adder != nil {
		t.Run("concurrent_adds_all_kept", func(t *testing.T) { testConcurrentAdds(t, open(t), []adder{*p.adder}) })
	}
	for _, name := range sharedCases {
		if piece := p.shared[name]; piece != nil {
			t.Run(name, func(t *testing.T) { piece(t, open(t)) })
		}
	}
}

// view is the store the cases of the suite work on: the parts of a
// [training.Store] that a host gave, each nil where it gave none. A case
// calls only the methods of the parts it belongs to, and finds the
// optional capabilities on the part's own store (view.SaleStore for
// [training.LimitedSaleStore]).
type view struct {
	training.BriefStore
	training.CertificateStore
	training.AttemptStore
	training.AssignmentStore
	training.PilotStore
	training.SaleStore
	training.FeedbackStore
}

// testCase is a case of the suite.
type testCase struct {
	name string
	run  func(t *testing.T, s view)
}

// part is one of the interfaces that [training.Store] gathers, with its
// share of the suite: its own cases, its writes in
// concurrent_adds_all_kept, and its piece of each of the sharedCases. A
// piece reports false when the store is stuck, so that the pieces of the
// other parts after it do not wait on it too.
type part struct {
	name   string
	cases  []testCase
	adder  *adder
	shared map[string]func(t *testing.T, s view) bool
}

// sharedCases are the cases that every part has a piece of, in the order
// they run, after concurrent_adds_all_kept.
var sharedCases = []string{
	"concurrent_adds_of_one_key", "ordered_by_instant_across_zones", "cancelled_context", "cancelled_while_listing",
	"stopped_early", "listing_rereads", "listing_loop_calls_store", "records_kept_whole",
}

// parts are the parts in the order RunStoreTests runs them.
var parts = []part{partBriefs, partCertificates, partAttempts, partAssignments, partPilots, partSales, partFeedback}

// checked adapts a piece that cannot get stuck.
func checked(f func(t *testing.T, s view)) func(t *testing.T, s view) bool {
	return func(t *testing.T, s view) bool { f(t, s); return true }
}

var partBriefs = part{
	name: "briefs",
	cases: []testCase{
		{"put_get", testBriefPutGet},
		{"duplicate", testBriefDuplicate},
		{"not_found", testBriefNotFound},
		{"in_force_at", testBriefAt},
		{"version_in_force_at", testBriefVersionAt},
		{"list_in_version_order", testBriefList},
		{"copied", testBriefCopied},
	},
	shared: map[string]func(t *testing.T, s view) bool{
		"concurrent_adds_of_one_key": checked(func(t *testing.T, s view) {
			oneKey(t, "AddBrief", func(i int) error { return s.AddBrief(ctx, brief("p1", "1.0", t0.Add(time.Duration(i)*time.Hour))) })
		}),
		"cancelled_context": checked(func(t *testing.T, s view) {
			cctx := cancelled()
			cancelledWrite(t, "AddBrief", s.AddBrief(cctx, brief("p1", "1.0", t0)))
			nothingWritten(t, "ListBriefs", s.ListBriefs(ctx, "p1"))
			_, errB := s.GetBrief(cctx, "p1", training.MustParseVersion("1.0"))
			_, errA := s.BriefAt(cctx, "p1", t0)
			cancelledReads(t, map[string]error{"GetBrief": errB, "BriefAt": errA})
			cancelledListings(t, map[string]error{"ListBriefs": firstErr(s.ListBriefs(cctx, "p1"))})
		}),
		"cancelled_while_listing": checked(func(t *testing.T, s view) {
			fillBriefs(t, s)
			cancelledWhileListing(t, "ListBriefs", func(c context.Context) iter.Seq2[training.Brief, error] { return s.ListBriefs(c, "p1") })
		}),
		"stopped_early": func(t *testing.T, s view) bool {
			fillBriefs(t, s)
			n := 0
			return stopsEarly(t, "ListBriefs", s.ListBriefs(ctx, "p1"), func() error {
				n++
				return s.AddBrief(ctx, brief("p9", fmt.Sprint("1.", n), t0))
			})
		},
		"listing_rereads": checked(func(t *testing.T, s view) {
			rereads(t, "ListBriefs", s.ListBriefs(ctx, "p1"), func() error { return s.AddBrief(ctx, brief("p1", "1.0", t0)) })
		}),
		"records_kept_whole": checked(keptWholeBrief),
	},
}

var partCertificates = part{
	name: "certificates",
	cases: []testCase{
		{"put_replaces_same_key", testCertReplace},
		{"concurrent_puts_of_one_key", testCertConcurrentReplace},
		{"filter_and_order", testCertFilter},
		{"expiring_window", testCertExpiring},
	},
	adder: typedAdder[training.Certificate]{
		what: "certificates",
		add: func(s view, i int) error {
			return s.PutCertificate(ctx, cert(salesprocess.RepID(fmt.Sprint("r", i)), "p1", "", t0.Add(time.Hour)))
		},
		list: func(s view) iter.Seq2[training.Certificate, error] {
			return s.ListCertificates(ctx, training.CertificateFilter{})
		},
	}.erase(),
	shared: map[string]func(t *testing.T, s view) bool{
		"cancelled_context": checked(func(t *testing.T, s view) {
			cctx := cancelled()
			cancelledWrite(t, "PutCertificate", s.PutCertificate(cctx, cert("r1", "p1", "", t0.Add(time.Hour))))
			nothingWritten(t, "ListCertificates", s.ListCertificates(ctx, training.CertificateFilter{}))
			cancelledListings(t, map[string]error{
				"ListCertificates": firstErr(s.ListCertificates(cctx, training.CertificateFilter{})),
				// The filtered forms, which a store may read another way.
				"ListCertificates of a rep":     firstErr(s.ListCertificates(cctx, training.CertificateFilter{Rep: "r1"})),
				"ListCertificates of a product": firstErr(s.ListCertificates(cctx, training.CertificateFilter{Product: "p1"})),
				"ListCertificates expiring":     firstErr(s.ListCertificates(cctx, training.CertificateFilter{Expiring: expiring})),
			})
		}),
		"cancelled_while_listing": checked(func(t *testing.T, s view) {
			fillCertificates(t, s)
			cancelledWhileListing(t, "ListCertificates", func(c context.Context) iter.Seq2[training.Certificate, error] {
				return s.ListCertificates(c, training.CertificateFilter{})
			})
			// The filtered forms, which a store may read another way.
			for _, f := range []struct {
				name   string
				filter training.CertificateFilter
			}{
				{"ListCertificates of a rep", training.CertificateFilter{Rep: "r1"}},
				{"ListCertificates of a product", training.CertificateFilter{Product: "p1"}},
				{"ListCertificates expiring", training.CertificateFilter{Expiring: expiring}},
			} {
				cancelledWhileListing(t, f.name, func(c context.Context) iter.Seq2[training.Certificate, error] { return s.ListCertificates(c, f.filter) })
			}
		}),
		"stopped_early": func(t *testing.T, s view) bool {
			fillCertificates(t, s)
			n := 0
			write := func() error {
				n++
				return s.PutCertificate(ctx, cert(salesprocess.RepID(fmt.Sprint("stop-", n)), "p9", "", t0))
			}
			return stopsEarly(t, "ListCertificates", s.ListCertificates(ctx, training.CertificateFilter{}), write) &&
				stopsEarly(t, "ListCertificates of a rep", s.ListCertificates(ctx, training.CertificateFilter{Rep: "r1"}), write) &&
				stopsEarly(t, "ListCertificates of a product", s.ListCertificates(ctx, training.CertificateFilter{Product: "p1"}), write) &&
				stopsEarly(t, "ListCertificates expiring", s.ListCertificates(ctx, training.CertificateFilter{Expiring: expiring}), write)
		},
		"listing_rereads": checked(func(t *testing.T, s view) {
			rereads(t, "ListCertificates", s.ListCertificates(ctx, training.CertificateFilter{}), func() error {
				return s.PutCertificate(ctx, cert("r1", "p1", "", t0.Add(time.Hour)))
			})
		}),
		"listing_loop_calls_store": testListingLoopCallsStore,
		"records_kept_whole":       checked(keptWholeCertificate),
	},
}

var partAttempts = part{
	name: "attempts",
	cases: []testCase{
		{"add_list", testAttempts},
		{"duplicate", testAttemptDuplicate},
	},
	adder: typedAdder[training.Attempt]{
		what: "attempts",
		add: func(s view, i int) error {
			return s.AddAttempt(ctx, attempt(training.AttemptID(fmt.Sprint("a", i)), "r1", "m1", t0))
		},
		list: func(s view) iter.Seq2[training.Attempt, error] { return s.ListAttempts(ctx, "r1", "m1") },
	}.erase(),
	shared: map[string]func(t *testing.T, s view) bool{
		"concurrent_adds_of_one_key": checked(func(t *testing.T, s view) {
			oneKey(t, "AddAttempt", func(i int) error {
				return s.AddAttempt(ctx, attempt("a1", "r1", "m1", t0.Add(time.Duration(i)*time.Hour)))
			})
		}),
		"ordered_by_instant_across_zones": checked(func(t *testing.T, s view) {
			acrossZones(t, "ListAttempts", func(id string, at time.Time) error {
				return s.AddAttempt(ctx, attempt(training.AttemptID(id), "r1", "m1", at))
			}, s.ListAttempts(ctx, "r1", "m1"), func(a training.Attempt) string { return string(a.ID) })
		}),
		"cancelled_context": checked(func(t *testing.T, s view) {
			cctx := cancelled()
			cancelledWrite(t, "AddAttempt", s.AddAttempt(cctx, attempt("a1", "r1", "m1", t0)))
			nothingWritten(t, "ListAttempts", s.ListAttempts(ctx, "r1", "m1"))
			cancelledListings(t, map[string]error{"ListAttempts": firstErr(s.ListAttempts(cctx, "r1", "m1"))})
		}),
		"cancelled_while_listing": checked(func(t *testing.T, s view) {
			fillAttempts(t, s)
			cancelledWhileListing(t, "ListAttempts", func(c context.Context) iter.Seq2[training.Attempt, error] { return s.ListAttempts(c, "r1", "m1") })
		}),
		"stopped_early": func(t *testing.T, s view) bool {
			fillAttempts(t, s)
			return stopsEarly(t, "ListAttempts", s.ListAttempts(ctx, "r1", "m1"), func() error {
				return s.AddAttempt(ctx, attempt("stop", "r9", "m9", t0))
			})
		},
		"listing_rereads": checked(testAttemptsRereads),
	},
}

var partAssignments = part{
	name: "assignments",
	cases: []testCase{
		{"add_list", testAssignments},
		{"duplicate", testAssignmentDuplicate},
	},
	shared: map[string]func(t *testing.T, s view) bool{
		"concurrent_adds_of_one_key": checked(func(t *testing.T, s view) {
			oneKey(t, "AddAssignment", func(i int) error {
				return s.AddAssignment(ctx, assignment("x1", "r1", t0.Add(time.Duration(i+1)*time.Hour)))
			})
		}),
		"ordered_by_instant_across_zones": checked(func(t *testing.T, s view) {
			acrossZones(t, "ListAssignments", func(id string, at time.Time) error {
				return s.AddAssignment(ctx, assignment(training.AssignmentID(id), "r1", at))
			}, s.ListAssignments(ctx, "r1"), func(a training.Assignment) string { return string(a.ID) })
		}),
		"cancelled_context": checked(func(t *testing.T, s view) {
			cctx := cancelled()
			cancelledWrite(t, "AddAssignment", s.AddAssignment(cctx, assignment("x1", "r1", t0.Add(time.Hour))))
			nothingWritten(t, "ListAssignments", s.ListAssignments(ctx, ""))
			cancelledListings(t, map[string]error{
				"ListAssignments":          firstErr(s.ListAssignments(cctx, "")),
				"ListAssignments of a rep": firstErr(s.ListAssignments(cctx, "r1")),
			})
		}),
		"cancelled_while_listing": checked(func(t *testing.T, s view) {
			fillAssignments(t, s)
			cancelledWhileListing(t, "ListAssignments", func(c context.Context) iter.Seq2[training.Assignment, error] { return s.ListAssignments(c, "") })
			cancelledWhileListing(t, "ListAssignments of a rep", func(c context.Context) iter.Seq2[training.Assignment, error] { return s.ListAssignments(c, "r1") })
		}),
		"stopped_early": func(t *testing.T, s view) bool {
			fillAssignments(t, s)
			n := 0
			write := func() error {
				n++
				return s.AddAssignment(ctx, assignment(training.AssignmentID(fmt.Sprint("stop-", n)), "r9", t0))
			}
			return stopsEarly(t, "ListAssignments", s.ListAssignments(ctx, ""), write) &&
				stopsEarly(t, "ListAssignments of a rep", s.ListAssignments(ctx, "r1"), write)
		},
		"listing_rereads": checked(func(t *testing.T, s view) {
			rereads(t, "ListAssignments", s.ListAssignments(ctx, ""), func() error { return s.AddAssignment(ctx, assignment("x1", "r1", t0.Add(time.Hour))) })
		}),
		"records_kept_whole": checked(keptWholeAssignment),
	},
}

var partPilots = part{
	name: "pilots",
	cases: []testCase{
		{"create_get", testPilotCreateGet},
		{"duplicate", testPilotDuplicate},
		{"update_revision", testPilotUpdate},
		{"update_stale_conflict", testPilotConflict},
		{"update_bad_revision_invalid", testPilotUpdateInvalid},
		{"update_missing", testPilotUpdateMissing},
		{"list_by_product", testPilotList},
		{"copied", testPilotCopied},
		{"concurrent_updates_one_wins", testPilotConcurrent},
	},
	shared: map[string]func(t *testing.T, s view) bool{
		"concurrent_adds_of_one_key": checked(func(t *testing.T, s view) {
			oneKey(t, "CreatePilot", func(i int) error { return s.CreatePilot(ctx, pilot("f1", salesprocess.ProductID(fmt.Sprint("p", i)))) })
		}),
		"cancelled_context": checked(func(t *testing.T, s view) {
			cctx := cancelled()
			p := pilot("f1", "p1")
			cancelledWrite(t, "CreatePilot", s.CreatePilot(cctx, p))
			nothingWritten(t, "ListPilots", s.ListPilots(ctx, ""))
			// Reads and updates fail too.
			must(t, "CreatePilot stores", s.CreatePilot(ctx, p))
			_, errP := s.GetPilot(cctx, "f1")
			next := p.Clone()
			next.Quantity, next.Rev = 7, 2
			cancelledReads(t, map[string]error{"GetPilot": errP, "UpdatePilot": s.UpdatePilot(cctx, next, 1)})
			if got, err := s.GetPilot(ctx, "f1"); err != nil || got.Rev != 1 || got.Quantity != p.Quantity {
				t.Errorf("UpdatePilot with a cancelled context changes nothing: got rev %d quantity %d (%v), want 1 and %d", got.Rev, got.Quantity, err, p.Quantity)
			}
			cancelledListings(t, map[string]error{
				"ListPilots":              firstErr(s.ListPilots(cctx, "")),
				"ListPilots of a product": firstErr(s.ListPilots(cctx, "p1")),
			})
		}),
		"cancelled_while_listing": checked(func(t *testing.T, s view) {
			fillPilots(t, s)
			cancelledWhileListing(t, "ListPilots", func(c context.Context) iter.Seq2[training.Pilot, error] { return s.ListPilots(c, "") })
			cancelledWhileListing(t, "ListPilots of a product", func(c context.Context) iter.Seq2[training.Pilot, error] { return s.ListPilots(c, "p1") })
		}),
		"stopped_early": func(t *testing.T, s view) bool {
			fillPilots(t, s)
			n := 0
			write := func() error {
				n++
				return s.CreatePilot(ctx, pilot(training.PilotID(fmt.Sprint("stop-", n)), "p9"))
			}
			return stopsEarly(t, "ListPilots", s.ListPilots(ctx, ""), write) &&
				stopsEarly(t, "ListPilots of a product", s.ListPilots(ctx, "p1"), write)
		},
		"listing_rereads": checked(func(t *testing.T, s view) {
			rereads(t, "ListPilots", s.ListPilots(ctx, ""), func() error { return s.CreatePilot(ctx, pilot("f1", "p1")) })
		}),
		"records_kept_whole": checked(keptWholePilot),
	},
}

var partSales = part{
	name: "sales",
	cases: []testCase{
		{"add_list", testSales},
		{"duplicate", testSaleDuplicate},
		{"add_within_limit", testSaleWithin},
		{"concurrent_adds_within_limit", testSaleWithinConcurrent},
	},
	adder: typedAdder[training.Sale]{
		what: "sales",
		add:  func(s view, i int) error { return s.AddSale(ctx, sale(training.SaleID(fmt.Sprint("s", i)), "f1", t0)) },
		list: func(s view) iter.Seq2[training.Sale, error] { return s.ListSales(ctx, "f1") },
	}.erase(),
	shared: map[string]func(t *testing.T, s view) bool{
		"concurrent_adds_of_one_key": checked(func(t *testing.T, s view) {
			oneKey(t, "AddSale", func(i int) error { return s.AddSale(ctx, sale("s1", "f1", t0.Add(time.Duration(i)*time.Hour))) })
		}),
		"ordered_by_instant_across_zones": checked(func(t *testing.T, s view) {
			acrossZones(t, "ListSales", func(id string, at time.Time) error {
				return s.AddSale(ctx, sale(training.SaleID(id), "f1", at))
			}, s.ListSales(ctx, "f1"), func(x training.Sale) string { return string(x.ID) })
		}),
		"cancelled_context": checked(func(t *testing.T, s view) {
			cctx := cancelled()
			cancelledWrite(t, "AddSale", s.AddSale(cctx, sale("s1", "f1", t0)))
			nothingWritten(t, "ListSales", s.ListSales(ctx, "f1"))
			cancelledListings(t, map[string]error{"ListSales": firstErr(s.ListSales(cctx, "f1"))})
		}),
		"cancelled_while_listing": checked(func(t *testing.T, s view) {
			fillSales(t, s)
			cancelledWhileListing(t, "ListSales", func(c context.Context) iter.Seq2[training.Sale, error] { return s.ListSales(c, "f1") })
		}),
		"stopped_early": func(t *testing.T, s view) bool {
			fillSales(t, s)
			return stopsEarly(t, "ListSales", s.ListSales(ctx, "f1"), func() error { return s.AddSale(ctx, sale("stop", "f9", t0)) })
		},
		"listing_rereads": checked(func(t *testing.T, s view) {
			rereads(t, "ListSales", s.ListSales(ctx, "f1"), func() error { return s.AddSale(ctx, sale("s1", "f1", t0)) })
		}),
		"records_kept_whole": checked(keptWholeSale),
	},
}

var partFeedback = part{
	name: "feedback",
	cases: []testCase{
		{"add_list", testFeedback},
		{"duplicate", testFeedbackDuplicate},
	},
	adder: typedAdder[salesprocess.Feedback]{
		what: "feedback",
		add: func(s view, i int) error {
			return s.AddFeedback(ctx, feedback(salesprocess.FeedbackID(fmt.Sprint("b", i)), "p1", t0))
		},
		list: func(s view) iter.Seq2[salesprocess.Feedback, error] { return s.ListFeedback(ctx, "p1") },
	}.erase(),
	shared: map[string]func(t *testing.T, s view) bool{
		"concurrent_adds_of_one_key": checked(func(t *testing.T, s view) {
			oneKey(t, "AddFeedback", func(i int) error {
				return s.AddFeedback(ctx, feedback("b1", "p1", t0.Add(time.Duration(i)*time.Hour)))
			})
		}),
		"ordered_by_instant_across_zones": checked(func(t *testing.T, s view) {
			acrossZones(t, "ListFeedback", func(id string, at time.Time) error {
				return s.AddFeedback(ctx, feedback(salesprocess.FeedbackID(id), "p1", at))
			}, s.ListFeedback(ctx, "p1"), func(f salesprocess.Feedback) string { return string(f.ID) })
		}),
		"cancelled_context": checked(func(t *testing.T, s view) {
			cctx := cancelled()
			cancelledWrite(t, "AddFeedback", s.AddFeedback(cctx, feedback("b1", "p1", t0)))
			nothingWritten(t, "ListFeedback", s.ListFeedback(ctx, "p1"))
			cancelledListings(t, map[string]error{"ListFeedback": firstErr(s.ListFeedback(cctx, "p1"))})
		}),
		"cancelled_while_listing": checked(func(t *testing.T, s view) {
			fillFeedback(t, s)
			cancelledWhileListing(t, "ListFeedback", func(c context.Context) iter.Seq2[salesprocess.Feedback, error] { return s.ListFeedback(c, "p1") })
		}),
		"stopped_early": func(t *testing.T, s view) bool {
			fillFeedback(t, s)
			return stopsEarly(t, "ListFeedback", s.ListFeedback(ctx, "p1"), func() error {
				return s.AddFeedback(ctx, feedback("stop", "p9", t0))
			})
		},
		"listing_rereads": checked(func(t *testing.T, s view) {
			rereads(t, "ListFeedback", s.ListFeedback(ctx, "p1"), func() error { return s.AddFeedback(ctx, feedback("b1", "p1", t0)) })
		}),
		"records_kept_whole": checked(keptWholeFeedback),
	},
}

// adder is a part's share of concurrent_adds_all_kept: add stores the
// part's i-th record of what, list reads the listing of the records added
// and returns its error, and count counts the records it yields.
type adder struct {
	what  string
	add   func(s view, i int) error
	list  func(s view) error
	count func(t *testing.T, s view) int
}

// typedAdder is an [adder] whose listing, list, yields records of type T.
type typedAdder[T any] struct {
	what string
	add  func(s view, i int) error
	list func(s view) iter.Seq2[T, error]
}

// erase returns a as an adder.
func (a typedAdder[T]) erase() *adder {
	return &adder{
		what:  a.what,
		add:   a.add,
		list:  func(s view) error { return firstErr(a.list(s)) },
		count: func(t *testing.T, s view) int { return len(all(t, "the listing of "+a.what+" lists", a.list(s))) },
	}
}

// testConcurrentAdds has 16 goroutines, released at once so that they
// overlap, each add a record of every part of adders, listing them before
// and after its writes: every write must succeed and be kept, every
// listing succeed.
func testConcurrentAdds(t *testing.T, s view, adders []adder) {
	const n = 16
	k := len(adders)
	errs := make([]error, (k+1)*n)
	together(n, func(i int) {
		list := func() error {
			var errs []error
			for _, a := range adders {
				errs = append(errs, a.list(s))
			}
			return errors.Join(errs...)
		}
		// Listings among the writes, before and after this
		// goroutine's, which must not fail.
		errs[k*n+i] = list()
		for j, a := range adders {
			errs[k*i+j] = a.add(s, i)
		}
		errs[k*n+i] = errors.Join(errs[k*n+i], list())
	})
	for i, err := range errs {
		if i < k*n {
			must(t, "concurrent writes of distinct records succeed", err)
		} else {
			must(t, "listings among concurrent writes succeed", err)
		}
	}
	for _, a := range adders {
		if got := a.count(t, s); got != n {
			t.Errorf("concurrent writes of distinct records are all kept: %d %s, want %d", got, a.what, n)
		}
	}
}

// oneKey races writers of one key with add: exactly one succeeds and the
// others are ErrDuplicate, as they would be one after the other.
func oneKey(t *testing.T, name string, add func(i int) error) {
	t.Helper()
	won := race(t, add, salesprocess.ErrDuplicate, name+" that loses a race for one key is ErrDuplicate")
	if won != 1 {
		t.Errorf("of concurrent %s calls with one key exactly one succeeds: %d did", name, won)
	}
}

// acrossZones adds two records whose times are in different zones and
// lists them: the order is that of their instants, whatever the text of
// their times (which sorts the other way) or their IDs.
func acrossZones[T any](t *testing.T, list string, add func(id string, at time.Time) error, seq iter.Seq2[T, error], id func(T) string) {
	t.Helper()
	early := t0.In(time.FixedZone("UTC+9", 9*60*60)) // 18:00+09:00
	late := t0.Add(2 * time.Hour)                    // 11:00Z
	must(t, "a write to a fresh store succeeds", add("b", early))
	must(t, "a write to a fresh store succeeds", add("a", late))
	var got []string
	for _, v := range all(t, list+" lists", seq) {
		got = append(got, id(v))
	}
	if !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("%s lists by the instant of its times, whatever their zones: got %v, want [b a]", list, got)
	}
}

// cancelled returns a context that is done.
func cancelled() context.Context {
	c, cancel := context.WithCancel(ctx)
	cancel()
	return c
}

// cancelledWrite checks that the write name with a cancelled context
// returned its error err.
func cancelledWrite(t *testing.T, name string, err error) {
	t.Helper()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%s with a cancelled context returns its error: got %v", name, err)
	}
}

// cancelledReads checks that each read with a cancelled context returned
// its error.
func cancelledReads(t *testing.T, errs map[string]error) {
	t.Helper()
	for name, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context returns its error: got %v", name, err)
		}
	}
}

// cancelledListings checks that each listing with a cancelled context
// yielded its error.
func cancelledListings(t *testing.T, errs map[string]error) {
	t.Helper()
	for name, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context yields its error: got %v", name, err)
		}
	}
}

// nothingWritten checks that the listing of a store a write with a
// cancelled context was refused is empty.
func nothingWritten[T any](t *testing.T, list string, seq iter.Seq2[T, error]) {
	t.Helper()
	if n := len(all(t, list+" lists", seq)); n != 0 {
		t.Errorf("a write with a cancelled context changes nothing: %s lists %d records", list, n)
	}
}

// testListingLoopCallsStore writes and lists from the loop body of a
// listing of certificates, on a goroutine of its own, so that a store that
// makes the loop wait on itself fails the test instead of hanging it. The
// loop body puts a certificate and lists a rep's certificates and, where
// the store keeps assignments too, adds and lists assignments.
func testListingLoopCallsStore(t *testing.T, s view) bool {
	must(t, "PutCertificate stores", s.PutCertificate(ctx, cert("r1", "p1", "", t0.Add(time.Hour))))
	must(t, "PutCertificate stores", s.PutCertificate(ctx, cert("r2", "p1", "", t0.Add(time.Hour))))
	calls := "PutCertificate and ListCertificates"
	if s.AssignmentStore != nil {
		calls = "PutCertificate, ListCertificates, AddAssignment and ListAssignments"
	}
	done := make(chan []string, 1)
	go func() {
		var problems []string
		n := 0
		for c, err := range s.ListCertificates(ctx, training.CertificateFilter{}) {
			if err != nil {
				problems = append(problems, fmt.Sprintf("ListCertificates whose loop body calls the store: want no error, got %v", err))
				break
			}
			n++
			c.Expires = c.Expires.Add(time.Hour)
			if err := s.PutCertificate(ctx, c); err != nil {
				problems = append(problems, fmt.Sprintf("PutCertificate in the loop body of ListCertificates: want nil, got %v", err))
			}
			if err := firstErr(s.ListCertificates(ctx, training.CertificateFilter{Rep: c.Rep})); err != nil {
				problems = append(problems, fmt.Sprintf("ListCertificates in the loop body of ListCertificates: want no error, got %v", err))
			}
			if s.AssignmentStore == nil {
				continue
			}
			if err := s.AddAssignment(ctx, assignment(training.AssignmentID("x-"+string(c.Rep)), c.Rep, t0.Add(time.Hour))); err != nil {
				problems = append(problems, fmt.Sprintf("AddAssignment in the loop body of ListCertificates: want nil, got %v", err))
			}
			if err := firstErr(s.ListAssignments(ctx, c.Rep)); err != nil {
				problems = append(problems, fmt.Sprintf("ListAssignments in the loop body of ListCertificates: want no error, got %v", err))
			}
		}
		if n != 2 {
			problems = append(problems, fmt.Sprintf("ListCertificates whose loop body writes must yield each certificate once: got %d, want 2", n))
		}
		done <- problems
	}()
	select {
	case problems := <-done:
		for _, p := range problems {
			t.Error(p)
		}
		return true
	case <-time.After(stuckAfter):
		t.Errorf("a listing must let its loop body call the store: %s in the loop body of ListCertificates still wait after %v", calls, stuckAfter)
		return false
	}
}

// testAttemptsRereads checks that a listing of attempts may be iterated
// again, and stopped early, and reads the store afresh each time.
func testAttemptsRereads(t *testing.T, s view) {
	seq := s.ListAttempts(ctx, "r1", "m1")
	if n := len(all(t, "ListAttempts lists", seq)); n != 0 {
		t.Fatalf("a fresh store is empty: %d attempts", n)
	}
	must(t, "AddAttempt stores", s.AddAttempt(ctx, attempt("a1", "r1", "m1", t0)))
	if n := len(all(t, "ListAttempts lists", seq)); n != 1 {
		t.Errorf("a listing may be iterated again and reads the store afresh: %d attempts, want 1", n)
	}
	must(t, "AddAttempt stores", s.AddAttempt(ctx, attempt("a2", "r1", "m1", t0)))
	for range seq {
		break // stopping early must not break the store
	}
	if n := len(all(t, "ListAttempts lists", seq)); n != 2 {
		t.Errorf("a listing stopped early leaves the store usable, and iterated again reads it afresh: %d attempts, want 2", n)
	}
}
