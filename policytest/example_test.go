package policytest_test

import (
	"fmt"
	"os"

	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
)

func ExampleCheck() {
	r, err := policytest.Check([]string{"testdata/failing/wrong.yaml"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Failures[:2] {
		fmt.Println(f)
	}
	fmt.Println(r.Summary())
	// Output:
	// testdata/failing/wrong.yaml:21:26 scenario "wrong deadline" step 3 (dispatch by zhao): deadline expected=2025-10-10T17:30:00+08:00 got=2025-10-11T17:30:00+08:00
	// testdata/failing/wrong.yaml:29:28 scenario "wrong rule" step 2 (file by wang): refused_by expected=auth.jurisdiction got=auth.role
	// 1 file(s), 4 scenario(s), 9 step(s): 1 expectation(s) passed (state 1), 4 failed
}

func ExampleParse() {
	_, err := policytest.Parse("district_test.yaml", []byte(`given: {tree: divisions.csv}
scenarios:
  - name: loop
    when:
      - at: 2025-09-26T10:00+08:00
        as: wang
        report: {id: C1, category: E05, unit: G01}
        then: {stat: reported, amount: ¥5}
`))
	fmt.Println(err)
	// Output:
	// district_test.yaml:8:16 scenarios[0].when[0].then.stat: unknown expectation "stat" (did you mean "state"?) (want one of state, level, owner, deadline, refused_by, amount, grade, escalations, grid, score, balance, paid)
	//      8 |         then: {stat: reported, amount: ¥5}
	//        |                ^
	// district_test.yaml:8:40 scenarios[0].when[0].then.amount: expectation "amount" does not apply to a report step
	//      8 |         then: {stat: reported, amount: ¥5}
	//        |                                        ^
}

// A district previews five working days to handle a case on the history its
// scenarios recorded (gridgov test --record): case by case, what would be decided
// differently.
func ExampleReplayHistory() {
	f, err := os.Open("testdata/history/qinhuai.jsonl")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	changed, err := profile.LoadFile("testdata/replay/slower.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, err := policytest.ReplayHistory(f, changed, &policytest.HistoryOptions{Name: "qinhuai.jsonl", Dir: "testdata/history"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(policytest.FormatHistoryDifferences(ds[:3]))
	// Output:
	// case C1 (run "the finder may not verify"):
	//   qinhuai.jsonl:4 dispatch: deadline 2025-10-11T17:30:00+08:00 → 2025-10-14T17:30:00+08:00
	// run "pay":
	//   qinhuai.jsonl:11 payslip: amount ¥8,980.00 → ¥9,080.00
	// case G1 (run "a report at a point is located to its grid and routed from there"):
	//   qinhuai.jsonl:15 dispatch: deadline 2025-09-25T17:30:00+08:00 → 2025-09-28T17:30:00+08:00
	// 3 difference(s)
}
