package hierarchy_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

func TestLoadDivisionsCSV_Qinhuai(t *testing.T) {
	b, err := hierarchy.LoadDivisionsCSV(openTestdata(t, "qinhuai-divisions.csv"), hierarchy.QinhuaiSchema())
	require.NoError(t, err)
	tr, err := b.Build()
	require.NoError(t, err)
	counts := map[hierarchy.Level]int{}
	for u := range tr.Units() {
		counts[u.Level]++
	}
	want := map[hierarchy.Level]int{"district": 1, "street": 12, "zone": 4, "community": 108}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("units per level mismatch (-want +got):\n%s", diff)
	}
	if tr.Root() != "320104" {
		t.Errorf("Root() = %s", tr.Root())
	}
	if p, ok := tr.Parent("320104"); ok {
		t.Errorf("the root's outside parent %s was kept", p)
	}
	u, ok := tr.ByCode("320104403498")
	if !ok || u.Name != "新街口商务商贸街区虚拟社区" || u.Parent != "320104403" {
		t.Errorf("the zone's virtual community = %+v", u)
	}
	if !tr.IsAncestor("320104001", "320104001001") || tr.IsAncestor("320104002", "320104001001") {
		t.Error("IsAncestor disagrees with the codes")
	}
	if got := tr.Children("320104400"); len(got) != 1 {
		t.Errorf("a functional zone has %d communities, want its one virtual community", len(got))
	}
}

func TestLoadDivisionsCSV_Shapes(t *testing.T) {
	tests := []struct {
		name, csv string
		units     int
		root      hierarchy.UnitID
		reason    string
	}{
		{"ChildBeforeParent", "code,name,level,parent_code\n320104001001,c,community,320104001\n320104001,s,street,320104\n320104,d,district,3201\n",
			3, "320104", "file order does not matter"},
		{"ColumnOrderAndExtra", "\ufeffname,level,extra,parent_code,code\nd,district,x,,320104\ns,street,y,320104,320104001\n",
			2, "320104", "columns by header name, BOM stripped, other columns ignored"},
		{"TwelveDigitForms", "code,name,level,parent_code\n320104000000,d,district,320100000000\n320104001000,s,street,320104000000\n320104001001,c,community,320104001000\n",
			3, "320104000000", "the register's 12-digit form of every level"},
		{"QuotedName", "code,name,level,parent_code\n320104,\"秦淮区, 南京\",district,3201\n", 1, "320104", "CSV quoting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := hierarchy.LoadDivisionsCSV(strings.NewReader(tt.csv), hierarchy.QinhuaiSchema())
			require.NoError(t, err, tt.reason)
			tr, err := b.Build()
			require.NoError(t, err, tt.reason)
			if tr.Len() != tt.units || tr.Root() != tt.root {
				t.Errorf("%d units, root %s; want %d, %s (%s)", tr.Len(), tr.Root(), tt.units, tt.root, tt.reason)
			}
		})
	}
}

func TestLoadDivisionsCSV_Errors(t *testing.T) {
	const head = "code,name,level,parent_code\n"
	const base = head + "320104,秦淮区,district,3201\n320104001,秦虹街道,street,320104\n" // lines 2 and 3
	tests := []struct {
		name, csv string
		want      []problem
		reason    string
	}{
		{"ErrBadCodeLetters", base + "32010400100A,x,community,320104001\n",
			[]problem{{hierarchy.RuleCode, 4}}, "codes are digits"},
		{"ErrBadCodeLength", base + "3201040010011,x,community,320104001\n",
			[]problem{{hierarchy.RuleCode, 4}}, "13 digits"},
		{"ErrCodeForLevel", base + "320104002,x,community,320104\n",
			[]problem{{hierarchy.RuleCode, 4}}, "a community has a 12-digit code"},
		{"ErrDuplicate", base + "320104001001,a,community,320104001\n320104001001,b,community,320104001\n",
			[]problem{{hierarchy.RuleDuplicateCode, 5}}, "the second line is the duplicate"},
		{"ErrUnknownParent", base + "320104001001,a,community,320104009\n",
			[]problem{{hierarchy.RuleDangling, 4}}, "only the root may have its parent outside the file"},
		{"ErrUnknownLevel", base + "320104001001,a,village,320104001\n",
			[]problem{{hierarchy.RuleLevel, 4}}, "not a level of the schema"},
		{"ErrLevelUnderParent", base + "320104002001,a,community,320104\n",
			[]problem{{hierarchy.RuleLevel, 4}}, "a community under the district (its code does extend the district's)"},
		{"ErrNotExtending", base + "320105001001,a,community,320104001\n",
			[]problem{{hierarchy.RuleCode, 4}}, "another district's code"},
		{"ErrColumns", base + "320104001001,a,community\n",
			[]problem{{hierarchy.RuleCSV, 4}}, "a missing column"},
		{"ErrNoName", base + "320104001001,,community,320104001\n",
			[]problem{{hierarchy.RuleMissing, 4}}, "every unit has a name"},
		{"ErrHeader", "code,name,parent\n320104,d,3201\n",
			[]problem{{hierarchy.RuleCSV, 1}}, "the header must name code, name, level and parent_code"},
		{"ErrEmpty", "", []problem{{hierarchy.RuleCSV, 1}}, "no header at all"},
		{"ErrNoRows", head, []problem{{hierarchy.RuleRoot, 1}}, "a header alone"},
		{"ErrRootLevel", head + "320104001,秦虹街道,street,320104\n",
			[]problem{{hierarchy.RuleLevel, 2}}, "a street cannot be the root of a Qinhuai tree"},
		{"ErrQuote", base + "320104001001,\"a,community,320104001\n",
			[]problem{{hierarchy.RuleCSV, 4}}, "an unterminated quote"},
		{"ErrMany", base + "320104001001,a,community,320104001\n320104001001,b,community,320104001\n" +
			"3201040010x2,c,community,320104001\n320104001003,d,community,999999\n",
			[]problem{{hierarchy.RuleDuplicateCode, 5}, {hierarchy.RuleCode, 6}, {hierarchy.RuleDangling, 7}},
			"every line's problem at once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := hierarchy.LoadDivisionsCSV(strings.NewReader(tt.csv), hierarchy.QinhuaiSchema())
			if !errors.Is(err, gridgov.ErrInvalid) || b != nil {
				t.Fatalf("LoadDivisionsCSV() = %v, %v; want ErrInvalid (%s)", b, err, tt.reason)
			}
			if diff := cmp.Diff(tt.want, problems(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got) (%s):\n%s\nerror: %v", tt.reason, diff, err)
			}
			var le *hierarchy.LineError
			if !errors.As(err, &le) || !strings.Contains(err.Error(), "line ") {
				t.Errorf("error %v does not name its line", err)
			}
		})
	}
}

func TestSchema_Rural(t *testing.T) {
	var s hierarchy.Schema
	require.NoError(t, json.NewDecoder(openTestdata(t, "rural-schema.json")).Decode(&s))
	require.NoError(t, s.Validate())
	b, err := hierarchy.LoadDivisionsCSV(openTestdata(t, "rural.csv"), s)
	require.NoError(t, err)
	b.AddUnit(hierarchy.Unit{ID: "320925100201-1", Name: "一组", Level: "villager-group", Parent: "320925100201"})
	b.AddPartyOrgs()
	tr, err := b.Build()
	require.NoError(t, err)
	if got, want := tr.Ancestors("320925100201-1"), []hierarchy.UnitID{"320925100201", "320925100", "320925"}; !cmp.Equal(got, want) {
		t.Errorf("four levels: Ancestors = %v, want %v", got, want)
	}
	if u, _ := tr.Unit(hierarchy.PartyOrgID("320925100201")); u.Name != "草堰口村党支部" {
		t.Errorf("village party branch = %q", u.Name)
	}
	if _, err := hierarchy.LoadDivisionsCSV(openTestdata(t, "qinhuai-divisions.csv"), s); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Qinhuai's file under the rural schema = %v, want unknown levels", err)
	}
}
