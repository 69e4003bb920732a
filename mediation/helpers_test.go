package mediation_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/identity"
	"github.com/gridgov/gridgov/mediation"
)

// cst is the calendar's zone: every instant of the tests is Beijing time.
var cst = calendar.Default().Location()

func day(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, cst) }

// The test network: part of Qinhuai's tree with seven rooms.
//
//	320104 秦淮区 (district)                 QHTH-001
//	├── 320104002 夫子庙街道 (street)         QHTH-002
//	│   ├── 320104002001 莲子营社区           QHTH-003 (+ m3d, not on the committee)
//	│   ├── 320104002002 东水关社区           QHTH-004
//	│   └── PS-FZM 夫子庙派出所 (police)      QHTH-005 traffic, neighbour
//	├── 320104001 秦虹街道 (street)           QHTH-007
//	│   └── 320104001001 中牌楼社区 (no room)
//	└── DEP-SFJ 区司法局 (department)         QHTH-006 medical, labour
const (
	uDistrict  hierarchy.UnitID   = "320104"
	uFZM       hierarchy.UnitID   = "320104002"
	uLZY       hierarchy.UnitID   = "320104002001"
	uDSG       hierarchy.UnitID   = "320104002002"
	uPolice    hierarchy.UnitID   = "PS-FZM"
	uQH        hierarchy.UnitID   = "320104001"
	uZPL       hierarchy.UnitID   = "320104001001"
	uJudicial  hierarchy.UnitID   = "DEP-SFJ"
	rDistrict  mediation.RoomID   = "QHTH-001"
	rFZM       mediation.RoomID   = "QHTH-002"
	rLZY       mediation.RoomID   = "QHTH-003"
	rDSG       mediation.RoomID   = "QHTH-004"
	rPolice    mediation.RoomID   = "QHTH-005"
	rJudicial  mediation.RoomID   = "QHTH-006"
	rQH        mediation.RoomID   = "QHTH-007"
	communityM hierarchy.PersonID = "m3a" // a people's mediator of 莲子营
)

func testTree(tb testing.TB) *hierarchy.Tree {
	tb.Helper()
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	for _, u := range []hierarchy.Unit{
		{ID: uDistrict, Code: "320104", Name: "秦淮区", Level: "district", Kind: hierarchy.KindTerritorial},
		{ID: uFZM, Code: "320104002", Name: "夫子庙街道", Level: "street", Kind: hierarchy.KindTerritorial, Parent: uDistrict},
		{ID: uLZY, Code: "320104002001", Name: "莲子营社区", Level: "community", Kind: hierarchy.KindTerritorial, Parent: uFZM},
		{ID: uDSG, Code: "320104002002", Name: "东水关社区", Level: "community", Kind: hierarchy.KindTerritorial, Parent: uFZM},
		{ID: uPolice, Name: "夫子庙派出所", Kind: hierarchy.KindPoliceStation, Parent: uFZM},
		{ID: uQH, Code: "320104001", Name: "秦虹街道", Level: "street", Kind: hierarchy.KindTerritorial, Parent: uDistrict},
		{ID: uZPL, Code: "320104001001", Name: "中牌楼社区", Level: "community", Kind: hierarchy.KindTerritorial, Parent: uQH},
		{ID: uJudicial, Name: "秦淮区司法局", Kind: hierarchy.KindDepartment, Parent: uDistrict},
	} {
		b.AddUnit(u)
	}
	// Every roster mediator holds a post in the room's host unit from 2020 on: their
	// authority to act comes from it.
	for _, r := range testRooms() {
		for _, m := range r.Mediators {
			if m.Person == ended || m.Person == granted {
				continue
			}
			b.AddPerson(hierarchy.Person{ID: m.Person, Name: m.Name})
			b.AddPost(hierarchy.Post{ID: postOf(m.Person), Person: m.Person, Unit: r.Host,
				Role: hierarchy.RoleMediator, Start: postStart})
		}
	}
	// m3e mediated in 莲子营 until the end of June 2025 and now works in 东水关; m3f
	// holds no post but a grant to mediate in 莲子营's rooms for 2025.
	b.AddPerson(hierarchy.Person{ID: ended, Name: "调解员戊"})
	b.AddPost(hierarchy.Post{ID: postOf(ended), Person: ended, Unit: uLZY, Role: hierarchy.RoleMediator, Start: postStart, End: postEnded})
	b.AddPost(hierarchy.Post{ID: endedNow, Person: ended, Unit: uDSG, Role: hierarchy.RoleStaff, Start: postEnded})
	b.AddPerson(hierarchy.Person{ID: granted, Name: "调解员己"})
	b.AddGrant(hierarchy.Grant{ID: "mediate-lzy-2025", Right: mediation.RightMediate, Holder: hierarchy.PersonRef(granted),
		Subject: hierarchy.UnitRef(uLZY), Start: day(2025, 1, 1, 0, 0), End: day(2026, 1, 1, 0, 0)})
	tree, err := b.Build()
	if err != nil {
		tb.Fatalf("build tree: %v", err)
	}
	return tree
}

// The two roster entries of 莲子营 whose authority tests turn on.
const (
	ended    hierarchy.PersonID = "m3e"              // roster pins the post that ended on postEnded
	endedNow hierarchy.PostID   = "m3e@320104002002" // m3e's post since then, in 东水关
	granted  hierarchy.PersonID = "m3f"              // no post; a grant of RightMediate for 2025
)

var postEnded = time.Date(2025, 7, 1, 0, 0, 0, 0, cst)

// postStart is when every test mediator's post starts.
var postStart = time.Date(2020, 1, 1, 0, 0, 0, 0, cst)

// roomHosts maps each test room's number to its host unit.
var roomHosts = map[int]hierarchy.UnitID{1: uDistrict, 2: uFZM, 3: uLZY, 4: uDSG, 5: uPolice, 6: uJudicial, 7: uQH}

// postOf is the post a test mediator acts in: "person@unit" of the room whose roster
// they are on ("m3a" mediates in room 3, hosted by 莲子营). A person on no roster gets
// a post that is in no tree.
func postOf(p hierarchy.PersonID) hierarchy.PostID {
	var n int
	if _, err := fmt.Sscanf(string(p), "m%d", &n); err == nil {
		if u, ok := roomHosts[n]; ok {
			return hierarchy.PostID(string(p) + "@" + string(u))
		}
	}
	return hierarchy.PostID(string(p) + "@nowhere")
}

// actorOf is person p acting in their post; the empty person is the empty actor.
func actorOf(p hierarchy.PersonID) hierarchy.Actor {
	if p == "" {
		return hierarchy.Actor{}
	}
	return hierarchy.Actor{Person: p, Post: postOf(p)}
}

// roster returns a valid committee of three for room n: mNa a woman people's mediator,
// mNb a grid legal officer, mNc a lawyer.
func roster(n int) []mediation.Mediator {
	p := func(s string) hierarchy.PersonID { return hierarchy.PersonID(fmt.Sprintf("m%d%s", n, s)) }
	return []mediation.Mediator{
		qualified(mediation.Mediator{Person: p("a"), Name: "调解员甲", Kind: mediation.KindPeoplesMediator, Woman: true, Committee: true, Chair: true}),
		qualified(mediation.Mediator{Person: p("b"), Name: "政法网格员乙", Kind: mediation.KindGridLegalOfficer, Committee: true}),
		qualified(mediation.Mediator{Person: p("c"), Name: "律师丙", Kind: mediation.KindLawyer, Committee: true}),
	}
}

// elected is when every test committee was elected: its term runs to 5 January 2027.
var elected = time.Date(2024, 1, 5, 0, 0, 0, 0, cst)

// qualified gives m the qualifications of art. 14 and, for a committee member, the
// current term.
func qualified(m mediation.Mediator) mediation.Mediator {
	m.Qualifications = mediation.Art14()
	if m.Committee && m.Elected.IsZero() {
		m.Elected = elected
	}
	return m
}

func testRooms() []mediation.Room {
	room := func(n int, host hierarchy.UnitID, where string, spec ...mediation.DisputeType) mediation.Room {
		return mediation.Room{
			ID: mediation.QinhuaiPolicy().Brand.Number(n), Name: "苔花调解工作室（" + where + "）",
			Host: host, Specialities: spec, Mediators: roster(n),
		}
	}
	return []mediation.Room{
		room(1, uDistrict, "秦淮区"),
		room(2, uFZM, "夫子庙街道"),
		withExtra(room(3, uLZY, "莲子营社区"),
			qualified(mediation.Mediator{Person: "m3d", Name: "调解员丁", Kind: mediation.KindPeoplesMediator}),
			qualified(mediation.Mediator{Person: ended, Name: "调解员戊", Kind: mediation.KindPeoplesMediator, Post: postOf(ended)}),
			qualified(mediation.Mediator{Person: granted, Name: "调解员己", Kind: mediation.KindPeoplesMediator})),
		room(4, uDSG, "东水关社区"),
		room(5, uPolice, "夫子庙派出所", mediation.DisputeTraffic, mediation.DisputeNeighbour),
		room(6, uJudicial, "区司法局", mediation.DisputeMedical, mediation.DisputeLabour),
		room(7, uQH, "秦虹街道"),
	}
}

func withExtra(r mediation.Room, m ...mediation.Mediator) mediation.Room {
	r.Mediators = append(r.Mediators, m...)
	return r
}

type world struct {
	policy mediation.Policy
	net    *mediation.Network
	cal    *calendar.Calendar
}

func newWorld(tb testing.TB) world {
	tb.Helper()
	p := mediation.QinhuaiPolicy()
	net, err := mediation.NewNetwork(p, testTree(tb), testRooms())
	if err != nil {
		tb.Fatalf("NewNetwork: %v", err)
	}
	return world{policy: p, net: net, cal: calendar.Default()}
}

func (w world) env(actor hierarchy.PersonID) mediation.Env {
	return mediation.Env{Network: w.net, Calendar: w.cal, Actor: actorOf(actor)}
}

// The parties' personal numbers: valid GB 11643 numbers and mobile phones.
const (
	zhangID    = "320104199001011235"
	zhangPhone = "13812345678"
	liID       = "320104198512154567"
	liPhone    = "13987654321"
)

func parties() []mediation.Party {
	return []mediation.Party{
		{ID: "p1", Role: mediation.RoleApplicant, Name: "张三",
			IDNumber: identity.MustParseResidentID(zhangID), Phone: identity.MustParsePhone(zhangPhone)},
		{ID: "p2", Role: mediation.RoleRespondent, Name: "李四",
			IDNumber: identity.MustParseResidentID(liID), Phone: identity.MustParsePhone(liPhone)},
	}
}

func openCmd(room mediation.RoomID, d mediation.DisputeType) mediation.Open {
	return mediation.Open{
		ID: "C1", Room: room, Dispute: d, Summary: "楼上漏水",
		Source: mediation.Source{Kind: mediation.SourceApplication}, Parties: parties(),
	}
}

// step is one command of a script, by an actor at a time, with the rule that must
// refuse it ("" for success) and the state the case must then be in.
type step struct {
	by   hierarchy.PersonID
	at   time.Time
	cmd  mediation.Command
	rule string          // refusing rule, "" if the command must succeed
	kind error           // the refusal's kind, when rule is set
	want mediation.State // the state after the step ("" = unchecked)
}

// run applies the steps in order to c and returns the final case. A refused step must
// leave the case exactly as it was.
func (w world) run(tb testing.TB, c mediation.Case, steps []step) mediation.Case {
	tb.Helper()
	for i, s := range steps {
		orig := deepCopy(tb, c)
		got, evs, err := w.policy.Apply(c, s.cmd, s.at, w.env(s.by))
		if diff := cmp.Diff(orig, c, cmpopts.EquateEmpty()); diff != "" {
			tb.Fatalf("step %d: Apply(%T) modified its input (-before +after):\n%s", i, s.cmd, diff)
		}
		if s.rule != "" {
			if err == nil {
				tb.Fatalf("step %d: Apply(%T) = nil error, want rule %s", i, s.cmd, s.rule)
			}
			if r := gridgov.RuleOf(err); r != s.rule {
				tb.Fatalf("step %d: Apply(%T) rule = %q, want %q (err %v)", i, s.cmd, r, s.rule, err)
			}
			if s.kind != nil && !errors.Is(err, s.kind) {
				tb.Fatalf("step %d: Apply(%T) err = %v, want kind %v", i, s.cmd, err, s.kind)
			}
			continue
		}
		if err != nil {
			tb.Fatalf("step %d: Apply(%T) = %v", i, s.cmd, err)
		}
		if len(evs) == 0 || len(got.History) != len(c.History)+len(evs) {
			tb.Fatalf("step %d: Apply(%T) gave %d events, history %d → %d", i, s.cmd, len(evs), len(c.History), len(got.History))
		}
		if s.want != "" && got.State != s.want {
			tb.Fatalf("step %d: Apply(%T) state = %s, want %s", i, s.cmd, got.State, s.want)
		}
		c = got
	}
	return c
}

// deepCopy copies c through its storage form, which shares nothing with c.
func deepCopy(tb testing.TB, c mediation.Case) mediation.Case {
	tb.Helper()
	b, err := mediation.MarshalRecord(c)
	if err != nil {
		tb.Fatalf("MarshalRecord: %v", err)
	}
	out, err := mediation.UnmarshalRecord(b)
	if err != nil {
		tb.Fatalf("UnmarshalRecord: %v", err)
	}
	return out
}

// both are the parties of every test case.
var both = []mediation.PartyID{"p1", "p2"}

// written is a written agreement stating all five items of the 2002 rules art. 35 (the
// parties' particulars come from the case; signatures and seal follow).
func written(terms string) mediation.DraftAgreement {
	return mediation.DraftAgreement{
		Facts: "楼上卫生间漏水致楼下吊顶受损，李四负主要责任", Terms: terms,
		Performance: mediation.Performance{Manner: "维修并现金赔偿", Place: "莲子营社区调解室", Deadline: day(2026, 12, 31, 17, 0)},
	}
}

// oral is an oral agreement both parties chose (art. 28).
func oral(terms string) mediation.RecordOralAgreement {
	return mediation.RecordOralAgreement{Terms: terms, ChosenBy: both}
}
