// Package ledger is the double-entry journal (复式记账) behind the report-reward funds of
// package rewards: every movement of money is an [Entry] that debits one account and
// credits another by the same integer number of fen, so the books balance by
// construction.
//
// A [Book] is the journal of one account (a fund, 奖励基金): its balance is its credits
// minus its debits and may never go below zero. The rules the package enforces:
//
//   - Append only. Entries are never edited or deleted; a correction or a clawback is a
//     reversing posting that names the entry it reverses and may not reverse more than
//     that entry moved.
//   - Idempotent. Every posting carries an idempotency key; posting the same key again
//     returns the entry already made and moves no money, so a report that arrives twice
//     is paid once.
//   - Caused. Every posting names its cause (a reward claim, a deposit reference, a
//     year-end award); the owner of the cause checks it with [Ledger.Entries].
//   - Hash-chained. An entry's hash is SHA-256 over its canonical line, which contains
//     the previous entry's hash, and the book's head stores the last hash: editing any
//     stored entry breaks the chain and [Verify] reports where.
//
// Storage scales with batch settlement in mind. The book's head document holds the
// balance, the chain head, the idempotency keys of the year and a short tail of recent
// entries; full runs of entries are sealed into immutable chunk documents. A post is
// one compare-and-swap of the head (new chunk documents are written just before it and
// are unreferenced garbage if the swap loses), so a batch of a thousand payments costs
// one head write and a few chunk writes, not a thousand rewrites of a growing document.
// Unreferenced chunks left by a crash are reported by [Ledger.Verify] and removed by
// [Ledger.Sweep].
package ledger
