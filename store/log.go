package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
)

// Log is a typed aggregate stored as a head of type H plus an append-only log of events
// of type E (see [Appender]): a command reads the head, decides, and appends its events
// with the new head in one compare-and-swap, so its cost does not grow with the
// aggregate's history. On a backend that implements Appender the log is the backend's;
// on one that does not, head and events share one document (the head's encoding with
// the events beside it), which keeps every backend correct at O(history) per write.
//
// A Log is safe for concurrent use when its Backend is. The zero value is not usable;
// use [NewLog].
type Log[H, E any] struct {
	c     *Collection[H]
	a     Appender // nil: events live inside the head's document
	enc   func(dst []byte, e E) ([]byte, error)
	dec   func(data []byte, e *E) error
	cache HeadCache[H]
}

// LogOptions configures a [Log]. A nil *LogOptions means defaults.
type LogOptions[H, E any] struct {
	// Head declares the head's index fields and encoder, as for [NewCollection].
	Head CollectionOptions[H]
	// EncodeEvent, when set, encodes events instead of encoding/json, under the rule of
	// [CollectionOptions].Encode: it must write JSON that encoding/json decodes back
	// into the same event.
	EncodeEvent func(dst []byte, e E) ([]byte, error)
	// DecodeEvent, when set, decodes events instead of encoding/json, under the rule of
	// [CollectionOptions].Decode: e points at a zero E, and the result and error-ness
	// must be json.Unmarshal's for any stored JSON, not only for what EncodeEvent
	// writes. The head's decoder is Head.Decode.
	DecodeEvent func(data []byte, e *E) error
	// Cache, when set, keeps decoded heads, so that reading a head just written (the
	// next command on the same aggregate) skips decoding it.
	Cache HeadCache[H]
}

// HeadCache keeps decoded heads for a [Log]. The Log stores every head it writes, with
// the exact bytes written, and looks a head up before decoding one it reads: a hit is
// only valid when data is byte for byte the data stored with it, so a head written by
// anyone else (another process, a direct Put, a delete and re-create that reuses a
// version number) misses and is decoded. Store receives a head the caller of
// [Log.Append] still holds, and Lookup's result goes to the caller of [Log.Get]: an
// implementation must copy whatever either side could modify, and hand out only what
// decoding data would have produced. data is read-only on both sides: the Log may have
// handed it to a [Handoff] backend, or been lent it by one.
type HeadCache[H any] interface {
	Lookup(id string, version int64, data []byte) (H, bool)
	Store(id string, version int64, data []byte, head H)
}

// NewLog returns the log-backed collection name of backend b; opts declares the head's
// index fields, as for [NewCollection].
func NewLog[H, E any](b Backend, name string, opts *CollectionOptions[H]) *Log[H, E] {
	var o LogOptions[H, E]
	if opts != nil {
		o.Head = *opts
	}
	return NewLogWith(b, name, &o)
}

// NewLogWith returns the log-backed collection name of backend b, configured by opts.
func NewLogWith[H, E any](b Backend, name string, opts *LogOptions[H, E]) *Log[H, E] {
	var o LogOptions[H, E]
	if opts != nil {
		o = *opts
	}
	l := &Log[H, E]{c: NewCollection(b, name, &o.Head), enc: o.EncodeEvent, dec: o.DecodeEvent, cache: o.Cache}
	l.a, _ = b.(Appender)
	return l
}

// Native reports whether the backend keeps the log itself ([Appender]), so an append
// writes O(1) bytes.
func (l *Log[H, E]) Native() bool { return l.a != nil }

// Head is a decoded head with the version the next Append must name and the Seq of the
// last event in its log.
type Head[H any] struct {
	ID      string
	Version int64
	LastSeq int64
	Value   H
}

// inline is the one-document form of a head and its log.
type inline struct {
	Head   json.RawMessage   `json:"head"`
	Events []json.RawMessage `json:"events,omitempty"`
}

// Get returns the head stored under id, or an error wrapping ErrNotFound.
func (l *Log[H, E]) Get(ctx context.Context, id string) (Head[H], error) {
	doc, err := l.c.get(ctx, id)
	if err != nil {
		return Head[H]{}, fmt.Errorf("store: get %s/%s: %w", l.c.name, id, err)
	}
	return l.decodeHead(doc)
}

func (l *Log[H, E]) decodeHead(doc Document) (Head[H], error) {
	h := Head[H]{ID: doc.ID, Version: doc.Version, LastSeq: doc.LastSeq}
	data := doc.Data
	if l.a == nil {
		var in inline
		if err := json.Unmarshal(doc.Data, &in); err != nil {
			return Head[H]{}, fmt.Errorf("store: decode %s/%s: %w", l.c.name, doc.ID, err)
		}
		data, h.LastSeq = in.Head, int64(len(in.Events))
	}
	if l.cache != nil {
		if v, ok := l.cache.Lookup(doc.ID, doc.Version, data); ok {
			h.Value = v
			return h, nil
		}
	}
	// Decoded into a variable of its own, so that only a miss moves a head to the heap.
	var v H
	if err := l.c.unmarshal(data, &v); err != nil {
		return Head[H]{}, fmt.Errorf("store: decode %s/%s: %w", l.c.name, doc.ID, err)
	}
	h.Value = v
	return h, nil
}

// Append stores head under id and appends events, if the stored head's version is
// expected (0 to create). It returns the new head. A stale expected version returns an
// error wrapping ErrConflict and writes neither head nor events.
func (l *Log[H, E]) Append(ctx context.Context, id string, head H, expected int64, events ...E) (Head[H], error) {
	doc, err := l.c.encode(id, head)
	if err != nil {
		return Head[H]{}, err
	}
	encoded, err := l.encodeEvents(id, events)
	if err != nil {
		return Head[H]{}, err
	}
	if l.a != nil {
		var ver, last int64
		if l.c.h != nil {
			// doc and encoded are fresh buffers nobody else holds; the cache only reads
			// doc.Data.
			ver, last, err = l.c.h.AppendOwned(ctx, doc, expected, encoded)
		} else {
			ver, last, err = l.a.Append(ctx, doc, expected, encoded)
		}
		if err != nil {
			return Head[H]{}, fmt.Errorf("store: append %s/%s at version %d: %w", l.c.name, id, expected, err)
		}
		if l.cache != nil {
			l.cache.Store(id, ver, doc.Data, head)
		}
		return Head[H]{ID: id, Version: ver, LastSeq: last, Value: head}, nil
	}
	var in inline
	if expected > 0 {
		cur, err := l.c.b.Get(ctx, l.c.name, id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return Head[H]{}, fmt.Errorf("store: append %s/%s: %w", l.c.name, id, err)
		}
		if err == nil {
			if cur.Version != expected {
				return Head[H]{}, fmt.Errorf("store: append %s/%s at version %d: stored version is %d: %w", l.c.name, id, expected, cur.Version, ErrConflict)
			}
			if err := json.Unmarshal(cur.Data, &in); err != nil {
				return Head[H]{}, fmt.Errorf("store: decode %s/%s: %w", l.c.name, id, err)
			}
		}
	}
	in.Head = doc.Data
	headData := doc.Data
	for _, e := range encoded {
		in.Events = append(in.Events, e)
	}
	if doc.Data, err = json.Marshal(in); err != nil {
		return Head[H]{}, fmt.Errorf("store: encode %s/%s: %w", l.c.name, id, err)
	}
	// The Put's own compare-and-swap makes the read above safe: a writer in between
	// changes the version and this Put fails with ErrConflict.
	ver, err := l.c.b.Put(ctx, doc, expected)
	if err != nil {
		return Head[H]{}, fmt.Errorf("store: append %s/%s at version %d: %w", l.c.name, id, expected, err)
	}
	if l.cache != nil {
		l.cache.Store(id, ver, headData, head)
	}
	return Head[H]{ID: id, Version: ver, LastSeq: int64(len(in.Events)), Value: head}, nil
}

// encodeEvents encodes events, with the Log's encoder into one buffer when it has one;
// the buffers are the Log's own, so a [Handoff] backend may keep them.
func (l *Log[H, E]) encodeEvents(id string, events []E) ([][]byte, error) {
	if len(events) == 0 {
		return nil, nil
	}
	encoded := make([][]byte, len(events))
	var err error
	if l.enc == nil {
		for i, e := range events {
			if encoded[i], err = json.Marshal(e); err != nil {
				return nil, fmt.Errorf("store: encode event of %s/%s: %w", l.c.name, id, err)
			}
		}
		return encoded, nil
	}
	// Into scratch, then copied out at their exact size into one array: a backend may
	// keep them for the aggregate's life.
	scratch, _ := l.c.scratch.Get().(*[]byte)
	if scratch == nil {
		scratch = new([]byte)
	}
	defer func() {
		if cap(*scratch) <= 1<<16 {
			l.c.scratch.Put(scratch)
		}
	}()
	buf := (*scratch)[:0]
	var room [4]int
	ends := room[:0]
	for i := range events {
		if buf, err = l.enc(buf, events[i]); err != nil {
			return nil, fmt.Errorf("store: encode event of %s/%s: %w", l.c.name, id, err)
		}
		ends = append(ends, len(buf))
	}
	*scratch = buf
	all := bytes.Clone(buf)
	start := 0
	for i, end := range ends {
		encoded[i] = all[start:end:end]
		start = end
	}
	return encoded, nil
}

// History collects the events of id with Seq > after, in order.
func (l *Log[H, E]) History(ctx context.Context, id string, after int64) ([]E, error) {
	if l.c.h != nil {
		// The backend lends the whole history at once: decoded in place, into a slice of
		// its size, with nothing copied on the way.
		evs, err := l.c.h.EventsShared(ctx, l.c.name, id, after)
		if err != nil {
			return nil, fmt.Errorf("store: events of %s/%s: %w", l.c.name, id, err)
		}
		if len(evs) == 0 {
			return nil, nil
		}
		out := make([]E, len(evs))
		for i, ev := range evs {
			if err := l.decodeEvent(id, ev.Data, &out[i]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	var out []E
	for ev, err := range l.Events(ctx, id, after) {
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// decodeEvent decodes event data of aggregate id into the zero value *e.
func (l *Log[H, E]) decodeEvent(id string, data []byte, e *E) error {
	var err error
	if l.dec != nil {
		err = l.dec(data, e)
	} else {
		err = json.Unmarshal(data, e)
	}
	if err != nil {
		return fmt.Errorf("store: decode event of %s/%s: %w", l.c.name, id, err)
	}
	return nil
}

// Events yields the events of id with Seq > after in order. A decoding or backend error
// is yielded once and ends the sequence; a missing aggregate yields nothing.
func (l *Log[H, E]) Events(ctx context.Context, id string, after int64) iter.Seq2[E, error] {
	return func(yield func(E, error) bool) {
		decode := func(data []byte) (E, error) {
			var e E
			err := l.decodeEvent(id, data, &e)
			return e, err
		}
		if l.c.h != nil {
			evs, err := l.c.h.EventsShared(ctx, l.c.name, id, after)
			if err != nil {
				var zero E
				yield(zero, fmt.Errorf("store: events of %s/%s: %w", l.c.name, id, err))
				return
			}
			for _, ev := range evs {
				e, err := decode(ev.Data)
				if !yield(e, err) || err != nil {
					return
				}
			}
			return
		}
		if l.a != nil {
			for ev, err := range l.a.Events(ctx, l.c.name, id, after) {
				if err != nil {
					var zero E
					yield(zero, fmt.Errorf("store: events of %s/%s: %w", l.c.name, id, err))
					return
				}
				e, err := decode(ev.Data)
				if !yield(e, err) || err != nil {
					return
				}
			}
			return
		}
		doc, err := l.c.b.Get(ctx, l.c.name, id)
		if errors.Is(err, ErrNotFound) {
			return
		}
		var in inline
		if err == nil {
			err = json.Unmarshal(doc.Data, &in)
		}
		if err != nil {
			var zero E
			yield(zero, fmt.Errorf("store: events of %s/%s: %w", l.c.name, id, err))
			return
		}
		for _, data := range in.Events[min(max(after, 0), int64(len(in.Events))):] {
			e, err := decode(slices.Clip(data))
			if !yield(e, err) || err != nil {
				return
			}
		}
	}
}

// Scan yields the heads whose index field holds value, in ascending ID order; an empty
// field yields every head (see [Collection.Scan]).
func (l *Log[H, E]) Scan(ctx context.Context, field, value string) iter.Seq2[Head[H], error] {
	return decodeAll(l.c.scanDocs(ctx, field, value), l.decodeHead)
}

// ScanRange yields the heads whose index field holds a value in [from, to), ordered by
// value and then ID (see [Collection.ScanRange]).
func (l *Log[H, E]) ScanRange(ctx context.Context, field, from, to string) iter.Seq2[Head[H], error] {
	return decodeAll(l.c.scanRangeDocs(ctx, field, from, to), l.decodeHead)
}
