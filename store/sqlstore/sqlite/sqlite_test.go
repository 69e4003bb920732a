package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/sqlstore/internal/killtest"
	"github.com/gridgov/gridgov/store/sqlstore/sqlite"
	"github.com/gridgov/gridgov/store/storetest"
)

func open(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "gridgov.db"), &sqlite.Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Backend { return open(t) })
}

func TestConformance_Appender(t *testing.T) {
	storetest.RunAppender(t, func(t *testing.T) store.Appender { return open(t) })
}

func TestConformance_RangeScanner(t *testing.T) {
	storetest.RunRangeScanner(t, func(t *testing.T) storetest.RangeBackend { return open(t) })
}

func openKill(ctx context.Context, path string) (killtest.Backend, error) {
	// FULL: a commit is on disk before it is acknowledged.
	return sqlite.Open(ctx, path, &sqlite.Options{Synchronous: "FULL"})
}

func TestMain(m *testing.M) {
	killtest.Child(openKill)
	os.Exit(m.Run())
}

// TestDurability_KillWriter kills a writer process in the middle of a stream of writes
// and finds every acknowledged write, and no partial one, in the reopened file.
func TestDurability_KillWriter(t *testing.T) {
	killtest.Run(t, filepath.Join(t.TempDir(), "kill.db"), 200, openKill)
}

func TestOpen_BadOptions(t *testing.T) {
	_, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "x.db"), &sqlite.Options{Synchronous: "OFF"})
	if err == nil || !strings.Contains(err.Error(), "Synchronous") {
		t.Fatalf("Open with synchronous OFF = %v, want an error naming the option", err)
	}
}

func TestOpen_MigrationsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	for range 3 {
		db, err := sqlite.Open(t.Context(), path, nil)
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.SchemaVersion(t.Context())
		if err != nil || v != 1 {
			t.Errorf("SchemaVersion = %d, %v; want 1", v, err)
		}
		db.Close()
	}
}

// TestOpen_ConcurrentFirstOpen opens one new file from several handles at once, as
// several processes starting together do: each migrates or finds the schema migrated,
// and every step is recorded once.
func TestOpen_ConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	const openers = 4
	errs := make(chan error, openers)
	for range openers {
		go func() {
			db, err := sqlite.Open(t.Context(), path, nil)
			if err == nil {
				var v int
				if v, err = db.SchemaVersion(t.Context()); err == nil && v != 1 {
					err = fmt.Errorf("SchemaVersion = %d, want 1", v)
				}
				db.Close()
			}
			errs <- err
		}()
	}
	for range openers {
		if err := <-errs; err != nil {
			t.Errorf("concurrent first Open: %v", err)
		}
	}
	db := open1(t, path)
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM gridgov_schema_migrations`).Scan(&n); err != nil || n != 1 {
		t.Errorf("migration rows = %d, %v; want 1", n, err)
	}
}

func open1(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
