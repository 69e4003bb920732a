package ledger_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gridgov/gridgov/rewards/ledger"
	"github.com/gridgov/gridgov/store/memstore"
)

// BenchmarkLedger_PostOne is one payment posted on its own to a book that already
// holds n entries: the cost of a post grows with the year's key index, not with the
// sealed entries.
func BenchmarkLedger_PostOne(b *testing.B) {
	for _, n := range []int{100, 1000, 10_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			ctx := context.Background()
			l := newLedger(b, memstore.New(), 0)
			if _, err := l.Open(ctx, "F", "fund:F", nil); err != nil {
				b.Fatal(err)
			}
			ps := []ledger.Posting{{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: ledger.MaxAmount}}
			for i := range n - 1 {
				ps = append(ps, pay(fmt.Sprint("old", i), 1))
			}
			if _, _, err := l.Post(ctx, "F", t0, ps...); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				if _, _, err := l.Post(ctx, "F", t0, pay(fmt.Sprint("new", i), 1)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLedger_Verify recomputes a 10,000-entry book: chain, balances, keys.
func BenchmarkLedger_Verify(b *testing.B) {
	ctx := context.Background()
	l := newLedger(b, memstore.New(), 0)
	if _, err := l.Open(ctx, "F", "fund:F", nil); err != nil {
		b.Fatal(err)
	}
	ps := []ledger.Posting{{Key: "d", Kind: "deposit", Cause: "ref", Debit: "source:s", Credit: "fund:F", Amount: ledger.MaxAmount}}
	for i := range 9999 {
		ps = append(ps, pay(fmt.Sprint("p", i), 1))
	}
	if _, _, err := l.Post(ctx, "F", t0, ps...); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := l.Verify(ctx, "F")
		if err != nil || !r.OK() || r.Entries != 10_000 {
			b.Fatalf("Verify: %+v, %v", r, err)
		}
	}
}
