package mediation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

// endOf is the last second of a civil day, the form calendar-day deadlines take.
func endOf(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 59, 0, cst) }

// upToMediating opens a case in room 莲子营 on Monday 2025-09-01, accepts it, appoints
// m3a and holds one session.
func upToMediating(at time.Time) []step {
	return []step{
		{by: "m3a", at: at, cmd: openCmd(rLZY, mediation.DisputeNeighbour), want: mediation.StateApplied},
		{by: "m3a", at: at.Add(time.Hour), cmd: mediation.Accept{}, want: mediation.StateAccepted},
		{by: "m3a", at: at.Add(2 * time.Hour), cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}},
		{by: "m3a", at: at.Add(48 * time.Hour), cmd: mediation.HoldSession{
			Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{"m3a"}, Minutes: "双方陈述"},
			want: mediation.StateMediating},
	}
}

func kinds(h []mediation.Event) []mediation.EventKind {
	out := make([]mediation.EventKind, len(h))
	for i, e := range h {
		out[i] = e.Kind
	}
	return out
}

func TestApply_WrittenAgreementLifecycle(t *testing.T) {
	w := newWorld(t)
	mon := day(2025, 9, 1, 9, 0)
	c := w.run(t, mediation.Case{}, []step{
		{by: "m3a", at: mon, cmd: openCmd(rLZY, mediation.DisputeNeighbour), want: mediation.StateApplied},
		{by: "m3a", at: mon.Add(30 * time.Minute), cmd: mediation.Accept{}, want: mediation.StateAccepted},
		{by: "m3a", at: mon.Add(time.Hour), cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}},
		{by: "m3a", at: mon.Add(time.Hour), cmd: mediation.Assign{Person: "m3b", How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p1", "p2"}}},
		{by: "m3a", at: mon.Add(time.Hour), cmd: mediation.Assign{Person: "n1", How: mediation.Invited, Kind: mediation.KindNeighbour, Name: "王五", ConsentedBy: both}},
		{by: "m3b", at: day(2025, 9, 3, 14, 0), cmd: mediation.HoldSession{
			Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{"m3b", "n1"},
			Others: []string{"物业经理"}, Minutes: "查看漏水点，双方同意先修后赔"}, want: mediation.StateMediating},
		{by: "m3a", at: day(2025, 9, 20, 10, 0), cmd: written("李四维修并赔偿张三800元"), want: mediation.StateDrafted},
		{by: "m3a", at: day(2025, 9, 20, 10, 5), cmd: mediation.Sign{Party: "p1"}, want: mediation.StateDrafted},
		{by: "m3a", at: day(2025, 9, 20, 10, 6), cmd: mediation.Sign{Party: "p2"}, want: mediation.StateDrafted},
		{by: "m3a", at: day(2025, 9, 20, 10, 7), cmd: mediation.Sign{Mediator: "m3b"}, want: mediation.StateDrafted},
		{by: "m3a", at: day(2025, 9, 20, 16, 0), cmd: mediation.Seal{}, want: mediation.StateAgreed},
	})

	// One month from Monday 1 September ends on Wednesday 1 October, a National Day
	// holiday: the last day moves to Thursday 9 October, the first working day after.
	if want := endOf(2025, 10, 9); !c.Deadline.Equal(want) {
		t.Errorf("Deadline = %v, want %v", c.Deadline, want)
	}
	if want := day(2025, 9, 20, 16, 0); !c.Agreement.EffectiveAt.Equal(want) || !c.Outcome.At.Equal(want) {
		t.Errorf("EffectiveAt = %v, Outcome.At = %v, want both %v (the seal came last)", c.Agreement.EffectiveAt, c.Outcome.At, want)
	}
	if !c.OnTime() {
		t.Errorf("OnTime() = false for a case agreed on 20 September with deadline %v", c.Deadline)
	}
	// 30 calendar days from Saturday 20 September: Monday 20 October, not stretched by
	// the eight days of holiday inside the window.
	if want := endOf(2025, 10, 20); !c.Confirmation.Deadline.Equal(want) {
		t.Errorf("Confirmation.Deadline = %v, want %v", c.Confirmation.Deadline, want)
	}
	// 7 days lands on Saturday 27 September, which moves to Sunday 28, a day worked in
	// lieu (调休); one month lands on Monday 20 October.
	wantDue := []time.Time{endOf(2025, 9, 28), endOf(2025, 10, 20)}
	var gotDue []time.Time
	for _, v := range c.Visits {
		gotDue = append(gotDue, v.Due)
	}
	if diff := cmp.Diff(wantDue, gotDue); diff != "" {
		t.Errorf("visit dues mismatch (-want +got):\n%s", diff)
	}

	c = w.run(t, c, []step{
		{by: "m3a", at: day(2025, 9, 28, 10, 0), cmd: mediation.RecordVisit{Visit: 0, Finding: mediation.Performing, Notes: "已维修"}},
		{by: "m3a", at: day(2025, 10, 20, 9, 0), cmd: mediation.ApplyConfirmation{Parties: []mediation.PartyID{"p2", "p1"}, Court: "秦淮区人民法院"}},
		{by: "m3a", at: day(2025, 10, 20, 15, 0), cmd: mediation.RecordVisit{Visit: 1, Finding: mediation.Breached, Party: "p2", Notes: "赔偿款未付"}},
		{by: "m3a", at: day(2025, 10, 24, 9, 0), cmd: mediation.RecordConfirmation{Confirmed: true, Ruling: "(2025)苏0104民特123号"}},
		{by: "m3a", at: day(2025, 10, 25, 9, 0), cmd: mediation.Fail{Reason: mediation.FailNoAgreement}, rule: "state.transition", kind: gridgov.ErrPrecondition},
	})
	if c.State != mediation.StateAgreed || !c.Confirmation.Confirmed || len(c.Breaches) != 1 || c.Breaches[0].Visit != 1 {
		t.Errorf("after follow-up: state %s, confirmed %t, breaches %+v", c.State, c.Confirmation.Confirmed, c.Breaches)
	}
	want := []mediation.EventKind{
		mediation.EventOpened, mediation.EventAccepted, mediation.EventAssigned, mediation.EventAssigned,
		mediation.EventAssigned, mediation.EventSession, mediation.EventDrafted, mediation.EventSigned,
		mediation.EventSigned, mediation.EventSigned, mediation.EventSealed, mediation.EventAgreed,
		mediation.EventVisited, mediation.EventConfirmationApplied, mediation.EventVisited, mediation.EventBreach,
		mediation.EventConfirmationDecided,
	}
	if diff := cmp.Diff(want, kinds(c.History)); diff != "" {
		t.Errorf("history mismatch (-want +got):\n%s", diff)
	}
	for i, e := range c.History {
		if e.Seq != i+1 || e.Case != "C1" || e.Room != rLZY {
			t.Errorf("History[%d] = %+v: want seq %d, case C1, room %s", i, e, i+1, rLZY)
		}
	}
}

// TestApply_Outcomes runs each way a case can end, and the refusals on the way.
func TestApply_Outcomes(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	t1 := t0.Add(72 * time.Hour)
	tests := []struct {
		name   string
		reason string
		policy func(*mediation.Policy)
		steps  []step
		check  func(t *testing.T, c mediation.Case)
	}{
		{
			name: "OralAgreement", reason: "an oral agreement takes effect when reached and recorded (art. 30)",
			steps: []step{{by: "m3a", at: t1, cmd: oral("互相道歉"), want: mediation.StateAgreed}},
			check: func(t *testing.T, c mediation.Case) {
				if c.Agreement.Form != mediation.Oral || !c.Agreement.EffectiveAt.Equal(t1) || len(c.Agreement.Signatures) != 0 {
					t.Errorf("Agreement = %+v, want an oral agreement effective at %v", c.Agreement, t1)
				}
			},
		},
		{
			name: "ErrOralDisabled", reason: "a district may require every agreement in writing",
			policy: func(p *mediation.Policy) { p.OralAgreements = false },
			steps:  []step{{by: "m3a", at: t1, cmd: oral("互相道歉"), rule: "agreement.oral-disabled", kind: gridgov.ErrForbidden}},
		},
		{
			name: "SealFirstThenSignatures", reason: "the written agreement takes effect at the last of the signatures and the seal, in any order",
			steps: []step{
				{by: "m3a", at: t1, cmd: written("赔偿"), want: mediation.StateDrafted},
				{by: "m3a", at: t1, cmd: mediation.Seal{}, want: mediation.StateDrafted},
				{by: "m3a", at: t1, cmd: mediation.Sign{Mediator: "m3a"}, want: mediation.StateDrafted},
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p2"}, want: mediation.StateDrafted},
				{by: "m3a", at: t1.Add(time.Hour), cmd: mediation.Sign{Party: "p1"}, want: mediation.StateAgreed},
			},
			check: func(t *testing.T, c mediation.Case) {
				if !c.Agreement.EffectiveAt.Equal(t1.Add(time.Hour)) {
					t.Errorf("EffectiveAt = %v, want the last signature's time %v", c.Agreement.EffectiveAt, t1.Add(time.Hour))
				}
			},
		},
		{
			name: "ErrWrittenAgreementMisuse", reason: "signatures are a party's or an assigned mediator's, once each; the seal is given once; an invited neighbour's signature does not count",
			steps: []step{
				{by: "m3a", at: t1, cmd: mediation.Assign{Person: "n1", How: mediation.Invited, Kind: mediation.KindNeighbour, Name: "王五", ConsentedBy: both}},
				{by: "m3a", at: t1, cmd: written("赔偿"), want: mediation.StateDrafted},
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p1", Mediator: "m3a"}, rule: "agreement.signer", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.Sign{}, rule: "agreement.signer", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p9"}, rule: "agreement.unknown-party", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.Sign{Mediator: "m3b"}, rule: "agreement.mediator-not-assigned", kind: gridgov.ErrForbidden},
				{by: "m3a", at: t1, cmd: mediation.Sign{Mediator: "n1"}, rule: "agreement.mediator-not-assigned", kind: gridgov.ErrForbidden},
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p1"}},
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p1"}, rule: "agreement.signed-twice", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: t1, cmd: mediation.Seal{}},
				{by: "m3a", at: t1, cmd: mediation.Seal{}, rule: "agreement.sealed-twice", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: t1, cmd: mediation.Sign{Party: "p2"}, want: mediation.StateDrafted},
				{by: "m3a", at: t1, cmd: oral("x"), rule: "state.transition", kind: gridgov.ErrPrecondition},
			},
		},
		{
			name: "FailWithAdvice", reason: "a failed mediation records the advice on arbitration and court (art. 26) and ends the case",
			steps: []step{
				{by: "m3a", at: t1, cmd: mediation.Fail{Reason: "bored"}, rule: "failure.reason", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.Fail{Reason: mediation.FailNoAgreement}, want: mediation.StateFailed},
				{by: "m3a", at: t1, cmd: mediation.HoldSession{Parties: []mediation.PartyID{"p1"}, Mediators: []hierarchy.PersonID{"m3a"}, Minutes: "x"}, rule: "state.transition", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: t1, cmd: oral("x"), rule: "state.transition", kind: gridgov.ErrPrecondition},
			},
			check: func(t *testing.T, c mediation.Case) {
				if c.Outcome.Advice != mediation.QinhuaiPolicy().FailureAdvice {
					t.Errorf("Outcome.Advice = %q, want the policy's advice", c.Outcome.Advice)
				}
				if _, ok := c.Concluded(); !ok || !c.OnTime() {
					t.Errorf("Concluded/OnTime = false for a case failed within its month")
				}
			},
		},
		{
			name: "PartyWithdraws", reason: "a party may end mediation at any time; the record says who",
			steps: []step{
				{by: "m3a", at: t1, cmd: mediation.Fail{Reason: mediation.FailWithdrawn}, rule: "failure.party", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.Fail{Reason: mediation.FailWithdrawn, Party: "p2", Advice: "可向法院起诉"}, want: mediation.StateFailed},
			},
			check: func(t *testing.T, c mediation.Case) {
				if c.Outcome.Party != "p2" || c.Outcome.Advice != "可向法院起诉" {
					t.Errorf("Outcome = %+v, want party p2 and the command's advice", c.Outcome)
				}
			},
		},
		{
			name: "ReportToPolice", reason: "art. 25 (应当及时报告): a dispute that may lead to a public-order or criminal case is reported to the police, and mediation goes on; ending it is a separate step on its own ground (2002 rules art. 22(2))",
			steps: []step{
				{by: "m3a", at: t1, cmd: mediation.ReportToPolice{To: uPolice}, rule: "police.reason", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.ReportToPolice{To: "nowhere", Reason: "扬言报复"}, rule: "police.unknown-unit", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.ReportToPolice{To: uPolice, Ref: "FZM-2025-0457", Reason: "扬言报复"}, want: mediation.StateMediating},
				// The defect: a session after the report used to be refused.
				{by: "m3a", at: t1.Add(time.Hour), cmd: mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"},
					Mediators: []hierarchy.PersonID{"m3a"}, Minutes: "稳控情绪"}, want: mediation.StateMediating},
				{by: "m3a", at: t1.Add(2 * time.Hour), cmd: mediation.Fail{Reason: mediation.FailTakenOver}, rule: "failure.note", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1.Add(2 * time.Hour), cmd: mediation.Fail{Reason: mediation.FailTakenOver, Note: "夫子庙派出所立案 FZM-2025-0457"}, want: mediation.StateFailed},
			},
			check: func(t *testing.T, c mediation.Case) {
				want := []mediation.PoliceReport{{At: t1, Room: rLZY, To: uPolice, Ref: "FZM-2025-0457", Reason: "扬言报复"}}
				if diff := cmp.Diff(want, c.PoliceReports); diff != "" {
					t.Errorf("PoliceReports (-want +got):\n%s", diff)
				}
				if len(c.Sessions) != 2 || c.Outcome.Reason != mediation.FailTakenOver {
					t.Errorf("%d sessions, outcome %+v; want the session after the report and the taken-over ending", len(c.Sessions), c.Outcome)
				}
			},
		},
		{
			name: "ErrTimeGoesBackwards", reason: "a command dated before the last event would rewrite history",
			steps: []step{
				{by: "m3a", at: t0, cmd: oral("x"), rule: "time.order", kind: gridgov.ErrInvalid},
			},
		},
		{
			name: "ErrOpenTwice", reason: "Open applies only to the zero case",
			steps: []step{
				{by: "m3a", at: t1, cmd: openCmd(rLZY, mediation.DisputeNeighbour), rule: "case.open-once", kind: gridgov.ErrPrecondition},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := w
			if tt.policy != nil {
				tt.policy(&w.policy)
			}
			c := w.run(t, mediation.Case{}, upToMediating(t0))
			c = w.run(t, c, tt.steps)
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
	t.Run("ErrAgreementBeforeSession", func(t *testing.T) {
		// An accepted case with a mediator but no session yet.
		c := w.run(t, mediation.Case{}, upToMediating(t0)[:3])
		w.run(t, c, []step{
			{by: "m3a", at: t1, cmd: written("x"), rule: "state.transition", kind: gridgov.ErrPrecondition},
			{by: "m3a", at: t1, cmd: oral("x"), rule: "state.transition", kind: gridgov.ErrPrecondition},
		})
	})
	t.Run("ErrNotOpened", func(t *testing.T) {
		_, _, err := w.policy.Apply(mediation.Case{}, mediation.Accept{}, t0, w.env("m3a"))
		if gridgov.RuleOf(err) != "case.not-opened" || !errors.Is(err, gridgov.ErrPrecondition) {
			t.Errorf("Accept on the zero case: err = %v, want rule case.not-opened", err)
		}
	})
}

func TestApply_Open(t *testing.T) {
	w := newWorld(t)
	at := day(2025, 9, 1, 9, 0)
	tests := []struct {
		name   string
		reason string
		edit   func(*mediation.Open)
		rule   string
		state  mediation.State
	}{
		{name: "OK", reason: "a party's application", edit: func(*mediation.Open) {}, state: mediation.StateApplied},
		{name: "Initiative", reason: "the committee may start mediation itself (主动调解)",
			edit: func(o *mediation.Open) { o.Source = mediation.Source{Kind: mediation.SourceInitiative} }, state: mediation.StateInitiated},
		{name: "FromEscalation", reason: "a case referred from the escalation loop keeps its link",
			edit: func(o *mediation.Open) {
				o.Source = mediation.Source{Kind: mediation.SourceEscalation, Ref: "01JESC", Unit: uLZY}
			}, state: mediation.StateApplied},
		{name: "ErrLinkMissing", reason: "a referral from 12345 without its ticket loses the link",
			edit: func(o *mediation.Open) { o.Source = mediation.Source{Kind: mediation.Source12345} }, rule: "source.link-required"},
		{name: "ErrUnknownSource", reason: "sources are a closed set",
			edit: func(o *mediation.Open) { o.Source = mediation.Source{Kind: "rumour"} }, rule: "source.unknown"},
		{name: "ErrDispute", reason: "dispute types are the policy's",
			edit: func(o *mediation.Open) { o.Dispute = "cosmic" }, rule: "dispute.unknown"},
		{name: "ErrID", reason: "a case needs an ID", edit: func(o *mediation.Open) { o.ID = "" }, rule: "case.id-required"},
		{name: "ErrOneParty", reason: "a dispute has at least two parties",
			edit: func(o *mediation.Open) { o.Parties = o.Parties[:1] }, rule: "parties.too-few"},
		{name: "ErrDuplicateParty", reason: "party IDs are unique",
			edit: func(o *mediation.Open) { o.Parties[1].ID = "p1" }, rule: "parties.id"},
		{name: "ErrRole", reason: "roles are applicant, respondent, other",
			edit: func(o *mediation.Open) { o.Parties[1].Role = "witness" }, rule: "parties.role"},
		{name: "ErrName", reason: "a party has a name",
			edit: func(o *mediation.Open) { o.Parties[0].Name = " " }, rule: "parties.name"},
		{name: "ErrCreditCode", reason: "an organisation's credit code is checked before it is stored",
			edit: func(o *mediation.Open) { o.Parties[1].CreditCode = "91320104MA1MXXXX0X" }, rule: "parties.credit-code"},
		{name: "ErrRelation", reason: "a declared tie names a person and a recusal ground",
			edit: func(o *mediation.Open) {
				o.Parties[1].Relations = []mediation.Relation{{Person: "m3c", Ground: "friend"}}
			}, rule: "parties.relation"},
		{name: "ErrNoApplicant", reason: "an application needs an applicant",
			edit: func(o *mediation.Open) { o.Parties[0].Role = mediation.RoleOther }, rule: "parties.applicant-required"},
		{name: "ErrNoRespondent", reason: "a dispute is against someone",
			edit: func(o *mediation.Open) { o.Parties[1].Role = mediation.RoleApplicant }, rule: "parties.respondent-required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := openCmd(rLZY, mediation.DisputeNeighbour)
			tt.edit(&o)
			c, evs, err := w.policy.Apply(mediation.Case{}, o, at, w.env("m3a"))
			if tt.rule != "" {
				if gridgov.RuleOf(err) != tt.rule || !errors.Is(err, gridgov.ErrInvalid) {
					t.Fatalf("Apply(Open) err = %v, want rule %s wrapping ErrInvalid", err, tt.rule)
				}
				if c.State != "" || evs != nil {
					t.Errorf("refused Open returned case %s with %d events", c.State, len(evs))
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply(Open) = %v", err)
			}
			if c.State != tt.state || c.Source != o.Source || c.Room != rLZY || !c.OpenedAt.Equal(at) {
				t.Errorf("case = state %s source %+v room %s opened %v", c.State, c.Source, c.Room, c.OpenedAt)
			}
		})
	}
}

func TestApply_RefusalGrounds(t *testing.T) {
	w := newWorld(t)
	at := day(2025, 9, 1, 9, 0)
	tests := []struct {
		name   string
		reason string
		cmd    mediation.Refuse
		rule   string
	}{
		{name: "PartyRefuses", reason: "当事人一方明确拒绝调解的，不得调解 (People's Mediation Law art. 17)",
			cmd: mediation.Refuse{Ground: mediation.GroundPartyRefuses, Party: "p2"}},
		{name: "SpecialisedOrgan", reason: "only a specialised organ may handle it (2002 rules art. 22(1))",
			cmd: mediation.Refuse{Ground: mediation.GroundSpecialisedOrgan}},
		{name: "MediationBarred", reason: "the law forbids settling it by people's mediation (2002 rules art. 22(1))",
			cmd: mediation.Refuse{Ground: mediation.GroundMediationBarred}},
		{name: "AcceptedByCourt", reason: "a court has accepted or resolved it (2002 rules art. 22(2))",
			cmd: mediation.Refuse{Ground: mediation.GroundAcceptedByCourt, Note: "秦淮区法院已立案"}},
		{name: "AcceptedByPolice", reason: "the police have accepted or resolved it (2002 rules art. 22(2))",
			cmd: mediation.Refuse{Ground: mediation.GroundAcceptedByPolice, Note: "夫子庙派出所已受理"}},
		{name: "AcceptedByAdministration", reason: "another administrative organ has accepted or resolved it (2002 rules art. 22(2))",
			cmd: mediation.Refuse{Ground: mediation.GroundAcceptedByAdministration, Note: "区市场监管局已受理投诉"}},
		{name: "ErrAcceptedWithoutOrgan", reason: "art. 22(2) grounds name the organ that accepted the dispute",
			cmd: mediation.Refuse{Ground: mediation.GroundAcceptedByPolice}, rule: "refusal.note"},
		{name: "OutsideScope", reason: "not a civil dispute (民间纠纷, People's Mediation Law art. 2)",
			cmd: mediation.Refuse{Ground: mediation.GroundOutsideScope}},
		{name: "ErrArbitrationNotDefault", reason: "'before arbitration' is in neither the 2010 law nor the 2002 rules: a local ground Qinhuai's policy does not list",
			cmd: mediation.Refuse{Ground: mediation.GroundBeforeArbitration, Note: "已申请劳动仲裁"}, rule: "refusal.ground"},
		{name: "ErrOldCourtOrArbitration", reason: "art. 18 is no refusal ground (it lets courts and police suggest mediation); the old combined ground is gone",
			cmd: mediation.Refuse{Ground: "before-court-or-arbitration", Note: "已起诉"}, rule: "refusal.ground"},
		{name: "ErrNoGround", reason: "a refusal without a ground is arbitrary",
			cmd: mediation.Refuse{}, rule: "refusal.ground"},
		{name: "ErrUnknownGround", reason: "grounds are the policy's",
			cmd: mediation.Refuse{Ground: "too-busy"}, rule: "refusal.ground"},
		{name: "ErrRefusingPartyMissing", reason: "which party refuses must be on record",
			cmd: mediation.Refuse{Ground: mediation.GroundPartyRefuses}, rule: "refusal.party"},
		{name: "ErrRefusingPartyUnknown", reason: "the refusing party must be a party",
			cmd: mediation.Refuse{Ground: mediation.GroundPartyRefuses, Party: "p7"}, rule: "refusal.party"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.run(t, mediation.Case{}, []step{{by: "m3a", at: at, cmd: openCmd(rLZY, mediation.DisputeNeighbour)}})
			if tt.rule != "" {
				w.run(t, c, []step{{by: "m3a", at: at, cmd: tt.cmd, rule: tt.rule, kind: gridgov.ErrInvalid}})
				return
			}
			c = w.run(t, c, []step{{by: "m3a", at: at, cmd: tt.cmd, want: mediation.StateRefused}})
			if c.Outcome.Ground != tt.cmd.Ground || c.Outcome.Party != tt.cmd.Party {
				t.Errorf("Outcome = %+v, want ground %s party %q", c.Outcome, tt.cmd.Ground, tt.cmd.Party)
			}
			// A refused case cannot be accepted, mediated or agreed afterwards.
			w.run(t, c, []step{
				{by: "m3a", at: at, cmd: mediation.Accept{}, rule: "state.transition", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: at, cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}, rule: "state.transition"},
				{by: "m3a", at: at, cmd: mediation.HoldSession{Parties: []mediation.PartyID{"p1"}, Mediators: []hierarchy.PersonID{"m3a"}, Minutes: "x"}, rule: "state.transition"},
				{by: "m3a", at: at, cmd: oral("x"), rule: "state.transition"},
				{by: "m3a", at: at, cmd: mediation.Refer{To: rFZM, Direction: mediation.Up, Reason: "x"}, rule: "state.transition"},
			})
		})
	}
}

func TestApply_Recusal(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	t1 := t0.Add(24 * time.Hour)
	related := openCmd(rLZY, mediation.DisputeNeighbour)
	related.Parties[1].Relations = []mediation.Relation{{Person: "m3c", Ground: mediation.RecusalRelated, Note: "表兄"}}
	related.Parties[0].Person = "m3b" // the applicant is also the room's grid legal officer
	start := []step{
		{by: "m3a", at: t0, cmd: related},
		{by: "m3a", at: t0, cmd: mediation.Accept{}},
		{by: "m3a", at: t0, cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}},
	}
	tests := []struct {
		name   string
		reason string
		steps  []step
	}{
		{name: "ErrDeclaredRelative", reason: "a mediator a party declared as a relative is never assigned",
			steps: []step{{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m3c", How: mediation.Appointed}, rule: "recusal.related-to-party", kind: gridgov.ErrForbidden}}},
		{name: "ErrMediatorIsParty", reason: "a party cannot mediate their own dispute",
			steps: []step{{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m3b", How: mediation.Appointed}, rule: "recusal.has-interest", kind: gridgov.ErrForbidden}}},
		{name: "ErrNotOnRoster", reason: "appointed and chosen mediators come from the room's roster",
			steps: []step{{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m2a", How: mediation.Appointed}, rule: "assignment.not-on-roster", kind: gridgov.ErrForbidden}}},
		{name: "ErrAlreadyAssigned", reason: "a mediator is assigned once",
			steps: []step{{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m3a", How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p1"}}, rule: "assignment.duplicate", kind: gridgov.ErrPrecondition}}},
		{name: "ErrInvitedKind", reason: "only the kinds art. 20 names (relatives, neighbours, colleagues, experts, people of social organisations) are invited",
			steps: []step{{by: "m3a", at: t1, cmd: mediation.Assign{Person: "x1", How: mediation.Invited, Kind: mediation.KindJudge, Name: "某法官", ConsentedBy: both}, rule: "assignment.invited-kind", kind: gridgov.ErrInvalid}}},
		{name: "RecuseAndNeverReturn", reason: "a mediator who stepped aside cannot act, attend or be assigned again",
			steps: []step{
				{by: "m3a", at: t1, cmd: mediation.Recuse{Person: "m3a", Ground: "dislike"}, rule: "recusal.ground", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.Recuse{Person: "m3a", Ground: mediation.RecusalRelated}, rule: "recusal.party", kind: gridgov.ErrInvalid},
				{by: "m3a", at: t1, cmd: mediation.Recuse{Person: "m3c", Ground: mediation.RecusalInterest}, rule: "recusal.not-assigned", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: t1, cmd: mediation.Recuse{Person: "m3a", Ground: mediation.RecusalInterest, Party: "p2", RequestedBy: "p1", Note: "曾受雇于李四"}},
				{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}, rule: "auth.recused", kind: gridgov.ErrForbidden},
				{by: "m1a", at: t1, cmd: mediation.Accept{}, rule: "auth.room-mediator", kind: gridgov.ErrForbidden},
				// Neither the party nor the declared relative acts on the case.
				{by: "m3b", at: t1, cmd: mediation.Assign{Person: "m3d", How: mediation.Appointed}, rule: "auth.conflict", kind: gridgov.ErrForbidden},
				{by: "m3c", at: t1, cmd: mediation.Assign{Person: "m3d", How: mediation.Appointed}, rule: "auth.conflict", kind: gridgov.ErrForbidden},
				// The room's remaining mediator may act, but not bring the recused one back.
				{by: "m3d", at: t1, cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}, rule: "recusal.final", kind: gridgov.ErrForbidden},
				{by: "m3d", at: t1, cmd: mediation.HoldSession{Parties: []mediation.PartyID{"p1"}, Mediators: []hierarchy.PersonID{"m3a"}, Minutes: "x"}, rule: "session.recused-mediator", kind: gridgov.ErrForbidden},
				{by: "m3d", at: t1, cmd: mediation.HoldSession{Parties: []mediation.PartyID{"p1"}, Minutes: "x"}, rule: "session.needs-mediator", kind: gridgov.ErrPrecondition},
				{by: "m3d", at: t1, cmd: mediation.HoldSession{Parties: []mediation.PartyID{"p1"}, Mediators: []hierarchy.PersonID{"m3d"}, Minutes: "x"}, rule: "session.mediator-not-assigned", kind: gridgov.ErrForbidden},
				{by: "m3d", at: t1, cmd: mediation.Assign{Person: "m3d", How: mediation.Appointed}},
				{by: "m3d", at: t1.Add(time.Hour), cmd: mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{"m3d"}, Minutes: "重新调解"}, want: mediation.StateMediating},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.run(t, mediation.Case{}, start)
			c = w.run(t, c, tt.steps)
			if tt.name != "RecuseAndNeverReturn" {
				return
			}
			a := c.Mediators[0]
			if a.Active() || a.Recusal == nil || a.Recusal.RequestedBy != "p1" || !c.Recused("m3a") {
				t.Errorf("assignment after recusal = %+v, want ended with the recusal recorded", a)
			}
		})
	}
	t.Run("ChosenByEveryParty", func(t *testing.T) {
		c := w.run(t, mediation.Case{}, start)
		w.run(t, c, []step{
			{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m2a", How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p1", "p2"}}, rule: "assignment.not-on-roster"},
			{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m1a", How: "drafted"}, rule: "assignment.how"},
			{by: "m3a", at: t1, cmd: mediation.Assign{How: mediation.Appointed}, rule: "assignment.person"},
		})
		// m3c is barred by the relation; a fresh case without it lets p1 and p2 choose m3c.
		o := openCmd(rLZY, mediation.DisputeNeighbour)
		c = w.run(t, mediation.Case{}, []step{{by: "m3a", at: t0, cmd: o}, {by: "m3a", at: t0, cmd: mediation.Accept{}}})
		c = w.run(t, c, []step{
			{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m3c", How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p1"}}, rule: "assignment.chosen-by-every-party", kind: gridgov.ErrPrecondition},
			{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m3c", How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p1", "p3"}}, rule: "assignment.unknown-party", kind: gridgov.ErrInvalid},
			{by: "m3a", at: t1, cmd: mediation.Assign{Person: "m3c", How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p2", "p1"}}},
		})
		if a, ok := c.Assignment("m3c"); !ok || a.How != mediation.Chosen || a.Kind != mediation.KindLawyer {
			t.Errorf("Assignment(m3c) = %+v, %t; want chosen lawyer", a, ok)
		}
	})
}

func TestApply_Extension(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0) // deadline 2025-10-09 (1 October is a holiday)
	tests := []struct {
		name   string
		reason string
		policy func(*mediation.Policy)
		steps  []step
		want   time.Time // the deadline after the steps
	}{
		{name: "EveryPartyConsents", reason: "both parties agree to another month: 9 October + 1 month = Sunday 9 November → Monday 10 November",
			steps: []step{{by: "m3a", at: day(2025, 10, 9, 17, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}}},
			want:  endOf(2025, 11, 10)},
		{name: "ErrOnePartyConsents", reason: "an extension without every party's consent is refused and the deadline stays",
			steps: []step{{by: "m3a", at: day(2025, 10, 1, 9, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1"}}, rule: "extension.every-party-consents", kind: gridgov.ErrPrecondition}},
			want:  endOf(2025, 10, 9)},
		{name: "ErrUnknownConsent", reason: "only parties consent",
			steps: []step{{by: "m3a", at: day(2025, 10, 1, 9, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2", "boss"}}, rule: "extension.unknown-party", kind: gridgov.ErrInvalid}},
			want:  endOf(2025, 10, 9)},
		{name: "ErrAfterDeadline", reason: "a lapsed time limit cannot be extended",
			steps: []step{{by: "m3a", at: day(2025, 10, 10, 0, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}, rule: "extension.after-deadline", kind: gridgov.ErrPrecondition}},
			want:  endOf(2025, 10, 9)},
		{name: "ErrTooMany", reason: "Qinhuai's local rule (once-with-consent; the 2002 rules art. 33 say only 'generally within one month') allows one extension",
			steps: []step{
				{by: "m3a", at: day(2025, 10, 9, 9, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}},
				{by: "m3a", at: day(2025, 10, 9, 10, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}, rule: "extension.max", kind: gridgov.ErrPrecondition},
			},
			want: endOf(2025, 11, 10)},
		{name: "WhilePartiesAgree", reason: "the local rule 'continue while both parties agree' allows any number of extensions, each with every party's consent, here counted in working days",
			policy: func(p *mediation.Policy) {
				p.Limits.ExtensionRule = mediation.ExtendWhilePartiesAgree
				p.Limits.Extension = mediation.Span{WorkingDays: 5}
			},
			steps: []step{
				// 5 working days after Thursday 9 October: 10, 11 (Saturday worked in lieu), 13, 14, 15.
				{by: "m3a", at: day(2025, 10, 9, 9, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}},
				{by: "m3a", at: day(2025, 10, 9, 10, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}},
			},
			want: day(2025, 10, 22, 17, 30)},
		{name: "ErrWhilePartiesAgreeNeedsConsent", reason: "continuing needs both parties' agreement each time",
			policy: func(p *mediation.Policy) { p.Limits.ExtensionRule = mediation.ExtendWhilePartiesAgree },
			steps: []step{
				{by: "m3a", at: day(2025, 10, 9, 9, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}},
				{by: "m3a", at: day(2025, 10, 9, 10, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p2"}}, rule: "extension.every-party-consents", kind: gridgov.ErrPrecondition},
			},
			want: endOf(2025, 11, 10)},
		{name: "ErrDisabled", reason: "a district may choose no extension (rule none, a local choice)",
			policy: func(p *mediation.Policy) {
				p.Limits.ExtensionRule, p.Limits.Extension = mediation.ExtendNone, mediation.Span{}
			},
			steps: []step{{by: "m3a", at: day(2025, 10, 9, 9, 0), cmd: mediation.Extend{Consents: []mediation.PartyID{"p1", "p2"}}, rule: "extension.disabled", kind: gridgov.ErrPrecondition}},
			want:  endOf(2025, 10, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := w
			if tt.policy != nil {
				tt.policy(&w.policy)
			}
			c := w.run(t, mediation.Case{}, upToMediating(t0))
			c = w.run(t, c, tt.steps)
			if !c.Deadline.Equal(tt.want) {
				t.Errorf("Deadline = %v, want %v", c.Deadline, tt.want)
			}
			if n := len(c.Extensions); n > 0 && !c.Extensions[n-1].To.Equal(c.Deadline) {
				t.Errorf("last extension %+v does not end at the deadline %v", c.Extensions[n-1], c.Deadline)
			}
		})
	}
}

// TestApply_ConfirmationWindow checks the 30-day judicial-confirmation window across
// the 2025 National Day holiday (1–8 October, with 28 September and 11 October worked
// in lieu). The law counts calendar days: the holiday inside the window does not
// lengthen it; a last day on a holiday moves to the next working day.
func TestApply_ConfirmationWindow(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name      string
		reason    string
		effective time.Time
		deadline  time.Time
	}{
		{name: "HolidayInside", reason: "Saturday 20 September + 30 days = Monday 20 October; the eight holiday days inside do not count extra",
			effective: day(2025, 9, 20, 11, 0), deadline: endOf(2025, 10, 20)},
		{name: "LastDayOnHoliday", reason: "Friday 5 September + 30 days = Sunday 5 October, a holiday: the window closes on Thursday 9 October",
			effective: day(2025, 9, 5, 11, 0), deadline: endOf(2025, 10, 9)},
		{name: "LastDayWorkedInLieu", reason: "Thursday 11 September + 30 days = Saturday 11 October, a working day in lieu: no move",
			effective: day(2025, 9, 11, 11, 0), deadline: endOf(2025, 10, 11)},
	}
	both := []mediation.PartyID{"p1", "p2"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := tt.effective.Add(-96 * time.Hour)
			c := w.run(t, mediation.Case{}, upToMediating(start))
			c = w.run(t, c, []step{{by: "m3a", at: tt.effective, cmd: oral("赔偿")}})
			if !c.Confirmation.Deadline.Equal(tt.deadline) {
				t.Fatalf("Confirmation.Deadline = %v, want %v", c.Confirmation.Deadline, tt.deadline)
			}
			// Counting working days instead would have ended later: the window is not a
			// working-day span.
			if wd := w.cal.AddDays(tt.effective, 30); !wd.After(tt.deadline) {
				t.Fatalf("30 working days = %v, not after the calendar-day deadline %v", wd, tt.deadline)
			}
			w.run(t, c, []step{
				{by: "m3a", at: tt.deadline.Add(time.Second), cmd: mediation.ApplyConfirmation{Parties: both, Court: "秦淮区人民法院"}, rule: "confirmation.window", kind: gridgov.ErrPrecondition},
			})
			late := tt.deadline.Add(-time.Hour)
			c = w.run(t, c, []step{
				{by: "m3a", at: late, cmd: mediation.RecordConfirmation{Confirmed: true}, rule: "confirmation.not-applied", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: late, cmd: mediation.ApplyConfirmation{Parties: both[:1], Court: "秦淮区人民法院"}, rule: "confirmation.joint", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: late, cmd: mediation.ApplyConfirmation{Parties: both}, rule: "confirmation.court", kind: gridgov.ErrInvalid},
				{by: "m3a", at: late, cmd: mediation.ApplyConfirmation{Parties: both, Court: "秦淮区人民法院"}},
				{by: "m3a", at: late, cmd: mediation.ApplyConfirmation{Parties: both, Court: "秦淮区人民法院"}, rule: "confirmation.applied-twice", kind: gridgov.ErrPrecondition},
				{by: "m3a", at: late, cmd: mediation.RecordConfirmation{Confirmed: false, Ruling: "驳回"}},
				{by: "m3a", at: late, cmd: mediation.RecordConfirmation{Confirmed: true}, rule: "confirmation.decided", kind: gridgov.ErrPrecondition},
			})
			if c.Confirmation.Confirmed || !c.Confirmation.AppliedAt.Equal(late) {
				t.Errorf("Confirmation = %+v, want applied at %v and not confirmed", c.Confirmation, late)
			}
		})
	}
}

func TestApply_VisitsAndBreaches(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	c := w.run(t, mediation.Case{}, upToMediating(t0))
	at := t0.Add(96 * time.Hour)
	c = w.run(t, c, []step{
		{by: "m3a", at: at, cmd: mediation.RecordBreach{Party: "p1"}, rule: "state.transition", kind: gridgov.ErrPrecondition},
		{by: "m3a", at: at, cmd: oral("赔偿")},
		{by: "m3a", at: at, cmd: mediation.RecordVisit{Visit: 2, Finding: mediation.Performed}, rule: "visit.unknown", kind: gridgov.ErrInvalid},
		{by: "m3a", at: at, cmd: mediation.RecordVisit{Visit: 0, Finding: "happy"}, rule: "visit.finding", kind: gridgov.ErrInvalid},
		{by: "m3a", at: at, cmd: mediation.RecordVisit{Visit: 0, Finding: mediation.Breached}, rule: "visit.party", kind: gridgov.ErrInvalid},
		{by: "m3a", at: at, cmd: mediation.RecordVisit{Visit: 0, Finding: mediation.Performed}},
		{by: "m3a", at: at, cmd: mediation.RecordVisit{Visit: 0, Finding: mediation.Performed}, rule: "visit.recorded", kind: gridgov.ErrPrecondition},
		{by: "m3a", at: at, cmd: mediation.RecordBreach{Party: "p9"}, rule: "breach.party", kind: gridgov.ErrInvalid},
		{by: "m3a", at: at, cmd: mediation.RecordBreach{Party: "p2", Notes: "邻居投诉"}},
	})
	want := []mediation.Breach{{At: at, Party: "p2", Visit: -1, Notes: "邻居投诉"}}
	if diff := cmp.Diff(want, c.Breaches); diff != "" {
		t.Errorf("Breaches mismatch (-want +got):\n%s", diff)
	}
}

// TestApply_Referral follows a case from a community room up to its street and the
// district, and a traffic case sideways to the police station's specialist room.
func TestApply_Referral(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	t.Run("UpTheChain", func(t *testing.T) {
		c := w.run(t, mediation.Case{}, upToMediating(t0))
		at := t0.Add(72 * time.Hour)
		c = w.run(t, c, []step{
			{by: "m3a", at: at, cmd: mediation.Refer{To: rDSG, Direction: mediation.Up, Reason: "复杂"}, rule: "referral.up-not-ancestor", kind: gridgov.ErrInvalid},
			{by: "m3a", at: at, cmd: mediation.Refer{To: rQH, Direction: mediation.Up, Reason: "复杂"}, rule: "referral.up-not-ancestor", kind: gridgov.ErrInvalid},
			{by: "m3a", at: at, cmd: mediation.Refer{To: "QHTH-099", Direction: mediation.Up, Reason: "复杂"}, rule: "referral.unknown-room", kind: gridgov.ErrInvalid},
			{by: "m3a", at: at, cmd: mediation.Refer{To: rLZY, Direction: mediation.Up, Reason: "复杂"}, rule: "referral.same-room", kind: gridgov.ErrInvalid},
			{by: "m3a", at: at, cmd: mediation.Refer{To: rFZM, Direction: mediation.Up}, rule: "referral.reason", kind: gridgov.ErrInvalid},
			{by: "m3a", at: at, cmd: mediation.Refer{To: rFZM, Direction: "down", Reason: "复杂"}, rule: "referral.direction", kind: gridgov.ErrInvalid},
			{by: "m3a", at: at, cmd: mediation.Refer{To: rFZM, Direction: mediation.Up, Reason: "涉及多户"}, want: mediation.StateReferred},
			// The sending room's mediators no longer act; the receiving room's do.
			{by: "m3a", at: at, cmd: mediation.Accept{}, rule: "auth.room-mediator", kind: gridgov.ErrForbidden},
			{by: "m2a", at: at.Add(time.Hour), cmd: mediation.Accept{}, want: mediation.StateAccepted},
			{by: "m2a", at: at.Add(time.Hour), cmd: mediation.Assign{Person: "m2b", How: mediation.Appointed}},
			{by: "m2b", at: at.Add(24 * time.Hour), cmd: mediation.Refer{To: rDistrict, Direction: mediation.Up, Reason: "街道调解不成"}, want: mediation.StateReferred},
			{by: "m1a", at: at.Add(25 * time.Hour), cmd: mediation.Accept{}, want: mediation.StateAccepted},
		})
		wantRooms := [][2]mediation.RoomID{{rLZY, rFZM}, {rFZM, rDistrict}}
		var got [][2]mediation.RoomID
		for _, r := range c.Referrals {
			got = append(got, [2]mediation.RoomID{r.From, r.To})
		}
		if diff := cmp.Diff(wantRooms, got); diff != "" {
			t.Errorf("referral chain mismatch (-want +got):\n%s", diff)
		}
		for _, a := range c.Mediators {
			if a.Active() {
				t.Errorf("assignment %+v still active after the case left its room", a)
			}
		}
		if len(c.Sessions) != 1 || c.Sessions[0].Mediators[0] != "m3a" {
			t.Errorf("the community room's session was lost: %+v", c.Sessions)
		}
		// The district room's deadline counts from its own acceptance.
		if want := endOf(2025, 10, 9); !c.Deadline.Equal(want) || !c.AcceptedAt.Equal(at.Add(25*time.Hour)) {
			t.Errorf("Deadline %v AcceptedAt %v, want %v from the district's acceptance", c.Deadline, c.AcceptedAt, want)
		}
		rooms := []mediation.RoomID{}
		for _, e := range c.History {
			rooms = append(rooms, e.Room)
		}
		wantHist := []mediation.RoomID{rLZY, rLZY, rLZY, rLZY, rLZY, rFZM, rFZM, rFZM, rDistrict}
		if diff := cmp.Diff(wantHist, rooms); diff != "" {
			t.Errorf("history rooms mismatch (-want +got):\n%s", diff)
		}
		if up, ok := w.net.Up(rLZY, mediation.DisputeNeighbour); !ok || up != rFZM {
			t.Errorf("Network.Up(%s) = %s, %t; want %s", rLZY, up, ok, rFZM)
		}
		if up, ok := w.net.Up(rDistrict, mediation.DisputeNeighbour); ok {
			t.Errorf("Network.Up(district) = %s, want none", up)
		}
	})
	t.Run("SidewaysToSpecialist", func(t *testing.T) {
		o := openCmd(rDSG, mediation.DisputeTraffic)
		c := w.run(t, mediation.Case{}, []step{{by: "m4a", at: t0, cmd: o}})
		c = w.run(t, c, []step{
			{by: "m4a", at: t0, cmd: mediation.Refer{To: rJudicial, Direction: mediation.Sideways, Reason: "交通"}, rule: "referral.not-specialist", kind: gridgov.ErrInvalid},
			{by: "m4a", at: t0, cmd: mediation.Refer{To: rPolice, Direction: mediation.Sideways, Reason: "交通事故赔偿"}, want: mediation.StateReferred},
			{by: "m5a", at: t0, cmd: mediation.Accept{}, want: mediation.StateAccepted},
		})
		if c.Room != rPolice || c.Referrals[0].Direction != mediation.Sideways {
			t.Errorf("case in %s with referrals %+v, want in %s sideways", c.Room, c.Referrals, rPolice)
		}
		if got := w.net.Specialists(rDSG, mediation.DisputeTraffic); !cmp.Equal(got, []mediation.RoomID{rPolice}) {
			t.Errorf("Specialists(traffic) = %v, want [%s]", got, rPolice)
		}
		if got := w.net.Specialists(rPolice, mediation.DisputeMedical); !cmp.Equal(got, []mediation.RoomID{rJudicial}) {
			t.Errorf("Specialists(medical) = %v, want [%s]", got, rJudicial)
		}
	})
}

func TestAuthorize(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	c := w.run(t, mediation.Case{}, upToMediating(t0))
	tests := []struct {
		name   string
		reason string
		env    mediation.Env
		cmd    mediation.Command
		rule   string
		kind   error
	}{
		{name: "OK", reason: "a mediator of the room", env: w.env("m3c"), cmd: mediation.Accept{}},
		{name: "ErrNoActor", reason: "every command names its actor", env: w.env(""), cmd: mediation.Accept{}, rule: "auth.actor-required", kind: gridgov.ErrForbidden},
		{name: "ErrOtherRoom", reason: "a mediator of another room does not act on this room's cases", env: w.env("m4a"), cmd: mediation.Accept{}, rule: "auth.room-mediator", kind: gridgov.ErrForbidden},
		{name: "ErrStranger", reason: "someone on no roster", env: w.env("nobody"), cmd: mediation.Accept{}, rule: "auth.room-mediator", kind: gridgov.ErrForbidden},
		{name: "ErrOpenElsewhere", reason: "cases are opened by the room's own mediators", env: w.env("m3a"), cmd: openCmd(rDSG, mediation.DisputeFamily), rule: "auth.room-mediator", kind: gridgov.ErrForbidden},
		{name: "ErrUnknownRoom", reason: "a room outside the network", env: w.env("m3a"), cmd: openCmd("QHTH-404", mediation.DisputeFamily), rule: "room.unknown", kind: gridgov.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mediation.Authorize(c, tt.cmd, t0.Add(48*time.Hour), tt.env)
			if tt.rule == "" {
				if err != nil {
					t.Errorf("Authorize = %v, want nil", err)
				}
				return
			}
			if gridgov.RuleOf(err) != tt.rule || !errors.Is(err, tt.kind) {
				t.Errorf("Authorize = %v, want rule %s kind %v", err, tt.rule, tt.kind)
			}
		})
	}
	t.Run("ErrEnv", func(t *testing.T) {
		_, _, err := w.policy.Apply(c, mediation.Accept{}, t0, mediation.Env{Actor: actorOf("m3a")})
		if gridgov.RuleOf(err) != "env.required" || !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("Apply without network = %v, want env.required", err)
		}
		_, _, err = w.policy.Apply(c, nil, t0, w.env("m3a"))
		if gridgov.RuleOf(err) != "command.required" {
			t.Errorf("Apply(nil) = %v, want command.required", err)
		}
	})
}
