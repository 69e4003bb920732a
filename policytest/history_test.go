package policytest_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
)

var update = flag.Bool("update", false, "rewrite the golden history testdata/history/qinhuai.jsonl")

const goldenHistory = "testdata/history/qinhuai.jsonl"

// TestRecord records the shipped scenarios and compares the history with the golden
// one (go test -update rewrites it): the format is what districts' tools read.
func TestRecord(t *testing.T) {
	files, err := policytest.Expand("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	r, err := policytest.Record(&b, files, &policytest.RecordOptions{Dir: "testdata/history"})
	if err != nil || !r.OK() {
		t.Fatalf("Record = %v, %v", err, r.Failures)
	}
	if *update {
		if err := os.WriteFile(goldenHistory, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenHistory)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), b.String()); d != "" {
		t.Errorf("Record history mismatch (-want +got):\n%s", d)
	}
	// One world line per scenario, one command line per step.
	if got := strings.Count(b.String(), "\n"); got != r.Scenarios+r.Steps {
		t.Errorf("history has %d lines, want %d scenarios + %d steps", got, r.Scenarios, r.Steps)
	}
}

func replayGolden(t *testing.T, p *profile.Profile) []policytest.Difference {
	t.Helper()
	f, err := os.Open(goldenHistory)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := policytest.ReplayHistory(f, p, &policytest.HistoryOptions{Name: goldenHistory, Dir: "testdata/history"})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// Under the profile that recorded it, a history replays to no difference.
func TestReplayHistory_Same(t *testing.T) {
	if ds := replayGolden(t, mustDefault(t)); len(ds) != 0 {
		t.Errorf("ReplayHistory under the recording profile:\n%s", policytest.FormatHistoryDifferences(ds))
	}
}

// Five working days to handle instead of three moves the handle deadline of each case
// dispatched in the history, on that case's dispatch line; the ¥600 A band moves the
// payslips. The holiday-crossing case shows the longer limit across National Day.
func TestReplayHistory_Changed(t *testing.T) {
	changed, err := profile.LoadFile("testdata/replay/slower.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type diff struct {
		Line           int
		Case, Action   string
		Kind, Old, New string
	}
	var got []diff
	for _, d := range replayGolden(t, changed) {
		if d.File != goldenHistory {
			t.Errorf("difference names %s, want %s", d.File, goldenHistory)
		}
		got = append(got, diff{d.Line, d.Case, d.Action, d.Kind, d.Old, d.New})
	}
	want := []diff{
		{4, "C1", "dispatch", "deadline", "2025-10-11T17:30:00+08:00", "2025-10-14T17:30:00+08:00"},
		{11, "", "payslip", "amount", "¥8,980.00", "¥9,080.00"},
		// Located at a point, routed, dispatched Monday 22 September: 23–26 and
		// Sunday 28 (a make-up working day).
		{15, "G1", "dispatch", "deadline", "2025-09-25T17:30:00+08:00", "2025-09-28T17:30:00+08:00"},
		// Dispatched Tuesday 30 September: 9, 10, 11 (make-up Saturday), 13, 14 October.
		{34, "C1", "dispatch", "deadline", "2025-10-11T17:30:00+08:00", "2025-10-14T17:30:00+08:00"},
		{53, "C4", "dispatch", "deadline", "2025-09-25T17:30:00+08:00", "2025-09-28T17:30:00+08:00"},
		{61, "C5", "dispatch", "deadline", "2025-09-25T17:30:00+08:00", "2025-09-28T17:30:00+08:00"},
		{66, "", "payslip", "amount", "¥8,980.00", "¥9,080.00"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ReplayHistory differences (-want +got):\n%s", d)
	}
}

// Every malformed history is refused as a whole, each problem naming its line, and
// no difference comes with an error.
func TestReplayHistory_Errors(t *testing.T) {
	golden, err := os.ReadFile(goldenHistory)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(golden), "\n")
	world, report, file := lines[0], lines[1], lines[2]
	swap := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	for _, c := range []struct {
		name, src string
		want      []string // substrings of the error
		reason    string
	}{
		{"Empty", "", []string{"h.jsonl:1:1", "empty history"}, "nothing to replay is not a pass"},
		{"NotUTF8", world + "{\"at\":\"\xff\"}\n", []string{"h.jsonl:2:8", "not UTF-8"}, "a byte that is no UTF-8 is refused at its column"},
		{"NotJSON", world + "{\"at\":\n", []string{"h.jsonl:2:", "not a JSON object"}, "a truncated line"},
		{"UnknownField", world + swap(report, `"as":`, `"actor":"x","as":`), []string{"h.jsonl:2:", `unknown field "actor"`}, "a misspelt key never passes"},
		{"UnknownDecision", world + swap(report, `"state":`, `"stat":"x","state":`), []string{"h.jsonl:2:1 decision.stat", `did you mean "state"`}, "an unknown decision"},
		{"DecisionNotApplying", world + swap(report, `"state":`, `"amount":"¥1","state":`), []string{"h.jsonl:2:1 decision.amount", "does not apply to a report"}, "a decision its action cannot make"},
		{"CommandFirst", report + world + file, []string{"h.jsonl:1:1", "before any world"}, "a command needs its world"},
		{"Backwards", world + report + swap(file, "2025-09-30T10:01:00", "2025-09-30T09:00:00"), []string{"h.jsonl:3:1 at", "goes back"}, "out-of-order times"},
		{"TwoActions", world + swap(report, `"report":`, `"run_due":true,"report":`), []string{"h.jsonl:2:1", "has one action, this one has 2"}, "one command a line"},
		{"NoPolicy", world + swap(report, `"policy":"qinhuai-default"`, `"policy":""`), []string{"h.jsonl:2:1 policy", "policy version"}, "a decision records what decided it"},
		{"Trailing", world + strings.TrimSuffix(report, "\n") + " {}\n", []string{"h.jsonl:2:", "something follows"}, "two objects on a line"},
		{"WrongType", world + swap(report, `"as":"wang"`, `"as":7`), []string{"h.jsonl:2:", "want string"}, "a wrong type"},
		{"DuplicateKey", world + swap(report, `"as":"wang"`, `"as":"wang","as":"zhao"`), []string{"h.jsonl:2:", `duplicate key "as"`}, "a line that says two things"},
		{"DuplicateNested", world + swap(report, `"category":"E05"`, `"category":"E05","Category":"E04"`), []string{"h.jsonl:2:", `duplicate key "Category"`}, "keys match without case, so a differently cased key repeats one"},
		{"BlankLine", world + "\n" + report, []string{"h.jsonl:2:1", "empty line"}, "a blank line"},
		{"AllAtOnce", "x\n" + world + "{\"at\":\n", []string{"h.jsonl:1:", "h.jsonl:3:"}, "every bad line reported together"},
		{"RegisterChanged", swap(world, `"tree_sha256":"`, `"tree_sha256":"00`) + report, []string{"h.jsonl:1 world.tree", "has changed since the history was recorded"}, "decisions on another register are not comparable"},
		{"RegisterMissing", swap(world, `"tree":"../qinhuai-divisions.csv"`, `"tree":"../none.csv"`) + report, []string{"h.jsonl:1 world.tree"}, "a register that is not there"},
		{"UnknownCase", world + file, []string{"h.jsonl:2"}, "a command on a case the run never reported is replayed as refused, so it differs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ds, err := policytest.ReplayHistory(strings.NewReader(c.src), mustDefault(t), &policytest.HistoryOptions{Name: "h.jsonl", Dir: "testdata/history"})
			if c.name == "UnknownCase" {
				// Not a format error: the replay refuses the file step (the case is
				// not there), which the history recorded as accepted.
				if err != nil || len(ds) == 0 || ds[0].Line != 2 || ds[0].Kind != "state" {
					t.Fatalf("ReplayHistory = %v, %v; want differences from line 2 (%s)", ds, err, c.reason)
				}
				return
			}
			if err == nil {
				t.Fatalf("ReplayHistory accepted it (%s); differences %v", c.reason, ds)
			}
			if ds != nil {
				t.Errorf("ReplayHistory returned differences with its error: %v", ds)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q (%s):\n%v", w, c.reason, err)
				}
			}
			var list profile.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					if e.Line < 1 || e.File != "h.jsonl" {
						t.Errorf("problem without a position: %+v", e)
					}
				}
			}
		})
	}
}

// A lower credit for 基本满意 moves the recorded reverse evaluation's score on its
// rate line, and nothing else.
func TestReplayHistory_RatingCredit(t *testing.T) {
	changed, err := profile.Parse("basic80.yaml", []byte(`extends: qinhuai
name: basic80
evaluation:
  scales:
    satisfaction:
      - {key: satisfied, name: 满意, credit: 100%}
      - {key: basic, name: 基本满意, credit: 80%}
      - {key: dissatisfied, name: 不满意, credit: 0}
`))
	if err != nil {
		t.Fatal(err)
	}
	ds := replayGolden(t, changed)
	// 25 × 1 + 25 × 0.8 + 30 × 1 + 20 × 1 over 100.
	if len(ds) != 1 || ds[0].Action != "rate" || ds[0].Kind != "score" || ds[0].Old != "97.5%" || ds[0].New != "95%" {
		t.Errorf("ReplayHistory under basic = 80%%:\n%s", policytest.FormatHistoryDifferences(ds))
	}
}
