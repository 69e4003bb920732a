package evaluation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/memstore"
)

var cst = time.FixedZone("CST", 8*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, cst) }

// IDs of the fixture.
const (
	district = hierarchy.UnitID("320104")
	qinhong  = hierarchy.UnitID("320104001") // 秦虹街道
	fuzimiao = hierarchy.UnitID("320104002") // 夫子庙街道
	zhongpai = hierarchy.UnitID("320104001001")
	kangju   = hierarchy.UnitID("320104001002")
	fzmComm  = hierarchy.UnitID("320104002001")
	grid1    = hierarchy.UnitID("320104001001-G01")
	deptUM   = hierarchy.UnitID("dept-urban-management")
	deptMS   = hierarchy.UnitID("dept-market-supervision")
	office   = hierarchy.UnitID("district-office") // 区委办, holds the admission right

	zpSecretary = hierarchy.PersonID("p-zp-secretary")
	kjSecretary = hierarchy.PersonID("p-kj-secretary")
	streetStaff = hierarchy.PersonID("p-street-staff")
	fzmStaff    = hierarchy.PersonID("p-fzm-staff")
	officer     = hierarchy.PersonID("p-officer")  // seconded to 中牌楼 for 2024
	officer2    = hierarchy.PersonID("p-officer2") // seconded to 夫子庙社区
	officer3    = hierarchy.PersonID("p-officer3") // seconded to 中牌楼 until mid-August 2024
	worker      = hierarchy.PersonID("p-grid-worker")
	deptClerk   = hierarchy.PersonID("p-dept-clerk")
	approver    = hierarchy.PersonID("p-approver")
	retired     = hierarchy.PersonID("p-retired")
	dispatcher  = hierarchy.PersonID("p-dispatcher") // the district command centre
)

// Actors of the fixture.
var (
	zpSec    = hierarchy.Actor{Person: zpSecretary, Post: "post-zp-secretary"}
	kjSec    = hierarchy.Actor{Person: kjSecretary, Post: "post-kj-secretary"}
	street   = hierarchy.Actor{Person: streetStaff, Post: "post-street-staff"}
	fzmSt    = hierarchy.Actor{Person: fzmStaff, Post: "post-fzm-staff"}
	clerk    = hierarchy.Actor{Person: deptClerk, Post: "post-dept-clerk"}
	approve  = hierarchy.Actor{Person: approver, Post: "post-approver"}
	retiredA = hierarchy.Actor{Person: retired, Post: "post-retired"}
	centre   = hierarchy.Actor{Person: dispatcher, Post: "post-dispatcher"}
)

func buildTree(tb testing.TB) *hierarchy.Tree {
	tb.Helper()
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	for _, u := range []hierarchy.Unit{
		{ID: district, Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict},
		{ID: qinhong, Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: district},
		{ID: fuzimiao, Code: "320104002", Name: "夫子庙街道", Level: hierarchy.LevelStreet, Parent: district},
		{ID: zhongpai, Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
		{ID: kangju, Code: "320104001002", Name: "康居里社区", Level: hierarchy.LevelCommunity, Parent: qinhong},
		{ID: fzmComm, Code: "320104002001", Name: "夫子庙社区", Level: hierarchy.LevelCommunity, Parent: fuzimiao},
		{ID: grid1, Name: "第一网格", Level: hierarchy.LevelGrid, Parent: zhongpai},
		{ID: deptUM, Name: "区城管局", Kind: hierarchy.KindDepartment, Parent: district},
		{ID: deptMS, Name: "区市场监管局", Kind: hierarchy.KindDepartment, Parent: district},
		{ID: office, Name: "区委办", Kind: hierarchy.KindDepartment, Parent: district},
	} {
		b.AddUnit(u)
	}
	b.AddPartyOrgs()
	for _, d := range []hierarchy.UnitID{deptUM, deptMS} {
		b.AddUnit(hierarchy.Unit{ID: hierarchy.PartyOrgID(d), Name: string(d) + " 党委", Kind: hierarchy.KindPartyOrg, Parent: d})
	}
	for _, id := range []hierarchy.PersonID{zpSecretary, kjSecretary, streetStaff, fzmStaff, officer, officer2, officer3, worker, deptClerk, approver, retired, dispatcher} {
		b.AddPerson(hierarchy.Person{ID: id, Name: string(id)})
	}
	for _, p := range []hierarchy.Post{
		{ID: "post-zp-secretary", Person: zpSecretary, Unit: zhongpai, Role: hierarchy.RoleSecretary},
		{ID: "post-kj-secretary", Person: kjSecretary, Unit: kangju, Role: hierarchy.RoleSecretary},
		{ID: "post-street-staff", Person: streetStaff, Unit: qinhong, Role: hierarchy.RoleStaff},
		{ID: "post-fzm-staff", Person: fzmStaff, Unit: fuzimiao, Role: hierarchy.RoleStaff},
		{ID: "post-officer", Person: officer, Unit: deptUM, Role: hierarchy.RoleEnforcementOfficer},
		{ID: "post-officer2", Person: officer2, Unit: deptUM, Role: hierarchy.RoleEnforcementOfficer},
		{ID: "post-officer3", Person: officer3, Unit: deptUM, Role: hierarchy.RoleEnforcementOfficer},
		{ID: "post-grid-worker", Person: worker, Unit: grid1, Role: hierarchy.RoleGridWorker, FullTime: true},
		{ID: "post-dept-clerk", Person: deptClerk, Unit: deptMS, Role: hierarchy.RoleStaff},
		{ID: "post-approver", Person: approver, Unit: office, Role: hierarchy.RoleStaff},
		{ID: "post-dispatcher", Person: dispatcher, Unit: district, Role: hierarchy.RoleDispatcher},
		{ID: "post-retired", Person: retired, Unit: zhongpai, Role: hierarchy.RoleStaff, End: day(2024, 3, 1)},
	} {
		b.AddPost(p)
	}
	b.AddSecondment(hierarchy.Secondment{ID: "sec-officer", Subject: hierarchy.PersonRef(officer), Home: deptUM, Serving: zhongpai,
		Appraisal: qinhong, Start: day(2024, 1, 1), End: day(2025, 1, 1)})
	b.AddSecondment(hierarchy.Secondment{ID: "sec-officer2", Subject: hierarchy.PersonRef(officer2), Home: deptUM, Serving: fzmComm,
		Start: day(2024, 1, 1)})
	b.AddSecondment(hierarchy.Secondment{ID: "sec-officer3", Subject: hierarchy.PersonRef(officer3), Home: deptUM, Serving: zhongpai,
		Start: day(2024, 1, 1), End: day(2024, 8, 15)})
	b.AddPairing(hierarchy.Pairing{ID: "pair-ms-fzm", Department: hierarchy.PartyOrgID(deptMS), Community: hierarchy.PartyOrgID(fzmComm)})
	b.AddPairing(hierarchy.Pairing{ID: "pair-um-zp", Department: hierarchy.PartyOrgID(deptUM), Community: hierarchy.PartyOrgID(zhongpai)})
	for _, g := range hierarchy.QinhuaiGrants(district) {
		b.AddGrant(g)
	}
	b.AddGrant(hierarchy.Grant{ID: "admit-tasks", Right: evaluation.RightAdmitTask, Holder: hierarchy.UnitRef(office),
		HolderScope: hierarchy.ScopeSelf, Subject: hierarchy.UnitRef(district), SubjectLevel: hierarchy.LevelCommunity})
	tr, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return tr
}

// fakeFacts holds whistles and cases for ratings, as escalation would report them.
type fakeFacts struct {
	whistles map[string]evaluation.WhistleFact
	cases    map[string]evaluation.CaseFact
}

func (f fakeFacts) Whistle(_ context.Context, c string, seq int) (evaluation.WhistleFact, error) {
	w, ok := f.whistles[fmt.Sprintf("%s#%d", c, seq)]
	if !ok {
		return w, fmt.Errorf("no whistle %s#%d: %w", c, seq, gridgov.ErrNotFound)
	}
	return w, nil
}

func (f fakeFacts) Case(_ context.Context, c string) (evaluation.CaseFact, error) {
	x, ok := f.cases[c]
	if !ok {
		return x, fmt.Errorf("no case %s: %w", c, gridgov.ErrNotFound)
	}
	return x, nil
}

func facts() fakeFacts {
	return fakeFacts{
		whistles: map[string]evaluation.WhistleFact{
			"C1#1": {Case: "C1", Seq: 1, By: zhongpai, To: qinhong, Concluded: day(2024, 5, 3), Resolved: true,
				Summons: []evaluation.SummonFact{{Unit: deptUM, At: day(2024, 5, 1), ReportedAt: day(2024, 5, 1).Add(time.Hour), OnTime: true}}},
			"C3#1": {Case: "C3", Seq: 1, By: zhongpai, To: qinhong, Concluded: day(2024, 5, 3),
				Summons: []evaluation.SummonFact{{Unit: deptUM, At: day(2024, 5, 1), ReportedAt: day(2024, 5, 2), OnTime: false}}},
			"C2#1": {Case: "C2", Seq: 1, By: zhongpai, To: qinhong,
				Summons: []evaluation.SummonFact{{Unit: deptUM, At: day(2024, 5, 1)}}},
		},
		cases: map[string]evaluation.CaseFact{
			"C1": {ID: "C1", Unit: zhongpai, Owner: deptUM, ClosedAt: day(2024, 5, 4)},
			"C2": {ID: "C2", Unit: zhongpai, Owner: deptUM},
		},
	}
}

func newService(tb testing.TB, clock gridgov.Clock) *evaluation.Service {
	tb.Helper()
	s, err := evaluation.NewService(memstore.New(), evaluation.QinhuaiPolicy(), buildTree(tb),
		&evaluation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(7), Facts: facts()})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func allSatisfied(rule string) map[string]string {
	p := evaluation.QinhuaiPolicy()
	r, ok := p.Rule(rule)
	m := map[string]string{}
	if !ok {
		return m
	}
	for _, c := range r.Criteria {
		if c.Fact == "" {
			m[c.ID] = "satisfied"
		}
	}
	return m
}
