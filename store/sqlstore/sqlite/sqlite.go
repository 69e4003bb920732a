// Package sqlite is the embedded gridgov storage backend: one SQLite file in WAL mode,
// through the pure-Go driver modernc.org/sqlite (no cgo, so a district's binary stays a
// single static file). The other pure-Go driver, github.com/ncruces/go-sqlite3, measured
// the same through the escalation service (BenchmarkSQLiteDriver, BENCHMARKS.md). It implements [store.Backend], [store.Appender] and
// [store.RangeScanner] and passes the storetest suites for all three.
//
//	db, err := sqlite.Open("qinhuai.db", nil)
//	if err != nil { ... }
//	defer db.Close()
//	svc, err := escalation.NewService(db, ...)
//
// Writes run in BEGIN IMMEDIATE transactions, so two writers never deadlock on a lock
// upgrade; a writer that finds the file locked waits up to Options.BusyTimeout, and one
// that still cannot get the lock is retried a bounded number of times. With the default
// synchronous=FULL every acknowledged write survives a crash of the process or the
// machine; synchronous=NORMAL (Options.Synchronous) survives a process crash only.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/sqlstore/internal/engine"
)

// Options configures [Open]. A nil *Options means defaults.
type Options struct {
	// BusyTimeout is how long a writer waits for the file lock. Default: 5 s.
	BusyTimeout time.Duration
	// Synchronous is SQLite's synchronous pragma: "FULL" (default: every commit is
	// durable) or "NORMAL" (faster; in WAL mode, a power loss may drop the last commits
	// but never corrupts the file).
	Synchronous string
	// MaxOpenConns bounds the connection pool. Default: 8. WAL lets readers run beside
	// the one writer.
	MaxOpenConns int
}

// DB is a gridgov backend on one SQLite file. It is safe for concurrent use, also by
// several processes on the same file.
type DB struct {
	*engine.DB
}

var (
	_ store.Backend      = (*DB)(nil)
	_ store.Appender     = (*DB)(nil)
	_ store.RangeScanner = (*DB)(nil)
)

// Open opens (creating it if needed) the SQLite database at path and migrates its
// schema to the newest version.
func Open(ctx context.Context, path string, opts *Options) (*DB, error) {
	o := Options{BusyTimeout: 5 * time.Second, Synchronous: "FULL", MaxOpenConns: 8}
	if opts != nil {
		if opts.BusyTimeout > 0 {
			o.BusyTimeout = opts.BusyTimeout
		}
		if opts.Synchronous != "" {
			o.Synchronous = opts.Synchronous
		}
		if opts.MaxOpenConns > 0 {
			o.MaxOpenConns = opts.MaxOpenConns
		}
	}
	switch o.Synchronous {
	case "FULL", "NORMAL":
	default:
		return nil, fmt.Errorf("sqlite: Options.Synchronous %q: want FULL or NORMAL", o.Synchronous)
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "synchronous("+o.Synchronous+")")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(o.MaxOpenConns)
	db.SetMaxIdleConns(o.MaxOpenConns)
	e, err := engine.New(ctx, db, engine.Dialect{Name: "sqlite", Blob: "BLOB", Classify: classify, MaxRetries: 50})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &DB{e}, nil
}

func classify(err error) engine.ErrorClass {
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return engine.ClassOther
	}
	switch se.Code() {
	case sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3lib.SQLITE_CONSTRAINT_UNIQUE:
		return engine.ClassUnique
	case sqlite3lib.SQLITE_BUSY, sqlite3lib.SQLITE_LOCKED, sqlite3lib.SQLITE_BUSY_SNAPSHOT:
		return engine.ClassRetry
	}
	return engine.ClassOther
}
