package profile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
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
		{"escalation", escalation.QinhuaiPolicy(), p.Escalation},
		{"grid", grid.QinhuaiPolicy(), p.Grid},
		{"calendar", *calendar.DefaultOptions(), p.Calendar},
		{"mediation", mediation.QinhuaiPolicy(), p.Mediation},
		{"rewards", rewards.QinhuaiPolicy(), p.Rewards},
	} {
		if diff := cmp.Diff(c.want, c.got, policyOpts); diff != "" {
			t.Errorf("Default().%s mismatch (-constructor +profile):\n%s", c.name, diff)
		}
	}
}
