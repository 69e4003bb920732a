package hierarchy_test

import (
	"errors"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/identity"
)

var cst = time.FixedZone("CST", 8*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }

// Instants the fixture's dates are chosen around.
var (
	before2024 = day(2023, 6, 1)
	mid2024    = day(2024, 6, 1)
	after2024  = day(2025, 6, 1)
)

// IDs of the fixture.
const (
	district   = hierarchy.UnitID("320104")
	qinhong    = hierarchy.UnitID("320104001") // 秦虹街道
	fuzimiao   = hierarchy.UnitID("320104002") // 夫子庙街道
	zone       = hierarchy.UnitID("320104400")
	zhongpai   = hierarchy.UnitID("320104001001") // 中牌楼社区
	kangju     = hierarchy.UnitID("320104001002") // 康居里社区
	fzmComm    = hierarchy.UnitID("320104002001")
	grid1      = hierarchy.UnitID("320104001001-G01")
	grid2      = hierarchy.UnitID("320104001001-G02")
	building1  = hierarchy.UnitID("320104001001-G01-B01")
	household1 = hierarchy.UnitID("320104001001-G01-B01-H0101")
	deptUM     = hierarchy.UnitID("dept-urban-management") // 区城管局
	deptMS     = hierarchy.UnitID("dept-market-supervision")
	station    = hierarchy.UnitID("ps-qinhong") // 秦虹派出所
	beat       = hierarchy.UnitID("ps-qinhong-beat-1")
	branch     = hierarchy.UnitID("zhongpai-action-branch") // 行动党支部
	property   = hierarchy.UnitID("org-property")

	secretary = hierarchy.PersonID("p-secretary") // community secretary and commander
	streetCmd = hierarchy.PersonID("p-street-commander")
	worker    = hierarchy.PersonID("p-grid-worker")
	police    = hierarchy.PersonID("p-police")
	officer   = hierarchy.PersonID("p-officer") // enforcement officer sent down to 中牌楼
	leader    = hierarchy.PersonID("p-leader")
	firstSec  = hierarchy.PersonID("p-first-secretary")
	manager   = hierarchy.PersonID("p-property-manager")
)

// fixture returns a builder holding a small Qinhuai: two streets and a zone, three
// communities, grids, a building and a household, two departments, a police station and
// beat, an action branch with members from several organisations, people, posts, a
// secondment, a pairing, leader assignments and Qinhuai's grants.
func fixture(tb testing.TB) *hierarchy.Builder {
	tb.Helper()
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	for _, u := range []hierarchy.Unit{
		{ID: district, Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict},
		{ID: qinhong, Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: district},
		{ID: fuzimiao, Code: "320104002", Name: "夫子庙街道", Level: hierarchy.LevelStreet, Parent: district},
		{ID: zone, Code: "320104400", Name: "夫子庙秦淮风光带", Level: hierarchy.LevelZone, Parent: district},
		{ID: zhongpai, Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
		{ID: kangju, Code: "320104001002", Name: "康居里社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
		{ID: fzmComm, Code: "320104002001", Name: "夫子庙社区", Level: hierarchy.LevelCommunity, Parent: fuzimiao},
		{ID: grid1, Name: "第一网格", Level: hierarchy.LevelGrid, Parent: zhongpai},
		{ID: grid2, Name: "第二网格", Level: hierarchy.LevelGrid, Parent: zhongpai},
		{ID: building1, Name: "1栋", Level: hierarchy.LevelBuilding, Parent: grid1},
		{ID: household1, Name: "101室", Level: hierarchy.LevelHousehold, Parent: building1},
		{ID: deptUM, Name: "区城管局", Kind: hierarchy.KindDepartment, Parent: district},
		{ID: deptMS, Name: "区市场监管局", Kind: hierarchy.KindDepartment, Parent: district},
		{ID: station, Name: "秦虹派出所", Kind: hierarchy.KindPoliceStation, Parent: qinhong},
		{ID: beat, Name: "中牌楼警务区", Kind: hierarchy.KindPoliceBeat, Parent: station},
		{ID: branch, Name: "中牌楼行动党支部", Kind: hierarchy.KindActionBranch, Parent: zhongpai},
		{ID: property, Name: "物业公司", Kind: hierarchy.KindOrganisation, Parent: zhongpai,
			CreditCode: identity.MustParseCreditCode("91350100M000100Y43")},
	} {
		b.AddUnit(u)
	}
	b.AddPartyOrgs()
	b.AddOffices()
	b.AddUnit(hierarchy.Unit{ID: hierarchy.PartyOrgID(deptMS), Name: "区市场监管局党委", Kind: hierarchy.KindPartyOrg, Parent: deptMS})
	for _, p := range []hierarchy.Person{
		{ID: secretary, Name: "张书记", PartyMember: true, ResidentID: identity.MustParseResidentID("11010519491231002X")},
		{ID: streetCmd, Name: "李委员", PartyMember: true},
		{ID: worker, Name: "王网格员", Phone: identity.MustParsePhone("13812345678")},
		{ID: police, Name: "赵民警", PartyMember: true},
		{ID: officer, Name: "钱队员"},
		{ID: leader, Name: "孙区长", PartyMember: true},
		{ID: firstSec, Name: "周第一书记", PartyMember: true},
		{ID: manager, Name: "吴经理"},
	} {
		b.AddPerson(p)
	}
	for _, p := range []hierarchy.Post{
		{ID: "post-secretary", Person: secretary, Unit: zhongpai, Role: hierarchy.RoleSecretary, FullTime: true},
		{ID: "post-commander-1", Person: secretary, Unit: zhongpai, Role: hierarchy.RoleCommander},
		{ID: "post-commander-2", Person: streetCmd, Unit: zhongpai, Role: hierarchy.RoleCommander},
		{ID: "post-street-member", Person: streetCmd, Unit: hierarchy.PartyOrgID(qinhong), Role: hierarchy.RoleStaff},
		{ID: "post-grid-worker", Person: worker, Unit: grid1, Role: hierarchy.RoleGridWorker, FullTime: true,
			Start: day(2024, 1, 1)},
		{ID: "post-old-worker", Person: worker, Unit: grid2, Role: hierarchy.RoleGridWorker, FullTime: true,
			Start: day(2022, 1, 1), End: day(2024, 1, 1)},
		{ID: "post-police", Person: police, Unit: beat, Role: hierarchy.RoleCommunityPolice, FullTime: true},
		{ID: "post-police-branch", Person: police, Unit: branch, Role: hierarchy.RoleMember, From: station},
		{ID: "post-manager-branch", Person: manager, Unit: branch, Role: hierarchy.RoleMember, From: property},
		{ID: "post-officer", Person: officer, Unit: deptUM, Role: hierarchy.RoleEnforcementOfficer, FullTime: true},
		{ID: "post-leader", Person: leader, Unit: district, Role: hierarchy.RoleLeader},
		{ID: "post-first-secretary", Person: firstSec, Unit: fzmComm, Role: hierarchy.RoleFirstSecretary, From: deptMS},
		{ID: "post-first-secretary-home", Person: firstSec, Unit: deptMS, Role: hierarchy.RoleStaff},
	} {
		b.AddPost(p)
	}
	b.AddSecondment(hierarchy.Secondment{ID: "sec-officer", Subject: hierarchy.PersonRef(officer), Home: deptUM,
		Serving: zhongpai, PartyRelations: qinhong, Attendance: qinhong, Appraisal: qinhong,
		Start: day(2024, 1, 1), End: day(2025, 1, 1)})
	b.AddPairing(hierarchy.Pairing{ID: "pair-ms-fzm", Department: hierarchy.PartyOrgID(deptMS),
		Community: hierarchy.PartyOrgID(fzmComm), Start: day(2024, 1, 1)})
	b.AddAssignment(hierarchy.Assignment{ID: "asg-area", Leader: leader, Type: hierarchy.AssignArea, Unit: qinhong})
	b.AddAssignment(hierarchy.Assignment{ID: "asg-sector", Leader: leader, Type: hierarchy.AssignSector,
		Unit: deptUM, Sector: "urban-management"})
	for _, g := range hierarchy.QinhuaiGrants(district) {
		b.AddGrant(g)
	}
	return b
}

func buildFixture(tb testing.TB) *hierarchy.Tree {
	tb.Helper()
	tr, err := fixture(tb).Build()
	require.NoError(tb, err)
	return tr
}

// problem is one refusal found in a (joined, wrapped) error.
type problem struct {
	Rule string
	Line int // 0 outside CSV files
}

// problems flattens err into its refusals, sorted, so tests can compare them.
func problems(err error) []problem {
	var out []problem
	var walk func(err error, line int)
	walk = func(err error, line int) {
		switch e := err.(type) {
		case *gridgov.Error:
			out = append(out, problem{Rule: e.Rule, Line: line})
			return
		case *hierarchy.LineError:
			walk(e.Err, e.Line)
			return
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x, line)
			}
			return
		}
		if u := errors.Unwrap(err); u != nil {
			walk(u, line)
			return
		}
		out = append(out, problem{Rule: "?" + err.Error(), Line: line})
	}
	if err != nil {
		walk(err, 0)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

func openTestdata(tb testing.TB, name string) *os.File {
	tb.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(tb, err)
	tb.Cleanup(func() { f.Close() })
	return f
}
