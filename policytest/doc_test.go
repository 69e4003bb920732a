package policytest_test

import (
	"os"
	"strings"
	"testing"
)

// The complete example of the package documentation is testdata/example.yaml, which
// TestShippedScenarios runs: the documentation cannot drift from a file that passes.
func TestDocExampleIsRunFile(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var block []string
	in := false
	for _, l := range strings.Split(string(doc), "\n") {
		switch {
		case strings.HasPrefix(l, "//\tgiven:"):
			in = true
		case in && !strings.HasPrefix(l, "//\t"):
			in = false
		}
		if in {
			block = append(block, strings.TrimPrefix(l, "//\t"))
		}
		if !in && len(block) > 0 {
			break
		}
	}
	if got, want := strings.Join(block, "\n")+"\n", string(file); got != want {
		t.Errorf("doc.go's example differs from testdata/example.yaml:\n%s", got)
	}
}
