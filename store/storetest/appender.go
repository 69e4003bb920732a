package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/gridgov/gridgov/store"
)

// Concurrency of the lost-append case: AppendWorkers goroutines each make Appends
// read-head-then-append steps on one aggregate, whose log must end with exactly their
// product of events, numbered without gaps.
const (
	AppendWorkers = 16
	Appends       = 100
)

var appenderCases = []testCase[store.Appender]{
	{"AppendCreate", appendCreate},
	{"AppendStale", appendStale},
	{"AppendMissingAtVersion", appendMissingAtVersion},
	{"AppendNoEvents", appendNoEvents},
	{"PutKeepsLog", putKeepsLog},
	{"EventsAfter", eventsAfter},
	{"DeleteDropsLog", deleteDropsLog},
	{"AppendIsolation", appendIsolation},
	{"AppendCancelled", appendCancelled},
	{"NoLostAppend", noLostAppend},
}

// RunAppender runs the [store.Appender] contract as parallel subtests, each on a fresh
// backend from newBackend. A backend that implements Appender runs both [Run] and
// RunAppender.
func RunAppender(t *testing.T, newBackend func(t *testing.T) store.Appender) {
	t.Helper()
	runSuite(t, appenderCases, newBackend)
}

// CheckAppender is [RunAppender] outside `go test`: it runs every case sequentially and
// returns the failures joined; nil means conformant.
func CheckAppender(ctx context.Context, newBackend func() (store.Appender, error)) error {
	return checkSuite(ctx, appenderCases, newBackend)
}

func events(data ...string) [][]byte {
	out := make([][]byte, len(data))
	for i, d := range data {
		out[i] = []byte(d)
	}
	return out
}

// expectLog checks the head's data, version and LastSeq and the whole log.
func expectLog(ctx context.Context, b store.Appender, id, head string, version int64, log ...string) error {
	got, err := b.Get(ctx, coll, id)
	if err != nil {
		return fmt.Errorf("Get(%s): %v", id, err)
	}
	if string(got.Data) != head || got.Version != version || got.LastSeq != int64(len(log)) {
		return fmt.Errorf("Get(%s) = data %q version %d last seq %d, want %q, %d, %d", id, got.Data, got.Version, got.LastSeq, head, version, len(log))
	}
	return expectEvents(ctx, b, id, 0, log...)
}

// expectEvents checks Events(id, after): the data given, numbered after+1, after+2, ….
func expectEvents(ctx context.Context, b store.Appender, id string, after int64, log ...string) error {
	var seqs []int64
	var data []string
	for e, err := range b.Events(ctx, coll, id, after) {
		if err != nil {
			return fmt.Errorf("Events(%s, %d): %v", id, after, err)
		}
		seqs = append(seqs, e.Seq)
		data = append(data, string(e.Data))
	}
	var want []int64
	for i := range log {
		want = append(want, after+int64(i)+1)
	}
	if !slices.Equal(seqs, want) || !slices.Equal(data, log) {
		return fmt.Errorf("Events(%s, %d) = seqs %v data %q, want %v %q", id, after, seqs, data, want, log)
	}
	return nil
}

func appendCreate(ctx context.Context, b store.Appender) error {
	v, last, err := b.Append(ctx, doc("a", "h1", map[string][]string{"k": {"x"}}), 0, events("e1", "e2"))
	if err != nil || v != 1 || last != 2 {
		return fmt.Errorf("Append(a, 0, 2 events) = %d, %d, %v; want 1, 2, nil", v, last, err)
	}
	v, last, err = b.Append(ctx, doc("a", "h2", map[string][]string{"k": {"y"}}), 1, events("e3"))
	if err != nil || v != 2 || last != 3 {
		return fmt.Errorf("Append(a, 1, 1 event) = %d, %d, %v; want 2, 3, nil", v, last, err)
	}
	if err := expectLog(ctx, b, "a", "h2", 2, "e1", "e2", "e3"); err != nil {
		return err
	}
	if err := expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "x"}); err != nil {
		return fmt.Errorf("the head's old index value survived an append: %w", err)
	}
	return expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "y"}, "a")
}

func appendStale(ctx context.Context, b store.Appender) error {
	if _, _, err := b.Append(ctx, doc("a", "h1", nil), 0, events("e1")); err != nil {
		return err
	}
	if _, _, err := b.Append(ctx, doc("a", "h2", nil), 1, events("e2")); err != nil {
		return err
	}
	for _, stale := range []int64{0, 1, 3} {
		if _, _, err := b.Append(ctx, doc("a", "stale", map[string][]string{"k": {"x"}}), stale, events("bad")); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("Append at stale version %d = %v, want ErrConflict", stale, err)
		}
	}
	if err := expectLog(ctx, b, "a", "h2", 2, "e1", "e2"); err != nil {
		return fmt.Errorf("after stale appends: %w", err)
	}
	return expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "x"})
}

func appendMissingAtVersion(ctx context.Context, b store.Appender) error {
	if _, _, err := b.Append(ctx, doc("ghost", "h", nil), 2, events("e")); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("Append of a missing head at version 2 = %v, want ErrNotFound", err)
	}
	if _, err := b.Get(ctx, coll, "ghost"); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("the refused Append wrote a head: Get = %v", err)
	}
	return expectEvents(ctx, b, "ghost", 0)
}

func appendNoEvents(ctx context.Context, b store.Appender) error {
	if _, _, err := b.Append(ctx, doc("a", "h1", nil), 0, events("e1")); err != nil {
		return err
	}
	v, last, err := b.Append(ctx, doc("a", "h2", nil), 1, nil)
	if err != nil || v != 2 || last != 1 {
		return fmt.Errorf("Append(a, 1, no events) = %d, %d, %v; want 2, 1, nil", v, last, err)
	}
	return expectLog(ctx, b, "a", "h2", 2, "e1")
}

func putKeepsLog(ctx context.Context, b store.Appender) error {
	if _, _, err := b.Append(ctx, doc("a", "h1", nil), 0, events("e1", "e2")); err != nil {
		return err
	}
	if v, err := b.Put(ctx, doc("a", "h2", nil), 1); err != nil || v != 2 {
		return fmt.Errorf("Put(a, 1) after an append = %d, %v; want 2, nil", v, err)
	}
	return expectLog(ctx, b, "a", "h2", 2, "e1", "e2")
}

func eventsAfter(ctx context.Context, b store.Appender) error {
	var ver int64
	for i := range 5 {
		v, _, err := b.Append(ctx, doc("a", "h", nil), ver, events("e"+strconv.Itoa(2*i+1), "e"+strconv.Itoa(2*i+2)))
		if err != nil {
			return err
		}
		ver = v
	}
	if err := expectEvents(ctx, b, "a", 7, "e8", "e9", "e10"); err != nil {
		return err
	}
	if err := expectEvents(ctx, b, "a", 10); err != nil {
		return err
	}
	if err := expectEvents(ctx, b, "a", 99); err != nil {
		return err
	}
	// Stopping early must not break the backend.
	for range b.Events(ctx, coll, "a", 0) {
		break
	}
	return expectLog(ctx, b, "a", "h", 5, "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10")
}

func deleteDropsLog(ctx context.Context, b store.Appender) error {
	if _, _, err := b.Append(ctx, doc("a", "h1", nil), 0, events("e1", "e2")); err != nil {
		return err
	}
	if err := b.Delete(ctx, coll, "a", 1); err != nil {
		return err
	}
	if err := expectEvents(ctx, b, "a", 0); err != nil {
		return fmt.Errorf("the log survived its head's deletion: %w", err)
	}
	if _, last, err := b.Append(ctx, doc("a", "reborn", nil), 0, events("n1")); err != nil || last != 1 {
		return fmt.Errorf("Append after delete = last seq %d, %v; want 1, nil", last, err)
	}
	return expectLog(ctx, b, "a", "reborn", 1, "n1")
}

func appendIsolation(ctx context.Context, b store.Appender) error {
	evs := events("abc")
	if _, _, err := b.Append(ctx, doc("a", "h", nil), 0, evs); err != nil {
		return err
	}
	evs[0][0] = 'Z'
	for e, err := range b.Events(ctx, coll, "a", 0) {
		if err != nil {
			return err
		}
		e.Data[0] = 'Y'
	}
	return expectEvents(ctx, b, "a", 0, "abc")
}

func appendCancelled(ctx context.Context, b store.Appender) error {
	if _, _, err := b.Append(ctx, doc("a", "h1", nil), 0, events("e1")); err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := b.Append(cctx, doc("a", "h2", nil), 1, events("e2")); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("Append with a cancelled context = %v, want context.Canceled", err)
	}
	if err := firstErr(b.Events(cctx, coll, "a", 0)); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("Events with a cancelled context yielded %v, want context.Canceled", err)
	}
	return expectLog(ctx, b, "a", "h1", 1, "e1")
}

// noLostAppend has writers append concurrently while a reader checks that every head it
// reads has exactly the events its LastSeq names: an append is atomic.
func noLostAppend(ctx context.Context, b store.Appender) error {
	if _, _, err := b.Append(ctx, doc("agg", "0", nil), 0, nil); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make(chan error, AppendWorkers+1)
	done := make(chan struct{})
	for w := range AppendWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < Appends; {
				h, err := b.Get(ctx, coll, "agg")
				if err != nil {
					errs <- err
					return
				}
				n, err := strconv.Atoi(string(h.Data))
				if err != nil {
					errs <- err
					return
				}
				if int64(n) != h.LastSeq {
					errs <- fmt.Errorf("head says %d events, LastSeq is %d", n, h.LastSeq)
					return
				}
				_, _, err = b.Append(ctx, doc("agg", strconv.Itoa(n+1), nil), h.Version, events(fmt.Sprintf("w%d-%d", w, i)))
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
	var reader sync.WaitGroup
	reader.Add(1)
	go func() {
		defer reader.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			h, err := b.Get(ctx, coll, "agg")
			if err != nil {
				errs <- err
				return
			}
			n := int64(0)
			for e, err := range b.Events(ctx, coll, "agg", 0) {
				if err != nil {
					errs <- err
					return
				}
				if n++; e.Seq != n {
					errs <- fmt.Errorf("event %d has Seq %d: the log has a gap", n, e.Seq)
					return
				}
			}
			if n < h.LastSeq {
				errs <- fmt.Errorf("a head with LastSeq %d was visible with only %d events", h.LastSeq, n)
				return
			}
		}
	}()
	wg.Wait()
	close(done)
	reader.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("append: %v", err)
	}
	want := AppendWorkers * Appends
	h, err := b.Get(ctx, coll, "agg")
	if err != nil {
		return err
	}
	if string(h.Data) != strconv.Itoa(want) || h.LastSeq != int64(want) {
		return fmt.Errorf("after %d appends: head %q, LastSeq %d", want, h.Data, h.LastSeq)
	}
	seen := map[string]bool{}
	n := int64(0)
	for e, err := range b.Events(ctx, coll, "agg", 0) {
		if err != nil {
			return err
		}
		n++
		if e.Seq != n || seen[string(e.Data)] {
			return fmt.Errorf("event %d: Seq %d, data %q (seen before: %v)", n, e.Seq, e.Data, seen[string(e.Data)])
		}
		seen[string(e.Data)] = true
	}
	if n != int64(want) {
		return fmt.Errorf("log has %d events, want %d", n, want)
	}
	return nil
}
