package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
)

// lineOf returns the 1-based line of the first line of file holding s.
func lineOf(t *testing.T, file, s string) int {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%s holds no line with %q", file, s)
	return 0
}

func TestRunShowsTheThreeOverridesAndProvesThem(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "district"}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	got := out.String()
	prof := filepath.Join("district", "helan.yaml")
	// The diff: each override with the file and line that set it, beside the base's
	// value (the base's own lines are its business).
	for _, re := range []string{
		fmt.Sprintf(`(?m)^rewards\.pay_scale\.posts\[staff\]\.min: 1 \(embedded/rural-county\.yaml:\d+\) → 3 \(%s:%d\)$`, regexp.QuoteMeta(prof), lineOf(t, prof, "min: 3")),
		fmt.Sprintf(`(?m)^rewards\.schedule\.rows\[2\]\.amount: ¥200\.00 \(embedded/qinhuai\.yaml:\d+\) → ¥300\.00 \(%s:%d\)$`, regexp.QuoteMeta(prof), lineOf(t, prof, "amount: ¥300}")),
		fmt.Sprintf(`(?m)^escalation\.deadlines\[\d+\]: \(none\) → \{step: "handle", category: "E05", limit: 5wd\} \(%s:%d\)$`, regexp.QuoteMeta(prof), lineOf(t, prof, "limit: 5wd")),
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("output lacks a line matching %s", re)
		}
	}
	want := []string{
		"rural-county: 4 rule(s) differ",
		// Every scenario file passes.
		"deadline.yaml: 1 file(s), 1 scenario(s), 7 step(s): 10 expectation(s) passed",
		"pay.yaml: 1 file(s), 2 scenario(s), 2 step(s): 4 expectation(s) passed",
		"reward.yaml: 1 file(s), 1 scenario(s), 4 step(s): 5 expectation(s) passed",
		// And under the base the same histories decide otherwise, exactly where the
		// overrides apply.
		"step 3 (dispatch): deadline 2025-10-14T17:30:00+08:00 → 2025-10-11T17:30:00+08:00",
		"step 1 (payslip): grade 3 → 1",
		"step 1 (payslip): amount ¥9,416.00 → ¥8,780.00",
		"step 1 (payslip): grade 5 → 3",
		"step 2 (claim): amount ¥300.00 → ¥200.00",
		"6 difference(s)",
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q", w)
		}
	}
	if strings.Contains(got, "FAIL") || strings.Count(got, ", 0 failed") != 3 {
		t.Errorf("a scenario failed:\n%s", got)
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
}

// district copies the example's district to a temporary folder and rewrites the
// profile with edit, as an engineer's mistaken change would.
func district(t *testing.T, edit func(string) string) (dir, prof string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "district")
	if err := os.CopyFS(dir, os.DirFS("district")); err != nil {
		t.Fatal(err)
	}
	prof = filepath.Join(dir, "helan.yaml")
	src, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	changed := edit(string(src))
	if changed == string(src) {
		t.Fatal("the edit changed nothing")
	}
	if err := os.WriteFile(prof, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, prof
}

// A pay grade the scale does not have is refused when the profile loads, at the line
// and column of the value, and nothing runs.
func TestAnInvalidOverrideIsRefusedAtItsLine(t *testing.T) {
	dir, prof := district(t, func(s string) string {
		return strings.Replace(s, "min: 3, max: 15", "min: 30, max: 15", 1)
	})
	var out bytes.Buffer
	err := run([]string{"-dir", dir}, &out)
	var list profile.ErrorList
	if !errors.As(err, &list) || !errors.Is(err, gridgov.ErrInvalid) {
		t.Fatalf("run: want a profile.ErrorList wrapping ErrInvalid, got %v", err)
	}
	line := lineOf(t, prof, "min: 30")
	at := fmt.Sprintf("%s:%d:", prof, line)
	found := false
	for _, e := range list {
		found = found || (strings.HasPrefix(e.Error(), at) && strings.Contains(e.Error(), "posts[3]"))
	}
	if !found {
		t.Errorf("no problem at %s for posts[3]:\n%v", at, err)
	}
	if out.Len() != 0 {
		t.Errorf("printed before the profile loaded:\n%s", &out)
	}
}

// A wrong amount that is a valid rule loads, and the scenario that states the
// district's intent catches it at the expectation's file:line:col.
func TestAWrongOverrideIsCaughtByTheScenario(t *testing.T) {
	dir, _ := district(t, func(s string) string {
		return strings.Replace(s, "contribution: direct, amount: ¥300}", "contribution: direct, amount: ¥250}", 1)
	})
	var out bytes.Buffer
	err := run([]string{"-dir", dir}, &out)
	if !errors.Is(err, errFailed) {
		t.Fatalf("run: want errFailed, got %v\n%s", err, &out)
	}
	scen := filepath.Join(dir, "scenarios", "reward.yaml")
	line := lineOf(t, scen, "amount: ¥300}")
	col := strings.Index(readLine(t, scen, line), "¥300}") + 1 // the value, in bytes as a YAML column
	want := fmt.Sprintf(`%s:%d:%d scenario "a report that solved a case earns ¥300 once the beat's officer approves" step 4 (approve by ding): amount expected=¥300.00 got=¥250.00`, scen, line, col)
	got := out.String()
	if !strings.Contains(got, want) {
		t.Errorf("output lacks\n%s\n got:\n%s", want, got)
	}
	if !strings.Contains(got, "  FAIL a report that solved") || !strings.Contains(got, "  ok   a stall in") {
		t.Errorf("the failed scenario is not the only one marked:\n%s", got)
	}
}

func readLine(t *testing.T, file string, n int) string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(src), "\n")[n-1]
}

func TestRunRefusesStrayArguments(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "district", "extra"}, &out); err == nil {
		t.Fatal("run accepted a stray argument")
	}
}

// The district's scenarios as a district's own Go test would run them: one subtest
// per file and scenario.
func TestScenarios(t *testing.T) {
	rep := policytest.Run(t, "district/scenarios/*.yaml")
	if rep.Files != 3 || rep.Scenarios != 4 {
		t.Errorf("ran %d files and %d scenarios, want 3 and 4", rep.Files, rep.Scenarios)
	}
}
