package rewards

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
	"github.com/gridgov/gridgov/store/storetest"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, cst)

type fixture struct {
	t     testing.TB
	mem   *memstore.Store
	clock *gridgov.ManualClock
	ids   *gridgov.IDGenerator
	svc   *Service
}

func newFixture(t testing.TB, p Policy) *fixture {
	t.Helper()
	f := &fixture{t: t, mem: memstore.New(), clock: gridgov.NewManualClock(t0), ids: gridgov.NewSeededIDGenerator(7)}
	f.svc = f.service(f.mem, p)
	return f
}

// service returns a service over b sharing the fixture's clock and IDs: after a crash
// the test "restarts" with a fresh one over the surviving store.
func (f *fixture) service(b store.Backend, p Policy) *Service {
	f.t.Helper()
	s, err := NewService(b, p, testTree(), f.clock, f.ids, &ServiceOptions{ChunkSize: 4})
	require.NoError(f.t, err)
	return s
}

func (f *fixture) open(area string, amount Fen) {
	f.t.Helper()
	_, err := f.svc.OpenFund(f.t.Context(), chief, FundOpening{Area: hierarchy.UnitID(area), Year: 2025, Amount: amount, Ref: "open-" + area})
	require.NoError(f.t, err)
}

func report(id, worker, area string, mods ...func(*ClaimInput)) ClaimInput {
	in := ClaimInput{Source: Source{Kind: "report", ID: id}, Worker: hierarchy.PersonID(worker), Area: hierarchy.UnitID(area),
		Unit: "grid-1", Category: CategoryPolice, Outcome: OutcomeVerified, Contribution: ContributionDirect, ReportedAt: t0}
	for _, m := range mods {
		m(&in)
	}
	return in
}

func matter(m string) func(*ClaimInput)        { return func(in *ClaimInput) { in.Matter = m } }
func reportedAt(t time.Time) func(*ClaimInput) { return func(in *ClaimInput) { in.ReportedAt = t } }
func outcome(o, c string) func(*ClaimInput) {
	return func(in *ClaimInput) { in.Outcome, in.Contribution = o, c }
}

// approved submits and approves a claim.
func (f *fixture) approved(in ClaimInput) Claim {
	f.t.Helper()
	ctx := f.t.Context()
	c, err := f.svc.Submit(ctx, head, in)
	require.NoError(f.t, err)
	c, err = f.svc.Approve(ctx, c.ID, officer)
	require.NoError(f.t, err)
	return c
}

func (f *fixture) reconcileOK() Reconciliation {
	f.t.Helper()
	r, err := f.svc.Reconcile(f.t.Context(), f.clock.Now())
	require.NoError(f.t, err)
	if !r.OK() {
		f.t.Fatalf("Reconcile() problems: %v", r.Problems)
	}
	return r
}

func TestService_Lifecycle(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))

	c, err := f.svc.Submit(ctx, head, report("R1", "w1", "A", outcome(OutcomeCaseSolved, ContributionDirect)))
	require.NoError(t, err)
	if c.State != StateClaimed || c.Amount != Yuan(200) || c.Fund != "A/2025" {
		t.Fatalf("Submit() = %s %v %s, want claimed ¥200 on A/2025", c.State, c.Amount, c.Fund)
	}
	again, err := f.svc.Submit(ctx, head, report("R1", "w1", "A", outcome(OutcomeCaseSolved, ContributionDirect)))
	require.NoError(t, err)
	if again.ID != c.ID || len(again.History) != 1 {
		t.Errorf("Submit(same report) = %+v, want the first claim unchanged", again)
	}
	c, err = f.svc.Approve(ctx, c.ID, officer)
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	c, err = f.svc.Pay(ctx, c.ID, officer)
	require.NoError(t, err)
	if c.State != StatePaid || c.Paid != Yuan(200) || c.PaidFrom != "A/2025" {
		t.Fatalf("Pay() = %s %v from %s, want paid ¥200 from A/2025", c.State, c.Paid, c.PaidFrom)
	}
	if _, err := f.svc.Pay(ctx, c.ID, officer); !errors.Is(err, gridgov.ErrPrecondition) || gridgov.RuleOf(err) != RuleState {
		t.Errorf("Pay(paid claim) error = %v, want ErrPrecondition by %s", err, RuleState)
	}
	fund, err := f.svc.Fund(ctx, "A/2025")
	require.NoError(t, err)
	if fund.Balance != Yuan(35000-200) {
		t.Errorf("fund balance = %v, want ¥34,800.00", fund.Balance)
	}
	f.clock.Advance(24 * time.Hour)
	c, err = f.svc.Clawback(ctx, c.ID, officer, "the case was a hoax")
	require.NoError(t, err)
	if c.State != StateClawedBack || c.ClawedBack != Yuan(200) || c.Rule != RuleInvalidReport {
		t.Errorf("Clawback() = %s %v %s, want clawed-back ¥200 by %s", c.State, c.ClawedBack, c.Rule, RuleInvalidReport)
	}
	fund, err = f.svc.Fund(ctx, "A/2025")
	require.NoError(t, err)
	if fund.Balance != Yuan(35000) || fund.Entries != 3 {
		t.Errorf("fund after clawback = %v in %d entries, want ¥35,000.00 in 3 (deposit, payment, reversal)", fund.Balance, fund.Entries)
	}
	var actions []string
	for _, e := range c.History {
		actions = append(actions, e.Action)
	}
	if diff := cmp.Diff([]string{"claimed", "approved", "paid", "clawed back"}, actions); diff != "" {
		t.Errorf("history mismatch (-want +got):\n%s", diff)
	}
	f.reconcileOK()
}

func TestService_FirstReporterWins(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	f.clock.Set(t0.Add(3 * time.Hour)) // the reports are in the past
	ctx := t.Context()
	f.open("A", Yuan(35000))

	// w2 reported first but is verified second.
	late, err := f.svc.Submit(ctx, head, report("R1", "w1", "A", matter("M1"), reportedAt(t0.Add(time.Hour))))
	require.NoError(t, err)
	early, err := f.svc.Submit(ctx, head, report("R2", "w2", "A", matter("M1"), reportedAt(t0)))
	require.NoError(t, err)

	_, err = f.svc.Approve(ctx, late.ID, officer)
	if !errors.Is(err, gridgov.ErrPrecondition) || gridgov.RuleOf(err) != RuleFirstReporter || !strings.Contains(err.Error(), early.ID) {
		t.Fatalf("Approve(later report) error = %v, want ErrPrecondition by %s naming %s", err, RuleFirstReporter, early.ID)
	}
	if c, _ := f.svc.Claim(ctx, late.ID); c.State != StateClaimed || c.Pending != nil {
		t.Errorf("refused approval left %s pending %v, want claimed and clear", c.State, c.Pending)
	}
	if c, err := f.svc.Approve(ctx, early.ID, officer); err != nil || c.State != StateApproved {
		t.Fatalf("Approve(first report) = %s, %v; want approved", c.State, err)
	}
	c, err := f.svc.Approve(ctx, late.ID, officer)
	require.NoError(t, err)
	if c.State != StateRejected || c.Rule != RuleFirstReporter || !strings.Contains(c.Reason, early.ID) {
		t.Errorf("Approve(duplicate) = %s by %s (%s), want rejected by %s naming %s", c.State, c.Rule, c.Reason, RuleFirstReporter, early.ID)
	}
	c, err = f.svc.Submit(ctx, head, report("R3", "w3", "A", matter("M1")))
	require.NoError(t, err)
	if c.State != StateRejected || c.Rule != RuleFirstReporter {
		t.Errorf("Submit(after the matter was won) = %s by %s, want rejected by %s", c.State, c.Rule, RuleFirstReporter)
	}

	// A series of related cases is rewarded once.
	s1 := f.approved(report("S1", "w4", "A", func(in *ClaimInput) { in.Series = "theft-ring" }))
	s2, err := f.svc.Submit(ctx, head, report("S2", "w5", "A", func(in *ClaimInput) { in.Series = "theft-ring"; in.Matter = "case-2" }))
	require.NoError(t, err)
	if s1.State != StateApproved || s2.State != StateRejected || s2.Rule != RuleSeriesOnce {
		t.Errorf("series claims = %s, %s by %s; want approved, rejected by %s", s1.State, s2.State, s2.Rule, RuleSeriesOnce)
	}

	// The winner's report proves invalid: the matter goes to the next valid reporter.
	_, err = f.svc.Reject(ctx, early.ID, officer, "the report was false")
	require.NoError(t, err)
	c, err = f.svc.Submit(ctx, head, report("R4", "w6", "A", matter("M1"), reportedAt(t0.Add(2*time.Hour))))
	require.NoError(t, err)
	c, err = f.svc.Approve(ctx, c.ID, officer)
	require.NoError(t, err)
	if c.State != StateApproved {
		t.Errorf("Approve(after the winner was rejected) = %s (%s), want approved", c.State, c.Reason)
	}
	f.reconcileOK()
}

func TestService_WorkerCaps(t *testing.T) {
	p := QinhuaiPolicy()
	p.Schedule.WorkerCaps = []Cap{{Period: "month", Amount: Yuan(1000)}}
	f := newFixture(t, p)
	f.clock.Set(t0.AddDate(0, 2, 0)) // the reports are in the past
	f.open("A", Yuan(35000))
	onSpot := outcome(OutcomeCaptureOnSpot, ContributionDirect) // ¥500
	byReport := outcome(OutcomeCaptureByReport, ContributionDirect)
	tests := []struct {
		in     ClaimInput
		state  ClaimState
		grant  Fen
		rule   string
		reason string
	}{
		{report("C1", "w1", "A", onSpot), StateApproved, Yuan(500), "", "¥500 of the ¥1,000 monthly cap"},
		{report("C2", "w1", "A", byReport), StateApproved, Yuan(300), "", "¥800 used"},
		{report("C3", "w1", "A", byReport), StateApproved, Yuan(200), RuleWorkerCap, "reduced to the ¥200 left"},
		{report("C4", "w1", "A", byReport), StateRejected, 0, RuleWorkerCap, "nothing left this month"},
		{report("C5", "w1", "A", byReport, reportedAt(t0.AddDate(0, 1, 0))), StateApproved, Yuan(300), "", "a new month, a new cap"},
		{report("C6", "w2", "A", onSpot), StateApproved, Yuan(500), "", "caps are per worker"},
	}
	for _, tc := range tests {
		c := f.approved(tc.in)
		if c.State != tc.state || c.Granted != tc.grant || c.Rule != tc.rule {
			t.Errorf("%s: approved = %s %v by %q, want %s %v by %q (%s)", tc.in.Source.ID, c.State, c.Granted, c.Rule, tc.state, tc.grant, tc.rule, tc.reason)
		}
	}
	// Rejecting an approved claim frees its cap.
	_, err := f.svc.Reject(t.Context(), "report:C2", officer, "duplicate of a 110 call")
	require.NoError(t, err)
	if c := f.approved(report("C7", "w1", "A", byReport)); c.Granted != Yuan(300) {
		t.Errorf("after freeing ¥300 the next claim got %v, want ¥300.00", c.Granted)
	}
	f.reconcileOK()
}

func TestService_Shortfall(t *testing.T) {
	tests := []struct {
		name      string
		shortfall string
		wantState ClaimState
		wantPaid  Fen
		wantFrom  string
		wantRule  string
		reason    string
	}{
		{"Wait", ShortfallWait, StateApproved, 0, "", RuleFundShort, "the claim waits for money, refused with a reason"},
		{"Reduce", ShortfallReduce, StatePaid, Yuan(100), "A/2025", RuleReduced, "the claim gets the ¥100 left"},
		{"Overflow", ShortfallOverflow, StatePaid, Yuan(300), "district-overflow/2025", RuleOverflow, "the overflow fund pays"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := QinhuaiPolicy()
			p.Funds.Shortfall = tc.shortfall
			f := newFixture(t, p)
			ctx := t.Context()
			f.open("A", Yuan(35100))
			_, err := f.svc.OpenFund(ctx, chief, FundOpening{Area: "district-overflow", Year: 2025, Amount: Yuan(1000), Ref: "overflow-2025"})
			require.NoError(t, err)
			// Drain A to ¥100 with paid claims from other workers.
			var drained Fen
			for i := 0; drained < Yuan(35000); i++ {
				c := f.approved(report(fmt.Sprint("D", i), fmt.Sprint("d", i), "A", outcome(OutcomeCaptureOnSpot, ContributionDirect)))
				_, err := f.svc.Pay(ctx, c.ID, officer)
				require.NoError(t, err)
				drained += c.Granted
			}
			c := f.approved(report("X", "w1", "A", outcome(OutcomeCaptureByReport, ContributionDirect)))
			got, err := f.svc.Pay(ctx, c.ID, officer)
			if tc.wantState == StateApproved {
				if !errors.Is(err, gridgov.ErrPrecondition) || gridgov.RuleOf(err) != tc.wantRule {
					t.Fatalf("Pay() error = %v, want ErrPrecondition by %s (%s)", err, tc.wantRule, tc.reason)
				}
				got, err = f.svc.Claim(ctx, c.ID)
				require.NoError(t, err)
			} else {
				require.NoError(t, err, tc.reason)
			}
			if got.State != tc.wantState || got.Paid != tc.wantPaid || got.PaidFrom != tc.wantFrom || (tc.wantState == StatePaid && got.Rule != tc.wantRule) {
				t.Errorf("claim = %s paid %v from %q by %q, want %s %v from %q by %q (%s)", got.State, got.Paid, got.PaidFrom, got.Rule, tc.wantState, tc.wantPaid, tc.wantFrom, tc.wantRule, tc.reason)
			}
			fund, err := f.svc.Fund(ctx, "A/2025")
			require.NoError(t, err)
			if fund.Balance < 0 {
				t.Errorf("fund A balance = %v, never below zero", fund.Balance)
			}
			f.reconcileOK()
		})
	}
}

func TestService_Errors(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	claimed, err := f.svc.Submit(ctx, head, report("R1", "w1", "A"))
	require.NoError(t, err)
	tests := []struct {
		name     string
		call     func() error
		wantKind error
		wantRule string
		reason   string
	}{
		{"ErrNoSchedule", func() error {
			_, err := f.svc.Submit(ctx, head, report("R9", "w1", "A", outcome("arson", "")))
			return err
		}, gridgov.ErrInvalid, RuleSchedule, "a report the schedule does not cover"},
		{"ErrBadInput", func() error {
			_, err := f.svc.Submit(ctx, head, ClaimInput{Source: Source{Kind: "rumour", ID: "x|y"}})
			return err
		}, gridgov.ErrInvalid, RuleClaimInput, "kind, ID, worker, area, date and category are checked together"},
		{"ErrFloor", func() error {
			_, err := f.svc.OpenFund(ctx, chief, FundOpening{Area: "B", Year: 2025, Amount: Yuan(34999), Ref: "open-B"})
			return err
		}, gridgov.ErrInvalid, RuleFundFloor, "a fund opens with at least ¥35,000"},
		{"ErrPayClaimed", func() error { _, err := f.svc.Pay(ctx, claimed.ID, officer); return err }, gridgov.ErrPrecondition, RuleState, "only approved claims are paid"},
		{"ErrClawbackClaimed", func() error { _, err := f.svc.Clawback(ctx, claimed.ID, officer, "why"); return err }, gridgov.ErrPrecondition, RuleState, "only paid claims are clawed back"},
		{"ErrRejectNoReason", func() error { _, err := f.svc.Reject(ctx, claimed.ID, officer, ""); return err }, gridgov.ErrInvalid, RuleState, "a rejection says why"},
		{"ErrApproveMissing", func() error { _, err := f.svc.Approve(ctx, "report:nope", officer); return err }, gridgov.ErrNotFound, "", "no such claim"},
		{"ErrSubmitNoFund", func() error {
			_, err := f.svc.Submit(ctx, head, report("R2", "w2", "Z"))
			return err
		}, gridgov.ErrPrecondition, RuleFundMissing, "rule funds.fund-missing: a claim for an area whose fund was never opened is refused at submission"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, err := f.svc.Claims(ctx, "")
			require.NoError(t, err)
			funds, err := f.svc.Funds(ctx)
			require.NoError(t, err)
			err = tc.call()
			if !errors.Is(err, tc.wantKind) || gridgov.RuleOf(err) != tc.wantRule {
				t.Fatalf("error = %v, want %v by %q (%s)", err, tc.wantKind, tc.wantRule, tc.reason)
			}
			after, err := f.svc.Claims(ctx, "")
			require.NoError(t, err)
			if tc.name == "ErrPayNoFund" {
				after = after[:len(before)] // the set-up claim is new; the others must be untouched
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("refused call changed claims (-before +after):\n%s", diff)
			}
			fundsAfter, err := f.svc.Funds(ctx)
			require.NoError(t, err)
			if diff := cmp.Diff(funds, fundsAfter); diff != "" {
				t.Errorf("refused call changed funds (-before +after):\n%s", diff)
			}
		})
	}
	if _, err := NewService(f.mem, Policy{}, testTree(), f.clock, f.ids, nil); !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), "schedule.rows") {
		t.Errorf("NewService(empty policy) error = %v, want ErrInvalid listing schedule.rows", err)
	}
}

func TestService_Settle(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	var ids []string
	for i := range 80 { // 80 × ¥500 = ¥40,000 > ¥35,000: the last 10 wait
		f.clock.Advance(time.Minute)
		c := f.approved(report(fmt.Sprintf("R%02d", i), fmt.Sprint("w", i), "A", outcome(OutcomeCaptureOnSpot, ContributionDirect)))
		ids = append(ids, c.ID)
	}
	s, err := f.svc.Settle(ctx, "A/2025", officer)
	require.NoError(t, err)
	if len(s.Paid) != 70 || len(s.Waiting) != 10 || s.Total != Yuan(35000) {
		t.Fatalf("Settle() paid %d (%v), %d waiting; want 70 (¥35,000.00) and 10", len(s.Paid), s.Total, len(s.Waiting))
	}
	for i, p := range s.Paid {
		if p.Claim != ids[i] {
			t.Fatalf("paid[%d] = %s, want %s: oldest first", i, p.Claim, ids[i])
		}
	}
	_, err = f.svc.Deposit(ctx, chief, "A/2025", Yuan(5000), "top-up-1")
	require.NoError(t, err)
	s, err = f.svc.Settle(ctx, "A/2025", officer)
	require.NoError(t, err)
	if len(s.Paid) != 10 || len(s.Waiting) != 0 {
		t.Errorf("Settle() after a top-up paid %d, %d waiting; want 10 and 0", len(s.Paid), len(s.Waiting))
	}
	fund, err := f.svc.Fund(ctx, "A/2025")
	require.NoError(t, err)
	if fund.Balance != 0 {
		t.Errorf("fund balance = %v, want ¥0.00", fund.Balance)
	}
	f.reconcileOK()
}

func TestService_ConcurrentPayments(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	var ids []string
	for i := range 90 { // 90 × ¥500 = ¥45,000: more than the fund holds
		c := f.approved(report(fmt.Sprint("R", i), fmt.Sprint("w", i), "A", outcome(OutcomeCaptureOnSpot, ContributionDirect)))
		ids = append(ids, c.ID)
	}
	// 16 goroutines pay overlapping claims and settle the fund at the same time.
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				id := ids[(g*7+i*11)%len(ids)]
				if g%4 == 0 && i%10 == 0 {
					if _, err := f.svc.Settle(ctx, "A/2025", officer); err != nil {
						t.Errorf("Settle() error = %v", err)
					}
					continue
				}
				_, err := f.svc.Pay(ctx, id, officer)
				if err != nil && !errors.Is(err, gridgov.ErrPrecondition) && !errors.Is(err, gridgov.ErrConflict) {
					t.Errorf("Pay(%s) error = %v, want nil, ErrPrecondition or ErrConflict", id, err)
				}
			}
		}()
	}
	wg.Wait()
	fund, err := f.svc.Fund(ctx, "A/2025")
	require.NoError(t, err)
	cs, err := f.svc.Claims(ctx, "")
	require.NoError(t, err)
	var paid Fen
	var n int
	for _, c := range cs {
		if c.State == StatePaid {
			paid += c.Paid
			n++
		}
	}
	if fund.Balance < 0 || fund.Balance != Yuan(35000)-paid || Fen(fund.Entries) != Fen(1+n) {
		t.Errorf("fund = %v in %d entries, claims paid %v in %d; want balance = ¥35,000 − paid ≥ 0 and one entry per paid claim", fund.Balance, fund.Entries, paid, n)
	}
	f.reconcileOK()
}

func TestService_ReconcileFinishesInterruptedOperations(t *testing.T) {
	type op struct {
		name string
		set  func(f *fixture) string // prepares a claim and returns its ID
		run  func(s *Service, ctx context.Context, id string) error
		want ClaimState // the state Reconcile must reach, whichever write the crash hit
		alt  ClaimState // a state also acceptable when the crash came before any money moved
	}
	ops := []op{
		{"Submit", func(f *fixture) string { return "report:R1" },
			func(s *Service, ctx context.Context, id string) error {
				_, err := s.Submit(ctx, head, report("R1", "w1", "A"))
				return err
			},
			StateClaimed, StateClaimed},
		{"Approve", func(f *fixture) string {
			c, err := f.svc.Submit(f.t.Context(), head, report("R1", "w1", "A"))
			require.NoError(f.t, err)
			return c.ID
		}, func(s *Service, ctx context.Context, id string) error {
			_, err := s.Approve(ctx, id, officer)
			return err
		},
			StateApproved, StateClaimed},
		{"Pay", func(f *fixture) string { return f.approved(report("R1", "w1", "A")).ID },
			func(s *Service, ctx context.Context, id string) error { _, err := s.Pay(ctx, id, officer); return err },
			StatePaid, StateApproved},
		{"Clawback", func(f *fixture) string {
			c := f.approved(report("R1", "w1", "A"))
			_, err := f.svc.Pay(f.t.Context(), c.ID, officer)
			require.NoError(f.t, err)
			return c.ID
		}, func(s *Service, ctx context.Context, id string) error {
			_, err := s.Clawback(ctx, id, officer, "hoax")
			return err
		},
			StateClawedBack, StatePaid},
	}
	for _, o := range ops {
		resumed := 0
		for writes := 0; ; writes++ {
			f := newFixture(t, QinhuaiPolicy())
			f.open("A", Yuan(35000))
			id := o.set(f)
			crash := storetest.CrashAfter(f.mem, writes)
			err := o.run(f.service(crash, QinhuaiPolicy()), t.Context(), id)
			if err == nil {
				if writes == 0 {
					t.Fatalf("%s: succeeded without writing", o.name)
				}
				break // every crash point up to a full run was tried
			}
			if !errors.Is(err, storetest.ErrCrash) {
				t.Fatalf("%s after %d writes: error = %v, want the crash", o.name, writes, err)
			}
			f.clock.Advance(time.Minute)
			r := f.reconcileOK()
			c, err := f.svc.Claim(t.Context(), id)
			if o.name == "Submit" && errors.Is(err, gridgov.ErrNotFound) && writes == 0 {
				continue // crashed before the claim existed: nothing to finish
			}
			require.NoError(t, err)
			// A marker written means Reconcile finishes the operation; none means
			// nothing happened. Either way no money moved twice and nothing is pending.
			if c.Pending != nil || (c.State != o.want && c.State != o.alt) {
				t.Errorf("%s crashed after %d writes: reconciled to %s pending %v (resumed %v), want %s (or %s if nothing began)", o.name, writes, c.State, c.Pending, r.Resumed, o.want, o.alt)
			}
			resumed += len(r.Resumed)
			if len(r.Resumed) > 0 && c.State != o.want {
				t.Errorf("%s crashed after %d writes: resumed %v but ended %s, want %s", o.name, writes, r.Resumed, c.State, o.want)
			}
			fund, err := f.svc.Fund(t.Context(), "A/2025")
			require.NoError(t, err)
			wantBal := Yuan(35000)
			if c.State == StatePaid {
				wantBal -= c.Paid
			}
			if fund.Balance != wantBal {
				t.Errorf("%s crashed after %d writes: fund %v, want %v for a %s claim", o.name, writes, fund.Balance, wantBal, c.State)
			}
		}
		if resumed == 0 {
			t.Errorf("%s: no crash point left an operation for Reconcile to finish", o.name)
		}
	}
}

func TestService_TamperedLedgerIsReported(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	for i := range 6 {
		c := f.approved(report(fmt.Sprint("R", i), fmt.Sprint("w", i), "A"))
		_, err := f.svc.Pay(ctx, c.ID, officer)
		require.NoError(t, err)
	}
	f.reconcileOK()
	// An edit straight in the store: entry 2 (the first payment) now pays ¥2,000.
	chunks := store.NewCollection[map[string]any](f.mem, "rewards.ledger.chunks", nil)
	all, err := chunks.All(ctx, "", "")
	require.NoError(t, err)
	doc := all[0]
	lines := doc.Value["lines"].([]any)
	lines[1] = strings.Replace(lines[1].(string), "|2000|", "|200000|", 1)
	_, err = chunks.Put(ctx, doc.ID, doc.Value, doc.Version)
	require.NoError(t, err)

	r, err := f.svc.Reconcile(ctx, f.clock.Now())
	require.NoError(t, err)
	var rules []string
	for _, p := range r.Problems {
		rules = append(rules, p.Where+" "+p.Rule)
	}
	if !slices_contains(rules, "fund A/2025 ledger.chain") || !slices_contains(rules, "fund A/2025 entry 2 "+RuleEntryCause) {
		t.Errorf("Reconcile() problems = %v, want the broken chain and the payment that disagrees with its claim", rules)
	}
}

func slices_contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
