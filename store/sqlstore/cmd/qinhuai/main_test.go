package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/examples/qinhuai/sim"
	"github.com/gridgov/gridgov/store/memstore"
	"github.com/gridgov/gridgov/store/sqlstore/internal/pgtest"
)

// TestResume_SQLite checks that two runs on one SQLite file, the second continuing
// where the first stopped, report what one uninterrupted run reports. The parts are
// a few days, not half a year, to keep the test short; the rule is the same.
func TestResume_SQLite(t *testing.T) {
	testResume(t, "sqlite:"+filepath.Join(t.TempDir(), "qinhuai.db"))
}

// TestResume_Postgres is TestResume_SQLite on a fresh schema of the PostgreSQL server
// GRIDGOV_POSTGRES_URL names (see pgtest.ServerURL). The days run every service on the
// server, the scheduler's range scan of the cases due among them.
func TestResume_Postgres(t *testing.T) {
	testResume(t, pgtest.FreshURL(t, "synchronous_commit", "on"))
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
