package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

type ticket struct {
	Unit   string `json:"unit"`
	Status string `json:"status"`
	Count  int    `json:"count"`
}

func tickets(b store.Backend) *store.Collection[ticket] {
	return store.NewCollection(b, "tickets", &store.CollectionOptions[ticket]{
		Indexes: map[string]func(ticket) []string{
			"unit":   func(t ticket) []string { return []string{t.Unit} },
			"status": func(t ticket) []string { return []string{t.Status} },
		},
	})
}

func TestCollection_PutGetScan(t *testing.T) {
	ctx := t.Context()
	c := tickets(memstore.New())
	v, err := c.Put(ctx, "t1", ticket{Unit: "u1", Status: "open"}, 0)
	require.NoError(t, err)
	_, err = c.Put(ctx, "t2", ticket{Unit: "u2", Status: "open"}, 0)
	require.NoError(t, err)
	// t1 moves to u2 and closes: the scans must follow it.
	_, err = c.Put(ctx, "t1", ticket{Unit: "u2", Status: "closed"}, v)
	require.NoError(t, err)

	got, err := c.Get(ctx, "t1")
	require.NoError(t, err)
	if diff := cmp.Diff(store.Versioned[ticket]{ID: "t1", Version: 2, Value: ticket{Unit: "u2", Status: "closed"}}, got); diff != "" {
		t.Errorf("Get(t1) mismatch (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		field, value string
		want         []string
	}{
		{"unit", "u1", nil},
		{"unit", "u2", []string{"t1", "t2"}},
		{"status", "open", []string{"t2"}},
		{"", "", []string{"t1", "t2"}},
	} {
		all, err := c.All(ctx, tc.field, tc.value)
		require.NoError(t, err)
		var ids []string
		for _, v := range all {
			ids = append(ids, v.ID)
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" {
			t.Errorf("All(%q, %q) mismatch (-want +got):\n%s", tc.field, tc.value, diff)
		}
	}
}

func TestCollection_Errors(t *testing.T) {
	ctx := t.Context()
	b := memstore.New()
	c := tickets(b)
	_, err := c.Get(ctx, "none")
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(none) = %v, want ErrNotFound", err)
	}
	_, err = c.Put(ctx, "t1", ticket{Unit: "u1"}, 0)
	require.NoError(t, err)
	if _, err := c.Put(ctx, "t1", ticket{Unit: "lost"}, 0); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second create = %v, want ErrConflict", err)
	}
	if _, err := c.All(ctx, "owner", "x"); err == nil {
		t.Error("All on an undeclared index field = nil error, want one")
	}
	// A document that does not decode is reported, with its ID, not skipped.
	_, err = b.Put(ctx, store.Document{Collection: "tickets", ID: "bad", Data: []byte("{")}, 0)
	require.NoError(t, err)
	if _, err := c.Get(ctx, "bad"); err == nil {
		t.Error("Get of an undecodable document = nil error, want one")
	}
	if _, err := c.All(ctx, "", ""); err == nil {
		t.Error("All over an undecodable document = nil error, want one")
	}
	got, err := c.Get(ctx, "t1")
	require.NoError(t, err)
	if got.Value.Unit != "u1" || got.Version != 1 {
		t.Errorf("after refused writes Get(t1) = %+v, want unit u1 at version 1", got)
	}
}

func TestCollection_Update(t *testing.T) {
	ctx := t.Context()
	c := tickets(memstore.New())
	const workers, each = 16, 100
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := c.Update(ctx, "t", func(cur ticket, exists bool) (ticket, error) {
					if !exists {
						cur = ticket{Unit: "u1", Status: "open"}
					}
					cur.Count++
					return cur, nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got, err := c.Get(ctx, "t")
	require.NoError(t, err)
	if got.Value.Count != workers*each {
		t.Errorf("after %d concurrent increments Count = %d", workers*each, got.Value.Count)
	}

	refuse := errors.New("refused")
	if _, err := c.Update(ctx, "t", func(ticket, bool) (ticket, error) { return ticket{}, refuse }); !errors.Is(err, refuse) {
		t.Errorf("Update with a refusing decision = %v, want the decision's error", err)
	}
	after, err := c.Get(ctx, "t")
	require.NoError(t, err)
	if after.Version != got.Version {
		t.Errorf("a refused Update wrote: version %d -> %d", got.Version, after.Version)
	}
}

// racingBackend lets another writer win every compare-and-swap, so Update must give up.
// It embeds the plain port, so that memstore's optional capabilities, which a
// Collection prefers to Put, do not bypass its Put.
type racingBackend struct{ store.Backend }

func (r racingBackend) Put(ctx context.Context, d store.Document, expected int64) (int64, error) {
	if cur, err := r.Backend.Get(ctx, d.Collection, d.ID); err == nil {
		if _, err := r.Backend.Put(ctx, cur, cur.Version); err != nil {
			return 0, err
		}
	} else if _, err := r.Backend.Put(ctx, d, 0); err != nil {
		return 0, err
	}
	return r.Backend.Put(ctx, d, expected)
}

func TestCollection_UpdateGivesUp(t *testing.T) {
	c := store.NewCollection(racingBackend{memstore.New()}, "tickets", &store.CollectionOptions[ticket]{MaxRetries: 3})
	calls := 0
	_, err := c.Update(t.Context(), "t", func(cur ticket, _ bool) (ticket, error) {
		calls++
		return cur, nil
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("Update against a writer that always wins = %v, want ErrConflict", err)
	}
	if calls != 3 {
		t.Errorf("decision called %d times, want MaxRetries = 3", calls)
	}
}

func ExampleCollection_Update() {
	ctx := context.Background()
	cases := store.NewCollection(memstore.New(), "cases", &store.CollectionOptions[ticket]{
		Indexes: map[string]func(ticket) []string{"unit": func(t ticket) []string { return []string{t.Unit} }},
	})
	// Load, decide, compare-and-swap: the decision is re-run if another writer wins.
	for range 3 {
		if _, err := cases.Update(ctx, "case-1", func(cur ticket, exists bool) (ticket, error) {
			if !exists {
				cur = ticket{Unit: "320104002001", Status: "open"}
			}
			cur.Count++
			return cur, nil
		}); err != nil {
			panic(err)
		}
	}
	for v, err := range cases.Scan(ctx, "unit", "320104002001") {
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s v%d %s count=%d\n", v.ID, v.Version, v.Value.Status, v.Value.Count)
	}
	// Output: case-1 v3 open count=3
}

// TestCollection_OwnsIndexValues: on a backend that keeps what it is handed
// ([store.Handoff]), the Collection hands over copies of the index values, so an index
// function returning a slice it later changes cannot change what is stored.
func TestCollection_OwnsIndexValues(t *testing.T) {
	ctx := t.Context()
	reused := []string{"u1"}
	b := memstore.New()
	c := store.NewCollection(b, "tickets", &store.CollectionOptions[ticket]{
		Indexes: map[string]func(ticket) []string{"unit": func(ticket) []string { return reused }},
	})
	for _, id := range []string{"t1", "t2"} {
		_, err := c.Put(ctx, id, ticket{Status: "open"}, 0)
		require.NoError(t, err)
	}
	reused[0] = "u9"
	doc, err := b.GetShared(ctx, "tickets", "t1")
	require.NoError(t, err)
	if got := doc.Index["unit"]; len(got) != 1 || got[0] != "u1" {
		t.Errorf("stored index of t1 = %v after the index function's slice changed, want [u1]", got)
	}
	all, err := c.All(ctx, "unit", "u1")
	require.NoError(t, err)
	if len(all) != 2 {
		t.Errorf("Scan(unit, u1) = %d tickets, want 2", len(all))
	}
}
