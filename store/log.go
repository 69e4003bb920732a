package store

import (
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
	c *Collection[H]
	a Appender // nil: events live inside the head's document
}

// NewLog returns the log-backed collection name of backend b; opts declares the head's
// index fields, as for [NewCollection].
func NewLog[H, E any](b Backend, name string, opts *CollectionOptions[H]) *Log[H, E] {
	l := &Log[H, E]{c: NewCollection(b, name, opts)}
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
	doc, err := l.c.b.Get(ctx, l.c.name, id)
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
	if err := json.Unmarshal(data, &h.Value); err != nil {
		return Head[H]{}, fmt.Errorf("store: decode %s/%s: %w", l.c.name, doc.ID, err)
	}
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
	encoded := make([][]byte, len(events))
	for i, e := range events {
		if encoded[i], err = json.Marshal(e); err != nil {
			return Head[H]{}, fmt.Errorf("store: encode event of %s/%s: %w", l.c.name, id, err)
		}
	}
	if l.a != nil {
		ver, last, err := l.a.Append(ctx, doc, expected, encoded)
		if err != nil {
			return Head[H]{}, fmt.Errorf("store: append %s/%s at version %d: %w", l.c.name, id, expected, err)
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
	return Head[H]{ID: id, Version: ver, LastSeq: int64(len(in.Events)), Value: head}, nil
}

// History collects the events of id with Seq > after, in order.
func (l *Log[H, E]) History(ctx context.Context, id string, after int64) ([]E, error) {
	var out []E
	for ev, err := range l.Events(ctx, id, after) {
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// Events yields the events of id with Seq > after in order. A decoding or backend error
// is yielded once and ends the sequence; a missing aggregate yields nothing.
func (l *Log[H, E]) Events(ctx context.Context, id string, after int64) iter.Seq2[E, error] {
	return func(yield func(E, error) bool) {
		decode := func(data []byte) (E, error) {
			var e E
			if err := json.Unmarshal(data, &e); err != nil {
				return e, fmt.Errorf("store: decode event of %s/%s: %w", l.c.name, id, err)
			}
			return e, nil
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
