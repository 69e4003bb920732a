package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	ncruces "github.com/ncruces/go-sqlite3"
	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"

	"github.com/gridgov/gridgov/store/sqlstore/internal/engine"
	"github.com/gridgov/gridgov/store/sqlstore/sqlite"
)

// The SQLite backend's driver, measured: modernc.org/sqlite (SQLite translated from C
// to Go) against github.com/ncruces/go-sqlite3 (SQLite compiled to WebAssembly and
// translated to Go), both pure Go, under the same engine, pragmas and transactions.
// Only this file imports the second; the backend itself uses modernc.

// openNcruces opens the engine on a fresh file through the ncruces driver, with the
// pragmas and BEGIN IMMEDIATE transactions of sqlite.Open.
func openNcruces(b *testing.B, sync string) backend {
	b.Helper()
	dsn := "file:" + filepath.Join(b.TempDir(), "bench.db") +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(" + sync + ")&_pragma=foreign_keys(ON)&_txlock=immediate"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	e, err := engine.New(context.Background(), db, engine.Dialect{Name: "sqlite-ncruces", Blob: "BLOB", MaxRetries: 50,
		Classify: func(err error) engine.ErrorClass {
			var se *ncruces.Error
			if !errors.As(err, &se) {
				return engine.ClassOther
			}
			switch {
			case se.ExtendedCode() == ncruces.CONSTRAINT_PRIMARYKEY || se.ExtendedCode() == ncruces.CONSTRAINT_UNIQUE:
				return engine.ClassUnique
			case se.Code() == ncruces.BUSY || se.Code() == ncruces.LOCKED:
				return engine.ClassRetry
			}
			return engine.ClassOther
		}})
	if err != nil {
		db.Close()
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	return e
}

// BenchmarkSQLiteDriver runs the closed loop through escalation.Service and a
// compare-and-swap update of a random aggregate of 10,000 on each driver, with
// synchronous FULL and NORMAL.
func BenchmarkSQLiteDriver(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		for _, drv := range []struct {
			name string
			open func(b *testing.B) backend
		}{
			{"modernc", func(b *testing.B) backend {
				db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), &sqlite.Options{Synchronous: sync})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { db.Close() })
				return db
			}},
			{"ncruces", func(b *testing.B) backend { return openNcruces(b, sync) }},
		} {
			b.Run(fmt.Sprintf("%s/%s/ClosedLoop", sync, drv.name), func(b *testing.B) {
				s := newService(b, drv.open(b))
				ids := runClosedLoops(b, s)
				reportPerCommand(b, len(ids))
				checkClosed(b, s, ids)
			})
			b.Run(fmt.Sprintf("%s/%s/CASUpdate", sync, drv.name), func(b *testing.B) {
				db := drv.open(b)
				casUpdates(b, db, preload(b, db, preloaded))
			})
		}
	}
}
