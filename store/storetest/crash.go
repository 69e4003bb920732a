package storetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/gridgov/gridgov/store"
)

// ErrCrash is returned by every write of a [Crasher] once its budget of writes is spent.
var ErrCrash = errors.New("storetest: crashed")

// Crasher wraps a backend and lets only the first n writes (Puts and Deletes) through;
// every later write fails with [ErrCrash] and changes nothing, as if the process had
// died in the middle of a command. Reads keep working, so a test can then run the
// service's recovery (Reconcile, say) on the inner backend and check what the crash
// left behind. It is safe for concurrent use.
type Crasher struct {
	inner store.Backend
	mu    sync.Mutex
	left  int
}

var _ store.Backend = (*Crasher)(nil)

// CrashAfter returns a backend over b that crashes after n writes.
func CrashAfter(b store.Backend, n int) *Crasher { return &Crasher{inner: b, left: n} }

// Crashed reports whether a write has been refused.
func (c *Crasher) Crashed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.left < 0
}

// take spends one write, or reports the crash.
func (c *Crasher) take() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left <= 0 {
		c.left = -1
		return false
	}
	c.left--
	return true
}

// Get implements [store.Backend].
func (c *Crasher) Get(ctx context.Context, coll, id string) (store.Document, error) {
	return c.inner.Get(ctx, coll, id)
}

// Put implements [store.Backend].
func (c *Crasher) Put(ctx context.Context, d store.Document, expected int64) (int64, error) {
	if !c.take() {
		return 0, fmt.Errorf("put %s/%s: %w", d.Collection, d.ID, ErrCrash)
	}
	return c.inner.Put(ctx, d, expected)
}

// Delete implements [store.Backend].
func (c *Crasher) Delete(ctx context.Context, coll, id string, expected int64) error {
	if !c.take() {
		return fmt.Errorf("delete %s/%s: %w", coll, id, ErrCrash)
	}
	return c.inner.Delete(ctx, coll, id, expected)
}

// Scan implements [store.Backend].
func (c *Crasher) Scan(ctx context.Context, q store.Query) iter.Seq2[store.Document, error] {
	return c.inner.Scan(ctx, q)
}
