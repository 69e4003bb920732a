package policytest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/policytest"
)

// TestRunFailsOnWrongExpectation runs policytest.Run over the deliberately wrong file
// in a child test process and asserts that the child fails, under the scenario's
// subtest, with the documented message.
func TestRunFailsOnWrongExpectation(t *testing.T) {
	if os.Getenv("POLICYTEST_CHILD") == "1" {
		policytest.Run(t, "testdata/failing/wrong.yaml")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunFailsOnWrongExpectation$", "-test.v")
	cmd.Env = append(os.Environ(), "POLICYTEST_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("Run over wrong expectations passed:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestRunFailsOnWrongExpectation/wrong/wrong_deadline",
		`testdata/failing/wrong.yaml:21:26 scenario "wrong deadline" step 3 (dispatch by zhao): deadline expected=2025-10-10T17:30:00+08:00 got=2025-10-11T17:30:00+08:00`,
		"4 failed",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}
