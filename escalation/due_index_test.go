package escalation_test

import (
	"context"
	"iter"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// countingStore counts the documents its scans hand out.
type countingStore struct {
	*memstore.Store
	read atomic.Int64
}

func (c *countingStore) Scan(ctx context.Context, q store.Query) iter.Seq2[store.Document, error] {
	return func(yield func(store.Document, error) bool) {
		for d, err := range c.Store.Scan(ctx, q) {
			c.read.Add(1)
			if !yield(d, err) {
				return
			}
		}
	}
}

func (c *countingStore) ScanRange(ctx context.Context, q store.RangeQuery) iter.Seq2[store.Document, error] {
	return func(yield func(store.Document, error) bool) {
		for d, err := range c.Store.ScanRange(ctx, q) {
			c.read.Add(1)
			if !yield(d, err) {
				return
			}
		}
	}
}

// scanOnly hides the range capability, as a backend with only the basic contract would.
type scanOnly struct{ store.Backend }

// TestService_DueReadsOnlyDueCases: the scheduler's tick reads the cases due by now
// through the next-check index, not every open case, and lists the same as folding
// every case would.
func TestService_DueReadsOnlyDueCases(t *testing.T) {
	ctx := t.Context()
	ps, err := escalation.NewPolicySet(policy())
	require.NoError(t, err)
	newSvc := func(b store.Backend) (*escalation.Service, *gridgov.ManualClock) {
		clock := gridgov.NewManualClock(t0)
		s, err := escalation.NewService(b, ps, tree(t), calendar.Default(), &escalation.ServiceOptions{
			Clock: clock, IDs: gridgov.NewSeededIDGenerator(7), Beats: beats,
		})
		require.NoError(t, err)
		return s, clock
	}
	fill := func(s *escalation.Service, clock *gridgov.ManualClock) time.Time {
		first, _, err := s.Report(ctx, act("gw1"), report(""))
		require.NoError(t, err)
		if first.NextCheck.IsZero() {
			t.Fatal("a reported case has no NextCheck: nothing to range over")
		}
		// The others are reported when the first falls due, so they are due later.
		clock.Set(first.NextCheck)
		for range 40 {
			_, _, err := s.Report(ctx, act("gw1"), report(""))
			require.NoError(t, err)
		}
		return first.NextCheck
	}

	counted := &countingStore{Store: memstore.New()}
	s, clock := newSvc(counted)
	now := fill(s, clock)
	counted.read.Store(0)
	got, err := s.Due(ctx, now)
	require.NoError(t, err)
	if n := counted.read.Load(); n != 1 {
		t.Errorf("Due read %d cases, want 1: only the case due by now", n)
	}
	if len(got) == 0 {
		t.Fatal("Due listed nothing for the case that fell due")
	}

	open, err := s.List(ctx, escalation.Query{OpenOnly: true})
	require.NoError(t, err)
	want := escalation.DueAll(open, now, ps, escalation.Env{Tree: tree(t), Calendar: calendar.Default(), Beats: beats})
	if diff := cmp.Diff(want, got, caseOpts); diff != "" {
		t.Errorf("Due(now) differs from folding every open case (-all +indexed):\n%s", diff)
	}

	// A backend without ranges gives the same answer by a full scan.
	s2, clock2 := newSvc(scanOnly{memstore.New()})
	now2 := fill(s2, clock2)
	got2, err := s2.Due(ctx, now2)
	require.NoError(t, err)
	if diff := cmp.Diff(got, got2, caseOpts); diff != "" {
		t.Errorf("Due on a backend without RangeScanner differs (-range +scan):\n%s", diff)
	}
}

func TestNextCheckKey_SortsAsTime(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	times := []time.Time{
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 1, 1, 7, 59, 59, 0, cst), // 2025-12-31T23:59:59Z
		time.Date(2026, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		a, b := escalation.NextCheckKey(times[i-1]), escalation.NextCheckKey(times[i])
		if len(a) != len(b) {
			t.Errorf("keys %q and %q differ in width", a, b)
		}
		if times[i-1].Before(times[i]) != (a < b) {
			t.Errorf("NextCheckKey(%v) = %q, NextCheckKey(%v) = %q: byte order is not time order", times[i-1], a, times[i], b)
		}
	}
}

// BenchmarkService_Due is the scheduler's tick over 100,000 open cases of which 100 are
// due: through the next-check index (memstore ranges over it), and by the full scan a
// backend without ranges falls back to, in the same run.
func BenchmarkService_Due(b *testing.B) {
	const open, due = 100_000, 100
	ps, err := escalation.NewPolicySet(policy())
	require.NoError(b, err)
	for _, tc := range []struct {
		name    string
		backend store.Backend
	}{{"index", memstore.New()}, {"full-scan", scanOnly{memstore.New()}}} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			clock := gridgov.NewManualClock(t0)
			s, err := escalation.NewService(tc.backend, ps, tree(b), calendar.Default(), &escalation.ServiceOptions{
				Clock: clock, IDs: gridgov.NewSeededIDGenerator(7), Beats: beats,
			})
			require.NoError(b, err)
			var now time.Time
			for i := range open {
				if i == due {
					clock.Set(now)
				}
				c, _, err := s.Report(ctx, act("gw1"), report(""))
				require.NoError(b, err)
				if i == 0 {
					now = c.NextCheck
				}
			}
			got, err := s.Due(ctx, now)
			require.NoError(b, err)
			if len(got) < due {
				b.Fatalf("Due listed %d items, want at least %d", len(got), due)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.Due(ctx, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
