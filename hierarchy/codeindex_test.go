package hierarchy

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func buildUnits(tb testing.TB, s Schema, units []Unit) *Tree {
	tb.Helper()
	b := NewBuilder(s)
	for _, u := range units {
		b.AddUnit(u)
	}
	t, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// checkAgainstMap compares every ID answer of t with the same tree resolving IDs only
// through its ID map.
func checkAgainstMap(t *testing.T, tr *Tree, absent []UnitID) {
	t.Helper()
	mo := *tr
	mo.codes = nil
	var ids []UnitID
	for u := range tr.Units() {
		ids = append(ids, u.ID)
	}
	for _, id := range append(slices.Clone(ids), absent...) {
		y, ok2 := mo.byID[id]
		if tr.codes != nil {
			x, ok, handled := tr.codes.find(string(id))
			if !handled {
				x, ok = y, ok2
			}
			if x != y || ok != ok2 {
				t.Fatalf("codes.find(%q) = %d, %v; the ID map says %d, %v", id, x, ok, y, ok2)
			}
		}
		if got, want := tr.Ancestors(id), mo.Ancestors(id); !slices.Equal(got, want) {
			t.Fatalf("Ancestors(%q) = %v, want %v", id, got, want)
		}
	}
	for _, id := range absent {
		if tr.codes == nil {
			break
		}
		if _, ok, _ := tr.codes.find(string(id)); ok {
			t.Errorf("absent ID %q found", id)
		}
	}
	rng := rand.New(rand.NewPCG(1, uint64(len(ids))))
	all := append(slices.Clone(ids), absent...)
	for range 20000 {
		a, b := all[rng.IntN(len(all))], all[rng.IntN(len(all))]
		if rng.IntN(2) == 0 {
			if anc := mo.Ancestors(b); len(anc) > 0 {
				a = anc[rng.IntN(len(anc))]
			}
		}
		if got, want := tr.IsAncestor(a, b), mo.IsAncestor(a, b); got != want {
			t.Fatalf("IsAncestor(%q, %q) = %v, want %v", a, b, got, want)
		}
		if got, want := tr.Contains(a, b), mo.Contains(a, b); got != want {
			t.Fatalf("Contains(%q, %q) = %v, want %v", a, b, got, want)
		}
	}
}

// TestCodeIndex_ResolvesLikeIDMap: on register-shaped trees — 12-digit codes, cities
// without counties whose townships carry county segment 00, a non-code root — the code
// index answers exactly what the ID map answers, for present and absent IDs.
func TestCodeIndex_ResolvesLikeIDMap(t *testing.T) {
	tr := buildUnits(t, nationalSchema(), registerUnits([]string{"44", "46"}))
	if tr.codes == nil {
		t.Fatal("a register-shaped tree has no code index")
	}
	if _, ok := tr.Unit("441900003000"); !ok {
		t.Fatal("the generator made no township of 东莞 (441900)")
	}
	absent := []UnitID{
		"4419", "441900", "441900000", // other forms of 东莞's 12-digit ID
		"441900003", "441900003001" + "0", "44190000300", // short, long
		"449999999999", "441900999000", "441900003999", "000000000000", "00",
		"CN/x", "", "44190000300a",
	}
	checkAgainstMap(t, tr, absent)
}

// TestCodeIndex_StemFormIDs: IDs without their trailing zero groups (Qinhuai's file)
// resolve too, and their 12-digit forms are not the same IDs.
func TestCodeIndex_StemFormIDs(t *testing.T) {
	b, err := LoadDivisionsCSV(strings.NewReader("code,name,level,parent_code\n320104,d,district,3201\n"+
		"320104001,s,street,320104\n320104001001,c,community,320104001\n320104400,z,zone,320104\n320104400498,v,community,320104400\n"), QinhuaiSchema())
	if err != nil {
		t.Fatal(err)
	}
	b.AddPartyOrgs()
	b.AddUnit(Unit{ID: "320104001001-G01", Name: "grid", Level: LevelGrid, Parent: "320104001001"})
	tr, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if tr.codes == nil {
		t.Fatal("Qinhuai's tree has no code index")
	}
	checkAgainstMap(t, tr, []UnitID{"320104000000", "320104001000", "32010400100", "320104002", "3201"})
	if got := tr.Ancestors("320104001001-G01"); !slices.Equal(got, []UnitID{"320104001001", "320104001", "320104"}) {
		t.Errorf("a grid's ancestors through a code community = %v", got)
	}
}

// TestCodeIndex_OnlyWhenStructureFollowsCodes: a tree whose parents do not follow the
// codes' prefixes resolves every ID through the map, so no answer changes.
func TestCodeIndex_OnlyWhenStructureFollowsCodes(t *testing.T) {
	s := nationalSchema()
	s.Kinds = append(s.Kinds, KindSpec{Kind: KindStreetOffice, UnderLevels: []Level{"county"}, UnderKinds: []Kind{KindDepartment}})
	base := []Unit{
		{ID: "CN", Name: "cn", Level: "country"},
		{ID: "320000000000", Name: "p", Code: "320000000000", Level: "province", Parent: "CN"},
		{ID: "320100000000", Name: "c", Code: "320100000000", Level: "city", Parent: "320000000000"},
		{ID: "320104000000", Name: "k", Code: "320104000000", Level: "county", Parent: "320100000000"},
	}
	tests := []struct {
		name   string
		extra  []Unit
		index  bool
		reason string
	}{
		{"Follows", []Unit{{ID: "320104001000", Name: "t", Code: "320104001000", Level: "township", Parent: "320104000000"}},
			true, "every parent is the longest code prefix"},
		{"NonCodeBetween", []Unit{
			{ID: "dept", Name: "d", Kind: KindDepartment, Parent: "320104000000"},
			{ID: "320104001000", Name: "o", Kind: KindStreetOffice, Parent: "dept"}},
			false, "a code unit under a non-code unit under a code unit: its ancestors are not its prefixes"},
		{"CodeShapedElsewhere", []Unit{{ID: "11", Name: "d", Kind: KindDepartment, Parent: "320104000000"}},
			false, "a code-shaped ID whose prefix is not its parent"},
		{"TwoFormsOneStem", []Unit{{ID: "320104", Name: "d", Kind: KindDepartment, Parent: "320104000000"}},
			false, "two IDs with one stem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := buildUnits(t, s, append(slices.Clone(base), tt.extra...))
			if got := tr.codes != nil; got != tt.index {
				t.Fatalf("code index %v, want %v (%s)", got, tt.index, tt.reason)
			}
			checkAgainstMap(t, tr, []UnitID{"320104999000", "329900000000"})
		})
	}
}

// TestBuild_DuplicateCodeAcrossIDForms: a code is unique even when one unit carries it
// as its ID and another only as its code.
func TestBuild_DuplicateCodeAcrossIDForms(t *testing.T) {
	b := NewBuilder(QinhuaiSchema())
	b.AddUnit(Unit{ID: "320104", Code: "320104", Name: "d", Level: LevelDistrict})
	b.AddUnit(Unit{ID: "320104001", Code: "320104001", Name: "s", Level: LevelStreet, Parent: "320104"})
	b.AddUnit(Unit{ID: "S2", Code: "320104001", Name: "s2", Level: LevelStreet, Parent: "320104"})
	_, err := b.Build()
	if err == nil || !strings.Contains(err.Error(), RuleDuplicateCode) {
		t.Fatalf("Build() = %v, want %s", err, RuleDuplicateCode)
	}
	tr := buildUnits(t, QinhuaiSchema(), []Unit{{ID: "320104", Code: "320104", Name: "d", Level: LevelDistrict},
		{ID: "S1", Code: "320104001", Name: "s", Level: LevelStreet, Parent: "320104"}})
	for code, want := range map[string]UnitID{"320104": "320104", "320104001": "S1"} {
		if u, ok := tr.ByCode(code); !ok || u.ID != want {
			t.Errorf("ByCode(%s) = %v, %v; want %s", code, u.ID, ok, want)
		}
	}
	if _, ok := tr.ByCode("S1"); ok {
		t.Error("ByCode found a unit by an ID that is not its code")
	}
}
