package storetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"

	"github.com/gridgov/gridgov/store"
)

// handoffCases are the [store.Handoff] contract: every case of the Backend and Appender
// suites through the owned and shared forms (but the isolation cases, which modify
// what they handed over or were lent, as the ownership rule forbids), then the cases of
// the rule itself.
var handoffCases = func() []testCase[store.Handoff] {
	var cs []testCase[store.Handoff]
	for _, tc := range cases {
		if tc.name == "Isolation" {
			continue
		}
		cs = append(cs, testCase[store.Handoff]{"Owned" + tc.name, func(ctx context.Context, b store.Handoff) error {
			return tc.run(ctx, owned{b})
		}})
	}
	for _, tc := range appenderCases {
		if tc.name == "AppendIsolation" {
			continue
		}
		cs = append(cs, testCase[store.Handoff]{"Owned" + tc.name, func(ctx context.Context, b store.Handoff) error {
			return tc.run(ctx, owned{b})
		}})
	}
	return append(cs,
		testCase[store.Handoff]{"SharedNotAliased", sharedNotAliased},
		testCase[store.Handoff]{"CopiesStillIsolated", copiesStillIsolated},
		testCase[store.Handoff]{"OwnedStaleIndex", ownedStaleIndex},
	)
}()

// RunHandoff runs the [store.Handoff] contract as parallel subtests, each on a fresh
// backend from newBackend. A backend that implements Handoff runs [Run], [RunAppender]
// and RunHandoff.
func RunHandoff(t *testing.T, newBackend func(t *testing.T) store.Handoff) {
	t.Helper()
	runSuite(t, handoffCases, newBackend)
}

// CheckHandoff is [RunHandoff] outside `go test`: it runs every case sequentially and
// returns the failures joined; nil means conformant.
func CheckHandoff(ctx context.Context, newBackend func() (store.Handoff, error)) error {
	return checkSuite(ctx, handoffCases, newBackend)
}

// owned is a Handoff backend seen through its owned and shared forms only, as a
// [store.Log] uses it: Get, Events and Scan lend, Put and Append hand over.
type owned struct{ h store.Handoff }

func (o owned) Get(ctx context.Context, coll, id string) (store.Document, error) {
	return o.h.GetShared(ctx, coll, id)
}

func (o owned) Put(ctx context.Context, d store.Document, expected int64) (int64, error) {
	v, _, err := o.h.AppendOwned(ctx, d, expected, nil)
	return v, err
}

func (o owned) Append(ctx context.Context, head store.Document, expected int64, events [][]byte) (int64, int64, error) {
	return o.h.AppendOwned(ctx, head, expected, events)
}

func (o owned) Delete(ctx context.Context, coll, id string, expected int64) error {
	return o.h.Delete(ctx, coll, id, expected)
}

func (o owned) Scan(ctx context.Context, q store.Query) iter.Seq2[store.Document, error] {
	return o.h.ScanShared(ctx, q)
}

func (o owned) Events(ctx context.Context, coll, id string, after int64) iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		evs, err := o.h.EventsShared(ctx, coll, id, after)
		if err != nil {
			yield(store.Event{}, err)
			return
		}
		for _, e := range evs {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// sharedNotAliased checks that bytes lent by GetShared never change, whatever is written
// after: an owned append, a copied Put, an append of events, a delete and re-create.
func sharedNotAliased(ctx context.Context, b store.Handoff) error {
	if _, _, err := b.AppendOwned(ctx, doc("a", "first", map[string][]string{"k": {"x"}}), 0, events("e1")); err != nil {
		return err
	}
	first, err := b.GetShared(ctx, coll, "a")
	if err != nil {
		return err
	}
	if string(first.Data) != "first" || first.Version != 1 || first.LastSeq != 1 || !slices.Equal(first.Index["k"], []string{"x"}) {
		return fmt.Errorf("GetShared(a) = %+v, want data first, version 1, last seq 1, index k [x]", first)
	}
	firstLog, err := b.EventsShared(ctx, coll, "a", 0)
	if err != nil {
		return err
	}
	checkLog := func(step string, evs []store.Event, want ...string) error {
		var got []string
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				return fmt.Errorf("after %s, events lent earlier have seq %d at position %d", step, e.Seq, i)
			}
			got = append(got, string(e.Data))
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("after %s, events lent earlier read %q, want %q", step, got, want)
		}
		return nil
	}
	if err := checkLog("the first append", firstLog, "e1"); err != nil {
		return err
	}
	var scanned []store.Document
	for d, err := range b.ScanShared(ctx, store.Query{Collection: coll, Field: "k", Value: "x"}) {
		if err != nil {
			return err
		}
		scanned = append(scanned, d)
	}
	if len(scanned) != 1 {
		return fmt.Errorf("ScanShared(k=x) found %d documents, want a", len(scanned))
	}
	check := func(step string, d store.Document, data, value string) error {
		if string(d.Data) != data || !slices.Equal(d.Index["k"], []string{value}) {
			return fmt.Errorf("after %s, bytes lent earlier read %q %v, want %q [%s]", step, d.Data, d.Index, data, value)
		}
		return nil
	}
	// Same length as the lent bytes, so that a backend writing in place would fit.
	if _, _, err := b.AppendOwned(ctx, doc("a", "owned", map[string][]string{"k": {"y"}}), 1, events("e2")); err != nil {
		return err
	}
	if err := check("an owned append", first, "first", "x"); err != nil {
		return err
	}
	if err := checkLog("an owned append", firstLog, "e1"); err != nil {
		return err
	}
	second, err := b.GetShared(ctx, coll, "a")
	if err != nil {
		return err
	}
	secondLog, err := b.EventsShared(ctx, coll, "a", 0)
	if err != nil {
		return err
	}
	if tail, err := b.EventsShared(ctx, coll, "a", 1); err != nil || len(tail) != 1 || tail[0].Seq != 2 || string(tail[0].Data) != "e2" {
		return fmt.Errorf("EventsShared(a, after 1) = %v, %v; want e2 at seq 2", tail, err)
	}
	if _, err := b.Put(ctx, doc("a", "third", map[string][]string{"k": {"z"}}), 2); err != nil {
		return err
	}
	if _, _, err := b.Append(ctx, doc("a", "fourth", map[string][]string{"k": {"w"}}), 3, events("e3")); err != nil {
		return err
	}
	if err := b.Delete(ctx, coll, "a", 4); err != nil {
		return err
	}
	if _, _, err := b.AppendOwned(ctx, doc("a", "fifth", map[string][]string{"k": {"v"}}), 0, nil); err != nil {
		return err
	}
	if err := check("later writes", first, "first", "x"); err != nil {
		return err
	}
	if err := check("later writes", second, "owned", "y"); err != nil {
		return err
	}
	if err := checkLog("later writes", firstLog, "e1"); err != nil {
		return err
	}
	if err := check("later writes", scanned[0], "first", "x"); err != nil {
		return fmt.Errorf("scanned: %w", err)
	}
	if err := checkLog("later writes", secondLog, "e1", "e2"); err != nil {
		return err
	}
	return expectLog(ctx, owned{b}, "a", "fifth", 1)
}

// copiesStillIsolated checks that the copying forms keep their isolation on a backend
// that also lends and takes bytes: the caller's bytes after Put and Append, and a
// copy from Get, may be modified without reaching the stored ones.
func copiesStillIsolated(ctx context.Context, b store.Handoff) error {
	in := doc("a", "abc", map[string][]string{"k": {"x"}})
	evs := events("e1")
	if _, _, err := b.Append(ctx, in, 0, evs); err != nil {
		return err
	}
	in.Data[0], in.Index["k"][0], evs[0][0] = 'Z', "changed", 'Z'
	got, err := b.Get(ctx, coll, "a")
	if err != nil {
		return err
	}
	got.Data[0], got.Index["k"][0] = 'Y', "changed"
	shared, err := b.GetShared(ctx, coll, "a")
	if err != nil {
		return err
	}
	if string(shared.Data) != "abc" || !slices.Equal(shared.Index["k"], []string{"x"}) {
		return fmt.Errorf("changing copies changed the stored document: %q %v", shared.Data, shared.Index)
	}
	return expectLog(ctx, owned{b}, "a", "abc", 1, "e1")
}

// ownedStaleIndex checks that a refused owned append leaves no trace: not its head,
// not its index values, not its events; and that a cancelled one is refused first.
func ownedStaleIndex(ctx context.Context, b store.Handoff) error {
	if _, _, err := b.AppendOwned(ctx, doc("a", "h1", map[string][]string{"k": {"x"}}), 0, events("e1")); err != nil {
		return err
	}
	if _, _, err := b.AppendOwned(ctx, doc("a", "stale", map[string][]string{"k": {"stale"}}), 0, events("bad")); !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("AppendOwned at a stale version = %v, want ErrConflict", err)
	}
	if _, _, err := b.AppendOwned(ctx, doc("b", "ghost", map[string][]string{"k": {"stale"}}), 1, nil); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("AppendOwned of a missing document at version 1 = %v, want ErrNotFound", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := b.AppendOwned(cctx, doc("a", "late", map[string][]string{"k": {"stale"}}), 1, events("bad")); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("AppendOwned with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := b.GetShared(cctx, coll, "a"); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("GetShared with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := b.GetShared(ctx, coll, "b"); !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("GetShared of a missing document = %v, want ErrNotFound", err)
	}
	if _, err := b.EventsShared(cctx, coll, "a", 0); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("EventsShared with a cancelled context = %v, want context.Canceled", err)
	}
	if err := firstErr(b.ScanShared(cctx, store.Query{Collection: coll})); !errors.Is(err, context.Canceled) {
		return fmt.Errorf("ScanShared with a cancelled context yielded %v first, want context.Canceled", err)
	}
	if evs, err := b.EventsShared(ctx, coll, "b", 0); err != nil || len(evs) != 0 {
		return fmt.Errorf("EventsShared of a missing document = %v, %v; want none and no error", evs, err)
	}
	if err := expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "stale"}); err != nil {
		return fmt.Errorf("a refused owned append left its index values: %w", err)
	}
	if err := expectScan(ctx, b, store.Query{Collection: coll, Field: "k", Value: "x"}, "a"); err != nil {
		return err
	}
	return expectLog(ctx, owned{b}, "a", "h1", 1, "e1")
}
