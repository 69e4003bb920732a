package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

type head struct {
	State string `json:"state"`
	N     int    `json:"n"`
}

type event struct {
	Kind string `json:"kind"`
}

// putOnly hides memstore's Appender, as a backend with only the basic contract would.
type putOnly struct{ store.Backend }

// appendOnly hides memstore's Handoff, as a backend that copies what it keeps would.
type appendOnly struct{ store.Appender }

func TestLog_AppendAndHistory(t *testing.T) {
	for _, tc := range []struct {
		name    string
		backend store.Backend
		native  bool
	}{
		{"Appender", memstore.New(), true},
		{"AppenderWithoutHandoff", appendOnly{memstore.New()}, true},
		{"OneDocument", putOnly{memstore.New()}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			l := store.NewLog[head, event](tc.backend, "cases", &store.CollectionOptions[head]{
				Indexes: map[string]func(head) []string{"state": func(h head) []string { return []string{h.State} }},
			})
			if l.Native() != tc.native {
				t.Fatalf("Native() = %v, want %v", l.Native(), tc.native)
			}
			h, err := l.Append(ctx, "c1", head{"open", 1}, 0, event{"report"})
			if err != nil || h.Version != 1 || h.LastSeq != 1 {
				t.Fatalf("Append(create) = %+v, %v; want version 1, last seq 1", h, err)
			}
			h, err = l.Append(ctx, "c1", head{"closed", 3}, 1, event{"dispatch"}, event{"close"})
			if err != nil || h.Version != 2 || h.LastSeq != 3 {
				t.Fatalf("Append = %+v, %v; want version 2, last seq 3", h, err)
			}
			if _, err := l.Append(ctx, "c1", head{"stale", 9}, 1, event{"lost"}); !errors.Is(err, store.ErrConflict) {
				t.Fatalf("Append at a stale version = %v, want ErrConflict", err)
			}
			got, err := l.Get(ctx, "c1")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(store.Head[head]{ID: "c1", Version: 2, LastSeq: 3, Value: head{"closed", 3}}, got); diff != "" {
				t.Errorf("Get mismatch (-want +got):\n%s", diff)
			}
			hist, err := l.History(ctx, "c1", 1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]event{{"dispatch"}, {"close"}}, hist); diff != "" {
				t.Errorf("History(after 1) mismatch (-want +got):\n%s", diff)
			}
			if hist, err := l.History(ctx, "missing", 0); err != nil || len(hist) != 0 {
				t.Errorf("History(missing) = %v, %v; want nothing", hist, err)
			}
			if _, err := l.Get(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get(missing) = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestCollection_ScanRange(t *testing.T) {
	for _, tc := range []struct {
		name    string
		backend store.Backend
	}{{"RangeScanner", memstore.New()}, {"FullScanFallback", putOnly{memstore.New()}}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c := store.NewCollection(tc.backend, "cases", &store.CollectionOptions[head]{
				Indexes: map[string]func(head) []string{"due": func(h head) []string { return []string{h.State} }},
			})
			for id, due := range map[string]string{"a": "2026-12-03", "b": "2026-12-01", "c": "2027-01-05", "d": "2026-12-01"} {
				if _, err := c.Put(ctx, id, head{State: due}, 0); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for v, err := range c.ScanRange(ctx, "due", "", "2026-12-31") {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, v.ID)
			}
			if diff := cmp.Diff([]string{"b", "d", "a"}, got); diff != "" {
				t.Errorf("ScanRange mismatch (-want +got):\n%s", diff)
			}
			for _, err := range c.ScanRange(ctx, "nope", "", "") {
				if err == nil {
					t.Error("ScanRange on an undeclared field yielded no error")
				}
			}
		})
	}
}

// TestLog_ScanHeads: Scan and ScanRange yield decoded heads on both storage forms, so
// a domain service can list and range over log-backed aggregates.
func TestLog_ScanHeads(t *testing.T) {
	for _, tc := range []struct {
		name    string
		backend store.Backend
	}{
		{"Appender", memstore.New()},
		{"OneDocument", putOnly{memstore.New()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			l := store.NewLog[head, event](tc.backend, "cases", &store.CollectionOptions[head]{
				Indexes: map[string]func(head) []string{"state": func(h head) []string { return []string{h.State} }},
			})
			for i, st := range []string{"b-open", "a-closed", "c-open"} {
				if _, err := l.Append(ctx, st, head{st, i}, 0, event{"report"}, event{"x"}); err != nil {
					t.Fatal(err)
				}
			}
			var ids []string
			for h, err := range l.Scan(ctx, "state", "c-open") {
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, h.ID)
				if h.Value.N != 2 || h.Version != 1 {
					t.Errorf("Scan head %+v, want N 2 at version 1", h)
				}
			}
			if diff := cmp.Diff([]string{"c-open"}, ids); diff != "" {
				t.Errorf("Scan ids (-want +got):\n%s", diff)
			}
			ids = nil
			for h, err := range l.ScanRange(ctx, "state", "a", "c") {
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, h.Value.State)
			}
			if diff := cmp.Diff([]string{"a-closed", "b-open"}, ids); diff != "" {
				t.Errorf("ScanRange states (-want +got):\n%s", diff)
			}
			for _, err := range l.Scan(ctx, "missing", "x") {
				if err == nil {
					t.Error("Scan of an undeclared field succeeded")
				}
			}
		})
	}
}

func ExampleLog_History() {
	ctx := context.Background()
	type note struct {
		Text string `json:"text"`
	}
	// A head (here the case's status) and its events: each Append writes the new head
	// and the events after it in one compare-and-swap on the head's version.
	cases := store.NewLog[ticket, note](memstore.New(), "cases", nil)
	h, err := cases.Append(ctx, "case-1", ticket{Unit: "320104002001", Status: "open"}, 0, note{"reported"})
	if err != nil {
		panic(err)
	}
	if _, err := cases.Append(ctx, "case-1", ticket{Unit: "320104002001", Status: "closed"}, h.Version,
		note{"handled"}, note{"closed"}); err != nil {
		panic(err)
	}
	// A stale version is refused and writes nothing.
	if _, err := cases.Append(ctx, "case-1", ticket{Status: "reopened"}, h.Version, note{"late"}); errors.Is(err, store.ErrConflict) {
		fmt.Println("stale append refused")
	}
	head, err := cases.Get(ctx, "case-1")
	if err != nil {
		panic(err)
	}
	events, err := cases.History(ctx, "case-1", 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s v%d, %d events:", head.Value.Status, head.Version, head.LastSeq)
	for _, e := range events {
		fmt.Print(" ", e.Text)
	}
	fmt.Println()
	// Output:
	// stale append refused
	// closed v2, 3 events: reported handled closed
}
