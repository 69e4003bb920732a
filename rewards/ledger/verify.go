package ledger

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Problem is one broken invariant found by [Verify].
type Problem struct {
	Seq  uint64 `json:"seq,omitempty"` // the entry concerned, 0 for the book as a whole
	Rule string `json:"rule"`          // which invariant, e.g. "ledger.chain"
	Msg  string `json:"msg"`
}

// String formats the problem with its entry and rule.
func (p Problem) String() string {
	if p.Seq == 0 {
		return fmt.Sprintf("%s: %s", p.Rule, p.Msg)
	}
	return fmt.Sprintf("entry %d: %s: %s", p.Seq, p.Rule, p.Msg)
}

// Invariants checked by [Verify], named in [Problem.Rule].
const (
	RuleChain     = "ledger.chain"       // each entry's Prev is the previous entry's hash; the head holds the last
	RuleSequence  = "ledger.sequence"    // Seq runs 1, 2, 3 … without gaps
	RuleBalance   = "ledger.balance"     // Credits and Debits equal the sums of the entries
	RuleNegative  = "ledger.no-negative" // the running balance never drops below zero
	RuleKeys      = "ledger.keys"        // every entry's key is unique and indexed; the index has no strays
	RuleReversals = "ledger.reversals"   // reversals mirror and never exceed their entry
	RuleCause     = "ledger.cause"       // every entry names a cause
	RuleChunks    = "ledger.chunks"      // chunk references match the chunks
)

// Report is the outcome of [Verify]: the recomputed totals and every problem found.
// It is a plain value: safe for concurrent use while no one modifies it.
type Report struct {
	Book     string    `json:"book"`
	Entries  int       `json:"entries"`
	Credits  int64     `json:"credits"` // recomputed from the entries
	Debits   int64     `json:"debits"`
	Problems []Problem `json:"problems,omitempty"`
	// Orphans are chunk documents of the book that its head does not reference: the
	// trace of a post that lost its compare-and-swap or crashed before it.
	Orphans []string `json:"orphans,omitempty"`
}

// OK reports whether no invariant is broken. Orphan chunks are not a broken invariant:
// they were never part of the book.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Verify recomputes book b from its entries: the chunks it references (chunks[i] is
// the chunk of b.Chunks[i]) and its tail. It proves balance = credits − debits, a
// running balance never below zero, unique and indexed keys, bounded mirrored
// reversals, a cause on every entry and an unbroken hash chain ending at b.Head.
func Verify(b Book, chunks []Chunk) Report {
	r := Report{Book: b.ID}
	add := func(seq uint64, rule, format string, args ...any) {
		r.Problems = append(r.Problems, Problem{Seq: seq, Rule: rule, Msg: fmt.Sprintf(format, args...)})
	}
	if len(chunks) != len(b.Chunks) {
		add(0, RuleChunks, "head references %d chunks, %d given", len(b.Chunks), len(chunks))
		return r
	}
	var lines []string
	for i, ref := range b.Chunks {
		c := chunks[i]
		if c.Book != b.ID || c.First != ref.First || len(c.Lines) != ref.Count {
			add(ref.First, RuleChunks, "chunk %s holds %s/%d+%d, head says %s/%d+%d", ref.ID, c.Book, c.First, len(c.Lines), b.ID, ref.First, ref.Count)
		}
		if n := len(c.Lines); n > 0 && hashLine([]byte(c.Lines[n-1])) != ref.Hash {
			add(ref.First+uint64(n)-1, RuleChunks, "chunk %s ends with hash %.12s…, head says %.12s…", ref.ID, hashLine([]byte(c.Lines[n-1])), ref.Hash)
		}
		lines = append(lines, c.Lines...)
	}
	lines = append(lines, b.Tail...)

	prev := GenesisHash(b.ID, b.Account)
	keys := make(map[string]uint64, len(lines))
	var keyList []string
	reversed := map[string]int64{}
	bySeq := make(map[uint64]Entry, len(lines))
	var balance int64
	for i, line := range lines {
		want := uint64(i + 1)
		e, err := ParseEntry(b.ID, line)
		if err != nil {
			add(want, RuleChain, "unreadable entry: %v", err)
			prev = hashLine([]byte(line))
			continue
		}
		r.Entries++
		if e.Seq != want {
			add(want, RuleSequence, "entry in position %d has Seq %d", want, e.Seq)
		}
		if e.Prev != prev {
			add(e.Seq, RuleChain, "Prev %.12s… is not the previous entry's hash %.12s…: an entry was changed", e.Prev, prev)
		}
		prev = e.Hash
		if e.Cause == "" {
			add(e.Seq, RuleCause, "entry has no cause")
		}
		if old, dup := keys[e.Key]; dup {
			add(e.Seq, RuleKeys, "key %q already posted as entry %d", e.Key, old)
		}
		keys[e.Key] = e.Seq
		keyList = append(keyList, e.Key)
		bySeq[e.Seq] = e
		if e.Amount <= 0 {
			add(e.Seq, RuleBalance, "amount %d is not positive", e.Amount)
		}
		switch b.Account {
		case e.Credit:
			r.Credits += e.Amount
			balance += e.Amount
		case e.Debit:
			r.Debits += e.Amount
			balance -= e.Amount
		default:
			add(e.Seq, RuleOwnAccount, "entry %s→%s does not touch %s", e.Debit, e.Credit, b.Account)
		}
		if balance < 0 {
			add(e.Seq, RuleNegative, "balance drops to %d fen", balance)
		}
		if e.Reverses != 0 {
			orig, ok := bySeq[e.Reverses]
			switch {
			case !ok || e.Reverses >= e.Seq:
				add(e.Seq, RuleReversals, "reverses entry %d, which does not precede it", e.Reverses)
			case orig.Debit != e.Credit || orig.Credit != e.Debit:
				add(e.Seq, RuleReversals, "reverses %s→%s with %s→%s", orig.Debit, orig.Credit, e.Debit, e.Credit)
			default:
				reversed[orig.Key] += e.Amount
				if reversed[orig.Key] > orig.Amount {
					add(e.Seq, RuleReversals, "reversals of entry %d total %d fen, more than its %d", orig.Seq, reversed[orig.Key], orig.Amount)
				}
			}
		}
	}
	if prev != b.Head {
		add(0, RuleChain, "head hash %.12s… is not the last entry's hash %.12s…", b.Head, prev)
	}
	if uint64(len(lines)) != b.Seq {
		add(0, RuleSequence, "head says %d entries, found %d", b.Seq, len(lines))
	}
	if r.Credits != b.Credits || r.Debits != b.Debits {
		add(0, RuleBalance, "head says credits %d debits %d, entries sum to credits %d debits %d", b.Credits, b.Debits, r.Credits, r.Debits)
	}
	if b.Balance() < 0 {
		add(0, RuleNegative, "head balance is %d fen", b.Balance())
	}
	if index := b.KeyList(); !slices.Equal(keyList, index) || len(b.Keys) > 0 && !strings.HasSuffix(b.Keys, "\n") {
		var stray []string
		for i := range max(len(keyList), len(index)) {
			var want, got string
			if i < len(keyList) {
				want = keyList[i]
			}
			if i < len(index) {
				got = index[i]
			}
			if want != got {
				stray = append(stray, fmt.Sprintf("entry %d: %q, index %q", i+1, want, got))
			}
		}
		add(0, RuleKeys, "key index disagrees with the entries: %s", strings.Join(stray, "; "))
	}
	if !maps.Equal(reversed, b.Reversed) && !(len(reversed) == 0 && len(b.Reversed) == 0) {
		add(0, RuleReversals, "reversal index %v disagrees with the entries %v", b.Reversed, reversed)
	}
	return r
}
