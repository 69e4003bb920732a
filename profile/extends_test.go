package profile_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/profile"
)

// TestLoad_ExtendsRemembersFiles: a chain base → district, maps merged key by key and
// lists replaced; each value names the file that set it.
func TestLoad_ExtendsRemembersFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"base.yaml": {Data: []byte("extends: qinhuai\nname: base\nrewards:\n  funds:\n    floor: ¥30000\n")},
		"dir/district.yaml": {Data: []byte("extends: ../base.yaml\nname: district\n" +
			"escalation:\n  roles:\n    whistle: [secretary]\n    summon: ~\n" +
			"grid:\n  address:\n    strip_prefixes: [江苏省]\n")},
	}
	p, err := profile.Load(fsys, "dir/district.yaml")
	if err != nil {
		t.Fatalf("Load(district.yaml) error:\n%v", err)
	}
	if got := strings.Join(p.Files, ","); got != "embedded/qinhuai.yaml,base.yaml,dir/district.yaml" {
		t.Errorf("Files = %s", got)
	}
	for _, c := range []struct {
		path, file string
		line       int
		reason     string
	}{
		{"rewards.funds.floor", "base.yaml", 5, "set by the middle file"},
		{"rewards.funds.shortfall", "embedded/qinhuai.yaml", 0, "kept from the base: maps merge key by key"},
		{"escalation.roles.whistle", "dir/district.yaml", 5, "overridden by the district"},
		{"grid.address.strip_prefixes", "dir/district.yaml", 9, "lists replace"},
	} {
		file, line, _, ok := p.Origin(c.path)
		if !ok || file != c.file || (c.line != 0 && line != c.line) {
			t.Errorf("Origin(%s) = %s:%d, %v; want %s:%d (%s)", c.path, file, line, ok, c.file, c.line, c.reason)
		}
	}
	if got := p.Escalation.Roles["whistle"]; len(got) != 1 || got[0] != hierarchy.RoleSecretary {
		t.Errorf("roles.whistle = %v, want [secretary]", got)
	}
	if _, ok := p.Escalation.Roles["summon"]; ok {
		t.Errorf("roles.summon still set: a null in an extending file removes the base's key")
	}
	if got := p.Grid.Address.StripPrefixes; len(got) != 1 {
		t.Errorf("strip_prefixes = %v, want the district's list only", got)
	}
	if p.Rewards.Funds.Floor != 3000000 {
		t.Errorf("floor = %d fen, want 3000000", p.Rewards.Funds.Floor)
	}
}

func TestLoad_ExtendsErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		files  fstest.MapFS
		want   string
		reason string
	}{
		{"Cycle", fstest.MapFS{"a.yaml": {Data: []byte("extends: b.yaml\nname: a\n")}, "b.yaml": {Data: []byte("extends: a.yaml\nname: b\n")}},
			"b.yaml:1:10 extends: extends a.yaml, which extends this file again", "a loop of extends"},
		{"OutsideTheTree", fstest.MapFS{"a.yaml": {Data: []byte("extends: ../base.yaml\nname: a\n")}},
			`a.yaml:1:10 extends: "../base.yaml" leaves the profile's directory`, "no reading above the profile's tree"},
		{"UnknownShipped", fstest.MapFS{"a.yaml": {Data: []byte("extends: nanjing\nname: a\n")}},
			`a.yaml:1:10 extends: unknown shipped profile "nanjing"`, "only shipped names"},
		{"Missing", fstest.MapFS{"a.yaml": {Data: []byte("extends: base.yaml\nname: a\n")}},
			"base.yaml:1:1: cannot read the profile", "a missing base"},
		{"NoSections", fstest.MapFS{"a.yaml": {Data: []byte("name: a\n")}},
			`a.yaml:1:1 calendar: required section "calendar" is missing`, "a profile without extends needs every section"},
		{"NotAMapping", fstest.MapFS{"a.yaml": {Data: []byte("- a\n")}},
			"a.yaml:1:1: a profile must be a mapping", "a list"},
		{"Syntax", fstest.MapFS{"a.yaml": {Data: []byte("name: a\n  bad: [\n")}},
			"a.yaml:2:1: syntax:", "a syntax error has its line"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := profile.Load(c.files, "a.yaml")
			var list profile.ErrorList
			if !errors.As(err, &list) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Load() error = %v, want one containing %q (%s)", err, c.want, c.reason)
			}
		})
	}
}

// TestParse_JSON: a profile written in JSON loads, and its errors have positions too.
func TestParse_JSON(t *testing.T) {
	src := `{
  "extends": "qinhuai",
  "name": "json-district",
  "rewards": {"funds": {"floor": 30000, "year_end": {"share": "40%"}}},
  "grid": {"households": {"min": "300"}}
}`
	_, err := profile.Parse("district.json", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `district.json:5:34 grid.households.min: want a whole number, got "300"`) {
		t.Fatalf("Parse(JSON) error = %v, want a positioned error at 5:34", err)
	}
	p, err := profile.Parse("district.json", []byte(strings.Replace(src, `"300"`, "300", 1)))
	if err != nil {
		t.Fatalf("Parse(JSON) error:\n%v", err)
	}
	if p.Rewards.Funds.Floor != 3000000 || p.Rewards.Funds.YearEnd.Share != 4000 {
		t.Errorf("floor, share = %d, %d; want 3000000 fen (a JSON number is yuan), 4000", p.Rewards.Funds.Floor, p.Rewards.Funds.YearEnd.Share)
	}
}
