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

// TestLedger_KeyIndexFollowsTheStoredBook: a Ledger extends the key index it kept from
// its last post only when the stored book still begins with the keys it covers. Two
// ledgers on one backend each see the keys the other posted in between as duplicates,
// and a book deleted and opened again under its ID starts with no keys at all.
func TestLedger_KeyIndexFollowsTheStoredBook(t *testing.T) {
	ctx := t.Context()
	b := memstore.New()
	l1, l2 := newLedger(t, b, 4), newLedger(t, b, 4)
	_, err := l1.Open(ctx, "F", "fund:F", nil)
	require.NoError(t, err)
	_, _, err = l1.Post(ctx, "F", t0, ledger.Posting{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: 10_000})
	require.NoError(t, err)
	for i := range 30 {
		own, other := l1, l2
		if i%3 == 2 {
			own, other = l2, l1
		}
		key := fmt.Sprint("p", i)
		_, res, err := own.Post(ctx, "F", t0, pay(key, 1))
		require.NoError(t, err)
		require.False(t, res[0].Duplicate, "first post of %s", key)
		for _, l := range []*ledger.Ledger{other, own} {
			_, res, err = l.Post(ctx, "F", t0, pay(key, 1))
			require.NoError(t, err)
			if !res[0].Duplicate || res[0].Seq != uint64(i+2) {
				t.Fatalf("repeat of %s: %+v, want a duplicate of entry %d", key, res[0], i+2)
			}
		}
	}
	doc, err := b.Get(ctx, "ledger.books", "F")
	require.NoError(t, err)
	require.NoError(t, b.Delete(ctx, "ledger.books", "F", doc.Version))
	_, err = l2.Open(ctx, "F", "fund:F", nil)
	require.NoError(t, err)
	// Through l2 only, so that l1 still holds the deleted book's index: the new book
	// has as many keys as the old one, of the same lengths, but other keys; only their
	// bytes tell the two apart.
	ps := []ledger.Posting{{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: 10_000}}
	for i := range 30 {
		ps = append(ps, pay(fmt.Sprint("x", i), 1))
	}
	_, _, err = l2.Post(ctx, "F", t0, ps...)
	require.NoError(t, err)
	_, res, err := l1.Post(ctx, "F", t0, pay("p7", 1))
	require.NoError(t, err)
	if res[0].Duplicate || res[0].Seq != 32 {
		t.Fatalf("p7 in the book opened again: %+v, want entry 32, not a duplicate of the deleted book's", res[0])
	}
	got, err := l1.Book(ctx, "F")
	require.NoError(t, err)
	if got.Seq != 32 || got.Balance() != 10_000-31 {
		t.Errorf("book opened again: seq %d, balance %d; want 32, %d", got.Seq, got.Balance(), 10_000-31)
	}
}
