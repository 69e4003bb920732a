package hierarchy_test

import (
	"fmt"
	"os"
	"time"

	"github.com/gridgov/gridgov/hierarchy"
)

// qinhuai builds Qinhuai from the statistical division register, with party
// organisations and the streets' standard offices.
func qinhuai() *hierarchy.Builder {
	f, err := os.Open("testdata/qinhuai-divisions.csv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	b, err := hierarchy.LoadDivisionsCSV(f, hierarchy.QinhuaiSchema())
	if err != nil {
		panic(err)
	}
	b.AddPartyOrgs()
	b.AddOffices()
	return b
}

// Build Qinhuai district from the division-code file and walk it.
func ExampleLoadDivisionsCSV() {
	tree, err := qinhuai().Build()
	if err != nil {
		panic(err)
	}
	fmt.Println("streets:", len(tree.ByLevel(hierarchy.LevelStreet)),
		"zones:", len(tree.ByLevel(hierarchy.LevelZone)),
		"communities:", len(tree.ByLevel(hierarchy.LevelCommunity)))

	c, _ := tree.ByCode("320104001001")
	fmt.Println(c.Name, "is in", tree.Ancestors(c.ID))
	party, _ := tree.PartyOrg("320104001")
	street, _ := tree.Unit(party)
	fmt.Println("led by", street.Name)
	cc, _ := tree.Nearest(c.ID, hierarchy.KindCommandCentre)
	fmt.Println("command sub-centre:", cc)
	fmt.Println(tree.IsAncestor("320104001", "320104001001"), tree.IsAncestor("320104002", "320104001001"))
	// Output:
	// streets: 12 zones: 4 communities: 108
	// 中牌楼社区居委会 is in [320104001 320104]
	// led by 秦虹街道党工委
	// command sub-centre: 320104001/command
	// true false
}

// Who may evaluate an enforcement officer sent down (下沉) to a community? The
// community reverse-evaluates (反向评价) while the secondment lasts; the street holds the
// officer's appraisal.
func ExampleTree_HoldersOf() {
	b := qinhuai()
	b.AddUnit(hierarchy.Unit{ID: "urban-management", Name: "区城管局", Kind: hierarchy.KindDepartment, Parent: "320104"})
	b.AddPerson(hierarchy.Person{ID: "officer", Name: "钱队员"})
	b.AddPost(hierarchy.Post{ID: "officer-post", Person: "officer", Unit: "urban-management",
		Role: hierarchy.RoleEnforcementOfficer, FullTime: true})
	b.AddSecondment(hierarchy.Secondment{
		ID: "sunk-1", Subject: hierarchy.PersonRef("officer"), Home: "urban-management",
		Serving:        "320104001001", // 中牌楼社区
		PartyRelations: "320104001", Attendance: "320104001", Appraisal: "320104001",
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	for _, g := range hierarchy.QinhuaiGrants("320104") {
		b.AddGrant(g)
	}
	tree, err := b.Build()
	if err != nil {
		panic(err)
	}
	officer := hierarchy.PersonRef("officer")
	during := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	after := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

	fmt.Println("reverse evaluation:", tree.HoldersOf(hierarchy.RightReverseEvaluate, officer, during))
	fmt.Println("neighbour may:", tree.HasRight(hierarchy.UnitRef("320104001002"), hierarchy.RightReverseEvaluate, officer, during))
	fmt.Println("after the secondment:", tree.HoldersOf(hierarchy.RightReverseEvaluate, officer, after))
	s, _ := tree.Secondment("sunk-1")
	fmt.Println("appraised by:", s.AppraisalUnit())
	// Output:
	// reverse evaluation: [unit:320104001001]
	// neighbour may: false
	// after the secondment: []
	// appraised by: 320104001
}

// Read the tree as it was before a change took effect.
func ExampleHistory_AsOf() {
	tree, err := qinhuai().Build()
	if err != nil {
		panic(err)
	}
	h, err := hierarchy.NewHistory(tree.Schema()).Apply(tree.ChangeSet("register-2020", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	// From 1 July 2024 the virtual community of the 高新园区 zone moves under 秦虹街道.
	moved, _ := tree.Unit("320104401498")
	moved.Parent, moved.Code = "320104001", "320104001498"
	h, err = h.Apply(hierarchy.ChangeSet{ID: "move-2024", Effective: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC),
		Units: []hierarchy.Unit{moved}})
	if err != nil {
		panic(err)
	}
	for _, at := range []time.Time{time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)} {
		t, _ := h.AsOf(at)
		p, _ := t.Parent("320104401498")
		u, _ := t.Unit("320104401498")
		fmt.Println(at.Format(time.DateOnly), "version", t.Version(), "parent", p, "code", u.Code)
	}
	v1, _ := h.Version(1)
	v2, _ := h.Version(2)
	for _, d := range hierarchy.Diff(v1, v2).Units {
		fmt.Println(d.Op, d.Before.ID, d.Before.Parent, "→", d.After.Parent)
	}
	// Output:
	// 2024-06-30 version 1 parent 320104401 code 320104401498
	// 2024-07-01 version 2 parent 320104001 code 320104001498
	// changed 320104401498 320104401 → 320104001
}
