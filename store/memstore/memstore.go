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
	"math/bits"
	"slices"
	"sync"

	"github.com/gridgov/gridgov/store"
)

// Store is an in-memory [store.Backend]. It is safe for concurrent use. The zero value
// is not usable; use [New].
type Store struct {
	// mu guards colls only: each collection has a lock of its own, so that writers to
	// different collections (a district's case streams, its claims) never wait for
	// each other. A collection, once made, is never removed.
	mu    sync.RWMutex
	colls map[string]*collection
}

type collection struct {
	// mu guards everything below.
	mu sync.RWMutex
	// docs holds each document with its log. A stored document's Data and Index never
	// change: a write installs new ones, so a reader may be lent them
	// ([Store.GetShared]) and a writer may hand its own over ([Store.AppendOwned]).
	docs map[string]stored
	// ids names each stored document by a slot number, ids[slot] being its ID ("" for a
	// free slot, which free lists), so that the index keeps 4-byte numbers: a set of a
	// value every document holds (a district, "open") has as many members as the
	// collection, and adding a number to it neither hashes an ID of 26 bytes nor reads a
	// stored ID to compare, nor gives the collector pointers to follow.
	ids  []string
	free []int32
	// index[field][value] is the set of slots whose field holds value.
	index map[string]map[string]idSet
	// ordered[field] keeps (value, ID) pairs in order for [Store.ScanRange]; a field gets
	// one the first time it is ranged over, so writes pay for order only where a
	// caller uses it.
	ordered map[string]*orderedIndex
}

// stored is one stored document and its event log ([Store.Append]); the log's Seq n is
// at position n-1, since logs have no gaps.
type stored struct {
	doc  store.Document
	log  []store.Event
	slot int32
}

var (
	_ store.Backend      = (*Store)(nil)
	_ store.Appender     = (*Store)(nil)
	_ store.Handoff      = (*Store)(nil)
	_ store.RangeScanner = (*Store)(nil)
)

// New returns an empty store.
func New() *Store { return &Store{colls: make(map[string]*collection)} }

// Get implements [store.Backend].
func (s *Store) Get(ctx context.Context, coll, id string) (store.Document, error) {
	d, err := s.get(ctx, coll, id)
	if err != nil {
		return store.Document{}, err
	}
	return clone(&d), nil
}

// GetShared implements [store.Handoff]: Get without the copy.
func (s *Store) GetShared(ctx context.Context, coll, id string) (store.Document, error) {
	return s.get(ctx, coll, id)
}

func (s *Store) get(ctx context.Context, coll, id string) (store.Document, error) {
	if err := ctx.Err(); err != nil {
		return store.Document{}, fmt.Errorf("memstore: get %s/%s: %w", coll, id, err)
	}
	if c := s.lookup(coll); c != nil {
		c.mu.RLock()
		e, ok := c.docs[id]
		c.mu.RUnlock()
		if ok {
			return e.doc, nil
		}
	}
	return store.Document{}, fmt.Errorf("memstore: get %s/%s: %w", coll, id, store.ErrNotFound)
}

// Put implements [store.Backend].
func (s *Store) Put(ctx context.Context, doc store.Document, expected int64) (int64, error) {
	v, _, err := s.write(ctx, "put", &doc, expected, nil, false)
	return v, err
}

// Append implements [store.Appender].
func (s *Store) Append(ctx context.Context, head store.Document, expected int64, events [][]byte) (int64, int64, error) {
	return s.write(ctx, "append", &head, expected, events, false)
}

// AppendOwned implements [store.Handoff]: Append keeping head's and the events' bytes
// instead of copies.
func (s *Store) AppendOwned(ctx context.Context, head store.Document, expected int64, events [][]byte) (int64, int64, error) {
	return s.write(ctx, "append", &head, expected, events, true)
}

// write is Put and Append: doc in place of the stored document if its version is
// expected, and events after its log. owned says the store may keep doc's and the
// events' bytes; otherwise it stores copies.
func (s *Store) write(ctx context.Context, op string, doc *store.Document, expected int64, events [][]byte, owned bool) (int64, int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, fmt.Errorf("memstore: %s %s/%s: %w", op, doc.Collection, doc.ID, err)
	}
	if doc.Collection == "" || doc.ID == "" {
		return 0, 0, fmt.Errorf("memstore: %s %q/%q: collection and ID are required", op, doc.Collection, doc.ID)
	}
	if expected < 0 {
		return 0, 0, fmt.Errorf("memstore: %s %s/%s: expected version %d is negative", op, doc.Collection, doc.ID, expected)
	}
	next := *doc
	if !owned {
		// Copied before taking the lock: the copy needs none.
		next = clone(doc)
	}
	c := s.coll(doc.Collection)
	c.mu.Lock()
	defer c.mu.Unlock()
	old, exists := c.docs[doc.ID]
	if err := checkVersion(old.doc, exists, expected); err != nil {
		return 0, 0, fmt.Errorf("memstore: %s %s/%s: %w", op, doc.Collection, doc.ID, err)
	}
	next.Version = expected + 1
	next.LastSeq = old.doc.LastSeq
	log := old.log
	if log == nil && len(events) > 0 {
		// Aggregates that log at all log more than once: start with room for a few.
		log = make([]store.Event, 0, max(len(events), 4))
	}
	for _, e := range events {
		if !owned {
			e = slices.Clone(e)
		}
		next.LastSeq++
		log = append(log, store.Event{Seq: next.LastSeq, Data: e})
	}
	slot := old.slot
	if !exists {
		slot = c.alloc(next.ID)
	}
	c.docs[doc.ID] = stored{doc: next, log: log, slot: slot}
	c.reindex(&old.doc, &next, exists, slot)
	return next.Version, next.LastSeq, nil
}

// lookup returns collection name, or nil when nothing was ever written to it.
func (s *Store) lookup(name string) *collection {
	s.mu.RLock()
	c := s.colls[name]
	s.mu.RUnlock()
	return c
}

// coll returns collection name, creating it.
func (s *Store) coll(name string) *collection {
	if c := s.lookup(name); c != nil {
		return c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.colls[name]
	if c == nil {
		c = &collection{docs: make(map[string]stored), index: make(map[string]map[string]idSet)}
		s.colls[name] = c
	}
	return c
}

// alloc returns a slot for a new document id.
func (c *collection) alloc(id string) int32 {
	if n := len(c.free); n > 0 {
		slot := c.free[n-1]
		c.free = c.free[:n-1]
		c.ids[slot] = id
		return slot
	}
	c.ids = append(c.ids, id)
	return int32(len(c.ids) - 1)
}

// reindex moves the index entries of the document in slot from old (none when !exists)
// to next.
func (c *collection) reindex(old, next *store.Document, exists bool, slot int32) {
	if !exists {
		for f, vals := range next.Index {
			c.indexField(f, vals, slot)
		}
		return
	}
	// Most writes leave most index values as they were (a case keeps its unit and its
	// ancestors for life): a field whose values did not change keeps its entries. A
	// changed field loses its old entries before it gains the new ones, which may
	// share values with them.
	kept := 0
	for f, vals := range next.Index {
		ov, ok := old.Index[f]
		if ok {
			kept++
			if slices.Equal(ov, vals) {
				continue
			}
			c.unindexField(f, ov, slot)
		}
		c.indexField(f, vals, slot)
	}
	if kept == len(old.Index) {
		return
	}
	for f, vals := range old.Index {
		if _, ok := next.Index[f]; !ok {
			c.unindexField(f, vals, slot)
		}
	}
}

// Events implements [store.Appender]. It takes the events after after under one read
// lock, so the caller may write while it iterates, and copies each as it yields it.
func (s *Store) Events(ctx context.Context, coll, id string, after int64) iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		evs, err := s.EventsShared(ctx, coll, id, after)
		if err != nil {
			yield(store.Event{}, err)
			return
		}
		for _, e := range evs {
			e.Data = slices.Clone(e.Data)
			if !yield(e, nil) {
				return
			}
		}
	}
}

// EventsShared implements [store.Handoff]: the events after after, lent. A log only
// grows, and an event's bytes are never changed once appended, so the part of the
// log read under the lock stays as it was: appends go past its end, a delete drops
// the whole log, and a re-created document starts a log of its own.
func (s *Store) EventsShared(ctx context.Context, coll, id string, after int64) ([]store.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: events %s/%s: %w", coll, id, err)
	}
	c := s.lookup(coll)
	if c == nil {
		return nil, nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	log := c.docs[id].log
	return slices.Clip(log[min(max(after, 0), int64(len(log))):]), nil
}

// Delete implements [store.Backend].
func (s *Store) Delete(ctx context.Context, coll, id string, expected int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", coll, id, err)
	}
	c := s.lookup(coll)
	var (
		old    stored
		exists bool
	)
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		old, exists = c.docs[id]
	}
	if !exists {
		return fmt.Errorf("memstore: delete %s/%s: %w", coll, id, store.ErrNotFound)
	}
	if err := checkVersion(old.doc, true, expected); err != nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", coll, id, err)
	}
	for f, vals := range old.doc.Index {
		c.unindexField(f, vals, old.slot)
	}
	delete(c.docs, id)
	c.ids[old.slot] = ""
	c.free = append(c.free, old.slot)
	return nil
}

// Scan implements [store.Backend]. It takes a consistent list of the matching IDs when
// it starts and then copies the documents in batches under the read lock as it goes, so the loop body may
// write to the store; a document deleted meanwhile is skipped.
func (s *Store) Scan(ctx context.Context, q store.Query) iter.Seq2[store.Document, error] {
	return s.scan(ctx, q, false)
}

// ScanShared implements [store.Handoff]: Scan without the copies.
func (s *Store) ScanShared(ctx context.Context, q store.Query) iter.Seq2[store.Document, error] {
	return s.scan(ctx, q, true)
}

// scan is Scan, lending the stored documents when shared.
func (s *Store) scan(ctx context.Context, q store.Query, shared bool) iter.Seq2[store.Document, error] {
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
			batch = s.read(q, ids[start:min(start+scanBatch, len(ids))], batch[:0], shared)
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

// read appends the documents ids that still match q: copies, or the stored documents
// when shared.
func (s *Store) read(q store.Query, ids []string, out []store.Document, shared bool) []store.Document {
	c := s.lookup(q.Collection)
	if c == nil {
		return out
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, id := range ids {
		if e, ok := c.docs[id]; ok && (q.Field == "" || slices.Contains(e.doc.Index[q.Field], q.Value)) {
			if !shared {
				e.doc = clone(&e.doc)
			}
			out = append(out, e.doc)
		}
	}
	return out
}

func (s *Store) matching(q store.Query) []string {
	c := s.lookup(q.Collection)
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var ids []string
	if q.Field == "" {
		ids = make([]string, 0, len(c.docs))
		for id := range c.docs {
			ids = append(ids, id)
		}
	} else {
		set := c.index[q.Field][q.Value]
		ids = c.appendIDs(make([]string, 0, set.len()), set)
	}
	slices.Sort(ids)
	return ids
}

func checkVersion(old store.Document, exists bool, expected int64) error {
	switch {
	case !exists && expected == 0:
		return nil
	case !exists:
		return fmt.Errorf("expected version %d of a document that does not exist: %w", expected, store.ErrNotFound)
	case old.Version != expected:
		return fmt.Errorf("expected version %d, stored version is %d: %w", expected, old.Version, store.ErrConflict)
	}
	return nil
}

func (c *collection) indexField(f string, vals []string, slot int32) {
	byVal := c.index[f]
	if byVal == nil {
		byVal = make(map[string]idSet)
		c.index[f] = byVal
	}
	for _, v := range vals {
		byVal[v] = byVal[v].add(slot)
		if o := c.ordered[f]; o != nil {
			o.insert(v, c.ids[slot])
		}
	}
}

func (c *collection) unindexField(f string, vals []string, slot int32) {
	byVal := c.index[f]
	for _, v := range vals {
		if set, ok := byVal[v]; ok {
			if set = set.remove(slot); set.empty() {
				delete(byVal, v)
			} else {
				byVal[v] = set
			}
		}
		if o := c.ordered[f]; o != nil {
			o.remove(v, c.ids[slot])
		}
	}
}

// appendIDs appends the IDs of the documents in set to ids.
func (c *collection) appendIDs(ids []string, set idSet) []string {
	switch {
	case set.bits != nil:
		for i, w := range set.bits.words {
			for ; w != 0; w &= w - 1 {
				ids = append(ids, c.ids[i<<6|bits.TrailingZeros64(w)])
			}
		}
	case set.many != nil:
		for _, slot := range set.many {
			ids = append(ids, c.ids[slot])
		}
	case set.one != 0:
		ids = append(ids, c.ids[set.one-1])
	}
	return ids
}

// idSet is the set of slots whose index field holds one value. Many values are held by
// one document at a time (a case's own next check, a state one case passes through), so
// a lone slot is kept inline, as one more than its number so that 0 means none, and a
// sorted array of slots is made only when a second one joins: a new document takes the
// highest slot unless one was freed, so most inserts append, and none moves more than
// 4 KB, where a map hashed each slot into buckets of its own (the year's largest cost
// in keeping the index). A value that many documents hold (a state, "open", a district
// every case lies in) moves to a bitmap of slots once its array reaches bitsetFrom:
// setting a bit costs a fraction of inserting into an array of 100,000, and the bitmap
// a bit per document of the collection against the array's four bytes a member. The
// slots are dense, since freed ones are reused.
type idSet struct {
	one  int32
	many []int32 // sorted; nil unless the set has held two slots
	bits *bitset
}

// bitsetFrom is the size at which a set's array becomes a bitmap. Below it a bitmap
// would cost more than the array for a value held by a few documents of a large
// collection.
const bitsetFrom = 1024

// bitset is a set of slots as bits, with its count.
type bitset struct {
	words []uint64
	n     int
}

func (s idSet) add(slot int32) idSet {
	switch {
	case s.bits != nil:
		w, b := int(slot>>6), uint64(1)<<(slot&63)
		if w >= len(s.bits.words) {
			s.bits.words = slices.Grow(s.bits.words, w+1-len(s.bits.words))[:w+1]
		}
		if s.bits.words[w]&b == 0 {
			s.bits.words[w] |= b
			s.bits.n++
		}
	case s.many != nil:
		i, found := slices.BinarySearch(s.many, slot)
		if found {
			break
		}
		s.many = slices.Insert(s.many, i, slot)
		if len(s.many) >= bitsetFrom {
			bs := &bitset{}
			for _, x := range s.many {
				s = idSet{bits: bs}.add(x)
			}
		}
	case s.one == 0 || s.one == slot+1:
		s.one = slot + 1
	default:
		a, b := s.one-1, slot
		if b < a {
			a, b = b, a
		}
		s.many = append(make([]int32, 0, 4), a, b)
		s.one = 0
	}
	return s
}

func (s idSet) remove(slot int32) idSet {
	switch {
	case s.bits != nil:
		if w, b := int(slot>>6), uint64(1)<<(slot&63); w < len(s.bits.words) && s.bits.words[w]&b != 0 {
			s.bits.words[w] &^= b
			s.bits.n--
		}
	case s.many != nil:
		if i, found := slices.BinarySearch(s.many, slot); found {
			s.many = slices.Delete(s.many, i, i+1)
		}
	case s.one == slot+1:
		s.one = 0
	}
	return s
}

func (s idSet) len() int {
	switch {
	case s.bits != nil:
		return s.bits.n
	case s.many != nil:
		return len(s.many)
	case s.one != 0:
		return 1
	}
	return 0
}

func (s idSet) empty() bool { return s.len() == 0 }

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
