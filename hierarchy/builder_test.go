package hierarchy_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/identity"
)

// small returns a valid builder: district, street, community, one person with one post.
func small() *hierarchy.Builder {
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b.AddUnit(hierarchy.Unit{ID: "D", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	b.AddUnit(hierarchy.Unit{ID: "S", Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: "D"})
	b.AddUnit(hierarchy.Unit{ID: "C", Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: "S"})
	b.AddUnit(hierarchy.Unit{ID: "DEPT", Name: "区城管局", Kind: hierarchy.KindDepartment, Parent: "D"})
	b.AddPerson(hierarchy.Person{ID: "P", Name: "张三", ResidentID: identity.MustParseResidentID("11010519491231002X")})
	b.AddPost(hierarchy.Post{ID: "POST", Person: "P", Unit: "C", Role: hierarchy.RoleSecretary})
	return b
}

// nested is a schema whose areas may nest, so that a cycle breaks no level rule.
func nested() hierarchy.Schema {
	return hierarchy.Schema{Name: "nested", Levels: []hierarchy.LevelSpec{
		{Level: "root"}, {Level: "area", Under: []hierarchy.Level{"root", "area"}},
	}}
}

func TestBuilder_Build_Errors(t *testing.T) {
	tests := []struct {
		name   string
		build  func() *hierarchy.Builder
		want   []string // rules, sorted
		reason string
	}{
		{"ErrMissingID", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{Name: "无名", Level: hierarchy.LevelCommunity, Parent: "S"})
			return b
		}, []string{hierarchy.RuleMissing}, "a unit needs an ID"},
		{"ErrDuplicateID", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "S", Name: "again", Level: hierarchy.LevelStreet, Parent: "D"})
			return b
		}, []string{hierarchy.RuleDuplicateID}, "unit IDs are unique"},
		{"ErrDuplicateCode", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "S2", Code: "320104001", Name: "copy", Level: hierarchy.LevelStreet, Parent: "D"})
			return b
		}, []string{hierarchy.RuleDuplicateCode}, "codes are unique"},
		{"ErrTwoRoots", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "D2", Code: "320105", Name: "建邺区", Level: hierarchy.LevelDistrict})
			return b
		}, []string{hierarchy.RuleRoot}, "one tree has one root"},
		{"ErrNoUnits", func() *hierarchy.Builder {
			return hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
		}, []string{hierarchy.RuleRoot}, "an empty tree has no root"},
		{"ErrCycle", func() *hierarchy.Builder {
			b := hierarchy.NewBuilder(nested())
			b.AddUnit(hierarchy.Unit{ID: "R", Name: "root", Level: "root"})
			b.AddUnit(hierarchy.Unit{ID: "A", Name: "a", Level: "area", Parent: "C"})
			b.AddUnit(hierarchy.Unit{ID: "B", Name: "b", Level: "area", Parent: "A"})
			b.AddUnit(hierarchy.Unit{ID: "C", Name: "c", Level: "area", Parent: "B"})
			b.AddUnit(hierarchy.Unit{ID: "U", Name: "under the cycle", Level: "area", Parent: "B"})
			return b
		}, []string{hierarchy.RuleCycle}, "A → C → B → A is reported once; U hangs under it and is not a second cycle"},
		{"ErrCycleAndNoRoot", func() *hierarchy.Builder {
			b := hierarchy.NewBuilder(nested())
			b.AddUnit(hierarchy.Unit{ID: "A", Name: "a", Level: "area", Parent: "B"})
			b.AddUnit(hierarchy.Unit{ID: "B", Name: "b", Level: "area", Parent: "A"})
			return b
		}, []string{hierarchy.RuleCycle, hierarchy.RuleRoot}, "a cycle of all units leaves no root"},
		{"ErrSelfParent", func() *hierarchy.Builder {
			b := hierarchy.NewBuilder(nested())
			b.AddUnit(hierarchy.Unit{ID: "R", Name: "root", Level: "root"})
			b.AddUnit(hierarchy.Unit{ID: "A", Name: "a", Level: "area", Parent: "A"})
			return b
		}, []string{hierarchy.RuleCycle}, "a unit cannot be its own parent"},
		{"ErrLevelUnderParent", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "C2", Code: "320104001002", Name: "x", Level: hierarchy.LevelCommunity, Parent: "D"})
			return b
		}, []string{hierarchy.RuleLevel}, "a community sits under a street or zone, not the district"},
		{"ErrLevelAsRoot", func() *hierarchy.Builder {
			b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
			b.AddUnit(hierarchy.Unit{ID: "S", Name: "street", Level: hierarchy.LevelStreet})
			return b
		}, []string{hierarchy.RuleLevel}, "a street cannot be the root of a Qinhuai tree"},
		{"ErrUnknownLevel", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "X", Name: "x", Level: "village", Parent: "S"})
			return b
		}, []string{hierarchy.RuleLevel}, "village is not a level of Qinhuai's schema"},
		{"ErrUnknownKind", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "X", Name: "x", Kind: "spaceport", Parent: "S"})
			return b
		}, []string{hierarchy.RuleLevel}, "kinds come from the schema"},
		{"ErrKindUnderParent", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "BEAT", Name: "beat", Kind: hierarchy.KindPoliceBeat, Parent: "C"})
			return b
		}, []string{hierarchy.RuleLevel}, "a police beat belongs to a police station"},
		{"ErrTerritorialUnderDepartment", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "C2", Code: "320104001003", Name: "x", Level: hierarchy.LevelCommunity, Parent: "DEPT"})
			return b
		}, []string{hierarchy.RuleLevel}, "territory never sits under a department"},
		{"ErrKindWithLevel", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "X", Name: "x", Kind: hierarchy.KindDepartment, Level: hierarchy.LevelStreet, Parent: "D"})
			return b
		}, []string{hierarchy.RuleLevel}, "only territorial units have levels"},
		{"ErrCodeNotExtendingParent", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "C2", Code: "320105001002", Name: "x", Level: hierarchy.LevelCommunity, Parent: "S"})
			return b
		}, []string{hierarchy.RuleCode}, "320105001002 belongs to another district"},
		{"ErrCodeLength", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "S2", Code: "3201040020", Name: "x", Level: hierarchy.LevelStreet, Parent: "D"})
			return b
		}, []string{hierarchy.RuleCode}, "division codes have 2, 4, 6, 9 or 12 digits"},
		{"ErrCodeDigitsForLevel", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "C2", Code: "320104001000", Name: "x", Level: hierarchy.LevelCommunity, Parent: "S"})
			return b
		}, []string{hierarchy.RuleCode}, "320104001000 is the street's 12-digit form, not a community"},
		{"ErrCodeNotDigits", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "C2", Code: "32010400100A", Name: "x", Level: hierarchy.LevelCommunity, Parent: "S"})
			return b
		}, []string{hierarchy.RuleCode}, "division codes are digits"},
		{"ErrCreditCode", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "ORG", Name: "公司", Kind: hierarchy.KindOrganisation, Parent: "C", CreditCode: "91350100M000100Y44"})
			return b
		}, []string{hierarchy.RuleCode}, "GB 32100 check character"},
		{"ErrDanglingParent", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "G", Name: "grid", Level: hierarchy.LevelGrid, Parent: "nowhere"})
			return b
		}, []string{hierarchy.RuleDangling}, "parents must exist"},
		{"ErrDanglingPost", func() *hierarchy.Builder {
			b := small()
			b.AddPost(hierarchy.Post{ID: "P2", Person: "ghost", Unit: "nowhere", Role: hierarchy.RoleStaff, From: "elsewhere"})
			return b
		}, []string{hierarchy.RuleDangling, hierarchy.RuleDangling, hierarchy.RuleDangling}, "person, unit and from must exist"},
		{"ErrPostNoRole", func() *hierarchy.Builder {
			b := small()
			b.AddPost(hierarchy.Post{ID: "P2", Person: "P", Unit: "C"})
			return b
		}, []string{hierarchy.RuleMissing}, "a post has a role"},
		{"ErrDuplicatePost", func() *hierarchy.Builder {
			b := small()
			b.AddPost(hierarchy.Post{ID: "POST", Person: "P", Unit: "S", Role: hierarchy.RoleStaff})
			return b
		}, []string{hierarchy.RuleDuplicateID}, "post IDs are unique"},
		{"ErrPostDates", func() *hierarchy.Builder {
			b := small()
			b.AddPost(hierarchy.Post{ID: "P2", Person: "P", Unit: "C", Role: hierarchy.RoleStaff,
				Start: day(2024, 6, 1), End: day(2024, 1, 1)})
			return b
		}, []string{hierarchy.RuleDates}, "a post cannot end before it starts"},
		{"ErrDuplicatePerson", func() *hierarchy.Builder {
			b := small()
			b.AddPerson(hierarchy.Person{ID: "P", Name: "again"})
			return b
		}, []string{hierarchy.RuleDuplicateID}, "person IDs are unique"},
		{"ErrDuplicateResidentID", func() *hierarchy.Builder {
			b := small()
			b.AddPerson(hierarchy.Person{ID: "P2", Name: "twin", ResidentID: identity.MustParseResidentID("11010519491231002X")})
			return b
		}, []string{hierarchy.RuleDuplicateID}, "one resident ID, one person"},
		{"ErrDanglingSecondment", func() *hierarchy.Builder {
			b := small()
			b.AddSecondment(hierarchy.Secondment{ID: "SEC", Subject: hierarchy.Ref{Kind: "post", ID: "POST"},
				Home: "DEPT", Serving: "nowhere", Appraisal: "elsewhere"})
			return b
		}, []string{hierarchy.RuleDangling, hierarchy.RuleDangling, hierarchy.RuleDangling}, "subject kind, serving and appraisal unit"},
		{"ErrSecondmentDates", func() *hierarchy.Builder {
			b := small()
			b.AddSecondment(hierarchy.Secondment{ID: "SEC", Subject: hierarchy.PersonRef("P"), Home: "DEPT", Serving: "C",
				Start: day(2024, 6, 1), End: day(2024, 5, 31)})
			return b
		}, []string{hierarchy.RuleDates}, "a secondment cannot end before it starts"},
		{"ErrDanglingPairing", func() *hierarchy.Builder {
			b := small()
			b.AddPairing(hierarchy.Pairing{ID: "PAIR", Department: "DEPT", Community: "nowhere"})
			return b
		}, []string{hierarchy.RuleDangling}, "both sides of a pairing exist"},
		{"ErrAssignment", func() *hierarchy.Builder {
			b := small()
			b.AddAssignment(hierarchy.Assignment{ID: "A", Leader: "ghost", Type: "province", Unit: "S"})
			return b
		}, []string{hierarchy.RuleDangling, hierarchy.RuleMissing}, "leader must exist, type is area or sector"},
		{"ErrDuplicateGrant", func() *hierarchy.Builder {
			b := small()
			g := hierarchy.Grant{ID: "G", Right: hierarchy.RightAdvise, Holder: hierarchy.UnitRef("S"), Subject: hierarchy.UnitRef("DEPT")}
			b.AddGrant(g)
			b.AddGrant(g)
			return b
		}, []string{hierarchy.RuleDuplicateID}, "grant IDs are unique"},
		{"ErrGrantShape", func() *hierarchy.Builder {
			b := small()
			b.AddGrant(hierarchy.Grant{ID: "G1", Holder: hierarchy.UnitRef("S"), Subject: hierarchy.UnitRef("DEPT")})
			b.AddGrant(hierarchy.Grant{ID: "G2", Right: hierarchy.RightAdvise, Holder: hierarchy.UnitRef("S"),
				Subject: hierarchy.UnitRef("DEPT"), Relation: hierarchy.RelationSeconded})
			b.AddGrant(hierarchy.Grant{ID: "G3", Right: hierarchy.RightAdvise, Holder: hierarchy.UnitRef("S"), Relation: "friends"})
			b.AddGrant(hierarchy.Grant{ID: "G4", Right: hierarchy.RightAdvise, Holder: hierarchy.UnitRef("S")})
			b.AddGrant(hierarchy.Grant{ID: "G5", Right: hierarchy.RightAdvise, Holder: hierarchy.UnitRef("S"),
				HolderLevel: "village", SubjectKind: "spaceport", Subject: hierarchy.UnitRef("D"), HolderScope: "everywhere"})
			b.AddGrant(hierarchy.Grant{ID: "G6", Right: hierarchy.RightAdvise, Holder: hierarchy.PersonRef("P"),
				HolderLevel: hierarchy.LevelStreet, Relation: hierarchy.RelationSeconded})
			return b
		}, []string{
			hierarchy.RuleGrant,                                           // G1 no right
			hierarchy.RuleGrant,                                           // G2 subject and relation
			hierarchy.RuleGrant,                                           // G3 unknown relation
			hierarchy.RuleGrant,                                           // G4 neither
			hierarchy.RuleGrant, hierarchy.RuleGrant, hierarchy.RuleGrant, // G5 scope, level, kind
			hierarchy.RuleGrant, hierarchy.RuleGrant, // G6 person narrowed, relation needs a unit
		}, "malformed grants"},
		{"ErrGrantDangling", func() *hierarchy.Builder {
			b := small()
			b.AddGrant(hierarchy.Grant{ID: "G", Right: hierarchy.RightAdvise, Holder: hierarchy.UnitRef("ghost"),
				Subject: hierarchy.PersonRef("nobody"), End: day(2020, 1, 1), Start: day(2021, 1, 1)})
			return b
		}, []string{hierarchy.RuleDangling, hierarchy.RuleDangling, hierarchy.RuleDates}, "holder and subject exist; dates"},
		{"ErrAllAtOnce", func() *hierarchy.Builder {
			b := small()
			b.AddUnit(hierarchy.Unit{ID: "S", Name: "dup", Level: hierarchy.LevelStreet, Parent: "D"})
			b.AddUnit(hierarchy.Unit{ID: "D2", Name: "second root", Level: hierarchy.LevelDistrict})
			b.AddUnit(hierarchy.Unit{ID: "C2", Code: "320105001001", Name: "x", Level: hierarchy.LevelCommunity, Parent: "S"})
			b.AddUnit(hierarchy.Unit{ID: "G", Name: "g", Level: hierarchy.LevelGrid, Parent: "D"})
			b.AddPost(hierarchy.Post{ID: "P2", Person: "ghost", Unit: "C", Role: hierarchy.RoleStaff})
			return b
		}, []string{hierarchy.RuleCode, hierarchy.RuleDangling, hierarchy.RuleDuplicateID, hierarchy.RuleLevel, hierarchy.RuleRoot},
			"every problem is reported, not only the first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := tt.build().Build()
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("Build() error = %v, want ErrInvalid (%s)", err, tt.reason)
			}
			if tr != nil {
				t.Errorf("Build() returned a tree with an error")
			}
			var got []string
			for _, p := range problems(err) {
				got = append(got, p.Rule)
			}
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Build() rules mismatch (-want +got) (%s):\n%s\nerror: %v", tt.reason, diff, err)
			}
		})
	}
}

func TestBuilder_Build_ErrorMessages(t *testing.T) {
	b := hierarchy.NewBuilder(nested())
	b.AddUnit(hierarchy.Unit{ID: "R", Name: "root", Level: "root"})
	b.AddUnit(hierarchy.Unit{ID: "B", Name: "b", Level: "area", Parent: "C"})
	b.AddUnit(hierarchy.Unit{ID: "C", Name: "c", Level: "area", Parent: "A"})
	b.AddUnit(hierarchy.Unit{ID: "A", Name: "a", Level: "area", Parent: "B"})
	_, err := b.Build()
	if want := `"A" → "B" → "C" → "A"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("cycle error = %v, want it to name the cycle %s from its smallest ID", err, want)
	}

	b = small()
	b.AddPerson(hierarchy.Person{ID: "P2", Name: "twin", ResidentID: identity.MustParseResidentID("11010519491231002X")})
	_, err = b.Build()
	if err == nil || strings.Contains(err.Error(), "11010519491231002X") || !strings.Contains(err.Error(), "110105********002X") {
		t.Errorf("duplicate resident ID error = %v, want the number masked", err)
	}
}

func TestSchema_Validate(t *testing.T) {
	if err := hierarchy.QinhuaiSchema().Validate(); err != nil {
		t.Fatalf("QinhuaiSchema().Validate() = %v", err)
	}
	bad := hierarchy.Schema{
		Levels: []hierarchy.LevelSpec{
			{Level: "a", Under: []hierarchy.Level{"b"}},
			{Level: "b", Under: []hierarchy.Level{"a", "zz"}, CodeDigits: 7,
				Offices: []hierarchy.OfficeSpec{{Key: "x", Kind: "nope"}, {Key: "x", Kind: hierarchy.KindPartyOrg}}},
			{Level: "a"},
			{Level: ""},
		},
		Kinds: []hierarchy.KindSpec{
			{Kind: hierarchy.KindPartyOrg, UnderLevels: []hierarchy.Level{"q"}, UnderKinds: []hierarchy.Kind{"r"}},
			{Kind: hierarchy.KindPartyOrg},
			{Kind: hierarchy.KindTerritorial},
		},
	}
	err := bad.Validate()
	if !errors.Is(err, gridgov.ErrInvalid) {
		t.Fatalf("Validate() = %v, want ErrInvalid", err)
	}
	var got []string
	for _, line := range strings.Split(err.Error(), "\n") {
		got = append(got, strings.TrimPrefix(line, "hierarchy.schema: invalid: "))
	}
	want := []string{
		`levels[1].code_digits: must be one of 2, 4, 6, 9, 12, got 7`,
		`levels[2].level: duplicate level "a"`,
		`levels[3].level: must not be empty`,
		`kinds[1].kind: duplicate kind "party-org"`,
		`kinds[2].kind: must be a non-territorial kind, got "territorial"`,
		`levels[1].under[1]: unknown level "zz"`,
		`levels[1].offices[0].kind: unknown kind "nope"`,
		`levels[1].offices[1].key: must be non-empty and unique, got "x"`,
		`kinds[0].under_levels[0]: unknown level "q"`,
		`kinds[0].under_kinds[0]: unknown kind "r"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Validate() mismatch (-want +got):\n%s", diff)
	}
	if _, err := hierarchy.NewBuilder(bad).Build(); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Build() with an invalid schema = %v, want ErrInvalid", err)
	}
}

func TestBuilder_Reuse(t *testing.T) {
	b := small()
	t1, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	b.AddUnit(hierarchy.Unit{ID: "C2", Code: "320104001002", Name: "康居里社区", Level: hierarchy.LevelCommunity, Parent: "S"})
	t2, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if t1.Len() != 4 || t2.Len() != 5 {
		t.Errorf("Len() = %d, %d; a built tree must not see later additions", t1.Len(), t2.Len())
	}
	if d := hierarchy.Diff(t1, t2); len(d.Units) != 1 || d.Units[0].Op != hierarchy.Added || d.Units[0].After.ID != "C2" {
		t.Errorf("Diff(t1, t2) = %+v, want C2 added", d)
	}
}
