// Package engine is the database/sql implementation of the gridgov storage port shared
// by the SQLite and PostgreSQL backends. Each backend supplies a [Dialect]: its column
// types, placeholders, how it begins a write transaction and how its errors map onto
// the port's.
package engine

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/gridgov/gridgov/store"
)

// ErrorClass is what a dialect makes of a database error.
type ErrorClass int

const (
	ClassOther     ErrorClass = iota // a real failure: returned to the caller
	ClassUnique                      // a unique violation: another writer created the row
	ClassRetry                       // serialization failure, deadlock, busy: run the transaction again
	ClassAmbiguous                   // the commit may or may not have happened: re-read to decide
)

// Dialect is what differs between SQL databases.
type Dialect struct {
	Name string
	// Blob is the column type of opaque bytes.
	Blob string
	// Dollar makes placeholders $1, $2, … instead of ?.
	Dollar bool
	// TxOptions begin every write transaction.
	TxOptions *sql.TxOptions
	// Classify maps a database error.
	Classify func(error) ErrorClass
	// MaxRetries bounds the runs of one write transaction that keep failing with
	// ClassRetry.
	MaxRetries int
	// UpdateFrom says the database's UPDATE … FROM may return the FROM table's columns
	// (PostgreSQL and its distributed kin; SQLite may not): a compare-and-swap then
	// learns the old index values from its UPDATE instead of a SELECT before it, a
	// round trip fewer.
	UpdateFrom bool
}

// DB is a [store.Backend], [store.Appender] and [store.RangeScanner] over a database/sql
// handle. It is safe for concurrent use.
type DB struct {
	db *sql.DB
	d  Dialect
	q  queries
	// multi caches the multi-row INSERT and DELETE statements by table and row count.
	multi sync.Map // multiKey → string
	// prepared holds the reads and the write statements, prepared once by New
	// (database/sql then prepares each once on every connection that runs it): SQLite
	// spent more on parsing a write's statements than on running them. Read-only
	// after New.
	prepared map[string]*sql.Stmt
	// Retries counts transactions run again after ClassRetry or ClassAmbiguous, for
	// tests and metrics.
	retries atomicInt
}

var (
	_ store.Backend      = (*DB)(nil)
	_ store.Appender     = (*DB)(nil)
	_ store.RangeScanner = (*DB)(nil)
)

// ScanPage is how many rows a scan reads per query. Scans page by key (never OFFSET),
// and each page is read to the end before it is yielded, so no cursor is open while the
// caller's loop body runs and it may write freely.
const ScanPage = 256

// New returns the backend over db after migrating its schema (see [Migrations]).
func New(ctx context.Context, db *sql.DB, d Dialect) (*DB, error) {
	if d.MaxRetries <= 0 {
		d.MaxRetries = 100
	}
	e := &DB{db: db, d: d}
	e.q = e.prepareQueries()
	if err := e.migrate(ctx); err != nil {
		return nil, err
	}
	if err := e.prepare(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// SQL returns the underlying handle.
func (e *DB) SQL() *sql.DB { return e.db }

// Retries returns how many write transactions have been run again so far.
func (e *DB) Retries() int64 { return e.retries.Load() }

// Close closes the prepared statements and the database handle.
func (e *DB) Close() error {
	e.closeStatements()
	return e.db.Close()
}

// exec runs statement q in tx, through its prepared form when it has one.
func (e *DB) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if s := e.prepared[q]; s != nil {
		return tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// queryRow is exec for a statement that returns a row.
func (e *DB) queryRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if s := e.prepared[q]; s != nil {
		return tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

// read runs the read q outside a transaction, through its prepared form.
func (e *DB) read(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := e.prepared[q]; s != nil {
		return s.QueryContext(ctx, args...)
	}
	return e.db.QueryContext(ctx, q, args...)
}

// readRow is read for a query of one row.
func (e *DB) readRow(ctx context.Context, q string, args ...any) *sql.Row {
	if s := e.prepared[q]; s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return e.db.QueryRowContext(ctx, q, args...)
}

// preparedRows is the largest number of rows of the multi-row statements prepared at
// New: a case's index rows and a command's events; larger ones are parsed each time.
const preparedRows = 16

// prepare prepares the reads and the write statements. It runs in New, before any
// transaction: a statement prepared later from inside one would need a second
// connection of the pool, which writers holding every connection would never free.
func (e *DB) prepare(ctx context.Context) error {
	qs := []string{e.q.get, e.q.events, e.q.scanAll, e.q.scanIndex, e.q.scanRangeFirst, e.q.scanRangeNext,
		e.q.insert}
	if e.d.UpdateFrom {
		qs = append(qs, e.q.updateFrom)
	} else {
		qs = append(qs, e.q.head, e.q.update)
	}
	for rows := 1; rows <= preparedRows; rows++ {
		qs = append(qs, e.multiInsert(tableIndex, rows), e.multiInsert(tableEvents, rows), e.multiDelete(rows))
	}
	e.prepared = make(map[string]*sql.Stmt, len(qs))
	for _, q := range qs {
		s, err := e.db.PrepareContext(ctx, q)
		if err != nil {
			e.closeStatements()
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		e.prepared[q] = s
	}
	return nil
}

// closeStatements closes the prepared statements; a later use of one fails with
// database/sql's error for a closed statement.
func (e *DB) closeStatements() {
	for _, s := range e.prepared {
		s.Close()
	}
}

// rebind turns ? placeholders into $n for dialects that need it.
func (e *DB) rebind(q string) string {
	if !e.d.Dollar {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

type queries struct {
	get, head, insert, update, updateFrom, delete, deleteIndex, deleteEvents, events string
	scanAll, scanIndex, scanRangeFirst, scanRangeNext, exists                        string
}

func (e *DB) prepareQueries() queries {
	r := e.rebind
	return queries{
		get:    r(`SELECT version, data, idx, last_seq FROM gridgov_documents WHERE collection = ? AND id = ?`),
		exists: r(`SELECT version FROM gridgov_documents WHERE collection = ? AND id = ?`),
		head:   r(`SELECT version, idx, last_seq FROM gridgov_documents WHERE collection = ? AND id = ?`),
		insert: r(`INSERT INTO gridgov_documents (collection, id, version, data, idx, last_seq) VALUES (?, ?, 1, ?, ?, ?)`),
		update: r(`UPDATE gridgov_documents SET version = version + 1, data = ?, idx = ?, last_seq = ? WHERE collection = ? AND id = ? AND version = ?`),
		// o is the row as the statement found it: its idx is the old one.
		updateFrom: r(`UPDATE gridgov_documents AS d SET version = d.version + 1, data = ?, idx = ?, last_seq = d.last_seq + ? FROM gridgov_documents AS o
			WHERE d.collection = ? AND d.id = ? AND d.version = ? AND o.collection = d.collection AND o.id = d.id RETURNING d.last_seq, o.idx`),
		delete:       r(`DELETE FROM gridgov_documents WHERE collection = ? AND id = ? AND version = ?`),
		deleteIndex:  r(`DELETE FROM gridgov_index WHERE collection = ? AND id = ?`),
		deleteEvents: r(`DELETE FROM gridgov_events WHERE collection = ? AND id = ?`),
		events:       r(`SELECT seq, data FROM gridgov_events WHERE collection = ? AND id = ? AND seq > ? ORDER BY seq LIMIT ?`),
		scanAll:      r(`SELECT id, version, data, idx, last_seq FROM gridgov_documents WHERE collection = ? AND id > ? ORDER BY id LIMIT ?`),
		scanIndex: r(`SELECT d.id, d.version, d.data, d.idx, d.last_seq FROM gridgov_index i JOIN gridgov_documents d ON d.collection = i.collection AND d.id = i.id
			WHERE i.collection = ? AND i.field = ? AND i.value = ? AND i.id > ? ORDER BY i.id LIMIT ?`),
		scanRangeFirst: r(`SELECT i.value, d.id, d.version, d.data, d.idx, d.last_seq FROM gridgov_index i JOIN gridgov_documents d ON d.collection = i.collection AND d.id = i.id
			WHERE i.collection = ? AND i.field = ? AND i.value >= ? AND (CAST(? AS TEXT) = '' OR i.value < ?) ORDER BY i.value, i.id LIMIT ?`),
		scanRangeNext: r(`SELECT i.value, d.id, d.version, d.data, d.idx, d.last_seq FROM gridgov_index i JOIN gridgov_documents d ON d.collection = i.collection AND d.id = i.id
			WHERE i.collection = ? AND i.field = ? AND (i.value > ? OR (i.value = ? AND i.id > ?)) AND (CAST(? AS TEXT) = '' OR i.value < ?) ORDER BY i.value, i.id LIMIT ?`),
	}
}

func (e *DB) wrap(op string, doc, id string, err error) error {
	return fmt.Errorf("sqlstore(%s): %s %s/%s: %w", e.d.Name, op, doc, id, err)
}

// Get implements [store.Backend].
func (e *DB) Get(ctx context.Context, coll, id string) (store.Document, error) {
	if err := ctx.Err(); err != nil {
		return store.Document{}, e.wrap("get", coll, id, err)
	}
	doc := store.Document{Collection: coll, ID: id}
	var idx []byte
	err := e.readRow(ctx, e.q.get, coll, id).Scan(&doc.Version, &doc.Data, &idx, &doc.LastSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Document{}, e.wrap("get", coll, id, store.ErrNotFound)
	}
	if err != nil {
		return store.Document{}, e.wrap("get", coll, id, err)
	}
	if doc.Index, err = decodeIndex(idx); err != nil {
		return store.Document{}, e.wrap("get", coll, id, err)
	}
	return doc, nil
}

// Put implements [store.Backend].
func (e *DB) Put(ctx context.Context, doc store.Document, expected int64) (int64, error) {
	ver, _, err := e.write(ctx, "put", doc, expected, nil, false)
	return ver, err
}

// Append implements [store.Appender].
func (e *DB) Append(ctx context.Context, head store.Document, expected int64, events [][]byte) (int64, int64, error) {
	return e.write(ctx, "append", head, expected, events, true)
}

func (e *DB) write(ctx context.Context, op string, doc store.Document, expected int64, events [][]byte, appending bool) (int64, int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, e.wrap(op, doc.Collection, doc.ID, err)
	}
	if doc.Collection == "" || doc.ID == "" {
		return 0, 0, e.wrap(op, doc.Collection, doc.ID, errors.New("collection and ID are required"))
	}
	if expected < 0 {
		return 0, 0, e.wrap(op, doc.Collection, doc.ID, fmt.Errorf("expected version %d is negative", expected))
	}
	if doc.Data == nil {
		doc.Data = []byte{}
	}
	idx, err := encodeIndex(doc.Index)
	if err != nil {
		return 0, 0, e.wrap(op, doc.Collection, doc.ID, err)
	}
	var ver, last int64
	err = e.inTx(ctx, func(tx *sql.Tx) error {
		ver, last, err = e.writeTx(ctx, tx, doc, idx, expected, events)
		return err
	}, func(ctx context.Context) (bool, error) {
		// The commit's outcome is unknown: it happened if the head now stands at our
		// version with our bytes.
		cur, err := e.Get(ctx, doc.Collection, doc.ID)
		if err != nil {
			return false, nil
		}
		if cur.Version == expected+1 && string(cur.Data) == string(doc.Data) {
			ver, last = cur.Version, cur.LastSeq
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return 0, 0, e.wrap(op, doc.Collection, doc.ID, err)
	}
	return ver, last, nil
}

func (e *DB) writeTx(ctx context.Context, tx *sql.Tx, doc store.Document, idx []byte, expected int64, events [][]byte) (int64, int64, error) {
	n := int64(len(events))
	var last int64
	if expected == 0 {
		if _, err := e.exec(ctx, tx, e.q.insert, doc.Collection, doc.ID, doc.Data, idx, n); err != nil {
			if e.d.Classify(err) == ClassUnique {
				return 0, 0, fmt.Errorf("create of a document that exists: %w", store.ErrConflict)
			}
			return 0, 0, err
		}
		last = n
		if err := e.writeIndex(ctx, tx, doc.Collection, doc.ID, indexRows(doc.Index), nil); err != nil {
			return 0, 0, err
		}
	} else {
		// The update learns the head's old index values: most writes leave a
		// document's index as it was (a case keeps its unit for life), and those then
		// write no index row; the others write only the rows that changed.
		var old []byte
		var err error
		if e.d.UpdateFrom {
			last, old, err = e.updateFrom(ctx, tx, doc, idx, expected, n)
		} else {
			last, old, err = e.update(ctx, tx, doc, idx, expected, n)
		}
		if err != nil {
			return 0, 0, err
		}
		if !bytes.Equal(old, idx) {
			was, err := decodeIndex(old)
			if err != nil {
				return 0, 0, err
			}
			gone, added := diffRows(indexRows(was), indexRows(doc.Index))
			if err := e.writeIndex(ctx, tx, doc.Collection, doc.ID, added, gone); err != nil {
				return 0, 0, err
			}
		}
	}
	if len(events) > 0 {
		args := make([]any, 0, 4*len(events))
		for i, ev := range events {
			if ev == nil {
				ev = []byte{}
			}
			args = append(args, doc.Collection, doc.ID, last-n+int64(i)+1, ev)
		}
		if err := e.insertRows(ctx, tx, tableEvents, args); err != nil {
			return 0, 0, err
		}
	}
	return expected + 1, last, nil
}

// update compare-and-swaps doc at version expected, adding n events to its log, and
// returns its new last sequence number and its old index values. The head is read
// first, in the write's transaction (SQLite's is the only writer), for its version
// and its index values.
func (e *DB) update(ctx context.Context, tx *sql.Tx, doc store.Document, idx []byte, expected, n int64) (int64, []byte, error) {
	var cur, last int64
	var old []byte
	err := e.queryRow(ctx, tx, e.q.head, doc.Collection, doc.ID).Scan(&cur, &old, &last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil, versionError(expected, 0, false)
	case err != nil:
		return 0, nil, err
	case cur != expected:
		return 0, nil, versionError(expected, cur, true)
	}
	last += n
	res, err := e.exec(ctx, tx, e.q.update, doc.Data, idx, last, doc.Collection, doc.ID, expected)
	if err != nil {
		return 0, nil, err
	}
	if k, err := res.RowsAffected(); err != nil {
		return 0, nil, err
	} else if k != 1 {
		// The head read above is this transaction's: no other writer can have moved it.
		return 0, nil, fmt.Errorf("update at version %d changed %d rows: %w", expected, k, store.ErrConflict)
	}
	return last, old, nil
}

// updateFrom is update in one statement, for a dialect with UpdateFrom.
func (e *DB) updateFrom(ctx context.Context, tx *sql.Tx, doc store.Document, idx []byte, expected, n int64) (int64, []byte, error) {
	var last int64
	var old []byte
	err := e.queryRow(ctx, tx, e.q.updateFrom, doc.Data, idx, n, doc.Collection, doc.ID, expected).Scan(&last, &old)
	if !errors.Is(err, sql.ErrNoRows) {
		return last, old, err
	}
	// No row at that version: say whether the document is missing or moved on.
	var cur int64
	err = e.queryRow(ctx, tx, e.q.exists, doc.Collection, doc.ID).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, versionError(expected, 0, false)
	} else if err != nil {
		return 0, nil, err
	}
	return 0, nil, versionError(expected, cur, true)
}

// versionError is the refusal of a write at version expected of a document stored at
// version cur, or missing when !found.
func versionError(expected, cur int64, found bool) error {
	if !found {
		return fmt.Errorf("expected version %d of a document that does not exist: %w", expected, store.ErrNotFound)
	}
	return fmt.Errorf("expected version %d, stored version is %d: %w", expected, cur, store.ErrConflict)
}

// indexRow is one row of gridgov_index for a document: a field and one of its values.
type indexRow struct{ field, value string }

// indexRows returns a document's index rows, sorted, without repeats.
func indexRows(idx map[string][]string) []indexRow {
	n := 0
	for _, vals := range idx {
		n += len(vals)
	}
	rows := make([]indexRow, 0, n)
	for f, vals := range idx {
		for _, v := range vals {
			rows = append(rows, indexRow{f, v})
		}
	}
	slices.SortFunc(rows, compareRows)
	return slices.Compact(rows)
}

func compareRows(a, b indexRow) int {
	if c := strings.Compare(a.field, b.field); c != 0 {
		return c
	}
	return strings.Compare(a.value, b.value)
}

// diffRows returns the rows of was that now lacks and the rows of now that was lacks;
// both are sorted.
func diffRows(was, now []indexRow) (gone, added []indexRow) {
	i, j := 0, 0
	for i < len(was) || j < len(now) {
		switch {
		case j == len(now) || i < len(was) && compareRows(was[i], now[j]) < 0:
			gone = append(gone, was[i])
			i++
		case i == len(was) || compareRows(was[i], now[j]) > 0:
			added = append(added, now[j])
			j++
		default:
			i++
			j++
		}
	}
	return gone, added
}

// writeIndex deletes the index rows gone of document id and inserts the rows added.
func (e *DB) writeIndex(ctx context.Context, tx *sql.Tx, coll, id string, added, gone []indexRow) error {
	for len(gone) > 0 {
		k := min(len(gone), rowsPerInsert)
		args := make([]any, 0, 2+2*k)
		args = append(args, coll, id)
		for _, r := range gone[:k] {
			args = append(args, r.field, r.value)
		}
		if _, err := e.exec(ctx, tx, e.multiDelete(k), args...); err != nil {
			return err
		}
		gone = gone[k:]
	}
	if len(added) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(added))
	for _, r := range added {
		args = append(args, coll, r.field, r.value, id)
	}
	return e.insertRows(ctx, tx, tableIndex, args)
}

// The tables insertRows writes, four columns each.
const (
	tableIndex  = "gridgov_index (collection, field, value, id)"
	tableEvents = "gridgov_events (collection, id, seq, data)"
)

// rowsPerInsert bounds the rows of one INSERT or DELETE: 1,024 placeholders, far below
// what SQLite (32,766) and PostgreSQL (65,535) accept in one statement.
const rowsPerInsert = 256

type multiKey struct {
	table string
	rows  int
}

// insertRows inserts the rows of args, four values a row, in as few statements as
// rowsPerInsert allows: a new case's ten or so index rows, or a command's events, in
// one round trip instead of one per row.
func (e *DB) insertRows(ctx context.Context, tx *sql.Tx, table string, args []any) error {
	for len(args) > 0 {
		rows := min(len(args)/4, rowsPerInsert)
		if _, err := e.exec(ctx, tx, e.multiInsert(table, rows), args[:4*rows]...); err != nil {
			return err
		}
		args = args[4*rows:]
	}
	return nil
}

func (e *DB) multiInsert(table string, rows int) string {
	k := multiKey{table, rows}
	if q, ok := e.multi.Load(k); ok {
		return q.(string)
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
	}
	q := e.rebind(b.String())
	e.multi.Store(k, q)
	return q
}

// multiDelete returns the DELETE of rows index rows of one document. The pairs are a
// VALUES list, which SQLite searches by primary key for any number of rows; as ORed
// terms, three or more of them made it scan the collection's whole index.
func (e *DB) multiDelete(rows int) string {
	k := multiKey{"delete index", rows}
	if q, ok := e.multi.Load(k); ok {
		return q.(string)
	}
	var b strings.Builder
	b.WriteString("DELETE FROM gridgov_index WHERE collection = ? AND id = ? AND (field, value) IN (VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?)")
	}
	b.WriteString(")")
	q := e.rebind(b.String())
	e.multi.Store(k, q)
	return q
}

// Delete implements [store.Backend]; it deletes the document's log with it.
func (e *DB) Delete(ctx context.Context, coll, id string, expected int64) error {
	if err := ctx.Err(); err != nil {
		return e.wrap("delete", coll, id, err)
	}
	err := e.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, e.q.delete, coll, id, expected)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var cur int64
			err := tx.QueryRowContext(ctx, e.q.exists, coll, id).Scan(&cur)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return store.ErrNotFound
			case err != nil:
				return err
			}
			return versionError(expected, cur, true)
		}
		if _, err := tx.ExecContext(ctx, e.q.deleteIndex, coll, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, e.q.deleteEvents, coll, id)
		return err
	}, func(ctx context.Context) (bool, error) {
		_, err := e.Get(ctx, coll, id)
		return errors.Is(err, store.ErrNotFound), nil
	})
	if err != nil {
		return e.wrap("delete", coll, id, err)
	}
	return nil
}

// inTx runs fn in a write transaction and commits, running it again on ClassRetry
// errors (serialization failures, deadlocks, a busy database) up to MaxRetries times.
// When the commit's outcome is unknown (ClassAmbiguous), settled decides whether it
// took effect.
func (e *DB) inTx(ctx context.Context, fn func(*sql.Tx) error, settled func(context.Context) (bool, error)) error {
	var last error
	for range e.d.MaxRetries {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := e.tryTx(ctx, fn)
		if err == nil {
			return nil
		}
		switch e.d.Classify(err) {
		case ClassRetry:
			e.retries.Add(1)
			last = err
			continue
		case ClassAmbiguous:
			e.retries.Add(1)
			if ok, _ := settled(ctx); ok {
				return nil
			}
			last = err
			continue
		}
		return err
	}
	return fmt.Errorf("gave up after %d attempts: %w (last: %v)", e.d.MaxRetries, store.ErrConflict, last)
}

func (e *DB) tryTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := e.db.BeginTx(ctx, e.d.TxOptions)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Scan implements [store.Backend].
func (e *DB) Scan(ctx context.Context, q store.Query) iter.Seq2[store.Document, error] {
	return func(yield func(store.Document, error) bool) {
		after := ""
		for {
			if err := ctx.Err(); err != nil {
				yield(store.Document{}, e.wrap("scan", q.Collection, "", err))
				return
			}
			var rows *sql.Rows
			var err error
			if q.Field == "" {
				rows, err = e.read(ctx, e.q.scanAll, q.Collection, after, ScanPage)
			} else {
				rows, err = e.read(ctx, e.q.scanIndex, q.Collection, q.Field, q.Value, after, ScanPage)
			}
			var page []store.Document
			if err == nil {
				page, err = readDocs(rows, q.Collection, false, nil)
			}
			if err != nil {
				yield(store.Document{}, e.wrap("scan", q.Collection, "", err))
				return
			}
			for _, d := range page {
				if !yield(d, nil) {
					return
				}
			}
			if len(page) < ScanPage {
				return
			}
			after = page[len(page)-1].ID
		}
	}
}

// ScanRange implements [store.RangeScanner].
func (e *DB) ScanRange(ctx context.Context, q store.RangeQuery) iter.Seq2[store.Document, error] {
	return func(yield func(store.Document, error) bool) {
		var afterValue, afterID string
		first := true
		for {
			if err := ctx.Err(); err != nil {
				yield(store.Document{}, e.wrap("scan range", q.Collection, q.Field, err))
				return
			}
			var rows *sql.Rows
			var err error
			if first {
				rows, err = e.read(ctx, e.q.scanRangeFirst, q.Collection, q.Field, q.From, q.To, q.To, ScanPage)
			} else {
				rows, err = e.read(ctx, e.q.scanRangeNext, q.Collection, q.Field, afterValue, afterValue, afterID, q.To, q.To, ScanPage)
			}
			var values []string
			var page []store.Document
			if err == nil {
				page, err = readDocs(rows, q.Collection, true, &values)
			}
			if err != nil {
				yield(store.Document{}, e.wrap("scan range", q.Collection, q.Field, err))
				return
			}
			for _, d := range page {
				if !yield(d, nil) {
					return
				}
			}
			if len(page) < ScanPage {
				return
			}
			first, afterValue, afterID = false, values[len(values)-1], page[len(page)-1].ID
		}
	}
}

// readDocs reads a page of rows to the end and closes them.
func readDocs(rows *sql.Rows, coll string, withValue bool, values *[]string) ([]store.Document, error) {
	defer rows.Close()
	var out []store.Document
	for rows.Next() {
		d := store.Document{Collection: coll}
		var idx []byte
		var err error
		if withValue {
			var v string
			err = rows.Scan(&v, &d.ID, &d.Version, &d.Data, &idx, &d.LastSeq)
			*values = append(*values, v)
		} else {
			err = rows.Scan(&d.ID, &d.Version, &d.Data, &idx, &d.LastSeq)
		}
		if err != nil {
			return nil, err
		}
		if d.Index, err = decodeIndex(idx); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Events implements [store.Appender].
func (e *DB) Events(ctx context.Context, coll, id string, after int64) iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		for {
			if err := ctx.Err(); err != nil {
				yield(store.Event{}, e.wrap("events", coll, id, err))
				return
			}
			rows, err := e.read(ctx, e.q.events, coll, id, after, ScanPage)
			var page []store.Event
			if err == nil {
				page, err = readEvents(rows)
			}
			if err != nil {
				yield(store.Event{}, e.wrap("events", coll, id, err))
				return
			}
			for _, ev := range page {
				if !yield(ev, nil) {
					return
				}
			}
			if len(page) < ScanPage {
				return
			}
			after = page[len(page)-1].Seq
		}
	}
}

func readEvents(rows *sql.Rows) ([]store.Event, error) {
	defer rows.Close()
	var out []store.Event
	for rows.Next() {
		var ev store.Event
		if err := rows.Scan(&ev.Seq, &ev.Data); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// encodeIndex keeps a document's index values beside it so a read returns them without
// a second query; the gridgov_index rows are what scans search.
func encodeIndex(idx map[string][]string) ([]byte, error) {
	if len(idx) == 0 {
		return []byte("{}"), nil
	}
	return json.Marshal(idx)
}

func decodeIndex(b []byte) (map[string][]string, error) {
	if len(b) == 0 || string(b) == "{}" {
		return nil, nil
	}
	var idx map[string][]string
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("decode index values: %w", err)
	}
	return idx, nil
}
