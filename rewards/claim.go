package rewards

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
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
// checked against. It keeps what each cap needs, the total granted per month, beside
// the list of grants that makes reserving again idempotent and lets a release free
// what it took. An approval reads and writes the document on every call, so the grants
// are one string rather than a JSON object per claim: decoding a string costs a scan
// of its bytes, decoding an object an allocation and a map insertion per claim, so that
// an approval cost more with every claim the worker already had that year.
// It is a plain value: safe for concurrent use while no one modifies it.
type Tally struct {
	Worker hierarchy.PersonID `json:"worker"`
	Year   int                `json:"year"`
	// Months is what the grants add up to in each month of Year, January first,
	// saturating at the largest Fen rather than wrapping.
	Months [12]Fen `json:"months"`
	// Grants lists "claim|2025-03|amount|" for each granted claim, in the order they
	// were granted. A claim ID holds no '|' ([Service.Submit] refuses one). The
	// separator is not a line break because JSON escapes one, which would take every
	// decode of the string off encoding/json's fast path.
	Grants string `json:"grants,omitempty"`
	// Items is the layout of tallies written before Months and Grants: one entry per
	// claim. A tally read with Items is folded into Months and Grants before it is
	// changed, and written without them.
	Items map[string]TallyItem `json:"items,omitempty"`
}

// TallyItem is one claim's grant and the month it counts in ("2025-03").
type TallyItem struct {
	Month  string `json:"month"`
	Amount Fen    `json:"amount"`
}

func monthKey(t time.Time) string { return t.In(cst).Format("2006-01") }

// monthIndex is the index into Tally.Months of month "2025-03", or -1 when month is
// not a month of a year.
func monthIndex(month string) int {
	if len(month) != 7 || month[4] != '-' || month[5] < '0' || month[5] > '1' || month[6] < '0' || month[6] > '9' {
		return -1
	}
	m := int(month[5]-'0')*10 + int(month[6]-'0')
	if m < 1 || m > 12 {
		return -1
	}
	return m - 1
}

// addSat adds without wrapping: a sum past the largest Fen stays there, so a cap
// compared with it reads as used up, never as open.
func addSat(a, b Fen) Fen {
	if s, err := a.Add(b); err == nil {
		return s
	}
	return Fen(math.MaxInt64)
}

// used is what the grants of the cap period of month (index m) add up to.
func (t *Tally) used(m int, period string) Fen {
	from, to := m, m+1
	switch period {
	case "quarter":
		from = m / 3 * 3
		to = from + 3
	case "year":
		from, to = 0, 12
	}
	var u Fen
	for _, v := range t.Months[from:to] {
		u = addSat(u, v)
	}
	return u
}

func periodName(month, period string) string {
	switch period {
	case "year":
		return month[:4]
	case "quarter":
		return fmt.Sprintf("%s-Q%d", month[:4], monthIndex(month)/3+1)
	}
	return month
}

// grant finds claim id in the grants: its month, amount, and the bounds of its
// three fields in t.Grants. Only a claim ID holds a ':' (see [ClaimID]), so "|id|"
// can only match at the start of a grant.
func (t *Tally) grant(id string) (it TallyItem, from, to int, ok bool) {
	g := t.Grants
	at := -1
	if strings.HasPrefix(g, id+"|") {
		at = 0
	} else if i := strings.Index(g, "|"+id+"|"); i >= 0 {
		at = i + 1
	}
	if at < 0 {
		return TallyItem{}, 0, 0, false
	}
	rest := g[at+len(id)+1:]
	month, rest, ok1 := strings.Cut(rest, "|")
	amount, _, ok2 := strings.Cut(rest, "|")
	if !ok1 || !ok2 {
		return TallyItem{}, 0, 0, false
	}
	n, err := strconv.ParseInt(amount, 10, 64)
	if err != nil {
		return TallyItem{}, 0, 0, false
	}
	return TallyItem{Month: month, Amount: Fen(n)}, at, at + len(id) + len(month) + len(amount) + 3, true
}

// upgrade folds a tally in the layout of Items into Months and Grants, the grants in
// claim ID order.
func (t Tally) upgrade() (Tally, error) {
	if len(t.Items) == 0 {
		return t, nil
	}
	ids := make([]string, 0, len(t.Items))
	for id := range t.Items {
		if _, _, _, ok := t.grant(id); !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString(t.Grants)
	for _, id := range ids {
		it := t.Items[id]
		m := monthIndex(it.Month)
		if m < 0 || it.Month[:4] != strconv.Itoa(t.Year) {
			return t, fmt.Errorf("rewards: tally %s/%d: claim %s counts in month %q, not a month of %d", t.Worker, t.Year, id, it.Month, t.Year)
		}
		t.Months[m] = addSat(t.Months[m], it.Amount)
		appendGrant(&b, id, it.Month, it.Amount)
	}
	t.Grants, t.Items = b.String(), nil
	return t, nil
}

func appendGrant(b *strings.Builder, id, month string, amount Fen) {
	b.WriteString(id)
	b.WriteByte('|')
	b.WriteString(month)
	b.WriteByte('|')
	var buf [20]byte
	b.Write(strconv.AppendInt(buf[:0], int64(amount), 10))
	b.WriteByte('|')
}

// reserve grants claim id at most amount within every cap for its month and returns
// the new tally, the grant and, when the grant is short, why. Reserving a claim
// already in the tally returns its grant again.
func (t Tally) reserve(id string, month string, amount Fen, caps []Cap) (Tally, Fen, string, error) {
	t, err := t.upgrade()
	if err != nil {
		return t, 0, "", err
	}
	if it, _, _, ok := t.grant(id); ok {
		return t, it.Amount, "", nil
	}
	m := monthIndex(month)
	if m < 0 || month[:4] != strconv.Itoa(t.Year) {
		return t, 0, "", fmt.Errorf("rewards: tally %s/%d: month %q is not a month of %d", t.Worker, t.Year, month, t.Year)
	}
	grant, reason := amount, ""
	for _, c := range caps {
		if left := max(c.Amount-t.used(m, c.Period), 0); left < grant {
			grant = left
			reason = fmt.Sprintf("the %s cap of %s for %s leaves %s of %s", c.Period, c.Amount, periodName(month, c.Period), left, amount)
		}
	}
	t.Months[m] = addSat(t.Months[m], grant)
	var b strings.Builder
	b.Grow(len(t.Grants) + len(id) + 32)
	b.WriteString(t.Grants)
	appendGrant(&b, id, month, grant)
	t.Grants = b.String()
	return t, grant, reason, nil
}

// release takes claim id's grant out of the tally. The month's total is added up
// again from the grants left, so that one saturated at the largest Fen comes down to
// what they hold.
func (t Tally) release(id string) (Tally, error) {
	t, err := t.upgrade()
	if err != nil {
		return t, err
	}
	it, from, to, ok := t.grant(id)
	if !ok {
		return t, nil
	}
	t.Grants = t.Grants[:from] + t.Grants[to:]
	m := monthIndex(it.Month)
	if m < 0 {
		return t, fmt.Errorf("rewards: tally %s/%d: claim %s counts in month %q", t.Worker, t.Year, id, it.Month)
	}
	var sum Fen
	fields := strings.Split(t.Grants, "|")
	for i := 0; i+2 < len(fields); i += 3 {
		if fields[i+1] != it.Month {
			continue
		}
		n, err := strconv.ParseInt(fields[i+2], 10, 64)
		if err != nil {
			return t, fmt.Errorf("rewards: tally %s/%d: grant of %s: %w", t.Worker, t.Year, fields[i], err)
		}
		sum = addSat(sum, Fen(n))
	}
	t.Months[m] = sum
	return t, nil
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
