package main

import (
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/identity"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/store/memstore"
)

// The parties' numbers, as the applicant wrote them on her form. They go into the
// case and are never printed: the report shows them masked.
const (
	applicantID    = "320104195803120427"
	applicantPhone = "13905171234"
	respondentID   = "320104196207150413"
)

// mediation runs scene 4: a neighbour dispute at the address located in scene 2,
// mediated in 乌衣巷社区's room of the 苔花调解工作室 network.
func (s *story) mediation() {
	s.section(4, "Mediation 人民调解 in the community's room")
	pol := mediation.QinhuaiPolicy()
	room := pol.Brand.Number(47)
	elected := s.cst(2024, 1, 8, 9, 0) // the committee's election, for 2024–2027
	net := must(mediation.NewNetwork(pol, s.tree, []mediation.Room{{
		ID: room, Name: pol.Brand.Name + "（乌衣巷社区）", Host: wuyixiang,
		// The committee: 3 to 9 members including a woman, one of them the chair
		// (People's Mediation Law art. 8), elected for three years (art. 9), each with
		// the qualifications of art. 14 on record. Each mediates in the post the roster
		// names: authority comes from that post while it is in force.
		Mediators: []mediation.Mediator{
			{Person: chenShuhua, Name: "陈淑华", Kind: mediation.KindPeoplesMediator, Woman: true, Committee: true, Chair: true,
				Post: act(chenShuhua, wuyixiang).Post, Elected: elected, Qualifications: mediation.Art14()},
			{Person: huangLu, Name: "黄璐", Kind: mediation.KindGridLegalOfficer, Committee: true,
				Post: act(huangLu, wuyixiang).Post, Elected: elected, Qualifications: mediation.Art14()},
			{Person: zhangWei, Name: "张伟", Kind: mediation.KindPoliceOfficer, Committee: true,
				Post: act(zhangWei, beat).Post, Elected: elected, Qualifications: mediation.Art14()},
		},
	}}))
	clock := gridgov.NewManualClock(s.cst(2025, 10, 9, 9, 0))
	svc := must(mediation.NewService(memstore.New(), pol, net, s.cal,
		&mediation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(47)}))
	r, ok := net.Room(room)
	found(ok, "room "+string(room))
	s.printf("room %s %s, committee of %d with a woman and a chair (art. 8)\n", room, r.Name, len(r.Mediators))

	parties := []mediation.Party{
		{ID: "p1", Role: mediation.RoleApplicant, Name: "张秀英",
			IDNumber: must(identity.ParseResidentID(applicantID)), Phone: must(identity.ParsePhone(applicantPhone))},
		{ID: "p2", Role: mediation.RoleRespondent, Name: "刘建国", IDNumber: must(identity.ParseResidentID(respondentID))},
	}
	c := must(svc.Open(s.ctx, act(chenShuhua, wuyixiang), mediation.Open{Room: room, Dispute: mediation.DisputeNeighbour,
		Summary: "楼上漏水, " + s.address.Normalized, Source: mediation.Source{Kind: mediation.SourceApplication},
		Parties: parties}))
	s.printf("case %s: %s dispute, %s (grid %s)\n", c.ID, c.Dispute, c.Summary, s.address.Grid)
	// Resident IDs and phones mask themselves in every printed form.
	p1, ok := c.Party("p1")
	found(ok, "party p1")
	s.printf("  party %v\n", p1)

	id := c.ID
	step := func(at time.Time, who hierarchy.PersonID, cmd mediation.Command) mediation.Case {
		clock.Set(at)
		// Both mediators of this case act in their posts in the community.
		next, events, err := svc.Do(s.ctx, id, act(who, wuyixiang), cmd)
		check(err)
		var notes []string
		for _, e := range events {
			notes = append(notes, string(e.Kind)+": "+e.Note)
		}
		s.printf("  %s %s %s\n", stamp(at), pad(s.name(who), 6), strings.Join(notes, "; "))
		return next
	}
	step(s.cst(2025, 10, 9, 9, 30), chenShuhua, mediation.Accept{})
	step(s.cst(2025, 10, 9, 9, 40), chenShuhua, mediation.Assign{Person: huangLu, How: mediation.Chosen,
		ChosenBy: []mediation.PartyID{"p1", "p2"}})
	step(s.cst(2025, 10, 10, 14, 0), huangLu, mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"},
		Mediators: []hierarchy.PersonID{huangLu}, Minutes: "查看301室卫生间防水层"})
	// A written agreement states the five items of the 2002 rules (人民调解工作若干规定
	// art. 35): the parties' particulars (from the case), the facts and responsibility,
	// the terms, and how, where and by when they are performed.
	step(s.cst(2025, 10, 10, 15, 0), huangLu, mediation.DraftAgreement{
		Facts: "302室卫生间防水层老化漏水，致301室吊顶受损，刘建国负全部责任",
		Terms: "刘建国修复防水层，并赔偿吊顶维修费1200元",
		Performance: mediation.Performance{Manner: "自行维修；赔偿款当面现金支付", Place: "乌衣巷社区调解室",
			Deadline: s.cst(2025, 10, 25, 17, 0)}})
	// A written agreement takes effect when every party and a mediator have signed it
	// and the room has sealed it (art. 29).
	step(s.cst(2025, 10, 10, 15, 10), huangLu, mediation.Sign{Party: "p1"})
	step(s.cst(2025, 10, 10, 15, 12), huangLu, mediation.Sign{Party: "p2"})
	step(s.cst(2025, 10, 10, 15, 15), huangLu, mediation.Sign{Mediator: huangLu})
	c = step(s.cst(2025, 10, 10, 15, 20), chenShuhua, mediation.Seal{})

	// Both parties may apply for judicial confirmation (司法确认) within 30 days of the
	// agreement taking effect (art. 33): calendar days, the last one moved off a
	// weekend or holiday.
	s.printf("judicial confirmation (司法确认) by %s, %s\n",
		c.Confirmation.Deadline.Format("Mon 2006-01-02"), pol.Limits.Confirmation)
	c = step(s.cst(2025, 10, 17, 10, 0), chenShuhua, mediation.RecordVisit{Visit: 0,
		Finding: mediation.Performing, Notes: "防水层已修复，赔偿款待付"})
	for _, v := range must(svc.DueVisits(s.ctx, s.cst(2025, 12, 31, 0, 0))) {
		s.printf("next return visit (回访) due %s\n", v.Due.Format("Mon 2006-01-02"))
	}
	concluded, ok := c.Concluded()
	found(ok, "the conclusion of mediation case "+string(c.ID))
	s.printf("concluded %s, on time: %v (deadline %s)\n", stamp(concluded), c.OnTime(), c.Deadline.Format("Mon 2006-01-02"))
}
