package engine_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/sqlstore/internal/engine"
)

// The retry and settle paths, driven by a database/sql driver around SQLite that fails
// chosen commits the way a PostgreSQL or CockroachDB server does: a serialization
// failure (40001) rolls the transaction back; an ambiguous commit (40003) may or may
// not have committed it.

// fault is what the driver does to one commit.
type fault int

const (
	commitOK        fault = iota
	serialization         // roll back, report a retryable failure
	ambiguousDone         // commit, then report that the outcome is unknown
	ambiguousUndone       // roll back, and report that the outcome is unknown
)

var (
	errSerialization = errors.New("injected: could not serialize access (40001)")
	errAmbiguous     = errors.New("injected: statement completion unknown (40003)")
)

// faults holds the faults of the next commits, in order; commits after them succeed.
type faults struct {
	mu   sync.Mutex
	next []fault
	// between, when set, runs once after the next failed commit and before the driver
	// reports it: another writer getting in before the backend reads back.
	between func()
}

func (f *faults) arm(fs ...fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next = append(f.next, fs...)
}

func (f *faults) take() fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.next) == 0 {
		return commitOK
	}
	x := f.next[0]
	f.next = f.next[1:]
	return x
}

func (f *faults) takeBetween() func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.between
	f.between = nil
	return h
}

func (f *faults) left() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.next)
}

type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
}

type connector struct {
	dsn string
	f   *faults
}

func (c connector) Connect(context.Context) (driver.Conn, error) {
	conn, err := (&sqlite3.Driver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &faultConn{conn.(innerConn), c.f}, nil
}

func (c connector) Driver() driver.Driver { return &sqlite3.Driver{} }

type faultConn struct {
	innerConn
	f *faults
}

func (c *faultConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.innerConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &faultTx{tx, c.f}, nil
}

type faultTx struct {
	driver.Tx
	f *faults
}

func (t *faultTx) Commit() error {
	var err error
	switch t.f.take() {
	case commitOK:
		return t.Tx.Commit()
	case serialization:
		_ = t.Tx.Rollback()
		err = errSerialization
	case ambiguousDone:
		if err := t.Tx.Commit(); err != nil {
			return err
		}
		err = errAmbiguous
	case ambiguousUndone:
		_ = t.Tx.Rollback()
		err = errAmbiguous
	}
	if h := t.f.takeBetween(); h != nil {
		h()
	}
	return err
}

func classify(err error) engine.ErrorClass {
	switch {
	case errors.Is(err, errSerialization):
		return engine.ClassRetry
	case errors.Is(err, errAmbiguous):
		return engine.ClassAmbiguous
	}
	var se *sqlite3.Error
	if errors.As(err, &se) && (se.Code() == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE) {
		return engine.ClassUnique
	}
	return engine.ClassOther
}

const maxRetries = 3

// open returns the engine over a fresh SQLite file whose commits f may fail.
func open(t *testing.T) (*engine.DB, *faults) {
	t.Helper()
	f := &faults{}
	dsn := "file:" + filepath.Join(t.TempDir(), "faults.db") + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_txlock=immediate"
	db := sql.OpenDB(connector{dsn, f})
	db.SetMaxOpenConns(2) // one for a transaction, one for a writer in between
	e, err := engine.New(t.Context(), db, engine.Dialect{Name: "faulty", Blob: "BLOB", Classify: classify, MaxRetries: maxRetries})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e, f
}

func doc(data string) store.Document {
	return store.Document{Collection: "c", ID: "a", Data: []byte(data), Index: map[string][]string{"k": {data}}}
}

// expect checks the stored head and its log, and that the index holds it under its
// data and nothing else.
func expect(t *testing.T, e *engine.DB, version, lastSeq int64, data string, log ...string) {
	t.Helper()
	ctx := t.Context()
	d, err := e.Get(ctx, "c", "a")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if d.Version != version || d.LastSeq != lastSeq || string(d.Data) != data {
		t.Errorf("Get = version %d, last seq %d, data %q; want %d, %d, %q", d.Version, d.LastSeq, d.Data, version, lastSeq, data)
	}
	var got []string
	for ev, err := range e.Events(ctx, "c", "a", 0) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(ev.Data))
	}
	if !slices.Equal(got, log) {
		t.Errorf("Events = %q, want %q", got, log)
	}
	var ids []string
	for d, err := range e.Scan(ctx, store.Query{Collection: "c", Field: "k", Value: data}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, []string{"a"}) {
		t.Errorf("Scan by k=%q = %q, want [a]", data, ids)
	}
}

func TestDB_RetrySerializationFailure(t *testing.T) {
	ctx := t.Context()
	e, f := open(t)
	f.arm(serialization, serialization)
	v, last, err := e.Append(ctx, doc("one"), 0, [][]byte{[]byte("e1")})
	if err != nil || v != 1 || last != 1 {
		t.Fatalf("Append after two serialization failures = %d, %d, %v; want 1, 1, nil", v, last, err)
	}
	if got := e.Retries(); got != 2 {
		t.Errorf("Retries = %d, want 2", got)
	}
	expect(t, e, 1, 1, "one", "e1")
}

func TestDB_RetryBounded(t *testing.T) {
	ctx := t.Context()
	e, f := open(t)
	if _, _, err := e.Append(ctx, doc("one"), 0, [][]byte{[]byte("e1")}); err != nil {
		t.Fatal(err)
	}
	f.arm(slices.Repeat([]fault{serialization}, maxRetries+1)...)
	_, _, err := e.Append(ctx, doc("two"), 1, [][]byte{[]byte("e2")})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Append failing serialization on every run = %v, want ErrConflict after %d runs", err, maxRetries)
	}
	if got, left := e.Retries(), f.left(); got != maxRetries || left != 1 {
		t.Errorf("Retries = %d with %d faults unused, want %d runs and 1 unused", got, left, maxRetries)
	}
	expect(t, e, 1, 1, "one", "e1")
	if err := e.Delete(ctx, "c", "a", 2); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Delete at the version the failed append would have made = %v, want ErrConflict", err)
	}
}

func TestDB_AmbiguousCommit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   fault
		retries int64
		why     string
	}{
		{"Applied", ambiguousDone, 1, "the commit took effect: the read-back settles it, and nothing is written twice"},
		{"NotApplied", ambiguousUndone, 1, "the commit did not take effect: the read-back finds the old head, and the write runs again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			e, f := open(t)
			f.arm(tc.fault)
			if v, last, err := e.Append(ctx, doc("one"), 0, [][]byte{[]byte("e1")}); err != nil || v != 1 || last != 1 {
				t.Fatalf("create with an ambiguous commit = %d, %d, %v; want 1, 1, nil: %s", v, last, err, tc.why)
			}
			f.arm(tc.fault)
			if v, last, err := e.Append(ctx, doc("two"), 1, [][]byte{[]byte("e2"), []byte("e3")}); err != nil || v != 2 || last != 3 {
				t.Fatalf("append with an ambiguous commit = %d, %d, %v; want 2, 3, nil: %s", v, last, err, tc.why)
			}
			f.arm(tc.fault)
			if v, err := e.Put(ctx, doc("three"), 2); err != nil || v != 3 {
				t.Fatalf("put with an ambiguous commit = %d, %v; want 3, nil: %s", v, err, tc.why)
			}
			if got := e.Retries(); got != 3*tc.retries {
				t.Errorf("Retries = %d, want %d", got, 3*tc.retries)
			}
			expect(t, e, 3, 3, "three", "e1", "e2", "e3")
			f.arm(tc.fault)
			if err := e.Delete(ctx, "c", "a", 3); err != nil {
				t.Fatalf("delete with an ambiguous commit = %v: %s", err, tc.why)
			}
			if _, err := e.Get(ctx, "c", "a"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get after the delete = %v, want ErrNotFound", err)
			}
		})
	}
}

// TestDB_AmbiguousCommitOtherWriter checks that an ambiguous commit is not taken for
// ours when, by the time the backend reads back, another writer's head stands at the
// version we meant to write: the write runs again and its compare-and-swap refuses it.
func TestDB_AmbiguousCommitOtherWriter(t *testing.T) {
	ctx := t.Context()
	e, f := open(t)
	if _, err := e.Put(ctx, doc("one"), 0); err != nil {
		t.Fatal(err)
	}
	f.arm(ambiguousUndone)
	f.between = func() {
		if _, err := e.Put(ctx, doc("theirs"), 1); err != nil {
			t.Errorf("the other writer's put: %v", err)
		}
	}
	if _, err := e.Put(ctx, doc("ours"), 1); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("put whose ambiguous commit lost to another writer = %v, want ErrConflict", err)
	}
	if got := e.Retries(); got != 1 {
		t.Errorf("Retries = %d, want 1", got)
	}
	expect(t, e, 2, 0, "theirs")
}

// TestDeletePlan checks that SQLite deletes a document's changed index rows by primary
// key, however many there are: a form of the statement it planned as a scan of the
// collection's whole index made every write of a large collection slow.
func TestDeletePlan(t *testing.T) {
	e, _ := open(t)
	for rows := 1; rows <= engine.PreparedRows+2; rows++ {
		q := e.MultiDelete(rows)
		args := make([]any, 2+2*rows)
		for i := range args {
			args[i] = "x"
		}
		plan, err := e.SQL().QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for plan.Next() {
			var id, parent, unused int
			var detail string
			if err := plan.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			steps = append(steps, detail)
		}
		if err := plan.Close(); err != nil {
			t.Fatal(err)
		}
		searched := false
		for _, s := range steps {
			if strings.Contains(s, "gridgov_index") {
				searched = strings.Contains(s, "(collection=? AND field=? AND value=? AND id=?)")
				if !searched {
					break
				}
			}
		}
		if !searched {
			t.Errorf("DELETE of %d rows: plan %q, want a search of gridgov_index by its whole primary key", rows, steps)
		}
	}
}
