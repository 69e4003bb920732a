package rewards

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/storetest"
)

// TestService_RandomOperationsKeepInvariants is a property test: seeded random
// sequences of claims, approvals, rejections, payments, settlements, clawbacks and
// deposits across three funds, with the store "crashing" mid-command now and then and
// the service restarted and reconciled, keep every invariant after every step.
func TestService_RandomOperationsKeepInvariants(t *testing.T) {
	shortfalls := []string{ShortfallWait, ShortfallReduce, ShortfallOverflow}
	states := map[ClaimState]int{}
	totalResumed := 0
	// The sequences must reach every state and some crash must leave work for
	// Reconcile, or the property was checked on too little.
	defer func() {
		for _, st := range []ClaimState{StateClaimed, StateApproved, StateRejected, StatePaid, StateClawedBack} {
			if states[st] == 0 {
				t.Errorf("no claim ended %s: %v", st, states)
			}
		}
		if totalResumed == 0 {
			t.Errorf("no crash left an operation for Reconcile")
		}
		t.Logf("end states %v, %d operations resumed after crashes", states, totalResumed)
	}()
	seeds := uint64(6)
	if raceEnabled {
		seeds = 2
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 2025))
			p := QinhuaiPolicy()
			p.Funds.Shortfall = shortfalls[seed%3]
			p.Schedule.WorkerCaps = []Cap{{Period: "month", Amount: Yuan(900)}}
			f := newFixture(t, p)
			ctx := t.Context()
			deposits := map[string]Fen{}
			for _, a := range []string{"A", "B", "C"} {
				_, err := f.svc.OpenFund(ctx, chief, FundOpening{Area: hierarchy.UnitID(a), Year: 2025, Amount: Yuan(35000), Ref: "open-" + a})
				require.NoError(t, err)
				deposits[a+"/2025"] = Yuan(35000)
			}
			_, err := f.svc.OpenFund(ctx, chief, FundOpening{Area: "district-overflow", Year: 2025, Amount: Yuan(2000), Ref: "open-overflow"})
			require.NoError(t, err)
			deposits["district-overflow/2025"] = Yuan(2000)
			depositRefs := map[string]bool{}

			outcomes := [][2]string{{OutcomeVerified, ContributionDirect}, {OutcomeCaseSolved, ContributionImportant},
				{OutcomeCaptureOnSpot, ContributionDirect}, {OutcomeCaptureByReport, ContributionDirect}}
			var ids []string
			resumed := 0
			pick := func() string {
				if len(ids) == 0 {
					return "report:none"
				}
				return ids[rng.IntN(len(ids))]
			}
			for step := range 160 {
				f.clock.Advance(time.Duration(1+rng.IntN(90)) * time.Minute)
				svc := f.svc
				var crash *storetest.Crasher
				if rng.IntN(7) == 0 {
					crash = storetest.CrashAfter(f.mem, rng.IntN(8))
					svc = f.service(crash, p)
				}
				var err error
				var what string
				switch op := rng.IntN(20); {
				case op < 6:
					o := outcomes[rng.IntN(len(outcomes))]
					in := report(fmt.Sprint("R", step), fmt.Sprint("w", rng.IntN(8)), []string{"A", "B", "C"}[rng.IntN(3)],
						matter(fmt.Sprint("M", rng.IntN(60))), outcome(o[0], o[1]),
						reportedAt(f.clock.Now().Add(-time.Duration(rng.IntN(60*24))*time.Minute*3)))
					what = "submit " + in.Source.ID
					var c Claim
					c, err = svc.Submit(ctx, head, in)
					if err == nil || errors.Is(err, storetest.ErrCrash) {
						ids = append(ids, ClaimID(in.Source))
					}
					_ = c
				case op < 10:
					id := pick()
					what = "approve " + id
					_, err = svc.Approve(ctx, id, officer)
				case op < 11:
					id := pick()
					what = "reject " + id
					_, err = svc.Reject(ctx, id, officer, "not verified after all")
				case op < 14:
					id := pick()
					what = "pay " + id
					_, err = svc.Pay(ctx, id, officer)
				case op < 16:
					fund := []string{"A", "B", "C"}[rng.IntN(3)] + "/2025"
					what = "settle " + fund
					_, err = svc.Settle(ctx, fund, officer)
				case op < 18:
					id := pick()
					what = "clawback " + id
					_, err = svc.Clawback(ctx, id, officer, "report found invalid")
				default:
					fund := []string{"A", "B", "C", "district-overflow"}[rng.IntN(4)] + "/2025"
					ref := fmt.Sprint("dep", rng.IntN(step+1))
					amount := Yuan(int64(100 + rng.IntN(3000)))
					what = "deposit " + ref
					_, err = svc.Deposit(ctx, chief, fund, amount, ref)
					if err == nil && !depositRefs[fund+ref] {
						depositRefs[fund+ref] = true
						deposits[fund] += amount
					}
					if errors.Is(err, storetest.ErrCrash) {
						// Whether the crashed deposit landed is read back from the ledger.
						if _, e := f.svc.Ledger().Entry(ctx, fund, "deposit:"+ref); e == nil && !depositRefs[fund+ref] {
							depositRefs[fund+ref] = true
							deposits[fund] += amount
						}
					}
				}
				switch {
				case err == nil:
				case crash != nil && errors.Is(err, storetest.ErrCrash):
				case errors.Is(err, gridgov.ErrPrecondition), errors.Is(err, gridgov.ErrConflict), errors.Is(err, gridgov.ErrNotFound):
				default:
					t.Fatalf("step %d %s: unexpected error %v", step, what, err)
				}
				f.clock.Advance(time.Second)
				resumed += checkInvariants(t, f, p, deposits, fmt.Sprintf("step %d %s", step, what))
			}
			cs, err := f.svc.Claims(ctx, "")
			require.NoError(t, err)
			for _, c := range cs {
				states[c.State]++
			}
			totalResumed += resumed
		})
	}
}

func checkInvariants(t *testing.T, f *fixture, p Policy, deposits map[string]Fen, where string) int {
	t.Helper()
	ctx := t.Context()
	r, err := f.svc.Reconcile(ctx, f.clock.Now())
	require.NoError(t, err)
	if !r.OK() {
		t.Fatalf("%s: Reconcile() problems: %v", where, r.Problems)
	}
	cs, err := f.svc.Claims(ctx, "")
	require.NoError(t, err)
	net := map[string]Fen{}
	winners := map[string]string{}
	granted := map[string]Fen{}
	for _, c := range cs {
		if c.Pending != nil {
			t.Fatalf("%s: claim %s still pending %s after Reconcile", where, c.ID, c.Pending.Op)
		}
		if c.Paid > c.Granted || (c.State == StateClawedBack && c.ClawedBack != c.Paid) {
			t.Fatalf("%s: claim %s %s granted %v paid %v clawed back %v", where, c.ID, c.State, c.Granted, c.Paid, c.ClawedBack)
		}
		net[c.PaidFrom] += c.Paid - c.ClawedBack
		if c.State == StateApproved || c.State == StatePaid {
			k := c.matterKey()
			if w, dup := winners[k]; dup {
				t.Fatalf("%s: matter %s rewarded to both %s and %s", where, k, w, c.ID)
			}
			winners[k] = c.ID
			granted[string(c.Worker)+monthKey(c.ReportedAt)] += c.Granted
		}
	}
	for k, g := range granted {
		if g > p.Schedule.WorkerCaps[0].Amount {
			t.Fatalf("%s: %s granted %v, over the monthly cap", where, k, g)
		}
	}
	funds, err := f.svc.Funds(ctx)
	require.NoError(t, err)
	for _, fd := range funds {
		if fd.Balance < 0 || fd.Balance != deposits[fd.ID]-net[fd.ID] {
			t.Fatalf("%s: fund %s balance %v, want deposits %v − net paid %v ≥ 0", where, fd.ID, fd.Balance, deposits[fd.ID], net[fd.ID])
		}
	}
	return len(r.Resumed)
}
