package profile_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/profile"
)

// FuzzParse: no input makes the loader panic, and every error it returns is an
// ErrorList whose every entry has a file, a line and a column.
func FuzzParse(f *testing.F) {
	mistakes, err := os.ReadFile("testdata/mistakes.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(mistakes),              // a dozen mistakes over the shipped profile
		"extends: qinhuai\nname: x\n", // valid
		"extends: qinhuai\nname: x\nrewards: {funds: {floor: ¥1.234}}\n", // sub-fen
		"a: &a [*a, *a]\n", // a recursive alias
		"a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", // an alias bomb
		"<<: {name: x}\n",                         // a merge key
		"{\"extends\": \"qinhuai\", \"name\": 1}", // JSON
		"", // empty
		"extends: qinhuai\nname: x\nescalation: {deadlines: !append [{step: file, limit: 0wd}]}\n",
		"\t\x00\xff",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := profile.Parse("f.yaml", src)
		if err == nil {
			if p == nil {
				t.Fatal("Parse() = nil, nil")
			}
			return
		}
		var list profile.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("Parse() error %T %v is not a non-empty ErrorList", err, err)
		}
		for _, e := range list {
			if e.File == "" || e.Line < 1 || e.Col < 1 {
				t.Fatalf("error without a position: %#v", e)
			}
		}
	})
}

// TestParse_ManyMistakesStop: a file of thousands of unknown keys reports a bounded
// number of problems, one of them saying so.
func TestParse_ManyMistakesStop(t *testing.T) {
	var b []byte
	b = append(b, "extends: qinhuai\nname: x\ngrid:\n"...)
	for i := range 5000 {
		b = append(b, fmt.Sprintf("  k%d: 1\n", i)...)
	}
	_, err := profile.Parse("f.yaml", b)
	var list profile.ErrorList
	if !errors.As(err, &list) || len(list) > 201 || !strings.Contains(err.Error(), "stopped reporting") {
		t.Errorf("Parse(5000 unknown keys) = %d errors, want at most 201 and a note that reporting stopped", len(list))
	}
}
