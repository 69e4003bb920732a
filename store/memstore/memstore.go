// Package memstore is the built-in, in-memory [store.Backend]: the default behind every
// gridgov service, and the reference implementation that passes
// [github.com/gridgov/gridgov/store/storetest.Run].
//
// It keeps each collection in a map with one inverted index per declared field, so a
// scan by index costs the number of matching documents, not the size of the collection.
// Nothing is persisted: a process restart loses everything.
package memstore

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/gridgov/gridgov/store"
)

// Store is an in-memory [store.Backend]. It is safe for concurrent use. The zero value
// is not usable; use [New].
type Store struct {
	mu    sync.RWMutex
	colls map[string]*collection
}

type collection struct {
	docs map[string]*store.Document
	// index[field][value] is the set of IDs whose field holds value.
	index map[string]map[string]map[string]struct{}
}

var _ store.Backend = (*Store)(nil)

// New returns an empty store.
func New() *Store { return &Store{colls: make(map[string]*collection)} }

// Get implements [store.Backend].
func (s *Store) Get(ctx context.Context, coll, id string) (store.Document, error) {
	if err := ctx.Err(); err != nil {
		return store.Document{}, fmt.Errorf("memstore: get %s/%s: %w", coll, id, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.colls[coll]
	if c == nil || c.docs[id] == nil {
		return store.Document{}, fmt.Errorf("memstore: get %s/%s: %w", coll, id, store.ErrNotFound)
	}
	return clone(c.docs[id]), nil
}

// Put implements [store.Backend].
func (s *Store) Put(ctx context.Context, doc store.Document, expected int64) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("memstore: put %s/%s: %w", doc.Collection, doc.ID, err)
	}
	if doc.Collection == "" || doc.ID == "" {
		return 0, fmt.Errorf("memstore: put %q/%q: collection and ID are required", doc.Collection, doc.ID)
	}
	if expected < 0 {
		return 0, fmt.Errorf("memstore: put %s/%s: expected version %d is negative", doc.Collection, doc.ID, expected)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.colls[doc.Collection]
	if c == nil {
		c = &collection{docs: make(map[string]*store.Document), index: make(map[string]map[string]map[string]struct{})}
		s.colls[doc.Collection] = c
	}
	old := c.docs[doc.ID]
	if err := checkVersion(old, expected); err != nil {
		return 0, fmt.Errorf("memstore: put %s/%s: %w", doc.Collection, doc.ID, err)
	}
	next := clone(&doc)
	next.Version = expected + 1
	if old != nil {
		c.unindex(old)
	}
	c.docs[doc.ID] = &next
	c.reindex(&next)
	return next.Version, nil
}

// Delete implements [store.Backend].
func (s *Store) Delete(ctx context.Context, coll, id string, expected int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", coll, id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.colls[coll]
	var old *store.Document
	if c != nil {
		old = c.docs[id]
	}
	if old == nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", coll, id, store.ErrNotFound)
	}
	if err := checkVersion(old, expected); err != nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", coll, id, err)
	}
	c.unindex(old)
	delete(c.docs, id)
	return nil
}

// Scan implements [store.Backend]. It takes a consistent list of the matching IDs when
// it starts and then copies the documents in batches under the read lock as it goes, so the loop body may
// write to the store; a document deleted meanwhile is skipped.
func (s *Store) Scan(ctx context.Context, q store.Query) iter.Seq2[store.Document, error] {
	return func(yield func(store.Document, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(store.Document{}, fmt.Errorf("memstore: scan %s: %w", q.Collection, err))
			return
		}
		ids := s.matching(q)
		batch := make([]store.Document, 0, scanBatch)
		for start := 0; start < len(ids); start += scanBatch {
			if err := ctx.Err(); err != nil {
				yield(store.Document{}, fmt.Errorf("memstore: scan %s: %w", q.Collection, err))
				return
			}
			batch = s.read(q, ids[start:min(start+scanBatch, len(ids))], batch[:0])
			for _, doc := range batch {
				if !yield(doc, nil) {
					return
				}
			}
		}
	}
}

// scanBatch is how many documents Scan copies under one read lock: large enough to make
// locking cheap, small enough that writers never wait long behind a scan.
const scanBatch = 256

// read appends copies of the documents ids that still match q.
func (s *Store) read(q store.Query, ids []string, out []store.Document) []store.Document {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.colls[q.Collection]
	if c == nil {
		return out
	}
	for _, id := range ids {
		if d := c.docs[id]; d != nil && (q.Field == "" || slices.Contains(d.Index[q.Field], q.Value)) {
			out = append(out, clone(d))
		}
	}
	return out
}

func (s *Store) matching(q store.Query) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.colls[q.Collection]
	if c == nil {
		return nil
	}
	var ids []string
	if q.Field == "" {
		ids = make([]string, 0, len(c.docs))
		for id := range c.docs {
			ids = append(ids, id)
		}
	} else {
		set := c.index[q.Field][q.Value]
		ids = make([]string, 0, len(set))
		for id := range set {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func checkVersion(old *store.Document, expected int64) error {
	switch {
	case old == nil && expected == 0:
		return nil
	case old == nil:
		return fmt.Errorf("expected version %d of a document that does not exist: %w", expected, store.ErrNotFound)
	case old.Version != expected:
		return fmt.Errorf("expected version %d, stored version is %d: %w", expected, old.Version, store.ErrConflict)
	}
	return nil
}

func (c *collection) reindex(d *store.Document) {
	for f, vals := range d.Index {
		byVal := c.index[f]
		if byVal == nil {
			byVal = make(map[string]map[string]struct{})
			c.index[f] = byVal
		}
		for _, v := range vals {
			ids := byVal[v]
			if ids == nil {
				ids = make(map[string]struct{})
				byVal[v] = ids
			}
			ids[d.ID] = struct{}{}
		}
	}
}

func (c *collection) unindex(d *store.Document) {
	for f, vals := range d.Index {
		for _, v := range vals {
			ids := c.index[f][v]
			delete(ids, d.ID)
			if len(ids) == 0 {
				delete(c.index[f], v)
			}
		}
	}
}

// clone copies d deeply so that neither the caller nor the store can change the other's
// bytes.
func clone(d *store.Document) store.Document {
	out := *d
	out.Data = slices.Clone(d.Data)
	if d.Index != nil {
		out.Index = make(map[string][]string, len(d.Index))
		for f, vals := range d.Index {
			out.Index[f] = slices.Clone(vals)
		}
	}
	return out
}
