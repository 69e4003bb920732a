package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/sqlstore/internal/engine"
	"github.com/gridgov/gridgov/store/sqlstore/internal/killtest"
	"github.com/gridgov/gridgov/store/sqlstore/internal/pgtest"
	"github.com/gridgov/gridgov/store/sqlstore/postgres"
	"github.com/gridgov/gridgov/store/storetest"
)

func open(t *testing.T, params ...string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), pgtest.FreshURL(t, params...), nil)
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
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

// TestConformance_SerializableSession runs the three suites with every statement of the
// session at SERIALIZABLE, as a CockroachDB cluster runs them, so the contended cases
// go through the retry path on 40001.
func TestConformance_SerializableSession(t *testing.T) {
	var retries atomic.Int64
	openSer := func(t *testing.T) *postgres.DB {
		db := open(t, "default_transaction_isolation", "serializable")
		t.Cleanup(func() { retries.Add(db.Retries()) })
		return db
	}
	t.Run("Backend", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Backend { return openSer(t) })
	})
	t.Run("Appender", func(t *testing.T) {
		storetest.RunAppender(t, func(t *testing.T) store.Appender { return openSer(t) })
	})
	t.Run("RangeScanner", func(t *testing.T) {
		storetest.RunRangeScanner(t, func(t *testing.T) storetest.RangeBackend { return openSer(t) })
	})
	t.Logf("write transactions run again after a serialization failure: %d", retries.Load())
}

func openKill(ctx context.Context, u string) (killtest.Backend, error) {
	return postgres.Open(ctx, u, nil)
}

func TestMain(m *testing.M) {
	killtest.Child(openKill)
	os.Exit(m.Run())
}

// TestDurability_KillWriter kills a writer process in the middle of a stream of writes
// and finds every acknowledged write, and no partial one, after reconnecting. The
// writer's session commits synchronously.
func TestDurability_KillWriter(t *testing.T) {
	u, err := url.Parse(pgtest.FreshURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "on")
	u.RawQuery = q.Encode()
	killtest.Run(t, u.String(), 100, openKill)
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		code string
		want engine.ErrorClass
		why  string
	}{
		{postgres.CodeUniqueViolation, engine.ClassUnique, "a concurrent create: the caller's compare-and-swap lost"},
		{postgres.CodeDuplicateTable, engine.ClassUnique, "a concurrent migration created the table: run the step again"},
		{postgres.CodeDuplicateObject, engine.ClassUnique, "a concurrent migration created the row type: run the step again"},
		{postgres.CodeSerializationFailure, engine.ClassRetry, "SERIALIZABLE aborted the transaction: run it again"},
		{postgres.CodeDeadlockDetected, engine.ClassRetry, "a deadlock victim: run it again"},
		{postgres.CodeCompletionUnknown, engine.ClassAmbiguous, "CockroachDB's ambiguous commit: read back to settle"},
		{"42P01", engine.ClassOther, "a missing table is a real failure"},
	} {
		err := fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: tc.code})
		if got := postgres.Classify(err); got != tc.want {
			t.Errorf("Classify(%s) = %v, want %v: %s", tc.code, got, tc.want, tc.why)
		}
	}
	if got := postgres.Classify(errors.New("plain")); got != engine.ClassOther {
		t.Errorf("Classify(non-PostgreSQL error) = %v, want ClassOther", got)
	}
}

func TestOpen_MigrationsIdempotent(t *testing.T) {
	u := pgtest.FreshURL(t)
	for range 3 {
		db, err := postgres.Open(t.Context(), u, nil)
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

func TestOpen_Unreachable(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", nil)
	if err == nil || !strings.Contains(err.Error(), "connect") {
		t.Fatalf("Open of an unreachable server = %v, want a connect error", err)
	}
}

// TestOpen_ConcurrentFirstOpen opens one new schema from several handles at once, as
// several application servers starting together do: each migrates or finds the schema
// migrated, and every step is recorded once.
func TestOpen_ConcurrentFirstOpen(t *testing.T) {
	u := pgtest.FreshURL(t)
	const openers = 4
	errs := make(chan error, openers)
	for range openers {
		go func() {
			db, err := postgres.Open(t.Context(), u, nil)
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
	db, err := postgres.Open(t.Context(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM gridgov_schema_migrations`).Scan(&n); err != nil || n != 1 {
		t.Errorf("migration rows = %d, %v; want 1", n, err)
	}
}
