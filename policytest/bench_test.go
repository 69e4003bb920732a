package policytest_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
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

// BenchmarkReplayHistory10k replays a history of at least 10,000 lines (the shipped
// scenarios' recorded history repeated, whole runs only) under a changed profile, and
// reports the time per line; compare it with BenchmarkCheck100 in the same run.
func BenchmarkReplayHistory10k(b *testing.B) {
	one, err := os.ReadFile(goldenHistory)
	if err != nil {
		b.Fatal(err)
	}
	perRound := bytes.Count(one, []byte("\n"))
	var h []byte
	lines := 0
	for lines < 10000 {
		h = append(h, one...)
		lines += perRound
	}
	changed, err := profile.LoadFile("testdata/replay/slower.yaml")
	if err != nil {
		b.Fatal(err)
	}
	want := 0
	b.ReportAllocs()
	for b.Loop() {
		ds, err := policytest.ReplayHistory(bytes.NewReader(h), changed, &policytest.HistoryOptions{Dir: "testdata/history"})
		if err != nil {
			b.Fatal(err)
		}
		if want == 0 {
			want = len(ds)
		}
		if len(ds) != want || len(ds) == 0 {
			b.Fatalf("%d differences, want %d", len(ds), want)
		}
	}
	b.ReportMetric(float64(lines), "lines")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
