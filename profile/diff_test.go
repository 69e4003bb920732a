package profile_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/profile"
)

// TestDiff_QinhuaiRural is the policy review of the rural county against Qinhuai,
// kept as a golden file: each rule that differs, with the file that set each side.
func TestDiff_QinhuaiRural(t *testing.T) {
	q, err := profile.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := profile.LoadEmbedded("rural-county")
	if err != nil {
		t.Fatal(err)
	}
	changes := profile.Diff(q, r)
	golden(t, "qinhuai-rural.diff", profile.FormatDiff(changes))
	want := profile.Change{Path: "rewards.funds.floor",
		Old: "¥35,000.00", OldFile: "embedded/qinhuai.yaml", OldLine: changes[0].OldLine,
		New: "¥10,000.00", NewFile: "embedded/rural-county.yaml", NewLine: 111}
	found := false
	for _, c := range changes {
		if c.Path == want.Path {
			found = true
			want.OldLine = c.OldLine
			if diff := cmp.Diff(want, c); diff != "" {
				t.Errorf("Diff() funds.floor mismatch (-want +got):\n%s", diff)
			}
		}
	}
	if !found {
		t.Errorf("Diff() does not list rewards.funds.floor")
	}
	if got := profile.Diff(q, q); len(got) != 0 {
		t.Errorf("Diff(q, q) = %v, want no change", got)
	}
}

// TestDiff_NotationIsNoChange: the same amount in another notation is the same rule.
func TestDiff_NotationIsNoChange(t *testing.T) {
	a, err := profile.Parse("a.yaml", []byte("extends: qinhuai\nname: a\nrewards: {funds: {floor: ¥35000}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := profile.Parse("b.yaml", []byte("extends: qinhuai\nname: b\nrewards: {funds: {floor: '35,000.00'}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := profile.Diff(a, b); len(got) != 0 {
		t.Errorf("Diff(¥35000, 35,000.00) = %v, want no change", got)
	}
}

// The fingerprint follows the rules, not the files: the same rules written in another
// file have the same one, a changed rule another.
func TestProfile_Fingerprint(t *testing.T) {
	q, err := profile.LoadEmbedded("qinhuai")
	if err != nil {
		t.Fatal(err)
	}
	same, err := profile.Parse("same.yaml", []byte("extends: qinhuai\nname: renamed\ndescription: the same rules\n"))
	if err != nil {
		t.Fatal(err)
	}
	changed, err := profile.Parse("changed.yaml", []byte("extends: qinhuai\nname: changed\nrewards: {funds: {floor: ¥30000}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(q.Fingerprint(), "sha256:") || len(q.Fingerprint()) != len("sha256:")+64 {
		t.Errorf("Fingerprint() = %q, want sha256: and 64 hex digits", q.Fingerprint())
	}
	if q.Fingerprint() != same.Fingerprint() {
		t.Errorf("the same rules under another name: fingerprints %s and %s differ", q.Fingerprint(), same.Fingerprint())
	}
	if q.Fingerprint() == changed.Fingerprint() {
		t.Errorf("a changed fund floor kept the fingerprint %s", q.Fingerprint())
	}
}
