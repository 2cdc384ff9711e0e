package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// badInput is one row of the bad-input catalogue: a call with an invalid
// input, the sentinel its error must wrap, and the field it must name: the
// Field of the *ValidationError in its chain when it has one, else a
// substring of its message.
type badInput struct {
	name  string
	call  func() error
	is    error
	field string
}

// checkBadInput runs a row and checks its error.
func checkBadInput(t *testing.T, row badInput) {
	t.Helper()
	var err error
	require.NotPanics(t, func() { err = row.call() })
	require.Error(t, err, "bad input accepted")
	assert.ErrorIs(t, err, row.is)
	var ve *sp.ValidationError
	if errors.As(err, &ve) && ve.Field != "" {
		assert.Equal(t, row.field, ve.Field, "error: %v", err)
	} else {
		assert.Contains(t, err.Error(), row.field)
	}
	assert.True(t, strings.HasPrefix(err.Error(), "sqlstore: "), "error %q has the package prefix", err)
	assert.Less(t, len(err.Error()), 1000, "the message quotes no huge input")
}

// Adversarial values.
var (
	hugeID = strings.Repeat("\xff", 100_000)
	nulID  = "a\x00b"
	badID  = "a\xffb"
	// text one byte longer than a text column takes
	longText = strings.Repeat("a", sqlstore.MaxTextLength+1)
	// the values no text column takes, by name
	badTexts = map[string]string{"nul": nulID, "bad_utf8": badID, "huge": hugeID, "long": longText}
	// times the store cannot index: before 1678, after 2262, and the
	// extremes of time.Time.
	farTimes = map[string]time.Time{
		"year_1500":  time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC),
		"year_2300":  time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC),
		"min_unix":   time.Unix(0, math.MinInt64),
		"past_max":   time.Unix(0, math.MaxInt64).Add(1),
		"year_10000": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
)

// seeded fills s with one record of every kind, the records the bad calls
// must leave as they are.
func seeded(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	epoch := pipelinetest.Epoch()
	v1 := training.MustParseVersion("1.0")
	require.NoError(t, s.CreateDeal(ctx, deal("d1")))
	require.NoError(t, s.CreateInquiry(ctx, inquiry("i1", epoch)))
	require.NoError(t, s.PutGoal(ctx, quota.Goal{Rep: "ann", Period: sp.MonthOf(epoch), Revenue: pipelinetest.MustEUR("1000.00")}))
	require.NoError(t, s.AddOutcome(ctx, pipeline.Outcome{Key: "k1", Command: "win", Result: json.RawMessage(`{"ok":true}`)}))
	require.NoError(t, s.AddBrief(ctx, training.Brief{Product: "widget", Version: v1, Published: epoch}))
	require.NoError(t, s.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: "widget", BriefVersion: v1, Issued: epoch, Expires: epoch.AddDate(1, 0, 0)}))
	require.NoError(t, s.AddAttempt(ctx, training.Attempt{ID: "a1", Rep: "ann", Module: "m1", BriefVersion: v1, Score: 9, Passed: true, Time: epoch}))
	require.NoError(t, s.AddAssignment(ctx, training.Assignment{ID: "as1", Rep: "ann", Module: "m1", Due: epoch.AddDate(0, 0, 14), Assigned: epoch}))
	require.NoError(t, s.CreatePilot(ctx, training.Pilot{ID: "p1", Product: "widget", Version: v1, Localities: []string{"Ulm"}, Quantity: 10,
		Period: sp.MonthOf(epoch), Rev: 1}))
	require.NoError(t, s.AddSale(ctx, training.Sale{ID: "s1", Pilot: "p1", Locality: "Ulm", Units: 1, Amount: pipelinetest.MustEUR("10.00"), Time: epoch}))
	require.NoError(t, s.AddFeedback(ctx, sp.Feedback{ID: "f1", Product: "widget", Rating: 4, Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: epoch}))
	require.NoError(t, s.AppendEvent(ctx, event(1)))
}

// snapshot returns every record of s as JSON, to tell whether a failed
// call changed any.
func snapshot(t *testing.T, s *sqlstore.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	add := func(what string, v any, err error) {
		require.NoError(t, err, what)
		data, err := json.Marshal(v)
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s: %s\n", what, data)
	}
	collect := func(what string, seq func(yield func(any, error) bool)) {
		var all []any
		var failed error
		seq(func(v any, err error) bool {
			if err != nil {
				failed = err
				return false
			}
			all = append(all, v)
			return true
		})
		add(what, all, failed)
	}
	collect("deals", adapt(s.ListDeals(ctx, pipeline.DealFilter{})))
	collect("inquiries", adapt(s.ListInquiries(ctx, pipeline.InquiryFilter{})))
	collect("goals", adapt(s.ListGoals(ctx, sp.Period{})))
	collect("briefs", adapt(s.ListBriefs(ctx, "widget")))
	collect("certificates", adapt(s.ListCertificates(ctx, training.CertificateFilter{})))
	collect("attempts", adapt(s.ListAttempts(ctx, "ann", "m1")))
	collect("assignments", adapt(s.ListAssignments(ctx, "ann")))
	collect("pilots", adapt(s.ListPilots(ctx, "widget")))
	collect("sales", adapt(s.ListSales(ctx, "p1")))
	collect("feedback", adapt(s.ListFeedback(ctx, "widget")))
	collect("events", adapt(s.ListEvents(ctx, 0)))
	o, err := s.GetOutcome(ctx, "k1")
	add("outcome", o, err)
	return b.String()
}

func adapt[T any](seq func(yield func(T, error) bool)) func(yield func(any, error) bool) {
	return func(yield func(any, error) bool) {
		seq(func(v T, err error) bool { return yield(v, err) })
	}
}

// TestBadInputCatalogue lists every exported constructor and every method
// of the Store that takes input, with every class of invalid input, on
// every backend: each gets an error wrapping the right sentinel that names
// the field, and no stored record changes.
func TestBadInputCatalogue(t *testing.T) {
	ctx := context.Background()

	// The constructors, which need no database.
	var rows []badInput
	add := func(r ...badInput) { rows = append(rows, r...) }
	invalid := func(name string, call func() error, field string) { add(badInput{name, call, sp.ErrInvalid, field}) }
	open := func(d sqlstore.Dialect, dsn string, o *sqlstore.Options) func() error {
		return func() error {
			s, err := sqlstore.Open(ctx, d, dsn, o)
			if s != nil {
				_ = s.Close()
				return errors.New("Open returned a store with its error")
			}
			return err
		}
	}
	for how, d := range map[string]sqlstore.Dialect{"empty": "", "unknown": "oracle", "upper_case": "SQLITE", "huge": sqlstore.Dialect(hugeID), "nul": "sqlite\x00"} {
		invalid("open/dialect_"+how, open(d, "", nil), "dialect")
		invalid("new/dialect_"+how, func() error { _, err := sqlstore.New(&sql.DB{}, d, nil); return err }, "dialect")
		invalid("migrations/dialect_"+how, func() error { _, err := sqlstore.Migrations(d); return err }, "dialect")
		invalid("dialect_validate/"+how, d.Validate, "dialect")
	}
	for how, o := range map[string]struct {
		d     sqlstore.Dialect
		opts  sqlstore.Options
		field string
	}{
		"schema_on_sqlite":      {sqlstore.SQLite, sqlstore.Options{Schema: "sales"}, "schema"},
		"schema_upper":          {sqlstore.PostgreSQL, sqlstore.Options{Schema: "Sales"}, "schema"},
		"schema_quote":          {sqlstore.PostgreSQL, sqlstore.Options{Schema: `s"; DROP TABLE deals; --`}, "schema"},
		"schema_digit":          {sqlstore.PostgreSQL, sqlstore.Options{Schema: "1sales"}, "schema"},
		"schema_64_bytes":       {sqlstore.PostgreSQL, sqlstore.Options{Schema: strings.Repeat("s", 64)}, "schema"},
		"schema_huge":           {sqlstore.PostgreSQL, sqlstore.Options{Schema: hugeID}, "schema"},
		"schema_nul":            {sqlstore.PostgreSQL, sqlstore.Options{Schema: "s\x00"}, "schema"},
		"page_size_negative":    {sqlstore.SQLite, sqlstore.Options{PageSize: -1}, "page_size"},
		"page_size_huge":        {sqlstore.SQLite, sqlstore.Options{PageSize: 65537}, "page_size"},
		"busy_timeout_negative": {sqlstore.SQLite, sqlstore.Options{BusyTimeout: -time.Nanosecond}, "busy_timeout"},
		"max_open_negative":     {sqlstore.SQLite, sqlstore.Options{MaxOpenConns: -1}, "max_open_conns"},
	} {
		invalid("open/"+how, open(o.d, "postgres://localhost/x", &o.opts), o.field)
		invalid("new/"+how, func() error { _, err := sqlstore.New(&sql.DB{}, o.d, &o.opts); return err }, o.field)
	}
	for how, dsn := range map[string]string{
		"bad_url": "postgres://[::1", "bad_port": "postgres://localhost:notaport/x", "bad_key": "host=localhost port=x",
		"nul": "postgres://local\x00host/x",
	} {
		invalid("open/postgres_dsn_"+how, open(sqlstore.PostgreSQL, dsn, &sqlstore.Options{NoMigrate: true}), "open")
	}
	invalid("new/nil_db", func() error { _, err := sqlstore.New(nil, sqlstore.SQLite, nil); return err }, "db")
	var zero sqlstore.Store
	invalid("zero_store/create_deal", func() error { return zero.CreateDeal(ctx, deal("z")) }, "Open or New")
	invalid("zero_store/get_deal", func() error { _, err := zero.GetDeal(ctx, "z"); return err }, "Open or New")
	invalid("zero_store/put_goal", func() error {
		return zero.PutGoal(ctx, quota.Goal{Period: sp.Month(2026, 1, nil), Deals: 1})
	}, "Open or New")
	invalid("zero_store/migrate", func() error { return zero.Migrate(ctx) }, "Open or New")
	invalid("zero_store/append_event", func() error { return zero.AppendEvent(ctx, event(1)) }, "Open or New")
	invalid("zero_store/delete_events", func() error { return zero.DeleteEvents(ctx, 1) }, "Open or New")
	invalid("zero_store/events", func() error {
		for _, err := range zero.ListEvents(ctx, 0) {
			return err
		}
		return nil
	}, "Open or New")
	invalid("zero_store/atomically", func() error {
		return zero.Atomically(ctx, func(context.Context, pipeline.Store) error { return nil })
	}, "Open or New")
	slicesSort(rows)
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) { checkBadInput(t, row) })
	}
	n := len(rows)

	// The store's methods, on every backend, each against a store that
	// holds one record of every kind.
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		seeded(t, s)
		before := snapshot(t, s)
		rows := storeRows(s)
		for _, row := range rows {
			t.Run(row.name, func(t *testing.T) {
				checkBadInput(t, row)
				assert.Equal(t, before, snapshot(t, s), "a failed call changed a stored record")
			})
		}
		t.Logf("%d rows on %s", len(rows), b.name)
	})
	t.Logf("%d rows without a database", n)
}

// storeRows returns the rows of the catalogue that call s.
func storeRows(s *sqlstore.Store) []badInput {
	ctx := context.Background()
	done, cancel := context.WithCancel(ctx)
	cancel()
	epoch := pipelinetest.Epoch()
	v1 := training.MustParseVersion("1.0")
	var rows []badInput
	add := func(name string, call func() error, is error, field string) {
		rows = append(rows, badInput{name, call, is, field})
	}
	invalid := func(name string, call func() error, field string) { add(name, call, sp.ErrInvalid, field) }

	// Deals and inquiries: text columns that cannot be held, times that
	// cannot be indexed, duplicates, stale and wrong versions, missing
	// records, done contexts.
	dealWith := func(edit func(*pipeline.Deal)) pipeline.Deal {
		d := deal("d2")
		edit(&d)
		return d
	}
	textCols := map[string]func(*pipeline.Deal, string){
		"id": func(d *pipeline.Deal, v string) { d.ID = sp.DealID(v) }, "pipeline": func(d *pipeline.Deal, v string) { d.Pipeline = v },
		"owner": func(d *pipeline.Deal, v string) { d.Owner = sp.RepID(v) }, "region": func(d *pipeline.Deal, v string) { d.Region = sp.RegionID(v) },
		"product": func(d *pipeline.Deal, v string) { d.Product = sp.ProductID(v) }, "channel": func(d *pipeline.Deal, v string) { d.Channel = sp.ChannelID(v) },
		"campaign": func(d *pipeline.Deal, v string) { d.Campaign = sp.CampaignID(v) }, "customer": func(d *pipeline.Deal, v string) { d.Customer = sp.CustomerID(v) },
		"inquiry": func(d *pipeline.Deal, v string) { d.Inquiry = sp.InquiryID(v) }, "stage": func(d *pipeline.Deal, v string) { d.Stage = pipeline.DealStage(v) },
	}
	for col, set := range textCols {
		for how, v := range badTexts {
			d := dealWith(func(d *pipeline.Deal) { set(d, v) })
			invalid("create_deal/"+col+"_"+how, func() error { return s.CreateDeal(ctx, d) }, col)
			if col != "id" {
				next := deal("d1")
				set(&next, v)
				next.Version = 2
				invalid("update_deal/"+col+"_"+how, func() error { return s.UpdateDeal(ctx, next, 1) }, col)
			}
		}
	}
	for how, at := range farTimes {
		d := dealWith(func(d *pipeline.Deal) { d.Created = at })
		invalid("create_deal/created_"+how, func() error { return s.CreateDeal(ctx, d) }, "created")
		c := dealWith(func(d *pipeline.Deal) { d.Closed = at })
		invalid("create_deal/closed_"+how, func() error { return s.CreateDeal(ctx, c) }, "closed")
		in := inquiry("i2", at)
		invalid("create_inquiry/received_"+how, func() error { return s.CreateInquiry(ctx, in) }, "received")
		next := inquiry("i1", at)
		next.Version = 2
		invalid("update_inquiry/received_"+how, func() error { return s.UpdateInquiry(ctx, next, 1) }, "received")
	}
	for how, v := range badTexts {
		in := inquiry(sp.InquiryID(v), epoch)
		invalid("create_inquiry/id_"+how, func() error { return s.CreateInquiry(ctx, in) }, "id")
		owned := inquiry("i2", epoch)
		owned.Owner = sp.RepID(v)
		invalid("create_inquiry/owner_"+how, func() error { return s.CreateInquiry(ctx, owned) }, "owner")
		add("get_deal/id_"+how, func() error { _, err := s.GetDeal(ctx, sp.DealID(v)); return err }, sp.ErrNotFound, "get deal")
		add("get_inquiry/id_"+how, func() error { _, err := s.GetInquiry(ctx, sp.InquiryID(v)); return err }, sp.ErrNotFound, "get inquiry")
		add("get_outcome/key_"+how, func() error { _, err := s.GetOutcome(ctx, v); return err }, sp.ErrNotFound, "get outcome")
		add("get_pilot/id_"+how, func() error { _, err := s.GetPilot(ctx, training.PilotID(v)); return err }, sp.ErrNotFound, "get pilot")
		invalid("add_outcome/key_"+how, func() error {
			return s.AddOutcome(ctx, pipeline.Outcome{Key: v, Command: "win", Result: json.RawMessage(`{}`)})
		}, "key")
	}
	add("create_deal/duplicate", func() error { return s.CreateDeal(ctx, deal("d1")) }, sp.ErrDuplicate, "create deal")
	add("create_inquiry/duplicate", func() error { return s.CreateInquiry(ctx, inquiry("i1", epoch)) }, sp.ErrDuplicate, "create inquiry")
	add("add_outcome/duplicate", func() error {
		return s.AddOutcome(ctx, pipeline.Outcome{Key: "k1", Command: "lose", Result: json.RawMessage(`{"other":1}`)})
	}, sp.ErrDuplicate, "add outcome")
	stale := deal("d1")
	stale.Version = 3
	add("update_deal/stale_version", func() error { return s.UpdateDeal(ctx, stale, 2) }, sp.ErrConflict, "update deal")
	skipping := deal("d1")
	skipping.Version = 5
	add("update_deal/version_not_next", func() error { return s.UpdateDeal(ctx, skipping, 1) }, sp.ErrInvalid, "version")
	backwards := deal("d1")
	backwards.Version = 0
	add("update_deal/version_backwards", func() error { return s.UpdateDeal(ctx, backwards, 1) }, sp.ErrInvalid, "version")
	missing := deal("nope")
	missing.Version = 2
	add("update_deal/missing", func() error { return s.UpdateDeal(ctx, missing, 1) }, sp.ErrNotFound, "update deal")
	staleIn := inquiry("i1", epoch)
	staleIn.Version = 9
	add("update_inquiry/stale_version", func() error { return s.UpdateInquiry(ctx, staleIn, 8) }, sp.ErrConflict, "update inquiry")
	add("get_deal/missing", func() error { _, err := s.GetDeal(ctx, "nope"); return err }, sp.ErrNotFound, "get deal")
	add("get_deal/empty_id", func() error { _, err := s.GetDeal(ctx, ""); return err }, sp.ErrNotFound, "get deal")

	// Goals.
	for how, c := range map[string]struct {
		g     quota.Goal
		field string
	}{
		"no_target":      {quota.Goal{Rep: "ann", Period: sp.MonthOf(epoch)}, "goal"},
		"zero_period":    {quota.Goal{Rep: "ann", Deals: 3}, "goal.period"},
		"bad_rep":        {quota.Goal{Rep: sp.RepID(nulID), Period: sp.MonthOf(epoch), Deals: 3}, "goal.rep"},
		"huge_rep":       {quota.Goal{Rep: sp.RepID(hugeID), Period: sp.MonthOf(epoch), Deals: 3}, "goal.rep"},
		"negative_deals": {quota.Goal{Rep: "ann", Period: sp.MonthOf(epoch), Deals: -3}, "goal.deals"},
		"year_1500":      {quota.Goal{Rep: "ann", Period: sp.Month(1500, 1, nil), Deals: 3}, "period"},
		"year_2300":      {quota.Goal{Rep: "ann", Period: sp.Month(2300, 1, nil), Deals: 3}, "period"},
		"year_10000":     {quota.Goal{Rep: "ann", Period: sp.Month(10000, 1, nil), Deals: 3}, "goal.period"},
		"local_period":   {quota.Goal{Rep: "ann", Period: sp.MonthOf(epoch.In(time.FixedZone("Local", 0))), Deals: 3}, "goal.period"}, // as time.Local is named where TZ is unset
	} {
		invalid("put_goal/"+how, func() error { return s.PutGoal(ctx, c.g) }, c.field)
	}

	// Training records.
	for how, v := range badTexts {
		invalid("add_brief/product_"+how, func() error {
			return s.AddBrief(ctx, training.Brief{Product: sp.ProductID(v), Version: v1, Published: epoch})
		}, "product")
		invalid("put_certificate/rep_"+how, func() error {
			return s.PutCertificate(ctx, training.Certificate{Rep: sp.RepID(v), Product: "widget", BriefVersion: v1, Issued: epoch, Expires: epoch})
		}, "rep")
		invalid("put_certificate/channel_"+how, func() error {
			return s.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: "widget", Channel: sp.ChannelID(v), BriefVersion: v1, Expires: epoch})
		}, "channel")
		invalid("add_attempt/id_"+how, func() error {
			return s.AddAttempt(ctx, training.Attempt{ID: training.AttemptID(v), Rep: "ann", Module: "m1", Time: epoch})
		}, "id")
		invalid("add_attempt/module_"+how, func() error {
			return s.AddAttempt(ctx, training.Attempt{ID: "a2", Rep: "ann", Module: training.ModuleID(v), Time: epoch})
		}, "module")
		invalid("add_assignment/rep_"+how, func() error {
			return s.AddAssignment(ctx, training.Assignment{ID: "as2", Rep: sp.RepID(v), Module: "m1", Due: epoch})
		}, "rep")
		invalid("create_pilot/id_"+how, func() error {
			return s.CreatePilot(ctx, training.Pilot{ID: training.PilotID(v), Product: "widget", Rev: 1})
		}, "id")
		invalid("add_sale/pilot_"+how, func() error {
			return s.AddSale(ctx, training.Sale{ID: "s2", Pilot: training.PilotID(v), Time: epoch})
		}, "pilot")
		invalid("add_feedback/id_"+how, func() error {
			return s.AddFeedback(ctx, sp.Feedback{ID: sp.FeedbackID(v), Product: "widget", Time: epoch})
		}, "id")
	}
	for how, at := range farTimes {
		invalid("add_brief/published_"+how, func() error {
			return s.AddBrief(ctx, training.Brief{Product: "gadget", Version: v1, Published: at})
		}, "published")
		invalid("put_certificate/expires_"+how, func() error {
			return s.PutCertificate(ctx, training.Certificate{Rep: "bob", Product: "widget", BriefVersion: v1, Expires: at})
		}, "expires")
		invalid("add_attempt/time_"+how, func() error {
			return s.AddAttempt(ctx, training.Attempt{ID: "a2", Rep: "ann", Module: "m1", Time: at})
		}, "time")
		invalid("add_assignment/due_"+how, func() error {
			return s.AddAssignment(ctx, training.Assignment{ID: "as2", Rep: "ann", Module: "m1", Due: at})
		}, "due")
		invalid("add_sale/time_"+how, func() error {
			return s.AddSale(ctx, training.Sale{ID: "s2", Pilot: "p1", Time: at})
		}, "time")
		invalid("add_feedback/time_"+how, func() error {
			return s.AddFeedback(ctx, sp.Feedback{ID: "f2", Product: "widget", Time: at})
		}, "time")
	}
	add("add_brief/duplicate", func() error {
		return s.AddBrief(ctx, training.Brief{Product: "widget", Version: v1, Published: epoch.Add(time.Hour)})
	}, sp.ErrDuplicate, "add brief")
	add("add_attempt/duplicate", func() error {
		return s.AddAttempt(ctx, training.Attempt{ID: "a1", Rep: "bob", Module: "m2", Time: epoch})
	}, sp.ErrDuplicate, "add attempt")
	add("add_assignment/duplicate", func() error {
		return s.AddAssignment(ctx, training.Assignment{ID: "as1", Rep: "bob", Module: "m2", Due: epoch})
	}, sp.ErrDuplicate, "add assignment")
	add("create_pilot/duplicate", func() error {
		return s.CreatePilot(ctx, training.Pilot{ID: "p1", Product: "gadget", Rev: 1})
	}, sp.ErrDuplicate, "create pilot")
	add("add_sale/duplicate", func() error {
		return s.AddSale(ctx, training.Sale{ID: "s1", Pilot: "p1", Units: 9, Time: epoch})
	}, sp.ErrDuplicate, "add sale")
	add("add_feedback/duplicate", func() error {
		return s.AddFeedback(ctx, sp.Feedback{ID: "f1", Product: "widget", Rating: 1, Time: epoch})
	}, sp.ErrDuplicate, "add feedback")
	add("update_pilot/stale_rev", func() error {
		return s.UpdatePilot(ctx, training.Pilot{ID: "p1", Product: "widget", Rev: 4}, 3)
	}, sp.ErrConflict, "update pilot")
	add("update_pilot/rev_not_next", func() error {
		return s.UpdatePilot(ctx, training.Pilot{ID: "p1", Product: "widget", Rev: 3}, 1)
	}, sp.ErrInvalid, "update pilot")
	add("update_pilot/missing", func() error {
		return s.UpdatePilot(ctx, training.Pilot{ID: "p9", Product: "widget", Rev: 2}, 1)
	}, sp.ErrNotFound, "update pilot")
	add("brief/missing", func() error { _, err := s.GetBrief(ctx, "widget", training.MustParseVersion("9.0")); return err }, sp.ErrNotFound, "get brief")
	add("brief_at/before_any", func() error { _, err := s.BriefAt(ctx, "widget", epoch.Add(-time.Hour)); return err }, sp.ErrNotFound, "get brief")

	// Done contexts, for every method that writes or reads.
	canceled := func(name string, call func() error) { add("cancelled/"+name, call, context.Canceled, "canceled") }
	next := deal("d1")
	next.Version = 2
	canceled("create_deal", func() error { return s.CreateDeal(done, deal("d9")) })
	canceled("update_deal", func() error { return s.UpdateDeal(done, next, 1) })
	canceled("get_deal", func() error { _, err := s.GetDeal(done, "d1"); return err })
	canceled("create_inquiry", func() error { return s.CreateInquiry(done, inquiry("i9", epoch)) })
	canceled("put_goal", func() error { return s.PutGoal(done, quota.Goal{Rep: "bob", Period: sp.MonthOf(epoch), Deals: 1}) })
	canceled("add_outcome", func() error { return s.AddOutcome(done, pipeline.Outcome{Key: "k9", Command: "x"}) })
	canceled("put_certificate", func() error {
		return s.PutCertificate(done, training.Certificate{Rep: "bob", Product: "widget", Expires: epoch})
	})
	canceled("list_deals", func() error {
		for _, err := range s.ListDeals(done, pipeline.DealFilter{}) {
			return err
		}
		return nil
	})
	canceled("goals", func() error {
		for _, err := range s.ListGoals(done, sp.Period{}) {
			return err
		}
		return nil
	})
	canceled("atomically", func() error {
		return s.Atomically(done, func(ctx context.Context, tx pipeline.Store) error { return tx.CreateDeal(ctx, deal("d9")) })
	})

	// Transactions: a nil function, and functions that fail after writing,
	// whose writes are rolled back.
	invalid("atomically/nil_fn", func() error { return s.Atomically(ctx, nil) }, "fn")
	errFn := errors.New("the function failed")
	add("atomically/fn_fails_after_writes", func() error {
		return s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if err := tx.CreateDeal(ctx, deal("d9")); err != nil {
				return err
			}
			next := deal("d1")
			next.Version = 2
			if err := tx.UpdateDeal(ctx, next, 1); err != nil {
				return err
			}
			return fmt.Errorf("sqlstore: test: %w", errFn)
		})
	}, errFn, "the function failed")
	add("atomically/invalid_write_inside", func() error {
		return s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if err := tx.CreateDeal(ctx, deal("d9")); err != nil {
				return err
			}
			return tx.CreateDeal(ctx, deal(sp.DealID(nulID)))
		})
	}, sp.ErrInvalid, "id")
	add("atomically/duplicate_inside", func() error {
		return s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if err := tx.CreateInquiry(ctx, inquiry("i9", epoch)); err != nil {
				return err
			}
			return tx.CreateDeal(ctx, deal("d1"))
		})
	}, sp.ErrDuplicate, "create deal")

	// Events: the outbox refuses what Event.Validate refuses, text its
	// columns cannot hold, times it cannot index and an ID it holds.
	eventWith := func(edit func(*sp.Event)) sp.Event {
		e := event(2)
		edit(&e)
		return e
	}
	eventTexts := map[string]func(*sp.Event, string){
		"event.id": func(e *sp.Event, v string) { e.ID = v }, "event.type": func(e *sp.Event, v string) { e.Type = v },
		"event.actor": func(e *sp.Event, v string) { e.Actor = sp.ActorID(v) }, "event.subject": func(e *sp.Event, v string) { e.Subject = v },
	}
	for field, set := range eventTexts {
		for how, v := range badTexts {
			e := eventWith(func(e *sp.Event) { set(e, v) })
			invalid("append_event/"+strings.TrimPrefix(field, "event.")+"_"+how, func() error { return s.AppendEvent(ctx, e) }, field)
		}
		e := eventWith(func(e *sp.Event) { set(e, "") })
		invalid("append_event/"+strings.TrimPrefix(field, "event.")+"_empty", func() error { return s.AppendEvent(ctx, e) }, field)
	}
	for how, at := range farTimes {
		e := eventWith(func(e *sp.Event) { e.Time = at })
		invalid("append_event/time_"+how, func() error { return s.AppendEvent(ctx, e) }, "event.time")
	}
	noTime := eventWith(func(e *sp.Event) { e.Time = time.Time{} })
	invalid("append_event/time_zero", func() error { return s.AppendEvent(ctx, noTime) }, "event.time")
	badData := eventWith(func(e *sp.Event) { e.Data = json.RawMessage(`{"a":`) })
	invalid("append_event/data_not_json", func() error { return s.AppendEvent(ctx, badData) }, "event.data")
	dup := eventWith(func(e *sp.Event) { e.ID = "e1" })
	add("append_event/duplicate", func() error { return s.AppendEvent(ctx, dup) }, sp.ErrDuplicate, "append event")
	canceled("append_event", func() error { return s.AppendEvent(done, event(2)) })
	canceled("delete_events", func() error { return s.DeleteEvents(done, 1) })
	canceled("events", func() error {
		for _, err := range s.ListEvents(done, 0) {
			return err
		}
		return nil
	})
	add("atomically/invalid_event_inside", func() error {
		return s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			if err := tx.(pipeline.Outbox).AppendEvent(ctx, event(2)); err != nil {
				return err
			}
			return tx.(pipeline.Outbox).AppendEvent(ctx, badData)
		})
	}, sp.ErrInvalid, "event.data")
	slicesSort(rows)
	return rows
}

func slicesSort(rows []badInput) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].name < rows[j-1].name; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}
