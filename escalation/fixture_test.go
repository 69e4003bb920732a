package escalation_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// caseOpts compares cases on what they say, not on Apply's bookkeeping behind their
// history, as the Case doc recommends.
var caseOpts = cmpopts.IgnoreUnexported(escalation.Case{})

var cst = time.FixedZone("CST", 8*3600)

// at returns a wall-clock instant in Nanjing.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, cst) }

// Units of the fixture: a district with two streets, three communities, four grids,
// three departments, a police station with a beat.
const (
	district = hierarchy.UnitID("320104")
	qinhong  = hierarchy.UnitID("320104001") // 秦虹街道
	fuzimiao = hierarchy.UnitID("320104002") // 夫子庙街道
	zhongpai = hierarchy.UnitID("320104001001")
	kangju   = hierarchy.UnitID("320104001002")
	fzmComm  = hierarchy.UnitID("320104002001")
	grid1    = hierarchy.UnitID("320104001001-G01")
	grid2    = hierarchy.UnitID("320104001001-G02")
	grid3    = hierarchy.UnitID("320104001002-G01")
	grid4    = hierarchy.UnitID("320104002001-G01")
	deptUM   = hierarchy.UnitID("dept-urban-management") // 区城管局
	deptWat  = hierarchy.UnitID("dept-water")            // 区水务局
	deptRoad = hierarchy.UnitID("dept-roads")            // 市政道路
	station  = hierarchy.UnitID("ps-qinhong")
	beat1    = hierarchy.UnitID("ps-qinhong/beat-1")

	districtCmd = hierarchy.UnitID("320104/command")
	qinhongCmd  = hierarchy.UnitID("320104001/command")
	qinhongLaw  = hierarchy.UnitID("320104001/law-enforcement")
	qinhongUM   = hierarchy.UnitID("320104001/urban-management")
	qinhongPB   = hierarchy.UnitID("320104001/peace-building")
	fuzimiaoCmd = hierarchy.UnitID("320104002/command")
	fuzimiaoLaw = hierarchy.UnitID("320104002/law-enforcement")
)

// people maps each person of the fixture to the unit and role of their one post
// "p-<person>".
var people = []struct {
	person hierarchy.PersonID
	unit   hierarchy.UnitID
	role   hierarchy.Role
}{
	{"gw1", grid1, hierarchy.RoleGridWorker},
	{"gw2", grid1, hierarchy.RoleGridWorker},
	{"gw3", grid4, hierarchy.RoleGridWorker},
	{"gh4", grid4, hierarchy.RoleGridHead},
	{"gh1", grid1, hierarchy.RoleGridHead},
	{"zpdir", zhongpai, hierarchy.RoleDirector},
	{"zpsec", zhongpai, hierarchy.RoleSecretary},
	{"kjdir", kangju, hierarchy.RoleDirector},
	{"qhdisp", qinhongCmd, hierarchy.RoleDispatcher},
	{"qhdisp2", qinhongCmd, hierarchy.RoleDispatcher},
	{"qhinsp", qinhongCmd, hierarchy.RoleInspector},
	{"qhhead", qinhong, hierarchy.RoleDirector},
	{"qhlaw1", qinhongLaw, hierarchy.RoleEnforcementOfficer},
	{"qhlaw2", qinhongLaw, hierarchy.RoleEnforcementOfficer},
	{"qhum1", qinhongUM, hierarchy.RoleStaff},
	{"fzdisp", fuzimiaoCmd, hierarchy.RoleDispatcher},
	{"fzlaw1", fuzimiaoLaw, hierarchy.RoleEnforcementOfficer},
	{"ddisp", districtCmd, hierarchy.RoleDispatcher},
	{"ddir", district, hierarchy.RoleDirector},
	{"um1", deptUM, hierarchy.RoleStaff},
	{"um2", deptUM, hierarchy.RoleStaff},
	{"umdisp", deptUM, hierarchy.RoleDispatcher},
	{"wat1", deptWat, hierarchy.RoleStaff},
	{"road1", deptRoad, hierarchy.RoleStaff},
	{"cop1", beat1, hierarchy.RoleCommunityPolice},
	{"psstaff", station, hierarchy.RoleStaff},
	{"lead1", district, hierarchy.RoleLeader},
	{"lead2", district, hierarchy.RoleLeader},
}

// act returns the actor of person p in their post.
func act(p hierarchy.PersonID) hierarchy.Actor {
	return hierarchy.Actor{Person: p, Post: hierarchy.PostID("p-" + string(p))}
}

var system = hierarchy.Actor{}

var (
	treeOnce sync.Once
	theTree  *hierarchy.Tree
	treeErr  error
)

// tree returns the fixture's organisation tree, built once and shared (it is
// immutable).
func tree(tb testing.TB) *hierarchy.Tree {
	tb.Helper()
	treeOnce.Do(func() {
		b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
		for _, u := range []hierarchy.Unit{
			{ID: district, Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict},
			{ID: qinhong, Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: district},
			{ID: fuzimiao, Code: "320104002", Name: "夫子庙街道", Level: hierarchy.LevelStreet, Parent: district},
			{ID: zhongpai, Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
			{ID: kangju, Code: "320104001002", Name: "康居里社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
			{ID: fzmComm, Code: "320104002001", Name: "夫子庙社区", Level: hierarchy.LevelCommunity, Parent: fuzimiao},
			{ID: grid1, Name: "中牌楼第一网格", Level: hierarchy.LevelGrid, Parent: zhongpai},
			{ID: grid2, Name: "中牌楼第二网格", Level: hierarchy.LevelGrid, Parent: zhongpai},
			{ID: grid3, Name: "康居里第一网格", Level: hierarchy.LevelGrid, Parent: kangju},
			{ID: grid4, Name: "夫子庙第一网格", Level: hierarchy.LevelGrid, Parent: fzmComm},
			{ID: deptUM, Name: "区城管局", Kind: hierarchy.KindDepartment, Parent: district},
			{ID: deptWat, Name: "区水务局", Kind: hierarchy.KindDepartment, Parent: district},
			{ID: deptRoad, Name: "市政道路管理处", Kind: hierarchy.KindDepartment, Parent: district},
			{ID: station, Name: "秦虹派出所", Kind: hierarchy.KindPoliceStation, Parent: qinhong},
			{ID: beat1, Name: "中牌楼警务区", Kind: hierarchy.KindPoliceBeat, Parent: station},
		} {
			b.AddUnit(u)
		}
		b.AddOffices()
		for _, p := range people {
			b.AddPerson(hierarchy.Person{ID: p.person, Name: string(p.person)})
			b.AddPost(hierarchy.Post{ID: hierarchy.PostID("p-" + string(p.person)), Person: p.person, Unit: p.unit, Role: p.role, FullTime: true})
		}
		b.AddAssignment(hierarchy.Assignment{ID: "a-lead1", Leader: "lead1", Type: hierarchy.AssignArea, Unit: qinhong})
		b.AddAssignment(hierarchy.Assignment{ID: "a-lead2", Leader: "lead2", Type: hierarchy.AssignArea, Unit: fuzimiao})
		for _, g := range hierarchy.QinhuaiGrants(district) {
			b.AddGrant(g)
		}
		theTree, treeErr = b.Build()
	})
	require.NoError(tb, treeErr)
	return theTree
}

// policy returns Qinhuai's default policy with the fixture's departments in the routing
// table and asset layer.
func policy() escalation.Policy {
	p := escalation.QinhuaiPolicy()
	p.Routing.Table = append(p.Routing.Table,
		escalation.Route{Category: "C01", Owner: deptWat},
		escalation.Route{Category: "C02", Owner: deptUM},
	)
	p.Routing.Roads = map[string]hierarchy.UnitID{"中山南路": deptRoad}
	p.Routing.Assets = map[string]hierarchy.UnitID{"lamp-0042": deptRoad}
	return p
}

// beats answers for grid1 with the officer of beat 1.
var beats = escalation.BeatsByUnit{grid1: {Unit: beat1, Officer: "cop1"}}

// env returns the decision environment with actor a.
func env(tb testing.TB, a hierarchy.Actor) escalation.Env {
	return escalation.Env{Tree: tree(tb), Calendar: calendar.Default(), Beats: beats, Actor: a}
}

// step is one command of a scenario: who, what, when.
type step struct {
	who hierarchy.Actor
	cmd escalation.Command
	at  time.Time
}

// run applies steps to c in order under p and fails the test on the first refusal.
func run(tb testing.TB, p *escalation.Policy, c escalation.Case, steps ...step) escalation.Case {
	tb.Helper()
	for i, s := range steps {
		next, _, err := p.Apply(c, s.cmd, s.at, env(tb, s.who))
		if err != nil {
			tb.Fatalf("step %d: Apply(%T by %s at %s): %v", i, s.cmd, s.who.Person, s.at.Format(time.DateTime), err)
		}
		c = next
	}
	return c
}

// serve puts steps through s in order, each at its time on clock; a Report step files
// the case, the others are commands on case id. It fails the test on the first refusal.
func serve(tb testing.TB, s *escalation.Service, clock *gridgov.ManualClock, id escalation.CaseID, steps ...step) {
	tb.Helper()
	ctx := context.Background()
	for i, st := range steps {
		clock.Set(st.at)
		var err error
		if r, ok := st.cmd.(escalation.Report); ok {
			_, _, err = s.Report(ctx, st.who, r)
		} else {
			_, _, err = s.Do(ctx, id, st.who, st.cmd)
		}
		if err != nil {
			tb.Fatalf("step %d: %T by %s at %s on %s: %v", i, st.cmd, st.who.Person, st.at.Format(time.DateTime), id, err)
		}
	}
}

// t0 is Monday 22 September 2025, 09:00 in Nanjing.
var t0 = at(2025, 9, 22, 9, 0)

// report is an ordinary stall found on patrol in grid1.
func report(id escalation.CaseID) escalation.Report {
	return escalation.Report{ID: id, Source: escalation.SourcePatrol, Category: "E05", Summary: "占道经营",
		Location: escalation.Location{Unit: grid1, Address: "中山南路 1 号"}}
}

// loop returns the steps of the whole closed loop of an ordinary case: gw1 reports,
// the street files and dispatches to its law-enforcement bureau, qhlaw1 accepts and
// reports back, gw2 verifies, the street closes. Each step is an hour after the last.
func loop(id escalation.CaseID, start time.Time) []step {
	h := func(n int) time.Time { return start.Add(time.Duration(n) * time.Hour) }
	return []step{
		{act("gw1"), report(id), h(0)},
		{act("qhdisp"), escalation.File{}, h(1)},
		{act("qhdisp"), escalation.Dispatch{}, h(2)},
		{act("qhlaw1"), escalation.Accept{}, h(3)},
		{act("qhlaw1"), escalation.ReportBack{Note: "摊位已清理"}, h(4)},
		{act("gw2"), escalation.Verify{Passed: true}, h(5)},
		{act("qhdisp"), escalation.Close{}, h(6)},
	}
}
