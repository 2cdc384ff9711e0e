package sqlstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/examples/sqlstore"
)

// A role that owns the store's schema but may not create schemas in the
// database (as a DBA sets up an application) migrates into it: CREATE
// SCHEMA, even IF NOT EXISTS, needs that privilege, so Migrate asks for it
// only when the schema is missing. SQLite has no schemas.
func TestMigrateIntoExistingSchema(t *testing.T) {
	ctx := context.Background()
	dsn := postgresDSN(t)
	admin := mustOpen(t, sqlstore.PostgreSQL, dsn, &sqlstore.Options{NoMigrate: true})
	var b [8]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	role := "sqlstore_test_role_" + hex.EncodeToString(b[:])
	if _, err := admin.DB().ExecContext(ctx, "CREATE ROLE "+role+" LOGIN"); err != nil {
		t.Skipf("cannot create a role to test with: %v", err)
	}
	t.Cleanup(func() { _, _ = admin.DB().ExecContext(ctx, "DROP ROLE "+role) })
	o := postgresSchema(t, nil) // dropped before the role
	_, err = admin.DB().ExecContext(ctx, `CREATE SCHEMA "`+o.Schema+`" AUTHORIZATION `+role)
	require.NoError(t, err)

	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.User, cfg.Password = role, ""
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		t.Skipf("cannot log in as the test role: %v", err)
	}
	s, err := sqlstore.New(db, sqlstore.PostgreSQL, o)
	require.NoError(t, err)
	require.NoError(t, s.Migrate(ctx), "the schema's owner migrates it")
	assert.NoError(t, s.CreateDeal(ctx, deal("d1")))
	require.NoError(t, s.Migrate(ctx), "and again")
}
