package profile_test

import (
	"os"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/profile"
)

// TestShipped_LoadAndBuildTrees loads every shipped profile and builds a tree of its
// register under its level schema: the schema must accept the register as it is.
func TestShipped_LoadAndBuildTrees(t *testing.T) {
	for _, c := range []struct {
		name, register string
		units          map[hierarchy.UnitID]hierarchy.Level // units the tree must hold, at these levels
		reason         string
	}{
		{"qinhuai", "testdata/qinhuai-divisions.csv",
			map[hierarchy.UnitID]hierarchy.Level{"320104": hierarchy.LevelDistrict, "320104001": hierarchy.LevelStreet},
			"the real Qinhuai register"},
		{"rural-county", "testdata/rural-county.csv",
			map[hierarchy.UnitID]hierarchy.Level{"640122": "county", "640122100": "township", "640122100201": "village"},
			"county → township → village"},
		{"national", "testdata/national-guangdong.csv",
			map[hierarchy.UnitID]hierarchy.Level{"441900003": "township", "442000001": "township",
				"440303": "county", "441900003001": "village"},
			"东莞 and 中山 hold townships directly; 深圳 has counties"},
		{"national", "testdata/national-hainan.csv",
			map[hierarchy.UnitID]hierarchy.Level{"460400100": "township"},
			"儋州 holds townships directly"},
	} {
		t.Run(c.name+"/"+c.register, func(t *testing.T) {
			p, err := profile.LoadEmbedded(c.name)
			if err != nil {
				t.Fatalf("LoadEmbedded(%q) error:\n%v", c.name, err)
			}
			f, err := os.Open(c.register)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tree, err := p.BuildTree(f)
			if err != nil {
				t.Fatalf("BuildTree(%s) error (%s):\n%v", c.register, c.reason, err)
			}
			for id, level := range c.units {
				u, ok := tree.Node(id).Unit()
				if !ok || u.Level != level {
					t.Errorf("unit %s = %+v, %v; want level %s (%s)", id, u, ok, level, c.reason)
				}
			}
		})
	}
}

// TestRural_FourPartyLevels checks the rural profile's four party levels and its pay
// scale of four posts and twenty-four grades.
func TestRural_FourPartyLevels(t *testing.T) {
	p, err := profile.LoadEmbedded("rural-county")
	if err != nil {
		t.Fatal(err)
	}
	var orgs []string
	for _, l := range p.Hierarchy.Levels {
		orgs = append(orgs, l.PartyOrgSuffix)
	}
	if got, want := strings.Join(orgs, ","), "县委,党委,村党支部,网格党小组"; got != want {
		t.Errorf("party organisations = %s, want %s", got, want)
	}
	if s := p.Rewards.PayScale; s.Grades != 24 || len(s.Posts) != 4 || s.YearsPerGrade != 2 || len(s.Pay.Coefficients) != 24 {
		t.Errorf("pay scale = %d grades, %d posts, %d years a grade, %d coefficients; want 24, 4, 2, 24",
			s.Grades, len(s.Posts), s.YearsPerGrade, len(s.Pay.Coefficients))
	}
	if got := p.Rewards.Funds.Floor; got != 1000000 {
		t.Errorf("funds.floor = %d fen, want 1000000 (¥10,000)", got)
	}
	if n := len(p.Escalation.Deadlines); n != 11 {
		t.Errorf("%d deadlines, want Qinhuai's 10 and the appended one", n)
	}
}
