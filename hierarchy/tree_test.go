package hierarchy_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

func TestTree_Navigation(t *testing.T) {
	tr := buildFixture(t)
	type nav struct {
		Parent    hierarchy.UnitID
		HasParent bool
		Children  []hierarchy.UnitID
		Ancestors []hierarchy.UnitID
		Depth     int
	}
	tests := []struct {
		id     hierarchy.UnitID
		want   nav
		reason string
	}{
		{district, nav{Children: []hierarchy.UnitID{qinhong, fuzimiao, zone, deptUM, deptMS, "320104/party", "320104/command"}},
			"the root: streets, zone, departments, then the party committee and command platform added later"},
		{grid1, nav{Parent: zhongpai, HasParent: true, Children: []hierarchy.UnitID{building1, grid1 + "/party"},
			Ancestors: []hierarchy.UnitID{zhongpai, qinhong, district}, Depth: 3}, "a grid, nearest ancestor first"},
		{household1, nav{Parent: building1, HasParent: true,
			Children:  []hierarchy.UnitID{household1 + "/party"},
			Ancestors: []hierarchy.UnitID{building1, grid1, zhongpai, qinhong, district}, Depth: 5},
			"the household carries its party-member central household"},
		{beat, nav{Parent: station, HasParent: true, Ancestors: []hierarchy.UnitID{station, qinhong, district}, Depth: 3},
			"a police beat under its station under the street"},
		{"nowhere", nav{}, "unknown units have no relatives"},
	}
	for _, tt := range tests {
		var got nav
		got.Parent, got.HasParent = tr.Parent(tt.id)
		got.Children = tr.Children(tt.id)
		got.Ancestors = tr.Ancestors(tt.id)
		got.Depth, _ = tr.Depth(tt.id)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("navigation of %s mismatch (-want +got) (%s):\n%s", tt.id, tt.reason, diff)
		}
	}
	if tr.Root() != district {
		t.Errorf("Root() = %s", tr.Root())
	}
}

func TestTree_Relations(t *testing.T) {
	tr := buildFixture(t)
	tests := []struct {
		a, b                 hierarchy.UnitID
		isAncestor, contains bool
		lca                  hierarchy.UnitID
		path                 []hierarchy.UnitID
		reason               string
	}{
		{district, household1, true, true, district,
			[]hierarchy.UnitID{district, qinhong, zhongpai, grid1, building1, household1}, "the root contains everything"},
		{household1, district, false, false, district,
			[]hierarchy.UnitID{household1, building1, grid1, zhongpai, qinhong, district}, "not upwards"},
		{zhongpai, zhongpai, false, true, zhongpai, []hierarchy.UnitID{zhongpai}, "strictly above vs contains"},
		{kangju, grid1, false, false, qinhong, []hierarchy.UnitID{kangju, qinhong, zhongpai, grid1}, "siblings' subtrees are disjoint"},
		{grid2, beat, false, false, qinhong, []hierarchy.UnitID{grid2, zhongpai, qinhong, station, beat}, "a grid and a police beat meet at the street"},
		{fzmComm, deptUM, false, false, district, []hierarchy.UnitID{fzmComm, fuzimiao, district, deptUM}, "across streets"},
		{qinhong, "nowhere", false, false, "", nil, "unknown units"},
	}
	for _, tt := range tests {
		lca, _ := tr.LCA(tt.a, tt.b)
		got := []any{tr.IsAncestor(tt.a, tt.b), tr.Contains(tt.a, tt.b), lca, tr.Path(tt.a, tt.b)}
		want := []any{tt.isAncestor, tt.contains, tt.lca, tt.path}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("IsAncestor/Contains/LCA/Path(%s, %s) mismatch (-want +got) (%s):\n%s", tt.a, tt.b, tt.reason, diff)
		}
	}
}

func TestTree_Lookups(t *testing.T) {
	tr := buildFixture(t)
	if u, ok := tr.ByCode("320104001002"); !ok || u.ID != kangju || u.Kind != hierarchy.KindTerritorial {
		t.Errorf("ByCode(320104001002) = %+v, %v; want 康居里 with its kind filled in", u, ok)
	}
	if _, ok := tr.ByCode("999"); ok {
		t.Error("ByCode(999) found a unit")
	}
	if diff := cmp.Diff([]hierarchy.UnitID{zhongpai, kangju, fzmComm}, tr.ByLevel(hierarchy.LevelCommunity)); diff != "" {
		t.Errorf("ByLevel(community) mismatch (-want +got):\n%s", diff)
	}
	if got := tr.ByLevel("village"); got != nil {
		t.Errorf("ByLevel(village) = %v", got)
	}
	if got, ok := tr.AncestorAt(household1, hierarchy.LevelStreet); !ok || got != qinhong {
		t.Errorf("AncestorAt(household, street) = %s, %v", got, ok)
	}
	if got, ok := tr.AncestorAt(zhongpai, hierarchy.LevelCommunity); !ok || got != zhongpai {
		t.Errorf("AncestorAt(community, community) = %s, %v; want itself", got, ok)
	}
	if _, ok := tr.AncestorAt(qinhong, hierarchy.LevelGrid); ok {
		t.Error("AncestorAt(street, grid) found a grid above a street")
	}
	if got, ok := tr.AncestorAt(beat, hierarchy.LevelStreet); !ok || got != qinhong {
		t.Errorf("AncestorAt(beat, street) = %s, %v; non-territorial units have territorial ancestors", got, ok)
	}
	var sub []hierarchy.UnitID
	for id := range tr.Subtree(grid1) {
		sub = append(sub, id)
	}
	want := []hierarchy.UnitID{grid1, building1, household1, household1 + "/party", building1 + "/party", grid1 + "/party"}
	if diff := cmp.Diff(want, sub); diff != "" {
		t.Errorf("Subtree(grid1) mismatch (-want +got):\n%s", diff)
	}
	if n := tr.SubtreeSize(grid1); n != len(want) {
		t.Errorf("SubtreeSize(grid1) = %d, want %d", n, len(want))
	}
	for range tr.Subtree(district) {
		break // stopping early must not panic
	}
	if got := slices.Collect(tr.Subtree("nowhere")); got != nil {
		t.Errorf("Subtree(nowhere) = %v", got)
	}
	offices := tr.Attached(qinhong, hierarchy.KindStreetOffice)
	if len(offices) != 7 || offices[5] != qinhong+"/law-enforcement" {
		t.Errorf("Attached(street, street-office) = %v, want the five departments, the bureau and the citizen centre", offices)
	}
	if got, ok := tr.Nearest(household1, hierarchy.KindCommandCentre); !ok || got != qinhong+"/command" {
		t.Errorf("Nearest(household, command-centre) = %s, want the street sub-centre (1+12+N)", got)
	}
	if got, ok := tr.Nearest(fzmComm, hierarchy.KindCommandCentre); !ok || got != fuzimiao+"/command" {
		t.Errorf("Nearest(fzmComm, command-centre) = %s", got)
	}
	if got, ok := tr.Nearest(zone, hierarchy.KindCommandCentre); !ok || got != "320104/command" {
		t.Errorf("Nearest(zone, command-centre) = %s, want the district platform: zones have no sub-centre", got)
	}
	if got, ok := tr.Nearest(qinhong+"/command", hierarchy.KindCommandCentre); !ok || got != qinhong+"/command" {
		t.Errorf("Nearest(a command centre) = %s, want itself", got)
	}
	if got, ok := tr.PartyOrg(zhongpai); !ok || got != hierarchy.PartyOrgID(zhongpai) {
		t.Errorf("PartyOrg(community) = %s, %v", got, ok)
	}
	if u, _ := tr.Unit(hierarchy.PartyOrgID(qinhong)); u.Name != "秦虹街道党工委" || u.Kind != hierarchy.KindPartyOrg {
		t.Errorf("street party org = %+v, want 秦虹街道党工委", u)
	}
	if _, ok := tr.PartyOrg(beat); ok {
		t.Error("PartyOrg(beat) found one")
	}
	if u, _ := tr.Unit(property); u.CreditCode != "91350100M000100Y43" {
		t.Errorf("organisation credit code = %q", u.CreditCode)
	}
}

func TestTree_People(t *testing.T) {
	tr := buildFixture(t)
	ids := func(ps []hierarchy.Post) []hierarchy.PostID {
		var out []hierarchy.PostID
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	tests := []struct {
		name   string
		got    any
		want   any
		reason string
	}{
		{"commanders", ids(tr.PostsIn(zhongpai, hierarchy.RoleCommander, mid2024)),
			[]hierarchy.PostID{"post-commander-1", "post-commander-2"}, "a community has two commanders (双指挥长)"},
		{"posts in community", ids(tr.PostsIn(zhongpai, "", mid2024)),
			[]hierarchy.PostID{"post-secretary", "post-commander-1", "post-commander-2"}, "empty role means any"},
		{"worker 2024", ids(tr.PostsOf(worker, mid2024)), []hierarchy.PostID{"post-grid-worker"}, "the old grid post ended on 1 January"},
		{"worker 2023", ids(tr.PostsOf(worker, before2024)), []hierarchy.PostID{"post-old-worker"}, "before the move"},
		{"branch members", ids(tr.PostsIn(branch, hierarchy.RoleMember, mid2024)),
			[]hierarchy.PostID{"post-police-branch", "post-manager-branch"}, "an action branch draws members from the police and a company"},
		{"scope of secretary", tr.ScopeOf(secretary, mid2024), []hierarchy.UnitID{zhongpai}, "two posts in one community count once"},
		{"scope of street commander", tr.ScopeOf(streetCmd, mid2024),
			[]hierarchy.UnitID{zhongpai, hierarchy.PartyOrgID(qinhong)}, "a party-committee post and a community post, in preorder"},
		{"scope of officer 2024", tr.ScopeOf(officer, mid2024), []hierarchy.UnitID{zhongpai, deptUM},
			"home department post plus the community served by secondment"},
		{"scope of officer 2025", tr.ScopeOf(officer, after2024), []hierarchy.UnitID{deptUM}, "the secondment ended"},
		{"scope of leader", tr.ScopeOf(leader, mid2024), []hierarchy.UnitID{district}, "a district leader"},
		{"leaders of household", tr.LeadersOf(household1, mid2024), []hierarchy.PersonID{leader},
			"whistle in a household's street brings its 包块 leader"},
		{"leaders of other street", tr.LeadersOf(fzmComm, mid2024), []hierarchy.PersonID(nil), "no leader took 夫子庙"},
		{"sector leaders", tr.SectorLeaders("urban-management", mid2024), []hierarchy.PersonID{leader}, "包条"},
		{"pairings", len(tr.PairingsOf(hierarchy.PartyOrgID(fzmComm), mid2024)), 1, "the community's party committee is paired"},
		{"pairings before", len(tr.PairingsOf(hierarchy.PartyOrgID(fzmComm), before2024)), 0, "not yet paired in 2023"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s mismatch (-want +got) (%s):\n%s", tt.name, tt.reason, diff)
		}
	}
	for _, tc := range []struct {
		u      hierarchy.UnitID
		in     bool
		reason string
	}{
		{household1, true, "below the community"},
		{kangju, false, "the neighbouring community"},
		{deptUM, true, "the home department"},
	} {
		if got := tr.InScope(officer, tc.u, mid2024); got != tc.in {
			t.Errorf("InScope(officer, %s) = %v, want %v (%s)", tc.u, got, tc.in, tc.reason)
		}
	}
	if tr.InScope(officer, household1, after2024) {
		t.Error("InScope after the secondment ended")
	}

	served := tr.ServedBy(zhongpai, mid2024)
	if diff := cmp.Diff([]hierarchy.PostID{"post-secretary", "post-commander-1", "post-commander-2"}, ids(served.Posts)); diff != "" {
		t.Errorf("ServedBy posts mismatch (-want +got):\n%s", diff)
	}
	if len(served.Secondments) != 1 || served.Secondments[0].Subject != hierarchy.PersonRef(officer) {
		t.Errorf("ServedBy secondments = %+v, want the officer", served.Secondments)
	}
	s := served.Secondments[0]
	if s.AppraisalUnit() != qinhong || s.AttendanceUnit() != qinhong || s.PartyRelationsUnit() != qinhong {
		t.Errorf("secondment management units = %s %s %s, want the street for all three", s.AppraisalUnit(), s.AttendanceUnit(), s.PartyRelationsUnit())
	}
	if got := tr.ServedBy(zhongpai, after2024).Secondments; got != nil {
		t.Errorf("ServedBy after the end = %v", got)
	}
	p, _ := tr.Person(secretary)
	if got := fmt.Sprint(p); got != "{p-secretary 张书记 110105********002X  true}" {
		t.Errorf("Sprint(person) = %s, want the resident ID masked", got)
	}
}

func TestTree_ActorPost(t *testing.T) {
	tr := buildFixture(t)
	if p, err := tr.ActorPost(hierarchy.Actor{Person: worker, Post: "post-grid-worker"}, mid2024); err != nil || p.Unit != grid1 {
		t.Errorf("ActorPost(worker) = %+v, %v", p, err)
	}
	for _, tc := range []struct {
		a      hierarchy.Actor
		reason string
	}{
		{hierarchy.Actor{Person: worker, Post: "post-old-worker"}, "the post ended"},
		{hierarchy.Actor{Person: police, Post: "post-grid-worker"}, "someone else's post"},
		{hierarchy.Actor{Person: worker, Post: "post-none"}, "no such post"},
	} {
		_, err := tr.ActorPost(tc.a, mid2024)
		if !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != "hierarchy.actor-post" {
			t.Errorf("ActorPost(%+v) error = %v, want ErrForbidden (%s)", tc.a, err, tc.reason)
		}
	}
}

// TestTree_RandomShapes checks the preorder numbering against a plain parent-pointer
// walk on random trees.
func TestTree_RandomShapes(t *testing.T) {
	schema := nested()
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		n := 1 + rng.IntN(200)
		parent := map[hierarchy.UnitID]hierarchy.UnitID{}
		b := hierarchy.NewBuilder(schema)
		b.AddUnit(hierarchy.Unit{ID: "u0", Name: "root", Level: "root"})
		ids := []hierarchy.UnitID{"u0"}
		for i := 1; i < n; i++ {
			id := hierarchy.UnitID(fmt.Sprintf("u%d", i))
			p := ids[rng.IntN(len(ids))]
			parent[id] = p
			ids = append(ids, id)
			b.AddUnit(hierarchy.Unit{ID: id, Name: string(id), Level: "area", Parent: p})
		}
		tr, err := b.Build()
		require.NoError(t, err)
		walk := func(id hierarchy.UnitID) []hierarchy.UnitID {
			var out []hierarchy.UnitID
			for p, ok := parent[id]; ok; p, ok = parent[p] {
				out = append(out, p)
			}
			return out
		}
		size := map[hierarchy.UnitID]int{}
		for _, x := range ids {
			size[x]++
			for _, a := range walk(x) {
				size[a]++
			}
		}
		for k := 0; k < 300; k++ {
			a, c := ids[rng.IntN(n)], ids[rng.IntN(n)]
			want := slices.Contains(walk(c), a)
			if got := tr.IsAncestor(a, c); got != want {
				t.Fatalf("seed %d: IsAncestor(%s, %s) = %v, want %v", seed, a, c, got, want)
			}
			if got, want := tr.Ancestors(c), walk(c); !slices.Equal(got, want) {
				t.Fatalf("seed %d: Ancestors(%s) = %v, want %v", seed, c, got, want)
			}
			lca, _ := tr.LCA(a, c)
			up := append([]hierarchy.UnitID{c}, walk(c)...)
			wantLCA := a
			for _, x := range append([]hierarchy.UnitID{a}, walk(a)...) {
				if slices.Contains(up, x) {
					wantLCA = x
					break
				}
			}
			if lca != wantLCA {
				t.Fatalf("seed %d: LCA(%s, %s) = %s, want %s", seed, a, c, lca, wantLCA)
			}
			if got := len(slices.Collect(tr.Subtree(a))); got != size[a] || tr.SubtreeSize(a) != size[a] {
				t.Fatalf("seed %d: Subtree(%s) has %d units, want %d", seed, a, got, size[a])
			}
		}
	}
}
