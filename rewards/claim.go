package rewards

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// ClaimState is where a reward claim is in its lifecycle:
//
//	claimed → approved → paid → clawed-back
//	    ↘ rejected ↙ (from claimed or approved, with a reason)
type ClaimState string

// Claim states.
const (
	StateClaimed    ClaimState = "claimed"
	StateApproved   ClaimState = "approved"
	StateRejected   ClaimState = "rejected"
	StatePaid       ClaimState = "paid"
	StateClawedBack ClaimState = "clawed-back"
)

// Source is what a claim comes from: a verified report or an escalation case.
type Source struct {
	Kind string `json:"kind" yaml:"kind"` // "report" or "case"
	ID   string `json:"id" yaml:"id"`
}

// ClaimInput is a verified report presented for a reward.
type ClaimInput struct {
	Source Source             `json:"source"`
	Worker hierarchy.PersonID `json:"worker"`
	// Area is the police responsibility area (警务责任区) whose fund pays.
	Area hierarchy.UnitID `json:"area"`
	// Unit is where the matter is (a grid or community), for statistics by street.
	Unit         hierarchy.UnitID `json:"unit,omitempty"`
	Category     string           `json:"category"`
	Outcome      string           `json:"outcome"`
	Contribution string           `json:"contribution,omitempty"`
	// Matter identifies what was reported (an incident number): a matter is rewarded
	// once, to its first valid reporter. Empty means the report is its own matter.
	Matter string `json:"matter,omitempty"`
	// Series identifies a series of related cases rewarded once together; it
	// replaces Matter for that purpose.
	Series     string    `json:"series,omitempty"`
	ReportedAt time.Time `json:"reported_at"`
}

// Claim is a reward claim, the aggregate of one report's reward.
// It is a plain value: safe for concurrent use while no one modifies it.
type Claim struct {
	ID string `json:"id"`
	ClaimInput
	// Fund is the fund of the claim's area and report year, "area/2025".
	Fund  string     `json:"fund"`
	State ClaimState `json:"state"`
	// Amount is the scheduled reward; Granted what approval allowed under the caps.
	Amount  Fen `json:"amount"`
	Granted Fen `json:"granted,omitempty"`
	// Paid is what was posted, from PaidFrom (Fund, or the overflow fund).
	Paid       Fen       `json:"paid,omitempty"`
	PaidFrom   string    `json:"paid_from,omitempty"`
	PaidAt     time.Time `json:"paid_at,omitzero"`
	ClawedBack Fen       `json:"clawed_back,omitempty"`
	// Rule and Reason say why a claim was rejected, reduced or clawed back.
	Rule    string    `json:"rule,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	Pending *Pending  `json:"pending,omitempty"`
	History []Event   `json:"history"`
	Created time.Time `json:"created"`
}

// Pending marks a claim whose multi-step operation has begun and not finished. Each
// step of the operation is one compare-and-swap of one aggregate and is idempotent,
// keyed by the claim, so [Service.Reconcile] can finish or undo it after a crash.
type Pending struct {
	ID    string             `json:"id"` // the operation's own token
	Op    string             `json:"op"` // register, approve, reject, pay, clawback
	Since time.Time          `json:"since"`
	By    hierarchy.PersonID `json:"by,omitempty"`
	Post  hierarchy.PostID   `json:"post,omitempty"` // the post By acted in
	Note  string             `json:"note,omitempty"`
	// Fund, Amount and Partial fix a payment or clawback before any money moves.
	Fund    string `json:"fund,omitempty"`
	Amount  Fen    `json:"amount,omitempty"`
	Partial bool   `json:"partial,omitempty"`
}

// Event is one line of a claim's history.
type Event struct {
	At     time.Time          `json:"at"`
	Action string             `json:"action"`
	By     hierarchy.PersonID `json:"by,omitempty"`
	Post   hierarchy.PostID   `json:"post,omitempty"` // the post By acted in; empty for the system
	Note   string             `json:"note,omitempty"`
}

func (p Pending) actor() hierarchy.Actor { return hierarchy.Actor{Person: p.By, Post: p.Post} }

// Rules named in claim refusals and rejections.
const (
	RuleClaimInput    = "rewards.claim-input"
	RuleSchedule      = "rewards.schedule"         // no schedule row for the report
	RuleFirstReporter = "rewards.first-reporter"   // the matter went or goes to an earlier report
	RuleSeriesOnce    = "rewards.series-once"      // a series of cases is rewarded once
	RuleWorkerCap     = "rewards.worker-cap"       // the worker's cap for the period is used up
	RuleState         = "rewards.state"            // the claim's state does not allow the command
	RuleInProgress    = "rewards.in-progress"      // another operation on the claim is running
	RuleFundFloor     = "funds.floor"              // a fund opens with at least the floor
	RuleFundShort     = "funds.shortfall-wait"     // the fund cannot pay now: the claim waits
	RuleFundMissing   = "funds.fund-missing"       // the claim's fund is not open
	RuleReduced       = "funds.shortfall-reduce"   // paid what the fund had left
	RuleOverflow      = "funds.shortfall-overflow" // charged to the overflow fund
	RuleInvalidReport = "rewards.report-invalid"   // the report was found invalid
)

// ClaimID is the ID of the claim of a source: one source, one claim, so submitting a
// report twice finds the first claim.
func ClaimID(s Source) string { return s.Kind + ":" + s.ID }

// FundID is the ID of the fund of area in year.
func FundID(area hierarchy.UnitID, year int) string { return fmt.Sprintf("%s/%d", area, year) }

// matterKey is the key under which a claim competes: its series, its matter, or its
// own source.
func (in ClaimInput) matterKey() string {
	switch {
	case in.Series != "":
		return "series:" + in.Series
	case in.Matter != "":
		return "matter:" + in.Matter
	}
	return "source:" + ClaimID(in.Source)
}

func (in ClaimInput) validate(s Schedule) (Fen, error) {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	if in.Source.Kind != "report" && in.Source.Kind != "case" {
		bad("source.kind", "%q must be report or case", in.Source.Kind)
	}
	for path, v := range map[string]string{"source.id": in.Source.ID, "worker": string(in.Worker), "area": string(in.Area),
		"matter": in.Matter, "series": in.Series} {
		if strings.ContainsAny(v, "|\n\r") {
			bad(path, "%q may not contain '|' or a line break", v)
		}
	}
	if in.Source.ID == "" {
		bad("source.id", "must not be empty")
	}
	if in.Worker == "" {
		bad("worker", "must not be empty")
	}
	if in.Area == "" {
		bad("area", "must not be empty")
	}
	if in.ReportedAt.IsZero() {
		bad("reported_at", "must be set")
	}
	amount, ok := s.Amount(in.Category, in.Outcome, in.Contribution)
	if !ok && in.Category != "" {
		bad("category", "no schedule row for %s/%s/%s", in.Category, in.Outcome, orNone(in.Contribution))
	}
	if in.Category == "" {
		bad("category", "must not be empty")
	}
	if err := errors.Join(errs...); err != nil {
		rule := RuleClaimInput
		if !ok && len(errs) == 1 && in.Category != "" {
			rule = RuleSchedule
		}
		return 0, &gridgov.Error{Op: "rewards.Submit", Kind: gridgov.ErrInvalid, Rule: rule, Err: err}
	}
	return amount, nil
}

func (c Claim) withEvent(at time.Time, action string, by hierarchy.Actor, note string) Claim {
	c.History = append(slices.Clip(c.History), Event{At: at, Action: action, By: by.Person, Post: by.Post, Note: note})
	return c
}

// Matter is the aggregate that decides who is rewarded for one matter or series:
// every claim on it is a contender and at most one wins.
// It is a plain value: safe for concurrent use while no one modifies it.
type Matter struct {
	Key        string      `json:"key"`
	Contenders []Contender `json:"contenders"`
	// Winner is the claim that was approved for the matter, "" while none is.
	Winner string `json:"winner,omitempty"`
}

// Contender is one claim competing for a matter.
type Contender struct {
	Claim      string             `json:"claim"`
	Worker     hierarchy.PersonID `json:"worker"`
	ReportedAt time.Time          `json:"reported_at"`
	// Out is set when the claim was rejected or clawed back: it no longer competes.
	Out bool `json:"out,omitempty"`
}

// register adds claim c as a contender. A matter already won by another claim gets
// the newcomer's reason for losing.
func (m Matter) register(c Claim) (Matter, string) {
	if m.Winner != "" && m.Winner != c.ID {
		w := m.find(m.Winner)
		return m.add(c, true), fmt.Sprintf("%s was already rewarded to claim %s, reported %s", m.Key, m.Winner, w.ReportedAt.In(cst).Format(time.DateTime))
	}
	return m.add(c, false), ""
}

func (m Matter) add(c Claim, out bool) Matter {
	if m.find(c.ID).Claim != "" {
		return m
	}
	m.Contenders = append(slices.Clip(m.Contenders), Contender{Claim: c.ID, Worker: c.Worker, ReportedAt: c.ReportedAt, Out: out})
	return m
}

func (m Matter) find(id string) Contender {
	for _, x := range m.Contenders {
		if x.Claim == id {
			return x
		}
	}
	return Contender{}
}

// decide is the first-reporter rule at approval: claim id wins if it is the earliest
// reported contender still in the running (ties by claim ID). It returns the new
// matter and, when id loses, the rule and reason; ok false with an empty rule means an
// earlier report is still undecided and the approval must wait.
func (m Matter) decide(id string) (next Matter, won bool, rule, reason string) {
	if m.Winner == id {
		return m, true, "", ""
	}
	rule = RuleFirstReporter
	if strings.HasPrefix(m.Key, "series:") {
		rule = RuleSeriesOnce
	}
	if m.Winner != "" {
		w := m.find(m.Winner)
		return m.out(id), false, rule, fmt.Sprintf("%s was rewarded to claim %s, reported %s", m.Key, m.Winner, w.ReportedAt.In(cst).Format(time.DateTime))
	}
	var first Contender
	for _, x := range m.Contenders {
		if x.Out {
			continue
		}
		if first.Claim == "" || x.ReportedAt.Before(first.ReportedAt) || x.ReportedAt.Equal(first.ReportedAt) && x.Claim < first.Claim {
			first = x
		}
	}
	if first.Claim == id {
		m.Winner = id
		return m, true, "", ""
	}
	return m, false, "", fmt.Sprintf("claim %s reported %s is earlier and undecided", first.Claim, first.ReportedAt.In(cst).Format(time.DateTime))
}

// out takes claim id out of the running; a winner taken out frees the matter for the
// next valid reporter.
func (m Matter) out(id string) Matter {
	cs := slices.Clone(m.Contenders)
	for i := range cs {
		if cs[i].Claim == id {
			cs[i].Out = true
		}
	}
	m.Contenders = cs
	if m.Winner == id {
		m.Winner = ""
	}
	return m
}

// Tally is a worker's granted rewards in one year, the aggregate the caps are
// checked against.
// It is a plain value: safe for concurrent use while no one modifies it.
type Tally struct {
	Worker hierarchy.PersonID `json:"worker"`
	Year   int                `json:"year"`
	// Items maps a claim to its grant.
	Items map[string]TallyItem `json:"items"`
}

// TallyItem is one claim's grant and the month it counts in ("2025-03").
type TallyItem struct {
	Month  string `json:"month"`
	Amount Fen    `json:"amount"`
}

func monthKey(t time.Time) string { return t.In(cst).Format("2006-01") }

func periodOf(month, period string) string {
	switch period {
	case "year":
		return month[:4]
	case "quarter":
		m := month[5:]
		q := map[string]string{"01": "Q1", "02": "Q1", "03": "Q1", "04": "Q2", "05": "Q2", "06": "Q2",
			"07": "Q3", "08": "Q3", "09": "Q3", "10": "Q4", "11": "Q4", "12": "Q4"}[m]
		return month[:4] + "-" + q
	}
	return month
}

// reserve grants claim id at most amount within every cap for its month and returns
// the new tally, the grant and, when the grant is short, why. Reserving a claim
// already in the tally returns its grant again.
func (t Tally) reserve(id string, month string, amount Fen, caps []Cap) (Tally, Fen, string) {
	if it, ok := t.Items[id]; ok {
		return t, it.Amount, ""
	}
	grant, reason := amount, ""
	for _, c := range caps {
		p := periodOf(month, c.Period)
		var used Fen
		for _, it := range t.Items {
			if periodOf(it.Month, c.Period) == p {
				if u, err := used.Add(it.Amount); err == nil {
					used = u
				} else {
					used = Fen(math.MaxInt64) // saturate: the cap is used up, never wrapped open
				}
			}
		}
		if left := max(c.Amount-used, 0); left < grant {
			grant = left
			reason = fmt.Sprintf("the %s cap of %s for %s leaves %s of %s", c.Period, c.Amount, p, left, amount)
		}
	}
	items := make(map[string]TallyItem, len(t.Items)+1)
	for k, v := range t.Items {
		items[k] = v
	}
	items[id] = TallyItem{Month: month, Amount: grant}
	t.Items = items
	return t, grant, reason
}

func (t Tally) release(id string) Tally {
	if _, ok := t.Items[id]; !ok {
		return t
	}
	items := make(map[string]TallyItem, len(t.Items))
	for k, v := range t.Items {
		if k != id {
			items[k] = v
		}
	}
	t.Items = items
	return t
}

func tallyID(w hierarchy.PersonID, at time.Time) string {
	return fmt.Sprintf("%s/%d", w, at.In(cst).Year())
}

func byCreated(a, b Claim) int {
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
