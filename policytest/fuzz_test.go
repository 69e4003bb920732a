package policytest_test

import (
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
