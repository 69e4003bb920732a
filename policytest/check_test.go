package policytest_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
)

// A wrong expectation fails with the documented message, at the expectation's line;
// a refusal by another rule than the one expected, a refusal nobody expected and an
// acceptance where a refusal was expected all fail too.
func TestWrongExpectationFails(t *testing.T) {
	r, err := policytest.Check([]string{"testdata/failing/wrong.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`testdata/failing/wrong.yaml:21:26 scenario "wrong deadline" step 3 (dispatch by zhao): deadline expected=2025-10-10T17:30:00+08:00 got=2025-10-11T17:30:00+08:00`,
		`testdata/failing/wrong.yaml:29:28 scenario "wrong rule" step 2 (file by wang): refused_by expected=auth.jurisdiction got=auth.role`,
		`testdata/failing/wrong.yaml:36:9 scenario "refused without an expectation" step 2 (file by wang): step expected=accepted got=refused_by=auth.role (`,
		`testdata/failing/wrong.yaml:45:28 scenario "accepted though a refusal was expected" step 2 (file by zhao): refused_by expected=auth.role got=(accepted)`,
	}
	if len(r.Failures) != len(want) {
		t.Fatalf("got %d failures, want %d:\n%v", len(r.Failures), len(want), r.Failures)
	}
	for i, f := range r.Failures {
		if got := f.String(); !strings.HasPrefix(got, want[i]) {
			t.Errorf("failure %d:\n got %s\nwant %s…", i, got, want[i])
		}
	}
	if r.OK() {
		t.Error("OK() with failures")
	}
	if r.Passes["state"] != 1 {
		t.Errorf("passes = %v, want state 1 (the expectation that held is counted)", r.Passes)
	}
}

// A file that cannot be checked is an error naming the line and column, never a
// silent pass.
func TestParseRefusesWhatCannotBeChecked(t *testing.T) {
	const head = "given: {tree: t.csv}\nscenarios:\n  - name: s\n    when:\n"
	for _, tc := range []struct {
		name, src, want, reason string
	}{
		{"UnknownExpectation", head + "      - {at: 2025-09-22T09:00+08:00, as: w, report: {id: C}, then: {stat: reported}}\n",
			`f.yaml:5:69 scenarios[0].when[0].then.stat: unknown expectation "stat" (did you mean "state"?)`, "a misspelt expectation would otherwise check nothing"},
		{"NoThen", head + "      - {at: 2025-09-22T09:00+08:00, as: w, report: {id: C}}\n",
			`f.yaml:3:5 scenarios[0]: scenario "s" expects nothing`, "a scenario without expectations cannot fail"},
		{"UnknownKey", head + "      - {at: 2025-09-22T09:00+08:00, as: w, reprot: {id: C}, then: {state: reported}}\n",
			`f.yaml:5:45 scenarios[0].when[0].reprot: unknown key "reprot" (did you mean "report"?)`, "a misspelt action is not ignored"},
		{"NotApplicable", head + "      - {at: 2025-09-22T09:00+08:00, as: w, report: {id: C}, then: {amount: ¥5}}\n",
			`f.yaml:5:77 scenarios[0].when[0].then.amount: expectation "amount" does not apply to a report step`, "a case has no amount to compare"},
		{"NoZone", head + "      - {at: 2025-09-22T09:00, as: w, report: {id: C}, then: {state: reported}}\n",
			`f.yaml:5:14 scenarios[0].when[0].at: time "2025-09-22T09:00": want`, "a deadline must not depend on the machine's zone"},
		{"TwoActions", head + "      - {at: 2025-09-22T09:00+08:00, as: w, report: {id: C}, file: {}, then: {state: reported}}\n",
			`f.yaml:5:9 scenarios[0].when[0]: a step has one action, this one has 2`, "which action the expectation is about would be ambiguous"},
		{"FenAmount", head + "      - {at: 2025-09-22T09:00+08:00, payslip: {worker: {id: w}}, then: {amount: 5.001}}\n",
			`f.yaml:5:81 scenarios[0].when[0].then.amount: money "5.001": more than two decimal places`, "money is yuan with at most two places"},
		{"NoScenarios", "given: {tree: t.csv}\nscenarios: []\n", `f.yaml:1:1 scenarios: the file has no scenarios`, "an empty file checks nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policytest.Parse("f.yaml", []byte(tc.src))
			var list profile.ErrorList
			if !errors.As(err, &list) || !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("err = %v, want a profile.ErrorList of ErrInvalid (%s)", err, tc.reason)
			}
			if !strings.HasPrefix(list[0].Error(), tc.want) {
				t.Errorf("got  %s\nwant %s… (%s)", list[0].Error(), tc.want, tc.reason)
			}
		})
	}
}

func TestEmptyGlobIsAnError(t *testing.T) {
	if _, err := policytest.Expand("testdata/nothing-*.yaml"); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Expand of a pattern matching nothing: err = %v, want ErrInvalid", err)
	}
	if _, err := policytest.Check(nil); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Check(nil): err = %v, want ErrInvalid", err)
	}
}

// Coverage names the refusal rules hit and the role rules and deadline rows used, and
// leaves the rest unused.
func TestCoverage(t *testing.T) {
	files, err := policytest.Expand("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := policytest.Check(files)
	if err != nil {
		t.Fatal(err)
	}
	c := r.Coverage
	for _, rule := range []string{"auth.jurisdiction", "auth.role", "roles.reporter-may-not-verify"} {
		if !contains(c.Refusals, rule) {
			t.Errorf("refusals %v lack %s", c.Refusals, rule)
		}
	}
	if !contains(c.Roles.Used, "qinhuai-default roles.dispatch=dispatcher") || contains(c.Roles.Unused, "qinhuai-default roles.dispatch=dispatcher") {
		t.Errorf("dispatch by a dispatcher not counted used: %v", c.Roles.Used)
	}
	if !contains(c.Roles.Used, "qinhuai rewards.roles.approve=community-police") || !contains(c.Roles.Unused, "qinhuai rewards.roles.approve=director") {
		t.Errorf("approval by the beat's officer not counted used, or by a director counted: %v", c.Roles.Used)
	}
	if !contains(c.Deadlines.Used, "qinhuai-default deadlines[3] handle * *") {
		t.Errorf("the 3wd handle row not counted used: %v", c.Deadlines.Used)
	}
	if !contains(c.Deadlines.Unused, "qinhuai-default deadlines[6] handle E04 *") {
		t.Errorf("the E04 row, which no scenario reaches, not counted unused: %v", c.Deadlines.Unused)
	}
	if c.Percent <= 0 || c.Percent >= 100 {
		t.Errorf("percent = %v, want strictly between 0 and 100", c.Percent)
	}
}

func contains(s []string, x string) bool { return slices.Contains(s, x) }

// A scenario file names a profile file next to it, and runs under its rules.
func TestCheck_ProfileFile(t *testing.T) {
	r := policytest.Run(t, "testdata/replay/slower_test.yaml")
	if r.Passes["deadline"] != 1 {
		t.Errorf("passes = %v, want the deadline of the slower profile", r.Passes)
	}
}

// Files that parse but cannot run stop Check with an error naming the file (and the
// step), never a partial pass.
func TestCheck_Errors(t *testing.T) {
	const given = "given:\n  tree: %s\n  units: [{id: G1, name: g, level: grid, parent: \"320104002005\"}]\n  posts: [{person: wang, unit: G1, role: grid-worker}]\nscenarios:\n  - name: s\n    when:\n"
	csv, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	csv += "/testdata/qinhuai-divisions.csv"
	report := "      - {at: 2025-09-22T09:00+08:00, as: wang, report: {id: C1, source: grid-patrol, category: E05, unit: G1}, then: {state: reported}}\n"
	for _, tc := range []struct {
		name, src, want, reason string
	}{
		{"Backwards", fmt.Sprintf(given, csv) + report + "      - {at: 2025-09-22T08:00+08:00, as: wang, file: {}, then: {refused_by: auth.role}}\n",
			`step 2: at 2025-09-22T08:00:00+08:00 goes back before the previous step's 2025-09-22T09:00:00+08:00`, "time only moves forward"},
		{"NoCase", fmt.Sprintf(given, csv) + "      - {at: 2025-09-22T09:00+08:00, as: wang, file: {}, then: {state: filed}}\n",
			`step 1: file names no case and none was reported before it`, "a command needs a case"},
		{"NoTree", fmt.Sprintf(given, "missing.csv") + report, `given.tree: open`, "the register must be readable"},
		{"BadUnit", fmt.Sprintf(given, csv) + report + "    given: {units: [{id: G2, name: g, level: grid, parent: nowhere}]}\n",
			`the given units and posts do not build a tree`, "a unit under an unknown parent"},
		{"BadProfile", strings.Replace(fmt.Sprintf(given, csv), "given:\n", "given:\n  profile: nowhere.yaml\n", 1) + report, `profile nowhere.yaml`, "the profile must load"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(f, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := policytest.Check([]string{f})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), f) {
				t.Errorf("Check() error = %v, want one naming %s and holding %q (%s)", err, f, tc.want, tc.reason)
			}
		})
	}
}
