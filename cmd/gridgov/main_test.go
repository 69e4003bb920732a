package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	write := func(name, src string) {
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(good, "extends: qinhuai\nname: good\nrewards: {funds: {floor: ¥30000}}\n")
	write(bad, "extends: qinhuai\nname: bad\nrewards: {funds: {floor: ¥1.001}}\ngrid: {colour: red}\n")
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings the output must hold
		reason string
	}{
		{"CheckOK", []string{"check", good}, 0, []string{good + ": ok"}, "a valid profile"},
		{"CheckShipped", []string{"check", "qinhuai", "rural-county", "national"}, 0, []string{"national: ok"}, "shipped profiles by name"},
		{"CheckFindings", []string{"check", bad}, 1, []string{bad + ":3:26 rewards.funds.floor: money", bad + `:4:8 grid.colour: unknown key "colour"`, "2 problem(s)"}, "every problem with its position"},
		{"CheckJSON", []string{"check", "--format", "json", bad}, 1, []string{`"line": 3`, `"path": "grid.colour"`}, "JSON for CI"},
		{"DiffSame", []string{"diff", "qinhuai", "qinhuai"}, 0, []string{"0 rule(s) differ"}, "no change"},
		{"DiffChanged", []string{"diff", "qinhuai", good}, 1, []string{"rewards.funds.floor: ¥35,000.00 (embedded/qinhuai.yaml:", "→ ¥30,000.00 (" + good + ":3)"}, "a changed rule names both files"},
		{"DiffJSON", []string{"diff", "--format=json", "qinhuai", good}, 1, []string{`"path": "rewards.funds.floor"`}, "JSON for CI"},
		{"DiffBad", []string{"diff", "qinhuai", bad}, 1, nil, "a profile that does not load"},
		{"Missing", []string{"check", filepath.Join(dir, "none.yaml")}, 2, nil, "an unreadable file is an IO error"},
		{"NoArgs", nil, 2, nil, "usage"},
		{"UnknownCommand", []string{"lint", good}, 2, nil, "usage"},
		{"BadFormat", []string{"check", "--format", "xml", good}, 2, nil, "usage"},
		{"DiffOneArg", []string{"diff", good}, 2, nil, "usage"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(c.args, &out, &errOut)
			if code != c.code {
				t.Errorf("run(%q) = %d, want %d (%s)\nstdout:\n%s\nstderr:\n%s", c.args, code, c.code, c.reason, out.String(), errOut.String())
			}
			for _, s := range c.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("run(%q) stdout lacks %q (%s):\n%s", c.args, s, c.reason, out.String())
				}
			}
			if slicesContains(c.args, "json") || strings.Contains(strings.Join(c.args, " "), "format=json") {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("run(%q) stdout is not JSON: %v", c.args, err)
				}
			}
		})
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestRunTest(t *testing.T) {
	dir := t.TempDir()
	badFile := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badFile, []byte("given: {tree: x.csv}\nscenarios:\n  - name: s\n    when:\n      - {at: 2025-09-22T09:00+08:00, as: w, report: {id: C}, then: {stat: reported}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const shipped = "../../policytest/testdata/*.yaml"
	const wrong = "../../policytest/testdata/failing/wrong.yaml"
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		reason string
	}{
		{"Pass", []string{"test", shipped}, 0, []string{"0 failed", "3 file(s), 15 scenario(s)"}, "the shipped scenarios pass"},
		{"Coverage", []string{"test", "--coverage", shipped}, 0, []string{"refusals hit: auth.jurisdiction, auth.post, auth.role, auth.scope, grid.unassigned, rating.seconded-elsewhere, rating.window-closed, roles.reporter-may-not-verify"}, "coverage on request"},
		{"MinCoverage", []string{"test", "--min-coverage", "99", shipped}, 1, []string{"is below --min-coverage 99.0%"}, "a threshold not reached fails the run"},
		{"Failures", []string{"test", wrong}, 1, []string{`wrong.yaml:21:26 scenario "wrong deadline" step 3 (dispatch by zhao): deadline expected=2025-10-10T17:30:00+08:00 got=2025-10-11T17:30:00+08:00`, "4 failed"}, "a wrong expectation fails with the documented message"},
		{"JSON", []string{"test", "--format", "json", wrong}, 1, []string{`"ok": false`, `"kind": "refused_by"`, `"expected": "auth.jurisdiction"`}, "JSON for CI"},
		{"BadFile", []string{"test", badFile}, 1, []string{`bad.yaml:5:69 scenarios[0].when[0].then.stat: unknown expectation "stat"`}, "an unknown expectation is a finding with its position"},
		{"Replay", []string{"test", "--replay", "../../policytest/testdata/replay/slower.yaml", shipped}, 1, []string{`qinhuai.yaml:32 scenario "closed loop across the National Day holiday" step 3 (dispatch): deadline 2025-10-11T17:30:00+08:00 → 2025-10-14T17:30:00+08:00`, "7 difference(s)"}, "a changed rule previewed step by step"},
		{"ReplaySame", []string{"test", "--replay", "qinhuai", shipped}, 0, []string{"0 difference(s)"}, "the same rules decide the same"},
		{"ReplayJSON", []string{"test", "--format", "json", "--replay", "../../policytest/testdata/replay/slower.yaml", shipped}, 1, []string{`"kind": "amount"`, `"new": "¥9,080.00"`}, "JSON for CI"},
		{"NoMatch", []string{"test", filepath.Join(dir, "none-*.yaml")}, 2, nil, "a pattern matching nothing never passes"},
		{"NoArgs", []string{"test"}, 2, nil, "usage"},
		{"BadThreshold", []string{"test", "--min-coverage", "120", shipped}, 2, nil, "a percentage above 100"},
		{"MinCoverageOnCheck", []string{"check", "--min-coverage", "5", "qinhuai"}, 2, nil, "the flag belongs to test"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(c.args, &out, &errb); code != c.code {
				t.Fatalf("exit %d, want %d (%s)\nstdout:\n%s\nstderr:\n%s", code, c.code, c.reason, out.String(), errb.String())
			}
			for _, s := range c.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q (%s):\n%s", s, c.reason, out.String())
				}
			}
			if len(c.args) > 1 && c.args[1] == "--format" {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("not JSON: %v", err)
				}
			}
		})
	}
}
