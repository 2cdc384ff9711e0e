package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
)

// Migrate on a database that holds an index of another's with the name
// of one of the store's, on a table of another name, fails as for a table
// of that name: wrapping sp.ErrInvalid, naming the index, applying none of
// the migrations; the message tells what to do once.
func TestMigrateForeignIndex(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		s, table := openForeign(t, b)
		for _, q := range []string{"CREATE TABLE " + table("erp_certs") + " (erp_id integer PRIMARY KEY, expires text)",
			"CREATE INDEX certificates_expires ON " + table("erp_certs") + " (expires)"} {
			_, err := s.DB().ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
		err := s.Migrate(ctx)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.Contains(t, err.Error(), `a table or an index "certificates_expires" is there already`)
		assert.Equal(t, 1, strings.Count(err.Error(), "is there already"), "the message says it once: %v", err)
		_, err = s.SchemaVersion(ctx)
		checkNotMigrated(t, err, `no table "sqlstore_migrations"`)
	})
}

// A table that SQLite finds there already is a fault of the schema also
// when the statement quoted its name, which SQLite's message then quotes.
func TestClassifyQuotedTableThereAlready(t *testing.T) {
	ctx := context.Background()
	s := openSQLiteMemory(t, &sqlstore.Options{NoMigrate: true})
	_, err := s.DB().ExecContext(ctx, `CREATE TABLE "erp_goals" (id integer)`)
	require.NoError(t, err)
	_, err = s.DB().ExecContext(ctx, `CREATE TABLE "erp_goals" (id integer)`)
	require.Error(t, err)
	require.Contains(t, err.Error(), `"erp_goals" already exists`, "SQLite quotes the name as the statement did")
	assert.Equal(t, sp.ErrInvalid, sqlstore.Classify(err))
}

// In a message of PostgreSQL in another language, a name of the store's
// tables is told only where it stands alone, or after a schema's name and
// a dot: not at the end of a longer identifier, nor with digits after it;
// and a name found first inside a longer identifier is looked for again
// further on.
func TestNotMigratedTableNameBounds(t *testing.T) {
	tests := []struct {
		name, schema, message, want string
	}{
		{"name_at_the_end_of_another", "", "Relation »old_deals« existiert nicht", "a table of the store's is missing"},
		{"name_with_digits_after", "", "Relation »deals2« existiert nicht", "a table of the store's is missing"},
		{"name_with_digits_before", "", "Relation »2deals« existiert nicht", "a table of the store's is missing"},
		{"name_inside_the_schema_first", "old_deals", "Relation »old_deals.deals« existiert nicht", `it has no table "deals" in schema "old_deals"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &pgconn.PgError{Code: "42P01", Message: tt.message}
			assert.Equal(t, "the database's schema is not migrated: "+tt.want, sqlstore.NotMigrated(tt.schema, err))
		})
	}
}

// A translated message of PostgreSQL is not read for a quoted name even
// when it quotes with ASCII quotes, as its order of words may put another
// name first: only the store's table is told, by storeTable.
func TestNotMigratedTranslatedQuotes(t *testing.T) {
	err := &pgconn.PgError{Code: "42703", Message: `in der Relation "pilot_sales" fehlt die Spalte "units"`}
	assert.Equal(t, `the database's schema is not migrated up to date: a column of the store's is missing in table "pilot_sales"`,
		sqlstore.NotMigrated("", err))
}
