package mediation_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/identity"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/store/memstore"
)

// exampleNetwork builds a district, a street and a community, each hosting a room of the
// 苔花调解工作室 brand.
func exampleNetwork() (mediation.Policy, *mediation.Network) {
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b.AddUnit(hierarchy.Unit{ID: "320104", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	b.AddUnit(hierarchy.Unit{ID: "320104002", Code: "320104002", Name: "夫子庙街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "320104002001", Code: "320104002001", Name: "莲子营社区", Level: hierarchy.LevelCommunity, Parent: "320104002"})
	// Each committee member mediates in a post of the tree ("person@unit"), pinned on
	// the roster: authority to act comes from that post while it is in force.
	committee := func(prefix string, unit hierarchy.UnitID) []mediation.Mediator {
		ms := []mediation.Mediator{
			{Person: hierarchy.PersonID(prefix + "-wang"), Name: "王", Kind: mediation.KindPeoplesMediator, Woman: true, Committee: true, Chair: true},
			{Person: hierarchy.PersonID(prefix + "-li"), Name: "李", Kind: mediation.KindGridLegalOfficer, Committee: true},
			{Person: hierarchy.PersonID(prefix + "-zhao"), Name: "赵", Kind: mediation.KindPoliceOfficer, Committee: true},
		}
		for i, m := range ms {
			ms[i].Post = hierarchy.PostID(string(m.Person) + "@" + string(unit))
			// Elected in January 2024 for three years (art. 9), with the
			// qualifications of art. 14 on record.
			ms[i].Elected = time.Date(2024, 1, 5, 0, 0, 0, 0, calendar.Default().Location())
			ms[i].Qualifications = mediation.Art14()
			b.AddPerson(hierarchy.Person{ID: m.Person, Name: m.Name})
			b.AddPost(hierarchy.Post{ID: ms[i].Post, Person: m.Person, Unit: unit, Role: hierarchy.RoleMediator})
		}
		return ms
	}
	rooms := []mediation.Room{
		{ID: "QHTH-001", Name: "苔花调解工作室（秦淮区）", Host: "320104", Mediators: committee("qh", "320104")},
		{ID: "QHTH-002", Name: "苔花调解工作室（夫子庙街道）", Host: "320104002", Mediators: committee("fzm", "320104002")},
		{ID: "QHTH-003", Name: "苔花调解工作室（莲子营社区）", Host: "320104002001", Mediators: committee("lzy", "320104002001")},
	}
	tree, err := b.Build()
	if err != nil {
		panic(err)
	}
	p := mediation.QinhuaiPolicy()
	net, err := mediation.NewNetwork(p, tree, rooms)
	if err != nil {
		panic(err)
	}
	return p, net
}

// lzyWang is the chair of 莲子营's room, acting in her post there.
var lzyWang = hierarchy.Actor{Person: "lzy-wang", Post: "lzy-wang@320104002001"}

func exampleParties() []mediation.Party {
	return []mediation.Party{
		{ID: "p1", Role: mediation.RoleApplicant, Name: "张三",
			IDNumber: identity.MustParseResidentID("320104199001011235"), Phone: identity.MustParsePhone("13812345678")},
		{ID: "p2", Role: mediation.RoleRespondent, Name: "李四", IDNumber: identity.MustParseResidentID("320104198512154567")},
	}
}

// Example runs a neighbour dispute through a community room: accepted, mediated, a
// written agreement signed and sealed, then the judicial-confirmation window and the
// return visits it starts.
func Example() {
	p, net := exampleNetwork()
	cst := calendar.Default().Location()
	env := mediation.Env{Network: net, Calendar: calendar.Default(), Actor: lzyWang}
	at := time.Date(2025, 9, 1, 9, 0, 0, 0, cst)
	c := mediation.Case{}
	for _, cmd := range []mediation.Command{
		mediation.Open{ID: "C1", Room: "QHTH-003", Dispute: mediation.DisputeNeighbour, Summary: "楼上漏水",
			Source: mediation.Source{Kind: mediation.SourceGrid, Ref: "grid-report-0457"}, Parties: exampleParties()},
		mediation.Accept{},
		mediation.Assign{Person: "lzy-li", How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p1", "p2"}},
		mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{"lzy-li"}, Minutes: "查看漏水点"},
		// The five items of the 2002 rules art. 35: the parties' particulars (from the
		// case), the facts, the terms, and how, where and by when they are performed;
		// the signatures and the seal follow.
		mediation.DraftAgreement{Facts: "楼上卫生间漏水致楼下吊顶受损，李四负全部责任", Terms: "李四维修并赔偿张三800元",
			Performance: mediation.Performance{Manner: "维修并现金支付", Place: "莲子营社区调解室", Deadline: time.Date(2025, 9, 30, 17, 0, 0, 0, cst)}},
		mediation.Sign{Party: "p1"},
		mediation.Sign{Party: "p2"},
		mediation.Sign{Mediator: "lzy-li"},
		mediation.Seal{},
	} {
		next, events, err := p.Apply(c, cmd, at, env)
		if err != nil {
			fmt.Println(err)
			return
		}
		c = next
		for _, e := range events {
			fmt.Printf("%d %s %s\n", e.Seq, e.Kind, e.Note)
		}
		at = at.Add(19 * 24 * time.Hour / 8)
	}
	fmt.Println("judicial confirmation until", c.Confirmation.Deadline.Format(time.DateOnly))
	for _, v := range c.Visits {
		fmt.Println("return visit due", v.Due.Format(time.DateOnly))
	}
	// Output:
	// 1 opened grid grid-report-0457, 2 parties
	// 2 accepted deadline 2025-10-09 23:59:59
	// 3 mediator-assigned lzy-li chosen (grid-legal-officer)
	// 4 session-held session 1 (private)
	// 5 agreement-drafted written agreement drafted
	// 6 agreement-signed signed by p1
	// 7 agreement-signed signed by p2
	// 8 agreement-signed signed by lzy-li
	// 9 agreement-sealed sealed by room QHTH-003
	// 10 agreed written agreement in effect; judicial confirmation until 2025-10-20 23:59:59; 2 return visits
	// judicial confirmation until 2025-10-20
	// return visit due 2025-09-28
	// return visit due 2025-10-20
}

// ExampleSpan_Deadline shows the judicial-confirmation window counted in calendar days
// across the 2025 National Day holiday (1–8 October).
func ExampleSpan_Deadline() {
	window := mediation.QinhuaiPolicy().Limits.Confirmation
	cal := calendar.Default()
	cst := cal.Location()
	for _, effective := range []time.Time{
		time.Date(2025, 9, 20, 10, 0, 0, 0, cst), // the holiday lies inside the window
		time.Date(2025, 9, 5, 10, 0, 0, 0, cst),  // the 30th day, 5 October, is a holiday
	} {
		fmt.Printf("%s: effective %s, apply by %s\n", window, effective.Format(time.DateOnly),
			window.Deadline(cal, effective).Format(time.DateOnly))
	}
	// Output:
	// 30 days (rolled over holidays): effective 2025-09-20, apply by 2025-10-20
	// 30 days (rolled over holidays): effective 2025-09-05, apply by 2025-10-09
}

// ExampleParty shows that a party's resident ID and phone print masked everywhere; only
// Reveal gives the full number.
func ExampleParty() {
	p := exampleParties()[0]
	fmt.Println(p)
	fmt.Printf("%+v\n", p)
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("party", "party", p)
	fmt.Println(p.IDNumber.Reveal())
	// Output:
	// {applicant p1 张三 id:320104********1235 phone:138****5678}
	// {applicant p1 张三 id:320104********1235 phone:138****5678}
	// {"level":"INFO","msg":"party","party":{"id":"p1","role":"applicant","name":"张三","id_number":"320104********1235","phone":"138****5678"}}
	// 320104199001011235
}

// ExampleService runs commands through a Service on the in-memory store, refusing one
// from a mediator of another room.
func ExampleService() {
	p, net := exampleNetwork()
	cst := calendar.Default().Location()
	clock := gridgov.NewManualClock(time.Date(2025, 9, 1, 9, 0, 0, 0, cst))
	svc, err := mediation.NewService(memstore.New(), p, net, calendar.Default(),
		&mediation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(7)})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	c, err := svc.Open(ctx, lzyWang, mediation.Open{
		Room: "QHTH-003", Dispute: mediation.DisputeFamily, Source: mediation.Source{Kind: mediation.SourceApplication},
		Parties: exampleParties(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _, err = svc.Do(ctx, c.ID, hierarchy.Actor{Person: "fzm-wang", Post: "fzm-wang@320104002"}, mediation.Accept{})
	fmt.Println(gridgov.RuleOf(err))
	// Authority comes from a post in force: naming the person alone is refused.
	_, _, err = svc.Do(ctx, c.ID, hierarchy.Actor{Person: "lzy-wang"}, mediation.Accept{})
	fmt.Println(gridgov.RuleOf(err), errors.Is(err, gridgov.ErrForbidden))
	clock.Advance(time.Hour)
	c, _, err = svc.Do(ctx, c.ID, lzyWang, mediation.Accept{})
	fmt.Println(c.State, c.Deadline.Format(time.DateOnly), err)
	c, _, err = svc.Do(ctx, c.ID, lzyWang, mediation.Refer{To: "QHTH-002", Direction: mediation.Up, Reason: "涉及多户"})
	fmt.Println(c.State, c.Room, err)
	// Output:
	// auth.room-mediator
	// auth.post-required true
	// accepted 2025-10-09 <nil>
	// referred QHTH-002 <nil>
}

// ExampleReportToPolice reports a dispute that may turn violent to the police (art. 25):
// the case stays open and mediation goes on; when the police take the matter up, the
// room ends mediation on that ground (2002 rules art. 22(2)).
func ExampleReportToPolice() {
	p, net := exampleNetwork()
	cst := calendar.Default().Location()
	env := mediation.Env{Network: net, Calendar: calendar.Default(), Actor: lzyWang}
	at := time.Date(2025, 9, 1, 9, 0, 0, 0, cst)
	c := mediation.Case{}
	for _, cmd := range []mediation.Command{
		mediation.Open{ID: "C2", Room: "QHTH-003", Dispute: mediation.DisputeNeighbour, Summary: "停车位争执",
			Source: mediation.Source{Kind: mediation.SourceApplication}, Parties: exampleParties()},
		mediation.Accept{},
		mediation.Assign{Person: "lzy-wang", How: mediation.Appointed},
		mediation.ReportToPolice{Reason: "一方扬言报复"},
		mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{"lzy-wang"}, Minutes: "稳定情绪"},
		mediation.Fail{Reason: mediation.FailTakenOver, Note: "派出所已受理为治安案件"},
	} {
		next, events, err := p.Apply(c, cmd, at, env)
		if err != nil {
			fmt.Println(err)
			return
		}
		c = next
		for _, e := range events {
			fmt.Printf("%s: %s\n", e.Kind, c.State)
		}
		at = at.Add(time.Hour)
	}
	fmt.Println(len(c.PoliceReports), "report;", c.Outcome.Reason)
	// Output:
	// opened: applied
	// accepted: accepted
	// mediator-assigned: accepted
	// reported-to-police: accepted
	// session-held: mediating
	// failed: failed
	// 1 report; taken-over
}

// ExampleCheckRooms reports a committee that breaks the rules of arts. 8 and 9: a room of
// a multi-ethnic area without a member of a smaller ethnic group, and, checked in 2027,
// the three-year terms of members elected in January 2024.
func ExampleCheckRooms() {
	p, net := exampleNetwork()
	r, _ := net.Room("QHTH-003")
	r.MultiEthnic = true
	cst := calendar.Default().Location()
	for _, v := range mediation.CheckRooms(p, net.Tree(), []mediation.Room{r}, time.Date(2027, 3, 1, 9, 0, 0, 0, cst)) {
		fmt.Println(v.Path, v.Rule)
	}
	// Output:
	// mediators[0].elected committee.term-expired
	// mediators[1].elected committee.term-expired
	// mediators[2].elected committee.term-expired
	// mediators committee.minority
}
