package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/examples/qinhuai/sim"
	"github.com/gridgov/gridgov/store/memstore"
)

// TestResume_SQLite checks that two runs on one SQLite file, the second continuing
// where the first stopped, report what one uninterrupted run reports. The parts are
// a few days, not half a year, to keep the test short; the rule is the same.
func TestResume_SQLite(t *testing.T) {
	ctx := t.Context()
	whole, err := sim.Run(ctx, sim.Options{Seed: 5, Days: 4, Backend: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "qinhuai.db")
	for i, days := range []int{2, 2} {
		b, closeDB, err := open(ctx, "sqlite:"+file)
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
				t.Errorf("two parts on SQLite differ from one run (-whole +parts):\n%s", diff)
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
