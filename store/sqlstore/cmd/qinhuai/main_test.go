package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/examples/qinhuai/sim"
	"github.com/gridgov/gridgov/store/memstore"
	"github.com/gridgov/gridgov/store/sqlstore/postgres"
)

// TestResume_SQLite checks that two runs on one SQLite file, the second continuing
// where the first stopped, report what one uninterrupted run reports. The parts are
// a few days, not half a year, to keep the test short; the rule is the same.
func TestResume_SQLite(t *testing.T) {
	testResume(t, "sqlite:"+filepath.Join(t.TempDir(), "qinhuai.db"))
}

// TestResume_Postgres is TestResume_SQLite on a fresh schema of the PostgreSQL server
// GRIDGOV_POSTGRES_URL names (.ci/postgres.sh starts one); it is skipped without one.
// The days run every service on the server, the scheduler's range scan of the cases
// due among them.
func TestResume_Postgres(t *testing.T) {
	base := os.Getenv("GRIDGOV_POSTGRES_URL")
	if base == "" {
		t.Skip("GRIDGOV_POSTGRES_URL is not set (run .ci/postgres.sh to start a throwaway server)")
	}
	admin, err := postgres.Open(t.Context(), base, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("qinhuai_test_%d", os.Getpid())
	if _, err := admin.SQL().Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.SQL().Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	testResume(t, u.String())
}

func testResume(t *testing.T, db string) {
	ctx := t.Context()
	whole, err := sim.Run(ctx, sim.Options{Seed: 5, Days: 4, Backend: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	for i, days := range []int{2, 2} {
		b, closeDB, err := open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := sim.Run(ctx, sim.Options{Seed: 5, Days: days, Backend: b})
		if cerr := closeDB(); cerr != nil {
			t.Fatal(cerr)
		}
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		if i == 1 {
			if diff := cmp.Diff(whole, rep); diff != "" {
				t.Errorf("two parts on %s differ from one run (-whole +parts):\n%s", db, diff)
			}
		}
	}
}

// TestCommand_BadDB checks that an unknown -db is refused before anything runs.
func TestCommand_BadDB(t *testing.T) {
	var out bytes.Buffer
	err := command(t.Context(), []string{"-db", "mysql://x"}, &out, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "sqlite:FILE") {
		t.Errorf("command(-db mysql://x) = %v, want a refusal naming the accepted forms", err)
	}
	if out.Len() > 0 {
		t.Errorf("a report was written:\n%s", out.String())
	}
}
