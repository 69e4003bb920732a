package policytest

import (
	"path/filepath"
	"strings"
	"testing"
)

// Run runs the scenario files matching the patterns as part of a Go test, one subtest
// per file and scenario ("qinhuai.yaml/closed_loop…"): each failed expectation is an
// error of its scenario's subtest carrying the documented message (file:line:col,
// scenario, step, expected=… got=…). A file that cannot be run, or a pattern that
// matches nothing, fails the test at once. The summary (passes per kind) and the
// coverage are logged, and the report returned for further checks.
func Run(t *testing.T, patterns ...string) Report {
	t.Helper()
	files, err := Expand(patterns...)
	if err != nil {
		t.Fatal(err)
	}
	r, parsed, err := check(files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ file, scenario string }
	failures := map[key][]Failure{}
	for _, f := range r.Failures {
		k := key{f.File, f.Scenario}
		failures[k] = append(failures[k], f)
	}
	for _, f := range parsed {
		for _, sc := range f.Scenarios {
			name := strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path)) + "/" + sc.Name
			t.Run(name, func(t *testing.T) {
				for _, fl := range failures[key{f.Path, sc.Name}] {
					t.Error(fl.String())
				}
			})
		}
	}
	t.Log(r.Summary())
	t.Log(r.Coverage.String())
	return r
}
