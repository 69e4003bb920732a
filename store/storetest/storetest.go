// Package storetest is the conformance suite for [store.Backend] implementations. A
// backend that passes it needs no further tests of the core semantics: compare-and-swap
// writes, not-found and conflict errors, no lost updates under concurrency, scans by
// collection and by index, isolation of the caller's bytes, and cancellation.
//
// In a test of a new backend:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Backend { return mybackend.Open(t.TempDir()) })
//	}
//
// Outside `go test` (a health check of a deployed database, say), [Check] runs the same
// cases and returns their failures joined.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/gridgov/gridgov/store"
)

// Concurrency of the lost-update case: Workers goroutines each make Increments
// read-modify-CAS increments of one counter, which must end at exactly their product.
const (
	Workers    = 64
	Increments = 500
)

// testCase is one case of a suite over backends of type B.
type testCase[B any] struct {
	name string
	run  func(ctx context.Context, b B) error
}

var cases = []testCase[store.Backend]{
	{"GetMissing", getMissing},
	{"CreateAndGet", createAndGet},
	{"CreateExisting", createExisting},
	{"ConcurrentCreate", concurrentCreate},
	{"StaleVersion", staleVersion},
	{"PutMissingAtVersion", putMissingAtVersion},
	{"Delete", deleteIfVersion},
	{"Isolation", isolation},
	{"ScanCollection", scanCollection},
	{"ScanIndexAfterMoves", scanIndexAfterMoves},
	{"IndexAgainstModel", indexAgainstModel},
	{"ScanWhileWriting", scanWhileWriting},
	{"Cancelled", cancelled},
	{"NoLostUpdate", noLostUpdate},
}

// Run runs every case as a parallel subtest, each on a fresh backend from newBackend.
func Run(t *testing.T, newBackend func(t *testing.T) store.Backend) {
	t.Helper()
	runSuite(t, cases, newBackend)
}

// Check runs every case sequentially, each on a fresh backend from newBackend, and
// returns the failures joined, each prefixed with its case name; nil means conformant.
func Check(ctx context.Context, newBackend func() (store.Backend, error)) error {
	return checkSuite(ctx, cases, newBackend)
}

func runSuite[B any](t *testing.T, cs []testCase[B], newBackend func(t *testing.T) B) {
	t.Helper()
	for _, tc := range cs {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.run(t.Context(), newBackend(t)); err != nil {
				t.Error(err)
			}
		})
	}
}

func checkSuite[B any](ctx context.Context, cs []testCase[B], newBackend func() (B, error)) error {
	var errs []error
	for _, tc := range cs {
		b, err := newBackend()
		if err == nil {
			err = tc.run(ctx, b)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", tc.name, err))
		}
	}
	return errors.Join(errs...)
}

const coll = "things"

func doc(id, data string, index map[string][]string) store.Document {
	return store.Document{Collection: coll, ID: id, Data: []byte(data), Index: index}
}

func getMissing(ctx context.Context, b store.Backend) error {
	_, err := b.Get(ctx, coll, "nope")
	if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("Get of a missing document = %v, want ErrNotFound", err)
	}
	return nil
}

func createAndGet(ctx context.Context, b store.Backend) error {
	v, err := b.Put(ctx, doc("a", "one", map[string][]string{"unit": {"u1", "u2"}}), 0)
	if err != nil || v != 1 {
		return fmt.Errorf("create: Put(a, 0) = %d, %v; want 1, nil", v, err)
	}
	got, err := b.Get(ctx, coll, "a")
	if err != nil {
		return fmt.Errorf("Get(a) after create: %v", err)
	}
	if got.Collection != coll || got.ID != "a" || got.Version != 1 || string(got.Data) != "one" ||
		!slices.Equal(got.Index["unit"], []string{"u1", "u2"}) {
		return fmt.Errorf("Get(a) = %+v, want collection %q, ID a, version 1, data one, index unit [u1 u2]", got, coll)
	}
	v, err = b.Put(ctx, doc("a", "two", nil), 1)
	if err != nil || v != 2 {
		return fmt.Errorf("update: Put(a, 1) = %d, %v; want 2, nil", v, err)
	}
	return expectData(ctx, b, "a", "two", 2)
}

func createExisting(ctx context.Context, b store.Backend) error {
	if _, err := b.Put(ctx, doc("a", "one", nil), 0); err != nil {
		return err
	}
	if _, err := b.Put(ctx, doc("a", "again", nil), 0); !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("second create of a = %v, want ErrConflict", err)
	}
	return expectData(ctx, b, "a", "one", 1)
}

// concurrentCreate has many writers create one document at once: exactly one wins and
// every other gets ErrConflict, never a raw constraint error of the database.
func concurrentCreate(ctx context.Context, b store.Backend) error {
	const writers = 16
	errs := make(chan error, writers)
	for i := range writers {
		go func() {
			_, err := b.Put(ctx, doc("same", strconv.Itoa(i), nil), 0)
			errs <- err
		}()
	}
	won := 0
	var bad []error
	for range writers {
		switch err := <-errs; {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			bad = append(bad, err)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("a losing create returned %v, want ErrConflict", bad[0])
	}
	if won != 1 {
		return fmt.Errorf("%d concurrent creates of one document succeeded, want 1", won)
	}
	return nil
}

func staleVersion(ctx context.Context, b store.Backend) error {
	for i, want := range []int64{1, 2, 3} {
		v, err := b.Put(ctx, doc("a", strconv.Itoa(i), nil), want-1)
		if err != nil || v != want {
			return fmt.Errorf("write %d: Put = %d, %v; want %d, nil", i, v, err, want)
		}
	}
	for _, stale := range []int64{1, 2, 4} {
		if _, err := b.Put(ctx, doc("a", "stale", map[string][]string{"k": {"x"}}), stale); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("Put at stale version %d = %v, want ErrConflict", stale, err)
		}
	}
	if err := expectData(ctx, b, "a", "2", 3); err != nil {
		return fmt.Errorf("after stale writes: %w", err)
	}
	return expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "x"})
}

func putMissingAtVersion(ctx context.Context, b store.Backend) error {
	if _, err := b.Put(ctx, doc("ghost", "x", nil), 3); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("Put of a missing document at version 3 = %v, want ErrNotFound", err)
	}
	if _, err := b.Get(ctx, coll, "ghost"); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("the refused Put wrote something: Get = %v", err)
	}
	return nil
}

func deleteIfVersion(ctx context.Context, b store.Backend) error {
	if err := b.Delete(ctx, coll, "a", 1); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("Delete of a missing document = %v, want ErrNotFound", err)
	}
	if _, err := b.Put(ctx, doc("a", "one", map[string][]string{"k": {"x"}}), 0); err != nil {
		return err
	}
	if err := b.Delete(ctx, coll, "a", 2); !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("Delete at a stale version = %v, want ErrConflict", err)
	}
	if err := expectData(ctx, b, "a", "one", 1); err != nil {
		return fmt.Errorf("after refused delete: %w", err)
	}
	if err := b.Delete(ctx, coll, "a", 1); err != nil {
		return fmt.Errorf("Delete at the right version: %v", err)
	}
	if _, err := b.Get(ctx, coll, "a"); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("Get after delete = %v, want ErrNotFound", err)
	}
	if err := expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "x"}); err != nil {
		return fmt.Errorf("deleted document still indexed: %w", err)
	}
	// A deleted document can be created again from version 0.
	if v, err := b.Put(ctx, doc("a", "reborn", nil), 0); err != nil || v != 1 {
		return fmt.Errorf("re-create after delete: Put = %d, %v; want 1, nil", v, err)
	}
	return nil
}

func isolation(ctx context.Context, b store.Backend) error {
	in := doc("a", "abc", map[string][]string{"k": {"x"}})
	if _, err := b.Put(ctx, in, 0); err != nil {
		return err
	}
	in.Data[0] = 'Z'
	in.Index["k"][0] = "changed"
	got, err := b.Get(ctx, coll, "a")
	if err != nil {
		return err
	}
	if string(got.Data) != "abc" || got.Index["k"][0] != "x" {
		return fmt.Errorf("changing the caller's document after Put changed the stored one: %q %v", got.Data, got.Index)
	}
	got.Data[0] = 'Y'
	got.Index["k"][0] = "changed"
	for d, err := range b.Scan(ctx, store.Query{Collection: coll, Field: "k", Value: "x"}) {
		if err != nil {
			return err
		}
		d.Data[0] = 'W'
		d.Index["k"][0] = "changed"
	}
	if err := expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "x"}, "a"); err != nil {
		return fmt.Errorf("changing a scanned document changed the stored index: %w", err)
	}
	return expectData(ctx, b, "a", "abc", 1)
}

func scanCollection(ctx context.Context, b store.Backend) error {
	for _, id := range []string{"c", "a", "b"} {
		if _, err := b.Put(ctx, doc(id, id, nil), 0); err != nil {
			return err
		}
	}
	if _, err := b.Put(ctx, store.Document{Collection: "others", ID: "z", Data: []byte("z")}, 0); err != nil {
		return err
	}
	if err := expectScan(ctx, b, store.Query{Collection: coll}, "a", "b", "c"); err != nil {
		return err
	}
	return expectScan(ctx, b, store.Query{Collection: "empty"})
}

func scanIndexAfterMoves(ctx context.Context, b store.Backend) error {
	ver := map[string]int64{}
	put := func(id string, units ...string) error {
		v, err := b.Put(ctx, doc(id, id, map[string][]string{"unit": units, "status": {"open"}}), ver[id])
		ver[id] = v
		return err
	}
	steps := []struct {
		id    string
		units []string
	}{
		{"1", []string{"u1"}}, {"2", []string{"u1", "u2"}}, {"3", []string{"u2"}},
		{"1", []string{"u2"}}, // 1 moves from u1 to u2
		{"2", []string{"u3"}}, // 2 leaves both u1 and u2
		{"3", nil},            // 3 is no longer indexed by unit at all
	}
	for _, s := range steps {
		if err := put(s.id, s.units...); err != nil {
			return err
		}
	}
	for _, want := range []struct {
		value string
		ids   []string
	}{{"u1", nil}, {"u2", []string{"1"}}, {"u3", []string{"2"}}} {
		if err := expectScan(ctx, b, store.Query{Collection: coll, Field: "unit", Value: want.value}, want.ids...); err != nil {
			return err
		}
	}
	return expectScan(ctx, b, store.Query{Collection: coll, Field: "status", Value: "open"}, "1", "2", "3")
}

// indexAgainstModel writes a few documents many times with index values drawn at
// random (seeded): fields that appear and disappear, values that move, repeat, or come
// in another order, deletes and re-creations. After every few writes, each field and
// value's scan must list exactly the documents that hold it in a model, and each
// document must read back with the index it was last written with.
func indexAgainstModel(ctx context.Context, b store.Backend) error {
	rng := rand.New(rand.NewPCG(11, 12))
	fields := []string{"unit", "state", "tag"}
	values := []string{"a", "b", "c", "d"}
	type entry struct {
		ver   int64
		index map[string][]string
	}
	model := map[string]entry{}
	check := func(step int) error {
		for _, f := range fields {
			for _, v := range values {
				var ids []string
				for id, e := range model {
					if slices.Contains(e.index[f], v) {
						ids = append(ids, id)
					}
				}
				slices.Sort(ids)
				if err := expectScan(ctx, b, store.Query{Collection: coll, Field: f, Value: v}, ids...); err != nil {
					return fmt.Errorf("after %d writes: %w", step, err)
				}
			}
		}
		for id, e := range model {
			d, err := b.Get(ctx, coll, id)
			if err != nil {
				return fmt.Errorf("after %d writes: Get(%s): %v", step, id, err)
			}
			if !maps.EqualFunc(d.Index, e.index, slices.Equal) {
				return fmt.Errorf("after %d writes: Get(%s).Index = %v, want %v", step, id, d.Index, e.index)
			}
		}
		return nil
	}
	const writes = 240
	for step := 1; step <= writes; step++ {
		id := "d" + strconv.Itoa(rng.IntN(6))
		cur, exists := model[id]
		if exists && rng.IntN(8) == 0 {
			if err := b.Delete(ctx, coll, id, cur.ver); err != nil {
				return fmt.Errorf("write %d: Delete(%s): %v", step, id, err)
			}
			delete(model, id)
			continue
		}
		index := map[string][]string{}
		for _, f := range fields {
			if rng.IntN(5) < 3 {
				vals := []string{} // a field may be present with no value
				for range rng.IntN(4) {
					vals = append(vals, values[rng.IntN(len(values))]) // repeats too
				}
				index[f] = vals
			}
		}
		v, err := b.Put(ctx, doc(id, strconv.Itoa(step), index), cur.ver)
		if err != nil {
			return fmt.Errorf("write %d: Put(%s, %v) at %d: %v", step, id, index, cur.ver, err)
		}
		model[id] = entry{v, index}
		if step%40 == 0 {
			if err := check(step); err != nil {
				return err
			}
		}
	}
	return nil
}

func scanWhileWriting(ctx context.Context, b store.Backend) error {
	for _, id := range []string{"a", "b", "c"} {
		if _, err := b.Put(ctx, doc(id, "0", map[string][]string{"k": {"x"}}), 0); err != nil {
			return err
		}
	}
	n := 0
	for d, err := range b.Scan(ctx, store.Query{Collection: coll, Field: "k", Value: "x"}) {
		if err != nil {
			return err
		}
		// Writing from inside the loop must neither deadlock nor fail.
		if _, err := b.Put(ctx, doc(d.ID, "1", map[string][]string{"k": {"x"}}), d.Version); err != nil {
			return fmt.Errorf("Put inside a scan: %v", err)
		}
		n++
	}
	if n != 3 {
		return fmt.Errorf("scan saw %d documents, want 3", n)
	}
	return expectData(ctx, b, "c", "1", 2)
}

func cancelled(ctx context.Context, b store.Backend) error {
	if _, err := b.Put(ctx, doc("a", "one", nil), 0); err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.Get(cctx, coll, "a"); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("Get with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := b.Put(cctx, doc("a", "two", nil), 1); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("Put with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := b.Put(cctx, doc("new", "x", nil), 0); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("create with a cancelled context = %v, want context.Canceled", err)
	}
	if err := b.Delete(cctx, coll, "a", 1); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("Delete with a cancelled context = %v, want context.Canceled", err)
	}
	if err := firstErr(b.Scan(cctx, store.Query{Collection: coll})); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("Scan with a cancelled context yielded error %v, want context.Canceled", err)
	}
	if err := expectData(ctx, b, "a", "one", 1); err != nil {
		return fmt.Errorf("after cancelled writes: %w", err)
	}
	if _, err := b.Get(ctx, coll, "new"); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("cancelled create wrote a document: Get = %v", err)
	}
	return nil
}

func noLostUpdate(ctx context.Context, b store.Backend) error {
	if _, err := b.Put(ctx, doc("counter", "0", nil), 0); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make(chan error, Workers)
	for range Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < Increments; {
				d, err := b.Get(ctx, coll, "counter")
				if err != nil {
					errs <- err
					return
				}
				n, err := strconv.Atoi(string(d.Data))
				if err != nil {
					errs <- err
					return
				}
				_, err = b.Put(ctx, doc("counter", strconv.Itoa(n+1), nil), d.Version)
				switch {
				case err == nil:
					i++
				case !errors.Is(err, store.ErrConflict):
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("increment: %v", err)
	}
	want := Workers * Increments
	return expectData(ctx, b, "counter", strconv.Itoa(want), int64(want)+1)
}

func expectData(ctx context.Context, b store.Backend, id, data string, version int64) error {
	got, err := b.Get(ctx, coll, id)
	if err != nil {
		return fmt.Errorf("Get(%s): %v", id, err)
	}
	if string(got.Data) != data || got.Version != version {
		return fmt.Errorf("Get(%s) = data %q version %d, want data %q version %d", id, got.Data, got.Version, data, version)
	}
	return nil
}

func expectScan(ctx context.Context, b store.Backend, q store.Query, ids ...string) error {
	var got []string
	for d, err := range b.Scan(ctx, q) {
		if err != nil {
			return fmt.Errorf("Scan(%+v): %v", q, err)
		}
		got = append(got, d.ID)
	}
	if !slices.Equal(got, ids) {
		return fmt.Errorf("Scan(%+v) = %v, want %v", q, got, ids)
	}
	return nil
}

// firstErr is the error of the first pair seq yields; nil when it yields none, so
// that a cancelled scan which yields nothing fails the check that expects its error.
func firstErr[V any](seq iter.Seq2[V, error]) error {
	for _, err := range seq {
		return err
	}
	return nil
}
