package mediation

import (
	"log/slog"
	"slices"
	"time"

	"github.com/gridgov/gridgov/hierarchy"
)

// CaseID identifies a mediation case (a ULID issued by the [Service]).
type CaseID string

// State is where a case stands in its lifecycle.
//
//	applied / initiated ──Accept──▶ accepted ──HoldSession──▶ mediating
//	   │  └──Refuse──▶ refused                                 │
//	   └──Refer──▶ referred ──Accept (receiving room)──▶ accepted
//	mediating ──DraftAgreement──▶ drafted ──Sign…, Seal──▶ agreed
//	mediating ──RecordOralAgreement──▶ agreed
//	accepted / mediating / drafted ──Fail──▶ failed
//
// A report to the police ([ReportToPolice], art. 25) changes no state: mediation goes
// on until a separate Refuse or Fail ends it on its own ground (the police accepting
// the matter, 2002 rules art. 22(2)). refused and failed are final; agreed is final for
// the dispute but still records judicial confirmation, return visits and breaches.
type State string

// The states of a case.
const (
	StateApplied   State = "applied"   // 申请调解, on a party's application or referred in
	StateInitiated State = "initiated" // 主动调解, on the committee's own initiative
	StateReferred  State = "referred"  // 移交, awaiting the receiving room's acceptance
	StateAccepted  State = "accepted"  // 受理
	StateMediating State = "mediating" // 调解中: at least one session held
	StateDrafted   State = "drafted"   // written agreement awaiting signatures and seal
	StateAgreed    State = "agreed"    // 达成协议: the agreement has taken effect
	StateFailed    State = "failed"    // 调解不成 or 终止调解
	StateRefused   State = "refused"   // 不予受理
)

// Final reports whether no command may change the dispute's outcome any more.
func (s State) Final() bool {
	return s == StateAgreed || s == StateFailed || s == StateRefused
}

// SourceKind says how a case came to the room.
type SourceKind string

// The sources of a case.
const (
	SourceApplication SourceKind = "application"   // a party applied (申请)
	SourceInitiative  SourceKind = "initiative"    // the committee's own initiative (主动调解)
	SourceGrid        SourceKind = "grid"          // referred by a grid worker's report
	SourcePolice      SourceKind = "police"        // referred by the police (公调对接)
	SourceCourt       SourceKind = "court"         // referred by a court (诉调对接)
	Source12345       SourceKind = "hotline-12345" // a 12345 hotline ticket
	SourceEscalation  SourceKind = "escalation"    // an event case of the escalation loop
)

var knownSources = []SourceKind{SourceApplication, SourceInitiative, SourceGrid, SourcePolice, SourceCourt, Source12345, SourceEscalation}

// Source is where a case came from, with the ID of the record it came from.
type Source struct {
	Kind SourceKind `json:"kind"`
	// Ref is the linked record's ID: the grid report, the police call, the court file,
	// the 12345 ticket, the escalation case.
	Ref string `json:"ref,omitempty"`
	// Unit is the referring unit, if any.
	Unit hierarchy.UnitID `json:"unit,omitempty"`
}

// RefusalGround is why a room refuses (不予受理) a case. Each ground is the text it
// comes from; a policy lists those its rooms use ([Policy.RefusalGrounds]).
type RefusalGround string

// The grounds of refusal.
const (
	// GroundPartyRefuses: a party clearly refuses mediation (当事人一方明确拒绝调解的，
	// 不得调解, People's Mediation Law 2010 art. 17). The refusal names the party.
	GroundPartyRefuses RefusalGround = "party-refuses"
	// GroundSpecialisedOrgan: by law or regulation only a specialised organ may handle
	// the dispute (法律、法规规定只能由专门机关管辖处理的, 人民调解工作若干规定 2002
	// art. 22(1)).
	GroundSpecialisedOrgan RefusalGround = "specialised-organ"
	// GroundMediationBarred: law or regulation forbids settling the dispute by
	// people's mediation (法律、法规禁止采用民间调解方式解决的, 2002 rules art. 22(1)).
	GroundMediationBarred RefusalGround = "mediation-barred"
	// GroundAcceptedByCourt: a people's court has already accepted or resolved the
	// dispute (人民法院已经受理或者解决的, 2002 rules art. 22(2)).
	GroundAcceptedByCourt RefusalGround = "accepted-by-court"
	// GroundAcceptedByPolice: a public-security organ has already accepted or resolved
	// it (公安机关已经受理或者解决的, 2002 rules art. 22(2)); the usual end of a case
	// reported to the police under art. 25 that the police take up.
	GroundAcceptedByPolice RefusalGround = "accepted-by-police"
	// GroundAcceptedByAdministration: another administrative organ has already accepted
	// or resolved it (其他行政机关已经受理或者解决的, 2002 rules art. 22(2)).
	GroundAcceptedByAdministration RefusalGround = "accepted-by-administrative-organ"
	// GroundOutsideScope: not a civil dispute (民间纠纷), the only matter people's
	// mediation settles (People's Mediation Law art. 2).
	GroundOutsideScope RefusalGround = "outside-scope"
	// GroundBeforeArbitration is a local rule, in neither the 2010 law nor the 2002
	// rules: the dispute is before an arbitration body. A district that wants it lists
	// it in its policy; [QinhuaiPolicy] does not. (A dispute before a court is
	// GroundAcceptedByCourt.)
	GroundBeforeArbitration RefusalGround = "before-arbitration"
)

var knownGrounds = []RefusalGround{
	GroundPartyRefuses, GroundSpecialisedOrgan, GroundMediationBarred, GroundAcceptedByCourt,
	GroundAcceptedByPolice, GroundAcceptedByAdministration, GroundOutsideScope, GroundBeforeArbitration,
}

// renamedGrounds are grounds of earlier policy files that no longer exist, with what
// replaces them, so that Validate can say so.
var renamedGrounds = map[RefusalGround]string{
	"before-court-or-arbitration": `"accepted-by-court" (2002 rules art. 22(2)), or the local "before-arbitration"`,
}

// RecusalGround is why a mediator steps aside (回避).
type RecusalGround string

// The grounds of recusal.
const (
	RecusalRelated  RecusalGround = "related-to-party" // 与当事人有亲属关系
	RecusalInterest RecusalGround = "has-interest"     // 与纠纷有利害关系
)

// Appointment says how a mediator came to a case (art. 19, 20).
type Appointment string

// The ways a mediator comes to a case.
const (
	Appointed Appointment = "appointed" // 指定: appointed by the room
	Chosen    Appointment = "chosen"    // 选择: chosen by the parties
	Invited   Appointment = "invited"   // 邀请: a relative, neighbour or expert invited to take part
)

// Assignment is a mediator's part in a case.
type Assignment struct {
	Person hierarchy.PersonID `json:"person"`
	Name   string             `json:"name,omitempty"`
	Kind   MediatorKind       `json:"kind"`
	How    Appointment        `json:"how"`
	// ChosenBy are the parties who chose the mediator (every party, for Chosen).
	ChosenBy []PartyID `json:"chosen_by,omitempty"`
	// ConsentedBy are the parties who consented to an invitation (every party, for
	// Invited; art. 20).
	ConsentedBy []PartyID `json:"consented_by,omitempty"`
	At          time.Time `json:"at"`
	Room        RoomID    `json:"room"`
	EndedAt     time.Time `json:"ended_at,omitzero"` // recusal, or the case leaving the room
	Recusal     *Recusal  `json:"recusal,omitempty"`
}

// Active reports whether the assignment has not ended.
func (a Assignment) Active() bool { return a.EndedAt.IsZero() }

// Recusal records why a mediator stepped aside.
type Recusal struct {
	Ground RecusalGround `json:"ground"`
	// Party is the party the mediator is related to or whose interest is at stake.
	Party PartyID `json:"party,omitempty"`
	// RequestedBy is the party that asked for the recusal; empty when the mediator
	// stepped aside on their own (自行回避).
	RequestedBy PartyID `json:"requested_by,omitempty"`
	Note        string  `json:"note,omitempty"`
}

// Session is one mediation session.
type Session struct {
	No int       `json:"no"`
	At time.Time `json:"at"`
	// Public is true for a public session; the parties may ask for either (art. 23).
	Public    bool                 `json:"public,omitempty"`
	Parties   []PartyID            `json:"parties"`
	Mediators []hierarchy.PersonID `json:"mediators"`
	Others    []string             `json:"others,omitempty"` // other attendees, by name
	Minutes   string               `json:"minutes"`
}

// AgreementForm is written or oral.
type AgreementForm string

// The forms of agreement (arts. 28–30).
const (
	Written AgreementForm = "written" // 书面调解协议
	Oral    AgreementForm = "oral"    // 口头协议
)

// Agreement is the mediation agreement (调解协议).
type Agreement struct {
	Form AgreementForm `json:"form"`
	// Facts, Terms and Performance are the content of a written agreement (2002 rules
	// art. 35); an oral one records only its Terms (art. 28).
	Facts       string      `json:"facts,omitempty"`
	Terms       string      `json:"terms"`
	Performance Performance `json:"performance,omitzero"`
	// ChosenBy are the parties who chose an oral agreement (every party; art. 28).
	ChosenBy  []PartyID `json:"chosen_by,omitempty"`
	DraftedAt time.Time `json:"drafted_at"`
	// Signatures are the parties' and mediators' signatures of a written agreement.
	Signatures []Signature `json:"signatures,omitempty"`
	// SealedAt is when the room sealed a written agreement.
	SealedAt time.Time `json:"sealed_at,omitzero"`
	// EffectiveAt is when the agreement took effect: a written one when the last of
	// the parties' and a mediator's signatures and the seal was given, an oral one when
	// it was recorded. Zero while a written agreement awaits them.
	EffectiveAt time.Time `json:"effective_at,omitzero"`
}

// IsZero reports whether there is no agreement.
func (a Agreement) IsZero() bool { return a.Form == "" }

// Signature is one signature of a written agreement: a party's or a mediator's.
type Signature struct {
	Party    PartyID            `json:"party,omitempty"`
	Mediator hierarchy.PersonID `json:"mediator,omitempty"`
	At       time.Time          `json:"at"`
}

// Confirmation is the judicial confirmation (司法确认) of an agreement.
type Confirmation struct {
	// Deadline is the last instant the parties may apply: the end of the window
	// counted from the agreement taking effect.
	Deadline  time.Time `json:"deadline"`
	AppliedAt time.Time `json:"applied_at,omitzero"`
	Court     string    `json:"court,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Confirmed bool      `json:"confirmed,omitempty"`
	Ruling    string    `json:"ruling,omitempty"`
}

// Finding is what a return visit found.
type Finding string

// The findings of a return visit.
const (
	Performed  Finding = "performed"  // 已履行
	Performing Finding = "performing" // 正在履行
	Breached   Finding = "breached"   // 未履行 / 违约
)

// Visit is a return visit (回访) scheduled after the agreement took effect.
type Visit struct {
	Due     time.Time `json:"due"`
	DoneAt  time.Time `json:"done_at,omitzero"`
	Finding Finding   `json:"finding,omitempty"`
	Notes   string    `json:"notes,omitempty"`
}

// Breach is a party's failure to perform the agreement.
type Breach struct {
	At    time.Time `json:"at"`
	Party PartyID   `json:"party"`
	// Visit is the index of the return visit that found it, or -1.
	Visit int    `json:"visit"`
	Notes string `json:"notes,omitempty"`
}

// Extension is one extension of the time limit.
type Extension struct {
	At       time.Time `json:"at"`
	Consents []PartyID `json:"consents"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
}

// Direction is the direction of a referral between rooms.
type Direction string

// The directions of referral.
const (
	Up       Direction = "up"       // to a room of an ancestor unit (community → street → district)
	Sideways Direction = "sideways" // to a room specialising in the dispute's type
)

// Referral is one move of a case between rooms.
type Referral struct {
	At        time.Time `json:"at"`
	From      RoomID    `json:"from"`
	To        RoomID    `json:"to"`
	Direction Direction `json:"direction"`
	Reason    string    `json:"reason"`
}

// FailReason is why mediation ended without agreement (终止调解).
type FailReason string

// The reasons mediation fails or is terminated.
const (
	// FailNoAgreement: mediation did not succeed (调解不成的，应当终止调解, People's
	// Mediation Law art. 26).
	FailNoAgreement FailReason = "no-agreement"
	// FailWithdrawn: a party asked to end mediation (要求终止调解, art. 23(2)) or, once
	// it had begun, clearly refused to go on (art. 17). Names the party.
	FailWithdrawn FailReason = "party-withdrew"
	// FailTimeLimit: the time limit ran out without agreement. The limit itself is the
	// 2002 rules' "generally within one month" (art. 33) and the extension rule a local
	// choice ([Limits.ExtensionRule]); ending on it is the room's decision.
	FailTimeLimit FailReason = "time-limit"
	// FailTakenOver: a court, public-security or other administrative organ accepted
	// the dispute while it was being mediated — often after a report under art. 25 —
	// and a committee may not mediate what they have accepted (2002 rules art.
	// 22(2)). The Note says which organ and its file.
	FailTakenOver FailReason = "taken-over"
)

// Outcome is how the case ended, for refused and failed cases, and when an agreement
// took effect.
type Outcome struct {
	At time.Time `json:"at"`
	// Ground and Party: a refusal's ground and the refusing party.
	Ground RefusalGround `json:"ground,omitempty"`
	Party  PartyID       `json:"party,omitempty"`
	// Reason and Advice: a failure's reason and the advice on arbitration and court.
	Reason FailReason `json:"reason,omitempty"`
	Advice string     `json:"advice,omitempty"`
	Note   string     `json:"note,omitempty"`
}

// PoliceReport is one report to the police or another department of a dispute that
// may lead to a public-order or criminal case (应当及时向当地公安机关或者其他有关部门
// 报告, People's Mediation Law art. 25). It is a duty of the mediator, not an end of
// mediation: the case stays open.
type PoliceReport struct {
	At time.Time `json:"at"`
	// Room is the room that held the case and reported.
	Room RoomID `json:"room"`
	// To is the police unit or department reported to, when it is in the tree.
	To hierarchy.UnitID `json:"to,omitempty"`
	// Ref is the receiving unit's file number, if it gave one.
	Ref    string `json:"ref,omitempty"`
	Reason string `json:"reason"`
}

// Case is a mediation case: one aggregate, stored as one document, carrying its whole
// history. Cases are values: [Policy.Apply] returns a new Case and never modifies the
// one it was given; do not modify a Case's slices in place either.
//
// A Case prints and logs with its parties' personal data masked (see [Party]); its
// encoding/json form is likewise masked and meant for logs, not for storage. A Case is
// safe for concurrent reads; nothing in the package writes to one it was given.
type Case struct {
	ID      CaseID      `json:"id"`
	Room    RoomID      `json:"room"` // the room that holds the case now
	Dispute DisputeType `json:"dispute"`
	Summary string      `json:"summary"`
	Source  Source      `json:"source"`
	Parties []Party     `json:"parties"`
	State   State       `json:"state"`

	OpenedAt time.Time `json:"opened_at"`
	// AcceptedAt is when the current room accepted the case; Deadline is the time
	// limit in force, set on acceptance and moved by extensions.
	AcceptedAt time.Time   `json:"accepted_at,omitzero"`
	Deadline   time.Time   `json:"deadline,omitzero"`
	Extensions []Extension `json:"extensions,omitempty"`

	Mediators []Assignment `json:"mediators,omitempty"`
	Sessions  []Session    `json:"sessions,omitempty"`
	Agreement Agreement    `json:"agreement,omitzero"`
	Outcome   Outcome      `json:"outcome,omitzero"`
	Referrals []Referral   `json:"referrals,omitempty"`
	// PoliceReports are the reports made under art. 25, in order.
	PoliceReports []PoliceReport `json:"police_reports,omitempty"`
	Confirmation  Confirmation   `json:"confirmation,omitzero"`
	Visits        []Visit        `json:"visits,omitempty"`
	Breaches      []Breach       `json:"breaches,omitempty"`

	// History is the append-only audit trail: one Event per change, in order.
	History []Event `json:"history"`
}

// Party returns the party id.
func (c Case) Party(id PartyID) (Party, bool) {
	for _, p := range c.Parties {
		if p.ID == id {
			return p, true
		}
	}
	return Party{}, false
}

// Assignment returns the active assignment of person p, if any.
func (c Case) Assignment(p hierarchy.PersonID) (Assignment, bool) {
	for _, a := range c.Mediators {
		if a.Person == p && a.Active() {
			return a, true
		}
	}
	return Assignment{}, false
}

// Recused reports whether person p has ever stepped aside from this case.
func (c Case) Recused(p hierarchy.PersonID) bool {
	for _, a := range c.Mediators {
		if a.Person == p && a.Recusal != nil {
			return true
		}
	}
	return false
}

// Concluded reports whether mediation ended with an agreement in effect or a failure,
// and when. Refusals are not conclusions of mediation, and a report to the police ends
// nothing.
func (c Case) Concluded() (time.Time, bool) {
	if c.State == StateAgreed || c.State == StateFailed {
		return c.Outcome.At, true
	}
	return time.Time{}, false
}

// OnTime reports whether a concluded case concluded within its time limit.
func (c Case) OnTime() bool {
	at, ok := c.Concluded()
	return ok && !c.Deadline.IsZero() && !at.After(c.Deadline)
}

// LogValue implements [slog.LogValuer]: the case's identity and state, never its
// parties' personal data.
func (c Case) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", string(c.ID)),
		slog.String("room", string(c.Room)),
		slog.String("state", string(c.State)),
		slog.String("dispute", string(c.Dispute)),
		slog.Int("parties", len(c.Parties)),
		slog.Int("events", len(c.History)),
	)
}

// clone returns a copy of c whose slices may be appended to and whose elements may be
// replaced without touching c. Slices nested inside elements (a session's attendees, an
// assignment's ChosenBy) are shared: the package replaces them, never modifies them.
func (c Case) clone() Case {
	c.Parties = slices.Clone(c.Parties)
	c.Extensions = slices.Clone(c.Extensions)
	c.Mediators = slices.Clone(c.Mediators)
	c.Sessions = slices.Clone(c.Sessions)
	c.Agreement.Signatures = slices.Clone(c.Agreement.Signatures)
	c.Referrals = slices.Clone(c.Referrals)
	c.PoliceReports = slices.Clone(c.PoliceReports)
	c.Visits = slices.Clone(c.Visits)
	c.Breaches = slices.Clone(c.Breaches)
	// Every command appends to the history: leave room so the append does not copy again.
	c.History = append(make([]Event, 0, len(c.History)+2), c.History...)
	return c
}
