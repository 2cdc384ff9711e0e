package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// openUnmigrated opens a store of backend b with Options.NoMigrate on a
// fresh database, and returns it with the function that names one of its
// tables as SQL run on its DB must (in its schema on PostgreSQL).
func openUnmigrated(t *testing.T, b backend) (*sqlstore.Store, func(table string) string) {
	t.Helper()
	if b.name != "postgres" {
		return b.open(t, &sqlstore.Options{NoMigrate: true}), func(table string) string { return table }
	}
	o := postgresSchema(t, &sqlstore.Options{NoMigrate: true})
	s := mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o)
	return s, func(table string) string { return `"` + o.Schema + `".` + table }
}

// openForeign returns what openUnmigrated returns, with the schema of
// the store's tables made on PostgreSQL, for a test to put tables of
// another's there before the store migrates.
func openForeign(t *testing.T, b backend) (*sqlstore.Store, func(table string) string) {
	t.Helper()
	s, table := openUnmigrated(t, b)
	if b.name == "postgres" {
		_, err := s.DB().ExecContext(context.Background(), "CREATE SCHEMA "+strings.TrimSuffix(table(""), "."))
		require.NoError(t, err)
	}
	return s, table
}

// firstErr returns the error a listing yields, or nil if it yields none.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// schemaCall is a call that reaches a table of the store, with the table
// whose absence its error must name.
type schemaCall struct {
	name  string
	table string
	call  func() error
}

// schemaCalls returns a call of every kind, on s: reads, writes and
// listings of each package's records, a transaction of Atomically, the
// outbox, and the schema's version.
func schemaCalls(s *sqlstore.Store) []schemaCall {
	ctx := context.Background()
	epoch := pipelinetest.Epoch()
	v1 := training.MustParseVersion("1.0")
	return []schemaCall{
		{"get_deal", "deals", func() error { _, err := s.GetDeal(ctx, "d1"); return err }},
		{"create_deal", "deals", func() error { return s.CreateDeal(ctx, deal("d1")) }},
		{"update_deal", "deals", func() error {
			next := deal("d1")
			next.Version = 2
			return s.UpdateDeal(ctx, next, 1)
		}},
		{"list_deals", "deals", func() error { return firstErr(s.ListDeals(ctx, pipeline.DealFilter{})) }},
		{"create_inquiry", "inquiries", func() error { return s.CreateInquiry(ctx, inquiry("i1", epoch)) }},
		{"list_inquiries", "inquiries", func() error { return firstErr(s.ListInquiries(ctx, pipeline.InquiryFilter{})) }},
		{"add_outcome", "idempotency_outcomes", func() error {
			return s.AddOutcome(ctx, pipeline.Outcome{Key: "k1", Command: "win", Result: json.RawMessage(`{}`)})
		}},
		{"atomically", "deals", func() error {
			return s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
				return tx.CreateDeal(ctx, deal("d1"))
			})
		}},
		{"atomically_outbox", "outbox_events", func() error {
			return s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
				return tx.(pipeline.Outbox).AppendEvent(ctx, event(1))
			})
		}},
		{"append_event", "outbox_events", func() error { return s.AppendEvent(ctx, event(1)) }},
		{"list_events", "outbox_events", func() error { return firstErr(s.ListEvents(ctx, 0)) }},
		{"delete_events", "outbox_events", func() error { return s.DeleteEvents(ctx, 1) }},
		{"add_brief", "product_briefs", func() error {
			return s.AddBrief(ctx, training.Brief{Product: "widget", Version: v1, Published: epoch})
		}},
		{"brief_version_at", "product_briefs", func() error { _, err := s.BriefVersionAt(ctx, "widget", epoch); return err }},
		{"put_certificate", "certificates", func() error {
			return s.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: "widget", BriefVersion: v1, Issued: epoch, Expires: epoch.AddDate(1, 0, 0)})
		}},
		{"list_certificates", "certificates", func() error { return firstErr(s.ListCertificates(ctx, training.CertificateFilter{})) }},
		{"get_pilot", "pilots", func() error { _, err := s.GetPilot(ctx, "p1"); return err }},
		{"add_sale_within", "pilots", func() error {
			_, _, err := s.AddSaleWithin(ctx, training.Sale{ID: "s1", Pilot: "p1", Units: 1, Time: epoch}, 10)
			return err
		}},
		{"list_sales", "pilot_sales", func() error { return firstErr(s.ListSales(ctx, "p1")) }},
		{"add_feedback", "product_feedback", func() error {
			return s.AddFeedback(ctx, sp.Feedback{ID: "f1", Product: "widget", Rating: 4, Category: sp.FeedbackQuality, Source: sp.FromCustomer, Time: epoch})
		}},
		{"put_goal", "goals", func() error {
			return s.PutGoal(ctx, quota.Goal{Rep: "ann", Period: sp.MonthOf(epoch), Revenue: pipelinetest.MustEUR("1000.00")})
		}},
		{"list_goals", "goals", func() error { return firstErr(s.ListGoals(ctx, sp.MonthOf(epoch))) }},
		{"schema_version", "sqlstore_migrations", func() error { _, err := s.SchemaVersion(ctx); return err }},
	}
}

// checkNotMigrated checks that err is the error of a store whose schema
// lacks a table or a column: it wraps sp.ErrInvalid, says the schema is
// not migrated and how to migrate it, and names what is missing.
func checkNotMigrated(t *testing.T, err error, missing string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "sqlstore: "), "error %q has the package prefix", msg)
	assert.Contains(t, msg, "the database's schema is not migrated")
	assert.Contains(t, msg, "run Store.Migrate, or Open without Options.NoMigrate")
	assert.Contains(t, msg, missing)
}

// A store used before its migrations fails every call with an error
// wrapping sp.ErrInvalid that names the missing table and says to migrate;
// the same store, migrated, takes every call.
func TestNotMigrated(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s, _ := openUnmigrated(t, b)
		for _, c := range schemaCalls(s) {
			t.Run(c.name, func(t *testing.T) {
				checkNotMigrated(t, c.call(), fmt.Sprintf("it has no table %q", c.table))
			})
		}
		require.NoError(t, s.Migrate(ctx))
		seeded(t, s)
		assert.NotEmpty(t, snapshot(t, s), "the migrated store reads every record")
		v, err := s.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, 5, v)
	})
}

// On PostgreSQL the error names the store's schema, where the table is
// missing.
func TestNotMigratedNamesSchema(t *testing.T) {
	o := postgresSchema(t, &sqlstore.Options{NoMigrate: true})
	s := mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o)
	_, err := s.GetDeal(context.Background(), "d1")
	checkNotMigrated(t, err, fmt.Sprintf(`it has no table "deals" in schema %q`, o.Schema))
}

// A Store from New on a database the host opened is not migrated until
// the host calls Migrate.
func TestNewNotMigrated(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "host.db")+"?_pragma=busy_timeout(5000)&_txlock=immediate")
	require.NoError(t, err)
	defer db.Close()
	s, err := sqlstore.New(db, sqlstore.SQLite, nil)
	require.NoError(t, err)
	checkNotMigrated(t, s.CreateDeal(ctx, deal("d1")), `it has no table "deals"`)
	require.NoError(t, s.Migrate(ctx))
	assert.NoError(t, s.CreateDeal(ctx, deal("d1")))
}

// A schema migrated in part, by an older version of the package (before
// migration 5 added the units of the pilots' sales), fails the calls that
// need what it lacks the same way, naming the column; Migrate brings it
// up to date.
func TestPartlyMigrated(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s, table := openUnmigrated(t, b)
		require.NoError(t, s.Migrate(ctx))
		require.NoError(t, s.CreatePilot(ctx, training.Pilot{ID: "p1", Rev: 1}))
		require.NoError(t, s.AddSale(ctx, training.Sale{ID: "s1", Pilot: "p1", Units: 3, Time: pipelinetest.Epoch()}))
		// The schema as version 4 left it.
		for _, q := range []string{"DROP INDEX " + table("pilot_sales_pilot_units"), "ALTER TABLE " + table("pilot_sales") + " DROP COLUMN units",
			"DELETE FROM " + table("sqlstore_migrations") + " WHERE version = 5"} {
			_, err := s.DB().ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
		sale := training.Sale{ID: "s2", Pilot: "p1", Units: 1, Time: pipelinetest.Epoch()}
		errAdd := s.AddSale(ctx, sale)
		checkNotMigrated(t, errAdd, `no column "units"`)
		_, _, err := s.AddSaleWithin(ctx, sale, 10)
		checkNotMigrated(t, err, `no column "units"`)
		assert.Contains(t, err.Error(), "not migrated up to date")
		if b.name == "postgres" {
			// The server's messages in German: the store finds the
			// column where the server says the statement names it.
			for _, c := range []struct {
				err     error
				message string
			}{
				{errAdd, "Spalte »units« von Relation »pilot_sales« existiert nicht"},
				{err, "Spalte »units« existiert nicht"},
			} {
				var pe *pgconn.PgError
				require.ErrorAs(t, c.err, &pe)
				require.Contains(t, pe.Message, `column "units"`)
				require.NotZero(t, pe.Position, "the server tells where in the statement the column is")
				pe.Message = c.message
				assert.Contains(t, sqlstore.NotMigrated("", c.err), `it has no column "units"`, c.message)
			}
		}
		assert.Len(t, collect(t, s.ListSales(ctx, "p1")), 1, "the failed calls stored nothing")
		_, err = s.GetPilot(ctx, "p1")
		assert.NoError(t, err, "what version 4 has still works")

		require.NoError(t, s.Migrate(ctx))
		sold, added, err := s.AddSaleWithin(ctx, sale, 10)
		require.NoError(t, err)
		assert.True(t, added)
		assert.Equal(t, int64(3), sold)
	})
}

// collect returns what seq yields, failing t on an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var all []T
	for v, err := range seq {
		require.NoError(t, err)
		all = append(all, v)
	}
	return all
}

// Migrate on a database that holds a table of another's with the name of
// one of the store's fails with an error wrapping sp.ErrInvalid that names
// the table and says to give the store a schema of its own (a database,
// on SQLite), and applies none of the migrations.
func TestMigrateForeignTable(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s, table := openForeign(t, b)
		_, err := s.DB().ExecContext(ctx, "CREATE TABLE "+table("goals")+" (erp_id integer PRIMARY KEY, target text)")
		require.NoError(t, err)

		err = s.Migrate(ctx)
		require.ErrorIs(t, err, sp.ErrInvalid)
		msg := err.Error()
		assert.True(t, strings.HasPrefix(msg, "sqlstore: migrate: "), "error %q has the package prefix", msg)
		assert.Contains(t, msg, `a table or an index "goals" is there already`)
		if b.name == "postgres" {
			assert.Contains(t, msg, "give the store a schema of its own with Options.Schema")
		} else {
			assert.Contains(t, msg, "give the store a database of its own")
		}
		assert.Contains(t, msg, "Options.NoMigrate", "the message says what to do if the tables are the store's own")
		assert.NotContains(t, msg, "run Store.Migrate")

		_, err = s.SchemaVersion(ctx)
		checkNotMigrated(t, err, `no table "sqlstore_migrations"`)
		_, err = s.GetDeal(ctx, "d1")
		checkNotMigrated(t, err, `no table "deals"`)

		_, err = s.DB().ExecContext(ctx, "DROP TABLE "+table("goals"))
		require.NoError(t, err)
		require.NoError(t, s.Migrate(ctx))
		assert.NoError(t, s.CreateDeal(ctx, deal("d1")))
	})
}

// Without Options.Schema, Migrate on PostgreSQL meets a table of the same
// name in the search_path's first schema, and says to use Options.Schema.
func TestMigrateForeignTableNoSchema(t *testing.T) {
	ctx := context.Background()
	o := postgresSchema(t, &sqlstore.Options{NoMigrate: true})
	admin := mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), o)
	_, err := admin.DB().ExecContext(ctx, `CREATE SCHEMA "`+o.Schema+`"`)
	require.NoError(t, err)
	_, err = admin.DB().ExecContext(ctx, `CREATE TABLE "`+o.Schema+`".inquiries (erp_id integer PRIMARY KEY)`)
	require.NoError(t, err)
	dsn := withParam(postgresDSN(t), "search_path", o.Schema)
	s := mustOpen(t, sqlstore.PostgreSQL, dsn, &sqlstore.Options{NoMigrate: true})

	err = s.Migrate(ctx)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), `a table or an index "inquiries" is there already`)
	assert.Contains(t, err.Error(), "give the store a schema of its own with Options.Schema")
	assert.NotContains(t, err.Error(), "(schema ", "the store has no schema to name")
	// The store reads the foreign table, which lacks the store's columns.
	_, err = s.GetInquiry(ctx, "i1")
	checkNotMigrated(t, err, `no column "`)
}

// Tables made from Migrations by other means than Migrate work without
// Migrate, which finds them unlisted and fails saying so.
func TestMigrateTablesMadeByOtherMeans(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, sqlstore.SQLite, filepath.Join(t.TempDir(), "sales.db"), &sqlstore.Options{NoMigrate: true})
	ms, err := sqlstore.Migrations(sqlstore.SQLite)
	require.NoError(t, err)
	for _, m := range ms {
		_, err := s.DB().ExecContext(ctx, m.SQL)
		require.NoError(t, err, m.Name)
	}
	require.NoError(t, s.CreateDeal(ctx, deal("d1")))
	err = s.Migrate(ctx)
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), "do not call Migrate (open with Options.NoMigrate)")
	_, err = s.GetDeal(ctx, "d1")
	assert.NoError(t, err, "the failed Migrate changed nothing")
}

// The messages of PostgreSQL come in the server's language: the store
// tells a missing table by its SQLSTATE all the same, and finds which of
// its tables the message names.
func TestNotMigratedOtherLanguage(t *testing.T) {
	tests := []struct {
		name, schema, message, want string
	}{
		{"german", "", "Relation »deals« existiert nicht", `it has no table "deals"`},
		{"french_schema", "sales", "la relation « sales.pilot_sales » n'existe pas", `it has no table "pilot_sales" in schema "sales"`},
		{"schema_named_like_a_table", "deals", "Relation »deals.goals« existiert nicht", `it has no table "goals" in schema "deals"`},
		{"table_inside_a_name", "", "Relation »deals_archive« existiert nicht", "a table of the store's is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &pgconn.PgError{Code: "42P01", Message: tt.message}
			assert.Equal(t, "the database's schema is not migrated: "+tt.want, sqlstore.NotMigrated(tt.schema, err))
		})
	}
	column := &pgconn.PgError{Code: "42703", Message: "Spalte »units« von Relation »pilot_sales« existiert nicht"}
	assert.Equal(t, `the database's schema is not migrated up to date: a column of the store's is missing in table "pilot_sales"`,
		sqlstore.NotMigrated("", column))
	assert.Equal(t, "", sqlstore.NotMigrated("", &pgconn.PgError{Code: "42601", Message: `relation "deals" does not exist`}))
}

// The name of a missing column is read, in a message of PostgreSQL in any
// language, where the server says the statement names it: a position in
// characters from 1, at a name that may be qualified or quoted. The name
// must stand in the message, between its quotes, whatever they are: a
// position not in the statement as the store wrote it gives no name.
func TestNotMigratedColumnByPosition(t *testing.T) {
	const (
		sel    = "SELECT doc FROM pilot_sales WHERE pilot = $1 AND units > 0"
		ins    = "INSERT INTO pilot_sales (id, pilot, at, units) VALUES ($1, $2, $3, $4)"
		german = "Spalte »units« existiert nicht"
		some   = "the database's schema is not migrated up to date: a column of the store's is missing"
		units  = `the database's schema is not migrated up to date: it has no column "units"`
	)
	at := func(q, name string) int32 { return int32(utf8.RuneCountInString(q[:strings.Index(q, name)])) + 1 }
	tests := []struct {
		name, query, message string
		position             int32
		want                 string
	}{
		{"german", sel, german, at(sel, "units"), units},
		{"french_insert", ins, "la colonne « units » de la relation « pilot_sales » n'existe pas", at(ins, "units"),
			units + ` in table "pilot_sales"`},
		{"english", sel, `column "units" does not exist`, at(sel, "units"), units},
		{"qualified", "SELECT s.units FROM pilot_sales s", german, 8, units},
		{"quoted_schema", `SELECT "verkäufe".pilot_sales."units" FROM "verkäufe".pilot_sales`, german, 8, units},
		{"characters_not_bytes", `SELECT doc FROM "verkäufe".pilot_sales WHERE units > 0`, german,
			at(`SELECT doc FROM "verkäufe".pilot_sales WHERE units > 0`, "units"), units},
		{"another_name_there", sel, german, at(sel, "pilot ="), some},
		{"inside_a_name", sel, german, at(sel, "nits"), some},
		{"past_the_end", sel, german, int32(len(sel)) + 1, some},
		{"no_position", sel, german, 0, some},
		{"name_inside_a_longer_one", "SELECT unit FROM pilot_sales", german, 8, some},
		{"longer_name_in_the_message", sel, "Spalte »units_sold« existiert nicht", at(sel, "units"), some},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &pgconn.PgError{Code: "42703", Message: tt.message, Position: tt.position}
			assert.Equal(t, tt.want, sqlstore.NotMigratedByQuery("", tt.query, err))
		})
	}
}

// A table of another's named sqlstore_migrations, which Migrate reads, and
// a table that an applied migration made and that is gone, fail Migrate
// with an error wrapping sp.ErrInvalid that does not say to run Migrate.
func TestMigrateMissesWhatItNeeds(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s, table := openForeign(t, b)
		_, err := s.DB().ExecContext(ctx, "CREATE TABLE "+table("sqlstore_migrations")+" (erp_step integer)")
		require.NoError(t, err)
		err = s.Migrate(ctx)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `a table or a column "version" that the migrations need is not there`)
		assert.NotContains(t, err.Error(), "run Store.Migrate")

		for _, q := range []string{"DROP TABLE " + table("sqlstore_migrations"), "CREATE TABLE " + table("sqlstore_migrations") +
			" (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied text)"} {
			_, err := s.DB().ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
		require.NoError(t, s.Migrate(ctx))
		for _, q := range []string{"DROP TABLE " + table("pilot_sales"), "DELETE FROM " + table("sqlstore_migrations") + " WHERE version = 5"} {
			_, err := s.DB().ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
		err = s.Migrate(ctx)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `migration 5 sale_units: a table or a column "pilot_sales" that the migrations need is not there`)
		assert.NotContains(t, err.Error(), "run Store.Migrate")
	})
}
