package memstore_test

import (
	"context"
	"strings"
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
