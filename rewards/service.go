package rewards

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards/ledger"
	"github.com/gridgov/gridgov/store"
)

// ServiceOptions configures a [Service]. A nil *ServiceOptions means defaults.
type ServiceOptions struct {
	// Prefix names the service's collections: Prefix+"claims", "matters", "tallies",
	// "awards", and the ledger's Prefix+"ledger.books" and "ledger.chunks".
	// Default "rewards.".
	Prefix string
	// ChunkSize is the ledger's chunk size. Default 64.
	ChunkSize int
	// MaxRetries bounds compare-and-swap retries per step. Default 1000.
	MaxRetries int
}

// Service runs report rewards over a [store.Backend]: claims, funds, payments,
// clawbacks, year-end awards, reconciliation and statistics. Each command is a chain of
// steps, each one compare-and-swap of one aggregate (a claim, a matter, a worker's
// tally, a fund's ledger book, an award) that is idempotent, so an interrupted command
// is finished or undone by [Service.Reconcile].
//
// A Service is safe for concurrent use. The zero value is not usable; use [NewService].
type Service struct {
	policy  Policy
	tree    atomic.Pointer[hierarchy.Tree]
	clock   gridgov.Clock
	ids     *gridgov.IDGenerator
	ledger  *ledger.Ledger
	claims  *store.Collection[Claim]
	matters *store.Collection[Matter]
	tallies *store.Collection[Tally]
	awards  *store.Collection[Award]
	// summaries reads the claims collection as claimSummary values, for statistics.
	// It declares no indexes and must never write: a document written through it
	// would lose its index entries and every field it does not hold.
	summaries *store.Collection[claimSummary]
	// opened holds the IDs of the funds this Service has seen open. The ledger never
	// removes a book, so a fund seen open stays open, and [Service.Submit] reads the
	// fund's book (its head grows with every payment) only the first time.
	opened sync.Map // fund ID → struct{}
}

// Accounts of the rewards ledger.
const (
	// AccountSource is where deposits come from (the police budget, 公安经费).
	AccountSource ledger.Account = "source:appropriation"
)

// FundAccount is the ledger account of fund id.
func FundAccount(id string) ledger.Account { return ledger.Account("fund:" + id) }

// WorkerAccount is the ledger account of worker w.
func WorkerAccount(w hierarchy.PersonID) ledger.Account { return ledger.Account("worker:" + string(w)) }

// NewService returns a service over b with policy p, authorizing every command against
// tree (who holds which post when, and which units lie under which). It refuses an
// invalid policy or a nil tree with an error wrapping ErrInvalid.
func NewService(b store.Backend, p Policy, tree *hierarchy.Tree, clock gridgov.Clock, ids *gridgov.IDGenerator, opts *ServiceOptions) (*Service, error) {
	if err := p.Validate(); err != nil {
		return nil, &gridgov.Error{Op: "rewards.NewService", Kind: gridgov.ErrInvalid, Msg: "policy", Err: err}
	}
	if tree == nil {
		return nil, &gridgov.Error{Op: "rewards.NewService", Kind: gridgov.ErrInvalid, Msg: "a tree is required: commands are authorized against it"}
	}
	o := ServiceOptions{Prefix: "rewards.", MaxRetries: 1000}
	if opts != nil {
		if opts.Prefix != "" {
			o.Prefix = opts.Prefix
		}
		o.ChunkSize = opts.ChunkSize
		if opts.MaxRetries > 0 {
			o.MaxRetries = opts.MaxRetries
		}
	}
	s := &Service{
		policy: p, clock: clock, ids: ids,
		ledger: ledger.New(b, ids, &ledger.Options{Prefix: o.Prefix + "ledger.", ChunkSize: o.ChunkSize, MaxRetries: o.MaxRetries}),
		claims: store.NewCollection(b, o.Prefix+"claims", &store.CollectionOptions[Claim]{
			MaxRetries: o.MaxRetries,
			Indexes: map[string]func(Claim) []string{
				"due": func(c Claim) []string {
					if c.State == StateApproved && c.Pending == nil {
						return []string{c.Fund}
					}
					return nil
				},
				"pending": func(c Claim) []string {
					if c.Pending != nil {
						return []string{"1"}
					}
					return nil
				},
				"worker": func(c Claim) []string { return []string{string(c.Worker)} },
				"fund":   func(c Claim) []string { return []string{c.Fund} },
			},
			Encode: appendClaim,
			Decode: decodeClaim,
		}),
		matters: store.NewCollection[Matter](b, o.Prefix+"matters", &store.CollectionOptions[Matter]{MaxRetries: o.MaxRetries,
			Encode: appendMatter, Decode: decodeMatter}),
		tallies: store.NewCollection[Tally](b, o.Prefix+"tallies", &store.CollectionOptions[Tally]{MaxRetries: o.MaxRetries,
			Encode: appendTally, Decode: decodeTally}),
		awards: store.NewCollection[Award](b, o.Prefix+"awards", &store.CollectionOptions[Award]{MaxRetries: o.MaxRetries}),
		summaries: store.NewCollection[claimSummary](b, o.Prefix+"claims", &store.CollectionOptions[claimSummary]{
			Decode: decodeClaimSummary}),
	}
	s.tree.Store(tree)
	return s, nil
}

// SetTree replaces the tree commands are authorized against, for a reorganisation
// ([hierarchy.Tree.Apply]); commands already running finish under the old one. A nil
// tree is refused.
func (s *Service) SetTree(t *hierarchy.Tree) error {
	if t == nil {
		return &gridgov.Error{Op: "rewards.SetTree", Kind: gridgov.ErrInvalid, Msg: "a tree is required"}
	}
	s.tree.Store(t)
	return nil
}

// Tree returns the tree commands are authorized against.
func (s *Service) Tree() *hierarchy.Tree { return s.tree.Load() }

// Policy returns the service's policy.
func (s *Service) Policy() Policy { return s.policy }

// Ledger returns the ledger the funds are kept in, for audits and exports.
func (s *Service) Ledger() *ledger.Ledger { return s.ledger }

// Fund is a report-reward fund (奖励基金): one per police responsibility area and year,
// kept as a ledger book.
// It is a plain value: safe for concurrent use while no one modifies it.
type Fund struct {
	ID      string           `json:"id"`
	Area    hierarchy.UnitID `json:"area"`
	Year    int              `json:"year"`
	Balance Fen              `json:"balance"`
	Credits Fen              `json:"credits"`
	Debits  Fen              `json:"debits"`
	Entries uint64           `json:"entries"`
	// Head is the hash of the fund's last ledger entry: publishing it anchors the
	// fund's history.
	Head string `json:"head"`
}

func fundOf(b ledger.Book) Fund {
	var year int
	fmt.Sscan(b.Labels["year"], &year)
	return Fund{ID: b.ID, Area: hierarchy.UnitID(b.Labels["area"]), Year: year, Balance: Fen(b.Balance()),
		Credits: Fen(b.Credits), Debits: Fen(b.Debits), Entries: b.Seq, Head: b.Head}
}

func (s *Service) overflowID(year int) string {
	return FundID(hierarchy.UnitID(s.policy.Funds.Overflow), year)
}

// FundOpening is the appropriation that opens a fund (奖励基金) of a police
// responsibility area for a year.
type FundOpening struct {
	Area hierarchy.UnitID `json:"area"`
	Year int              `json:"year"`
	// Amount is the opening deposit, at least the policy floor (the overflow fund is
	// exempt) and at most [MaxAmount].
	Amount Fen `json:"amount"`
	// Ref names the appropriation document ("秦公(2025)12号"). It is the opening's
	// idempotency key: opening again with the same Ref and Amount changes nothing; the
	// same Ref with another Amount is refused (ErrConflict, rule rewards.idempotency).
	Ref string `json:"ref"`
	// TopUp lets an opening of a fund already opened under another Ref deposit Amount
	// under this Ref. Without it such an opening is refused (ErrConflict, rule
	// funds.already-open) and deposits nothing, so a repeated appropriation is not paid
	// in twice by mistake.
	TopUp bool `json:"top_up,omitempty"`
}

// OpenFund opens the fund of o.Area for o.Year with the opening deposit o.Amount, for
// actor (action open-fund, scope o.Area). A fund opens with at least the policy floor
// (rule funds.floor, ErrInvalid); the overflow fund is exempt.
func (s *Service) OpenFund(ctx context.Context, actor hierarchy.Actor, o FundOpening) (Fund, error) {
	const op = "rewards.OpenFund"
	id := FundID(o.Area, o.Year)
	if o.Area == "" || o.Year < 1 || o.Ref == "" {
		return Fund{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Msg: "area, year and ref are required"}
	}
	if err := checkAmount(op, "amount", o.Amount); err != nil {
		return Fund{}, err
	}
	if string(o.Area) != s.policy.Funds.Overflow && o.Amount < s.policy.Funds.Floor {
		return Fund{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleFundFloor,
			Msg: fmt.Sprintf("fund %s opens with %s, less than the floor of %s", id, o.Amount, s.policy.Funds.Floor)}
	}
	if _, err := s.authorize(op, ActionOpenFund, actor, s.clock.Now(), o.Area); err != nil {
		return Fund{}, err
	}
	b, err := s.ledger.Open(ctx, id, FundAccount(id), map[string]string{"area": string(o.Area), "year": fmt.Sprint(o.Year), "opened": o.Ref})
	if err != nil {
		return Fund{}, fmt.Errorf("rewards: open fund %s: %w", id, err)
	}
	// A fund that already holds deposits was opened before: only its own reference
	// replays, and another one deposits only when TopUp asks for it.
	if _, dup := b.SeqOf(depositKey(o.Ref)); b.Seq > 0 && !dup && !o.TopUp {
		return Fund{}, refuse(op, RuleFundOpened, gridgov.ErrConflict,
			"fund %s was opened under %q; opening it again under %q would deposit a second time (set TopUp to mean it)", id, b.Labels["opened"], o.Ref)
	}
	return s.deposit(ctx, op, id, o.Amount, o.Ref)
}

func depositKey(ref string) string { return "deposit:" + ref }

// Deposit adds amount to fund id for actor (action deposit, scope the fund's area); ref
// names the deposit and is its idempotency key: the same ref and amount again changes
// nothing, the same ref with another amount is refused (ErrConflict, rule
// rewards.idempotency).
func (s *Service) Deposit(ctx context.Context, actor hierarchy.Actor, id string, amount Fen, ref string) (Fund, error) {
	const op = "rewards.Deposit"
	if ref == "" {
		return Fund{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Msg: "ref is required"}
	}
	if err := checkAmount(op, "amount", amount); err != nil {
		return Fund{}, err
	}
	f, err := s.Fund(ctx, id)
	if err != nil {
		return Fund{}, err
	}
	if _, err := s.authorize(op, ActionDeposit, actor, s.clock.Now(), f.Area); err != nil {
		return Fund{}, err
	}
	return s.deposit(ctx, op, id, amount, ref)
}

func (s *Service) deposit(ctx context.Context, op, id string, amount Fen, ref string) (Fund, error) {
	key := depositKey(ref)
	b, res, err := s.ledger.Post(ctx, id, s.clock.Now(), ledger.Posting{
		Key: key, Kind: "deposit", Cause: key,
		Debit: AccountSource, Credit: FundAccount(id), Amount: int64(amount),
	})
	if err != nil {
		return Fund{}, fmt.Errorf("rewards: deposit into %s: %w", id, err)
	}
	if res[0].Duplicate {
		e, err := s.ledger.Entry(ctx, id, key)
		if err != nil {
			return Fund{}, fmt.Errorf("rewards: deposit into %s: %w", id, err)
		}
		if e.Kind != "deposit" || Fen(e.Amount) != amount {
			return Fund{}, refuse(op, RuleIdempotency, gridgov.ErrConflict,
				"reference %q of fund %s was already used for a %s of %s, not %s", ref, id, e.Kind, Fen(e.Amount), amount)
		}
	}
	return fundOf(b), nil
}

// Fund returns fund id, or an error wrapping ErrNotFound.
func (s *Service) Fund(ctx context.Context, id string) (Fund, error) {
	b, err := s.ledger.Book(ctx, id)
	if err != nil {
		return Fund{}, fmt.Errorf("rewards: %w", err)
	}
	return fundOf(b), nil
}

// Funds returns every fund in ID order.
func (s *Service) Funds(ctx context.Context) ([]Fund, error) {
	bs, err := s.ledger.Books(ctx)
	if err != nil {
		return nil, fmt.Errorf("rewards: %w", err)
	}
	out := make([]Fund, len(bs))
	for i, b := range bs {
		out[i] = fundOf(b)
	}
	return out, nil
}

// Claim returns claim id, or an error wrapping ErrNotFound.
func (s *Service) Claim(ctx context.Context, id string) (Claim, error) {
	v, err := s.claims.Get(ctx, id)
	if err != nil {
		return Claim{}, fmt.Errorf("rewards: %w", err)
	}
	return v.Value, nil
}

// Claims returns the claims of worker w (all claims when w is ""), in ID order.
func (s *Service) Claims(ctx context.Context, w hierarchy.PersonID) ([]Claim, error) {
	field, value := "", ""
	if w != "" {
		field, value = "worker", string(w)
	}
	vs, err := s.claims.All(ctx, field, value)
	if err != nil {
		return nil, fmt.Errorf("rewards: claims: %w", err)
	}
	out := make([]Claim, len(vs))
	for i, v := range vs {
		out[i] = v.Value
	}
	return out, nil
}

// errStale ends an Update whose pending marker was finished by someone else.
var errStale = errors.New("rewards: pending operation already finished")

func refuse(op, rule string, kind error, format string, args ...any) error {
	return &gridgov.Error{Op: op, Kind: kind, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

// begin marks claim id with a new pending operation if check allows it, and returns
// the claim with the version it wrote, for [Service.finish].
func (s *Service) begin(ctx context.Context, op, id string, p Pending, check func(Claim) error) (Claim, int64, error) {
	pid, err := s.ids.NewString(p.Since)
	if err != nil {
		return Claim{}, 0, err
	}
	p.ID = pid
	v, err := s.claims.Update(ctx, id, func(c Claim, exists bool) (Claim, error) {
		if !exists {
			return c, fmt.Errorf("rewards: %s %s: %w", p.Op, id, gridgov.ErrNotFound)
		}
		if c.Pending != nil {
			return c, refuse(op, RuleInProgress, gridgov.ErrConflict, "claim %s: %s since %s is in progress", id, c.Pending.Op, c.Pending.Since.Format(time.RFC3339))
		}
		if err := check(c); err != nil {
			return c, err
		}
		pp := p
		c.Pending = &pp
		return c, nil
	})
	return v.Value, v.Version, err
}

// finish writes the end of claim c's pending operation, unless someone else did.
// ver is the version at which c, pending, was written by this command, or 0 when
// unknown: a claim stored at that version is c itself, so its end is written at ver
// without reading it back; a claim moved on since is read and decided afresh.
func (s *Service) finish(ctx context.Context, c Claim, ver int64, fn func(Claim) Claim) (Claim, error) {
	pid := c.Pending.ID
	if ver > 0 {
		next := fn(c)
		next.Pending = nil
		_, err := s.claims.Put(ctx, c.ID, next, ver)
		if err == nil {
			return next, nil
		}
		if !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotFound) {
			return Claim{}, fmt.Errorf("rewards: finish %s of %s: %w", c.Pending.Op, c.ID, err)
		}
	}
	v, err := s.claims.Update(ctx, c.ID, func(cur Claim, exists bool) (Claim, error) {
		if !exists || cur.Pending == nil || cur.Pending.ID != pid {
			return cur, errStale
		}
		next := fn(cur)
		next.Pending = nil
		return next, nil
	})
	if errors.Is(err, errStale) {
		return s.Claim(ctx, c.ID)
	}
	if err != nil {
		return Claim{}, fmt.Errorf("rewards: finish %s of %s: %w", c.Pending.Op, c.ID, err)
	}
	return v.Value, nil
}

func stateIs(op string, want ...ClaimState) func(Claim) error {
	return func(c Claim) error {
		if !slices.Contains(want, c.State) {
			return refuse(op, RuleState, gridgov.ErrPrecondition, "claim %s is %s, want %v", c.ID, c.State, want)
		}
		return nil
	}
}

// Submit registers a verified report's claim for actor (action submit, scope the
// claim's Unit or Area). The amount comes from the schedule; a report the schedule does
// not cover is refused (ErrInvalid, rule rewards.schedule) and nothing is stored, as is
// a report time after now (ErrInvalid, rule rewards.reported-at: it would count in a
// later cap period), a worker who held no post of the tree when reporting (ErrForbidden,
// rule rewards.worker-post) and an area whose fund for the report's year is not open
// (ErrPrecondition, rule funds.fund-missing). A source has one claim: submitting it
// again returns the first. A claim on a matter or series already rewarded to another
// report is stored as rejected, with the reason.
func (s *Service) Submit(ctx context.Context, actor hierarchy.Actor, in ClaimInput) (Claim, error) {
	const op = "rewards.Submit"
	amount, err := in.validate(s.policy.Schedule)
	if err != nil {
		return Claim{}, err
	}
	at := s.clock.Now()
	if in.ReportedAt.After(at) {
		return Claim{}, refuse(op, RuleReportedAt, gridgov.ErrInvalid, "reported_at %s is after now (%s)",
			in.ReportedAt.In(cst).Format(time.RFC3339), at.In(cst).Format(time.RFC3339))
	}
	if _, err := s.authorize(op, ActionSubmit, actor, at, in.Unit, in.Area); err != nil {
		return Claim{}, err
	}
	if len(s.tree.Load().PostsOf(in.Worker, in.ReportedAt)) == 0 {
		return Claim{}, forbidden(op, RuleWorkerPost, "worker %s held no post of the tree at %s", in.Worker, in.ReportedAt.In(cst).Format(time.RFC3339))
	}
	fund := FundID(in.Area, in.ReportedAt.In(cst).Year())
	if err := s.fundOpen(ctx, fund); err != nil {
		if errors.Is(err, gridgov.ErrNotFound) || errors.Is(err, store.ErrNotFound) {
			return Claim{}, refuse(op, RuleFundMissing, gridgov.ErrPrecondition, "area %s has no open fund %s", in.Area, fund)
		}
		return Claim{}, fmt.Errorf("rewards: submit: %w", err)
	}
	pid, err := s.ids.NewString(at)
	if err != nil {
		return Claim{}, err
	}
	id := ClaimID(in.Source)
	c := Claim{ID: id, ClaimInput: in, Fund: fund, State: StateClaimed,
		Amount: amount, Created: at, Pending: &Pending{ID: pid, Op: "register", Since: at, By: actor.Person, Post: actor.Post}}
	c = c.withEvent(at, "claimed", actor, fmt.Sprintf("%s/%s/%s: %s", in.Category, in.Outcome, orNone(in.Contribution), amount))
	ver, err := s.claims.Put(ctx, id, c, 0)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			return s.Claim(ctx, id)
		}
		return Claim{}, fmt.Errorf("rewards: submit %s: %w", id, err)
	}
	return s.finishRegister(ctx, c, ver)
}

// fundOpen returns nil when fund id is open, or the error of reading its book.
func (s *Service) fundOpen(ctx context.Context, id string) error {
	if _, ok := s.opened.Load(id); ok {
		return nil
	}
	if _, err := s.ledger.Book(ctx, id); err != nil {
		return err
	}
	s.opened.Store(id, struct{}{})
	return nil
}

func (s *Service) finishRegister(ctx context.Context, c Claim, ver int64) (Claim, error) {
	var reason string
	if _, err := s.matters.Update(ctx, c.matterKey(), func(m Matter, exists bool) (Matter, error) {
		m.Key = c.matterKey()
		m, reason = m.register(c)
		return m, nil
	}); err != nil {
		return Claim{}, fmt.Errorf("rewards: register %s: %w", c.ID, err)
	}
	at := s.clock.Now()
	return s.finish(ctx, c, ver, func(c Claim) Claim {
		if reason == "" {
			return c
		}
		c.State, c.Rule, c.Reason = StateRejected, ruleOfKey(c.matterKey()), reason
		return c.withEvent(at, "rejected", hierarchy.Actor{}, reason)
	})
}

func ruleOfKey(key string) string {
	if len(key) > 7 && key[:7] == "series:" {
		return RuleSeriesOnce
	}
	return RuleFirstReporter
}

// Approve approves claim id for by. The claim must be the first valid report of its
// matter: a later report is rejected with the reason, and an approval while an earlier
// report is undecided is refused (ErrPrecondition, rule rewards.first-reporter) and
// changes nothing. The grant is the scheduled amount within the worker's caps; a
// worker with no cap left is rejected (rule rewards.worker-cap).
//
// The actor needs the approve action in the claim's area and may not be the claimant
// or the claim's submitter (ErrForbidden, rule rewards.separation).
func (s *Service) Approve(ctx context.Context, id string, actor hierarchy.Actor) (Claim, error) {
	const op = "rewards.Approve"
	at := s.clock.Now()
	c, ver, err := s.begin(ctx, op, id, Pending{Op: "approve", Since: at, By: actor.Person, Post: actor.Post},
		s.allowed(op, ActionApprove, actor, at, stateIs(op, StateClaimed)))
	if err != nil {
		return Claim{}, err
	}
	return s.finishApprove(ctx, c, ver)
}

func (s *Service) finishApprove(ctx context.Context, c Claim, ver int64) (Claim, error) {
	var won bool
	var rule, reason string
	if _, err := s.matters.Update(ctx, c.matterKey(), func(m Matter, exists bool) (Matter, error) {
		m.Key = c.matterKey()
		m = m.add(c, false)
		m, won, rule, reason = m.decide(c.ID)
		return m, nil
	}); err != nil {
		return Claim{}, fmt.Errorf("rewards: approve %s: %w", c.ID, err)
	}
	at := s.clock.Now()
	by := c.Pending.actor()
	if !won && rule == "" {
		if _, err := s.finish(ctx, c, ver, func(c Claim) Claim { return c }); err != nil {
			return Claim{}, err
		}
		return Claim{}, refuse("rewards.Approve", RuleFirstReporter, gridgov.ErrPrecondition, "claim %s must wait: %s", c.ID, reason)
	}
	if !won {
		return s.finish(ctx, c, ver, func(c Claim) Claim {
			c.State, c.Rule, c.Reason = StateRejected, rule, reason
			return c.withEvent(at, "rejected", by, reason)
		})
	}
	var grant Fen
	var capReason string
	if _, err := s.tallies.Update(ctx, tallyID(c.Worker, c.ReportedAt), func(t Tally, exists bool) (Tally, error) {
		t.Worker, t.Year = c.Worker, c.ReportedAt.In(cst).Year()
		var err error
		t, grant, capReason, err = t.reserve(c.ID, monthKey(c.ReportedAt), c.Amount, s.policy.Schedule.WorkerCaps)
		return t, err
	}); err != nil {
		return Claim{}, fmt.Errorf("rewards: approve %s: %w", c.ID, err)
	}
	if grant <= 0 {
		// Nothing can be paid: the matter goes back to the next valid reporter.
		if err := s.release(ctx, c); err != nil {
			return Claim{}, err
		}
		return s.finish(ctx, c, ver, func(c Claim) Claim {
			c.State, c.Rule, c.Reason = StateRejected, RuleWorkerCap, capReason
			return c.withEvent(at, "rejected", by, capReason)
		})
	}
	return s.finish(ctx, c, ver, func(c Claim) Claim {
		c.State, c.Granted = StateApproved, grant
		note := fmt.Sprintf("granted %s", grant)
		if capReason != "" {
			c.Rule, c.Reason = RuleWorkerCap, capReason
			note += ": " + capReason
		}
		return c.withEvent(at, "approved", by, note)
	})
}

// release takes claim c out of its matter and its worker's tally.
func (s *Service) release(ctx context.Context, c Claim) error {
	if _, err := s.matters.Update(ctx, c.matterKey(), func(m Matter, exists bool) (Matter, error) {
		m.Key = c.matterKey()
		return m.out(c.ID), nil
	}); err != nil {
		return fmt.Errorf("rewards: release %s: %w", c.ID, err)
	}
	if _, err := s.tallies.Update(ctx, tallyID(c.Worker, c.ReportedAt), func(t Tally, exists bool) (Tally, error) {
		t.Worker, t.Year = c.Worker, c.ReportedAt.In(cst).Year()
		return t.release(c.ID)
	}); err != nil {
		return fmt.Errorf("rewards: release %s: %w", c.ID, err)
	}
	return nil
}

// Reject rejects claim id (claimed or approved, not yet paid) for actor with reason;
// the matter goes back to the next valid reporter. The actor needs the reject action in
// the claim's area and may not reject their own claim (rule rewards.separation).
func (s *Service) Reject(ctx context.Context, id string, actor hierarchy.Actor, reason string) (Claim, error) {
	const op = "rewards.Reject"
	if reason == "" {
		return Claim{}, refuse(op, RuleState, gridgov.ErrInvalid, "a rejection needs a reason")
	}
	at := s.clock.Now()
	c, ver, err := s.begin(ctx, op, id, Pending{Op: "reject", Since: at, By: actor.Person, Post: actor.Post, Note: reason},
		s.allowed(op, ActionReject, actor, at, stateIs(op, StateClaimed, StateApproved)))
	if err != nil {
		return Claim{}, err
	}
	return s.finishReject(ctx, c, ver)
}

// RuleReviewer names a rejection decided by a reviewer.
const RuleReviewer = "rewards.reviewer"

func (s *Service) finishReject(ctx context.Context, c Claim, ver int64) (Claim, error) {
	if err := s.release(ctx, c); err != nil {
		return Claim{}, err
	}
	at := s.clock.Now()
	p := *c.Pending
	return s.finish(ctx, c, ver, func(c Claim) Claim {
		c.State, c.Rule, c.Reason = StateRejected, RuleReviewer, p.Note
		return c.withEvent(at, "rejected", p.actor(), p.Note)
	})
}

func payKey(id string) string      { return "pay:" + id }
func clawbackKey(id string) string { return "clawback:" + id }
func claimCause(id string) string  { return "claim:" + id }

// Pay pays approved claim id from its fund. When the fund is short, the shortfall
// policy decides: wait (refused with ErrPrecondition, rule funds.shortfall-wait; the
// claim stays approved), reduce (paid what is left, rule funds.shortfall-reduce) or
// overflow (charged to the overflow fund of the year, rule funds.shortfall-overflow).
// Paying a paid claim again is refused by its state; the ledger's idempotency key
// would not pay it twice in any case. The actor needs the pay action in the claim's
// area and may not pay their own claim (rule rewards.separation).
func (s *Service) Pay(ctx context.Context, id string, actor hierarchy.Actor) (Claim, error) {
	const op = "rewards.Pay"
	c, err := s.Claim(ctx, id)
	if err != nil {
		return Claim{}, err
	}
	if err := s.allowed(op, ActionPay, actor, s.clock.Now(), stateIs(op, StateApproved))(c); err != nil {
		return Claim{}, err
	}
	res, err := s.settle(ctx, c.Fund, []Claim{c}, nil, nil, actor)
	if err != nil {
		return Claim{}, err
	}
	if len(res.Paid) == 0 {
		if len(res.Waiting) > 0 {
			return Claim{}, refuse("rewards.Pay", RuleFundShort, gridgov.ErrPrecondition, "claim %s: %s", id, res.Waiting[0].Reason)
		}
		return Claim{}, refuse("rewards.Pay", RuleInProgress, gridgov.ErrConflict, "claim %s changed while being paid", id)
	}
	return s.Claim(ctx, id)
}

// Settlement reports a settlement run.
// It is a plain value: safe for concurrent use while no one modifies it.
type Settlement struct {
	Fund    string         `json:"fund"`
	Paid    []SettledClaim `json:"paid"`
	Waiting []SettledClaim `json:"waiting,omitempty"`
	Total   Fen            `json:"total"`
}

// SettledClaim is one claim of a settlement: paid (from a fund) or waiting (why).
type SettledClaim struct {
	Claim  string `json:"claim"`
	Fund   string `json:"fund,omitempty"`
	Amount Fen    `json:"amount"`
	Rule   string `json:"rule,omitempty"` // why a claim waits, when a rule says so
	Reason string `json:"reason,omitempty"`
}

// Settle pays every approved claim of fund id, oldest first, in one ledger post per
// fund charged (结算), for actor (action pay, scope the fund's area). Claims the fund
// cannot cover are handled by the shortfall policy as in [Service.Pay]; those that wait
// are listed with the reason. The actor's own claims (as claimant or submitter) are not
// paid by them: they are listed as waiting by rule rewards.separation.
func (s *Service) Settle(ctx context.Context, id string, actor hierarchy.Actor) (Settlement, error) {
	const op = "rewards.Settle"
	book, err := s.ledger.Book(ctx, id)
	if err != nil {
		return Settlement{}, refuse(op, RuleFundMissing, gridgov.ErrPrecondition, "fund %s: %v", id, err)
	}
	f := fundOf(book)
	if _, err := s.authorize(op, ActionPay, actor, s.clock.Now(), f.Area); err != nil {
		return Settlement{}, err
	}
	due, err := s.claims.All(ctx, "due", id)
	if err != nil {
		return Settlement{}, fmt.Errorf("rewards: settle %s: %w", id, err)
	}
	var own []SettledClaim
	var keep []store.Versioned[Claim]
	for _, v := range due {
		if err := separate(op, ActionPay, actor, v.Value); err != nil {
			own = append(own, SettledClaim{Claim: v.Value.ID, Amount: v.Value.Granted, Rule: RuleSeparation, Reason: err.Error()})
			continue
		}
		keep = append(keep, v)
	}
	slices.SortFunc(keep, func(a, b store.Versioned[Claim]) int { return byCreated(a.Value, b.Value) })
	cs := make([]Claim, len(keep))
	vers := make([]int64, len(keep))
	for i, v := range keep {
		cs[i], vers[i] = v.Value, v.Version
	}
	out, err := s.settle(ctx, id, cs, vers, &book, actor)
	out.Waiting = append(out.Waiting, own...)
	return out, err
}

// allowed is a claim check that authorizes actor for action on the claim's area and
// separates duties before check.
func (s *Service) allowed(op string, a Action, actor hierarchy.Actor, at time.Time, check func(Claim) error) func(Claim) error {
	return func(c Claim) error {
		if _, err := s.authorize(op, a, actor, at, c.Area); err != nil {
			return err
		}
		if err := separate(op, a, actor, c); err != nil {
			return err
		}
		return check(c)
	}
}

// settle pays cs from fund id. vers, when not nil, holds the versions at which cs were
// read: a claim still at its version is marked without reading it again. book, when
// not nil, is the fund's book as the caller read it, which settle does not read
// again: the plan made on it only chooses the fund each claim is marked for, and the
// post checks every payment against the book as it is then, so a payment the book no
// longer covers waits rather than overdraws.
func (s *Service) settle(ctx context.Context, id string, cs []Claim, vers []int64, book *ledger.Book, actor hierarchy.Actor) (Settlement, error) {
	out := Settlement{Fund: id}
	if len(cs) == 0 {
		return out, nil
	}
	var primary ledger.Book
	if book != nil {
		primary = *book
	} else {
		var err error
		if primary, err = s.ledger.Book(ctx, id); err != nil {
			return out, refuse("rewards.Settle", RuleFundMissing, gridgov.ErrPrecondition, "fund %s: %v", id, err)
		}
	}
	var overflow *ledger.Book
	if s.policy.Funds.Shortfall == ShortfallOverflow {
		year := cs[0].ReportedAt.In(cst).Year()
		if b, err := s.ledger.Book(ctx, s.overflowID(year)); err == nil {
			overflow = &b
		}
	}
	plans := planPayments(s.policy.Funds, primary, overflow, cs)
	at := s.clock.Now()
	batch, err := s.ids.NewString(at)
	if err != nil {
		return out, err
	}
	var marked []Claim
	var markedVer []int64
	for i, p := range plans {
		if p.wait {
			out.Waiting = append(out.Waiting, SettledClaim{Claim: cs[i].ID, Amount: cs[i].Granted, Reason: p.reason})
			continue
		}
		mark := func(c Claim, exists bool) (Claim, error) {
			if !exists || c.State != StateApproved || c.Pending != nil {
				return c, errStale
			}
			c.Pending = &Pending{ID: batch, Op: "pay", Since: at, By: actor.Person, Post: actor.Post, Fund: p.fund, Amount: c.Granted, Partial: p.partial}
			return c, nil
		}
		var v store.Versioned[Claim]
		err := store.ErrConflict
		if vers != nil {
			// The claim as read, if no one has written it since.
			var next Claim
			if next, err = mark(cs[i], true); err == nil {
				var ver int64
				if ver, err = s.claims.Put(ctx, cs[i].ID, next, vers[i]); err == nil {
					v = store.Versioned[Claim]{ID: cs[i].ID, Version: ver, Value: next}
				}
			}
		}
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) || errors.Is(err, errStale) {
			v, err = s.claims.Update(ctx, cs[i].ID, mark)
		}
		if errors.Is(err, errStale) {
			continue // paid, rejected or busy meanwhile: not this run's business
		}
		if err != nil {
			return out, s.abandon(ctx, marked, markedVer, fmt.Errorf("rewards: settle %s: %w", id, err))
		}
		marked = append(marked, v.Value)
		markedVer = append(markedVer, v.Version)
	}
	posted, err := s.postPayments(ctx, marked, at)
	if err != nil {
		return out, s.abandon(ctx, marked, markedVer, err)
	}
	for i, c := range marked {
		r := posted[i]
		if r == notPosted {
			out.Waiting = append(out.Waiting, SettledClaim{Claim: c.ID, Amount: c.Granted, Reason: fmt.Sprintf("fund %s could not cover %s when posting", c.Pending.Fund, c.Granted)})
			if _, err := s.finish(ctx, c, markedVer[i], func(c Claim) Claim { return c }); err != nil {
				return out, err
			}
			continue
		}
		if _, err := s.finishPay(ctx, c, markedVer[i], r, at); err != nil {
			return out, err
		}
		out.Paid = append(out.Paid, SettledClaim{Claim: c.ID, Fund: c.Pending.Fund, Amount: r})
		out.Total += r
	}
	return out, nil
}

// abandon clears the pending markers of a settlement that failed before posting, so
// the claims can be settled again; a marker it cannot clear is left to Reconcile.
func (s *Service) abandon(ctx context.Context, marked []Claim, vers []int64, cause error) error {
	for i, c := range marked {
		_, _ = s.finish(context.WithoutCancel(ctx), c, vers[i], func(c Claim) Claim { return c })
	}
	return cause
}

type payPlan struct {
	fund    string
	partial bool
	wait    bool
	reason  string
}

// planPayments decides, in order, which fund pays each claim under the shortfall
// policy, against the balances of the primary and overflow books.
func planPayments(f FundPolicy, primary ledger.Book, overflow *ledger.Book, cs []Claim) []payPlan {
	bal := Fen(primary.Balance())
	var obal Fen
	if overflow != nil {
		obal = Fen(overflow.Balance())
	}
	out := make([]payPlan, len(cs))
	for i, c := range cs {
		g := c.Granted
		switch {
		case g <= bal:
			out[i] = payPlan{fund: primary.ID}
			bal -= g
		case f.Shortfall == ShortfallReduce && bal > 0:
			out[i] = payPlan{fund: primary.ID, partial: true}
			bal = 0
		case f.Shortfall == ShortfallOverflow && overflow != nil && g <= obal:
			out[i] = payPlan{fund: overflow.ID}
			obal -= g
		default:
			out[i] = payPlan{wait: true, reason: fmt.Sprintf("fund %s has %s left, the claim needs %s", primary.ID, bal, g)}
			if f.Shortfall == ShortfallOverflow {
				out[i].reason += fmt.Sprintf("; the overflow fund has %s", obal)
			}
		}
	}
	return out
}

// postPayments posts the pending payments of cs, one ledger post per fund, and returns
// what each claim was paid. The plan is re-run inside the post against the book's
// current balance: a claim that no longer fits is left out, not overdrawn.
// The result is aligned with cs: paid[i] is what claim cs[i] was paid, or notPosted.
func (s *Service) postPayments(ctx context.Context, cs []Claim, at time.Time) ([]Fen, error) {
	byFund := map[string][]int{} // indexes into cs: a Claim is too big to copy
	var funds []string
	for i, c := range cs {
		if _, ok := byFund[c.Pending.Fund]; !ok {
			funds = append(funds, c.Pending.Fund)
		}
		byFund[c.Pending.Fund] = append(byFund[c.Pending.Fund], i)
	}
	paid := make([]Fen, len(cs))
	for i := range paid {
		paid[i] = notPosted
	}
	for _, fund := range funds {
		group := byFund[fund]
		account := FundAccount(fund)
		// The postings do not depend on the book; only which of them fit does. Their
		// keys, causes and worker accounts are substrings of one string built for the
		// group: one allocation instead of three per claim.
		n := 0
		for _, ci := range group {
			c := &cs[ci]
			n += 2*len(c.ID) + len(c.Worker) + len("pay:claim:worker:")
		}
		var sb strings.Builder
		sb.Grow(n)
		spans := make([][3]int, len(group))
		for i, ci := range group {
			c := &cs[ci]
			sb.WriteString("pay:")
			sb.WriteString(c.ID)
			spans[i][0] = sb.Len()
			sb.WriteString("claim:")
			sb.WriteString(c.ID)
			spans[i][1] = sb.Len()
			sb.WriteString("worker:")
			sb.WriteString(string(c.Worker))
			spans[i][2] = sb.Len()
		}
		text := sb.String()
		all := make([]ledger.Posting, len(group))
		from := 0
		for i, ci := range group {
			c := &cs[ci]
			sp := spans[i]
			all[i] = ledger.Posting{Key: text[from:sp[0]], Kind: "pay", Cause: text[sp[0]:sp[1]], Debit: account,
				Credit: ledger.Account(text[sp[1]:sp[2]]), Amount: int64(c.Pending.Amount), Partial: c.Pending.Partial}
			from = sp[2]
		}
		ps := make([]ledger.Posting, 0, len(group))
		ids := make([]int, 0, len(group)) // indexes into cs
		_, results, err := s.ledger.PostFunc(ctx, fund, at, func(b ledger.Book) ([]ledger.Posting, error) {
			ps, ids = ps[:0], ids[:0]
			bal := b.Balance()
			for i, p := range all {
				if _, dup := b.SeqOf(p.Key); !dup {
					switch {
					case p.Amount <= bal:
						bal -= p.Amount
					case p.Partial && bal > 0:
						bal = 0
					default:
						continue
					}
				}
				ps = append(ps, p)
				ids = append(ids, group[i])
			}
			return ps, nil
		})
		if err != nil {
			return nil, fmt.Errorf("rewards: pay from %s: %w", fund, err)
		}
		for i, r := range results {
			if r.Duplicate {
				e, err := s.ledger.Entry(ctx, fund, ps[i].Key)
				if err != nil {
					return nil, fmt.Errorf("rewards: pay from %s: %w", fund, err)
				}
				paid[ids[i]] = Fen(e.Amount)
				continue
			}
			paid[ids[i]] = Fen(r.Amount)
		}
	}
	return paid, nil
}

// notPosted marks a claim of postPayments that was not paid: a payment is never < 1 fen.
const notPosted Fen = -1

func (s *Service) finishPay(ctx context.Context, c Claim, ver int64, amount Fen, at time.Time) (Claim, error) {
	fund := c.Pending.Fund
	return s.finish(ctx, c, ver, func(c Claim) Claim {
		c.State, c.Paid, c.PaidFrom, c.PaidAt = StatePaid, amount, fund, at
		note := fmt.Sprintf("paid %s from %s", amount, fund)
		switch {
		case amount < c.Granted:
			c.Rule = RuleReduced
			c.Reason = fmt.Sprintf("fund %s had %s of the %s granted", fund, amount, c.Granted)
			note += ": " + c.Reason
		case fund != c.Fund:
			c.Rule = RuleOverflow
			c.Reason = fmt.Sprintf("fund %s was short; charged to %s", c.Fund, fund)
			note += ": " + c.Reason
		}
		return c.withEvent(at, "paid", c.Pending.actor(), note)
	})
}

// Clawback reverses the payment of claim id whose report was found invalid, with a
// reversing ledger posting (never an edit); the matter goes back to the next valid
// reporter and the worker's cap is freed. The actor needs the clawback action in the
// claim's area and may not claw back their own claim (rule rewards.separation).
func (s *Service) Clawback(ctx context.Context, id string, actor hierarchy.Actor, reason string) (Claim, error) {
	const op = "rewards.Clawback"
	if reason == "" {
		return Claim{}, refuse(op, RuleState, gridgov.ErrInvalid, "a clawback needs a reason")
	}
	at := s.clock.Now()
	c, ver, err := s.begin(ctx, op, id, Pending{Op: "clawback", Since: at, By: actor.Person, Post: actor.Post, Note: reason},
		s.allowed(op, ActionClawback, actor, at, stateIs(op, StatePaid)))
	if err != nil {
		return Claim{}, err
	}
	return s.finishClawback(ctx, c, ver)
}

func (s *Service) finishClawback(ctx context.Context, c Claim, ver int64) (Claim, error) {
	at := s.clock.Now()
	_, res, err := s.ledger.Post(ctx, c.PaidFrom, at, ledger.Posting{
		Key: clawbackKey(c.ID), Kind: "clawback", Cause: claimCause(c.ID), Reverses: payKey(c.ID), Amount: int64(c.Paid - c.ClawedBack),
	})
	if err != nil {
		return Claim{}, fmt.Errorf("rewards: claw back %s: %w", c.ID, err)
	}
	amount := Fen(c.Paid - c.ClawedBack)
	if res[0].Duplicate {
		e, err := s.ledger.Entry(ctx, c.PaidFrom, clawbackKey(c.ID))
		if err != nil {
			return Claim{}, fmt.Errorf("rewards: claw back %s: %w", c.ID, err)
		}
		amount = Fen(e.Amount)
	}
	if err := s.release(ctx, c); err != nil {
		return Claim{}, err
	}
	p := *c.Pending
	return s.finish(ctx, c, ver, func(c Claim) Claim {
		c.State, c.ClawedBack, c.Rule, c.Reason = StateClawedBack, c.ClawedBack+amount, RuleInvalidReport, p.Note
		return c.withEvent(at, "clawed back", p.actor(), fmt.Sprintf("%s: %s", amount, p.Note))
	})
}
