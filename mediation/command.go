package mediation

import (
	"time"

	"github.com/gridgov/gridgov/hierarchy"
)

// Command is one thing a mediator does to a case. The set is closed: the commands are
// the types of this package, each applied by [Policy.Apply].
type Command interface {
	// op names the command in errors, e.g. "mediation.Accept".
	op() string
}

// Open registers a new case in a room: the zero Case is its only valid input. A party's
// application or a referral from outside opens it as applied, the committee's own
// initiative as initiated.
type Open struct {
	ID      CaseID      `json:"id"`
	Room    RoomID      `json:"room"`
	Dispute DisputeType `json:"dispute"`
	Summary string      `json:"summary"`
	Source  Source      `json:"source"`
	Parties []Party     `json:"parties"`
}

// Accept is the room's acceptance (受理) of an applied, initiated or referred case. It
// starts the time limit.
type Accept struct{}

// Refuse is the room's refusal (不予受理), on one of the policy's grounds. The ground
// "party-refuses" names the refusing party.
type Refuse struct {
	Ground RefusalGround `json:"ground"`
	Party  PartyID       `json:"party,omitempty"`
	Note   string        `json:"note,omitempty"`
}

// Assign brings a mediator to the case: appointed by the room or chosen by every party
// from the room's roster, or invited (a relative, neighbour, colleague, expert or a
// person of a social organisation, who need not be on the roster). An invitation needs
// the parties' consent (在征得当事人的同意后, People's Mediation Law art. 20): every
// party in ConsentedBy.
type Assign struct {
	Person hierarchy.PersonID `json:"person"`
	How    Appointment        `json:"how"`
	// ChosenBy lists the parties who chose the mediator; for Chosen it must be every
	// party.
	ChosenBy []PartyID `json:"chosen_by,omitempty"`
	// ConsentedBy lists the parties who consented to the invitation; for Invited it
	// must be every party.
	ConsentedBy []PartyID `json:"consented_by,omitempty"`
	// Kind and Name describe an invited person; a roster mediator's come from the room.
	Kind MediatorKind `json:"kind,omitempty"`
	Name string       `json:"name,omitempty"`
}

// Recuse makes an assigned mediator step aside (回避) because they are related to a
// party or have an interest in the dispute. A recused mediator can never again act on
// the case.
type Recuse struct {
	Person      hierarchy.PersonID `json:"person"`
	Ground      RecusalGround      `json:"ground"`
	Party       PartyID            `json:"party,omitempty"`
	RequestedBy PartyID            `json:"requested_by,omitempty"`
	Note        string             `json:"note,omitempty"`
}

// HoldSession records a mediation session with its attendees and minutes.
type HoldSession struct {
	Public    bool                 `json:"public,omitempty"`
	Parties   []PartyID            `json:"parties"`
	Mediators []hierarchy.PersonID `json:"mediators"`
	Others    []string             `json:"others,omitempty"`
	Minutes   string               `json:"minutes"`
}

// Extend extends the time limit by the policy's extension, as its [ExtensionRule]
// allows; every party must consent.
type Extend struct {
	Consents []PartyID `json:"consents"`
}

// DraftAgreement records a written agreement (调解协议书). It takes effect when every
// party and a mediator have signed it ([Sign]) and the room has sealed it ([Seal],
// art. 29). Under [ContentRules2002] Facts and every field of Performance are required
// besides Terms (2002 rules art. 35).
type DraftAgreement struct {
	// Facts are the brief facts, the matters in dispute and each side's responsibility
	// (纠纷简要事实、争议事项及双方责任, art. 35(2)).
	Facts string `json:"facts,omitempty"`
	// Terms are the parties' rights and obligations as agreed (art. 35(3)).
	Terms string `json:"terms"`
	// Performance is how, where and by when the agreement is performed (art. 35(4)).
	Performance Performance `json:"performance,omitzero"`
}

// Performance is how, where and by when an agreement is performed (履行协议的方式、地点、
// 期限, 2002 rules art. 35(4)).
type Performance struct {
	Manner   string    `json:"manner,omitempty"`
	Place    string    `json:"place,omitempty"`
	Deadline time.Time `json:"deadline,omitzero"`
}

// Sign records one signature of the written agreement: a party's, or an assigned
// mediator's. Exactly one of Party and Mediator is set.
type Sign struct {
	Party    PartyID            `json:"party,omitempty"`
	Mediator hierarchy.PersonID `json:"mediator,omitempty"`
}

// Seal records the room's seal on the written agreement.
type Seal struct{}

// RecordOralAgreement records an oral agreement (口头协议), effective at once (art.
// 30). It is the parties' choice, when they see no need for a written agreement
// (当事人认为无需制作调解协议书的，可以采取口头协议方式, art. 28): ChosenBy must be every
// party, and the mediator records the terms.
type RecordOralAgreement struct {
	Terms    string    `json:"terms"`
	ChosenBy []PartyID `json:"chosen_by"`
}

// Fail ends mediation without agreement (调解不成 or 终止调解). Advice defaults to the
// policy's advice on arbitration and court.
type Fail struct {
	Reason FailReason `json:"reason"`
	Party  PartyID    `json:"party,omitempty"` // the withdrawing party, for FailWithdrawn
	Advice string     `json:"advice,omitempty"`
	Note   string     `json:"note,omitempty"`
}

// ReportToPolice records the mediator's report, to the local police or another
// department, of a dispute that may lead to a public-order or criminal case (对有可能
// 引起治安案件、刑事案件的纠纷，应当及时向当地公安机关或者其他有关部门报告, People's
// Mediation Law art. 25). The report leaves the case open and in its state: the
// mediator keeps mediating, and ending the case is a separate [Refuse] (before
// acceptance) or [Fail] (after) on its own ground, such as the police accepting the
// matter (2002 rules art. 22(2)).
type ReportToPolice struct {
	// To is the police unit or department reported to, when it is in the tree.
	To     hierarchy.UnitID `json:"to,omitempty"`
	Ref    string           `json:"ref,omitempty"`
	Reason string           `json:"reason"`
}

// Refer moves the case to another room: up to a room of an ancestor unit, or sideways
// to a room specialising in the dispute's type. The receiving room must accept it; the
// history and the sending room's work stay with the case.
type Refer struct {
	To        RoomID    `json:"to"`
	Direction Direction `json:"direction"`
	Reason    string    `json:"reason"`
}

// ApplyConfirmation records the parties' joint application to a court for judicial
// confirmation (司法确认) of the agreement, within the window.
type ApplyConfirmation struct {
	Parties []PartyID `json:"parties"`
	Court   string    `json:"court"`
}

// RecordConfirmation records the court's decision on the application.
type RecordConfirmation struct {
	Confirmed bool   `json:"confirmed"`
	Ruling    string `json:"ruling,omitempty"`
}

// RecordVisit records the return visit with index Visit in [Case.Visits]. A Breached
// finding also records a [Breach] of Party.
type RecordVisit struct {
	Visit   int     `json:"visit"`
	Finding Finding `json:"finding"`
	Party   PartyID `json:"party,omitempty"`
	Notes   string  `json:"notes,omitempty"`
}

// RecordBreach records a party's breach of the agreement found other than on a return
// visit (a complaint, the other party's report).
type RecordBreach struct {
	Party PartyID `json:"party"`
	Notes string  `json:"notes,omitempty"`
}

func (Open) op() string                { return "mediation.Open" }
func (Accept) op() string              { return "mediation.Accept" }
func (Refuse) op() string              { return "mediation.Refuse" }
func (Assign) op() string              { return "mediation.Assign" }
func (Recuse) op() string              { return "mediation.Recuse" }
func (HoldSession) op() string         { return "mediation.HoldSession" }
func (Extend) op() string              { return "mediation.Extend" }
func (DraftAgreement) op() string      { return "mediation.DraftAgreement" }
func (Sign) op() string                { return "mediation.Sign" }
func (Seal) op() string                { return "mediation.Seal" }
func (RecordOralAgreement) op() string { return "mediation.RecordOralAgreement" }
func (Fail) op() string                { return "mediation.Fail" }
func (ReportToPolice) op() string      { return "mediation.ReportToPolice" }
func (Refer) op() string               { return "mediation.Refer" }
func (ApplyConfirmation) op() string   { return "mediation.ApplyConfirmation" }
func (RecordConfirmation) op() string  { return "mediation.RecordConfirmation" }
func (RecordVisit) op() string         { return "mediation.RecordVisit" }
func (RecordBreach) op() string        { return "mediation.RecordBreach" }

// EventKind names what happened to a case.
type EventKind string

// The kinds of event, one per command (Sign and Seal add "agreed" when the agreement
// takes effect).
const (
	EventOpened              EventKind = "opened"
	EventAccepted            EventKind = "accepted"
	EventRefused             EventKind = "refused"
	EventAssigned            EventKind = "mediator-assigned"
	EventRecused             EventKind = "mediator-recused"
	EventSession             EventKind = "session-held"
	EventExtended            EventKind = "extended"
	EventDrafted             EventKind = "agreement-drafted"
	EventSigned              EventKind = "agreement-signed"
	EventSealed              EventKind = "agreement-sealed"
	EventAgreed              EventKind = "agreed"
	EventFailed              EventKind = "failed"
	EventReferred            EventKind = "referred"
	EventReportedToPolice    EventKind = "reported-to-police"
	EventConfirmationApplied EventKind = "confirmation-applied"
	EventConfirmationDecided EventKind = "confirmation-decided"
	EventVisited             EventKind = "return-visit"
	EventBreach              EventKind = "breach"
)

// Event is one entry of a case's history. It never holds a party's personal data.
type Event struct {
	Seq   int                `json:"seq"` // 1, 2, ... within the case
	Kind  EventKind          `json:"kind"`
	Case  CaseID             `json:"case"`
	Room  RoomID             `json:"room"` // the room that acted
	At    time.Time          `json:"at"`
	Actor hierarchy.PersonID `json:"actor"`
	// Post is the post the actor acted in; empty when they acted under a grant of
	// [RightMediate].
	Post hierarchy.PostID `json:"post,omitempty"`
	Note string           `json:"note,omitempty"`
}
