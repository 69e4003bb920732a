package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/gridgov/gridgov/store"
)

// RangeBackend is a backend with ordered index scans.
type RangeBackend interface {
	store.Backend
	store.RangeScanner
}

var rangeCases = []testCase[RangeBackend]{
	{"RangeOrder", rangeOrder},
	{"RangeAfterMoves", rangeAfterMoves},
	{"RangeManyPages", rangeManyPages},
	{"RangeWhileWriting", rangeWhileWriting},
	{"RangeCancelled", rangeCancelled},
}

// RunRangeScanner runs the [store.RangeScanner] contract as parallel subtests, each on
// a fresh backend from newBackend.
func RunRangeScanner(t *testing.T, newBackend func(t *testing.T) RangeBackend) {
	t.Helper()
	runSuite(t, rangeCases, newBackend)
}

// CheckRangeScanner is [RunRangeScanner] outside `go test`.
func CheckRangeScanner(ctx context.Context, newBackend func() (RangeBackend, error)) error {
	return checkSuite(ctx, rangeCases, newBackend)
}

func expectRange(ctx context.Context, b RangeBackend, q store.RangeQuery, ids ...string) error {
	var got []string
	for d, err := range b.ScanRange(ctx, q) {
		if err != nil {
			return fmt.Errorf("ScanRange(%+v): %v", q, err)
		}
		got = append(got, d.ID)
	}
	if !slices.Equal(got, ids) {
		return fmt.Errorf("ScanRange(%+v) = %v, want %v", q, got, ids)
	}
	return nil
}

func rangeOrder(ctx context.Context, b RangeBackend) error {
	for _, d := range []struct {
		id  string
		due []string
	}{{"a", []string{"2026-03"}}, {"b", []string{"2026-01"}}, {"c", []string{"2026-02", "2026-05"}},
		{"d", []string{"2026-02"}}, {"e", nil}, {"f", []string{"2027-01"}}} {
		if _, err := b.Put(ctx, doc(d.id, d.id, map[string][]string{"due": d.due}), 0); err != nil {
			return err
		}
	}
	q := store.RangeQuery{Collection: coll, Field: "due", From: "2026-02", To: "2026-06"}
	// Ordered by value, then ID; c holds two values in the range and comes twice.
	if err := expectRange(ctx, b, q, "c", "d", "a", "c"); err != nil {
		return err
	}
	if err := expectRange(ctx, b, store.RangeQuery{Collection: coll, Field: "due", From: "2026-03"}, "a", "c", "f"); err != nil {
		return fmt.Errorf("open-ended range: %w", err)
	}
	if err := expectRange(ctx, b, store.RangeQuery{Collection: coll, Field: "due", From: "2026-02", To: "2026-02"}); err != nil {
		return fmt.Errorf("empty range: %w", err)
	}
	return expectRange(ctx, b, store.RangeQuery{Collection: "nothing", Field: "due", From: ""})
}

func rangeAfterMoves(ctx context.Context, b RangeBackend) error {
	q := store.RangeQuery{Collection: coll, Field: "due", From: "1", To: "5"}
	v, err := b.Put(ctx, doc("a", "a", map[string][]string{"due": {"2"}}), 0)
	if err != nil {
		return err
	}
	// Range once before the moves: a backend that orders lazily must keep up afterwards.
	if err := expectRange(ctx, b, q, "a"); err != nil {
		return err
	}
	if v, err = b.Put(ctx, doc("a", "a", map[string][]string{"due": {"7"}}), v); err != nil {
		return err
	}
	if _, err := b.Put(ctx, doc("b", "b", map[string][]string{"due": {"3"}}), 0); err != nil {
		return err
	}
	if err := expectRange(ctx, b, q, "b"); err != nil {
		return err
	}
	if err := b.Delete(ctx, coll, "b", 1); err != nil {
		return err
	}
	if err := expectRange(ctx, b, q); err != nil {
		return err
	}
	return expectRange(ctx, b, store.RangeQuery{Collection: coll, Field: "due", From: "5"}, "a")
}

func rangeManyPages(ctx context.Context, b RangeBackend) error {
	const n = 1000
	var want []string
	for i := range n {
		id := fmt.Sprintf("d%04d", n-1-i)
		// Values run against IDs, so the order must come from the values.
		if _, err := b.Put(ctx, doc(id, id, map[string][]string{"due": {fmt.Sprintf("%06d", i)}}), 0); err != nil {
			return err
		}
		if i >= 100 && i < 900 {
			want = append(want, id)
		}
	}
	return expectRange(ctx, b, store.RangeQuery{Collection: coll, Field: "due", From: "000100", To: "000900"}, want...)
}

func rangeWhileWriting(ctx context.Context, b RangeBackend) error {
	for i, id := range []string{"a", "b", "c"} {
		if _, err := b.Put(ctx, doc(id, "0", map[string][]string{"due": {fmt.Sprint(i)}}), 0); err != nil {
			return err
		}
	}
	n := 0
	for d, err := range b.ScanRange(ctx, store.RangeQuery{Collection: coll, Field: "due", From: "0", To: "9"}) {
		if err != nil {
			return err
		}
		// Moving a document out of the range from inside the loop must not deadlock.
		if _, err := b.Put(ctx, doc(d.ID, "1", map[string][]string{"due": {"z"}}), d.Version); err != nil {
			return fmt.Errorf("Put inside a range scan: %v", err)
		}
		n++
	}
	if n != 3 {
		return fmt.Errorf("range scan saw %d documents, want 3", n)
	}
	return expectRange(ctx, b, store.RangeQuery{Collection: coll, Field: "due", From: "0", To: "9"})
}

func rangeCancelled(ctx context.Context, b RangeBackend) error {
	if _, err := b.Put(ctx, doc("a", "a", map[string][]string{"due": {"1"}}), 0); err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	var scanErr error
	for _, err := range b.ScanRange(cctx, store.RangeQuery{Collection: coll, Field: "due", From: "0"}) {
		scanErr = err
		break
	}
	if !errors.Is(scanErr, context.Canceled) {
		return fmt.Errorf("ScanRange with a cancelled context yielded %v, want context.Canceled", scanErr)
	}
	return nil
}
