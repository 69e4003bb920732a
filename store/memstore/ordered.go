package memstore

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/gridgov/gridgov/store"
)

// entry is one (value, ID) pair of an ordered index.
type entry struct{ value, id string }

func compareEntry(a, b entry) int {
	if c := cmp.Compare(a.value, b.value); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// orderedIndex keeps entries sorted in chunks of at most maxChunk, so an insert or a
// removal moves at most a chunk's worth of memory whatever the collection's size (a
// one-level B+tree), and a range is a binary search then a walk.
type orderedIndex struct {
	chunks [][]entry
}

const maxChunk = 512

// find returns the chunk that holds e or would hold it.
func (o *orderedIndex) find(e entry) int {
	i, _ := slices.BinarySearchFunc(o.chunks, e, func(c []entry, e entry) int {
		return compareEntry(c[len(c)-1], e)
	})
	return min(i, len(o.chunks)-1)
}

func (o *orderedIndex) insert(value, id string) {
	e := entry{value, id}
	if len(o.chunks) == 0 {
		o.chunks = [][]entry{{e}}
		return
	}
	ci := o.find(e)
	c := o.chunks[ci]
	j, found := slices.BinarySearchFunc(c, e, compareEntry)
	if found {
		return
	}
	c = slices.Insert(c, j, e)
	if len(c) <= maxChunk {
		o.chunks[ci] = c
		return
	}
	half := len(c) / 2
	left, right := slices.Clone(c[:half]), slices.Clone(c[half:])
	o.chunks[ci] = left
	o.chunks = slices.Insert(o.chunks, ci+1, right)
}

func (o *orderedIndex) remove(value, id string) {
	if len(o.chunks) == 0 {
		return
	}
	e := entry{value, id}
	ci := o.find(e)
	c := o.chunks[ci]
	j, found := slices.BinarySearchFunc(c, e, compareEntry)
	if !found {
		return
	}
	c = slices.Delete(c, j, j+1)
	if len(c) == 0 {
		o.chunks = slices.Delete(o.chunks, ci, ci+1)
		return
	}
	o.chunks[ci] = c
}

// appendRange appends up to n entries e with from <= e < (to, "") after the entry
// after (exclusive; the zero entry means from the start of the range).
func (o *orderedIndex) appendRange(out []entry, from, to string, after entry, started bool, n int) []entry {
	start := entry{value: from}
	if started {
		start = after
	}
	for ci := o.findFirst(start); ci < len(o.chunks); ci++ {
		c := o.chunks[ci]
		j, _ := slices.BinarySearchFunc(c, start, compareEntry)
		for _, e := range c[j:] {
			if started && compareEntry(e, after) <= 0 {
				continue
			}
			if to != "" && e.value >= to {
				return out
			}
			out = append(out, e)
			if len(out) == n {
				return out
			}
		}
	}
	return out
}

// findFirst returns the first chunk whose last entry is >= e.
func (o *orderedIndex) findFirst(e entry) int {
	i, _ := slices.BinarySearchFunc(o.chunks, e, func(c []entry, e entry) int {
		return compareEntry(c[len(c)-1], e)
	})
	return i
}

// ScanRange implements [store.RangeScanner]. It copies matching documents in batches
// under the read lock, as Scan does, so the loop body may write; a document that left
// the range meanwhile is skipped.
func (s *Store) ScanRange(ctx context.Context, q store.RangeQuery) iter.Seq2[store.Document, error] {
	return func(yield func(store.Document, error) bool) {
		var after entry
		started := false
		entries := make([]entry, 0, scanBatch)
		docs := make([]store.Document, 0, scanBatch)
		for {
			if err := ctx.Err(); err != nil {
				yield(store.Document{}, fmt.Errorf("memstore: scan range %s.%s: %w", q.Collection, q.Field, err))
				return
			}
			entries, docs = s.readRange(q, after, started, entries[:0], docs[:0])
			for _, d := range docs {
				if !yield(d, nil) {
					return
				}
			}
			if len(entries) < scanBatch {
				return
			}
			after, started = entries[len(entries)-1], true
		}
	}
}

// readRange reads the next batch of a range scan under the lock, building the field's
// ordered index the first time the field is ranged over.
func (s *Store) readRange(q store.RangeQuery, after entry, started bool, entries []entry, docs []store.Document) ([]entry, []store.Document) {
	c := s.lookup(q.Collection)
	if c == nil {
		return entries, docs
	}
	c.mu.RLock()
	o := c.ordered[q.Field]
	if o == nil {
		c.mu.RUnlock()
		c.mu.Lock()
		o = c.order(q.Field)
		c.mu.Unlock()
		c.mu.RLock()
	}
	defer c.mu.RUnlock()
	entries = o.appendRange(entries, q.From, q.To, after, started, scanBatch)
	for _, e := range entries {
		if d, ok := c.docs[e.id]; ok && slices.Contains(d.doc.Index[q.Field], e.value) {
			docs = append(docs, clone(&d.doc))
		}
	}
	return entries, docs
}

// order returns field's ordered index, building it from the inverted index if it does
// not exist yet; c.mu must be held for writing.
func (c *collection) order(field string) *orderedIndex {
	if o := c.ordered[field]; o != nil {
		return o
	}
	var all []entry
	var ids []string
	for v, set := range c.index[field] {
		ids = c.appendIDs(ids[:0], set)
		for _, id := range ids {
			all = append(all, entry{v, id})
		}
	}
	slices.SortFunc(all, compareEntry)
	o := &orderedIndex{}
	for len(all) > 0 {
		n := min(len(all), maxChunk/2)
		o.chunks = append(o.chunks, slices.Clone(all[:n]))
		all = all[n:]
	}
	if c.ordered == nil {
		c.ordered = make(map[string]*orderedIndex)
	}
	c.ordered[field] = o
	return o
}
