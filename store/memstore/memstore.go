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
	// ordered[field] keeps (value, ID) pairs in order for [Store.ScanRange]; a field gets
	// one the first time it is ranged over, so writes pay for order only where a
	// caller uses it.
	ordered map[string]*orderedIndex
	// logs[id] is the event log of document id ([Store.Append]).
	logs map[string][]store.Event
}

var (
	_ store.Backend      = (*Store)(nil)
	_ store.Appender     = (*Store)(nil)
	_ store.RangeScanner = (*Store)(nil)
)

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
	c := s.coll(doc.Collection)
	old := c.docs[doc.ID]
	if err := checkVersion(old, expected); err != nil {
		return 0, fmt.Errorf("memstore: put %s/%s: %w", doc.Collection, doc.ID, err)
	}
	return c.replace(old, &doc, expected).Version, nil
}

// coll returns collection name, creating it; s.mu must be held for writing.
func (s *Store) coll(name string) *collection {
	c := s.colls[name]
	if c == nil {
		c = &collection{docs: make(map[string]*store.Document), index: make(map[string]map[string]map[string]struct{})}
		s.colls[name] = c
	}
	return c
}

// replace stores a copy of doc in place of old (nil for a create) at version
// expected+1, keeping old's log.
func (c *collection) replace(old, doc *store.Document, expected int64) *store.Document {
	next := clone(doc)
	next.Version = expected + 1
	next.LastSeq = 0
	c.docs[doc.ID] = &next
	if old == nil {
		c.reindex(&next)
		return &next
	}
	next.LastSeq = old.LastSeq
	// Most writes leave most index values as they were (a case keeps its unit and its
	// ancestors for life): a field whose values did not change keeps its entries.
	for f, vals := range old.Index {
		if nv, ok := next.Index[f]; !ok || !slices.Equal(vals, nv) {
			c.unindexField(f, vals, doc.ID)
		}
	}
	for f, vals := range next.Index {
		if ov, ok := old.Index[f]; !ok || !slices.Equal(ov, vals) {
			c.reindexField(f, vals, doc.ID)
		}
	}
	return &next
}

// Append implements [store.Appender].
func (s *Store) Append(ctx context.Context, head store.Document, expected int64, events [][]byte) (int64, int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, fmt.Errorf("memstore: append %s/%s: %w", head.Collection, head.ID, err)
	}
	if head.Collection == "" || head.ID == "" {
		return 0, 0, fmt.Errorf("memstore: append %q/%q: collection and ID are required", head.Collection, head.ID)
	}
	if expected < 0 {
		return 0, 0, fmt.Errorf("memstore: append %s/%s: expected version %d is negative", head.Collection, head.ID, expected)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll(head.Collection)
	old := c.docs[head.ID]
	if err := checkVersion(old, expected); err != nil {
		return 0, 0, fmt.Errorf("memstore: append %s/%s: %w", head.Collection, head.ID, err)
	}
	next := c.replace(old, &head, expected)
	if len(events) > 0 {
		if c.logs == nil {
			c.logs = make(map[string][]store.Event)
		}
		log := c.logs[head.ID]
		for _, e := range events {
			next.LastSeq++
			log = append(log, store.Event{Seq: next.LastSeq, Data: slices.Clone(e)})
		}
		c.logs[head.ID] = log
	}
	return next.Version, next.LastSeq, nil
}

// Events implements [store.Appender]. It copies the events after after under one read
// lock, so the caller may write while it iterates.
func (s *Store) Events(ctx context.Context, coll, id string, after int64) iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(store.Event{}, fmt.Errorf("memstore: events %s/%s: %w", coll, id, err))
			return
		}
		s.mu.RLock()
		var out []store.Event
		if c := s.colls[coll]; c != nil {
			log := c.logs[id]
			// Seq n is at position n-1: logs have no gaps.
			for _, e := range log[min(max(after, 0), int64(len(log))):] {
				out = append(out, store.Event{Seq: e.Seq, Data: slices.Clone(e.Data)})
			}
		}
		s.mu.RUnlock()
		for _, e := range out {
			if !yield(e, nil) {
				return
			}
		}
	}
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
	delete(c.logs, id)
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
		c.reindexField(f, vals, d.ID)
	}
}

func (c *collection) reindexField(f string, vals []string, id string) {
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
		ids[id] = struct{}{}
		if o := c.ordered[f]; o != nil {
			o.insert(v, id)
		}
	}
}

func (c *collection) unindex(d *store.Document) {
	for f, vals := range d.Index {
		c.unindexField(f, vals, d.ID)
	}
}

func (c *collection) unindexField(f string, vals []string, id string) {
	for _, v := range vals {
		ids := c.index[f][v]
		delete(ids, id)
		if len(ids) == 0 {
			delete(c.index[f], v)
		}
		if o := c.ordered[f]; o != nil {
			o.remove(v, id)
		}
	}
}

// clone copies d deeply so that neither the caller nor the store can change the other's
// bytes.
func clone(d *store.Document) store.Document {
	out := *d
	out.Data = slices.Clone(d.Data)
	if d.Index != nil {
		// One array holds every field's values: two allocations, not one per field.
		n := 0
		for _, vals := range d.Index {
			n += len(vals)
		}
		all := make([]string, 0, n)
		out.Index = make(map[string][]string, len(d.Index))
		for f, vals := range d.Index {
			if vals == nil {
				out.Index[f] = nil
				continue
			}
			start := len(all)
			all = append(all, vals...)
			out.Index[f] = all[start:len(all):len(all)]
		}
	}
	return out
}
