package rewards

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// TestService_Authorization covers the actor model of every command: each row is a
// refusal wrapping ErrForbidden by its rule, after which the store is unchanged.
func TestService_Authorization(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.clock.Set(t0.Add(time.Hour))
	f.open("A", Yuan(35000))
	claimed, err := f.svc.Submit(ctx, head, report("R1", "w1", "A"))
	require.NoError(t, err)
	byOfficer, err := f.svc.Submit(ctx, officer, report("R2", "w2", "A"))
	require.NoError(t, err)
	paid := f.approved(report("R3", "w3", "A"))
	_, err = f.svc.Pay(ctx, paid.ID, officer)
	require.NoError(t, err)
	self := hierarchy.Actor{Person: "w1", Post: "w1@grid-1"}

	tests := []struct {
		name   string
		call   func() error
		rule   string
		reason string
	}{
		{"ApproveNoActor", func() error { _, err := f.svc.Approve(ctx, claimed.ID, hierarchy.Actor{}); return err },
			RuleActorRequired, "rule auth.actor-required: an empty approver is refused"},
		{"ApprovePersonOnly", func() error { _, err := f.svc.Approve(ctx, claimed.ID, hierarchy.Actor{Person: "officer"}); return err },
			RuleActorRequired, "rule auth.actor-required: authority comes from a post, which must be named"},
		{"ApproveUnknownPost", func() error {
			_, err := f.svc.Approve(ctx, claimed.ID, hierarchy.Actor{Person: "officer", Post: "officer@nowhere"})
			return err
		}, RulePost, "rule auth.post: the post must exist"},
		{"ApproveSomeoneElsesPost", func() error {
			_, err := f.svc.Approve(ctx, claimed.ID, hierarchy.Actor{Person: "w9", Post: officer.Post})
			return err
		}, RulePost, "rule auth.post: the post must be the actor's"},
		{"ApproveEndedPost", func() error { _, err := f.svc.Approve(ctx, claimed.ID, leaver); return err },
			RulePost, "rule auth.post: a post that ended before the command's time gives no authority"},
		{"ApproveByGridWorker", func() error { _, err := f.svc.Approve(ctx, claimed.ID, workerActor("w5")); return err },
			RuleRole, "rule auth.role: a grid worker may not approve"},
		{"ApproveOtherStation", func() error { _, err := f.svc.Approve(ctx, claimed.ID, outsider); return err },
			RuleScope, "rule auth.scope: another station's officer does not act for area A"},
		{"ApproveOwnClaim", func() error {
			c := f.approvedBy(report("R4", "officer", "A"), chief)
			_, err := f.svc.Reject(ctx, c.ID, officer, "mine")
			return err
		}, RuleSeparation, "rule rewards.separation: the claimant may not reject (or approve) their own claim"},
		{"ApproveOwnSubmission", func() error { _, err := f.svc.Approve(ctx, byOfficer.ID, officer); return err },
			RuleSeparation, "rule rewards.separation: whoever submitted a claim may not approve it"},
		{"RejectOwnClaim", func() error { _, err := f.svc.Reject(ctx, claimed.ID, self, "no"); return err },
			RuleRole, "rule auth.role: a grid worker may not reject even their own claim"},
		{"PayByGridWorker", func() error { _, err := f.svc.Pay(ctx, claimed.ID, workerActor("w5")); return err },
			RuleRole, "rule auth.role: payment is not a grid worker's"},
		{"ClawbackOtherStation", func() error { _, err := f.svc.Clawback(ctx, paid.ID, outsider, "hoax"); return err },
			RuleScope, "rule auth.scope: a clawback is the area's own"},
		{"SettleOtherStation", func() error { _, err := f.svc.Settle(ctx, "A/2025", outsider); return err },
			RuleScope, "rule auth.scope: settlement is the area's own"},
		{"DepositByOfficer", func() error { _, err := f.svc.Deposit(ctx, officer, "A/2025", Yuan(1), "top-up-x"); return err },
			RuleRole, "rule auth.role: funds are topped up by a unit head, not the beat officer"},
		{"OpenFundOtherStation", func() error {
			_, err := f.svc.OpenFund(ctx, hierarchy.Actor{Person: "outsider", Post: outsider.Post}, FundOpening{Area: "B", Year: 2025, Amount: Yuan(35000), Ref: "x"})
			return err
		}, RuleRole, "rule auth.role: an officer does not open funds"},
		{"AwardByOfficer", func() error { _, err := f.svc.YearEndAward(ctx, officer, "A/2025", Ranking{}); return err },
			RuleRole, "rule auth.role: the year-end award is run by a unit head"},
		{"SubmitOutOfScope", func() error { _, err := f.svc.Submit(ctx, outsider, report("R5", "w5", "A")); return err },
			RuleScope, "rule auth.scope: an officer of another station cannot present claims for grid-1 or area A"},
		{"SubmitUnknownWorker", func() error { _, err := f.svc.Submit(ctx, head, report("R6", "ghost", "A")); return err },
			RuleWorkerPost, "rule rewards.worker-post: a worker who exists in no tree is refused"},
		{"SubmitWorkerNotYetInPost", func() error {
			_, err := f.svc.Submit(ctx, head, report("R7", "leaver", "A", reportedAt(t0.Add(30*time.Minute))))
			return err
		}, RuleWorkerPost, "rule rewards.worker-post: the claimant must hold a post at the reported time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := f.state()
			err := tc.call()
			if !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != tc.rule {
				t.Fatalf("error = %v, want ErrForbidden by %s (%s)", err, tc.rule, tc.reason)
			}
			if tc.name == "ApproveOwnClaim" {
				return // the row stores its own claim first
			}
			if diff := cmp.Diff(before, f.state()); diff != "" {
				t.Errorf("refused call changed the store (%s):\n%s", tc.reason, diff)
			}
		})
	}
}

// approvedBy submits (as head) and approves (as by) a claim.
func (f *fixture) approvedBy(in ClaimInput, by hierarchy.Actor) Claim {
	f.t.Helper()
	c, err := f.svc.Submit(f.t.Context(), head, in)
	require.NoError(f.t, err)
	c, err = f.svc.Approve(f.t.Context(), c.ID, by)
	require.NoError(f.t, err)
	return c
}

// TestService_SettleSeparation is rule rewards.separation in a settlement: the
// actor's own claim is not paid by them but left waiting with the rule.
func TestService_SettleSeparation(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	own := f.approvedBy(report("R1", "officer", "A"), chief)
	other := f.approved(report("R2", "w2", "A"))
	s, err := f.svc.Settle(ctx, "A/2025", officer)
	require.NoError(t, err)
	if len(s.Paid) != 1 || s.Paid[0].Claim != other.ID || len(s.Waiting) != 1 || s.Waiting[0].Claim != own.ID || s.Waiting[0].Rule != RuleSeparation {
		t.Fatalf("Settle(by officer) = %+v, want %s paid and the officer's own %s waiting by %s", s, other.ID, own.ID, RuleSeparation)
	}
	s, err = f.svc.Settle(ctx, "A/2025", chief)
	require.NoError(t, err)
	if len(s.Paid) != 1 || s.Paid[0].Claim != own.ID {
		t.Errorf("Settle(by chief) = %+v, want the officer's claim paid by someone else", s)
	}
	if _, err := f.svc.Pay(ctx, f.approvedBy(report("R3", "chief", "A"), officer).ID, chief); !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != RuleSeparation {
		t.Errorf("Pay(own claim) error = %v, want ErrForbidden by %s", err, RuleSeparation)
	}
}

// TestService_RolesFailClosed: an action the policy gives no role rule is refused to
// everyone; AnyRole opens it to any post in scope.
func TestService_RolesFailClosed(t *testing.T) {
	p := QinhuaiPolicy()
	delete(p.Roles, ActionReject)
	f := newFixture(t, p)
	ctx := t.Context()
	f.open("A", Yuan(35000))
	c, err := f.svc.Submit(ctx, head, report("R1", "w1", "A"))
	require.NoError(t, err)
	for _, a := range []hierarchy.Actor{officer, chief} {
		if _, err := f.svc.Reject(ctx, c.ID, a, "no"); !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != RuleRole {
			t.Errorf("Reject(by %s) with no reject rule: error = %v, want ErrForbidden by %s", a.Person, err, RuleRole)
		}
	}
	p.Roles[ActionReject] = []hierarchy.Role{AnyRole}
	f2 := newFixture(t, p)
	f2.open("A", Yuan(35000))
	c, err = f2.svc.Submit(ctx, head, report("R1", "w1", "A"))
	require.NoError(t, err)
	if _, err := f2.svc.Reject(ctx, c.ID, chief, "no"); err != nil {
		t.Errorf("Reject(by chief) under reject: [*] = %v, want allowed", err)
	}
	if _, err := f2.svc.Reject(ctx, c.ID, outsider, "no"); !errors.Is(err, gridgov.ErrForbidden) {
		t.Errorf("Reject(by outsider) under reject: [*] = %v, want refused: AnyRole keeps the scope", err)
	}
}

// TestService_ReportedAtNotFuture is rule rewards.reported-at: a report time after the
// command's time is refused, so a claim cannot be moved into a later cap period (four
// ¥500 claims against a ¥1,000 monthly cap).
func TestService_ReportedAtNotFuture(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	onSpot := outcome(OutcomeCaptureOnSpot, ContributionDirect)
	granted := Fen(0)
	for i := range 4 {
		in := report(string(rune('a'+i)), "w1", "A", onSpot, reportedAt(t0.AddDate(0, i, 0)))
		c, err := f.svc.Submit(ctx, head, in)
		if i == 0 {
			require.NoError(t, err)
			c, err = f.svc.Approve(ctx, c.ID, officer)
			require.NoError(t, err)
			granted += c.Granted
			continue
		}
		if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != RuleReportedAt {
			t.Errorf("Submit(reported %s, now %s) error = %v, want ErrInvalid by %s", in.ReportedAt, t0, err, RuleReportedAt)
		}
	}
	if granted != Yuan(500) {
		t.Errorf("granted %v, want only the one real claim", granted)
	}
}

// TestService_DepositIdempotency is rule rewards.idempotency: a deposit reference
// reused with another amount is a conflict, the same one again is a no-op.
func TestService_DepositIdempotency(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	fund, err := f.svc.Deposit(ctx, chief, "A/2025", Yuan(100), "top-up-1")
	require.NoError(t, err)
	again, err := f.svc.Deposit(ctx, chief, "A/2025", Yuan(100), "top-up-1")
	require.NoError(t, err)
	if again.Balance != fund.Balance {
		t.Errorf("Deposit(same ref, same amount) balance %v, want unchanged %v", again.Balance, fund.Balance)
	}
	if _, err := f.svc.Deposit(ctx, chief, "A/2025", Yuan(999), "top-up-1"); !errors.Is(err, gridgov.ErrConflict) || gridgov.RuleOf(err) != RuleIdempotency {
		t.Errorf("Deposit(same ref, other amount) error = %v, want ErrConflict by %s", err, RuleIdempotency)
	}
	if _, err := f.svc.Deposit(ctx, chief, "A/2025", Yuan(35001), "open-A"); !errors.Is(err, gridgov.ErrConflict) {
		t.Errorf("Deposit(the opening's ref, other amount) error = %v, want ErrConflict", err)
	}
	for _, bad := range []Fen{0, -1, MaxAmount + 1, math.MaxInt64} {
		if _, err := f.svc.Deposit(ctx, chief, "A/2025", bad, "huge"); !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != RuleAmountBounds {
			t.Errorf("Deposit(%d) error = %v, want ErrInvalid by %s: money never wraps", bad, err, RuleAmountBounds)
		}
	}
	fund, err = f.svc.Fund(ctx, "A/2025")
	require.NoError(t, err)
	if fund.Balance != Yuan(35100) {
		t.Errorf("balance %v, want ¥35,100.00", fund.Balance)
	}
}

// TestService_FundOpeningIdempotency: the opening reference is the idempotency key
// (rule rewards.idempotency); opening an open fund under a new reference is refused
// (rule funds.already-open) unless TopUp says to deposit again.
func TestService_FundOpeningIdempotency(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	open := func(amount Fen, ref string, topUp bool) (Fund, error) {
		return f.svc.OpenFund(ctx, chief, FundOpening{Area: "A", Year: 2025, Amount: amount, Ref: ref, TopUp: topUp})
	}
	first, err := open(Yuan(35000), "doc-1", false)
	require.NoError(t, err)
	tests := []struct {
		name    string
		amount  Fen
		ref     string
		topUp   bool
		kind    error
		rule    string
		balance Fen
		reason  string
	}{
		{"SameRefSameAmount", Yuan(35000), "doc-1", false, nil, "", Yuan(35000), "a replay of the opening changes nothing"},
		{"SameRefOtherAmount", Yuan(40000), "doc-1", false, gridgov.ErrConflict, RuleIdempotency, Yuan(35000), "the reference names another payload"},
		{"NewRefNoTopUp", Yuan(35000), "doc-2", false, gridgov.ErrConflict, RuleFundOpened, Yuan(35000), "a second appropriation is not paid in silently"},
		{"NewRefTopUp", Yuan(35000), "doc-2", true, nil, "", Yuan(70000), "asked explicitly, the new reference deposits"},
		{"TopUpReplay", Yuan(35000), "doc-2", true, nil, "", Yuan(70000), "the top-up's reference is its idempotency key too"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := open(tc.amount, tc.ref, tc.topUp)
			if tc.kind != nil {
				if !errors.Is(err, tc.kind) || gridgov.RuleOf(err) != tc.rule {
					t.Errorf("OpenFund() error = %v, want %v by %s (%s)", err, tc.kind, tc.rule, tc.reason)
				}
			} else {
				require.NoError(t, err, tc.reason)
				if got.Balance != tc.balance {
					t.Errorf("OpenFund() balance %v, want %v (%s)", got.Balance, tc.balance, tc.reason)
				}
			}
			cur, err := f.svc.Fund(ctx, first.ID)
			require.NoError(t, err)
			if cur.Balance != tc.balance {
				t.Errorf("fund balance %v, want %v (%s)", cur.Balance, tc.balance, tc.reason)
			}
		})
	}
}

// state is what a refused command must leave unchanged: every claim and every fund.
func (f *fixture) state() any {
	f.t.Helper()
	cs, err := f.svc.Claims(f.t.Context(), "")
	require.NoError(f.t, err)
	fs, err := f.svc.Funds(f.t.Context())
	require.NoError(f.t, err)
	return []any{cs, fs}
}

// TestService_GrantAuthorizes: a right the policy names for an action, granted in the
// tree to a person over the area, authorizes that person in any post in force; without
// the grant (or after it ends) the role rule decides.
func TestService_GrantAuthorizes(t *testing.T) {
	b := hierarchy.NewBuilderFrom(testTree())
	auditor := hierarchy.Actor{Person: "auditor", Post: "auditor@320104"}
	b.AddPerson(hierarchy.Person{ID: "auditor", Name: "auditor"})
	b.AddPost(hierarchy.Post{ID: auditor.Post, Person: "auditor", Unit: "320104", Role: hierarchy.RoleInspector})
	b.AddGrant(hierarchy.Grant{ID: "audit-clawback", Right: "rewards.clawback", Holder: hierarchy.PersonRef("auditor"),
		Subject: hierarchy.UnitRef("station"), End: t0.AddDate(0, 1, 0)})
	tree, err := b.Build()
	require.NoError(t, err)
	p := QinhuaiPolicy()
	p.Rights = map[Action]hierarchy.Right{ActionClawback: "rewards.clawback"}
	f := newFixture(t, p)
	require.NoError(t, f.svc.SetTree(tree))
	ctx := t.Context()
	f.open("A", Yuan(35000))
	c := f.approved(report("R1", "w1", "A"))
	_, err = f.svc.Pay(ctx, c.ID, officer)
	require.NoError(t, err)
	if _, err := f.svc.Approve(ctx, f.mustSubmit(report("R2", "w2", "A")).ID, auditor); !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != RuleRole {
		t.Errorf("Approve(by auditor) error = %v, want ErrForbidden by %s: the grant covers clawbacks only", err, RuleRole)
	}
	f.clock.Set(t0.AddDate(0, 2, 0))
	if _, err := f.svc.Clawback(ctx, c.ID, auditor, "audit"); !errors.Is(err, gridgov.ErrForbidden) {
		t.Errorf("Clawback(by auditor, grant ended) error = %v, want ErrForbidden", err)
	}
	f.clock.Set(t0.Add(time.Hour))
	if got, err := f.svc.Clawback(ctx, c.ID, auditor, "audit"); err != nil || got.State != StateClawedBack {
		t.Errorf("Clawback(by auditor, granted) = %s, %v; want clawed back", got.State, err)
	}
}

func (f *fixture) mustSubmit(in ClaimInput) Claim {
	f.t.Helper()
	c, err := f.svc.Submit(f.t.Context(), head, in)
	require.NoError(f.t, err)
	return c
}
