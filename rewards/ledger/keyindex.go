package ledger

import (
	"maps"
	"strings"
)

// keyIndex maps the first seq idempotency keys of a book, the first keysLen bytes of its
// Keys, to their Seqs. It is immutable once built: a later post extends it by a layer
// on top, so books that share it, on any goroutine, never see it change. A layer
// absorbs the one below it when it is at least half as large, so each layer holds more
// than twice the keys of the one above: a lookup probes at most about log₂(seq) maps,
// and each key is copied O(log n) times over a book's life. Rebuilding the whole index
// for every post made a single payment linear in the year's entries.
type keyIndex struct {
	below   *keyIndex
	m       map[string]uint64
	seq     uint64 // the number of keys indexed, the layers below included
	keysLen int    // the bytes of Keys they take
}

// lookup returns the Seq of key.
func (x *keyIndex) lookup(key string) (uint64, bool) {
	for ; x != nil; x = x.below {
		if s, ok := x.m[key]; ok {
			return s, true
		}
	}
	return 0, false
}

// extend returns the index of keys, a book's Keys of which x (nil for none) indexes the
// first x.keysLen bytes.
func (x *keyIndex) extend(keys string) *keyIndex {
	from, seq := 0, uint64(0)
	if x != nil {
		from, seq = x.keysLen, x.seq
	}
	if from >= len(keys) {
		return x
	}
	add := keys[from:]
	if x != nil {
		// The layer keeps its own copy of its keys, not the whole Keys string of this
		// version of the book, which a cached index would otherwise hold for life.
		add = strings.Clone(add)
	}
	top := &keyIndex{below: x, m: make(map[string]uint64, strings.Count(add, "\n")), keysLen: len(keys)}
	for k := range strings.Lines(add) {
		seq++
		top.m[strings.TrimSuffix(k, "\n")] = seq
	}
	top.seq = seq
	for b := top.below; b != nil && 2*len(top.m) >= len(b.m); b = top.below {
		m := make(map[string]uint64, len(b.m)+len(top.m))
		maps.Copy(m, b.m)
		maps.Copy(m, top.m) // a key repeated in a damaged Keys resolves to its last Seq, as in one map
		top = &keyIndex{below: b.below, m: m, seq: top.seq, keysLen: top.keysLen}
	}
	return top
}
