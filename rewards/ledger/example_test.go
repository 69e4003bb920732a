package ledger_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/rewards/ledger"
	"github.com/gridgov/gridgov/store/memstore"
)

func ExampleLedger() {
	ctx := context.Background()
	at := time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC)
	l := ledger.New(memstore.New(), gridgov.NewSeededIDGenerator(1), nil)
	if _, err := l.Open(ctx, "beat-07/2025", "fund:beat-07/2025", nil); err != nil {
		fmt.Println(err)
		return
	}
	deposit := ledger.Posting{Key: "deposit:appr-07", Kind: "deposit", Cause: "deposit:appr-07",
		Debit: "source:appropriation", Credit: "fund:beat-07/2025", Amount: 3_500_000}
	pay := ledger.Posting{Key: "pay:report:E-1001", Kind: "pay", Cause: "claim:report:E-1001",
		Debit: "fund:beat-07/2025", Credit: "worker:w-li", Amount: 20_000}
	_, _, err := l.Post(ctx, "beat-07/2025", at, deposit, pay)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The same report again: the idempotency key pays it once.
	b, res, _ := l.Post(ctx, "beat-07/2025", at, pay)
	fmt.Println("duplicate:", res[0].Duplicate, "entry", res[0].Seq)
	// A clawback reverses the payment; it never edits it.
	b, _, _ = l.Post(ctx, "beat-07/2025", at, ledger.Posting{Key: "clawback:report:E-1001", Kind: "clawback",
		Cause: "claim:report:E-1001", Reverses: "pay:report:E-1001", Amount: 20_000})
	fmt.Println("balance:", b.Balance(), "entries:", b.Seq)
	r, _ := l.Verify(ctx, "beat-07/2025")
	fmt.Println("verified:", r.OK(), "credits", r.Credits, "debits", r.Debits)
	// Output:
	// duplicate: true entry 2
	// balance: 3500000 entries: 3
	// verified: true credits 3520000 debits 20000
}
