// Package sqlstore holds gridgov's SQL storage backends, in a module of their own so
// that importing the core never pulls a database driver:
//
//   - [github.com/gridgov/gridgov/store/sqlstore/sqlite]: one SQLite file in WAL mode,
//     pure Go (modernc.org/sqlite), the embedded default a district runs with one file;
//   - [github.com/gridgov/gridgov/store/sqlstore/postgres]: PostgreSQL through pgx v5,
//     within the SQL subset that CockroachDB and YugabyteDB also accept.
//
// Both implement [store.Backend] and its optional capabilities [store.Appender] (an
// aggregate as a head plus an append-only event log, written in one transaction) and
// [store.RangeScanner] (ordered scans of an index field, for schedulers), and both pass
// the storetest suites for all three unchanged.
//
// # Schema
//
// Four tables, created and migrated by the backend when it opens the database (versioned
// steps recorded in gridgov_schema_migrations, each applied once, safe to run from many
// processes at once):
//
//	gridgov_documents (collection, id, version, data, idx, last_seq)  -- primary key (collection, id)
//	gridgov_index     (collection, field, value, id)                  -- primary key (collection, field, value, id)
//	gridgov_events    (collection, id, seq, data)                     -- primary key (collection, id, seq)
//
// A compare-and-swap is one transaction that updates the head (`UPDATE gridgov_documents
// SET version = version + 1, … WHERE collection = ? AND id = ? AND version = ?`) and
// learns its old index values: SQLite reads them first (`SELECT version, idx, last_seq
// …`, refusing a stale or missing version before the update), PostgreSQL returns them
// from the update itself (`UPDATE … FROM gridgov_documents AS o … RETURNING o.idx`),
// whose empty result means a stale or missing version. Only the index rows whose values
// changed are deleted and inserted, so a write that leaves a document's index as it was
// (most do) writes no index row; appended events are inserted in the same transaction.
// Every statement is prepared once when the backend opens. Index values live in real
// indexed rows, so a scan by a field, or over a range of its values, reads only the
// matching documents. Scans page by key, 256 rows a query, and hold no cursor while the
// caller's loop body runs.
//
// # Distributed SQL
//
// The postgres backend keeps to the SQL that CockroachDB and YugabyteDB also accept, so
// a province that outgrows one server moves to a cluster without a code change (the
// package doc of postgres gives the details and how aggregates partition by district
// code):
//   - plain tables with composite primary keys and secondary indexes, created by
//     versioned migrations; no sequences, triggers, advisory locks, LISTEN/NOTIFY or
//     server-side functions in any path;
//   - every write is one explicit SERIALIZABLE transaction whose compare-and-swap is a
//     single UPDATE … WHERE version = $n (a create is an INSERT whose primary-key
//     violation means another writer won, [store.ErrConflict]);
//   - a serialization failure (40001) or deadlock (40P01) runs the transaction again, a
//     bounded number of times, then reports [store.ErrConflict];
//   - an ambiguous commit (40003) is settled by reading the document back;
//   - scans page by key, never OFFSET, and hold no cursor between pages.
//
// # Choosing a backend
//
// SQLite serves a district on one machine with no server to run; PostgreSQL serves a
// city's districts from one database and lets several application servers share it;
// a CockroachDB or YugabyteDB cluster, through the postgres backend, serves a province.
// BENCHMARKS.md gives the throughput of each on the reference machine.
package sqlstore
