package policytest_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
)

// No input makes Parse panic, and every problem it reports has a position.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/qinhuai.yaml", "testdata/example.yaml", "testdata/failing/wrong.yaml"} {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("scenarios: [{name: a, when: [{at: x, then: {state: 1}}]}]"))
	f.Add([]byte("given: &a {tree: x}\nscenarios: *a\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := policytest.Parse("f.yaml", src)
		if err == nil {
			return
		}
		var list profile.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %v is not a non-empty ErrorList", err)
		}
		for _, e := range list {
			if e.File != "f.yaml" || e.Line < 1 || e.Col < 1 {
				t.Errorf("error without a position: %+v", e)
			}
		}
	})
}

// No history makes ReplayHistory panic; a refused history returns no difference, and
// every problem of its format has a line within the history.
func FuzzReplayHistory(f *testing.F) {
	golden, err := os.ReadFile("testdata/history/qinhuai.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	lines := bytes.SplitAfter(golden, []byte("\n"))
	f.Add(bytes.Join(lines[:3], nil))                               // a world, a report and a filing
	f.Add(bytes.Join(lines[9:11], nil))                             // a payslip run
	f.Add([]byte("{\"world\":{\"tree\":\"x.csv\"}}\n{\"at\":1}\n")) // a wrong type
	f.Add([]byte("\xff\xfe{}\n"))                                   // not UTF-8
	changed := mustLoad(f, "testdata/replay/slower.yaml")
	f.Fuzz(func(t *testing.T, src []byte) {
		ds, err := policytest.ReplayHistory(bytes.NewReader(src), changed, &policytest.HistoryOptions{Name: "h.jsonl", Dir: "testdata/history"})
		if err == nil {
			return
		}
		if ds != nil {
			t.Fatalf("differences %v returned with the error %v", ds, err)
		}
		var list profile.ErrorList
		if !errors.As(err, &list) {
			return // a history that parses but cannot run: its error names the line (tested elsewhere)
		}
		n := bytes.Count(src, []byte("\n")) + 1
		for _, e := range list {
			if e.File != "h.jsonl" || e.Line < 1 || e.Line > n || e.Col < 1 {
				t.Errorf("problem without a position within the history: %+v", e)
			}
		}
	})
}

func mustLoad(tb testing.TB, path string) *profile.Profile {
	tb.Helper()
	p, err := profile.LoadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
