package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
	"github.com/gridgov/gridgov/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Backend { return memstore.New() })
}

func TestCheck(t *testing.T) {
	if err := storetest.Check(context.Background(), func() (store.Backend, error) { return memstore.New(), nil }); err != nil {
		t.Fatalf("storetest.Check(memstore) = %v, want nil", err)
	}
}

// brokenBackend forgets the version check, so that the suite's own power to fail is tested.
type brokenBackend struct{ *memstore.Store }

func (b brokenBackend) Put(ctx context.Context, d store.Document, expected int64) (int64, error) {
	cur, err := b.Store.Get(ctx, d.Collection, d.ID)
	if err == nil {
		expected = cur.Version
	}
	return b.Store.Put(ctx, d, expected)
}

func TestCheck_FindsLostUpdates(t *testing.T) {
	err := storetest.Check(context.Background(), func() (store.Backend, error) { return brokenBackend{memstore.New()}, nil })
	if err == nil {
		t.Fatal("storetest.Check(backend without CAS) = nil, want failures")
	}
	for _, name := range []string{"CreateExisting", "StaleVersion"} {
		if !strings.Contains(err.Error(), name+":") {
			t.Errorf("storetest.Check(backend without CAS) did not report %s:\n%v", name, err)
		}
	}
}

func BenchmarkStore(b *testing.B) {
	ctx := context.Background()
	s := memstore.New()
	data := []byte(`{"unit":"320104002001","status":"open","count":1}`)
	index := map[string][]string{"unit": {"320104002001", "320104002", "320104"}}
	for i := range 10_000 {
		id := fmt.Sprintf("doc-%05d", i)
		if _, err := s.Put(ctx, store.Document{Collection: "c", ID: id, Data: data, Index: index}, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Get(ctx, "c", "doc-00042"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GetPutCAS", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d, err := s.Get(ctx, "c", "doc-00042")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Put(ctx, d, d.Version); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ScanIndex10k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range s.Scan(ctx, store.Query{Collection: "c", Field: "unit", Value: "320104002"}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 10_000 {
				b.Fatalf("scan saw %d", n)
			}
		}
	})
}

func TestCrashAfter(t *testing.T) {
	ctx := t.Context()
	mem := memstore.New()
	c := storetest.CrashAfter(mem, 1)
	doc := store.Document{Collection: "c", ID: "a", Data: []byte("1")}
	if _, err := c.Put(ctx, doc, 0); err != nil {
		t.Fatalf("first write through CrashAfter(1) = %v, want nil", err)
	}
	if c.Crashed() {
		t.Error("Crashed() = true before any refused write")
	}
	doc.Data = []byte("2")
	if _, err := c.Put(ctx, doc, 1); !errors.Is(err, storetest.ErrCrash) {
		t.Errorf("second write = %v, want ErrCrash", err)
	}
	if err := c.Delete(ctx, "c", "a", 1); !errors.Is(err, storetest.ErrCrash) {
		t.Errorf("delete after the crash = %v, want ErrCrash", err)
	}
	if !c.Crashed() {
		t.Error("Crashed() = false after a refused write")
	}
	got, err := c.Get(ctx, "c", "a")
	if err != nil || string(got.Data) != "1" || got.Version != 1 {
		t.Errorf("after the crash Get = %q v%d, %v; want the first write, 1, v1", got.Data, got.Version, err)
	}
	n := 0
	for _, err := range c.Scan(ctx, store.Query{Collection: "c"}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("Scan after the crash saw %d documents, want 1", n)
	}
}

func TestConformance_Appender(t *testing.T) {
	storetest.RunAppender(t, func(*testing.T) store.Appender { return memstore.New() })
}

func TestConformance_Handoff(t *testing.T) {
	storetest.RunHandoff(t, func(*testing.T) store.Handoff { return memstore.New() })
}

// inPlace writes an owned head of document "a" into the stored bytes when they are long
// enough, so that a reader lent them sees them change: the handoff suite must notice.
// Only "a", which no concurrent case writes, so that the race detector has nothing to
// say about the suite's own goroutines.
type inPlace struct{ *memstore.Store }

func (b inPlace) AppendOwned(ctx context.Context, head store.Document, expected int64, evs [][]byte) (int64, int64, error) {
	if cur, err := b.Store.GetShared(ctx, head.Collection, head.ID); err == nil && head.ID == "a" && len(cur.Data) >= len(head.Data) {
		head.Data = cur.Data[:copy(cur.Data, head.Data)]
	}
	return b.Store.AppendOwned(ctx, head, expected, evs)
}

func TestCheckHandoff_FindsAliasedBytes(t *testing.T) {
	err := storetest.CheckHandoff(context.Background(), func() (store.Handoff, error) { return inPlace{memstore.New()}, nil })
	if err == nil || !strings.Contains(err.Error(), "SharedNotAliased:") {
		t.Fatalf("storetest.CheckHandoff(backend writing in place) = %v, want a SharedNotAliased failure", err)
	}
}

func TestCheckHandoff(t *testing.T) {
	if err := storetest.CheckHandoff(context.Background(), func() (store.Handoff, error) { return memstore.New(), nil }); err != nil {
		t.Fatalf("storetest.CheckHandoff(memstore) = %v, want nil", err)
	}
}

func TestConformance_RangeScanner(t *testing.T) {
	storetest.RunRangeScanner(t, func(*testing.T) storetest.RangeBackend { return memstore.New() })
}

// leakyAppender writes the head and its events in two steps, so a stale append leaves
// its events behind: the appender suite must notice.
type leakyAppender struct {
	*memstore.Store
	mu    *sync.Mutex
	extra map[string][][]byte
}

func (b leakyAppender) Append(ctx context.Context, head store.Document, expected int64, evs [][]byte) (int64, int64, error) {
	b.mu.Lock()
	b.extra[head.ID] = append(b.extra[head.ID], evs...)
	b.mu.Unlock()
	return b.Store.Append(ctx, head, expected, evs)
}

func (b leakyAppender) Events(ctx context.Context, coll, id string, after int64) iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		b.mu.Lock()
		log := slices.Clone(b.extra[id])
		b.mu.Unlock()
		for i, e := range log {
			if int64(i) >= after && !yield(store.Event{Seq: int64(i) + 1, Data: e}, nil) {
				return
			}
		}
	}
}

func TestCheckAppender_FindsNonAtomicAppends(t *testing.T) {
	err := storetest.CheckAppender(context.Background(), func() (store.Appender, error) {
		return leakyAppender{memstore.New(), &sync.Mutex{}, map[string][][]byte{}}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "AppendStale") {
		t.Fatalf("storetest.CheckAppender(non-atomic appender) = %v, want an AppendStale failure", err)
	}
}

// unboundedRange ignores the upper bound of a range.
type unboundedRange struct{ *memstore.Store }

func (b unboundedRange) ScanRange(ctx context.Context, q store.RangeQuery) iter.Seq2[store.Document, error] {
	q.To = ""
	return b.Store.ScanRange(ctx, q)
}

func TestCheckRangeScanner_FindsIgnoredBounds(t *testing.T) {
	err := storetest.CheckRangeScanner(context.Background(), func() (storetest.RangeBackend, error) {
		return unboundedRange{memstore.New()}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "RangeOrder") {
		t.Fatalf("storetest.CheckRangeScanner(range without upper bound) = %v, want a RangeOrder failure", err)
	}
}

// TestStore_IndexFieldDropped: a write whose document no longer has an index field
// removes the document from that field's index, and only from that one.
func TestStore_IndexFieldDropped(t *testing.T) {
	ctx := t.Context()
	s := memstore.New()
	v, err := s.Put(ctx, store.Document{Collection: "c", ID: "a", Data: []byte("1"),
		Index: map[string][]string{"k": {"x"}, "j": {"y"}}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, store.Document{Collection: "c", ID: "a", Data: []byte("2"),
		Index: map[string][]string{"j": {"y"}}}, v); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		field, value string
		want         []string
	}{{"k", "x", nil}, {"j", "y", []string{"a"}}} {
		var got []string
		for d, err := range s.Scan(ctx, store.Query{Collection: "c", Field: tc.field, Value: tc.value}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, d.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Scan(%s=%s) = %v, want %v", tc.field, tc.value, got, tc.want)
		}
	}
}

// BenchmarkStore_IndexedWrites writes documents indexed like escalation's cases in a
// collection of 100,000: five unit values (a community of 104, its street of 12, the
// district, the city, the province, so that the upper values hold every document), a
// state of seven, an open flag and a next-check instant that every write changes.
// "update" rewrites a document drawn at random (seeded) with its next state, as a
// command does; "create" adds new documents to the full collection, as reports do.
func BenchmarkStore_IndexedWrites(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	states := []string{"reported", "filed", "dispatched", "handling", "handled", "verified", "closed"}
	ids := make([]string, n)
	units := make([][]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("01J%023X", rng.Uint64())
		c := rng.IntN(104)
		units[i] = []string{fmt.Sprintf("320104%03d%03d", c%12+1, c/12+1), fmt.Sprintf("320104%03d", c%12+1), "320104", "3201", "32"}
	}
	data := []byte(`{"state":"filed"}`)
	index := func(i, step int) map[string][]string {
		st := states[step%len(states)]
		m := map[string][]string{"unit": units[i], "state": {st}}
		if st != "closed" {
			m["open"] = []string{"1"}
			m["next_check"] = []string{fmt.Sprintf("2025-%02d-%02dT%02d:00:00.000000000Z", step%12+1, i%28+1, step%24)}
		}
		return m
	}
	fill := func() (*memstore.Store, []int64, []int) {
		s := memstore.New()
		versions, steps := make([]int64, n), make([]int, n)
		for i, id := range ids {
			steps[i] = rng.IntN(len(states))
			v, err := s.Put(ctx, store.Document{Collection: "c", ID: id, Data: data, Index: index(i, steps[i])}, 0)
			if err != nil {
				b.Fatal(err)
			}
			versions[i] = v
		}
		return s, versions, steps
	}
	b.Run("update", func(b *testing.B) {
		s, versions, steps := fill()
		// The documents' new index maps, drawn before the loop so that it times the store.
		order := make([]int, 1<<16)
		next := make([]map[string][]string, len(order))
		for k := range order {
			i := rng.IntN(n)
			order[k] = i
			next[k] = index(i, steps[i]+1+k)
		}
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			j := k & (len(order) - 1)
			i := order[j]
			v, err := s.Put(ctx, store.Document{Collection: "c", ID: ids[i], Data: data, Index: next[j]}, versions[i])
			if err != nil {
				b.Fatal(err)
			}
			versions[i] = v
			k++
		}
	})
	b.Run("create", func(b *testing.B) {
		s, _, _ := fill()
		fresh := make([]string, 1<<16)
		for k := range fresh {
			fresh[k] = fmt.Sprintf("01K%023X", rng.Uint64())
		}
		idx := index(0, 0)
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			if k == len(fresh) {
				// Start again on a full collection without the new documents.
				b.StopTimer()
				s, _, _ = fill()
				k = 0
				b.StartTimer()
			}
			if _, err := s.Put(ctx, store.Document{Collection: "c", ID: fresh[k], Data: data, Index: idx}, 0); err != nil {
				b.Fatal(err)
			}
			k++
		}
	})
}

// TestIndex_LargeSetsAgainstModel: values held by thousands of documents, which the
// index keeps as bitmaps past a size, answer queries exactly as a model does while
// documents are created, move between values, hold several values at once and are
// deleted, so that sets grow past the bitmap's threshold and shrink again, to none.
func TestIndex_LargeSetsAgainstModel(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	rng := rand.New(rand.NewPCG(12, 13))
	model := map[string][]string{} // document → its values
	version := map[string]int64{}
	values := []string{"big", "big", "big", "other", "rare"}
	check := func(step int) {
		t.Helper()
		for _, v := range append(slices.Clone(values), "absent") {
			var want []string
			for id, vals := range model {
				if slices.Contains(vals, v) {
					want = append(want, id)
				}
			}
			slices.Sort(want)
			var got []string
			for d, err := range s.Scan(ctx, store.Query{Collection: "c", Field: "f", Value: v}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, d.ID)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: value %q: %d documents, want %d", step, v, len(got), len(want))
			}
			if n := memstore.IndexLen(s, "c", "f", v); n != len(want) {
				t.Fatalf("step %d: value %q: the index keeps %d slots, want %d", step, v, n, len(want))
			}
		}
	}
	for step := range 12000 {
		id := fmt.Sprintf("d%04d", rng.IntN(3000))
		if _, ok := model[id]; ok && rng.IntN(5) == 0 {
			if err := s.Delete(ctx, "c", id, version[id]); err != nil {
				t.Fatal(err)
			}
			delete(model, id)
			delete(version, id)
		} else {
			vals := []string{values[rng.IntN(len(values))]}
			if rng.IntN(4) == 0 {
				vals = append(vals, "other")
			}
			if step > 8000 { // drain the large sets
				vals = []string{"rare"}
			}
			v, err := s.Put(ctx, store.Document{Collection: "c", ID: id, Data: []byte(`{}`), Index: map[string][]string{"f": vals}}, version[id])
			if err != nil {
				t.Fatal(err)
			}
			model[id], version[id] = vals, v
		}
		if step%1500 == 0 || step == 11999 {
			check(step)
		}
	}
}

// BenchmarkStore_WritersInParallel runs GOMAXPROCS writers doing Get and a CAS Put of
// random documents (seeded, from 10,000 a collection): each in a collection of its own
// ("own", where a store-wide lock made them wait for each other) or all in one
// ("shared", where they must).
func BenchmarkStore_WritersInParallel(b *testing.B) {
	ctx := context.Background()
	data := []byte(`{"unit":"320104002001","status":"open","count":1}`)
	index := map[string][]string{"unit": {"320104002001", "320104002", "320104"}, "status": {"open"}}
	const docs = 10_000
	for _, mode := range []string{"own", "shared"} {
		b.Run(mode, func(b *testing.B) {
			s := memstore.New()
			procs := runtime.GOMAXPROCS(0)
			for w := range procs {
				for i := range docs {
					d := store.Document{Collection: fmt.Sprintf("c%d", w), ID: fmt.Sprintf("doc-%05d", i), Data: data, Index: index}
					if _, err := s.Put(ctx, d, 0); err != nil {
						b.Fatal(err)
					}
				}
			}
			var next atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				w := next.Add(1) - 1
				coll := fmt.Sprintf("c%d", w%int64(procs))
				if mode == "shared" {
					coll = "c0"
				}
				r := rand.New(rand.NewPCG(uint64(w), 42))
				for pb.Next() {
					id := fmt.Sprintf("doc-%05d", r.IntN(docs))
					d, err := s.GetShared(ctx, coll, id)
					if err != nil {
						b.Error(err)
						return
					}
					if _, err := s.Put(ctx, d, d.Version); err != nil && !errors.Is(err, store.ErrConflict) {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
