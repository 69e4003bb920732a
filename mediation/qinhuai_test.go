package mediation_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

// qinhuaiNetwork builds Qinhuai's 168 rooms on the real division register
// (testdata/qinhuai-divisions.csv): one in the district, each of the 12 streets and 4
// functional zones and each of the 108 communities (125), three district departments
// with specialist rooms, one police station per street and 28 police service points
// (警务室) spread over them.
func qinhuaiNetwork(tb testing.TB) *mediation.Network {
	tb.Helper()
	f, err := os.Open("testdata/qinhuai-divisions.csv")
	if err != nil {
		tb.Fatalf("open register: %v", err)
	}
	defer f.Close()
	b, err := hierarchy.LoadDivisionsCSV(f, hierarchy.QinhuaiSchema())
	if err != nil {
		tb.Fatalf("LoadDivisionsCSV: %v", err)
	}
	p := mediation.QinhuaiPolicy()
	type host struct {
		id   hierarchy.UnitID
		name string
		spec []mediation.DisputeType
	}
	var hosts []host
	// Territorial units first, in code order, as the register lists them.
	pre, err := b.Build()
	if err != nil {
		tb.Fatalf("build register: %v", err)
	}
	for u := range pre.Units() {
		hosts = append(hosts, host{id: u.ID, name: u.Name})
	}
	slices.SortFunc(hosts, func(a, b host) int { return strings.Compare(string(a.id), string(b.id)) })
	for _, d := range []host{
		{"DEP-SFJ", "区司法局", []mediation.DisputeType{mediation.DisputeLabour}},
		{"DEP-WJW", "区卫健委", []mediation.DisputeType{mediation.DisputeMedical}},
		{"DEP-SCJ", "区市场监管局", []mediation.DisputeType{mediation.DisputeConsumer, mediation.DisputeProperty}},
	} {
		b.AddUnit(hierarchy.Unit{ID: d.id, Name: d.name, Kind: hierarchy.KindDepartment, Parent: "320104"})
		hosts = append(hosts, d)
	}
	var stations []hierarchy.UnitID
	for i := 1; i <= 12; i++ {
		street := hierarchy.UnitID(fmt.Sprintf("320104%03d", i))
		id := hierarchy.UnitID(fmt.Sprintf("PS-%02d", i))
		b.AddUnit(hierarchy.Unit{ID: id, Name: fmt.Sprintf("第%d派出所", i), Kind: hierarchy.KindPoliceStation, Parent: street})
		hosts = append(hosts, host{id, fmt.Sprintf("第%d派出所", i), []mediation.DisputeType{mediation.DisputeTraffic, mediation.DisputeNeighbour}})
		stations = append(stations, id)
	}
	for i := 1; i <= 28; i++ {
		id := hierarchy.UnitID(fmt.Sprintf("PB-%02d", i))
		b.AddUnit(hierarchy.Unit{ID: id, Name: fmt.Sprintf("警务室%d", i), Kind: hierarchy.KindPoliceBeat, Parent: stations[(i-1)%12]})
		hosts = append(hosts, host{id: id, name: fmt.Sprintf("警务室%d", i)})
	}
	// Each room's three committee members hold a post in its host unit.
	for i, h := range hosts {
		for _, s := range []string{"-a", "-b", "-c"} {
			person := hierarchy.PersonID(string(p.Brand.Number(i+1)) + s)
			b.AddPerson(hierarchy.Person{ID: person})
			b.AddPost(hierarchy.Post{ID: genPost(person, h.id), Person: person, Unit: h.id, Role: hierarchy.RoleMediator})
		}
	}
	tree, err := b.Build()
	if err != nil {
		tb.Fatalf("build tree: %v", err)
	}
	rooms := make([]mediation.Room, len(hosts))
	for i, h := range hosts {
		id := p.Brand.Number(i + 1)
		rooms[i] = mediation.Room{ID: id, Name: p.Brand.Name + "（" + h.name + "）", Host: h.id, Specialities: h.spec,
			Mediators: []mediation.Mediator{
				qualified(mediation.Mediator{Person: hierarchy.PersonID(id + "-a"), Kind: mediation.KindPeoplesMediator, Woman: true, Committee: true, Chair: true}),
				qualified(mediation.Mediator{Person: hierarchy.PersonID(id + "-b"), Kind: mediation.KindGridLegalOfficer, Committee: true}),
				qualified(mediation.Mediator{Person: hierarchy.PersonID(id + "-c"), Kind: mediation.KindPoliceOfficer, Committee: true}),
			}}
	}
	net, err := mediation.NewNetwork(p, tree, rooms)
	if err != nil {
		tb.Fatalf("NewNetwork: %v", err)
	}
	return net
}

func TestQinhuaiNetwork(t *testing.T) {
	net := qinhuaiNetwork(t)
	if n := len(net.Rooms()); n != 168 {
		t.Fatalf("%d rooms, want Qinhuai's 168", n)
	}
	// A community of 夫子庙街道 refers up to its street, the street to the district.
	community, street := roomOf(t, net, "320104002001"), roomOf(t, net, "320104002")
	if up, _ := net.Up(community, mediation.DisputeNeighbour); up != street {
		t.Errorf("Up(%s) = %s, want the street's room %s", community, up, street)
	}
	if up, _ := net.Up(street, mediation.DisputeNeighbour); up != roomOf(t, net, "320104") {
		t.Errorf("Up(%s) = %s, want the district's room", street, up)
	}
	// Sideways, a traffic case of that community goes first to its own street's police
	// station.
	if sp := net.Specialists(community, mediation.DisputeTraffic); len(sp) != 12 || sp[0] != roomOf(t, net, "PS-02") {
		t.Errorf("Specialists(traffic) = %v, want 12 police rooms, PS-02's first", sp)
	}
}

// genPost is the post of a generated network's mediator in the room's host unit.
func genPost(person hierarchy.PersonID, host hierarchy.UnitID) hierarchy.PostID {
	return hierarchy.PostID(string(person) + "@" + string(host))
}

func roomOf(tb testing.TB, net *mediation.Network, u hierarchy.UnitID) mediation.RoomID {
	tb.Helper()
	ids := net.HostedBy(u)
	if len(ids) != 1 {
		tb.Fatalf("HostedBy(%s) = %v", u, ids)
	}
	return ids[0]
}

// caseGen generates plausible cases over 2025 for benchmarks: each through Apply, so
// every one is a case the rules allow.
type caseGen struct {
	policy mediation.Policy
	net    *mediation.Network
	env    mediation.Env
	rooms  []mediation.RoomID
	rnd    *rand.Rand
}

func newCaseGen(net *mediation.Network, seed uint64) *caseGen {
	return &caseGen{policy: mediation.QinhuaiPolicy(), net: net, env: mediation.Env{Network: net, Calendar: calendar.Default()},
		rooms: net.Rooms(), rnd: rand.New(rand.NewPCG(seed, seed+1))}
}

func (g *caseGen) apply(c mediation.Case, room mediation.RoomID, at time.Time, cmd mediation.Command) mediation.Case {
	env := g.env
	host, _ := g.net.Host(room)
	person := hierarchy.PersonID(room + "-a")
	env.Actor = hierarchy.Actor{Person: person, Post: genPost(person, host)}
	next, _, err := g.policy.Apply(c, cmd, at, env)
	if err != nil {
		panic(fmt.Sprintf("generate %s: %T: %v", c.ID, cmd, err))
	}
	return next
}

func (g *caseGen) next(id int) mediation.Case {
	r := g.rnd
	room := g.rooms[r.IntN(len(g.rooms))]
	disputes := g.policy.DisputeTypes
	at := day(2025, 1, 1, 9, 0).Add(time.Duration(r.IntN(365*24)) * time.Hour)
	o := openCmd(room, disputes[r.IntN(len(disputes))])
	o.ID = mediation.CaseID(fmt.Sprintf("C%06d", id))
	if r.IntN(5) == 0 {
		o.Source = mediation.Source{Kind: mediation.SourceGrid, Ref: fmt.Sprintf("G%06d", id)}
	}
	c := g.apply(mediation.Case{}, room, at, o)
	step := func(d time.Duration, cmd mediation.Command) {
		at = at.Add(d)
		c = g.apply(c, c.Room, at, cmd)
	}
	if r.IntN(20) == 0 {
		step(time.Hour, mediation.Refuse{Ground: mediation.GroundAcceptedByCourt, Note: "已起诉"})
		return c
	}
	step(time.Hour, mediation.Accept{})
	step(time.Hour, mediation.Assign{Person: hierarchy.PersonID(c.Room + "-a"), How: mediation.Appointed})
	if up, ok := g.net.Up(c.Room, c.Dispute); ok && r.IntN(12) == 0 {
		step(24*time.Hour, mediation.Refer{To: up, Direction: mediation.Up, Reason: "复杂"})
		step(2*time.Hour, mediation.Accept{})
		step(time.Hour, mediation.Assign{Person: hierarchy.PersonID(c.Room + "-a"), How: mediation.Appointed})
	}
	if r.IntN(30) == 0 {
		step(24*time.Hour, mediation.ReportToPolice{Reason: "可能激化"})
		step(24*time.Hour, mediation.Fail{Reason: mediation.FailTakenOver, Note: "派出所受理"})
		return c
	}
	both := []mediation.PartyID{"p1", "p2"}
	for range 1 + r.IntN(3) {
		step(time.Duration(1+r.IntN(12))*24*time.Hour, mediation.HoldSession{
			Parties: both, Mediators: []hierarchy.PersonID{hierarchy.PersonID(c.Room + "-a")}, Minutes: "调解"})
	}
	switch k := r.IntN(20); {
	case k < 7:
		step(time.Hour, oral("和解"))
	case k < 14:
		step(time.Hour, written("赔偿"))
		step(time.Minute, mediation.Sign{Party: "p1"})
		step(time.Minute, mediation.Sign{Party: "p2"})
		step(time.Minute, mediation.Sign{Mediator: hierarchy.PersonID(c.Room + "-a")})
		step(time.Minute, mediation.Seal{})
	case k < 19:
		step(time.Hour, mediation.Fail{Reason: mediation.FailNoAgreement})
		return c
	default:
		return c // still open
	}
	if r.IntN(3) == 0 {
		step(72*time.Hour, mediation.ApplyConfirmation{Parties: both, Court: "秦淮区人民法院"})
		step(7*24*time.Hour, mediation.RecordConfirmation{Confirmed: r.IntN(10) != 0})
	}
	finding := mediation.Performed
	if r.IntN(10) == 0 {
		finding = mediation.Breached
	}
	step(8*24*time.Hour, mediation.RecordVisit{Visit: 0, Finding: finding, Party: "p2"})
	return c
}

func TestCaseGen(t *testing.T) {
	// The generator must produce every outcome, so the statistics benchmark exercises
	// every count.
	g := newCaseGen(qinhuaiNetwork(t), 1)
	cases := make([]mediation.Case, 2000)
	for i := range cases {
		cases[i] = g.next(i)
	}
	tot := mediation.Summarize(g.net, mediation.Period{}, cases, nil).Total
	for name, n := range map[string]int{
		"refused": tot.Refused, "agreed": tot.Agreed, "failed": tot.Failed, "late": tot.Concluded - tot.OnTime,
		"referred up": tot.ReferredUp, "police": tot.ReportedToPolice, "confirmed": tot.Confirmed, "visit breaches": tot.VisitBreaches,
	} {
		if n == 0 {
			t.Errorf("2000 generated cases have no %s case: %+v", name, tot)
		}
	}
}
