package ledger_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/rewards/ledger"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
	"github.com/gridgov/gridgov/store/storetest"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func newLedger(t testing.TB, b store.Backend, chunk int) *ledger.Ledger {
	t.Helper()
	return ledger.New(b, gridgov.NewSeededIDGenerator(1), &ledger.Options{ChunkSize: chunk})
}

func pay(key string, amount int64) ledger.Posting {
	return ledger.Posting{Key: key, Kind: "pay", Cause: "claim:" + key, Debit: "fund:F", Credit: "worker:w", Amount: amount}
}

func TestLedger_ConcurrentPaymentsNeverOverdraw(t *testing.T) {
	ctx := t.Context()
	l := newLedger(t, memstore.New(), 8)
	_, err := l.Open(ctx, "F", "fund:F", nil)
	require.NoError(t, err)
	const fund = 50_000
	_, _, err = l.Post(ctx, "F", t0, ledger.Posting{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: fund})
	require.NoError(t, err)

	// 16 goroutines each try 40 payments of 100 fen from 60 distinct keys, so every
	// key is attempted by several goroutines and together they ask for more than the
	// fund holds.
	var mu sync.Mutex
	posted := map[string]int{} // key → number of non-duplicate results
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for range 40 {
				key := fmt.Sprintf("k%03d", r.IntN(600))
				_, res, err := l.Post(ctx, "F", t0, pay(key, 100))
				if err != nil {
					if !errors.Is(err, gridgov.ErrPrecondition) {
						t.Errorf("Post(%s) error = %v, want nil or ErrPrecondition", key, err)
					}
					continue
				}
				if !res[0].Duplicate {
					mu.Lock()
					posted[key]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	b, err := l.Book(ctx, "F")
	require.NoError(t, err)
	var total int64
	for key, n := range posted {
		if n != 1 {
			t.Errorf("key %s posted %d times, want once", key, n)
		}
		total += 100
	}
	if b.Balance() < 0 || b.Balance() != fund-total {
		t.Errorf("balance = %d, want %d (never below zero)", b.Balance(), fund-total)
	}
	r, err := l.Verify(ctx, "F")
	require.NoError(t, err)
	if !r.OK() {
		t.Errorf("Verify() = %v, want OK", r.Problems)
	}
}

func TestLedger_OrphanChunkFromCrashIsFoundAndSwept(t *testing.T) {
	ctx := t.Context()
	mem := memstore.New()
	l := newLedger(t, mem, 4)
	_, err := l.Open(ctx, "F", "fund:F", nil)
	require.NoError(t, err)
	_, _, err = l.Post(ctx, "F", t0, ledger.Posting{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: 1000})
	require.NoError(t, err)

	// The chunk write succeeds, the head write "crashes".
	crashed := newLedger(t, storetest.CrashAfter(mem, 1), 4)
	_, _, err = crashed.Post(ctx, "F", t0, pay("a", 1), pay("b", 1), pay("c", 1), pay("e", 1))
	if !errors.Is(err, storetest.ErrCrash) {
		t.Fatalf("Post through a crashing store error = %v, want the crash", err)
	}
	r, err := l.Verify(ctx, "F")
	require.NoError(t, err)
	if !r.OK() || len(r.Orphans) != 1 || r.Entries != 1 {
		t.Fatalf("Verify() = %+v, want an intact one-entry book and one orphan chunk", r)
	}
	swept, err := l.Sweep(ctx, "F", t0.Add(time.Second))
	require.NoError(t, err)
	if diff := cmp.Diff(r.Orphans, swept); diff != "" {
		t.Errorf("Sweep() mismatch (-want +got):\n%s", diff)
	}
	// The interrupted batch can be posted again in full.
	_, res, err := l.Post(ctx, "F", t0, pay("a", 1), pay("b", 1), pay("c", 1), pay("e", 1))
	require.NoError(t, err)
	if res[3].Seq != 5 || res[3].Duplicate {
		t.Errorf("re-post result = %+v, want entry 5 newly posted", res[3])
	}
	r, err = l.Verify(ctx, "F")
	require.NoError(t, err)
	if !r.OK() || len(r.Orphans) != 0 {
		t.Errorf("Verify() after re-post = %+v, want OK without orphans", r)
	}
}

func TestLedger_TamperedChunkIsDetected(t *testing.T) {
	ctx := t.Context()
	mem := memstore.New()
	l := newLedger(t, mem, 4)
	_, err := l.Open(ctx, "F", "fund:F", nil)
	require.NoError(t, err)
	ps := []ledger.Posting{{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: 1000}}
	for i := range 8 {
		ps = append(ps, pay(fmt.Sprint("p", i), 10))
	}
	b, _, err := l.Post(ctx, "F", t0, ps...)
	require.NoError(t, err)

	// Someone with write access to the store turns a 10-fen payment into 1 fen.
	chunks := store.NewCollection[ledger.Chunk](mem, "ledger.chunks", nil)
	c, err := chunks.Get(ctx, b.Chunks[0].ID)
	require.NoError(t, err)
	e, err := ledger.ParseEntry("F", c.Value.Lines[2])
	require.NoError(t, err)
	e.Amount = 1
	c.Value.Lines[2] = e.Canonical()
	_, err = chunks.Put(ctx, c.ID, c.Value, c.Version)
	require.NoError(t, err)

	r, err := l.Verify(ctx, "F")
	require.NoError(t, err)
	var chain []uint64
	for _, p := range r.Problems {
		if p.Rule == ledger.RuleChain {
			chain = append(chain, p.Seq)
		}
	}
	if diff := cmp.Diff([]uint64{4}, chain); diff != "" {
		t.Errorf("chain problems at entries mismatch (-want +got):\n%s", diff)
	}
}

// TestLedger_RandomOperations is a property test: seeded random deposits, payments,
// repeated keys and reversals (of tail and sealed entries) keep every invariant after
// every operation, and the balance equals a model's.
func TestLedger_RandomOperations(t *testing.T) {
	seeds := uint64(8)
	if raceEnabled {
		seeds = 2
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			ctx := t.Context()
			r := rand.New(rand.NewPCG(seed, 99))
			l := newLedger(t, memstore.New(), 1+r.IntN(6))
			_, err := l.Open(ctx, "F", "fund:F", nil)
			require.NoError(t, err)
			var balance int64
			paid := map[string]int64{} // pay key → amount not yet reversed
			var keys []string
			for step := range 120 {
				var ps ledger.Posting
				switch op := r.IntN(10); {
				case op < 2:
					ps = ledger.Posting{Key: fmt.Sprint("d", step), Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: 1 + r.Int64N(500)}
				case op < 7 || len(keys) == 0:
					ps = pay(fmt.Sprint("p", r.IntN(80)), 1+r.Int64N(200))
				default:
					k := keys[r.IntN(len(keys))]
					ps = ledger.Posting{Key: fmt.Sprint("r", step), Kind: "clawback", Cause: "claim:" + k, Reverses: k, Amount: 1 + r.Int64N(150)}
				}
				_, res, err := l.Post(ctx, "F", t0.Add(time.Duration(step)*time.Minute), ps)
				switch {
				case err != nil && !errors.Is(err, gridgov.ErrPrecondition):
					t.Fatalf("step %d: Post(%+v) error = %v", step, ps, err)
				case err != nil: // refused: overdraft or over-reversal, the model agrees
					if ps.Reverses == "" && ps.Amount <= balance && ps.Kind == "pay" {
						t.Fatalf("step %d: payment of %d refused with balance %d: %v", step, ps.Amount, balance, err)
					}
				case res[0].Duplicate:
				case ps.Kind == "deposit":
					balance += ps.Amount
				case ps.Kind == "pay":
					balance -= ps.Amount
					paid[ps.Key] = ps.Amount
					keys = append(keys, ps.Key)
				default:
					if ps.Amount > paid[ps.Reverses] {
						t.Fatalf("step %d: reversal of %d accepted with %d left", step, ps.Amount, paid[ps.Reverses])
					}
					paid[ps.Reverses] -= ps.Amount
					balance += ps.Amount
				}
				rep, err := l.Verify(ctx, "F")
				require.NoError(t, err)
				b, err := l.Book(ctx, "F")
				require.NoError(t, err)
				if !rep.OK() || len(rep.Orphans) > 0 || b.Balance() != balance || balance < 0 {
					t.Fatalf("step %d: Verify() = %+v, balance %d, model %d", step, rep, b.Balance(), balance)
				}
			}
		})
	}
}

func TestLedger_EntriesAndEntry(t *testing.T) {
	ctx := t.Context()
	l := newLedger(t, memstore.New(), 3)
	_, err := l.Open(ctx, "F", "fund:F", map[string]string{"area": "A"})
	require.NoError(t, err)
	ps := []ledger.Posting{{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: 1000}}
	for i := range 7 {
		ps = append(ps, pay(fmt.Sprint("p", i), int64(10+i)))
	}
	_, _, err = l.Post(ctx, "F", t0, ps...)
	require.NoError(t, err)
	var got []string
	for e, err := range l.Entries(ctx, "F") {
		require.NoError(t, err)
		got = append(got, fmt.Sprintf("%d %s %d", e.Seq, e.Key, e.Amount))
	}
	want := []string{"1 d 1000", "2 p0 10", "3 p1 11", "4 p2 12", "5 p3 13", "6 p4 14", "7 p5 15", "8 p6 16"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Entries() mismatch (-want +got):\n%s", diff)
	}
	e, err := l.Entry(ctx, "F", "p1")
	require.NoError(t, err)
	if e.Seq != 3 || e.Amount != 11 {
		t.Errorf("Entry(p1) = %+v, want entry 3 of 11 fen", e)
	}
	if _, err := l.Entry(ctx, "F", "nope"); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("Entry(nope) error = %v, want ErrNotFound", err)
	}
	if _, err := l.Open(ctx, "F", "fund:other", nil); !errors.Is(err, gridgov.ErrConflict) {
		t.Errorf("Open(F, other account) error = %v, want ErrConflict", err)
	}
	if _, _, err := l.Post(ctx, "missing", t0, pay("x", 1)); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("Post(missing book) error = %v, want ErrNotFound", err)
	}
}
