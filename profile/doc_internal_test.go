package profile

import (
	"os"
	"strings"
	"testing"
)

// TestDoc_CompleteExampleLoads keeps the complete profile of the package docs valid.
func TestDoc_CompleteExampleLoads(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	start := strings.Index(doc, "//\t# gulou.yaml\n")
	end := strings.Index(doc[start:], "//\n// The shipped")
	if start < 0 || end < 0 {
		t.Fatal("the complete example is missing from doc.go")
	}
	var b strings.Builder
	for _, line := range strings.Split(doc[start:start+end], "\n") {
		b.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "//"), "\t"))
		b.WriteByte('\n')
	}
	p, err := Parse("gulou.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("the example of doc.go does not load:\n%v\n%s", err, b.String())
	}
	if p.Mediation.Brand.Prefix != "GLTJ" || p.Rewards.Funds.Floor != 4000000 {
		t.Errorf("brand prefix %q, floor %d; want GLTJ, 4000000", p.Mediation.Brand.Prefix, p.Rewards.Funds.Floor)
	}
	if _, ok := p.Escalation.Roles["rebase"]; ok {
		t.Errorf("roles.rebase still set after ~")
	}
}
