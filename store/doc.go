// Package store is the storage port (存储端口) every gridgov service writes through:
// versioned documents in named collections, each write a compare-and-swap on the
// version the writer read, so that two clerks deciding on one case at once never lose
// a decision — the second writer re-reads and decides again. Services keep one
// aggregate per document ([Collection]: a fund, a tally, a rating), or a head with an
// append-only log of events ([Log]: a case and every step of its closed loop, 闭环), so that a
// command costs the same on the first day of a case as after a year of it.
//
// A backend implements [Backend]; one that keeps logs itself implements [Appender],
// and one whose stored bytes never change once written may implement [Handoff], which
// lets Collections and Logs hand their freshly encoded bytes over without a copy and
// read stored documents, events and scans lent instead of copied. Callers never see
// the difference: what a Collection or Log returns is decoded and theirs to change.
// [github.com/gridgov/gridgov/store/memstore] is the in-memory backend;
// store/sqlstore (a nested module) holds SQLite and PostgreSQL. Every backend is
// checked by the same conformance suite, [github.com/gridgov/gridgov/store/storetest].
package store
