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
//     copy: the caller may modify them freely.
//   - All methods are safe for concurrent use.
type Backend interface {
	Get(ctx context.Context, collection, id string) (Document, error)
	Put(ctx context.Context, doc Document, expected int64) (int64, error)
	Delete(ctx context.Context, collection, id string, expected int64) error
	Scan(ctx context.Context, q Query) iter.Seq2[Document, error]
}
