package rewards

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards/ledger"
)

// Problem is a broken invariant [Service.Reconcile] found and could not repair.
type Problem struct {
	Where string `json:"where"` // a fund, a claim, an entry: "fund A/2025 entry 17"
	Rule  string `json:"rule"`
	Msg   string `json:"msg"`
}

// String formats the problem as "where: rule: message".
func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.Where, p.Rule, p.Msg) }

// Invariants checked by Reconcile beyond the ledger's own.
const (
	RuleEntryCause = "reconcile.entry-cause" // every entry's cause exists and agrees with it
	RuleClaimEntry = "reconcile.claim-entry" // every paid or clawed-back claim has its entry
)

// Reconciliation is the outcome of [Service.Reconcile].
// It is a plain value: safe for concurrent use while no one modifies it.
type Reconciliation struct {
	// Resumed lists the interrupted operations found and how each ended.
	Resumed []string `json:"resumed,omitempty"`
	// Swept lists the orphan ledger chunks removed.
	Swept []string `json:"swept,omitempty"`
	// Books has the ledger's verification of every fund.
	Books []ledger.Report `json:"books"`
	// Problems lists every broken invariant, ledger or cause; empty when all hold.
	Problems []Problem `json:"problems,omitempty"`
}

// OK reports whether every invariant holds.
func (r Reconciliation) OK() bool { return len(r.Problems) == 0 }

// Reconcile proves the invariants of every fund and claim and finishes what a crash
// interrupted. It
//
//   - resumes every claim operation pending since before cutoff (registration,
//     approval, rejection, payment, clawback) and every unposted year-end award created
//     before cutoff: each step is idempotent, so it completes them where the money
//     moved and undoes them where it could not (a payment the fund can no longer
//     cover goes back to approved);
//   - verifies every fund's ledger (hash chain, sequence, balance = credits − debits,
//     no negative balance, unique keys, bounded reversals) and sweeps the orphan
//     chunks of posts that never committed;
//   - checks that no entry is without its cause: each payment and clawback entry
//     agrees with its claim, each award entry with its award, each deposit names its
//     reference; and that each paid or clawed-back claim has its entries.
//
// Pass a cutoff no later than the start of any command that may still be running (at
// start-up, the current time; in a live system, now minus a generous timeout): a
// running command's pending marker looks exactly like a crashed one's.
func (s *Service) Reconcile(ctx context.Context, cutoff time.Time) (Reconciliation, error) {
	var r Reconciliation
	pending, err := s.claims.All(ctx, "pending", "1")
	if err != nil {
		return r, fmt.Errorf("rewards: reconcile: %w", err)
	}
	for _, v := range pending {
		c := v.Value
		if c.Pending == nil || !c.Pending.Since.Before(cutoff) {
			continue
		}
		end, err := s.resume(ctx, c)
		if err != nil {
			return r, fmt.Errorf("rewards: reconcile %s: %w", c.ID, err)
		}
		r.Resumed = append(r.Resumed, fmt.Sprintf("claim %s: %s since %s → %s", c.ID, c.Pending.Op, c.Pending.Since.Format(time.RFC3339), end))
	}
	awards, err := s.awards.All(ctx, "", "")
	if err != nil {
		return r, fmt.Errorf("rewards: reconcile: %w", err)
	}
	awardOf := map[string]Award{}
	for _, v := range awards {
		a := v.Value
		if !a.Posted && a.Created.Before(cutoff) {
			if a, err = s.finishAward(ctx, a); err != nil {
				return r, fmt.Errorf("rewards: reconcile award %s: %w", a.Fund, err)
			}
			r.Resumed = append(r.Resumed, fmt.Sprintf("award %s → posted", a.Fund))
		}
		awardOf[a.Fund] = a
	}

	claims := map[string]Claim{}
	all, err := s.claims.All(ctx, "", "")
	if err != nil {
		return r, fmt.Errorf("rewards: reconcile: %w", err)
	}
	for _, v := range all {
		claims[v.ID] = v.Value
	}
	books, err := s.ledger.Books(ctx)
	if err != nil {
		return r, fmt.Errorf("rewards: reconcile: %w", err)
	}
	seen := map[string]bool{} // "book|key" of every entry
	for _, b := range books {
		swept, err := s.ledger.Sweep(ctx, b.ID, cutoff)
		if err != nil {
			return r, fmt.Errorf("rewards: reconcile: %w", err)
		}
		r.Swept = append(r.Swept, swept...)
		rep, err := s.ledger.Verify(ctx, b.ID)
		if err != nil {
			return r, fmt.Errorf("rewards: reconcile: %w", err)
		}
		r.Books = append(r.Books, rep)
		for _, p := range rep.Problems {
			r.Problems = append(r.Problems, Problem{Where: "fund " + b.ID, Rule: p.Rule, Msg: p.String()})
		}
		for e, err := range s.ledger.Entries(ctx, b.ID) {
			if err != nil {
				return r, fmt.Errorf("rewards: reconcile: %w", err)
			}
			seen[b.ID+"|"+e.Key] = true
			if msg := checkCause(e, claims, awardOf); msg != "" {
				r.Problems = append(r.Problems, Problem{Where: fmt.Sprintf("fund %s entry %d", b.ID, e.Seq), Rule: RuleEntryCause, Msg: msg})
			}
		}
	}
	for _, v := range all {
		c := v.Value
		if c.Pending != nil {
			continue
		}
		if (c.State == StatePaid || c.State == StateClawedBack) && !seen[c.PaidFrom+"|"+payKey(c.ID)] {
			r.Problems = append(r.Problems, Problem{Where: "claim " + c.ID, Rule: RuleClaimEntry, Msg: fmt.Sprintf("%s but fund %q has no payment entry", c.State, c.PaidFrom)})
		}
		if c.State == StateClawedBack && !seen[c.PaidFrom+"|"+clawbackKey(c.ID)] {
			r.Problems = append(r.Problems, Problem{Where: "claim " + c.ID, Rule: RuleClaimEntry, Msg: fmt.Sprintf("clawed back but fund %q has no reversing entry", c.PaidFrom)})
		}
	}
	return r, nil
}

// checkCause returns why entry e has no valid cause, or "".
func checkCause(e ledger.Entry, claims map[string]Claim, awards map[string]Award) string {
	switch e.Kind {
	case "deposit":
		if !strings.HasPrefix(e.Cause, "deposit:") || e.Key != e.Cause {
			return fmt.Sprintf("deposit with cause %q and key %q", e.Cause, e.Key)
		}
	case "pay", "clawback":
		id := strings.TrimPrefix(e.Cause, "claim:")
		c, ok := claims[id]
		if !ok {
			return fmt.Sprintf("%s entry for claim %q, which does not exist", e.Kind, id)
		}
		if c.Pending != nil && (c.Pending.Op == "pay" && e.Kind == "pay" && c.Pending.Fund == e.Book || c.Pending.Op == "clawback") {
			return "" // an operation still running (after the cutoff)
		}
		wantKey := payKey(id)
		if e.Kind == "clawback" {
			wantKey = clawbackKey(id)
		}
		switch {
		case e.Key != wantKey:
			return fmt.Sprintf("%s entry for claim %s has key %q, want %q", e.Kind, id, e.Key, wantKey)
		case c.PaidFrom != e.Book:
			return fmt.Sprintf("%s entry in %s for claim %s paid from %q", e.Kind, e.Book, id, c.PaidFrom)
		case e.Kind == "pay" && (c.State != StatePaid && c.State != StateClawedBack || int64(c.Paid) != e.Amount):
			return fmt.Sprintf("payment of %d fen for claim %s, which is %s with %s paid", e.Amount, id, c.State, c.Paid)
		case e.Kind == "pay" && e.Credit != WorkerAccount(c.Worker):
			return fmt.Sprintf("payment for claim %s credits %s, not its worker %s", id, e.Credit, c.Worker)
		case e.Kind == "clawback" && (c.State != StateClawedBack || int64(c.ClawedBack) != e.Amount):
			return fmt.Sprintf("clawback of %d fen for claim %s, which is %s with %s clawed back", e.Amount, id, c.State, c.ClawedBack)
		}
	case "award":
		a, ok := awards[e.Book]
		if !ok || e.Cause != "award:"+e.Book {
			return fmt.Sprintf("award entry with cause %q and no award of %s", e.Cause, e.Book)
		}
		w := hierarchy.PersonID(strings.TrimPrefix(string(e.Credit), "worker:"))
		for _, l := range a.Lines {
			if l.Worker == w && (!a.Posted || int64(l.Amount) == e.Amount) {
				return ""
			}
		}
		return fmt.Sprintf("award entry of %d fen to %s is not a line of the award", e.Amount, w)
	default:
		return fmt.Sprintf("unknown entry kind %q", e.Kind)
	}
	return ""
}

// resume finishes claim c's pending operation and says how it ended.
func (s *Service) resume(ctx context.Context, c Claim) (string, error) {
	var end Claim
	var err error
	switch c.Pending.Op {
	case "register":
		end, err = s.finishRegister(ctx, c, 0)
	case "approve":
		end, err = s.finishApprove(ctx, c, 0)
		if err != nil && gridgov.RuleOf(err) == RuleFirstReporter {
			return "approval waits for an earlier report", nil
		}
	case "reject":
		end, err = s.finishReject(ctx, c, 0)
	case "clawback":
		end, err = s.finishClawback(ctx, c, 0)
	case "pay":
		var paid []Fen
		paid, err = s.postPayments(ctx, []Claim{c}, s.clock.Now())
		if err != nil {
			return "", err
		}
		if amount := paid[0]; amount != notPosted {
			end, err = s.finishPay(ctx, c, 0, amount, s.clock.Now())
		} else {
			end, err = s.finish(ctx, c, 0, func(c Claim) Claim {
				return c.withEvent(s.clock.Now(), "payment rolled back", hierarchy.Actor{}, "the fund could not cover it on reconciliation")
			})
		}
	default:
		return "", fmt.Errorf("unknown pending operation %q", c.Pending.Op)
	}
	if err != nil {
		return "", err
	}
	return string(end.State), nil
}
