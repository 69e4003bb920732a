package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
)

type atomicInt = atomic.Int64

// Migration is one versioned step of the schema. Steps are applied in order, each in
// its own transaction with the row that records it, so a step is applied exactly once
// however many processes open the database at the same time.
type Migration struct {
	Version int
	Name    string
	// SQL holds statements separated by ";\n"; {{blob}} stands for the dialect's type of
	// opaque bytes.
	SQL string
}

// Migrations is the schema, oldest first. Never edit a released step: add one.
//
// Every statement stays within what SQLite, PostgreSQL, CockroachDB and YugabyteDB all
// accept: plain tables with composite primary keys and secondary indexes, no sequences,
// triggers, advisory locks or LISTEN/NOTIFY.
var Migrations = []Migration{
	{Version: 1, Name: "documents, index values and event logs", SQL: `
CREATE TABLE IF NOT EXISTS gridgov_documents (
	collection TEXT NOT NULL,
	id TEXT NOT NULL,
	version BIGINT NOT NULL,
	data {{blob}} NOT NULL,
	idx {{blob}} NOT NULL,
	last_seq BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (collection, id)
);
CREATE TABLE IF NOT EXISTS gridgov_index (
	collection TEXT NOT NULL,
	field TEXT NOT NULL,
	value TEXT NOT NULL,
	id TEXT NOT NULL,
	PRIMARY KEY (collection, field, value, id)
);
CREATE INDEX IF NOT EXISTS gridgov_index_by_document ON gridgov_index (collection, id);
CREATE TABLE IF NOT EXISTS gridgov_events (
	collection TEXT NOT NULL,
	id TEXT NOT NULL,
	seq BIGINT NOT NULL,
	data {{blob}} NOT NULL,
	PRIMARY KEY (collection, id, seq)
)`},
}

// migrateRaces bounds how often one step is run again because another process
// created the same objects at the same moment.
const migrateRaces = 10

// migrate applies the steps not yet recorded. Two processes opening a new database
// together both find a step unrecorded and both run it; the one whose DDL collides
// with the other's (a unique violation in the catalog, as PostgreSQL reports it even
// under IF NOT EXISTS, or an object that already exists) runs the step again, and then
// finds it recorded.
func (e *DB) migrate(ctx context.Context) error {
	var err error
	for range migrateRaces {
		_, err = e.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS gridgov_schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TEXT NOT NULL)`)
		if err == nil || e.d.Classify(err) != ClassUnique {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("sqlstore(%s): migrate: %w", e.d.Name, err)
	}
	for _, m := range Migrations {
		for range migrateRaces {
			if err = e.migrateStep(ctx, m); err == nil || e.d.Classify(err) != ClassUnique {
				break
			}
		}
		if err != nil {
			return fmt.Errorf("sqlstore(%s): migration %d (%s): %w", e.d.Name, m.Version, m.Name, err)
		}
	}
	return nil
}

// migrateStep applies m unless it is recorded, in one transaction with its record.
func (e *DB) migrateStep(ctx context.Context, m Migration) error {
	return e.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, e.rebind(`SELECT COUNT(*) FROM gridgov_schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		for _, stmt := range strings.Split(strings.ReplaceAll(m.SQL, "{{blob}}", e.d.Blob), ";\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		// The time is the database's, recorded for operators; it decides nothing.
		_, err := tx.ExecContext(ctx, e.rebind(`INSERT INTO gridgov_schema_migrations (version, name, applied_at) VALUES (?, ?, CAST(CURRENT_TIMESTAMP AS TEXT))`),
			m.Version, m.Name)
		return err
	}, func(context.Context) (bool, error) { return false, nil })
}

// SchemaVersion returns the newest migration applied to the database.
func (e *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := e.db.QueryRowContext(ctx, `SELECT MAX(version) FROM gridgov_schema_migrations`).Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}
