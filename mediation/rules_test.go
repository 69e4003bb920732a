package mediation_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/identity"
	"github.com/gridgov/gridgov/mediation"
)

// TestApply_InvitationConsent: relatives, neighbours, colleagues, experts and people of
// social organisations join a case only after the parties consent (在征得当事人的同意
// 后, People's Mediation Law art. 20). The consent is recorded with the assignment.
func TestApply_InvitationConsent(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	t1 := t0.Add(72 * time.Hour)
	invite := func(consent ...mediation.PartyID) mediation.Assign {
		return mediation.Assign{Person: "n1", How: mediation.Invited, Kind: mediation.KindNeighbour, Name: "王五", ConsentedBy: consent}
	}
	tests := []struct {
		name   string
		reason string
		cmd    mediation.Assign
		rule   string
		kind   error
	}{
		{name: "EveryPartyConsents", reason: "art. 20: invited after the parties consent", cmd: invite("p1", "p2")},
		{name: "ErrNoConsent", reason: "art. 20: an invitation without the parties' consent is refused (it used to be accepted)",
			cmd: invite(), rule: "assignment.invitation-consent", kind: gridgov.ErrPrecondition},
		{name: "ErrOnePartyConsents", reason: "art. 20: the respondent has not consented",
			cmd: invite("p1"), rule: "assignment.invitation-consent", kind: gridgov.ErrPrecondition},
		{name: "ErrStrangerConsents", reason: "art. 20: only parties consent",
			cmd: invite("p1", "p2", "p9"), rule: "assignment.unknown-party", kind: gridgov.ErrInvalid},
		{name: "Colleague", reason: "art. 20 names colleagues (同事) among those invited",
			cmd: mediation.Assign{Person: "n2", How: mediation.Invited, Kind: mediation.KindColleague, Name: "赵六", ConsentedBy: both}},
		{name: "Organisation", reason: "art. 20 names people of relevant social organisations (有关社会组织的人员)",
			cmd: mediation.Assign{Person: "n3", How: mediation.Invited, Kind: mediation.KindOrganisation, Name: "消协工作人员", ConsentedBy: both}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.run(t, mediation.Case{}, upToMediating(t0))
			c = w.run(t, c, []step{{by: "m3a", at: t1, cmd: tt.cmd, rule: tt.rule, kind: tt.kind}})
			a, ok := c.Assignment(tt.cmd.Person)
			if tt.rule != "" {
				if ok {
					t.Errorf("refused invitation left an assignment %+v (%s)", a, tt.reason)
				}
				return
			}
			if !ok || len(a.ConsentedBy) != 2 {
				t.Errorf("assignment = %+v, %v; want the parties' consent recorded (%s)", a, ok, tt.reason)
			}
		})
	}
}

// TestApply_WrittenAgreementContent: under the policy's ContentRules2002 a written
// agreement states the five items of the 2002 rules art. 35; under ContentFree (the
// law's art. 29 says 可以载明, "may state") only the terms are required.
func TestApply_WrittenAgreementContent(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	t1 := t0.Add(72 * time.Hour)
	without := func(edit func(*mediation.DraftAgreement)) mediation.DraftAgreement {
		d := written("李四维修并赔偿张三800元")
		edit(&d)
		return d
	}
	tests := []struct {
		name    string
		reason  string
		content mediation.ContentRule
		noID    bool // p2 carries no resident ID
		cmd     mediation.DraftAgreement
		rule    string
	}{
		{name: "AllFiveItems", reason: "2002 rules art. 35 (1)–(4) stated; (5) follows by signature and seal",
			content: mediation.ContentRules2002, cmd: written("李四维修并赔偿张三800元")},
		{name: "ErrNoParticulars", reason: "art. 35(1): the parties' basic particulars (a resident ID or credit code for every party)",
			content: mediation.ContentRules2002, noID: true, cmd: written("赔偿"), rule: "agreement.content"},
		{name: "ErrNoFacts", reason: "art. 35(2): the facts, matters in dispute and responsibility",
			content: mediation.ContentRules2002, cmd: without(func(d *mediation.DraftAgreement) { d.Facts = "" }), rule: "agreement.content"},
		{name: "ErrNoTerms", reason: "art. 35(3): the parties' rights and obligations",
			content: mediation.ContentRules2002, cmd: without(func(d *mediation.DraftAgreement) { d.Terms = " " }), rule: "agreement.terms"},
		{name: "ErrNoManner", reason: "art. 35(4): the manner of performance",
			content: mediation.ContentRules2002, cmd: without(func(d *mediation.DraftAgreement) { d.Performance.Manner = "" }), rule: "agreement.content"},
		{name: "ErrNoPlace", reason: "art. 35(4): the place of performance",
			content: mediation.ContentRules2002, cmd: without(func(d *mediation.DraftAgreement) { d.Performance.Place = "" }), rule: "agreement.content"},
		{name: "ErrNoDeadline", reason: "art. 35(4): the time limit of performance",
			content: mediation.ContentRules2002, cmd: without(func(d *mediation.DraftAgreement) { d.Performance.Deadline = time.Time{} }), rule: "agreement.content"},
		{name: "ErrDeadlinePassed", reason: "art. 35(4): a time limit already past cannot be performed by",
			content: mediation.ContentRules2002, cmd: without(func(d *mediation.DraftAgreement) { d.Performance.Deadline = t0 }), rule: "agreement.performance-deadline"},
		{name: "FreeContent", reason: "the law's art. 29 lists the content as what an agreement 'may' state: under ContentFree the terms suffice",
			content: mediation.ContentFree, noID: true, cmd: mediation.DraftAgreement{Terms: "赔偿"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := w
			w.policy.WrittenContent = tt.content
			steps := upToMediating(t0)
			if tt.noID {
				o := openCmd(rLZY, mediation.DisputeNeighbour)
				o.Parties[1].IDNumber = identity.ResidentID{}
				steps[0].cmd = o
			}
			c := w.run(t, mediation.Case{}, steps)
			c = w.run(t, c, []step{{by: "m3a", at: t1, cmd: tt.cmd, rule: tt.rule, kind: gridgov.ErrInvalid}})
			if tt.rule != "" {
				return
			}
			if c.State != mediation.StateDrafted || c.Agreement.Facts != tt.cmd.Facts || c.Agreement.Performance != tt.cmd.Performance {
				t.Fatalf("agreement = %+v in %s, want the drafted content (%s)", c.Agreement, c.State, tt.reason)
			}
			// Item (5): signatures of both parties and the mediator, and the seal.
			c = w.run(t, c, []step{
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p1"}},
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p2"}},
				{by: "m3a", at: t1, cmd: mediation.Seal{}, want: mediation.StateDrafted},
				{by: "m3a", at: t1, cmd: mediation.Sign{Mediator: "m3a"}, want: mediation.StateAgreed},
			})
		})
	}
}

// TestApply_OralAgreementChoice: an oral agreement is the parties' choice when they see
// no need for a written one (当事人认为无需制作调解协议书的，可以采取口头协议方式, People's
// Mediation Law art. 28); the record says they chose it.
func TestApply_OralAgreementChoice(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	t1 := t0.Add(72 * time.Hour)
	tests := []struct {
		name   string
		reason string
		cmd    mediation.RecordOralAgreement
		rule   string
		kind   error
	}{
		{name: "BothChoose", reason: "art. 28: both parties chose an oral agreement", cmd: oral("互相道歉")},
		{name: "ErrNobodyChose", reason: "art. 28: the choice is the parties', so it must be on record (it used to be assumed)",
			cmd: mediation.RecordOralAgreement{Terms: "互相道歉"}, rule: "agreement.oral-choice", kind: gridgov.ErrPrecondition},
		{name: "ErrOneChose", reason: "art. 28: the respondent did not choose it",
			cmd: mediation.RecordOralAgreement{Terms: "互相道歉", ChosenBy: []mediation.PartyID{"p1"}}, rule: "agreement.oral-choice", kind: gridgov.ErrPrecondition},
		{name: "ErrNoTerms", reason: "art. 28: the mediator records the agreement's content",
			cmd: mediation.RecordOralAgreement{ChosenBy: both}, rule: "agreement.terms", kind: gridgov.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.run(t, mediation.Case{}, upToMediating(t0))
			c = w.run(t, c, []step{{by: "m3a", at: t1, cmd: tt.cmd, rule: tt.rule, kind: tt.kind}})
			if tt.rule != "" {
				return
			}
			if c.State != mediation.StateAgreed || c.Agreement.Form != mediation.Oral || len(c.Agreement.ChosenBy) != 2 {
				t.Errorf("case %s, agreement %+v; want an oral agreement in effect with both parties' choice recorded", c.State, c.Agreement)
			}
		})
	}
}

// TestCheckRooms_Committee: the committee rules the People's Mediation Law fixes — one
// chair and a member of a smaller ethnic group in multi-ethnic areas (art. 8),
// members elected for three-year terms (art. 9) — and the mediator qualifications of
// art. 14, kept as data. Each row edits 东水关's valid room.
func TestCheckRooms_Committee(t *testing.T) {
	p := mediation.QinhuaiPolicy()
	tree := testTree(t)
	now := day(2025, 9, 1, 9, 0)
	tests := []struct {
		name   string
		reason string
		edit   func(*mediation.Room)
		at     time.Time
		want   []string // the rules broken, in order
	}{
		{name: "Valid", reason: "one chair, elected members, art. 14 qualifications", edit: func(*mediation.Room) {}, at: now},
		{name: "ErrNoChair", reason: "art. 8: 设主任一人, a committee has a chair",
			edit: func(r *mediation.Room) { r.Mediators[0].Chair = false }, at: now, want: []string{"committee.chair"}},
		{name: "ErrTwoChairs", reason: "art. 8: one chair (deputies, 副主任, are not chairs)",
			edit: func(r *mediation.Room) { r.Mediators[1].Chair = true }, at: now, want: []string{"committee.chair"}},
		{name: "ErrChairNotMember", reason: "art. 8: the chair is one of the committee",
			edit: func(r *mediation.Room) {
				r.Mediators = append(r.Mediators, qualified(mediation.Mediator{Person: "m4z", Kind: mediation.KindPeoplesMediator, Chair: true}))
			}, at: now, want: []string{"committee.chair-not-member"}},
		{name: "ErrMultiEthnicNoMinority", reason: "art. 8: 多民族居住的地区应当有人数较少民族的成员",
			edit: func(r *mediation.Room) { r.MultiEthnic = true }, at: now, want: []string{"committee.minority"}},
		{name: "MultiEthnicWithMinority", reason: "art. 8: a member of a smaller ethnic group on the committee",
			edit: func(r *mediation.Room) { r.MultiEthnic, r.Mediators[2].Minority = true, true }, at: now},
		{name: "ErrMinorityNotMember", reason: "art. 8 asks for a committee member, not a roster mediator",
			edit: func(r *mediation.Room) {
				r.MultiEthnic = true
				r.Mediators = append(r.Mediators, qualified(mediation.Mediator{Person: "m4z", Kind: mediation.KindPeoplesMediator, Minority: true}))
			}, at: now, want: []string{"committee.minority"}},
		{name: "ErrNotElected", reason: "art. 9: committee members are elected (推选产生) to a term",
			edit: func(r *mediation.Room) { r.Mediators[1].Elected = time.Time{} }, at: now, want: []string{"committee.term-elected"}},
		{name: "ErrNotYetElected", reason: "art. 9: a term that has not begun",
			edit: func(*mediation.Room) {}, at: day(2023, 12, 1, 9, 0),
			want: []string{"committee.term-elected", "committee.term-elected", "committee.term-elected"}},
		{name: "TermLastDay", reason: "art. 9: elected 5 January 2024, the three-year term still runs on 4 January 2027",
			edit: func(*mediation.Room) {}, at: day(2027, 1, 4, 23, 0)},
		{name: "ErrTermExpired", reason: "art. 9: 每届任期三年 — the term ended on 5 January 2027",
			edit: func(*mediation.Room) {}, at: day(2027, 1, 5, 0, 0),
			want: []string{"committee.term-expired", "committee.term-expired", "committee.term-expired"}},
		{name: "ReElected", reason: "art. 9: 可以连选连任 — a re-elected member starts a new term",
			edit: func(r *mediation.Room) {
				for i := range r.Mediators {
					r.Mediators[i].Elected = day(2027, 1, 5, 9, 0)
				}
			}, at: day(2027, 1, 6, 9, 0)},
		{name: "ErrQualificationMissing", reason: "art. 14: legal knowledge (法律知识) not on record",
			edit: func(r *mediation.Room) { r.Mediators[2].Qualifications = mediation.Art14()[:5] }, at: now,
			want: []string{"mediators.qualification"}},
		{name: "ErrNoQualifications", reason: "art. 14 applies to every mediator on the roster, committee member or not",
			edit: func(r *mediation.Room) {
				r.Mediators = append(r.Mediators, mediation.Mediator{Person: "m4z", Kind: mediation.KindPeoplesMediator})
			}, at: now, want: []string{"mediators.qualification"}},
		{name: "ErrQualificationUnknown", reason: "qualifications are the policy's data; an unknown one is a typo, not a qualification",
			edit: func(r *mediation.Room) {
				r.Mediators[0].Qualifications = append(mediation.Art14(), "charisma")
			}, at: now, want: []string{"mediators.qualification-unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room := testRooms()[3]
			room.Mediators = slices.Clone(room.Mediators)
			tt.edit(&room)
			var got []string
			for _, v := range mediation.CheckRooms(p, tree, []mediation.Room{room}, tt.at) {
				got = append(got, v.Rule)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("CheckRooms rules = %v, want %v (%s)", got, tt.want, tt.reason)
			}
		})
	}
	t.Run("NetworkCheck", func(t *testing.T) {
		net, err := mediation.NewNetwork(p, tree, testRooms())
		if err != nil {
			t.Fatalf("NewNetwork: %v", err)
		}
		if vs := net.Check(p, now); len(vs) != 0 {
			t.Errorf("Check(2025) = %v, want none", vs)
		}
		// Every committee of the test network was elected in January 2024: in 2027 each
		// room reports its three members' expired terms.
		if vs := net.Check(p, day(2027, 2, 1, 9, 0)); len(vs) != 7*3 || vs[0].Rule != "committee.term-expired" {
			t.Errorf("Check(2027) = %d violations (%v), want the 21 members' expired terms", len(vs), vs)
		}
	})
}
