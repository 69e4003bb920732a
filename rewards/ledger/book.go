package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
)

// Rules named in the errors the ledger returns.
const (
	RuleNoOverdraft    = "ledger.no-overdraft"     // a debit may not take the book below zero
	RuleReverseAtMost  = "ledger.reverse-at-most"  // reversals may not exceed the reversed entry
	RuleReverseMirrors = "ledger.reverse-mirrors"  // a reversal swaps the original's accounts
	RuleOwnAccount     = "ledger.own-account"      // a posting must touch the book's account
	RuleWellFormed     = "ledger.well-formed"      // keys, kinds, accounts, amounts
	RuleReverseKnown   = "ledger.reverse-existing" // the reversed key must be posted in this book
	RuleNoOverflow     = "ledger.no-overflow"      // credits and debits stay within an int64: money never wraps
)

// MaxAmount bounds one posting: 10^15 fen (¥10 trillion), beyond any real fund. With it
// a book's credits need thousands of maximal postings to near the int64 range, and
// those are refused by rule ledger.no-overflow: a balance never wraps negative.
const MaxAmount int64 = 1_000_000_000_000_000

// ChunkRef locates one sealed chunk of a book's entries.
type ChunkRef struct {
	ID    string `json:"id"`
	First uint64 `json:"first"` // Seq of the chunk's first entry
	Count int    `json:"count"`
	Hash  string `json:"hash"` // hash of the chunk's last entry
}

// Book is the head document of one account's journal: the aggregate every post
// compare-and-swaps. Its balance is Credits − Debits. Entries up to the tail live in
// sealed chunks, the rest (fewer than the chunk size) in Tail as canonical lines.
//
// A Book is a value: [Book.Apply] returns a new one and never changes its receiver,
// so a Book may be shared between goroutines.
type Book struct {
	ID      string            `json:"id"`
	Account Account           `json:"account"`
	Labels  map[string]string `json:"labels,omitempty"`
	Seq     uint64            `json:"seq"` // Seq of the last entry, 0 when empty
	Credits int64             `json:"credits"`
	Debits  int64             `json:"debits"`
	Head    string            `json:"head"` // hash of the last entry, or the genesis hash
	// Keys holds the idempotency key of every entry in Seq order, each followed by a
	// line feed (keys cannot contain one). A book is opened per fund and year, which
	// bounds it; one string, not a map or a list, because it encodes and decodes in
	// one piece. [Book.SeqOf] looks keys up.
	Keys string `json:"keys,omitempty"`
	// Reversed maps the key of every entry that has been (partly) reversed to the
	// amount reversed so far.
	Reversed map[string]int64 `json:"reversed,omitempty"`
	Chunks   []ChunkRef       `json:"chunks,omitempty"`
	Tail     []string         `json:"tail,omitempty"`

	// idx maps Keys to Seqs; built by indexed or handed on by the Ledger, shared
	// read-only between copies.
	idx *keyIndex
}

// indexed returns b with its key index built.
func (b Book) indexed() Book {
	if !b.hasIndex() {
		b.idx = (*keyIndex)(nil).extend(b.Keys)
	}
	return b
}

// hasIndex reports whether b.idx indexes all of b's keys.
func (b Book) hasIndex() bool {
	return b.idx != nil && b.idx.seq == b.Seq && b.idx.keysLen == len(b.Keys)
}

// SeqOf returns the Seq of the entry posted under key. It is O(1) on the books the
// [Ledger] hands to a plan function and a scan of Keys otherwise.
func (b Book) SeqOf(key string) (uint64, bool) {
	if b.hasIndex() {
		return b.idx.lookup(key)
	}
	if key == "" || strings.ContainsAny(key, "\n") {
		return 0, false
	}
	at := -1
	switch {
	case strings.HasPrefix(b.Keys, key+"\n"):
		at = 0
	default:
		if i := strings.Index(b.Keys, "\n"+key+"\n"); i >= 0 {
			at = i + 1
		}
	}
	if at < 0 {
		return 0, false
	}
	return uint64(strings.Count(b.Keys[:at], "\n")) + 1, true
}

// KeyList returns the idempotency keys in Seq order.
func (b Book) KeyList() []string {
	var out []string
	for k := range strings.Lines(b.Keys) {
		out = append(out, k[:len(k)-1])
	}
	return out
}

// NewBook returns the empty book id of account.
func NewBook(id string, account Account, labels map[string]string) (Book, error) {
	var errs []error
	if err := checkField("id", id, true); err != nil {
		errs = append(errs, err)
	}
	if err := checkField("account", string(account), true); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return Book{}, &gridgov.Error{Op: "ledger.NewBook", Kind: gridgov.ErrInvalid, Rule: RuleWellFormed, Err: err}
	}
	return Book{ID: id, Account: account, Labels: maps.Clone(labels), Head: GenesisHash(id, account)}, nil
}

// Balance is Credits − Debits, in fen.
func (b Book) Balance() int64 { return b.Credits - b.Debits }

// Result reports what became of one posting of a batch.
type Result struct {
	Seq       uint64 // the entry's Seq
	Amount    int64  // the amount posted (less than asked only for a Partial posting)
	Duplicate bool   // the key was already posted: nothing moved, Seq is the earlier entry
}

// Lookup returns the entry with Seq seq of the book being posted to. [Book.Apply] calls
// it only for reversals of entries that are no longer in the tail.
type Lookup func(seq uint64) (Entry, error)

// Apply posts ps in order at time at and returns the new book and one Result per
// posting. IDs for new entries come from newID. The batch is atomic: if any posting is
// refused the error names it and nothing is posted.
//
// Refusals are [*gridgov.Error] values: ErrInvalid (rule ledger.well-formed,
// ledger.own-account, ledger.reverse-mirrors), ErrNotFound (ledger.reverse-existing) or
// ErrPrecondition (ledger.no-overdraft, ledger.reverse-at-most).
func (b Book) Apply(ps []Posting, at time.Time, newID func() (string, error), lookup Lookup) (Book, []Result, error) {
	if len(ps) > 4 {
		b = b.indexed() // a map pays off for a batch; a single posting scans Keys
	}
	next := b
	next.idx = nil
	results := make([]Result, len(ps))
	added := make(map[string]uint64, len(ps)) // keys of this batch
	seqOf := func(k string) (uint64, bool) {
		if s, ok := b.SeqOf(k); ok {
			return s, true
		}
		s, ok := added[k]
		return s, ok
	}
	var keys strings.Builder
	cloned, revCloned := false, false
	// The new canonical lines are appended to one buffer and become substrings of one
	// string at the end: one allocation for the batch, not one per entry. Only the last
	// entry's hash is kept as a string; each line embeds the previous hash as bytes.
	var lines strings.Builder
	var line []byte // scratch: the line being hashed, reused
	var ends []int
	var head [sha256.Size * 2]byte
	var prev []byte // the previous entry's hash, hex
	for i, p := range ps {
		fail := func(kind error, rule, msg string) (Book, []Result, error) {
			return b, nil, &gridgov.Error{Op: "ledger.Post", Kind: kind, Rule: rule,
				Msg: fmt.Sprintf("book %s, posting %d (key %q): %s", b.ID, i, p.Key, msg)}
		}
		if seq, ok := seqOf(p.Key); ok {
			results[i] = Result{Seq: seq, Duplicate: true}
			continue
		}
		var reverses uint64
		if p.Reverses != "" {
			seq, ok := seqOf(p.Reverses)
			if !ok {
				return fail(gridgov.ErrNotFound, RuleReverseKnown, fmt.Sprintf("reversed key %q was never posted", p.Reverses))
			}
			var orig Entry
			var err error
			if s, ok := added[p.Reverses]; ok && s == seq {
				// Reversing an entry of this very batch: its line is in the buffer.
				k := int(seq - (next.Seq - uint64(len(ends))) - 1)
				from := 0
				if k > 0 {
					from = ends[k-1]
				}
				orig, err = ParseEntry(b.ID, lines.String()[from:ends[k]])
			} else {
				orig, err = b.entry(seq, lookup)
			}
			if err != nil {
				return b, nil, fmt.Errorf("ledger: post to %s: load reversed entry %d: %w", b.ID, seq, err)
			}
			if p.Debit == "" && p.Credit == "" {
				p.Debit, p.Credit = orig.Credit, orig.Debit
			}
			if p.Debit != orig.Credit || p.Credit != orig.Debit {
				return fail(gridgov.ErrInvalid, RuleReverseMirrors, fmt.Sprintf("a reversal of %s→%s must post %s→%s", orig.Debit, orig.Credit, orig.Credit, orig.Debit))
			}
			if left := orig.Amount - next.Reversed[p.Reverses]; p.Amount > left {
				return fail(gridgov.ErrPrecondition, RuleReverseAtMost, fmt.Sprintf("reversing %d fen of entry %d, only %d fen left to reverse", p.Amount, seq, left))
			}
			reverses = seq
		}
		if err := p.check(); err != nil {
			return fail(gridgov.ErrInvalid, RuleWellFormed, err.Error())
		}
		if p.Debit != b.Account && p.Credit != b.Account {
			return fail(gridgov.ErrInvalid, RuleOwnAccount, fmt.Sprintf("neither %s nor %s is the book's account %s", p.Debit, p.Credit, b.Account))
		}
		amount := p.Amount
		if p.Debit == b.Account {
			if bal := next.Balance(); amount > bal {
				if !p.Partial || bal <= 0 {
					return fail(gridgov.ErrPrecondition, RuleNoOverdraft, fmt.Sprintf("debit of %d fen exceeds the balance of %d fen", amount, bal))
				}
				amount = bal
			}
			if next.Debits > math.MaxInt64-amount {
				return fail(gridgov.ErrInvalid, RuleNoOverflow, fmt.Sprintf("debits of %d fen + %d fen exceed what an int64 holds", next.Debits, amount))
			}
			next.Debits += amount
		} else {
			if next.Credits > math.MaxInt64-amount {
				return fail(gridgov.ErrInvalid, RuleNoOverflow, fmt.Sprintf("credits of %d fen + %d fen exceed what an int64 holds", next.Credits, amount))
			}
			next.Credits += amount
		}
		id, err := newID()
		if err != nil {
			return b, nil, fmt.Errorf("ledger: post to %s: entry ID: %w", b.ID, err)
		}
		e := Entry{Seq: next.Seq + 1, ID: id, At: at, Kind: p.Kind, Key: p.Key, Cause: p.Cause,
			Debit: p.Debit, Credit: p.Credit, Amount: amount, Reverses: reverses}
		if !cloned {
			// Copy on first write: the receiver's slices must not see this batch.
			keys.Grow(len(b.Keys) + (len(ps)-i)*(len(p.Key)+8))
			keys.WriteString(b.Keys)
			next.Tail = make([]string, 0, len(b.Tail)+len(ps)-i)
			next.Tail = append(next.Tail, b.Tail...)
			lines.Grow((len(ps) - i) * (len(p.Key) + len(p.Cause) + len(p.Debit) + len(p.Credit) + len(p.Kind) + len(id) + 120))
			line = make([]byte, 0, 256)
			cloned = true
		}
		if p.Reverses != "" {
			if !revCloned {
				next.Reversed = make(map[string]int64, len(b.Reversed)+1)
				maps.Copy(next.Reversed, b.Reversed)
				revCloned = true
			}
			next.Reversed[p.Reverses] += amount
		}
		if prev == nil {
			prev = []byte(next.Head)
		}
		line = appendLine(&e, line[:0], prev)
		sum := sha256.Sum256(line)
		hex.Encode(head[:], sum[:])
		prev = head[:]
		lines.Write(line)
		ends = append(ends, lines.Len())
		added[p.Key] = e.Seq
		keys.WriteString(p.Key)
		keys.WriteByte('\n')
		next.Seq = e.Seq
		results[i] = Result{Seq: e.Seq, Amount: amount}
	}
	if cloned {
		next.Keys = keys.String()
		all := lines.String()
		from := 0
		for _, end := range ends {
			next.Tail = append(next.Tail, all[from:end])
			from = end
		}
		next.Head = string(head[:])
	}
	return next, results, nil
}

func (p Posting) check() error {
	var errs []error
	for _, f := range []struct {
		name, v string
	}{{"key", p.Key}, {"kind", p.Kind}, {"cause", p.Cause}, {"debit", string(p.Debit)}, {"credit", string(p.Credit)}} {
		if err := checkField(f.name, f.v, true); err != nil {
			errs = append(errs, err)
		}
	}
	if p.Debit == p.Credit && p.Debit != "" {
		errs = append(errs, fmt.Errorf("debit and credit: both are %s", p.Debit))
	}
	if p.Amount <= 0 || p.Amount > MaxAmount {
		errs = append(errs, fmt.Errorf("amount: %d must be within 1–%d", p.Amount, MaxAmount))
	}
	return errors.Join(errs...)
}

// entry finds entry seq in the tail or through lookup.
func (b Book) entry(seq uint64, lookup Lookup) (Entry, error) {
	if first := b.Seq - uint64(len(b.Tail)) + 1; seq >= first && seq <= b.Seq {
		return ParseEntry(b.ID, b.Tail[seq-first])
	}
	if lookup == nil {
		return Entry{}, fmt.Errorf("entry %d is sealed and no lookup was given: %w", seq, gridgov.ErrNotFound)
	}
	return lookup(seq)
}

// TailFirst is the Seq of the first entry in Tail.
func (b Book) TailFirst() uint64 { return b.Seq - uint64(len(b.Tail)) + 1 }

// Chunk is a sealed, immutable run of a book's entries as canonical lines.
// It is a plain value: safe for concurrent use while no one modifies it.
type Chunk struct {
	Book    string    `json:"book"`
	First   uint64    `json:"first"`
	Lines   []string  `json:"lines"`
	Created time.Time `json:"created"`
}

// seal moves full runs of size entries from the tail into new chunks named by
// chunkID and returns the new book and the chunks to write before it.
func (b Book) seal(size int, at time.Time, chunkID func(first uint64) (string, error)) (Book, []Chunk, error) {
	if len(b.Tail) < size {
		return b, nil, nil
	}
	var chunks []Chunk
	first := b.TailFirst()
	tail := b.Tail
	refs := append([]ChunkRef(nil), b.Chunks...)
	for len(tail) >= size {
		id, err := chunkID(first)
		if err != nil {
			return b, nil, err
		}
		lines := tail[:size:size]
		chunks = append(chunks, Chunk{Book: b.ID, First: first, Lines: lines, Created: at})
		refs = append(refs, ChunkRef{ID: id, First: first, Count: size, Hash: hashLine([]byte(lines[size-1]))})
		tail = tail[size:]
		first += uint64(size)
	}
	b.Chunks = refs
	b.Tail = append([]string(nil), tail...)
	return b, chunks, nil
}
