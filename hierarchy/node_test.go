package hierarchy_test

import (
	"testing"

	"github.com/gridgov/gridgov/hierarchy"
)

func TestNode(t *testing.T) {
	tr := buildFixture(t)
	other := buildFixture(t)
	d, g, k := tr.Node(district), tr.Node(grid1), tr.Node(kangju)
	var zero hierarchy.Node
	tests := []struct {
		name   string
		got    bool
		want   bool
		reason string
	}{
		{"district above grid", d.IsAncestorOf(g), true, "same answer as IsAncestor"},
		{"grid above district", g.IsAncestorOf(d), false, "not upwards"},
		{"contains self", g.Contains(g), true, "Contains includes the unit"},
		{"ancestor of self", g.IsAncestorOf(g), false, "strictly above"},
		{"sibling", k.Contains(g), false, "康居里 does not contain 中牌楼's grid"},
		{"other tree", d.IsAncestorOf(other.Node(grid1)), false, "nodes of two trees never compare"},
		{"other tree contains", d.Contains(other.Node(district)), false, "not even the same ID"},
		{"zero", zero.Contains(zero) || zero.IsAncestorOf(g) || d.Contains(zero), false, "the zero Node relates to nothing"},
		{"unknown", tr.Node("nowhere").Valid(), false, "unknown IDs give the zero Node"},
		{"valid", g.Valid(), true, "known IDs give a valid Node"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v (%s)", tt.name, tt.got, tt.want, tt.reason)
		}
	}
	if u, ok := g.Unit(); !ok || u.ID != grid1 || g.ID() != grid1 {
		t.Errorf("Unit() = %+v, %v; ID() = %s", u, ok, g.ID())
	}
	if _, ok := zero.Unit(); ok || zero.ID() != "" {
		t.Error("the zero Node has a unit")
	}
}

func TestActiveAt(t *testing.T) {
	p := hierarchy.Post{Start: day(2024, 1, 1), End: day(2025, 1, 1)}
	open := hierarchy.Post{Start: day(2024, 1, 1)}
	always := hierarchy.Post{}
	tests := []struct {
		name   string
		got    bool
		want   bool
		reason string
	}{
		{"at start", p.ActiveAt(day(2024, 1, 1)), true, "Start is included"},
		{"just before start", p.ActiveAt(day(2024, 1, 1).Add(-1)), false, "before Start"},
		{"at end", p.ActiveAt(day(2025, 1, 1)), false, "End is excluded"},
		{"just before end", p.ActiveAt(day(2025, 1, 1).Add(-1)), true, "the last instant"},
		{"open-ended", open.ActiveAt(day(2099, 1, 1)), true, "a zero End never ends"},
		{"since always", always.ActiveAt(day(1900, 1, 1)), true, "a zero Start means since always"},
		{"secondment", hierarchy.Secondment{End: day(2024, 1, 1)}.ActiveAt(day(2024, 1, 1)), false, "same rule for every dated item"},
		{"grant", hierarchy.Grant{Start: day(2024, 1, 1)}.ActiveAt(day(2024, 1, 1)), true, "same rule for grants"},
		{"pairing", hierarchy.Pairing{Start: day(2024, 1, 1)}.ActiveAt(day(2023, 1, 1)), false, "and pairings"},
		{"assignment", hierarchy.Assignment{End: day(2024, 1, 1)}.ActiveAt(day(2023, 1, 1)), true, "and assignments"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: ActiveAt = %v, want %v (%s)", tt.name, tt.got, tt.want, tt.reason)
		}
	}
	if r := hierarchy.UnitRef("320104"); r.String() != "unit:320104" || r.IsZero() {
		t.Errorf("UnitRef = %q", r)
	}
	if r := (hierarchy.Ref{}); r.String() != "" || !r.IsZero() {
		t.Errorf("zero Ref = %q", r)
	}
}

func TestTree_Accessors(t *testing.T) {
	b := fixture(t)
	// A whole unit sent down: the police beat serves 康居里 in 2024.
	b.AddSecondment(hierarchy.Secondment{ID: "sec-beat", Subject: hierarchy.UnitRef(beat), Home: station, Serving: kangju,
		Start: day(2024, 1, 1), End: day(2025, 1, 1)})
	tr, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.SecondmentsOf(hierarchy.UnitRef(beat), mid2024); len(got) != 1 || got[0].ID != "sec-beat" {
		t.Errorf("SecondmentsOf(beat) = %+v", got)
	}
	if got := tr.SecondmentsOf(hierarchy.Ref{Kind: "post", ID: "x"}, mid2024); got != nil {
		t.Errorf("SecondmentsOf(post ref) = %+v", got)
	}
	if s, _ := tr.Secondment("sec-beat"); s.AppraisalUnit() != station {
		t.Errorf("AppraisalUnit() = %s, want the home unit when none is named", s.AppraisalUnit())
	}
	for _, tc := range []struct {
		subject hierarchy.Ref
		want    bool
		reason  string
	}{
		{hierarchy.UnitRef(beat), true, "the seconded unit"},
		{hierarchy.PersonRef(police), true, "a person posted in the seconded unit"},
		{hierarchy.UnitRef(station), false, "the home station is not seconded"},
	} {
		if got := tr.HasRight(hierarchy.UnitRef(kangju), hierarchy.RightReverseEvaluate, tc.subject, mid2024); got != tc.want {
			t.Errorf("HasRight(康居里, reverse-evaluate, %s) = %v, want %v (%s)", tc.subject, got, tc.want, tc.reason)
		}
	}
	if p, ok := tr.Pairing("pair-ms-fzm"); !ok || p.Department != hierarchy.PartyOrgID(deptMS) {
		t.Errorf("Pairing() = %+v, %v", p, ok)
	}
	if a, ok := tr.Assignment("asg-sector"); !ok || a.Sector != "urban-management" {
		t.Errorf("Assignment() = %+v, %v", a, ok)
	}
	g, ok := tr.Grant("qinhuai/community-reverse-evaluate")
	if !ok || g.Relation != hierarchy.RelationSeconded || g.HolderLevel != hierarchy.LevelCommunity {
		t.Errorf("Grant() = %+v, %v", g, ok)
	}
	for _, miss := range []bool{
		func() bool { _, ok := tr.Pairing("x"); return ok }(),
		func() bool { _, ok := tr.Assignment("x"); return ok }(),
		func() bool { _, ok := tr.Grant("x"); return ok }(),
		func() bool { _, ok := tr.Secondment("x"); return ok }(),
		func() bool { _, ok := tr.Person("x"); return ok }(),
		func() bool { _, ok := tr.Post("x"); return ok }(),
		func() bool { _, ok := tr.Unit("x"); return ok }(),
	} {
		if miss {
			t.Error("an unknown ID was found")
		}
	}
	// Grants handed out are copies: changing one does not change the tree.
	b2 := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b2.AddUnit(hierarchy.Unit{ID: "D", Code: "320104", Name: "d", Level: hierarchy.LevelDistrict})
	b2.AddUnit(hierarchy.Unit{ID: "S", Code: "320104001", Name: "s", Level: hierarchy.LevelStreet, Parent: "D"})
	roles := []hierarchy.Role{hierarchy.RoleSecretary}
	b2.AddGrant(hierarchy.Grant{ID: "g", Right: "r", Holder: hierarchy.UnitRef("D"), HolderRoles: roles, Subject: hierarchy.UnitRef("S")})
	roles[0] = "changed"
	t2, err := b2.Build()
	if err != nil {
		t.Fatal(err)
	}
	g2, _ := t2.Grant("g")
	g2.HolderRoles[0] = "changed again"
	if g3, _ := t2.Grant("g"); g3.HolderRoles[0] != hierarchy.RoleSecretary {
		t.Errorf("HolderRoles = %v, want the value added, unaffected by later changes", g3.HolderRoles)
	}
	if t2.Schema().Name != "qinhuai" || b2.Schema().Name != "qinhuai" || b2.Len() != 2 {
		t.Error("Schema()/Len() wrong")
	}
}
