package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov/hierarchy"
)

// The units the story happens in. Territorial units are identified by their statistical
// division codes; the grids by their 15-digit codes (community code + sequence).
const (
	district     hierarchy.UnitID = "320104"       // 秦淮区
	fuzimiao     hierarchy.UnitID = "320104002"    // 夫子庙街道
	wuyixiang    hierarchy.UnitID = "320104002005" // 乌衣巷社区, next to 夫子庙
	dongshuiguan hierarchy.UnitID = "320104002002" // 东水关社区, its neighbour

	grid1      hierarchy.UnitID = "320104002005001" // comprehensive grids tiling 乌衣巷社区
	grid2      hierarchy.UnitID = "320104002005002"
	grid3      hierarchy.UnitID = "320104002005003"
	scenicGrid hierarchy.UnitID = "320104002005101" // the exclusive grid of the 夫子庙 scenic area

	streetCommand  hierarchy.UnitID = "320104002/command"         // the street's command sub-centre
	streetEnforce  hierarchy.UnitID = "320104002/law-enforcement" // its comprehensive law-enforcement bureau
	streetUrbanMgt hierarchy.UnitID = "320104002/urban-management"
	streetPeace    hierarchy.UnitID = "320104002/peace-building"
	qinhongEnforce hierarchy.UnitID = "320104001/law-enforcement" // the neighbouring 秦虹街道's bureau

	urbanBureau   hierarchy.UnitID = "320104/urban-management" // 区城市管理局
	housingBureau hierarchy.UnitID = "320104/housing"          // 区住房和城乡建设局
	policeBureau  hierarchy.UnitID = "320104/public-security"  // 秦淮公安分局
	station       hierarchy.UnitID = "320104/public-security/fuzimiao"
	beat          hierarchy.UnitID = "320104/public-security/fuzimiao/wuyixiang" // 乌衣巷警务区
)

// The people of the story.
const (
	wangFang   hierarchy.PersonID = "wang-fang"   // grid worker of grid 1, who finds things
	liQiang    hierarchy.PersonID = "li-qiang"    // grid head of grid 1, who verifies
	sunLi      hierarchy.PersonID = "sun-li"      // grid worker of grids 2 and 3
	maJun      hierarchy.PersonID = "ma-jun"      // community director, who blows the whistle
	chenShuhua hierarchy.PersonID = "chen-shuhua" // people's mediator
	huangLu    hierarchy.PersonID = "huang-lu"    // grid legal officer, a lawyer
	zhaoMin    hierarchy.PersonID = "zhao-min"    // dispatcher of the street's command centre
	chenGang   hierarchy.PersonID = "chen-gang"   // enforcement officer of the street's bureau
	wuLei      hierarchy.PersonID = "wu-lei"      // urban-management department of the street
	xuJing     hierarchy.PersonID = "xu-jing"     // peace-building department of the street
	zhangWei   hierarchy.PersonID = "zhang-wei"   // community police officer of the beat
	qianHao    hierarchy.PersonID = "qian-hao"    // enforcement officer sent down to the community
	hePing     hierarchy.PersonID = "he-ping"     // housing bureau
	gaoYan     hierarchy.PersonID = "gao-yan"     // urban-management bureau
	zhouHong   hierarchy.PersonID = "zhou-hong"   // district leader responsible for 夫子庙街道 (包块)
)

// staff lists each person's posts. A post's ID is "<person>@<unit>", so that an actor
// is written act(person, unit).
var staff = []struct {
	person hierarchy.PersonID
	name   string
	unit   hierarchy.UnitID
	role   hierarchy.Role
}{
	{wangFang, "王芳", grid1, hierarchy.RoleGridWorker},
	{liQiang, "李强", grid1, hierarchy.RoleGridHead},
	{sunLi, "孙丽", grid2, hierarchy.RoleGridWorker},
	{sunLi, "孙丽", grid3, hierarchy.RoleGridWorker},
	{maJun, "马骏", wuyixiang, hierarchy.RoleDirector},
	{chenShuhua, "陈淑华", wuyixiang, hierarchy.RoleMediator},
	{huangLu, "黄璐", wuyixiang, hierarchy.RoleLegalOfficer},
	{zhaoMin, "赵敏", streetCommand, hierarchy.RoleDispatcher},
	{chenGang, "陈刚", streetEnforce, hierarchy.RoleEnforcementOfficer},
	{wuLei, "吴磊", streetUrbanMgt, hierarchy.RoleStaff},
	{xuJing, "徐静", streetPeace, hierarchy.RoleStaff},
	{zhangWei, "张伟", beat, hierarchy.RoleCommunityPolice},
	{qianHao, "钱浩", urbanBureau, hierarchy.RoleEnforcementOfficer},
	{hePing, "何平", housingBureau, hierarchy.RoleStaff},
	{gaoYan, "高岩", urbanBureau, hierarchy.RoleStaff},
	{zhouHong, "周宏", district, hierarchy.RoleLeader},
}

// act is the actor of person's post in unit.
func act(person hierarchy.PersonID, unit hierarchy.UnitID) hierarchy.Actor {
	return hierarchy.Actor{Person: person, Post: hierarchy.PostID(string(person) + "@" + string(unit))}
}

// organisation builds the tree (scene 1) and shows who holds which rights.
func (s *story) organisation() {
	s.section(1, "The organisation tree 组织架构")
	b := must(hierarchy.LoadDivisionsCSV(strings.NewReader(divisionsCSV), hierarchy.QinhuaiSchema()))
	read := b.Len()

	// The grids are units of the tree too, so that a case located in a grid rises
	// through its community and street, and each grid carries its party branch.
	for _, g := range []struct {
		id   hierarchy.UnitID
		name string
	}{{grid1, "第1网格"}, {grid2, "第2网格"}, {grid3, "第3网格"}, {scenicGrid, "夫子庙景区专属网格"}} {
		b.AddUnit(hierarchy.Unit{ID: g.id, Code: string(g.id), Name: "乌衣巷社区" + g.name,
			Level: hierarchy.LevelGrid, Parent: wuyixiang})
	}
	b.AddUnit(hierarchy.Unit{ID: urbanBureau, Name: "区城市管理局", Kind: hierarchy.KindDepartment, Parent: district})
	b.AddUnit(hierarchy.Unit{ID: housingBureau, Name: "区住房和城乡建设局", Kind: hierarchy.KindDepartment, Parent: district})
	b.AddUnit(hierarchy.Unit{ID: policeBureau, Name: "秦淮公安分局", Kind: hierarchy.KindDepartment, Parent: district})
	b.AddUnit(hierarchy.Unit{ID: station, Name: "夫子庙派出所", Kind: hierarchy.KindPoliceStation, Parent: policeBureau})
	b.AddUnit(hierarchy.Unit{ID: beat, Name: "乌衣巷警务区", Kind: hierarchy.KindPoliceBeat, Parent: station})
	b.AddPartyOrgs() // 街道党工委, 社区党委, 网格党支部 … beside each territorial unit
	b.AddOffices()   // the street's five departments, one bureau and two centres

	names := map[hierarchy.PersonID]bool{}
	for _, p := range staff {
		if !names[p.person] {
			b.AddPerson(hierarchy.Person{ID: p.person, Name: p.name})
			names[p.person] = true
		}
		b.AddPost(hierarchy.Post{ID: act(p.person, p.unit).Post, Person: p.person, Unit: p.unit, Role: p.role,
			FullTime: true})
	}
	// Enforcement officer 钱浩 is sent down (下沉) from the district's urban-management
	// bureau to 乌衣巷社区 for a year; as in Qinhuai's reform, the street holds his party
	// relations, attendance and appraisal.
	secondmentEnd := s.cst(2026, 3, 1, 0, 0)
	b.AddSecondment(hierarchy.Secondment{ID: "xiachen-2025-017", Subject: hierarchy.PersonRef(qianHao),
		Home: urbanBureau, Serving: wuyixiang,
		PartyRelations: fuzimiao, Attendance: fuzimiao, Appraisal: fuzimiao,
		Start: s.cst(2025, 3, 1, 0, 0), End: secondmentEnd})
	// District leader 周宏 takes 夫子庙街道 (包块): when its whistle blows, he reports in.
	b.AddAssignment(hierarchy.Assignment{ID: "baokuai-fuzimiao", Leader: zhouHong,
		Type: hierarchy.AssignArea, Unit: fuzimiao})
	for _, g := range hierarchy.QinhuaiGrants(district) {
		b.AddGrant(g) // the rights Qinhuai's reform sent down (赋权)
	}
	s.tree = must(b.Build())
	t := s.tree
	s.printf("%d units from the division register: %d streets, %d zones, %d communities;\n"+
		"  %d units with party organisations, offices, departments and grids\n",
		read, len(t.ByLevel(hierarchy.LevelStreet)), len(t.ByLevel(hierarchy.LevelZone)),
		len(t.ByLevel(hierarchy.LevelCommunity)), t.Len())

	var path []string
	for _, u := range append([]hierarchy.UnitID{wuyixiang}, t.Ancestors(wuyixiang)...) {
		path = append(path, s.unitName(u))
	}
	party, ok := t.PartyOrg(fuzimiao)
	found(ok, "party organisation of 夫子庙街道")
	command, ok := t.Nearest(grid1, hierarchy.KindCommandCentre)
	found(ok, "command centre of grid 1")
	offices := len(t.Attached(fuzimiao, hierarchy.KindStreetOffice)) + len(t.Attached(fuzimiao, hierarchy.KindCommandCentre))
	s.printf("%s\n  led by %s, with %d offices (五部一局两中心); command sub-centre (1+12+N): %s\n",
		strings.Join(path, " → "), s.unitName(party), offices, s.unitName(command))

	at := s.cst(2025, 9, 26, 9, 0)
	s.printf("who serves 乌衣巷社区 and its grids on %s:\n", at.Format(time.DateOnly))
	type holder struct {
		person hierarchy.PersonID
		role   hierarchy.Role
	}
	var holders []holder
	units := map[holder][]string{} // a worker may serve two grids
	for u := range t.Subtree(wuyixiang) {
		for _, p := range t.PostsIn(u, "", at) {
			h := holder{p.Person, p.Role}
			if units[h] == nil {
				holders = append(holders, h)
			}
			units[h] = append(units[h], s.unitName(u))
		}
	}
	for _, h := range holders {
		s.printf("  %s %s %s\n", pad(s.name(h.person), 6), pad(string(h.role), 14), strings.Join(units[h], ", "))
	}
	for _, sec := range t.ServedBy(wuyixiang, at).Secondments {
		s.printf("  %s sent down (下沉) from %s until %s; appraised by %s\n",
			pad(s.name(hierarchy.PersonID(sec.Subject.ID)), 6), s.unitName(sec.Home), sec.End.Format(time.DateOnly),
			s.unitName(sec.AppraisalUnit()))
	}

	// Rights are grants held at the district and reaching down: 街道六权 over the
	// departments, the street's summons (吹哨), and the community's reverse evaluation
	// (反向评价) of whoever is sent down to it, only while the secondment lasts.
	s.printf("rights sent down (赋权), by HasRight(holder, right, subject, at):\n")
	qian := hierarchy.PersonRef(qianHao)
	after := secondmentEnd.AddDate(0, 3, 0)
	for _, q := range []struct {
		holder  hierarchy.UnitID
		right   hierarchy.Right
		subject hierarchy.Ref
		at      time.Time
		what    string
	}{
		{fuzimiao, hierarchy.RightBeInformed, hierarchy.UnitRef(housingBureau), at, "知情权"},
		{fuzimiao, hierarchy.RightSummon, hierarchy.UnitRef(urbanBureau), at, "吹哨报到"},
		{wuyixiang, hierarchy.RightReverseEvaluate, qian, at, "反向评价, during the secondment"},
		{dongshuiguan, hierarchy.RightReverseEvaluate, qian, at, "not the community he serves"},
		{wuyixiang, hierarchy.RightReverseEvaluate, qian, after, "the secondment has ended"},
		{fuzimiao, hierarchy.RightAppraise, qian, at, "考核, the street holds his appraisal"},
	} {
		has := t.HasRight(hierarchy.UnitRef(q.holder), q.right, q.subject, q.at)
		s.printf("  %s %s %s %s %s %s\n", pad(s.unitName(q.holder), 16), pad(string(q.right), 16),
			pad(s.refName(q.subject), 18), q.at.Format(time.DateOnly), pad(fmt.Sprint(has), 5), q.what)
	}
}

// refName names the unit or person r points at.
func (s *story) refName(r hierarchy.Ref) string {
	if r.Kind == hierarchy.RefPerson {
		return s.name(hierarchy.PersonID(r.ID))
	}
	return s.unitName(hierarchy.UnitID(r.ID))
}
