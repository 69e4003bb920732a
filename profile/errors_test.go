package profile_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/profile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("golden file: %v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// TestLoad_ReportsEveryMistake loads a profile with a dozen distinct mistakes and checks
// that each is reported, at once, with its file, line, column and path.
func TestLoad_ReportsEveryMistake(t *testing.T) {
	_, err := profile.Load(os.DirFS("testdata"), "mistakes.yaml")
	var list profile.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Load(mistakes.yaml) error = %v, want an ErrorList", err)
	}
	if !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Load(mistakes.yaml) error does not wrap gridgov.ErrInvalid")
	}
	golden(t, "mistakes.golden", err.Error()+"\n")
	for _, want := range []struct{ where, what, reason string }{
		{"mistakes.yaml:4:1 colour", "unknown section", "an unknown section is not ignored"},
		{"mistakes.yaml:9:7 escalation.deadlines[10].limt", `did you mean "limit"`, "a misspelt key names the nearest one"},
		{"mistakes.yaml:11:14 escalation.deadlines[11].limit", "working days", "a limit has one notation"},
		{"mistakes.yaml:13:14 escalation.escalation.warn_at", "0..99", "the package's Validate, mapped to the line"},
		{"mistakes.yaml:7:7 escalation.deadlines[10]", "repeats deadlines[6]", "the package's rule on a merged list, at the appended item"},
		{"mistakes.yaml:14:16 escalation.escalation.at[1]", "write a percentage", "a ladder point has one notation, 150%"},
		{"mistakes.yaml:16:28 escalation.separation.finder_may_not_handle", "true or false", "yes is not a YAML 1.2 boolean"},
		{"mistakes.yaml:20:55 rewards.schedule.rows[0].amount", "two decimal places", "sub-fen precision is refused"},
		{"mistakes.yaml:21:55 rewards.schedule.rows[1].amount", "must be within 1–", "zero reward, from the package"},
		{"mistakes.yaml:21:9 rewards.schedule.rows[1]", "repeats rows[0]", "a repeated row, from the package"},
		{"mistakes.yaml:22:63", `duplicate key "amount"`, "duplicate keys are errors"},
		{"mistakes.yaml:25:14 rewards.funds.year_end.share", "within 0–1", "a rate above 1"},
		{"mistakes.yaml:27:31 grid.households.max", "households.min", "the band, from the package"},
		{"mistakes.yaml:30:15 mediation.limits.conclude", "want a mapping", "a scalar where a mapping belongs"},
	} {
		found := false
		for _, e := range list {
			line := e.Error()
			if strings.HasPrefix(line, want.where) && strings.Contains(line, want.what) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error %q … %q (%s) in:\n%v", want.where, want.what, want.reason, err)
		}
	}
	for _, e := range list {
		if e.File == "" || e.Line < 1 || e.Col < 1 {
			t.Errorf("error without a position: %#v", e)
		}
		if e.Excerpt == "" {
			t.Errorf("error without an excerpt: %v", e)
		}
	}
}
