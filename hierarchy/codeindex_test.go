package hierarchy

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
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
	mo.codes, mo.codeFind = nil, false
	// Small trees look single IDs up in the map; the index must answer the same.
	withIndex := *tr
	withIndex.codeFind = tr.codes != nil
	tr = &withIndex
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
		prefix := []UnitID{"kept"}
		if got, want := tr.AppendAncestors(prefix, id), append([]UnitID{"kept"}, mo.Ancestors(id)...); !slices.Equal(got, want) || prefix[0] != "kept" {
			t.Fatalf("AppendAncestors([kept], %q) = %v, want %v", id, got, want)
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
	for _, id := range append(slices.Clone(ids), absent...) {
		if got, want := tr.Node(id), mo.Node(id); got.Valid() != want.Valid() || got.Valid() && got.x != want.x {
			t.Fatalf("Node(%q) = %v, want %v", id, got, want)
		}
		gp, gok := tr.Parent(id)
		wp, wok := mo.Parent(id)
		if gp != wp || gok != wok {
			t.Fatalf("Parent(%q) = %q, %v; want %q, %v", id, gp, gok, wp, wok)
		}
		gu, _ := tr.findLK(id)
		wu, _ := mo.findLK(id)
		if gu != wu {
			t.Fatalf("findLK(%q) = %+v, want %+v", id, gu, wu)
		}
	}
	rng := rand.New(rand.NewPCG(1, uint64(len(ids))))
	all := append(slices.Clone(ids), absent...)
	var rights []Right
	for r := range tr.byRight {
		rights = append(rights, r)
	}
	slices.Sort(rights)
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
		if rng.IntN(4) == 0 {
			if got, want := tr.Contains(b, b), mo.Contains(b, b); got != want {
				t.Fatalf("Contains(%q, %q) = %v, want %v", b, b, got, want)
			}
		}
		for _, r := range rights {
			for _, at := range []time.Time{benchAt, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} {
				if got, want := tr.HasRight(UnitRef(a), r, UnitRef(b), at), mo.HasRight(UnitRef(a), r, UnitRef(b), at); got != want {
					t.Fatalf("HasRight(%q, %s, %q) = %v, want %v", a, r, b, got, want)
				}
			}
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

// registerGrants are grants whose checks read what the code index holds for a holder
// and a village: level, kind, subtree end.
func registerGrants() []Grant {
	return []Grant{
		{ID: "county-appraises-villages", Right: RightAppraise, Holder: UnitRef("CN"),
			HolderLevel: "county", Relation: RelationWithin, SubjectLevel: "village"},
		{ID: "township-informed", Right: RightBeInformed, Holder: UnitRef("CN"),
			HolderLevel: "township", Relation: RelationWithin},
		{ID: "province-advises-departments", Right: RightAdvise, Holder: UnitRef("CN"),
			HolderLevel: "province", Relation: RelationWithin, SubjectKind: KindDepartment},
		{ID: "city-summons-own", Right: RightSummon, Holder: UnitRef("440100000000"), HolderScope: ScopeSelf,
			Subject: UnitRef("440100000000")},
	}
}

// TestCodeIndex_NationalRegister: on the whole national register (654,152 units, the
// benchmarks' fixture) every ID resolves through the code index to what the ID map
// says, and Ancestors, IsAncestor, Contains and HasRight agree with the map-only tree on
// random pairs, half of them related.
func TestCodeIndex_NationalRegister(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the national register")
	}
	units := nationalUnits()
	b := NewBuilder(nationalSchema())
	for _, u := range units {
		b.AddUnit(u)
	}
	// A department under a county: a non-code leaf among code units.
	b.AddUnit(Unit{ID: "dept-x", Name: "d", Kind: KindDepartment, Parent: "440103000000"})
	for _, g := range registerGrants() {
		b.AddGrant(g)
	}
	tr, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if tr.codes == nil || !tr.codeFind {
		t.Fatal("the register does not look its IDs up in a code index")
	}
	regular := 0
	for _, w := range tr.codes.tn {
		if w>>tnBaseShift&noBase != noBase {
			regular++
		}
	}
	if regular < 37000 {
		t.Fatalf("%d townships number their villages from the index, want all the register's", regular)
	}
	all, village := tr.codes.bytes()
	t.Logf("code index: %d bytes (%.1f B/unit), of which %d read by village lookups", all, float64(all)/float64(tr.Len()), village)
	checkAgainstMap(t, tr, []UnitID{"440103999000", "440103001999", "449999000000", "110101001", "11"})
}

// TestCodeIndex_QinhuaiCSV: the real Qinhuai register, with party organisations and
// grids under its communities (so no community is a leaf and the index sends them to
// the ID map) and Qinhuai's grants, answers like the ID map.
func TestCodeIndex_QinhuaiCSV(t *testing.T) {
	f, err := os.Open("testdata/qinhuai-divisions.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := LoadDivisionsCSV(f, QinhuaiSchema())
	if err != nil {
		t.Fatal(err)
	}
	b.AddPartyOrgs()
	b.AddUnit(Unit{ID: "320104001001-G01", Name: "grid", Level: LevelGrid, Parent: "320104001001"})
	b.AddUnit(Unit{ID: "dept-um", Name: "um", Kind: KindDepartment, Parent: "320104"})
	for _, g := range QinhuaiGrants("320104") {
		b.AddGrant(g)
	}
	tr, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if tr.codes == nil {
		t.Fatal("Qinhuai's tree has no code index")
	}
	if tr.Len() < 125 {
		t.Fatalf("Qinhuai's tree has %d units", tr.Len())
	}
	checkAgainstMap(t, tr, []UnitID{"320104001999", "320104999", "320104001001-G99", "320105001001"})
	if !tr.HasRight(UnitRef("320104001"), RightSummon, UnitRef("dept-um"), benchAt) {
		t.Error("a street may not summon a district department")
	}
}

// TestCodeIndex_IrregularTownships: villages listed out of code order, or with units
// below them, are not numbered from the index; they resolve through the map, and all
// answers stay the map's.
func TestCodeIndex_IrregularTownships(t *testing.T) {
	units := []Unit{
		{ID: "CN", Name: "cn", Level: "country"},
		{ID: "320000000000", Name: "p", Code: "320000000000", Level: "province", Parent: "CN"},
		{ID: "320100000000", Name: "c", Code: "320100000000", Level: "city", Parent: "320000000000"},
		{ID: "320104000000", Name: "k", Code: "320104000000", Level: "county", Parent: "320100000000"},
		{ID: "320104001000", Name: "t1", Code: "320104001000", Level: "township", Parent: "320104000000"},
		{ID: "320104001002", Name: "v2", Code: "320104001002", Level: "village", Parent: "320104001000"},
		{ID: "320104001001", Name: "v1", Code: "320104001001", Level: "village", Parent: "320104001000"},
		{ID: "320104002000", Name: "t2", Code: "320104002000", Level: "township", Parent: "320104000000"},
		{ID: "320104002001", Name: "v1", Code: "320104002001", Level: "village", Parent: "320104002000"},
		{ID: "320104002002", Name: "v2", Code: "320104002002", Level: "village", Parent: "320104002000"},
		{ID: "dept-under-village", Name: "d", Kind: KindDepartment, Parent: "320104002001"},
		{ID: "320104003000", Name: "t3", Code: "320104003000", Level: "township", Parent: "320104000000"},
		{ID: "320104003001", Name: "v1", Code: "320104003001", Level: "village", Parent: "320104003000"},
		{ID: "320104003005", Name: "v5", Code: "320104003005", Level: "village", Parent: "320104003000"},
	}
	tr := buildUnits(t, nationalSchema(), units)
	if tr.codes == nil {
		t.Fatal("no code index")
	}
	for id, want := range map[UnitID]bool{"320104001001": false, "320104002002": false, "320104003005": true} {
		_, _, handled := tr.codes.find(string(id))
		if handled != want {
			t.Errorf("village %s resolved by the index: %v, want %v", id, handled, want)
		}
	}
	checkAgainstMap(t, tr, []UnitID{"320104001003", "320104003002", "320104004001"})
}

// FuzzCodeIndex compares the code index with the ID map on arbitrary IDs against the
// real Qinhuai register.
func FuzzCodeIndex(f *testing.F) {
	file, err := os.Open("testdata/qinhuai-divisions.csv")
	if err != nil {
		f.Fatal(err)
	}
	b, err := LoadDivisionsCSV(file, QinhuaiSchema())
	file.Close()
	if err != nil {
		f.Fatal(err)
	}
	tr, err := b.Build()
	if err != nil {
		f.Fatal(err)
	}
	mo := *tr
	mo.codes, mo.codeFind = nil, false
	tr.codeFind = true
	for _, p := range [][2]string{{"320104", "320104001001"}, {"320104001", "320104001000"}, {"320104400", "320104400498"},
		{"3201", "320104"}, {"320104001001", "320104001001"}, {"32010400100a", "320104001001"}, {"", "320104"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ua, ub := UnitID(a), UnitID(b)
		if got, want := tr.IsAncestor(ua, ub), mo.IsAncestor(ua, ub); got != want {
			t.Fatalf("IsAncestor(%q, %q) = %v, want %v", a, b, got, want)
		}
		if got, want := tr.Contains(ua, ub), mo.Contains(ua, ub); got != want {
			t.Fatalf("Contains(%q, %q) = %v, want %v", a, b, got, want)
		}
		if got, want := tr.Ancestors(ub), mo.Ancestors(ub); !slices.Equal(got, want) {
			t.Fatalf("Ancestors(%q) = %v, want %v", b, got, want)
		}
		if got, want := tr.Node(ua), mo.Node(ua); got.Valid() != want.Valid() || got.x != want.x {
			t.Fatalf("Node(%q) = %v, want %v", a, got, want)
		}
	})
}

// TestRunRank: the packed runs, three of a county's or two of a township's, give every
// segment's rank and membership as a search of the sorted segments does, for sets of
// one to three runs and more (searched instead),
// including runs at 0 and 999 and a run of all 1,000 values, whatever the nodes keep in
// the bits above the lanes.
func TestRunRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	sets := [][]uint16{{}, {0}, {999}, {0, 999}, {1, 2, 3, 200, 201}, {0, 2, 4}, {997, 998, 999}}
	all := make([]uint16, 1000)
	for i := range all {
		all[i] = uint16(i)
	}
	sets = append(sets, all)
	for range 2000 {
		var s []uint16
		v := rng.IntN(50)
		for range rng.IntN(6) { // zero to five runs
			for n := 1 + rng.IntN(60); n > 0 && v < 1000; n-- {
				s = append(s, uint16(v))
				v++
			}
			v += 1 + rng.IntN(250)
		}
		sets = append(sets, s)
	}
	packed, searched, packed2 := 0, 0, 0
	for _, s := range sets {
		if rs, ok := packRuns(s, 2); ok != (countRuns(s) <= 2) {
			t.Fatalf("%d runs %v packed in two: %v", countRuns(s), s, ok)
		} else if ok {
			// As a tnode: the ends in lanes 2 and 3, other data above.
			packed2++
			w := tnode(rs.lo | rs.hi<<22 | rng.Uint64()<<44&^runsSearch)
			for v := range uint64(1000) {
				i, want := slices.BinarySearch(s, uint16(v))
				if got, in := runRank2(w, v); (in != 0) != want || want && int(got) != i || !want && got != 0 {
					t.Fatalf("runRank2(%v, %d) = %d, %#x; search says %d, %v", s, v, got, in, i, want)
				}
			}
		}
		rs, ok := packRuns(s, 3)
		if !ok {
			searched++
			if countRuns(s) <= 3 {
				t.Fatalf("%d runs %v not packed", countRuns(s), s)
			}
			continue
		}
		packed++
		if countRuns(s) > 3 {
			t.Fatalf("%d runs %v packed", countRuns(s), s)
		}
		if (rs.lo|rs.hi)&(laneGuards|^uint64(1<<33-1)) != 0 {
			t.Fatalf("runs of %v use bits outside the lanes: %#x, %#x", s, rs.lo, rs.hi)
		}
		// What a node keeps above the lanes must not change any answer.
		noisy := runs{rs.lo | rng.Uint64()<<33&^runsSearch, rs.hi | rng.Uint64()<<33}
		for v := range uint64(1000) {
			i, want := slices.BinarySearch(s, uint16(v))
			for _, r := range []runs{rs, noisy} {
				got, in := runRank(r, v)
				if (in != 0) != want || want && int(got) != i || !want && got != 0 {
					t.Fatalf("runRank(%v, %d) = %d, %#x; search says %d, %v", s, v, got, in, i, want)
				}
			}
		}
	}
	if packed < 100 || searched < 100 || packed2 < 100 {
		t.Fatalf("%d sets packed, %d in two runs, %d searched: the test covers too little of one", packed, packed2, searched)
	}
}

func countRuns(s []uint16) int {
	n := 0
	for i := range s {
		if i == 0 || s[i] != s[i-1]+1 {
			n++
		}
	}
	return n
}

// TestCodeIndex_ManyRuns: townships whose villages, and a county whose townships, are
// numbered in more than three runs are searched instead of packed, and answer as the ID
// map does, next to ones that are packed.
func TestCodeIndex_ManyRuns(t *testing.T) {
	units := []Unit{
		{ID: "CN", Name: "cn", Level: "country"},
		{ID: "320000000000", Name: "p", Code: "320000000000", Level: "province", Parent: "CN"},
		{ID: "320100000000", Name: "c", Code: "320100000000", Level: "city", Parent: "320000000000"},
		{ID: "320104000000", Name: "k", Code: "320104000000", Level: "county", Parent: "320100000000"},
		{ID: "320105000000", Name: "k2", Code: "320105000000", Level: "county", Parent: "320100000000"},
	}
	add := func(code, level string, parent UnitID) UnitID {
		units = append(units, Unit{ID: UnitID(code), Name: code, Code: code, Level: Level(level), Parent: parent})
		return UnitID(code)
	}
	for _, s := range []int{1, 3, 5, 7, 100, 400} { // six runs of townships
		tw := add(fmt.Sprintf("320104%03d000", s), "township", "320104000000")
		for _, v := range []int{1, 2, 4, 9, 10, 200, 998, 999} { // five runs of villages
			add(fmt.Sprintf("320104%03d%03d", s, v), "village", tw)
		}
	}
	for _, s := range []int{1, 2} {
		tw := add(fmt.Sprintf("320105%03d000", s), "township", "320105000000")
		for _, v := range []int{1, 2, 3, 200, 201} {
			add(fmt.Sprintf("320105%03d%03d", s, v), "village", tw)
		}
	}
	tr := buildUnits(t, nationalSchema(), units)
	if tr.codes == nil {
		t.Fatal("no code index")
	}
	county, _, _, _, _ := tr.codes.locate(pack(&[5]uint16{32, 1, 4}), 2, 12)
	if tr.codes.cn[county].lo&runsSearch == 0 {
		t.Fatal("the county of six runs of townships was packed")
	}
	town, _, _, _, _ := tr.codes.locate(pack(&[5]uint16{32, 1, 4, 5}), 3, 12)
	if tr.codes.tn[town]&runsSearch == 0 {
		t.Fatal("the township of five runs of villages was packed")
	}
	town, _, _, _, _ = tr.codes.locate(pack(&[5]uint16{32, 1, 5, 2}), 3, 12)
	if tr.codes.tn[town]&runsSearch != 0 {
		t.Fatal("the township of two runs of villages was not packed")
	}
	checkAgainstMap(t, tr, []UnitID{"320104002000", "320104005003", "320104005997", "320104401000", "320104401001",
		"320105002202", "320105003001", "320106001001", "320104000001"})
}

// TestAppendAncestors_ReusesSlice: with room in dst, listing a village's ancestors, by
// the code index or by the tree, allocates nothing.
func TestAppendAncestors_ReusesSlice(t *testing.T) {
	tr := buildUnits(t, nationalSchema(), registerUnits([]string{"32"}))
	mo := *tr
	mo.codes, mo.codeFind = nil, false
	v := tr.ByLevel("village")[7]
	for _, c := range []struct {
		name string
		t    *Tree
	}{{"code-index", tr}, {"id-map", &mo}} {
		buf := make([]UnitID, 0, 8)
		if got := c.t.AppendAncestors(buf, v); len(got) != 5 || got[len(got)-1] != "CN" {
			t.Fatalf("%s: AppendAncestors(%s) = %v", c.name, v, got)
		}
		if n := testing.AllocsPerRun(100, func() { buf = c.t.AppendAncestors(buf[:0], v) }); n != 0 {
			t.Errorf("%s: %v allocations per call with room in dst", c.name, n)
		}
	}
}

// TestParse12: the word-at-a-time parse of 12-digit codes agrees with a digit loop on
// codes of every stem depth and on strings with a non-digit (the bytes next to '0' and
// '9' among them) anywhere.
func TestParse12(t *testing.T) {
	ref := func(id string) (segs [5]uint16, depth int, ok bool) {
		pos := 0
		for k, w := range segWidths {
			for range w {
				c := id[pos]
				if c < '0' || c > '9' {
					return segs, 0, false
				}
				segs[k] = segs[k]*10 + uint16(c-'0')
				pos++
			}
		}
		depth = 4
		for depth > 0 && segs[depth] == 0 {
			depth--
		}
		return segs, depth, true
	}
	rng := rand.New(rand.NewPCG(11, 12))
	odd := []byte{'/', ':', 'a', ' ', 0, 0xff, '0' - 16, '9' + 16}
	depths := map[int]int{}
	for i := range 200000 {
		b := []byte("000000000000")
		for j := range b {
			if rng.IntN(3) > 0 {
				b[j] = byte('0' + rng.IntN(10))
			}
		}
		for j := len(b) - 1; j > 0 && rng.IntN(2) == 0; j-- {
			b[j] = '0' // trailing zero groups, for the shallower stems
		}
		if i%3 == 0 {
			b[rng.IntN(12)] = odd[rng.IntN(len(odd))]
		}
		id := string(b)
		gp, gd, gok := parse12(id)
		gs := unpack(gp)
		ws, wd, wok := ref(id)
		if gok != wok || gok && (gs != ws || gd != wd) {
			t.Fatalf("parse12(%q) = %v, %d, %v; want %v, %d, %v", id, gs, gd, gok, ws, wd, wok)
		}
		if gok {
			depths[gd]++
		}
	}
	if len(depths) != 5 {
		t.Fatalf("stem depths covered: %v", depths)
	}
}

// TestCodeIndex_EveryPairOfMixedForms: on a tree mixing the forms the index must tell
// apart — 12-digit IDs, stem-form IDs of 6 and 9 digits, a city without counties (its
// county segment 00 only a step), non-code units above and below code units, code-shaped
// leaves that are not villages, a township numbered in three runs — every IsAncestor,
// Contains and HasRight over every pair of its IDs, their other forms, unknown and
// malformed IDs agrees with the ID map. IsAncestor of codes reads the upper unit from
// the lower one's walk, so an upper ID in the other form of an existing unit, or naming
// only a step, must still be refused.
func TestCodeIndex_EveryPairOfMixedForms(t *testing.T) {
	units := []Unit{
		{ID: "CN", Name: "cn", Level: "country"},
		{ID: "440000000000", Name: "p", Code: "440000000000", Level: "province", Parent: "CN"},
		{ID: "441900000000", Name: "东莞", Code: "441900000000", Level: "city", Parent: "440000000000"},
		{ID: "441900003000", Name: "t", Code: "441900003000", Level: "township", Parent: "441900000000"},
		{ID: "441900003001", Name: "v", Code: "441900003001", Level: "village", Parent: "441900003000"},
		{ID: "441900003201", Name: "v", Code: "441900003201", Level: "village", Parent: "441900003000"},
		{ID: "4401", Name: "c", Code: "4401", Level: "city", Parent: "440000000000"},
		{ID: "440103", Name: "k", Code: "440103", Level: "county", Parent: "4401"},
		{ID: "440103001", Name: "t", Code: "440103001", Level: "township", Parent: "440103"},
		{ID: "440103001001", Name: "v", Code: "440103001001", Level: "village", Parent: "440103001"},
		{ID: "440103001002", Name: "v", Code: "440103001002", Level: "village", Parent: "440103001"},
		{ID: "440103002000", Name: "t", Code: "440103002000", Level: "township", Parent: "440103"},
		{ID: "440103002001", Name: "v", Code: "440103002001", Level: "village", Parent: "440103002000"},
		{ID: "440103002200", Name: "v", Code: "440103002200", Level: "village", Parent: "440103002000"},
		{ID: "440103002400", Name: "v", Code: "440103002400", Level: "village", Parent: "440103002000"},
		{ID: "440103003000", Name: "t", Code: "440103003000", Level: "township", Parent: "440103"},
		{ID: "440103003001", Name: "dept", Kind: KindDepartment, Parent: "440103003000"}, // code-shaped, not a village
		{ID: "dept-k", Name: "dept", Kind: KindDepartment, Parent: "440103"},
		{ID: "dept-v", Name: "dept", Kind: KindDepartment, Parent: "440103001001"},
		{ID: "450000000000", Name: "p2", Code: "450000000000", Level: "province", Parent: "CN"},
	}
	s := nationalSchema()
	tr := buildUnits(t, s, units)
	if tr.codes == nil {
		t.Fatal("no code index")
	}
	threeRuns, _, _, _, _ := tr.codes.locate(pack(&[5]uint16{44, 1, 3, 2}), 3, 12)
	if tr.codes.tn[threeRuns]&runsSearch == 0 {
		t.Fatal("the township of three runs of villages was packed in its word")
	}
	mo := *tr
	mo.codes, mo.codeFind = nil, false
	idx := *tr
	idx.codeFind = true // the tree is small: make single lookups use the index too
	absent := []UnitID{
		"440000", "44", "4419", "441900", "441900000", "441900003", "441900003002", "441900000001",
		"440100000000", "440103000000", "440103001000", "4401030010010", "44010300100a", "44010300", "",
		"440103002", "440103003", "440103004000", "449900000000", "460000000000", "dept-x",
	}
	ids := slices.Clone(absent)
	for u := range tr.Units() {
		ids = append(ids, u.ID)
	}
	b := NewBuilder(s)
	for _, u := range units {
		b.AddUnit(u)
	}
	for _, g := range []Grant{
		{ID: "within", Right: RightAppraise, Holder: UnitRef("CN"), Relation: RelationWithin},
		{ID: "county-villages", Right: RightAdvise, Holder: UnitRef("CN"), HolderLevel: "county",
			Relation: RelationWithin, SubjectLevel: "village"},
	} {
		b.AddGrant(g)
	}
	gtr, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	gmo := *gtr
	gmo.codes, gmo.codeFind = nil, false
	gidx := *gtr
	gidx.codeFind = true
	for _, a := range ids {
		for _, c := range ids {
			if got, want := idx.IsAncestor(a, c), mo.IsAncestor(a, c); got != want {
				t.Errorf("IsAncestor(%q, %q) = %v, want %v", a, c, got, want)
			}
			if got, want := idx.Contains(a, c), mo.Contains(a, c); got != want {
				t.Errorf("Contains(%q, %q) = %v, want %v", a, c, got, want)
			}
			for _, r := range []Right{RightAppraise, RightAdvise} {
				if got, want := gidx.HasRight(UnitRef(a), r, UnitRef(c), benchAt), gmo.HasRight(UnitRef(a), r, UnitRef(c), benchAt); got != want {
					t.Errorf("HasRight(%q, %s, %q) = %v, want %v", a, r, c, got, want)
				}
			}
		}
	}
	checkAgainstMap(t, tr, absent)
}

// TestCodeIndex_ParentNotTheDigitsOne: a code unit whose parent is not the unit its
// digits imply (a township hung from the city while its county exists) leaves the tree
// without a code index, so that no answer is read from digits that do not describe it.
func TestCodeIndex_ParentNotTheDigitsOne(t *testing.T) {
	units := []Unit{
		{ID: "CN", Name: "cn", Level: "country"},
		{ID: "320000000000", Name: "p", Code: "320000000000", Level: "province", Parent: "CN"},
		{ID: "320100000000", Name: "c", Code: "320100000000", Level: "city", Parent: "320000000000"},
		{ID: "320104000000", Name: "k", Code: "320104000000", Level: "county", Parent: "320100000000"},
		{ID: "320104002000", Name: "t", Code: "320104002000", Level: "township", Parent: "320100000000"},
		{ID: "320104002001", Name: "v", Code: "320104002001", Level: "village", Parent: "320104002000"},
	}
	tr := buildUnits(t, nationalSchema(), units)
	if tr.codes != nil {
		t.Fatal("a tree whose township is not under its county has a code index")
	}
	if tr.IsAncestor("320104000000", "320104002001") {
		t.Error("the county is above a village of a township hung from the city")
	}
	if !tr.IsAncestor("320100000000", "320104002001") {
		t.Error("the city is not above the village")
	}
}

// TestHasRight_DigitsDecideOnlyWithinRights: a right whose unit-held grants all reach
// within their holders is refused from the digits when the holder's code is not a
// prefix of the subject's; a right with another kind of grant (here a street named over
// one community of another street) still reaches past the digits, and the answers are
// those of the same tree without its code index.
func TestHasRight_DigitsDecideOnlyWithinRights(t *testing.T) {
	f, err := os.Open("testdata/qinhuai-divisions.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := LoadDivisionsCSV(f, QinhuaiSchema())
	if err != nil {
		t.Fatal(err)
	}
	own, far := UnitID("320104001001"), UnitID("320104002001")
	b.AddGrant(Grant{ID: "street-appraises-own", Right: RightAppraise, Holder: UnitRef("320104"),
		HolderLevel: LevelStreet, Relation: RelationWithin})
	b.AddGrant(Grant{ID: "street-informed-own", Right: RightBeInformed, Holder: UnitRef("320104"),
		HolderLevel: LevelStreet, Relation: RelationWithin})
	b.AddGrant(Grant{ID: "street-informed-of-one-far", Right: RightBeInformed, Holder: UnitRef("320104001"),
		HolderScope: ScopeSelf, Subject: UnitRef(far), SubjectScope: ScopeSelf})
	tr, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if tr.codes == nil {
		t.Fatal("Qinhuai's tree has no code index")
	}
	idx := *tr
	idx.codeFind = true // the tree is small: make it take the index's path
	mo := *tr
	mo.codes, mo.codeFind = nil, false
	street := UnitRef("320104001")
	for _, c := range []struct {
		right   Right
		subject UnitID
		want    bool
	}{
		{RightAppraise, own, true},
		{RightAppraise, far, false},
		{RightAppraise, "320104001999", false}, // absent, under the street's digits
		{RightAppraise, "320104001", true},     // itself
		{RightBeInformed, own, true},
		{RightBeInformed, far, true}, // the named grant, past the digits
		{RightBeInformed, "320104002002", false},
	} {
		for name, tt := range map[string]*Tree{"index": &idx, "map": &mo} {
			if got := tt.HasRight(street, c.right, UnitRef(c.subject), benchAt); got != c.want {
				t.Errorf("%s: HasRight(%s, %s, %s) = %v, want %v", name, street.ID, c.right, c.subject, got, c.want)
			}
		}
	}
	if !tr.rightOf(RightAppraise).unitsWithin || tr.rightOf(RightBeInformed).unitsWithin {
		t.Error("unitsWithin is not set exactly for the right whose grants all reach within")
	}
}
