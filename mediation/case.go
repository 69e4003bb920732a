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
//	any open state ──ReferToPolice──▶ referred-to-police
//
// refused, failed and referred-to-police are final; agreed is final for the dispute
// but still records judicial confirmation, return visits and breaches.
type State string

// The states of a case.
const (
	StateApplied   State = "applied"            // 申请调解, on a party's application or referred in
	StateInitiated State = "initiated"          // 主动调解, on the committee's own initiative
	StateReferred  State = "referred"           // 移交, awaiting the receiving room's acceptance
	StateAccepted  State = "accepted"           // 受理
	StateMediating State = "mediating"          // 调解中: at least one session held
	StateDrafted   State = "drafted"            // written agreement awaiting signatures and seal
	StateAgreed    State = "agreed"             // 达成协议: the agreement has taken effect
	StateFailed    State = "failed"             // 调解不成 or 终止调解
	StateRefused   State = "refused"            // 不予受理
	StatePolice    State = "referred-to-police" // 移送公安: may become a public-order or criminal case
)

// Final reports whether no command may change the dispute's outcome any more.
func (s State) Final() bool {
	return s == StateAgreed || s == StateFailed || s == StateRefused || s == StatePolice
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

// RefusalGround is why a room refuses (不予受理) a case.
type RefusalGround string

// The grounds of refusal (People's Mediation Law arts. 17, 18).
const (
	GroundPartyRefuses RefusalGround = "party-refuses"               // 一方当事人明确拒绝调解
	GroundBeforeCourt  RefusalGround = "before-court-or-arbitration" // 已经或正在诉讼、仲裁
	GroundOutsideScope RefusalGround = "outside-scope"               // 不属于人民调解范围
)

var knownGrounds = []RefusalGround{GroundPartyRefuses, GroundBeforeCourt, GroundOutsideScope}

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
	At       time.Time `json:"at"`
	Room     RoomID    `json:"room"`
	EndedAt  time.Time `json:"ended_at,omitzero"` // recusal, or the case leaving the room
	Recusal  *Recusal  `json:"recusal,omitempty"`
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
	Form      AgreementForm `json:"form"`
	Terms     string        `json:"terms"`
	DraftedAt time.Time     `json:"drafted_at"`
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

// FailReason is why mediation ended without agreement.
type FailReason string

// The reasons mediation fails or is terminated (art. 26).
const (
	FailNoAgreement FailReason = "no-agreement"   // 调解不成
	FailWithdrawn   FailReason = "party-withdrew" // 当事人要求终止调解
	FailTimeLimit   FailReason = "time-limit"     // 期限届满未达成协议
)

// Outcome is how the case ended, for refused, failed and police-referred cases, and
// when an agreement took effect.
type Outcome struct {
	At time.Time `json:"at"`
	// Ground and Party: a refusal's ground and the refusing party.
	Ground RefusalGround `json:"ground,omitempty"`
	Party  PartyID       `json:"party,omitempty"`
	// Reason and Advice: a failure's reason and the advice on arbitration and court.
	Reason FailReason `json:"reason,omitempty"`
	Advice string     `json:"advice,omitempty"`
	// Police and PoliceRef: the police unit a case went to and its file number.
	Police    hierarchy.UnitID `json:"police,omitempty"`
	PoliceRef string           `json:"police_ref,omitempty"`
	Note      string           `json:"note,omitempty"`
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

	Mediators    []Assignment `json:"mediators,omitempty"`
	Sessions     []Session    `json:"sessions,omitempty"`
	Agreement    Agreement    `json:"agreement,omitzero"`
	Outcome      Outcome      `json:"outcome,omitzero"`
	Referrals    []Referral   `json:"referrals,omitempty"`
	Confirmation Confirmation `json:"confirmation,omitzero"`
	Visits       []Visit      `json:"visits,omitempty"`
	Breaches     []Breach     `json:"breaches,omitempty"`

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
// and when. Refusals and referrals to the police are not conclusions of mediation.
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
	c.Visits = slices.Clone(c.Visits)
	c.Breaches = slices.Clone(c.Breaches)
	// Every command appends to the history: leave room so the append does not copy again.
	c.History = append(make([]Event, 0, len(c.History)+2), c.History...)
	return c
}
