package sqlstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/examples/sqlstore"
)

// PostgreSQL folds a name that is not quoted to lower case before it looks
// for the column, and its message names the folded column, quoted, or with
// its relation and unquoted when the reference is qualified; a quoted name
// keeps its case. The name of the missing column is read from what the
// server says of statements that name it in mixed case, quoted or not,
// qualified or not.
func TestNotMigratedColumnCase(t *testing.T) {
	s := mustOpen(t, sqlstore.PostgreSQL, postgresDSN(t), &sqlstore.Options{NoMigrate: true})
	const named = `the database's schema is not migrated up to date: it has no column `
	tests := []struct {
		name, query, want string
	}{
		{"lower_case", `SELECT units FROM (SELECT 1 AS id) AS pilot_sales`, named + `"units"`},
		{"mixed_case", `SELECT Units FROM (SELECT 1 AS id) AS pilot_sales`, named + `"units"`},
		{"upper_case_qualified", `SELECT S.UNITS FROM (SELECT 1 AS id) AS s`, named + `"units"`},
		{"mixed_case_qualified", `SELECT s.Units FROM (SELECT 1 AS id) AS s`, named + `"units"`},
		{"mixed_case_where", `SELECT id FROM (SELECT 1 AS id) AS s WHERE s.id = 1 AND s.Units > 0`, named + `"units"`},
		{"quoted", `SELECT "Units" FROM (SELECT 1 AS id) AS pilot_sales`, named + `"Units"`},
		{"quoted_qualified", `SELECT s."Units" FROM (SELECT 1 AS id) AS s`, named + `"Units"`},
		{"quoted_lower_case", `SELECT s."units" FROM (SELECT 1 AS id) AS s`, named + `"units"`},
		{"beyond_ascii_kept", `SELECT s.Unitä FROM (SELECT 1 AS id) AS s`, named + `"unitä"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.DB().QueryContext(context.Background(), tt.query)
			if err == nil {
				rows.Close()
			}
			var pe *pgconn.PgError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, "42703", pe.Code, pe.Message)
			assert.Equal(t, tt.want, sqlstore.NotMigratedByQuery("", tt.query, err), "the server said: %s", pe.Message)
		})
	}
}
