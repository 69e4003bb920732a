package sim

import (
	"container/heap"
	"time"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/rewards"
)

// Streams of the simulation: each is one service (or one collection of it).
const (
	streamEvents   = "events"   // grid events through the closed loop, whistles among them
	streamPolice   = "police"   // police-relevant matters (警情) and their rewards
	streamEpidemic = "epidemic" // epidemic-prevention reports and their rewards
	streamDispute  = "dispute"  // disputes mediated in a room
	streamActivity = "activity" // legal consultations and trainings
	streamFunds    = "funds"    // opening and settling the beats' funds
)

// Ops of a step. A step is plain data, so that what is still to happen when a run
// stops is stored with the progress and the next run takes it up.
const (
	opReport     = "report"
	opFile       = "file"
	opDispatch   = "dispatch"
	opAccept     = "accept"
	opReportBack = "report-back"
	opVerify     = "verify"
	opClose      = "close"
	opWhistle    = "whistle"
	opSummon     = "summon"
	opReportIn   = "report-in"
	opConclude   = "conclude"
	opClaim      = "claim"
	opApprove    = "approve"
	opOpenFund   = "open-fund"
	opSettle     = "settle"
	opOpen       = "open"
	opMAccept    = "m-accept"
	opAssign     = "assign"
	opSession    = "session"
	opDraft      = "draft"
	opSignParty  = "sign-party"
	opSignMed    = "sign-mediator"
	opSeal       = "seal"
	opFail       = "fail"
	opActivity   = "activity"
	opRate       = "rate"
)

// step is one command of a script, by one actor at one instant.
type step struct {
	At    time.Time       `json:"at"`
	Op    string          `json:"op"`
	Actor hierarchy.Actor `json:"actor"`
	// OK is a verification's or a whistle's outcome.
	OK bool `json:"ok,omitempty"`
	// Units and Party are a summons' units and a signing party.
	Units []hierarchy.UnitID `json:"units,omitempty"`
	Party string             `json:"party,omitempty"`
	Who   hierarchy.PersonID `json:"who,omitempty"`
	Kind  string             `json:"kind,omitempty"`
}

// script is what happens to one item of the year — a case, a claim, a dispute — as
// a list of steps planned when the item appears.
type script struct {
	Stream string `json:"stream"`
	Seq    int64  `json:"seq"` // orders scripts of the same instant
	// Report is the escalation report that opens a case; Case its ID once reported.
	Report *escalation.Report `json:"report,omitempty"`
	Case   string             `json:"case,omitempty"`
	// Claim is the reward claim presented when the case has closed.
	Claim   *rewards.ClaimInput `json:"claim,omitempty"`
	ClaimID string              `json:"claim_id,omitempty"`
	// Open opens a dispute; Activity records a consultation or training.
	Open     *mediation.Open           `json:"open,omitempty"`
	Draft    *mediation.DraftAgreement `json:"draft,omitempty"`
	Activity *mediation.Activity       `json:"activity,omitempty"`
	// Fund is the fund opened or settled.
	Fund   *rewards.FundOpening `json:"fund,omitempty"`
	FundID string               `json:"fund_id,omitempty"`
	Steps  []step               `json:"steps"`
	Next   int                  `json:"next"`
}

func (s *script) at() time.Time { return s.Steps[s.Next].At }

// agenda orders the scripts by their next step's time, then by sequence. Each entry
// carries its script's next time and sequence, so that the heap's comparisons, tens
// of millions in a year, read the agenda's own array instead of two pointers away in
// the script and its steps.
type agenda []agendaItem

type agendaItem struct {
	at  int64 // the next step's time, in Unix nanoseconds
	seq int64
	s   *script
}

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if a[i].at != a[j].at {
		return a[i].at < a[j].at
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(agendaItem)) }
func (a *agenda) Pop() any {
	old := *a
	x := old[len(old)-1]
	*a = old[:len(old)-1]
	return x
}

func (a *agenda) add(s *script) { heap.Push(a, agendaItem{at: s.at().UnixNano(), seq: s.Seq, s: s}) }
func (a *agenda) peek() *script { return (*a)[0].s }
func (a *agenda) pop() *script  { return heap.Pop(a).(agendaItem).s }

// scripts returns the scripts under way, in the agenda's order of storage.
func (a agenda) scripts() []*script {
	out := make([]*script, len(a))
	for i, it := range a {
		out[i] = it.s
	}
	return out
}
