package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sort"
	"sync"
)

// Versioned is a decoded document with the version a later Put must name.
type Versioned[T any] struct {
	ID      string
	Version int64
	Value   T
}

// CollectionOptions configures a [Collection]. A nil *CollectionOptions means defaults.
type CollectionOptions[T any] struct {
	// Indexes declares the index fields of the collection: for each field name, a
	// function returning the values a document holds for it. Default: none.
	Indexes map[string]func(T) []string
	// MaxRetries bounds the attempts of [Collection.Update] when other writers keep
	// winning the compare-and-swap. Every lost attempt means another writer succeeded,
	// so the bound only guards against a starved writer, not a livelock; with a dozen
	// writers on one hot document on two cores, runs of a few dozen losses are normal.
	// Default: 1000.
	MaxRetries int
	// Encode, when set, encodes values instead of encoding/json's reflection: it appends
	// the encoding of *v to dst. It must write JSON that encoding/json decodes back into
	// the same value, since reads still decode with encoding/json (and so documents
	// written before or without it still read). A hand-written encoder is faster and
	// allocates less; test it against json.Marshal for every field of T. v is passed by
	// value so that encoding does not move it to the heap.
	Encode func(dst []byte, v T) ([]byte, error)
	// Decode, when set, decodes stored values instead of encoding/json's reflection:
	// it decodes data into *v, which points at a zero T. It must give exactly the value
	// and the error-ness json.Unmarshal gives for any stored JSON, not only for what
	// Encode writes: documents written by older versions or other writers, with
	// unknown keys, nulls, members in another order or strings escaped otherwise. The
	// way to keep that promise is to parse fast exactly the shape Encode writes and to
	// hand anything else to json.Unmarshal (into a fresh zero value, since the fast
	// path may have filled part of *v). Its error is wrapped with the collection and
	// ID, as encoding/json's is. Default: json.Unmarshal.
	Decode func(data []byte, v *T) error
}

// Collection is a typed view of one collection of a [Backend]: values of type T are
// stored as JSON with their declared index fields, so a domain package gets Get, Put,
// Scan and Update of its own aggregates without writing storage code.
//
// A Collection is safe for concurrent use when its Backend is. The zero value is not
// usable; use [NewCollection].
type Collection[T any] struct {
	b       Backend
	h       Handoff // b's, nil when it has none
	name    string
	indexes map[string]func(T) []string
	fields  []string
	fns     []func(T) []string // fns[i] is indexes[fields[i]]
	retries int
	enc     func(dst []byte, v T) ([]byte, error)
	dec     func(data []byte, v *T) error
	// scratch holds *[]byte buffers the encoder writes into before the encoding is
	// copied out at its exact size: the copy a backend keeps (a Handoff backend keeps
	// this very one) has no slack, and encodings of varying size never regrow a buffer
	// sized for the last one.
	scratch sync.Pool
}

// NewCollection returns the collection name of backend b.
func NewCollection[T any](b Backend, name string, opts *CollectionOptions[T]) *Collection[T] {
	c := &Collection[T]{b: b, name: name, retries: 1000}
	c.h, _ = b.(Handoff)
	if opts != nil {
		c.indexes = opts.Indexes
		c.enc = opts.Encode
		c.dec = opts.Decode
		if opts.MaxRetries > 0 {
			c.retries = opts.MaxRetries
		}
	}
	for f := range c.indexes {
		c.fields = append(c.fields, f)
	}
	sort.Strings(c.fields)
	for _, f := range c.fields {
		c.fns = append(c.fns, c.indexes[f])
	}
	return c
}

// Name returns the collection's name.
func (c *Collection[T]) Name() string { return c.name }

// Get returns the value stored under id with its version, or an error wrapping
// ErrNotFound.
func (c *Collection[T]) Get(ctx context.Context, id string) (Versioned[T], error) {
	doc, err := c.get(ctx, id)
	if err != nil {
		return Versioned[T]{}, fmt.Errorf("store: get %s/%s: %w", c.name, id, err)
	}
	return c.decode(doc)
}

// Put stores v under id if the stored version is expected (0 to create) and returns the
// new version. A stale expected version returns an error wrapping ErrConflict and
// writes nothing.
func (c *Collection[T]) Put(ctx context.Context, id string, v T, expected int64) (int64, error) {
	doc, err := c.encode(id, v)
	if err != nil {
		return 0, err
	}
	var ver int64
	if c.h != nil {
		// An append without events is a Put (see [Appender]); the owned form keeps the
		// encoding instead of copying it.
		ver, _, err = c.h.AppendOwned(ctx, doc, expected, nil)
	} else {
		ver, err = c.b.Put(ctx, doc, expected)
	}
	if err != nil {
		return 0, fmt.Errorf("store: put %s/%s at version %d: %w", c.name, id, expected, err)
	}
	return ver, nil
}

// Delete removes id if its stored version is expected.
func (c *Collection[T]) Delete(ctx context.Context, id string, expected int64) error {
	if err := c.b.Delete(ctx, c.name, id, expected); err != nil {
		return fmt.Errorf("store: delete %s/%s at version %d: %w", c.name, id, expected, err)
	}
	return nil
}

// Scan yields the documents whose index field holds value, in ascending ID order; an
// empty field yields the whole collection. A decoding or backend error is yielded once
// and ends the scan.
func (c *Collection[T]) Scan(ctx context.Context, field, value string) iter.Seq2[Versioned[T], error] {
	return decodeAll(c.scanDocs(ctx, field, value), c.decode)
}

// scanDocs is Scan before decoding, for [Log] to decode heads its own way.
func (c *Collection[T]) scanDocs(ctx context.Context, field, value string) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		if field != "" {
			if _, ok := c.indexes[field]; !ok {
				yield(Document{}, fmt.Errorf("store: scan %s: field %q is not a declared index", c.name, field))
				return
			}
		}
		scan := c.b.Scan
		if c.h != nil {
			// Only decoded, never handed on: the stored documents may be lent.
			scan = c.h.ScanShared
		}
		for doc, err := range scan(ctx, Query{Collection: c.name, Field: field, Value: value}) {
			if err != nil {
				yield(Document{}, fmt.Errorf("store: scan %s: %w", c.name, err))
				return
			}
			if !yield(doc, nil) {
				return
			}
		}
	}
}

// decodeAll decodes the documents of docs, yielding an error once and stopping there.
func decodeAll[V any](docs iter.Seq2[Document, error], decode func(Document) (V, error)) iter.Seq2[V, error] {
	return func(yield func(V, error) bool) {
		for doc, err := range docs {
			if err != nil {
				var zero V
				yield(zero, err)
				return
			}
			v, err := decode(doc)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// All collects Scan into a slice, stopping at the first error.
func (c *Collection[T]) All(ctx context.Context, field, value string) ([]Versioned[T], error) {
	var out []Versioned[T]
	for v, err := range c.Scan(ctx, field, value) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Update runs the load → decide → compare-and-swap loop: it reads id (exists is false
// and cur the zero value when there is none), calls fn, and writes fn's result at the
// version it read. When another writer got there first it reads again and calls fn
// again, up to MaxRetries times, so fn must be a pure decision without side effects.
// An error from fn is returned as is and nothing is written.
func (c *Collection[T]) Update(ctx context.Context, id string, fn func(cur T, exists bool) (T, error)) (Versioned[T], error) {
	var last error
	for range c.retries {
		cur, err := c.Get(ctx, id)
		exists := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return Versioned[T]{}, err
		}
		next, err := fn(cur.Value, exists)
		if err != nil {
			return Versioned[T]{}, err
		}
		ver, err := c.Put(ctx, id, next, cur.Version)
		if err == nil {
			return Versioned[T]{ID: id, Version: ver, Value: next}, nil
		}
		if !errors.Is(err, ErrConflict) && !errors.Is(err, ErrNotFound) {
			return Versioned[T]{}, err
		}
		last = err
	}
	return Versioned[T]{}, fmt.Errorf("store: update %s/%s: gave up after %d attempts: %w", c.name, id, c.retries, last)
}

// get reads document id, lent by the backend when it can: the caller only decodes it.
func (c *Collection[T]) get(ctx context.Context, id string) (Document, error) {
	if c.h != nil {
		return c.h.GetShared(ctx, c.name, id)
	}
	return c.b.Get(ctx, c.name, id)
}

// encode returns the document of v: its encoding and index values in buffers of its
// own, which a [Handoff] backend may keep.
func (c *Collection[T]) encode(id string, v T) (Document, error) {
	var (
		data []byte
		err  error
	)
	if c.enc != nil {
		buf, _ := c.scratch.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		if data, err = c.enc((*buf)[:0], v); err == nil {
			*buf = data
			data = bytes.Clone(data)
		}
		if cap(*buf) <= 1<<16 {
			c.scratch.Put(buf)
		}
	} else {
		data, err = json.Marshal(v)
	}
	if err != nil {
		return Document{}, fmt.Errorf("store: encode %s/%s: %w", c.name, id, err)
	}
	doc := Document{Collection: c.name, ID: id, Data: data}
	if len(c.fields) == 0 {
		return doc, nil
	}
	var (
		room [8][]string
		vals = room[:0]
		n    int
		all  []string
	)
	for _, fn := range c.fns {
		vs := fn(v)
		vals = append(vals, vs)
		n += len(vs)
	}
	if c.h != nil {
		// Copies in one array: an index function may return a slice it shares or
		// reuses, and a Handoff backend keeps what it is handed.
		all = make([]string, 0, n)
	}
	doc.Index = make(map[string][]string, len(c.fields))
	for i, f := range c.fields {
		vs := vals[i]
		if all != nil && vs != nil {
			start := len(all)
			all = append(all, vs...)
			vs = all[start:len(all):len(all)]
		}
		doc.Index[f] = vs
	}
	return doc, nil
}

func (c *Collection[T]) decode(doc Document) (Versioned[T], error) {
	out := Versioned[T]{ID: doc.ID, Version: doc.Version}
	if err := c.unmarshal(doc.Data, &out.Value); err != nil {
		return Versioned[T]{}, fmt.Errorf("store: decode %s/%s: %w", c.name, doc.ID, err)
	}
	return out, nil
}

// unmarshal decodes data into the zero value *v with the collection's decoder, or
// encoding/json when it has none.
func (c *Collection[T]) unmarshal(data []byte, v *T) error {
	if c.dec != nil {
		return c.dec(data, v)
	}
	return json.Unmarshal(data, v)
}

// ScanRange yields the documents whose index field holds a value in [from, to) (an
// empty to: no upper bound), ordered by value and then ID, once per matching value. On a
// backend without [RangeScanner] it falls back to scanning the whole collection and
// sorting, which is correct but costs the collection's size.
func (c *Collection[T]) ScanRange(ctx context.Context, field, from, to string) iter.Seq2[Versioned[T], error] {
	return decodeAll(c.scanRangeDocs(ctx, field, from, to), c.decode)
}

// scanRangeDocs is ScanRange before decoding.
func (c *Collection[T]) scanRangeDocs(ctx context.Context, field, from, to string) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		if _, ok := c.indexes[field]; !ok {
			yield(Document{}, fmt.Errorf("store: scan range %s: field %q is not a declared index", c.name, field))
			return
		}
		inRange := func(v string) bool { return v >= from && (to == "" || v < to) }
		var docs iter.Seq2[Document, error]
		if rs, ok := c.b.(RangeScanner); ok {
			docs = rs.ScanRange(ctx, RangeQuery{Collection: c.name, Field: field, From: from, To: to})
		} else {
			docs = func(yield func(Document, error) bool) {
				type hit struct {
					value string
					doc   Document
				}
				var hits []hit
				for d, err := range c.b.Scan(ctx, Query{Collection: c.name}) {
					if err != nil {
						yield(Document{}, err)
						return
					}
					for _, v := range d.Index[field] {
						if inRange(v) {
							hits = append(hits, hit{v, d})
						}
					}
				}
				sort.SliceStable(hits, func(i, j int) bool { return hits[i].value < hits[j].value })
				for _, h := range hits {
					if !yield(h.doc, nil) {
						return
					}
				}
			}
		}
		for doc, err := range docs {
			if err != nil {
				yield(Document{}, fmt.Errorf("store: scan range %s: %w", c.name, err))
				return
			}
			if !yield(doc, nil) {
				return
			}
		}
	}
}
