package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
)

// Account names one side of a posting: a fund ("fund:320104-A/2025"), a worker
// ("worker:p-0017"), a source of money ("source:police-budget"). Names are free-form
// but may not contain '|' or control characters, because they are part of the
// canonical line that is hashed.
type Account string

// Posting asks for one movement of money: Amount fen from Debit to Credit. One of the
// two accounts must be the book's own account.
// It is a plain value: safe for concurrent use while no one modifies it.
type Posting struct {
	// Key is the idempotency key: a second posting with the same key in the same book
	// moves nothing and reports the first entry.
	Key string `json:"key"`
	// Kind classifies the entry for statistics and cause checks ("deposit", "pay",
	// "clawback", "award"); the ledger gives it no meaning.
	Kind string `json:"kind"`
	// Cause names why the money moves (a claim ID, a deposit reference).
	Cause  string  `json:"cause"`
	Debit  Account `json:"debit"`
	Credit Account `json:"credit"`
	// Amount in fen, > 0.
	Amount int64 `json:"amount"`
	// Reverses is the key of the entry this posting reverses, or "". A reversal's
	// accounts are the original's swapped (they may be left empty), and all reversals
	// of one entry together may not exceed its amount.
	Reverses string `json:"reverses,omitempty"`
	// Partial lets a debit of the book's account that exceeds the balance post the
	// whole remaining balance instead of failing. A book with nothing left still fails.
	Partial bool `json:"partial,omitempty"`
}

// Entry is one posted movement of money, immutable once written.
// It is a plain value: safe for concurrent use while no one modifies it.
type Entry struct {
	Book     string    `json:"book"`
	Seq      uint64    `json:"seq"` // 1, 2, 3 … within the book
	ID       string    `json:"id"`  // ULID
	At       time.Time `json:"at"`
	Kind     string    `json:"kind"`
	Key      string    `json:"key"`
	Cause    string    `json:"cause"`
	Debit    Account   `json:"debit"`
	Credit   Account   `json:"credit"`
	Amount   int64     `json:"amount"`
	Reverses uint64    `json:"reverses,omitempty"` // Seq of the reversed entry
	// Prev is the hash of the previous entry (the book's genesis hash for Seq 1).
	Prev string `json:"prev"`
	// Hash is SHA-256 over the canonical line, hex encoded.
	Hash string `json:"hash"`
}

const lineVersion = "v1"

// Canonical returns the entry's canonical line, the bytes its hash covers:
//
//	v1|seq|id|unix-nanos|kind|key|cause|debit|credit|amount|reverses|prev
//
// Fields are written as is (the ledger refuses '|' and control characters in them), so
// the line is also the stored form of the entry.
func (e Entry) Canonical() string {
	return string(e.appendCanonical(make([]byte, 0, 192)))
}

func (e Entry) appendCanonical(b []byte) []byte { return appendLine(&e, b, e.Prev) }

// appendLine appends e's canonical line with prev as its Prev field, so that a batch
// can chain entries without turning each hash into a string.
func appendLine[P string | []byte](e *Entry, b []byte, prev P) []byte {
	b = append(b, lineVersion...)
	b = append(b, '|')
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, '|')
	b = append(b, e.ID...)
	b = append(b, '|')
	b = strconv.AppendInt(b, e.At.UnixNano(), 10)
	for _, f := range [...]string{e.Kind, e.Key, e.Cause, string(e.Debit), string(e.Credit)} {
		b = append(b, '|')
		b = append(b, f...)
	}
	b = append(b, '|')
	b = strconv.AppendInt(b, e.Amount, 10)
	b = append(b, '|')
	b = strconv.AppendUint(b, e.Reverses, 10)
	b = append(b, '|')
	b = append(b, prev...)
	return b
}

func hashLine(line []byte) string {
	sum := sha256.Sum256(line)
	var h [sha256.Size * 2]byte
	hex.Encode(h[:], sum[:])
	return string(h[:])
}

// GenesisHash is the Prev of a book's first entry. It names the book and its account,
// so an entry copied into another book does not verify there.
func GenesisHash(book string, account Account) string {
	return hashLine([]byte("gridgov-ledger-" + lineVersion + "|" + book + "|" + string(account)))
}

// ParseEntry decodes a canonical line of book and computes its hash. It checks the
// syntax only; [Verify] checks the chain.
func ParseEntry(book, line string) (Entry, error) {
	f := strings.Split(line, "|")
	if len(f) != 12 || f[0] != lineVersion {
		return Entry{}, fmt.Errorf("ledger: parse entry of %s: want 12 fields of version %s, got %d: %w", book, lineVersion, len(f), gridgov.ErrInvalid)
	}
	seq, err1 := strconv.ParseUint(f[1], 10, 64)
	nanos, err2 := strconv.ParseInt(f[3], 10, 64)
	amount, err3 := strconv.ParseInt(f[9], 10, 64)
	rev, err4 := strconv.ParseUint(f[10], 10, 64)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return Entry{}, fmt.Errorf("ledger: parse entry of %s: %v: %w", book, err, gridgov.ErrInvalid)
		}
	}
	return Entry{
		Book: book, Seq: seq, ID: f[2], At: time.Unix(0, nanos).UTC(),
		Kind: f[4], Key: f[5], Cause: f[6], Debit: Account(f[7]), Credit: Account(f[8]),
		Amount: amount, Reverses: rev, Prev: f[11], Hash: hashLine([]byte(line)),
	}, nil
}

// checkField refuses what would make the canonical line ambiguous.
func checkField(name, v string, required bool) error {
	if v == "" {
		if required {
			return fmt.Errorf("%s: must not be empty", name)
		}
		return nil
	}
	ascii := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '|' || c < 0x20 || c == 0x7f {
			return fmt.Errorf("%s: %q contains '|' or a control character", name, v)
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	if ascii {
		return nil // the common case: keys and accounts are ASCII
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%s: %q is not valid UTF-8", name, v)
	}
	return nil
}
