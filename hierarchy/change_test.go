package hierarchy_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

var (
	v1Effective = day(2020, 1, 1)
	v2Effective = day(2024, 3, 1)
)

// renumbering is a change set in the spirit of the register's renumbering of Qinhuai's
// streets: 秦虹 gets a new code and so do its communities; a grid moves to the
// neighbouring community, a new grid is added, the old grid-worker post is removed, the
// secretary's post ends and the district leader's audit grant is added.
func renumbering() hierarchy.ChangeSet {
	return hierarchy.ChangeSet{
		ID: "2024-renumber", Effective: v2Effective, Note: "register edition 2024",
		Units: []hierarchy.Unit{
			{ID: qinhong, Code: "320104013", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: district},
			{ID: zhongpai, Code: "320104013001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
			{ID: kangju, Code: "320104013002", Name: "康居里社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
			{ID: grid2, Name: "第二网格", Level: hierarchy.LevelGrid, Parent: kangju},
			{ID: "320104001002-G01", Name: "康居里第一网格", Level: hierarchy.LevelGrid, Parent: kangju},
		},
		Posts: []hierarchy.Post{
			{ID: "post-secretary", Person: secretary, Unit: zhongpai, Role: hierarchy.RoleSecretary, FullTime: true, End: v2Effective},
		},
		RemovePosts: []hierarchy.PostID{"post-old-worker"},
		Grants: []hierarchy.Grant{{ID: "audit", Right: "audit", Holder: hierarchy.PersonRef(leader),
			Subject: hierarchy.UnitRef(qinhong)}},
	}
}

func history(tb testing.TB) *hierarchy.History {
	tb.Helper()
	h, err := hierarchy.NewHistory(hierarchy.QinhuaiSchema()).Apply(buildFixture(tb).ChangeSet("base", v1Effective))
	require.NoError(tb, err)
	h, err = h.Apply(renumbering())
	require.NoError(tb, err)
	return h
}

func TestHistory_AsOf(t *testing.T) {
	h := history(t)
	tests := []struct {
		at      time.Time
		version int // 0: none
		code    string
		reason  string
	}{
		{day(2019, 12, 31), 0, "", "before the first version"},
		{v1Effective, 1, "320104001", "the first version takes effect at its instant"},
		{v2Effective.Add(-time.Nanosecond), 1, "320104001", "the old code until the change"},
		{v2Effective, 2, "320104013", "the new code from the change"},
		{day(2030, 1, 1), 2, "320104013", "the latest version stays in force"},
	}
	for _, tt := range tests {
		tr, ok := h.AsOf(tt.at)
		if tt.version == 0 {
			if ok {
				t.Errorf("AsOf(%v) = version %d, want none (%s)", tt.at, tr.Version(), tt.reason)
			}
			continue
		}
		if !ok || tr.Version() != tt.version {
			t.Fatalf("AsOf(%v) = %v, want version %d (%s)", tt.at, ok, tt.version, tt.reason)
		}
		if u, _ := tr.Unit(qinhong); u.Code != tt.code {
			t.Errorf("AsOf(%v) street code = %s, want %s (%s)", tt.at, u.Code, tt.code, tt.reason)
		}
	}
	v1, _ := h.Version(1)
	v2, _ := h.Latest()
	if !v1.Effective().Equal(v1Effective) || !v2.Effective().Equal(v2Effective) || h.Len() != 2 {
		t.Errorf("versions: %v %v len %d", v1.Effective(), v2.Effective(), h.Len())
	}
	if p, _ := v1.Parent(grid2); p != zhongpai {
		t.Errorf("v1 parent of grid2 = %s, want 中牌楼", p)
	}
	if p, _ := v2.Parent(grid2); p != kangju {
		t.Errorf("v2 parent of grid2 = %s, want 康居里", p)
	}
	if _, ok := v2.ByCode("320104001001"); ok {
		t.Error("v2 still finds the old community code")
	}
	if _, ok := h.Version(3); ok {
		t.Error("Version(3) exists")
	}
	if got := h.ChangeSets(); len(got) != 2 || got[1].ID != "2024-renumber" {
		t.Errorf("ChangeSets() = %d sets", len(got))
	}
}

func TestDiff(t *testing.T) {
	h := history(t)
	v1, _ := h.Version(1)
	v2, _ := h.Version(2)
	d := hierarchy.Diff(v1, v2)
	type row struct {
		Op hierarchy.DeltaOp
		ID string
	}
	var got []row
	for _, x := range d.Units {
		id := x.After.ID
		if x.Op == hierarchy.Removed {
			id = x.Before.ID
		}
		got = append(got, row{x.Op, string(id)})
	}
	for _, x := range d.Posts {
		id := x.After.ID
		if x.Op == hierarchy.Removed {
			id = x.Before.ID
		}
		got = append(got, row{x.Op, string(id)})
	}
	for _, x := range d.Grants {
		got = append(got, row{x.Op, x.After.ID})
	}
	want := []row{
		{hierarchy.Changed, string(qinhong)},
		{hierarchy.Changed, string(zhongpai)},
		{hierarchy.Changed, string(grid2)},
		{hierarchy.Changed, string(kangju)},
		{hierarchy.Added, "320104001002-G01"},
		{hierarchy.Changed, "post-secretary"},
		{hierarchy.Removed, "post-old-worker"},
		{hierarchy.Added, "audit"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff(v1, v2) mismatch (-want +got):\n%s", diff)
	}
	if d.Units[2].Before.Parent != zhongpai || d.Units[2].After.Parent != kangju {
		t.Errorf("grid2 delta = %+v, want the move from 中牌楼 to 康居里", d.Units[2])
	}
	if len(d.Persons)+len(d.Secondments)+len(d.Pairings)+len(d.Assignments) != 0 {
		t.Errorf("Diff reports unchanged kinds: %+v", d)
	}
	if !hierarchy.Diff(v2, v2).IsEmpty() || hierarchy.Diff(v1, v2).IsEmpty() {
		t.Error("IsEmpty wrong")
	}
	if d := hierarchy.Diff(nil, v1); len(d.Units) != v1.Len() || d.Units[0].Op != hierarchy.Added {
		t.Errorf("Diff(nil, v1) has %d units, want all %d added", len(d.Units), v1.Len())
	}
	// Times in another location but at the same instant are not a change.
	b := hierarchy.NewBuilderFrom(v2)
	b2 := hierarchy.NewBuilderFrom(v2)
	b2.AddPost(hierarchy.Post{ID: "post-x", Person: worker, Unit: grid1, Role: hierarchy.RoleStaff, Start: day(2024, 1, 1).UTC()})
	b.AddPost(hierarchy.Post{ID: "post-x", Person: worker, Unit: grid1, Role: hierarchy.RoleStaff, Start: day(2024, 1, 1)})
	ta, err := b.Build()
	require.NoError(t, err)
	tb, err := b2.Build()
	require.NoError(t, err)
	if d := hierarchy.Diff(ta, tb); !d.IsEmpty() {
		t.Errorf("Diff of equal instants in two locations = %+v", d)
	}
}

func TestHistory_Apply_Errors(t *testing.T) {
	h := history(t)
	latest, _ := h.Latest()
	tests := []struct {
		name   string
		cs     hierarchy.ChangeSet
		kind   error
		rules  []string
		reason string
	}{
		{"ErrNoID", hierarchy.ChangeSet{Effective: day(2025, 1, 1)}, gridgov.ErrInvalid,
			[]string{hierarchy.RuleMissing}, "a change set needs an ID"},
		{"ErrNoEffective", hierarchy.ChangeSet{ID: "x"}, gridgov.ErrInvalid,
			[]string{hierarchy.RuleMissing}, "and an effective time"},
		{"ErrDuplicate", hierarchy.ChangeSet{ID: "base", Effective: day(2025, 1, 1)}, gridgov.ErrInvalid,
			[]string{hierarchy.RuleDuplicateID}, "IDs are unique within a history"},
		{"ErrBackDated", hierarchy.ChangeSet{ID: "late", Effective: day(2023, 1, 1)}, gridgov.ErrPrecondition,
			[]string{hierarchy.RuleBackDated}, "before the latest version"},
		{"ErrRemoveMissing", hierarchy.ChangeSet{ID: "x", Effective: day(2025, 1, 1),
			RemoveUnits: []hierarchy.UnitID{"nowhere"}, RemoveGrants: []string{"nope"}}, gridgov.ErrInvalid,
			[]string{hierarchy.RuleDangling, hierarchy.RuleDangling}, "only existing items can be removed"},
		{"ErrRemoveParent", hierarchy.ChangeSet{ID: "x", Effective: day(2025, 1, 1),
			RemoveUnits: []hierarchy.UnitID{building1}}, gridgov.ErrInvalid,
			[]string{hierarchy.RuleDangling, hierarchy.RuleDangling}, "the household and the building's party group lose their parent"},
		{"ErrBadMove", hierarchy.ChangeSet{ID: "x", Effective: day(2025, 1, 1),
			Units: []hierarchy.Unit{{ID: grid1, Name: "第一网格", Level: hierarchy.LevelGrid, Parent: qinhong}}}, gridgov.ErrInvalid,
			[]string{hierarchy.RuleLevel}, "a grid cannot move directly under a street"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h2, err := h.Apply(tt.cs)
			if !errors.Is(err, tt.kind) || h2 != nil {
				t.Fatalf("Apply() = %v, %v; want %v (%s)", h2, err, tt.kind, tt.reason)
			}
			var rules []string
			for _, p := range problems(err) {
				rules = append(rules, p.Rule)
			}
			if diff := cmp.Diff(tt.rules, rules); diff != "" {
				t.Errorf("Apply() rules mismatch (-want +got) (%s):\n%s", tt.reason, diff)
			}
			if l, _ := h.Latest(); h.Len() != 2 || l != latest {
				t.Error("a failed Apply changed the history")
			}
		})
	}
	// The tree-level Apply never touches its receiver either.
	if _, err := latest.Apply(tests[6].cs); err == nil {
		t.Error("Tree.Apply accepted a bad move")
	}
	if p, _ := latest.Parent(grid1); p != zhongpai {
		t.Errorf("grid1 moved to %s after a failed Apply", p)
	}
	next, err := latest.Apply(hierarchy.ChangeSet{ID: "ok", Effective: day(2025, 1, 1), RemoveUnits: []hierarchy.UnitID{household1 + "/party", household1}})
	require.NoError(t, err)
	if next.Len() != latest.Len()-2 || latest.Len() != 47 {
		t.Errorf("Apply(remove 2) = %d units from %d", next.Len(), latest.Len())
	}
	if _, ok := latest.Unit(household1); !ok {
		t.Error("the receiver lost the household")
	}
}
