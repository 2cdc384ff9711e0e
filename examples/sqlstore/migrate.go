package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	sp "github.com/salesprocess/salesprocess"
)

// migrationFS holds the schema migrations: migrations/<dialect>/NNNN_name.sql,
// applied in the order of NNNN.
//
//go:embed migrations
var migrationFS embed.FS

// Migration is one step of the schema: its version (the number that
// starts its file name, from 1 up without gaps), its name and its SQL.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the schema migrations of dialect d in the order they
// are applied. Hosts that manage their schema with a tool of their own can
// take them from here (and open the Store with [Options.NoMigrate]). Their
// SQL names no schema: on PostgreSQL with [Options.Schema], run it with
// that schema first in the search_path. Nor does it touch the table
// sqlstore_migrations, which only [Store.Migrate] keeps: on tables made
// this way [Store.SchemaVersion] is an error, and [Store.Migrate] would
// apply the migrations again and fail, on the first table, with an error
// wrapping [sp.ErrInvalid] that says not to call it.
func Migrations(d Dialect) ([]Migration, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok || e.IsDir() {
			continue
		}
		num, rest, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("sqlstore: migration %s: the name does not start with its version", e.Name())
		}
		text, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migration %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: rest, SQL: string(text)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return cmp.Compare(a.Version, b.Version) })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlstore: migrations of %s: version %d where %d belongs", d, m.Version, i+1)
		}
	}
	return ms, nil
}

// Migrate brings the database's schema up to date: in one transaction it
// applies, in order, the migrations (see [Migrations]) that the table
// sqlstore_migrations does not list, and lists them there. Run again, it
// finds nothing to do. Processes that migrate at once wait for each other
// (on PostgreSQL by an advisory lock, on SQLite by the write lock). A
// database whose schema is newer than this package knows is an error
// wrapping [sp.ErrInvalid], and is left as it is.
//
// A migration that meets a table or an index of the name it gives one of
// the store's, which the migrations listed as applied did not make (a
// table of another application's, or the store's own made from
// [Migrations] by other means), fails with an error wrapping
// [sp.ErrInvalid] that names it and says to give the store a schema of
// its own with [Options.Schema] (on SQLite, a database of its own), or,
// for the store's own tables, not to call Migrate; Migrate then applies
// none of the migrations of that run. So does a Migrate that misses a
// table or a column that the migrations need: one that an applied
// migration made and a change by other means than Migrate removed, or
// one of sqlstore_migrations, when a table of another's has its name.
//
// On PostgreSQL with [Options.Schema], Migrate creates the schema if it is
// missing (which takes the CREATE privilege on the database); a schema
// that exists needs only the privileges to create tables in it.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.usable(); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	if err := ctxErr(ctx); err != nil {
		return s.fail(ctx, "migrate", err)
	}
	ms, err := Migrations(s.d)
	if err != nil {
		return err
	}
	if err := s.migrate(ctx, ms); err != nil {
		return s.fail(ctx, "migrate", s.migrationFault(err))
	}
	return nil
}

func (s *Store) migrate(ctx context.Context, ms []Migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // after Commit it does nothing
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return withQuery(q, err)
	}
	schema := s.t.schema
	create := "CREATE TABLE IF NOT EXISTS " + s.t.migrations +
		" (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
	if s.d == PostgreSQL {
		if err := exec("SELECT pg_advisory_xact_lock($1)", s.t.lockKey("migrate")); err != nil {
			return err
		}
		if schema != "" {
			// CREATE SCHEMA, even IF NOT EXISTS, needs the CREATE privilege
			// on the database, which the owner of an existing schema may
			// lack: ask for it only when the schema is missing.
			var exists bool
			err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", schema).Scan(&exists)
			if err != nil {
				return err
			}
			if !exists {
				if err := exec(`CREATE SCHEMA IF NOT EXISTS "` + schema + `"`); err != nil {
					return err
				}
			}
			// The migrations name their tables without the schema.
			if err := exec(`SET LOCAL search_path TO "` + schema + `"`); err != nil {
				return err
			}
		}
		create = "CREATE TABLE IF NOT EXISTS " + s.t.migrations +
			" (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())"
	}
	if err := exec(create); err != nil {
		return err
	}
	applied := map[int]bool{}
	listApplied := "SELECT version FROM " + s.t.migrations
	rows, err := tx.QueryContext(ctx, listApplied)
	if err != nil {
		return withQuery(listApplied, err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for v := range applied {
		if v > len(ms) {
			return fmt.Errorf("the database's schema is at version %d, newer than the %d this package knows: %w", v, len(ms), sp.ErrInvalid)
		}
	}
	for _, m := range ms {
		if applied[m.Version] {
			continue
		}
		if err := exec(m.SQL); err != nil {
			return fmt.Errorf("migration %d %s: %w", m.Version, m.Name, s.migrationFault(err))
		}
		if err := exec("INSERT INTO "+s.t.migrations+" (version, name) VALUES ("+s.d.placeholder(1)+", "+s.d.placeholder(2)+")", m.Version, m.Name); err != nil {
			return fmt.Errorf("migration %d %s: %w", m.Version, m.Name, err)
		}
	}
	return tx.Commit()
}

// migrationFault returns err, the error of a migration's SQL, with what it
// tells the host to do when it is about the schema, wrapping
// [sp.ErrInvalid]: a table or an index the migration creates is there
// already, another's (an ERP's table of the same name) or the store's own
// made by other means than Migrate, which sqlstore_migrations does not
// list; or a table or a column that the migrations need is not there
// (one that an applied migration made, or sqlstore_migrations's own, in a
// table of another's). Other errors, and those it wrapped already, it
// returns as they are.
func (s *Store) migrationFault(err error) error {
	if errors.Is(err, sp.ErrInvalid) {
		return err
	}
	f, name, _ := schemaFault(err)
	if name != "" {
		name = fmt.Sprintf(" %q", name)
	}
	switch f {
	case existing:
		own := "give the store a schema of its own with Options.Schema"
		switch {
		case s.d == SQLite:
			own = "give the store a database of its own (SQLite has no schemas)"
		case s.t.schema != "":
			own = fmt.Sprintf("give the store a schema of its own with Options.Schema (schema %q holds other tables)", s.t.schema)
		}
		return fmt.Errorf("a table or an index%s is there already, which the migration creates: "+
			"in a database that holds other tables, %s; if the store's migrations made it by other means, "+
			"do not call Migrate (open with Options.NoMigrate): %w: %w", name, own, sp.ErrInvalid, err)
	case missingTable, missingColumn:
		return fmt.Errorf("a table or a column%s that the migrations need is not there: the schema was changed "+
			"by other means than Migrate, or a table of another's has the name of one of the store's: %w: %w", name, sp.ErrInvalid, err)
	}
	return err
}

// SchemaVersion returns the version of the last migration applied to the
// database, as the table sqlstore_migrations lists them (0 if it lists
// none). A database Migrate never ran on has no such table: that is an
// error wrapping [sp.ErrInvalid] that says the schema is not migrated, not
// version 0.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	if err := s.usable(); err != nil {
		return 0, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	if err := ctxErr(ctx); err != nil {
		return 0, s.fail(ctx, "schema version", err)
	}
	var v sql.NullInt64
	q := "SELECT MAX(version) FROM " + s.t.migrations
	if err := s.db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return 0, s.fail(ctx, "schema version", withQuery(q, err))
	}
	return int(v.Int64), nil
}
