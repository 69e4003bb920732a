package policytest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
)

// Replaying the shipped scenarios under a profile with five working days to handle
// and ¥600 for an A band moves exactly the handle deadlines and the payslips, each
// reported once, at the step that first shows it.
func TestReplay(t *testing.T) {
	changed, err := profile.LoadFile("testdata/replay/slower.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, err := policytest.Expand("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := policytest.Replay(files, changed)
	if err != nil {
		t.Fatal(err)
	}
	type diff struct{ File, Scenario, Kind, Old, New string }
	var gotShort []diff
	for _, d := range got {
		gotShort = append(gotShort, diff{d.File, d.Scenario, d.Kind, d.Old, d.New})
	}
	// 5wd from Tuesday 30 September: 9, 10, 11 (make-up Saturday), 13, 14 October.
	want := []diff{
		{"testdata/example.yaml", "the finder may not verify", "deadline", "2025-10-11T17:30:00+08:00", "2025-10-14T17:30:00+08:00"},
		{"testdata/example.yaml", "pay", "amount", "¥8,980.00", "¥9,080.00"},
		// Dispatched Monday 22 September: see below.
		{"testdata/grids-ratings.yaml", "a report at a point is located to its grid and routed from there", "deadline", "2025-09-25T17:30:00+08:00", "2025-09-28T17:30:00+08:00"},
		{"testdata/qinhuai.yaml", "closed loop across the National Day holiday", "deadline", "2025-10-11T17:30:00+08:00", "2025-10-14T17:30:00+08:00"},
		// 5wd from Monday 22 September: 23–26 and Sunday 28 (a make-up working day).
		{"testdata/qinhuai.yaml", "an unanswered dispatch escalates when the scheduler runs", "deadline", "2025-09-25T17:30:00+08:00", "2025-09-28T17:30:00+08:00"},
		{"testdata/qinhuai.yaml", "the community blows the whistle and the case rises to the street", "deadline", "2025-09-25T17:30:00+08:00", "2025-09-28T17:30:00+08:00"},
		{"testdata/qinhuai.yaml", "a staff member's March payslip with an A band", "amount", "¥8,980.00", "¥9,080.00"},
	}
	if d := cmp.Diff(want, gotShort); d != "" {
		t.Errorf("Replay differences (-want +got):\n%s\n%s", d, policytest.FormatDifferences(got))
	}
	if same, err := policytest.Replay(files, mustDefault(t)); err != nil || len(same) != 0 {
		t.Errorf("Replay under the same rules = %v, %v; want no difference", same, err)
	}
}

func mustDefault(t *testing.T) *profile.Profile {
	p, err := profile.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
