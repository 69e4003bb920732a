package store

import (
	"context"
	"iter"

	"github.com/gridgov/gridgov"
)

// ErrNotFound is returned by Get, and by Put or Delete with a non-zero expected version,
// when the document does not exist. It is [gridgov.ErrNotFound].
var ErrNotFound = gridgov.ErrNotFound

// ErrConflict is returned by Put and Delete when the stored version differs from the
// expected one (including a create, expected version 0, of a document that exists).
// Nothing is written. It is [gridgov.ErrConflict].
var ErrConflict = gridgov.ErrConflict

// Document is one versioned document of a collection.
type Document struct {
	Collection string
	ID         string
	// Version is the document's version: 0 means "not stored", the first write makes it
	// 1, and every later write adds one.
	Version int64
	// Data is the encoded aggregate; the backend stores it as opaque bytes.
	Data []byte
	// Index holds the values of the collection's declared index fields. A field may
	// hold several values (a case is indexed under every unit that may see it); Scan
	// matches a document when any of them equals the queried value.
	Index map[string][]string
	// LastSeq is, on a backend that implements [Appender], the Seq of the last event of
	// the document's log (0 when it has none). It is ignored on writes.
	LastSeq int64
}

// Query selects the documents of one collection, optionally only those whose index
// field Field holds Value. An empty Field selects the whole collection.
type Query struct {
	Collection string
	Field      string
	Value      string
}

// Backend is the storage port every gridgov service writes through: versioned documents
// in collections with compare-and-swap writes.
//
// Contract, checked by [github.com/gridgov/gridgov/store/storetest.Run]:
//   - Get returns ErrNotFound for a missing document.
//   - Put(doc, expected) writes doc only if the stored version equals expected (0 for a
//     document that does not exist yet) and returns the new version, expected+1.
//     Otherwise it returns ErrConflict (or ErrNotFound when expected > 0 and the
//     document is gone) and writes nothing. doc.Version is ignored.
//   - Delete(collection, id, expected) removes the document under the same rule.
//   - Scan yields the matching documents in ascending ID order, each as it was at some
//     moment during the scan; writes made while scanning may or may not be seen. The
//     caller may write to the backend from inside the loop.
//   - Every method checks ctx first: a cancelled context returns ctx.Err() (wrapped)
//     and writes nothing.
//   - Data and Index passed in or handed out are never shared with the backend's own
//     copy: the caller may modify them freely. ([Handoff] is the opt-in exception.)
//   - All methods are safe for concurrent use.
type Backend interface {
	Get(ctx context.Context, collection, id string) (Document, error)
	Put(ctx context.Context, doc Document, expected int64) (int64, error)
	Delete(ctx context.Context, collection, id string, expected int64) error
	Scan(ctx context.Context, q Query) iter.Seq2[Document, error]
}

// Event is one entry of an aggregate's append-only log (see [Appender]).
type Event struct {
	// Seq is the event's position in its aggregate's log: the first event is 1 and
	// every appended event takes the next number. The backend assigns it.
	Seq int64
	// Data is the encoded event; the backend stores it as opaque bytes.
	Data []byte
}

// Appender is an optional capability of a [Backend], detected with a type assertion:
// an aggregate stored as a small head document (state, folded timeline, counters) plus an
// append-only log of its events, so that a command reads the head and writes O(1) bytes
// however long the aggregate's history is (the pattern of EventStoreDB and Marten). A
// backend that lacks it still serves every aggregate: [Log] then keeps head and events
// in one document.
//
// Contract, checked by [github.com/gridgov/gridgov/store/storetest.RunAppender], in
// addition to the [Backend] contract:
//   - Append(head, expected, events) writes head exactly as Put(head, expected) would and
//     appends events to the log of (head.Collection, head.ID), all in one atomic step: a
//     stale or missing head writes neither the head nor any event, and no reader ever sees
//     the new head without its events or the events without the head. It returns the new
//     head version and the Seq of the last event now in the log (the previous last Seq
//     when events is empty).
//   - Get of the head returns LastSeq, the Seq of its log's last event.
//   - Events(collection, id, after) yields the events with Seq > after in ascending Seq
//     order, each Seq once, with no gaps; a document with no log yields nothing.
//   - Delete of the head deletes its log with it; Put of the head keeps the log.
type Appender interface {
	Backend
	Append(ctx context.Context, head Document, expected int64, events [][]byte) (version, lastSeq int64, err error)
	Events(ctx context.Context, collection, id string, after int64) iter.Seq2[Event, error]
}

// Handoff is an optional capability of an [Appender] whose stored bytes never change
// once written (a write replaces them, it never modifies them in place): writes that
// keep the caller's buffers instead of copying them, and reads that lend the stored
// buffers instead of copying them out. [Log] and [Collection] use it, since they encode
// every write into buffers of their own and only decode what they read.
//
// Ownership rule, the exception to the isolation clause of the [Backend] contract:
//   - AppendOwned takes ownership of head.Data, of the slices of head.Index (the map
//     and the values it holds) and of every event buffer: the caller must never modify
//     them, nor let anyone else do so, once it has called AppendOwned, whatever the
//     outcome. The backend may keep them as its own copy.
//   - GetShared returns a document whose Data and Index may be the backend's own: the
//     caller must not modify them. They stay valid and unchanged after any later
//     write, which installs new bytes instead of changing these.
//   - EventsShared and ScanShared return events and documents whose bytes may be the
//     backend's own, under the same rule: read-only for the caller, unchanged by any
//     later write or delete.
//
// Contract, checked by [github.com/gridgov/gridgov/store/storetest.RunHandoff], in
// addition to the [Appender] contract: AppendOwned behaves exactly as Append and
// GetShared exactly as Get (versions, ErrConflict and ErrNotFound, nothing written by a
// stale or missing head, LastSeq, ctx checked first), EventsShared as Events collected
// into a slice (a missing aggregate has none, which is no error), ScanShared exactly as
// Scan, and a reader's bytes are never aliased by a later write, owned or copied.
//
// A wrapper that embeds a Handoff backend to change its Get, Put, Append, Events or
// Scan must change GetShared, AppendOwned, EventsShared and ScanShared too, or embed
// only the interfaces it means to expose: a Collection or Log that finds them calls
// them instead.
type Handoff interface {
	Appender
	AppendOwned(ctx context.Context, head Document, expected int64, events [][]byte) (version, lastSeq int64, err error)
	GetShared(ctx context.Context, collection, id string) (Document, error)
	// EventsShared returns the events of id with Seq > after, in order, all at once:
	// a reader that decodes a whole history (a case read with its events) sizes its
	// result from their number and copies nothing.
	EventsShared(ctx context.Context, collection, id string, after int64) ([]Event, error)
	ScanShared(ctx context.Context, q Query) iter.Seq2[Document, error]
}

// RangeQuery selects the documents of one collection whose index field Field holds a
// value v with From <= v < To (byte-wise comparison; an empty To means no upper bound).
// Index values meant for ranges must sort as their meaning does: fixed-width UTC
// timestamps, zero-padded numbers.
type RangeQuery struct {
	Collection string
	Field      string
	From, To   string
}

// RangeScanner is an optional capability of a [Backend]: a scan over an ordered index
// field, so that a scheduler reads only the aggregates due by a time instead of every
// open one. [Collection.ScanRange] falls back to a full scan of the collection on a
// backend that lacks it.
//
// Contract, checked by [github.com/gridgov/gridgov/store/storetest.RunRangeScanner]:
// ScanRange yields each matching (value, document) pair once, ordered by value and then
// ID (a document with several values in the range is yielded once per value), each
// document as it was at some moment during the scan; the caller may write from inside
// the loop; ctx is checked first, as for Scan.
type RangeScanner interface {
	ScanRange(ctx context.Context, q RangeQuery) iter.Seq2[Document, error]
}
