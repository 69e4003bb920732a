// Package pgtest gives the module's tests a PostgreSQL server to run against: the one
// GRIDGOV_POSTGRES_URL names (.ci/postgres.sh starts a throwaway one, .ci/run sets the
// variable), with an empty schema for each test.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// ServerURL returns GRIDGOV_POSTGRES_URL. Outside CI a test without one is skipped; in
// CI (CI=true) a missing server fails it, so that no PostgreSQL test passes by skipping.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("GRIDGOV_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("GRIDGOV_POSTGRES_URL is not set, and CI=true: .ci/run must start a PostgreSQL server")
		}
		t.Skip("no PostgreSQL server: set GRIDGOV_POSTGRES_URL (run .ci/postgres.sh to start a throwaway one)")
	}
	return u
}

var schemas atomic.Int64

// FreshURL creates an empty schema for one test, dropped when it ends, and returns a
// URL whose search_path names it, so parallel tests never see each other's tables.
// params are further URL parameters as name, value pairs.
func FreshURL(t testing.TB, params ...string) string {
	t.Helper()
	base := ServerURL(t)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), schemas.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err == nil {
			admin.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE")
			admin.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	// A commit waits for its WAL flush only where a test asks (the durability test, the
	// benchmarks): on this shared disk a flush takes tens of milliseconds, and the
	// suites' contended cases make tens of thousands of commits. A client killed
	// mid-stream loses nothing either way; only a server crash could drop the last
	// unflushed commits.
	q.Set("synchronous_commit", "off")
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}
