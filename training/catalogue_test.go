package training_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// Adversarial inputs.
var (
	huge    = strings.Repeat("x", 100_000)
	nul     = "a\x00b"
	badUTF8 = "a\xffb"
	far     = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// countingStore is a MemStore that counts the writes that succeed: a
// refused operation must make none.
type countingStore struct {
	*trainingtest.MemStore
	writes atomic.Int64
}

func (s *countingStore) count(err error) error {
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

func (s *countingStore) AddBrief(ctx context.Context, b training.Brief) error {
	return s.count(s.MemStore.AddBrief(ctx, b))
}

func (s *countingStore) PutCertificate(ctx context.Context, c training.Certificate) error {
	return s.count(s.MemStore.PutCertificate(ctx, c))
}

func (s *countingStore) AddAttempt(ctx context.Context, a training.Attempt) error {
	return s.count(s.MemStore.AddAttempt(ctx, a))
}

func (s *countingStore) AddAssignment(ctx context.Context, a training.Assignment) error {
	return s.count(s.MemStore.AddAssignment(ctx, a))
}

func (s *countingStore) CreatePilot(ctx context.Context, p training.Pilot) error {
	return s.count(s.MemStore.CreatePilot(ctx, p))
}

func (s *countingStore) UpdatePilot(ctx context.Context, p training.Pilot, expectedRev int64) error {
	return s.count(s.MemStore.UpdatePilot(ctx, p, expectedRev))
}

func (s *countingStore) AddSale(ctx context.Context, sale training.Sale) error {
	return s.count(s.MemStore.AddSale(ctx, sale))
}

func (s *countingStore) AddSaleWithin(ctx context.Context, sale training.Sale, limit int64) (int64, bool, error) {
	sold, added, err := s.MemStore.AddSaleWithin(ctx, sale, limit)
	if added {
		s.count(err)
	}
	return sold, added, err
}

func (s *countingStore) AddFeedback(ctx context.Context, f salesprocess.Feedback) error {
	return s.count(s.MemStore.AddFeedback(ctx, f))
}

// trainingFixture is a trainer on a counting store holding a record of
// each kind: brief 1.0 of p1 (none of p2), Ann certified for p1 by phone,
// Bob out of attempts at p1-basics, an assignment, pilot f1 of p1 with an
// open issue, a sale and a piece of feedback.
type trainingFixture struct {
	store   *countingStore
	trainer *training.Trainer
}

func newTrainingFixture(t *testing.T) *trainingFixture {
	t.Helper()
	ctx := context.Background()
	modules := append(testModules(), training.Module{ID: "p2-basics", Title: "P2", Kind: training.ModuleProductKnowledge, Product: "p2",
		BriefVersion: v("1.0"), Assessment: training.Assessment{MaxScore: 10, PassMark: 5}})
	curricula := append(testCurricula(), training.Curriculum{ID: "p2-all", Title: "P2", Product: "p2", Modules: []training.ModuleID{"p2-basics"}, ValidMonths: 12})
	cat, err := training.NewCatalog(modules, curricula)
	require.NoError(t, err)
	f := &trainingFixture{store: &countingStore{MemStore: trainingtest.NewMemStore()}}
	f.trainer = training.NewTrainer(f.store, cat, &training.Options{Clock: salesprocess.NewSteppingClock(t0.Add(time.Hour), time.Minute)})
	tr := f.trainer
	require.NoError(t, tr.PublishBrief(ctx, testBrief("1.0")))
	// Assigned before the attempts, which it gives anew: bob uses them up.
	_, err = tr.AssignModule(ctx, training.Assignment{ID: "as1", Rep: "bob", Module: "p1-basics", Due: t0.Add(30 * day)})
	require.NoError(t, err)
	for i, a := range []training.Attempt{
		{ID: "a1", Rep: "ann", Module: "p1-basics", Score: 9}, {ID: "a2", Rep: "ann", Module: "phone", Score: 80},
		{ID: "b1", Rep: "bob", Module: "p1-basics", Score: 1}, {ID: "b2", Rep: "bob", Module: "p1-basics", Score: 2},
		{ID: "b3", Rep: "bob", Module: "p1-basics", Score: 3},
	} {
		_, err := tr.RecordAttempt(ctx, a)
		require.NoError(t, err, "attempt %d", i)
	}
	_, err = tr.Certify(ctx, "ann", "p1-phone")
	require.NoError(t, err)
	_, err = tr.StartPilot(ctx, testPilot(training.Criteria{MinUnitsSold: 10}))
	require.NoError(t, err)
	_, err = tr.OpenIssue(ctx, "f1", training.Issue{ID: "I1", Title: "lid leaks", Severity: training.SeverityCritical})
	require.NoError(t, err)
	require.NoError(t, tr.RecordSale(ctx, training.Sale{ID: "s1", Pilot: "f1", Locality: "Springfield", Units: 90, Time: t0}))
	require.NoError(t, tr.RecordFeedback(ctx, ratings("Springfield:4")[0]))
	f.store.writes.Store(0)
	return f
}

// snapshot returns every record of the fixture's store as JSON.
func (f *trainingFixture) snapshot(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var all []any
	collect := func(name string, seq func(yield func(any, error) bool)) {
		for v, err := range seq {
			require.NoError(t, err, name)
			all = append(all, v)
		}
	}
	for _, p := range []salesprocess.ProductID{"p1", "p2"} {
		collect("briefs", anySeq(f.store.ListBriefs(ctx, p)))
		collect("feedback", anySeq(f.store.ListFeedback(ctx, p)))
	}
	collect("certificates", anySeq(f.store.ListCertificates(ctx, training.CertificateFilter{})))
	collect("assignments", anySeq(f.store.ListAssignments(ctx, "")))
	collect("pilots", anySeq(f.store.ListPilots(ctx, "")))
	collect("sales", anySeq(f.store.ListSales(ctx, "f1")))
	for _, rep := range []salesprocess.RepID{"ann", "bob", "carl"} {
		for _, m := range []training.ModuleID{"p1-basics", "phone", "web", "p2-basics"} {
			collect("attempts", anySeq(f.store.ListAttempts(ctx, rep, m)))
		}
	}
	raw, err := json.Marshal(all)
	require.NoError(t, err)
	return string(raw)
}

func anySeq[T any](seq func(yield func(T, error) bool)) func(yield func(any, error) bool) {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

// operation is a bad call of a Trainer or Readiness operation.
type operation struct {
	name  string
	run   func(ctx context.Context, tr *training.Trainer) error
	is    error
	field string // the field of the *ValidationError, else a substring of the message
}

// checkTrainingErr checks that err wraps is and names field.
func checkTrainingErr(t *testing.T, err error, is error, field string) {
	t.Helper()
	require.Error(t, err, "bad input accepted")
	assert.ErrorIs(t, err, is)
	var ve *salesprocess.ValidationError
	if errors.As(err, &ve) && ve.Field != "" {
		assert.Equal(t, field, ve.Field, "error: %v", err)
	} else {
		assert.Contains(t, err.Error(), field)
	}
	assert.True(t, strings.Contains(err.Error(), "training: ") || strings.HasPrefix(err.Error(), "invalid ") ||
		strings.Contains(err.Error(), "salesprocess: "), "message %q says where it comes from or what is invalid", err)
}

// TestBadInputCatalogue runs every Trainer and Readiness operation with
// every class of invalid input on a store holding a record of each kind:
// each fails with the right sentinel and names the field, no write
// succeeds, and the store holds what it held.
func TestBadInputCatalogue(t *testing.T) {
	var rows []operation
	add := func(o ...operation) { rows = append(rows, o...) }
	goal, err := salesprocess.ParseMoney("1000.00 EUR")
	require.NoError(t, err)
	onboarding := training.Onboarding{Rep: "ann", Region: "north", Start: t0.Add(2 * time.Hour), MonthlyGoal: goal, Ramp: []decimal.Decimal{dec("0.5")}}
	pilot := testPilot(training.Criteria{})
	pilot.ID = "f2"

	// Every operation with a nil context, and on a trainer without a
	// store.
	all := map[string]func(ctx context.Context, tr *training.Trainer) error{
		"publish_brief": func(ctx context.Context, tr *training.Trainer) error { return tr.PublishBrief(ctx, testBrief("1.1")) },
		"record_attempt": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.RecordAttempt(ctx, training.Attempt{ID: "c1", Rep: "carl", Module: "phone", Score: 50})
			return err
		},
		"progress": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Progress(ctx, "ann", "p1-phone", t0.Add(day))
			return err
		},
		"certify": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Certify(ctx, "ann", "p1-all")
			return err
		},
		"assign_module": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.AssignModule(ctx, training.Assignment{ID: "as2", Rep: "carl", Module: "web", Due: far.AddDate(-1, 0, 0)})
			return err
		},
		"assignments": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Assignments(ctx, "bob", t0)
			return err
		},
		// The queries at the zero time, the clock's: a nil or zero
		// Trainer has no clock, and refuses them as the others.
		"assignments_now": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Assignments(ctx, "bob", time.Time{})
			return err
		},
		"progress_now": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Progress(ctx, "ann", "p1-phone", time.Time{})
			return err
		},
		"decide_now": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Decide(ctx, "f1", time.Time{})
			return err
		},
		"onboard": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Onboard(ctx, onboarding)
			return err
		},
		"start_pilot": func(ctx context.Context, tr *training.Trainer) error { _, err := tr.StartPilot(ctx, pilot); return err },
		"record_sale": func(ctx context.Context, tr *training.Trainer) error {
			return tr.RecordSale(ctx, training.Sale{ID: "s2", Pilot: "f1", Locality: "Shelbyville", Units: 1, Time: t0})
		},
		"record_feedback": func(ctx context.Context, tr *training.Trainer) error {
			f := ratings("Shelbyville:5")[0]
			f.ID = "b-new"
			return tr.RecordFeedback(ctx, f)
		},
		"record_pilot_feedback": func(ctx context.Context, tr *training.Trainer) error {
			f := ratings("Shelbyville:5")[0]
			f.ID = "b-new"
			return tr.RecordPilotFeedback(ctx, "f1", f)
		},
		"field_feedback": func(ctx context.Context, tr *training.Trainer) error {
			for _, err := range tr.FieldFeedback(ctx, "p1") {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"open_issue": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.OpenIssue(ctx, "f1", training.Issue{ID: "I2", Title: "t", Severity: training.SeverityInfo})
			return err
		},
		"improve": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Improve(ctx, "f1", training.Improvement{Version: v("1.0"), Summary: "s"})
			return err
		},
		"decide": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Decide(ctx, "f1", t0.Add(day))
			return err
		},
		"eligible": func(ctx context.Context, tr *training.Trainer) error {
			return tr.Readiness().Eligible(ctx, "ann", "p1", "phone", t0.Add(2*time.Hour))
		},
		"check": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Readiness().Check(ctx, "ann", "p1", "phone", t0.Add(2*time.Hour))
			return err
		},
		"status": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Readiness().Status(ctx, "ann", "p1", t0)
			return err
		},
		"certificate": func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Readiness().Certificate(ctx, "ann", "p1", t0)
			return err
		},
		"expiring": func(ctx context.Context, tr *training.Trainer) error {
			for _, err := range tr.Readiness().Expiring(ctx, salesprocess.Year(2027, nil)) {
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	// Without a store a trainer has no catalog either: operations that
	// look up a module or curriculum say the store is missing, rather than
	// blame the caller's module or curriculum.
	for name, run := range all {
		const field = "store"
		add(
			operation{name + "/nil_context", func(_ context.Context, tr *training.Trainer) error {
				var nilCtx context.Context
				return run(nilCtx, tr)
			}, salesprocess.ErrInvalid, "ctx"},
			operation{name + "/no_store", func(ctx context.Context, _ *training.Trainer) error {
				return run(ctx, training.NewTrainer(nil, nil, nil))
			}, salesprocess.ErrInvalid, field},
			operation{name + "/nil_trainer", func(ctx context.Context, _ *training.Trainer) error { return run(ctx, nil) }, salesprocess.ErrInvalid, field},
		)
		switch name {
		case "publish_brief", "record_attempt", "assign_module", "start_pilot", "record_sale", "record_feedback", "record_pilot_feedback",
			"open_issue", "decide", "eligible", "check", "status", "expiring", "onboard", "field_feedback", "assignments", "progress":
			add(operation{name + "/cancelled_context", func(_ context.Context, tr *training.Trainer) error { return run(cancelled, tr) },
				context.Canceled, "canceled"})
		}
	}

	// PublishBrief: every field of a brief, and a version published twice.
	brief := fullBrief()
	brief.Version = v("3.0")
	for name, tc := range map[string]struct {
		edit  func(*training.Brief)
		field string
	}{
		"no_product":            {func(b *training.Brief) { b.Product = "" }, "brief.product"},
		"nul_product":           {func(b *training.Brief) { b.Product = salesprocess.ProductID(nul) }, "brief.product"},
		"no_version":            {func(b *training.Brief) { b.Version = training.Version{} }, "brief.version"},
		"negative_version":      {func(b *training.Brief) { b.Version = training.Version{Major: -1, Minor: 2} }, "brief.version"},
		"huge_version":          {func(b *training.Brief) { b.Version = training.Version{Major: math.MaxInt} }, "brief.version"},
		"no_published":          {func(b *training.Brief) { b.Published = time.Time{} }, "brief.published"},
		"published_far":         {func(b *training.Brief) { b.Published = far }, "brief.published"},
		"huge_changes":          {func(b *training.Brief) { b.Changes = huge }, "brief.changes"},
		"nul_pro":               {func(b *training.Brief) { b.Pros = []string{nul} }, "brief.pros[0]"},
		"utf8_con":              {func(b *training.Brief) { b.Cons = []string{"ok", badUTF8} }, "brief.cons[1]"},
		"blank_key_message":     {func(b *training.Brief) { b.KeyMessages = []string{" \t"} }, "brief.key_messages[0]"},
		"empty_claim":           {func(b *training.Brief) { b.Prohibited[0].Phrase = "" }, "brief.prohibited[0].phrase"},
		"wordless_claim":        {func(b *training.Brief) { b.Prohibited[0].Phrase = "!!! ???" }, "brief.prohibited[0].phrase"},
		"huge_claim":            {func(b *training.Brief) { b.Prohibited[0].Phrase = huge }, "brief.prohibited[0].phrase"},
		"nul_variant":           {func(b *training.Brief) { b.Prohibited[0].Variants = []string{nul} }, "brief.prohibited[0].variants[0]"},
		"claim_repeated":        {func(b *training.Brief) { b.Prohibited[1].Phrase = "GUARANTEED, returns" }, "brief.prohibited[1].phrase"},
		"variant_repeats_claim": {func(b *training.Brief) { b.Prohibited[1].Variants = []string{"lowest   PRICE"} }, "brief.prohibited[1].variants[0]"},
		"claim_no_reason":       {func(b *training.Brief) { b.Prohibited[0].Reason = "" }, "brief.prohibited[0].reason"},
		"claim_no_severity":     {func(b *training.Brief) { b.Prohibited[0].Severity = "" }, "brief.prohibited[0].severity"},
		"claim_bad_severity":    {func(b *training.Brief) { b.Prohibited[0].Severity = "fatal" }, "brief.prohibited[0].severity"},
		"disclosure_empty":      {func(b *training.Brief) { b.Disclosures[0].Phrase = " " }, "brief.disclosures[0].phrase"},
		"disclosure_repeated": {func(b *training.Brief) {
			b.Disclosures = append(b.Disclosures, disclosure("PRICES exclude  VAT!", training.SeverityInfo))
		}, "brief.disclosures[1].phrase"},
		"disclosure_bad_severity": {func(b *training.Brief) { b.Disclosures[0].Severity = "CRITICAL" }, "brief.disclosures[0].severity"},
		"objection_no_answer":     {func(b *training.Brief) { b.Objections[0].Answer = "" }, "brief.objections[0].answer"},
		"objection_twice": {func(b *training.Brief) {
			b.Objections = append(b.Objections, training.Objection{Objection: "too expensive?", Answer: "x"})
		}, "brief.objections[1].objection"},
		"override_no_channel":  {func(b *training.Brief) { b.Channels[0].Channel = "" }, "brief.channels[0].channel"},
		"override_bad_channel": {func(b *training.Brief) { b.Channels[0].Channel = " retail" }, "brief.channels[0].channel"},
		"override_twice": {func(b *training.Brief) {
			b.Channels = append(b.Channels, training.ChannelOverride{Channel: "retail"})
		}, "brief.channels[1].channel"},
		"override_permits_unknown": {func(b *training.Brief) { b.Channels[0].Permitted = []string{"free lunch"} }, "brief.channels[0].permitted[0]"},
		"override_permits_huge":    {func(b *training.Brief) { b.Channels[0].Permitted = []string{"lowest price" + huge} }, "brief.channels[0].permitted[0]"},
		"override_permits_nul":     {func(b *training.Brief) { b.Channels[0].Permitted = []string{"lowest\x00price"} }, "brief.channels[0].permitted[0]"},
		"override_claim_repeats": {func(b *training.Brief) {
			b.Channels[0].Prohibited = append(b.Channels[0].Prohibited, claim("Guaranteed returns", training.SeverityInfo))
		}, "brief.channels[0].prohibited[1].phrase"},
		"override_disclosure_repeats": {func(b *training.Brief) {
			b.Channels[0].Disclosures = append(b.Channels[0].Disclosures, disclosure("prices exclude vat", training.SeverityInfo))
		}, "brief.channels[0].disclosures[1].phrase"},
		"too_many_phrases": {func(b *training.Brief) {
			b.Prohibited = nil
			for i := range training.MaxPhrases + 1 {
				b.Prohibited = append(b.Prohibited, claim("claim "+itoa(i), training.SeverityInfo))
			}
		}, "brief.prohibited[100000].phrase"},
	} {
		add(operation{"publish_brief/" + name, func(ctx context.Context, tr *training.Trainer) error {
			b := brief.Clone()
			tc.edit(&b)
			return tr.PublishBrief(ctx, b)
		}, salesprocess.ErrInvalid, tc.field})
	}
	add(operation{"publish_brief/version_twice", func(ctx context.Context, tr *training.Trainer) error {
		return tr.PublishBrief(ctx, testBrief("1.0"))
	}, salesprocess.ErrDuplicate, `"p1" 1.0`})

	// RecordAttempt.
	for name, tc := range map[string]struct {
		a     training.Attempt
		is    error
		field string
	}{
		"no_id":            {training.Attempt{Rep: "carl", Module: "phone", Score: 1}, salesprocess.ErrInvalid, "attempt.id"},
		"huge_id":          {training.Attempt{ID: training.AttemptID(huge), Rep: "carl", Module: "phone"}, salesprocess.ErrInvalid, "attempt.id"},
		"no_rep":           {training.Attempt{ID: "c1", Module: "phone", Score: 1}, salesprocess.ErrInvalid, "attempt.rep"},
		"nul_rep":          {training.Attempt{ID: "c1", Rep: salesprocess.RepID(nul), Module: "phone"}, salesprocess.ErrInvalid, "attempt.rep"},
		"no_module":        {training.Attempt{ID: "c1", Rep: "carl"}, salesprocess.ErrInvalid, "attempt.module"},
		"unknown_module":   {training.Attempt{ID: "c1", Rep: "carl", Module: "juggling"}, salesprocess.ErrInvalid, "attempt.module"},
		"negative_score":   {training.Attempt{ID: "c1", Rep: "carl", Module: "phone", Score: -1}, salesprocess.ErrInvalid, "attempt.score"},
		"score_above_max":  {training.Attempt{ID: "c1", Rep: "carl", Module: "phone", Score: 101}, salesprocess.ErrInvalid, "attempt.score"},
		"score_max_int":    {training.Attempt{ID: "c1", Rep: "carl", Module: "phone", Score: math.MaxInt}, salesprocess.ErrInvalid, "attempt.score"},
		"time_far":         {training.Attempt{ID: "c1", Rep: "carl", Module: "phone", Time: far}, salesprocess.ErrInvalid, "attempt.time"},
		"time_before_1":    {training.Attempt{ID: "c1", Rep: "carl", Module: "phone", Time: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)}, salesprocess.ErrInvalid, "attempt.time"},
		"after_clock":      {training.Attempt{ID: "c1", Rep: "carl", Module: "phone", Score: 80, Time: t0.Add(day)}, salesprocess.ErrInvalid, "attempt.time"},
		"duplicate_id":     {training.Attempt{ID: "a1", Rep: "carl", Module: "phone", Score: 1}, salesprocess.ErrDuplicate, `"a1"`},
		"attempts_used_up": {training.Attempt{ID: "b4", Rep: "bob", Module: "p1-basics", Score: 10}, salesprocess.ErrForbidden, "all 3 attempts"},
	} {
		add(operation{"record_attempt/" + name, func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.RecordAttempt(ctx, tc.a)
			return err
		}, tc.is, tc.field})
	}

	// Progress and Certify.
	for name, tc := range map[string]struct {
		rep   salesprocess.RepID
		cur   training.CurriculumID
		is    error
		field string
	}{
		"no_rep":             {"", "p1-all", salesprocess.ErrInvalid, "rep"},
		"bad_rep":            {salesprocess.RepID(badUTF8), "p1-all", salesprocess.ErrInvalid, "rep"},
		"unknown_curriculum": {"ann", "knitting", salesprocess.ErrInvalid, "curriculum"},
		"empty_curriculum":   {"ann", "", salesprocess.ErrInvalid, "curriculum"},
		"no_brief":           {"ann", "p2-all", salesprocess.ErrNotFound, `product "p2"`},
	} {
		add(
			operation{"progress/" + name, func(ctx context.Context, tr *training.Trainer) error {
				_, err := tr.Progress(ctx, tc.rep, tc.cur, t0.Add(day))
				return err
			}, tc.is, tc.field},
			operation{"certify/" + name, func(ctx context.Context, tr *training.Trainer) error {
				_, err := tr.Certify(ctx, tc.rep, tc.cur)
				return err
			}, tc.is, tc.field},
		)
	}
	add(
		operation{"certify/incomplete", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Certify(ctx, "bob", "p1-all")
			return err
		}, salesprocess.ErrForbidden, "p1-basics"},
		operation{"certify/never_tried", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Certify(ctx, "carl", "p1-phone")
			return err
		}, salesprocess.ErrForbidden, "p1-basics, phone"},
	)

	// AssignModule and Assignments.
	assignment := training.Assignment{ID: "as2", Rep: "carl", Module: "web", Due: t0.Add(7 * day), Assigned: t0}
	for name, tc := range map[string]struct {
		edit  func(*training.Assignment)
		is    error
		field string
	}{
		"no_id":           {func(a *training.Assignment) { a.ID = "" }, salesprocess.ErrInvalid, "assignment.id"},
		"no_rep":          {func(a *training.Assignment) { a.Rep = "" }, salesprocess.ErrInvalid, "assignment.rep"},
		"no_module":       {func(a *training.Assignment) { a.Module = "" }, salesprocess.ErrInvalid, "assignment.module"},
		"unknown_module":  {func(a *training.Assignment) { a.Module = "juggling" }, salesprocess.ErrInvalid, "assignment.module"},
		"bad_assigned_by": {func(a *training.Assignment) { a.AssignedBy = "m\n" }, salesprocess.ErrInvalid, "assignment.assigned_by"},
		"huge_reason":     {func(a *training.Assignment) { a.Reason = huge }, salesprocess.ErrInvalid, "assignment.reason"},
		"nul_reason":      {func(a *training.Assignment) { a.Reason = nul }, salesprocess.ErrInvalid, "assignment.reason"},
		"due_before":      {func(a *training.Assignment) { a.Due = t0.Add(-day) }, salesprocess.ErrInvalid, "assignment.due"},
		"due_zero":        {func(a *training.Assignment) { a.Due = time.Time{} }, salesprocess.ErrInvalid, "assignment.due"},
		"due_far":         {func(a *training.Assignment) { a.Due = far }, salesprocess.ErrInvalid, "assignment.due"},
		"assigned_far":    {func(a *training.Assignment) { a.Assigned, a.Due = far, far.Add(day) }, salesprocess.ErrInvalid, "assignment.assigned"},
		"duplicate_id":    {func(a *training.Assignment) { a.ID = "as1" }, salesprocess.ErrDuplicate, `"as1"`},
	} {
		add(operation{"assign_module/" + name, func(ctx context.Context, tr *training.Trainer) error {
			a := assignment
			tc.edit(&a)
			_, err := tr.AssignModule(ctx, a)
			return err
		}, tc.is, tc.field})
	}
	add(operation{"assignments/bad_rep", func(ctx context.Context, tr *training.Trainer) error {
		_, err := tr.Assignments(ctx, salesprocess.RepID(nul), t0)
		return err
	}, salesprocess.ErrInvalid, "rep"})

	// Onboard.
	for name, tc := range map[string]struct {
		edit  func(*training.Onboarding)
		is    error
		field string
	}{
		"no_rep":           {func(o *training.Onboarding) { o.Rep = "" }, salesprocess.ErrInvalid, "onboarding.rep"},
		"no_region":        {func(o *training.Onboarding) { o.Region = "" }, salesprocess.ErrInvalid, "onboarding.region"},
		"no_start":         {func(o *training.Onboarding) { o.Start = time.Time{} }, salesprocess.ErrInvalid, "onboarding.start"},
		"start_far":        {func(o *training.Onboarding) { o.Start = far }, salesprocess.ErrInvalid, "onboarding.start"},
		"no_goal":          {func(o *training.Onboarding) { o.MonthlyGoal = salesprocess.Money{} }, salesprocess.ErrInvalid, "onboarding.monthly_goal"},
		"zero_goal":        {func(o *training.Onboarding) { o.MonthlyGoal = goal.Mul(decimal.Zero) }, salesprocess.ErrInvalid, "onboarding.monthly_goal"},
		"negative_goal":    {func(o *training.Onboarding) { o.MonthlyGoal = goal.Neg() }, salesprocess.ErrInvalid, "onboarding.monthly_goal"},
		"goal_beyond":      {func(o *training.Onboarding) { o.MonthlyGoal = goal.Mul(decimal.New(1, 50)) }, salesprocess.ErrInvalid, "onboarding.monthly_goal.amount"},
		"ramp_too_long":    {func(o *training.Onboarding) { o.Ramp = make([]decimal.Decimal, 37) }, salesprocess.ErrInvalid, "onboarding.ramp"},
		"ramp_above_one":   {func(o *training.Onboarding) { o.Ramp = []decimal.Decimal{dec("1.01")} }, salesprocess.ErrInvalid, "onboarding.ramp[0]"},
		"ramp_negative":    {func(o *training.Onboarding) { o.Ramp = []decimal.Decimal{dec("0.5"), dec("-0.5")} }, salesprocess.ErrInvalid, "onboarding.ramp[1]"},
		"ramp_tiny_exp":    {func(o *training.Onboarding) { o.Ramp = []decimal.Decimal{decimal.New(5, -2000000000)} }, salesprocess.ErrInvalid, "onboarding.ramp[0]"},
		"ramp_huge_exp":    {func(o *training.Onboarding) { o.Ramp = []decimal.Decimal{decimal.New(0, math.MaxInt32)} }, salesprocess.ErrInvalid, "onboarding.ramp[0]"},
		"untrained_rep":    {func(o *training.Onboarding) { o.Rep = "carl" }, salesprocess.ErrForbidden, "no_certificate"},
		"before_certified": {func(o *training.Onboarding) { o.Start = t0 }, salesprocess.ErrForbidden, "not_yet_valid"},
	} {
		add(operation{"onboard/" + name, func(ctx context.Context, tr *training.Trainer) error {
			o := onboarding
			o.Ramp = slices.Clone(o.Ramp)
			tc.edit(&o)
			_, err := tr.Onboard(ctx, o)
			return err
		}, tc.is, tc.field})
	}

	// StartPilot: every field of a pilot and of its criteria.
	for name, tc := range map[string]struct {
		edit  func(*training.Pilot)
		is    error
		field string
	}{
		"no_id":                {func(p *training.Pilot) { p.ID = "" }, salesprocess.ErrInvalid, "pilot.id"},
		"duplicate_id":         {func(p *training.Pilot) { p.ID = "f1" }, salesprocess.ErrDuplicate, `"f1"`},
		"no_product":           {func(p *training.Pilot) { p.Product = "" }, salesprocess.ErrInvalid, "pilot.product"},
		"no_version":           {func(p *training.Pilot) { p.Version = training.Version{} }, salesprocess.ErrInvalid, "pilot.version"},
		"no_localities":        {func(p *training.Pilot) { p.Localities = nil }, salesprocess.ErrInvalid, "pilot.localities"},
		"blank_locality":       {func(p *training.Pilot) { p.Localities = []string{"a", " "} }, salesprocess.ErrInvalid, "pilot.localities[1]"},
		"nul_locality":         {func(p *training.Pilot) { p.Localities = []string{nul} }, salesprocess.ErrInvalid, "pilot.localities[0]"},
		"locality_twice":       {func(p *training.Pilot) { p.Localities = []string{"a", "b", "a"} }, salesprocess.ErrInvalid, "pilot.localities[2]"},
		"zero_quantity":        {func(p *training.Pilot) { p.Quantity = 0 }, salesprocess.ErrInvalid, "pilot.quantity"},
		"huge_quantity":        {func(p *training.Pilot) { p.Quantity = math.MaxInt64 }, salesprocess.ErrInvalid, "pilot.quantity"},
		"no_period":            {func(p *training.Pilot) { p.Period = salesprocess.Period{} }, salesprocess.ErrInvalid, "pilot.period"},
		"period_past_9999":     {func(p *training.Pilot) { p.Period = salesprocess.Month(10001, 1, nil) }, salesprocess.ErrInvalid, "pilot.period"},
		"period_local":         {func(p *training.Pilot) { p.Period = salesprocess.Month(2026, 3, machineLocal) }, salesprocess.ErrInvalid, "pilot.period"},
		"negative_units":       {func(p *training.Pilot) { p.Criteria.MinUnitsSold = -1 }, salesprocess.ErrInvalid, "pilot.criteria.min_units_sold"},
		"sell_through_above":   {func(p *training.Pilot) { p.Criteria.MinSellThrough = dec("1.5") }, salesprocess.ErrInvalid, "pilot.criteria.min_sell_through"},
		"sell_through_tiny":    {func(p *training.Pilot) { p.Criteria.MinSellThrough = decimal.New(1, -2000000000) }, salesprocess.ErrInvalid, "pilot.criteria.min_sell_through"},
		"sell_through_huge":    {func(p *training.Pilot) { p.Criteria.MinSellThrough = decimal.New(0, math.MaxInt32) }, salesprocess.ErrInvalid, "pilot.criteria.min_sell_through"},
		"negative_localities":  {func(p *training.Pilot) { p.Criteria.MinLocalitiesWithSales = -2 }, salesprocess.ErrInvalid, "pilot.criteria.min_localities_with_sales"},
		"localities_beyond":    {func(p *training.Pilot) { p.Criteria.MinLocalitiesWithSales = 3 }, salesprocess.ErrInvalid, "pilot.criteria.min_localities_with_sales"},
		"negative_feedback":    {func(p *training.Pilot) { p.Criteria.MinFeedback = math.MinInt }, salesprocess.ErrInvalid, "pilot.criteria.min_feedback"},
		"average_rating_0_5":   {func(p *training.Pilot) { p.Criteria.MinAverageRating = dec("0.5") }, salesprocess.ErrInvalid, "pilot.criteria.min_average_rating"},
		"average_rating_6":     {func(p *training.Pilot) { p.Criteria.MinAverageRating = dec("6") }, salesprocess.ErrInvalid, "pilot.criteria.min_average_rating"},
		"average_rating_tiny":  {func(p *training.Pilot) { p.Criteria.MinAverageRating = decimal.New(3, -2000000000) }, salesprocess.ErrInvalid, "pilot.criteria.min_average_rating"},
		"locality_rating_huge": {func(p *training.Pilot) { p.Criteria.MinLocalityRating = decimal.New(3, math.MaxInt32) }, salesprocess.ErrInvalid, "pilot.criteria.min_locality_rating"},
		"blocking_unknown":     {func(p *training.Pilot) { p.Criteria.BlockingSeverity = "blocker" }, salesprocess.ErrInvalid, "pilot.criteria.blocking_severity"},
		"bad_issue":            {func(p *training.Pilot) { p.Issues = []training.Issue{{ID: "I1"}} }, salesprocess.ErrInvalid, "pilot.issues[0].title"},
		"issue_twice": {func(p *training.Pilot) {
			is := training.Issue{ID: "I1", Title: "t", Severity: training.SeverityInfo, Opened: t0}
			p.Issues = []training.Issue{is, is}
		}, salesprocess.ErrInvalid, "pilot.issues[1].id"},
		"improvement_unknown_issue": {func(p *training.Pilot) {
			p.Improvements = []training.Improvement{{Version: v("1.1"), Summary: "s", Resolves: []training.IssueID{"I9"}, Time: t0}}
		}, salesprocess.ErrInvalid, "pilot.improvements[0].resolves[0]"},
	} {
		add(operation{"start_pilot/" + name, func(ctx context.Context, tr *training.Trainer) error {
			p := pilot.Clone()
			tc.edit(&p)
			_, err := tr.StartPilot(ctx, p)
			return err
		}, tc.is, tc.field})
	}

	// RecordSale.
	sale := training.Sale{ID: "s2", Pilot: "f1", Locality: "Shelbyville", Units: 5, Time: t0}
	for name, tc := range map[string]struct {
		edit  func(*training.Sale)
		is    error
		field string
	}{
		"no_id":           {func(s *training.Sale) { s.ID = "" }, salesprocess.ErrInvalid, "sale.id"},
		"duplicate_id":    {func(s *training.Sale) { s.ID = "s1" }, salesprocess.ErrDuplicate, `"s1"`},
		"no_pilot":        {func(s *training.Sale) { s.Pilot = "" }, salesprocess.ErrInvalid, "sale.pilot"},
		"unknown_pilot":   {func(s *training.Sale) { s.Pilot = "f9" }, salesprocess.ErrNotFound, `"f9"`},
		"no_locality":     {func(s *training.Sale) { s.Locality = "" }, salesprocess.ErrInvalid, "sale.locality"},
		"other_locality":  {func(s *training.Sale) { s.Locality = "Capital City" }, salesprocess.ErrInvalid, "sale.locality"},
		"nul_locality":    {func(s *training.Sale) { s.Locality = nul }, salesprocess.ErrInvalid, "sale.locality"},
		"zero_units":      {func(s *training.Sale) { s.Units = 0 }, salesprocess.ErrInvalid, "sale.units"},
		"negative_units":  {func(s *training.Sale) { s.Units = math.MinInt64 }, salesprocess.ErrInvalid, "sale.units"},
		"beyond_quantity": {func(s *training.Sale) { s.Units = 11 }, salesprocess.ErrInvalid, "sale.units"},
		"negative_amount": {func(s *training.Sale) { s.Amount = goal.Neg() }, salesprocess.ErrInvalid, "sale.amount"},
		"amount_beyond":   {func(s *training.Sale) { s.Amount = goal.Mul(decimal.New(1, -45)) }, salesprocess.ErrInvalid, "sale.amount.amount"},
		"bad_customer":    {func(s *training.Sale) { s.Customer = " c" }, salesprocess.ErrInvalid, "sale.customer"},
		"no_time":         {func(s *training.Sale) { s.Time = time.Time{} }, salesprocess.ErrInvalid, "sale.time"},
		"before_period":   {func(s *training.Sale) { s.Time = t0.AddDate(0, -2, 0) }, salesprocess.ErrInvalid, "sale.time"},
		"time_far":        {func(s *training.Sale) { s.Time = far }, salesprocess.ErrInvalid, "sale.time"},
		"after_clock":     {func(s *training.Sale) { s.Time = t0.Add(day) }, salesprocess.ErrInvalid, "sale.time"},
	} {
		add(operation{"record_sale/" + name, func(ctx context.Context, tr *training.Trainer) error {
			s := sale
			tc.edit(&s)
			return tr.RecordSale(ctx, s)
		}, tc.is, tc.field})
	}

	// RecordFeedback and FieldFeedback.
	fb := ratings("Shelbyville:5")[0]
	fb.ID = "b-new"
	for name, tc := range map[string]struct {
		edit  func(*salesprocess.Feedback)
		is    error
		field string
	}{
		"no_id":          {func(f *salesprocess.Feedback) { f.ID = "" }, salesprocess.ErrInvalid, "feedback.id"},
		"duplicate_id":   {func(f *salesprocess.Feedback) { f.ID = "b0" }, salesprocess.ErrDuplicate, `"b0"`},
		"rating_0":       {func(f *salesprocess.Feedback) { f.Rating = 0 }, salesprocess.ErrInvalid, "feedback.rating"},
		"no_category":    {func(f *salesprocess.Feedback) { f.Category = "" }, salesprocess.ErrInvalid, "feedback.category"},
		"no_locality":    {func(f *salesprocess.Feedback) { f.Locality = "" }, salesprocess.ErrInvalid, "feedback.locality"},
		"nul_text":       {func(f *salesprocess.Feedback) { f.Text = nul }, salesprocess.ErrInvalid, "feedback.text"},
		"time_far":       {func(f *salesprocess.Feedback) { f.Time = far }, salesprocess.ErrInvalid, "feedback.time"},
		"unknown_source": {func(f *salesprocess.Feedback) { f.Source = "hearsay" }, salesprocess.ErrInvalid, "feedback.source"},
	} {
		add(operation{"record_feedback/" + name, func(ctx context.Context, tr *training.Trainer) error {
			f := fb
			tc.edit(&f)
			return tr.RecordFeedback(ctx, f)
		}, tc.is, tc.field})
	}
	// RecordPilotFeedback: what RecordFeedback refuses, and what it would
	// store to count for no pilot's decision.
	for name, tc := range map[string]struct {
		pilot training.PilotID
		edit  func(*salesprocess.Feedback)
		is    error
		field string
	}{
		"no_pilot":          {"", func(*salesprocess.Feedback) {}, salesprocess.ErrInvalid, "pilot"},
		"nul_pilot":         {training.PilotID(nul), func(*salesprocess.Feedback) {}, salesprocess.ErrInvalid, "pilot"},
		"unknown_pilot":     {"f9", func(*salesprocess.Feedback) {}, salesprocess.ErrNotFound, `"f9"`},
		"no_id":             {"f1", func(f *salesprocess.Feedback) { f.ID = "" }, salesprocess.ErrInvalid, "feedback.id"},
		"duplicate_id":      {"f1", func(f *salesprocess.Feedback) { f.ID = "b0" }, salesprocess.ErrDuplicate, `"b0"`},
		"rating_0":          {"f1", func(f *salesprocess.Feedback) { f.Rating = 0 }, salesprocess.ErrInvalid, "feedback.rating"},
		"no_category":       {"f1", func(f *salesprocess.Feedback) { f.Category = "" }, salesprocess.ErrInvalid, "feedback.category"},
		"no_locality":       {"f1", func(f *salesprocess.Feedback) { f.Locality = "" }, salesprocess.ErrInvalid, "feedback.locality"},
		"nul_text":          {"f1", func(f *salesprocess.Feedback) { f.Text = nul }, salesprocess.ErrInvalid, "feedback.text"},
		"time_far":          {"f1", func(f *salesprocess.Feedback) { f.Time = far }, salesprocess.ErrInvalid, "feedback.time"},
		"unknown_source":    {"f1", func(f *salesprocess.Feedback) { f.Source = "hearsay" }, salesprocess.ErrInvalid, "feedback.source"},
		"customer_source":   {"f1", func(f *salesprocess.Feedback) { f.Source = salesprocess.FromCustomer }, salesprocess.ErrInvalid, "feedback.source"},
		"rep_source":        {"f1", func(f *salesprocess.Feedback) { f.Source = salesprocess.FromRep }, salesprocess.ErrInvalid, "feedback.source"},
		"other_product":     {"f1", func(f *salesprocess.Feedback) { f.Product = "p2" }, salesprocess.ErrInvalid, "feedback.product"},
		"misspelt_locality": {"f1", func(f *salesprocess.Feedback) { f.Locality = "shelbyville" }, salesprocess.ErrInvalid, "feedback.locality"},
		"other_locality":    {"f1", func(f *salesprocess.Feedback) { f.Locality = "Capital City" }, salesprocess.ErrInvalid, "feedback.locality"},
		"before_period":     {"f1", func(f *salesprocess.Feedback) { f.Time = march.Start().Add(-time.Nanosecond) }, salesprocess.ErrInvalid, "feedback.time"},
	} {
		add(operation{"record_pilot_feedback/" + name, func(ctx context.Context, tr *training.Trainer) error {
			f := fb
			tc.edit(&f)
			return tr.RecordPilotFeedback(ctx, tc.pilot, f)
		}, tc.is, tc.field})
	}
	for name, p := range map[string]salesprocess.ProductID{"empty": "", "nul": salesprocess.ProductID(nul), "huge": salesprocess.ProductID(huge)} {
		add(operation{"field_feedback/product_" + name, func(ctx context.Context, tr *training.Trainer) error {
			for _, err := range tr.FieldFeedback(ctx, p) {
				if err != nil {
					return err
				}
			}
			return nil
		}, salesprocess.ErrInvalid, "products[0]"})
	}
	add(operation{"field_feedback/no_product", func(ctx context.Context, tr *training.Trainer) error {
		for _, err := range tr.FieldFeedback(ctx) {
			if err != nil {
				return err
			}
		}
		return nil
	}, salesprocess.ErrInvalid, "products"})

	// OpenIssue, Improve and Decide.
	issue := training.Issue{ID: "I2", Title: "handle squeaks", Severity: training.SeverityWarning, Opened: t0.Add(day)}
	for name, tc := range map[string]struct {
		pilot training.PilotID
		edit  func(*training.Issue)
		is    error
		field string
	}{
		"no_pilot":        {"", func(*training.Issue) {}, salesprocess.ErrInvalid, "pilot"},
		"nul_pilot":       {training.PilotID(nul), func(*training.Issue) {}, salesprocess.ErrInvalid, "pilot"},
		"unknown_pilot":   {"f9", func(*training.Issue) {}, salesprocess.ErrNotFound, `"f9"`},
		"no_id":           {"f1", func(i *training.Issue) { i.ID = "" }, salesprocess.ErrInvalid, "pilot.issues[1].id"},
		"id_twice":        {"f1", func(i *training.Issue) { i.ID = "I1" }, salesprocess.ErrDuplicate, `issue "I1" already opened`},
		"no_title":        {"f1", func(i *training.Issue) { i.Title = "" }, salesprocess.ErrInvalid, "pilot.issues[1].title"},
		"bad_severity":    {"f1", func(i *training.Issue) { i.Severity = "meh" }, salesprocess.ErrInvalid, "pilot.issues[1].severity"},
		"nul_locality":    {"f1", func(i *training.Issue) { i.Locality = nul }, salesprocess.ErrInvalid, "pilot.issues[1].locality"},
		"resolved_before": {"f1", func(i *training.Issue) { i.Resolved = t0 }, salesprocess.ErrInvalid, "pilot.issues[1].resolved"},
		"opened_far":      {"f1", func(i *training.Issue) { i.Opened = far }, salesprocess.ErrInvalid, "pilot.issues[1].opened"},
		"bad_fixed_in":    {"f1", func(i *training.Issue) { i.FixedIn = training.Version{Minor: -1} }, salesprocess.ErrInvalid, "pilot.issues[1].fixed_in"},
	} {
		add(operation{"open_issue/" + name, func(ctx context.Context, tr *training.Trainer) error {
			is := issue
			tc.edit(&is)
			_, err := tr.OpenIssue(ctx, tc.pilot, is)
			return err
		}, tc.is, tc.field})
	}
	improvement := training.Improvement{Version: v("1.1"), Summary: "new lid", Resolves: []training.IssueID{"I1"}, Time: t0.Add(2 * day)}
	for name, tc := range map[string]struct {
		pilot training.PilotID
		edit  func(*training.Improvement)
		is    error
		field string
	}{
		"no_pilot":          {"", func(*training.Improvement) {}, salesprocess.ErrInvalid, "pilot"},
		"unknown_pilot":     {"f9", func(*training.Improvement) {}, salesprocess.ErrNotFound, `"f9"`},
		"no_version":        {"f1", func(im *training.Improvement) { im.Version = training.Version{} }, salesprocess.ErrInvalid, "improvement.version"},
		"version_not_after": {"f1", func(im *training.Improvement) { im.Version = v("1.0") }, salesprocess.ErrInvalid, "improvement.version"},
		"no_summary":        {"f1", func(im *training.Improvement) { im.Summary = "\n" }, salesprocess.ErrInvalid, "improvement.summary"},
		"bad_resolves":      {"f1", func(im *training.Improvement) { im.Resolves = []training.IssueID{""} }, salesprocess.ErrInvalid, "improvement.resolves[0]"},
		"unknown_issue":     {"f1", func(im *training.Improvement) { im.Resolves = []training.IssueID{"I9"} }, salesprocess.ErrInvalid, "improvement.resolves[0]"},
		"issue_twice":       {"f1", func(im *training.Improvement) { im.Resolves = []training.IssueID{"I1", "I1"} }, salesprocess.ErrInvalid, "improvement.resolves[1]"},
		"before_issue":      {"f1", func(im *training.Improvement) { im.Time = t0 }, salesprocess.ErrInvalid, "improvement.resolves[0]"},
		"time_far":          {"f1", func(im *training.Improvement) { im.Time = far }, salesprocess.ErrInvalid, "improvement.time"},
		"no_brief":          {"f1", func(*training.Improvement) {}, salesprocess.ErrNotFound, "brief 1.1"},
	} {
		add(operation{"improve/" + name, func(ctx context.Context, tr *training.Trainer) error {
			im := improvement
			im.Resolves = slices.Clone(im.Resolves)
			tc.edit(&im)
			_, err := tr.Improve(ctx, tc.pilot, im)
			return err
		}, tc.is, tc.field})
	}
	add(
		operation{"decide/no_pilot", func(ctx context.Context, tr *training.Trainer) error { _, err := tr.Decide(ctx, "", t0); return err }, salesprocess.ErrInvalid, "pilot"},
		operation{"decide/unknown_pilot", func(ctx context.Context, tr *training.Trainer) error { _, err := tr.Decide(ctx, "f9", t0); return err }, salesprocess.ErrNotFound, `"f9"`},
	)

	// Readiness: every query with bad IDs.
	for name, tc := range map[string]struct {
		rep     salesprocess.RepID
		product salesprocess.ProductID
		channel salesprocess.ChannelID
		field   string
	}{
		"no_rep":       {"", "p1", "phone", "rep"},
		"nul_rep":      {salesprocess.RepID(nul), "p1", "phone", "rep"},
		"no_product":   {"ann", "", "phone", "product"},
		"huge_product": {"ann", salesprocess.ProductID(huge), "phone", "product"},
		"bad_channel":  {"ann", "p1", "phone\n", "channel"},
	} {
		add(
			operation{"eligible/" + name, func(ctx context.Context, tr *training.Trainer) error {
				return tr.Readiness().Eligible(ctx, tc.rep, tc.product, tc.channel, t0)
			}, salesprocess.ErrInvalid, tc.field},
			operation{"check/" + name, func(ctx context.Context, tr *training.Trainer) error {
				_, err := tr.Readiness().Check(ctx, tc.rep, tc.product, tc.channel, t0)
				return err
			}, salesprocess.ErrInvalid, tc.field},
		)
		if tc.field != "channel" {
			add(operation{"status/" + name, func(ctx context.Context, tr *training.Trainer) error {
				_, err := tr.Readiness().Status(ctx, tc.rep, tc.product, t0)
				return err
			}, salesprocess.ErrInvalid, tc.field}, operation{"certificate/" + name, func(ctx context.Context, tr *training.Trainer) error {
				_, err := tr.Readiness().Certificate(ctx, tc.rep, tc.product, t0)
				return err
			}, salesprocess.ErrInvalid, tc.field})
		}
	}
	add(
		operation{"eligible/not_certified", func(ctx context.Context, tr *training.Trainer) error {
			return tr.Readiness().Eligible(ctx, "carl", "p1", "phone", t0.Add(day))
		}, salesprocess.ErrForbidden, "no_certificate"},
		operation{"eligible/wrong_channel", func(ctx context.Context, tr *training.Trainer) error {
			return tr.Readiness().Eligible(ctx, "ann", "p1", "web", t0.Add(day))
		}, salesprocess.ErrForbidden, "wrong_channel"},
		operation{"eligible/no_brief", func(ctx context.Context, tr *training.Trainer) error {
			return tr.Readiness().Eligible(ctx, "ann", "p2", "phone", t0.Add(day))
		}, salesprocess.ErrForbidden, "no_brief"},
		operation{"certificate/not_certified", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Readiness().Certificate(ctx, "carl", "p1", t0.Add(day))
			return err
		}, salesprocess.ErrNotFound, `rep "carl" holds no certificate for product "p1"`},
	)

	// The queries at a time no text or JSON form holds.
	add(
		operation{"eligible/at_far", func(ctx context.Context, tr *training.Trainer) error {
			return tr.Readiness().Eligible(ctx, "ann", "p1", "phone", far)
		}, salesprocess.ErrInvalid, "at"},
		operation{"check/at_far", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Readiness().Check(ctx, "ann", "p1", "phone", far)
			return err
		}, salesprocess.ErrInvalid, "at"},
		operation{"status/at_far", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Readiness().Status(ctx, "ann", "p1", far)
			return err
		}, salesprocess.ErrInvalid, "at"},
		operation{"certificate/at_far", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Readiness().Certificate(ctx, "ann", "p1", far)
			return err
		}, salesprocess.ErrInvalid, "at"},
		operation{"progress/at_far", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Progress(ctx, "ann", "p1-phone", far)
			return err
		}, salesprocess.ErrInvalid, "at"},
		operation{"assignments/at_far", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Assignments(ctx, "bob", far)
			return err
		}, salesprocess.ErrInvalid, "at"},
		operation{"decide/at_far", func(ctx context.Context, tr *training.Trainer) error {
			_, err := tr.Decide(ctx, "f1", far)
			return err
		}, salesprocess.ErrInvalid, "at"},
	)

	slices.SortFunc(rows, func(a, b operation) int { return strings.Compare(a.name, b.name) })
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			ctx := context.Background()
			f := newTrainingFixture(t)
			before := f.snapshot(t)
			var err error
			require.NotPanics(t, func() { err = row.run(ctx, f.trainer) })
			checkTrainingErr(t, err, row.is, row.field)
			assert.Zero(t, f.store.writes.Load(), "a refused operation wrote")
			assert.Equal(t, before, f.snapshot(t), "the store changed")
		})
	}
	t.Logf("%d rows", len(rows))
}

// valueCase is a row of TestBadValueCatalogue.
type valueCase struct {
	name  string
	call  func() error
	is    error
	field string
}

// TestBadValueCatalogue lists the exported constructors, parsers,
// validators and decoders of the package that take no store, with every
// class of invalid input.
func TestBadValueCatalogue(t *testing.T) {
	var rows []valueCase
	add := func(r ...valueCase) { rows = append(rows, r...) }

	// Identifiers.
	for _, id := range []struct {
		kind     string
		validate func(string) error
	}{
		{"module id", func(s string) error { return training.ModuleID(s).Validate() }},
		{"curriculum id", func(s string) error { return training.CurriculumID(s).Validate() }},
		{"attempt id", func(s string) error { return training.AttemptID(s).Validate() }},
		{"assignment id", func(s string) error { return training.AssignmentID(s).Validate() }},
		{"pilot id", func(s string) error { return training.PilotID(s).Validate() }},
		{"issue id", func(s string) error { return training.IssueID(s).Validate() }},
		{"sale id", func(s string) error { return training.SaleID(s).Validate() }},
	} {
		for name, s := range map[string]string{"empty": "", "huge": huge, "nul": nul, "utf8": badUTF8, "spaced": " x", "newline": "x\ny"} {
			add(valueCase{"id/" + strings.ReplaceAll(id.kind, " ", "_") + "/" + name, func() error { return id.validate(s) }, salesprocess.ErrInvalid, id.kind})
		}
	}

	// Versions.
	for name, s := range map[string]string{
		"empty": "", "zero": "0.0", "one_part": "2", "three_parts": "1.2.3", "leading_zero": "01.2", "sign": "+1.0",
		"negative": "-1.0", "space": "1. 0", "too_big": "1000000.0", "letters": "v1.0", "nul": "1.0\x00", "huge": huge,
		"exponent": "1e2.0", "unicode_digits": "١.٠",
	} {
		add(valueCase{"version/parse_" + name, func() error { _, err := training.ParseVersion(s); return err }, salesprocess.ErrInvalid, "version"})
		if s != "" {
			add(valueCase{"version/unmarshal_" + name, func() error {
				ver := v("2.1")
				err := ver.UnmarshalText([]byte(s))
				if ver != v("2.1") {
					return errors.Join(err, errors.New("the value changed"))
				}
				return err
			}, salesprocess.ErrInvalid, "version"})
		}
	}
	for name, ver := range map[string]training.Version{
		"zero": {}, "negative_major": {Major: -1}, "negative_minor": {Major: 1, Minor: -1}, "too_big": {Major: training.MaxVersionPart + 1},
		"min_int": {Major: math.MinInt, Minor: math.MinInt},
	} {
		add(valueCase{"version/validate_" + name, ver.Validate, salesprocess.ErrInvalid, "version"})
		if !ver.IsZero() {
			add(valueCase{"version/marshal_" + name, func() error { _, err := ver.MarshalText(); return err }, salesprocess.ErrInvalid, "version"})
		}
	}

	// Enumerations.
	for _, e := range []struct {
		kind     string
		validate func(string) error
		text     func(string) func() error
	}{
		{"severity", func(s string) error { return training.Severity(s).Validate() },
			func(s string) func() error { return keepsText(training.SeverityWarning, s) }},
		{"module kind", func(s string) error { return training.ModuleKind(s).Validate() },
			func(s string) func() error { return keepsText(training.ModuleSellingTechnique, s) }},
		{"certificate status", func(s string) error { return training.CertStatus(s).Validate() },
			func(s string) func() error { return keepsText(training.CertExpired, s) }},
		{"reason code", func(s string) error { return training.ReasonCode(s).Validate() },
			func(s string) func() error { return keepsText(training.ReasonExpired, s) }},
	} {
		k := strings.ReplaceAll(e.kind, " ", "_")
		add(valueCase{k + "/validate_empty", func() error { return e.validate("") }, salesprocess.ErrInvalid, "missing " + e.kind})
		for name, s := range map[string]string{"unknown": "whatever", "upper": "INFO", "nul": "\x00", "huge": huge, "utf8": "\xff"} {
			add(
				valueCase{k + "/validate_" + name, func() error { return e.validate(s) }, salesprocess.ErrInvalid, "unknown " + e.kind},
				valueCase{k + "/unmarshal_" + name, e.text(s), salesprocess.ErrInvalid, "unknown " + e.kind},
			)
		}
	}

	// Pitch checks: an invalid brief or channel compiles to nothing.
	add(
		valueCase{"checker/invalid_brief", func() error { _, err := training.NewChecker(training.Brief{}, ""); return err }, salesprocess.ErrInvalid, "brief.product"},
		valueCase{"checker/bad_channel", func() error { _, err := training.NewChecker(fullBrief(), "re tail "); return err }, salesprocess.ErrInvalid, "channel"},
		valueCase{"checker/check_pitch_invalid_brief", func() error {
			b := fullBrief()
			b.Prohibited[0].Severity = ""
			_, err := training.CheckPitch(b, "retail", "guaranteed returns")
			return err
		}, salesprocess.ErrInvalid, "brief.prohibited[0].severity"},
	)

	// Catalog: modules and curricula.
	mod := testModules()[0]
	for name, tc := range map[string]struct {
		edit  func(*training.Module)
		field string
	}{
		"no_id":             {func(m *training.Module) { m.ID = "" }, "module.id"},
		"no_title":          {func(m *training.Module) { m.Title = " " }, "module.title"},
		"nul_title":         {func(m *training.Module) { m.Title = nul }, "module.title"},
		"no_kind":           {func(m *training.Module) { m.Kind = "" }, "module.kind"},
		"unknown_kind":      {func(m *training.Module) { m.Kind = "yoga" }, "module.kind"},
		"no_product":        {func(m *training.Module) { m.Product = "" }, "module.product"},
		"no_brief_version":  {func(m *training.Module) { m.BriefVersion = training.Version{} }, "module.brief_version"},
		"technique_version": {func(m *training.Module) { m.Kind, m.Channel = training.ModuleSellingTechnique, "web" }, "module.brief_version"},
		"technique_channel": {func(m *training.Module) { m.Kind, m.BriefVersion = training.ModuleSellingTechnique, training.Version{} }, "module.channel"},
		"bad_channel":       {func(m *training.Module) { m.Channel = salesprocess.ChannelID(badUTF8) }, "module.channel"},
		"product_channel":   {func(m *training.Module) { m.Channel = "web" }, "module.channel"},
		"zero_max_score":    {func(m *training.Module) { m.Assessment.MaxScore = 0 }, "module.assessment.max_score"},
		"pass_above_max":    {func(m *training.Module) { m.Assessment.PassMark = 11 }, "module.assessment.pass_mark"},
		"zero_pass_mark":    {func(m *training.Module) { m.Assessment.PassMark = 0 }, "module.assessment.pass_mark"},
		"negative_attempts": {func(m *training.Module) { m.Assessment.MaxAttempts = -1 }, "module.assessment.max_attempts"},
	} {
		m := mod
		tc.edit(&m)
		add(
			valueCase{"module/" + name, m.Validate, salesprocess.ErrInvalid, tc.field},
			valueCase{"catalog/module_" + name, func() error { _, err := training.NewCatalog([]training.Module{m}, nil); return err }, salesprocess.ErrInvalid, "modules[0]." + strings.TrimPrefix(tc.field, "module.")},
		)
	}
	cur := testCurricula()[0]
	for name, tc := range map[string]struct {
		edit  func(*training.Curriculum)
		field string
	}{
		"no_id":         {func(c *training.Curriculum) { c.ID = "" }, "curriculum.id"},
		"no_title":      {func(c *training.Curriculum) { c.Title = "" }, "curriculum.title"},
		"no_product":    {func(c *training.Curriculum) { c.Product = "" }, "curriculum.product"},
		"bad_channel":   {func(c *training.Curriculum) { c.Channel = "\x00" }, "curriculum.channel"},
		"no_modules":    {func(c *training.Curriculum) { c.Modules = nil }, "curriculum.modules"},
		"bad_module":    {func(c *training.Curriculum) { c.Modules = []training.ModuleID{"phone", ""} }, "curriculum.modules[1]"},
		"module_twice":  {func(c *training.Curriculum) { c.Modules = []training.ModuleID{"phone", "p1-basics", "phone"} }, "curriculum.modules[2]"},
		"zero_months":   {func(c *training.Curriculum) { c.ValidMonths = 0 }, "curriculum.valid_months"},
		"months_beyond": {func(c *training.Curriculum) { c.ValidMonths = training.MaxValidMonths + 1 }, "curriculum.valid_months"},
	} {
		c := cur
		c.Modules = slices.Clone(c.Modules)
		tc.edit(&c)
		add(
			valueCase{"curriculum/" + name, c.Validate, salesprocess.ErrInvalid, tc.field},
			valueCase{"catalog/curriculum_" + name, func() error { _, err := training.NewCatalog(testModules(), []training.Curriculum{c}); return err }, salesprocess.ErrInvalid, "curricula[0]." + strings.TrimPrefix(tc.field, "curriculum.")},
		)
	}
	add(
		valueCase{"catalog/module_twice", func() error {
			_, err := training.NewCatalog(append(testModules(), testModules()[1]), nil)
			return err
		}, salesprocess.ErrInvalid, "modules[3].id"},
		valueCase{"catalog/curriculum_twice", func() error {
			_, err := training.NewCatalog(testModules(), append(testCurricula(), testCurricula()[0]))
			return err
		}, salesprocess.ErrInvalid, "curricula[2].id"},
		valueCase{"catalog/unknown_module", func() error {
			c := cur
			c.Modules = []training.ModuleID{"juggling"}
			_, err := training.NewCatalog(testModules(), []training.Curriculum{c})
			return err
		}, salesprocess.ErrInvalid, "curricula[0].modules[0]"},
		valueCase{"catalog/module_of_other_product", func() error {
			c := cur
			c.Product = "p2"
			_, err := training.NewCatalog(testModules(), []training.Curriculum{c})
			return err
		}, salesprocess.ErrInvalid, "curricula[0].modules[0]"},
		valueCase{"catalog/module_of_other_channel", func() error {
			c := cur
			c.Modules = []training.ModuleID{"web"}
			_, err := training.NewCatalog(testModules(), []training.Curriculum{c})
			return err
		}, salesprocess.ErrInvalid, "curricula[0].modules[0]"},
	)

	// Certificates, attempts, onboardings, sales, issues, improvements and
	// criteria validated alone.
	cert := training.Certificate{Rep: "ann", Product: "p1", BriefVersion: v("1.0"), Issued: t0, Expires: t0.Add(day)}
	for name, tc := range map[string]struct {
		edit  func(*training.Certificate)
		field string
	}{
		"no_rep":         {func(c *training.Certificate) { c.Rep = "" }, "certificate.rep"},
		"no_product":     {func(c *training.Certificate) { c.Product = "" }, "certificate.product"},
		"bad_channel":    {func(c *training.Certificate) { c.Channel = " x" }, "certificate.channel"},
		"no_version":     {func(c *training.Certificate) { c.BriefVersion = training.Version{} }, "certificate.brief_version"},
		"bad_curriculum": {func(c *training.Certificate) { c.Curriculum = training.CurriculumID(huge) }, "certificate.curriculum"},
		"no_issued":      {func(c *training.Certificate) { c.Issued = time.Time{} }, "certificate.issued"},
		"expires_first":  {func(c *training.Certificate) { c.Expires = c.Issued }, "certificate.expires"},
		"expires_far":    {func(c *training.Certificate) { c.Expires = far }, "certificate.expires"},
		"issued_year_0":  {func(c *training.Certificate) { c.Issued = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) }, "certificate.issued"},
	} {
		c := cert
		tc.edit(&c)
		add(valueCase{"certificate/" + name, c.Validate, salesprocess.ErrInvalid, tc.field})
	}
	goal, err := salesprocess.ParseMoney("10.00 EUR")
	require.NoError(t, err)
	add(
		valueCase{"onboarding/assign_other_rep", func() error {
			_, err := training.Onboarding{Rep: "ann", Region: "north"}.Assign(salesprocess.Rep{ID: "bob", Name: "Bob"})
			return err
		}, salesprocess.ErrInvalid, "rep.id"},
		valueCase{"onboarding/validate_ramp_message_brief", func() error {
			err := training.Onboarding{Rep: "ann", Region: "north", Start: t0, MonthlyGoal: goal,
				Ramp: []decimal.Decimal{decimal.New(7, -2000000000)}}.Validate()
			if err != nil && len(err.Error()) > 200 {
				return errors.Join(err, errors.New("the message is long"))
			}
			return err
		}, salesprocess.ErrInvalid, "onboarding.ramp[0]"},
		valueCase{"attempt/zero", training.Attempt{}.Validate, salesprocess.ErrInvalid, "attempt.id"},
		valueCase{"attempt/bad_version", training.Attempt{ID: "a", Rep: "r", Module: "m", BriefVersion: training.Version{Major: -1}, Time: t0}.Validate, salesprocess.ErrInvalid, "attempt.brief_version"},
		valueCase{"sale/zero", training.Sale{}.Validate, salesprocess.ErrInvalid, "sale.id"},
		valueCase{"issue/zero", training.Issue{}.Validate, salesprocess.ErrInvalid, "issue.id"},
		valueCase{"improvement/zero", training.Improvement{}.Validate, salesprocess.ErrInvalid, "improvement.version"},
		valueCase{"improvement/issue_twice", training.Improvement{Version: v("1.1"), Summary: "s", Resolves: []training.IssueID{"I1", "I2", "I1"}, Time: t0}.Validate, salesprocess.ErrInvalid, "improvement.resolves[2]"},
		valueCase{"criteria/negative_units", training.Criteria{MinUnitsSold: -1}.Validate, salesprocess.ErrInvalid, "min_units_sold"},
		valueCase{"decide/invalid_pilot", func() error { _, err := training.Decide(training.Pilot{}, nil, nil, t0); return err }, salesprocess.ErrInvalid, "pilot.id"},
		valueCase{"decide/pilot_with_huge_criteria", func() error {
			p := testPilot(training.Criteria{MinSellThrough: decimal.New(1, math.MaxInt32)})
			_, err := training.Decide(p, nil, nil, t0)
			return err
		}, salesprocess.ErrInvalid, "pilot.criteria.min_sell_through"},
	)

	// Malformed JSON for every type that leaves the process.
	for _, jc := range []struct {
		kind   string
		decode func(string) func() error
		cases  map[string][2]string // name → data, field
	}{
		{"brief", decodeJSON[training.Brief], map[string][2]string{
			"malformed": {`{"product":`, "brief"}, "bad_version": {`{"version":"2"}`, "brief.version"},
			"number_version": {`{"version":2.1}`, "brief.version"}, "bad_published": {`{"published":"monday"}`, "brief.published"},
			"pros_object": {`{"pros":{}}`, "brief.pros"}, "bad_severity": {`{"prohibited":[{"severity":"fatal"}]}`, "brief.prohibited[0].severity"},
			"channel_number": {`{"channels":[{"channel":3}]}`, "brief.channels[0].channel"},
		}},
		{"module", decodeJSON[training.Module], map[string][2]string{
			"malformed": {`{"id"`, "module"}, "bad_kind": {`{"kind":"yoga"}`, "module.kind"},
			"score_text": {`{"assessment":{"max_score":"10"}}`, "module.assessment.max_score"},
		}},
		{"attempt", decodeJSON[training.Attempt], map[string][2]string{
			"malformed": {`[`, "attempt"}, "score_float": {`{"score":9.5}`, "attempt.score"}, "passed_text": {`{"passed":"yes"}`, "attempt.passed"},
		}},
		{"curriculum", decodeJSON[training.Curriculum], map[string][2]string{
			"malformed": {`{"modules":[`, "curriculum"}, "modules_text": {`{"modules":"a,b"}`, "curriculum.modules"},
		}},
		{"certificate_filter", decodeJSON[training.CertificateFilter], map[string][2]string{
			"malformed": {`{"rep"`, "certificate_filter"}, "rep_number": {`{"rep":1}`, "certificate_filter.rep"},
			"expiring_malformed": {`{"expiring":"2026-13"}`, "certificate_filter.expiring"},
			"expiring_local":     {`{"expiring":"2026-03[Local]"}`, "certificate_filter.expiring"},
			"digit_run":          {`{"rep":"` + strings.Repeat("1", salesprocess.MaxDigitRun+1) + `"}`, "certificate_filter"},
		}},
		{"certificate", decodeJSON[training.Certificate], map[string][2]string{
			"malformed": {`{"rep":"a",}`, "certificate"}, "bad_version": {`{"brief_version":"x"}`, "certificate.brief_version"},
		}},
		{"assignment", decodeJSON[training.Assignment], map[string][2]string{
			"malformed": {`{`, "assignment"}, "bad_due": {`{"due":"tomorrow"}`, "assignment.due"},
		}},
		{"onboarding", decodeJSON[training.Onboarding], map[string][2]string{
			"malformed": {`{"ramp":[0.5,`, "onboarding"}, "bad_goal": {`{"monthly_goal":{"amount":"1","currency":"ECU"}}`, "onboarding.monthly_goal.currency"},
			"bad_ramp": {`{"ramp":["half"]}`, "onboarding.ramp[0]"}, "ramp_written_out": {`{"ramp":["0.5",1e9999]}`, "onboarding.ramp[1]"},
		}},
		{"pilot", decodeJSON[training.Pilot], map[string][2]string{
			"malformed": {`{"id":"f1"`, "pilot"}, "bad_period": {`{"period":"2026-W60"}`, "pilot.period"},
			"local_period": {`{"period":"2026[Local]"}`, "pilot.period"}, "quantity_text": {`{"quantity":"100"}`, "pilot.quantity"},
			"bad_criteria":         {`{"criteria":{"min_sell_through":"most"}}`, "pilot.criteria.min_sell_through"},
			"criteria_written_out": {`{"criteria":{"min_average_rating":"1e-9999"}}`, "pilot.criteria.min_average_rating"},
		}},
		{"sale", decodeJSON[training.Sale], map[string][2]string{
			"malformed": {`{"units":`, "sale"}, "units_huge": {`{"units":1e40}`, "sale.units"},
		}},
		{"issue", decodeJSON[training.Issue], map[string][2]string{
			"malformed": {`{"title"`, "issue"}, "bad_severity": {`{"severity":"meh"}`, "issue.severity"}, "bad_fixed_in": {`{"fixed_in":"1"}`, "issue.fixed_in"},
		}},
		{"improvement", decodeJSON[training.Improvement], map[string][2]string{
			"malformed": {`{"resolves":[`, "improvement"}, "resolves_text": {`{"resolves":"I1"}`, "improvement.resolves"},
		}},
		{"criteria", decodeJSON[training.Criteria], map[string][2]string{
			"malformed": {`{"min_feedback":`, "criteria"}, "feedback_text": {`{"min_feedback":"3"}`, "criteria.min_feedback"},
			"exponent": {`{"min_sell_through":"1e-2000000000"}`, "criteria.min_sell_through"},
		}},
		{"report", decodeJSON[training.Report], map[string][2]string{
			"malformed": {`{"violations":[`, "report"}, "bad_start": {`{"violations":[{"start":"0"}]}`, "report.violations[0].start"},
		}},
		{"verdict", decodeJSON[training.Verdict], map[string][2]string{
			"malformed": {`{"ready":`, "verdict"}, "bad_code": {`{"reasons":[{"code":"bored"}]}`, "verdict.reasons[0].code"},
			"bad_version": {`{"brief_version":"x"}`, "verdict.brief_version"},
		}},
		{"decision", decodeJSON[training.Decision], map[string][2]string{
			"malformed": {`{"launch":tru}`, "decision"}, "bad_rating": {`{"figures":{"rating":{"num":"1"}}}`, "decision.figures.rating.num"},
		}},
		{"progress", decodeJSON[training.Progress], map[string][2]string{
			"malformed": {`{"modules":[{`, "progress"}, "bad_attempts": {`{"modules":[{"attempts":-1.5}]}`, "progress.modules[0].attempts"},
			"bad_version": {`{"brief_version":"x"}`, "progress.brief_version"},
		}},
		{"assignment_progress", decodeJSON[training.AssignmentProgress], map[string][2]string{
			"malformed": {`{"done":`, "assignment_progress"}, "done_text": {`{"done":"no"}`, "assignment_progress.done"},
		}},
		{"others", decodeJSON[training.Claim], map[string][2]string{"claim_malformed": {`{`, "claim"}}},
		{"disclosure", decodeJSON[training.Disclosure], map[string][2]string{"malformed": {`{"phrase"`, "disclosure"}}},
		{"objection", decodeJSON[training.Objection], map[string][2]string{"malformed": {`[`, "objection"}, "answer_number": {`{"answer":1}`, "objection.answer"}}},
		{"channel_override", decodeJSON[training.ChannelOverride], map[string][2]string{"malformed": {`{`, "channel_override"}}},
		{"assessment", decodeJSON[training.Assessment], map[string][2]string{"malformed": {`{`, "assessment"}}},
		{"decision_reason", decodeJSON[training.DecisionReason], map[string][2]string{"malformed": {`{`, "decision_reason"}, "met_text": {`{"met":"y"}`, "decision_reason.met"}}},
		{"locality_figures", decodeJSON[training.LocalityFigures], map[string][2]string{"malformed": {`{`, "locality_figures"}}},
		{"figures", decodeJSON[training.Figures], map[string][2]string{"malformed": {`{`, "figures"}}},
		{"module_progress", decodeJSON[training.ModuleProgress], map[string][2]string{"malformed": {`{`, "module_progress"}}},
		{"reason", decodeJSON[training.Reason], map[string][2]string{"malformed": {`{`, "reason"}}},
		{"violation", decodeJSON[training.Violation], map[string][2]string{"malformed": {`{`, "violation"}}},
	} {
		for name, c := range jc.cases {
			add(valueCase{"json/" + jc.kind + "/" + name, jc.decode(c[0]), salesprocess.ErrInvalid, c[1]})
		}
	}

	slices.SortFunc(rows, func(a, b valueCase) int { return strings.Compare(a.name, b.name) })
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = row.call() })
			checkTrainingErr(t, err, row.is, row.field)
			assert.NotContains(t, err.Error(), "changed", "a failed call changed its target")
			assert.NotContains(t, err.Error(), "the message is long")
		})
	}
	t.Logf("%d rows", len(rows))
}

// keepsText unmarshals text into a copy of v and joins an error when the
// copy changed.
func keepsText[T ~string, P interface {
	*T
	UnmarshalText([]byte) error
}](v T, text string) func() error {
	return func() error {
		c := v
		err := P(&c).UnmarshalText([]byte(text))
		if c != v {
			return errors.Join(err, errors.New("the value changed"))
		}
		return err
	}
}

// decodeJSON decodes data into a new T as hosts do, with encoding/json;
// malformed JSON, which encoding/json refuses before it calls any method,
// with the type's own UnmarshalJSON.
func decodeJSON[T any, P interface {
	*T
	json.Unmarshaler
}](data string) func() error {
	return func() error {
		var v T
		if json.Valid([]byte(data)) {
			return json.Unmarshal([]byte(data), &v)
		}
		return P(&v).UnmarshalJSON([]byte(data))
	}
}
