package hierarchy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

func TestHistoryStore_RoundTrip(t *testing.T) {
	ctx := t.Context()
	backend := memstore.New()
	hs := hierarchy.NewHistoryStore(backend)
	schema := hierarchy.QinhuaiSchema()
	base := buildFixture(t).ChangeSet("base", v1Effective)

	if h, err := hs.Load(ctx, "qinhuai", schema); err != nil || h.Len() != 0 {
		t.Fatalf("Load(empty) = %v, %v; want an empty history", h, err)
	}
	_, err := hs.Apply(ctx, "qinhuai", schema, base)
	require.NoError(t, err)
	saved, err := hs.Apply(ctx, "qinhuai", schema, renumbering())
	require.NoError(t, err)

	loaded, err := hs.Load(ctx, "qinhuai", schema)
	require.NoError(t, err)
	if loaded.Len() != 2 {
		t.Fatalf("Load() has %d versions, want 2", loaded.Len())
	}
	for v := 1; v <= 2; v++ {
		a, _ := saved.Version(v)
		b, _ := loaded.Version(v)
		if d := hierarchy.Diff(a, b); !d.IsEmpty() || !a.Effective().Equal(b.Effective()) {
			t.Errorf("version %d differs after the round trip: %+v", v, d)
		}
	}
	// The person's full resident ID survives storage although its JSON masks it.
	v1, _ := loaded.Version(1)
	p, _ := v1.Person(secretary)
	if p.ResidentID.Reveal() != "11010519491231002X" {
		t.Errorf("loaded resident ID = %v, want the full number kept", p.ResidentID)
	}
	w, _ := v1.Person(worker)
	if w.Phone.Reveal() != "13812345678" {
		t.Errorf("loaded phone = %v, want the full number kept", w.Phone)
	}
	out, _ := json.Marshal(base)
	if strings.Contains(string(out), "11010519491231002X") || !strings.Contains(string(out), "110105********002X") {
		t.Error("json.Marshal(ChangeSet) must mask resident IDs; only the store keeps them")
	}
	doc, err := backend.Get(ctx, hierarchy.HistoryCollection, "qinhuai/00000001")
	require.NoError(t, err)
	if !strings.Contains(string(doc.Data), "11010519491231002X") {
		t.Error("the stored document lacks the full resident ID")
	}
	// Other histories in the same backend are separate.
	if h, err := hs.Load(ctx, "jianye", schema); err != nil || h.Len() != 0 {
		t.Errorf("Load(jianye) = %d versions, %v", h.Len(), err)
	}
}

func TestHistoryStore_Apply_Errors(t *testing.T) {
	ctx := t.Context()
	backend := memstore.New()
	hs := hierarchy.NewHistoryStore(backend)
	schema := hierarchy.QinhuaiSchema()
	_, err := hs.Apply(ctx, "qinhuai", schema, buildFixture(t).ChangeSet("base", v1Effective))
	require.NoError(t, err)

	// A retry of the same change set is a no-op.
	h, err := hs.Apply(ctx, "qinhuai", schema, buildFixture(t).ChangeSet("base", v1Effective))
	if err != nil || h.Len() != 1 {
		t.Errorf("repeated Apply = %d versions, %v; want the stored history", h.Len(), err)
	}
	tests := []struct {
		name   string
		ctx    context.Context
		cs     hierarchy.ChangeSet
		kind   error
		reason string
	}{
		{"ErrSameIDOtherTime", ctx, hierarchy.ChangeSet{ID: "base", Effective: v2Effective}, gridgov.ErrConflict,
			"the same ID cannot mean two change sets"},
		{"ErrBackDated", ctx, hierarchy.ChangeSet{ID: "late", Effective: day(2019, 1, 1)}, gridgov.ErrPrecondition,
			"back-dated"},
		{"ErrInvalidTree", ctx, hierarchy.ChangeSet{ID: "bad", Effective: v2Effective,
			RemoveUnits: []hierarchy.UnitID{qinhong}}, gridgov.ErrInvalid, "removing a street with communities"},
		{"ErrCancelled", cancelled(ctx), renumbering(), context.Canceled, "a cancelled context writes nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := hs.Apply(tt.ctx, "qinhuai", schema, tt.cs)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Apply() error = %v, want %v (%s)", err, tt.kind, tt.reason)
			}
			h, err := hs.Load(ctx, "qinhuai", schema)
			if err != nil || h.Len() != 1 {
				t.Errorf("after a refused Apply the store holds %d versions (%v), want 1", h.Len(), err)
			}
		})
	}
}

func cancelled(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	cancel()
	return ctx
}

func TestHistoryStore_Load_OutOfSequence(t *testing.T) {
	ctx := t.Context()
	backend := memstore.New()
	hs := hierarchy.NewHistoryStore(backend)
	schema := hierarchy.QinhuaiSchema()
	_, err := hs.Apply(ctx, "qinhuai", schema, buildFixture(t).ChangeSet("base", v1Effective))
	require.NoError(t, err)
	col := store.NewCollection(backend, hierarchy.HistoryCollection, &store.CollectionOptions[map[string]any]{
		Indexes: map[string]func(map[string]any) []string{"history": func(map[string]any) []string { return []string{"qinhuai"} }},
	})
	_, err = col.Put(ctx, "qinhuai/00000003", map[string]any{"history": "qinhuai", "seq": 3, "id": "gap",
		"effective": v2Effective}, 0)
	require.NoError(t, err)
	if _, err := hs.Load(ctx, "qinhuai", schema); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Load() with a gap = %v, want ErrInvalid", err)
	}
}

// TestHistoryStore_Concurrent has writers race to append; each change set lands exactly
// once, in some order, with no lost write.
func TestHistoryStore_Concurrent(t *testing.T) {
	ctx := t.Context()
	hs := hierarchy.NewHistoryStore(memstore.New())
	schema := hierarchy.QinhuaiSchema()
	_, err := hs.Apply(ctx, "qinhuai", schema, buildFixture(t).ChangeSet("base", v1Effective))
	require.NoError(t, err)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := hierarchy.UnitID(fmt.Sprintf("%s-G%02d", kangju, i+10))
			_, errs[i] = hs.Apply(ctx, "qinhuai", schema, hierarchy.ChangeSet{ID: string(id), Effective: v2Effective,
				Units: []hierarchy.Unit{{ID: id, Name: string(id), Level: hierarchy.LevelGrid, Parent: kangju}}})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	h, err := hs.Load(ctx, "qinhuai", schema)
	require.NoError(t, err)
	latest, _ := h.Latest()
	if h.Len() != writers+1 || len(latest.Children(kangju)) != writers+1 {
		t.Errorf("after %d writers: %d versions, 康居里 has %d children; want %d and %d", writers, h.Len(),
			len(latest.Children(kangju)), writers+1, writers+1)
	}
}
