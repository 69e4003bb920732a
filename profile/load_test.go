package profile_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/rewards"
)

var policyOpts = cmp.Options{cmpopts.IgnoreUnexported(rewards.Formula{})}

// TestDefault_EqualsConstructors keeps the shipped Qinhuai profile and the packages'
// Qinhuai constructors the same rules: a change to one without the other fails here.
func TestDefault_EqualsConstructors(t *testing.T) {
	p, err := profile.Default()
	if err != nil {
		t.Fatalf("Default() error:\n%v", err)
	}
	for _, c := range []struct {
		name      string
		want, got any
	}{
		{"hierarchy", hierarchy.QinhuaiSchema(), p.Hierarchy},
		{"grants", hierarchy.QinhuaiGrants("320104"), p.Grants},
		{"escalation", escalation.QinhuaiPolicy(), p.Escalation},
		{"grid", grid.QinhuaiPolicy(), p.Grid},
		{"calendar", *calendar.DefaultOptions(), p.Calendar},
		{"mediation", mediation.QinhuaiPolicy(), p.Mediation},
		{"rewards", rewards.QinhuaiPolicy(), p.Rewards},
		{"evaluation", evaluation.QinhuaiPolicy(), p.Evaluation},
	} {
		if diff := cmp.Diff(c.want, c.got, policyOpts); diff != "" {
			t.Errorf("Default().%s mismatch (-constructor +profile):\n%s", c.name, diff)
		}
	}
}

// TestBuildTree_GrantFindingsAtTheirLine: a grant the builder refuses is reported at
// the grant's line in the profile.
func TestBuildTree_GrantFindingsAtTheirLine(t *testing.T) {
	p, err := profile.Parse("d.yaml", []byte("extends: qinhuai\nname: d\ngrants: !append\n"+
		"  - {id: d/x, right: summon, holder: {kind: unit, id: \"999\"}, subject: {kind: unit, id: \"320104\"}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/qinhuai-divisions.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = p.BuildTree(f)
	want := `d.yaml:4:5 grants[9]: holder: unit "999" does not exist`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("BuildTree() error = %v, want one containing %q", err, want)
	}
}
