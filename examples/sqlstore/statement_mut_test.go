package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/examples/sqlstore"
)

// The error of a call whose statement the database refuses carries that
// statement, for every kind of call (reads of one row, writes, listings,
// transactions) and for Migrate, so that a column missing on PostgreSQL is
// read at the position the server gives in it: the statement names the
// table the call reaches.
func TestErrorsCarryTheirStatement(t *testing.T) {
	for _, c := range schemaCalls(openSQLiteMemory(t, &sqlstore.Options{NoMigrate: true})) {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			require.Error(t, err)
			q := sqlstore.Statement(err)
			assert.Contains(t, q, c.table, "the statement of %v", err)
		})
	}
	t.Run("migrate", func(t *testing.T) {
		ctx := context.Background()
		s := openSQLiteMemory(t, &sqlstore.Options{NoMigrate: true})
		_, err := s.DB().ExecContext(ctx, "CREATE TABLE sqlstore_migrations (erp_step integer)")
		require.NoError(t, err)
		err = s.Migrate(ctx)
		require.Error(t, err)
		assert.Equal(t, "SELECT version FROM sqlstore_migrations", sqlstore.Statement(err))

		for _, q := range []string{"DROP TABLE sqlstore_migrations", "CREATE TABLE sqlstore_migrations" +
			" (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied text)"} {
			_, err := s.DB().ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
		require.NoError(t, s.Migrate(ctx))
		for _, q := range []string{"DROP TABLE pilot_sales", "DELETE FROM sqlstore_migrations WHERE version = 5"} {
			_, err := s.DB().ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
		err = s.Migrate(ctx)
		require.Error(t, err)
		assert.True(t, strings.Contains(sqlstore.Statement(err), "pilot_sales"), "the statement of migration 5: %q", sqlstore.Statement(err))
	})
}
