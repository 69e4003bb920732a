// Package postgres is the gridgov storage backend for PostgreSQL, through pgx v5. It
// implements [store.Backend], [store.Appender] and [store.RangeScanner] and passes the
// storetest suites for all three.
//
//	db, err := postgres.Open(ctx, "postgres://gridgov@db.example/gridgov", nil)
//
// # Distributed SQL
//
// The backend keeps to SQL that CockroachDB and YugabyteDB accept as well, so a
// province that outgrows one server moves to a cluster without a code change:
//   - plain tables with composite primary keys and secondary indexes; no sequences,
//     triggers, advisory locks, LISTEN/NOTIFY or server-side functions;
//   - every write is one explicit SERIALIZABLE transaction: the compare-and-swap is a
//     single `UPDATE … FROM gridgov_documents AS o WHERE version = $n … RETURNING
//     o.idx`, which also returns the old index values (a create is an INSERT whose
//     primary-key violation means another writer won), followed by the index rows that
//     changed and the appended events;
//   - a serialization failure (40001) or deadlock (40P01) runs the transaction again, at
//     most Options.MaxRetries times, and then returns an error wrapping
//     [store.ErrConflict], which every service already retries by re-reading;
//   - an ambiguous commit (40003, statement_completion_unknown, as CockroachDB reports
//     when a node fails mid-commit) is settled by reading the document back: the write
//     took effect if the head stands at the new version with the new bytes;
//   - scans page by primary key (never OFFSET) and hold no cursor between pages.
//
// Partitioning by district code: every key of the schema starts with the collection
// and then the aggregate's ID (documents, their events and the index rows of a
// document), and the backend adds no column of its own to split on, so how a cluster
// spreads a province follows from the IDs. Case IDs issued by escalation.Service are
// ULIDs, which begin with the time: in a range-split key all new cases fall in the
// newest range, one hot node. A province should therefore either give cases IDs that
// begin with their district's division code (escalation.Report.ID accepts any unique
// string, e.g. "320104-" followed by a ULID) and pre-split the tables at the district
// prefixes (CockroachDB `ALTER TABLE … SPLIT AT`, YugabyteDB range sharding), which
// keeps each district's cases, events and index rows together on a few nodes; or hash
// the primary keys (YugabyteDB's default HASH sharding, CockroachDB hash-sharded
// indexes), which spreads writes evenly but makes every scan a fan-out. Reward funds
// ("area/year") already begin with their area's unit ID. Index rows are keyed by
// field and value: the unit index values are division codes and spread by district,
// while next_check values are times and, like ULIDs, concentrate on the newest range.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/sqlstore/internal/engine"
)

// Options configures [Open]. A nil *Options means defaults.
type Options struct {
	// MaxOpenConns bounds the connection pool. Default: 16.
	MaxOpenConns int
	// MaxRetries bounds how often one write is run again after a serialization failure
	// before it reports a conflict. Default: 20.
	MaxRetries int
}

// DB is a gridgov backend on a PostgreSQL database. It is safe for concurrent use, also
// by several processes on the same database.
type DB struct {
	*engine.DB
}

var (
	_ store.Backend      = (*DB)(nil)
	_ store.Appender     = (*DB)(nil)
	_ store.RangeScanner = (*DB)(nil)
)

// Open connects to the database at url (a libpq URL or key=value string, as pgx
// accepts; runtime parameters such as search_path may be given in it) and migrates the
// schema to the newest version.
func Open(ctx context.Context, url string, opts *Options) (*DB, error) {
	o := Options{MaxOpenConns: 16, MaxRetries: 20}
	if opts != nil {
		if opts.MaxOpenConns > 0 {
			o.MaxOpenConns = opts.MaxOpenConns
		}
		if opts.MaxRetries > 0 {
			o.MaxRetries = opts.MaxRetries
		}
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(o.MaxOpenConns)
	db.SetMaxIdleConns(o.MaxOpenConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	e, err := engine.New(ctx, db, engine.Dialect{
		Name: "postgres", Blob: "BYTEA", Dollar: true,
		TxOptions: &sql.TxOptions{Isolation: sql.LevelSerializable},
		Classify:  Classify, MaxRetries: o.MaxRetries, UpdateFrom: true,
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &DB{e}, nil
}

// SQLSTATE codes the backend acts on.
const (
	CodeUniqueViolation      = "23505"
	CodeDuplicateTable       = "42P07"
	CodeDuplicateObject      = "42710"
	CodeSerializationFailure = "40001"
	CodeDeadlockDetected     = "40P01"
	CodeCompletionUnknown    = "40003"
)

// Classify maps a PostgreSQL error onto what the backend does with it. It is exported
// for tests of the mapping.
func Classify(err error) engine.ErrorClass {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return engine.ClassOther
	}
	switch pe.Code {
	case CodeUniqueViolation, CodeDuplicateTable, CodeDuplicateObject:
		// The last two only come from the schema's DDL: another process created the
		// same table or type at the same moment.
		return engine.ClassUnique
	case CodeSerializationFailure, CodeDeadlockDetected:
		return engine.ClassRetry
	case CodeCompletionUnknown:
		return engine.ClassAmbiguous
	}
	return engine.ClassOther
}

// registered keeps the driver import in use: stdlib registers "pgx" in its init.
var _ = stdlib.GetDefaultDriver
