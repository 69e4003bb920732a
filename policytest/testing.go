package policytest

import (
	"testing"
)

// Run runs the scenario files matching the patterns as part of a Go test: each
// failed expectation is a test error carrying its documented message (file:line:col,
// scenario, step, expected=… got=…); a file that cannot be run, or a pattern that
// matches nothing, stops the test. The summary and the coverage are logged.
func Run(t testing.TB, patterns ...string) Report {
	t.Helper()
	files, err := Expand(patterns...)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Check(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Failures {
		t.Error(f.String())
	}
	t.Log(r.Summary())
	t.Log(r.Coverage.String())
	return r
}
