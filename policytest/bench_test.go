package policytest_test

import (
	"testing"

	"github.com/gridgov/gridgov/policytest"
)

// BenchmarkCheck runs the shipped scenario files, parse to report, and reports the
// time per scenario.
func BenchmarkCheck(b *testing.B) {
	files, err := policytest.Expand("testdata/*.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	scenarios := 0
	for b.Loop() {
		r, err := policytest.Check(files)
		if err != nil || !r.OK() {
			b.Fatal(err, r.Failures)
		}
		scenarios += r.Scenarios
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(scenarios), "ns/scenario")
}

// BenchmarkCheck100 runs 100 scenarios: the shipped files repeated.
func BenchmarkCheck100(b *testing.B) {
	files, err := policytest.Expand("testdata/*.yaml")
	if err != nil {
		b.Fatal(err)
	}
	r, err := policytest.Check(files)
	if err != nil {
		b.Fatal(err)
	}
	var many []string
	for n := 0; n < 100; n += r.Scenarios {
		many = append(many, files...)
	}
	b.ReportAllocs()
	scenarios := 0
	for b.Loop() {
		r, err := policytest.Check(many)
		if err != nil || !r.OK() {
			b.Fatal(err, r.Failures)
		}
		scenarios += r.Scenarios
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(scenarios), "ns/scenario")
}
